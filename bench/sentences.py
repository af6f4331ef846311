"""Measure sentence splitters on the dev sets' real sentences.

    .venv/bin/python bench/sentences.py

Each document's lines are joined with a space; a splitter should cut at every line boundary
(boundary recall). Cuts inside a line are counted too: 13-15 % of FLORES lines really hold two
sentences, so some are right, but a splitter with many more than the others over-splits.
Compared in the same run: mtclean's ``split_sentences`` (razdel + an English abbreviation
list), plain razdel, and — when installed — sentencex and pysbd.
"""

from __future__ import annotations

import csv
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from razdel import sentenize  # noqa: E402

from cleaners.sentences import split_sentences  # noqa: E402

DATA = Path(os.environ.get("MTCLEAN_DATA") or REPO.parent / "shared" / "data")


def docs(lines_path: Path, docs_path: Path) -> list[list[str]]:
    lines = lines_path.read_text(encoding="utf-8").rstrip("\n").split("\n")
    with docs_path.open(encoding="utf-8") as f:
        ids = [row["doc_id"] for row in csv.DictReader(f, delimiter="\t")]
    grouped: dict[str, list[str]] = {}
    for doc_id, line in zip(ids, lines, strict=True):
        grouped.setdefault(doc_id, []).append(line.strip())
    return list(grouped.values())


def measure(split: Callable[[str], list[str]], documents: list[list[str]]) -> tuple[float, ...]:
    found = total = inside = 0
    t0 = time.perf_counter()
    for lines in documents:
        text = " ".join(lines)
        cuts: set[int] = set()
        pos = 0
        for sent in split(text):
            pos = text.index(sent, pos) + len(sent)
            cuts.add(pos)
        bounds: set[int] = set()
        pos = 0
        for line in lines[:-1]:
            pos += len(line)
            bounds.add(pos)
            pos += 1
        found += len(bounds & cuts)
        total += len(bounds)
        inside += len(cuts - bounds - {len(text)})
    dt = time.perf_counter() - t0
    n_lines = sum(len(d) for d in documents)
    return found / max(total, 1), inside / n_lines, n_lines / dt


def splitters(lang: str) -> dict[str, Callable[[str], list[str]]]:
    out: dict[str, Callable[[str], list[str]]] = {
        "mtclean split_sentences": lambda t: split_sentences(t, lang),
        "razdel": lambda t: [s.text for s in sentenize(t)],
    }
    try:
        import sentencex

        out["sentencex"] = lambda t: [s.strip() for s in sentencex.segment(lang, t) if s.strip()]
    except ImportError:
        print("note: sentencex not installed; left out")
    try:
        import pysbd

        seg = pysbd.Segmenter(language=lang, clean=False)
        out["pysbd"] = lambda t: [s.strip() for s in seg.segment(t) if s.strip()]
    except ImportError:
        print("note: pysbd not installed; left out")
    return out


def main() -> None:
    if not DATA.exists():
        sys.exit(f"no data: {DATA} is missing")
    wmt = DATA / "wmt21-newstest-ru-en"
    flores = DATA / "flores200"
    sets = {
        "en": [
            ("WMT21 ref.A (dev)", docs(wmt / "ref.A.en.txt", wmt / "docs.tsv")),
            ("FLORES dev en", docs(flores / "dev.eng_Latn.txt", flores / "docs_dev.tsv")),
        ],
        "ru": [
            ("WMT21 src (dev)", docs(wmt / "src.ru.txt", wmt / "docs.tsv")),
            ("FLORES dev ru", docs(flores / "dev.rus_Cyrl.txt", flores / "docs_dev.tsv")),
        ],
    }
    for lang, named in sets.items():
        for name, documents in named:
            print(f"\n## {lang}: {name}, {sum(len(d) for d in documents)} lines")
            print("| splitter                | boundary recall | cuts inside a line/line | lines/s")
            print("|-------------------------|-----------------|-------------------------|--------")
            for label, fn in splitters(lang).items():
                rec, inside, speed = measure(fn, documents)
                print(f"| {label:<23} | {rec:15.4f} | {inside:23.4f} | {speed:7.0f}")


if __name__ == "__main__":
    main()
