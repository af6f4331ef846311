"""Glossary: known MT term slips fixed from a reviewable TSV file, case-preserving."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from cleaners.edit import Edit
from cleaners.repair.engine import Param, make_edit, rule, with_defaults
from cleaners.repair.tables import DATA

BUNDLED = DATA / "glossary.tsv"


@lru_cache(maxsize=32)
def _load(path: str, mtime: float) -> tuple[tuple[str, str], ...]:
    rows = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) < 2 or not cols[0].strip() or not cols[1].strip():
                raise ValueError(f"{path}:{n}: expected 'wrong<TAB>right[<TAB>note]'")
            rows.append((cols[0].strip(), cols[1].strip()))
    return tuple(rows)


def load_glossary(files: Sequence[str] = ()) -> dict[str, str]:
    """The bundled glossary plus ``files`` (later files override earlier entries)."""
    out: dict[str, str] = {}
    for path in (str(BUNDLED), *files):
        out.update(_load(path, os.path.getmtime(path)))
    return out


@lru_cache(maxsize=32)
def _compiled(files: tuple[str, ...]) -> tuple[re.Pattern[str] | None, dict[str, str]]:
    # Read once per process and file set: a run's glossary does not change under it.
    return _compile(tuple(sorted(load_glossary(files).items())))


@lru_cache(maxsize=32)
def _ascii_needles(files: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """(exact, lowercased) wrong terms, or None if one is not ASCII.

    Between ASCII strings, matching ignoring case is matching lowercase, so in ASCII
    text a few substring tests rule out most lines before the regex with its lookarounds
    runs (a non-ASCII term may match ASCII text ignoring case: "K" for "k").
    """
    wrong = load_glossary(files)
    if not all(w.isascii() for w in wrong):
        return None
    return (
        tuple(w for w in wrong if w.isupper()),
        tuple(w.lower() for w in wrong if not w.isupper()),
    )


def _may_match(text: str, files: tuple[str, ...]) -> bool:
    """False only when no glossary term can occur in ``text`` (a cheap superset test)."""
    needles = _ascii_needles(files) if text.isascii() else None
    if needles is None:
        return True
    exact, folded = needles
    return any(map(text.__contains__, exact)) or any(map(text.lower().__contains__, folded))


@lru_cache(maxsize=32)
def _compile(entries: tuple[tuple[str, str], ...]) -> tuple[re.Pattern[str] | None, dict[str, str]]:
    exact = {w: r for w, r in entries if w.isupper()}
    folded = {w.lower(): r for w, r in entries if not w.isupper()}
    alts = sorted(
        [re.escape(w) for w in exact] + [f"(?i:{re.escape(w)})" for w in folded],
        key=len,
        reverse=True,
    )
    if not alts:
        return None, {}
    pat = re.compile(r"(?<![\w-])(?:" + "|".join(alts) + r")(?![\w-])")
    return pat, {**folded, **exact}


def _match_case(found: str, right: str, wrong_exact: bool) -> str:
    if wrong_exact:
        return right
    if found.isupper():
        return right.upper()
    if found.islower():
        return right.lower()
    return right


@rule(
    "apply_glossary",
    stage=20,
    langs=("en",),
    params={"files": Param([], "Extra glossary TSV files (set from RepairConfig.glossary).")},
    risk="an acronym with another meaning (APU = auxiliary power unit); review the file",
)
def apply_glossary(text: str, lang: str, params: Mapping[str, Any]) -> list[Edit]:
    """Replace known MT term slips (``APU`` → ``AFU``, ``Xijingping`` → ``Xi Jinping``).

    >>> from cleaners.repair.engine import replay
    >>> t = "fuel equipment APU. Protected by Xijingping."
    >>> replay(t, apply_glossary(t, "en", {}))
    'fuel equipment AFU. Protected by Xi Jinping.'
    >>> apply_glossary("the apu of a plane; APUs; Tokayev", "en", {})
    []
    """
    files = tuple(with_defaults("apply_glossary", params)["files"])
    if not _may_match(text, files):
        return []
    pat, table = _compiled(files)
    if pat is None or pat.search(text) is None:
        return []
    if pat is None:
        return []
    edits = []
    for m in pat.finditer(text):
        found = m.group()
        if found in table and found.isupper():
            after = table[found]
        else:
            right = table.get(found.lower())
            if right is None:
                continue
            after = _match_case(found, right, False)
        if after != found:
            edits.append(make_edit("apply_glossary", text, m.start(), m.end(), after))
    return edits
