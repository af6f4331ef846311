"""An English sentence the Russian does not say: does it reach the corpus?

    python bench/extra_sentence.py                # WMT21 dev, reference A, seed 1
    python bench/extra_sentence.py --docs 40      # the first 40 documents only

Each WMT21 dev document (two lines or more) gets one line of another document's English
inserted after a random line of its own (never before the headline), laid out in paragraphs
as ``bench/corpus.py`` does, and ``mtclean run`` runs on the folder. Counted: corpus rows
whose English holds the inserted sentence (**leaked**: the row says something the Russian
does not), and the rows right / gold pairs recovered of the document's own lines, scored as
``bench/corpus.py`` scores them.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import (  # noqa: E402
    DATA,
    build_folder,
    read_set,
    run_mtclean,
    score_rows,
    sentence_lines,
)

# doc id → (Russian lines, English lines, each line's gold index; -1: the English line the
# Russian lacks, or the Ukrainian line in the Russian)
Docs = dict[str, tuple[list[str], list[str], list[int], list[int]]]


def with_extra(docs: dict[str, tuple[list[str], list[str]]], kind: str, seed: int) -> Docs:
    """Every document of three lines or more with an English sentence the Russian lacks,
    after a random line (never before the headline): ``other`` another document's English
    line; ``dropped`` the Russian of one of its own lines deleted (the English, on the
    same topic, stays); ``short`` a Tatoeba dev English sentence of 4–8 words; ``uk`` a
    FLORES dev Ukrainian line put in the Russian and its English in the English (the
    Ukrainian leaves the Russian's alignment)."""
    rng = random.Random(f"{seed}:{kind}")
    ids = sorted(docs)
    flores = DATA / "flores200"
    uk = (flores / "dev.ukr_Cyrl.txt").read_text(encoding="utf-8").split("\n")[:-1]
    uk_en = (flores / "dev.eng_Latn.txt").read_text(encoding="utf-8").split("\n")[:-1]
    tatoeba = DATA / "tatoeba-test-v2021-08-07-ru-en" / "eng.txt"
    short = [t for t in tatoeba.read_text(encoding="utf-8").split("\n") if 4 <= len(t.split()) <= 8]
    out: Docs = {}
    for doc_id in ids:
        ru, en = docs[doc_id]
        if len(en) < 3:
            continue
        gold = list(range(len(ru)))
        at = rng.randint(1, len(en) - 1)
        if kind == "short":
            line = short[rng.randrange(len(short))]
            out[doc_id] = (ru, [*en[:at], line, *en[at:]], gold, [*gold[:at], -1, *gold[at:]])
        elif kind == "other":
            other = ids[(ids.index(doc_id) + rng.randint(1, len(ids) - 1)) % len(ids)]
            donor = [line for line in docs[other][1][1:] if len(line.split()) >= 6]
            line = rng.choice(donor or docs[other][1])
            out[doc_id] = (ru, [*en[:at], line, *en[at:]], gold, [*gold[:at], -1, *gold[at:]])
        elif kind == "dropped":
            ru_gold = [*gold[:at], *gold[at + 1 :]]
            en_gold = [-1 if g == at else g for g in gold]
            out[doc_id] = ([ru[g] for g in ru_gold], en, ru_gold, en_gold)
        else:
            k = rng.randrange(len(uk))
            extra = [*gold[:at], -1, *gold[at:]]
            out[doc_id] = (
                [*ru[:at], uk[k], *ru[at:]],
                [*en[:at], uk_en[k], *en[at:]],
                extra,
                extra,
            )
    return out


def evaluate(out: Path, docs: Docs) -> dict[str, float]:
    """Rows right, gold pairs recovered and exact (bench/corpus.py's scores), and rows leaked:
    whose English holds the sentence the Russian lacks beside Russian of the document's own."""
    maps, n_lines, rows = {}, {}, []
    for path in sorted((out / "docs").glob("*.json")):
        d = json.loads(path.read_text(encoding="utf-8"))
        if d["id"] not in docs:
            continue
        ru_lines, en_lines, ru_gold, en_gold = docs[d["id"]]
        maps[d["id"]] = tuple(
            [frozenset(g[i] for i in s) for s in sentence_lines(d.get(k) or [], lines)]
            for k, lines, g in (
                ("ru_sentences", ru_lines, ru_gold),
                ("en_sentences", en_lines, en_gold),
            )
        )
    for doc_id, (_, _, ru_gold, en_gold) in docs.items():
        n_lines[doc_id] = len((set(ru_gold) & set(en_gold)) - {-1})
        maps.setdefault(doc_id, ([], []))
    leaked = 0
    with (out / "corpus.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            rows.append((r["doc_id"], r["ru_ids"], r["en_ids"]))
            ru_map, en_map = maps[r["doc_id"]]
            en_extra = any(-1 in en_map[j] for j in r["en_ids"])
            ru_own = any(ru_map[i] - {-1} for i in r["ru_ids"])
            leaked += en_extra and ru_own
    scores = score_rows(rows, maps, n_lines)
    scores["leaked"] = leaked
    scores["docs"] = len(docs)
    return scores


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--kind", choices=("other", "short", "dropped", "uk"), default="other")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--english", default="A", help="reference A/B or an MT system's name")
    ap.add_argument("--docs", type=int, default=0, help="the first N documents (0: all)")
    ap.add_argument("--work", type=Path, help="keep the folders here (default: a temp dir)")
    args = ap.parse_args()
    docs = read_set("wmt21", args.english)
    if args.docs:
        docs = dict(list(docs.items())[: args.docs])
    docs = with_extra(docs, args.kind, args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or Path(tmp)
        src, out = work / "in", work / "out"
        build_folder({d: v[:2] for d, v in docs.items()}, src, args.seed, 1)
        run_mtclean(src, out, None)
        s = evaluate(out, docs)
    print(f"WMT21 dev (English {args.english}), {s['docs']} documents, extra English: {args.kind}")
    print(f"{'rows':>7}{'right':>9}{'recovered':>11}{'exact':>9}{'leaked':>8}")
    print(f"{s['rows']:7d}{s['right']:9.3f}{s['recovered']:11.3f}{s['exact']:9.3f}{s['leaked']:8d}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
