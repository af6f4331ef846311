"""``mtclean filter`` as a process: CPU time and peak memory, this tree against a revision.

    .venv/bin/python bench/filter_cli.py [--vs REF] [--big-mb 13.6] [--lines 1000]
                                         [--system-lines 200]

Inputs are made here from dev text only (WMT21 ``src.ru.txt`` / ``ref.A.en.txt``, never
copied into the repo), in a temporary folder:

* ``big``: one JSONL line holding one pair of ~``--big-mb`` MB (the WMT21 Russian and its
  English joined, repeated): a side far over ``filters.max_chars``, under ``input.max_bytes``;
* ``huge``: one line over ``input.max_bytes`` (the default 20 MB: 21 MB), between two
  ordinary pairs;
* ``stream``: ``--lines`` ordinary sentence pairs, one a line (what a user filters most);
* ``tsv``: the same pairs as ``ru<TAB>en`` lines (``--format tsv``; their verdicts are
  ``stream``'s, byte for byte: the ids there are the line numbers too);
* ``systems``: the first ``--system-lines`` Russian lines each with the ten WMT21 systems'
  English (``system_outputs/``), line by line: real MT, where systems agree on a line the
  pair repeats (22 % of the 10,000 pairs; what ``filter`` remembers of a pair pays here).

Each runs ``python -m flows.cli filter FILE`` under ``/usr/bin/time -v``: user+system CPU
seconds and maximum resident set size. With ``--vs REF`` the same inputs go through git
revision REF (extracted with ``git archive``, run from source) in the same process, and the
table gives both and the ratios; the verdict lines of ``stream`` and ``systems`` are compared
too (same input, same verdicts unless REF judges otherwise).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("MTCLEAN_DATA", ROOT.parent / "shared" / "data"))
MB = 1_000_000
INPUTS = ["big", "huge", "stream", "tsv", "systems"]
FLAGS = {"tsv": ["--format", "tsv"]}  # filter's options per input (default: none, jsonl)


def dev_pairs() -> list[tuple[str, str]]:
    wmt = DATA / "wmt21-newstest-ru-en"
    ru = (wmt / "src.ru.txt").read_text(encoding="utf-8").splitlines()
    en = (wmt / "ref.A.en.txt").read_text(encoding="utf-8").splitlines()
    return [(a.strip(), b.strip()) for a, b in zip(ru, en, strict=True) if a.strip() and b.strip()]


def make_inputs(folder: Path, big_mb: float, lines: int, system_lines: int
                ) -> dict[str, Path]:  # fmt: skip
    pairs = dev_pairs()
    ru_all, en_all = " ".join(p[0] for p in pairs), " ".join(p[1] for p in pairs)

    def one_pair(size: int) -> tuple[str, str]:
        unit = len((ru_all + " " + en_all).encode())
        n = max(1, -(-size // unit))
        return " ".join([ru_all] * n), " ".join([en_all] * n)

    out = {}
    ru, en = one_pair(int(big_mb * MB))
    out["big"] = folder / "big.jsonl"
    out["big"].write_text(json.dumps({"id": "big", "ru": ru, "en": en}, ensure_ascii=False) + "\n")
    ru, en = one_pair(21 * MB)
    out["huge"] = folder / "huge.jsonl"
    with out["huge"].open("w", encoding="utf-8") as fh:
        for rid, a, b in (("a", *pairs[0]), ("huge", ru, en), ("b", *pairs[1])):
            fh.write(json.dumps({"id": rid, "ru": a, "en": b}, ensure_ascii=False) + "\n")
    out["stream"] = folder / "stream.jsonl"
    out["tsv"] = folder / "stream.tsv"
    with out["stream"].open("w", encoding="utf-8") as fh, out["tsv"].open("w") as tsv:
        for k in range(lines):
            a, b = pairs[k % len(pairs)]
            fh.write(json.dumps({"id": k + 1, "ru": a, "en": b}, ensure_ascii=False) + "\n")
            tsv.write(f"{a}\t{b}\n")  # (dev lines hold no tab)
    out["systems"] = folder / "systems.jsonl"
    with out["systems"].open("w", encoding="utf-8") as fh:
        for k, (ru, ens) in enumerate(system_pairs()[:system_lines]):
            for j, en in enumerate(ens):
                rec = {"id": f"{k}.{j}", "ru": ru, "en": en}
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return out


def system_pairs() -> list[tuple[str, list[str]]]:
    """Each WMT21 Russian line with the ten systems' English for it (blank lines left out)."""
    wmt = DATA / "wmt21-newstest-ru-en"
    ru = (wmt / "src.ru.txt").read_text(encoding="utf-8").splitlines()
    systems = sorted((wmt / "system_outputs").glob("hyp.*.en.txt"))
    ens = [f.read_text(encoding="utf-8").splitlines() for f in systems]
    out = []
    for k, line in enumerate(ru):
        hyps = [e[k].strip() for e in ens if e[k].strip()]
        if line.strip() and hyps:
            out.append((line.strip(), hyps))
    return out


def measure(tree: Path, src: Path, flags: list[str]) -> tuple[float, float, int, str]:
    """(CPU seconds, peak RSS MB, exit code, stdout) of ``filter FLAGS src`` run from
    ``tree``."""
    env = {**os.environ, "PYTHONPATH": str(tree), "PYTHONDONTWRITEBYTECODE": "1"}
    cmd = ["/usr/bin/time", "-v", sys.executable, "-m", "flows.cli", "filter", *flags, str(src)]
    proc = subprocess.run(cmd, cwd=tree, env=env, capture_output=True, text=True)
    err = proc.stderr

    def field(name: str) -> float:
        m = re.search(rf"{re.escape(name)}: ([\d.]+)", err)
        return float(m.group(1)) if m else float("nan")

    cpu = field("User time (seconds)") + field("System time (seconds)")
    return cpu, field("Maximum resident set size (kbytes)") / 1024, proc.returncode, proc.stdout


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--vs", metavar="REF", help="also run git revision REF on the same inputs")
    ap.add_argument("--big-mb", type=float, default=13.6, help="size of the one big pair (MB)")
    ap.add_argument("--lines", type=int, default=1000, help="ordinary pairs in the stream")
    ap.add_argument("--system-lines", type=int, default=200,
                    help="Russian lines in `systems`, each with ten systems' English")  # fmt: skip
    ap.add_argument("--only", nargs="+", choices=INPUTS, default=INPUTS, metavar="INPUT",
                    help=f"measure only these inputs ({', '.join(INPUTS)})")  # fmt: skip
    ap.add_argument(
        "--runs",
        type=int,
        default=1,
        help="runs per input and tree, interleaved; the median CPU and peak",
    )
    args = ap.parse_args()
    if not (DATA / "wmt21-newstest-ru-en").is_dir():
        sys.exit(f"dev data not found at {DATA}")
    with tempfile.TemporaryDirectory(prefix="filter-bench-") as tmp:
        inputs = make_inputs(Path(tmp), args.big_mb, args.lines, args.system_lines)
        inputs = {name: src for name, src in inputs.items() if name in args.only}
        trees = {"this tree": ROOT}
        if args.vs:
            base = Path(tmp) / "base"
            base.mkdir()
            tar = subprocess.run(["git", "-C", str(ROOT), "archive", args.vs],
                                 capture_output=True, check=True).stdout  # fmt: skip
            subprocess.run(["tar", "-x", "-C", str(base)], input=tar, check=True)
            trees[args.vs] = base
        if args.runs > 1:
            print(f"median of {args.runs} runs each, interleaved\n")
        print("| input | size MB | " + " | ".join(f"{t}: CPU s, peak MB, exit" for t in trees)
              + (" | ratio CPU, peak" if args.vs else "") + " |")  # fmt: skip
        print("|" + "---|" * (2 + len(trees) + bool(args.vs)))
        outputs: dict[str, list[str]] = {}
        for name, src in inputs.items():
            cells, got = [], []
            # Interleaved, so a shared machine's slow spell falls on both trees alike.
            flags = FLAGS.get(name, [])
            runs = [[measure(tree, src, flags) for tree in trees.values()]
                    for _ in range(args.runs)]  # fmt: skip
            for k, label in enumerate(trees):
                cpu = statistics.median(r[k][0] for r in runs)
                peak = statistics.median(r[k][1] for r in runs)
                code, out = runs[-1][k][2:]
                got.append((cpu, peak))
                cells.append(f"{cpu:.2f}, {peak:.0f}, {code}")
                outputs[f"{name}/{label}"] = out.splitlines()
            ratio = ""
            if args.vs:
                (c0, p0), (c1, p1) = got
                ratio = f" | {c0 / c1:.2f}x, {p0 / p1:.2f}x"
            size = src.stat().st_size / MB
            print(f"| {name} | {size:.1f} | " + " | ".join(cells) + ratio + " |")
        for name in inputs:
            for label in trees:
                head = [line[:120] for line in outputs[f"{name}/{label}"][:3]]
                print(f"\n{name}, {label}: {len(outputs[f'{name}/{label}'])} lines; first: {head}")
        if "stream" in inputs and "tsv" in inputs:
            for label in trees:
                same = outputs[f"stream/{label}"] == outputs[f"tsv/{label}"]
                print(f"\ntsv verdicts byte-identical to stream's, {label}: {same}")
        if args.vs:
            for name in [n for n in ("stream", "systems") if n in inputs]:
                a, b = (outputs[f"{name}/{t}"] for t in trees)
                same = sum(x == y for x, y in zip(a, b, strict=False))
                print(f"\n{name} verdicts identical: {same} of {max(len(a), len(b))}")


if __name__ == "__main__":
    main()
