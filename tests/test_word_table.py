"""A user's own word table: ``mtclean lexicon build`` learns it, ``align --word-table`` and
``align.word_table`` use it for its pair (and refuse another pair's), the same text gives the
same bytes, and without one nothing changes."""

from __future__ import annotations

import os
import random
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cli_run import ROOT, mtclean

from cleaners import lexsim
from cleaners.align import align
from cleaners.config import AlignConfig, PipelineConfig, load_config
from cleaners.lexsim import learn

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
FLORES = SHARED / "flores200"
LEX = Path(lexsim.__file__).resolve().parents[1] / "data" / "lex"


def _flores(stem: str) -> Path:
    path = FLORES / f"dev.{stem}.txt"  # ("dev.": never devtest)
    if not path.exists():
        pytest.skip(f"shared data not found at {path} (the dev sets live beside the repo)")
    return path


# A made-up two-language text (a word of each side for each meaning, random order and length):
# IBM-1 must find the dictionary it was written from, with no shared data.
_WORDS = {
    "кошка": "cat", "собака": "dog", "спит": "sleeps", "бежит": "runs", "дома": "home",
    "река": "river", "город": "town", "зимой": "winter", "быстро": "quickly", "лес": "forest",
    "старый": "old", "новый": "new", "мост": "bridge", "поезд": "train", "утром": "morning",
}  # fmt: skip


def _made_up(n: int, seed: int = 7) -> tuple[list[str], list[str]]:
    rng = random.Random(seed)
    ru, en = [], []
    for _ in range(n):
        chosen = rng.sample(sorted(_WORDS), rng.randint(2, 5))
        ru.append(" ".join(chosen).capitalize() + ".")
        shuffled = [_WORDS[w] for w in chosen]
        rng.shuffle(shuffled)  # (word order differs between the languages)
        en.append(" ".join(shuffled).capitalize() + ".")
    return ru, en


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_table_learned_from_made_up_text_holds_its_dictionary() -> None:
    ru, en = _made_up(400)
    text = learn.user_table(list(zip(ru, en, strict=True)), "ru", "en")
    table = lexsim.parse(text, "ru", "en")
    best = {k: v[0] for k, v in table.trans.items()}
    key_ru, key_en = lexsim.key_function("stem5", "ru"), lexsim.key_function("stem5", "en")
    # (stop keys: the 40 most frequent, every key here; the table still holds their pairs)
    for ru_word, en_word in _WORDS.items():
        assert best[key_ru(ru_word)] == key_en(en_word), ru_word
    assert lexsim.table_pair(text) == ("ru", "en")
    assert "\n!key\tstem5\n" in text and "\n!pair\tru\ten\n" in text
    assert learn.user_table(list(zip(ru, en, strict=True)), "ru", "en") == text


def test_too_little_text_is_refused() -> None:
    ru, en = _made_up(learn.USER_MIN_PAIRS - 1)
    with pytest.raises(learn.TooLittleData, match=f"at least {learn.USER_MIN_PAIRS}"):
        learn.user_table(list(zip(ru, en, strict=True)), "ru", "en")


def test_build_from_real_files_rebuilds_byte_for_byte(tmp_path: Path) -> None:
    uk, en = _flores("ukr_Cyrl"), _flores("eng_Latn")
    langs = ("--src-lang", "ukr_Cyrl", "--tgt-lang", "en")
    first, again = tmp_path / "uk-en.tsv", tmp_path / "again" / "uk-en.tsv"
    r = mtclean("lexicon", "build", str(uk), str(en), *langs, "--out", str(first))
    assert r.returncode == 0, r.stderr
    assert "key pairs learned from 997 sentence pairs" in r.stderr
    r = mtclean("lexicon", "build", str(uk), str(en), *langs, "--out", str(again))
    assert r.returncode == 0, r.stderr
    assert first.read_bytes() == again.read_bytes()
    assert not list(tmp_path.glob("**/.*.tmp"))  # (written through a temp file, renamed)
    text = first.read_text(encoding="utf-8")
    assert lexsim.table_pair(text) == ("uk", "en") and "\n!key\tstem5\n" in text
    # Ukrainian has no Snowball stemmer: its keys are its words' first 4 letters.
    table = lexsim.load_table(first, "uk", "en")
    assert table.trans["през"][0] == "presi"  # президент
    assert lexsim.load_table(first, "en", "uk").trans["presi"][0] == "през"  # either direction


def test_bad_inputs_to_lexicon_build_exit_2(tmp_path: Path) -> None:
    ru, en = _made_up(400)
    src, tgt = _write(tmp_path / "ru.txt", ru), _write(tmp_path / "en.txt", en)
    short = _write(tmp_path / "short.txt", en[:-1])
    empty = _write(tmp_path / "empty.txt", [""])
    out = str(tmp_path / "t.tsv")
    ok = ("--src-lang", "ru", "--tgt-lang", "en", "--out", out)
    cases = [
        ((str(src), str(short), *ok), "has 400 lines and"),
        ((str(empty), str(tgt), *ok), "is empty"),
        ((str(src), str(tgt), "--src-lang", "xx", "--tgt-lang", "en", "--out", out), "unknown"),
        ((str(src), str(tgt), "--src-lang", "zh", "--tgt-lang", "en", "--out", out), "spaces"),
        ((str(src), str(tgt), "--src-lang", "en", "--tgt-lang", "en", "--out", out), "both en"),
        ((str(src), str(tgt), "--src-lang", "ru", "--tgt-lang", "en", "--out", str(src)), "input"),
        ((str(src), str(tgt), "--src-lang", "ru", "--tgt-lang", "en", "--out", "-"), "a file"),
        ((str(src), str(src), *ok), "the same file"),  # (a table of each word to itself)
    ]
    for args, said in cases:
        r = mtclean("lexicon", "build", *args)
        assert r.returncode == 2, (args, r.stderr)
        assert said in r.stderr, r.stderr
    few = _write(tmp_path / "few.txt", ru[:50]), _write(tmp_path / "few_en.txt", en[:50])
    r = mtclean("lexicon", "build", str(few[0]), str(few[1]), *ok)
    assert r.returncode == 2 and "too little parallel text" in r.stderr, r.stderr
    assert not Path(out).exists()


def _uk_en_document() -> tuple[list[str], list[str], set[tuple[str, str]]]:
    """Lines 500-539 of FLORES dev, every fifth English line lost, and the gold 1-1 beads."""
    uk = _flores("ukr_Cyrl").read_text(encoding="utf-8").splitlines()[500:540]
    en = _flores("eng_Latn").read_text(encoding="utf-8").splitlines()[500:540]
    kept = [k for k in range(len(en)) if k % 5 != 2]
    gold = {(str(i), str(j)) for j, i in enumerate(kept)}
    return uk, [en[k] for k in kept], gold


def test_align_reads_a_user_table_from_the_flag_and_the_config(tmp_path: Path) -> None:
    uk_lines, en_lines = (_flores(s).read_text(encoding="utf-8").splitlines()[:500]
                          for s in ("ukr_Cyrl", "eng_Latn"))  # fmt: skip
    table = tmp_path / "tables" / "uk-en.tsv"
    table.parent.mkdir()
    table.write_text(learn.user_table(list(zip(uk_lines, en_lines, strict=True)), "uk", "en"))
    uk, en, gold = _uk_en_document()
    src, tgt = _write(tmp_path / "uk.txt", uk), _write(tmp_path / "en.txt", en)
    langs = ("--src-lang", "uk", "--tgt-lang", "en")
    plain = mtclean("align", str(src), str(tgt), *langs)
    assert plain.returncode == 0 and "no word table for uk-en" in plain.stderr
    flag = mtclean("align", str(src), str(tgt), *langs, "--word-table", str(table))
    assert flag.returncode == 0 and "no word table" not in flag.stderr, flag.stderr

    def found(stdout: str) -> set[tuple[str, str]]:
        return {tuple(line.split("\t")[:2]) for line in stdout.splitlines()}  # type: ignore[misc]

    # The table's words find every line (the aligner without it misses some).
    assert gold <= found(flag.stdout)
    assert len(gold & found(flag.stdout)) > len(gold & found(plain.stdout))
    # The config's path is taken from the config's folder (the tests run from the repo root).
    config = tmp_path / "conf" / "mtclean.yaml"
    config.parent.mkdir()
    config.write_text("align:\n  word_table: ../tables/uk-en.tsv\n", encoding="utf-8")
    assert Path(str(load_config(config).align.word_table)).resolve() == table.resolve()
    by_config = mtclean("align", str(src), str(tgt), *langs, "--config", str(config))
    assert by_config.returncode == 0, by_config.stderr
    assert by_config.stdout == flag.stdout
    # A table of the pair's other direction serves as well.
    turned = mtclean("align", str(tgt), str(src), "--src-lang", "en", "--tgt-lang", "uk",
                     "--word-table", str(table))  # fmt: skip
    assert turned.returncode == 0 and "no word table" not in turned.stderr


def test_a_table_of_another_pair_is_refused_naming_both(tmp_path: Path) -> None:
    ru, en = _made_up(400)
    table = tmp_path / "ru-en.tsv"
    table.write_text(learn.user_table(list(zip(ru, en, strict=True)), "ru", "en"))
    src, tgt = _write(tmp_path / "a.txt", ru[:5]), _write(tmp_path / "b.txt", en[:5])
    r = mtclean("align", str(src), str(tgt), "--src-lang", "bg", "--tgt-lang", "en",
                "--word-table", str(table))  # fmt: skip
    assert r.returncode == 2 and not r.stdout
    assert "ru-en word table, not one for bg-en" in r.stderr, r.stderr
    not_a_table = _write(tmp_path / "words.txt", ["кошка\tcat\t0.9"])
    for bad, said in ((not_a_table, "names no language pair"), (tmp_path / "no.tsv", "no such")):
        r = mtclean("align", str(src), str(tgt), "--word-table", str(bad))
        assert r.returncode == 2 and said in r.stderr, r.stderr
    empty = _write(tmp_path / "empty.yaml", ["align:", '  word_table: ""'])
    r = mtclean("align", str(src), str(tgt), "--config", str(empty))
    assert r.returncode == 2 and "align.word_table: empty" in r.stderr, r.stderr
    # `mtclean run` aligns ru-en: a table of another pair stops it before Prefect starts.
    config = tmp_path / "run.yaml"
    other = tmp_path / "bg-en.tsv"
    other.write_text(table.read_text().replace("!pair\tru\ten", "!pair\tbg\ten"))
    config.write_text(f"align:\n  word_table: {other.name}\n", encoding="utf-8")
    inp = tmp_path / "in"
    inp.mkdir()
    r = mtclean("run", str(inp), "--out", str(tmp_path / "out"), "--config", str(config))
    assert r.returncode == 2 and "bg-en word table, not one for ru-en" in r.stderr, r.stderr


def test_the_shipped_table_given_as_a_file_aligns_as_the_default(tmp_path: Path) -> None:
    """A user table replaces the shipped one: the shipped ru-en file given as align.word_table
    gives the default's beads and scores (and no table given changes nothing)."""
    copy = tmp_path / "ru-en.tsv"
    shutil.copy(LEX / "ru-en.tsv", copy)
    ru = [
        "Токаев прилетел в Баку.",
        "Там его встретил Алиев. Они говорили.",
        "Погода была хорошей.",
    ]
    en = ["Tokayev flew to Baku.", "Aliyev met him there.", "They talked.", "Unrelated line."]
    default = align(ru, en)
    given = align(ru, en, AlignConfig(word_table=str(copy)))
    assert [(b.ru, b.en, b.score) for b in given] == [(b.ru, b.en, b.score) for b in default]
    with pytest.raises(lexsim.TableError, match="ru-en word table, not one for de-fr"):
        align(["Ein Satz."], ["Une phrase."], AlignConfig(word_table=str(copy)),
              src_lang="de", tgt_lang="fr")  # fmt: skip


def test_a_word_table_counts_in_the_config_hash_by_its_bytes(tmp_path: Path) -> None:
    a, b = tmp_path / "a.tsv", tmp_path / "elsewhere" / "b.tsv"
    b.parent.mkdir()
    shutil.copy(LEX / "ru-en.tsv", a)
    shutil.copy(LEX / "ru-en.tsv", b)

    def with_table(path: Path) -> PipelineConfig:
        return PipelineConfig(align=AlignConfig(word_table=str(path)))

    assert with_table(a).content_hash() == with_table(b).content_hash()  # moved: same results
    # The shipped table given as a file aligns as the default: a rerun redoes nothing.
    assert with_table(a).content_hash() == PipelineConfig().content_hash()
    b.write_text(b.read_text(encoding="utf-8") + "кошк\tcat\t0.5\n", encoding="utf-8")
    assert with_table(a).content_hash() != with_table(b).content_hash()
    assert with_table(b).content_hash() != PipelineConfig().content_hash()


def test_the_readme_commands_work_as_written(tmp_path: Path) -> None:
    """The README's two commands, run as written in a folder holding the files they name
    (FLORES dev lines as "my" parallel text and a document to align)."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Your own word table") :]
    block = section[section.index("```bash\n") + 8 : section.index("```\n", 10)]
    commands = [line.split() for line in block.splitlines() if line.startswith("mtclean ")]
    assert [c[1] for c in commands] == ["lexicon", "align"]
    uk = _flores("ukr_Cyrl").read_text(encoding="utf-8").splitlines()
    en = _flores("eng_Latn").read_text(encoding="utf-8").splitlines()
    _write(tmp_path / "my.uk.txt", uk[:500])
    _write(tmp_path / "my.en.txt", en[:500])
    doc_uk, doc_en, gold = _uk_en_document()
    _write(tmp_path / "doc.uk.txt", doc_uk)
    _write(tmp_path / "doc.en.txt", doc_en)
    results = []
    for command in commands:
        # (the tests run from the repo root: the README's relative names, made absolute)
        args = [str(tmp_path / a) if (tmp_path / a).suffix in (".txt", ".tsv") else a
                for a in command[1:]]  # fmt: skip
        results.append(mtclean(*args))
        assert results[-1].returncode == 0, results[-1].stderr
    assert (tmp_path / "uk-en.tsv").is_file()
    assert gold <= {tuple(line.split("\t")[:2]) for line in results[-1].stdout.splitlines()}


def test_the_same_text_saved_differently_builds_the_same_table(tmp_path: Path) -> None:
    """CRLF, a BOM, blank lines an editor left at the end (more on one side) and stdin are
    the same parallel text: the same table bytes, not a refusal for unequal line counts."""
    ru, en = _made_up(400)
    src, tgt = _write(tmp_path / "ru.txt", ru), _write(tmp_path / "en.txt", en)
    langs = ("--src-lang", "ru", "--tgt-lang", "en", "--out")
    r = mtclean("lexicon", "build", str(src), str(tgt), *langs, str(tmp_path / "plain.tsv"))
    assert r.returncode == 0, r.stderr
    plain = (tmp_path / "plain.tsv").read_bytes()
    crlf = tmp_path / "crlf.txt"
    crlf.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(ru).encode() + b"\r\n\r\n  \r\n")
    tail = tmp_path / "en_tail.txt"
    tail.write_text("\n".join(en) + "\n\n", encoding="utf-8")
    for args, stdin in [
        ((str(crlf), str(tgt)), None),
        ((str(src), str(tail)), None),
        ((str(crlf), str(tail)), None),
        (("-", str(tgt)), "\n".join(ru) + "\n\n"),
    ]:
        out = tmp_path / "again.tsv"
        r = mtclean("lexicon", "build", *args, *langs, str(out), stdin=stdin)
        assert r.returncode == 0, (args, r.stderr)
        assert out.read_bytes() == plain, args


def test_a_code_page_file_is_refused_not_learned_from(tmp_path: Path) -> None:
    """A cp1251 file would teach keys of U+FFFD: exit 2 naming it and the iconv to run,
    no table written (not a table and a note at the end)."""
    ru, en = _made_up(400)
    src = tmp_path / "ru.txt"
    src.write_bytes(("\n".join(ru) + "\n").encode("cp1251"))
    tgt, out = _write(tmp_path / "en.txt", en), tmp_path / "t.tsv"
    r = mtclean("lexicon", "build", str(src), str(tgt), "--src-lang", "ru", "--tgt-lang", "en",
                "--out", str(out))  # fmt: skip
    assert r.returncode == 2, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and f"{src} is not UTF-8" in lines[0], r.stderr
    assert f"iconv -f CP1251 -t utf-8 {src}" in lines[0]
    assert not out.exists()


def test_a_hand_edited_table_is_read_or_refused_by_its_line(tmp_path: Path) -> None:
    """A table saved again by an editor (a BOM, CRLF) still serves; a bad line is named by
    its number, exit 2."""
    ru, en = _made_up(400)
    text = learn.user_table(list(zip(ru, en, strict=True)), "ru", "en")
    lines = text.splitlines()
    saved = tmp_path / "saved.tsv"
    saved.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode() + b"\r\n")
    assert lexsim.load_table(saved, "ru", "en").trans == lexsim.parse(text, "ru", "en").trans
    stop = next(n for n, line in enumerate(lines) if line.startswith("!stop\ta"))
    row = len(lines) - 1
    edits = {
        "a row without its score": (row, lines[row].rsplit("\t", 1)[0], f"line {row + 1}: not a"),
        "a !stop without its side": (stop, lines[stop].replace("\ta\t", "\t"), f"line {stop + 1}"),
        "a score that is no number": (row, lines[row].rsplit("\t", 1)[0] + "\tnan", "score"),
    }
    doc_ru, doc_en = _write(tmp_path / "d.ru", ru[:5]), _write(tmp_path / "d.en", en[:5])
    for what, (n, line, said) in edits.items():
        bad = tmp_path / "bad.tsv"
        bad.write_text("\n".join([*lines[:n], line, *lines[n + 1 :]]) + "\n", encoding="utf-8")
        r = mtclean("align", str(doc_ru), str(doc_en), "--word-table", str(bad))
        assert r.returncode == 2, (what, r.stderr)
        assert said in r.stderr and len(r.stderr.strip().splitlines()) == 1, (what, r.stderr)


def test_an_out_that_cannot_be_written_is_said_before_learning(tmp_path: Path) -> None:
    """``--out`` under a file: exit 4 at once (here before a text too short to learn from is
    even read); missing folders on the way are made."""
    ru, en = _made_up(400)
    src, tgt = _write(tmp_path / "ru.txt", ru), _write(tmp_path / "en.txt", en)
    few = _write(tmp_path / "few.txt", ru[:10]), _write(tmp_path / "few_en.txt", en[:10])
    langs = ("--src-lang", "ru", "--tgt-lang", "en", "--out")
    under = tmp_path / "ru.txt" / "sub" / "t.tsv"
    r = mtclean("lexicon", "build", str(few[0]), str(few[1]), *langs, str(under))
    assert r.returncode == 4, r.stderr
    assert f"{src} is a file, not a folder" in r.stderr and "too little" not in r.stderr
    deep = tmp_path / "new" / "tables" / "ru-en.tsv"
    r = mtclean("lexicon", "build", str(src), str(tgt), *langs, str(deep))
    assert r.returncode == 0 and deep.is_file(), r.stderr


def test_locale_tags_name_their_language(tmp_path: Path) -> None:
    """``ru-RU`` / ``en_US`` (as a locale or a BCP 47 tag is written) are ru and en: the same
    table as the plain codes, not exit 2."""
    ru, en = _made_up(400)
    src, tgt = _write(tmp_path / "ru.txt", ru), _write(tmp_path / "en.txt", en)
    tables = []
    for langs in (("ru", "en"), ("ru-RU", "en_US")):
        out = tmp_path / f"{langs[0]}.tsv"
        r = mtclean("lexicon", "build", str(src), str(tgt), "--src-lang", langs[0],
                    "--tgt-lang", langs[1], "--out", str(out))  # fmt: skip
        assert r.returncode == 0, r.stderr
        tables.append(out.read_bytes())
    assert tables[0] == tables[1]


def _peak_mb(*args: str) -> tuple[int, str, float]:
    """``mtclean ARGS`` run from a fresh interpreter that measures nothing else: the exit code,
    stderr, and the command's peak resident memory in MB (memory, not time)."""
    probe = (
        "import resource, subprocess, sys\n"
        "r = subprocess.run([sys.executable, '-m', 'flows.cli', *sys.argv[1:]],"
        " capture_output=True, text=True, encoding='utf-8')\n"
        "sys.stderr.write(r.stderr)\n"
        "print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    r = subprocess.run(
        [sys.executable, "-c", probe, *args], capture_output=True, text=True, cwd=ROOT,
        encoding="utf-8", timeout=300,
    )  # fmt: skip
    code, kb = r.stdout.split()
    return int(code), r.stderr, int(kb) / 1024


def test_a_huge_text_is_read_as_it_comes_not_held(tmp_path: Path) -> None:
    """Lines past what is learned from are counted, not held: 300,000 more line pairs (none
    usable: the English side is a number) leave the peak memory where 400 put it, and the
    table is the same bytes (the header counts them left out)."""
    ru, en = _made_up(400)
    src, tgt = _write(tmp_path / "ru.txt", ru), _write(tmp_path / "en.txt", en)
    big_src, big_tgt = tmp_path / "big.ru", tmp_path / "big.en"
    extra = 300_000
    big_src.write_text("\n".join(ru) + "\n" + "Лишняя строка без пары.\n" * extra, "utf-8")
    big_tgt.write_text("\n".join(en) + "\n" + "12345\n" * extra, "utf-8")
    langs = ("--src-lang", "ru", "--tgt-lang", "en", "--out")
    code, err, small = _peak_mb("lexicon", "build", str(src), str(tgt), *langs, str(tmp_path / "s"))
    assert code == 0, err
    code, err, big = _peak_mb(
        "lexicon", "build", str(big_src), str(big_tgt), *langs, str(tmp_path / "b")
    )
    assert code == 0, err
    assert f"400 sentence pairs ({extra} left out)" in err, err
    # (held as lists, these lines took ~100 MB more)
    assert big < small + 30, (small, big)
    head = (tmp_path / "s").read_text("utf-8").split("\n")
    again = (tmp_path / "b").read_text("utf-8").split("\n")
    # (the hash is of the pairs learned from; the header's counts say the rest)
    assert again[:2] == head[:2] and again[3:] == head[3:] and again[2] != head[2]


def test_a_huge_wrong_word_table_is_refused_before_it_is_read(tmp_path: Path) -> None:
    """A parallel text given as the table (its first line no table's), a table with junk
    after its rows, one line of 40 MB: each refused, exit 2, having read no more than its
    head (or up to the bad line): the peak memory is the run's without a table. A file larger
    than any table is refused by its size, unread (a sparse file here)."""
    ru, en = _made_up(400)
    doc_ru, doc_en = _write(tmp_path / "d.ru", ru[:5]), _write(tmp_path / "d.en", en[:5])
    good = tmp_path / "good.tsv"
    good.write_text(learn.user_table(list(zip(ru, en, strict=True)), "ru", "en"), "utf-8")
    code, err, plain = _peak_mb("align", str(doc_ru), str(doc_en), "--word-table", str(good))
    assert code == 0, err
    corpus = tmp_path / "corpus.txt"
    corpus.write_text("Строка параллельного текста, не таблица.\n" * 1_000_000, "utf-8")
    junk = tmp_path / "junk.tsv"
    junk.write_text(good.read_text("utf-8") + "не строка таблицы\n" * 1_000_000, "utf-8")
    one_line = tmp_path / "one_line.tsv"
    one_line.write_text("слово " * 7_000_000, "utf-8")
    cases = {corpus: "names no language pair", junk: "not a key<TAB>key<TAB>score line"}
    cases[one_line] = "line 1 is over"
    for bad, said in cases.items():
        code, err, peak = _peak_mb("align", str(doc_ru), str(doc_en), "--word-table", str(bad))
        assert code == 2 and said in err and "Traceback" not in err, (bad.name, err)
        assert peak < plain + 30, (bad.name, plain, peak)  # (held whole: 80-200 MB more)
    sparse = tmp_path / "sparse.tsv"
    with sparse.open("wb") as fh:
        fh.write(good.read_bytes())
        fh.truncate(lexsim.MAX_TABLE_BYTES + 1)
    r = mtclean("align", str(doc_ru), str(doc_en), "--word-table", str(sparse))
    assert r.returncode == 2 and "larger than any word table" in r.stderr, r.stderr


def test_an_out_that_is_a_symlink_writes_its_target(tmp_path: Path) -> None:
    """``--out`` a symlink (a table kept elsewhere, linked where the configs look): the
    table is written to the link's target, atomically in the target's folder; the link stays
    a link. A link to nothing yet makes its target (as a shell's ``>`` does); a link that
    leads round to itself is refused, exit 2."""
    ru, en = _made_up(400)
    src, tgt = _write(tmp_path / "ru.txt", ru), _write(tmp_path / "en.txt", en)
    langs = ("--src-lang", "ru", "--tgt-lang", "en", "--out")
    store, here = tmp_path / "store", tmp_path / "here"
    store.mkdir()
    here.mkdir()
    target = store / "ru-en.tsv"
    target.write_text("old\n", "utf-8")
    link = here / "table.tsv"
    link.symlink_to(target)
    r = mtclean("lexicon", "build", str(src), str(tgt), *langs, str(link))
    assert r.returncode == 0, r.stderr
    assert f"→ {link} (a link: {target.resolve()})" in r.stderr, r.stderr
    assert link.is_symlink() and link.resolve() == target.resolve()
    assert lexsim.table_pair(target.read_text("utf-8")) == ("ru", "en")
    assert sorted(p.name for p in store.iterdir()) == ["ru-en.tsv"]  # (no temp file left)
    assert sorted(p.name for p in here.iterdir()) == ["table.tsv"]
    dangling = here / "new.tsv"
    dangling.symlink_to(store / "new-ru-en.tsv")
    r = mtclean("lexicon", "build", str(src), str(tgt), *langs, str(dangling))
    assert r.returncode == 0, r.stderr
    assert dangling.is_symlink() and (store / "new-ru-en.tsv").read_bytes() == target.read_bytes()
    loop = here / "loop.tsv"
    loop.symlink_to(loop)
    r = mtclean("lexicon", "build", str(src), str(tgt), *langs, str(loop))
    assert r.returncode == 2 and "symlink" in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert loop.is_symlink()


def test_a_folder_or_an_empty_file_as_the_table_is_said_plainly(tmp_path: Path) -> None:
    """``--word-table`` naming a folder or an empty file: exit 2 saying so (not an errno, nor
    "no !pair line" for a file with no line at all)."""
    ru, en = _made_up(10)
    doc_ru, doc_en = _write(tmp_path / "d.ru", ru[:5]), _write(tmp_path / "d.en", en[:5])
    empty = tmp_path / "empty.tsv"
    empty.write_bytes(b"")
    for bad, said in ((tmp_path, "is a folder"), (empty, "is empty")):
        r = mtclean("align", str(doc_ru), str(doc_en), "--word-table", str(bad))
        assert r.returncode == 2 and said in r.stderr and "Errno" not in r.stderr, r.stderr


def test_one_language_on_both_sides_is_not_sent_to_lexicon_build(tmp_path: Path) -> None:
    """Two texts of one language (two translations of a text) align by length, numbers and
    names; the note says why there is no table rather than sending the user to `lexicon
    build`, which refuses one language on both sides."""
    ru, _ = _made_up(5)
    doc = _write(tmp_path / "d.txt", ru)
    r = mtclean("align", str(doc), str(doc), "--src-lang", "uk", "--tgt-lang", "uk")
    assert r.returncode == 0 and len(r.stdout.splitlines()) == 5, r.stderr
    assert "lexicon build" not in r.stderr and "both sides are uk" in r.stderr, r.stderr


def test_reading_as_lines_come_keeps_what_the_list_kept() -> None:
    """``read_parallel`` (the files as they come) keeps the pairs ``usable_pairs`` keeps of
    the same lines, and counts as many left out, wherever the cap falls."""
    rng = random.Random(3)
    ru, en = _made_up(300, seed=5)
    pairs = [(a if rng.random() > 0.1 else "", b if rng.random() > 0.1 else "7") for a, b in
             zip(ru, en, strict=True)]  # fmt: skip
    for cap in (0, 5, 40, 41, 500, 2_000, 10**9):
        kept, left_out = learn.usable_pairs(pairs, max_cells=cap)
        read = learn.read_parallel([a + "\n" for a, _ in pairs], [b for _, b in pairs], cap)
        assert (read.pairs, read.left_out) == (kept, left_out), cap


def test_the_command_lexicon_build_suggests_runs_as_printed(tmp_path: Path) -> None:
    """The align command printed at the end, copied as it is, reads the table: a path with a
    space is quoted for the shell."""
    ru, en = _made_up(400)
    src, tgt = _write(tmp_path / "ru.txt", ru), _write(tmp_path / "en.txt", en)
    out = tmp_path / "my tables" / "ru en.tsv"
    r = mtclean("lexicon", "build", str(src), str(tgt), "--src-lang", "ru", "--tgt-lang", "en",
                "--out", str(out))  # fmt: skip
    assert r.returncode == 0, r.stderr
    suggested = r.stderr[r.stderr.index("(mtclean align ") + 1 : r.stderr.rindex(")")]
    args = shlex.split(suggested)
    assert args[args.index("--word-table") + 1] == str(out), suggested


def test_an_out_that_is_no_regular_file_is_refused(tmp_path: Path) -> None:
    """``--out`` an existing pipe (or a device: ``--out /dev/null`` to try the learning, as
    root, would have renamed a table over the null device): exit 2 before the learning, the
    pipe left as it was. (A symlink is followed first: one to a pipe is refused alike.)"""
    ru, en = _made_up(400)
    src, tgt = _write(tmp_path / "ru.txt", ru), _write(tmp_path / "en.txt", en)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "link.tsv"
    link.symlink_to(fifo)
    for out in (fifo, link):
        r = mtclean("lexicon", "build", str(src), str(tgt), "--src-lang", "ru", "--tgt-lang",
                    "en", "--out", str(out))  # fmt: skip
        assert r.returncode == 2 and "not a regular file" in r.stderr, r.stderr
        assert fifo.is_fifo() and link.is_symlink()


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs /proc (Linux)")
def test_a_write_that_fails_names_the_table_not_its_temp_file(tmp_path: Path) -> None:
    """A folder that takes no new file (/proc) is exit 4 naming --out and the reason, not
    the hidden temp file the write went through."""
    ru, en = _made_up(400)
    src, tgt = _write(tmp_path / "ru.txt", ru), _write(tmp_path / "en.txt", en)
    r = mtclean("lexicon", "build", str(src), str(tgt), "--src-lang", "ru", "--tgt-lang", "en",
                "--out", "/proc/mtclean-table.tsv")  # fmt: skip
    assert r.returncode == 4 and "/proc/mtclean-table.tsv" in r.stderr, r.stderr
    assert ".tmp" not in r.stderr and len(r.stderr.splitlines()) == 1, r.stderr


def test_a_full_disk_writing_the_table_is_exit_5_as_other_commands() -> None:
    """No space left writing the table is exit 5 (README's exit codes: free some and run the
    command again), as every other command's full disk is; other write errors stay exit 4."""
    import errno

    from flows import cli

    out = Path("tables/ru-en.tsv")
    for code in (errno.ENOSPC, errno.EDQUOT):
        failure = cli._table_write_failure(out, OSError(code, os.strerror(code)))
        assert failure.code == cli.EXIT_DISK_FULL == 5, failure
        assert str(failure) == (
            "no space left writing tables/ru-en.tsv: free some and run the command again"
        )
    denied = cli._table_write_failure(out, PermissionError(errno.EACCES, "Permission denied"))
    assert denied.code == cli.EXIT_OUTPUT
    assert str(denied) == "cannot write tables/ru-en.tsv: Permission denied"


def test_a_word_table_that_is_no_regular_file_is_refused_unread(tmp_path: Path) -> None:
    """A pipe named as the word table (``--word-table``, or ``align.word_table`` in run's or
    align's config) is exit 2 saying so, never opened: it would block on its open, and run
    reads a table twice (to check it, to hash it), which a pipe gives only once."""
    ru, en = _made_up(10)
    doc_ru, doc_en = _write(tmp_path / "d.ru", ru[:5]), _write(tmp_path / "d.en", en[:5])
    fifo = tmp_path / "table.tsv"
    os.mkfifo(fifo)
    config = tmp_path / "mtclean.yaml"
    config.write_text("align:\n  word_table: table.tsv\n", encoding="utf-8")
    (tmp_path / "in").mkdir()
    shutil.copy(doc_ru, tmp_path / "in" / "d.ru.txt")
    for args in (
        ("align", str(doc_ru), str(doc_en), "--word-table", str(fifo)),
        ("align", str(doc_ru), str(doc_en), "--config", str(config)),
        ("run", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--config", str(config)),
    ):
        r = mtclean(*args, timeout=30)  # (it hung on the open)
        assert r.returncode == 2 and "not a regular file" in r.stderr, (args, r.stderr)
        assert "Errno" not in r.stderr and fifo.is_fifo()
    assert not (tmp_path / "out").exists()  # refused before Prefect starts
