"""The benchmarks find the shared data through ``$MTCLEAN_DATA`` when it is not beside the repo.

A copy of a bench run from outside the repository looked only at ``<its parent>/shared/data``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_bench_that_reads_the_shared_data_honours_mtclean_data() -> None:
    readers = [p for p in sorted((ROOT / "bench").glob("*.py")) if '"shared"' in p.read_text()]
    assert len(readers) >= 5  # the scan sees the benches
    assert [p.name for p in readers if "MTCLEAN_DATA" not in p.read_text()] == []


def test_a_copy_of_the_align_bench_outside_the_repo_reads_mtclean_data(tmp_path: Path) -> None:
    copy = tmp_path / "elsewhere" / "bench" / "align.py"
    copy.parent.mkdir(parents=True)
    shutil.copy(ROOT / "bench" / "align.py", copy)
    data = tmp_path / "my-data"  # absent: the bench names it and stops before any work
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MTCLEAN_DATA": str(data)}
    done = subprocess.run(
        [sys.executable, str(copy)], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 1
    assert f"no data: {data} is missing" in done.stderr
