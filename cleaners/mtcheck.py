"""When a document's English MT failed as a whole: the side in the English slot is no English.

An MT export can hold the Russian source copied unchanged (the engine did nothing), the source
mostly left untranslated, or a translation into another language (Ukrainian, German). Such a
side is not the document's English: written to ``text/<id>.en.txt`` it would pass for the
repaired English, and its segments would only ever leave the alignment one by one. The
pipeline keeps it as the document's ``mt`` (for review), gives the document no English, says
why in an ``mt-failed`` warning, and a retranslation mode that fills missing English
(``missing``, ``replace``, ``all``) gives the retranslation instead.

An MT can also stop halfway (cut off, or looping until it was cut): the English then covers
the start of the Russian only. :func:`missing_tail` finds the Russian left without English at
the end; the pipeline says so (``mt-incomplete``) and, in ``replace`` mode, appends its
retranslation.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

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


def missing_tail(beads: Sequence[Bead], n_ru: int) -> range | None:
    """The Russian sentences at the end of a document that have no English, the signature of
    an MT that stopped halfway (cut off, or looping and then collapsed): every sentence after
    the last bead with both sides, when they are at least :data:`TAIL_SHARE` of the Russian.
    None when the English covers the end, or covers nothing (then no part of it is English:
    ``not-parallel`` or ``mt-failed`` says so).

    >>> from cleaners.model import Bead
    >>> missing_tail([Bead((0,), (0,), 1.0), Bead((1,), (), 0.0), Bead((2,), (), 0.0)], 3)
    range(1, 3)
    >>> missing_tail([Bead((0,), (0,), 1.0), Bead((1, 2), (1,), 1.0)], 3) is None
    True
    """
    last = max((max(b.ru) for b in beads if b.ru and b.en), default=None)
    if last is None or n_ru == 0:
        return None
    tail = range(last + 1, n_ru)
    if not tail or len(tail) < TAIL_SHARE * n_ru:
        return None
    return tail


def tail_note(tail: range, n_ru: int, appended: bool) -> str:
    """The ``mt-incomplete`` warning of a document whose English stops at ``tail``.

    >>> tail_note(range(3, 6), 6, False).split(": ", 1)[1][:72]
    'the English stops after Russian sentence 3: the last 3 of 6 Russian sent'
    """
    what = "their retranslation appended" if appended else "the MT stopped halfway?"
    return (
        f"{MT_INCOMPLETE}: the English stops after Russian sentence {tail.start}: the last "
        f"{len(tail)} of {n_ru} Russian sentences have no English ({what})"
    )
