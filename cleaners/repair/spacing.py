"""Spacing and punctuation: split times, stray and missing spaces, quote/dash folding."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from cleaners.edit import Edit
from cleaners.lazyre import lazy_compile
from cleaners.repair.engine import Param, make_edit, rule, with_defaults
from cleaners.repair.tables import words
from cleaners.times import COLON_LIKE, split_times

# Characters with no glyph that web pages and MT output carry inside and between words: the
# soft hyphen, zero-width space and non-joiner, word joiner, invisible operators, bidi marks,
# embeddings and isolates. Russian and English never need them; in a corpus they split a word
# into two tokens no one sees ("Мос\u00adква"). A zero-width joiner goes only beside a letter
# or digit: between two emoji it makes them one (woman + laptop: a woman programmer).
_INVISIBLE_CHARS = "".join(
    chr(c)
    for lo, hi in ((0xAD, 0xAD), (0x180E, 0x180E), (0x200B, 0x200F), (0x202A, 0x202E),
                   (0x2060, 0x2064), (0x2066, 0x2069))
    for c in range(lo, hi + 1)
)  # fmt: skip
_INVISIBLE = lazy_compile(
    "(?:[" + _INVISIBLE_CHARS.replace("\u200d", "") + r"]|(?<=\w)\u200d|\u200d(?=\w))+"
)


@rule(
    "remove_invisible",
    langs=("en", "ru"),
    stage=13,
    gate=(_INVISIBLE_CHARS, ""),
    risk="none in Russian or English; another language's text in the side loses its joiners",
)
def remove_invisible(text: str, lang: str, params: Mapping[str, Any]) -> list[Edit]:
    r"""Delete invisible characters (soft hyphen, zero-width space, bidi marks) in words.

    >>> from cleaners.repair.engine import replay
    >>> t = "Мос\u00adква и Пе\u200bтер\u200bбург, \u200e10\u2060000 \u200b\u200bчеловек"
    >>> replay(t, remove_invisible(t, "ru", {}))
    'Москва и Петербург, 10000 человек'
    >>> remove_invisible("a coder \U0001f469\u200d\U0001f4bb", "en", {})
    []
    """
    return [
        make_edit("remove_invisible", text, m.start(), m.end(), "")
        for m in _INVISIBLE.finditer(text)
    ]


@rule(
    "join_split_times",
    stage=30,
    # the precheck from the rarer colon (or a look-alike, split or not)
    gate=(":" + COLON_LIKE, rf"(?:(?<=\d:)|(?<=\d :)) \d\d|(?<=\d[{COLON_LIKE}]) ?\d\d"),
    precheck=rf"\d ?(?:: |[{COLON_LIKE}] ?)\d\d",
    risk="a numbered label followed by a two-digit count, e.g. '12: 30 days' after 'at'",
)
def join_split_times(text: str, lang: str, params: Mapping[str, Any]) -> list[Edit]:
    """Rejoin a time that MT split after its colon; a colon's look-alike in a time (``01։
    23``, ``9：30``) becomes the colon.

    >>> from cleaners.repair.engine import replay
    >>> replay("April 10 2023 18: 18", join_split_times("April 10 2023 18: 18", "en", {}))
    'April 10 2023 18:18'
    >>> join_split_times("Article 12: 30 days", "en", {})
    []
    >>> replay("At 12 : 30 we left", join_split_times("At 12 : 30 we left", "en", {}))
    'At 12:30 we left'
    >>> replay("at 01\u0589 23 hours", join_split_times("at 01\u0589 23 hours", "en", {}))
    'at 01:23 hours'
    """
    edits = []
    for m in split_times(text):  # in a time-like context: "Article 12: 30 days" stays
        if m.group("sp"):
            edits.append(make_edit("join_split_times", text, m.end("h"), m.end("sp"), ""))
        if m.group("alike"):
            edits.append(make_edit("join_split_times", text, m.start("alike"), m.end("gap2"), ":"))
        else:
            edits.append(make_edit("join_split_times", text, m.start("gap"), m.end("gap"), ""))
    return edits


# Words with Latin diacritics, two or more and an eighth of the line's words, mark a line of
# French, Czech, Portuguese...: their own typography (a space before "!", no space after a
# period in a URL-like run) is kept. A few such words are names in an English line ("Oliver
# Nääs", "Jardín de la Unión"), not a foreign line.
_FOREIGN_WORD = lazy_compile(r"\w*[\u00c0-\u024f]\w*")


def _line_is_foreign(text: str, pos: int, last: list[Any] | None = None) -> bool:
    """Whether the line holding ``pos`` is foreign. ``last`` keeps the last line asked
    about (``[start, end, answer]``): matches come in order, so a book-length line is
    found and scanned once, not once per match (quadratic)."""
    if last and last[0] <= pos < last[1]:
        return bool(last[2])
    lo = text.rfind("\n", 0, pos) + 1
    hi = text.find("\n", pos)
    hi = hi if hi >= 0 else len(text)
    found = _FOREIGN_WORD.findall(text, lo, hi)
    foreign = len(found) >= 2 and len(found) * 8 >= text.count(" ", lo, hi) + 1
    if last is not None:
        last[:] = [lo, hi, foreign]
    return foreign


# Spaces before , . ; : ! ? that are followed by a space, a line end or a closing quote;
# after a word, a closing quote or bracket, or a percent sign ("by 4.4% , to").
_SPACE_BEFORE = lazy_compile(r"(?<=[\w\"')»”’%])[ \t]+(?=[,.;:!?](?:[ \t\n\"»”’]|$))")
# A colon spaced on both sides between numbers ("won 1 : 0", "at 12 : 30") is a score or a
# time: the space before it alone is not MT's slip, and dropping it half-mends ("1: 0").
_SPACED_RATIO = lazy_compile(r":[ \t]\d")


def _spaced_ratio(text: str, start: int, end: int) -> bool:
    return start > 0 and text[start - 1].isdigit() and _SPACED_RATIO.match(text, end) is not None


# French typography spaces the inside of guillemets ("« Oui »") and the space before
# ; : ! ?; a line spaced so keeps those (a period or comma is never spaced in French).
_FRENCH_GUILLEMET = lazy_compile(r"«[ \u00a0\u202f]|[ \u00a0\u202f]»")


def _french_spaced(text: str, start: int, end: int, last: list[Any] | None = None) -> bool:
    """Whether the space at ``start:end`` is French typography: before ``;:!?`` in a line
    that spaces its guillemets. ``last`` keeps the last line asked about, as in
    :func:`_line_is_foreign` (a book-length line is scanned once).

    >>> t = "Il a dit : « Nous sommes prêts ! »"
    >>> _french_spaced(t, 8, 9), _french_spaced("He said : «Yes»", 7, 8)
    (True, False)
    """
    if text[end : end + 1] not in (";", ":", "!", "?"):
        return False
    if last and last[0] <= start < last[1]:
        return bool(last[2])
    lo = text.rfind("\n", 0, start) + 1
    hi = text.find("\n", end)
    hi = hi if hi >= 0 else len(text)
    spaced = _FRENCH_GUILLEMET.search(text, lo, hi) is not None
    if last is not None:
        last[:] = [lo, hi, spaced]
    return spaced


@rule(
    "remove_space_before_punct",
    stage=31,
    langs=("en", "ru"),
    # The precheck turned round: punctuation is far rarer than a space to scan for.
    gate=(",.;:!?", r"(?<=[ \t].)"),
    precheck=r"[ \t][,.;:!?]",
    risk="French-style spacing in quoted text; a leading '.5' written with a space",
)
def remove_space_before_punct(text: str, lang: str, params: Mapping[str, Any]) -> list[Edit]:
    """Drop the space MT leaves before punctuation.

    >>> from cleaners.repair.engine import replay
    >>> replay("Hello , world !", remove_space_before_punct("Hello , world !", "en", {}))
    'Hello, world!'
    >>> remove_space_before_punct("wait ... what", "en", {})
    []
    >>> t = "rose by 10% , to 2,578; « Nous sommes prêts ! » ; won 1 : 0"
    >>> replay(t, remove_space_before_punct(t, "en", {}))
    'rose by 10%, to 2,578; « Nous sommes prêts ! » ; won 1 : 0'
    """
    known: list[Any] = []
    french: list[Any] = []
    return [
        make_edit("remove_space_before_punct", text, m.start(), m.end(), "")
        for m in _SPACE_BEFORE.finditer(text)
        if not _line_is_foreign(text, m.start(), known)
        and not _french_spaced(text, m.start(), m.end(), french)
        and not _spaced_ratio(text, m.start(), m.end())
    ]


# "talks.The" / "переговоров.Президент" / "however,the": two words, one mark, no space.
# The word before the mark may be hyphenated or start with digits ("genome-wide.Methods",
# "30th.There"), hold Latin letters with diacritics ("Brasília.All") or follow a word and a
# slash ("lopinavir/ritonavir.In", "km/hour.As"; not a path's later part: "a/b/c.Txt",
# and a URL's chunk is left by ``_urlish``); Cyrillic likewise.
_LATIN = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
_NO_SPACE = lazy_compile(
    rf"(?<![\w@.:-])(?<![^\w]/)(?<!^/)(?P<w>(?:[A-Za-z0-9]+-)*[0-9]*[{_LATIN}]*"
    r"[a-z\u00df-\u00f6\u00f8-\u024f]{2}"
    r"|(?:[А-Яа-яЁё0-9]+-)*[0-9]*[А-Яа-яЁё]*[а-яё]{2})"
    r"(?P<p>[.!?])(?P<n>[A-Z][a-z]|[А-ЯЁ][а-яё])"
    r"|(?<![\w@./:-])(?P<w2>[A-Za-z]*[a-z]{2}|[А-Яа-яЁё]*[а-яё]{2})(?P<p2>[,;])(?P<n2>[a-z]{2}|[а-яё]{2})"
    # A number or a time ends the sentence ("in 2023.The", "at 18:18.The"); not a part of a
    # dotted or comma-grouped number ("1.2.The", "1,000.The" are left as written).
    # So does a percentage, decimal or not, its sign spaced or not ("by 8,1 %.The").
    r"|(?<![\w@./:,-])(?P<w3>\d{1,2}:\d{2}|\d+(?:[.,]\d+)?[ \u00a0]?%|\d+)(?P<p3>[.!?])"
    r"(?P<n3>[A-Z][a-z]|[А-ЯЁ][а-яё])"
)
# Site names count as URLs: "Kostroma.Today" (a news site in WMT21 dev MT) is not a sentence end.
# ".by" only in lower or upper case ("tut.by", "TUT.BY"): "house.By the way" is a sentence.
_URLISH = lazy_compile(
    r"://|www\.|@|\.(?:by|BY)\b|\.(?i:com|org|net|ru|рф|ua|kz|io|tv|fm|info|news|today|"
    r"online|media|html?|php|py|js)\b"
)


# ... but a word-like domain title-cased after a lowercase word is a sentence's first
# word ("selling cherries.Today, the"): a site's name is capitalised ("Kostroma.Today")
# or written all in lowercase ("kostroma.today").
_SENTENCE_NOT_SITE = lazy_compile(r"(?<![A-Za-z.])[a-z]+\.(?:Today|News|Online|Media)\b")


# A brand's service named with a dot, in both languages ("Yandex.Taxi", "Яндекс.Маркете"):
# a brand of dotted_brands.txt, a dot and any capitalised word but a function word.
# A missing space after a sentence's last word looks the same ("Moscow.The", "Italy.As",
# "Danube.Ate" in WMT21 and TICO-19 dev), and a sentence ends in a rare name as often
# ("Kobzev.According", "Khabarovsk.Police" when two dev sentences are run together):
# rarity does not tell a brand, so a brand not listed is known only by recurring
# (``_recurring_dotted``).
_DOTTED = lazy_compile(
    r"(?<![\w.])(?P<a>[A-Z][a-z]+|[А-ЯЁ][а-яё]+)\.(?P<b>[A-Z][a-z]+|[А-ЯЁ][а-яё]+)"
)
# A Russian word this common (Zipf) is a function word ("Это", "На", "Он"): Russian has
# no function-word table here, and its closed classes are its most frequent words.
RU_FUNCTION_ZIPF = 5.5


def _function_word(word: str, lang: str) -> bool:
    from cleaners.repair.tables import words
    from cleaners.repair.words import zipf

    if lang == "en":
        return word.lower() in words("function_words.txt", "en")
    return zipf(word.lower(), "ru") >= RU_FUNCTION_ZIPF


def _brand_service(chunk: str) -> bool:
    """Whether ``chunk`` holds a listed brand's service named with a dot (``_DOTTED``).

    >>> [_brand_service(c) for c in ("Yandex.Taxi", "Яндекс.Маркете", "Yandex.Lavka")]
    [True, True, True]
    >>> [_brand_service(c) for c in ("Moscow.The", "Yandex.The", "Kobzev.According")]
    [False, False, False]
    >>> _brand_service("Москве.Президент"), _brand_service("Яндекс.Это")
    (False, False)
    """
    from cleaners.repair.tables import words

    for m in _DOTTED.finditer(chunk):
        a, b = m.group("a"), m.group("b")
        lang = "en" if a.isascii() else "ru"
        if lang != ("en" if b.isascii() else "ru") or a not in words("dotted_brands.txt", lang):
            continue
        if not _function_word(b, lang):
            return True
    return False


def _recurring_dotted(text: str, chunk: str) -> bool:
    """Whether a capitalised word, a dot and a capitalised word that is no function word
    stand twice in ``text``: a name ("Ozon.Travel ... Ozon.Travel"), as a lost space does
    not repeat itself.

    >>> _recurring_dotted("Ozon.Travel grew. Ozon.Travel fell.", "Ozon.Travel")
    True
    >>> _recurring_dotted("He met Kobzev.According to him, it grew.", "Kobzev.According")
    False
    >>> _recurring_dotted("In Moscow.The talks. In Moscow.The end.", "Moscow.The")
    False
    """
    m = _DOTTED.search(chunk)
    if m is None or _function_word(m.group("b"), "en" if m.group("b").isascii() else "ru"):
        return False
    return text.count(m.group()) >= 2


def _urlish(chunk: str) -> bool:
    """Whether a chunk is a URL, an e-mail, a site's name (``_URLISH``; a sentence end
    that looks like a word-like domain aside: ``_SENTENCE_NOT_SITE``) or a brand's service
    (``_brand_service``).

    >>> _urlish("Kostroma.Today"), _urlish("cherries.Today,"), _urlish("kostroma.today")
    (True, False, True)
    >>> _urlish("Yandex.Taxi"), _urlish("Яндекс.Маркете"), _urlish("Yandex.The")
    (True, True, False)
    """
    if _brand_service(chunk):
        return True
    if _URLISH.search(chunk) is None:
        return False
    return _URLISH.search(_SENTENCE_NOT_SITE.sub(" ", chunk)) is not None


# The rest of a word glued to "(" or to ".x": a call or a dotted name in code ("os.Path.join(",
# "model.Generate()"), where no sentence starts.
_CALLED = lazy_compile(r"\w*(?:\(|\.[a-z_])")


@rule(
    "add_space_after_sentence_end",
    stage=32,
    gate=(".!?,;", r"(?<=[a-zа-яё0-9%].)[A-Za-zА-Яа-яЁё]"),  # the precheck, from the mark
    langs=("en", "ru"),
    precheck=r"[a-zа-яё0-9%][.!?,;][A-Za-zА-Яа-яЁё]",
    risk="identifiers written with dots or commas (Node.Js, file.Name, a,b lists in code)",
)
def add_space_after_sentence_end(text: str, lang: str, params: Mapping[str, Any]) -> list[Edit]:
    """Insert the missing space in ``talks.The`` or ``however,the``; URLs and e-mails excluded.

    >>> from cleaners.repair.engine import replay
    >>> t = "after the talks.The leader"
    >>> replay(t, add_space_after_sentence_end(t, "en", {}))
    'after the talks. The leader'
    >>> add_space_after_sentence_end("see www.kremlin.Ru or mail a.b@c.Com", "en", {})
    []
    >>> t = "fell in 2023.In March, at 18:18.The mayor; v1.2.The"
    >>> replay(t, add_space_after_sentence_end(t, "en", {}))
    'fell in 2023. In March, at 18:18. The mayor; v1.2.The'
    >>> t = "up 8,1 %.The code: model.Generate() or os.Path.join(a)"
    >>> replay(t, add_space_after_sentence_end(t, "en", {}))
    'up 8,1 %. The code: model.Generate() or os.Path.join(a)'
    """
    edits = []
    known: list[Any] = []
    for m in _NO_SPACE.finditer(text):
        # The chunk between the spaces or line ends around the match; a line end is looked
        # for only up to the nearest space (a book-length line: not to the text's ends).
        lo = text.rfind(" ", 0, m.start()) + 1
        lo = max(lo, text.rfind("\n", lo, m.start()) + 1)
        sp = text.find(" ", m.end())
        nl = text.find("\n", m.end(), sp if sp >= 0 else len(text))
        hi_sp = [i for i in (sp, nl) if i >= 0]
        chunk = text[lo : min(hi_sp) if hi_sp else len(text)]
        if _urlish(chunk) or _line_is_foreign(text, m.start(), known):
            continue
        if _recurring_dotted(text, chunk):
            continue
        if m.group("w") and text[m.start() - 1 : m.start()] == "/" and chunk.count("/") > 1:
            continue  # a path ("src/main/app.Main"), not two words and a slash
        if _CALLED.match(text, m.end()):
            continue  # code: the next word is called or dotted on ("model.Generate()")
        at = next(m.end(g) for g in ("p", "p2", "p3") if m.group(g))
        edits.append(make_edit("add_space_after_sentence_end", text, at, at, " "))
    return edits


# Only between words and prose punctuation: ASCII art and emoticons keep their spacing.
_SPACES = lazy_compile(r"(?<=[\w,.;:!?)\]\"'”’»])[ ]{2,}(?=[\w(\[\"'“‘«])")


@rule(
    "collapse_spaces",
    stage=33,
    needs=("  ",),
    precheck=r"\S  +\S",
    risk="a lone line of a column-aligned table (no neighbour aligned with it) loses its spacing",
)
def collapse_spaces(text: str, lang: str, params: Mapping[str, Any]) -> list[Edit]:
    """Collapse runs of spaces between words; indentation and table columns are left alone.

    >>> from cleaners.repair.engine import replay
    >>> replay("two  words\\n    indented", collapse_spaces("two  words\\n    indented", "en", {}))
    'two words\\n    indented'
    >>> t = "Team    Points\\nZenit   36\\nSo  it  goes."
    >>> replay(t, collapse_spaces(t, "en", {}))
    'Team    Points\\nZenit   36\\nSo it goes.'
    """
    edits = []
    rows: dict[int, tuple[frozenset[int], bool]] = {}
    line = (0, -1, -1)  # the last run's line and the one before: each looked for once
    for m in _SPACES.finditer(text):
        if m.start() > line[1]:
            lo = text.rfind("\n", 0, m.start()) + 1
            hi = text.find("\n", m.end())
            up = text.rfind("\n", 0, lo - 1) + 1 if lo else -1
            line = (lo, hi if hi >= 0 else len(text), up)
        if _column_gap(text, m.start(), m.end(), line, rows):
            continue
        edits.append(make_edit("collapse_spaces", text, m.start(), m.end(), " "))
    return edits


def _row(
    text: str, lo: int, rows: dict[int, tuple[frozenset[int], bool]]
) -> tuple[frozenset[int], bool]:
    """For the line starting at ``lo``: the columns at which its runs of 2+ spaces between
    words end, and whether it can be a table row (it does not end a sentence). Kept in
    ``rows``: a line is scanned once however many runs it holds."""
    if lo not in rows:
        hi = text.find("\n", lo)
        hi = hi if hi >= 0 else len(text)
        ends = frozenset(m.end() - lo for m in _SPACES.finditer(text, lo, hi))
        rows[lo] = (ends, not text[lo:hi].rstrip().endswith((".", "!", "?")))
    return rows[lo]


def _column_gap(
    text: str,
    start: int,
    end: int,
    line: tuple[int, int, int],
    rows: dict[int, tuple[frozenset[int], bool]],
) -> bool:
    """Whether the run of spaces at ``start:end`` separates table columns: neither its line
    nor a neighbouring one ends a sentence, and the neighbour has a run of 2+ spaces ending
    at the same column (the next cell starts under this one). A run after a sentence's end
    mark is typewriter spacing, never a column. ``line``: ``(lo, hi, up)``, the run's line
    ``text[lo:hi]`` and where the one before starts (-1: none), found once a line.

    >>> _column_gap("Zenit   36\\nCSKA    27", 5, 8, (0, 10, -1), {})
    True
    >>> _column_gap("Zenit   36\\nCSKA  27", 5, 8, (0, 10, -1), {})
    False
    """
    if text[start - 1] in ".!?":
        return False
    lo, hi, up = line
    col = end - lo
    if not _row(text, lo, rows)[1]:
        return False
    neighbours = []
    if up >= 0:
        neighbours.append(up)
    if hi < len(text):
        neighbours.append(hi + 1)
    for n in neighbours:
        ends, row = _row(text, n, rows)
        if row and col in ends:
            return True
    return False


# Straight double quotes that MT spaced wrongly, where the spacing itself shows which
# quote opens and which closes (pairing quotes along a line fails on a quotation that
# started a line before): a quoted phrase glued to the next lowercase word ('"Zircon"will');
# a word or a colon glued to a quote that opens a phrase closed on the line ('the"Admiralty
# Shipyards"', 'said:"We"'); a space after a quote that opens one ('and " Atalanta".').
_QUOTE_GLUED_AFTER = lazy_compile(r'(?:(?<=[\s(])|^)"[^"\s][^"\n]*?[^"\s]"(?P<at>)(?=[a-z])', re.M)
_QUOTE_GLUED_BEFORE = lazy_compile(
    r'(?<=[a-z:])(?P<at>)"(?=[A-Za-z][^"\n]*[^"\s]"(?:[\s.,;:!?)]|$))', re.M
)
_QUOTE_SPACE_INSIDE = lazy_compile(
    r'(?:(?<=[\s(])|^)"(?P<sp> )(?=[A-Za-z][^"\n]*[^"\s]"(?:[\s.,;:!?)]|$))', re.M
)
# A space before the quote that closes a quotation and opens its attribution ('various
# classes, " he said'): the quote follows the quotation's last mark and a space, and a space
# follows it too, where an opening quote would not come.
_QUOTE_SPACE_BEFORE_CLOSE = lazy_compile(r'(?<=[,.!?…])(?P<sp> )"(?= (?P<next>[^\s"]+))')
_ATTRIBUTION_WORDS = 6
_WORDS = lazy_compile(r"[A-Za-z]+")
# A possessive apostrophe MT spaced from a capitalised word ending in s, a word after it
# ("The Hockey News ' Ryan Kennedy", "the Washington Capitals ' restart"). Were it a quote
# instead, joined it still closes a quotation right; one that opens a quotation ("The Beatles
# ' Yesterday '") has a quote standing apart after it on the line, and is left alone, unless
# that quote is another such possessive ("News ' Ryan ... the Times ' editor": both join).
# (After a lowercase word it may open one: "he says ' we are ready".)
_SPACED_POSSESSIVE = lazy_compile(r"\b[A-Z][a-z]*s(?P<sp> )['’] (?=[A-Za-z])")
_LONE_SINGLE_QUOTE = lazy_compile(r"(?<![A-Za-z])['‘’]|['‘’](?![A-Za-z])")


def _opens_nothing(text: str, m: re.Match[str], possessives: set[int]) -> bool:
    """Whether no single quote stands apart after the apostrophe of a ``_SPACED_POSSESSIVE``
    match on its line (one that could close a quotation it opens). The apostrophe of another
    such match (``possessives``: their offsets) is not counted: the line's spaced possessives
    are then joined together (``News ' Ryan … the Times ' editor``), not each left for the
    other."""
    end = text.find("\n", m.end())
    lone = _LONE_SINGLE_QUOTE.finditer(text, m.end(), end if end >= 0 else len(text))
    return all(q.start() in possessives for q in lone)


# A title in quotes: one to four capitalised words, nothing else ("Island Tales").
_TITLE = lazy_compile(r"[A-Z][\w-]*(?: [A-Z][\w-]*){0,3}")


def _enclosing_title(text: str, spaced: list[re.Match[str]]) -> set[int]:
    """The starts of the ``_SPACED_POSSESSIVE`` matches whose apostrophes are a quotation's
    two quotes around a title: the next one on the line follows right after the title's
    words (``Dogs ' Island Tales ' in Europe``: the title "Island Tales", not two
    possessives). Two possessives have other words between them (``News ' Ryan Kennedy
    and the Times ' editor``)."""
    out: set[int] = set()
    for m, n in zip(spaced, spaced[1:], strict=False):
        between = text[m.end() : n.start("sp")]
        if m.start() not in out and _TITLE.fullmatch(between):
            out.update((m.start(), n.start()))
    return out


def _closes_before_attribution(text: str, m: re.Match[str]) -> bool:
    """Whether the quote of a ``_QUOTE_SPACE_BEFORE_CLOSE`` match closes a quotation: a speech
    verb among the next words ('" Proza added', '" the head of the region stressed'), or a
    lowercase word next with no quote left on the line (one after it could close a quotation
    this quote opens)."""
    end = text.find("\n", m.end())
    rest = text[m.end() : end if end >= 0 else len(text)]
    verbs = words("speech_verbs.txt", "en")
    if any(w.lower() in verbs for w in _WORDS.findall(rest)[:_ATTRIBUTION_WORDS]):
        return True
    return m.group("next")[0].islower() and '"' not in rest


@rule(
    "fix_quote_spacing",
    stage=37,
    langs=("en",),
    needs=('"', "s '", "s ’"),
    risk="a quotation MT left unclosed, whose closing quote is taken from the next one; a "
    "single quote spaced after a name in s that opens a quotation never closed, or closed by "
    "a quote spaced after another name in s with other words than a title's between them",
)
def fix_quote_spacing(text: str, lang: str, params: Mapping[str, Any]) -> list[Edit]:
    """Space a quotation in straight double quotes as English does, and a name's possessive
    apostrophe MT spaced from it.

    >>> from cleaners.repair.engine import replay
    >>> t = 'The missile "Zircon"will fly at the"Admiralty Shipyards" and " Atalanta" lost.'
    >>> replay(t, fix_quote_spacing(t, "en", {}))
    'The missile "Zircon" will fly at the "Admiralty Shipyards" and "Atalanta" lost.'
    >>> t = '"It is quiet here, " the mayor said. "We wait! " Ivanov added.'
    >>> replay(t, fix_quote_spacing(t, "en", {}))
    '"It is quiet here," the mayor said. "We wait!" Ivanov added.'
    >>> fix_quote_spacing('a 27" screen, "x" b, {"id": "a"}, hygiene."Masks are" - said', "en", {})
    []
    >>> t = 'Fans wrote, " We want the old song", and left.'
    >>> replay(t, fix_quote_spacing(t, "en", {}))  # an opening quote's space goes after it
    'Fans wrote, "We want the old song", and left.'
    >>> t = "as The Hockey News ' Ryan Kennedy wrote."
    >>> replay(t, fix_quote_spacing(t, "en", {}))  # a possessive's apostrophe, not a quote
    "as The Hockey News' Ryan Kennedy wrote."
    >>> t = "The Hockey News ' Ryan Kennedy and the Times ' editor agree."
    >>> replay(t, fix_quote_spacing(t, "en", {}))  # two on a line: each joined
    "The Hockey News' Ryan Kennedy and the Times' editor agree."
    >>> fix_quote_spacing("the Beatles ' Yesterday ' played", "en", {})  # a quotation opens
    []
    >>> fix_quote_spacing("Dogs ' Island Tales ' in Europe", "en", {})  # a title in quotes
    []
    >>> fix_quote_spacing("he says ' we are ready", "en", {})
    []
    """
    known: list[Any] = []
    edits = [
        make_edit("fix_quote_spacing", text, m.start("at"), m.start("at"), " ")
        for pattern in (_QUOTE_GLUED_AFTER, _QUOTE_GLUED_BEFORE)
        for m in pattern.finditer(text)
    ]
    edits += [
        make_edit("fix_quote_spacing", text, m.start("sp"), m.end("sp"), "")
        for m in _QUOTE_SPACE_INSIDE.finditer(text)
    ]
    edits += [
        make_edit("fix_quote_spacing", text, m.start("sp"), m.end("sp"), "")
        for m in _QUOTE_SPACE_BEFORE_CLOSE.finditer(text)
        if _closes_before_attribution(text, m)
    ]
    spaced = list(_SPACED_POSSESSIVE.finditer(text))
    titled = _enclosing_title(text, spaced)
    spaced = [m for m in spaced if m.start() not in titled]
    possessives = {m.end("sp") for m in spaced}
    edits += [
        make_edit("fix_quote_spacing", text, m.start("sp"), m.end("sp"), "")
        for m in spaced
        if _opens_nothing(text, m, possessives)
    ]
    return sorted(
        (e for e in edits if not _line_is_foreign(text, e.start, known)), key=lambda e: e.start
    )


_QUOTES = {
    "‘": "'",
    "’": "'",
    "‚": "'",
    "‛": "'",
    "“": '"',
    "”": '"',
    "„": '"',
    "‟": '"',
    "«": '"',
    "»": '"',
}
_QUOTE_RE = lazy_compile("[" + "".join(_QUOTES) + "]")


@rule(
    "fold_quotes",
    stage=90,
    precheck=_QUOTE_RE.pattern,
    risk="loses the typographic distinction a publisher wants (off by default)",
    default_on=False,
)
def fold_quotes(text: str, lang: str, params: Mapping[str, Any]) -> list[Edit]:
    """Fold curly quotes and guillemets to ASCII quotes (enable in config).

    >>> fold_quotes("can’t", "en", {})[0].after
    "'"
    """
    return [
        make_edit("fold_quotes", text, m.start(), m.end(), _QUOTES[m.group()])
        for m in _QUOTE_RE.finditer(text)
    ]


_DASH_RE = lazy_compile(r"[‒–—―]")


@rule(
    "fold_dashes",
    stage=91,
    precheck=_DASH_RE.pattern,
    params={"to": Param("-", "What every en/em dash becomes.")},
    risk="loses the en/em dash distinction (off by default)",
    default_on=False,
)
def fold_dashes(text: str, lang: str, params: Mapping[str, Any]) -> list[Edit]:
    """Fold en and em dashes to one dash (enable in config).

    >>> fold_dashes("a — b", "en", {"to": "-"})[0].after
    '-'
    """
    return [
        make_edit(
            "fold_dashes", text, m.start(), m.end(), with_defaults("fold_dashes", params)["to"]
        )
        for m in _DASH_RE.finditer(text)
    ]
