"""Building ``data/repair/ftfy_gate.json`` from the installed ftfy (build time only).

The gate (:mod:`cleaners.repair.ftfy_gate`) reads the table; this module writes it:
ftfy's character tables as one class, its mojibake heuristic's pattern, and facts
read from that pattern's parse (``re._parser``): which characters it flags alone,
each alternative as a pattern of its own, and which characters each alternative
matches side by side. Run through ``python -m cleaners.repair.build_tables``.
"""

from __future__ import annotations

import json
import re
from typing import Any

from cleaners.repair.ftfy_gate import TABLE


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
        "alternatives": _alternatives(badness.BADNESS_RE),
        "pairs": _adjacent_pairs(badness.BADNESS_RE),
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


# Every non-ASCII code point: what an atom like ``.``, ``\w`` or ``[^A-Z]`` may match.
_ALL = frozenset({-1})


def _atom(op: Any, av: Any) -> frozenset[int]:
    """The non-ASCII code points one parsed atom matches (``_ALL``: too many to list)."""
    from re import _constants as C  # the parser's op codes; used at build time only

    if op is C.LITERAL:
        return frozenset({av} if av > 0x7F else ())
    if op is C.ANY:
        return _ALL
    if op is C.IN:
        out: set[int] = set()
        for item, arg in av:
            if item is C.LITERAL:
                out.update({arg} if arg > 0x7F else ())
            elif item is C.RANGE:
                out.update(range(max(arg[0], 0x80), arg[1] + 1))
            else:  # a category (\s, \w) or a negated class
                return _ALL
        return frozenset(out)
    raise ValueError(f"unexpected atom in ftfy's pattern: {op} {av!r}")


def _runs(items: Any) -> list[list[frozenset[int]]]:
    """One alternative as the atoms it can match in a row, an optional atom both with
    and without it (zero-width assertions match no character)."""
    from re import _constants as C

    runs: list[list[frozenset[int]]] = [[]]
    for op, av in items:
        if op is C.AT:
            continue
        if op is C.MAX_REPEAT and av[0] == 0 and av[1] == 1 and len(av[2]) == 1:
            atom = _atom(*av[2][0])
            runs = [r for run in runs for r in (run, [*run, atom])]
        else:
            runs = [[*run, _atom(op, av)] for run in runs]
    return runs


def _spec(codes: set[int] | frozenset[int]) -> str:
    """``codes`` as the table writes them: hex code points and inclusive ranges, sorted."""
    runs: list[list[int]] = []
    for c in sorted(codes):
        if runs and runs[-1][1] == c - 1:
            runs[-1][1] = c
        else:
            runs.append([c, c])
    return " ".join(f"{lo:x}" if lo == hi else f"{lo:x}-{hi:x}" for lo, hi in runs)


def _branches(pattern: re.Pattern[str]) -> list[Any]:
    """The parsed alternatives of ``pattern`` (its top level must be one alternation)."""
    from re import _constants as C
    from re import _parser

    if pattern.flags & (re.IGNORECASE | re.MULTILINE | re.DOTALL | re.ASCII):
        raise ValueError("ftfy's pattern has flags the gate does not read")
    tree = _parser.parse(pattern.pattern, pattern.flags)
    if len(tree.data) != 1 or tree.data[0][0] is not C.BRANCH:
        raise ValueError("ftfy's pattern is not an alternation")
    return list(tree.data[0][1][1])


def _class_char(code: int) -> str:
    ch = chr(code)
    if ch in "\\]^-[":
        return "\\" + ch
    return ch if 0x20 <= code != 0x7F else f"\\x{code:02x}"


def _unparse(op: Any, av: Any) -> str:
    """Regex text for one parsed atom (the kinds ``_atom`` reads, and ``^``)."""
    from re import _constants as C

    if op is C.LITERAL:
        return re.escape(chr(av))
    if op is C.ANY:
        return "."
    if op is C.AT and av is C.AT_BEGINNING:
        return "^"
    if op is C.MAX_REPEAT and av[:2] == (0, 1) and len(av[2]) == 1:
        return f"(?:{_unparse(*av[2][0])})?"
    if op is C.IN:
        categories = {C.CATEGORY_SPACE: r"\s", C.CATEGORY_WORD: r"\w", C.CATEGORY_DIGIT: r"\d"}
        parts = []
        for item, arg in av:
            if item is C.NEGATE:
                parts.append("^")
            elif item is C.LITERAL:
                parts.append(_class_char(arg))
            elif item is C.RANGE:
                parts.append(f"{_class_char(arg[0])}-{_class_char(arg[1])}")
            elif item is C.CATEGORY and arg in categories:
                parts.append(categories[arg])
            else:
                raise ValueError(f"unexpected class item in ftfy's pattern: {item} {arg!r}")
        return "[" + "".join(parts) + "]"
    raise ValueError(f"unexpected atom in ftfy's pattern: {op} {av!r}")


def _alternatives(pattern: re.Pattern[str]) -> list[str]:
    """Each alternative of ``pattern`` as regex text of its own, rewritten from the parse
    (no verbose-mode layout): searching them one by one finds what the whole finds."""
    return ["".join(_unparse(op, av) for op, av in branch.data) for branch in _branches(pattern)]


def _adjacent_pairs(pattern: re.Pattern[str]) -> dict[str, list[list[Any]]]:
    """Which non-ASCII characters each alternative of ``pattern`` matches side by side.

    Each alternative of ``BADNESS_RE`` is a row of one-character atoms, so two adjacent
    characters of a match are matched by two consecutive atoms: a pair of the first's
    and the second's code points. ``after`` lists groups of first characters, the ones
    that may follow them and the alternative's index; ``before`` does the reverse for
    atoms such as ``\\s`` (too many first characters to list; their followers are
    few). Read from the parsed pattern; an atom of a kind not foreseen fails the build.
    """
    follows: dict[tuple[int, int], set[int]] = {}
    precedes: dict[tuple[int, int], set[int]] = {}
    for index, branch in enumerate(_branches(pattern)):
        for run in _runs(branch.data):
            for a, b in zip(run, run[1:], strict=False):
                if not a or not b:
                    continue
                if a is _ALL and b is _ALL:
                    raise ValueError("ftfy's pattern matches any two non-ASCII characters")
                if a is _ALL:
                    for c in b:
                        precedes.setdefault((c, index), set()).add(-1)
                    continue
                for c in a:
                    follows.setdefault((c, index), set()).update(b)
    # -1 (_ALL) in a set stands for every non-ASCII character.
    every = "80-10ffff"
    out: dict[str, list[list[Any]]] = {}
    for key, table in (("after", follows), ("before", precedes)):
        groups: dict[tuple[frozenset[int], int], set[int]] = {}
        for (c, index), others in table.items():
            groups.setdefault((frozenset(others), index), set()).add(c)
        out[key] = sorted(
            [_spec(keys), every if -1 in others else _spec(others), index]
            for (others, index), keys in groups.items()
        )
    return out


def main() -> None:
    from cleaners.fsutil import atomic_write_bytes

    table = build()
    text = json.dumps(table, ensure_ascii=True, indent=1) + "\n"
    atomic_write_bytes(TABLE, text.encode("ascii"))
    print(f"wrote {TABLE} for ftfy {table['ftfy_version']}")
