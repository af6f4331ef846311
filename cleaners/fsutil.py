"""Atomic file writes (a reader never sees a half-written output file), and bounded reads
of the small files a user points at (configs, glossaries)."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

# mkstemp makes 0600 files; outputs should get the mode a plain open() would (umask).
_UMASK = os.umask(0o022)
os.umask(_UMASK)


@contextlib.contextmanager
def _replacing(path: Path, mode: str, **open_kw: Any) -> Iterator[IO[Any]]:
    """A temp file beside ``path``: on a clean exit fsync it and rename it over ``path``,
    on an exception delete it (``path`` untouched)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~_UMASK)
        with os.fdopen(fd, mode, **open_kw) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def atomic_writers(paths: Sequence[Path]) -> Iterator[list[IO[str]]]:
    """UTF-8 text writers for several files that are one whole (the corpus files: line *i*
    of each is the same pair): every temp file is written and fsync-ed before any is renamed
    into place, so a full disk (or any error) leaves all of the old files, never some new
    ones beside old ones."""
    handles: list[IO[str]] = []
    temps: list[str] = []
    try:
        for path in paths:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            temps.append(tmp)
            os.fchmod(fd, 0o666 & ~_UMASK)
            handles.append(os.fdopen(fd, "w", encoding="utf-8", newline="\n"))
        yield handles
        for fh in handles:
            fh.flush()
            os.fsync(fh.fileno())
        for fh in handles:
            fh.close()
    except BaseException:
        for fh in handles:
            with contextlib.suppress(OSError):
                fh.close()
        for tmp in temps:
            Path(tmp).unlink(missing_ok=True)
        raise
    # Renames need no data blocks: once every file is on disk, none of these fails for space.
    for tmp, path in zip(temps, paths, strict=True):
        os.replace(tmp, path)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temp file in the same folder, fsync, rename."""
    with _replacing(path, "wb") as fh:
        fh.write(data)


def atomic_writer(path: Path) -> contextlib.AbstractContextManager[IO[str]]:
    """Stream UTF-8 text (LF line ends) to ``path`` atomically, as ``atomic_write_bytes``."""
    return _replacing(path, "w", encoding="utf-8", newline="\n")


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def dumps_json(obj: Any) -> str:
    """Canonical JSON: sorted keys, UTF-8, trailing newline (byte-stable across runs)."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


class _PieceEncoder(json.JSONEncoder):
    """The indented encoder, which also takes objects with ``json_pieces()`` (a string given
    in pieces, ``cleaners.model.StreamedText``): each is encoded as a mark, which
    :func:`atomic_write_json` replaces by the pieces, escaped one by one (escaping is per
    character: the same bytes as the whole string's)."""

    def __init__(self) -> None:
        super().__init__(ensure_ascii=False, sort_keys=True, indent=1)
        self.marks: dict[str, Any] = {}  # the mark's encoded form -> its object
        self._tag = uuid.uuid4().hex

    def default(self, o: Any) -> Any:
        if not hasattr(o, "json_pieces"):
            return super().default(o)
        mark = f"\0{self._tag}-{len(self.marks)}\0"
        self.marks[_escape(mark)] = o
        return mark


def atomic_write_json(path: Path, obj: Any) -> None:
    """:func:`dumps_json` of ``obj`` written atomically, streamed: a multi-MB document never
    exists as one string (nor as the list of its millions of pieces that ``dumps`` joins)."""
    encoder = _PieceEncoder()
    with atomic_writer(path) as fh:
        piece: list[str] = []
        for chunk in encoder.iterencode(obj):
            if chunk in encoder.marks:
                # a string given in pieces: escaped and written one piece at a time
                fh.write("".join(piece))
                piece.clear()
                fh.write('"')
                for part in encoder.marks.pop(chunk).json_pieces():
                    fh.write(_escape(part)[1:-1])
                fh.write('"')
                continue
            if len(chunk) > _LONG_CHUNK:
                # a side's text: written a slice at a time, not joined and encoded whole
                # (two more copies of a multi-MB line)
                fh.write("".join(piece))
                piece.clear()
                for a in range(0, len(chunk), _LONG_CHUNK):
                    fh.write(chunk[a : a + _LONG_CHUNK])
                continue
            piece.append(chunk)
            if len(piece) >= 4096:
                fh.write("".join(piece))
                piece.clear()
        piece.append("\n")
        fh.write("".join(piece))


_LONG_CHUNK = 1 << 16
_escape = json.encoder.encode_basestring  # (ensure_ascii=False's; the C one when there)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_if_changed(path: Path, data: bytes) -> bool:
    """Replace ``path`` by ``data`` unless it already holds exactly that; True if written.

    For files derived from others on every run (``text/``, report pages): a rerun leaves
    unchanged ones alone, and a temp file + rename still keeps a reader from seeing half a
    file. No fsync: a file lost in a crash is written again by the next run.
    """
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~_UMASK)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


class ChangedWriter:
    """:func:`write_if_changed` for text that comes in pieces (a big document's report
    page): the pieces are never joined into one string.

    Up to :attr:`SPILL` bytes stay in memory and go through :func:`write_if_changed`
    on :meth:`close`; beyond that, they stream into a temp file beside ``path`` while
    being compared with the file already there, which is kept when they match. ``close``
    returns True when ``path`` was (re)written; :meth:`discard` drops the temp file.
    """

    SPILL = 4 << 20

    def __init__(self, path: Path) -> None:
        self.path = path
        self._chunks: list[bytes] = []
        self._pending: list[str] = []
        self._pending_len = 0
        self._size = 0
        self._tmp: str | None = None
        self._fh: IO[bytes] | None = None
        self._old: IO[bytes] | None = None
        self._same = False

    def write(self, text: str) -> None:
        self._pending.append(text)
        self._pending_len += len(text)
        if self._pending_len >= 1 << 16:
            self._flush()

    def _flush(self) -> None:
        if not self._pending:
            return
        data = "".join(self._pending).encode("utf-8")
        self._pending.clear()
        self._pending_len = 0
        self._size += len(data)
        if self._fh is None:
            self._chunks.append(data)
            if self._size > self.SPILL:
                self._spill()
            return
        self._fh.write(data)
        if self._same:
            assert self._old is not None
            self._same = self._old.read(len(data)) == data

    def _spill(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, self._tmp = tempfile.mkstemp(
            prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent
        )
        os.fchmod(fd, 0o666 & ~_UMASK)
        self._fh = os.fdopen(fd, "wb")
        with contextlib.suppress(OSError):
            self._old = self.path.open("rb")
            self._same = True
        for data in self._chunks:
            self._fh.write(data)
            if self._same:
                assert self._old is not None
                self._same = self._old.read(len(data)) == data
        self._chunks = []

    def close(self) -> bool:
        self._flush()
        if self._fh is None:
            data = b"".join(self._chunks)
            self._chunks = []
            return write_if_changed(self.path, data)
        assert self._tmp is not None
        try:
            self._fh.close()
            same = self._same and self._old is not None and self._old.read(1) == b""
            if same:
                Path(self._tmp).unlink()
            else:
                os.replace(self._tmp, self.path)
        except BaseException:
            Path(self._tmp).unlink(missing_ok=True)
            raise
        finally:
            if self._old is not None:
                self._old.close()
        return not same

    def discard(self) -> None:
        self._chunks = []
        self._pending = []
        if self._fh is not None:
            self._fh.close()
            if self._old is not None:
                self._old.close()
            assert self._tmp is not None
            Path(self._tmp).unlink(missing_ok=True)


def remove_stale(folder: Path, pattern: str, keep: set[str]) -> int:
    """Delete the files in ``folder`` matching ``pattern`` whose names are not in ``keep``,
    and leftovers of cut-short writes of such files (mkstemp's ``.<name>.XXXXXXXX.tmp``; a
    user's ``.notes.tmp`` stays); returns how many were deleted.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     for name in ("a.en.txt", "b.en.txt", ".b.en.txt.k2_x9ab1.tmp", ".notes.tmp"):
    ...         _ = (Path(d) / name).write_text("x")
    ...     n = remove_stale(Path(d), "*.en.txt", {"a.en.txt"})
    ...     n, sorted(p.name for p in Path(d).iterdir())
    (2, ['.notes.tmp', 'a.en.txt'])
    """
    n = 0
    if not folder.is_dir():
        return 0
    for p in [*folder.glob(pattern), *folder.glob(f".{pattern}.????????.tmp")]:
        if p.name not in keep:
            p.unlink(missing_ok=True)
            n += 1
    return n


def read_small_file(path: str | Path, limit: int) -> bytes:
    """A regular file's bytes, at most ``limit``; ``ValueError`` for a FIFO, device, folder
    or bigger file (never blocks, never reads without bound)."""
    import stat

    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise ValueError("not a regular file (a FIFO, device or folder?)")
    with os.fdopen(fd, "rb") as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"over {limit} bytes; is this the right file?")
    return data
