"""``python -m doctest FILE`` passes on every module of the core, as a reader runs one.

Run that way a module is loaded a second time under its file's name (``words``, not
``cleaners.repair.words``) beside the package's copy; its rules must not clash with the
package's registrations, and its examples must not lean on pytest's option flags.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _batches(files: list[Path]) -> list[list[Path]]:
    """Files in groups of distinct names: ``python -m doctest a/config.py b/config.py`` would
    import the second as the first (one module name) and test nothing of it."""
    batches: list[list[Path]] = []
    for f in files:
        for b in batches:
            if all(g.name != f.name for g in b):
                b.append(f)
                break
        else:
            batches.append([f])
    return batches


def test_python_m_doctest_passes_on_every_module_under_cleaners() -> None:
    files = sorted((ROOT / "cleaners").rglob("*.py"))
    assert len(files) > 40
    failed = []
    for batch in _batches(files):
        done = subprocess.run(
            [sys.executable, "-m", "doctest", *(str(f.relative_to(ROOT)) for f in batch)],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
            timeout=600,
        )
        if done.returncode != 0:
            failed.append(done.stdout[-3000:] + done.stderr[-3000:])
    assert failed == []


def test_a_rule_module_loaded_twice_registers_once_and_a_real_clash_still_fails() -> None:
    from cleaners.repair import RULES
    from cleaners.repair.engine import rule

    first = RULES["split_fused_words"].fn
    # The same definition again (what a second load of the module does): the first stays.
    again = rule("split_fused_words", stage=1, risk="x")(first)
    assert again is first and RULES["split_fused_words"].fn is first

    def split_fused_words(text: str, lang: str, params: dict) -> list:  # another function
        return []

    try:
        rule("split_fused_words", stage=1, risk="x")(split_fused_words)
    except ValueError as exc:
        assert "registered twice" in str(exc)
    else:
        raise AssertionError("a different function under a taken name was accepted")
