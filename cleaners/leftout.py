"""Which segments stay out of alignment, and why: nothing leaves silently.

Segment language ID is noisy on short and mixed text: a Russian e-commerce title full of Latin
brand names ("Матрас MIELLA Duet Cocos-Latex DS 90х190х27") comes out de/en/kk. Once a
document side's language is known, a segment leaves the alignment only when it is confidently
(``filters.segment_lang_sure``) and substantially (``filters.segment_min_letters`` letters of
the other language's script) another language. Every segment left out gets a
``left-out:<reason>`` flag (``boilerplate``, ``comment``, ``other-language:uk``), which
docs/<id>.json keeps and the report counts.
"""

from __future__ import annotations

import re

from cleaners import langev
from cleaners.config import PipelineConfig
from cleaners.model import Segment

LEFT_OUT = "left-out:"
CYRILLIC_LANGS = frozenset({"ru", "uk", "be", "bg", "kk", "sr", "mk"})
_CYRL = re.compile(r"[\u0400-\u052f]")
_LATN = re.compile(r"[A-Za-z\u00c0-\u024f]")


def letter_counts(text: str) -> tuple[int, int]:
    """Cyrillic and Latin letters of ``text``, the scripts :func:`leave_out` weighs.

    >>> letter_counts("Матрас MIELLA")
    (6, 6)
    """
    return sum(1 for _ in _CYRL.finditer(text)), sum(1 for _ in _LATN.finditer(text))


_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def common_letters(text: str, script: re.Pattern[str]) -> int:
    """Letters of ``script`` in the words of ``text`` that start lowercase (no name or brand).

    >>> common_letters("Samsung Galaxy A52 128GB Black smartphone", _LATN)
    10
    >>> common_letters("Die Regierung hat das Gesetz beschlossen.", _LATN)
    17
    """
    return sum(
        len(script.findall(w.group())) for w in _WORD.finditer(text) if w.group()[0].islower()
    )


# A side whose own script has at least this share of the other script's letters is in its
# own language whatever language ID says: a Russian title among Latin brand names is Russian.
OWN_SCRIPT_SHARE = 0.1


def holds_own_script(text: str, lang: str) -> bool:
    """Whether ``text`` has letters of ``lang``'s script, at least :data:`OWN_SCRIPT_SHARE`
    as many as of the other script (Cyrillic vs Latin).

    >>> holds_own_script("Матрас MIELLA Duet Cocos-Latex DS 90х190х27", "ru")
    True
    >>> holds_own_script("Das ist ein Satz auf Deutsch.", "ru")
    False
    """
    cyr, lat = letter_counts(text)
    own, other = (cyr, lat) if lang in CYRILLIC_LANGS else (lat, cyr)
    return own > 0 and own >= OWN_SCRIPT_SHARE * other


_OTHER_LANGUAGE = LEFT_OUT + "other-language:"
# A segment's meta key: the language of a sentence cut out of a paragraph called Russian
# (:func:`foreign_sentence`) while it is aligned once. Its English may be on the English side
# (a bead of its own, which the filter rejects as another language, the beads around it as
# before); only if it has none (no bead of its own with English) does it leave, and the
# document is aligned again without it (:func:`cleaners.pipeline.leave_foreign_out`).
FOREIGN_IN_RUSSIAN = "foreign_in_russian"


def left_out_language(seg: Segment) -> str:
    """The language ``seg`` was left out as (its ``left-out:other-language:<lang>`` flag),
    or ``""`` when it was not left out for its language.

    >>> seg = Segment("body", "Дякую!", "uk", 0.99)
    >>> seg.flags.append("left-out:other-language:uk")
    >>> left_out_language(seg), left_out_language(Segment("body", "Спасибо!", "ru", 0.99))
    ('uk', '')
    """
    flag = next((f for f in seg.peek_flags if f.startswith(_OTHER_LANGUAGE)), "")
    return flag[len(_OTHER_LANGUAGE) :]


def leave_out(seg: Segment, lang: str, doc_lang: str, config: PipelineConfig) -> str | None:
    """Why ``seg`` of the ``lang`` side stays out of alignment, or None when it aligns.

    >>> cfg = PipelineConfig()
    >>> leave_out(Segment("title", "Матрас MIELLA Duet Cocos-Latex DS 90х190х27", "de", 0.95),
    ...           "ru", "ru", cfg) is None
    True
    >>> leave_out(Segment("comment", "Дякую за статтю, дуже цікаво і корисно!", "uk", 0.99),
    ...           "ru", "ru", cfg)
    'other-language:uk'
    >>> leave_out(Segment("boilerplate", "Photos used: TASS", "en", 0.9), "en", "en", cfg)
    'boilerplate'
    """
    if seg.kind == "boilerplate":
        return "boilerplate"
    if seg.kind == "comment" and not config.align.include_comments:
        return "comment"
    if seg.peek_meta.get(FOREIGN_IN_RUSSIAN):
        return None  # aligned once: it leaves only if it has no English of its own
    if seg.lang == lang:
        return None
    if doc_lang not in (lang, "und"):
        # The side itself is not in its language (reported as a document warning): only
        # segments detected as the expected language align, as before.
        return None if seg.lang == lang else f"other-language:{seg.lang}"
    if seg.lang == "und":
        return None
    fc = config.filters
    script = _CYRL if seg.lang in CYRILLIC_LANGS else _LATN
    own = _CYRL if lang in CYRILLIC_LANGS else _LATN
    letters = len(script.findall(seg.text))
    if script is not own:
        # Another script: substantial when the side's own script is all but absent (a Russian
        # title with a few Cyrillic words among Latin brand names is Russian).
        substantial = letters >= fc.segment_min_letters and not holds_own_script(seg.text, lang)
    else:
        # Same script (Ukrainian on the Russian side, German on the English side): only the
        # letters of lowercase words count, since the names, brands and model codes of a
        # product title ("Samsung Galaxy A52 128GB Black smartphone") read as any language.
        substantial = common_letters(seg.text, script) >= fc.segment_min_letters
    if substantial and (seg.lang_score >= fc.segment_lang_sure or _other_cyrillic(seg, config)):
        return f"other-language:{seg.lang}"
    return None


def _other_cyrillic(seg: Segment, config: PipelineConfig) -> bool:
    """Whether ``seg``, called another Cyrillic language than Russian without the score to
    leave on its own, is that language by its words too (:func:`cleaners.lid.other_cyrillic`):
    one Bulgarian paragraph in seven was called Bulgarian at under 0.9 (FLORES dev) and went
    on as Russian, or as English, into the alignment and the ru→en retranslation.

    >>> _other_cyrillic(Segment("body", "Кметът заяви, че мостът ще намали задръстванията.",
    ...                         "bg", 0.8), PipelineConfig())
    True
    >>> _other_cyrillic(Segment("body", "Вина лежала на Томе.", "sr", 0.79), PipelineConfig())
    False
    """
    if seg.lang == "ru" or seg.lang not in CYRILLIC_LANGS:
        return False
    from cleaners import lid  # here: filters and adequacy import this module for its counts

    return bool(lid.other_cyrillic(seg.text, config.lid))


def language_runs(langs: list[str], lang: str) -> list[tuple[int, int]]:
    """The runs ``[start, end)`` of a paragraph's sentences in ``lang`` and not, given each
    sentence's language; ``[]`` when the paragraph is not mixed (every sentence in ``lang``,
    or none). A sentence with no word (``und``: ``7–2.``) goes with the run before it (the
    first run when it leads).

    A Russian paragraph holding one Ukrainian sentence was called Ukrainian whole (a letter
    outside Russian's alphabet rules Russian out) and left out of the alignment, its Russian
    sentences with it; split into runs, only the Ukrainian one leaves.

    >>> language_runs(["ru", "ru", "uk"], "ru")
    [(0, 2), (2, 3)]
    >>> language_runs(["uk", "und", "ru", "be"], "ru")
    [(0, 2), (2, 3), (3, 4)]
    >>> language_runs(["uk", "uk"], "ru"), language_runs(["ru", "und"], "ru")
    ([], [])
    """
    known = [x for x in langs if x != "und"]
    if lang not in known or all(x == lang for x in known):
        return []
    runs: list[tuple[int, int]] = []
    start, current = 0, None
    for i, x in enumerate(langs):
        ours = None if x == "und" else x == lang
        if current is None:
            current = ours
        elif ours is not None and ours != current:
            runs.append((start, i))
            start, current = i, ours
    runs.append((start, len(langs)))
    return runs


def cut_runs(text: str, sentences: list[str], runs: list[tuple[int, int]]) -> list[str]:
    """``text`` cut where each run of ``sentences`` (:func:`language_runs`) starts: each piece
    as written (spacing and line breaks kept), stripped.

    >>> cut_runs("Да.  Так.\\nНет.", ["Да.", "Так.", "Нет."], [(0, 1), (1, 3)])
    ['Да.', 'Так.\\nНет.']
    """
    starts, at = [], 0
    for s in sentences:
        found = text.find(s, at)
        starts.append(found if found >= 0 else at)
        at = (found if found >= 0 else at) + len(s)
    cuts = [starts[a] for a, _ in runs[1:]]
    return [text[a:b].strip() for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]


_OTHER_CYRILLIC = CYRILLIC_LANGS - {"ru"}
_RUSSIAN_LACKS = re.compile("[" + "".join(sorted(langev.NON_RUSSIAN_CYRILLIC)) + "]")


def holds_non_russian_letter(text: str) -> bool:
    """Whether ``text`` has a Cyrillic letter Russian lacks (Ukrainian і ї є ґ, Belarusian
    ў, Serbian ј, …): the cheap test before a Russian paragraph's sentences are judged.

    >>> holds_non_russian_letter("Мэр приехал в Ізмаїл."), holds_non_russian_letter("Мэр.")
    (True, False)
    """
    return _RUSSIAN_LACKS.search(text) is not None


def foreign_sentence(sentence: str, config: PipelineConfig) -> str:
    """The other Cyrillic language (``uk``, ``be``, …) a sentence of a Russian paragraph is
    in, or ``""``: only with the evidence names cannot give. Its lowercase Cyrillic words
    (a name or a title is capitalised: ``Ізмаїлі``, ``Біла Церква``) must hold
    ``filters.segment_min_letters`` letters, a tenth of them (as :func:`cleaners.langev.
    non_russian_cyrillic` counts) a letter Russian lacks, and the detector
    (:func:`cleaners.lid.other_cyrillic`) must call the sentence that language.

    >>> cfg = PipelineConfig()
    >>> foreign_sentence("Губернатор учора приїхав до міста на дванадцять днів.", cfg)
    'uk'
    >>> foreign_sentence("В Ізмаїлі и Білій Церкві вчера прошли большие митинги.", cfg)
    ''
    """
    if not holds_non_russian_letter(sentence):
        return ""
    lower = " ".join(
        w.group()
        for w in _WORD.finditer(sentence)
        if w.group()[0].islower() and _CYRL.match(w.group())
    )
    if len(_CYRL.findall(lower)) < config.filters.segment_min_letters:
        return ""
    if not langev.non_russian_cyrillic(lower):
        return ""
    from cleaners import lid  # here: filters and adequacy import this module for its counts

    lang = lid.other_cyrillic(sentence, config.lid)
    return lang if lang in _OTHER_CYRILLIC else ""
