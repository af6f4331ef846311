"""What makes a rerun incremental and a killed run resumable: manifest, plan, lock.

Pure file-system helpers (no Prefect). The rules that keep ``docs/`` honest:

* ``manifest.json`` vouches for result files: an entry ``{id: {"hash", "status"}}`` under the
  manifest's ``config_hash`` + ``code_version`` (its *stamp*) says "``docs/<id>.json`` or
  ``quarantine/<id>.json`` was made from these input bytes with this config and code".
* A result file the manifest does not vouch for was written by a run that did not finish. It is
  trusted only when the manifest's ``in_progress`` stamp equals the current one and its
  ``raw_hash`` matches the input; everything else unvouched is deleted before work starts.
* So a run: plans, writes the manifest vouching only for what is fresh, deletes the rest, then
  declares ``in_progress`` (a second write: a crash between the two must not bless stale files),
  processes, rebuilds the corpus and writes the final manifest last. :class:`RunLedger` is
  that protocol: ``RunLedger.begin(...)`` up to ``in_progress``, ``ledger.finish(...)`` last.
"""

from __future__ import annotations

import json
import os
import socket
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cleaners import __version__
from cleaners.fsutil import atomic_write_json, dumps_json, sha256_bytes

MANIFEST = "manifest.json"
LOCK = ".mtclean.lock"
DOCS = "docs"
QUARANTINE = "quarantine"
CORPUS_FILES = ("corpus.tmx", "corpus.ru", "corpus.en", "corpus.tsv", "corpus.jsonl")
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


def read_manifest(out_dir: Path) -> dict[str, Any]:
    """The manifest, or an empty one when absent or unreadable (then nothing is vouched for)."""
    try:
        data = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return {}
    return data


def write_manifest(out_dir: Path, manifest: Mapping[str, Any]) -> None:
    atomic_write_json(out_dir / MANIFEST, {"format": FORMAT, **manifest})


# ---------------------------------------------------------------- results on disk


def result_path(out_dir: Path, doc_id: str, status: str) -> Path:
    """``docs/<id>.json`` for ``"done"``, ``quarantine/<id>.json`` for ``"quarantined"``."""
    return out_dir / (DOCS if status == "done" else QUARANTINE) / f"{doc_id}.json"


def scan_results(out_dir: Path) -> dict[str, list[str]]:
    """``{id: [statuses present]}`` for the result files in ``docs/`` and ``quarantine/``."""
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


def read_raw_hash(path: Path) -> str | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data.get("raw_hash") if isinstance(data, dict) else None


def remove_tmp_files(out_dir: Path) -> int:
    """Delete leftovers of atomic writes cut short by a kill (``.<name>.*.tmp``)."""
    n = 0
    for sub in (DOCS, QUARANTINE, "."):
        d = out_dir / sub
        if d.is_dir():
            for p in d.glob(".*.tmp"):
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
    mtime_ns], ...]``, or ``None`` when a part cannot be stat-ed (then it is always hashed)."""
    key: list[list[Any]] = []
    try:
        for side, ref in sorted(item.parts.items()):
            st = os.stat(input_dir / ref.path)
            # A name that is not UTF-8 holds surrogates (os.fsdecode); JSON cannot store
            # them, so the key keeps a printable form (compared, never opened).
            path = ref.path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
            key.append([side, path, ref.line, ref.offset, ref.length, st.st_size, st.st_mtime_ns])
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

    ``hashes`` maps every current input id to its content hash. ``out_dir`` is needed only to
    read ``raw_hash`` of unvouched files when resuming an interrupted run with the same stamp.

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
                keep = status
            elif (
                not entry
                and resuming
                and out_dir is not None
                and read_raw_hash(result_path(out_dir, doc_id, status)) == h
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
) -> dict[str, dict[str, Any]]:
    """Manifest ``items`` for the given results (sorted by id for a stable file)."""
    out: dict[str, dict[str, Any]] = {}
    for i in sorted(statuses):
        out[i] = {"hash": hashes[i], "status": statuses[i]}
        if stats and i in stats:
            out[i]["stat"] = stats[i]
    return out


def delete_results(out_dir: Path, victims: Iterable[tuple[str, str]]) -> int:
    n = 0
    for doc_id, status in victims:
        result_path(out_dir, doc_id, status).unlink(missing_ok=True)
        n += 1
    return n


def write_result(out_dir: Path, doc_id: str, status: str, record: Mapping[str, Any]) -> None:
    """Write one result atomically, then drop a result of the other kind for the same id."""
    from cleaners.fsutil import atomic_write_text

    atomic_write_text(result_path(out_dir, doc_id, status), dumps_json(record))
    other = "quarantined" if status == "done" else "done"
    result_path(out_dir, doc_id, other).unlink(missing_ok=True)


def file_hashes(out_dir: Path, names: Iterable[str] = CORPUS_FILES) -> dict[str, str | None]:
    """sha256 of each named output file (``None`` when missing)."""
    out: dict[str, str | None] = {}
    for name in names:
        p = out_dir / name
        out[name] = sha256_bytes(p.read_bytes()) if p.is_file() else None
    return out


# ---------------------------------------------------------------- one run


@dataclass(slots=True)
class RunLedger:
    """One run's dealings with ``manifest.json``: :meth:`begin`, process ``plan.work``,
    :meth:`finish`. The protocol of this module's docstring lives here and nowhere else.

    ``begin`` hashes the inputs (re-reading only changed files), plans, and unless nothing
    changed vouches for what stays, deletes the rest and declares the run in progress;
    ``finish`` writes the final manifest, vouching for every result with the input's hash
    and the stat key that lets the next run skip re-reading it.
    """

    out_dir: Path
    stamp: Stamp
    base: dict[str, Any]
    previous: dict[str, Any]
    hashes: dict[str, str]
    stat_keys: dict[str, list[list[Any]]]
    plan: Plan
    unchanged: bool

    @classmethod
    def begin(
        cls,
        input_dir: Path,
        out_dir: Path,
        items: Iterable[Any],
        stamp: Stamp,
        hash_item: Any,
        now_ns: int | None = None,
    ) -> RunLedger:
        """Plan the run against the previous manifest and make ``docs/`` honest for it."""
        previous = read_manifest(out_dir)
        hashed_at = time.time_ns() if now_ns is None else now_ns
        hashes, stat_keys = hash_inputs(input_dir, items, previous, hash_item, hashed_at)
        plan = make_plan(hashes, previous, scan_results(out_dir), stamp, out_dir)
        base = {
            **stamp.to_dict(),
            "input_dir": str(input_dir),
            "out_dir": str(out_dir),
            "hashed_at_ns": hashed_at,
        }
        unchanged = (
            plan.nothing_to_do
            and previous.get("state") == "finished"
            and Stamp.from_dict(previous) == stamp
            and previous.get("corpus_hashes") == file_hashes(out_dir)
            and isinstance(previous.get("stats"), dict)
        )
        ledger = cls(out_dir, stamp, base, previous, hashes, stat_keys, plan, unchanged)
        if not unchanged:
            ledger._declare()
        return ledger

    def _declare(self) -> None:
        # Vouch only for what stays, delete the rest, then declare the run in progress:
        # two writes, so a crash in between never blesses a stale result.
        fresh = vouch(self.hashes, self.plan.fresh, self.stat_keys)
        write_manifest(self.out_dir, {**self.base, "state": "running", "items": fresh})
        delete_results(self.out_dir, self.plan.delete)
        write_manifest(
            self.out_dir,
            {**self.base, "state": "running", "items": fresh, "in_progress": self.stamp.to_dict()},
        )

    def finish(self, statuses: Mapping[str, str], record: Mapping[str, Any]) -> None:
        """Write the final manifest, last: ``record`` (run facts, stats, corpus counts) plus
        the corpus files' hashes and a vouch for every result in ``statuses``."""
        write_manifest(
            self.out_dir,
            {
                **self.base,
                "state": "finished",
                **record,
                "corpus_hashes": file_hashes(self.out_dir),
                "items": vouch(self.hashes, statuses, self.stat_keys),
            },
        )


# ---------------------------------------------------------------- lock


class LockedError(RuntimeError):
    """Another live run holds the output folder."""


def _proc_start(pid: int) -> str | None:
    """Start time of a process (Linux ``/proc``), to tell a live pid from a reused one."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # Field 22 (starttime) counted after the ")" that closes the command name.
    return stat.rsplit(")", 1)[1].split()[19]


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass(slots=True)
class OutputLock:
    """A lock file in the output folder holding pid, host and process start time.

    A second run on the same folder is refused with one clear line; a lock left by a process
    that is gone (same host, dead pid or pid reused by another process) is taken over.
    """

    out_dir: Path
    held: bool = False

    @property
    def path(self) -> Path:
        return self.out_dir / LOCK

    def acquire(self) -> OutputLock:
        self.out_dir.mkdir(parents=True, exist_ok=True)
        me = {"pid": os.getpid(), "host": socket.gethostname(), "start": _proc_start(os.getpid())}
        for _ in range(3):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                holder = lock_holder(self.out_dir)
                if holder is not None:
                    raise LockedError(
                        f"{self.out_dir} is in use by another mtclean run "
                        f"(pid {holder.get('pid')} on {holder.get('host')}); wait for it, or "
                        f"delete {self.path} if that run is gone"
                    ) from None
                self.path.unlink(missing_ok=True)  # stale: its process is gone
                continue
            with os.fdopen(fd, "w") as fh:
                fh.write(json.dumps(me) + "\n")
            self.held = True
            return self
        raise LockedError(f"could not take the lock {self.path}")

    def release(self) -> None:
        if self.held:
            self.path.unlink(missing_ok=True)
            self.held = False

    def __enter__(self) -> OutputLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def lock_holder(out_dir: Path) -> dict[str, Any] | None:
    """The live holder of the output folder's lock, or ``None`` (no lock, or a stale one)."""
    try:
        holder = json.loads((out_dir / LOCK).read_text())
        pid = int(holder["pid"])
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        # Empty or torn: either being written right now (young file: respect it) or left by a
        # process killed between create and write (old: stale).
        try:
            age = time.time() - (out_dir / LOCK).stat().st_mtime
        except OSError:
            return None
        return {"pid": "?", "host": "?"} if age < 5 else None
    if holder.get("host") != socket.gethostname():
        return holder  # cannot check a pid on another machine: assume it is alive
    if pid == os.getpid() or not _pid_alive(pid):
        return None if pid != os.getpid() else holder
    start = holder.get("start")
    if start is not None and _proc_start(pid) not in (None, start):
        return None  # the pid now belongs to another process
    return holder
