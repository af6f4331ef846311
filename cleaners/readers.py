"""Find the documents in an input folder and read them safely.

The layout (README "Input"): ``NAME.ru.txt`` + ``NAME.en.txt`` pair up; a lone
``NAME.en.txt`` or ``NAME.txt`` is English MT without a source; a lone
``NAME.ru.txt`` is a source without a translation; each line of a ``.jsonl``
file is one document ``{"id": str, "ru": str?, "en": str?}``. Subfolders are
walked; ids come from relative paths, flattened (:mod:`cleaners.ids`). Hidden folders
(``.git``) and hidden files that are not ``.txt``/``.jsonl`` (``.DS_Store``)
are skipped; an earlier run's output folder (:func:`is_output_folder`) is one error item,
not walked; every other file becomes an item, usable or not.

:func:`discover` never raises for a bad file: it returns an :class:`InputItem`
whose ``error`` says why it cannot be used, so every file is accounted for.
Nothing outside the input folder is read: symlinks leading out of it become
error items (unless ``InputConfig.follow_symlinks``), and every read opens the
file relative to a handle on the input folder with ``O_NOFOLLOW`` (a path swapped
for a link out after the listing is refused, not followed). Non-regular files
(FIFOs, devices) are never opened for reading, and sizes are checked with
``fstat`` on the opened file before reading (``InputConfig.max_bytes``; for JSONL
the limit is per line and the file is streamed). :func:`read_item` reads an
input once: its hash and its quarantine (or text) come from the same bytes.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import stat
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cleaners import errors as E
from cleaners.config import InputConfig
from cleaners.decode import Decoded, check_text, decode_bytes, reject_binary_head
from cleaners.errors import InputError
from cleaners.ids import IdRegistry, safe_id

LANGS = ("ru", "en")
_CHUNK = 1 << 20
MAX_DEPTH = 64  # folder levels walked; deeper trees are reported, not recursed into


@dataclass(frozen=True, slots=True)
class SourceRef:
    """Where one side of a document lives inside the input folder.

    ``path`` is relative to the input folder (POSIX separators). For a JSONL
    record, ``line`` is its 1-based line number, ``offset``/``length`` the line's
    bytes and ``key`` the field (``"ru"``/``"en"``) holding the text.
    """

    path: str
    line: int = 0
    offset: int = 0
    length: int = 0
    key: str = ""

    @property
    def label(self) -> str:
        """The name users see: ``path`` or ``path:LINE`` (printable, escaped if needed)."""
        shown = printable_path(self.path)
        return f"{shown}:{self.line}" if self.line else shown


@dataclass(slots=True)
class InputItem:
    """One document to process, or one input that cannot be (``error`` set)."""

    id: str
    sources: list[str]
    parts: dict[str, SourceRef] = field(default_factory=dict)
    error: InputError | None = None


def printable_path(path: str) -> str:
    r"""A path safe to show and to store in JSON: undecodable bytes and controls escaped.

    >>> printable_path("a\nb.txt")
    'a\\x0ab.txt'
    """
    text = path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return "".join(
        f"\\x{ord(ch):02x}" if unicodedata.category(ch) in ("Cc", "Cs") else ch for ch in text
    )


# --------------------------------------------------------------------------- discover


@dataclass(slots=True)
class _Entry:
    """A file found by the walk, before pairing."""

    rel: str
    kind: str  # "txt" | "jsonl" | "bad"
    base: str = ""  # NAME with its folder, for pairing
    lang: str = ""
    error: InputError | None = None


def discover(input_dir: Path, config: InputConfig) -> list[InputItem]:
    """All inputs under ``input_dir``, sorted by id; bad files become error items.

    Raises :class:`~cleaners.errors.InputError` (reason ``input-dir``) only when
    ``input_dir`` itself is missing or not a readable folder.
    """
    root = Path(input_dir)
    if not root.is_dir():
        raise InputError("input-dir", f"{input_dir}: not a folder (give the folder of inputs)")
    try:
        os.scandir(root).close()
    except OSError as exc:
        raise InputError("input-dir", f"{input_dir}: cannot list it ({exc.strerror})") from None
    real_root = os.path.realpath(root)
    entries = sorted(_walk(root, "", real_root, config, set()), key=lambda e: e.rel)
    items = _assemble(root, entries, config)
    return sorted(items, key=lambda it: it.id)


def _inside(path: str, real_root: str) -> bool:
    return path == real_root or path.startswith(real_root.rstrip(os.sep) + os.sep)


def _walk(
    root: Path, rel_dir: str, real_root: str, config: InputConfig, seen: set[str]
) -> Iterator[_Entry]:
    folder = root / rel_dir if rel_dir else root
    if rel_dir.count("/") >= MAX_DEPTH:
        err = E.UnsafePath(E.TOO_DEEP, f"folders nested over {MAX_DEPTH} deep; not walked")
        yield _Entry(rel_dir, "bad", base=rel_dir, error=err)
        return
    seen.add(os.path.realpath(folder))
    try:
        with os.scandir(folder) as it:
            found = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        err = E.UnreadableInput(
            E.UNREADABLE, f"cannot list folder ({exc.strerror}); check permissions"
        )
        yield _Entry(rel_dir or ".", "bad", error=err)
        return
    if rel_dir and is_output_folder(folder):
        # An earlier run's --out left in the input (`mtclean run corpora` after the README's
        # `--out corpora/out`): its text/, corpus files and JSONL would come back as dozens
        # of documents and quarantines. Reported once, like a folder too deep.
        err = E.UnsafePath(
            E.OUTPUT_FOLDER,
            "an mtclean output folder (manifest.json, docs/); not read as input: move it out "
            "of the input folder",
        )
        yield _Entry(rel_dir, "bad", base=rel_dir, error=err)
        return
    for entry in found:
        if entry.name.startswith(".") and not _looks_like_input(entry.name):
            continue
        rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
        yield from _classify(root, entry, rel, real_root, config, seen)


# The opening of an mtclean manifest (written with sorted keys: these two come first), and
# the folders of results beside it.
_MANIFEST_MARKS = (b'"code_version":', b'"config_hash":')
_RESULT_DIRS = ("docs", "quarantine")


def is_output_folder(folder: Path) -> bool:
    """Whether ``folder`` is one mtclean wrote as ``--out``: its own ``manifest.json`` (a
    regular file opening with the manifest's keys, not a user's manifest of that name) beside
    ``docs/`` or ``quarantine/``. Reads at most 4 KB, never through a symlink."""
    if not any(os.path.isdir(folder / d) and not os.path.islink(folder / d) for d in _RESULT_DIRS):
        return False
    try:
        fd = os.open(folder / "manifest.json", _O_READ | os.O_NOFOLLOW)
    except OSError:
        return False
    try:
        head = os.read(fd, 4096) if stat.S_ISREG(os.fstat(fd).st_mode) else b""
    except OSError:
        head = b""
    finally:
        os.close(fd)
    return head.lstrip().startswith(b"{") and all(m in head for m in _MANIFEST_MARKS)


def _looks_like_input(name: str) -> bool:
    return name.lower().endswith((".txt", ".jsonl"))


def _classify(
    root: Path,
    entry: os.DirEntry[str],
    rel: str,
    real_root: str,
    config: InputConfig,
    seen: set[str],
) -> Iterator[_Entry]:
    try:
        if entry.is_symlink():
            target = os.path.realpath(entry.path)
            if not os.path.exists(target):
                err = E.UnsafePath(E.BROKEN_SYMLINK, "symlink to nothing; remove or fix it")
                yield _Entry(rel, "bad", base=_stem(rel), error=err)
                return
            if not _inside(target, real_root) and not config.follow_symlinks:
                err = E.UnsafePath(
                    E.SYMLINK_OUTSIDE,
                    "symlink points outside the input folder; not followed "
                    "(copy the file in, or set input.follow_symlinks)",
                )
                yield _Entry(rel, "bad", base=_stem(rel), error=err)
                return
            if os.path.isdir(target):
                # A folder inside the input is walked on its own; outside (opted in) once.
                if target not in seen and not _inside(target, real_root):
                    yield from _walk(root, rel, real_root, config, seen)
                return
        elif entry.is_dir(follow_symlinks=False):
            yield from _walk(root, rel, real_root, config, seen)
            return
        st = os.stat(entry.path)
    except OSError as exc:
        yield _Entry(
            rel, "bad", error=E.UnreadableInput(E.UNREADABLE, f"cannot stat ({exc.strerror})")
        )
        return
    yield _file_entry(entry.path, rel, st, config)


def _stem(rel: str) -> str:
    """``rel`` without its input ending, as the document id of a file that is never read."""
    for ending in (".ru.txt", ".en.txt", ".txt", ".jsonl"):
        if rel.lower().endswith(ending):
            return rel[: -len(ending)]
    return rel


def _file_entry(path: str, rel: str, st: os.stat_result, config: InputConfig) -> _Entry:
    name = rel.rsplit("/", 1)[-1]
    lower = name.lower()
    if lower.endswith(".jsonl"):
        entry = _Entry(rel, "jsonl", base=rel[: -len(".jsonl")])
    elif lower.endswith(".txt"):
        base, lang = rel[:-4], "en"
        if base.lower().endswith((".ru", ".en")):
            base, lang = base[:-3], base[-2:].lower()
        entry = _Entry(rel, "txt", base=base, lang=lang)
    else:
        err = E.UnsupportedInput(
            E.UNSUPPORTED_TYPE, "not an input kind (NAME.ru.txt, NAME.en.txt, NAME.txt, NAME.jsonl)"
        )
        return _Entry(rel, "bad", base=rel, error=err)
    if not stat.S_ISREG(st.st_mode):
        entry.error = E.UnsafePath(E.NOT_A_FILE, "not a regular file (FIFO, socket or device)")
    elif entry.kind == "txt" and st.st_size > config.max_bytes:
        entry.error = E.TooLarge(
            E.TOO_LARGE,
            f"{st.st_size} bytes, over input.max_bytes={config.max_bytes}; "
            "split it or raise the limit",
        )
    elif entry.kind == "txt" and st.st_size == 0:
        entry.error = E.EmptyInput(E.EMPTY, "file is empty")
    else:
        try:
            os.close(os.open(path, os.O_RDONLY | os.O_NONBLOCK))
        except OSError as exc:
            entry.error = E.UnreadableInput(
                E.UNREADABLE, f"cannot open ({exc.strerror}); check its permissions"
            )
    return entry


def _assemble(root: Path, entries: list[_Entry], config: InputConfig) -> list[InputItem]:
    """Pair ``.txt`` files, expand JSONL lines, mark duplicates; ids claimed in path order."""
    registry = IdRegistry()
    # Natural key (folder + NAME, or folder + JSONL id) → the txt item, or the JSONL line's label.
    groups: dict[str, InputItem | str] = {}
    items: list[InputItem] = []

    def claim(key: str, salt: str) -> str:
        return registry.claim(safe_id(key), salt)

    for entry in entries:
        label = printable_path(entry.rel)
        err = entry.error.with_source(label) if entry.error else None
        if entry.kind == "txt":
            ref = SourceRef(entry.rel)
            if entry.base not in groups:
                item = InputItem(claim(entry.base, entry.rel), [label], {entry.lang: ref}, err)
                groups[entry.base] = item
                items.append(item)
                continue
            group = groups[entry.base]
            if isinstance(group, InputItem) and entry.lang not in group.parts:
                # The partner file; if either half is unusable the pair is (both accounted for).
                group.parts[entry.lang] = ref
                group.sources.append(label)
                group.error = group.error or err
                continue
            # The file that holds this side already (a.txt is English, so a.en.txt's rival).
            first = (
                group if isinstance(group, str) else printable_path(group.parts[entry.lang].path)
            )
            err = E.DuplicateId(
                E.DUPLICATE_ID,
                f"{label}: document {entry.base!r} ({entry.lang}) already comes from {first}; "
                "rename one of them",
            )
            items.append(InputItem(claim(entry.base, entry.rel), [label], {entry.lang: ref}, err))
        elif entry.kind == "jsonl" and err is None:
            items.extend(_jsonl_items(root, entry, config, groups, claim))
        else:
            items.append(InputItem(claim(entry.base or entry.rel, entry.rel), [label], {}, err))
    return items


def _jsonl_items(
    root: Path,
    entry: _Entry,
    config: InputConfig,
    groups: dict[str, InputItem | str],
    claim: Callable[[str, str], str],
) -> Iterator[InputItem]:
    folder = entry.rel.rsplit("/", 1)[0] + "/" if "/" in entry.rel else ""
    stem = entry.base
    lineno = 0
    first_line = True

    def named(doc_id: Any, fallback: str, label: str) -> str:
        """A bad record's document id: its own, when it gives a usable one not taken yet (the
        user looks for it by that name), else ``FILE-lineN``."""
        if not isinstance(doc_id, str) or not doc_id.strip() or folder + doc_id in groups:
            return claim(fallback, label)
        groups[folder + doc_id] = label  # a later record reusing it is a duplicate, as usual
        return claim(folder + doc_id, label)

    try:
        for lineno, offset, raw, overflow in _lines(root, entry.rel, config):
            label = f"{printable_path(entry.rel)}:{lineno}"
            ref = SourceRef(entry.rel, lineno, offset, len(raw))
            if overflow:
                err = E.TooLarge(
                    E.TOO_LARGE,
                    f"{label}: line over input.max_bytes={config.max_bytes}; split the record",
                )
                doc_id = leading_id(raw.decode("utf-8", errors="replace"))
                yield InputItem(named(doc_id, f"{stem}-line{lineno}", label), [label], {}, err)
                continue
            if first_line and _wide_text(raw):
                # UTF-16 (a PowerShell redirect writes it): every "line" would be garbage,
                # the next ones starting at a NUL; one record for the file says what it is
                err = E.MalformedRecord(
                    E.MALFORMED_JSONL,
                    f"{printable_path(entry.rel)}: UTF-16 or UTF-32 text; JSONL must be UTF-8 "
                    "(iconv -f utf-16 -t utf-8 FILE)",
                )
                yield InputItem(claim(stem, entry.rel), [printable_path(entry.rel)], {}, err)
                return
            first_line = False
            record, error = _parse_record(raw)
            if error is not None:
                parts = {"en": ref}
                err = error.with_source(label)
                doc_id = record.get("id")
                yield InputItem(named(doc_id, f"{stem}-line{lineno}", label), [label], parts, err)
                continue
            key = folder + record["id"]
            parts = {
                lang: SourceRef(entry.rel, lineno, offset, len(raw), lang)
                for lang in LANGS
                if isinstance(record.get(lang), str) and record[lang].strip()
            }
            if key in groups:
                first = groups[key]
                first = first if isinstance(first, str) else first.sources[0]
                err = E.DuplicateId(
                    E.DUPLICATE_ID,
                    f"{label}: id {record['id']!r} already used by {first}; make ids unique",
                )
                yield InputItem(claim(key, label), [label], parts, err)
                continue
            groups[key] = label
            yield InputItem(claim(key, label), [label], parts)
    except E.BinaryInput as exc:
        err = exc.with_source(printable_path(entry.rel))
        yield InputItem(claim(stem, entry.rel), [printable_path(entry.rel)], {}, err)
        return
    except OSError as exc:
        err = E.UnreadableInput(E.UNREADABLE, f"{entry.rel}: read failed ({exc.strerror})")
        yield InputItem(claim(stem, entry.rel), [printable_path(entry.rel)], {}, err)
        return
    if lineno == 0:  # no records at all: still accounted for
        err = E.EmptyInput(E.EMPTY, f"{printable_path(entry.rel)}: no JSONL records")
        yield InputItem(claim(stem, entry.rel), [printable_path(entry.rel)], {}, err)


_HEAD = 8192  # bytes of a .jsonl file looked at for a binary signature or NUL bytes
_LEADING_ID = re.compile(r'\s*\{\s*"id"\s*:\s*')
_ID_DECODER = json.JSONDecoder()


def leading_id(head: str, decoder: json.JSONDecoder = _ID_DECODER) -> Any:
    """The ``id`` of a record too long to read, when it is the record's first key (else None).

    >>> leading_id('{"id": "doc-7", "ru": "...'), leading_id('{"ru": "...'), leading_id('{"id": 3')
    ('doc-7', None, 3)
    """
    m = _LEADING_ID.match(head)
    if m is None:
        return None
    try:
        value, _ = decoder.raw_decode(head, m.end())
    except (ValueError, RecursionError):  # not JSON, or nested past the stack: no id to give
        return None
    return value if isinstance(value, (str, int, float)) else None


def _lines(root: Path, rel: str, config: InputConfig) -> Iterator[tuple[int, int, bytes, bool]]:
    """``(lineno, offset, bytes, overflow)`` per non-blank line, memory ≤ ``max_bytes``
    (an overflowing line's first ``_HEAD`` bytes); :class:`~cleaners.errors.BinaryInput`
    first when the file is no text at all."""
    max_bytes = config.max_bytes
    fd, _ = _open_inside(root, rel, config.follow_symlinks)
    with os.fdopen(fd, "rb") as fh:
        # An archive or image named .jsonl: one BinaryInput for the file, not a malformed
        # record per run of bytes between two 0x0A.
        reject_binary_head(fh.peek(_HEAD)[:_HEAD])
        lineno, offset = 0, 0
        while True:
            raw = fh.readline(max_bytes + 1)
            if not raw:
                return
            lineno += 1
            start = offset
            offset += len(raw)
            overflow = len(raw) > max_bytes and not raw.endswith(b"\n")
            while overflow:  # skip the rest of an over-long line without keeping it
                rest = fh.readline(_CHUNK)
                offset += len(rest)
                if not rest or rest.endswith(b"\n"):
                    break
            body = raw.rstrip(b"\r\n")
            if overflow:  # its head only: where the record names its id
                yield lineno, start, raw[:_HEAD], True
            elif body.strip():
                yield lineno, start, body, False


def _wide_text(first: bytes) -> bool:
    """The first line of a UTF-16/UTF-32 file: a byte-order mark, or a NUL among its first
    bytes (JSON written as UTF-8 never holds a NUL byte: it escapes one as ``\\u0000``).

    >>> _wide_text('{"id": "a"}'.encode("utf-16")), _wide_text('{"id": "a"}'.encode("utf-16-be"))
    (True, True)
    >>> _wide_text(b'\\xef\\xbb\\xbf{"id": "a"}'), _wide_text(b'{"id": "a\\xff"}')
    (False, False)
    """
    return first.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in first[:4]


# JSON's names for what json.loads returns, for messages about a record's fields.
_JSON_TYPE = {list: "array", dict: "object", int: "number", float: "number", bool: "boolean"}


def _parse_record(raw: bytes) -> tuple[dict, InputError | None]:
    def bad(why: str) -> tuple[dict, InputError]:
        return {}, E.MalformedRecord(E.MALFORMED_JSONL, why)

    # A BOM on any line, not only the first: files saved with one and joined (`cat a b`)
    # carry it mid-file, where it can only be that (JSON has no use for U+FEFF there).
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return bad(f"not UTF-8 at byte {exc.start} of the line (JSONL must be UTF-8)")
    try:
        record = json.loads(text)
    except (ValueError, RecursionError) as exc:
        return bad(f"not JSON ({str(exc)[:80]}){E.cr_line_ends_hint(text)}")
    if not isinstance(record, dict):
        return bad(f"a JSON {type(record).__name__}, not an object")
    doc_id = record.get("id")
    if doc_id is None:
        return bad('missing "id" (a non-empty string)')
    if not isinstance(doc_id, str):
        kind = _JSON_TYPE.get(type(doc_id), type(doc_id).__name__)
        return bad(f'"id" is a JSON {kind}, not a string (write it as "id": "...")')
    if not doc_id.strip():
        return bad('"id" is blank (it must be a non-empty string)')
    for lang in LANGS:  # (from here on the error keeps the id, the record's name)
        if record.get(lang) is not None and not isinstance(record[lang], str):
            kind = _JSON_TYPE.get(type(record[lang]), type(record[lang]).__name__)
            # A list of paragraphs is the likely mistake: say how to write it.
            how = " (join its paragraphs with a blank line: \\n\\n)" if kind == "array" else ""
            return {"id": doc_id}, bad(f'"{lang}" is a JSON {kind}, not a string{how}')[1]
    if record.get("ru") is None and record.get("en") is None:
        # Name the keys the record has: "source"/"target" or "text" for "ru"/"en".
        others = ", ".join(f'"{k[:30]}"' for k in list(record)[:6] if k != "id")
        has = f" (it has {others}; the sides go under those two keys)" if others else ""
        return {"id": doc_id}, bad(f'neither "ru" nor "en" given{has}')[1]
    if not any(isinstance(record.get(k), str) and record[k].strip() for k in LANGS):
        return {"id": doc_id}, E.EmptyInput(E.EMPTY, '"ru" and "en" hold no text')
    return record, None


# --------------------------------------------------------------------------- reading

# Reasons that depend on a file's state when it is read. Discovery reports them from a
# ``stat``, but the read that hashes and processes the file decides them again, so the
# quarantine and the hash always describe the same bytes (a file empty when listed and
# written a moment later is read, not quarantined for good).
_STATE_REASONS = frozenset({E.EMPTY, E.TOO_LARGE, E.UNREADABLE, E.NOT_A_FILE})

_O_READ = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC


def _open_inside(input_dir: Path, rel: str, follow: bool) -> tuple[int, os.stat_result]:
    """An open fd of the regular file ``rel`` that provably lies inside ``input_dir``.

    The path is resolved, checked to be inside, then opened one component at a time from a
    handle on the input folder with ``O_NOFOLLOW``: a component swapped for a symlink after
    the check makes the open fail instead of leaving the folder. The opened file is checked
    with ``fstat`` (regular: a FIFO or device is never read). ``follow`` (the user's
    ``input.follow_symlinks``) opens the resolved path as it is.
    """
    real_root = os.path.realpath(input_dir)
    real = os.path.realpath(os.path.join(real_root, rel))
    if follow:
        fd = os.open(real, _O_READ)
    else:
        if not _inside(real, real_root) or real == real_root:
            raise E.UnsafePath(E.SYMLINK_OUTSIDE, "resolves outside the input folder; not read")
        parts = os.path.relpath(real, real_root).split(os.sep)
        dir_fd = os.open(real_root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            for part in parts[:-1]:
                flags = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
                next_fd = os.open(part, flags, dir_fd=dir_fd)
                os.close(dir_fd)
                dir_fd = next_fd
            # A FIFO or device is refused unopened (opening one can have effects); the
            # fstat below re-checks what was actually opened.
            if not stat.S_ISREG(os.stat(parts[-1], dir_fd=dir_fd, follow_symlinks=False).st_mode):
                raise E.UnsafePath(E.NOT_A_FILE, "not a regular file (FIFO, socket or device)")
            fd = os.open(parts[-1], _O_READ | os.O_NOFOLLOW, dir_fd=dir_fd)
        except OSError as exc:
            if exc.errno in (errno.ELOOP, errno.ENOTDIR):
                raise E.UnsafePath(
                    E.SYMLINK_OUTSIDE, "became a symlink while being read; not read"
                ) from None
            raise
        finally:
            os.close(dir_fd)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise E.UnsafePath(E.NOT_A_FILE, "not a regular file (FIFO, socket or device)")
    except BaseException:
        os.close(fd)
        raise
    return fd, st


def _part(
    input_dir: Path, ref: SourceRef, config: InputConfig, h: Any, keep: bool
) -> bytes | InputError:
    """Feed one part's bytes (or, unread, what stands for them) to ``h``; the bytes when
    ``keep``, or why the part cannot be used."""
    try:
        fd, st = _open_inside(input_dir, ref.path, config.follow_symlinks)
    except InputError as exc:
        h.update(f"unreadable:{exc.reason}:{ref.label}".encode("utf-8", "surrogateescape"))
        return exc
    except OSError as exc:
        h.update(f"unreadable:{ref.label}".encode("utf-8", "surrogateescape"))
        return E.UnreadableInput(E.UNREADABLE, f"cannot read ({exc.strerror})")
    with os.fdopen(fd, "rb") as fh:
        try:
            if ref.line:
                fh.seek(ref.offset)
                data = fh.read(ref.length)
                h.update(data)
                return data
            if st.st_size > config.max_bytes:
                h.update(f"too-large:{st.st_size}:{st.st_mtime_ns}".encode())
                return _too_large(st.st_size, config)
            chunks: list[bytes] = []
            size = 0
            while chunk := fh.read(_CHUNK):
                size += len(chunk)
                if size > config.max_bytes:  # grew since the fstat
                    h.update(f"too-large:{size}:{st.st_mtime_ns}".encode())
                    return _too_large(size, config)
                h.update(chunk)
                if keep:
                    chunks.append(chunk)
        except OSError as exc:
            h.update(f"unreadable:{ref.label}".encode("utf-8", "surrogateescape"))
            return E.UnreadableInput(E.UNREADABLE, f"cannot read ({exc.strerror})")
    if size == 0:
        return E.EmptyInput(E.EMPTY, "file is empty")
    return b"".join(chunks)


def _too_large(size: int, config: InputConfig) -> InputError:
    return E.TooLarge(
        E.TOO_LARGE,
        f"{size} bytes, over input.max_bytes={config.max_bytes}; split it or raise the limit",
    )


@dataclass(frozen=True, slots=True)
class ItemRead:
    """One read of an item: the hash of exactly the bytes read, and their text or the error."""

    raw_hash: str
    texts: dict[str, Decoded] = field(default_factory=dict)
    error: InputError | None = None
    # Sides left out because they hold no text, beside one that does ("a.en.txt: file is
    # empty"): the document goes on as that one side alone, and says so in a warning.
    empty: tuple[str, ...] = ()


def _digest(
    input_dir: Path, item: InputItem, config: InputConfig, keep: bool
) -> tuple[str, dict[str, bytes | InputError], InputError | None]:
    h = hashlib.sha256()
    if not item.parts:
        h.update("\0".join(item.sources).encode("utf-8", "surrogateescape"))
    fixed = item.error if item.error and item.error.reason not in _STATE_REASONS else None
    if fixed is not None:  # decided by the folder's layout, not by the file's bytes
        h.update(f"error:{fixed.reason}\0".encode())
    parts: dict[str, bytes | InputError] = {}
    for lang, ref in sorted(item.parts.items()):
        h.update(f"{lang}\0".encode())
        parts[lang] = _part(Path(input_dir), ref, config, h, keep)
    return h.hexdigest(), parts, fixed or (item.error if not item.parts else None)


def read_item(input_dir: Path, item: InputItem, config: InputConfig) -> ItemRead:
    """Read every part of ``item`` once: its hash, and its decoded text per side or the
    :class:`InputError` that quarantines it, both from the same bytes. Never raises."""
    raw_hash, parts, error = _digest(input_dir, item, config, keep=True)
    if error is not None:
        return ItemRead(raw_hash, error=error)
    out: dict[str, Decoded] = {}
    empty: list[InputError] = []
    for lang, ref in sorted(item.parts.items()):
        data = parts[lang]
        try:
            if isinstance(data, InputError):
                raise data
            if ref.line:
                record, bad = _parse_record(data)
                if bad is not None:
                    raise bad
                empty.extend(_blank_sides(record, ref.label))
                out[lang] = check_text(record[ref.key or lang], "utf-8")
            else:
                out[lang] = decode_bytes(data)
        except E.EmptyInput as exc:
            # One empty side of a pair (an MT export that failed) is a side not there yet:
            # the other is processed alone, as a lone NAME.ru.txt would be.
            empty.append(exc.with_source(ref.label))
        except InputError as exc:
            return ItemRead(raw_hash, error=_pair_held(exc.with_source(ref.label), item, lang))
    if not out:
        if len(empty) == 1:
            return ItemRead(raw_hash, error=empty[0])
        return ItemRead(
            raw_hash, error=E.EmptyInput(E.EMPTY, f"{', '.join(item.sources)}: no text to read")
        )
    return ItemRead(raw_hash, out, empty=tuple(e.detail for e in empty))


def _blank_sides(record: dict, label: str) -> list[InputError]:
    """The sides a JSONL record gives as blank strings (``"en": ""``): discovery leaves them
    out of the item's parts, and they are said as an empty file of a pair is (``empty-side``), not
    taken for a side the record does not give (no ``"en"`` key, or ``null``).

    >>> [e.detail for e in _blank_sides({"id": "a", "ru": "Да.", "en": " "}, "a.jsonl:3")]
    ['a.jsonl:3: "en" holds only whitespace']
    """
    out: list[InputError] = []
    for lang in LANGS:
        text = record.get(lang)
        if isinstance(text, str) and not text.strip():
            what = "is empty" if text == "" else "holds only whitespace"
            out.append(E.EmptyInput(E.EMPTY, f'{label}: "{lang}" {what}'))
    return out


def _pair_held(error: InputError, item: InputItem, bad: str) -> InputError:
    """``error`` of one file of a ``NAME.ru.txt`` + ``NAME.en.txt`` pair, saying that the
    other file is held back with it (an empty file is a side not there yet; a bad one needs
    fixing, and the pair waits for it) and how to go on."""
    other = [ref for lang, ref in item.parts.items() if lang != bad and not ref.line]
    if not other or item.parts[bad].line:
        return error
    return type(error)(
        error.reason,
        f"{error.detail} (the pair's {other[0].label} is held back with it: fix or remove "
        f"{item.parts[bad].label} and run again)",
    )


def load_item(input_dir: Path, item: InputItem, config: InputConfig) -> dict[str, Decoded]:
    """Decoded text per side (``"ru"``/``"en"``); raises the item's :class:`InputError`.

    Errors name the file (``a.en.txt: file holds only whitespace``).
    """
    read = read_item(input_dir, item, config)
    if read.error is not None:
        raise read.error
    return read.texts


def item_hash(input_dir: Path, item: InputItem, config: InputConfig | None = None) -> str:
    """SHA-256 of an item as :func:`read_item` sees it (streamed, never raising): the raw
    bytes of its parts; for a part that must not or cannot be read (outside the folder,
    unreadable, over the size limit) its name, size and mtime instead."""
    return _digest(input_dir, item, config or InputConfig(), keep=False)[0]
