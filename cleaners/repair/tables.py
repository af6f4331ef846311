"""Package data: the small tables in ``cleaners/data/repair/``, and data files of
installed packages (wordfreq, wordsegment, TextBlob) found without importing them
(``package_file`` is :func:`cleaners.langev.data_file`, re-exported for the rules)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from cleaners.langev import data_file as package_file

DATA = Path(__file__).resolve().parent.parent / "data"


@cache
def words(name: str, lang: str) -> frozenset[str]:
    """Words of table ``name`` for ``lang`` (lines ``lang<TAB>word``; ``#`` comments)."""
    out = set()
    for line in (DATA / "repair" / name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        code, word = line.split("\t", 1)
        if code == lang:
            out.add(word.strip())
    return frozenset(out)


def package_text(package: str, name: str) -> str:
    """A data file's text, found without importing the package (importlib.resources
    alone costs ~8 ms of start-up; it is used only when the package is a zip)."""
    try:
        return package_file(package, name).read_text(encoding="utf-8")
    except FileNotFoundError:
        from importlib.resources import files

        return (files(package) / name).read_text(encoding="utf-8")
