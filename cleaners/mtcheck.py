"""When a document's English MT failed as a whole: the side in the English slot is no English.

An MT export can hold the Russian source copied unchanged (the engine did nothing), the source
mostly left untranslated, or a translation into another language (Ukrainian, German). Such a
side is not the document's English: written to ``text/<id>.en.txt`` it would pass for the
repaired English, and its segments would only ever leave the alignment one by one. The
pipeline keeps it as the document's ``mt`` (for review), gives the document no English, says
why in an ``mt-failed`` warning, and a retranslation mode that fills missing English
(``missing``, ``replace``, ``all``) gives the retranslation instead.

An MT can also stop halfway (cut off, also mid-sentence, or looping until it was cut): the
English then covers the start of the Russian only. :func:`missing_tail` finds the Russian left
without English at the end (:func:`cut_short`, the English of its first pair stopping
mid-sentence); the pipeline says so (``mt-incomplete``) and, in ``replace`` mode, gives that
Russian its retranslation (appended, or in place of the cut sentence); with a retranslation in
the other modes, the cut pair is rejected ``truncated``. A tail whose English the MT left in
Russian (its paragraphs still there, left out) is said as such (:func:`tail_cause`).

An MT can also leave a paragraph, or a sentence, in Russian in the middle of its English
(:func:`russian_sentence`): its segments are flagged, and the document says how much in an
``mt-untranslated`` warning (:func:`untranslated_note`); a Russian tail is ``mt-incomplete``'s.

English segments in Cyrillic of another language (Ukrainian, Bulgarian:
:func:`cleaners.lid.other_cyrillic`) are never given to the ru→en retranslation, which makes
garbage English of them: :func:`not_retranslated_note` says so, and without a retranslation
says that the MT holds them (``mt-other-language``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from cleaners import lid
from cleaners.adequacy import ends_cut, ends_sentence
from cleaners.leftout import letter_counts

if TYPE_CHECKING:
    from cleaners.model import Bead

MT_FAILED = "mt-failed"

# Language ID's verdicts that leave an English side English: its own language, and "und" (no
# words to judge: numbers, a date line), which says nothing against it.
_ENGLISH = frozenset({"en", "und"})


def _words(text: str) -> list[str]:
    return text.split()


def english_failure(en_lang: str, en_text: str, ru_text: str | None) -> str | None:
    """Why an English MT side whose language ID says ``en_lang`` is no English at all, or
    None when it is English (or cannot be told: ``und``).

    >>> english_failure("en", "The mayor met experts.", "Мэр встретился с экспертами.") is None
    True
    >>> english_failure("ru", "Мэр встретился с экспертами.", "Мэр встретился с экспертами.")
    'the English MT is a copy of the Russian source (not translated)'
    >>> english_failure("uk", "Мер зустрівся з експертами.", None)
    "the English MT is in another language ('uk'), not English"
    """
    if en_lang in _ENGLISH:
        return None
    if en_lang == "ru":
        # Spacing and line ends aside: an export may rewrap the copied source.
        if ru_text is not None and _words(en_text) == _words(ru_text):
            return "the English MT is a copy of the Russian source (not translated)"
        return "the English MT is Russian (left untranslated)"
    return f"the English MT is in another language ({en_lang!r}), not English"


MT_INCOMPLETE = "mt-incomplete"

# The share of a document's Russian sentences that must be left without English at its end
# before the MT counts as stopped: a credit line or a last comment the English page lacks is
# no stopped MT (one of five is).
TAIL_SHARE = 0.2


def cut_short(en: str, ru: str, retranslation: str | None = None) -> bool:
    """Whether English ``en`` stops mid-sentence where its Russian ``ru`` ends one (no end
    mark, or a last word no sentence ends on); given the Russian's ``retranslation``, only
    when that is :data:`CUT_RATIO` times longer too (it says what the English left out).

    >>> cut_short("The mayor met the minister in", "Мэр встретился с министром в Баку.")
    True
    >>> cut_short("The mayor met the minister.", "Мэр встретился с министром.")
    False
    >>> cut_short("The mayor met the minister", "Мэр встретился с министром.",
    ...           "The mayor met the minister.")  # only the full stop is missing
    False
    """
    stops = (ends_sentence(ru) and not ends_sentence(en)) or (
        ends_cut(en, "en") and not ends_cut(ru, "ru")
    )
    if retranslation is None or not stops:
        return stops
    return len(retranslation.strip()) >= CUT_RATIO * len(en.strip())


# How much longer than a cut English sentence its Russian's retranslation must be: the
# truncated filter's default ratio (filters.truncated_ratio).
CUT_RATIO = 1.2


def missing_tail(beads: Sequence[Bead], n_ru: int, last_cut: bool = False) -> range | None:
    """The Russian sentences at the end of a document that have no English, the signature of
    an MT that stopped halfway (cut off, or looping and then collapsed): every sentence after
    the last bead with both sides (from that bead on when its English is ``last_cut``,
    :func:`cut_short`), when they are at least :data:`TAIL_SHARE` of the Russian. None when
    the English covers the end, or covers nothing (then no part of it is English:
    ``not-parallel`` or ``mt-failed`` says so).

    >>> from cleaners.model import Bead
    >>> missing_tail([Bead((0,), (0,), 1.0), Bead((1,), (), 0.0), Bead((2,), (), 0.0)], 3)
    range(1, 3)
    >>> missing_tail([Bead((0,), (0,), 1.0), Bead((1, 2), (1,), 1.0)], 3) is None
    True
    """
    last = next((k for k in range(len(beads) - 1, -1, -1) if beads[k].ru and beads[k].en), None)
    if last is None or n_ru == 0:
        return None
    ru = beads[last].ru
    tail = range(min(ru) if last_cut else max(ru) + 1, n_ru)
    if 2 * sum(len(b.en) for b in beads[last + 1 :]) >= len(tail):
        # English goes on past the last pair, about as long as the Russian: the alignment
        # lost the end, no MT stopped (a stray word left by a collapsed loop is no such end).
        return None
    if not tail or len(tail) < TAIL_SHARE * n_ru:
        return None
    return tail


def tail_cause(after: Sequence[str]) -> str | None:
    """Why a missing tail has no English, from the languages of the English side's segments
    left out of the alignment after its last pair: the MT left them in Russian (or gave them
    in another language); None when none is (the MT stopped, as far as can be told).

    >>> tail_cause(["ru"]), tail_cause(["en", "uk"]), tail_cause(["en"])
    ('left in Russian by the MT', "given in 'uk' by the MT, not English", None)
    """
    if "ru" in after:
        return "left in Russian by the MT"
    other = next((lang for lang in after if lang not in _ENGLISH), None)
    return None if other is None else f"given in {other!r} by the MT, not English"


def tail_note(
    tail: range, n_ru: int, appended: bool, cut: bool = False, cause: str | None = None
) -> str:
    """The ``mt-incomplete`` warning of a document whose English stops at ``tail`` (``cut``:
    mid-sentence, in the English of its first Russian sentence; ``cause``: :func:`tail_cause`).

    >>> tail_note(range(3, 6), 6, False).split(": ", 1)[1][:72]
    'the English stops after Russian sentence 3: the last 3 of 6 Russian sent'
    >>> tail_note(range(3, 6), 6, True, cut=True).split(": ", 1)[1][:53]
    'the English stops mid-sentence at Russian sentence 4:'
    >>> tail_note(range(3, 6), 6, False, cause="left in Russian by the MT")[-27:]
    '(left in Russian by the MT)'
    >>> tail_note(range(3, 6), 6, True, cause="given in 'uk' by the MT, not English")[-42:]
    'English: their retranslation in its place)'
    """
    what = "the MT stopped halfway?" if cause is None else cause
    if appended and cut:
        what = "their retranslation in place of the cut English"
    elif appended and cause is not None and not cause.startswith("left in Russian"):
        what = f"{cause}: their retranslation in its place"
    elif appended:
        what = "their retranslation appended"
    where = (
        f"stops mid-sentence at Russian sentence {tail.start + 1}"
        if cut
        else f"stops after Russian sentence {tail.start}"
    )
    have = "have no whole English" if cut else "have no English"
    return (
        f"{MT_INCOMPLETE}: the English {where}: the last {len(tail)} of {n_ru} Russian "
        f"sentences {have} ({what})"
    )


NOT_RETRANSLATED = "not-retranslated"


def _head(text: str) -> str:
    """A segment's first 30 characters, cut at a word, for a warning to quote."""
    return text if len(text) <= 30 else text[:30].rsplit(" ", 1)[0] + " …"


MT_OTHER_LANGUAGE = "mt-other-language"


def not_retranslated_note(k: int, lang: str, text: str, retranslating: bool = True) -> str:
    """The warning for English segment ``k`` (1-based), Cyrillic of another language than
    Russian (``lang``: :func:`cleaners.lid.other_cyrillic`). Retranslating, the ru→en model
    is never given it (it made garbage English of it), so it stays as it is, flagged
    (``not-retranslated``). Not retranslating, the document still says that its MT holds
    a paragraph in another language (``mt-other-language``), as ``mt-untranslated`` says a
    Russian one: a segment flag alone went unseen.

    >>> not_retranslated_note(2, "uk", "Мер підтримав туризм у Баку. Губернатор учора приїхав.")
    "not-retranslated: English segment 2 is Cyrillic but not Russian ('uk': 'Мер підтримав \
туризм у Баку. …'); kept as it is"
    >>> not_retranslated_note(3, "bg", "Кметът заяви.", retranslating=False)
    "mt-other-language: English segment 3 is Cyrillic but not Russian ('bg': 'Кметът \
заяви.'); the MT gave no English there"
    """
    name, then = (
        (NOT_RETRANSLATED, "kept as it is")
        if retranslating
        else (MT_OTHER_LANGUAGE, "the MT gave no English there")
    )
    return (
        f"{name}: English segment {k} is Cyrillic but not Russian ({lang!r}: {_head(text)!r}); "
        f"{then}"
    )


SOURCE_OTHER_LANGUAGE = "source-other-language"


def source_other_language_note(k: int, lang: str, text: str) -> str:
    """The warning for Russian segment ``k`` (1-based) in Cyrillic of another language
    (``lang``): left out of the alignment and never retranslated, so none of it reaches the
    corpus; said on the document, as ``mt-other-language`` says it of the MT, for a segment
    flag alone goes unseen.

    >>> source_other_language_note(2, "bg", "Кметът на града заяви, че туризмът расте.")
    "source-other-language: Russian segment 2 is Cyrillic but not Russian ('bg': 'Кметът на \
града заяви, че …'); left out of the alignment"
    """
    return (
        f"{SOURCE_OTHER_LANGUAGE}: Russian segment {k} is Cyrillic but not Russian "
        f"({lang!r}: {_head(text)!r}); left out of the alignment"
    )


MT_UNTRANSLATED = "mt-untranslated"

# What makes English MT text a sentence left in Russian: nearly all its letters Cyrillic (a
# Russian name or a short quote in an English sentence leaves a good share Latin), and a few
# Cyrillic words (a name alone, a dateline word, is no sentence; the fill-in of fragments and
# the segment's `untranslated` flag are for those).
RUSSIAN_SHARE = 0.9
RUSSIAN_MIN_WORDS = 3


def russian_sentence(text: str) -> bool:
    """Whether ``text`` (a sentence or a paragraph of the English MT) is Russian the MT left
    untranslated: :data:`RUSSIAN_SHARE` of its letters Cyrillic, :data:`RUSSIAN_MIN_WORDS`
    Cyrillic words, and not the Cyrillic of another language (Ukrainian, Bulgarian:
    :func:`cleaners.lid.other_cyrillic`; ``mt-other-language`` or ``not-retranslated``).

    >>> russian_sentence("Мэр поддержал туризм в Баку."), russian_sentence("He met Сергей.")
    (True, False)
    """
    cyr, lat = letter_counts(text)
    if cyr < RUSSIAN_SHARE * (cyr + lat) or cyr == 0:
        return False
    words = sum(1 for w in text.split() if letter_counts(w)[0])
    return words >= RUSSIAN_MIN_WORDS and not lid.other_cyrillic(text)


def untranslated_note(found: Sequence[tuple[int, int, bool]]) -> str:
    """The ``mt-untranslated`` warning for Russian left in the English MT: ``found`` holds,
    per English segment, its number (1-based), how many of its sentences are Russian, and
    whether it is Russian whole (a paragraph left untranslated).

    >>> untranslated_note([(3, 2, True)])
    'mt-untranslated: the English MT left 2 sentences in Russian: 1 whole paragraph (English \
segment 3)'
    """

    def plural(n: int, word: str) -> str:
        return f"{n} {word}" + ("" if n == 1 else "s")

    def where(ks: list[int]) -> str:
        shown = ", ".join(str(k) for k in ks[:_SHOWN]) + (", …" if len(ks) > _SHOWN else "")
        return f"(English {'segment' if len(ks) == 1 else 'segments'} {shown})"

    whole = [k for k, _, w in found if w]
    inside = [k for k, _, w in found if not w]
    parts = []
    if whole:
        parts.append(f"{plural(len(whole), 'whole paragraph')} {where(whole)}")
    if inside:
        n = sum(m for _, m, w in found if not w)
        parts.append(f"{plural(n, 'sentence')} inside English paragraphs {where(inside)}")
    total = sum(m for _, m, _ in found)
    return (
        f"{MT_UNTRANSLATED}: the English MT left {plural(total, 'sentence')} in Russian: "
        + "; ".join(parts)
    )


_SHOWN = 5  # segment numbers named in the warning (a long document's list is cut)
