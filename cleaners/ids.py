"""Safe document ids from relative paths (and JSONL ids).

An id is a flat name: the relative path's components made safe (Unicode letters,
digits, ``_``, ``-`` and inner ``.``; never empty, never ``.``/``..``, never
starting with a dot, each at most :data:`MAX_COMPONENT` characters) joined with
``__`` (``news/2023/a.ru.txt`` → ``news__2023__a``). So ``out/docs/<id>.json`` is
always a file directly inside ``out/docs``: no subfolders to scan, no escapes.
When making a name safe changed it, a short hash of the original is appended,
so ``my file`` and ``my-file`` stay distinct; :class:`IdRegistry` adds a hash
suffix on collisions, comparing case-folded ids because macOS and Windows file
systems do.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

SEP = "__"  # joins folder names: ids stay flat, one file per id directly in docs/
MAX_COMPONENT = 80  # characters
# Whole id in UTF-8 bytes: with ".json" and an atomic write's ".<name>.XXXXXXXX.tmp" it stays
# under NAME_MAX (255 bytes) on every common file system.
MAX_ID_BYTES = 200
_UNSAFE = re.compile(r"[^\w.-]+")
_DOTS = re.compile(r"\.{2,}")
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")
_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(10)),
    *(f"lpt{i}" for i in range(10)),
}  # Windows device names


def short_hash(text: str, n: int = 8) -> str:
    """The first ``n`` hex digits of the SHA-256 of ``text``.

    >>> short_hash("my file")
    '9e189ad1'
    """
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:n]


def safe_component(part: str) -> str:
    """One path component made safe (no hash added here).

    >>> safe_component("..%2f..%2fetc")
    'etc'
    >>> safe_component("Новости дня")
    'Новости-дня'
    >>> safe_component("..")
    'doc'
    """
    part = unicodedata.normalize("NFC", part)
    # '%2f' (an escaped '/') and other percent-escapes become plain separators.
    part = _PERCENT.sub("-", part)
    part = _UNSAFE.sub("-", part)
    part = _DOTS.sub(".", part)
    part = re.sub(r"-{2,}", "-", part).strip(".-")
    if not part:
        return "doc"
    if part.split(".")[0].casefold() in _RESERVED:
        part = f"_{part}"
    return part[:MAX_COMPONENT]


def safe_id(raw: str) -> str:
    """A safe document id for ``raw`` (a relative path without extension, or a JSONL id).

    Separators ``/`` and ``\\`` split components; empty, ``.`` and ``..`` components
    are dropped; the rest are joined with :data:`SEP`. If a component had to change,
    an 8-hex-digit hash of ``raw`` is appended, so two different raw names never map
    to the same id.

    >>> safe_id("news/2023/kazakh-oil")
    'news__2023__kazakh-oil'
    >>> safe_id("../../etc/passwd")
    'etc__passwd-3754d6cb'
    >>> safe_id("my file")
    'my-file-9e189ad1'
    """
    parts = [p for p in re.split(r"[/\\]+", raw) if p not in ("", ".", "..")]
    safe = [safe_component(p) for p in parts] or ["doc"]
    doc_id = SEP.join(safe)
    # Joining folders is not an alteration; changing a name (or dropping '..') is.
    altered = safe != raw.split("/")
    if len(doc_id.encode("utf-8")) > MAX_ID_BYTES:
        # Deep folders or a long JSONL id: cut (on a character boundary) and hash the rest.
        cut = doc_id.encode("utf-8")[: MAX_ID_BYTES - 9].decode("utf-8", "ignore")
        doc_id, altered = cut.rstrip(".-_"), True
    if altered:
        doc_id = f"{doc_id}-{short_hash(raw)}"
    return doc_id


def id_path(root: Path, doc_id: str, suffix: str = ".json") -> Path:
    """``root/<doc_id><suffix>``, refusing any id that would leave ``root``.

    >>> id_path(Path("/out/docs"), "news/a").as_posix()
    '/out/docs/news/a.json'
    >>> id_path(Path("/out/docs"), "../x")
    Traceback (most recent call last):
    ...
    ValueError: unsafe document id '../x'
    """
    parts = doc_id.split("/")
    if any(p in ("", ".", "..") or p.startswith(".") or "\\" in p or "\x00" in p for p in parts):
        raise ValueError(f"unsafe document id {doc_id!r}")
    return root.joinpath(*parts[:-1], parts[-1] + suffix)


class IdRegistry:
    """Hands out unique ids; a clash (case-insensitive) gets a hash suffix.

    >>> reg = IdRegistry()
    >>> reg.claim("a", salt="a.txt"), reg.claim("A", salt="A.txt")
    ('a', 'A-48266a69')
    >>> "a" in reg
    True
    """

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def __contains__(self, doc_id: str) -> bool:
        return doc_id.casefold() in self._taken

    def claim(self, doc_id: str, salt: str) -> str:
        """Reserve ``doc_id`` or, when taken, ``doc_id-<hash(salt)>`` (then a counter)."""
        candidate = doc_id
        if candidate in self:
            candidate = f"{doc_id}-{short_hash(salt)}"
        n = 2
        while candidate in self:
            candidate = f"{doc_id}-{short_hash(salt)}-{n}"
            n += 1
        self._taken.add(candidate.casefold())
        return candidate
