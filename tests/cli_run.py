"""The ``mtclean`` command line run as a user runs it: a fresh interpreter per call, from the
project's root (tests/ is on sys.path, so test modules import this one by name)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def mtclean(
    *args: str, env: dict[str, str] | None = None, stdin: str | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """``mtclean ARGS`` with ``stdin`` as its input (``env``: None inherits this process's)."""
    return subprocess.run(
        [sys.executable, "-m", "flows.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=ROOT,
        timeout=timeout,
    )
