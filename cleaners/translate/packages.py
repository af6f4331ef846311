"""Finding and installing an Argos ru→en package, offline.

An Argos package is a folder (or a zipped ``.argosmodel``) holding ``metadata.json``, a
CTranslate2 model in ``model/`` and ``sentencepiece.model``. We borrow Argos's package
format and its installer (``install_from_path``), nothing else.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import threading
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from cleaners.config import TranslateConfig

ENV_PACKAGE = "MTCLEAN_ARGOS_PACKAGE"
# The translate extra, as the README installs it (mtclean is installed from its folder).
INSTALL_EXTRA = (
    "pip install torch==2.13.0 && pip install -e '.[translate]' in the mtclean folder "
    "(torch first: its small CPU build)"
)
INSTALL_HINT = (
    "no Argos Translate ru→en package found: run `argospm install translate-ru_en` on a "
    "networked machine, or pass --argos-package PATH.argosmodel (or set translate.package_path "
    "in the config, or $MTCLEAN_ARGOS_PACKAGE)"
)
# Marker we leave in a package folder we extracted, so a changed archive replaces it.
_MARKER = ".mtclean-archive-sha256"
_install_lock = threading.Lock()


class TranslatorUnavailable(RuntimeError):
    """Retranslation cannot run here; ``str(exc)`` is one line saying how to fix that."""


class PackageNotFound(TranslatorUnavailable):
    """The package path the user named (``translate.package_path``, ``--argos-package`` or
    ``$MTCLEAN_ARGOS_PACKAGE``) names nothing: a typo, which the CLI refuses (exit 2)."""


def given_package(cfg: TranslateConfig) -> Path | None:
    """The package path the user named: ``cfg.package_path``, else ``$MTCLEAN_ARGOS_PACKAGE``
    (None: neither). The one check that it exists: raises :class:`PackageNotFound`, naming
    the variable when the path came from it."""
    given, origin = cfg.package_path, ""
    if not given:
        given, origin = os.environ.get(ENV_PACKAGE), f" (from ${ENV_PACKAGE})"
    if not given:
        return None
    path = Path(given).expanduser()
    if not path.exists():
        raise PackageNotFound(f"Argos package not found: {path}{origin}")
    return path


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
                f"argostranslate is not installed ({exc}): {INSTALL_EXTRA}"
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
    Raises :class:`TranslatorUnavailable` with a one-line how-to (:class:`PackageNotFound`
    for a named path that does not exist, :func:`given_package`).
    """
    packages_dir = Path(cfg.packages_dir) if cfg.packages_dir else default_packages_dir()
    path = given_package(cfg)
    if path is not None:
        if path.is_file():
            return install_package(path, packages_dir)
        info = read_package(path) if path.is_dir() else None
        if info is None:
            raise TranslatorUnavailable(
                f"{path}: not an Argos package folder (needs metadata.json, "
                "model/model.bin, sentencepiece.model) nor an .argosmodel file"
            )
        return info
    info = find_installed([packages_dir, argos_packages_dir()])
    if info is None:
        raise TranslatorUnavailable(INSTALL_HINT)
    return info
