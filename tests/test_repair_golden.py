"""Golden cases per rule (``tests/golden/repair/<rule>.json``), negatives included.

Each case: ``original``, ``fixed``, ``expect`` (``pass``, or ``fail`` for a known
failure kept in the open), ``comment``, optional ``lang`` and ``config``.
"""

from __future__ import annotations

import pytest
from golden_cases import GOLDEN, load

from cleaners.config import RepairConfig
from cleaners.repair import RULES, repair, replay

CASES = load("repair")


def test_every_rule_has_golden_cases() -> None:
    # A rule that needs the translator is tested with a real (tiny) model, in
    # tests/test_pipeline.py: its output is the model's, not a fixed text.
    served = {name for name, r in RULES.items() if r.uses_translator}
    # A per-document rule that needs the aligned Russian has its golden pairs in
    # tests/golden/bilingual (tests/test_bilingual.py).
    paired = {p.stem for p in (GOLDEN / "bilingual").glob("*.json")}
    assert set(RULES) - {"fold_dashes"} - served - paired <= {rule for rule, _, _ in CASES}


@pytest.mark.parametrize(("rule", "i", "case"), CASES, ids=[f"{r}-{i}" for r, i, _ in CASES])
def test_golden(rule: str, i: int, case: dict) -> None:
    cfg = RepairConfig(**case["config"]) if "config" in case else None
    original = case["original"]
    result = repair(original, case.get("lang", "en"), cfg)
    assert replay(original, result.edits) == result.text
    if case["expect"] == "fail":
        assert result.text != case["fixed"], f"known failure now passes: {case['comment']}"
        return
    assert result.text == case["fixed"], case["comment"]
    if original != case["fixed"]:
        assert any(rule in e.rule.split("+") for e in result.edits), "fixed by another rule"
