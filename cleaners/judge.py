"""Judging pairs: adequacy and filter reasons per bead, and the document-level check.

The pipeline calls :func:`judge_document` after alignment; ``mtclean filter`` calls
:func:`judge_pairs` on pairs it did not build. Both only score and name reasons; the corpus
writer decides what goes where (and deduplicates across the run, :mod:`cleaners.dedup`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any, NamedTuple

from cleaners.adequacy import adequacy, analyse_pairs
from cleaners.config import PipelineConfig
from cleaners.dedup import Deduper
from cleaners.filters import Candidate, build_filters, reasons
from cleaners.model import Document

NOT_PARALLEL = "not-parallel"
MISALIGNED = "misaligned"


class Judgement(NamedTuple):
    adequacy: float
    reasons: tuple[str, ...]


def judge_pairs(
    pairs: Sequence[tuple[str, str]],
    config: PipelineConfig,
    ru_mt: Sequence[str | None] | None = None,
    lex_table: Any = None,
) -> list[Judgement]:
    """Adequacy and rejecting filters of each pair (no deduplication: see cleaners.dedup).
    ``lex_table``: a word table other than the shipped one (benchmarks use a held-out one)."""
    sigs = analyse_pairs(pairs, ru_mt, config.lid, lex_table)
    if not config.filters.enabled:
        return [Judgement(adequacy(s), ()) for s in sigs]
    filters = build_filters(config.filters)
    out = []
    for (ru, en), s in zip(pairs, sigs, strict=True):
        a = adequacy(s)
        out.append(Judgement(a, reasons(Candidate(ru, en, s, a), filters)))
    return out


def not_parallel(judged: Sequence[Judgement], config: PipelineConfig) -> bool:
    """Whether a document's pairs are mostly inadequate: the wrong English for its Russian.

    >>> cfg = PipelineConfig()
    >>> not_parallel([Judgement(0.1, ("misaligned",))] * 3 + [Judgement(0.9, ())], cfg)
    True
    >>> not_parallel([Judgement(0.1, ("misaligned",))] * 2 + [Judgement(0.9, ())] * 2, cfg)
    False
    """
    fc = config.filters
    if not fc.on(NOT_PARALLEL) or len(judged) < fc.not_parallel_min_beads:
        return False
    bad = sum(j.adequacy < fc.min_adequacy for j in judged)
    return bad > fc.not_parallel_share * len(judged)


def in_context(judged: Sequence[Judgement | None], floor: float) -> list[bool]:
    """For each bead of a document in order (None: a one-sided bead), whether it is rejected
    only as ``misaligned``, scores at least ``floor``, and sits between anchors: kept
    two-sided beads, or one kept bead and the document's edge. Such a bead is what the
    aligner placed between two right pairs; its low adequacy says more about the word
    table (everyday words it never saw) than about the pair.

    >>> ok, low = Judgement(0.9, ()), Judgement(0.05, ("misaligned",))
    >>> in_context([ok, low, ok], 0.01), in_context([low, ok], 0.01)
    ([False, True, False], [True, False])

    Two low beads in a row (an aligner's slip), a one-sided neighbour, a score under the
    floor or another reason are not helped:

    >>> in_context([ok, low, low, ok], 0.01), in_context([ok, low, None], 0.01)
    ([False, False, False, False], [False, False, False])
    >>> in_context([ok, Judgement(0.001, ("misaligned",)), ok], 0.01)
    [False, False, False]
    >>> in_context([ok, Judgement(0.05, ("misaligned", "truncated")), ok], 0.01)
    [False, False, False]
    """

    def anchor(k: int) -> bool | None:  # None: the document's edge
        if k < 0 or k >= len(judged):
            return None
        j = judged[k]
        return j is not None and not j.reasons

    out = []
    for k, j in enumerate(judged):
        sides = (anchor(k - 1), anchor(k + 1))
        out.append(
            j is not None
            and j.reasons == (MISALIGNED,)
            and j.adequacy >= floor
            and all(s is not False for s in sides)
            and any(s for s in sides)
        )
    return out


def judge_document(doc: Document, config: PipelineConfig) -> None:
    """Set ``adequacy`` and ``reasons`` on every two-sided bead of ``doc``; a document that
    is not parallel gets a ``not-parallel`` warning and the reason on every such bead."""
    if not config.filters.enabled:
        return
    two_sided = [k for k, b in enumerate(doc.beads) if b.ru and b.en]
    if not two_sided:
        return
    pairs = [
        (
            " ".join(doc.ru_sentences[i] for i in doc.beads[k].ru),
            " ".join(doc.en_sentences[j] for j in doc.beads[k].en),
        )
        for k in two_sided
    ]
    mt = None
    if doc.ru_retranslated:
        mt = [" ".join(doc.ru_retranslated[i] for i in doc.beads[k].ru) for k in two_sided]
    judged = judge_pairs(pairs, config, mt)
    whole = not_parallel(judged, config)
    if whole:
        bad = sum(j.adequacy < config.filters.min_adequacy for j in judged)
        doc.warnings.append(
            f"{NOT_PARALLEL}: {bad} of {len(judged)} pairs are inadequate; "
            "the English does not seem to translate this Russian (all its pairs rejected)"
        )
    elif config.filters.context_min_adequacy < config.filters.min_adequacy:
        by_bead: list[Judgement | None] = [None] * len(doc.beads)
        for k, j in zip(two_sided, judged, strict=True):
            by_bead[k] = j
        helped = in_context(by_bead, config.filters.context_min_adequacy)
        judged = [
            j._replace(reasons=()) if helped[k] else j
            for k, j in zip(two_sided, judged, strict=True)
        ]
    for k, j in zip(two_sided, judged, strict=True):
        why = (*j.reasons, NOT_PARALLEL) if whole and NOT_PARALLEL not in j.reasons else j.reasons
        doc.beads[k] = dataclasses.replace(doc.beads[k], adequacy=j.adequacy, reasons=why)


class Verdict(NamedTuple):
    """What ``mtclean filter`` says of one pair."""

    keep: bool
    reasons: tuple[str, ...]
    score: float


def filter_pairs(
    pairs: Sequence[tuple[str, str]],
    config: PipelineConfig,
    ru_mt: Sequence[str | None] | None = None,
    lex_table: Any = None,
) -> list[Verdict]:
    """Judge a stream of pairs in order, deduplicating across it (a later repeat of a kept
    pair is rejected as ``duplicate`` or ``near-duplicate``).

    >>> cfg = PipelineConfig()
    >>> [v.reasons for v in filter_pairs([("Он пришёл домой.", "He came home."),
    ...                                   ("Он пришёл домой.", "He came home.")], cfg)]
    [(), ('duplicate',)]
    """
    return list(FilterStream(config, lex_table).judge(pairs, ru_mt))


class FilterStream:
    """:func:`filter_pairs` in chunks: the dedup memory carries over from one call to the next."""

    def __init__(self, config: PipelineConfig, lex_table: Any = None) -> None:
        self.config = config
        self.lex_table = lex_table
        fc = config.filters
        self.dedup = Deduper(fc.on("duplicate"), fc.on("near-duplicate"), fc.near_duplicate_digits)

    def judge(
        self, pairs: Sequence[tuple[str, str]], ru_mt: Sequence[str | None] | None = None
    ) -> list[Verdict]:
        out = []
        min_score = self.config.align.min_score
        for (ru, en), j in zip(
            pairs, judge_pairs(pairs, self.config, ru_mt, self.lex_table), strict=True
        ):
            why = list(j.reasons)
            if j.adequacy < min_score:
                why.append("below-min-score")
            if not why and self.config.filters.enabled and (dup := self.dedup.check(ru, en)):
                why.append(dup)
            out.append(Verdict(not why, tuple(why), j.adequacy))
        return out
