"""Regexes compiled on first use.

The repair rules keep ~70 module-level patterns, most of them for text that is rare
in a given run (Cyrillic, mojibake, line breaks): compiling them all at import costs
several milliseconds of every ``mtclean clean`` start. A pattern made with
:func:`lazy_compile` is compiled the first time one of its methods is asked for.
"""

from __future__ import annotations

import re
from typing import Any, cast

# What the stand-in takes over from the compiled pattern on first use.
_ATTRS = (
    "search",
    "match",
    "fullmatch",
    "finditer",
    "findall",
    "sub",
    "subn",
    "split",
    "scanner",
    "flags",
    "groups",
    "groupindex",
)


class LazyPattern:
    """Stands in for ``re.compile(pattern, flags)`` and compiles it on first use.

    >>> p = LazyPattern(r"\\d+")
    >>> p.findall("a1b22"), p.pattern
    (['1', '22'], '\\\\d+')
    """

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._source = (pattern, flags)
        self.pattern = pattern  # read without compiling (a rule's precheck is one)

    def __getattr__(self, name: str) -> Any:
        # Asked only for what this object lacks: compile once and keep the pattern's
        # methods as its own, so that later calls cost what the pattern's would.
        compiled = re.compile(*self._source)
        for attr in _ATTRS:
            setattr(self, attr, getattr(compiled, attr))
        return getattr(compiled, name)

    def __reduce__(self) -> tuple[type[LazyPattern], tuple[str, int]]:
        return (LazyPattern, self._source)

    def __repr__(self) -> str:
        return f"LazyPattern({self._source[0]!r}, {self._source[1]!r})"


def lazy_compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, put off until the pattern is first used.

    The result answers as a compiled pattern does (``search``, ``finditer``, ...),
    but is not one: do not pass it to ``re.sub`` and the like.
    """
    return cast("re.Pattern[str]", LazyPattern(pattern, flags))
