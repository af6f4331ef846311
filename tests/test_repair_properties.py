"""Property tests (hypothesis) for the repair engine.

* replaying the edits on the input reproduces the output, for any text;
* repair is idempotent;
* text with no artifact comes back byte-identical (English and Russian);
* no letter disappears without a recorded edit.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaners.repair import repair, replay
from cleaners.repair.words import dictionary_words

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Pieces with and without artifacts, so that rules fire and interact.
PIECES = [
    "trade",
    "andeconomic",
    "and",
    "investment",
    "inRussia",
    "talks.The",
    "18: 18",
    "the the",
    "Tokayev",
    "Novorossiysk",
    "Kassym-Jomart",
    "pin_code",
    "rotkiv04",
    "APU",
    "Xijingping",
    "cafÃ©",
    "Ïðèâåò",
    "ìèð",
    "Meжду",
    "Officе",
    ",",
    ".",
    " ,",
    "  ",
    "\n",
    "\n\n",
    "- the",
    "leader",
    "told",
    "the",
    "press",
    "  1. pin_code Offline pin_code",
    "«Привет»",
    "мир",
    "—",
    "’",
    "&amp;",
    "https://example.com/a.b",
    "a@b.ru",
    "10km",
    "•",
    "Offline",
]
messy = st.lists(st.sampled_from(PIECES), max_size=30).map(lambda xs: " ".join(xs))
anything = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=200)


@SETTINGS
@given(st.one_of(messy, anything))
def test_replay_reproduces_and_edits_are_well_formed(text: str) -> None:
    for lang in ("en", "ru"):
        r = repair(text, lang)
        assert replay(text, r.edits) == r.text
        for a, b in zip(r.edits, r.edits[1:], strict=False):
            assert a.end <= b.start
        assert all(text[e.start : e.end] == e.before for e in r.edits)


@SETTINGS
@given(messy)
def test_idempotent(text: str) -> None:
    once = repair(text, "en").text
    assert repair(once, "en").text == once


@SETTINGS
@given(st.one_of(messy, anything))
def test_no_letter_disappears_unrecorded(text: str) -> None:
    r = repair(text, "en")
    untouched = list(text)
    for e in reversed(r.edits):
        del untouched[e.start : e.end]
    out_letters = Counter(c for c in r.text if c.isalpha())
    kept = Counter(c for c in untouched if c.isalpha())
    added = Counter(c for e in r.edits for c in e.after if c.isalpha())
    # Every letter outside the edits is still there; the rest came from an edit.
    assert out_letters == kept + added


# Clean text built from dictionary words, names and well-placed punctuation.
_EN_WORDS = sorted(w for w in dictionary_words() if 2 <= len(w) <= 10)[::97] or ["word"]
_NAMES = ["Tokayev", "Novorossiysk", "Kassym-Jomart", "Aliyev", "Astana", "Lomsadze"]
_RU_WORDS = [
    "президент",
    "встретился",
    "с",
    "коллегой",
    "в",
    "Астане",
    "Токаев",
    "нефть",
    "поставки",
    "через",
    "Каспий",
    "и",
    "заявил",
    "что",
    "решение",
    "принято",
]


def _sentence(words: list[str]) -> str:
    return words[0][:1].upper() + " ".join(words)[1:] + "."


# Sentences differ: one said three times in a row is a looping MT (collapse_sentence_loop).
clean_en = st.lists(
    st.lists(st.sampled_from(_EN_WORDS + _NAMES), min_size=3, max_size=12, unique=True).map(
        _sentence
    ),
    min_size=1,
    max_size=4,
    unique=True,
).map(" ".join)
clean_ru = st.lists(
    st.lists(st.sampled_from(_RU_WORDS), min_size=3, max_size=12, unique=True).map(_sentence),
    min_size=1,
    max_size=4,
).map(" ".join)


@SETTINGS
@given(clean_en)
def test_clean_english_unchanged(text: str) -> None:
    assert repair(text, "en").edits == []


@SETTINGS
@given(clean_ru)
def test_clean_russian_unchanged(text: str) -> None:
    assert repair(text, "ru").edits == []


DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def test_false_splits_on_real_clean_english() -> None:
    """The fused-word rule on FLORES dev English: at most 0.3 splits per 1,000 tokens."""
    path = DATA / "flores200" / "dev.eng_Latn.txt"
    if not path.exists():
        pytest.skip(f"FLORES dev English is not at {path}")
    lines = path.read_text(encoding="utf-8").splitlines()
    tokens = sum(len(s.split()) for s in lines)
    splits = sum(1 for s in lines for e in repair(s, "en").edits if "split_fused_words" in e.rule)
    assert 1000 * splits / tokens <= 0.3


# --- the composer's one-pass path -------------------------------------------------


def _edit_batches(draw, text: str, rule: str) -> list:
    """Sorted, non-overlapping edits of ``text`` (some empty, some touching)."""
    from cleaners.edit import Edit

    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=8)))
    edits, prev = [], -1
    for a, b in zip(cuts[::2], cuts[1::2], strict=False):
        if a <= prev:
            continue
        after = draw(st.sampled_from(["", " ", "x", "yy", text[a:b]]))
        edits.append(Edit(rule, a, b, text[a:b], after))
        prev = b
    return edits


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_one_pass_composer_equals_edit_by_edit(data) -> None:
    """Edits that touch nothing are applied in one pass; the result (text and changes against
    the original) is what applying them one at a time gives."""
    from cleaners.repair.engine import _Composer

    text = data.draw(st.text(alphabet="ab .", max_size=30))
    fast, slow = _Composer(text), _Composer(text)
    for k in range(data.draw(st.integers(1, 4))):
        edits = _edit_batches(data.draw, fast.text, f"r{k}")
        fast.apply(edits)
        for e in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
            if e.before != e.after:
                slow._apply_one(e)
        assert fast.text == slow.text
        assert fast.edits() == slow.edits()


def test_many_edits_one_pass() -> None:
    """A long text with an edit in every sentence is composed in one pass (linear), with
    the same edits as the edit-by-edit path."""
    from cleaners.edit import Edit
    from cleaners.repair.engine import _Composer

    text = "At 18: 30 we met. " * 3000
    edits = [Edit("t", i + 6, i + 7, " ", "") for i in range(0, len(text), 18)]
    fast, slow = _Composer(text), _Composer(text)
    fast.apply(edits)
    assert fast.text == "At 18:30 we met. " * 3000
    for e in reversed(edits[:50]):
        slow._apply_one(e)
    assert fast.edits()[:50] == slow.edits()


def _dense_batch(draw, text: str, rule: str) -> list:
    """Sorted, non-overlapping edits of ``text``, many touching each other: empty ones
    (several at one point), deletions end to end, replacements that give the text back."""
    from cleaners.edit import Edit

    edits, pos = [], 0
    while pos <= len(text):
        kind = draw(st.sampled_from(["skip", "insert", "insert", "replace", "replace"]))
        if kind == "skip":
            pos += draw(st.integers(1, 3))
        elif kind == "insert":
            edits.append(Edit(rule, pos, pos, "", draw(st.sampled_from(["", "a", " ", "ab"]))))
        else:
            end = min(len(text), pos + draw(st.integers(1, 3)))
            if end == pos:
                break
            after = draw(st.sampled_from(["", "a", "b ", text[pos:end]]))
            edits.append(Edit(rule, pos, end, text[pos:end], after))
            pos = end
    return edits


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_merging_composer_equals_edit_by_edit(data) -> None:
    """Edits that touch each other or earlier changes are merged in one sweep; the result
    (text and changes against the original, their rules and order) is what applying them
    one at a time, right to left, gives."""
    from cleaners.repair.engine import _Composer

    text = data.draw(st.text(alphabet="ab .", max_size=40))
    fast, slow = _Composer(text), _Composer(text)
    for k in range(data.draw(st.integers(1, 5))):
        edits = _dense_batch(data.draw, fast.text, f"r{k % 3}")
        fast.apply(edits)
        # right to left; two insertions at one point: the later one first (then "a", " " give "a ")
        for e in reversed(sorted(edits, key=lambda e: (e.start, e.end))):
            if e.before != e.after:
                slow._apply_one(e)
        assert fast.text == slow.text
        assert fast.edits() == slow.edits()
        assert replay(text, fast.edits()) == fast.text


def test_dense_touching_edits_merge_like_edit_by_edit() -> None:
    """'the the the …': pass after pass, each stutter edit touches the last pass's; the
    sweep merges them as the edit-by-edit path does (which took 30 s on 80 KB).

    collapse_word_stutter now takes a whole run in one edit, so the dense edits come from
    its former shape here: one repeat a match, halving the run each pass."""
    import re

    from cleaners.repair.engine import _Composer, make_edit

    pair = re.compile(r"\b(?P<w>\w+)(?P<rep>[ ]+(?P=w))\b")

    def fn(text: str) -> list:
        return [make_edit("stutter", text, m.start("rep"), m.end("rep"), "")
                for m in pair.finditer(text)]  # fmt: skip

    text = "the " * 1000 + "the\n"
    fast, slow = _Composer(text), _Composer(text)
    proposed = 0
    for _ in range(6):
        edits = [e for e in fn(fast.text) if e.before != e.after]
        proposed += len(edits)
        fast.apply(edits)
        for e in reversed(edits):
            slow._apply_one(e)
        assert (fast.text, fast.edits()) == (slow.text, slow.edits())
    assert len(fast.edits()) < proposed  # later passes' edits merged into earlier changes


def test_dense_touching_edits_on_a_long_text() -> None:
    """80 KB of one repeated word (a looping MT): the edits replay to the output, one word,
    the short text's shape at every length."""
    text = "the " * 20000 + "the\n"
    r = repair(text, "en")
    assert replay(text, r.edits) == r.text
    assert r.text == "the\n"
    assert len(r.edits) == 1
