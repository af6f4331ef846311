"""Do Russian fused words (``торговоэкономических``) occur in the dev data? (#17, bullet 7)

A repair rule for Russian fusions is only worth having if real text shows them. This scans the
Russian of every dev set (FLORES dev, WMT21 sources, Tatoeba, TICO-19) for the words such a rule
would split: a Cyrillic word of 7+ letters that wordfreq's large Russian list lacks and that
splits into two words of its small list (Zipf >= 3). It prints how many there are and every one
with its context, to read by hand. As a control that the detector is not blind, it fuses pairs
of adjacent words of the same text (one space deleted, seeded) and reports how many of those
the same test finds, i.e. what the rule would catch if fusions were there.

    PYTHONPATH=. .venv/bin/python bench/ru_fused.py [--show 60]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cleaners.langev import zipf_table  # noqa: E402

DATA = Path(
    os.environ.get("MTCLEAN_DATA") or Path(__file__).resolve().parents[2] / "shared" / "data"
)
DEV_FILES = (
    "flores200/dev.rus_Cyrl.txt",
    "wmt21-newstest-ru-en/src.ru.txt",
    "tatoeba-test-v2021-08-07-ru-en/rus.txt",
    "tico19-test-ru-en/rus.txt",
)
WORD = re.compile(r"[А-Яа-яЁё]+")
MIN_LEN = 7
PART_ZIPF = 3.0


def split_candidate(word: str, small: dict[str, float], large: dict[str, float]) -> str | None:
    """``"a b"`` if ``word`` is unknown and splits into two common words, else None."""
    w = word.lower()
    if len(w) < MIN_LEN or w in large:
        return None
    best: tuple[float, str] | None = None
    for i in range(2, len(w) - 1):
        za, zb = small.get(w[:i], 0.0), small.get(w[i:], 0.0)
        if za >= PART_ZIPF and zb >= PART_ZIPF and (best is None or min(za, zb) > best[0]):
            best = (min(za, zb), f"{w[:i]} {w[i:]}")
    return best[1] if best else None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show", type=int, default=60, help="candidates printed with context")
    ap.add_argument("--control", type=int, default=2000, help="synthetic fusions in the control")
    args = ap.parse_args()
    files = [DATA / f for f in DEV_FILES]
    missing = [str(f) for f in files if not f.exists()]
    if missing:
        print(f"skipped: dev data not found ({', '.join(missing)})")
        return 0
    small, large = zipf_table("ru", "small"), zipf_table("ru", "large")
    lines = [ln for f in files for ln in f.read_text(encoding="utf-8").splitlines()]
    tokens = Counter(w for ln in lines for w in WORD.findall(ln))
    found = {w: s for w in tokens if (s := split_candidate(w, small, large))}
    n_tok = sum(tokens.values())
    print(f"dev Russian: {len(lines):,} lines, {n_tok:,} Cyrillic tokens, {len(tokens):,} types")
    per = 1e5 * sum(tokens[w] for w in found) / n_tok
    print(f"words a fusion rule would split: {len(found)} types ({per:.1f} per 100k tokens)")
    for w in sorted(found, key=lambda w: (-tokens[w], w))[: args.show]:
        ctx = next(ln for ln in lines if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", ln))
        i = ctx.find(w)
        print(f"  {w:<24} -> {found[w]:<28} x{tokens[w]}  …{ctx[max(0, i - 40) : i + 50]}…")

    # Control: fuse adjacent word pairs of the same text and see what the test catches.
    rng = random.Random(17)
    pairs = [
        (a, b)
        for ln in lines
        for a, b in zip(WORD.findall(ln), WORD.findall(ln)[1:], strict=False)
        if len(a) >= 2 and len(b) >= 2
    ]
    sample = rng.sample(pairs, min(args.control, len(pairs)))
    caught = sum(split_candidate(a + b, small, large) == f"{a} {b}".lower() for a, b in sample)
    flagged = sum(split_candidate(a + b, small, large) is not None for a, b in sample)
    print(
        f"control: {len(sample)} adjacent pairs fused: {flagged / len(sample):.1%} flagged, "
        f"{caught / len(sample):.1%} split back exactly"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
