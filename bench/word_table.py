"""A user's own word table (`mtclean lexicon build`) against none, for pairs without one.

    .venv/bin/python bench/word_table.py            # uk de bg be kk mk sr fr with en; ru-en
    .venv/bin/python bench/word_table.py --langs ukr_Cyrl --rates 0.1,0.2
    .venv/bin/python bench/word_table.py --no-stemmer-len 5   # prefix5 keys where no stemmer
    .venv/bin/python bench/word_table.py --learn-lines 100    # a table from 100 lines

As a user would: FLORES-200 ``dev`` documents (docs_dev.tsv; never ``devtest``) are split in two
halves by document (even / odd); a table is learned with ``mtclean lexicon build``'s code
(``cleaners.lexsim.learn.user_table``) from one half's lines, written to a file and given to the
aligner as ``align.word_table`` (the file read as ``mtclean align --word-table`` reads it), and the
other half's documents are aligned; then the halves swap (both folds summed). The documents are
damaged as bench/skip_rates.py does: each target-side (English) line lost with the given
probability, so the gold is 1-1 beads and a 1-0 per lost line; "docs" aligns the documents as they
are (3–10 lines), "joined" runs of consecutive documents of at least ``--join`` lines as one (a long
page). Every arm runs in the same process on the same damage: Gale-Church (``align.method:
gale-church``), the default path without a table (length, numbers, names: what such a pair got
before), and with the user's table. Scores as bench/skip_rates.py: "paper F1" (every predicted bead
in precision, deletions included) and strict F1 (two-sided beads only).

ru–en has a shipped table, built from every ru–en dev set (FLORES dev too, so it saw the evaluated
lines: its figure is optimistic). Its rows compare it with a user's table learned from Tatoeba and
WMT21 (reference A) only, and with one learned from the other FLORES half as the pairs above are.
Data: ``$MTCLEAN_DATA`` or ``../shared/data``, as bench/align.py.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import align as bench  # noqa: E402  (bench/align.py: loaders, Case, scorers)
from skip_rates import dropped, joined  # noqa: E402

from cleaners import lexsim  # noqa: E402
from cleaners.config import AlignConfig  # noqa: E402
from cleaners.lexsim import learn  # noqa: E402

# FLORES file stems of the languages without a shipped table against English (fr-en: two
# Latin-script languages with a stemmer each; sr: Snowball's Serbian stems Cyrillic too).
LANGS = ("ukr_Cyrl", "deu_Latn", "bul_Cyrl", "bel_Cyrl", "kaz_Cyrl", "mkd_Cyrl", "srp_Cyrl",
         "fra_Latn")  # fmt: skip
CODE = {"ukr": "uk", "deu": "de", "bul": "bg", "bel": "be", "kaz": "kk", "mkd": "mk",
        "srp": "sr", "fra": "fr", "rus": "ru"}  # fmt: skip


def halves(docs: Sequence[bench.Doc]) -> tuple[list[bench.Doc], list[bench.Doc]]:
    """The even and the odd documents (FLORES documents are 3-5 consecutive lines of one
    article: a line never teaches the table the very sentence it is then aligned on)."""
    return list(docs[0::2]), list(docs[1::2])


def lines_of(docs: Sequence[bench.Doc]) -> list[tuple[str, str]]:
    return [(a, b) for d in docs for a, b in zip(d.ru, d.en, strict=True)]


def table_file(pairs: Sequence[tuple[str, str]], langs: tuple[str, str], path: Path) -> Path:
    """The user's table learned from ``pairs``, written to ``path`` (align.word_table)."""
    path.write_text(learn.user_table(pairs, *langs), encoding="utf-8")
    return path


def cases_of(
    docs: Sequence[bench.Doc], rate: float, seed: int, mode: str, join: int
) -> list[bench.Case]:
    group = list(docs) if mode == "docs" else joined(docs, join)
    return [dropped(d, rate, random.Random(f"{seed}:{rate}:{d.id}")) for d in group]


def scores(
    cases: Sequence[bench.Case], config: AlignConfig, langs: tuple[str, str]
) -> tuple[float, float, int]:
    outs = [bench.run_mtclean(c, config, False, langs) for c in cases]
    found = sum(1 for o in outs for r, e in o if not (r and e))
    return bench.paper_prf(cases, outs)[2], bench.prf(cases, outs, with_null=False)[2], found


def arms(langs: tuple[str, str], tables: dict[str, Path]) -> list[tuple[str, AlignConfig]]:
    shipped = lexsim.available(*langs)
    out = [("Gale-Church", AlignConfig(method="gale-church"))]
    if shipped:
        out.append(("no table (lexical_weight 0)", AlignConfig(lexical_weight=0)))
    out.append(("shipped table" if shipped else "no table", AlignConfig()))
    return out + [(label, AlignConfig(word_table=str(p))) for label, p in tables.items()]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--langs", default=",".join(LANGS), help="FLORES stems aligned with English")
    ap.add_argument("--rates", default="0.1", help="target-side line loss rates")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--join", type=int, default=150, help="lines per joined document")
    ap.add_argument("--no-stemmer-len", type=int, default=lexsim.NO_STEMMER_LEN)
    ap.add_argument("--no-ru", action="store_true", help="leave out the ru-en rows")
    ap.add_argument(
        "--learn-lines", type=int, help="learn from only this many of the other half's lines"
    )
    args = ap.parse_args()
    if not bench.DATA.exists():
        sys.exit(f"no data: {bench.DATA} is missing")
    lexsim.NO_STEMMER_LEN = args.no_stemmer_len
    lexsim.key_function.cache_clear()
    rates = [float(x) for x in args.rates.split(",")]
    stems = [s for s in args.langs.split(",") if s]
    sets = [(s, (CODE[s[:3]], "en")) for s in stems]
    if not args.no_ru:
        sets.append(("rus_Cyrl", ("ru", "en")))
    print(f"keys: stem5, first {lexsim.NO_STEMMER_LEN} letters where PyStemmer has no stemmer")
    print(
        "| pair | mode (documents) | loss | gold 1-0 | aligner | paper F1 | strict F1 | 1-0/0-1 |"
    )
    print("|---|---|---|---|---|---|---|---|")
    totals: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="mtclean-bench-") as tmp:
        folder = Path(tmp)
        for stem, langs in sets:
            docs = bench.load_flores("dev", stem, "eng_Latn")  # ("dev.": never devtest)
            extra: dict[str, Path] = {}
            if langs == ("ru", "en"):
                tatoeba = "tatoeba-test-v2021-08-07-ru-en"
                user = list(
                    zip(
                        bench._lines(bench.DATA / tatoeba / "rus.txt"),
                        bench._lines(bench.DATA / tatoeba / "eng.txt"),
                        strict=True,
                    )
                ) + lines_of(bench.load_wmt("wmt21-newstest-ru-en"))
                extra["user table (Tatoeba+WMT21)"] = table_file(
                    user, langs, folder / "ru-en.tatoeba-wmt21.tsv"
                )
            a, b = halves(docs)
            # Per fold: (documents aligned, the tables given to the aligner)
            folds = [
                (test, {
                    "user table (other half)": table_file(
                        lines_of(taught)[: args.learn_lines],
                        langs,
                        folder / f"{langs[0]}-{langs[1]}.{k}.tsv",
                    ),
                    **extra,
                })
                for k, (taught, test) in enumerate(((a, b), (b, a)))
            ]  # fmt: skip
            for mode in ("docs", "joined"):
                for rate in rates:
                    rows: dict[str, list[float]] = {}
                    n_cases = gold_del = 0
                    for test, tables in folds:
                        cases = cases_of(test, rate, args.seed, mode, args.join)
                        n_cases += len(cases)
                        gold_del += sum(1 for c in cases for r, e in c.gold if not (r and e))
                        for label, config in arms(langs, tables):
                            paper, strict, found = scores(cases, config, langs)
                            # (F1 of the two folds: weighted by their cases' beads, near enough
                            # equal halves to average)
                            got = rows.setdefault(label, [0.0, 0.0, 0.0])
                            got[0] += paper / 2
                            got[1] += strict / 2
                            got[2] += found
                    for label, (paper, strict, found) in rows.items():
                        print(
                            f"| {langs[0]}-{langs[1]} | {mode} ({n_cases}) | {rate:.0%} | "
                            f"{gold_del} | {label} | {paper:.4f} | {strict:.4f} | {found:.0f} |"
                        )
                        if langs != ("ru", "en"):
                            totals.setdefault(label, []).append(paper)
    for label, values in totals.items():
        print(f"mean paper F1 over the {len(values)} rows without a shipped table: {label} "
              f"{sum(values) / len(values):.4f}")  # fmt: skip


if __name__ == "__main__":
    main()
