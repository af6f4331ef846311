"""Language identification: script layer, alphabets, short text, determinism, real data."""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from cleaners import langev, lid
from cleaners.config import LidConfig

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
FLORES = SHARED / "data" / "flores200"
CODES = {
    "ru": "rus_Cyrl",
    "en": "eng_Latn",
    "uk": "ukr_Cyrl",
    "be": "bel_Cyrl",
    "bg": "bul_Cyrl",
    "kk": "kaz_Cyrl",
    "sr": "srp_Cyrl",
    "mk": "mkd_Cyrl",
    "de": "deu_Latn",
    "fr": "fra_Latn",
}


# --------------------------------------------------------------------------- script layer


def test_script_shares_mixed_and_empty():
    assert lid.script_shares("Путин met Xi") == {"Cyrl": 0.5, "Latn": 0.5}
    assert lid.script_shares("ВСУ") == {"Cyrl": 1.0}
    assert lid.script_shares("12:18, 2023 — !") == {}
    shares = lid.script_shares("Ελλάδα and Россия")
    assert set(shares) == {"Grek", "Latn", "Cyrl"}
    assert sum(shares.values()) == pytest.approx(1.0, abs=1e-3)


@given(st.text(max_size=60))
@settings(max_examples=200, deadline=None)
def test_script_shares_sum_to_one_or_empty(text):
    shares = lid.script_shares(text)
    assert not shares or sum(shares.values()) == pytest.approx(1.0, abs=2e-3)
    assert all(0 < v <= 1 for v in shares.values())


@pytest.mark.parametrize(
    "text", ["", "   ", "12:18", "2023-04-10 18:18", "!!! ???", "https://x.ru/a"]
)
def test_no_letters_is_und(text):
    assert lid.detect(text) == ("und", 0.0)


@pytest.mark.parametrize("backend", ["auto", "langdetect", "fasttext", "lingua"])
def test_text_without_a_word_is_und_whatever_the_backend(backend):
    """A lone letter, or letters standing alone, is no evidence of a language: every backend
    named one ("a": English 0.85, "x y": German 0.61 from auto; langdetect "I": Indonesian).
    A two-letter word is evidence, and batches agree with single calls."""
    cfg = LidConfig(backend=backend)
    texts = ["a", "I", "я", "x y", "5 a", "A. B. C.", "x\ny"]
    assert [lid.detect(t, cfg) for t in texts] == [("und", 0.0)] * len(texts)
    assert lid.detect_batch(texts, cfg) == [("und", 0.0)] * len(texts)
    assert lid.detect("Да", cfg)[0] != "und" and lid.detect("OK", cfg)[0] != "und"


def test_foreign_letters_counts_against_a_language():
    assert lid.foreign_letters("Київ", "ru") == 1  # ї
    assert lid.foreign_letters("быстро", "uk") == 1  # ы
    assert lid.foreign_letters("Москва", "ru") == 0


# --------------------------------------------------------------------------- short text


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Привет", "ru"),
        ("Спасибо большое", "ru"),
        ("Москва", "ru"),
        ("ВСУ", "ru"),
        ("Hello", "en"),
        ("thank you", "en"),
        ("the talks", "en"),
        ("Їжак", "uk"),  # ї: only Ukrainian
        ("Дзякуй вялікі", "be"),  # і without Ukrainian letters, plus Belarusian words
        ("Қазақстан Республикасы", "kk"),  # қ
        ("Ђорђе Јовановић", "sr"),  # ђ ћ
        ("Ѓорѓи Ќосев", "mk"),  # ѓ ќ
        ("Guten Morgen", "de"),
        ("Bonjour à tous", "fr"),
    ],
)
def test_short_text(text, lang):
    assert lid.detect(text)[0] == lang


def test_english_never_russian_and_back():
    # Script decides ru vs en even for one word: no Latin text is ever 'ru'.
    for word in ["a", "I", "OK", "Tokayev", "Novorossiysk", "APU", "pin_code"]:
        assert lid.detect(word)[0] != "ru"
    for word in ["и", "в", "Я", "ВСУ", "Токаев"]:
        assert lid.detect(word)[0] != "en"


def test_mixed_segment_goes_with_its_majority_script():
    assert lid.detect("Президент сказал: «Made in Russia» — это наш бренд")[0] == "ru"
    assert lid.detect("The word «спасибо» means thank you in Russian")[0] == "en"


def test_score_in_unit_interval():
    for text in ["Привет", "Hello there", "Добрий вечір", "xz"]:
        lang, score = lid.detect(text)
        assert 0.0 < score <= 1.0, (text, lang, score)


# --------------------------------------------------------------------------- determinism


def test_same_output_any_batch_order_and_threads():
    texts = [
        "Привет",
        "Добрий вечір",
        "Hello world",
        "Добра вечер",
        "Казахстан наращивает поставки нефти",
        "Guten Tag",
        "то есть",
    ] * 3
    first = lid.detect_batch(texts)
    order = list(range(len(texts)))
    random.Random(5).shuffle(order)
    shuffled = lid.detect_batch([texts[i] for i in order])
    assert [shuffled[order.index(i)] for i in range(len(texts))] == first
    assert [lid.detect(t) for t in texts] == first
    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(lid.detect, texts)) == first


def test_langdetect_backend_is_seeded_and_repeatable():
    cfg = LidConfig(backend="langdetect", seed=0)
    texts = ["Привет", "The president met his counterpart in Astana", "Добрый вечер", "ok"]
    first = lid.detect_batch(texts, cfg)
    assert lid.detect_batch(texts, cfg) == first
    with ThreadPoolExecutor(3) as pool:
        assert list(pool.map(lambda t: lid.detect(t, cfg), texts)) == first
    assert first[1][0] == "en"
    assert lid.detect("1234", cfg) == ("und", 0.0)


def test_other_backends_answer_iso_codes():
    for backend in ("fasttext", "lingua"):
        cfg = LidConfig(backend=backend)
        assert lid.detect("Казахстан наращивает поставки нефти в Европу", cfg)[0] == "ru"
        assert lid.detect("Kazakhstan steps up oil supplies to Europe", cfg)[0] == "en"


def test_config_rejects_unknown_keys_and_bad_values():
    with pytest.raises(ValidationError):
        LidConfig(backend="cld3")
    with pytest.raises(ValidationError):
        LidConfig.model_validate({"priors": {"ru": 2}})


def test_prior_decides_ambiguous_snippets():
    # 'Довиждане' is Bulgarian without a letter Russian lacks: evidence alone says
    # bg, an overwhelming Russian prior says ru. The prior is the knob, per product.
    assert lid.detect("Довиждане", LidConfig(prior={}))[0] == "bg"
    assert lid.detect("Довиждане", LidConfig(prior={"ru": 1e6}))[0] == "ru"


@pytest.mark.parametrize("text", ["Дякую", "Дякую вам", "Як справи", "Доброго ранку"])
def test_word_frequencies_tell_short_ukrainian_from_russian(text):
    # No letter Russian lacks, and fastText's n-grams lean Russian: the words decide.
    assert lid.detect(text)[0] == "uk"


@pytest.mark.parametrize("text", ["Спасибо", "Как дела", "Добрый день", "Привет"])
def test_word_frequencies_keep_short_russian_russian(text):
    assert lid.detect(text)[0] == "ru"


@pytest.mark.parametrize("text", ["Як справы", "У горадзе", "сёння вечарам"])
def test_belarusian_snippet_without_telltale_letters_is_not_russian(text):
    # No і or ў, and Belarusian has no word list: the words Russian's large list does
    # not know ("горадзе", "сёння") speak against Russian. (Russian said ru for all three.)
    assert lid.detect(text)[0] == "be"


@pytest.mark.parametrize("text", ["мектепке бардым", "балалар ойнады"])
def test_kazakh_snippet_without_telltale_letters_is_not_russian(text):
    assert lid.detect(text)[0] == "kk"


@pytest.mark.parametrize(
    ("text", "lang"), [("каб яго", "be"), ("альбо яна", "be"), ("тек осы", "kk")]
)
def test_bundled_common_words_of_languages_without_a_list(text, lang):
    # Russian's large list has "яго", "каб", "осы" at zipf 2-4 (borrowed text, other
    # senses); data/lid_words.tsv says they are everyday Belarusian and Kazakh words.
    assert lid.detect(text)[0] == lang


@pytest.mark.parametrize(
    "text", ["зловонная лужица", "старинный кринолин", "нахохлившийся воробей"]
)
def test_russian_snippet_with_a_rare_word_stays_russian(text):
    # "лужица", "кринолин", "нахохлившийся" are below the small list's zipf 3 but in
    # the large list: known to Russian, so no evidence against it.
    assert lid.detect(text)[0] == "ru"


def test_rare_word_list_knows_rare_russian_words_only():
    assert 1e-8 <= langev.rare_freq("ru", "кринолин") < 1e-6
    assert langev.rare_freq("ru", "горадзе") == 0.0
    assert langev.rare_freq("ru", "и") == 0.0  # common words are the small list's


@pytest.mark.parametrize(
    "text", ["В офиса нямаше никого.", "Богатите често ядяха в тези ресторанти."]
)
def test_unsure_longer_text_is_weighed_by_its_words(text):
    # Bulgarian without a letter Russian lacks, that fastText and the prior call
    # Russian: the words ("нямаше", "ядяха") settle it.
    assert lid.detect(text, LidConfig(lexicon_sure=0))[0] == "ru"
    assert lid.detect(text)[0] == "bg"
    assert lid.detect("В офисе никого не было.")[0] == "ru"


# --------------------------------------------------------------------------- document level


def test_document_language_is_length_weighted():
    texts = ["Длинный русский абзац о поставках нефти через Каспий", "OK", "Hi"]
    results = [("ru", 0.9), ("en", 0.99), ("en", 0.99)]
    lang, score = lid.document_language(texts, results)
    assert lang == "ru"
    assert 0.5 < score < 1.0


def test_document_language_ignores_und_and_breaks_ties_stably():
    assert lid.document_language(["12:18"], [("und", 0.0)]) == ("und", 0.0)
    assert lid.document_language([], []) == ("und", 0.0)
    assert lid.document_language(["abc", "где"], [("en", 1), ("ru", 1)]) == ("en", 0.5)
    assert lid.document_language(["где", "abc"], [("ru", 1), ("en", 1)]) == ("en", 0.5)


# --------------------------------------------------------------------------- start-up


def test_import_is_light():
    code = (
        "import sys, cleaners.lid; "
        "heavy = [m for m in ('lingua', 'fasttext', 'langdetect', 'prefect', 'torch') "
        "if m in sys.modules]; print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --------------------------------------------------------------------------- real dev data


def _flores_dev(lang: str, n: int) -> list[str]:
    if not FLORES.is_dir():
        pytest.skip(f"shared data not found at {FLORES} (checkout without ../shared)")
    lines = (FLORES / f"dev.{CODES[lang]}.txt").read_text(encoding="utf-8").splitlines()
    return [ln for ln in lines if ln.strip()][:n]


def _snippets(sents: list[str], n: int, script: str) -> list[str]:
    # One window of n adjacent words per sentence, all in the language's script
    # ("Rock был" is not a Russian snippet).
    rng = random.Random(1)
    out = []
    for s in sents:
        words = re.findall(r"[^\W\d_]+", s)
        windows = [" ".join(words[i : i + n]) for i in range(len(words) - n + 1)]
        windows = [w for w in windows if lid.script_shares(w) == {script: 1.0}]
        if windows:
            out.append(windows[rng.randrange(len(windows))])
    return out


def _one_line(lang: str) -> str:
    """A book-length side as one line: WMT21 (source or reference A) and FLORES dev joined."""
    wmt = SHARED / "data" / "wmt21-newstest-ru-en"
    if not wmt.is_dir():
        pytest.skip(f"shared data not found at {wmt} (checkout without ../shared)")
    name = "src.ru.txt" if lang == "ru" else "ref.A.en.txt"
    lines = (wmt / name).read_text(encoding="utf-8").splitlines() + _flores_dev(lang, 10_000)
    return " ".join(ln.strip() for ln in lines if ln.strip())


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_a_book_length_line_keeps_its_language(lang: str):
    # The few accented names of 240 kB of English news (Müller, Françoise ...) once cost
    # English ten letters outside its alphabet and made the line French (0.90).
    text = _one_line(lang)
    assert len(text) > 200_000
    got, score = lid.detect(text)
    assert got == lang and score >= 0.9


def test_flores_dev_ru_en_sentences_and_snippets():
    sents = {k: _flores_dev(k, 200) for k in ("ru", "en")}
    for lang, lines in sents.items():
        preds = [p for p, _ in lid.detect_batch(lines)]
        assert preds.count(lang) / len(preds) >= 0.99, lang
        snips = _snippets(lines, 2, "Cyrl" if lang == "ru" else "Latn")
        preds = [p for p, _ in lid.detect_batch(snips)]
        assert preds.count(lang) / len(preds) >= 0.97, lang


def test_flores_dev_other_cyrillic_two_word_snippets_rarely_russian():
    # 11.5 % before Russian's large word list (ambiguity floor ~9 %: both words
    # ordinary Russian); ~4 % with it.
    called_ru = total = 0
    for lang in ("uk", "be", "bg", "kk", "sr", "mk"):
        preds = [p for p, _ in lid.detect_batch(_snippets(_flores_dev(lang, 150), 2, "Cyrl"))]
        called_ru += preds.count("ru")
        total += len(preds)
    assert called_ru / total <= 0.07


def _paragraphs(lines: list[str]) -> list[str]:
    # Consecutive lines joined 2, 3, 4, 2, ... at a time, as bench/lid.py --other-cyrillic.
    out, i, k = [], 0, 0
    while i < len(lines):
        out.append(" ".join(lines[i : i + 2 + k % 3]))
        i, k = i + 2 + k % 3, k + 1
    return out


def test_dev_paragraphs_of_other_cyrillic_are_never_taken_for_russian():
    """What keeps a paragraph from the ru→en model (lid.other_cyrillic): every FLORES dev
    paragraph of bg, mk, sr, uk (Bulgarian has no letter Russian lacks: the letters alone
    called none of them), and no Russian paragraph or short sentence (Tatoeba, whose
    "Вина лежала на Томе." the detector alone calls Serbian)."""
    for lang in ("bg", "mk", "sr", "uk"):
        paras = _paragraphs(_flores_dev(lang, 300))
        assert all(lid.other_cyrillic(p) for p in paras), lang
    assert not any(lid.other_cyrillic(p) for p in _paragraphs(_flores_dev("ru", 300)))
    tatoeba = SHARED / "data" / "tatoeba-test-v2021-08-07-ru-en" / "rus.txt"
    if tatoeba.is_file():
        short = tatoeba.read_text(encoding="utf-8").splitlines()[:3000]
        assert not [t for t in short if lid.other_cyrillic(t)]


def test_letters_russian_lacks_come_from_the_alphabet_table():
    # Bulgarian and Macedonian ѝ ѐ with the rest; never a letter of Russian's alphabet.
    letters = set(langev.NON_RUSSIAN_CYRILLIC)
    assert {"ѝ", "ѐ", "Ѝ", "і", "ј", "ә"} <= letters
    assert not letters & set(
        lid.alphabets()["ru"][1] | {c.upper() for c in lid.alphabets()["ru"][1]}
    )


def test_flores_dev_other_cyrillic_not_russian():
    called_ru = total = 0
    for lang in ("uk", "be", "bg", "kk", "sr", "mk"):
        preds = [p for p, _ in lid.detect_batch(_flores_dev(lang, 150))]
        assert preds.count(lang) / len(preds) >= 0.95, lang
        called_ru += preds.count("ru")
        total += len(preds)
    assert called_ru / total <= 0.01


# --------------------------------------------------------------------------- robustness


@given(st.text(max_size=200))
@settings(max_examples=300, deadline=None)
def test_any_text_gives_a_code_and_a_unit_score(text):
    lang, score = lid.detect(text)
    assert re.fullmatch(r"[a-z]{2,3}", lang)
    assert 0.0 <= score <= 1.0
    assert (lang == "und") == (score == 0.0)
    assert lid.detect(text) == (lang, score)


@pytest.mark.parametrize(
    "text",
    [
        "\x00\x01",
        "a\nb\rc",
        "\ud7ff",
        "́",
        "ВСУ\u200b",
        "x" * 5000,
        "Ж" * 5000,
        "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
        "😀 ok 😀",
    ],
)
def test_odd_input_does_not_break(text):
    lang, score = lid.detect(text)
    assert 0.0 <= score <= 1.0


# --------------------------------------------------------------------------- alphabet layer


def test_common_word_table_is_spelled_in_each_alphabet():
    # A typo with a Russian letter (и for і) would make the word evidence for Russian.
    table = lid.known_words()
    assert set(table) == {"be", "kk"}
    for lang, (freq, words) in table.items():
        assert 1e-7 < freq < 1e-3, lang
        assert len(words) > 100, lang
        assert not [w for w in words if set(w) - lid.alphabets()[lang][1]], lang


def test_marker_table_is_consistent_with_alphabets():
    table = lid.alphabets()
    for lang, m in lid.markers().items():
        alphabet = table[lang][1]
        assert m.letters <= alphabet, lang
        assert m.expected <= alphabet, lang
        for word in m.words:
            assert set(word) <= alphabet, (lang, word)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Казахстан усилил поиск путей доставки нефти в Европу: это было решено вчера.", "ru"),
        ("Президент заявив, що Україна отримає нову допомогу від партнерів.", "uk"),
        ("Қазақстан Президенті Әзірбайжан басшысымен кездесті.", "kk"),
        ("Kazakhstan stepped up its work to find ways to deliver its oil to Europe.", "en"),
        ("Die Regierung hat ein Gesetz über Energie beschlossen, und es wird auch gelten.", "de"),
    ],
)
def test_alphabet_layer_decides_long_text_without_a_model(text, lang):
    assert lid.detect(text) == (lang, lid.DECISIVE_SCORE)


def test_alphabet_layer_abstains_on_one_foreign_name():
    # 'Nääs' rules English out by letters, but one word is not evidence for German.
    text = "According to the defense attorney, sworn attorney Oliver Nääs, it was over."
    assert lid.detect(text)[0] == "en"
    assert lid.detect(text)[1] != lid.DECISIVE_SCORE


def test_alphabet_layer_agrees_with_the_models_on_dev_text():
    decided = agree = 0
    off = LidConfig(decisive_letters=0)
    for lang in ("ru", "en", "uk", "kk", "de"):
        for line in _flores_dev(lang, 120):
            lang_fast, score = lid.detect(line)
            if score == lid.DECISIVE_SCORE:
                decided += 1
                agree += lang_fast == lid.detect(line, off)[0] == lang
    assert decided > 300
    assert agree / decided >= 0.995


def test_mixed_scripts_reports_shares_only_for_real_mixtures():
    shares = lid.mixed_scripts("Tokayev said: «Мы договорились» after the talks")
    assert set(shares) == {"Latn", "Cyrl"}
    assert shares["Cyrl"] > 0.3
    assert lid.mixed_scripts("Mеждународный") == {}  # one homoglyph: repair's job
    assert lid.mixed_scripts("Plain English text") == {}
    assert lid.mixed_scripts("") == {}


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("La città è molto bella e il mare è calmo oggi.", "it"),
        ("To jest bardzo dobry pomysł, dziękuję bardzo.", "pl"),
        ("Bu çok güzel bir gün, teşekkür ederim arkadaşlar.", "tr"),
    ],
)
def test_languages_outside_the_candidates_are_named_not_forced(text, lang):
    # An Italian comment must not pass for French (shared accents) or English.
    assert lid.detect(text)[0] == lang
    assert lid.detect(text, LidConfig(other_sure=1.01))[0] in {"en", "de", "fr"}


def test_same_output_in_fresh_processes_with_different_hash_seeds():
    texts = [
        "Привет",
        "Добрий вечір",
        "Добра вечер",
        "Hello world",
        "Казахстан наращивает поставки нефти в Европу в обход России.",
        "Қазақстан мұнайды Еуропаға жеткізеді",
        "Ђорђе је дошао",
        "La città è bella",
        "то есть",
        "ВСУ",
    ]
    code = (
        "import json, sys; from cleaners import lid; "
        "print(json.dumps(lid.detect_batch(json.loads(sys.stdin.read()))))"
    )
    outs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run(
            [sys.executable, "-c", code],
            input=json.dumps(texts),
            capture_output=True,
            text=True,
            check=True,
            env=env,
        )
        outs.append(json.loads(run.stdout))
    assert outs[0] == outs[1]
    assert [tuple(r) for r in outs[0]] == lid.detect_batch(texts)
