"""The deletion prior against documents' own deletion rates: a fixed ``p_skip`` vs the refit.

    .venv/bin/python bench/skip_rates.py                 # rates 0, 2, 5, 10, 20 %
    .venv/bin/python bench/skip_rates.py --rates 0,0.3   # others

Dev documents (WMT21 news ru–en with reference A, FLORES-200 dev de–fr) lose each target-side
sentence (English, French) with the given probability, nothing else: the gold is 1-1 beads and
a 1-0 per lost sentence. Each rate is aligned twice in the same process, with the configured
prior for every document (``_SKIP_REFIT`` off) and with the prior refitted to each document's
first path (``cleaners.align._refit_skip_prior``), and scored as the published Text+Berg table
is (``paper F1``: every predicted bead in precision, deletions included) and strictly. "docs"
aligns the sets' documents as they are (3–10 lines each: the refit's pseudo-count holds their
prior near the configured one); "joined" aligns runs of consecutive documents of at least
``--join`` lines as one document each (a long page, a book chapter). The shipped word tables
are used (they saw these dev sets; both arms alike). Data: ``$MTCLEAN_DATA`` or
``../shared/data``, as bench/align.py.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import align as bench  # noqa: E402  (bench/align.py: loaders, Case, scorers)

from cleaners.config import AlignConfig  # noqa: E402


def dropped(doc: bench.Doc, rate: float, rng: random.Random) -> bench.Case:
    """``doc`` with each target-side line lost with probability ``rate``."""
    en: list[str] = []
    gold: bench.Beads = []
    for i, line in enumerate(doc.en):
        if rng.random() < rate:
            gold.append(((i,), ()))
        else:
            gold.append(((i,), (len(en),)))
            en.append(line)
    return bench.Case(list(doc.ru), en, None, gold)


def joined(docs: Sequence[bench.Doc], at_least: int) -> list[bench.Doc]:
    """Consecutive documents joined into documents of at least ``at_least`` lines (the last
    one takes the rest)."""
    out: list[bench.Doc] = []
    cur = bench.Doc("", [], [], None)
    for d in docs:
        cur.id += d.id + "+"
        cur.ru += d.ru
        cur.en += d.en
        if len(cur.ru) >= at_least:
            out.append(cur)
            cur = bench.Doc("", [], [], None)
    if cur.ru:
        if out:
            out[-1].ru += cur.ru
            out[-1].en += cur.en
        else:
            out.append(cur)
    return out


def run(cases: Sequence[bench.Case], langs: tuple[str, str], refit: bool) -> list[bench.Beads]:
    with bench.patched("_SKIP_REFIT", refit):
        return [bench.run_mtclean(c, AlignConfig(), False, langs) for c in cases]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rates", default="0,0.02,0.05,0.1,0.2")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--join", type=int, default=150, help="lines per joined document")
    args = ap.parse_args()
    if not bench.DATA.exists():
        sys.exit(f"no data: {bench.DATA} is missing")
    rates = [float(x) for x in args.rates.split(",")]
    sets = [
        ("WMT21 dev ru-en", bench.load_wmt("wmt21-newstest-ru-en"), ("ru", "en")),
        ("FLORES dev de-fr", bench.load_flores("dev", "deu_Latn", "fra_Latn"), ("de", "fr")),
    ]
    print("| set | documents | drop rate | gold 1-0 | paper F1 fixed | paper F1 refit "
          "| strict F1 fixed | strict F1 refit | 1-0/0-1 found fixed | refit |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|---|")
    total = {False: 0.0, True: 0.0}
    for name, docs, langs in sets:
        for mode, group in (("docs", docs), ("joined", joined(docs, args.join))):
            for rate in rates:
                cases = [dropped(d, rate, random.Random(f"{args.seed}:{rate}:{d.id}"))
                         for d in group]  # fmt: skip
                gold_del = sum(1 for c in cases for r, e in c.gold if not (r and e))
                cells, found = [], []
                for refit in (False, True):
                    outs = run(cases, langs, refit)
                    paper = bench.paper_prf(cases, outs)[2]
                    strict = bench.prf(cases, outs, with_null=False)[2]
                    total[refit] += paper
                    cells.append((paper, strict))
                    found.append(sum(1 for o in outs for r, e in o if not (r and e)))
                (pf, sf), (pr, sr) = cells
                print(f"| {name} | {mode} ({len(cases)}) | {rate:.0%} | {gold_del} | {pf:.4f} "
                      f"| {pr:.4f} | {sf:.4f} | {sr:.4f} | {found[0]} | {found[1]} |")  # fmt: skip
    print(f"sum of paper F1 over the rows: fixed {total[False]:.4f}, refit {total[True]:.4f}")


if __name__ == "__main__":
    main()
