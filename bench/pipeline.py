"""Benchmark: the Prefect flow against a plain Python loop over the same cleaners/ calls.

Generates N documents (default 10,000) from the dev sets in ../shared/data (WMT21 Russian
sources with a real MT system's English, FLORES dev, TICO-19), with the user's kind of MT
damage added to some (fused words, ``18: 18`` times), then in one process:

1. the plain loop (baseline): discover → hash → process_item → write docs/ → write_corpus →
   reports, no Prefect imported until it is done;
2. an empty flow run (Prefect's fixed start-up: ephemeral server, flow run bookkeeping);
3. the flow on the N documents (processes, then threads on a subset, by ``--compare-pools``);
4. a rerun with nothing changed, and a rerun with 1 % of the documents changed.

Targets (issue 7): Prefect per-document cost ≤ 1.2× the loop's; a no-change rerun ≤ 5 % of
the first run's per-document time. Also prints the start-up of ``mtclean clean`` and of an
empty ``mtclean run`` as separate processes.

    .venv/bin/python bench/pipeline.py --docs 10000
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("MTCLEAN_DATA") or ROOT.parent / "shared" / "data")

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")


# ---------------------------------------------------------------- input generation


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def load_pairs() -> list[list[tuple[str, str]]]:
    """Runs of consecutive (ru, en) pairs, one run per source document (dev sets only)."""
    runs: list[list[tuple[str, str]]] = []
    wmt = DATA / "wmt21-newstest-ru-en"
    ru = _lines(wmt / "src.ru.txt")
    en = _lines(wmt / "system_outputs" / "hyp.Online-B.en.txt")
    docs: dict[str, list[int]] = {}
    for row in _lines(wmt / "docs.tsv")[1:]:
        idx, doc = row.split("\t")[:2]
        docs.setdefault(doc, []).append(int(idx))
    runs += [[(ru[i], en[i]) for i in ids] for ids in docs.values()]
    fl = DATA / "flores200"
    fru, fen = _lines(fl / "dev.rus_Cyrl.txt"), _lines(fl / "dev.eng_Latn.txt")
    runs += [list(zip(fru[i : i + 8], fen[i : i + 8], strict=True)) for i in range(0, len(fru), 8)]
    tico = DATA / "tico19-test-ru-en"
    tru, ten = _lines(tico / "rus.txt"), _lines(tico / "eng.txt")
    runs += [list(zip(tru[i : i + 8], ten[i : i + 8], strict=True)) for i in range(0, len(tru), 8)]
    return [r for r in runs if len(r) >= 2]


_AND = re.compile(r"\band (\w{3,})")
_TIME = re.compile(r"\b(\d{1,2}):(\d{2})\b")


def damage(text: str, rng: random.Random) -> str:
    """The user's kind of MT damage: a fused ``and`` and a broken time, sometimes."""
    if rng.random() < 0.3:
        text = _AND.sub(r"and\1", text, count=1)
    if rng.random() < 0.3:
        text = _TIME.sub(r"\1: \2", text, count=1)
    return text


def generate(dest: Path, n: int, seed: int = 7) -> None:
    """``n`` documents ``dNNNNN.ru.txt`` + ``dNNNNN.en.txt`` (a title and 2–4 paragraphs)."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    rng = random.Random(seed)
    runs = load_pairs()
    for i in range(n):
        run = rng.choice(runs)
        k = min(len(run), rng.randint(3, 9))
        start = rng.randint(0, len(run) - k)
        pairs = run[start : start + k]
        cut = sorted(rng.sample(range(1, k), min(k - 1, rng.randint(1, 3))))
        paras = [pairs[a:b] for a, b in zip([0, *cut], [*cut, k], strict=True)]
        ru = "\n\n".join(" ".join(p[0] for p in para) for para in paras)
        en = "\n\n".join(" ".join(p[1] for p in para) for para in paras)
        (dest / f"d{i:05d}.ru.txt").write_text(ru + "\n", encoding="utf-8")
        (dest / f"d{i:05d}.en.txt").write_text(damage(en, rng) + "\n", encoding="utf-8")


def change(dest: Path, fraction: float, seed: int = 11) -> int:
    rng = random.Random(seed)
    files = sorted(dest.glob("*.en.txt"))
    picked = rng.sample(files, max(1, int(len(files) * fraction)))
    for p in picked:
        p.write_text(p.read_text(encoding="utf-8") + "\nA line added later.\n", encoding="utf-8")
    return len(picked)


# ---------------------------------------------------------------- the plain loop


def plain_loop(src: Path, out: Path) -> float:
    """Same cleaners/ calls as the flow, in a plain loop; returns seconds."""
    from cleaners import manifest as mf
    from cleaners.config import PipelineConfig
    from cleaners.fsutil import atomic_write_json, atomic_write_text
    from cleaners.judge import decide_document
    from cleaners.model import Document
    from cleaners.outputs import TextOutputs
    from cleaners.pipeline import process_item
    from cleaners.readers import discover, item_hash
    from cleaners.report import Tally, doc_html, render_html, render_md
    from cleaners.report_pages import ReportPages
    from cleaners.writers import write_corpus

    if out.exists():
        shutil.rmtree(out)
    config = PipelineConfig()
    t0 = time.perf_counter()
    statuses: dict[str, str] = {}
    for item in discover(src, config.input):
        item_hash(src, item, config.input)  # the flow hashes every input to plan the run
        res = process_item(src, item, config, None)
        status = "done" if isinstance(res, Document) else "quarantined"
        mf.write_result(out, item.id, status, res.to_dict())
        statuses[item.id] = status
    tally = Tally()
    pages = ReportPages(out, config.translate.replace_below, doc_html)

    def stream():
        import json

        for i in sorted(k for k, s in statuses.items() if s == "done"):
            doc = Document.from_dict(json.loads(mf.result_path(out, i, "done").read_text()))
            decide_document(doc, config)  # as the flow: the filters decide from docs/
            tally.add(doc)
            texts.add(doc)
            pages.add(doc)
            yield doc

    with TextOutputs(out) as texts:
        counts = write_corpus(out, stream(), config)
    index = pages.finish()
    summary = {**tally.result(), "corpus": counts}
    atomic_write_text(out / "report.md", render_md(summary))
    atomic_write_json(out / "report.json", summary)
    atomic_write_text(out / "report.html", render_html(summary, [], index=index))
    return time.perf_counter() - t0


# ---------------------------------------------------------------- Prefect runs


def cpu_seconds() -> float:
    """CPU time of this process and its reaped children (pool workers): load-independent."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


LAST_CPU = {"s": 0.0}


def flow_run(src: Path, out: Path, fresh: bool = True, **run: object) -> tuple[float, dict]:
    from cleaners.config import PipelineConfig
    from flows.pipeline import build_corpus

    if fresh and out.exists():
        shutil.rmtree(out)
    config = PipelineConfig.model_validate({"run": run} if run else {})
    c0, t0 = cpu_seconds(), time.perf_counter()
    summary = build_corpus(input_dir=str(src), out_dir=str(out), config=config)
    LAST_CPU["s"] = cpu_seconds() - c0
    return time.perf_counter() - t0, summary


def same_corpus(a: Path, b: Path) -> bool:
    from cleaners.manifest import CORPUS_FILES

    return all((a / n).read_bytes() == (b / n).read_bytes() for n in CORPUS_FILES)


def process_seconds(argv: list[str], env: dict[str, str], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, check=True)
        best = min(best, time.perf_counter() - t0)
    return best


def startup(work: Path) -> None:
    """Start-up costs as separate processes (what a user waits for)."""
    py = sys.executable
    env = {**os.environ}
    text = ROOT.parent / "shared" / "seed" / "example.txt"
    sample = work / "startup.jsonl"
    import json

    body = text.read_text(encoding="utf-8") if text.exists() else "trade andeconomic at 18: 18"
    sample.write_text(json.dumps({"id": "x", "text": body}) + "\n", encoding="utf-8")
    plain = work / "startup.txt"
    plain.write_text(body, encoding="utf-8")
    ftfy = process_seconds(
        [
            py,
            "-c",
            f"import ftfy,sys; sys.stdout.write(ftfy.fix_text(open({str(plain)!r}).read()))",
        ],
        env,
    )
    clean = process_seconds([py, "-m", "flows.cli", "clean", "--format", "jsonl", str(sample)], env)
    print(f"startup  ftfy.fix_text process           {ftfy:7.3f} s")
    print(f"startup  mtclean clean --format jsonl    {clean:7.3f} s   ratio {clean / ftfy:.2f}x")
    empty = work / "empty"
    empty.mkdir(exist_ok=True)
    home = work / "prefect-home"
    e2 = {**env, "PREFECT_HOME": str(home)}
    run = [
        py,
        "-m",
        "flows.cli",
        "run",
        str(empty),
        "--out",
        str(work / "empty-out"),
        "--no-progress",
    ]
    subprocess.run(run, env=e2, cwd=ROOT, capture_output=True, check=True)  # migrate the DB
    t = process_seconds(run, e2, repeat=2)
    print(f"startup  mtclean run (empty, ephemeral)   {t:7.3f} s")


def compare_pools(work: Path, m: int, workers: int, warm_s: float, warm_cpu: float) -> None:
    """Threads vs processes on ``m`` documents, two rounds in alternating order (best of 2):
    the machine is shared, so one round alone says little."""
    sub = work / "in-small"
    generate(sub, m, seed=5)
    configs = [("threads", 1), ("threads", workers), ("processes", workers)]
    best: dict[tuple[str, int], tuple[float, float]] = {}
    for rnd in range(2):
        for pool, w in configs if rnd == 0 else configs[::-1]:
            s, _ = flow_run(
                sub,
                work / f"pool-{pool}-{w}",
                pool=pool,
                max_workers=w,
                batch_size=max(1, m // 10),
            )
            cpu = LAST_CPU["s"]
            old = best.get((pool, w), (float("inf"), float("inf")))
            best[(pool, w)] = (min(old[0], s), min(old[1], cpu))
    for (pool, w), (s, cpu) in best.items():
        print(
            f"pools    {m} docs, {pool:9s} x{w}        {s:8.2f} s   "
            f"{1000 * (s - warm_s) / m:7.2f} ms/doc   cpu {1000 * (cpu - warm_cpu) / m:6.2f} ms/doc"
        )


# ---------------------------------------------------------------- main


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--work", type=Path, default=Path("/tmp/mtclean-bench-pipeline"))
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=200)
    ap.add_argument(
        "--compare-pools",
        type=int,
        default=1000,
        metavar="N",
        help="documents for the processes-vs-threads comparison (0: skip)",
    )
    ap.add_argument("--pool", choices=("threads", "processes"), default="threads")
    ap.add_argument("--only-pools", action="store_true", help="just the pool comparison")
    ap.add_argument("--no-startup", action="store_true")
    args = ap.parse_args()
    if not DATA.is_dir():
        print(f"needs {DATA} (the shared dev data)", file=sys.stderr)
        return 1
    work = args.work
    work.mkdir(parents=True, exist_ok=True)
    if args.only_pools:
        empty = work / "empty-in"
        empty.mkdir(exist_ok=True)
        flow_run(empty, work / "empty-out-cold")
        warm_s, _ = flow_run(empty, work / "empty-out-warm")
        compare_pools(work, args.compare_pools, args.workers, warm_s, LAST_CPU["s"])
        return 0
    src = work / "in"
    t0 = time.perf_counter()
    generate(src, args.docs)
    n = args.docs
    print(f"generated {n} documents in {time.perf_counter() - t0:.1f} s → {src}")

    c0 = cpu_seconds()
    loop_s = plain_loop(src, work / "loop")
    loop_cpu = cpu_seconds() - c0
    print(
        f"loop     {n} docs                       {loop_s:8.2f} s   {1000 * loop_s / n:7.2f} "
        f"ms/doc   cpu {1000 * loop_cpu / n:6.2f} ms/doc"
    )

    empty = work / "empty-in"
    empty.mkdir(exist_ok=True)
    cold_s, _ = flow_run(empty, work / "empty-out-cold")
    warm_s, _ = flow_run(empty, work / "empty-out-warm")
    warm_cpu = LAST_CPU["s"]
    print(f"prefect  empty run, cold (server start)   {cold_s:8.2f} s")
    print(f"prefect  empty run, warm                  {warm_s:8.2f} s")

    run = {"max_workers": args.workers, "batch_size": args.batch_size, "pool": args.pool}
    full_s, summary = flow_run(src, work / "flow", **run)
    full_cpu = LAST_CPU["s"]
    per_doc = (full_s - warm_s) / n
    cpu_doc = (full_cpu - warm_cpu) / n
    print(
        f"prefect  {n} docs ({args.pool} x{args.workers})      {full_s:8.2f} s   "
        f"{1000 * per_doc:7.2f} ms/doc   cpu {1000 * cpu_doc:6.2f} ms/doc"
    )
    print(
        f"         ratio vs loop: wall {per_doc / (loop_s / n):.2f}x, cpu "
        f"{cpu_doc / (loop_cpu / n):.2f}x (target ≤ 1.2x); corpus identical to the loop's: "
        f"{same_corpus(work / 'loop', work / 'flow')}"
    )

    re_s, re_sum = flow_run(src, work / "flow", fresh=False, **run)
    re_per = (re_s - warm_s) / n
    print(
        f"rerun    nothing changed                  {re_s:8.2f} s   {1000 * re_per:7.3f} ms/doc   "
        f"{100 * re_per / per_doc:5.1f} % of first run (target ≤ 5 %)   "
        f"processed {re_sum['run']['processed']}"
    )
    k = change(src, 0.01)
    one_s, one_sum = flow_run(src, work / "flow", fresh=False, **run)
    print(
        f"rerun    1 % changed ({k} docs)           {one_s:8.2f} s   "
        f"{100 * (one_s - warm_s) / (full_s - warm_s):5.1f} % of first run   "
        f"processed {one_sum['run']['processed']}"
    )
    if args.compare_pools:
        compare_pools(work, min(args.compare_pools, n), args.workers, warm_s, warm_cpu)
    if not args.no_startup:
        startup(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
