"""Which language's repair rules a bare text gets when nobody says (``mtclean clean``).

A letter count, not :mod:`cleaners.lid`: importing the detectors (~100 ms) would cost
``mtclean clean`` more start-up than the whole repair of a short text, and repair only needs
to know whether the text is Russian or English MT.
"""

from __future__ import annotations

import re

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z]")


def guess_lang(text: str) -> str:
    """``"ru"`` when Cyrillic letters outnumber Latin ones, else ``"en"``.

    >>> guess_lang("Президент прибыл"), guess_lang("The president (Президент) arrived")
    ('ru', 'en')
    >>> guess_lang("")
    'en'
    """
    if text.isascii():
        return "en"  # no Cyrillic letter at all: the common case of English MT, one C call
    return "ru" if len(_CYRILLIC.findall(text)) > len(_LATIN.findall(text)) else "en"
