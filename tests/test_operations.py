"""The nightly run as an operation: what a rerun sees of edited inputs, and an input folder
that goes away under a run. Real files; the end-to-end case runs the real ``mtclean run``."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from tmpfs import small_tmpfs  # tests/ is on sys.path

from cleaners import manifest as mf
from cleaners.config import PipelineConfig
from cleaners.readers import discover, item_hash
from flows.pipeline import run_batch

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "corpora" / "sample"


def _cli(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "PYTHONIOENCODING": "utf-8",
    }
    env.pop("PREFECT_API_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "flows.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
    )


@pytest.mark.slow
def test_an_edit_that_keeps_size_and_mtime_is_redone(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    doc = src / "rain.en.txt"
    doc.write_text("Rain is expected in Moscow on Friday, forecasters said.\n")
    out = tmp_path / "out"
    assert (
        _cli("run", str(src), "--out", str(out), "--no-progress", home=tmp_path / "h").returncode
        == 0
    )
    before = doc.stat()
    # Same size, the mtime put back: what `touch -r`, `cp -p` or `rsync -t` leave behind.
    doc.write_text("Rain is expected in Moscow on Monday, forecasters said.\n")
    os.utime(doc, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert doc.stat().st_size == before.st_size
    proc = _cli("run", str(src), "--out", str(out), "--no-progress", home=tmp_path / "h")
    assert proc.returncode == 0, proc.stderr
    assert "(1 processed, 0 unchanged" in proc.stderr
    assert "Monday" in (out / "text" / "rain.en.txt").read_text()
    assert (
        "Monday" in (out / "corpus.jsonl").read_text()
        or "Monday" in (out / "docs" / "rain.json").read_text()
    )


def test_an_input_folder_gone_under_a_batch_quarantines_nothing(tmp_path: Path) -> None:
    src = tmp_path / "in"
    shutil.copytree(SAMPLE, src)
    config = PipelineConfig()
    items = discover(src, config.input)
    hashes = [item_hash(src, it, config.input) for it in items]
    out = tmp_path / "out"
    out.mkdir()
    src.rename(tmp_path / "moved")  # an unmounted share looks the same: the path is gone
    with pytest.raises(mf.InputGone, match="went away during the run"):
        run_batch(src, out, items, hashes, config)
    # Before: every document was written to quarantine/ as "unreadable", and the run went
    # on to rebuild the corpus without them (exit 0).
    assert not (out / "quarantine").exists()
    assert not (out / "docs").exists()


def test_the_cli_says_so_in_one_line_exit_2(tmp_path: Path) -> None:
    from flows.cli import EXIT_USAGE, _failure

    f = _failure(mf.InputGone("the input folder /x went away during the run"), tmp_path)
    assert f.code == EXIT_USAGE
    assert "went away" in str(f)


@pytest.fixture
def small_fs(tmp_path: Path):
    """A tmpfs of our own (root only), unmounted afterwards."""
    yield from small_tmpfs(tmp_path, "4m")


def _documents(src: Path, config: PipelineConfig) -> list:
    from cleaners.model import Document
    from cleaners.pipeline import process_items

    items = sorted(discover(src, config.input), key=lambda it: it.id)
    return [d for d in process_items(src, items, config, None) if isinstance(d, Document)]


def test_a_full_disk_never_leaves_corpus_files_of_two_runs(tmp_path: Path, small_fs: Path) -> None:
    from cleaners.writers import CORPUS_FILES, REJECTED_FILES, write_corpus

    config = PipelineConfig()
    old = _documents(SAMPLE, config)
    grown = tmp_path / "grown"
    shutil.copytree(SAMPLE, grown)
    ru, en = (
        (SAMPLE / "volga-route.ru.txt").read_text(),
        (SAMPLE / "volga-route.en.txt").read_text(),
    )
    for n in range(1, 9):  # near copies: new pairs, and rejected duplicates
        (grown / f"v{n}.ru.txt").write_text(f"{ru}\n\nВ городе {n} тысяч жителей.\n")
        (grown / f"v{n}.en.txt").write_text(f"{en}\n\nThe city has {n} thousand residents.\n")
    new = _documents(grown, config)
    names = CORPUS_FILES + REJECTED_FILES
    want = {}
    for label, docs in (("old", old), ("new", new)):
        d = tmp_path / label
        d.mkdir()
        write_corpus(d, docs, config)
        want[label] = [(d / n).read_bytes() for n in names]
    assert want["old"] != want["new"]
    out = small_fs / "out"
    out.mkdir()
    write_corpus(out, old, config)
    filler = small_fs / "filler"
    for pages in range(200):  # free space, a page at a time, until the new corpus fits
        filler.unlink(missing_ok=True)
        st = os.statvfs(small_fs)
        with filler.open("wb") as fh:
            os.posix_fallocate(fh.fileno(), 0, max(st.f_bavail * st.f_frsize - pages * 4096, 4096))
        try:
            write_corpus(out, new, config)
            done = True
        except OSError:
            done = False
        got = [(out / n).read_bytes() for n in names]
        assert got in (want["old"], want["new"]), f"{pages} pages free: files of two runs"
        assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
        if done:
            assert got == want["new"]
            break
        # back to the old corpus: what a failed run left, to fail again with a page more
    else:
        pytest.fail("the new corpus never fitted")


@pytest.mark.slow
def test_an_empty_input_folder_drops_no_previous_results(tmp_path: Path) -> None:
    src = tmp_path / "in"
    shutil.copytree(SAMPLE, src)
    out, home = tmp_path / "out", tmp_path / "h"
    assert _cli("run", str(src), "--out", str(out), "--no-progress", home=home).returncode == 0
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    shutil.rmtree(src)
    src.mkdir()  # the mount point of a share that did not mount tonight
    proc = _cli("run", str(src), "--out", str(out), "--no-progress", home=home)
    assert proc.returncode == 2, proc.stderr
    assert len(proc.stderr.splitlines()) == 1 and "holds no input" in proc.stderr
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    # Before: "6 removed", docs/ emptied, a corpus of 0 pairs, exit 0.
    assert after == before


def test_an_input_folder_gone_before_it_is_listed_is_exit_2(tmp_path: Path) -> None:
    from cleaners.errors import InputError
    from flows.cli import EXIT_USAGE, _failure

    with pytest.raises(InputError) as caught:
        discover(tmp_path / "gone", PipelineConfig().input)
    f = _failure(caught.value, tmp_path)
    # Before: exit 1, "failed: InputError: input-dir: …", as for a bug.
    assert f.code == EXIT_USAGE and str(f).startswith("input folder: ")
