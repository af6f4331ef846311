"""Numbers of a ru–en pair: which ones one side has and the other lacks.

A changed number ("110 стран" ↔ "10 countries") is the error a translation checker must not
miss, and the one cheap signals catch best. Each number is read with both languages'
conventions ("3,5" and "3.5", "1 000" and "1,000"), scaled by a magnitude word after it
("13,3 тысячи" = "13,300", "3 млн" = "3 million") and a year range's short end completed
("2010–11" = "2010–2011"); a number word on the other side excuses a missing digit number of
the same value ("пять" ↔ "5", "XVIII века" ↔ "18th century"), and two number words in a row
excuse any ("Две тысячи тринадцатый" ↔ "2013"). A decade written with two digits or in
words ("90-х", "the '90s", "the nineties", "девяностые") leaves its century unsaid, so it
stands for that decade of the 1900s and of the 2000s, the centuries news abbreviates: "90-х" =
"1990s" (and "2090s"), but not "1980s" nor "1890s". A two-digit ordinal with the same ending
("10-х классов") gains those readings too: they only ever excuse, never reject.
"""

from __future__ import annotations

import re
from collections import deque
from typing import NamedTuple

# Grouped thousands ("1 000", "1,000,000": a first group of 1-3 digits) or plain digits, each
# with an optional decimal part; "в 2008 году 400" stays two numbers.
_TOKEN = re.compile(
    # A time of day, one number: "9:30" = "0930"; a colon's lookalikes (Armenian ։, the ratio
    # sign ∶) written for it in some sources count as one.
    r"(?<![\d:։∶])\d{1,2}[:։∶]\d{2}(?![\d:։∶])"
    r"|(?<!\d)\d{1,2}\s+час\w*\s+\d{1,2}\s+минут"  # "в 11 часов 28 минут" = "11:28"
    r"|\d{1,3}(?:(?:[ \u00a0\u202f']|,)\d{3}(?!\d))+(?:[.,]\d+)?(?!\d)|\d+(?:[.,]\d+)?"
)
_MAGNITUDE = re.compile(
    r"\s*(тыс\w*|млн|миллион\w*|млрд|миллиард\w*|трлн|триллион\w*|thousand|million|billion|"
    r"trillion|bn|mln)\b",
    re.IGNORECASE,
)
_SCALE = {"тыс": 1e3, "thousand": 1e3, "млн": 1e6, "миллион": 1e6, "million": 1e6, "mln": 1e6,
          "млрд": 1e9, "миллиард": 1e9, "billion": 1e9, "bn": 1e9, "трлн": 1e12,
          "триллион": 1e12, "trillion": 1e12}  # fmt: skip
_PM = re.compile(r"\s*p\.?\s?m\b", re.IGNORECASE)
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
    plain = re.sub(r"[ \u00a0\u202f']", "", token)
    as_en = re.sub(r",(?=\d{3}(?!\d))", "", plain).replace(",", ".")  # "1,500" is 1500
    if plain.count(",") > 1 or ("," in plain and "." in plain):
        return {float(as_en)}  # "15,785,641", "1,500.5": only the English reading
    out = {float(plain.replace(",", ".")), float(as_en)}  # "3,5" is three and a half
    if re.fullmatch(r"\d{1,3}\.\d{3}", plain):
        out.add(float(plain.replace(".", "")))  # "42.000" is 42,000 in German-style text
    return out


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
    >>> [sorted(v) for v in digit_numbers("в 90-х, the '80s, 2010-е")]
    [[90.0, 1990.0, 2090.0], [80.0, 1980.0, 2080.0], [2010.0]]
    >>> [sorted(v) for v in digit_numbers("в 80–90-х")]
    [[80.0, 1980.0, 2080.0], [90.0, 1990.0, 2090.0]]
    """
    out: list[frozenset[float]] = []
    prev_end, prev = -1, ""
    for m in _TOKEN.finditer(text):
        if re.search("[:։∶]|час", m.group()):
            hours, minutes = (int(x) for x in re.findall(r"\d+", m.group()))
            if _PM.match(text, m.end()) and hours <= 12:
                hours = hours % 12 + 12  # "1:50 pm" is 13:50
            out.append(frozenset({float(hours * 100 + minutes)}))
            prev_end, prev = m.end(), m.group()
            continue
        values = _read(m.group())
        if len(m.group()) == 2 and m.group().isdigit() and _DECADE_AFTER.match(text, m.end()):
            values |= decade(int(m.group()))
        if m.group().isdigit() and int(m.group()) <= 12 and _PM.match(text, m.end()):
            values |= {float(int(m.group()) % 12 + 12)}  # "5 pm" is 17 (o'clock)
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


def compare(ru: str, en: str) -> NumberCheck:
    """Match the digit numbers of the two sides; count the unmatched, unexcused ones.

    >>> compare("110 стран подписали договор.", "10 countries signed the treaty.")
    NumberCheck(matched=0, ru_missing=1, en_missing=1)
    >>> compare("Пять человек, 3,5 млн рублей.", "5 people, 3.5 million roubles.")
    NumberCheck(matched=1, ru_missing=0, en_missing=0)
    >>> compare("Это случилось в 90-х годах.", "It happened in the 1990s.")
    NumberCheck(matched=1, ru_missing=0, en_missing=0)
    >>> compare("Это случилось в 90-х годах.", "It happened in the 1980s.")
    NumberCheck(matched=0, ru_missing=1, en_missing=1)
    """
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
    return NumberCheck(matched, _unexcused(ru_left, en), _unexcused(en_left, ru))


def _unexcused(left: list[frozenset[float]], other: str) -> int:
    if not left:
        return 0
    values, compound = word_numbers(other)
    if compound:
        return 0
    # Distinct values: "a 4x4 … a 4x4" is one number the other side words differently.
    return len({min(v) for v in left if not (v & values)})
