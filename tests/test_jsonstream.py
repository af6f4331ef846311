"""docs/<id>.json read back piecewise (cleaners.jsonstream) gives what json.loads gives."""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaners import jsonstream
from cleaners.config import PipelineConfig
from cleaners.fsutil import atomic_write_json
from cleaners.jsonstream import StreamReader, load_document, read_document
from cleaners.model import Document
from cleaners.pipeline import process_item
from cleaners.readers import discover

SAMPLE = Path(__file__).resolve().parents[1] / "corpora" / "sample"


def _rebuild(r: StreamReader) -> Any:
    """Any JSON value through the reader's piecewise walk (containers) or ``value``."""
    ch = r.peek()
    if ch == "{":
        return {key: _rebuild(r) for key in r.object_keys()}
    if ch == "[":
        return [_rebuild(r) for _ in r.array_items()]
    return r.value()


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: (
        st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=5), inner, max_size=5)
    ),
    max_leaves=30,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=JSON, indent=st.sampled_from([None, 1]), chunk=st.integers(1, 9))
def test_piecewise_walk_equals_json_loads(value: Any, indent: int | None, chunk: int) -> None:
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    old = jsonstream._CHUNK
    jsonstream._CHUNK = chunk  # pieces cut through strings, numbers and escapes
    try:
        r = StreamReader(io.StringIO(text))
        assert _rebuild(r) == json.loads(text)
        r.finish()
    finally:
        jsonstream._CHUNK = old


@pytest.mark.parametrize("run", [1, 2, 63, 64, 65, 200])
def test_long_strings_with_escapes_over_the_seams(run: int) -> None:
    # A long string is read to its closing quote in pieces; a run of backslashes longer
    # than the seam it is checked over only makes the guess wrong, never the value.
    value = ["x" * 7 + "\\" * run + '"' + "y" * 5, "\\" * run, 'q"' * 9, 12]
    text = json.dumps(value, indent=1)
    old = jsonstream._CHUNK
    jsonstream._CHUNK = 16
    try:
        r = StreamReader(io.StringIO(text))
        assert _rebuild(r) == value
        r.finish()
    finally:
        jsonstream._CHUNK = old


@pytest.mark.parametrize("bad", ['{"a": [1, 2', '{"a": 1} 2', '{"a" 1}', "[1,]"])
def test_bad_json_is_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        r = StreamReader(io.StringIO(bad))
        _rebuild(r)
        r.finish()


def test_documents_come_back_equal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = PipelineConfig()
    docs = [process_item(SAMPLE, item, config) for item in discover(SAMPLE, config.input)]
    docs = [d for d in docs if isinstance(d, Document)]
    assert len(docs) >= 3
    monkeypatch.setattr(jsonstream, "_CHUNK", 5)
    for doc in docs:
        path = tmp_path / f"{doc.id}.json"
        atomic_write_json(path, doc.to_dict())
        expected = Document.from_dict(json.loads(path.read_text(encoding="utf-8")))
        got = load_document(path)
        assert got == expected
        assert got.to_dict() == expected.to_dict()
        # A corpus sentence is its segment's sentence object, not a second copy.
        if got.ru is not None and got.ru_sentences:
            pool = {id(s) for seg in got.ru.segments for s in seg.sentences}
            assert all(id(s) in pool for s in got.ru_sentences)


def test_truncated_document_is_an_error(tmp_path: Path) -> None:
    config = PipelineConfig()
    item = next(i for i in discover(SAMPLE, config.input) if i.id == "bridge-opening")
    doc = process_item(SAMPLE, item, config)
    text = json.dumps(doc.to_dict(), ensure_ascii=False, sort_keys=True, indent=1)
    with pytest.raises(ValueError):
        read_document(io.StringIO(text[: len(text) // 2]))


# ---------------------------------------------------------------- a long side's raw text


def _long_doc(lines: int, edits_give_back: bool) -> Document:
    """A document whose two sides are long generated texts (Cyrillic and Latin, one line a
    sentence, a few repair edits), so that a side's raw text is not held beside its text."""
    from cleaners.model import LAZY_RAW, Bead, Edit, Segment, SideDoc
    from cleaners.repair.engine import replay

    sides = []
    for k, word in enumerate(("слово", "word")):
        raw = "".join(f"{word} {i}  {word}, {i * 7}.\n" for i in range(lines))
        spaces = [m for m in range(len(raw) - 1) if raw[m : m + 2] == "  "][::50]
        edits = [Edit("collapse_spaces", at, at + 2, "  ", " ") for at in spaces]
        text = replay(raw, edits)
        if not edits_give_back:
            raw = raw[:-2] + "!\n"
        assert len(raw) >= LAZY_RAW
        segments = [Segment("body", line, lang=("ru", "en")[k], sentences=[line])
                    for line in text.splitlines()]  # fmt: skip
        sides.append(SideDoc(raw, text, "utf-8", ("ru", "en")[k], 0.99, edits, segments))
    ru, en = sides
    n = len(ru.segments)
    return Document("long", ["long.ru.txt", "long.en.txt"], "h", ru=ru, en=en,
                    ru_sentences=[s.text for s in ru.segments],
                    en_sentences=[s.text for s in en.segments],
                    beads=[Bead((i,), (i,), 1.0) for i in range(n)])  # fmt: skip


def _traced_load(doc: Document, path: Path) -> tuple[Document, int, int]:
    """``doc`` written to ``path``, then read back under tracemalloc (which sees only what
    the read allocates): the document read, what the read leaves, and its peak."""
    import gc
    import tracemalloc

    atomic_write_json(path, doc.to_dict(streamed=True))
    gc.collect()
    tracemalloc.start()
    try:
        got = load_document(path)
        left, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return got, left, peak


@pytest.mark.parametrize("edits_give_back", [True, False])
def test_long_sides_come_back_equal(tmp_path: Path, edits_give_back: bool) -> None:
    """A long side's raw text comes back as written whether or not its edits give it back
    (checked against a digest; the text as written when they do not)."""
    doc = _long_doc(3000, edits_give_back)
    assert (doc.ru._raw is None) is edits_give_back  # type: ignore[union-attr]
    path = tmp_path / "long.json"
    atomic_write_json(path, doc.to_dict(streamed=True))
    got = load_document(path)
    assert got == doc
    assert got.ru.raw_text == doc.ru.raw_text  # type: ignore[union-attr]
    assert (got.en._raw is None) is edits_give_back  # type: ignore[union-attr]


def test_a_long_sides_raw_text_is_not_held_while_its_side_is_read(tmp_path: Path) -> None:
    """Reading a document back, the traced peak above what it leaves is under 2.3x a side's
    text (decoding a long string holds its pieces or its JSON text beside it: 1.8x; the raw
    text held whole while its segments and text were read made it 2.7x)."""
    got, left, peak = _traced_load(_long_doc(40_000, True), tmp_path / "long.json")
    assert got.ru is not None and got.en is not None
    side_bytes = max(sys.getsizeof(got.ru.text), sys.getsizeof(got.en.text))
    assert peak - left < 2.3 * side_bytes


def test_scores_come_back_as_one_object_and_the_pool_stays_bounded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A score written many times reads back as one float object (the module-level pool),
    and a file of ever new floats empties the pool at ``_POOLED`` instead of growing it."""
    pool: dict[float, float] = {}
    first = jsonstream._pooled(json.loads("0.8765"), pool)
    again = jsonstream._pooled(json.loads("0.8765"), pool)
    assert first is again and first == 0.8765
    assert jsonstream._pooled(3, pool) == 3 and len(pool) == 1  # (only floats are pooled)
    monkeypatch.setattr(jsonstream, "_POOLED", 4)
    for k in range(10):
        jsonstream._pooled(k + 0.5, pool)
        assert len(pool) <= 4


# ---------------------------------------------------------------- a long string in pieces

TRICKY = st.text(alphabet=st.sampled_from(['a', ' ', '\n', '"', '\\', '\t', '\x01', 'ж', '😀',
                                           '\ud83d', '\ude00', '\u2028', 'u', 'd']))  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=TRICKY, ascii_=st.booleans(), chunk=st.integers(1, 9), split=st.integers(0, 3))
def test_a_long_string_read_in_pieces_is_the_string(
    value: str, ascii_: bool, chunk: int, split: int
) -> None:
    """Cut anywhere (escapes, a surrogate pair's two escapes), the pieces decode to the string;
    made again of strings already held, right or wrong ones, it is still exactly the string."""
    text = json.dumps(value, ensure_ascii=ascii_)
    value = json.loads(text)  # (two surrogates' escapes read as the one character they make)
    old = jsonstream._CHUNK
    jsonstream._CHUNK = chunk
    try:
        r = StreamReader(io.StringIO(text + " 1"))
        assert "".join(r.string_pieces()) == value
        assert r.value() == 1  # the reader goes on after it
        words = value.split()
        for known in (words, words[::-1], [value], [value[: len(value) // (split + 1)]], []):
            r = StreamReader(io.StringIO(text))
            assert jsonstream._long_text(r, known) == value
    finally:
        jsonstream._CHUNK = old


def _one_line_doc(n: int) -> Document:
    """Each side one long line of ``n`` sentences, its one segment the line without its
    newline (the shape of a one-line side)."""
    from cleaners.model import Bead, Edit, Segment, SideDoc
    from cleaners.repair.engine import replay

    sides = []
    for lang, word in (("ru", "слово"), ("en", "word")):
        raw = "Реклама.\n" + "  ".join(f"{word} {i}, {word} {i * 7}." for i in range(n)) + "\n"
        edits = [Edit("collapse_spaces", m, m + 2, "  ", " ")
                 for m in range(len(raw) - 1) if raw[m : m + 2] == "  "][::50]  # fmt: skip
        text = replay(raw, edits)
        line = text.split("\n")[1]
        sentences = re.split(r"(?<=\.)\s+", line)
        segments = [Segment("boilerplate", "Реклама.", sentences=["Реклама."]),
                    Segment("body", line, lang=lang, sentences=sentences)]  # fmt: skip
        sides.append(SideDoc(raw, text, "utf-8", lang, 0.99, edits, segments))
    ru, en = sides
    return Document("one", ["one.ru.txt", "one.en.txt"], "h", ru=ru, en=en,
                    ru_sentences=list(ru.segments[1].sentences),
                    en_sentences=list(en.segments[1].sentences),
                    beads=[Bead((i,), (i,), 1.0) for i in range(n)])  # fmt: skip


def test_a_one_line_side_is_read_back_without_a_second_copy_at_once(tmp_path: Path) -> None:
    """A one-line side's text and its segment's are made of what is already held (the
    segment, its sentences) when read back, not decoded beside their JSON text; the corpus
    sentences are the segments' objects without a dict of them all: the traced peak above
    what the read leaves is under 0.8x a side's text (1.7x before)."""
    path = tmp_path / "one.json"
    got, left, peak = _traced_load(_one_line_doc(40_000), path)
    assert got == Document.from_dict(json.loads(path.read_text(encoding="utf-8")))
    assert got.ru is not None and got.en is not None
    assert peak - left < 0.8 * sys.getsizeof(got.ru.text)
    pool = {id(s) for seg in got.ru.segments for s in seg.sentences}
    assert all(id(s) in pool for s in got.ru_sentences)
