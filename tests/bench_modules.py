"""Benchmark scripts as modules, for the tests that reuse a bench's data reader or builder.

``bench/`` is not a package (its scripts run as ``python bench/x.py``), so a test loads one by
its path; this is the one place that does it.
"""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

BENCH = Path(__file__).resolve().parents[1] / "bench"


@cache
def load_bench(name: str) -> ModuleType:
    """``bench/<name>.py`` imported once as module ``bench_<name>`` (registered in
    ``sys.modules`` first, as an import does: its dataclasses look their module up there)."""
    path = BENCH / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"bench_{name}", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[spec.name]
        raise
    return module
