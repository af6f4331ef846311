"""Corpus writers: TMX read back by translate-toolkit, four files with the same beads."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from lxml import etree

from cleaners.config import AlignConfig, PipelineConfig
from cleaners.model import Bead, Document, Edit, SideDoc
from cleaners.report import render_md, summarize
from cleaners.writers import (
    CORPUS_FILES,
    REJECTED_FILES,
    clean_field,
    corpus_rows,
    sentence_rules,
    write_corpus,
)

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
WMT21 = SHARED / "data" / "wmt21-newstest-ru-en"

tmx_storage = pytest.importorskip("translate.storage.tmx")


def _doc(doc_id: str = "news/a1", **kw) -> Document:
    raw_en = "Tokayev met  Aliyev.\nThey discussed trade andeconomic ties. Fine."
    text_en = "Tokayev met Aliyev.\nThey discussed trade and economic ties. Fine."
    sp, fu = raw_en.index("  "), raw_en.index("andeconomic")
    edits = [
        Edit("collapse_spaces", sp, sp + 2, "  ", " "),
        Edit("split_fused_words", fu, fu + 11, "andeconomic", "and economic"),
    ]
    en = SideDoc(raw_text=raw_en, text=text_en, encoding="utf-8", lang="en", edits=edits)
    doc = Document(
        id=doc_id,
        sources=[doc_id + ".ru.txt", doc_id + ".en.txt"],
        raw_hash="0" * 64,
        en=en,
        ru_sentences=["Токаев встретился с Алиевым.", "Обсудили торговлю и экономику.", "Всё."],
        en_sentences=["Tokayev met Aliyev.", "They discussed trade and economic ties.", "Fine."],
        beads=[
            Bead((0,), (0,), 0.91, "anchors"),
            Bead((1, 2), (1,), 0.62, "anchors"),
            Bead((), (2,), 0.0, "anchors"),
        ],
    )
    for k, v in kw.items():
        setattr(doc, k, v)
    return doc


def _read_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")[:-1]


def _check_same_beads(out: Path) -> list[dict]:
    """All four files list the same beads in the same order; returns the JSONL rows."""
    rows = [json.loads(line) for line in _read_lines(out / "corpus.jsonl")]
    ru = _read_lines(out / "corpus.ru")
    en = _read_lines(out / "corpus.en")
    with open(out / "corpus.tsv", encoding="utf-8", newline="") as fh:
        tsv = list(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    store = tmx_storage.tmxfile.parsefile(str(out / "corpus.tmx"))
    units = store.units
    assert len(rows) == len(ru) == len(en) == len(tsv) == len(units)
    for row, r, e, t, u in zip(rows, ru, en, tsv, units, strict=True):
        assert row["ru"] == r == t[3] == u.source
        assert row["en"] == e == t[4] == u.target
        assert t[:3] == [row["doc_id"], row["bead"], f"{row['score']:.4f}"]
    return rows


def test_four_files_same_beads_and_tmx_roundtrip(tmp_path):
    counts = write_corpus(tmp_path, [_doc()], PipelineConfig())
    assert set(CORPUS_FILES) <= {p.name for p in tmp_path.iterdir()}
    assert counts == {
        "documents": 1,
        "beads": 3,
        "written": 2,
        "one_sided": 1,
        "below_min_score": 0,
        "empty": 0,
        "invalid": 0,
        "rejected": 0,
        "rejected_by_reason": {},
        "rejected_examples": {},
    }
    rows = _check_same_beads(tmp_path)
    assert [r["bead"] for r in rows] == ["1-1", "2-1"]
    assert rows[1]["ru"] == "Обсудили торговлю и экономику. Всё."  # 2-1 joined by a space
    assert rows[1]["ru_ids"] == [1, 2] and rows[1]["en_ids"] == [1]
    assert list(rows[0]) == sorted(rows[0])  # sorted keys
    # Edits: the fused-word fix is inside en sentence 1 only.
    assert rows[0]["edits"] == ["collapse_spaces"]
    assert rows[1]["edits"] == ["split_fused_words"]
    assert [r["origin"] for r in rows] == ["mt+repair", "mt+repair"]


def test_tmx_header_and_props(tmp_path):
    write_corpus(tmp_path, [_doc()], PipelineConfig())
    root = etree.parse(str(tmp_path / "corpus.tmx")).getroot()
    assert root.tag == "tmx" and root.get("version") == "1.4"
    header = root.find("header")
    assert header.get("srclang") == "ru" and header.get("adminlang") == "en"
    assert header.get("creationtool") == "mtclean" and header.get("creationtoolversion")
    assert header.get("segtype") == "sentence" and header.get("datatype") == "plaintext"
    assert header.get("o-tmf") and header.get("creationdate") is None
    tus = root.findall("body/tu")
    props = {p.get("type"): p.text or "" for p in tus[1].findall("prop")}
    assert props == {
        "x-doc-id": "news/a1",
        "x-bead": "2-1",
        "x-score": "0.6200",
        "x-edits": "split_fused_words",
        "x-origin": "mt+repair",
    }
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    assert [t.get(xml_lang) for t in tus[0].findall("tuv")] == ["ru", "en"]


def test_min_score_filters_only_the_corpus(tmp_path):
    cfg = PipelineConfig(align=AlignConfig(min_score=0.7))
    counts = write_corpus(tmp_path, [_doc()], cfg)
    assert counts["written"] == 1 and counts["below_min_score"] == 1
    assert [r["bead"] for r in _check_same_beads(tmp_path)] == ["1-1"]


def test_hostile_text_is_escaped_or_removed(tmp_path):
    nasty_en = 'A & B <tag> "q" \'s ]]> --> \x00\x01\x0b\x0c\ufffe\uffff\ud800 tab\there\nline'
    nasty_ru = "Ё\u2028ж\u2029з\x85и\r\nй 𝔘 \U0001f600"
    doc = Document(
        id='x&<"y">',
        sources=[],
        raw_hash="",
        ru_sentences=[nasty_ru],
        en_sentences=[nasty_en],
        beads=[Bead((0,), (0,), 1.0)],
    )
    write_corpus(tmp_path, [doc], PipelineConfig())
    etree.parse(str(tmp_path / "corpus.tmx"))  # strict XML parser: well-formed
    rows = _check_same_beads(tmp_path)
    assert rows[0]["en"] == 'A & B <tag> "q" \'s ]]> --> tab here line'
    assert rows[0]["ru"] == "Ё ж з и й 𝔘 \U0001f600"
    assert rows[0]["doc_id"] == 'x&<"y">'
    for name in CORPUS_FILES:
        data = (tmp_path / name).read_bytes()
        data.decode("utf-8")  # no lone surrogate made it out
        assert b"\x00" not in data and b"\x0b" not in data


def test_reruns_are_byte_identical_and_keep_doc_order(tmp_path):
    docs = [_doc("b"), _doc("a")]
    write_corpus(tmp_path / "one", docs, PipelineConfig())
    write_corpus(tmp_path / "two", iter(docs), PipelineConfig())  # a generator streams too
    for name in CORPUS_FILES:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
    ids = [json.loads(x)["doc_id"] for x in _read_lines(tmp_path / "one" / "corpus.jsonl")]
    assert ids == ["b", "b"]  # the same pairs again in "a": the first seen is kept
    rejected = [json.loads(x) for x in _read_lines(tmp_path / "one" / "corpus.rejected.jsonl")]
    assert [(r["doc_id"], r["reasons"]) for r in rejected] == [("a", ["duplicate"])] * 2


def test_dedup_exact_and_near_across_documents(tmp_path):
    a = _doc("a")
    b = _doc("b", en_sentences=["TOKAYEV MET ALIYEV", "They discussed trade and economic ties.",
                                "Fine."])  # fmt: skip
    c = _doc("c", en_sentences=["Tokayev met Aliyev today.", "x", "y"])
    c.beads = [Bead((0,), (0,), 0.9, "anchors")]
    counts = write_corpus(tmp_path, [a, b, c], PipelineConfig())
    assert counts["written"] == 3 and counts["rejected"] == 2
    assert counts["rejected_by_reason"] == {"duplicate": 1, "near-duplicate": 1}
    lines = _read_lines(tmp_path / "corpus.rejected.tsv")
    assert [line.split("\t")[:4] for line in lines] == [
        ["b", "1-1", "0.9100", "near-duplicate"],
        ["b", "2-1", "0.6200", "duplicate"],
    ]
    off = PipelineConfig(filters={"disable": ["near-duplicate"]})
    assert write_corpus(tmp_path, [a, b], off)["rejected_by_reason"] == {"duplicate": 1}
    # report.json's examples carry the score as a number, as every other score there.
    shown = counts["rejected_examples"]["duplicate"][0]
    assert shown["doc_id"] == "b" and shown["score"] == 0.62
    md = render_md(summarize([a, b, c], [], corpus=counts))
    assert "| b | 0.6200 |" in md


def test_failure_midway_leaves_previous_files_and_no_temp(tmp_path):
    write_corpus(tmp_path, [_doc()], PipelineConfig())
    before = {n: (tmp_path / n).read_bytes() for n in CORPUS_FILES}

    def docs():
        yield _doc("new")
        raise RuntimeError("upstream died")

    with pytest.raises(RuntimeError):
        write_corpus(tmp_path, docs(), PipelineConfig())
    assert {n: (tmp_path / n).read_bytes() for n in CORPUS_FILES} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(CORPUS_FILES + REJECTED_FILES)


def test_invalid_and_empty_beads_are_counted_not_written(tmp_path):
    doc = _doc(
        beads=[Bead((0,), (7,), 0.9), Bead((5,), (0,), 0.9), Bead((0,), (0,), 0.9)],
        en_sentences=["\x00\n", "b", "c"],
    )
    counts = write_corpus(tmp_path, [doc], PipelineConfig())
    assert counts["invalid"] == 2 and counts["empty"] == 1 and counts["written"] == 0
    assert (tmp_path / "corpus.ru").read_bytes() == b""
    assert len(tmx_storage.tmxfile.parsefile(str(tmp_path / "corpus.tmx")).units) == 0


def test_empty_corpus_is_valid_tmx(tmp_path):
    counts = write_corpus(tmp_path, [], PipelineConfig())
    assert counts["documents"] == 0 and counts["written"] == 0
    assert tmx_storage.tmxfile.parsefile(str(tmp_path / "corpus.tmx")).units == []


def test_sentence_rules_follow_shifted_offsets():
    doc = _doc()
    assert sentence_rules(doc.en, doc.en_sentences) == [
        ("collapse_spaces",),
        ("split_fused_words",),
        (),
    ]
    # A sentence the repaired text does not contain gets no rules, never a guess.
    assert sentence_rules(doc.en, ["Nowhere to be found."]) == [()]
    # ... and does not lose the place of the sentences after it.
    found = sentence_rules(doc.en, [doc.en_sentences[0], "Not here.", doc.en_sentences[1]])
    assert found == [("collapse_spaces",), (), ("split_fused_words",)]
    # Whitespace may differ between the sentence and the repaired text.
    assert sentence_rules(doc.en, ["They  discussed\ntrade and economic ties."]) == [
        ("split_fused_words",)
    ]
    assert sentence_rules(None, ["x"]) == [()]


def test_corpus_rows_match_written_files(tmp_path):
    rows = list(corpus_rows([_doc()], PipelineConfig()))
    write_corpus(tmp_path, [_doc()], PipelineConfig())
    assert [r.en for r in rows] == _read_lines(tmp_path / "corpus.en")


def test_real_wmt21_documents_roundtrip(tmp_path):
    if not WMT21.is_dir():
        pytest.skip(f"shared data not found at {WMT21} (read at test time, never copied)")
    ru = (WMT21 / "src.ru.txt").read_text(encoding="utf-8").split("\n")
    en = (WMT21 / "ref.A.en.txt").read_text(encoding="utf-8").split("\n")
    by_doc: dict[str, list[int]] = {}
    with open(WMT21 / "docs.tsv", encoding="utf-8") as fh:
        for rec in csv.DictReader(fh, delimiter="\t"):
            by_doc.setdefault(rec["doc_id"], []).append(int(rec["line_idx"]))
    docs = []
    for doc_id, idx in sorted(by_doc.items()):
        docs.append(
            Document(
                id=doc_id,
                sources=[],
                raw_hash="",
                ru_sentences=[ru[i] for i in idx],
                en_sentences=[en[i] for i in idx],
                beads=[Bead((k,), (k,), 0.5) for k in range(len(idx))],
            )
        )
    counts = write_corpus(tmp_path, docs, PipelineConfig())
    n = sum(len(v) for v in by_doc.values())
    assert counts["written"] == n == 1000
    store = tmx_storage.tmxfile.parsefile(str(tmp_path / "corpus.tmx"))
    pairs = [(u.source, u.target) for u in store.units]
    expected = [
        (clean_field(d.ru_sentences[k]), clean_field(d.en_sentences[k]))
        for d in docs
        for k in range(len(d.ru_sentences))
    ]
    assert pairs == expected
    # Real lines need no cleaning beyond trimming: the text comes back intact.
    assert all(
        a == b.strip()
        for (a, _), b in zip(pairs, (s for d in docs for s in d.ru_sentences), strict=True)
    )
    _check_same_beads(tmp_path)
