"""kill -9 at any point, then rerun: the run finishes and the corpus is byte-identical.

Each run is ``mtclean run`` in its own process group; the kill is SIGKILL to the whole group
(the CLI and its ephemeral Prefect server), as when a machine's OOM killer or an operator
strikes. Kill points: mid-processing (some docs written), and after the last document (while
the corpus, reports or manifest are being written).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cleaners import manifest as mf

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "corpora" / "sample"
COPIES = 12


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return {
        **os.environ,
        "PREFECT_HOME": str(tmp_path_factory.mktemp("prefect-home")),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
    }


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """~80 documents: the sample's text files under many names (the project's own text)."""
    src = tmp_path_factory.mktemp("in")
    for n in range(COPIES):
        for p in sorted(SAMPLE.glob("*.txt")):
            shutil.copy(p, src / f"c{n:02d}-{p.name}")
    (src / "broken.en.txt").write_bytes(bytes(range(256)) * 8)
    return src


def _cmd(src: Path, out: Path) -> list[str]:
    # Small sequential batches: many points at which a kill lands mid-work.
    return [
        sys.executable,
        "-m",
        "flows.cli",
        "run",
        str(src),
        "--out",
        str(out),
        "--batch-size",
        "3",
        "--workers",
        "1",
        "--no-progress",
    ]


def run_to_end(src: Path, out: Path, env: dict[str, str]) -> dict:
    r = subprocess.run(
        _cmd(src, out), env=env, cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert r.returncode == 0, r.stderr
    return mf.read_manifest(out)


def run_and_kill(src: Path, out: Path, env: dict[str, str], min_docs: int) -> int:
    """Start a run; SIGKILL its process group once ``min_docs`` results exist. Returns their
    number at the kill."""
    proc = subprocess.Popen(
        _cmd(src, out),
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 300
    try:
        while time.monotonic() < deadline:
            n = sum(len(v) for v in mf.scan_results(out).values())
            if n >= min_docs or proc.poll() is not None:
                break
            time.sleep(0.005)
    finally:
        with_group_killed(proc)
    return n


def with_group_killed(proc: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


def snapshot(out: Path) -> dict[str, bytes]:
    files = {n: (out / n).read_bytes() for n in mf.CORPUS_FILES}
    for sub in ("docs", "quarantine"):
        files.update({f"{sub}/{p.name}": p.read_bytes() for p in (out / sub).iterdir()})
    return files


@pytest.mark.slow
def test_kill_9_then_rerun_gives_identical_outputs(
    inputs: Path, tmp_path: Path, env: dict[str, str]
) -> None:
    clean = tmp_path / "clean"
    run_to_end(inputs, clean, env)
    expected = snapshot(clean)
    total = len(mf.scan_results(clean))  # documents (a .ru/.en pair is one)

    # 1. Killed mid-processing: the rerun keeps what was finished and does the rest.
    out = tmp_path / "killed-mid"
    written = run_and_kill(inputs, out, env, min_docs=total // 3)
    assert 0 < written < total, f"kill landed outside processing ({written}/{total})"
    assert (out / mf.LOCK).exists()  # the dead run's lock is left behind ...
    m = run_to_end(inputs, out, env)  # ... and recovered
    assert m["run"]["resumed"] >= written - 3  # at most the batch in flight is redone
    assert m["run"]["processed"] + m["run"]["resumed"] == total
    assert snapshot(out) == expected

    # 2. Killed after the last document: while writing corpus, reports or manifest.
    out = tmp_path / "killed-late"
    run_and_kill(inputs, out, env, min_docs=total)
    m = run_to_end(inputs, out, env)
    assert m["run"]["processed"] == 0
    assert snapshot(out) == expected

    # 3. Killed twice in a row, the second time as early as possible.
    out = tmp_path / "killed-twice"
    run_and_kill(inputs, out, env, min_docs=total // 2)
    run_and_kill(inputs, out, env, min_docs=0)
    run_to_end(inputs, out, env)
    assert snapshot(out) == expected
    assert not list(out.rglob("*.tmp")), "no temp file left behind"
    report = json.loads((out / "report.json").read_text())
    assert report["run"]["inputs"] == total
