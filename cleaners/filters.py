"""Pair filters, OpusFilter's way: each has ``score(pair)`` and ``accept(score)``.

A score is a number saved or tuned without rescoring; the decision compares it with a
threshold from ``config.filters``. A pair rejected by a filter carries the filter's name as
its reason (``misaligned``, ``number-mismatch``, ...). The run-wide ``duplicate`` and
``near-duplicate`` filters live in :mod:`cleaners.dedup` (they need every earlier pair), and
``not-parallel`` in :mod:`cleaners.judge` (it needs the whole document).

The first three (``too-short``, ``too-long``, ``boilerplate``, :data:`CHEAP`) read the text
alone. A pair one of them rejects is judged no further: its reasons are theirs only (an empty
side upsets the length ratio and the adequacy too, which would only repeat the cause), and
``mtclean filter`` does not compute its adequacy (a 10 MB side would cost seconds and hundreds
of MB for a pair already rejected).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import NamedTuple, Protocol

from cleaners.adequacy import Signals, ends_sentence, log_ratio
from cleaners.config import FiltersConfig
from cleaners.leftout import CYRILLIC_LANGS
from cleaners.structure import match_chrome
from cleaners.translit import transliterate

_LETTER = re.compile(r"[^\W\d_]")
_NOT_LETTER = re.compile(r"[\W\d_]+")

# Filters that read the text alone (no signals, no adequacy): checked first.
CHEAP = ("too-short", "too-long", "boilerplate")


class Candidate(NamedTuple):
    """One pair to judge: its text, its signals and its adequacy (``None`` and NaN for a
    pair only the :data:`CHEAP` filters see)."""

    ru: str
    en: str
    signals: Signals | None
    adequacy: float


def letters(text: str) -> int:
    """How many letters ``text`` holds (combining marks, digits, punctuation not counted).

    >>> letters("дыши́те, 2 раза!"), letters(" 12 ")
    (10, 0)
    """
    return len(_NOT_LETTER.sub("", text))


class PairFilter(Protocol):
    name: str

    def score(self, c: Candidate) -> float: ...

    def accept(self, score: float) -> bool: ...


class TooShort:
    """Fewest letters on either side; accepted from ``min_letters`` up."""

    name = "too-short"

    def __init__(self, cfg: FiltersConfig) -> None:
        self.min = cfg.min_letters

    def score(self, c: Candidate) -> float:
        return float(min(letters(c.ru), letters(c.en)))

    def accept(self, score: float) -> bool:
        return score >= self.min


class TooLong:
    """Most characters on either side; accepted up to ``max_chars``."""

    name = "too-long"

    def __init__(self, cfg: FiltersConfig) -> None:
        self.max = cfg.max_chars

    def score(self, c: Candidate) -> float:
        return float(max(len(c.ru), len(c.en)))

    def accept(self, score: float) -> bool:
        return score <= self.max


class Boilerplate:
    """1 when either side is site chrome (data/boilerplate.tsv), :data:`NO_LETTER` when one
    has no letter at all (and none is chrome), else 0."""

    name = "boilerplate"

    def __init__(self, cfg: FiltersConfig) -> None:
        pass

    def score(self, c: Candidate) -> float:
        out = 0.0
        for text, lang in ((c.ru, "ru"), (c.en, "en")):
            if not _LETTER.search(text):  # also a separator line (`***`, `—`): one cause
                out = NO_LETTER
                continue
            rule = match_chrome(text.strip(), lang)
            if rule is not None and rule.kind == "boilerplate":
                return 1.0
        return out

    def accept(self, score: float) -> bool:
        return score < 0.5


NO_LETTER = 0.75  # Boilerplate's score for a side with no letter (too-short names that first)

# Lowercase Russian words (no names) and the English side's words, for transliterated copies.
_RU_COMMON = re.compile(r"(?<![\w-])[а-яё]{3,}(?![\w-])")
_EN_WORD = re.compile(r"[A-Za-z']{3,}")
_SPELLING = str.maketrans({"y": "i", "j": "i", "w": "v", "'": None, "c": "k", "q": "k"})


def _spelling(word: str) -> str:
    """A Latin spelling folded so that transliteration schemes meet (novyy/novyi,
    khorosho/horosho, pravitel'stvo/pravitelstvo); doubled letters written once."""
    s = transliterate(word.lower()).replace("kh", "h").translate(_SPELLING)
    return re.sub(r"(.)\1+", r"\1", s)


def transliterated_share(ru: str, en: str) -> float:
    """The share of the Russian side's lowercase words (3+ letters; names are capitalised)
    that the English side holds transliterated: Russian typed in Latin letters is no
    translation. 0 with fewer than three such words.

    >>> transliterated_share("Правительство приняло новый закон.",
    ...                      "Pravitelstvo prinyalo novyi zakon.")
    1.0
    >>> transliterated_share("Токаев встретился с Алиевым в Баку.", "Tokayev met Aliyev in Baku.")
    0.0
    """
    words = _RU_COMMON.findall(ru)
    if len(words) < 3:
        return 0.0
    latin = {_spelling(w) for w in _EN_WORD.findall(en)}
    return round(sum(_spelling(w) in latin for w in words) / len(words), 4)


class Untranslated:
    """How sure it is that one side is a copy of the other or the source left in place:
    the English side detected Russian (or the Russian side English) with its score, or the
    share of words copied verbatim."""

    name = "untranslated"

    def __init__(self, cfg: FiltersConfig) -> None:
        self.sure = cfg.lang_sure
        self.copied = cfg.copied_share

    def score(self, c: Candidate) -> float:
        s = c.signals
        out = 0.0
        # An English side confidently in another Cyrillic language (Ukrainian) is a third
        # language, wrong-language's cause, not Russian left in place (unless copied).
        third = s.en_lang in CYRILLIC_LANGS and s.en_lang != "ru" and s.en_lang_score >= self.sure
        cyrillic = s.en_latin < 0.5 and not third
        if s.en_lang == "ru" or (cyrillic and s.en_lang not in ("en", "und")):
            out = max(out, s.en_lang_score if s.en_lang == "ru" else 1.0 - s.en_latin)
        if s.ru_lang == "en":
            out = max(out, s.ru_lang_score)
        if min(s.ru_words, s.en_words) >= 3 and s.copied >= self.copied:
            out = max(out, 1.0)
        # The Russian typed in Latin letters ("Pravitelstvo prinyalo novyi zakon"): its words
        # read as transliterated names to the adequacy, but it is the source, untranslated.
        if s.en_latin > 0.5 and transliterated_share(c.ru, c.en) >= self.copied:
            out = max(out, 1.0)
        # An English side mostly in Cyrillic is Russian left untranslated, whatever LID says
        # about a short one.
        if cyrillic:
            out = max(out, 1.0 - s.en_latin)
        if s.ru_cyrillic < 0.5 and s.en_latin > 0.5 and s.ru_lang in ("en", "und"):
            out = max(out, 1.0 - s.ru_cyrillic)
        return round(out, 4)

    def accept(self, score: float) -> bool:
        return score < self.sure


class WrongLanguage:
    """How sure it is that a side is in a third language (Ukrainian for Russian, German for
    English): the detector's score for that language, 0 when the side is ru/en/und."""

    name = "wrong-language"

    def __init__(self, cfg: FiltersConfig) -> None:
        self.sure = cfg.lang_sure

    def score(self, c: Candidate) -> float:
        s = c.signals
        out = 0.0
        if s.ru_lang not in ("ru", "en", "und"):
            out = max(out, s.ru_lang_score)
        if s.en_lang not in ("ru", "en", "und"):
            out = max(out, s.en_lang_score)
        return out

    def accept(self, score: float) -> bool:
        return score < self.sure


class LengthRatio:
    """How many times longer one side is than expected (1 = as expected)."""

    name = "length-ratio"

    def __init__(self, cfg: FiltersConfig) -> None:
        self.max = cfg.max_length_ratio

    def score(self, c: Candidate) -> float:
        return round(math.exp(abs(log_ratio(c.signals))), 4)

    def accept(self, score: float) -> bool:
        return score <= self.max


class NumberMismatch:
    """Numbers on one side only (number words excusing one each, a number converted between
    units none: "60 миль" ↔ "97 km"); a number changed (one missing on each side, digits or
    exact number words: "три семьи" ↔ "four families") scores above any threshold."""

    name = "number-mismatch"

    def __init__(self, cfg: FiltersConfig) -> None:
        self.max = cfg.max_numbers_missing

    def score(self, c: Candidate) -> float:
        s = c.signals
        # Number words ("три семьи" ↔ "four families", "сорока" ↔ "14") and unit conversions
        # read too, which the adequacy model's digit counts leave out.
        if s.ru_numbers_lacking and s.en_numbers_lacking:
            return 99.0
        return float(s.ru_numbers_lacking + s.en_numbers_lacking)

    def accept(self, score: float) -> bool:
        return score <= self.max


class Truncated:
    """One side stops mid-way and is shorter than expected: how many times longer the other
    side is (0 when neither stops mid-way or the side that stops is the longer one).

    A side stops mid-way when the other ends a sentence and it does not, or when its last
    word is one no sentence ends on, whatever punctuation follows ("... because I.", "... а.";
    :func:`cleaners.adequacy.ends_cut`).
    """

    name = "truncated"

    def __init__(self, cfg: FiltersConfig) -> None:
        self.max = cfg.truncated_ratio
        self.mark_below = cfg.truncated_mark_below

    def score(self, c: Candidate) -> float:
        s = c.signals
        ratio = log_ratio(s)  # > 0: the English is longer than expected
        # A missing end mark alone says little of a pair that translates well.
        mark = s.end_mismatch and c.adequacy < self.mark_below
        # Both sides stopping on such a word ("..., а также" ↔ "..., and": a list item) agree.
        en_stops = (mark and not ends_sentence(c.en)) or (s.en_cut and not s.ru_cut)
        ru_stops = (mark and ends_sentence(c.en)) or (s.ru_cut and not s.en_cut)
        # The side that stops mid-way must be the short one: a Russian title without a full
        # stop beside a shorter English sentence is not truncated.
        if (en_stops and ratio < 0) or (ru_stops and ratio > 0):
            return round(math.exp(abs(ratio)), 4)
        return 0.0

    def accept(self, score: float) -> bool:
        return score <= self.max


class Misaligned:
    """The adequacy score itself; accepted from ``min_adequacy`` up."""

    name = "misaligned"

    def __init__(self, cfg: FiltersConfig) -> None:
        self.min = cfg.min_adequacy

    def score(self, c: Candidate) -> float:
        return c.adequacy

    def accept(self, score: float) -> bool:
        return score >= self.min


# Checked in this order; a pair gets every reason that applies.
FILTERS: tuple[type, ...] = (
    TooShort,
    TooLong,
    Boilerplate,
    Untranslated,
    WrongLanguage,
    LengthRatio,
    NumberMismatch,
    Truncated,
    Misaligned,
)


def build_filters(cfg: FiltersConfig | None = None) -> list[PairFilter]:
    """The enabled filters of ``cfg``, in order."""
    cfg = cfg or FiltersConfig()
    return [f(cfg) for f in FILTERS if cfg.on(f.name)]


def reasons(c: Candidate, filters: Sequence[PairFilter]) -> tuple[str, ...]:
    """Names of the filters that reject ``c`` (empty: keep). A pair a :data:`CHEAP` filter
    rejects gets only their names (``c.signals`` may then be ``None``); a side with no letter
    is ``too-short`` alone when it is empty, else ``boilerplate`` alone.

    >>> from cleaners.adequacy import signals
    >>> s = signals("110 стран подписали договор.", "10 countries signed the treaty.")
    >>> reasons(Candidate("110 стран подписали договор.", "10 countries signed the treaty.",
    ...                   s, 0.9), build_filters())
    ('number-mismatch',)
    >>> reasons(Candidate("", "He came home.", s, 0.0), build_filters())
    ('too-short',)
    >>> reasons(Candidate("12:18 — 2023", "12:18 - 2023", s, 0.0), build_filters())
    ('boilerplate',)
    >>> reasons(Candidate("* * *", "He came home.", s, 0.0), build_filters())
    ('boilerplate',)
    """
    rejected: dict[str, float] = {}
    for f in filters:
        if f.name not in CHEAP:
            continue
        score = f.score(c)
        if not f.accept(score):
            rejected[f.name] = score
    if rejected:
        # A side without a letter is one cause: too short when it is empty, boilerplate
        # when it holds something else (a time, a number, symbols).
        if "too-short" in rejected and rejected.get("boilerplate") == NO_LETTER:
            del rejected["boilerplate" if not (c.ru.strip() and c.en.strip()) else "too-short"]
        return tuple(rejected)
    if c.signals is None:
        return ()
    out = [f.name for f in filters if f.name not in CHEAP and not f.accept(f.score(c))]
    # One cause, one name: a copied or third-language side also upsets the length and
    # adequacy, which would only repeat it.
    if "untranslated" in out or "wrong-language" in out:
        out = [r for r in out if r not in ("misaligned", "length-ratio", "truncated")]
    return tuple(out)
