"""The pipeline configuration: one typed model, unknown keys rejected.

Each stage owns one section. ``PipelineConfig`` is also the Prefect flow's
parameter type, so the Prefect UI renders it as a form. ``config_hash`` feeds
the manifest: a changed config means documents are processed again.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class InputConfig(_Strict):
    """Reading and decoding inputs."""

    max_bytes: int = Field(
        50_000_000, description="Files larger than this are quarantined unread (bytes)."
    )
    follow_symlinks: bool = Field(
        False, description="Follow symlinks that point outside the input folder (unsafe)."
    )


class RepairConfig(_Strict):
    """Repair engine: which rules run and with what parameters."""

    enabled: bool = Field(True, description="Run the repair engine at all.")
    disable: list[str] = Field(default_factory=list, description="Rule names to switch off.")
    params: dict[str, dict[str, Any]] = Field(
        default_factory=dict, description="Per-rule parameter overrides: {rule: {param: value}}."
    )
    glossary: list[str] = Field(
        default_factory=list, description="Extra glossary files (TSV) beside the bundled one."
    )
    max_passes: int = Field(4, ge=1, le=20, description="Fixpoint cap for rule passes.")


class LidConfig(_Strict):
    """Language identification."""

    backend: Literal["auto", "langdetect"] = Field(
        "auto", description="'auto' = script analysis + statistical model; 'langdetect' = seeded langdetect only."
    )
    seed: int = Field(0, description="Seed for langdetect (its default is random).")
    on_wrong_side: Literal["swap", "quarantine", "keep"] = Field(
        "swap", description="What to do when the 'ru' file is English and the 'en' file Russian."
    )


class AlignConfig(_Strict):
    """Sentence alignment."""

    min_score: float = Field(
        0.0, description="Beads scoring below this are kept in docs/ but left out of the corpus."
    )
    include_comments: bool = Field(True, description="Align reader comments too (ru/en only).")


class TranslateConfig(_Strict):
    """Offline retranslation of the Russian source (Argos Translate)."""

    enabled: bool = Field(False, description="Retranslate ru→en offline (needs the 'translate' extra).")
    package_path: str | None = Field(
        None, description="A local .argosmodel file or an installed package folder (else $MTCLEAN_ARGOS_PACKAGE)."
    )
    batch_size: int = Field(32, ge=1, description="Sentences per translation call.")
    threads: int = Field(1, ge=1, description="CTranslate2 intra threads (1 is fastest on small machines).")


class RunConfig(_Strict):
    """How the flow schedules work (never changes the corpus content)."""

    batch_size: int = Field(200, ge=1, description="Documents per task run.")
    max_workers: int = Field(2, ge=1, description="Concurrent batches on one machine.")
    dask: bool = Field(False, description="Run batches on Prefect's Dask task runner.")
    dask_address: str | None = Field(
        None, description="A Dask scheduler address; empty = a LocalCluster."
    )


class PipelineConfig(_Strict):
    """Everything a run needs besides its input and output folders."""

    input: InputConfig = Field(default_factory=InputConfig)
    repair: RepairConfig = Field(default_factory=RepairConfig)
    lid: LidConfig = Field(default_factory=LidConfig)
    align: AlignConfig = Field(default_factory=AlignConfig)
    translate: TranslateConfig = Field(default_factory=TranslateConfig)
    run: RunConfig = Field(default_factory=RunConfig)

    def content_hash(self) -> str:
        """Hash of the settings that change corpus content (``run`` excluded)."""
        data = self.model_dump(mode="json", exclude={"run"})
        blob = json.dumps(data, sort_keys=True, ensure_ascii=False).encode()
        return hashlib.sha256(blob).hexdigest()


def load_config(path: str | Path | None) -> PipelineConfig:
    """Read a YAML or JSON config file strictly (safe loader, unknown keys rejected)."""
    if path is None:
        return PipelineConfig()
    text = Path(path).read_text(encoding="utf-8")
    data = yaml.safe_load(text) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: config must be a mapping, got {type(data).__name__}")
    return PipelineConfig.model_validate(data)
