"""The ``mtclean`` command line run as a user runs it: a fresh interpreter per call, from the
project's root (tests/ is on sys.path, so test modules import this one by name)."""

from __future__ import annotations

import os
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


def isolated_env(home: Path) -> dict[str, str]:
    """This process's environment with Prefect's home and the data folder (Argos packages)
    under ``home`` and no Argos package named by the environment: a run sees only what the
    test gives it."""
    env = {
        **os.environ,
        "PREFECT_HOME": str(home / "prefect"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "XDG_DATA_HOME": str(home / "xdg"),
    }
    env.pop("MTCLEAN_ARGOS_PACKAGE", None)
    env.pop("ARGOS_PACKAGES_DIR", None)
    return env
