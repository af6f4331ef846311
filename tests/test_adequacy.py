"""The adequacy model: the shipped table is what the build command makes; scores behave."""

from __future__ import annotations

import pytest

from cleaners import adequacy, build_adequacy
from cleaners.adequacy import FEATURES, features, signals
from cleaners.adequacy import adequacy as score

DATA = build_adequacy.data_dir()


@pytest.mark.skipif(DATA is None, reason="the shared dev data folder is absent")
def test_shipped_table_is_current():
    from cleaners.lexsim import build as lexbuild

    try:  # the word table the fit scores with is built with the ru-en pivot dictionaries
        lexbuild.dictionary_files(lexbuild.DICTD, "ru-en")
    except FileNotFoundError as exc:
        pytest.skip(f"the ru-en word table is built with dictionaries not installed here: {exc}")
    path = build_adequacy.ROOT / "cleaners" / adequacy.TABLE
    assert path.read_text("utf-8") == build_adequacy.render(build_adequacy.build()), (
        "stale: PYTHONPATH=. python -m cleaners.build_adequacy"
    )


def test_models_use_known_features_and_mt_adds_chrf():
    models = adequacy.models()
    assert set(models) == {"base", "mt"}
    assert set(models["base"].names) <= set(FEATURES) and "mt_chrf" not in models["base"].names
    assert "mt_chrf" in models["mt"].names


@pytest.mark.parametrize(
    ("ru", "en"),
    [
        (
            "Токаев встретился с Алиевым в Баку 10 апреля.",
            "Tokayev met Aliyev in Baku on April 10.",
        ),
        ("Цены выросли на 5%.", "Prices rose by 5%."),
    ],
)
def test_a_translation_scores_above_its_damaged_forms(ru, en):
    good = score(signals(ru, en))
    assert good >= 0.5
    assert score(signals(ru, ru)) < 0.3  # untranslated
    assert score(signals(ru, en[: len(en) // 3])) < good  # truncated
    # Wrong language: the label costs (the wrong-language filter rejects such a pair on its
    # own). How much depends on the word table and the fit: every word of these pairs is
    # covered by it (Tokayev pair: 0.97 → 0.66 before the pivot dictionaries, 0.81 since).
    assert score(signals(ru, en, en_lang=("de", 0.99))) < good - 0.1


def test_number_words_excuse_digits_but_changed_numbers_do_not():
    s = signals(
        "Две тысячи тринадцатый - год, который я не забуду.", "2013 is a year I won't forget."
    )
    assert s.en_numbers_missing == 0
    s = signals("Погибли 110 человек.", "10 people died.")
    assert s.ru_numbers_missing == 1 and s.en_numbers_missing == 1
    assert signals("Выросло на 1 000 000 и 3,5%", "Grew by 1,000,000 and 3.5%").numbers_matched == 2
    assert signals("Умерли 13,3 тысячи.", "13,300 died.").en_numbers_missing == 0
    assert signals("В 2010–2011 годах.", "In 2010–11.").ru_numbers_missing == 0


def test_mt_model_uses_the_retranslation():
    ru, en = "Он пришёл домой поздно вечером.", "He came home late in the evening."
    with_mt = signals(ru, en, ru_mt="He came home late in the evening.")
    wrong_mt = signals(ru, "The budget was approved.", ru_mt="He came home late in the evening.")
    assert with_mt.mt_chrf == 1.0
    assert score(with_mt) > 0.5
    # A retranslation that disagrees keeps a wrong pair at the floor, as the base model has it.
    assert score(wrong_mt) < 0.05 and score(signals(ru, "The budget was approved.")) < 0.05


def test_side_coverage_shows_which_side_was_cut():
    ru = "Президент подписал закон о бюджете, и парламент одобрил новые налоги на импорт."
    en = "The president signed the budget law, and parliament approved new taxes on imports."
    whole = signals(ru, en)
    cut = signals(ru, "The president signed the budget law")  # the English stops mid-way
    assert min(whole.cover_ru, whole.cover_en) > 0.6 and whole.end_run < 0.3
    # The short side is still covered by the long one; the long side's tail is not.
    assert cut.cover_en > 0.6 > cut.cover_ru and cut.tail_ru == 0.0 and cut.end_run >= 0.3
    assert score(cut) < score(whole)


def test_spelling_covers_names_the_word_table_lacks():
    from cleaners.lexsim import table

    fwd = table("ru", "en")
    # A made-up name: only its spelling can match.
    assert fwd.key("мкджаров", "src") not in fwd.trans
    assert adequacy.covered(fwd, "Мкджаров приехал.", "Mkdzharov arrived.")[0]
    assert not adequacy.covered(fwd, "Мкджаров приехал.", "Petrov arrived.")[0]


def test_models_weigh_side_coverage():
    for model in adequacy.models().values():
        assert {"cover_min", "cover_max", "tail_min", "end_run"} <= set(model.names)


def test_document_beads_pair_each_document_with_its_own_and_another_english():
    from cleaners.build_adequacy import Pair, document_beads

    docs = {
        "a": [("Завод открылся в Казани.", "The plant opened in Kazan."),
              ("Работу получат двести человек.", "Two hundred people will get jobs.")],
        "b": [("Дождь шёл весь день.", "It rained all day."),
              ("Реки вышли из берегов.", "Rivers burst their banks.")],
    }  # fmt: skip
    pairs = [Pair("wmt21", d, ru, en) for d, rows in docs.items() for ru, en in rows]
    pairs.append(Pair("tatoeba", "t-0", "Привет.", "Hello."))  # no documents: left out
    true, mismatched = document_beads(pairs)
    assert sorted(true) == sorted(p for rows in docs.values() for p in rows)
    # Each Russian document against the other's English: every bead is wrong.
    assert mismatched and all(
        any(ru == r for r, _ in docs[d]) and not any(en == e for _, e in docs[d])
        for ru, en in mismatched
        for d in docs
        if any(ru == r for r, _ in docs[d])
    )


def test_stress_marks_do_not_change_the_signals():
    """Called directly (as the build is), signals reads дыши́те as one word, like judge_pairs."""
    ru = "Пожалуйста, дышите глубже: врач скоро придёт."
    en = "Please breathe deeper: the doctor will come soon."
    stressed = "Пожа\u0301луйста, дыши\u0301те глу\u0301бже: врач ско\u0301ро придёт."
    assert signals(stressed, en, ("ru", 1.0), ("en", 1.0)) == signals(
        ru, en, ("ru", 1.0), ("en", 1.0)
    )
    # Negative: a word really missing does change them.
    cut = "Пожалуйста, дышите: врач скоро придёт."
    assert signals(cut, en, ("ru", 1.0), ("en", 1.0)) != signals(ru, en, ("ru", 1.0), ("en", 1.0))


def test_judge_pairs_folds_the_marks_once(monkeypatch):
    """judge_pairs folds each pair for its filters and the signals; signals does not fold
    the same text again (``folded=True``), and the result is that of the text as written."""
    from cleaners import adequacy
    from cleaners.config import PipelineConfig
    from cleaners.judge import judge_pairs

    ru = "Пожалуйста, дышите глубже: врач скоро придёт."
    en = "Please breathe deeper: the doctor will come soon."
    stressed = "Пожа\u0301луйста, дыши\u0301те глу\u0301бже: врач ско\u0301ро придёт."
    calls = []
    real = adequacy.fold_marks

    def counted(text: str) -> str:
        calls.append(text)
        return real(text)

    monkeypatch.setattr(adequacy, "fold_marks", counted)
    config = PipelineConfig()
    assert judge_pairs([(stressed, en)], config) == judge_pairs([(ru, en)], config)
    assert calls == []
    # Direct callers still get the folding (the build), and folded=True trusts the caller.
    assert signals(stressed, en, ("ru", 1.0), ("en", 1.0)) == signals(
        ru, en, ("ru", 1.0), ("en", 1.0)
    )
    assert calls == [stressed, en, ru, en]
    as_is = signals(stressed, en, ("ru", 1.0), ("en", 1.0), folded=True)
    assert as_is != signals(ru, en, ("ru", 1.0), ("en", 1.0))


def test_a_cut_side_drifts_toward_the_cut():
    # The cut English side's last words match the middle of the Russian: the matched words'
    # positions drift, in the direction of the side that is short.
    ru = "Правительство одобрило новый бюджет на следующий год после долгих споров в парламенте."
    full = signals(ru, "The government approved a new budget for next year after long debates "
                   "in parliament.")  # fmt: skip
    cut = signals(ru, "The government approved a new budget.")
    toward, size = FEATURES.index("drift_toward_cut"), FEATURES.index("drift_size")
    assert abs(full.drift) < 0.1 < 0.3 < -cut.drift
    assert adequacy.features(cut)[toward] > 0.25 > 0.1 > adequacy.features(full)[toward]
    assert adequacy.features(cut)[size] > 0.2 > 0.05 > adequacy.features(full)[size]
    # No word found: the drift features read as a right pair's (0), not as evidence.
    none = signals("Да.", "Yes.")
    assert none.drift_hits == 0
    assert adequacy.features(none)[toward] == adequacy.features(none)[size] == 0.0


def test_related_noise_shares_at_most_one_content_word_with_the_right_english():
    import random

    from cleaners.build_adequacy import Pair, _en_content, _related, related_index

    pairs = [
        Pair("t", "d", "Мэр открыл новый мост.", "The mayor opened a new bridge."),
        Pair("t", "d", "Мост закрыли на ремонт.", "The bridge was closed for repairs."),
        Pair("t", "d", "Мэр открыл мост и парк.", "The mayor opened the bridge and the park."),
        Pair("t", "d", "Спасибо", "Thank you"),
        Pair("t", "d", "Пожалуйста", "Please"),
    ]
    index = related_index(pairs)
    for k, p in enumerate(pairs):
        got = _related(pairs, k, index, random.Random(k))
        assert got is not None and got[0] == p.ru and got[1] != p.en
        assert len(_en_content(got[1]) & _en_content(p.en)) <= 1


# Short pairs a new user tries (written for these tests): news sentences with another
# sentence's English, sharing no word or one (the topic's), and one- or two-word phrases with
# another phrase; and their right translations.
_WRONG_SHORT = [
    ("В городе открылась новая библиотека для детей.",
     "The government approved a new budget for next year."),
    ("Привет", "Goodbye"),
    ("Министр посетил новый завод в Казани.", "The team won the final match on Sunday."),
    ("Полиция задержала двух подозреваемых.", "The museum opened a new exhibition."),
    ("В Москве прошёл сильный снегопад.", "Heavy rain flooded the streets of London."),
    ("Спасибо", "Good night"),
    ("Доброе утро", "Thank you"),
    ("Пожалуйста", "Hello"),
    ("Удачи", "Welcome"),
    ("Компания уволила сто сотрудников.", "The company released a new phone."),
    ("Врачи рекомендуют больше спать.", "Farmers expect a good harvest this year."),
    ("Сборная России проиграла Бразилии.", "Oil prices fell sharply on Monday."),
    ("Власти закрыли аэропорт из-за тумана.", "The airport expects more passengers this summer."),
    ("Учёные нашли новый вид рыбы.", "Students protested against higher fees."),
    ("Как дела?", "Where are you?"),
    ("Нет", "Yes"),
    ("Извините", "Congratulations"),
    ("До свидания", "Hello"),
    ("Завтра будет дождь.", "The market was closed yesterday."),
    ("Погода", "Economy"),
    ("Мэр открыл новый мост.", "The new school has a big garden."),
    ("Банк снизил ставку.", "The singer cancelled her tour."),
]  # fmt: skip
# Still kept (known limits): a month or a name both sides share ("в марте" ↔ "in March",
# "Президент" ↔ "president") ties a three-word pair as a translated word does, and the word
# table translates "ночи" as "morning" ("Спокойной ночи" ↔ "Good morning").
_RIGHT_SHORT = [
    ("В городе открылась новая библиотека для детей.",
     "A new children's library has opened in the city."),
    ("Привет", "Hello"),
    ("Министр посетил новый завод в Казани.", "The minister visited a new plant in Kazan."),
    ("Цены на бензин выросли в марте.", "Petrol prices rose in March."),
    ("Полиция задержала двух подозреваемых.", "Police detained two suspects."),
    ("В Москве прошёл сильный снегопад.", "Heavy snow fell in Moscow."),
    ("Президент встретился с учёными.", "The president met with scientists."),
    ("Спасибо", "Thank you"),
    ("Доброе утро", "Good morning"),
    ("Пожалуйста", "Please"),
    ("С Новым годом!", "Happy New Year!"),
    ("Удачи", "Good luck"),
    ("Компания уволила сто сотрудников.", "The company fired a hundred employees."),
    ("Врачи рекомендуют больше спать.", "Doctors recommend sleeping more."),
    ("Выборы пройдут в сентябре.", "The election will be held in September."),
    ("Сборная России проиграла Бразилии.", "The Russian team lost to Brazil."),
    ("Власти закрыли аэропорт из-за тумана.",
     "The authorities closed the airport because of fog."),
    ("Учёные нашли новый вид рыбы.", "Scientists have found a new species of fish."),
    ("Как дела?", "How are you?"),
    ("Нет", "No"),
    ("Извините", "Sorry"),
    ("До свидания", "Goodbye"),
    ("Завтра будет дождь.", "It will rain tomorrow."),
    ("Погода", "Weather"),
    ("Мэр открыл новый мост.", "The mayor opened a new bridge."),
    ("Банк снизил ставку.", "The bank cut its rate."),
    ("Спокойной ночи", "Good night"),
    ("Пришли двадцать пять человек.", "25 people came."),
]  # fmt: skip


def test_short_wrong_pairs_are_rejected_and_their_translations_kept():
    from cleaners.config import PipelineConfig
    from cleaners.judge import filter_pairs

    wrong = filter_pairs(_WRONG_SHORT, PipelineConfig())
    right = filter_pairs(_RIGHT_SHORT, PipelineConfig())
    assert [p for p, v in zip(_WRONG_SHORT, wrong, strict=True) if v.keep] == []
    assert [p for p, v in zip(_RIGHT_SHORT, right, strict=True) if not v.keep] == []
    assert max(v.score for v in wrong) < 0.3 < min(v.score for v in right)


def test_a_pair_nothing_ties_is_unsupported_and_scored_as_such():
    from cleaners.adequacy import unsupported

    bare = signals("Привет", "Goodbye")
    assert unsupported(bare) and score(bare) < 0.3
    # One word in common among eleven known ones ("новая" ↔ "new") ties no better.
    assert unsupported(signals(*_WRONG_SHORT[0]))
    # Negation on both sides ("no" is no content word) is a tie; so is a translated word.
    assert not unsupported(signals("Нет", "No"))
    assert not unsupported(signals("Привет", "Hello"))


def test_only_a_short_pair_is_read_as_unsupported():
    from cleaners.adequacy import UNSUPPORTED_MAX_WORDS, unsupported

    # The term's ratio is measured on short pairs; a longer pair nothing ties is the
    # detectors' to judge, and they reject a wrong one without it.
    ru = "Вчера вечером над старым городом прошёл сильный дождь с градом."
    en = "The committee approved the budget for schools on Monday."
    assert len(ru.split()) > UNSUPPORTED_MAX_WORDS
    s = signals(ru, en)
    assert not unsupported(s) and score(s) < 0.3
    assert unsupported(signals("Прошёл сильный дождь с градом.", "The committee approved it."))


def test_a_one_or_two_word_pair_has_its_own_unsupported_ratio():
    from cleaners.adequacy import FEW_WORDS, Model, models

    base = models()["base"]
    short, few = base.calibration[2:]
    # Measured apart: a right pair of a word or two is unsupported more often than a longer
    # short one, so its ratio moves the logit less.
    assert short < few < 0
    one = features(signals("Привет", "Goodbye"))
    assert one[FEATURES.index("unsupported_few")] == 1.0 and FEW_WORDS >= 1
    assert one[FEATURES.index("unsupported")] == 0.0
    # A table from before the few-word ratio reads it as the short pairs' one.
    d = base.to_dict()
    del d["calibration"]["unsupported_few"]
    assert Model.from_dict(d).calibration[3] == short


def test_numbers_in_words_are_covered_by_the_same_number_in_digits():
    s = signals("Пришли двадцать пять человек.", "25 people came.")
    assert s.known_cover_ru == 1.0
    assert signals("Пришли двадцать пять человек.", "26 people came.").known_cover_ru < 1.0


def test_number_words_the_english_writes_in_digits_are_no_content_words_it_lacks():
    # Four Russian content words against one read as a cut English side (0.15).
    s = signals("Температура тридцать восемь и девять", "The temperature is 38.9")
    assert (s.ru_content, s.en_content) == (1, 1)
    assert score(s) > 0.5
    assert score(signals("Температура тридцать восемь и девять", "The temperature is 36.6")) < 0.3
    # Number words on both sides stay words the table pairs.
    assert signals("Пять тысяч человек", "Five thousand people").ru_content == 3


def test_a_shared_exclamation_mark_ties_nothing_a_shared_question_does():
    from cleaners.adequacy import unsupported

    # Emphasis a translation adds or drops: the one word each side offers is untranslated.
    assert unsupported(signals("Помогите!", "Cheers!"))
    assert score(signals("Помогите!", "Cheers!")) < 0.3
    assert not unsupported(signals("Помогите!", "Help!"))
    # A question on both sides is a sentence's kind, as "почему" ↔ "why" is.
    assert not unsupported(signals("Который час?", "What time is it?"))


# Greetings, fixed phrases, numbers in words against digits and one-word headlines a new user
# tries (written for these tests), and wrong pairs of the same kind: another phrase's English,
# a changed number.
_RIGHT_PHRASES = [
    ('Спасибо большое', 'Thanks a lot'),
    ('С днём рождения!', 'Happy birthday!'),
    ('Не за что', "You're welcome"),
    ('Всё в порядке', "It's fine"),
    ('Спокойной ночи', 'Good night'),
    ('Температура тридцать восемь и девять', 'The temperature is 38.9'),
    ('Добрый вечер', 'Good evening'),
    ('Добрый день', 'Good afternoon'),
    ('С Рождеством!', 'Merry Christmas!'),
    ('Поздравляю!', 'Congratulations!'),
    ('До завтра', 'See you tomorrow'),
    ('Как тебя зовут?', 'What is your name?'),
    ('Меня зовут Анна.', 'My name is Anna.'),
    ('Я не знаю.', "I don't know."),
    ('Сколько это стоит?', 'How much is it?'),
    ('Который час?', 'What time is it?'),
    ('Помогите!', 'Help!'),
    ('Конечно', 'Of course'),
    ('Ничего страшного', 'Never mind'),
    ('Без проблем', 'No problem'),
    ('Ему двадцать один год.', 'He is 21.'),
    ('Счёт два — один.', 'The score is 2-1.'),
    ('Сто рублей', 'A hundred roubles'),
    ('Пять тысяч человек', 'Five thousand people'),
    ('Три миллиона долларов', 'Three million dollars'),
    ('Выборы', 'Elections'),
    ('Землетрясение в Японии', 'Earthquake in Japan'),
    ('Пожар', 'Fire'),
    ('Наводнение', 'Flood'),
    ('Погода на завтра', "Tomorrow's weather"),
    ('Это пустяки.', "That's nothing."),  # tied by a demonstrative (TIE_ONLY)
    ('Это прискорбно.', "It's regrettable."),
    ('Мою машину угнали.', 'My car got stolen.'),
]  # fmt: skip
_RIGHT_PHRASES_MISSED = [
    ('Добро пожаловать', 'Welcome'),
    ('Приятного аппетита!', 'Enjoy your meal!'),
    ('Будьте здоровы!', 'Bless you!'),
    ('Берегите себя', 'Take care'),
    ('Осторожно!', 'Watch out!'),
    ('Очень приятно', 'Nice to meet you'),
    ('Курс доллара', 'Dollar exchange rate'),
]  # fmt: skip
_WRONG_PHRASES = [
    ("Пять тысяч человек", "Fifty thousand people"),
    ("Конечно", "Thank you"),
    ("Помогите!", "Good night!"),
    ("Температура тридцать восемь и девять", "The temperature is 39.8"),
    ("Пожар", "Election"),
    ('Добро пожаловать', 'Goodbye'),
    ('Спасибо большое', 'Good night'),
    ('С днём рождения!', 'Happy New Year!'),
    ('Всё в порядке', 'Thank you'),
    ('Приятного аппетита!', 'Happy birthday!'),
    ('Будьте здоровы!', 'See you tomorrow'),
    ('С Рождеством!', 'Good luck!'),
    ('Поздравляю!', 'Sorry!'),
    ('Берегите себя', 'Welcome'),
    ('До завтра', 'Good evening'),
    ('Сколько это стоит?', 'Where is the station?'),
    ('Который час?', 'What is your name?'),
    ('Помогите!', 'Cheers!'),
    ('Осторожно!', 'Welcome!'),
    ('Конечно', 'Never'),
    ('Ничего страшного', 'Thanks a lot'),
    ('Без проблем', 'Good evening'),
    ('Очень приятно', 'See you later'),
    ('Ему двадцать один год.', 'He is 31.'),
    ('Сто рублей', 'A thousand roubles'),
    ('Пять тысяч человек', 'Five hundred people'),
    ('Три миллиона долларов', 'Three billion dollars'),
    ('Выборы', 'Weather'),
    ('Землетрясение в Японии', 'Floods in China'),
    ('Пожар', 'Flood'),
    ('Наводнение', 'Fire'),
    ('Температура тридцать восемь и девять', 'The temperature is 36.6'),
    ('в марте', 'in May'),
]  # fmt: skip
_WRONG_PHRASES_KEPT = [
    ("Сто рублей", "A hundred dollars"),
    ("Меня зовут Анна.", "My name is Maria."),
    ('Спокойной ночи', 'Good morning'),
    ('Добро пожаловать', 'Good luck'),
    ('Не за что', 'Good morning'),
    ('Добрый вечер', 'Good morning'),
    ('Как тебя зовут?', 'How old are you?'),
    ('Меня зовут Анна.', 'I live in Moscow.'),
    ('Я не знаю.', "I'm hungry."),
    ('Курс доллара', 'Oil prices'),
    ('Погода на завтра', 'Elections tomorrow'),
    ('Это прискорбно.', "It's raining."),
]  # fmt: skip
# Known limits. Kept right pairs the word table ties by no word ("Берегите себя" ↔ "Take
# care") or by one of two with the other side one word ("Добро пожаловать" ↔ "Welcome": read
# as a cut English side); kept wrong ones sharing one word of two ("Спокойной ночи" ↔ "Good
# morning": "спокойной" ↔ "good"; the table's ночи → morning is an IBM-1 echo, 0.011) or a
# function word (я ↔ I) or a demonstrative (это ↔ it: a tie for unsupported, so a short pair
# with it on both sides is judged by the detectors alone), or a name the anchors do not weigh
# against the rest.


def _verdicts(pairs):
    from cleaners.config import PipelineConfig
    from cleaners.judge import filter_pairs

    return filter_pairs(pairs, PipelineConfig())


def test_short_phrases_are_kept_and_wrong_ones_rejected():
    right = _verdicts(_RIGHT_PHRASES)
    wrong = _verdicts(_WRONG_PHRASES)
    assert [p for p, v in zip(_RIGHT_PHRASES, right, strict=True) if not v.keep] == []
    assert [p for p, v in zip(_WRONG_PHRASES, wrong, strict=True) if v.keep] == []


@pytest.mark.xfail(strict=True, reason="known limits: see the comment above")
@pytest.mark.parametrize("pair", _RIGHT_PHRASES_MISSED)
def test_known_missed_right_phrases(pair):
    assert _verdicts([pair])[0].keep


@pytest.mark.xfail(strict=True, reason="known limits: see the comment above")
@pytest.mark.parametrize("pair", _WRONG_PHRASES_KEPT)
def test_known_kept_wrong_phrases(pair):
    assert not _verdicts([pair])[0].keep
