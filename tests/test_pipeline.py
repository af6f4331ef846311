"""The per-document chain on real files: every input ends as a Document or a quarantine record."""

from __future__ import annotations

from pathlib import Path

import pytest
from bench_modules import load_bench  # (tests/ is on sys.path)

from cleaners.config import LidConfig, PipelineConfig, RepairConfig, TranslateConfig
from cleaners.model import Document, Quarantined
from cleaners.pipeline import process_item
from cleaners.readers import discover

SAMPLE = Path(__file__).resolve().parents[1] / "corpora" / "sample"


def _run(folder: Path, config: PipelineConfig | None = None) -> dict[str, Document | Quarantined]:
    config = config or PipelineConfig()
    return {it.id: process_item(folder, it, config) for it in discover(folder, config.input)}


@pytest.fixture(scope="module")
def sample() -> dict[str, Document | Quarantined]:
    return _run(SAMPLE)


def test_sample_documents_all_processed(sample: dict[str, Document | Quarantined]) -> None:
    assert not [r for r in sample.values() if isinstance(r, Quarantined)]
    assert len(sample) == 6  # 4 text documents + 2 JSONL lines


def _doc(sample: dict[str, Document | Quarantined], prefix: str) -> Document:
    (doc,) = [d for k, d in sample.items() if k.startswith(prefix)]
    assert isinstance(doc, Document)
    return doc


def test_paired_article_is_repaired_structured_and_aligned(sample) -> None:
    doc = _doc(sample, "volga-route")
    assert doc.ru is not None and doc.en is not None
    assert doc.ru.lang == "ru" and doc.en.lang == "en"
    assert "trade and economic and investment" in doc.en.text
    assert "09:41" in doc.en.text
    rules = {e.rule for e in doc.en.edits}
    assert rules, "the MT damage must be recorded as edits"
    kinds = [s.kind for s in doc.en.segments]
    assert kinds[0] == "title"
    assert "boilerplate" in kinds
    comments = [s for s in doc.en.segments if s.kind == "comment"]
    assert [c.meta["author"] for c in comments] == ["volga_man", "nord77", "Kazanskaya"]
    assert comments[0].meta["display_name"] == "Sergey"
    # Boilerplate never reaches the corpus.
    assert not any("Dear reader" in s for s in doc.en_sentences)
    assert doc.beads
    covered_ru = sorted(i for b in doc.beads for i in b.ru)
    covered_en = sorted(i for b in doc.beads for i in b.en)
    assert covered_ru == list(range(len(doc.ru_sentences)))
    assert covered_en == list(range(len(doc.en_sentences)))
    pairs = {
        (" ".join(doc.ru_sentences[i] for i in b.ru), " ".join(doc.en_sentences[i] for i in b.en))
        for b in doc.beads
    }
    assert any("Наконец-то" in r and "Finally" in e for r, e in pairs)
    assert any("15%" in r and "15%" in e for r, e in pairs)


def test_legacy_codepage_source_and_mojibake_in_mt(sample) -> None:
    doc = _doc(sample, "bridge-opening")
    assert doc.ru is not None and doc.en is not None
    assert doc.ru.encoding.replace("-", "").replace("_", "").lower() in {"cp1251", "windows1251"}
    assert "Новый мост через Оку" in doc.ru.text
    assert "«Мост разгрузит центр города»" in doc.en.text


def test_english_only_and_source_only(sample) -> None:
    en_only = _doc(sample, "exchange-close")
    assert en_only.ru is None and en_only.beads == []
    assert "in Russia" in en_only.en.text and "18:50" in en_only.en.text
    assert any(w.startswith("no-source") for w in en_only.warnings)
    ru_only = _doc(sample, "library-hours")
    assert ru_only.en is None and any(w.startswith("no-translation") for w in ru_only.warnings)


def test_jsonl_documents_have_line_sources(sample) -> None:
    snow = sample["wire-snow"]
    assert isinstance(snow, Document)
    assert snow.sources == ["wire.jsonl:1"]
    assert len(snow.beads) == 2


def test_swapped_files_are_put_right(tmp_path: Path) -> None:
    ru = (SAMPLE / "volga-route.ru.txt").read_bytes()
    en = (SAMPLE / "volga-route.en.txt").read_bytes()
    (tmp_path / "x.ru.txt").write_bytes(en)
    (tmp_path / "x.en.txt").write_bytes(ru)
    (doc,) = _run(tmp_path).values()
    assert isinstance(doc, Document)
    assert doc.ru is not None and doc.ru.lang == "ru"
    assert any(w.startswith("swapped") for w in doc.warnings)
    quarantined = _run(tmp_path, PipelineConfig(lid=LidConfig(on_wrong_side="quarantine")))
    (q,) = quarantined.values()
    assert isinstance(q, Quarantined) and q.reason == "wrong-language"


def test_two_russian_files_are_an_mt_that_did_not_translate(tmp_path: Path) -> None:
    """Both files Russian: no misnamed file (no swap puts them right) but an MT that copied
    its source. The Russian is processed, the copy kept as the document's mt and said
    (``mt-failed``); it was quarantined as ``wrong-language``, which a retranslation mode
    that fills missing English could never reach. The other settings still decide."""
    ru = (SAMPLE / "volga-route.ru.txt").read_bytes()
    (tmp_path / "x.ru.txt").write_bytes(ru)
    (tmp_path / "x.en.txt").write_bytes(ru)
    (doc,) = _run(tmp_path).values()
    assert isinstance(doc, Document) and doc.en is None and doc.mt is not None
    assert any(w.startswith("mt-failed: the English MT is a copy") for w in doc.warnings)
    (q,) = _run(tmp_path, PipelineConfig(lid=LidConfig(on_wrong_side="quarantine"))).values()
    assert isinstance(q, Quarantined) and q.reason == "wrong-language"
    assert "set lid.on_wrong_side to 'swap' or 'keep' to accept it" in q.detail
    (doc,) = _run(tmp_path, PipelineConfig(lid=LidConfig(on_wrong_side="keep"))).values()
    assert isinstance(doc, Document) and any("kept as given" in w for w in doc.warnings)


def test_a_russian_shop_page_full_of_latin_brand_names_stays_russian(tmp_path: Path) -> None:
    # Brand names outweigh the Russian words: the side is no English file in the wrong slot.
    titles = [
        ("Кроссовки Nike Air Max 90 Essential White Black",
         "Sneakers Nike Air Max 90 Essential White Black"),
        ("Смартфон Apple iPhone 15 Pro Max 256GB Natural Titanium",
         "Smartphone Apple iPhone 15 Pro Max 256GB Natural Titanium"),
        ("Ноутбук ASUS VivoBook Go 15 E1504FA-BQ090 AMD Ryzen 5 7520U",
         "Laptop ASUS VivoBook Go 15 E1504FA-BQ090 AMD Ryzen 5 7520U"),
        ("Пылесос Dyson V15 Detect Absolute Extra",
         "Vacuum cleaner Dyson V15 Detect Absolute Extra"),
        ("Эта модель подходит для повседневной носки.", "This model is fit for everyday wear."),
    ]  # fmt: skip
    (tmp_path / "shop.ru.txt").write_text("\n\n".join(r for r, _ in titles) + "\n")
    (tmp_path / "shop.en.txt").write_text("\n\n".join(e for _, e in titles) + "\n")
    (doc,) = _run(tmp_path).values()
    assert isinstance(doc, Document), doc
    assert doc.ru is not None and doc.ru.lang == "ru"
    assert not [f for seg in doc.ru.segments for f in seg.flags if f.startswith("left-out")]
    assert doc.ru_sentences == [r for r, _ in titles]
    # An English file in the Russian slot is still put right.
    (tmp_path / "shop.ru.txt").write_text("\n\n".join(e for _, e in titles) + "\n")
    (tmp_path / "shop.en.txt").write_text("\n\n".join(r for r, _ in titles) + "\n")
    (q,) = _run(tmp_path, PipelineConfig(lid=LidConfig(on_wrong_side="quarantine"))).values()
    assert isinstance(q, Quarantined) and q.reason == "wrong-language"


def test_document_round_trips_through_json(sample) -> None:
    doc = _doc(sample, "volga-route")
    assert Document.from_dict(doc.to_dict()).to_dict() == doc.to_dict()


def test_same_input_gives_identical_result(tmp_path: Path) -> None:
    a = {k: v.to_dict() for k, v in _run(SAMPLE).items()}
    b = {k: v.to_dict() for k, v in _run(SAMPLE).items()}
    assert a == b


@pytest.fixture(scope="module")
def tiny_translator(tmp_path_factory: pytest.TempPathFactory):
    """A real Retranslator over the project's tiny Argos package (built and cached)."""
    pytest.importorskip("transformers")
    from tiny_argos import build as builder

    from cleaners.config import TranslateConfig
    from cleaners.translate import Retranslator

    cfg = TranslateConfig(
        enabled=True,
        package_path=str(builder.ensure_package()),
        packages_dir=str(tmp_path_factory.mktemp("argos-packages")),
    )
    return Retranslator.from_config(cfg), builder.training_pairs(3)


def test_retranslation_fills_fragments_and_scores_segments(tmp_path: Path, tiny_translator):
    from cleaners.repair import replay

    translator, pairs = tiny_translator
    (ru1, en1), (ru2, en2), (ru3, _) = pairs
    (tmp_path / "d.ru.txt").write_text(f"{ru1}\n\n{ru2} {ru3}\n", encoding="utf-8")
    # The MT left the third sentence in Russian.
    (tmp_path / "d.en.txt").write_text(f"{en1}\n\n{en2} {ru3}\n", encoding="utf-8")
    config = PipelineConfig()
    (item,) = discover(tmp_path, config.input)
    doc = process_item(tmp_path, item, config, translator=translator)
    assert isinstance(doc, Document) and doc.en is not None
    fills = [e for e in doc.en.edits if "fill_untranslated" in e.rule]
    assert len(fills) == 1 and fills[0].before == ru3.rstrip(".")
    assert not any("\u0400" <= ch <= "\u04ff" for ch in doc.en.text)
    assert replay(doc.en.raw_text, doc.en.edits) == doc.en.text
    assert len(doc.ru_retranslated) == len(doc.ru_sentences) == 3
    assert doc.ru_retranslated[0] == en1  # the tiny model knows its training domain
    agreement = [s.meta.get("mt_agreement") for s in doc.en.segments]
    assert all(a is not None and 0.0 <= a <= 1.0 for a in agreement)
    assert agreement[0] == 1.0
    assert doc.beads and all(b.method.endswith("mt") for b in doc.beads if b.ru and b.en)


def test_retranslation_does_not_hide_a_russian_file_in_the_english_slot(
    tmp_path: Path, tiny_translator
) -> None:
    translator, pairs = tiny_translator
    ru = " ".join(r for r, _ in pairs)
    (tmp_path / "d.ru.txt").write_text(ru + "\n", encoding="utf-8")
    (tmp_path / "d.en.txt").write_text(ru + "\n", encoding="utf-8")
    config = PipelineConfig(lid=LidConfig(on_wrong_side="quarantine"))
    (item,) = discover(tmp_path, config.input)
    result = process_item(tmp_path, item, config, translator=translator)
    assert isinstance(result, Quarantined) and result.reason == "wrong-language"


def _fill_edits(tmp_path: Path, translator, pairs, config: PipelineConfig) -> list:
    (ru1, en1), (ru2, en2), (ru3, _) = pairs
    tmp_path.mkdir()
    (tmp_path / "d.ru.txt").write_text(f"{ru1}\n\n{ru2} {ru3}\n", encoding="utf-8")
    (tmp_path / "d.en.txt").write_text(f"{en1}\n\n{en2} {ru3}\n", encoding="utf-8")
    (item,) = discover(tmp_path, config.input)
    doc = process_item(tmp_path, item, config, translator=translator)
    assert isinstance(doc, Document) and doc.en is not None
    return [e for e in doc.en.edits if "fill_untranslated" in e.rule]


def test_the_fill_in_is_a_rule_switched_like_the_others(tmp_path: Path, tiny_translator) -> None:
    from cleaners.repair import RULES, describe_rules

    translator, pairs = tiny_translator
    assert "fill_untranslated" in describe_rules(RULES)  # what --list-rules prints
    assert len(_fill_edits(tmp_path / "on", translator, pairs, PipelineConfig())) == 1
    off = PipelineConfig(repair=RepairConfig(disable=["fill_untranslated"]))
    assert _fill_edits(tmp_path / "disabled", translator, pairs, off) == []
    # The translate section's switch maps onto the rule.
    legacy = PipelineConfig(translate=TranslateConfig(fill_untranslated=False))
    assert _fill_edits(tmp_path / "legacy", translator, pairs, legacy) == []
    # As when it was a stage of its own, the fill-in runs with the other repairs off.
    bare = PipelineConfig(repair=RepairConfig(enabled=False))
    (fill,) = _fill_edits(tmp_path / "bare", translator, pairs, bare)
    assert fill.rule == "fill_untranslated"


def test_the_fill_in_runs_after_the_fixpoint_on_the_repaired_text(tiny_translator) -> None:
    from cleaners.repair import repair, replay

    translator, pairs = tiny_translator
    (_, en1), (_, en2), (ru3, _) = pairs
    text = f"{en1} {en2}  {ru3}"  # a double space the repair collapses first
    result = repair(text, "en", None, translator)
    rules = [e.rule for e in result.edits]
    assert rules == ["collapse_spaces", "fill_untranslated"]
    assert replay(text, result.edits) == result.text
    assert repair(text, "en").text == f"{en1} {en2} {ru3}"  # no translator: no fill


WMT21 = Path(__file__).resolve().parents[2] / "shared" / "data" / "wmt21-newstest-ru-en"


@pytest.mark.skipif(not WMT21.is_dir(), reason="../shared/data/wmt21-newstest-ru-en is absent")
def test_an_english_title_the_russian_lacks_stays_out_of_the_body_beads(tmp_path: Path) -> None:
    """A web page's English kept its headline, the Russian file did not: the headline is never
    joined to the lead sentence it paraphrases (a corpus row with a sentence too many)."""
    load_bench("wmt_folder").build(WMT21, tmp_path, "Online-B", limit=24)
    for ru in tmp_path.glob("*.ru.txt"):
        paragraphs = ru.read_text(encoding="utf-8").split("\n\n")
        ru.write_text("\n\n".join(paragraphs[1:]), encoding="utf-8")
    titled = 0
    for doc in _run(tmp_path).values():
        assert isinstance(doc, Document) and doc.en is not None
        if doc.en.segments[0].kind != "title":
            continue
        titled += 1
        title = len(doc.en.segments[0].sentences)
        assert not [b for b in doc.beads if b.en and min(b.en) < title <= max(b.en)], doc.id
    assert titled >= 20
