"""Repetition: comment-header stutter and MT word stutter."""

from __future__ import annotations

import operator
import re
from collections.abc import Mapping
from typing import Any

from cleaners.edit import Edit
from cleaners.lazyre import lazy_compile
from cleaners.repair.engine import Param, make_edit, rule
from cleaners.repair.tables import words

# "1. pin_code Offline pin_code": a numbered forum header that repeats the user name
# after the status. Collapsed to "1. pin_code Offline"; the line, its number and its
# indentation stay, so the structure parser still reads a header. A bare header
# without its number keeps the stutter: there it is the parser's only evidence.
_HEADER = lazy_compile(
    r"(?m)^(?P<lead>[ \t]*\d+[.)][ \t]+)(?P<name>\S+(?: \S+){0,3}?) (?P<status>Offline|Online)"
    r"(?P<rep> (?P=name))[ \t]*$"
)


@rule(
    "collapse_header_stutter",
    stage=50,
    needs=("ffline", "nline"),
    gate=("O", "(?:ff|n)line "),  # the precheck less its leading space, which is slow to scan for
    precheck=r" (?:Offline|Online) ",
    risk="a sentence that really repeats a name around the word Offline/Online",
)
def collapse_header_stutter(text: str, lang: str, params: Mapping[str, Any]) -> list[Edit]:
    """Drop the repeated name in a comment header ``NAME Offline NAME``.

    >>> from cleaners.repair.engine import replay
    >>> t = "  1. pin_code Offline pin_code"
    >>> replay(t, collapse_header_stutter(t, "en", {}))
    '  1. pin_code Offline'
    >>> collapse_header_stutter("pin_code Offline rotkiv04\\npin_code Offline pin_code", "en", {})
    []
    """
    return [
        make_edit("collapse_header_stutter", text, m.start("rep"), m.end("rep"), "")
        for m in _HEADER.finditer(text)
    ]


# Possessive: the word must end at the spaces anyway, so giving letters back never helps.
_ANY_REPEAT = lazy_compile(r"(?i)\b(\w++) +\1\b")
# ASCII bytes: word characters lowercased, every other character a space.
_ASCII_WORDS = (
    bytes(
        c | 0x20 if chr(c).isalpha() else c if chr(c).isalnum() or c == 0x5F else 0x20
        for c in range(128)
    )
    + b" " * 128
)


def _may_repeat(text: str) -> bool:
    """False only when no word follows itself (case aside): a superset of _ANY_REPEAT.

    In ASCII text a repeat is two equal neighbours among the lowercased words; finding
    those with bytes.translate and split is twice as fast as the regex scan.
    """
    if not text.isascii():
        return True
    words = text.encode("ascii").translate(_ASCII_WORDS).split()
    return any(map(operator.eq, words, words[1:]))


# A quote mark right before and right after: the stutter is the quotation itself.
_OPEN_QUOTES = "\"'“‘«„"
_CLOSE_QUOTES = "\"'”’»“"


def _quoted(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is all that a pair of quote marks holds.

    >>> _quoted('he wrote "the the" here', 10, 17), _quoted('said "in the the city"', 9, 16)
    (True, False)
    """
    return (
        start > 0
        and text[start - 1] in _OPEN_QUOTES
        and end < len(text)
        and text[end] in _CLOSE_QUOTES
    )


# The whole run of repeats in one match: a looping MT's "the the the ... the" collapses in one
# pass (one repeat a match halved it per pass, and max_passes left "the the the").
_STUTTER = lazy_compile(r"\b(?P<w>\w+)(?P<rep>(?:[ ]+(?P=w))+)\b", re.IGNORECASE)


@rule(
    "collapse_word_stutter",
    stage=51,
    langs=("en", "ru"),
    risk="a deliberate repetition of a function word ('and and' quoted as an example)",
)
def collapse_word_stutter(text: str, lang: str, params: Mapping[str, Any]) -> list[Edit]:
    """Collapse an MT stutter of a function word (``the the``); ``had had`` is kept.

    >>> from cleaners.repair.engine import replay
    >>> replay("in the the city", collapse_word_stutter("in the the city", "en", {}))
    'in the city'
    >>> t = "held in" + " the" * 30 + " city"
    >>> replay(t, collapse_word_stutter(t, "en", {}))
    'held in the city'
    >>> collapse_word_stutter("he had had enough; Bora Bora; Hussein A A, et al.", "en", {})
    []
    >>> collapse_word_stutter('the band The The; he wrote "the the" on the board', "en", {})
    []
    """
    if not _may_repeat(text) or _ANY_REPEAT.search(text) is None:
        return []  # no word follows itself (case aside): the common case
    edits = []
    for m in _STUTTER.finditer(text):
        w = m.group("w")
        low = w.lower()
        if len(w) == 1 and w.isupper():
            continue  # initials: "Hussein A A, et al."
        rep = m.group("rep").lstrip(" ")
        if rep[:1].isupper() and not rep.isupper():
            continue  # a capitalised repeat is a name ("the band The The"), not MT's stutter
        if _quoted(text, m.start(), m.end()):
            continue  # the words quoted as words ('he wrote "the the"'): a mention, not a use
        if low in words("stutter_words.txt", "en") or low in words("stutter_words.txt", "ru"):
            span = _loop_line(text, m.start(), m.end()) or (m.start("rep"), m.end("rep"))
            if edits and span[0] <= edits[-1].end:  # a loop line after one: one edit for both
                start = edits.pop().start
                if not text[span[1] :].strip():  # the last lines: the line ends before them go
                    start = len(text[:start].rstrip())
                span = (start, span[1])
            edits.append(make_edit("collapse_word_stutter", text, *span, ""))
    return edits


# What may stand beside a loop on its line: spaces and the punctuation a looping MT ends on.
_LINE_REST = frozenset(" \t.,;:!?…")


def _loop_line(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span that drops the whole line of ``text`` when the run ``text[start:end]`` is all
    it holds (a looping MT's "the the … the" as a paragraph of its own: one "the" left would
    be a paragraph of one function word), with the blank lines that would be left doubled;
    None when the line holds more, or the text nothing else (a side is never emptied).

    >>> t = "The mayor spoke.\\n\\nthe the the\\n\\nIt rained."
    >>> _loop_line(t, 18, 29), _loop_line("in the the city", 3, 10)
    ((18, 31), None)
    >>> _loop_line("The mayor spoke.\\n\\nthe the the\\n", 18, 29)
    (16, 29)
    """
    # Scanned outward over spaces and end marks only: the common stutter inside a sentence
    # stops at its neighbour word (no pass over a multi-MB line per match).
    line_start = start
    while line_start > 0 and text[line_start - 1] in _LINE_REST:
        line_start -= 1
    line_end = end
    while line_end < len(text) and text[line_end] in _LINE_REST:
        line_end += 1
    if (line_start > 0 and text[line_start - 1] != "\n") or (
        line_end < len(text) and text[line_end] != "\n"
    ):
        return None
    follows = line_end
    while follows < len(text) and text[follows].isspace():
        follows += 1
    if follows < len(text):  # text follows: the line and the blank lines after it go
        return line_start, text.rfind("\n", line_end, follows) + 1  # (its indent stays)
    before = line_start
    while before > 0 and text[before - 1].isspace():
        before -= 1
    if before == 0:
        return None  # nothing else in the text: the one word stays
    return before, line_end  # the last line: the line ends before it go


# A sentence as a run of text up to its end marks, within a line (a loop's copies follow
# each other in one paragraph; repeated lines such as credits are not a loop).
_SENTENCE = lazy_compile(r"[^.!?…\n]+[.!?…]+")


@rule(
    "collapse_sentence_loop",
    stage=52,
    langs=("en",),
    params={
        "min_copies": Param(3, "Copies in a row that make a loop (2 may be meant: an echo)."),
        "min_words": Param(5, "Words a sentence needs to count (a short chant is quoted in full)."),
    },
    risk="a long sentence deliberately repeated three times in a row (a slogan quoted in full)",
)
def collapse_sentence_loop(text: str, lang: str, params: Mapping[str, Any]) -> list[Edit]:
    """Keep one copy of a sentence a looping MT repeated in a row (``min_copies`` times or
    more, separated by spaces only).

    >>> from cleaners.repair.engine import replay, with_defaults
    >>> p = with_defaults("collapse_sentence_loop", {})
    >>> t = "It rained. " + "The mayor met the minister in Baku. " * 4 + "Then it stopped."
    >>> replay(t, collapse_sentence_loop(t, "en", p))
    'It rained. The mayor met the minister in Baku. Then it stopped.'
    >>> collapse_sentence_loop("The mayor met the minister. The mayor met the minister.", "en", p)
    []
    """
    copies, words = params["min_copies"], params["min_words"]
    if sum(map(text.count, ".!?…")) < copies:
        return []  # each sentence ends in its own end marks: fewer marks, fewer copies
    edits: list[Edit] = []
    first = last = None  # the run's first and latest copy
    count = 0
    for m in _SENTENCE.finditer(text):
        if (
            last is not None
            and m.start() == last.end()
            and m.group()[:1] in " \t"
            and m.group().strip(" \t") == last.group().strip(" \t")
        ):
            last, count = m, count + 1
            continue
        _close_loop(text, first, last, count, copies, words, edits)
        first = last = m
        count = 1
    _close_loop(text, first, last, count, copies, words, edits)
    return edits


def _close_loop(
    text: str,
    first: re.Match[str] | None,
    last: re.Match[str] | None,
    count: int,
    copies: int,
    words: int,
    edits: list[Edit],
) -> None:
    """Add the edit that drops a finished run's repeats, when it is a loop."""
    if first is None or last is None or count < copies:
        return
    if len(first.group().split()) < words:
        return
    edits.append(make_edit("collapse_sentence_loop", text, first.end(), last.end(), ""))
