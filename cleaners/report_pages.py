"""report.html's document pages and index, sized for runs of any size.

Every document gets a section on a page of :data:`DOCS_PER_PAGE` documents
(``OUT/report/docs-00001.html#doc-<id>``); an index lists every document, quarantined
ones too, :data:`ROWS_PER_PAGE` rows a page (``OUT/report/index-00001.html``; the first
page is also shown in ``report.html`` itself), and four lists pick out the documents to
look at first, each sorted by its own measure: ``edits`` (most edits first),
``quarantine``, ``low-adequacy`` (lowest mean adequacy of its pairs first) and
``warnings``. So a page never holds more than a few hundred kB, however many documents
the run has (a 100,000-document run has 2,000 document pages and 100 index pages).

The pages are static files (inline CSS; a few lines of inline script sort a table by a
clicked column and filter its rows; nothing is fetched). They are written from the
documents as they stream into the corpus, and a rerun rewrites only pages that changed.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

from cleaners.fsutil import ChangedWriter, remove_stale, write_if_changed
from cleaners.model import Document, Quarantined

REPORT_DIR = "report"
DOCS_PER_PAGE = 50
ROWS_PER_PAGE = 1000


class IndexRow(NamedTuple):
    """One document in the index."""

    id: str
    status: str  # "done" or "quarantined"
    edits: int = 0
    beads: int = 0
    adequacy: float | None = None  # the mean adequacy of its pairs (see doc_row)
    warnings: int = 0
    origin: str = ""  # where its English came from: "mt", "retranslation", "" (none)
    page: str = ""  # the page (relative to OUT/report/) that shows it
    note: str = ""  # the quarantine reason or the first warning


def doc_row(doc: Document, page: str) -> IndexRow:
    """The index row of a processed document shown on ``page``.

    Its adequacy is the mean adequacy of its judged pairs (the probability that a pair of
    it is a translation); with the filters off, the lowest chrF agreement of its English
    segments with the retranslation, when there is one.

    >>> doc_row(Document("a", [], "h", warnings=["no-source: …"]), "docs-00001.html")[:4]
    ('a', 'done', 0, 0)
    """
    judged = [b.adequacy for b in doc.beads if b.adequacy is not None]
    scores = [
        s.peek_meta["mt_agreement"]
        for s in (doc.en.segments if doc.en else [])
        if isinstance(s.peek_meta.get("mt_agreement"), int | float)
    ]
    return IndexRow(
        id=doc.id,
        status="done",
        edits=sum(len(s.edits) for s in (doc.ru, doc.en) if s is not None),
        beads=len(doc.beads),
        adequacy=(
            round(sum(judged) / len(judged), 4) if judged else (min(scores) if scores else None)
        ),
        warnings=len(doc.warnings),
        origin=doc.en_origin if doc.en is not None else "",
        page=page,
        note=doc.warnings[0] if doc.warnings else "",
    )


def quarantine_row(q: Quarantined) -> IndexRow:
    return IndexRow(id=q.id, status="quarantined", note=f"{q.reason}: {q.detail}")


# The lists: name, title, which rows, sort key.
LISTS: tuple[
    tuple[str, str, Callable[[IndexRow, float], bool], Callable[[IndexRow], tuple]], ...
] = (
    ("edits", "with edits (most first)", lambda r, _: r.edits > 0, lambda r: (-r.edits, r.id)),
    ("quarantine", "quarantined", lambda r, _: r.status == "quarantined", lambda r: (r.id,)),
    (
        "low-adequacy",
        "low adequacy (lowest first)",
        lambda r, low: r.adequacy is not None and r.adequacy < low,
        lambda r: (r.adequacy, r.id),
    ),
    ("warnings", "with warnings", lambda r, _: r.warnings > 0, lambda r: (-r.warnings, r.id)),
)


def _pages(prefix: str, n_rows: int) -> list[str]:
    return [f"{prefix}-{k + 1:05d}.html" for k in range(max(1, -(-n_rows // ROWS_PER_PAGE)))]


class ReportIndex(NamedTuple):
    """What ``report.html`` shows of the documents: the index, and the lists' sizes."""

    rows: list[IndexRow]
    low: float
    lists: dict[str, int]


TABLE_JS = """
<script>
for (const t of document.querySelectorAll("table.index")) {
  const body = t.tBodies[0];
  t.querySelectorAll("th").forEach((th, col) => th.addEventListener("click", () => {
    const num = th.dataset.num !== undefined, down = th.dataset.dir !== "down";
    th.dataset.dir = down ? "down" : "up";
    const key = r => { const v = r.cells[col].dataset.v ?? r.cells[col].textContent;
                       return num ? (v === "" ? Infinity : +v) : v; };
    const rows = [...body.rows].sort((a, b) => { const x = key(a), y = key(b);
      return (x < y ? -1 : x > y ? 1 : 0) * (down ? (num ? -1 : 1) : (num ? 1 : -1)); });
    body.append(...rows);
  }));
  const box = document.getElementById("filter");
  if (box) box.addEventListener("change", () => {
    for (const r of body.rows) r.hidden = box.value !== "" && !r.classList.contains(box.value);
  });
}
</script>
"""

# The look of a document and of the index, shared with report.html (cleaners.report).
PAGE_CSS = """
body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1200px;padding:1em 2em;color:#222}
table{border-collapse:collapse;margin:.5em 0} td,th{border:1px solid #ddd;padding:.25em .6em;
vertical-align:top;text-align:left} th{background:#f6f6f6;cursor:pointer}
td.n{text-align:right;font-variant-numeric:tabular-nums} tr.quarantine td{background:#fff4f4}
.nav a{margin-right:.5em} .note{color:#a35200;font-size:.9em}
.doc{border:1px solid #ccc;border-radius:8px;margin:1em 0;padding:.5em 1em}
.doc summary{cursor:pointer;font-weight:600}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:1.5em}
.text{white-space:pre-wrap;font-family:Georgia,serif}
mark{background:#ffe27a;border-radius:3px;padding:0 1px}
del.del{background:#f7b3b3;color:#7a0000;text-decoration:line-through;padding:0 2px}
.score{font-variant-numeric:tabular-nums;color:#555} .warn{color:#a35200}
"""


def _head(title: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title><style>{PAGE_CSS}</style></head><body>\n"
    )


_DOCS_NAV = (
    '<p class="nav"><a href="../report.html">report</a>'
    '<a href="index-00001.html">index of all documents</a></p>'
)


def _classes(row: IndexRow, low: float) -> str:
    return " ".join(name for name, _, keep, _ in LISTS if keep(row, low))


def index_table(rows: Sequence[IndexRow], low: float, link: str = "") -> str:
    """The index rows as a sortable table; ``link`` prefixes page links (``"report/"`` from
    report.html, ``""`` from a page in ``OUT/report/``).

    >>> t = index_table([IndexRow("a", "done", 2, 3, 0.1, 0, "mt", "docs-00001.html")], 0.2)
    >>> 'href="docs-00001.html#doc-a"' in t and 'class="edits low-adequacy"' in t
    True
    """
    e = html.escape
    parts = [
        '<p><label>show <select id="filter"><option value="">all</option>',
        *(f'<option value="{name}">{e(title)}</option>' for name, title, _, _ in LISTS),
        "</select></label> (this page; click a column to sort)</p>",
        '<table class="index"><thead><tr><th>document</th><th>status</th>'
        "<th data-num>edits</th><th data-num>beads</th><th data-num>adequacy</th>"
        "<th data-num>warnings</th><th>English</th><th>note</th></tr></thead><tbody>",
    ]
    for r in rows:
        name = e(r.id)
        cell = f'<a href="{e(link + r.page)}#doc-{name}">{name}</a>' if r.page else name
        ade = "" if r.adequacy is None else f"{r.adequacy:.2f}"
        parts.append(
            f'<tr class="{_classes(r, low)}"><td>{cell}</td><td>{r.status}</td>'
            f'<td class="n">{r.edits}</td><td class="n">{r.beads}</td>'
            f'<td class="n" data-v="{ade}">{ade}</td><td class="n">{r.warnings}</td>'
            f'<td>{e(r.origin)}</td><td class="note">{e(r.note[:160])}</td></tr>'
        )
    parts.append("</tbody></table>")
    return "\n".join(parts)


def index_nav(index: ReportIndex, link: str = "") -> str:
    """Links to every index page and to each list (with its size)."""
    e = html.escape
    pages = _pages("index", len(index.rows))
    parts = [f'<p class="nav">All {len(index.rows)} documents, by id: ']
    parts += [f'<a href="{e(link + p)}">{k + 1}</a>' for k, p in enumerate(pages)]
    parts.append('</p><p class="nav">')
    for name, title, _, _ in LISTS:
        n = index.lists.get(name, 0)
        first = _pages(name, n)[0]
        parts.append(f'<a href="{e(link + first)}">{e(title)}: {n}</a>')
    parts.append("</p>")
    return "".join(parts)


class ReportPages:
    """Writes the document pages while documents stream by (in id order), then the index.

    Use as ``pages.add(doc)`` / ``pages.add_quarantined(q)`` and finally
    ``index = pages.finish()``; ``render_html(summary, [], index=index)`` then gives
    report.html.
    """

    def __init__(
        self, out_dir: Path, low_adequacy: float, doc_html: Callable[..., str | Iterable[str]]
    ) -> None:
        self.dir = Path(out_dir) / REPORT_DIR
        self.low = low_adequacy
        # A document's HTML as one string or in pieces (report.doc_html_parts): the page is
        # written as the pieces come, so a book-length document is never one string.
        self._doc_html = doc_html
        self.rows: list[IndexRow] = []
        self._page: ChangedWriter | None = None
        self._on_page = 0
        self._written: set[str] = set()
        self._n_pages = 0

    def _page_name(self) -> str:
        return f"docs-{self._n_pages + 1:05d}.html"

    def add(self, doc: Document) -> None:
        self.rows.append(doc_row(doc, self._page_name()))
        if self._page is None:
            title = f"mtclean report: documents, page {self._n_pages + 1}"
            self._page = ChangedWriter(self.dir / self._page_name())
            self._page.write(_head(title) + _DOCS_NAV)
        else:
            self._page.write("\n")
        html_ = self._doc_html(doc, expanded=True)
        for piece in [html_] if isinstance(html_, str) else html_:
            self._page.write(piece)
        self._on_page += 1
        if self._on_page >= DOCS_PER_PAGE:
            self._flush()

    def add_quarantined(self, q: Quarantined) -> None:
        self.rows.append(quarantine_row(q))

    def _write(self, name: str, body: str, title: str) -> None:
        page = _head(title) + body + "\n</body></html>\n"
        write_if_changed(self.dir / name, page.encode("utf-8"))
        self._written.add(name)

    def _flush(self) -> None:
        if self._page is None:
            return
        self._page.write(_DOCS_NAV + "\n</body></html>\n")
        self._page.close()
        self._written.add(self._page_name())
        self._page = None
        self._on_page = 0
        self._n_pages += 1

    def finish(self) -> ReportIndex:
        """Write the last document page, the index and list pages; delete stale pages."""
        self._flush()
        rows = sorted(self.rows, key=lambda r: r.id)
        lists = {}
        for name, _, keep, key in LISTS:
            chosen = sorted((r for r in rows if keep(r, self.low)), key=key)
            self._paged(name, chosen)
            lists[name] = len(chosen)
        self._paged("index", rows)
        remove_stale(self.dir, "*.html", self._written)
        return ReportIndex(rows, self.low, lists)

    def _paged(self, prefix: str, rows: Sequence[IndexRow]) -> None:
        names = _pages(prefix, len(rows))
        links = "".join(f'<a href="{p}">{j + 1}</a>' for j, p in enumerate(names))
        for k, name in enumerate(names):
            chunk = rows[k * ROWS_PER_PAGE : (k + 1) * ROWS_PER_PAGE]
            body = (
                f'<p class="nav"><a href="../report.html">report</a> pages: {links}</p>'
                + index_table(chunk, self.low)
                + TABLE_JS
            )
            self._write(name, body, f"mtclean report: {prefix}, page {k + 1}")
