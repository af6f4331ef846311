"""Run-wide deduplication of pairs: exact repeats and near repeats on a normalised key.

The first occurrence in the order pairs are offered is kept (the corpus writer offers them in
document-id order, so a rerun or an incremental run keeps the same ones). Keys are 16-byte
BLAKE2b digests: a run of a million pairs holds ~50 MB of them, not the text.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

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

    def check(self, ru: str, en: str) -> str | None:
        """``None`` for a first occurrence (remembered), else ``duplicate``/``near-duplicate``."""
        ek = _digest(ru, en)
        if self.exact and ek in self._exact:
            return "duplicate"
        nk = _digest(near_key(ru, self.digits), near_key(en, self.digits))
        if self.near and nk in self._near:
            return "near-duplicate"
        self._exact.add(ek)
        self._near.add(nk)
        return None
