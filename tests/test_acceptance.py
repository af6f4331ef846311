"""The foundation's "done when", run the way a user runs it: the real `mtclean run` CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from bench_modules import load_bench  # (tests/ is on sys.path)

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
MTCLEAN = Path(sys.executable).with_name("mtclean")

pytestmark = pytest.mark.slow


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PREFECT_HOME": str(tmp_path / "prefect-home"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
    }


def _run(inp: Path, out: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [str(MTCLEAN), "run", str(inp), "--out", str(out), "--no-progress"],
        capture_output=True,
        text=True,
        env=_env(tmp_path),
        timeout=900,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc


def _tmx_pairs(path: Path) -> list[tuple[str, str]]:
    from translate.storage import tmx

    store = tmx.tmxfile.parsefile(str(path))
    return [(u.source, u.target) for u in store.units]


def test_sample_corpus_end_to_end(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _run(ROOT / "corpora" / "sample", out, tmp_path)
    docs = sorted(p.stem for p in (out / "docs").glob("*.json"))
    assert docs == [
        "bridge-opening",
        "exchange-close",
        "library-hours",
        "volga-route",
        "wire-museum",
        "wire-snow",
    ]
    assert not (out / "quarantine").exists() or not any((out / "quarantine").iterdir())
    pairs = _tmx_pairs(out / "corpus.tmx")
    ru = (out / "corpus.ru").read_text(encoding="utf-8").splitlines()
    en = (out / "corpus.en").read_text(encoding="utf-8").splitlines()
    assert len(ru) == len(en) == len(pairs)
    assert list(zip(ru, en, strict=True)) == pairs
    expected = {
        ("Наконец-то!", "Finally!"),
        (
            "Стороны также обсудили развитие торгово-экономического и инвестиционного "
            "сотрудничества.",
            "The parties also discussed the development of trade and economic and investment "
            "cooperation.",
        ),
        ("В Новосибирске выпал первый снег.", "The first snow fell in Novosibirsk."),
        (
            "Длина моста составит 1,2 километра, по нему пройдут четыре полосы движения.",
            "The length of the bridge will be 1.2 kilometers, four traffic lanes will pass "
            "through it.",
        ),
    }
    assert expected <= set(pairs)
    # Boilerplate and the English-only / Russian-only documents never reach the corpus.
    assert not any("Dear reader" in e or "Photos used" in e for e in en)
    assert not any("Moscow Exchange" in e for e in en)
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["run"]["inputs"] == 6


@pytest.mark.skipif(
    not (SHARED / "data" / "wmt21-newstest-ru-en").is_dir(),
    reason="../shared/data/wmt21-newstest-ru-en is absent (the WMT21 data is not vendored)",
)
def test_real_wmt21_documents_all_aligned(tmp_path: Path) -> None:
    wmt_folder = load_bench("wmt_folder")
    inp = tmp_path / "in"
    n = wmt_folder.build(SHARED / "data" / "wmt21-newstest-ru-en", inp, "Online-B")
    out = tmp_path / "out"
    _run(inp, out, tmp_path)
    results = list((out / "docs").glob("*.json"))
    assert len(results) == n == 107
    assert not (out / "quarantine").exists() or not any((out / "quarantine").iterdir())
    for path in results:
        doc = json.loads(path.read_text(encoding="utf-8"))
        assert doc["beads"], f"{path.name} has no alignment"
        assert sorted(i for b in doc["beads"] for i in b["ru"]) == list(
            range(len(doc["ru_sentences"]))
        )
    ru = (out / "corpus.ru").read_text(encoding="utf-8").splitlines()
    en = (out / "corpus.en").read_text(encoding="utf-8").splitlines()
    assert len(ru) == len(en) == len(_tmx_pairs(out / "corpus.tmx")) >= 1000
    for name in ("corpus.tmx", "corpus.tsv", "corpus.jsonl", "report.md", "manifest.json"):
        assert (out / name).stat().st_size > 0
