"""Aligning segments that are paragraphs on one side and sentences on the other.

``mtclean align`` takes one segment a line, and the aligner's beads join at most four
segments a side: a file of paragraphs against a file of sentences (ten sentences a line
against one) left every line without a counterpart. When the two sides' segments hold very
different numbers of sentences, each segment is split into sentences, the sentences are
aligned, and each bead of the result names the segments (lines) its sentences came from: a
paragraph and the sentence lines that translate it are one bead.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from cleaners.model import Bead
from cleaners.sentences import split_sentences

# A sentence end inside a segment: an end mark (and closing quotes or brackets), a space, more
# text. A cheap count (no splitter) to decide whether splitting is needed at all.
_INNER_END = re.compile(r"[.!?…][\"'»”’)\]]*\s+\S")
# Sentences a segment, one side over the other, from which the sides are split: FLORES dev
# (line-parallel, 13–15 % of lines two sentences) is within 1.1 either way, Text+Berg dev 1.1.
_UNEVEN = 1.5
# ... when the denser side holds at least this many a segment: two sentences a line against one
# are the aligner's own 1-2 beads (a short file's few two-sentence lines need no split).
_DENSE = 2.5


def sentences_per_segment(side: Sequence[str]) -> float:
    """The mean number of sentences in the side's non-blank segments (0 with none), by
    counting inner sentence ends.

    >>> sentences_per_segment(["One. Two! Three?", "", "Four."])
    2.0
    """
    counts = [len(_INNER_END.findall(s.strip())) + 1 for s in side if s.strip()]
    return sum(counts) / len(counts) if counts else 0.0


def uneven(ru: Sequence[str], en: Sequence[str]) -> bool:
    """Whether one side's segments hold ``_UNEVEN`` times as many sentences as the other's,
    and at least ``_DENSE`` a segment.

    >>> uneven(["A. B. C.", "D. E."], ["A.", "B.", "C.", "D.", "E."])
    True
    >>> uneven(["A. B.", "C. D."], ["A.", "B.", "C.", "D."])
    False
    """
    a, b = sentences_per_segment(ru), sentences_per_segment(en)
    if not a or not b:
        return False
    return max(a, b) >= max(_UNEVEN * min(a, b), _DENSE)


def _split(side: Sequence[str], lang: str) -> tuple[list[str], list[int]]:
    """The side's sentences, and for each the index of the segment it came from."""
    sentences: list[str] = []
    owner: list[int] = []
    for k, segment in enumerate(side):
        for s in split_sentences(segment.replace("\n", " "), lang):
            sentences.append(s)
            owner.append(k)
    return sentences, owner


def by_sentence(
    ru: Sequence[str],
    en: Sequence[str],
    align_sentences: Callable[[list[str], list[str]], list[Bead]],
    src_lang: str = "ru",
    tgt_lang: str = "en",
) -> list[Bead]:
    """Beads over the segments ``ru`` and ``en`` from an alignment of their sentences.

    Every segment is in exactly one bead, in order. A bead holds the segments its sentences
    came from, with every segment between (a blank one too); a segment that no two-sided bead
    reaches (a blank one, or one whose sentences all went unaligned) is a 1-0 / 0-1 bead. The
    score is the sentence beads' scores weighted by their characters (a sentence left
    unaligned inside the bead counts 0).
    """
    ru_sents, ru_owner = _split(ru, src_lang)
    en_sents, en_owner = _split(en, tgt_lang)
    beads = align_sentences(ru_sents, en_sents)
    # The sentence path is monotone and a segment's sentences are contiguous, so the segments
    # linked through two-sided beads form contiguous runs on both sides (one union-find pass).
    n, m = len(ru), len(en)
    parent = list(range(n + m))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for b in beads:
        nodes = [ru_owner[i] for i in b.ru] + [n + en_owner[j] for j in b.en]
        for x in nodes[1:]:
            parent[find(x)] = find(nodes[0])
    groups: dict[int, list[list[int]]] = {}
    for k in range(n):
        groups.setdefault(find(k), [[], []])[0].append(k)
    for k in range(m):
        groups.setdefault(find(n + k), [[], []])[1].append(k)
    weight: dict[int, float] = {}
    mass: dict[int, float] = {}
    for b in beads:
        root = find(ru_owner[b.ru[0]] if b.ru else n + en_owner[b.en[0]])
        chars = sum(len(ru_sents[i]) for i in b.ru) + sum(len(en_sents[j]) for j in b.en)
        weight[root] = weight.get(root, 0.0) + chars
        mass[root] = mass.get(root, 0.0) + (b.score * chars if b.ru and b.en else 0.0)
    spans: list[_Span] = []
    for root, (r, e) in groups.items():
        if r and e:
            score = mass.get(root, 0.0) / weight[root] if weight.get(root) else 0.0
            spans.append((min(r), max(r) + 1, min(e), max(e) + 1, round(score, 6)))
    return _interleave(n, m, spans, beads[0].method if beads else "length")


_Span = tuple[int, int, int, int, float]  # ru from, to, en from, to (one past), score


def _interleave(n: int, m: int, spans: list[_Span], method: str) -> list[Bead]:
    """Beads over ``n`` and ``m`` segments: each two-sided span (in order, not overlapping) as
    one bead, the segments between them as 1-0 / 0-1 beads (score 0)."""
    out: list[Bead] = []
    i = j = 0
    for r0, r1, e0, e1, score in [*sorted(spans), (n, n, m, m, 0.0)]:
        out += [Bead((k,), (), 0.0, method) for k in range(i, r0)]
        out += [Bead((), (k,), 0.0, method) for k in range(j, e0)]
        if r1 > r0 or e1 > e0:
            out.append(Bead(tuple(range(r0, r1)), tuple(range(e0, e1)), score, method))
        i, j = max(i, r1), max(j, e1)
    return out


def without_blanks(
    ru: Sequence[str],
    en: Sequence[str],
    align_segments: Callable[[list[str], list[str]], list[Bead]],
) -> list[Bead]:
    """Beads over ``ru`` and ``en`` whose blank segments are 1-0 / 0-1 beads of their own (or
    inside the two-sided bead around them): only the others are aligned (left in, a blank
    line was paired with a sentence at the end of a file, `2<TAB>0<TAB>0.0054`).

    >>> from cleaners.align import align
    >>> [(b.ru, b.en) for b in without_blanks(["", "Да.", " "], ["Yes."], align)]
    [((0,), ()), ((1,), (0,)), ((2,), ())]
    """
    ru_keep = [k for k, s in enumerate(ru) if s.strip()]
    en_keep = [k for k, s in enumerate(en) if s.strip()]
    if len(ru_keep) == len(ru) and len(en_keep) == len(en):
        return align_segments(list(ru), list(en))
    beads = align_segments([ru[k] for k in ru_keep], [en[k] for k in en_keep])
    spans = [
        (ru_keep[b.ru[0]], ru_keep[b.ru[-1]] + 1, en_keep[b.en[0]], en_keep[b.en[-1]] + 1, b.score)
        for b in beads
        if b.ru and b.en
    ]
    return _interleave(len(ru), len(en), spans, beads[0].method if beads else "length")
