"""`mtclean align` on paragraphs against sentences (cleaners/segments.py), on FLORES dev text."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from cli_run import mtclean
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners import segments
from cleaners.align import align

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"


def _dev(lang: str, k: int) -> list[str]:
    path = SHARED / "flores200" / f"dev.{lang}.txt"
    if not path.exists():
        pytest.skip(f"shared data not found at {path} (the dev sets live beside the repo)")
    return path.read_text(encoding="utf-8").splitlines()[:k]


def _cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    r = mtclean("align", *args, stdin=stdin)
    assert r.returncode == 0, r.stderr
    return r


def _write(path: Path, lines: list[str]) -> str:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def _ids(k: range) -> str:
    return ",".join(map(str, k))


@pytest.mark.parametrize("paragraphs_on", ["ru", "en"])
def test_paragraph_lines_against_sentence_lines(tmp_path: Path, paragraphs_on: str) -> None:
    """Two paragraphs of ten sentences against the twenty sentences a line: each paragraph
    is one bead with its ten lines (the aligner's beads stop at four segments a side, and every
    line was left unaligned)."""
    ru, en = _dev("rus_Cyrl", 20), _dev("eng_Latn", 20)
    if paragraphs_on == "ru":
        ru = [" ".join(ru[:10]), " ".join(ru[10:])]
    else:
        en = [" ".join(en[:10]), " ".join(en[10:])]
    r = _cli(_write(tmp_path / "ru.txt", ru), _write(tmp_path / "en.txt", en))
    beads = [line.split("\t") for line in r.stdout.splitlines()]
    lines = (_ids(range(10)), _ids(range(10, 20)))
    expected = [("0", lines[0]), ("1", lines[1])]
    if paragraphs_on == "en":
        expected = [(b, a) for a, b in expected]
    assert [(b[0], b[1]) for b in beads] == expected
    assert all(float(b[2]) > 0.9 for b in beads)
    assert "sentence by sentence" in r.stderr


def test_de_fr_paragraphs_with_a_blank_line_and_jsonl(tmp_path: Path) -> None:
    """de–fr, German in three paragraphs with a blank line between two: the blank line is its
    own 1-0 bead, every French line in its paragraph's bead; the same as a JSONL record."""
    de, fr = _dev("deu_Latn", 30), _dev("fra_Latn", 30)
    paras = [" ".join(de[:7]), "", " ".join(de[7:20]), " ".join(de[20:])]
    langs = ("--src-lang", "de", "--tgt-lang", "fr")
    r = _cli(_write(tmp_path / "de.txt", paras), _write(tmp_path / "fr.txt", fr), *langs)
    beads = [tuple(line.split("\t")[:2]) for line in r.stdout.splitlines()]
    assert beads == [
        ("0", _ids(range(7))),
        ("1", ""),
        ("2", _ids(range(7, 20))),
        ("3", _ids(range(20, 30))),
    ]
    record = json.dumps({"id": "p", "ru": paras, "en": fr}, ensure_ascii=False)
    out = json.loads(_cli("--format", "jsonl", *langs, stdin=record + "\n").stdout)
    assert [(b[0], b[1]) for b in out["beads"]] == [
        ([0], list(range(7))),
        ([1], []),
        ([2], list(range(7, 20))),
        ([3], list(range(20, 30))),
    ]


def test_sentence_lines_on_both_sides_are_aligned_as_given() -> None:
    """FLORES dev lines on both sides (some lines two sentences): not split, the beads are the
    aligner's own."""
    ru, en = _dev("rus_Cyrl", 60), _dev("eng_Latn", 60)
    assert not segments.uneven(ru, en)
    beads = segments.by_sentence(ru, en, align)
    assert [(b.ru, b.en) for b in beads] == [((i,), (i,)) for i in range(60)]


_WORDS = ["Мост", "открыли", "bridge", "opened", "1998", "Traffic", "завтра", "x"]


@given(
    st.lists(st.lists(st.sampled_from(_WORDS), max_size=12), max_size=8),
    st.lists(st.lists(st.sampled_from(_WORDS), max_size=12), max_size=8),
    st.integers(0, 3),
)
@settings(max_examples=60, deadline=None)
def test_every_segment_in_exactly_one_bead_in_order(
    ru_words: list[list[str]], en_words: list[list[str]], every: int
) -> None:
    """Whatever the segments (blank ones too), each is in exactly one bead, beads in order."""

    def segment(words: list[str]) -> str:  # a sentence end after every ``every`` + 1 words
        return " ".join(
            w + ("." if (k + 1) % (every + 1) == 0 else "") for k, w in enumerate(words)
        )

    ru, en = [segment(w) for w in ru_words], [segment(w) for w in en_words]
    beads = segments.by_sentence(ru, en, align)
    assert [i for b in beads for i in b.ru] == list(range(len(ru)))
    assert [j for b in beads for j in b.en] == list(range(len(en)))
    assert all(0.0 <= b.score <= 1.0 for b in beads)
    assert all(b.score == 0.0 for b in beads if not (b.ru and b.en))


def test_blank_lines_are_beads_of_their_own(tmp_path: Path) -> None:
    """Blank lines (and a CRLF file's) on one side are 1-0 beads, never paired with a sentence
    (one at the end of a file was paired with the other side's last line)."""
    ru, en = _dev("rus_Cyrl", 5), _dev("eng_Latn", 5)
    gappy = [ru[0], "", ru[1], ru[2], "", "", ru[3], ru[4], "  "]
    path = tmp_path / "ru.txt"
    path.write_bytes(("\r\n".join(gappy) + "\r\n").encode())
    r = _cli(str(path), _write(tmp_path / "en.txt", en))
    beads = [tuple(line.split("\t")[:2]) for line in r.stdout.splitlines()]
    assert beads == [
        ("0", "0"),
        ("1", ""),
        ("2", "1"),
        ("3", "2"),
        ("4", ""),
        ("5", ""),
        ("6", "3"),
        ("7", "4"),
        ("8", ""),
    ]
    r = _cli(_write(tmp_path / "blank.txt", ["", "", ""]), _write(tmp_path / "one.txt", en[:1]))
    assert [tuple(line.split("\t")) for line in r.stdout.splitlines()] == [
        ("0", "", "0.0000"),
        ("1", "", "0.0000"),
        ("2", "", "0.0000"),
        ("", "0", "0.0000"),
    ]
