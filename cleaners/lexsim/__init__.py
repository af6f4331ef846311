"""Lexical similarity of a sentence and its translation, from a word table learned offline.

The tables in ``data/lex/<a>-<b>.tsv`` pair word *keys* of two languages, so that inflected
forms share one entry. A table's ``!key`` line names how its keys were made
(:func:`key_function`): ``stem5``, a lower-cased word's Snowball stem cut to 5 letters (the
``PyStemmer`` package: Snowball's algorithms, no data, no model), or ``prefix4``, the
word's first ``KEY_LEN`` (4) letters (a table without the line). They were learned with IBM
Model 1 (EM, both directions) on the public dev sets only; ``python -m cleaners.lexsim.build``
rebuilds them (that module is never imported at run time); the de–fr table also holds the
one-word pairs of the FreeDict+WikDict dictionaries for words the dev sentences never taught,
the ru–en table such pairs linked through Polish and Greek FreeDict+WikDict dictionaries
(both CC BY-SA 3.0, ``data/lex/NOTICE``). No model is needed at run time: a table loads in under
0.1 s the first time a language pair is asked for.

A sentence's *bag* in the other language is the multiset of the translations of its content
keys (up to ``TOP`` per key; for two Latin-script languages a key also stands for itself, so
names and cognates count). The similarity of a pair is a Dice overlap: 2·pairs /
(#content(src) + #content(tgt)), where pairs is how many source keys pair one to one with a
target key they translate (``matched``: a key with several senses in the target counts once).
The aligner sums the bag overlaps (``source_bag``) over a bead's sentences.
"""

from __future__ import annotations

import itertools
import math
import os
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources

KEY_LEN = 4
# Keys shorter than this are function words in every language here (в, на, of, to, le, im).
MIN_WORD = 3
# Translations kept per key at load time.
TOP = 16
_WORD = re.compile(r"[^\W\d_]+")
_LATIN = frozenset({"en", "de", "fr"})


# Combining marks (diacritical blocks, Cyrillic's own): what NFC leaves of them after a letter
# is no part of a word (Russian stress marks: дыши́те), but splits it for a word pattern.
_MARK = re.compile(
    "[\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"
)
# How words() makes words: part of the table build's hash, so that a change shows as stale.
WORDS = "nfc-fold-marks-lower-yo"


def fold_marks(text: str) -> str:
    """``text`` in NFC without the combining marks NFC leaves apart (Russian stress marks);
    text without any combining mark comes back as it is. Accents that compose stay.

    >>> fold_marks("Пожалуйста, дыши\u0301те"), fold_marks("cafe\u0301"), fold_marks("Ёж")
    ('Пожалуйста, дышите', 'café', 'Ёж')
    """
    if _MARK.search(text) is None:
        return text
    return _MARK.sub("", unicodedata.normalize("NFC", text))


def words(sentence: str) -> list[str]:
    """The words of ``sentence`` as keys are made from (NFC, combining marks NFC leaves apart
    dropped, lower-cased, ё → е; accents that compose kept).

    >>> words("Ёлки, the Presidents!"), words("Дыши\u0301те, café")
    (['елки', 'the', 'presidents'], ['дышите', 'café'])
    """
    text = fold_marks(unicodedata.normalize("NFC", sentence))
    return _WORD.findall(text.lower().replace("ё", "е"))


def word_keys(sentence: str) -> list[str]:
    """The ``prefix4`` keys of every word of ``sentence`` (its words cut to 4 letters).

    >>> word_keys("Президенты встретились в Астане; the Presidents met.")
    ['през', 'встр', 'в', 'аста', 'the', 'pres', 'met']
    """
    return [w[:KEY_LEN] for w in words(sentence)]


# PyStemmer's Snowball algorithms by the ISO 639-1 codes tables are named by (a user's table,
# ``mtclean lexicon build``, may be for any of them; the shipped ones use ru, en, de, fr).
_SNOWBALL = {
    "ar": "arabic", "hy": "armenian", "eu": "basque", "ca": "catalan", "cs": "czech",
    "da": "danish", "nl": "dutch", "en": "english", "eo": "esperanto", "et": "estonian",
    "fi": "finnish", "fr": "french", "de": "german", "el": "greek", "hi": "hindi",
    "hu": "hungarian", "id": "indonesian", "ga": "irish", "it": "italian", "lt": "lithuanian",
    "ne": "nepali", "no": "norwegian", "nb": "norwegian", "fa": "persian", "pl": "polish",
    "pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian", "st": "sesotho",
    "es": "spanish", "sv": "swedish", "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}  # fmt: skip
# A ``stemN`` key of a language without a stemmer (Ukrainian, Bulgarian): its first letters,
# this many (the ``prefix4`` tables' length).
NO_STEMMER_LEN = KEY_LEN
_STEM_LOCK = threading.Lock()  # a stemmer object is not thread-safe


@lru_cache(maxsize=16)
def key_function(scheme: str, lang: str) -> Callable[[str], str]:
    """The key of one word (as :func:`words` gives it) under ``scheme`` for ``lang``:
    ``prefixN``, its first N letters; ``stem``, its Snowball stem; ``stemN``, the stem cut
    to N letters. A language PyStemmer has no stemmer for gets its first ``NO_STEMMER_LEN``
    letters under either ``stem`` scheme.

    >>> [key_function("stem", "ru")(w) for w in ("президенты", "президентом", "презентация")]
    ['президент', 'президент', 'презентац']
    >>> key_function("prefix4", "ru")("президенты"), key_function("stem6", "en")("presidents")
    ('през', 'presid')
    >>> key_function("stem5", "uk")("президенти"), key_function("stem5", "pl")("prezydenci")
    ('през', 'prezy')
    """
    found = re.fullmatch(r"(prefix|stem)(\d*)", scheme)
    if found is None or found[1] == "prefix" and not found[2]:
        raise ValueError(f"unknown key scheme {scheme!r}")
    cut = int(found[2]) if found[2] else None
    name = stemmer_name(lang)
    if found[1] == "prefix" or name is None:
        n = (cut or KEY_LEN) if found[1] == "prefix" else NO_STEMMER_LEN
        return lambda word: word[:n]
    import Stemmer  # PyStemmer: Snowball's C library (15-40x the pure-Python port's speed)

    stemmer = Stemmer.Stemmer(name)

    @lru_cache(maxsize=1 << 17)
    def stem(word: str) -> str:
        with _STEM_LOCK:
            return stemmer.stemWord(word)[:cut]

    return stem


def stemmer_name(lang: str) -> str | None:
    """The Snowball algorithm PyStemmer has for ``lang`` (an ISO 639-1 code), or None.

    >>> stemmer_name("ru"), stemmer_name("uk"), stemmer_name("xx")
    ('russian', None, None)
    """
    name = _SNOWBALL.get(lang)
    if name is None or name in ("russian", "english", "german", "french"):
        return name  # (the shipped tables' languages: no import to ask)
    import Stemmer

    return name if name in Stemmer.algorithms() else None  # (an older release may lack one)


@dataclass(frozen=True)
class Table:
    """One direction of a word table: source key → target keys, and each side's stop keys."""

    src_lang: str
    tgt_lang: str
    trans: dict[str, tuple[str, ...]]
    src_stop: frozenset[str]
    tgt_stop: frozenset[str]
    identity: bool  # a key also translates to itself (two Latin-script languages)
    scheme: str = "prefix4"  # how the keys were made (key_function)

    def key(self, word: str, side: str) -> str:
        """The key of one word (as :func:`words` gives it) of the ``src`` or ``tgt`` side."""
        return key_function(self.scheme, self.src_lang if side == "src" else self.tgt_lang)(word)

    def content_keys(self, words: Sequence[str], side: str) -> list[str]:
        """The keys of the words that carry meaning: long enough, and not among the side's
        most frequent keys."""
        stop = self.src_stop if side == "src" else self.tgt_stop
        fn = key_function(self.scheme, self.src_lang if side == "src" else self.tgt_lang)
        keys = (fn(w) for w in words if len(w) >= MIN_WORD)
        return [k for k in keys if k and k not in stop]

    def targets(self, key: str) -> tuple[str, ...]:
        """What one source content key puts in its sentence's bag: its translations (and
        itself, between two Latin-script languages), each once."""
        trans = self.trans.get(key, ())
        return tuple(dict.fromkeys((key, *trans))) if self.identity else trans

    def source_bag(self, sentence: str) -> tuple[Counter[str], int]:
        """(translations of the content keys as a multiset, number of content keys)."""
        keys = self.content_keys(words(sentence), "src")
        return Counter(t for key in keys for t in self.targets(key)), len(keys)

    def target_bag(self, sentence: str) -> tuple[Counter[str], int]:
        """(content keys as a multiset, their number)."""
        keys = self.content_keys(words(sentence), "tgt")
        return Counter(keys), len(keys)

    def similarity(self, src: str, tgt: str) -> float:
        """Dice overlap (0..1) of ``src``'s translated content keys with ``tgt``'s content
        keys: how much of the two sentences are word-for-word translations of each other.

        Each source key is credited once however many of its senses ``tgt`` holds, and each
        target key once however many source keys translate it (:func:`matched`):

        >>> t = parse("кошк\\tcat\\t0.9\\nспит\\tslee\\t0.9\\n", "ru", "en")
        >>> t.similarity("Кошка спит.", "Cat sleeps."), t.similarity("Кошка спит.", "No.")
        (1.0, 0.0)
        >>> two = parse("haus\\tmais\\t0.9\\nhaus\\tdomi\\t0.5\\n", "de", "fr")
        >>> round(two.similarity("Haus", "maison domicile"), 3)  # 2·1/3, not 2·2/3
        0.667
        """
        keys = self.content_keys(words(src), "src")
        own = self.content_keys(words(tgt), "tgt")
        n, m = len(keys), len(own)
        if n + m == 0:
            return 0.0
        return min(1.0, 2.0 * matched(keys, own, self.targets) / (n + m))


def available(src_lang: str, tgt_lang: str) -> bool:
    """Whether a word table ships for this pair (either direction).

    >>> available("ru", "en"), available("en", "ru"), available("ru", "xx")
    (True, True, False)
    """
    return _table_name(src_lang, tgt_lang) is not None


def _table_name(a: str, b: str) -> tuple[str, bool] | None:
    folder = resources.files("cleaners").joinpath("data/lex")
    for name, flipped in ((f"{a}-{b}.tsv", False), (f"{b}-{a}.tsv", True)):
        if folder.joinpath(name).is_file():
            return name, flipped
    return None


@lru_cache(maxsize=8)
def table(src_lang: str = "ru", tgt_lang: str = "en") -> Table:
    """The word table for ``src_lang`` → ``tgt_lang`` (loaded once; KeyError if none ships).

    File format (UTF-8 text): ``#`` comment lines (build parameters and input hashes), an
    optional ``!key<TAB>scheme`` line (``prefix4`` when absent), ``!stop<TAB>side<TAB>key key …``
    lines, then ``a_key<TAB>b_key<TAB>score`` lines.
    """
    found = _table_name(src_lang, tgt_lang)
    if found is None:
        raise KeyError(f"no word table for {src_lang}-{tgt_lang}")
    name, flipped = found
    text = resources.files("cleaners").joinpath(f"data/lex/{name}").read_text("utf-8")
    return parse(text, src_lang, tgt_lang, flipped)


# The shipped tables name their pair in their first line; a user's table (mtclean lexicon
# build) in a ``!pair<TAB>a<TAB>b`` line.
_HEAD_PAIR = re.compile(r"# ([a-z]{2,3})-([a-z]{2,3}) word-key table")


def table_pair(text: str) -> tuple[str, str] | None:
    """The languages (side a, side b) a table file's text names, or None.

    >>> table_pair("# x\\n!pair\\tuk\\ten\\n!key\\tstem5\\n"), table_pair("# ru-en word-key table")
    (('uk', 'en'), ('ru', 'en'))
    """
    head = None
    for line in text.splitlines():
        if line.startswith("!pair\t"):
            parts = line.split("\t")
            return (parts[1], parts[2]) if len(parts) == 3 else None
        found = _HEAD_PAIR.match(line)
        if found and head is None:
            head = (found[1], found[2])
        if line and line[0] not in "#!":
            break  # (the rows have begun: no !pair line follows)
    return head


class TableError(ValueError):
    """A user's word table file that cannot serve: not a table, or another language pair."""


# A file larger than this is no table: refused by its size, unread (`mtclean lexicon build`
# writes well under it: the shipped tables, learned at its cap, are under 1 MB; parsed, a
# table takes some ten times its size in memory).
MAX_TABLE_BYTES = 256 << 20
# A table line longer than this (characters) is no line of a table (the longest, a !stop
# line of a side's frequent keys, is some 500 in the shipped tables): the file is refused
# without the rest of it read.
MAX_TABLE_LINE = 1 << 20
_MAX_HEAD = 10_000  # lines looked at for the !pair line before the rows (a table has 7)


def load_table(path: str | os.PathLike[str], src_lang: str, tgt_lang: str) -> Table:
    """The word table in the file at ``path`` for ``src_lang`` → ``tgt_lang`` (a table of
    either direction of the pair, as the shipped ones), read once per file version.

    Raises ``OSError`` for a file that cannot be read and ``TableError`` for one that is no
    table or names another pair (the message names both pairs). A wrong file is refused by
    its size or its head, or at its first bad line, never read whole first.
    """
    st = os.stat(path)
    return _load_table(os.fspath(path), st.st_mtime_ns, st.st_size, src_lang, tgt_lang)


@lru_cache(maxsize=4)
def _load_table(path: str, _mtime: int, _size: int, src_lang: str, tgt_lang: str) -> Table:
    if _size > MAX_TABLE_BYTES:
        raise TableError(
            f"{path} is {_size / 2**20:,.0f} MB: larger than any word table (mtclean lexicon "
            f"build writes a few MB; at most {MAX_TABLE_BYTES >> 20} MB is read): not a table?"
        )
    try:
        with open(path, encoding="utf-8-sig") as fh:  # (a table saved again by an editor: BOM)
            lines = _table_lines(fh.readline, path)
            head = []  # the comment and ! lines before the first row, and that row
            for line in lines:
                head.append(line)
                if (line and line[0] not in "#!") or len(head) >= _MAX_HEAD:
                    break
            if not head:
                raise TableError(f"{path} is empty: not a word table")
            pair = table_pair("\n".join(head))
            if pair is None:
                raise TableError(
                    f"{path} names no language pair (no !pair line): not a table of mtclean "
                    "lexicon build"
                )
            if pair not in ((src_lang, tgt_lang), (tgt_lang, src_lang)):
                raise TableError(
                    f"{path} is a {pair[0]}-{pair[1]} word table, not one for {src_lang}-{tgt_lang}"
                )
            flipped = pair != (src_lang, tgt_lang)
            found = parse_lines(itertools.chain(head, lines), src_lang, tgt_lang, flipped)
        key_function(found.scheme, src_lang)  # an unknown !key scheme, said now
    except UnicodeDecodeError:
        raise TableError(f"{path} is not UTF-8 text: not a word table") from None
    except TableError:
        raise
    except ValueError as exc:
        raise TableError(f"{path}: {exc}") from None
    if not found.trans:
        raise TableError(f"{path} holds no word pairs")
    return found


def _table_lines(readline: Callable[[int], str], path: str) -> Iterator[str]:
    """A table file's lines (line ends dropped), each read no further than ``MAX_TABLE_LINE``
    characters: a longer one stops the reading with a TableError naming it."""
    for n in itertools.count(1):
        line = readline(MAX_TABLE_LINE + 1)
        if not line:
            return
        if len(line) > MAX_TABLE_LINE:
            raise TableError(
                f"{path}: line {n} is over {MAX_TABLE_LINE:,} characters: not a word table"
            )
        yield line.rstrip("\r\n")


def parse(text: str, src_lang: str, tgt_lang: str, flipped: bool = False) -> Table:
    """A ``Table`` from a table file's text; ``flipped`` when its side a is ``tgt_lang``."""
    return parse_lines(text.splitlines(), src_lang, tgt_lang, flipped)


def parse_lines(lines: Iterable[str], src_lang: str, tgt_lang: str, flipped: bool = False) -> Table:
    """:func:`parse` of a table's lines as they come (line ends dropped): a bad line stops
    it (a ValueError naming the line's number) before any line after it is read."""
    stops: dict[str, frozenset[str]] = {}
    scored: dict[str, list[tuple[float, str]]] = {}
    scheme = "prefix4"
    for n, line in enumerate(lines, 1):
        if not line or line[0] == "#":
            continue
        # (a hand-edited table: a bad line is named by its number, as an editor shows it)
        if line.startswith("!key\t"):
            scheme = line.split("\t")[1]
            continue
        if line.startswith("!stop\t"):
            parts = line.split("\t")
            if len(parts) != 3 or parts[1] not in ("a", "b"):
                raise ValueError(f"line {n}: not a !stop<TAB>a|b<TAB>keys line: {line[:80]!r}")
            stops[parts[1]] = frozenset(parts[2].split())
            continue
        if line[0] == "!":  # (``!pair``: what load_table checks; keys are letters)
            continue
        try:
            a, b, score = line.split("\t")
            value = float(score)
        except ValueError:
            raise ValueError(f"line {n}: not a key<TAB>key<TAB>score line: {line[:80]!r}") from None
        if not (value >= 0 and math.isfinite(value)):  # (NaN would unsort a key's list)
            raise ValueError(f"line {n}: the score is not a number >= 0: {line[:80]!r}")
        src, tgt = (b, a) if flipped else (a, b)
        scored.setdefault(src, []).append((-value, tgt))
    trans = {k: tuple(t for _, t in sorted(v)[:TOP]) for k, v in scored.items()}
    a_stop, b_stop = stops.get("a", frozenset()), stops.get("b", frozenset())
    return Table(
        src_lang,
        tgt_lang,
        trans,
        b_stop if flipped else a_stop,
        a_stop if flipped else b_stop,
        src_lang in _LATIN and tgt_lang in _LATIN,
        scheme,
    )


def matched(
    src_keys: Sequence[str], tgt_keys: Sequence[str], options: Callable[[str], Sequence[str]]
) -> int:
    """How many source keys pair with a target key they translate (``options(key)``), each
    key of either side (an occurrence: a repeated key counts again) used once: a maximum
    matching. A bag of all senses credited one source key for each of its senses the target
    held (Text+Berg dev's gold beads, shipped de–fr table: 2,966 hits where 2,678 keys pair).

    >>> matched(["haus", "haus"], ["maiso", "domic", "maiso"], lambda k: ("maiso", "domic"))
    2
    >>> matched(["a", "b"], ["x"], lambda k: ("x",)), matched(["a", "b"], ["x", "y"],
    ...     {"a": ("x", "y"), "b": ("x",)}.__getitem__)
    (1, 2)
    """
    # A flow over key types, not occurrences: repeated keys are one node with a capacity,
    # so a long unpunctuated "sentence" stays small; augmenting paths are found by an
    # iterative search (no recursion limit).
    supply, demand = Counter(src_keys), Counter(tgt_keys)
    edges = {k: [t for t in dict.fromkeys(options(k)) if t in demand] for k in supply}
    flow: dict[tuple[str, str], int] = {}
    left = dict(demand)
    for k, n in supply.items():  # greedy first: most keys have one sense in the target
        for t in edges[k]:
            take = min(n, left[t])
            if take:
                flow[k, t] = flow.get((k, t), 0) + take
                left[t] -= take
                n -= take
        supply[k] = n
    back: dict[str, list[str]] = {}
    for k, ts in edges.items():
        for t in ts:
            back.setdefault(t, []).append(k)
    for k0 in [k for k, n in supply.items() if n and edges[k]]:
        while supply[k0]:
            path = _augmenting_path(k0, edges, back, flow, left)
            if path is None:
                break
            for a, t, sign in path:
                flow[a, t] = flow.get((a, t), 0) + sign
            left[path[-1][1]] -= 1
            supply[k0] -= 1
    return sum(flow.values())


def _augmenting_path(
    k0: str,
    edges: dict[str, list[str]],
    back: dict[str, list[str]],
    flow: dict[tuple[str, str], int],
    left: dict[str, int],
) -> list[tuple[str, str, int]] | None:
    """One unit's path from source key ``k0`` to a target key with room left: (source key,
    target key, +1 to add / -1 to take back) steps, by breadth-first search; None if none."""
    came: dict[str, tuple[str, str] | None] = {k0: None}  # source key -> (previous key, via)
    queue = [k0]
    for k in queue:
        for t in edges[k]:
            if left[t] > 0:
                path = [(k, t, 1)]
                while came[k] is not None:
                    prev, via = came[k]  # type: ignore[misc]
                    path += [(k, via, -1), (prev, via, 1)]
                    k = prev
                return path[::-1]
            for k2 in back[t]:  # move a unit k2 holds on t elsewhere
                if k2 not in came and flow.get((k2, t), 0) > 0:
                    came[k2] = (k, t)
                    queue.append(k2)
    return None


def similarity(src: str, tgt: str, src_lang: str = "ru", tgt_lang: str = "en") -> float:
    """How much of ``src`` and ``tgt`` are word-for-word translations of each other (0..1).

    >>> round(similarity("Президент подписал закон о налогах.",
    ...                  "The president signed the tax law."), 2) > 0.5
    True
    >>> similarity("Президент подписал закон о налогах.", "It was raining all day.")
    0.0
    """
    return table(src_lang, tgt_lang).similarity(src, tgt)


def similarities(
    src: Sequence[str], tgt: Sequence[str], src_lang: str = "ru", tgt_lang: str = "en"
) -> list[float]:
    """``similarity`` of each pair ``(src[k], tgt[k])`` (one table look-up for the batch).

    >>> similarities(["Да.", "Кошка спит."], ["Yes.", "The cat sleeps."])[1] > 0.5
    True
    """
    if len(src) != len(tgt):
        raise ValueError(f"{len(src)} source sentences for {len(tgt)} target ones")
    t = table(src_lang, tgt_lang)
    return [t.similarity(s, g) for s, g in zip(src, tgt, strict=True)]


# ---------------------------------------------------------------- bootstrapping (hunalign's idea)


@dataclass(frozen=True)
class Learned:
    """A key pair learned from a run's confident beads: seen together in ``together`` beads of
    ``docs`` documents; ``dice`` = 2·together / (beads with the source key + with the target)."""

    src: str
    tgt: str
    together: int
    docs: int
    dice: float


def learn_pairs(
    docs: Iterable[Sequence[tuple[str, str]]],
    table: Table,
    min_beads: int = 3,
    min_docs: int = 2,
    min_dice: float = 0.5,
) -> list[Learned]:
    """Key pairs the table does not hold, learned from the confident beads of many documents
    (``docs``: per document, its beads' ``(source, target)`` texts). The content keys of a
    bead's two sides that the table leaves unexplained there co-occur once per bead; a pair
    is kept when it was seen together in at least ``min_beads`` beads of at least
    ``min_docs`` documents with Dice ≥ ``min_dice``, and it is the best-scored pair of its
    source key and of its target key (competitive linking: a name or a frequent word pairs
    with one partner, not with every word of its sentences). Counts are sums and ties break
    on the keys: the result does not depend on the order of the documents or of their beads.

    >>> t = parse("кот\\tcat\\t0.9\\n", "ru", "en")
    >>> docs = [[("Кот спит дома.", "The cat sleeps at home."),
    ...          ("Собака спит.", "The dog sleeps.")],
    ...         [("Собака лает дома.", "The dog barks at home."), ("Собака ест.", "The dog eats.")]]
    >>> [(p.src, p.tgt, p.together, p.docs) for p in learn_pairs(docs, t, min_beads=3)]
    [('соба', 'dog', 3, 2)]
    """
    together: Counter[tuple[str, str]] = Counter()
    in_docs: Counter[tuple[str, str]] = Counter()
    src_n: Counter[str] = Counter()
    tgt_n: Counter[str] = Counter()
    for beads in docs:
        seen: set[tuple[str, str]] = set()
        for src, tgt in beads:
            a_keys = set(table.content_keys(words(src), "src"))
            b_keys = set(table.content_keys(words(tgt), "tgt"))
            src_n.update(a_keys)
            tgt_n.update(b_keys)
            # Only the keys the table leaves unexplained in this bead pair up: a name that
            # stands for itself on both sides is no evidence for its neighbours' words.
            bag = {t for a in a_keys for t in table.targets(a)}
            a_open = [a for a in a_keys if not b_keys.intersection(table.targets(a))]
            pairs = {(a, b) for a in a_open for b in b_keys - bag}
            together.update(pairs)
            seen |= pairs
        in_docs.update(seen)
    scored = []
    for (a, b), n in together.items():
        if n < min_beads or in_docs[a, b] < min_docs or b in table.targets(a):
            continue
        dice = 2 * n / (src_n[a] + tgt_n[b])
        if dice >= min_dice:
            scored.append(Learned(a, b, n, in_docs[a, b], round(dice, 6)))
    # Competitive linking: best first (ties on the keys), each key linked once.
    scored.sort(key=lambda p: (-p.dice, -p.together, p.src, p.tgt))
    used_a: set[str] = set()
    used_b: set[str] = set()
    kept = []
    for p in scored:
        if p.src not in used_a and p.tgt not in used_b:
            kept.append(p)
        used_a.add(p.src)
        used_b.add(p.tgt)
    return sorted(kept, key=lambda p: (p.src, p.tgt))


def extended(table: Table, pairs: Iterable[Learned]) -> Table:
    """A copy of ``table`` that also translates each learned pair's source key to its target
    (after the table's own translations); ``table`` itself is unchanged.

    >>> t = parse("кот\\tcat\\t0.9\\n", "ru", "en")
    >>> extended(t, [Learned("соба", "dog", 3, 2, 1.0)]).targets("соба"), t.targets("соба")
    (('dog',), ())
    """
    trans = dict(table.trans)
    for p in pairs:
        if p.tgt not in trans.get(p.src, ()):
            trans[p.src] = (*trans.get(p.src, ()), p.tgt)
    return replace(table, trans=trans)
