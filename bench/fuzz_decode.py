"""Coverage-guided fuzz of the decoder, the readers and the structure parser (atheris).

    .venv/bin/python bench/fuzz_decode.py [SECONDS] [-- libFuzzer flags]

Each input is fed three ways: to ``decode_bytes`` directly, as a ``.txt`` file and as
a ``.jsonl`` file in a scratch input folder (``discover`` → ``load_item`` →
``item_hash``), and its decoded text to ``structure.parse``. Any exception other
than ``InputError`` is a bug: atheris stops and prints the crashing input.

Printed figures: executions, distinct outcomes (reason slugs / decoded encodings)
and distinct (file, line) pairs executed in cleaners' input modules, for the
coverage-guided run and for a baseline of uniformly random bytes fed to the same
harness for the same time in the same process; and the ratio between the two.
"""

from __future__ import annotations

import os
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

try:
    import atheris
except ImportError:  # a fresh `pip install -e .` has no dev tools: say which, no traceback
    sys.exit(
        "bench/fuzz_decode.py needs atheris, in the dev extra: .venv/bin/pip install -e '.[dev]'"
    )

with atheris.instrument_imports(include=["cleaners"]):
    from cleaners.config import InputConfig
    from cleaners.decode import decode_bytes
    from cleaners.errors import InputError
    from cleaners.readers import discover, item_hash, load_item
    from cleaners.structure import covered_text, parse

CONFIG = InputConfig(max_bytes=4096)
SCRATCH = Path(tempfile.mkdtemp(prefix="mtclean-fuzz-"))
WATCHED = ("decode.py", "readers.py", "structure.py", "ids.py")


class Stats:
    def __init__(self) -> None:
        self.runs = 0
        self.outcomes: Counter[str] = Counter()
        self.lines: set[tuple[str, int]] = set()


def _tracer(stats: Stats):
    def trace(frame, event, arg):  # noqa: ARG001 - sys.settrace signature
        name = frame.f_code.co_filename
        if not name.endswith(WATCHED):
            return None
        if event == "line":
            stats.lines.add((os.path.basename(name), frame.f_lineno))
        return trace

    return trace


def _nonspace(text: str) -> str:
    return "".join(ch for ch in text if not ch.isspace())


def harness(data: bytes, stats: Stats) -> None:
    stats.runs += 1
    try:
        decoded = decode_bytes(data)
        stats.outcomes[f"decoded:{decoded.encoding}"] += 1
        segs = parse(decoded.text, "en")
        if _nonspace("".join(covered_text(s) for s in segs)) != _nonspace(decoded.text):
            raise AssertionError("structure lost text")
    except InputError as exc:
        stats.outcomes[exc.reason] += 1
    root = SCRATCH / "in"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir()
    (root / "doc.ru.txt").write_bytes(data)
    (root / "feed.jsonl").write_bytes(b'{"id": "a", "en": "x"}\n' + data)
    for item in discover(root, CONFIG):
        item_hash(root, item)
        try:
            load_item(root, item, CONFIG)
        except InputError as exc:
            stats.outcomes[f"item:{exc.reason}"] += 1


def random_baseline(seconds: float) -> Stats:
    stats = Stats()
    rng = random.Random(0)
    sys.settrace(_tracer(stats))
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        harness(rng.randbytes(rng.randint(0, 512)), stats)
    sys.settrace(None)
    return stats


SEEDS = [
    "Казахстан наращивает поставки нефти в Европу.\n\nKazakhstan stepped up supplies.",
    "  1. pin_code Offline pin_code\n    pin_code (Andrey NK) April 10 2023 18: 18\n    Text.",
    "• Photos used: TASS\nDear reader, to leave comments on the publication, you must sign in.",
]


def _seed_corpus(folder: Path) -> None:
    """Starting points: text in each encoding the decoder knows, a BOM, an image header."""
    folder.mkdir(parents=True, exist_ok=True)
    samples = [b"\x89PNG\r\n\x1a\n\x00\x00", b"\xef\xbb\xbf" + SEEDS[0].encode()]
    for text in SEEDS:
        for codec in ("utf-8", "utf-16", "cp1251", "koi8_r", "cp866", "mac_cyrillic"):
            samples.append(text.encode(codec, errors="replace"))
    samples.append(SEEDS[0].encode()[:-1])
    for i, data in enumerate(samples):
        (folder / f"seed{i:02d}").write_bytes(data)


def child(seconds: float, stats_path: Path, extra: list[str]) -> None:
    """The atheris run; libFuzzer exits the process, so stats go to a file as we go."""
    import json

    guided = Stats()
    tracer = _tracer(guided)
    last = [0.0]

    def dump() -> None:
        data = {"runs": guided.runs, "outcomes": guided.outcomes, "lines": len(guided.lines)}
        stats_path.write_text(json.dumps(data))

    def one(data: bytes) -> None:
        sys.settrace(tracer)
        try:
            harness(data, guided)
        finally:
            sys.settrace(None)
        if time.monotonic() - last[0] > 0.5:
            last[0] = time.monotonic()
            dump()

    corpus = SCRATCH / "corpus"
    _seed_corpus(corpus)
    flags = [f"-max_total_time={int(seconds)}", "-max_len=4096", "-print_final_stats=0"]
    atheris.Setup([sys.argv[0], *flags, *extra, str(corpus)], one)
    atheris.Fuzz()


def main() -> None:
    import json
    import subprocess

    args = sys.argv[1:]
    if args and args[0] == "--child":
        child(float(args[1]), Path(args[2]), args[3:])
        return
    extra = args[args.index("--") + 1 :] if "--" in args else []
    seconds = float(args[0]) if args and args[0] != "--" else 30.0
    base = random_baseline(seconds)
    stats_path = SCRATCH / "guided.json"
    proc = subprocess.run(
        [sys.executable, __file__, "--child", str(seconds), str(stats_path), *extra],
        capture_output=True,
        text=True,
    )
    shutil.rmtree(SCRATCH / "in", ignore_errors=True)
    guided = json.loads(stats_path.read_text()) if stats_path.exists() else {}
    crashed = proc.returncode != 0
    print(f"fuzz_decode: {seconds:.0f} s per run, same harness (decode, readers, structure)")
    print(f"{'run':<20}{'execs':>8}{'outcomes':>10}{'lines':>8}")
    print(f"{'random bytes':<20}{base.runs:>8}{len(base.outcomes):>10}{len(base.lines):>8}")
    g_out, g_lines = guided.get("outcomes", {}), guided.get("lines", 0)
    print(f"{'atheris (guided)':<20}{guided.get('runs', 0):>8}{len(g_out):>10}{g_lines:>8}")
    print(
        f"ratio guided/random: lines {g_lines / max(1, len(base.lines)):.2f}, "
        f"outcomes {len(g_out) / max(1, len(base.outcomes)):.2f}"
    )
    print("random outcomes:", dict(sorted(base.outcomes.items())))
    print("guided outcomes:", dict(sorted(g_out.items())))
    if crashed:
        print(f"CRASH (exit {proc.returncode}):\n{proc.stderr[-3000:]}")
    else:
        print("crashes: 0")
    shutil.rmtree(SCRATCH, ignore_errors=True)
    sys.exit(1 if crashed else 0)


if __name__ == "__main__":
    main()
