"""Giving a big document's freed memory back to the system between its stages.

glibc raises its mmap threshold each time a large block (a numpy array of the aligner, a
side's text) is freed, up to 32 MB; later allocations below that size then come from the
heap, and what a stage frees there stays resident under the next stage: measured on a
20 MB pair, the aligner's ~200 MB stayed in RSS under adequacy scoring and the
``docs/<id>.json`` write, and the run's peak was their sum. :func:`release` hands the
heap's free pages back (``malloc_trim``) once a document is big enough for it to matter;
it changes no value, only where the next stage's memory comes from.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cleaners.model import Document

# Below this many characters a document's stages leave too little behind to be worth a
# trim (each walks the heap: a few ms, which 2,000 small documents would notice).
BIG = 1 << 20


@lru_cache(maxsize=1)
def _trim() -> object | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc.malloc_trim
    except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
        return None


def release(size: int) -> bool:
    """Return free heap pages to the system after a stage of a document of ``size``
    characters; nothing below :data:`BIG` or without glibc. Returns whether it trimmed.

    >>> release(10)
    False
    """
    trim = _trim()
    if size < BIG or trim is None:
        return False
    trim(0)  # type: ignore[operator]
    return True


def doc_size(doc: Document) -> int:
    """Characters of a document's sides: the ``size`` :func:`release` weighs."""
    return sum(len(side.text) for side in (doc.ru, doc.en) if side is not None)
