"""Faults and reruns through the real ``mtclean run`` (issue 19): a subprocess per run,
Prefect in ephemeral mode, real files; strace where a system call is the evidence."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

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
