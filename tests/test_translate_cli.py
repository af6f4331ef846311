"""``mtclean align --retranslate``: the real tiny package feeds the aligner, offline."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

pytest.importorskip("ctranslate2")

from tiny_argos import build as builder  # noqa: E402  (tests/ is on sys.path)


@pytest.fixture(scope="module")
def archive() -> Path:
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    return builder.ensure_package()


@pytest.fixture(autouse=True)
def offline_and_isolated(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("ARGOS_PACKAGES_DIR", raising=False)
    monkeypatch.delenv("MTCLEAN_ARGOS_PACKAGE", raising=False)


def _files(tmp_path: Path) -> tuple[str, str]:
    pairs = builder.training_pairs(6)
    ru, en = tmp_path / "ru.txt", tmp_path / "en.txt"
    ru.write_text("".join(r + "\n" for r, _ in pairs), encoding="utf-8")
    # Drop one English sentence: the aligner must leave its Russian side unpaired.
    en.write_text("".join(e + "\n" for i, (_, e) in enumerate(pairs) if i != 2), encoding="utf-8")
    return str(ru), str(en)


def _beads(out: str) -> list[tuple[str, str]]:
    return [tuple(line.split("\t")[:2]) for line in out.splitlines()]


def _covers(beads: list[tuple[str, str]], n_ru: int, n_en: int) -> bool:
    ru = [int(i) for r, _ in beads for i in r.split(",") if i]
    en = [int(i) for _, e in beads for i in e.split(",") if i]
    return ru == list(range(n_ru)) and en == list(range(n_en))


def test_align_with_argos_package(archive, tmp_path, capsys):
    from flows.cli import main

    ru, en = _files(tmp_path)
    # Without the word table, so that the retranslation's own signal shows in the scores
    # (with it, this easy pair already scores 1.0 everywhere).
    cfg = tmp_path / "cfg.yaml"
    cfg.write_text("align: {lexical_weight: 0}\n", encoding="utf-8")
    assert main(["align", ru, en, "--config", str(cfg)]) == 0
    plain = capsys.readouterr().out
    assert main(["align", ru, en, "--config", str(cfg), "--argos-package", str(archive)]) == 0
    with_mt = capsys.readouterr().out
    assert _covers(_beads(with_mt), 6, 5)
    assert ("0", "0") in _beads(with_mt) and ("5", "4") in _beads(with_mt)
    assert with_mt != plain  # the retranslation reached the aligner's scores
    # Installed once, then found again by --retranslate alone.
    assert main(["align", ru, en, "--config", str(cfg), "--retranslate"]) == 0
    assert capsys.readouterr().out == with_mt


def test_align_jsonl_with_retranslation(archive, tmp_path, capsys):
    from flows.cli import main

    pairs = builder.training_pairs(3)
    src = tmp_path / "in.jsonl"
    rec = {"id": "d1", "ru": [r for r, _ in pairs], "en": [e for _, e in pairs]}
    src.write_text(json.dumps(rec, ensure_ascii=False) + "\n", encoding="utf-8")
    assert main(["align", str(src), "--format", "jsonl", "--argos-package", str(archive)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["id"] == "d1"
    assert [b[:2] for b in out["beads"]] == [[[0], [0]], [[1], [1]], [[2], [2]]]


def test_no_package_refuses_the_flag_and_warns_for_the_config(tmp_path, capsys):
    """``--retranslate`` with no package found warned and went on (``run``: exit 0, the
    corpus built without it, the warning easy to miss). Asked for on the command line, it is
    now refused before any work, naming how to give a package; ``translate.enabled`` in a
    config (a standing setting) still warns once and goes on."""
    from flows.cli import main

    ru, en = _files(tmp_path)
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.ru.txt").write_text("Заголовок.\n\nОдна строка.\n", encoding="utf-8")
    out = tmp_path / "out"
    for argv in (
        ["align", ru, en, "--retranslate"],
        ["filter", ru, "--retranslate"],  # (refused before a line is read)
        ["run", str(src), "--out", str(out), "--retranslate"],
        ["run", str(src), "--out", str(out), "--retranslate=missing"],
        ["run", str(src), "--out", str(out), "--argos-package", str(tmp_path)],  # no package
    ):
        assert main(argv) == 2, argv
        captured = capsys.readouterr()
        assert captured.out == "" and captured.err.count("\n") == 1, argv
        assert "asks for retranslation, but" in captured.err, captured.err
        if "--argos-package" not in argv:
            assert "argospm install translate-ru_en" in captured.err
            assert "--argos-package PATH" in captured.err
            assert "translate.package_path" in captured.err
        else:
            assert "not an Argos package folder" in captured.err
    assert not out.exists()
    # Negative: the config's translate.enabled warns once and aligns anyway.
    cfg = tmp_path / "cfg.yaml"
    cfg.write_text("translate: {enabled: true}\n", encoding="utf-8")
    assert main(["align", ru, en, "--config", str(cfg)]) == 0
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1 and "argospm install translate-ru_en" in captured.err
    assert _covers(_beads(captured.out), 6, 5)


def test_bad_explicit_package_is_a_usage_error(tmp_path, capsys):
    from flows.cli import main

    ru, en = _files(tmp_path)
    assert main(["align", ru, en, "--argos-package", str(tmp_path / "missing.argosmodel")]) == 2
    assert "not found" in capsys.readouterr().err


def test_env_package_that_names_nothing_is_a_usage_error(tmp_path, capsys, monkeypatch):
    """``$MTCLEAN_ARGOS_PACKAGE`` pointing at a missing file is refused like the flag, for
    ``align --retranslate`` and for ``run --retranslate``, before any work starts."""
    from flows.cli import main

    monkeypatch.setenv("MTCLEAN_ARGOS_PACKAGE", str(tmp_path / "typo.argosmodel"))
    ru, en = _files(tmp_path)
    assert main(["align", ru, en, "--retranslate"]) == 2
    assert "MTCLEAN_ARGOS_PACKAGE" in capsys.readouterr().err
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.en.txt").write_text("A title.\n\nA body line.\n", encoding="utf-8")
    assert main(["run", str(src), "--out", str(tmp_path / "out"), "--retranslate"]) == 2
    assert "typo.argosmodel" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
    # Unused (retranslation off), it is no reason to refuse a run's arguments.
    assert main(["align", ru, en]) == 0


def test_filter_scores_against_the_retranslation_when_the_config_asks(archive, tmp_path, capsys):
    """``translate.enabled`` with a package: chrF against the retranslation joins the score,
    as in ``mtclean run``; the same stream without it scores differently."""
    from cleaners.config import PipelineConfig
    from cleaners.judge import judge_pairs, retranslate
    from cleaners.translate import build_translator
    from flows.cli import main

    pairs = builder.training_pairs(4)
    src = tmp_path / "in.jsonl"
    src.write_text(
        "".join(
            json.dumps({"id": k, "ru": r, "en": e}, ensure_ascii=False) + "\n"
            for k, (r, e) in enumerate(pairs)
        ),  # fmt: skip
        encoding="utf-8",
    )
    assert main(["filter", str(src)]) == 0
    plain = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    cfg = tmp_path / "cfg.yaml"
    cfg.write_text(f"translate: {{enabled: true, package_path: {str(archive)!r}}}\n")
    assert main(["filter", str(src), "--config", str(cfg)]) == 0
    captured = capsys.readouterr()
    with_mt = [json.loads(line) for line in captured.out.splitlines()]
    assert captured.err == ""
    assert [o["score"] for o in with_mt] != [o["score"] for o in plain]
    config = PipelineConfig(translate={"enabled": True, "package_path": str(archive)})
    mt = retranslate([r for r, _ in pairs], build_translator(config.translate))
    expected = [round(j.adequacy, 4) for j in judge_pairs(pairs, config, mt)]
    assert [o["score"] for o in with_mt] == expected
    # The flag does the same as the config.
    assert main(["filter", str(src), "--argos-package", str(archive)]) == 0
    assert [json.loads(line) for line in capsys.readouterr().out.splitlines()] == with_mt


def test_filter_fills_cyrillic_left_in_the_english_as_run_does(archive, tmp_path, capsys):
    """A pair whose English kept a Russian sentence: given a model, ``filter`` fills it by
    its translation, as ``run`` fills the document's English, and judges the filled pair
    (scored against the retranslation too). The fill kept the model's full stop before the
    text's own (``Kyiv..``): the fragment's translation now ends where the fragment did."""
    from cleaners.config import PipelineConfig
    from cleaners.judge import judge_pairs, retranslate
    from cleaners.pipeline import process_item
    from cleaners.readers import discover
    from cleaners.translate import build_translator
    from flows.cli import main

    (ru1, en1), (ru2, en2), (ru3, en3) = builder.training_pairs(3)
    ru, raw_en, en = f"{ru1} {ru2} {ru3}", f"{en1} {en2} {ru3}", f"{en1} {en2} {en3}"
    config = PipelineConfig(translate={"enabled": True, "package_path": str(archive)})
    translator = build_translator(config.translate)
    assert translator.translate([ru3]) == [en3]  # (the tiny model knows its own sentences)
    # run: the document's English filled, the Cyrillic gone, one full stop.
    doc_dir = tmp_path / "doc"
    doc_dir.mkdir()
    (doc_dir / "d.ru.txt").write_text(ru + "\n", encoding="utf-8")
    (doc_dir / "d.en.txt").write_text(raw_en + "\n", encoding="utf-8")
    (item,) = discover(doc_dir, config.input)
    doc = process_item(doc_dir, item, config, translator=translator)
    assert doc.en.text.strip() == en
    # filter, the same pair, the same model: the filled pair's verdict, line for line.
    src = tmp_path / "in.jsonl"
    lines = [{"id": "raw", "ru": ru, "en": raw_en}, {"id": "filled", "ru": ru, "en": en}]
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in lines), "utf-8")
    cfg = tmp_path / "nodedup.yaml"
    cfg.write_text("filters: {disable: [duplicate, near-duplicate]}\n")
    assert main(["filter", str(src), "--config", str(cfg), "--argos-package", str(archive)]) == 0
    raw, filled = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    (want,) = judge_pairs([(ru, en)], config, retranslate([ru], translator))
    assert {**raw, "id": "filled"} == filled == {
        "id": "filled", "keep": True, "reasons": [], "score": round(want.adequacy, 4)}  # fmt: skip
    # Negative: without a model the Russian stays in the English, and the pair scores lower.
    assert main(["filter", str(src), "--config", str(cfg)]) == 0
    plain = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert plain[0]["score"] < plain[1]["score"]
    # As given, the model scores the pair but fills nothing.
    assert main(["filter", str(src), "--as-given", "--argos-package", str(archive)]) == 0
    given = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert given[0]["score"] < filled["score"] == given[1]["score"]


def test_filter_with_filters_off_does_not_retranslate_a_pair_over_the_size_bound(archive):
    from cleaners.config import PipelineConfig
    from cleaners.judge import FilterStream
    from cleaners.translate import build_translator

    config = PipelineConfig(
        filters={"enabled": False, "max_chars": 500},
        translate={"enabled": True, "package_path": str(archive)},
    )
    (ru, en), (ru2, en2) = builder.training_pairs(2)
    stream = FilterStream(config, translator=build_translator(config.translate))
    big = " ".join([ru2] * 40)
    mts = stream._retranslate([(ru, en), (big, en2)])
    assert mts[0] and mts[1] is None
    verdicts = stream.judge([(ru, en), (big, en2)])
    assert [v.keep for v in verdicts] == [True, True]
    assert verdicts[1].score == 0.0 < verdicts[0].score


def test_filter_says_when_the_configured_retranslation_is_unavailable(tmp_path, capsys):
    from flows.cli import main

    src = tmp_path / "in.jsonl"
    src.write_text('{"id": 1, "ru": "Он пришёл домой.", "en": "He came home."}\n', "utf-8")
    cfg = tmp_path / "cfg.yaml"
    cfg.write_text("translate: {enabled: true}\n")
    assert main(["filter", str(src), "--config", str(cfg)]) == 0
    captured = capsys.readouterr()
    assert "retranslation off" in captured.err and captured.err.count("\n") == 1
    assert json.loads(captured.out)["keep"]
    # Negative: off in the config, nothing is said.
    assert main(["filter", str(src)]) == 0
    assert capsys.readouterr().err == ""
    assert main(["filter", str(src), "--argos-package", str(tmp_path / "no.argosmodel")]) == 2


def test_align_another_pair_ignores_the_ru_en_retranslation(archive, tmp_path, capsys):
    from flows.cli import main

    de, fr = tmp_path / "de.txt", tmp_path / "fr.txt"
    de.write_text("Die Regierung hat ein Gesetz beschlossen.\nEs gilt ab Januar.\n", "utf-8")
    fr.write_text("Le gouvernement a adopté une loi.\nElle s'applique dès janvier.\n", "utf-8")
    cfg = tmp_path / "cfg.yaml"
    cfg.write_text("align: {lexical_weight: 0}\n", encoding="utf-8")
    args = ["align", str(de), str(fr), "--src-lang", "de", "--tgt-lang", "fr", "--config", str(cfg)]
    assert main(args) == 0
    plain = capsys.readouterr().out
    # German through a ru→en model is noise: a config's translate.enabled is not fed to the
    # aligner, and that is said once.
    on = tmp_path / "on.yaml"
    on.write_text(
        f"align: {{lexical_weight: 0}}\ntranslate: {{enabled: true, package_path: '{archive}'}}\n",
        encoding="utf-8",
    )
    assert main([*args[:-1], str(on)]) == 0
    captured = capsys.readouterr()
    assert captured.out == plain
    assert captured.err.count("\n") == 1 and "ru→en only, not de-fr" in captured.err
    # Asked for on the command line, it cannot do what it says: refused before any output.
    for flag in (["--argos-package", str(archive)], ["--retranslate"]):
        assert main([*args, *flag]) == 2
        captured = capsys.readouterr()
        assert captured.out == "" and "ru→en only, not de-fr" in captured.err
        assert f"leave {flag[0]} out" in captured.err


def test_filter_gives_a_pair_with_no_english_the_retranslation_as_run_gives_its_document(
    archive, tmp_path, capsys
):
    """A pair whose English is the Russian left as it was (the MT did nothing): ``run`` in
    mode ``missing`` gives such a document the retranslation of its Russian as its English
    (origin ``retranslation``); ``filter`` in that mode judges the pair with it, and its
    verdict says so with the English judged. In mode ``signal``, without a model, and with
    ``--as-given``, the pair stays ``untranslated``, four keys, as before."""
    from cleaners.config import PipelineConfig
    from cleaners.judge import decide_document, judge_pairs
    from cleaners.pipeline import process_item
    from cleaners.readers import discover
    from cleaners.translate import build_translator
    from cleaners.writers import write_corpus
    from flows.cli import main

    pairs = builder.training_pairs(3)
    russian = "".join(r + "\n\n" for r, _ in pairs)
    doc_dir, out = tmp_path / "doc", tmp_path / "out"
    doc_dir.mkdir()
    out.mkdir()
    (doc_dir / "d.ru.txt").write_text(russian, encoding="utf-8")
    (doc_dir / "d.en.txt").write_text(russian, encoding="utf-8")
    config = PipelineConfig(
        translate={"enabled": True, "package_path": str(archive), "mode": "missing"}
    )
    (item,) = discover(doc_dir, config.input)
    doc = process_item(doc_dir, item, config, translator=build_translator(config.translate))
    assert doc.en_origin == "retranslation" and doc.mt is not None
    decide_document(doc, config)
    write_corpus(out, [doc], config)
    rows = [json.loads(x) for x in (out / "corpus.jsonl").read_text("utf-8").splitlines()]
    assert [r["ru"] for r in rows] == [r for r, _ in pairs]
    assert {r["origin"] for r in rows} == {"retranslation"}
    # filter, the same pairs with the English left in Russian, the same model and mode.
    src = tmp_path / "in.tsv"
    src.write_text("".join(f"{r}\t{r}\n" for r, _ in pairs), encoding="utf-8")
    package = ["--argos-package", str(archive)]
    assert main(["filter", "--format", "tsv", str(src), *package, "--retranslate=missing"]) == 0
    captured = capsys.readouterr()
    got = [json.loads(line) for line in captured.out.splitlines()]
    assert [o["en"] for o in got] == [r["en"] for r in rows]
    assert all(list(o) == ["id", "keep", "reasons", "score", "origin", "en"] for o in got)
    assert all(o["origin"] == "retranslation" and o["keep"] for o in got)
    filled = [(r["ru"], r["en"]) for r in rows]
    want = judge_pairs(filled, config, [en for _, en in filled])
    assert [o["score"] for o in got] == [round(j.adequacy, 4) for j in want]
    assert "3 pair(s) had no English" in captured.err
    # The same with --translate-mode replace; a pair given its English is judged as before.
    with_mt = tmp_path / "mt.tsv"
    with_mt.write_text(f"{pairs[0][0]}\t{pairs[0][0]}\n{pairs[1][0]}\t{pairs[1][1]}\n", "utf-8")
    assert main(["filter", "--format", "tsv", str(with_mt), *package,
                 "--translate-mode", "replace"]) == 0  # fmt: skip
    mixed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert mixed[0] == got[0] and list(mixed[1]) == ["id", "keep", "reasons", "score"]
    # Negatives: the default mode (signal), no model, or --as-given: untranslated, unfilled.
    for args in (package, [], [*package, "--retranslate=missing", "--as-given"]):
        assert main(["filter", "--format", "tsv", str(src), *args]) == 0, args
        captured = capsys.readouterr()
        plain = [json.loads(line) for line in captured.out.splitlines()]
        assert all(o["reasons"] == ["untranslated"] and len(o) == 4 for o in plain), args
        assert "no English" not in captured.err
