"""The in-memory records: a long side's raw text is made again from its edits."""

from cleaners.model import LAZY_RAW, Document, SideDoc, unreplay
from cleaners.repair import repair


def _long_side() -> tuple[str, SideDoc]:
    raw = "trade andeconomic ties at 18: 18 - the the end\n" * (LAZY_RAW // 40)
    result = repair(raw, "en")
    assert result.edits and len(raw) >= LAZY_RAW
    return raw, SideDoc(raw, result.text, "utf-8", edits=list(result.edits))


def test_long_side_gives_its_raw_text_back_without_holding_it() -> None:
    raw, side = _long_side()
    assert side._raw is None  # not a second copy beside the repaired text
    assert side.raw_text == raw
    assert side.to_dict()["raw_text"] == raw
    assert SideDoc.from_dict(side.to_dict()) == side


def test_raw_text_the_edits_do_not_give_back_is_held() -> None:
    raw, side = _long_side()
    other = "x" + raw[1:]  # edits unchanged: undoing them gives ``raw``, not this
    kept = SideDoc(other, side.text, "utf-8", edits=side.edits)
    assert kept._raw is other and kept.raw_text == other
    assert unreplay(side.text, side.edits) == raw


def test_short_side_is_held_as_given() -> None:
    side = SideDoc("a  b", "a b", "utf-8")  # no edits: held, whatever they say
    assert side.raw_text == "a  b"
    doc = Document("d", ["d.ru.txt"], "h", en=side)
    assert Document.from_dict(doc.to_dict()) == doc


def test_streamed_record_writes_the_same_json(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from cleaners.fsutil import atomic_write_json
    from cleaners.model import Bead, Segment

    raw, side = _long_side()
    side.segments = [Segment("body", "a b", meta={"k": 1}, sentences=["a b"])] * 3
    doc = Document("d", ["d.en.txt"], "h", en=side, beads=[Bead((0,), (1,), 0.5)] * 2)
    atomic_write_json(tmp_path / "plain.json", doc.to_dict())
    atomic_write_json(tmp_path / "streamed.json", doc.to_dict(streamed=True))
    assert (tmp_path / "plain.json").read_bytes() == (tmp_path / "streamed.json").read_bytes()
    empty = Document("e", [], "h", en=SideDoc("x", "x", "utf-8"))
    atomic_write_json(tmp_path / "empty.json", empty.to_dict(streamed=True))
    assert (tmp_path / "empty.json").read_text(encoding="utf-8").count("[]") >= 4


def test_streamed_long_texts_write_the_same_json(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Long texts (a held raw text, a one-line side's segment) are written a piece at a time,
    escapes and all, as the whole strings are."""
    from cleaners.fsutil import atomic_write_json
    from cleaners.model import Segment

    line = 'He said "no" \\ \t ок\x01 — ' * (3 * LAZY_RAW // 20)
    raw, side = _long_side()
    held = SideDoc("x" + line, line, "utf-8")  # no edits give the raw text back: held
    held.segments = [Segment("body", line.strip(), sentences=["He said"])]
    doc = Document("d", ["d.ru.txt", "d.en.txt"], "h", ru=held, en=side)
    atomic_write_json(tmp_path / "plain.json", doc.to_dict())
    atomic_write_json(tmp_path / "streamed.json", doc.to_dict(streamed=True))
    assert (tmp_path / "plain.json").read_bytes() == (tmp_path / "streamed.json").read_bytes()


def test_bead_signals_are_held_packed_and_given_back_exactly() -> None:
    """A measured bead's filter signals are one bytes object, not a 16-field tuple (the
    reload of a 20 MB pair holds ~100,000), and come back equal, type for type, so docs/
    are written as before; values packing cannot give back are held as given."""
    import json
    import sys

    from cleaners.model import Bead, FilterSignals, PackedSignals

    s = FilterSignals(120, 7, 20, 3, 0.0, 1.0, 0.9830508474576272, "ru", "zh-cn", 0.9999971,
                      0.5714, 0, 2, False, True, True)  # fmt: skip
    bead = Bead((4,), (5, 6), 0.5, "length+lex", pair_adequacy=0.9, signals=s)
    assert isinstance(bead.signals, PackedSignals)
    assert sys.getsizeof(bead.signals) < sys.getsizeof(s)
    back = bead.filter_signals()
    assert back == s and [type(v) for v in back] == [type(v) for v in s]
    record = bead.to_dict()
    assert record["signals"] == s._asdict()
    again = Bead.from_dict(json.loads(json.dumps(record)))
    assert again == bead and json.dumps(again.to_dict()) == json.dumps(record)
    odd = s._replace(copied=0)  # an int where a float is due: packed, it would come back 0.0
    kept = Bead((4,), (5,), 0.5, pair_adequacy=0.1, signals=odd)
    assert kept.signals is odd and json.dumps(kept.to_dict()["signals"]["copied"]) == "0"
    assert Bead((4,), (5,), 0.5).filter_signals() is None


def test_raw_slicer_cuts_what_the_whole_raw_text_would() -> None:
    """The edit log's contexts come from slices of a long side's raw text that is never made
    whole: every slice, across pieces and edits of every kind, is the whole text's."""
    raw, side = _long_side()
    assert side._raw is None
    cut = side.raw_slicer()
    n = len(raw)
    starts = sorted({0, 1, n - 1, n, *(e.start for e in side.edits[:50]), *range(0, n, 997)})
    for a in starts:
        for width in (0, 1, 5, 60, 200, 3000):
            assert cut(a, a + width) == raw[a : a + width], (a, width)
    held = SideDoc("a  b", "a b", "utf-8")
    assert held.raw_slicer()(1, 3) == "  "
