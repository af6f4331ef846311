"""cleaners.structure: title, body, captions, boilerplate and comment records."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaners.repair import repair
from cleaners.structure import covered_text, match_chrome, parse, parse_time

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
META_KEYS = ("number", "author", "display_name", "time")


def _nonspace(text: str) -> str:
    return "".join(ch for ch in text if not ch.isspace())


def _meta(seg) -> tuple:
    return tuple(seg.meta[k] for k in META_KEYS)


def _example() -> str:
    path = SHARED / "seed" / "example.txt"
    if not path.exists():
        pytest.skip(f"the user's example is not available at {path}")
    return path.read_text(encoding="utf-8")


def test_users_example_raw() -> None:
    text = _example()
    segs = parse(text, "en")
    kinds = [s.kind for s in segs]
    assert kinds[0] == "title"
    assert segs[0].text == "Kazakhstan sends its oil flows to Europe, bypassing Russia"
    assert kinds.count("body") == 6
    chrome = [s for s in segs if s.kind == "boilerplate"]
    assert [s.meta["label"] for s in chrome] == ["photo-credit", "comments-sign-in"]
    assert chrome[0].meta["bullet"] == "•"
    comments = [s for s in segs if s.kind == "comment"]
    assert len(comments) == 7
    assert _meta(comments[0]) == (1, "pin_code", "Andrey NK", "2023-04-10T18:18")
    assert (
        comments[0].text == "Why don't the ukram on an inflatable boat blow it up? Quite logical."
    )
    assert _meta(comments[1]) == (2, "Colonel Kudasov", "Leopold", "2023-04-10T19:14")
    assert _meta(comments[6]) == (7, "mgero", "Mher", "2023-04-11T13:29")
    assert comments[6].text == "Well done Azerbaijan"
    assert _nonspace("".join(covered_text(s) for s in segs)) == _nonspace(text)


def test_users_example_after_repair() -> None:
    """The pipeline parses repaired text: de-stuttered headers and 18:18 times still parse."""
    fixed = repair(_example(), "en").text
    comments = [s for s in parse(fixed, "en") if s.kind == "comment"]
    assert len(comments) == 7
    assert _meta(comments[0]) == (1, "pin_code", "Andrey NK", "2023-04-10T18:18")
    assert _meta(comments[4]) == (5, "syndicalist", "Dimon", "2023-04-10T22:48")


def test_destuttered_header_and_repaired_time() -> None:
    text = (
        "Title here\n\nBody text.\n  1. pin_code Offline\n"
        "    pin_code (Andrey NK) April 10 2023 18:18\n    Comment."
    )
    (comment,) = [s for s in parse(text, "en") if s.kind == "comment"]
    assert _meta(comment) == (1, "pin_code", "Andrey NK", "2023-04-10T18:18")
    assert comment.text == "Comment."


def test_russian_comment_headers() -> None:
    text = (
        "Казахстан направит нефть в Европу в обход России\n\n"
        "Казахстан активизировал работу.\n"
        "Уважаемый читатель, чтобы оставить комментарий к публикации, необходимо авторизоваться.\n"
        "  1. pin_code Не в сети pin_code\n"
        "    pin_code (Андрей НК) 10 апреля 2023 18:18\n"
        "    Почему бы не взорвать?\n"
        "    Вполне логично.\n"
        "  2. Полковник Кудасов Offline Полковник Кудасов\n"
        "    Полковник Кудасов (Леопольд) 10 апреля 2023 г., 19: 14\n"
        "    Если нефть повезут танкерами?\n"
    )
    segs = parse(text, "ru")
    assert [s.kind for s in segs] == ["title", "body", "boilerplate", "comment", "comment"]
    assert _meta(segs[3]) == (1, "pin_code", "Андрей НК", "2023-04-10T18:18")
    assert segs[3].text == "Почему бы не взорвать?\nВполне логично."
    assert _meta(segs[4]) == (2, "Полковник Кудасов", "Леопольд", "2023-04-10T19:14")


def test_header_variants() -> None:
    # No number but the stuttered status line; a second line without a display name.
    text = "A\n\nBody.\nsyndicalist Offline syndicalist\nsyndicalist April 10 2023 22: 48\nNow."
    (c,) = [s for s in parse(text, "en") if s.kind == "comment"]
    assert _meta(c) == (None, "syndicalist", None, "2023-04-10T22:48")
    # Only the dated line.
    (c,) = [s for s in parse("Body.\nFlight (voi) 11 April 2023, 00:43\nWith duplicity.", "en")
            if s.kind == "comment"]  # fmt: skip
    assert _meta(c) == (None, "Flight", "voi", "2023-04-11T00:43")
    # A relative date keeps its text.
    (c,) = [
        s for s in parse("Body.\nmgero (Mher) Вчера, 13:29\nМолодец.", "ru") if s.kind == "comment"
    ]
    assert c.meta["time"] == "Вчера, 13:29"


# Written for these tests: reader comments whose header is the user name alone on its line.
BARE_EN = (
    "City opens a new bridge\n\n"
    "The city mayor opened a new bridge over the river on Saturday. Hundreds of residents "
    "attended the ceremony.\n\n"
    "On Sunday the bridge will be open only to pedestrians.\n"
    "Dear reader, to leave comments on the publication, you must sign in.\n\n"
    "river_fan\nFinally! We waited three years for this bridge.\n\n"
    "Anna Petrova\nWill there be a bus route over it?\n\n"
    "old_timer77\nThe old ferry was better.\nAgreed\n"
)
BARE_RU = (
    "Город открыл новый мост\n\n"
    "Мэр города открыл новый мост через реку в субботу. На церемонии присутствовали сотни "
    "жителей.\n\n"
    "В воскресенье мост будет открыт только для пешеходов.\n"
    "Уважаемый читатель, чтобы оставить комментарий к публикации, необходимо авторизоваться.\n\n"
    "river_fan\nНаконец-то! Мы ждали этот мост три года.\n\n"
    "Анна Петрова\nБудет ли по нему ходить автобус?\n\n"
    "old_timer77\nСтарый паром был лучше.\nСогласен\n"
)


@pytest.mark.parametrize("text, lang", [(BARE_EN, "en"), (BARE_RU, "ru")])
def test_comments_under_a_bare_user_name(text: str, lang: str) -> None:
    segs = parse(text, lang)
    assert [s.kind for s in segs] == [
        "title", "body", "body", "boilerplate", "comment", "comment", "comment"
    ]  # fmt: skip
    comments = segs[4:]
    assert [c.meta["author"] for c in comments][::2] == ["river_fan", "old_timer77"]
    assert comments[1].meta["author"] in ("Anna Petrova", "Анна Петрова")
    assert comments[2].text.count("\n") == 1  # "Agreed" under a comment is its text
    assert _nonspace("".join(covered_text(s) for s in segs)) == _nonspace(text)
    # Without the comments' chrome or a header before them, the same lines are prose.
    plain = text.replace(segs[3].text, "")
    assert not [s for s in parse(plain, lang) if s.kind == "comment"]


def test_a_user_name_line_needs_comment_text_under_it() -> None:
    head = "Body.\nDear reader, to leave comments on the publication, you must sign in.\n\n"
    # A name and then another name, or a name last: no comment text, no comment.
    for tail in ("Anna Petrova\nBoris Ivanov\n", "river_fan\n", "Well done Azerbaijan\nYes.\n"):
        assert not [s for s in parse(head + tail, "en") if s.kind == "comment"], tail


@pytest.mark.slow
def test_bare_user_name_comments_stay_out_of_the_corpus(tmp_path: Path) -> None:
    """As a user runs it: the comments are comments in docs/ (author in their meta), and
    the user-name lines never reach the corpus as text to align."""
    import json
    import os

    from cli_run import mtclean  # tests/ is on sys.path

    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    (src / "talk.en.txt").write_text(BARE_EN, encoding="utf-8")
    (src / "talk.ru.txt").write_text(BARE_RU, encoding="utf-8")
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect"), "DO_NOT_TRACK": "1"}
    r = mtclean("run", str(src), "--out", str(out), "--no-progress", env=env, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    doc = json.loads((out / "docs" / "talk.json").read_text(encoding="utf-8"))
    for side in ("ru", "en"):
        comments = [s for s in doc[side]["segments"] if s["kind"] == "comment"]
        assert [c["meta"]["author"] for c in comments][::2] == ["river_fan", "old_timer77"]
    for name in ("corpus.en", "corpus.ru"):
        corpus = (out / name).read_text(encoding="utf-8")
        assert "river_fan" not in corpus and "old_timer77" not in corpus, corpus
        assert "Petrova" not in corpus and "Петрова" not in corpus, corpus


def test_plain_prose_is_not_a_comment() -> None:
    text = (
        "On April 10 2023 18:18 the talks ended.\nThe leaders (both of them) met on April 10 2023."
    )
    assert {s.kind for s in parse(text, "en")} <= {"title", "body"}


def test_text_without_structure() -> None:
    assert [(s.kind, s.text) for s in parse("Just one sentence.", "en")] == [
        ("body", "Just one sentence.")
    ]
    assert [s.kind for s in parse("Short headline", "en")] == ["body"]  # nothing follows it
    segs = parse("First paragraph.\nSecond paragraph.\n\nThird.", "en")
    assert [(s.kind, s.text) for s in segs] == [
        ("body", "First paragraph."),
        ("body", "Second paragraph."),
        ("body", "Third."),
    ]
    assert parse("", "en") == [] and parse(" \n\t\n", "ru") == []


def test_hard_wrapped_lines_are_joined() -> None:
    text = (
        "Headline\n\nThe presidents signed an appropriate\ndocument providing for the route.\nNext."
    )
    assert [s.text for s in parse(text, "en")][1:] == [
        "The presidents signed an appropriate document providing for the route.",
        "Next.",
    ]


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        # A headline or a sub-heading with no end mark, one line break above the text under it:
        # its own sentence, whatever opens the next line (a dash-led utterance closing its own
        # quotation was joined to it as that line's attribution).
        ("ru", "Новые санкции против банков\nМинфин объявил о мерах.\n", 2),
        ("ru", "Это было вчера.\nПро санкции\n— Мы ждали этого, — сказал министр.\n", 3),
        ("ru", "Новые санкции против банков\n— Мы ждали, — заявил министр.\n", 2),
        ("en", "New sanctions against banks\n- Expected, said the minister.\n", 2),
        ("en", "It was yesterday.\nOn sanctions\nThe ministry announced measures.\n", 3),
        # One sentence over two lines stays one: a hard-wrapped line, a quote whose
        # attribution MT put on its own line.
        ("en", "Head\n\nThe presidents signed an appropriate\ndocument on the route.\n", 2),
        ("en", "We expect 40 thousand tourists this season\n\n- Garipov told journalists.\n", 1),
    ],
)
def test_a_heading_line_ends_its_sentence(lang: str, text: str, expected: int) -> None:
    from cleaners.config import PipelineConfig
    from cleaners.pipeline import build_side, corpus_sentences

    cfg = PipelineConfig()
    sentences = corpus_sentences(build_side(text, "utf-8", lang, cfg), lang, cfg)
    assert len(sentences) == expected, sentences


def test_dash_attribution_is_body_and_bullets_are_captions() -> None:
    text = "Head\n\n“Quote,”\n- the leader told the press.\n• A photo of the port\n— Sure, he said."
    segs = parse(text, "en")
    assert [(s.kind, s.text) for s in segs][1:] == [
        ("body", "“Quote,”"),
        ("body", "- the leader told the press."),
        ("caption", "A photo of the port"),
        ("body", "— Sure, he said."),
    ]


@pytest.mark.parametrize(
    ("line", "label"),
    [
        (
            "Dear reader, to leave comments on the publication, you must sign in.",
            "comments-sign-in",
        ),
        (
            "Уважаемый читатель, чтобы оставить комментарий к публикации, "
            "необходимо авторизоваться.",
            "comments-sign-in",
        ),  # fmt: skip
        (
            "Уважаемый читатель, чтобы оставлять комментарии к публикации, "
            "необходимо авторизоваться.",
            "comments-sign-in",
        ),  # fmt: skip
        ("Чтобы оставить комментарий, войдите", "comments-sign-in"),
        ("Photos used: Press Service of the President of Kazakhstan", "photo-credit"),
        ("Использованы фотографии: пресс-служба", "photo-credit"),
        ("Фото: РИА Новости", "photo-credit"),
        ("Subscribe to our Telegram channel", "subscribe"),
        ("Подписывайтесь на наш канал", "subscribe"),
        ("Читайте также:", "read-also"),
        ("© 2023 Example Media", "rights"),
        ("Все права защищены.", "rights"),
    ],
)
def test_chrome_table(line: str, label: str) -> None:
    rule = match_chrome(line, "en")
    assert rule is not None and rule.label == label


@pytest.mark.parametrize(
    "line",
    [
        "Photographers used drones over the port.",
        "Subscribers complained about the service.",
        "Share prices rose 3% on Friday.",
        "Comments by the minister were brief.",
    ],  # fmt: skip
)
def test_chrome_negatives(line: str) -> None:
    assert match_chrome(line, "en") is None


def test_parse_time_forms() -> None:
    assert parse_time("April 10 2023 18: 18") == "2023-04-10T18:18"
    assert parse_time("Apr 1, 2023 at 9:05") == "2023-04-01T09:05"
    assert parse_time("10 апреля 2023 г. в 18:18") == "2023-04-10T18:18"
    assert parse_time("10.04.2023 18:18") == "2023-04-10T18:18"
    assert parse_time("February 30 2023 18:18") == "February 30 2023 18:18"


def test_a_huge_single_line_is_kept_whole() -> None:
    line = "word " * 400_000 + "end."
    segs = parse(f"1. {line}", "en")
    assert len(segs) == 1 and segs[0].kind == "body"
    assert _nonspace(segs[0].text) == _nonspace(f"1. {line}")


def test_real_wmt21_dev_documents_keep_every_character() -> None:
    path = SHARED / "data" / "wmt21-newstest-ru-en" / "src.ru.txt"
    if not path.exists():
        pytest.skip(f"real data not available at {path}")
    lines = path.read_text(encoding="utf-8").splitlines()[:300]
    text = "\n".join(lines)
    segs = parse(text, "ru")
    assert _nonspace("".join(covered_text(s) for s in segs)) == _nonspace(text)
    assert {s.kind for s in segs} <= {"title", "body", "caption", "boilerplate"}


def test_a_comment_section_with_name_and_date_headers() -> None:
    """Below a ``Comments`` / ``Комментарии`` line, ``Name October 14, 2023 18:18`` alone opens
    a comment (was: the header and the comment both body, the header a corpus pair). A reader's
    sentence ending in a date stays comment text; outside a comment section such a line is
    body."""
    en = (
        "Museum will open an exhibition\n\nThe exhibition opens on Saturday.\n\nComments\n"
        "Irina_T October 14, 2023 18: 18\nWe will go with the whole family!\n"
        "Victor Ivanov, October 15, 2023 09:05\nWhy so expensive?\n"
        "I was there on October 15, 2023 10:05\n"
    )
    segs = parse(en, "en")
    assert [s.kind for s in segs] == ["title", "body", "boilerplate", "comment", "comment"]
    assert _meta(segs[3]) == (None, "Irina_T", None, "2023-10-14T18:18")
    assert segs[3].text == "We will go with the whole family!"
    assert _meta(segs[4])[1:] == ("Victor Ivanov", None, "2023-10-15T09:05")
    assert segs[4].text == "Why so expensive?\nI was there on October 15, 2023 10:05"
    assert _nonspace("".join(covered_text(s) for s in segs)) == _nonspace(en)
    ru = "Заголовок новости\n\nТекст.\n\nКомментарии (2)\nИрина_Т 14 октября 2023 18:18\nСходим!\n"
    assert [s.kind for s in parse(ru, "ru")] == ["title", "body", "boilerplate", "comment"]
    body = "Museum will open\n\nThe exhibition opens.\nVictor October 15, 2023 09:05\nIt rained."
    assert {s.kind for s in parse(body, "en")} == {"title", "body"}
    # A handle with a dot in it (`vlad.k`) is a name too: its header was the previous
    # comment's text, aligned as a pair (`vlad.k yesterday at 18:11` in the corpus).
    dotted = (
        "Museum will open\n\nThe exhibition opens.\n\nComments (2)\n"
        "Irina_T 10.04.2023 18:10\nGreat!\nvlad.k 10.04.2023 18:11\nToo expensive.\n"
        "j.smith yesterday at 18:12\nAgreed.\n"
    )
    segs = parse(dotted, "en")
    assert [s.kind for s in segs] == ["title", "body", "boilerplate", *["comment"] * 3]
    assert [(s.meta["author"], s.text) for s in segs[3:]] == [
        ("Irina_T", "Great!"),
        ("vlad.k", "Too expensive."),
        ("j.smith", "Agreed."),
    ]
    # A sentence's end before a date is still no name.
    said = "Museum\n\nText.\n\nComments\nmgero 10.04.2023 18:10\nIt opened. 10.04.2023 18:11\n"
    assert [s.kind for s in parse(said, "en")][-1:] == ["comment"]
    assert parse(said, "en")[-1].text == "It opened. 10.04.2023 18:11"
    # A comment count beside the title, above the article, opens no comment section.
    top = "Museum will open\nComments (12)\nMoscow, October 15, 2023 09:05\nThe exhibition opens."
    assert [s.kind for s in parse(top, "en")] == ["title", "boilerplate", "body", "body"]
