"""Run reports: one summary dict, rendered as Markdown (report.md, the Prefect artifact) and HTML.

``summarize`` streams over the documents once (a 10,000-document run never holds them all);
``render_md`` and ``render_html`` only format it. The HTML page is self-contained (inline CSS
and SVG, no script, nothing fetched) so it opens from a file or a CI artifact as it is.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from cleaners.leftout import LEFT_OUT
from cleaners.model import Document, Edit, Quarantined, SideDoc
from cleaners.report_pages import (
    PAGE_CSS,
    ROWS_PER_PAGE,
    TABLE_JS,
    ReportIndex,
    index_nav,
    index_table,
)

# Alignment score histogram: ten bins of 0.1; a score of exactly 1.0 falls in the last one.
BINS = 10


def _bin(score: float) -> int:
    return min(BINS - 1, max(0, int(score * BINS)))


class Tally:
    """Streaming counterpart of :func:`summarize`: ``add`` documents one by one, then ``result``.

    Lets the flow count documents while they stream into the corpus writers, in one pass.
    """

    def __init__(self) -> None:
        self.n_docs = 0
        self.rules: Counter[str] = Counter()  # per rule: the edits it took part in
        self.n_edits = 0
        self.merged = 0  # edits of two or more rules composed in one place
        self.doc_langs: Counter[str] = Counter()
        self.seg_langs: Counter[str] = Counter()
        self.kinds: Counter[str] = Counter()
        self.bead_kinds: Counter[str] = Counter()
        self.warnings: Counter[str] = Counter()
        self.reasons: Counter[str] = Counter()
        self.hist = [0] * BINS
        self.scores_sum = 0.0
        self.n_beads = 0
        self.n_ru = 0
        self.n_en = 0
        self.aligned_docs = 0
        self.left_out: Counter[str] = Counter()  # segments kept out of alignment, by reason
        self.unaligned = 0  # sentences in 1-0 / 0-1 beads
        self.judged = 0  # beads with an adequacy score

    def add(self, doc: Document) -> None:
        self.n_docs += 1
        for side in (doc.ru, doc.en):
            if side is None:
                continue
            # A composed edit ("a+b") counts once under each of its rules, never under a
            # joined name that is no rule; so the column can sum to more than the edits.
            for e in side.edits:
                names = e.rules
                self.rules.update(set(names))  # (a rule twice in one edit: once)
                self.merged += len(names) > 1
            self.n_edits += len(side.edits)
            self.doc_langs[side.lang] += 1
            for seg in side.segments:
                self.seg_langs[seg.lang] += 1
                self.kinds[seg.kind] += 1
                self.left_out.update(
                    f[len(LEFT_OUT) :] for f in seg.peek_flags if f.startswith(LEFT_OUT)
                )
        self.n_ru += len(doc.ru_sentences)
        self.n_en += len(doc.en_sentences)
        if doc.beads:
            self.aligned_docs += 1
        for bead in doc.beads:
            self.n_beads += 1
            self.bead_kinds[bead.kind] += 1
            if not (bead.ru and bead.en):
                self.unaligned += len(bead.ru) + len(bead.en)
            # The adequacy when the bead was judged (what min_score and the corpus use).
            score = bead.score if bead.adequacy is None else bead.adequacy
            self.judged += bead.adequacy is not None
            self.hist[_bin(score)] += 1
            self.scores_sum += score
        # "swapped: the 'ru' input is 'en'" → "swapped": count kinds, not texts.
        self.warnings.update(w.split(":", 1)[0] for w in doc.warnings)

    def add_quarantined(self, q: Quarantined) -> None:
        self.reasons[q.reason] += 1

    def result(
        self, run: Mapping[str, Any] | None = None, corpus: Mapping[str, int] | None = None
    ) -> dict[str, Any]:
        n = self.n_beads
        return {
            "run": dict(run or {}),
            "documents": self.n_docs,
            "aligned_documents": self.aligned_docs,
            "quarantined": sum(self.reasons.values()),
            "quarantine_reasons": dict(sorted(self.reasons.items())),
            "edits_by_rule": dict(sorted(self.rules.items(), key=lambda kv: (-kv[1], kv[0]))),
            "edits": self.n_edits,
            "merged_edits": self.merged,
            "languages": {
                "documents": dict(sorted(self.doc_langs.items())),
                "segments": dict(sorted(self.seg_langs.items())),
            },
            "segments_by_kind": dict(sorted(self.kinds.items())),
            "sentences": {"ru": self.n_ru, "en": self.n_en},
            "alignment": {
                "beads": n,
                "by_kind": dict(sorted(self.bead_kinds.items())),
                "mean_score": round(self.scores_sum / n, 4) if n else None,
                "score": "adequacy" if self.judged else "aligner",
                "histogram": [
                    {"from": round(i / BINS, 1), "to": round((i + 1) / BINS, 1), "beads": k}
                    for i, k in enumerate(self.hist)
                ],
            },
            "left_out": {
                "segments_by_reason": dict(sorted(self.left_out.items())),
                "unaligned_sentences": self.unaligned,
            },
            "warnings": dict(sorted(self.warnings.items())),
            "corpus": dict(corpus or {}),
        }


def summarize(
    docs: Iterable[Document],
    quarantined: Iterable[Quarantined],
    run: Mapping[str, Any] | None = None,
    corpus: Mapping[str, int] | None = None,
) -> dict[str, Any]:
    """Count what a run produced: documents, quarantine reasons, edits, languages, alignment.

    ``run`` carries the run's own counts (inputs, processed, skipped, ...) and ``corpus`` what
    the writers returned; both are copied in as given. Everything is sorted, so the same
    outputs always give the same summary.

    >>> s = summarize([], [Quarantined("x", ["x.txt"], "h", "decode-error")], run={"inputs": 1})
    >>> s["quarantined"], s["quarantine_reasons"], s["run"]["inputs"]
    (1, {'decode-error': 1}, 1)
    """
    tally = Tally()
    for doc in docs:
        tally.add(doc)
    for q in quarantined:
        tally.add_quarantined(q)
    return tally.result(run, corpus)


# ---------------------------------------------------------------- markdown


def _score(value: float | str) -> str:
    """A pair's score as the corpus files print it (4 decimals); text is shown as given.

    >>> _score(0.62), _score("0.9100")
    ('0.6200', '0.9100')
    """
    return value if isinstance(value, str) else f"{value:.4f}"


def _table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[str]:
    def cell(v: Any) -> str:
        return str(v).replace("|", "\\|").replace("\n", " ")

    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out.extend("| " + " | ".join(cell(v) for v in row) + " |" for row in rows)
    return out


_RUN_LABELS = {
    "inputs": "documents in",
    "processed": "processed this run",
    "done": "done (in docs/)",
    "skipped": "skipped (unchanged)",
    "resumed": "resumed (finished by an interrupted run)",
    "removed": "removed (input gone)",
    "quarantined": "quarantined",
    "duration_s": "duration (s)",
    "retranslation": "retranslation",
}


def _merged_note(summary: Mapping[str, Any]) -> list[str]:
    """The line under "Edits by rule" that says why its column can sum to more than the edits.

    >>> _merged_note({"edits": 5, "merged_edits": 2})
    ['5 edits; 2 of them made by two or more rules in one place, counted under each rule.', '']
    >>> _merged_note({"edits": 5, "merged_edits": 0}), _merged_note({"edits": 5})
    ([], [])
    """
    merged = summary.get("merged_edits", 0)
    if not merged:
        return []
    return [
        f"{summary['edits']} edits; {merged} of them made by two or more rules in one place,"
        " counted under each rule.",
        "",
    ]


def render_md(summary: Mapping[str, Any]) -> str:
    """The run's table as Markdown: report.md and the Prefect artifact.

    >>> md = render_md(summarize([], [], run={"inputs": 0}))
    >>> md.splitlines()[0]
    '# mtclean run report'
    """
    run = dict(summary.get("run", {}))
    lines = ["# mtclean run report", ""]
    rows = [(_RUN_LABELS.get(k, k), run[k]) for k in _RUN_LABELS if k in run]
    rows += [(k, v) for k, v in run.items() if k not in _RUN_LABELS and not isinstance(v, dict)]
    if "quarantined" not in run:
        rows.append(("quarantined", summary["quarantined"]))
    lines += _table(["", "count"], rows) + [""]
    if summary["quarantine_reasons"]:
        lines += ["## Quarantined by reason", ""]
        lines += _table(["reason", "documents"], summary["quarantine_reasons"].items()) + [""]
    lines += ["## Edits by rule", ""]
    if summary["edits_by_rule"]:
        lines += _table(["rule", "edits"], summary["edits_by_rule"].items()) + [""]
        lines += _merged_note(summary)
    else:
        lines += ["No edits.", ""]
    langs = summary["languages"]
    lines += ["## Languages", ""]
    all_codes = sorted(set(langs["documents"]) | set(langs["segments"]))
    lines += _table(
        ["language", "document sides", "segments"],
        ((c, langs["documents"].get(c, 0), langs["segments"].get(c, 0)) for c in all_codes),
    ) + [""]
    al = summary["alignment"]
    # Say which score: the aligner's path score until beads are judged, then the adequacy.
    score = "adequacy" if al.get("score") == "adequacy" else "aligner score"
    lines += ["## Alignment", ""]
    lines += [
        f"{al['beads']} beads in {summary['aligned_documents']} documents "
        f"({summary['sentences']['ru']} ru / {summary['sentences']['en']} en sentences); "
        f"mean {score} {al['mean_score'] if al['mean_score'] is not None else '–'}.",
        "",
    ]
    if score == "adequacy":  # the one word names two scores: say which this is
        lines += [
            "Adequacy here, in the corpus `score` and for `align.min_score` is a bead's "
            "probability of being a right pair given its document (its pair score, what "
            "`mtclean filter` gives, is `pair_adequacy` in docs/<id>.json).",
            "",
        ]
    if al["by_kind"]:
        lines += _table(["bead", "count"], al["by_kind"].items()) + [""]
    lines += _table(
        [score, "beads"],
        ((f"{b['from']:.1f}–{b['to']:.1f}", b["beads"]) for b in al["histogram"]),
    ) + [""]
    if summary.get("warnings"):
        lines += ["## Warnings", ""] + _table(["warning", "documents"], summary["warnings"].items())
        lines.append("")
    lines += _filters_md(summary)
    if summary.get("corpus"):
        flat = sorted(
            ((k, v) for k, v in summary["corpus"].items() if not isinstance(v, dict)),
            key=_corpus_row_order,
        )
        lines += ["## Corpus files", ""] + _table(["", "count"], flat) + [""]
    return "\n".join(lines)


# The writer's order of the corpus counts. A rerun with nothing changed reads them back from
# manifest.json (sorted keys), so report.md orders its rows itself to stay the same.
_CORPUS_ROWS = ("documents", "beads", "written", "one_sided", "below_min_score", "empty",
                "invalid", "rejected")  # fmt: skip


def _corpus_row_order(row: tuple[str, Any]) -> tuple[int, str]:
    """Known counts in the writer's order, any other after them by name."""
    name = row[0]
    return (_CORPUS_ROWS.index(name) if name in _CORPUS_ROWS else len(_CORPUS_ROWS), name)


def _filters_md(summary: Mapping[str, Any]) -> list[str]:
    """What the filters discarded (with examples) and what stayed out of alignment."""
    lines: list[str] = []
    corpus = summary.get("corpus") or {}
    by_reason = corpus.get("rejected_by_reason") or {}
    if corpus:
        total = corpus.get("written", 0) + corpus.get("rejected", 0)
        lines += ["## Filters", ""]
        lines += [
            f"{corpus.get('rejected', 0)} of {total} aligned pairs rejected (in "
            "corpus.rejected.tsv/.jsonl with their reasons; a pair may have several).",
            "",
        ]
        if by_reason:
            lines += _table(
                ["reason", "pairs", "share of aligned pairs"],
                ((r, n, f"{100 * n / max(total, 1):.1f} %") for r, n in by_reason.items()),
            ) + [""]
        for reason, shown in (corpus.get("rejected_examples") or {}).items():
            lines += [f"### {reason}", ""]
            lines += _table(
                ["document", "score", "ru", "en"],
                ((x["doc_id"], _score(x["score"]), x["ru"][:160], x["en"][:160]) for x in shown),
            ) + [""]
    left = summary.get("left_out") or {}
    if left.get("segments_by_reason") or left.get("unaligned_sentences"):
        lines += ["## Left out of alignment", ""]
        rows = [(f"segments: {r}", n) for r, n in left.get("segments_by_reason", {}).items()]
        rows.append(("sentences without a counterpart (1-0 / 0-1 beads)",
                     left.get("unaligned_sentences", 0)))  # fmt: skip
        lines += _table(["", "count"], rows) + [
            "",
            "Per document: segment flags `left-out:<reason>` in docs/<id>.json.",
            "",
        ]
    return lines


# ---------------------------------------------------------------- html

# report.html: the pages' look (documents, index) plus the summary's cards and plots.
_CSS = (
    PAGE_CSS
    + """
h1{margin-bottom:.2em} h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:1.6em}
.cards{display:flex;flex-wrap:wrap;gap:.8em;margin:1em 0}
.card{border:1px solid #ddd;border-radius:8px;padding:.6em 1em;min-width:8em}
.card b{display:block;font-size:1.6em}
.plots{display:flex;flex-wrap:wrap;gap:2em}
.plot figcaption{font-weight:600;margin-bottom:.3em}
"""
)


def highlight(original: str, edits: Sequence[Edit], expected: str | None = None) -> str | None:
    """The repaired text as HTML, each edit in a ``<mark>`` whose tooltip names rule and original;
    a deletion shows the deleted text struck through (``<del>``).

    Edits are offsets into ``original`` (sorted, non-overlapping); the result is ``None`` when
    replaying them does not give ``expected`` (the page then shows the text without marks).

    >>> highlight("18: 18 now", [Edit("fix_times", 0, 6, "18: 18", "18:18")], "18:18 now")
    '<mark title="fix_times: &quot;18: 18&quot; → &quot;18:18&quot;">18:18</mark> now'
    """
    parts = highlight_parts(original, edits, expected)
    return None if parts is None else "".join(parts)


def highlight_parts(
    original: str, edits: Sequence[Edit], expected: str | None = None
) -> list[str] | None:
    """:func:`highlight` in pieces, the replay checked against ``expected`` piece by piece
    (a book-length side's replayed text, and its marked HTML, were each one string more).

    >>> highlight_parts("a  b", [Edit("collapse_spaces", 1, 3, "  ", " ")], "a b")
    ['a', '<mark title="collapse_spaces: &quot;  &quot; → &quot; &quot;"> </mark>', 'b']
    >>> highlight_parts("a  b", [Edit("collapse_spaces", 1, 3, "  ", " ")], "a  b") is None
    True
    """
    out: list[str] = []
    pos = at = 0  # at: how much of ``expected`` the replayed pieces have matched

    def replays(piece: str) -> bool:
        nonlocal at
        if expected is None:
            return True
        if not expected.startswith(piece, at):
            return False
        at += len(piece)
        return True

    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        if e.start < pos or original[e.start : e.end] != e.before:
            return None
        piece = original[pos : e.start]
        if not (replays(piece) and replays(e.after)):
            return None
        out.append(html.escape(piece))
        tip = html.escape(f'{e.rule}: "{e.before}" → "{e.after}"')
        if e.after:
            out.append(f'<mark title="{tip}">{html.escape(e.after)}</mark>')
        else:
            out.append(f'<del class="del" title="{tip}">{html.escape(e.before)}</del>')
        pos = e.end
    piece = original[pos:]
    if not replays(piece) or (expected is not None and at != len(expected)):
        return None
    out.append(html.escape(piece))
    return out


def side_marks(side: SideDoc) -> Iterable[str] | None:
    """A side's :func:`highlight_parts`; for a long side whose raw text is not held (it is the
    text with the edits undone, checked when the side was made), the marked text is cut from
    the repaired text a piece at a time: its raw text and its marked pieces were each a whole
    copy more, held while a big document's page was written."""
    if side.holds_raw:
        return highlight_parts(side.raw_text, side.edits, side.text)
    return _replayed_marks(side.text, side.edits)


def _replayed_marks(text: str, edits: Sequence[Edit]) -> Iterator[str]:
    pos = shift = 0  # pos: in ``text``; shift: its offset from the raw text's
    for e in edits:  # (in order: the side's were checked to undo into its raw text)
        at = e.start + shift
        yield from _escaped(text, pos, at)
        tip = html.escape(f'{e.rule}: "{e.before}" → "{e.after}"')
        if e.after:
            yield f'<mark title="{tip}">{html.escape(e.after)}</mark>'
        else:
            yield f'<del class="del" title="{tip}">{html.escape(e.before)}</del>'
        pos = at + len(e.after)
        shift += len(e.after) - len(e.before)
    yield from _escaped(text, pos, len(text))


_ESCAPED = 1 << 20


def _escaped(text: str, start: int, end: int) -> Iterator[str]:
    """``text[start:end]`` HTML-escaped, a slice at a time (escaping is per character)."""
    for a in range(start, end, _ESCAPED):
        yield html.escape(text[a : min(end, a + _ESCAPED)])


def _svg_bars(
    labels: Sequence[str], values: Sequence[int], title: str, horizontal: bool = False
) -> str:
    """A small bar chart as inline SVG (no plotting library, nothing to load)."""
    top = max(values, default=0) or 1
    if horizontal:
        # Wide enough for the longest label (~8 px per character at 12 px), so none is clipped.
        longest = max((len(lab[:40]) for lab in labels), default=0)
        row, label_w, bar_w = 22, 8 * longest + 16, 260
        h = row * len(labels) + 10
        parts = [
            f'<svg role="img" aria-label="{html.escape(title)}" width="{label_w + bar_w + 60}" '
            f'height="{h}" xmlns="http://www.w3.org/2000/svg">'
        ]
        for i, (lab, v) in enumerate(zip(labels, values, strict=True)):
            y = 5 + i * row
            w = bar_w * v / top
            parts.append(
                f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end" font-size="12">'
                f"{html.escape(lab[:40])}</text>"
                f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row - 6}" '
                f'fill="#4c78a8"><title>{html.escape(lab)}: {v}</title></rect>'
                f'<text x="{label_w + w + 4:.1f}" y="{y + 15}" font-size="12">{v}</text>'
            )
        parts.append("</svg>")
        return "".join(parts)
    col, plot_h = 36, 140
    w = col * len(labels) + 20
    parts = [
        f'<svg role="img" aria-label="{html.escape(title)}" width="{w}" height="{plot_h + 40}" '
        'xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, (lab, v) in enumerate(zip(labels, values, strict=True)):
        x = 10 + i * col
        bh = plot_h * v / top
        parts.append(
            f'<rect x="{x}" y="{plot_h - bh + 15:.1f}" width="{col - 6}" height="{bh:.1f}" '
            f'fill="#f58518"><title>{html.escape(lab)}: {v}</title></rect>'
            f'<text x="{x + (col - 6) / 2}" y="{plot_h - bh + 11:.1f}" font-size="10" '
            f'text-anchor="middle">{v}</text>'
            f'<text x="{x + (col - 6) / 2}" y="{plot_h + 30}" font-size="10" '
            f'text-anchor="middle">{html.escape(lab)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def doc_html(doc: Document, expanded: bool = False) -> str:
    """A document's section of a report page: its texts with their edits marked, its beads."""
    return "".join(doc_html_parts(doc, expanded))


def doc_html_parts(doc: Document, expanded: bool = False) -> Iterator[str]:
    """:func:`doc_html` in pieces (a book-length document's page is written as they come)."""
    e = html.escape
    attr = " open" if expanded else ""
    yield f'<details class="doc" id="doc-{e(doc.id)}"{attr}><summary>{e(doc.id)}'
    n_edits = sum(len(s.edits) for s in (doc.ru, doc.en) if s)
    yield f" <span class='score'>— {len(doc.beads)} beads, {n_edits} edits</span></summary>"
    for w in doc.warnings:
        yield f'<p class="warn">{e(w)}</p>'
    head = (
        "English: the retranslation"
        if doc.en_origin == "retranslation"
        else "English, repaired (edits marked, deletions struck through; hover for the rule)"
    )
    yield f'<div class="pair"><div><h4>{head}</h4>'
    if doc.en is not None:
        pieces = side_marks(doc.en)
        yield '<div class="text" lang="en">'
        # (the side's whole text unmarked: its own piece, not copied)
        yield from pieces if pieces is not None else [e(doc.en.text)]
        yield "</div>"
        pieces = None
    else:
        yield "<p><i>no English</i></p>"
    if doc.mt is not None:
        marked = highlight(doc.mt.raw_text, doc.mt.edits, doc.mt.text)
        yield (
            "<details><summary>the MT, kept for comparison</summary>"
            f'<div class="text" lang="en">{marked or e(doc.mt.text)}</div></details>'
        )
    yield "</div><div><h4>Russian</h4>"
    if doc.ru is not None:
        pieces = side_marks(doc.ru)
        yield '<div class="text" lang="ru">'
        yield from pieces if pieces is not None else [e(doc.ru.text)]
        yield "</div>"
        pieces = None
    else:
        yield "<p><i>no Russian source</i></p>"
    yield "</div></div>"
    if doc.beads:
        yield (
            "<h4>Aligned sentences</h4><table class='beads'>"
            "<tr><th>Russian</th><th>English</th><th>score</th></tr>"
        )
        for b in doc.beads:
            ru = " ".join(doc.ru_sentences[i] for i in b.ru if i < len(doc.ru_sentences))
            en = " ".join(doc.en_sentences[i] for i in b.en if i < len(doc.en_sentences))
            # Hover: which score this is, and the pair's own (what mtclean filter would say).
            tip = (
                ""
                if b.pair_adequacy is None
                else f" title='adequacy in the document; the pair alone {b.pair_adequacy:.4f}'"
            )
            yield (
                f"<tr><td lang='ru'>{e(ru)}</td><td lang='en'>{e(en)}</td>"
                f"<td class='score'{tip}>{b.score if b.adequacy is None else b.adequacy:.2f} "
                f"<small>{e(b.kind)}</small>"
                + (f"<br><span class='warn'>{e(', '.join(b.reasons))}</span>" if b.reasons else "")
                + "</td></tr>"
            )
        yield "</table>"
    yield "</details>"


def _filters_html(summary: Mapping[str, Any]) -> str:
    """The Filters and Left-out sections of the page, from the Markdown tables' data."""
    e = html.escape
    corpus = summary.get("corpus") or {}
    parts = []
    if corpus:
        total = corpus.get("written", 0) + corpus.get("rejected", 0)
        parts.append(
            f"<h2>Filters</h2><p>{corpus.get('rejected', 0)} of {total} aligned pairs rejected "
            "(corpus.rejected.tsv/.jsonl).</p>"
        )
        by_reason = corpus.get("rejected_by_reason") or {}
        if by_reason:
            parts.append('<figure class="plot" id="plot-filters">')
            parts.append(_svg_bars(list(by_reason), list(by_reason.values()), "Rejected", True))
            parts.append("</figure>")
        for reason, shown in (corpus.get("rejected_examples") or {}).items():
            parts.append(f"<h4>{e(reason)}</h4><table><tr><th>document</th><th>score</th>"
                         "<th>Russian</th><th>English</th></tr>")  # fmt: skip
            parts += [
                f"<tr><td>{e(x['doc_id'])}</td><td class='score'>{e(_score(x['score']))}</td>"
                f"<td lang='ru'>{e(x['ru'])}</td><td lang='en'>{e(x['en'])}</td></tr>"
                for x in shown
            ]
            parts.append("</table>")
    left = summary.get("left_out") or {}
    if left.get("segments_by_reason") or left.get("unaligned_sentences"):
        parts.append("<h2>Left out of alignment</h2><table><tr><th></th><th>n</th></tr>")
        parts += [
            f"<tr><td>segments: {e(r)}</td><td>{n}</td></tr>"
            for r, n in left.get("segments_by_reason", {}).items()
        ]
        parts.append(
            "<tr><td>sentences without a counterpart (1-0 / 0-1)</td>"
            f"<td>{left.get('unaligned_sentences', 0)}</td></tr></table>"
        )
    return "".join(parts)


def render_html(
    summary: Mapping[str, Any],
    docs: Iterable[Document],
    max_docs: int = 200,
    index: ReportIndex | None = None,
) -> str:
    """A static page: the run's figures, two plots, and per document its edits and alignment.

    With ``index`` (what :class:`cleaners.report_pages.ReportPages` wrote), the page lists
    every document, linked to its page under ``report/``; else at most ``max_docs`` of
    ``docs`` are shown inline.

    >>> page = render_html(summarize([], []), [])
    >>> page.startswith("<!DOCTYPE html>") and "Alignment scores" in page
    True
    """
    e = html.escape
    run = summary.get("run", {})
    al = summary["alignment"]
    cards = [
        ("documents in", run.get("inputs", summary["documents"] + summary["quarantined"])),
        ("done", summary["documents"]),
        ("quarantined", summary["quarantined"]),
        ("processed this run", run.get("processed", "–")),
        ("skipped", run.get("skipped", "–")),
        ("edits", summary["edits"]),
        ("beads", al["beads"]),
        (
            "mean adequacy" if al.get("score") == "adequacy" else "mean aligner score",
            al["mean_score"] if al["mean_score"] is not None else "–",
        ),
    ]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>mtclean report</title><style>{_CSS}</style></head><body>",
        "<h1>mtclean run report</h1>",
        '<div class="cards">',
    ]
    parts += [f'<div class="card"><b>{e(str(v))}</b>{e(k)}</div>' for k, v in cards]
    parts.append("</div>")
    if "retranslation" in run:  # the mode, or "off", or why it was off though asked for
        parts.append(f"<p>Retranslation: {e(str(run['retranslation']))}</p>")
    parts.append('<h2>Figures</h2><div class="plots">')
    hist = al["histogram"]
    parts.append('<figure class="plot" id="plot-scores"><figcaption>Alignment scores</figcaption>')
    parts.append(
        _svg_bars(
            [f"{b['from']:.1f}" for b in hist], [b["beads"] for b in hist], "Alignment scores"
        )
    )
    parts.append("</figure>")
    rules = list(summary["edits_by_rule"].items())[:20]
    parts.append('<figure class="plot" id="plot-rules"><figcaption>Edits by rule</figcaption>')
    if rules:
        parts.append(_svg_bars([r for r, _ in rules], [n for _, n in rules], "Edits by rule", True))
        parts += [f"<p>{e(line)}</p>" for line in _merged_note(summary) if line]
    else:
        parts.append("<p>No edits.</p>")
    parts.append("</figure></div>")
    if summary["quarantine_reasons"]:
        parts.append("<h2>Quarantined by reason</h2><table><tr><th>reason</th><th>n</th></tr>")
        parts += [
            f"<tr><td>{e(r)}</td><td>{n}</td></tr>"
            for r, n in summary["quarantine_reasons"].items()
        ]
        parts.append("</table>")
    langs = summary["languages"]
    parts.append(
        "<h2>Languages</h2><table><tr><th>language</th><th>document sides</th>"
        "<th>segments</th></tr>"
    )
    for code in sorted(set(langs["documents"]) | set(langs["segments"])):
        parts.append(
            f"<tr><td>{e(code)}</td><td>{langs['documents'].get(code, 0)}</td>"
            f"<td>{langs['segments'].get(code, 0)}</td></tr>"
        )
    parts.append("</table>")
    parts.append(_filters_html(summary))
    parts.append("<h2>Documents</h2>")
    if index is not None:
        parts.append(index_nav(index, "report/"))
        parts.append(index_table(index.rows[:ROWS_PER_PAGE], index.low, "report/"))
        if len(index.rows) > ROWS_PER_PAGE:
            parts.append(f"<p>… {len(index.rows) - ROWS_PER_PAGE} more on the index pages.</p>")
        parts.append(TABLE_JS)
        parts.append("</body></html>\n")
        return "\n".join(parts)
    shown = 0
    for doc in docs:
        if shown >= max_docs:
            parts.append(f"<p>… only the first {max_docs} documents are shown.</p>")
            break
        parts.append(doc_html(doc, expanded=shown == 0))
        shown += 1
    if not shown:
        parts.append("<p>No documents.</p>")
    parts.append("</body></html>\n")
    return "\n".join(parts)
