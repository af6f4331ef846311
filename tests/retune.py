"""A non-default value for every setting read only when the corpus is written
(``cleaners.config.CORPUS_ONLY``), chosen to change decisions on small documents: the tests
that retune them (test_config, test_judge, test_flow) share it, and test_config checks that
it names every such setting."""

from __future__ import annotations

from typing import Any

# setting (section.name) -> its tuned value
VALUES: dict[str, Any] = {
    "align.min_score": 0.99,
    "filters.disable": ["misaligned", "not-parallel", "duplicate"],
    "filters.min_letters": 40,
    "filters.max_chars": 60,
    "filters.max_length_ratio": 1.1,
    "filters.lang_sure": 0.3,
    "filters.copied_share": 0.1,
    "filters.max_numbers_missing": 0,
    "filters.truncated_ratio": 1.01,
    "filters.truncated_mark_below": 1.0,
    "filters.min_adequacy": 0.98,
    "filters.context_min_adequacy": 0.3,
    "filters.not_parallel_share": 0.05,
    "filters.not_parallel_min_beads": 50,
    "filters.not_parallel_short_below": 0.0,
    "filters.near_duplicate_digits": True,
}

# The same as config updates: {"filters": {"min_letters": 40}}.
TUNED: dict[str, dict[str, Any]] = {
    key: {key.split(".")[0]: {key.split(".")[1]: value}} for key, value in VALUES.items()
}
