"""Loading the small data tables that live in ``cleaners/data/repair/``."""

from __future__ import annotations

from functools import cache
from pathlib import Path

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
