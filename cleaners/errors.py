"""Errors for inputs that cannot be processed.

Every error carries a machine-readable ``reason`` slug (it names the quarantine
bucket and feeds the report's counters) and a human ``detail`` that says what is
wrong and, where possible, what to do about it. Expected failures are always one
of these, never a bare ``OSError`` or ``UnicodeDecodeError``.

>>> err = DecodeError("truncated", "UTF-8 text ends in the middle of a character")
>>> err.reason, str(err)
('truncated', 'truncated: UTF-8 text ends in the middle of a character')
"""

from __future__ import annotations

import re

# Reason slugs, one per kind of bad input (README: "What happens to bad input").
EMPTY = "empty"
BINARY = "binary"
UNDECODABLE = "undecodable"
TRUNCATED = "truncated"
INVALID_UTF8 = "invalid-utf8"
TOO_LARGE = "too-large"
SYMLINK_OUTSIDE = "symlink-outside"
BROKEN_SYMLINK = "broken-symlink"
NOT_A_FILE = "not-a-file"
TOO_DEEP = "too-deep"
OUTPUT_FOLDER = "output-folder"
UNREADABLE = "unreadable"
DUPLICATE_ID = "duplicate-id"
MALFORMED_JSONL = "malformed-jsonl"
UNSUPPORTED_TYPE = "unsupported-type"


# Two JSON objects with CR alone between them: a raw CR cannot stand inside a JSON string, so
# there it can only be a line end (classic Mac), which JSONL, split on LF, does not know.
_CR_BETWEEN_RECORDS = re.compile(r"\}[ \t]*\r+[ \t]*\{")


def cr_line_ends_hint(line: str) -> str:
    """What a JSONL line's "not JSON" message adds when the line is several records whose
    lines end in CR alone: read as one line, they fail as "Extra data", which says nothing.

    >>> print(cr_line_ends_hint('{"id": "a"}\\r{"id": "b"}\\r'))
    ; its records end in CR alone (old Mac line ends), JSONL's in LF: tr '\\r' '\\n' converts it
    >>> cr_line_ends_hint('{"id": "a"} {"id": "b"}'), cr_line_ends_hint('{"id": "a"}\\r\\n')
    ('', '')
    """
    if _CR_BETWEEN_RECORDS.search(line) is None:
        return ""
    return (
        "; its records end in CR alone (old Mac line ends), JSONL's in LF: "
        "tr '\\r' '\\n' converts it"
    )


class InputError(Exception):
    """An input that cannot be processed: ``reason`` slug plus a ``detail`` line."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason, detail)
        self.reason = reason
        self.detail = detail

    def __str__(self) -> str:
        return f"{self.reason}: {self.detail}" if self.detail else self.reason

    def with_source(self, source: str) -> InputError:
        """The same error with ``source`` (a file name) prefixed to its detail.

        >>> EmptyInput("empty", "file is empty").with_source("a.txt").detail
        'a.txt: file is empty'
        """
        detail = f"{source}: {self.detail}" if self.detail else source
        return type(self)(self.reason, detail)


class DecodeError(InputError):
    """The bytes are not text in any supported encoding (or are cut off)."""


class EmptyInput(InputError):
    """Nothing but whitespace."""


class BinaryInput(InputError):
    """Images, archives, NUL bytes, mostly control characters."""


class UnsafePath(InputError):
    """A symlink out of the input folder, or something that is not a regular file."""


class UnreadableInput(InputError):
    """The file exists but cannot be opened (permissions, vanished, I/O error)."""


class TooLarge(InputError):
    """Larger than ``InputConfig.max_bytes``: left unread."""


class DuplicateId(InputError):
    """A document id already taken by an earlier input."""


class MalformedRecord(InputError):
    """A JSONL line that is not a ``{"id": str, "ru": str?, "en": str?}`` object."""


class UnsupportedInput(InputError):
    """A file whose name is not one of the supported input kinds."""
