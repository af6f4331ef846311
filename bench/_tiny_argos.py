"""The project's tiny Argos package builder (tests/tiny_argos/build.py), loaded for benches.

tests/ is not a package, so it is loaded by path; one home so the benches that build or reuse
the tiny ru→en model load it the same way.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[1]


def builder() -> ModuleType:
    """tests/tiny_argos/build.py as a module (``ensure_package``, ``training_pairs``, ...)."""
    name = "tiny_argos_build"
    if name in sys.modules:
        return sys.modules[name]
    path = REPO / "tests" / "tiny_argos" / "build.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
