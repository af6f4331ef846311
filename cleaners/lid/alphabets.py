"""The alphabet layer: each language's letters (``data/lid_alphabets.tsv``) and markers
(``data/lid_markers.tsv``) rule candidates out, and decide alone when one is left with
evidence of its own. A config's :class:`_Plan` (candidates by script, their alphabets and
markers) is built here, once per config object."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator, Set
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

from cleaners.config import LidConfig
from cleaners.lid.script import (
    _CYRL_LEADS,
    _CYRL_LOWER,
    _CYRL_RE,
    _LATN_BYTES,
    _LATN_LOWER,
    _LATN_RE,
    _WORD_RE,
    _script_of,
)


def _table_lines(name: str) -> list[str]:
    """The rows of a bundled table in ``cleaners/data/`` (blank lines, ``#`` comments out)."""
    text = resources.files("cleaners").joinpath(f"data/{name}").read_text("utf-8")
    return [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


@lru_cache(maxsize=1)
def alphabets() -> dict[str, tuple[str, frozenset[str]]]:
    """The bundled table: language → (script, letters its ordinary text uses).

    >>> alphabets()["uk"][0], "ї" in alphabets()["uk"][1], "ы" in alphabets()["uk"][1]
    ('Cyrl', True, False)
    """
    table: dict[str, tuple[str, frozenset[str]]] = {}
    for line in _table_lines("lid_alphabets.tsv"):
        lang, script, letters = line.split("\t")
        table[lang] = (script, frozenset(letters.strip()))
    return table


class Markers(NamedTuple):
    """One row of ``data/lid_markers.tsv``."""

    absent_after: int
    expected: frozenset[str]
    letters: frozenset[str]
    words: frozenset[str]
    evidence: int = 0  # evidence the lone survivor needs; 0 = LidConfig.decisive_evidence


@lru_cache(maxsize=1)
def markers() -> dict[str, Markers]:
    """The bundled marker table: language → :class:`Markers`.

    >>> m = markers()["kk"]
    >>> m.absent_after > 0, "қ" in m.letters, "және" in m.words
    (True, True, True)
    """
    table = {}
    for line in _table_lines("lid_markers.tsv"):
        lang, absent, expected, letters, words, evidence = (line.split("\t") + [""] * 5)[:6]
        table[lang] = Markers(
            int(absent or 0),
            frozenset(expected.strip()),
            frozenset(letters.strip()),
            frozenset(words.split()),
            int(evidence or 0),
        )
    return table


def foreign_letters(text: str, lang: str) -> int:
    """How many letters of ``text`` (in ``lang``'s script) are outside ``lang``'s alphabet.

    >>> foreign_letters("Київ і Львів", "ru"), foreign_letters("Київ і Львів", "uk")
    (3, 0)
    """
    script, alphabet = alphabets()[lang]
    pattern = _CYRL_RE if script == "Cyrl" else _LATN_RE
    return sum(1 for ch in pattern.findall(text.lower()) if ch not in alphabet)


@lru_cache(maxsize=1)
def _plain_re() -> re.Pattern[str]:
    """Characters that never decide anything: letters every alphabet of their script has
    (а б в ... ш, a-z), digits, spaces, punctuation. Stripping them leaves the few
    telling characters (ы, і, ә, é, ...) to look at."""
    core: set[str] = set()
    for script in ("Cyrl", "Latn"):
        sets = [letters for sc, letters in alphabets().values() if sc == script]
        core |= frozenset.intersection(*sets) if sets else set()
    plain = "".join(sorted(core)) + "0123456789.,;:!?-–—'\"«»„“”‘’()[]{}/%&*+=<>_|№$€£@#…•·"
    return re.compile("[" + re.escape(plain) + r"\s]+")


def _letter_counts(text: str) -> tuple[set[str], int, str, str]:
    """The dominant script's telling letters (lower case; letters every alphabet of the
    script shares are left out), the letter count, the script, and the lower-cased text.

    Hot path: counts come from byte counts of the UTF-8 encoding and the distinct
    characters of what is left once the plain ones are stripped, all at C speed.
    """
    low = _lower(text)
    telling: set[str] = set()
    for part in _slices(low):  # (re.sub lists the pieces it keeps: millions on a long line)
        telling.update(_plain_re().sub("", part))
    odd = telling - _CYRL_LOWER - _LATN_LOWER
    if odd and any(_script_of(ch) for ch in odd):
        # Rare: letters of another script (Greek, Arabic, CJK ...); count exactly.
        per_script: dict[str, set[str]] = {}
        totals: dict[str, int] = {}
        for ch, k in Counter(low).items():
            script = _script_of(ch)
            if script:
                per_script.setdefault(script, set()).add(ch)
                totals[script] = totals.get(script, 0) + k
        best = min(totals, key=lambda sc: (-totals[sc], sc != "Cyrl", sc))
        return per_script[best] & telling, sum(totals.values()), best, low
    cyrl = latn = 0
    for part in _slices(low):  # (a slice's bytes at a time: the same counts)
        raw = part.encode("utf-8")
        cyrl += len(raw) - len(raw.translate(None, _CYRL_LEADS))
        latn += len(raw) - len(raw.translate(None, _LATN_BYTES))
    if cyrl + latn == 0:
        return set(), 0, "", low
    n = cyrl + latn
    if cyrl >= latn:
        return _not_stray(telling & _CYRL_LOWER, low, n), n, "Cyrl", low
    return _not_stray(telling & _LATN_LOWER, low, n), n, "Latn", low


_SLICE = 1 << 16
_NOT_WORD = re.compile(r"[\W\d_]")


def _slices(text: str, cut: re.Pattern[str] = _NOT_WORD) -> Iterator[str]:
    """``text`` in pieces of about :data:`_SLICE` characters, each ending where ``cut`` matches
    (by default where a word does: a long text's whole-text temporaries were several times
    its size).

    >>> list(_slices("ab cd")), "".join(_slices("x" * 70_000 + " y")) == "x" * 70_000 + " y"
    (['ab cd'], True)
    """
    if len(text) <= _SLICE:
        yield text
        return
    a = 0
    while a < len(text):
        m = cut.search(text, a + _SLICE)
        b = m.start() if m else len(text)
        yield text[a:b]
        a = b


_SPACE = re.compile(r"\s")


def _lower(text: str) -> str:
    """``text.lower()``; a long text a slice at a time, cut at white space (where no case
    mapping looks across: final sigma's context stops there). CPython lower-cases into a
    buffer of 12 bytes a character: 84 MB for a 7 MB line.

    >>> _lower("ΟΔΟΣ ΟΔΟΣ"), _lower("x" * 70_000 + "Σ Σ") == ("x" * 70_000 + "Σ Σ").lower()
    ('οδος οδος', True)
    """
    if len(text) <= _SLICE:
        return text.lower()
    return "".join(part.lower() for part in _slices(text, _SPACE))


def _word_set(low: str) -> set[str]:
    """``set(_WORD_RE.findall(low))``, a slice at a time (no list of every word).

    >>> sorted(_word_set("да, нет да"))
    ['да', 'нет']
    """
    words: set[str] = set()
    for part in _slices(low):
        words.update(_WORD_RE.findall(part))
    return words


# A telling letter rarer than one in this many letters says nothing of the text's language:
# a book-length English side names a few Müllers and Françoises, and ten such letters used to
# outweigh everything else (a 1 MB one-line English side came out French). Text shorter
# than this keeps every letter it has, so sentences and paragraphs are judged as before.
STRAY_LETTERS = 5_000


def _not_stray(telling: set[str], low: str, n_letters: int) -> set[str]:
    """``telling`` without the letters too rare in ``low`` to be evidence (see
    :data:`STRAY_LETTERS`).

    >>> sorted(_not_stray({"é", "ü"}, "é" + "a" * 9_000 + "üü", 9_003))
    ['ü']
    >>> sorted(_not_stray({"é"}, "é" + "a" * 100, 101))
    ['é']
    """
    if n_letters < STRAY_LETTERS or not telling:
        return telling
    return {ch for ch in telling if low.count(ch) * STRAY_LETTERS >= n_letters}


def _decisive(
    low: str, distinct: Set[str], n_letters: int, cands: tuple[str, ...], plan: _Plan
) -> str:
    """The one candidate the letters and marker words leave standing, or "".

    A candidate falls when the text has a letter outside its alphabet, or, when
    the text is long enough, when none of the letters or words its ordinary text
    nearly always shows appears (Kazakh ә қ ү ..., Ukrainian і ї є, Russian и). The survivor needs
    evidence of its own (``decisive_evidence`` marker letters or words; a foreign
    name like "Nääs" only rules languages out); otherwise abstain and let the
    models decide.
    """
    words: set[str] | None = None
    alive = ""
    for c in cands:
        if distinct - plan.alphabet[c]:
            continue
        m = plan.markers.get(c)
        if m is None:
            return ""  # a language without a marker row: the layer cannot speak for it
        # Marker letters do not save a candidate here: Belarusian shares Russian's ы, э.
        if 0 < m.absent_after <= n_letters and m.expected.isdisjoint(distinct):
            if words is None:
                words = _word_set(low)
            if words.isdisjoint(m.words):
                continue  # long enough to show a marker, and shows none
        if alive:
            return ""  # two survivors
        alive = c
    if not alive:
        return ""
    # The survivor's own evidence: marker letters (Cyrillic ones only: Latin accents are
    # shared with languages not configured) or marker words.
    m = plan.markers[alive]
    needed = m.evidence or plan.evidence
    evidence = sum(low.count(ch) for ch in m.letters & distinct)
    if evidence < needed:
        if words is None:
            words = _word_set(low)
        evidence += len(words & m.words)
    return alive if evidence >= needed else ""


# --------------------------------------------------------------------------- per-config plan


class _Plan:
    """What a config implies, computed once per config object (scoring is hot)."""

    def __init__(self, config: LidConfig) -> None:
        table = alphabets()
        self.config = config
        self.by_script: dict[str, tuple[str, ...]] = {}
        for code in config.languages:
            if code in table:
                script = table[code][0]
                self.by_script[script] = (*self.by_script.get(script, ()), code)
        self.alphabet = {c: table[c][1] for c in config.languages if c in table}
        self.letter_factor = [math.exp(-config.letter_penalty * k) for k in range(21)]
        # Only languages with a prior other than 1 need the multiplication.
        self.prior = {c: w for c, w in config.prior.items() if w != 1.0 and c in config.languages}
        self.lingua_langs = tuple(config.languages)
        self.markers = {c: m for c, m in markers().items() if c in config.languages}
        self.evidence = config.decisive_evidence


_PLANS: dict[int, _Plan] = {}


def _plan(config: LidConfig) -> _Plan:
    # Keyed by identity; the plan holds its config, so the id cannot be reused.
    plan = _PLANS.get(id(config))
    if plan is None or plan.config is not config:
        if len(_PLANS) > 64:
            _PLANS.clear()
        plan = _PLANS[id(config)] = _Plan(config)
    return plan
