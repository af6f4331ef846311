"""The English dictionary behind the fused-word rule, cheap to start.

The rule asks "is this a dictionary word?" of every lowercase word of 4+ letters.
Hashing wordsegment's 178,000 words into a set costs about 25 ms at start-up,
more than repairing 1,000 lines, while nearly every word MT writes is a common one.
So the question is answered in two steps:

* the ~29,000 common words (wordfreq Zipf >= 3), which the rule loads anyway for
  their frequencies (:func:`common_words`, ``data/repair/en_zipf3.tsv``), carry the
  answer: the table lists apart the few the dictionary lacks. A C-level set
  difference drops the common dictionary words of a line;
* :func:`in_dictionary` for the few words left: a binary search in the bytes of the
  sorted word file (memory-mapped: no copy, no set, no split), cached per word; a run
  that asks about many words gets the list split and sorted once instead.

wordsegment's two-word phrases are asked through :data:`PHRASES` the same way: a
shipped array of checksums rules out most pairs, the file confirms a hit. Both give
exactly the answers a full set would; tests check that.
"""

from __future__ import annotations

import bisect
import mmap
import sys
from array import array
from collections.abc import Iterable, Iterator, Set
from functools import lru_cache
from pathlib import Path
from zlib import crc32

from cleaners.repair.tables import DATA, package_file

ZIPF3_TABLE = DATA / "repair" / "en_zipf3.tsv"
PHRASE_TABLE = DATA / "repair" / "en_phrases.crc32"


@lru_cache(maxsize=1)
def common_words() -> tuple[dict[str, float], dict[str, float]]:
    """wordfreq's English words of Zipf >= 3 as ``{word: zipf}``: all of them, and those
    the dictionary has (all but a few, such as "covid" and "ofthe"). One table read
    for both, the words shared.

    Its lines are ``zipf*100<TAB>dictionary words<TAB>other words`` (``build_tables``).

    >>> zipfs, listed = common_words()
    >>> zipfs["economic"] > 4.5, "economic" in listed, "covid" in listed, "covid" in zipfs
    (True, True, False, True)
    """
    listed: dict[str, float] = {}
    other: dict[str, float] = {}
    if ZIPF3_TABLE.exists():
        # Bytes decoded at once: a text-mode read of this non-ASCII file costs 20 times more.
        for line in ZIPF3_TABLE.read_bytes().decode("utf-8").splitlines()[1:]:
            z, _, ws = line.partition("\t")
            in_dict, _, rest = ws.partition("\t")
            zipf = int(z) / 100
            listed.update(dict.fromkeys(in_dict.split(), zipf))
            other.update(dict.fromkeys(rest.split(), zipf))
    zipfs = listed.copy()  # a copy of a dict's table, not a rebuild
    zipfs.update(other)
    return zipfs, listed


@lru_cache(maxsize=1)
def _word_file() -> bytes | mmap.mmap:
    """wordsegment's ``words.txt`` (one word a line, sorted), b"" if not installed.

    Memory-mapped: a binary search touches a few pages of its 1.7 MB, a read copies all.
    """
    try:
        with package_file("wordsegment", "words.txt").open("rb") as fh:
            return mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    except (ModuleNotFoundError, FileNotFoundError):
        return b""
    except ValueError:  # an empty file cannot be mapped
        return b""


@lru_cache(maxsize=1)
def _sorted_words() -> list[str]:
    words = _word_file()[:].decode("utf-8").split()
    words.sort()  # the file is sorted already: timsort checks that in one pass
    return words


def _in_sorted_lines(data: bytes | mmap.mmap, key: bytes) -> bool:
    r"""Whether ``key`` is a line of ``data``, whose lines are sorted as bytes.

    >>> _in_sorted_lines(b"ant\nbee\ncat\n", b"bee"), _in_sorted_lines(b"ant\nbee\n", b"be")
    (True, False)
    """
    return _find_line(data, key, prefix=False) is not None


def _find_line(data: bytes | mmap.mmap, key: bytes, *, prefix: bool) -> bytes | None:
    r"""Binary search of ``data``'s sorted lines for the line ``key`` or, with ``prefix``,
    a line starting with it (with several, any of them).

    >>> _find_line(b"ant\tNN\nbee\tNN\nbeet\tNN\n", b"bee\t", prefix=True)
    b'bee\tNN'
    >>> _find_line(b"ant\n", b"b", prefix=True), _find_line(b"ant\n", b"an", prefix=False)
    (None, None)
    """
    lo, hi = 0, len(data)  # both line starts (or the end): a match starts in [lo, hi)
    while lo < hi:
        mid = (lo + hi) // 2
        start = data.rfind(b"\n", lo, mid) + 1 or lo
        end = data.find(b"\n", start)
        if end < 0:
            end = len(data)
        line = data[start:end]
        if line.startswith(key) if prefix else line == key:
            return line
        if line < key:
            lo = end + 1
        else:
            hi = start
    return None


# Until this many distinct words were asked, each is searched in the file's bytes (about
# 5 us); then the word list is split and sorted once (about 11 ms) for faster bisection
# (0.5 us), which pays off only over some 2,500 more words: a run of 30,000 MT lines
# asks about 3,300 in all, so the list is for longer runs.
_LIST_AFTER = 4000
_asked = [0]


@lru_cache(maxsize=65536)
def in_dictionary(word: str) -> bool:
    """Whether ``word`` is in wordsegment's English word list (False if not installed).

    >>> in_dictionary("therein"), in_dictionary("andeconomic")
    (True, False)
    """
    if _asked[0] < _LIST_AFTER:
        _asked[0] += 1
        return _in_sorted_lines(_word_file(), word.encode("utf-8"))
    words = _sorted_words()
    i = bisect.bisect_left(words, word)
    return i < len(words) and words[i] == word


def has_dictionary() -> bool:
    """Whether the dictionary is installed (wordsegment)."""
    return bool(_word_file())


class SortedWords(Set[str]):
    """A word list shipped one word a line, sorted (``#`` lines first), as a read-only
    set answered by binary search in the file's bytes: a run asks a list such as the
    keep-unsplit one a few dozen times, fewer than the thousands of words a set hashes.

    >>> from cleaners.repair.tables import DATA, package_file
    >>> keep = SortedWords(DATA / "repair" / "en_keep_unsplit.txt")
    >>> "abdulaziz" in keep, "economic" in keep, len(keep) > 1000
    (True, False, True)
    """

    def __init__(self, path: Path) -> None:
        data = path.read_bytes() if path.exists() else b""
        while data.startswith(b"#"):
            data = data.partition(b"\n")[2]
        self._data = data

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str) or not word or "\n" in word:
            return False
        return _in_sorted_lines(self._data, word.encode("utf-8"))

    def __iter__(self) -> Iterator[str]:
        return iter(self._data.decode("utf-8").split())

    def __len__(self) -> int:
        return len(self._data.split())


class Dictionary(Set[str]):
    """The dictionary as a read-only set: ``in``, iteration, and ``words - DICTIONARY``
    (the per-line question) answered without hashing the whole list.

    >>> {"therein", "andeconomic", "economic"} - DICTIONARY
    {'andeconomic'}
    >>> "therein" in DICTIONARY, bool(DICTIONARY)
    (True, True)
    """

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        zipfs, listed = common_words()
        return word in listed or word not in zipfs and in_dictionary(word)

    def __iter__(self) -> Iterator[str]:
        return iter(_sorted_words())

    def __len__(self) -> int:
        return len(_sorted_words())

    def __bool__(self) -> bool:
        return has_dictionary()

    @classmethod
    def _from_iterable(cls, it: Iterable[str]) -> set[str]:
        return set(it)  # results of &, |, ^ are plain sets

    def __rsub__(self, other: Iterable[str]) -> set[str]:
        # The common dictionary words go in one C-level set difference (a dict's keys
        # are read as a set's); a common word left is one the dictionary lacks; the rest
        # by binary search.
        zipfs, listed = common_words()
        rest = set(other).difference(listed)
        return {w for w in rest if w in zipfs or not in_dictionary(w)} if rest else rest


DICTIONARY = Dictionary()


def _bigram_file() -> Path | None:
    try:
        return package_file("wordsegment", "bigrams.txt")
    except (ModuleNotFoundError, FileNotFoundError):
        return None


class Phrases:
    """wordsegment's common two-word phrases (``bigrams.txt``, ``"w1 w2<TAB>count"``),
    asked ``"economic sanctions" in PHRASES`` by the fused-word rule.

    Hashing its 286,000 lines costs more than the whole repair of 10,000 lines, and
    searching its 5 MB text costs ~2 ms a question. So a shipped, sorted array of the
    phrases' crc32 checksums (``data/repair/en_phrases.crc32``, 1 MB, loads in about a
    millisecond) answers by bisection; most questions are misses and end there, and a
    hit is confirmed in the text, so the answers are exact. Without the table every
    question searches the text.

    >>> "economic sanctions" in PHRASES, "fleet man" in PHRASES, "" in PHRASES
    (True, False, False)
    """

    def __init__(self, table: Path | None = None) -> None:
        self._table = table or PHRASE_TABLE
        self._data: bytes | None = None
        self._sums: array[int] | None = None
        self._seen: dict[str, bool] = {}

    def _text(self) -> bytes:
        if self._data is None:
            path = _bigram_file()
            self._data = b"\n" + path.read_bytes() if path else b""
        return self._data

    def _checksums(self) -> array[int] | None:
        if self._sums is None and self._table.exists():
            sums = array("I")
            sums.frombytes(self._table.read_bytes())
            if sys.byteorder != "little":  # pragma: no cover - stored little-endian
                sums.byteswap()
            self._sums = sums
        return self._sums

    def __contains__(self, phrase: object) -> bool:
        if not isinstance(phrase, str) or not phrase or "\t" in phrase or "\n" in phrase:
            return False
        found = self._seen.get(phrase)
        if found is None:
            key = phrase.encode("utf-8")
            sums = self._checksums()
            if sums is not None:
                checksum = crc32(key)
                i = bisect.bisect_left(sums, checksum)
                if i == len(sums) or sums[i] != checksum:
                    self._seen[phrase] = False
                    return False
            found = self._seen[phrase] = b"\n" + key + b"\t" in self._text()
        return found

    def __bool__(self) -> bool:
        return bool(self._text())


PHRASES = Phrases()


class BigramModel:
    """How much likelier ``b`` is after ``a`` than alone, in an English news language model.

    The model is CMU Sphinx's generic US English trigram model (72,000 words, 2 million
    bigrams), shipped in the ``pocketsphinx`` wheel and read through its library: it
    knows phrases newer than wordsegment's 2006 web counts ("social media", "hand
    hygiene"). Read on the first question (about 30 ms), then 0.3 µs a question.
    """

    def __init__(self) -> None:
        self._lm: object | None = None
        self._loaded = False

    def _model(self) -> object | None:
        if not self._loaded:
            self._loaded = True
            try:
                import pocketsphinx
            except ImportError:  # an optional source of evidence: no model, no evidence
                return None
            path = Path(pocketsphinx.get_model_path()) / "en-us" / "en-us.lm.bin"
            if path.exists():
                pocketsphinx.set_loglevel("FATAL")  # it logs every load to stderr
                self._lm = pocketsphinx.NGramModel.readfile(str(path))
        return self._lm

    def _scores(self, a: str, b: str) -> tuple[int, int, int] | None:
        """The model's log scores of a, of b, and of b after a; None if it lacks a word."""
        lm = self._model()
        if lm is None:
            return None
        first, alone = lm.prob([a]), lm.prob([b])  # type: ignore[attr-defined]
        if first < _LM_FLOOR or alone < _LM_FLOOR:
            return None
        # The library takes the word first, then its history, most recent first.
        return first, alone, lm.prob([b, a])  # type: ignore[attr-defined]

    def association(self, a: str, b: str) -> float | None:
        """log10 P(b | a) / P(b); None when the model lacks either word (or is absent).

        Backoff weights here are <= 0, so a positive figure means the model holds the
        bigram itself.
        """
        scores = self._scores(a, b)
        return None if scores is None else (scores[2] - scores[1]) * _LOG10_PER_UNIT

    def context_association(self, a: str, b: str, c: str) -> float | None:
        """log10 P(c | a b) / P(c): how strongly "a b" predicts the next word ``c`` (the
        trigram where the model holds it, else its backoff); None when it lacks a word."""
        lm = self._model()
        if lm is None:
            return None
        probs = [lm.prob([w]) for w in (a, b, c)]  # type: ignore[attr-defined]
        if min(probs) < _LM_FLOOR:
            return None
        return (lm.prob([c, b, a]) - probs[2]) * _LOG10_PER_UNIT  # type: ignore[attr-defined]

    def phrase_zipf(self, a: str, b: str) -> float | None:
        """The phrase "a b" on wordfreq's Zipf scale (log10 per billion words), or None."""
        scores = self._scores(a, b)
        return None if scores is None else 9.0 + (scores[0] + scores[2]) * _LOG10_PER_UNIT


# pocketsphinx scores are logs base 1.0001; an unknown word scores about -5e8.
_LOG10_PER_UNIT = 0.4342944819 * 1e-4
_LM_FLOOR = -10_000_000

BIGRAMS = BigramModel()


POS_TABLE = DATA / "repair" / "en_pos.tsv"


@lru_cache(maxsize=1)
def _tag_lines() -> bytes:
    """The shipped tag table's bytes, searched rather than loaded: a run asks a few dozen
    words (hashing its 43,000 took 7 ms; TextBlob's own file takes 40 ms to read)."""
    return POS_TABLE.read_bytes().partition(b"\n")[2] if POS_TABLE.exists() else b""


@lru_cache(maxsize=4096)
def pos_tag(word: str) -> str | None:
    """The most frequent Penn tag of a lowercase English word, None if unlisted.

    >>> pos_tag("significant"), pos_tag("symptoms"), pos_tag("fell"), pos_tag("zzyzx")
    ('JJ', 'NNS', 'VBD', None)
    """
    if not word or "\t" in word or "\n" in word:
        return None
    line = _find_line(_tag_lines(), word.encode("utf-8") + b"\t", prefix=True)
    return None if line is None else line.partition(b"\t")[2].decode("ascii")


# Endings that tell an unlisted word's part of speech, longest first, as a tagger's
# unknown-word rules do (Brill's start from NN and rewrite by suffix).
_SUFFIX_TAGS = (
    ("ness", "NN"), ("ment", "NN"), ("tion", "NN"), ("sion", "NN"), ("ity", "NN"),
    ("ism", "NN"), ("ist", "NN"), ("ogy", "NN"), ("ship", "NN"), ("hood", "NN"),
    ("ance", "NN"), ("ence", "NN"), ("ous", "JJ"), ("ful", "JJ"), ("ive", "JJ"),
    ("able", "JJ"), ("ible", "JJ"), ("less", "JJ"), ("ic", "JJ"), ("al", "JJ"),
    ("ly", "RB"), ("ing", "VBG"), ("ed", "VBN"),
)  # fmt: skip


def guess_tag(word: str) -> str:
    """``pos_tag``, or for an unlisted word a guess from its ending: a plural of a listed
    or guessed noun is NNS, a known ending gives its class, anything else is a noun
    (what new words mostly are: "coronavirus", "pangolin").

    >>> guess_tag("pumpkins"), guess_tag("sanitizer"), guess_tag("coronavirus")
    ('NNS', 'NN', 'NN')
    >>> guess_tag("intelligibly"), guess_tag("fell"), guess_tag("cytokine")
    ('RB', 'VBD', 'NN')
    """
    tag = pos_tag(word)
    if tag is not None:
        # A few entries carry two tags ("cytokine NN|JJ"): the first, the likelier.
        return tag.split("|")[0]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        stem = word[:-2] if word.endswith("ies") else word[:-1]
        stem_tag = pos_tag(stem + "y" if word.endswith("ies") else stem)
        if stem_tag in (None, "NN"):
            return "NNS"
    for end, suffix_tag in _SUFFIX_TAGS:
        if word.endswith(end) and len(word) > len(end) + 2:
            return suffix_tag
    return "NN"
