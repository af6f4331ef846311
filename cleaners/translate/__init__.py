"""Offline ru→en retranslation with an Argos Translate package, never touching the network.

We only borrow Argos's package format and its installer: Argos's own ``translate()``
splits text into sentences first, and every splitter it has (MiniSBD, Stanza, spaCy)
tries to download a model on first use. The caller here already hands us single
sentences, so the default backend runs the package's CTranslate2 model and SentencePiece
model directly, batched (``backend="ctranslate2"``). ``backend="argos"`` goes through
Argos's lower-level ``apply_packaged_translation`` with the splitter replaced by an
identity, one sentence per call; ``bench/translate.py`` compares them.

The rooms:

- :mod:`~cleaners.translate.packages`: finding a package, installing an ``.argosmodel``;
- :mod:`~cleaners.translate.cache`: the in-memory LRU and the SQLite file, keyed by a hash
  of the package fingerprint, the decoding settings and the sentence;
- :mod:`~cleaners.translate.backends`: the two ways to run the model;
- :mod:`~cleaners.translate.retranslator`: :class:`Retranslator`, the cached translator
  wrapping a backend (batching, counters);
- :mod:`~cleaners.translate.factory`: the one place a translator is built from a
  :class:`~cleaners.config.TranslateConfig`.

Heavy imports (ctranslate2, sentencepiece, argostranslate: ~2 s and ~360 MB for the
latter) happen lazily, only when a :class:`Retranslator` is built. Decoding is beam
search without sampling, so a sentence always gets the same translation.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from cleaners.translate.backends import TranslateStats
from cleaners.translate.cache import normalize_sentence, sentence_key
from cleaners.translate.factory import build_translator, shared_translator, unavailable_reason
from cleaners.translate.packages import (
    ENV_PACKAGE,
    INSTALL_HINT,
    PackageInfo,
    PackageNotFound,
    TranslatorUnavailable,
    argos_packages_dir,
    default_packages_dir,
    find_installed,
    given_package,
    install_package,
    locate_package,
    read_package,
)
from cleaners.translate.retranslator import Retranslator


class Translator(Protocol):
    """What the pipeline and the repair's fill-in ask of a translator: ru→en, one
    output per input sentence, in order (:class:`Retranslator` is the one we ship)."""

    def translate(self, sentences: Sequence[str]) -> list[str]: ...


__all__ = [
    "ENV_PACKAGE",
    "INSTALL_HINT",
    "PackageInfo",
    "PackageNotFound",
    "Retranslator",
    "TranslateStats",
    "Translator",
    "TranslatorUnavailable",
    "argos_packages_dir",
    "build_translator",
    "default_packages_dir",
    "find_installed",
    "given_package",
    "install_package",
    "locate_package",
    "normalize_sentence",
    "read_package",
    "sentence_key",
    "shared_translator",
    "unavailable_reason",
]
