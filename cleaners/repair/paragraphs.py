"""Paragraph structure: attributions pushed onto their own paragraph, broken lines, bullets.

Newlines are kept everywhere else: the structure parser reads comment headers
and indentation line by line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from cleaners.edit import Edit
from cleaners.lazyre import lazy_compile
from cleaners.repair.engine import Param, make_edit, rule, with_defaults
from cleaners.repair.tables import words

# An attribution line: a dash, then a word ("- the Azerbaijani leader told...",
# "- Garipov told journalists"), or the comma that closed the quote, then a dash or the word:
# Russian «…», — сказал puts the MT's ", - said the mayor" (or ", said the mayor") at the
# start of the next paragraph when the quote's own paragraph ends without it.
_ATTRIB = lazy_compile(
    r"(?<=\S)(?P<gap>[ \t]*\n(?:[ \t]*\n)*[ \t]*)"
    r"(?=(?:,[ \t]*)?[-–—][ \t]+[A-Za-zА-Яа-яЁё]|,[ \t]*[a-zа-яё])"
)
_LIST_START = lazy_compile(r"^[ \t]*(?:[-–—•*·▪]|\d+[.)])[ \t]")
_WORD = lazy_compile(r"[A-Za-zА-Яа-яЁё]+")


def _line_at(text: str, pos: int) -> str:
    """The line that contains ``pos``."""
    lo = text.rfind("\n", 0, pos) + 1
    hi = text.find("\n", pos)
    return text[lo : hi if hi >= 0 else len(text)]


def _speech_verb(line: str, max_words: int) -> re.Match[str] | None:
    """The first speech verb among the first ``max_words`` words of ``line``, or None."""
    verbs_en, verbs_ru = words("speech_verbs.txt", "en"), words("speech_verbs.txt", "ru")
    for k, m in enumerate(_WORD.finditer(line)):
        if k >= max_words:
            break
        low = m.group().lower()
        if low in verbs_en or any(low.startswith(v) for v in verbs_ru):
            return m
    return None


# A quotation's own end before its speech verb: "— Мы ждали, — заявил министр.", "- Expected,
# said the minister." A line like that is a whole utterance with its attribution, not the
# attribution of the line above ("- Garipov told journalists." has none).
_QUOTE_CLOSED = lazy_compile(r"\w[»\"”’']?[,!?…]")


@rule(
    "join_attribution",
    stage=60,
    needs=("\n",),
    langs=("en", "ru"),
    precheck=r"\n[ \t]*(?:,[ \t]*)?[-–—][ \t]+[A-Za-zА-Яа-яЁё]|\n[ \t]*,[ \t]*[a-zа-яё]",
    # 14: a Russian attribution names the speaker by a long title before the verb ("- the
    # official representative of the Russian Foreign Ministry Maria Zakharova said": 11th word).
    params={"max_words": Param(14, "The speech verb must occur within this many words.")},
    risk="a dash-led line with a speech verb after a non-list line (a one-item list)",
)
def join_attribution(text: str, lang: str, params: Mapping[str, Any]) -> list[Edit]:
    """Join a quote's attribution, split onto its own paragraph, back to the quote.

    >>> from cleaners.repair.engine import replay
    >>> t = "projects are being implemented\\n\\n- the leader told the press."
    >>> replay(t, join_attribution(t, "en", {"max_words": 10}))
    'projects are being implemented - the leader told the press.'
    >>> t = "40 thousand tourists in the first season\\n\\n- Garipov told journalists."
    >>> replay(t, join_attribution(t, "en", {"max_words": 10}))
    '40 thousand tourists in the first season - Garipov told journalists.'
    >>> t = "the public will see for the first time\\n\\n, - said the director."
    >>> replay(t, join_attribution(t, "en", {"max_words": 10}))
    'the public will see for the first time, - said the director.'
    >>> join_attribution("Items:\\n- the red one\\n- the blue one", "en", {"max_words": 10})
    []
    >>> join_attribution("New sanctions\\n- Expected, said the minister.", "en", {"max_words": 10})
    []
    """
    edits = []
    for m in _ATTRIB.finditer(text):
        prev = _line_at(text, m.start() - 1)
        nxt = _line_at(text, m.end())
        comma = nxt.lstrip().startswith(",")
        if _LIST_START.match(prev) or prev.rstrip().endswith(":"):
            continue
        # The next line in turn starting with a dash means a list, not an attribution.
        after_end = text.find("\n", m.end())
        if after_end >= 0 and re.match(r"[ \t]*[-–—][ \t]", text[after_end + 1 :]):
            continue
        max_words = int(with_defaults("join_attribution", params)["max_words"])
        if not nxt.lstrip(",-–— \t")[:1].islower():
            # A capitalised attribution ("- Garipov told") only after an unfinished quote,
            # with the verb right after the name, on a short line.
            if prev.rstrip()[-1:] in ".!?…:;" or len(nxt.split()) > 20:
                continue
            max_words = min(max_words, 4)
            # A heading (no end mark either) over a dash-led utterance that closes its own
            # quotation before the verb: the utterance stays a paragraph of its own.
            verb = _speech_verb(nxt, max_words)
            if verb is not None and _QUOTE_CLOSED.search(nxt, 0, verb.start()):
                continue
        if _speech_verb(nxt, max_words) is not None:
            # The comma goes right after the quote ("time, - said"), a dash after a space.
            edits.append(
                make_edit("join_attribution", text, m.start(), m.end(), "" if comma else " ")
            )
    return edits


# A line broken mid-sentence: it ends in a lowercase letter or a comma and the next
# line starts lowercase, neither indented (indentation carries structure, e.g. comments).
_BROKEN = lazy_compile(r"(?<=[a-z,;]|[а-яё])\n(?=[a-zа-яё])")


@rule(
    "join_broken_lines",
    stage=61,
    needs=("\n",),
    langs=("en", "ru"),
    precheck=r"[a-z,;а-яё]\n[a-zа-яё]",
    params={"min_line": Param(40, "Only lines at least this long count as broken prose.")},
    risk="verse, addresses or lists whose lines start lowercase",
)
def join_broken_lines(text: str, lang: str, params: Mapping[str, Any]) -> list[Edit]:
    """Join a line broken in mid-sentence to the next one.

    >>> from cleaners.repair.engine import replay
    >>> t = "The presidents signed an appropriate document providing for\\nthe route."
    >>> replay(t, join_broken_lines(t, "en", {"min_line": 40}))
    'The presidents signed an appropriate document providing for the route.'
    >>> join_broken_lines("short line\\nnext", "en", {"min_line": 40})
    []
    """
    min_line = int(with_defaults("join_broken_lines", params)["min_line"])
    edits = []
    for m in _BROKEN.finditer(text):
        prev = _line_at(text, m.start() - 1)
        if len(prev) < min_line or prev[:1].isspace():
            continue
        edits.append(make_edit("join_broken_lines", text, m.start(), m.end(), " "))
    return edits


_ORPHAN_BULLET = lazy_compile(r"(?m)^(?P<b>[ \t]*[•·▪‣◦●])(?P<gap>[ \t]*\n[ \t]*)(?=\S)")


@rule(
    "join_orphan_bullets",
    stage=62,
    needs=("\n",),
    precheck=r"[•·▪‣◦●][ \t]*\n",
    risk="a bullet glyph used alone as a separator line",
)
def join_orphan_bullets(text: str, lang: str, params: Mapping[str, Any]) -> list[Edit]:
    """Join a bullet left alone on its line to the item text below it.

    >>> from cleaners.repair.engine import replay
    >>> replay("  •\\nPhotos used", join_orphan_bullets("  •\\nPhotos used", "en", {}))
    '  • Photos used'
    """
    return [
        make_edit("join_orphan_bullets", text, m.start("gap"), m.end("gap"), " ")
        for m in _ORPHAN_BULLET.finditer(text)
    ]
