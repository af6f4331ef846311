"""The one place a translator is built from a :class:`TranslateConfig`: the CLI's
``align --retranslate`` and the flow's batches both ask here."""

from __future__ import annotations

import threading
from pathlib import Path

from cleaners.config import TranslateConfig
from cleaners.translate.packages import TranslatorUnavailable
from cleaners.translate.retranslator import Retranslator

# One Retranslator per process and config (thread pool: shared; process pool / Dask
# worker: one each), and why a config could not be built here.
_shared: dict[str, Retranslator] = {}
_unavailable: dict[str, str] = {}
_lock = threading.Lock()


def build_translator(cfg: TranslateConfig, package_path: str | Path | None = None) -> Retranslator:
    """A new :class:`Retranslator` for ``cfg`` (``package_path``, when given, overrides
    ``cfg.package_path``). Raises :class:`TranslatorUnavailable` with a one-line how-to."""
    if package_path:
        cfg = cfg.model_copy(update={"package_path": str(Path(package_path).resolve())})
    return Retranslator.from_config(cfg)


def shared_translator(cfg: TranslateConfig) -> Retranslator | None:
    """The process's Retranslator for ``cfg``, or ``None`` when it cannot be built here
    (:func:`unavailable_reason` says why; a failure is not retried in this process)."""
    key = cfg.model_dump_json()
    with _lock:
        if key not in _shared and key not in _unavailable:
            try:
                _shared[key] = build_translator(cfg)
            except TranslatorUnavailable as exc:
                _unavailable[key] = str(exc)
        return _shared.get(key)


def unavailable_reason(cfg: TranslateConfig) -> str | None:
    """Why :func:`shared_translator` gave ``None`` for ``cfg`` (None if it did not)."""
    return _unavailable.get(cfg.model_dump_json())
