"""Offline ru→en retranslation with an Argos Translate package, never touching the network.

An Argos package is a folder (or a zipped ``.argosmodel``) holding ``metadata.json``, a
CTranslate2 model in ``model/`` and ``sentencepiece.model``. We only borrow Argos's package
format and its installer: Argos's own ``translate()`` splits text into sentences first, and
every splitter it has (MiniSBD, Stanza, spaCy) tries to download a model on first use. The
caller here already hands us single sentences, so the default backend runs the package's
CTranslate2 model and SentencePiece model directly, batched (``backend="ctranslate2"``).
``backend="argos"`` goes through Argos's lower-level ``apply_packaged_translation`` with the
splitter replaced by an identity, one sentence per call; ``bench/translate.py`` compares them.

Heavy imports (ctranslate2, sentencepiece, argostranslate: ~2 s and ~360 MB for the latter)
happen lazily, only when a :class:`Retranslator` is built. Results are cached by a hash of
the package fingerprint, the decoding settings and the sentence: an in-memory LRU plus an
optional SQLite file shared between runs and processes. Decoding is beam search without
sampling, so a sentence always gets the same translation.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import sqlite3
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from cleaners.config import TranslateConfig


class Translator(Protocol):
    """What the pipeline and the repair's fill-in ask of a translator: ru→en, one
    output per input sentence, in order (:class:`Retranslator` is the one we ship)."""

    def translate(self, sentences: Sequence[str]) -> list[str]: ...


ENV_PACKAGE = "MTCLEAN_ARGOS_PACKAGE"
INSTALL_HINT = (
    "no Argos Translate ru→en package found: run `argospm install translate-ru_en` on a "
    "networked machine, or pass --argos-package PATH.argosmodel (or set $MTCLEAN_ARGOS_PACKAGE)"
)
# Marker we leave in a package folder we extracted, so a changed archive replaces it.
_MARKER = ".mtclean-archive-sha256"
_WS = re.compile(r"\s+")
_install_lock = threading.Lock()


class TranslatorUnavailable(RuntimeError):
    """Retranslation cannot run here; ``str(exc)`` is one line saying how to fix that."""


@dataclass(frozen=True, slots=True)
class PackageInfo:
    """An installed (extracted) Argos translate package."""

    path: Path
    from_code: str
    to_code: str
    version: str

    @property
    def fingerprint(self) -> str:
        """Cheap identity of the model: metadata, converter config and model size.

        Hashing a 100 MB ``model.bin`` per start would cost more than it saves.
        """
        h = hashlib.sha256()
        for name in ("metadata.json", "model/config.json"):
            p = self.path / name
            h.update(p.read_bytes() if p.exists() else b"")
        model = self.path / "model" / "model.bin"
        h.update(str(model.stat().st_size if model.exists() else -1).encode())
        return h.hexdigest()[:16]


def normalize_sentence(text: str) -> str:
    """Collapse whitespace runs (newlines included) to single spaces and strip.

    The model sees one line per sentence; the cache is keyed on this form.

    >>> normalize_sentence("  Привет,\\n  мир ")
    'Привет, мир'
    """
    return _WS.sub(" ", text).strip()


def sentence_key(fingerprint: str, settings: str, sentence: str) -> str:
    """Cache key of one normalized sentence under one model and decoding setting.

    >>> len(sentence_key("abc", "beam=4", "Да."))
    64
    """
    blob = "\x00".join((fingerprint, settings, sentence)).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()


# ---------------------------------------------------------------- locating a package


def _data_home() -> Path:
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")


def default_packages_dir() -> Path:
    """Where mtclean installs ``.argosmodel`` files: ``$ARGOS_PACKAGES_DIR`` if set, else
    ``$XDG_DATA_HOME/mtclean/argos-packages`` (kept apart from the user's Argos folder)."""
    env = os.environ.get("ARGOS_PACKAGES_DIR")
    return Path(env) if env else _data_home() / "mtclean" / "argos-packages"


def argos_packages_dir() -> Path:
    """Argos's own default packages folder (where ``argospm install`` puts packages)."""
    return _data_home() / "argos-translate" / "packages"


def read_package(path: Path) -> PackageInfo | None:
    """The package in folder ``path``, or None if it is not a usable CTranslate2 +
    SentencePiece translate package."""
    meta_path = path / "metadata.json"
    if not (
        meta_path.is_file()
        and (path / "model" / "model.bin").is_file()
        and (path / "sentencepiece.model").is_file()
    ):
        return None
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(meta, dict) or meta.get("type", "translate") != "translate":
        return None
    return PackageInfo(
        path=path,
        from_code=str(meta.get("from_code", "")),
        to_code=str(meta.get("to_code", "")),
        version=str(meta.get("package_version", "")),
    )


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", version))


def find_installed(
    dirs: Sequence[Path], from_code: str = "ru", to_code: str = "en"
) -> PackageInfo | None:
    """The newest installed ``from_code``→``to_code`` package in ``dirs`` (first dir wins
    a tie), or None. Deterministic: no dependence on directory listing order."""
    best: tuple[tuple[int, ...], int, str] | None = None
    found: PackageInfo | None = None
    for rank, d in enumerate(dirs):
        if not d.is_dir():
            continue
        for sub in sorted(d.iterdir()):
            info = read_package(sub) if sub.is_dir() else None
            if info is None or (info.from_code, info.to_code) != (from_code, to_code):
                continue
            key = (_version_key(info.version), -rank, sub.name)
            if best is None or key > best:
                best, found = key, info
    return found


def _archive_root(archive: Path) -> str:
    """The single top-level folder of an ``.argosmodel`` zip, refusing unsafe members."""
    try:
        with zipfile.ZipFile(archive) as zf:
            names = zf.namelist()
    except (OSError, zipfile.BadZipFile) as exc:
        raise TranslatorUnavailable(f"{archive}: not an Argos package (not a zip: {exc})") from exc
    roots = set()
    for name in names:
        parts = Path(name).parts
        if not parts or name.startswith("/") or ".." in parts:
            raise TranslatorUnavailable(f"{archive}: unsafe path in package: {name!r}")
        roots.add(parts[0])
    if len(roots) != 1 or f"{next(iter(roots))}/metadata.json" not in names:
        raise TranslatorUnavailable(
            f"{archive}: an .argosmodel must hold one folder with metadata.json in it"
        )
    return roots.pop()


@contextlib.contextmanager
def _argos_settings(packages_dir: Path, threads: int = 1, beam_size: int = 4) -> Iterator[None]:
    """Environment Argos reads once, at import: our packages folder, one thread, no
    LibreTranslate/OpenAI provider. Restored afterwards so other code is not affected."""
    wanted = {
        "ARGOS_PACKAGES_DIR": str(packages_dir),
        "ARGOS_INTRA_THREADS": str(threads),
        "ARGOS_BEAM_SIZE": str(beam_size),
        "ARGOS_INTER_THREADS": "1",
        "ARGOS_DEVICE_TYPE": "cpu",
        "ARGOS_MODEL_PROVIDER": "OPENNMT",
    }
    saved = {k: os.environ.get(k) for k in wanted}
    os.environ.update(wanted)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    """Exclusive lock between processes (pool workers installing the same package at once
    would extract over each other); a no-op where ``fcntl`` does not exist."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    with open(path, "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def install_package(archive: Path, packages_dir: Path | None = None) -> PackageInfo:
    """Install an ``.argosmodel`` with ``argostranslate.package.install_from_path`` into
    ``packages_dir`` (default :func:`default_packages_dir`). A package already extracted
    from the same archive bytes is reused without importing Argos at all."""
    packages_dir = packages_dir or default_packages_dir()
    root = _archive_root(archive)
    with open(archive, "rb") as fh:
        digest = hashlib.file_digest(fh, "sha256").hexdigest()
    target = packages_dir / root
    marker = target / _MARKER
    packages_dir.mkdir(parents=True, exist_ok=True)
    with _install_lock, _file_lock(packages_dir / ".mtclean-install.lock"):
        if marker.is_file() and marker.read_text().strip() == digest:
            info = read_package(target)
            if info is not None:
                return info
        if marker.is_file():  # we extracted an older archive here: replace it whole
            shutil.rmtree(target)
        try:
            with _argos_settings(packages_dir):
                from argostranslate import package as argos_package
                from argostranslate import settings as argos_settings
        except ImportError as exc:
            raise TranslatorUnavailable(
                f"argostranslate is not installed ({exc}): pip install 'mtclean[translate]'"
            ) from exc
        # install_from_path extracts into settings.package_data_dir, read at call time; a
        # process that imported Argos earlier may point elsewhere, so pin it for this call.
        previous = argos_settings.package_data_dir
        argos_settings.package_data_dir = packages_dir
        try:
            argos_package.install_from_path(archive)
        finally:
            argos_settings.package_data_dir = previous
        info = read_package(target)
        if info is None:
            raise TranslatorUnavailable(
                f"{archive}: installed, but {target} lacks model/model.bin or sentencepiece.model"
            )
        marker.write_text(digest + "\n")
        return info


def locate_package(cfg: TranslateConfig) -> PackageInfo:
    """Find the package to use: ``cfg.package_path``, else ``$MTCLEAN_ARGOS_PACKAGE``, else
    an installed ru→en package in mtclean's or Argos's packages folder.

    A path may be an ``.argosmodel`` file (installed first) or an extracted package folder.
    Raises :class:`TranslatorUnavailable` with a one-line how-to.
    """
    packages_dir = Path(cfg.packages_dir) if cfg.packages_dir else default_packages_dir()
    given = cfg.package_path or os.environ.get(ENV_PACKAGE)
    if given:
        path = Path(given).expanduser()
        if path.is_file():
            return install_package(path, packages_dir)
        if path.is_dir():
            info = read_package(path)
            if info is None:
                raise TranslatorUnavailable(
                    f"{path}: not an Argos package folder (needs metadata.json, "
                    "model/model.bin, sentencepiece.model)"
                )
            return info
        raise TranslatorUnavailable(f"Argos package not found: {path}")
    info = find_installed([packages_dir, argos_packages_dir()])
    if info is None:
        raise TranslatorUnavailable(INSTALL_HINT)
    return info


# ---------------------------------------------------------------- caches


class _LRU:
    """A small ordered-dict LRU (functools.lru_cache cannot be filled in batches)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._d: OrderedDict[str, str] = OrderedDict()

    def get(self, key: str) -> str | None:
        value = self._d.get(key)
        if value is not None:
            self._d.move_to_end(key)
        return value

    def put(self, key: str, value: str) -> None:
        self._d[key] = value
        self._d.move_to_end(key)
        while len(self._d) > self.size:
            self._d.popitem(last=False)

    def __len__(self) -> int:
        return len(self._d)


class _DiskCache:
    """Translations kept between runs: one SQLite file, safe for several processes."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / "retranslations.sqlite"
        self._db = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
        with self._db:
            self._db.execute("CREATE TABLE IF NOT EXISTS tr (k TEXT PRIMARY KEY, v TEXT)")

    def get_many(self, keys: Sequence[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for i in range(0, len(keys), 500):  # stay under SQLite's variable limit
            chunk = list(keys[i : i + 500])
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(f"SELECT k, v FROM tr WHERE k IN ({marks})", chunk)
            found.update(rows)
        return found

    def put_many(self, items: dict[str, str]) -> None:
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO tr VALUES (?, ?)", items.items())

    def close(self) -> None:
        self._db.close()


# ---------------------------------------------------------------- translating


class _WholeText:
    """An Argos sentencizer that does not split: we pass single sentences already."""

    def split_sentences(self, text: str) -> list[str]:
        return [text]


@dataclass(slots=True)
class TranslateStats:
    """Counters a run report can show."""

    requested: int = 0
    memory_hits: int = 0
    disk_hits: int = 0
    translated: int = 0
    batches: int = 0
    failed: int = 0


class Retranslator:
    """Translates Russian sentences to English with one Argos package, offline.

    Build it with :meth:`from_config`; it is safe to keep one per process and reuse it.
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
        if backend not in ("ctranslate2", "argos"):
            raise ValueError(f"unknown retranslation backend {backend!r}")
        self.package = package
        self.backend = backend
        self.threads = threads
        self.beam_size = beam_size
        self.batch_size = batch_size
        # Longer input is truncated (CTranslate2's own default); output is capped so a
        # degenerate repetition cannot run on.
        self.max_input_tokens = max_input_tokens
        self.max_output_tokens = max_output_tokens
        self.compute_type = compute_type
        self.stats = TranslateStats()
        self._settings = f"{backend};beam={beam_size};out={max_output_tokens};{compute_type}"
        self._fingerprint = package.fingerprint
        self._memory = _LRU(cache_size)
        self._disk = _DiskCache(cache_dir) if cache_dir else None
        self._lock = threading.Lock()  # CTranslate2 is thread-safe; our caches are not
        self._translator: Any = None
        self._sp: Any = None
        self._argos_pkg: Any = None
        self._target_prefix = ""
        self._load()

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

    def _load(self) -> None:
        try:
            import ctranslate2
            import sentencepiece
        except ImportError as exc:
            raise TranslatorUnavailable(
                f"retranslation needs ctranslate2 and sentencepiece ({exc}): "
                "pip install 'mtclean[translate]'"
            ) from exc
        meta = json.loads((self.package.path / "metadata.json").read_text(encoding="utf-8"))
        self._target_prefix = str(meta.get("target_prefix", ""))
        try:
            # intra_threads=1: CTranslate2's default thread count is ~50x slower on small
            # shared machines (see STACK.md).
            self._translator = ctranslate2.Translator(
                str(self.package.path / "model"),
                device="cpu",
                inter_threads=1,
                intra_threads=self.threads,
                compute_type=self.compute_type,
            )
            self._sp = sentencepiece.SentencePieceProcessor(
                model_file=str(self.package.path / "sentencepiece.model")
            )
        except (RuntimeError, OSError, ValueError) as exc:
            raise TranslatorUnavailable(
                f"{self.package.path}: cannot load the model ({exc})"
            ) from exc
        if self.backend == "argos":
            with _argos_settings(self.package.path.parent, self.threads, self.beam_size):
                from argostranslate import settings as argos_settings
                from argostranslate import translate as _  # noqa: F401  (settings read here)
                from argostranslate.package import Package
            self._argos_pkg = Package(self.package.path)
            # Argos takes its beam from settings fixed at its first import in this process.
            self._settings = f"argos;beam={argos_settings.beam_size};{self.compute_type}"

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
                done = dict(zip(todo, self._run(list(todo.values())), strict=True))
                # A failed sentence reads as "" this time and is not cached.
                fresh = {k: v for k, v in done.items() if v is not None}
                self.stats.translated += len(fresh)
                for key, value in fresh.items():
                    self._memory.put(key, value)
                if self._disk is not None and fresh:
                    self._disk.put_many(fresh)
                result.update({k: v or "" for k, v in done.items()})
        return [result[k] for k in keys]

    def _run(self, texts: list[str]) -> list[str | None]:
        """Translations of ``texts``; None where the model failed on a sentence."""
        if self.backend == "argos":
            return [self._guarded(self._run_argos, t) for t in texts]
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

    def _guarded(self, fn: Any, text: str) -> str | None:
        try:
            return fn(text)
        except RuntimeError:
            self.stats.failed += 1
            return None

    def _run_batch(self, batch: list[str]) -> list[str]:
        tokens = self._sp.encode(batch, out_type=str)
        prefix = [[self._target_prefix]] * len(batch) if self._target_prefix else None
        self.stats.batches += 1
        results = self._translator.translate_batch(
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
        if self._target_prefix and pieces and pieces[0] == self._target_prefix:
            pieces = pieces[1:]
        # Unlike Argos we keep "_" (Argos turns every underscore in the output into a space).
        return self._sp.decode_pieces(pieces).replace("\u2581", " ").strip()

    def _run_argos(self, text: str) -> str:
        from argostranslate.translate import apply_packaged_translation

        self.stats.batches += 1
        hyps = apply_packaged_translation(
            self._argos_pkg, text, self._translator, _WholeText(), num_hypotheses=1
        )
        return hyps[0].value.strip()
