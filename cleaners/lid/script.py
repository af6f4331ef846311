"""The script layer: which script a text's letters are in (Cyrillic as ``cleaners.langev``
defines it), and the letter classes the other layers count with."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from cleaners.langev import CYRILLIC

# Letter classes by Unicode block: regexes count in C, far faster than a loop.
_CYRL_RE = re.compile(f"[{CYRILLIC}]")
_LATN_RE = re.compile(r"[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]")
_LETTER_RE = re.compile(r"[^\W\d_]")
_WORD_RE = re.compile(r"[^\W\d_]+")
# URLs, e-mail addresses, @handles and #tags carry no language but many Latin letters.
_NOISE_RE = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+|[@#]\w+", re.IGNORECASE)


@lru_cache(maxsize=8192)
def _char_script(ch: str) -> str:
    """ISO 15924-style script of one letter, from its Unicode name.

    >>> _char_script("ж"), _char_script("q"), _char_script("λ")
    ('Cyrl', 'Latn', 'Grek')
    """
    if _CYRL_RE.match(ch):
        return "Cyrl"
    if _LATN_RE.match(ch):
        return "Latn"
    name = unicodedata.name(ch, "")
    head = name.split(" ", 1)[0]
    return _SCRIPT_NAMES.get(head, "Zyyy")


_SCRIPT_NAMES = {
    "GREEK": "Grek",
    "ARABIC": "Arab",
    "HEBREW": "Hebr",
    "ARMENIAN": "Armn",
    "GEORGIAN": "Geor",
    "CJK": "Hani",
    "HIRAGANA": "Hira",
    "KATAKANA": "Kana",
    "HANGUL": "Hang",
    "DEVANAGARI": "Deva",
    "THAI": "Thai",
}


def _count(one_char: re.Pattern[str], text: str) -> int:
    """Matches of a one-character pattern, without a list of them (a multi-MB segment has
    millions of letters: ``findall`` made one string object per letter).

    >>> _count(_CYRL_RE, "Путин met Xi")
    5
    """
    if len(text) <= _COUNT_SLICE:
        return one_char.subn("", text)[1]
    # a slice at a time: ``subn`` builds the text without the matches from a list of the
    # pieces between them (66 MB for a 7 MB line)
    return sum(
        one_char.subn("", text[a : a + _COUNT_SLICE])[1] for a in range(0, len(text), _COUNT_SLICE)
    )


_COUNT_SLICE = 1 << 16


def script_shares(text: str) -> dict[str, float]:
    """Share of the text's letters in each script (digits, punctuation ignored).

    Shares sum to 1 and are rounded to 4 places; text without letters gives ``{}``.

    >>> script_shares("Путин met Xi")
    {'Cyrl': 0.5, 'Latn': 0.5}
    >>> script_shares("2023 — 18:18")
    {}
    """
    letters = _count(_LETTER_RE, text)
    if not letters:
        return {}
    counts: dict[str, int] = {}
    cyrl = _count(_CYRL_RE, text)
    latn = _count(_LATN_RE, text)
    if cyrl:
        counts["Cyrl"] = cyrl
    if latn:
        counts["Latn"] = latn
    if cyrl + latn < letters:
        for m in _LETTER_RE.finditer(text):
            script = _char_script(m.group())
            if script not in ("Cyrl", "Latn"):
                counts[script] = counts.get(script, 0) + 1
    total = sum(counts.values())
    return {
        k: round(v / total, 4) for k, v in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    }


def mixed_scripts(text: str, min_share: float = 0.05, min_letters: int = 2) -> dict[str, float]:
    """:func:`script_shares` when the text mixes scripts, else ``{}``.

    A script counts when it has at least ``min_share`` of the letters and at least
    ``min_letters`` letters (one stray homoglyph is repair's business, not a mixed
    segment). Used to report Cyrillic left inside English MT.

    >>> mixed_scripts("The word «спасибо» means thank you")
    {'Latn': 0.7407, 'Cyrl': 0.2593}
    >>> mixed_scripts("An ordinary English sentence"), mixed_scripts("Москва")
    ({}, {})
    """
    shares = script_shares(text)
    if len(shares) < 2:
        return {}
    n = _count(_LETTER_RE, text)
    kept = [k for k, v in shares.items() if v >= min_share and v * n >= min_letters - 1e-9]
    return shares if len(kept) >= 2 else {}


_CHAR_SCRIPT: dict[str, str] = {}


def _script_of(ch: str) -> str:
    """Script of a (lower-case) character, "" for a non-letter; memoised (few distinct chars)."""
    script = _CHAR_SCRIPT.get(ch)
    if script is None:
        script = _CHAR_SCRIPT[ch] = _char_script(ch) if ch.isalpha() else ""
    return script


_CYRL_LOWER = frozenset(
    ch for ch in map(chr, range(0x0400, 0x0530)) if ch.isalpha() and ch == ch.lower()
)
_LATN_LOWER = frozenset(
    ch
    for ch in map(chr, [*range(0x61, 0x7B), *range(0xDF, 0x250)])
    if ch.isalpha() and ch == ch.lower()
)
# Letters counted by the bytes that start them in UTF-8: Cyrillic U+0400-052F starts
# with D0-D4; Latin is ASCII letters plus Latin-1 to Latin Extended-B (C3-C9).
_CYRL_LEADS = b"\xd0\xd1\xd2\xd3\xd4"
_LATN_BYTES = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz\xc3\xc4\xc5\xc6\xc7\xc8\xc9"
