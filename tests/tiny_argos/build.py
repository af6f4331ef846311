"""Build a tiny but real Argos Translate ru→en package for tests and benches (~20 s on CPU).

Recipe (../shared/STACK.md): a SentencePiece model (shared ru+en vocabulary) and a
transformers ``MarianMTModel`` (d_model 64, 2+2 layers) trained on templated sentence pairs
this script writes itself, converted with CTranslate2's transformers converter, with
``"add_source_eos": true`` set in the converted config (Argos does not append ``</s>``),
zipped with ``metadata.json`` into ``translate-ru_en-tiny.argosmodel``.

The result is cached under ``<repo>/.cache/tiny-argos/<hash of this file>/``; a changed
script builds a new package. Translation quality is irrelevant: tests exercise the real
install → load → batch → decode path. Run it directly to (re)build and print the path::

    .venv/bin/python tests/tiny_argos/build.py

Imports of torch/transformers happen only when a build is needed, and :func:`ensure_package`
runs the build in a subprocess, so a test process that finds the cache stays light.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve()
REPO = HERE.parents[2]
CACHE_ROOT = REPO / ".cache" / "tiny-argos"
PACKAGE_NAME = "translate-ru_en-tiny"
ARCHIVE_NAME = PACKAGE_NAME + ".argosmodel"

# ---------------------------------------------------------------- training data

# (Russian form, English form); Russian forms are already in the case the template needs.
_WHO = [
    ("Президент", "The president"),
    ("Министр", "The minister"),
    ("Посол", "The ambassador"),
    ("Губернатор", "The governor"),
    ("Мэр", "The mayor"),
]
_WHO_OBJ = [
    ("президентом", "the president"),
    ("министром", "the minister"),
    ("послом", "the ambassador"),
    ("журналистами", "journalists"),
    ("экспертами", "experts"),
]
_CITY_IN = [
    ("в Москве", "in Moscow"),
    ("в Астане", "in Astana"),
    ("в Киеве", "in Kyiv"),
    ("в Берлине", "in Berlin"),
    ("в Баку", "in Baku"),
    ("в Пекине", "in Beijing"),
]
_WHEN = [
    ("сегодня", "today"),
    ("вчера", "yesterday"),
    ("в понедельник", "on Monday"),
    ("в пятницу", "on Friday"),
]
_THING = [
    ("торговлю", "trade"),
    ("экономику", "the economy"),
    ("безопасность", "security"),
    ("энергетику", "energy"),
    ("туризм", "tourism"),
]
_VERB = [("встретился с", "met with"), ("говорил с", "spoke with")]
_DISCUSS = [("обсудил", "discussed"), ("поддержал", "supported")]


def training_pairs(n: int = 600, seed: int = 0) -> list[tuple[str, str]]:
    """Deterministic templated ru–en pairs (news-like, short).

    >>> pairs = training_pairs(5)
    >>> len(pairs), all(ru and en for ru, en in pairs)
    (5, True)
    """
    rng = random.Random(seed)
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    while len(out) < n:
        form = rng.randrange(4)
        who, who_en = rng.choice(_WHO)
        when, when_en = rng.choice(_WHEN)
        city, city_en = rng.choice(_CITY_IN)
        if form == 0:
            v, v_en = rng.choice(_VERB)
            obj, obj_en = rng.choice(_WHO_OBJ)
            ru = f"{who} {when} {v} {obj} {city}."
            en = f"{who_en} {v_en} {obj_en} {city_en} {when_en}."
        elif form == 1:
            v, v_en = rng.choice(_DISCUSS)
            thing, thing_en = rng.choice(_THING)
            ru = f"{who} {city} {v} {thing}."
            en = f"{who_en} {v_en} {thing_en} {city_en}."
        elif form == 2:
            num = rng.randrange(2, 99)
            ru = f"{who} {when} приехал {city} на {num} дней."
            en = f"{who_en} arrived {city_en} {when_en} for {num} days."
        else:
            thing, thing_en = rng.choice(_THING)
            ru = f"{city.capitalize()} {when} обсудили {thing}."
            en = f"{thing_en[0].upper() + thing_en[1:]} was discussed {city_en} {when_en}."
        if ru not in seen:
            seen.add(ru)
            out.append((ru, en))
    return out


# ---------------------------------------------------------------- cache


def script_hash() -> str:
    return hashlib.sha256(HERE.read_bytes()).hexdigest()[:16]


# "tiny" is what tests use. "medium" (d_model 256, 3+3 layers) and "base" (a real Argos
# model's shape, d_model 512, 6+6) are only for timing in bench/translate.py. "base" is
# undertrained at 150 steps (~7 CPU-minutes): it decodes to the length cap, a worst case.
SIZES: dict[str, dict[str, int]] = {
    "tiny": {"d_model": 64, "layers": 2, "heads": 4, "ffn": 128, "steps": 600, "lr_milli": 3},
    "medium": {"d_model": 256, "layers": 3, "heads": 4, "ffn": 1024, "steps": 400, "lr_milli": 1},
    "base": {"d_model": 512, "layers": 6, "heads": 8, "ffn": 2048, "steps": 150, "lr_milli": 1},
}


def cached_archive(size: str = "tiny") -> Path:
    folder = script_hash() if size == "tiny" else f"{script_hash()}-{size}"
    return CACHE_ROOT / folder / ARCHIVE_NAME


def ensure_package(size: str = "tiny", timeout: float = 900) -> Path:
    """The cached ``.argosmodel``, built in a subprocess first if missing."""
    archive = cached_archive(size)
    if archive.is_file():
        return archive
    subprocess.run(
        [sys.executable, str(HERE), "--size", size],
        check=True,
        timeout=timeout,
        stdout=subprocess.DEVNULL,
    )
    if not archive.is_file():
        raise RuntimeError(f"tiny Argos build finished without {archive}")
    return archive


# ---------------------------------------------------------------- build


def _train_sentencepiece(pairs: list[tuple[str, str]], work: Path) -> Path:
    import sentencepiece as spm

    corpus = work / "spm.txt"
    corpus.write_text("".join(f"{ru}\n{en}\n" for ru, en in pairs), encoding="utf-8")
    prefix = work / "sentencepiece"
    spm.SentencePieceTrainer.train(
        input=str(corpus),
        model_prefix=str(prefix),
        vocab_size=200,
        hard_vocab_limit=False,
        character_coverage=1.0,
        model_type="unigram",
        unk_id=0,
        eos_id=1,
        bos_id=-1,
        pad_id=-1,  # transformers' <pad> is appended after the SentencePiece pieces
        num_threads=1,
        minloglevel=2,
    )
    return prefix.with_suffix(".model")


class _Vocab:
    """The minimum of a tokenizer CTranslate2's Marian loader reads."""

    def __init__(self, pieces: list[str]) -> None:
        self._pieces = pieces
        self.eos_token = "</s>"
        self.unk_token = "<unk>"

    def get_vocab(self) -> dict[str, int]:
        return {p: i for i, p in enumerate(self._pieces)}


def _train_marian(
    pairs: list[tuple[str, str]], sp_model: Path, work: Path, size: str = "tiny"
) -> Path:
    import sentencepiece as spm
    import torch
    from transformers import MarianConfig, MarianMTModel

    shape = SIZES[size]
    torch.manual_seed(0)
    torch.set_num_threads(1)
    sp = spm.SentencePieceProcessor(model_file=str(sp_model))
    size = sp.get_piece_size()
    pad = size  # an extra row, dropped again by the converter
    eos = sp.piece_to_id("</s>")
    config = MarianConfig(
        vocab_size=size + 1,
        d_model=shape["d_model"],
        encoder_layers=shape["layers"],
        decoder_layers=shape["layers"],
        encoder_attention_heads=shape["heads"],
        decoder_attention_heads=shape["heads"],
        encoder_ffn_dim=shape["ffn"],
        decoder_ffn_dim=shape["ffn"],
        max_position_embeddings=512,  # real sentences are long in a 200-piece vocabulary
        pad_token_id=pad,
        eos_token_id=eos,
        # Start decoding from </s>, as CTranslate2 will: its Marian loader's default, a
        # zero start embedding, differs from transformers' (which adds position 0 to it)
        # and costs the first word of every output.
        decoder_start_token_id=eos,
        forced_eos_token_id=eos,
        dropout=0.0,
        share_encoder_decoder_embeddings=True,
        scale_embedding=True,
    )
    model = MarianMTModel(config)
    src = [sp.encode(ru) + [eos] for ru, _ in pairs]
    tgt = [sp.encode(en) + [eos] for _, en in pairs]

    def batch(idx: list[int]) -> dict[str, torch.Tensor]:
        ls = max(len(src[i]) for i in idx)
        lt = max(len(tgt[i]) for i in idx)
        ids = torch.full((len(idx), ls), pad)
        mask = torch.zeros((len(idx), ls), dtype=torch.long)
        labels = torch.full((len(idx), lt), -100)
        for row, i in enumerate(idx):
            ids[row, : len(src[i])] = torch.tensor(src[i])
            mask[row, : len(src[i])] = 1
            labels[row, : len(tgt[i])] = torch.tensor(tgt[i])
        return {"input_ids": ids, "attention_mask": mask, "labels": labels}

    opt = torch.optim.AdamW(model.parameters(), lr=shape["lr_milli"] * 1e-3)
    rng = random.Random(0)
    order = list(range(len(pairs)))
    model.train()
    for _step in range(shape["steps"]):
        idx = rng.sample(order, 32)
        loss = model(**batch(idx)).loss
        loss.backward()
        opt.step()
        opt.zero_grad()
    model.eval()
    hf_dir = work / "hf"
    model.save_pretrained(hf_dir)
    return hf_dir


def _convert(hf_dir: Path, sp_model: Path, out: Path) -> None:
    import sentencepiece as spm
    from ctranslate2.converters import TransformersConverter

    sp = spm.SentencePieceProcessor(model_file=str(sp_model))
    pieces = [sp.id_to_piece(i) for i in range(sp.get_piece_size())] + ["<pad>"]

    class Converter(TransformersConverter):
        def load_tokenizer(self, tokenizer_class, model_name_or_path, **kwargs):
            return _Vocab(pieces)

        def _load(self):
            spec = super()._load()
            spec.decoder.start_from_zero_embedding = False  # see decoder_start_token_id
            return spec

    Converter(str(hf_dir)).convert(str(out), force=True)
    cfg_path = out / "config.json"
    cfg = json.loads(cfg_path.read_text())
    cfg["add_source_eos"] = True  # Argos hands CTranslate2 the pieces without </s>
    cfg_path.write_text(json.dumps(cfg, indent=2) + "\n")


def build(dest: Path, size: str = "tiny") -> Path:
    """Train, convert and zip into ``dest/translate-ru_en-tiny.argosmodel``."""
    pairs = training_pairs()
    with tempfile.TemporaryDirectory(prefix="tiny-argos-") as tmp:
        work = Path(tmp)
        sp_model = _train_sentencepiece(pairs, work)
        hf_dir = _train_marian(pairs, sp_model, work, size)
        pkg = work / PACKAGE_NAME
        pkg.mkdir()
        _convert(hf_dir, sp_model, pkg / "model")
        shutil.copy(sp_model, pkg / "sentencepiece.model")
        meta = {
            "package_version": "0.0.1",
            "argos_version": "1.9.0",
            "from_code": "ru",
            "from_name": "Russian",
            "to_code": "en",
            "to_name": "English",
            "type": "translate",
            "links": [],
        }
        (pkg / "metadata.json").write_text(json.dumps(meta, indent=2) + "\n")
        (pkg / "README.md").write_text("Tiny test model built by mtclean's tests; not for use.\n")
        tmp_zip = work / ARCHIVE_NAME
        with zipfile.ZipFile(tmp_zip, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(pkg.rglob("*")):
                zf.write(path, path.relative_to(work).as_posix())
        dest.mkdir(parents=True, exist_ok=True)
        final = dest / ARCHIVE_NAME
        shutil.copy(tmp_zip, dest / (ARCHIVE_NAME + ".part"))
        os.replace(dest / (ARCHIVE_NAME + ".part"), final)
    return final


def main() -> None:
    import argparse

    ap = argparse.ArgumentParser(description="Build (or find cached) a tiny Argos package.")
    ap.add_argument("--size", choices=sorted(SIZES), default="tiny")
    size = ap.parse_args().size
    archive = cached_archive(size)
    archive.parent.mkdir(parents=True, exist_ok=True)
    # One builder at a time: several test sessions may share this working tree.
    with open(archive.parent / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not archive.is_file():
            build(archive.parent, size)
    print(archive)


if __name__ == "__main__":
    main()
