"""The README names only commands, modes, rules, config keys and functions that exist."""

from __future__ import annotations

import importlib
import re
import typing
from pathlib import Path

import pytest

from cleaners.config import PipelineConfig, TranslateConfig
from cleaners.model import SideDoc
from cleaners.mtcheck import MT_FAILED, MT_INCOMPLETE, NOT_RETRANSLATED
from cleaners.repair import RULES
from flows.cli import build_parser

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _commands() -> set[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    return set(sub.choices)  # type: ignore[arg-type]


def test_every_mtclean_command_in_the_readme_exists() -> None:
    named = set(re.findall(r"`(?:\.venv/bin/)?mtclean ([a-z][a-z-]*)", README))
    assert named and named <= _commands(), named - _commands()


def _table(header: str) -> str:
    start = README.index(header)
    return README[start : README.index("\n\n", start)]


def test_translate_mode_table_names_only_real_things() -> None:
    # A bare word there (`replay`) reads as a command; each must be a mode, a rule, a
    # translate.* key, a docs/<id>.json key or path, or a function that imports.
    modes = set(typing.get_args(TranslateConfig.model_fields["mode"].annotation))
    keys = {f"translate.{k}" for k in TranslateConfig.model_fields}
    sides = {f"en.{k}" for k in ("raw_text", *SideDoc.__slots__)}
    doc_keys = {"en", "mt", "ru", "origin: retranslation"} | sides
    # A document's warning kinds (docs/, the report).
    warnings = {
        MT_FAILED,
        MT_INCOMPLETE,
        NOT_RETRANSLATED,
    }  # a document's warning kinds (docs/, the report)
    known = modes | set(RULES) | keys | doc_keys | warnings
    table = _table("| mode | the English side of a document is |")
    for token in re.findall(r"`([^`]+)`", table):
        if token in known or "/" in token or token.endswith((".txt", ".jsonl")):
            continue
        call = re.fullmatch(r"(cleaners(?:\.\w+)+)\.(\w+)\(.*\)", token)
        assert call, f"README translate.mode table names {token!r}, which is nothing mtclean has"
        assert callable(getattr(importlib.import_module(call[1]), call[2]))


@pytest.mark.parametrize("section", sorted(PipelineConfig.model_fields))
def test_config_sections_are_documented(section: str) -> None:
    assert f"| `{section}` |" in _table("| section | what it controls |")


def test_the_readme_commands_read_only_files_a_fresh_clone_has() -> None:
    # A path outside the repository (../shared, which only the project's machine has) fails
    # for a new user who copies the command.
    root = Path(__file__).resolve().parent.parent
    blocks = re.findall(r"```bash\n(.*?)```", README, re.S)
    for path in re.findall(r"mtclean \w+ [^|\n]*?((?:\.\./|corpora/)\S+\.\w+)", "".join(blocks)):
        assert not path.startswith("../") and (root / path).is_file(), path


def test_the_filter_example_prints_what_the_readme_shows() -> None:
    """The ``mtclean filter`` example, run as written: the same verdict and reasons, and the
    score it shows to within rounding of a refitted table (it read 0.0004 where 0.0006 came)."""
    import json
    import subprocess
    import sys

    block = re.search(
        r"echo '(\{[^']*\})' \\\n  \| \.venv/bin/mtclean filter\n# (\{.*\})\n", README
    )
    assert block, "the README's filter example is gone"
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(
        [sys.executable, "-m", "flows.cli", "filter"],
        input=block[1] + "\n",
        capture_output=True,
        text=True,
        cwd=root,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    got, shown = json.loads(done.stdout), json.loads(block[2])
    assert {k: got[k] for k in ("id", "keep", "reasons")} == {
        k: shown[k] for k in ("id", "keep", "reasons")
    }
    assert abs(got["score"] - shown["score"]) < 0.001, (got["score"], shown["score"])


def test_the_replay_recipe_works_on_edits_as_stored() -> None:
    """Every ``cleaners.repair.replay(...)`` the README shows, evaluated as written on edits as
    ``docs/<id>.json`` and ``edits.jsonl`` store them (dicts): it gives the repaired text back
    (the bare ``replay(raw_text, edits)`` it once showed raised AttributeError on them)."""
    import json

    import cleaners
    from cleaners.edit import Edit
    from cleaners.repair import repair

    recipes = re.findall(r"`(cleaners\.repair\.replay\([^`]*\))`", README)
    assert recipes, "the README no longer shows how to replay edits"
    raw_text = "The  the market opened ,at eight.Prices rose."
    result = repair(raw_text)
    assert result.edits, "the sample text needs edits to replay"
    edits = json.loads(json.dumps([e.to_dict() for e in result.edits]))
    for recipe in set(recipes):
        scope = {"cleaners": cleaners, "Edit": Edit, "raw_text": raw_text, "edits": edits}
        assert eval(recipe, scope) == result.text, recipe  # noqa: S307 (the README's own text)
