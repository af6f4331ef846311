"""The cached translator: caches and counters around one backend."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

from cleaners.config import TranslateConfig
from cleaners.translate.backends import BACKENDS, TranslateStats
from cleaners.translate.cache import DiskCache, MemoryCache, normalize_sentence, sentence_key
from cleaners.translate.packages import PackageInfo, locate_package


class Retranslator:
    """Translates Russian sentences to English with one Argos package, offline.

    Build it with :meth:`from_config` (or ``cleaners.translate.build_translator``); it is
    safe to keep one per process and reuse it.
    """

    def __init__(
        self,
        package: PackageInfo,
        *,
        backend: str = "ctranslate2",
        threads: int = 1,
        beam_size: int = 4,
        batch_size: int = 32,
        cache_size: int = 50_000,
        cache_dir: Path | None = None,
        max_input_tokens: int = 1024,
        max_output_tokens: int = 256,
        compute_type: str = "default",
    ) -> None:
        if backend not in BACKENDS:
            raise ValueError(f"unknown retranslation backend {backend!r}")
        self.package = package
        self.backend = backend
        self.batch_size = batch_size
        self.stats = TranslateStats()
        self._fingerprint = package.fingerprint
        self._memory = MemoryCache(cache_size)
        self._disk = DiskCache(cache_dir) if cache_dir else None
        self._lock = threading.Lock()  # CTranslate2 is thread-safe; our caches are not
        self.engine = BACKENDS[backend](
            package,
            self.stats,
            threads=threads,
            beam_size=beam_size,
            batch_size=batch_size,
            max_input_tokens=max_input_tokens,
            max_output_tokens=max_output_tokens,
            compute_type=compute_type,
        )
        self._settings = self.engine.settings

    @classmethod
    def from_config(cls, cfg: TranslateConfig) -> Retranslator:
        """Locate (and if needed install) the package and load its model.

        Raises :class:`TranslatorUnavailable` with a one-line how-to when no package or
        no translation library is available.
        """
        package = locate_package(cfg)
        return cls(
            package,
            backend=cfg.backend,
            threads=cfg.threads,
            beam_size=cfg.beam_size,
            batch_size=cfg.batch_size,
            cache_size=cfg.cache_size,
            cache_dir=Path(cfg.cache_dir) if cfg.cache_dir else None,
            compute_type=cfg.compute_type,
        )

    def close(self) -> None:
        """Release the disk cache handle (the model is freed with the object)."""
        if self._disk is not None:
            self._disk.close()
            self._disk = None

    def translate(self, sentences: Sequence[str]) -> list[str]:
        """Translate single sentences; returns one English string per input, same order.

        Whitespace is normalized first; blank input gives ``""``. Repeated sentences are
        translated once, cached ones not at all. A sentence the model cannot take (e.g.
        longer than its position table) gives ``""`` and counts in ``stats.failed``.
        """
        normalized = [normalize_sentence(s) for s in sentences]
        keys = [sentence_key(self._fingerprint, self._settings, s) for s in normalized]
        with self._lock:
            self.stats.requested += len(sentences)
            result: dict[str, str] = {}
            todo: dict[str, str] = {}  # key -> sentence, first occurrence order
            for key, text in zip(keys, normalized, strict=True):
                if not text:
                    result[key] = ""
                    continue
                if key in result or key in todo:
                    continue
                hit = self._memory.get(key)
                if hit is not None:
                    self.stats.memory_hits += 1
                    result[key] = hit
                else:
                    todo[key] = text
            if todo and self._disk is not None:
                for key, value in self._disk.get_many(list(todo)).items():
                    self.stats.disk_hits += 1
                    result[key] = value
                    self._memory.put(key, value)
                    del todo[key]
            if todo:
                done = dict(zip(todo, self.engine.run(list(todo.values())), strict=True))
                # A failed sentence reads as "" this time and is not cached.
                fresh = {k: v for k, v in done.items() if v is not None}
                self.stats.translated += len(fresh)
                for key, value in fresh.items():
                    self._memory.put(key, value)
                if self._disk is not None and fresh:
                    self._disk.put_many(fresh)
                result.update({k: v or "" for k, v in done.items()})
        return [result[k] for k in keys]
