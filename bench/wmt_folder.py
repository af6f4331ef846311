"""Build an mtclean input folder from a WMT ru–en test set in ../shared/data.

Each WMT document becomes ``<doc_id>.ru.txt`` (the Russian original) and
``<doc_id>.en.txt`` (one real MT system's English), one segment per paragraph.

    python bench/wmt_folder.py ../shared/data/wmt21-newstest-ru-en OUT_DIR --system Online-B
"""

from __future__ import annotations

import argparse
import csv
from collections import defaultdict
from pathlib import Path


def read_docs(wmt_dir: Path) -> dict[str, list[int]]:
    """doc_id → line indices, in file order."""
    docs: dict[str, list[int]] = defaultdict(list)
    with (wmt_dir / "docs.tsv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            docs[row["doc_id"]].append(int(row["line_idx"]))
    return dict(docs)


def build(wmt_dir: Path, out_dir: Path, system: str, limit: int | None = None) -> int:
    """Write the folder; returns the number of documents."""
    ru = (wmt_dir / "src.ru.txt").read_text(encoding="utf-8").split("\n")
    en = (wmt_dir / "system_outputs" / f"hyp.{system}.en.txt").read_text(encoding="utf-8")
    en_lines = en.split("\n")
    out_dir.mkdir(parents=True, exist_ok=True)
    docs = read_docs(wmt_dir)
    for n, (doc_id, idx) in enumerate(sorted(docs.items())):
        if limit is not None and n >= limit:
            break
        (out_dir / f"{doc_id}.ru.txt").write_text(
            "\n\n".join(ru[i] for i in idx) + "\n", encoding="utf-8"
        )
        (out_dir / f"{doc_id}.en.txt").write_text(
            "\n\n".join(en_lines[i] for i in idx) + "\n", encoding="utf-8"
        )
    return min(len(docs), limit) if limit is not None else len(docs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("wmt_dir", type=Path)
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--system", default="Online-B", help="system_outputs/hyp.<SYSTEM>.en.txt")
    ap.add_argument("--limit", type=int, default=None, help="only the first N documents")
    args = ap.parse_args()
    n = build(args.wmt_dir, args.out_dir, args.system, args.limit)
    print(f"{n} documents written to {args.out_dir}")


if __name__ == "__main__":
    main()
