"""Fused words: ``andeconomic`` → ``and economic``, ``inRussia`` → ``in Russia``.

Word frequencies come from wordfreq (a maintained multi-source word list), loaded
on first need. Guards, in order: only whole tokens of plain letters are looked at
(URLs, e-mails, handles like ``pin_code`` or ``rotkiv04`` and numbers with units
never are); capitalised tokens are never split (``Tokayev``, ``Novorossiysk``) but for
a known word run into a function word (``Ministryof``, ``InMoscow``) that no list knows whole;
a token wordfreq knows is split only when the words are far more likely than it;
combining forms and derivations stay whole (``geopolitician``, ``suggestor``,
``underfunded``); a token named as a website is a name.
Two content words with no function word (``economicsanctions``) are split only when
the token is unknown (or a rare hashtag spelling of a set phrase: ``socialmedia``), no
compound pattern fits (``fleetman``, ``workstream``) and there is evidence that the pair
is a phrase: endings or parts of speech (Brill's lexicon: adjective + noun, a verb
first, and noun + noun, as English's closed compounds of two common nouns are words
wordfreq knows), wordsegment's bigrams, or CMU Sphinx's news language model. A short
token, or one ending like a Russian case ending (``instrumenta``), must split into a
common English pair.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

from cleaners import langev
from cleaners.edit import Edit
from cleaners.langev import zipf_table
from cleaners.lazyre import lazy_compile
from cleaners.repair.engine import RULES, Param, make_edit, rule, with_defaults
from cleaners.repair.lexicon import (
    BIGRAMS,
    DICTIONARY,
    PHRASES,
    ZIPF3_TABLE,
    Dictionary,
    Phrases,
    SortedWords,
    common_words,
    guess_tag,
    pos_tag,
)
from cleaners.repair.tables import DATA, words

# A whitespace-delimited chunk, its core being letters only (leading/trailing punctuation
# allowed). Anything with digits, _, @, /, or inner dots is not a candidate.
_CHUNK = lazy_compile(r"(?<!\S)[(\[\"'«“‘]*(?P<core>[A-Za-z]+|[А-Яа-яЁё]+)[)\]\"'»”’.,;:!?]*(?!\S)")
_CAMEL = lazy_compile(r"^(?P<a>[a-z]{2,}|a)(?P<b>[A-Z][a-z]{2,})$")
# A token named as a site, app or hashtag is a name ("the stopcoronavirus website").
_NAMED_AS = lazy_compile(
    r"[\s\"'»”’]+(?:web ?site|site|portal|app|application|hashtag|channel|domain|platform)s?\b",
    re.IGNORECASE,
)


# ... or preceded by such a label right after an article ("the website lordfilms", "a
# channel «Dozhd»"; not "the official site quotedOvechkin", "sites isnamed": a verb follows).
_LABEL_BEFORE = lazy_compile(
    r"\b(?:the|a|an)[ \t]+(?:web ?site|site|portal|app|application|hashtag|channel|domain"
    r"|platform|service|brand|store|shop|online cinema)[ \t]+[\"'«“‘]*$",
    re.IGNORECASE,
)


# Candidates: lowercase words of 4+ letters, or camel case "inRussia" (whole words only).
# (Written with one leading letter rather than as an alternation: ~15 % faster to scan.)
_LOWER5 = lazy_compile(r"(?<!\w)[a-z](?:[a-z]{3,}|(?<=[abiot])[sntoyf]a)\b")
_CAMEL_ANY = lazy_compile(r"\b(?:[a-z]{2,}|a)[A-Z][a-z]{2,}\b")
# A superset of _CAMEL_ANY that starts at the (rare) capital: a quick scan to skip it.
_CAMEL_HINT = lazy_compile(r"[A-Z](?<=[a-z][A-Z])[a-z]{2}")
# A capitalised word of 3+ letters opening a sentence ("Thecity", "Inthe", "Asa"), after opening
# quotes or brackets: the text's first word, or one after a line break or a sentence's
# end. The next ones start with the sentence's end (a "^" alternative would be tried at
# every position): a full stop, scanned for as a plain character (~2.5x faster than a
# class), and the rarer ends, only in a text that holds one (no match spans two ends).
# Three letters split only as a two-letter function word and "a" ("Asa", "Ina") or as
# "I" and a verb ("Iam"): only those are matched (a clean text opens with many "The").
_START_WORD = r"(?P<w>[A-Z][a-z]{3,}|[A-Z][a-z]a|I[a-z]{2})\b"
_FIRST_CAP = lazy_compile(r"[ \t]*[\"'“«‘(]*" + _START_WORD)
_AFTER_END = r"(?:(?<=\n)[ \t]*|(?<!\n)[\"'”»’)]?[ \t]+)[\"'“«‘(]*" + _START_WORD
_NEXT_CAP_DOT = lazy_compile(r"\." + _AFTER_END)
_NEXT_CAP_RARE = lazy_compile(r"[!?…\n]" + _AFTER_END)


@lru_cache(maxsize=2)
def _keep_words(lang: str) -> SortedWords:
    # Searched, not hashed: a run asks it about a few words, far fewer than it holds.
    return SortedWords(DATA / "repair" / f"{lang}_keep_unsplit.txt")


@lru_cache(maxsize=2)
def _start_keep(lang: str) -> frozenset[str]:
    """Known words split lowercase but kept whole capitalised at a sentence start
    ("inman", "andover": names; ``build_tables``)."""
    path = DATA / "repair" / f"{lang}_start_keep.txt"
    if not path.exists():
        return frozenset()
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(w for w in lines if w and not w.startswith("#"))


@lru_cache(maxsize=2)
def _start_split(lang: str) -> dict[str, str]:
    """Common tokens (Zipf >= 3) that open a sentence as web typos of a function word's
    phrase ("Alot", "Ofcourse": ``build_tables``, from wordfreq and the language model,
    so that a first word never loads the model). ``{token: split}``."""
    path = DATA / "repair" / f"{lang}_start_split.txt"
    if not path.exists():
        return {}
    rows = path.read_text(encoding="utf-8").splitlines()
    return dict(row.split("\t", 1) for row in rows if row and not row.startswith("#"))


@lru_cache(maxsize=1)
def _ing_heads() -> frozenset[str]:
    """-ing forms that head closed compounds ("-keeping", "-washing"; ``build_tables``)."""
    path = DATA / "repair" / "en_ing_heads.txt"
    if not path.exists():
        return frozenset()
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(w for line in lines if not line.startswith("#") for w in line.split())


@lru_cache(maxsize=4)
def _zipfs(lang: str, size: str) -> dict[str, float]:
    """wordfreq's ``size`` ("small": Zipf >= 3, "large": >= 1) list as ``{word: zipf}``
    (``cleaners.langev``). The small English list is shipped as a plain table
    (``build_tables``), read by ``lexicon`` as it also answers for the dictionary: faster.
    """
    if size == "small" and lang == "en" and ZIPF3_TABLE.exists():
        return common_words()[0]
    return zipf_table(lang, size)


def dictionary_words() -> Dictionary:
    """English dictionary words (wordsegment's word list): these are never split.

    wordfreq counts web text, so it also knows frequent typos ("ofthe", "inthe");
    a curated word list tells a rare real word ("therein", "atone") from a fusion.
    Empty if wordsegment is not installed (wordfreq alone then decides). A read-only
    set that is cheap to start (see ``lexicon``): ``words - dictionary_words()`` and
    ``word in dictionary_words()`` work as on a frozenset.
    """
    return DICTIONARY


def zipf(word: str, lang: str, min_needed: float = 0.0) -> float:
    """wordfreq's Zipf value (log10 per billion words) of a lowercase word; 0 if unknown.

    With ``min_needed >= 3`` the small list answers (an answer below 3 reads as 0).

    >>> zipf("economic", "en") > 4.5, zipf("andeconomic", "en")
    (True, 0.0)
    """
    return _zipfs(lang, "small" if min_needed >= 3.0 else "large").get(word, 0.0)


def _part_ok(part: str, lang: str, min_zipf: float) -> float | None:
    if len(part) <= 2:
        return zipf(part, lang, 3.0) if part in words("short_words.txt", lang) else None
    z = zipf(part, lang, min_zipf)
    # Three-letter scraps ("ign", "lin", "wan") are web noise unless really common.
    if len(part) == 3:
        return z if z >= min_zipf + 1.0 else None  # "ign", "lin", "wan": web noise
    if z >= min_zipf:
        return z
    # A long dictionary word is a word even if rare ("a" + "microscopist").
    if len(part) >= 6 and lang == "en" and part in dictionary_words():
        return 2.0
    return None


def _strong_head(head: str, lang: str, min_zipf: float) -> bool:
    """A word that can carry a trailing function word: common, or long and in the dictionary."""
    if zipf(head, lang, 3.0) >= min_zipf:
        return True
    return len(head) >= 6 and (zipf(head, lang, 3.0) >= 3.0 or head in dictionary_words())


def segment(core: str, lang: str, min_zipf: float, max_parts: int = 3) -> tuple[list[str], float]:
    """Best split of a lowercase ``core`` into known words, maximising the product of
    their probabilities; returns ``([], -inf)`` when none exists.

    >>> segment("andeconomic", "en", 3.0)[0]
    ['and', 'economic']
    """
    n = len(core)
    # best[i] = (score, parts) for core[:i]; score = sum(zipf - 9), log10 probability.
    best: list[tuple[float, list[str]] | None] = [None] * (n + 1)
    best[0] = (0.0, [])
    for i in range(1, n + 1):
        for j in range(max(0, i - 30), i):
            prev = best[j]
            if prev is None or len(prev[1]) >= max_parts or j == 0 and i == n:
                continue  # the whole token is weighed against its split by the caller
            z = _part_ok(core[j:i], lang, min_zipf)
            if z is None:
                continue
            cand = (prev[0] + z - 9.0, [*prev[1], core[j:i]])
            if best[i] is None or cand[0] > best[i][0]:
                best[i] = cand
    end = best[n]
    if end is None or len(end[1]) < 2:
        return [], -math.inf
    # A one- or two-letter word at the end ("presenceof", "havea") follows a common word;
    # else it is a rare word's ending ("franca|s", "cell|a").
    tail, head = end[1][-1], end[1][-2]
    # No English word ends in "of" but a handful the dictionary has ("thereof", "roof").
    need = 5.0 if tail in ("a", "an") else 3.0 if tail == "of" else 4.0
    if len(tail) <= 2 and not _strong_head(head, lang, need):
        # A verb takes an article ("spenda", "weara"), and any English word a short
        # function word ("rainsin", "aidedby"), a notch less common.
        tag = pos_tag(head) if lang == "en" else None
        if tag is None or tail in ("a", "an") and tag not in _VERB:
            return [], -math.inf
        if not _strong_head(head, lang, need - 1.0 if tail in ("a", "an") else need - 0.5):
            return [], -math.inf
    # Three words from one token is a long shot: only with common words, none of one letter.
    if len(end[1]) > 2 and any(
        len(p) < 3 or zipf(p, lang, min_zipf) < min_zipf + 1.0 for p in end[1]
    ):
        return [], -math.inf
    return end[1], end[0]


def _cuts_prefix(core: str, cut: int, lang: str) -> bool:
    """Whether a split at ``cut`` falls inside a combining form of 4+ letters that starts
    ``core`` ("metaversive": "met|aversive" cuts "meta-")."""
    return any(
        len(p) >= 4 and len(p) > cut and core.startswith(p) for p in words("prefixes.txt", lang)
    )


def _cuts_ending(core: str, cut: int, lang: str) -> bool:
    """Whether a split at ``cut`` falls inside a word-building ending of 5+ letters that
    ends ``core`` ("macroscopy": "macros|copy" cuts "-scopy"; "-ology", "-ation")."""
    return any(
        len(e) >= 5 and core.endswith(e) and cut > len(core) - len(e) >= 3
        for e in words("suffixes.txt", lang)
    )


def _beside_function_word(core: str) -> tuple[list[str], float]:
    """A function word and a rare dictionary word of 6+ letters, the one split of
    ``core`` that gives them ("theordeals", "ordealsof", "astopover"): ``segment`` wants
    common words, and a rare word is what a function word most often runs into in
    technical text. Shorter rare words are what transliterated Russian splits into
    ("dostupa": "do stupa"). ``([], -inf)`` if there is none or more than one. The score
    counts the rare word at Zipf 2 (a known token stays whole unless far rarer).
    """
    fn = words("function_words.txt", "en")
    found = []
    for i in range(1, min(6, len(core) - 4)):
        head, rest = core[:i], core[i:]
        if head in fn and len(rest) >= 6 and rest in dictionary_words():
            found.append([head, rest])
        head, tail = core[: len(core) - i], core[len(core) - i :]
        # "a", "am", "no" after a word are too often a Russian case ending ("instrumenta").
        if (
            i > 1
            and len(head) >= 6
            and tail in fn
            and tail not in _INFLECTION_TAILS
            and head in dictionary_words()
        ):
            found.append([head, tail])
    if len(found) != 1:
        return [], -math.inf
    return found[0], zipf(min(found[0], key=len), "en", 3.0) + 2.0 - 18.0


def known_share(line: str, lang: str, min_zipf: float = 3.0) -> float:
    """Share of the line's plain lowercase words that ``lang`` knows, one unknown excused
    (``langev.known_share`` per word; English words are looked up in the dictionary).

    A fused word is only split inside text of its language: a Portuguese or
    Lithuanian line in an English document has many "unknown" words that split.
    Names, handles and numbers are not counted.

    >>> known_share("trade andeconomic and investment projects, Tokayev, pin_code", "en")
    1.0
    >>> known_share("Con il corpo e lo spirito ammaccato, come se nel cuore", "en") < 0.6
    True
    """
    if lang == "en" and dictionary_words():
        # wordfreq's web counts know "il", "se", "nel": the dictionary tells languages apart.
        return langev.known_share(line, lang, per="word", known=dictionary_words())
    return langev.known_share(
        line, lang, per="word", known=lambda w: zipf(w, lang, min_zipf) >= min_zipf
    )


# Endings that, after a doubled consonant, make a derivation: "drug|gable" is "druggable".
_DOUBLED = ("able", "ing", "er", "ers", "ed", "est", "y", "ie", "ies")


def content_pair(parts: list[str], lang: str, min_zipf: float = 3.5) -> bool:
    """Whether two content words read as a fusion, not as a compound or a derivation.

    Two parts only, each of 3+ letters and common; no compound head or modifier
    (``compound_parts.txt``); not a doubled-consonant derivation; and grammar that
    makes the two a phrase or the two a common English phrase (see ``_evidence``).

    >>> content_pair(["economic", "sanctions"], "en"), content_pair(["fleet", "man"], "en")
    (True, False)
    >>> [content_pair(p.split(), "en") for p in ("drug gable", "sight running", "stop covid")]
    [False, False, False]
    >>> content_pair(["currently", "working"], "en")
    True
    """
    return _content_shape(parts, lang, min_zipf) and _evidence(parts, "".join(parts), True, lang)


# Closed compounds are made of short words: of the noun + noun compounds wordfreq knows
# (the keep list), 28 % have 8 letters or fewer and the median 9; of two nouns run
# together in dev text (bench/repair.py's cases), 2 % have 8 or fewer. Likewise for
# any content pair grammar vouches for (40 % against 6 %), and for pairs of less common
# words (53 % against 25 %): a shorter token needs a phrase list or the language model.
NOUN_PAIR_MIN_LEN = 9


def _content_shape(parts: list[str], lang: str, min_zipf: float) -> bool:
    """``content_pair`` without the evidence (which may ask the phrase list).

    A pair the language model holds as a set phrase passes with less common parts or a
    compound part ("sorethroat", "sickperson", "muscleaches"): chance letter runs and
    new compounds do not make set phrases ("diploma tom", "fleet man").
    """
    if len(parts) != 2:
        return False
    a, b = parts
    if a == "go" and lang == "en":
        return _go_phrase(b, lang)
    if len(a) < 3 or len(b) < 3:
        return False
    table = words("compound_parts.txt", lang)
    if f"{a}-" in table:
        return False  # a modifier that makes names and campaigns ("stopcoronavirus")
    head = f"-{b}" in table and not (
        b in _ADJ_PHRASE_HEADS and pos_tag(a) in _ADJ or b in _PEOPLE and pos_tag(a) in _VERB
    )
    plain = not head and not (b[0] == a[-1] and b[1:] in _DOUBLED)
    if plain and _common(a, lang, min_zipf) and _common(b, lang, min_zipf):
        return True
    if plain and _long_beside_short(a, b, lang):
        return True
    if (
        plain
        and len(a) + len(b) >= NOUN_PAIR_MIN_LEN
        and _vouched(a, lang)
        and _vouched(b, lang)
        and _tagged_phrase(a, b)
    ):
        return True  # grammar vouches for less common words ("needlefloats", "regionbuys")
    return _set_phrase(a, b, lang) or plain and _listed_phrase(a, b, lang)


# A part this long is no chance letter run, so the short word beside it may be as rare
# as grammar's split allows (``_vouched``: "researchersaim", "manufacturingkits",
# "circumstancesbats"); a transliterated Russian word rarely holds a long English one.
LONG_PART_LEN = 9  # Zipf 4 as well: a rare long word is a transliteration's ("imperators|kim")


def _long_beside_short(a: str, b: str, lang: str) -> bool:
    """Whether one part is a long common word and the other a vouched one.

    >>> _long_beside_short("researchers", "aim", "en"), _long_beside_short("diploma", "tom", "en")
    (True, False)
    """
    long_, short = (a, b) if len(a) >= len(b) else (b, a)
    return len(long_) >= LONG_PART_LEN and zipf(long_, lang, 3.0) >= 4.0 and _vouched(short, lang)


def _go_phrase(b: str, lang: str) -> bool:
    """Whether "go" and ``b`` make a phrase: "go" takes an -ing form or an adverb
    ("goswimming", "gooutdoors") or a common pair follows it ("go shopping"); the word
    of 5+ letters and vouched (transliterated "gorod", "golos" leave short scraps).

    >>> _go_phrase("swimming", "en"), _go_phrase("rod", "en"), _go_phrase("vorit", "en")
    (True, False, False)
    """
    if len(b) < 5 or not _vouched(b, lang):
        return False
    tag = guess_tag(b)
    return tag == "VBG" or tag in _ADV or f"go {b}" in phrases()


# Heads naming people make compounds with a noun or verb before them ("salesperson",
# "townspeople"); after an adjective they make a phrase ("healthy people"): the few
# adjective compounds ("madman", "gentlefolk") are words wordfreq knows.
_PERSON_HEADS = frozenset(("man", "men", "woman", "women", "person", "persons", "people", "folk"))
# After a verb, "people" and "person" make a phrase ("helppeople", "knownperson"): the
# compounds are of a noun ("townspeople", "salesperson") and wordfreq knows them.
_PEOPLE = frozenset(("people", "person", "persons"))
# Likewise the heads site and shop names are coined with ("lordfilms", "lostfilms": a noun
# or a verb first) after an adjective ("newfilm", "bigstore": phrases).
_ADJ_PHRASE_HEADS = _PERSON_HEADS | frozenset(
    ("film", "films", "shop", "shops", "store", "stores", "soft", "tech", "pay", "mart")
)


# How strongly the language model must bind two words (log10 P(b|a)/P(b)) to stand for
# a set phrase, and how much likelier than the fused spelling the phrase must be before
# a token wordfreq knows is split ("socialmedia", "bloodpressure": hashtags wordfreq counts).
SET_PHRASE_ASSOC = 1.0
# How strongly it must bind a short token's function word and word ("lendme", "adrone"):
# chance letter runs of transliterated Russian bind less ("sobrat": "so brat" -0.9).
FN_PHRASE_ASSOC = 0.5
RELEASE_MARGIN = 1.0


def _set_phrase(a: str, b: str, lang: str) -> bool:
    """Whether the language model binds two common words as a set phrase."""
    if lang != "en":
        return False
    za, zb = zipf(a, lang, 3.0), zipf(b, lang, 3.0)
    if min(za, zb) < 3.0 or len(a) == 3 and za < 4.5 or len(b) == 3 and zb < 4.5:
        return False  # three-letter words are what chance letter runs make most
    assoc = BIGRAMS.association(a, b)
    return assoc is not None and assoc >= SET_PHRASE_ASSOC


# A three-letter word in a pair that wordsegment's phrase list holds and the language
# model binds as a set phrase may be this common (Zipf): two sources agreeing on it are
# no chance letter run ("totalsum", "skiarea", "redpen"; ``_set_phrase`` asks 4.5).
LISTED_PHRASE_ZIPF_3 = 4.0


def _listed_phrase(a: str, b: str, lang: str) -> bool:
    """Whether two words, a three-letter one among them, are a listed set phrase.

    >>> _listed_phrase("total", "sum", "en"), _listed_phrase("diploma", "tom", "en")
    (True, False)
    """
    if lang != "en" or min(len(a), len(b)) != 3:
        return False
    za, zb = zipf(a, lang, 3.0), zipf(b, lang, 3.0)
    if (
        min(za, zb) < 3.0
        or min(z for p, z in ((a, za), (b, zb)) if len(p) == 3) < LISTED_PHRASE_ZIPF_3
    ):
        return False
    return f"{a} {b}" in phrases() and _set_phrase_any(a, b)


def _set_phrase_any(a: str, b: str) -> bool:
    """Whether the language model binds two words as a set phrase, however common."""
    assoc = BIGRAMS.association(a, b)
    return assoc is not None and assoc >= SET_PHRASE_ASSOC


def _phrase_outnumbers(parts: list[str], zc: float, lang: str) -> bool:
    """Whether a known token is far rarer than its parts as a set phrase: wordfreq
    counts hashtags and typos ("socialmedia", "atleast"), so a known token can be a fusion."""
    if len(parts) != 2 or not _set_phrase(*parts, lang):
        return False
    phrase = BIGRAMS.phrase_zipf(*parts)
    return phrase is not None and phrase >= zc + RELEASE_MARGIN


def _evidence(
    parts: list[str], core: str, content: bool, lang: str, assoc_min: float = 0.2
) -> bool:
    """The last test of a split, as it may ask the phrase list (a file search).

    Two content words need grammar that makes them a phrase or to be a common English
    phrase: real MT rarely runs two content words together, and its rare tokens are new
    compounds whose parts are words ("fleetman", "sightrunning"). A short token (of
    content words: under ``NOUN_PAIR_MIN_LEN`` letters), or one ending in a Russian case
    ending, must split into a common English pair: chance splits it otherwise ("sobrat",
    "instrumenta"), and closed compounds are short. A common pair is one in
    wordsegment's phrase list or one the news language model binds (``assoc_min``,
    log10 P(b|a)/P(b); a set phrase before a case ending).
    """
    if lang != "en":
        return True
    if content and (_common_pair(parts, lang) or _long_pair(parts, lang)):
        return True
    short = len(core) < NOUN_PAIR_MIN_LEN if content else len(core) <= 6 or _short_rare(parts)
    need_phrase = parts[-1] in _INFLECTION_TAILS or short
    if content and not need_phrase:
        a, b = parts
        if _phrase_form(a, b, lang) or _tagged_phrase(a, b) or _noun_pair(a, b):
            return True
    if content or need_phrase:
        if " ".join(parts[-2:]) in phrases():
            return True
        assoc = BIGRAMS.association(parts[-2], parts[-1])
        if content:
            need = assoc_min
        else:  # Russian case endings ask for a set phrase ("instrumenta")
            need = SET_PHRASE_ASSOC if parts[-1] in _INFLECTION_TAILS else FN_PHRASE_ASSOC
        return assoc is not None and assoc >= need
    return True


# Two content words this common (Zipf, each) are evidence enough, however short the token
# and whatever their parts of speech ("gotpain", "manhit", "fatherknow"): ``_evidence``
# is asked only of tokens wordfreq's large list does not know, and chance letter runs
# (transliterated Russian: "sobrat", "diplomatom") make rarer words. 3 letters make
# most chance runs: they must be commoner still.
COMMON_PAIR_ZIPF = 5.0
COMMON_PAIR_ZIPF_3 = 5.5


def _common_pair(parts: list[str], lang: str) -> bool:
    """Whether two content words are both very common (``COMMON_PAIR_ZIPF``).

    >>> _common_pair(["got", "pain"], "en"), _common_pair(["diploma", "tom"], "en")
    (True, False)
    >>> _common_pair(["one", "crew"], "en"), _common_pair(["one", "gin"], "en")
    (True, False)
    """
    if lang != "en" or len(parts) != 2 or parts[1] in _ing_heads():
        return False  # "firerunning": "-running" heads compounds ("gunrunning")
    if parts[0] == "one":
        # A number, as "two" to "twelve" (function words) are; not listed with them as
        # "one" opens words ("oneself", "onerous": known, kept before this is asked).
        return len(parts[1]) >= 3 and _vouched(parts[1], lang)
    return all(
        len(p) >= 3
        and zipf(p, lang, 3.0) >= (COMMON_PAIR_ZIPF_3 if len(p) == 3 else COMMON_PAIR_ZIPF)
        for p in parts
    )


# In a token this long, two words of 4+ letters this common (Zipf) are evidence enough
# whatever their parts of speech, save a noun before a bare verb ("intermediatefinish",
# "lessunderstands"; not "documentforget"): closed compounds that long are words wordfreq
# knows (kept before this is asked), and transliterated words do not split into two
# long English words.
LONG_PAIR_MIN_LEN = 12
LONG_PAIR_ZIPF = 3.5


def _long_pair(parts: list[str], lang: str) -> bool:
    """Whether a long token splits into two common words of 4+ letters (``LONG_PAIR_ZIPF``).

    >>> _long_pair(["intermediate", "finish"], "en"), _long_pair(["fire", "fighting"], "en")
    (True, False)
    """
    if lang != "en" or len(parts) != 2 or len("".join(parts)) < LONG_PAIR_MIN_LEN:
        return False
    if parts[1] in _ing_heads():
        return False  # "-fighting", "-keeping" head compounds
    if guess_tag(parts[0]) in _NOUN and guess_tag(parts[1]) == "VB":
        return False  # a noun before a bare verb is no phrase ("documentforget")
    return all(len(p) >= 4 and zipf(p, lang, 3.0) >= LONG_PAIR_ZIPF for p in parts)


# A content word of 4 letters or fewer that is this rare (Zipf) beside a function word is
# as likely a longer word's letters ("herbane": "her bane"; "kiloof" is "kilo of" only as
# the model binds the pair). In dev cases, the only true split it costs has that evidence.
SHORT_RARE_ZIPF = 3.5


def _short_rare(parts: list[str]) -> bool:
    """Whether a function word's split leaves a short, rare content word ("her|bane")."""
    fn = words("function_words.txt", "en")
    return any(p not in fn and len(p) <= 4 and zipf(p, "en", 3.0) < SHORT_RARE_ZIPF for p in parts)


def _stem_of(word: str, ending: str, lang: str) -> bool:
    """Whether ``word`` is a common word (Zipf >= 3.5, 4+ letters) plus ``ending``
    ("reported" = "report" + "ed", "located" = "locate" + "d", "easily" = "easy" + "ly")."""
    if not word.endswith(ending) or len(word) < len(ending) + 4:
        return False
    stem = word[: -len(ending)]
    cands = {stem, stem + "e", stem[:-1] + "y" if stem.endswith("i") else stem}
    if len(stem) > 4 and stem[-1] == stem[-2]:
        cands.add(stem[:-1])  # "stopped", "planned"
    return any(len(c) >= 4 and zipf(c, lang, 3.0) >= 3.5 for c in cands)


# Adjective endings: an adjective before a noun is a phrase ("psychologicalsupport",
# "respiratorysupport"). Not -ent/-ant: they end as many nouns ("parentline").
_ADJECTIVE = ("al", "ic", "ous", "ive", "able", "ible", "ful", "ary", "ory")


def _phrase_form(a: str, b: str, lang: str) -> bool:
    """Grammar that makes two words a phrase, never a closed compound: an adverb in -ly
    first ("currentlyworking"), a participle first ("reportedregarding",
    "transmittingmicroorganisms"), a plural first ("shoesfit"), or a past tense second
    ("surveyshowed").

    >>> _phrase_form("originally", "founded", "en"), _phrase_form("fleet", "man", "en")
    (True, False)
    """
    return (
        any(_stem_of(a, end, lang) for end in ("ly", "ed", "d", "ing", "s"))
        and not a.endswith("ss")
        or len(a) >= 6
        and a.endswith(_ADJECTIVE)
        or _stem_of(b, "ed", lang)
        or _stem_of(b, "d", lang)
    )


_ADJ = frozenset(("JJ", "JJR", "JJS"))
_ADV = frozenset(("RB", "RBR", "RBS"))
_VERB = frozenset(("VB", "VBP", "VBZ", "VBD", "VBN", "VBG"))
_NOUN = frozenset(("NN", "NNS"))
_FINITE = frozenset(("VBD", "VBZ", "VBP"))
# Closed classes the function-word table may lack ("amidst", "whatever", "cannot").
_CLOSED = frozenset(("IN", "DT", "PDT", "PRP", "PRP$", "WDT", "WP", "WP$", "WRB", "MD", "CC", "TO"))


def _tagged_phrase(a: str, b: str) -> bool:
    """Parts of speech that make two words a phrase, read from Brill's lexicon (each
    word's most frequent tag; an unlisted word's guessed from its ending): an adverb on
    either side ("oftenparallel", "hurtlater"), an adjective before a noun or adjective
    ("significantsymptoms"), a verb first ("becomepathogenic", "expecttemperatures"), a
    closed-class word on either side, or a noun before a finite verb or an adjective
    ("truckfell"). Noun + noun is ``_noun_pair``'s, which asks for commoner parts.

    >>> _tagged_phrase("significant", "symptoms"), _tagged_phrase("wind", "house")
    (True, False)
    """
    ta, tb = guess_tag(a), guess_tag(b)
    if ta in _ADV or tb in _ADV or ta in _VERB or ta in _CLOSED or tb in _CLOSED:
        return True
    if ta in _ADJ:
        return tb in _NOUN or tb in _ADJ
    # A noun before a finite verb or an adjective ("virusresponsible"): English builds
    # noun + adjective compounds with a few heads only, listed in compound_parts.txt.
    # A past participle counts too ("vehicleoverturned", "policeused"; Brill's most
    # frequent tag of "used", "caught"): the noun + participle compounds ("handmade",
    # "airborne") are words wordfreq knows, and those are kept before this is asked.
    return ta in _NOUN and (tb in _FINITE or tb == "VBN" or tb in _ADJ)


def _noun_pair(a: str, b: str) -> bool:
    """Two nouns, a plural before a plain verb, or a noun before an -ing form that heads
    no compounds wordfreq knows, that no table calls a compound ("exposurerisk",
    "childrenknow", "illnessrequiring"; not "sightrunning": "gunrunning"). Asked only of
    a token wordfreq does not know at all: English closed compounds of two common nouns
    are in its lists ("lifeguard"), and the compound heads and modifiers MT coins with
    are listed apart ("fleetman"). ``_evidence`` asks it only of tokens of
    ``NOUN_PAIR_MIN_LEN`` letters or more: a shorter one is more often a compound.
    A word Brill's 1990s lexicon lacks is tagged by its ending (``guess_tag``).
    """
    ta, tb = guess_tag(a), guess_tag(b)
    if ta in _NOUN and tb == "VBG":
        # "illnessrequiring"; "firefighting" is a compound, but its modifier is singular:
        # a plural before the head is a phrase ("studiesgoing", "festivitiesmarking").
        return b not in _ing_heads() or ta == "NNS" and not a.endswith("ss")
    return ta in _NOUN and (tb in _NOUN or ta == "NNS" and tb in ("VB", "VBP"))


_INFLECTED = frozenset(("NNS", "VBD", "VBN", "VBG", "VBZ"))


# Endings of the person nouns "-ship" derives from ("leader", "sponsor", "artist",
# "guardian", "tenant", "resident", "chairman", "trustee", "ally").
_SHIP_STEM_ENDINGS = ("er", "or", "ist", "ian", "ant", "ent", "man", "ee", "y")


def _takes_suffix(stem: str, suffix: str) -> bool:
    """Whether ``stem`` + ``suffix`` can be one derived word: no derivational suffix but
    -ly and -ness follows a plural or an inflected verb ("problemslike", "barsor",
    "cancelledor" are fusions), and no agent noun is made of a mere adjective or noun
    ("pregnantor", "treatmentor"; "presentor" is one, as "presenter" is a word).
    Unlisted stems keep the suffix reading ("suggestor", "kremlinlike").

    >>> _takes_suffix("suggest", "or"), _takes_suffix("brothers", "or")
    (True, False)
    >>> _takes_suffix("landing", "ship"), _takes_suffix("meaning", "less")
    (False, True)
    >>> _takes_suffix("patrol", "ship"), _takes_suffix("vlogger", "ship")
    (False, True)
    """
    tag = pos_tag(stem)
    if tag in _INFLECTED:
        return suffix in ("ly", "ness", "ally")
    if tag in _ADV and _stem_of(stem, "ly", "en"):
        return False  # an adverb in -ly ends a word: "barelymade" is "barely made"
    if suffix in ("ship", "hood") and stem.endswith("ing") and _stem_of(stem, "ing", "en"):
        # An -ing form Brill tags as a noun ("landing", "sailing") is still one: no
        # -ship or -hood follows it ("landingship" is a landing ship).
        return False
    if suffix == "ship" and not stem.endswith(_SHIP_STEM_ENDINGS):
        # "-ship" derivations wordfreq lacks are of people ("vloggership"); its others are
        # known words, kept before this is asked ("hardship", "kinship", "township").
        return False  # "patrolship", "combatship": a patrol ship
    if (tag in _ADJ or tag in _NOUN) and suffix in ("or", "ors"):
        # Agent nouns come of verbs: a noun or adjective that is also a verb has them
        # ("presentor", "exportor": "presenter", "exporter"); "treatmentor" is a fusion.
        agent = stem + ("r" if stem.endswith("e") else "er")
        return zipf(agent, "en", 3.0) >= 3.0
    return True


def phrases() -> Phrases:
    """Common English two-word phrases (wordsegment's bigrams: 100,000+ web occurrences).

    Answers ``in`` without hashing the whole list at start-up (see ``lexicon``).

    >>> "economic sanctions" in phrases(), "fleet man" in phrases()
    (True, False)
    """
    return PHRASES


def _camel_head(word: str, lang: str) -> bool:
    """A content word fit to stand before a capitalised one ("racerXavier", "ranLinda"):
    a dictionary word, the shorter the commoner. A lowercase word run into a capital
    is itself the sign of a fusion, so the word need not be as common as ``_common`` asks;
    the brands this shape makes are the ones wordfreq knows ("coinBase")."""
    if len(word) < 3:
        return False  # "al", "el", "la" before a name are particles of it
    if len(word) <= 4:  # three letters as _common asks: "van", "von", "del" start names
        return zipf(word, lang, 3.0) >= (5.0 if len(word) == 3 else 3.0)
    return _common(word, lang, 3.5) or lang == "en" and word in dictionary_words()


def _vouched(part: str, lang: str) -> bool:
    """A part fit for a split that grammar vouches for: a notch less common than
    ``_common`` asks (3 letters: Zipf 4.5, 4 letters: 3.5, longer: 3)."""
    if len(part) <= 4:
        return zipf(part, lang, 3.0) >= (4.5 if len(part) == 3 else 3.5)
    return _common(part, lang, 3.0)


def _common(part: str, lang: str, min_zipf: float) -> bool:
    """A part fit for a content+content split: the shorter, the commoner it must be.

    Short parts are what chance letter runs make of other words (a transliterated
    "diplomatom" is "diploma tom", "shestoy" "shes toy"); a long word counts even if
    rare ("zoonotic", "chamomile", "coronavirus").
    """
    z = zipf(part, lang, 3.0)
    if len(part) <= 4:
        return z >= max(min_zipf, 8.0 - len(part))  # 3 letters: 5.0, 4 letters: 4.0
    if z >= min_zipf:
        return True
    # Long words are no chance letter runs: in the dictionary or on wordfreq's small list
    # (words newer than the dictionary: "coronavirus").
    return len(part) >= 6 and (z >= 3.0 or lang == "en" and part in dictionary_words())


# Trailing words that are also Russian case endings of transliterated loanwords
# ("instrumenta", "studentam", "normalno"): split off only where English has the pair.
_INFLECTION_TAILS = frozenset(("a", "am", "no"))
# Words "a" follows in running text; three letters "isa", "ina", "bya" are such a word
# and "a" run together (other three-letter tokens are too often names or acronyms).
_BEFORE_A = frozenset(("as", "at", "be", "by", "in", "is", "of", "on", "to"))


def _fused_a(core: str) -> bool:
    return core[2] == "a" and core[:2] in _BEFORE_A and core not in dictionary_words()


# The parameters that decide how one token splits (``min_known_share`` is per line).
_SEGMENT_PARAMS = (
    "min_zipf",
    "known_zipf",
    "margin",
    "content_pairs",
    "content_zipf",
    "phrase_assoc",
)


def split_fused(core: str, lang: str, params: Mapping[str, Any]) -> str | None:
    """The repaired form of one token, or None to leave it alone.

    >>> split_fused("andeconomic", "en", {})
    'and economic'
    >>> split_fused("inRussia", "en", {})
    'in Russia'
    >>> [split_fused(w, "en", {}) for w in ("Tokayev", "Novorossiysk", "ukram", "economic")]
    [None, None, None, None]
    """
    return _split_fused(core, lang, *_segment_args(params)[:7])


def _segment_args(params: Mapping[str, Any]) -> tuple[Any, ...]:
    """The parameters as ``_split_fused`` takes them (hashable), plus
    ``start_known_zipf``; remembered for the last mapping asked (a plan passes the
    same one for every text)."""
    last = _LAST_ARGS[0]
    if last is not None and last[0] is params:
        return last[1]
    args = _read_args(params)
    _LAST_ARGS[0] = (params, args)
    return args


_LAST_ARGS: list[tuple[Mapping[str, Any], tuple[Any, ...]] | None] = [None]


def _read_args(params: Mapping[str, Any]) -> tuple[Any, ...]:
    p = with_defaults("split_fused_words", params)
    # The tables build_tables precomputes hold for the default parameters only.
    declared = RULES["split_fused_words"].params
    default = all(p[k] == declared[k].default for k in _SEGMENT_PARAMS)
    return (
        float(p["min_zipf"]),
        bool(p["content_pairs"]),
        float(p["content_zipf"]),
        float(p["known_zipf"]),
        float(p["margin"]),
        float(p["phrase_assoc"]),
        default,
        float(p["start_known_zipf"]),
    )


@lru_cache(maxsize=8192)
def _split_fused(
    core: str,
    lang: str,
    min_zipf: float,
    content_pairs: bool,
    content_zipf: float,
    known: float,
    margin: float,
    assoc: float,
    default: bool,
) -> str | None:
    """``split_fused`` with its parameters read; cached, as MT repeats its unknown words
    ("coronavirus" on 300 lines of 10,000) and segmenting one costs far more than a line."""
    fn = words("function_words.txt", lang)
    m = _CAMEL.match(core)
    if m:
        a, b = m.group("a"), m.group("b")
        if a in words("prefixes.txt", lang):
            return None  # "bioRxiv", "geoJSON": a combining form, not a word
        if _part_ok(a, lang, min_zipf) is None and (a in fn or not _camel_head(a, lang)):
            return None
        # iPhone-like brands wordfreq knows well; two function words are web typos ("ofThe").
        if zipf(core.lower(), lang, 3.0) >= 3.0 and not (a in fn and b.lower() in fn):
            return None
        if a not in fn:
            # After a content word, camel case is as often a brand ("aliExpress",
            # "coinBase") or a garbled word ("writeEte") as a fusion: the content word must
            # be a word, a 3-letter tail a word, and two common words no brand wordfreq
            # knows (its large list, loaded only then: names after a word are the usual case).
            if not _camel_head(a, lang) or len(b) == 3 and zipf(b.lower(), lang, 3.0) < 3.0:
                return None
            if zipf(b.lower(), lang, 3.0) >= 4.0 and zipf(core.lower(), lang) >= known:
                return None
        return f"{a} {b}"
    if not core.islower() or len(core) < 3 or len(core) == 3 and not _fused_a(core):
        return None
    if lang == "en" and core in dictionary_words():
        return None
    parts, score = segment(core, lang, min_zipf)
    if not parts and lang == "en":
        parts, score = _beside_function_word(core)
        if not parts and content_pairs and default:
            return rare_content_pair(core, lang)
    if not parts:
        return None
    content = not any(p in fn for p in parts)
    if content and not content_pairs:
        return None
    if len(parts) == 2 and f"{parts[0]}-" in words("compound_parts.txt", lang):
        # "stopcoronavirus" is a name; "underfunded", "overpriced" (a participle after a
        # particle) compounds; "overthe", "underfingernails" fusions.
        a, b = parts
        if b not in fn and (a not in fn or any(_stem_of(b, e, lang) for e in ("ed", "d", "ing"))):
            return None
    # "geopolitician", "kremlinlike": a combining form makes a compound, not a fusion
    # (unless it follows a very common word: "beenmade", "islike" are fusions).
    if parts[0] in words("prefixes.txt", lang):
        return None
    if parts[0] not in fn and _cuts_prefix(core, len(parts[0]), lang):
        return None  # "met|aversive" cuts "meta-"; "a|grocery" is a function word's fusion
    if content and _cuts_ending(core, len(core) - len(parts[-1]), lang):
        return None  # "macros|copy" cuts "-scopy": a derivation
    if (
        parts[-1] in words("suffixes.txt", lang)
        and zipf(parts[-2], lang, 3.0) < 5.5
        and _takes_suffix(parts[-2], parts[-1])
    ):
        return None
    if default and lang == "en":
        # Precomputed from wordfreq's large list by build_tables for the default
        # parameters: the rare web words that look fused but are not clearly so, and
        # every known word (Zipf >= 1) that would split into two content words.
        zs = zipf(core, lang, 3.0)
        if core in _keep_words(lang):
            return None
        if zs >= 3.0 and (
            content or score + 9.0 < zs + margin and not _phrase_outnumbers(parts, zs, lang)
        ):
            return None
        if content and not _content_shape(parts, lang, content_zipf):
            return None  # "fleetman", "sightrunning": a new compound, not two words run together
        return " ".join(parts) if _evidence(parts, core, content, lang, assoc) else None
    # The guards above are cheap; the shape may ask the language model (loaded on first
    # use), and the large list below is loaded only once a split is on the table.
    if content and not _content_shape(parts, lang, content_zipf):
        return None
    zc = zipf(core, lang)  # the large list: loaded only once a split is on the table
    if zc >= known and (
        not content
        and score + 9.0 < zc + margin
        and not _phrase_outnumbers(parts, zc, lang)
        or content
        and not (zc < 3.0 and _phrase_outnumbers(parts, zc, lang))
    ):
        # A word wordfreq knows, not clearly a fusion of commoner ones ("atleast" is: the
        # phrase is far commoner); with no function word among the parts, a known word is
        # kept ("lightbulb", "workstream") unless it is a rare spelling of a set phrase
        # ("socialmedia", "bloodpressure").
        return None
    return " ".join(parts) if _evidence(parts, core, content, lang, assoc) else None


# A content pair with a rare part ``segment`` does not take ("throatswabs", "earlyriser",
# "humancoronaviruses"): only a long token (short ones are chance runs of transliterated
# words), a common word of 4+ letters beside a rare one of 5+ that a dictionary lists or
# wordfreq's large list knows with an English ending (``RARE_WORD_ZIPF``).
RARE_PAIR_MIN_LEN = 10
RARE_PAIR_COMMON_ZIPF = 3.5  # the common side, as ``content_zipf`` asks of content pairs
# A rare side of this many letters counts with no dictionary entry or English ending if
# wordfreq's large list knows it this well (drug and place names: "azithromycin" 2.0).
RARE_PART_LONG = 9
RARE_PART_LONG_ZIPF = 2.0


def rare_content_pair(core: str, lang: str) -> str | None:
    """Two content words, one common and one rare, run together into a token wordfreq
    does not know, where grammar makes them a phrase and no compound part, prefix or
    ending is cut: the one such split, or None. Reads wordfreq's large list only once
    a split is found.

    >>> rare_content_pair("throatswabs", "en"), rare_content_pair("earlyriser", "en")
    ('throat swabs', 'early riser')
    >>> rare_content_pair("imperatorskim", "en") is None, rare_content_pair("startoval", "en")
    (True, None)
    """
    return _rare_content_pair(core, lang)


def _common_side(part: str, lang: str) -> bool:
    # Common by wordfreq alone: a rare dictionary word is no evidence ("manche|stere").
    need = 4.0 if len(part) == 4 else RARE_PAIR_COMMON_ZIPF
    return len(part) >= 4 and zipf(part, lang, 3.0) >= need


def _rare_side(part: str, lang: str) -> bool:
    if len(part) < 5:
        return False
    if part in dictionary_words():
        return True
    if len(part) >= RARE_PART_LONG and zipf(part, lang) >= RARE_PART_LONG_ZIPF:
        return True  # "antibioticazithromycin": a long term of the trade
    return part.endswith(_ENGLISH_ENDINGS) and zipf(part, lang) >= RARE_WORD_ZIPF


@lru_cache(maxsize=4096)
def _rare_content_pair(core: str, lang: str) -> str | None:
    if lang != "en" or len(core) < RARE_PAIR_MIN_LEN:
        return None
    fn = words("function_words.txt", lang)
    table = words("compound_parts.txt", lang)
    found = []
    for i in range(4, len(core) - 3):
        a, b = core[:i], core[i:]
        if a in fn or b in fn or f"{a}-" in table or f"-{b}" in table:
            continue
        common_a, common_b = _common_side(a, lang), _common_side(b, lang)
        if not (common_a and _rare_side(b, lang) or common_b and _rare_side(a, lang)):
            continue
        if a in words("prefixes.txt", lang) or _cuts_prefix(core, i, lang):
            continue
        if b in words("suffixes.txt", lang) or _cuts_ending(core, i, lang):
            continue
        if _phrase_form(a, b, lang) or _tagged_phrase(a, b) or _noun_pair(a, b):
            found.append((a, b))
    if len(found) != 1 or zipf(core, lang) > 0.0:
        return None
    return " ".join(found[0])


_START_KNOWN_DEFAULT = 2.0  # start_known_zipf's default, for which en_start_keep.txt is built
# What follows a function word in the web typos wordfreq knows ("inthe", "ifyou").
_DETERMINERS = frozenset(
    ("the", "this", "that", "these", "those", "an", "his", "her", "its", "their", "our", "my")
    + ("you", "we", "i", "they", "he", "she", "it")
)
_PRONOUNS = frozenset(("i", "you", "we", "they", "he", "she", "it"))
# Words that follow a sentence's subject (auxiliaries, modals, "said", "also"): what a
# name opening a sentence runs into ("Jarquewas", "Borrellalso"). Not "is", "are", "can":
# Lithuanian and Greek names end so ("Skvernelis", "Duncan").
_AFTER_SUBJECT = frozenset(
    ("was", "were", "had", "has", "have", "will", "would", "could", "should", "might")
    + ("must", "did", "does", "said", "says", "also", "then")
    + ("never", "always", "already", "recently", "earlier", "previously", "further")
)


def known_start_split(parts: list[str], fn: frozenset[str] | set[str]) -> bool:
    """Whether a split of a token wordfreq knows (a name: "Inman", "Andover") may still
    be made at a sentence start: a function word and a determiner or pronoun ("Inthe",
    "Ifyou"), a pronoun and a verb ("Itis", "Wehave"), or a function word and a word
    the news model binds as a set phrase ("Infact", "Inspite", "Alongwith":
    ``SET_PHRASE_ASSOC``; "in man", "and over" are none): web typos, not names.

    >>> known_start_split(["in", "the"], {"in", "the"}), known_start_split(["in", "man"], {"in"})
    (True, False)
    >>> known_start_split(["in", "fact"], {"in"})
    True
    """
    if len(parts) != 2 or parts[0] not in fn:
        return False
    return _typo_shape(parts, fn) or _set_phrase_any(*parts)


def _typo_shape(parts: list[str], fn: frozenset[str] | set[str]) -> bool:
    """``known_start_split`` without the set phrases: a function word and a determiner
    or pronoun, or a pronoun and a verb it takes. (A token wordfreq knows well, Zipf 3+,
    is a set phrase's web typo only as ``en_start_split.txt`` lists it: "Youtube" is
    "you tube" to the model.)"""
    if len(parts) != 2 or parts[0] not in fn:
        return False
    if parts[-1] in _DETERMINERS:
        return True
    a, b = parts
    if a not in _PRONOUNS or b not in fn or guess_tag(b) not in _VERB | {"MD"}:
        return False
    return b not in _DISAGREE.get(a, _DISAGREE["we"])  # "Weis" is a name: "we is" no phrase


# Verbs a subject pronoun does not take ("we is", "he are").
_DISAGREE = {
    "i": frozenset(("is", "are", "has", "does", "were")),
    "he": frozenset(("am", "are", "have", "do", "were")),
    "we": frozenset(("am", "is", "was", "has", "does")),
}
_DISAGREE["she"] = _DISAGREE["it"] = _DISAGREE["he"]


def split_sentence_start(core: str, lang: str, params: Mapping[str, Any]) -> str | None:
    """The repaired form of a capitalised token that opens a sentence, or None.

    A sentence's first word run into the next ("Thecity", "Inthe", "Accordingto") is
    split as its lowercase form would be. A token wordfreq knows well
    (``start_known_zipf``: "Inman" 2.7, "Andover" 2.9, "Themis" 2.2, names; most web
    typos such as "thecity" stay below 2) only into a function word and a determiner
    or pronoun ("Inthe", "Ifyou") or a pronoun and a verb ("Itis"); a common one (Zipf
    3+) only if it is a web typo of a phrase ("Alot", "Ofcourse"); never three letters
    ("Ina"), nor a word and "a" ("Thea", "Moderna", "Roberta": names). "I" runs into a
    common verb ("Ithink", "Iwould"), a name into what follows a subject ("Jarquewas").

    >>> [split_sentence_start(w, "en", {}) for w in ("Thecity", "Inthe", "Accordingto")]
    ['The city', 'In the', 'According to']
    >>> [split_sentence_start(w, "en", {}) for w in ("Ithink", "Itis", "Alot", "Jarquewas")]
    ['I think', 'It is', 'A lot', 'Jarque was']
    >>> [split_sentence_start(w, "en", {}) for w in ("Andrea", "Atlanta", "Inman", "Thea")]
    [None, None, None, None]
    >>> [split_sentence_start(w, "en", {}) for w in ("Moderna", "Togo", "Kallis", "Iran")]
    [None, None, None, None]
    """
    return _split_start(core, lang, _segment_args(params))


def _cased(core: str, parts: list[str]) -> str:
    out, i = [], 0
    for p in parts:
        out.append(core[i : i + len(p)])
        i += len(p)
    return " ".join(out)


@lru_cache(maxsize=4096)
def _split_start(core: str, lang: str, args: tuple[Any, ...]) -> str | None:
    """``split_sentence_start`` with its parameters read; cached (a text's sentences
    open with the same few words)."""
    low = core.lower()
    if len(core) < 4 or not core[1:].islower():
        return None
    # A word on wordfreq's small list (Zipf >= 3: "According", "Russian", "Andrea") is
    # a word or a name: the one dictionary-free test most first words stop at. The few
    # web typos among them are precomputed (the test needs the language model).
    if zipf(low, lang, 3.0) >= 3.0:
        fixed = _start_split(lang).get(low) if args[6] else None
        return None if fixed is None else _cased(core, fixed.split())
    if low in dictionary_words():
        return None
    fn = words("function_words.txt", lang)
    # A word and "a" opening a sentence is a name's ending ("Moderna", "Roberta", "Thea"):
    # decided on the segmentation, before the evidence (which may load the model).
    seg = segment(low, lang, args[0])[0]
    if seg and seg[-1] in ("a", "an") and (len(seg[-2]) <= 3 or seg[-2] not in fn):
        return None  # ("Tatarsan": names end in -an as in -a)
    fixed = _split_fused(low, lang, *args[:7])
    if fixed is None:
        parts = _first_person(low, lang) or _name_then_word(low, lang)
        return None if parts is None else _cased(core, parts)
    parts = fixed.split()
    if parts[-1] in ("a", "an") and (len(parts[-2]) <= 3 or parts[-2] not in fn):
        return None
    if _name_with_case_ending(low, lang):
        return None  # "Wellingtone", "Denvere": a name MT left in a Russian case
    if (
        parts[0] not in fn
        and any(p not in fn and _rare_part(p, lang) for p in parts[1:])
        and not (len(parts) == 2 and _set_phrase(*parts, lang))
    ):
        # After a content word, a rare part is as likely a garble ("Clearching"), unless
        # the two make a set phrase ("Coralreefs"): chance letter runs make none.
        return None
    if len(parts) == 2 and modal_before_name(parts):
        return None
    if len(parts) == 2 and rare_pair_at_start(parts, fn, lang):
        return None
    if args[6] and args[7] == _START_KNOWN_DEFAULT and lang == "en":
        # The known words this test would keep, precomputed by build_tables from
        # wordfreq's large list (which takes ~0.3 s to load: not for a first word).
        if low in _start_keep(lang):
            return None
    elif zipf(low, lang) >= args[7] and not known_start_split(parts, fn):
        return None
    return _cased(core, parts)


def rare_pair_at_start(parts: list[str], fn: frozenset[str] | set[str], lang: str) -> bool:
    """Whether a capitalised start token's split is two content words both rare in English
    (under Zipf 3 each; long ones a dictionary lists pass ``_rare_part``: "belling",
    "hausen"), the second one the tagger knows in no form: a lost space joins the words
    a sentence opens with, and those are common or a trade's terms the tagger has
    ("Lymphocyticinfiltrates": "infiltrate"; "Repurposedantiviral"); two rare words in a
    row, the second no English word's form, are a name's letters ("Bellinghausen").

    >>> fn = words("function_words.txt", "en")
    >>> rare_pair_at_start(["belling", "hausen"], fn, "en")
    True
    >>> rare_pair_at_start(["health", "authorities"], fn, "en")
    False
    >>> rare_pair_at_start(["in", "hausen"], fn, "en")
    False
    >>> rare_pair_at_start(["lymphocytic", "infiltrates"], fn, "en")
    False
    """
    if parts[0] in fn or parts[1] in fn or _tagger_knows_form(parts[1]):
        return False
    return all(zipf(p, lang, 3.0) < 3.0 for p in parts)


def _tagger_knows_form(word: str) -> bool:
    """Whether the tagger lists ``word`` or the stem of an inflection of it
    ("infiltrates": "infiltrate"; "hausen": none).

    >>> _tagger_knows_form("infiltrates"), _tagger_knows_form("hausen")
    (True, False)
    """
    stems = [word]
    for ending in ("s", "es", "ed", "d", "ing"):
        if word.endswith(ending) and len(word) > len(ending) + 2:
            stems.append(word[: -len(ending)])
    return any(pos_tag(w) is not None for w in stems)


def modal_before_name(parts: list[str]) -> bool:
    """Whether a start token's split is a modal and a word no dictionary lists and the
    tagger does not know ("Maytoni": "may", "toni"): a modal opening a sentence asks or
    wishes before its subject, and a name there keeps its capital ("May Toni ...", "Can
    Ivan ..."); a short lowercase name-only word after it is the name's own letters (a
    long one, ``IS_HEAD_LONG`` letters, a term of a trade: "Willcoronavirus vaccines").

    >>> modal_before_name(["may", "toni"]), modal_before_name(["may", "we"])
    (True, False)
    >>> modal_before_name(["can", "money"]), modal_before_name(["in", "toni"])
    (False, False)
    >>> modal_before_name(["will", "coronavirus"])
    False
    """
    a, b = parts
    if pos_tag(a) != "MD" or len(b) >= IS_HEAD_LONG:
        return False
    return pos_tag(b) is None and b not in dictionary_words()


# Endings of nouns that name a process or an act (deverbal: "correction", "issuance",
# "payment", "testing", "exposure"), no coined name's head.
_PROCESS_ENDINGS = ("ion", "ance", "ence", "ment", "ing", "ure")


def coined_noun_pair(parts: list[str]) -> bool:
    """Whether a capitalised start token's split is a noun the tagger knows as one and a
    singular noun or an adjective that the news model never writes together (no bigram:
    its association is only the first word's backoff, <= 0): the way companies coin
    names from a word and a trade word ("Cloudbank", "Accesstelecom", "Childmobile"),
    which open news sentences as often as a lost space does (``_start_name`` asks it,
    but for a list's item: "Vegetablesalad, brown rice"). A lost
    space between two nouns that open a sentence leaves a phrase the model holds
    ("Healthauthorities", "Vaccinedevelopment"); an adjective first is a phrase by
    grammar ("Medicalhand hygiene"), and so is a plural head, which takes the verb's
    agreement (``_start_name``), or a process noun (``_PROCESS_ENDINGS``:
    "Ratecorrection", "Loanissuance": what is done to the first noun; a trade's name ends
    in a thing or a trade). A word the tagger lacks (a nationality, "russian"; a name)
    or a pair the model lacks a word of decides nothing.

    >>> coined_noun_pair(["access", "telecom"]), coined_noun_pair(["aircraft", "group"])
    (True, True)
    >>> coined_noun_pair(["button", "mobile"]), coined_noun_pair(["bill", "put"])
    (True, False)
    >>> coined_noun_pair(["health", "authority"]), coined_noun_pair(["vaccine", "development"])
    (False, False)
    >>> coined_noun_pair(["medical", "hand"]), coined_noun_pair(["russian", "singer"])
    (False, False)
    >>> coined_noun_pair(["emergency", "symptoms"]), coined_noun_pair(["rate", "correction"])
    (False, False)
    """
    a, b = parts
    if pos_tag(a) != "NN" or b.endswith(_PROCESS_ENDINGS) or guess_tag(b) not in ("NN", "JJ"):
        return False
    assoc = BIGRAMS.association(a, b)
    return assoc is not None and assoc <= 0.0


# How strongly a start token's two parts must predict the next word (log10 P(c|a b)/P(c))
# for the context to vouch for a split the name guards refuse ("Asa result": "as a
# result" 2.7; "Asa Hutchinson" -1.1, "Asa said" -2.5; "Ina study" 0.9).
CONTEXT_ASSOC = 0.5
# How strongly the two parts must predict the next word to vouch for a split whatever
# the pair's own binding or the token's frequency ("Keepin mind" 3.3, "Allin all" 1.6,
# "Amore recent" 1.9, "Avery good" 1.8: "keep in", "a more" bind little alone, and
# "Avery" is a name wordfreq knows). A name's next word is its verb or an object
# ("Avery said" -1.2, "Amore the leader"): no trigram of the model predicts it so.
STRONG_CONTEXT_ASSOC = 1.5
# ... unless the next word is what follows a name: a finite verb or a modal ("Dohe said":
# the model predicts "said" after "do he" too).
_NAME_VERB = _FINITE | {"MD"}
_NOT_AFTER_IS = _FINITE | {"VBN", "RB", "MD"}


# A start token's head before "is" must be this common (Zipf) or this long to be a word
# run into "is" rather than a name's letters ("Varonis"; "Sirenais the": "sirena" 2.0).
IS_HEAD_ZIPF = 2.0
IS_HEAD_LONG = 8


@lru_cache(maxsize=4096)
def context_start_parts(core: str, lang: str) -> tuple[str, ...] | None:
    """The split of a sentence's capitalised first token that only the next word can
    decide, or None: a function word's phrase that the name guards refuse ("Asa", "Ina",
    "Afew", "Takea", "Keepin": names too), a word and "is" ("Remdesiviris"; Lithuanian
    and Greek names end so: "Skvernelis") or a word and "a" ("Furnishinga"; "Moderna"
    and "Roberta" end so). Cheap: the next word is weighed by ``context_vouches``, which
    may load the language model.

    >>> context_start_parts("Asa", "en"), context_start_parts("Remdesiviris", "en")
    (('as', 'a'), ('remdesivir', 'is'))
    >>> context_start_parts("Gagarina", "en") is None, context_start_parts("Andrea", "en") is None
    (True, True)
    >>> context_start_parts("Varonis", "en") is None  # (a short head barely known: a name)
    True
    >>> context_start_parts("Iadmire", "en")
    ('i', 'admire')
    """
    low = core.lower()
    if lang != "en" or len(core) < 3 or not core[1:].islower() or not low.isalpha():
        return None
    if low in dictionary_words():
        return None  # (wordfreq's small list is no guard here: it knows "Asa", "Ina")
    fn = words("function_words.txt", lang)
    rest = low[1:]
    if low[0] == "i" and len(rest) in (2, 3) and pos_tag(rest) in _I_TAKES:
        # "Iam", "Ihad", "Iate": "I" with a short verb ("Ivan" is no verb; "Iran", a
        # word wordfreq knows, only with a function word's verb)
        return ("i", rest) if rest in fn or zipf(low, lang, 3.0) < 3.0 else None
    # "Iadmire", "Iadvise": "I" and a verb less common than ``_first_person`` splits
    # alone, for the object after it to vouch for ("Iadmire you"; "Igore said" stays)
    if (
        low[0] == "i"
        and len(rest) >= 4
        and pos_tag(rest) in _I_TAKES
        and zipf(rest, lang, 3.0) >= 3.0
        and zipf(low, lang, 3.0) < 3.0
    ):
        return ("i", rest)
    if low.endswith("is"):
        if len(low) < 6:
            return None  # "Manis", "Asis": too short to tell a name from a fusion
        # The head a word or name wordfreq knows and the whole token not (its large list,
        # read only now): a transliterated verb ("Razrazilis") or a Lithuanian name
        # ("Skvernelis") has no known head; "Solaris", "Themis", "Azeris" are known tokens.
        if zipf(low, lang, 3.0) >= 3.0:
            return None  # a common token ("Minneapolis"), before the large list is read
        head = low[:-2]
        zh = zipf(head, lang)
        # A short head wordfreq barely knows is a name's letters ("Varonis": "varon" 1.6,
        # a surname), as likely the brand's whole as a name run into "is"; a long rare
        # head is a term of a trade ("Remdesiviris": "remdesivir" 1.1, "Lokomotivis").
        word = zh >= IS_HEAD_ZIPF or zh > 0.0 and len(head) >= IS_HEAD_LONG
        return (head, "is") if word and zipf(low, lang) == 0.0 else None
    parts, _ = segment(low, lang, 3.0)
    if len(parts) != 2 or not (parts[0] in fn or parts[1] in fn):
        return None
    a, b = parts
    if b in ("a", "an") and a not in fn and pos_tag(a) not in _VERB:
        # "Moderna", "Roberta", "Gagarina": a name's ending, unless "a" is the article
        # of what follows ("Furnishinga new": ``context_vouches``)
        return (a, b) if next_word_parts(low, lang) == (a, b) else None
    if a not in fn and _rare_part(a, lang) or b not in fn and _rare_part(b, lang):
        return None
    return (a, b)


def _known_start_token(core: str, lang: str) -> bool:
    """Whether a start token that ``context_start_parts`` splits is one wordfreq knows
    well (Zipf >= 3: a brand or a name, "Youtube", "Avery") and no web typo of a function
    word's phrase ("Asa", "Ifyou"): only a strongly vouching next word splits it."""
    low = core.lower()
    parts = context_start_parts(core, lang)
    if parts is None or len(parts) != 2 or parts[1] == "is" or zipf(low, lang, 3.0) < 3.0:
        return False
    a, b = parts
    fn = words("function_words.txt", lang)
    return not (a in fn and b in ("a", "an") or _typo_shape([a, b], fn))


def context_vouches(parts: tuple[str, ...], nxt: str, strong_only: bool = False) -> bool:
    """Whether the word after a start token vouches for its split: the two parts a
    bigram the model holds that predicts ``nxt`` ("as a result", "take a look"), or
    predict it strongly whatever their own binding ("keep in mind", "all in all";
    ``STRONG_CONTEXT_ASSOC``, the only way with ``strong_only``), or "is" before what
    follows "is" and no name: not a verb form nor an adverb ("Remdesiviris a";
    "Skvernelis said", "Skvernelis also" stay).

    >>> context_vouches(("as", "a"), "result"), context_vouches(("as", "a"), "said")
    (True, False)
    >>> context_vouches(("keep", "in"), "mind"), context_vouches(("a", "very"), "said", True)
    (True, False)
    """
    a, b = parts
    if b == "is":
        tag = guess_tag(nxt)
        if tag in _NOT_AFTER_IS:
            return False
        if tag in ("DT", "CD", "PRP$"):
            return True  # "Remdesiviris one", "Dianeis your": no name runs into a determiner
        assoc = BIGRAMS.association(b, nxt)
        return assoc is not None and assoc >= CONTEXT_ASSOC
    if b == "a" and a not in words("function_words.txt", "en") and pos_tag(a) not in _VERB:
        # A word and "a" is a name's ending ("Roberta") unless "a" is the next word's
        # article, as inside a sentence ("Furnishinga new"; "Roberta the leader").
        ctx = BIGRAMS.context_association(a, b, nxt)
        return ctx is not None and ctx >= ARTICLE_CONTEXT_ASSOC and guess_tag(nxt) not in _NAME_VERB
    pair = BIGRAMS.association(a, b)
    if pair is None:
        return False
    ctx = BIGRAMS.context_association(a, b, nxt)
    if ctx is not None and ctx >= STRONG_CONTEXT_ASSOC and guess_tag(nxt) not in _NAME_VERB:
        return True  # "Keepin mind", "Allin all": the three words a set phrase
    if strong_only or pair < FN_PHRASE_ASSOC:
        return False  # a bound pair, as a short token's needs ("Fortuna": "for tuna" 0.25)
    # A set phrase ("even though", "I am") asks only that the next word not go against it.
    return ctx is not None and ctx >= (0.0 if pair >= SET_PHRASE_ASSOC else CONTEXT_ASSOC)


# What a sentence's first word is to the fast path: split on its own, split only if the
# next word vouches, or left. Remembered per word in one dict for the parameters (two
# cached calls hashing the parameter tuple cost more than the rest of a clean line).
_SPLITS, _BY_NEXT_WORD, _LEFT = 1, 2, 0
_START_KINDS: dict[tuple[Any, ...], dict[str, int]] = {}
_START_KINDS_MAX = 50_000


def _start_kinds(args: tuple[Any, ...]) -> dict[str, int]:
    last = _LAST_KINDS[0]
    if last is not None and last[0] is args:
        return last[1]
    kinds = _START_KINDS.get(args)
    if kinds is None:
        _START_KINDS.clear()  # one parameter set at a time (a plan passes the same one)
        kinds = _START_KINDS[args] = {}
    _LAST_KINDS[0] = (args, kinds)
    return kinds


_LAST_KINDS: list[tuple[tuple[Any, ...], dict[str, int]] | None] = [None]


def _start_kind(w: str, lang: str, args: tuple[Any, ...]) -> int:
    if _split_start(w, lang, args) is not None:
        return _SPLITS
    return _LEFT if context_start_parts(w, lang) is None else _BY_NEXT_WORD


def _split_by_next_word(text: str, m: re.Match[str], core: str, lang: str) -> str | None:
    """A start token's split that the next word vouches for (``context_vouches``); the
    token must end its chunk (no comma or quote before the next word)."""
    parts = context_start_parts(core, lang)
    nxt = _NEXT_WORD.match(text, m.end())
    if parts is None or nxt is None or m.end("core") != m.end():
        return None
    strong = _known_start_token(core, lang)
    vouched = context_vouches(parts, nxt.group(1).lower(), strong)
    return _cased(core, list(parts)) if vouched else None


def _rare_part(part: str, lang: str) -> bool:
    """A part too rare to follow a content word at a sentence start: under Zipf 3.5 and
    not a word of 6+ letters (in the dictionary or on wordfreq's small list, as
    ``_common`` counts long words: "ching" is a garble, "goalie" and "coronavirus" words)."""
    z = zipf(part, lang, 3.0)
    if z >= 3.5:
        return False
    return not (len(part) >= 6 and (z >= 3.0 or lang == "en" and part in dictionary_words()))


# Russian case endings as transliterated ("v Vashingtone", "Denvere", "Londonom",
# "Parizhu"): MT copies an unknown name with its ending.
_RU_CASE_ENDINGS = ("e", "a", "u", "y", "i", "om", "oy", "oi", "ym", "im", "ov", "am", "akh")


def _name_with_case_ending(low: str, lang: str) -> bool:
    """Whether ``low`` is a name wordfreq knows (Zipf >= 3, no dictionary word) with a
    Russian case ending ("wellingtone": "wellington" + "e"; "denvere"): a split of it
    ("welling tone") cuts a name, not a fusion.

    >>> _name_with_case_ending("wellingtone", "en"), _name_with_case_ending("thecity", "en")
    (True, False)
    """
    if lang != "en":
        return False
    for end in _RU_CASE_ENDINGS:
        stem = low[: -len(end)]
        if (
            low.endswith(end)
            and len(stem) >= 4
            and zipf(stem, lang, 3.0) >= 3.0
            and stem not in dictionary_words()
        ):
            return True
    return False


def _first_person(low: str, lang: str) -> list[str] | None:
    """ "I" run into a common verb or modal ("ithink", "iwould"; not "iran": the caller
    keeps words wordfreq knows, and the verb must be of 4+ letters)."""
    rest = low[1:]
    if lang != "en" or low[0] != "i" or len(rest) < 4:
        return None
    z, tag = zipf(rest, lang, 3.0), pos_tag(rest)
    # A less common word only as a past form or an adverb, which no name ends in
    # ("Iborrowed", "Ibarely"; "Igore": "gore" is a verb too, and Igor a name).
    return ["i", rest] if z >= 4.5 and tag in _I_TAKES or z >= 3.5 and tag in _I_PAST else None


# What "I" runs into at a start: a verb (any form a subject takes; "called", "advised"
# are past participles in Brill's counts), a modal, an adverb ("Ialways", "Ibarely").
_I_TAKES = frozenset(("VB", "VBP", "VBD", "VBN", "MD", "RB"))
_I_PAST = frozenset(("VBD", "VBN", "RB"))


# Words of _AFTER_SUBJECT that follow a plural subject only: no single name takes them.
_PLURAL_ONLY = frozenset(("were", "have"))


def _name_then_word(low: str, lang: str) -> list[str] | None:
    """A name run into a word that follows a subject ("jarquewas", "borrellalso"): the
    head a name (4+ letters, neither a dictionary word nor on wordfreq's small list)."""
    if lang != "en":
        return None
    # The longest word ending the token decides ("accused", not "used"): one of the
    # words that follow a subject, or a common past tense ("Tinkovnoted",
    # "Pfannenstielheld"): what a subject does in news. No name ends in one of 4+ letters
    # this common (an -ed form at Zipf 3.5, an irregular one at 4.5).
    for n in range(len(low) - 4, 2, -1):
        tail, head = low[-n:], low[:-n]
        if tail in _AFTER_SUBJECT:
            if tail in _PLURAL_ONLY:
                # One name is one subject ("Jarque was", not "were"): an unknown word
                # ending so is a Russian case form ("Wankuwere": «Ванкувере»).
                return None
        elif n == 3 or zipf(tail, lang, 3.0) < 3.0:
            continue
        elif pos_tag(tail) not in (("VBD", "VBN") if tail.endswith("ed") else ("VBD",)) or zipf(
            tail, lang, 3.0
        ) < (3.5 if tail.endswith("ed") else 4.5):
            return None  # (an irregular participle needs an auxiliary: "Poligone")
        if (
            zipf(head, lang, 3.0) < 3.0
            and head not in dictionary_words()
            and zipf(low, lang) == 0.0  # the large list, read only now: "Upanishad" is a word
            and (len(head) > 4 or n > 3 or zipf(head, lang) > 0.0)
        ):
            # A head of four letters the web has never written, before a three-letter
            # word, is as often a chance cut of a longer transliterated word ("Seichas":
            # "seic" + "has", from «сейчас»); names that short are ones wordfreq has
            # seen ("Dimawas"), and a longer word is no chance ("Leusadded").
            return [head, tail]
        return None
    return None


def _split_by_document(text: str, core: str, lang: str) -> str | None:
    """A function word run into a word that the text also holds on its own: "byiron"
    beside "iron", "forsuperyachts" beside "superyachts". A short token needs a common
    phrase and a rare word a dictionary entry otherwise; the document is evidence of
    its own (a transliterated Russian word's chance parts do not recur in it).

    >>> _split_by_document("Made of iron. The byiron fence.", "byiron", "en")
    'by iron'
    >>> _split_by_document("The byiron fence.", "byiron", "en") is None
    True
    """
    if len(core) < 6 or not core.islower():
        return None
    fn = words("function_words.txt", lang)
    heads = [i for i in range(1, min(6, len(core) - 3)) if core[:i] in fn]
    if not heads:
        return _pair_in_document(text, core, lang)
    if zipf(core, lang, 3.0) >= 3.0:
        return None
    if core in dictionary_words() or core in _keep_words(lang):
        return None
    found = [
        (core[:i], core[i:])
        for i in heads
        if re.search(rf"(?<![\w-]){re.escape(core[i:])}(?![\w-])", text, re.IGNORECASE)
    ]
    return " ".join(found[0]) if len(found) == 1 else None


def _pair_in_document(text: str, core: str, lang: str) -> str | None:
    """Two content words run together that the text also holds as a pair: "the
    economic sanctions ... the economicsanctions" (a lost space; a term MT coined recurs
    fused, which ``_repeated_term`` keeps). Only a token no word list knows.

    >>> _pair_in_document("A front moving east; a frontmoving west.", "frontmoving", "en")
    'front moving'
    >>> _pair_in_document("A frontmoving west.", "frontmoving", "en") is None
    True
    """
    parts = _document_pair_parts(core, lang)
    if parts is None:
        return None
    a, b = parts
    if not _pair_written_apart(text, a, b):
        return None
    return f"{a} {b}"


@lru_cache(maxsize=4096)
def _document_pair_parts(core: str, lang: str) -> tuple[str, str] | None:
    """``segment``'s two content words of 3+ letters for a token no word list knows."""
    if lang != "en" or zipf(core, lang, 3.0) > 0.0 or core in dictionary_words():
        return None
    if core in _keep_words(lang):
        return None
    parts, _ = segment(core, lang, 3.0, max_parts=2)
    fn = words("function_words.txt", lang)
    if len(parts) != 2 or any(len(p) < 3 or p in fn for p in parts):
        return None
    return parts[0], parts[1]


# A rare word wordfreq's large list knows at least this well (Zipf) is a word beside a
# function word, though no dictionary has it ("forsuperyachts", "ofhydroxychloroquine"
# 1.8, "onunverified" 2.7); of 26,299 transliterated Russian words in dev text (the
# bench's dev and fresh splits) none splits so.
RARE_WORD_ZIPF = 1.5
RARE_WORD_MIN_LEN = 7
# Function words that are also word-building prefixes, or open many words: before a
# rare word they make one ("inaccessable", "asymmetrical", "bedazzled", "outgunned",
# "withstood", "intoxicatingly").
_PREFIX_LIKE = frozenset(
    ("a", "an", "in", "into", "be", "by", "over", "under", "out", "up", "down", "off")
    + ("after", "with")
)


def beside_rare_word(core: str, lang: str) -> str | None:
    """A function word run into a rare word of 7+ letters that follows it, one wordfreq
    knows from running text but no dictionary lists (``RARE_WORD_ZIPF``), the token
    itself unknown to wordfreq: "ofhydroxychloroquine". The one such split, or None.
    Reads wordfreq's large list only once a function word and a long rest are found.
    (Not a rare word and a function word after it, "azithromycinon": transliterated
    words end in "-on", "-as", "-is" so often that the list, ~0.1 s to read, would
    be read for many texts.)

    >>> beside_rare_word("forsuperyachts", "en"), beside_rare_word("ofhydroxychloroquine", "en")
    ('for superyachts', 'of hydroxychloroquine')
    >>> beside_rare_word("tobolskiy", "en") is None, beside_rare_word("anderlecht", "en") is None
    (True, True)
    """
    return _beside_rare_word(core, lang)


@lru_cache(maxsize=4096)
def _beside_rare_word(core: str, lang: str) -> str | None:
    if lang != "en" or len(core) < RARE_WORD_MIN_LEN + 2 or not core.isalpha():
        return None
    cuts = []
    for i in range(1, min(6, len(core) - RARE_WORD_MIN_LEN + 1)):
        head, rest = core[:i], core[i:]
        if (
            head in _RARE_WORD_HEADS
            and rest.endswith(_ENGLISH_ENDINGS)
            and _rare_unlisted(rest, lang)
        ):
            cuts.append((head, rest, rest))
    if not cuts:
        return None
    # (the large list, read only now: a token it knows is a word, "forerunners")
    found = [(a, b) for a, b, rare in cuts if zipf(rare, lang) >= RARE_WORD_ZIPF]
    if len(found) != 1 or zipf(core, lang) > 0.0:
        return None
    return " ".join(found[0])


# English inflections and derivations a rare word beside a function word ends in
# ("superyachts", "unverified", "intrahepatic", "hydroxychloroquine"): transliterated
# Russian words end otherwise ("-a", "-y", "-ov", "-sk"), so wordfreq's large list is
# read for few texts.
_ENGLISH_ENDINGS = ("s", "ed", "ing", "ly", "ic", "al", "ous", "ive", "ine", "ion", "ity")
_ENGLISH_ENDINGS += ("ment", "ness", "able", "ible", "ism", "ist", "er", "ure", "ate")


def _rare_unlisted(word: str, lang: str) -> bool:
    """Neither a dictionary word nor on wordfreq's small list (those are ``segment``'s)."""
    return word not in dictionary_words() and zipf(word, lang, 3.0) < 3.0


@lru_cache(maxsize=4096)
def short_fn_parts(core: str, lang: str) -> tuple[str, str] | None:
    """A lowercase token's split into a function word and a common word (``_vouched``)
    that ``segment`` finds but the phrase test refuses: too short for chance to be ruled
    out ("wejoin", "olddo", "poston"), for the words on both sides to vouch for
    (``_split_by_both_sides``). Cheap: no language model.

    >>> short_fn_parts("wejoin", "en"), short_fn_parts("economic", "en") is None
    (('we', 'join'), True)
    """
    if lang != "en" or not core.islower() or core in dictionary_words():
        return None
    if zipf(core, lang, 3.0) >= 3.0 or core in _keep_words(lang):
        return None
    parts = segment(core, lang, 3.0)[0]
    fn = words("function_words.txt", lang)
    if len(parts) != 2 or (parts[0] in fn) == (parts[1] in fn):
        return None
    word = parts[1] if parts[0] in fn else parts[0]
    if len(word) < 3 or not _vouched(word, lang) or word in words("prefixes.txt", lang):
        return None
    return (parts[0], parts[1])


# The word before a chunk (one space; a capital allowed: "Can wejoin").
_PREV_WORD = lazy_compile(r"(?<![\w'’-])([A-Za-z]+)[ \t]$")


def _split_by_both_sides(text: str, m: re.Match[str], core: str, lang: str) -> str | None:
    """A short function word's split vouched for by the words on both sides: the word
    before and the first part predict the second, and the two parts predict the word
    after (each ``CONTEXT_ASSOC``: "can wejoin the" 1.0 and 0.8, "how olddo you" 0.5
    and 1.4). A chance cut of a transliterated word fits neither side ("the word sobrat
    was"), and one side alone is a neighbour's binding ("the byiron fence": only "iron
    fence" binds; "the" before "by" binds nothing). No punctuation on either side.

    >>> t = "How can wejoin the team? The byiron fence. Its export isbeef and grain."
    >>> [_split_by_both_sides(t, m, m.group("core"), "en") for m in _CHUNK.finditer(t)
    ...  if m.group("core") in ("wejoin", "byiron", "isbeef")]
    ['we join', None, 'is beef']
    >>> t = "It was made byiron workers."  # ("made by" a set phrase: ``STRONG_LEFT_ASSOC``)
    >>> [_split_by_both_sides(t, m, m.group("core"), "en") for m in _CHUNK.finditer(t)
    ...  if m.group("core") == "byiron"]
    ['by iron']
    """
    parts = short_fn_parts(core, lang)
    if parts is None or m.start() != m.start("core") or m.end() != m.end("core"):
        return None
    prev = _PREV_WORD.search(text, max(0, m.start() - 40), m.start())
    nxt = _NEXT_WORD.match(text, m.end())
    if prev is None or nxt is None:
        return None
    a, b = parts
    before, after = prev.group(1).lower(), nxt.group(1).lower()
    # Each side binds to the pair or to its own neighbour part: the word before to the
    # function word ("export is", "made by": the model knows the trigram with a rare
    # noun too loosely), the word after to the content word ("beef and").
    left = _best(BIGRAMS.context_association(before, a, b), BIGRAMS.association(before, a))
    if left < CONTEXT_ASSOC:
        return None
    right = _best(BIGRAMS.context_association(a, b, after), BIGRAMS.association(b, after))
    if right >= CONTEXT_ASSOC:
        return f"{a} {b}"
    # A word before that binds the function word as a set phrase ("made by": a passive's
    # agent, ``STRONG_LEFT_ASSOC``) vouches alone for a noun or an adjective a dictionary
    # lists after it, where the word after binds to neither ("made byiron workers"):
    # no transliterated chance cut follows a set phrase's first word.
    if left < STRONG_LEFT_ASSOC or a not in words("function_words.txt", lang):
        return None
    if len(b) < 4 or b not in dictionary_words() or pos_tag(b) not in _NOUN | _ADJ:
        return None
    return f"{a} {b}"


# How strongly the word before must bind a function word to vouch alone for its split
# (log10 P(a|before)/P(a): "made by" 1.04, "according to" ...; "the by" binds nothing).
STRONG_LEFT_ASSOC = 1.0


def _best(*scores: float | None) -> float:
    """The highest of the scores the model has (-inf if none)."""
    return max((s for s in scores if s is not None), default=float("-inf"))


# How strongly a function word's pair must predict the next word (log10 P(c|a b)/P(c))
# when the pair is "a" after a word: the article is the likeliest "a" before a noun
# phrase ("dancinga little" 1.4, "regiona pensioner" 1.1, "sona new" 0.9); a Russian
# case ending before a word is not predicted by it ("filma in", "plana and" < 0).
ARTICLE_CONTEXT_ASSOC = 0.9


@lru_cache(maxsize=4096)
def next_word_parts(core: str, lang: str) -> tuple[str, str] | None:
    """A lowercase token's split into a common word and "a" that only the next word can
    vouch for (``_split_by_next_word_inside``: "costsa", "seriesa", which the Russian
    case ending -a refuses alone). Cheap: no language model.

    >>> next_word_parts("seriesa", "en"), next_word_parts("instrumenta", "en")
    (('series', 'a'), ('instrument', 'a'))
    >>> next_word_parts("totech", "en") is None, next_word_parts("pizza", "en") is None
    (True, True)
    """
    if lang != "en" or len(core) < 5 or not core.islower() or not core.endswith("a"):
        return None
    if core in dictionary_words() or zipf(core, lang, 3.0) >= 3.0 or core in _keep_words(lang):
        return None
    head = core[:-1]
    if head[-1] == "a" or head in words("function_words.txt", lang) or not _vouched(head, lang):
        return None
    return (head, "a")


def _split_by_next_word_inside(text: str, m: re.Match[str], core: str, lang: str) -> str | None:
    """A word run into "a" inside a sentence, split when "a" predicts the next word as
    the article does (``ARTICLE_CONTEXT_ASSOC``: "seriesa lot" 1.6). The evidence is of
    "a" itself: another part's binding to the next word says nothing of the cut ("by
    iron fence": "iron fence" binds, "byiron" needs a phrase or the document). The
    token must end its chunk (no comma or quote before the next word).

    >>> t = "It costsa lot; the filma in Moscow."
    >>> [_split_by_next_word_inside(t, m, m.group("core"), "en") for m in _CHUNK.finditer(t)
    ...  if m.group("core") in ("costsa", "filma")]
    ['costs a', None]
    """
    parts = next_word_parts(core, lang)
    if parts is None or m.end("core") != m.end():
        return None
    nxt = _NEXT_WORD.match(text, m.end())
    if nxt is None:
        return None
    ctx = BIGRAMS.context_association(*parts, nxt.group(1).lower())
    return " ".join(parts) if ctx is not None and ctx >= ARTICLE_CONTEXT_ASSOC else None


# A noun phrase's opener: a determiner or a possessive, perhaps an adjective after it
# ("his legfell", "the new tankhit").
_NP_OPENER = lazy_compile(
    r"(?<![\w'’-])(?:the|a|an|his|her|its|their|our|my|your|this|that|every|each)[ \t]+"
    r"(?:(?P<adj>[a-z]+)[ \t]+)?$",
    re.IGNORECASE,
)
# How common each word of a noun and a finite verb run together must be (Zipf): a chance
# cut of a rarer or foreign word makes rarer parts ("sobrat" is no noun + verb).
SUBJECT_VERB_ZIPF = 4.0


def _split_subject_verb(text: str, m: re.Match[str], core: str, lang: str) -> str | None:
    """A singular noun run into its finite verb after a determiner or possessive, an
    adjective between allowed ("his legfell", "a great shipasks"): the pair is a clause's
    subject and verb (both listed so, both common: ``SUBJECT_VERB_ZIPF``), the token
    unknown to wordfreq, and the words before open a noun phrase, which a verb cannot
    end.

    >>> t = "Then his legfell off."
    >>> [_split_subject_verb(t, m, m.group("core"), "en") for m in _CHUNK.finditer(t)
    ...  if m.group("core") == "legfell"]
    ['leg fell']
    >>> t = "A great shipasks deep waters."
    >>> [_split_subject_verb(t, m, m.group("core"), "en") for m in _CHUNK.finditer(t)
    ...  if m.group("core") == "shipasks"]
    ['ship asks']
    >>> t = "Then legfell off."
    >>> [_split_subject_verb(t, m, m.group("core"), "en") for m in _CHUNK.finditer(t)
    ...  if m.group("core") == "legfell"]
    [None]
    """
    parts = subject_verb_parts(core, lang)
    if parts is None:
        return None
    opener = _NP_OPENER.search(text, max(0, m.start() - 30), m.start("core"))
    if opener is None or opener["adj"] and pos_tag(opener["adj"]) != "JJ":
        return None  # (an adjective between: "a great shipasks")
    return " ".join(parts)


@lru_cache(maxsize=4096)
def subject_verb_parts(core: str, lang: str) -> tuple[str, str] | None:
    """A token's split into a common singular noun and a common finite verb (the
    context aside): what ``_split_subject_verb`` asks first, and the fast path."""
    parts = _document_pair_parts(core, lang)
    if parts is None:
        return None
    a, b = parts
    if pos_tag(a) != "NN" or pos_tag(b) not in ("VBD", "VBZ"):
        return None
    if min(zipf(a, lang, 3.0), zipf(b, lang, 3.0)) < SUBJECT_VERB_ZIPF:
        return None
    return a, b


# What the last word of a split says may follow it. A finite verb ("was", "has",
# "said") follows none of these: an auxiliary ("He is was", "Den were has"; "has had",
# "will have" are English, so "have" and "had" follow an auxiliary), a preposition
# ("Sold at said", "Term in was"), a determiner ("Program my was"; "the said
# agreement" is English), and at a sentence start a conjunction ("Bug or was"). The
# token is then a name or a foreign word, the next word its verb.
_AUX_TAILS = frozenset(
    ("is", "was", "were", "are", "am", "has", "have", "had", "will", "would", "can")
    + ("could", "should", "may", "might", "must", "does", "did")
)
_FINITE_NEXT = frozenset(
    ("is", "was", "were", "are", "am", "has", "does", "did", "would", "could", "should")
    + ("says", "told")
)
_PREP_TAILS = frozenset(
    ("at", "in", "on", "of", "for", "with", "by", "from", "into", "onto", "upon", "via")
    + ("per", "among", "amid", "between", "during", "despite", "toward", "towards")
    + ("within", "without", "through", "throughout", "across", "against")
)
_DET_TAILS = frozenset(("the", "a", "an", "my", "his", "its", "our", "their", "your", "every"))
_CONJ_TAILS = frozenset(("or", "and", "nor"))

# The function words a noun phrase or a predicate follows: prepositions, determiners,
# forms of "be" and conjunctions, but those that are also prefixes (``_PREFIX_LIKE``).
# ("no", "so", "do" open transliterated words too often: "nomenklatura".)
_RARE_WORD_HEADS = (
    frozenset(("is", "are", "was", "were", "and", "or", "than", "as")) | _PREP_TAILS | _DET_TAILS
) - _PREFIX_LIKE
_NOT_AFTER: dict[str, frozenset[str]] = {
    "aux": _FINITE_NEXT | {"will", "can", "may", "might", "must", "shall", "says"},
    "prep": _FINITE_NEXT | {"have", "had", "said"},
    "det": _FINITE_NEXT | {"have", "had"},
    # An article or possessive opens a noun phrase: no preposition, conjunction or
    # article follows it ("They call it filma in", "plana and": a Russian genitive).
    # ("his" and "its" stand alone too: "his and hers".)
    "art": _FINITE_NEXT
    | _PREP_TAILS
    | _CONJ_TAILS
    | {"have", "had", "but", "to", "the", "a", "an", "also"},
    "conj": _FINITE_NEXT | {"have", "had", "said"},
}


def _next_word_refutes(text: str, m: re.Match[str], fixed: str, at_start: bool) -> bool:
    """Whether the word after a split token rules the split out: its last part an
    auxiliary, a preposition, a determiner or (at a sentence start) a conjunction, and
    the next word a finite verb none of them takes ("Heis was here", "Soldat said",
    "termin was"), or after an article or "my", "your", "our", "their", "every" a
    preposition, conjunction or article ("filma in", "plana and"). Mid-sentence, a
    preposition after a verb may end a clause ("the house he lived in was"): only a
    split whose head is no verb counts there.

    >>> m = re.match(r"(?P<core>Heis)", "Heis was here.")
    >>> _next_word_refutes("Heis was here.", m, "He is", True)
    True
    >>> _next_word_refutes("Heis a doctor.", m, "He is", True)
    False
    >>> m = re.search(r"(?P<core>livedin)", "the house he livedin was old")
    >>> _next_word_refutes("the house he livedin was old", m, "lived in", False)
    False

    At a sentence start, a verb's base form and an adjective or an adverb open an
    imperative ("Be free", "Keep calm"), which no finite verb or modal follows straight
    after: "Befree said" is a name ("Leadresearchers say": a noun phrase, a subject).

    >>> m = re.match(r"(?P<core>Befree)", "Befree said so.")
    >>> _next_word_refutes("Befree said so.", m, "Be free", True)
    True
    >>> _next_word_refutes("Befree to choose.", m, "Be free", True)
    False
    >>> m = re.match(r"(?P<core>Leadresearchers)", "Leadresearchers say so.")
    >>> _next_word_refutes("Leadresearchers say so.", m, "Lead researchers", True)
    False
    """
    parts = fixed.lower().split()
    tail = parts[-1]
    if (
        at_start
        and len(parts) == 2
        and pos_tag(parts[0]) == "VB"
        and guess_tag(parts[1]) in _ADJ | _ADV
        and m.end("core") == m.end()
    ):
        nxt = _NEXT_WORD.match(text, m.end())
        if nxt is not None and guess_tag(nxt.group(1).lower()) in _NAME_VERB:
            return True
    if tail in _AUX_TAILS:
        kind = "aux"
    elif tail in _PREP_TAILS:
        kind = "prep"
    elif tail in _DET_TAILS:
        kind = "det" if tail in ("his", "its") else "art"
    elif tail in _CONJ_TAILS and at_start:
        kind = "conj"
    else:
        return False
    if m.end("core") != m.end():
        return False  # punctuation between: "Sold at, said he" is no reading of either
    nxt = _NEXT_WORD.match(text, m.end())
    word = None if nxt is None else nxt.group(1).lower()
    if kind == "aux" and at_start and word is not None and _aux_refused(tail, word):
        return True  # ("Heis became", "Heis allows": no "is became", "is allows")
    said = kind == "art" and word == "said" and tail != "the"  # "the said agreement"
    if word is None or word not in _NOT_AFTER[kind] and not said:
        return False
    # "he livedin was": mid-sentence, a clause may end in a verb's preposition.
    return at_start or kind not in ("prep", "aux") or pos_tag(parts[-2]) not in _VERB


# How far below chance (log10) the model must write an auxiliary before a past form
# for the pair to be no passive (see ``_aux_refused``).
AUX_PAST_ASSOC = -1.0


def _aux_refused(aux: str, word: str) -> bool:
    """Whether ``word`` cannot follow the auxiliary ``aux``: a verb in -s ("is allows") or
    a past form with no -ed that the model writes after it ten times less often than
    chance (``AUX_PAST_ASSOC``: "is became" -1.2, "is took" -2.2); a past form that is
    also a participle follows as a passive ("It is said" -0.6, "is won", "is known").

    >>> _aux_refused("is", "became"), _aux_refused("is", "allows")
    (True, True)
    >>> _aux_refused("is", "known"), _aux_refused("is", "said")
    (False, False)
    >>> _aux_refused("is", "announced")
    False
    """
    tag = pos_tag(word)
    if tag == "VBZ":
        return True
    if tag != "VBD" or word.endswith("ed"):
        return False
    assoc = BIGRAMS.association(aux, word)
    return assoc is not None and assoc <= AUX_PAST_ASSOC


# A company or product name often reads as two short words, a modifier and a noun
# ("Wildberries", "Goldapple", "Openbank"); at a sentence start it is as likely a name as a
# lost space. A lost space between two content words leaves a longer token (news words
# run to 7+ letters: "Preliminarydata", "Healthauthorities"), so only short ones are taken
# for names, and only where the next word does not go on with the noun phrase.
BRAND_MAX_LEN = 12
_MODIFIER_TAGS = frozenset(("JJ", "NN", "NNS"))
_SINGULAR_VERBS = frozenset(("is", "was", "has", "does"))
_PLURAL_VERBS = frozenset(("are", "were", "have", "do"))
# A title's words: a function word aside, each capitalised.
_TITLE_WORD = lazy_compile(r"(?<![\w'’-])[A-Za-z][a-z]+")
_NEXT_CAPITAL = lazy_compile(r",?[ \t]+[\"'“«‘(]*[A-Z][a-z]")


def brand_shape(parts: list[str]) -> bool:
    """Whether a start token's split reads as a brand's name: two content words, a noun
    after an adjective or a noun, ``BRAND_MAX_LEN`` letters at most.

    >>> brand_shape(["wild", "berries"]), brand_shape(["gold", "apple"])
    (True, True)
    >>> brand_shape(["putin", "spoke"]), brand_shape(["preliminary", "data"])
    (False, False)
    >>> brand_shape(["in", "the"]), brand_shape(["patients", "often"])
    (False, False)
    """
    if len(parts) != 2 or sum(map(len, parts)) > BRAND_MAX_LEN:
        return False
    a, b = (p.lower() for p in parts)
    fn = words("function_words.txt", "en")
    if a in fn or b in fn:
        return False
    return guess_tag(b) in ("NN", "NNS") and guess_tag(a) in _MODIFIER_TAGS


# How strongly the model must bind "a" before a noun for the noun to count as one a
# subject needs an article for ("a store" 0.55, "a group" 0.99; "a transport" 0.00, "a
# data" -0.23, "a growth" -0.11: mass nouns open a sentence bare).
COUNT_NOUN_ASSOC = 0.3


def long_coined_pair(parts: list[str]) -> bool:
    """Whether a start token of over ``BRAND_MAX_LEN`` letters reads as a coined name
    before a finite verb: an adjective or a noun and a singular count noun (one the
    model writes after "a", ``COUNT_NOUN_ASSOC``) that the model never writes together
    (no bigram). Split, the sentence would open with a count noun and no article
    ("Purple telecom said"); a lost space leaves a phrase the model holds ("Clinical
    trial showed"), a mass noun ("Publictransport was", "Preliminarydata"), a plural or a
    process noun ("Ratecorrection").

    >>> long_coined_pair(["enormous", "store"]), long_coined_pair(["purple", "telecom"])
    (False, True)
    >>> long_coined_pair(["exciting", "store"]), long_coined_pair(["public", "transport"])
    (True, False)
    >>> long_coined_pair(["gold", "apple"]), long_coined_pair(["pervasive", "evidence"])
    (False, False)
    """
    a, b = parts
    if len(a) + len(b) <= BRAND_MAX_LEN or b.endswith(_PROCESS_ENDINGS):
        return False
    if guess_tag(b) != "NN" or guess_tag(a) not in ("JJ", "NN"):
        return False
    fn = words("function_words.txt", "en")
    if a in fn or b in fn:
        return False
    pair = BIGRAMS.association(a, b)
    count = BIGRAMS.association("a", b)
    return pair is not None and pair <= 0.0 and count is not None and count >= COUNT_NOUN_ASSOC


def _title_line(text: str, m: re.Match[str]) -> bool:
    """Whether the token ``m`` stands in a title: the next word capitalised (a comma
    between allowed: "Wildberries, Ozon Report ..."), and every word of the line but
    function words ("in", "of", "its") capitalised, 3 at least."""
    if _NEXT_CAPITAL.match(text, m.end()) is None:
        return False
    lo = text.rfind("\n", 0, m.start()) + 1
    hi = text.find("\n", m.end())
    fn = words("function_words.txt", "en")
    found = [
        w
        for w in _TITLE_WORD.findall(text, lo, hi if hi >= 0 else len(text))
        if w.lower() not in fn
    ]
    return len(found) >= 3 and all(w[0].isupper() for w in found)


# A comma and a bare lowercase word (no determiner or relative pronoun: an appositive or a
# clause follows a name, nor what gives a name another one, "also known as", "formerly"):
# a list's item or a clause's adverb ("Vegetablesalad, brown rice", "Testingcapacity,
# largely"), no name's context.
_LIST_COMMA = lazy_compile(
    r",[ \t]+(?!(?:the|a|an|one|its|which|who|whose|whom|formerly|aka)\b"
    r"|(?:also|formerly|previously|better)[ \t]+known\b|known[ \t]+as\b)[a-z]"
)


# What a name's verb is: a past or present finite verb or a modal ("Wildberries said",
# "Goldapple offers", "Openbank will"); a lost space leaves a noun phrase before one too,
# but then as often before a preposition or a noun, which a name does not take alone.
_NAME_VERB_TAGS = frozenset(("VBD", "VBZ", "MD"))
_LINK_THEN_DET = lazy_compile(r"[ \t]+(?:a|an|the|its|his|her|their|our)\b")
_NEXT_NAME = lazy_compile(r"[ \t]+[A-Z][a-z]+\b")
_POSSESSIVE_NEXT = lazy_compile(r"['’]s?[ \t]")
_TO_VERB = lazy_compile(r"[ \t]+to[ \t]+[a-z]")
# The token alone on its line (a comma or a colon after it allowed): a heading or a name,
# no sentence a space was lost in.
_LINE_ALONE = lazy_compile(r"[,:]?[ \t]*(?:\n|$)")
# A colon after the token: a name or a label before what it says ("Goldapple: new rules").
# A capital after it opens a sentence, as after a heading that lost a space ("Mentalstress:
# As described above"): only a lowercase word or a number counts.
_LABEL_COLON = lazy_compile(r":[ \t]+[\"'“«‘]?[a-z0-9]")
# An acronym after the token, a title or a company's form ("Goldapple CEO", "PJSC"): a
# name's modifier; the nouns a lost space leaves are followed by lowercase words or names.
_ACRONYM_NEXT = lazy_compile(r"[ \t]+[A-Z]{2,5}\b(?![.'’-])")
# A comma and a determiner or a relative pronoun after the token: an appositive or a
# relative clause follows a name ("Wildberries, the retailer, grew"; "..., which"), and a
# time phrase's comma a clause ("Last month, the bank ..."); a bare word after the comma
# is a list's ("Solid soap, gel and ...") or a clause's ("..., because").
_COMMA_NEXT = lazy_compile(
    r"(?:,[ \t]+|[ \t]+[(—–][ \t]*|[ \t]+-[ \t]+)"
    r"(?:(?:the|a|an|one|its|which|who|whose|whom)\b|[A-Z][a-z]+['’]s\b)"
    r"|,[ \t]+[A-Z][a-z]+(?:,|[ \t]+and\b)"
)
# How common (Zipf, as the language model writes the phrase) a pair before a comma must be
# to be read as a lost space rather than a name: the time phrases that open a sentence
# with a comma run 3.9-5.1 ("last season", "last month", "last year"); word-pair brands
# mostly below (Wildberries' "wild berries" 0.9, "open bank" 1.6).
COMMA_PHRASE_ZIPF = 3.5
# Nouns that open a sentence as adverbs ("Today mayors reported"): no brand's first word.
_TIME_ADVERBS = frozenset(("today", "yesterday", "tomorrow", "tonight", "now"))


def _start_name(
    text: str, m: re.Match[str], fixed: str, once: Callable[..., Any] | None = None
) -> bool:
    """Whether a sentence's first token that would split into two content words is a
    name by its context: in a title ("Wildberries Launches New Service": a lost space
    there leaves a capital, "WildBerries"), a plural noun before a singular verb
    ("Wildberries has": no "berries has"), or a brand's shape (``brand_shape``) before a
    finite verb or a modal ("Wildberries said", "Goldapple will") or before a preposition
    or "and" that opens a phrase with its own determiner ("Openbank and its partners"),
    unless a plural noun meets a plural verb ("Bunkbeds are") or the text writes the two
    words apart elsewhere (``_pair_written_apart``).

    >>> def name(t):
    ...     m = re.match(r"(?P<core>[A-Za-z]+)", t)
    ...     return _start_name(t, m, split_sentence_start(m.group(), "en", {}) or "")
    >>> name("Wildberries said it grew."), name("Wildberries Opens Its New Store")
    (True, True)
    >>> name("Bunkbeds are a risk."), name("Bunkbeds has a risk.")
    (False, True)
    >>> name("Cloudpayments offers loans."), name("Emergencysymptoms include fever.")
    (True, False)
    >>> name("Wildberries shares fell."), name("Retailsales figures fell.")
    (True, False)

    A noun and a noun or an adjective the model never writes together is a coined name
    (``coined_noun_pair``) whatever follows, but a list's item:

    >>> name("Silvergroup shares fell."), name("Vegetablesalad, brown rice and fish.")
    (True, False)
    >>> name("Silvergroup, also known as SG, grew.")
    True
    >>> name("Inthe city."), name("Preliminarydata indicate that.")
    (False, False)
    >>> name("Goldapple in a statement said."), name("Openbank and its partners agreed.")
    (True, True)
    >>> name("Bloodflows through veins."), name("Regionalhead Igor Petrov met them.")
    (False, False)
    >>> name("Helpingothers is never a waste.")
    False

    Before a comma, a name is taken when an appositive or a relative clause follows and
    the pair is no common phrase (``COMMA_PHRASE_ZIPF``); a time word is no name's head:

    >>> name("Goldapple, the retailer, grew."), name("Goldapple, apples and pears.")
    (True, False)
    >>> name("Lastweek, the bank said."), name("Todaymayors reported it.")
    (False, False)
    >>> name("Goldapple, Russia's largest retailer, grew."), name("Goldapple, Ozon Report Sales")
    (True, True)

    An adverb defers to the word after it, a bracket or a dash opens an appositive too,
    and a name's possessive, a verb before "to" and other names ("and Ozon") mark one:

    >>> name("Goldapple also said so."), name("Goldapple (the retailer) grew.")
    (True, True)
    >>> name("Goldapple' shares fell."), name("Goldapple plans to grow.")
    (True, True)
    >>> name("Goldapple and Ozon grew."), name("Wildanimals often attack.")
    (True, False)

    Alone on its line, before a label's colon or an acronym, and before "to" and a
    verb (a headline's future) after a singular noun, a brand's shape is a name:

    >>> name("Goldapple\\nThe retailer grew."), name("Goldapple: new rules for sellers")
    (True, True)
    >>> name("Goldapple CEO Ivan Petrov said so."), name("Goldapple to open 100 stores")
    (True, True)
    >>> name("Clinicalmanifestations: fever"), name("Taxcuts to come next year.")
    (False, False)
    """
    parts = fixed.lower().split()
    if _singular_were(parts):
        return True
    fn = words("function_words.txt", "en")
    if len(parts) != 2 or parts[0] in fn or parts[1] in fn or parts[0] in _TIME_ADVERBS:
        return False
    if _title_line(text, m):
        return True
    # (``once``: the whole text is searched, once per pair in a long document)
    if (once or _call)(_pair_written_apart, text, parts[0], parts[1]):
        return False  # the text writes the two words apart elsewhere: a lost space
    end = m.end("core")
    if coined_noun_pair(parts) and _LIST_COMMA.match(text, end) is None:
        return True  # a coined name ("Silvergroup shares"), unless a list's item
    if (
        _LINE_ALONE.match(text, end)
        or _LABEL_COLON.match(text, end)
        or _ACRONYM_NEXT.match(text, end)
    ) and brand_shape(parts):
        # A line of its own ("Goldapple" or "Goldapple," as a heading: no sentence), a
        # label's colon ("Goldapple: new rules") or an acronym ("Goldapple CEO Ivan
        # Petrov"): what follows a name; a long token stays a lost space ("Clinical
        # manifestations: fever", "Background information" as a heading)
        return True
    if _COMMA_NEXT.match(text, m.end("core")) and brand_shape(parts):
        phrase = BIGRAMS.phrase_zipf(*parts)  # (None: the model lacks a word, no phrase)
        return phrase is None or phrase < COMMA_PHRASE_ZIPF
    if _POSSESSIVE_NEXT.match(text, m.end("core")) and brand_shape(parts):
        return True  # a name's possessive ("Wildberries' shares", "Goldapple's")
    nxt = _NEXT_WORD.match(text, m.end()) if m.end("core") == m.end() else None
    if nxt is None:
        return False  # a capital next ("Regionalhead Igor"): no evidence
    word = nxt.group(1).lower()
    if pos_tag(word) == "RB" or word == "itself":
        # An adverb says nothing ("Goldapple also said", "Goldapple now sells"): the
        # word after it does.
        after_adverb = _NEXT_WORD.match(text, nxt.end())
        if after_adverb is not None:
            nxt, word = after_adverb, after_adverb.group(1).lower()
    plural = guess_tag(parts[1]) == "NNS"
    singular_verb = word in _SINGULAR_VERBS or pos_tag(word) == "VBZ"  # ("offers", "sells")
    if plural and singular_verb and guess_tag(parts[0]) not in _VERB:
        return True  # ("Helpingothers is": a gerund's phrase takes a singular verb)
    if plural and _plural_noun_after_plural(parts, word):
        return True  # ("Wildberries shares fell": no "berries shares")
    if word in _PLURAL_VERBS:
        return False
    if guess_tag(word) in _NAME_VERB_TAGS and _verb_after_verb(parts):
        return True
    if not brand_shape(parts):
        # (a token over ``BRAND_MAX_LEN`` letters: a name only before its verb, as a
        # coined pair of a singular count noun: "Purpletelecom said")
        return guess_tag(word) in _NAME_VERB_TAGS and long_coined_pair(parts)
    if guess_tag(word) in _NAME_VERB_TAGS:
        return True
    if word.endswith("s") and _TO_VERB.match(text, nxt.end()):
        return True  # a verb before "to" ("Goldapple plans to"): "plans" is no noun there
    if word == "to" and guess_tag(parts[1]) == "NN" and _base_verb_next(text, nxt.end()):
        # A headline's future after a singular noun ("Goldapple to open 100 stores"); a
        # plural one is as often a lost space in a headline ("Taxcuts to come")
        return True
    # A preposition or "and" opening a phrase with its own determiner ("Goldapple in a
    # statement said", "Openbank and its partners"): the name's phrase ended before it.
    after = _LINK_THEN_DET.match(text, nxt.end())
    if word == "and" and after is None:
        after = _NEXT_NAME.match(text, nxt.end())  # ("Goldapple and Ozon grew")
    return after is not None and (word in _PREP_TAILS or word == "and")


def _verb_after_verb(parts: list[str]) -> bool:
    """Whether a start split of ``BRAND_MAX_LEN`` letters at most ends in a verb's base
    form after a noun or an adjective ("Lowpay": "pay" VB), or in an adjective after an
    adjective ("Digitalnet": "net" JJ): before a finite verb ("Digitalnet said") the split
    leaves two verbs or no noun for the subject, so the token is a name.

    >>> _verb_after_verb(["digital", "net"]), _verb_after_verb(["low", "pay"])
    (True, True)
    >>> _verb_after_verb(["loud", "talking"]), _verb_after_verb(["putin", "spoke"])
    (False, False)
    >>> _verb_after_verb(["rwanda", "native"])
    False
    """
    a, b = parts
    if len(a) + len(b) > BRAND_MAX_LEN or guess_tag(a) not in _MODIFIER_TAGS:
        return False
    # (an adjective after a noun may be a noun itself: "Rwandanative admits", a native)
    return pos_tag(b) in ("VB", "VBP") or pos_tag(b) == "JJ" and guess_tag(a) == "JJ"


def _base_verb_next(text: str, at: int) -> bool:
    """Whether the word at ``at`` is a verb's base form ("to open", "to buy")."""
    nxt = _NEXT_WORD.match(text, at)
    if nxt is None:
        return False
    word = nxt.group(1).lower()
    tag = pos_tag(word)
    # (a verb tagged first as an adjective, "open", counts if "to" binds it as verbs are)
    return tag == "VB" or tag == "JJ" and (BIGRAMS.association("to", word) or 0.0) >= 0.5


# How common (Zipf, as the model writes it) a pair ending in a plural must be to be a set
# phrase that modifies a noun as one word: "international affairs" 2.6, "armed forces"
# 3.8, "human rights" 4.1; the plural brands before their own noun lie lower ("wild
# berries" 0.9, "smart payments" -0.5).
PLURAL_SET_PHRASE_ZIPF = 2.0


def _plural_noun_after_plural(parts: list[str], word: str) -> bool:
    """Whether a start split that ends in a plural noun meets a plural noun next that the
    language model never writes after it (no bigram: "berries shares"): a noun modifying
    another takes the singular ("berry shares"), and the plural modifiers English keeps
    are phrases the model holds ("sales figures", "workers unions"), so the token is a
    name before its own noun ("Wildberries shares fell"). A set phrase's plural
    (``PLURAL_SET_PHRASE_ZIPF``: "international affairs", "human rights", "armed forces")
    modifies as one word ("International affairs experts"), and a verb's form first
    ("Helpingothers") decides nothing.

    >>> _plural_noun_after_plural(["wild", "berries"], "shares")
    True
    >>> _plural_noun_after_plural(["retail", "sales"], "figures")
    False
    >>> _plural_noun_after_plural(["wild", "berries"], "grow")
    False
    >>> _plural_noun_after_plural(["gold", "apple"], "shares")
    False
    >>> _plural_noun_after_plural(["international", "affairs"], "experts")
    False
    """
    a, b = parts
    if guess_tag(b) != "NNS" or guess_tag(a) in _VERB or pos_tag(word) != "NNS":
        return False
    assoc = BIGRAMS.association(b, word)
    if assoc is None or assoc > 0.0:
        return False
    phrase = BIGRAMS.phrase_zipf(a, b)
    return phrase is None or phrase < PLURAL_SET_PHRASE_ZIPF


def _singular_were(parts: list[str]) -> bool:
    """Whether a start split is a singular noun before "were", a pair the language model
    does not write (no bigram: "den were"), unlike a collective noun's ("police were",
    "staff were"): one subject takes "was", and a token ending so is a name or a Russian
    case form ("Denwere" stays, as "Wankuwere" does).

    >>> _singular_were(["den", "were"]), _singular_were(["police", "were"])
    (True, False)
    >>> _singular_were(["people", "were"]), _singular_were(["den", "was"])
    (False, False)
    """
    if len(parts) != 2 or parts[1] != "were" or guess_tag(parts[0]) != "NN":
        return False
    assoc = BIGRAMS.association(parts[0], "were")
    return assoc is not None and assoc < 0.0


def _call(fn: Callable[..., Any], *args: Any) -> Any:
    return fn(*args)


def _pair_written_apart(text: str, a: str, b: str) -> bool:
    """Whether ``text`` holds the two words of a token's split apart, outside the
    token ("Income tax rose. ... Incometax is due"): a name is written one way.

    >>> t = "Wild animals roam. Wildanimals might come."
    >>> _pair_written_apart(t, "wild", "animals")
    True
    >>> t = "Wildanimals might come."
    >>> _pair_written_apart(t, "wild", "animals")
    False
    """
    if a.isascii() and _CASE_ODD.search(text) is None:
        # (as in _recurs: the lowercase text holds ``a`` and its space wherever it matches)
        low, head = text.lower(), a.lower()
        if head + " " not in low and head + "\t" not in low:
            return False
    pattern = rf"(?<![\w-]){re.escape(a)}[ \t]+{re.escape(b)}(?![\w-])"
    return re.search(pattern, text, re.IGNORECASE) is not None


_ARTICLE_BEFORE = lazy_compile(r"\b(?:the|a|an)[ \t]+[\"'«“‘]*$", re.IGNORECASE)


def _holds_determiner(text: str, m: re.Match[str], fixed: str) -> bool:
    """Whether a split opens with the article or preposition of the noun phrase that a
    label ends ("theofficial website", "onunverified sites", "Theextracellular domain"):
    the token is no site's name, as a name named so follows its own article ("the
    stopcoronavirus website"; "the thebell website" stays)."""
    first = fixed.split()[0].lower()
    if first not in _DET_TAILS and first not in _PREP_TAILS:
        return False
    return _ARTICLE_BEFORE.search(text, max(0, m.start() - 30), m.start("core")) is None


def _opens_sentence(text: str, chunk_start: int) -> bool:
    """Whether the chunk at ``chunk_start`` opens a line or follows a sentence's end."""
    head = text[max(0, chunk_start - 4) : chunk_start].rstrip(" \t")
    return not head or head.endswith("\n") or head.rstrip("\"'”»’)")[-1:] in (".", "!", "?", "…")


def _named_elsewhere(text: str, core: str) -> bool:
    """Whether ``core`` also stands capitalised inside a sentence: a name ("... met
    Atwood"), not a sentence's first word fused with the next."""
    if " " + core not in text:
        return False  # (what the pattern needs: saves compiling it, once per token)
    return re.search(rf"[\w,;:] +{re.escape(core)}\b", text) is not None


def _recurs_as_name(text: str, core: str, fixed: str, lang: str) -> bool:
    """Whether a sentence's first token that would split into a word and no function
    word first ("Moderna", "Jarquewas") opens another sentence of the text too: a name
    the text keeps using, as a lost space does not repeat itself. (MT's function-word
    fusions do repeat: "Inthe" twice is still split, as is any function word's pair
    the news model binds; "Ofis", "Isus" twice are names.)"""
    if not _recurs(text, core):
        return False  # (counted first: the model is asked only of a recurring token)
    parts = fixed.lower().split()
    if parts[0] not in words("function_words.txt", lang):
        return True
    assoc = BIGRAMS.association(*parts) if len(parts) == 2 else None
    return assoc is not None and assoc < FN_PHRASE_ASSOC


def _repeated_term(text: str, core: str, fixed: str, lang: str) -> bool:
    """Whether two content words run together recur in ``text``: a lost space is an
    accident and does not repeat itself, a term MT coined does ("spunbond" twice in a
    product text). Function-word fusions repeat when MT makes them ("ofthe"; "Thecity"
    opening two sentences: a start token's split is capitalised, hence ``lower``).

    >>> _repeated_term("Thecity slept. Thecity woke.", "Thecity", "The city", "en")
    False
    >>> _repeated_term("the spunbond and spunbond", "spunbond", "spun bond", "en")
    True
    >>> _repeated_term("Silvergroup grew. See silvergroup.ru", "Silvergroup", "Silver group", "en")
    True
    """
    fn = words("function_words.txt", lang)
    if any(p.lower() in fn for p in fixed.split()):
        return False
    return _recurs(text, core)


# The characters other than ASCII letters that a case-blind ASCII letter matches (``re``'s
# IGNORECASE) or whose lowercase holds one: without them, text.lower() holds an ASCII word
# wherever the case-blind pattern finds it.
_CASE_ODD = lazy_compile("[\u0130\u0131\u017f\u212a]")


def _recurs(text: str, core: str) -> bool:
    """Whether ``core`` stands in ``text`` twice or more as a whole run of letters, in any
    case: a brand recurs in capitals, in lowercase in its site's address ("silvergroup.ru")
    or in a heading ("SILVERGROUP"); a lost space does not repeat itself in any case.

    >>> _recurs("Silvergroup grew. See silvergroup.ru", "Silvergroup")
    True
    >>> _recurs("Silvergroup grew. See silvergroups", "Silvergroup")
    False
    """
    # Fewer than two case-blind occurrences at all: no need to compile the pattern (a new
    # one per token; most tokens occur once).
    if core.isascii() and _CASE_ODD.search(text) is None and text.lower().count(core.lower()) < 2:
        return False
    pattern = rf"(?<![^\W\d_]){re.escape(core)}(?![^\W\d_])"
    return len(re.findall(pattern, text, re.IGNORECASE)) >= 2


def preload_tables(lang: str = "en") -> None:
    """Read now what ``split_fused_words`` reads on first need: its word lists and the
    bigram model (~40 MB of native memory, read only once a candidate needs a phrase)."""
    _keep_words(lang)
    _start_keep(lang)
    _ing_heads()
    common_words()
    pos_tag("the")
    BIGRAMS.association("the", "news")


# Text without capitals on its names (a reader's comment, a lower-case feed's headline):
# a capital inside a sentence, not the pronoun "I". Where a line has none, a lowercase
# token may be a name its writer did not capitalise ("callejon del beso", "thea").
_CAPITAL_INSIDE = lazy_compile(
    r"(?<![.!?…]\s)(?<![.!?…]\s[\"'“«(])(?<!^)(?<!^[\"'“«(])(?<!\n)(?<!\n[\"'“«(])"
    r"(?!I(?![^\W\d_]))[^\W\d_](?<=[^\W\d_a-zà-ÿа-яё])"
)
# How much commoner (Zipf) than a token wordfreq knows its split must be as a phrase in such
# a line to stand on that alone: "in the" for "inthe" (+4.0) is; "be so" for "beso" (+2.7),
# "the a" for "thea" (+1.2), "pass at" for "passat" (+0.2) are not, nor are MT's
# "ina", "ata", "toa" (+2.3 to +3.0), which the words around them vouch for instead.
CASELESS_PHRASE_MARGIN = 3.0
# How well (log10 P(b|a)/P(b)) the language model must bind the split's two words for it
# to stand: "up to" 0.6, "a set" 0.4; "be so" 0.15, "pass at" 0.1, "the a" -1.7.
CASELESS_PAIR_ASSOC = 0.3
# How well (log10 P(c|a b)/P(c)) the language model must predict the next word from the
# split ("in a | hurry" 1.2, "at a | parking" 0.8, "to do | it" 0.9) or, where no word
# follows, the split's second word from the previous word and its first ("have a | key"
# 0.8) for the words around a token to vouch for its split: a name's letters fit neither
# ("be so | is" -0.8, "pass at | and" -1.0, "is the | a" -2.1, "and pass | at" 0.0).
CASELESS_NEXT_ASSOC = -0.5
CASELESS_PREV_ASSOC = 0.5


def names_uncased(line: str) -> bool:
    """Whether ``line`` capitalises nothing but its sentences' first words and "I": its
    names, if any, are lowercase like its words.

    >>> names_uncased("i saw the callejon del beso. it was nice"), names_uncased("I met Ann.")
    (True, False)
    """
    return _CAPITAL_INSIDE.search(line) is None


def caseless_name_risk(core: str, fixed: str, lang: str) -> bool:
    """Whether a lowercase ``core`` that wordfreq knows may be a name written without its
    capital, its split ``fixed`` no phrase far commoner than it. Capitalised, such a token
    would be kept whole (the splitter reads a capital as a name); lowercase in a line that
    capitalises no name, its case says nothing. Tokens wordfreq does not know are left to
    the rules as they are ("andeconomic").

    >>> caseless_name_risk("beso", "be so", "en"), caseless_name_risk("inthe", "in the", "en")
    (True, False)
    """
    zc = zipf(core, lang)
    if zc <= 0.0:
        return False
    parts = fixed.lower().split()
    if len(parts) != 2:
        return True
    if _phrase_outnumbers(parts, zc, lang):
        return False  # a set phrase: "atleast", "socialmedia"
    assoc = BIGRAMS.association(*parts)
    if assoc is not None and assoc >= CASELESS_PAIR_ASSOC:
        return False  # the model binds the two words: "upto" (0.6), "aset" (0.4)
    phrase = BIGRAMS.phrase_zipf(*parts)
    return phrase is None or phrase < zc + CASELESS_PHRASE_MARGIN


def context_fits(prev: str | None, fixed: str, nxt: str | None) -> bool:
    """Whether the words around a split token vouch for its split ``fixed``: the language
    model expects the next word after it or, where none follows, its second word after the
    previous word and its first.

    >>> context_fits("was", "in a", "hurry"), context_fits("del", "be so", "is")
    (True, False)
    """
    a, b = fixed.lower().split()[-2:]
    if nxt is not None:
        assoc = BIGRAMS.context_association(a, b, nxt.lower())
        return assoc is not None and assoc >= CASELESS_NEXT_ASSOC
    if prev is not None:
        assoc = BIGRAMS.context_association(prev.lower(), a, b)
        return assoc is not None and assoc >= CASELESS_PREV_ASSOC
    return False


def _caseless_keep(text: str, m: re.Match[str], core: str, fixed: str, lang: str) -> bool:
    """Whether to keep a lowercase token whole as a name its line does not capitalise
    ("callejon del beso", "thea said"): a capitalised one would be kept."""
    if not core.islower() or not caseless_name_risk(core, fixed, lang):
        return False
    if not names_uncased(_line_at(text, m.start())):
        return False
    prev = _PREV_WORD.search(text, max(0, m.start() - 40), m.start())
    nxt = _NEXT_WORD.match(text, m.end()) if m.end("core") == m.end() else None
    return not context_fits(
        None if prev is None else prev.group(1), fixed, None if nxt is None else nxt.group(1)
    )


# Letters in the longest token split_fused_words considers. Words run together are a few
# words long (the dev sets' English has no letter run over 22); a longer run is a stuck key
# or a comment's "hahaha…", and the splits try every cut of it: a 2 MB one took hours.
MAX_FUSED_LEN = 64


@rule(
    "split_fused_words",
    stage=40,
    langs=("en",),
    params={
        "min_zipf": Param(3.0, "Each part of 3+ letters must be at least this common (Zipf)."),
        "known_zipf": Param(
            1.0, "A token at least this common is a known word (split only on margin)."
        ),
        "margin": Param(
            0.0, "A known token is split only if its parts are this much likelier (log10)."
        ),
        "content_pairs": Param(
            True,
            "Also split into two content words (no function word among the parts) when the"
            " token is unknown, the pair a common phrase and no compound pattern fits.",
        ),
        "content_zipf": Param(
            3.5, "Each part of a content+content split must be at least this common (Zipf)."
        ),
        "phrase_assoc": Param(
            0.2,
            "A content+content pair is a phrase if the news language model binds it at least"
            " this much (log10 P(b|a)/P(b)); wordsegment's phrase list and grammar also count.",
        ),
        "min_known_share": Param(0.6, "Split only in lines where this share of words is known."),
        "start_known_zipf": Param(
            _START_KNOWN_DEFAULT,
            "A capitalised token opening a sentence at least this common (a name: Inman,"
            " Andover) is split only into a function word and a determiner (Inthe, Atthe).",
        ),
    },
    risk="a rare lowercase word absent from wordfreq that happens to be two common words",
)
def split_fused_words(text: str, lang: str, params: Mapping[str, Any]) -> list[Edit]:
    """Split words that MT fused (``andeconomic``, ``inRussia``, ``Thecity`` opening a
    sentence, ``LosAngeles``); names, brands and handles are kept.

    >>> from cleaners.repair.engine import replay
    >>> t = "trade andeconomic projects inRussia; Tokayev, pin_code, rotkiv04, 10km"
    >>> replay(t, split_fused_words(t, "en", {}))
    'trade and economic projects in Russia; Tokayev, pin_code, rotkiv04, 10km'
    >>> t = "Thecity of LosAngeles is on YouTube."
    >>> replay(t, split_fused_words(t, "en", {}))
    'The city of Los Angeles is on YouTube.'
    """
    try:
        return _fused_word_edits(text, lang, params)
    finally:
        # (its entries hold the text: a book-length side's, kept after its repair, was ~27 MB
        # of a 20 MB pair's run)
        _stands_apart.cache_clear()


def _fused_word_edits(text: str, lang: str, params: Mapping[str, Any]) -> list[Edit]:
    args = _segment_args(params)
    # Fast path: most lines hold no lowercase word outside the dictionary, and the
    # unknown ones MT repeats are mostly names or new words that do not split. Only the
    # words in ``unknown`` and camel case can be split below.
    unknown: set[str] | None = None
    starts: set[str] = set()
    by_context: set[str] = set()  # first words only the next word can split ("Asa")
    hint = False  # a capital after a small letter: camel case ("inRussia", "LosAngeles")
    if lang == "en":
        unknown = _LOWER5.findall(text) - dictionary_words()  # a set (Dictionary.__rsub__)
        unknown = {w for w in unknown if len(w) <= MAX_FUSED_LEN}
        first = _FIRST_CAP.match(text)
        found = [] if first is None else [first.group("w")]
        found += _NEXT_CAP_DOT.findall(text)
        if "\n" in text or "!" in text or "?" in text or "…" in text:
            found += _NEXT_CAP_RARE.findall(text)
        found = [w for w in found if len(w) <= MAX_FUSED_LEN]
        kinds = _start_kinds(args) if found else {}
        for w in found:
            kind = kinds.get(w)
            if kind is None:
                kind = _start_kind(w, lang, args)
                if len(kinds) > _START_KINDS_MAX:
                    kinds.clear()
                kinds[w] = kind
            if kind == _SPLITS:
                starts.add(w)
            elif kind == _BY_NEXT_WORD:
                by_context.add(w)
        hint = _CAMEL_HINT.search(text) is not None
        seg = args[:7]
        if (
            not starts
            and not by_context
            and not (hint and (_CAMEL_ANY.search(text) or _JOINED_NAME.search(text)))
            and not any(split_capital_tail(t, lang) for t in _CAP_TAIL_SCAN.findall(text))
            and not any(
                _capital_cuts(t) and capital_word_parts(t, text)
                for t in _CAP_WORD_FAST.findall(text)
            )
            and (
                not unknown
                or all(_split_fused(w, lang, *seg) is None for w in unknown)
                and all(_split_by_document(text, w, lang) is None for w in unknown)
                and all(next_word_parts(w, lang) is None for w in unknown)
                and all(beside_rare_word(w, lang) is None for w in unknown)
                and all(short_fn_parts(w, lang) is None for w in unknown)
                and (not args[1] or all(subject_verb_parts(w, lang) is None for w in unknown))
            )
        ):
            return []
    min_share = float(with_defaults("split_fused_words", params)["min_known_share"])
    shares: dict[tuple[int, str], float] = {}
    # What a word's other occurrences say, once per word: each question scans the whole
    # text, and a book-length side asks it for every occurrence (quadratic time).
    seen: dict[tuple[Any, ...], Any] = {}

    def once(fn: Callable[..., Any], *args: Any) -> Any:
        key = (fn, *args[1:])  # args[0] is the text, the same for every question
        if key not in seen:
            seen[key] = fn(*args)
        return seen[key]

    fn_words = words("function_words.txt", lang)
    found: list[tuple[int, int, str, str]] = []  # splits, kept where their line is `lang`
    for m in _CHUNK.finditer(text):
        core = m.group("core")
        if len(core) > MAX_FUSED_LEN:
            continue
        if (
            unknown is not None
            and core not in unknown
            and core.islower()
            and core not in starts
            and core not in by_context
        ):
            continue  # a dictionary word in lowercase: no capital for any test below
        start = core in starts and _opens_sentence(text, m.start())
        by_next = None
        if core in by_context and _opens_sentence(text, m.start()):
            by_next = _split_by_next_word(text, m, core, lang)
            if by_next is None or once(_named_elsewhere, text, core):
                continue
        joined = hint and _JOINED_NAME.fullmatch(core) is not None
        tailed = not joined and core[:1].isupper() and _CAP_TAIL.fullmatch(core) is not None
        # A capitalised word run into a verb or a conjunction after it ("Kremlinsaid").
        # (Also where a function word's cut was tried and failed: "Putinadministration"
        # ends in "on", not a split there.)
        worded = (
            not (start or joined or by_next is not None)
            and not (tailed and split_capital_tail(core, lang) is not None)
            and core[:1].isupper()
            and _CAP_WORD_SCAN.fullmatch(text, m.start("core"), m.end("core")) is not None
            and once(split_capital_word, text, core, lang) is not None
        )
        candidate = (
            start
            or by_next is not None
            or joined
            or tailed
            or worded
            or _CAMEL.match(core) is not None
        )
        if unknown is not None and core not in unknown and not candidate:
            continue  # a dictionary word, or too short to be two
        word_lang = "en" if core.isascii() else "ru"
        if word_lang != lang:
            continue  # Russian compounds are too productive to split safely: English only
        if by_next is not None:
            fixed = by_next
        elif start:
            if once(_named_elsewhere, text, core):
                continue
            fixed = _split_start(core, word_lang, args)
            if fixed is not None and once(_recurs_as_name, text, core, fixed, lang):
                continue
            if fixed is not None and _next_word_refutes(text, m, fixed, True):
                continue
            if fixed is not None and _start_name(text, m, fixed, once):
                continue
        elif joined:
            fixed = split_joined_name(core, word_lang)
        elif tailed and (fixed := split_capital_tail(core, word_lang)) is not None:
            pass  # "Ministryof", "Moscowin": mid-sentence, where no start rule looks
        elif worded:
            # (mid-sentence only, as _CAP_WORD_SCAN asks: a first word is the start rules')
            fixed = once(split_capital_word, text, core, word_lang)
        else:
            fixed = _split_fused(core, word_lang, *args[:7])
            if fixed is None and unknown is not None and core in unknown:
                fixed = once(_split_by_document, text, core, word_lang)
                if fixed is None:
                    fixed = _split_by_next_word_inside(text, m, core, word_lang)
                if fixed is None:
                    fixed = beside_rare_word(core, word_lang)
                if fixed is None:
                    fixed = _split_by_both_sides(text, m, core, word_lang)
                if fixed is None and args[1]:  # (a content pair: off with content_pairs)
                    fixed = _split_subject_verb(text, m, core, word_lang)
            if fixed is not None and _next_word_refutes(text, m, fixed, False):
                continue
            if fixed is not None and _caseless_keep(text, m, core, fixed, word_lang):
                continue  # "beso", "thea": a name, maybe, where no name has its capital
        if fixed is None:
            continue
        if (
            not any(p.lower() in fn_words for p in fixed.split())
            and _LABEL_BEFORE.search(text, max(0, m.start() - 30), m.start("core")) is not None
        ):
            continue  # "the website lordfilms": a name (a verb after a label is a fusion)
        if (
            _NAMED_AS.match(text, m.end("core"))
            and fixed.split()[-1].lower() not in fn_words
            and not _holds_determiner(text, m, fixed)
        ):
            # "the stopcoronavirus website" names a site; a split that ends in a function
            # word leaves it the next noun ("Seeingthe sites": "Seeing the sites").
            continue
        if once(_repeated_term, text, core, fixed, lang):
            continue
        found.append((m.start("core"), m.end("core"), fixed, word_lang))
    return [
        make_edit("split_fused_words", text, a, b, fixed)
        for a, b, fixed, word_lang in found
        if _line_share(text, a, found, word_lang, shares) >= min_share
    ]


def _line_at(text: str, at: int) -> str:
    """The line of ``text`` that holds offset ``at``."""
    end = text.find("\n", at)
    return text[text.rfind("\n", 0, at) + 1 : len(text) if end < 0 else end]


def _line_share(
    text: str,
    at: int,
    found: list[tuple[int, int, str, str]],
    lang: str,
    shares: dict[tuple[int, str], float],
) -> float:
    """``known_share`` of the line holding offset ``at``, read with the line's proposed splits
    made (``found``: start, end, replacement, language): a short line with two fusions
    ("They gotpain inthe city.") is English once they are split, while a foreign line keeps
    its unknown words (they do not split into words of ``lang``)."""
    lo = text.rfind("\n", 0, at) + 1
    if (lo, lang) not in shares:
        hi = text.find("\n", at)
        hi = hi if hi >= 0 else len(text)
        line, end = [], lo
        for a, b, fixed, _ in found:
            if lo <= a < hi:
                line += [text[end:a], fixed]
                end = b
        shares[lo, lang] = known_share("".join(line) + text[end:hi], lang)
    return shares[lo, lang]


# The lowercase word after a token (one space): what a start token's context is read from.
_NEXT_WORD = lazy_compile(r"[ \t]([a-z]+|I)\b")
# Two capitalised words run together ("LosAngeles", "HongKong"), a whole token.
_JOINED_NAME = lazy_compile(
    r"(?<![\w@./'’-])(?P<a>[A-Z][a-z]+)(?P<b>[A-Z][a-z]{2,})(?![\w@/'’-]|\.\w)"
)
# Name particles that are written joined on purpose: McDonald, DiCaprio, LaGuardia.
_PARTICLES = frozenset(
    ("mc", "mac", "de", "di", "da", "du", "la", "le", "van", "von", "del", "della", "des")
    + ("dos", "al", "el", "bin", "ben", "abu", "st", "o")
)


# Capitalised articles and prepositions that open a sentence or a name and that MT (or a
# scrape) runs into the capitalised word after them: "TheKremlin", "InMoscow", "OnMonday".
_JOINED_HEADS = frozenset(
    ("the", "in", "on", "at", "for", "from", "to", "of", "by", "with", "and", "after")
    + ("before", "during", "against", "near", "under", "over", "into", "about", "since")
    + ("until", "between", "among", "amid", "across", "through", "without", "within")
)


def split_joined_name(core: str, lang: str) -> str | None:
    """Two capitalised words MT ran together, split when they are a known phrase
    (wordsegment's list of common word pairs: "los angeles", "hong kong"), unless the
    joined form is a word wordfreq knows (Zipf >= 3: the brands YouTube, PlayStation,
    WhatsApp), starts with a name particle (McDonald, DiCaprio, LaGuardia) or holds a
    function word (WeWork, LinkedIn: brands). A capitalised article or preposition run
    into a word ("TheKremlin", "InMoscow") is split when the word is one wordfreq knows
    (Zipf >= 3) and the whole token is none its large list knows (Zipf < 1): brands built
    so are (InDesign 2.3, OnStar 2.1, AtHome 1.4, TheGuardian 1.0).

    >>> [split_joined_name(w, "en") for w in ("LosAngeles", "NewYork", "HongKong")]
    ['Los Angeles', 'New York', 'Hong Kong']
    >>> [split_joined_name(w, "en") for w in ("YouTube", "McDonald", "WeWork", "BlackRock")]
    [None, None, None, None]
    >>> [split_joined_name(w, "en") for w in ("TheKremlin", "InMoscow", "OnMonday")]
    ['The Kremlin', 'In Moscow', 'On Monday']
    >>> [split_joined_name(w, "en") for w in ("InDesign", "OnStar", "InBev", "LinkedIn")]
    [None, None, None, None]
    """
    m = _JOINED_NAME.fullmatch(core)
    if m is None or lang != "en":
        return None
    a, b = m.group("a").lower(), m.group("b").lower()
    fn = words("function_words.txt", lang)
    if a in _PARTICLES or b in fn or zipf(a + b, lang, 3.0) >= 3.0:
        return None
    if a in fn:
        if a in _JOINED_HEADS and zipf(b, lang, 3.0) >= 3.0 and zipf(a + b, lang) < 1.0:
            return f"{m.group('a')} {m.group('b')}"
        return None
    return f"{m.group('a')} {m.group('b')}" if f"{a} {b}" in PHRASES else None


# A capitalised word run into the function word after it ("Ministryof", "Moscowin",
# "Russiaand"), a whole token. "a" and "an" are left out: they end too many names
# ("Tehran", "Kazakhstan").
_CAP_TAILS = ("and", "the", "with", "from", "for", "of", "in", "on", "at", "to", "by")
_CAP_TAIL = lazy_compile(
    r"(?<![\w@./'’-])[A-Z][a-z]{3,}?(?:" + "|".join(_CAP_TAILS) + r")(?![\w@/'’-]|\.\w)"
)
# The fast path's scan for such tokens: greedy, no lookarounds (the one above, lazy, cost a
# fifth of ``mtclean clean``'s time on WMT21's MT; this one 3 %).
_CAP_TAIL_SCAN = lazy_compile(r"[A-Z][a-z]{3,}(?:" + "|".join(_CAP_TAILS) + r")\b")


def split_capital_tail(core: str, lang: str) -> str | None:
    """A capitalised word and the function word MT (or a scrape) ran into it, split when
    the head is a word wordfreq knows well (Zipf >= 3, four letters or more) and the token
    is none its large list knows (Zipf < 1): names that end so are words it knows
    ("Berlin", "Austin", "Carson", "Finland") or have no word for a head ("Sobyanin").

    >>> [split_capital_tail(w, "en") for w in ("Ministryof", "Moscowin", "Russiaand")]
    ['Ministry of', 'Moscow in', 'Russia and']
    >>> [split_capital_tail(w, "en") for w in ("Berlin", "Austin", "Sobyanin", "Easton")]
    [None, None, None, None]
    """
    if lang != "en" or _CAP_TAIL.fullmatch(core) is None:
        return None
    low = core.lower()
    if low in dictionary_words() or zipf(low, lang, 3.0) >= 3.0:
        return None
    tail = next(t for t in _CAP_TAILS if low.endswith(t))
    head = low[: -len(tail)]
    if len(head) < 4 or zipf(head, lang, 3.0) < 3.0 or zipf(low, lang) >= 1.0:
        return None
    return f"{core[: len(head)]} {core[len(head) :]}"


# A capitalised word run into the lower-case word after it, mid-sentence ("the Kremlinsaid",
# "Zakharovanoted", "Chinareported"): the tails are the verbs and connectives that follow a
# subject or a place in news (a finite verb, a modal, a participle, a preposition or
# conjunction below). A noun tail is left whole after a dictionary word: brands are built so
# ("Silvergroup", "Goldapple"), and so are the name endings the tagger calls words ("-ton",
# "-son", "-well", "-more"); it is split after a nationality ("the Russianleader") and,
# five letters or more and frequent, after a name ("Zhanggroup", ``_name_noun``).
_CAP_WORD_SCAN = lazy_compile(r"(?<=[\w,;:] )[A-Z][a-z]{6,64}\b")
# The fast path's scan, without the lookbehind (a third of its cost): it finds more (after
# a quote, a dash), and the loop below asks _CAP_WORD_SCAN of each.
_CAP_WORD_FAST = lazy_compile(r" ([A-Z][a-z]{6,64})\b")
_CAP_WORD_TAGS = frozenset(("VBD", "VBZ", "VBN", "MD"))
_CAP_WORD_TAILS = frozenset(
    (
        "are", "have", "has", "had", "was", "were", "will", "would", "could", "should",
        "might", "must", "did", "does", "who", "which", "that", "but", "also", "after",
        "before", "during", "about", "including", "because", "while", "where", "when",
        "since", "until", "against", "between", "among", "earlier", "today", "yesterday",
        "said", "says", "told", "announced", "added", "noted",
    )
)  # fmt: skip
# After a nationality ("the Russianleader", "Chinesegovernment", "the Russianforeign
# ministry") a noun or an adjective is a tail too: a nationality adjective is no name's
# head, and the names built on one wordfreq knows and are kept ("Germanwings").
_NATIONALITY_TAIL_TAGS = frozenset(("NN", "NNS", "JJ"))
# Past forms and participles that end names ("-led", "-wed", "-sted", "Sanborn").
_CAP_WORD_REFUSED = frozenset(
    ("led", "wed", "fed", "bed", "shed", "sted", "ted", "red", "ness", "born")
)


def split_capital_word(text: str, core: str, lang: str) -> str | None:
    """``core`` (a capitalised token inside a sentence of ``text``) as a capitalised word
    and the verb or connective a lost space ran into it, or None.

    >>> t = "The Kremlinsaid that Zakharova spoke; Zakharovanoted it, as Chinareported."
    >>> [split_capital_word(t, w, "en") for w in ("Kremlinsaid", "Zakharovanoted")]
    ['Kremlin said', 'Zakharova noted']
    >>> [split_capital_word(t, w, "en") for w in ("Moscowitz", "Washingtonian", "Newton")]
    [None, None, None]
    """
    if lang != "en":
        return None
    parts = capital_word_parts(core, text)
    return None if parts is None else f"{parts[0]} {parts[1]}"


def capital_word_parts(core: str, text: str) -> tuple[str, str] | None:
    """The best cut of ``core`` into a head and a tail (``split_capital_word``'s test):
    the token is none wordfreq's large list or the dictionary knows and does not recur in
    ``text`` (a name repeats, a lost space does not); the tail is a common word (Zipf 3.5)
    of a verb's or a connective's kind, or after a nationality (``nationalities.txt``) a
    noun's or an adjective's ("Russianleader"), or after a name a frequent noun's
    (``_name_noun``: "Zhanggroup"); the head, four letters or more, is a word wordfreq
    knows well (Zipf 3: "Kremlin", "China") or stands apart in ``text`` ("Zakharova").

    >>> capital_word_parts("Chinareported", ""), capital_word_parts("Moscowitz", "")
    (('China', 'reported'), None)
    >>> capital_word_parts("Russianleader", ""), capital_word_parts("Zhanggroup", "")
    (('Russian', 'leader'), ('Zhang', 'group'))
    >>> capital_word_parts("Silvergroup", ""), capital_word_parts("Zhangfield", "")
    (None, None)
    """
    best: tuple[float, str, str] | None = None
    for score, zh, head, tail in _capital_cuts(core):
        if zh < 3.0 and not _stands_apart(text, head):
            continue
        if best is None or score > best[0]:
            best = (score, head, tail)
    if best is None or _recurs(text, core) or zipf(core.lower(), "en") > 0.0:
        return None  # (the large list last: reading it costs a tenth of a clean run)
    return best[1], best[2]


@lru_cache(maxsize=65536)
def _stands_apart(text: str, head: str) -> bool:
    """Whether ``head`` stands in ``text`` as a word of its own (no word character or hyphen
    beside it). Cached for one text's scan, cleared after it (``split_fused_words``).

    >>> _stands_apart("Zakharovanoted it; Zakharova said", "Zakharova")
    True
    >>> _stands_apart("Zakharovanoted it", "Zakharova")
    False
    """
    if head.isalpha():
        # Only an occurrence with no word character or hyphen after it can match: most heads
        # occur only inside their token, and the pattern (new per head) is then not compiled.
        end = len(head)
        at = text.find(head)
        while at >= 0:
            nxt = text[at + end : at + end + 1]
            if not nxt or not (nxt.isalnum() or nxt in "_-"):
                break
            at = text.find(head, at + 1)
        else:
            return False
    return re.search(rf"(?<![\w-]){head}(?![\w-])", text) is not None


def _capital_cuts(core: str) -> tuple[tuple[float, float, str, str], ...]:
    """``capital_word_parts``'s cuts that pass every test but the text's, as (score, head
    Zipf, head, tail): cached, as most capitalised words recur (names, months) and none
    cuts."""
    low = core.lower()
    if low in dictionary_words() or zipf(low, "en", 3.0) > 0.0:
        return ()
    cuts = []
    for cut in range(4, len(core) - 2):
        head, tail = core[:cut], low[cut:]
        if len(tail) < 4 and tail not in _CAP_WORD_TAILS or tail in _CAP_WORD_REFUSED:
            continue  # ("Danican": a name's "can")
        if tail not in dictionary_words():
            continue
        zt = zipf(tail, "en", 3.0)
        if zt < 3.5:
            continue
        tag = "" if tail in _CAP_WORD_TAILS else guess_tag(tail)
        nationality = tag in _NATIONALITY_TAIL_TAGS and head in words("nationalities.txt", "en")
        named = not nationality and _name_noun(head, tail, tag, zt)
        if tag and tag not in _CAP_WORD_TAGS and not nationality and not named:
            continue
        if _ends_in_longer_word(low, cut):
            continue  # "Brandstore": a brand's "store", not "Brands tore"
        zh = zipf(head.lower(), "en", 3.0)
        cuts.append((zh + zt, zh, head, tail))
    return tuple(cuts)


# A common noun run onto a name ("Zhanggroup", "Putinadministration"): the noun frequent
# (Zipf 4) and of five letters or more, the name no dictionary word (a surname that ends in
# an English noun is a word and a short noun: "Goldman", "Newton", "Blackwell"), the noun
# none that names are built with (name_tails.txt, compound_parts.txt's heads: "-field",
# "-stone", "-house").
_NAME_NOUN_TAGS = frozenset(("NN", "NNS"))
_NAME_NOUN_ZIPF = 4.0
_NAME_NOUN_LETTERS = 5


def _name_noun(head: str, tail: str, tag: str, zt: float) -> bool:
    return (
        tag in _NAME_NOUN_TAGS
        and zt >= _NAME_NOUN_ZIPF
        and len(tail) >= _NAME_NOUN_LETTERS
        and head.lower() not in dictionary_words()
        and tail not in words("name_tails.txt", "en")
        and f"-{tail}" not in words("compound_parts.txt", "en")
    )


def _ends_in_longer_word(low: str, cut: int) -> bool:
    """Whether ``low`` ends, from a cut up to three letters before ``cut``, in a common
    word other than a verb (Zipf 3): "brandstore" ends in "store" ("brands tore" is not the
    reading), "kremlinsaid" in no such word."""
    for c in range(max(3, cut - 3), cut):
        longer = low[c:]
        if (
            longer in dictionary_words()
            and zipf(longer, "en", 3.0) >= 3.0
            and guess_tag(longer) not in _CAP_WORD_TAGS
            and longer not in _CAP_WORD_TAILS
        ):
            return True
    return False
