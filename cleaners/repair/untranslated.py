"""Untranslated fragments: Cyrillic left inside English MT, flagged and, given a
translator, filled in by its retranslation (rule ``fill_untranslated``)."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from cleaners.edit import Edit
from cleaners.langev import CYRILLIC_BASIC
from cleaners.lazyre import lazy_compile
from cleaners.repair.engine import rule

if TYPE_CHECKING:
    from cleaners.translate import Translator

_NEWLINE = lazy_compile(r"\n")
_CYR_RUN = lazy_compile(rf"[{CYRILLIC_BASIC}]+(?:[\s\-'’.,:;«»\"]+[{CYRILLIC_BASIC}]+)*")


def mostly_cyrillic(text: str) -> bool:
    """Whether at least half of a text's letters are Cyrillic: an "English" MT so is the
    Russian left untranslated (or another Cyrillic language), no English with fragments to
    fill; the rules below, and ``mtclean filter``'s fill of a pair's English, part there.

    >>> mostly_cyrillic("Он сказал спасибо and left."), mostly_cyrillic("He said Спасибо and left.")
    (True, False)
    """
    from cleaners import lid  # only when a translator is given: off the start-up path

    return lid.script_shares(text).get("Cyrl", 0.0) >= 0.5


def untranslated_spans(text: str) -> list[tuple[int, int]]:
    """Spans of Cyrillic words (runs joined across spaces and punctuation).

    >>> untranslated_spans("He said Спасибо большое and left.")
    [(8, 23)]
    >>> untranslated_spans("All English here.")
    []
    """
    return [(m.start(), m.end()) for m in _CYR_RUN.finditer(text)]


@rule(
    "fill_untranslated",
    stage=100,
    langs=("en",),
    non_ascii=True,
    precheck=r"[\u0400-\u04FF]",
    uses_translator=True,
    risk="a Russian quote kept on purpose is translated too (translate.fill_untranslated: "
    "false, or disable the rule, keeps it)",
)
def fill_untranslated(
    text: str, lang: str, params: Mapping[str, Any], translator: Translator
) -> list[Edit]:
    """Replace Cyrillic fragments left in English MT by their retranslation.

    Runs once, after the other rules, on the repaired text (it needs the translator:
    ``mtclean run`` with ``translate.enabled``). A fragment the model cannot translate
    (empty output) is left as it is, still flagged ``untranslated``; a mostly Cyrillic
    "English" text is a file in the wrong slot, left for the side check to see as it is.

    >>> from cleaners.translit import transliterate
    >>> class Transliterator:  # a translator by the letter, for the example
    ...     def translate(self, sentences): return [transliterate(s) for s in sentences]
    >>> fill_untranslated("He said Спасибо and left.", "en", {}, Transliterator())
    [Edit(rule='fill_untranslated', start=8, end=15, before='Спасибо', after='Spasibo')]
    >>> fill_untranslated("Он сказал спасибо and left.", "en", {}, Transliterator())
    []
    >>> fill_untranslated("He spoke.\\nМер підтримав туризм у Баку.", "en", {}, Transliterator())
    []

    A model translates a fragment as a sentence, with an end mark of its own; the fragment
    (Cyrillic letters first and last) never holds the mark that follows it, which stays in
    the text: the translation's is dropped (``Kyiv.`` + ``.`` was ``Kyiv..``).

    >>> class Sentences:  # a model's way: a capital and a full stop
    ...     def translate(self, sentences):
    ...         return [transliterate(s).capitalize() + "." for s in sentences]
    >>> text = "He said Спасибо to all of them, and then Мэр приехал?"
    >>> [e.after for e in fill_untranslated(text, "en", {}, Sentences())]
    ['Spasibo', 'Mer priekhal']
    """
    if mostly_cyrillic(text):
        return []
    # Only Russian goes to the ru→en model: a paragraph in Ukrainian came out as garbage
    # English. A fragment is judged by its line's Cyrillic (a fragment may hold no letter
    # that tells); one in another language stays, still flagged ``untranslated``.
    lines = _Lines(text)
    spans = [(s, e) for s, e in untranslated_spans(text) if not lines.not_russian(s)]
    if not spans:
        return []
    fragments = [text[s:e] for s, e in spans]
    out: list[Edit] = []
    for (s, e), frag, tr in zip(spans, fragments, translator.translate(fragments), strict=True):
        after = tr.strip().rstrip(_END_MARKS).rstrip()
        if after:
            out.append(Edit("fill_untranslated", s, e, frag, after))
    return out


_END_MARKS = ".!?…"  # what ends a translated sentence; the text's own mark follows the span


class _Lines:
    """The lines of a text, each judged once whether its Cyrillic is another language's
    (:func:`cleaners.lid.other_cyrillic`): a multi-MB line with many fragments is looked at
    once, not once a fragment.

    >>> lines = _Lines("He spoke.\\nМер підтримав туризм у Баку.\\nHe said Спасибо.")
    >>> lines.not_russian(10), lines.not_russian(47)
    (True, False)
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._starts = [0, *(m.end() for m in _NEWLINE.finditer(text))]
        self._judged: dict[int, bool] = {}

    def not_russian(self, offset: int) -> bool:
        """Whether the line holding ``offset`` is Cyrillic of another language."""
        from cleaners import lid  # (imported already by fill_untranslated, its one user)

        k = bisect_right(self._starts, offset) - 1
        if k not in self._judged:
            end = self._starts[k + 1] if k + 1 < len(self._starts) else len(self._text)
            self._judged[k] = bool(lid.other_cyrillic(self._text[self._starts[k] : end]))
        return self._judged[k]


@rule(
    "replace_with_retranslation",
    stage=110,
    langs=("en",),
    uses_translator=True,
    per_document=True,
    risk="with translate.mode: replace, MT that a weak Argos model judges wrong is replaced by "
    "a worse retranslation (raise or lower translate.replace_below, or disable the rule)",
)
def replace_with_retranslation(
    text: str, lang: str, params: Mapping[str, Any], translator: Translator
) -> list[Edit]:
    """Replace an English segment whose MT failed by its retranslation (mode ``replace``).

    Applied per document once it is aligned (``cleaners.pipeline.replace_failed_segments``):
    a segment with no letters, or whose chrF agreement with the retranslation of its aligned
    Russian is below ``translate.replace_below``, takes that retranslation. This function is
    the case the segment alone decides: a segment left in Russian (mostly Cyrillic) is
    replaced by the translation of its own sentences, as one edit.

    >>> from cleaners.translit import transliterate
    >>> class Transliterator:  # a translator by the letter, for the example
    ...     def translate(self, sentences): return [transliterate(s) for s in sentences]
    >>> replace_with_retranslation("Спасибо. Пока!", "en", {}, Transliterator())
    [Edit(rule='replace_with_retranslation', start=0, end=14, before='Спасибо. Пока!', \
after='Spasibo. Poka!')]
    >>> replace_with_retranslation("He said Спасибо to all of them.", "en", {}, Transliterator())
    []
    """
    from cleaners import lid  # only when a translator is given: off the start-up path
    from cleaners.sentences import split_sentences

    if not text.strip() or not mostly_cyrillic(text):
        return []
    if lid.other_cyrillic(text):
        return []  # Ukrainian, Bulgarian…: the ru→en model would make garbage English of it
    out = translator.translate(split_sentences(text, "ru"))
    after = " ".join(t.strip() for t in out if t.strip())
    if not after:
        return []
    return [Edit("replace_with_retranslation", 0, len(text), text, after)]
