"""``mtclean filter``: candidate pairs in, keep/reasons/score out, in order, deduplicated."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PAIRS = [
    {"id": 1, "ru": "В 2022 году Токаев встретился с Алиевым в Баку.",
     "en": "In 2022, Tokayev met Aliyev in Baku."},
    {"id": 2, "ru": "110 стран подписали договор.", "en": "10 countries signed the treaty."},
    {"id": 3, "ru": "В 2022 году Токаев встретился с Алиевым в Баку.",
     "en": "In 2022, Tokayev met Aliyev in Baku."},
    {"id": 4, "ru": "в 2022 году Токаев встретился с Алиевым в Баку",
     "en": "In 2022 Tokayev met Aliyev in Baku!"},
    {"id": "x", "ru": "Правительство одобрило бюджет.", "en": "Правительство одобрило бюджет."},
]  # fmt: skip


def mtclean(*args: str, stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "flows.cli", "filter", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=120,
    )


def _lines(pairs: list[dict]) -> str:
    return "".join(json.dumps(p, ensure_ascii=False) + "\n" for p in pairs)


def test_filter_contract_order_and_dedup():
    r = mtclean("--format", "jsonl", "-", stdin=_lines(PAIRS))
    assert r.returncode == 0, r.stderr
    out = [json.loads(line) for line in r.stdout.splitlines()]
    assert [o["id"] for o in out] == [p["id"] for p in PAIRS]
    assert all(list(o) == ["id", "keep", "reasons", "score"] for o in out)
    assert out[0]["keep"] and out[0]["reasons"] == [] and out[0]["score"] >= 0.5
    assert not out[1]["keep"] and "number-mismatch" in out[1]["reasons"]
    assert out[2] == {"id": 3, "keep": False, "reasons": ["duplicate"], "score": out[0]["score"]}
    assert out[3]["reasons"] == ["near-duplicate"]
    assert out[4]["reasons"] == ["untranslated"] and out[4]["score"] < 0.3


def test_filter_config_switches_filters_off(tmp_path: Path):
    cfg = tmp_path / "c.yaml"
    cfg.write_text("filters:\n  disable: [duplicate, near-duplicate, number-mismatch]\n")
    r = mtclean("--config", str(cfg), stdin=_lines(PAIRS[:4]))
    assert r.returncode == 0, r.stderr
    out = [json.loads(line) for line in r.stdout.splitlines()]
    assert [o["reasons"] for o in out] == [[], ["misaligned"], [], []]
    cfg.write_text("filters:\n  disable: [no-such-filter]\n")
    r = mtclean("--config", str(cfg), stdin=_lines(PAIRS[:1]))
    assert r.returncode == 2 and "unknown filter" in r.stderr


def test_filter_bad_input_is_one_line_and_no_prefect(tmp_path: Path):
    r = mtclean(stdin='{"id": 1, "ru": "a"}\n')
    assert r.returncode == 2 and "line 1" in r.stderr and len(r.stderr.splitlines()) == 1
    # Every message names where the line is, a file or stdin (also given as '-').
    (tmp_path / "bad.jsonl").write_text('{"id": 1, "ru": "a", "en": "b"}\n{"id": 2}\n')
    r = mtclean(str(tmp_path / "bad.jsonl"), stdin="")
    assert (
        r.stderr.strip()
        == f"mtclean filter: {tmp_path / 'bad.jsonl'} line 2: needs strings 'ru' and 'en'"
    )
    for args in ((), ("-",)):
        r = mtclean(*args, stdin="[1]\n")
        assert r.stderr.strip() == "mtclean filter: stdin line 1: expected a JSON object", args
    (tmp_path / "p.jsonl").write_text(_lines(PAIRS), encoding="utf-8")
    code = (
        "import sys\nfrom flows.cli import main\n"
        f"assert main(['filter', {str(tmp_path / 'p.jsonl')!r}]) == 0\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('prefect', 'torch')))\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0 and r.stdout.splitlines()[-1] == "[]", r.stderr
