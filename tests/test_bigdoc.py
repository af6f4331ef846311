"""Big documents under the default config: a 20 MB pair is read, not quarantined, and a
book-length pair of one line a side gives beads (issue 15; bench/bigdoc.py measures them).

Documents are built here from dev text (WMT21 source / reference A, FLORES dev), never copied.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaners import errors as E
from cleaners.config import InputConfig, PipelineConfig
from cleaners.fsutil import ChangedWriter
from cleaners.model import Document
from cleaners.pipeline import process_item
from cleaners.readers import discover, read_item

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
WMT = DATA / "wmt21-newstest-ru-en"
FLORES = DATA / "flores200"


def _dev_pairs() -> list[tuple[str, str]]:
    if not WMT.is_dir() or not FLORES.is_dir():
        pytest.skip(f"shared data not found at {DATA} (checkout without ../shared)")
    pairs: list[tuple[str, str]] = []
    for ru, en in (
        (WMT / "src.ru.txt", WMT / "ref.A.en.txt"),
        (FLORES / "dev.rus_Cyrl.txt", FLORES / "dev.eng_Latn.txt"),
    ):
        a = ru.read_text(encoding="utf-8").splitlines()
        b = en.read_text(encoding="utf-8").splitlines()
        pairs += [(x.strip(), y.strip()) for x, y in zip(a, b, strict=True) if x.strip()]
    return pairs


def _write_pair(folder: Path, pair_bytes: int, sep: str) -> int:
    """``doc.ru.txt`` + ``doc.en.txt`` of about ``pair_bytes`` together; returns their size."""
    pairs = _dev_pairs()
    ru: list[str] = []
    en: list[str] = []
    size, i = 0, 0
    while size < pair_bytes:
        r, e = pairs[i % len(pairs)]
        ru.append(r)
        en.append(e)
        size += len(r.encode()) + len(e.encode()) + 2
        i += 1
    total = 0
    for lang, sents in (("ru", ru), ("en", en)):
        data = (sep.join(sents) + "\n").encode()
        (folder / f"doc.{lang}.txt").write_bytes(data)
        total += len(data)
    return total


def test_default_limit_reads_a_20_mb_pair(tmp_path: Path) -> None:
    size = _write_pair(tmp_path, 20_000_000, "\n")
    assert size >= 20_000_000
    config = InputConfig()
    (item,) = discover(tmp_path, config)
    assert item.error is None
    read = read_item(tmp_path, item, config)
    assert read.error is None
    assert sorted(read.texts) == ["en", "ru"]
    assert sum(len(d.text.encode()) for d in read.texts.values()) == size


def test_default_limit_still_quarantines_a_bigger_file(tmp_path: Path) -> None:
    with open(tmp_path / "huge.en.txt", "wb") as fh:  # sparse: nothing is written
        fh.truncate(InputConfig().max_bytes + 1)
    (item,) = discover(tmp_path, InputConfig())
    assert item.error is not None and item.error.reason == E.TOO_LARGE


def test_one_line_a_side_gives_beads(tmp_path: Path) -> None:
    # Both sides one line (all of the dev text once, ~450 + 250 kB): the English came out
    # French (its few accented names) and the pair was left out of the corpus.
    _write_pair(tmp_path, 720_000, " ")
    (item,) = discover(tmp_path, InputConfig())
    doc = process_item(tmp_path, item, PipelineConfig())
    assert isinstance(doc, Document)
    assert doc.ru is not None and doc.en is not None
    assert (doc.ru.lang, doc.en.lang) == ("ru", "en")
    assert not any(w.startswith(("wrong-language", "swapped")) for w in doc.warnings)
    kept = [b for b in doc.beads if b.ru and b.en]
    assert len(kept) > 0.8 * min(len(doc.ru_sentences), len(doc.en_sentences))


@pytest.mark.parametrize("spill", [1 << 30, 64])
def test_changed_writer_keeps_an_unchanged_page(tmp_path: Path, spill: int) -> None:
    # A page written in pieces: in memory (small) or through a temp file (a big document).
    pieces = ["<html>", "Привет, " * 50, "world", "</html>\n"]
    path = tmp_path / "page.html"

    def write(parts: list[str]) -> bool:
        w = ChangedWriter(path)
        w.SPILL = spill
        for p in parts:
            w.write(p)
        return w.close()

    assert write(pieces) is True
    assert path.read_text(encoding="utf-8") == "".join(pieces)
    before = path.stat().st_mtime_ns
    assert write(pieces) is False
    assert path.stat().st_mtime_ns == before
    assert write([*pieces[:-1], "</html>!\n"]) is True
    assert path.read_text(encoding="utf-8").endswith("</html>!\n")
    assert write(pieces[:-1]) is True  # a prefix of the old page is a change too
    assert path.read_text(encoding="utf-8") == "".join(pieces[:-1])
    assert [p.name for p in tmp_path.iterdir()] == ["page.html"]  # no temp file left
