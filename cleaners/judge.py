"""Judging pairs: adequacy and filter reasons per bead, and the document-level check.

The pipeline calls :func:`measure_document` after alignment: it scores each bead and keeps
what the filters read, no threshold; the run decides from that when it writes the corpus
(:func:`decide_document`), so a changed threshold redoes no document. ``mtclean filter`` calls
:func:`judge_pairs` on pairs it did not build. Neither drops a pair; the corpus writer decides
what goes where (and deduplicates across the run, :mod:`cleaners.dedup`).
"""

from __future__ import annotations

import dataclasses
import math
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any, NamedTuple

from cleaners.adequacy import adequacy, iter_signals
from cleaners.config import PipelineConfig
from cleaners.dedup import Deduper
from cleaners.filters import CHEAP, Candidate, PairFilter, build_filters, reasons
from cleaners.lexsim import fold_marks
from cleaners.model import Bead, Document, FilterSignals

NOT_PARALLEL = "not-parallel"
MISALIGNED = "misaligned"


class Judgement(NamedTuple):
    adequacy: float
    reasons: tuple[str, ...]
    scored: bool = True  # False: a cheap filter rejected the pair unscored (adequacy 0.0)


UNSCORED = 0.0  # the adequacy given to a pair judged without scoring (``score_rejected=False``)


def _folded(pairs: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """The pairs as the signals read them: without the combining marks that split a word for
    every word pattern (Russian stress marks, дыши́те), as the aligner and the word table
    read them (:func:`cleaners.lexsim.fold_marks`). The corpus keeps the text as written."""
    return [(fold_marks(ru), fold_marks(en)) for ru, en in pairs]


def within_size(pair: tuple[str, str], config: PipelineConfig) -> bool:
    """Whether neither side of ``pair`` is longer than ``too-long``'s bound
    (``filters.max_chars``), the size up to which ``mtclean filter`` scores a pair.

    >>> cfg = PipelineConfig()
    >>> within_size(("Да.", "Yes."), cfg), within_size(("Да.", "x" * 1501), cfg)
    (True, False)
    """
    return max(len(pair[0]), len(pair[1])) <= config.filters.max_chars


def judge_pairs(
    pairs: Sequence[tuple[str, str]],
    config: PipelineConfig,
    ru_mt: Sequence[str | None] | None = None,
    lex_table: Any = None,
    score_rejected: bool = True,
    aligned: bool = False,
) -> list[Judgement]:
    """Adequacy and rejecting filters of each pair (no deduplication: see cleaners.dedup).
    ``aligned``: the pairs are a document's beads (:func:`cleaners.adequacy.adequacy`'s
    ``isolated=False``).
    ``lex_table``: a word table other than the shipped one (benchmarks use a held-out one).
    ``score_rejected=False``: a pair the cheap filters (too-short, too-long, boilerplate)
    reject is not analysed at all; its adequacy is :data:`UNSCORED` (``mtclean filter``,
    where one such pair may be megabytes). The pipeline scores every bead: a document's
    share of inadequate beads decides ``not-parallel``.

    >>> cfg = PipelineConfig()
    >>> judge_pairs([("", "He came home.")], cfg, score_rejected=False)
    [Judgement(adequacy=0.0, reasons=('too-short',), scored=False)]
    """
    if not config.filters.enabled:
        # Nothing is rejected; without score_rejected, a pair over too-long's size bound is
        # not scored either (as when the filters are on: megabytes cost seconds and 100s of MB).
        todo = [k for k, p in enumerate(pairs) if score_rejected or within_size(p, config)]
        texts = _folded([pairs[k] for k in todo])
        mts = [ru_mt[k] for k in todo] if ru_mt is not None else None
        out = [Judgement(UNSCORED, (), False)] * len(pairs)
        sigs = iter_signals(texts, mts, config.lid, lex_table, folded=True)
        for k, s in zip(todo, sigs, strict=True):
            out[k] = Judgement(adequacy(s, not aligned), ())
        return out
    filters = build_filters(config.filters)
    cheap = [cheap_reasons(pair, filters) for pair in pairs]
    todo = [k for k, why in enumerate(cheap) if score_rejected or not why]
    folded = _folded([pairs[k] for k in todo])
    sigs = iter_signals(
        folded,
        [ru_mt[k] for k in todo] if ru_mt is not None else None,
        config.lid,
        lex_table,
        folded=True,
    )
    out = [Judgement(UNSCORED, why, False) for why in cheap]
    for k, pair, s in zip(todo, folded, sigs, strict=True):
        a = adequacy(s, not aligned)
        out[k] = Judgement(a, cheap[k] or signal_reasons(pair, s, a, filters))
    return out


def cheap_reasons(pair: tuple[str, str], filters: Sequence[PairFilter]) -> tuple[str, ...]:
    """The :data:`cleaners.filters.CHEAP` filters' reasons, on the text as written."""
    return reasons(Candidate(pair[0], pair[1], None, math.nan), filters)


def signal_reasons(
    folded: tuple[str, str], s: Any, a: float, filters: Sequence[PairFilter]
) -> tuple[str, ...]:
    """The other filters' reasons, on the pair as the signals read it (:func:`_folded`);
    ``s``: its :class:`cleaners.adequacy.Signals` or the stored
    :class:`cleaners.model.FilterSignals`."""
    rest = [f for f in filters if f.name not in CHEAP]  # the cheap ones have spoken
    return reasons(Candidate(folded[0], folded[1], s, a), rest)


def not_parallel(
    judged: Sequence[Judgement], config: PipelineConfig, ru_sentences: int = 0
) -> bool:
    """Whether a document's pairs are mostly inadequate: the wrong English for its Russian.
    ``ru_sentences``: how many Russian sentences the document has (aligned or not).

    >>> cfg = PipelineConfig()
    >>> not_parallel([Judgement(0.1, ("misaligned",))] * 3 + [Judgement(0.9, ())], cfg)
    True
    >>> not_parallel([Judgement(0.1, ("misaligned",))] * 2 + [Judgement(0.9, ())] * 2, cfg)
    False

    A short document has too few pairs for a share: it is the wrong article when every pair
    is inadequate (``not_parallel_short_below``, by default ``min_adequacy``'s 0.3: its pairs
    are all rejected anyway, and the warning says why). A lone sentence is one pair, which
    ``misaligned`` judges.

    >>> not_parallel([Judgement(0.004, ()), Judgement(0.29, ())], cfg, ru_sentences=2)
    True
    >>> not_parallel([Judgement(0.004, ()), Judgement(0.35, ())], cfg, ru_sentences=2)
    False
    >>> not_parallel([Judgement(0.004, ())], cfg, ru_sentences=1)
    False
    """
    fc = config.filters
    if not fc.on(NOT_PARALLEL) or not judged:
        return False
    if len(judged) < fc.not_parallel_min_beads:
        short = fc.not_parallel_short_below
        return ru_sentences >= 2 and all(j.adequacy < short for j in judged)
    bad = sum(j.adequacy < fc.min_adequacy for j in judged)
    return bad > fc.not_parallel_share * len(judged)


# The pair model's base rate: its last logistic map is fitted on right and wrong pairs weighed
# equally (cleaners.build_adequacy._balanced), so a pair score is P(right) under a prior of 1/2
# and its logit is the pair's log likelihood ratio, whatever the detectors inside.
MODEL_PRIOR = 0.5
# Share of the document's beads known to be right: a Beta prior on it centred on MODEL_PRIOR
# with this many pseudo-beads, so a short document moves its beads little.
PRIOR_BEADS = 2.0
# How much of the document's log odds a bead takes (fitted on the dev fit half; 1 = plain Bayes).
TEMPER = 1.0
_CLIP = 1e-4  # scores are rounded to 4 places: 0 and 1 would be infinite log odds


def _logit(p: float) -> float:
    p = min(max(p, _CLIP), 1 - _CLIP)
    return math.log(p / (1 - p))


def document_share(
    scores: Sequence[float], unpaired: int = 0, prior_beads: float = PRIOR_BEADS
) -> tuple[float, list[float]]:
    """The share π of right beads in a document, by EM over its beads' pair scores (each one's
    log odds is its likelihood ratio: the model's prior is :data:`MODEL_PRIOR`), with
    ``unpaired`` beads known not to be right pairs (a sentence the aligner left alone) and
    :data:`PRIOR_BEADS` pseudo-beads at :data:`MODEL_PRIOR`; and each bead's posterior of
    being right at that π.

    >>> round(document_share([0.99] * 8)[0], 2), round(document_share([0.01] * 8)[0], 2)
    (0.9, 0.1)
    >>> round(document_share([0.99] * 8, unpaired=8)[0], 2), round(document_share([])[0], 2)
    (0.5, 0.5)
    """
    ratios = [math.exp(_logit(p)) for p in scores]
    n = len(ratios) + unpaired + prior_beads
    pi, post = MODEL_PRIOR, []
    for _ in range(100):
        post = [pi * r / (pi * r + 1 - pi) for r in ratios]
        pi, old = (sum(post) + prior_beads * MODEL_PRIOR) / n, pi
        if abs(pi - old) < 1e-9:
            break
    return pi, post


def in_document(
    scores: Sequence[float],
    evidence: Sequence[bool] | None = None,
    unpaired: int = 0,
    prior_beads: float = PRIOR_BEADS,
    temper: float = TEMPER,
) -> list[float]:
    """Each bead's P(right) given its pair score and the rest of its document: its log odds
    shifted by ``temper`` × (logit π₋ᵢ − logit :data:`MODEL_PRIOR`), where π₋ᵢ is the share of
    right beads among the *other* beads (:func:`document_share`, the bead's own posterior left
    out so that its evidence counts once). ``evidence``: which beads speak for the document
    (default all; a pair rejected on its text alone, chrome or an empty side, says nothing of
    it); ``unpaired``: the document's one-sided beads, which count as beads not right.

    A free translation the word table cannot vouch for rises in a parallel document; the same
    pair among another article's beads falls; a clearly wrong bead stays low:

    >>> in_document([0.95] * 9 + [0.1])[-1], in_document([0.02] * 9 + [0.1])[-1]
    (0.5062, 0.0112)
    >>> in_document([0.95] * 9 + [0.002])[-1]
    0.0177

    Sentences left unaligned say the document is not all parallel; a lone bead has no
    document to speak for it: its score stands.

    >>> in_document([0.95] * 9 + [0.1], unpaired=9)[-1], in_document([0.2])
    (0.0908, [0.2])
    """
    if not temper:
        return list(scores)
    use = list(evidence) if evidence is not None else [True] * len(scores)
    _, post = document_share([p for p, u in zip(scores, use, strict=True) if u], unpaired,
                             prior_beads)  # fmt: skip
    total, beads = sum(post), len(post) + unpaired
    out = []
    for p, u, r in zip(scores, use, _spread(post, use), strict=True):
        others, m = (total - r, beads - 1) if u else (total, beads)
        if m <= 0:
            out.append(p)
            continue
        share = (others + prior_beads * MODEL_PRIOR) / (m + prior_beads)
        z = _logit(p) + temper * (_logit(share) - _logit(MODEL_PRIOR))
        out.append(round(1.0 / (1.0 + math.exp(-z)), 4))
    return out


def _spread(post: Sequence[float], use: Sequence[bool]) -> list[float]:
    """``post`` (one per bead that is evidence) laid out over all beads, 0 elsewhere."""
    it = iter(post)
    return [next(it) if u else 0.0 for u in use]


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


# What comparing a pair's two sides finds when the English is another article's: in a
# not-parallel document these only repeat its cause.
SYMPTOMS = (MISALIGNED, "length-ratio", "truncated", "number-mismatch")


def with_not_parallel(why: tuple[str, ...]) -> tuple[str, ...]:
    """The reasons of a bead of a not-parallel document: one cause, one name, as for an
    untranslated side. The pair comparisons give way to ``not-parallel``; what the text alone
    or a side's language says (an empty side, chrome, Ukrainian) stays.

    >>> with_not_parallel(("misaligned",)), with_not_parallel(())
    (('not-parallel',), ('not-parallel',))
    >>> with_not_parallel(("wrong-language",)), with_not_parallel(("number-mismatch", "misaligned"))
    (('wrong-language', 'not-parallel'), ('not-parallel',))
    """
    return (*(r for r in why if r not in SYMPTOMS and r != NOT_PARALLEL), NOT_PARALLEL)


# Reasons that say nothing of the document: the text alone or a side's language decided them
# (chrome, an empty side, an untranslated or third-language side), not the pair's translation.
_NOT_EVIDENCE = (*CHEAP, "untranslated", "wrong-language")


def with_document(judged: Sequence[Judgement], config: PipelineConfig, unpaired: int = 0,
                  temper: float = TEMPER, prior_beads: float = PRIOR_BEADS
                  ) -> list[Judgement]:  # fmt: skip
    """The beads of one document, in order, with their in-document adequacy
    (:func:`in_document`) and ``misaligned`` decided on it; other reasons stay as the pair
    score gave them (``truncated``'s end-mark rule reads the pair alone). ``temper`` 0: the
    pair scores unchanged.

    >>> cfg = PipelineConfig()
    >>> ok, free = Judgement(0.95, ()), Judgement(0.1, ("misaligned",))
    >>> [j.reasons for j in with_document([ok] * 9 + [free], cfg)][-1]
    ()
    """
    use = [j.scored and not set(j.reasons) & set(_NOT_EVIDENCE) for j in judged]
    scores = in_document([j.adequacy for j in judged], use, unpaired, prior_beads, temper)
    misaligned = config.filters.on(MISALIGNED)
    out = []
    for j, a, u in zip(judged, scores, use, strict=True):
        if not j.scored:
            out.append(j)
            continue
        why = tuple(r for r in j.reasons if r != MISALIGNED)
        if misaligned and a < config.filters.min_adequacy and u:
            why = (*why, MISALIGNED)  # last, as in cleaners.filters.FILTERS
        out.append(j._replace(adequacy=a, reasons=why))
    return out


def judge_beads(by_bead: Sequence[Judgement | None], config: PipelineConfig,
                ru_sentences: int, temper: float = TEMPER, prior_beads: float = PRIOR_BEADS
                ) -> tuple[list[Judgement | None], bool]:  # fmt: skip
    """A document's decision from its beads' pair judgements (None: a one-sided bead), in
    order: each two-sided bead's in-document adequacy and reasons, and whether the document
    is not parallel (decided on the pair scores, :func:`not_parallel`)."""
    two_sided = [k for k, j in enumerate(by_bead) if j is not None]
    judged = [j for j in by_bead if j is not None]
    whole = not_parallel(judged, config, ru_sentences)
    judged = with_document(judged, config, len(by_bead) - len(judged), temper, prior_beads)
    out: list[Judgement | None] = [None] * len(by_bead)
    for k, j in zip(two_sided, judged, strict=True):
        out[k] = j
    if whole:
        return [j and j._replace(reasons=with_not_parallel(j.reasons)) for j in out], True
    if config.filters.context_min_adequacy < config.filters.min_adequacy:
        # The neighbours' rule reads the pair score: the document's evidence is in the
        # in-document score already, and counted once.
        alone = [
            j and p and j._replace(adequacy=p.adequacy) for j, p in zip(out, by_bead, strict=True)
        ]
        helped = in_context(alone, config.filters.context_min_adequacy)
        out = [j._replace(reasons=()) if j is not None and helped[k] else j
               for k, j in enumerate(out)]  # fmt: skip
    return out, False


def _bead_pair(doc: Document, bead: Bead) -> tuple[str, str]:
    return (
        " ".join(doc.ru_sentences[i] for i in bead.ru),
        " ".join(doc.en_sentences[j] for j in bead.en),
    )


def measure_document(doc: Document, config: PipelineConfig) -> None:
    """Set ``pair_adequacy`` (the pair alone) and ``signals`` (what the filters read) on
    every two-sided bead of ``doc``, reading no threshold: the decisions are taken from them
    when the corpus is written (:func:`decide_document`), so retuning a filter redoes no
    document. ``filters.enabled`` off: nothing is measured (the beads stay unjudged)."""
    if not config.filters.enabled:
        return
    two_sided = [k for k, b in enumerate(doc.beads) if b.ru and b.en]
    if not two_sided:
        return
    pairs = _folded([_bead_pair(doc, doc.beads[k]) for k in two_sided])
    mt = None
    if doc.ru_retranslated:
        mt = [" ".join(doc.ru_retranslated[i] for i in doc.beads[k].ru) for k in two_sided]
    sigs = iter_signals(pairs, mt, config.lid, folded=True)
    for k, s in zip(two_sided, sigs, strict=True):
        doc.beads[k] = dataclasses.replace(
            doc.beads[k],
            pair_adequacy=adequacy(s, False),  # a document's bead (not isolated)
            signals=FilterSignals(*(getattr(s, f) for f in FilterSignals._fields)),
        )


def decide_document(doc: Document, config: PipelineConfig) -> None:
    """The filters' decisions on ``doc``'s measured beads (:func:`measure_document`), under
    ``config``'s thresholds: ``adequacy`` in the document (:func:`with_document`) and
    ``reasons`` on each, and a ``not-parallel`` warning (the reason on every such bead) when
    the document is not parallel. The pair where the MT stopped mid-sentence (``cut``) is
    rejected as ``truncated`` whatever its adequacy: the English, a prefix of the
    retranslation, lifts the adequacy over the filter's end-mark bar. Decided from what docs/
    store alone, so a document read back decides as it did when it was processed; it is
    decided once (the warning is appended)."""
    two_sided = [k for k, b in enumerate(doc.beads) if b.pair_adequacy is not None]
    if not two_sided:
        return
    filters = build_filters(config.filters)
    by_bead: list[Judgement | None] = [None] * len(doc.beads)
    for k in two_sided:
        b = doc.beads[k]
        signals = b.filter_signals()
        if signals is None:
            raise ValueError(f"{doc.id}: bead {k} has a pair score but no stored signals")
        pair = _bead_pair(doc, b)
        a = b.pair_adequacy
        assert a is not None
        why = cheap_reasons(pair, filters) or signal_reasons(_folded([pair])[0], signals, a,
                                                             filters)  # fmt: skip
        by_bead[k] = Judgement(a, why)
    judged, whole = judge_beads(by_bead, config, len(doc.ru_sentences))
    if whole:
        bad = sum(j is not None and j.adequacy < config.filters.min_adequacy for j in by_bead)
        doc.warnings.append(
            f"{NOT_PARALLEL}: {bad} of {len(two_sided)} pairs are inadequate; "
            "the English does not seem to translate this Russian (all its pairs rejected)"
        )
    truncated = config.filters.on("truncated")
    for k in two_sided:
        j = judged[k]
        assert j is not None
        why = j.reasons
        if doc.beads[k].cut and truncated and not {"truncated", NOT_PARALLEL} & set(why):
            # In the filters' order: truncated comes before misaligned.
            at = why.index(MISALIGNED) if MISALIGNED in why else len(why)
            why = (*why[:at], "truncated", *why[at:])
        doc.beads[k] = dataclasses.replace(doc.beads[k], adequacy=j.adequacy, reasons=why)


class Verdict(NamedTuple):
    """What ``mtclean filter`` says of one pair."""

    keep: bool
    reasons: tuple[str, ...]
    score: float
    # The English judged in the given one's place, its Russian's retranslation (the given
    # English was no English: :meth:`FilterStream._fill`); None: the given one was judged.
    en: str | None = None


def filter_pairs(
    pairs: Sequence[tuple[str, str]],
    config: PipelineConfig,
    ru_mt: Sequence[str | None] | None = None,
    lex_table: Any = None,
    repaired: bool = False,
) -> list[Verdict]:
    """Judge a stream of pairs in order, deduplicating across it (a later repeat of a kept
    pair is rejected as ``duplicate`` or ``near-duplicate``). A pair the cheap filters reject
    is not scored (score :data:`UNSCORED`, their reasons only). ``repaired``: each pair is
    judged as ``mtclean run`` would judge it, repaired (:func:`repaired_pairs`; ``mtclean
    filter`` without ``--as-given``); else as given.

    >>> cfg = PipelineConfig()
    >>> [v.reasons for v in filter_pairs([("Он пришёл домой.", "He came home."),
    ...                                   ("Он пришёл домой.", "He came home.")], cfg)]
    [(), ('duplicate',)]
    """
    return list(FilterStream(config, lex_table, repaired=repaired).judge(pairs, ru_mt))


def repaired_pairs(
    pairs: Sequence[tuple[str, str]], config: PipelineConfig, translator: Any = None
) -> list[tuple[str, str]]:
    """Each pair as ``mtclean run`` judges a bead: repaired (:func:`cleaners.repair.repair_pair`,
    the English's fused words re-decided by its Russian; ``translator`` fills Cyrillic left in
    the English where ``translate.fill_untranslated`` says so, as in ``run``). A pair with a
    side over ``filters.max_chars`` stays as given: ``too-long`` rejects it unscored anyway, and
    repairing megabytes would cost seconds and 100s of MB for nothing.

    >>> repaired_pairs([("Поезд прибыл в 18:18.", "The train arrived at 18: 18.")],
    ...                PipelineConfig())
    [('Поезд прибыл в 18:18.', 'The train arrived at 18:18.')]
    """
    from cleaners.repair import repair_pair

    fill = translator if config.translate.fill_untranslated else None
    out = []
    for ru, en in pairs:
        if within_size((ru, en), config):
            fixed = repair_pair(ru, en, config.repair, fill)
            out.append((fixed.ru, fixed.en))
        else:
            out.append((ru, en))
    return out


def retranslate(texts: Sequence[str], translator: Any) -> list[str]:
    """Each Russian text's retranslation as the pipeline makes a bead's: sentence by sentence
    (a model takes single sentences), joined by spaces; one call for them all."""
    from cleaners.sentences import split_sentences

    sentences = [split_sentences(t, "ru") for t in texts]
    flat = translator.translate([x for ss in sentences for x in ss]) if sentences else []
    out, k = [], 0
    for ss in sentences:
        out.append(" ".join(flat[k : k + len(ss)]))
        k += len(ss)
    return out


# What :class:`FilterStream` remembers of the pairs it judged: ``mtclean filter``'s input
# repeats (several MT systems' identical lines, boilerplate, headlines, duplicates: 22 % of
# WMT21's ten systems' pairs), and a pair's judgement depends only on the pair and the stream's
# settings. Bounded in pairs and in characters held (the text of ~16k news pairs).
MEMO_PAIRS = 16384
MEMO_CHARS = 8_000_000


class _Judged(NamedTuple):
    """A pair's judgement before deduplication, which must see every occurrence."""

    pair: tuple[str, str]  # as judged: repaired, or as given (its English filled: ``filled``)
    judgement: Judgement
    filled: bool = False  # the English is the Russian's retranslation (FilterStream._fill)


_Key = tuple[str, str, str | None]  # (ru, en, the caller's retranslation of ru)


class _Memo:
    """A least-recently-used map of judged pairs, bounded in entries and characters.

    >>> m = _Memo(2, 10)
    >>> j = _Judged(("a", "b"), Judgement(0.5, ()))
    >>> m.put(("a", "b", None), j, 2); m.put(("c", "d", None), j, 9); len(m._d), m._chars
    (1, 9)
    >>> m.put(("e", "f", None), j, 11); m.get(("c", "d", None)) is j, m.get(("e", "f", None))
    (True, None)
    """

    def __init__(self, entries: int, chars: int) -> None:
        self.entries, self.chars = entries, chars
        self._d: OrderedDict[_Key, tuple[_Judged, int]] = OrderedDict()
        self._chars = 0

    def get(self, key: _Key) -> _Judged | None:
        hit = self._d.get(key)
        if hit is None:
            return None
        self._d.move_to_end(key)
        return hit[0]

    def put(self, key: _Key, value: _Judged, size: int) -> None:
        if size > self.chars or self.entries <= 0:
            return  # (one pair over the whole budget is not held: it would empty the memo)
        old = self._d.pop(key, None)
        self._chars += size - (old[1] if old else 0)
        self._d[key] = (value, size)
        while len(self._d) > self.entries or self._chars > self.chars:
            self._chars -= self._d.popitem(last=False)[1][1]


# The translate.mode values in which ``run`` gives a document whose English MT failed
# (``mt-failed``) the retranslation of its Russian as its English.
FILL_MODES = ("missing", "replace", "all")


class FilterStream:
    """:func:`filter_pairs` in chunks: the dedup memory carries over from one call to the next.
    With a ``translator`` (``translate.enabled``), each pair the cheap filters let through is
    scored with chrF against the retranslation of its Russian side, as in the pipeline.
    ``repaired``: each pair is judged repaired, as :func:`repaired_pairs` makes it, and is a
    repeat when it repeats a kept pair as given or repaired. ``fill``: a pair whose English is
    no English takes its Russian's retranslation instead (:meth:`_fill`). A pair seen before
    is not repaired or judged again (up to ``memo_pairs``, default :data:`MEMO_PAIRS`, and
    :data:`MEMO_CHARS`; 0: none): the same verdicts, byte for byte; each occurrence is still
    deduplicated."""

    def __init__(
        self,
        config: PipelineConfig,
        lex_table: Any = None,
        translator: Any = None,
        repaired: bool = False,
        memo_pairs: int | None = None,
        fill: bool = False,
    ) -> None:
        self.config = config
        self.lex_table = lex_table
        self.translator = translator
        self.repaired = repaired
        self.fill = fill
        fc = config.filters
        self.dedup = Deduper(fc.on("duplicate"), fc.on("near-duplicate"), fc.near_duplicate_digits)
        self._memo = _Memo(MEMO_PAIRS if memo_pairs is None else memo_pairs, MEMO_CHARS)

    def judge(
        self, pairs: Sequence[tuple[str, str]], ru_mt: Sequence[str | None] | None = None
    ) -> list[Verdict]:
        keys: list[_Key] = [
            (ru, en, ru_mt[k] if ru_mt is not None else None) for k, (ru, en) in enumerate(pairs)
        ]
        known: dict[_Key, _Judged] = {}
        for key in keys:
            if key not in known and (hit := self._memo.get(key)) is not None:
                known[key] = hit
        new = [key for key in dict.fromkeys(keys) if key not in known]  # each once, in order
        for key, judged in zip(new, self._judge_new(new, ru_mt is not None), strict=True):
            known[key] = judged
            if within_size(key[:2], self.config):  # (a pair over it: cheap, and maybe MBs)
                self._memo.put(key, judged, _chars(key, judged.pair))
        out = []
        min_score = self.config.align.min_score
        for key, as_given in zip(keys, pairs, strict=True):
            (ru, en), j, filled = known[key]
            why = list(j.reasons)
            if j.scored and j.adequacy < min_score:
                why.append("below-min-score")
            # A repeat as given or repaired: the repair is not case-blind (a lower-cased name
            # may be split where its capitalised original is not), a near repeat's key is.
            on = not why and self.config.filters.enabled
            if on and (dup := self.dedup.check(ru, en, [as_given])):
                why.append(dup)
            out.append(Verdict(not why, tuple(why), j.adequacy, en if filled else None))
        return out

    def _judge_new(self, keys: Sequence[_Key], given_mt: bool) -> list[_Judged]:
        """Each pair's judgement (before deduplication): repaired if asked, its Russian
        retranslated when there is a translator and no retranslation was given."""
        given = [(ru, en) for ru, en, _ in keys]
        pairs = repaired_pairs(given, self.config, self.translator) if self.repaired else given
        # A side the repair left as it was is held once (the key's string), not twice.
        pairs = [(r if r != g[0] else g[0], e if e != g[1] else g[1])
                 for (r, e), g in zip(pairs, given, strict=True)]  # fmt: skip
        ru_mt: Sequence[str | None] | None = [mt for *_, mt in keys] if given_mt else None
        if ru_mt is None and self.translator is not None:
            ru_mt = self._retranslate(pairs)
        filled = self._fill(pairs, ru_mt) if self.fill and ru_mt is not None else set()
        judged = judge_pairs(pairs, self.config, ru_mt, self.lex_table, score_rejected=False)
        return [
            _Judged(p, j, k in filled) for k, (p, j) in enumerate(zip(pairs, judged, strict=True))
        ]

    @staticmethod
    def _fill(pairs: list[tuple[str, str]], ru_mt: Sequence[str | None]) -> set[int]:
        """Give each pair whose English is no English, mostly Cyrillic (the MT left the
        Russian, or gave another Cyrillic language: :func:`cleaners.repair.untranslated.
        mostly_cyrillic`), its Russian's retranslation as its English, in place, as ``run``
        gives a document whose MT failed (``mt-failed``) the retranslation in the modes of
        :data:`FILL_MODES`; the indices of the pairs filled. A pair without a retranslation
        (a cheap filter rejects it; the model gave nothing) keeps its English and is judged
        ``untranslated``. An English in Latin letters is left to ``wrong-language``: one
        sentence's language ID is no document's."""
        from cleaners.repair.untranslated import mostly_cyrillic

        filled = set()
        for k, ((ru, en), mt) in enumerate(zip(pairs, ru_mt, strict=True)):
            if mt and mostly_cyrillic(en):
                pairs[k] = (ru, mt)
                filled.add(k)
        return filled

    def _retranslate(self, pairs: Sequence[tuple[str, str]]) -> list[str | None]:
        """The retranslation of each pair's Russian, ``None`` where a cheap filter already
        rejects the pair (never translate megabytes that are not scored)."""
        if self.config.filters.enabled:
            filters = build_filters(self.config.filters)
            todo = [k for k, (ru, en) in enumerate(pairs)
                    if not reasons(Candidate(ru, en, None, math.nan), filters)]  # fmt: skip
        else:  # nothing rejected, but a pair over the size bound is not scored (judge_pairs)
            todo = [k for k, p in enumerate(pairs) if within_size(p, self.config)]
        out: list[str | None] = [None] * len(pairs)
        for k, mt in zip(todo, retranslate([pairs[k][0] for k in todo], self.translator),
                         strict=True):  # fmt: skip
            out[k] = mt or None
        return out


def _chars(key: _Key, judged: tuple[str, str]) -> int:
    """The characters a memo entry holds: the key's, and the repaired sides that differ."""
    ru, en, mt = key
    return (len(ru) + len(en) + len(mt or "") + (len(judged[0]) if judged[0] is not ru else 0)
            + (len(judged[1]) if judged[1] is not en else 0))  # fmt: skip
