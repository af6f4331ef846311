"""The ``mtclean`` command line.

``run`` and ``serve`` go through Prefect; ``clean``, ``detect``, ``align`` and ``filter`` never
import it (nor pydantic-heavy config unless ``--config`` is given): they are filters that start in
a few tens of milliseconds. argparse rather than typer/click for the same reason.
"""

from __future__ import annotations

import argparse
import codecs
import contextlib
import errno
import io
import itertools
import json
import math
import os
import re
import shlex
import stat
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache, partial
from pathlib import Path
from typing import IO, Any, TypeVar

from flows import DASK_HINT

# Exit codes of `mtclean run` (README "Guarantees and exit codes"). 128 + N: stopped by signal N.
EXIT_FAILED = 1  # an unexpected error (one line; --verbose shows the traceback)
EXIT_USAGE = 2  # argparse's own code for bad arguments; also a bad config or glossary
EXIT_LOCKED = 3  # OUT_DIR is in use by another run
EXIT_OUTPUT = 4  # OUT_DIR cannot be written (read-only, not a folder, a user's file in the way)
EXIT_DISK_FULL = 5  # no space left (OUT_DIR or PREFECT_HOME); free some and rerun: it resumes
EXIT_PREFECT = 6  # the Prefect API cannot be reached, or its temporary server did not start


# `mtclean serve`'s deployment name: not prefect.yaml's "nightly", or a `prefect deploy` would
# silently take over the served deployment and rewrite its paths (README "Scheduled runs").
SERVE_NAME = "nightly-serve"


class UsageError(Exception):
    """Unusable arguments: reported as one line, exit code 2."""


class Failure(Exception):
    """A run that cannot go on: one line for the user and an exit code."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code


# ---------------------------------------------------------------- shared helpers


# Bytes of line input that were not UTF-8 (read as U+FFFD): said once, at the end (main),
# with the files (not stdin or a pipe) that held them, whose code page it then names.
_NOT_UTF8 = [0]
_NOT_UTF8_FILES: list[str] = []
# The Cyrillic code pages decode_bytes reads, as iconv names them (not cp1252: a stray
# byte in English text reads as one, and iconv would make it a letter).
_ICONV_NAMES = {
    "cp1251": "CP1251",
    "koi8_r": "KOI8-R",
    "cp866": "CP866",
    "iso8859_5": "ISO-8859-5",
    "mac_cyrillic": "MAC-CYRILLIC",
}


def _replace_counted(exc: UnicodeError) -> tuple[str, int]:
    """The "replace" error handler (one U+FFFD per bad sequence), counting what it replaced."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    _NOT_UTF8[0] += exc.end - exc.start
    return "\ufffd", exc.end


codecs.register_error("mtclean-replace", _replace_counted)


def _need_file(name: str) -> Path:
    """``name`` as a path to read: a regular file, or a pipe (``/dev/stdin``, the shell's
    ``<(command)``), read once as it comes; a folder or a device is refused by name."""
    if not name:  # Path("") is the working directory: "$FILE" with FILE unset
        raise UsageError("the file name is empty (an unset variable?): name a file, or - for stdin")
    path = Path(name)
    if path.is_dir():
        raise UsageError(f"{name} is a folder; give a file (`mtclean run` reads folders)")
    if path.is_file() or path.is_fifo():
        return path
    if path.exists():  # (/dev/zero would never end)
        raise UsageError(f"{name} is not a regular file or a pipe (a device?); give a file")
    raise UsageError(f"no such file: {name}")


@contextlib.contextmanager
def _line_bytes(name: str | None) -> Iterator[IO[bytes]]:
    """The bytes of a line-input file, pipe or stdin, once they pass the checks for text: a
    file whole, before any of it is read (:func:`_check_file`: nothing is written for a file
    that would stop half-way); a stream (stdin, ``/dev/stdin``, ``<(command)``), read once,
    by its first bytes (:func:`_check_stream`). stdin is left open (a caller of main() may go
    on using it)."""
    if name in (None, "-"):
        _stdin_hint()
        _check_stream(sys.stdin.buffer, "stdin")
        yield sys.stdin.buffer
        return
    pipe = _need_file(name).is_fifo()
    if not pipe:
        _check_file(name)
    bad_before = _NOT_UTF8[0]
    with open(name, "rb") as fh:
        if pipe:
            _check_stream(fh, name)
        try:
            yield fh
        finally:
            if _NOT_UTF8[0] > bad_before and not pipe:  # (a file can be read again)
                _NOT_UTF8_FILES.append(name)


@contextlib.contextmanager
def _open_in(name: str | None) -> Iterator[Iterator[str]]:
    """The lines of a file or stdin, as text. UTF-8 with or without a BOM; a bad byte becomes
    U+FFFD (visible, and writable as UTF-8) rather than stopping a stream of records. A NUL
    byte anywhere means the input is not text: a file is refused before any line is read,
    stdin at the line that holds it (UsageError naming where)."""
    with _text_in(name) as text:
        # (a file that gained a NUL since it was checked stops at that line too)
        yield _no_nul_lines(text, _where(name))


@contextlib.contextmanager
def _open_capped(name: str | None, limit: int) -> Iterator[Iterator[str | None]]:
    """:func:`_open_in`'s lines, each read no further than ``limit`` characters: a longer
    line is None, read past in pieces (a file of one huge line is never held)."""
    with _text_in(name) as text:
        yield _no_nul_lines(_capped_lines(text.readline, limit), _where(name))


@contextlib.contextmanager
def _text_in(name: str | None) -> Iterator[io.TextIOWrapper]:
    """A line-input file or stdin as text, once :func:`_line_bytes` has checked it."""
    stdin = name in (None, "-")
    with _line_bytes(name) as fh:
        # stdin's line ends are translated; a file's are kept for the line readers.
        text = io.TextIOWrapper(
            fh, encoding="utf-8-sig", errors="mtclean-replace", newline=None if stdin else ""
        )
        try:
            yield text
        finally:
            text.detach()  # the bytes are _line_bytes' to close (stdin: never)


def _capped_lines(readline: Callable[[int], str], limit: int) -> Iterator[str | None]:
    r"""The lines ``readline(size)`` gives (line ends kept), none read further than ``limit``
    characters: a longer one is None, the rest of it read past in pieces. A CRLF that a
    piece's end splits stays one line end.

    >>> list(_capped_lines(io.StringIO("ab\nabcdef\r\nc\rabc\r\nd", newline="").readline, 3))
    ['ab\n', None, 'c\r', None, 'd']
    """
    held = ""
    while line := held or readline(limit + 1):
        held = ""
        if len(line) <= limit:
            yield line
            continue
        while len(line) > limit and not line.endswith("\n"):
            if line.endswith("\r"):  # (a "\n" next is this line's end, not a blank line)
                held = readline(limit + 1)
                held = "" if held == "\n" else held
                break
            line = readline(limit + 1)
        yield None


_HEAD_CHECK = 4096  # bytes of line input looked at before reading it
_SCAN_CHUNK = 1 << 20  # bytes read at a time when a whole file is scanned for NUL


def _check_file(name: str) -> None:
    """Refuse a line-input file that is not UTF-8 text (:func:`_check_head` on its first
    bytes, then a NUL anywhere), reading it in pieces: nothing is written for a file that
    would stop half-way. ``name`` has passed :func:`_need_file`."""
    with open(name, "rb") as fh:
        _check_head(fh.read(_HEAD_CHECK), name)
        fh.seek(0)
        watch = _LateCodePage()
        found = _first_nul(fh, watch)
    if watch.page is not None:  # (before the NUL: the file's encoding is the first thing wrong)
        _check_head(watch.sample, name)
    if found is not None:
        offset, line = found
        raise UsageError(
            f"{name} holds a NUL byte at offset {offset} (line {line}): not a text file "
            "(line input must be UTF-8 text)"
        )


def _first_nul(fh: IO[bytes], watch: _LateCodePage | None = None) -> tuple[int, int] | None:
    r"""The byte offset and line number (lines end at ``\n``, ``\r\n`` or ``\r``, as the
    line readers split them) of the first NUL byte in ``fh``, read in pieces; None if none.
    ``watch`` is shown the bytes before it, piece by piece (the same read).

    >>> _first_nul(io.BytesIO(b"a\r\nb\rc\n\x00")), _first_nul(io.BytesIO(b"a\nb"))
    ((7, 4), None)
    """
    offset, line, after_cr = 0, 1, False
    while chunk := fh.read(_SCAN_CHUNK):
        at = chunk.find(0)
        part = chunk if at < 0 else chunk[:at]
        if watch is not None and watch.page is None:
            watch.feed(part)
        line += part.count(b"\n") + part.count(b"\r") - part.count(b"\r\n")
        if after_cr and part.startswith(b"\n"):  # a \r\n split between two pieces
            line -= 1
        if at >= 0:
            return offset + at, line
        offset += len(chunk)
        after_cr = chunk.endswith(b"\r")
    return None


class _LateCodePage:
    r"""Watches a file's bytes, piece by piece, for a Cyrillic code page past its head (an
    ASCII header, then cp1251): at the first byte that is not UTF-8 in each piece, the
    4 KB from there (back to its line's start, at most 256 bytes) are judged as the head
    is (:func:`_head_code_page`). A few stray bytes in UTF-8 text are no code page (read
    as U+FFFD and counted, as before); a piece is judged once, so a file of many stray
    bytes costs one 4 KB look a piece, and a UTF-8 piece one strict decode, no more.

    >>> w = _LateCodePage()
    >>> w.feed(b"Snow.\n" * 1000 + "Снег и мороз на улице.\n".encode("cp1251")); w.page
    'CP1251'
    >>> w = _LateCodePage()
    >>> w.feed("Снег\n".encode()[:-3]); w.feed("Снег\n".encode()[-3:]); w.page is None
    True
    >>> w.feed(b"Snow.\n" * 1000 + b"a stray \xff byte\n" + "Снег\n".encode()); w.page is None
    True
    """

    __slots__ = ("carry", "page", "sample")

    def __init__(self) -> None:
        self.carry = b""  # the start of a UTF-8 character a piece's end cut
        self.page: str | None = None
        self.sample = b""  # the bytes judged to be in ``page``

    def feed(self, piece: bytes) -> None:
        if not self.carry and piece.isascii():
            return
        data = self.carry + piece
        try:
            _, used = codecs.utf_8_decode(data, "strict", False)
            self.carry = data[used:]
            return
        except UnicodeDecodeError as exc:
            bad = exc.start
        self.carry = b""  # (a character cut by this piece's end: judged, if at all, as stray)
        start = max(data.rfind(b"\n", 0, bad) + 1, bad - 256)
        while start < bad and 0x80 <= data[start] < 0xC0:  # not inside a UTF-8 character
            start += 1
        sample = data[start : start + _HEAD_CHECK]
        self.page = _head_code_page(sample)
        if self.page is not None:
            self.sample = sample


_Line = TypeVar("_Line", str, str | None)  # (a line, or None for one not read)


class NotText(UsageError):
    """A line of line input that holds a NUL byte: the input stops there."""


def _nul_line(where: str, n: int, line: str) -> NotText:
    """The error for line ``n`` of a stream, which holds a NUL byte: not text."""
    return NotText(
        f"{where} line {n} holds a NUL byte (character {line.index(chr(0)) + 1}): "
        "not a text file (line input must be UTF-8 text)"
    )


def _no_nul_lines(lines: Iterable[_Line], where: str) -> Iterator[_Line]:
    """``lines``, stopped with a UsageError naming the line at one holding a NUL: not text
    (stdin cannot be scanned before it is read; what was written for the lines before
    stands, as for a malformed JSON line). A None (a line not read) passes."""
    for n, line in enumerate(lines, 1):
        if line is not None and "\0" in line:
            raise _nul_line(where, n, line)
        yield line


def _check_stream(fh: IO[bytes], where: str) -> None:
    """:func:`_check_head` on the first bytes waiting in a stream (stdin, a pipe), left there
    to be read (what one read brings); none at a terminal: a person types text, and a Ctrl-D
    that ended the peek would be needed twice."""
    if fh.isatty():
        return
    peek = getattr(fh, "peek", None)
    if peek is not None:
        _check_head(peek(_HEAD_CHECK)[:_HEAD_CHECK], where)


def _check_head(head: bytes, where: str) -> None:
    r"""Refuse line input that cannot be UTF-8 text: a NUL byte is in no UTF-8 text or JSON
    line, and is what UTF-16/32 (or a binary file) shows first. Read on, every line would be
    garbage, judged and labelled with confidence.

    >>> def said(head):
    ...     try:
    ...         _check_head(head, "x.txt")
    ...     except UsageError as exc:
    ...         return str(exc)
    >>> said("Да\n".encode("utf-16"))
    'x.txt is UTF-16 or UTF-32 (NUL bytes), not UTF-8: iconv -f utf-16 -t utf-8 x.txt'
    >>> said(b"\x89PNG\r\n\x1a\n\x00\x00")
    'x.txt holds NUL bytes: not a text file (line input must be UTF-8 text)'
    >>> said("Погода в Казани\n".encode("koi8_r"))  # doctest: +ELLIPSIS
    'x.txt is not UTF-8: it reads as KOI8-R, ... page (...): iconv -f KOI8-R -t utf-8 x.txt'
    >>> said("Да\n".encode()) is None, said("Доброе утро, друзья!".encode() + b"\xff") is None
    (True, True)
    """
    if b"\0" not in head:
        page = _head_code_page(head)
        if page is not None:  # every Cyrillic letter would be U+FFFD: nothing worth reading
            target = shlex.quote(where) if where != "stdin" else "FILE"
            raise UsageError(
                f"{where} is not UTF-8: it reads as {page}, a Cyrillic code page (line input "
                f"must be UTF-8): iconv -f {page} -t utf-8 {target}"
            )
        return
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _nul_interleaved(head):
        raise UsageError(
            f"{where} is UTF-16 or UTF-32 (NUL bytes), not UTF-8: iconv -f utf-16 -t utf-8 "
            f"{where if where != 'stdin' else 'FILE'}"
        )
    raise UsageError(f"{where} holds NUL bytes: not a text file (line input must be UTF-8 text)")


def _head_code_page(head: bytes) -> str | None:
    r"""The Cyrillic code page the first bytes of line input read as (decoded as ``run``
    decodes a file: cleaners.decode), as iconv names it; None for UTF-8 (a character cut
    by the head's end too) and for UTF-8 or ASCII with a few stray bytes, which are read as
    U+FFFD and counted (a line's damage, not the file's encoding).

    >>> _head_code_page("Снег".encode("cp1251")), _head_code_page("Снег".encode()[:-1])
    ('CP1251', None)
    """
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return None
    except UnicodeDecodeError:
        pass
    from cleaners.decode import decode_bytes
    from cleaners.errors import InputError

    try:
        return _ICONV_NAMES.get(decode_bytes(head).encoding)
    except InputError:
        return None


def _nul_interleaved(head: bytes) -> bool:
    r"""Text written as UTF-16 without a BOM: its NULs all on one side of the byte pairs, and
    read that way it is Latin or Cyrillic text (random binary bytes are not).

    >>> _nul_interleaved("Привет, мир!".encode("utf-16-le")), _nul_interleaved(b"\x00\x01" * 8)
    (True, False)
    """
    head = head[: len(head) // 2 * 2]
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if even and odd:
        return False
    text = head.decode("utf-16-be" if even else "utf-16-le", errors="replace")
    plain = sum(1 for ch in text if ch < "\u0530" and (ch.isprintable() or ch.isspace()))
    return plain >= 0.9 * len(text) > 0


def _stdin_hint() -> None:
    """A command given no file waits for stdin: at a terminal, say so rather than hang mute.
    Closed (``<&-``, a service started without one), there is none to read: a UsageError."""
    if sys.stdin is None:
        raise UsageError("stdin is closed: give a FILE, or pipe the input in")
    if sys.stdin.isatty():
        print("mtclean: reading stdin (give a FILE, or end with Ctrl-D)", file=sys.stderr)


_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _scrub(value: Any) -> Any:
    """A JSON string's lone surrogates (``"\\ud800"``) as U+FFFD, in a record's values: they
    can be neither analysed nor written as UTF-8."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    if isinstance(value, dict):
        return {k: _scrub(v) for k, v in value.items()}
    return value


def _read_text(name: str | None) -> str:
    """A whole document: bytes decoded by cleaners.decode (BOM, UTF-16, legacy code pages)."""
    if name in (None, "-"):
        _stdin_hint()
    data = sys.stdin.buffer.read() if name in (None, "-") else _need_file(name).read_bytes()
    from cleaners.decode import decode_bytes
    from cleaners.errors import InputError

    try:
        return decode_bytes(data).text
    except InputError as exc:
        raise UsageError(f"{_where(name)}: cannot decode ({exc})") from None


def _code_page(name: str) -> str | None:
    """The legacy code page ``name``'s first MB reads as (decoded as ``run`` decodes a
    file), as iconv names it; None for anything else (UTF-8 with a few bad bytes)."""
    reading = _first_mb_reading(name)
    return None if reading in (None, _DAMAGED_UTF8) else reading


_DAMAGED_UTF8 = "UTF-8"  # (no iconv name: iconv cannot mend a stray byte)


def _first_mb_reading(name: str) -> str | None:
    """How ``run`` reads ``name``'s first MB: its legacy Cyrillic code page as iconv names
    it, ``_DAMAGED_UTF8`` for UTF-8 (stray bytes: ``invalid-utf8``, or valid up to the
    first MB or a cut character: ``truncated``), None for anything else (cp1252, unreadable)."""
    from cleaners.decode import decode_bytes
    from cleaners.errors import INVALID_UTF8, TRUNCATED, InputError

    try:
        with open(name, "rb") as fh:
            data = fh.read(1 << 20)
        encoding = decode_bytes(data).encoding
    except InputError as exc:
        return _DAMAGED_UTF8 if exc.reason in (INVALID_UTF8, TRUNCATED) else None
    except OSError:
        return None
    return _DAMAGED_UTF8 if encoding.startswith("utf-8") else _ICONV_NAMES.get(encoding)


def _not_utf8_note(command: str) -> str:
    """The line said at the end when line input held bytes that were not UTF-8: the iconv
    to run, for the code page a file reads as when it is one; for a file that is UTF-8
    with stray bytes, that it is (iconv from a code page would make them letters); else
    cp1251's iconv, an example."""
    said = f"mtclean {command}: {_NOT_UTF8[0]} byte(s) of the input were not UTF-8 and were "
    damaged = None
    for name in dict.fromkeys(_NOT_UTF8_FILES):
        page = _first_mb_reading(name)
        if page == _DAMAGED_UTF8:
            damaged = damaged or name
        elif page is not None:
            return (
                f"{said}read as U+FFFD; line input must be UTF-8 ({name} reads as {page}: "
                f"iconv -f {page} -t utf-8 {shlex.quote(name)})"
            )
    if damaged is not None:
        return (
            f"{said}read as U+FFFD; line input must be UTF-8 ({damaged} is UTF-8 with stray "
            "bytes: no code page reads it; fix or re-export it as UTF-8)"
        )
    return (
        f"{said}read as U+FFFD; line input must be UTF-8 (a cp1251 file: "
        "iconv -f cp1251 -t utf-8 FILE)"
    )


def _where(path: str | None) -> str:
    """How line messages name the input: its path, or ``stdin`` (none given, or ``-``)."""
    return "stdin" if path in (None, "-") else path


def _jsonl(stream: Iterable[str], what: str) -> Iterator[tuple[int, dict[str, Any]]]:
    first = True
    for n, line in enumerate(stream, 1):
        if line.strip():
            try:
                rec = _record(line, n, what)
            except UsageError as exc:
                # A first line that is not JSON and does not even start as JSON: most likely a
                # plain text file (a JSON line with a flaw gets no such hint).
                if first and "not JSON" in str(exc) and not line.lstrip().startswith(("{", "[")):
                    raise UsageError(f"{exc}; for plain text leave out --format jsonl") from None
                raise
            first = False
            yield n, rec


class NotAnObject(ValueError):
    """A line that is not one JSON object; the message says what it is instead."""


def _no_constant(name: str) -> Any:
    # Python's json reads NaN and Infinity, which JSON has not: echoed back as an id they
    # would make the output line itself not JSON.
    raise ValueError(f"{name} is not JSON")


def _finite(text: str) -> float:
    # 1e400 is JSON, but a double holds it only as inf, written back as Infinity (not JSON).
    value = float(text)
    if math.isinf(value):
        raise ValueError(f"the number {text[:40]} is out of range")
    return value


# Strict: what it reads, _ENCODER writes back as JSON (RFC 8259 has no NaN or Infinity).
_DECODER = json.JSONDecoder(parse_constant=_no_constant, parse_float=_finite)


def _object(line: str) -> dict[str, Any]:
    """``line`` as a JSON object (lone surrogates as U+FFFD), or :class:`NotAnObject`."""
    if line.startswith("\ufeff"):  # a BOM mid-file: files saved with one, joined by cat
        line = line[1:]
    try:
        rec = _DECODER.decode(line)
    except RecursionError:
        # Arrays or objects nested past Python's stack (a line of 100,000 "["): not a
        # traceback that ends the stream, but a line like any other that is not a record.
        raise NotAnObject("not JSON we can read (nested too deep)") from None
    except ValueError as exc:
        from cleaners.errors import cr_line_ends_hint  # light: no imports of its own

        raise NotAnObject(f"not JSON ({exc}){cr_line_ends_hint(line)}") from None
    if not isinstance(rec, dict):
        raise NotAnObject("expected a JSON object")
    if _SURROGATE_ESCAPE.search(line):
        rec = _scrub(rec)
    return rec


def _record(line: str, n: int, what: str) -> dict[str, Any]:
    """Line ``n`` of ``what`` as a JSON object, or a UsageError naming the line."""
    try:
        return _object(line)
    except NotAnObject as exc:
        raise UsageError(f"{what} line {n}: {exc}") from None


# One encoder for every record: json.dumps with a non-default option builds a new one per call.
_ENCODER = json.JSONEncoder(ensure_ascii=False)


def _dump(rec: dict[str, Any]) -> str:
    return _ENCODER.encode(rec)


def _dump_clean(rid: Any, text: str, lang: Any, edits: list[dict[str, Any]]) -> str:
    """``_dump({"id": rid, "text": text, "lang": lang, "edits": edits})``, the same bytes.

    Put together field by field: encoding a string is one C call, while encoding a dict
    first builds a new C encoder, most of the cost of a short record.
    """
    enc = _ENCODER.encode  # a string goes straight to the C string encoder
    return (
        f'{{"id": {enc(rid)}, "text": {enc(text)}, "lang": {enc(lang)}, '
        f'"edits": {enc(edits) if edits else "[]"}}}'
    )


def _config(path: str | None) -> Any:
    if path is None:
        return None
    from cleaners.config import load_config

    try:
        return load_config(path)
    except FileNotFoundError:
        raise UsageError(f"config file not found: {path}") from None
    except Exception as exc:  # pydantic ValidationError, YAML errors: say which key, one line
        raise UsageError(f"bad config {path}: {_one_line(exc)}") from None


MAX_ERRORS = 3  # a config with 100,000 bad entries still gives one readable line
_ERROR_CHARS = 300  # of one error's message: the known filter names fit, a list of rules not


def _short(msg: str) -> str:
    """One error's message on one line, cut at a list item rather than mid-word.

    >>> m = _short("Value error, unknown filter 'x'; known: " + ", ".join(["too-short"] * 40))
    >>> m.startswith("unknown filter 'x'; known: too-short, "), m.endswith("too-short, ..."), len(m)
    (True, True, 294)
    """
    msg = " ".join(msg.split()).removeprefix("Value error, ")  # pydantic's own prefix
    if len(msg) <= _ERROR_CHARS:
        return msg
    cut = msg.rfind(", ", 0, _ERROR_CHARS)
    return msg[: cut if cut > 0 else _ERROR_CHARS] + ", ..."


def _did_you_mean(error: dict[str, Any]) -> str:
    """`` (did you mean 'enabled'?)`` for an unknown config key close to a known one."""
    if error.get("type") != "extra_forbidden":
        return ""
    from cleaners.config import closest_key

    key = closest_key(error.get("loc", ()))
    return f" (did you mean {key!r}?)" if key else ""


def _one_line(exc: BaseException) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        try:
            found = errors()
            parts = [
                f"{'.'.join(str(x) for x in e['loc'])}: {_short(str(e['msg']))}{_did_you_mean(e)}"
                for e in found[:MAX_ERRORS]  # type: ignore[index]
            ]
            if len(found) > MAX_ERRORS:
                parts.append(f"and {len(found) - MAX_ERRORS} more errors")
            return "; ".join(parts)
        except Exception:
            pass
    return " ".join(str(exc).split())[:1000]


# ---------------------------------------------------------------- clean

UND = "und"  # cleaners.lid.UND, without importing the detectors into `clean`


def _jsonl_as_text(args: argparse.Namespace) -> None:
    """A ``.jsonl`` file in text mode is one document of JSON lines: likely a missed flag."""
    if args.format == "text" and str(args.file).lower().endswith(".jsonl"):
        print(
            f"mtclean {args.command}: {args.file} is read as plain text; for one record a line "
            "give --format jsonl",
            file=sys.stderr,
        )


def cmd_clean(args: argparse.Namespace) -> int:
    from cleaners.langev import guess_lang, has_word
    from cleaners.repair import RULES, describe_rules, explain, repair

    if args.list_rules:
        print(describe_rules(RULES))
        return 0
    _jsonl_as_text(args)
    cfg = _config(args.config)
    rcfg = cfg.repair if cfg is not None else None
    out = sys.stdout
    if args.format == "text":
        text = _read_text(args.file)
        lang = args.lang or guess_lang(text)
        result = repair(text, lang, rcfg)
        out.write(result.text)
        if result.text and not result.text.endswith("\n"):
            out.write("\n")
        if args.explain:
            sys.stderr.write(explain(text, result.edits) + "\n")
        return 0
    # MT outputs repeat lines (several systems, one test set: a fifth of WMT21's lines are
    # repeats) and a repair depends only on the text, its language and the config.
    repair_cached = lru_cache(maxsize=16384)(lambda text, lang: repair(text, lang, rcfg))
    with _open_in(args.file) as stream:
        for n, rec in _jsonl(stream, _where(args.file)):
            text = rec.get("text")
            if not isinstance(text, str):
                raise UsageError(f"{_where(args.file)} line {n}: needs a string 'text'")
            lang = said = rec.get("lang")
            if not (lang and isinstance(lang, str)):
                lang = said = args.lang or guess_lang(text)
                if not (args.lang or has_word(text)):
                    # No word, no language (`detect` says the same); its numbers and
                    # spacing still get the English rules, as before.
                    said = UND
            result = repair_cached(text, lang)
            edits = [e.to_dict() for e in result.edits]
            out.write(_dump_clean(rec.get("id"), result.text, said, edits) + "\n")
            if args.explain and result.edits:
                sys.stderr.write(f"# {rec.get('id')}\n{explain(text, result.edits)}\n")
    return 0


# ---------------------------------------------------------------- detect


def _detect_lines(texts: list[str], lcfg: Any) -> list[tuple[str, float]]:
    """Each text's language (``und``, score 0, for one with no word: cleaners.lid)."""
    from cleaners.lid import detect_batch

    return detect_batch(texts, lcfg)


def cmd_detect(args: argparse.Namespace) -> int:
    _jsonl_as_text(args)
    cfg = _config(args.config)
    lcfg = cfg.lid if cfg is not None else None
    with _open_in(args.file) as stream:
        if args.format == "text":
            lines = [line.rstrip("\r\n") for line in stream]
            for code, score in _detect_lines(lines, lcfg):
                sys.stdout.write(f"{code}\t{score:.4f}\n")
            return 0
        recs, texts = [], []
        for n, rec in _jsonl(stream, _where(args.file)):  # the first bad line is the one named
            if not isinstance(rec.get("text"), str):
                raise UsageError(f"{_where(args.file)} line {n}: needs a string 'text'")
            recs.append(rec)
            texts.append(rec["text"])
    for rec, (code, score) in zip(recs, _detect_lines(texts, lcfg), strict=True):
        rec_out = {"id": rec.get("id"), "lang": code, "score": round(score, 4)}
        sys.stdout.write(_dump(rec_out) + "\n")
    return 0


# ---------------------------------------------------------------- align


def _ids(ids: Sequence[int]) -> str:
    return ",".join(str(i) for i in ids)


def _translator(args: argparse.Namespace, cfg: Any, off: str) -> Any:
    """The retranslator ``translate.enabled`` (or ``--retranslate``/``--argos-package``) asks
    for, or None with the one-line warning ``off`` when none can be built: never ignored
    silently. A package path given explicitly must work."""
    from cleaners.config import TranslateConfig

    tcfg = cfg.translate if cfg is not None else TranslateConfig()
    if not (args.retranslate or args.argos_package or tcfg.enabled):
        return None
    from cleaners.translate import PackageNotFound, TranslatorUnavailable, build_translator

    try:
        return build_translator(tcfg, package_path=args.argos_package)
    except PackageNotFound as exc:
        # A typo in the flag, the config or $MTCLEAN_ARGOS_PACKAGE is refused, not run without.
        raise UsageError(_named_package(exc, args)) from None
    except TranslatorUnavailable as exc:
        if _asked_to_retranslate(args):  # asked for on the command line: it must work
            raise UsageError(_refused_retranslation(args, str(exc))) from None
        print(f"{off}: {exc}", file=sys.stderr)
        return None


def _asked_to_retranslate(args: argparse.Namespace) -> bool:
    """Whether this command line itself asks for retranslation (not only the config)."""
    return bool(args.retranslate or getattr(args, "translate_mode", None) or args.argos_package)


def _refused_retranslation(args: argparse.Namespace, reason: str | None) -> str:
    """Why a retranslation asked for on the command line cannot run, and how to go on."""
    flag = "--argos-package" if args.argos_package else "--retranslate"
    return (
        f"{flag} asks for retranslation, but {reason or 'it is unavailable here'}; leave {flag} "
        "out to go without"
    )


def _named_package(exc: Exception, args: argparse.Namespace) -> str:
    """A missing package's message, saying where the path came from when it was the config."""
    if getattr(args, "argos_package", None) or "$" in str(exc):
        return str(exc)  # the flag (named by the user on this line) or the variable (said)
    return f"{exc} (translate.package_path in {args.config})"


_LANG_CODE = re.compile(r"[a-z]{2,3}")
# FLORES-style codes (``deu_Latn``): the language part, the script dropped.
_FLORES_CODE = re.compile(r"([a-z]{3})_[a-z]{4}")
# Locale and BCP 47 tags (``en-US``, ``uk_UA``, ``sr-Latn``): the language part, the region or
# script dropped (a table is one language's words whatever the country).
_TAG_CODE = re.compile(r"([a-z]{2,3})(?:[-_][a-z]{4})?(?:[-_](?:[a-z]{2}|[0-9]{3}))?")
# Three-letter codes (ISO 639-3, and 639-2/B where it differs) of the languages the project
# knows, read as the two-letter codes its word tables and alphabets are named by.
_THREE_LETTER = {
    "rus": "ru", "eng": "en", "deu": "de", "ger": "de", "fra": "fr", "fre": "fr", "ukr": "uk",
    "bel": "be", "bul": "bg", "kaz": "kk", "srp": "sr", "mkd": "mk", "mac": "mk",
}  # fmt: skip
_KNOWN = frozenset(_THREE_LETTER.values())  # (a tag's region that is one of them: a pair)


def _lang_code(value: str) -> str:
    """An ISO 639 code as given by a user (``DE``, `` fr``, ``deu``, ``deu_Latn``): it names a
    word table's file, so anything else is refused rather than looked up.

    >>> [_lang_code(v) for v in ("DE", " fr", "deu", "fra_Latn", "rus_Cyrl", "tat")]
    ['de', 'fr', 'de', 'fr', 'ru', 'tat']
    >>> [_lang_code(v) for v in ("en-US", "uk_UA", "sr-Latn", "es-419", "pt-Latn-BR", "ru-RU")]
    ['en', 'uk', 'sr', 'es', 'pt', 'ru']
    >>> _lang_code("de-fr")
    Traceback (most recent call last):
    argparse.ArgumentTypeError: 'de-fr' names two languages: give one (--src-lang de --tgt-lang fr)
    """
    code = value.strip().lower()
    tag = _FLORES_CODE.fullmatch(code) or _TAG_CODE.fullmatch(code)
    if tag:
        code = tag.group(1)
    region = re.split(r"[-_]", value.strip().lower())[-1]
    if tag and region in _KNOWN and region != code:
        # "de-fr" is far likelier a language pair typed as one than German of France.
        raise argparse.ArgumentTypeError(
            f"{value!r} names two languages: give one (--src-lang {code} --tgt-lang {region})"
        )
    if not _LANG_CODE.fullmatch(code):
        raise argparse.ArgumentTypeError(
            f"not a language code: {value!r} (e.g. ru, en, de, fr, deu, deu_Latn)"
        )
    return _THREE_LETTER.get(code, code)


def _user_table(path: str, src_lang: str, tgt_lang: str, where: str, pair: str) -> Any:
    """The word table file ``path`` (``where``: the flag or config key that named it) for the
    pair (``pair``: what set it, for the message), or UsageError: missing, unreadable, no
    table, or a table of another pair."""
    from cleaners import lexsim

    try:
        mode = os.stat(path).st_mode
    except OSError:
        mode = None  # (said below, as load_table meets it)
    if mode is not None and not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        # A pipe would block the open, and run reads the table twice (to check it, then to
        # hash it), which a pipe gives only once: refused unopened, as a config file is.
        raise UsageError(
            f"{where}: {path} is not a regular file (a pipe or a device): name a table file"
        )
    try:
        return lexsim.load_table(path, src_lang, tgt_lang)
    except FileNotFoundError:
        raise UsageError(f"{where}: no such file: {path}") from None
    except IsADirectoryError:
        raise UsageError(f"{where}: {path} is a folder; name a table file") from None
    except lexsim.TableError as exc:
        other = "word table, not one for" in str(exc)
        raise UsageError(f"{where}: {_one_line(exc)}" + (f" ({pair})" if other else "")) from None
    except OSError as exc:
        raise UsageError(f"{where}: {_one_line(exc)}") from None


def cmd_align(args: argparse.Namespace) -> int:
    from cleaners import lexsim, segments
    from cleaners.align import align as _align

    cfg = _config(args.config)
    acfg = cfg.align if cfg is not None else None
    user_table = None
    if args.word_table is not None:
        if not args.word_table:
            raise UsageError("--word-table is empty (an unset variable?): name a table file")
        from cleaners.config import AlignConfig

        # The flag, relative to the working directory, wins over the config's align.word_table.
        path = os.path.abspath(args.word_table)
        acfg = (acfg or AlignConfig()).model_copy(update={"word_table": path})
    if acfg is not None and acfg.word_table:
        where = "--word-table" if args.word_table else f"align.word_table in {args.config}"
        # Read before any output: a table of another pair is refused, not used half-way.
        langs = f"--src-lang {args.src_lang} --tgt-lang {args.tgt_lang}"
        user_table = _user_table(acfg.word_table, args.src_lang, args.tgt_lang, where, langs)
    if user_table is None and not lexsim.available(args.src_lang, args.tgt_lang):
        # Said once, so a typo in a code is not mistaken for a poor alignment.
        why = (
            # (lexicon build refuses one language on both sides: not the way on)
            f"both sides are {args.src_lang}, no word table"
            if args.src_lang == args.tgt_lang
            else f"no word table for {args.src_lang}-{args.tgt_lang}"
        )
        how = (
            ""
            if args.src_lang == args.tgt_lang
            else " (mtclean lexicon build makes one from parallel text; give it with --word-table)"
        )
        print(
            f"mtclean align: {why}: aligning by length, numbers and names only{how}",
            file=sys.stderr,
        )
    translator = None
    if (args.src_lang, args.tgt_lang) == ("ru", "en"):
        translator = _translator(args, cfg, "mtclean align: retranslation off")
    elif _asked_to_retranslate(args):
        # The retranslation is ru→en: another pair's source through it is noise to the aligner,
        # and a flag on this line that cannot do what it says is refused, as a missing package is.
        raise UsageError(
            _refused_retranslation(args, f"it is ru→en only, not {args.src_lang}-{args.tgt_lang}")
        )
    elif cfg and cfg.translate.enabled:
        print(
            f"mtclean align: retranslation off: it is ru→en only, not {args.src_lang}-"
            f"{args.tgt_lang}",
            file=sys.stderr,
        )

    said: list[bool] = []
    mts: dict[tuple[str, ...], Any] = {}

    def align(ru: list[str], en: list[str], acfg: Any, table: Any = None, rec: Any = None) -> Any:
        def sentences(ru: list[str], en: list[str]) -> Any:
            ru_mt = None
            if translator is not None:  # (bootstrapping aligns every record twice)
                key = tuple(ru)
                if key not in mts:
                    mts[key] = translator.translate(ru)
                ru_mt = mts[key] if args.bootstrap else mts.pop(key)
            return _align(
                ru, en, acfg, ru_mt=ru_mt, src_lang=args.src_lang, tgt_lang=args.tgt_lang,
                table=table,
            )  # fmt: skip

        if not segments.uneven(ru, en):
            return segments.without_blanks(ru, en, sentences)
        if not said:  # (once, not per record: the first record so aligned is named)
            said.append(True)
            which = "" if rec is None else f"record {_dump(rec)} (the first such): "
            print(
                f"mtclean align: {which}one side's segments hold many more sentences than the "
                "other's "
                f"({segments.sentences_per_segment(ru):.1f} a segment against "
                f"{segments.sentences_per_segment(en):.1f}): aligned sentence by sentence, "
                "each bead naming the segments its sentences came from",
                file=sys.stderr,
            )
        return segments.by_sentence(ru, en, sentences, args.src_lang, args.tgt_lang)

    if args.format == "text":
        if args.bootstrap:
            raise UsageError("--bootstrap learns across documents: give --format jsonl")
        if args.en is None:
            hint = ""
            if str(args.ru).lower().endswith(".jsonl"):
                hint = "; for one file of {id, ru: [..], en: [..]} records give --format jsonl"
            raise UsageError(f"align needs two files: RU EN (one segment per line each){hint}")
        if args.ru == "-" and args.en == "-":
            raise UsageError("only one of RU and EN can be stdin")
        with _open_in(args.ru) as f:
            ru = [line.rstrip("\r\n") for line in f]
        with _open_in(args.en) as f:
            en = [line.rstrip("\r\n") for line in f]
        for b in align(ru, en, acfg):
            sys.stdout.write(f"{_ids(b.ru)}\t{_ids(b.en)}\t{b.score:.4f}\n")
        return 0
    if args.en is not None:
        raise UsageError("--format jsonl reads one file of {id, ru, en} records")

    def sides(rec: dict[str, Any], src: str, tgt: str) -> tuple[list[str], list[str]] | None:
        a, b = rec.get(src), rec.get(tgt)
        if isinstance(a, list) and isinstance(b, list) and all(isinstance(t, str) for t in a + b):
            return a, b
        return None

    def records(stream: Iterable[str]) -> Iterator[tuple[Any, list[str], list[str]]]:
        other = (args.src_lang, args.tgt_lang) != ("ru", "en")
        for n, rec in _jsonl(stream, _where(args.ru)):
            # ru/en is the contract for every pair; a de–fr user's {"de": .., "fr": ..} record
            # is what they would write, so the pair's own codes are read too.
            found = sides(rec, "ru", "en") or (
                sides(rec, args.src_lang, args.tgt_lang) if other else None
            )
            if found is None:
                keys = "'ru' and 'en'"
                if other:
                    keys += f" (or '{args.src_lang}' and '{args.tgt_lang}')"
                raise UsageError(f"{_where(args.ru)} line {n}: needs lists of strings {keys}")
            yield rec.get("id"), *found

    def write(rec_id: Any, found: Sequence[Any]) -> None:
        beads = [[list(b.ru), list(b.en), round(b.score, 4)] for b in found]
        sys.stdout.write(_dump({"id": rec_id, "beads": beads}) + "\n")

    with _open_in(args.ru) as stream:
        if not args.bootstrap:
            for rec_id, ru, en in records(stream):
                write(rec_id, align(ru, en, acfg, rec=rec_id))
            return 0
        docs = list(records(stream))  # (bootstrapping reads every record before any output)
    if user_table is None and not lexsim.available(args.src_lang, args.tgt_lang):
        # Nothing to extend: one pass, as without the option; said, or the option seems to
        # have worked and found nothing to change.
        print(
            f"mtclean align: --bootstrap extends a word table, and {args.src_lang}-"
            f"{args.tgt_lang} has none: aligned once, as without it",
            file=sys.stderr,
        )
        for rec_id, ru, en in docs:
            write(rec_id, align(ru, en, acfg, rec=rec_id))
        return 0
    from cleaners.align import bootstrap_table

    first = [align(ru, en, acfg, rec=rec_id) for rec_id, ru, en in docs]
    table, learned = bootstrap_table(
        [(ru, en, beads) for (_, ru, en), beads in zip(docs, first, strict=True)],
        user_table or lexsim.table(args.src_lang, args.tgt_lang),
    )
    print(f"mtclean align: bootstrap learned {len(learned)} key pairs", file=sys.stderr)
    for rec_id, ru, en in docs:
        write(rec_id, align(ru, en, acfg, table=table, rec=rec_id))
    return 0


# ---------------------------------------------------------------- lexicon

# Languages written without spaces between words: a table of "words" would pair clauses.
_NO_SPACES = frozenset({"zh", "ja", "th", "lo", "km", "my"})


def _table_language(value: str) -> str:
    """A language code ``lexicon build`` accepts (as ``--src-lang`` reads it): one of the
    languages lingua detects or PyStemmer stems, as its two-letter code where it has one.

    >>> [_table_language(v) for v in ("uk", "ukr_Cyrl", "SPA", "nb")]
    ['uk', 'uk', 'es', 'nb']
    """
    code = _lang_code(value)
    from lingua import Language

    from cleaners.lexsim import _SNOWBALL

    two = {x.iso_code_639_3.name.lower(): x.iso_code_639_1.name.lower() for x in Language.all()}
    code = two.get(code, code)
    if code not in set(two.values()) | set(_SNOWBALL):
        raise argparse.ArgumentTypeError(
            f"unknown language code {value!r} (an ISO 639 code: uk, en, deu, bul_Cyrl, ...)"
        )
    if code in _NO_SPACES:
        raise argparse.ArgumentTypeError(
            f"{code} is written without spaces between words: no word table can be learned here"
        )
    return code


def _out_file(name: str, inputs: Sequence[str]) -> Path:
    """``--out`` as a file to replace: not empty, not a folder, not one of the ``inputs``.
    A symlink is written through: the path returned is its target's (replaced atomically in
    the target's folder, as an editor saves through a link), so the link stays a link."""
    if not name:
        raise UsageError("--out is empty (an unset variable?): name the table file to write")
    if name == "-":  # (elsewhere `-` is stdin: a file named "-" would surprise)
        raise UsageError("--out - : a table is written to a file (atomically); name the file")
    out = Path(name)
    if out.is_symlink():
        out = Path(os.path.realpath(name))  # (a link to nothing yet: its target is made)
        if out.is_symlink():  # (realpath stops at a link that leads round to itself)
            raise UsageError(f"--out {name} is a symlink that leads round to itself")
    if out.is_dir():
        raise UsageError(f"--out {name} is a folder; name the table file to write")
    if out.exists() and not out.is_file():
        # (the rename would put the table in place of a pipe or a device: /dev/null, as root)
        raise UsageError(
            f"--out {name} is not a regular file (a pipe or a device): a table is written to a "
            "file, atomically; name one"
        )
    for given in inputs:
        if given != "-" and out.exists() and os.path.samefile(out, given):
            raise UsageError(f"--out {name} is an input file; name another file")
    # Said before the text is read and learned from (minutes, for a large text), not after:
    # the nearest folder that exists must be one, and writable (the rest is made).
    folder = out.absolute().parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        raise Failure(EXIT_OUTPUT, f"cannot write {name}: {folder} is a file, not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise Failure(EXIT_OUTPUT, f"cannot write {name}: {folder} is not writable")
    return out


def _one_file(a: str, b: str) -> bool:
    """Whether two names are one file (False when either cannot be looked at: said later)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _utf8_lines(lines: Iterable[str | None], name: str) -> Iterator[str | None]:
    """``lines`` of the file ``name``, stopped by a UsageError at the first bytes that are not
    UTF-8: a table learned from U+FFFD keys is silently useless, and README says the files
    are UTF-8. Said as soon as they are met (the count at the end would only repeat it)."""
    it = iter(lines)
    for n in itertools.count(1):
        bad_before = _NOT_UTF8[0]
        line = next(it, _NO_LINE)
        if _NOT_UTF8[0] > bad_before:
            _NOT_UTF8[0] = bad_before
            page = _code_page(name) if name != "-" else None
            hint = (
                f"it reads as {page}: iconv -f {page} -t utf-8 {shlex.quote(name)}"
                if page
                else "a cp1251 file: iconv -f cp1251 -t utf-8 FILE"
            )
            # (decoded a piece at a time: the bad byte is in this line or one soon after)
            raise UsageError(f"{_where(name)} is not UTF-8 (a bad byte by line {n}; {hint})")
        if line is _NO_LINE:
            return
        yield line  # type: ignore[misc]


_NO_LINE = object()


def _table_write_failure(out: Path, exc: OSError) -> Failure:
    """The exit code and line for a table write to ``out`` that failed with ``exc``: no space
    left is exit 5, as every other command's full disk; anything else exit 4. Said with the
    table's name, not the temp file's the write went through."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return Failure(
            EXIT_DISK_FULL, f"no space left writing {out}: free some and run the command again"
        )
    return Failure(EXIT_OUTPUT, f"cannot write {out}: {exc.strerror or _one_line(exc)}")


def cmd_lexicon_build(args: argparse.Namespace) -> int:
    """Learn a word table from two line-parallel text files (``mtclean lexicon build``)."""
    if args.src_lang == args.tgt_lang:
        raise UsageError(
            f"--src-lang and --tgt-lang are both {args.src_lang}: a table pairs two languages"
        )
    if args.src == "-" and args.tgt == "-":
        raise UsageError("only one of SRC and TGT can be stdin")
    if "-" not in (args.src, args.tgt) and _one_file(args.src, args.tgt):
        # (it would learn each word as its own translation: a table, and a useless one)
        raise UsageError(
            f"SRC and TGT are the same file ({args.src}): give a text and its translation"
        )
    out = _out_file(args.out, (args.src, args.tgt))
    from cleaners.fsutil import atomic_write_text
    from cleaners.lexsim import learn

    # Both files read line by line together, as they come: only the pairs learned from are
    # held (up to the learning cap); every other line is counted, so a text of any size
    # costs the memory of what is learned, and line counts that differ are still found.
    with contextlib.ExitStack() as stack:
        src_lines, tgt_lines = (
            _utf8_lines(stack.enter_context(_open_capped(name, learn.USER_MAX_LINE)), name)
            for name in (args.src, args.tgt)
        )
        read = learn.read_parallel(src_lines, tgt_lines)
    for name, n in zip((args.src, args.tgt), read.lines, strict=True):
        if not n:
            raise UsageError(f"{_where(name)} is empty: give one sentence a line")
    if read.lines[0] != read.lines[1]:
        raise UsageError(
            f"{_where(args.src)} has {read.lines[0]} lines and {_where(args.tgt)} "
            f"{read.lines[1]}: line i of each must be the translation of the other's line i"
        )
    try:
        text = learn.table_text(read.pairs, read.left_out, args.src_lang, args.tgt_lang)
    except learn.TooLittleData as exc:
        raise UsageError(f"too little parallel text: {exc}") from None
    try:
        atomic_write_text(out, text)  # (a reader never sees half a table)
    except OSError as exc:
        raise _table_write_failure(out, exc) from None
    pairs = sum(1 for line in text.split("\n") if line and line[0] not in "#!")
    used = text.split("\n")[2][2:].split(";")[0]  # the header's "N sentence pairs (M left out)"
    where = args.out if out == Path(args.out) else f"{args.out} (a link: {out})"
    print(
        f"mtclean lexicon: {pairs} key pairs learned from {used} → {where} "
        f"(mtclean align --src-lang {args.src_lang} --tgt-lang {args.tgt_lang} "
        f"--word-table {shlex.quote(args.out)})",  # (to be copied as it is)
        file=sys.stderr,
    )
    return 0


# ---------------------------------------------------------------- filter

_FILTER_CHUNK = 512  # pairs judged per batch (language detection is batched)
_FILTER_CHUNK_CHARS = 2_000_000  # ... or fewer, when their text is this long: bounded memory
_HEAD = 1 << 16  # what is kept of a line over input.max_bytes: enough to find its id


def _bounded_lines(fh: IO[bytes], max_bytes: int) -> Iterator[tuple[int, str, bool]]:
    """``(lineno, text, whole)`` per line, as UTF-8 (a BOM dropped, a bad byte ``U+FFFD``).
    A line over ``max_bytes`` is not held: ``whole`` is False and ``text`` its first 64 KiB,
    the rest is read past in pieces (as ``run`` quarantines such a JSONL line unread)."""
    for n in itertools.count(1):
        raw = fh.readline(max_bytes + 1)
        if not raw:
            return
        if raw.startswith(b"\xef\xbb\xbf"):  # any line's: files saved with one, joined by cat
            raw = raw[3:]
        whole = len(raw) <= max_bytes or raw.endswith(b"\n")
        if not whole:
            raw = raw[:_HEAD]
            while (rest := fh.readline(_HEAD)) and not rest.endswith(b"\n"):
                pass
            # Cut where the read stopped, maybe inside a character: no byte lost (final=False).
            yield n, codecs.utf_8_decode(raw, "mtclean-replace", False)[0], False
            continue
        yield n, raw.decode("utf-8", errors="mtclean-replace"), True


def _leading_id(head: str) -> Any:
    """The ``id`` of a record too long to read, when it is the record's first key (else None),
    read as strictly as every other value here.

    >>> _leading_id('{"id": "doc-7", "ru": "...'), _leading_id('{"ru": "...')
    ('doc-7', None)
    """
    from cleaners.readers import leading_id

    return leading_id(head, _DECODER)


MALFORMED = "malformed"  # a line that is not a JSON object, or a side that is not a string
MISSING_SIDE = "missing-side"  # a record without `ru` or `en` (absent or null)
_FILTER_MAX_MESSAGES = 10  # bad lines named on stderr one by one; the rest are counted


def _filter_record(line: str) -> tuple[Any, tuple[str, str] | None, tuple[str, str]]:
    """A filter input line as ``(id, (ru, en), ("", ""))``, or, when it holds no pair,
    ``(id or None, None, (reason, message))``: the line still gets its verdict.

    >>> _filter_record('{"id": 3, "ru": "Да.", "en": "Yes."}')
    (3, ('Да.', 'Yes.'), ('', ''))
    >>> _filter_record('{"id": 4, "ru": "Да."}')
    (4, None, ('missing-side', "no 'en' (needs strings 'ru' and 'en')"))
    >>> _filter_record('{"id": 5, "ru": 5, "en": "five"}')[1:]
    (None, ('malformed', "'ru' is not a string (needs strings 'ru' and 'en')"))
    >>> _filter_record('{"id": 6, "ru": "a", "en"')[0]  # not JSON: no id to give
    """
    try:
        rec = _object(line)
    except NotAnObject as exc:
        return None, None, (MALFORMED, str(exc))
    rid = rec.get("id")  # as a pair's verdict gives it back, whatever its type
    for side in ("ru", "en"):
        value = rec.get(side)
        if value is None:
            return rid, None, (MISSING_SIDE, f"no {side!r} (needs strings 'ru' and 'en')")
        if not isinstance(value, str):
            return rid, None, (MALFORMED, f"{side!r} is not a string (needs strings 'ru' and 'en')")
    return rid, (rec["ru"], rec["en"]), ("", "")


# One filter input line: a pair to judge (``pair``), or a verdict already decided
# (``pair`` None: ``reason``, and ``message`` for stderr when the line is no pair at all).
_FilterItem = tuple[int, Any, tuple[str, str] | None, str, str]


def _jsonl_items(fh: IO[bytes], max_bytes: int, where: str) -> Iterator[_FilterItem]:
    """``--format jsonl``: one ``{"id", "ru", "en"}`` record a line; a blank line is skipped."""
    for n, line, whole in _bounded_lines(fh, max_bytes):
        if "\0" in line:
            raise _nul_line(where, n, line)
        if not whole:
            yield n, _leading_id(line), None, "too-long", ""
            continue
        if not line.strip():
            continue
        rid, pair, (reason, message) = _filter_record(line)
        yield n, rid, pair, reason, message


TSV_COLUMNS = ("ru", "en")  # `--columns`' default: ru<TAB>en, as OPUS and Moses-made TSVs
_COLUMN_NAMES = ("id", "ru", "en", "-")


def _tsv_columns(value: str) -> tuple[str, ...]:
    """``--columns``: what each tab-separated field of a line is, ``ru`` and ``en`` once
    each, ``id`` at most once, ``-`` a field not read.

    >>> _tsv_columns("id,-,-,ru,en")  # mtclean run's corpus.tsv
    ('id', '-', '-', 'ru', 'en')
    >>> _tsv_columns("en,ru")
    ('en', 'ru')
    """
    cols = tuple(c.strip() for c in value.split(","))
    unknown = [c for c in cols if c not in _COLUMN_NAMES]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown column {unknown[0]!r}: name each field id, ru, en or - (not read), "
            "comma-separated"
        )
    if cols.count("ru") != 1 or cols.count("en") != 1 or cols.count("id") > 1:
        raise argparse.ArgumentTypeError("name ru and en once each, and id at most once")
    return cols


def _tsv_fields(line: str, columns: Sequence[str]) -> tuple[Any, tuple[str, str] | None, str]:
    r"""A TSV line (its line end gone) as ``(id, (ru, en), "")`` by ``columns``, or
    ``(id, None, why)`` when it has another number of fields; ``id`` is the id column's
    field (None: no id column, or a line that cannot say it). A field is its text as
    written: no quotes or escapes are read (``mtclean run`` writes a tab or line break
    inside a sentence as a space).

    >>> _tsv_fields("Да.\tYes.", TSV_COLUMNS)
    (None, ('Да.', 'Yes.'), '')
    >>> _tsv_fields("d1\t1-1\t0.97\tДа.\tYes.", ("id", "-", "-", "ru", "en"))
    ('d1', ('Да.', 'Yes.'), '')
    >>> _tsv_fields("Да. Yes.", TSV_COLUMNS)[1:]
    (None, '1 tab-separated field, expected 2 (ru, en)')
    """
    fields = line.split("\t")
    if len(fields) == len(columns):
        if columns is TSV_COLUMNS:  # (the common case, without a look-up per field)
            return None, (fields[0], fields[1]), ""
        row = dict(zip(columns, fields, strict=True))
        return row.get("id"), (row["ru"], row["en"]), ""
    why = (
        f"{len(fields)} tab-separated field{'s' if len(fields) != 1 else ''}, expected "
        f"{len(columns)} ({', '.join(columns)})"
    )
    if "\r" in line:
        why += "; its lines may end in CR alone (old Mac line ends): tr '\\r' '\\n' converts it"
    return None, None, why


def _line_text(line: str) -> str:
    r"""A line without its line end (LF or CRLF).

    >>> _line_text("a\tb\r\n"), _line_text("a\tb\n"), _line_text("a\tb")
    ('a\tb', 'a\tb', 'a\tb')
    """
    if line.endswith("\n"):
        line = line[:-1]
    return line[:-1] if line.endswith("\r") else line


def _lost_bytes(count: int) -> str:
    return (
        f"not UTF-8 ({count} byte(s) read as U+FFFD; line input must be UTF-8): "
        "the pair is not judged"
    )


def _tsv_items(
    fh: IO[bytes], max_bytes: int, where: str, columns: Sequence[str]
) -> Iterator[_FilterItem]:
    """``--format tsv``: one pair a line by ``columns``; the id is the id column's, else the
    line's number. A line with another number of fields, or with bytes that are not UTF-8,
    is ``malformed`` (said on stderr); a blank line (no tab) is skipped."""
    has_id, seen = "id" in columns, _NOT_UTF8[0]
    for n, line, whole in _bounded_lines(fh, max_bytes):
        lost, seen = _NOT_UTF8[0] - seen, _NOT_UTF8[0]
        if "\0" in line:
            raise _nul_line(where, n, line)
        if not whole:
            yield n, _head_field(line, columns, n), None, "too-long", ""
            continue
        if not line.strip() and "\t" not in line:
            continue
        rid, pair, why = _tsv_fields(_line_text(line), columns)
        rid = rid if has_id else n
        if pair is None:
            yield n, rid, None, MALFORMED, why
        elif lost:
            yield n, rid, None, MALFORMED, _lost_bytes(lost)
        else:
            yield n, rid, pair, "", ""


def _head_field(head: str, columns: Sequence[str], n: int) -> Any:
    """The id of a TSV line too long to read: its id field when the head holds it whole,
    else None; the line's number when there is no id column."""
    if "id" not in columns:
        return n
    fields = head.split("\t")
    k = columns.index("id")
    return fields[k] if k < len(fields) - 1 else None


def _text_items(
    ru_fh: IO[bytes], en_fh: IO[bytes], max_bytes: int, where: tuple[str, str]
) -> Iterator[_FilterItem]:
    """``--format text``: line i of the Russian file with line i of the English one (Moses
    text, as ``run``'s corpus.ru and corpus.en); the id is the line's number. A line blank
    on both sides is skipped; a line one file has and the other has not is ``missing-side``,
    one with bytes that are not UTF-8 ``malformed`` (each said on stderr)."""
    ru_lines = _bounded_lines(ru_fh, max_bytes)
    en_lines = _bounded_lines(en_fh, max_bytes)
    seen = _NOT_UTF8[0]
    for n in itertools.count(1):
        got: list[tuple[str, bool] | None] = []
        lost: list[int] = []
        for lines, name in ((ru_lines, where[0]), (en_lines, where[1])):
            item = next(lines, None)
            lost.append(_NOT_UTF8[0] - seen)
            seen = _NOT_UTF8[0]
            if item is not None:
                if "\0" in item[1]:
                    raise _nul_line(name, n, item[1])
                item = (item[1], item[2])
            got.append(item)
        ru, en = got
        if ru is None and en is None:
            return
        if ru is None or en is None:
            present, absent = (0, 1) if en is None else (1, 0)
            if got[present][0].strip():  # type: ignore[index]
                why = f"{where[absent]} has no line {n} ({where[present]} has more lines)"
                yield n, n, None, MISSING_SIDE, why
            continue
        if not (ru[1] and en[1]):
            yield n, n, None, "too-long", ""
            continue
        if not ru[0].strip() and not en[0].strip():
            continue
        if lost[0] or lost[1]:
            name = where[0] if lost[0] else where[1]
            yield n, n, None, MALFORMED, f"{name}: {_lost_bytes(lost[0] or lost[1])}"
            continue
        yield n, n, (_line_text(ru[0]), _line_text(en[0])), "", ""


def cmd_filter(args: argparse.Namespace) -> int:
    """Pairs in (``{"id", "ru", "en"}`` lines, TSV, or two line-parallel text files),
    ``{"id", "keep", "reasons", "score"}`` out, in order.

    Each pair is judged repaired, as ``run`` judges a bead (``--as-given``: as it comes;
    see cleaners.judge.repaired_pairs). Streams: a batch of lines is judged and written
    before the next is read. A line over
    ``input.max_bytes`` is rejected ``too-long`` unread (score 0.0, its id if it comes first);
    a pair the cheap filters reject is not scored (score 0.0, see cleaners.judge)."""
    from cleaners.config import PipelineConfig, with_flags
    from cleaners.judge import FILL_MODES, UNSCORED, FilterStream

    _filter_inputs(args)
    if args.argos_package and not Path(args.argos_package).exists():
        raise UsageError(f"Argos package not found: {args.argos_package}")
    cfg = _config(args.config) or PipelineConfig()
    if args.translate_mode:
        cfg = with_flags(cfg, {"translate_mode": args.translate_mode})
    translator = _translator(args, cfg, "mtclean filter: retranslation off (scores without chrF)")
    stream = FilterStream(
        cfg,
        translator=translator,
        repaired=not args.as_given,
        # As run gives a document whose MT is no English the retranslation (not --as-given:
        # the pair as it comes).
        fill=translator is not None and cfg.translate.mode in FILL_MODES and not args.as_given,
    )
    enc = _ENCODER.encode
    where = _where(args.file)
    if args.format == "text":
        where += f" and {_where(args.en)}"
    filled = 0

    def write(
        rid: Any, keep: bool, reasons: Sequence[str], score: float, en: str | None = None
    ) -> None:
        # A pair judged with its Russian's retranslation for English says so, as run's
        # corpus row does (origin), and gives that English; every other line has four keys.
        more = f', "origin": "retranslation", "en": {enc(en)}' if en is not None else ""
        sys.stdout.write(
            f'{{"id": {enc(rid)}, "keep": {enc(keep)}, "reasons": {enc(list(reasons))}, '
            f'"score": {enc(round(score, 4))}{more}}}\n'
        )

    # Items in input order: (id, ru, en) to judge, or a finished verdict (id, reasons).
    batch: list[tuple[Any, str, str] | tuple[Any, tuple[str, ...]]] = []
    chars = 0

    def flush() -> None:
        nonlocal filled
        todo = [item for item in batch if len(item) == 3]
        verdicts = iter(stream.judge([(ru, en) for _, ru, en in todo]))  # type: ignore[misc]
        for item in batch:
            if len(item) == 3:
                v = next(verdicts)
                write(item[0], v.keep, v.reasons, v.score, v.en)
                filled += v.en is not None
            else:
                write(item[0], False, item[1], UNSCORED)
        batch.clear()
        sys.stdout.flush()  # a batch's verdicts reach the next command in a pipe now

    bad = 0  # lines that were not a pair: each gets its verdict, and the exit code says so
    with contextlib.ExitStack() as stack:
        items = _filter_items(args, cfg.input.max_bytes, stack)
        try:
            for n, rid, pair, reason, message in items:
                if pair is None:
                    if message:
                        bad += 1
                        if bad <= _FILTER_MAX_MESSAGES:
                            print(f"mtclean filter: {where} line {n}: {message}", file=sys.stderr)
                    batch.append((rid, (reason,)))
                    continue
                batch.append((rid, *pair))
                chars += len(pair[0]) + len(pair[1])
                if len(batch) >= _FILTER_CHUNK or chars >= _FILTER_CHUNK_CHARS:
                    flush()
                    chars = 0
        except NotText:
            # Not text (a NUL byte), as a NUL in a file is (refused before any output):
            # stopped here, the lines before it judged and written (README "Line input").
            flush()
            raise
        flush()
    if filled:
        print(
            f"mtclean filter: {filled} pair(s) had no English (mostly Cyrillic): each was judged "
            "with its Russian's retranslation as its English, given in its verdict (origin: "
            "retranslation, en)",
            file=sys.stderr,
        )
    if bad:
        more = (
            f" ({bad - _FILTER_MAX_MESSAGES} not named above)" if bad > _FILTER_MAX_MESSAGES else ""
        )
        print(
            f"mtclean filter: {bad} line(s) of {where} were not a pair{more}: each has its "
            "verdict (keep: false, malformed or missing-side) in the output, in order",
            file=sys.stderr,
        )
        return EXIT_USAGE
    return 0


def _filter_inputs(args: argparse.Namespace) -> None:
    """Refuse, before any output, input arguments that do not fit ``--format``."""
    if args.format == "text":
        if args.en is None:
            raise UsageError("--format text needs two files: RU EN (line i of EN translates line "
                             "i of RU)")  # fmt: skip
        if args.file in (None, "-") and args.en == "-":
            raise UsageError("only one of RU and EN can be stdin")
    elif args.en is not None:
        raise UsageError(f"--format {args.format} reads one file (two files: --format text)")
    if args.columns is not None and args.format != "tsv":
        raise UsageError("--columns names the fields of --format tsv")
    for name in (args.file, args.en):
        if name not in (None, "-"):
            _need_file(name)


def _filter_items(
    args: argparse.Namespace, max_bytes: int, stack: contextlib.ExitStack
) -> Iterator[_FilterItem]:
    """The input's items in order, as ``--format`` reads it; ``stack`` holds its files."""
    fh = stack.enter_context(_line_bytes(args.file))
    if args.format == "jsonl":
        return _jsonl_items(fh, max_bytes, _where(args.file))
    if args.format == "tsv":
        return _tsv_items(fh, max_bytes, _where(args.file), args.columns or TSV_COLUMNS)
    en_fh = stack.enter_context(_line_bytes(args.en))
    return _text_items(fh, en_fh, max_bytes, (_where(args.file), _where(args.en)))


# ---------------------------------------------------------------- run / serve


# Prefect's console handler level (logging.yml's handlers.console.level), as the environment
# overrides it; what a run sets it to when the user has not.
_CONSOLE_LEVEL = "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL"
_QUIET_LEVEL = "WARNING"


def _quiet_env(verbose: bool) -> None:
    # Telemetry tries the internet and logs an error when it cannot reach it.
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    # The ephemeral server's first start runs DB migrations (~14 s idle); Prefect's 20 s
    # default fails a nightly run on a busy 2-core machine.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
    if not verbose:
        # Quiet the console only: the per-batch logs still reach the API (the run's log).
        os.environ.setdefault(_CONSOLE_LEVEL, _QUIET_LEVEL)


def _inside(child: Path, parent: Path) -> bool:
    try:
        child.relative_to(parent)
    except ValueError:
        return False
    return True


def _run_config(args: argparse.Namespace) -> Any:
    from cleaners.config import FLAG_FIELDS, PipelineConfig, with_flags

    flags = {name: getattr(args, name) for name in FLAG_FIELDS}
    if args.argos_package:
        if not Path(args.argos_package).exists():
            raise UsageError(f"Argos package not found: {args.argos_package}")
        flags["argos_package"] = str(Path(args.argos_package).resolve())
    try:
        cfg = with_flags(_config(args.config) or PipelineConfig(), flags)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if cfg.align.word_table:
        # A run aligns Russian with English: a table of another pair (or a typo in its path)
        # is refused before Prefect starts, not found wanting in the first batch.
        where = f"align.word_table in {args.config}"
        _user_table(cfg.align.word_table, "ru", "en", where, "mtclean run aligns Russian-English")
    if cfg.run.dask:
        import importlib.util

        if importlib.util.find_spec("prefect_dask") is None:
            # Said before Prefect starts (it failed the run with exit 1 after the start-up).
            raise UsageError(f"--dask (run.dask) needs prefect-dask: {DASK_HINT}")
    if cfg.translate.enabled and not args.argos_package:
        # translate.package_path or $MTCLEAN_ARGOS_PACKAGE naming nothing is refused like
        # --argos-package, before Prefect starts: a typo would run the whole job untranslated.
        from cleaners.translate.packages import PackageNotFound, given_package

        try:
            given_package(cfg.translate)
        except PackageNotFound as exc:
            raise UsageError(_named_package(exc, args)) from None
    if _asked_to_retranslate(args):
        # Asked for on this command line: a package that cannot be found or used is refused
        # before Prefect starts, not warned about once the run is under way (a config's
        # translate.enabled, a standing setting, still warns and goes on). Built here, the
        # translator is the one the flow uses (shared per config in this process).
        from cleaners.translate import shared_translator, unavailable_reason

        if shared_translator(cfg.translate) is None:
            raise UsageError(_refused_retranslation(args, unavailable_reason(cfg.translate)))
    return cfg


def _check_dirs(input_dir: str, out_dir: str) -> tuple[Path, Path]:
    # Path("") is the working directory: `--out "$OUT"` with OUT unset would write the
    # results there (and an empty input would read it).
    if not out_dir:
        raise UsageError("--out is empty (an unset variable?): name the output folder")
    if not input_dir:
        raise UsageError("the input folder is empty (an unset variable?): name a folder")
    src = Path(input_dir).resolve()
    out = Path(out_dir).resolve()
    if not src.exists():
        raise UsageError(f"input folder not found: {input_dir}")
    if not src.is_dir():
        raise UsageError(
            f"input is not a folder: {input_dir} (run reads a folder of documents: put the "
            "file in one; `mtclean clean FILE` repairs a single file)"
        )
    from cleaners.readers import is_output_folder

    if out != src and is_output_folder(src):  # (the same folder is said below)
        raise UsageError(
            f"{input_dir} is an mtclean output folder (manifest.json, docs/), not documents: "
            "give the folder of raw documents (NAME.ru.txt + NAME.en.txt, NAME.txt, .jsonl)"
        )
    if _inside(out, src):
        raise UsageError(f"the output folder {out_dir} must not be inside the input folder")
    if _inside(src, out):
        raise UsageError(f"the input folder {input_dir} must not be inside the output folder")
    if out.exists() and not out.is_dir():
        raise UsageError(f"output exists and is not a folder: {out_dir}")
    return src, out


def _failure(exc: BaseException, out: Path) -> Failure:
    """The exit code and line for an exception that ended a run."""
    from cleaners.manifest import InputGone, LockedError, OutputError

    if isinstance(exc, Failure):
        return exc
    if isinstance(exc, LockedError):
        return Failure(EXIT_LOCKED, str(exc))
    if isinstance(exc, OutputError):
        return Failure(EXIT_OUTPUT, str(exc))
    chain: list[BaseException] = []
    e: BaseException | None = exc
    while e is not None and len(chain) < 20:
        chain.append(e)
        e = e.__cause__ or e.__context__
    for e in chain:
        if isinstance(e, InputGone):
            return Failure(EXIT_USAGE, str(e))
        if getattr(e, "reason", None) == "input-dir":  # gone between the checks and listing it
            return Failure(EXIT_USAGE, f"input folder: {e.detail}")  # type: ignore[attr-defined]
        if isinstance(e, OSError) and e.errno in (errno.ENOSPC, errno.EDQUOT):
            return Failure(
                EXIT_DISK_FULL,
                f"no space left writing {e.filename or out}; free some and run the same "
                "command again (the run resumes)",
            )
        if isinstance(e, OSError) and e.errno in (
            errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOTDIR, errno.EISDIR, errno.ELOOP
        ):  # fmt: skip
            return Failure(EXIT_OUTPUT, f"cannot write {e.filename or out}: {e.strerror}")
        text = str(e)
        if "database or disk is full" in text:
            return Failure(
                EXIT_DISK_FULL,
                f"PREFECT_HOME ({os.environ.get('PREFECT_HOME', '~/.prefect')}) is full; free "
                "some space and run the same command again (the run resumes)",
            )
        if type(e).__name__ in ("ConnectError", "ConnectTimeout") or (
            "connect to ephemeral Prefect API server" in text
        ):
            return Failure(EXIT_PREFECT, f"the Prefect API cannot be reached ({_one_line(e)})")
    return Failure(
        EXIT_FAILED, f"failed: {type(exc).__name__}: {_one_line(exc)[:500]} (--verbose: traceback)"
    )


def _check_prefect(serving: bool = False) -> None:
    """Before any work: a set PREFECT_API_URL answers; an ephemeral server's home has room.

    ``serving``: for ``serve``, which needs that server (a temporary one has no scheduler),
    the message does not offer to go without it."""
    from prefect.settings import get_current_settings

    settings = get_current_settings()
    url = settings.api.url
    if url:
        import httpx

        try:
            httpx.get(url.rstrip("/") + "/health", timeout=5)  # any answer: it is there
        except httpx.HTTPError as exc:
            raise Failure(
                EXIT_PREFECT,
                f"the Prefect API at {url} cannot be reached ({type(exc).__name__}); start it "
                + (
                    "(`prefect server start`): serve needs a running server"
                    if serving
                    else "(`prefect server start`) or unset PREFECT_API_URL to use a temporary "
                    "server"
                ),
            ) from None
        return
    home = Path(settings.home).expanduser()
    try:
        home.mkdir(parents=True, exist_ok=True)
        probe = home / f".mtclean-probe-{os.getpid()}"
        try:
            with probe.open("wb") as fh:
                fh.write(b"\0" * (1 << 20))  # the server's database needs room to start
                fh.flush()
                os.fsync(fh.fileno())
        finally:
            probe.unlink(missing_ok=True)
    except OSError as exc:
        raise Failure(
            EXIT_DISK_FULL if exc.errno in (28, 122) else EXIT_PREFECT,
            f"PREFECT_HOME ({home}) is not usable: {exc.strerror}",
        ) from None


class _QuietErrors:
    """Drops Prefect's own ERROR records (tracebacks) from the console: the CLI says it in
    one line. Warnings still show."""

    @staticmethod
    def filter(record: Any) -> bool:
        return bool(record.levelno < 40)


def _quiet_console_errors() -> None:
    import logging

    loggers = [logging.getLogger(), *logging.root.manager.loggerDict.values()]
    for lg in loggers:
        for handler in getattr(lg, "handlers", []):
            if type(handler).__name__ == "PrefectConsoleHandler":
                handler.addFilter(_QuietErrors)


@contextlib.contextmanager
def _quiet_children() -> Iterator[None]:
    """While it lasts, Prefect processes started from here (the temporary API server above
    all, and pool workers) show only CRITICAL records on the console. The server's SQLAlchemy
    pool logged an ERROR with a 25-line traceback now and then as it was stopped at the end
    of a successful run; what a run has to say, it says in this process, whose console level
    was set when Prefect was imported and stays. A level the user set is left alone."""
    before = os.environ.get(_CONSOLE_LEVEL)
    if before not in (None, _QUIET_LEVEL):
        yield
        return
    os.environ[_CONSOLE_LEVEL] = "CRITICAL"
    try:
        yield
    finally:  # the children have their environment; this process's is as it was
        if before is None:
            del os.environ[_CONSOLE_LEVEL]
        else:
            os.environ[_CONSOLE_LEVEL] = before


def cmd_run(args: argparse.Namespace) -> int:
    src, out = _check_dirs(args.input_dir, args.out)
    cfg = _run_config(args)
    # The lock before Prefect: a busy or unwritable OUT_DIR is refused at once, and so is a
    # folder of the user's with files where the outputs go (a wrong --out).
    from cleaners.manifest import OutputLock, check_new_output

    created = not out.exists()
    try:
        lock = OutputLock(out).acquire()
    except Exception as exc:
        raise _failure(exc, out) from None
    try:
        check_new_output(out)
    except Exception as exc:
        lock.release()
        raise _failure(exc, out) from None
    try:
        return _run_locked(args, src, out, cfg)
    except Exception as exc:
        lock.release()
        if created:  # the lock made it; a run stopped before any output leaves no empty folder
            with contextlib.suppress(OSError):
                out.rmdir()
        raise _failure(exc, out) from exc
    finally:
        lock.release()


def _run_locked(args: argparse.Namespace, src: Path, out: Path, cfg: Any) -> int:
    from flows import lifeline

    def stopped(signum: int) -> str:
        what = "interrupted" if signum == 2 else "terminated"
        return f"mtclean run: {what}; run the same command again to finish (it resumes)"

    lifeline.stop_on_signals(stopped)
    lifeline.start_reaper()
    _quiet_env(args.verbose)
    _check_prefect()
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    progress = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
        # A bar is for a terminal: in a log it left its last frame (and, when the run then
        # failed, a blank line) above the one line the run ends with.
        disable=args.no_progress or not console.is_terminal,
    )
    with progress:
        bar = progress.add_task("starting Prefect", total=None)

        def hook(event: str, n: int) -> None:
            if event == "total":
                progress.update(bar, total=n, description="documents")
            else:
                progress.advance(bar, n)

        from flows import pipeline

        pipeline.set_progress(hook)
        if args.dask or args.dask_address:
            pipeline.quiet_prefect_logs()
        if not args.verbose:
            _quiet_console_errors()
        try:
            with contextlib.nullcontext() if args.verbose else _quiet_children():
                summary = pipeline.build_corpus(input_dir=str(src), out_dir=str(out), config=cfg)
        except Exception as exc:
            progress.stop()
            raise _failure(exc, out) from exc
        finally:
            pipeline.set_progress(None)
            if not args.verbose:
                # The flow is over: Prefect's shutdown chatter ("EventsWorker - Still
                # processing items") is not for the user.
                import logging

                logging.disable(logging.WARNING)
    # Plain text on whole lines: a folder named "[red]x" is no markup, and a log is no
    # terminal to wrap for.
    say = partial(console.print, markup=False, soft_wrap=True)
    say(summary_line(summary, out))
    for reason, n in summary.get("quarantine_reasons", {}).items():
        say(f"  quarantined: {n} × {reason} (see {out / 'quarantine'})")
    if not summary["run"]["inputs"]:  # a wrong folder, most likely: say what was looked for
        say(f"  no input in {src}: it holds no NAME.ru.txt, NAME.en.txt, NAME.txt or .jsonl file")
    return 0


def summary_line(summary: dict[str, Any], out: Path) -> str:
    """The run's last line: documents by fate, then pairs in the corpus and pairs rejected."""
    run, corpus = summary["run"], summary.get("corpus") or {}
    docs, pairs = run["inputs"], corpus.get("written", 0)
    return (
        f"{docs} document{'' if docs == 1 else 's'}: {run['done']} done, "
        f"{run['quarantined']} quarantined ({run['processed']} processed, {run['skipped']} "
        f"unchanged, {run['resumed']} resumed, {run['removed']} removed); {pairs} "
        f"pair{'' if pairs == 1 else 's'} in the corpus, {corpus.get('rejected', 0)} rejected "
        f"→ {out}"
    )


def _check_cron(cron: str) -> None:
    """Refuse a schedule Prefect would refuse, as a usage error: Prefect only says so from deep
    inside ``serve`` (a pydantic traceback, exit 1)."""
    from prefect.client.schemas.schedules import CronSchedule

    try:
        CronSchedule(cron=cron)
    except ValueError:  # pydantic's ValidationError is one
        raise UsageError(
            f"--cron {cron!r} is not a schedule: five fields, minute hour day month weekday "
            '(e.g. "0 2 * * *", 02:00 every day)'
        ) from None


def cmd_serve(args: argparse.Namespace) -> int:
    src, out = _check_dirs(args.input_dir, args.out)
    cfg = _run_config(args)
    _quiet_env(args.verbose)
    _check_cron(args.cron)
    from prefect.settings import get_current_settings

    if not get_current_settings().api.url:
        # A temporary server has no scheduler (Prefect: "Cannot schedule flows on an
        # ephemeral server") and no other process can reach it: nothing would ever run.
        raise UsageError(
            "needs a running Prefect server: start `prefect server start --host 127.0.0.1 "
            "--port 4200` and set PREFECT_API_URL=http://127.0.0.1:4200/api (a temporary "
            "server has no scheduler: the schedule would never fire)"
        )
    _check_prefect(serving=True)
    from flows.pipeline import build_corpus

    build_corpus.serve(
        name=args.name,
        cron=args.cron,
        parameters={"input_dir": str(src), "out_dir": str(out), "config": cfg.model_dump()},
        description="Nightly mtclean run: picks up new and changed documents.",
    )
    return 0


# ---------------------------------------------------------------- parser


def _add_run_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("input_dir", metavar="INPUT_DIR", help="folder of raw documents")
    p.add_argument("--config", metavar="FILE", help="YAML or JSON config (unknown keys rejected)")
    p.add_argument(
        "--retranslate",
        action="store_true",
        help="retranslate ru→en offline (Argos; exit 2 if no package is found); "
        "--retranslate=MODE also sets --translate-mode",
    )
    p.add_argument(
        "--translate-mode",
        choices=("signal", "missing", "replace", "all"),
        help="what the retranslation is for (implies --retranslate): signal (default: "
        "alignment and agreement only), missing (English for documents without MT), replace "
        "(also failed MT segments), all (the English side is the retranslation)",
    )
    p.add_argument(
        "--argos-package",
        metavar="PATH",
        help="a .argosmodel file or package folder (implies --retranslate)",
    )
    p.add_argument("--dask", action="store_true", help="run batches on Dask (a LocalCluster)")
    p.add_argument("--dask-address", metavar="ADDR", help="Dask scheduler address (implies --dask)")
    p.add_argument("--batch-size", type=int, metavar="N", help="documents per task (default 200)")
    p.add_argument("--workers", type=int, metavar="N", help="concurrent batches (default 2)")
    p.add_argument("--verbose", "-v", action="store_true", help="show Prefect's logs")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mtclean",
        description="Turn machine-translated Russian news into clean English and an aligned "
        "Russian–English corpus.",
    )
    from cleaners import __version__

    parser.add_argument("--version", action="version", version=f"mtclean {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser(
        "run",
        help="run the pipeline on a folder (Prefect flow)",
        description="Process INPUT_DIR into OUT_DIR: docs/, quarantine/, corpus.{tmx,ru,en,tsv,"
        "jsonl}, corpus.rejected.{tsv,jsonl}, text/, edits.jsonl, report.{md,json,html}, "
        "report/, manifest.json. Reruns redo only what changed; a killed "
        "run, started again, finishes the job. Exit 0 when the run finishes (quarantined inputs "
        "are reported, not fatal), 1 for an unexpected error, 2 for unusable arguments, 3 when "
        "OUT_DIR is in use, 4 when it cannot be used (read-only, or your files where results "
        "go), 5 when no space is left (free some and run again: it resumes), 6 when the Prefect "
        "API cannot be reached, 130/143 when stopped by Ctrl-C/SIGTERM.",
    )
    _add_run_options(p)
    p.add_argument("--out", required=True, metavar="OUT_DIR", help="output folder")
    p.add_argument(
        "--no-progress",
        action="store_true",
        help="no progress bar (none when stderr is not a terminal)",
    )
    p.set_defaults(func=cmd_run)

    p = sub.add_parser(
        "serve",
        help="serve the scheduled (nightly) deployment",
        description="Serve build-corpus as a scheduled Prefect deployment from this process, "
        "against the running `prefect server` PREFECT_API_URL points at (unset: exit 2; a "
        "temporary server has no scheduler). Ctrl-C stops it.",
    )
    _add_run_options(p)
    p.add_argument("--out", required=True, metavar="OUT_DIR", help="output folder")
    p.add_argument(
        "--name",
        default=SERVE_NAME,
        help=f"deployment name (default: {SERVE_NAME}; prefect.yaml's is 'nightly', so a "
        "`prefect deploy` never takes over a served deployment)",
    )
    p.add_argument("--cron", default="0 2 * * *", help="schedule (default: 0 2 * * *, 02:00)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser(
        "clean",
        help="repair text only (no Prefect)",
        description="Repair one document (text) or one JSON record per line (jsonl: "
        '{"id", "text"} in, {"id", "text", "lang", "edits"} out, edit offsets into the input '
        "text).",
    )
    p.add_argument("file", nargs="?", default="-", metavar="FILE", help="input file, - for stdin")
    p.add_argument(
        "--format",
        choices=("text", "jsonl"),
        default="text",
        help="text: FILE is one document (default); jsonl: one {id, text} record a line",
    )
    p.add_argument("--explain", action="store_true", help="list the edits readably on stderr")
    p.add_argument("--lang", choices=("en", "ru"), help="language of the text (default: guess)")
    p.add_argument("--config", metavar="FILE", help="YAML or JSON config (its repair section)")
    p.add_argument(
        "--list-rules",
        action="store_true",
        help="list the repair rules, their parameters (repair.params) and risks, and exit",
    )
    p.set_defaults(func=cmd_clean)

    p = sub.add_parser(
        "detect",
        help="detect languages (no Prefect)",
        description="text: one segment per line in, `lang<TAB>score` out. jsonl: "
        '{"id", "text"} in, {"id", "lang", "score"} out. ISO 639-1 codes, und when unknown.',
    )
    p.add_argument("file", nargs="?", default="-", metavar="FILE", help="input file, - for stdin")
    p.add_argument(
        "--format",
        choices=("text", "jsonl"),
        default="text",
        help="text: one segment a line (default); jsonl: one {id, text} record a line",
    )
    p.add_argument("--config", metavar="FILE", help="YAML or JSON config (its lid section)")
    p.set_defaults(func=cmd_detect)

    p = sub.add_parser(
        "align",
        help="align sentences (no Prefect)",
        description="text: RU and EN files with one segment per line; prints one bead per "
        "line, `ru_ids<TAB>en_ids<TAB>score` (0-based, comma-separated, empty for none). "
        'jsonl: one file of {"id", "ru": [..], "en": [..]} → {"id", "beads": '
        "[[ru_ids], [en_ids], score]}. score is the aligner's own confidence in the bead "
        "(0 for 1-0 / 0-1), not the adequacy (mtclean filter scores a pair). Paragraphs "
        "against sentences (one side's segments 1.5× as many sentences as the other's, 2.5 or "
        "more) are aligned sentence by sentence, each bead naming the segments its sentences "
        "came from.",
    )
    p.add_argument(
        "ru",
        nargs="?",
        default="-",
        metavar="RU",
        help="Russian segments (or the jsonl file); - or nothing for stdin",
    )
    p.add_argument("en", nargs="?", metavar="EN", help="English segments (text format)")
    p.add_argument(
        "--format",
        choices=("text", "jsonl"),
        default="text",
        help="text: RU and EN files, one segment a line (default); jsonl: one file of "
        "{id, ru: [..], en: [..]} records",
    )
    p.add_argument("--config", metavar="FILE", help="YAML or JSON config (its align section)")
    p.add_argument(
        "--retranslate",
        action="store_true",
        help="add a retranslation signal (offline Argos ru→en, ru–en only; exit 2 if no "
        "package is found or the pair is another; a config's translate.enabled goes on "
        "without, with a warning)",
    )
    p.add_argument(
        "--argos-package",
        metavar="PATH",
        help="a .argosmodel file or package folder (implies --retranslate)",
    )
    p.add_argument(
        "--src-lang",
        default="ru",
        type=_lang_code,
        metavar="LANG",
        help="language of RU's side (default ru); pairs with a word table (shipped: ru-en, "
        "de-fr; any pair with --word-table) also get its lexical similarity",
    )
    p.add_argument(
        "--tgt-lang",
        default="en",
        type=_lang_code,
        metavar="LANG",
        help="language of EN (default en)",
    )
    p.add_argument(
        "--word-table",
        metavar="FILE",
        help="a word table for the pair (from `mtclean lexicon build`; a table of either "
        "direction serves): it replaces the shipped table of that pair, or gives one to a "
        "pair without any; exit 2 if it is for another pair (config: align.word_table)",
    )
    p.add_argument(
        "--bootstrap",
        action="store_true",
        help="jsonl: align every record, learn word pairs from the confident beads of all "
        "records (in two or more of them), add them to this run's copy of the word table and "
        "align again (hunalign's bootstrap; the output does not depend on the records' order)",
    )
    p.set_defaults(func=cmd_align)

    p = sub.add_parser(
        "lexicon",
        help="learn a word table for `mtclean align --word-table` (no Prefect)",
        description="Word tables give the aligner its lexical similarity. ru-en and de-fr ship "
        "with mtclean; `lexicon build` learns one for any pair from the user's own parallel "
        "text, as the shipped ones were learned (IBM Model 1 both ways over word keys: "
        "Snowball stems cut to 5 letters where PyStemmer has the language, else the first 4 "
        "letters). Given to `mtclean align --word-table` (or align.word_table in a config), it "
        "replaces the shipped table of its pair.",
    )
    lexicon = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    p = lexicon.add_parser(
        "build",
        help="learn a table from two line-parallel text files",
        description="SRC and TGT: UTF-8 text, line i of TGT the translation of line i of SRC "
        "(at least 300 such lines with words on both sides; learned from in order up to about "
        "35,000 short or 17,000 news sentence pairs, ~1 GB of memory, the lines after that only "
        "counted). Writes the table to --out atomically (through a symlink, to its target); "
        "the same text gives the same bytes.",
    )
    p.add_argument("src", metavar="SRC", help="text in --src-lang, one sentence a line (- stdin)")
    p.add_argument("tgt", metavar="TGT", help="its translation in --tgt-lang, line for line")
    p.add_argument(
        "--src-lang", required=True, type=_table_language, metavar="LANG", help="SRC's language"
    )
    p.add_argument(
        "--tgt-lang", required=True, type=_table_language, metavar="LANG", help="TGT's language"
    )
    p.add_argument("--out", required=True, metavar="FILE", help="the table file to write")
    p.set_defaults(func=cmd_lexicon_build)

    p = sub.add_parser(
        "filter",
        help="judge candidate pairs (no Prefect)",
        description='jsonl: {"id", "ru", "en"} per line in (tsv: ru<TAB>en per line; text: RU '
        'and EN files, line for line; the id is then the line\'s number); {"id", "keep", '
        '"reasons", "score"} out, in the same order. '
        "score is the pair's adequacy (calibrated probability that the "
        "sides translate each other; mtclean run scores a bead given its document too and keeps "
        "this one as pair_adequacy in docs/); reasons name the filters that rejected the pair. "
        "Each pair is judged repaired, as run judges it (the MT artefacts mtclean clean "
        "fixes, fused words re-decided by the Russian), unless --as-given. "
        "A pair too-short, too-long or boilerplate rejects is not scored (score 0.0), nor is a "
        "line over input.max_bytes (too-long, unread). A later repeat of a kept pair is "
        "rejected as duplicate / near-duplicate. A line that is no pair gets its verdict in its "
        "place (malformed, or missing-side: score 0.0), is named on stderr, and makes the exit "
        "code 2 once every line is judged.",
    )
    p.add_argument(
        "file",
        nargs="?",
        default="-",
        metavar="FILE",
        help="input file, - or nothing for stdin (--format text: the Russian file, RU)",
    )
    p.add_argument(
        "en", nargs="?", metavar="EN", help="--format text: the English file, line for line"
    )
    p.add_argument(
        "--format",
        choices=("jsonl", "tsv", "text"),
        default="jsonl",
        help="jsonl (default): one {id, ru, en} record a line; tsv: ru<TAB>en a line, or the "
        "fields --columns names (run's corpus.tsv: --columns id,-,-,ru,en), no header, fields "
        "as written (no quoting or escapes); text: RU EN, two files, line i of EN the "
        "translation of line i of RU (Moses text, as run's corpus.ru and corpus.en). A tsv line "
        "with another number of fields, or a tsv or text line with bytes that are not UTF-8, "
        "is malformed; a line only one text file has is missing-side",
    )
    p.add_argument(
        "--columns",
        type=_tsv_columns,
        metavar="LIST",
        help="--format tsv: what each field is, comma-separated: ru, en, id (the verdict's id; "
        "default the line's number), - (not read). Default ru,en; run's corpus.tsv: "
        "id,-,-,ru,en; its corpus.rejected.tsv: id,-,-,-,ru,en",
    )
    p.add_argument(
        "--config",
        metavar="FILE",
        help="YAML or JSON config (filters, align.min_score, input.max_bytes, lid, translate)",
    )
    p.add_argument(
        "--retranslate",
        action="store_true",
        help="score with chrF against an offline Argos ru→en retranslation, as run does "
        "(also when the config sets translate.enabled, which goes on without it, with a "
        "warning, if no package is found; the flag: exit 2)",
    )
    p.add_argument(
        "--translate-mode",
        choices=("signal", "missing", "replace"),
        help="what the retranslation is for (implies --retranslate; --retranslate=MODE sets it "
        "too): signal (default: the score's chrF only); missing or replace: also, as run gives "
        "a document whose MT is no English the retranslation, a pair whose English is mostly "
        "Cyrillic is judged with its Russian's retranslation as its English, its verdict "
        'adding "origin": "retranslation" and that "en" (not with --as-given)',
    )
    p.add_argument(
        "--argos-package",
        metavar="PATH",
        help="a .argosmodel file or package folder (implies --retranslate)",
    )
    p.add_argument(
        "--as-given",
        action="store_true",
        help="judge each pair as it comes, not repaired (a pair already repaired, as from "
        "mtclean run's corpus, gets the same verdict either way)",
    )
    p.set_defaults(func=cmd_filter)
    return parser


def _same_file(fd1: int, fd2: int) -> bool:
    """Whether two descriptors are one open file (``2>&1``)."""
    try:
        a, b = os.fstat(fd1), os.fstat(fd2)
    except OSError:
        return False
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _split_retranslate(argv: Sequence[str]) -> list[str]:
    """``--retranslate=MODE`` → ``--retranslate --translate-mode MODE`` (a bare
    ``--retranslate`` stays a flag, so ``run --retranslate IN`` keeps its meaning).

    >>> _split_retranslate(["run", "--retranslate=missing", "in"])
    ['run', '--retranslate', '--translate-mode', 'missing', 'in']
    """
    out: list[str] = []
    for arg in argv:
        if arg.startswith("--retranslate="):
            out += ["--retranslate", "--translate-mode", arg.split("=", 1)[1]]
        else:
            out.append(arg)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser()
    if not argv:  # a first try: the commands and what each does, not only "COMMAND required"
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    args = parser.parse_args(_split_retranslate(argv))
    _NOT_UTF8[0] = 0
    _NOT_UTF8_FILES.clear()
    try:
        code = int(args.func(args) or 0)
        # Bytes read as U+FFFD are lost text: every line has its output (as a line `filter`
        # cannot read has its verdict), but a nightly script checking the code must see it.
        return EXIT_USAGE if code == 0 and _NOT_UTF8[0] else code
    except UsageError as exc:
        print(f"mtclean {args.command}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except Failure as exc:
        if getattr(args, "verbose", False):
            import traceback

            traceback.print_exception(exc.__cause__ or exc)
        print(f"mtclean {args.command}: {exc}", file=sys.stderr)
        return exc.code
    except BrokenPipeError:  # `mtclean clean big.jsonl | head` (also with 2>&1)
        out, err = sys.stdout.fileno(), sys.stderr.fileno()
        merged = _same_file(out, err)  # 2>&1: stderr has no reader left either
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, out)
        if merged:
            os.dup2(devnull, err)
        return 0
    except OSError as exc:
        if exc.errno not in (errno.ENOSPC, errno.EDQUOT):
            raise
        # stdout on a full disk (`mtclean align a b > out`): what is left in its buffer
        # cannot be written either, so it goes nowhere rather than to a second error at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        where = exc.filename or "the output"
        print(f"mtclean {args.command}: no space left writing {where}: free some and run "
              "the command again", file=sys.stderr)  # fmt: skip
        return EXIT_DISK_FULL
    except KeyboardInterrupt:
        return 130
    finally:
        if _NOT_UTF8[0]:  # e.g. a cp1251 file given to detect: every line would be 'und'
            # stderr may be the pipe that broke (`mtclean filter x 2>&1 | head`): the note
            # is then lost, not turned into a traceback and exit 1.
            with contextlib.suppress(OSError):
                print(_not_utf8_note(args.command), file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
