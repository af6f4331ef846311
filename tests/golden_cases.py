"""Golden cases of the repair rules: one JSON list per rule under ``tests/golden/<set>/``."""

from __future__ import annotations

import json
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent / "golden"


def load(folder: str) -> list[tuple[str, int, dict]]:
    """``(rule, index, case)`` for every case of ``tests/golden/<folder>/<rule>.json``."""
    out = []
    for path in sorted((GOLDEN / folder).glob("*.json")):
        for i, case in enumerate(json.loads(path.read_text(encoding="utf-8"))):
            out.append((path.stem, i, case))
    return out
