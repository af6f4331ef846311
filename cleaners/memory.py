"""Giving a big document's freed memory back to the system between its stages.

glibc raises its mmap threshold each time a large block (a numpy array of the aligner, a
side's text) is freed, up to 32 MB; later allocations below that size then come from the
heap, and what a stage frees there stays resident under the next stage: measured on a
20 MB pair, the aligner's ~200 MB stayed in RSS under adequacy scoring and the
``docs/<id>.json`` write, and the run's peak was their sum. :func:`release` hands the
heap's free pages back (``malloc_trim``) once a document is big enough for it to matter;
it changes no value, only where the next stage's memory comes from.

The first big document also fixes glibc's mmap threshold at :data:`MMAP_AT` (``mallopt``):
left to itself the threshold climbs to 32 MB, and the aligner's arrays of a few MB then come
from the heap, between the document's own objects, where a freed one leaves a hole no trim
can return (a 20 MB pair's aligner peaked ~15 MB higher and left ~100 MB resident).
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


# Blocks from this size on are mapped on their own and unmapped when freed (4 MB: the same
# CPU as glibc's own threshold on a 20 MB pair; 256 KB cost the aligner a fifth more).
MMAP_AT = 4 << 20
_M_MMAP_THRESHOLD = -3  # mallopt's parameter number (glibc's malloc.h)


@lru_cache(maxsize=1)
def _libc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None


@lru_cache(maxsize=1)
def _trim() -> object | None:
    libc = _libc()
    try:
        return None if libc is None else libc.malloc_trim
    except AttributeError:  # not glibc (musl has no malloc_trim)
        return None


@lru_cache(maxsize=1)
def _fix_threshold() -> bool:
    """Fix the mmap threshold once (glibc only); whether it was set."""
    libc = _libc()
    try:
        return libc is not None and bool(libc.mallopt(_M_MMAP_THRESHOLD, MMAP_AT))
    except AttributeError:  # not glibc
        return False


def release(size: int) -> bool:
    """Return free heap pages to the system after a stage of a document of ``size``
    characters; nothing below :data:`BIG` or without glibc. Returns whether it trimmed.

    >>> release(10)
    False
    """
    trim = _trim()
    if size < BIG or trim is None:
        return False
    _fix_threshold()
    trim(0)  # type: ignore[operator]
    return True


def doc_size(doc: Document) -> int:
    """Characters of a document's sides: the ``size`` :func:`release` weighs."""
    return sum(len(side.text) for side in (doc.ru, doc.en) if side is not None)
