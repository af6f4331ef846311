"""Cyrillic that is not Russian (Bulgarian, Ukrainian) in a Russian source or in the English
MT, end to end through ``mtclean run`` as a user runs it on documents they wrote: it is
flagged as its language, never aligned or retranslated as Russian, and the document says so.
Every text here was written for these tests (the retranslation ones from the tiny Argos
package's own templates, tests/tiny_argos, the only text it translates)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from cli_run import isolated_env, mtclean  # tests/ is on sys.path
from test_mtcheck import EN, EN_HALF, RU, UK

RU_SOURCE = (
    "Мэр города открыл новый мост через реку в субботу. На церемонии присутствовали сотни "
    "жителей.\n\n"
    "Строительство моста заняло три года и обошлось городу в два миллиарда рублей.\n\n"
    # Bulgarian, no letter Russian lacks, called Bulgarian at under 0.9: it was aligned and
    # retranslated as Russian.
    "Самара и Казан подписаха договор за сътрудничество в област на спорта.\n\n"
    "В воскресенье мост будет открыт только для пешеходов.\n"
)
EN_MT = (
    "The city mayor opened a new bridge over the river on Saturday. Hundreds of residents "
    "attended the ceremony.\n\n"
    "Строительство моста заняло три года и обошлось городу в два миллиарда рублей.\n\n"
    "Кметът на града заяви, че новият мост ще намали задръстванията в центъра.\n\n"
    "On Sunday the bridge will be open only to pedestrians.\n"
)
UK_MIDDLE = (
    "The city mayor opened a new bridge over the river on Saturday. Hundreds of residents "
    "attended the ceremony.\n\n"
    "Будівництво мосту тривало три роки і коштувало місту два мільярди рублів.\n\n"
    "On Sunday the bridge will be open only to pedestrians.\n"
)
# A Bulgarian paragraph in the tiny package's news style.
BG = "Губернаторът вчера пристигна в Астана за 12 дни. Кметът подкрепи туризма в Баку."


def _run(src: Path, out: Path, home: Path, *args: str) -> None:
    env = isolated_env(home)
    r = mtclean("run", str(src), "--out", str(out), "--no-progress", *args, env=env, timeout=900)
    assert r.returncode == 0, r.stderr[-3000:]


def _doc(out: Path, doc_id: str) -> dict:
    return json.loads((out / "docs" / f"{doc_id}.json").read_text(encoding="utf-8"))


def _segment(doc: dict, side: str, word: str) -> dict:
    (seg,) = [s for s in doc[side]["segments"] if word in s["text"]]
    return seg


@pytest.mark.slow
def test_other_cyrillic_is_flagged_and_said_without_retranslation(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    for name, text in {
        "bridge.ru.txt": RU_SOURCE,
        "bridge.en.txt": EN_MT,
        "ukr.ru.txt": RU_SOURCE.replace(RU_SOURCE.split("\n\n")[2] + "\n\n", ""),
        "ukr.en.txt": UK_MIDDLE,
    }.items():
        (src / name).write_text(text, encoding="utf-8")
    _run(src, out, tmp_path)

    bridge = _doc(out, "bridge")
    # The Bulgarian paragraph of the Russian source is Bulgarian, out of the alignment.
    seg = _segment(bridge, "ru", "подписаха")
    assert seg["lang"] == "bg" and "left-out:other-language:bg" in seg["flags"], seg
    assert not [s for s in bridge["ru_sentences"] if "подписаха" in s]
    # In the English MT, the Russian paragraph is Russian left untranslated, the Bulgarian
    # one is not counted as Russian: the document says each.
    warnings = bridge["warnings"]
    assert (
        "mt-untranslated: the English MT left 1 sentence in Russian: 1 whole paragraph "
        "(English segment 2)"
    ) in warnings, warnings
    (other,) = [w for w in warnings if w.startswith("mt-other-language:")]
    assert other.startswith("mt-other-language: English segment 3 is Cyrillic but not Russian")
    assert "'bg'" in other and "Кметът" in other
    assert not [w for w in warnings if w.startswith("not-retranslated")]

    # A Ukrainian paragraph in the middle of the MT: a document warning, not flags alone.
    ukr = _doc(out, "ukr")
    assert "left-out:other-language:uk" in _segment(ukr, "en", "Будівництво")["flags"]
    (other,) = [w for w in ukr["warnings"] if w.startswith("mt-other-language:")]
    assert "English segment 2" in other and "'uk'" in other, other
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["warnings"]["mt-other-language"] == 2, report["warnings"]
    # Only Russian English-side text went to the corpus as neither: no Cyrillic row.
    en_rows = (out / "corpus.en").read_text(encoding="utf-8")
    assert not re.search("[а-яА-Я]", en_rows), en_rows


@pytest.fixture(scope="module")
def archive() -> Path:
    pytest.importorskip("ctranslate2")
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    from tiny_argos import build as builder

    return builder.ensure_package()


@pytest.mark.slow
def test_replace_mode_retranslates_russian_only_and_leaves_english_only(
    archive: Path, tmp_path: Path
) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    second_uk = UK.split("\n\n")[1]
    files = {
        # The MT gave the second paragraph in Ukrainian: the tail the retranslation fills.
        "uk-tail.ru.txt": RU,
        "uk-tail.en.txt": EN_HALF + "\n" + second_uk,
        # A Bulgarian paragraph in the middle of the MT, and in the Russian source.
        "bg-middle.ru.txt": RU + "\n" + BG + "\n\n" + RU.split("\n\n")[0] + "\n",
        "bg-middle.en.txt": EN_HALF + "\n" + BG + "\n\n" + EN_HALF,
    }
    for name, text in files.items():
        (src / name).write_text(text, encoding="utf-8")
    _run(src, out, tmp_path, "--retranslate=replace", "--argos-package", str(archive))

    # The Ukrainian tail gave its place to the retranslation: English only.
    text = (out / "text" / "uk-tail.en.txt").read_text(encoding="utf-8")
    assert not re.search("[\u0400-\u04ff]", text), text
    assert text.startswith(EN_HALF) and "The governor arrived in Astana" in text, text
    assert text.count("\n\n") == EN.count("\n\n"), text  # one paragraph each, no blank left
    tail = _doc(out, "uk-tail")
    said = [w for w in tail["warnings"] if w.startswith("mt-incomplete")]
    assert said and "given in 'uk'" in said[0] and "in its place" in said[0], said
    assert not [w for w in tail["warnings"] if w.startswith("not-retranslated")]
    edits = [json.loads(ln) for ln in (out / "edits.jsonl").read_text().splitlines()]
    assert any(e["doc"] == "uk-tail" and second_uk.strip() in e["before"] for e in edits), edits

    # The Bulgarian paragraph is no Russian: never given to the ru→en model on either side.
    middle = _doc(out, "bg-middle")
    assert (out / "text" / "bg-middle.en.txt").read_text(encoding="utf-8") == files[
        "bg-middle.en.txt"
    ]
    assert not [s for s in middle["ru_sentences"] if "Губернаторът" in s]
    assert len(middle["ru_retranslated"]) == len(middle["ru_sentences"])
    (note,) = [w for w in middle["warnings"] if w.startswith("not-retranslated:")]
    assert "English segment 2" in note and "'bg'" in note, note
    assert not [w for w in middle["warnings"] if w.startswith("mt-untranslated")]
    # The source's Bulgarian paragraph is said on the document too, not a segment flag alone.
    (src_note,) = [w for w in middle["warnings"] if w.startswith("source-other-language:")]
    assert "Russian segment 3" in src_note and "Губернаторът" in src_note, src_note


FLORES = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "flores200"


def _flores_dev(code: str) -> list[str]:
    return (FLORES / f"dev.{code}.txt").read_text(encoding="utf-8").split("\n")


@pytest.mark.slow
@pytest.mark.skipif(not FLORES.is_dir(), reason=f"shared data not found at {FLORES}")
def test_russian_paragraph_holding_a_ukrainian_sentence_keeps_its_russian(
    tmp_path: Path,
) -> None:
    """A Russian paragraph of two Russian sentences and one Ukrainian (or Belarusian) one,
    FLORES dev's lines: the paragraph was called Ukrainian whole and left out, its Russian
    pairs lost. Cut where the language changes, the Russian sentences reach the corpus with
    their English, the other language's sentence is left out, flagged and said."""
    import csv

    ru, en = _flores_dev("rus_Cyrl"), _flores_dev("eng_Latn")
    other = {"uk": _flores_dev("ukr_Cyrl"), "be": _flores_dev("bel_Cyrl")}
    docs: dict[str, list[int]] = {}
    with (FLORES / "docs_dev.tsv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            docs.setdefault(row["doc_id"], []).append(int(row["line_idx"]))
    chosen = [ix for ix in docs.values() if len(ix) >= 3][:10]
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    expect = {}
    for k, ix in enumerate(chosen):
        lang = "uk" if k % 2 == 0 else "be"
        first = " ".join([ru[ix[0]], ru[ix[1]], other[lang][ix[2]]])
        rest = [ru[i] for i in ix[3:]]
        (src / f"d{k}.ru.txt").write_text("\n\n".join([first, *rest]) + "\n", encoding="utf-8")
        (src / f"d{k}.en.txt").write_text("\n\n".join(en[i] for i in ix) + "\n", "utf-8")
        expect[f"d{k}"] = (lang, ix)
    _run(src, out, tmp_path)

    def read(name: str) -> list[dict]:
        text = (out / name).read_text(encoding="utf-8")
        return [json.loads(line) for line in text.splitlines()]

    def norm(text: str) -> str:  # repair collapses the data's double spaces
        return " ".join(text.split())

    rows, rejected = read("corpus.jsonl"), read("corpus.rejected.jsonl")
    cut = 0
    for doc_id, (lang, ix) in expect.items():
        pairs = {(norm(r["ru"]), norm(r["en"])) for r in rows if r["doc_id"] == doc_id}
        for i in ix[:2]:  # in a row of its own, or of a bead with its neighbour
            found = [p for p in pairs if norm(ru[i]) in p[0] and norm(en[i]) in p[1]]
            assert found, (doc_id, ru[i], pairs)
        foreign = norm(other[lang][ix[2]])
        assert not [p for p in pairs if foreign in p[0]], pairs
        doc = _doc(out, doc_id)
        assert doc["ru"]["lang"] == "ru", doc["warnings"]
        seg = _segment(doc, "ru", foreign[:30])
        aligned_once = (seg.get("meta") or {}).get("foreign_in_russian")
        if seg["text"] == foreign and not aligned_once:
            # Its paragraph was called its language: cut, it alone leaves, said.
            cut += 1
            assert seg["lang"] == lang and f"left-out:other-language:{lang}" in seg["flags"]
            (note,) = [w for w in doc["warnings"] if w.startswith("source-other-language:")]
            assert f"'{lang}'" in note, note
        else:
            # A paragraph called Russian (cut there too, marked, since it has the words to
            # tell): the sentence, whose English is here, is aligned alone and rejected for it.
            assert aligned_once in (None, lang), seg
            (row,) = [r for r in rejected if r["doc_id"] == doc_id and foreign in r["ru"]]
            assert "wrong-language" in row["reasons"], row
    assert cut >= 1, cut  # the paragraphs that were lost whole
