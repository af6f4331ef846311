"""The ftfy gate and the sloppy codecs stand in for ftfy without importing it: check
them against ftfy itself."""

from __future__ import annotations

import json
import os
import random
import re
import stat
from pathlib import Path

import ftfy
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners.fsutil import atomic_write_text
from cleaners.repair import ftfy_gate, sloppy  # noqa: F401  (sloppy registers codecs)
from cleaners.repair.builders import ftfy_gate as build_ftfy_gate

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
CONFIG = ftfy.TextFixerConfig(uncurl_quotes=False, explain=False)


def _changes(line: str) -> bool:
    return ftfy.fix_text(line, CONFIG) != line


def test_table_matches_installed_ftfy() -> None:
    shipped = json.loads(ftfy_gate.TABLE.read_text(encoding="utf-8"))
    assert shipped == build_ftfy_gate.build(), "regenerate: python -m cleaners.repair.build_tables"
    assert ftfy_gate.installed_version() == ftfy.__version__


@pytest.mark.parametrize(
    "line",
    [
        "cafÃ© time",  # UTF-8 read as latin-1
        "Ð¿Ñ€Ð¸Ð²ÐµÑ‚",  # Russian UTF-8 read as cp1252
        "P&eacute;rez",  # HTML entity
        "ﬁnal",  # ligature
        "ＦＵＬＬ",  # full width
        "line\rbreak",
        "e\u0301",  # NFC
        "a\x00b",  # control character
        "\x1b[31mred",  # terminal escape
    ],
)
def test_lines_ftfy_changes_pass_the_gate(line: str) -> None:
    assert _changes(line)
    assert ftfy_gate.would_change(line)


def test_benign_non_ascii_skips_ftfy() -> None:
    for line in ("Oliver Näes in Düsseldorf", "+22 °C, €185", "21 × 27.5 cm", "Lõuna — «да»"):
        assert not _changes(line)
        assert not ftfy_gate.would_change(line)


# Characters ftfy's heuristic and tables are about, mixed with ordinary text.
_ALPHABET = st.sampled_from(
    list("abcXYZ Ð¿Ñ€Ã©Â€™œ…–—‘’“”«»°±×÷µ¶§¤¦¨¬¯¸ƒˆ˜ß∂√≈")
    + list("äöüéèàçñõ")
    + list("яжЁё")
    + ["\u00a0", "\u0301", "\u0308", "ﬁ", "Ａ", "\r", "\x85", "\x9d", "\x01", "\ufeff", "&", ";"]
    + ["&amp;", "&eacute;", "\u2028", "€", "£", "¢", "¥", "©", "®", "¡", "¿", "�"]
)


@settings(max_examples=3000, deadline=None)
@given(st.lists(_ALPHABET, min_size=1, max_size=12).map("".join))
def test_gate_false_means_ftfy_keeps_the_line(line: str) -> None:
    if not ftfy_gate.would_change(line):
        assert not _changes(line), repr(line)


def test_gate_on_real_mt_lines() -> None:
    outputs = sorted((SHARED / "wmt21-newstest-ru-en" / "system_outputs").glob("*.txt"))
    if not outputs:
        pytest.skip(f"real MT outputs are not at {SHARED} (../shared/data)")
    skipped = 0
    for path in outputs[:4]:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not ftfy_gate.would_change(line):
                skipped += 1
                assert not _changes(line), repr(line)
    assert skipped > 1000


def test_sloppy_codecs_match_ftfys() -> None:
    from ftfy.bad_codecs.sloppy import CODECS

    everything = bytes(range(256))
    for number in ("1251", "1252"):
        theirs = CODECS[f"sloppy_windows_{number}"]
        text = theirs.decode(everything)[0]
        assert everything.decode(f"sloppy-windows-{number}") == text
        assert text.encode(f"sloppy-windows-{number}") == everything


def test_atomic_writes_get_the_umask_mode(tmp_path: Path) -> None:
    path = tmp_path / "out.txt"
    atomic_write_text(path, "x")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask


_NAMED = sorted({c for c in ftfy.badness.BADNESS_RE.pattern if ord(c) > 0x9F})
_ASCII = st.sampled_from([chr(i) for i in range(32, 127)] + ["\t"])


@settings(max_examples=4000, deadline=None)
@given(st.lists(st.tuples(_ASCII, st.sampled_from(_NAMED)), min_size=1, max_size=10))
def test_heuristic_needs_adjacent_non_ascii_or_a_lone_trigger(pairs: list[tuple[str, str]]) -> None:
    # Non-ASCII characters the heuristic names, each between ASCII ones.
    line = "".join(a + c for a, c in pairs) + pairs[0][0]
    if not ftfy_gate._lone().search(line):
        assert not ftfy.badness.BADNESS_RE.search(line), repr(line)


def _pattern_chars() -> list[str]:
    """Every non-ASCII character the heuristic's pattern names, ranges spelled out
    (C1 controls left out: the gate sends them to ftfy on their own)."""
    pattern = ftfy.badness.BADNESS_RE.pattern
    chars = {c for c in pattern if ord(c) > 0x9F}
    for m in re.finditer(r"(.)-(.)", pattern):
        chars.update(map(chr, range(ord(m.group(1)), ord(m.group(2)) + 1)))
    return sorted(c for c in chars if ord(c) > 0x9F)


# Beside the named characters, ones that only its \s, \w and . match.
_OTHERS = list("ыдПВГРСвé\u00a0\u2009\u3000")


def _matches(line: str) -> bool:
    return bool(ftfy.badness.BADNESS_RE.search(line))


def test_alternatives_are_the_whole_pattern() -> None:
    table = ftfy_gate._table()
    assert table is not None
    whole = re.compile("|".join(table["alternatives"]))
    rng = random.Random(7)
    chars = _pattern_chars() + _OTHERS + list("aZ .,\t\n")
    for _ in range(20000):
        line = "".join(rng.choices(chars, k=rng.randint(1, 8)))
        found, theirs = whole.search(line), ftfy.badness.BADNESS_RE.search(line)
        assert (found and found.span()) == (theirs and theirs.span()), repr(line)


def test_pair_screen_holds_for_every_two_named_characters() -> None:
    """The screen finds every match of two characters side by side, in the ASCII
    contexts the heuristic's three-atom alternatives need (a letter, a space)."""
    chars = _pattern_chars() + _OTHERS
    for x in chars:
        for y in chars:
            for line in (f"a{x}{y}a", f" {x}{y} ", f"{x}{y}"):
                if _matches(line):
                    assert ftfy_gate._heuristic_matches(line), repr(line)


@settings(max_examples=4000, deadline=None)
@given(
    st.lists(
        st.sampled_from(_pattern_chars() + _OTHERS + list("aZ .,\t")), min_size=2, max_size=8
    ).map("".join)
)
def test_screened_search_is_the_heuristic_on_random_runs(line: str) -> None:
    assert ftfy_gate._heuristic_matches(line) == _matches(line), repr(line)


def test_benign_pairs_need_no_heuristic() -> None:
    # Two accented letters side by side are common in names; "°С" (a Cyrillic С) could
    # only be mojibake after one of ВГРС: neither needs the whole pattern compiled (the
    # gate's point), and neither matches.
    for line in ("Oliver Nääes", "Hämäläinen", "Nguyễn", "—“quoted”", "+22 °С…"):
        ftfy_gate._badness.cache_clear()
        assert not ftfy_gate._heuristic_matches(line), line
        assert ftfy_gate._badness.cache_info().currsize == 0, line
        assert not _matches(line)
    assert not ftfy_gate._paired_alternatives("Oliver Nääes")
