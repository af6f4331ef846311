"""Bootstrapping the word table across a run's documents (hunalign's idea, opt-in):
``lexsim.learn_pairs``, ``lexsim.extended``, ``align.bootstrap_table`` and
``mtclean align --format jsonl --bootstrap``."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

from cleaners import lexsim
from cleaners.align import align, bootstrap_table, confident_beads

ROOT = Path(__file__).resolve().parents[1]

# A tiny table that knows the animals and the garden's stem, not the weed (сурепка ↔ charlock).
TABLE = lexsim.parse(
    "!stop\ta\tэто\n!stop\tb\tthe\n"
    "кот\tcat\t1\nсоба\tdog\t1\nспит\tslee\t1\nдома\tat\t1\nдома\thome\t1\n"
    "бега\truns\t1\nсад\tgard\t1\n",
    "ru",
    "en",
)
# Three documents whose confident beads hold the weed together, and a fourth whose alignment
# hangs on it: a one-word line, an unrelated English line the length of a translation of it
# ("Shop opens.") and the real one, longer.
TEACHING = [
    (
        ["Кот спит дома, сурепка цветёт.", "Собака бегает в саду."],
        ["The cat sleeps at home, the charlock blooms.", "The dog runs in the garden."],
    ),
    (
        ["Собака спит в саду, сурепка цветёт.", "Кот бегает дома."],
        ["The dog sleeps in the garden, the charlock blooms.", "The cat runs at home."],
    ),
    (
        ["Кот спит в саду, сурепка растёт.", "Собака бегает."],
        ["The cat sleeps in the garden, the charlock grows.", "The dog runs."],
    ),
]
HANGING = (
    ["Сурепка.", "Кот спит."],
    ["Shop opens.", "Charlock, as always, everywhere.", "The cat sleeps."],
)
DOCS = [*TEACHING, HANGING]


def _aligned(docs: list[tuple[list[str], list[str]]], table: lexsim.Table) -> list:
    return [(ru, en, align(ru, en, src_lang="ru", tgt_lang="en", table=table)) for ru, en in docs]


def _shape(beads: list) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(b.ru, b.en) for b in beads]


def test_learns_the_pairs_the_confident_beads_share_across_documents() -> None:
    _, learned = bootstrap_table(_aligned(DOCS, TABLE), TABLE)
    pairs = {(p.src, p.tgt): p for p in learned}
    assert ("суре", "char") in pairs  # the weed: in three beads of three documents
    assert pairs["суре", "char"].together == 3 and pairs["суре", "char"].docs == 3
    assert ("саду", "gard") in pairs  # an inflected form the table's key misses
    # Nothing the table already holds, and no key of a pair linked twice.
    assert all(p.tgt not in TABLE.targets(p.src) for p in learned)
    assert len({p.src for p in learned}) == len(learned) == len({p.tgt for p in learned})


def test_one_document_alone_teaches_nothing() -> None:
    ru, en = TEACHING[0]
    beads = confident_beads(ru, en, align(ru, en, table=TABLE), TABLE)
    assert len(beads) == 2  # both of its beads are confident ...
    assert lexsim.learn_pairs([beads * 3], TABLE) == []  # ... but seen in one document only


def test_the_realignment_uses_the_learned_pairs() -> None:
    ru, en = HANGING
    before = _shape(align(ru, en, table=TABLE))
    assert before[0] == ((0,), (0,))  # by length the weed goes with the shop
    extended, _ = bootstrap_table(_aligned(DOCS, TABLE), TABLE)
    after = _shape(align(ru, en, table=extended))
    assert after == [((), (0,)), ((0,), (1,)), ((1,), (2,))]
    # The table given is a copy's: the original (and the shipped one) are untouched.
    assert TABLE.targets("суре") == () and "суре" in extended.trans
    assert "char" not in lexsim.table("ru", "en").targets("суре")


def test_learning_does_not_depend_on_the_order_of_documents_or_beads() -> None:
    aligned = _aligned(DOCS, TABLE)
    _, want = bootstrap_table(aligned, TABLE)
    rng = random.Random(7)
    for _ in range(5):
        shuffled = [(ru, en, rng.sample(b, len(b))) for ru, en, b in aligned]
        rng.shuffle(shuffled)
        assert bootstrap_table(shuffled, TABLE)[1] == want


def _cli(path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "flows.cli", "align", "--format", "jsonl", str(path), *extra],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        cwd=ROOT,
        timeout=300,
    )


def test_cli_bootstrap_realigns_and_ignores_the_order_of_records(tmp_path: Path) -> None:
    records = [{"id": f"d{k}", "ru": ru, "en": en} for k, (ru, en) in enumerate(DOCS)]
    outs = []
    for seed in (0, 1, 2):
        order = random.Random(seed).sample(records, len(records)) if seed else records
        path = tmp_path / f"in{seed}.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in order))
        r = _cli(path, "--bootstrap")
        assert r.returncode == 0, r.stderr
        assert "bootstrap learned" in r.stderr
        got = [json.loads(line) for line in r.stdout.splitlines()]
        assert [g["id"] for g in got] == [rec["id"] for rec in order]  # input order kept
        outs.append({g["id"]: g["beads"] for g in got})
    assert outs[0] == outs[1] == outs[2]
    lines = _cli(tmp_path / "in0.jsonl").stdout.splitlines()
    plain = {g["id"]: g["beads"] for g in map(json.loads, lines)}
    # The shipped table does not know the weed either: only the bootstrap finds its line.
    assert [b[:2] for b in plain["d3"]][0] == [[0], [0]]
    assert [b[:2] for b in outs[0]["d3"]] == [[[], [0]], [[0], [1]], [[1], [2]]]
    assert {k: v for k, v in outs[0].items() if k != "d3"} == {
        k: v for k, v in plain.items() if k != "d3"
    }


def test_cli_bootstrap_says_a_pair_without_a_table_is_aligned_once(tmp_path: Path) -> None:
    records = [{"id": "d0", "uk": ["Кіт спить."], "en": ["The cat sleeps."]}]
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(records[0], ensure_ascii=False) + "\n", encoding="utf-8")
    r = _cli(path, "--bootstrap", "--src-lang", "uk", "--tgt-lang", "en")
    assert r.returncode == 0, r.stderr
    assert "uk-en has none: aligned once" in r.stderr and "bootstrap learned" not in r.stderr
    plain = _cli(path, "--src-lang", "uk", "--tgt-lang", "en")
    assert r.stdout == plain.stdout and json.loads(r.stdout)["beads"][0][:2] == [[0], [0]]


def test_cli_bootstrap_needs_the_jsonl_format(tmp_path: Path) -> None:
    (tmp_path / "ru.txt").write_text("Кот спит.\n")
    (tmp_path / "en.txt").write_text("The cat sleeps.\n")
    r = subprocess.run(
        [sys.executable, "-m", "flows.cli", "align", "ru.txt", "en.txt", "--bootstrap"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
    )
    assert r.returncode == 2 and "--format jsonl" in r.stderr


def test_confident_beads_judge_the_words_by_the_table_given() -> None:
    """The Dice similarity of a confident bead is the given table's (``Table.similarity``),
    not the shipped one's: a table that knows none of the words keeps none of the beads."""
    from cleaners.align import BOOT_SIMILARITY
    from cleaners.model import Bead

    ru, en = ["Кот спит дома."], ["The cat sleeps at home."]
    sure = [Bead((0,), (0,), 0.9, "test")]
    assert TABLE.similarity(ru[0], en[0]) >= BOOT_SIMILARITY
    assert confident_beads(ru, en, sure, TABLE) == [(ru[0], en[0])]
    blank = lexsim.parse("!stop\ta\tэто\n!stop\tb\tthe\n", "ru", "en")
    assert blank.similarity(ru[0], en[0]) == 0.0
    assert confident_beads(ru, en, sure, blank) == []
    # The module's similarity is the shipped table's Table.similarity.
    shipped = lexsim.table("ru", "en")
    assert lexsim.similarity(ru[0], en[0]) == shipped.similarity(ru[0], en[0]) > 0.5
    assert lexsim.similarities(ru, en) == [shipped.similarity(ru[0], en[0])]
