"""The two ways a package's model runs: CTranslate2 + SentencePiece directly, batched
(``ctranslate2``, the default), or Argos's ``apply_packaged_translation`` with its sentence
splitter replaced by an identity, one sentence per call (``argos``).

Both decode with beam search and no sampling, so a sentence always gets the same
translation. Heavy imports (ctranslate2, sentencepiece, argostranslate: ~2 s and ~360 MB
for the latter) happen when a backend is built.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cleaners.translate.packages import (
    INSTALL_EXTRA,
    PackageInfo,
    TranslatorUnavailable,
    _argos_settings,
)


@dataclass(slots=True)
class TranslateStats:
    """Counters a run report can show."""

    requested: int = 0
    memory_hits: int = 0
    disk_hits: int = 0
    translated: int = 0
    batches: int = 0
    failed: int = 0


class _WholeText:
    """An Argos sentencizer that does not split: we pass single sentences already."""

    def split_sentences(self, text: str) -> list[str]:
        return [text]


class CTranslate2Backend:
    """The package's CTranslate2 model and SentencePiece model, run directly in batches."""

    name = "ctranslate2"

    def __init__(
        self,
        package: PackageInfo,
        stats: TranslateStats,
        *,
        threads: int = 1,
        beam_size: int = 4,
        batch_size: int = 32,
        max_input_tokens: int = 1024,
        max_output_tokens: int = 256,
        compute_type: str = "default",
    ) -> None:
        self.package = package
        self.stats = stats
        self.threads = threads
        self.beam_size = beam_size
        self.batch_size = batch_size
        # Longer input is truncated (CTranslate2's own default); output is capped so a
        # degenerate repetition cannot run on.
        self.max_input_tokens = max_input_tokens
        self.max_output_tokens = max_output_tokens
        self.compute_type = compute_type
        # What the cache key says about decoding: a change gives new translations.
        self.settings = f"{self.name};beam={beam_size};out={max_output_tokens};{compute_type}"
        self.translator: Any = None
        self.sp: Any = None
        self.target_prefix = ""
        self._load()

    def _load(self) -> None:
        try:
            import ctranslate2
            import sentencepiece
        except ImportError as exc:
            raise TranslatorUnavailable(
                f"retranslation needs ctranslate2 and sentencepiece ({exc}): {INSTALL_EXTRA}"
            ) from exc
        meta = json.loads((self.package.path / "metadata.json").read_text(encoding="utf-8"))
        self.target_prefix = str(meta.get("target_prefix", ""))
        try:
            # intra_threads=1: CTranslate2's default thread count is ~50x slower on small
            # shared machines (see STACK.md).
            self.translator = ctranslate2.Translator(
                str(self.package.path / "model"),
                device="cpu",
                inter_threads=1,
                intra_threads=self.threads,
                compute_type=self.compute_type,
            )
            self.sp = sentencepiece.SentencePieceProcessor(
                model_file=str(self.package.path / "sentencepiece.model")
            )
        except (RuntimeError, OSError, ValueError) as exc:
            raise TranslatorUnavailable(
                f"{self.package.path}: cannot load the model ({exc})"
            ) from exc

    def run(self, texts: list[str]) -> list[str | None]:
        """Translations of ``texts``; None where the model failed on a sentence."""
        # Sort by length so a batch pads little; restore the order afterwards.
        order = sorted(range(len(texts)), key=lambda i: (len(texts[i]), i))
        out: list[str | None] = [None] * len(texts)
        for start in range(0, len(order), self.batch_size):
            idx = order[start : start + self.batch_size]
            batch = [texts[i] for i in idx]
            try:
                done: list[str | None] = list(self._run_batch(batch))
            except RuntimeError:
                # One sentence too long for the model's positions must not cost the batch.
                done = [self._guarded(lambda t: self._run_batch([t])[0], t) for t in batch]
            for i, value in zip(idx, done, strict=True):
                out[i] = value
        return out

    def _guarded(self, fn: Callable[[str], str], text: str) -> str | None:
        try:
            return fn(text)
        except RuntimeError:
            self.stats.failed += 1
            return None

    def _run_batch(self, batch: list[str]) -> list[str]:
        tokens = self.sp.encode(batch, out_type=str)
        prefix = [[self.target_prefix]] * len(batch) if self.target_prefix else None
        self.stats.batches += 1
        results = self.translator.translate_batch(
            tokens,
            target_prefix=prefix,
            beam_size=self.beam_size,
            num_hypotheses=1,
            replace_unknowns=True,
            length_penalty=0.2,  # Argos's setting, so both backends agree
            max_batch_size=self.batch_size,
            max_input_length=self.max_input_tokens,
            max_decoding_length=self.max_output_tokens,
        )
        return [self._decode(r.hypotheses[0]) for r in results]

    def _decode(self, pieces: list[str]) -> str:
        if self.target_prefix and pieces and pieces[0] == self.target_prefix:
            pieces = pieces[1:]
        # Unlike Argos we keep "_" (Argos turns every underscore in the output into a space).
        return self.sp.decode_pieces(pieces).replace("\u2581", " ").strip()


class ArgosBackend(CTranslate2Backend):
    """Argos's lower-level ``apply_packaged_translation``, one sentence per call, with the
    sentence splitter (which would download a model) replaced by an identity."""

    name = "argos"

    def _load(self) -> None:
        super()._load()
        with _argos_settings(self.package.path.parent, self.threads, self.beam_size):
            from argostranslate import settings as argos_settings
            from argostranslate import translate as _  # noqa: F401  (settings read here)
            from argostranslate.package import Package
        self._argos_pkg = Package(self.package.path)
        # Argos takes its beam from settings fixed at its first import in this process.
        self.settings = f"argos;beam={argos_settings.beam_size};{self.compute_type}"

    def run(self, texts: list[str]) -> list[str | None]:
        return [self._guarded(self._run_one, t) for t in texts]

    def _run_one(self, text: str) -> str:
        from argostranslate.translate import apply_packaged_translation

        self.stats.batches += 1
        hyps = apply_packaged_translation(
            self._argos_pkg, text, self.translator, _WholeText(), num_hypotheses=1
        )
        return hyps[0].value.strip()


BACKENDS: dict[str, type[CTranslate2Backend]] = {
    CTranslate2Backend.name: CTranslate2Backend,
    ArgosBackend.name: ArgosBackend,
}
