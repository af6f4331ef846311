"""Encoding repairs: Cyrillic mojibake ftfy cannot restore, then ftfy, then homoglyphs."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from cleaners.edit import Edit
from cleaners.langev import CYRILLIC_BASIC, known_share, russian_score
from cleaners.langev import RUSSIAN_LETTER as _RU_LETTERS
from cleaners.langev import RUSSIAN_WORD as _RU_WORD
from cleaners.langev import TYPOGRAPHY as _TYPO
from cleaners.langev import bad_case as _bad_case
from cleaners.lazyre import lazy_compile
from cleaners.repair import ftfy_gate, sloppy  # noqa: F401  (sloppy registers codecs)
from cleaners.repair.engine import Param, make_edit, rule, with_defaults
from cleaners.repair.lossy import cuts_a_letter, lossy_utf8_decoding, stand_ins

# Characters that never need ftfy: ASCII, the Russian alphabet and common typography.
# A text made only of these is skipped without importing ftfy.
_SAFE = (
    "\t\n\x20-\x7e\u0410-\u044f\u0401\u0451\u2018\u2019\u201c\u201d\u00ab\u00bb"
    "\u2013\u2014\u2026\u2116\u00a0\u2022"
)
_NEEDS_FTFY = f"[^{_SAFE}]|&[#A-Za-z0-9]+;"
# A superset of _NEEDS_FTFY that is one character class ("&" no longer safe): quick to scan.
_NEEDS_FTFY_GATE = "[^" + _SAFE.replace(" -~", " -%'-~") + "]"


def _opcodes(old: str, new: str) -> list[tuple[str, int, int, int, int]]:
    """difflib's opcodes turning ``old`` into ``new``. When both hold as many spaces, word
    ``k`` of one is diffed with word ``k`` of the other (the spaces kept equal): ftfy and the
    homoglyph swap change letters, not spaces, and difflib on a whole long line is quadratic
    (a line of repeated mojibake words took seconds). Otherwise the whole line."""
    import difflib  # only once a line needs fixing: clean text never pays its import

    olds, news = old.split(" "), new.split(" ")
    if len(olds) != len(news) or len(olds) == 1:
        return difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    ops: list[tuple[str, int, int, int, int]] = []
    a = b = 0
    for k, (o, n) in enumerate(zip(olds, news, strict=True)):
        if k:
            ops.append(("equal", a, a + 1, b, b + 1))
            a, b = a + 1, b + 1
        if o == n:
            ops.append(("equal", a, a + len(o), b, b + len(n)))
        else:
            sm = difflib.SequenceMatcher(None, o, n, autojunk=False)
            ops.extend(
                (t, a + a0, a + a1, b + b0, b + b1) for t, a0, a1, b0, b1 in sm.get_opcodes()
            )
        a, b = a + len(o), b + len(n)
    merged: list[tuple[str, int, int, int, int]] = []
    for op in ops:  # equal runs joined, as difflib gives them
        if merged and op[0] == merged[-1][0] == "equal":
            merged[-1] = ("equal", merged[-1][1], op[2], merged[-1][3], op[4])
        elif op[2] > op[1] or op[4] > op[3]:
            merged.append(op)
    return merged


def diff_edits(rule_name: str, old: str, new: str, offset: int = 0) -> list[Edit]:
    """Minimal edits turning ``old`` into ``new`` (near-adjacent changes grouped).

    >>> [(e.start, e.before, e.after) for e in diff_edits("r", "Ð¾Ð½ ÑÐ¾ x", "он со x")]
    [(0, 'Ð¾Ð½ ÑÐ¾', 'он со')]
    """
    groups: list[list[int]] = []  # [a0, a1, b0, b1] of each group of changes
    open_group = False
    for tag, a0, a1, b0, b1 in _opcodes(old, new):
        if tag == "equal":
            # Fewer than 3 equal characters between changes keep them in one edit.
            if a1 - a0 >= 3:
                open_group = False
        elif open_group:
            groups[-1][1], groups[-1][3] = a1, b1
        else:
            groups.append([a0, a1, b0, b1])
            open_group = True
    return [
        Edit(rule_name, offset + a0, offset + a1, old[a0:a1], new[b0:b1])
        for a0, a1, b0, b1 in groups
    ]


# --- Cyrillic mojibake that ftfy leaves ----------------------------------------------------

# (name, encoding the text was wrongly decoded with, its real encoding). The Windows
# pages are ftfy's "sloppy" variants: bytes a strict codec leaves undefined (0x98 in
# cp1251, 0x81 in cp1252) survive as C1 characters in real mojibake.
_TRANSFORMS = (
    ("cp1251_as_latin1", "latin-1", "sloppy-windows-1251"),
    ("cp1251_as_cp1252", "sloppy-windows-1252", "sloppy-windows-1251"),
    ("utf8_as_koi8r", "koi8_r", "utf-8"),
    ("koi8r_as_cp1251", "sloppy-windows-1251", "koi8_r"),
    ("cp866_as_cp1251", "sloppy-windows-1251", "cp866"),
    ("utf8_as_cp1251", "sloppy-windows-1251", "utf-8"),
    ("utf8_as_cp866", "cp866", "utf-8"),
    ("cp1251_as_koi8r", "koi8_r", "sloppy-windows-1251"),
    ("cp1251_as_cp866", "cp866", "sloppy-windows-1251"),
    ("koi8r_as_latin1", "latin-1", "koi8_r"),
    ("cp866_as_latin1", "latin-1", "cp866"),
    ("utf8_as_latin1", "latin-1", "utf-8"),
    ("utf8_as_cp1252", "sloppy-windows-1252", "utf-8"),
    # Twice: ftfy undoes it too, but not inside real «» (its heuristic stops there).
    ("utf8_as_cp1252_twice", "sloppy-windows-1252*2", "utf-8"),
)
_BY_NAME = {name: (wrong, real) for name, wrong, real in _TRANSFORMS}
# Code pages that hold the same letters: a run the line's transform cannot encode (an
# en dash is in cp1252, not in latin-1) is tried with its sibling.
_SIBLINGS = {
    "cp1251_as_latin1": ("cp1251_as_cp1252",),
    "cp1251_as_cp1252": ("cp1251_as_latin1",),
    "utf8_as_latin1": ("utf8_as_cp1252",),
    "utf8_as_cp1252": ("utf8_as_latin1",),
}

# A run of non-ASCII letters and symbols (plus the spaces and ASCII punctuation between
# them) that could be one mojibake'd Russian phrase.
_MOJI = "\u0080-\u04ff\u2010-\u23ff\u2500-\u25ff\ufffd"
_RUN = lazy_compile(f"[{_MOJI}](?:[{_MOJI} \\t!-@\\[-`{{-~]*[{_MOJI}])?")
# Symbols no Russian text is made of but cp866 or KOI8-R read as cp1251 is ("‡ ©¤Ё"),
# and the capitals of other Cyrillic alphabets (Ј, Ў, Ї). Their small letters (і, ў,
# љ) are no mark: Ukrainian, Belarusian and Serbian words are full of them.
_ODD = lazy_compile(f"[\u0080-\u00bf\u2010-\u23ff\u2500-\u25ff\u0402-\u040f](?<![{_TYPO}])")
_BAD_CASE_WORD = lazy_compile(r"[а-яё][А-ЯЁ]")
_BOX = lazy_compile("[\u2500-\u25ff]")
# Box drawing, or a symbol inside a word ("СОПЮБ\xa0Ю°Е" is Serbian "управљање" read
# as KOI8-R): no Russian candidate has them.
_NOT_RUSSIAN = lazy_compile("[\u2500-\u25ff]|(?i:[а-яё][°·•№][а-яё]|[а-яё]{3}\u00a0[а-яё])")
_ALPHA = lazy_compile(r"[^\W\d_]")
_ALNUM = lazy_compile(r"[^\W_]")
# Letters of Latin-1 and cp1252 beyond ASCII.
_WESTERN = lazy_compile("[\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ffŠšŒœŽžŸƒ]+")
_C0C1 = lazy_compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffd]")
_PLAIN_RU = lazy_compile(f"[\t -@\\[-`{{-~А-Яа-яЁё{_TYPO}]*")


def _shouting(text: str) -> bool:
    """Mostly capitals: KOI8-R read as cp1251 turns lowercase Russian into capitals."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 6 and sum(c.isupper() for c in letters) >= 0.7 * len(letters)


def _decode(text: str, wrong: str, real: str) -> str | None:
    """``text`` encoded with ``wrong`` and decoded with ``real`` (twice for "...*2").

    >>> _decode("Ã\x90Â¿", "sloppy-windows-1252*2", "utf-8")
    'п'
    """
    twice = wrong.endswith("*2")
    try:
        out = text.encode(wrong.removesuffix("*2")).decode(real)
        return out.encode(wrong[:-2]).decode(real) if twice else out
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None


def _all_russian(cand: str) -> bool:
    """``cand`` is made of Russian letters, ASCII digits/punctuation and Russian typography
    only (there may be no letters): no box drawing, no control, no other script."""
    return _PLAIN_RU.fullmatch(cand) is not None


def best_cyrillic_decoding(
    run: str, margin: float, transforms: tuple[tuple[str, str, str], ...] = _TRANSFORMS
) -> tuple[str, str] | None:
    """The transform (name, text) that turns ``run`` into clearly better Russian, if any."""
    best: tuple[float, str, str] | None = None
    for name, wrong, real in transforms:
        cand = _decode(run, wrong, real)
        if cand is None or cand == run or _NOT_RUSSIAN.search(cand) or _still_utf8(cand):
            continue  # box drawing: a real "»" read as KOI8-R ("╩"), not Russian
        letters = len(_RU_LETTERS.findall(cand))
        if letters < 6 or letters < 0.6 * len(_ALPHA.findall(cand)):
            continue
        if _bad_case(cand):
            continue
        sc = russian_score(cand)
        if best is None or sc > best[0]:
            best = (sc, name, cand)
    if best is None or best[0] < -7.5:
        return None
    # Capitals turned into plausible sentence case are evidence enough on their own: a
    # real all-caps Russian line decodes to lowercase gibberish far below the bar above.
    if _shouting(run) and not _shouting(best[2]) and _knows_more(best[2], run):
        margin = 0.0  # (if more words are known: "БЕЙЗБОЛ" is Bulgarian, not KOI8-R)
    # The run's own score only now: on clean text no candidate gets this far.
    if best[0] - russian_score(run) < margin and not _words_agree(run, best[2]):
        return None
    # Small letters turned into capitals (KOI8-R read as cp1251, from an all-caps
    # original) need known words too: a Ukrainian or Kazakh word decodes so as well.
    if best[1] == "koi8r_as_cp1251" and run.lower() == run and not _knows_more(best[2], run):
        return None
    return best[1], best[2]


def _knows_more(cand: str, run: str) -> bool:
    return known_share(cand) > known_share(run)


def _still_utf8(cand: str) -> bool:
    """``cand`` is itself UTF-8 read as cp1251 ("Р‘РёР»Р»Р°"): one step of two.

    Russian letters are bytes 0xC0-0xFF in cp1251, never valid UTF-8 side by side.

    >>> _still_utf8("Р‘РёР»Р»Р°"), _still_utf8("Привет")
    (True, False)
    """
    if "Р" not in cand and "С" not in cand:
        return False
    back = _decode(cand, "sloppy-windows-1251", "utf-8")
    return back is not None and back != cand


def _words_agree(run: str, cand: str) -> bool:
    """Word-level evidence where the bigram gain falls short ("ч юбу дос с пведба" for
    "В ЧАС ДНЯ Я ОБЕДАЮ"): the candidate's words are known, the run's are not."""
    share = known_share(cand)
    return share >= 0.7 and share - known_share(run) >= 0.5


def _mangled_pages(run: str, min_western: int = 3) -> frozenset[str]:
    """The wrong code pages whose marks ``run`` bears, if it is Russian read with them.

    Latin-1/cp1252: only Western letters, ``min_western`` or more ("Øàõ").
    cp1251: a symbol no Russian is made of ("‡ ©¤Ё") or a word cased "ыБИ"; also
    capitals after a small letter ("с ЧТБЮ"), four capitals ("ЫФБФ"), or six small
    letters and no capital: KOI8-R and cp1251 swap the cases.
    KOI8-R/cp866: box-drawing characters ("п╗п╟я┘").

    >>> sorted(_mangled_pages("Øàõ")), sorted(_mangled_pages("Москва"))
    (['latin-1', 'sloppy-windows-1252'], [])
    """
    pages: set[str] = set()
    letters = [c for c in run if c.isalpha()]
    if len(letters) >= min_western and _WESTERN.fullmatch("".join(letters)):
        pages.update(("latin-1", "sloppy-windows-1252"))
    if _ODD.search(run) or _BAD_CASE_WORD.search(run) or _inverted(letters):
        pages.add("sloppy-windows-1251")
    if _BOX.search(run):
        pages.update(("koi8_r", "cp866"))
    return frozenset(pages)


def _inverted(letters: list[str]) -> bool:
    """Case KOI8-R read as cp1251 gives Russian: "с ЧТБЮ" (Я врач), "ЫФБФ" (штат), and
    for capitals small letters only ("х чбу оеф", У ВАС НЕТ)."""
    if len(letters) >= 6 and all(c.islower() for c in letters):
        return True
    if len(letters) < 3 or not all(c.isupper() for c in letters[1:]):
        return False
    return letters[0].islower() or len(letters) >= 4


def word_level_decoding(
    run: str,
    glued: bool,
    transforms: tuple[tuple[str, str, str], ...] = _TRANSFORMS,
    alone: bool = False,
) -> tuple[str, str] | None:
    """A short run ("Øàõ.", "ыБИ.", "п╗п╟я┘.") whose re-decoding is made of known words.

    Letter bigrams say little about a word or two; here the run must look mangled, the
    candidate must be all Russian words wordfreq knows well, and the run must not be.
    A run ``alone`` on its line may be one very common two-letter word ("Äà!" for "Да!").
    """
    if glued or len(run) < 2:
        return None  # a Latin word with accents: "café" is glued to its "caf"; "à"
    pages = _mangled_pages(run, 2 if alone else 3)
    best: tuple[float, str, str] | None = None
    for name, wrong, real in transforms:
        # Valid UTF-8 from two or more bytes a letter is a mark of its own.
        if wrong not in pages and real != "utf-8":
            continue
        cand = _decode(run, wrong, real)
        if cand is None or cand == run or not _all_russian(cand) or _bad_case(cand):
            continue
        if _NOT_RUSSIAN.search(cand) or _still_utf8(cand):
            continue
        # Two-letter words ("ай" from "\xa0©") are too easy to hit by chance, except
        # from valid UTF-8 ("Рђ РІС‹" for "А вы"), two bytes a letter, or one of the
        # commonest words alone on its line.
        found = _RU_WORD.findall(cand)
        longest = max(map(len, found), default=0)
        common = alone and longest == 2 and _common_words(found)
        if longest < (2 if real == "utf-8" else 3) and not common:
            continue
        if known_share(cand) < 1.0:
            continue
        if not any(c.isalpha() for c in run) and sum(map(len, found)) < 4 and not common:
            continue  # a few symbols make a short word more easily still
        if _all_russian(run) and known_share(run) >= 0.5:
            continue  # the run reads as Russian already
        sc = russian_score(cand)
        if best is None or sc > best[0]:
            best = (sc, name, cand)
    return None if best is None else (best[1], best[2])


def _common_words(found: list[str]) -> bool:
    """Every word is among the commonest (Zipf >= 5: да, не, на, мы, ...)."""
    from cleaners.repair.words import zipf

    return all(zipf(w.lower(), "ru", 3.0) >= 5.0 for w in found)


def _touch(text: str, start: int, end: int) -> tuple[bool, bool]:
    """Whether an ASCII letter comes right before and right after ``text[start:end]``."""
    before = start > 0 and text[start - 1].isascii() and text[start - 1].isalpha()
    after = end < len(text) and text[end].isascii() and text[end].isalpha()
    return before, after


def _glued(text: str, start: int, end: int) -> bool:
    """The run's edge letter touches an ASCII letter: part of a Latin word (``café``).

    >>> _glued("café au lait", 3, 4), _glued("COVID-19» è «SARS", 8, 13)
    (True, False)
    """
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return (text[start].isalpha() and before.isascii() and before.isalpha()) or (
        text[end - 1].isalpha() and after.isascii() and after.isalpha()
    )


# What mojibake of any kind shows; and a line of small Russian letters only, which is
# all that capitals in KOI8-R read as cp1251 show (only that transform is tried then).
_MARKS = (
    r"[\u0080-\u009f\u00a4-\u00ff\u2500-\u25ff\u0402-\u040f\u0452-\u045f\u0490\u0491\u2020\u2021\u2030"
    r"\u2122]|[А-ЯЁ]{4}|[а-яё][А-ЯЁ]"
)
_SMALL_LINE = r"(?m:^)(?=[^А-ЯЁ\n]*(?m:$)).*?[а-яё]{3}"
_MARKS_RE = lazy_compile(_MARKS)
_KOI8_ONLY = tuple(t for t in _TRANSFORMS if t[0] == "koi8r_as_cp1251")
_LEAD_LETTER = lazy_compile("[ÐÑ]")  # UTF-8 Russian read as cp1252 shows them


@rule(
    "fix_cyrillic_mojibake",
    stage=10,
    non_ascii=True,
    precheck=_MARKS + "|" + _SMALL_LINE,
    params={
        "margin": Param(2.0, "How much more Russian-like (log-prob per bigram) a fix must be.")
    },
    risk="a short word in high Latin-1 letters or of another Cyrillic language read as Russian",
)
def fix_cyrillic_mojibake(text: str, lang: str, params: Mapping[str, Any]) -> list[Edit]:
    """Re-decode Russian text that was read with the wrong Cyrillic/Latin code page.

    Covers the cases ftfy leaves (cp1251 read as latin-1/cp1252, UTF-8 read as KOI8-R,
    KOI8-R or cp866 read as cp1251); a run inside English text is fixed on its own.
    A run that is clearly mojibake (letter bigrams, or known words for a short one)
    decides its line's transform; the line's other runs (``В»`` for ``»``, ``Х`` for
    ``у``) follow it.

    >>> fix_cyrillic_mojibake("He said: Ïðèâåò, ìèð!", "en", {"margin": 2.0})[0].after
    'Привет, мир'
    >>> fix_cyrillic_mojibake("Café Müller, à la carte", "en", {"margin": 2.0})
    []
    """
    margin = float(with_defaults("fix_cyrillic_mojibake", params)["margin"])
    # Each run, and the same run without the typography at its edges: mojibake quoted
    # with real «» or dashes decodes only without them.
    transforms = _TRANSFORMS if _MARKS_RE.search(text) else _KOI8_ONLY
    runs = [m.span() for m in _RUN.finditer(text)]
    spans = [_spans(text, start, end) for start, end in runs]
    lost = stand_ins(text) if transforms is _TRANSFORMS and _LEAD_LETTER.search(text) else None
    fixed: dict[int, tuple[int, int, str]] = {}
    used: dict[int, list[str]] = {}  # line start -> transforms found on that line
    for i, options in enumerate(spans):
        start, end = runs[i]
        if end - start < 4 and _glued(text, start, end):
            continue  # "é" of "été": only a proved line's transform may touch it (below)
        found = _first_decoding(text, options, margin, transforms, lost)
        if found is not None:
            name, start, end, after = found
            fixed[i] = (start, end, after)
            used.setdefault(text.rfind("\n", 0, start) + 1, []).append(name)
    everywhere = [n for names in used.values() for n in names]
    for i, options in enumerate(spans):
        if i in fixed or not everywhere:
            continue
        for start, end in options:
            names = used.get(text.rfind("\n", 0, start) + 1)
            # The line's own transform; else, more strictly, the one the document used.
            cand = _follow(
                text[start:end],
                names or everywhere,
                _touch(text, start, end),
                strict=not names,
                margin=margin,
            )
            if cand is not None:
                fixed[i] = (start, end, cand)
                break
    return [
        make_edit("fix_cyrillic_mojibake", text, start, end, after)
        for start, end, after in (fixed[i] for i in sorted(fixed))
    ]


# Quotes and dashes that may wrap mojibake without being part of it.
_WRAP = "«»“”„‘’‚—–―…"
_ASCII_EDGE = " \t!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
_EDGES = frozenset(_WRAP + _ASCII_EDGE)


def _spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The run ``text[start:end]``, then the run without one wrapping quote or dash (and
    ASCII punctuation) at both edges, at the start only, at the end only.

    >>> _spans("a «Ð·Ð°» b", 2, 8)
    [(2, 8), (3, 7), (3, 8), (2, 7)]
    """
    if end - start < 3 or (text[start] not in _EDGES and text[end - 1] not in _EDGES):
        return [(start, end)]
    s0, e0 = start, end
    while s0 < e0 and text[s0] in _ASCII_EDGE:
        s0 += 1
    if s0 < e0 and text[s0] in _WRAP:
        s0 += 1
        while s0 < e0 and text[s0] in _ASCII_EDGE:
            s0 += 1
    while e0 > s0 and text[e0 - 1] in _ASCII_EDGE:
        e0 -= 1
    if e0 > s0 and text[e0 - 1] in _WRAP:
        e0 -= 1
        while e0 > s0 and text[e0 - 1] in _ASCII_EDGE:
            e0 -= 1
    out = [(start, end)]
    for span in ((s0, e0), (s0, end), (start, e0)):
        if span[0] < span[1] and span not in out:
            out.append(span)
    return out


def _first_decoding(
    text: str,
    options: list[tuple[int, int]],
    margin: float,
    transforms: tuple[tuple[str, str, str], ...],
    lost: frozenset[str] | None,
) -> tuple[str, int, int, str] | None:
    """(transform, start, end, text) for the first span of ``options`` that is clearly
    mojibake; when a wrapping quote of the whole run decodes to a letter ("«" to "л"
    in cp866), a trimmed span that makes more known words wins. ``lost``: what the
    text's lost UTF-8 bytes became (:func:`stand_ins`), None when it has none to look for."""
    best: tuple[float, str, int, int, str] | None = None
    for start, end in options:
        run = text[start:end]
        # UTF-8 whose lost bytes no transform can restore comes first; it competes with the
        # other spans as any decoding does (a trimmed "»" is a lost byte only in appearance).
        lossy = None
        if lost is not None and not cuts_a_letter(text, end):
            # A run ends at its last non-ASCII character: the "?" a last lost byte became
            # ("Ñ?" of "с?") is taken into it, to be read as that byte or a question mark.
            more = "?" in lost and run[-1] in "ÐÑ" and text.startswith("?", end)
            lossy = lossy_utf8_decoding(run + "?" if more else run, lost)
            end += more and lossy is not None
        found = None if lossy is None else ("utf8_as_cp1252", lossy)
        if found is None and len(run) >= 4:
            found = best_cyrillic_decoding(run, margin, transforms)
        if found is None:
            found = word_level_decoding(
                run, _glued(text, start, end), transforms, _alone(text, start, end)
            )
        if found is None:
            continue
        # Known letters decide: "лфермент" (from «фермент» in cp866) is no word; a
        # tie goes to the span without the quote, which is real (see _real_guillemet).
        score = known_share(found[1]) * len(_RU_LETTERS.findall(found[1]))
        if best is None or score >= best[0]:
            best = (score, found[0], start, end, found[1])
        if len(options) == 1 or not _real_guillemet(text, start, end, found[1]):
            break
    return None if best is None else best[1:]


def _alone(text: str, start: int, end: int) -> bool:
    """No other letter or digit on the run's line ("Äà!", "- дБ!").

    >>> _alone('"- Äà!"', 3, 5), _alone("He said Äà!", 8, 10)
    (True, False)
    """
    ls = text.rfind("\n", 0, start) + 1
    le = text.find("\n", end)
    le = len(text) if le < 0 else le
    return not _ALNUM.search(text, ls, start) and not _ALNUM.search(text, end, le)


def _real_guillemet(text: str, start: int, end: int, cand: str) -> bool:
    """A guillemet at the run's edge that decoded to a letter but is a real quote: "»"
    (cp866 has none: it would be "╗"), or "«" that a later "»" closes. cp866 mojibake
    is full of “‘’„ that really are letters (У С Т Д) and of "«" for "л"."""
    if text[end - 1] == "»" and cand[-1].isalpha():
        return True
    return text[start] == "«" and cand[0].isalpha() and "»" in text[end:]


def _follow(
    run: str, names: list[str], touch: tuple[bool, bool], strict: bool, margin: float
) -> str | None:
    """``run`` re-decoded with a transform other runs proved, if the result fits.

    ``touch`` says whether an ASCII letter precedes and follows the run.
    """
    order = sorted(set(names), key=lambda n: (-names.count(n), n))
    order += [s for n in order for s in _SIBLINGS.get(n, ()) if s not in order]
    for name in order:
        wrong, real = _BY_NAME[name]
        cand = _decode(run, wrong, real)
        if cand is None or cand == run:
            continue
        # A letter joining a Latin word ("é" of "café" to "й", "«Operations" to
        # "лOperations") is no fix; valid UTF-8 is evidence enough ("TГњV" to "TÜV").
        if real != "utf-8" and (
            (touch[0] and cand[0].isalpha()) or (touch[1] and cand[-1].isalpha())
        ):
            continue
        if _short_run_ok(run, cand, margin) if strict else _line_run_ok(run, cand, real):
            return cand
    return None


def _line_run_ok(run: str, cand: str, real: str) -> bool:
    """On a line proved to be mojibake, a short run decoded the same way is accepted if
    it gives Russian, typography, or (from valid UTF-8) any text without controls."""
    if real == "utf-8":
        return not _C0C1.search(cand)
    if not _all_russian(cand):
        return False
    if not any(c.isalpha() for c in cand):
        return True  # "В»" -> "»", "ш" -> "°"
    # A run that reads as Russian itself ("Х" for "у"): the decoding must not know fewer
    # words. Other runs ("ђ‘„ г" for "РСД у") hold symbols no Russian text is made of.
    return not _all_russian(run) or known_share(cand) >= known_share(run)


def _short_run_ok(run: str, cand: str, margin: float) -> bool:
    letters = [c for c in cand if c.isalpha()]
    if not letters or not all(_RU_LETTERS.match(c) for c in letters) or _bad_case(cand):
        return False
    score = russian_score(cand)
    # A run that already holds Russian letters ("Рё") must get clearly better; half the
    # usual gain will do, the transform having proved itself on a longer run.
    return score > -7.5 and (
        not _RU_LETTERS.search(run) or score >= russian_score(run) + margin / 2
    )


# --- ftfy --------------------------------------------------------------------------------
# After the Cyrillic re-decoding: ftfy reads cp1251-as-latin-1 Russian ("Â ïîíåäåëüíèê")
# as UTF-8 mojibake of a no-break space and would delete the "Â" (В).


@lru_cache(maxsize=1)
def _ftfy_config() -> Any:
    import ftfy  # imported on first need: clean text never pays for it

    # Quotes are folded by our own (optional) rule, not silently by ftfy.
    return ftfy, ftfy.TextFixerConfig(uncurl_quotes=False, explain=False)


@rule(
    "fix_encoding_ftfy",
    stage=11,
    gate=_NEEDS_FTFY_GATE,
    precheck=_NEEDS_FTFY,
    risk="ftfy's own: rare legitimate text that looks like mojibake (see its docs)",
)
def fix_encoding_ftfy(text: str, lang: str, params: Mapping[str, Any]) -> list[Edit]:
    """Run ftfy line by line (curly quotes kept) and record what it changed.

    >>> fix_encoding_ftfy("cafÃ© time", "en", {})[0].after
    'é'
    >>> fix_encoding_ftfy("café “time”", "en", {})
    []
    """
    edits: list[Edit] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        # ftfy is imported only for a line it may change (see ftfy_gate).
        if re.search(_NEEDS_FTFY, line) and ftfy_gate.would_change(line):
            ftfy, cfg = _ftfy_config()
            fixed = ftfy.fix_text(line, cfg)
            if fixed != line:
                edits.extend(diff_edits("fix_encoding_ftfy", line, fixed, pos))
        pos += len(line)
    return edits


# --- homoglyphs -----------------------------------------------------------------------

_LAT2CYR = str.maketrans("aeopcxyAEOPCXHBMKT", "аеорсхуАЕОРСХНВМКТ")
_CYR2LAT = str.maketrans("аеорсхуАЕОРСХНВМКТіјѕІЈЅ", "aeopcxyAEOPCXHBMKTijsIJS")
_LAT_HOMO = set("aeopcxyAEOPCXHBMKT")
_CYR_HOMO = set("аеорсхуАЕОРСХНВМКТіјѕІЈЅ")
_MIXED = lazy_compile(rf"(?=[^\W\d_]*[A-Za-z])(?=[^\W\d_]*[{CYRILLIC_BASIC}])[^\W\d_]+")


@rule(
    "fix_homoglyphs",
    stage=12,
    non_ascii=True,
    precheck=r"[A-Za-z][\u0400-\u04ff]|[\u0400-\u04ff][A-Za-z]",
    risk="deliberate mixed-script brand names or leetspeak",
)
def fix_homoglyphs(text: str, lang: str, params: Mapping[str, Any]) -> list[Edit]:
    """Swap look-alike letters of the other script inside a word (``Meжду``, ``Officе``).

    >>> from cleaners.repair.engine import replay
    >>> replay("Meжду нами, Officе", fix_homoglyphs("Meжду нами, Officе", "en", {}))
    'Между нами, Office'
    >>> fix_homoglyphs("iPhone и Android", "en", {})
    []
    """
    edits = []
    for m in _MIXED.finditer(text):
        word = m.group()
        if word.isupper():
            continue  # stylised all-caps names ("SENSЕ", a band in ftfy's negatives)
        lat = [c for c in word if c.isascii()]
        cyr = [c for c in word if not c.isascii()]
        if max(len(lat), len(cyr)) < 3:
            continue
        if len(cyr) > len(lat) and all(c in _LAT_HOMO for c in lat):
            after = word.translate(_LAT2CYR)
        elif len(lat) > len(cyr) and all(c in _CYR_HOMO for c in cyr):
            after = word.translate(_CYR2LAT)
        else:
            continue
        edits.extend(diff_edits("fix_homoglyphs", word, after, m.start()))
    return edits
