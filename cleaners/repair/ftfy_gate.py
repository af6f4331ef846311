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
"""

from __future__ import annotations

import importlib.util
import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

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
    # A 4,000-character pattern: compiled (~5 ms) only for a line it could match.
    table = _table()
    return re.compile(str(table["badness"]), int(table["badness_flags"]))  # type: ignore[index,call-overload]


@lru_cache(maxsize=1)
def _may_be_bad() -> re.Pattern[str]:
    """Where the heuristic can match at all: two non-ASCII characters side by side, or
    one of the few it flags alone (``lone``: "Â " is a mangled no-break space)."""
    return re.compile(r"[^\x00-\x7f]{2}|" + str(_table()["lone"]))  # type: ignore[index]


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
    if _may_be_bad().search(line) and _badness().search(line):
        return True
    return not unicodedata.is_normalized("NFC", line)


def _char_class(codes: set[int]) -> str:
    """A regex character class matching exactly ``codes`` (runs written as ranges)."""
    parts = []
    ordered = sorted(codes)
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
            j += 1
        lo, hi = ordered[i], ordered[j]
        parts.append(f"\\U{lo:08x}" if lo == hi else f"\\U{lo:08x}-\\U{hi:08x}")
        i = j + 1
    return "[" + "".join(parts) + "]"


def build() -> dict[str, object]:
    """The table, from the installed ftfy (imports it)."""
    import ftfy
    from ftfy import badness, chardata

    codes: set[int] = set()
    codes |= set(chardata.LIGATURES)
    codes |= set(chardata.WIDTH_MAP)
    codes |= set(chardata.CONTROL_CHARS)
    codes |= set(range(0x80, 0xA0))  # C1 controls (fix_c1_controls)
    codes |= set(range(0xD800, 0xE000))  # surrogates (fix_surrogates)
    codes |= {ord(c) for c in "\r\u2028\u2029\x1b"}  # line breaks, terminal escapes
    return {
        "ftfy_version": ftfy.__version__,
        "direct": _char_class(codes),
        "badness": badness.BADNESS_RE.pattern,
        "badness_flags": int(badness.BADNESS_RE.flags),
        "lone": _char_class(_lone_triggers(badness.BADNESS_RE)),
    }


def _lone_triggers(pattern: re.Pattern[str]) -> set[int]:
    """The non-ASCII characters the heuristic flags with only ASCII around them.

    Every other match needs two non-ASCII characters side by side (each alternative of
    ``BADNESS_RE`` is a run of classes, and only ``Â``/``Ã``/``Œ`` ones can sit between
    ASCII). Found by trying each character the pattern names in every three-character
    window of printable ASCII; tests check the claim on random text.
    """
    named = {ord(c) for c in pattern.pattern if ord(c) > 0x7F}
    for m in re.finditer(r"(.)-(.)", pattern.pattern):
        named.update(range(ord(m.group(1)), ord(m.group(2)) + 1))
    ascii_ = [chr(i) for i in range(32, 127)] + ["\t", "\n"]
    lone = set()
    for cp in sorted(c for c in named if c > 0x9F):  # C1 controls are direct triggers
        ch = chr(cp)
        if any(
            pattern.search(w)
            for a in ascii_
            for b in ascii_
            for w in (a + ch + b, a + b + ch, ch + a + b)
        ):
            lone.add(cp)
    return lone


def main() -> None:
    from cleaners.fsutil import atomic_write_bytes

    table = build()
    text = json.dumps(table, ensure_ascii=True, indent=1) + "\n"
    atomic_write_bytes(TABLE, text.encode("ascii"))
    print(f"wrote {TABLE} for ftfy {table['ftfy_version']}")
