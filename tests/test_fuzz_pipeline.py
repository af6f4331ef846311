"""Hypothesis: hostile bytes through decode → repair → structure → align → write.

For any pair of input files: no exception escapes ``process_item``, every input
ends as a Document or a Quarantined record with a reason, the corpus files parse
(TMX as XML, JSONL line by line, Moses files of equal length), and no text is
lost without a recorded edit (repair's edits replay to its output; structure
accounts for every non-whitespace character of the repaired text).
"""

from __future__ import annotations

import json
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaners.config import PipelineConfig
from cleaners.model import Document, Quarantined
from cleaners.pipeline import process_item
from cleaners.readers import discover
from cleaners.repair import replay
from cleaners.structure import covered_text
from cleaners.writers import write_corpus

CONFIG = PipelineConfig()
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))

RU_BITS = [
    "Казахстан наращивает поставки нефти.", "Токаев встретился с Алиевым.", "\n\n", "\n",
    "  1. pin_code Offline pin_code\n    pin_code (Андрей) 10 апреля 2023 18: 18\n",
    "• Использованы фотографии: ТАСС\n", "«Цитата», — сказал он.", "\x0b", "\x1b[0m", "\ufffe",
    "\u202e", "\ud7ff", "&lt;", "<tu>", "]]>", "\t", "APU", "18: 18",
]  # fmt: skip
EN_BITS = [
    "Kazakhstan stepped up oil supplies.", "Tokayev met Aliyev.", "trade andeconomic ties",
    "\n\n", "\n", "  1. pin_code Offline pin_code\n    pin_code (Andrey NK) April 10 2023 18: 18\n",
    "• Photos used: TASS\n", "- the leader told the press.", "\x0c", "\x07", "\uffff",
    "<seg>", "&amp;", "]]>", "\u00a0", "Ð¢Ð¾ÐºÐ°ÐµÐ²",
]  # fmt: skip
CODECS = ["utf-8", "utf-8-sig", "utf-16", "cp1251", "koi8_r"]


def _text(bits: list[str]) -> st.SearchStrategy[str]:
    # Mostly realistic pieces (so most examples reach alignment), some arbitrary text.
    piece = st.sampled_from(bits)
    return st.lists(piece | piece | piece | st.text(max_size=8), max_size=25).map("".join)


def _encoded(bits: list[str]) -> st.SearchStrategy[bytes]:
    encoded = st.tuples(_text(bits), st.sampled_from(CODECS)).map(
        lambda tc: tc[0].encode(tc[1], errors="replace")
    )
    return encoded | encoded | encoded | st.binary(max_size=300)


def _nonspace(text: str) -> str:
    return "".join(ch for ch in text if not ch.isspace())


def _check_document(doc: Document) -> None:
    for side in (doc.ru, doc.en):
        if side is None:
            continue
        assert replay(side.raw_text, side.edits) == side.text
        covered = "".join(covered_text(s) for s in side.segments)
        assert _nonspace(covered) == _nonspace(side.text)
    n_ru, n_en = len(doc.ru_sentences), len(doc.en_sentences)
    seen_ru = sorted(i for b in doc.beads for i in b.ru)
    seen_en = sorted(i for b in doc.beads for i in b.en)
    if doc.beads:
        assert seen_ru == list(range(n_ru)) and seen_en == list(range(n_en))
        assert all(0.0 <= b.score <= 1.0 for b in doc.beads)


def _check_outputs(out: Path) -> None:
    ET.parse(out / "corpus.tmx")  # raises on invalid XML
    ru = (out / "corpus.ru").read_text(encoding="utf-8").split("\n")
    en = (out / "corpus.en").read_text(encoding="utf-8").split("\n")
    assert len(ru) == len(en)
    for line in (out / "corpus.jsonl").read_text(encoding="utf-8").splitlines():
        json.loads(line)
    tsv = (out / "corpus.tsv").read_text(encoding="utf-8").splitlines()
    assert len(tsv) == len(ru) - 1


@SETTINGS
@given(_encoded(RU_BITS), _encoded(EN_BITS))
def test_any_pair_ends_in_docs_or_quarantine_and_outputs_parse(ru: bytes, en: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root, out = Path(tmp) / "in", Path(tmp) / "out"
        root.mkdir()
        (root / "doc.ru.txt").write_bytes(ru)
        (root / "doc.en.txt").write_bytes(en)
        (root / "feed.jsonl").write_text(
            json.dumps({"id": "j", "ru": ru.decode("utf-8", "replace"), "en": en.decode("latin-1")})
            + "\n",  # fmt: skip
            encoding="utf-8",
        )
        items = discover(root, CONFIG.input)
        results = [process_item(root, item, CONFIG) for item in items]
        assert len(results) == len(items) == 2
        docs = []
        for result in results:
            if isinstance(result, Quarantined):
                assert result.reason and result.sources
                assert result.reason != "processing-error", result.detail
            else:
                _check_document(result)
                docs.append(result)
        write_corpus(out, docs, CONFIG)
        _check_outputs(out)
