"""``cleaners.numbers.compare``: digit numbers matched across the sides of a pair."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners.numbers import NumberCheck, _unexcused, compare, digit_numbers


def _first_fit(ru: str, en: str) -> NumberCheck:
    """The matching as specified: each Russian number, in order, takes the first unused
    English number that may stand for one of its values."""
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
    return NumberCheck(matched, _unexcused(ru_left, en), _unexcused(en_left, ru))


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
