"""Peak memory of the input stage on 100 MB inputs, against a naive reader.

    .venv/bin/python bench/input_memory.py [MB]

1. A JSONL file of MB megabytes (5 KB records, text written here): ``discover`` +
   ``item_hash`` + ``load_item`` of every record, streaming; then, in the same
   process, the naive way (``read_bytes`` + ``json.loads`` of every line, kept).
2. ``mtclean run`` (the real CLI, Prefect ephemeral) on a folder holding one plain
   text file of MB megabytes plus two small documents: the big file must be
   quarantined unread (``too-large``; processed when MB is under ``input.max_bytes``) and
   the run's peak RSS stay under 1 GB.

Prints peak RSS (MB) for each and the ratios.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cleaners.config import InputConfig
from cleaners.readers import discover, item_hash, load_item

RU = "Новый мост через Оку откроют для движения в декабре, сообщили в администрации. "
EN = "The new bridge over the Oka will open to traffic in December, the administration said. "


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_jsonl(path: Path, megabytes: int) -> int:
    n = 0
    with path.open("w", encoding="utf-8") as fh:
        while fh.tell() < megabytes * 1_000_000:
            rec = {"id": f"doc-{n:06d}", "ru": RU * 25, "en": EN * 25}
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n += 1
    return n


def readers_pass(root: Path) -> tuple[int, int]:
    items = discover(root, InputConfig())
    chars = 0
    for item in items:
        item_hash(root, item)
        chars += sum(len(d.text) for d in load_item(root, item, InputConfig()).values())
    return len(items), chars


def naive_pass(path: Path) -> int:
    records = [json.loads(line) for line in path.read_bytes().splitlines() if line.strip()]
    return len(records)


def cli_run(base: Path, megabytes: int) -> tuple[float, int, str]:
    root, out = base / "cli-in", base / "cli-out"
    root.mkdir()
    (root / "big.en.txt").write_bytes((EN * (megabytes * 1_000_000 // len(EN) + 1)).encode())
    (root / "small.ru.txt").write_text(RU * 3, encoding="utf-8")
    (root / "small.en.txt").write_text(EN * 3, encoding="utf-8")
    env = dict(os.environ, PREFECT_HOME=str(base / "ph"), DO_NOT_TRACK="1",
               PREFECT_SERVER_ANALYTICS_ENABLED="false")  # fmt: skip
    env.pop("PREFECT_API_URL", None)
    mtclean = Path(sys.executable).with_name("mtclean")
    t0 = time.monotonic()
    proc = subprocess.run(
        [str(mtclean), "run", str(root), "--out", str(out), "--no-progress"],
        capture_output=True, text=True, env=env,
    )  # fmt: skip
    took = time.monotonic() - t0
    child_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    reason = ""
    for rec_path in (out / "quarantine").glob("*.json"):
        rec = json.loads(rec_path.read_text(encoding="utf-8"))
        if "big.en.txt" in rec["sources"]:
            reason = rec["reason"]
    print(f"  mtclean run exit {proc.returncode} in {took:.1f} s")
    return child_peak, proc.returncode, reason


def main() -> None:
    megabytes = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    with tempfile.TemporaryDirectory(prefix="mtclean-mem-") as tmp:
        base = Path(tmp)
        root = base / "in"
        root.mkdir()
        n = make_jsonl(root / "feed.jsonl", megabytes)
        size = (root / "feed.jsonl").stat().st_size / 1e6
        start = peak_mb()
        t0 = time.monotonic()
        items, chars = readers_pass(root)
        ours, t_ours = peak_mb(), time.monotonic() - t0
        t0 = time.monotonic()
        naive_pass(root / "feed.jsonl")
        naive, t_naive = peak_mb(), time.monotonic() - t0
        print(f"JSONL {size:.0f} MB, {n} records")
        print(f"  start                    peak RSS {start:7.0f} MB")
        print(f"  readers (stream)         peak RSS {ours:7.0f} MB  (+{ours - start:.0f})"
              f"  {items} items, {chars / 1e6:.0f} M chars, {t_ours:.1f} s")  # fmt: skip
        print(f"  naive read_bytes + json  peak RSS {naive:7.0f} MB  (+{naive - ours:.0f} over"
              f" that), {t_naive:.1f} s")  # fmt: skip
        print(f"  ratio naive/readers growth: {(naive - ours) / max(1.0, ours - start):.1f}x")
        peak, rc, reason = cli_run(base, megabytes)
        # Under input.max_bytes the big file is a document like any other, processed not
        # quarantined; only over it must it stay unread.
        over = (base / "cli-in" / "big.en.txt").stat().st_size > InputConfig().max_bytes
        verdict = "OK" if peak < 1024 and rc == 0 and (reason == "too-large") == over else "MISSED"
        fate = reason or "not quarantined"
        print(f"{megabytes} MB text file through mtclean run: child peak RSS {peak:.0f} MB, "
              f"big file -> {fate}; target < 1024 MB: {verdict}")  # fmt: skip


if __name__ == "__main__":
    main()
