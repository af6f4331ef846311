"""Benchmark the bilingual evidence for fused words: the monolingual rules alone, the same
plus the aligned Russian sentence (``mtclean run``), the same with a wrong Russian
sentence (a control: evidence must not come from any Russian), and wordsegment as a peer.

Cases are built at run time from dev pairs only (WMT21 ru–en: the Russian originals and
reference A; FLORES dev): one space deleted in the English of a pair, the Russian kept.
Kinds: a function word and a content word (``fn-word``), two content words
(``content``), a sentence's capitalised first word and the next (``start``); a fusion
that is itself a dictionary word (``is-a-word``) is left out of P/R/F1 as in
bench/repair.py. False changes are word boundaries added or removed per 1,000 tokens of
every pair as given (unfused), each with its own Russian; ``names`` is the share of those
pairs' English names (bench/repair.py's: unknown capitalised words) not left whole.
Reserved sets (WMT22, FLORES devtest) are never read.

    PYTHONPATH=. .venv/bin/python bench/bilingual.py [--n 1500] [--peer-n 300] [--show 20]
"""

from __future__ import annotations

import argparse
import collections
import os
import random
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("MTCLEAN_DATA") or ROOT.parent / "shared" / "data")
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from repair import (  # noqa: E402  (bench/repair.py)
    case_counts,
    false_changes,
    names_at_start,
    names_in_context,
    prf,
    well_formed,
)

from cleaners.repair import repair, replay  # noqa: E402
from cleaners.repair.bilingual import KEEP_RULE, SPLIT_RULE, evidence_edits  # noqa: E402
from cleaners.repair.engine import compose  # noqa: E402
from cleaners.repair.tables import words  # noqa: E402
from cleaners.repair.words import dictionary_words  # noqa: E402

FUNCTION_WORDS = words("function_words.txt", "en")
IS_A_WORD = "is-a-word"
_TOKEN = re.compile(r"\S+")


def _lines(path: Path) -> list[str]:
    return [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()]


def dev_pairs() -> list[tuple[str, str]]:
    """(Russian, English) line pairs of the dev sets, both sides non-empty."""
    wmt = DATA / "wmt21-newstest-ru-en"
    flores = DATA / "flores200"
    pairs = list(zip(_lines(wmt / "src.ru.txt"), _lines(wmt / "ref.A.en.txt"), strict=True))
    pairs += zip(
        _lines(flores / "dev.rus_Cyrl.txt"), _lines(flores / "dev.eng_Latn.txt"), strict=True
    )
    return [(r, e) for r, e in pairs if r and e]


Case = tuple[str, str, str, str]  # (kind, fused English, gold English, Russian)


def make_cases(
    pairs: list[tuple[str, str]], n: int, rng: random.Random
) -> tuple[list[Case], list[tuple[str, str]]]:
    """Fused cases (one deleted space each, the Russian kept) and the clean pairs: every
    pair of the pool as given (a fused case's gold English is clean English too)."""
    pool = [p for p in pairs if 5 <= len(p[1].split()) <= 60 and well_formed(p[1])]
    rng.shuffle(pool)
    dictionary = dictionary_words()
    cases: list[Case] = []
    clean: list[tuple[str, str]] = []
    for i, (ru, en) in enumerate(pool):
        clean.append((ru, en))
        if len(cases) >= n:
            continue
        toks = list(_TOKEN.finditer(en))
        if i % 3 == 2:
            a, b = toks[0], toks[1]
            ok = re.fullmatch(r"[A-Z][a-z]*", a.group()) and re.fullmatch(
                r"[a-z]+[,.;:!?]?", b.group()
            )
            pairs_ab = [(a, b)] if ok else []
        else:
            pairs_ab = [
                (a, b)
                for a, b in zip(toks, toks[1:], strict=False)
                if re.fullmatch(r"[a-z]+", a.group())
                and re.fullmatch(r"[a-z]+[,.;:!?]?", b.group())
            ]
        if not pairs_ab:
            continue
        a, b = rng.choice(pairs_ab)
        tail = b.group().rstrip(",.;:!?")
        if (a.group() + tail).lower() in dictionary:
            kind = IS_A_WORD
        elif a.start() == 0 and a.group()[0].isupper():
            kind = "start"
        elif {a.group().lower(), tail} & FUNCTION_WORDS:
            kind = "fn-word"
        else:
            kind = "content"
        cases.append((kind, en[: a.end()] + en[b.start() :], en, ru))
    return cases, clean


def monolingual(en: str, ru: str) -> str:
    return repair(en, "en").text


def bilingual(en: str, ru: str, log: list[tuple[str, str, str]] | None = None) -> str:
    """What ``mtclean run`` makes of one aligned sentence pair: the repair, then the
    Russian's say (``evidence_edits``) folded in."""
    res = repair(en, "en")
    later = evidence_edits(res.text, res.edits, ru)
    if not later:
        return res.text
    if log is not None:
        log.extend((x.rule, x.before, x.after) for x in later)
    return replay(en, compose(en, res.edits, later))


def score(tool: Callable[[str, str], str], cases: list[Case], clean) -> dict[str, float]:
    tp = fp = fn = 0
    by_kind: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0, 0])
    t0 = time.perf_counter()
    for kind, fused, gold, ru in cases:
        k_tp, k_fp, k_fn = case_counts(fused, gold, tool(fused, ru))
        if kind != IS_A_WORD:
            tp, fn, fp = tp + k_tp, fn + k_fn, fp + k_fp
        row = by_kind[kind]
        row[0], row[1], row[2] = row[0] + k_tp, row[1] + k_fp, row[2] + k_fn
    elapsed = time.perf_counter() - t0
    changes = sum(false_changes(en, tool(en, ru)) for ru, en in clean)
    tokens = sum(len(en.split()) for _, en in clean)
    out = {
        **prf(tp, fp, fn),
        "FP": float(fp),
        "false/1k": 1000 * changes / tokens if tokens else 0.0,
        "cases/s": len(cases) / elapsed if elapsed else 0.0,
    }
    for kind, (a, _f, c) in sorted(by_kind.items()):
        out[f"R[{kind}]"] = a / (a + c) if a + c else 1.0
    return out


def names_changed(tool: Callable[[str, str], str], pairs: list[tuple[str, str]]) -> float:
    """Share of the pairs' English names (unknown capitalised words, at a sentence start
    or inside) that ``tool`` does not leave whole."""
    cases = []
    for ru, en in pairs:
        found = names_at_start([en], 1) or names_in_context([en], 1)
        if found:
            cases.append((ru, en, found[0][1]))
    changed = sum(
        1 for ru, en, name in cases if not re.search(rf"\b{re.escape(name)}\b", tool(en, ru))
    )
    return changed / len(cases) if cases else 0.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=1500, help="fused cases")
    ap.add_argument("--peer-n", type=int, default=300, help="cases and clean pairs for wordsegment")
    ap.add_argument("--show", type=int, default=20, help="evidence edits to print")
    ap.add_argument("--seed", type=int, default=17)
    args = ap.parse_args()
    if not (DATA / "wmt21-newstest-ru-en").is_dir():
        print(f"no data at {DATA}", file=sys.stderr)
        return 2
    cases, clean = make_cases(dev_pairs(), args.n, random.Random(args.seed))
    kinds = collections.Counter(k for k, *_ in cases)
    print(f"{len(cases)} fused cases {dict(sorted(kinds.items()))}; {len(clean)} clean pairs")
    # A wrong Russian: the next case's (a control for evidence found in any sentence).
    shifted = [(k, f, g, cases[(i + 1) % len(cases)][3]) for i, (k, f, g, _) in enumerate(cases)]
    clean_shifted = [(clean[(i + 1) % len(clean)][0], en) for i, (_, en) in enumerate(clean)]
    for _, fused, _, ru in cases:  # warm the tables and caches both tools share
        bilingual(fused, ru)
    log: list[tuple[str, str, str]] = []
    rows = {
        "monolingual": score(monolingual, cases, clean),
        "+ Russian": score(lambda e, r: bilingual(e, r, log), cases, clean),
        "+ wrong Russian": score(bilingual, shifted, clean_shifted),
    }
    try:
        import wordsegment

        wordsegment.load()
        sub = random.Random(args.seed).sample(cases, min(args.peer_n, len(cases)))
        sub_clean = clean[: args.peer_n]
        rows[f"wordsegment ({len(sub)})"] = score(
            lambda e, r: " ".join(wordsegment.segment(e)), sub, sub_clean
        )
        rows[f"+ Russian ({len(sub)})"] = score(bilingual, sub, sub_clean)
    except ImportError:
        print("wordsegment not installed: no peer row")
    for name, tool in (("monolingual", monolingual), ("+ Russian", bilingual)):
        rows[name]["names"] = names_changed(tool, clean)
    cols = sorted({k for r in rows.values() for k in r}, key=_col_order)
    print(f"{'':24}" + "".join(f"{c:>13}" for c in cols))
    for name, r in rows.items():
        print(f"{name:24}" + "".join(_fmt(r.get(c)) for c in cols))
    mono, bi = rows["monolingual"], rows["+ Russian"]
    print(
        f"\nwith the Russian: F1 {mono['F1']:.4f} -> {bi['F1']:.4f}, "
        f"false changes/1k {mono['false/1k']:.3f} -> {bi['false/1k']:.3f}, "
        f"speed x{bi['cases/s'] / mono['cases/s']:.2f} of the monolingual rules"
    )
    by_rule = collections.Counter(r for r, _, _ in log)
    print(f"evidence edits on the fused cases and clean pairs: {dict(by_rule)}")
    for rule in (SPLIT_RULE, KEEP_RULE):
        shown = [(b, a) for r, b, a in log if r == rule][: args.show]
        if shown:
            print(f"  {rule}: " + "; ".join(f"{b!r} -> {a!r}" for b, a in shown))
    return 0


def _col_order(c: str) -> tuple[int, str]:
    order = ["P", "R", "F1", "FP", "false/1k", "names", "cases/s"]
    return (order.index(c), c) if c in order else (len(order), c)


def _fmt(v: float | None) -> str:
    if v is None:
        return f"{'-':>13}"
    return f"{v:>13.1f}" if v >= 100 else f"{v:>13.4f}"


if __name__ == "__main__":
    raise SystemExit(main())
