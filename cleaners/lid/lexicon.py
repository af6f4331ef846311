"""The word layer: short Cyrillic text weighed by how common its words are in each
language (wordfreq's lists through ``cleaners.langev``; the bundled ``data/lid_words.tsv``
for languages without a list)."""

from __future__ import annotations

import math
from functools import lru_cache
from itertools import islice

from cleaners import langev
from cleaners.config import LidConfig
from cleaners.lid.alphabets import _table_lines
from cleaners.lid.script import _WORD_RE

# Languages with a wordfreq word list: short Cyrillic text is weighed by its words too.
# Serbian's list ("sh") is in Latin script: Serbian Cyrillic maps onto it letter by letter.
# Belarusian and Kazakh have no list: they "know" a word at an assumed frequency
# (LidConfig.lexicon_assumed_zipf) or, for a word a listed kin language knows, at a share of
# that (lexicon_kin_share), so a snippet of words no list knows is not Russian by default.
_LEXICON_LANGS = ("ru", "uk", "bg", "mk", "sr")
_LEXICON_MAX_WORDS = 12  # words of a longer unsure text weighed (enough, and bounded)
_LEXICON_FLOOR = 5e-7  # below the smallest frequency the "small" lists keep (1e-6)
# Russian's "large" list goes on to zipf 1 (1e-8): a word absent from it is evidence
# against Russian, where absence from the small list (zipf < 3) said little.
_LARGE_LANGS = ("ru",)
_LARGE_FLOOR = 5e-9
_SR_LATIN = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ђ": "đ", "е": "e", "ж": "ž",
        "з": "z", "и": "i", "ј": "j", "к": "k", "л": "l", "љ": "lj", "м": "m", "н": "n",
        "њ": "nj", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "ћ": "ć", "у": "u",
        "ф": "f", "х": "h", "ц": "c", "ч": "č", "џ": "dž", "ш": "š",
    }
)  # fmt: skip


def _lexicon(lang: str) -> dict[str, float]:
    """wordfreq's small list of ``lang`` as frequencies (Serbian: the Latin "sh" list)."""
    return langev.frequency_table("sh" if lang == "sr" else lang)


@lru_cache(maxsize=1)
def known_words() -> dict[str, tuple[float, frozenset[str]]]:
    """The bundled common words of languages without a wordfreq list: lang → (frequency, words).

    >>> freq, words = known_words()["be"]
    >>> 1e-6 < freq < 1e-3, "каб" in words, "чтобы" in words
    (True, True, False)
    """
    table = {}
    for line in _table_lines("lid_words.tsv"):
        lang, zipf, words = line.split("\t")
        table[lang] = (10.0 ** (float(zipf) - 9), frozenset(words.split()))
    return table


@lru_cache(maxsize=1 << 16)
def _word_freqs(word: str) -> tuple[float, ...]:
    """How common ``word`` is in each of :data:`_LEXICON_LANGS` (0.0: not listed).

    Cached: short texts repeat words ("и", "на"), and an unsure sentence weighs a dozen.

    >>> dict(zip(_LEXICON_LANGS, _word_freqs("вясной")))["ru"]
    0.0
    """
    out = []
    for lang in _LEXICON_LANGS:
        freq = _lexicon(lang).get(word.translate(_SR_LATIN) if lang == "sr" else word, 0.0)
        if not freq and lang in _LARGE_LANGS:
            freq = langev.rare_freq(lang, word)
        out.append(freq)
    return tuple(out)


def _weigh_words(
    weights: dict[str, float],
    low: str,
    cands: tuple[str, ...],
    config: LidConfig,
    words: list[str] | None = None,
    weight: float | None = None,
) -> None:
    """Multiply in how common each word is in each language (short text only).

    fastText's character n-grams cannot tell "дякую" (Ukrainian, zipf 5.7) from a
    Russian word; word frequencies can. A word a list lacks counts at that list's
    floor, far lower for Russian's large list (zipf 1) than for the small ones (zipf 3):
    "вясной", "болып" are evidence against Russian. Languages without a list (be, kk)
    take their bundled common words' frequency (``data/lid_words.tsv``: "каб", "яго"),
    the assumed frequency, a share of a kin language's (Belarusian "на"), or, for a
    word no list knows, the assumed frequency plus ``lexicon_unknown_bias``.
    Factors are relative to the geometric mean over the candidates.
    """
    if words is None:
        # Stop at one word too many: most texts that get here are long sentences.
        found = list(islice(_WORD_RE.finditer(low), config.lexicon_words + 1))
        if len(found) > config.lexicon_words:
            return
        words = [m.group() for m in found]
    if not words:
        return
    if weight is None:
        weight = config.lexicon_weight
    listed = [c for c in _LEXICON_LANGS if c in weights]
    if not listed:
        return
    unlisted = [c for c in cands if c not in _LEXICON_FLOOR_BY_LANG and c in weights]
    assumed = 10.0 ** (config.lexicon_assumed_zipf - 9)
    logp = dict.fromkeys(listed + unlisted, 0.0)
    index = [(lang, _LEXICON_LANGS.index(lang)) for lang in listed]
    common = known_words()
    for word in words:
        freqs = _word_freqs(word)
        top = max(freqs)
        for lang, i in index:
            logp[lang] += math.log(freqs[i] or _LEXICON_FLOOR_BY_LANG[lang])
        if top:
            kin = max(assumed, config.lexicon_kin_share * top)
            unknown = 0.0
        else:
            kin, unknown = assumed, config.lexicon_unknown_bias
        for c in unlisted:
            own = common.get(c)
            if own is not None and word in own[1]:
                logp[c] += math.log(max(kin, own[0]))  # no unknown bonus: it is known
            else:
                logp[c] += math.log(kin) + unknown
    mean = sum(logp.values()) / len(logp)
    for lang, value in logp.items():
        weights[lang] *= math.exp(weight * (value - mean))


_LEXICON_FLOOR_BY_LANG = {
    c: (_LARGE_FLOOR if c in _LARGE_LANGS else _LEXICON_FLOOR) for c in _LEXICON_LANGS
}


# Word evidence that Cyrillic text is not Russian, for a detector's call the letters cannot
# back (Bulgarian, and Macedonian or Serbian without ѓ ќ ј љ: no letter Russian lacks). On
# FLORES dev paragraphs (2-4 lines) of bg, mk, sr and uk, the words Russian's large list
# (zipf >= 1) lacks are 26-61 % (5th percentile to max for bg; the others more); in
# Russian paragraphs (FLORES, WMT21, TICO-19) at most 20 % (names, medical terms), and the
# words fit one of the other lists better than Russian's (mean log ratio > 0) in none of
# them. Each test alone called a few short Russian sentences (Tatoeba's "Не усугубляй
# проблему.") not Russian; together with the detector's call and four words, none
# (bench/lid.py --other-cyrillic).
FOREIGN_MIN_WORDS = 4
FOREIGN_UNKNOWN_SHARE = 0.15


def foreign_words(words: list[str]) -> bool:
    """Whether lower-case Cyrillic ``words`` read as another listed language, not Russian:
    at least :data:`FOREIGN_MIN_WORDS` of them, :data:`FOREIGN_UNKNOWN_SHARE` unknown to
    Russian's large list, and one of the other lists (uk, bg, mk, sr) more likely than
    Russian's over them all (log frequency ratio, each list's floor for a word it lacks).

    >>> foreign_words("кметът заяви че мостът ще намали задръстванията".split())
    True
    >>> foreign_words("мэр заявил что мост уменьшит пробки".split())
    False
    >>> foreign_words("не усугубляй проблему".split())  # too few words to tell
    False
    """
    if len(words) < FOREIGN_MIN_WORDS:
        return False
    freqs = [_word_freqs(w) for w in words]
    unknown = sum(1 for f in freqs if not f[0])
    if unknown < FOREIGN_UNKNOWN_SHARE * len(words):
        return False
    ru_floor = _LEXICON_FLOOR_BY_LANG["ru"]
    ru = sum(math.log(f[0] or ru_floor) for f in freqs)
    for i, lang in enumerate(_LEXICON_LANGS[1:], 1):
        floor = _LEXICON_FLOOR_BY_LANG[lang]
        if sum(math.log(f[i] or floor) for f in freqs) > ru:
            return True
    return False
