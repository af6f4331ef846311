"""chrF (Popović 2015): character n-gram F-score between a hypothesis and a reference.

Used to score an English MT segment against the offline retranslation of its
Russian source: a low score flags a segment whose MT disagrees with the source.
"""

from __future__ import annotations

from collections import Counter


def _ngrams(text: str, n: int) -> Counter[str]:
    s = "".join(text.split())  # chrF ignores whitespace
    return Counter(s[i : i + n] for i in range(len(s) - n + 1))


def chrf(hypothesis: str, reference: str, max_n: int = 6, beta: float = 2.0) -> float:
    """chrF in [0, 1], averaged over n = 1..max_n (sacrebleu's definition, as a fraction).

    >>> chrf("the cat sat", "the cat sat")
    1.0
    >>> chrf("", "the cat") == 0.0
    True
    >>> 0 < chrf("the cat sat", "a cat sat down") < 1
    True
    """
    precisions: list[float] = []
    recalls: list[float] = []
    for n in range(1, max_n + 1):
        hyp, ref = _ngrams(hypothesis, n), _ngrams(reference, n)
        if not hyp or not ref:
            continue
        match = sum((hyp & ref).values())
        precisions.append(match / sum(hyp.values()))
        recalls.append(match / sum(ref.values()))
    if not precisions:
        return 1.0 if hypothesis.strip() == reference.strip() else 0.0
    p = sum(precisions) / len(precisions)
    r = sum(recalls) / len(recalls)
    if p + r == 0:
        return 0.0
    b2 = beta * beta
    return round((1 + b2) * p * r / (b2 * p + r), 6)
