"""Real dev sentences that open with a name keep it (issue #17).

The sentences are read at test time from ../shared/data (dev files only: FLORES dev,
TICO-19, Tatoeba, WMT21's references and MT outputs) by ``bench/repair.py``'s
``real_openings``; ``bench/repair.py --names real`` prints the same figures per source.
"""

from __future__ import annotations

import pytest
from bench_modules import load_bench  # (tests/ is on sys.path)

from cleaners.repair import repair


def test_every_dev_sentence_that_opens_with_a_name_keeps_it() -> None:
    bench = load_bench("repair")
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
