"""Language evidence: the one place that says what is Cyrillic, how common a word is and
how plausible a string is as Russian. Decoding, repair and language identification ask
here.

- **Scripts.** :data:`CYRILLIC` (every Cyrillic block of Unicode: what LID counts as the
  script), :data:`CYRILLIC_BASIC` (U+0400-04FF, the block the Cyrillic code pages cover:
  what decoding and untranslated-fragment spans look at) and :data:`RUSSIAN_LETTERS`
  (А-Я, а-я, Ё, ё). Three sets on purpose: each caller keeps the one it was tuned with.
- **Word frequencies.** wordfreq's lists, read straight from its data files (its documented
  cBpack format: bucket *i* holds the words of frequency ``10**(-i/100)``), so that
  ``import wordfreq`` and its language-tag machinery (~0.2 s) are not paid; its API is the
  fallback. As Zipf values (:func:`zipf_table`), as frequencies (:func:`frequency_table`),
  and Russian's rare words (zipf 3 to 1) in four bands (:func:`rare_freq`).
- **Russian plausibility.** :func:`russian_score` (letter bigrams for mojibake repair,
  orthography for choosing a code page) and :func:`known_share` (how much of a text is
  words a list knows).

Nothing here loads a list before it is asked for: importing this module is cheap.
"""

from __future__ import annotations

import math
import operator
import re
from _thread import RLock
from array import array
from bisect import bisect_left
from collections.abc import Callable, Container
from collections.abc import Set as AbstractSet
from itertools import repeat
from pathlib import Path
from typing import Any
from zlib import crc32

from cleaners.lazyre import lazy_compile

# --------------------------------------------------------------------------- scripts

CYRILLIC = "\u0400-\u052f\u1c80-\u1c8f\u2de0-\u2dff\ua640-\ua69f"
CYRILLIC_BASIC = "\u0400-\u04ff"
RUSSIAN_LETTERS = "А-Яа-яЁё"

DATA = Path(__file__).resolve().parent / "data"

_CYRILLIC_BASIC_LETTER = lazy_compile(f"[{CYRILLIC_BASIC}]")
_LATIN_LETTER = lazy_compile(r"[A-Za-z]")

# A language shows in words: a text whose letters stand alone ("a", "I", "x y", "5 a", the
# initials "A. B.") holds none, and the models still named one ("a": English at 0.85, "x y":
# German at 0.61). Two letters in a row are the least that is a word ("Да", "OK", "is").
MIN_WORD_LETTERS = 2
_WORD_OF_MIN_LETTERS = lazy_compile(rf"[^\W\d_]{{{MIN_WORD_LETTERS}}}")


def has_word(text: str) -> bool:
    """Whether ``text`` holds a word of :data:`MIN_WORD_LETTERS` letters or more: without one
    no language can be told (:func:`cleaners.lid.detect` says ``und``).

    >>> has_word("Да."), has_word("OK"), has_word("x y"), has_word("I"), has_word("12:18 — 5 a")
    (True, True, False, False, False)
    """
    return _WORD_OF_MIN_LETTERS.search(text) is not None


def letters_russian_lacks(table: str) -> str:
    r"""The letters (both cases) of the Cyrillic alphabets in ``table`` (the text of
    ``data/lid_alphabets.tsv``: lang, script, alphabet) that Russian's lacks, in order.

    >>> letters_russian_lacks("ru\tCyrl\tабвг\nuk\tCyrl\tабгґ\nen\tLatn\tabc")
    'ґҐ'
    """
    rows = [ln.split("\t") for ln in table.splitlines() if ln.strip() and ln[0] != "#"]
    russian = next(set(letters.strip()) for lang, _, letters in rows if lang == "ru")
    lower = dict.fromkeys(
        ch for _, script, letters in rows if script == "Cyrl" for ch in letters.strip()
    )
    lacking = "".join(ch for ch in lower if ch not in russian)
    return lacking + lacking.upper()


# Letters of other Cyrillic alphabets that no Russian word holds (Ukrainian і ї є ґ, Belarusian
# ў, Serbian and Macedonian ј љ њ ђ ћ џ ѓ ќ ѕ, Kazakh ә ғ қ ң ө ұ ү һ, Bulgarian and Macedonian
# ѝ ѐ): the alphabets language ID rules Russian out by (``data/lid_alphabets.tsv``), read
# here as text (no LID import: this module stays cheap). No Russian paragraph or sentence of
# FLORES, WMT21, TICO-19 or Tatoeba dev holds one (``bench/lid.py --other-cyrillic``).
NON_RUSSIAN_CYRILLIC = letters_russian_lacks((DATA / "lid_alphabets.tsv").read_text("utf-8"))
_CYRILLIC_WORD = lazy_compile(f"[{CYRILLIC_BASIC}]+")
# The share of a text's Cyrillic words that must hold such a letter: one Ukrainian place name
# ("Біла Церква") in a Russian paragraph leaves it Russian; about one Ukrainian word in four
# holds one (і: "and", "in", the plural -ів, -ні).
NON_RUSSIAN_SHARE = 0.1


def non_russian_cyrillic(text: str) -> bool:
    """Whether the Cyrillic of ``text`` is another language's, not Russian: at least
    :data:`NON_RUSSIAN_SHARE` of its Cyrillic words hold a letter Russian has not
    (:data:`NON_RUSSIAN_CYRILLIC`). A ru→en model given such text makes garbage English of it.
    Letters only: Bulgarian has none of them; :func:`cleaners.lid.other_cyrillic` adds the
    detector and word evidence, and is what decides what the ru→en model is given.

    >>> non_russian_cyrillic("Губернатор учора приїхав до Астани на 12 днів.")
    True
    >>> non_russian_cyrillic("Губернатор вчера приехал в Астану."), non_russian_cyrillic("OK")
    (False, False)
    >>> non_russian_cyrillic("Мэр встретился с послом в городе Біла Церква, где обсудили мост.")
    False
    """
    found = _CYRILLIC_WORD.findall(text)
    if not found:
        return False
    other = sum(1 for w in found if any(ch in NON_RUSSIAN_CYRILLIC for ch in w))
    return other > 0 and other >= NON_RUSSIAN_SHARE * len(found)


def guess_lang(text: str) -> str:
    """Which language's repair rules a bare text gets when nobody says (``mtclean clean``):
    ``"ru"`` when Cyrillic letters outnumber Latin ones, else ``"en"``.

    A letter count, not :mod:`cleaners.lid`: importing the detectors (~100 ms) would cost
    ``clean`` more start-up than the whole repair of a short text, and repair only needs
    to know whether the text is Russian or English MT.

    >>> guess_lang("Президент прибыл"), guess_lang("The president (Президент) arrived")
    ('ru', 'en')
    >>> guess_lang("")
    'en'
    """
    if text.isascii():
        return "en"  # no Cyrillic letter at all: the common case of English MT, one C call
    cyr = len(_CYRILLIC_BASIC_LETTER.findall(text))
    return "ru" if cyr > len(_LATIN_LETTER.findall(text)) else "en"


# --------------------------------------------------------------------------- loading once

# Re-entrant: one table may be built from another. The C lock threading.RLock() returns,
# taken from _thread: importing threading costs `mtclean clean` ~0.5 ms of start-up.
_LOCK = RLock()
_TABLES: dict[Any, Any] = {}


def _once(key: Any, build: Callable[[], Any]) -> Any:
    """Build a table once per key, under a lock (threads may race on first use)."""
    table = _TABLES.get(key)
    if table is None:
        with _LOCK:
            table = _TABLES.get(key)
            if table is None:
                table = _TABLES[key] = build()
    return table


def data_file(package: str, name: str) -> Path:
    """A data file of an installed package, found without importing the package."""
    import importlib.util

    spec = importlib.util.find_spec(package)
    if spec is None:
        raise ModuleNotFoundError(package)
    for folder in spec.submodule_search_locations or ():
        path = Path(folder) / name
        if path.is_file():
            return path
    raise FileNotFoundError(f"{package}/{name}")


# --------------------------------------------------------------------------- word frequencies


def _buckets(lang: str, size: str) -> list[list[str]]:
    """wordfreq's ``size`` list of ``lang`` read from its file: ``[i]`` holds the words of
    frequency ``10**(-i/100)``. Raises when the file cannot be read as a cBpack."""
    import gzip

    import msgpack

    # Found by path: importlib.resources.files() would import wordfreq itself.
    with gzip.open(data_file("wordfreq", f"data/{size}_{lang}.msgpack.gz"), "rb") as fh:
        pack = msgpack.load(fh, raw=False)
    if not (isinstance(pack[0], dict) and pack[0].get("format") == "cB"):
        raise ValueError("not a cBpack")
    return pack[1:]


_UNREADABLE = (ImportError, OSError, ValueError, IndexError)


def frequency_buckets(lang: str, size: str) -> list[list[str]]:
    """wordfreq's list as buckets (``[i]``: the words of frequency ``10**(-i/100)``).

    >>> "и" in frequency_buckets("ru", "small")[153]  # zipf 7.47
    True
    """
    try:
        return _buckets(lang, size)
    except _UNREADABLE:
        import wordfreq

        return wordfreq.get_frequency_list(lang, wordlist=size)


def zipf_table(lang: str, size: str) -> dict[str, float]:
    """wordfreq's ``size`` ("small": Zipf >= 3, "large": >= 1) list as ``{word: zipf}``.

    >>> zipf_table("ru", "small")["москва"] > 4
    True
    """

    def build() -> dict[str, float]:
        try:
            buckets = _buckets(lang, size)
        except _UNREADABLE:
            import wordfreq

            freqs = wordfreq.get_frequency_dict(lang, wordlist=size)
            return {w: math.log10(f * 1e9) for w, f in freqs.items()}
        # A bucket at a time (dict.fromkeys, in C): a third faster than a comprehension over
        # 700,000 Russian words, and the same dict (a word in two buckets: the later's value).
        table: dict[str, float] = {}
        for i, bucket in enumerate(buckets):
            table.update(dict.fromkeys(bucket, 9.0 - i / 100))
        return table

    return _once(("zipf", lang, size), build)


def frequency_table(lang: str) -> dict[str, float]:
    """wordfreq's small list of ``lang`` as ``{word: frequency}`` (what
    ``wordfreq.get_frequency_dict(lang, "small")`` returns, float for float).

    >>> 1e-5 < frequency_table("uk")["дякую"] < 1e-3
    True
    """

    def build() -> dict[str, float]:
        try:
            return {
                w: 10 ** (-i / 100)
                for i, bucket in enumerate(_buckets(lang, "small"))
                for w in bucket
            }
        except _UNREADABLE:
            import wordfreq

            return wordfreq.get_frequency_dict(lang, wordlist="small")

    return _once(("freq", lang), build)


# Rare words: the large list below the small list's cut (zipf 3 to 1), in four bands.
RARE_BAND = 50  # centibels per band


def rare_bands(lang: str) -> array:
    """The words of ``lang``'s large list below the small list's cut (zipf 3 to 1).

    650 000 Russian words as a dict would take ~130 MB; a sorted array of
    ``crc32(word) << 2 | band`` takes 5 MB and a bisect finds a word's band. A crc32
    collision (one unknown word in ~7 000) only makes an unknown word look rare.
    """

    def build() -> array:
        bins = frequency_buckets(lang, "large")  # bins[i]: 10^(-i/100)
        keys = [
            crc32(w.encode("utf-8")) << 2 | (i // RARE_BAND - 12)
            for i in range(600, min(len(bins), 800))
            for w in bins[i]
        ]
        keys.sort()
        return array("Q", keys)

    return _once(("rare", lang), build)


def rare_freq(lang: str, word: str) -> float:
    """Frequency of a rare ``lang`` word (its band's middle), 0.0 if the large list lacks it.

    >>> rare_freq("ru", "лужица") > 0, rare_freq("ru", "вясной")
    (True, 0.0)
    """
    keys = rare_bands(lang)
    key = crc32(word.encode("utf-8")) << 2
    i = bisect_left(keys, key)
    if i < len(keys) and keys[i] >> 2 == key >> 2:
        band = keys[i] & 3
        return 10.0 ** (-(600 + band * RARE_BAND + RARE_BAND / 2) / 100)
    return 0.0


# --------------------------------------------------------------------------- Russian plausibility

# Russian typography that is no letter (repair's tokens leave it out).
TYPOGRAPHY = "«»„“”‘’‚—–―‑…№°•·\u00a0\u202f\u2009"
# A token: a run of anything but spaces, digits, punctuation and that typography.
TOKEN = lazy_compile(f"[^\\s\\d.,:;!?()\\[\\]\"'%/{TYPOGRAPHY}-]+")
RUSSIAN_LETTER = lazy_compile(r"[а-яё]", re.IGNORECASE)
RUSSIAN_WORD = lazy_compile(f"[{RUSSIAN_LETTERS}]+")
_LETTER_WORD = lazy_compile(r"[^\W\d_]+")
_SPELLING_SAMPLE = 1 << 16  # characters a code-page choice looks at: bounded on huge inputs
_BIGRAM_FLOOR = math.log(1e-7)


def _bigrams() -> dict[str, float]:
    """Russian letter-bigram log-probabilities (built from wordfreq by ``build_tables``)."""

    def build() -> dict[str, float]:
        out = {}
        for line in (DATA / "repair" / "ru_bigrams.tsv").read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                k, v = line.split("\t")
                out[k] = float(v)
        return out

    return _once("bigrams", build)


def bad_case(text: str) -> bool:
    """Words cased like ``тТТ`` or ``иядК``: typical of a wrong decoding.

    One such word in four is tolerated: real names are cased so too ("РоПС").

    >>> bad_case("иядК тТТ"), bad_case("РоПС и его друзья в Москве")
    (True, False)
    """
    found = RUSSIAN_WORD.findall(text)
    bad = sum(not (w.islower() or w.isupper() or w.istitle()) for w in found)
    return bad > 0 and bad * 4 > len(found)


def russian_score(text: str, by: str = "bigrams") -> float:
    """How plausible ``text`` is as correctly decoded Russian (higher is better).

    Two measures, each kept for its caller (they are tuned apart and must not change):

    - ``by="bigrams"`` (mojibake repair): the mean log-probability per letter bigram as
      Russian; other letters score the floor; mis-cased words cost 4. Real Russian scores
      about -5.5, mojibake below -10. Digits, punctuation and Russian typography (``№``,
      ``«»``, dashes) are left out.
    - ``by="spelling"`` (choosing a code page; an int): per word, lowercase Russian letters
      and a capital at the start score; a capital after a lowercase letter (KOI8-R read
      as cp1251 gives ``ЛЧБТФЙТЕ``), non-Russian Cyrillic (cp1251 read as mac_cyrillic
      gives ``ѕо``) and words mixing Latin with Cyrillic (cp1252 ``Café`` read as cp1251
      gives ``Cafй``) cost. Latin text scores 0.

    >>> russian_score("серия № 5") > -7.5 > russian_score("ñåðèÿ ¹ 5")
    True
    >>> russian_score("в квартире", "spelling") > russian_score("ч ЛЧБТФЙТЕ", "spelling")
    True
    >>> russian_score("Café", "spelling") > russian_score("Cafй", "spelling")
    True
    """
    if by == "spelling":
        return _spelling_score(text)
    if by != "bigrams":
        raise ValueError(f"unknown measure {by!r}")
    toks = TOKEN.findall(text.lower())
    if not toks:
        score = _BIGRAM_FLOOR
    else:
        # All words in one string "^a$^b$": its bigrams are summed in C; the "$^" joints
        # (never in the table, so each at the floor) are taken out again.
        s = "^" + "$^".join(toks) + "$"
        joints = len(toks) - 1
        total = sum(map(_bigrams().get, map(operator.add, s, s[1:]), repeat(_BIGRAM_FLOOR)))
        score = (total - joints * _BIGRAM_FLOOR) / (len(s) - 1 - joints)
    return score - 4.0 if bad_case(text) else score


def _spelling_score(text: str) -> int:
    score = 0
    for word in _LETTER_WORD.findall(text[:_SPELLING_SAMPLE]):
        if word.isascii():
            continue
        cyr = sum(1 for ch in word if "\u0400" <= ch <= "\u04ff")  # CYRILLIC_BASIC
        if cyr and cyr < len(word):
            score -= 3
            continue
        prev_lower = False
        for i, ch in enumerate(word):
            if "а" <= ch <= "я" or ch == "ё":
                score += 1
            elif "А" <= ch <= "Я" or ch == "Ё":
                score += -1 if prev_lower else (1 if i == 0 else 0)
            elif not ch.isascii():
                score -= 2 if cyr else 0
            prev_lower = ch.islower()
    return score


# Plain lowercase words of a line, for the word-share reading of known_share.
_LATIN_PLAIN = lazy_compile(r"(?<![\w@./'’-])[a-z]{2,}(?![\w@/'’-]|\.\w)")
_RUSSIAN_PLAIN = lazy_compile(r"(?<![\w@./-])[а-яё]{2,}(?![\w@./-])")


def known_share(
    text: str,
    lang: str = "ru",
    min_zipf: float = 3.0,
    *,
    per: str = "letter",
    known: Container[str] | Callable[[str], bool] | None = None,
) -> float:
    """How much of ``text`` is words ``lang``'s word list knows (zipf >= ``min_zipf``).

    Two readings, each kept for its caller (they differ and their results must not change):

    - ``per="letter"`` (mojibake repair, Russian): the share of the Russian letters of
      ``text`` that are in tokens that are wholly Russian words wordfreq knows (ё may be
      written е); 0.0 without Russian letters. A token with any other symbol in it
      ("п╗п╟я┘") is no word. Word-level evidence for short runs, where letter bigrams say
      little: "Шах" is a word, "Øàõ" and "ыБИ" are not.
    - ``per="word"`` (fused words): the share of the plain lowercase words (Cyrillic for
      ``ru``, Latin otherwise; names, handles and numbers are not counted) that are
      known, one unknown excused; 1.0 under three words. ``known`` (a set, or a
      predicate) replaces the list's test when given.

    >>> known_share("Зайди, шах!"), known_share("ъБКДЙ"), known_share("©¤Ё")
    (1.0, 0.0, 0.0)
    >>> known_share("и в том числе вясной и на", per="word")
    1.0
    """
    if per == "word":
        found = (_RUSSIAN_PLAIN if lang == "ru" else _LATIN_PLAIN).findall(text)
        if len(found) < 3:
            return 1.0  # too few words to tell; the other guards still apply
        if known is None:
            table = zipf_table(lang, "small" if min_zipf >= 3.0 else "large")
            hits = sum(table.get(w, 0.0) >= min_zipf for w in found)
        elif callable(known):
            hits = sum(map(known, found))
        elif isinstance(known, AbstractSet):
            # One set difference (the repair dictionary answers it in C for its common
            # words), not a membership call per word.
            missing = set(found) - known
            hits = sum(w not in missing for w in found)
        else:
            hits = sum(w in known for w in found)
        return hits / (len(found) - 1)
    if per != "letter":
        raise ValueError(f"unknown reading {per!r}")
    table = zipf_table(lang, "small" if min_zipf >= 3.0 else "large")
    hit = total = 0
    for tok in TOKEN.findall(text):
        n = len(RUSSIAN_LETTER.findall(tok))
        total += n
        lw = tok.lower()
        # Listed at all: the small list holds nothing below zipf 3.
        if n == len(tok) and (table.get(lw) or table.get(lw.replace("ё", "е"))):
            hit += n
    return hit / total if total else 0.0
