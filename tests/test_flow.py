"""End-to-end tests of the real ``build_corpus`` flow under ``prefect_test_harness``.

Inputs are a copy of the project's own sample corpus (corpora/sample) plus one binary file that
must be quarantined. Outputs are checked as a user would: TMX parses, Moses files line up,
every input is in exactly one of docs/ or quarantine/, reruns are incremental and the corpus
is byte-identical to a fresh run.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")

from prefect.testing.utilities import prefect_test_harness  # noqa: E402
from retune import TUNED  # noqa: E402  (tests/ is on sys.path)

from cleaners import manifest as mf  # noqa: E402
from cleaners.config import PipelineConfig  # noqa: E402
from flows import DASK_HINT  # noqa: E402
from flows.pipeline import build_corpus  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "corpora" / "sample"
CORPUS = mf.CORPUS_FILES


@pytest.fixture(scope="session", autouse=True)
def harness():
    # The test server's first start runs DB migrations; 30 s is too short on a busy 2-core box.
    with prefect_test_harness(server_startup_timeout=180):
        yield


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    shutil.copytree(SAMPLE, src)
    (src / "broken.en.txt").write_bytes(bytes(range(256)) * 8)
    return src


def corpus_bytes(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in CORPUS}


def corpus_table(out: Path) -> str:
    """report.md's "Corpus files" table."""
    return (out / "report.md").read_text(encoding="utf-8").split("## Corpus files")[1]


def results(out: Path) -> dict[str, list[str]]:
    return mf.scan_results(out)


def add_a_copy(src: Path) -> None:
    """A copy of one sample document (both sides) in ``src``: its pairs are duplicates."""
    for side in ("en", "ru"):
        part = src / f"volga-route.{side}.txt"
        if part.is_file():
            shutil.copy(part, src / f"volga-route-copy.{side}.txt")


def run(src: Path, out: Path, **cfg: object) -> dict:
    config = PipelineConfig.model_validate(cfg)
    return build_corpus(input_dir=str(src), out_dir=str(out), config=config)


def test_end_to_end_outputs(inputs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    summary = run(inputs, out, run={"batch_size": 2, "max_workers": 1})
    found = results(out)
    # Every input exactly once, in docs/ or quarantine/.
    assert all(len(v) == 1 for v in found.values())
    assert found["broken"] == ["quarantined"]
    assert summary["run"]["inputs"] == len(found) == summary["run"]["done"] + summary["quarantined"]
    q = json.loads((out / "quarantine" / "broken.json").read_text())
    assert q["reason"] and q["sources"] == ["broken.en.txt"] and q["raw_hash"]
    # Moses files line up with the TSV, JSONL and the TMX's <tu>s.
    ru = (out / "corpus.ru").read_text().splitlines()
    en = (out / "corpus.en").read_text().splitlines()
    assert len(ru) == len(en) == summary["corpus"]["written"] > 0
    assert len((out / "corpus.jsonl").read_text().splitlines()) == len(ru)
    tmx = ET.parse(out / "corpus.tmx").getroot()
    assert tmx.get("version") == "1.4"
    tus = tmx.findall("./body/tu")
    assert len(tus) == len(ru)
    # No run time, run id or path in corpus files (they must be byte-stable).
    run_id = mf.read_manifest(out)["run_id"]
    for name in CORPUS:
        data = (out / name).read_text()
        assert str(tmp_path) not in data and run_id not in data
    # Reports and the manifest.
    report = json.loads((out / "report.json").read_text())
    assert report["run"]["inputs"] == summary["run"]["inputs"]
    assert "Edits by rule" in (out / "report.md").read_text()
    assert (out / "report.html").read_text().startswith("<!DOCTYPE html>")
    m = mf.read_manifest(out)
    assert (
        m["state"] == "finished"
        and m["config_hash"]
        == PipelineConfig(run={"batch_size": 2, "max_workers": 1}).document_hash()
        and m["corpus_config_hash"] == PipelineConfig().content_hash()
    )
    assert set(m["items"]) == set(found)
    assert m["corpus_hashes"] == mf.file_hashes(out)
    assert m["run_id"] and str(inputs) in m["input_dir"]
    assert not (out / mf.LOCK).exists()


def test_incremental_reruns_match_fresh_runs(inputs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = run(inputs, out)
    before = corpus_bytes(out)
    n = first["run"]["inputs"]

    table = corpus_table(out)
    again = run(inputs, out)
    assert again["run"]["processed"] == 0 and again["run"]["skipped"] == n
    assert corpus_bytes(out) == before
    # The counts come from manifest.json now (sorted keys): report.md lists them as before.
    assert corpus_table(out) == table and table.index("| documents") < table.index("| beads")

    # A run-only setting (batching) does not touch content: still nothing to do.
    again = run(inputs, out, run={"batch_size": 1, "max_workers": 1})
    assert again["run"]["processed"] == 0

    # One changed input, one removed, one new.
    changed = inputs / "volga-route.en.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\nOne more line.\n", "utf-8")
    (inputs / "exchange-close.en.txt").unlink()
    (inputs / "new-doc.en.txt").write_text("A new article about the harbour.\n", "utf-8")
    step = run(inputs, out)
    assert step["run"]["processed"] == 2 and step["run"]["removed"] == 1
    assert "exchange-close" not in results(out) and "new-doc" in results(out)

    fresh = tmp_path / "fresh"
    run(inputs, fresh)
    assert corpus_bytes(out) == corpus_bytes(fresh)
    for sub in ("docs", "quarantine"):
        for p in sorted((fresh / sub).iterdir()):
            assert (out / sub / p.name).read_bytes() == p.read_bytes(), p.name

    # A document setting changes the stamp: everything is redone.
    redo = run(inputs, out, align={"p_skip": 0.1})
    assert redo["run"]["processed"] == redo["run"]["inputs"]


def test_a_corpus_only_setting_rewrites_the_corpus_and_redoes_no_document(
    inputs: Path, tmp_path: Path
) -> None:
    add_a_copy(inputs)  # so switching dedup off changes the corpus too
    out = tmp_path / "out"
    first = run(inputs, out)
    before, docs_before = corpus_bytes(out), {p.name: p.stat() for p in (out / "docs").iterdir()}
    tuned = {
        "align": {"min_score": 0.99},
        "filters": {"disable": ["duplicate", "near-duplicate"], "near_duplicate_digits": True},
    }
    again = run(inputs, out, **tuned)
    assert again["run"]["processed"] == 0 and again["run"]["skipped"] == first["run"]["inputs"]
    # No document rewritten (same inode and mtime), the corpus and report rewritten ...
    for p in (out / "docs").iterdir():
        st = docs_before[p.name]
        assert (p.stat().st_ino, p.stat().st_mtime_ns) == (st.st_ino, st.st_mtime_ns), p.name
    assert corpus_bytes(out) != before
    assert again["corpus"]["below_min_score"] > 0 and "duplicate" not in json.dumps(
        again["corpus"]["rejected_by_reason"]
    )
    # ... byte for byte as a fresh run with the new config writes them.
    fresh = tmp_path / "fresh"
    new = run(inputs, fresh, **tuned)
    assert corpus_bytes(out) == corpus_bytes(fresh)
    assert again["corpus"] == new["corpus"]
    assert {k: v for k, v in again.items() if k != "run"} == {
        k: v for k, v in new.items() if k != "run"
    }
    # The same config again: nothing to do; back to the first config: the first corpus.
    assert run(inputs, out, **tuned)["run"]["processed"] == 0 and corpus_bytes(out) == (
        corpus_bytes(fresh)
    )
    assert run(inputs, out)["run"]["processed"] == 0 and corpus_bytes(out) == before
    # A setting the document stage reads (filters.enabled: whether a document is measured at
    # all; it also gates dedup) redoes every document.
    redo = run(inputs, out, filters={"enabled": False})
    assert redo["run"]["processed"] == redo["run"]["inputs"]
    fresh_off = tmp_path / "fresh-off"
    run(inputs, fresh_off, filters={"enabled": False})
    assert corpus_bytes(out) == corpus_bytes(fresh_off)


def test_a_filter_threshold_redecides_the_stored_documents(inputs: Path, tmp_path: Path) -> None:
    """Every filter threshold and switch (tests/retune.py, one config) is decided from what
    docs/ store: a rerun processes nothing and writes the corpus, reports and report pages a
    fresh run writes; docs/ are those of any run (they hold no decision)."""
    add_a_copy(inputs)
    # Another document's English: not-parallel, with every pair-level reason it replaces.
    (inputs / "wrong-article.ru.txt").write_bytes((inputs / "volga-route.ru.txt").read_bytes())
    (inputs / "wrong-article.en.txt").write_bytes((inputs / "exchange-close.en.txt").read_bytes())
    tuned: dict = {"filters": {}}
    for name, change in TUNED.items():
        if name.startswith("filters.") and name != "filters.disable":
            tuned["filters"].update(change["filters"])
    out = tmp_path / "out"
    first = run(inputs, out)
    before = corpus_bytes(out)
    again = run(inputs, out, **tuned)
    assert again["run"]["processed"] == 0 and again["run"]["skipped"] == first["run"]["inputs"]
    assert corpus_bytes(out) != before
    fresh = tmp_path / "fresh"
    new = run(inputs, fresh, **tuned)
    assert corpus_bytes(out) == corpus_bytes(fresh)
    assert {k: v for k, v in again.items() if k != "run"} == {
        k: v for k, v in new.items() if k != "run"
    }
    for sub in ("docs", "report", "text"):
        for p in sorted((fresh / sub).rglob("*")):
            if p.is_file():
                assert (out / p.relative_to(fresh)).read_bytes() == p.read_bytes(), p
    # Back to the default: the first corpus, still nothing processed.
    assert run(inputs, out)["run"]["processed"] == 0 and corpus_bytes(out) == before
    # docs/ of an earlier version (no stored measurements, another code version in the
    # manifest) are redone, not decided from what they lack.
    m = json.loads((out / mf.MANIFEST).read_text())
    m["code_version"] = "0.0.0+earlier"
    (out / mf.MANIFEST).write_text(json.dumps(m))
    for p in (out / "docs").iterdir():
        d = json.loads(p.read_text())
        for b in d["beads"]:
            b.pop("signals", None)
        p.write_text(json.dumps(d))
    redo = run(inputs, out)
    assert redo["run"]["processed"] == redo["run"]["inputs"] and corpus_bytes(out) == before


def test_a_deleted_rejected_file_is_rewritten_by_an_unchanged_rerun(
    inputs: Path, tmp_path: Path
) -> None:
    # A copy of one document: its pairs are rejected as duplicates, so corpus.rejected.* hold rows.
    doc = inputs / "volga-route.en.txt"
    add_a_copy(inputs)
    out = tmp_path / "out"
    first = run(inputs, out)
    before = corpus_bytes(out)
    assert doc.is_file() and first["corpus"]["rejected"] > 0 and before["corpus.rejected.tsv"]
    for name in ("corpus.rejected.tsv", "corpus.rejected.jsonl"):
        (out / name).unlink()
        again = run(inputs, out)
        assert again["run"]["processed"] == 0 and corpus_bytes(out) == before


def test_lock_refuses_concurrent_run_and_recovers_stale(inputs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    lock = out / mf.LOCK
    # Held by a live process on another host: refused, nothing written.
    lock.write_text(json.dumps({"pid": 1, "host": "elsewhere", "start": None}))
    with pytest.raises(mf.LockedError, match="in use by another mtclean run"):
        run(inputs, out)
    assert not (out / "docs").exists()
    # Left by a dead process on this host: recovered.
    lock.write_text(json.dumps({"pid": 2**22 + 7, "host": socket.gethostname(), "start": None}))
    summary = run(inputs, out)
    assert summary["run"]["done"] > 0 and not lock.exists()


def test_retranslation_unavailable_warns_and_continues(inputs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    missing = tmp_path / "nowhere.argosmodel"
    summary = run(inputs, out, translate={"enabled": True, "package_path": str(missing)})
    assert summary["run"]["done"] > 0
    # The report says so (a scheduled run's warning is only in its logs), and why.
    said = summary["run"]["retranslation"]
    assert said.startswith("off for this run:") and "nowhere.argosmodel" in said, said
    assert f"| retranslation | {said} |" in (out / "report.md").read_text()
    assert "Retranslation: off for this run:" in (out / "report.html").read_text()
    # Not asked for: plainly off.
    assert run(inputs, tmp_path / "plain")["run"]["retranslation"] == "off"
    # Stamped with retranslation off: a later run with a package redoes the documents.
    off = PipelineConfig(translate={"enabled": False, "package_path": str(missing)})
    assert mf.read_manifest(out)["config_hash"] == off.document_hash()


@pytest.mark.parametrize("kind", ["threads", "processes"])
def test_pools_give_the_same_corpus(kind: str, inputs: Path, tmp_path: Path) -> None:
    one, pool = tmp_path / "one", tmp_path / "pool"
    run(inputs, one, run={"max_workers": 1})
    summary = run(inputs, pool, run={"max_workers": 2, "batch_size": 3, "pool": kind})
    assert summary["run"]["processed"] == summary["run"]["inputs"]
    details = [json.loads(p.read_text())["detail"] for p in (pool / "quarantine").iterdir()]
    assert summary["run"]["done"] == 6, details
    assert corpus_bytes(one) == corpus_bytes(pool)


@pytest.mark.slow
def test_dask_local_cluster_gives_the_same_corpus(inputs: Path, tmp_path: Path) -> None:
    pytest.importorskip("prefect_dask", reason=f"needs prefect-dask ({DASK_HINT})")
    local, dask = tmp_path / "local", tmp_path / "dask"
    run(inputs, local, run={"max_workers": 1})
    summary = run(inputs, dask, run={"dask": True, "max_workers": 2, "batch_size": 2})
    assert summary["run"]["processed"] == summary["run"]["inputs"]
    assert corpus_bytes(local) == corpus_bytes(dask)
    for p in sorted((local / "docs").iterdir()):
        assert (dask / "docs" / p.name).read_bytes() == p.read_bytes()


@pytest.mark.slow
def test_retranslation_with_a_real_tiny_argos_package(tmp_path: Path) -> None:
    """Retranslation on: the translator is built once per worker process and fills
    ``ru_retranslated`` for every Russian sentence; the corpus matches a one-process run."""
    pytest.importorskip("ctranslate2")
    pytest.importorskip("torch", reason="building the tiny package needs torch")
    pytest.importorskip("transformers", reason="building the tiny package needs transformers")
    from tiny_argos import build as builder

    archive = builder.ensure_package()
    pairs = builder.training_pairs(24)
    src = tmp_path / "in"
    src.mkdir()
    for n in range(4):
        chunk = pairs[n * 6 : (n + 1) * 6]
        (src / f"t{n}.ru.txt").write_text(" ".join(r for r, _ in chunk) + "\n", "utf-8")
        (src / f"t{n}.en.txt").write_text(" ".join(e for _, e in chunk) + "\n", "utf-8")
    translate = {
        "enabled": True,
        "package_path": str(archive),
        "packages_dir": str(tmp_path / "packages"),
    }
    one, pool = tmp_path / "one", tmp_path / "pool"
    run(src, one, translate=translate, run={"max_workers": 1})
    summary = run(
        src, pool, translate=translate, run={"max_workers": 2, "batch_size": 2, "pool": "processes"}
    )
    assert summary["run"]["done"] == 4
    for p in sorted((pool / "docs").iterdir()):
        doc = json.loads(p.read_text())
        assert doc["ru_sentences"] and len(doc["ru_retranslated"]) == len(doc["ru_sentences"])
        assert all(t.strip() for t in doc["ru_retranslated"])
    assert corpus_bytes(one) == corpus_bytes(pool)
    assert (
        mf.read_manifest(pool)["config_hash"] == PipelineConfig(translate=translate).document_hash()
    )


@pytest.mark.slow
def test_dask_scheduler_address_gives_the_same_corpus(inputs: Path, tmp_path: Path) -> None:
    """`run.dask_address` (the CLI's --dask-address): an existing cluster, reached by address."""
    pytest.importorskip("prefect_dask", reason=f"needs prefect-dask ({DASK_HINT})")
    from distributed import LocalCluster

    local, remote = tmp_path / "local", tmp_path / "remote"
    run(inputs, local, run={"max_workers": 1})
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        summary = run(
            inputs, remote, run={"dask_address": cluster.scheduler_address, "batch_size": 2}
        )
        assert summary["run"]["processed"] == summary["run"]["inputs"]
        # The batches really ran on that cluster's workers.
        assert "process_batch" in cluster.scheduler.task_prefixes
    assert corpus_bytes(local) == corpus_bytes(remote)


def test_deployment_parameters_with_output_inside_input_are_refused(
    inputs: Path, tmp_path: Path
) -> None:
    # A deployment's parameters are not checked by the CLI: the flow refuses itself, before
    # writing anything, an output inside its input (it would be read back as documents).
    before = sorted(p.name for p in inputs.iterdir())
    for out in (inputs / "out", inputs):
        with pytest.raises(ValueError, match="must not be one inside the other"):
            run(inputs, out)
    assert sorted(p.name for p in inputs.iterdir()) == before
    with pytest.raises(ValueError, match="must not be one inside the other"):
        run(inputs, tmp_path)  # the input inside the output
