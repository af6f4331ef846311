"""The repair engine on the user's example, its contract and its config."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaners.config import PipelineConfig, RepairConfig
from cleaners.model import Edit
from cleaners.repair import RULES, RepairResult, explain, repair, replay, untranslated_spans

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
EXAMPLE = SHARED / "seed" / "example.txt"


@pytest.fixture(scope="module")
def example() -> tuple[str, RepairResult]:
    if not EXAMPLE.exists():
        pytest.skip(f"the user's example is not at {EXAMPLE}")
    text = EXAMPLE.read_text(encoding="utf-8")
    return text, repair(text, "en")


def test_example_fixes(example: tuple[str, RepairResult]) -> None:
    _, r = example
    assert "trade and economic and investment" in r.text
    assert "18: " not in r.text
    for t in ("18:18", "19:14", "20:04", "20:19", "22:48", "00:43", "13:29"):
        assert t in r.text
    assert "infrastructure - the Azerbaijani leader told the press" in r.text
    assert "equipment AFU." in r.text and "APU" not in r.text
    assert "protected by Xi Jinping." in r.text


def test_example_keeps_names_handles_and_lines(example: tuple[str, RepairResult]) -> None:
    text, r = example
    for keep in ("Tokayev", "Novorossiysk", "Kassym-Jomart", "pin_code", "rotkiv04", "ukram"):
        assert r.text.count(keep) >= 1
    assert r.text.count("Tokayev") == text.count("Tokayev")
    # Only the attribution join removes line breaks.
    assert text.count("\n") - r.text.count("\n") == 2
    lines = r.text.splitlines()
    assert "  1. pin_code Offline" in lines
    assert "    pin_code (Andrey NK) April 10 2023 18:18" in lines
    assert "  4. rotkiv04 Offline" in lines


def test_example_replay_and_explain(example: tuple[str, RepairResult]) -> None:
    text, r = example
    assert replay(text, r.edits) == r.text
    starts = [e.start for e in r.edits]
    assert starts == sorted(starts)
    assert all(a.end <= b.start for a, b in zip(r.edits, r.edits[1:], strict=False))
    assert all(text[e.start : e.end] == e.before for e in r.edits)
    shown = explain(text, r.edits)
    assert "split_fused_words" in shown and "'andeconomic' → 'and economic'" in shown
    assert len(shown.splitlines()) == len(r.edits)


def test_idempotent_on_example(example: tuple[str, RepairResult]) -> None:
    _, r = example
    again = repair(r.text, "en")
    assert again.text == r.text and again.edits == []


def test_multi_pass_edits_compose_onto_original() -> None:
    # ftfy fixes the mojibake, then the stutter rule sees "the the": both map to the input.
    text = "in the the cafÃ© , now"
    r = repair(text, "en")
    assert r.text == "in the café, now"
    assert replay(text, r.edits) == r.text


def test_overlapping_edits_merge_into_one() -> None:
    # fix_cyrillic_mojibake then a later rule touching the same span: one merged edit.
    text = "Ïðèâåò  ìèð"
    r = repair(text, "ru")
    assert replay(text, r.edits) == r.text == "Привет мир"
    assert len(r.edits) == 1 and "fix_cyrillic_mojibake" in r.edits[0].rule


def test_replay_rejects_an_edit_that_does_not_fit() -> None:
    with pytest.raises(ValueError):
        replay("abc", [Edit("x", 0, 1, "z", "y")])


def test_clean_text_untouched() -> None:
    text = "Kassym-Jomart Tokayev met Ilham Aliyev in Astana on July 5, 2022.\n\nHe said: “Yes.”"
    assert repair(text).edits == []
    ru = "Президент Казахстана Касым-Жомарт Токаев встретился с Ильхамом Алиевым в Астане."
    assert repair(ru, "ru").edits == []


def test_rules_can_be_switched_off_and_parameterised() -> None:
    text = "trade andeconomic ties"
    cfg = RepairConfig(disable=["split_fused_words"])
    assert repair(text, "en", cfg).text == text
    folded = repair("it’s — ok", "en", RepairConfig(enable=["fold_quotes", "fold_dashes"]))
    assert folded.text == "it's - ok"
    long_only = RepairConfig(params={"join_broken_lines": {"min_line": 500}})
    broken = "The presidents signed an appropriate document providing for\nthe route."
    assert repair(broken, "en", long_only).text == broken
    assert repair("x", "en", RepairConfig(enabled=False)).edits == []


def test_config_rejects_unknown_rules_and_params() -> None:
    with pytest.raises(ValueError, match="unknown repair rule"):
        RepairConfig(disable=["split_fused_wrds"])
    with pytest.raises(ValueError, match="no parameter"):
        RepairConfig(params={"join_broken_lines": {"min_lines": 3}})
    with pytest.raises(ValueError):
        PipelineConfig.model_validate({"repair": {"disabled": []}})


def test_user_glossary(tmp_path: Path) -> None:
    extra = tmp_path / "mine.tsv"
    extra.write_text("# mine\nRosgvardia\tRosgvardiya\tspelling\n", encoding="utf-8")
    r = repair("Rosgvardia and APU troops", "en", RepairConfig(glossary=[str(extra)]))
    assert r.text == "Rosgvardiya and AFU troops"
    assert {e.rule for e in r.edits} == {"apply_glossary"}


def test_glossary_document_conditions_hold_for_every_match_of_each_entry(tmp_path: Path) -> None:
    # doc= and unless= are read once per text and entry (a long page repeating a term read
    # the whole text at every match): still each entry by its own conditions, every match.
    extra = tmp_path / "mine.tsv"
    extra.write_text(
        "fooz\tfoo\t\tdoc=harbour\nbarz\tbar\t\tunless=harbour\n"
        "bazz\tbaz\t\tdoc=harbour unless=airport\nquxx\tqux\t\tdoc=airport\n",
        encoding="utf-8",
    )
    line = "the fooz, barz, bazz and quxx went on. "
    # (300 copies in a row are a looping MT's: that rule is not the subject here)
    cfg = RepairConfig(glossary=[str(extra)], disable=["collapse_sentence_loop"])
    r = repair("At the harbour: " + line * 300, "en", cfg)
    assert r.text == "At the harbour: " + "the foo, barz, baz and quxx went on. " * 300
    assert len(r.edits) == 600
    r = repair(line * 300 + "No harbour, an airport.", "en", cfg)
    assert r.text == "the foo, barz, bazz and qux went on. " * 300 + "No harbour, an airport."


def test_a_user_glossary_entry_keeps_a_sentence_start_capitalised(tmp_path: Path) -> None:
    # "the fix takes the found text's case": a capitalised "Sanctionz" became "sanctions"
    extra = tmp_path / "mine.tsv"
    extra.write_text("sanctionz\tsanctions\tspelling\n", encoding="utf-8")
    r = repair(
        "Sanctionz hit. New sanctionz, SANCTIONZ.", "en", RepairConfig(glossary=[str(extra)])
    )
    assert r.text == "Sanctions hit. New sanctions, SANCTIONS."


def test_registry_declares_every_rule() -> None:
    for name, r in RULES.items():
        assert r.name == name and r.risk and r.doc
        assert r.langs


def test_untranslated_spans() -> None:
    text = "The governor said Всё будет хорошо, then left."
    spans = untranslated_spans(text)
    assert [text[a:b] for a, b in spans] == ["Всё будет хорошо"]


def test_a_sentence_ending_in_a_time_or_a_year_gets_its_space() -> None:
    """``18: 18.The mayor`` (a broken time glued to the next sentence) reads ``18:18. The
    mayor``: the time is joined and the sentence after it set apart; decimals and dotted
    numbers stay as written."""
    r = repair("At 18: 18.The mayor spoke. It grew 2.5 percent in 2023.In May.", "en")
    assert r.text == "At 18:18. The mayor spoke. It grew 2.5 percent in 2023. In May."


def test_diff_edits_word_by_word_on_a_long_repeated_line() -> None:
    """A line of one mojibake word repeated (difflib on the whole line was quadratic): each
    word is its own edit, and the edits replay to the fixed line."""
    from cleaners.repair.encoding import diff_edits

    old = "x " + "ÐÑÐÑÐÑÐ¾ " * 300
    new = "x " + "ÐÑÐÑÐÑо " * 300
    edits = diff_edits("fix_encoding_ftfy", old, new)
    assert len(edits) == 300
    assert {(e.before, e.after) for e in edits} == {("Ð¾", "о")}
    assert replay(old, edits) == new


def test_a_paragraph_that_is_only_a_looped_function_word_goes() -> None:
    # A looping MT's "the the … the" as a paragraph of its own: collapsed to one "the", it was
    # a paragraph of one function word in text/ (and a segment); the paragraph goes, recorded.
    text = "The mayor met the minister.\n\n" + " ".join(["the"] * 60) + "\n\nThen it rained.\n"
    r = repair(text, "en")
    assert r.text == "The mayor met the minister.\n\nThen it rained.\n"
    assert replay(text, r.edits) == r.text
    assert any("collapse_word_stutter" in e.rule for e in r.edits)
    last = "The mayor met the minister.\n\n" + " ".join(["the"] * 60) + "\n"
    assert repair(last, "en").text == "The mayor met the minister.\n"
    # Inside a sentence the run keeps its one word; a text of nothing else keeps it too.
    assert repair("held in the the the city.\n", "en").text == "held in the city.\n"
    assert repair("the the the\n", "en").text == "the\n"


def test_an_attribution_opening_with_the_quotes_comma_is_joined() -> None:
    """Russian «…», — сказал X gives MT the quote's comma at the start of the attribution's
    paragraph (``time\\n\\n, - said the director``): joined to the quote, comma first; the same
    in Russian, and without the dash. A comma-led line with no speech verb is left alone."""
    text = "for the first time\n\n, - said the director of the museum Anna Krechetova.\n"
    r = repair(text, "en")
    assert r.text == "for the first time, - said the director of the museum Anna Krechetova.\n"
    assert replay(text, r.edits) == r.text
    assert repair("We are ready to help\n\n, said the mayor.", "en").text == (
        "We are ready to help, said the mayor."
    )
    assert repair("Мы готовы помочь»\n\n, — заявил мэр.", "ru").text == (
        "Мы готовы помочь», — заявил мэр."
    )
    assert repair("He bought apples\n\n, pears and plums.", "en").text == (
        "He bought apples\n\n, pears and plums."
    )


def test_an_attribution_naming_the_speaker_by_a_long_title_is_joined() -> None:
    """Russian names a speaker by title and name before the verb: ``- the official
    representative of the Russian Foreign Ministry Maria Zakharova said`` (the verb the 11th
    word) was left on its own paragraph."""
    text = (
        "The talks will continue next week\n\n- the official representative of the Russian "
        "Foreign Ministry Maria Zakharova said at a briefing.\n"
    )
    assert repair(text, "en").text == text.replace("\n\n-", " -")
    lead = "We expect growth\n\n, - the head of the Ministry of Economic Development Maxim"
    assert repair(lead + " Reshetnikov told reporters.", "en").text.startswith(
        "We expect growth, - the head"
    )


@pytest.mark.parametrize("colon", ["\u0589", "\u2236", "\ua789", "\uff1a", "\u02d0"])
def test_a_time_written_with_a_colons_look_alike_gets_the_colon(colon: str) -> None:
    """MT (and OCR) write a look-alike for a time's colon, the Armenian full stop ``01։ 23
    hours`` among them: ``join_split_times`` knew ``:`` alone. Now the time is joined and its
    colon written ``:``, split or not, in English and Russian; the same character outside a
    time (a label, a ratio, no time-like context) is left alone. (ftfy writes a fullwidth
    colon as ``:`` wherever it is, before this rule.)"""
    fullwidth = colon == "\uff1a"
    for given in (
        f"The siren sounded at 07{colon} 45 hours.",
        f"The siren sounded at 07{colon}45.",
    ):
        r = repair(given, "en")
        assert r.text == given.replace(f"07{colon} 45", "07:45").replace(f"07{colon}45", "07:45")
        assert replay(given, r.edits) == r.text
        if not fullwidth:
            assert {e.rule for e in r.edits} == {"join_split_times"}
    assert repair(f"Поезд ушёл в 22{colon}05.", "ru").text == "Поезд ушёл в 22:05."
    for kept in (
        f"Section 12{colon} 30 pages",
        f"a scale of 1{colon}50 000 maps",
        f"won 3{colon}2",
    ):
        assert repair(kept, "en").text == (kept.replace(colon, ":") if fullwidth else kept)


def test_a_name_in_s_spaced_from_its_possessive_apostrophe_is_joined() -> None:
    """MT spaced the possessive apostrophe of a name ending in s (``The Hockey News ' Ryan
    Kennedy``): joined by ``fix_quote_spacing``, straight or curly, before a name or a word.
    Two on one line are both joined, unless only a title stands between them (``Dogs ' Island
    Tales ' in Europe``: a quotation). A single quote that may open a quotation (another that is
    not such a possessive stands apart later on the line, or a lowercase word before it) keeps
    its spaces."""
    for apo in ("'", "\u2019"):
        text = f"Boston Celtics {apo} new coach wrote.\nAs The Daily Times {apo} Anna Lee said."
        r = repair(text, "en")
        assert r.text == text.replace(f" {apo} ", f"{apo} ")
        assert {e.rule for e in r.edits} == {"fix_quote_spacing"}
    # Two on one line: each joined (the first was left, the second taken for its closing quote).
    for apo in ("'", "\u2019"):
        text = f"As The Daily Times {apo} Anna Lee said, the Rangers {apo} coach agreed."
        r = repair(text, "en")
        assert r.text == text.replace(f" {apo} ", f"{apo} ")
        assert [e.rule for e in r.edits] == ["fix_quote_spacing"] * 2
        assert replay(text, r.edits) == r.text
    # A title between two such quotes is a quotation, not two possessives; a possessive
    # after it on the line is still joined.
    for apo in ("'", "\u2019"):
        text = f"The film Dogs {apo} Island Tales {apo} in Europe, says the Times {apo} critic."
        r = repair(text, "en")
        assert r.text == text.replace(f"Times {apo} ", f"Times{apo} ")
    for kept in (
        "The film was called Dogs ' Island ' in Europe.",
        "Dogs ' Island Tales ' in Europe",
        "The Cats ' Night Of Cards ' ran for years.",
        "The Daily Times ' Anna Lee read the Beatles ' Yesterday ' aloud.",
        "Then he says ' we will win it all.",
        "Scores of 5 ' 30 were read.",
    ):
        assert repair(kept, "en").text == kept, kept
