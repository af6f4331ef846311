"""Sentence alignment of a Russian source and its English translation.

A dynamic program over 1-1, 1-0, 0-1, 2-1, 1-2 and 2-2 beads. A bead's cost adds

- a prior per bead type (merges and drops are rarer than 1-1),
- Gale-Church's length cost (English length ~ c · Russian length, variance ∝ length),
- MT-free anchors: numbers, names matched through transliteration (``Токаев`` ↔ ``Tokayev``),
  Latin words inside the Russian, question/exclamation marks and quotes — a Dice similarity
  between the bead's two sides rewards the bead,
- with ``ru_mt`` (the retranslated Russian, index by index), a Dice similarity of content
  words between the retranslation and the English (Bleualign's idea).

The program runs in a band around the diagonal, row by row with numpy, so memory and time grow
linearly with the document (10,000 sentences align in seconds); when the best path touches the
band's edge the band is widened and the program run again. ``method="gale-church"`` is the
textbook length-only aligner, kept as a named baseline for ``bench/align.py``.

Bead scores are kept separate from decisions: every sentence is in exactly one bead, and the
score (0..1, higher is better) lets a threshold filter later.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from cleaners.config import AlignConfig
from cleaners.model import Bead
from cleaners.translit import name_key

# (ru sentences, en sentences) per bead; index = back-pointer code.
MOVES: tuple[tuple[int, int], ...] = ((1, 1), (1, 0), (0, 1), (2, 1), (1, 2), (2, 2))
_INS = MOVES.index((0, 1))
_INF = np.inf

_NUM = re.compile(r"\d+")
_WORD = re.compile(r"[^\W\d_]+")
_LATIN = re.compile(r"[A-Za-z]")
_QUOTES = '«»"“”„'


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    """English function words too frequent to say which sentences correspond (a data file)."""
    text = resources.files("cleaners").joinpath("data/en_stopwords.txt").read_text("utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    return frozenset(word for line in lines for word in line.split())


@dataclass(frozen=True)
class _Params:
    prior: tuple[float, ...]  # -log P(bead type), in MOVES order
    s2: float  # Gale-Church variance per character
    gc_deletions: bool  # textbook: 1-0/0-1 also pay the length cost of a zero-length side
    w_anchor: float
    w_mt: float
    min_anchor_mass: float  # Dice is damped below this many anchors on the two sides together


def _neglog_prior(p: Sequence[float]) -> tuple[float, ...]:
    return tuple(-math.log(x) for x in p)


# Gale & Church (1993): 1-1 .89, 1-0/0-1 .0099, 2-1/1-2 .089, 2-2 .011 (split evenly per side).
_GC_PRIOR = _neglog_prior((0.89, 0.00495, 0.00495, 0.0445, 0.0445, 0.011))


def _params(config: AlignConfig, with_mt: bool) -> _Params:
    if config.method == "gale-church":
        return _Params(_GC_PRIOR, 6.8, True, 0.0, 0.0, 1.0)
    return _Params(
        prior=_neglog_prior(
            (0.89, config.p_skip, config.p_skip, config.p_merge, config.p_merge, config.p_merge2)
        ),
        s2=config.length_variance,
        gc_deletions=False,
        w_anchor=config.anchor_weight,
        w_mt=config.mt_weight if with_mt else 0.0,
        min_anchor_mass=4.0,
    )


def method_name(config: AlignConfig | None = None, with_mt: bool = False) -> str:
    """The ``Bead.method`` label the aligner writes for this configuration.

    >>> method_name(), method_name(with_mt=True)
    ('length+anchors', 'length+anchors+mt')
    """
    config = config or AlignConfig()
    if config.method == "gale-church":
        return "gale-church"
    return "length+anchors+mt" if with_mt else "length+anchors"


# ---------------------------------------------------------------- features


def anchors(sentence: str) -> Counter[str]:
    """MT-free anchor tokens of one sentence (numbers, name keys, marks), as a multiset.

    Names are capitalised words after the first (the first word of a sentence is capitalised
    anyway) and Latin words inside Russian text; their keys survive transliteration.

    >>> a, b = anchors("В 2022 году Токаев встретился с Алиевым."), anchors(
    ...     "In 2022, Tokayev met Aliyev.")
    >>> sorted(a & b)
    ['#2022', '@alv', '@tkv']
    """
    out: Counter[str] = Counter()
    for num in _NUM.findall(sentence):
        out["#" + (num.lstrip("0") or "0")] += 1
    cyrillic = any("а" <= ch.lower() <= "я" for ch in sentence)
    for k, m in enumerate(_WORD.finditer(sentence)):
        word = m.group()
        latin_in_ru = cyrillic and _LATIN.match(word) is not None
        if (k > 0 and word[0].isupper()) or latin_in_ru or (len(word) > 1 and word.isupper()):
            key = name_key(word)
            if key:
                out["@" + key] += 1
    for mark in "?!":
        if mark in sentence:
            out[mark] += 1
    if any(q in sentence for q in _QUOTES):
        out['"'] += 1
    return out


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


class _PairTable:
    """Sparse overlap counts |bag(ru s) ∩ bag(en t)| for pairs near the band.

    ``row(s, js)`` gives the overlaps of ru sentence ``s`` with en sentences ``js`` (an int
    vector), zero where there is none or the pair is outside the computed window.
    """

    def __init__(self, ru_bags: list[Counter[str]], en_bags: list[Counter[str]],
                 window: list[tuple[int, int]]) -> None:  # fmt: skip
        index: dict[str, list[int]] = {}
        for t, bag in enumerate(en_bags):
            for key in bag:
                index.setdefault(key, []).append(t)
        self.rows: list[tuple[np.ndarray, np.ndarray]] = []
        for s, bag in enumerate(ru_bags):
            lo, hi = window[s]
            hits: dict[int, float] = {}
            for key, count in bag.items():
                posting = index.get(key)
                if not posting:
                    continue
                for t in posting[bisect_left(posting, lo) : bisect_right(posting, hi)]:
                    hits[t] = hits.get(t, 0.0) + min(count, en_bags[t][key])
            if hits:
                ts = np.fromiter(hits.keys(), dtype=np.int64, count=len(hits))
                vs = np.fromiter(hits.values(), dtype=np.float64, count=len(hits))
            else:
                ts = np.zeros(0, dtype=np.int64)
                vs = np.zeros(0, dtype=np.float64)
            self.rows.append((ts, vs))

    def row(self, s: int, js: np.ndarray) -> np.ndarray:
        out = np.zeros(len(js))
        ts, vs = self.rows[s]
        if len(ts) == 0 or len(js) == 0:
            return out
        k = ts - js[0]  # js is a contiguous range
        mask = (k >= 0) & (k < len(js))
        out[k[mask]] = vs[mask]
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


# ---------------------------------------------------------------- the program


def _band_offsets(n: int, m: int, width: int) -> np.ndarray:
    """First column of each DP row's band, centred on the diagonal (0,0)–(n,m)."""
    if m + 1 <= width:
        return np.zeros(n + 1, dtype=np.int64)
    centre = np.round(np.arange(n + 1) * (m / max(n, 1))).astype(np.int64)
    return np.clip(centre - width // 2, 0, m + 1 - width)


def _run(ru_len: np.ndarray, en_len: np.ndarray, ru_mass: np.ndarray, en_mass: np.ndarray,
         ru_lex: np.ndarray, en_lex: np.ndarray, anchor_pairs: _PairTable | None,
         lex_pairs: _PairTable | None, off: np.ndarray, width: int, p: _Params,
         ratio: float) -> tuple[list[tuple[int, int, float]], bool]:  # fmt: skip
    """Fill the banded DP; return the bead path [(i, j, cost)] ending points and edge contact."""
    n, m = len(ru_len), len(en_len)
    cum_ru = np.concatenate([[0.0], np.cumsum(ru_len)])
    cum_en = np.concatenate([[0.0], np.cumsum(en_len)])
    cum_rm = np.concatenate([[0.0], np.cumsum(ru_mass)])
    cum_em = np.concatenate([[0.0], np.cumsum(en_mass)])
    cum_rl = np.concatenate([[0.0], np.cumsum(ru_lex)])
    cum_el = np.concatenate([[0.0], np.cumsum(en_lex)])
    cost = np.full((n + 1, width), _INF)
    bead_cost = np.zeros((n + 1, width))
    back = np.full((n + 1, width), -1, dtype=np.int8)
    cols = np.arange(width)

    def prev_row(r: int, js: np.ndarray) -> np.ndarray:
        k = js - off[r]
        ok = (k >= 0) & (k < width) & (js >= 0)
        out = np.full(len(js), _INF)
        out[ok] = cost[r, k[ok]]
        return out

    def length_cost(a: np.ndarray | float, b: np.ndarray) -> np.ndarray:
        mean = (np.asarray(a, dtype=float) + b / ratio) / 2.0
        z = (ratio * np.asarray(a, dtype=float) - b) / np.sqrt(p.s2 * np.maximum(mean, 1.0))
        return _neglog_two_tailed(z)

    def similarity(num: np.ndarray, mass: np.ndarray) -> np.ndarray:
        dice = np.where(mass > 0, 2.0 * num / np.maximum(mass, 1e-9), 0.0)
        return np.minimum(dice, 1.0) * np.minimum(1.0, mass / p.min_anchor_mass)

    for i in range(n + 1):
        js = off[i] + cols
        valid = js <= m
        best = np.full(width, _INF)
        best_bead = np.zeros(width)
        best_move = np.full(width, -1, dtype=np.int8)
        if i == 0:
            best[(js == 0)] = 0.0
        for code, (di, dj) in enumerate(MOVES):
            if di == 0 or di > i:
                continue
            src = js - dj
            ok = valid & (src >= 0)
            if not ok.any():
                continue
            prev = prev_row(i - di, src)
            a = cum_ru[i] - cum_ru[i - di]
            b = np.where(ok, cum_en[js.clip(0, m)] - cum_en[src.clip(0, m)], 0.0)
            c = np.full(width, p.prior[code])
            if dj == 0:
                if p.gc_deletions:
                    c += length_cost(a, np.zeros(width))
            else:
                c += length_cost(a, b)
                if p.w_anchor and anchor_pairs is not None:
                    num = np.zeros(width)
                    for s in range(i - di, i):
                        for d in range(1, dj + 1):
                            num += anchor_pairs.row(s, js - d)
                    mass = (cum_rm[i] - cum_rm[i - di]) + np.where(
                        ok, cum_em[js.clip(0, m)] - cum_em[src.clip(0, m)], 0.0
                    )
                    c -= p.w_anchor * similarity(num, mass)
                if p.w_mt and lex_pairs is not None:
                    num = np.zeros(width)
                    for s in range(i - di, i):
                        for d in range(1, dj + 1):
                            num += lex_pairs.row(s, js - d)
                    mass = (cum_rl[i] - cum_rl[i - di]) + np.where(
                        ok, cum_el[js.clip(0, m)] - cum_el[src.clip(0, m)], 0.0
                    )
                    dice = np.where(mass > 0, 2.0 * num / np.maximum(mass, 1e-9), 0.0)
                    c -= p.w_mt * np.minimum(dice, 1.0)
            total = np.where(ok, prev + c, _INF)
            better = total < best
            best = np.where(better, total, best)
            best_bead = np.where(better, c, best_bead)
            best_move = np.where(better, code, best_move)
        # 0-1 beads stay in the row: best[j] = min(best[j], best[j-1] + ins[j]) as a prefix scan.
        b_ins = np.where(valid & (js >= 1), en_len[(js - 1).clip(0, max(m - 1, 0))], 0.0)
        ins = np.full(width, p.prior[_INS])
        if p.gc_deletions:
            ins = ins + length_cost(0.0, b_ins)
        ins[~(valid & (js >= 1))] = _INF
        ins[0] = 0.0  # the scan never enters column 0 from the left
        steps = np.cumsum(np.where(np.isinf(ins), 1e30, ins))
        scanned = steps + np.minimum.accumulate(best - steps)
        took = scanned < best - 1e-9
        took[0] = False
        best = np.where(took, scanned, best)
        best_bead = np.where(took, ins, best_bead)
        best_move = np.where(took, _INS, best_move)
        best[~valid] = _INF
        cost[i] = best
        bead_cost[i] = best_bead
        back[i] = best_move

    # Trace back from (n, m).
    path: list[tuple[int, int, float]] = []
    i, j = n, m
    touched = False
    while i > 0 or j > 0:
        k = j - off[i]
        code = int(back[i, k])
        if code < 0:
            raise RuntimeError("alignment band lost the path")  # pragma: no cover
        if (k <= 1 and off[i] > 0) or (k >= width - 2 and off[i] + width <= m):
            touched = True
        path.append((i, j, float(bead_cost[i, k])))
        di, dj = MOVES[code]
        i, j = i - di, j - dj
    path.reverse()
    return path, touched


def _score(bead_cost: float, kind: tuple[int, int]) -> float:
    """Map a bead's own cost to 0..1: ~0.9 for a clean 1-1, lower as the evidence weakens."""
    if 0 in kind:
        return round(1.0 / (1.0 + math.exp(bead_cost - 3.0)), 4)
    return round(1.0 / (1.0 + math.exp(2.0 * (bead_cost - 1.0))), 4)


def align(
    ru: Sequence[str],
    en: Sequence[str],
    config: AlignConfig | None = None,
    ru_mt: Sequence[str] | None = None,
) -> list[Bead]:
    """Align Russian sentences ``ru`` with English sentences ``en``.

    Returns beads in order; every ru and every en index is in exactly one bead (unaligned
    sentences get 1-0 / 0-1 beads). ``ru_mt``, when given, is the retranslation of ``ru``
    (same length) and adds a lexical similarity to the cost.

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
    method = method_name(config, with_mt)
    n, m = len(ru), len(en)
    if n == 0 or m == 0:
        return [Bead((i,), (), 0.0, method) for i in range(n)] + [
            Bead((), (j,), 0.0, method) for j in range(m)
        ]
    p = _params(config, with_mt)
    ru_len = np.array([max(len(s), 1) for s in ru], dtype=float)
    en_len = np.array([max(len(s), 1) for s in en], dtype=float)
    ratio = float(np.clip(en_len.sum() / ru_len.sum(), 0.3, 3.0))

    use_anchors = p.w_anchor > 0
    ru_bags = [anchors(s) for s in ru] if use_anchors else []
    en_bags = [anchors(s) for s in en] if use_anchors else []
    ru_mass = np.array([sum(b.values()) for b in ru_bags], dtype=float) if use_anchors else None
    en_mass = np.array([sum(b.values()) for b in en_bags], dtype=float) if use_anchors else None
    ru_lex_bags = [content_words(s) for s in ru_mt] if with_mt and ru_mt is not None else []
    en_lex_bags = [content_words(s) for s in en] if with_mt else []
    zeros_n, zeros_m = np.zeros(n), np.zeros(m)

    width = max(config.band, 8)
    while True:
        width = min(width, m + 1)
        off = _band_offsets(n, m, width)
        # ru sentence s is used by DP rows s+1 and s+2, at columns j-1 and j-2.
        window = [(int(off[s + 1]) - 2, int(off[min(s + 2, n)]) + width) for s in range(n)]
        anchor_pairs = _PairTable(ru_bags, en_bags, window) if use_anchors else None
        lex_pairs = _PairTable(ru_lex_bags, en_lex_bags, window) if with_mt else None
        path, touched = _run(
            ru_len, en_len,
            ru_mass if ru_mass is not None else zeros_n,
            en_mass if en_mass is not None else zeros_m,
            np.array([sum(b.values()) for b in ru_lex_bags], dtype=float) if with_mt else zeros_n,
            np.array([sum(b.values()) for b in en_lex_bags], dtype=float) if with_mt else zeros_m,
            anchor_pairs, lex_pairs, off, width, p, ratio,
        )  # fmt: skip
        if not touched or width >= m + 1:
            break
        width *= 2

    beads: list[Bead] = []
    i0 = j0 = 0
    for i, j, c in path:
        kind = (i - i0, j - j0)
        beads.append(Bead(tuple(range(i0, i)), tuple(range(j0, j)), _score(c, kind), method))
        i0, j0 = i, j
    return beads
