"""The ``mtclean`` command line, run as a user runs it: a subprocess per call."""

from __future__ import annotations

import codecs
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cli_run import mtclean

from cleaners import manifest as mf
from cleaners.config import InputConfig
from cleaners.readers import discover

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "corpora" / "sample"
SEED = ROOT.parent / "shared" / "seed" / "example.txt"


@pytest.fixture(scope="session")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    home = tmp_path_factory.mktemp("prefect-home")
    return {
        **os.environ,
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "PYTHONIOENCODING": "utf-8",
    }


# ---------------------------------------------------------------- help


@pytest.mark.parametrize(
    "sub", [[], ["run"], ["serve"], ["clean"], ["detect"], ["align"], ["filter"]]
)
def test_help_explains_itself(sub: list[str], env: dict[str, str]) -> None:
    r = mtclean(*sub, "--help", env=env)
    assert r.returncode == 0 and "usage: mtclean" in r.stdout
    if not sub:
        for name in ("run", "serve", "clean", "detect", "align", "filter"):
            assert name in r.stdout
    if sub == ["run"]:
        assert "corpus.rejected" in r.stdout and "text/" in r.stdout
        # Every exit code of README's table (it named 0, 2 and 3 only).
        from flows import cli

        said = " ".join(r.stdout.split())
        codes = (cli.EXIT_FAILED, cli.EXIT_USAGE, cli.EXIT_LOCKED, cli.EXIT_OUTPUT)
        for code in (*codes, cli.EXIT_DISK_FULL, cli.EXIT_PREFECT):
            assert re.search(rf"\b{code} (for|when)\b", said), (code, said)
        assert "130/143 when stopped" in said


def test_no_command_shows_the_commands(env: dict[str, str]) -> None:
    # it said only "the following arguments are required: COMMAND"
    r = mtclean(env=env)
    assert r.returncode == 2 and "usage: mtclean" in r.stderr
    assert all(f"    {name} " in r.stderr for name in ("run", "clean", "detect", "align", "filter"))


def test_version(env: dict[str, str]) -> None:
    from cleaners import __version__

    r = mtclean("--version", env=env)
    assert r.returncode == 0 and r.stdout.strip() == f"mtclean {__version__}"


# ---------------------------------------------------------------- clean


def test_clean_jsonl_contract(env: dict[str, str]) -> None:
    from cleaners.model import Edit
    from cleaners.repair import replay

    lines = [
        {"id": "a", "text": "Talks on trade andeconomic ties ended at 18: 18 today."},
        {"id": "b", "text": "Nothing to fix here."},
        {"id": 3, "text": "Президент прибыл в Астану."},
    ]
    stdin = "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines) + "\n"
    r = mtclean("clean", "--format", "jsonl", env=env, stdin=stdin)
    assert r.returncode == 0, r.stderr
    out = [json.loads(x) for x in r.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", "b", 3]
    assert [o["lang"] for o in out] == ["en", "en", "ru"]
    for src, o in zip(lines, out, strict=True):
        assert set(o) == {"id", "text", "lang", "edits"}
        edits = [Edit.from_dict(e) for e in o["edits"]]
        for e in edits:
            assert set(e.to_dict()) == {"rule", "start", "end", "before", "after"}
            assert src["text"][e.start : e.end] == e.before  # offsets into the input
        assert replay(src["text"], edits) == o["text"]
    assert out[1]["text"] == lines[1]["text"] and out[1]["edits"] == []
    assert out[0]["edits"], "the fused words and the broken time are repaired"


def test_clean_jsonl_says_und_for_text_without_a_word_as_detect_does(
    env: dict[str, str],
) -> None:
    texts = ["", "x y", "5,5 %", "Да", "OK"]
    stdin = "".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in enumerate(texts))
    stdin += json.dumps({"id": "given", "text": "", "lang": "ru"}) + "\n"
    r = mtclean("clean", "--format", "jsonl", env=env, stdin=stdin)
    assert r.returncode == 0, r.stderr
    out = [json.loads(x) for x in r.stdout.splitlines()]
    assert [o["lang"] for o in out] == ["und", "und", "und", "ru", "en", "ru"]  # given: kept
    # A line without a word still gets the English number rules, as before.
    assert out[2]["text"] == "5.5%"
    r = mtclean("detect", env=env, stdin="".join(t + "\n" for t in texts[:3]))
    assert [row.split("\t")[0] for row in r.stdout.splitlines()] == ["und"] * 3


def test_clean_text_and_explain(tmp_path: Path, env: dict[str, str]) -> None:
    f = tmp_path / "doc.txt"
    f.write_text("Prices rose at 18: 18 on Monday.\n", encoding="utf-8")
    r = mtclean("clean", str(f), "--explain", env=env)
    assert r.returncode == 0, r.stderr
    assert "18:18" in r.stdout and "18: 18" not in r.stdout
    assert "18: 18" in r.stderr or "' '" in r.stderr  # the edit, listed readably


@pytest.mark.skipif(not SEED.exists(), reason="needs ../shared/seed/example.txt")
def test_clean_on_the_users_example(env: dict[str, str]) -> None:
    r = mtclean("clean", str(SEED), env=env)
    assert r.returncode == 0, r.stderr
    assert "trade and economic and investment" in r.stdout and "18:18" in r.stdout
    for name in ("Tokayev", "Novorossiysk", "Kassym-Jomart", "pin_code", "rotkiv04"):
        assert name in r.stdout


def test_clean_list_rules_names_every_rule_and_parameter(env: dict[str, str]) -> None:
    from cleaners.repair import RULES

    r = mtclean("clean", "--list-rules", env=env)
    assert r.returncode == 0, r.stderr
    for name, rule in RULES.items():
        assert f"{name}  (stage" in r.stdout
        for key in rule.params:
            assert f"param {key} = " in r.stdout
    assert "off by default" in r.stdout  # fold_quotes, fold_dashes


def test_clean_bad_input_is_one_line(env: dict[str, str]) -> None:
    r = mtclean("clean", "--format", "jsonl", env=env, stdin='{"id": 1, "text": "ok"}\nnot json\n')
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1
    assert "line 2" in r.stderr
    r = mtclean("clean", "/no/such/file.txt", env=env)
    assert r.returncode == 2 and "no such file" in r.stderr


def test_a_folder_or_an_undecodable_file_is_named_for_what_it_is(
    env: dict[str, str], tmp_path: Path
) -> None:
    for cmd in (["clean"], ["detect"], ["filter"], ["align", str(tmp_path)]):
        r = mtclean(*cmd, str(tmp_path), env=env)
        assert r.returncode == 2, cmd
        assert r.stderr.strip().endswith(f"{tmp_path} is a folder; give a file (`mtclean run` "
                                         "reads folders)"), cmd  # fmt: skip
        # An empty name (an unset variable) is not the working directory, a folder.
        r = mtclean(*cmd[:1], "", *cmd[1:], env=env)
        assert r.returncode == 2 and "file name is empty" in r.stderr, (cmd, r.stderr)
    (tmp_path / "empty.txt").write_bytes(b"")
    r = mtclean("clean", str(tmp_path / "empty.txt"), env=env)
    assert r.returncode == 2 and "cannot decode (empty: file is empty)" in r.stderr
    r = mtclean("clean", "-", env=env, stdin="")
    assert r.returncode == 2 and "clean: stdin: cannot decode (empty" in r.stderr, r.stderr
    # A cp1251 file is no UTF-8 line input: detect refuses it before any output (it gave a
    # silent 'und' a line, exit 0), naming its code page and the iconv to run.
    (tmp_path / "ru.txt").write_bytes("Погода в Казани\nСнег и мороз.\n".encode("cp1251"))
    r = mtclean("detect", str(tmp_path / "ru.txt"), env=env)
    name = str(tmp_path / "ru.txt")
    assert r.returncode == 2 and r.stdout == "", r.stderr
    assert r.stderr == (
        f"mtclean detect: {name} is not UTF-8: it reads as CP1251, a Cyrillic code page (line "
        f"input must be UTF-8): iconv -f CP1251 -t utf-8 {name}\n"
    )
    koi = tmp_path / "новости koi8.jsonl"
    koi.write_bytes('{"id": 1, "ru": "Снег и мороз.", "en": "Snow and frost."}\n'.encode("koi8-r"))
    r = mtclean("filter", str(koi), env=env)
    assert r.returncode == 2 and r.stdout == "", r.stderr
    assert r.stderr.endswith(f"reads as KOI8-R, a Cyrillic code page (line input must be UTF-8): "
                             f"iconv -f KOI8-R -t utf-8 '{koi}'\n"), r.stderr  # fmt: skip
    # A file whose code page starts past the first 4 KB is refused too, before any output
    # (test_a_late_code_page_is_refused_before_any_output).
    late = tmp_path / "late.txt"
    late.write_bytes(b"Snow and frost.\n" * 300 + "Снег и мороз.\n".encode("cp1251"))
    r = mtclean("detect", str(late), env=env)
    assert r.returncode == 2 and r.stdout == "", r.stderr
    assert r.stderr.endswith(f"reads as CP1251, a Cyrillic code page (line input must be UTF-8): "
                             f"iconv -f CP1251 -t utf-8 {late}\n"), r.stderr  # fmt: skip
    fixed = koi.read_bytes().decode("koi8-r")
    if shutil.which("iconv"):  # the command as given
        run = subprocess.run(
            ["iconv", "-f", "KOI8-R", "-t", "utf-8", str(koi)], capture_output=True
        )
        fixed = run.stdout.decode("utf-8")
    r = mtclean("filter", env=env, stdin=fixed)
    assert r.returncode == 0 and r.stderr == "" and json.loads(r.stdout)["keep"] is True
    # Negative: the same text in UTF-8 is read without a word on stderr.
    (tmp_path / "ru.txt").write_text("Погода в Казани\nСнег и мороз.\n", encoding="utf-8")
    r = mtclean("detect", str(tmp_path / "ru.txt"), env=env)
    assert r.stderr == "" and r.stdout.split("\t")[0] == "ru"


def test_filters_take_a_bom_and_bad_bytes_without_a_traceback(env: dict[str, str]) -> None:
    # A BOM opening the input, an invalid UTF-8 byte and a JSON lone-surrogate escape: every
    # record still gets its line of valid UTF-8 out, the bad characters shown as U+FFFD.
    bom, bad = "\ufeff".encode(), b"\xff"
    rec = '{"id": "b", "ru": "Привет, мир.", "en": "Hello, world.", "text": "Привет, мир."}'
    lines = [
        bom + rec.encode(),
        rec.replace("мир", "мир\\ud800").encode(),
        rec.encode().replace("мир".encode(), "мир".encode() + bad),
    ]
    stdin = b"\n".join(lines) + b"\n"
    lines_text = "Доброе утро, друзья!\nДоброе утро".encode() + bad + ", друзья!\n".encode()
    for args in (
        ["clean", "--format", "jsonl"],
        ["detect", "--format", "jsonl"],
        ["filter"],
        ["detect"],
    ):
        r = subprocess.run(
            [sys.executable, "-m", "flows.cli", *args],
            input=stdin if args != ["detect"] else bom + lines_text,
            capture_output=True,
            env=env,
            cwd=ROOT,
            timeout=120,
        )
        # Every record has its line out; the code says some text was lost (exit 2, as
        # `filter` when a line is not a pair).
        assert r.returncode == 2, (args, r.stderr.decode(errors="replace")[-300:])
        # Said once, at the end: the bytes that were not UTF-8 (the escape is JSON's); the
        # record's line holds two, the plain text one.
        n = 1 if args == ["detect"] else 2
        assert r.stderr.decode().strip() == (
            f"mtclean {args[0]}: {n} byte(s) of the input were not UTF-8 and were read as U+FFFD; "
            "line input must be UTF-8 (a cp1251 file: iconv -f cp1251 -t utf-8 FILE)"
        )
        out = r.stdout.decode("utf-8").splitlines()
        if args == ["detect"]:
            assert [line.split("\t")[0] for line in out] == ["ru", "ru"]
            continue
        recs = [json.loads(line) for line in out]
        assert [x["id"] for x in recs] == ["b", "b", "b"], args
        if args[0] == "clean":
            assert recs[0]["text"] == "Привет, мир."
            assert "\ufffd" in recs[1]["text"] and "\ufffd" in recs[2]["text"]


# ---------------------------------------------------------------- detect / align


def test_detect_text_and_jsonl(env: dict[str, str]) -> None:
    r = mtclean(
        "detect",
        env=env,
        stdin="Президент подписал указ о новых мерах поддержки.\n"
        "The president signed a decree on new support measures.\n",
    )
    assert r.returncode == 0, r.stderr
    rows = [line.split("\t") for line in r.stdout.splitlines()]
    assert [lang for lang, _ in rows] == ["ru", "en"]
    assert all(0.0 <= float(score) <= 1.0 for _, score in rows)
    stdin = json.dumps({"id": "x", "text": "Доброе утро, дорогие друзья!"}, ensure_ascii=False)
    r = mtclean("detect", "--format", "jsonl", env=env, stdin=stdin + "\n")
    assert r.returncode == 0, r.stderr
    rec = json.loads(r.stdout)
    assert rec["id"] == "x" and rec["lang"] == "ru" and set(rec) == {"id", "lang", "score"}


def test_detect_calls_a_lone_letter_und(env: dict[str, str]) -> None:
    """One letter ("a", "I", "я") is a word of many languages, and letters standing alone
    ("x y", initials) hold no word: ``und`` at 0, in both formats and in order among the
    lines around it (the models said "a" is English at 0.85, "x y" German at 0.61)."""
    stdin = "a\nThe president signed a decree.\nя\n5 I\nx y\nA. B.\nOK\n"
    r = mtclean("detect", env=env, stdin=stdin)
    assert r.returncode == 0, r.stderr
    rows = [line.split("\t") for line in r.stdout.splitlines()]
    assert rows[0] == rows[2] == rows[3] == rows[4] == rows[5] == ["und", "0.0000"]
    assert rows[1][0] == "en" and rows[6][0] == "en"  # a two-letter word is a word
    stdin = "".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in enumerate(["I", "Hi"]))
    r = mtclean("detect", "--format", "jsonl", env=env, stdin=stdin)
    assert r.returncode == 0, r.stderr
    recs = [json.loads(line) for line in r.stdout.splitlines()]
    assert recs[0] == {"id": 0, "lang": "und", "score": 0.0}
    assert recs[1]["id"] == 1 and set(recs[1]) == {"id", "lang", "score"}


def test_align_text_and_jsonl(tmp_path: Path, env: dict[str, str]) -> None:
    ru = ["Мост откроют в пятницу.", "Движение будет свободным.", "Погода будет холодной."]
    en = ["The bridge opens on Friday.", "Traffic will be free.", "The weather will be cold."]
    (tmp_path / "ru.txt").write_text("\n".join(ru) + "\n", encoding="utf-8")
    (tmp_path / "en.txt").write_text("\n".join(en) + "\n", encoding="utf-8")
    r = mtclean("align", str(tmp_path / "ru.txt"), str(tmp_path / "en.txt"), env=env)
    assert r.returncode == 0, r.stderr
    beads = [line.split("\t") for line in r.stdout.splitlines()]
    assert [(b[0], b[1]) for b in beads] == [("0", "0"), ("1", "1"), ("2", "2")]
    assert all(0.0 <= float(b[2]) <= 1.0 for b in beads)
    stdin = json.dumps({"id": "d1", "ru": ru, "en": en}, ensure_ascii=False) + "\n"
    r = mtclean("align", "-", "--format", "jsonl", env=env, stdin=stdin)
    assert r.returncode == 0, r.stderr
    rec = json.loads(r.stdout)
    assert rec["id"] == "d1" and [b[:2] for b in rec["beads"]] == [[[i], [i]] for i in range(3)]
    # No file at all reads stdin too, as `clean` and `detect` do.
    r2 = mtclean("align", "--format", "jsonl", env=env, stdin=stdin)
    assert r2.returncode == 0 and r2.stdout == r.stdout, r2.stderr
    r = mtclean("align", str(tmp_path / "ru.txt"), env=env)
    assert r.returncode == 2 and "two files" in r.stderr


def test_align_jsonl_names_the_first_record_aligned_by_sentence(env: dict[str, str]) -> None:
    """Paragraphs against sentences are aligned sentence by sentence, said once on stderr:
    in a file of records, naming the first such record (which of 281 was it?)."""
    ru = ["Мост откроют в пятницу. Движение будет свободным. Погода будет холодной."]
    en = ["The bridge opens on Friday.", "Traffic will be free.", "The weather will be cold."]
    recs = [{"id": "a", "ru": ["Мост откроют в пятницу."], "en": en[:1]}]
    recs += [{"id": k, "ru": ru, "en": en} for k in ("b", "c")]
    stdin = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs)
    r = mtclean("align", "--format", "jsonl", env=env, stdin=stdin)
    assert r.returncode == 0, r.stderr
    (note,) = r.stderr.splitlines()
    assert note.startswith('mtclean align: record "b" (the first such): one side') and "3.0" in note
    assert json.loads(r.stdout.splitlines()[1])["beads"][0][:2] == [[0], [0, 1, 2]]


def test_align_jsonl_with_a_non_string_segment_is_one_line(env: dict[str, str]) -> None:
    for bad in ([1, 2], [None], ["ok", {"a": 1}]):
        stdin = json.dumps({"id": "n", "ru": bad, "en": ["a"]}) + "\n"
        r = mtclean("align", "--format", "jsonl", env=env, stdin=stdin)
        assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1, r.stderr
        assert "line 1" in r.stderr


def test_align_language_codes_are_read_as_codes(tmp_path: Path, env: dict[str, str]) -> None:
    """``--src-lang DE`` is ``de`` (same beads, the de–fr word table used); a pair without a
    table says so on stderr; a code that is no language code is refused, not looked up."""
    de = ["Der Hund schläft im Garten.", "Die Regierung hat das neue Gesetz beschlossen."]
    fr = ["Le chien dort dans le jardin.", "Le gouvernement a adopté la nouvelle loi."]
    (tmp_path / "de.txt").write_text("\n".join(de) + "\n", encoding="utf-8")
    (tmp_path / "fr.txt").write_text("\n".join(fr) + "\n", encoding="utf-8")
    files = [str(tmp_path / "de.txt"), str(tmp_path / "fr.txt")]
    low = mtclean("align", *files, "--src-lang", "de", "--tgt-lang", "fr", env=env)
    up = mtclean("align", *files, "--src-lang", "DE", "--tgt-lang", " Fr", env=env)
    assert low.returncode == up.returncode == 0, up.stderr
    assert up.stdout == low.stdout and low.stderr == ""
    # Three-letter and FLORES-style codes of a language with a table are that language.
    flores = mtclean("align", *files, "--src-lang", "deu_Latn", "--tgt-lang", "fra", env=env)
    assert flores.returncode == 0 and flores.stdout == low.stdout and flores.stderr == ""
    none = mtclean("align", *files, "--src-lang", "de", "--tgt-lang", "xx", env=env)
    assert none.returncode == 0 and "no word table for de-xx" in none.stderr
    for bad in ("../../x", "de-fr", ""):
        r = mtclean("align", *files, "--src-lang", bad, env=env)
        assert r.returncode == 2 and "--src-lang" in r.stderr, (bad, r.stderr)
    # jsonl records under ru/en (the contract for every pair) or under the pair's own codes
    # align as the two files do; a record with neither names both.
    langs = ["--format", "jsonl", "--src-lang", "de", "--tgt-lang", "fr"]
    ids = ",".join
    for rec in ({"id": 1, "ru": de, "en": fr}, {"id": 1, "de": de, "fr": fr}):
        r = mtclean("align", *langs, env=env, stdin=json.dumps(rec))
        assert r.returncode == 0, r.stderr
        beads = json.loads(r.stdout)["beads"]
        got = [f"{ids(map(str, a))}\t{ids(map(str, b))}\t{s:.4f}" for a, b, s in beads]
        assert got == low.stdout.splitlines()
    r = mtclean("align", *langs, env=env, stdin=json.dumps({"id": 1, "de": de, "it": fr}))
    assert r.returncode == 2 and "'ru' and 'en' (or 'de' and 'fr')" in r.stderr
    # ru–en itself reads only ru/en.
    r = mtclean("align", "--format", "jsonl", env=env, stdin=json.dumps({"id": 1, "de": de}))
    assert r.returncode == 2 and "needs lists of strings 'ru' and 'en'" in r.stderr


def test_clean_jsonl_guesses_the_language_when_lang_is_no_string(env: dict[str, str]) -> None:
    stdin = json.dumps({"id": "n", "text": "The talks ended on Monday.", "lang": 5}) + "\n"
    r = mtclean("clean", "--format", "jsonl", env=env, stdin=stdin)
    assert r.returncode == 0 and json.loads(r.stdout)["lang"] == "en", r.stderr


def test_filters_never_import_prefect(tmp_path: Path, env: dict[str, str]) -> None:
    (tmp_path / "t.txt").write_text("Hello there.\n", encoding="utf-8")
    code = (
        "import sys\nfrom flows.cli import main\n"
        f"for argv in (['clean', {str(tmp_path / 't.txt')!r}], ['detect', "
        f"{str(tmp_path / 't.txt')!r}], ['align', {str(tmp_path / 't.txt')!r}, "
        f"{str(tmp_path / 't.txt')!r}]):\n"
        "    assert main(argv) == 0\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('prefect', 'argostranslate',"
        " 'torch', 'dask'))\n"
        "print('HEAVY', bad)\n"
    )
    r = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, timeout=60
    )
    assert r.returncode == 0, r.stderr
    assert "HEAVY []" in r.stdout


# ---------------------------------------------------------------- run: arguments


def test_run_rejects_unusable_arguments(tmp_path: Path, env: dict[str, str]) -> None:
    src = tmp_path / "in"
    src.mkdir()
    cases = [
        (["run", str(tmp_path / "missing"), "--out", str(tmp_path / "o")], "not found"),
        (["run", str(src), "--out", str(src / "out")], "inside the input"),
        (["run", str(src), "--out", str(tmp_path / "o"), "--batch-size", "0"], "batch-size"),
        # An empty name (an unset variable) is not the working directory.
        (["run", str(src), "--out", ""], "--out is empty"),
        (["run", "", "--out", str(tmp_path / "o")], "input folder is empty"),
    ]
    (tmp_path / "one.en.txt").write_text("A text.\n", encoding="utf-8")
    cases.append(  # a file where the folder goes: what to do instead
        (["run", str(tmp_path / "one.en.txt"), "--out", str(tmp_path / "o")], "mtclean clean FILE")
    )
    bad_cfg = tmp_path / "bad.yaml"
    bad_cfg.write_text("repair:\n  enabeld: true\n")
    cases.append(
        (["run", str(src), "--out", str(tmp_path / "o"), "--config", str(bad_cfg)], "enabeld")
    )
    cases.append(
        (
            [
                "run",
                str(src),
                "--out",
                str(tmp_path / "o"),
                "--config",
                str(tmp_path / "nope.yaml"),
            ],
            "not found",
        )
    )
    # An explicit package that is not there is a typo, as for `mtclean align` (not a run
    # that quietly goes on without the retranslation).
    missing = str(tmp_path / "ru_en.argosmodel")
    cases.append(
        (["run", str(src), "--out", str(tmp_path / "o"), "--argos-package", missing], "not found")
    )
    for argv, needle in cases:
        r = mtclean(*argv, env=env)
        assert r.returncode == 2, (argv, r.stderr)
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and needle in lines[0], (argv, r.stderr)
    r = mtclean("run", str(src), env=env)  # --out missing
    assert r.returncode == 2


def test_run_refuses_a_users_folder_before_prefect_starts(
    tmp_path: Path, env: dict[str, str]
) -> None:
    # `--out ~/notes` by mistake: one line and exit 4 before a temporary server is started
    # (its home is not even made), the user's files as they were, no lock left behind.
    src, out, home = tmp_path / "in", tmp_path / "notes", tmp_path / "prefect-home"
    shutil.copytree(SAMPLE, src)
    out.mkdir()
    (out / "report.md").write_text("my report")
    (out / "todo.txt").write_text("mine too")
    r = mtclean("run", str(src), "--out", str(out), env={**env, "PREFECT_HOME": str(home)})
    assert r.returncode == 4, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "did not write" in lines[0] and "report.md" in lines[0], r.stderr
    assert not home.exists()
    assert sorted(p.name for p in out.iterdir()) == ["report.md", "todo.txt"]
    assert (out / "report.md").read_text() == "my report"


def test_run_refuses_a_folder_in_use(tmp_path: Path, env: dict[str, str]) -> None:
    out = tmp_path / "out"
    out.mkdir()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; "
         "from cleaners.manifest import OutputLock; OutputLock(Path(sys.argv[1])).acquire(); "
         "print('held', flush=True); time.sleep(60)", str(out)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        home = tmp_path / "prefect-home-never-made"
        r = mtclean("run", str(SAMPLE), "--out", str(out), env={**env, "PREFECT_HOME": str(home)})
    finally:
        holder.kill()
        holder.wait()
    assert r.returncode == 3
    assert len(r.stderr.strip().splitlines()) == 1 and f"pid {holder.pid}" in r.stderr
    assert not home.exists()  # refused before Prefect was even imported


# ---------------------------------------------------------------- run: end to end


def test_run_summary_line_counts_corpus_and_rejected_pairs() -> None:
    """The last line says how many pairs reached the corpus and how many the filters kept out,
    so its count is not mistaken for the report's "N of M aligned pairs rejected"."""
    from flows.cli import summary_line

    run = {"inputs": 3, "done": 2, "quarantined": 1, "processed": 3, "skipped": 0,
           "resumed": 0, "removed": 0}  # fmt: skip
    summary = {"run": run, "corpus": {"written": 21, "rejected": 22}}
    line = summary_line(summary, Path("/o"))
    assert line.endswith("; 21 pairs in the corpus, 22 rejected → /o")
    assert line.startswith("3 documents: 2 done, 1 quarantined (3 processed,")
    run = {**run, "inputs": 1, "done": 1, "quarantined": 0, "processed": 1}
    line = summary_line({"run": run, "corpus": {"written": 1, "rejected": 0}}, Path("/o"))
    assert line.startswith("1 document: 1 done") and "; 1 pair in the corpus, 0 rej" in line


@pytest.mark.slow
def test_run_end_to_end_and_rerun(tmp_path: Path, env: dict[str, str]) -> None:
    src = tmp_path / "in"
    shutil.copytree(SAMPLE, src)
    (src / "broken.en.txt").write_bytes(bytes(range(256)) * 8)
    out = tmp_path / "out [red]x"  # a name rich would read as markup
    r = mtclean("run", str(src), "--out", str(out), env=env, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "quarantined" in r.stderr and "binary" in r.stderr  # reported, not fatal
    # The summary is one line however long (a log is no terminal) and names the folder as is.
    assert f" rejected → {out}\n" in r.stderr and "(7 processed," in r.stderr
    found = mf.scan_results(out)
    assert found["broken"] == ["quarantined"] and all(len(v) == 1 for v in found.values())
    for name in (*mf.CORPUS_FILES, "report.md", "report.json", "report.html", "manifest.json"):
        assert (out / name).is_file(), name
    before = {n: (out / n).read_bytes() for n in mf.CORPUS_FILES}
    r = mtclean("run", str(src), "--out", str(out), "--batch-size", "1", env=env, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "0 processed" in r.stderr
    assert {n: (out / n).read_bytes() for n in mf.CORPUS_FILES} == before
    # That output folder inside a folder given as input (`mtclean run corpora` after the
    # README's `--out corpora/out`) is one quarantined item, its text/ and corpus unread.
    items = discover(tmp_path, InputConfig())
    left = [it for it in items if not it.sources[0].startswith("in/")]
    assert [(it.sources, it.error and it.error.reason) for it in left] == [
        ([out.name], "output-folder")
    ]
    assert len(items) == 1 + len(discover(src, InputConfig()))
    # Given as the input folder itself: refused at once, saying what to give instead.
    r = mtclean("run", str(out), "--out", str(tmp_path / "o2"), env=env)
    assert r.returncode == 2 and "is an mtclean output folder" in r.stderr, r.stderr
    assert not (tmp_path / "o2").exists()


@pytest.mark.slow
def test_a_run_logged_to_a_file_ends_in_its_one_line(tmp_path: Path, env: dict[str, str]) -> None:
    # No --no-progress, stderr no terminal (a log, cron): no bar frames, only the line that
    # ends the run, also when it fails once Prefect has started (a result file of the user's).
    src, out = tmp_path / "in", tmp_path / "out"
    shutil.copytree(SAMPLE, src)
    r = mtclean("run", str(src), "--out", str(out), env=env, timeout=300)
    assert r.returncode == 0 and r.stderr.startswith("6 documents: 6 done"), r.stderr
    assert len(r.stderr.splitlines()) == 1
    mine = tmp_path / "mine"
    (mine / "docs").mkdir(parents=True)
    (mine / "docs" / "volga-route.json").write_text('{"mine": 1}')
    r = mtclean("run", str(src), "--out", str(mine), env=env, timeout=300)
    assert r.returncode == 4 and len(r.stderr.splitlines()) == 1, r.stderr
    assert "docs/volga-route.json" in r.stderr


@pytest.mark.slow
def test_run_on_a_folder_without_inputs_says_what_it_looked_for(
    tmp_path: Path, env: dict[str, str]
) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / ".hidden").write_text("not an input")
    out = tmp_path / "out"
    r = mtclean("run", str(src), "--out", str(out), env=env, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "0 documents" in r.stderr and f"no input in {src}:" in r.stderr
    assert (out / "corpus.tsv").read_text() == ""


# ---------------------------------------------------------------- run: flags → config


@pytest.mark.parametrize(
    ("flags", "expect"),
    [
        ({"retranslate": True}, {("translate", "enabled"): True}),
        (
            {"argos_package": "/m/ru_en.argosmodel"},
            {("translate", "package_path"): "/m/ru_en.argosmodel", ("translate", "enabled"): True},
        ),
        ({"dask": True}, {("run", "dask"): True, ("run", "dask_address"): None}),
        (
            {"dask_address": "tcp://h:1"},
            {("run", "dask"): True, ("run", "dask_address"): "tcp://h:1"},
        ),
        ({"batch_size": 7, "workers": 3}, {("run", "batch_size"): 7, ("run", "max_workers"): 3}),
        # Flags not given (False / None) leave the config file's values alone.
        ({"retranslate": False, "workers": None}, {("run", "max_workers"): 5}),
    ],
)
def test_run_flags_map_onto_config(flags: dict, expect: dict) -> None:
    from cleaners.config import FLAG_FIELDS, PipelineConfig, with_flags

    base = PipelineConfig.model_validate({"run": {"max_workers": 5}})
    cfg = with_flags(base, {name: None for name in FLAG_FIELDS} | flags)
    for (section, key), value in expect.items():
        assert getattr(getattr(cfg, section), key) == value
    untouched = {s for s, _ in expect} ^ {"translate", "run"}
    for section in untouched:
        assert getattr(cfg, section) == getattr(base, section)


def test_bad_flag_values_name_the_flag() -> None:
    from cleaners.config import PipelineConfig, with_flags

    for flag in ("batch_size", "workers"):
        with pytest.raises(ValueError, match=f"^--{flag.replace('_', '-')}: "):
            with_flags(PipelineConfig(), {flag: 0})


def test_serve_and_prefect_yaml_register_different_deployments() -> None:
    import yaml

    from flows.cli import build_parser

    served = build_parser().parse_args(["serve", "in", "--out", "out"]).name
    declared = [
        d["name"] for d in yaml.safe_load((ROOT / "prefect.yaml").read_text())["deployments"]
    ]
    # Same flow (build-corpus), so the names alone keep the two deployments apart.
    assert served not in declared and len(set(declared)) == len(declared)


def test_a_config_naming_an_unknown_filter_or_rule_says_what_is_known(
    tmp_path: Path, env: dict[str, str]
) -> None:
    """The list of known names is cut at a name, never mid-word, and a rule's points to
    ``--list-rules`` (the message of each error was cut at 200 characters: "... near")."""
    from cleaners.config import FILTER_NAMES

    config = tmp_path / "c.yaml"
    config.write_text("filters:\n  disable: [no-such-filter]\n")
    r = mtclean("detect", "--config", str(config), env=env, stdin="Hello there.\n")
    message = r.stderr.strip()
    assert r.returncode == 2 and len(message.splitlines()) == 1, message
    assert "unknown filter 'no-such-filter'" in message and "Value error" not in message
    assert all(name in message for name in FILTER_NAMES), message
    config.write_text("repair:\n  disable: [no_such_rule]\n")
    r = mtclean("detect", "--config", str(config), env=env, stdin="Hello there.\n")
    message = r.stderr.strip()
    assert r.returncode == 2 and len(message.splitlines()) == 1, message
    assert "unknown repair rule 'no_such_rule'" in message and "--list-rules" in message
    assert message.endswith(", ...")  # the list goes on: cut after a whole name


def test_detect_jsonl_names_the_first_bad_line(env: dict[str, str]) -> None:
    # line 1 lacks "text", line 2 is no JSON: the message named line 2
    r = mtclean("detect", "--format", "jsonl", env=env, stdin='{"id": 1}\nnot json\n')
    assert r.returncode == 2 and "line 1: needs a string 'text'" in r.stderr, r.stderr


@pytest.mark.parametrize("cmd", ["detect", "filter", "clean"])
def test_a_command_waiting_on_a_terminal_says_so(cmd: str, env: dict[str, str]) -> None:
    """No FILE at a terminal: one line says stdin is read (it waited mute); a pipe gets none."""
    import pty

    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "flows.cli", cmd],
        stdin=slave,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=ROOT,
    )
    os.close(slave)
    try:
        os.write(master, b"\x04")  # Ctrl-D at a line's start: the end of the input
        _, err = proc.communicate(timeout=120)
    finally:
        os.close(master)
    assert "mtclean: reading stdin (give a FILE, or end with Ctrl-D)" in err.decode()
    r = mtclean(cmd, env=env, stdin="")
    assert "reading stdin" not in r.stderr


@pytest.mark.parametrize("cmd", ["clean", "detect"])
def test_a_jsonl_file_in_text_mode_gets_a_hint(
    cmd: str, tmp_path: Path, env: dict[str, str]
) -> None:
    # without --format jsonl the file is one document of JSON lines: most likely a missed flag
    path = tmp_path / "recs.jsonl"
    path.write_text('{"id": "a", "text": "Hello there, friends."}\n', encoding="utf-8")
    r = mtclean(cmd, str(path), env=env)
    assert r.returncode == 0 and "read as plain text" in r.stderr and "--format jsonl" in r.stderr
    r = mtclean(cmd, "--format", "jsonl", str(path), env=env)
    assert r.returncode == 0 and r.stderr == "", r.stderr


def test_align_given_one_jsonl_file_in_text_mode_gets_a_hint(
    tmp_path: Path, env: dict[str, str]
) -> None:
    path = tmp_path / "pairs.jsonl"
    path.write_text('{"id": "a", "ru": ["Да."], "en": ["Yes."]}\n', encoding="utf-8")
    r = mtclean("align", str(path), env=env)
    assert r.returncode == 2 and r.stderr.rstrip().endswith("give --format jsonl"), r.stderr
    r = mtclean("align", "--format", "jsonl", str(path), env=env)
    assert r.returncode == 0 and json.loads(r.stdout)["beads"], r.stderr


def test_a_config_package_path_that_names_nothing_is_refused_like_the_flag(
    tmp_path: Path, env: dict[str, str]
) -> None:
    """``translate.package_path`` naming no file: exit 2 and one line naming the path and the
    key, for every command that retranslates (as --argos-package and the variable are)."""
    cfg = tmp_path / "c.yaml"
    cfg.write_text(f"translate: {{enabled: true, package_path: {tmp_path / 'typo.argosmodel'}}}\n")
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.en.txt").write_text("A title.\n\nA body line.\n", encoding="utf-8")
    (tmp_path / "ru.txt").write_text("Да.\n", encoding="utf-8")
    (tmp_path / "en.txt").write_text("Yes.\n", encoding="utf-8")
    pair = '{"id": 1, "ru": "Он пришёл домой.", "en": "He came home."}\n'
    for args, stdin in (
        (["run", str(src), "--out", str(tmp_path / "out")], ""),
        (["filter"], pair),
        (["align", str(tmp_path / "ru.txt"), str(tmp_path / "en.txt")], ""),
    ):
        r = mtclean(*args, "--config", str(cfg), env=env, stdin=stdin)
        assert r.returncode == 2, (args, r.stderr)
        assert r.stdout == "" and len(r.stderr.splitlines()) == 1, args
        assert "typo.argosmodel" in r.stderr and "translate.package_path" in r.stderr, args
    assert not (tmp_path / "out").exists()
    # Negative: the same path with retranslation off is not used, so not checked.
    cfg.write_text(f"translate: {{package_path: {tmp_path / 'typo.argosmodel'}}}\n")
    r = mtclean("filter", "--config", str(cfg), env=env, stdin=pair)
    assert r.returncode == 0 and json.loads(r.stdout)["keep"], r.stderr


def test_a_relative_config_package_path_is_looked_for_beside_the_config(
    tmp_path: Path, env: dict[str, str]
) -> None:
    """A relative ``translate.package_path`` names a file in the config's folder (as a
    glossary does), whatever the working directory; ``--argos-package`` stays relative to it."""
    conf = tmp_path / "conf"
    conf.mkdir()
    cfg = conf / "c.yaml"
    cfg.write_text("translate: {enabled: true, package_path: typo.argosmodel}\n")
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.en.txt").write_text("A title.\n\nA body line.\n", encoding="utf-8")
    r = mtclean("run", str(src), "--out", str(tmp_path / "out"), "--config", str(cfg), env=env)
    assert r.returncode == 2 and len(r.stderr.splitlines()) == 1, r.stderr
    assert str(conf / "typo.argosmodel") in r.stderr, r.stderr
    # One that is there is used: a broken package is not refused as missing, only said.
    (conf / "typo.argosmodel").write_bytes(b"not a zip")
    pair = '{"id": 1, "ru": "Он пришёл домой.", "en": "He came home."}\n'
    r = mtclean("filter", "--config", str(cfg), env=env, stdin=pair)
    assert r.returncode == 0 and json.loads(r.stdout)["keep"], r.stderr
    assert "not a zip" in r.stderr and "not found" not in r.stderr, r.stderr
    # The flag is read from the working directory (the repository root), not the config's.
    r = mtclean("filter", "--argos-package", "typo.argosmodel", env=env, stdin=pair)
    assert r.returncode == 2 and "Argos package not found: typo.argosmodel" in r.stderr


def test_a_language_the_detector_cannot_output_is_refused_with_the_list(
    tmp_path: Path, env: dict[str, str]
) -> None:
    cfg = tmp_path / "c.yaml"
    cfg.write_text("lid:\n  languages: [ru, en, xx]\n")
    r = mtclean("detect", "--config", str(cfg), env=env, stdin="Hello there\n")
    assert r.returncode == 2 and r.stdout == "" and len(r.stderr.splitlines()) == 1
    assert "'xx' cannot be detected" in r.stderr and "known: ru, uk, be" in r.stderr
    cfg.write_text("lid:\n  languages: [ru, en, de]\n")  # negative: a known one is taken
    r = mtclean("detect", "--config", str(cfg), env=env, stdin="Hello there\n")
    assert r.returncode == 0 and r.stdout.startswith("en\t"), r.stderr


def test_a_pipe_closed_early_is_no_error_even_with_stderr_merged(
    tmp_path: Path, env: dict[str, str]
) -> None:
    """`mtclean filter x 2>&1 | head`: the broken pipe ends the command quietly (exit 0),
    also when what is left to say goes to stderr, the same pipe (it was exit 1)."""
    src = tmp_path / "bad.jsonl"
    # A verdict and a message a line; a stray byte a line in UTF-8 text (not a code page's
    # file, which is refused before any output) is said at the end.
    src.write_bytes(("Доброе утро, дорогие друзья".encode() + b" \xff\n") * 5000)
    for merged in (True, False):
        proc = subprocess.Popen(
            [sys.executable, "-m", "flows.cli", "filter", str(src)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT if merged else subprocess.PIPE,
            env=env,
            cwd=ROOT,
        )
        assert proc.stdout is not None
        assert proc.stdout.read(100)
        proc.stdout.close()
        err = proc.stderr.read().decode() if proc.stderr is not None else ""
        assert proc.wait(timeout=120) == 0, merged
        assert "Traceback" not in err


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
def test_a_full_disk_under_stdout_is_one_line_exit_5(tmp_path: Path, env: dict[str, str]) -> None:
    """`mtclean align a b > out` on a full disk (/dev/full): exit 5, one line naming the cause,
    no traceback (it was a traceback and exit 1, or an 'Exception ignored' at exit)."""
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("Мост открыли в 1998 году.\nДвижение начнётся завтра.\n" * 200, "utf-8")
    b.write_text("The bridge opened in 1998.\nTraffic starts tomorrow.\n" * 200, "utf-8")
    for args in (("align", str(a), str(b)), ("detect", str(a))):
        with open("/dev/full", "w") as full:
            r = subprocess.run(
                [sys.executable, "-m", "flows.cli", *args], stdout=full, stderr=subprocess.PIPE,
                env=env, cwd=ROOT, text=True, timeout=120,
            )  # fmt: skip
        assert r.returncode == 5, (args, r.stderr)
        assert len(r.stderr.splitlines()) == 1 and "no space left" in r.stderr, r.stderr


def test_plain_text_given_as_jsonl_gets_a_hint(env: dict[str, str]) -> None:
    for cmd in ("clean", "detect"):
        r = mtclean(cmd, "--format", "jsonl", env=env, stdin="Trade andeconomic ties.\n")
        assert r.returncode == 2 and len(r.stderr.splitlines()) == 1
        assert r.stderr.rstrip().endswith("; for plain text leave out --format jsonl"), r.stderr
    # Negative: a bad line after good ones is a bad line, not a plain text file.
    r = mtclean("detect", "--format", "jsonl", env=env, stdin='{"id": 1, "text": "Hi"}\nx\n')
    assert r.returncode == 2 and "leave out" not in r.stderr and "line 2" in r.stderr
    # Nor is a first line that is JSON with a flaw (NaN; arrays nested past the stack, which
    # once ended the command with a traceback).
    for line in ('{"id": NaN, "text": "Hi"}', '{"id": ' + "[" * 100_000 + "]" * 100_000 + "}"):
        r = mtclean("clean", "--format", "jsonl", env=env, stdin=line + "\n")
        assert r.returncode == 2 and len(r.stderr.splitlines()) == 1, r.stderr
        assert "not JSON" in r.stderr and "leave out" not in r.stderr, r.stderr


def test_serve_without_a_server_is_refused_not_left_waiting(
    tmp_path: Path, env: dict[str, str]
) -> None:
    """A temporary Prefect server has no scheduler: `serve` without PREFECT_API_URL would wait
    forever for runs that never come. One line saying what to start, exit 2, at once."""
    src = tmp_path / "in"
    src.mkdir()
    no_url = {k: v for k, v in env.items() if k != "PREFECT_API_URL"}
    r = mtclean("serve", str(src), "--out", str(tmp_path / "out"), env=no_url, timeout=60)
    assert r.returncode == 2 and len(r.stderr.splitlines()) == 1, r.stderr
    assert "prefect server start" in r.stderr and "PREFECT_API_URL" in r.stderr
    assert not (tmp_path / "out").exists()
    # A set PREFECT_API_URL that does not answer: exit 6, and no advice to unset it (run's
    # way out: a temporary server, which serve has just refused).
    down = {**env, "PREFECT_API_URL": "http://127.0.0.1:9/api"}
    r = mtclean("serve", str(src), "--out", str(tmp_path / "out"), env=down, timeout=60)
    assert r.returncode == 6 and len(r.stderr.splitlines()) == 1, r.stderr
    assert "cannot be reached" in r.stderr and "unset" not in r.stderr, r.stderr
    assert not (tmp_path / "out").exists()
    # A schedule Prefect would refuse is a usage error too: it was a pydantic traceback, exit 1.
    for cron in ("not a cron", "0 2 * *", "61 2 * * *"):
        r = mtclean("serve", str(src), "--out", str(tmp_path / "out"), "--cron", cron, env=env)
        assert r.returncode == 2 and len(r.stderr.splitlines()) == 1, (cron, r.stderr)
        assert f"--cron {cron!r} is not a schedule" in r.stderr, r.stderr
        assert "Traceback" not in r.stderr and not (tmp_path / "out").exists()


def test_utf16_or_binary_line_input_is_refused_in_one_line(
    tmp_path: Path, env: dict[str, str]
) -> None:
    """Line input with NUL bytes (UTF-16, UTF-32, a binary file) was read as garbage lines,
    each labelled or judged with confidence (random bytes: English at 0.99); the note at the
    end blamed cp1251. Now: one line naming the encoding and the iconv to run, exit 2."""
    u16 = tmp_path / "u16.jsonl"
    u16.write_bytes('{"id": 1, "ru": "Он пришёл домой.", "en": "He came home."}\n'.encode("utf-16"))
    txt = tmp_path / "u16.txt"
    txt.write_bytes("Привет, как дела?\nHello there\n".encode("utf-16-le"))  # no BOM
    blob = tmp_path / "blob.txt"
    blob.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    for args, path in (
        (["filter"], u16),
        (["detect", "--format", "jsonl"], u16),
        (["detect"], txt),
        (["align", str(txt)], txt),
        (["detect"], blob),
    ):
        r = mtclean(*args, str(path), env=env)
        assert r.returncode == 2 and r.stdout == "" and len(r.stderr.splitlines()) == 1, args
        want = "holds NUL bytes" if path == blob else "is UTF-16 or UTF-32"
        assert want in r.stderr and str(path) in r.stderr, (args, r.stderr)
    r = mtclean("filter", env=env, stdin=u16.read_bytes().decode("latin-1"))
    assert r.returncode == 2 and "stdin is UTF-16" in r.stderr
    # Negative: UTF-8 on stdin (the bytes looked at are still read) and a UTF-8 file.
    r = mtclean("detect", env=env, stdin="Hello there\nПривет, как дела?\n")
    assert [row.split("\t")[0] for row in r.stdout.splitlines()] == ["en", "ru"], r.stderr
    (tmp_path / "ok.txt").write_text("Hello there\n", encoding="utf-8")
    assert mtclean("detect", str(tmp_path / "ok.txt"), env=env).stdout.startswith("en\t")


def _line_commands(ru_txt: str, pairs: str, beads: str) -> list[tuple[list[str], str]]:
    """Every line command and format, with the file each reads (``align --format text``:
    the Russian file, the English given after it)."""
    return [
        (["detect"], ru_txt),
        (["detect", "--format", "jsonl"], pairs),
        (["clean", "--format", "jsonl"], pairs),
        (["filter"], pairs),
        (["align", "--format", "jsonl"], beads),
        (["align", "--format", "text"], ru_txt),
    ]


def _refusal(command: str, where: str, page: str, target: str) -> str:
    """The one line a line command says when its input is in a Cyrillic code page."""
    return (
        f"mtclean {command}: {where} is not UTF-8: it reads as {page}, a Cyrillic code page "
        f"(line input must be UTF-8): iconv -f {page} -t utf-8 {target}\n"
    )


def test_a_cyrillic_code_page_is_refused_by_every_line_command(
    tmp_path: Path, env: dict[str, str]
) -> None:
    """A cp1251 or KOI8-R file given to a line command was read as U+FFFD a letter, aligned,
    labelled or judged, exit 0 (the one line on stderr at the end was all a nightly script
    could miss). Now it is refused before any output, exit 2, its code page and the iconv
    to run named, as UTF-16 is: file, stdin and a pipe, text and JSONL."""
    ru, en = "Погода в Казани.\nСнег и мороз.\n", "Weather in Kazan.\nSnow and frost.\n"
    rec = {"id": 1, "ru": "Снег и мороз.", "en": "Snow and frost.", "text": "Снег и мороз."}
    lists = {"id": 1, "ru": ["Снег и мороз."], "en": ["Snow and frost."]}
    (tmp_path / "en.txt").write_text(en, encoding="utf-8")
    for page, codec in (("CP1251", "cp1251"), ("KOI8-R", "koi8_r")):
        (tmp_path / "ru.txt").write_bytes(ru.encode(codec))
        (tmp_path / "p.jsonl").write_bytes(
            (json.dumps(rec, ensure_ascii=False) + "\n").encode(codec)
        )
        (tmp_path / "a.jsonl").write_bytes(
            (json.dumps(lists, ensure_ascii=False) + "\n").encode(codec)
        )
        ru_txt, pairs, beads = (str(tmp_path / n) for n in ("ru.txt", "p.jsonl", "a.jsonl"))
        en_txt = str(tmp_path / "en.txt")
        for args, given in _line_commands(ru_txt, pairs, beads):
            tail = [en_txt] if "text" in args else []
            for on_stdin in (False, True):
                cmd = [*args, "-" if on_stdin else given, *tail]
                r = subprocess.run(
                    [sys.executable, "-m", "flows.cli", *cmd],
                    input=Path(given).read_bytes() if on_stdin else b"",
                    capture_output=True, env=env, cwd=ROOT, timeout=120,
                )  # fmt: skip
                where, target = ("stdin", "FILE") if on_stdin else (given, given)
                assert r.returncode == 2 and r.stdout == b"", (cmd, r.stderr)
                assert r.stderr.decode() == _refusal(args[0], where, page, target), cmd
    # A pipe (the shell's <(command)) is looked at without losing a byte: refused the same.
    r = subprocess.run(
        ["bash", "-c", f"{sys.executable} -m flows.cli detect <(cat {tmp_path / 'ru.txt'})"],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert r.returncode == 2 and r.stdout == "" and "reads as KOI8-R" in r.stderr, r.stderr
    # Negative: the same text in UTF-8 is read as it is, exit 0, nothing said.
    (tmp_path / "ru.txt").write_text(ru, encoding="utf-8")
    r = mtclean("align", str(tmp_path / "ru.txt"), str(tmp_path / "en.txt"), env=env)
    assert r.returncode == 0 and r.stderr == "" and len(r.stdout.splitlines()) == 2, r.stderr
    r = mtclean("detect", env=env, stdin=ru)
    assert r.returncode == 0 and r.stdout.startswith("ru\t"), r.stderr


def test_a_late_code_page_is_refused_before_any_output(tmp_path: Path, env: dict[str, str]) -> None:
    """A file whose Cyrillic code page starts past its first 4 KB (an ASCII header, then
    cp1251) passed the head check: read with U+FFFD for every letter past it, every line with
    its output, exit 2 only at the end. Now every line command refuses it before any output,
    as it refuses one whose head is in the code page (the scan for NUL that reads the whole
    file looks at its first bytes that are not UTF-8); a few stray bytes are read as before."""
    head_txt = "Weather in Kazan.\n" * 300  # 5.4 kB of ASCII
    ru = "Погода в Казани.\nСнег и мороз.\n"
    rec = {"id": 1, "ru": "Снег и мороз.", "en": "Snow and frost.", "text": "Снег и мороз."}
    ok = {"id": 0, "ru": "Погода.", "en": "Weather.", "text": "Weather in Kazan."}
    lists = {"id": 1, "ru": ["Снег и мороз."], "en": ["Snow and frost."]}
    ok_lists = {"id": 0, "ru": ["Погода."], "en": ["Weather."]}
    en_txt = tmp_path / "en.txt"
    en_txt.write_text(head_txt + "Weather in Kazan.\nSnow and frost.\n", encoding="utf-8")

    def line(record: dict, codec: str = "utf-8") -> bytes:
        return (json.dumps(record, ensure_ascii=False) + "\n").encode(codec)

    for page, codec in (("CP1251", "cp1251"), ("KOI8-R", "koi8_r")):
        files = {  # UTF-8 lines past the first 4 KB, then one in the code page
            "ru.txt": head_txt.encode() + ru.encode(codec),
            "p.jsonl": line(ok) * 80 + line(rec, codec),
            "a.jsonl": line(ok_lists) * 100 + line(lists, codec),
        }
        for n, data in files.items():
            utf8_head = codecs.getincrementaldecoder("utf-8")().decode(data[:4096])
            assert utf8_head and len(data) > 4096, n  # the code page only past the head check
            (tmp_path / n).write_bytes(data)
        ru_txt, pairs, beads = (str(tmp_path / n) for n in files)
        for args, given in _line_commands(ru_txt, pairs, beads):
            tail = [str(en_txt)] if "text" in args else []
            r = mtclean(*args, given, *tail, env=env)
            assert r.returncode == 2 and r.stdout == "", (args, r.stderr)
            assert r.stderr == _refusal(args[0], given, page, given), (args, r.stderr)
    # EN given second is checked the same, before any output.
    (tmp_path / "ru.txt").write_text(head_txt + ru, encoding="utf-8")
    en_txt.write_bytes(head_txt.encode() + "Снег и мороз.\n".encode("cp1251"))
    r = mtclean("align", str(tmp_path / "ru.txt"), str(en_txt), env=env)
    assert r.returncode == 2 and r.stdout == "" and "reads as CP1251" in r.stderr, r.stderr
    # Negative: a few stray bytes past the head in UTF-8 text are read as today: U+FFFD,
    # every line with its output, the count said at the end, exit 2.
    stray = tmp_path / "stray.txt"
    stray.write_bytes(head_txt.encode() + b"a stray \xff byte\n" + ru.encode())
    r = mtclean("detect", str(stray), env=env)
    assert r.returncode == 2 and len(r.stdout.splitlines()) == 303, r.stderr
    assert "1 byte(s) of the input were not UTF-8" in r.stderr and "reads as" not in r.stderr
    assert r.stdout.splitlines()[-1].startswith("ru\t"), r.stdout[-200:]


def test_one_stray_byte_in_english_is_damage_not_a_code_page(
    tmp_path: Path, env: dict[str, str]
) -> None:
    """One stray byte among ASCII words was read as a Cyrillic page's one-letter word:
    `clean` printed "opened а today", a line command refused the file as "reads as CP1251"
    with an iconv that would make the byte a letter. Now `clean` quarantines it as run does
    (invalid-utf8; truncated for a cut character), a line command reads it as U+FFFD and
    counts it; real cp1251, KOI8-R and cp1252 files are read or refused as before."""
    files = {
        "stray.txt": (b"The bridge opened \xe0 today.\n", "invalid-utf8"),
        "stray-end.txt": (b"Officials said the road is closed \xe8\n", "invalid-utf8"),
        "stray-ru.txt": ("Мост ".encode() + b"\xe9" + " открыт.\n".encode(), "invalid-utf8"),
        "cut.txt": ("The bridge opened on Monday’s".encode()[:-2], "truncated"),
    }
    for name, (data, reason) in files.items():
        path = tmp_path / name
        path.write_bytes(data)
        r = mtclean("clean", str(path), env=env)
        assert r.returncode == 2 and r.stdout == "", (name, r.stdout)
        assert f"cannot decode ({reason}: " in r.stderr, (name, r.stderr)
        r = mtclean("detect", str(path), env=env)
        assert r.returncode == 2 and len(r.stdout.splitlines()) == 1, (name, r.stderr)
        assert "of the input were not UTF-8 and were read as U+FFFD" in r.stderr, r.stderr
        assert "reads as" not in r.stderr and "iconv" not in r.stderr, (name, r.stderr)
        assert f"({path} is UTF-8 with stray bytes: no code page reads it;" in r.stderr
    line = b'{"id": "a", "text": "The bridge opened \xe0 today."}\n'
    (tmp_path / "stray.jsonl").write_bytes(line)
    r = mtclean("clean", "--format", "jsonl", str(tmp_path / "stray.jsonl"), env=env)
    assert r.returncode == 2 and "reads as" not in r.stderr, r.stderr
    assert "stray.jsonl is UTF-8 with stray bytes" in r.stderr, r.stderr
    assert json.loads(r.stdout)["text"] == "The bridge opened \ufffd today."
    # Negatives: real code-page files, short ones too, are read by clean as before, and a
    # line command still refuses the Cyrillic ones naming their page.
    real = {
        "cp1251.txt": ("Мост через реку откроют весной.\n", "cp1251", "CP1251"),
        "koi8.txt": ("Мы тут.\n", "koi8_r", "KOI8-R"),
        "cafe.txt": ("The café near the bridge reopened on Monday.\n", "cp1252", None),
    }
    for name, (text, codec, page) in real.items():
        path = tmp_path / name
        path.write_bytes(text.encode(codec))
        r = mtclean("clean", str(path), env=env)
        assert r.returncode == 0 and r.stdout == text, (name, r.stderr)
        if page is not None:
            r = mtclean("detect", str(path), env=env)
            assert r.returncode == 2 and f"it reads as {page}" in r.stderr, (name, r.stderr)


def test_a_nul_past_the_first_4_kb_refuses_line_input_too(
    tmp_path: Path, env: dict[str, str]
) -> None:
    """A NUL in the first 4 KB was refused as binary, one after it read through (a garbage
    line labelled, aligned or repaired). Now a NUL anywhere: a file is refused before any
    output, naming the byte offset and the line; stdin at the line that holds it."""
    head = "Hello there, friend.\r\n" * 300  # 6.6 kB, CRLF lines
    bad = tmp_path / "late nul.txt"
    bad.write_bytes(head.encode() + b"bad\x00line\nPrivet\n")
    offset = len(head.encode()) + 3
    rec = '{"id": 1, "text": "Hello there, friend."}\n'
    bad_jsonl = tmp_path / "late.jsonl"
    bad_jsonl.write_bytes((rec * 200).encode() + b'{"id": 2, "text": "a\x00b"}\n')
    pair = '{"id": 1, "ru": "Он пришёл домой.", "en": "He came home."}\n'
    bad_pairs = tmp_path / "pairs.jsonl"
    bad_pairs.write_bytes((pair * 100).encode() + b"\x00\n")
    for args, path, where in (
        (["detect"], bad, f"offset {offset} (line 301)"),
        (["align", str(bad)], bad, f"offset {offset} (line 301)"),
        (["detect", "--format", "jsonl"], bad_jsonl, "(line 201)"),
        (["clean", "--format", "jsonl"], bad_jsonl, "(line 201)"),
        (["filter"], bad_pairs, f"offset {len(pair.encode()) * 100} (line 101)"),
    ):
        r = mtclean(*args, str(path), env=env)
        assert r.returncode == 2 and r.stdout == "" and len(r.stderr.splitlines()) == 1, args
        assert f"{path} holds a NUL byte at " in r.stderr and where in r.stderr, r.stderr
        assert r.stderr.rstrip().endswith("not a text file (line input must be UTF-8 text)")
    r = mtclean("detect", env=env, stdin=bad.read_bytes().decode())
    assert r.returncode == 2 and r.stdout == "", r.stderr
    assert "stdin line 301 holds a NUL byte (character 4)" in r.stderr
    # Negative: the same text without the NUL is read to the end.
    bad.write_bytes(head.encode() + b"bad line\nPrivet\n")
    r = mtclean("detect", str(bad), env=env)
    assert r.returncode == 0 and len(r.stdout.splitlines()) == 302, r.stderr


def test_the_nul_scan_counts_lines_across_its_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from flows import cli

    monkeypatch.setattr(cli, "_SCAN_CHUNK", 2)  # every \r\n below is split between pieces
    data = b"a\r\nbc\r\nd\re\nf\x00"
    assert cli._first_nul(io.BytesIO(data)) == (data.index(0), 5)
    assert cli._first_nul(io.BytesIO(data[:-1])) is None


def test_dask_without_prefect_dask_is_refused_before_prefect_starts(
    tmp_path: Path, env: dict[str, str]
) -> None:
    """A fresh `pip install -e .` has no prefect-dask: `--dask` (or run.dask) said so only
    after Prefect's start-up, as exit 1. Now one line with the install command, exit 2, and
    nothing written. (sys.modules[name] = None is Python's way to make a package absent.)"""
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.en.txt").write_text("A title.\n\nA body line.\n", encoding="utf-8")
    code = (
        "import sys\nsys.modules['prefect_dask'] = None\nfrom flows.cli import main\n"
        f"sys.exit(main(['run', {str(src)!r}, '--out', {str(tmp_path / 'out')!r}, '--dask']))\n"
    )
    r = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT
    )
    assert r.returncode == 2 and len(r.stderr.splitlines()) == 1, r.stderr
    assert "pip install -e '.[dask]'" in r.stderr
    assert not (tmp_path / "out").exists()


def test_a_flow_given_dask_without_prefect_dask_says_the_same_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A deployment run with run.dask (no CLI in front) names the editable install the CLI
    and the skipped Dask tests name, not a PyPI package mtclean is not published as."""
    from cleaners.config import PipelineConfig
    from flows import DASK_HINT
    from flows.pipeline import make_task_runner

    monkeypatch.setitem(sys.modules, "prefect_dask", None)  # absent, as after `pip install -e .`
    with pytest.raises(RuntimeError, match="needs prefect-dask") as info:
        make_task_runner(PipelineConfig(run={"dask": True}))
    assert DASK_HINT in str(info.value) and "pip install -e '.[dask]'" in DASK_HINT
    assert make_task_runner(PipelineConfig()) is not None  # negative: no Dask asked, no error


def test_a_misspelt_config_key_is_named_with_the_key_it_likely_means(
    tmp_path: Path, env: dict[str, str]
) -> None:
    """A typo in a config key was refused as "Extra inputs are not permitted" alone; the
    message now names the section's key it most likely misspells, when one is close."""
    cfg = tmp_path / "c.yaml"
    cfg.write_text("repair: {enabeld: true}\nfiltres: {}\nrun: {zzz: 1}\n")
    r = mtclean("detect", "--config", str(cfg), env=env, stdin="Hello there\n")
    assert r.returncode == 2 and r.stdout == "" and len(r.stderr.splitlines()) == 1, r.stderr
    assert "repair.enabeld: Extra inputs are not permitted (did you mean 'enabled'?)" in r.stderr
    assert "filtres: Extra inputs are not permitted (did you mean 'filters'?)" in r.stderr
    # Nothing close: no guess.
    assert re.search(r"run\.zzz: Extra inputs are not permitted(;|$)", r.stderr.strip())


def test_line_input_reads_a_pipe_and_names_a_device(tmp_path: Path, env: dict[str, str]) -> None:
    """`mtclean align <(cut -f1 x) <(cut -f2 x)` and `... | mtclean detect /dev/stdin` were
    refused as "no such file": a pipe is read once, as stdin is (its first bytes looked at,
    a NUL refused at its line). A device is named as one, not read (/dev/zero never ends)."""
    script = (
        f"{sys.executable} -m flows.cli align <(printf 'Он пришёл домой.\\nДа.\\n') "
        "<(printf 'He came home.\\nYes.\\n')"
    )
    r = subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120
    )
    assert r.returncode == 0, r.stderr
    assert [row.split("\t")[:2] for row in r.stdout.splitlines()] == [["0", "0"], ["1", "1"]]
    fifo = tmp_path / "lines.fifo"
    os.mkfifo(fifo)
    for payload, code in ((b"Hello there\n", 0), (b"Hello there friend.\n" * 400 + b"x\0y\n", 2)):
        reader = subprocess.Popen(
            [sys.executable, "-m", "flows.cli", "detect", str(fifo)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT,
        )  # fmt: skip
        with open(fifo, "wb") as w:  # (blocks until the reader opens it)
            w.write(payload)
        out, err = reader.communicate(timeout=120)
        assert reader.returncode == code, err
        if code == 0:
            assert out.startswith("en\t") and err == ""
        else:
            assert out == "" and f"{fifo} line 401 holds a NUL byte" in err
    r = mtclean("detect", "/dev/zero", env=env, timeout=60)
    assert r.returncode == 2 and r.stdout == ""
    assert "/dev/zero is not a regular file or a pipe (a device?)" in r.stderr


def test_the_temporary_servers_library_errors_stay_off_the_console(env: dict[str, str]) -> None:
    """Now and then, as a successful run ended, its temporary Prefect server (a child process
    writing to the run's stderr) was stopped while SQLAlchemy's pool reset a connection, and a
    25-line "Exception during reset or similar" traceback followed the summary line. A run
    now starts its Prefect children with only CRITICAL records on the console; its own
    console, and its environment afterwards, are as before."""
    # The child logs as the server's pool does: SQLAlchemy imported (it sets its loggers'
    # level), Prefect's logging set up as the server's app does (create_app).
    child = (
        "import logging, sqlalchemy.pool\n"
        "from prefect.logging.configuration import setup_logging\n"
        "setup_logging()\n"
        "logging.getLogger('sqlalchemy.pool.impl.AsyncAdaptedQueuePool').error('child error')\n"
    )
    script = (
        "import contextlib, logging, os, subprocess, sys\n"
        "from flows import cli, pipeline  # Prefect's logging is set up here, as in a run\n"
        "cli._quiet_env(verbose=False)\n"
        "before = dict(os.environ)\n"
        "quiet = cli._quiet_children() if sys.argv[1] == 'quiet' else contextlib.nullcontext()\n"
        "with quiet:\n"
        "    r = subprocess.run([sys.executable, '-c', sys.argv[2]], text=True,\n"
        "                       capture_output=True)\n"
        "sys.stderr.write(r.stderr)\n"
        "assert dict(os.environ) == before\n"
        "logging.getLogger('sqlalchemy.pool').warning('parent warning')\n"
    )
    clean_env = {k: v for k, v in env.items() if not k.startswith("PREFECT_LOGGING_")}
    for mode in ("quiet", "as-before"):
        r = subprocess.run(
            [sys.executable, "-c", script, mode, child],
            capture_output=True, text=True, env=clean_env, cwd=ROOT, timeout=120,
        )  # fmt: skip
        assert r.returncode == 0, r.stderr
        assert "parent warning" in r.stderr, r.stderr
        # Negative (as before the change): the child's library error reaches the console.
        assert ("child error" in r.stderr) == (mode == "as-before"), r.stderr


def test_a_closed_stdin_is_one_line_not_a_traceback(env: dict[str, str]) -> None:
    """`mtclean detect <&-` (stdin closed, as a service may be started) crashed with an
    AttributeError traceback, exit 1. Now one line saying to give a file, exit 2."""
    for args in ("detect", "filter", "clean", "clean --format jsonl", "align --format jsonl"):
        r = subprocess.run(
            ["bash", "-c", f"{sys.executable} -m flows.cli {args} <&-"],
            capture_output=True, text=True, env=env, cwd=ROOT, timeout=120,
        )  # fmt: skip
        assert r.returncode == 2 and r.stdout == "", (args, r.stderr)
        assert r.stderr.splitlines() == [
            f"mtclean {args.split()[0]}: stdin is closed: give a FILE, or pipe the input in"
        ], r.stderr
    # Negative: an open stdin is read as before.
    r = subprocess.run(
        ["bash", "-c", f"echo 'Hello there' | {sys.executable} -m flows.cli detect"],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert r.returncode == 0 and r.stdout.startswith("en\t"), r.stderr
