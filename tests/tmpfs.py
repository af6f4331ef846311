"""A small tmpfs of a test's own, for full-disk cases (tests/ is on sys.path, so test modules
import this one by name)."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


def small_tmpfs(tmp_path: Path, size: str) -> Iterator[Path]:
    """Mount a tmpfs of ``size`` (``1m``) under ``tmp_path``, yield it, unmount it afterwards;
    the test is skipped where that needs root or mounting fails."""
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a small tmpfs needs root")
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mnt)],
                       capture_output=True, text=True)  # fmt: skip
    if r.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {r.stderr.strip()}")
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)], check=False)
