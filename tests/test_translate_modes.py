"""Retranslation as a product, end to end through ``mtclean run`` (real Prefect, the real tiny
Argos package): ``translate.mode`` missing / replace / all, the ``origin`` of every corpus
row, ``text/<id>.en.txt`` and ``edits.jsonl`` across reruns, and the paged report.

Inputs are written from the tiny package's own training templates (tests/tiny_argos), the
only text it translates well: a Russian-only document, a good pair, a pair with one English
paragraph left in Russian, a pair with one paragraph of unrelated English, an English-only
document.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

pytest.importorskip("ctranslate2")

from cli_run import isolated_env  # noqa: E402  (tests/ is on sys.path)
from tiny_argos import build as builder  # noqa: E402  (tests/ is on sys.path)

from cleaners.model import Edit  # noqa: E402
from cleaners.repair import replay  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]

UNRELATED = "Blue cats sing quietly under seven umbrellas tonight. Nobody knows why spoons dance."


@pytest.fixture(scope="module")
def archive() -> Path:
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    return builder.ensure_package()


def _para(groups: list[list[str]]) -> str:
    return "\n\n".join(" ".join(g) for g in groups) + "\n"


def write_inputs(src: Path) -> None:
    pairs = builder.training_pairs(40, seed=3)

    def ru(i: int) -> list[str]:
        return [r for r, _ in pairs[i : i + 2]]

    def en(i: int) -> list[str]:
        return [e for _, e in pairs[i : i + 2]]

    src.mkdir(parents=True, exist_ok=True)
    files = {
        "ru-only.ru.txt": [ru(0), ru(2)],
        "good.ru.txt": [ru(4), ru(6)],
        "good.en.txt": [en(4), en(6)],
        "left.ru.txt": [ru(8), ru(10), ru(12)],
        "left.en.txt": [en(8), ru(10), en(12)],  # the MT left one paragraph in Russian
        "garbled.ru.txt": [ru(14), ru(16), ru(18)],
        "garbled.en.txt": [en(14), [UNRELATED], en(18)],  # one paragraph says something else
        "en-only.en.txt": [en(20)],
    }
    for name, groups in files.items():
        (src / name).write_text(_para(groups), encoding="utf-8")
    # A JSONL record without "en" is a Russian-only document too.
    record = {"id": "jsonl-ru", "ru": _para([ru(22), ru(24)])}
    (src / "more.jsonl").write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")


def mtclean_run(src: Path, out: Path, home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**isolated_env(home), "PYTHONPATH": str(ROOT)}
    r = subprocess.run(
        [sys.executable, "-m", "flows.cli", "run", str(src), "--out", str(out), "--no-progress"]
        + list(args),
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert r.returncode == 0, r.stderr[-3000:]
    return r


def rows(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "corpus.jsonl").read_text().splitlines()]


def doc(out: Path, doc_id: str) -> dict:
    return json.loads((out / "docs" / f"{doc_id}.json").read_text())


def origins(out: Path) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for r in rows(out):
        found.setdefault(r["doc_id"], set()).add(r["origin"])
    return found


def edits_of(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "edits.jsonl").read_text().splitlines()]


def snapshot(out: Path) -> dict[str, bytes]:
    files = ["edits.jsonl", *(f"text/{p.name}" for p in sorted((out / "text").iterdir()))]
    files += [f"report/{p.name}" for p in sorted((out / "report").iterdir())]
    return {name: (out / name).read_bytes() for name in files}


@pytest.mark.slow
def test_missing_mode_gives_russian_only_documents_an_english_side(archive, tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    write_inputs(src)
    mtclean_run(src, out, tmp_path, "--retranslate=missing", "--argos-package", str(archive))
    found = origins(out)
    assert found["ru-only"] == found["jsonl-ru"] == {"retranslation"}
    assert found["good"] == {"mt"}
    assert "retranslation" not in found["garbled"] | found["left"]
    ru_only = doc(out, "ru-only")
    assert ru_only["en_origin"] == "retranslation"
    report = json.loads((out / "report.json").read_text())
    assert report["run"]["retranslation"] == "missing"
    assert "| retranslation | missing |" in (out / "report.md").read_text()
    assert not any(w.startswith("no-translation") for w in ru_only["warnings"])
    # Its English text file is the retranslation, sentence for sentence.
    text = (out / "text" / "ru-only.en.txt").read_text()
    assert text == ru_only["en"]["text"]
    assert all(t in text for t in ru_only["ru_retranslated"])
    assert not re.search("[а-яё]", text, re.IGNORECASE)
    # Every document with English has its text file, and only those.
    assert sorted(p.name for p in (out / "text").iterdir()) == [
        f"{i}.en.txt" for i in ("en-only", "garbled", "good", "jsonl-ru", "left", "ru-only")
    ]
    # The TMX carries the origin as a prop; the TSV keeps its five columns.
    tus = ET.parse(out / "corpus.tmx").getroot().findall("./body/tu")
    props = [{p.get("type"): p.text for p in tu.findall("prop")} for tu in tus]
    assert [p["x-origin"] for p in props] == [r["origin"] for r in rows(out)]
    assert {len(line.split("\t")) for line in (out / "corpus.tsv").read_text().splitlines()} == {5}


@pytest.mark.slow
def test_replace_mode_replaces_failed_segments_as_recorded_edits(archive, tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    write_inputs(src)
    cfg = tmp_path / "cfg.yaml"
    # fill_untranslated off: the paragraph left in Russian must be the replace rule's.
    cfg.write_text("translate:\n  fill_untranslated: false\n  replace_below: 0.3\n")
    mtclean_run(
        src, out, tmp_path, "--config", str(cfg), "--translate-mode", "replace",
        "--argos-package", str(archive),
    )  # fmt: skip
    replaced = [e for e in edits_of(out) if e["rule"] == "replace_with_retranslation"]
    assert {e["doc"] for e in replaced} == {"left", "garbled"}
    by_doc = {e["doc"]: e for e in replaced}
    assert by_doc["garbled"]["before"] == UNRELATED
    assert re.search("[а-яё]", by_doc["left"]["before"], re.IGNORECASE)
    for doc_id in ("left", "garbled"):
        d = doc(out, doc_id)
        # Replay gives the final English; no Russian left; its rows say retranslation.
        edits = [Edit.from_dict(e) for e in d["en"]["edits"]]
        assert replay(d["en"]["raw_text"], edits) == d["en"]["text"]
        assert (out / "text" / f"{doc_id}.en.txt").read_text() == d["en"]["text"]
        assert not re.search("[а-яё]", d["en"]["text"], re.IGNORECASE)
        assert "retranslation" in origins(out)[doc_id]
        assert any(w.startswith("replaced:") for w in d["warnings"])
    assert origins(out)["good"] == {"mt"}
    assert origins(out)["ru-only"] == origins(out)["jsonl-ru"] == {"retranslation"}
    # The report counts the rule and shows the edit on the document's page.
    report = json.loads((out / "report.json").read_text())
    assert report["edits_by_rule"]["replace_with_retranslation"] == 2
    page = next((out / "report").glob("docs-*.html")).read_text()
    assert "replace_with_retranslation" in page


@pytest.mark.slow
def test_all_mode_english_is_the_retranslation_and_the_mt_is_kept(archive, tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    write_inputs(src)
    mtclean_run(src, out, tmp_path, "--retranslate=all", "--argos-package", str(archive))
    found = origins(out)
    assert set(found) == {"ru-only", "jsonl-ru", "good", "left", "garbled"}
    assert all(v == {"retranslation"} for v in found.values())
    good = doc(out, "good")
    assert good["en_origin"] == "retranslation"
    assert good["mt"]["raw_text"] == (src / "good.en.txt").read_text()  # kept for comparison
    assert (out / "text" / "good.en.txt").read_text() == good["en"]["text"]
    # An English-only document has no source to retranslate: its MT stays its English.
    assert "en_origin" not in doc(out, "en-only")
    assert (out / "text" / "en-only.en.txt").read_text() == (src / "en-only.en.txt").read_text()


@pytest.mark.slow
def test_text_outputs_and_report_follow_reruns(archive, tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    write_inputs(src)
    (src / "typo.en.txt").write_text("Trade andeconomic ties at 18: 18 .\n")
    args = ("--retranslate=missing", "--argos-package", str(archive))
    mtclean_run(src, out, tmp_path, *args)
    # edits.jsonl lists every edit of every side of every document.
    n_edits = sum(
        len((d.get(side) or {}).get("edits", []))
        for p in (out / "docs").iterdir()
        for d in [json.loads(p.read_text())]
        for side in ("ru", "en", "mt")
    )
    records = edits_of(out)
    assert len(records) == n_edits > 0
    typo = [e for e in records if e["doc"] == "typo"]
    assert {"doc", "side", "rule", "start", "end", "before", "after"} <= set(typo[0])
    assert any(e["before"] == "andeconomic" for e in typo)
    first = snapshot(out)
    # A rerun with nothing changed, and a fresh run: byte-identical outputs.
    mtclean_run(src, out, tmp_path, *args)
    assert snapshot(out) == first
    mtclean_run(src, tmp_path / "fresh", tmp_path, *args)
    assert snapshot(tmp_path / "fresh") == first
    # Remove an input: its text file, edits and report row go; the rest is untouched.
    (src / "typo.en.txt").unlink()
    mtclean_run(src, out, tmp_path, *args)
    assert not (out / "text" / "typo.en.txt").exists()
    assert not any(e["doc"] == "typo" for e in edits_of(out))
    html = (out / "report.html").read_text()
    assert "typo" not in re.findall(r'#doc-([^"]+)"', html)
    # report.html names and links every document, each to a page that has it.
    ids = sorted(p.stem for p in (out / "docs").iterdir())
    found = re.findall(r'href="report/(docs-\d+\.html)#doc-([^"]+)"', html)
    linked = {doc_id: page for page, doc_id in found}
    assert sorted(linked) == ids
    for doc_id, page in linked.items():
        assert f'id="doc-{doc_id}"' in (out / "report" / page).read_text()


@pytest.mark.parametrize(
    ("flags", "enabled", "mode"),
    [
        ([], False, "signal"),
        (["--retranslate"], True, "signal"),  # bare, before the input folder
        (["--retranslate=replace"], True, "replace"),
        (["--translate-mode", "all"], True, "all"),
    ],
)
def test_cli_retranslate_mode_flags(flags, enabled, mode, archive) -> None:
    """The flags set the mode. Asked for on the command line, retranslation needs a package
    that loads (refused otherwise: tests/test_translate_cli.py): the tiny one, given by path
    so that nothing installed on the machine is looked at."""
    from flows.cli import _run_config, _split_retranslate, build_parser

    package = ["--argos-package", str(archive)] if flags else []
    argv = _split_retranslate(["run", *flags, "in", "--out", "out", *package])
    args = build_parser().parse_args(argv)
    assert args.input_dir == "in"
    cfg = _run_config(args)
    assert (cfg.translate.enabled, cfg.translate.mode) == (enabled, mode)
