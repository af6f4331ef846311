"""The backends: ``auto`` (script → alphabets → models and word frequencies → prior) and
the single-model ones kept for comparison (``langdetect``, ``fasttext``, ``lingua``)."""

from __future__ import annotations

from cleaners.config import LidConfig
from cleaners.lid.alphabets import _decisive, _letter_counts, _plan
from cleaners.lid.lexicon import _LEXICON_MAX_WORDS, _weigh_words
from cleaners.lid.models import _fasttext_probs, _langdetect_factory, _lingua_probs
from cleaners.lid.script import _LETTER_RE, _NOISE_RE, _WORD_RE

UND = "und"
# The score of a language the alphabet layer alone decided (no model consulted).
DECISIVE_SCORE = 0.99


_NOISE_HINT = ("http", "www.", "@", "#")


def _clean(text: str) -> str:
    if any(h in text for h in _NOISE_HINT):
        text = _NOISE_RE.sub(" ", text)
    return text.replace("\n", " ").replace("\r", " ")


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
