"""Faults and reruns through the real ``mtclean run`` (issue 19): a subprocess per run,
Prefect in ephemeral mode, real files; strace where a system call is the evidence."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from flows import DASK_HINT

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "corpora" / "sample"
OLD = (1_000_000_000, 1_000_000_000)  # an mtime long before any run (outside the racy window)


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    env = {
        **os.environ,
        "PREFECT_HOME": str(tmp_path_factory.mktemp("prefect-home")),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "PYTHONIOENCODING": "utf-8",
    }
    env.pop("PREFECT_API_URL", None)
    return env


def cli(*args: str, env: dict[str, str], prefix: tuple[str, ...] = (), timeout: float = 300):
    return subprocess.run(
        [*prefix, sys.executable, "-m", "flows.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=timeout,
    )


def text_inputs(dst: Path) -> Path:
    """The sample's text files (no JSONL: listing a JSONL file reads it), dated long ago."""
    dst.mkdir()
    for p in sorted(SAMPLE.glob("*.txt")):
        shutil.copy(p, dst / p.name)
        os.utime(dst / p.name, ns=OLD)
    return dst


# ---------------------------------------------------------------- rerun keys (item 8)


def test_unchanged_rerun_reads_no_input(tmp_path: Path, env: dict[str, str]) -> None:
    strace = shutil.which("strace")
    if strace is None:
        pytest.skip("strace is not installed (apt-get install strace)")
    src, out, log = text_inputs(tmp_path / "in"), tmp_path / "out", tmp_path / "trace"
    assert cli("run", str(src), "--out", str(out), "--no-progress", env=env).returncode == 0
    prefix = (strace, "-f", "-qq", "-y", "-e", "trace=openat,read", "-o", str(log))
    r = cli("run", str(src), "--out", str(out), "--no-progress", env=env, prefix=prefix)
    assert r.returncode == 0 and "0 processed" in r.stderr, r.stderr
    trace = log.read_text(errors="replace").splitlines()
    names = sorted(p.name for p in src.iterdir())
    reads = [t for t in trace if re.search(r"\bread\(\d+<" + re.escape(str(src)) + "/", t)]
    assert reads == []  # listing may look at a file; an unchanged one is never read
    for name in names:
        opens = [t for t in trace if "openat(" in t and f"{src}/{name}" in t]
        assert len(opens) <= 1, (name, opens)


# ---------------------------------------------------------------- kills and signals (item 4)


def many_inputs(dst: Path, copies: int = 30) -> Path:
    """~200 documents (the sample's text files under many names): seconds of processing."""
    dst.mkdir()
    for n in range(copies):
        for p in sorted(SAMPLE.glob("*.txt")):
            shutil.copy(p, dst / f"c{n:02d}-{p.name}")
    return dst


def descendants(pid: int) -> set[tuple[int, str]]:
    """``(pid, start time)`` of every live descendant of ``pid``."""
    parent: dict[int, int] = {}
    start: dict[int, str] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                fields = Path(f"/proc/{name}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] not in ("Z", "X"):
                parent[int(name)], start[int(name)] = int(fields[1]), fields[19]
    found: set[tuple[int, str]] = set()
    frontier = [pid]
    while frontier:
        p = frontier.pop()
        for child, ppid in parent.items():
            if ppid == p and (child, start[child]) not in found:
                found.add((child, start[child]))
                frontier.append(child)
    return found


def alive(procs: set[tuple[int, str]]) -> set[tuple[int, str]]:
    left = set()
    for pid, start in procs:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[19] == start and fields[0] not in ("Z", "X"):
            left.add((pid, start))
    return left


def start_run(src: Path, out: Path, env: dict[str, str], *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "run", str(src), "--out", str(out), "--no-progress",
         "--batch-size", "5", *extra],
        env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )  # fmt: skip


def wait_for_results(out: Path, proc: subprocess.Popen, n: int = 5) -> None:
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and proc.poll() is None:
        got = sum(
            len(list((out / d).glob("*.json")))
            for d in ("docs", "quarantine")
            if (out / d).is_dir()
        )
        if got >= n:
            return
        time.sleep(0.02)
    raise AssertionError(f"no {n} results before the run ended: {proc.poll()}")


def gone_within(procs: set[tuple[int, str]], seconds: float) -> set[tuple[int, str]]:
    deadline = time.monotonic() + seconds
    while alive(procs) and time.monotonic() < deadline:
        time.sleep(0.1)
    return alive(procs)


def finish(src: Path, out: Path, env: dict[str, str]) -> None:
    """The run, started again, finishes the job (resumable)."""
    r = cli("run", str(src), "--out", str(out), "--no-progress", env=env)
    assert r.returncode == 0, r.stderr
    n = len(list(src.glob("*.en.txt"))) + len(list(src.glob("*.ru.txt")))
    assert "resumed" in r.stderr and n > 0


@pytest.mark.parametrize("pool", ["threads", "processes"])
def test_kill_9_of_the_main_pid_leaves_no_process(
    tmp_path: Path, env: dict[str, str], pool: str
) -> None:
    src, out = many_inputs(tmp_path / "in"), tmp_path / "out"
    cfg = tmp_path / "c.yaml"
    cfg.write_text(f"run:\n  pool: {pool}\n  max_workers: 2\n")
    proc = start_run(src, out, env, "--config", str(cfg))
    try:
        wait_for_results(out, proc)
        family = descendants(proc.pid)
        assert family  # at least Prefect's temporary server
        os.kill(proc.pid, signal.SIGKILL)  # the main pid only, as `kill -9 PID` does
        proc.wait(timeout=30)
        left = gone_within(family, 10)
        assert not left, f"left behind: {left}"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    finish(src, out, env)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_to_the_group_stops_the_run_in_seconds_with_one_line(
    tmp_path: Path, env: dict[str, str], sig: signal.Signals
) -> None:
    src, out = many_inputs(tmp_path / "in"), tmp_path / "out"
    proc = start_run(src, out, env)
    try:
        wait_for_results(out, proc)
        family = descendants(proc.pid)
        t0 = time.monotonic()
        os.killpg(proc.pid, sig)  # Ctrl-C in a terminal signals the whole group
        _, stderr = proc.communicate(timeout=30)
        took = time.monotonic() - t0
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    assert took < 5, took
    assert proc.returncode == 128 + sig
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and "run the same command again" in lines[0], stderr
    assert not gone_within(family, 10)
    finish(src, out, env)


# ---------------------------------------------------------------- what is ours, self-healing (3, 6)


def corpus(out: Path) -> dict[str, bytes]:
    names = ("corpus.tmx", "corpus.ru", "corpus.en", "corpus.tsv", "corpus.jsonl")
    return {n: (out / n).read_bytes() for n in names}


def test_user_files_in_the_output_folder_survive(tmp_path: Path, env: dict[str, str]) -> None:
    src, out = text_inputs(tmp_path / "in"), tmp_path / "out"
    assert cli("run", str(src), "--out", str(out), "--no-progress", env=env).returncode == 0
    user = {
        out / "docs" / "notes.json": '{"mine": 1}',
        out / "quarantine" / "todo.json": "[]",
        out / "docs" / ".draft.tmp": "draft",
        out / ".backup.tmp": "backup",
    }
    (out / "quarantine").mkdir(exist_ok=True)
    for path, text in user.items():
        path.write_text(text)
    (src / "exchange-close.en.txt").unlink()  # its result goes (ours)
    cfg = tmp_path / "c.yaml"
    cfg.write_text("align:\n  min_score: 0.1\n")  # another stamp: every result is redone
    r = cli("run", str(src), "--out", str(out), "--no-progress", "--config", str(cfg), env=env)
    assert r.returncode == 0, r.stderr
    assert not (out / "docs" / "exchange-close.json").exists()
    assert {p: p.read_text() for p in user} == user


def test_a_users_file_where_a_result_goes_is_refused_with_one_line(
    tmp_path: Path, env: dict[str, str]
) -> None:
    src, out = text_inputs(tmp_path / "in"), tmp_path / "out"
    (out / "docs").mkdir(parents=True)
    (out / "docs" / "exchange-close.json").write_text('{"mine": 1}')
    r = cli("run", str(src), "--out", str(out), "--no-progress", env=env)
    assert r.returncode == 4, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "docs/exchange-close.json" in lines[0], r.stderr
    assert (out / "docs" / "exchange-close.json").read_text() == '{"mine": 1}'


@pytest.mark.parametrize("damage", ["manifest-types", "truncated-doc", "other-doc", "doc-folder"])
def test_damaged_state_heals_on_the_next_run(
    tmp_path: Path, env: dict[str, str], damage: str
) -> None:
    src, out = text_inputs(tmp_path / "in"), tmp_path / "out"
    assert cli("run", str(src), "--out", str(out), "--no-progress", env=env).returncode == 0
    good = corpus(out)
    doc = out / "docs" / "bridge-opening.json"
    if damage == "manifest-types":
        (out / "manifest.json").write_text('{"format": 1, "items": {"a": 5}, "stats": []}')
    elif damage == "truncated-doc":
        doc.write_bytes(doc.read_bytes()[:100])
    elif damage == "other-doc":
        doc.write_bytes((out / "docs" / "volga-route.json").read_bytes())
    else:
        doc.unlink()
        doc.mkdir()
    r = cli("run", str(src), "--out", str(out), "--no-progress", env=env)
    if damage == "doc-folder":  # a folder is never ours to delete: one line, nothing touched
        assert r.returncode == 4 and len(r.stderr.strip().splitlines()) == 1, r.stderr
        assert doc.is_dir()
        return
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr and "redone" in r.stderr
    assert corpus(out) == good  # healed: the same corpus, no duplicate


# ---------------------------------------------------------------- scale-out survives loss (10)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_dask_worker_killed_mid_run_loses_nothing(tmp_path: Path, env: dict[str, str]) -> None:
    pytest.importorskip("prefect_dask", reason=f"needs prefect-dask ({DASK_HINT})")
    dask = Path(sys.executable).with_name("dask")
    if not dask.exists():
        pytest.skip(f"no dask command next to {sys.executable}")
    src, out, ref = many_inputs(tmp_path / "in", copies=12), tmp_path / "out", tmp_path / "ref"
    r = cli("run", str(src), "--out", str(ref), "--no-progress", env=env)
    assert r.returncode == 0, r.stderr
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    wenv = {**env, "PYTHONPATH": str(ROOT)}
    logs = tmp_path / "logs"
    logs.mkdir()

    def start(name: str, *args: str) -> subprocess.Popen:
        return subprocess.Popen(
            [str(dask), *args], env=wenv, cwd=ROOT, start_new_session=True,
            stdout=(logs / f"{name}.log").open("wb"), stderr=subprocess.STDOUT,
        )  # fmt: skip

    cluster = [start("scheduler", "scheduler", "--host", "127.0.0.1", "--port", str(port),
                     "--no-dashboard")]  # fmt: skip
    try:
        for n in range(2):
            cluster.append(start(f"worker{n}", "worker", address, "--nthreads", "1",
                                 "--no-dashboard", "--name", f"w{n}"))  # fmt: skip
        run = start_run(src, out, env, "--dask-address", address, "--batch-size", "2")
        try:
            wait_for_results(out, run, n=6)
            os.killpg(cluster[1].pid, signal.SIGKILL)  # one worker and its nanny, gone
            assert run.poll() is None  # mid-run: batches were still to do
            _, stderr = run.communicate(timeout=400)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(run.pid, signal.SIGKILL)
        assert run.returncode == 0, stderr
    finally:
        for proc in cluster:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
    assert corpus(out) == corpus(ref)


def test_workers_stop_writing_once_the_run_is_gone(tmp_path: Path, env: dict[str, str]) -> None:
    """An external Dask cluster outlives a `kill -9` of the run: its workers write nothing
    into the output folder after that (each write checks the lock holder first)."""
    pytest.importorskip("prefect_dask", reason=f"needs prefect-dask ({DASK_HINT})")
    dask = Path(sys.executable).with_name("dask")
    if not dask.exists():
        pytest.skip(f"no dask command next to {sys.executable}")
    src, out = many_inputs(tmp_path / "in", copies=20), tmp_path / "out"
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    wenv = {**env, "PYTHONPATH": str(ROOT)}
    cmds = [["scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"]]
    cmds += [["worker", address, "--nthreads", "1", "--no-dashboard"]] * 2
    cluster = [
        subprocess.Popen([str(dask), *c], env=wenv, cwd=ROOT, start_new_session=True,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for c in cmds
    ]  # fmt: skip
    try:
        run = start_run(src, out, env, "--dask-address", address, "--batch-size", "15")
        try:
            wait_for_results(out, run, n=4)
            os.kill(run.pid, signal.SIGKILL)
            run.wait(timeout=30)
            at_kill = {p.name for p in (out / "docs").iterdir()}
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(run.pid, signal.SIGKILL)
        time.sleep(10)  # the workers' running batches (15 documents each) would be done
        after = {p.name for p in (out / "docs").iterdir()}
    finally:
        for proc in cluster:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
    # At most the one document each worker was writing as the kill landed.
    assert len(after - at_kill) <= 2, sorted(after - at_kill)
