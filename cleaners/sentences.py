"""Sentence splitting for Russian and English.

razdel does both languages well (it knows «…» quotes, Russian abbreviations and initials); on
English it ends sentences after a few abbreviations it does not know (``Jan. 5``, ``St. Louis``),
so a reviewable list in ``data/en_abbreviations.txt`` glues those back. On Russian it cuts after
some titles before a name (``ген. Петров``) and after month or reference abbreviations before a
number (``5 янв. 2020``); ``data/ru_abbreviations.txt`` glues those. Line breaks are hard
boundaries: the structure stage has already cut paragraphs, and a sentence never spans two.
``bench/align.py`` measures the splitter on the dev sets (boundary recall on joined lines).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from importlib import resources

from razdel import sentenize

# "Jan." / "St." at the end of a piece: the word before the final dot.
_LAST_WORD = re.compile(r"(?:^|[\s(\[«\"“])([A-Za-z]+)\.$")
# A following piece that continues an abbreviation: starts with a capital or a digit.
_CONTINUES = re.compile(r"^[A-Z0-9]")


# razdel ends a Russian sentence at "долл." before "США" ("от 11 000 до 22 500 долл. США за
# унцию"): in news that is the currency's name, and the cut leaves a "США за унцию…" sentence
# that the aligner must merge back or leave alone.
_RU_CUT_CURRENCY = re.compile(r"(?:^|[\s(«\"“])долл\.$")
_RU_COUNTRY = re.compile(r"^США(?!\w)")
# "ген." / "ген.-лейт." at the end of a piece (compound titles keep their inner dot and hyphen).
_RU_LAST_WORD = re.compile(r"(?:^|[\s(\[«\"“])([А-Яа-яЁё]+(?:\.?-[А-Яа-яЁё]+)*)\.$")
# A following piece that continues an abbreviation: a capitalised name or a number. razdel
# itself never cuts before a lowercase word.
_RU_CONTINUES = re.compile(r"^[А-ЯЁA-Z0-9]")

# A temperature's unit ends a sentence: razdel reads "°C." before a capital as an initial
# ("+17 °C. Small rains will fall" stayed one sentence, and its Russian's two beads took the
# wrong English). A degree sign (or the º and ˚ written for it), an optional space, C, F or K
# (Latin, or the Cyrillic С), the dot, then a capital letter or an opening quote.
_DEGREE_END = re.compile(r"(?<=\d)\s?[°º˚]\s?[CFKС]\.(?=\s+[«\"“(]?[A-ZА-ЯЁ])")
# A compound unit after a number ends a sentence too: razdel reads the "ч." of "150 км/ч."
# and the "с." of "2-7 м/с." as abbreviations (час, секунда) and ran the next sentence in
# (a Ukrainian sentence after "км/ч." joined its Russian one's bead, which the filter then
# rejected). The unit is written with no dot of its own, so the dot before a capital ends.
_UNIT_END = re.compile(r"(?<=\d)\s?[^\W\d_]{1,5}/[^\W\d_]{1,5}\.(?=\s+[«\"“(]?[A-ZА-ЯЁЄІЇҐЎ])")


def _glue(pieces: list[str], joins: Callable[[str, str], bool]) -> list[str]:
    """Join each piece to the one before it where ``joins(before, piece)``: a cut razdel
    made that the language's rules below undo."""
    out: list[str] = []
    for piece in pieces:
        if out and joins(out[-1], piece):
            out[-1] = f"{out[-1]} {piece}"
        else:
            out.append(piece)
    return out


def _ru_joins(before: str, piece: str) -> bool:
    """Whether razdel cut between "долл." and "США", or after a Russian title or a month/reference
    abbreviation from the list (a title before a capitalised name, the others before a number)."""
    if _RU_COUNTRY.match(piece) is not None and _RU_CUT_CURRENCY.search(before) is not None:
        return True
    if not _RU_CONTINUES.match(piece):
        return False
    m = _RU_LAST_WORD.search(before)
    numbers_only = _abbreviations("ru").get(m.group(1).lower()) if m else None
    return numbers_only is not None and (not numbers_only or piece[0].isdigit())


@lru_cache(maxsize=2)
def _abbreviations(lang: str) -> dict[str, bool]:
    """Abbreviation → whether it glues only before a number (``data/{lang}_abbreviations.txt``)."""
    path = f"data/{lang}_abbreviations.txt"
    text = resources.files("cleaners").joinpath(path).read_text("utf-8")
    out: dict[str, bool] = {}
    for line in text.splitlines():
        parts = line.split()
        if parts and not parts[0].startswith("#"):
            out[parts[0].lower()] = parts[1:] == ["0"]
    return out


def _en_joins(before: str, piece: str) -> bool:
    """Whether razdel cut after a known English abbreviation."""
    if not _CONTINUES.match(piece):
        return False
    m = _LAST_WORD.search(before)
    numbers_only = _abbreviations("en").get(m.group(1).lower()) if m else None
    return numbers_only is not None and (not numbers_only or piece[0].isdigit())


def _split_after(piece: str, end: re.Pattern[str]) -> list[str]:
    """``piece`` cut after each match of ``end`` (a unit that ends a sentence).

    >>> _split_after("It will be +17 °C. Rain will fall.", _DEGREE_END)
    ['It will be +17 °C.', 'Rain will fall.']
    >>> _split_after("Ветер 2-7 м/с. Давление 750 мм.", _UNIT_END)
    ['Ветер 2-7 м/с.', 'Давление 750 мм.']
    """
    out, start = [], 0
    for m in end.finditer(piece):
        out.append(piece[start : m.end()].strip())
        start = m.end()
    out.append(piece[start:].strip())
    return [p for p in out if p]


def split_sentences(text: str, lang: str) -> list[str]:
    """Split ``text`` into sentences, stripped, in order; empty text gives ``[]``.

    Line breaks always end a sentence. ``lang`` is an ISO 639-1 code; languages other than
    ``ru`` and ``en`` get razdel's rules, which are generic enough for European text.

    >>> split_sentences("Токаев встретился с Алиевым. Они подписали документ.", "ru")
    ['Токаев встретился с Алиевым.', 'Они подписали документ.']
    >>> split_sentences("He arrived on Jan. 5 in St. Louis. It rained.", "en")
    ['He arrived on Jan. 5 in St. Louis.', 'It rained.']
    >>> split_sentences("  \\n ", "en")
    []
    """
    sentences: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        pieces = [s.text.strip() for s in sentenize(line)]
        if "°" in line or "º" in line or "˚" in line:  # most lines hold no degree sign
            pieces = [p for piece in pieces for p in _split_after(piece, _DEGREE_END)]
        if "/" in line:
            pieces = [p for piece in pieces for p in _split_after(piece, _UNIT_END)]
        pieces = [p for p in pieces if p]
        if lang == "en":
            pieces = _glue(pieces, _en_joins)
        elif lang == "ru":
            pieces = _glue(pieces, _ru_joins)
        sentences.extend(pieces)
    return sentences
