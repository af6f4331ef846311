"""One change made by a repair rule: the record ``mtclean clean`` makes and writes.

Written out by hand rather than as a dataclass (it behaves as the frozen, slotted one
did): ``dataclasses`` and the ``inspect`` it imports cost about 6 ms of start-up, a
tenth of a ``clean`` run on a short file. :mod:`cleaners.model` re-exports it.
"""

from __future__ import annotations

from typing import Any


class FrozenRecord:
    """Base of small immutable records, as a frozen slotted dataclass behaves: the
    fields are the class's ``__slots__``, in ``__init__``'s order; equality, hash,
    repr and pickling go over them, and assigning to one raises ``AttributeError``."""

    __slots__ = ()

    def _assign(self, *values: Any) -> None:
        """Set the fields (in ``__init__``: plain assignment is refused)."""
        for name, value in zip(self.__slots__, values, strict=True):
            object.__setattr__(self, name, value)

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{self.__class__.__qualname__}({fields})"

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r}: {type(self).__name__} is frozen")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}: {type(self).__name__} is frozen")

    def __reduce__(self) -> tuple[type[FrozenRecord], tuple[Any, ...]]:
        return (self.__class__, self._values())  # unpickled through __init__


class Edit(FrozenRecord):
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

    __slots__ = ("rule", "start", "end", "before", "after")
    __match_args__ = __slots__

    rule: str
    start: int
    end: int
    before: str
    after: str

    def __init__(self, rule: str, start: int, end: int, before: str, after: str) -> None:
        self._assign(rule, start, end, before, after)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "start": self.start,
            "end": self.end,
            "before": self.before,
            "after": self.after,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Edit:
        return cls(d["rule"], int(d["start"]), int(d["end"]), d["before"], d["after"])
