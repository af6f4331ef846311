"""One change made by a repair rule: the record ``mtclean clean`` makes and writes.

A ``NamedTuple`` (its fields declared once): as light to import as a hand-written
record, while ``dataclasses`` and the ``inspect`` it imports would cost ~6 ms of
start-up, a tenth of a ``clean`` run on a short file. :mod:`cleaners.model`
re-exports it.
"""

from __future__ import annotations

from typing import Any, NamedTuple


class Edit(NamedTuple):
    """One change made by a repair rule.

    ``start``/``end`` are offsets into the text the edit was proposed on (for a
    finished :class:`RepairResult`: into the original input), ``before`` is
    ``text[start:end]`` and ``after`` its replacement.

    >>> e = Edit("collapse_spaces", 1, 3, "  ", " ")
    >>> e
    Edit(rule='collapse_spaces', start=1, end=3, before='  ', after=' ')
    >>> e == Edit.from_dict(e.to_dict()), e.to_dict()["end"]
    (True, 3)
    """

    rule: str
    start: int
    end: int
    before: str
    after: str

    @property
    def rules(self) -> tuple[str, ...]:
        """The rules that made this edit: its ``rule`` split at ``+``. Edits of several rules
        that meet in one place are composed into one edit named by them all, joined by ``+``
        (``split_fused_words+join_split_times``); counts per rule count each of them.

        >>> Edit("a+b", 0, 1, "x", "y").rules, Edit("a", 0, 1, "x", "y").rules
        (('a', 'b'), ('a',))
        """
        return tuple(self.rule.split("+"))

    def to_dict(self) -> dict[str, Any]:
        return self._asdict()

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Edit:
        return cls(d["rule"], int(d["start"]), int(d["end"]), d["before"], d["after"])
