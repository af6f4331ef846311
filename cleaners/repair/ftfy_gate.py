"""Whether ftfy would change a line, decided without importing ftfy.

Importing ftfy costs about 60 ms (it builds its regexes at import), more than
repairing 3,000 lines of MT. Most MT holds only benign non-ASCII ("Düsseldorf",
"22 °C", "€185") that ftfy leaves alone, so it is worth knowing up front.

``ftfy.fix_text`` (6.x, curly quotes kept) changes a line only through:

* HTML entities (``&eacute;``), when the line has no ``<``;
* its mojibake heuristic: re-decoding is tried only when ``badness.BADNESS_RE``
  matches (``is_bad``);
* character tables: C1 controls, ligatures, full-width forms, line breaks
  (``\\r``, U+2028/9, U+0085), surrogates, terminal escapes, control characters;
* NFC normalisation.

The heuristic's pattern and the tables are copied from the installed ftfy into
``data/repair/ftfy_gate.json`` by ``python -m cleaners.repair.build_tables``; the
copy names the ftfy version it came from, and with any other version installed
every line goes to ftfy (slower, never wrong). Tests check the copy against ftfy
and that a line this module passes comes back from ftfy unchanged.

The heuristic's pattern takes ~5 ms to compile, so it is screened first with facts
read from its structure at build time: which non-ASCII characters each of its
alternatives can match side by side (``pairs``), and which it flags with only ASCII
around them (``lone``). A line the pairs flag is searched with the few alternatives
that flagged it (``alternatives``: each is quick to compile), not the whole pattern.
"""

from __future__ import annotations

import importlib.util
import json
import re
import unicodedata
from bisect import bisect_right
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from cleaners.repair.tables import DATA

TABLE = DATA / "repair" / "ftfy_gate.json"
_VERSION_RE = re.compile(r"""^__version__\s*=\s*["']([^"']+)["']""", re.MULTILINE)


def installed_version() -> str | None:
    """ftfy's ``__version__`` read from its source, without importing it (None if absent)."""
    spec = importlib.util.find_spec("ftfy")
    if spec is None or not spec.origin:
        return None
    try:
        head = Path(spec.origin).read_text(encoding="utf-8")
    except OSError:
        return None
    m = _VERSION_RE.search(head)
    return m.group(1) if m else None


@lru_cache(maxsize=1)
def _table() -> dict[str, object] | None:
    """The shipped table, or None if it does not describe the installed ftfy."""
    try:
        table = json.loads(TABLE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return table if table.get("ftfy_version") == installed_version() else None


@lru_cache(maxsize=1)
def _direct() -> re.Pattern[str]:
    return re.compile(str(_table()["direct"]))  # type: ignore[index]


@lru_cache(maxsize=1)
def _badness() -> re.Pattern[str]:
    # A 4,000-character pattern: compiled (~5 ms) only for a line with a lone trigger.
    table = _table()
    return re.compile(str(table["badness"]), int(table["badness_flags"]))  # type: ignore[index,call-overload]


@lru_cache(maxsize=1)
def _lone() -> re.Pattern[str]:
    """The few characters the heuristic flags with only ASCII around them ("Â " is a
    mangled no-break space)."""
    return re.compile(str(_table()["lone"]))  # type: ignore[index]


@cache
def _alternative(index: int) -> re.Pattern[str]:
    """One alternative of the heuristic's pattern (about 0.1 ms to compile)."""
    return re.compile(_table()["alternatives"][index])  # type: ignore[index]


# A character, then (range bounds, alternative) for each alternative that can match it
# beside a non-ASCII character: bounds (start, end + 1, start, ...) of the characters
# that may stand next to it, so a code point is inside when bisect_right is odd.
_Beside = dict[str, list[tuple[tuple[int, ...], int]]]


@lru_cache(maxsize=1)
def _pairs() -> tuple[_Beside, _Beside]:
    """The table's ``pairs`` as two maps: first character → what may follow it, and
    second character → what may precede it (used for an atom like ``\\s`` that matches
    too many characters to list as firsts)."""
    pairs: dict[str, list[list[Any]]] = _table()["pairs"]  # type: ignore[index, assignment]
    maps: tuple[_Beside, _Beside] = ({}, {})
    for side, key in enumerate(("after", "before")):
        for keys, others, alternative in pairs[key]:
            entry = (tuple(b for lo, hi in _spans(others) for b in (lo, hi + 1)), alternative)
            for lo, hi in _spans(keys):
                for c in map(chr, range(lo, hi + 1)):
                    maps[side].setdefault(c, []).append(entry)
    return maps


def _spans(spec: str) -> list[tuple[int, int]]:
    """``"c0-d1 d8"`` (hex code points, ranges inclusive) as ``[(0xC0, 0xD1), (0xD8, 0xD8)]``."""
    out = []
    for part in spec.split():
        lo, _, hi = part.partition("-")
        out.append((int(lo, 16), int(hi or lo, 16)))
    return out


def _paired_alternatives(line: str) -> set[int]:
    """The alternatives of the heuristic that can match two non-ASCII characters side
    by side in ``line`` as two consecutive atoms. Only the occurrences of listed
    characters are looked at: a line of Cyrillic costs a few scans, not a loop."""
    after, before = _pairs()
    present = set(line)
    found: set[int] = set()
    for first in present.intersection(after):
        entries = after[first]
        i = line.find(first)
        while 0 <= i < len(line) - 1:
            code = ord(line[i + 1])
            found.update(alt for bounds, alt in entries if bisect_right(bounds, code) & 1)
            i = line.find(first, i + 1)
    for second in present.intersection(before):
        entries = before[second]
        i = line.find(second, 1)
        while i > 0:
            code = ord(line[i - 1])
            found.update(alt for bounds, alt in entries if bisect_right(bounds, code) & 1)
            i = line.find(second, i + 1)
    return found


def _heuristic_matches(line: str) -> bool:
    """``bool(badness.BADNESS_RE.search(line))`` for a line without C1 controls (the
    gate sends those to ftfy first), mostly without compiling the pattern.

    A match holds one of the ``lone`` characters, or two non-ASCII characters side by
    side that two consecutive atoms of its alternative match (``_lone_triggers``,
    ``_adjacent_pairs``; tests check both on random text). So a line with no lone
    character is searched only with the alternatives its pairs point to.
    """
    if _lone().search(line):
        return bool(_badness().search(line))
    return any(_alternative(i).search(line) for i in sorted(_paired_alternatives(line)))


def would_change(line: str) -> bool:
    """True when ``ftfy.fix_text(line)`` (curly quotes kept) may differ from ``line``.

    False is a promise, true only a possibility (a caller then runs ftfy).

    >>> would_change("Näes said in Düsseldorf: +22 °C, €185, 21 × 27 cm")
    False
    >>> would_change("cafÃ© time"), would_change("P&eacute;rez"), would_change("ﬁle")
    (True, True, True)
    """
    if line.isascii():
        # Only entities, control characters and \r can matter in ASCII.
        return "&" in line or not line.isprintable() and bool(re.search(r"[^\t\n -~]", line))
    if _table() is None:
        return True
    if "&" in line or _direct().search(line):
        return True
    if _heuristic_matches(line):
        return True
    return not unicodedata.is_normalized("NFC", line)
