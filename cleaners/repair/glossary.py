"""Glossary: known MT term slips fixed from a reviewable TSV file, case-preserving.

A line is ``wrong<TAB>right[<TAB>note[<TAB>when]]``. ``when`` (optional) holds
conditions on the context, space-separated, each a ``|``-list of words (matched whole,
ignoring case; a trailing ``*`` matches any ending):

* ``doc=w1|w2``: one of the words occurs somewhere in the text (the document);
* ``near=w1|w2``: one occurs within 12 words of the term;
* ``unless=w1|w2``: none occurs in the text (a domain where the term means something
  else: aviation's ``APU``, the auxiliary power unit);
* ``ru=w1|w2``: Russian words (stems with ``*``; ё and е alike) one of which the
  Russian source holds: the aligned Russian sentence, or the document's Russian for an
  English sentence with none. Only ``mtclean run`` knows the source: there, ``ru=``
  decides instead of ``doc=`` and ``near=`` (``unless=`` still vetoes), as rule
  ``glossary_by_source`` after alignment (:mod:`cleaners.repair.bilingual`). Without
  the source (``mtclean clean``) the other conditions decide, and an entry whose only
  condition is ``ru=`` is not applied.

Whatever the conditions, a term is never replaced where it glosses the right one: in
a parenthesis after it (``The State Duma (Gosduma)``), or before a parenthesis that
holds it (``Gosduma (State Duma)``), or as the initials of the words before its
parenthesis (``auxiliary power unit (APU)``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any, NamedTuple

from cleaners.edit import Edit
from cleaners.repair.engine import Param, make_edit, rule, with_defaults
from cleaners.repair.tables import DATA

BUNDLED = DATA / "glossary.tsv"


class When(NamedTuple):
    """An entry's context conditions: word patterns (``None``: no condition)."""

    doc: re.Pattern[str] | None = None
    near: re.Pattern[str] | None = None
    unless: re.Pattern[str] | None = None
    ru: re.Pattern[str] | None = None

    @property
    def needs_source(self) -> bool:
        """Whether only the Russian source can decide the entry (``ru=`` alone)."""
        return (
            self.ru is not None and self.doc is None and self.near is None and (self.unless is None)
        )


_KINDS = ("doc", "near", "unless", "ru")
_NEAR_CHARS = 90  # ~12 words either side


def _words_pattern(spec: str) -> re.Pattern[str]:
    alts = [
        re.escape(w[:-1]) + r"\w*" if w.endswith("*") else re.escape(w) for w in spec.split("|")
    ]
    return re.compile(r"(?<!\w)(?:" + "|".join(alts) + r")(?!\w)", re.IGNORECASE)


def parse_when(spec: str, where: str = "") -> When:
    """The conditions of a ``when`` column.

    >>> w = parse_when("doc=Ukrain*|Kyiv unless=aircraft")
    >>> bool(w.doc.search("in Ukrainian towns")), w.near, bool(w.unless.search("Aircraft"))
    (True, None, True)
    >>> w = parse_when("ru=ВСУ|вооружённ*")
    >>> bool(w.ru.search(ru_folded("Вооруженные силы"))), w.needs_source
    (True, True)
    """
    found: dict[str, re.Pattern[str]] = {}
    for clause in spec.split():
        kind, eq, words = clause.partition("=")
        if kind not in _KINDS or not eq or not words or kind in found:
            raise ValueError(f"{where}: condition {clause!r}: expected doc=, near=, unless= or ru=")
        found[kind] = _words_pattern(ru_folded(words) if kind == "ru" else words)
    return When(**found)


@lru_cache(maxsize=32)
def _load(path: str, mtime: float) -> tuple[tuple[str, str, When], ...]:
    rows = []
    # utf-8-sig: a file saved with a BOM (Windows editors) would otherwise hide its first
    # entry behind U+FEFF, never matched.
    with open(path, encoding="utf-8-sig") as fh:
        try:
            lines = list(fh)
        except UnicodeDecodeError as exc:
            raise ValueError(f"{path}: not UTF-8 text ({exc.reason}): save it as UTF-8") from None
    for n, line in enumerate(lines, 1):
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < 2 or not cols[0].strip() or not cols[1].strip():
            raise ValueError(f"{path}:{n}: expected 'wrong<TAB>right[<TAB>note[<TAB>when]]'")
        when = parse_when(cols[3], f"{path}:{n}") if len(cols) > 3 else When()
        rows.append((cols[0].strip(), cols[1].strip(), when))
    return tuple(rows)


def load_entries(files: Sequence[str] = ()) -> dict[str, tuple[str, When]]:
    """The bundled glossary plus ``files`` (later files override earlier entries):
    ``{wrong: (right, conditions)}``."""
    out: dict[str, tuple[str, When]] = {}
    for path in (str(BUNDLED), *files):
        out.update((w, (r, when)) for w, r, when in _load(path, os.path.getmtime(path)))
    return out


def load_glossary(files: Sequence[str] = ()) -> dict[str, str]:
    """The bundled glossary plus ``files``: ``{wrong: right}``."""
    return {w: r for w, (r, _) in load_entries(files).items()}


@lru_cache(maxsize=32)
def _compiled(
    files: tuple[str, ...],
) -> tuple[re.Pattern[str] | None, dict[str, tuple[str, When]]]:
    # Read once per process and file set: a run's glossary does not change under it.
    return _compile(tuple(sorted(_text_entries(files).items())))


def _text_entries(files: Sequence[str]) -> dict[str, tuple[str, When]]:
    """The entries the text can decide: all but those with ``ru=`` alone."""
    return {w: e for w, e in load_entries(files).items() if not e[1].needs_source}


@lru_cache(maxsize=32)
def _ascii_needles(
    files: tuple[str, ...],
) -> tuple[tuple[str, ...], re.Pattern[str] | None] | None:
    """(exact wrong terms, a regex of the others lowercased), or None if one is not ASCII.

    Between ASCII strings, matching ignoring case is matching lowercase, so in ASCII
    text a few substring tests and one scan of its lowercase form rule out most lines
    before the regex with its lookarounds runs (a non-ASCII term may match ASCII text
    ignoring case: "K" for "k"). The lowercase terms are one plain alternation: its
    scan skips to their first letters, faster than a substring test per term.
    """
    wrong = _text_entries(files)
    if not all(w.isascii() for w in wrong):
        return None
    folded = sorted({w.lower() for w in wrong if not w.isupper()})
    return (
        tuple(w for w in wrong if w.isupper()),
        re.compile("|".join(map(re.escape, folded))) if folded else None,
    )


def _may_match(text: str, files: tuple[str, ...]) -> bool:
    """False only when no glossary term can occur in ``text`` (a cheap superset test)."""
    needles = _ascii_needles(files) if text.isascii() else None
    if needles is None:
        return True
    exact, folded = needles
    return any(map(text.__contains__, exact)) or (
        folded is not None and folded.search(text.lower()) is not None
    )


def _compile(
    entries: tuple[tuple[str, tuple[str, When]], ...],
) -> tuple[re.Pattern[str] | None, dict[str, tuple[str, When]]]:
    exact = {w: r for w, r in entries if w.isupper()}
    folded = {w.lower(): r for w, r in entries if not w.isupper()}
    alts = sorted(
        [re.escape(w) for w in exact] + [f"(?i:{re.escape(w)})" for w in folded],
        key=len,
        reverse=True,
    )
    if not alts:
        return None, {}
    pat = re.compile(r"(?<![\w-])(?:" + "|".join(alts) + r")(?![\w-])")
    return pat, {**folded, **exact}


def _match_case(found: str, right: str, wrong_exact: bool) -> str:
    """``right`` in the case of ``found``: all caps, all lowercase, or (a sentence's first
    word) capitalised, where ``right`` is written lowercase.

    >>> _match_case("FOO", "bar", False), _match_case("Foo", "bar", False)
    ('BAR', 'Bar')
    >>> _match_case("foo", "Bar", False), _match_case("Xijingping", "Xi Jinping", False)
    ('bar', 'Xi Jinping')
    """
    if wrong_exact:
        return right
    if found.isupper():
        return right.upper()
    if found.islower():
        return right.lower()
    if found[:1].isupper() and right[:1].islower():  # "Foo" at a sentence start: not "bar"
        return right[:1].upper() + right[1:]
    return right


@rule(
    "apply_glossary",
    stage=20,
    langs=("en",),
    params={"files": Param([], "Extra glossary TSV files (set from RepairConfig.glossary).")},
    risk="an acronym with another meaning (APU = auxiliary power unit); review the file",
)
def apply_glossary(text: str, lang: str, params: Mapping[str, Any]) -> list[Edit]:
    """Replace known MT term slips (``APU`` → ``AFU``, ``Xijingping`` → ``Xi Jinping``)
    where the context allows (see the module's doc).

    >>> from cleaners.repair.engine import replay
    >>> t = "fuel for Ukraine's APU. Protected by Xijingping."
    >>> replay(t, apply_glossary(t, "en", {}))
    "fuel for Ukraine's AFU. Protected by Xi Jinping."
    >>> apply_glossary("the apu of a plane; APUs; the aircraft's APU in Ukraine", "en", {})
    []
    """
    files = tuple(with_defaults("apply_glossary", params)["files"])
    if not _may_match(text, files):
        return []
    pat, table = _compiled(files)
    if pat is None or pat.search(text) is None:
        return []
    if pat is None:
        return []
    edits = []
    whole: dict[tuple[Any, Any], bool] = {}  # what doc= and unless= say of this text
    for m in pat.finditer(text):
        found = m.group()
        if found in table and found.isupper():
            right, when = table[found]
            after = right
        else:
            entry = table.get(found.lower())
            if entry is None:
                continue
            right, when = entry
            after = _match_case(found, right, False)
        if after == found or _glosses(text, m.start(), m.end(), right):
            continue
        if when != _ALWAYS and not _context_allows(text, m.start(), m.end(), when, whole):
            continue
        edits.append(make_edit("apply_glossary", text, m.start(), m.end(), after))
    return edits


_ALWAYS = When()


def ru_folded(text: str) -> str:
    """Russian text as ``ru=`` conditions match it: lowercase, ё written е."""
    return text.lower().replace("ё", "е")


def ru_folded_lines(lines: Sequence[str]) -> str:
    r""":func:`ru_folded` of ``"\n".join(lines)``, folded a slice of lines at a time (a
    line break ends the context a lower-cased letter may depend on, Greek final sigma's;
    CPython lower-cases a whole text into 12 bytes a character first: 86 MB for a 20 MB
    pair's Russian).

    >>> ru_folded_lines(["Ёлка ΟΔΟΣ", "ВСУ"]) == ru_folded("Ёлка ΟΔΟΣ\nВСУ")
    True
    """
    return "\n".join(
        ru_folded("\n".join(lines[a : a + _FOLD_LINES])) for a in range(0, len(lines), _FOLD_LINES)
    )


_FOLD_LINES = 2048


_OPEN_BEFORE = re.compile(r"\(\s*$")
_WORDS = re.compile(r"[^\W\d_]+")


def _glosses(text: str, start: int, end: int, right: str) -> bool:
    """Whether the term at ``text[start:end]`` glosses its right form, and must stay:
    ``The State Duma (Gosduma)``, ``Gosduma (State Duma)``, ``auxiliary power unit (APU)``.

    >>> t = "The State Duma (Gosduma) met; auxiliary power unit (APU); Gosduma (State Duma)"
    >>> [_glosses(t, t.index(w, k), t.index(w, k) + len(w), r)
    ...  for w, k, r in (("Gosduma", 0, "State Duma"), ("APU", 0, "AFU"),
    ...                  ("Gosduma", 30, "State Duma"))]
    [True, True, True]
    >>> _glosses("the Gosduma (parliament) met", 4, 11, "State Duma")
    False
    """
    head = text[max(0, start - 80) : start]
    if _OPEN_BEFORE.search(head):
        before = head[: _OPEN_BEFORE.search(head).start()].rstrip()  # type: ignore[union-attr]
        if before.lower().endswith(right.lower()):
            return True
        words = _WORDS.findall(before)
        term = text[start:end]
        if term.isupper() and len(words) >= len(term):
            initials = "".join(w[0] for w in words[-len(term) :])
            if initials.lower() == term.lower():
                return True
    tail = text[end : end + len(right) + 4].lstrip()
    return tail.startswith("(") and tail[1:].lstrip().lower().startswith(right.lower())


def _context_allows(
    text: str, start: int, end: int, when: When, whole: dict[tuple[Any, Any], bool] | None = None
) -> bool:
    """Whether the context meets an entry's conditions. ``whole`` keeps what ``doc=`` and
    ``unless=`` say of ``text`` across its matches: each scans the whole text, and a long
    page of comments repeating a term asked it once per match (1 MB: 25 s, quadratic).

    >>> w = parse_when("doc=Ukrain*|troops near=shelling unless=aircraft")
    >>> _context_allows("APU shelling; Ukrainian troops", 0, 3, w)
    True
    >>> t = "APU troops" + ", far away" * 12 + ", shelling"
    >>> _context_allows(t, 0, 3, w), _context_allows("the APU of the aircraft", 4, 7, w)
    (False, False)
    """
    key, said = (when.doc, when.unless), {} if whole is None else whole
    if key not in said:
        said[key] = (when.unless is None or not when.unless.search(text)) and (
            when.doc is None or when.doc.search(text) is not None
        )
    if not said[key]:
        return False
    if when.near is not None:
        window = text[max(0, start - _NEAR_CHARS) : end + _NEAR_CHARS]
        if not when.near.search(window):
            return False
    return True


@lru_cache(maxsize=32)
def _source_compiled(
    files: tuple[str, ...],
) -> tuple[re.Pattern[str] | None, dict[str, tuple[str, When]]]:
    """The pattern and table of the entries with a ``ru=`` condition."""
    entries = {w: e for w, e in load_entries(files).items() if e[1].ru is not None}
    return _compile(tuple(sorted(entries.items())))


def _entry(table: Mapping[str, tuple[str, When]], found: str) -> tuple[str, When, str] | None:
    """(right, conditions, replacement) of the term ``found``, or None."""
    if found in table and found.isupper():
        right, when = table[found]
        return right, when, right
    entry = table.get(found.lower())
    if entry is None:
        return None
    return entry[0], entry[1], _match_case(found, entry[0], False)


def source_edits(
    text: str,
    start: int,
    end: int,
    ru: str,
    files: Sequence[str],
    rule_name: str,
    placed: Sequence[tuple[int, Edit]] = (),
    folded: bool = False,
    whole: dict[tuple[re.Pattern[str], str], bool] | None = None,
) -> list[Edit]:
    """The Russian's say on the ``ru=`` entries in the sentence ``text[start:end]``
    (offsets into it): a term the text rule left and the Russian ``ru`` confirms is
    replaced; an ``apply_glossary`` edit whose term ``ru`` lacks is undone (``placed``:
    the side's edits, each with where its ``after`` starts in ``text``). ``unless=`` and
    the parenthesis guard still hold. ``folded``: ``ru`` is already :func:`ru_folded`.
    ``whole`` (one per document, from the caller) keeps what ``unless=`` says of ``text``
    and ``ru=`` of a folded ``ru`` (the document's Russian standing in) across sentences:
    each scans the whole string, and asking it at every match was quadratic (320 KB: 75 s).

    >>> t = "The APU shelled the village."
    >>> [e.after for e in source_edits(t, 0, len(t), "ВСУ обстреляли село.", [], "g")]
    ['AFU']
    >>> t = "The AFU shelled the village."
    >>> undo = [(4, Edit("apply_glossary", 4, 7, "APU", "AFU"))]
    >>> [e.after for e in source_edits(t, 0, len(t), "Обстреляли село.", [], "g", undo)]
    ['APU']
    """
    pat, table = _source_compiled(tuple(files))
    if pat is None:
        return []
    ru_text = ru if folded else ru_folded(ru)
    lasting = {} if whole is None else whole
    ru_said = lasting if folded else {}  # a sentence's own Russian: not kept past it
    out: list[Edit] = []
    for pos, ed in placed:
        if ed.rule != "apply_glossary" or pos < start or pos + len(ed.after) > end:
            continue
        entry = _entry(table, ed.before)
        if (
            entry is not None
            and entry[1].ru is not None
            and not _says(ru_said, entry[1].ru, ru_text)
        ):
            out.append(
                Edit(rule_name, pos - start, pos - start + len(ed.after), ed.after, ed.before)
            )
    sentence = text[start:end]
    for m in pat.finditer(sentence):
        entry = _entry(table, m.group())
        if entry is None:
            continue
        right, when, after = entry
        if after == m.group() or _glosses(text, start + m.start(), start + m.end(), right):
            continue
        if when.unless is not None and _says(lasting, when.unless, text):
            continue
        if when.ru is not None and _says(ru_said, when.ru, ru_text):
            out.append(Edit(rule_name, m.start(), m.end(), m.group(), after))
    return sorted(out, key=lambda e: (e.start, e.end))


def _says(said: dict[tuple[re.Pattern[str], str], bool], pat: re.Pattern[str], s: str) -> bool:
    """Whether ``pat`` occurs in ``s``, asked once per pattern and string (keyed by the
    string itself, so a cache outliving one text can never answer for another)."""
    key = (pat, s)
    hit = said.get(key)
    if hit is None:
        hit = said[key] = pat.search(s) is not None
    return hit
