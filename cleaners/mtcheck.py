"""When a document's English MT failed as a whole: the side in the English slot is no English.

An MT export can hold the Russian source copied unchanged (the engine did nothing), the source
mostly left untranslated, or a translation into another language (Ukrainian, German). Such a
side is not the document's English: written to ``text/<id>.en.txt`` it would pass for the
repaired English, and its segments would only ever leave the alignment one by one. The
pipeline keeps it as the document's ``mt`` (for review), gives the document no English, says
why in an ``mt-failed`` warning, and a retranslation mode that fills missing English
(``missing``, ``replace``, ``all``) gives the retranslation instead.
"""

from __future__ import annotations

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
