"""Russian→Latin transliteration and the name keys the aligner matches names with."""

from __future__ import annotations

import pytest

from cleaners.translit import name_key, transliterate


@pytest.mark.parametrize(
    ("ru", "en"),
    [
        ("Токаев", "Tokayev"),
        ("Токаеву", "Tokayev"),
        ("Алиев", "Aliyev"),
        ("Новороссийск", "Novorossiysk"),
        ("Зеленский", "Zelensky"),
        ("Шольц", "Scholz"),
        ("Путина", "Putin"),
        ("Россия", "Russia"),
        ("Семиларски", "Semilarski"),
        ("Астане", "Astana"),
        ("НАТО", "NATO"),
    ],
)
def test_spellings_of_one_name_share_a_key(ru: str, en: str) -> None:
    assert name_key(ru) == name_key(en) != ""


@pytest.mark.parametrize(
    ("a", "b"),
    [("Москва", "Paris"), ("Токаев", "Turkey"), ("Алиев", "Lavrov"), ("Путин", "Biden")],
)
def test_different_names_differ(a: str, b: str) -> None:
    assert name_key(a) != name_key(b)


def test_short_words_have_no_key() -> None:
    assert name_key("Ли") == "" and name_key("US") == ""


def test_transliterate_keeps_case_and_other_characters() -> None:
    assert transliterate("Щёлково, 5 км — Yandex") == "Shchyolkovo, 5 km — Yandex"
    assert transliterate("ЖУК") == "ZhUK"
