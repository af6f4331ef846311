"""Sentence alignment of a Russian source and its English translation.

A dynamic program over 1-1, 1-0, 0-1, 2-1, 1-2, 2-2, 3-1 and 1-3 beads (and 3-2, 2-3, 4-1,
1-4, 3-3 for literary text). A bead's cost adds

- a prior per bead type (merges and drops are rarer than 1-1),
- Gale-Church's length cost (English length ~ c · Russian length, variance ∝ length),
- MT-free anchors: numbers, names matched through transliteration (``Токаев`` ↔ ``Tokayev``),
  Latin words inside the Russian, months/weekdays/magnitudes from a small table
  (``data/ru_en_anchor_words.tsv``), question/exclamation marks and quotes — a Dice
  similarity between the bead's two sides rewards the bead, and each number found on one
  side only costs a little,
- with ``ru_mt`` (the retranslated Russian, index by index), a Dice similarity of content
  words between the retranslation and the English (Bleualign's idea),
- for a language pair with a word table (``cleaners.lexsim``), its coverage score: each of the
  bead's sentences earns the share of its content keys the bead's other side translates, less
  what unrelated sentences would cover (``lexical_score="coverage"``, and ``"auto"`` for two
  languages in one script, where each content word also brings an accent-folded prefix key
  that matches its cognates, an unknown German compound its known parts' keys, and Roman
  numerals count as numbers; the block levels, and ``lexical_score="dice"`` — ``"auto"``
  between two scripts — use one Dice overlap per bead, which rewards cutting a bead in two),
- with a word table, at the sentence level, a little per side of a two-sided bead whose last
  sentence ends in a comma, semicolon or colon (a sentence cut there more often runs on into
  the next bead's: a lead-in and its list, a clause a splitter cut off, belong in one bead).

The program runs in a band, row by row with numpy, so memory and time grow linearly with the
document. Short documents (≤ 300 sentences a side) centre the band on the diagonal; longer
ones first align blocks of sentences and centre the band on that rough path, so a one-sided
gap of hundreds of sentences (a page of comments, a lost section) stays inside it. When the
best path still touches the band's edge the band is widened and the program run again from
the first row that changed; so too where a run of 0-1 beads lies in one row and the rows beside
it leave its columns out (the same run a bead earlier or later: a block path may spread a book's
captions over several rows, and its band lose the best path without touching an edge).
Sentences are read once a side (one regex scan, numpy bags).
60,000 sentences a side align in about five CPU seconds here. ``method="gale-church"`` is the
textbook length-only aligner, kept as a named baseline for ``bench/align.py``.

Between two languages in one script (a scanned bilingual book's), a page's running header and
page numbers left inside a sentence are taken out of its costs (``_without_furniture``), and a
page number on a line of its own is dropped as cheaply as debris without a content word.

With the coverage score, the prior of the beads past 2-2 is refitted to the document once:
where the first path holds many more of them than the prior expects (a literary translator's
regroupings), the search runs again with their prior raised towards the share found
(``_refit_big_prior``). In such a document the path's 1-0 / 0-1 beads get a second look
(SentAlign's idea, ``_recheck_skips``): a skipped sentence that translates words of a
neighbouring bead's other side which nothing in that bead translated joins that bead.

The prior of 1-0 / 0-1 beads is raised the same way in a document that leaves many sentences
out (``_refit_skip_prior``): a clean translation leaves out nothing, a scraped page many.

Bead scores are kept separate from decisions: every sentence is in exactly one bead, and the
score (0..1, higher is better) lets a threshold filter later.
"""

from __future__ import annotations

import math
import re
import unicodedata
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import numpy as np

from cleaners import langev, lexsim
from cleaners.config import AlignConfig
from cleaners.langev import RUSSIAN_LETTERS
from cleaners.memory import BIG, release
from cleaners.model import Bead
from cleaners.numerals import roman
from cleaners.translit import name_key

# (ru sentences, en sentences) per bead; index = back-pointer code. 3-1 / 1-3 are rare in
# ru–en news but real in literary text (Text+Berg dev: strict F1 .80 → .82 with them).
MOVES: tuple[tuple[int, int], ...] = (
    (1, 1),
    (1, 0),
    (0, 1),
    (2, 1),
    (1, 2),
    (2, 2),
    (3, 1),
    (1, 3),
    (3, 2),
    (2, 3),
    (4, 1),
    (1, 4),
    # A translator's regrouping of three sentences into three (Text+Berg dev: both gold 3-3
    # beads came out as 2-2 + 1-1 or 1-2 + 2-1, which no sum of smaller moves makes right).
    (3, 3),
)
_INS = MOVES.index((0, 1))
_INF = np.inf
# The coverage score (sentence level, ``lexical_score="coverage"``): its weight as a share of
# ``lexical_weight``, what each unrelated sentence's expected coverage costs, and a cost per
# sentence pair inside a bead (keys shared by neighbouring sentences of one story make a merge
# look a little better than it is). Tuned on Text+Berg dev with WMT21 + FLORES dev (6 seeds),
# with these tables and with the stem-key tables of the lextable branch (0.15 lost Text+Berg
# held out there).
_COVER_WEIGHT = 0.6
_CHANCE_WEIGHT = 1.0
_PAIR_CHANCE = 0.1
_COVER_STEPS = 65535
_OCC_SLICE = 1 << 16  # occurrences matched at once (coverage)
_TOKEN_OCC = 1 << 16  # token occurrences counted at once (the bags)

_NUM = re.compile(r"\d+")
_WORD = re.compile(r"[^\W\d_]+")
_LATIN = re.compile(r"[A-Za-z]")
# Anchors on the two sides of a bead below which their Dice similarity is damped (one shared
# "?" says less than four shared names and numbers).
_MIN_MASS = 4.0
# Numbers on the two sides of a bead beyond which a number found on one side only costs less:
# the cost is at most ``number_miss_weight`` × this × the share missed. Counted one by one, a
# long segment's few reworded numbers outweighed everything else: one line a side holding a
# FLORES dev passage 20 times (4 of its 44 numbers reworded each time) cost more as a 1-1 than
# dropping both lines. Beads of sentences rarely reach 16 numbers: on bench/align.py's dev
# documents only Text+Berg dev moves (its whole document: 2 gold beads more, strict F1 .945 →
# .952 with the shipped table; its folds unchanged).
_NUMBER_MASS = 16.0
# What a 1-0 / 0-1 bead saves when its sentence has no content word of the word table and no
# number (a scanned page's "- _-", ".....", "* , *^" and the like are dropped, not merged
# into a neighbour's bead; Text+Berg dev: one bead more right; ru–en dev: the same F1).
_CONTENTLESS_SKIP = 2.0
# Between two languages in one script, a line with no content word whose numbers are all of
# one to three digits (a scanned page's number on a line of its own, "24 a !") saves it too
# (bench/align.py's ablation switches it off).
_PAGE_NUMBERS = True
# A sentence that ends in a comma, semicolon or colon (a lead-in to a list, a clause a splitter
# cut off) more often has the next sentence of its side in its bead than one ending in a full
# stop: on the Text+Berg dev gold such endings are 43 % of the sentences inside a bead and 10 %
# of those that end one; in the damaged news rows a part cut at a comma is nearly always
# merged. Each side of a two-sided bead whose last sentence ends so costs this much (with a
# word table: on length and anchors alone it merged wrongly, Text+Berg dev .8616 → .8601).
# Set on the Text+Berg dev folds (held-out table): every weight from 0.6 to 0.9 raises the
# strict and paper means with no fold lower, 0.7–0.9 the most, 1.0 loses two folds; the other
# dev rows held out do not move. 1-0 / 0-1 beads pay nothing: charged too, a FLORES sentence
# that ends in a comma and lost its translation was merged (bench/skip_rates.py) and the folds
# gained less. Tried beside it and dropped: a lower-case first letter (a sentence's second
# half), brackets or quote marks left open on a side of a bead, and charging only a bead whose
# one side ends open and the other closed: none gained on the folds.
_OPEN_END_COST = 0.8
_OPEN_MARKS = frozenset(",;:")
_END_TRAIL = ' \t\n\u00a0«»"“”„‘’)]'  # closing marks after the one that ends the sentence
# Russian characters' worth of weight the configured typical length ratio gets against the
# document's own (tuned on the dev sets: 1000 ≈ 7 sentences).
_RATIO_WEIGHT = 1000.0
# A document whose own ratio is this many times the typical one (either way) may be whole on one
# side only (an MT export cut off, a source with a page the other lacks): its totals then say
# nothing about its sentences' lengths, and read as a ratio they turn every 1-1 bead into a
# length mismatch (the first 10 of 60 lines against all 60: not one bead right). Such a document
# is also aligned at the typical ratio and keeps the cheaper path (the likelier ratio). Of
# bench/align.py's dev documents (WMT21, FLORES ru–en and de–fr, Text+Berg and its folds) about
# 60 of 800 reach 1.2, none changes its path: the dev figures do not move. (At 1.5 the first 40
# of 60 lines against all 60 still lost 8 of its 40 beads.)
_RATIO_DOUBT = 1.2
# ... and, with a word table, only where that path's beads whose sides translate each other
# share more words (``_sure``): an article aligned with another's English, whose totals differ
# as much, has next to no such bead on either path and keeps the first.
_SURE_SIMILARITY = 0.3
# Longer documents get a first, rough alignment of sentence blocks to centre the band on:
# blocks of ``_COARSE_FACTOR`` units, recursively, until at most ``_COARSE_UNITS`` a side are
# left for a full DP. Every level then runs in a band of constant width: time and memory stay
# linear in the document (one level of n/300-sentence blocks needed a band that wide).
_COARSE_UNITS = 300
_WIDEN_ROUNDS = 4  # (see _solve)
_COARSE_FACTOR = 8
# DP cells whose bead costs are held at once; ru units whose word matches are made at once.
# (16k cells: the same CPU time as 64k here, and a chunk's arrays — a dozen costs, moves and
# gathered sums per cell — stay a few MB: a 2,000-sentence pair peaks 25 MB above base, not 54.)
_CHUNK_CELLS = 1 << 14
_MATCH_UNITS = 2048
_MATCH_ENTRIES = 1 << 15
_CYRILLIC = re.compile(f"[{RUSSIAN_LETTERS}]")
_QUOTES = '«»"“”„'


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    """English function words too frequent to say which sentences correspond (a data file)."""
    text = resources.files("cleaners").joinpath("data/en_stopwords.txt").read_text("utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    return frozenset(word for line in lines for word in line.split())


@lru_cache(maxsize=1)
def _anchor_words() -> tuple[dict[str, list[tuple[str, str]]], dict[str, str], frozenset[str]]:
    """The ru→en anchor word table: (prefixes by first two letters, exact forms, English words)."""
    text = resources.files("cleaners").joinpath("data/ru_en_anchor_words.tsv").read_text("utf-8")
    prefixes: dict[str, list[tuple[str, str]]] = {}
    exact: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        ru, en = line.split("\t")
        if ru.endswith("$"):
            exact[ru[:-1]] = en
        else:
            prefixes.setdefault(ru[:2], []).append((ru, en))
    return (
        prefixes,
        exact,
        frozenset(exact.values()) | {en for v in prefixes.values() for _, en in v},
    )


@dataclass(frozen=True)
class _Params:
    prior: tuple[float, ...]  # -log P(bead type), in MOVES order
    s2: float  # Gale-Church variance per character
    gc_deletions: bool  # textbook: 1-0/0-1 also pay the length cost of a zero-length side
    w_anchor: float
    w_mt: float
    min_anchor_mass: float  # Dice is damped below this many anchors on the two sides together
    w_number_miss: float  # per number on one side of a bead and not on the other
    w_lex: float  # word-table similarity (cleaners/lexsim)
    w_cover: float = 0.0  # word-table coverage per sentence (sentence level; replaces w_lex)
    w_open_end: float = 0.0  # per side of a bead whose last sentence ends open (``_open_ends``)


def _neglog_prior(p: Sequence[float]) -> tuple[float, ...]:
    return tuple(-math.log(x) for x in p)


# Gale & Church (1993): 1-1 .89, 1-0/0-1 .0099, 2-1/1-2 .089, 2-2 .011 (split evenly per side).
_GC_PRIOR = _neglog_prior(
    (0.89, 0.00495, 0.00495, 0.0445, 0.0445, 0.011) + (1e-12,) * (len(MOVES) - 6)
)


def _params(
    config: AlignConfig, with_mt: bool, with_lex: bool, scale: int = 1, one_script: bool = False
) -> _Params:
    """Cost parameters; ``scale`` sentences per unit (block levels) widen Gale-Church's fixed
    variance as ``length_variance`` is widened for the other method; ``one_script``: the
    pair's word table has identity keys (``lexical_score="auto"`` then means coverage)."""
    if config.method == "gale-church":
        return _Params(_GC_PRIOR, 6.8 * scale, True, 0.0, 0.0, 1.0, 0.0, 0.0)
    score = config.lexical_score
    if score == "auto":
        score = "coverage" if one_script else "dice"
    cover = with_lex and scale == 1 and score == "coverage"
    return _Params(
        prior=_neglog_prior(
            (
                0.89,
                config.p_skip,
                config.p_skip,
                config.p_merge,
                config.p_merge,
                config.p_merge2,
                config.p_merge3,
                config.p_merge3,
                config.p_merge3,  # 3-2 / 2-3 / 4-1 / 1-4: literary text (Text+Berg dev)
                config.p_merge3,
                config.p_merge3 / 3,
                config.p_merge3 / 3,
                # 3-3 as rare as 4-1 (Text+Berg dev: 2 of 422 gold beads), and only where each
                # sentence's coverage can tell it from a 2-2 and a 1-1: on length and anchors
                # alone it merged wrongly (no word table: Text+Berg dev .862 → .859, FLORES de–fr
                # dev .957 → .956).
                config.p_merge3 / 3 if cover else 1e-30,
            )
        ),
        s2=config.length_variance,
        gc_deletions=False,
        w_anchor=config.anchor_weight,
        w_mt=config.mt_weight if with_mt else 0.0,
        min_anchor_mass=_MIN_MASS,
        w_number_miss=config.number_miss_weight,
        w_lex=config.lexical_weight if with_lex else 0.0,
        w_cover=_COVER_WEIGHT * config.lexical_weight if cover else 0.0,
        w_open_end=_OPEN_END_COST if with_lex else 0.0,
    )


def method_name(
    config: AlignConfig | None = None, with_mt: bool = False, with_lex: bool = False
) -> str:
    """The ``Bead.method`` label the aligner writes for this configuration.

    >>> method_name(), method_name(with_mt=True), method_name(with_lex=True)
    ('length+anchors', 'length+anchors+mt', 'length+anchors+lex')
    """
    config = config or AlignConfig()
    if config.method == "gale-church":
        return "gale-church"
    return "length+anchors" + ("+lex" if with_lex else "") + ("+mt" if with_mt else "")


# ---------------------------------------------------------------- features


def anchors(sentence: str, words: bool = True) -> Counter[str]:
    """MT-free anchor tokens of one sentence (numbers, name keys, marks), as a multiset.

    Names are capitalised words (a sentence's first word too, unless it is an English function
    word: news sentences often start with a name) and Latin words inside Russian text; their
    keys survive transliteration. Without ``words`` (two languages in one script, where the
    word table matches names), a Roman numeral from II to XXXIX is its number.

    >>> a, b = anchors("В 2022 году Токаев встретился с Алиевым."), anchors(
    ...     "In 2022, Tokayev met Aliyev.")
    >>> sorted(a & b)
    ['#2022', '@alv', '@tkv']
    >>> ru, en = "10 апреля цены выросли на 5%", "Prices rose 5 percent on April 10"
    >>> sorted(anchors(ru) & anchors(en))
    ['#10', '#5', '&april', '&percent']
    >>> anchors("Lager 4 !", words=False) & anchors("le camp IV .", words=False)
    Counter({'#4': 1})
    """
    out: Counter[str] = Counter()
    for num in _NUM.findall(sentence):
        out["#" + (num.lstrip("0") or "0")] += 1
    cyrillic = _CYRILLIC.search(sentence) is not None
    for k, word in enumerate(_WORD.findall(sentence)):
        if not words:
            if _ROMANS and (value := _roman(word)):
                out[f"#{value}"] += 1
            continue
        token = _word_anchor(word, k == 0, cyrillic)
        if token:
            out[token] += 1
    if "%" in sentence:
        out["&percent"] += sentence.count("%")
    for mark in "?!":
        if mark in sentence:
            out[mark] += 1
    if any(q in sentence for q in _QUOTES):
        out['"'] += 1
    return out


@lru_cache(maxsize=1 << 16)
def _word_anchor(word: str, first: bool, cyrillic: bool) -> str | None:
    """The anchor token of one word ("&…" table word, "@…" name key) or None (cached: words
    repeat, and a long document's anchors took seconds without it)."""
    low = word.lower()
    prefixes, exact, english = _anchor_words()
    # Months, weekdays, magnitudes: one token on both sides from a reviewable table.
    if cyrillic and _CYRILLIC.match(low):
        hit = exact.get(low) or next(
            (en for ru, en in prefixes.get(low[:2], ()) if low.startswith(ru)), None
        )
        if hit:
            return "&" + hit
    elif low in english:
        return "&" + low
    latin_in_ru = cyrillic and _LATIN.match(word) is not None
    name = word[0].isupper() and (not first or low not in _stopwords())
    if name or latin_in_ru or (len(word) > 1 and word.isupper()):
        key = name_key(word)
        if key:
            return "@" + key
    return None


def content_words(sentence: str) -> Counter[str]:
    """Lower-cased content words cut to 6 letters (a crude stem), for the MT similarity.

    >>> sorted(content_words("The talks were held in Astana on Monday."))
    ['astana', 'held', 'monday', 'talks']
    """
    out: Counter[str] = Counter()
    stop = _stopwords()
    for m in _WORD.finditer(sentence.lower()):
        word = m.group()
        if len(word) >= 3 and word not in stop:
            out[word[:6]] += 1
    for num in _NUM.findall(sentence):
        out["#" + num] += 1
    return out


Pairs = tuple[np.ndarray, np.ndarray, np.ndarray]


@dataclass(frozen=True)
class _Flat:
    """Bags of one side as flat arrays: entry e says unit ``unit[e]`` holds key ``key[e]``
    ``count[e]`` times, sorted by (key, unit) — numpy can then match and merge them."""

    unit: np.ndarray
    key: np.ndarray
    count: np.ndarray
    size: int  # number of units

    @classmethod
    def of(cls, bags: Iterable[Counter[str]], ids: dict[str, int]) -> _Flat:
        """Flatten Counters as they come (none is kept: a long document's Counters took
        hundreds of MB), numbering keys in ``ids`` (shared by the two sides)."""
        key, count, sizes = array("q"), array("d"), array("q")
        for bag in bags:
            key.extend([ids.setdefault(k, len(ids)) for k in bag])
            count.extend(bag.values())
            sizes.append(len(bag))
        unit = np.repeat(np.arange(len(sizes)), np.frombuffer(sizes, dtype=np.int64))
        return cls._sorted(
            unit, np.frombuffer(key, dtype=np.int64), np.frombuffer(count), len(sizes)
        )

    def where(self, keep: np.ndarray) -> _Flat:
        """The entries ``keep`` selects (still sorted)."""
        return _Flat(self.unit[keep], self.key[keep], self.count[keep], self.size)

    def totals(self) -> np.ndarray:
        """The sum of counts per unit (a bag's size as a multiset)."""
        return np.bincount(self.unit, weights=self.count, minlength=self.size)

    @classmethod
    def _sorted(cls, unit: np.ndarray, key: np.ndarray, count: np.ndarray, size: int) -> _Flat:
        order = np.lexsort((unit, key))
        return cls(unit[order], _narrow(key[order]), count[order], size)

    def blocks(self, k: int, keys: np.ndarray | None = None) -> _Flat:
        """Units ``0..k-1``, ``k..2k-1``, … merged, their counts summed per key; with ``keys``
        (a flag per key id), only the entries of the keys it flags."""
        span = self.size // k + 1
        n = len(self.key)
        # Sorted by (key, unit), the codes are already in order: np.unique without its sort.
        # A slice of entries at a time, twice: the number of distinct codes first, then the
        # level's arrays filled in place (the whole side's codes, float64 counts and their
        # temporaries were ~30 bytes an entry: the peak of a 20 MB pair's aligner).

        def slices() -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray, bool]]:
            last = -1
            for a in range(0, n, _BLOCK_SLICE):
                key, unit = self.key[a : a + _BLOCK_SLICE], self.unit[a : a + _BLOCK_SLICE]
                counts = self.count[a : a + _BLOCK_SLICE]
                if keys is not None:  # (whole keys go: the (key, unit) order and runs stay)
                    sel = keys[key]
                    key, unit, counts = key[sel], unit[sel], counts[sel]
                    if not len(key):
                        continue
                code = key.astype(np.int64)  # (int32 keys times span)
                code *= span
                code += unit // k
                new = np.empty(len(code), dtype=bool)
                new[0] = True
                np.not_equal(code[1:], code[:-1], out=new[1:])
                seam = bool(code[0] == last)  # a code's run goes on from the slice before
                last = int(code[-1])
                yield counts, code, np.flatnonzero(new), seam

        size = sum(len(at) - seam for _, _, at, seam in slices())
        # (integer counts summed: exact in float32 below 2**24, as the sentences' are)
        small = float(self.count.sum(dtype=np.float64)) < 1 << 24
        unit = np.empty(size, dtype=np.int32)
        key = np.empty(size, dtype=self.key.dtype)
        count = np.empty(size, dtype=np.float32 if small else np.float64)
        to = 0
        for counts, code, at, seam in slices():
            part = np.add.reduceat(counts.astype(np.float64), at)
            code = code[at]
            if seam:
                count[to - 1] += part[0]
                part, code = part[1:], code[1:]
            unit[to : to + len(code)] = code % span
            key[to : to + len(code)] = code // span
            count[to : to + len(code)] = part
            to += len(code)
        # 4-byte counts, as the sentences' (integer counts: exact below 2**24); a long
        # document's block levels are all held while the finest one runs
        top = count.max(initial=0)
        if top <= 255:  # (most blocks' sums: one byte, as the sentences' counts)
            count = count.astype(_count_dtype(int(top)))
        elif not small and top < 1 << 24:
            count = count.astype(np.float32)
        return _Flat(unit, key, count, -(-self.size // k))

    def block_spread(self, k: int, keys: int) -> np.ndarray:
        """Per key id (``0..keys-1``): in how many blocks of ``k`` units it occurs (the
        entries of :meth:`blocks`' level that hold it), a slice of entries at a time."""
        spread = np.zeros(keys, dtype=np.int64)
        last = -1
        for a in range(0, len(self.key), _BLOCK_SLICE):
            key = self.key[a : a + _BLOCK_SLICE]
            code = (
                key.astype(np.int64) * (self.size // k + 1) + self.unit[a : a + _BLOCK_SLICE] // k
            )
            new = np.empty(len(code), dtype=bool)
            new[0] = code[0] != last  # (a run going on from the slice before is counted there)
            np.not_equal(code[1:], code[:-1], out=new[1:])
            last = int(code[-1])
            spread += np.bincount(key[new], minlength=keys)
        return spread


_BLOCK_SLICE = 1 << 18  # bag entries a block level is made from at once


class _Freed:
    """Counts the bytes of the pieces a loop frees while it fills one whole array, and hands
    the heap's free pages back (:func:`cleaners.memory.release`) every :data:`_FREED` of
    them: the pieces (below the mmap threshold, on the heap) left their pages resident beside
    the whole (mapped on its own), and a long document's peak was the two together."""

    __slots__ = ("bytes",)

    def __init__(self) -> None:
        self.bytes = 0

    def add(self, n: int) -> None:
        self.bytes += n
        if self.bytes >= _FREED:
            release(BIG)
            self.bytes = 0


_FREED = 8 << 20


# Keys are ids of distinct words (a few million at most): 4 bytes an entry, widened to int64
# where they are multiplied into codes (a sentence-level bag entry: 16 -> 12 bytes).
_KEY_MAX = 1 << 31


def _narrow(key: np.ndarray) -> np.ndarray:
    """``key`` as int32 when every key fits (the bags' keys are held while the program runs).

    >>> _narrow(np.array([0, 7])).dtype, _narrow(np.array([0, 1 << 40])).dtype
    (dtype('int32'), dtype('int64'))
    """
    return key.astype(np.int32) if key.max(initial=0) < _KEY_MAX else key


def _pair_overlaps(ru: _Flat, en: _Flat, window: np.ndarray, common: int | None = None) -> Pairs:
    """Sparse |bag(ru s) ∩ bag(en t)| for en units t in ``window[s]`` (inclusive): s, t, value.

    The English entries are sorted by (key, unit), so every Russian entry's matches are one
    contiguous run, found by a binary search on both window ends: time is linear in the
    document plus the matches, all in numpy. Keys in more than ``common`` English units are
    left out (block levels: a key in every block would cost a band's width per block).
    """
    m = en.size
    empty = np.zeros(0, dtype=np.int32)
    e_key, e_unit, e_count = en.key, en.unit, en.count
    if common is not None and len(e_key):
        keep = np.bincount(e_key)[e_key] <= common
        e_key, e_unit, e_count = e_key[keep], e_unit[keep], e_count[keep]
    if not len(e_key) or not len(ru.key):
        return empty, empty, np.zeros(0, dtype=np.float32)
    # Russian entries whose key no English entry has match nothing: left out before searching.
    present = np.zeros(max(int(ru.key.max()), int(e_key.max())) + 1, dtype=bool)
    present[e_key] = True
    span = m + 3  # windows reach from -2 to m
    # (codes in 4 bytes where every one fits, the searches' too: a 20 MB pair's finest
    # level held 8 bytes an English entry twice, codes and columns, under its peak)
    wide = (max(int(ru.key.max()), int(e_key.max())) + 1) * span >= 1 << 31
    code_type = np.int64 if wide else np.int32
    e_code = e_key.astype(code_type)
    e_code *= span
    e_code += e_unit
    e_code += 2  # sorted, as the entries are
    # A slice of units at a time: the raw matches of a long document (tens of millions) never
    # exist at once, and each slice's cells are its own. The Russian entries are grouped by
    # slice (a radix sort of small ints: no per-entry arrays of the whole side but the order;
    # they held ~70 bytes an entry, 120 MB on a 20 MB pair) and stay in (key, unit) order
    # within it: near-sorted queries keep the binary searches in cache.
    # (_MATCH_UNITS sentences a slice; fewer of a block level's larger units, so that a slice
    # holds about as many entries: 2048 blocks held 6x the entries, and matches, at once)
    per = max(1, min(_MATCH_UNITS, _MATCH_ENTRIES * ru.size // max(len(ru.key), 1)))
    groups = -(-ru.size // per)
    group = (ru.unit // per).astype(np.int16 if groups < 1 << 15 else np.int32)
    group[~present[ru.key]] = groups  # left out
    order, bounds = _grouped(group, groups + 1)
    del group, present
    out: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    for g in range(groups):
        if bounds[g] == bounds[g + 1]:
            continue
        idx = order[bounds[g] : bounds[g + 1]]
        r_unit, r_count = ru.unit[idx], ru.count[idx]
        win = np.clip(window[r_unit], -2, m) + 2
        r_key = ru.key[idx].astype(code_type)
        r_key *= span
        lo = np.searchsorted(e_code, (r_key + win[:, 0]).astype(code_type), side="left")
        hi = np.searchsorted(e_code, (r_key + win[:, 1]).astype(code_type), side="right")
        runs = hi - lo
        ends = np.cumsum(runs)
        total = int(ends[-1])
        if not total:
            continue
        # match k of entry e: English entry lo[e] + k, Russian count spread over its matches
        pos = np.arange(total) + np.repeat(lo - (ends - runs), runs)
        v_all = np.minimum(np.repeat(r_count, runs), e_count[pos])
        # Summed per cell in the slice's windows laid out flat (each unit's window after the
        # last): no sort, and the nonzero cells come out in (s, t) order. (The order of the
        # entries does not matter: each cell's integer counts are summed exactly.)
        s0, s1 = int(r_unit.min()), int(r_unit.max()) + 1
        w_lo = np.clip(window[s0:s1, 0], -2, m) + 2
        w_len = np.clip(window[s0:s1, 1], -2, m) + 3 - w_lo
        w_at = np.concatenate([[0], np.cumsum(w_len)])
        s_rel = r_unit - s0
        cell = e_unit[pos].astype(np.int64)
        cell += np.repeat(w_at[s_rel] - w_lo[s_rel] + 2, runs)
        dense = np.bincount(cell, weights=v_all, minlength=int(w_at[-1]))
        at = np.flatnonzero(dense)
        s_at = np.searchsorted(w_at, at, side="right") - 1
        # (units in 4 bytes until joined: a slice's are within the document's)
        s_rel = (s_at + s0).astype(np.int32)
        # (counts in float32: integer sums, exact below 2**24)
        out.append((s_rel, (at - w_at[s_at] + w_lo[s_at] - 2).astype(np.int32),
                    dense[at].astype(np.float32)))  # fmt: skip
    # the searched arrays go before the whole is made (with the pieces, 2.5x its size)
    del order, e_code, e_key, e_unit, e_count
    if not out:
        return empty, empty, np.zeros(0, dtype=np.float32)
    # joined as the slices are freed (a concatenation held them and the whole twice)
    total = sum(len(part[0]) for part in out)
    # 12 bytes a pair, not 24 (units < 2**31; integer counts exact in float32 below 2**24):
    # a 20 MB pair's finest level held 25 MB of them
    joined = (np.empty(total, np.int32), np.empty(total, np.int32), np.empty(total, np.float32))
    at = 0
    out.reverse()
    freed = _Freed()
    while out:
        part = out.pop()
        for whole, piece in zip(joined, part, strict=True):
            whole[at : at + len(piece)] = piece
        at += len(part[0])
        freed.add(sum(piece.nbytes for piece in part))
    return joined


def _grouped(group: np.ndarray, groups: int) -> tuple[np.ndarray, list[int]]:
    """A stable order of entries by ``group`` (0 .. groups - 1) and each group's bounds in it:
    a counting sort a slice at a time, 4 bytes an entry (``np.argsort`` held ~22).

    >>> order, bounds = _grouped(np.array([1, 0, 1, 0, 2], np.int16), 3)
    >>> order.tolist(), bounds
    ([1, 3, 0, 2, 4], [0, 2, 4, 5])
    """
    counts = np.bincount(group, minlength=groups)
    bounds = np.concatenate([[0], np.cumsum(counts)])
    order = np.empty(len(group), dtype=np.int32)  # entries < 2**31
    free = bounds[:-1].copy()  # each group's next slot
    step = 1 << 18
    for a in range(0, len(group), step):
        g = group[a : a + step]
        by = np.argsort(g, kind="stable")
        g = g[by]
        n = np.bincount(g, minlength=groups)
        rank = np.arange(len(g)) - (np.cumsum(n) - n)[g]
        order[free[g] + rank] = by + a
        free += n
    return order, bounds.tolist()


@dataclass(frozen=True)
class _Band:
    """The DP cells kept: row i holds columns ``off[i] .. off[i] + width[i] - 1``, stored flat
    from ``start[i]``. Rows differ in width where the rough path jumps (a one-sided gap)."""

    off: np.ndarray
    width: np.ndarray
    start: np.ndarray

    @property
    def size(self) -> int:
        """The number of cells."""
        return int(self.start[-1])

    def cells(self, r0: int, r1: int) -> tuple[np.ndarray, np.ndarray]:
        """Row and column of each flat cell of rows ``r0 .. r1 - 1`` (made per chunk: held for
        the whole band they were 16 bytes a cell, 40 MB on a 20 MB pair)."""
        c0, c1 = int(self.start[r0]), int(self.start[r1])
        rows = np.repeat(np.arange(r0, r1), self.width[r0:r1])
        return rows, np.arange(c0, c1) - self.start[rows] + self.off[rows]

    @classmethod
    def around(
        cls, lo_centre: np.ndarray, hi_centre: np.ndarray, half: np.ndarray, m: int
    ) -> _Band:
        """Columns within ``half`` (per row) of the centre envelope, always including (0, 0)
        and (n, m)."""
        lo = np.clip(np.floor(lo_centre).astype(np.int64) - half, 0, m)
        hi = np.clip(np.ceil(hi_centre).astype(np.int64) + half + 1, 1, m + 1)
        lo[0], hi[-1] = 0, m + 1
        # Each row must start where the row above can still step down (1-0), else the band
        # breaks where the centre climbs steeply (many more English sentences than Russian).
        lo[1:] = np.minimum(lo[1:], hi[:-1] - 1)
        hi = np.maximum(hi, lo + 1)
        width = hi - lo
        start = np.concatenate([[0], np.cumsum(width)])
        return cls(lo, width, start)

    def full(self, m: int) -> bool:
        """Whether every row already holds every column."""
        return bool((self.width == m + 1).all())


def _in_beads(
    pairs: Pairs, band: _Band, r0: int, r1: int
) -> tuple[dict[tuple[int, int], np.ndarray], np.ndarray]:
    """Per ru shift a and en reach d: the overlap of the sentence pairs (i - a, j - d'), d' ≤ d,
    at each cell (i, j) of rows ``r0 .. r1 - 1`` (pairs come sorted by ru unit); and the cells
    where any bead's overlap is nonzero.

    The pair (i - a, j - d) is in every bead with di ≥ a and dj ≥ d: each shift (a, d) is
    scattered once, and a bead's overlap is a sum of these (``_in_bead``; integer counts:
    exact in any order)."""
    ss, ts, vs = pairs
    c0 = int(band.start[r0])
    size = int(band.start[r1]) - c0
    two_sided = [(di, dj) for di, dj in MOVES if di and dj]
    upto: dict[tuple[int, int], np.ndarray] = {}  # (a, dj): pairs (i - a, j - d), d ≤ dj
    for a in range(1, max(di for di, _ in two_sided) + 1):  # ru sentence i - a
        # (the query in the pairs' own dtype: an int64 one made numpy copy all of ``ss``)
        lo, hi = np.searchsorted(ss, np.array([r0 - a, r1 - a], dtype=ss.dtype))
        rows = ss[lo:hi] + a
        # pair (s, t) at d = 0: its column in row s + a, and that cell's flat index
        k0 = ts[lo:hi] - band.off[rows]
        flat0, vals, room = band.start[rows] - c0 + k0, vs[lo:hi], band.width[rows] - k0
        acc = np.zeros(size, dtype=np.float32)  # counts: exact in float32
        for d in range(1, max(dj for di, dj in two_sided if di >= a) + 1):  # en sentence j - d
            ok = k0 >= -d  # column k0 + d inside the row: 0 <= k0 + d < width
            ok &= room > d
            acc[flat0[ok] + d] += vals[ok]  # cells unique for one (a, d)
            upto[a, d] = acc.copy()
    # The cells any bead shares something at: where the widest shift of each a is nonzero.
    widest = [upto[a, max(d for b, d in upto if b == a)] for a in {a for a, _ in upto}]
    return upto, np.flatnonzero(np.sum(widest, axis=0)) if widest else np.zeros(0, np.int64)


def _in_bead(upto: dict[tuple[int, int], np.ndarray], di: int, dj: int) -> np.ndarray:
    """The overlap inside the bead (di, dj) from ``_in_beads``'s per-shift sums (one bead's
    array at a time: all of them at once were 20 arrays per kind and chunk)."""
    out = upto[1, dj].copy()
    for a in range(2, di + 1):
        out += upto[a, dj]
    return out


def _neglog_two_tailed(z: np.ndarray) -> np.ndarray:
    """-log P(|Z| > |z|) for a standard normal Z, computed in log space (no underflow)."""
    x = np.abs(z) / math.sqrt(2.0)
    t = 1.0 / (1.0 + 0.5 * x)
    # Numerical Recipes' erfcc: erfc(x) = t·exp(-x² - 1.26551223 + t·(…)), |rel. error| < 1.2e-7.
    poly = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (
        -0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (
            -0.82215223 + t * 0.17087277))))))))  # fmt: skip
    return -(np.log(t) - x * x + poly)


# ---------------------------------------------------------------- coverage score


@dataclass(frozen=True)
class _Occurrences:
    """One side's word-table content keys, each distinct key of a sentence once: its sentence
    ``sent``, how often it occurs there ``weight``, and ``matches`` (unit = occurrence, key =
    what it matches in the other side's table bags: its translations, or itself)."""

    sent: np.ndarray
    weight: np.ndarray
    matches: _Flat


@dataclass(frozen=True)
class _Coverage:
    """Per sentence of one side, the share of its content keys (weighted by count) that the
    other side's range [b - L, b) translates, for every range end b in ``lo[s] .. hi[s]`` and
    L = 1..4: ``value[start[s] + b - lo[s], L - 1]`` (in steps of 1 / ``_COVER_STEPS``)."""

    lo: np.ndarray
    hi: np.ndarray
    start: np.ndarray
    value: np.ndarray
    chance: np.ndarray  # running sum per sentence: its expected coverage by an unrelated one
    worded: np.ndarray  # running count of sentences with content keys


def _coverage(
    occ: _Occurrences, other: _Flat, window: np.ndarray, ends: np.ndarray, mass: np.ndarray
) -> _Coverage:
    """Coverage of one side's sentences by ranges of the other side's units (``other``: the
    other side's table bags), for range ends ``ends[s] = (lo, hi)`` per sentence; ``window[s]``
    bounds the other side's units a range may hold.

    Unlike a sum of pair overlaps, a key counts once however many sentences of the range (and
    however many of its translations) match it: the score of a merged bead is the exact
    coverage of each sentence by the whole other side of the bead."""
    n = len(ends)
    lo, hi = ends[:, 0].astype(np.int64), np.maximum(ends[:, 1], ends[:, 0] - 1).astype(np.int64)
    width = hi - lo + 1
    start = np.concatenate([[0], np.cumsum(width)]).astype(np.int64)
    reach = max(max(di, dj) for di, dj in MOVES)
    value = np.zeros((int(start[-1]), reach), dtype=np.float32)
    # Occurrences come sorted by sentence, their matches by (occurrence, unit): a slice of
    # occurrences adds to one run of cells. Slices keep the matches of a long document (and
    # their expansion to range ends) from ever existing at once.
    occ_window = window[occ.sent]
    units = occ.matches.unit
    for u0 in range(0, len(occ.sent), _OCC_SLICE):
        part = occ.matches.where((units >= u0) & (units < u0 + _OCC_SLICE))
        o_all, t_all, _ = _pair_overlaps(part, other, occ_window)
        a = 0
        while a < len(o_all):
            cut = a + _MATCH_UNITS * 64  # each occurrence's matches in one call
            if cut < len(o_all):
                cut = int(np.searchsorted(o_all, o_all[cut], side="left"))
                if cut <= a:
                    cut = int(np.searchsorted(o_all, o_all[a], side="right"))
            _add_coverage(value, o_all[a:cut], t_all[a:cut], occ, lo, hi, start)
            a = cut
    # Shares of each sentence's mass, kept as 16-bit fractions while the program runs (steps
    # of 1/65535); a slice of sentences at a time, so no float temporaries of the whole array.
    quantised = np.empty(value.shape, dtype=np.uint16)
    for s0 in range(0, n, _TOKEN_SLICE):
        s1 = min(s0 + _TOKEN_SLICE, n)
        rows = slice(int(start[s0]), int(start[s1]))
        part = np.cumsum(value[rows], axis=1)
        part /= np.repeat(np.maximum(mass[s0:s1], 1e-9), width[s0:s1]).astype(np.float32)[:, None]
        np.minimum(part, 1.0, out=part)
        quantised[rows] = np.rint(part * _COVER_STEPS)
    del value
    # Chance: an occurrence matches a random other sentence of the other side with the share
    # of those sentences that hold one of its matches (less the one it translates).
    df = np.bincount(other.key, minlength=int(occ.matches.key.max(initial=0)) + 1)
    hits = np.bincount(occ.matches.unit, weights=df[occ.matches.key], minlength=len(occ.sent))
    p_occ = np.clip(hits - 1.0, 0.0, None) / max(other.size - 1, 1)
    chance = np.bincount(occ.sent, weights=occ.weight * np.minimum(p_occ, 1.0), minlength=n)
    chance = chance / np.maximum(mass, 1e-9)
    return _Coverage(lo, hi, start, quantised, _cum(chance), _cum((mass > 0).astype(float)))


def _add_coverage(
    value: np.ndarray,
    o: np.ndarray,
    t: np.ndarray,
    occ: _Occurrences,
    lo: np.ndarray,
    hi: np.ndarray,
    start: np.ndarray,
) -> None:
    """Add the weights of occurrences ``o`` matched by units ``t`` (sorted by (o, t)) to the
    cells of the ranges they cover, at the shortest range length covering them."""
    reach = value.shape[1]
    # A match with unit t covers the occurrence for ranges [b - L, b) with b - L <= t < b:
    # each range end b is owned by the nearest match below it, at distance d = b - 1 - t
    # (L ≥ d + 1 covers it).
    nxt = np.append(t[1:], t[-1:] + reach)
    same = np.append(o[1:] == o[:-1], False)
    count = np.where(same, np.minimum(nxt, t + reach), t + reach) - t
    # per match: its sentence's ends and first cell, gathered before the expansion
    sent = occ.sent[o]
    m_lo, m_hi, m_base = lo[sent], hi[sent], start[sent] - lo[sent]
    m_w = occ.weight[o]
    rep = np.repeat(np.arange(len(o)), count)
    d = np.arange(len(rep)) - np.repeat(np.cumsum(count) - count, count)
    b = t[rep] + 1 + d
    ok = (b >= m_lo[rep]) & (b <= m_hi[rep])
    rep, b, d = rep[ok], b[ok], d[ok]
    if not len(rep):
        return
    cell = m_base[rep] + b
    c0, c1 = int(cell.min()), int(cell.max()) + 1
    add = np.bincount((cell - c0) * reach + d, weights=m_w[rep], minlength=(c1 - c0) * reach)
    value[c0:c1] += add.reshape(-1, reach).astype(np.float32)  # (calls may share cells)


def _coverages(doc: _Doc, band: _Band, window: np.ndarray) -> tuple[_Coverage, _Coverage]:
    """Both sides' coverage in the band: ru sentence s by en ranges ending at band columns,
    en sentence t by ru ranges ending at band rows."""
    assert doc.occurrences is not None
    ru_occ, en_occ = doc.occurrences
    ru_flat, en_flat = doc.bags["table"]
    ru_mass, en_mass = doc.mass["table"]
    n, m = len(doc.ru_len), len(doc.en_len)
    reach_ru = max(di for di, _ in MOVES)
    reach_en = max(dj for _, dj in MOVES)
    # ru sentence s: beads holding it end on rows s+1 .. s+reach, at those rows' columns
    ru_ends = np.stack([np.clip(window[:, 0] + reach_en, 0, m), np.clip(window[:, 1], 0, m)], 1)
    ru_cov = _coverage(ru_occ, en_flat, window, ru_ends, ru_mass)
    # en sentence t: beads holding it end at columns t+1 .. t+reach, on the rows that hold them
    end = band.off + band.width
    first_row = np.searchsorted(np.maximum.accumulate(end), np.arange(m + 1), side="right")
    last_row = np.searchsorted(np.minimum.accumulate(band.off[::-1])[::-1], np.arange(m + 1),
                               side="right") - 1  # fmt: skip
    t = np.arange(m)
    i_lo = first_row[np.minimum(t + 1, m)]
    i_hi = last_row[np.minimum(t + reach_en, m)]
    en_window = np.stack([i_lo - reach_ru, i_hi - 1], axis=1)
    en_ends = np.stack([np.clip(i_lo, 0, n), np.clip(i_hi, 0, n)], axis=1)
    en_cov = _coverage(en_occ, ru_flat, en_window, en_ends, en_mass)
    return ru_cov, en_cov


def _coverage_reward(
    cover: tuple[_Coverage, _Coverage], rows: np.ndarray, cols: np.ndarray, di: int, dj: int,
    memo: dict[tuple[str, int, int], np.ndarray],
) -> np.ndarray:  # fmt: skip
    """Summed over a bead's sentences, each one's coverage by the bead's other side, less
    what unrelated sentences would cover (``memo``: gathers shared by a chunk's moves)."""
    ru_cov, en_cov = cover

    def part(side: str, cov: _Coverage, sent_back: int, size: int) -> np.ndarray:
        if (side, sent_back, size) not in memo:
            if (side, sent_back, 0) not in memo:
                sent, end = (rows, cols) if side == "ru" else (cols, rows)
                s = sent - sent_back
                ok = s >= 0
                s = np.where(ok, s, 0)
                ok &= (end >= cov.lo[s]) & (end <= cov.hi[s])
                at = cov.start[s] + end - cov.lo[s]
                memo[side, sent_back, 0] = np.where(ok, at, -1).astype(np.int32)
            k = memo[side, sent_back, 0]
            share = cov.value[k, size - 1] * np.float32(1.0 / _COVER_STEPS)
            # float32: a chunk's memo is ~30 arrays of its cells
            memo[side, sent_back, size] = np.where(k >= 0, share, np.float32(0.0))
        return memo[side, sent_back, size]

    out = np.zeros(len(rows))
    for a in range(1, di + 1):
        out += part("ru", ru_cov, a, dj)
    for d in range(1, dj + 1):
        out += part("en", en_cov, d, di)
    # each of the bead's sentences against each of the other side's (running sums)
    rc, ec = ru_cov.chance, en_cov.chance
    out -= _CHANCE_WEIGHT * dj * (rc[rows] - rc[np.maximum(rows - di, 0)])
    out -= _CHANCE_WEIGHT * di * (ec[cols] - ec[np.maximum(cols - dj, 0)])
    # and a little per pair of sentences with words (a "+ 17 °C." split off a line is free)
    rw, ew = ru_cov.worded, en_cov.worded
    pairs = (rw[rows] - rw[np.maximum(rows - di, 0)]) * (ew[cols] - ew[np.maximum(cols - dj, 0)])
    return out - _PAIR_CHANCE * pairs


# ---------------------------------------------------------------- the program


def _rough_path(
    doc: _Doc, config: AlignConfig, with_mt: bool, with_lex: bool, scale: int, ratio: float
) -> tuple[np.ndarray, np.ndarray, int]:
    """Where the path should run: (lowest, highest column per DP row, block size ``k``).

    Short documents: the diagonal. Long ones: an alignment of blocks of ``k`` units (itself
    banded around a rougher one, down to a full DP of at most ``_COARSE_UNITS`` blocks). A long
    one-sided insertion (a page of comments, a lost chapter) moves the true path far from the
    diagonal, where no band around the diagonal finds it; the block alignment does, and the
    envelope keeps the whole jump inside the rows where it happens.
    """
    n, m = len(doc.ru_len), len(doc.en_len)
    rows = np.arange(n + 1, dtype=float)
    if max(n, m) <= _COARSE_UNITS:
        diagonal = rows * (m / max(n, 1))
        return diagonal, diagonal, 1
    # As many blocks on each side, so the block path runs near the block diagonal even when
    # one side has many more (shorter) sentences.
    units = max(_COARSE_UNITS, math.ceil(max(n, m) / _COARSE_FACTOR))
    k_ru, k_en = math.ceil(n / units), math.ceil(m / units)
    # Block edges rarely line up: a block's length and numbers only partly match its
    # counterpart's. Without a looser length model, no number-miss cost and rarer skips,
    # dropping and inserting blocks would look cheaper than aligning them.
    coarse_config = config.model_copy(
        update={
            "band": _COARSE_UNITS + 2 if units <= _COARSE_UNITS else config.band,
            "number_miss_weight": 0.0,
            "length_variance": config.length_variance * max(k_ru, k_en),
            "p_skip": max(config.p_skip / 30, 1e-3),  # (not compounded level after level)
        }
    )
    blocks = doc.blocks(k_ru, k_en, [kind for kind in doc.kinds if kind != "num"])
    coarse = _solve(blocks, coarse_config, with_mt, with_lex, scale * max(k_ru, k_en), ratio)
    low: dict[float, float] = {0.0: 0.0}
    high: dict[float, float] = {0.0: 0.0}
    for i, j, _ in coarse:
        x, y = float(min(i * k_ru, n)), float(min(j * k_en, m))
        low.setdefault(x, y)  # the path is monotone: first y at an x is its lowest
        high[x] = y
    # Between two points of the block path the fine path may run anywhere in the rectangle
    # they span (a block bead that hides a 300-sentence insertion is one such rectangle; a
    # straight line through it put the band hundreds of sentences off).
    xs = np.array(sorted(low))
    ys_low = np.array([low[v] for v in xs])
    ys_high = np.array([high[v] for v in xs])
    before = np.searchsorted(xs, rows, side="right") - 1  # the point at or before each row
    at = xs[before] == rows
    after = np.minimum(before + 1, len(xs) - 1)
    lo = np.where(at, ys_low[before], ys_high[before])
    hi = np.where(at, ys_high[before], ys_low[after])
    return lo, hi, max(k_ru, k_en)


@dataclass
class _Doc:
    """Per-unit (sentence, or block of sentences) lengths and feature bags of the two sides.

    ``bags[kind]`` holds the multisets whose overlaps a bead's cost rewards (``anchor``, ``num``,
    ``mt``, ``table``); ``mass[kind]`` the per-unit counts the Dice similarity divides by.
    """

    ru_len: np.ndarray
    en_len: np.ndarray
    bags: dict[str, tuple[_Flat, _Flat]]
    mass: dict[str, tuple[np.ndarray, np.ndarray]]
    # the word-table keys one by one (sentence level only): the coverage score's input
    occurrences: tuple[_Occurrences, _Occurrences] | None = None
    # the sentences the costs read, where page furniture was taken out (``_FURNITURE``)
    text: tuple[Sequence[str], Sequence[str]] | None = None
    one_script: bool = False  # the pair's word table has identity keys (cleaners.lexsim)
    # per sentence of each side, 1 where it ends open (``_open_ends``; sentence level only)
    open_end: tuple[np.ndarray, np.ndarray] | None = None
    # A block level's bags are not made with it but when its program runs (``with_bags``), from
    # the sentences' (blocks of blocks are blocks of sentences: the same sums): the coarser
    # levels' programs run first, and no two levels' bags are held at once (on a 20 MB pair
    # the three levels' were 90 MB beside the sentences').
    source: tuple[_Doc, int, int, tuple[str, ...]] | None = None

    @property
    def kinds(self) -> list[str]:
        """The kinds of bags the level has (or will have, from its ``source``)."""
        return list(self.source[3]) if self.source else list(self.bags)

    def with_bags(self, common: int | None = None) -> _Doc:
        """The level with its bags made (itself if it has them). ``common``: the level's
        matches will leave out the keys in more than that many English units
        (:func:`_pair_overlaps`), so their entries are not made (nor a Russian entry whose key
        no English unit keeps): on a 20 MB pair, most of a block level's entries, and its
        bags were the aligner's peak."""
        if self.source is None:
            return self
        doc, k_ru, k_en, kinds = self.source
        bags = {}
        for kind in kinds:
            ru, en = doc.bags[kind]
            keys = None
            if common is not None:
                top = int(max(ru.key.max(initial=-1), en.key.max(initial=-1))) + 1
                spread = en.block_spread(k_en, top)
                keys = (spread >= 1) & (spread <= common)
                del spread
            bags[kind] = (ru.blocks(k_ru, keys), en.blocks(k_en, keys))
        return _Doc(self.ru_len, self.en_len, bags, self.mass)

    def blocks(self, k_ru: int, k_en: int, kinds: Sequence[str]) -> _Doc:
        """Blocks of ``k_ru`` / ``k_en`` units: lengths (plus a joining space), bags and masses
        summed — the features of the joined text without reading it again (the bags are made
        by ``with_bags``)."""

        def lengths(x: np.ndarray, k: int) -> np.ndarray:
            starts = np.arange(0, len(x), k)
            sizes = np.diff(np.append(starts, len(x)))
            return np.add.reduceat(x, starts) + (sizes - 1)

        def summed(x: np.ndarray, k: int) -> np.ndarray:
            return np.add.reduceat(x, np.arange(0, len(x), k))

        doc, f_ru, f_en = self.source[:3] if self.source else (self, 1, 1)
        return _Doc(
            lengths(self.ru_len, k_ru),
            lengths(self.en_len, k_en),
            {},
            {k: (summed(self.mass[k][0], k_ru), summed(self.mass[k][1], k_en)) for k in kinds},
            source=(doc, f_ru * k_ru, f_en * k_en, tuple(kinds)),
        )


@dataclass
class _Features:
    """Per-unit numbers and sparse pair overlaps the bead costs are built from."""

    ru_len: np.ndarray
    en_len: np.ndarray
    ratio: float  # expected English chars per Russian char in this document
    pairs: dict[str, Pairs]  # per bag kind: overlaps of unit pairs inside the band
    mass: dict[str, tuple[np.ndarray, np.ndarray]]
    sums: dict[tuple[object, int], np.ndarray] = field(default_factory=dict)
    skips: dict[int, np.ndarray | None] = field(default_factory=dict)  # skip_saving per side
    cover: tuple[_Coverage, _Coverage] | None = None  # replaces the table's Dice when set
    open_end: tuple[np.ndarray, np.ndarray] | None = None  # (``_Doc.open_end``)

    def skip_saving(self, side: int) -> np.ndarray | None:
        """Per unit of one side, what dropping it saves (``_CONTENTLESS_SKIP`` for a unit with
        neither a content word of the word table nor a number — where the level has
        ``long_num``, nor a number of four digits or more —, else 0), or None when no unit
        saves anything (worked out once per side)."""
        if side not in self.skips:
            saving = None
            if "table" in self.mass:
                empty = self.mass["table"][side] == 0
                if "long_num" in self.mass:  # (a scanned page's number alone: "24 a !")
                    empty &= self.mass["long_num"][side] == 0
                elif "num" in self.mass:  # ("+17 °C." split off a line belongs to its bead)
                    empty &= self.mass["num"][side] == 0
                if empty.any():
                    saving = np.where(empty, _CONTENTLESS_SKIP, 0.0).astype(np.float32)
            self.skips[side] = saving
        return self.skips[side]

    def window_sum(self, what: object, end: np.ndarray, size: int) -> np.ndarray:
        """The sum of ``size`` units of ``what`` ("ru_len", "en_len", (side, kind) masses)
        ending before each index in ``end`` (per end index once, then gathered)."""
        if (what, 0) not in self.sums:
            if isinstance(what, tuple):
                side, kind = what
                x = self.mass[kind][0 if side == "ru" else 1]
            else:
                x = self.ru_len if what == "ru_len" else self.en_len
            self.sums[what, 0] = _cum(x)
        # One running sum per ``what``, differenced at the ends asked for (the same numbers
        # as a whole array per size, which were ~16 MB at the finest level of a 20 MB pair).
        # (end never passes the last sentence: band cells stay within 0..n, 0..m)
        cum = self.sums[what, 0]
        return cum[end] - cum[np.maximum(end - size, 0)]


def _cum(x: np.ndarray) -> np.ndarray:
    return np.concatenate([[0.0], np.cumsum(x)])


def _bead_costs(f: _Features, band: _Band, p: _Params, r0: int, r1: int) -> np.ndarray:
    """Cost of every bead type ending at every band cell of rows ``r0 .. r1 - 1``: shape
    (len(MOVES), cells of those rows)."""
    rows, cols = band.cells(r0, r1)
    out = np.full((len(MOVES), len(rows)), _INF, dtype=np.float32)  # half the memory
    gathered: dict[tuple[object, ...], np.ndarray] = {}

    def block(what: object, at: str, size: int, kind: str | None = None) -> np.ndarray:
        """``f.window_sum`` at the chunk's rows or columns (only those where ``kind`` shares
        something, if given), gathered once a chunk for all the beads that need it."""
        key = (what, at, size, kind)
        if key not in gathered:
            idx = rows if at == "rows" else cols
            gathered[key] = f.window_sum(what, idx if kind is None else idx[shared[kind]], size)
        return gathered[key]

    def dice(num: np.ndarray, mass: np.ndarray) -> np.ndarray:
        return np.minimum(np.where(mass > 0, 2.0 * num / np.maximum(mass, 1e-9), 0.0), 1.0)

    in_beads, shared = {}, {}
    for kind, pairs in f.pairs.items():
        in_beads[kind], shared[kind] = _in_beads(pairs, band, r0, r1)
    # Beads reaching before the first sentence exist only in the first rows and columns.
    edge = r0 < max(di for di, _ in MOVES) or int(cols.min()) < max(dj for _, dj in MOVES)
    memo: dict[tuple[str, int, int], np.ndarray] = {}
    # A two-sided bead's last sentences are the cell's whatever its move: one sum a chunk
    # (cells before the first sentence index -1 here, and are cut below).
    open_cost = None
    if f.open_end is not None:
        ends = f.open_end[0][rows - 1] + f.open_end[1][cols - 1]
        open_cost = p.w_open_end * ends if ends.any() else None
    for code, (di, dj) in enumerate(MOVES):
        ok = (rows >= di) & (cols >= dj) if edge else None
        c = np.full(len(rows), p.prior[code])
        if di and dj or p.gc_deletions:
            a = block("ru_len", "rows", di)
            b = block("en_len", "cols", dj)
            mean = (a + b / f.ratio) / 2.0
            z = (f.ratio * a - b) / np.sqrt(p.s2 * np.maximum(mean, 1.0))
            c = c + _neglog_two_tailed(z.astype(np.float32))  # float32: costs are stored so
        if not (di and dj):
            saving = f.skip_saving(0 if di else 1)
            if saving is not None:
                c = c - saving[np.maximum((rows if di else cols) - 1, 0)]
            out[code] = c if ok is None else np.where(ok, c, _INF)
            continue
        if f.cover is not None:
            c = c - p.w_cover * _coverage_reward(f.cover, rows, cols, di, dj, memo)
        if open_cost is not None:
            c = c + open_cost
        for kind in f.pairs:
            num = _in_bead(in_beads[kind], di, dj)
            if kind == "num":  # each number on one side only costs a little
                mass = block(("ru", kind), "rows", di) + block(("en", kind), "cols", dj)
                missed = np.maximum(mass - 2.0 * num, 0.0)
                if mass.size and float(mass.max()) > _NUMBER_MASS:  # (rare: spared otherwise)
                    missed *= np.minimum(1.0, _NUMBER_MASS / np.maximum(mass, 1.0))
                c = c + p.w_number_miss * missed
                continue
            # Similarities reward only where something is shared: a few cells of the band
            # (others subtract an exact 0).
            nz = shared[kind]
            mass = block(("ru", kind), "rows", di, kind) + block(("en", kind), "cols", dj, kind)
            if kind == "anchor":  # one shared "?" says less than four shared names
                damp = np.minimum(1.0, mass / p.min_anchor_mass)
                c[nz] -= p.w_anchor * dice(num[nz], mass) * damp
            else:
                c[nz] -= (p.w_mt if kind == "mt" else p.w_lex) * dice(num[nz], mass)
        out[code] = c if ok is None else np.where(ok, c, _INF)
    return out


def _predecessors(
    band: _Band, r0: int, r1: int, origin: int = 0, outside: int | None = None
) -> np.ndarray:
    """For each move and each cell of rows ``r0 .. r1 - 1``: the flat index (less ``origin``)
    of the cell the bead starts from, or ``outside`` (default: the sentinel ``band.size``)
    where that is outside the band."""
    c0, c1 = int(band.start[r0]), int(band.start[r1])
    sentinel = band.size
    outside = sentinel if outside is None else outside
    prev = np.empty((len(MOVES), c1 - c0), dtype=np.int32)  # cells < 2**31: 8 bytes a cell less
    # Worked out per row, then spread over the row's cells: cell c of row i, column j, starts
    # the bead (di, dj) at flat index c - shift[i] - dj, inside the band while j - dj is within
    # row i - di's columns.
    widths = band.width[r0:r1]
    cols = band.cells(r0, r1)[1].astype(np.int32)
    cells = np.arange(c0 - origin, c1 - origin, dtype=np.int32)
    base = band.start[:-1] - band.off  # flat index of each row's column 0
    for code, (di, dj) in enumerate(MOVES):  # one move at a time: a few bytes a cell at once
        if not di:  # 0-1 beads stay in the row (the caller's scan)
            prev[code] = outside
            continue
        row = np.arange(r0, r1) - di
        above = np.maximum(row, 0)
        lo = np.where(row >= 0, band.off[above] + dj, sentinel).astype(np.int32)
        hi = (lo + band.width[above]).astype(np.int32)
        shift = (base[r0:r1] - base[above] + dj).astype(np.int32)
        at = cells - np.repeat(shift, widths)
        inside = cols >= np.repeat(lo, widths)
        inside &= cols < np.repeat(hi, widths)
        prev[code] = np.where(inside, at, outside)
    return prev


@dataclass
class _Filled:
    """A filled program: its band's rows (``off``, ``width``), per cell the back-pointer,
    and at every ``_CHECK_ROWS``-th row c the best costs of the rows c - 4 .. c - 1
    (``tails[c]``: what a refill from row c reads). The chosen beads' own costs are worked
    out again for the path's cells only (``_path_costs``): held per cell they were 4 bytes a
    cell, 55 MB at the finest level of a 20 MB pair."""

    off: np.ndarray
    width: np.ndarray
    back: np.ndarray
    tails: dict[int, np.ndarray]


# The best costs are held for the rows a bead can reach back to (float64: 8 bytes a cell, 30 MB
# on a 20 MB pair when held for the whole band), and kept at every _CHECK_ROWS-th row for a
# refill after a widening.
_REACH_ROWS = max(di for di, _ in MOVES)
_CHECK_ROWS = 256


def _run(
    f: _Features, band: _Band, p: _Params, m: int, before: list[_Filled] | None = None
) -> tuple[_Path, list[int], _Filled]:
    """Fill the banded DP row by row; return the path's bead end points with their own costs,
    the rows where the path touched the band's edge (the caller widens the band there), and
    the filled program. Rows that ``before`` (the same program in a narrower band) holds
    unchanged, with every row above them, are taken from it up to its last checkpoint: a
    widening far down a long document refills only what comes after (``before`` is a list the
    program is popped from, so that it is freed once copied)."""
    off, width, start = band.off, band.width, band.start
    n = len(off) - 1
    sentinel = band.size
    back = np.zeros(sentinel, dtype=np.int8)
    first = 0
    tails: dict[int, np.ndarray] = {0: np.zeros(0)}
    if before:
        old = before.pop()
        changed = (old.off != off) | (old.width != width)
        first = int(np.argmax(changed)) if changed.any() else n + 1
        first = max(c for c in old.tails if c <= first)  # (rows up to it are unchanged)
        keep = int(start[first])
        back[:keep] = old.back[:keep]
        tails = {c: t for c, t in old.tails.items() if c <= first}
        del old
    tail = tails[first]  # the best costs of the rows a bead reaches back to from row r0
    # Bead costs, and where each bead starts, are computed for a chunk of rows at a time
    # (vectorised over the chunk): memory stays at a few bytes per cell, and a row is a few
    # numpy calls (one gather over all moves, a min, the 0-1 scan).
    r1 = first
    while r1 <= n:
        r0 = r1
        # rows up to _CHUNK_CELLS cells (at least one row): wide bands take fewer rows at once
        r1 = max(int(np.searchsorted(start, start[r0] + _CHUNK_CELLS, side="right")) - 1, r0 + 1)
        r1 = min(r1, n + 1)
        c0, c1 = int(start[r0]), int(start[r1])
        # the best costs of the chunk's rows and the rows it reaches back to; the extra cell
        # at the end stays unreachable
        origin = int(start[max(r0 - _REACH_ROWS, 0)])
        cost = np.full(c1 - origin + 1, _INF)
        cost[: c0 - origin] = tail
        costs = _bead_costs(f, band, p, r0, r1)
        prev = _predecessors(band, r0, r1, origin, c1 - origin)
        # 0-1 beads stay in the row: best[k] = min(best[k], best[k-1] + ins[k]) is a prefix
        # scan over each row's running sums of 0-1 costs (float32, nothing entering a row's
        # first cell), taken for the chunk's rows at once: one row per line of a padded array.
        # (A chunk with one very wide row among narrow ones pads little: its rows go one by one.)
        bounds = (start[r0 : r1 + 1] - c0).tolist()
        widths = width[r0:r1]
        ins = np.minimum(costs[_INS], 1e12)
        padded = (r1 - r0) * int(widths.max()) <= 4 * (c1 - c0)
        if padded:
            ins_rows = np.zeros((r1 - r0, int(widths.max())), dtype=np.float32)
            in_row = np.arange(c1 - c0) - np.repeat(start[r0:r1] - c0, widths)
            ins_rows[np.repeat(np.arange(r1 - r0), widths), in_row] = ins
            ins_rows[:, 0] = 0.0
            steps_rows = np.cumsum(ins_rows, axis=1)
            del ins_rows
        # (The row's numpy calls are most of its time: a cell's moves side by side, take, not
        # fancy indexing, the best cost picked by the argmin, in place.)
        take, running_min, copyto = cost.take, np.minimum.accumulate, np.copyto
        by_cell, prev_by_cell = np.ascontiguousarray(costs.T), np.ascontiguousarray(prev.T)
        del prev
        cell = np.arange(int(widths.max()))
        for i in range(r0, r1):
            a, b = bounds[i - r0], bounds[i - r0 + 1]
            total = take(prev_by_cell[a:b])
            total += by_cell[a:b]
            move = total.argmin(axis=1)
            best = total[cell[: b - a], move]
            if i == 0:
                best[0] = 0.0  # row 0 starts at column 0
            if padded:
                steps = steps_rows[i - r0, : b - a]
            else:
                steps = ins[a:b].copy()
                steps[0] = 0.0
                steps = np.cumsum(steps)
            scanned = running_min(best - steps)
            scanned += steps
            took = scanned < best - 1e-9  # never the first cell: scanned[0] is best[0]
            copyto(best, scanned, where=took)
            copyto(move, _INS, where=took)
            cost[c0 - origin + a : c0 - origin + b] = best
            back[c0 + a : c0 + b] = move
        for c in range((r0 // _CHECK_ROWS + 1) * _CHECK_ROWS, min(r1, n) + 1, _CHECK_ROWS):
            tails[c] = cost[int(start[max(c - _REACH_ROWS, 0)]) - origin : int(start[c]) - origin]
            tails[c] = tails[c].copy()
        tail = cost[int(start[max(r1 - _REACH_ROWS, 0)]) - origin : c1 - origin].copy()
        del cost

    ends_i, ends_j, codes = array("q"), array("q"), array("b")  # 17 bytes a bead, not ~120
    i, j = n, m
    touched: list[int] = []
    # (Python ints and floats: numpy scalars cost a long document's walk back a tenth of a second.)
    off_at, width_at, start_at = off.tolist(), width.tolist(), start.tolist()
    back_at = back.item
    while i > 0 or j > 0:
        k = j - off_at[i]
        code = back_at(start_at[i] + k)
        if code < 0:  # pragma: no cover - (n, m) is always reachable inside the band
            raise RuntimeError("alignment band lost the path")
        if (k <= 1 and off_at[i] > 0) or (k >= width_at[i] - 2 and off_at[i] + width_at[i] <= m):
            touched.append(i)
        ends_i.append(i)
        ends_j.append(j)
        codes.append(code)
        di, dj = MOVES[code]
        i, j = i - di, j - dj
    at = (np.array(x, dtype=np.int64)[::-1] for x in (ends_i, ends_j, codes))
    return _path_costs(f, band, p, *at), touched, _Filled(off, width, back, tails)


def _path_costs(
    f: _Features, band: _Band, p: _Params, rows: np.ndarray, cols: np.ndarray, codes: np.ndarray
) -> _Path:
    """The path's beads (end points ``rows``, ``cols``, in order; bead ``codes``) with their
    own costs, worked out again on a band of the path's cells only (a bead's cost depends only
    on its cell, not on the band around it: the same numbers as the filled program's, a few
    cells a row instead of the band's width)."""
    if not len(rows):
        return _Path(rows, cols, np.zeros(0, dtype=np.float32))
    n = len(band.off) - 1
    lo = band.off.copy()  # a row the path skips keeps one cell of its own
    hi = lo + 1
    first = np.r_[True, rows[1:] != rows[:-1]]  # the path's cells of a row are adjacent
    last = np.r_[rows[1:] != rows[:-1], True]
    lo[rows[first]] = cols[first]  # (its columns rise along the path)
    hi[rows[last]] = cols[last] + 1
    width = hi - lo
    start = np.concatenate([[0], np.cumsum(width)])
    narrow = _Band(lo, width, start)
    flat = start[rows] + cols - lo[rows]
    own = np.empty(len(rows), dtype=np.float32)
    r1 = 0
    while r1 <= n:
        r0 = r1
        r1 = max(int(np.searchsorted(start, start[r0] + _CHUNK_CELLS, side="right")) - 1, r0 + 1)
        r1 = min(r1, n + 1)
        c0, c1 = int(start[r0]), int(start[r1])
        a, b = np.searchsorted(flat, [c0, c1])  # (flat rises along the path)
        if a < b:
            costs = _bead_costs(f, narrow, p, r0, r1)
            own[a:b] = costs[codes[a:b], flat[a:b] - c0]
    return _Path(rows, cols, own)


@dataclass(frozen=True)
class _Path:
    """The best path's bead end points (``rows``, ``cols``) with each bead's own cost, held
    as arrays (a list of tuples was ~120 bytes a bead, 19 MB on a 20 MB pair, beside the bags);
    iterated as (i, j, cost) tuples."""

    rows: np.ndarray
    cols: np.ndarray
    own: np.ndarray

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[tuple[int, int, float]]:
        return zip(self.rows.tolist(), self.cols.tolist(), self.own.tolist(), strict=True)


def _features(
    ru: Sequence[str],
    en: Sequence[str],
    ru_mt: Sequence[str] | None,
    config: AlignConfig,
    with_lex: bool,
    src_lang: str,
    tgt_lang: str,
    word_table: lexsim.Table | None = None,
) -> _Doc:
    """Lengths and feature bags of every sentence (read once; block levels sum them);
    ``word_table`` in place of the shipped table of the pair."""
    if with_lex and word_table is None:
        word_table = lexsim.table(src_lang, tgt_lang)
    one_script = with_lex and word_table is not None and word_table.identity
    p = _params(config, ru_mt is not None, with_lex, one_script=one_script)
    ru_len = np.array([max(len(s), 1) for s in ru], dtype=float)
    en_len = np.array([max(len(s), 1) for s in en], dtype=float)
    doc = _Doc(ru_len, en_len, {}, {}, one_script=one_script)
    chars = int(ru_len.sum() + en_len.sum())

    def add(
        kind: str,
        ru_bags: Iterable[Counter[str]],
        en_bags: Iterable[Counter[str]],
        ids: dict[str, int] | None = None,
    ) -> None:
        ids = {} if ids is None else ids
        doc.bags[kind] = (_Flat.of(ru_bags, ids), _Flat.of(en_bags, ids))
        doc.mass[kind] = (doc.bags[kind][0].totals(), doc.bags[kind][1].totals())

    tokens = (_Tokens.of(ru), _Tokens.of(en)) if p.w_anchor or with_lex else None
    if _FURNITURE and one_script and tokens is not None:
        # (only the sentences with two numbers of one to three digits can hold furniture)
        lines = [_short_number_lines(t) for t in tokens]
        cut = _without_furniture(ru, en, word_table, lines)
        if cut[0] is not ru or cut[1] is not en:
            ru, en = cut
            tokens = (_Tokens.of(ru), _Tokens.of(en))  # (rare: a scanned book's pages)
            ru_len = np.array([max(len(s), 1) for s in ru], dtype=float)
            en_len = np.array([max(len(s), 1) for s in en], dtype=float)
            doc = _Doc(ru_len, en_len, {}, {}, one_script=one_script, text=(ru, en))
    if p.w_anchor or p.w_number_miss:
        # Names and the month table serve ru–en (and any pair without a word table). Between
        # two languages with a word table in one script, the table's identity keys match
        # names, and German capitalises every noun (Text+Berg dev: same F1 without, less work).
        words = not one_script
        ids: dict[str, int] = {}
        if p.w_anchor:
            assert tokens is not None
            bags = (_anchor_flat(tokens[0], words, ids), _anchor_flat(tokens[1], words, ids))
            release(chars)
            doc.bags["anchor"] = bags
            doc.mass["anchor"] = (bags[0].totals(), bags[1].totals())
        if p.w_number_miss and p.w_anchor:  # the anchors' "#" entries, without reading again
            number = np.array([k[0] == "#" for k in ids], dtype=bool)
            ru_num, en_num = (side.where(number[side.key]) for side in doc.bags["anchor"])
            doc.bags["num"] = (ru_num, en_num)
            doc.mass["num"] = (ru_num.totals(), en_num.totals())
            if _PAGE_NUMBERS and one_script:
                # Between two languages in one script (a scanned book's), a line whose only
                # numbers have one to three digits is dropped as cheaply as one without any.
                long = np.array([k[0] == "#" and len(k) > 4 for k in ids], dtype=bool)
                ru_long, en_long = (side.where(long[side.key]) for side in doc.bags["anchor"])
                doc.mass["long_num"] = (ru_long.totals(), en_long.totals())
        elif p.w_number_miss:
            add("num", _numbers(ru), _numbers(en))
    if ru_mt is not None:
        add("mt", (content_words(s) for s in ru_mt), (content_words(s) for s in en))
    if with_lex:
        table = word_table
        assert tokens is not None and table is not None
        ids = {}
        words = (_table_words(tokens[0]), _table_words(tokens[1]))
        cognates = config.cognate_prefix if one_script else 0
        content = (
            _content_keys(words[0][2], table, "src", cognates),
            _content_keys(words[1][2], table, "tgt", cognates),
        )
        ru_table = _table_flat(tokens[0], table, True, ids, words[0], content[0])
        release(chars)
        (ru_flat, ru_mass), (en_flat, en_mass) = (
            ru_table,
            _table_flat(tokens[1], table, False, ids, words[1], content[1]),
        )
        del ru_table
        release(chars)
        doc.bags["table"] = (ru_flat, en_flat)
        if p.w_cover:
            doc.occurrences = (
                _table_occurrences(words[0], content[0], tokens[0].size, table, True, ids),
                _table_occurrences(words[1], content[1], tokens[1].size, table, False, ids),
            )
        # Dice divides by content keys, not by their translations.
        doc.mass["table"] = (ru_mass, en_mass)
    del tokens
    release(chars)
    if p.w_open_end:
        ends = (_open_ends(ru), _open_ends(en))
        doc.open_end = ends if ends[0].any() or ends[1].any() else None
    return doc


def _open_ends(side: Sequence[str]) -> np.ndarray:
    """1 for each sentence that ends in ``_OPEN_MARKS`` (closing quotes and brackets after
    the mark, and French spacing before it, looked through), else 0 (float32)."""
    ends = [s.rstrip(_END_TRAIL)[-1:] in _OPEN_MARKS for s in side]
    return np.array(ends, dtype=np.float32)


def _numbers(side: Sequence[str]) -> Iterator[Counter[str]]:
    """The number anchors of each sentence (their own kind: a number on one side only costs)."""
    for sentence in side:
        digits = _NUM.findall(sentence)
        yield Counter("#" + (d.lstrip("0") or "0") for d in digits)


# One scan of a side's text finds every token the bags are made of; "\n" ends a sentence.
_ANCHOR_TOKEN = re.compile(r"[^\W\d_]+|\d+|[%?!" + _QUOTES + r"]|\n")
_LEX_TOKEN = re.compile(r"[^\W\d_]+|\n")
# What a scan finds first: runs of word characters (a quarter faster than the alternation of
# letters and digits), which hold every token of the pattern's; a run the pattern does not
# match whole ("COVID19", "a_b") is split by the pattern itself, once per distinct run.
_RUNS = {
    _ANCHOR_TOKEN: re.compile(r"\w+|[%?!" + _QUOTES + r"]|\n"),
    _LEX_TOKEN: re.compile(r"\w+|\n"),
}
_ONCE = ("?", "!", '"')  # anchors counted once per sentence however often they occur


def _joined(side: Sequence[str]) -> str:
    """The sentences one per line (a newline inside a sentence, which splits no token, is a
    space)."""
    text = "\n".join(side)
    if text.count("\n") != len(side) - 1:
        text = "\n".join(s.replace("\n", " ") for s in side)
    return text


# Characters NFC never changes next to any other (ASCII, Cyrillic letters); the few others
# in a text are checked one by one.
_PLAIN = re.compile("[\x00-\x7f\u0400-\u0482\u048a-\u04ff]+")
# Sentences tokenised at once: the str objects of one slice's tokens exist at a time.
_TOKEN_SLICE = 4096


@dataclass(frozen=True)
class _Tokens:
    """The tokens of one side's sentences: ``types`` (distinct, ``types[0]`` unused), per
    occurrence its type ``tok`` and sentence ``line``; and the characters outside ASCII and
    the Russian alphabet found in the sentences (``other``)."""

    side: Sequence[str]
    types: list[str]
    tok: np.ndarray
    line: np.ndarray
    other: frozenset[str]

    @property
    def size(self) -> int:
        return len(self.side)

    @classmethod
    def of(cls, side: Sequence[str], pattern: re.Pattern[str] = _ANCHOR_TOKEN) -> _Tokens:
        """One findall per slice of sentences and one dict look-up per token (a long
        document's Counters per sentence cost seconds)."""
        code = _RunCodes(pattern)
        toks: list[np.ndarray] = []
        other: set[str] = set()
        for first in range(0, len(side), _TOKEN_SLICE):
            text = _joined(side[first : first + _TOKEN_SLICE]) + "\n"
            other.update(_PLAIN.sub("", text))
            found = _RUNS.get(pattern, pattern).findall(text)
            toks.append(_expand(np.fromiter(map(code.__getitem__, found), np.int64, len(found)),
                                code.split_ids))  # fmt: skip
        index = code.index
        tok = np.concatenate(toks) if toks else np.zeros(0, dtype=np.int64)
        newline = tok == 0
        line = np.cumsum(newline) - newline  # a token's sentence: newlines before it
        keep = ~newline
        return cls(side, list(index), tok[keep].astype(np.int32),
                   line[keep].astype(np.int32), frozenset(other))  # fmt: skip


class _RunCodes(dict[str, int]):
    """Per distinct run a scan finds: its token's id in ``index``, or -1 - k for the k-th run
    that ``pattern`` splits into the tokens ``split_ids[k]``. A run is coded when first looked
    up (one look-up per run found), so tokens get their ids in the order they first occur."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        super().__init__()
        self.pattern = pattern
        self.index: dict[str, int] = {"\n": 0}
        self.split_ids: list[list[int]] = []

    def __missing__(self, run: str) -> int:
        index = self.index
        if self.pattern.fullmatch(run):
            code = index.setdefault(run, len(index))
        else:
            code = -1 - len(self.split_ids)
            self.split_ids.append([index.setdefault(t, len(index))
                                   for t in self.pattern.findall(run)])  # fmt: skip
        self[run] = code
        return code


def _expand(codes: np.ndarray, split_ids: list[list[int]]) -> np.ndarray:
    """Token ids from run codes: a code -1 - k stands for the ids ``split_ids[k]`` (none, one
    or several), any other code for itself.

    >>> _expand(np.array([4, -1, 5, -2, 6]), [[7, 8], []]).tolist()
    [4, 7, 8, 5, 6]
    """
    split = codes < 0
    if not split.any():
        return codes
    k = -1 - codes[split]
    sizes = np.array([len(ids) for ids in split_ids], dtype=np.int64)
    flat = np.array([i for ids in split_ids for i in ids], dtype=np.int64)
    first = np.cumsum(sizes) - sizes
    lens = np.ones(len(codes), dtype=np.int64)
    lens[split] = sizes[k]
    out = np.repeat(codes, lens)  # a split run's slots are filled below
    n_split = lens[split]
    at = np.repeat((np.cumsum(lens) - lens)[split], n_split)
    within = np.arange(int(n_split.sum())) - np.repeat(np.cumsum(n_split) - n_split, n_split)
    out[at + within] = flat[np.repeat(first[k], n_split) + within]
    return out


def _flat_of_tokens(
    tok: np.ndarray, line: np.ndarray, bag: Sequence[Sequence[int]], size: int
) -> _Flat:
    """The bags of ``size`` sentences whose token occurrences ``tok`` (in sentences ``line``)
    each add the key ids ``bag[token]``: the ``_Flat`` that Counters of those keys would give."""
    lens = np.fromiter(map(len, bag), dtype=np.int64, count=len(bag))
    keys = np.fromiter((k for b in bag for k in b), dtype=np.int64, count=int(lens.sum()))
    first = np.concatenate([[0], np.cumsum(lens)])
    # Each slice's codes go packed with their counts (``_merged_flat``) straight into one
    # array, as long as the occurrences' keys (the most the distinct codes can be) but touched
    # only as far as it is filled: the slices' codes and counts were held beside the whole
    # (20 bytes an entry; a 20 MB pair's Russian table bags were the aligner's peak).
    # A slice's count is at most its occurrences times a key's repeats in one token's keys.
    shift = (4 * _TOKEN_OCC * max(int(lens.max(initial=0)), 1)).bit_length()
    if len(tok) and not (((int(keys.max(initial=0)) + 1) * size) << shift) >> 62:
        occurrences = int(np.bincount(tok, minlength=len(lens)) @ lens)
        packed = np.empty(occurrences, dtype=np.int64)
    else:  # pragma: no cover - ids times sentences beyond 2**40 or so: slices, then merged
        packed = None
    at, top, most = 0, 0, 1
    codes: list[np.ndarray] = []
    counts: list[np.ndarray] = []
    # A slice of occurrences at a time (a token may add several keys: the expanded arrays of
    # a whole long document took 100+ MB), counted per (key, sentence) code, then merged.
    # Slices end where a sentence does (unless one sentence is far longer than a slice), so
    # their codes seldom repeat across slices.
    new_line = np.flatnonzero(line[1:] != line[:-1]) + 1
    a = 0
    while a < len(tok):
        b = a + _TOKEN_OCC
        if b >= len(tok):
            b = len(tok)
        else:
            k = int(np.searchsorted(new_line, b))
            if k < len(new_line) and new_line[k] - a <= 4 * _TOKEN_OCC:
                b = int(new_line[k])
        t = tok[a:b]
        per = lens[t]
        idx = np.repeat(first[t] - (np.cumsum(per) - per), per) + np.arange(int(per.sum()))
        code, count = np.unique(keys[idx] * size + np.repeat(line[a:b], per),
                                return_counts=True)  # fmt: skip
        if packed is not None:
            if len(code):
                packed[at : at + len(code)] = (code << shift) | count
                at += len(code)
                top, most = max(top, int(code[-1])), max(most, int(count.max()))
        else:  # pragma: no cover
            codes.append(code)
            counts.append(count.astype(np.int32))  # at most the slice's keys
        a = b
    del new_line
    if packed is None:  # pragma: no cover
        return _merged_flat(codes, counts, size)
    return _unpacked(packed[:at], shift, most, top, size)


def _merged_flat(codes: list[np.ndarray], counts: list[np.ndarray], size: int) -> _Flat:
    """The ``_Flat`` of per-slice sorted distinct codes ``key * size + unit`` and their counts,
    merged (counts summed where a code is in several slices; the lists are emptied).

    >>> f = _merged_flat([np.array([1, 5]), np.array([2, 5])],
    ...                  [np.array([1, 2], np.int32), np.array([3, 4], np.int32)], 2)
    >>> f.key.tolist(), f.unit.tolist(), f.count.tolist()
    ([0, 1, 2], [1, 0, 1], [1.0, 3.0, 6.0])
    """
    # Each code with its count in the low bits of one int64, sorted in place: 8 bytes an entry
    # (an argsort and the arrays it reorders held ~70 bytes an entry: 160 MB on a 20 MB pair).
    bits = max((int(n.max()) for n in counts if len(n)), default=1).bit_length()
    top = max((int(c[-1]) for c in codes if len(c)), default=0)
    if (top << bits) >> 62:  # pragma: no cover - ids times sentences beyond 2**40 or so
        code = np.concatenate(codes) if codes else np.zeros(0, np.int64)
        order = np.argsort(code, kind="stable")
        count = np.concatenate(counts)[order].astype(np.int64) if counts else code
        return _summed_flat(code[order], count, size)
    packed = np.empty(sum(map(len, codes)), dtype=np.int64)
    at = 0
    codes.reverse()
    counts.reverse()
    freed = _Freed()
    while codes:
        c, n = codes.pop(), counts.pop()
        packed[at : at + len(c)] = (c << bits) | n
        at += len(c)
        freed.add(c.nbytes + n.nbytes)
    del freed
    return _unpacked(packed, bits, (1 << bits) - 1, top, size)


def _unpacked(packed: np.ndarray, shift: int, most: int, top: int, size: int) -> _Flat:
    """The ``_Flat`` of codes ``key * size + unit`` (``top`` the highest) packed with their
    counts (``most`` the highest) in the low ``shift`` bits, sorted in place."""
    packed.sort()
    mask = (1 << shift) - 1
    # (a slice's shifted codes and their quotients are whole-slice int64 temporaries: at 16x
    # this step they were 16 MB beside the packed entries and the arrays being filled)
    step = _TOKEN_OCC
    if any(
        bool(np.any(np.diff(packed[a : a + step + 1] >> shift) == 0))
        for a in range(0, len(packed), step)
    ):  # a sentence longer than a slice: its codes are in two slices
        return _summed_flat(packed >> shift, packed & mask, size)
    # keys and units in 4 bytes, counts (small integers) in one when they fit: a sentence's
    # bags are held while every level's program runs (a 20 MB pair's: 3.3 M entries),
    # unpacked a slice at a time (no whole-length temporaries)
    key = np.empty(len(packed), dtype=np.int32 if top // size < _KEY_MAX else np.int64)
    unit = np.empty(len(packed), dtype=np.int32)
    weight = np.empty(len(packed), dtype=_count_dtype((1 << most.bit_length()) - 1))
    for a in range(0, len(packed), step):
        part = packed[a : a + step]
        high = part >> shift
        key[a : a + step] = high // size
        unit[a : a + step] = high % size
        weight[a : a + step] = part & mask
    return _Flat(unit, key, weight, size)


def _count_dtype(top: int) -> type[np.generic]:
    """The dtype a sentence level's counts up to ``top`` are held in: one byte when they fit
    (each use widens them: a minimum with another side's counts, bincount's weights, a block
    level's float sums), else float32 (integers exact below 2**24).

    >>> _count_dtype(255), _count_dtype(256)
    (<class 'numpy.uint8'>, <class 'numpy.float32'>)
    """
    return np.uint8 if top <= 255 else np.float32


def _summed_flat(code: np.ndarray, count: np.ndarray, size: int) -> _Flat:
    """The ``_Flat`` of sorted codes ``key * size + unit``, counts of equal codes summed."""
    new = np.empty(len(code), dtype=bool)
    new[:1] = True
    np.not_equal(code[1:], code[:-1], out=new[1:])
    starts = np.flatnonzero(new)
    total = np.add.reduceat(count, starts) if len(starts) else count
    code = code[starts]
    unit = (code % size).astype(np.int32)
    return _Flat(unit, _narrow(code // size), total.astype(np.float32), size)


_ROMANS = True  # (bench/align.py's ablation switches it off)
# A numeral of I, V and X (II to XXXIX: L and C are names' initials here), a French ordinal's
# ending allowed ("XIXe").
_ROMAN = re.compile(r"([IVX]+)(?:e|er|re|ème)?")


def _roman(token: str) -> int | None:
    """The value of a Roman numeral from II to XXXIX ("camp IV" is "Lager 4" in a German
    original), or of a French ordinal written with one from Ie ("XIXe siècle": "19.
    Jahrhundert"), else None (a lone "I" or "V" is a word or an initial); well-formedness
    is :func:`cleaners.numerals.roman`'s.

    >>> _roman("IV"), _roman("XXIII"), _roman("XIXe"), _roman("I"), _roman("IIII"), _roman("er")
    (4, 23, 19, None, None, None)
    """
    found = _ROMAN.fullmatch(token) if len(token) >= 2 else None
    return roman(found[1]) if found else None


def _anchor_flat(tokens: _Tokens, words: bool, ids: dict[str, int]) -> _Flat:
    """``_Flat.of(anchors(s, words) for s in side)``, from the side's tokens (a Roman
    numeral's number once per token type)."""
    types, tok, line = tokens.types, tokens.tok, tokens.line
    marks = {"%": "&percent", "?": "?", "!": "!"} | {q: '"' for q in _QUOTES}
    bag: list[tuple[int, ...]] = [()]
    is_word = np.zeros(len(types), dtype=bool)
    for k, t in enumerate(types[1:], 1):
        if t[0].isdigit():
            bag.append((ids.setdefault("#" + (t.lstrip("0") or "0"), len(ids)),))
        elif t in marks:
            bag.append((ids.setdefault(marks[t], len(ids)),))
        elif not words and _ROMANS and (n := _roman(t)):
            bag.append((ids.setdefault(f"#{n}", len(ids)),))
        else:
            bag.append(())
            is_word[k] = True
    if words and is_word.any():
        # A word's anchor depends on whether it is its sentence's first word and whether the
        # sentence has Cyrillic: one look-up per distinct (word, first, Cyrillic).
        at = np.flatnonzero(is_word[tok])
        w_tok, w_line = tok[at], line[at]
        first = np.concatenate([[True], w_line[1:] != w_line[:-1]])
        cyr_type = np.array([_CYRILLIC.search(t) is not None for t in types])
        cyrillic = np.bincount(w_line, weights=cyr_type[w_tok], minlength=tokens.size) > 0
        code = w_tok * 4 + first * 2 + cyrillic[w_line]
        # np.unique(code, return_inverse=True) by a table over the codes' range (no sort)
        seen = np.zeros(4 * len(types), dtype=bool)
        seen[code] = True
        combos = np.flatnonzero(seen)
        inverse = (np.cumsum(seen) - 1)[code]
        for c in combos.tolist():
            anchor = _word_anchor(types[c // 4], bool(c & 2), bool(c & 1))
            bag.append((ids.setdefault(anchor, len(ids)),) if anchor else ())
        tok = tok.copy()
        tok[at] = len(types) + inverse  # word occurrences point at their combination's bag
    flat = _flat_of_tokens(tok, line, bag, tokens.size)
    once = np.isin(flat.key, [ids[m] for m in _ONCE if m in ids])
    flat.count[once] = 1.0
    return flat


@lru_cache(maxsize=4096)
def _nfc_inert(c: str) -> bool:
    """Whether ``c`` is NFC-stable whatever surrounds it: not combining, its own NFC, and not
    a possible second half of a composition (conservatively: no mark or letter from U+0900
    on, where the vowel signs and Hangul jamo that compose are)."""
    return (
        unicodedata.combining(c) == 0
        and unicodedata.normalize("NFC", c) == c
        and not (ord(c) >= 0x900 and unicodedata.category(c) in ("Mc", "Mn", "Lo"))
    )


_Words = tuple[np.ndarray, np.ndarray, list[list[str]]]


def _table_words(tokens: _Tokens) -> _Words:
    """(token occurrences, their sentences, the lower-cased words of each token type): what
    ``lexsim.word_keys`` finds in each sentence, from the side's one scan.

    ``lexsim.word_keys`` normalises (NFC) and lower-cases a sentence before finding its words.
    Where NFC cannot change the text and no capital sigma makes lower-casing depend on the
    neighbours, that is the same as lower-casing each word found here (a word may split into
    two, never merge with another): one scan of the text serves both anchors and table.
    """
    odd = [c for c in tokens.other if c == "Σ" or not _nfc_inert(c)]
    pieces = [_WORD.findall(t.lower().replace("ё", "е")) for t in tokens.types]
    pieces[0] = []
    tok, line = tokens.tok, tokens.line
    if odd:  # the sentences with such characters go the long way (word_keys's own steps)
        lines = tokens.side
        slow = np.array([k for k, x in enumerate(lines) if any(c in x for c in odd)])
        keep = ~np.isin(line, slow)
        low = [unicodedata.normalize("NFC", lines[k]).lower().replace("ё", "е") for k in slow]
        extra = _Tokens.of(low, _LEX_TOKEN)
        tok = np.concatenate([tok[keep], extra.tok + len(pieces)])
        line = np.concatenate([line[keep], slow[extra.line]]) if len(slow) else line[keep]
        pieces += [[t] for t in extra.types]
    return tok, line, pieces


def _table_flat(
    tokens: _Tokens,
    table: lexsim.Table,
    src: bool,
    ids: dict[str, int],
    words: _Words | None = None,
    content: list[list[str]] | None = None,
) -> tuple[_Flat, np.ndarray]:
    """The word-table bags of one side (``table.source_bag`` / ``target_bag`` of each sentence,
    as a ``_Flat``) and each sentence's number of content keys (``words``, ``content``: the
    side's ``_table_words`` and their ``_content_keys``, if already found).

    A source key is credited once per sense the target holds (``lexsim.matched`` counts one
    to one). Tried, not kept: the lesser of this and a by-source-key count (+1.6 % over one
    to one, not +4.3 %) changed no held-out dev F1 (WMT21, Online-A, FLORES ru–en, both
    de–fr) for +20 % CPU and +80 MB at 60k sentences; each source key's first sense in the
    document changed none either."""
    tok, line, pieces = words or _table_words(tokens)
    side = "src" if src else "tgt"
    bag: list[list[int]] = []
    mass = np.zeros(len(pieces))
    for k, keys in enumerate(content or _content_keys(pieces, table, side)):
        mass[k] = len(keys)
        bag.append([ids.setdefault(t, len(ids)) for key in keys
                    for t in (table.targets(key) if src else (key,))])  # fmt: skip
    counts = np.bincount(line, weights=mass[tok], minlength=tokens.size)
    return _flat_of_tokens(tok, line, bag, tokens.size), counts


def _content_keys(
    pieces: list[list[str]], table: lexsim.Table, side: str, cognates: int = 0
) -> list[list[str]]:
    """The table's content keys of each token type's words; with ``cognates``, a content
    word's cognate key (``_cognate_key``) too, which translates to itself: a held-out table
    knows few of a text's words, but many are cognates of their translation (Simard et al.
    1992 took a shared four-letter prefix; accent folding and five letters suit de–fr). A
    German compound the table does not know also brings its known parts' keys
    (``_compound_keys``)."""
    keys = [table.content_keys(found, side) for found in pieces]
    if _COMPOUNDS and (table.src_lang if side == "src" else table.tgt_lang) == "de":
        for k, found in enumerate(pieces):
            if keys[k]:
                keys[k] = keys[k] + [p for w in found for p in _compound_keys(w, table, side)]
    if cognates:
        for k, found in enumerate(pieces):
            if keys[k]:  # (a token type is one word; none for a stop word)
                keys[k] = keys[k] + [c for w in found if (c := _cognate_key(w, cognates))]
    return keys


_COMPOUNDS = True  # (bench/align.py's ablation switches it off)
# Linking elements a German compound's modifier may end in (Verbindung-s-offizier).
_LINKS = ("", "s", "es", "n", "en", "e", "er")


def _compound_split(word: str) -> tuple[str, str] | None:
    """(modifier, head) of a lower-cased German compound: its split into two words of
    wordfreq's small German list (the modifier less a linking element) whose frequencies
    multiply to the most (Koehn & Knight 2003), or None.

    >>> _compound_split("verbindungsoffizier"), _compound_split("talseite")
    (('verbindung', 'offizier'), ('tal', 'seite'))
    >>> _compound_split("berechnungen") is None
    True
    """
    if len(word) < 8:
        return None
    zipf = langev.zipf_table("de", "small")
    best: tuple[float, str, str] | None = None
    for i in range(3, len(word) - 3):
        head = zipf.get(word[i:])
        if head is None:
            continue
        for link in _LINKS:
            mod = word[: i - len(link)]
            ok = word[:i].endswith(link) and len(mod) >= 3 and mod in zipf
            if ok and (best is None or zipf[mod] + head > best[0]):
                best = (zipf[mod] + head, mod, word[i:])
    return (best[1], best[2]) if best else None


def _compound_keys(word: str, table: lexsim.Table, side: str) -> list[str]:
    """For a German compound whose own key the word table does not know, the keys of its
    parts that it does (head first): Talseite's key 'talse' is unknown, 'seite' and 'tal'
    are known (flanc, vallée). A known compound keeps its own key alone (adding its parts'
    to every compound lost beads on the Text+Berg dev folds)."""
    known = _known_keys(table, side)
    own = table.key(word, side)
    if own in known:  # (before the split: most words are known)
        return []
    split = _compound_split(word)
    if split is None:
        return []
    stop = table.src_stop if side == "src" else table.tgt_stop
    out: list[str] = []
    for part in split[::-1]:
        key = table.key(part, side)
        if key in known and key not in stop and key != own and key not in out:
            out.append(key)
    return out


# The last table's known keys per (languages, side): one entry each, however many tables a
# process swaps in (bench/align.py's held-out ones).
_KNOWN: dict[tuple[str, str, str], tuple[lexsim.Table, frozenset[str]]] = {}


def _known_keys(table: lexsim.Table, side: str) -> frozenset[str]:
    """The keys of one side that the table translates (source keys, or the targets)."""
    slot = (table.src_lang, table.tgt_lang, side)
    got = _KNOWN.get(slot)
    if got is None or got[0] is not table:
        keys = table.trans if side == "src" else (t for ts in table.trans.values() for t in ts)
        got = _KNOWN[slot] = (table, frozenset(keys))
    return got[1]


def _cognate_key(word: str, length: int) -> str | None:
    """A lower-cased word's first ``length`` letters without accents and with German and
    French spellings of one sound folded together (``_SPELLED``: ph f, th t, qu k z c, y i,
    ß ss), "~" keeping the key apart from the table's own; None for a shorter word.

    >>> _cognate_key("géologie", 5), _cognate_key("geologisch", 5), _cognate_key("mont", 5)
    ('~geolo', '~geolo', None)
    >>> [_cognate_key(w, 5) for w in ("offiziell", "officielle", "zentrum", "centre")]
    ['~offic', '~offic', '~centr', '~centr']
    """
    return _folded_prefix(word, length, _SPELLING)


@lru_cache(maxsize=1 << 16)
def _folded_prefix(word: str, length: int, spelling: bool) -> str | None:
    if len(word) < length:
        return None
    folded = unicodedata.normalize("NFD", word[: 2 * length])
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    if spelling:
        folded = _SPELL.sub(lambda m: _SPELLED[m[0]], folded)
    return "~" + folded[:length]


_SPELLING = True  # (bench/align.py's ablation switches it off)
# Letters German and French write one sound with (offiziell ~ officiel, Zentrum ~ centre,
# Photograph ~ photographe, Physik ~ physique): Text+Berg dev folds held out, 6 of 12 gain.
_SPELLED = {"ph": "f", "th": "t", "qu": "c", "k": "c", "z": "c", "y": "i", "ß": "ss"}
_SPELL = re.compile("|".join(sorted(_SPELLED, key=len, reverse=True)))


def _table_occurrences(
    words: _Words,
    content: list[list[str]],
    size: int,
    table: lexsim.Table,
    src: bool,
    ids: dict[str, int],
) -> _Occurrences:
    """Each distinct content key of each sentence (sorted by sentence) with what it matches
    in the other side's table bags: its translations, or itself on the target side (ids shared
    with ``_table_flat``'s)."""
    tok, line, _ = words
    keys_of: dict[str, int] = {}
    own = [[keys_of.setdefault(key, len(keys_of)) for key in keys] for keys in content]
    occ = _flat_of_tokens(tok, line, own, size)
    order = np.lexsort((occ.key, occ.unit))  # by sentence: _coverage adds a slice at a time
    sent, key, count = occ.unit[order], occ.key[order], occ.count[order]
    match = [[ids.setdefault(t, len(ids)) for t in (table.targets(k) if src else (k,))]
             for k in keys_of]  # fmt: skip
    lens = np.fromiter(map(len, match), dtype=np.int64, count=len(match))
    targets = np.fromiter((t for ts in match for t in ts), np.int64, int(lens.sum()))
    first = np.concatenate([[0], np.cumsum(lens)]).astype(np.int64)
    per = lens[key]
    entry = np.repeat(np.arange(len(key)), per)
    at = np.repeat(first[key] - (np.cumsum(per) - per), per) + np.arange(int(per.sum()))
    matches = _Flat._sorted(
        entry.astype(np.int32), targets[at], np.ones(len(entry), np.float32), len(key)
    )
    # 4-byte sentences, weights and keys (``_pair_overlaps`` widens them a slice at a time)
    return _Occurrences(sent.astype(np.int32), count.astype(np.float32), matches)


def _windows(band: _Band, m: int) -> np.ndarray:
    """Per ru unit s, the en units (first, last) any bead ending in the band can pair it with:
    s is in beads ending on rows s+1 .. s+D, with en units down to D' columns back."""
    d_ru = max(di for di, _ in MOVES)
    d_en = max(dj for _, dj in MOVES)
    n = len(band.off) - 1
    end = band.off + band.width  # one past each row's last column
    first = np.full(n, m, dtype=np.int64)
    last = np.zeros(n, dtype=np.int64)
    for a in range(1, d_ru + 1):
        rows = np.minimum(np.arange(n) + a, n)
        first = np.minimum(first, band.off[rows] - d_en)
        last = np.maximum(last, end[rows])
    return np.stack([first, last], axis=1)


# Rows up and down the path whose columns the band must hold (``_path_reach``): a bead's
# reach, the furthest a run of 0-1 beads moves when a bead goes from one end of it to the other.
_RUN_ROWS = _REACH_ROWS


def _path_reach(path: _Path, n: int, rows: int) -> tuple[np.ndarray, np.ndarray]:
    """Per DP row, the lowest and highest column of the path's cells (bead end points and
    (0, 0)) within ``rows`` rows of it (a large / negative sentinel where there is none).

    >>> p = _Path(np.array([1, 1, 1, 2]), np.array([1, 2, 9, 10]), np.zeros(4, np.float32))
    >>> [x.tolist() for x in _path_reach(p, 3, 1)]
    [[0, 0, 1, 10], [9, 10, 10, 10]]
    """
    rows_at = np.r_[0, path.rows]
    cols_at = np.r_[0, path.cols]
    big = np.iinfo(np.int64).max
    own_lo = np.full(n + 1, big, dtype=np.int64)
    own_hi = np.full(n + 1, -1, dtype=np.int64)
    # The path is monotone: a row's first cell is its lowest column, its last its highest.
    first = np.r_[True, rows_at[1:] != rows_at[:-1]]
    last = np.r_[rows_at[1:] != rows_at[:-1], True]
    own_lo[rows_at[first]] = cols_at[first]
    own_hi[rows_at[last]] = cols_at[last]
    lo, hi = own_lo.copy(), own_hi.copy()
    for d in range(1, rows + 1):
        np.minimum(lo[d:], own_lo[:-d], out=lo[d:])
        np.minimum(lo[:-d], own_lo[d:], out=lo[:-d])
        np.maximum(hi[d:], own_hi[:-d], out=hi[d:])
        np.maximum(hi[:-d], own_hi[d:], out=hi[:-d])
    return lo, hi


def _own_ratio(doc: _Doc, config: AlignConfig) -> float:
    """English chars per Russian char: the document's own figure, shrunk towards the typical
    one (a short document's total is thrown off by a single dropped or inserted sentence)."""
    ratio = (doc.en_len.sum() + _RATIO_WEIGHT * config.length_ratio) / (
        doc.ru_len.sum() + _RATIO_WEIGHT
    )
    return float(np.clip(ratio, 0.3, 3.0))


def _doubtful_ratio(doc: _Doc, config: AlignConfig) -> bool:
    """Whether the document's own ratio is so far from the typical one that one side may be
    incomplete (``_RATIO_DOUBT``)."""
    own = _own_ratio(doc, config)
    return max(own / config.length_ratio, config.length_ratio / own) >= _RATIO_DOUBT


def _solve(
    doc: _Doc,
    config: AlignConfig,
    with_mt: bool,
    with_lex: bool,
    scale: int = 1,
    ratio: float | None = None,
) -> _Path:
    """The best path's bead end points (i, j) with each bead's own cost; ``scale`` is the
    number of sentences per unit (1, or a block level's); ``ratio`` the English chars per
    Russian char to expect (default: the document's own, ``_own_ratio``)."""
    p = _params(config, with_mt, with_lex, scale, doc.one_script)
    coarse = scale > 1
    n, m = len(doc.ru_len), len(doc.en_len)
    if ratio is None:
        ratio = _own_ratio(doc, config)
    weights = {"anchor": p.w_anchor, "num": p.w_number_miss, "mt": p.w_mt, "table": p.w_lex}
    # Keys in many blocks say little about where a block goes and cost the most to match.
    common = max(8, m // 50) if coarse else None
    lo, hi, block = _rough_path(doc, config, with_mt, with_lex, scale, ratio)
    # The coarser levels' bags and programs are freed: their pages go back before this
    # level's are made (a 20 MB pair's finest level ran ~30 MB higher on what they left).
    release(int(doc.ru_len.sum() + doc.en_len.sum()))
    doc = doc.with_bags(common)  # (a block level's, once the coarser levels are done)
    kinds = [kind for kind in doc.bags if weights[kind]]
    # The fine path stays within a block or so of the rough one. Short documents (and a rough
    # path from one level of a few sentences a block) keep the configured band; a path refined
    # level after level is good to a block (60k sentences: a third less time, same F1).
    h0 = max(config.band // 2, 4, block + 8) if block < _COARSE_FACTOR else block + 8
    half = np.full(n + 1, h0, dtype=np.int64)
    filled = None
    rounds = 0
    while True:
        band = _Band.around(lo, hi, half, m)
        window = _windows(band, m)
        cover = None
        if not coarse and p.w_cover and doc.occurrences is not None:
            cover = _coverages(doc, band, window)
        pairs = {kind: _pair_overlaps(*doc.bags[kind], window, common) for kind in kinds
                 if not (cover and kind == "table")}  # fmt: skip
        feats = _Features(
            doc.ru_len, doc.en_len, ratio, pairs, doc.mass, cover=cover, open_end=doc.open_end
        )
        before, filled = ([filled] if filled else None), None  # _run frees it once copied
        path, touched, filled = _run(feats, band, p, m, before)
        del pairs, feats, cover  # (a wider band's are made beside the program kept)
        if band.full(m):
            return path
        # The path's columns a few rows up and down that the band leaves out: a run of 0-1
        # beads the band holds in its own row but not in the rows beside it (the band is
        # measured along rows), where moving a bead from one end of the run to the other
        # (the run a row higher or lower) leaves the band.
        near_lo, near_hi = _path_reach(path, n, _RUN_ROWS)
        below = near_lo < band.off
        above = near_hi >= band.off + band.width
        if not touched and not below.any() and not above.any():
            return path
        # Those rows take in the run's columns (a one-sided run is as long as it is: the
        # cells added grow with it, not with the document).
        lo = np.where(below, np.minimum(lo, near_lo), lo)
        hi = np.where(above, np.maximum(hi, near_hi), hi)
        # Widen only around where the path met the edge: a misplaced jump of the rough path
        # is local, and doubling the whole band for it cost a long document its linear time.
        # From the ``_WIDEN_ROUNDS``-th round on, the widening doubles each round: a document
        # much longer on one side (4,000 dev lines against their first 1,000) met the edge a few
        # rows at a time for 76 rounds, 11 s of CPU (now 3 s). Every bench/align.py dev document,
        # and its 2,000 to 20,000-sentence concatenations, is done before: the same path.
        rounds += 1
        grow = 2 ** max(1, rounds - _WIDEN_ROUNDS + 2)
        wider = half.copy()
        for i in touched:
            reach = grow * int(half[i]) + block
            part = wider[max(i - reach, 0) : i + reach + 1]
            np.maximum(part, min(grow * int(half[i]), m + 1), out=part)
        half = wider


def _sure(path: _Path, ru: Sequence[str], en: Sequence[str], table: lexsim.Table) -> float:
    """The word-table similarity summed over the path's two-sided beads whose sides share
    ``_SURE_SIMILARITY`` of their words or more (the bead score alone is high for any two
    sentences of fitting length; a sentence's bead taking in three more of the other side's
    still shares 0.44 of its words, its own 1-1 0.68)."""
    i0 = j0 = 0
    sure = 0.0
    for i, j, _ in path:
        if i > i0 and j > j0:
            similarity = table.similarity(" ".join(ru[i0:i]), " ".join(en[j0:j]))
            sure += similarity if similarity >= _SURE_SIMILARITY else 0.0
        i0, j0 = i, j
    return sure


def _score(bead_cost: float, kind: tuple[int, int]) -> float:
    """Map a bead's own cost to 0..1: near 1 for a clean 1-1, lower as the evidence weakens.

    A 1-0 / 0-1 bead aligns nothing and scores 0. On WMT21 dev (bench/align.py damage) the
    score ranks right beads above wrong ones with AUC .80 (.88 with retranslation).
    """
    if 0 in kind:
        return 0.0
    return round(1.0 / (1.0 + math.exp(2.0 * (bead_cost - 1.0))), 4)


_FURNITURE = True  # (bench/align.py's ablation switches it off)
# A page break inside a sentence of a scanned book leaves the page's running header and page
# numbers in it: "... zwei Höhenzahlen - 2 Die Alpen - 1957 - Les Alpes 17 8153 m ...". A
# span of words (and four-digit years, punctuation) between two numbers of one to three
# digits is taken for such furniture when it is not the sentence's language alone: it holds
# a year and function words of both languages of the pair (a bilingual periodical's titles
# and volume; "zum Col de la Forclaz", a French name in German text, is no title), or the
# same words make such a span on the other side of the document too (text both sides hold
# untranslated is not a translation of either).
_FURN_TOKEN = r"(?:[^\W\d_]++|\d{4}(?!\d)|[^\w\s])"
_FURNITURE_SPAN = re.compile(
    rf"(?<![\w.,])\d{{1,3}}[ \t]+({_FURN_TOKEN}(?:[ \t]*{_FURN_TOKEN}){{1,11}})[ \t]+\d{{1,3}}"
    r"(?![\w]|[.,]\d)"
)
_FUNCTION_LETTERS = 4  # a function word is a stop key of at most this many letters
_YEAR = re.compile(r"\b1[5-9]\d\d\b|\b20\d\d\b")


def _bilingual(words: frozenset[str], table: lexsim.Table, side: str) -> bool:
    """Whether ``words`` (lower-cased) hold a short stop word of each language of the pair that
    is none of the other's (``die`` and ``les``; ``des`` is both): a bilingual title, not a
    place name of the other language in this one's text (``Col de la Forclaz``)."""
    other = "tgt" if side == "src" else "src"
    own_stop, other_stop = (
        (table.src_stop, table.tgt_stop) if side == "src" else (table.tgt_stop, table.src_stop)
    )
    short = [w for w in words if len(w) <= _FUNCTION_LETTERS]
    keys = [(table.key(w, side), table.key(w, other)) for w in short]
    return any(k in own_stop and o not in other_stop for k, o in keys) and any(
        o in other_stop and k not in own_stop for k, o in keys
    )


def _short_number_lines(tokens: _Tokens) -> np.ndarray:
    """The sentences of a side with at least two numbers of one to three digits."""
    short = np.array([t.isdigit() and len(t) <= 3 for t in tokens.types], dtype=bool)
    count = np.bincount(tokens.line[short[tokens.tok]], minlength=tokens.size)
    return np.flatnonzero(count >= 2)


def _without_furniture(
    ru: Sequence[str],
    en: Sequence[str],
    table: lexsim.Table | None = None,
    lines: Sequence[np.ndarray] | None = None,
) -> tuple[Sequence[str], Sequence[str]]:
    """The two sides with a page's running header and page numbers (``_FURNITURE_SPAN``)
    taken out of the sentences whose costs they would skew (in length, numbers and words;
    the beads keep the sentences as written); each side itself when there is none.
    ``table``: the pair's word table, whose stop keys tell each language's function words;
    ``lines``: per side, the only sentences to look at (default: all).

    >>> de = ["Er stieg - 2 Die Alpen - 1957 - Les Alpes 17 bis zum Gipfel .", "Lager 2 und 3 ."]
    >>> fr = ["Il monta 4 Les Alpes - 1957 - Die Alpen 5 au sommet .", "Les camps 2 et 3 ."]
    >>> de_out, fr_out = _without_furniture(de, fr)
    >>> de_out, fr_out[0]
    (['Er stieg - bis zum Gipfel .', 'Lager 2 und 3 .'], 'Il monta au sommet .')
    """
    found: list[list[tuple[int, int, int, frozenset[str]]]] = [[], []]
    titles: set[tuple[int, int]] = set()  # (side, index in found[side]) of bilingual titles
    for side, sentences in enumerate((ru, en)):
        look = range(len(sentences)) if lines is None else lines[side].tolist()
        for line in look:
            for m in _FURNITURE_SPAN.finditer(sentences[line].replace("\n", " ")):
                words = frozenset(w.lower() for w in _WORD.findall(m[1]) if len(w) > 1)
                if len(words) < 2:
                    continue
                year = _YEAR.search(m[1]) is not None
                if table and year and _bilingual(words, table, ("src", "tgt")[side]):
                    titles.add((side, len(found[side])))
                found[side].append((line, m.start(), m.end(), words))
    both = {w for *_, w in found[0]} & {w for *_, w in found[1]}
    out: list[Sequence[str]] = [ru, en]
    for side, sentences in enumerate((ru, en)):
        cut = [f for k, f in enumerate(found[side]) if f[3] in both or (side, k) in titles]
        if not cut:
            continue
        cleaned = list(sentences)
        for line, a, z, _ in reversed(cut):  # (a line's later spans first)
            s = cleaned[line].replace("\n", " ")
            cleaned[line] = s[:a] + " " + s[z:]
        for line in {f[0] for f in cut}:
            cleaned[line] = " ".join(cleaned[line].split())
        out[side] = cleaned
    return out[0], out[1]


_RECHECK = True  # (bench/align.py's ablation switches it off)
_STRANGERS = True  # (likewise)

# The prior of the beads past 2-2 is refitted to the document (see ``_refit_big_prior``): its
# first path's share of them, shrunk towards the configured prior as if this many beads more
# had been seen at that prior; the search runs again only when that is at least
# ``_BIG_TRIGGER`` times the configured prior (and only with the coverage score: never for
# ru–en with its default Dice score).
_BIG_SHRINK = 500.0
_BIG_TRIGGER = 1.5
# Prior mass of the beads past 2-2, in units of ``p_merge3``: 3-1, 1-3, 3-2, 2-3, and 4-1,
# 1-4 at a third of it (``_params``). 3-3 beads (a third too) are neither counted nor in the
# mass: the refit reads the share it did before them (counted, mass 5, the refitted prior is
# 7 % lower and Text+Berg dev fold k=2 A's paper F1 lost a 3-1 bead to a 2-1 and a deletion).
_BIG_MASS = 4 + 2 / 3


def _refit_big_prior(
    path: _Path | list[tuple[int, int, float]], config: AlignConfig
) -> AlignConfig | None:
    """The config with ``p_merge3`` refitted to the beads past 2-2 on ``path``, or None when it
    would change little.

    Literary translators regroup sentences (Text+Berg dev: one bead in fifteen is 3-1, 1-3,
    3-2, … against a prior of one in two hundred), news translation and scraping hardly ever:
    one prior cannot suit both, and the first path says which kind of text this is (one
    Viterbi re-estimation step, shrunk towards the configured prior).

    >>> def path(kinds):
    ...     i = j = 0
    ...     return [((i := i + a), (j := j + b), 0.0) for a, b in kinds]
    >>> round(_refit_big_prior(path([(1, 1)] * 95 + [(3, 1)] * 5), AlignConfig()).p_merge3, 4)
    0.0026
    >>> _refit_big_prior(path([(1, 1)] * 900 + [(2, 1)] * 100), AlignConfig()) is None
    True
    """
    if config.method == "gale-church":
        return None
    big = 0
    i0 = j0 = 0
    for i, j, _ in path:
        di, dj = i - i0, j - j0
        big += di + dj >= 4 and (di, dj) not in ((2, 2), (3, 3))
        i0, j0 = i, j
    share = (big + _BIG_SHRINK * _BIG_MASS * config.p_merge3) / (len(path) + _BIG_SHRINK)
    p3 = share / _BIG_MASS
    if p3 < _BIG_TRIGGER * config.p_merge3:
        return None
    return config.model_copy(update={"p_merge3": min(p3, 0.1)})


# The prior of 1-0 / 0-1 beads is refitted to the document too (``_refit_skip_prior``): the
# first path's share of them, shrunk towards the configured prior as if this many beads more
# had been seen at it; the search runs again when that raises the prior ``_SKIP_TRIGGER``
# times or more (to at most ``_SKIP_MAX``). Only upwards: lowering it tied on
# bench/skip_rates.py and searched a long clean document twice (20,000 lines with 0.3 % of
# one side dropped: 1.7 times the CPU).
_SKIP_REFIT = True  # (bench/skip_rates.py compares it with the fixed prior)
_SKIP_SHRINK = 100.0
_SKIP_TRIGGER = 1.5
_SKIP_MAX = 0.15
_SKIP_RUN = 6  # (``_BLOCK_RUN``'s length, apart from it so that each ablation takes out one part)


def _refit_skip_prior(
    path: _Path | list[tuple[int, int, float]], config: AlignConfig
) -> AlignConfig | None:
    """The config with ``p_skip`` refitted to the 1-0 / 0-1 beads on ``path``, or None when it
    would change little.

    A clean translation leaves nothing out, a scraped page or a scanned book with captions
    leaves many sentences without a counterpart: one prior cannot suit both, and the first path
    says which kind of document this is (one Viterbi re-estimation step, shrunk towards the
    configured prior; a path with fewer deletions than the prior keeps it).

    >>> def path(kinds):
    ...     i = j = 0
    ...     return [((i := i + a), (j := j + b), 0.0) for a, b in kinds]
    >>> round(_refit_skip_prior(path(([(1, 1)] * 4 + [(1, 0)]) * 20), AlignConfig()).p_skip, 4)
    0.065
    >>> _refit_skip_prior(path([(1, 1)] * 399 + [(0, 1)]), AlignConfig()) is None
    True
    >>> _refit_skip_prior(path([(1, 1)] * 20 + [(0, 1)]), AlignConfig()) is None
    True
    >>> _refit_skip_prior(path([(1, 1)] * 80 + [(0, 1)] * 20 + [(1, 1)] * 5), AlignConfig()) is None
    True
    """
    if config.method == "gale-church" or not _SKIP_REFIT:
        return None
    # A run of ``_SKIP_RUN`` skipped sentences or more is one block of one-sided material (a
    # book's captions), not a rate of scattered deletions: its beads are left out of the count
    # (Text+Berg dev, 36 captions in a row: counted, the prior rose and literary regroupings
    # came apart into a deletion and a smaller bead).
    skips = beads = run = 0
    i0 = j0 = 0
    for i, j, _ in [*path, (-1, -1, 0.0)]:  # (a two-sided sentinel closes the last run)
        if (i == i0) != (j == j0):
            run += 1
        else:
            if run < _SKIP_RUN:
                skips += run
                beads += run
            beads += i >= 0
            run = 0
        i0, j0 = i, j
    # Two bead types (1-0, 0-1) at ``p_skip`` each.
    share = (skips + _SKIP_SHRINK * 2 * config.p_skip) / (beads + _SKIP_SHRINK)
    p = min(share / 2, _SKIP_MAX)
    if p < _SKIP_TRIGGER * config.p_skip:
        return None
    return config.model_copy(update={"p_skip": p})


_Span = tuple[tuple[int, ...], tuple[int, ...], float]  # (ru sentences, en sentences, score)


def _explained(ru_keys: set[str], en_keys: set[str], table: lexsim.Table, side: int) -> int:
    """How many keys of one ``side`` (0: ru, 1: en) the other side's keys translate (a key
    through its table targets, and itself between two languages in one script)."""
    if side == 1:
        return len(en_keys & {t for a in ru_keys for t in table.targets(a)})
    return sum(1 for a in ru_keys if not en_keys.isdisjoint(table.targets(a)))


# A run of at least this many 1-0 / 0-1 beads in a row is one-sided material (a book's
# captions and plates, notes), not fragments folded into a neighbour: longer than any side
# of a gold bead of Text+Berg dev (1-5, 2-5). Its edge sentences stay skipped (Text+Berg dev:
# the first sentence after 30 skipped caption lines joined the wrong bead; 6 to 20 alike).
_BLOCK_RUN = 6


def _skip_blocks(spans: list[_Span]) -> set[tuple[tuple[int, ...], tuple[int, ...]]]:
    """The 1-0 / 0-1 beads of ``spans`` in runs of at least ``_BLOCK_RUN``.

    >>> s = [((0,), (0,), 1.0)] + [((), (j,), 0.0) for j in range(1, 7)] + [((1,), (), 0.0)]
    >>> len(_skip_blocks(s)), len(_skip_blocks(s[:4] + [((2,), (9,), 1.0)] + s[4:]))
    (7, 0)
    """
    out: set[tuple[tuple[int, ...], tuple[int, ...]]] = set()
    k = 0
    while k < len(spans):
        z = k
        while z < len(spans) and not (spans[z][0] and spans[z][1]):
            z += 1
        if z - k >= _BLOCK_RUN:
            out.update((r, e) for r, e, _ in spans[k:z])
        k = max(z, k + 1)
    return out


def _recheck_skips(
    spans: list[_Span], ru: Sequence[str], en: Sequence[str], table: lexsim.Table, cognates: int
) -> list[_Span]:
    """SentAlign's second look at the path's 1-0 / 0-1 beads: a skipped sentence joins the
    neighbouring bead in which it translates the most words of the other side that nothing in
    the bead translated (a fragment a translator folded into its neighbour's sentence), if it
    translates any there; else it stays skipped. The joined bead may be a shape the search
    does not make (a 1-4 and a fragment: 1-5). A sentence in a long run of skipped ones
    (``_skip_blocks``) stays skipped."""
    cache: dict[tuple[int, int], set[str]] = {}

    def keys(side: int, idx: tuple[int, ...]) -> set[str]:
        out: set[str] = set()
        for k in idx:
            if (side, k) not in cache:
                found = lexsim.words(ru[k] if side == 0 else en[k])
                pieces = _content_keys([[w] for w in found], table, "tgt" if side else "src",
                                       cognates)  # fmt: skip
                cache[side, k] = {key for piece in pieces for key in piece}
            out |= cache[side, k]
        return out

    block = _skip_blocks(spans)
    out = list(spans)
    k = 0
    while k < len(out):
        r, e, _ = out[k]
        side = 0 if r else 1  # the skipped sentence's side; the other one gains
        best: tuple[int, int] | None = None  # (gain, neighbour)
        for nb in (k - 1, k + 1) if not (r and e or (r, e) in block) else ():
            if 0 <= nb < len(out) and out[nb][0] and out[nb][1]:
                nr, ne, _ = out[nb]
                before = _explained(keys(0, nr), keys(1, ne), table, 1 - side)
                after = _explained(keys(0, nr + r), keys(1, ne + e), table, 1 - side)
                if after > before and (best is None or after - before > best[0]):
                    best = (after - before, nb)
        if best is None:
            k += 1
            continue
        lo = min(best[1], k)
        (ar, ae, a_score), (br, be, b_score) = out[lo], out[lo + 1]
        out[lo : lo + 2] = [(ar + br, ae + be, a_score if best[1] < k else b_score)]
        k = lo + 1
    return out


# A sentence at the edge of a bead with nothing in common with the bead's other side is one
# the other side does not say (an English line translating a sentence the Russian lacks: the
# search folds a short one into its neighbour's bead when a 0-1 costs more). It must hold
# this many content keys (a "+17 °C." or a "He said." carries no evidence either way).
_STRANGER_KEYS = 3
_STRANGER_START = re.compile(r"[^\W_]")  # its first letter or digit


def _split_strangers(
    spans: list[_Span], ru: Sequence[str], en: Sequence[str], table: lexsim.Table
) -> list[_Span]:
    """Each two-sided bead's first or last sentence on a side of two or more split off as a
    1-0 / 0-1 bead where it is a sentence of its own (a capital or a digit first, no open end
    before it or, first in the bead, its own), has ``_STRANGER_KEYS`` content keys or more, none of
    them nor a number or name anchor shared with the bead's other side (through the table),
    while the rest of its side shares at least two keys with that other side."""
    cache: dict[tuple[int, int], tuple[set[str], set[str]]] = {}

    def keys(side: int, k: int) -> tuple[set[str], set[str]]:
        """The sentence's content keys and its number and name anchors."""
        if (side, k) not in cache:
            text = ru[k] if side == 0 else en[k]
            pieces = _content_keys(
                [[w] for w in lexsim.words(text)], table, "tgt" if side else "src"
            )
            marks = {a for a in anchors(text) if a[0] in "#@&"}
            cache[side, k] = ({key for piece in pieces for key in piece}, marks)
        return cache[side, k]

    def union(side: int, idx: Sequence[int]) -> tuple[set[str], set[str]]:
        content: set[str] = set()
        marks: set[str] = set()
        for k in idx:
            c, m = keys(side, k)
            content |= c
            marks |= m
        return content, marks

    def shared(side: int, idx: Sequence[int], other: tuple[set[str], set[str]]) -> int:
        mine = union(side, idx)
        ru_keys, en_keys = (mine[0], other[0]) if side == 0 else (other[0], mine[0])
        return _explained(ru_keys, en_keys, table, side)

    def stranger(side: int, idx: tuple[int, ...], pos: int, other_idx: tuple[int, ...]) -> bool:
        """Whether ``idx[pos]`` shares nothing with the other side and the rest does."""
        k, rest = idx[pos], idx[1:] if pos == 0 else idx[:-1]
        text = ru if side == 0 else en
        # A sentence of its own: a capital (or a digit) opens it, and neither it (first in
        # the bead) nor the sentence before it ends open, in , ; : (a clause cut at a comma
        # continues one).
        last = text[k] if pos == 0 else text[rest[-1]]
        first = _STRANGER_START.search(text[k])
        opens = first is not None and (first[0].isupper() or first[0].isdigit())
        if not opens or last.rstrip(_END_TRAIL)[-1:] in _OPEN_MARKS:
            return False
        other = union(1 - side, other_idx)
        content, marks = keys(side, k)
        return (
            len(content) >= _STRANGER_KEYS
            and marks.isdisjoint(other[1])
            and shared(side, (k,), other) == 0
            and shared(side, rest, other) >= 2
        )

    out: list[_Span] = []
    for r, e, score in spans:
        if not (r and e):
            out.append((r, e, score))
            continue
        sides, before, after = [r, e], [], []
        for side in (0, 1):
            while len(sides[side]) >= 2:
                pos = next((p for p in (0, -1) if stranger(side, sides[side], p, sides[1 - side])),
                           None)  # fmt: skip
                if pos is None:
                    break
                k = sides[side][pos]
                alone: _Span = ((k,), (), 0.0) if side == 0 else ((), (k,), 0.0)
                if pos == 0:
                    before.append(alone)
                    sides[side] = sides[side][1:]
                else:
                    after.insert(0, alone)
                    sides[side] = sides[side][:-1]
        out += [*before, (sides[0], sides[1], score), *after]
    return out


def align(
    ru: Sequence[str],
    en: Sequence[str],
    config: AlignConfig | None = None,
    ru_mt: Sequence[str] | None = None,
    *,
    src_lang: str = "ru",
    tgt_lang: str = "en",
    table: lexsim.Table | None = None,
) -> list[Bead]:
    """Align Russian sentences ``ru`` with English sentences ``en``.

    Returns beads in order; every ru and every en index is in exactly one bead (unaligned
    sentences get 1-0 / 0-1 beads). ``ru_mt``, when given, is the retranslation of ``ru``
    (same length) and adds a lexical similarity to the cost. ``src_lang`` / ``tgt_lang`` name
    the two sides' languages (``ru`` / ``en`` by default: any pair works on length and
    anchors; a pair with a word table in ``cleaners.lexsim`` also gets its similarity).
    ``table``, when given, stands in for the pair's shipped word table (a run's own extension
    of it, ``lexsim.extended``); else ``config.word_table``, a user's table file, does
    (``lexsim.load_table``: ``TableError`` when it is for another pair).

    >>> beads = align(["Токаев прилетел в Баку.", "Там его встретил Алиев. Они говорили."],
    ...               ["Tokayev flew to Baku.", "Aliyev met him there.", "They talked."])
    >>> [(b.ru, b.en) for b in beads]
    [((0,), (0,)), ((1,), (1, 2))]
    >>> 0.0 <= min(b.score for b in beads) <= max(b.score for b in beads) <= 1.0
    True
    """
    config = config or AlignConfig()
    if ru_mt is not None and len(ru_mt) != len(ru):
        raise ValueError(f"ru_mt has {len(ru_mt)} sentences for {len(ru)} Russian ones")
    with_mt = ru_mt is not None and config.method != "gale-church"
    with_lex = (
        config.method != "gale-church"
        and config.lexical_weight > 0
        and (table is not None or bool(config.word_table) or lexsim.available(src_lang, tgt_lang))
    )
    if with_lex and table is None and config.word_table:
        table = lexsim.load_table(config.word_table, src_lang, tgt_lang)  # (read once a file)
    method = method_name(config, with_mt, with_lex)
    n, m = len(ru), len(en)
    if n == 0 or m == 0:
        return [Bead((i,), (), 0.0, method) for i in range(n)] + [
            Bead((), (j,), 0.0, method) for j in range(m)
        ]
    # A stress mark (дыши́те) would split a word for every pattern here, as for lexsim.words.
    fold = lexsim.fold_marks
    ru, en = [fold(s) for s in ru], [fold(s) for s in en]
    if with_mt and ru_mt is not None:
        ru_mt = [fold(s) for s in ru_mt]
    word_table = (table or lexsim.table(src_lang, tgt_lang)) if with_lex else None
    doc = _features(
        ru, en, ru_mt if with_mt else None, config, with_lex, src_lang, tgt_lang, word_table
    )
    path = _solve(doc, config, with_mt, with_lex)
    ratio = None
    if _doubtful_ratio(doc, config):
        typical = _solve(doc, config, with_mt, with_lex, ratio=config.length_ratio)
        if float(typical.own.sum()) < float(path.own.sum()) and (
            word_table is None
            or _sure(typical, ru, en, word_table) > _sure(path, ru, en, word_table)
        ):
            path, ratio = typical, config.length_ratio
    # (With the coverage score only: one Dice per bead, or none, favours cutting beads or
    # merging on length alone, and more of its big beads are wrong: Text+Berg dev .876 with
    # Dice and the refit, .880 without; without a word table .824 and .862.)
    refit = _refit_big_prior(path, config) if doc.occurrences is not None else None
    skip_refit = _refit_skip_prior(path, refit or config)
    if refit is not None or skip_refit is not None:
        config = skip_refit or refit or config
        path = _solve(doc, config, with_mt, with_lex, ratio=ratio)
    ru, en = doc.text or (ru, en)  # (the recheck reads what the costs read)
    del doc  # the bags, before the beads are made
    # The finest program's arrays, freed, go back before the beads' objects are made (they
    # left ~30 MB resident under them on a 20 MB pair: the aligner's peak).
    release(sum(map(len, ru)) + sum(map(len, en)))

    spans: list[_Span] = []
    i0 = j0 = 0
    for i, j, c in path:
        spans.append((tuple(range(i0, i)), tuple(range(j0, j)), _score(c, (i - i0, j - j0))))
        i0, j0 = i, j
    if refit is not None and _RECHECK:
        # Only where the first path showed a literary translator's regroupings: there a
        # sentence is rarely left out but often folded into a neighbour's translation (Text+Berg
        # dev: 1 of 422 gold beads is 1-0); a news paragraph that lost a sentence shares its
        # story's words with the neighbours (FLORES de–fr dev, every document rechecked: .976 →
        # .962).
        assert word_table is not None  # (the refit needs the coverage score: a table)
        spans = _recheck_skips(spans, ru, en, word_table, config.cognate_prefix)
    if word_table is not None and not word_table.identity and _STRANGERS:
        # (Two scripts only: in one, a literary translator's sentence often shares no key
        # with its bead's other side through a table that knows few of the words: Text+Berg
        # dev strict F1 .958 -> .940 with the held-out table.)
        spans = _split_strangers(spans, ru, en, word_table)
    return [Bead(r, e, score, method) for r, e, score in spans]


# Confident beads for bootstrapping (``bootstrap_table``): a 1-1 bead the aligner is sure of
# whose two sides already share words through the table (numbers and names alone do not count).
BOOT_SCORE = 0.5
BOOT_SIMILARITY = 0.3


def confident_beads(
    ru: Sequence[str], en: Sequence[str], beads: Iterable[Bead], table: lexsim.Table
) -> list[tuple[str, str]]:
    """The ``(source, target)`` texts of the 1-1 beads of one aligned document with a score
    ≥ ``BOOT_SCORE`` and a word-table Dice similarity ≥ ``BOOT_SIMILARITY``, in bead order."""
    out = []
    for b in beads:
        if len(b.ru) == 1 and len(b.en) == 1 and b.score >= BOOT_SCORE:
            src, tgt = ru[b.ru[0]], en[b.en[0]]
            if table.similarity(src, tgt) >= BOOT_SIMILARITY:
                out.append((src, tgt))
    return out


def bootstrap_table(
    docs: Iterable[tuple[Sequence[str], Sequence[str], Sequence[Bead]]], table: lexsim.Table
) -> tuple[lexsim.Table, list[lexsim.Learned]]:
    """hunalign's bootstrap across documents: the key pairs learned (``lexsim.learn_pairs``)
    from the confident beads (``confident_beads``) of a first alignment of ``docs`` (each
    ``(ru, en, beads)``), and ``table`` extended with them for a second one. The result does
    not depend on the order of ``docs``."""
    learned = lexsim.learn_pairs((confident_beads(ru, en, b, table) for ru, en, b in docs), table)
    return lexsim.extended(table, learned), learned
