"""Russian number and currency conventions left in English MT: ``9,5 thousand``,
``5 %``, ``$ 38``, ``Pound50 million``.

Each is its own rule, English only, and each leaves alone what English writes the
same way: a thousands separator (``1,500 people``, ``110,100 euros``: three digits
after the comma), a list (``5, 6 and 7``: a space after the comma), a range
(``2-3,5 %``: a number joined to another by a dash is left whole, unless both are
written as decimals, ``5,5-6,5 %``) and
coordinates (``55,75° N``: a bare degree sign is no unit here). On WMT21's ten MT
systems (dev) the decimal comma occurs three times (``9,5 thousand``, ``600,3
thousand``, ``27,5 cm``), a space after ``$``/``€`` 13 times, a space before ``%`` never.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from cleaners.edit import Edit
from cleaners.lazyre import lazy_compile
from cleaners.repair.engine import make_edit, rule


def _edits_at(
    name: str, text: str, pattern: re.Pattern[str], group: str | int, repl: str
) -> list[Edit]:
    """One edit of rule ``name`` per match of ``pattern``: ``group``'s span becomes ``repl``."""
    return [
        make_edit(name, text, m.start(group), m.end(group), repl) for m in pattern.finditer(text)
    ]


# One gate for the three rules (the plan scans it once a text): a comma between digits,
# a spaced "%", a spaced sign or a sign's name glued to digits. Written (leads, rest): the
# plan scans for it together with the spacing rules' gates, in one pass (engine.Plan).
_GATE = (
    ",%$€£PDE",
    r"(?:(?<=\d,)\d\d?(?![\d,.])|(?<=[ \u00a0]%)|(?<=[$€£])[ \u00a0]\d"
    r"|(?<=P)ounds?\d|(?<=D)ollars?\d|(?<=E)uros?\d)",
)

# Words and symbols a Russian decimal ("5,5 %", "1,2 billion") stands before in MT. A
# bare "°" is left out: "55,75° N" is a coordinate (written with a comma in Russian too).
_UNITS = (
    r"%|per ?cent\b|percentage points?\b|thousand\b|million\b|billion\b|trillion\b|"
    r"mln\b|bn\b|times\b|degrees?\b|°[CF]\b|points?\b|"
    r"(?:kilo|centi|milli)?(?:met(?:er|re)s?|grams?|lit(?:er|re)s?)\b|"
    r"km\b|kg\b|cm\b|mm\b|m\b|g\b|t\b|l\b|ha\b|tons?\b|tonnes?\b|hectares?\b|"
    r"hours?\b|minutes?\b|seconds?\b|days?\b|weeks?\b|months?\b|years?\b|"
    r"rubles?\b|roubles?\b|dollars?\b|euros?\b|pounds?\b|yuan\b|hryvnias?\b|"
    r"barrels?\b|square\b|cubic\b"
)
# The integer part: 1-3 digits not glued to a word, another number or a dash (ranges,
# versions, "1.234,5"), but a minus sign after a space is a sign ("-3,5 degrees"); the
# fraction: 1-2 digits (three are a thousands group).
_DECIMAL = lazy_compile(
    r"(?:(?<![\w.,\-–—/−])|(?<=[\s(][-−])|(?<=^[-−]))"
    r"(?P<int>\d{1,3})(?P<comma>,)(?P<frac>\d{1,2})(?![\d,.\-–—])"
    rf"(?=[ \u00a0]?(?:{_UNITS}))",
    re.IGNORECASE,
)


# A range of two such decimals ("1,2-1,3 million", "5,5-6,5 %"): both ends written the
# decimal way tell what the commas are (one alone, "2-3,5 %", is left as written).
_DECIMAL_RANGE = lazy_compile(
    r"(?<![\w.,\-–—/−])\d{1,3}(?P<c1>,)\d{1,2}[-–—]\d{1,3}(?P<c2>,)\d{1,2}(?![\d,.\-–—])"
    rf"(?=[ \u00a0]?(?:{_UNITS}))",
    re.IGNORECASE,
)


@rule(
    "fix_decimal_comma",
    stage=34,
    langs=("en",),
    gate=_GATE,
    precheck=r"\d,\d{1,2}(?![\d,.])",
    risk="a two-number list written without a space before a unit ('sizes 1,2 cm')",
)
def fix_decimal_comma(text: str, lang: str, params: Mapping[str, Any]) -> list[Edit]:
    """Write a Russian decimal comma before a unit, %, or a large-number word as a point.

    >>> from cleaners.repair.engine import replay
    >>> t = "almost 9,5 thousand cases, 1,2 billion rubles, a 21 × 27,5 cm cloth"
    >>> replay(t, fix_decimal_comma(t, "en", {}))
    'almost 9.5 thousand cases, 1.2 billion rubles, a 21 × 27.5 cm cloth'
    >>> t = "1,500 people; pages 5, 6 and 7; 5-6,5 %; 55,75° N; 1,000,000 times"
    >>> fix_decimal_comma(t, "en", {})
    []
    >>> t = "1,2-1,3 million rubles, 5,5–6,5 %"
    >>> replay(t, fix_decimal_comma(t, "en", {}))
    '1.2-1.3 million rubles, 5.5–6.5 %'

    A minus sign is no range's dash: "-3,5 degrees" (but "2-3,5 %" is a range).

    >>> t = "it was -3,5 degrees, (−1,5 °C) or 2-3,5 %"
    >>> replay(t, fix_decimal_comma(t, "en", {}))
    'it was -3.5 degrees, (−1.5 °C) or 2-3,5 %'
    """
    edits = _edits_at("fix_decimal_comma", text, _DECIMAL, "comma", ".")
    for m in _DECIMAL_RANGE.finditer(text):
        edits += [
            make_edit("fix_decimal_comma", text, m.start(g), m.end(g), ".") for g in ("c1", "c2")
        ]
    return sorted(edits, key=lambda e: e.start)


# A number, a space, then "%" ending the token ("5 %", "5,5 %"); not "% of" after a
# word ("100 %-owned" is kept as written too: the sign is glued to what follows).
_SPACED_PERCENT = lazy_compile(r"(?<=\d)(?P<sp>[ \u00a0])%(?![\w%-])")


@rule(
    "remove_space_before_percent",
    stage=35,
    langs=("en",),
    gate=_GATE,
    precheck=r"\d[ \u00a0]%",
    risk="house styles that space the sign on purpose (ISO 31-0: '5 %')",
)
def remove_space_before_percent(text: str, lang: str, params: Mapping[str, Any]) -> list[Edit]:
    """Close the space Russian typography puts between a number and ``%``.

    >>> from cleaners.repair.engine import replay
    >>> t = "growth of 5 % in May"
    >>> replay(t, remove_space_before_percent(t, "en", {}))
    'growth of 5% in May'
    >>> remove_space_before_percent("a 50 %-owned unit; the % sign; 5 %%", "en", {})
    []
    """
    return _edits_at("remove_space_before_percent", text, _SPACED_PERCENT, "sp", "")


# "$ 38", "€ 185 thousand": a currency sign spaced from its amount; "Pound50 million":
# MT writing the sign's name glued to the amount.
_SIGN_SPACE = lazy_compile(r"(?<![\w$€£])(?:US)?[$€£](?P<sp>[ \u00a0])(?=\d)")
_GLUED_NAME = lazy_compile(r"\b(?P<name>Pounds?|Dollars?|Euros?)(?=\d)")
_SIGN = {"pound": "£", "dollar": "$", "euro": "€"}
_YEAR = lazy_compile(r"(?:19|20)\d\d(?![\d,.]| ?(?:million|billion|thousand|trillion|bn|mln)\b)")


@rule(
    "join_currency_amount",
    stage=36,
    langs=("en",),
    gate=_GATE,
    precheck=r"[$€£][ \u00a0]\d|(?:Pound|Dollar|Euro)s?\d",
    risk="a sign spaced on purpose in a table column ('$ 38' aligned under '$ 140')",
)
def join_currency_amount(text: str, lang: str, params: Mapping[str, Any]) -> list[Edit]:
    """Join a currency sign to its amount; a sign's name glued to it becomes the sign.

    >>> from cleaners.repair.engine import replay
    >>> t = "oil at $ 38, lots for € 185 thousand, Pound50 million"
    >>> replay(t, join_currency_amount(t, "en", {}))
    'oil at $38, lots for €185 thousand, £50 million'
    >>> join_currency_amount("US$38, $ signs, Pounds of 5 kg, the Euro2020 cup", "en", {})
    []
    """
    edits = _edits_at("join_currency_amount", text, _SIGN_SPACE, "sp", "")
    for m in _GLUED_NAME.finditer(text):
        if _YEAR.match(text, m.end()):
            continue  # "Euro2020" names a tournament, not 2,020 euros
        sign = _SIGN[m.group("name").lower().rstrip("s")]
        edits.append(make_edit("join_currency_amount", text, m.start(), m.end(), sign))
    return sorted(edits, key=lambda e: e.start)


# A temperature as MT spaces it: "+ 22 ° C", "+ 15 °С" (the Cyrillic С copied from the
# Russian, a look-alike no word check catches: it stands alone). The degree sign's unit: a
# space between them, or the Cyrillic letter, after a number.
_DEGREE_UNIT = lazy_compile(
    r"(?<=\d)(?P<deg>[ \u00a0]?[°º])(?P<sp>[ \u00a0]?)(?P<unit>[CFС])(?!\w)"
)
# A "+" or a minus sign (U+2212; a hyphen may be a dash) spaced from a temperature: the
# number (or a range) then a degree sign, "degree(s)" or a range's "..."; not after a number
# or a bracket, where the sign adds ("(20 + 19) points").
_TEMP_SIGN = lazy_compile(
    r"(?:(?<=[\s(])|^)(?<![\d)]\s)[+−](?P<sp>[ \u00a0])"
    r"(?=\d+(?:[.,]\d+)?(?:[ \u00a0]?(?:[-–]|\.\.\.|…)[ \u00a0]?[+−]?[ \u00a0]?\d+(?:[.,]\d+)?)?"
    r"[ \u00a0]?(?:[°º]|degrees?\b|\.\.\.|…))",
    re.M,
)
# The second end of a signed range ("+28... + 29,"): its sign is the first end's.
_TEMP_RANGE_END = lazy_compile(
    r"[+−][ \u00a0]?\d+(?:[.,]\d+)?[ \u00a0]?(?:\.\.\.|…)[ \u00a0]?[+−](?P<sp>[ \u00a0])(?=\d)"
)


@rule(
    "fix_temperature_notation",
    stage=38,
    langs=("en",),
    precheck=r"[+−][ \u00a0]\d|[°º][ \u00a0][CFС]|[°º]С",
    risk="a sum with a spaced '+' before a number of degrees after a word ('x + 5 degrees')",
)
def fix_temperature_notation(text: str, lang: str, params: Mapping[str, Any]) -> list[Edit]:
    """Write a temperature MT spaced the Russian way as English does: the sign joined to the
    number, the degree sign to its unit (a Cyrillic ``С`` copied from the Russian made ``C``).

    >>> from cleaners.repair.engine import replay
    >>> t = "from + 22 ° C to + 24 °С, at night + 15... + 17 degrees, then + 20... + 21."
    >>> replay(t, fix_temperature_notation(t, "en", {}))
    'from +22 °C to +24 °C, at night +15... +17 degrees, then +20... +21.'
    >>> t = "(20 + 19) points, 5 + 3 degrees, 22 °C, 55° N, 5 ° Celsius, + 20 people"
    >>> fix_temperature_notation(t, "en", {})
    []
    """
    signs = {m.start("sp") for p in (_TEMP_SIGN, _TEMP_RANGE_END) for m in p.finditer(text)}
    edits = [make_edit("fix_temperature_notation", text, at, at + 1, "") for at in signs]
    for m in _DEGREE_UNIT.finditer(text):
        if m.group("sp"):
            edits.append(
                make_edit("fix_temperature_notation", text, m.start("sp"), m.end("sp"), "")
            )
        if m.group("unit") == "С":
            edits.append(
                make_edit("fix_temperature_notation", text, m.start("unit"), m.end("unit"), "C")
            )
    return sorted(edits, key=lambda e: e.start)
