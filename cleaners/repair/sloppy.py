"""ftfy's "sloppy" Windows codecs, registered without importing ftfy.

``sloppy-windows-1251`` is cp1251 with its one unassigned byte (0x98) decoding to
the code point of the same number, as a browser does, so any byte string
round-trips; byte 0x1A decodes to U+FFFD as in ftfy. Importing ``ftfy.bad_codecs``
would import all of ftfy (about 60 ms); the tables here are built the same way and
give the same bytes and text (tests compare them with ftfy's).

Importing this module registers the codecs (names ``sloppy-windows-125N`` and
``sloppy-cp125N``); if ftfy's are registered first, Python keeps those, which are
identical.

>>> "Ёжик".encode("sloppy-windows-1251").decode("latin-1")
'¨æèê'
>>> b"\\x98".decode("sloppy-windows-1251")
'\\x98'
"""

from __future__ import annotations

import codecs
import re

_NAME_RE = re.compile(r"^sloppy[-_](?:windows[-_]|cp)(125[0-8])$")


def _codec(encoding: str) -> codecs.CodecInfo:
    everything = bytes(range(256))
    chars = list(everything.decode("latin-1"))
    for i, ch in enumerate(everything.decode(encoding, errors="replace")):
        if ch != "\ufffd":
            chars[i] = ch
    chars[0x1A] = "\ufffd"  # as ftfy: 0x1A is the DOS end-of-file, not text
    decoding_table = "".join(chars)
    encoding_table = codecs.charmap_build(decoding_table)

    def encode(text: str, errors: str = "strict") -> tuple[bytes, int]:
        return codecs.charmap_encode(text, errors, encoding_table)

    def decode(data: bytes, errors: str = "strict") -> tuple[str, int]:
        return codecs.charmap_decode(data, errors, decoding_table)  # type: ignore[arg-type]

    return codecs.CodecInfo(encode, decode, name=f"sloppy-{encoding}")


_CACHE: dict[str, codecs.CodecInfo] = {}


def _search(name: str) -> codecs.CodecInfo | None:
    m = _NAME_RE.match(name.lower())
    if m is None:
        return None
    key = f"windows-{m.group(1)}"
    if key not in _CACHE:
        _CACHE[key] = _codec(key)
    return _CACHE[key]


codecs.register(_search)
