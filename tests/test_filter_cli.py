"""``mtclean filter``: candidate pairs in, keep/reasons/score out, in order, deduplicated."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from cli_run import mtclean as run_cli

ROOT = Path(__file__).resolve().parents[1]

PAIRS = [
    {"id": 1, "ru": "В 2022 году Токаев встретился с Алиевым в Баку.",
     "en": "In 2022, Tokayev met Aliyev in Baku."},
    {"id": 2, "ru": "110 стран подписали договор.", "en": "10 countries signed the treaty."},
    {"id": 3, "ru": "В 2022 году Токаев встретился с Алиевым в Баку.",
     "en": "In 2022, Tokayev met Aliyev in Baku."},
    {"id": 4, "ru": "в 2022 году Токаев встретился с Алиевым в Баку",
     "en": "In 2022 Tokayev met Aliyev in Baku!"},
    {"id": "x", "ru": "Правительство одобрило бюджет.", "en": "Правительство одобрило бюджет."},
]  # fmt: skip


def mtclean(*args: str, stdin: str) -> subprocess.CompletedProcess[str]:
    return run_cli("filter", *args, stdin=stdin)


def _lines(pairs: list[dict]) -> str:
    return "".join(json.dumps(p, ensure_ascii=False) + "\n" for p in pairs)


def test_filter_contract_order_and_dedup():
    r = mtclean("--format", "jsonl", "-", stdin=_lines(PAIRS))
    assert r.returncode == 0, r.stderr
    out = [json.loads(line) for line in r.stdout.splitlines()]
    assert [o["id"] for o in out] == [p["id"] for p in PAIRS]
    assert all(list(o) == ["id", "keep", "reasons", "score"] for o in out)
    assert out[0]["keep"] and out[0]["reasons"] == [] and out[0]["score"] >= 0.5
    assert not out[1]["keep"] and "number-mismatch" in out[1]["reasons"]
    assert out[2] == {"id": 3, "keep": False, "reasons": ["duplicate"], "score": out[0]["score"]}
    assert out[3]["reasons"] == ["near-duplicate"]
    assert out[4]["reasons"] == ["untranslated"] and out[4]["score"] < 0.3


def test_filter_config_switches_filters_off(tmp_path: Path):
    cfg = tmp_path / "c.yaml"
    cfg.write_text("filters:\n  disable: [duplicate, near-duplicate, number-mismatch]\n")
    r = mtclean("--config", str(cfg), stdin=_lines(PAIRS[:4]))
    assert r.returncode == 0, r.stderr
    out = [json.loads(line) for line in r.stdout.splitlines()]
    assert [o["reasons"] for o in out] == [[], ["misaligned"], [], []]
    cfg.write_text("filters:\n  disable: [no-such-filter]\n")
    r = mtclean("--config", str(cfg), stdin=_lines(PAIRS[:1]))
    assert r.returncode == 2 and "unknown filter" in r.stderr


def test_filter_bad_input_gets_its_verdict_a_named_line_and_exit_2_and_no_prefect(
    tmp_path: Path,
):
    r = mtclean(stdin='{"id": 1, "ru": "a"}\n')
    assert r.returncode == 2 and "line 1" in r.stderr
    assert json.loads(r.stdout) == {
        "id": 1, "keep": False, "reasons": ["missing-side"], "score": 0.0}  # fmt: skip
    # Every message names where the line is, a file or stdin (also given as '-').
    (tmp_path / "bad.jsonl").write_text('{"id": 1, "ru": "a", "en": "b"}\n{"id": 2}\n')
    r = mtclean(str(tmp_path / "bad.jsonl"), stdin="")
    assert r.stderr.splitlines()[0] == (
        f"mtclean filter: {tmp_path / 'bad.jsonl'} line 2: no 'ru' (needs strings 'ru' and 'en')"
    )
    for args in ((), ("-",)):
        r = mtclean(*args, stdin="[1]\n")
        assert r.stderr.splitlines()[0] == "mtclean filter: stdin line 1: expected a JSON object"
        assert json.loads(r.stdout)["reasons"] == ["malformed"] and r.returncode == 2
    (tmp_path / "p.jsonl").write_text(_lines(PAIRS), encoding="utf-8")
    code = (
        "import sys\nfrom flows.cli import main\n"
        f"assert main(['filter', {str(tmp_path / 'p.jsonl')!r}]) == 0\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('prefect', 'torch')))\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0 and r.stdout.splitlines()[-1] == "[]", r.stderr


def test_a_line_over_input_max_bytes_is_too_long_unread_and_the_stream_goes_on(tmp_path: Path):
    cfg = tmp_path / "c.yaml"
    cfg.write_text("input: {max_bytes: 2000}\n")
    big_ru = " ".join([PAIRS[0]["ru"]] * 60)
    lines = [
        {"id": "a", **{k: PAIRS[0][k] for k in ("ru", "en")}},
        {"id": "big", "ru": big_ru, "en": PAIRS[0]["en"]},  # id first: named
        {"ru": big_ru, "en": PAIRS[0]["en"], "id": "hidden"},  # id after the text: not read
        {"id": "b", **{k: PAIRS[1][k] for k in ("ru", "en")}},
    ]
    r = mtclean("--config", str(cfg), stdin=_lines(lines))
    assert r.returncode == 0, r.stderr
    out = [json.loads(line) for line in r.stdout.splitlines()]
    assert out[1] == {"id": "big", "keep": False, "reasons": ["too-long"], "score": 0.0}
    assert out[2] == {"id": None, "keep": False, "reasons": ["too-long"], "score": 0.0}
    assert [o["id"] for o in out] == ["a", "big", None, "b"] and out[0]["keep"]
    # Negative: under the default input.max_bytes (as run's), the same line is read and
    # judged by the filters: too-long (a side over max_chars), its id wherever it stands.
    r = mtclean(stdin=_lines(lines[2:3]))
    assert json.loads(r.stdout)["id"] == "hidden"
    assert json.loads(r.stdout)["reasons"] == ["too-long"]


def test_a_pair_a_cheap_filter_rejects_is_not_scored_and_an_empty_side_has_one_reason():
    lines = [
        {"id": 1, "ru": "", "en": PAIRS[0]["en"]},
        {"id": 2, "ru": PAIRS[0]["ru"], "en": "  "},
        {"id": 3, "ru": "12:18", "en": "12:18"},
        {"id": 4, "ru": PAIRS[0]["ru"], "en": PAIRS[0]["en"]},
        {"id": 5, "ru": "* * *", "en": PAIRS[0]["en"]},  # a separator line: one cause too
        {"id": 6, "ru": "\ufffd\ufffd", "en": PAIRS[0]["en"]},  # what bytes not UTF-8 become
    ]
    r = mtclean(stdin=_lines(lines))
    out = [json.loads(line) for line in r.stdout.splitlines()]
    assert [(o["reasons"], o["score"]) for o in out[:3]] == [
        (["too-short"], 0.0), (["too-short"], 0.0), (["boilerplate"], 0.0)]  # fmt: skip
    assert out[4]["reasons"] == out[5]["reasons"] == ["boilerplate"]
    assert out[3]["keep"] and out[3]["score"] > 0.5


def test_with_filters_off_every_pair_is_kept_and_a_big_one_is_not_scored(tmp_path: Path):
    # filters.enabled: false keeps every pair; as with the filters on, a side over
    # filters.max_chars is not scored (a multi-MB pair would cost seconds and 100s of MB).
    cfg = tmp_path / "c.yaml"
    cfg.write_text("filters: {enabled: false, max_chars: 2000}\n")
    big = {k: " ".join([PAIRS[0][k]] * 60) for k in ("ru", "en")}  # a parallel pair
    lines = [
        {"id": "small", "ru": PAIRS[0]["ru"], "en": PAIRS[0]["en"]},
        {"id": "big", **big},
        {"id": "bad", "ru": PAIRS[1]["ru"], "en": PAIRS[1]["en"]},
    ]
    r = mtclean("--config", str(cfg), stdin=_lines(lines))
    assert r.returncode == 0, r.stderr
    out = [json.loads(line) for line in r.stdout.splitlines()]
    assert out[1] == {"id": "big", "keep": True, "reasons": [], "score": 0.0}
    assert out[0]["keep"] and out[2]["keep"] and out[2]["reasons"] == []
    # The pairs within the bound get the adequacy the filters would give them.
    on = [json.loads(line) for line in mtclean(stdin=_lines(lines)).stdout.splitlines()]
    assert out[0]["score"] == on[0]["score"] > 0.5 and out[2]["score"] == on[2]["score"]
    # Negative: a bound above the big side scores it (as given: repaired, as run repairs it,
    # its English is one sentence, the 60 a loop the MT made, and the pair scores ~0).
    cfg.write_text("filters: {enabled: false, max_chars: 20000}\n")
    r = mtclean("--config", str(cfg), "--as-given", stdin=_lines(lines[1:2]))
    assert json.loads(r.stdout)["score"] > 0.5
    r = mtclean("--config", str(cfg), stdin=_lines(lines[1:2]))
    assert json.loads(r.stdout)["score"] < 0.1


def test_bad_lines_get_their_own_verdicts_in_place_and_the_stream_goes_on():
    """One verdict per line, in order, whatever the line holds: nothing lost or shifted."""
    lines = (
        _lines(PAIRS[:2])
        + '{"id": 9, "ru": 5, "en": "five"}\n'  # a side that is no string
        + "not json at all\n"
        + '{"id": "half", "ru": "Да."}\n'  # no English
        + '{"id": "nul", "ru": null, "en": "Yes."}\n'
        + '"just a string"\n'
        + _lines(PAIRS[2:])
    )
    r = mtclean(stdin=lines)
    out = [json.loads(line) for line in r.stdout.splitlines()]
    assert [o["id"] for o in out] == [1, 2, 9, None, "half", "nul", None, 3, 4, "x"]
    bad = {k: (o["keep"], o["reasons"], o["score"]) for k, o in enumerate(out) if 2 <= k <= 6}
    assert bad == {
        2: (False, ["malformed"], 0.0),
        3: (False, ["malformed"], 0.0),
        4: (False, ["missing-side"], 0.0),
        5: (False, ["missing-side"], 0.0),
        6: (False, ["malformed"], 0.0),
    }
    # The good lines are judged as without the bad ones among them (dedup included).
    alone = [json.loads(x) for x in mtclean(stdin=_lines(PAIRS)).stdout.splitlines()]
    assert out[:2] + out[7:] == alone
    # Each bad line is named on stderr, then a count; the exit code tells a pipeline.
    assert r.returncode == 2
    err = r.stderr.splitlines()
    assert [e.split(":")[1].strip() for e in err[:5]] == [f"stdin line {n}" for n in range(3, 8)]
    assert "5 line(s) of stdin were not a pair" in err[5] and len(err) == 6


def test_many_bad_lines_are_counted_not_each_named():
    r = mtclean(stdin="x\n" * 25 + _lines(PAIRS[:1]))
    out = [json.loads(line) for line in r.stdout.splitlines()]
    assert len(out) == 26 and out[-1]["keep"] and r.returncode == 2
    err = r.stderr.splitlines()
    assert len(err) == 11 and "25 line(s)" in err[-1] and "15 not named above" in err[-1]


def test_filter_streams_its_input():
    """The first batch's verdicts come out while stdin is still open (a pipe into a pipe)."""
    import selectors

    proc = subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "filter"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    try:
        assert proc.stdin is not None and proc.stdout is not None
        pair = {k: PAIRS[0][k] for k in ("ru", "en")}
        proc.stdin.write(_lines([{"id": k, **pair} for k in range(600)]).encode())
        proc.stdin.flush()  # 600 lines: one full batch of 512, stdin left open
        sel = selectors.DefaultSelector()
        sel.register(proc.stdout, selectors.EVENT_READ)
        assert sel.select(timeout=120), "no output before the end of the input"
        first = json.loads(proc.stdout.readline())
        assert first["id"] == 0 and first["keep"]
    finally:
        proc.kill()
        proc.wait()


def test_a_nul_late_on_stdin_stops_the_stream_as_a_file_is_refused():
    """A NUL past the first 4 KB of stdin gave that line a ``malformed`` verdict ("Invalid
    control character") and read on, while the same bytes as a file were refused before any
    output, and clean/detect/align stop at such a line. Now filter stops there too: the lines
    before it judged and written, the NUL named by line, exit 2."""
    good = _lines(PAIRS[:2]) * 40  # > 4 KB: past the head every command looks at first
    assert len(good.encode()) > 4096
    bad = '{"id": 99, "ru": "a\x00b", "en": "x"}\n'
    r = mtclean(stdin=good + bad + _lines(PAIRS[:1]))
    assert r.returncode == 2
    out = [json.loads(line) for line in r.stdout.splitlines()]
    assert [o["id"] for o in out] == [1, 2] * 40  # every line before the NUL, none after
    assert r.stderr.strip().splitlines() == [
        "mtclean filter: stdin line 81 holds a NUL byte (character 20): not a text file "
        "(line input must be UTF-8 text)"
    ]
    # Negative: without the NUL every line is judged, exit 0.
    r = mtclean(stdin=good + _lines(PAIRS[:1]))
    assert r.returncode == 0 and len(r.stdout.splitlines()) == 81, r.stderr


def _strict_json(line: str) -> dict:
    def no_constant(name: str) -> None:
        raise AssertionError(f"{name} in the output: not JSON")

    return json.loads(line, parse_constant=no_constant)


def test_ids_of_every_json_type_come_back_and_the_output_is_always_json(tmp_path: Path):
    """An id is given back whatever its JSON type; NaN and Infinity (which Python's json reads,
    JSON has not) and a number no double holds (1e400, read as inf) would come back as
    `NaN`/`Infinity`, making the verdict line itself not JSON: such a line is malformed."""
    good = {k: PAIRS[0][k] for k in ("ru", "en")}
    ids = ["s", 7, 2.5, -0.0, 123456789012345678901234567890, True, False, None, [1, "a"],
           {"k": [2]}]  # fmt: skip
    lines = "".join(json.dumps({"id": i, **good}, ensure_ascii=False) + "\n" for i in ids)
    bad_ids = ["NaN", "Infinity", "-Infinity", "1e400"]
    lines += "".join(f'{{"id": {i}, "ru": {json.dumps(good["ru"])}, "en": "x"}}\n' for i in bad_ids)
    r = mtclean(stdin=lines)
    out = [_strict_json(line) for line in r.stdout.splitlines()]
    assert [o["id"] for o in out] == ids + [None] * 4
    assert [o["reasons"] for o in out[:2]] == [[], ["duplicate"]]
    assert all(o["reasons"] == ["malformed"] and not o["keep"] for o in out[-4:])
    assert (
        r.returncode == 2 and "1e400 is out of range" in r.stderr and "NaN is not JSON" in r.stderr
    )
    # A line too long to read gives its leading id back only when that id is JSON.
    cfg = tmp_path / "c.yaml"
    cfg.write_text("input: {max_bytes: 2000}\n")
    long = "".join(f'{{"id": {i}, "ru": "{"а" * 3000}", "en": "a"}}\n' for i in ("NaN", "5"))
    r = mtclean("--config", str(cfg), stdin=long)
    assert [_strict_json(line)["id"] for line in r.stdout.splitlines()] == [None, 5]


def test_records_whose_lines_end_in_cr_alone_are_named_as_such():
    """Read as one line (JSONL is split on LF): one malformed verdict, and the message says
    why instead of "Extra data" alone; CRLF line ends are read as lines, as before."""
    recs = [json.dumps(p, ensure_ascii=False) for p in PAIRS[:2]]
    r = mtclean(stdin="\r".join(recs) + "\r")
    assert [json.loads(line)["reasons"] for line in r.stdout.splitlines()] == [["malformed"]]
    assert r.returncode == 2 and "end in CR alone" in r.stderr
    r = mtclean(stdin="\r\n".join(recs) + "\r\n")
    assert [json.loads(line)["id"] for line in r.stdout.splitlines()] == [1, 2]
    assert r.returncode == 0 and r.stderr == ""


def test_a_line_nested_past_the_stack_is_malformed_and_the_stream_goes_on(tmp_path: Path):
    """100,000 nested arrays raised RecursionError (not a ValueError) out of the reader: a
    traceback, exit 1, the lines after it never judged. Now one malformed verdict."""
    deep = '{"id": ' + "[" * 100_000 + "]" * 100_000 + ', "ru": "Да.", "en": "Yes."}\n'
    r = mtclean(stdin=deep + _lines(PAIRS[:1]))
    out = [json.loads(line) for line in r.stdout.splitlines()]
    assert [(o["id"], o["reasons"]) for o in out] == [(None, ["malformed"]), (1, [])]
    assert r.returncode == 2 and "nested too deep" in r.stderr and "Traceback" not in r.stderr
    # The same over input.max_bytes: too long to read, its leading id looked for, none found.
    cfg = tmp_path / "c.yaml"
    cfg.write_text("input: {max_bytes: 2000}\n")
    r = mtclean("--config", str(cfg), stdin=deep + _lines(PAIRS[:1]))
    out = [json.loads(line) for line in r.stdout.splitlines()]
    assert [(o["id"], o["reasons"]) for o in out] == [(None, ["too-long"]), (1, [])]
    assert r.returncode == 0 and "Traceback" not in r.stderr


def test_a_bom_mid_input_from_joined_files_is_dropped_as_the_first_one_is():
    """Two files saved with a BOM, joined by cat: the second's first line was malformed."""
    part = "\ufeff" + _lines(PAIRS[:2])
    r = mtclean(stdin=part + part)
    out = [json.loads(line) for line in r.stdout.splitlines()]
    # (PAIRS[1] is rejected: its repeat gets its reasons again, only a kept pair's is duplicate)
    assert [o["reasons"] for o in out] == [[], out[1]["reasons"], ["duplicate"], out[1]["reasons"]]
    assert [o["id"] for o in out] == [1, 2, 1, 2] and "number-mismatch" in out[1]["reasons"]
    assert r.returncode == 0 and r.stderr == ""
    # clean, detect and align read their JSONL lines the same way.
    r = run_cli("detect", "--format", "jsonl", stdin=(
        '\ufeff{"id": "a", "text": "Hello there."}\n\ufeff{"id": "b", "text": "Привет."}\n'
    ))  # fmt: skip
    assert [json.loads(line)["lang"] for line in r.stdout.splitlines()] == ["en", "ru"]
    assert r.returncode == 0, r.stderr


def test_a_raw_mt_pair_with_a_split_time_is_judged_by_its_time():
    """The MT's ``18: 18`` in a pair given to filter before repair is the Russian's 18:18
    (was: number-mismatch and misaligned, score 0.0002); a changed time is still rejected."""
    pairs = [
        {"id": "t", "ru": "Поезд прибыл в 18:18.", "en": "The train arrived at 18: 18."},
        {"id": "u", "ru": "Встреча началась в 10:30.", "en": "The meeting started at 11: 30."},
    ]
    r = mtclean(stdin=_lines(pairs))
    assert r.returncode == 0, r.stderr
    out = [json.loads(line) for line in r.stdout.splitlines()]
    assert out[0]["keep"] and out[0]["reasons"] == [] and out[0]["score"] > 0.9
    assert not out[1]["keep"] and "number-mismatch" in out[1]["reasons"]


def test_a_time_with_a_colons_look_alike_is_the_russians_time():
    """MT's ``01։ 23 hours`` (Armenian full stop for the colon, then split) is the Russian's
    01:23: the pair was rejected as number-mismatch, repaired or given. Now kept either way;
    another time written so is still a mismatch."""
    pairs = [
        {
            "id": "a",
            "ru": "Пожар начался в 02:17 ночи.",
            "en": "The fire began at 02\u0589 17 hours.",
        },
        {
            "id": "b",
            "ru": "Пожар начался в 02:17 ночи.",
            "en": "The fire began at 03\u2236 17 hours.",
        },
    ]
    for flags in ((), ("--as-given",)):
        r = mtclean(*flags, stdin=_lines(pairs))
        assert r.returncode == 0, r.stderr
        out = [json.loads(line) for line in r.stdout.splitlines()]
        assert out[0]["keep"] and out[0]["reasons"] == [], (flags, out[0])
        assert not out[1]["keep"] and "number-mismatch" in out[1]["reasons"], (flags, out[1])


def test_a_raw_mt_pair_is_judged_repaired_as_run_judges_it_and_as_given_on_request():
    """A pair from elsewhere with the MT artefacts ``run`` repairs (the Russian read in the
    wrong code page, a fused word, a split time) is judged on its repaired text: the right
    pair is kept; ``--as-given`` judges the damaged text (the mojibake is no Russian).
    The output line keeps its four keys either way."""
    ru = "Экономические санкции ударили по рынку в 18:18."
    moji = ru.encode("utf-8").decode("cp1251")
    pairs = [
        {"id": "m", "ru": moji, "en": "Economic sanctions hit the market at 18: 18."},
        {"id": "f", "ru": "В Кремле заявили о переговорах.", "en": "the Kremlinsaid talks."},
        {"id": "w", "ru": moji, "en": "The weather was fine all week long."},
    ]
    r = mtclean(stdin=_lines(pairs))
    assert r.returncode == 0, r.stderr
    repaired = [json.loads(line) for line in r.stdout.splitlines()]
    r = mtclean("--as-given", stdin=_lines(pairs))
    assert r.returncode == 0, r.stderr
    given = [json.loads(line) for line in r.stdout.splitlines()]
    assert all(list(o) == ["id", "keep", "reasons", "score"] for o in repaired + given)
    assert repaired[0]["keep"] and repaired[0]["score"] > 0.9
    assert not given[0]["keep"] and given[0]["reasons"] == ["wrong-language"]
    # The fused name and verb: the same verdict, a higher score once split.
    assert repaired[1]["keep"] and repaired[1]["score"] > given[1]["score"]
    # A wrong pair stays rejected when its Russian is repaired.
    assert not repaired[2]["keep"] and "misaligned" in repaired[2]["reasons"]
    # The pair as repaired, given as such, is judged the same either way.
    fixed = [{"id": "m", "ru": ru, "en": "Economic sanctions hit the market at 18:18."}]
    a = json.loads(mtclean(stdin=_lines(fixed)).stdout)
    b = json.loads(mtclean("--as-given", stdin=_lines(fixed)).stdout)
    assert a == b == {**repaired[0], "id": "m"}


def _repeats() -> str:
    """Pairs repeated within and across batches: kept, rejected, repaired (and the repaired
    form given later), near repeats, over max_chars, and lines that are no pair."""
    fused = {"ru": "В Кремле заявили о переговорах.", "en": "the Kremlinsaid talks."}
    fixed = {"ru": fused["ru"], "en": "the Kremlin said talks."}
    lower = {"ru": PAIRS[0]["ru"].lower(), "en": PAIRS[0]["en"].lower()}
    big = {"ru": "Да. " * 500, "en": "Yes. " * 500}  # over filters.max_chars: not held
    recs = [PAIRS[0], PAIRS[1], PAIRS[0], fused, PAIRS[1], fixed, fused, PAIRS[3], PAIRS[3],
            lower, big, PAIRS[4], big, lower, PAIRS[4], fixed, PAIRS[0]]  # fmt: skip
    lines = [json.dumps({"id": k, **{s: r[s] for s in ("ru", "en")}}, ensure_ascii=False)
             for k, r in enumerate(recs)]  # fmt: skip
    return "\n".join([*lines[:9], "not json", *lines[9:]]) + "\n"


def test_repeated_pairs_are_judged_once_and_the_output_is_the_same_byte_for_byte(
    tmp_path: Path, capsys, monkeypatch
):
    """A pair seen before is not repaired and judged again (cleaners.judge.MEMO_PAIRS): the
    output is byte-identical to judging every line afresh, in batches that split the repeats,
    with the filters' settings, as given or repaired; each repeat is still a duplicate."""
    import cleaners.judge
    import flows.cli
    from cleaners.config import PipelineConfig
    from cleaners.judge import FilterStream
    from flows.cli import main

    src = tmp_path / "in.jsonl"
    src.write_text(_repeats(), encoding="utf-8")
    cfg = tmp_path / "c.yaml"
    cfg.write_text("align: {min_score: 0.97}\nfilters: {disable: [number-mismatch]}\n")
    monkeypatch.setattr(flows.cli, "_FILTER_CHUNK", 3)
    memo = cleaners.judge.MEMO_PAIRS
    for args in ((), ("--as-given",), ("--config", str(cfg))):
        out = []
        for size in (memo, 0):
            monkeypatch.setattr(cleaners.judge, "MEMO_PAIRS", size)
            assert main(["filter", str(src), *args]) == 2  # (the line that is not JSON)
            out.append(capsys.readouterr().out)
        assert out[0] == out[1], args
        assert len(out[0].splitlines()) == 18
    monkeypatch.undo()
    main(["filter", str(src)])
    got = [json.loads(line)["reasons"] for line in capsys.readouterr().out.splitlines()]
    assert got[0] == got[3] == [] and got[2] == got[5] == got[6] == got[16] == ["duplicate"]
    assert got[1] == got[4] and "number-mismatch" in got[1] and got[9] == ["malformed"]
    assert got[7] == got[8] == got[10] == got[14] == ["near-duplicate"]
    assert got[11] == got[13] == ["too-long"] and got[12] == got[15] == ["untranslated"]
    assert got[17] == ["duplicate"]
    # Each pair within the size bound is held once, whatever its repeats.
    stream = FilterStream(PipelineConfig(), repaired=True)
    pairs = [(json.loads(x)["ru"], json.loads(x)["en"]) for x in _repeats().splitlines()
             if x.startswith("{")]  # fmt: skip
    for k in range(0, len(pairs), 4):
        stream.judge(pairs[k : k + 4])
    assert len(stream._memo._d) == len(set(pairs)) - 1  # (the pair over max_chars)


# ---------------------------------------------------------------- tsv and text input


def _as_tsv(pairs: list[dict]) -> str:
    return "".join(f"{p['ru']}\t{p['en']}\n" for p in pairs)


def test_tsv_and_text_input_give_the_verdicts_of_the_same_pairs_as_jsonl_byte_for_byte(
    tmp_path: Path, capsys
):
    """The same pairs as JSONL (ids the line numbers), as TSV (LF or CRLF line ends) and as
    two text files: the same output, byte for byte, a blank line skipped by each."""
    from flows.cli import main

    pairs = [*PAIRS, {"ru": "", "en": PAIRS[0]["en"]}]  # (an empty side: too-short)
    blank = 3  # a blank line after the third pair in every form: the next is line 5
    lines = [*range(1, blank + 1), *range(blank + 2, len(pairs) + 2)]

    def write(name: str, rows: list[str], end: str = "\n") -> None:
        rows = [*rows[:blank], "", *rows[blank:]]
        (tmp_path / name).write_bytes("".join(r + end for r in rows).encode())

    write("p.jsonl", [json.dumps({"id": n, "ru": p["ru"], "en": p["en"]}, ensure_ascii=False)
                      for n, p in zip(lines, pairs, strict=True)])  # fmt: skip
    write("p.tsv", [f"{p['ru']}\t{p['en']}" for p in pairs])
    write("crlf.tsv", [f"{p['ru']}\t{p['en']}" for p in pairs], "\r\n")
    for side in ("ru", "en"):
        write(f"p.{side}", [p[side] for p in pairs])
    assert main(["filter", str(tmp_path / "p.jsonl")]) == 0
    want = capsys.readouterr().out
    got = [json.loads(line) for line in want.splitlines()]
    assert [o["id"] for o in got] == lines and got[2]["reasons"] == ["duplicate"]
    assert got[-1]["reasons"] == ["too-short"]
    for args in (
        ["--format", "tsv", str(tmp_path / "p.tsv")],
        ["--format", "tsv", str(tmp_path / "crlf.tsv")],
        ["--format", "tsv", "--columns", "ru,en", str(tmp_path / "p.tsv")],
        ["--format", "text", str(tmp_path / "p.ru"), str(tmp_path / "p.en")],
    ):
        assert main(["filter", *args]) == 0, args
        captured = capsys.readouterr()
        assert captured.out == want and captured.err == "", args
    # The columns in another order, and an id column: the same verdicts, those ids.
    (tmp_path / "swapped.tsv").write_text(
        "".join(f"k{n}\t{p['en']}\tx\t{p['ru']}\n" for n, p in enumerate(pairs)), "utf-8"
    )
    assert main(["filter", "--format", "tsv", "--columns", "id,en,-,ru",
                 str(tmp_path / "swapped.tsv")]) == 0  # fmt: skip
    swapped = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [o["id"] for o in swapped] == [f"k{n}" for n in range(len(pairs))]
    assert [{**o, "id": 0} for o in swapped] == [{**o, "id": 0} for o in got]


def test_a_tsv_line_that_is_no_pair_gets_a_malformed_verdict_in_place_and_nothing_shifts():
    """A line with another number of fields, a line with a byte that is not UTF-8, lines
    that end in CR alone: each is malformed, named on stderr, in its place; the other lines
    are judged as without them (dedup included); exit 2."""
    good = _as_tsv(PAIRS[:2])
    bad_bytes = PAIRS[0]["ru"].encode() + b"\t" + b"He came \xff home.\n"
    stdin = (
        good.encode()
        + b"no tab at all\n"
        + b"a\tb\tc\n"
        + bad_bytes
        + "Да.\tYes.\rНет.\tNo.\r\n".encode()  # CR alone inside: one line of three fields
        + _as_tsv(PAIRS[2:]).encode()
    )
    r = subprocess.run(
        [sys.executable, "-m", "flows.cli", "filter", "--format", "tsv"],
        input=stdin, capture_output=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    out = [json.loads(line) for line in r.stdout.decode().splitlines()]
    assert [o["id"] for o in out] == list(range(1, 10))
    assert [o["reasons"] for o in out[2:6]] == [["malformed"]] * 4
    assert all(not o["keep"] and o["score"] == 0.0 for o in out[2:6])
    alone = [json.loads(x) for x in mtclean("--format", "tsv", stdin=good + _as_tsv(PAIRS[2:]))
             .stdout.splitlines()]  # fmt: skip
    assert [{**o, "id": 0} for o in out[:2] + out[6:]] == [{**o, "id": 0} for o in alone]
    assert r.returncode == 2
    err = r.stderr.decode().splitlines()
    assert err[:4] == [
        "mtclean filter: stdin line 3: 1 tab-separated field, expected 2 (ru, en)",
        "mtclean filter: stdin line 4: 3 tab-separated fields, expected 2 (ru, en)",
        "mtclean filter: stdin line 5: not UTF-8 (1 byte(s) read as U+FFFD; line input must "
        "be UTF-8): the pair is not judged",
        "mtclean filter: stdin line 6: 3 tab-separated fields, expected 2 (ru, en); its lines "
        "may end in CR alone (old Mac line ends): tr '\\r' '\\n' converts it",
    ]
    assert "4 line(s) of stdin were not a pair" in err[4]
    assert "1 byte(s) of the input were not UTF-8" in err[5] and len(err) == 6
    # With an id column, a line whose fields cannot be told has no id to give (null, as a
    # JSONL line that is not JSON); a good line gives its own.
    r = mtclean("--format", "tsv", "--columns", "id,ru,en",
                stdin="a\tДа.\tYes.\nb\tДа.\n")  # fmt: skip
    assert [json.loads(x)["id"] for x in r.stdout.splitlines()] == ["a", None]
    assert r.returncode == 2 and "expected 3 (id, ru, en)" in r.stderr


def test_text_files_of_different_lengths_give_every_line_a_verdict(tmp_path: Path):
    """Two text files read line for line: a line only one has is missing-side (its blank
    lines at the end, a file's last newline, are nothing), a line with a byte that is not
    UTF-8 malformed, each named; either file may be stdin, not both."""
    ru, en = tmp_path / "a.ru", tmp_path / "a.en"
    bad = PAIRS[1]["ru"].replace(" ", " \udcff", 1)  # (a byte 0xff, once written)
    ru.write_bytes(
        f"{PAIRS[0]['ru']}\n{bad}\nЛишняя строка.\n\n\n".encode("utf-8", "surrogateescape")
    )
    en.write_text(f"{PAIRS[0]['en']}\n{PAIRS[1]['en']}\n", encoding="utf-8")
    r = mtclean("--format", "text", str(ru), str(en), stdin="")
    out = [json.loads(line) for line in r.stdout.splitlines()]
    assert [(o["id"], o["reasons"]) for o in out] == [
        (1, []), (2, ["malformed"]), (3, ["missing-side"])]  # fmt: skip
    assert r.returncode == 2
    where = f"{ru} and {en}"
    assert r.stderr.splitlines()[:2] == [
        f"mtclean filter: {where} line 2: {ru}: not UTF-8 (1 byte(s) read as U+FFFD; line "
        "input must be UTF-8): the pair is not judged",
        f"mtclean filter: {where} line 3: {en} has no line 3 ({ru} has more lines)",
    ]
    en.write_text(f"{PAIRS[0]['en']}\n", encoding="utf-8")
    r = mtclean("--format", "text", "-", str(en), stdin=PAIRS[0]["ru"] + "\n")
    assert r.returncode == 0 and json.loads(r.stdout)["keep"], r.stderr
    r = mtclean("--format", "text", "-", "-", stdin="")
    assert r.returncode == 2 and "only one of RU and EN can be stdin" in r.stderr
    r = mtclean("--format", "text", str(ru), stdin="")
    assert r.returncode == 2 and "--format text needs two files: RU EN" in r.stderr
    for args in (("--format", "tsv", str(ru), str(en)), ("--columns", "ru,en", str(ru))):
        r = mtclean(*args, stdin="")
        assert r.returncode == 2 and r.stdout == "", args


def test_filter_reads_back_the_tsv_and_text_run_writes(tmp_path: Path, capsys):
    """corpus.tsv, corpus.rejected.tsv (by --columns) and corpus.ru + corpus.en, as run
    writes them (a tab inside a sentence written as a space): the verdicts of the same pairs
    read from corpus.jsonl / corpus.rejected.jsonl, byte for byte."""
    import shutil

    from cleaners.config import PipelineConfig
    from cleaners.judge import decide_document
    from cleaners.pipeline import process_item
    from cleaners.readers import discover
    from cleaners.writers import write_corpus
    from flows.cli import main

    src = tmp_path / "in"
    shutil.copytree(ROOT / "corpora" / "sample", src)
    (src / "tabbed.ru.txt").write_text(
        f"Мэр встретился с министром\tв Баку.\n\n{PAIRS[1]['ru']}\n", encoding="utf-8"
    )
    (src / "tabbed.en.txt").write_text(
        f"The mayor met the minister\tin Baku.\n\n{PAIRS[1]['en']}\n", encoding="utf-8"
    )
    cfg = PipelineConfig()
    docs = [process_item(src, item, cfg) for item in discover(src, cfg.input)]
    for doc in docs:
        decide_document(doc, cfg)
    out = tmp_path / "out"
    out.mkdir()
    write_corpus(out, docs, cfg)
    assert "minister in Baku" in (out / "corpus.tsv").read_text("utf-8")
    assert (out / "corpus.rejected.tsv").read_text("utf-8").count("\n") == 1

    def verdicts(*args: str) -> str:
        main(["filter", *args])
        return capsys.readouterr().out

    for name, columns in (("corpus", "id,-,-,ru,en"), ("corpus.rejected", "id,-,-,-,ru,en")):
        rows = [json.loads(x) for x in (out / f"{name}.jsonl").read_text("utf-8").splitlines()]
        as_jsonl = tmp_path / f"{name}.pairs.jsonl"
        as_jsonl.write_text(_lines([{"id": r["doc_id"], "ru": r["ru"], "en": r["en"]}
                                    for r in rows]), encoding="utf-8")  # fmt: skip
        want = verdicts(str(as_jsonl))
        assert len(want.splitlines()) == len(rows) > 0
        assert verdicts("--format", "tsv", "--columns", columns, str(out / f"{name}.tsv")) == want
    rows = [json.loads(x) for x in (out / "corpus.jsonl").read_text("utf-8").splitlines()]
    numbered = tmp_path / "numbered.jsonl"
    numbered.write_text(_lines([{"id": n, "ru": r["ru"], "en": r["en"]}
                                for n, r in enumerate(rows, 1)]), encoding="utf-8")  # fmt: skip
    text = verdicts("--format", "text", str(out / "corpus.ru"), str(out / "corpus.en"))
    assert text == verdicts(str(numbered))


def test_a_line_over_input_max_bytes_cut_inside_a_letter_loses_no_byte(tmp_path: Path, capsys):
    """A line too long to read is read no further than input.max_bytes + 1 bytes, which may
    end inside a two-byte Cyrillic letter: that half was counted as a byte not UTF-8 (exit 2,
    "read as U+FFFD"). Now too-long alone, exit 0, in JSONL and TSV (its id field, when the
    head holds it) alike."""
    from flows.cli import main

    cfg = tmp_path / "c.yaml"
    cfg.write_text("input: {max_bytes: 2000}\n")
    big = "а" * 3000
    src = tmp_path / "big.jsonl"
    for rid in ("k", "kk"):  # (one of the two cuts falls inside a letter)
        src.write_text(_lines([{"id": rid, "ru": big, "en": "x"}]), encoding="utf-8")
        assert main(["filter", "--config", str(cfg), str(src)]) == 0
        captured = capsys.readouterr()
        assert json.loads(captured.out)["reasons"] == ["too-long"] and captured.err == ""
    tsv = tmp_path / "big.tsv"
    tsv.write_text(f"k1\t{big}\tx\nk22\t{big}\tx\n{big}\tx\ty\n", encoding="utf-8")
    assert main(["filter", "--config", str(cfg), "--format", "tsv", "--columns", "id,ru,en",
                 str(tsv)]) == 0  # fmt: skip
    captured = capsys.readouterr()
    out = [json.loads(line) for line in captured.out.splitlines()]
    assert [(o["id"], o["reasons"]) for o in out] == [
        ("k1", ["too-long"]), ("k22", ["too-long"]), (None, ["too-long"])]  # fmt: skip
    assert captured.err == ""
