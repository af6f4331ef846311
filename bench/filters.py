"""Pair filters on a noisy ru–en set built from dev data, side by side with OpusFilter.

    PYTHONPATH=. nice -n 10 python bench/filters.py [--half eval|fit] [--per-kind N]
        [--no-opusfilter] [--show-tails [--explain]] [--only-context] [--context-grid]
        [--as-given] [--artefacts]

The noisy set (cleaners.build_adequacy.noisy) holds the clean dev pairs of one half (by
document; the adequacy model was fitted on the other half) and, per noise kind, as many
noisy ones: misaligned (another sentence's English, half of the time a neighbour),
untranslated (a side copied), wrong language (FLORES's same sentence in uk/bg/be/sr/mk/kk
or de/fr), a number changed, truncated, duplicate and near-duplicate (case, punctuation,
spacing) of a clean pair, related (a short pair with another short sentence's English sharing
one content word with its own, or none: the same topic, a greeting for another). The stream
is the clean pairs, then the noise shuffled, so a repeat always comes after its original.

Rows: rejection rate per noise kind, clean pairs kept, F1 of rejecting noise, for
- mtclean: the filters of cleaners.filters + run-wide dedup, as `mtclean filter` runs them,
- OpusFilter 3.3: the chain the issue names (LengthFilter, LengthRatioFilter,
  NonZeroNumeralsFilter, AlphabetRatioFilter, TerminalPunctuationFilter, RepetitionFilter,
  LinguaFilter on our ten languages, exact dedup), run in this process,
- the aligner's own bead score with min_score 0.3 (before adequacy existed).

The adequacy with and without chrF against a retranslation (WMT21 pairs; one MT system's
output stands in for it). Then the adequacy score against mismatched documents: each
WMT21/FLORES document of the half is aligned with its own English and with the next
document's English; AUC of the beads' adequacy (true vs mismatched), true beads under 0.3,
mismatched at 0.5 or more. Then the adequacy in its document (cleaners.judge.in_document, the
pipeline's score) beside the pair's: the same figures, the pipeline's decision on documents with
their own English, another's, half of it another's, two English sentences swapped or one replaced
by another article's (are the wrong beads still rejected?), and its calibration on those beads.
Last, pairs sharing invented shop-title names on both sides: right ones kept, the same names on
mismatched sentences rejected.

`mtclean filter` judges each pair repaired (cleaners.judge.repaired_pairs), and so does this
bench; ``--as-given`` judges the pairs as given (``mtclean filter --as-given``). ``--artefacts``
measures only what that repair is for: right pairs of the half given one MT artefact each
(bench/repair.py's fused-word generators and mojibakes), kept as given and repaired, and the same
English given another pair's Russian, rejected either way; then real MT (WMT21) as given and
repaired.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cleaners.adequacy import (  # noqa: E402
    FEATURES,
    Signals,
    adequacy,
    analyse_pairs,
    features,
    model_for,
)
from cleaners.align import align  # noqa: E402
from cleaners.build_adequacy import (  # noqa: E402
    ADEQUACY_NEGATIVES,
    NOISE_KINDS,
    Noisy,
    Pair,
    data_dir,
    dev_pairs,
    flores_pairs,
    heldout_table,
    noisy,
    shared_names,
    wmt_pairs,
)
from cleaners.config import PipelineConfig  # noqa: E402
from cleaners.judge import (  # noqa: E402
    PRIOR_BEADS,
    TEMPER,
    Judgement,
    filter_pairs,
    judge_beads,
    judge_pairs,
)

Decide = Callable[[Sequence[Noisy]], list[tuple[bool, tuple[str, ...]]]]


def reserved_pairs() -> list[Pair]:
    """The reserved (acceptance) sets as pairs: WMT22 (reference A, an MT system standing in
    for the retranslation) and FLORES devtest. For reporting only, never for tuning; the
    shipped tables never saw them."""
    data = data_dir()
    assert data is not None
    out = wmt_pairs(data / "wmt22-generaltest-ru-en", "wmt22")
    out += flores_pairs(data / "flores200", "devtest", "flores-devtest")
    return [p for p in out if p.ru.strip() and p.en.strip()]


# `mtclean filter` judges each pair repaired unless --as-given (cleaners.judge.repaired_pairs);
# this bench's --as-given measures the other way.
REPAIRED = True


def mtclean_decide(items: Sequence[Noisy], config: PipelineConfig | None = None,
                   table: Any = None) -> list[tuple[bool, tuple[str, ...]]]:  # fmt: skip
    """What `mtclean filter` decides on the stream (no retranslation)."""
    config = config or PipelineConfig()
    out = filter_pairs([(it.ru, it.en) for it in items], config, lex_table=table,
                       repaired=REPAIRED)  # fmt: skip
    return [(r.keep, r.reasons) for r in out]


def opusfilter_decide(items: Sequence[Noisy]) -> list[tuple[bool, tuple[str, ...]]]:
    from opusfilter.filters import (
        AlphabetRatioFilter,
        LengthFilter,
        LengthRatioFilter,
        LinguaFilter,
        NonZeroNumeralsFilter,
        RepetitionFilter,
        TerminalPunctuationFilter,
    )

    chain = [
        ("length", LengthFilter(min_length=1, max_length=150, unit="word")),
        ("length-ratio", LengthRatioFilter(threshold=3, unit="char")),
        ("numerals", NonZeroNumeralsFilter(threshold=0.5)),
        ("alphabet", AlphabetRatioFilter(threshold=0.75, exclude_whitespace=True)),
        ("punctuation", TerminalPunctuationFilter(threshold=-2)),
        ("repetition", RepetitionFilter()),
        ("lingua", LinguaFilter(languages=["ru", "en"], langid_languages=LANGS)),
    ]
    pairs = [(it.ru, it.en) for it in items]
    verdicts: list[list[str]] = [[] for _ in pairs]
    for name, f in chain:
        for k, score in enumerate(f.score(pairs)):
            if not f.accept(score):
                verdicts[k].append(name)
    seen: set[tuple[str, str]] = set()
    out = []
    for k, p in enumerate(pairs):
        why = verdicts[k]
        if not why:
            if p in seen:
                why.append("duplicate")
            seen.add(p)
        out.append((not why, tuple(why)))
    return out


LANGS = ["ru", "en", "uk", "be", "bg", "kk", "sr", "mk", "de", "fr"]


def min_score_decide(items: Sequence[Noisy], threshold: float = 0.3
                     ) -> list[tuple[bool, tuple[str, ...]]]:  # fmt: skip
    out = []
    for it in items:
        score = align([it.ru], [it.en])[0].score if it.ru and it.en else 0.0
        out.append((score >= threshold, () if score >= threshold else ("below-min-score",)))
    return out


Decided = list[tuple[bool, tuple[str, ...]]]


def print_table(items: Sequence[Noisy], decided: dict[str, Decided]) -> None:
    kinds = ["clean", *NOISE_KINDS]
    names = list(decided)
    print(f"| {'pairs':<16} | n     | " + " | ".join(f"{n:>12}" for n in names) + " |")
    print("|" + "---|" * (2 + len(names)))
    f1s = {}
    for kind in kinds:
        idx = [k for k, it in enumerate(items) if it.kind == kind]
        cells = []
        for n in names:
            kept = sum(decided[n][k][0] for k in idx)
            share = kept / len(idx) if kind == "clean" else 1 - kept / len(idx)
            cells.append(f"{100 * share:11.1f}%")
        label = "clean kept" if kind == "clean" else f"{kind} rej."
        print(f"| {label:<16} | {len(idx):<5} | " + " | ".join(cells) + " |")
    for n in names:
        tp = sum(not d[0] and it.kind != "clean" for d, it in zip(decided[n], items, strict=True))
        fp = sum(not d[0] and it.kind == "clean" for d, it in zip(decided[n], items, strict=True))
        fn = sum(d[0] and it.kind != "clean" for d, it in zip(decided[n], items, strict=True))
        f1s[n] = 2 * tp / (2 * tp + fp + fn)
    print(f"| {'F1 (reject noise)':<16} |       | " + " | ".join(f"{f1s[n]:12.3f}" for n in names)
          + " |")  # fmt: skip
    base = f1s.get("OpusFilter")
    if base:
        print(f"\nF1 ratio mtclean / OpusFilter: {f1s['mtclean'] / base:.2f}x")


def sweep(items: Sequence[Noisy], table: Any) -> None:
    """Clean kept and noise rejected as ``filters.min_adequacy`` moves (other filters on)."""
    cfg = PipelineConfig(filters={"disable": ["misaligned"]})
    out = filter_pairs([(it.ru, it.en) for it in items], cfg, lex_table=table, repaired=REPAIRED)
    kinds = ["clean", *NOISE_KINDS[:5]]
    print("\nmin_adequacy sweep (share kept for clean, rejected for the rest):")
    print("| min_adequacy | " + " | ".join(kinds) + " |\n|" + "---|" * (len(kinds) + 1))
    for thr in (0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7):
        cells = []
        for kind in kinds:
            idx = [k for k, it in enumerate(items) if it.kind == kind]
            rej = sum((not out[k].keep) or out[k].score < thr for k in idx) / len(idx)
            cells.append(f"{100 * (1 - rej if kind == 'clean' else rej):.1f} %")
        print(f"| {thr:.2f} | " + " | ".join(cells) + " |")


def with_retranslation(pairs: Sequence[Pair], table: Any) -> None:
    """The adequacy with and without chrF against a retranslation, on the WMT pairs given
    (one MT system's English of the Russian stands in for the offline retranslation)."""
    pairs = [p for p in pairs if p.mt]
    items = [it for it in noisy(pairs, seed=41, per_kind=300)
             if it.kind == "clean" or it.kind in ADEQUACY_NEGATIVES]  # fmt: skip
    kinds = ["clean", *[k for k in ADEQUACY_NEGATIVES if any(it.kind == k for it in items)]]
    thr = PipelineConfig().filters.min_adequacy
    print(f"\nWMT pairs, adequacy >= {thr} (clean kept, others rejected):")
    print("| model | " + " | ".join(kinds) + " |\n|" + "---|" * (len(kinds) + 1))
    for label, use_mt in (("base", False), ("with retranslation (mt)", True)):
        sigs = analyse_pairs(
            [(it.ru, it.en) for it in items],
            [it.mt if use_mt else None for it in items],
            lex_table=table,
        )
        scores = [adequacy(s) for s in sigs]
        cells = []
        for kind in kinds:
            vals = [a for a, it in zip(scores, items, strict=True) if it.kind == kind]
            share = sum((a >= thr) == (kind == "clean") for a in vals) / len(vals)
            cells.append(f"{100 * share:.1f} %")
        print(f"| {label} | " + " | ".join(cells) + " |")


def reliability(items: Sequence[Noisy], table: Any) -> None:
    """Calibration: per adequacy bin, the share of right pairs, on clean vs adequacy
    negatives weighted 50/50 (the mix the model is calibrated on)."""
    items = [it for it in items if it.kind == "clean" or it.kind in ADEQUACY_NEGATIVES]
    scores = np.array([adequacy(s) for s in analyse_pairs([(it.ru, it.en) for it in items],
                                                          lex_table=table)])  # fmt: skip
    right = np.array([it.kind == "clean" for it in items])
    w = np.where(right, 0.5 / right.sum(), 0.5 / (~right).sum())
    print("\nCalibration (clean vs adequacy negatives weighted 50/50):")
    print("| adequacy | pairs | mean adequacy | share right |\n|---|---|---|---|")
    for lo in np.arange(0, 1, 0.2):
        m = (scores >= lo) & ((scores < lo + 0.2) | (lo >= 0.8))
        if m.any():
            print(f"| {lo:.1f}–{lo + 0.2:.1f} | {m.sum()} | "
                  f"{np.average(scores[m], weights=w[m]):.3f} | "
                  f"{np.average(right[m], weights=w[m]):.3f} |")  # fmt: skip


def reasons_table(items: Sequence[Noisy], decided: list[tuple[bool, tuple[str, ...]]]) -> None:
    by: dict[str, Counter[str]] = defaultdict(Counter)
    for it, (_, why) in zip(items, decided, strict=True):
        by[it.kind].update(why)
    print("\nmtclean reasons per kind (a pair may have several):")
    for kind in ["clean", *NOISE_KINDS]:
        top = ", ".join(f"{r} {n}" for r, n in by[kind].most_common(5))
        print(f"  {kind:<16} {top}")


def auc(pos: np.ndarray, neg: np.ndarray) -> float:
    """P(a random positive scores above a random negative), ties counted half."""
    allv = np.concatenate([pos, neg])
    order = allv.argsort(kind="mergesort")
    ranks = np.empty(len(allv))
    ranks[order] = np.arange(1, len(allv) + 1)
    for v in np.unique(allv):  # average ranks of ties
        m = allv == v
        ranks[m] = ranks[m].mean()
    return float((ranks[: len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


@contextmanager
def aligner_table(table: Any) -> Iterator[None]:
    """The aligner reads the ru–en word table ``(ru→en, en→ru)`` given (the held-out one)
    instead of the shipped one, which saw every dev document: the beads scored must be what
    an aligner that never saw them makes."""
    if table is None:
        yield
        return
    from cleaners import lexsim

    shipped = lexsim.table

    def held(src: str = "ru", tgt: str = "en") -> Any:
        if (src, tgt) == ("ru", "en"):
            return table[0]
        return table[1] if (src, tgt) == ("en", "ru") else shipped(src, tgt)

    lexsim.table = held  # type: ignore[assignment]
    try:
        yield
    finally:
        lexsim.table = shipped  # type: ignore[assignment]


def news_documents(
    pairs: Sequence[Pair],
) -> tuple[dict[tuple[str, str], list[tuple[str, str]]], list[tuple[str, str]]]:
    """The WMT and FLORES pairs grouped by document, and the documents' keys in a seeded
    shuffled order (mismatched documents pair each with the next)."""
    docs: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for p in pairs:
        if p.source.startswith(("wmt", "flores")):
            docs[(p.source, p.doc)].append((p.ru, p.en))
    keys = sorted(docs)
    random.Random(14).shuffle(keys)
    return docs, keys


def why_low(s: Signals, top: int = 4) -> list[str]:
    """Why a pair scores low: each failure detector of its model that gives it log P(clean)
    under -0.3, with the ``top`` features pulling that detector down most (weight times the
    standardised value), as ``name=value(pull)``."""
    model = model_for(s)
    x = features(s)[[FEATURES.index(n) for n in model.names]]
    z = (x - model.mean) / model.scale
    out = []
    for kind, (w, b) in sorted(model.detectors.items()):
        log_p = -float(np.logaddexp(0.0, -(z @ w + b)))
        if log_p < -0.3:
            pulls = sorted(zip(w * z, model.names, x, strict=True))[:top]
            out.append(f"{kind} log P(clean) {log_p:.2f}: "
                       + ", ".join(f"{n}={v:.2f}({c:+.1f})" for c, n, v in pulls))  # fmt: skip
    return out


def mismatched_documents(runs: Sequence[DocRun], label: str, table: Any = None,
                         show: bool = False, explain: bool = False) -> None:  # fmt: skip
    """AUC of the beads' scores (true vs mismatched documents), true beads under 0.3,
    mismatched at 0.5 or more: the adequacy of the pair, in its document, the aligner's."""
    ctx = decide_runs(runs, TEMPER)
    rows: dict[str, tuple[list[float], list[float]]] = {
        "adequacy": ([], []),
        "adequacy in document context": ([], []),
        "aligner score (old)": ([], []),
    }
    tails: dict[str, list[tuple[float, float, str, str]]] = {"true": [], "mismatched": []}
    for r, d in zip(runs, ctx, strict=True):
        if r.case not in tails:
            continue
        side = 0 if r.case == "true" else 1
        for b, j, c, text in zip(r.beads, r.pair, d, r.texts, strict=True):
            if j is None or c is None or text is None:
                continue
            for name, v in zip(rows, (j.adequacy, c.adequacy, b.score), strict=True):
                rows[name][side].append(v)
            tails[r.case].append((j.adequacy, c.adequacy, *text))
    n = sum(r.case == "true" for r in runs)
    t_n, m_n = (len(v) for v in rows["adequacy"])
    print(f"\nAdequacy vs mismatched documents ({n} WMT+FLORES documents, {label}; "
          f"{t_n} true beads, {m_n} mismatched beads):")  # fmt: skip
    print("| score | AUC | true < 0.3 | mismatched >= 0.5 |\n|---|---|---|---|")
    for name, (t, m) in rows.items():
        t, m = np.array(t), np.array(m)
        print(f"| {name} | {auc(t, m):.4f} | {100 * (t < 0.3).mean():.2f} % | "
              f"{100 * (m >= 0.5).mean():.2f} % |")  # fmt: skip
    if show:
        # The beads behind the tail figures (either score), to read why they score as they do.
        for title, got in (("true beads under 0.3", sorted(p for p in tails["true"]
                                                           if min(p[:2]) < 0.3)),
                           ("mismatched beads at 0.5 or more",
                            sorted((p for p in tails["mismatched"] if max(p[:2]) >= 0.5),
                                   reverse=True))):  # fmt: skip
            print(f"\n{title} (pair score / in document): {len(got)}")
            for a, c, ru, en in got:
                print(f"  {a:.4f} / {c:.4f}  ru: {ru}\n                   en: {en}")
                for line in (
                    why_low(analyse_pairs([(ru, en)], lex_table=table)[0]) if explain else ()
                ):
                    print(f"                   {line}")


# Kinds of document the in-document adequacy is measured on (document_context): a document
# with its own English, with the next document's, with the second half of its English
# replaced by the next document's, with two of its English sentences swapped, with one
# replaced by a sentence of the next document.
DOC_CASES = ("true", "mismatched", "half", "swap", "replace")


def doc_case(case: str, mine: Sequence[str], other: Sequence[str], rng: random.Random
             ) -> tuple[list[str], list[int | None], set[int]] | None:  # fmt: skip
    """The English of one generated document, each English sentence's gold Russian sentence
    (None: another document's) and the positions injected (None when the document is too
    short for the case)."""
    n = len(mine)
    en, gold = list(mine), list[int | None](range(n))
    if case == "true":
        return en, gold, set()
    if case == "mismatched":
        return list(other), [None] * len(other), set(range(len(other)))
    if case == "half":
        h = (n + 1) // 2
        if n < 2 or len(other) < n - h:
            return None
        return en[:h] + list(other[: n - h]), gold[:h] + [None] * (n - h), set(range(h, n))
    if case == "swap":
        if n < 4:
            return None
        i = rng.randrange(n - 2)
        j = rng.randrange(i + 2, n)
        en[i], en[j], gold[i], gold[j] = en[j], en[i], j, i
        return en, gold, {i, j}
    if n < 3:  # replace
        return None
    i = rng.randrange(n)
    en[i], gold[i] = other[rng.randrange(len(other))], None
    return en, gold, {i}


class DocRun(NamedTuple):
    case: str
    n_ru: int
    beads: list[Any]  # cleaners.model.Bead
    pair: list[Judgement | None]  # each bead's pair judgement (None: one-sided)
    right: list[bool]  # each bead: every English sentence's gold Russian sentence is in it
    texts: list[tuple[str, str] | None]  # each two-sided bead's Russian and English
    injected: list[bool]  # each bead: holds an injected English position


def document_runs(pairs: Sequence[Pair], table: Any = None) -> list[DocRun]:
    """Every WMT+FLORES document of ``pairs`` in each of :data:`DOC_CASES`, aligned and its
    beads judged pair by pair as the pipeline judges them (held-out word table)."""
    docs, keys = news_documents(pairs)
    config = PipelineConfig()
    out = []
    for k, key in enumerate(keys):
        other = [e for _, e in docs[keys[(k + 1) % len(keys)]]]
        ru, mine = [r for r, _ in docs[key]], [e for _, e in docs[key]]
        rng = random.Random(f"{key}")
        for case in DOC_CASES:
            made = doc_case(case, mine, other, rng)
            if made is None:
                continue
            en, gold, injected = made
            with aligner_table(table):
                beads = align(ru, en)
            two = [b for b in beads if b.ru and b.en]
            texts = [(" ".join(ru[i] for i in b.ru), " ".join(en[j] for j in b.en)) for b in two]
            judged = iter(judge_pairs(texts, config, lex_table=table, aligned=True))
            by_bead = [next(judged) if b.ru and b.en else None for b in beads]
            it = iter(texts)
            both = [next(it) if b.ru and b.en else None for b in beads]
            right = [bool(b.en) and all(gold[j] in b.ru for j in b.en) for b in beads]
            inj = [any(j in injected for j in b.en) for b in beads]
            out.append(DocRun(case, len(ru), beads, by_bead, right, both, inj))
    return out


def decide_runs(runs: Sequence[DocRun], temper: float, prior_beads: float = PRIOR_BEADS
                ) -> list[list[Judgement | None]]:  # fmt: skip
    """The pipeline's decision on each run's beads (cleaners.judge.judge_beads)."""
    config = PipelineConfig()
    return [judge_beads(r.pair, config, r.n_ru, temper, prior_beads)[0] for r in runs]


def context_figures(runs: Sequence[DocRun], decided: Sequence[Sequence[Judgement | None]]
                    ) -> dict[str, float]:  # fmt: skip
    """The figures issue 14 judges a document-context score by (two-sided beads)."""
    by: dict[str, list[float]] = defaultdict(list)
    for r, d in zip(runs, decided, strict=True):
        for j, right, inj in zip(d, r.right, r.injected, strict=True):
            if j is None:
                continue
            kept = float(not j.reasons)
            if r.case == "true":
                by["true"].append(j.adequacy)
                by["true kept"].append(kept)
            elif r.case == "mismatched":
                by["mismatched"].append(j.adequacy)
                by["mismatched kept"].append(kept)
            elif r.case == "half":
                by["half right kept" if right else "half wrong kept"].append(kept)
            elif inj and not right:  # swap, replace: a wrong bead around an injected sentence
                by[f"{r.case} wrong kept"].append(kept)
            elif not inj:
                by[f"{r.case} others kept"].append(kept)
    t, m = np.array(by.pop("true")), np.array(by.pop("mismatched"))
    out = {"AUC": auc(t, m), "true < 0.3": float((t < 0.3).mean()),
           "mismatched >= 0.5": float((m >= 0.5).mean())}  # fmt: skip
    out.update({k: float(np.mean(v)) for k, v in sorted(by.items())})
    return out


def document_context(runs: Sequence[DocRun], label: str, grid: bool = False) -> None:
    """The adequacy alone and in its document (cleaners.judge.in_document) on generated
    documents (:data:`DOC_CASES`): the mismatched-documents figures, the pipeline's decision
    per case (kept shares; a wrong bead is one holding an English sentence whose gold Russian
    it lacks), and calibration over all their two-sided beads."""
    settings = {"adequacy (pair)": (0.0, PRIOR_BEADS),
                "adequacy in document context": (TEMPER, PRIOR_BEADS)}  # fmt: skip
    if grid:
        settings |= {f"temper {t}, prior beads {a}": (t, a)
                     for t in (0.5, 0.75, 1.0) for a in (1.0, 2.0, 4.0)}  # fmt: skip
    decided = {name: decide_runs(runs, t, a) for name, (t, a) in settings.items()}
    rows = {name: context_figures(runs, d) for name, d in decided.items()}
    counts = Counter(r.case for r in runs)
    print(f"\nAdequacy in document context ({label}; documents per case: "
          + ", ".join(f"{c} {n}" for c, n in counts.items()) + "):")  # fmt: skip
    cols = list(next(iter(rows.values())))
    print("| score | " + " | ".join(cols) + " |\n|" + "---|" * (len(cols) + 1))
    for name, fig in rows.items():
        cells = [f"{v:.4f}" if c == "AUC" else f"{100 * v:.2f} %" for c, v in fig.items()]
        print(f"| {name} | " + " | ".join(cells) + " |")
    print("\nCalibration over these beads (every case; right: as above):")
    print("| score | bin | beads | mean score | share right |\n|---|---|---|---|---|")
    for name in list(settings)[:2]:
        scores, right = [], []
        for r, d in zip(runs, decided[name], strict=True):
            for j, ok in zip(d, r.right, strict=True):
                if j is not None:
                    scores.append(j.adequacy)
                    right.append(ok)
        s, y = np.array(scores), np.array(right, dtype=float)
        for lo in np.arange(0, 1, 0.2):
            m = (s >= lo) & ((s < lo + 0.2) | (lo >= 0.8))
            if m.any():
                print(f"| {name} | {lo:.1f}–{lo + 0.2:.1f} | {m.sum()} | {s[m].mean():.3f} | "
                      f"{y[m].mean():.3f} |")  # fmt: skip


def short_documents(pairs: Sequence[Pair], label: str, table: Any = None) -> None:
    """The document-level check on short documents: the first 1, 2 or 3 sentences of each
    WMT+FLORES document with its own English and with the next document's (as in
    mismatched_documents), aligned and judged as the pipeline judges a document
    (cleaners.judge.not_parallel); share of each flagged not-parallel, per
    ``filters.not_parallel_short_below`` (the default first)."""
    from cleaners.judge import judge_pairs, not_parallel

    docs, keys = news_documents(pairs)
    default = PipelineConfig()
    below = [default.filters.not_parallel_short_below, 0.1, 0.2]
    configs = [
        PipelineConfig.model_validate({"filters": {"not_parallel_short_below": b}}) for b in below
    ]

    def flagged(ru: list[str], en: list[str]) -> list[bool]:
        with aligner_table(table):
            beads = [b for b in align(ru, en) if b.ru and b.en]
        pairs = [(" ".join(ru[i] for i in b.ru), " ".join(en[j] for j in b.en)) for b in beads]
        judged = judge_pairs(pairs, default, lex_table=table, aligned=True)
        return [not_parallel(judged, cfg, len(ru)) for cfg in configs]

    print(f"\nShort documents flagged not-parallel ({label}):")
    print("| sentences | documents | not_parallel_short_below | right English flagged | "
          "another's English flagged |\n|---|---|---|---|---|")  # fmt: skip
    for n in (1, 2, 3):
        right, wrong, total = np.zeros(len(below)), np.zeros(len(below)), 0
        for k, key in enumerate(keys):
            mine, other = docs[key][:n], docs[keys[(k + 1) % len(keys)]][:n]
            if len(mine) < n or len(other) < n:
                continue
            total += 1
            right += flagged([r for r, _ in mine], [e for _, e in mine])
            wrong += flagged([r for r, _ in mine], [e for _, e in other])
        for b, r, w in zip(below, right, wrong, strict=True):
            print(f"| {n} | {total} | {b} | {100 * r / max(total, 1):.2f} % | "
                  f"{100 * w / max(total, 1):.1f} % |")  # fmt: skip


def shop_names(pairs: Sequence[Pair], table: Any) -> None:
    """Pairs sharing invented shop-title names (brand, model code, size, units) on both sides
    (cleaners.build_adequacy.shared_names, on the measured half): right ones must be kept,
    the same names on mismatched sentences or a Russian side left in the English rejected."""
    items = shared_names(pairs, 300, seed=41)
    decided = mtclean_decide(items, table=table)
    n: Counter[str] = Counter()
    kept: Counter[str] = Counter()
    for it, (keep, _) in zip(items, decided, strict=True):
        n[it.kind] += 1
        kept[it.kind] += keep
    print("\nPairs sharing shop-title names (Latin brand, code, size, units on both sides):")
    print("| pairs | n | kept |\n|---|---|---|")
    for kind in n:
        print(f"| {kind} | {n[kind]} | {100 * kept[kind] / n[kind]:.1f} % |")


# Number words a changed pair gets (bench only: the noisy set above stays as it was). Russian
# cardinals by case (nominative, genitive, dative, instrumental), so "трёх" becomes "пяти";
# ordinals of one ending type swap among themselves ("пятый" ↔ "девятый").
_RU_CASES = {
    2: "два двух двум двумя", 3: "три трёх трём тремя", 4: "четыре четырёх четырём четырьмя",
    5: "пять пяти пяти пятью", 6: "шесть шести шести шестью", 7: "семь семи семи семью",
    8: "восемь восьми восьми восемью", 9: "девять девяти девяти девятью",
    10: "десять десяти десяти десятью", 20: "двадцать двадцати двадцати двадцатью",
    30: "тридцать тридцати тридцати тридцатью", 40: "сорок сорока сорока сорока",
    100: "сто ста ста ста",
}  # fmt: skip
_RU_ORD = {"ый": {5: "пят", 9: "девят", 10: "десят"}, "ой": {2: "втор", 6: "шест", 7: "седьм",
                                                                 8: "восьм"}}  # fmt: skip
_EN_CARD = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight",
            9: "nine", 10: "ten", 11: "eleven", 12: "twelve", 15: "fifteen", 20: "twenty",
            30: "thirty", 40: "forty", 50: "fifty", 100: "hundred"}  # fmt: skip
_EN_ORD = {2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth", 7: "seventh",
           8: "eighth", 9: "ninth", 10: "tenth"}  # fmt: skip
_ENDINGS = ("ый", "ой", "ая", "ое", "ые", "ого", "ому", "ым", "ом", "ую", "ых", "ыми")


def _word_table() -> dict[str, tuple[str, int, Callable[[int], str | None]]]:
    """Each changeable number word: its language, value and how to write another value."""
    out: dict[str, tuple[str, int, Callable[[int], str | None]]] = {}
    for v, forms in _RU_CASES.items():
        for col, form in enumerate(forms.split()):
            out.setdefault(form, ("ru", v, lambda n, c=col: _ru_case(n, c)))
    out["две"] = ("ru", 2, lambda n: _ru_case(n, 0))
    for end_type, stems in _RU_ORD.items():
        for v, stem in stems.items():
            for end in _ENDINGS:
                if end in {"ый", "ой"} and end != end_type:
                    continue
                out[stem + end] = (
                    "ru",
                    v,
                    lambda n, e=end, t=end_type: (
                        _RU_ORD[t][n] + (t if e in {"ый", "ой"} else e) if n in _RU_ORD[t] else None
                    ),
                )
    for v, w in _EN_CARD.items():
        out[w] = ("en", v, lambda n: _EN_CARD.get(n))
    for v, w in _EN_ORD.items():
        out[w] = ("en", v, lambda n: _EN_ORD.get(n))
    return out


def _ru_case(n: int, col: int) -> str | None:
    forms = _RU_CASES.get(n)
    return forms.split()[col] if forms else None


_CHANGEABLE = _word_table()
_ANY_NUMBER_WORD = set(_CHANGEABLE) | {
    "hundred",
    "thousand",
    "million",
    "billion",
    "тысяч",
    "тысячи",
    "тысяча",
    "миллиона",
    "миллионов",
    "and",
}


def change_number_word(ru: str, en: str, rng: random.Random) -> tuple[str, str] | None:
    """The pair with one number word changed to another value ("три семьи" ↔ "four
    families"), when one side writes a number in a single word that the other side has too
    (as a word or in digits); None when it has none."""
    spots = []
    for side, text, other in (("ru", ru, en), ("en", en, ru)):
        toks = list(re.finditer(r"[^\W\d_]+|\d+|-", text))
        other_words = {_CHANGEABLE[t.lower()][1] for t in re.findall(r"[^\W\d_]+", other)
                       if t.lower() in _CHANGEABLE}  # fmt: skip
        other_digits = {int(d) for d in re.findall(r"(?<![\d.,])\d+(?![\d.,])", other)}
        for k, t in enumerate(toks):
            got = _CHANGEABLE.get(t.group().lower())
            if got is None or got[0] != side or got[1] not in other_words | other_digits:
                continue
            near = [toks[j].group().lower() for j in (k - 1, k + 1) if 0 <= j < len(toks)]
            if any(w in _ANY_NUMBER_WORD or w == "-" for w in near):
                continue  # part of a compound ("twenty-six", "две тысячи")
            spots.append((side, t, got))
    rng.shuffle(spots)
    for side, t, (_, v, write) in spots:
        for n in rng.sample([v + 1, v - 1, v * 10, v // 10, v + 2], 5):
            new = write(n) if n >= 2 and n != v else None
            if new:
                if t.group()[0].isupper():
                    new = new[0].upper() + new[1:]
                text = ru if side == "ru" else en
                text = text[: t.start()] + new + text[t.end() :]
                return (text, en) if side == "ru" else (ru, text)
    return None


def number_words(pairs: Sequence[Pair], label: str, table: Any) -> None:
    """Dev pairs whose number word is changed to another value on one side (generated by
    change_number_word): rejected; the same pairs unchanged: kept. Separate from the noisy
    set above, whose number changes are digits only, so earlier figures stay comparable."""
    rng = random.Random(41)
    changed, same = [], []
    for p in pairs:
        got = change_number_word(p.ru, p.en, rng)
        if got:
            changed.append(Noisy("number-word", got[0], got[1], p.mt, p.source))
            same.append(Noisy("clean", p.ru, p.en, p.mt, p.source))
    kept_changed = [k for k, _ in mtclean_decide(changed, table=table)]
    kept_same = [k for k, _ in mtclean_decide(same, table=table)]
    print(f"\nNumber words changed to another value on one side ({label}, pairs with a number "
          "word):")  # fmt: skip
    print("| pairs | n | rejected | kept |\n|---|---|---|---|")
    n = max(len(changed), 1)
    print(f"| number word changed | {len(changed)} | {100 * (1 - sum(kept_changed) / n):.1f} % | |")
    print(f"| same pairs unchanged | {len(same)} | | {100 * sum(kept_same) / n:.1f} % |")


def _repair_bench() -> Any:
    """bench/repair.py as a module: its artefact generators (fused words, mojibake)."""
    import importlib.util

    path = Path(__file__).resolve().parent / "repair.py"
    spec = importlib.util.spec_from_file_location("bench_repair", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def artefact_cases(pairs: Sequence[Pair], per_kind: int, seed: int = 16
                   ) -> list[tuple[str, str, str]]:  # fmt: skip
    """``(kind, ru, en)`` right pairs with one MT artefact each, made by bench/repair.py's
    generators: one space deleted in the English (a fused word of each kind it draws, its
    ``is-a-word`` fusions and ``sentence`` runs left out: no pair to hold them), and the
    Russian (or, where that changes it, the English) in each mojibake it makes."""
    rb = _repair_bench()
    ru_of: dict[str, str] = {}
    for p in pairs:
        ru_of.setdefault(p.en, p.ru)
    en = list(ru_of)
    rng = random.Random(seed)
    made = rb.make_fused(en, per_kind * 4, random.Random(seed))
    made += rb.make_start_fused(en, per_kind, random.Random(seed + 1))
    made += rb.make_head_joined(en, per_kind, random.Random(seed + 2))
    made += rb.make_capital_tail(en, per_kind, random.Random(seed + 3))
    made += rb.make_capital_word(en, per_kind, random.Random(seed + 4))
    cases: list[tuple[str, str, str]] = []
    count: Counter[str] = Counter()
    for kind, fused, gold in made:
        if kind in (rb.IS_A_WORD, "sentence") or gold not in ru_of or count[kind] >= per_kind:
            continue
        count[kind] += 1
        cases.append((f"en {kind}", ru_of[gold], fused))
    sample = [p for p in pairs if p.en in ru_of]
    sample = rng.sample(sample, min(per_kind, len(sample)))
    for kind in ("utf8_as_cp1252", "utf8_as_cp1251", "cp1251_as_latin1", "utf8_as_koi8r",
                 "double_utf8", "utf8_cp1252_lost_sp"):  # fmt: skip
        for p in sample:
            moji, _ = rb.corrupt(p.ru, kind)
            cases.append((f"ru {kind}", moji, p.en))
    for kind in ("utf8_as_cp1252", "double_utf8"):
        for p in pairs:
            moji, _ = rb.corrupt(p.en, kind)
            if moji != p.en and count[f"en {kind}"] < per_kind:
                count[f"en {kind}"] += 1
                cases.append((f"en {kind}", p.ru, moji))
    return cases


def artefacts(pairs: Sequence[Pair], label: str, table: Any, per_kind: int) -> None:
    """Right dev pairs with an MT artefact the repair fixes (bench/repair.py's generators):
    kept by `mtclean filter` as given and repaired; and the same English given another pair's
    Russian (wrong pairs with the artefact): rejected either way. Deduplication is off (each
    case judged alone), the clean pairs the artefacts were put in are the baseline."""
    cfg = PipelineConfig.model_validate({"filters": {"disable": ["duplicate", "near-duplicate"]}})
    cases = artefact_cases(pairs, per_kind)
    rng = random.Random(17)
    ru_all = [ru for _, ru, _ in cases]
    wrong = [(k, ru_all[(i + 1 + rng.randrange(len(cases) - 1)) % len(cases)], en)
             for i, (k, _, en) in enumerate(cases)]  # fmt: skip
    base = [(p.ru, p.en) for p in pairs]

    def kept(items: Sequence[tuple[str, str]], repaired: bool) -> list[bool]:
        t = time.perf_counter()
        out = [v.keep for v in filter_pairs(items, cfg, lex_table=table, repaired=repaired)]
        cost[repaired] += time.perf_counter() - t
        return out

    cost = {False: 0.0, True: 0.0}
    print(f"\n## Right pairs with an MT artefact, {label}: kept as given / repaired")
    print("| pairs | n | kept as given | kept repaired | wrong rej. as given | "
          "wrong rej. repaired |\n|---|---|---|---|---|---|")  # fmt: skip
    b0, b1 = kept(base, False), kept(base, True)
    print(f"| clean (no artefact) | {len(base)} | {sum(b0) / len(base):.1%} | "
          f"{sum(b1) / len(base):.1%} | | |")  # fmt: skip
    right = [(ru, en) for _, ru, en in cases]
    bad = [(ru, en) for _, ru, en in wrong]
    r0, r1, w0, w1 = kept(right, False), kept(right, True), kept(bad, False), kept(bad, True)
    rows: dict[str, list[int]] = defaultdict(list)
    for k, (kind, _, _) in enumerate(cases):
        rows[kind].append(k)
    fused = {kind for kind, _, _ in cases if "_" not in kind}
    rows["en fused words, all kinds"] = [k for k, c in enumerate(cases) if c[0] in fused]
    rows["ru mojibake, all kinds"] = [k for k, c in enumerate(cases) if c[0].startswith("ru ")]
    rows["all artefacts"] = list(range(len(cases)))
    for kind, ks in rows.items():
        n = len(ks)
        print(f"| {kind} | {n} | {sum(r0[k] for k in ks) / n:.1%} | "
              f"{sum(r1[k] for k in ks) / n:.1%} | {sum(not w0[k] for k in ks) / n:.1%} | "
              f"{sum(not w1[k] for k in ks) / n:.1%} |")  # fmt: skip
    gained = sum(b and not a for a, b in zip(r0, r1, strict=True))
    lost = sum(a and not b for a, b in zip(r0, r1, strict=True))
    print(
        f"right pairs kept only repaired: {gained}, only as given: {lost}; "
        f"time as given {cost[False]:.1f} s, repaired {cost[True]:.1f} s"
    )
    mt = [(p.ru, p.mt) for p in pairs if p.mt]
    if mt:
        m0, m1 = kept(mt, False), kept(mt, True)
        print(
            f"real MT (WMT21, one system's English for the Russian), {len(mt)} pairs: kept "
            f"as given {sum(m0) / len(mt):.1%}, repaired {sum(m1) / len(mt):.1%}"
        )


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--half", choices=("eval", "fit"), default="eval")
    ap.add_argument("--per-kind", type=int, default=600, help="noisy pairs per kind")
    ap.add_argument("--no-opusfilter", action="store_true")
    ap.add_argument("--sweep", action="store_true", help="also sweep filters.min_adequacy")
    ap.add_argument(
        "--show-tails",
        action="store_true",
        help="print the true beads under 0.3 and the mismatched beads at 0.5 or more",
    )
    ap.add_argument(
        "--explain",
        action="store_true",
        help="with --show-tails: under each bead, the failure detectors that fire and the "
        "features that pull each down most",
    )
    ap.add_argument(
        "--context-grid",
        action="store_true",
        help="also print the document-context figures for a grid of temper and prior beads",
    )
    ap.add_argument(
        "--only-context",
        action="store_true",
        help="measure only the adequacy in document context (and the mismatched documents)",
    )
    ap.add_argument(
        "--shipped-table",
        action="store_true",
        help="score with the shipped word table (it saw every dev sentence: optimistic) instead "
        "of one rebuilt without the measured half's documents",
    )
    ap.add_argument(
        "--reserved",
        action="store_true",
        help="measure on the reserved sets (WMT22, FLORES devtest) with the shipped tables: "
        "acceptance figures to report once, never to tune on",
    )
    ap.add_argument(
        "--as-given",
        action="store_true",
        help="judge the pairs as given (mtclean filter --as-given), not repaired",
    )
    ap.add_argument(
        "--artefacts",
        action="store_true",
        help="only: right pairs with MT artefacts (fused words, mojibake) kept as given and "
        "repaired",
    )
    args = ap.parse_args(argv)
    global REPAIRED
    REPAIRED = not args.as_given
    if data_dir() is None:
        print("the shared data folder is absent (set MTCLEAN_DATA)")
        return 1
    if args.reserved:
        args.shipped_table = True  # the shipped tables never saw the reserved sets
        pairs, label = reserved_pairs(), "reserved WMT22 + FLORES devtest"
    else:
        pairs = [p for p in dev_pairs() if p.half == args.half]
        label = f"dev '{args.half}' half"
    if args.artefacts:
        table = None if args.shipped_table else heldout_table(args.half)
        artefacts(pairs, label, table, args.per_kind)
        return 0
    if args.only_context:
        table = None if args.shipped_table else heldout_table(args.half)
        runs = document_runs(pairs, table)
        mismatched_documents(runs, label, table, args.show_tails, args.explain)
        document_context(runs, label, args.context_grid)
        return 0
    items = noisy(pairs, seed=41, per_kind=args.per_kind)
    clean = [it for it in items if it.kind == "clean"]
    rest = [it for it in items if it.kind != "clean"]
    random.Random(41).shuffle(rest)
    items = clean + rest
    print(f"{len(items)} pairs ({len(clean)} clean), {label}\n")
    decided: dict[str, list[tuple[bool, tuple[str, ...]]]] = {}
    t = time.perf_counter()
    table = None if args.shipped_table else heldout_table(args.half)
    held = f"rebuilt without the {args.half} half's documents"
    shipped = "shipped (never saw them)" if args.reserved else "shipped (saw these sentences)"
    print(f"word table: {shipped if table is None else held}\n")
    decided["mtclean"] = mtclean_decide(items, table=table)
    t_ours = time.perf_counter() - t
    if not args.no_opusfilter:
        try:
            t = time.perf_counter()
            decided["OpusFilter"] = opusfilter_decide(items)
            t_opus = time.perf_counter() - t
        except ImportError:
            print("(opusfilter is not installed: pip install opusfilter)")
            t_opus = None
    decided["min_score 0.3"] = min_score_decide(items)
    print_table(items, decided)
    reasons_table(items, decided["mtclean"])
    print(f"\ntime: mtclean {t_ours:.1f} s" + (f", OpusFilter {t_opus:.1f} s" if "OpusFilter"
                                                  in decided and t_opus else ""))  # fmt: skip
    if args.sweep:
        sweep(items, table)
    reliability(items, table)
    with_retranslation(pairs, table)
    runs = document_runs(pairs, table)
    mismatched_documents(runs, label, table, args.show_tails, args.explain)
    document_context(runs, label, args.context_grid)
    short_documents(pairs, label, table)
    shop_names(pairs, table)
    number_words(pairs, label, table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
