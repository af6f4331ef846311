"""Reading ``docs/<id>.json`` back without holding the file as one string.

``json.loads`` needs the whole file as a ``str`` (for a book-length document, tens of MB,
two bytes a character once it holds Cyrillic) and then builds a dict per bead and segment
beside it: 23x the pair's size at its peak (bench/bigdoc.py). :func:`load_document` walks
the top-level object, the sides and their arrays element by element instead, turning each
bead and segment into its record as it is read; each plain value still goes through
``json``'s own decoder, so what comes back equals ``Document.from_dict(json.loads(text))``.
Strings repeated in the file (a corpus sentence is also its segment's sentence, often its
whole text) come back as one object.
"""

from __future__ import annotations

import json
import re
import sys
import zlib
from collections.abc import Iterator
from json.decoder import scanstring  # type: ignore[attr-defined]
from pathlib import Path
from typing import IO, Any

from cleaners.memory import BIG, doc_size, release
from cleaners.model import (
    LAZY_RAW,
    Bead,
    Document,
    Edit,
    Segment,
    SideDoc,
    raw_digest,
    undone_digest,
)

_WS = re.compile(r"[ \t\n\r]*")
_SPACE = re.compile(r"\s*")
_HIGH_SURROGATE = re.compile(r"\\u[dD][89abAB][0-9a-fA-F]{2}")
_DECODER = json.JSONDecoder()
_CHUNK = 1 << 16
_TRIM_EVERY = 4 << 20
_NUMBER_GOES_ON = frozenset("0123456789.eE+-")
_POOLED = 1 << 16  # floats shared by _pooled before its pool starts again
_FLOATS: dict[float, float] = {}  # _pooled's pool of scores, shared across documents
_LOOK_AHEAD = 256  # sentences _strings looks ahead for the next corpus sentence
_PACK = 1 << 20  # characters of a long raw text compressed at a time (_Packed)


class StreamReader:
    """A JSON text read piecewise: containers entered one key or element at a time,
    anything else decoded whole by :meth:`value`."""

    def __init__(self, fh: IO[str]) -> None:
        self._fh = fh
        self._buf = ""
        self._pos = 0
        self._eof = False
        self._read = 0

    def _more(self) -> bool:
        if self._eof:
            return False
        # Read at least as much as is buffered: a long value is retried O(log n) times.
        data = self._fh.read(max(_CHUNK, len(self._buf) - self._pos))
        self._read += len(data)
        if self._read >= _TRIM_EVERY:
            self._read = 0
            release(BIG)
        self._buf = self._buf[self._pos :] + data
        self._pos = 0
        self._eof = not data
        return bool(data)

    def peek(self) -> str:
        """The next character that is not whitespace."""
        while True:
            self._pos = _WS.match(self._buf, self._pos).end()  # type: ignore[union-attr]
            if self._pos < len(self._buf):
                return self._buf[self._pos]
            if not self._more():
                raise ValueError("unexpected end of JSON")

    def _take(self, expected: str) -> str:
        ch = self.peek()
        if ch not in expected:
            raise ValueError(f"expected one of {expected!r}, got {ch!r}")
        self._pos += 1
        return ch

    def value(self) -> Any:
        """The next value, whole."""
        if self.peek() == '"':
            self._string_end()
        start = self._pos
        while True:
            try:
                value, end = _DECODER.raw_decode(self._buf, self._pos)
            except json.JSONDecodeError:
                if self._more():
                    continue
                raise
            if (end == len(self._buf) or self._buf[end] in _NUMBER_GOES_ON) and self._more():
                continue  # a number cut by the piece's end ("12" of "123", "0" of "0.5")
            self._pos = end
            if end - start >= _CHUNK:  # a long value's text goes now, not at the next refill
                self._buf = self._buf[end:]
                self._pos = 0
            return value

    def _string_end(self) -> None:
        """Read until the string at ``_pos`` closes, a piece of :data:`_CHUNK` at a time,
        joined once: the buffer then holds the string and less than a piece after it
        (read doubling, a side's text left as much again behind it, held while its
        segments were read). A guess only: ``value`` decodes, and reads on if need be."""
        text, at = self._buf, self._pos + 1
        pieces = [text[self._pos :]]
        while _closing(text, at) < 0 and not self._eof:
            seam = pieces[-1][-64:]  # an escape may run over the pieces' seam
            data = self._fh.read(_CHUNK)
            self._eof = not data
            pieces.append(data)
            text, at = seam + data, len(seam)
        if len(pieces) > 1:
            self._buf = "".join(pieces)
            self._pos = 0
            if len(self._buf) >= _TRIM_EVERY:
                # The pieces (on the heap, below the mmap threshold) go back before the
                # string is decoded beside its JSON text: a one-line side's reload peaked
                # with them.
                del pieces, text, seam
                release(BIG)

    def long_string(self) -> bool:
        """Whether the next value is a string that does not close within what is buffered
        (a long one: :meth:`string_pieces` reads it)."""
        return self.peek() == '"' and _closing(self._buf, self._pos + 1) < 0

    def string_pieces(self) -> Iterator[str]:
        """The next value, a string, decoded a piece at a time (each cut where no escape
        spans, nor a surrogate pair's seam): neither the string nor its JSON text is ever
        whole here. The caller reads them all before anything else."""
        self._take('"')
        buf, self._buf, self._pos = self._buf[self._pos :], "", 0
        while True:
            end = _closing(buf, 0)
            if end >= 0:
                self._buf = buf[end + 1 :]
                if end:
                    yield scanstring(buf[:end] + '"', 0)[0]
                return
            cut = _safe_cut(buf)
            if cut:
                yield scanstring(buf[:cut] + '"', 0)[0]
                buf = buf[cut:]
            data = self._fh.read(_CHUNK)
            if not data:
                raise ValueError("unterminated string")
            buf += data

    def finish(self) -> None:
        """Check that only whitespace is left."""
        while True:
            self._pos = _WS.match(self._buf, self._pos).end()  # type: ignore[union-attr]
            if self._pos < len(self._buf):
                raise ValueError("extra data after the JSON value")
            if not self._more():
                return

    def object_keys(self) -> Iterator[str]:
        """An object's keys; the caller reads each key's value before the next."""
        self._take("{")
        if self.peek() == "}":
            self._pos += 1
            return
        while True:
            key = self.value()
            self._take(":")
            yield key
            if self._take(",}") == "}":
                return

    def array_items(self) -> Iterator[None]:
        """An array's elements; the caller reads each element before the next."""
        self._take("[")
        if self.peek() == "]":
            self._pos += 1
            return
        while True:
            yield None
            if self._take(",]") == "]":
                return


def _closing(text: str, at: int) -> int:
    """Where ``text`` holds, from ``at``, a quote no backslash escapes; -1 if nowhere."""
    q = text.find('"', at)
    while q >= 0:
        n = 0
        while q > n and text[q - n - 1] == "\\":
            n += 1
        if n % 2 == 0:
            return q
        q = text.find('"', q + 1)
    return -1


def _safe_cut(text: str) -> int:
    r"""The last position of ``text`` (a JSON string's inside, from a token's start) where
    its pieces decode as it does whole: inside no escape, and not between the escapes of a
    surrogate pair (decoded whole, they make one character).

    >>> [_safe_cut(t) for t in ('ab', 'a\\"', 'a\\', 'a\\u00e', 'a\\\\', 'x\\ud83d', 'x\\u00e9')]
    [2, 3, 1, 1, 3, 1, 7]
    """
    p = len(text)
    while p > 0:
        b = text.rfind("\\", max(0, p - 6), p)
        if b < 0:
            return p
        run = b
        while run > 0 and text[run - 1] == "\\":
            run -= 1
        start = b if (b - run) % 2 == 0 else b - 1  # the escape the backslash at b is in
        size = 6 if text[start + 1 : start + 2] == "u" else 2
        if start + size > p or start + 1 >= len(text):
            p = start  # inside it (or it is cut short): cut before it
        elif start + size == p and _HIGH_SURROGATE.match(text, start):
            p = start  # a low surrogate's escape may follow
        else:
            return p
    return 0


class _Spelled:
    """A long string read a piece at a time, made again of strings already held (a side's
    segments, a segment's sentences) where it is they, in order, with whitespace between:
    the string is then the only new copy (from its pieces it cost them and it at once: on a
    20 MB one-line pair, the reload's peak). Where it is not, its pieces are kept as they
    are; either way :meth:`text` is exactly what was read."""

    __slots__ = ("_known", "_k", "_at", "parts", "_spelling")

    def __init__(self, known: list[str]) -> None:
        self._known = [k for k in known if k]
        self._k = 0  # the known string being matched
        self._at = 0  # how much of it matched so far
        self.parts: list[str] = []
        self._spelling = True

    def feed(self, piece: str) -> None:
        pos, n = 0, len(piece)
        while self._spelling and pos < n:
            if self._at == 0:
                gap = _SPACE.match(piece, pos).end()  # type: ignore[union-attr]
                if gap > pos:
                    self.parts.append(piece[pos:gap])
                    pos = gap
                    continue
                if self._k == len(self._known):
                    break
            cur = self._known[self._k]
            take = min(n - pos, len(cur) - self._at)
            if not cur.startswith(piece[pos : pos + take], self._at):
                break
            self._at += take
            pos += take
            if self._at == len(cur):
                self.parts.append(cur)
                self._k += 1
                self._at = 0
        if pos < n:  # not (or no longer) the known strings: kept as read from here on
            if self._spelling and self._at:
                self.parts.append(self._known[self._k][: self._at])
            self._spelling = False
            self.parts.append(piece[pos:])

    def text(self) -> str:
        if self._spelling and self._at:
            self.parts.append(self._known[self._k][: self._at])
            self._at = 0
        return "".join(self.parts)


def _long_text(r: StreamReader, known: list[str]) -> str:
    """The long string next in ``r``, made of ``known`` where it is they (:class:`_Spelled`)."""
    spelled = _Spelled(known)
    for piece in r.string_pieces():
        spelled.feed(piece)
    return spelled.text()


def _shared(value: Any) -> Any:
    """A short string as one object however often the file repeats it (a segment's kind and
    language, a bead's method and reasons: a decoded value is a new object each time, ~50
    bytes, 20 MB over a 20 MB pair's segments and beads)."""
    return sys.intern(value) if isinstance(value, str) and len(value) <= 64 else value


def _segment(r: StreamReader) -> Segment:
    if r.peek() != "{":
        return Segment.from_dict(r.value())
    # Key by key, the sentences one by one: a segment of one multi-MB line was decoded whole
    # and, while incomplete, again after each read of as much again (37 s and 19x the pair).
    d: dict[str, Any] = {}
    for key in r.object_keys():
        if key == "sentences" and r.peek() == "[":
            d[key] = [r.value() for _ in r.array_items()]
        elif key == "text" and r.long_string():  # (its sentences come first: keys are sorted)
            d[key] = _long_text(r, d.get("sentences", []))
        else:
            d[key] = r.value()
    text = d.get("text")
    d["sentences"] = [text if s == text else s for s in d.get("sentences", [])]
    for key in ("kind", "lang"):
        if key in d:
            d[key] = _shared(d[key])
    if "lang_score" in d:
        d["lang_score"] = _pooled(d["lang_score"], _FLOATS)
    d["flags"] = [_shared(f) for f in d.get("flags", [])]
    return Segment.from_dict(d)


def _pooled(value: Any, pool: dict[Any, Any]) -> Any:
    """A float as one object however often it comes (scores are written to 4 decimals:
    a few thousand values, where a decoded float is a new 24-byte object each time)."""
    if not isinstance(value, float):
        return value
    if len(pool) >= _POOLED:  # (a file of other floats: sharing is only a saving)
        pool.clear()
    return pool.setdefault(value, value)


def _bead(r: StreamReader) -> Bead:
    d = r.value()
    for key in ("score", "adequacy", "pair_adequacy"):
        if key in d:
            d[key] = _pooled(d[key], _FLOATS)
    d["method"] = _shared(d.get("method", "length"))
    if "reasons" in d:
        d["reasons"] = [_shared(x) for x in d["reasons"]]
    return Bead.from_dict(d)


class _Packed:
    """A long raw text while the rest of its side is read (its keys come in sorted order:
    ``raw_text`` before ``segments`` and ``text``): its digest, and the text compressed in
    case the side's edits do not give it back (it was held whole beside the side's
    segments and the reading of its text, the reload's peak)."""

    __slots__ = ("digest", "_data")

    def __init__(self, text: str) -> None:
        self.digest = raw_digest([text])
        pack = zlib.compressobj(1)
        parts = [pack.compress(text[a : a + _PACK].encode("utf-8", "surrogatepass"))
                 for a in range(0, len(text), _PACK)]  # fmt: skip
        self._data = b"".join(parts) + pack.flush()

    def text(self) -> str:
        return zlib.decompress(self._data).decode("utf-8", "surrogatepass")


def _side(r: StreamReader) -> SideDoc | None:
    if r.peek() != "{":
        value = r.value()
        return SideDoc.from_dict(value) if value else None
    side: dict[str, Any] = {}
    for key in r.object_keys():
        if key == "segments" and r.peek() == "[":
            side[key] = [_segment(r) for _ in r.array_items()]
        elif key == "text" and r.long_string():  # (after its segments: keys are sorted)
            side[key] = _long_text(r, [seg.text for seg in side.get("segments", [])])
        else:
            side[key] = r.value()
            if key == "raw_text" and isinstance(side[key], str) and len(side[key]) >= LAZY_RAW:
                side[key] = _Packed(side[key])
    # Made now, not with the document: a long side's raw text is dropped as soon as its
    # edits are checked to give it back (both sides' were held to the end of the file).
    raw = side.get("raw_text")
    if isinstance(raw, _Packed):
        edits = [e if isinstance(e, Edit) else Edit.from_dict(e) for e in side.get("edits", [])]
        side["edits"] = edits
        if isinstance(side.get("text"), str) and undone_digest(side["text"], edits) == raw.digest:
            return SideDoc.from_dict(side, undone=True)
        side["raw_text"] = raw.text()
    return SideDoc.from_dict(side)


def _strings(r: StreamReader, known: list[str]) -> Any:
    """A list of strings, each as the object of ``known`` (its side's sentences) it equals:
    looked for from where the last one was found, a few ahead (the corpus sentences are the
    side's, in order, less a boilerplate segment's); from the first not found so, in a dict of
    them all, made then (made at once, it was ~5 MB beside the whole document on a 20 MB
    pair; looked for ahead each time, a list of strangers would cost 256 compares each)."""
    if r.peek() != "[":
        return r.value()
    out: list[Any] = []
    at = 0
    pool: dict[str, str] | None = None
    for _ in r.array_items():
        s = r.value()
        if isinstance(s, str):
            if pool is None:
                ahead, stop = at, min(len(known), at + _LOOK_AHEAD)
                while ahead < stop and known[ahead] != s:
                    ahead += 1
                if ahead < stop:
                    out.append(known[ahead])
                    at = ahead + 1
                    continue
                pool = {k: k for k in known}
            s = pool.get(s, s)
        out.append(s)
    return out


def read_document(fh: IO[str]) -> Document:
    """The :class:`Document` of a ``docs/<id>.json`` text stream."""
    r = StreamReader(fh)
    d: dict[str, Any] = {}
    for key in r.object_keys():
        if key == "beads" and r.peek() == "[":
            d[key] = [_bead(r) for _ in r.array_items()]
        elif key in ("ru", "en", "mt"):
            d[key] = _side(r)
        elif key in ("ru_sentences", "en_sentences"):
            side = d.get(key[:2])
            segments = side.segments if isinstance(side, SideDoc) else []
            d[key] = _strings(r, [s for seg in segments for s in seg.sentences])
        else:
            d[key] = r.value()
    r.finish()
    return Document.from_dict(d)


def load_document(path: Path) -> Document:
    """``Document.from_dict(json.loads(path.read_text()))``, in a fraction of its memory."""
    with path.open(encoding="utf-8") as fh:
        doc = read_document(fh)
    # What reading it freed (its pieces, a side's raw text) goes back before the document
    # is used: the corpus and the report pages allocated on top of it.
    release(doc_size(doc))
    return doc
