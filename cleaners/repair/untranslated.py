"""Untranslated fragments: Cyrillic left inside English MT (flagged, never edited)."""

from __future__ import annotations

from cleaners.langev import CYRILLIC_BASIC
from cleaners.lazyre import lazy_compile

_CYR_RUN = lazy_compile(rf"[{CYRILLIC_BASIC}]+(?:[\s\-'’.,:;«»\"]+[{CYRILLIC_BASIC}]+)*")


def untranslated_spans(text: str) -> list[tuple[int, int]]:
    """Spans of Cyrillic words (runs joined across spaces and punctuation).

    >>> untranslated_spans("He said Спасибо большое and left.")
    [(8, 23)]
    >>> untranslated_spans("All English here.")
    []
    """
    return [(m.start(), m.end()) for m in _CYR_RUN.finditer(text)]
