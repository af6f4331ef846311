"""The sentence aligner: coverage invariants, bead decisions, retranslation, size, real news."""

from __future__ import annotations

import csv
import random
import re
from pathlib import Path

import pytest
from cli_run import mtclean
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners.align import align, anchors
from cleaners.config import AlignConfig
from cleaners.model import Bead

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
KINDS = {
    "1-1", "1-0", "0-1", "2-1", "1-2", "2-2", "3-1", "1-3", "3-2", "2-3", "4-1", "1-4", "3-3",
}  # fmt: skip


def assert_covers(beads: list[Bead], n: int, m: int, any_two_sided: bool = False) -> None:
    """Every ru and en index in exactly one bead, in order; allowed kinds (``any_two_sided``:
    also larger two-sided beads, which the second look at skipped sentences may make in a
    literary text); scores in [0, 1]."""
    ru = [i for b in beads for i in b.ru]
    en = [j for b in beads for j in b.en]
    assert ru == list(range(n))
    assert en == list(range(m))
    assert all(b.kind in KINDS or any_two_sided and b.ru and b.en for b in beads)
    assert all(0.0 <= b.score <= 1.0 for b in beads)


sentence = st.text(alphabet=st.sampled_from(list("abc АБВ 12.,«»?")), min_size=0, max_size=60)


@settings(max_examples=60, deadline=None)
@given(st.lists(sentence, max_size=25), st.lists(sentence, max_size=25), st.booleans())
def test_every_sentence_in_exactly_one_bead(ru: list[str], en: list[str], gc: bool) -> None:
    config = AlignConfig(method="gale-church" if gc else "anchors", band=8)
    beads = align(ru, en, config)
    assert_covers(beads, len(ru), len(en))
    assert {b.method for b in beads} <= {"gale-church" if gc else "length+anchors+lex"}


@settings(max_examples=30, deadline=None)
@given(st.lists(sentence, min_size=1, max_size=15), st.lists(sentence, max_size=15))
def test_retranslation_keeps_the_invariants(ru: list[str], en: list[str]) -> None:
    beads = align(ru, en, ru_mt=[s[::-1] for s in ru])
    assert_covers(beads, len(ru), len(en))
    assert all(b.method == "length+anchors+lex+mt" for b in beads)


def test_empty_sides() -> None:
    assert align([], []) == []
    assert [(b.ru, b.en) for b in align(["Один.", "Два."], [])] == [((0,), ()), ((1,), ())]
    assert [(b.ru, b.en) for b in align([], ["One."])] == [((), (0,))]


def test_retranslation_must_match_the_russian() -> None:
    with pytest.raises(ValueError, match="ru_mt"):
        align(["Один.", "Два."], ["One.", "Two."], ru_mt=["One."])


def test_anchors_match_across_scripts() -> None:
    ru = anchors("По словам Токаева, 5 июля Алиев посетил «Астану»?")
    en = anchors('Aliyev visited "Astana" on July 5, according to Tokayev?')
    assert {"#5", "@tkv", "@alv", "@ast", "?", '"'} <= set(ru & en)


def test_merge_split_and_drop_in_a_news_story() -> None:
    ru = [
        "Казахстан увеличит поставки нефти через Азербайджан.",
        "Об этом договорились Касым-Жомарт Токаев и Ильхам Алиев в Астане 10 апреля.",
        "Стороны подписали соответствующий документ.",
        "Фото: пресс-служба президента Казахстана.",
        "Токаев опасается, что санкции помешают торговле, а Алиев подтвердил договоренности.",
        "Переговоры продлились три часа.",
    ]
    en = [
        "Kazakhstan will increase oil supplies through Azerbaijan.",
        "Kassym-Jomart Tokayev and Ilham Aliyev agreed on this in Astana on April 10. "
        "The parties signed a corresponding document.",
        "Tokayev fears that sanctions will hamper trade.",
        "Aliyev confirmed the agreements.",
        "The talks lasted three hours.",
    ]
    beads = align(ru, en)
    assert_covers(beads, len(ru), len(en))
    assert [(b.ru, b.en) for b in beads] == [
        ((0,), (0,)),
        ((1, 2), (1,)),
        ((3,), ()),
        ((4,), (2, 3)),
        ((5,), (4,)),
    ]


def _numbered(k: int, rng: random.Random, lang: str) -> str:
    """A sentence whose only shared signal is a number, with a realistic length spread."""
    words = random.Random(k).randint(4, 30)  # both sides of sentence k: one length
    if lang == "ru":
        return f"Предложение {k} " + " ".join("слово" for _ in range(words)) + "."
    return f"Sentence {k} " + " ".join("word" for _ in range(words)) + "."


def test_retranslation_decides_what_lengths_cannot() -> None:
    """Four sentences of one length, one English missing: only the retranslation says which."""
    ru = [
        "Кошка спит на диване.",
        "Собака бежит по парку.",
        "Птица поёт на ветке.",
        "Рыба плывёт в реке.",
    ]
    en = [
        "The cat sleeps on the sofa.",
        "The bird sings on a branch.",
        "The fish swims in the river.",
    ]
    mt = [
        "A cat is sleeping on the sofa.",
        "A dog runs in the park.",
        "A bird sings on the branch.",
        "A fish swims in the river.",
    ]
    beads = align(ru, en, ru_mt=mt)
    assert [(b.ru, b.en) for b in beads] == [((0,), (0,)), ((1,), ()), ((2,), (1,)), ((3,), (2,))]
    dropped = beads[1]
    assert dropped.method == "length+anchors+lex+mt"
    assert dropped.score < min(b.score for b in beads if b is not dropped)


def test_long_document_with_a_block_far_outside_the_first_band() -> None:
    """10,000 Russian sentences; 300 unrelated English ones inserted mid-way (band must widen)."""
    rng = random.Random(3)
    n = 10_000
    ru = [_numbered(k, rng, "ru") for k in range(n)]
    en = [_numbered(k, rng, "en") for k in range(n)]
    junk = [f"Advertisement {rng.randint(10**6, 10**7)} click here now." for _ in range(300)]
    en = en[:5000] + junk + en[5000:]
    beads = align(ru, en, AlignConfig(band=16))
    assert_covers(beads, len(ru), len(en))
    pairs = {(b.ru, b.en) for b in beads}
    assert sum(((k,), (k if k < 5000 else k + 300,)) in pairs for k in range(n)) >= 0.99 * n
    inserted = {j for b in beads if not b.ru for j in b.en}
    assert len(inserted & set(range(5000, 5300))) >= 290


@pytest.mark.parametrize(("n", "gap", "at", "side"), [(718, 46, 417, "en"), (749, 58, 143, "ru")])
def test_coarse_to_fine_finds_the_one_band_path_around_a_run_of_captions(
    n: int, gap: int, at: int, side: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A long document (past 300 sentences: block levels first) with a run of captions on one
    side: the block path spreads the run over several block beads, the fine band around it held
    the run in one row but not the row beside it, where the best path puts it (one bead moved
    from one end of the run to the other); the band now takes in the path's columns a few rows
    up and down, and finds the path one wide band finds (Text+Berg dev: strict .941 → .944)."""
    import cleaners.align as aligner

    rng = random.Random(n)
    ru = [_numbered(k, rng, "ru") for k in range(n)]
    en = [_numbered(k, rng, "en") for k in range(n)]
    word = {"en": ("Photo", "Caption of a plate"), "ru": ("Фото", "Подпись к таблице")}[side]
    run = [
        f"{word[0]} {rng.randint(10, 99)}." if rng.random() < 0.5 else f"{word[1]}."
        for _ in range(gap)
    ]
    if side == "en":
        en = en[:at] + run + en[at:]
    else:
        ru = ru[:at] + run + ru[at:]
    coarse_to_fine = [(b.ru, b.en) for b in align(ru, en)]
    monkeypatch.setattr(aligner, "_COARSE_UNITS", 10**9)  # one band around the diagonal
    assert coarse_to_fine == [(b.ru, b.en) for b in align(ru, en)]


# ---------------------------------------------------------------- real news (WMT21 dev)


def _wmt21_docs() -> list[tuple[list[str], list[str]]]:
    base = SHARED / "wmt21-newstest-ru-en"
    if not base.exists():
        pytest.skip(f"shared data not found at {base} (the dev sets live beside the repo)")
    ru = (base / "src.ru.txt").read_text(encoding="utf-8").rstrip("\n").split("\n")
    en = (base / "ref.A.en.txt").read_text(encoding="utf-8").rstrip("\n").split("\n")
    with (base / "docs.tsv").open(encoding="utf-8") as f:
        ids = [row["doc_id"] for row in csv.DictReader(f, delimiter="\t")]
    docs: dict[str, tuple[list[str], list[str]]] = {}
    for k, doc_id in enumerate(ids):
        d = docs.setdefault(doc_id, ([], []))
        d[0].append(ru[k])
        d[1].append(en[k])
    return list(docs.values())


def _damage(ru: list[str], en: list[str], rng: random.Random):
    """English lines dropped, joined or inserted, Russian lines joined: gold beads kept."""
    out_ru: list[str] = []
    out_en: list[str] = []
    gold: set[tuple[tuple[int, ...], tuple[int, ...]]] = set()
    i = 0
    while i < len(ru):
        r = rng.random()
        if r < 0.05:
            out_ru.append(ru[i])
        elif r < 0.15 and i + 1 < len(ru):
            out_ru += [ru[i], ru[i + 1]]
            out_en.append(en[i] + " " + en[i + 1])
            gold.add(((len(out_ru) - 2, len(out_ru) - 1), (len(out_en) - 1,)))
            i += 1
        elif r < 0.22 and i + 1 < len(ru):
            out_ru.append(ru[i] + " " + ru[i + 1])
            out_en += [en[i], en[i + 1]]
            gold.add(((len(out_ru) - 1,), (len(out_en) - 2, len(out_en) - 1)))
            i += 1
        else:
            out_ru.append(ru[i])
            out_en.append(en[i])
            gold.add(((len(out_ru) - 1,), (len(out_en) - 1,)))
        if rng.random() < 0.03:
            out_en.append("Subscribe to our channel to read the news first.")
        i += 1
    return out_ru, out_en, gold


def _strict_f1(config: AlignConfig) -> float:
    tp = n_test = n_gold = 0
    for k, (ru, en) in enumerate(_wmt21_docs()):
        d_ru, d_en, gold = _damage(ru, en, random.Random(k))
        beads = align(d_ru, d_en, config)
        assert_covers(beads, len(d_ru), len(d_en))
        test = {(b.ru, b.en) for b in beads if b.ru and b.en}
        tp += len(test & gold)
        n_test += len(test)
        n_gold += len(gold)
    p, r = tp / n_test, tp / n_gold
    return 2 * p * r / (p + r)


def test_beats_gale_church_on_damaged_real_news() -> None:
    ours = _strict_f1(AlignConfig())
    baseline = _strict_f1(AlignConfig(method="gale-church"))
    assert ours >= 0.95  # measured .97 (bench/align.py has the full table)
    assert ours > baseline + 0.05


def test_real_news_with_a_long_foreign_block_on_the_english_side() -> None:
    """All WMT21 dev documents, damaged, as one document (949 × 886 sentences), with 150 lines
    of reversed English (unrelated text of news length) inserted mid-way: the block levels
    must put the band around the gap (measured .97; a gap of a quarter of the document or
    more still throws the block path off: 250 lines .93, 400 lines .69)."""
    ru: list[str] = []
    en: list[str] = []
    gold: set[tuple[tuple[int, ...], tuple[int, ...]]] = set()
    for k, (d_ru, d_en) in enumerate(_wmt21_docs()):
        r, e, g = _damage(d_ru, d_en, random.Random(k))
        gold |= {(tuple(i + len(ru) for i in a), tuple(j + len(en) for j in b)) for a, b in g}
        ru += r
        en += e
    cut, gap = len(en) // 2, 150
    en = en[:cut] + [s[::-1] for s in en[:gap]] + en[cut:]
    gold = {(a, tuple(j + gap if j >= cut else j for j in b)) for a, b in gold}
    beads = align(ru, en)
    assert_covers(beads, len(ru), len(en))
    test = {(b.ru, b.en) for b in beads if b.ru and b.en}
    p, r = len(test & gold) / len(test), len(test & gold) / len(gold)
    assert 2 * p * r / (p + r) >= 0.95
    inserted = {j for b in beads if not b.ru for j in b.en}
    assert len(inserted & set(range(cut, cut + gap))) >= 0.9 * gap


@pytest.mark.parametrize(("n", "m"), [(700, 350), (320, 1300), (1000, 5)])
def test_unbalanced_long_documents_stay_covered(n: int, m: int) -> None:
    """Past 300 sentences the band follows a rough block alignment; it must never break."""
    rng = random.Random(n * m)
    ru = [_numbered(rng.randint(0, 50), rng, "ru") for _ in range(n)]
    en = [_numbered(rng.randint(0, 50), rng, "en") for _ in range(m)]
    for config in (AlignConfig(), AlignConfig(method="gale-church")):
        assert_covers(align(ru, en, config), n, m)


# ---------------------------------------------------------------- the word table (cleaners/lexsim)


def test_word_table_decides_what_lengths_cannot() -> None:
    """Four Russian sentences of one length, one English missing, no retranslation: only the
    word table says which (the same case as the retranslation test above)."""
    ru = [
        "Кошка спит на диване.",
        "Собака бежит по парку.",
        "Птица поёт на ветке.",
        "Рыба плывёт в реке.",
    ]
    en = ["The cat sleeps on the sofa.", "The bird sings on a branch.", "The fish swims."]
    beads = align(ru, en)
    assert [(b.ru, b.en) for b in beads] == [((0,), (0,)), ((1,), ()), ((2,), (1,)), ((3,), (2,))]
    assert all(b.method == "length+anchors+lex" for b in beads)
    off = align(ru, en, AlignConfig(lexical_weight=0.0))
    assert all(b.method == "length+anchors" for b in off)


def test_other_language_pairs() -> None:
    """de–fr has a table (method +lex); a pair without one aligns on length and anchors."""
    de = ["Der Hund schläft im Garten.", "Die Regierung hat das Gesetz beschlossen."]
    fr = ["Le chien dort dans le jardin.", "Le gouvernement a adopté la loi."]
    beads = align(de, fr, src_lang="de", tgt_lang="fr")
    assert [(b.ru, b.en) for b in beads] == [((0,), (0,)), ((1,), (1,))]
    assert beads[0].method == "length+anchors+lex"
    assert align(de, fr, src_lang="de", tgt_lang="xx")[0].method == "length+anchors"


def test_word_table_helps_on_damaged_real_news() -> None:
    with_lex = _strict_f1(AlignConfig())
    without = _strict_f1(AlignConfig(lexical_weight=0.0))
    assert with_lex > without + 0.005  # bench/align.py: held-out tables give the same gain


def test_cli_aligns_other_language_pairs(tmp_path: Path) -> None:
    """``mtclean align --src-lang de --tgt-lang fr`` uses the de–fr table (same output format)."""
    de = [
        "Der Hund schläft im Garten.",
        "Die Katze trinkt die Milch.",
        "Die Regierung hat das neue Gesetz beschlossen.",
    ]
    fr = ["Le chien dort dans le jardin.", "Le gouvernement a adopté la nouvelle loi."]
    (tmp_path / "de.txt").write_text("\n".join(de) + "\n", encoding="utf-8")
    (tmp_path / "fr.txt").write_text("\n".join(fr) + "\n", encoding="utf-8")
    de_fr = ("--src-lang", "de", "--tgt-lang", "fr")
    r = mtclean("align", str(tmp_path / "de.txt"), str(tmp_path / "fr.txt"), *de_fr, timeout=60)
    assert r.returncode == 0, r.stderr
    beads = [line.split("\t") for line in r.stdout.splitlines()]
    assert [(b[0], b[1]) for b in beads] == [("0", "0"), ("1", ""), ("2", "1")]
    assert all(0.0 <= float(b[2]) <= 1.0 for b in beads)


# ---------------------------------------------------------------- bags from one scan of a side


def _counters(flat: object, ids: dict[str, int]) -> list[dict[str, float]]:
    names = {v: k for k, v in ids.items()}
    out: list[dict[str, float]] = [{} for _ in range(flat.size)]  # type: ignore[attr-defined]
    for u, k, c in zip(flat.unit, flat.key, flat.count, strict=True):  # type: ignore[attr-defined]
        out[int(u)][names[int(k)]] = float(c)
    return out


TRICKY = [
    "В 2022 году Токаев встретился с Алиевым?! «Да» — 007 и 5% и 5 %?",
    'Ёлка и ЁЖ; "NATO" и НАТО, Σίσυφος ΟΔΟΣ.Β и ПУТИН',
    "ѓ and е́ (stress marks), cafe\u0301 vs café, İstanbul\nwith a newline",
    "",
    "Tokayev met Aliyev in 2022?! It's 5 percent, April 10.",
    "COVID19, a_b ___ x²y 12abc3 ½ Ⅻ ٣٤ __init__ 3_4 A\u0301b",  # runs split in two ways
    "Lager IV, camp III; XXL I V IIII XI Louis XIV, XIXe siècle, er e",  # Roman (and not)
]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(TRICKY), sentence), min_size=1, max_size=8),
       st.booleans())  # fmt: skip
def test_one_scan_bags_equal_the_per_sentence_ones(side: list[str], words: bool) -> None:
    """The aligner's vectorised bags are exactly ``anchors()`` and the word table's
    ``source_bag``/``target_bag`` of each sentence (NFC, Σ, ё, stress marks, newlines)."""
    from cleaners import lexsim
    from cleaners.align import _anchor_flat, _table_flat, _Tokens

    tokens = _Tokens.of(side)
    ids: dict[str, int] = {}
    assert _counters(_anchor_flat(tokens, words, ids), ids) == [
        {k: float(v) for k, v in anchors(s, words).items()} for s in side
    ]
    for pair in (("ru", "en"), ("de", "fr")):
        table = lexsim.table(*pair)
        for src in (True, False):
            ids = {}
            flat, mass = _table_flat(tokens, table, src, ids)
            bags = [table.source_bag(s) if src else table.target_bag(s) for s in side]
            assert _counters(flat, ids) == [{k: float(v) for k, v in b.items()} for b, _ in bags]
            assert mass.tolist() == [float(n) for _, n in bags]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(TRICKY), sentence), min_size=1, max_size=8))
def test_one_scan_finds_each_sentences_tokens(side: list[str]) -> None:
    """The side's scan (word-character runs first, split where they mix letters, digits and
    underscores) gives each sentence the tokens its own pattern finds, in order."""
    from cleaners.align import _ANCHOR_TOKEN, _LEX_TOKEN, _Tokens

    for pattern in (_ANCHOR_TOKEN, _LEX_TOKEN):
        tokens = _Tokens.of(side, pattern)
        found: list[list[str]] = [[] for _ in side]
        for t, line in zip(tokens.tok.tolist(), tokens.line.tolist(), strict=True):
            found[line].append(tokens.types[t])
        assert found == [pattern.findall(s.replace("\n", " ")) for s in side]


# ---------------------------------------------------------------- the coverage score


def _textberg_dev() -> tuple[list[str], list[str], list[tuple[tuple[int, ...], ...]]]:
    """Text+Berg de–fr dev: German and French sentences and the gold beads (all of them)."""
    import json

    base = SHARED / "textberg-bleualign-de-fr"
    if not base.exists():
        pytest.skip(f"shared data not found at {base} (the dev sets live beside the repo)")
    de = (base / "dev.de").read_text(encoding="utf-8").rstrip("\n").split("\n")
    fr = (base / "dev.fr").read_text(encoding="utf-8").rstrip("\n").split("\n")
    gold = []
    for line in (base / "dev.defr").read_text(encoding="utf-8").rstrip("\n").split("\n"):
        left, right = (tuple(json.loads(side)) for side in line.split(":"))
        gold.append((left, right))
    return de, fr, gold


def _textberg_dev_f1(config: AlignConfig) -> float:
    """Strict F1 on Text+Berg de–fr dev (real gold beads; null beads left out)."""
    de, fr, all_gold = _textberg_dev()
    gold = {(left, right) for left, right in all_gold if left and right}
    beads = align(de, fr, config, src_lang="de", tgt_lang="fr")
    assert_covers(beads, len(de), len(fr), any_two_sided=True)
    test = {(b.ru, b.en) for b in beads if b.ru and b.en}
    p, r = len(test & gold) / len(test), len(test & gold) / len(gold)
    return 2 * p * r / (p + r)


def test_coverage_keeps_a_translators_regrouping_together() -> None:
    """Literary translation regroups sentences (2-2, 3-2 beads): one Dice per bead rewarded
    cutting them into 1-1s; per-sentence coverage does not (measured .870 → .909)."""
    coverage = _textberg_dev_f1(AlignConfig(lexical_score="coverage"))
    dice = _textberg_dev_f1(AlignConfig(lexical_score="dice"))
    assert coverage > dice + 0.02


def test_coverage_holds_on_damaged_real_news() -> None:
    """News damage is joins, splits and drops, not regrouping: no loss there."""
    coverage = _strict_f1(AlignConfig(lexical_score="coverage"))
    assert coverage >= _strict_f1(AlignConfig(lexical_score="dice")) - 0.002


def test_stress_marks_change_no_bead_and_no_score() -> None:
    """Russian stress marks (дыши́те) split no word for the aligner's anchors and word table."""
    ru = [
        "Пожалуйста, дышите глубже и не волнуйтесь.",
        "Врач скоро придёт и осмотрит больного.",
        "Погода была тёплой всю неделю.",
        "Учёные открыли новый вид рыбы в озере.",
    ]
    en = [
        "Please breathe deeper and do not worry.",
        "The doctor will come soon and examine the patient.",
        "The weather was warm all week.",
        "Scientists discovered a new species of fish in the lake.",
    ]
    stressed = [re.sub(r"\b(\w*?[аеиоуыэюя])(?=\w+\b)", "\\g<1>\u0301", s) for s in ru]
    assert all("\u0301" in s for s in stressed)
    plain = [(b.ru, b.en, b.score) for b in align(ru, en)]
    assert [(b.ru, b.en, b.score) for b in align(stressed, en)] == plain
    # Negative: a real change of words still changes the scores.
    other = [(b.ru, b.en, b.score) for b in align([ru[0], ru[2], ru[1], ru[3]], en)]
    assert other != plain


# ---------------------------------------------------------------- one script: de–fr


@pytest.fixture
def heldout_defr(monkeypatch: pytest.MonkeyPatch) -> None:
    """The de–fr word table rebuilt without Text+Berg dev (FLORES dev alone: the same build,
    fewer inputs, and without the dictionaries, direct or pivot, so that no package is needed),
    so that Text+Berg dev is scored by a table that never saw it."""
    from cleaners import lexsim
    from cleaners.lexsim import build

    if not (SHARED / "flores200").exists():
        pytest.skip(f"shared data not found at {SHARED}")
    kept = [f for f in build.SOURCES["de-fr"] if "textberg" not in f[0]]
    monkeypatch.setitem(build.SOURCES, "de-fr", kept)
    monkeypatch.delitem(build.DICTIONARIES, "de-fr")
    monkeypatch.delitem(build.PIVOTS, "de-fr")
    text = build.build(SHARED, "de-fr")
    shipped = lexsim.table
    parsed = {
        ("de", "fr"): lexsim.parse(text, "de", "fr"),
        ("fr", "de"): lexsim.parse(text, "fr", "de", flipped=True),
    }
    monkeypatch.setattr(lexsim, "table", lambda a="ru", b="en": parsed.get((a, b)) or shipped(a, b))


def test_cognates_and_coverage_on_a_text_the_table_never_saw(heldout_defr: None) -> None:
    """A table learned from a thousand FLORES sentences knows few of a mountaineering
    yearbook's words, but many are cognates of their translation (Everest, Expedition ~
    expédition, geologisch ~ géologie): their keys give the coverage score words to cover
    (measured .880 → .919 with the rest of the default path; .892 without the cognate keys)."""
    default = _textberg_dev_f1(AlignConfig())
    assert default > _textberg_dev_f1(AlignConfig(cognate_prefix=0)) + 0.01
    assert default > _textberg_dev_f1(AlignConfig(lexical_score="dice", cognate_prefix=0)) + 0.02


def test_refit_prior_past_two_two(heldout_defr: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """Text+Berg's translators regroup sentences far more often than the configured prior of
    3-1, 1-3, 3-2, … beads expects; refitted to the first path it keeps them (measured .901
    without the refit, .919 with it)."""
    import cleaners.align as aligner

    refitted = _textberg_dev_f1(AlignConfig())
    monkeypatch.setattr(aligner, "_BIG_TRIGGER", float("inf"))
    assert refitted > _textberg_dev_f1(AlignConfig()) + 0.01


def test_three_sentences_regrouped_into_three(heldout_defr: None) -> None:
    """A translator's regrouping of three sentences into three is one 3-3 bead: Text+Berg
    dev's two gold 3-3 beads came out as 2-2 + 1-1 and 1-2 + 2-1 before the search had the
    move (held-out folds: strict mean .950 → .953, no fold lower). The held-out table finds
    one of them (the shipped one, which saw dev, both); no 3-3 bead that is not gold."""
    de, fr, gold = _textberg_dev()
    threes = {(r, e) for r, e in gold if len(r) == len(e) == 3}
    beads = {(b.ru, b.en) for b in align(de, fr, src_lang="de", tgt_lang="fr")}
    found = {(r, e) for r, e in beads if len(r) == len(e) == 3}
    assert len(threes) == 2
    assert found and found <= threes


def test_refit_leaves_news_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """News damage has no beads past 2-2 (and ru–en's Dice score never refits): the refit
    does not change its alignment."""
    import cleaners.align as aligner

    docs = _wmt21_docs()[:40]
    before = []
    for k, (ru, en) in enumerate(docs):
        d_ru, d_en, _ = _damage(ru, en, random.Random(k))
        before.append(align(d_ru, d_en))
    monkeypatch.setattr(aligner, "_BIG_TRIGGER", float("inf"))
    for k, (ru, en) in enumerate(docs):
        d_ru, d_en, _ = _damage(ru, en, random.Random(k))
        assert align(d_ru, d_en) == before[k]


def test_deletion_prior_refitted_to_a_document_that_lost_many_sentences(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A long document that lost a fifth of its English lines (WMT21 dev documents joined,
    each English line dropped with probability .2) gets a cheaper deletion: the prior refitted
    to its first path finds more of the lost lines and gets more beads right than the fixed
    one (measured 161 against 157 of 167 gold beads; bench/skip_rates.py: paper F1 .9629 →
    .9698 on six such documents)."""
    import cleaners.align as aligner

    ru: list[str] = []
    en_all: list[str] = []
    for d_ru, d_en in _wmt21_docs()[:18]:  # ~170 lines
        ru += d_ru
        en_all += d_en
    rng = random.Random(5)
    gold: set[tuple[tuple[int, ...], tuple[int, ...]]] = set()
    en: list[str] = []
    for i, line in enumerate(en_all):
        if rng.random() < 0.2:
            gold.add(((i,), ()))
        else:
            gold.add(((i,), (len(en),)))
            en.append(line)

    def right() -> int:
        beads = align(ru, en)
        assert_covers(beads, len(ru), len(en))
        return len({(b.ru, b.en) for b in beads} & gold)

    refitted = right()
    monkeypatch.setattr(aligner, "_SKIP_REFIT", False)
    assert refitted >= right() + 3


def test_contentless_lines_are_dropped_not_merged() -> None:
    """A scanned page's debris after a sentence whose translation is shorter than it comes out
    as 0-1 beads, not merged into that sentence's bead (where it would even the lengths)."""
    de = [
        "Die Expedition erreichte am zwölften Juli nach einem langen und sehr mühsamen Aufstieg "
        "durch tiefen Schnee den Gipfel des Berges.",
        "Der Abstieg über den Nordgrat dauerte zwei lange Tage.",
        "Im Lager warteten die Träger mit Tee und Suppe.",
    ]
    fr = [
        "L'expédition atteignit le sommet le douze juillet.",
        ".....",
        "- _-",
        "* , *^",
        "La descente par l'arête nord dura deux longues journées.",
        "Au camp, les porteurs attendaient avec du thé et de la soupe.",
    ]
    beads = [(b.ru, b.en) for b in align(de, fr, src_lang="de", tgt_lang="fr")]
    assert beads == [((0,), (0,)), ((), (1,)), ((), (2,)), ((), (3,)), ((1,), (4,)), ((2,), (5,))]


@pytest.mark.parametrize("mark", [";", ":", ",", "; »"])
def test_a_sentence_ending_open_keeps_its_continuation(
    mark: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A French sentence cut at a semicolon, colon or comma (a closing quote after the mark
    looked through) goes into one bead with the rest of its sentence, not the rest dropped as a
    0-1; the same two sentences with a full stop between them still drop the second (nothing
    but the ending tells them apart), and so do they without the cost."""
    de = ["Die Träger streikten , da sie mehr Lohn verlangten .", "Der Leiter gab nach ."]
    fr = [f"Les porteurs se mirent en grève {mark}", "ils voulaient un meilleur salaire .",
          "Le chef céda ."]  # fmt: skip
    merged = [((0,), (0, 1)), ((1,), (2,))]
    dropped = [((0,), (0,)), ((), (1,)), ((1,), (2,))]
    assert [(b.ru, b.en) for b in align(de, fr, src_lang="de", tgt_lang="fr")] == merged
    closed = ["Les porteurs se mirent en grève .", "Ils voulaient un meilleur salaire .", fr[2]]
    assert [(b.ru, b.en) for b in align(de, closed, src_lang="de", tgt_lang="fr")] == dropped
    monkeypatch.setattr("cleaners.align._OPEN_END_COST", 0.0)
    assert [(b.ru, b.en) for b in align(de, fr, src_lang="de", tgt_lang="fr")] == dropped


def test_second_look_joins_a_fragment_folded_into_its_neighbour() -> None:
    """A skipped sentence joins the neighbouring bead where it translates words of the other
    side that nothing in the bead translated; one that translates nothing new stays skipped."""
    from cleaners import lexsim
    from cleaners.align import _recheck_skips

    table = lexsim.table("de", "fr")
    de = ["Die Route über den Grat war lang .", "Dann kehrte Hillary zurück .", "Ja ."]
    fr = ["La route de l' arête était longue et Hillary revint .", "Oui ."]
    spans = [((0,), (0,), 0.9), ((1,), (), 0.0), ((2,), (1,), 0.9)]
    assert _recheck_skips(spans, de, fr, table, 5) == [((0, 1), (0,), 0.9), ((2,), (1,), 0.9)]
    # Negative: the skipped sentence's words are not in the neighbour's translation.
    other = ["Die Route über den Grat war lang .", "Niemand schlief in dieser Nacht .", "Ja ."]
    assert _recheck_skips(spans, other, fr, table, 5) == spans
    # Negative: a word the bead's own sentence already translates is nothing new; the
    # neighbour where it is new gets the sentence (here the bead after it).
    de2 = ["Hillary stieg auf .", "Dann kehrte Hillary zurück .", "Ja ."]
    fr2 = ["Hillary monta .", "Oui , Hillary revint ."]
    assert _recheck_skips(spans, de2, fr2, table, 5) == [((0,), (0,), 0.9), ((1, 2), (1,), 0.9)]


def test_unknown_german_compound_brings_its_known_parts() -> None:
    """A compound the word table does not know (Zeltplatz) counts as its parts the table
    knows (Platz → place, Zelt → tente), on the German side whichever side that is; a known
    compound keeps its own key alone, and French words are never split."""
    from cleaners import lexsim
    from cleaners.align import _compound_keys, _content_keys

    text = "!key\tstem5\nzelt\ttente\t0.5\nplatz\tplace\t0.5\n"
    de_fr = lexsim.parse(text, "de", "fr")
    assert _compound_keys("zeltplatz", de_fr, "src") == ["platz", "zelt"]
    assert _content_keys([["zeltplatz"]], de_fr, "src") == [["zeltp", "platz", "zelt"]]
    fr_de = lexsim.parse(text, "fr", "de", flipped=True)
    assert _content_keys([["zeltplatz"]], fr_de, "tgt") == [["zeltp", "platz", "zelt"]]
    french = fr_de.content_keys(["zeltplatz"], "src")  # (one key: its French stem)
    assert _content_keys([["zeltplatz"]], fr_de, "src") == [french]
    known = lexsim.parse(text + "zeltp\tcampin\t0.5\n", "de", "fr")
    assert _compound_keys("zeltplatz", known, "src") == []


def test_roman_numerals_count_as_numbers_between_one_script_languages() -> None:
    """Camp IV of a French translation is Lager 4 of its German original: the two lines
    share a number anchor and pay no number-miss cost; ru–en's anchors (names through
    transliteration) read Roman numerals as before, and a lone I or V is no number."""
    assert anchors("Lager 4 und Lager II !", words=False) == anchors(
        "camp IV et camp 2 !", words=False
    )
    assert "#2" not in anchors("Николай II", words=True)
    assert anchors("I saw V. Smith", words=False) == anchors("saw Smith", words=False)


def test_page_header_inside_a_sentence_is_left_out_of_its_costs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A scanned book's running header and page numbers left inside a French fragment
    (numbers and words the German lacks) made it a 0-1 bead; without them in its costs it
    joins its sentence's bead. The beads still index the sentences as written."""
    import cleaners.align as aligner

    de = [
        "Am Morgen verliessen wir das Tal und stiegen über den Gletscher zur Hütte auf .",
        "Dort hielt uns das schlechte Wetter fest , und wir warteten zwei Tage .",
        "Am dritten Tag brachen wir früh auf und erreichten den Grat gegen Mittag .",
        "Der Abstieg über die Nordflanke war lang und mühsam .",
    ]
    fr = [
        "Le matin , nous avons quitté la vallée et gagné la cabane par le glacier .",
        "Là , le mauvais temps nous a retenus ;",
        "nous avons attendu 2 Les Alpes - 1957 - Die Alpen 17 deux jours .",
        "Le troisième jour , nous sommes partis tôt et avons atteint l' arête vers midi .",
        "La descente par le flanc nord fut longue et pénible .",
    ]
    beads = [(b.ru, b.en) for b in align(de, fr, src_lang="de", tgt_lang="fr")]
    assert beads == [((0,), (0,)), ((1,), (1, 2)), ((2,), (3,)), ((3,), (4,))]
    monkeypatch.setattr(aligner, "_FURNITURE", False)
    beads = [(b.ru, b.en) for b in align(de, fr, src_lang="de", tgt_lang="fr")]
    assert ((), (1,)) in beads


def test_page_furniture_needs_a_bilingual_title_or_the_other_side() -> None:
    """Words between two page-number-like numbers are furniture only when they hold a year and
    function words of both languages of the pair, or make such a span on the other side too;
    numbers around the sentence's own words (camps 2 and 3) or a French place name in German
    text stay."""
    from cleaners import lexsim
    from cleaners.align import _without_furniture

    table = lexsim.table("de", "fr")
    de = ["Wir stiegen 2 Die Alpen - 1957 - Les Alpes 17 weiter .", "Von Lager 2 bis Lager 3 ."]
    fr = ["Nous avons continué .", "Du camp 2 au camp 3 ."]
    assert _without_furniture(de, fr, table) == (
        ["Wir stiegen weiter .", "Von Lager 2 bis Lager 3 ."],
        fr,
    )
    place = ["Wir stiegen 2 zum Col de la Forclaz 3 weiter .", "Von Lager 2 bis Lager 3 ."]
    assert _without_furniture(place, fr, table) == (place, fr)
    dated = ["Wir stiegen am 2 . Juli 1956 zum Gipfel 3 weiter .", "Von Lager 2 bis Lager 3 ."]
    assert _without_furniture(dated, fr, table) == (dated, fr)
    # Without a function word of each language, one side's span alone is not enough ...
    de2 = ["Wir stiegen 2 Schweizer Alpen - 1957 17 weiter .", "Von Lager 2 bis Lager 3 ."]
    assert _without_furniture(de2, fr, table) == (de2, fr)
    # ... but the same words between page numbers on both sides are.
    fr2 = ["Nous avons 4 Schweizer Alpen - 1957 5 continué .", "Du camp 2 au camp 3 ."]
    assert _without_furniture(de2, fr2, table) == (
        ["Wir stiegen weiter .", "Von Lager 2 bis Lager 3 ."],
        ["Nous avons continué .", "Du camp 2 au camp 3 ."],
    )


def test_page_number_line_is_dropped_not_merged(monkeypatch: pytest.MonkeyPatch) -> None:
    """A scanned page's number on a line of its own ("31 a !") after a sentence whose German
    is longer than its French is dropped between two languages in one script, not merged to
    even the lengths; a line with a year (four digits) is no page number."""
    import cleaners.align as aligner

    de = [
        "Am frühen Morgen verliessen wir bei klarem Himmel das Tal und stiegen in fünf langen "
        "Stunden über den spaltenreichen Gletscher zur Hütte auf .",
        "Der Hüttenwart empfing uns mit heissem Tee .",
        "Am dritten Tag brachen wir früh auf und erreichten den Grat gegen Mittag .",
    ]
    fr = [
        "Le matin , nous avons quitté la vallée et gagné la cabane par le glacier .",
        "31 a ! ",
        "Le gardien nous reçut avec du thé chaud .",
        "Le troisième jour , nous sommes partis tôt et avons atteint l' arête vers midi .",
    ]
    beads = [(b.ru, b.en) for b in align(de, fr, src_lang="de", tgt_lang="fr")]
    assert beads == [((0,), (0,)), ((), (1,)), ((1,), (2,)), ((2,), (3,))]
    year = [fr[0], "1931 a ! ", *fr[2:]]
    beads = [(b.ru, b.en) for b in align(de, year, src_lang="de", tgt_lang="fr")]
    assert beads[0] == ((0,), (0, 1))
    monkeypatch.setattr(aligner, "_PAGE_NUMBERS", False)
    beads = [(b.ru, b.en) for b in align(de, fr, src_lang="de", tgt_lang="fr")]
    assert beads[0] == ((0,), (0, 1))


def test_second_look_leaves_a_long_run_of_skipped_lines_alone() -> None:
    """A skipped sentence at the edge of a long run of skipped ones (a book's captions, one
    side only) stays skipped even where it translates words of the neighbouring bead; at
    the edge of a short run it joins that bead as before."""
    from cleaners import lexsim
    from cleaners.align import _BLOCK_RUN, _recheck_skips

    table = lexsim.table("de", "fr")
    fr = ["La route de l' arête était longue et Hillary revint .", "Oui ."]

    def case(run: int) -> tuple[list[str], list[tuple[tuple[int, ...], tuple[int, ...], float]]]:
        de = ["Die Route über den Grat war lang .", "Dann kehrte Hillary zurück ."]
        de += [f"Bild {k} : Blick vom Gipfel ." for k in range(run - 1)] + ["Ja ."]
        spans = [((0,), (0,), 0.9)] + [((i,), (), 0.0) for i in range(1, run + 1)]
        return de, spans + [((run + 1,), (1,), 0.9)]

    de, spans = case(_BLOCK_RUN)
    assert _recheck_skips(spans, de, fr, table, 5) == spans
    de, spans = case(_BLOCK_RUN - 1)
    assert _recheck_skips(spans, de, fr, table, 5)[0] == ((0, 1), (0,), 0.9)


def test_one_byte_counts_change_no_bead(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bags' counts are held in one byte where they fit (a 20 MB pair's 3.3 M entries,
    held while every level runs); beads and scores are those of float32 counts."""
    import numpy as np

    from cleaners import align as al

    ru = [f"В {1990 + i % 30} году Токаев {i} раз встретился с Алиевым в Баку." for i in range(400)]
    en = [f"In {1990 + i % 30} Tokayev met Aliyev in Baku {i} times." for i in range(400)]
    del en[57], ru[200]
    tokens = al._Tokens.of(ru)
    assert al._anchor_flat(tokens, True, {}).count.dtype == np.uint8
    small = align(ru, en)
    monkeypatch.setattr(al, "_count_dtype", lambda top: np.float32)
    assert al._anchor_flat(tokens, True, {}).count.dtype == np.float32
    assert align(ru, en) == small


# ---------------------------------------------------------------- long segments (CLI)


def _flores_dev(lang: str, k: int) -> list[str]:
    path = SHARED / "flores200" / f"dev.{lang}.txt"
    if not path.exists():
        pytest.skip(f"shared data not found at {path} (the dev sets live beside the repo)")
    return path.read_text(encoding="utf-8").splitlines()[:k]


def _cli_align(tmp_path: Path, ru: list[str], en: list[str], *extra: str) -> list[list[str]]:
    (tmp_path / "a.txt").write_text("\n".join(ru) + "\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("\n".join(en) + "\n", encoding="utf-8")
    r = mtclean("align", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), *extra)
    assert r.returncode == 0, r.stderr
    return [line.split("\t") for line in r.stdout.splitlines()]


@pytest.mark.parametrize("copies", [1, 20, 50])
def test_one_long_line_a_side_is_one_bead(tmp_path: Path, copies: int) -> None:
    """A side that is one long line (the same 20 FLORES dev sentences ``copies`` times) against
    its translation as one line: one 1-1 bead (counted one by one, the few numbers the
    translation rewords cost more than leaving both lines unaligned)."""
    ru = [" ".join(_flores_dev("rus_Cyrl", 20) * copies)]
    en = [" ".join(_flores_dev("eng_Latn", 20) * copies)]
    assert [(b[0], b[1]) for b in _cli_align(tmp_path, ru, en)] == [("0", "0")]


@pytest.mark.parametrize(
    ("n", "m", "langs"),
    [
        (10, 60, ("rus_Cyrl", "eng_Latn")),
        (40, 60, ("rus_Cyrl", "eng_Latn")),
        (2, 60, ("rus_Cyrl", "eng_Latn")),
        (60, 2, ("rus_Cyrl", "eng_Latn")),
        (5, 60, ("deu_Latn", "fra_Latn")),
    ],
)
def test_one_side_cut_short_keeps_its_lines_pairs(
    tmp_path: Path, n: int, m: int, langs: tuple[str, str]
) -> None:
    """The first n lines of a FLORES dev text against its first m (an MT export cut off): the
    shorter side's lines pair with their own lines, the rest stay one-sided (the two sides'
    totals, read as a length ratio, once turned every 1-1 into a 1-4 of another part)."""
    ru, en = _flores_dev(langs[0], n), _flores_dev(langs[1], m)
    extra = ("--src-lang", "de", "--tgt-lang", "fr") if langs[0] == "deu_Latn" else ()
    beads = _cli_align(tmp_path, ru, en, *extra)
    two_sided = [(b[0], b[1]) for b in beads if b[0] and b[1]]
    assert two_sided == [(str(i), str(i)) for i in range(min(n, m))]


def test_one_side_four_times_longer_widens_the_band_in_few_rounds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """4,000 dev lines (WMT21, FLORES, TICO-19) against their first 1,000: every line pairs
    with its own, and the band grows to hold the path in a few rounds (it grew a few rows at a
    time: 76 programs, the time of thirty balanced documents of that size)."""
    import cleaners.align as al

    sides: list[list[str]] = [[], []]
    for ru_name, en_name in [
        ("wmt21-newstest-ru-en/src.ru.txt", "wmt21-newstest-ru-en/ref.A.en.txt"),
        ("flores200/dev.rus_Cyrl.txt", "flores200/dev.eng_Latn.txt"),
        ("tico19-test-ru-en/rus.txt", "tico19-test-ru-en/eng.txt"),
    ]:
        for side, name in enumerate((ru_name, en_name)):
            path = SHARED / name
            if not path.exists():
                pytest.skip(f"shared data not found at {path}")
            sides[side] += path.read_text(encoding="utf-8").splitlines()
    ru, en = sides[0][:4000], sides[1][:1000]
    runs = []
    real_run = al._run

    def counted(*args: object, **kwargs: object) -> object:
        runs.append(1)
        return real_run(*args, **kwargs)

    monkeypatch.setattr(al, "_run", counted)
    beads = align(ru, en)
    assert [(b.ru, b.en) for b in beads if b.ru and b.en] == [((i,), (i,)) for i in range(1000)]
    assert len(runs) <= 30


def test_a_sentence_sharing_nothing_with_its_bead_is_split_off() -> None:
    """A bead's edge sentence with no content word or anchor in common with the other side
    (the rest sharing words) leaves as a 0-1 / 1-0 bead; one that shares a word stays."""
    from cleaners import lexsim
    from cleaners.align import _split_strangers

    table = lexsim.table("ru", "en")
    ru = ["Министр финансов заявил, что бюджет страны вырос на пять процентов за год."]
    said = "The finance minister said the country's budget grew by five percent over the year."
    stranger = "Beginners should not try throwing darts in windy weather."
    spans = [((0,), (0, 1), 0.87)]
    assert _split_strangers(spans, ru, [said, stranger], table) == [
        ((0,), (0,), 0.87),
        ((), (1,), 0.0),
    ]
    assert _split_strangers(spans, ru, [stranger, said], table) == [
        ((), (0,), 0.0),
        ((0,), (1,), 0.87),
    ]
    # Negative: the second sentence says something the Russian does ("заявил" ~ "said").
    more = "He said the growth would continue next year."
    assert _split_strangers(spans, ru, [said, more], table) == spans
    # Negative: too few content words to judge.
    assert _split_strangers(spans, ru, [said, "Good luck."], table) == spans
    # The Russian side alike: a sentence with a name the English lacks.
    ru2 = [ru[0], "Погода в Сочи будет солнечной и тёплой всю неделю."]
    assert _split_strangers([((0, 1), (0,), 0.9)], ru2, [said], table) == [
        ((0,), (0,), 0.9),
        ((1,), (), 0.0),
    ]
