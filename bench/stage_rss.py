"""Where a big document's memory goes inside one ``mtclean run``: RSS per stage, in order.

    .venv/bin/python bench/stage_rss.py [--shape lines|paras|oneline] [--mb 20]

``bench/bigdoc.py`` measures each stage in a fresh process; this one follows a single run
as the flow does it (``run_batch``, then the corpus, text and report pages from
``docs/``), after a warm-up run on a 50 KB pair, so memory a stage leaves behind shows
under the next. Each stage (nested calls indented) prints the process's RSS before it, its
peak (``VmHWM``, reset at each call) and after it, in MB above the warm base and in
multiples of the pair; the last line is the run's peak. Pairs are made from dev text as in
``bench/bigdoc.py`` (``--mb`` is the whole pair).
"""

from __future__ import annotations

import argparse
import functools
import importlib
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
MB = 1_000_000
WATCHED = [
    ("cleaners.pipeline", n)
    for n in ("read_item", "repair", "parse", "tag_segments", "corpus_sentences", "draft_document",
              "align", "measure_document", "apply_source_evidence", "finish_document")
] + [("cleaners.manifest", "write_result"), ("flows.pipeline", "load_document"),
     ("flows.pipeline", "write_corpus")]  # fmt: skip


def _status(key: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) * 1024
    raise KeyError(key)


def _reset_peak() -> None:
    Path("/proc/self/clear_refs").write_text("5")  # VmHWM := VmRSS


class Timeline:
    """Wraps the watched functions; a nested call's peak counts in its caller's too."""

    def __init__(self) -> None:
        self.rows: list[tuple[int, str, int, int, int, float]] = []
        self.open: list[int] = []  # per open call: the highest peak seen inside it
        self.top = 0
        self.base = 0

    def wrap(self, module: str, name: str) -> None:
        mod = importlib.import_module(module)
        fn: Callable[..., Any] = getattr(mod, name)

        @functools.wraps(fn)
        def watched(*args: Any, **kwargs: Any) -> Any:
            if self.open:
                self.open[-1] = max(self.open[-1], _status("VmHWM"))
            before = _status("VmRSS")
            _reset_peak()
            self.open.append(0)
            depth, cpu = len(self.open) - 1, time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                peak = max(self.open.pop(), _status("VmHWM"))
                self.top = max(self.top, peak)
                if self.open:
                    self.open[-1] = max(self.open[-1], peak)
                row = (depth, name, before, peak, _status("VmRSS"), time.process_time() - cpu)
                self.rows.append(row)
                _reset_peak()

        setattr(mod, name, watched)


def run(folder: Path, out: Path) -> None:
    """What ``build_corpus`` does with one batch, without Prefect around it."""
    from cleaners import manifest as mf
    from cleaners.config import PipelineConfig
    from cleaners.outputs import TextOutputs
    from cleaners.readers import discover
    from cleaners.report import doc_html_parts
    from cleaners.report_pages import ReportPages
    from flows import pipeline as fp

    config = PipelineConfig()
    items = discover(folder, config.input)
    fp.run_batch(folder, out, items, ["-"] * len(items), config)
    pages = ReportPages(out, fp.LOW_ADEQUACY, doc_html_parts)
    with TextOutputs(out) as texts:

        def docs() -> Any:
            for item in sorted(items, key=lambda i: i.id):
                doc = fp.load_document(mf.result_path(out, item.id, "done"))
                fp.decide_document(doc, config)
                texts.add(doc)
                pages.add(doc)
                yield doc

        fp.write_corpus(out, docs(), config)
    pages.finish()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shape", default="lines", choices=("lines", "paras", "oneline"))
    ap.add_argument("--mb", type=float, default=20.0, help="MB of the whole pair")
    args = ap.parse_args()
    from bigdoc import make_pair

    timeline = Timeline()
    for module, name in WATCHED:
        timeline.wrap(module, name)
    with tempfile.TemporaryDirectory(prefix="stage-rss-") as tmp:
        small, big = Path(tmp) / "small", Path(tmp) / "big"
        small.mkdir()
        big.mkdir()
        make_pair(small, "small", "lines", 0.05)
        size = make_pair(big, "big", args.shape, args.mb, pair=True)
        run(small, Path(tmp) / "out-small")  # models, tables and caches: the base
        timeline.rows.clear()
        timeline.base = base = _status("VmRSS")
        _reset_peak()
        timeline.top = 0
        run(big, Path(tmp) / "out-big")
    print(f"{args.shape} pair {size / MB:.1f} MB; base RSS {base / MB:.0f} MB; "
          "MB above base: before, peak (x pair), after; CPU s")  # fmt: skip
    for depth, name, before, peak, after, cpu in timeline.rows:
        print(f"{'  ' * depth}{name:<{24 - 2 * depth}} {(before - base) / MB:7.1f} "
              f"{(peak - base) / MB:7.1f} ({(peak - base) / size:5.2f}x) "
              f"{(after - base) / MB:7.1f} {cpu:7.1f}")  # fmt: skip
    top = max(timeline.top, _status("VmHWM")) - base
    print(f"run peak above base: {top / MB:.1f} MB = {top / size:.2f}x the pair")


if __name__ == "__main__":
    main()
