"""Numbers written in words compared like digit numbers (issue #14): a changed number word
is a changed number; a vague or pronoun-like one never is."""

from __future__ import annotations

import pytest

from cleaners.config import PipelineConfig
from cleaners.judge import filter_pairs
from cleaners.numerals import compare, compare_both, word_number_values

_CHANGED = [
    ("Он прожил двадцать пять лет в Москве.", "He lived in Moscow for twenty-six years."),
    ("В деревне живут три семьи.", "Four families live in the village."),
    ("Пятьсот человек пришли на митинг.", "Fifty people came to the rally."),
    ("Он выиграл второй раз.", "He won for the third time."),
    ("Около сорока процентов опрошенных против.", "About 14 percent of respondents are against."),
    ("Он прожил 25 лет в Москве.", "He lived in Moscow for twenty-six years."),
    ("Это стоило двух с половиной миллионов рублей.", "It cost three million roubles."),
]
_RIGHT = [
    (
        "Около сорока процентов опрошенных против.",
        "About forty percent of respondents are against.",
    ),
    ("Пятьсот человек пришли на митинг.", "Five hundred people came to the rally."),
    ("Одна из машин сгорела.", "One of the cars burned down."),
    ("Тысячи людей вышли на улицы.", "Thousands of people took to the streets."),
    ("Он прожил двадцать пять лет в Москве.", "He lived in Moscow for 25 years."),
    ("Сначала он отказался, потом согласился.", "At first he refused, then agreed."),
    ("В первую очередь нужно помочь двум детям.", "First of all, two children need help."),
    ("Оба брата пришли.", "Both brothers came."),
    ("Пара друзей помогла ему.", "A couple of friends helped him."),
    ("Прошло полтора года.", "A year and a half passed."),
    ("Однажды он пришёл домой.", "One day he came home."),
    ("Сотни людей ждали три часа.", "Hundreds of people waited for three hours."),
    ("Это тот, кто пришёл вторым.", "He is the one who came second."),
    ("За последние двадцать лет.", "Over the past two decades."),
    ("Подожди секунду, я приду к трём.", "Wait a second, I will come at three."),
    ("Будь здесь к половине третьего.", "Be here by 2:30."),
    ("Он потерял две тысячи рублей.", "He lost 2,000 roubles."),
    ("В две тысячи тринадцатом году.", "In 2013."),
    ("Сто пять человек.", "A hundred and five people."),
]


def test_a_number_word_left_out_alone_counts_for_nothing() -> None:
    # Translators drop or reword number words in right pairs ("на четырёх конечностях" ↔
    # "knuckle walking"): only a number changed on both sides is evidence.
    check = compare("Он ходит на четырёх лапах по саду.", "He walks on all fours in the garden.")
    assert (check.ru_missing, check.en_missing) == (0, 0)


def test_filter_rejects_changed_number_words_and_keeps_right_ones() -> None:
    out = filter_pairs(_CHANGED[:5] + _RIGHT[:5], PipelineConfig())
    assert [r.keep for r in out[:5]] == [False] * 5, [r.reasons for r in out[:5]]
    assert all(r.keep for r in out[5:]), [(r.reasons, r.adequacy) for r in out[5:]]


def test_compounds_read_whole_in_every_case_form() -> None:
    values = [n.value for n in word_number_values(
        "двадцати пяти, сорока, трёхсот, второго, twenty-six, a hundred and five, "
        "three thousand, two and a half million, двух с половиной миллионов, две тысячи"
    )]  # fmt: skip
    assert values == [25, 40, 300, 2, 26, 105, 3000, 2.5e6, 2.5e6, 2000]


def test_words_that_only_look_like_numbers_are_none() -> None:
    assert word_number_values("семья, вторник, однако, трибуна, пятница, вторжение") == []
    assert not any(n.firm for n in word_number_values("one of them, одна из, at first, тысячи"))


def test_the_bench_changes_one_number_word_to_another_value() -> None:
    import random

    from bench_modules import load_bench

    change = load_bench("filters").change_number_word
    ru, en = "В деревне живут три семьи.", "Three families live in the village."
    got = change(ru, en, random.Random(1))
    assert got is not None and got != (ru, en)
    check = compare(*got)
    assert check.ru_missing and check.en_missing, got
    assert (
        change("Семья живёт в деревне.", "A family lives in the village.", random.Random(1)) is None
    )


# Halves of a magnitude, tens and dozens, fractions and adjectives built on a number: read like
# any number word, in their case forms and compounds.
_CHANGED_MORE = [
    ("Бюджет вырос на полмиллиарда рублей.", "The budget grew by half a million roubles."),
    ("Проект стоил полтриллиона.", "The project cost half a billion."),
    ("В забеге участвовали два десятка бегунов.", "Three dozen runners took part in the race."),
    ("Около трёх десятков домов сгорели.", "About fifty houses burned down."),
    ("Треть жителей уехала.", "A quarter of the residents left."),
    ("Четверти опрошенных это нравится.", "A third of those polled like it."),
    ("Две трети жителей уехали.", "Three quarters of the residents left."),
    ("Он подписал пятилетний контракт.", "He signed a six-year contract."),
    ("Жили в двухэтажном доме.", "They lived in a three-storey house."),
    ("Продажи выросли в трёхкратном размере.", "Sales grew fourfold."),
    ("Это двадцатипятиметровый бассейн.", "It is a fifty-metre pool."),
    # a number word written twice is there twice
    ("У него два сына и три дочери.", "He has two sons and two daughters."),
    ("Мы ждали с двух до двух часов.", "We waited from two to five o'clock."),
]
_RIGHT_MORE = [
    ("Бюджет вырос на полмиллиарда рублей.", "The budget grew by half a billion roubles."),
    ("Бюджет вырос на полмиллиарда рублей.", "The budget grew by 500 million roubles."),
    ("Собралось полтысячи человек.", "Five hundred people gathered."),
    ("В забеге участвовали два десятка бегунов.", "Two dozen runners took part in the race."),
    ("В забеге участвовали два десятка бегунов.", "Some 20 runners took part in the race."),
    ("Около десятка стран поддержали план.", "About a dozen countries backed the plan."),
    ("Десятки людей пришли.", "Dozens of people came."),
    ("Треть жителей уехала.", "A third of the residents left."),
    ("Треть жителей уехала.", "33% of the residents left."),
    ("Две трети жителей уехали.", "Two-thirds of the residents left."),
    ("Четверть века назад.", "A quarter of a century ago."),
    ("Он пришёл в третий раз.", "He came for a third time."),
    ("В первом квартале прибыль выросла.", "Profit grew in the first quarter."),
    ("Он подписал пятилетний контракт.", "He signed a five-year contract."),
    ("Он подписал 5-летний контракт.", "He signed a five-year contract."),
    ("Жили в двухэтажном доме.", "They lived in a two-storey house."),
    ("Продажи выросли в трёхкратном размере.", "Sales grew threefold."),
    ("Семинар прошёл в Семипалатинске.", "The seminar was held in Semipalatinsk."),
    ("У него два сына и две дочери.", "He has two sons and two daughters."),
    ("Дважды два сына.", "Two sons, twice."),
]


@pytest.mark.parametrize(("ru", "en"), _CHANGED + _CHANGED_MORE)
def test_a_changed_number_word_is_a_changed_number(ru: str, en: str) -> None:
    # (halves, groups, fractions and number adjectives too)
    check = compare(ru, en)
    assert check.ru_missing and check.en_missing, check


@pytest.mark.parametrize(("ru", "en"), _RIGHT + _RIGHT_MORE)
def test_the_same_number_in_any_form_or_a_vague_word_is_no_mismatch(ru: str, en: str) -> None:
    check = compare(ru, en)
    assert (check.ru_missing, check.en_missing) == (0, 0), check


# A translator converts between units (either side may carry the other unit); a number that is
# the other's converted is no change, but another number still is.
_CONVERTED = [
    (
        "Расстояние от Лондона до Оксфорда составляет около 60 миль.",
        "The distance from London to Oxford is about 97 km.",
    ),
    ("Рыба весила 10 фунтов.", "The fish weighed 4.5 kg."),
    ("Держитесь на расстоянии шести футов.", "Keep a distance of 1.8 metres."),
    ("Вода нагрелась до 40 градусов по Цельсию.", "The water heated to 104 degrees Fahrenheit."),
    ("У ребёнка температура тридцать девять.", "The child has a fever of a hundred and two."),
]
_NOT_CONVERTED = [
    ("До города 30 миль.", "The town is 97 km away."),
    ("Вода нагрелась до 40 градусов по Цельсию.", "The water heated to 140 degrees Fahrenheit."),
    ("До города 60 километров.", "The town is 97 km away."),
]


@pytest.mark.parametrize(("ru", "en"), _CONVERTED)
def test_a_number_converted_between_units_is_no_change(ru: str, en: str) -> None:
    check = compare(ru, en)
    assert (check.ru_missing, check.en_missing) == (0, 0), check


@pytest.mark.parametrize(("ru", "en"), _NOT_CONVERTED)
def test_a_number_no_conversion_explains_is_a_change(ru: str, en: str) -> None:
    check = compare(ru, en)
    assert check.ru_missing and check.en_missing, check


def test_filter_keeps_a_conversion_and_rejects_a_changed_fraction() -> None:
    pairs = [_CONVERTED[0], _CONVERTED[-1], _CHANGED_MORE[4], _RIGHT_MORE[7]]
    out = filter_pairs(pairs, PipelineConfig())
    assert [r.keep for r in out] == [True, True, False, True], [r.reasons for r in out]
    assert "number-mismatch" in out[2].reasons


def test_a_digit_number_converted_is_matched_for_the_adequacy_features_too() -> None:
    # Digits only: the converted number is the other side's, so the model sees no change.
    digits, _ = compare_both(*_CONVERTED[0])
    assert tuple(digits) == (1, 0, 0)
    assert compare(*_CONVERTED[0], words=False) == digits


def test_words_of_halves_groups_and_fractions_read_in_case_forms() -> None:
    values = [n.value for n in word_number_values(
        "полмиллиона, пол-, полсотни, двум десяткам, трёх дюжин, half a dozen, двух третей, "
        "трёхсотлетнего, полуторамиллионный, тысячелетнюю, tenfold"
    )]  # fmt: skip
    assert values == [5e5, 50, 20, 36, 6, 0.667, 300, 1.5e6, 1000, 10]
