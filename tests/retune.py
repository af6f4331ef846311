"""A non-default value for every setting read only when the corpus is written
(``cleaners.config.CORPUS_ONLY``), chosen to change decisions on small documents: the tests
that retune them (test_config, test_judge, test_flow) share it, and test_config checks that
it names every such setting."""

from __future__ import annotations

from typing import Any

TUNED: dict[str, dict[str, Any]] = {
    "align.min_score": {"align": {"min_score": 0.99}},
    "filters.disable": {"filters": {"disable": ["misaligned", "not-parallel", "duplicate"]}},
    "filters.min_letters": {"filters": {"min_letters": 40}},
    "filters.max_chars": {"filters": {"max_chars": 60}},
    "filters.max_length_ratio": {"filters": {"max_length_ratio": 1.1}},
    "filters.lang_sure": {"filters": {"lang_sure": 0.3}},
    "filters.copied_share": {"filters": {"copied_share": 0.1}},
    "filters.max_numbers_missing": {"filters": {"max_numbers_missing": 0}},
    "filters.truncated_ratio": {"filters": {"truncated_ratio": 1.01}},
    "filters.truncated_mark_below": {"filters": {"truncated_mark_below": 1.0}},
    "filters.min_adequacy": {"filters": {"min_adequacy": 0.98}},
    "filters.context_min_adequacy": {"filters": {"context_min_adequacy": 0.3}},
    "filters.not_parallel_share": {"filters": {"not_parallel_share": 0.05}},
    "filters.not_parallel_min_beads": {"filters": {"not_parallel_min_beads": 50}},
    "filters.not_parallel_short_below": {"filters": {"not_parallel_short_below": 0.0}},
    "filters.near_duplicate_digits": {"filters": {"near_duplicate_digits": True}},
}
