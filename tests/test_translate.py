"""Retranslation through a real (tiny) Argos package: install, load, batch, cache, offline.

The package is built by tests/tiny_argos/build.py (cached under .cache/tiny-argos/); it
translates its own templated training sentences correctly, which is all these tests need
to show that encoding, batching and decoding are wired right.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from cleaners.config import TranslateConfig
from cleaners.translate import (
    INSTALL_HINT,
    Retranslator,
    TranslatorUnavailable,
    find_installed,
    normalize_sentence,
)

pytest.importorskip("ctranslate2")
pytest.importorskip("sentencepiece")

from tiny_argos import build as builder  # noqa: E402  (tests/ is on sys.path)

PAIRS = builder.training_pairs(12)
RU = [ru for ru, _ in PAIRS]
EN = [en for _, en in PAIRS]


@pytest.fixture(scope="session")
def archive() -> Path:
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    return builder.ensure_package()


class NetworkTouched(AssertionError):
    pass


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Any attempt to resolve or connect fails the test loudly."""

    def refuse(*args, **kwargs):
        raise NetworkTouched(f"network access attempted: {args[1:] or kwargs}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path, monkeypatch):
    """No user package folder, env var or settings file leaks into a test."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.delenv("ARGOS_PACKAGES_DIR", raising=False)
    monkeypatch.delenv("ARGOS_INTRA_THREADS", raising=False)
    monkeypatch.delenv("MTCLEAN_ARGOS_PACKAGE", raising=False)


def _cfg(archive: Path, tmp_path: Path, **kw) -> TranslateConfig:
    return TranslateConfig(package_path=str(archive), packages_dir=str(tmp_path / "pk"), **kw)


def test_install_from_archive_then_translate(archive, tmp_path):
    tr = Retranslator.from_config(_cfg(archive, tmp_path))
    installed = tmp_path / "pk" / "translate-ru_en-tiny"
    assert tr.package.path == installed
    assert (installed / "model" / "model.bin").is_file()
    out = tr.translate(RU)
    assert len(out) == len(RU)
    assert all(o and o.isascii() for o in out)
    # The toy model reproduces its training pairs: proves pieces in, pieces out, first
    # token and </s> handling all line up.
    assert sum(o == e for o, e in zip(out, EN, strict=True)) >= 0.8 * len(EN)


def test_second_start_reuses_the_installed_package(archive, tmp_path):
    Retranslator.from_config(_cfg(archive, tmp_path))
    model = tmp_path / "pk" / "translate-ru_en-tiny" / "model" / "model.bin"
    before = model.stat().st_mtime_ns
    Retranslator.from_config(_cfg(archive, tmp_path))
    assert model.stat().st_mtime_ns == before


def test_two_processes_installing_at_once_both_get_a_whole_package(archive, tmp_path):
    code = (
        "import sys; from pathlib import Path; from cleaners.translate import install_package;"
        "print(install_package(Path(sys.argv[1]), Path(sys.argv[2])).path)"
    )
    target = tmp_path / "shared-pk"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(archive), str(target)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=120)[0].strip() for p in procs]
    assert [p.returncode for p in procs] == [0, 0]
    assert outs[0] == outs[1] == str(target / "translate-ru_en-tiny")
    tr = Retranslator.from_config(TranslateConfig(package_path=outs[0]))
    assert tr.translate(RU[:1]) == [EN[0]]


def test_env_var_points_to_package(archive, tmp_path, monkeypatch):
    monkeypatch.setenv("MTCLEAN_ARGOS_PACKAGE", str(archive))
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "argos-env"))
    tr = Retranslator.from_config(TranslateConfig())
    assert tr.package.path.parent == tmp_path / "argos-env"  # ARGOS_PACKAGES_DIR respected
    assert tr.translate(RU[:1]) == [EN[0]]


def test_finds_package_installed_in_argos_folder(archive, tmp_path):
    # What `argospm install translate-ru_en` leaves behind: an extracted folder.
    argos_dir = tmp_path / "xdg-data" / "argos-translate" / "packages"
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(argos_dir)
    assert find_installed([argos_dir]).from_code == "ru"
    tr = Retranslator.from_config(TranslateConfig())
    assert tr.package.path == argos_dir / "translate-ru_en-tiny"
    assert tr.translate(RU[:2]) == EN[:2]


def test_package_folder_path_is_used_in_place(archive, tmp_path):
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(tmp_path / "unzipped")
    folder = tmp_path / "unzipped" / "translate-ru_en-tiny"
    tr = Retranslator.from_config(TranslateConfig(package_path=str(folder)))
    assert tr.package.path == folder
    assert tr.translate(RU[:1]) == [EN[0]]


def test_batches_and_order(archive, tmp_path):
    big = Retranslator.from_config(_cfg(archive, tmp_path, batch_size=32))
    small = Retranslator.from_config(_cfg(archive, tmp_path, batch_size=5))
    out_big = big.translate(RU)
    assert big.stats.batches == 1
    out_small = small.translate(RU)
    assert small.stats.batches == 3  # 12 sentences in batches of 5
    assert out_small == out_big  # batch composition does not change a translation
    fresh = Retranslator.from_config(_cfg(archive, tmp_path))
    assert fresh.translate(RU[::-1]) == out_big[::-1]


def test_memory_cache_and_duplicates(archive, tmp_path):
    tr = Retranslator.from_config(_cfg(archive, tmp_path))
    first = tr.translate(RU[:4] + RU[:4])
    assert first[:4] == first[4:]
    assert tr.stats.translated == 4  # duplicates translated once
    second = tr.translate(RU[:4])
    assert second == first[:4]
    assert tr.stats.translated == 4 and tr.stats.memory_hits == 4
    # Whitespace variants share the cache entry.
    assert tr.translate(["  " + RU[0].replace(" ", "\n ")]) == first[:1]
    assert tr.stats.translated == 4


def test_disk_cache_survives_a_new_translator(archive, tmp_path):
    cfg = _cfg(archive, tmp_path, cache_dir=str(tmp_path / "cache"))
    one = Retranslator.from_config(cfg)
    out = one.translate(RU[:5])
    one.close()
    two = Retranslator.from_config(cfg)
    assert two.translate(RU[:5]) == out
    assert two.stats.disk_hits == 5 and two.stats.translated == 0


def test_deterministic_across_instances(archive, tmp_path):
    a = Retranslator.from_config(_cfg(archive, tmp_path)).translate(RU)
    b = Retranslator.from_config(_cfg(archive, tmp_path)).translate(RU)
    assert a == b


def test_blank_sentences_are_not_translated(archive, tmp_path):
    tr = Retranslator.from_config(_cfg(archive, tmp_path))
    assert tr.translate(["", "  \n", RU[0]]) == ["", "", EN[0]]
    assert tr.stats.translated == 1
    assert tr.translate([]) == []


def test_a_sentence_the_model_cannot_take_does_not_sink_its_batch(archive, tmp_path):
    tr = Retranslator.from_config(_cfg(archive, tmp_path))
    too_long = "абвгдежзиклмнопрстуфхцчшщэюя" * 60  # far beyond the toy model's 512 positions
    out = tr.translate([RU[0], too_long, RU[1]])
    assert out == [EN[0], "", EN[1]]
    assert tr.stats.failed == 1
    tr.translate([too_long])  # not cached as "": tried again
    assert tr.stats.failed == 2


def test_argos_lowlevel_backend_agrees_with_direct(archive, tmp_path):
    pytest.importorskip("argostranslate")
    direct = Retranslator.from_config(_cfg(archive, tmp_path)).translate(RU)
    argos = Retranslator.from_config(_cfg(archive, tmp_path, backend="argos"))
    assert argos.translate(RU) == direct
    assert argos.stats.batches == len(RU)  # one call per sentence on that path


def test_no_package_gives_one_line_howto(tmp_path):
    with pytest.raises(TranslatorUnavailable) as err:
        Retranslator.from_config(TranslateConfig(packages_dir=str(tmp_path / "empty")))
    msg = str(err.value)
    assert msg == INSTALL_HINT and "\n" not in msg
    assert "argospm install translate-ru_en" in msg and "--argos-package" in msg


def test_missing_or_broken_package_paths(tmp_path):
    with pytest.raises(TranslatorUnavailable, match="not found"):
        Retranslator.from_config(TranslateConfig(package_path=str(tmp_path / "nope.argosmodel")))
    junk = tmp_path / "junk.argosmodel"
    junk.write_bytes(b"not a zip")
    with pytest.raises(TranslatorUnavailable, match="not a zip"):
        Retranslator.from_config(TranslateConfig(package_path=str(junk)))
    evil = tmp_path / "evil.argosmodel"
    with zipfile.ZipFile(evil, "w") as zf:
        zf.writestr("pkg/metadata.json", "{}")
        zf.writestr("pkg/../../escape.txt", "x")
    with pytest.raises(TranslatorUnavailable, match="unsafe path"):
        Retranslator.from_config(TranslateConfig(package_path=str(evil)))
    assert not (tmp_path / "escape.txt").exists()
    empty_dir = tmp_path / "folder"
    empty_dir.mkdir()
    with pytest.raises(TranslatorUnavailable, match="not an Argos package folder"):
        Retranslator.from_config(TranslateConfig(package_path=str(empty_dir)))


def test_import_is_light_and_env_is_restored(archive, tmp_path):
    code = (
        "import sys, cleaners.translate, cleaners.writers;"
        "print(sorted(m for m in ('argostranslate', 'ctranslate2', 'torch', 'sentencepiece')"
        " if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    Retranslator.from_config(_cfg(archive, tmp_path, backend="argos"))
    # Argos's settings were passed through the environment only while it was imported.
    assert "ARGOS_PACKAGES_DIR" not in os.environ and "ARGOS_INTRA_THREADS" not in os.environ


def test_normalize_sentence_is_idempotent():
    for s in RU + ["a\tb\n\nc", "  ", "\u00a0x\u2028y"]:
        once = normalize_sentence(s)
        assert normalize_sentence(once) == once
        assert "\n" not in once


def test_a_named_package_is_checked_in_one_place(tmp_path, monkeypatch):
    """``given_package`` is the one check of a named path; ``locate_package`` and the CLI
    both use it, and its message says where a missing path came from."""
    from cleaners.translate import PackageNotFound, given_package, locate_package

    assert given_package(TranslateConfig()) is None
    monkeypatch.setenv("MTCLEAN_ARGOS_PACKAGE", str(tmp_path / "typo.argosmodel"))
    for call in (given_package, locate_package):
        with pytest.raises(PackageNotFound, match=r"typo.argosmodel \(from \$MTCLEAN_ARGOS"):
            call(TranslateConfig())
    # The config's path wins over the variable, and is not said to come from it.
    cfg = TranslateConfig(package_path=str(tmp_path / "other.argosmodel"))
    with pytest.raises(PackageNotFound, match=r"other.argosmodel$"):
        locate_package(cfg)
    (tmp_path / "typo.argosmodel").write_bytes(b"")
    assert given_package(TranslateConfig()) == tmp_path / "typo.argosmodel"
