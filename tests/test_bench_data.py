"""The benchmarks find the shared data through ``$MTCLEAN_DATA`` when it is not beside the repo.

A copy of a bench run from outside the repository looked only at ``<its parent>/shared/data``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

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


def test_a_bench_is_loaded_once_and_its_dataclasses_work() -> None:
    """Every test that reuses a bench loads it through ``bench_modules.load_bench``: once, and
    registered as a module (a bench's ``@dataclass`` under ``from __future__ import
    annotations`` fails to build when its module is executed unregistered)."""
    from bench_modules import load_bench

    align = load_bench("align")
    assert load_bench("align") is align and sys.modules["bench_align"] is align
    doc = align.Doc("d1", ["Да."], ["Yes."], None)
    assert (doc.id, doc.ru, doc.en) == ("d1", ["Да."], ["Yes."])
    with pytest.raises((ImportError, FileNotFoundError), match="no_such_bench"):
        load_bench("no_such_bench")
    assert "bench_no_such_bench" not in sys.modules


def test_the_paper_score_counts_deletions_in_precision_only() -> None:
    """``paper_prf`` scores as Vecalign's score.py (the published Text+Berg table): a predicted
    deletion is a bead of precision, right only when the gold has it; recall ignores them."""
    from bench_modules import load_bench

    align = load_bench("align")
    gold = [((0,), (0,)), ((1,), ()), ((2,), (1,)), ((), (2,))]
    case = align.Case(["a", "b", "c"], ["x", "y", "z"], None, gold)
    assert align.paper_prf([case], [gold]) == (1.0, 1.0, 1.0)
    # The deletion of German 1 missed (merged into the next bead), French 2's found.
    test = [((0,), (0,)), ((1, 2), (1,)), ((), (2,))]
    p, r, f = align.paper_prf([case], [test])
    assert (p, r) == (2 / 3, 1 / 2)
    # The strict score leaves deletions out of both sides.
    assert align.prf([case], [test], with_null=False)[:2] == (1 / 2, 1 / 2)
