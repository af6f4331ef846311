"""Each pair filter: its score, its decision, its reason; and the normalised dedup key."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners.adequacy import adequacy, signals
from cleaners.config import FiltersConfig, PipelineConfig
from cleaners.dedup import Deduper, near_key
from cleaners.filters import Candidate, build_filters, reasons
from cleaners.judge import filter_pairs

RU = "Правительство одобрило новый бюджет на следующий год."
EN = "The government approved a new budget for next year."


def why(ru: str, en: str, **cfg) -> tuple[str, ...]:
    s = signals(ru, en)
    return reasons(Candidate(ru, en, s, adequacy(s)), build_filters(FiltersConfig(**cfg)))


def test_a_clean_pair_passes_every_filter():
    assert why(RU, EN) == ()


@pytest.mark.parametrize(
    ("ru", "en", "reason"),
    [
        (RU, RU, "untranslated"),
        (EN, EN, "untranslated"),
        (RU, "Die Regierung hat einen neuen Haushalt für das nächste Jahr gebilligt.",
         "wrong-language"),
        ("Уряд схвалив новий бюджет на наступний рік, повідомляє агентство.",
         "The government approved a new budget for next year, the agency reports.",
         "wrong-language"),
        ("Бюджет вырос на 110 млрд рублей.", "The budget grew by 10 billion roubles.",
         "number-mismatch"),
        (RU, "The government approved", "truncated"),
        ("Да", "The government approved a new budget for next year after a long debate in "
         "parliament that lasted well into the night.", "length-ratio"),
        ("А", "A", "too-short"),
        ("Подписывайтесь на наш канал в Telegram", "Subscribe to our Telegram channel",
         "boilerplate"),
        ("12:18 — 2023", "12:18 - 2023", "boilerplate"),
        (RU, "Heavy snow closed every mountain pass for three days.", "misaligned"),
    ],
)  # fmt: skip
def test_each_noise_gets_its_reason(ru: str, en: str, reason: str):
    assert reason in why(ru, en)


def test_russian_typed_in_latin_letters_is_untranslated():
    # Every word reads as a transliterated name to the adequacy (it scores high), but it is
    # the source left in place; names alone ("Tokayev met Aliyev") are a translation.
    assert why(RU, "Pravitelstvo odobrilo novyy byudzhet na sleduyushchiy god.") == (
        "untranslated",
    )
    assert why("Я очень люблю тебя, моя дорогая.", "Ya ochen' lyublyu tebya, moya dorogaya.") == (
        "untranslated",
    )
    assert why("Токаев встретился с Алиевым в Баку.", "Tokayev met Aliyev in Baku.") == ()
    assert why("Кто босс этой компании?", "Who is the boss of this company?") == ()


def test_an_english_side_in_another_cyrillic_language_is_wrong_language_alone():
    # One cause, one name: Ukrainian in the English slot is a third language; Russian there,
    # or a Ukrainian side copied into it, is untranslated.
    uk = "Уряд схвалив новий бюджет на наступний рік, повідомляє агентство."
    assert why(RU, uk) == ("wrong-language",)
    assert why(RU, "Правительство одобрило бюджет.") == ("untranslated",)
    assert "untranslated" in why(uk, uk)


@pytest.mark.parametrize(
    ("ru", "en"),
    [
        (RU, "The government approved a new budget for the."),  # cut, full stop added
        ("Правительство одобрило бюджет на.", EN),
        (RU, "The government approved a budget because I"),
    ],
)
def test_a_side_that_stops_on_a_word_no_sentence_ends_on_is_truncated(ru: str, en: str):
    assert "truncated" in why(ru, en)


def test_a_complete_translation_without_its_full_stop_is_not_truncated():
    # QA: the English only lacks its end mark; the pair translates well, so the missing mark
    # alone does not make it truncated (unless truncated_mark_below says always).
    assert why("Он пришёл домой.", "He came home") == ()
    assert "truncated" in why("Он пришёл домой.", "He came home", truncated_mark_below=1.0)
    # A side that stops on a word no sentence ends on is cut whatever the adequacy.
    assert "truncated" in why("Правительство одобрило бюджет на.", EN, truncated_mark_below=0.0)


def test_a_sentence_may_end_on_a_stranded_preposition_or_particle():
    assert "truncated" not in why("Откуда ты родом?", "Where do you come from?")
    assert "truncated" not in why("Том тебе помог бы?", "Would Tom help you?")
    # "while" a noun and "чем" a pronoun end sentences too ("for a while", "не о чем").
    assert why("Подожди здесь какое-то время.", "Wait here a while.") == ()
    assert why("Говорить было не о чем.", "There was nothing to talk about.") == ()


def test_thresholds_and_switches_come_from_config():
    long_ru, long_en = RU * 20, EN * 20
    assert "too-long" in why(long_ru, long_en, max_chars=500)
    assert "too-long" not in why(long_ru, long_en, max_chars=5000)
    assert why(RU, RU, disable=["untranslated", "misaligned"]) == ()
    with pytest.raises(ValueError, match="unknown filter"):
        FiltersConfig(disable=["untranslatd"])


def test_number_words_and_formats_are_not_mismatches():
    assert "number-mismatch" not in why("Пять человек получили 3,5 млн рублей.",
                                        "Five people received 3.5 million roubles.")  # fmt: skip
    assert "number-mismatch" not in why("В XVIII веке город вырос.",
                                        "In the 18th century the city grew.")  # fmt: skip
    # A decimal without its leading zero is the same number, not 8.
    assert why("Уровень снизился до 0,08%.", "The level fell to .08%.") == ()


def test_a_decade_passes_in_its_other_forms_and_a_changed_one_does_not():
    ru = "Это случилось в 90-х годах."
    assert why(ru, "It happened in the 1990s.") == ()
    assert why(ru, "It happened in the nineties.") == ()
    assert "number-mismatch" in why(ru, "It happened in the 1980s.")


def test_near_key_folds_case_punctuation_accents_and_optionally_digits():
    assert near_key("«Привет, МИР!»") == near_key("привет мир")
    assert near_key("Café 2023") == near_key("cafe 2023") != near_key("cafe 2024")
    assert near_key("Café 2023", digits=True) == near_key("cafe 2024", digits=True)


def test_dedup_keeps_the_first_and_names_the_repeat():
    d = Deduper()
    assert d.check(RU, EN) is None
    assert d.check(RU, EN) == "duplicate"
    assert d.check(RU.upper(), EN.rstrip(".")) == "near-duplicate"
    assert Deduper(near=False).check(RU, EN) is None


def test_filter_pairs_dedups_only_kept_pairs_and_min_score_applies():
    pairs = [(RU, RU), (RU, RU), (RU, EN), (RU, EN)]
    out = filter_pairs(pairs, PipelineConfig())
    assert [v.reasons for v in out] == [("untranslated",), ("untranslated",), (), ("duplicate",)]
    strict = PipelineConfig(align={"min_score": 1.0})
    assert "below-min-score" in filter_pairs([(RU, EN)], strict)[0].reasons
    off = PipelineConfig(filters={"enabled": False})
    assert [v.keep for v in filter_pairs(pairs, off)] == [True] * 4


@given(st.text(alphabet="0123456789 ,.:-–'\u00a0xчасовминутpm", max_size=40))
@settings(max_examples=300, deadline=None)
def test_number_reading_never_fails(text: str):
    from cleaners.numerals import compare, digit_numbers

    # Finite; negative only after a minus ("-1"), which digit_numbers reads as a sign.
    assert all(abs(v) < float("inf") for vals in digit_numbers(text) for v in vals)
    check = compare(text, text)
    assert check.ru_missing == check.en_missing == 0


@pytest.mark.parametrize(
    ("ru", "en", "expected"),
    [
        ("", EN, ("too-short",)),
        (RU, "   ", ("too-short",)),
        ("\t", "", ("too-short",)),
        ("", "12:18", ("too-short",)),  # the empty side is the cause
        ("12:18 — 2023", "12:18 - 2023", ("boilerplate",)),  # text, but no letter
        ("А", "A", ("too-short",)),
        ("Подписывайтесь на наш канал в Telegram", "Subscribe to our Telegram channel",
         ("boilerplate",)),
        (RU + " " * 1500, EN, ("too-long",)),
    ],
)  # fmt: skip
def test_a_pair_a_cheap_filter_rejects_gets_that_reason_alone(ru, en, expected):
    """An empty side is one cause: not also length-ratio, truncated, misaligned."""
    assert why(ru, en) == expected
    # The same without signals or adequacy (what mtclean filter does before scoring).
    assert reasons(Candidate(ru, en, None, float("nan")), build_filters()) == expected


def test_without_the_cheap_filters_the_others_still_speak():
    # Negative: with too-short off, an empty side is boilerplate (no letter); with both off,
    # the pair goes on to the scored filters.
    assert why("", EN, disable=["too-short"]) == ("boilerplate",)
    assert "misaligned" in why("", EN, disable=["too-short", "boilerplate"])
    # A two-letter word is not too short, and a side too short to tell Russian from
    # Macedonian is no wrong-language evidence: the pair is kept.
    assert why("Да.", "Yes.") == ()


def test_filter_does_not_score_a_pair_a_cheap_filter_rejects_but_run_does():
    from cleaners.judge import UNSCORED, judge_pairs

    cfg = PipelineConfig()
    pairs = [(" ".join([RU] * 30), " ".join([EN] * 30)), ("", EN), (RU, EN)]
    streamed = filter_pairs(pairs, cfg)
    assert [(v.reasons, v.score) for v in streamed[:2]] == [
        (("too-long",), UNSCORED), (("too-short",), UNSCORED)]  # fmt: skip
    assert streamed[2].keep and streamed[2].score > 0.5
    # A low min_score does not add below-min-score to a pair that was never scored.
    strict = PipelineConfig(align={"min_score": 0.9})
    assert filter_pairs(pairs[:1], strict)[0].reasons == ("too-long",)
    # The pipeline scores every bead (not-parallel counts them) with the same reasons.
    judged = judge_pairs(pairs, cfg)
    assert [j.reasons for j in judged] == [v.reasons for v in streamed]
    assert all(j.scored for j in judged) and judged[0].adequacy > 0.5  # a long translation
    assert [j.scored for j in judge_pairs(pairs, cfg, score_rejected=False)] == [
        False, False, True]  # fmt: skip


def test_stress_marks_change_no_score_and_no_reason():
    from cleaners.judge import judge_pairs

    ru = "Пожалуйста, дышите глубже и не волнуйтесь: врач скоро придёт."
    stressed = ru.replace("дышите", "дыши\u0301те").replace("скоро", "ско\u0301ро")
    en = "Please breathe deeper and do not worry: the doctor will come soon."
    plain, marked = judge_pairs([(ru, en), (stressed, en)], PipelineConfig())
    assert marked == plain and not plain.reasons
    # The stressed and the plain pair are one pair for deduplication too.
    assert [v.reasons for v in filter_pairs([(ru, en), (stressed, en)], PipelineConfig())] == [
        (), ("near-duplicate",)]  # fmt: skip


@pytest.mark.parametrize(
    "en",
    ["15 degrees.", "Up to 15 degrees."],
)
def test_a_number_that_lost_its_minus_is_a_mismatch(en: str):
    assert "number-mismatch" in why("До -15 градусов.", en)


@pytest.mark.parametrize(
    ("ru", "en"),
    [
        ("До -15 градусов.", "Down to minus 15 degrees."),
        ("До −15 градусов.", "Down to -15 degrees."),
        ("Ночью минус 15.", "At night, 15 degrees below zero."),
        ("Пришли 10-15 человек.", "10-15 people came."),
        ("Опрос прошёл 2021-05-03.", "The poll was held on 2021-05-03."),
        ("Ту-154 приземлился.", "The Tu-154 landed."),
        ("Выросло на 40%-50%.", "It grew by 40%-50%."),
    ],
)
def test_a_kept_sign_a_range_a_date_or_a_name_is_no_mismatch(ru: str, en: str):
    assert "number-mismatch" not in why(ru, en)


def test_a_spoken_decimal_is_one_number():
    ru = "Температура тридцать восемь и девять."
    assert "number-mismatch" not in why(ru, "The temperature is 38.9.")
    assert "number-mismatch" in why(ru, "The temperature is 39.5.")
