"""The pipeline config is strict: typos and unusable files fail when it is read, not mid-run."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from pydantic import ValidationError
from retune import TUNED  # tests/ is on sys.path

from cleaners.config import CORPUS_ONLY, FILTER_NAMES, PipelineConfig, load_config
from cleaners.repair import repair

ROOT = Path(__file__).resolve().parents[1]


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_unknown_keys_are_named(tmp_path: Path) -> None:
    cfg = _write(tmp_path, "c.yaml", "input:\n  max_byte: 10\n")
    with pytest.raises(ValidationError, match="max_byte"):
        load_config(cfg)


def test_config_must_be_a_mapping(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="mapping"):
        load_config(_write(tmp_path, "c.yaml", "- a\n- b\n"))


def test_yaml_is_read_with_the_safe_loader(tmp_path: Path) -> None:
    cfg = _write(tmp_path, "c.yaml", "run: !!python/object/apply:os.getcwd []\n")
    with pytest.raises(Exception, match="constructor|python/object"):
        load_config(cfg)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("c.yaml", "align:\n  min_score: 0.3\nalign:\n  include_comments: true\n"),
        ("c.yaml", "filters:\n  min_adequacy: 0.2\n  min_adequacy: 0.5\n"),
        ("c.json", '{"align": {"min_score": 0.3}, "align": {}}'),
    ],
)
def test_a_key_given_twice_is_refused_where_it_is(tmp_path: Path, name: str, text: str) -> None:
    # PyYAML kept the last silently: the second section undid the first
    with pytest.raises(ValueError, match=rf"given twice in one mapping\s+in \"{name}\", line"):
        load_config(_write(tmp_path, name, text))
    # a YAML merge key may still be overridden, and the file is named in syntax errors
    cfg = "base: &b {min_score: 0.3}\nalign: {<<: *b, min_score: 0.5}\n"
    with pytest.raises(ValidationError, match="base"):  # an unknown section, not a repeat
        load_config(_write(tmp_path, "m.yaml", cfg))
    with pytest.raises(ValueError, match='in "s.yaml", line 1'):
        load_config(_write(tmp_path, "s.yaml", "align: {min_score: 0.3\n"))


def test_missing_or_malformed_glossary_fails_at_load(tmp_path: Path) -> None:
    missing = _write(tmp_path, "a.yaml", f"repair:\n  glossary: [{tmp_path / 'nope.tsv'}]\n")
    with pytest.raises(ValidationError, match="nope.tsv"):
        load_config(missing)
    bad = _write(tmp_path, "bad.tsv", "only-one-column\n")
    cfg = _write(tmp_path, "b.yaml", f"repair:\n  glossary: [{bad}]\n")
    with pytest.raises(ValidationError, match="bad.tsv:1"):
        load_config(cfg)


def test_user_glossary_is_applied_and_recorded(tmp_path: Path) -> None:
    gl = _write(tmp_path, "mine.tsv", "# wrong<TAB>right\nSaint-Peterburg\tSaint Petersburg\n")
    cfg = load_config(_write(tmp_path, "c.yaml", f"repair:\n  glossary: [{gl}]\n"))
    result = repair("They met in Saint-Peterburg on Monday.", "en", cfg.repair)
    assert result.text == "They met in Saint Petersburg on Monday."
    assert [e.rule for e in result.edits] == ["apply_glossary"]


def test_a_relative_glossary_path_is_taken_from_the_config_file_s_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    conf = tmp_path / "conf"
    conf.mkdir()
    _write(conf, "terms.tsv", "Gosduma\tState Duma\tnote\n")
    cfg_file = _write(conf, "c.yaml", "repair:\n  glossary: [terms.tsv]\n")
    monkeypatch.chdir(tmp_path)  # not the config's folder
    cfg = load_config("conf/c.yaml")
    assert Path(cfg.repair.glossary[0]) == cfg_file.parent / "terms.tsv"
    assert repair("The Gosduma met.", "en", cfg.repair).text == "The State Duma met."


def test_a_relative_package_path_is_taken_from_the_config_file_s_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cleaners.translate.packages import given_package

    conf = tmp_path / "conf"
    conf.mkdir()
    beside = _write(conf, "ru_en.argosmodel", "")
    _write(conf, "c.yaml", "translate:\n  package_path: ru_en.argosmodel\n")
    monkeypatch.chdir(tmp_path)  # not the config's folder: nothing named so here
    cfg = load_config("conf/c.yaml")
    assert Path(cfg.translate.package_path) == beside
    assert given_package(cfg.translate) == beside
    # An absolute path and the home folder are taken as written; no path stays none.
    _write(conf, "d.yaml", f"translate:\n  package_path: {beside}\n")
    assert load_config(conf / "d.yaml").translate.package_path == str(beside)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    _write(conf, "e.yaml", "translate:\n  package_path: ~/m.argosmodel\n")
    assert load_config(conf / "e.yaml").translate.package_path == str(
        tmp_path / "home" / "m.argosmodel"
    )
    _write(conf, "f.yaml", "translate:\n  package_path: null\n")
    assert load_config(conf / "f.yaml").translate.package_path is None
    # The folders it installs into and caches in are the config's too.
    _write(conf, "g.yaml", "translate:\n  packages_dir: pk\n  cache_dir: ../cache\n")
    g = load_config(conf / "g.yaml").translate
    assert (g.packages_dir, g.cache_dir) == (str(conf / "pk"), str(conf / "../cache"))


def test_content_hash_follows_a_glossary_file_s_content(tmp_path: Path) -> None:
    # An edited glossary changes what repair does: a rerun must redo the documents.
    terms = _write(tmp_path, "terms.tsv", "Gosduma\tState Duma\tnote\n")
    before = PipelineConfig(repair={"glossary": [str(terms)]}).content_hash()
    terms.write_text("Gosduma\tParliament\tnote\n", encoding="utf-8")
    assert PipelineConfig(repair={"glossary": [str(terms)]}).content_hash() != before


def test_content_hash_ignores_scheduling_only() -> None:
    base = PipelineConfig()
    assert PipelineConfig(run={"batch_size": 7}).content_hash() == base.content_hash()
    assert PipelineConfig(align={"min_score": 0.5}).content_hash() != base.content_hash()
    # Where the translator's packages and cache live changes no translation: no rerun.
    moved = {"packages_dir": "/srv/argos", "cache_dir": "/srv/cache", "cache_size": 9}
    assert PipelineConfig(translate=moved).content_hash() == base.content_hash()
    assert PipelineConfig(translate={"beam_size": 2}).content_hash() != base.content_hash()


def test_document_hash_leaves_out_only_corpus_settings() -> None:
    base = PipelineConfig()
    # tests.retune names every corpus-only setting (the retuning tests go through it)
    assert set(TUNED) == {f"{s}.{k}" for s, keys in CORPUS_ONLY.items() for k in keys}
    for name, change in TUNED.items():
        cfg = PipelineConfig.model_validate(change)
        assert cfg.document_hash() == base.document_hash(), name
        assert cfg.content_hash() != base.content_hash(), name
    # Read while a document is processed (whether it is judged, leftout, the aligner): redone.
    for change in (
        {"filters": {"enabled": False}},
        {"filters": {"segment_min_letters": 5}},
        {"filters": {"segment_lang_sure": 0.5}},
        {"align": {"p_skip": 0.1}},
    ):
        cfg = PipelineConfig.model_validate(change)
        assert cfg.document_hash() != base.document_hash(), change
    assert PipelineConfig(run={"batch_size": 7}).document_hash() == base.document_hash()


def _readers(name: str, call_arg: str | None = None) -> set[str]:
    """``module:def`` (the outermost def or class) of every read of attribute ``name`` (with
    ``call_arg``: every call ``x.name(call_arg)``) in cleaners/ and flows/, the config module
    aside."""
    found = set()
    for root in ("cleaners", "flows"):
        for path in sorted((ROOT / root).rglob("*.py")):
            if path.name == "config.py" and root == "cleaners":
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for top in tree.body:
                for node in ast.walk(top):
                    if call_arg is not None:
                        hit = (
                            isinstance(node, ast.Call)
                            and isinstance(node.func, ast.Attribute)
                            and node.func.attr == name
                            and any(
                                isinstance(a, ast.Constant) and a.value == call_arg
                                for a in node.args
                            )
                        )
                    else:
                        hit = isinstance(node, ast.Attribute) and node.attr == name
                    if hit:
                        found.add(f"{path.stem}:{getattr(top, 'name', '?')}")
    return found


# Where a corpus-only setting may be read: the corpus writer (min_score, dedup), the judge's
# decisions (decide_document and what it calls, the filters' classes) and `mtclean filter`'s
# stream, which judges pairs it did not build. Never the document stage: not
# judge:measure_document, cleaners.pipeline or leftout.
DECIDING = {
    "writers:_rows",
    "judge:FilterStream",
    "judge:judge_pairs",
    "judge:within_size",
    "judge:not_parallel",
    "judge:with_document",
    "judge:judge_beads",
    "judge:decide_document",
    "filters:build_filters",
    *(f"filters:{c}" for c in ("TooShort", "TooLong", "Untranslated", "WrongLanguage",
                               "LengthRatio", "NumberMismatch", "Truncated", "Misaligned")),
}  # fmt: skip


def _shared_names() -> set[str]:
    """Corpus-only setting names another config section has a field of too
    (``repair.disable``, ``lid.min_letters``): a read of the name says nothing of whose it
    is. tests/test_judge.py watches those (and all others) while documents are processed."""
    sections = PipelineConfig.model_fields
    out = set()
    for section, keys in CORPUS_ONLY.items():
        others = [f.annotation for name, f in sections.items() if name != section]
        out |= {k for k in keys if any(k in getattr(o, "model_fields", {}) for o in others)}
    return out


def test_corpus_only_settings_are_read_when_the_corpus_is_written_alone() -> None:
    # document_hash trusts this: a corpus-only setting read while a document is processed
    # would leave stale documents.
    shared = _shared_names()
    assert shared == {"disable", "min_letters"}  # a new one: check its readers by hand
    for section, keys in CORPUS_ONLY.items():
        for key in set(keys) - shared:
            assert _readers(key) and _readers(key) <= DECIDING, (section, key, _readers(key))
    assert "filters:TooShort" in _readers("min_letters")
    # filters.disable is read through FiltersConfig.on alone (config.py, not scanned): every
    # call of it, whatever the filter, is a decision.
    assert "disable" in CORPUS_ONLY["filters"]
    assert _readers("on") and _readers("on") <= DECIDING, _readers("on")
    assert all(_readers("on", name) <= DECIDING for name in FILTER_NAMES)
    assert "judge:decide_document" in _readers("on", "truncated")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ("split_fused_words: {min_zipf: high}", "min_zipf must be a number"),
        ("split_fused_words: {min_zipf: .inf}", "min_zipf must be a finite number"),
        ("split_fused_words: {min_zipf: .nan}", "min_zipf must be a finite number"),
        ("split_fused_words: {content_pairs: 'yes'}", "content_pairs must be true or false"),
        ("join_attribution: {max_words: 2.5}", "max_words must be an integer"),
        ("apply_glossary: {files: one.tsv}", "files must be a list of strings"),
    ],
)
def test_rule_parameter_types_are_checked_at_load(
    tmp_path: Path, params: str, message: str
) -> None:
    cfg = _write(tmp_path, "c.yaml", f"repair:\n  params:\n    {params}\n")
    with pytest.raises(ValidationError, match=message):
        load_config(cfg)


def test_integer_is_accepted_for_a_number_parameter(tmp_path: Path) -> None:
    cfg = load_config(
        _write(tmp_path, "c.yaml", "repair:\n  params:\n    split_fused_words: {min_zipf: 4}\n")
    )
    assert cfg.repair.params["split_fused_words"]["min_zipf"] == 4.0
    assert isinstance(cfg.repair.params["split_fused_words"]["min_zipf"], float)


@pytest.mark.parametrize("value", ["1.5", "-0.1"])
def test_min_score_is_a_probability(tmp_path: Path, value: str) -> None:
    # Above 1 every pair would leave the corpus as below-min-score, silently.
    cfg = _write(tmp_path, "c.yaml", f"align:\n  min_score: {value}\n")
    with pytest.raises(ValidationError, match="align.min_score"):
        load_config(cfg)


@pytest.mark.parametrize("value", ["1", "2", "11", "100"])
def test_cognate_prefix_is_off_or_a_useful_length(tmp_path: Path, value: str) -> None:
    # 100 would key no word at all, switching the cognates off without a word; 1-2 would key
    # unrelated words together.
    cfg = _write(tmp_path, "c.yaml", f"align:\n  cognate_prefix: {value}\n")
    with pytest.raises(ValidationError, match=r"align.cognate_prefix[\s\S]*0 \(off\) or 3 to 10"):
        load_config(cfg)


@pytest.mark.parametrize("value", [0, 3, 5, 10])
def test_cognate_prefix_values_in_range_are_taken(tmp_path: Path, value: int) -> None:
    cfg = _write(tmp_path, "c.yaml", f"align:\n  cognate_prefix: {value}\n")
    assert load_config(cfg).align.cognate_prefix == value


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        ("lid:\n  languages: [RU, en]\n", "'RU' is not a lowercase ISO 639-1 code"),
        ("lid:\n  languages: [ru, en, ru]\n", "given twice"),
        ("lid:\n  languages: [en, de]\n", "must include ru"),
        ("lid:\n  languages: []\n", "must include ru and en"),
        ("lid:\n  prior: {ru: 6, xx: 2}\n", "prior: xx not in languages"),
        # well-formed, but no alphabet: language ID dropped it from the candidates unseen
        ("lid:\n  languages: [ru, en, xx]\n", "'xx' cannot be detected.*known: ru, uk"),
        ("lid:\n  languages: [ru, en, es]\n", "'es' cannot be detected"),
    ],
)
def test_lid_languages_that_would_be_ignored_are_refused(
    tmp_path: Path, text: str, expect: str
) -> None:
    # "RU" silently took Russian's prior away; a prior for no candidate did nothing
    with pytest.raises(ValidationError, match=expect):
        load_config(_write(tmp_path, "c.yaml", text))


def test_lid_languages_may_be_narrowed_or_reordered(tmp_path: Path) -> None:
    cfg = load_config(_write(tmp_path, "c.yaml", "lid:\n  languages: [en, ru, uk]\n"))
    assert cfg.lid.languages == ["en", "ru", "uk"]


@pytest.mark.parametrize("address", ["nope", "tcp://scheduler", "tcp://h:0", "h:99999"])
def test_a_dask_address_without_a_port_is_a_bad_value(tmp_path: Path, address: str) -> None:
    # it failed only when Dask was asked, as an unexpected error (exit 1), not a usage one
    from cleaners.config import with_flags

    with pytest.raises(ValidationError, match="not a Dask scheduler address"):
        load_config(_write(tmp_path, "c.yaml", f"run:\n  dask_address: '{address}'\n"))
    with pytest.raises(ValueError, match=r"^--dask-address: '.*' is not a Dask scheduler"):
        with_flags(PipelineConfig(), {"dask_address": address})
    for good in ("tcp://10.0.0.5:8786", "scheduler:8786", "inproc://x/1/2"):
        assert with_flags(PipelineConfig(), {"dask_address": good}).run.dask_address == good


def test_a_config_that_is_not_utf8_says_so_and_where(tmp_path: Path) -> None:
    """A config saved as UTF-16 (Windows Notepad's "Unicode") or Latin-1 failed with Python's
    codec message; now it says the file is not UTF-8, at which byte, and UTF-16 by name."""
    u16 = tmp_path / "u16.yaml"
    u16.write_bytes("repair: {enabled: true}\n".encode("utf-16"))
    with pytest.raises(ValueError, match=r"not UTF-8 text \(byte 0 is 0xff; it is UTF-16"):
        load_config(u16)
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("repair: {glossary: [café.tsv]}\n".encode("latin-1"))
    with pytest.raises(ValueError, match=r"not UTF-8 text \(byte 23 is 0xe9\)$"):
        load_config(latin)
    bom = tmp_path / "bom.yaml"  # negative: UTF-8 with a BOM is UTF-8
    bom.write_bytes("\ufeffrepair: {enabled: false}\n".encode())
    assert load_config(bom).repair.enabled is False


def test_a_glossary_saved_with_a_bom_keeps_its_first_entry(tmp_path: Path) -> None:
    """A glossary saved by a Windows editor starts with a BOM: its first term was read as
    U+FEFF + the term and never matched, silently. One not in UTF-8 is named by its path."""
    terms = tmp_path / "terms.tsv"
    terms.write_bytes("\ufeffZorbland\tZorbia\tnote\nFoobarix\tFoobaria\tnote\n".encode())
    cfg = load_config(_write(tmp_path, "c.yaml", f"repair:\n  glossary: [{terms}]\n"))
    fixed = repair("The Zorbland and Foobarix met.", "en", cfg.repair).text
    assert fixed == "The Zorbia and Foobaria met."
    u16 = tmp_path / "u16.tsv"
    u16.write_bytes("Zorbland\tZorbia\tnote\n".encode("utf-16"))
    with pytest.raises(ValueError, match=f"{u16}: not UTF-8 text"):
        load_config(_write(tmp_path, "d.yaml", f"repair:\n  glossary: [{u16}]\n"))
