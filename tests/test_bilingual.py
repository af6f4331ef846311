"""Bilingual evidence (``cleaners.repair.bilingual``): golden pairs where the aligned Russian
decides a fused word or a glossary term (``tests/golden/bilingual/<rule>.json``), the same
English without a source left as today, the switches, and ``mtclean run`` end to end.

A golden case is one sentence pair (``russian``, ``english``) run through the document
chain (repair, structure, alignment, then the evidence); ``fixed`` is the English it
must end as.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from cli_run import mtclean
from golden_cases import load

from cleaners.config import PipelineConfig, RepairConfig
from cleaners.decode import Decoded
from cleaners.model import Document
from cleaners.pipeline import build_document
from cleaners.repair import RULES, describe_rules, repair, replay
from cleaners.repair.bilingual import (
    GLOSSARY_RULE,
    KEEP_RULE,
    SOURCE_RULES,
    SPLIT_RULE,
    close_quote_by_source,
)

ROOT = Path(__file__).resolve().parents[1]
BILINGUAL = SOURCE_RULES


CASES = load("bilingual")


def _doc(english: str, russian: str | None, config: PipelineConfig | None = None) -> Document:
    sides = {"en": Decoded(english, "utf-8")}
    if russian is not None:
        sides["ru"] = Decoded(russian, "utf-8")
    return build_document("case", [], "hash", sides, config or PipelineConfig())


def test_every_bilingual_rule_is_registered_per_document_with_golden_cases() -> None:
    assert {rule for rule, _, _ in CASES} == set(BILINGUAL)
    listing = describe_rules(RULES)
    for name in BILINGUAL:
        assert RULES[name].per_document
        assert f"{name}  (stage" in listing and "per document" in listing
    # Each rule has cases that change the text and negatives that do not.
    for name in BILINGUAL:
        own = [c for r, _, c in CASES if r == name]
        assert any(c["fixed"] != _doc(c["english"], None).en.text.strip() for c in own)
        assert any(c["fixed"] == c["english"] for c in own)


@pytest.mark.parametrize(("rule", "i", "case"), CASES, ids=[f"{r}-{i}" for r, i, _ in CASES])
def test_golden(rule: str, i: int, case: dict) -> None:
    doc = _doc(case["english"], case["russian"])
    assert doc.en is not None and doc.beads, "the pair must align"
    assert doc.en.text.strip() == case["fixed"], case["comment"]
    assert replay(doc.en.raw_text, doc.en.edits) == doc.en.text
    mono = repair(case["english"], "en").text
    if mono != doc.en.text:
        # The Russian changed what the text rules made: the rule says so, in the edits
        # or (a change undone leaves no edit) in the document's warnings.
        named = {r for e in doc.en.edits for r in e.rule.split("+")}
        assert rule in named or any(rule in w for w in doc.warnings), case["comment"]
    # The corpus English is the side's final text.
    assert " ".join(doc.en_sentences) == doc.en.text.strip()


@pytest.mark.parametrize(("rule", "i", "case"), CASES, ids=[f"{r}-{i}" for r, i, _ in CASES])
def test_without_the_russian_nothing_changes(rule: str, i: int, case: dict) -> None:
    doc = _doc(case["english"], None)
    assert doc.en is not None
    assert doc.en.text == repair(case["english"], "en").text
    assert not {r for e in doc.en.edits for r in e.rule.split("+")} & set(BILINGUAL)


@pytest.mark.parametrize(("rule", "i", "case"), CASES, ids=[f"{r}-{i}" for r, i, _ in CASES])
def test_a_disabled_rule_leaves_the_text_rules_result(rule: str, i: int, case: dict) -> None:
    cfg = PipelineConfig(repair=RepairConfig(disable=[rule]))
    doc = _doc(case["english"], case["russian"], cfg)
    assert doc.en is not None
    assert doc.en.text == repair(case["english"], "en").text
    assert not any(rule in w for w in doc.warnings)


def test_the_glossary_file_takes_ru_conditions(tmp_path: Path) -> None:
    gl = tmp_path / "g.tsv"
    gl.write_text("Rada\tVerkhovna Rada\tВерховна Рада\tru=Верховн*\n", encoding="utf-8")
    cfg = PipelineConfig(repair=RepairConfig(glossary=[str(gl)]))
    en = "The Rada voted on Tuesday."
    yes = _doc(en, "Верховная Рада проголосовала во вторник.", cfg)
    no = _doc(en, "Рада директоров проголосовала во вторник.", cfg)
    alone = _doc(en, None, cfg)
    assert yes.en is not None and no.en is not None and alone.en is not None
    assert yes.en.text.strip() == "The Verkhovna Rada voted on Tuesday."
    assert no.en.text.strip() == en and alone.en.text.strip() == en
    bad = tmp_path / "bad.tsv"
    bad.write_text("Rada\tVerkhovna Rada\tnote\tru=\n", encoding="utf-8")
    with pytest.raises(ValueError, match="ru="):
        PipelineConfig(repair=RepairConfig(glossary=[str(bad)]))


@pytest.mark.slow
def test_mtclean_run_lets_the_russian_decide(tmp_path: Path) -> None:
    """A generated pair where only the Russian tells the fusions: corpus.en, the text
    output and the document's edits agree, and a second run gives the same bytes."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "yachts.ru.txt").write_text(
        "Спрос на мегаяхты вырос в прошлом году.\n\n"
        "Пираты скопировали лордсериалс вчера.\n\n"
        "Глава ДНР выступил с заявлением.\n\n"
        "Акции Смартлайн выросли на пять процентов.\n",
        encoding="utf-8",
    )
    (src / "yachts.en.txt").write_text(
        "Demand formegayachts grew last year.\n\n"
        "Pirates copied lordserials yesterday.\n\n"
        "The DNR head made a statement.\n\n"
        "Smartline shares rose by five percent.\n",
        encoding="utf-8",
    )
    env = {
        **os.environ,
        "PREFECT_HOME": str(tmp_path / "ph"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "PYTHONIOENCODING": "utf-8",
    }
    outs = []
    for name in ("out1", "out2"):
        out = tmp_path / name
        r = mtclean("run", str(src), "--out", str(out), env=env, timeout=300)
        assert r.returncode == 0, r.stderr
        outs.append(out)
    want = [
        "Demand for megayachts grew last year.",
        "Pirates copied lordserials yesterday.",
        "The DPR head made a statement.",
        "Smartline shares rose by five percent.",  # (a brand the Russian writes as one word)
    ]
    out = outs[0]
    assert (out / "corpus.en").read_text(encoding="utf-8").splitlines() == want
    assert (out / "text" / "yachts.en.txt").read_text(encoding="utf-8").split() == " ".join(
        want
    ).split()
    doc = json.loads((out / "docs" / "yachts.json").read_text(encoding="utf-8"))
    rules = {e["rule"] for e in doc["en"]["edits"]}
    assert {SPLIT_RULE, GLOSSARY_RULE} <= rules
    assert any(KEEP_RULE in w for w in doc["warnings"])
    for name in ("corpus.en", "corpus.ru", "corpus.tsv", "corpus.jsonl", "corpus.tmx"):
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name


def test_sentences_without_russian_fold_the_russian_once() -> None:
    """English sentences aligned with no Russian check the glossary's ``ru=`` conditions
    against the whole Russian: folded once per document, the traced peak of the stage (its
    spans, folded Russian, edits) stays under 8x the Russian text (6.4x; lower-casing the
    whole Russian for each such sentence took it to 9.9x here, 8x on a 20 MB pair)."""
    import tracemalloc

    from cleaners.config import PipelineConfig
    from cleaners.model import Bead, Document
    from cleaners.pipeline import build_side, corpus_sentences
    from cleaners.repair.bilingual import source_evidence

    n = 3000
    ru_text = "".join(f"Вооружённые силы Украины обстреляли село номер {i}.\n" for i in range(n))
    en_text = "".join(f"The APU shelled the village number {i}.\n" for i in range(n))
    config = PipelineConfig()
    ru, en = build_side(ru_text, "utf-8", "ru", config), build_side(en_text, "utf-8", "en", config)
    doc = Document("d", [], "h", ru=ru, en=en)
    doc.ru_sentences = corpus_sentences(ru, "ru", config)
    doc.en_sentences = corpus_sentences(en, "en", config)
    assert len(doc.ru_sentences) == len(doc.en_sentences) == n
    half = n // 2  # the second half of the English aligned with nothing
    doc.beads = [Bead((i,), (i,), 1.0) for i in range(half)]
    doc.beads += [Bead((), (j,), 0.0) for j in range(half, n)]
    doc.beads += [Bead((i,), (), 0.0) for i in range(half, n)]
    size = sys.getsizeof("\n".join(doc.ru_sentences))
    tracemalloc.start()
    try:
        source_evidence(doc, config.repair)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 * size


def _evidence_text(pairs: list[tuple[str, str]], english_only: list[str]) -> str:
    """The English of a document after the Russian's evidence: ``pairs`` aligned one to
    one, then ``english_only`` sentences aligned with nothing (the whole Russian stands in)."""
    from cleaners.model import Bead
    from cleaners.pipeline import build_side, corpus_sentences
    from cleaners.repair.bilingual import source_evidence

    config = PipelineConfig()
    ru_text = "".join(r + "\n" for r, _ in pairs)
    en_text = "".join(e + "\n" for _, e in pairs) + "".join(e + "\n" for e in english_only)
    ru, en = build_side(ru_text, "utf-8", "ru", config), build_side(en_text, "utf-8", "en", config)
    doc = Document("d", [], "h", ru=ru, en=en)
    doc.ru_sentences = corpus_sentences(ru, "ru", config)
    doc.en_sentences = corpus_sentences(en, "en", config)
    n, m = len(pairs), len(english_only)
    assert (len(doc.ru_sentences), len(doc.en_sentences)) == (n, n + m)
    doc.beads = [Bead((i,), (i,), 1.0) for i in range(n)]
    doc.beads += [Bead((), (j,), 0.0) for j in range(n, n + m)]
    found = source_evidence(doc, config.repair)
    return en.text if found is None else replay(en.raw_text, found[0])


def test_glossary_by_source_reads_each_sentence_by_its_own_russian() -> None:
    # unless= (on the whole English) and ru= on the whole Russian are read once per document
    # (each was read again at every match: quadratic); a sentence's own Russian still
    # decides it, sentence by sentence, and the whole Russian those with none.
    yes, no = "Лидер ДНР выступил в городе {}.", "Глава города выступил {}."
    pairs = [((yes if i % 3 == 0 else no).format(i), f"The DNR leader spoke in town {i}.")
             for i in range(60)]  # fmt: skip
    lone = ["The DNR leader spoke again."] * 5
    out = _evidence_text(pairs, lone).splitlines()
    assert out[:60] == [
        f"The {'DPR' if i % 3 == 0 else 'DNR'} leader spoke in town {i}." for i in range(60)
    ]
    assert out[60:] == ["The DPR leader spoke again."] * 5  # the whole Russian says ДНР
    pairs = [(no.format(i), f"The DNR leader spoke in town {i}.") for i in range(60)]
    assert _evidence_text(pairs, lone).splitlines()[60:] == lone


def test_glossary_by_source_unless_holds_for_every_sentence() -> None:
    # APU's unless=aircraft anywhere in the English keeps every APU, whatever the Russian;
    # without it each sentence's Russian decides (ВСУ: AFU; none: the text rule's AFU undone).
    yes, no = "ВСУ обстреляли село {}.", "Село {} обстреляли."
    pairs = [((yes if i % 2 else no).format(i), f"The APU shelled the village {i}.")
             for i in range(40)]  # fmt: skip
    out = _evidence_text(pairs + [("Самолёт сел.", "An aircraft landed.")], []).splitlines()
    assert out[:40] == [f"The APU shelled the village {i}." for i in range(40)]
    out = _evidence_text(pairs, []).splitlines()
    assert out == [f"The {'AFU' if i % 2 else 'APU'} shelled the village {i}." for i in range(40)]


def test_close_quote_by_source_leaves_a_term_open_before_its_beads_next_sentence() -> None:
    # A lower-case term at a sentence's end is closed there only in its bead's last English
    # sentence: in an earlier one the quotation may close in the next.
    en = 'Viewers complained about the "violent scenes.'
    ru = 'Зрители жаловались на "сцены насилия".'
    assert [e.after for e in close_quote_by_source(en, "en", {}, ru)] == ['"']
    assert close_quote_by_source(en, "en", {"last": False}, ru) == []
    # A name is closed after its words wherever the sentence stands.
    en, ru = '"Spartak is determined to win.', '"Спартак" намерен победить.'
    assert [e.start for e in close_quote_by_source(en, "en", {"last": False}, ru)] == [8]


def test_close_quote_by_source_closes_as_the_line_closes_its_other_quotations() -> None:
    # Before the full stop, as the Russian has it; after it where the line's other quotation
    # closes after its comma (American style).
    ru = 'Пришли крейсер "Варяг" и корабль "Адмирал Ушаков".'
    en = 'The cruiser "Varyag" and the ship "Admiral Ushakov.'
    assert replay(en, close_quote_by_source(en, "en", {}, ru)).endswith('Ushakov".')
    en = 'The cruiser "Varyag," and the ship "Admiral Ushakov.'
    assert replay(en, close_quote_by_source(en, "en", {}, ru)).endswith('Ushakov."')
