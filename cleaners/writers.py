"""Corpus files: TMX 1.4b, Moses text, TSV and JSONL, all listing the same beads in order.

One row per bead that has both sides, no filter reason (:mod:`cleaners.judge`), is not a
repeat of an earlier pair (:mod:`cleaners.dedup`, first in document-id order kept) and has
``score >= config.align.min_score`` (the score is the bead's adequacy in its document,
:func:`cleaners.judge.in_document`; the aligner's own
score when the bead was not judged). Every other two-sided bead goes, with its reasons, to
``corpus.rejected.tsv`` and ``corpus.rejected.jsonl``. Every file
is streamed to a temp file, and all are renamed into place together once all are written
(:func:`cleaners.fsutil.atomic_writers`),
so a 10k-document corpus is never held as one string and a reader never sees half a file.
Nothing run-dependent (dates, paths, hostnames) is written: identical input gives
byte-identical files.

Text is made safe once and written the same everywhere: characters XML 1.0 forbids
(C0 controls, lone surrogates, U+FFFE/U+FFFF) are removed, and line/field breaks (``\\n``,
``\\t``, U+2028 and the other breaks ``str.splitlines`` honours) become single spaces, so
line *i* of ``corpus.ru`` pairs with line *i* of ``corpus.en`` in every tool.

``x-origin`` (TMX ``<prop>``, JSONL ``origin``): where the row's English came from, ``mt``,
``mt+repair`` or ``retranslation`` (:func:`row_origin`).

``x-edits`` (TMX ``<prop>``, JSONL ``edits``): the sorted, comma-separated names of the
repair rules whose edits fall inside the bead's English sentences, located through
:attr:`SideDoc.edits` (offsets into the raw text) mapped onto the repaired text.
"""

from __future__ import annotations

import bisect
import dataclasses
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cleaners import __version__
from cleaners.config import PipelineConfig
from cleaners.dedup import Deduper
from cleaners.fsutil import atomic_writers
from cleaners.model import REPLACE_RULE, Document, SideDoc

CORPUS_FILES = ("corpus.tmx", "corpus.ru", "corpus.en", "corpus.tsv", "corpus.jsonl")
REJECTED_FILES = ("corpus.rejected.tsv", "corpus.rejected.jsonl")
EXAMPLES = 3  # rejected pairs shown per reason in the report

# Not allowed in XML 1.0 documents at all (not even as character references).
_XML_FORBIDDEN = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Everything str.splitlines() breaks on, plus tab (the TSV field separator).
_BREAKS = re.compile("[\t\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]+")
_SPACES = re.compile(" {2,}")


def clean_field(text: str) -> str:
    """One line of safe text: XML-forbidden characters dropped, breaks made spaces.

    >>> clean_field("a\\tb\\nc\\x00d\\u2028e  ")
    'a b cd e'
    >>> clean_field("Токаев & <Tokayev>")
    'Токаев & <Tokayev>'
    """
    text = _XML_FORBIDDEN.sub("", text)
    text = _BREAKS.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def xml_escape(text: str) -> str:
    """Escape for element content and double-quoted attributes.

    >>> xml_escape('a < b & "c" > d')
    'a &lt; b &amp; &quot;c&quot; &gt; d'
    """
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


@dataclass(frozen=True, slots=True)
class Row:
    """One bead as written to every corpus file."""

    doc_id: str
    ru_ids: tuple[int, ...]
    en_ids: tuple[int, ...]
    score: float
    method: str
    ru: str
    en: str
    edits: tuple[str, ...]
    origin: str = "mt"  # where the English came from: mt, mt+repair, retranslation
    align_score: float | None = None  # the aligner's own score when ``score`` is adequacy
    reasons: tuple[str, ...] = ()  # why the row is rejected (empty: in the corpus)

    @property
    def bead(self) -> str:
        return f"{len(self.ru_ids)}-{len(self.en_ids)}"

    @property
    def score_text(self) -> str:
        return f"{self.score:.4f}"


# ---------------------------------------------------------------- edits per sentence


def _edit_spans(side: SideDoc) -> list[tuple[int, int, str]]:
    """Each edit's span in the repaired text: ``(start, end, rule)``.

    Edits are sorted, non-overlapping, with offsets into ``raw_text``; an edit's start in
    the repaired text is its raw start shifted by the length change of the edits before it.
    """
    spans = []
    delta = 0
    for e in sorted(side.edits, key=lambda e: (e.start, e.end)):
        start = e.start + delta
        spans.append((start, start + len(e.after), e.rule))
        delta += len(e.after) - (e.end - e.start)
    return spans


_WINDOW = 50_000  # how far past the previous sentence the next one is looked for


def _locate(text: str, sentence: str, cursor: int) -> tuple[int, int] | None:
    """Where ``sentence`` occurs in ``text`` within a window after ``cursor`` (sentences
    come in text order; skipped boilerplate fits in the window), allowing any whitespace
    where the sentence has whitespace. Bounded so a 10k-sentence document stays linear."""
    needle = sentence.strip()
    if not needle:
        return None
    stop = min(len(text), cursor + _WINDOW + len(needle))
    i = text.find(needle, cursor, stop)
    if i >= 0:
        return i, i + len(needle)
    pattern = re.compile(r"\s+".join(re.escape(w) for w in needle.split()))
    m = pattern.search(text, cursor, stop)
    return (m.start(), m.end()) if m else None


def sentence_rules(side: SideDoc | None, sentences: Sequence[str]) -> list[tuple[str, ...]]:
    """For each sentence of ``side``, the sorted names of repair rules whose edits touch it
    (each rule of an edit composed of several: ``a+b`` gives ``a`` and ``b``).

    A sentence that cannot be found in the repaired text gets no rules (never a guess).

    >>> from cleaners.model import Edit, SideDoc
    >>> side = SideDoc(raw_text="Hi.  andeconomic ties.", text="Hi. and economic ties.",
    ...                encoding="utf-8", edits=[Edit("collapse_spaces", 3, 5, "  ", " "),
    ...                                         Edit("split_fused", 5, 16, "andeconomic",
    ...                                              "and economic")])
    >>> sentence_rules(side, ["Hi.", "and economic ties."])
    [(), ('split_fused',)]
    """
    if side is None or not side.edits:
        return [() for _ in sentences]
    spans = _edit_spans(side)
    # Sorted, non-overlapping spans: their ends are sorted too, so the spans touching a
    # sentence form one run found by bisection.
    ends = [e for _, e, _ in spans]
    out: list[tuple[str, ...]] = []
    cursor = 0
    for sentence in sentences:
        where = _locate(side.text, sentence, cursor)
        if where is None:
            out.append(())
            continue
        lo, hi = where
        cursor = hi
        rules = set()
        k = bisect.bisect_left(ends, lo)
        while k < len(spans) and spans[k][0] <= hi:
            s, e, rule = spans[k]
            # Overlap; a deletion (empty span) counts when it sits inside the sentence.
            if (s < hi and e > lo) or (s == e and lo < s < hi):
                rules.update(rule.split("+"))
            k += 1
        out.append(tuple(sorted(rules)))
    return out


# ---------------------------------------------------------------- rows


@dataclass(slots=True)
class _Counts:
    documents: int = 0
    beads: int = 0
    written: int = 0
    one_sided: int = 0
    below_min_score: int = 0
    empty: int = 0
    invalid: int = 0
    rejected: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    examples: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def reject(self, row: Row) -> None:
        self.rejected += 1
        for r in row.reasons:
            self.reasons[r] = self.reasons.get(r, 0) + 1
            shown = self.examples.setdefault(r, [])
            if len(shown) < EXAMPLES:
                shown.append({"doc_id": row.doc_id, "score": round(row.score, 4), "ru": row.ru,
                              "en": row.en})  # fmt: skip

    def as_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "beads": self.beads,
            "written": self.written,
            "one_sided": self.one_sided,
            "below_min_score": self.below_min_score,
            "empty": self.empty,
            "invalid": self.invalid,
            "rejected": self.rejected,
            "rejected_by_reason": dict(sorted(self.reasons.items())),
            "rejected_examples": dict(sorted(self.examples.items())),
        }


def _rows(
    docs: Iterable[Document], config: PipelineConfig, counts: _Counts, rejected: bool = False
) -> Iterator[Row]:
    """Rows in the corpus, in order; with ``rejected``, the rejected rows too (each with its
    reasons). Deduplication runs here, over the whole stream: the first pair is kept."""
    fc = config.filters
    min_score = config.align.min_score
    dedup = Deduper(fc.on("duplicate"), fc.on("near-duplicate"), fc.near_duplicate_digits)
    for row in _candidates(docs, counts):
        why = list(row.reasons)
        if row.score < min_score:
            counts.below_min_score += 1
            why.append("below-min-score")
        if not why and fc.enabled and (dup := dedup.check(row.ru, row.en)):
            why.append(dup)
        if why:
            row = dataclasses.replace(row, reasons=tuple(why))
            counts.reject(row)
            if rejected:
                yield row
            continue
        counts.written += 1
        yield row


def _candidates(docs: Iterable[Document], counts: _Counts) -> Iterator[Row]:
    for doc in docs:
        counts.documents += 1
        rules: list[tuple[str, ...]] | None = None  # computed on first use
        n_ru, n_en = len(doc.ru_sentences), len(doc.en_sentences)
        for bead in doc.beads:
            counts.beads += 1
            if not bead.ru or not bead.en:
                counts.one_sided += 1
                continue
            if not all(0 <= i < n_ru for i in bead.ru) or not all(0 <= i < n_en for i in bead.en):
                counts.invalid += 1
                continue
            ru = clean_field(" ".join(doc.ru_sentences[i] for i in bead.ru))
            en = clean_field(" ".join(doc.en_sentences[i] for i in bead.en))
            if not ru or not en:
                counts.empty += 1
                continue
            if rules is None:
                rules = sentence_rules(doc.en, doc.en_sentences)
            names = tuple(sorted({r for i in bead.en for r in rules[i]}))
            origin = row_origin(doc.en_origin, names)
            if bead.adequacy is None:
                yield Row(doc.id, bead.ru, bead.en, bead.score, bead.method, ru, en, names, origin)
            else:
                yield Row(doc.id, bead.ru, bead.en, bead.adequacy, bead.method, ru, en, names,
                          origin, bead.score, bead.reasons)  # fmt: skip


def row_origin(en_origin: str, rules: Sequence[str]) -> str:
    """Where a row's English came from: ``retranslation`` (the document's English is the
    retranslation, or an edit replaced the MT by it), ``mt+repair`` (the MT, with repair
    edits), or ``mt``.

    >>> row_origin("mt", ()), row_origin("mt", ("split_fused_words",))
    ('mt', 'mt+repair')
    >>> row_origin("mt", ("join_split_times+replace_with_retranslation",))
    'retranslation'
    """
    if en_origin == "retranslation" or any(REPLACE_RULE in r.split("+") for r in rules):
        return "retranslation"
    return "mt+repair" if rules else "mt"


def corpus_rows(docs: Iterable[Document], config: PipelineConfig) -> Iterator[Row]:
    """The rows :func:`write_corpus` writes to the corpus, in order (for tools and tests)."""
    yield from _rows(docs, config, _Counts())


# ---------------------------------------------------------------- formats


def tmx_header() -> str:
    """The TMX 1.4b preamble; no creation date so reruns are byte-identical."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<tmx version="1.4">\n'
        '  <header creationtool="mtclean" creationtoolversion="'
        + xml_escape(__version__)
        + '" segtype="sentence" o-tmf="mtclean" adminlang="en" srclang="ru"'
        ' datatype="plaintext"/>\n'
        "  <body>\n"
    )


TMX_FOOTER = "  </body>\n</tmx>\n"


def tmx_tu(row: Row) -> str:
    """One ``<tu>``: props for document, bead type, score, repair rules; then ru and en."""
    props = (
        ("x-doc-id", row.doc_id),
        ("x-bead", row.bead),
        ("x-score", row.score_text),
        ("x-edits", ",".join(row.edits)),
        ("x-origin", row.origin),
    )
    lines = ["    <tu>"]
    lines += [
        f'      <prop type="{name}">{xml_escape(clean_field(value))}</prop>'
        for name, value in props
    ]
    lines.append(f'      <tuv xml:lang="ru"><seg>{xml_escape(row.ru)}</seg></tuv>')
    lines.append(f'      <tuv xml:lang="en"><seg>{xml_escape(row.en)}</seg></tuv>')
    lines.append("    </tu>\n")
    return "\n".join(lines)


def tsv_line(row: Row) -> str:
    """``doc_id, bead, score, ru, en`` separated by tabs (fields hold no tab or newline)."""
    return "\t".join((clean_field(row.doc_id), row.bead, row.score_text, row.ru, row.en)) + "\n"


def rejected_tsv_line(row: Row) -> str:
    """``doc_id, bead, score, reasons (comma-separated), ru, en`` separated by tabs."""
    fields = (clean_field(row.doc_id), row.bead, row.score_text, ",".join(row.reasons), row.ru,
              row.en)  # fmt: skip
    return "\t".join(fields) + "\n"


def jsonl_line(row: Row) -> str:
    """One JSON object per bead, keys sorted (``reasons`` on rejected rows only)."""
    obj: dict[str, Any] = {
        "doc_id": row.doc_id,
        "bead": row.bead,
        "ru_ids": list(row.ru_ids),
        "en_ids": list(row.en_ids),
        "score": round(row.score, 4),
        "method": row.method,
        "ru": row.ru,
        "en": row.en,
        "edits": list(row.edits),
        "origin": row.origin,
    }
    if row.align_score is not None:
        obj["align_score"] = round(row.align_score, 4)
    if row.reasons:
        obj["reasons"] = list(row.reasons)
    return json.dumps(obj, ensure_ascii=False, sort_keys=True) + "\n"


def write_corpus(out_dir: Path, docs: Iterable[Document], config: PipelineConfig) -> dict[str, Any]:
    """Write corpus.tmx, corpus.ru, corpus.en, corpus.tsv and corpus.jsonl into ``out_dir``,
    docs in the order given, streaming. Line *i* of the four text files (no header lines)
    and the *i*-th ``<tu>`` are the same bead.

    Returns counts: ``documents``, ``beads`` seen, ``written`` (rows in each file), and the
    beads left out: ``one_sided`` (1-0/0-1), ``below_min_score``, ``empty`` (nothing left
    after cleaning), ``invalid`` (ids outside the document's sentence lists); ``rejected``
    (rows of corpus.rejected.*), ``rejected_by_reason`` and a few ``rejected_examples``.
    """
    out_dir = Path(out_dir)
    counts = _Counts()
    # All seven files are renamed into place together, after all are written: one closed
    # after another, a full disk could leave a new corpus.en beside an old corpus.ru.
    with atomic_writers([out_dir / name for name in CORPUS_FILES + REJECTED_FILES]) as files:
        tmx, ru, en, tsv, jsonl, rej_tsv, rej_jsonl = files
        tmx.write(tmx_header())
        for row in _rows(docs, config, counts, rejected=True):
            if row.reasons:
                rej_tsv.write(rejected_tsv_line(row))
                rej_jsonl.write(jsonl_line(row))
                continue
            tmx.write(tmx_tu(row))
            ru.write(row.ru + "\n")
            en.write(row.en + "\n")
            tsv.write(tsv_line(row))
            jsonl.write(jsonl_line(row))
        tmx.write(TMX_FOOTER)
    return counts.as_dict()
