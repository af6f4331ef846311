"""An English MT that failed as a whole (no English at all) is told apart from the document's
English: cleaners.mtcheck on strings, then through the per-document chain on real files."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from cleaners.config import FiltersConfig, LidConfig, PipelineConfig, TranslateConfig
from cleaners.judge import decide_document
from cleaners.model import Bead, Document, Quarantined
from cleaners.mtcheck import (
    MT_FAILED,
    MT_INCOMPLETE,
    MT_UNTRANSLATED,
    english_failure,
    missing_tail,
)
from cleaners.pipeline import process_item
from cleaners.readers import discover

# Written for these tests (the tiny Argos package's news templates, in Russian, Ukrainian and
# German): a Russian source and English MTs that failed in different ways.
RU = (
    "Президент сегодня встретился с министром в Москве. Посол в понедельник обсудил "
    "торговлю в Берлине.\n\nГубернатор вчера приехал в Астане на 12 дней. Мэр поддержал "
    "туризм в Баку.\n"
)
UK = (
    "Президент сьогодні зустрівся з міністром у Москві. Посол у понеділок обговорив "
    "торгівлю в Берліні.\n\nГубернатор учора приїхав до Астани на 12 днів. Мер підтримав "
    "туризм у Баку.\n"
)
DE = (
    "Der Präsident traf sich heute mit dem Minister in Moskau. Der Botschafter sprach am "
    "Montag in Berlin über den Handel.\n\nDer Gouverneur ist gestern für 12 Tage nach Astana "
    "gereist. Der Bürgermeister unterstützte den Tourismus in Baku.\n"
)
EN = (
    "The president met with the minister in Moscow today. The ambassador discussed trade in "
    "Berlin on Monday.\n\nThe governor arrived in Astana yesterday for 12 days. The mayor "
    "supported tourism in Baku.\n"
)
# The MT stopped after the first paragraph; or in the middle of a sentence.
EN_HALF = EN.split("\n\n")[0] + "\n"
EN_CUT = EN_HALF + "\nThe governor arrived in Astana\n"


def test_english_failure_names_what_the_side_is() -> None:
    assert english_failure("en", EN, RU) is None
    assert english_failure("und", "12:30", RU) is None
    assert "copy of the Russian source" in english_failure("ru", RU, RU)
    assert "copy of the Russian source" in english_failure("ru", RU.replace("\n\n", "\n"), RU)
    assert "Russian" in english_failure("ru", RU[:60], RU)
    assert "'uk'" in english_failure("uk", UK, RU)
    assert "'de'" in english_failure("de", DE, None)


def test_missing_tail_is_the_russian_after_the_last_pair() -> None:
    def beads(*kinds: tuple[tuple[int, ...], tuple[int, ...]]) -> list[Bead]:
        return [Bead(r, e, 1.0) for r, e in kinds]

    whole = beads(((0,), (0,)), ((1,), (1,)), ((2, 3), (2,)))
    assert missing_tail(whole, 4) is None
    stopped = beads(((0,), (0,)), ((1,), (1,)), ((2,), ()), ((3,), ()))
    assert missing_tail(stopped, 4) == range(2, 4)
    # One credit line at the end of a long document: no MT that stopped.
    long = beads(*[((i,), (i,)) for i in range(20)], ((20,), ()))
    assert missing_tail(long, 21) is None
    # English after the last pair: the alignment lost the end, the MT did not stop.
    lost = beads(((0,), (0,)), ((1,), ()), ((2,), ()), ((), (1,)))
    assert missing_tail(lost, 3) is None
    looped = beads(((0,), (0,)), ((), (1,)), ((1,), ()), ((2,), ()), ((3,), ()), ((4,), ()))
    assert missing_tail(looped, 5) == range(1, 5)  # one stray English word: still stopped
    # No pair at all is no tail: nothing of it is English (not-parallel says so).
    assert missing_tail(beads(((0,), ()), ((1,), ())), 2) is None


def _doc(tmp_path: Path, en: str, config: PipelineConfig | None = None, translator=None):
    (tmp_path / "d.ru.txt").write_text(RU, encoding="utf-8")
    (tmp_path / "d.en.txt").write_text(en, encoding="utf-8")
    config = config or PipelineConfig()
    (item,) = discover(tmp_path, config.input)
    return process_item(tmp_path, item, config, translator=translator)


@pytest.mark.parametrize("en", [UK, DE, RU], ids=["ukrainian", "german", "russian-copy"])
def test_an_english_side_that_is_no_english_is_failed_mt_not_the_documents_english(
    tmp_path: Path, en: str
) -> None:
    doc = _doc(tmp_path, en)
    assert isinstance(doc, Document), doc
    # The document has no English (text/ gets no file, the corpus no row); the MT is kept.
    assert doc.en is None and not doc.en_sentences and not doc.beads
    assert doc.mt is not None and doc.mt.raw_text == en
    assert doc.ru is not None and doc.ru_sentences
    failed = [w for w in doc.warnings if w.startswith(MT_FAILED + ":")]
    assert len(failed) == 1, doc.warnings
    assert Document.from_dict(doc.to_dict()).to_dict() == doc.to_dict()


def test_the_russian_copy_still_quarantines_or_is_kept_when_the_config_says_so(
    tmp_path: Path,
) -> None:
    q = _doc(tmp_path, RU, PipelineConfig(lid=LidConfig(on_wrong_side="quarantine")))
    assert isinstance(q, Quarantined) and q.reason == "wrong-language"
    kept = _doc(tmp_path, RU, PipelineConfig(lid=LidConfig(on_wrong_side="keep")))
    assert isinstance(kept, Document) and kept.en is not None
    assert any("kept as given" in w for w in kept.warnings)


def test_a_good_english_side_is_the_documents_english(tmp_path: Path) -> None:
    doc = _doc(tmp_path, EN)
    assert isinstance(doc, Document) and doc.en is not None and doc.mt is None
    assert not [w for w in doc.warnings if w.startswith(MT_FAILED)]
    assert doc.beads


@pytest.fixture(scope="module")
def tiny_translator(tmp_path_factory: pytest.TempPathFactory):
    """A real Retranslator over the project's tiny Argos package (built and cached)."""
    pytest.importorskip("ctranslate2")
    pytest.importorskip("transformers")
    from tiny_argos import build as builder

    from cleaners.translate import Retranslator

    cfg = TranslateConfig(
        enabled=True,
        package_path=str(builder.ensure_package()),
        packages_dir=str(tmp_path_factory.mktemp("argos-packages")),
    )
    return Retranslator.from_config(cfg)


@pytest.mark.parametrize("mode", ["missing", "replace", "all"])
@pytest.mark.parametrize("en", [UK, DE, RU], ids=["ukrainian", "german", "russian-copy"])
def test_retranslation_gives_english_where_the_mt_failed(
    tmp_path: Path, tiny_translator, mode: str, en: str
) -> None:
    config = PipelineConfig(translate=TranslateConfig(mode=mode))
    doc = _doc(tmp_path, en, config, tiny_translator)
    assert isinstance(doc, Document), doc
    assert doc.en_origin == "retranslation" and doc.en is not None and doc.en.lang == "en"
    assert doc.mt is not None and doc.mt.raw_text == en  # kept for comparison
    assert any(w.startswith(MT_FAILED + ":") for w in doc.warnings)
    assert any(w.startswith("retranslated:") for w in doc.warnings)
    assert doc.beads and all(b.ru and b.en for b in doc.beads)


def test_signal_mode_gives_no_english_where_the_mt_failed(tmp_path: Path, tiny_translator) -> None:
    doc = _doc(tmp_path, UK, PipelineConfig(), tiny_translator)
    assert isinstance(doc, Document) and doc.en is None and doc.mt is not None
    assert not doc.beads and doc.ru_retranslated


def test_an_mt_that_stopped_halfway_is_said(tmp_path: Path) -> None:
    doc = _doc(tmp_path, EN_HALF)
    assert isinstance(doc, Document) and doc.en is not None
    (note,) = [w for w in doc.warnings if w.startswith(MT_INCOMPLETE + ":")]
    assert "the last 2 of 4 Russian sentences have no English" in note
    assert not [w for w in _doc(tmp_path, EN).warnings if w.startswith(MT_INCOMPLETE)]


def test_replace_mode_appends_the_retranslation_where_the_mt_stopped(
    tmp_path: Path, tiny_translator
) -> None:
    from cleaners.model import REPLACE_RULE
    from cleaners.repair import replay

    config = PipelineConfig(translate=TranslateConfig(mode="replace"))
    doc = _doc(tmp_path, EN_HALF, config, tiny_translator)
    assert isinstance(doc, Document) and doc.en is not None and doc.en_origin == "mt"
    assert doc.en.text.startswith(EN_HALF)
    (added,) = [e for e in doc.en.edits if e.rule == REPLACE_RULE]
    assert added.before == "" and added.start == len(EN_HALF)
    assert doc.en.text == EN_HALF + added.after
    assert replay(doc.en.raw_text, doc.en.edits) == doc.en.text
    assert all(b.ru and b.en for b in doc.beads)  # every Russian sentence has its English
    (note,) = [w for w in doc.warnings if w.startswith(MT_INCOMPLETE + ":")]
    assert "retranslation appended" in note
    # Modes that do not replace say it and change nothing.
    missing = _doc(tmp_path, EN_HALF, PipelineConfig(translate=TranslateConfig(mode="missing")),
                   tiny_translator)  # fmt: skip
    assert missing.en.text == EN_HALF
    assert any(w.startswith(MT_INCOMPLETE + ":") for w in missing.warnings)


def test_an_mt_cut_off_mid_sentence_is_said_and_replace_mode_retranslates_from_the_cut(
    tmp_path: Path, tiny_translator
) -> None:
    from cleaners.model import REPLACE_RULE
    from cleaners.repair import replay

    doc = _doc(tmp_path, EN_CUT)
    (note,) = [w for w in doc.warnings if w.startswith(MT_INCOMPLETE + ":")]
    assert "stops mid-sentence at Russian sentence 3" in note
    config = PipelineConfig(translate=TranslateConfig(mode="replace"))
    doc = _doc(tmp_path, EN_CUT, config, tiny_translator)
    (edit,) = [e for e in doc.en.edits if e.rule == REPLACE_RULE]
    assert edit.before == "The governor arrived in Astana"
    assert doc.en.text.startswith(EN_HALF + "\nThe governor arrived in Astana ")
    assert "The governor arrived in Astana\n" not in doc.en.text
    assert replay(doc.en.raw_text, doc.en.edits) == doc.en.text
    assert all(b.ru and b.en for b in doc.beads)
    assert len(doc.en.text.strip().split("\n\n")) == 2  # the Russian's paragraphs


@pytest.mark.parametrize("mode", ["signal", "missing"])
def test_the_cut_sentence_stays_out_of_the_corpus_with_the_retranslation_on(
    tmp_path: Path, tiny_translator, mode: str
) -> None:
    """The retranslation lifts the cut pair's adequacy (the English is its prefix) over the
    truncated filter's end-mark bar: the MT's stop, found against it, rejects the pair."""
    config = PipelineConfig(translate=TranslateConfig(mode=mode))
    doc = _doc(tmp_path, EN_CUT, config, tiny_translator)
    assert doc.en.text == EN_CUT
    # The document stage marks the pair; the run's filters reject it when the corpus is
    # written (unless truncated is switched off, which redoes no document).
    (cut,) = [b for b in doc.beads if b.en and doc.en_sentences[b.en[-1]].endswith("Astana")]
    assert cut.cut and not cut.reasons
    off = config.model_copy(update={"filters": FiltersConfig(disable=["truncated"])})
    kept = copy.deepcopy(doc)
    decide_document(kept, off)
    assert not any("truncated" in b.reasons for b in kept.beads)
    decide_document(doc, config)
    (cut,) = [b for b in doc.beads if b.en and doc.en_sentences[b.en[-1]].endswith("Astana")]
    assert "truncated" in cut.reasons
    assert all(not b.reasons for b in doc.beads if b.en and b is not cut)


def test_a_cut_pair_the_retranslation_lifts_is_still_rejected(tmp_path: Path, tiny_translator):
    # One paragraph of two sentences; the MT stopped in the first (the tiny model's own
    # templates, so the retranslation is right and its chrF lifts the cut pair's adequacy).
    ru = (
        "Губернатор в понедельник говорил с послом в Берлине. "
        "Мэр сегодня приехал в Пекине на 3 дней.\n"
    )
    (tmp_path / "d.ru.txt").write_text(ru, encoding="utf-8")
    (tmp_path / "d.en.txt").write_text("The governor spoke with the ambassador in\n")
    config = PipelineConfig(translate=TranslateConfig(mode="missing"))
    (item,) = discover(tmp_path, config.input)
    doc = process_item(tmp_path, item, config, translator=tiny_translator)
    decide_document(doc, config)
    (pair,) = [b for b in doc.beads if b.ru and b.en]
    assert "truncated" in pair.reasons, pair
    assert any(
        w.startswith(MT_INCOMPLETE + ": the English stops mid-sentence") for w in doc.warnings
    )


# The MT left the second paragraph in Russian, or gave it in Ukrainian.
EN_LEFT = EN_HALF + "\n" + RU.split("\n\n")[1]
EN_UK = EN_HALF + "\n" + UK.split("\n\n")[1]


def test_a_tail_left_in_russian_says_so_not_that_the_mt_stopped(tmp_path: Path) -> None:
    doc = _doc(tmp_path, EN_LEFT)
    (note,) = [w for w in doc.warnings if w.startswith(MT_INCOMPLETE + ":")]
    assert "left in Russian" in note and "stopped halfway" not in note, note
    (note,) = [w for w in _doc(tmp_path, EN_HALF).warnings if w.startswith(MT_INCOMPLETE + ":")]
    assert "stopped halfway" in note


@pytest.mark.parametrize("mode", ["signal", "missing", "replace"])
def test_a_paragraph_in_another_language_is_flagged_never_retranslated_as_russian(
    tmp_path: Path, tiny_translator, mode: str
) -> None:
    """Only Russian is retranslated ru→en: a Ukrainian paragraph fed to it came out as
    garbage English ('The governor spoke with journalists in Beijing. 12 …'), as a fill-in of
    Cyrillic left in the MT, or as a replace-mode repair. It stays as it is, and is said."""
    ru = RU + "\n" + RU.split("\n\n")[0] + "\n"
    en = EN_HALF + "\n" + UK.split("\n\n")[1] + "\n" + EN_HALF
    (tmp_path / "d.ru.txt").write_text(ru, encoding="utf-8")
    (tmp_path / "d.en.txt").write_text(en, encoding="utf-8")
    config = PipelineConfig(translate=TranslateConfig(mode=mode))
    (item,) = discover(tmp_path, config.input)
    doc = process_item(tmp_path, item, config, translator=tiny_translator)
    assert isinstance(doc, Document) and doc.en is not None, doc
    assert doc.en.text == en, doc.en.edits  # nothing retranslated
    (seg,) = [s for s in doc.en.segments if "Астани" in s.text]
    assert any(f.startswith("left-out:other-language:uk") for f in seg.flags), seg.flags
    assert any("'uk'" in w and w.startswith("not-retranslated:") for w in doc.warnings)


def test_russian_left_in_the_middle_of_the_english_is_said_for_the_document(
    tmp_path: Path,
) -> None:
    """A paragraph (or a sentence) the MT left in Russian in the middle of its English had only
    segment flags; a reader of the report or docs/ learns it from an ``mt-untranslated``
    warning saying how much. A Russian name or a short quote in an English sentence is none."""
    ru = RU + "\n" + RU.split("\n\n")[0] + "\n"
    en = EN_HALF + "\n" + RU.split("\n\n")[1] + "\n" + EN_HALF
    (tmp_path / "d.ru.txt").write_text(ru, encoding="utf-8")
    (tmp_path / "d.en.txt").write_text(en, encoding="utf-8")
    config = PipelineConfig()
    (item,) = discover(tmp_path, config.input)
    doc = process_item(tmp_path, item, config)
    (note,) = [w for w in doc.warnings if w.startswith(MT_UNTRANSLATED + ":")]
    assert note == (
        "mt-untranslated: the English MT left 2 sentences in Russian: "
        "1 whole paragraph (English segment 2)"
    ), note
    assert not [w for w in doc.warnings if w.startswith(MT_INCOMPLETE)]
    # A sentence in Russian inside an English paragraph.
    one = EN.replace("The mayor supported tourism in Baku.", "Мэр поддержал туризм в Баку.")
    (note,) = [w for w in _doc(tmp_path, one).warnings if w.startswith(MT_UNTRANSLATED)]
    assert note.endswith(
        "left 1 sentence in Russian: 1 sentence inside English paragraphs (English segment 2)"
    ), note
    # A Russian name, a short quote: no warning (the fill-in of fragments is for them).
    quote = 'The mayor said: "Мы поддержим туризм в Баку."'
    for fine in (
        EN.replace("in Moscow", "in Москве"),
        EN.replace("The mayor supported tourism in Baku.", quote),
        EN,
    ):
        assert not [w for w in _doc(tmp_path, fine).warnings if w.startswith(MT_UNTRANSLATED)]
    # A Russian tail is mt-incomplete's (left in Russian), not said twice.
    tail = _doc(tmp_path, EN_LEFT)
    assert [w for w in tail.warnings if w.startswith(MT_INCOMPLETE)]
    assert not [w for w in tail.warnings if w.startswith(MT_UNTRANSLATED)], tail.warnings


def test_untranslated_note_counts_paragraphs_and_sentences() -> None:
    from cleaners.mtcheck import russian_sentence, untranslated_note

    assert russian_sentence("Мэр поддержал туризм в Баку.")
    assert not russian_sentence("The mayor met Сергей Собянин in Москва.")
    assert not russian_sentence("Москва.")  # a name alone: no sentence left in Russian
    assert not russian_sentence("Губернатор учора приїхав до Астани на 12 днів.")  # Ukrainian
    note = untranslated_note([(2, 3, True), (4, 1, False), (7, 2, True)])
    assert note == (
        "mt-untranslated: the English MT left 6 sentences in Russian: 2 whole paragraphs "
        "(English segments 2, 7); 1 sentence inside English paragraphs (English segment 4)"
    )
