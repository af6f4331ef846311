"""Document structure: title, body paragraphs, captions, site boilerplate, reader comments.

``parse(text, lang)`` turns one side's (repaired) text into :class:`Segment` s,
line by line, in one pass:

* a **comment** starts at a header such as ``1. pin_code Offline pin_code`` and/or
  ``pin_code (Andrey NK) April 10 2023 18: 18`` (English or Russian dates, times
  with or without the MT's ``18: 18`` space); the following lines are its text.
  Once the comments have begun (such a header, or the site's ``comments-*`` chrome), a
  line holding a user name alone starts one too (:func:`_bare_name`), and so does a short
  name with a date (``Irina_T October 14, 2023 18:18``).
  The raw header lines are kept in ``meta["header"]`` so no character is lost;
* **boilerplate** and **captions** are lines matching the table in
  ``cleaners/data/boilerplate.tsv`` (``Dear reader, to leave comments …``,
  ``• Photos used: …``), or any other bulleted line (a caption). A leading
  bullet goes to ``meta["bullet"]``;
* the **title** is the first content line if it is short, does not end like a
  sentence, and more text follows;
* everything else is **body**: one paragraph per line, except that a line not
  ending a sentence, followed by one starting in lowercase, is joined to it
  (hard-wrapped text).

Nothing is dropped: :func:`covered_text` of the segments, concatenated, holds
every non-whitespace character of the input in order (a hypothesis property).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from importlib import resources

from cleaners.model import Segment, SegmentKind

# Dashes are not bullets: a line starting with one is a quote attribution or dialogue.
BULLETS = "•·▪◦‣●○■□►▶"
_MAX_PATTERN_LINE = 400  # longer lines are never headers/chrome: keeps regex cost linear
_SENTENCE_END = tuple(".!?…:;»\"”')")

_EN_MONTHS = "january february march april may june july august september october november december"
_RU_MONTHS = "января февраля марта апреля мая июня июля августа сентября октября ноября декабря"
_MONTHS_EN = {m[:3]: i for i, m in enumerate(_EN_MONTHS.split(" "), 1)}
_MONTHS_RU = {m: i for i, m in enumerate(_RU_MONTHS.split(" "), 1)}
_HHMM = r"(?P<hh>\d{1,2})\s?:\s?(?P<mm>\d{2})"
_MON_EN = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_MON_RU = r"(?P<mon>" + "|".join(_MONTHS_RU) + r")"
_DATE_FORMS = [
    re.compile(
        rf"{_MON_EN}\s+(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{4}}),?\s+(?:at\s+)?{_HHMM}", re.I
    ),
    re.compile(
        rf"(?P<day>\d{{1,2}})\s+{_MON_EN},?\s+(?P<year>\d{{4}}),?\s+(?:at\s+)?{_HHMM}", re.I
    ),
    re.compile(
        rf"(?P<day>\d{{1,2}})\s+{_MON_RU}\s+(?P<year>\d{{4}})(?:\s*(?:г\.|года|г))?,?\s+(?:в\s+)?{_HHMM}",
        re.I,
    ),
    re.compile(rf"(?P<day>\d{{1,2}})\.(?P<mon>\d{{1,2}})\.(?P<year>\d{{4}}),?\s+{_HHMM}"),
    re.compile(
        rf"(?P<rel>yesterday|today|вчера|сегодня|позавчера),?\s+(?:at\s+|в\s+)?{_HHMM}", re.I
    ),
]
# Any of the date forms, as one non-capturing alternative for the header patterns.
_DATE = "(?:" + "|".join(re.sub(r"\(\?P<\w+>", "(?:", f.pattern) for f in _DATE_FORMS) + ")"
_STATUS = r"(?:offline|online|не в сети|в сети|оффлайн|офлайн|онлайн)"

# `1. pin_code Offline pin_code` (the stutter may already be removed by repair).
_HEADER1 = re.compile(
    rf"^(?P<num>\d{{1,6}})\.\s+(?P<name>\S.*?)\s+{_STATUS}(?:\s+(?P<name2>\S.*))?$", re.I
)
# Without a number only the stuttered form is trusted: `pin_code Offline pin_code`.
_HEADER1_BARE = re.compile(rf"^(?P<name>\S.{{0,80}}?)\s+{_STATUS}\s+(?P=name)$", re.I)
# `pin_code (Andrey NK) April 10 2023 18: 18`
_HEADER2 = re.compile(
    rf"^(?P<author>\S.{{0,80}}?)\s*\((?P<display>[^()]{{0,80}})\)\s*[,–—-]?\s*(?P<date>{_DATE})$",
    re.I,
)
# `pin_code April 10 2023 18:18`: only right after a numbered header.
_HEADER2_BARE = re.compile(rf"^(?P<author>\S.{{0,80}}?)\s*[,–—-]?\s+(?P<date>{_DATE})$", re.I)
# In a comment section (after a `Comments` / sign-in line, or a first comment), a name of up
# to three words and a date open a comment on their own: `Irina_T October 14, 2023 18:18`.
# A reader's sentence that ends in a date has more words, or punctuation, before it; a dot
# inside a word is a handle's (`vlad.k`, `j.smith`, as _HANDLE allows), not a sentence end.
_NAMED_WORD = r"[^\s,.:;!?()]+(?:\.[^\s,.:;!?()]+)*"
_HEADER2_NAMED = re.compile(
    rf"^(?P<author>{_NAMED_WORD}(?: {_NAMED_WORD}){{0,2}})\s*[,–—-]?\s+(?P<date>{_DATE})$",
    re.I,
)


@dataclass(frozen=True, slots=True)
class ChromeRule:
    """One row of ``data/boilerplate.tsv``."""

    kind: SegmentKind
    label: str
    lang: str
    pattern: re.Pattern[str]


@cache
def chrome_rules() -> tuple[ChromeRule, ...]:
    """The boilerplate/caption patterns, loaded once from the packaged table."""
    rows = []
    text = resources.files("cleaners").joinpath("data/boilerplate.tsv").read_text("utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, label, lang, regex = line.split("\t", 3)
        rows.append(ChromeRule(kind, label, lang, re.compile(regex, re.I)))  # type: ignore[arg-type]
    return tuple(rows)


def match_chrome(line: str, lang: str) -> ChromeRule | None:
    """The first boilerplate/caption rule matching a stripped, bullet-less line.

    >>> match_chrome("Dear reader, to leave comments, you must sign in.", "en").label
    'comments-sign-in'
    >>> match_chrome("Tokayev met Aliyev in Astana.", "en") is None
    True
    """
    if len(line) > _MAX_PATTERN_LINE:
        return None
    for rule in chrome_rules():
        # Both languages' forms apply to either side: MT leaves Russian chrome untranslated.
        if rule.pattern.search(line):
            return rule
    return None


def parse_time(text: str) -> str:
    """ISO 8601 (``YYYY-MM-DDTHH:MM``) for a comment date, else the text as written.

    >>> parse_time("April 10 2023 18: 18")
    '2023-04-10T18:18'
    >>> parse_time("10 апреля 2023 в 18:18")
    '2023-04-10T18:18'
    >>> parse_time("Вчера, 18:18")
    'Вчера, 18:18'
    """
    for form in _DATE_FORMS:
        m = form.fullmatch(text.strip())
        if not m or "rel" in m.groupdict():
            continue
        mon = m["mon"].lower()
        month = int(mon) if mon.isdigit() else _MONTHS_RU.get(mon) or _MONTHS_EN.get(mon[:3], 0)
        try:
            when = datetime(int(m["year"]), month, int(m["day"]), int(m["hh"]), int(m["mm"]))
        except ValueError:
            return text
        return when.strftime("%Y-%m-%dT%H:%M")
    return text


@dataclass(slots=True)
class _Comment:
    number: int | None = None
    author: str | None = None
    display_name: str | None = None
    time: str | None = None
    header: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    dated: bool = False

    def segment(self, lang: str) -> Segment:
        meta = {
            "number": self.number,
            "author": self.author,
            "display_name": self.display_name,
            "time": self.time,
            "header": "\n".join(self.header),
        }
        return Segment("comment", "\n".join(self.lines), lang=lang, meta=meta)


def _split_bullet(line: str) -> tuple[str, str]:
    """``(bullet, rest)``; a bullet with nothing after it is not one (a separator line)."""
    if (line[0] in BULLETS or line[0] == "*") and len(line) > 1 and line[1].isspace():
        return line[0], line[1:].strip()
    return "", line


def _is_title(line: str) -> bool:
    return (
        len(line) <= 200
        and len(line.split()) <= 30
        and not line.endswith((".", ",", ";", ":", "…"))
        and any(ch.isalpha() for ch in line)
    )


def _continues(prev: str, line: str) -> bool:
    """Hard-wrapped text: the previous line stops mid-sentence, this one goes on in lowercase."""
    return not prev.endswith(_SENTENCE_END) and line[0].islower()


def parse(text: str, lang: str) -> list[Segment]:
    """Split one side's text into title/body/caption/boilerplate/comment segments.

    >>> segs = parse("Oil flows to Europe\\n\\nKazakhstan stepped up.\\n"
    ...              "  1. pin_code Offline pin_code\\n"
    ...              "    pin_code (Andrey NK) April 10 2023 18: 18\\n    Quite logical.", "en")
    >>> [(s.kind, s.text) for s in segs]  # doctest: +NORMALIZE_WHITESPACE
    [('title', 'Oil flows to Europe'), ('body', 'Kazakhstan stepped up.'),
     ('comment', 'Quite logical.')]
    >>> {k: segs[2].meta[k] for k in ("number", "author", "display_name", "time")}
    {'number': 1, 'author': 'pin_code', 'display_name': 'Andrey NK', 'time': '2023-04-10T18:18'}
    """
    lines = [ln.strip() for ln in text.splitlines()]
    last_content = max((i for i, ln in enumerate(lines) if ln), default=-1)
    segments: list[Segment] = []
    para: list[str] = []
    comment: _Comment | None = None
    title_open = True
    in_comments = False  # a header or the comments' chrome seen: user-name lines can start one

    def flush_para() -> None:
        if para:
            segments.append(Segment("body", " ".join(para), lang=lang))
            para.clear()

    def flush_comment() -> None:
        nonlocal comment
        if comment is not None:
            segments.append(comment.segment(lang))
            comment = None

    for i, line in enumerate(lines):
        if not line:
            flush_para()
            continue
        header = _match_header(line, comment, in_comments)
        if header is not None:
            flush_para()
            if header is not comment:
                flush_comment()
                comment = header
            title_open = False
            in_comments = True
            continue
        bullet, bare = _split_bullet(line)
        rule = match_chrome(bare, lang) if bare else None
        if comment is not None and rule is not None and rule.label == "separator":
            rule = None  # a reader's "!!!" or ")))" is part of the comment
        if rule is not None or bullet:
            flush_para()
            flush_comment()
            kind: SegmentKind = rule.kind if rule else "caption"
            meta = {"label": rule.label} if rule else {}
            if bullet:
                meta["bullet"] = bullet
            segments.append(Segment(kind, bare, lang=lang, meta=meta))
            # Only below the article: a "Comments (12)" link beside its title opens nothing.
            opens = rule is not None and rule.label.startswith("comments")
            in_comments = in_comments or (opens and any(s.kind == "body" for s in segments))
            continue
        if in_comments and _starts_comment(lines, i, comment):
            flush_para()
            flush_comment()
            comment = _Comment(author=line, header=[line])
            continue
        if comment is not None:
            comment.lines.append(line)
            continue
        if title_open:
            title_open = False
            if i < last_content and _is_title(line):
                segments.append(Segment("title", line, lang=lang))
                continue
        if para and _continues(para[-1], line):
            para.append(line)
        else:
            flush_para()
            para.append(line)
    flush_para()
    flush_comment()
    return segments


# A user name alone on a line: one handle ("pin_code", "rotkiv04", "mgero") or up to three
# capitalised words ("Colonel Kudasov", "Полковник Кудасов"); no sentence ends like that.
_HANDLE = re.compile(r"[^\W_][\w.\-]{1,31}")
_NAME_WORD = re.compile(r"[^\W\d_][\w'’\-]{0,30}")


def _bare_name(line: str) -> bool:
    """Whether ``line`` could be a user name standing alone above a comment.

    >>> [_bare_name(x) for x in ("pin_code", "Colonel Kudasov", "Полковник Кудасов", "mgero")]
    [True, True, True, True]
    >>> [_bare_name(x) for x in ("Well done Azerbaijan", "Thanks!", "I agree with you", "2023")]
    [False, False, False, False]
    """
    if len(line) > 40 or not any(ch.isalpha() for ch in line):
        return False
    words = line.split()
    if len(words) == 1:
        return _HANDLE.fullmatch(line) is not None
    return len(words) <= 3 and all(
        _NAME_WORD.fullmatch(w) is not None and w[0].isupper() for w in words
    )


def _starts_comment(lines: list[str], i: int, current: _Comment | None) -> bool:
    """Whether ``lines[i]``, among the comments, is a user name over a new comment: a
    :func:`_bare_name` right above a line that is not one (the comment's text), after a
    blank line or the comments' chrome, or a handle no word is ("pin_code", "rotkiv04").
    A line right after a user name is that comment's text, whatever it looks like
    ("Agreed"), so a one-word comment is not taken for the next user.

    >>> _starts_comment(["", "mgero", "Well done"], 1, None)
    True
    >>> _starts_comment(["mgero", "Agreed", "Well done"], 1, _Comment(author="mgero"))
    False
    """
    line = lines[i]
    if not _bare_name(line):
        return False
    if current is not None and not current.lines:
        return False  # the line under a user name is their comment
    nxt = lines[i + 1] if i + 1 < len(lines) else ""
    if not nxt or _bare_name(nxt):
        return False
    after_break = i == 0 or not lines[i - 1] or current is None
    return after_break or any(ch.isdigit() or ch == "_" for ch in line)


def _match_header(line: str, current: _Comment | None, in_comments: bool) -> _Comment | None:
    """A comment header line: a new :class:`_Comment`, or ``current`` extended.

    ``in_comments``: the line is in a comment section, where a short name and a date
    alone open a comment. Returns ``None`` when ``line`` is not a header.
    """
    if len(line) > _MAX_PATTERN_LINE or not any(ch.isalnum() for ch in line):
        return None
    m = _HEADER1.match(line) or (_HEADER1_BARE.match(line) if not line[0].isdigit() else None)
    if m:
        number = int(m["num"]) if "num" in m.groupdict() and m["num"] else None
        name = m["name"].strip()
        return _Comment(number=number, author=name, header=[line])
    fresh = current is not None and not current.lines and not current.dated
    m = (
        _HEADER2.match(line)
        or (_HEADER2_BARE.match(line) if fresh else None)
        or (_HEADER2_NAMED.match(line) if in_comments else None)
    )
    if not m:
        return None
    display = m["display"].strip() if "display" in m.groupdict() else None
    target = current if fresh and current is not None else _Comment(header=[])
    if target is not current:
        target.header = [line]
    else:
        target.header.append(line)
    target.author = m["author"].strip() or target.author
    target.display_name = display or None
    target.time = parse_time(m["date"])
    target.dated = True
    return target


def covered_text(segment: Segment) -> str:
    """Every input character a segment accounts for: header, bullet, then text.

    >>> covered_text(Segment("caption", "Photos used: TASS", meta={"bullet": "•"}))
    '•Photos used: TASS'
    """
    return segment.meta.get("header", "") + segment.meta.get("bullet", "") + segment.text
