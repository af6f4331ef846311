"""Manifest planning and the output lock (pure; the flow tests cover them end to end)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from cleaners import manifest as mf

S = mf.Stamp("cfg", "code")


def _write(out: Path, doc_id: str, status: str, raw_hash: str) -> None:
    from cleaners.model import Document, Quarantined

    if status == "done":
        record = Document(doc_id, [f"{doc_id}.en.txt"], raw_hash).to_dict()
    else:
        record = Quarantined(doc_id, [f"{doc_id}.en.txt"], raw_hash, "empty").to_dict()
    mf.write_result(out, doc_id, status, record)


def _manifest(items: dict[str, tuple[str, str]], stamp: mf.Stamp = S, **extra: object) -> dict:
    return {
        **stamp.to_dict(),
        "items": {i: {"hash": h, "status": s} for i, (h, s) in items.items()},
        **extra,
    }


def test_fresh_changed_new_and_removed(tmp_path: Path) -> None:
    for i, h in (("a", "1"), ("b", "2"), ("gone", "9")):
        _write(tmp_path, i, "done", h)
    m = _manifest({"a": ("1", "done"), "b": ("2", "done"), "gone": ("9", "done")})
    plan = mf.make_plan({"a": "1", "b": "2-changed", "c": "3"}, m, mf.scan_results(tmp_path), S)
    assert plan.fresh == {"a": "done"}
    assert plan.work == ["b", "c"]
    assert plan.removed == ["gone"]
    assert sorted(plan.delete) == [("b", "done"), ("gone", "done")]


def test_config_or_code_change_redoes_everything(tmp_path: Path) -> None:
    _write(tmp_path, "a", "done", "1")
    m = _manifest({"a": ("1", "done")})
    for stamp in (mf.Stamp("other-cfg", "code"), mf.Stamp("cfg", "other-code")):
        plan = mf.make_plan({"a": "1"}, m, mf.scan_results(tmp_path), stamp, tmp_path)
        assert plan.work == ["a"] and plan.delete == [("a", "done")]


def test_resume_trusts_unvouched_results_only_under_the_same_stamp(tmp_path: Path) -> None:
    # A killed run under stamp S wrote "b" but never got to vouch for it in the manifest.
    _write(tmp_path, "a", "done", "1")
    _write(tmp_path, "b", "quarantined", "2")
    m = _manifest({"a": ("1", "done")}, in_progress=S.to_dict())
    plan = mf.make_plan({"a": "1", "b": "2"}, m, mf.scan_results(tmp_path), S, tmp_path)
    assert plan.fresh == {"a": "done", "b": "quarantined"} and plan.resumed == ["b"]
    # Same files, but the interrupted run had another stamp: "b" is stale.
    m_other = _manifest({"a": ("1", "done")}, in_progress=mf.Stamp("x", "y").to_dict())
    plan = mf.make_plan({"a": "1", "b": "2"}, m_other, mf.scan_results(tmp_path), S, tmp_path)
    assert plan.work == ["b"] and plan.resumed == []
    # No in_progress at all (killed between the two manifest writes): nothing unvouched kept.
    plan = mf.make_plan(
        {"a": "1", "b": "2"},
        _manifest({"a": ("1", "done")}),
        {"a": ["done"], "b": ["quarantined"]},
        S,
        tmp_path,
    )
    assert plan.work == ["b"]


def test_resume_rejects_result_of_other_input_bytes(tmp_path: Path) -> None:
    _write(tmp_path, "b", "done", "old-bytes")
    m = _manifest({}, in_progress=S.to_dict())
    plan = mf.make_plan({"b": "new-bytes"}, m, mf.scan_results(tmp_path), S, tmp_path)
    assert plan.work == ["b"] and plan.delete == [("b", "done")]


def test_both_kinds_present_is_redone(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "quarantine").mkdir()
    (tmp_path / "docs" / "a.json").write_text(json.dumps({"raw_hash": "1"}))
    (tmp_path / "quarantine" / "a.json").write_text(json.dumps({"raw_hash": "1"}))
    m = _manifest({"a": ("1", "done")}, in_progress=S.to_dict())
    plan = mf.make_plan({"a": "1"}, m, mf.scan_results(tmp_path), S, tmp_path)
    assert plan.work == ["a"] and len(plan.delete) == 2


def test_write_result_replaces_the_other_kind(tmp_path: Path) -> None:
    _write(tmp_path, "a", "quarantined", "1")
    _write(tmp_path, "a", "done", "1")
    assert mf.scan_results(tmp_path) == {"a": ["done"]}


def test_tmp_leftovers_are_ignored_and_removed(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / ".a.json.x1y2_3z4.tmp").write_text("{half")
    (tmp_path / ".corpus.tsv.abcdefgh.tmp").write_text("half")
    # Not mtclean's: another id's temp name, a user's own .tmp files.
    users = [tmp_path / "docs" / ".b.json.x1y2_3z4.tmp", tmp_path / ".notes.tmp"]
    users.append(tmp_path / "docs" / ".draft.tmp")
    for p in users:
        p.write_text("mine")
    assert mf.scan_results(tmp_path) == {}
    assert mf.remove_tmp_files(tmp_path, ["a"]) == 2
    assert sorted((tmp_path / "docs").iterdir()) == sorted(users[0::2])
    assert all(p.read_text() == "mine" for p in users)


def test_manifest_roundtrip_and_garbage(tmp_path: Path) -> None:
    assert mf.read_manifest(tmp_path) == {}
    mf.write_manifest(tmp_path, {**S.to_dict(), "items": {}})
    assert mf.Stamp.from_dict(mf.read_manifest(tmp_path)) == S
    (tmp_path / mf.MANIFEST).write_text("{not json")
    assert mf.read_manifest(tmp_path) == {}


def test_code_version_tracks_package_files() -> None:
    v = mf.code_version()
    assert v.startswith("0.") and "+" in v and v == mf.code_version()


# ---------------------------------------------------------------- lock


_HOLD = """
import sys, time
from pathlib import Path
from cleaners import manifest as mf
lock = mf.OutputLock(Path(sys.argv[1])).acquire()
print("held", flush=True)
time.sleep(float(sys.argv[2]))
"""


def _holding(out: Path, seconds: float = 30) -> subprocess.Popen:
    """Another process holding the lock of ``out`` (until killed or ``seconds`` pass)."""
    child = subprocess.Popen(
        [sys.executable, "-c", _HOLD, str(out), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None and child.stdout.readline() == "held\n"
    return child


def test_lock_refuses_a_second_holder(tmp_path: Path) -> None:
    with mf.OutputLock(tmp_path):
        holder = mf.lock_holder(tmp_path)
        assert holder and holder["pid"] == os.getpid() and holder["host"] == socket.gethostname()
        with mf.OutputLock(tmp_path):  # the flow inside the CLI's lock: nested, same holder
            pass
        assert (tmp_path / mf.LOCK).exists()
    assert not (tmp_path / mf.LOCK).exists()
    child = _holding(tmp_path)
    try:
        assert mf.lock_holder(tmp_path)["pid"] == child.pid  # type: ignore[index]
        with pytest.raises(
            mf.LockedError, match=f"in use by another mtclean run \\(pid {child.pid}"
        ):
            mf.OutputLock(tmp_path).acquire()
    finally:
        child.kill()
        child.wait()
    # kill -9 dropped its flock: the lock is free at once, whatever the file says.
    assert mf.lock_holder(tmp_path) is None
    with mf.OutputLock(tmp_path) as lock:
        assert lock.held


_RACE = """
import os, random, sys, time
from pathlib import Path
from cleaners import manifest as mf
out, marker, until = Path(sys.argv[1]), Path(sys.argv[2]), float(sys.argv[3])
rng = random.Random(os.getpid())
wins = 0
while time.time() < until:
    lock = mf.OutputLock(out)
    try:
        lock.acquire()
    except mf.LockedError:
        continue
    wins += 1
    try:  # while we hold the lock nobody else may: an O_EXCL marker proves it
        os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        print("TWO WINNERS", flush=True)
        os._exit(1)
    time.sleep(rng.random() / 500)
    marker.unlink()
    if rng.random() < 0.2:  # die holding it, as kill -9 would: a stale lock for the others
        print(wins, flush=True)
        os._exit(0)
    lock.release()
print(wins, flush=True)
"""


def test_lock_is_never_held_twice_under_churn_and_stale_takeovers(tmp_path: Path) -> None:
    import time

    until = time.time() + 6
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _RACE, str(tmp_path), str(tmp_path / "marker"), str(until)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(12)
    ]
    # Reap each as it exits (a dead holder is then gone, not a zombie).
    with ThreadPoolExecutor(len(procs)) as pool:
        outcomes = list(pool.map(lambda p: p.communicate(timeout=120)[0].strip(), procs))
    assert not any("TWO" in o for o in outcomes), outcomes
    assert sum(int(o) for o in outcomes) > 20  # the lock did change hands, often


def test_lock_of_a_live_other_process_is_respected(tmp_path: Path) -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        (tmp_path / mf.LOCK).write_text(
            json.dumps({"pid": child.pid, "host": socket.gethostname(), "start": None})
        )
        with pytest.raises(mf.LockedError, match=f"pid {child.pid}"):
            mf.OutputLock(tmp_path).acquire()
    finally:
        child.kill()
        child.wait()
    # Now that process is gone: its lock is stale and taken over.
    with mf.OutputLock(tmp_path) as lock:
        assert lock.held


def test_lock_with_reused_pid_is_stale(tmp_path: Path) -> None:
    # Our own parent is alive but started at another time than the lock records.
    (tmp_path / mf.LOCK).write_text(
        json.dumps({"pid": os.getppid(), "host": socket.gethostname(), "start": "1"})
    )
    assert mf.lock_holder(tmp_path) is None


def test_lock_on_another_host_is_respected(tmp_path: Path) -> None:
    (tmp_path / mf.LOCK).write_text(json.dumps({"pid": 1, "host": "elsewhere", "start": None}))
    with pytest.raises(mf.LockedError, match="elsewhere"):
        mf.OutputLock(tmp_path).acquire()


def test_torn_lock_file_is_free(tmp_path: Path) -> None:
    (tmp_path / mf.LOCK).write_text("")  # nobody holds its flock: free, however young
    assert mf.lock_holder(tmp_path) is None
    with mf.OutputLock(tmp_path) as lock:
        assert lock.held


# ---------------------------------------------------------------- input hashes


def test_hash_inputs_rereads_only_changed_files(tmp_path: Path) -> None:
    from cleaners.config import InputConfig
    from cleaners.readers import discover, item_hash

    src = tmp_path / "in"
    src.mkdir()
    for name in ("a", "b"):
        (src / f"{name}.en.txt").write_text(f"text {name}\n")
        os.utime(src / f"{name}.en.txt", ns=(10**18, 10**18))  # long before "now"
    items = discover(src, InputConfig())
    calls: list[str] = []

    def counting(d: Path, item: object) -> str:
        calls.append(item.id)  # type: ignore[attr-defined]
        return item_hash(d, item)  # type: ignore[arg-type]

    now = 2 * 10**18
    hashes, stats = mf.hash_inputs(src, items, {}, counting, now)
    assert sorted(calls) == ["a", "b"] and set(stats) == {"a", "b"}
    m = {"hashed_at_ns": now, "items": mf.vouch(hashes, {"a": "done", "b": "done"}, stats)}
    calls.clear()
    assert mf.hash_inputs(src, items, m, counting, now + 1)[0] == hashes and calls == []
    # Edit b: new mtime → re-read, new hash.
    (src / "b.en.txt").write_text("text B, edited\n")
    os.utime(src / "b.en.txt", ns=(10**18 + 5, 10**18 + 5))
    items = discover(src, InputConfig())
    h2, _ = mf.hash_inputs(src, items, m, counting, now + 1)
    assert calls == ["b"] and h2["b"] != hashes["b"] and h2["a"] == hashes["a"]
    # A file touched within the racy window of the previous look is re-read, not trusted.
    racy = {**m, "hashed_at_ns": 10**18 + 1}
    calls.clear()
    mf.hash_inputs(src, discover(src, InputConfig()), racy, counting, now + 2)
    assert "a" in calls


# ---------------------------------------------------------------- the run ledger


def test_run_ledger_begin_finish_and_an_unchanged_rerun(tmp_path: Path) -> None:
    from cleaners.config import InputConfig
    from cleaners.readers import discover, item_hash

    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    out.mkdir()
    for name in ("a", "b"):
        (src / f"{name}.en.txt").write_text(f"text {name}\n")
        os.utime(src / f"{name}.en.txt", ns=(10**18, 10**18))  # long before "now"
    items = discover(src, InputConfig())
    _write(out, "stale", "done", "0")  # a result whose input is gone
    calls: list[str] = []

    def counting(d: Path, item: object) -> str:
        calls.append(item.id)  # type: ignore[attr-defined]
        return item_hash(d, item)  # type: ignore[arg-type]

    ledger = mf.RunLedger.begin(src, out, items, S, counting, now_ns=2 * 10**18)
    assert not ledger.unchanged and ledger.plan.work == ["a", "b"] and sorted(calls) == ["a", "b"]
    # begin deleted what is not vouched for and declared the run in progress.
    assert mf.scan_results(out) == {} and mf.read_manifest(out)["in_progress"] == S.to_dict()
    for i in ("a", "b"):
        _write(out, i, "done", ledger.hashes[i])
    ledger.finish({"a": "done", "b": "done"}, {}, {"stats": {}})
    m = mf.read_manifest(out)
    assert m["state"] == "finished" and m["corpus_hashes"] == mf.file_hashes(out)
    # The final manifest keeps each input's stat key: the next run re-reads nothing.
    assert all(m["items"][i]["stat"] for i in ("a", "b"))
    calls.clear()
    again = mf.RunLedger.begin(src, out, items, S, counting, now_ns=2 * 10**18 + 1)
    assert again.unchanged and calls == [] and again.plan.fresh == {"a": "done", "b": "done"}
    assert mf.read_manifest(out) == m  # an unchanged run writes nothing in begin


@pytest.mark.parametrize("name", ["corpus.tsv", "corpus.rejected.tsv", "corpus.rejected.jsonl"])
def test_a_deleted_corpus_file_makes_the_rerun_rewrite_it(tmp_path: Path, name: str) -> None:
    src, out, items = _inputs(tmp_path)
    from cleaners.readers import item_hash

    # As a run with no rows writes them.
    _finished_run(src, out, items, dict.fromkeys(("corpus.tsv", *mf.CORPUS_FILES[-2:]), ""))
    assert mf.RunLedger.begin(src, out, items, S, item_hash).unchanged
    (out / name).unlink()
    assert not mf.RunLedger.begin(src, out, items, S, item_hash).unchanged


# ---------------------------------------------------------------- what mtclean owns (#19)


def _inputs(tmp_path: Path, names: tuple[str, ...] = ("a", "b")) -> tuple[Path, Path, list]:
    from cleaners.config import InputConfig
    from cleaners.readers import discover

    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    out.mkdir()
    for name in names:
        (src / f"{name}.en.txt").write_text(f"text {name}\n")
    return src, out, discover(src, InputConfig())


def _finished_run(
    src: Path, out: Path, items: list, written: dict[str, str] | None = None
) -> mf.RunLedger:
    """A run: begin, the results and the ``written`` output files (name → text), finish."""
    from cleaners.readers import item_hash

    ledger = mf.RunLedger.begin(src, out, items, S, item_hash)
    for i in ledger.plan.work:
        _write(out, i, "done", ledger.hashes[i])
    for name, text in (written or {}).items():
        (out / name).write_text(text)
    ledger.finish({i: "done" for i in ledger.hashes}, {}, {"stats": {}})
    return ledger


def test_rejected_files_are_outputs_a_deleted_one_reruns(tmp_path: Path) -> None:
    """corpus.rejected.* are hashed like the corpus: deleting one makes the next run redo
    the run-wide files instead of calling the folder unchanged."""
    from cleaners import writers

    assert mf.CORPUS_FILES == writers.CORPUS_FILES + writers.REJECTED_FILES
    src, out, items = _inputs(tmp_path)
    _finished_run(src, out, items, {name: f"{name}\n" for name in mf.CORPUS_FILES})
    assert mf.read_manifest(out)["corpus_hashes"]["corpus.rejected.tsv"] is not None
    assert mf.RunLedger.begin(src, out, items, S, _item_hash).unchanged
    (out / "corpus.rejected.jsonl").unlink()
    assert not mf.RunLedger.begin(src, out, items, S, _item_hash).unchanged


def _item_hash(d: Path, item: object) -> str:
    from cleaners.readers import item_hash

    return item_hash(d, item)  # type: ignore[arg-type]


def test_user_files_in_the_output_folder_are_never_deleted(tmp_path: Path) -> None:
    src, out, items = _inputs(tmp_path)
    _finished_run(src, out, items)
    user = {out / "docs" / "notes.json": "{}", out / "quarantine" / "mine.json": "[1]"}
    user[out / "docs" / ".keep.tmp"] = "x"
    (out / "quarantine").mkdir()
    for p, text in user.items():
        p.write_text(text)
    (src / "b.en.txt").unlink()  # b's result goes: it is ours
    from cleaners.config import InputConfig
    from cleaners.readers import discover, item_hash

    ledger = mf.RunLedger.begin(src, out, discover(src, InputConfig()), S, item_hash)
    assert ledger.plan.removed == ["b"] and not (out / "docs" / "b.json").exists()
    assert all(p.read_text() == text for p, text in user.items())


def test_a_user_file_where_a_result_goes_is_refused(tmp_path: Path) -> None:
    from cleaners.readers import item_hash

    src, out, items = _inputs(tmp_path)
    (out / "docs").mkdir()
    (out / "docs" / "a.json").write_text('{"mine": true}')
    with pytest.raises(mf.OutputError, match=r"did not write.*docs/a\.json"):
        mf.RunLedger.begin(src, out, items, S, item_hash)
    assert (out / "docs" / "a.json").read_text() == '{"mine": true}'
    assert not (out / mf.MANIFEST).exists()  # refused before any write


def test_a_fresh_output_folder_holding_the_users_files_where_outputs_go_is_refused(
    tmp_path: Path,
) -> None:
    """An output folder mtclean had not written to, holding the user's report.md,
    text/notes.en.txt and report/index.html: the run wrote over the first and deleted the
    others as stale pages. Now refused (exit 4 in the CLI), nothing touched; a file of another
    name is no reason to refuse, and once mtclean's own run is there, its folders are its."""
    from cleaners.readers import item_hash

    src, out, items = _inputs(tmp_path)
    (out / "text").mkdir()
    (out / "report").mkdir()
    user = {"report.md": "mine", "text/notes.en.txt": "mine", "report/index.html": "mine"}
    for name, text in user.items():
        (out / name).write_text(text)
    (out / "notes.txt").write_text("mine")
    with pytest.raises(mf.OutputError, match=r"did not write.*report\.md, text/notes\.en\.txt"):
        mf.RunLedger.begin(src, out, items, S, item_hash)
    assert all((out / name).read_text() == text for name, text in user.items())
    assert not (out / mf.MANIFEST).exists()  # refused before any write
    # Negative: only a file of another name there; then mtclean's own outputs are its own.
    for name in user:
        (out / name).unlink()
    _finished_run(src, out, items, {"report.md": "# mtclean run report\n"})
    (out / "text" / "a.en.txt").write_text("text a\n")
    assert mf.RunLedger.begin(src, out, items, S, item_hash).unchanged
    assert (out / "notes.txt").read_text() == "mine"


def test_our_results_are_recognised_without_a_manifest(tmp_path: Path) -> None:
    from cleaners.readers import item_hash

    src, out, items = _inputs(tmp_path)
    _finished_run(src, out, items)
    (out / mf.MANIFEST).write_text('{"format": 1, "items": {"a": {"hash": 5}}}')
    ledger = mf.RunLedger.begin(src, out, items, S, item_hash)
    assert ledger.plan.work == ["a", "b"] and "does not validate" in ledger.warnings[0]


@pytest.mark.parametrize(
    "damage",
    ["truncate", "other-id", "other-hash", "folder"],
)
def test_a_damaged_result_is_redone_or_refused_never_trusted(tmp_path: Path, damage: str) -> None:
    from cleaners.readers import item_hash

    src, out, items = _inputs(tmp_path)
    _finished_run(src, out, items)
    path = out / "docs" / "a.json"
    record = json.loads(path.read_text())
    if damage == "truncate":
        path.write_text(path.read_text()[:20])
    elif damage == "other-id":
        path.write_text((out / "docs" / "b.json").read_text())
    elif damage == "other-hash":
        path.write_text(json.dumps({**record, "raw_hash": "0" * 64}))
    else:
        path.unlink()
        path.mkdir()
        (path / "x").write_text("a user's folder")
        with pytest.raises(mf.OutputError, match="docs/a.json"):
            mf.RunLedger.begin(src, out, items, S, item_hash)
        return
    ledger = mf.RunLedger.begin(src, out, items, S, item_hash)
    assert ledger.plan.work == ["a"] and ledger.plan.invalid == ["a"]
    assert "redone: a" in ledger.warnings[0] and not path.exists()


def test_manifest_of_wrong_types_is_absent_with_a_reason(tmp_path: Path) -> None:
    for text in ('{"format": 1, "items": []}', '{"format": 1, "hashed_at_ns": "x"}', "[1]"):
        (tmp_path / mf.MANIFEST).write_text(text)
        m, problem = mf.load_manifest(tmp_path)
        assert m == {} and problem and "treated as absent" in problem
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / mf.MANIFEST).unlink()
    (tmp_path / mf.MANIFEST).symlink_to(tmp_path / "fifo")  # never followed, never blocks
    assert mf.load_manifest(tmp_path)[0] == {}


def test_a_lease_is_alive_while_its_holder_is(tmp_path: Path) -> None:
    me = mf.lease()
    assert mf.holder_alive(tmp_path, me)
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    gone = {**me, "pid": child.pid, "start": mf._proc_start(child.pid)}
    assert mf.holder_alive(tmp_path, gone)
    child.kill()
    child.wait()
    assert not mf.holder_alive(tmp_path, gone)
    assert not mf.holder_alive(tmp_path, {**me, "start": "1"})  # pid reused by another process
    # On another host only the lock file can tell: still naming the holder, or not.
    remote = {"pid": 1, "host": "elsewhere", "start": "5"}
    (tmp_path / mf.LOCK).write_text(json.dumps(remote))
    assert mf.holder_alive(tmp_path, remote)
    (tmp_path / mf.LOCK).write_text(json.dumps({**remote, "pid": 2}))
    assert not mf.holder_alive(tmp_path, remote)


def test_another_input_folder_into_the_same_output_says_what_it_drops(tmp_path: Path) -> None:
    """`run inA --out out` then `run inB --out out` dropped inA's results with only "1 removed"
    in the summary. The warning now names both folders and the documents dropped; the same
    documents from a moved (renamed) folder drop nothing and say nothing."""
    import shutil

    from cleaners.config import InputConfig
    from cleaners.readers import discover, item_hash

    src, out, items = _inputs(tmp_path, ("a", "b"))
    _finished_run(src, out, items)
    other = tmp_path / "other"
    other.mkdir()
    (other / "c.en.txt").write_text("text c\n")
    ledger = mf.RunLedger.begin(other, out, discover(other, InputConfig()), S, item_hash)
    assert ledger.plan.removed == ["a", "b"]
    assert ledger.warnings == [
        f"{out} was built from {src}, this run reads {other}: the results of 2 document(s) "
        "not in it are dropped (a, b); give each input folder its own --out to keep both"
    ]
    # Negative: the first folder moved elsewhere, the same documents: nothing dropped or said.
    out2 = tmp_path / "out2"
    out2.mkdir()
    _finished_run(src, out2, items)
    moved = tmp_path / "moved"
    shutil.move(src, moved)
    again = mf.RunLedger.begin(moved, out2, discover(moved, InputConfig()), S, item_hash)
    assert again.plan.removed == [] and again.warnings == []
