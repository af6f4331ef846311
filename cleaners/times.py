"""Times of day MT split after the colon ("18: 18") or wrote with a colon's look-alike
("01։ 23"), found in one place for two readers.

``cleaners.repair``'s ``join_split_times`` joins them; :mod:`cleaners.numerals` reads each as
one number, so a pair judged before repair (``mtclean filter`` on raw MT) compares "at 18: 18"
with "в 18:18" as the same time, not as the numbers 18 and 18 against 1818.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from cleaners.lazyre import lazy_compile

# A time split by MT ("18: 18"), a space before the colon too ("12 : 30"). Taken as one only
# in a time-like context (after a date, "at", a line start; before a line end, punctuation or
# a time word) so that a label like "Article 12: 30 days" is left alone.
# MT and OCR also write a colon's look-alike for it (Online-A's "01։ 23 hours"): Armenian
# full stop ։, ratio ∶, modifier letter colon ꞉, fullwidth ：, triangular colon ː. Such a
# time is one split or not ("01։23"): repair writes its colon as ":".
COLON_LIKE = "\u0589\u2236\ua789\uff1a\u02d0"
_COLONS = ":" + COLON_LIKE
SPLIT_TIME = lazy_compile(
    rf"(?<![\d{_COLONS}.,])(?P<h>[01]?\d|2[0-3])(?P<sp> ?)"
    rf"(?:(?P<colon>:)(?P<gap> )|(?P<alike>[{COLON_LIKE}])(?P<gap2> ?))"
    rf"(?P<m>[0-5]\d)(?![\d{_COLONS}])"
)
_BEFORE = lazy_compile(
    r"(?:^|\n|[\d(\[–—-]|\b(?:at|from|to|until|till|by|since|before|after|around|about|"
    r"and|in|в|с|до|по|около|и|к)|[,;])[ \t]*$",
    re.IGNORECASE,
)
_AFTER = lazy_compile(
    r"^(?:[ \t]*(?:$|\n|[.,;)\]–—-])|[ \t]+(?:a\.?m\b|p\.?m\b|MSK|Moscow|local|GMT|UTC|hours|"
    r"h\b|o'clock|мск|по\b|час))",
    re.IGNORECASE,
)


def split_times(text: str) -> Iterator[re.Match[str]]:
    """Each split time of ``text`` in a time-like context.

    >>> [m.group() for m in split_times("at 18: 18 and 9 : 05. Article 12: 30 days")]
    ['18: 18', '9 : 05']
    >>> [m.group() for m in split_times("at 01\u0589 23 hours, from 9\uff1a30 to 10\u223645")]
    ['01։ 23', '9：30', '10∶45']
    """
    if ": " not in text and not any(c in text for c in COLON_LIKE):
        return
    for m in SPLIT_TIME.finditer(text):
        before = text[max(0, m.start() - 12) : m.start()]
        after = text[m.end() : m.end() + 12]
        if _BEFORE.search(before) or _AFTER.match(after):
            yield m
