"""MT-artifact repair: named rules propose edits; the engine applies them to a fixpoint.

>>> r = repair("trade andeconomic ties at 18: 18 - the the end")
>>> r.text
'trade and economic ties at 18:18 - the end'
>>> replay("trade andeconomic ties at 18: 18 - the the end", r.edits) == r.text
True

Rules register themselves on import with a ``stage`` that orders them: Cyrillic
mojibake → ftfy → homoglyphs → glossary → spacing → numbers → fused words → repetition →
paragraphs → (optional) quote/dash folding → filling untranslated Cyrillic by
retranslation (given a translator: it runs once, after the others). ``RULES``
lists them with their parameters and false-positive risks; ``RepairConfig``
switches and tunes them (:mod:`cleaners.repair.config` checks it).
Data tables live in ``cleaners/data/repair/`` (the glossary in ``cleaners/data``);
``python -m cleaners.repair.build_tables`` regenerates the ones derived from wordfreq.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from cleaners.repair import bilingual as _bilingual  # noqa: F401  (registers rules)
from cleaners.repair import encoding as _encoding  # noqa: F401
from cleaners.repair import glossary as _glossary  # noqa: F401
from cleaners.repair import numerals as _numerals  # noqa: F401
from cleaners.repair import paragraphs as _paragraphs  # noqa: F401
from cleaners.repair import repetition as _repetition  # noqa: F401
from cleaners.repair import spacing as _spacing  # noqa: F401
from cleaners.repair import untranslated as _untranslated  # noqa: F401
from cleaners.repair import words as _words  # noqa: F401
from cleaners.repair.engine import (
    RULES,
    Plan,
    RepairResult,
    Rule,
    active_rules,
    describe_rules,
    explain,
    replay,
    rule_on,
    run_rules,
)
from cleaners.repair.untranslated import untranslated_spans

if TYPE_CHECKING:
    from cleaners.config import RepairConfig
    from cleaners.translate import Translator

__all__ = [
    "RULES",
    "PairRepair",
    "RepairResult",
    "Rule",
    "describe_rules",
    "explain",
    "preload",
    "repair",
    "repair_pair",
    "replay",
    "untranslated_spans",
]


def repair(
    text: str,
    lang: str = "en",
    config: RepairConfig | None = None,
    translator: Translator | None = None,
) -> RepairResult:
    """Repair ``text`` (in language ``lang``); edits are offsets into ``text``.

    The rules that use a ``translator`` (``fill_untranslated``) run only when one is
    given; they stay governed by ``translate.fill_untranslated`` (the caller passes no
    translator then) and ``repair.disable``, also with ``repair.enabled`` false, as
    when the fill-in was a stage of its own.
    """
    key = _config_key(config)
    if config is not None and not config.enabled:
        if translator is None:
            return RepairResult(text, [])
        return run_rules(text, _plan(lang, key, final_only=True), 1, translator)
    return run_rules(text, _plan(lang, key), 4 if config is None else config.max_passes, translator)


class PairRepair(NamedTuple):
    """A pair's sides as ``mtclean run`` would judge them, and the rules that changed them."""

    ru: str
    en: str
    rules: tuple[str, ...]  # sorted, each once; empty: the pair was judged as given


def repair_pair(
    ru: str,
    en: str,
    config: RepairConfig | None = None,
    translator: Translator | None = None,
) -> PairRepair:
    """Repair a Russian sentence and its English MT as ``mtclean run`` repairs a bead: each
    side by its language's rules (Cyrillic mojibake and ftfy on both, fused words, split
    times, repeats ... on the English), then the English's fused words, ``ru=`` glossary
    entries and a dropped opening or closing quote re-decided by the Russian
    (:mod:`cleaners.repair.bilingual`, the pair being the bead). A pair ``run`` already
    repaired comes back unchanged.

    >>> r = repair_pair("Торгово-экономические связи в Москве.", "Trade andeconomic ties InMoscow.")
    >>> r.en, r.rules
    ('Trade and economic ties In Moscow.', ('split_fused_words',))
    >>> repair_pair(r.ru, r.en).rules
    ()
    """
    from cleaners.repair.bilingual import SOURCE_RULES, evidence_edits

    ru_r = repair(ru, "ru", config)
    en_r = repair(en, "en", config, translator)
    en_text, rules = en_r.text, {e.rule for e in (*ru_r.edits, *en_r.edits)}
    enabled = config is None or config.enabled
    disable, enable = (config.disable, config.enable) if config is not None else ([], [])
    on = {name: rule_on(name, disable, enable) for name in SOURCE_RULES}
    if enabled and any(on.values()):
        glossary = config.glossary if config is not None else []
        later = evidence_edits(en_text, en_r.edits, ru_r.text, on=on, glossary=glossary)
        if later:
            en_text = replay(en_text, later)
            rules.update(e.rule for e in later)
    return PairRepair(ru_r.text, en_text, tuple(sorted(rules)))


def preload(config: RepairConfig | None = None) -> None:
    """Load the tables and models the rules read on first need, now.

    ``mtclean run`` calls it beside ``lid.preload`` so they are part of the run's base:
    loaded lazily, the bigram model came with whichever document first held a word worth
    splitting, and looked like that document's own memory (bench/bigdoc.py).
    """
    if config is not None and not config.enabled:
        return
    disable, enable = (config.disable, config.enable) if config is not None else ([], [])
    if rule_on("split_fused_words", disable, enable):
        _words.preload_tables("en")
    from cleaners.repair.bilingual import KEEP_RULE, SPLIT_RULE

    if any(rule_on(r, disable, enable) for r in (SPLIT_RULE, KEEP_RULE)):
        # The rules that read the aligned Russian ask wordfreq's large English list (~40 MB,
        # 0.3 s) whether a token is a word: read by the first document with beads, it looked
        # like that document's memory (~70 MB of RSS under a 20 MB pair's JSON write).
        _words.zipf("the", "en")


def _config_key(config: RepairConfig | None) -> str:
    if config is None:
        return ""
    return json.dumps(
        [config.disable, config.enable, config.params, config.glossary], sort_keys=True, default=str
    )


@lru_cache(maxsize=64)
def _plan(lang: str, key: str, final_only: bool = False) -> Plan:
    """The rules and parameters for one language and config (computed once per pair)."""
    disable, enable, params, glossary = json.loads(key) if key else ([], [], {}, [])
    if glossary:
        params = {
            **params,
            "apply_glossary": {**params.get("apply_glossary", {}), "files": glossary},
        }
    rules = active_rules(lang, disable, enable, params)
    if final_only:
        rules = [(r, p) for r, p in rules if r.uses_translator]
    return Plan(rules, lang)
