"""Numbers of a ru–en pair: which ones one side has and the other lacks.

A changed number ("110 стран" ↔ "10 countries") is the error a translation checker must not
miss, and the one cheap signals catch best. Each number is read with both languages'
conventions ("3,5" and "3.5", "1 000" and "1,000"), scaled by a magnitude word after it
("13,3 тысячи" = "13,300", "3 млн" = "3 million") and a year range's short end completed
("2010–11" = "2010–2011"); a number word on the other side excuses a missing digit number of
the same value ("пять" ↔ "5", "XVIII века" ↔ "18th century"), and two number words in a row
excuse any ("Две тысячи тринадцатый" ↔ "2013"). Numbers written in words are read too, a
compound whole and in any case form ("двадцати пяти" = 25, "a hundred and five" = 105), and
when a number is changed (one side lacks a number, the other another) an exact number word
the other side has in no form counts as missing: "три семьи" ↔ "four families", "сорока" ↔
"14" (:func:`word_number_values`). Words as often a pronoun or vague ("one of", "одна из",
"at first", "тысячи людей", "полтора") only excuse. A decade written with two digits or in
words ("90-х", "the '90s", "the nineties", "девяностые") leaves its century unsaid, so it
stands for that decade of the 1900s and of the 2000s, the centuries news abbreviates: "90-х" =
"1990s" (and "2090s"), but not "1980s" nor "1890s". A two-digit ordinal with the same ending
("10-х классов") gains those readings too: they only ever excuse, never reject.

The number-mismatch filter's check (:func:`compare_both`'s second) reads more words than the
digit check the adequacy features read: halves of a magnitude ("полмиллиона", "half a
million"), counted groups ("два десятка" ↔ "two dozen"), fractions ("треть", "a quarter of",
"two-thirds" ↔ "67 %"), adjectives built on a number ("пятилетний", "двухэтажного",
"threefold"), each number word as often as it is written. Both checks match a number that is
the other side's converted between common units, the unit named after each ("60 миль" ↔ "97
km", "6 футов" ↔ "1,8 м", "40 °C" ↔ "104 °F"): a translator's conversion, not a change.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Sequence
from typing import NamedTuple

from cleaners.times import COLON_LIKE, split_times

_COLONS = ":" + COLON_LIKE
# The spaces that group thousands: a plain, no-break, narrow no-break, thin or figure space
# (Russian typography's "10 000" is set with a thin or narrow one) and the Swiss apostrophe.
_GROUP = " \u00a0\u202f\u2009\u2007'"
# Grouped thousands ("1 000", "1,000,000": a first group of 1-3 digits) or plain digits, each
# with an optional decimal part; "в 2008 году 400" stays two numbers.
_TOKEN = re.compile(
    # A time of day, one number: "9:30" = "0930"; a colon's look-alikes (Armenian ։, the ratio
    # sign ∶, fullwidth ：, cleaners.times.COLON_LIKE) written for it in some sources count as one.
    rf"(?<![\d{_COLONS}])\d{{1,2}}[{_COLONS}]\d{{2}}(?![\d{_COLONS}])"
    r"|(?<!\d)\d{1,2}\s+час\w*\s+\d{1,2}\s+минут"  # "в 11 часов 28 минут" = "11:28"
    r"|(?<!\d)\d{1,2}\s+hours?\s+(?:and\s+)?\d{1,2}\s+minutes?"  # MT's word for word
    # A cup round named by its fraction of the final, one number ("1/8 финала", MT's "1/8
    # final", "1 / 8 Champions League final"): 1/8, and the teams left, "the round of 16".
    r"|(?<![\d/])\d{1,2} ?/ ?\d{1,2}(?=\s+(?:[A-Z][a-z]+\s+){0,3}(?:финал|[Ff]inal))"
    rf"|\d{{1,3}}(?:(?:[{_GROUP}]|,)\d{{3}}(?!\d))+(?:[.,]\d+)?(?!\d)|\d+(?:[.,]\d+)?"
    # A decimal without its leading zero (".08%", "a .45 caliber"), not after a word or number
    r"|(?<![\w.,])\.\d+"
)
_MAGNITUDE = re.compile(
    r"\s*(тыс\w*|млн|миллион\w*|млрд|миллиард\w*|трлн|триллион\w*|thousand|million|billion|"
    r"trillion|bn|mln)\b",
    re.IGNORECASE,
)
_SCALE = {"тыс": 1e3, "thousand": 1e3, "млн": 1e6, "миллион": 1e6, "million": 1e6, "mln": 1e6,
          "млрд": 1e9, "миллиард": 1e9, "billion": 1e9, "bn": 1e9, "трлн": 1e12,
          "триллион": 1e12, "trillion": 1e12}  # fmt: skip
# "a.m." / "p.m." after a time or an hour (group 1: a or p).
_MERIDIEM = re.compile(r"\s*([ap])\.?\s?m\b", re.IGNORECASE)
# An hour said as one ("в 14 часов", "at 9 o'clock") is the time on the hour, "14:00".
_HOUR_WORD = re.compile(r"\s*(?:час(?:а|ов)?\b|o'clock\b)", re.IGNORECASE)
# "1.23 a.m.", "9.30pm": a time whose colon is a dot (British usage), known by its a.m./p.m.
_DOT_TIME = re.compile(r"(\d{1,2})\.([0-5]\d)")


def _hour24(hours: int, meridiem: re.Match[str] | None) -> int:
    """The 24-hour clock's hour of ``hours`` followed by ``meridiem`` (12 a.m. is 0)."""
    if meridiem is None or not 1 <= hours <= 12:
        return hours
    return hours % 12 + (12 if meridiem.group(1).lower() == "p" else 0)


_RANGE_END = re.compile(r"\s*[-–—]\s*$")
# What makes a two-digit number a decade: a Russian case ending ("90-х", "90-е", "90-ми") or an
# English plural ("90s", "90's"; "'90s" is the same token); the first of a range of decades
# takes the ending of the second ("80–90-х" = "the 1980s and 1990s").
_DECADE_AFTER = re.compile(r"(?:\s*[-–—]\s*\d{2})?-(?:х|е|ые|ых|ми|ыми)(?!\w)|[’']?s\b")
_EN_DECADES = {"twenties": 20, "thirties": 30, "forties": 40, "fifties": 50, "sixties": 60,
               "seventies": 70, "eighties": 80, "nineties": 90}  # fmt: skip
_RU_DECADE = re.compile(
    r"(нулев|двадцат|тридцат|сороков|пятидесят|шестидесят|семидесят|восьмидесят|девяност)"
    r"(?:ые|ых|ыми|ым)$"
)
_RU_DECADE_VALUES = {"нулев": 0, "двадцат": 20, "тридцат": 30, "сороков": 40,
                     "пятидесят": 50, "шестидесят": 60, "семидесят": 70, "восьмидесят": 80,
                     "девяност": 90}  # fmt: skip


def decade(n: int) -> set[float]:
    """The values a decade written without its century ("90-х", "the '90s") stands for.

    >>> sorted(decade(90))
    [90.0, 1990.0, 2090.0]
    """
    return {float(n), float(1900 + n), float(2000 + n)}


_WORD = re.compile(r"[^\W\d_]+")

_EN_VALUES = {
    w: v
    for v, ws in enumerate(
        [
            "zero", "one first once single", "two second twice double", "three third triple",
            "four fourth", "five fifth", "six sixth", "seven seventh", "eight eighth",
            "nine ninth", "ten tenth", "eleven eleventh", "twelve twelfth dozen", "thirteen",
            "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
        ]
    )
    for w in ws.split()
} | {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
     "ninety": 90, "hundred": 100, "thousand": 1000, "half": 0.5}  # fmt: skip
# Russian stems (longest first when matched): the value each names.
_RU_STEMS = sorted(
    {
        "ноль": 0, "нул": 0, "один": 1, "одн": 1, "перв": 1, "два": 2, "две": 2, "двух": 2,
        "двум": 2, "двое": 2, "втор": 2, "дважды": 2, "три": 3, "трех": 3, "трёх": 3,
        "трет": 3, "трое": 3, "трижды": 3, "четыр": 4, "четвер": 4, "пят": 5, "шест": 6,
        "сем": 7, "седьм": 7, "восем": 8, "восьм": 8, "девят": 9, "десят": 10,
        "одиннадцат": 11, "двенадцат": 12, "тринадцат": 13, "четырнадцат": 14,
        "пятнадцат": 15, "шестнадцат": 16, "семнадцат": 17, "восемнадцат": 18,
        "девятнадцат": 19, "двадцат": 20, "тридцат": 30, "сорок": 40, "пятьдесят": 50,
        "шестьдесят": 60, "семьдесят": 70, "восемьдесят": 80, "девяност": 90, "сотн": 100,
        "двест": 200, "трист": 300, "четырест": 400, "пятьсот": 500, "тысяч": 1000,
        "полтор": 1.5, "половин": 0.5, "сутк": 24, "суток": 24, "стомет": 100,
        "столет": 100,
    }.items(),
    key=lambda kv: -len(kv[0]),
)  # fmt: skip
_RU_EXACT = {"сто": 100, "ста": 100}


def _read(token: str) -> set[float]:
    """The values a digit token may stand for, under either language's conventions."""
    plain = re.sub(f"[{_GROUP}]", "", token)
    as_en = re.sub(r",(?=\d{3}(?!\d))", "", plain).replace(",", ".")  # "1,500" is 1500
    if plain.count(",") > 1 or ("," in plain and "." in plain):
        return {float(as_en)}  # "15,785,641", "1,500.5": only the English reading
    out = {float(plain.replace(",", ".")), float(as_en)}  # "3,5" is three and a half
    if re.fullmatch(r"\d{1,3}\.\d{3}", plain):
        out.add(float(plain.replace(".", "")))  # "42.000" is 42,000 in German-style text
    return out


# A minus before a number: "-15", "−15" (U+2212), "минус 15", "minus 15". A hyphen counts only
# at the start, after a space or an opening bracket or quote, and not after a number and a
# space: "10-15" and "40%-50%" are ranges, "2021-05-03" a date, "Ту-154" and "COVID-19"
# names, "10 -15" a range too.
_MINUS = re.compile(
    r"(?:(?:^|(?<=[\s(\[«\"„“']))(?<![\d%)°][ \u00a0])[-−]|(?<!\w)(?:минус|minus)\s+)$",
    re.IGNORECASE,
)
# After a number, words that make it negative: "15 degrees below zero", "15 градусов ниже
# нуля", "15 градусов мороза" (two words may come between).
_BELOW_ZERO = re.compile(
    r"\W*(?:[^\W\d]+\W+){0,2}(?:below\s+(?:zero|freezing)|ниже\s+нуля|мороза)\b",
    re.IGNORECASE,
)


def negative(text: str, start: int, end: int) -> bool:
    """Whether the number at ``text[start:end]`` is negative: a minus before it or "below
    zero" after it.

    >>> [negative(t, t.index("15"), t.index("15") + 2) for t in ("-15 градусов", "10-15",
    ...  "в 10 -15", "минус 15", "15 degrees below zero", "COVID-15", "(−15)", "40%-15%")]
    [True, False, False, True, True, False, True, False]
    """
    return (
        _MINUS.search(text, max(0, start - 8), start) is not None
        or _BELOW_ZERO.match(text, end) is not None
    )


def digit_numbers(text: str) -> list[frozenset[float]]:
    """Each digit number of ``text`` as the set of values it may stand for.

    >>> 13300.0 in digit_numbers("13,3 тысячи")[0] and 13300.0 in digit_numbers("13,300")[0]
    True
    >>> [sorted(v) for v in digit_numbers("in 2010–11")]
    [[2010.0], [11.0, 2011.0]]
    >>> [sorted(v) for v in digit_numbers("в 2008 году 400 человек, 10 700 тестов")]
    [[2008.0], [400.0], [10700.0]]
    >>> digit_numbers("at 1:50 pm") == digit_numbers("в 13 часов 50 минут"), digit_numbers("0230")
    (True, [frozenset({230.0})])
    >>> digit_numbers("в 01\u058923") == digit_numbers("at 1:23")
    True
    >>> digit_numbers("at 18: 18 and 9 : 05 pm") == digit_numbers("в 18:18 и 21:05")
    True
    >>> digit_numbers("в 17 часов 47 минут") == digit_numbers("at 17 hours and 47 minutes")
    True
    >>> [sorted(v) for v in digit_numbers("1/8 финала, the 1 / 8 Champions League final")]
    [[0.125, 16.0], [0.125, 16.0]]
    >>> [sorted(v) for v in digit_numbers("at 2 p.m., at 01.23 a.m., 12:30 am, в 14 часов")]
    [[2.0, 14.0, 1400.0], [123.0], [30.0], [14.0, 1400.0]]
    >>> digit_numbers("to .08%, a .45 caliber") == digit_numbers("до 0,08%, калибр 0,45")
    True
    >>> [sorted(v) for v in digit_numbers("в 90-х, the '80s, 2010-е")]
    [[90.0, 1990.0, 2090.0], [80.0, 1980.0, 2080.0], [2010.0]]
    >>> [sorted(v) for v in digit_numbers("в 80–90-х")]
    [[80.0, 1980.0, 2080.0], [90.0, 1990.0, 2090.0]]

    A minus makes it negative (:func:`negative`): "-15 градусов" is no "15 degrees".

    >>> digit_numbers("от -5 до −15, minus 2,5; 10-15")
    [frozenset({-5.0}), frozenset({-15.0}), frozenset({-2.5}), frozenset({10.0}), frozenset({15.0})]
    """
    out: list[frozenset[float]] = []
    prev_end, prev = -1, ""
    # MT's split times ("at 18: 18") are one time each, as repair joins them: start -> match.
    split = {t.start(): t for t in split_times(text)}
    skip_to = -1
    for m in _TOKEN.finditer(text):
        if m.start() < skip_to:
            continue  # the minutes of a split time
        time: re.Match[str] | None = split.get(m.start())
        if time is None and re.search(f"[{_COLONS}]|час|hour", m.group()):
            time = m
        if "/" in m.group():
            num, den = (int(x) for x in re.findall(r"\d+", m.group()))
            values = {num / den if den else float(num)} | ({2.0 * den} if num == 1 else set())
            out.append(frozenset(values))  # "1/8 финала": 1/8 and 16 (teams)
            prev_end, prev = m.end(), m.group()
            continue
        if time is not None:
            hours, minutes = (int(x) for x in re.findall(r"\d+", time.group()))
            hours = _hour24(hours, _MERIDIEM.match(text, time.end()))  # "1:50 pm" is 13:50
            out.append(frozenset({float(hours * 100 + minutes)}))
            skip_to = prev_end = time.end()
            prev = time.group()
            continue
        meridiem = _MERIDIEM.match(text, m.end())
        dot_time = _DOT_TIME.fullmatch(m.group()) if meridiem else None
        if dot_time is not None and 1 <= int(dot_time.group(1)) <= 12:
            hours = _hour24(int(dot_time.group(1)), meridiem)  # "1.23 a.m." is 01:23
            out.append(frozenset({float(hours * 100 + int(dot_time.group(2)))}))
            prev_end, prev = m.end(), m.group()
            continue
        values = _read(m.group())
        if len(m.group()) == 2 and m.group().isdigit() and _DECADE_AFTER.match(text, m.end()):
            values |= decade(int(m.group()))
        if meridiem and m.group().isdigit() and 1 <= int(m.group()) <= 12:
            hours = _hour24(int(m.group()), meridiem)  # "5 pm" is 17 o'clock, 17:00
            values |= {float(hours), float(hours * 100)}
        elif m.group().isdigit() and int(m.group()) <= 24 and _HOUR_WORD.match(text, m.end()):
            values.add(float(int(m.group()) * 100))
        mag = _MAGNITUDE.match(text, m.end())
        if mag:
            word = mag.group(1).lower()
            scale = next((v for k, v in _SCALE.items() if word.startswith(k)), 1.0)
            values |= {round(v * scale, 6) for v in values}
        if (
            len(prev) == 4
            and prev.isdigit()
            and len(m.group()) == 2
            and m.group().isdigit()
            and _RANGE_END.match(text[prev_end : m.start()]) is not None
        ):
            values.add(float(prev[:2] + m.group()))
        if negative(text, m.start(), m.end()):
            values = {-v for v in values}
        out.append(frozenset(values))
        prev_end, prev = m.end(), m.group()
    return out


_ROMAN = re.compile(r"\b[IVXLC]{2,7}\b")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def roman(token: str) -> int | None:
    """The value of a Roman numeral, None when it is not a well-formed one.

    >>> roman("XVIII"), roman("IV"), roman("IIII"), roman("LC")
    (18, 4, None, None)
    """
    total = 0
    for k, ch in enumerate(token):
        v = _ROMAN_VALUES[ch]
        nxt = _ROMAN_VALUES[token[k + 1]] if k + 1 < len(token) else 0
        total += -v if v < nxt else v
    return total if _to_roman(total) == token else None


def _to_roman(n: int) -> str:
    out = ""
    for v, sym in ((100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"),
                   (5, "V"), (4, "IV"), (1, "I")):  # fmt: skip
        while n >= v:
            out += sym
            n -= v
    return out


def word_numbers(text: str) -> tuple[set[float], bool]:
    """Values named by number words, and whether two come in a row (a compound number).

    >>> word_numbers("Пять человек и двое детей")
    ({2, 5}, False)
    >>> word_numbers("Две тысячи тринадцатый год")[1]
    True
    >>> sorted(word_numbers("the nineties")[0]), sorted(word_numbers("в семидесятых")[0])
    ([90.0, 1990.0, 2090.0], [70.0, 1970.0, 2070.0])
    """
    # Roman numerals (centuries, "World War II") stand for a number like a word does.
    values: set[float] = {float(v) for m in _ROMAN.finditer(text) if (v := roman(m.group()))}
    compound = False
    last = False
    for m in _WORD.finditer(text.lower()):
        w = m.group()
        if (d := _EN_DECADES.get(w)) is not None or (d := _ru_decade(w)) is not None:
            values |= decade(d)  # a decade in words: its century unsaid, as "the '90s"
            compound = compound or last
            last = True
            continue
        v = _EN_VALUES.get(w, _EN_VALUES.get(w.rstrip("s")))
        if v is None:
            v = _RU_EXACT.get(w)
        if v is None and w[0] >= "а":
            v = next((val for stem, val in _RU_STEMS if w.startswith(stem)), None)
        if v is not None:
            values.add(v)
            compound = compound or last
        last = v is not None
    return values, compound


def _ru_decade(word: str) -> int | None:
    m = _RU_DECADE.match(word)
    return _RU_DECADE_VALUES[m.group(1)] if m else None


class NumberCheck(NamedTuple):
    matched: int
    ru_missing: int  # digit numbers of the Russian side the English lacks (unexcused)
    en_missing: int


def compare(ru: str, en: str, words: bool = True) -> NumberCheck:
    """Match the digit numbers of the two sides; count the unmatched, unexcused ones, and
    with ``words``, when a number is changed, the number words the other side lacks.

    >>> compare("110 стран подписали договор.", "10 countries signed the treaty.")
    NumberCheck(matched=0, ru_missing=1, en_missing=1)
    >>> compare("Пять человек, 3,5 млн рублей.", "5 people, 3.5 million roubles.")
    NumberCheck(matched=1, ru_missing=0, en_missing=0)
    >>> compare("Это случилось в 90-х годах.", "It happened in the 1990s.")
    NumberCheck(matched=1, ru_missing=0, en_missing=0)
    >>> compare("Это случилось в 90-х годах.", "It happened in the 1980s.")
    NumberCheck(matched=0, ru_missing=1, en_missing=1)
    >>> compare("Пришли 12\u2009500 человек.", "12,500 people came.")  # a thin space's group
    NumberCheck(matched=1, ru_missing=0, en_missing=0)
    """
    digits, m = _match_digits(ru, en)
    return _with_words(ru, en, m, digits) if words else digits


class _Matching(NamedTuple):
    """Both sides' digit numbers and those the other side does not match."""

    ru_n: list[frozenset[float]]
    en_n: list[frozenset[float]]
    ru_left: list[frozenset[float]]
    en_left: list[frozenset[float]]
    ru_named: tuple[set[float], bool] | None  # word_numbers of each side, read once for both
    en_named: tuple[set[float], bool] | None  # checks (None: not read yet, no digit left over)
    related: _Converted | None  # the pair's unit conversions (None: not read, no digit pair left)


def _match_digits(ru: str, en: str) -> tuple[NumberCheck, _Matching]:
    """The digit-only check and the matching it came from."""
    ru_n, en_n = digit_numbers(ru), digit_numbers(en)
    # Each Russian number takes the first unused English number sharing a value. The English
    # positions are queued per value, so a side with thousands of numbers (a table on one
    # line) is not rescanned for each Russian number: that was quadratic.
    at: dict[float, deque[int]] = {}
    for k, e in enumerate(en_n):
        for v in e:
            at.setdefault(v, deque()).append(k)
    used = [False] * len(en_n)
    matched = 0
    ru_left = []
    for values in ru_n:
        k = None
        for v in values:
            q = at.get(v)
            while q and used[q[0]]:
                q.popleft()
            if q and (k is None or q[0] < k):
                k = q[0]
        if k is None:
            ru_left.append(values)
        else:
            used[k] = True
            matched += 1
    en_left = [e for k, e in enumerate(en_n) if not used[k]]
    related = _conversions(ru, en) if ru_left and en_left else None
    if related is not None and related.units:
        # A number that is the other side's converted between units is matched: a
        # translator's conversion ("60 миль" ↔ "97 km"), not a changed number.
        for a in list(ru_left):
            b = next((b for b in en_left if related(a, b)), None)
            if b is not None:
                ru_left.remove(a)
                en_left.remove(b)
                matched += 1
    ru_named = word_numbers(ru) if en_left else None
    en_named = word_numbers(en) if ru_left else None
    digits = NumberCheck(
        matched,
        _unexcused(ru_left, en_named) if en_named else 0,
        _unexcused(en_left, ru_named) if ru_named else 0,
    )
    return digits, _Matching(ru_n, en_n, ru_left, en_left, ru_named, en_named, related)


def compare_both(ru: str, en: str) -> tuple[NumberCheck, NumberCheck]:
    """:func:`compare` without and with number words, from one matching of the digits (the
    adequacy features read the first, the number-mismatch filter the second).

    >>> [tuple(c) for c in compare_both("В деревне живут три семьи.", "Four families live.")]
    [(0, 0, 0), (0, 1, 1)]
    """
    digits, m = _match_digits(ru, en)
    return digits, _with_words(ru, en, m, digits)


def _with_words(ru: str, en: str, m: _Matching, digits: NumberCheck) -> NumberCheck:
    """The check once the digit numbers are matched (``digits``: the unmatched ones a number
    word does not excuse), number words and unit conversions read too: when a number is
    changed, the exact numbers written in words that the other side has in no form count
    ("три семьи" ↔ "four families", "сорока" ↔ "14"), and a number that is the other side's
    converted between common units is no change ("60 миль" ↔ "97 km", :func:`_conversions`).

    A number word with no counterpart alone counts for nothing: translators drop or reword
    them in 0.5 % of the clean dev pairs ("на четырёх конечностях" ↔ "knuckle walking").
    """
    ru_n, en_n, ru_left, en_left, ru_named, en_named, related = m
    # Each side's number words read once: what they are, and (read when needed: most pairs
    # need neither) what they excuse on the other side.
    ru_words, en_words = word_number_values(ru), word_number_values(en)
    if not (ru_left or en_left or any(n.firm for n in ru_words + en_words)):
        return digits
    ru_named = ru_named or word_numbers(ru)
    en_named = en_named or word_numbers(en)
    ru_compound, en_compound = ru_named[1], en_named[1]
    ru_said = ru_named[0] | _word_values(ru_words) | _halves(ru)
    en_said = en_named[0] | _word_values(en_words) | _halves(en)
    ru_wmiss = _words_missing(ru_words, en_n, en_words, en_said)
    en_wmiss = _words_missing(en_words, ru_n, ru_words, ru_said)
    if (ru_left or ru_wmiss) and (en_left or en_wmiss):
        related = related or _conversions(ru, en)  # (read once: the digit check may have)
    else:
        related = None
    # Against a word number, a digit number is excused by its own value only, not by any two
    # number words in a row: "двадцать пять" is read whole as 25, so "26" lacks it.
    ru_strict = [v for v in ru_left if not v & en_said]
    en_strict = [v for v in en_left if not v & ru_said]
    if ru_wmiss or en_wmiss:
        ru_miss, en_miss = _paired_off(ru_strict + ru_wmiss, en_strict + en_wmiss, related)
        if ru_miss and en_miss:
            return NumberCheck(digits.matched, ru_miss, en_miss)
    ru_loose = [] if en_compound else ru_strict
    en_loose = [] if ru_compound else en_strict
    # A number word converted excuses too ("шести футов" ↔ "1.8 metres"), counting for
    # nothing itself (a word left out alone never does).
    ru_miss, en_miss = _paired_off(ru_loose, en_loose, related, ru_wmiss, en_wmiss)
    return NumberCheck(digits.matched, ru_miss, en_miss)


def _word_values(words: list[WordNumber]) -> set[float]:
    return {v for n in words for v in n.values}


def _words_missing(
    words: list[WordNumber],
    other_digits: list[frozenset[float]],
    other_words: list[WordNumber],
    other_said: set[float],
) -> list[frozenset[float]]:
    """Exact numbers written in words on one side (each as the values it may stand for) that
    the other has in no form, each as often as it is written: one of "two sons and two
    daughters" is missing from "два сына и двадцать дочерей". Each takes one of the other
    side's numbers (``other_digits``, ``other_words``); one the other side has only as a
    part of a word (``other_said``: "пятилетний", "дважды") is there however often."""
    numbers = [*other_digits, *(n.values for n in other_words)]
    used = [False] * len(numbers)
    out: list[frozenset[float]] = []
    for n in words:
        if not n.firm:
            continue
        hits = [k for k, d in enumerate(numbers) if n.values & d]
        k = next((k for k in hits if not used[k]), None)
        if k is not None:
            used[k] = True
        elif hits or not n.values & other_said:
            out.append(n.values)
    return out


def _paired_off(
    ru: list[frozenset[float]],
    en: list[frozenset[float]],
    related: _Converted | None,
    ru_also: Sequence[frozenset[float]] = (),
    en_also: Sequence[frozenset[float]] = (),
) -> tuple[int, int]:
    """How many distinct numbers each side lacks once those that are the other side's
    converted between units (a translator's conversion) are paired off; the ``_also`` ones
    pair off too but are not counted."""
    ru_items = [(v, True) for v in ru] + [(v, False) for v in ru_also]
    en_items = [(v, True) for v in en] + [(v, False) for v in en_also]
    if related is not None and related.units:
        for a in list(ru_items):
            b = next((b for b in en_items if related(a[0], b[0])), None)
            if b is not None:
                ru_items.remove(a)
                en_items.remove(b)
    # Distinct values: "a 4x4 … a 4x4" is one number the other side words differently.
    return (
        len({min(v) for v, counts in ru_items if counts}),
        len({min(v) for v, counts in en_items if counts}),
    )


_HALF = re.compile(r"(?<![\d.,])(\d+)\s*(?:1/2|½)")


def _halves(text: str) -> set[float]:
    """Digit numbers with a half ("2 1/2 million", "3½"), which the digit reading splits.

    >>> sorted(_halves("over 2 1/2 million tenge, 3½ hours"))
    [3.5, 2500000.0]
    """
    out = set()
    for m in _HALF.finditer(text):
        value = int(m.group(1)) + 0.5
        mag = _MAGNITUDE.match(text, m.end())
        if mag:
            word = mag.group(1).lower()
            value *= next((v for k, v in _SCALE.items() if word.startswith(k)), 1.0)
        out.add(value)
    return out


def _unexcused(left: list[frozenset[float]], other: tuple[set[float], bool]) -> int:
    """The digit check's count: unmatched numbers no number word of the other side
    (``other``: its :func:`word_numbers`) excuses; any two in a row excuse all ("Две тысячи
    тринадцатый" ↔ "2013")."""
    if not left:
        return 0
    values, compound = other
    if compound:
        return 0
    # Distinct values: "a 4x4 … a 4x4" is one number the other side words differently.
    return len({min(v) for v in left if not (v & values)})


def _unit(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


_METRE = _unit(r"\bm\b|\bм\b|met(?:er|re)s?\b|метр")
# Units a translator converts between (English and Russian spellings) and the factor from the
# first to the second.
_UNIT_PAIRS = [
    (_unit(r"\bmi(?:les?)?\b|mph|мил[яиь]"), _unit(r"\bkm\b|kilomet|\bкм\b|километр"), 1.609344),
    (_unit(r"(?:sq\.?|square)\s*mi|кв\.?\s*мил|квадратн\w*\s+мил"),
     _unit(r"km²|km2|sq\.?\s*km|square\s*kilomet|кв\.?\s*км|квадратн\w*\s+километр"), 2.589988),
    (_unit(r"\bfeet\b|\bfoot\b|\bft\b|фут"), _METRE, 0.3048),
    (_unit(r"\byards?\b|ярд"), _METRE, 0.9144),
    (_unit(r"\binch|дюйм"), _unit(r"\bcm\b|\bсм\b|centimet|сантиметр"), 2.54),
    (_unit(r"\binch|дюйм"), _unit(r"\bmm\b|\bмм\b|millimet|миллиметр"), 25.4),
    (_unit(r"\bpounds?\b|\blbs?\b|фунт"), _unit(r"\bkg\b|\bкг\b|kilogram|килограмм"), 0.453592),
    (_unit(r"\bounces?\b|\boz\b|унци"), _unit(r"\bg\b|\bг\b|\bgrams?\b|грамм"), 28.3495),
    (_unit(r"gallon|галлон"), _unit(r"\bl\b|\bл\b|lit(?:er|re)|литр"), 3.78541),
    (_unit(r"\bacres?\b|акр"), _unit(r"hectare|\bha\b|\bга\b|гектар"), 0.404686),
    # Celsius (a bare "degrees" too, the Russian default) to Fahrenheit
    (_unit(r"celsius|цельси|°\s*c\b|℃|degrees?\b|градус"),
     _unit(r"fahrenheit|°\s*f\b|℉|фаренгейт"), 0.0),
]  # fmt: skip
_SCALE_MARK = _unit(r"°|℃|℉|celsius|цельси|fahrenheit|фаренгейт")
_TEMPERATURE = _unit(r"temperature|fever|degrees?\b|температур|\bжар|лихорад|градус")
_TRAILING = re.compile(r"\W*(?:[^\W\d]+\W+){0,2}$")  # "40 градусов по " Цельсию


def _before_unit(text: str, unit: re.Pattern[str]) -> set[float]:
    """The values of the numbers right before each mention of ``unit`` (two words may come
    between: "40 градусов по Цельсию"), in digits or words.

    >>> sorted(_before_unit("от 4,5 метров (15 футов), шести футов", _unit("фут")))
    [6.0, 15.0]
    """
    out: set[float] = set()
    for m in unit.finditer(text):
        window = text[max(0, m.start() - 40) : m.start()]
        last = None
        for last in _TOKEN.finditer(window):  # noqa: B007 (the last one is wanted)
            pass
        tail = window[last.end() :] if last else window
        named = word_number_values(" ".join(tail.split()[-3:]))
        if named:  # a number word nearer than any digit number: "шести футов"
            out |= named[-1].values
        elif last is not None and _TRAILING.fullmatch(window, last.end()):
            out |= digit_numbers(window[last.start() :])[0]
    return out


class _Converted(NamedTuple):
    """The numbers a pair names before units a translator converts between: each pair of
    units' value sets (None: any number, a temperature whose scale neither side names) and
    the factor from the first unit to the second (0: Celsius to Fahrenheit)."""

    units: list[tuple[set[float] | None, set[float] | None, float]]

    def __call__(self, a: frozenset[float], b: frozenset[float]) -> bool:
        """Whether a number that may be any of ``a`` is one of ``b`` converted (either way)."""
        return any(
            _converts(x, y, f)
            for one, two, f in self.units
            for x in a
            for y in b
            if (one is None or x in one and y in two or y in one and x in two)  # type: ignore[operator]
        )


def _converts(a: float, b: float, factor: float) -> bool:
    """Whether ``b`` is ``a`` converted either way, as roughly as translators round."""
    if a <= 0 or b <= 0 or a == b:
        return False
    if not factor:  # within a degree Celsius: "38,9" ↔ "102", "37" ↔ "98.6"
        return abs(a * 1.8 + 32 - b) <= 1.8 or abs(b * 1.8 + 32 - a) <= 1.8
    # within 10 %: "1 метр" ↔ "3 feet" (3.28), "6 футов" ↔ "1,8 м"
    return any(abs(a * f - b) <= 0.1 * b for f in (factor, 1 / factor))


def _conversions(ru: str, en: str) -> _Converted:
    """The unit conversions the pair may hold: a number before one unit and a number before
    the other (either side, in digits or words), or any two numbers when both sides speak of
    a temperature and neither names its scale ("температура тридцать восемь и девять" ↔ "a
    fever of a hundred and two").

    >>> _conversions("До города 60 миль.", "It is 97 km away.").units
    [({60.0}, {97.0}, 1.609344)]
    >>> _conversions("60 миль", "60 miles").units
    []
    """
    both = f"{ru}\n{en}"
    out: list[tuple[set[float] | None, set[float] | None, float]] = []
    for one, other, factor in _UNIT_PAIRS:
        if one.search(both) and other.search(both):
            first, second = _before_unit(both, one), _before_unit(both, other)
            if first and second:
                out.append((first, second, factor))
    if _TEMPERATURE.search(ru) and _TEMPERATURE.search(en) and not _SCALE_MARK.search(both):
        out.append((None, None, 0.0))
    return _Converted(out)


# Number words read into values, compounds as one ("двадцати пяти" = 25, "a hundred and five"
# = 105, "двух с половиной миллионов" = 2.5 million), so a number written in words is
# compared like a digit number: "три семьи" ↔ "four families" is a changed number. Each form
# is listed whole: Russian stems match too much ("семья", "вторник", "однако", "трибуна").
def _ru_forms(spec: str) -> dict[str, float]:
    """``"5 пять пяти пятью; 6 ..."`` → each form with its value."""
    out: dict[str, float] = {}
    for group in spec.split(";"):
        value, *forms = group.split()
        out |= dict.fromkeys(forms, float(value))
    return out


_ADJ = ("ый", "ой", "ая", "ое", "ые", "ого", "ому", "ым", "ом", "ую", "ых", "ыми")
_RU_ORDINAL_STEMS = {
    "втор": 2, "четверт": 4, "четвёрт": 4, "пят": 5, "шест": 6, "седьм": 7, "восьм": 8,
    "девят": 9, "десят": 10, "одиннадцат": 11, "двенадцат": 12, "тринадцат": 13,
    "четырнадцат": 14, "пятнадцат": 15, "шестнадцат": 16, "семнадцат": 17,
    "восемнадцат": 18, "девятнадцат": 19, "двадцат": 20, "тридцат": 30, "сороков": 40,
    "пятидесят": 50, "шестидесят": 60, "семидесят": 70, "восьмидесят": 80, "девяност": 90,
    "сот": 100, "двухсот": 200, "трёхсот": 300, "трехсот": 300, "четырёхсот": 400,
    "четырехсот": 400, "пятисот": 500, "тысячн": 1000, "миллионн": 1e6,
}  # fmt: skip
_RU_ORDINALS = {
    stem + end: float(v)
    for stem, v in _RU_ORDINAL_STEMS.items()
    for end in _ADJ
    # "второй", "седьмой" but "пятый", "сотый" ("пятой" is the feminine's oblique case).
    if not (end == "ый" and stem in {"втор", "седьм", "восьм", "шест", "сороков"})
} | _ru_forms(
    "3 третий третья третье третьи третьего третьей третьему третьим третьем третью третьих "
    "третьими; 1 первый первая первое первые первого первой первому первым первом первую "
    "первых первыми"
)
_RU_CARDINALS = _ru_forms(
    "0 ноль нуль ноля нуля нолю нулю нолём нулём; 1 один одна одно одни одного одной одному "
    "одним одном одну одних одними; 2 два две двух двум двумя двое двоих двоим двоими; "
    "3 три трёх трех трём трем тремя трое троих троим троими; 4 четыре четырёх четырех "
    "четырём четырем четырьмя четверо четверых четверым четверыми; 5 пять пяти пятью пятеро "
    "пятерых пятерым; 6 шесть шести шестью шестеро шестерых; 7 семь семи семеро семерых; "
    "8 восемь восьми восемью восьмью восьмеро; 9 девять девяти девятью девятеро; 10 десять "
    "десяти десятью десятеро; 11 одиннадцать одиннадцати; 12 двенадцать двенадцати; "
    "13 тринадцать тринадцати; 14 четырнадцать четырнадцати; 15 пятнадцать пятнадцати; "
    "16 шестнадцать шестнадцати; 17 семнадцать семнадцати; 18 восемнадцать восемнадцати; "
    "19 девятнадцать девятнадцати; 20 двадцать двадцати двадцатью; 30 тридцать тридцати "
    "тридцатью; 40 сорок сорока; 50 пятьдесят пятидесяти пятьюдесятью; 60 шестьдесят "
    "шестидесяти шестьюдесятью; 70 семьдесят семидесяти семьюдесятью; 80 восемьдесят "
    "восьмидесяти восемьюдесятью; 90 девяносто девяноста; 100 сто ста; 200 двести двухсот "
    "двумстам двумястами двухстах; 300 триста трёхсот трехсот трёмстам тремстам тремястами "
    "трёхстах трехстах; 400 четыреста четырёхсот четырехсот четырёмстам четыремстам "
    "четырьмястами четырёхстах четырехстах; 500 пятьсот пятисот пятистам пятьюстами пятистах; "
    "600 шестьсот шестисот шестистам шестьюстами шестистах; 700 семьсот семисот семистам "
    "семьюстами семистах; 800 восемьсот восьмисот восьмистам восемьюстами восьмистах; "
    "900 девятьсот девятисот девятистам девятьюстами девятистах; 1.5 полтора полторы полутора; "
    "7 семью"
)


def _counted(words: str, start: float, step: float) -> dict[str, float]:
    """``"twenty thirty", 20, 10`` → twenty 20, thirty 30."""
    return {w: start + step * k for k, w in enumerate(words.split())}


_EN_CARDINALS = _counted(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen",
    0,
    1,
) | _counted("twenty thirty forty fifty sixty seventy eighty ninety", 20, 10)
_EN_ORDINALS = (
    _counted(
        "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
        "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth",
        1,
        1,
    )
    | _counted(
        "twentieth thirtieth fortieth fiftieth sixtieth seventieth eightieth ninetieth", 20, 10
    )
    | {"hundredth": 100.0, "thousandth": 1000.0, "millionth": 1e6, "twice": 2.0, "thrice": 3.0}
)
_UNITS = _RU_CARDINALS | _RU_ORDINALS | _EN_CARDINALS | _EN_ORDINALS
_ORDINAL = set(_RU_ORDINALS) | set(_EN_ORDINALS)
_HUNDRED = {"hundred"}
_MAGNITUDES = _ru_forms(
    "1000 тысяча тысячи тысяче тысячу тысячей тысяч тысячам тысячами тысячах тыс thousand "
    "thousands; 1e6 миллион миллиона миллиону миллионом миллионе миллионы миллионов миллионам "
    "миллионами миллионах млн million millions; 1e9 миллиард миллиарда миллиарду миллиардом "
    "миллиарде миллиарды миллиардов миллиардам миллиардами миллиардах млрд billion billions; "
    "1e12 триллион триллиона триллионов трлн trillion trillions"
) | {"hundreds": 100.0}
# Alone, these say no exact number, or are a pronoun or article as often as a number: "one
# of", "одна из", "at first", "в первую очередь", "полтора", "семью" (a family), "thousands
# of people", "тысячи людей". They still excuse (a value the other side may have), never
# reject.
_VAGUE = {
    "one", "first", "once", "один", "одна", "одно", "одни", "одного", "одной", "одному", "одним",
    "одном", "одну", "одних", "одними", "полтора", "полторы", "полутора", "семью", "ноль",
    "нуль", "zero", "первый", "первая", "первое", "первые", "первого", "первой", "первому",
    "первым", "первом", "первую", "первых", "первыми",
} | set(_MAGNITUDES)  # fmt: skip
_NUMBER_WORD = re.compile(r"[^\W\d_]+|\d+(?:-?(?:st|nd|rd|th|й|я|е|го|х))?\b|\S", re.UNICODE)


class WordNumber(NamedTuple):
    value: float
    firm: bool  # an exact number, evidence of a mismatch when the other side lacks it
    # Other values a translator writes it as: "два десятка" (20) as "two dozen" (24) and the
    # reverse, "треть" as "33 %".
    also: frozenset[float] = frozenset()

    @property
    def values(self) -> frozenset[float]:
        return self.also | {self.value}


def is_number_word(word: str) -> bool:
    """Whether a lower-case word is a number word (a cardinal, an ordinal, a magnitude).

    >>> is_number_word("тридцать"), is_number_word("thousand"), is_number_word("семья")
    (True, True, False)
    """
    return word in _UNITS or word in _MAGNITUDES or word in _HUNDRED


def words_told(src: str, tgt: str) -> bool:
    """Whether every number ``src`` writes in words is one ``tgt`` names, in digits or
    words ("тридцать восемь и девять" ↔ "38.9", "пять" ↔ "5"): the other side translates
    those words, though no word table says so.

    >>> words_told("Ему тридцать лет.", "He is 30."), words_told("Ему тридцать лет.", "He is 40.")
    (True, False)
    """
    named = word_number_values(src)
    if not named:
        return False
    there = {v for n in digit_numbers(tgt) for v in n} | {
        v for n in word_number_values(tgt) for v in n.values
    }
    return all(n.values & there for n in named)


def word_number_values(text: str) -> list[WordNumber]:
    """The numbers ``text`` writes in words, a compound read as one value.

    >>> [n.value for n in word_number_values("Он прожил двадцать пять лет, twenty-six")]
    [25.0, 26.0]
    >>> [n.value for n in word_number_values("a hundred and five, three thousand, 21st")]
    [105.0, 3000.0]
    >>> [n.value for n in word_number_values("двух с половиной миллионов, two and a half million")]
    [2500000.0, 2500000.0]
    >>> [n[:2] for n in word_number_values("Одна из машин; тысячи людей; Пятьсот человек")]
    [(1.0, False), (1000.0, False), (500.0, True)]
    >>> [n.value for n in word_number_values("Две тысячи тринадцатый год, в третьем")]
    [2013.0, 3.0]
    >>> [n.value for n in word_number_values("полтриллиона, half a million, двух десятков")]
    [500000000000.0, 500000.0, 20.0]
    >>> [sorted(n.values) for n in word_number_values("a dozen, две трети, a quarter of")]
    [[10.0, 12.0], [0.667, 66.0, 66.7, 67.0], [0.25, 25.0]]
    >>> [n.value for n in word_number_values("пятилетний, двадцатипятиэтажного, threefold")]
    [5.0, 25.0, 3.0]

    A spoken decimal, "тридцать восемь и девять", is 38.9, its parts read too (38 and 9).

    >>> [sorted(n.values) for n in word_number_values("температура тридцать восемь и девять")]
    [[9.0, 38.0, 38.9]]
    >>> [n.value for n in word_number_values("тридцать шесть и шесть десятых, пять и три")]
    [36.6, 5.0, 3.0]
    """
    out: list[WordNumber] = []
    words: list[str] = []  # the words of the number being read
    total = current = 0.0
    last_unit = 0.0  # the last unit added: "двадцать пять" joins, "пять шесть" does not
    gap = ""  # what came between the previous number word and this token
    end = 0  # where the last number word ends
    vague = False  # an ordinal that is none: "a second", "к половине третьего" (2:30)
    group = 0.0  # the size of a counted group in the number: "два десятка", "two dozen"
    prev = ""  # the token before

    def close() -> None:
        nonlocal total, current, last_unit, words, vague, group, spoken
        value = total + current
        if words and value and _DECADES.match(text, end):
            value *= 10  # "two decades" is twenty years, "двух десятилетий" too
        if words and value:
            firm = not vague and (len(words) > 1 or words[0] not in _VAGUE)
            # Tens stand for dozens too ("два десятка" ↔ "two dozen"), and a dozen or half of
            # one is as loose ("более десяти групп" ↔ "over a dozen groups"); "two dozen" ↔
            # "двадцать" is a change.
            also = spoken
            if group == 10 or group == 12 and value <= 12:
                also = frozenset({round(value * 1.2 if group == 10 else value / 1.2, 3)})
            out.append(WordNumber(value, firm, also))
        words, total, current, last_unit, vague, group = [], 0.0, 0.0, 0.0, False, 0.0
        spoken = frozenset()

    spoken: frozenset[float] = frozenset()  # a spoken decimal's parts, read as it is too
    skip = 0  # a spoken decimal's last word, already read
    for m in _NUMBER_WORD.finditer(text):
        w = m.group().lower()
        if w.isspace() or m.start() < skip:
            continue
        if (
            words
            and w == "и"
            and gap == ""
            and total == 0
            and current >= 10
            and (tenth := _RU_TENTHS.match(text, m.end()))
        ):
            # "тридцать восемь и девять" is 38.9 (a temperature as it is said), or 38 and 9.
            digit = _RU_CARDINALS[tenth.group(1).lower()]
            spoken = frozenset({current, digit})
            current = round(current + digit / 10, 6)
            words.append(tenth.group(1).lower())
            end = skip = tenth.end()
            continue
        before, prev = prev, w
        if d := _denominator(w, before, bool(words), text, m.end()):
            # A fraction, its numerator the number before: "две трети", "a third of".
            if total or gap not in {"", "-"}:
                close()
            value = round((current or 1) / d, 3)
            words = []  # the numerator is the fraction's
            close()
            out.append(WordNumber(value, True, _percents(value)))
            gap = ""
            continue
        if (adj := _number_adjective(w)) is not None:
            close()  # "пятилетний" ↔ "five-year", "трёхкратный" ↔ "threefold"
            out.append(WordNumber(adj, True))
            gap = ""
            continue
        if words and (w in {"and", "с"} and gap in {"", "-"} or w == "a" and gap == "and"):
            gap += w  # "a hundred and five", "двух с половиной", "two and a half"
            continue
        if words and w in {"half", "половиной"} and gap in {"с", "anda"}:
            current += 0.5
            words.append(w)
            end = m.end()
            gap = ""
            continue
        if words and w in {"-", "‑"} and gap == "":
            gap = "-"
            continue
        unit = _UNITS.get(w)
        mag = _MAGNITUDES.get(w) if w != "hundreds" else None
        if (mag is not None or w in _GROUPS) and not words and before[:1].isdigit():
            gap = ""
            continue  # "6 million", "3,5 млн": the digit number's (digit_numbers reads it)
        if mag is None and (mag := _GROUPS.get(w)) is not None:
            group = mag  # "два десятка" = 20, "a dozen" = 12
        elif mag is None and w.startswith("пол") and (half := _HALVED.get(w[3:])):
            mag = half / 2  # "полмиллиона", "полтриллиона", "полсотни"
            group = 12.0 if w.endswith("дюжины") else 0.0
        if words and gap not in {"", "-", "and"}:
            close()
        if unit is not None and not words and _ru_decade(w) is not None:
            close()  # "в двадцатых годах": a decade, its century unsaid (read as before)
        elif unit is not None:
            place = 10 ** len(str(int(last_unit))) / 10 if last_unit else 0
            # Joins when smaller than the last unit's place ("двадцать" then "пять", "пятьсот"
            # then "двадцать"), or after a magnitude.
            if words and not (last_unit == 0 or unit < place and last_unit % 10 == 0):
                close()
            current += unit
            last_unit = unit
            words.append(w)
            end = m.end()
            if w in _ORDINAL:
                # The words just before only: searching from the start is quadratic.
                before = text[max(0, m.start() - 24) : m.start()]
                vague = len(words) == 1 and _NOT_ORDINAL.search(before) is not None
                close()
        elif w in _HUNDRED:
            current = (current or 1) * 100
            last_unit = 100.0
            words.append(w)
            end = m.end()
        elif mag is not None:
            if 0 < total < mag and current == 0:
                total *= mag  # "двух десятков тысяч", "two thousand million"
            else:
                if words and current == 0:
                    close()
                total += (current or 1) * mag
            current = 0.0
            last_unit = 0.0
            words.append(w)
            end = m.end()
            if (w.endswith(("s", "ы")) or w in _VAGUE_GROUPS) and len(words) == 1:
                close()  # "thousands", "миллионы", "десятки": vague, never "thousands five"
        elif w == "a":
            close()
            words, gap = [], ""
            nxt = _UNITS_AFTER_A.match(text, m.end())
            if nxt:
                words = ["a"]  # "a hundred", "a thousand": one of them
                current = 0.5 if before == "half" else 1.0  # "half a million"
            continue
        else:
            close()
        gap = ""
    close()
    return out


_DECADES = re.compile(r"[\s-]+(?:decades?|десятилети)", re.IGNORECASE)
# The tenths of a spoken decimal after "и": one digit word ("десятых" may follow), no number
# word after it.
_RU_TENTHS = re.compile(
    r"\s+(один|одна|два|две|три|четыре|пять|шесть|семь|восемь|девять)(?:\s+десят(?:ых|ая))?(?![\w-])"
    r"(?!\s+(?:тысяч|миллион|миллиард|сот|десят|двадцат|тридцат|сорок))",
    re.IGNORECASE,
)
_NOT_ORDINAL = re.compile(r"(?:\b(?:a|per|every|each|one|split)|половин\w*)\s+$", re.IGNORECASE)
_UNITS_AFTER_A = re.compile(
    r"\s+(?:hundred|thousand|million|billion|trillion|dozen)\b", re.IGNORECASE
)
# Counted groups, read as a magnitude is: "два десятка" = 20, "two dozen" = 24, "десятков
# тысяч". Alone in the plural they are vague ("десятки стран", "dozens of").
_GROUPS = _ru_forms(
    "10 десяток десятка десятку десятком десятке десятки десятков десяткам десятками "
    "десятках; 12 дюжина дюжины дюжине дюжину дюжиной дюжин дюжинами dozen dozens"
)
_VAGUE_GROUPS = {"десятки", "десятков", "десяткам", "десятками", "десятках", "дюжин",
                 "дюжинами"}  # fmt: skip
# What "пол" halves in one word: "полмиллиона", "полтысячи", "полсотни", "полдюжины".
_HALVED = {k: v for k, v in _MAGNITUDES.items() if v >= 1000} | _ru_forms(
    "100 сотни сотне; 12 дюжины; 10 десятка"
)
# Fractions, by denominator: "треть", "две трети", "четверть"; "a third of", "two-thirds",
# "three quarters". A singular English ordinal is one only after "a"/"one" and before "of"
# ("a third time" is "в третий раз").
_RU_FRACTIONS = _ru_forms(
    "3 треть трети третей третям третями третях; 4 четверть четверти четвертей четвертям "
    "четвертями четвертях четвертью"
)
_EN_FRACTIONS = {"third": 3.0, "fourth": 4.0, "quarter": 4.0, "fifth": 5.0, "sixth": 6.0,
                 "seventh": 7.0, "eighth": 8.0, "ninth": 9.0, "tenth": 10.0}  # fmt: skip
_OF = re.compile(r"\s+of\b|\s+(?:century|centuries)\b", re.IGNORECASE)


def _denominator(word: str, before: str, numerator: bool, text: str, end: int) -> float | None:
    """The denominator ``word`` names when it is a fraction, else None."""
    if (d := _RU_FRACTIONS.get(word)) is not None:
        return d
    if word.endswith("s") and (d := _EN_FRACTIONS.get(word[:-1])) is not None:
        return d  # "two-thirds", "three quarters", "thirds of"
    if (d := _EN_FRACTIONS.get(word)) is not None and (
        before == "one" and numerator or before == "a" and _OF.match(text, end)
    ):
        return d
    return None


def _percents(fraction: float) -> frozenset[float]:
    """A fraction as the percentages it is written as: a third is 33 %, 33.3 %, two 66 or 67."""
    p = fraction * 100
    return frozenset({float(round(p)), float(int(p)), round(p, 1)})


# Adjectives and adverbs built on a number: a numeral prefix (or a chain, "двадцатипяти-"),
# a measure and an adjective ending: "пятилетний" ↔ "five-year", "двухэтажного" ↔
# "two-storey", "трёхкратный" ↔ "threefold", "пятитысячная" ↔ "5,000-strong". Only these
# measures: a numeral prefix starts other words too ("семинар", "семитский"), and
# "двусторонний" is "bilateral".
_RU_PREFIXES = _ru_forms(
    "2 двух дву; 3 трёх трех; 4 четырёх четырех; 5 пяти; 6 шести; 7 семи; 8 восьми; "
    "9 девяти; 10 десяти; 11 одиннадцати; 12 двенадцати; 13 тринадцати; 14 четырнадцати; "
    "15 пятнадцати; 16 шестнадцати; 17 семнадцати; 18 восемнадцати; 19 девятнадцати; "
    "20 двадцати; 30 тридцати; 40 сорока; 50 пятидесяти; 60 шестидесяти; 70 семидесяти; "
    "80 восьмидесяти; 90 девяносто; 100 сто; 200 двухсот; 300 трёхсот трехсот; "
    "400 четырёхсот четырехсот; 500 пятисот; 1000 тысяче; 1.5 полутора"
)
_PREFIX = re.compile("|".join(sorted(_RU_PREFIXES, key=len, reverse=True)))
_RU_ADJECTIVE = re.compile(
    rf"((?:{_PREFIX.pattern})+)"
    r"(?:(летн|этажн|кратн|дневн|недельн|месячн|годичн|веков|часов|минутн|секундн|"
    r"(?:кило|санти|милли)?метров|тонн|литров|(?:кило)?граммов|процентн|комнатн|местн|"
    r"зв[её]здочн|зв[её]здн|разов|серийн|томн|ярусн|полосн|уровнев|мачтов|моторн|палубн|"
    r"ступенчат|кол[её]сн|дверн|цилиндров|значн|зарядн|ствольн|актн)|"
    r"(тысячн|миллионн|миллиардн))"
    r"(?:ый|ий|ой|ая|яя|ое|ее|ые|ие|ого|его|ому|ему|ым|им|ом|ем|ую|юю|ых|их|ыми|ими|о)$"
)
_EN_FOLD = _EN_CARDINALS | {"hundred": 100.0, "thousand": 1000.0}


def _number_adjective(word: str) -> float | None:
    """The number an adjective built on one says ("пятилетний" 5, "threefold" 3), else None.

    >>> _number_adjective("двадцатипятилетнего"), _number_adjective("семинар")
    (25.0, None)
    """
    if word.endswith("fold"):
        return float(_EN_FOLD.get(word[:-4], 0)) or None
    m = _RU_ADJECTIVE.fullmatch(word)
    if m is None:
        return None
    value = sum(_RU_PREFIXES[p] for p in _PREFIX.findall(m.group(1)))
    return value * {"тысячн": 1e3, "миллионн": 1e6, "миллиардн": 1e9}.get(m.group(3), 1.0)
