"""What makes a rerun incremental and a killed run resumable: manifest, plan, lock.

Pure file-system helpers (no Prefect). The rules that keep ``docs/`` honest:

* ``manifest.json`` vouches for result files: an entry ``{id: {"hash", "status"}}`` under the
  manifest's ``config_hash`` + ``code_version`` (its *stamp*) says "``docs/<id>.json`` or
  ``quarantine/<id>.json`` was made from these input bytes with this config and code". The
  config part is the hash of the document-stage settings only; ``corpus_config_hash`` (every
  content setting) vouches for the corpus files: a change there alone rewrites the corpus from
  the stored results and redoes no document.
* A result file the manifest does not vouch for was written by a run that did not finish. It is
  trusted only when the manifest's ``in_progress`` stamp equals the current one and its
  ``raw_hash`` matches the input; everything else unvouched is deleted before work starts.
* So a run: plans, writes the manifest vouching only for what is fresh, deletes the rest, then
  declares ``in_progress`` (a second write: a crash between the two must not bless stale files),
  processes, rebuilds the corpus and writes the final manifest last. :class:`RunLedger` is
  that protocol: ``RunLedger.begin(...)`` up to ``in_progress``, ``ledger.finish(...)`` last.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import re
import socket
import stat
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cleaners import __version__
from cleaners.fsutil import atomic_write_json, sha256_bytes

MANIFEST = "manifest.json"
LOCK = ".mtclean.lock"
DOCS = "docs"
QUARANTINE = "quarantine"
# Every run-wide output the writers make, hashed into the manifest: one deleted or changed
# makes the next run rewrite them all (the rejected pairs are outputs like the corpus).
CORPUS_FILES = ("corpus.tmx", "corpus.ru", "corpus.en", "corpus.tsv", "corpus.jsonl",
                "corpus.rejected.tsv", "corpus.rejected.jsonl")  # fmt: skip
FORMAT = 1

_code_version: str | None = None


def code_version() -> str:
    """``<package version>+<hash of cleaners' code and data>``: any code change reruns docs.

    Hashing the source (not just ``__version__``) is what makes an edited rule or glossary
    invalidate old results during development, when nobody bumps the version.

    >>> code_version().startswith(__version__ + "+")
    True
    """
    global _code_version
    if _code_version is None:
        root = Path(__file__).resolve().parent
        parts: list[str] = []
        for p in sorted(root.rglob("*")):
            if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".pyo"):
                parts.append(f"{p.relative_to(root).as_posix()}:{sha256_bytes(p.read_bytes())}")
        _code_version = f"{__version__}+{sha256_bytes(chr(10).join(parts).encode())[:12]}"
    return _code_version


@dataclass(frozen=True, slots=True)
class Stamp:
    """The settings a result was produced under."""

    config_hash: str
    code_version: str

    def to_dict(self) -> dict[str, str]:
        return {"config_hash": self.config_hash, "code_version": self.code_version}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any] | None) -> Stamp | None:
        if not d or "config_hash" not in d or "code_version" not in d:
            return None
        return cls(str(d["config_hash"]), str(d["code_version"]))


# ---------------------------------------------------------------- manifest


class OutputError(RuntimeError):
    """The output folder cannot be used as it is (one line for the user)."""


def _read_regular(path: Path, limit: int = 1 << 31) -> bytes:
    """A regular file's bytes: never follows a symlink, never blocks on a FIFO, at most
    ``limit`` bytes (``OSError`` / ``ValueError`` otherwise)."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > limit:
            raise ValueError(f"{path.name}: not a regular file of at most {limit} bytes")
        return fh.read(limit + 1)


def _bad_manifest(data: Any) -> str | None:
    """Why ``data`` is not a manifest this code wrote, or ``None``.

    >>> _bad_manifest({"format": FORMAT, "items": {"a": {"hash": "1", "status": "done"}}})
    >>> _bad_manifest({"format": FORMAT, "items": {"a": {"hash": 1, "status": "done"}}})
    'items.a: not {hash, status}'
    """
    if not isinstance(data, dict):
        return "not a JSON object"
    for key in ("config_hash", "corpus_config_hash", "code_version", "state"):
        if key in data and not isinstance(data[key], str):
            return f"{key}: not a string"
    for key in ("hashed_at_ns",):
        if key in data and (type(data[key]) is not int):
            return f"{key}: not an integer"
    for key in ("in_progress", "stats", "corpus_hashes", "corpus_counts"):
        if key in data and not isinstance(data[key], dict):
            return f"{key}: not an object"
    if not isinstance(data.get("pending", []), list) or not all(
        isinstance(i, str) for i in data.get("pending", [])
    ):
        return "pending: not a list of ids"
    items = data.get("items", {})
    if not isinstance(items, dict):
        return "items: not an object"
    for doc_id, e in items.items():
        if not (
            isinstance(e, dict)
            and isinstance(e.get("hash"), str)
            and e.get("status") in ("done", "quarantined")
            and isinstance(e.get("stat", []), list)
            and _int_pair(e.get("file", [0, 0]))
        ):
            return f"items.{doc_id}: not {{hash, status}}"
    return None


def _int_pair(v: Any) -> bool:
    return isinstance(v, list) and len(v) == 2 and all(type(x) is int for x in v)


def load_manifest(out_dir: Path) -> tuple[dict[str, Any], str | None]:
    """``(manifest, problem)``: an empty manifest (nothing vouched for) when it is absent, of
    another format, or does not validate; ``problem`` then says why, for a warning."""
    path = out_dir / MANIFEST
    try:
        data = json.loads(_read_regular(path).decode("utf-8"))
    except FileNotFoundError:
        return {}, None
    except (OSError, ValueError) as exc:
        return {}, f"{MANIFEST} is unreadable ({exc}); treated as absent, everything redone"
    if isinstance(data, dict) and data.get("format") != FORMAT:
        return {}, None  # another version's manifest: silently redo
    problem = _bad_manifest(data)
    if problem is not None:
        return {}, f"{MANIFEST} does not validate ({problem}); treated as absent, everything redone"
    return data, None


def read_manifest(out_dir: Path) -> dict[str, Any]:
    """The manifest, or an empty one when absent or invalid (then nothing is vouched for)."""
    return load_manifest(out_dir)[0]


def write_manifest(out_dir: Path, manifest: Mapping[str, Any]) -> None:
    atomic_write_json(out_dir / MANIFEST, {"format": FORMAT, **manifest})


def owned_ids(manifest: Mapping[str, Any]) -> set[str]:
    """Ids whose result files the manifest says mtclean wrote (vouched, or pending in a run
    that did not finish)."""
    return set(manifest.get("items") or {}) | set(manifest.get("pending") or [])


# ---------------------------------------------------------------- results on disk

# Files mtclean writes in the output folder itself (beside docs/ and quarantine/).
OUT_FILES = (*CORPUS_FILES, "edits.jsonl", "report.md", "report.json", "report.html", MANIFEST)
# Folders of files written from docs/ on every run, whose files of removed inputs it deletes
# (cleaners.outputs.TEXT_DIR, cleaners.report_pages.REPORT_DIR).
PAGE_DIRS = ("text", "report")


def foreign_outputs(out_dir: Path) -> list[Path]:
    """In an output folder mtclean has not written to (no manifest, no result of its own), what
    already sits where its outputs go: a file at an output's name, anything in ``text/`` or
    ``report/``. Written over or deleted as stale, it would be lost.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     (Path(d) / "report").mkdir()
    ...     for name in ("report.md", "report/index.html", "notes.txt"):
    ...         _ = (Path(d) / name).write_text("mine")
    ...     [str(p.relative_to(d)) for p in foreign_outputs(Path(d))]
    ['report.md', 'report/index.html']
    """
    found = [out_dir / n for n in OUT_FILES if os.path.lexists(out_dir / n)]
    for sub in PAGE_DIRS:
        if (out_dir / sub).is_dir():
            found.extend(sorted((out_dir / sub).iterdir()))
    return found


def check_new_output(out_dir: Path) -> None:
    """Raise :class:`OutputError` for an output folder mtclean has not written to (no
    manifest, no result of its own) that holds files where its outputs go: the part of
    :meth:`RunLedger.begin`'s refusal that needs no input listed, so the CLI says it before
    Prefect starts (a wrong ``--out`` is the likeliest cause)."""
    if os.path.lexists(out_dir / MANIFEST) or not out_dir.is_dir():
        return
    clash = foreign_outputs(out_dir)
    if clash and not split_results(out_dir, scan_results(out_dir), {})[0]:
        raise _refusal(out_dir, clash)


def _refusal(out_dir: Path, clash: list[Path]) -> OutputError:
    shown = ", ".join(str(p.relative_to(out_dir)) for p in clash[:3])
    more = f" and {len(clash) - 3} more" if len(clash) > 3 else ""
    return OutputError(
        f"{out_dir} holds files mtclean did not write where its results go ({shown}{more}); "
        "move them away or choose another output folder"
    )


def result_path(out_dir: Path, doc_id: str, status: str) -> Path:
    """``docs/<id>.json`` for ``"done"``, ``quarantine/<id>.json`` for ``"quarantined"``."""
    return out_dir / (DOCS if status == "done" else QUARANTINE) / f"{doc_id}.json"


def scan_results(out_dir: Path) -> dict[str, list[str]]:
    """``{id: [statuses present]}`` for the ``*.json`` entries in ``docs/`` and ``quarantine/``
    (whoever wrote them: see :func:`split_results`)."""
    found: dict[str, list[str]] = {}
    for sub, status in ((DOCS, "done"), (QUARANTINE, "quarantined")):
        d = out_dir / sub
        if not d.is_dir():
            continue
        for entry in os.scandir(d):
            # Temp files of an interrupted atomic write start with "." and end in ".tmp".
            if entry.name.endswith(".json") and not entry.name.startswith("."):
                found.setdefault(entry.name[: -len(".json")], []).append(status)
    return found


def is_result_record(path: Path, doc_id: str, status: str, raw_hash: str | None = None) -> bool:
    """``path`` is a regular file holding exactly the record mtclean writes for ``doc_id``
    (and for input bytes ``raw_hash`` when given)."""
    from cleaners.model import Document, Quarantined

    try:
        data = json.loads(_read_regular(path).decode("utf-8"))
        if not isinstance(data, dict) or data.get("id") != doc_id:
            return False
        if raw_hash is not None and data.get("raw_hash") != raw_hash:
            return False
        model = Document if status == "done" else Quarantined
        return bool(model.from_dict(data).to_dict() == data)
    except Exception:  # torn, not JSON, wrong shape: not a result
        return False


def split_results(
    out_dir: Path, on_disk: Mapping[str, list[str]], manifest: Mapping[str, Any]
) -> tuple[dict[str, list[str]], list[Path]]:
    """``(ours, foreign)``: result files mtclean wrote, and paths it did not write.

    Ours: a regular file whose id the manifest lists, or (a manifest lost or from an older
    version) one that is an mtclean result record for its own name. Anything else in
    ``docs/`` or ``quarantine/`` is the user's and is never deleted.
    """
    owned = owned_ids(manifest)
    ours: dict[str, list[str]] = {}
    foreign: list[Path] = []
    for doc_id, statuses in on_disk.items():
        for status in statuses:
            path = result_path(out_dir, doc_id, status)
            regular = path.is_file() and not path.is_symlink()
            if regular and (doc_id in owned or is_result_record(path, doc_id, status)):
                ours.setdefault(doc_id, []).append(status)
            else:
                foreign.append(path)
    return ours, sorted(foreign)


def read_raw_hash(path: Path) -> str | None:
    try:
        data = json.loads(_read_regular(path).decode("utf-8"))
    except (OSError, ValueError):
        return None
    return data.get("raw_hash") if isinstance(data, dict) else None


def result_key(path: Path) -> list[int] | None:
    """``[size, mtime_ns]`` of a result file: unchanged since vouched means not re-read."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


def _intact(out_dir: Path, doc_id: str, status: str, h: str, key: Any) -> bool:
    path = result_path(out_dir, doc_id, status)
    if key is not None and result_key(path) == key:
        return True
    return is_result_record(path, doc_id, status, h)


# mkstemp's temp names: ".<target>." + 8 characters + ".tmp" (cleaners.fsutil).
_TMP = re.compile(r"\.(?P<target>.+)\.[a-z0-9_]{8}\.tmp")


def remove_tmp_files(out_dir: Path, ids: Iterable[str] = ()) -> int:
    """Delete leftovers of atomic writes cut short by a kill: temp files of the output files
    and of the results of ``ids``, nothing else (a user's ``.*.tmp`` stays)."""
    targets = {DOCS: {f"{i}.json" for i in ids}, ".": set(OUT_FILES)}
    targets[QUARANTINE] = targets[DOCS]
    n = 0
    for sub, names in targets.items():
        d = out_dir / sub
        if not d.is_dir() or not names:
            continue
        for p in d.glob(".*.tmp"):
            m = _TMP.fullmatch(p.name)
            if m and m["target"] in names and p.is_file() and not p.is_symlink():
                p.unlink(missing_ok=True)
                n += 1
    return n


# ---------------------------------------------------------------- input hashes

# A file whose mtime is this close to the time the previous run looked at it may have been
# changed again within the file system's timestamp granularity ("racily clean", as git calls
# it): it is re-read rather than trusted.
RACY_NS = 2_000_000_000


def stat_key(input_dir: Path, item: Any) -> list[list[Any]] | None:
    """What an input's parts look like on disk: ``[[side, path, line, offset, length, size,
    mtime_ns, inode, ctime_ns], ...]``, or ``None`` when a part cannot be stat-ed (then it is
    always hashed).

    Size and mtime alone missed an edit that kept the size and put the mtime back (``touch
    -r``, ``cp -p``/``rsync -t`` of a same-size file, a tool restoring timestamps): the stale
    result was kept, exit 0. The inode and ctime (which no user call can set) change with any
    such edit, as git's index has them for the same reason; a chmod or a copy that changes
    nothing costs only a re-read (the hash is the same, the document is not redone)."""
    key: list[list[Any]] = []
    try:
        for side, ref in sorted(item.parts.items()):
            st = os.stat(input_dir / ref.path)
            # A name that is not UTF-8 keeps its bytes as \x escapes: JSON can store it.
            name = ref.path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
            key.append(
                [
                    side,
                    name,
                    ref.line,
                    ref.offset,
                    ref.length,
                    st.st_size,
                    st.st_mtime_ns,
                    st.st_ino,
                    st.st_ctime_ns,
                ]
            )
    except (OSError, ValueError):
        return None
    return key or None


def hash_inputs(
    input_dir: Path,
    items: Iterable[Any],
    manifest: Mapping[str, Any],
    hash_item: Any,
    now_ns: int | None = None,
) -> tuple[dict[str, str], dict[str, list[list[Any]]]]:
    """Content hash of every input, re-reading only files that changed on disk.

    An input whose parts have the size and mtime the manifest recorded (and were not modified
    just before the previous run looked: see ``RACY_NS``) keeps its recorded hash; all others
    are hashed with ``hash_item(input_dir, item)``. Returns ``(hashes, stat keys)``; the stat
    keys go into the next manifest.
    """
    now_ns = time.time_ns() if now_ns is None else now_ns
    old = manifest.get("items") or {}
    seen_ns = int(manifest.get("hashed_at_ns") or 0)
    hashes: dict[str, str] = {}
    stats: dict[str, list[list[Any]]] = {}
    for item in items:
        key = stat_key(input_dir, item)
        entry = old.get(item.id) or {}
        if (
            key is not None
            and entry.get("stat") == key
            and entry.get("hash")
            and all(part[6] < seen_ns - RACY_NS for part in key)
        ):
            hashes[item.id] = entry["hash"]
        else:
            hashes[item.id] = hash_item(input_dir, item)
        if key is not None:
            stats[item.id] = key
    return hashes, stats


# ---------------------------------------------------------------- plan


@dataclass(slots=True)
class Plan:
    """What a run must do. ``fresh``: id → status of results that stay as they are."""

    fresh: dict[str, str] = field(default_factory=dict)
    resumed: list[str] = field(default_factory=list)
    work: list[str] = field(default_factory=list)
    delete: list[tuple[str, str]] = field(default_factory=list)  # (id, status) files to remove
    removed: list[str] = field(default_factory=list)  # ids whose input is gone
    invalid: list[str] = field(default_factory=list)  # vouched results that did not validate

    @property
    def nothing_to_do(self) -> bool:
        return not self.work and not self.delete and not self.removed


def make_plan(
    hashes: Mapping[str, str],
    manifest: Mapping[str, Any],
    on_disk: Mapping[str, list[str]],
    stamp: Stamp,
    out_dir: Path | None = None,
) -> Plan:
    """Split inputs into fresh (kept), work (to process) and files to delete.

    ``hashes`` maps every current input id to its content hash; ``on_disk`` the result files
    mtclean wrote. With ``out_dir``, a vouched result whose file changed since it was vouched
    is read and kept only when it is still the record for its id and input (else redone, in
    ``invalid``), and unvouched results of an interrupted run with the same stamp are resumed
    when they are the records for their inputs' bytes.

    >>> s = Stamp("c", "v")
    >>> items = {"a": {"hash": "1", "status": "done"}}
    >>> m = {"config_hash": "c", "code_version": "v", "items": items}
    >>> p = make_plan({"a": "1", "b": "2"}, m, {"a": ["done"], "z": ["done"]}, s)
    >>> p.fresh, p.work, p.delete, p.removed
    ({'a': 'done'}, ['b'], [('z', 'done')], ['z'])
    >>> make_plan({"a": "1"}, m, {"a": ["done"]}, Stamp("other", "v")).work
    ['a']
    """
    plan = Plan()
    vouched: Mapping[str, Any] = {}
    if Stamp.from_dict(manifest) == stamp:
        vouched = manifest.get("items") or {}
    resuming = Stamp.from_dict(manifest.get("in_progress")) == stamp and out_dir is not None
    for doc_id in sorted(hashes):
        h = hashes[doc_id]
        present = on_disk.get(doc_id, [])
        entry = vouched.get(doc_id)
        keep: str | None = None
        if len(present) == 1:
            status = present[0]
            if entry and entry.get("hash") == h and entry.get("status") == status:
                if out_dir is None or _intact(out_dir, doc_id, status, h, entry.get("file")):
                    keep = status
                else:
                    plan.invalid.append(doc_id)
            elif (
                not entry
                and resuming
                and out_dir is not None
                and is_result_record(result_path(out_dir, doc_id, status), doc_id, status, h)
            ):
                keep = status
                plan.resumed.append(doc_id)
        if keep is None:
            plan.work.append(doc_id)
            plan.delete.extend((doc_id, s) for s in present)
        else:
            plan.fresh[doc_id] = keep
    for doc_id in sorted(set(on_disk) - set(hashes)):
        plan.removed.append(doc_id)
        plan.delete.extend((doc_id, s) for s in on_disk[doc_id])
    return plan


def vouch(
    hashes: Mapping[str, str],
    statuses: Mapping[str, str],
    stats: Mapping[str, list[list[Any]]] | None = None,
    out_dir: Path | None = None,
) -> dict[str, dict[str, Any]]:
    """Manifest ``items`` for the given results (sorted by id for a stable file); with
    ``out_dir``, each with its result file's ``[size, mtime_ns]`` as ``file``."""
    out: dict[str, dict[str, Any]] = {}
    for i in sorted(statuses):
        out[i] = {"hash": hashes[i], "status": statuses[i]}
        if stats and i in stats:
            out[i]["stat"] = stats[i]
        key = result_key(result_path(out_dir, i, statuses[i])) if out_dir else None
        if key is not None:
            out[i]["file"] = key
    return out


def delete_results(out_dir: Path, victims: Iterable[tuple[str, str]]) -> int:
    n = 0
    for doc_id, status in victims:
        result_path(out_dir, doc_id, status).unlink(missing_ok=True)
        n += 1
    return n


def write_result(out_dir: Path, doc_id: str, status: str, record: Mapping[str, Any]) -> None:
    """Write one result atomically, then drop a result of the other kind for the same id."""

    atomic_write_json(result_path(out_dir, doc_id, status), record)
    other = "quarantined" if status == "done" else "done"
    result_path(out_dir, doc_id, other).unlink(missing_ok=True)


def file_hashes(out_dir: Path, names: Iterable[str] = CORPUS_FILES) -> dict[str, str | None]:
    """sha256 of each named output file (``None`` when missing)."""
    out: dict[str, str | None] = {}
    for name in names:
        p = out_dir / name
        out[name] = _sha256_file(p) if p.is_file() else None
    return out


def _sha256_file(path: Path) -> str:
    """sha256 of a file read in 1 MB blocks (a big document's corpus.tmx is tens of MB)."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(1 << 20):
            h.update(block)
    return h.hexdigest()


# ---------------------------------------------------------------- one run


@dataclass(slots=True)
class RunLedger:
    """One run's dealings with ``manifest.json``: :meth:`begin`, process ``plan.work``,
    :meth:`finish`. The protocol of this module's docstring lives here and nowhere else.

    ``begin`` refuses an output folder holding someone else's files where results go, hashes
    the inputs (re-reading only changed files), plans, and unless nothing changed vouches for
    what stays, deletes the rest and declares the run in progress; ``finish`` writes the final
    manifest, vouching for every result with the input's hash, the stat key that lets the
    next run skip re-reading the input, and the result file's own size and mtime.
    """

    out_dir: Path
    stamp: Stamp
    base: dict[str, Any]
    previous: dict[str, Any]
    hashes: dict[str, str]
    stat_keys: dict[str, list[list[Any]]]
    plan: Plan
    unchanged: bool
    pending: list[str]
    warnings: list[str]

    @classmethod
    def begin(
        cls,
        input_dir: Path,
        out_dir: Path,
        items: Iterable[Any],
        stamp: Stamp,
        hash_item: Any,
        now_ns: int | None = None,
        corpus_stamp: str | None = None,
    ) -> RunLedger:
        """Plan the run against the previous manifest and make ``docs/`` honest for it.

        ``stamp`` is what the results are made under; ``corpus_stamp`` (the config's
        ``content_hash``) what the corpus files are: when only it changed, nothing is redone,
        but the run is not ``unchanged`` (the corpus is rewritten).

        Raises :class:`OutputError` when a file mtclean did not write sits where a result
        of one of ``items`` goes (it is never deleted or overwritten).
        """
        items = list(items)
        previous, problem = load_manifest(out_dir)
        warnings = [problem] if problem else []
        ours, foreign = split_results(out_dir, scan_results(out_dir), previous)
        ids = {item.id for item in items}
        clash = [p for p in foreign if p.name[: -len(".json")] in ids]
        if not ours and not os.path.lexists(out_dir / MANIFEST):
            clash += foreign_outputs(out_dir)  # a folder of the user's: write over none of it
        if clash:
            raise _refusal(out_dir, clash)
        remove_tmp_files(out_dir, owned_ids(previous) | set(ours))
        hashed_at = time.time_ns() if now_ns is None else now_ns
        hashes, stat_keys = hash_inputs(input_dir, items, previous, hash_item, hashed_at)
        plan = make_plan(hashes, previous, ours, stamp, out_dir)
        if plan.invalid:
            warnings.append(
                f"{len(plan.invalid)} result file(s) changed since vouched and no longer "
                f"valid, redone: {', '.join(plan.invalid[:5])}"
            )
        before = previous.get("input_dir")
        if plan.removed and isinstance(before, str) and before != str(input_dir):
            # Another input folder into the same output: its documents count as removed.
            more = ", …" if len(plan.removed) > 5 else ""
            warnings.append(
                f"{out_dir} was built from {before}, this run reads {input_dir}: the results of "
                f"{len(plan.removed)} document(s) not in it are dropped "
                f"({', '.join(plan.removed[:5])}{more}); give each input folder its own --out "
                "to keep both"
            )
        base = {
            **stamp.to_dict(),
            "input_dir": str(input_dir),
            "out_dir": str(out_dir),
            "hashed_at_ns": hashed_at,
        }
        if corpus_stamp is not None:
            base["corpus_config_hash"] = corpus_stamp
        unchanged = (
            plan.nothing_to_do
            and previous.get("state") == "finished"
            and Stamp.from_dict(previous) == stamp
            and previous.get("corpus_config_hash") == corpus_stamp
            and previous.get("corpus_hashes") == file_hashes(out_dir)
            and isinstance(previous.get("stats"), dict)
        )
        pending = sorted((set(ours) | set(plan.work)) - set(plan.fresh))
        ledger = cls(
            out_dir, stamp, base, previous, hashes, stat_keys, plan, unchanged, pending, warnings
        )
        if not unchanged:
            ledger._declare()
        return ledger

    def _declare(self) -> None:
        # Vouch only for what stays, delete the rest, then declare the run in progress:
        # two writes, so a crash in between never blesses a stale result. "pending" names
        # the other results this run may delete or write: they stay ours if it is killed.
        fresh = vouch(self.hashes, self.plan.fresh, self.stat_keys, self.out_dir)
        head = {**self.base, "state": "running", "items": fresh, "pending": self.pending}
        write_manifest(self.out_dir, head)
        delete_results(self.out_dir, self.plan.delete)
        write_manifest(self.out_dir, {**head, "in_progress": self.stamp.to_dict()})

    def finish(
        self, statuses: Mapping[str, str], processed: Mapping[str, str], record: Mapping[str, Any]
    ) -> None:
        """Write the final manifest, last: ``record`` (run facts, stats, corpus counts) plus
        the corpus files' hashes and a vouch for every result in ``statuses``.

        ``processed`` holds the hash of the bytes each processed input had when it was read;
        it is what the result is vouched for. An input that changed since planning loses
        its stat key, so the next run hashes it again.
        """
        for doc_id, h in processed.items():
            if self.hashes.get(doc_id) != h:
                self.hashes[doc_id] = h
                self.stat_keys.pop(doc_id, None)
        write_manifest(
            self.out_dir,
            {
                **self.base,
                "state": "finished",
                **record,
                "corpus_hashes": file_hashes(self.out_dir),
                "items": vouch(self.hashes, statuses, self.stat_keys, self.out_dir),
            },
        )


# ---------------------------------------------------------------- lock


class LockedError(RuntimeError):
    """Another live run holds the output folder."""


def _proc_start(pid: int) -> str | None:
    """Start time of a process (Linux ``/proc``), to tell a live pid from a reused one."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # Field 22 (starttime) counted after the ")" that closes the command name.
    return text.rsplit(")", 1)[1].split()[19]


def _pid_alive(pid: int) -> bool:
    """A running process (a zombie, dead but not yet reaped by its parent, is not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state not in ("Z", "X")


# Locks this process holds: lock path → [fd, depth]. The CLI takes the lock before Prefect
# starts and the flow takes it again; a second flock() on another fd of the same file would
# conflict with the first, so the flow's acquire nests instead.
_HELD: dict[str, list[int]] = {}


def _me() -> dict[str, Any]:
    return {"pid": os.getpid(), "host": socket.gethostname(), "start": _proc_start(os.getpid())}


def _holder_text(fd: int) -> dict[str, Any]:
    try:
        data = json.loads(os.pread(fd, 4096, 0) or b"{}")
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _foreign_live(info: Mapping[str, Any]) -> bool:
    """A holder the kernel lock cannot vouch for: on another host (its flock may not reach
    us), or a live process on this one that did not flock (an mtclean before flock)."""
    if not info:
        return False
    if info.get("host") != socket.gethostname():
        return True
    try:
        pid = int(info["pid"])
    except (KeyError, TypeError, ValueError):
        return False
    if pid == os.getpid() or not _pid_alive(pid):
        return False
    start = info.get("start")
    return start is None or _proc_start(pid) in (None, start)


@dataclass(slots=True)
class OutputLock:
    """The output folder's lock: ``flock`` on ``.mtclean.lock``, holding pid, host and start
    time for the message a second run prints.

    The kernel drops a flock when its holder dies, however it dies, so a dead run's lock is
    simply free: taking it over needs no unlink and has no race (two runs can never both win
    it). The file is removed by its holder on release; a run that opened the old file just
    before finds its inode gone and tries again.
    """

    out_dir: Path
    held: bool = False

    @property
    def path(self) -> Path:
        return self.out_dir / LOCK

    def acquire(self) -> OutputLock:
        key = os.path.abspath(self.path)
        if key in _HELD:
            _HELD[key][1] += 1
            self.held = True
            return self
        try:
            self.out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                raise  # disk full: its own exit code and message
            # e.g. a folder under /proc or a path through a file: not a folder we can use
            raise OutputError(
                f"cannot write {self.out_dir}: {exc.strerror} (no output folder can be made there)"
            ) from exc
        for _ in range(20):
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o644)
            try:
                import fcntl

                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    raise LockedError(self._busy(_holder_text(fd))) from None
                try:
                    same = os.stat(self.path, follow_symlinks=False).st_ino == os.fstat(fd).st_ino
                except FileNotFoundError:
                    same = False
                if not same:  # released and removed between our open and flock
                    os.close(fd)
                    continue
                info = _holder_text(fd)
                if _foreign_live(info):
                    raise LockedError(self._busy(info))
                os.ftruncate(fd, 0)
                os.pwrite(fd, (json.dumps(_me()) + "\n").encode(), 0)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.close(fd)
                raise
            _HELD[key] = [fd, 1]
            self.held = True
            return self
        raise LockedError(f"could not take the lock {self.path}")

    def _busy(self, holder: Mapping[str, Any]) -> str:
        where = f"pid {holder.get('pid', '?')} on {holder.get('host', '?')}"
        if holder.get("host") in (None, socket.gethostname()):
            return f"{self.out_dir} is in use by another mtclean run ({where}); wait for it"
        return (
            f"{self.out_dir} is in use by another mtclean run ({where}); wait for it, or "
            f"delete {self.path} if that run is gone"
        )

    def release(self) -> None:
        if not self.held:
            return
        self.held = False
        key = os.path.abspath(self.path)
        entry = _HELD.get(key)
        if entry is None:
            return
        entry[1] -= 1
        if entry[1] == 0:
            del _HELD[key]
            with contextlib.suppress(OSError):
                self.path.unlink()  # still under the flock: nobody else holds this file
            os.close(entry[0])

    def __enter__(self) -> OutputLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


class LeaseLost(RuntimeError):
    """The run holding the output folder is gone: whoever works for it stops writing."""


class InputGone(RuntimeError):
    """The input folder itself went away during the run (unmounted, moved, deleted), or is
    empty while the output holds a previous run's results: its documents are out of reach,
    not unreadable or removed, and are neither quarantined nor dropped."""


def lease() -> dict[str, Any]:
    """The identity of this process as lock holder, for workers to check with
    :func:`holder_alive` before each write."""
    return _me()


def holder_alive(out_dir: Path, holder: Mapping[str, Any]) -> bool:
    """Whether the run ``holder`` (a :func:`lease`) still holds ``out_dir``: on its host, its
    process is alive (same pid and start time); elsewhere, the lock file still names it."""
    if holder.get("host") == socket.gethostname():
        pid = int(holder["pid"])
        return _pid_alive(pid) and _proc_start(pid) == holder.get("start")
    try:
        return bool(json.loads((out_dir / LOCK).read_text()) == dict(holder))
    except (OSError, ValueError):
        return False


def lock_holder(out_dir: Path) -> dict[str, Any] | None:
    """Who holds the output folder's lock (this process included), or ``None`` if it is free."""
    path = out_dir / LOCK
    if os.path.abspath(path) in _HELD:
        return _me()
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        import fcntl

        info = _holder_text(fd)
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return info or {"pid": "?", "host": "?"}
        except OSError:
            return None
        return info if _foreign_live(info) else None
    finally:
        os.close(fd)
