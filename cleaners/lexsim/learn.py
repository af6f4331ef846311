"""Learning a word table from sentence pairs: IBM Model 1 (EM in numpy, with a NULL word) in
both directions over word keys, each co-occurring key pair scored by the geometric mean of its
two translation probabilities, the pairs above ``MIN_SCORE`` whose keys were each seen at least
``MIN_COUNT`` times kept; the most frequent keys of each side, and those in ``STOP_SHARE`` of
its sentences, are its stop keys.

The shipped tables' build (:mod:`cleaners.lexsim.build`, by hand) and ``mtclean lexicon build``
(:func:`user_table`: a user's own line-parallel text, any language pair) both learn here. Never
imported by the aligner: a table is read at run time by :func:`cleaners.lexsim.load_table`.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import itertools
import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from cleaners.lexsim import (
    KEY_LEN,
    NO_STEMMER_LEN,
    WORDS,
    key_function,
    stemmer_name,
    words,
)

KEY_SCHEME = "stem5"  # how words become keys (cleaners.lexsim.key_function)
ITERATIONS = 8
MIN_COUNT = 2
MIN_SCORE = 0.01
PER_KEY = 16  # pairs written per source key
N_STOP = 40  # most frequent keys of each side, left out of similarities
STOP_SHARE = 0.03  # and every key in at least this share of a side's sentences (0: none)


def _ibm1(
    src: list[np.ndarray], tgt: list[np.ndarray], n_src: int, iterations: int
) -> tuple[np.ndarray, np.ndarray]:
    """IBM Model 1 t(tgt | src) by EM. Source id 0 is NULL (prepended to every sentence).

    Returns (pair codes src * BIG + tgt, sorted unique; probabilities per pair).
    """
    big = np.int64(1 << 32)
    rows_s, rows_t, group = [], [], []
    g = 0
    for s, t in zip(src, tgt, strict=True):
        s1 = np.concatenate([[0], s]).astype(np.int64)
        rows_s.append(np.tile(s1, len(t)))
        rows_t.append(np.repeat(t.astype(np.int64), len(s1)))
        group.append(np.repeat(np.arange(g, g + len(t)), len(s1)))
        g += len(t)
    ss, tt, gg = np.concatenate(rows_s), np.concatenate(rows_t), np.concatenate(group)
    codes, pid = np.unique(ss * big + tt, return_inverse=True)
    pair_src = codes // big
    prob = np.ones(len(codes))
    for _ in range(iterations):
        q = prob[pid]
        z = np.bincount(gg, weights=q, minlength=g)
        counts = np.bincount(pid, weights=q / z[gg], minlength=len(codes))
        total = np.bincount(pair_src, weights=counts, minlength=n_src)
        prob = counts / total[pair_src]
    return codes, prob


def _stop_keys(
    keys: list[list[str]], count: Counter[str], general: frozenset[str] | None = None
) -> list[str]:
    """The ``N_STOP`` most frequent keys and those found in ``STOP_SHARE`` of the sentences
    (function words: a small corpus of a language with many of them needs more); with
    ``general``, only those among these keys (the language's own frequent words')."""
    stop = {k for k, _ in count.most_common(N_STOP)}
    if STOP_SHARE:
        df = Counter(k for ks in keys for k in set(ks))
        stop |= {k for k, n in df.items() if n >= STOP_SHARE * len(keys)}
    return sorted(stop if general is None else stop & general)


def general_keys(lang: str, n: int, key: Callable[[str], str]) -> frozenset[str]:
    """The keys of ``lang``'s ``n`` most frequent words in wordfreq's list (any domain's)."""
    from cleaners.langev import zipf_table

    ranked = sorted(zipf_table(lang, "small").items(), key=lambda x: (-x[1], x[0]))
    return frozenset(key(w) for w, _ in ranked[:n])


def learn(
    pairs: Sequence[tuple[str, str]],
    la: str,
    lb: str,
    scheme: str = KEY_SCHEME,
    general_stop: int = 0,
) -> tuple[dict[str, list[tuple[float, str]]], list[str], list[str]]:
    """IBM Model 1 both ways over sentence pairs of languages ``la`` / ``lb``, keys made by
    ``scheme``: (side-a key → [(-score, side-b key)] for the pairs kept, side a's stop keys,
    side b's). The shipped tables' build and ``mtclean lexicon build`` both learn here.
    ``general_stop``: a stop key must also be the key of one of the language's that many most
    frequent words (``general_keys``): a domain's own frequent words (Gipfel, sommet in a
    mountaineering yearbook) stay content words."""
    key_a, key_b = key_function(scheme, la), key_function(scheme, lb)
    keys_a = [[key_a(w) for w in words(a)] for a, _ in pairs]
    keys_b = [[key_b(w) for w in words(b)] for _, b in pairs]
    count_a = Counter(k for ks in keys_a for k in ks)
    count_b = Counter(k for ks in keys_b for k in ks)
    vocab_a = ["<null>", *sorted(count_a)]
    vocab_b = ["<null>", *sorted(count_b)]
    id_a = {k: i for i, k in enumerate(vocab_a)}
    id_b = {k: i for i, k in enumerate(vocab_b)}
    ids_a = [np.array([id_a[k] for k in ks], dtype=np.int64) for ks in keys_a]
    ids_b = [np.array([id_b[k] for k in ks], dtype=np.int64) for ks in keys_b]
    big = 1 << 32
    codes_ab, p_ab = _ibm1(ids_a, ids_b, len(vocab_a), ITERATIONS)  # t(b | a)
    codes_ba, p_ba = _ibm1(ids_b, ids_a, len(vocab_b), ITERATIONS)  # t(a | b)
    rev = dict(zip(((codes_ba % big) * big + codes_ba // big).tolist(), p_ba.tolist(), strict=True))
    scored: dict[str, list[tuple[float, str]]] = {}
    for code, p in zip(codes_ab.tolist(), p_ab.tolist(), strict=True):
        a, b = code // big, code % big
        if a == 0 or b == 0:
            continue
        ka, kb = vocab_a[a], vocab_b[b]
        if count_a[ka] < MIN_COUNT or count_b[kb] < MIN_COUNT:
            continue
        score = math.sqrt(p * rev.get(code, 0.0))
        if score >= MIN_SCORE:
            scored.setdefault(ka, []).append((-score, kb))
    ga = general_keys(la, general_stop, key_a) if general_stop else None
    gb = general_keys(lb, general_stop, key_b) if general_stop else None
    return scored, _stop_keys(keys_a, count_a, ga), _stop_keys(keys_b, count_b, gb)


def table_rows(scored: dict[str, list[tuple[float, str]]]) -> list[str]:
    """The ``a_key<TAB>b_key<TAB>score`` lines: keys sorted, best ``PER_KEY`` pairs a key."""
    lines = []
    for ka in sorted(scored):
        for neg, kb in sorted(scored[ka])[:PER_KEY]:
            lines.append(f"{ka}\t{kb}\t{-neg:.3f}")
    return lines


# ---------------------------------------------------------------- a user's own table

# `mtclean lexicon build`: a word table from a user's line-parallel text, any language pair.
USER_MIN_PAIRS = 300  # fewer lost F1 to no table at all (bench/word_table.py --learn-lines: 100
# lines lost on 10 of its 32 rows, 200 on 2, 300 on none): refused
# IBM-1 here holds every (source word + NULL) x (target word) cell of the text at once, ~110
# bytes of peak memory each (the shipped ru-en build: 7.4 M cells, 833 MB; 12.3 M, 1.3 GB): the
# pairs are read in order until this many cells (about 35,000 pairs of dev ru-en's mix of
# short and news sentences, 17,000 news ones), the rest left out and counted.
USER_MAX_CELLS = 8_000_000
USER_MAX_WORDS = 150  # a longer "sentence" (a paragraph, a table) is left out: its cells
# A line longer than this (characters) is left out unread: it holds no sentence of 150 words
# or fewer that anyone writes (FLORES dev's longest line is under 700), and a file of one huge
# line would otherwise be held whole.
USER_MAX_LINE = 1 << 16


class TooLittleData(ValueError):
    """Too few usable sentence pairs, or none that taught a key pair."""


def _side_keys(lang: str) -> str:
    """How one side's words become keys under ``KEY_SCHEME``, for the table's header."""
    if not KEY_SCHEME.startswith("stem") or stemmer_name(lang) is None:
        n = KEY_LEN if KEY_SCHEME.startswith("prefix") else NO_STEMMER_LEN
        return f"{lang}: first {n} letters (no Snowball stemmer)"
    return f"{lang}: Snowball stem, first {KEY_SCHEME[4:] or 'all'} letters"


def _cells(a: str, b: str) -> int:
    """The IBM-1 cells a pair of sides adds (each source word and NULL by each target word),
    or 0 for a pair not learned from: a side without words, or over ``USER_MAX_WORDS``."""
    n, m = len(words(a)), len(words(b))
    if not (0 < n <= USER_MAX_WORDS and 0 < m <= USER_MAX_WORDS):
        return 0
    return (n + 1) * m


def usable_pairs(
    pairs: Sequence[tuple[str, str]], max_cells: int = USER_MAX_CELLS
) -> tuple[list[tuple[str, str]], int]:
    """The pairs a user's table learns from, in order: both sides hold a word, neither more
    than ``USER_MAX_WORDS``, until ``max_cells`` IBM-1 cells; and how many were left out.

    >>> usable_pairs([("a b", "c"), ("", "d"), ("e", "f g"), ("h", "i")], max_cells=7)
    ([('a b', 'c'), ('e', 'f g')], 2)
    """
    kept = []
    cells = 0
    for a, b in pairs:
        if not (added := _cells(a, b)):
            continue
        cells += added
        if cells > max_cells:
            break
        kept.append((a, b))
    return kept, len(pairs) - len(kept)


@dataclass
class Parallel:
    """What :func:`read_parallel` took from two line-parallel streams."""

    pairs: list[tuple[str, str]]  # the pairs learned from, in order
    lines: tuple[int, int]  # each side's lines, the blank lines at its end not counted

    @property
    def left_out(self) -> int:
        """The line pairs not learned from (of the side with more lines)."""
        return max(self.lines) - len(self.pairs)


_END = object()


def read_parallel(
    side_a: Iterable[str | None], side_b: Iterable[str | None], max_cells: int = USER_MAX_CELLS
) -> Parallel:
    r"""Two sides' lines (line ends dropped; None for a line too long to have been read, left
    out) taken as they come: the pairs :func:`usable_pairs` keeps are held, every other line is
    only counted. A text of any size costs the memory of what is learned from (the pairs up to
    ``max_cells``), never of the text.

    >>> read_parallel(["a b\r\n", "x", None, "h\n", "\n"], ["c", "", "e", "i", "", ""], max_cells=7)
    Parallel(pairs=[('a b', 'c'), ('h', 'i')], lines=(4, 4))
    """
    kept: list[tuple[str, str]] = []
    cells = 0
    last = [0, 0]  # the last line of each side holding more than blanks
    for n, pair in enumerate(itertools.zip_longest(side_a, side_b, fillvalue=_END), 1):
        sides = [x.rstrip("\r\n") if isinstance(x, str) else x for x in pair]
        for i, x in enumerate(sides):
            if x is None or (isinstance(x, str) and x.strip()):
                last[i] = n
        a, b = sides
        if cells > max_cells or not (isinstance(a, str) and isinstance(b, str)):
            continue
        if added := _cells(a, b):
            cells += added
            if cells <= max_cells:
                kept.append((a, b))
    return Parallel(kept, (last[0], last[1]))


def user_table(pairs: Sequence[tuple[str, str]], la: str, lb: str) -> str:
    """The table file's text for languages ``la`` (side a) and ``lb`` learned from ``pairs``
    of one sentence and its translation, as the shipped tables are (IBM-1 both ways,
    ``KEY_SCHEME`` keys; no dictionaries). The same pairs give the same bytes: the header holds
    no path or date, only a hash of the text and the build parameters.

    Raises ``TooLittleData`` when fewer than ``USER_MIN_PAIRS`` pairs are usable or no key
    pair was seen often enough to keep.
    """
    kept, left_out = usable_pairs(pairs)
    return table_text(kept, left_out, la, lb)


def table_text(kept: Sequence[tuple[str, str]], left_out: int, la: str, lb: str) -> str:
    """:func:`user_table`'s text from the pairs it learns from (``kept``), ``left_out`` more
    said in its header (:func:`read_parallel` gives both, for a text read as it comes)."""
    if len(kept) < USER_MIN_PAIRS:
        total = len(kept) + left_out
        raise TooLittleData(
            f"{len(kept)} usable sentence pairs ({left_out} of {total} left out: a side "
            f"without words or over {USER_MAX_WORDS}); a table needs at least {USER_MIN_PAIRS}"
        )
    scored, stop_a, stop_b = learn(kept, la, lb)
    if not scored:
        raise TooLittleData(f"no word pair was seen {MIN_COUNT} times in {len(kept)} pairs")
    h = hashlib.sha256()
    params = (KEY_SCHEME, NO_STEMMER_LEN, ITERATIONS, MIN_COUNT, MIN_SCORE, PER_KEY, N_STOP)
    params += (STOP_SHARE, WORDS, USER_MAX_WORDS, USER_MAX_CELLS, la, lb)
    params += (importlib.metadata.version("PyStemmer"),)
    h.update(repr(params).encode())
    for a, b in kept:
        h.update(f"{a}\t{b}\n".encode())
    rows = table_rows(scored)
    lines = [
        f"# {la}-{lb} word-key table for cleaners.lexsim; built by: mtclean lexicon build",
        f"# inputs+params sha256 {h.hexdigest()}",
        f"# {len(kept)} sentence pairs ({left_out} left out); IBM-1 x{ITERATIONS} both ways; "
        f"keys {_side_keys(la)}, {_side_keys(lb)}; score = sqrt(t({lb}|{la}) t({la}|{lb})) >= "
        f"{MIN_SCORE}; counts >= {MIN_COUNT}; stop keys: the {N_STOP} most frequent and those "
        f"in >= {STOP_SHARE:.0%} of sentences; {len(rows)} key pairs",
        f"!pair\t{la}\t{lb}",
        f"!key\t{KEY_SCHEME}",
        "!stop\ta\t" + " ".join(stop_a),
        "!stop\tb\t" + " ".join(stop_b),
        *rows,
    ]
    return "\n".join(lines) + "\n"
