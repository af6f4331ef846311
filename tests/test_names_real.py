"""Real dev sentences that open with a name keep it (issue #17).

The sentences are read at test time from ../shared/data (dev files only: FLORES dev,
TICO-19, Tatoeba, WMT21's references and MT outputs) by ``bench/repair.py``'s
``real_openings``; ``bench/repair.py --names real`` prints the same figures per source.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from cleaners.repair import repair

ROOT = Path(__file__).resolve().parents[1]


def _bench():
    spec = importlib.util.spec_from_file_location("bench_repair", ROOT / "bench" / "repair.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_dev_sentence_that_opens_with_a_name_keeps_it() -> None:
    bench = _bench()
    if not (bench.DATA / "flores200" / "dev.eng_Latn.txt").exists():
        # (the folder the bench reads: $MTCLEAN_DATA, else ../shared/data)
        pytest.skip(f"no shared dev data at {bench.DATA}")
    sources = bench.real_openings()
    found = {label: len(pairs) for label, pairs in sources}
    assert all(found.values()), found  # each source holds such sentences
    changed = [
        (label, name, s)
        for label, pairs in sources
        for s, name in pairs
        if name.lower() not in repair(s, "en").text.lower()
    ]
    assert changed == []
