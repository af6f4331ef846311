"""The ``build_corpus`` flow: raw documents in, docs/, corpus, reports and manifest out.

Orchestration only. The per-document work is ``cleaners.pipeline.process_item``; what to redo
is decided by ``cleaners.manifest``; counting and rendering by ``cleaners.report``. The flow:

1. takes the output folder's lock (a second run is refused, a dead run's lock recovered);
2. discovers inputs, hashes them, and plans against ``manifest.json`` (input hash, config
   ``document_hash()``, code version): unchanged results stay, everything else is redone (a
   change to a corpus-only setting, ``content_hash()``, redoes nothing but step 4);
3. sends batches of ``config.run.batch_size`` documents to ``process_batch`` tasks, each
   writing ``docs/<id>.json`` or ``quarantine/<id>.json`` atomically;
4. rebuilds the corpus from all of ``docs/`` sorted by id (the filters decide there, from the
   judge's stored measurements: a changed threshold redoes no document), and with it ``text/``,
   ``edits.jsonl`` and the report pages (``cleaners.outputs``, ``cleaners.report_pages``),
   writes report.md/.json/.html and a Prefect markdown artifact, and writes the manifest last.

Batches run on a task runner chosen from ``config.run`` inside the flow (so a deployment's
parameters pick it too): a local thread pool by default, Prefect's Dask task runner with
``run.dask`` (a LocalCluster, or the scheduler at ``run.dask_address``).
"""

import contextlib
import json
import logging
import platform
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.context import get_run_context
from prefect.futures import as_completed

from cleaners import manifest as mf
from cleaners.config import PipelineConfig, TranslateConfig
from cleaners.errors import UNREADABLE
from cleaners.fsutil import atomic_write_json, atomic_write_text
from cleaners.jsonstream import load_document
from cleaners.judge import decide_document
from cleaners.memory import doc_size, release
from cleaners.model import Document, Quarantined
from cleaners.outputs import TextOutputs
from cleaners.readers import InputItem, discover, item_hash
from cleaners.report import Tally, doc_html_parts, render_html, render_md
from cleaners.report_pages import ReportIndex, ReportPages
from cleaners.writers import write_corpus
from flows import DASK_HINT

LOW_ADEQUACY = 0.5  # report.html's low-adequacy list: documents whose mean is below this

# A progress hook the CLI sets (a flow parameter cannot carry a callable): called with
# ("total", n) once and ("advance", k) as batches finish.
Progress = Callable[[str, int], None]
_progress: Progress | None = None


def set_progress(hook: Progress | None) -> None:
    global _progress
    _progress = hook


def _tell(event: str, n: int) -> None:
    if _progress is not None:
        _progress(event, n)


# ---------------------------------------------------------------- retranslation


def get_translator(cfg: TranslateConfig) -> Any | None:
    """The process's Retranslator for ``cfg``, or ``None`` when it cannot be built here."""
    from cleaners.translate import shared_translator

    return shared_translator(cfg)


def effective_config(config: PipelineConfig, warn: Callable[[str], None]) -> PipelineConfig:
    """``config`` with retranslation switched off when it cannot run here (one warning).

    The manifest stamps results with this effective config, so documents processed without
    a translator are redone once a package is installed.
    """
    if not config.translate.enabled or get_translator(config.translate) is not None:
        return config
    from cleaners.translate import unavailable_reason

    reason = unavailable_reason(config.translate) or "unavailable"
    warn(f"retranslation off for this run: {reason}")
    off = config.translate.model_copy(update={"enabled": False})
    return config.model_copy(update={"translate": off})


# ---------------------------------------------------------------- the batch task


def run_batch(
    input_dir: Path,
    out_dir: Path,
    items: Sequence[InputItem],
    hashes: Sequence[str],
    config: PipelineConfig,
    lease: dict[str, Any] | None = None,
) -> dict[str, tuple[str, str]]:
    """Process and write one batch; returns ``{id: (status, raw_hash)}``, the status
    ``"done"`` or ``"quarantined"`` and the hash of the bytes processed (which differs from
    the planned one in ``hashes`` when the file changed since planning).

    With ``lease`` (the lock holder's :func:`cleaners.manifest.lease`), each write first
    checks that the run holding the output folder is still alive, and the batch stops with
    :class:`cleaners.manifest.LeaseLost` once it is not: a worker outliving a killed run
    (a Dask worker elsewhere) writes nothing more. Plain function (the plain-loop benchmark
    and the task share it).
    """
    from cleaners import lid, repair
    from cleaners.pipeline import process_items

    # Every model and table up front: loaded lazily, the language-ID models and the repair's
    # bigram model (~140 MB), first needed deep inside a big document, looked like its memory.
    lid.preload(config.lid)
    repair.preload(config.repair)
    translator = get_translator(config.translate) if config.translate.enabled else None
    try:
        processed = process_items(input_dir, items, config, translator)
    except Exception as exc:  # process_items should not raise; never lose a document
        processed = [
            Quarantined(item.id, item.sources, h, "processing-error", repr(exc))
            for item, h in zip(items, hashes, strict=True)
        ]
    if any(isinstance(r, Quarantined) and r.reason == UNREADABLE for r in processed) and not (
        input_dir.is_dir()
    ):
        # The folder vanished under the run (an unmounted share, a moved folder): every
        # document would be quarantined as unreadable and, on a rerun that had a corpus,
        # its pairs dropped with exit 0. Stop instead; nothing of this batch is written.
        raise mf.InputGone(
            f"the input folder {input_dir} went away during the run; run the same command "
            "again once it is back (the run resumes)"
        )
    results: dict[str, tuple[str, str]] = {}
    # Popped as written: a big document's memory goes back before the next one is written.
    pending = list(zip(items, processed, strict=True))[::-1]
    del processed
    while pending:
        item, result = pending.pop()
        status = "done" if isinstance(result, Document) else "quarantined"
        if lease is not None and not mf.holder_alive(out_dir, lease):
            raise mf.LeaseLost(f"the run holding {out_dir} is gone; this batch stops")
        record = result.to_dict(streamed=True) if isinstance(result, Document) else result.to_dict()
        mf.write_result(out_dir, item.id, status, record)
        del record
        results[item.id] = (status, result.raw_hash)
        size = doc_size(result) if isinstance(result, Document) else 0
        del result
        release(size)
    return results


@task(name="process-batch", cache_policy=NO_CACHE, persist_result=False)
def process_batch(
    input_dir: str,
    out_dir: str,
    items: list[InputItem],
    hashes: list[str],
    config: PipelineConfig,
    number: int = 0,
    lease: dict[str, Any] | None = None,
) -> dict[str, tuple[str, str]]:
    """Run ``process_item`` over one batch, writing each result atomically."""
    t0 = time.perf_counter()
    statuses = run_batch(Path(input_dir), Path(out_dir), items, hashes, config, lease)
    q = sum(1 for s, _ in statuses.values() if s == "quarantined")
    get_run_logger().info(
        "batch %d: %d documents (%d quarantined) in %.2f s",
        number,
        len(statuses),
        q,
        time.perf_counter() - t0,
    )
    return statuses


# ---------------------------------------------------------------- task runners


def make_task_runner(config: PipelineConfig, n_batches: int = 2) -> Any:
    """The task runner for ``config.run``.

    Threads by default: measured on 2,000 documents (bench/pipeline.py), two threads beat two
    worker processes here — each document's result is fsync-ed, threads overlap that wait, and
    a spawned process pays seconds of imports and model loading. ``run.pool: processes`` is
    there for machines with idle cores. One worker or a single batch runs in-process.
    """
    run = config.run
    if run.dask or run.dask_address:
        try:
            from prefect_dask import DaskTaskRunner
        except ImportError as exc:
            raise RuntimeError(f"--dask needs prefect-dask: {DASK_HINT}") from exc
        if run.dask_address:
            return DaskTaskRunner(address=run.dask_address)
        return DaskTaskRunner(
            cluster_kwargs={
                "n_workers": run.max_workers,
                "threads_per_worker": 1,
                "processes": True,
                "dashboard_address": None,
            }
        )
    if run.max_workers <= 1 or n_batches <= 1 or run.pool == "threads":
        from prefect.task_runners import ThreadPoolTaskRunner

        workers = run.max_workers if run.pool == "threads" and n_batches > 1 else 1
        return ThreadPoolTaskRunner(max_workers=workers)
    from prefect.task_runners import ProcessPoolTaskRunner

    return ProcessPoolTaskRunner(max_workers=run.max_workers)


def _api_for_workers() -> contextlib.AbstractContextManager[Any]:
    """Point worker processes at this process's ephemeral Prefect server.

    In ephemeral mode no API URL is set, so each spawned worker would start a temporary
    server of its own (~5 s each); handing them the running one's URL avoids that.
    """
    from prefect.settings import PREFECT_API_URL, get_current_settings, temporary_settings

    if get_current_settings().api.url:
        return contextlib.nullcontext()
    from prefect.server.api.server import SubprocessASGIServer

    server = SubprocessASGIServer()
    if not server.running:
        return contextlib.nullcontext()
    return temporary_settings(updates={PREFECT_API_URL: server.api_url})


# ---------------------------------------------------------------- helpers


def _chunks(seq: Sequence[str], n: int) -> Iterator[list[str]]:
    for i in range(0, len(seq), n):
        yield list(seq[i : i + n])


def _load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _run_id() -> str | None:
    try:
        return str(get_run_context().flow_run.id)  # type: ignore[union-attr]
    except Exception:
        return None


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"mtclean": mf.code_version(), "python": platform.python_version()}
    for pkg in ("prefect", "ftfy", "langdetect"):
        with contextlib.suppress(PackageNotFoundError):
            out[pkg] = version(pkg)
    return out


def _write_reports(out_dir: Path, summary: dict[str, Any], index: ReportIndex) -> str:
    md = render_md(summary)
    atomic_write_text(out_dir / "report.md", md)
    atomic_write_json(out_dir / "report.json", summary)
    atomic_write_text(out_dir / "report.html", render_html(summary, [], index=index))
    return md


def _artifact(md: str) -> None:
    try:
        from prefect.artifacts import create_markdown_artifact

        create_markdown_artifact(markdown=md, key="mtclean-report", description="mtclean run")
    except Exception as exc:  # an artifact is a nicety; never fail a finished run on it
        get_run_logger().warning("could not create the report artifact: %s", exc)


# ---------------------------------------------------------------- the flow


@flow(name="build-corpus", log_prints=False)
def build_corpus(
    input_dir: str = "corpora/sample",
    out_dir: str = "corpora/out",
    config: PipelineConfig = PipelineConfig(),  # noqa: B008  (the UI form needs a default)
) -> dict[str, Any]:
    """Turn a folder of raw documents into repaired docs, an aligned corpus and a report.

    Reruns redo only what changed; a killed run, started again, finishes the job and gives
    byte-identical corpus files. Returns the run's summary (also in report.json).
    """
    log = get_run_logger()
    src, out = Path(input_dir).resolve(), Path(out_dir).resolve()
    # The CLI refuses these before the flow starts; a deployment's parameters come here
    # unchecked, and its output inside its input would be read back as documents.
    if out.is_relative_to(src) or src.is_relative_to(out):
        raise ValueError(
            f"the output folder {out_dir} and the input folder {input_dir} must not be one "
            "inside the other (or the same): give the deployment separate folders"
        )
    started, t0 = _now(), time.perf_counter()
    with mf.OutputLock(out):
        # The report says whether this run retranslated, and why not when it was asked for:
        # a scheduled run's warning is only in its logs, where nobody reads it next morning.
        unavailable: list[str] = []

        def warn(message: str) -> None:
            log.warning(message)
            unavailable.append(message.removeprefix("retranslation "))

        config = effective_config(config, warn)
        translated = config.translate.mode if config.translate.enabled else "off"
        items = discover(src, config.input)
        if not items and (kept := len(mf.read_manifest(out).get("items") or {})):
            # An empty input folder is what an unmounted share or a failed sync looks like:
            # taken as "every input removed", it deleted every result and emptied the
            # corpus, exit 0. Nothing is touched; dropping them all is a choice made by hand.
            raise mf.InputGone(
                f"{src} holds no input, and {out} holds the results of {kept} document(s): "
                "nothing was changed (an unmounted or emptied input folder would drop them "
                f"all); to start over on purpose, delete {out}"
            )
        by_id = {it.id: it for it in items}
        # Documents are stamped with the settings they are processed under; the corpus with
        # all of them, so a corpus-only change (align.min_score, dedup, the filters'
        # thresholds) rewrites the corpus from docs/ and redoes no document.
        stamp = mf.Stamp(config.document_hash(), mf.code_version())
        ledger = mf.RunLedger.begin(
            src,
            out,
            items,
            stamp,
            lambda d, it: item_hash(d, it, config.input),
            corpus_stamp=config.content_hash(),
        )
        plan, hashes, unchanged = ledger.plan, ledger.hashes, ledger.unchanged
        for warning in ledger.warnings:
            log.warning(warning)
        statuses = dict(plan.fresh)
        processed: dict[str, str] = {}  # id → hash of the bytes processed
        log.info(
            "%d inputs: %d unchanged, %d resumed, %d to process, %d removed",
            len(items),
            len(plan.fresh) - len(plan.resumed),
            len(plan.resumed),
            len(plan.work),
            len(plan.removed),
        )
        _tell("total", len(items))
        _tell("advance", len(plan.fresh))
        if plan.work:
            n_batches = -(-len(plan.work) // config.run.batch_size)
            with _api_for_workers(), make_task_runner(config, n_batches) as runner:
                futures = [
                    runner.submit(
                        process_batch,
                        parameters={
                            "input_dir": str(src),
                            "out_dir": str(out),
                            "items": [by_id[i] for i in ids],
                            "hashes": [hashes[i] for i in ids],
                            "config": config,
                            "number": n,
                            "lease": mf.lease(),
                        },
                    )
                    for n, ids in enumerate(_chunks(plan.work, config.run.batch_size))
                ]
                for fut in as_completed(futures):
                    done = fut.result()
                    for doc_id, (status, raw_hash) in done.items():
                        statuses[doc_id] = status
                        processed[doc_id] = raw_hash
                    _tell("advance", len(done))
        done_ids = sorted(i for i, s in statuses.items() if s == "done")
        q_ids = sorted(i for i, s in statuses.items() if s == "quarantined")
        tally = Tally()
        quarantined = [
            Quarantined.from_dict(_load(mf.result_path(out, i, "quarantined"))) for i in q_ids
        ]
        for q in quarantined:
            tally.add_quarantined(q)
        # Text outputs and report pages come from docs/ on every run, so they always match it.
        # A document whose pairs are on average more likely wrong than right is "low".
        pages = ReportPages(out, LOW_ADEQUACY, doc_html_parts)
        for q in quarantined:
            pages.add_quarantined(q)
        with TextOutputs(out) as texts:

            def docs_on_disk() -> Iterator[Document]:
                for i in done_ids:
                    doc = load_document(mf.result_path(out, i, "done"))
                    # docs/ hold the judge's measurements; the filters decide here, under
                    # this run's thresholds (a changed one redoes no document).
                    decide_document(doc, config)
                    texts.add(doc)
                    pages.add(doc)
                    yield doc
                    size = doc_size(doc)
                    del doc
                    release(size)

            if unchanged:
                # Nothing changed: the corpus on disk is the one the manifest vouches for.
                stats = ledger.previous["stats"]
                corpus_counts = ledger.previous.get("corpus_counts", {})
                for _ in docs_on_disk():
                    pass
            else:

                def stream() -> Iterator[Document]:
                    for doc in docs_on_disk():
                        tally.add(doc)
                        yield doc

                corpus_counts = write_corpus(out, stream(), config)
                stats = tally.result()
        index = pages.finish()
        run = {
            "inputs": len(items),
            "processed": len(plan.work),
            "skipped": len(plan.fresh) - len(plan.resumed),
            "resumed": len(plan.resumed),
            "removed": len(plan.removed),
            "done": len(done_ids),
            "quarantined": len(q_ids),
            "duration_s": round(time.perf_counter() - t0, 2),
            "retranslation": unavailable[0] if unavailable else translated,
        }
        summary = {**stats, "run": run, "corpus": corpus_counts}
        md = _write_reports(out, summary, index)
        _artifact(md)
        ledger.finish(
            statuses,
            processed,
            {
                "started": started,
                "finished": _now(),
                "run_id": _run_id(),
                "run": run,
                "versions": _versions(),
                "corpus_counts": corpus_counts,
                "stats": {k: v for k, v in summary.items() if k not in ("run", "corpus")},
            },
        )
        log.info("finished: %s", json.dumps(run))
        return summary


def quiet_prefect_logs() -> None:
    """Keep Dask's INFO chatter out of a CLI run (it logs at INFO regardless of Prefect)."""
    for name in ("distributed", "distributed.scheduler", "distributed.worker"):
        logging.getLogger(name).setLevel(logging.WARNING)
