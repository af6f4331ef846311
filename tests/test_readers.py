"""cleaners.readers / cleaners.ids: discovery, pairing, JSONL, unsafe paths, ids, reading."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cleaners import errors as E
from cleaners.config import InputConfig
from cleaners.ids import IdRegistry, id_path, safe_component, safe_id, short_hash
from cleaners.readers import discover, item_hash, load_item

RU = "Новый мост через Оку откроют в декабре."
EN = "A new bridge over the Oka will open in December."
CFG = InputConfig()


def _by_source(items):
    return {src: it for it in items for src in it.sources}


def _write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    path.write_bytes(data)
    return path


def test_pairs_lone_files_and_subfolders(tmp_path: Path) -> None:
    _write(tmp_path / "a.ru.txt", RU)
    _write(tmp_path / "a.en.txt", EN)
    _write(tmp_path / "b.en.txt", EN)
    _write(tmp_path / "c.txt", EN)
    _write(tmp_path / "d.ru.txt", RU)
    _write(tmp_path / "news" / "2023" / "e.ru.txt", RU.encode("cp1251"))
    _write(tmp_path / "news" / "2023" / "e.en.txt", EN)
    items = discover(tmp_path, CFG)
    assert [it.id for it in items] == ["a", "b", "c", "d", "news__2023__e"]
    assert all(it.error is None for it in items)
    parts = {it.id: sorted(it.parts) for it in items}
    assert parts == {"a": ["en", "ru"], "b": ["en"], "c": ["en"], "d": ["ru"],
                     "news__2023__e": ["en", "ru"]}  # fmt: skip
    assert items[0].sources == ["a.en.txt", "a.ru.txt"]
    loaded = load_item(tmp_path, items[-1], CFG)
    assert loaded["ru"].text == RU and loaded["ru"].encoding == "cp1251"
    assert loaded["en"].text == EN


def test_duplicate_ids_are_error_items_not_dropped(tmp_path: Path) -> None:
    _write(tmp_path / "a.en.txt", EN)
    _write(tmp_path / "a.txt", EN + " again")
    _write(tmp_path / "wire.jsonl", "\n".join(json.dumps(r) for r in [
        {"id": "x", "ru": RU, "en": EN},
        {"id": "x", "ru": RU},
        {"id": "a", "en": EN},
    ]))  # fmt: skip
    items = discover(tmp_path, CFG)
    src = _by_source(items)
    assert len(items) == 5 and len({it.id for it in items}) == 5
    assert src["a.en.txt"].error is None
    assert src["a.txt"].error.reason == E.DUPLICATE_ID
    assert src["wire.jsonl:1"].error is None
    assert src["wire.jsonl:2"].error.reason == E.DUPLICATE_ID
    assert src["wire.jsonl:3"].error.reason == E.DUPLICATE_ID
    assert src["a.txt"].error.detail.startswith("a.txt: ")
    assert "a.en.txt" in src["a.txt"].error.detail  # names the input that won
    assert "wire.jsonl:1" in src["wire.jsonl:2"].error.detail
    assert "a.en.txt" in src["wire.jsonl:3"].error.detail
    with pytest.raises(E.DuplicateId):
        load_item(tmp_path, src["a.txt"], CFG)


def test_a_duplicate_side_names_the_file_that_holds_that_side(tmp_path: Path) -> None:
    """a.txt (English) beside a.RU.txt + a.en.txt was said to clash with a.RU.txt, the
    pair's first file, not with a.en.txt, the English it duplicates."""
    _write(tmp_path / "a.RU.txt", RU)
    _write(tmp_path / "a.en.txt", EN)
    _write(tmp_path / "a.ru.txt", RU + " ещё")
    _write(tmp_path / "a.txt", EN + " again")
    src = _by_source(discover(tmp_path, CFG))
    assert src["a.RU.txt"].error is None and sorted(src["a.RU.txt"].parts) == ["en", "ru"]
    assert "(en) already comes from a.en.txt;" in src["a.txt"].error.detail
    assert "(ru) already comes from a.RU.txt;" in src["a.ru.txt"].error.detail


def test_jsonl_good_and_malformed_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "good-1", "ru": RU, "en": EN}, ensure_ascii=False),
        "",
        '{"id": "broken", "ru": "unterminated',
        json.dumps(["not", "an", "object"]),
        json.dumps({"ru": RU}),
        json.dumps({"id": "num", "ru": 5}),
        json.dumps({"id": "neither"}),
        json.dumps({"id": "blank", "ru": "  ", "en": ""}),
        json.dumps({"id": "src-only", "ru": RU, "en": ""}, ensure_ascii=False),
        json.dumps({"id": "nul", "en": "a\u0000b"}),
    ]
    data = "\ufeff" + "\n".join(lines) + "\n"
    _write(tmp_path / "feed.jsonl", data.encode() + b'{"id": "latin", "en": "caf\xe9"}\n')
    items = discover(tmp_path, CFG)
    src = _by_source(items)
    assert "feed.jsonl:2" not in src  # a blank line is not a document
    assert len(items) == len(lines) - 1 + 1
    assert src["feed.jsonl:1"].error is None
    assert load_item(tmp_path, src["feed.jsonl:1"], CFG)["ru"].text == RU
    for line in (3, 4, 5, 6, 7, 11):
        assert src[f"feed.jsonl:{line}"].error.reason == E.MALFORMED_JSONL, line
        assert f"feed.jsonl:{line}" in src[f"feed.jsonl:{line}"].error.detail
    assert src["feed.jsonl:8"].error.reason == E.EMPTY
    assert sorted(load_item(tmp_path, src["feed.jsonl:9"], CFG)) == ["ru"]
    with pytest.raises(E.BinaryInput, match="feed.jsonl:10"):
        load_item(tmp_path, src["feed.jsonl:10"], CFG)


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_a_utf16_jsonl_is_one_quarantine_that_says_so(tmp_path: Path, codec: str) -> None:
    """A JSONL saved as UTF-16 (PowerShell's redirect) was a "not UTF-8" line and then a
    "not JSON" line per record (each starting at a NUL): now one record names the encoding."""
    lines = [json.dumps({"id": f"r{i}", "ru": RU, "en": EN}, ensure_ascii=False) for i in (1, 2)]
    _write(tmp_path / "feed.jsonl", ("\n".join(lines) + "\n").encode(codec))
    _write(tmp_path / "ok.jsonl", lines[0].replace("r1", "ok") + "\n")
    items = discover(tmp_path, CFG)
    src = _by_source(items)
    assert sorted(src) == ["feed.jsonl", "ok.jsonl:1"]
    error = src["feed.jsonl"].error
    assert error.reason == E.MALFORMED_JSONL and "UTF-16 or UTF-32" in error.detail
    assert "iconv" in error.detail and src["ok.jsonl:1"].error is None


def test_a_binary_file_named_jsonl_is_one_binary_quarantine(tmp_path: Path) -> None:
    """An archive, image or random bytes named .jsonl was read line by line: one
    malformed-jsonl quarantine per run of bytes between two 0x0A (thousands for a big
    archive), and gzip (a NUL in its first four bytes) was called UTF-16. Now one record for
    the file, reason binary, naming what it is, as a renamed .txt gets."""
    import gzip
    import random

    lines = "".join(json.dumps({"id": f"r{i}", "en": EN}) + "\n" for i in range(200))
    _write(tmp_path / "gz.jsonl", gzip.compress(lines.encode(), mtime=0))
    _write(tmp_path / "img.jsonl", b"\x89PNG\r\n\x1a\n" + bytes(range(1, 256)) * 40)
    rng = random.Random(7)
    noise = bytes(rng.randrange(1, 256) for _ in range(20_000))  # no NUL: control bytes
    _write(tmp_path / "noise.jsonl", b"{" + noise)
    _write(tmp_path / "ok.jsonl", lines)
    src = _by_source(discover(tmp_path, CFG))
    bad = {name: src[name].error for name in ("gz.jsonl", "img.jsonl", "noise.jsonl")}
    assert all(e is not None and e.reason == E.BINARY for e in bad.values()), bad
    assert bad["gz.jsonl"].detail == "gz.jsonl: gzip archive, not text (renamed file?)"
    assert bad["img.jsonl"].detail == "img.jsonl: PNG image, not text (renamed file?)"
    assert bad["noise.jsonl"].detail.startswith("noise.jsonl: ")
    # Negative: the same records as text are 200 documents; nothing else was listed.
    assert sum(1 for k, it in src.items() if k.startswith("ok.jsonl:") and it.error is None) == 200
    assert len(src) == 203


def test_jsonl_id_of_the_wrong_type_is_named_as_such(tmp_path: Path) -> None:
    lines = [{"id": ["x"], "en": EN}, {"id": 7, "en": EN}, {"id": " ", "en": EN}, {"en": EN}]
    _write(tmp_path / "feed.jsonl", "\n".join(json.dumps(r) for r in lines) + "\n")
    src = _by_source(discover(tmp_path, CFG))
    details = [src[f"feed.jsonl:{n}"].error.detail for n in range(1, 5)]
    assert all(src[f"feed.jsonl:{n}"].error.reason == E.MALFORMED_JSONL for n in range(1, 5))
    assert '"id" is a JSON array, not a string' in details[0]
    assert '"id" is a JSON number, not a string' in details[1]
    assert '"id" is blank' in details[2]
    assert 'missing "id"' in details[3]
    assert not any('missing "id"' in d for d in details[:3])


def test_a_jsonl_record_with_its_sides_under_other_keys_or_as_lists_says_how(
    tmp_path: Path,
) -> None:
    """A new user's JSONL: paragraphs as a list, or the sides under other keys ("source",
    "target"). The quarantine said only '"ru" must be a string' / 'neither "ru" nor "en"
    given'; it now names the JSON type, how to write paragraphs, and the keys it found."""
    lines = [
        {"id": "l", "ru": ["Абзац.", "Ещё."], "en": "Text."},
        {"id": "k", "source": "Привет.", "target": "Hello."},
        {"id": "n", "en": 5},
    ]
    _write(tmp_path / "feed.jsonl", "\n".join(json.dumps(r) for r in lines) + "\n")
    src = _by_source(discover(tmp_path, CFG))
    details = [src[f"feed.jsonl:{n}"].error.detail for n in range(1, 4)]
    assert all(src[f"feed.jsonl:{n}"].error.reason == E.MALFORMED_JSONL for n in range(1, 4))
    assert '"ru" is a JSON array, not a string (join its paragraphs' in details[0]
    assert 'neither "ru" nor "en" given (it has "source", "target";' in details[1]
    assert details[2].endswith('"en" is a JSON number, not a string')


def test_a_jsonl_whose_lines_end_in_cr_alone_is_named_as_such(tmp_path: Path) -> None:
    """Old Mac line ends: JSONL is split on LF, so the records read as one line, quarantined
    (nothing lost), and "Extra data" alone would not say why; a CRLF file reads as before."""
    recs = [json.dumps({"id": f"r{n}", "ru": RU, "en": EN}, ensure_ascii=False) for n in (1, 2)]
    _write(tmp_path / "mac" / "feed.jsonl", "\r".join(recs) + "\r")
    _write(tmp_path / "dos" / "feed.jsonl", "\r\n".join(recs) + "\r\n")
    mac = _by_source(discover(tmp_path / "mac", CFG))
    assert list(mac) == ["feed.jsonl:1"] and mac["feed.jsonl:1"].error.reason == E.MALFORMED_JSONL
    assert "end in CR alone" in mac["feed.jsonl:1"].error.detail
    dos = _by_source(discover(tmp_path / "dos", CFG))
    assert sorted(dos) == ["feed.jsonl:1", "feed.jsonl:2"]
    assert all(item.error is None for item in dos.values())


def test_a_bom_mid_jsonl_from_joined_files_is_dropped_as_the_first_one_is(tmp_path: Path) -> None:
    """`cat a.jsonl b.jsonl` of files saved with a BOM: b's first record starts with one. It
    was quarantined as not JSON ("Unexpected UTF-8 BOM"); it is a record like a's."""
    a = "\ufeff" + json.dumps({"id": "a", "ru": RU, "en": EN}, ensure_ascii=False) + "\r\n"
    b = "\ufeff" + json.dumps({"id": "b", "ru": RU, "en": EN}, ensure_ascii=False) + "\r\n"
    _write(tmp_path / "feed.jsonl", a + b)
    src = _by_source(discover(tmp_path, CFG))
    assert sorted(src) == ["feed.jsonl:1", "feed.jsonl:2"]
    assert all(item.error is None for item in src.values())
    assert load_item(tmp_path, src["feed.jsonl:2"], CFG)["en"].text == EN


def test_jsonl_line_over_limit_is_skipped_in_bounded_memory(tmp_path: Path) -> None:
    big = json.dumps({"id": "big", "en": "word " * 5000})
    small = json.dumps({"id": "small", "en": EN})
    _write(tmp_path / "f.jsonl", f"{small}\n{big}\n{small.replace('small', 'after')}\n")
    items = discover(tmp_path, InputConfig(max_bytes=1000))
    src = _by_source(items)
    assert src["f.jsonl:2"].error.reason == E.TOO_LARGE
    assert src["f.jsonl:1"].error is None and src["f.jsonl:3"].error is None
    assert load_item(tmp_path, src["f.jsonl:3"], CFG)["en"].text == EN


def test_a_bad_record_that_names_its_id_is_quarantined_by_it(tmp_path: Path) -> None:
    """A user looks for a refused record by its id: a line too long to read (its id the first
    key) and a record whose sides are empty go by their own ids; a line that gives none, or an
    id already taken, by ``FILE-lineN``."""
    lines = [
        json.dumps({"id": "ok", "en": EN}),
        json.dumps({"id": "huge", "en": "word " * 5000}),
        json.dumps({"en": "word " * 5000, "id": "id-last"}),
        json.dumps({"id": "hollow", "ru": " ", "en": ""}),
        json.dumps({"id": "ok", "ru": "", "en": ""}),
        json.dumps({"id": "huge", "en": EN}),
        json.dumps({"id": "numeric", "ru": 5}),
    ]
    _write(tmp_path / "f.jsonl", "\n".join(lines) + "\n")
    src = _by_source(discover(tmp_path, InputConfig(max_bytes=1000)))
    got = {line: (src[f"f.jsonl:{line}"].id, src[f"f.jsonl:{line}"].error) for line in range(1, 8)}
    assert got[1] == ("ok", None)
    assert got[2][0] == "huge" and got[2][1].reason == E.TOO_LARGE
    assert got[3][0] == "f-line3" and got[3][1].reason == E.TOO_LARGE
    assert got[4][0] == "hollow" and got[4][1].reason == E.EMPTY
    assert got[5][0] == "f-line5" and got[5][1].reason == E.EMPTY  # "ok" is taken
    assert got[6][1].reason == E.DUPLICATE_ID and "f.jsonl:2" in got[6][1].detail
    assert got[7][0] == "numeric" and got[7][1].reason == E.MALFORMED_JSONL


def test_size_limit_checked_before_reading(tmp_path: Path) -> None:
    _write(tmp_path / "big.en.txt", EN * 100)
    _write(tmp_path / "big.ru.txt", RU)
    (item,) = discover(tmp_path, InputConfig(max_bytes=1000))
    assert item.error.reason == E.TOO_LARGE
    assert item.sources == ["big.en.txt", "big.ru.txt"]  # the partner is accounted for too
    assert "big.en.txt" in item.error.detail and "max_bytes" in item.error.detail


def test_empty_and_whitespace_files(tmp_path: Path) -> None:
    _write(tmp_path / "empty.txt", b"")
    _write(tmp_path / "blank.txt", b" \r\n\t\n")
    src = _by_source(discover(tmp_path, CFG))
    assert src["empty.txt"].error.reason == E.EMPTY
    with pytest.raises(E.EmptyInput, match="blank.txt"):
        load_item(tmp_path, src["blank.txt"], CFG)


def test_symlink_outside_is_not_followed(tmp_path: Path) -> None:
    secret = _write(tmp_path / "outside" / "secret.txt", "TOP SECRET " + EN)
    _write(tmp_path / "outside" / "dir" / "x.en.txt", "SECRET " + EN)
    root = tmp_path / "in"
    _write(root / "ok.en.txt", EN)
    (root / "leak.en.txt").symlink_to(secret)
    (root / "leakdir").symlink_to(tmp_path / "outside" / "dir")
    (root / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    (root / "inner.en.txt").symlink_to(root / "ok.en.txt")
    items = discover(root, CFG)
    src = _by_source(items)
    assert src["leak.en.txt"].error.reason == E.SYMLINK_OUTSIDE
    assert src["leakdir"].error.reason == E.SYMLINK_OUTSIDE
    assert src["dangling.txt"].error.reason == E.BROKEN_SYMLINK
    assert src["inner.en.txt"].error is None  # a link inside the folder is fine
    assert load_item(root, src["inner.en.txt"], CFG)["en"].text == EN
    with pytest.raises(E.UnsafePath):
        load_item(root, src["leak.en.txt"], CFG)
    # The hash of a link out of the folder never reads the target's bytes.
    digest = item_hash(root, src["leak.en.txt"])
    secret.write_text("changed")
    assert item_hash(root, src["leak.en.txt"]) == digest
    opted_in = _by_source(discover(root, InputConfig(follow_symlinks=True)))
    assert opted_in["leak.en.txt"].error is None


def test_reader_rechecks_a_file_swapped_for_a_link_after_discovery(tmp_path: Path) -> None:
    secret = _write(tmp_path / "secret.txt", "SECRET " + EN)
    root = tmp_path / "in"
    _write(root / "a.en.txt", EN)
    (item,) = discover(root, CFG)
    (root / "a.en.txt").unlink()
    (root / "a.en.txt").symlink_to(secret)
    with pytest.raises(E.UnsafePath):
        load_item(root, item, CFG)


def test_fifo_is_never_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    _write(tmp_path / "ok.txt", EN)
    src = _by_source(discover(tmp_path, CFG))  # would hang if the FIFO were read
    assert src["pipe.txt"].error.reason == E.NOT_A_FILE
    assert isinstance(item_hash(tmp_path, src["pipe.txt"]), str)


_UNREADABLE_PROBE = """
import sys
from pathlib import Path
from cleaners.config import InputConfig
from cleaners.readers import discover, item_hash
root = Path(sys.argv[1])
for it in discover(root, InputConfig()):
    print(it.sources[0], it.error.reason if it.error else "ok", len(item_hash(root, it)))
"""


def test_unreadable_file_is_an_error_item(tmp_path: Path) -> None:
    locked = _write(tmp_path / "locked.txt", EN)
    _write(tmp_path / "fine.txt", EN)
    locked.chmod(0)
    cmd = [sys.executable, "-c", _UNREADABLE_PROBE, str(tmp_path)]
    if os.geteuid() == 0:
        if not shutil.which("setpriv"):
            pytest.skip("root reads any file; setpriv is needed to drop CAP_DAC_OVERRIDE")
        cmd = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", *cmd]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=60).stdout
    finally:
        locked.chmod(0o644)
    assert out.splitlines() == ["fine.txt ok 64", "locked.txt unreadable 64"]


def test_unsupported_hidden_and_binary_files(tmp_path: Path) -> None:
    _write(tmp_path / "photo.png", b"\x89PNG\r\n\x1a\n....")
    _write(tmp_path / "renamed.en.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    _write(tmp_path / ".DS_Store", b"\x00\x01")
    _write(tmp_path / ".git" / "HEAD", "ref")
    src = _by_source(discover(tmp_path, CFG))
    assert set(src) == {"photo.png", "renamed.en.txt"}
    assert src["photo.png"].error.reason == E.UNSUPPORTED_TYPE
    with pytest.raises(E.BinaryInput, match="renamed.en.txt"):
        load_item(tmp_path, src["renamed.en.txt"], CFG)


def test_hostile_names_give_safe_unique_ids(tmp_path: Path) -> None:
    names = ["my file.txt", "my-file.txt", "Новости дня.txt", "..%2f..%2fetc%2fpasswd.txt",
             "a..b.txt", "...txt", "CON.txt", "Case.txt", "case.txt", "-rf.txt",
             "x" * 240 + ".txt"]  # fmt: skip
    for name in names:
        _write(tmp_path / name, EN)
    items = discover(tmp_path, CFG)
    ids = [it.id for it in items]
    assert len(items) == len(names)
    assert len({i.casefold() for i in ids}) == len(ids)
    out = tmp_path / "out" / "docs"
    for doc_id in ids:
        path = id_path(out, doc_id)
        assert path.resolve().is_relative_to(out.resolve())
        assert len(path.name.encode()) < 255
        assert not doc_id.startswith(("-", ".")) and ".." not in doc_id
    assert all(it.error is None for it in items)


def test_ids_unit() -> None:
    assert safe_id("plain") == "plain"
    assert safe_id("sub/plain") == "sub__plain"
    assert safe_id("my file") != safe_id("my-file")
    assert safe_id("../../x").startswith("x-")
    assert safe_id("a\\..\\b").startswith("a__b-")
    assert safe_component("\x00\n") == "doc"
    assert "/" not in safe_component("a/b")
    reg = IdRegistry()
    first, clash, again = reg.claim("a", "1"), reg.claim("A", "2"), reg.claim("a", "2")
    assert first == "a"
    assert clash == f"A-{short_hash('2')}"
    assert again == f"a-{short_hash('2')}-2"
    with pytest.raises(ValueError):
        id_path(Path("/o"), "a/../../b")


def test_item_hash_is_stable_and_content_based(tmp_path: Path) -> None:
    _write(tmp_path / "a.en.txt", EN)
    _write(tmp_path / "f.jsonl", json.dumps({"id": "j", "en": EN}) + "\n")
    items = discover(tmp_path, CFG)
    first = [item_hash(tmp_path, it) for it in items]
    assert first == [item_hash(tmp_path, it) for it in discover(tmp_path, CFG)]
    _write(tmp_path / "a.en.txt", EN + "!")
    assert item_hash(tmp_path, discover(tmp_path, CFG)[0]) != first[0]


def test_only_an_unusable_input_dir_raises(tmp_path: Path) -> None:
    with pytest.raises(E.InputError, match="not a folder"):
        discover(tmp_path / "missing", CFG)
    _write(tmp_path / "file.txt", EN)
    with pytest.raises(E.InputError):
        discover(tmp_path / "file.txt", CFG)
    assert [it.id for it in discover(tmp_path, CFG)] == ["file"]


def test_deep_folders_are_reported_not_recursed(tmp_path: Path) -> None:
    deep = tmp_path.joinpath(*["d"] * 80)
    _write(deep / "x.en.txt", EN)
    _write(tmp_path / "d" / "top.en.txt", EN)
    src = _by_source(discover(tmp_path, CFG))
    assert src["d/top.en.txt"].error is None
    (too_deep,) = [it for it in src.values() if it.error is not None]
    assert too_deep.error.reason == E.TOO_DEEP


def test_a_users_manifest_beside_docs_is_no_output_folder(tmp_path: Path) -> None:
    # A data set's own manifest.json and docs/ of documents are input, walked as any folder
    # (only mtclean's own manifest marks a folder as an earlier run's --out).
    _write(tmp_path / "set" / "manifest.json", json.dumps({"files": ["docs/a.en.txt"]}))
    _write(tmp_path / "set" / "docs" / "a.en.txt", EN)
    _write(tmp_path / "set" / "docs" / "a.ru.txt", RU)
    src = _by_source(discover(tmp_path, CFG))
    assert sorted(src) == ["set/docs/a.en.txt", "set/docs/a.ru.txt", "set/manifest.json"]
    item = src["set/docs/a.en.txt"]
    assert item.id == "set__docs__a" and item.error is None and sorted(item.parts) == ["en", "ru"]
    assert src["set/manifest.json"].error.reason == E.UNSUPPORTED_TYPE  # as any .json file


def test_long_ids_fit_a_file_name(tmp_path: Path) -> None:
    long_id = "/".join(["Новости"] * 40)
    _write(tmp_path / "f.jsonl", json.dumps({"id": long_id, "en": EN}, ensure_ascii=False))
    _write(tmp_path / "f2.jsonl", json.dumps({"id": "Ж" * 300, "en": EN}, ensure_ascii=False))
    items = discover(tmp_path, CFG)
    assert len(items) == 2 and all(it.error is None for it in items)
    for item in items:
        path = id_path(tmp_path / "out", item.id)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.with_name(f".{path.name}.abcdefgh.tmp").write_text("x")  # what atomic writes use
        path.write_text("{}")
    assert safe_id(long_id) != safe_id(long_id + "/x")


# ---------------------------------------------------------------- one read, no escape (#19)


@pytest.mark.parametrize("swapped", ["file", "folder"])
def test_a_path_swapped_for_a_link_out_mid_read_never_leaks(tmp_path: Path, swapped: str) -> None:
    import threading
    import time

    marker = "OUTSIDE-SECRET-19"
    outside = tmp_path / "outside"
    _write(outside / "a.en.txt", f"{marker} {EN}")
    root = tmp_path / "in"
    _write(root / "sub" / "a.en.txt", EN)
    (item,) = discover(root, CFG)
    # Flip the path between the real thing and a link out, with single fast system calls.
    path = root / "sub" / "a.en.txt" if swapped == "file" else root / "sub"
    real = path.with_name(path.name + ".real")
    tmp = path.with_name(path.name + ".tmp")
    out_target = outside / "a.en.txt" if swapped == "file" else outside
    stop = time.monotonic() + 3

    def flip() -> None:
        while time.monotonic() < stop:
            if swapped == "file":
                os.symlink(out_target, tmp)
                os.replace(tmp, path)  # the file becomes a link out
                os.link(real, tmp)
                os.replace(tmp, path)  # and back (a hard link of the real file)
            else:
                os.rename(path, real)  # the real folder steps aside
                os.symlink(out_target, path)  # a link out takes its place
                os.unlink(path)
                os.rename(real, path)  # and back

    if swapped == "file":
        os.link(path, real)
    t = threading.Thread(target=flip)
    t.start()
    seen, reads = set(), 0
    while t.is_alive():
        try:
            seen.add(load_item(root, item, CFG)["en"].text)
            reads += 1
        except E.InputError as exc:
            seen.add(exc.reason)
    t.join()
    assert reads > 10 and not any(marker in s for s in seen), seen


def test_a_file_empty_when_listed_and_written_before_it_is_read_is_processed(
    tmp_path: Path,
) -> None:
    from cleaners.config import PipelineConfig
    from cleaners.pipeline import process_item

    _write(tmp_path / "a.en.txt", b"")
    (item,) = discover(tmp_path, CFG)
    assert item.error is not None and item.error.reason == E.EMPTY  # what the listing saw
    _write(tmp_path / "a.en.txt", EN)
    result = process_item(tmp_path, item, PipelineConfig())
    # Decided by the read: the document is processed, its hash is of the bytes read.
    assert type(result).__name__ == "Document" and result.en.text.strip() == EN
    assert result.raw_hash == item_hash(tmp_path, item)
    # ...and the other way round: written empty after listing, quarantined with that hash.
    _write(tmp_path / "b.en.txt", EN)
    (_, b) = discover(tmp_path, CFG)
    _write(tmp_path / "b.en.txt", b"")
    result = process_item(tmp_path, b, PipelineConfig())
    assert result.reason == E.EMPTY and result.raw_hash == item_hash(tmp_path, b)


def test_the_hash_is_of_the_bytes_processed(tmp_path: Path) -> None:
    from cleaners.config import PipelineConfig
    from cleaners.pipeline import process_item

    _write(tmp_path / "a.en.txt", EN)
    (item,) = discover(tmp_path, CFG)
    planned = item_hash(tmp_path, item)
    _write(tmp_path / "a.en.txt", EN + " Edited.")  # changed between planning and processing
    result = process_item(tmp_path, item, PipelineConfig())
    assert result.raw_hash != planned and result.raw_hash == item_hash(tmp_path, item)
    assert "Edited" in result.en.text


def test_an_empty_side_of_a_pair_leaves_the_other_processed_alone_and_named(
    tmp_path: Path,
) -> None:
    """A Russian source whose English file is empty (an MT export that failed) is a source
    without MT, not a fault of the pair: it is processed, and a warning names the empty file.
    Both empty, or another fault of one file (cut UTF-8), still quarantines the pair."""
    from cleaners.config import PipelineConfig
    from cleaners.pipeline import process_item

    _write(tmp_path / "a.ru.txt", RU)
    _write(tmp_path / "a.en.txt", b"")
    _write(tmp_path / "b.ru.txt", b" \n\t\n")
    _write(tmp_path / "b.en.txt", EN)
    _write(tmp_path / "c.ru.txt", b"")
    _write(tmp_path / "c.en.txt", b"\n")
    _write(tmp_path / "d.ru.txt", RU.encode()[:-2])  # cut inside its last letter
    _write(tmp_path / "d.en.txt", b"")
    records = [{"id": "e", "ru": RU, "en": ""}, {"id": "f", "ru": " \n", "en": EN}]
    records.append({"id": "g", "ru": RU})  # no "en" at all: no MT, not an empty one
    _write(tmp_path / "e.jsonl", "".join(json.dumps(r) + "\n" for r in records))
    items = {it.id: it for it in discover(tmp_path, CFG)}
    got = {k: process_item(tmp_path, it, PipelineConfig()) for k, it in sorted(items.items())}
    a, b, c, d, e = (got[k] for k in "abcde")
    assert a.ru is not None and a.en is None and a.sources == ["a.en.txt", "a.ru.txt"]
    assert a.warnings[0] == "empty-side: a.en.txt: file is empty; the other side is processed alone"
    assert a.warnings[1].startswith("no-translation")
    assert b.en is not None and b.ru is None
    assert b.warnings[0].startswith("empty-side: b.ru.txt: file holds only whitespace")
    assert c.reason == E.EMPTY and "c.en.txt" in c.detail and "c.ru.txt" in c.detail
    assert d.reason == E.TRUNCATED and "d.ru.txt" in d.detail
    # A JSONL record's empty side is said as an empty file is (it was only "no-translation").
    assert e.ru is not None and e.en is None
    assert (
        e.warnings[0] == 'empty-side: e.jsonl:1: "en" is empty; the other side is processed alone'
    )
    assert e.warnings[1].startswith("no-translation")
    f, g = got["f"], got["g"]
    assert f.en is not None and f.ru is None
    assert f.warnings[0].startswith('empty-side: e.jsonl:2: "ru" holds only whitespace')
    assert g.warnings[0].startswith("no-translation")
    # The hash is still of both files: filling the empty one makes a rerun redo the document.
    assert a.raw_hash == item_hash(tmp_path, items["a"])
    _write(tmp_path / "a.en.txt", EN)
    assert item_hash(tmp_path, items["a"]) != a.raw_hash


def test_a_bad_file_of_a_pair_says_the_other_is_held_back_with_it(tmp_path: Path) -> None:
    """One binary (or cut, or too large) file of a pair quarantines the pair, by design: the
    document waits for its fixed side (an empty file, a side not there yet, does not). The
    quarantine detail named only the bad file, so the good one seemed lost; it now says the
    pair's other file is held back and how to go on."""
    from cleaners.config import PipelineConfig
    from cleaners.pipeline import process_item

    _write(tmp_path / "f.ru.txt", RU)
    _write(tmp_path / "f.en.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    _write(tmp_path / "g.en.txt", b"\x00\x01\x02")  # a lone file: no pair to mention
    _write(tmp_path / "h.jsonl", json.dumps({"id": "h", "ru": RU, "en": "a\x00b"}) + "\n")
    items = {it.id: it for it in discover(tmp_path, CFG)}
    f, g, h = (process_item(tmp_path, items[k], PipelineConfig()) for k in "fgh")
    assert f.reason == E.BINARY and f.sources == ["f.en.txt", "f.ru.txt"]
    assert f.detail.startswith("f.en.txt: ")
    assert f.detail.endswith(
        "(the pair's f.ru.txt is held back with it: fix or remove f.en.txt and run again)"
    )
    # Negative: a lone file, and a JSONL record (one line, no second file), say nothing more.
    assert g.reason == E.BINARY and "held back" not in g.detail
    assert h.reason == E.BINARY and "held back" not in h.detail
