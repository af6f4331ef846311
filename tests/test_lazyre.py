"""Patterns compiled on first use still compile, and act as the compiled ones."""

from __future__ import annotations

import importlib
import pickle
import pkgutil
import re

import cleaners.repair
from cleaners.lazyre import LazyPattern, lazy_compile
from cleaners.repair import RULES


def _lazy_patterns() -> list[tuple[str, LazyPattern]]:
    found = []
    for info in pkgutil.iter_modules(cleaners.repair.__path__, "cleaners.repair."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, LazyPattern):
                found.append((f"{info.name}.{name}", value))
    found += [(f"rule {r.name}", r.precheck) for r in RULES.values() if r.precheck is not None]
    return found


def test_every_lazy_pattern_compiles() -> None:
    # A bad pattern would otherwise fail on the first text that needs it, not at import.
    patterns = _lazy_patterns()
    assert len(patterns) > 40
    for where, p in patterns:
        assert isinstance(p, LazyPattern), where
        assert p.flags == re.compile(*p._source).flags, where


def test_lazy_pattern_acts_as_the_compiled_one() -> None:
    lazy = lazy_compile(r"(?P<w>\w+) +(?P=w)", re.IGNORECASE)
    real = re.compile(r"(?P<w>\w+) +(?P=w)", re.IGNORECASE)
    text = "the The end, a a b"
    assert lazy.pattern == real.pattern
    assert [m.span() for m in lazy.finditer(text)] == [m.span() for m in real.finditer(text)]
    assert lazy.sub("x", text) == real.sub("x", text)
    assert lazy.search(text).group("w") == real.search(text).group("w")  # type: ignore[union-attr]
    assert (lazy.flags, lazy.groups, lazy.groupindex) == (real.flags, real.groups, real.groupindex)
    again = pickle.loads(pickle.dumps(lazy))
    assert again.findall(text) == real.findall(text)
