"""Bilingual evidence: the aligned Russian sentence decides fused English words and
Russian-conditioned glossary entries (``mtclean run`` with both sides, and ``filter`` on each
pair, :func:`cleaners.repair.repair_pair`; never ``clean``).

Where the Russian source is known, a fused English token can be checked against it:

* one Russian word that spells the whole token (``lordfilms`` ← «лордфильм»,
  ``stopcoronavirus`` ← «стопкоронавирус») says it is one word, a name or brand:
  a split the monolingual rule made is undone (rule ``keep_fused_by_source``);
* two Russian words that match the parts, by the ru–en word table of
  :mod:`cleaners.lexsim` or as cognates by transliteration (``economicsanctions`` ←
  «экономические санкции»; a function word needs no Russian counterpart: ``byiron`` ←
  «железом»), say it is two: a token the monolingual rule left whole is split (rule
  ``split_fused_by_source``).

Glossary entries with a ``ru=`` condition are decided here too (rule
``glossary_by_source``, see :mod:`cleaners.repair.glossary`), and so is an opening quote
MT dropped before a short quoted name (``Hurricane Hanna"`` ← «урагана "Ханна"», rule
``open_quote_by_source``). The rules are
``per_document``: listed, configured and switched like the others, applied by
:func:`source_evidence` once a document is aligned (``cleaners.pipeline``).
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from cleaners import translit
from cleaners.edit import Edit
from cleaners.lazyre import lazy_compile
from cleaners.repair.engine import compose, rule, rule_on
from cleaners.repair.glossary import ru_folded_lines, source_edits

if TYPE_CHECKING:
    from cleaners.config import RepairConfig
    from cleaners.model import Document

SPLIT_RULE = "split_fused_by_source"
KEEP_RULE = "keep_fused_by_source"
GLOSSARY_RULE = "glossary_by_source"
QUOTE_RULE = "open_quote_by_source"
CLOSE_RULE = "close_quote_by_source"
# The per-document rules, each switched on or off by a config's disable/enable.
SOURCE_RULES = (SPLIT_RULE, KEEP_RULE, GLOSSARY_RULE, QUOTE_RULE, CLOSE_RULE)
MONO_SPLIT_RULE = "split_fused_words"

_RU_WORD = lazy_compile(r"[а-яёА-ЯЁ]+")
# The Russian side's words that may spell a token whole: Cyrillic ones, and the Latin names
# Russian text writes as they are ("Wildberries увеличил выручку": a brand, one word there).
_SOURCE_WORD = lazy_compile(r"[а-яёА-ЯЁ]+|[A-Za-z]+")
_EN_WORD = lazy_compile(r"[A-Za-z]+")
# A candidate: a whole token of 6+ plain letters (lowercase, or capitalised once).
_TOKEN = lazy_compile(r"(?<![\w@/.'’-])[A-Za-z][a-z]{5,}(?![\w@/'’-]|\.\w)")
# A spelling folded so that English and transliterated Russian spellings of a cognate or
# a name meet: "sanctions"/«санкции» → "sanktions"/"sanktsii"; "film"/«фильм» → "film".
# English c before e/i/y and -tion are Russian ц ("centre"/«центр», "sanctions"/«санкции»).
_FOLDS = (("ch", "9"), ("ph", "f"), ("ck", "k"), ("kh", "h"), ("x", "ks"), ("tion", "tsion"))
_SOFT_C = lazy_compile(r"c(?=[eiy])")
# translit's letter table (lowercase), as one str.translate: ~5x its per-letter loop.
_TRANSLIT = str.maketrans(translit._TABLE)
_FOLD_CHARS = str.maketrans({"w": "v", "y": "i", "j": "i", "z": "s", "'": None, "’": None})


@lru_cache(maxsize=8192)
def fold(word: str) -> str:
    """``word`` (Latin or Cyrillic) lowercased, transliterated and folded; doubled
    letters written once.

    >>> fold("Sanctions"), fold("санкции"), fold("лордфильм"), fold("centre"), fold("центр")
    ('sanktsions', 'sanktsi', 'lordfilm', 'tsentre', 'tsentr')
    """
    s = word.lower().replace("ё", "е").translate(_TRANSLIT)
    for a, b in _FOLDS:
        s = s.replace(a, b)
    s = _SOFT_C.sub("ts", s).replace("c", "k").replace("q", "k")
    s = s.translate(_FOLD_CHARS)
    return re.sub(r"(.)\1+", r"\1", s)


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def spells_whole(token: str, ru_word: str) -> bool:
    """Whether ``ru_word`` is ``token`` written in Cyrillic (a case ending aside): the
    folded spellings agree on all but the token's last letter, and on 6+ letters.

    >>> spells_whole("lordfilms", "лордфильм"), spells_whole("stopcoronavirus", "стопкоронавирусом")
    (True, True)
    >>> spells_whole("economicsanctions", "экономических")
    False
    """
    a, b = fold(token), fold(ru_word)
    n = _common_prefix(a, b)
    return n >= 6 and n >= len(a) - 1


def skeleton(word: str) -> str:
    """The consonants of ``word``'s folded spelling (``fold``), ``ts`` read as ``s``:
    what a brand keeps when Russian writes it as it sounds (vowels and glides differ:
    "Wildberries" is «Вайлдберриз», "Facebook" «Фейсбук»).

    >>> skeleton("Wildberries"), skeleton("Вайлдберриз"), skeleton("Facebook"), skeleton("Фейсбук")
    ('vldbrs', 'vldbrs', 'fsbk', 'fsbk')
    """
    s = fold(word).replace("ts", "s")
    s = "".join(ch for ch in s if ch not in "aeiouyh")
    return re.sub(r"(.)\1+", r"\1", s)


# A Russian case ending that leaves a consonant ("Вайлдберризом", "Фейсбуком").
_ENDING_CONSONANTS = ("m", "v")


def sounds_whole(token: str, ru_word: str) -> bool:
    """Whether a capitalised Russian word writes a capitalised English token as it sounds
    (a brand transliterated by ear): their consonants (``skeleton``, 4+) agree, a case
    ending's aside. Both must be capitalised: names, not a common word's chance match.

    >>> sounds_whole("Wildberries", "Вайлдберриз"), sounds_whole("Wildberries", "Вайлдберризом")
    (True, True)
    >>> sounds_whole("Booking", "Букинг"), sounds_whole("Nordstream", "Нордстрим")
    (True, True)
    >>> sounds_whole("Wildberries", "вайлдберриз"), sounds_whole("Wildberries", "Валдай")
    (False, False)
    """
    if not (token[:1].isupper() and ru_word[:1].isupper()):
        return False
    a, b = skeleton(token), skeleton(ru_word)
    if len(a) < 4:
        return False
    return b == a or len(b) == len(a) + 1 and b.startswith(a) and b[-1] in _ENDING_CONSONANTS


def cognate(part: str, ru_word: str) -> bool:
    """Whether an English word of 4+ letters and a Russian one share their stem as
    spelled (a loanword or cognate: "economic"/«экономических», "sanctions"/«санкции»).

    >>> cognate("economic", "экономических"), cognate("sanctions", "санкции")
    (True, True)
    >>> cognate("film", "фильмы"), cognate("road", "дорога"), cognate("mine", "министр")
    (True, False, False)
    """
    if len(part) < 4:
        return False
    a, b = fold(part), fold(ru_word)
    n = _common_prefix(a, b)
    # Four letters must be the whole English word ("film"); longer, most of it. A short
    # stem leaves at most a case ending ("фильмами"), not another word ("министр").
    return n >= 4 and (n >= len(a) or n >= 5 and n >= 0.6 * len(a)) and (n >= 6 or len(b) - n <= 4)


def _lex() -> Any:
    from cleaners.lexsim import table  # loaded only once a document has Russian

    return table("ru", "en")


def _key(word: str, side: str = "tgt") -> str:
    """The word table's key of an English (``tgt``) or Russian (``src``) word."""
    return _lex().key(word.lower().replace("ё", "е"), side)


def translates(part: str, ru_word: str) -> bool:
    """Whether the word table or the spelling pairs ``part`` with ``ru_word``.

    >>> translates("news", "новости"), translates("film", "фильма"), translates("news", "кот")
    (True, True, False)
    """
    if len(part) >= 4 and _key(part) in _lex().trans.get(_key(ru_word, "src"), ()):
        return True
    return cognate(part, ru_word)


def _function_words() -> frozenset[str]:
    from cleaners.repair.tables import words

    return words("function_words.txt", "en")


def _english_word(part: str) -> bool:
    """A content part fit to stand alone: common, or a long dictionary word."""
    from cleaners.repair.words import dictionary_words, zipf

    if len(part) < 3:
        return False
    if zipf(part, "en", 3.0) >= (4.0 if len(part) == 3 else 3.0):
        return True
    return len(part) >= 5 and part in dictionary_words()


def _known_token(low: str) -> bool:
    """A word in its own right: a dictionary word or a common one (Zipf >= 3)."""
    from cleaners.repair.words import dictionary_words, zipf

    return low in dictionary_words() or zipf(low, "en", 3.0) >= 3.0


# Short words that follow a name in news; a shorter tail than 4 letters is otherwise the
# name's own ending ("Nant|es", "Toynb|ee", "Valet|ta"); not "as" ("Nicol|as" ← «Николя»).
_AFTER_NAME = frozenset(
    ("is", "was", "has", "had", "and", "or", "in", "at", "on", "of", "to", "who", "will")
)


# Russian case endings as ``fold`` spells them ("Мясникова": "miasnikov" + "a").
_CASE_ENDINGS = frozenset(
    ("", "a", "u", "e", "i", "o", "om", "em", "im", "oi", "ei", "ov", "ev", "ih", "ah", "am")
    + ("ami", "ogo", "ego", "omu", "emu", "ia", "iu", "ie", "oiu", "eiu")
)


_NAMED = lazy_compile(r"[\w,;:] +([A-Z][a-z]{5,})\b")


def named_words(text: str) -> frozenset[str]:
    """Capitalised words of 6+ letters that ``text`` has inside a sentence (names).

    >>> sorted(named_words("Thehangi is food. We met Atwood, Inman and Sam."))
    ['Atwood']
    """
    return frozenset(_NAMED.findall(text))


def _name_then_word(a: str, b: str, names: Sequence[str]) -> bool:
    """Whether ``a`` is a name a capitalised Russian word of ``names`` spells (all of it,
    then at most a case ending) and ``b`` a short word that follows names or a common
    English word of 4+ letters ("Murashko|announced", "Stearns|is"). A Russian word that
    goes on past a case ending ("Gortsaran|in" ← «Горцаранаин») spells a longer name.
    """
    if len(a) < 5 or _common_word(a):
        return False  # "Super|production" ← «Супер-продакшн»: a word, not a name
    if not (b in _AFTER_NAME or len(b) >= 4 and _common_word(b)):
        return False
    fa = fold(a)
    return any(fw.startswith(fa) and fw[len(fa) :] in _CASE_ENDINGS for fw in map(fold, names))


def _common_word(word: str) -> bool:
    from cleaners.repair.words import zipf

    return zipf(word, "en", 3.0) >= 3.5


def _known_compound(low: str) -> bool:
    """A token wordfreq's large list knows (Zipf >= 1: "guesthouse", "crewmembers") or
    the repair's keep list holds: a compound, which Russian writes as two words."""
    from cleaners.repair.words import _keep_words, zipf

    return zipf(low, "en") >= 1.0 or low in _keep_words("en")


def _matches(part: str, ru: Sequence[str], en_others: Sequence[str]) -> list[int]:
    """Indices of the Russian words ``part`` translates, less those the sentence's other
    English words already account for (a Russian word counts for one English word)."""
    hits = [i for i, w in enumerate(ru) if translates(part, w)]
    used = sum(1 for w in en_others if w.lower() == part or _key(w) == _key(part))
    return hits[used:] if used < len(hits) else []


def decide(
    token: str, ru_sentence: str, en_sentence: str = "", names_only: bool = False
) -> str | None:
    """What the Russian says of a fused-looking ``token``: ``"keep"``, the split form
    (``"economic sanctions"``), or None (no evidence either way).

    ``en_sentence`` is the English sentence the token stands in: its other words use up
    the Russian words they translate. A capitalised token may be a name run into the next
    word, which the Russian spells ("Myasnikovcalled" ← «Мясников призвал»); with
    ``names_only`` (a capitalised token inside a sentence) that is the one split looked for.

    >>> decide("economicsanctions", "Введены экономические санкции.")
    'economic sanctions'
    >>> decide("lordfilms", "Сайт лордфильм закрыли.")
    'keep'
    >>> decide("byiron", "Забор сделан железом.") is None  # no cognate, no table entry
    True
    >>> decide("thefilm", "Фильм вышел.")
    'the film'
    >>> decide("thefilm", "Кот спит.") is None
    True
    >>> decide("Myasnikovcalled", "Мясников призвал всех.", names_only=True)
    'Myasnikov called'
    >>> decide("Myasnikovcalled", "Министр призвал всех.") is None
    True
    """
    ru = [w.lower().replace("ё", "е") for w in _RU_WORD.findall(ru_sentence)]
    if not ru:
        return None
    if any(spells_whole(token, w) for w in ru):
        return "keep"
    low = token.lower()
    others = [w for w in _EN_WORD.findall(en_sentence) if w.lower() != low]
    names = [w.lower() for w in _RU_WORD.findall(ru_sentence) if w[0].isupper()]
    fn = _function_words()
    whole = fold(low)
    reach = max(_common_prefix(whole, fold(w)) for w in ru)  # the most a Russian word spells
    found: list[tuple[str, str]] = []
    compound: bool | None = None
    for i in range(1, len(low)):
        a, b = low[:i], low[i:]
        fa, fb = a in fn, b in fn
        if fa and fb or not fa and reach > len(fold(a)):
            continue  # a Russian word runs on past the cut: "recultivati|on" ← «рекультивации»
        if token[0].isupper() and not fa and _name_then_word(a, b, names):
            found.append((a, b))
            continue
        if names_only:
            continue
        if fa and not _english_word(b):
            # A rare word after a function word ("formegayachts"): the Russian must
            # spell it (a loanword), and 5+ letters long (no chance letter run).
            if len(b) >= 5 and any(cognate(b, w) for w in ru):
                found.append((a, b))
            continue
        if not (fa or _english_word(a)) or not (fb or _english_word(b)):
            continue
        if fa or fb:
            content = b if fa else a
            if len(content) >= 4 and _matches(content, ru, others):
                found.append((a, b))
            continue
        if compound is None:
            compound = _known_compound(low)
        if compound:
            continue  # Russian says a compound in two words ("crewmembers": «члены экипажа»)
        ha, hb = _matches(a, ru, others), _matches(b, ru, others)
        if ha and hb and any(x != y for x in ha for y in hb):
            found.append((a, b))
    if len(found) != 1:
        return None  # none, or the Russian fits two cuts: not evidence for either
    a, b = found[0]
    return f"{token[: len(a)]} {token[len(a) :]}"


# --- the rules (per document: they need the aligned Russian) -----------------------


@rule(
    SPLIT_RULE,
    stage=45,
    langs=("en",),
    per_document=True,
    risk="two Russian words that happen to translate two halves of a rare English word "
    "(or a name) split it; only tokens no dictionary knows are looked at",
)
def split_fused_by_source(
    text: str, lang: str, params: Mapping[str, Any], ru: str, named: frozenset[str] = frozenset()
) -> list[Edit]:
    """Split a fused token the text rules left whole where the aligned Russian has a word per part.

    ``economicsanctions`` ← «экономические санкции», ``formegayachts`` ← «для мегаяхт».

    Applied per aligned sentence by ``source_evidence`` (``mtclean run``); ``named``
    holds the words the document has capitalised inside a sentence (:func:`named_words`):
    such a word opening a sentence is a name ("Atwood ... met Atwood"), split only as one.

    >>> ru = "Новые экономические санкции."
    >>> split_fused_by_source("New economicsanctions hit.", "en", {}, ru)
    [Edit(rule='split_fused_by_source', start=4, end=21, before='economicsanctions', \
after='economic sanctions')]
    >>> split_fused_by_source("The lordfilms site.", "en", {}, "Сайт лордфильмс.")
    []
    >>> named = named_words("We met Atwood.")
    >>> split_fused_by_source("Atwood wrote.", "en", {}, "Этвуд писал о лесе.", named)
    []
    """
    out = []
    for m in _TOKEN.finditer(text):
        tok = m.group()
        if _known_token(tok.lower()):
            continue
        # A capitalised word inside a sentence is a name: split only into a name the
        # Russian spells and an English word.
        inside = tok[0].isupper() and not _opens(text, m.start())
        inside = inside or tok in named
        fixed = decide(tok, ru, text, names_only=inside)
        if fixed is not None and fixed != "keep":
            out.append(Edit(SPLIT_RULE, m.start(), m.end(), tok, fixed))
    return out


@rule(
    KEEP_RULE,
    stage=46,
    langs=("en",),
    per_document=True,
    risk="a Russian word spelled like the fused pair (a transliterated phrase) undoes a "
    "right split",
)
def keep_fused_by_source(text: str, lang: str, params: Mapping[str, Any], ru: str) -> list[Edit]:
    """Undo a ``split_fused_words`` split where one aligned Russian word spells the whole token.

    A name or brand: ``lord films`` ← «лордфильм» is ``lordfilms``.

    ``text`` is the repaired sentence; the splits to weigh are the pairs of words that
    the Russian spells as one.

    >>> keep_fused_by_source("The lord films site.", "en", {}, "Сайт лордфильмс закрыли.")
    [Edit(rule='keep_fused_by_source', start=4, end=14, before='lord films', after='lordfilms')]
    >>> keep_fused_by_source("The lord films site.", "en", {}, "Сайт закрыли.")
    []
    >>> keep_fused_by_source("Wild berries grew.", "en", {}, "Wildberries вырос.")[0].after
    'Wildberries'
    >>> keep_fused_by_source("Wild berries grew.", "en", {}, "Вайлдберриз вырос.")[0].after
    'Wildberries'
    """
    ru_words = _SOURCE_WORD.findall(ru)
    out = []
    for m in _PAIR.finditer(text):  # overlapping pairs: "The lord", "lord films"
        whole = m.group(1) + m.group(2)
        if _spelled(whole, ru_words):
            end = m.start() + len(m.group(1)) + 1 + len(m.group(2))
            out.append(Edit(KEEP_RULE, m.start(), end, text[m.start() : end], whole))
    return out


@rule(
    GLOSSARY_RULE,
    stage=25,
    langs=("en",),
    per_document=True,
    risk="a glossary term whose Russian condition (ru=) occurs in the source for another "
    "reason; a term that MT rendered from a Russian word the entry does not list is kept",
)
def glossary_by_source(text: str, lang: str, params: Mapping[str, Any], ru: str) -> list[Edit]:
    """Decide glossary entries with a ``ru=`` condition by the aligned Russian (mtclean run).

    ``repair.glossary`` files included: a term the Russian confirms is replaced, a
    replacement it does not confirm undone (see :mod:`cleaners.repair.glossary`).

    >>> glossary_by_source("The DNR leader spoke.", "en", {}, "Глава ДНР выступил.")
    [Edit(rule='glossary_by_source', start=4, end=7, before='DNR', after='DPR')]
    >>> glossary_by_source("A DNR order was signed.", "en", {}, "Подписан отказ от реанимации.")
    []
    """
    files = list(params.get("files", ()))
    return source_edits(text, 0, len(text), ru, files, GLOSSARY_RULE)


# Double quotes of either language (Russian news writes «», "" or „“).
_RU_QUOTE = lazy_compile(r'["«»„“”]')
_EN_QUOTE = lazy_compile(r'["“”]')
# A closing quote: after a word (or its end mark), before a space, a mark or the end.
_CLOSING = lazy_compile(r'(?<=[\w.!?)])["”](?=[\s.,;:!?)]|$)')
# A word of the quoted name in English: letters, digits, inner hyphens and apostrophes.
_NAME_WORD = lazy_compile(r"\w+(?:[-'’.]\w+)*")
_MAX_QUOTED_WORDS = 4


def _quoted_words(ru: str) -> list[str] | None:
    """The words of the one quotation of the Russian ``ru`` (two double quotes, the first
    opening, the second closing), or None: no such pair, more than one quotation, or one of
    more than ``_MAX_QUOTED_WORDS`` words (a quoted sentence is not placed by counting)."""
    qs = list(_RU_QUOTE.finditer(ru))
    if len(qs) != 2:
        return None
    a, b = qs
    if a.group() in "»”" or b.group() in "«„":
        return None
    inside = ru[a.end() : b.start()]
    if inside != inside.strip():
        return None
    words = [w for w in inside.split() if any(c.isalnum() for c in w)]
    if words and not inside.startswith(words[0]):
        return None  # a quotation opened by a dash or a mark ('"- Да!"'): where is unclear
    # A name or a title (capitalised, or a number: «Панцирь-С1», «Ъ»); a lower-case phrase
    # is a quotation whose English may hold more or fewer words ('"прошла"' → '"passed'
    # through' or 'went "under').
    if not words or not (words[0][0].isupper() or words[0][0].isdigit()):
        return None
    return words if len(words) <= _MAX_QUOTED_WORDS else None


@rule(
    QUOTE_RULE,
    stage=47,
    langs=("en",),
    per_document=True,
    risk="a quoted name the MT rendered in another number of words gets its opening quote "
    "before the wrong word",
)
def open_quote_by_source(text: str, lang: str, params: Mapping[str, Any], ru: str) -> list[Edit]:
    """Restore the opening quote MT dropped before a short quoted name, where the aligned
    Russian quotes it: ``Hurricane Hanna"`` ← «урагана "Ханна"» is ``Hurricane "Hanna"``.

    The English sentence must hold one double quote, a closing one, and the Russian one
    quotation, of at most four words and capitalised (a name or a title: a lower-case phrase
    may take more or fewer words in English), as is the English word that number of words
    before the quote (each a plain word, no mark between them).

    >>> ru = 'Тревога из-за урагана "Ханна"'
    >>> open_quote_by_source('An alert due to Hurricane Hanna"', "en", {}, ru)
    [Edit(rule='open_quote_by_source', start=26, end=26, before='', after='"')]
    >>> ru = 'В интервью «Комсомольской правде».'
    >>> open_quote_by_source("In an interview with Komsomolskaya Pravda”.", "en", {}, ru)[0].after
    '“'
    >>> open_quote_by_source('We wait, " he said.', "en", {}, 'Мы ждем, - сказал он.')
    []
    """
    qs = list(_EN_QUOTE.finditer(text))
    if len(qs) != 1:
        return []
    close = _CLOSING.match(text, qs[0].start())
    words = _quoted_words(ru) if close else None
    if close is None or words is None:
        return []
    # The English words before the quote, the last one's end mark (American style) aside.
    head = text[: close.start()]
    head = head[:-1] if head[-1:] in ".!?" else head
    tail = head.split(" ")[-len(words) :]
    if len(tail) < len(words) or not all(_NAME_WORD.fullmatch(w) for w in tail):
        return []
    # The name's first word capitalised (or a number) in English too.
    lead, ru_lead = tail[0][0], words[0][0]
    if not (lead.isupper() if ru_lead.isupper() else lead.isdigit()):
        return []
    at = len(head) - len(" ".join(tail))
    if at > 0 and text[at - 1] != " ":
        return []
    mark = "“" if close.group() == "”" else '"'
    return [Edit(QUOTE_RULE, at, at, "", mark)]


def _quote_pairs(text: str, quotes: re.Pattern[str]) -> tuple[list[tuple[int, int]], list[int]]:
    """The quotations of ``text`` as (opening, closing) quote offsets, in the order they
    open, and the offsets of the opening quotes left unclosed (``[-1]`` when a quote closes
    nothing: the text's quotes cannot be read). A straight or curly quote opens after a
    space, the text's start, a bracket or another opening quote, and closes elsewhere;
    « „ always open, » always closes (Russian nests „“ in «» and writes "…"" for "…"…"").
    """
    stack: list[int] = []
    pairs: list[tuple[int, int]] = []
    opened = False  # whether the quote just before was an opening one
    last = -2
    for m in quotes.finditer(text):
        i, q = m.start(), m.group()
        prev = text[i - 1] if i else " "
        if q in "«„":
            opens = True
        elif q == "»":
            opens = False
        else:
            opens = prev.isspace() or prev in "([" or (last == i - 1 and opened)
        if opens:
            stack.append(i)
        elif not stack:
            return pairs, [-1]
        else:
            pairs.append((stack.pop(), i))
        opened, last = opens, i
    pairs.sort()
    return pairs, stack


# After an English quotation's last word: a space and a lower-case word, a mark, or the end.
_NAME_END = lazy_compile(r"(?= \(?[a-z])|[,;:.!?]+(?:\s|$)|$")
_END_MARK = lazy_compile(r"[.!?…]*$")
# A quoted term runs to at most six words without a mark inside (a quoted sentence is longer
# or holds one: those on dev that went on into the next line hold 7 to 12 words).
_MAX_TERM_WORDS = 6
_INNER_MARK = lazy_compile(r"[,;:.!?…]")
_NAME_MARKS = lazy_compile(r"[.!?…]*")


@rule(
    CLOSE_RULE,
    stage=47,
    langs=("en",),
    per_document=True,
    risk="a quotation the MT rendered in other words than the Russian's gets its closing "
    "quote after the wrong word; a quotation that goes on into the next sentence of a bead "
    "is not closed (only the bead's last sentence is read)",
)
def close_quote_by_source(text: str, lang: str, params: Mapping[str, Any], ru: str) -> list[Edit]:
    """Restore the closing quote MT dropped, placed by the Russian's quotation:
    ``"Lokomotiv is determined`` ← «"Локомотив" твердо намерен» is ``"Lokomotiv" is
    determined``; ``contains "scenes of violence.`` ← «содержит "сцены жуткого насилия".» is
    ``contains "scenes of violence".``.

    The English sentence's quotes must leave one opening quote unclosed and the Russian's
    all pair up; the Russian quotation is the one the same number of quotations in (or,
    the English quote opening its sentence, the one opening the Russian), with no mark
    inside but one that ends it. A capitalised quotation of up to four words (a name)
    closes after as many capitalised English words followed by a lower-case word, a mark or
    the end; where a quoted sentence stands (``_speech``) only if a word of it is the
    Russian's transliterated. A lower-case one of up to six words, in no such place, closes
    at the English sentence's end if the English after the quote holds as many words: only
    in a bead's last English sentence (``params["last"]``, default True), as a quotation
    may close in the next.

    >>> close_quote_by_source('"Dynamo will not extend the contract', "en", {},
    ...                       '"Динамо" не будет продлевать контракт')
    [Edit(rule='close_quote_by_source', start=7, end=7, before='', after='"')]
    >>> ru = 'Видел "сцены жуткого насилия".'
    >>> close_quote_by_source('He saw "scenes of violence.', "en", {}, ru)
    [Edit(rule='close_quote_by_source', start=26, end=26, before='', after='"')]
    >>> close_quote_by_source('"We are ready.', "en", {}, '"Мы готовы.')  # goes on
    []
    """
    en_pairs, unclosed = _quote_pairs(text, _EN_QUOTE)
    if len(unclosed) != 1 or unclosed[0] < 0 or text[unclosed[0]] == "”":
        return []
    ru_pairs, ru_open = _quote_pairs(ru, _RU_QUOTE)
    if ru_open or not ru_pairs:
        return []
    at = unclosed[0]
    openings = sorted([a for a, _ in en_pairs] + [at])
    k = openings.index(at)
    if len(openings) == len(ru_pairs):
        a, b = ru_pairs[k]
    elif k == 0 and not text[:at].strip() and not ru[: ru_pairs[0][0]].strip():
        a, b = ru_pairs[0]
    else:
        return []
    mark = "”" if text[at] == "“" else '"'
    quoted = [w for w in ru[a + 1 : b].split() if any(c.isalnum() for c in w)]
    if not quoted:
        return []
    run = text[at + 1 :]
    inner = ru[a + 1 : b]
    # A mark inside the Russian quotation: a quoted sentence or a list, which the English
    # may close elsewhere; one that ends it ('"Руки вверх!"') ends the English one too.
    if _INNER_MARK.search(inner.rstrip(".!?…")):
        return []
    if quoted[0][0].isupper() or quoted[0][0].isdigit():
        # Where a quoted sentence stands (a dialogue's reply: '- "Неплохо".'), only a name
        # the English writes as the Russian does ("Lokomotiv" ← «Локомотив»).
        if _speech(ru, a) and not any(
            sounds_whole(w, r) or cognate(w, r)
            for w, r in zip(_EN_WORD.findall(text[at + 1 :]), quoted, strict=False)
        ):
            return []
        found = _close_name(text, at, len(quoted), mark, inner[-1] in ".!?…")
        return [_as_the_line_closes(text, e) for e in found]
    # A lower-case term to the sentence's end, of as many words as the Russian's. Not
    # a quoted clause ('сказал, что "мы готовы"'): a source translated line by line closes in
    # each line a quotation its English goes on with in the next (FLORES, TICO-19).
    if not params.get("last", True) or b != ru_pairs[-1][1] or _EN_QUOTE.search(run):
        return []
    if len(quoted) > _MAX_TERM_WORDS or _speech(ru, a):
        return []
    n, q = len(run.split()), len(quoted)
    if n != q:
        return []
    end = len(text.rstrip())
    marks = _END_MARK.search(text, 0, end)
    stop = marks.start() if marks else end
    if stop == at + 1 or not text[stop - 1].isalnum():
        return []
    # The end mark after the quote where the Russian's is (it always is, in Russian: '".'),
    # unless the line closes its other quotations after a comma or a full stop.
    where = end if inner[-1] in ".!?…" else stop
    return [_as_the_line_closes(text, Edit(CLOSE_RULE, where, where, "", mark))]


# A quotation closed after its comma or full stop (American: ',"') or before it ('",').
_CLOSED_INSIDE = lazy_compile(r'\w[.,]["”]')
_CLOSED_OUTSIDE = lazy_compile(r'\w["”][.,]')


def _as_the_line_closes(text: str, edit: Edit) -> Edit:
    """``edit``'s closing quote moved past the comma or full stop right after it where the
    line's other quotations close after theirs (``"Vasily Bykov," … "Vice-Admiral
    Kulakov."``; Russian, and half the English references, close before it)."""
    at = edit.start
    if text[at : at + 1] not in (".", ","):
        return edit
    inside = len(_CLOSED_INSIDE.findall(text))
    if inside <= len(_CLOSED_OUTSIDE.findall(text)):
        return edit
    return Edit(edit.rule, at + 1, at + 1, "", edit.after)


def _close_name(text: str, at: int, n: int, mark: str, with_mark: bool) -> list[Edit]:
    """The closing quote after the ``n`` capitalised words (a name) that follow the
    opening quote at ``at``, where a lower-case word, a mark or the end follows them (a
    longer English name, a capitalised word after them, is left); after the name's end
    mark where the Russian's quotation holds one (``with_mark``)."""
    words = text[at + 1 :].split(" ")[:n]
    bare = [w.rstrip(",;:.!?…") for w in words]
    if len(words) < n or any(w != x for w, x in zip(bare[:-1], words[:-1], strict=True)):
        return []
    if not all(_NAME_WORD.fullmatch(w) and (w[0].isupper() or w[0].isdigit()) for w in bare):
        return []
    end = at + 1 + len(" ".join(bare))
    if not _NAME_END.match(text, end):
        return []
    if with_mark:
        marks = _NAME_MARKS.match(text, end)
        if not marks.group():
            return []
        end = marks.end()
    return [Edit(CLOSE_RULE, end, end, "", mark)]


def _speech(ru: str, a: int) -> bool:
    """Whether the Russian quotation opening at ``a`` is a quoted clause's place: its
    sentence's start, after a colon, a comma or a dash, or after «что» (``сказала: "Нет``)."""
    head = ru[:a].rstrip()
    return not head or head[-1] in ":,-–—" or head.lower().endswith(" что")


def _spelled(whole: str, ru_words: Sequence[str]) -> bool:
    """Whether a Russian word spells ``whole`` (``spells_whole``) or, a brand, writes it
    as it sounds (``sounds_whole``: "Wildberries" ← «Вайлдберриз»)."""
    return len(whole) >= 6 and any(
        spells_whole(whole, w) or sounds_whole(whole, w) for w in ru_words
    )


_PAIR = lazy_compile(r"(?<![\w-])(?=([A-Za-z]+) ([a-z]+)(?![\w-]))")


def _opens(text: str, start: int) -> bool:
    head = text[:start].rstrip(" \t\"'“«‘(")
    return not head or head[-1] in ".!?…\n"


# --- the document pass ---------------------------------------------------------------


def source_evidence(doc: Document, rc: RepairConfig) -> tuple[list[Edit], str] | None:
    """Re-decide, with the aligned Russian, the English side's fused words, its
    Russian-conditioned glossary entries and a dropped opening or closing quote.

    Returns the side's edits with the Russian's folded in (against its raw text) and a
    line for the document's warnings, or None when nothing changes: no beads, repair off,
    the five rules off, or a retranslated side. ``cleaners.pipeline`` re-tags the side.
    """
    en = doc.en
    if not rc.enabled or en is None or doc.en_origin != "mt" or not doc.beads:
        return None
    on = {name: rule_on(name, rc.disable, rc.enable) for name in SOURCE_RULES}
    if not any(on.values()):
        return None
    spans = sentence_spans(doc)
    ru_of = _ru_of(doc)
    # The glossary's stand-in for a sentence without Russian, folded once (each such
    # sentence lower-cased the whole Russian again: ~100 MB a time on a 20 MB pair).
    ru_doc = ru_folded_lines(doc.ru_sentences)
    placed = placed_edits(en.edits)
    named = named_words(en.text)
    whole: dict[tuple[re.Pattern[str], str], bool] = {}  # the glossary's, across sentences
    # Each bead's last English sentence: only there may a quotation be closed at its end.
    lasts = {max(b.en) for b in doc.beads if b.en}
    later: list[Edit] = []
    for j, (s, e) in enumerate(spans):
        if s < 0:
            continue
        ru = " ".join(doc.ru_sentences[i] for i in sorted(set(ru_of(j))))
        found = evidence_edits(en.text, en.edits, ru, s, e, on, ru_doc, rc.glossary, placed, named,
                               ru_doc_folded=True, whole=whole, last=j in lasts)  # fmt: skip
        if later and found and found[0].start < later[-1].end:
            found = [x for x in found if x.start >= later[-1].end]  # sentences never overlap
        later.extend(found)
    if not later:
        return None
    later.sort(key=lambda x: (x.start, x.end))
    counts: dict[str, int] = {}
    for x in later:
        counts[x.rule] = counts.get(x.rule, 0) + 1
    kept = [x.after for x in later if x.rule == KEEP_RULE]
    note = "source-evidence: " + ", ".join(f"{n} by {r}" for r, n in sorted(counts.items()))
    if kept:
        note += f" (kept whole: {', '.join(kept)})"
    return compose(en.raw_text, en.edits, later), note


def _ru_of(doc: Document) -> Callable[[int], Sequence[int]]:
    """The Russian sentence ids aligned with English sentence ``j``. An English sentence is
    in one bead (as the aligner makes them): a bead index a sentence in 4 bytes (a dict of
    lists was ~170 bytes a sentence); in several, their ids together.

    >>> from cleaners.model import Bead, Document
    >>> doc = Document("d", [], "h", beads=[Bead((0,), (0, 1), 1.0), Bead((1, 2), (), 0.0)])
    >>> ru_of = _ru_of(doc)
    >>> ru_of(0), ru_of(1), ru_of(2)
    ((0,), (0,), ())
    """
    owner = array("i", [-1]) * (1 + max((j for b in doc.beads for j in b.en), default=-1))
    for k, b in enumerate(doc.beads):
        for j in b.en:
            if owner[j] >= 0:  # not one bead a sentence: the ids of all of them
                ids: dict[int, list[int]] = {}
                for bead in doc.beads:
                    for i in bead.en:
                        ids.setdefault(i, []).extend(bead.ru)
                return lambda j: ids.get(j, ())
            owner[j] = k
    beads = doc.beads
    return lambda j: beads[owner[j]].ru if j < len(owner) and owner[j] >= 0 else ()


def evidence_edits(
    text: str,
    edits: Sequence[Edit],
    ru: str,
    start: int = 0,
    end: int | None = None,
    on: Mapping[str, bool] | None = None,
    ru_doc: str = "",
    glossary: Sequence[str] = (),
    placed: Sequence[tuple[int, Edit]] | None = None,
    named: frozenset[str] | None = None,
    ru_doc_folded: bool = False,
    whole: dict[tuple[re.Pattern[str], str], bool] | None = None,
    last: bool = True,
) -> list[Edit]:
    """The edits the Russian ``ru`` makes in the sentence ``text[start:end]`` of a repaired
    side (``edits``: the repair's, against its raw text), in ``text``'s offsets, sorted
    and non-overlapping. ``ru_doc`` stands in for ``ru`` for the glossary when the
    sentence has no Russian (``ru_doc_folded``: already :func:`ru_folded`); ``on``
    switches the five rules (default: all on);
    ``placed`` (:func:`placed_edits` of ``edits``) and ``named`` (:func:`named_words` of
    ``text``) are computed once per document by the caller, else here; so is ``whole``
    (what the glossary's ``unless=``/``ru=`` say of the whole text, see ``source_edits``);
    ``last``: the sentence is its bead's last English one (a quotation may close in the next).

    >>> t = "New lord films and economicsanctions."
    >>> mono = [Edit("split_fused_words", 4, 13, "lordfilms", "lord films")]
    >>> [e.after for e in evidence_edits(t, mono, "Новые лордфильмс и экономические санкции.")]
    ['lordfilms', 'economic sanctions']
    >>> evidence_edits(t, mono, "")
    []
    """
    end = len(text) if end is None else end
    on = on or dict.fromkeys(SOURCE_RULES, True)
    if placed is None:
        placed = placed_edits(edits)
    if named is None:
        named = named_words(text)
    # The side's edits inside this sentence (``placed`` is in text order).
    lo = bisect_left(placed, start, key=lambda p: p[0])
    hi = bisect_right(placed, end, key=lambda p: p[0])
    here = placed[lo:hi]
    sent = text[start:end]
    found: list[Edit] = []
    if ru and on.get(SPLIT_RULE):
        found += split_fused_by_source(sent, "en", {}, ru, named)
    if ru and on.get(KEEP_RULE):
        ru_words = _SOURCE_WORD.findall(ru)
        for pos, ed in here:
            if not _mono_split(ed) or pos + len(ed.after) > end:
                continue
            if _spelled(ed.before, ru_words):
                a = pos - start
                found.append(Edit(KEEP_RULE, a, a + len(ed.after), ed.after, ed.before))
    if on.get(GLOSSARY_RULE) and (ru or ru_doc):
        found += source_edits(text, start, end, ru or ru_doc, list(glossary), GLOSSARY_RULE, here,
                              folded=not ru and ru_doc_folded, whole=whole)  # fmt: skip
    if ru and on.get(QUOTE_RULE):
        found += open_quote_by_source(sent, "en", {}, ru)
    if ru and on.get(CLOSE_RULE):
        found += close_quote_by_source(sent, "en", {"last": last}, ru)
    out: list[Edit] = []
    for x in sorted(found, key=lambda x: (x.start, x.end)):
        if out and x.start < out[-1].end:
            continue  # two rules on one span: the first (leftmost) wins
        out.append(Edit(x.rule, start + x.start, start + x.end, x.before, x.after))
    return out


def placed_edits(edits: Sequence[Edit]) -> list[tuple[int, Edit]]:
    """Each edit (sorted, against the raw text) with where its ``after`` starts in the
    repaired text.

    >>> placed_edits([Edit("r", 0, 2, "ab", "x"), Edit("r", 5, 6, "c", "dd")])
    [(0, Edit(rule='r', start=0, end=2, before='ab', after='x')), \
(4, Edit(rule='r', start=5, end=6, before='c', after='dd'))]
    """
    out = []
    shift = 0
    for ed in edits:
        out.append((ed.start + shift, ed))
        shift += len(ed.after) - len(ed.before)
    return out


def _mono_split(ed: Edit) -> bool:
    """A split ``split_fused_words`` made on its own: one token become two words."""
    return (
        ed.rule == MONO_SPLIT_RULE
        and " " not in ed.before
        and ed.after.count(" ") == 1
        and ed.after.replace(" ", "") == ed.before
    )


def sentence_spans(doc: Document) -> list[tuple[int, int]]:
    """Each English corpus sentence's span in ``doc.en.text`` (``(-1, -1)`` when it cannot
    be found there), in the order of ``doc.en_sentences``."""
    en = doc.en
    assert en is not None
    out: list[tuple[int, int]] = []
    cursor = 0
    for seg in en.segments:
        if not seg.sentences:
            continue
        where = en.text.find(seg.text, cursor)
        if where < 0:
            out.extend((-1, -1) for _ in seg.sentences)
            continue
        cursor = where + len(seg.text)
        local = 0
        for sent in seg.sentences:
            at = seg.text.find(sent, local)
            if at < 0:
                out.append((-1, -1))
                continue
            local = at + len(sent)
            out.append((where + at, where + local))
    return out
