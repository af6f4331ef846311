"""Run-wide deduplication of pairs: exact repeats and near repeats on a normalised key.

The first occurrence in the order pairs are offered is kept (the corpus writer offers them in
document-id order, so a rerun or an incremental run keeps the same ones). Keys are 16-byte
BLAKE2b digests: a run of a million pairs holds ~50 MB of them, not the text.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence

# Everything that is not a letter or a digit goes (punctuation, quotes, spaces, symbols).
_NOT_WORD = re.compile(r"[\W_]+")
_DIGITS = re.compile(r"\d+")


def near_key(text: str, digits: bool = False) -> str:
    """A side's text with case, accents, punctuation and whitespace folded away
    (and numbers, with ``digits``), as Bifixer's near-duplicate hash does.

    >>> near_key("«Hello,  World!»") == near_key("hello world")
    True
    >>> near_key("Ёлка 2023") == near_key("елка 2024"), near_key("Ёлка 2023", True)
    (False, 'елка 0')
    """
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    if digits:
        text = _DIGITS.sub("0", text)
    return _NOT_WORD.sub(" ", text).strip()


def _digest(*parts: str) -> bytes:
    return hashlib.blake2b("\x00".join(parts).encode("utf-8", "surrogatepass"),
                           digest_size=16).digest()  # fmt: skip


class Deduper:
    """Remembers the pairs seen so far; :meth:`check` names a repeat.

    >>> d = Deduper()
    >>> d.check("Привет.", "Hello."), d.check("Привет.", "Hello."), d.check("привет", "HELLO!")
    (None, 'duplicate', 'near-duplicate')
    """

    def __init__(self, exact: bool = True, near: bool = True, digits: bool = False) -> None:
        self.exact, self.near, self.digits = exact, near, digits
        self._exact: set[bytes] = set()
        self._near: set[bytes] = set()

    def check(self, ru: str, en: str, also: Sequence[tuple[str, str]] = ()) -> str | None:
        """``None`` for a first occurrence (remembered), else ``duplicate``/``near-duplicate``.
        ``also``: other forms of the same pair (``mtclean filter``'s repaired one), a repeat
        when any form repeats one remembered; all are remembered.

        >>> d = Deduper()
        >>> d.check("Привет.", "Hi  there.", also=[("Привет.", "Hi there.")])
        >>> d.check("Привет.", "Hi there."), d.check("ПРИВЕТ.", "Hi  there.")
        ('duplicate', 'near-duplicate')
        """
        forms = [(ru, en), *(f for f in also if f != (ru, en))]
        eks = [_digest(a, b) for a, b in forms]
        if self.exact and any(ek in self._exact for ek in eks):
            return "duplicate"
        nks = [_digest(near_key(a, self.digits), near_key(b, self.digits)) for a, b in forms]
        if self.near and any(nk in self._near for nk in nks):
            return "near-duplicate"
        self._exact.update(eks)
        self._near.update(nks)
        return None
