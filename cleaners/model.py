"""The records every stage passes around.

Plain frozen-ish dataclasses with explicit ``to_dict``/``from_dict`` so that the
JSON written to ``docs/<id>.json`` is stable (sorted keys, no floats that vary by
platform beyond what we round) and can be read back for incremental reruns.
:class:`Edit` is defined in :mod:`cleaners.edit`, which the repair rules import
without the cost of ``dataclasses``.
"""

from __future__ import annotations

import bisect
import hashlib
import struct
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal, NamedTuple, get_type_hints

from cleaners.edit import Edit  # here too: the records hold edits

SegmentKind = Literal["title", "body", "caption", "boilerplate", "comment"]
Side = Literal["ru", "en"]


# The rule name of an English segment replaced by the retranslation (translate.mode
# "replace"); composed with repair edits in the same place it is joined to their names by "+".
REPLACE_RULE = "replace_with_retranslation"


_NO_META: Mapping[str, Any] = MappingProxyType({})


class Segment:
    """A structural piece of one side of a document.

    ``meta`` holds kind-specific fields; a ``comment`` carries ``author``,
    ``display_name``, ``time`` (ISO 8601 when parseable, else as written) and
    ``number``. ``flags`` holds markers later stages act on, e.g.
    ``"untranslated"`` (Cyrillic left in English MT).

    An empty ``meta`` or ``flags`` is not held, only made when asked for (most segments
    have neither: the two empty containers were ~120 bytes a segment, a tenth of a
    one-sentence-a-line document); :attr:`peek_meta` and :attr:`peek_flags` read them
    without making one.

    >>> s = Segment("body", "Текст.")
    >>> s.peek_meta, s.peek_flags, s.to_dict()["meta"], s.to_dict()["flags"]
    (mappingproxy({}), (), {}, [])
    >>> s.flags.append("untranslated"); s.peek_flags
    ['untranslated']
    """

    __slots__ = ("kind", "text", "lang", "lang_score", "_meta", "_flags", "sentences")

    def __init__(
        self,
        kind: SegmentKind,
        text: str,
        lang: str = "und",
        lang_score: float = 0.0,
        meta: dict[str, Any] | None = None,
        flags: list[str] | None = None,
        sentences: list[str] | None = None,
    ) -> None:
        self.kind = kind
        self.text = text
        self.lang = lang
        self.lang_score = lang_score
        self._meta = meta or None
        self._flags = flags or None
        self.sentences: list[str] = [] if sentences is None else sentences

    @property
    def meta(self) -> dict[str, Any]:
        if self._meta is None:
            self._meta = {}
        return self._meta

    @meta.setter
    def meta(self, value: dict[str, Any]) -> None:
        self._meta = value or None

    @property
    def flags(self) -> list[str]:
        if self._flags is None:
            self._flags = []
        return self._flags

    @flags.setter
    def flags(self, value: list[str]) -> None:
        self._flags = value or None

    @property
    def peek_meta(self) -> Mapping[str, Any]:
        """``meta`` to read, without making an empty one."""
        return _NO_META if self._meta is None else self._meta

    @property
    def peek_flags(self) -> Sequence[str]:
        """``flags`` to read, without making an empty list."""
        return () if self._flags is None else self._flags

    def _key(self) -> tuple[Any, ...]:
        return (self.kind, self.text, self.lang, self.lang_score, self._meta or {},
                self._flags or [], self.sentences)  # fmt: skip

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._key() == other._key()  # type: ignore[attr-defined]

    __hash__ = None  # type: ignore[assignment]  # mutable, as the dataclass it was

    def __repr__(self) -> str:
        fields = ("kind", "text", "lang", "lang_score", "meta", "flags", "sentences")
        values = (*self._key()[:4], dict(self.peek_meta), list(self.peek_flags), self.sentences)
        inner = ", ".join(f"{f}={v!r}" for f, v in zip(fields, values, strict=True))
        return f"Segment({inner})"

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "text": self.text,
            "lang": self.lang,
            "lang_score": round(self.lang_score, 4),
            "meta": {} if self._meta is None else self._meta,
            "flags": [] if self._flags is None else self._flags,
            "sentences": self.sentences,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Segment:
        return cls(
            kind=d["kind"],
            text=d["text"],
            lang=d.get("lang", "und"),
            lang_score=float(d.get("lang_score", 0.0)),
            meta=dict(d.get("meta", {})),
            flags=list(d.get("flags", [])),
            sentences=list(d.get("sentences", [])),
        )


class Streamed(list):  # type: ignore[type-arg]
    """A list the JSON encoder (``cleaners.fsutil.atomic_write_json``, whose indented
    encoder is ``json``'s pure-Python one) walks element by element, each record made as
    it is written: a big document's beads and segments were all dicts at once, ~3x the
    pair at its write. Nothing else reads it (its ``==`` sees an empty list)."""

    __slots__ = ("_items", "_make")

    def __init__(self, items: list[Any], make: Callable[[Any], Any]) -> None:
        super().__init__()
        self._items = items
        self._make = make

    def __iter__(self) -> Iterator[Any]:
        return map(self._make, self._items)

    def __len__(self) -> int:
        return len(self._items)


def _made(items: list[Any], make: Callable[[Any], Any]) -> list[Any]:
    return [make(x) for x in items]


class StreamedText:
    """A long string of a streamed record that ``cleaners.fsutil.atomic_write_json`` writes a
    piece at a time: neither it (a long side's raw text, made again from its edits) nor its
    JSON-escaped copy is ever whole. On a 20 MB pair the raw texts and the escaped copy of
    one side were ~45 MB beside the document at its write, the run's peak."""

    __slots__ = ("_pieces",)

    def __init__(self, pieces: Callable[[], Iterable[str]]) -> None:
        self._pieces = pieces

    def json_pieces(self) -> Iterator[str]:
        """The string's pieces in order (each at most :data:`_PIECE` characters)."""
        for part in self._pieces():
            yield from _slices(part, 0, len(part))


def _long_text(text: str) -> str | StreamedText:
    """``text``, or a :class:`StreamedText` of it when it is long."""
    return StreamedText(lambda: (text,)) if len(text) >= LAZY_RAW else text


def _segment_record(seg: Segment) -> dict[str, Any]:
    """A segment's streamed record (a one-line side's segment is as long as the side)."""
    d = seg.to_dict()
    d["text"] = _long_text(seg.text)
    return d


# A raw text this long is not held beside the repaired one when the edits give it back.
LAZY_RAW = 1 << 16


class SideDoc:
    """One language side of a document: the decoded text, its repair and structure.

    ``raw_text`` (the decoded input) is ``text`` with the ``edits`` undone (:func:`unreplay`):
    for a long side it is not held once the edits are checked to give it back exactly, only
    made again when asked for (the ``docs/<id>.json`` write, the report): a second copy of a
    book-length side cost as much memory as its repaired text. ``text`` and ``edits`` are
    not reassigned once the side is built (a new side is made instead).
    """

    __slots__ = ("_raw", "text", "encoding", "lang", "lang_score", "edits", "segments")

    def __init__(
        self,
        raw_text: str,
        text: str,
        encoding: str,
        lang: str = "und",
        lang_score: float = 0.0,
        edits: list[Edit] | None = None,
        segments: list[Segment] | None = None,
    ) -> None:
        self.text = text
        self.encoding = encoding
        self.lang = lang
        self.lang_score = lang_score
        self.edits: list[Edit] = [] if edits is None else edits
        self.segments: list[Segment] = [] if segments is None else segments
        self._raw: str | None = raw_text
        if len(raw_text) >= LAZY_RAW and _undoes_to(text, self.edits, raw_text):
            self._raw = None

    @classmethod
    def undone(
        cls,
        text: str,
        encoding: str,
        lang: str = "und",
        lang_score: float = 0.0,
        edits: list[Edit] | None = None,
        segments: list[Segment] | None = None,
    ) -> SideDoc:
        """A long side whose raw text its caller has checked to be ``text`` with the ``edits``
        undone (``cleaners.jsonstream``: against a digest of the one in the file), made
        without it."""
        side = cls("", text, encoding, lang, lang_score, edits, segments)
        side._raw = None
        return side

    @property
    def raw_text(self) -> str:
        return self._raw if self._raw is not None else unreplay(self.text, self.edits)

    @property
    def holds_raw(self) -> bool:
        """Whether the raw text is held as given (else it is the text with the edits undone,
        checked when the side was made)."""
        return self._raw is not None

    def raw_slicer(self) -> Callable[[int, int], str]:
        """``raw_text[a:b]`` (``0 <= a``) without making a long side's raw text whole: an edit's
        context in the edit log made it, each side's, while the corpus was written (~20 MB
        above the loaded document on a 20 MB pair)."""
        if self._raw is not None:
            raw = self._raw
            return lambda a, b: raw[a:b]
        return _RawSlicer(self.text, self.edits)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SideDoc):
            return NotImplemented
        return self._key() == other._key()

    __hash__ = None  # type: ignore[assignment]  # mutable, as the dataclass it was

    def _key(self) -> tuple[Any, ...]:
        return (self.raw_text, self.text, self.encoding, self.lang, self.lang_score,
                self.edits, self.segments)  # fmt: skip

    def __repr__(self) -> str:
        fields = ("raw_text", "text", "encoding", "lang", "lang_score", "edits", "segments")
        inner = ", ".join(f"{f}={getattr(self, f)!r}" for f in fields)
        return f"SideDoc({inner})"

    def to_dict(self, streamed: bool = False) -> dict[str, Any]:
        """The side's record; ``streamed``: for the JSON writer only (long texts are
        :class:`StreamedText`, lists of records :class:`Streamed`)."""
        raw: str | StreamedText
        if not streamed:
            raw, text = self.raw_text, self.text
            edits, segments = _made(self.edits, Edit.to_dict), _made(self.segments, Segment.to_dict)
        else:
            if self._raw is None:  # made again from the edits a piece at a time, when written
                kept, trail = self.text, self.edits
                raw = StreamedText(lambda: _pieces(kept, trail))
            else:
                raw = _long_text(self._raw)
            text = _long_text(self.text)
            edits = Streamed(self.edits, Edit.to_dict)
            segments = Streamed(self.segments, _segment_record)
        return {
            "encoding": self.encoding,
            "lang": self.lang,
            "lang_score": round(self.lang_score, 4),
            "raw_text": raw,
            "text": text,
            "edits": edits,
            "segments": segments,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any], undone: bool = False) -> SideDoc:
        """The side of a record; ``undone``: its raw text, not read from ``d``, is known to be
        its text with the edits undone (:meth:`undone`)."""
        fields: dict[str, Any] = {
            "text": d["text"],
            "encoding": d["encoding"],
            "lang": d.get("lang", "und"),
            "lang_score": float(d.get("lang_score", 0.0)),
            "edits": [e if isinstance(e, Edit) else Edit.from_dict(e) for e in d.get("edits", [])],
            "segments": [
                s if isinstance(s, Segment) else Segment.from_dict(s) for s in d.get("segments", [])
            ],
        }
        return cls.undone(**fields) if undone else cls(raw_text=d["raw_text"], **fields)


_PIECE = 1 << 20


def _pieces(text: str, edits: list[Edit]) -> Iterator[str]:
    """The raw text in order: ``text`` between the edits (a slice of at most :data:`_PIECE`
    characters at a time: a side with few edits was copied whole), each edit's ``before``."""
    pos = shift = 0
    for e in edits:
        at = e.start + shift  # where the edit's ``after`` starts in ``text``
        yield from _slices(text, pos, at)
        yield e.before
        pos = at + len(e.after)
        shift += len(e.after) - len(e.before)
    yield from _slices(text, pos, len(text))


class _RawSlicer:
    """Slices of :func:`unreplay`'s text, found among the pieces :func:`_pieces` would make
    (a bisection on their starts), never the whole.

    >>> from cleaners.repair.engine import replay
    >>> edits = [Edit("r", 1, 3, "  ", " "), Edit("s", 5, 5, "", "!")]
    >>> cut = _RawSlicer(replay("a  bc", edits), edits)
    >>> [cut(a, b) for a, b in [(0, 5), (0, 2), (2, 4), (4, 9), (3, 3)]]
    ['a  bc', 'a ', ' b', 'c', '']
    """

    __slots__ = ("_text", "_starts", "_sources", "_total")

    def __init__(self, text: str, edits: list[Edit]) -> None:
        self._text = text
        # per piece: where it starts in the raw text; its source, a start in ``text`` (int)
        # or an edit's ``before`` (str)
        self._starts: list[int] = []
        self._sources: list[int | str] = []
        raw = pos = shift = 0
        for e in edits:
            at = e.start + shift
            self._starts += (raw, raw + at - pos)
            self._sources += (pos, e.before)
            raw += at - pos + len(e.before)
            pos = at + len(e.after)
            shift += len(e.after) - len(e.before)
        self._starts.append(raw)
        self._sources.append(pos)
        self._total = raw + len(text) - pos

    def __call__(self, a: int, b: int) -> str:
        b = min(b, self._total)
        if a >= b:
            return ""
        starts, sources = self._starts, self._sources
        k = bisect.bisect_right(starts, a) - 1
        out = []
        while k < len(starts) and starts[k] < b:
            s = starts[k]
            end = starts[k + 1] if k + 1 < len(starts) else self._total
            lo, hi = max(a, s) - s, min(b, end) - s
            src = sources[k]
            out.append(src[lo:hi] if isinstance(src, str) else self._text[src + lo : src + hi])
            k += 1
        return "".join(out)


def _slices(text: str, start: int, end: int) -> Iterator[str]:
    yield text[start : min(end, start + _PIECE)]
    for a in range(start + _PIECE, end, _PIECE):
        yield text[a : min(end, a + _PIECE)]


def raw_digest(parts: Iterable[str]) -> bytes:
    """A digest of the text ``parts`` make when joined (each encoded on its own, a long
    part a slice at a time: no copy of the whole).

    >>> raw_digest(["ab", "c"]) == raw_digest(["a", "bc"]) != raw_digest(["ab"])
    True
    """
    h = hashlib.blake2b(digest_size=32)
    for part in parts:
        for piece in _slices(part, 0, len(part)):
            h.update(piece.encode("utf-8", "surrogatepass"))
    return h.digest()


def undone_digest(text: str, edits: list[Edit]) -> bytes:
    """:func:`raw_digest` of :func:`unreplay` ``(text, edits)``, without making it."""
    return raw_digest(_pieces(text, edits))


def unreplay(text: str, edits: list[Edit]) -> str:
    """The text ``edits`` (sorted, against the original) were replayed on to give ``text``.

    >>> from cleaners.repair.engine import replay
    >>> edits = [Edit("r", 1, 3, "  ", " "), Edit("s", 5, 5, "", "!")]
    >>> replay("a  bc", edits), unreplay("a bc!", edits)
    ('a bc!', 'a  bc')
    """
    return "".join(_pieces(text, edits))


def _undoes_to(text: str, edits: list[Edit], raw: str) -> bool:
    """Whether :func:`unreplay` gives ``raw`` back, checked piece by piece (no copy of it)."""
    at = 0
    for piece in _pieces(text, edits):
        if not raw.startswith(piece, at):
            return False
        at += len(piece)
    return at == len(raw)


class FilterSignals(NamedTuple):
    """What the pair filters (:mod:`cleaners.filters`) read of a pair's signals
    (:class:`cleaners.adequacy.Signals`), besides its text: measured once, with no threshold,
    and stored with the bead, so that the filters' decisions are taken again from docs/ when
    a threshold changes (:func:`cleaners.judge.decide_document`). A filter reading another
    signal fails on it (no such attribute) instead of deciding on a default."""

    ru_chars: int
    en_chars: int
    ru_words: int
    en_words: int
    copied: float
    ru_cyrillic: float
    en_latin: float
    ru_lang: str
    en_lang: str
    ru_lang_score: float
    en_lang_score: float
    ru_numbers_lacking: int
    en_numbers_lacking: int
    ru_cut: bool
    en_cut: bool
    end_mismatch: bool


# FilterSignals' fields but the two languages, in order, as one struct (the languages follow
# it, UTF-8, joined by NUL). A 16-field tuple of boxed values is ~460 bytes a bead; a 20 MB
# pair read back from docs/ holds ~100,000 of them at once (issue 15's 10x memory bar).
_PACKED = struct.Struct("<4q3d2d2q3?")
_PACKED_TYPES: tuple[type, ...] = tuple(get_type_hints(FilterSignals).values())
_STR_FIELDS = tuple(k for k, t in enumerate(_PACKED_TYPES) if t is str)


class PackedSignals(bytes):
    """:class:`FilterSignals` as one bytes object (~150 bytes); :meth:`unpack` gives them
    back equal, each value of its field's type."""

    __slots__ = ()

    def unpack(self) -> FilterSignals:
        values = list(_PACKED.unpack_from(self))
        for k, lang in zip(_STR_FIELDS, self[_PACKED.size :].decode().split("\0"), strict=True):
            values.insert(k, lang)
        return FilterSignals(*values)


def pack_signals(s: FilterSignals | PackedSignals) -> FilterSignals | PackedSignals:
    """``s`` packed (:class:`PackedSignals`), or as it is when packing would not give it
    back value for value and type for type (an int where a float is due would be read back
    a float, and docs/ would change)."""
    if isinstance(s, PackedSignals) or not all(
        type(v) is t for v, t in zip(s, _PACKED_TYPES, strict=True)
    ):
        return s
    langs = [s[k] for k in _STR_FIELDS]
    if any("\0" in lang for lang in langs):
        return s
    try:
        head = _PACKED.pack(*(v for k, v in enumerate(s) if k not in _STR_FIELDS))
    except struct.error:  # an int beyond 64 bits
        return s
    return PackedSignals(head + "\0".join(langs).encode())


@dataclass(frozen=True, slots=True)
class Bead:
    """An alignment unit: Russian sentence ids ↔ English sentence ids.

    Ids index the document's flat sentence lists (:attr:`Document.ru_sentences`,
    :attr:`Document.en_sentences`). ``score`` is the aligner's own confidence. What the
    judge measures while a document is processed (:func:`cleaners.judge.measure_document`,
    no threshold read) is stored in docs/: ``pair_adequacy``, the calibrated probability
    that the two sides translate each other, the pair alone (what ``mtclean filter`` says
    of it), ``signals`` (:class:`FilterSignals`) and ``cut`` (the pair where the MT stopped
    mid-sentence). What the filters decide from it when the corpus is written
    (:func:`cleaners.judge.decide_document`) is not: ``adequacy``, the same probability
    given its document (:func:`cleaners.judge.in_document`), and ``reasons``, the filters
    that rejected the bead (empty: kept).
    """

    ru: tuple[int, ...]
    en: tuple[int, ...]
    score: float
    method: str = "length"
    adequacy: float | None = None
    reasons: tuple[str, ...] = ()
    pair_adequacy: float | None = None
    signals: FilterSignals | PackedSignals | None = None  # held packed: see _PACKED
    cut: bool = False

    def __post_init__(self) -> None:
        if self.signals is not None and not isinstance(self.signals, PackedSignals):
            object.__setattr__(self, "signals", pack_signals(self.signals))

    @property
    def kind(self) -> str:
        return f"{len(self.ru)}-{len(self.en)}"

    def filter_signals(self) -> FilterSignals | None:
        """The stored :class:`FilterSignals`, unpacked."""
        s = self.signals
        return s.unpack() if isinstance(s, PackedSignals) else s

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "ru": list(self.ru),
            "en": list(self.en),
            "score": round(self.score, 4),
            "method": self.method,
        }
        if self.pair_adequacy is not None:  # measured beads only: unjudged docs keep their shape
            out["pair_adequacy"] = round(self.pair_adequacy, 4)
            signals = self.filter_signals()
            if signals is not None:
                out["signals"] = signals._asdict()
        if self.cut:
            out["cut"] = True
        if self.adequacy is not None:  # decided (in memory: docs/ hold no decision)
            out["adequacy"] = round(self.adequacy, 4)
            out["reasons"] = list(self.reasons)
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Bead:
        adequacy, pair, signals = d.get("adequacy"), d.get("pair_adequacy"), d.get("signals")
        return cls(
            tuple(d["ru"]),
            tuple(d["en"]),
            float(d["score"]),
            d.get("method", "length"),
            float(adequacy) if adequacy is not None else None,
            tuple(d.get("reasons", ())),
            float(pair) if pair is not None else None,
            FilterSignals(**signals) if signals is not None else None,
            bool(d.get("cut", False)),
        )


@dataclass(slots=True)
class Document:
    """The result for one input document (one ``docs/<id>.json``)."""

    id: str
    sources: list[str]
    raw_hash: str
    ru: SideDoc | None = None
    en: SideDoc | None = None
    ru_sentences: list[str] = field(default_factory=list)
    en_sentences: list[str] = field(default_factory=list)
    # Per ru sentence: its offline retranslation, when retranslation ran.
    ru_retranslated: list[str] = field(default_factory=list)
    beads: list[Bead] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Where the English side came from: "mt" (the given MT, repaired) or "retranslation"
    # (translate.mode missing/all); with "retranslation" over an MT, the MT side is kept
    # in ``mt`` for comparison.
    en_origin: str = "mt"
    mt: SideDoc | None = None

    def to_dict(self, streamed: bool = False) -> dict[str, Any]:
        """The record of ``docs/<id>.json``. ``streamed``: its lists of records are
        :class:`Streamed`, for the JSON writer only."""
        # en_origin and mt only when set: documents of a plain run keep their old shape.
        extra: dict[str, Any] = {}
        if self.en_origin != "mt":
            extra["en_origin"] = self.en_origin
        if self.mt is not None:
            extra["mt"] = self.mt.to_dict(streamed)
        return {
            "id": self.id,
            "sources": self.sources,
            "raw_hash": self.raw_hash,
            "ru": self.ru.to_dict(streamed) if self.ru else None,
            "en": self.en.to_dict(streamed) if self.en else None,
            "ru_sentences": self.ru_sentences,
            "en_sentences": self.en_sentences,
            "ru_retranslated": self.ru_retranslated,
            "beads": (Streamed if streamed else _made)(self.beads, Bead.to_dict),
            "warnings": self.warnings,
            **extra,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Document:
        return cls(
            id=d["id"],
            sources=list(d["sources"]),
            raw_hash=d["raw_hash"],
            ru=_side_of(d.get("ru")),
            en=_side_of(d.get("en")),
            ru_sentences=list(d.get("ru_sentences", [])),
            en_sentences=list(d.get("en_sentences", [])),
            ru_retranslated=list(d.get("ru_retranslated", [])),
            beads=[b if isinstance(b, Bead) else Bead.from_dict(b) for b in d.get("beads", [])],
            warnings=list(d.get("warnings", [])),
            en_origin=d.get("en_origin", "mt"),
            mt=_side_of(d.get("mt")),
        )


def _side_of(d: SideDoc | dict[str, Any] | None) -> SideDoc | None:
    """A record's side: as it is when already made (``cleaners.jsonstream``), else from its
    dict; none for an absent or empty one."""
    if isinstance(d, SideDoc):
        return d
    return SideDoc.from_dict(d) if d else None


@dataclass(frozen=True, slots=True)
class Quarantined:
    """An input that could not be processed (one ``quarantine/<id>.json``)."""

    id: str
    sources: list[str]
    raw_hash: str
    reason: str
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "sources": list(self.sources),
            "raw_hash": self.raw_hash,
            "reason": self.reason,
            "detail": self.detail,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Quarantined:
        return cls(d["id"], list(d["sources"]), d["raw_hash"], d["reason"], d.get("detail", ""))
