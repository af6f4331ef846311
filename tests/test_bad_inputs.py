"""The hostile-input matrix (issue 8), through the real ``mtclean run``.

One input folder holds every kind of bad input next to good documents; ONE run
of the installed CLI (a subprocess, Prefect in ephemeral mode) processes it.
Then: the run exits 0 and reports the quarantine; every input file is in exactly
one ``docs/`` or ``quarantine/`` record (JSONL lines each in one), quarantined
with the expected reason; the corpus files parse (TMX as XML and with
translate-toolkit, JSONL, Moses files of equal length); nothing was written
outside the output folder and the input folder is unchanged; nothing outside the
input folder was read (a marker in an outside file never reaches the outputs, and
an outside FIFO the input links to would hang the run if it were opened).

Runs as root drop CAP_DAC_OVERRIDE/CAP_DAC_READ_SEARCH with ``setpriv`` so that a
mode-000 file is really unreadable.
"""

from __future__ import annotations

import codecs
import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest
from tmpfs import small_tmpfs  # tests/ is on sys.path

from cleaners.readers import printable_path

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
MTCLEAN = Path(sys.executable).with_name("mtclean")
MARKER = "OUTSIDE-SECRET-7f3a"

RU_ARTICLE = (
    "Мост через Оку откроют в декабре\n\n"
    "Новый мост через Оку откроют для движения в декабре. Строители завершили укладку "
    "асфальта.\n\nПо словам губернатора, мост сократит путь до областного центра на час.\n"
)
EN_ARTICLE = (
    "The bridge over the Oka will open in December\n\n"
    "The new bridge over the Oka will open to traffic in December. The builders have "
    "finished laying asphalt.\n\nAccording to the governor, the bridge will shorten the "
    "trip to the regional centre by an hour.\n"
)
EN_ONLY = "Exchange closes higher\n\nThe Moscow Exchange index closed higher on Friday.\n"


@dataclass
class Case:
    """One kind of bad (or awkward) input: its files and where they must end."""

    kind: str
    files: dict[str, bytes]
    outcome: str  # "docs" or a quarantine reason
    special: str = ""  # how the file is made when bytes are not enough


def _cases() -> list[Case]:
    utf8 = str.encode
    return [
        Case("empty file", {"empty.en.txt": b""}, "empty"),
        Case("whitespace only", {"blank.en.txt": b"  \r\n\t \n"}, "empty"),
        Case("binary bytes", {"blob.txt": bytes(range(256)) * 8}, "binary"),
        Case(
            "renamed PNG",
            {"photo.en.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\0" * 64},
            "binary",
        ),  # fmt: skip
        Case(
            "image file",
            {"picture.jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" * 4},
            "unsupported-type",
        ),  # fmt: skip
        Case(
            "UTF-16 with BOM",
            {
                "utf16.ru.txt": RU_ARTICLE.encode("utf-16"),
                "utf16.en.txt": EN_ARTICLE.encode("utf-16"),
            },
            "docs",
        ),  # fmt: skip
        Case(
            "UTF-8 BOM + CRLF",
            {
                "bom-crlf.ru.txt": codecs.BOM_UTF8 + RU_ARTICLE.replace("\n", "\r\n").encode(),
                "bom-crlf.en.txt": codecs.BOM_UTF8 + EN_ARTICLE.replace("\n", "\r\n").encode(),
            },
            "docs",
        ),  # fmt: skip
        Case(
            "cp1251",
            {"cp1251.ru.txt": RU_ARTICLE.encode("cp1251"), "cp1251.en.txt": utf8(EN_ARTICLE)},
            "docs",
        ),  # fmt: skip
        Case(
            "KOI8-R",
            {"koi8.ru.txt": RU_ARTICLE.encode("koi8_r"), "koi8.en.txt": utf8(EN_ARTICLE)},
            "docs",
        ),  # fmt: skip
        Case(
            "cp866",
            {"cp866.ru.txt": RU_ARTICLE.encode("cp866"), "cp866.en.txt": utf8(EN_ARTICLE)},
            "docs",
        ),  # fmt: skip
        Case(
            "UTF-8 truncated mid-character",
            {"cut.ru.txt": RU_ARTICLE.rstrip(".\n").encode()[:-1], "cut.en.txt": utf8(EN_ARTICLE)},
            "truncated",
        ),  # fmt: skip
        Case(
            "one stray byte among English words (cp1251 'а', KOI8-R 'Ю')",
            {"stray.en.txt": b"The bridge over the Oka opened \xe0 today.\n"},
            "invalid-utf8",
        ),  # fmt: skip
        Case(
            "one stray byte in a long English text",
            {"stray-long.en.txt": utf8(EN_ARTICLE[:150]) + b" \xee " + utf8(EN_ARTICLE[150:])},
            "invalid-utf8",
        ),  # fmt: skip
        Case(
            "one stray byte in short Russian UTF-8",
            {"stray-short.ru.txt": utf8("Мост ") + b"\xe9" + utf8(" открыт.\n")},
            "invalid-utf8",
        ),  # fmt: skip
        Case(
            "English cut inside its first non-ASCII character",
            {"cut-ascii.en.txt": utf8("The bridge over the Oka’s")[:-2]},
            "truncated",
        ),  # fmt: skip
        Case(
            "English in cp1252 (é)",
            {"cp1252.en.txt": "The café by the Oka bridge reopened.\n".encode("cp1252")},
            "docs",
        ),  # fmt: skip
        Case(
            "a few words of KOI8-R",
            {"koi8-short.ru.txt": "Мы тут.\n".encode("koi8_r")},
            "docs",
        ),  # fmt: skip
        Case(
            "NUL bytes",
            {"nul.en.txt": utf8(EN_ONLY[:30]) + b"\x00\x00" + utf8(EN_ONLY[30:])},
            "binary",
        ),  # fmt: skip
        Case(
            "characters XML forbids",
            {
                "xmlbad.ru.txt": utf8(RU_ARTICLE.replace("Новый", "Новый\x0b\x1b[0m\ufffe <tu>&")),
                "xmlbad.en.txt": utf8(
                    EN_ARTICLE.replace("new", "new\x0c\x07\uffff ]]> <seg>&amp;")
                ),
            },
            "docs",
        ),  # fmt: skip
        Case(
            # English only: the aligner's cost on 60k-sentence pairs (~40 s) is its own matter.
            "one line of several MB",
            {
                "longline.en.txt": utf8(
                    "The new bridge over the Oka will open in December. " * 60_000
                )
            },
            "docs",
        ),
        Case(
            "file over the size limit (100 MB)",
            {"huge.en.txt": b""},
            "too-large",
            special="sparse-100MB",
        ),  # fmt: skip
        Case("malformed JSONL among good lines", {"feed.jsonl": b""}, "jsonl", special="jsonl"),
        Case(
            "duplicate ids",
            {"dup.en.txt": utf8(EN_ONLY), "dup.txt": utf8(EN_ONLY + "More.\n")},
            "dup",
        ),  # fmt: skip
        Case("'Russian' file holding English", {"wrong.ru.txt": utf8(EN_ARTICLE)}, "docs-or-lang"),
        Case("source with no translation", {"lonely.ru.txt": utf8(RU_ARTICLE)}, "docs"),
        # An empty side of a pair is a side not there yet (a failed MT export): the other is
        # processed alone, with a warning naming the empty file; both empty: quarantined.
        Case(
            "pair with an empty English file",
            {"half.ru.txt": utf8(RU_ARTICLE), "half.en.txt": b""},
            "docs",
        ),
        Case("pair of empty files", {"none.ru.txt": b"", "none.en.txt": b" \n"}, "empty"),
        Case("English MT with no source", {"mt-only.txt": utf8(EN_ONLY)}, "docs"),
        Case(
            "names with spaces, Unicode, .., %2f",
            {
                "with space.en.txt": utf8(EN_ONLY),
                "Новости дня.ru.txt": utf8(RU_ARTICLE),
                "..%2f..%2fescape.en.txt": utf8(EN_ONLY),
                "a..b.en.txt": utf8(EN_ONLY),
                "sub/deeper/nested.ru.txt": utf8(RU_ARTICLE),
                "sub/deeper/nested.en.txt": utf8(EN_ARTICLE),
            },
            "docs",
        ),  # fmt: skip
        Case(
            "file names with undecodable bytes and a newline",
            {os.fsdecode(b"caf\xe9.en.txt"): utf8(EN_ONLY), "line\nbreak.en.txt": utf8(EN_ONLY)},
            "docs",
        ),
        Case(
            "symlink out of the input folder",
            {"leak.en.txt": b""},
            "symlink-outside",
            special="symlink",
        ),  # fmt: skip
        Case(
            "symlink to an outside FIFO (tripwire)",
            {"trip.en.txt": b""},
            "symlink-outside",
            special="symlink-fifo",
        ),  # fmt: skip
        Case(
            "folder symlink out of the input folder",
            {"outside-dir": b""},
            "symlink-outside",
            special="dirlink",
        ),  # fmt: skip
        Case("FIFO inside the folder", {"pipe.en.txt": b""}, "not-a-file", special="fifo"),
        Case(
            "unreadable file (permissions)",
            {"locked.en.txt": utf8(EN_ONLY)},
            "unreadable",
            special="chmod0",
        ),  # fmt: skip
        Case(
            "invalid UTF-8 inside UTF-8 text",
            {"mixed.ru.txt": RU_ARTICLE.encode()[:41] + b"\xff" + RU_ARTICLE.encode()[41:]},
            "invalid-utf8",
        ),  # fmt: skip
        Case(
            "UTF-8 mojibake (read as cp1251)",
            {
                "moji.ru.txt": RU_ARTICLE.encode().decode("cp1251", "replace").encode(),
                "moji.en.txt": utf8(EN_ARTICLE),
            },
            "docs",
        ),  # fmt: skip
    ]


JSONL_LINES = [
    json.dumps({"id": "j-good-1", "ru": RU_ARTICLE, "en": EN_ARTICLE}, ensure_ascii=False),
    '{"id": "j-broken", "ru": "no closing quote',
    "",
    json.dumps(["a", "list"]),
    json.dumps({"ru": "нет id"}, ensure_ascii=False),
    json.dumps({"id": "j-good-2", "en": EN_ONLY}),
    json.dumps({"id": "j-good-1", "en": "duplicate id"}),
    json.dumps({"id": "../../etc/passwd", "en": EN_ONLY}),
]
JSONL_EXPECT = {1: "docs", 2: "malformed-jsonl", 4: "malformed-jsonl", 5: "malformed-jsonl",
                6: "docs", 7: "duplicate-id", 8: "docs"}  # fmt: skip


def _build(root: Path, outside: Path) -> None:
    outside.mkdir()
    (outside / "secret.en.txt").write_text(f"{MARKER} {EN_ONLY}")
    os.mkfifo(outside / "tripwire")
    for case in _cases():
        for name, data in case.files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if case.special == "symlink":
                path.symlink_to(outside / "secret.en.txt")
            elif case.special == "dirlink":
                path.symlink_to(outside)
            elif case.special == "symlink-fifo":
                path.symlink_to(outside / "tripwire")
            elif case.special == "fifo":
                os.mkfifo(path)
            elif case.special == "sparse-100MB":
                with path.open("wb") as fh:
                    fh.truncate(100_000_000)  # sparse: costs no disk
            elif case.special == "jsonl":
                path.write_text("\n".join(JSONL_LINES) + "\n", encoding="utf-8")
            else:
                path.write_bytes(data)
            if case.special == "chmod0":
                path.chmod(0)


def _snapshot(folder: Path, skip: tuple[Path, ...]) -> dict[str, str]:
    """Path → content hash (or link target / kind) for everything under ``folder``."""
    found: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        here = Path(dirpath)
        dirnames[:] = [d for d in dirnames if here / d not in skip]
        for name in filenames + [d for d in dirnames if (here / d).is_symlink()]:
            path = here / name
            rel = str(path.relative_to(folder))
            st = path.lstat()
            if path.is_symlink():
                found[rel] = "link:" + os.readlink(path)
            elif not path.is_file() or st.st_size > 10_000_000 or not st.st_mode & 0o400:
                found[rel] = f"{st.st_mode:o}:{st.st_size}"
            else:
                found[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


# Runs a command and reports its peak RSS: the wrapper's only child is the command.
_PEAK = (
    "import resource, subprocess, sys; rc = subprocess.call(sys.argv[1:]); "
    "print(f'peak_rss_kb={resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}', "
    "file=sys.stderr); sys.exit(rc)"
)


def _command(*args: str) -> list[str]:
    cmd = [str(MTCLEAN), *args]
    if os.geteuid() == 0 and shutil.which("setpriv"):
        # Root ignores file modes; without these two capabilities mode 000 means unreadable.
        cmd = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", *cmd]
    return [sys.executable, "-c", _PEAK, *cmd]


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        PREFECT_HOME=str(home),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        DO_NOT_TRACK="1",
        HOME=str(home),
    )
    env.pop("PREFECT_API_URL", None)  # ephemeral mode, never a server someone else runs
    return env


@pytest.fixture(scope="module")
def matrix_run(tmp_path_factory: pytest.TempPathFactory):
    if not MTCLEAN.exists():
        pytest.skip(f"the mtclean console script is not installed next to {sys.executable}")
    base = tmp_path_factory.mktemp("matrix")
    root, out, home = base / "in", base / "out", base / "prefect-home"
    root.mkdir()
    home.mkdir()
    _build(root, base / "outside")
    before_in = _snapshot(root, ())
    before_all = _snapshot(base, (out, home, root))
    proc = subprocess.run(
        _command("run", str(root), "--out", str(out), "--no-progress"),
        capture_output=True,
        text=True,
        env=_env(home),
        timeout=600,
    )
    after = {"in": _snapshot(root, ()), "all": _snapshot(base, (out, home, root))}
    yield {"proc": proc, "root": root, "out": out, "before_in": before_in,
           "before_all": before_all, "after": after}  # fmt: skip
    (root / "locked.en.txt").chmod(0o644)  # let pytest clean up


def _records(out: Path) -> dict[str, tuple[str, dict]]:
    """Source label → ("docs"|"quarantine", record)."""
    found: dict[str, tuple[str, dict]] = {}
    for sub in ("docs", "quarantine"):
        for path in sorted((out / sub).glob("*.json")):
            rec = json.loads(path.read_text(encoding="utf-8"))
            assert path.resolve().parent == (out / sub).resolve()
            for src in rec["sources"]:
                assert src not in found, f"{src} in two records"
                found[src] = (sub, rec)
    return found


def test_run_exits_zero_and_reports_quarantine(matrix_run) -> None:
    proc = matrix_run["proc"]
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr + proc.stdout
    assert "quarantined" in proc.stderr + proc.stdout


def test_every_input_ends_in_docs_or_quarantine_with_its_reason(matrix_run) -> None:
    records = _records(matrix_run["out"])
    wrong = []
    for case in _cases():
        if case.special == "jsonl":
            for line, expect in JSONL_EXPECT.items():
                where, rec = records.get(f"feed.jsonl:{line}", ("missing", {}))
                got = where if where == "docs" else rec.get("reason", where)
                if got != expect:
                    wrong.append((case.kind, line, expect, got))
            assert "feed.jsonl:3" not in records  # a blank line is not a document
            continue
        for name in case.files:
            where, rec = records.get(printable_path(name), ("missing", {}))
            got = "docs" if where == "docs" else rec.get("reason", where)
            expect = case.outcome
            if expect == "dup":
                expect = "duplicate-id" if name == "dup.txt" else "docs"
            if expect == "docs-or-lang":
                ok = got == "docs" or got == "wrong-language"
            else:
                ok = got == expect
            if not ok:
                wrong.append((case.kind, name, expect, got, rec.get("detail")))
    assert not wrong, wrong
    kinds = {c.kind for c in _cases()}
    assert len(kinds) >= 15


def test_an_empty_side_is_named_in_the_documents_warnings(matrix_run) -> None:
    records = _records(matrix_run["out"])
    where, rec = records["half.ru.txt"]
    assert where == "docs" and records["half.en.txt"][1] is rec
    assert rec["warnings"][0].startswith("empty-side: half.en.txt: file is empty")
    assert rec["ru"] and not rec.get("en")
    where, rec = records["none.ru.txt"]
    assert where == "quarantine" and "none.ru.txt" in rec["detail"]


def test_quarantine_records_name_the_file_and_what_to_do(matrix_run) -> None:
    for path in (matrix_run["out"] / "quarantine").glob("*.json"):
        rec = json.loads(path.read_text(encoding="utf-8"))
        assert rec["reason"] and rec["detail"] and "\n" not in rec["detail"]
        assert any(src.split(":")[0] in rec["detail"] for src in rec["sources"]), rec


def test_nothing_lost_every_file_accounted_for(matrix_run) -> None:
    root, records = matrix_run["root"], _records(matrix_run["out"])
    files = set()
    for dirpath, dirnames, filenames in os.walk(root):  # does not follow folder links
        here = Path(dirpath)
        links = [d for d in dirnames if (here / d).is_symlink()]
        files |= {printable_path(str((here / n).relative_to(root))) for n in filenames + links}
    listed = {src.rsplit(":", 1)[0] if ".jsonl:" in src else src for src in records}
    assert files == listed


def test_corpus_files_parse(matrix_run) -> None:
    out = matrix_run["out"]
    tree = ET.parse(out / "corpus.tmx")
    tus = tree.getroot().findall("./body/tu")
    ru = (out / "corpus.ru").read_text(encoding="utf-8").splitlines()
    en = (out / "corpus.en").read_text(encoding="utf-8").splitlines()
    assert len(ru) == len(en) == len(tus) > 0
    for line in (out / "corpus.jsonl").read_text(encoding="utf-8").splitlines():
        json.loads(line)
    from translate.storage.tmx import tmxfile

    with (out / "corpus.tmx").open("rb") as fh:
        units = [u for u in tmxfile(fh, "ru", "en").units if u.source]
    assert len(units) == len(tus)
    # The XML-forbidden characters were dropped or escaped, and the text kept.
    assert any("Новый" in u.source for u in units)


def test_decoded_legacy_encodings_and_line_endings(matrix_run) -> None:
    docs = matrix_run["out"] / "docs"
    for doc_id, enc in (("cp1251", "cp1251"), ("koi8", "koi8_r"), ("cp866", "cp866"),
                        ("utf16", "utf-16-le"), ("bom-crlf", "utf-8-sig")):  # fmt: skip
        rec = json.loads((docs / f"{doc_id}.json").read_text(encoding="utf-8"))
        assert rec["ru"]["encoding"] == enc
        assert "Мост через Оку" in rec["ru"]["text"]
        assert "\r" not in rec["ru"]["raw_text"]


def test_nothing_written_outside_and_input_unchanged(matrix_run) -> None:
    assert matrix_run["after"]["in"] == matrix_run["before_in"]
    assert matrix_run["after"]["all"] == matrix_run["before_all"]
    out = matrix_run["out"]
    for path in out.rglob("*"):
        assert path.resolve().is_relative_to(out.resolve())
        assert not path.is_symlink()


def test_memory_stays_under_1_gb(matrix_run) -> None:
    """The folder holds over 100 MB (a 100 MB file, a 3 MB line): the run stays under 1 GB."""
    lines = [ln for ln in matrix_run["proc"].stderr.splitlines() if ln.startswith("peak_rss_kb=")]
    peak_mb = int(lines[-1].split("=")[1]) / 1024
    assert peak_mb < 1024, f"peak RSS {peak_mb:.0f} MB"


def test_nothing_read_from_outside(matrix_run) -> None:
    out = matrix_run["out"]
    for path in out.rglob("*"):
        if path.is_file():
            assert MARKER not in path.read_text(encoding="utf-8", errors="replace"), path
    # Had the run opened the outside FIFO it would have hung; it finished.
    assert matrix_run["proc"].returncode == 0


def test_output_inside_input_is_refused(tmp_path: Path) -> None:
    if not MTCLEAN.exists():
        pytest.skip(f"the mtclean console script is not installed next to {sys.executable}")
    root = tmp_path / "in"
    root.mkdir()
    (root / "a.en.txt").write_text(EN_ONLY)
    for out in (root / "out", root):
        proc = subprocess.run(
            [str(MTCLEAN), "run", str(root), "--out", str(out), "--no-progress"],
            capture_output=True,
            text=True,
            env=_env(tmp_path),
            timeout=120,
        )
        assert proc.returncode != 0
        message = proc.stderr.strip()
        assert len(message.splitlines()) == 1 and "inside" in message, message
        assert "Traceback" not in proc.stderr
    assert sorted(p.name for p in root.iterdir()) == ["a.en.txt"]


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        ("input:\n  max_byte: 10\n", "input.max_byte"),  # a typo is named, not ignored
        ("input:\n  max_bytes: -5\n", "input.max_bytes"),
        ('!!python/object/apply:os.system ["echo PWNED"]\n', "python/object"),  # safe loader
        ("input: [1, 2\n", "bad config"),
        # Strict: no coercion, finite numbers only, bounds (issue 19).
        ("run:\n  batch_size: true\n", "run.batch_size"),
        ("input:\n  follow_symlinks: 'yes'\n", "input.follow_symlinks"),
        ("input:\n  max_bytes: 1.0e+23\n", "input.max_bytes"),
        ("input:\n  max_bytes: 100000000000000000000000\n", "input.max_bytes"),
        ("align:\n  min_score: .nan\n", "align.min_score"),
        ("lid:\n  prior: {ru: .inf}\n", "lid.prior.ru"),
        ("lid:\n  prior: {ru: 1.0e+300}\n", "lid.prior.ru"),
        ("lid:\n  prior: {ru: 0}\n", "lid.prior.ru"),
        ("align:\n  mt_weight: 1.0e+300\n", "align.mt_weight"),
    ],
)
def test_bad_config_is_one_line_naming_the_key(tmp_path: Path, text: str, expect: str) -> None:
    if not MTCLEAN.exists():
        pytest.skip(f"the mtclean console script is not installed next to {sys.executable}")
    root = tmp_path / "in"
    root.mkdir()
    (root / "a.en.txt").write_text(EN_ONLY)
    config = tmp_path / "config.yaml"
    config.write_text(text)
    proc = subprocess.run(
        [str(MTCLEAN), "run", str(root), "--out", str(tmp_path / "out"), "--config", str(config)],
        capture_output=True,
        text=True,
        env=_env(tmp_path),
        timeout=120,
    )
    assert proc.returncode != 0
    message = proc.stderr.strip()
    assert len(message.splitlines()) == 1 and expect in message and "config.yaml" in message
    assert "PWNED" not in proc.stdout + proc.stderr
    assert not (tmp_path / "out").exists()


# ---------------------------------------------------------------- one line per failure (19)


def _cli(*args: str, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flows.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=timeout,  # a FIFO or /dev/zero read would hang or run past this
    )


def _one_line(proc: subprocess.CompletedProcess, code: int, needle: str) -> None:
    message = proc.stderr.strip()
    assert proc.returncode == code, message
    assert len(message.splitlines()) == 1 and needle in message, message
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "huge", "fifo-glossary", "folder"])
def test_config_or_glossary_not_a_small_regular_file_is_one_line(tmp_path: Path, kind: str) -> None:
    root = tmp_path / "in"
    root.mkdir()
    (root / "a.en.txt").write_text(EN_ONLY)
    config = tmp_path / "config.yaml"
    if kind == "fifo":
        os.mkfifo(config)
    elif kind == "dev-zero":
        config = Path("/dev/zero")
    elif kind == "huge":
        config.write_text("# padding\n" * 1_000_000)
    elif kind == "folder":
        config.mkdir()
    else:
        os.mkfifo(tmp_path / "g.tsv")
        config.write_text(f"repair:\n  glossary: [{tmp_path / 'g.tsv'}]\n")
    proc = _cli("run", str(root), "--out", str(tmp_path / "out"), "--config", str(config),
                env=_env(tmp_path), timeout=30)  # fmt: skip
    _one_line(proc, 2, "regular file" if kind not in ("huge",) else "bytes")
    assert not (tmp_path / "out").exists()


def test_a_hundred_thousand_bad_entries_give_a_short_line(tmp_path: Path) -> None:
    root = tmp_path / "in"
    root.mkdir()
    config = tmp_path / "config.yaml"
    config.write_text("lid:\n  prior:\n" + "".join(f"    l{i}: x\n" for i in range(100_000)))
    proc = _cli("run", str(root), "--out", str(tmp_path / "out"), "--config", str(config),
                env=_env(tmp_path))  # fmt: skip
    _one_line(proc, 2, "and 99997 more errors")
    assert len(proc.stderr) < 2000


def test_unreachable_prefect_api_is_one_line(tmp_path: Path) -> None:
    root = tmp_path / "in"
    root.mkdir()
    (root / "a.en.txt").write_text(EN_ONLY)
    env = {**_env(tmp_path), "PREFECT_API_URL": "http://127.0.0.1:9/api"}
    proc = _cli("run", str(root), "--out", str(tmp_path / "out"), "--no-progress", env=env)
    _one_line(proc, 6, "cannot be reached")
    assert not (tmp_path / "out").exists()  # the lock made it; nothing was written
    kept = tmp_path / "kept"  # a folder of the user's stays, empty as it was
    kept.mkdir()
    proc = _cli("run", str(root), "--out", str(kept), "--no-progress", env=env)
    _one_line(proc, 6, "cannot be reached")
    assert kept.is_dir() and list(kept.iterdir()) == []


@pytest.mark.parametrize("where", ["under-a-file", "proc"])
def test_out_that_cannot_be_made_is_one_line(tmp_path: Path, where: str) -> None:
    root = tmp_path / "in"
    root.mkdir()
    (root / "a.en.txt").write_text(EN_ONLY)
    (tmp_path / "file").write_text("x")
    # under a file: ENOTDIR; /proc takes no new folder (ENOENT): both the output's fault
    out = tmp_path / "file" / "out" if where == "under-a-file" else Path("/proc/mtclean-out")
    if where == "proc" and not Path("/proc/self").exists():
        pytest.skip("no /proc on this system")
    proc = _cli("run", str(root), "--out", str(out), "--no-progress", env=_env(tmp_path))
    _one_line(proc, 4, "cannot write")


@pytest.fixture
def small_fs(tmp_path: Path):
    """A 1 MB tmpfs (root only), unmounted afterwards."""
    yield from small_tmpfs(tmp_path, "1m")


def test_read_only_out_is_one_line(tmp_path: Path, small_fs: Path) -> None:
    root = tmp_path / "in"
    root.mkdir()
    (root / "a.en.txt").write_text(EN_ONLY)
    subprocess.run(["mount", "-o", "remount,ro", str(small_fs)], check=True)
    proc = _cli("run", str(root), "--out", str(small_fs / "out"), "--no-progress",
                env=_env(tmp_path))  # fmt: skip
    _one_line(proc, 4, "Read-only file system")


def test_disk_full_is_one_line_and_the_run_resumes(tmp_path: Path, small_fs: Path) -> None:
    root = tmp_path / "in"
    root.mkdir()
    for n in range(40):
        for p in sorted((REPO / "corpora" / "sample").glob("*.txt")):
            shutil.copy(p, root / f"c{n:02d}-{p.name}")
    out = small_fs / "out"
    env = _env(tmp_path)
    proc = _cli("run", str(root), "--out", str(out), "--no-progress", env=env, timeout=600)
    _one_line(proc, 5, "no space left")
    subprocess.run(["mount", "-o", "remount,size=64m", str(small_fs)], check=True)
    proc = _cli("run", str(root), "--out", str(out), "--no-progress", env=env, timeout=600)
    assert proc.returncode == 0, proc.stderr
    fresh = tmp_path / "fresh"
    assert _cli("run", str(root), "--out", str(fresh), "--no-progress", env=env,
                timeout=600).returncode == 0  # fmt: skip
    for name in ("corpus.tmx", "corpus.ru", "corpus.en", "corpus.tsv", "corpus.jsonl"):
        assert (out / name).read_bytes() == (fresh / name).read_bytes(), name


def test_full_prefect_home_is_one_line(tmp_path: Path, small_fs: Path) -> None:
    root = tmp_path / "in"
    root.mkdir()
    (root / "a.en.txt").write_text(EN_ONLY)
    with contextlib.suppress(OSError), (small_fs / "filler").open("wb") as fh:
        while True:  # fill the file system to the last block
            fh.write(b"\0" * 65536)
            fh.flush()
    env = {**_env(tmp_path), "PREFECT_HOME": str(small_fs)}
    proc = _cli("run", str(root), "--out", str(tmp_path / "out"), "--no-progress", env=env)
    _one_line(proc, 5, "PREFECT_HOME")
