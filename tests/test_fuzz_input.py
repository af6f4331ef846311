"""Hypothesis properties of the input stages: decode, readers, structure.

No exception other than :class:`~cleaners.errors.InputError` escapes, decoded text
is always safe to write, and structure never loses a character.
"""

from __future__ import annotations

import codecs
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaners.config import InputConfig
from cleaners.decode import decode_bytes
from cleaners.errors import InputError
from cleaners.ids import id_path, safe_id
from cleaners.readers import discover, item_hash, load_item
from cleaners.structure import covered_text, parse

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Pieces that steer generated text into the parser's interesting paths.
FRAGMENTS = [
    "\n", "\n\n", "  ", "1. ", "pin_code", " Offline ", " Не в сети ", "(Andrey NK)", " (",
    ")", "April 10 2023 18: 18", "10 апреля 2023 18:18", "• ", "* ", "- ", "Photos used: ",
    "Dear reader, to leave comments on the publication, you must sign in.", "Фото: ТАСС",
    "Kazakhstan", "Казахстан", ".", "?", "\u00a0", "\u200b", "\r\n", "\t", "\x0b", "\u2028",
]  # fmt: skip
STRUCTURED = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=12), max_size=40).map("".join)
CODECS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1251", "koi8_r", "cp866", "latin-1"]


def _nonspace(text: str) -> str:
    return "".join(ch for ch in text if not ch.isspace())


def _assert_safe_text(text: str) -> None:
    text.encode("utf-8")  # no lone surrogates: every writer can encode it
    assert "\x00" not in text and "\r" not in text
    assert text.strip()


@FUZZ
@given(st.binary(max_size=2048))
def test_decode_any_bytes(data: bytes) -> None:
    try:
        got = decode_bytes(data)
    except InputError as exc:
        assert exc.reason and "\n" not in str(exc)
        return
    _assert_safe_text(got.text)


@FUZZ
@given(st.text(min_size=1, max_size=300), st.sampled_from(CODECS))
def test_decode_encoded_text(text: str, codec: str) -> None:
    try:
        data = text.encode(codec)
    except UnicodeEncodeError:
        return
    try:
        got = decode_bytes(data)
    except InputError:
        return
    _assert_safe_text(got.text)
    if codec.startswith("utf"):
        # Unicode with a BOM or valid UTF-8 is never second-guessed ...
        expected = text.replace("\r\n", "\n").replace("\r", "\n")
        if codec in ("utf-16-le",):
            return  # no BOM: may be read as another encoding; only safety is promised
        if codec == "utf-8" and _rare_ideographs_only(text):
            # ... except UTF-8 whose only non-ASCII is a rare ideograph or two (U+20000 and
            # up): those are also the bytes of a short Cyrillic code-page word, read as such
            # when it is Russian (test_rare_ideograph_read_as_code_page)
            assert got.text == expected or got.encoding != "utf-8"
            return
        assert got.text == expected.removeprefix("\ufeff") or got.text == expected


def _rare_ideographs_only(text: str) -> bool:
    high = [ch for ch in text if not ch.isascii()]
    return 0 < len(high) <= 2 and all(ord(ch) >= 0x20000 for ch in high)


def test_rare_ideograph_read_as_code_page() -> None:
    # Hypothesis drew U+514EB: its UTF-8 bytes are cp1251 "с‘“«", a Russian letter and marks.
    got = decode_bytes("\U000514eb".encode())
    assert (got.text, got.encoding) == ("с‘“«", "cp1251")
    # a real rare kanji among English words stays what it is
    assert decode_bytes("𠀋 is a rare kanji".encode()).text == "𠀋 is a rare kanji"


@FUZZ
@given(STRUCTURED, st.sampled_from(["en", "ru"]))
def test_structure_never_loses_text(text: str, lang: str) -> None:
    segs = parse(text, lang)
    assert _nonspace("".join(covered_text(s) for s in segs)) == _nonspace(text)
    for seg in segs:
        assert seg.kind in ("title", "body", "caption", "boilerplate", "comment")
        if seg.kind != "comment":
            assert seg.text.strip()
    assert [s.kind for s in segs].count("title") <= 1


@FUZZ
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["a", "b", "a b", "sub/a", "..%2fx", "Ж", "A"]),
            st.sampled_from([".ru.txt", ".en.txt", ".txt", ".jsonl", ".md"]),
            st.binary(max_size=200) | STRUCTURED.map(str.encode),
        ),
        max_size=8,
    )
)
def test_readers_account_for_every_file(files: list[tuple[str, str, bytes]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        written: set[str] = set()
        for stem, ext, data in files:
            rel = f"{stem}{ext}"
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if ext == ".jsonl":
                data = (
                    json.dumps({"id": stem, "en": data.decode("utf-8", "replace")}).encode()
                    + b"\n"
                    + data
                )
            path.write_bytes(data)
            if not (rel.startswith(".") and ext == ".md"):  # hidden non-inputs are skipped
                written.add(rel)
        items = discover(root, InputConfig(max_bytes=150))
        assert len({it.id for it in items}) == len(items)
        files_seen = {src.rsplit(":", 1)[0] if ".jsonl:" in src else src for it in items
                      for src in it.sources}  # fmt: skip
        assert files_seen == written
        for item in items:
            assert isinstance(item_hash(root, item), str)
            try:
                for decoded in load_item(root, item, InputConfig(max_bytes=150)).values():
                    _assert_safe_text(decoded.text)
            except InputError as exc:
                assert exc.reason


def test_bom_variants_all_decode_the_same() -> None:
    text = "Привет, мир\nHello"
    for bom, codec in [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ]:
        assert decode_bytes(bom + text.encode(codec)).text == text


@FUZZ
@given(st.lists(st.text(max_size=60) | st.sampled_from(["..", ".", "%2f", "CON", "a/b", "A"]),
                min_size=1, max_size=6).map("/".join))  # fmt: skip
def test_any_name_gives_a_safe_flat_id(raw: str) -> None:
    doc_id = safe_id(raw)
    assert doc_id and "/" not in doc_id and "\\" not in doc_id and "\x00" not in doc_id
    assert not doc_id.startswith((".", "-"))
    assert len(doc_id.encode("utf-8", "surrogatepass")) <= 200 + 9
    path = id_path(Path("/out/docs"), doc_id)
    assert path.parent == Path("/out/docs")
    assert safe_id(raw + "x") != doc_id or raw + "x" == raw
