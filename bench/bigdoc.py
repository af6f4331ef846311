"""Big documents, any shape: per-stage peak memory and CPU time, and the whole run.

    .venv/bin/python bench/bigdoc.py [--sizes 1,5,20] [--shapes lines,paras,oneline]
                                     [--pair] [--no-stages] [--no-run]

Sizes are MB of Russian a side (its English follows, ~0.54x), or with ``--pair`` MB of the
whole pair (Russian + English): ``--pair --sizes 5,20 --no-stages`` is issue 15's check,
a 20 MB document pair against a 5 MB one.

Documents are made here from dev text only (WMT21 ``src.ru.txt``/``ref.A.en.txt``, then
FLORES ``dev.rus_Cyrl``/``dev.eng_Latn``, repeated until a side reaches the size), in
three shapes: ``lines`` (one sentence per line: many short paragraphs), ``paras``
(paragraphs of 40 sentences), ``oneline`` (each side one line of several MB).

Stages: each runs in a fresh subprocess on the previous stage's pickled output, after
a warm-up on a small document (lazy tables and models load there, not in the figure);
its peak is ``VmHWM`` (reset with ``/proc/self/clear_refs``) minus ``VmRSS`` just before
it, i.e. the stage's own working memory above everything already loaded, input
included. Then ``mtclean run`` on the pair under ``/usr/bin/time -v`` (peak RSS above
the base of ``mtclean run`` on one 50 KB pair, which loads the models). Ratios: peak
above base / the pair's size, and time vs the 5 MB pair of the same shape.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import pickle
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DATA = Path(os.environ.get("MTCLEAN_DATA", Path(__file__).resolve().parents[1] / "../shared/data"))
ROOT = Path(__file__).resolve().parents[1]
STAGES = ("read", "repair", "structure", "lid", "sentences", "align", "judge", "json",
          "reload", "corpus", "pages")  # fmt: skip
MB = 1_000_000


def dev_pairs() -> list[tuple[str, str]]:
    """Parallel dev sentences: WMT21 source/reference A, then FLORES dev."""
    wmt = DATA / "wmt21-newstest-ru-en"
    flores = DATA / "flores200"
    pairs: list[tuple[str, str]] = []
    for ru, en in ((wmt / "src.ru.txt", wmt / "ref.A.en.txt"),
                   (flores / "dev.rus_Cyrl.txt", flores / "dev.eng_Latn.txt")):  # fmt: skip
        a = ru.read_text(encoding="utf-8").splitlines()
        b = en.read_text(encoding="utf-8").splitlines()
        pairs += [
            (x.strip(), y.strip()) for x, y in zip(a, b, strict=True) if x.strip() and y.strip()
        ]
    return pairs


def make_pair(folder: Path, name: str, shape: str, megabytes: float, pair: bool = False) -> int:
    """Write ``name.ru.txt``/``name.en.txt`` of ``shape``; returns the pair's size in bytes.

    ``megabytes`` of Russian, or with ``pair`` of Russian and English together."""
    pairs = dev_pairs()
    ru: list[str] = []
    en: list[str] = []
    size, i = 0, 0
    while size < megabytes * MB:
        r, e = pairs[i % len(pairs)]
        ru.append(r)
        en.append(e)
        size += len(r.encode()) + 1 + (len(e.encode()) + 1 if pair else 0)
        i += 1
    if shape == "lines":
        sep_of = lambda k: "\n"  # noqa: E731
    elif shape == "paras":
        sep_of = lambda k: "\n" if k % 40 == 39 else " "  # noqa: E731
    else:
        sep_of = lambda k: " "  # noqa: E731
    total = 0
    for lang, sents in (("ru", ru), ("en", en)):
        text = "".join(s + sep_of(k) for k, s in enumerate(sents)).rstrip(" ") + "\n"
        data = text.encode()
        (folder / f"{name}.{lang}.txt").write_bytes(data)
        total += len(data)
    return total


# ------------------------------------------------------------------ one stage, in a child


def _status(key: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) * 1024
    raise KeyError(key)


def _run_stage(stage: str, state: dict, out_dir: Path) -> dict:  # noqa: C901
    from cleaners import lid
    from cleaners.align import align
    from cleaners.config import PipelineConfig
    from cleaners.jsonstream import load_document
    from cleaners.judge import decide_document, measure_document
    from cleaners.manifest import result_path, write_result
    from cleaners.model import Document
    from cleaners.outputs import TextOutputs
    from cleaners.pipeline import _check_sides, corpus_sentences, score_agreement, tag_segments
    from cleaners.readers import discover, read_item
    from cleaners.repair import repair
    from cleaners.report import doc_html_parts
    from cleaners.report_pages import ReportPages
    from cleaners.structure import parse
    from cleaners.writers import write_corpus

    config = PipelineConfig.model_validate({"input": {"max_bytes": 1 << 34}})  # any size
    s = dict(state)
    if stage == "read":
        (item,) = [i for i in discover(Path(s["input"]), config.input) if i.id == s["id"]]
        read = read_item(Path(s["input"]), item, config.input)
        assert read.error is None, read.error
        s.update(item=item, raw_hash=read.raw_hash, decoded=read.texts)
    elif stage == "repair":
        s["repaired"] = {k: repair(d.text, k, config.repair) for k, d in s["decoded"].items()}
    elif stage == "structure":
        s["segments"] = {k: parse(r.text, k) for k, r in s["repaired"].items()}
    elif stage == "lid":
        lid.preload(config.lid)
        s["sides"] = {
            k: tag_segments(
                d.text,
                s["repaired"][k].text,
                d.encoding,
                k,
                list(s["repaired"][k].edits),
                s["segments"][k],
                config,
            )  # fmt: skip
            for k, d in s["decoded"].items()
        }
        del s["segments"], s["repaired"]
    elif stage == "sentences":
        warnings: list[str] = []
        sides = _check_sides(s.pop("sides"), s["decoded"], config, warnings)
        doc = Document(id=s["item"].id, sources=s["item"].sources, raw_hash=s["raw_hash"],
                       ru=sides.get("ru"), en=sides.get("en"), warnings=warnings)  # fmt: skip
        doc.ru_sentences = corpus_sentences(doc.ru, "ru", config)
        doc.en_sentences = corpus_sentences(doc.en, "en", config)
        s["doc"] = doc
        del s["decoded"]
    elif stage == "align":
        doc = s["doc"]
        doc.beads = align(doc.ru_sentences, doc.en_sentences, config.align)
    elif stage == "judge":
        doc = s["doc"]
        if doc.ru_retranslated and doc.en:
            score_agreement(doc)
        measure_document(doc, config)
    elif stage == "json":
        write_result(Path(s["json"]).parent, Path(s["json"]).stem, "done", s["doc"].to_dict())
        s = {"json": s["json"]}
    elif stage == "reload":
        path = result_path(Path(s["json"]).parent, Path(s["json"]).stem, "done")
        s["doc"] = load_document(path)
    elif stage == "corpus":
        decide_document(s["doc"], config)  # as the flow, from what docs/ store
        write_corpus(out_dir, iter([s["doc"]]), config)
    elif stage == "pages":
        pages = ReportPages(out_dir, config.translate.replace_below, doc_html_parts)
        with TextOutputs(out_dir) as texts:
            texts.add(s["doc"])
            pages.add(s["doc"])
        pages.finish()
    return s


def child(stage: str, in_pickle: str, warm_pickle: str, out_pickle: str) -> None:
    """Warm up on the small document, then measure ``stage`` on the big one."""
    from cleaners import lid, repair
    from cleaners.config import PipelineConfig

    lid.preload(PipelineConfig().lid)  # the models are the process's base, loaded once
    repair.preload(PipelineConfig().repair)  # as mtclean run does
    with tempfile.TemporaryDirectory() as tmp, open(warm_pickle, "rb") as fh:
        _run_stage(stage, pickle.load(fh), Path(tmp))
    with open(in_pickle, "rb") as fh:
        state = pickle.load(fh)
    gc.collect()
    base = _status("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")  # VmHWM := VmRSS
    cpu0 = time.process_time()
    with tempfile.TemporaryDirectory() as tmp:
        state = _run_stage(stage, state, Path(tmp))
        cpu = time.process_time() - cpu0
        peak = _status("VmHWM") - base
    with open(out_pickle, "wb") as fh:
        pickle.dump(state, fh, protocol=pickle.HIGHEST_PROTOCOL)
    print(json.dumps({"peak": peak, "cpu": cpu}))


def stage_chain(folder: Path, name: str, work: Path) -> dict[str, dict]:
    """Every stage on ``name`` in ``folder`` (warm-up on ``small``); {stage: figures}."""
    out: dict[str, dict] = {}
    prev = {w: {"input": str(folder), "id": i, "json": str(work / f"{w}.json")}
            for w, i in (("big", name), ("small", "small"))}  # fmt: skip
    paths = {}
    for which, st in prev.items():
        paths[which] = work / f"{which}-start.pkl"
        paths[which].write_bytes(pickle.dumps(st))
    for stage in STAGES:
        nxt = {w: work / f"{w}-{stage}.pkl" for w in paths}
        # the warm-up document's own chain (cheap), then the measured one
        for w in ("small", "big"):
            warm = paths["small"] if w == "big" else paths["small"]
            proc = subprocess.run(
                [sys.executable, __file__, "--child", stage, str(paths[w]), str(warm), str(nxt[w])],
                capture_output=True, text=True, cwd=ROOT,
            )  # fmt: skip
            if proc.returncode:
                raise SystemExit(f"stage {stage} failed:\n{proc.stderr[-3000:]}")
            if w == "big":
                out[stage] = json.loads(proc.stdout.strip().splitlines()[-1])
        for w in paths:
            paths[w].unlink()
        paths = nxt
    for p in paths.values():
        p.unlink()
    return out


# ------------------------------------------------------------------ the whole run


def time_v(folder: Path, out: Path, ph: Path) -> tuple[float, float, float]:
    """``mtclean run`` under ``/usr/bin/time -v``: (max RSS MB, wall s, CPU s)."""
    env = dict(os.environ, PREFECT_HOME=str(ph), DO_NOT_TRACK="1", PYTHONPATH=str(ROOT),
               PREFECT_SERVER_ANALYTICS_ENABLED="false")  # fmt: skip
    env.pop("PREFECT_API_URL", None)
    proc = subprocess.run(
        ["/usr/bin/time", "-v", sys.executable, "-m", "flows.cli", "run", str(folder),
         "--out", str(out), "--no-progress"],
        capture_output=True, text=True, env=env, cwd=ROOT,
    )  # fmt: skip
    if proc.returncode:
        raise SystemExit(f"mtclean run failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    err = proc.stderr

    def field(label: str) -> str:
        m = re.search(rf"{re.escape(label)}: (.+)", err)
        assert m, label
        return m.group(1).strip()

    rss = int(field("Maximum resident set size (kbytes)")) / 1024
    wall_parts = [float(x) for x in field("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":")]
    wall = sum(v * 60**i for i, v in enumerate(reversed(wall_parts)))
    cpu = float(field("User time (seconds)")) + float(field("System time (seconds)"))
    return rss, wall, cpu


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1,5,20", help="MB per side")
    ap.add_argument("--shapes", default="lines,paras,oneline")
    ap.add_argument("--pair", action="store_true", help="sizes are of the whole pair")
    ap.add_argument("--no-stages", action="store_true")
    ap.add_argument("--no-run", action="store_true")
    args = ap.parse_args()
    if not (DATA / "wmt21-newstest-ru-en").is_dir():
        raise SystemExit(f"no dev data at {DATA}")
    sizes = [float(x) for x in args.sizes.split(",")]
    shapes = args.shapes.split(",")
    with tempfile.TemporaryDirectory(prefix="bigdoc-") as tmp:
        base = Path(tmp)
        tiny = base / "tiny"
        tiny.mkdir()
        make_pair(tiny, "small", "lines", 0.05)  # loads the LID models and tables
        if not args.no_run:
            base_rss, _, _ = time_v(tiny, base / "tiny-out", base / "ph")
            print(f"mtclean run base (one 50 KB pair): {base_rss:.0f} MB max RSS")
        runs: dict[tuple[str, float], tuple[float, float, float, int]] = {}
        for shape in shapes:
            for mb in sizes:
                folder = base / f"{shape}-{mb:g}"
                folder.mkdir()
                make_pair(folder, "small", "lines", 0.05)
                size = make_pair(folder, "big", shape, mb, args.pair)
                label = f"{shape} {mb:g} MB{'' if args.pair else '/side'} (pair {size / MB:.1f} MB)"
                if not args.no_stages:
                    work = base / f"work-{shape}-{mb:g}"
                    work.mkdir()
                    figs = stage_chain(folder, "big", work)
                    print(f"\n{label}: stage  peak-above-base MB  (× pair)  CPU s")
                    for st, f in figs.items():
                        print(
                            f"  {st:<10} {f['peak'] / MB:8.1f}  ({f['peak'] / size:5.2f}×)"
                            f"  {f['cpu']:7.2f}"
                        )
                    total = sum(f["cpu"] for f in figs.values())
                    worst = max(figs, key=lambda k: figs[k]["peak"])
                    print(f"  stages CPU {total:.1f} s; highest peak: {worst}")
                if not args.no_run:
                    (folder / "small.ru.txt").unlink()
                    (folder / "small.en.txt").unlink()
                    rss, wall, cpu = time_v(folder, base / f"out-{shape}-{mb:g}", base / "ph")
                    runs[(shape, mb)] = (rss, wall, cpu, size)
                    done = base / f"out-{shape}-{mb:g}"
                    if any((done / "quarantine").glob("*.json")):
                        print(f"{label}: QUARANTINED by the default config (input.max_bytes)")
                    with open(done / "corpus.tsv", "rb") as fh:
                        pairs = sum(1 for _ in fh)
                    print(f"{label}: {pairs} aligned pairs in corpus.tsv")
                    print(f"{label}: mtclean run max RSS {rss:.0f} MB, "
                          f"{rss - base_rss:.0f} MB above base = "
                          f"{(rss - base_rss) * 2**20 / size:.2f}× the pair; "
                          f"wall {wall:.1f} s, CPU {cpu:.1f} s")  # fmt: skip
        if runs:
            unit = "MB pair" if args.pair else "MB/side"
            print(f"\nshape    {unit}  pair MB  max RSS  above base  ×pair   CPU s  CPU vs 5 MB")
            for (shape, mb), (rss, _wall, cpu, size) in runs.items():
                ref = runs.get((shape, 5.0))
                ratio = f"{cpu / ref[2]:.2f}×" if ref and mb != 5.0 else "-"
                above = rss - base_rss
                print(f"{shape:<8} {mb:7g} {size / MB:8.1f} {rss:8.0f} {above:10.0f} "
                      f"{above * 1024 * 1024 / size:6.2f} {cpu:7.1f}  {ratio}")  # fmt: skip


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        sys.path.insert(0, str(ROOT))
        child(*sys.argv[2:6])
    else:
        main()
