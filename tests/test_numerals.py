"""``cleaners.numerals.compare``: digit numbers matched across the sides of a pair."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners.numerals import (
    NumberCheck,
    _Matching,
    _unexcused,
    _with_words,
    compare,
    digit_numbers,
    word_numbers,
)


def _first_fit(ru: str, en: str) -> NumberCheck:
    """The matching as specified: each Russian number, in order, takes the first unused
    English number that may stand for one of its values (then the number words, as
    compare reads them)."""
    ru_n, en_n = digit_numbers(ru), digit_numbers(en)
    used = [False] * len(en_n)
    ru_left = []
    for values in ru_n:
        k = next((k for k, e in enumerate(en_n) if not used[k] and values & e), None)
        if k is None:
            ru_left.append(values)
        else:
            used[k] = True
    en_left = [e for k, e in enumerate(en_n) if not used[k]]
    matched = len(ru_n) - len(ru_left)
    ru_named, en_named = word_numbers(ru), word_numbers(en)
    digits = NumberCheck(matched, _unexcused(ru_left, en_named), _unexcused(en_left, ru_named))
    matching = _Matching(ru_n, en_n, ru_left, en_left, ru_named, en_named, None)
    return _with_words(ru, en, matching, digits)


_NUMBER = st.sampled_from(
    ["5", "5,5", "5.5", "1,500", "2010–11", "2011", "13,3 тысячи", "13,300", "0230", "12:30", "3"]
)
_TEXT = st.lists(st.one_of(_NUMBER, st.sampled_from(["и", "and", "млн", "million", "пять"])))


@settings(max_examples=300, deadline=None)
@given(_TEXT, _TEXT)
def test_compare_is_the_first_fit_matching(ru: list[str], en: list[str]) -> None:
    ru_text, en_text = " ".join(ru), " ".join(en)
    assert compare(ru_text, en_text) == _first_fit(ru_text, en_text)


def test_a_pair_with_thousands_of_numbers_matches_them_all() -> None:
    ru = " ".join(f"{i} стран" for i in range(3000))
    en = " ".join(f"{i} countries" for i in range(3000))
    assert compare(ru, en) == NumberCheck(3000, 0, 0)


# A decade written without its century stands for that decade of the 1900s or the 2000s.
_SAME_DECADE = [
    ("Это случилось в 90-х годах.", "It happened in the 1990s."),
    ("Это случилось в 90-е.", "It happened in the '90s."),
    ("Это случилось в 1990-х.", "It happened in the 90s."),
    ("Это случилось в 1990-х.", "It happened in the 90's."),
    ("В 20-х годах прошлого века.", "In the 1920s."),
    ("В 2010-е годы.", "In the 2010s."),
    ("В 2010-е годы.", "In the 10s."),
    ("Это случилось в 90-х годах.", "It happened in the nineties."),
    ("Это случилось в девяностые.", "It happened in the 1990s."),
    ("В семидесятых годах.", "In the 1970's."),
    ("В 00-х годах.", "In the 2000s."),
    ("В 80-90-х годах.", "In the 1980s and 1990s."),
    ("В 1980-90-х годах.", "In the 80s and 90s."),
]
_OTHER_DECADE = [
    ("Это случилось в 90-х годах.", "It happened in the 1980s."),
    ("Это случилось в 1990-х.", "It happened in the 1890s."),
    ("Это случилось в 1990-х.", "It happened in the 80s."),
    ("Это случилось в 90-е.", "It happened in the '80s."),
    ("Это случилось в девяностые.", "It happened in the 1980s."),
    ("Это случилось в 90-х годах.", "It happened in the 1890s."),
    ("В 80-90-х годах.", "In the 1970s and 1990s."),
]


def test_a_decade_matches_its_forms_in_the_other_language() -> None:
    for ru, en in _SAME_DECADE:
        check = compare(ru, en)
        assert (check.ru_missing, check.en_missing) == (0, 0), (ru, en, check)


def test_a_changed_decade_is_still_a_mismatch() -> None:
    for ru, en in _OTHER_DECADE:
        check = compare(ru, en)
        assert check.ru_missing + check.en_missing > 0, (ru, en, check)


def test_only_a_two_digit_decade_gains_a_century() -> None:
    # "90 человек" is ninety, not a decade; "110 стран" ↔ "10 countries" stays changed.
    assert digit_numbers("90 человек") == [frozenset({90.0})]
    assert compare("110 стран", "10 countries") == NumberCheck(0, 1, 1)
    assert compare("90 человек", "1990 people") == NumberCheck(0, 1, 1)
    assert compare("в 90-х годах", "in 1990s") == NumberCheck(1, 0, 0)


def test_a_time_mt_split_after_its_colon_is_the_same_time() -> None:
    """``at 18: 18`` (the MT's split time, before repair) is the time ``18:18``, not the
    numbers 18 and 18: a raw MT pair given to ``mtclean filter`` was a number-mismatch. Only
    where repair would join it: ``Article 12: 30 days`` stays two numbers."""
    assert compare("Поезд прибыл в 18:18.", "The train arrived at 18: 18.") == (1, 0, 0)
    assert compare("с 10:30 до 12:45", "from 10 : 30 to 12: 45 Moscow time") == (2, 0, 0)
    assert digit_numbers("Article 12: 30 days") == [frozenset({12.0}), frozenset({30.0})]
    assert compare("в 18:18", "at 18: 19").ru_missing == 1  # a changed minute still counts


def test_a_twelve_hour_time_is_the_same_time_on_the_24_hour_clock() -> None:
    """``в 15:00`` is ``at 3 p.m.``, ``в 01:23`` is ``at 01.23 a.m.`` (a British dot for the
    colon) and ``в 9 часов`` is ``at 9:00``: such right pairs were rejected as a
    number-mismatch. A changed hour or the wrong half of the day still counts."""
    assert compare("Матч начнётся в 15:00.", "The match starts at 3 p.m.") == (1, 0, 0)
    assert compare("Сигнал поступил в 01:23.", "The call came at 01.23 a.m.") == (1, 0, 0)
    assert compare("Поезд ушёл в 00:40.", "The train left at 12:40 am.") == (1, 0, 0)
    assert compare("Магазин открылся в 9 часов.", "The shop opened at 9:00.") == (1, 0, 0)
    assert compare("Поезд ушёл в 7:05.", "The train left at 7.05 p.m.").ru_missing == 1
    assert compare("Матч начнётся в 15:00.", "The match starts at 4 p.m.").ru_missing == 1
    assert compare("Сигнал поступил в 01:23.", "The call came at 1:23 p.m.").ru_missing == 1
    # A decimal stays a decimal without a.m./p.m.: 1.23 is no time.
    assert compare("Рост составил 1,23%.", "Growth was 1.23%.") == (1, 0, 0)
    assert compare("Рост составил 1,23%.", "Growth was 123%.").ru_missing == 1


def test_a_time_told_in_hours_and_minutes_and_a_cup_round() -> None:
    """MT's word-for-word ``at 17 hours and 47 minutes`` is ``в 17 часов 47 минут``, 17:47;
    ``1/8 финала`` (an eighth-final) is the round of 16, whichever way the English puts it.
    Other fractions, and a changed minute or round, still count."""
    assert compare(
        "В 17 часов 47 минут пожар потушили.", "At 17 hours and 47 minutes the fire was out."
    ) == (1, 0, 0)
    assert compare("В 9 часов 5 минут поезд ушёл.", "At 9 hours 5 minutes the train left.") == (
        1,
        0,
        0,
    )
    assert compare("В 17 часов 47 минут пожар потушили.", "At 17:47 the fire was out.") == (1, 0, 0)
    assert compare("Матч 1/8 финала пройдёт в Москве.", "The round of 16 match is in Moscow.") == (
        1,
        0,
        0,
    )
    assert compare("Матч 1/8 финала пройдёт в Москве.", "The 1/8 final match is in Moscow.") == (
        1,
        0,
        0,
    )
    assert compare("Матч 1/8 финала пройдёт в Москве.", "The last-16 tie is in Moscow.") == (
        1,
        0,
        0,
    )
    assert (
        compare(
            "Матч 1/8 финала пройдёт в Москве.", "The round of 32 match is in Moscow."
        ).ru_missing
        == 1
    )
    assert compare("Выпито 1/8 бутылки.", "They drank 1/8 of the bottle.") == (2, 0, 0)
    assert (
        compare(
            "В 17 часов 47 минут пожар потушили.", "At 17 hours 48 minutes it was out."
        ).ru_missing
        == 1
    )


@pytest.mark.parametrize("space", [" ", "\u00a0", "\u202f", "\u2009", "\u2007"])
def test_thousands_grouped_by_any_typographic_space_are_one_number(space: str) -> None:
    # Russian typography sets "10 000" with a thin or narrow space; MT writes "10,000".
    ru = f"В акции участвовали 12{space}500 человек из 30 городов."
    assert compare(ru, "12,500 people from 30 cities took part.") == NumberCheck(2, 0, 0)
    assert compare(ru, "12,600 people from 30 cities took part.") == NumberCheck(1, 1, 1)
