"""Building the tables :mod:`cleaners.repair.lexicon` reads (build time only): the
phrase checksums of wordsegment's bigrams and the part-of-speech table from Brill's
lexicon. Run through ``python -m cleaners.repair.build_tables``.
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Iterable
from zlib import crc32

from cleaners.repair.lexicon import PHRASE_TABLE, _bigram_file, in_dictionary
from cleaners.repair.tables import package_text


def phrase_checksums(data: bytes) -> array[int]:
    """Sorted distinct crc32 of every phrase of ``bigrams.txt``'s bytes."""
    keys = {crc32(line.partition(b"\t")[0]) for line in data.split(b"\n") if line}
    return array("I", sorted(keys))


def build_pos_table() -> list[str]:
    """Brill's tagger lexicon (Brown corpus and Penn Treebank; MIT, as TextBlob ships it)
    as lines ``word<TAB>tag``, sorted: each lowercase word with its most frequent Penn tag."""
    tags: dict[str, str] = {}
    for line in package_text("textblob", "en/en-lexicon.txt").splitlines():
        word, _, rest = line.partition(" ")
        if word.islower() and word.isalpha():
            tags[word] = rest.split(" ", 1)[0]
    head = "# word<TAB>tag: Brill's lexicon (TextBlob, MIT); from cleaners.repair.build_tables"
    return [head] + [f"{w}\t{t}" for w, t in sorted(tags.items())]


def listed_common(zipf3: Iterable[str]) -> list[str]:
    """The words of ``zipf3`` (wordfreq's Zipf >= 3 list) that the dictionary has, sorted."""
    return sorted(w for w in zipf3 if in_dictionary(w))


def write_phrase_table() -> None:
    """Regenerate the phrase table (after a wordsegment upgrade)."""
    from cleaners.fsutil import atomic_write_bytes

    path = _bigram_file()
    if path is None:
        raise SystemExit("wordsegment is not installed: no phrase table")
    sums = phrase_checksums(path.read_bytes())
    if sys.byteorder != "little":  # pragma: no cover
        sums.byteswap()
    atomic_write_bytes(PHRASE_TABLE, sums.tobytes())
    print(f"{len(sums)} phrase checksums -> {PHRASE_TABLE}")
