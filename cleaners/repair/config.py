"""Checking the repair section of a config against the rule registry.

:class:`cleaners.config.RepairConfig` holds the settings; the rules and their
parameters are this package's, so the checks live here (the config module calls
them; nothing here imports it). Importing this module runs the package's
``__init__`` first, which registers every rule in :data:`RULES`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

from cleaners.fsutil import read_small_file
from cleaners.repair.engine import RULES

MAX_GLOSSARY_BYTES = 64 << 20  # a glossary is a reviewed list, not a corpus


def check_rules(
    names: Iterable[str], params: Mapping[str, dict[str, Any]]
) -> dict[str, dict[str, Any]]:
    """``params`` with each value checked against its parameter's declared default
    (``names``: the rules switched on or off); typos in rule or parameter names fail.

    >>> check_rules(["fold_dashes"], {"split_fused_words": {"min_zipf": 3}})
    {'split_fused_words': {'min_zipf': 3.0}}
    >>> check_rules(["split_fused_word"], {})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: unknown repair rule 'split_fused_word' (mtclean clean --list-rules ...); known: ...
    """
    for name in [*names, *params]:
        if name not in RULES:
            raise ValueError(
                f"unknown repair rule {name!r} (mtclean clean --list-rules lists them); "
                f"known: {', '.join(RULES)}"
            )
    out: dict[str, dict[str, Any]] = {}
    for name, ps in params.items():
        declared = RULES[name].params
        for key in ps:
            if key not in declared:
                known = ", ".join(declared) or "none"
                raise ValueError(f"rule {name!r} has no parameter {key!r}; known: {known}")
        out[name] = {k: param_value(f"{name}.{k}", v, declared[k].default) for k, v in ps.items()}
    return out


def param_value(where: str, value: Any, default: Any) -> Any:
    """``value`` checked against the type of the parameter's default (ints pass as floats).

    A rule reads its parameters on every document: a wrong type must fail when the
    config is read, not halfway through a run.
    """
    kind = type(default)
    if isinstance(default, bool):
        ok = isinstance(value, bool)
    elif isinstance(default, float):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        value = float(value) if ok else value
        if ok and not math.isfinite(value):  # .nan/.inf would silently change every decision
            raise ValueError(f"parameter {where} must be a finite number, not {value!r}")
    elif isinstance(default, int):
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif isinstance(default, list):
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
    else:
        ok = isinstance(value, kind)
    if not ok:
        want = {"bool": "true or false", "float": "a number", "int": "an integer"}
        expected = want.get(kind.__name__, "a list of strings" if kind is list else kind.__name__)
        raise ValueError(f"parameter {where} must be {expected}, not {value!r}")
    return value


def check_glossaries(paths: Iterable[str]) -> None:
    """Fail on a glossary file that cannot be read: it would fail every document."""
    from cleaners.repair.glossary import load_glossary

    for path in paths:
        try:
            read_small_file(path, MAX_GLOSSARY_BYTES)  # never a FIFO, device or huge file
            load_glossary([path])
        except OSError as exc:
            raise ValueError(f"glossary {path!r}: {exc.strerror or exc}") from None
