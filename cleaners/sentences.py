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

# razdel keeps a few of its abbreviations whole before any word, though they are also ordinary
# words that end sentences: "нем." (немецкий; the pronoun in "в память о нем. Министр…"),
# "им." (имени; "Я горжусь им."), "пол." (половина; "на пол."), "гор.", "тел.", "ум."... Two
# contexts make such a dot an end before a capital. A preposition the word follows only as a
# pronoun or a noun ("о нем", "на пол", "за ум"); the abbreviations never follow these. Or a
# next word of a closed class that starts sentences and never names ("Он", "В", "Однако"),
# not written as an initial ("им. В. Маяковского").
_RU_WORD_DOT = re.compile(
    r"(?<![\w.-])(?:(?P<prep>[^\W\d_]+)\s+)?(?P<word>[^\W\d_]+)\.(?=\s+[«\"“(]?(?P<next>[^\W\d_]+)(?P<dot>\.?))"
)
_RU_PREPOSITIONS = {
    "нем": frozenset({"о", "обо", "в", "во", "на", "при"}),
    "пол": frozenset({"на", "под", "в", "во", "за"}),
    "ум": frozenset({"в", "во", "на", "за", "про"}),
}
_RU_AMBIGUOUS = frozenset({"нем", "им", "гор", "пол", "тел", "ум", "кит", "ком", "араб", "зам"})
_RU_STARTER_WORDS = """он она оно они я мы ты вы это этот эта эти тот та те все всё его ее её их
    ему ей им нам мне там тут здесь но и а или однако если когда хотя поэтому также тогда
    затем потом так как ведь зато впрочем в во на по с со к ко у о об из от до за для при
    под над без через после перед между про среди не ни уже еще ещё лишь только даже вот"""
_RU_STARTERS = frozenset(_RU_STARTER_WORDS.split())
_RU_CAPITAL = re.compile(r"[А-ЯЁЄІЇҐЎ]")


def _ru_word_ends(piece: str) -> list[str]:
    """``piece`` cut after each of razdel's ambiguous abbreviations that the context shows is
    a word ending its sentence (see ``_RU_WORD_DOT``).

    >>> _ru_word_ends("Мероприятия в память о нем. Министр заявил.")
    ['Мероприятия в память о нем.', 'Министр заявил.']
    >>> _ru_word_ends("МГУ им. Ломоносова. Театр им. В. Маяковского.")
    ['МГУ им. Ломоносова. Театр им. В. Маяковского.']
    """
    out, start = [], 0
    for m in _RU_WORD_DOT.finditer(piece):
        word, nxt = m["word"].lower(), m["next"]
        if word not in _RU_AMBIGUOUS or not _RU_CAPITAL.match(nxt):
            continue
        prep = (m["prep"] or "").lower()
        if prep in _RU_PREPOSITIONS.get(word, ()) or (nxt.lower() in _RU_STARTERS and not m["dot"]):
            out.append(piece[start : m.end()].strip())
            start = m.end()
    out.append(piece[start:].strip())
    return [p for p in out if p]


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
            pieces = [p for piece in pieces for p in _ru_word_ends(piece)]
            pieces = _glue(pieces, _ru_joins)
        sentences.extend(pieces)
    return sentences
