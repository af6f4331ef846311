"""Run reports: counting, Markdown, and report.html rendered in headless Chromium."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from cleaners.model import Bead, Document, Edit, Quarantined, Segment, SideDoc
from cleaners.report import doc_html, highlight, render_html, render_md, summarize
from cleaners.report_pages import DOCS_PER_PAGE, ROWS_PER_PAGE, ReportPages

RAW_EN = "Trade andeconomic talks ended at 18: 18.\n\n<script>alert(1)</script> & more"


def _doc(doc_id: str = "kz-oil") -> Document:
    edits = [
        Edit("split_fused_words", 6, 17, "andeconomic", "and economic"),
        Edit("join_split_times", 36, 37, " ", ""),
    ]
    text = "Trade and economic talks ended at 18:18.\n\n<script>alert(1)</script> & more"
    en = SideDoc(
        raw_text=RAW_EN,
        text=text,
        encoding="utf-8",
        lang="en",
        lang_score=0.99,
        edits=edits,
        segments=[Segment("title", "Trade and economic talks", "en"), Segment("body", "x", "en")],
    )
    ru = SideDoc(
        raw_text="Торгово-экономические переговоры завершились в 18:18.",
        text="Торгово-экономические переговоры завершились в 18:18.",
        encoding="cp1251",
        lang="ru",
        segments=[Segment("body", "Торгово-экономические переговоры", "ru")],
    )
    return Document(
        id=doc_id,
        sources=[f"{doc_id}.ru.txt", f"{doc_id}.en.txt"],
        raw_hash="h",
        ru=ru,
        en=en,
        ru_sentences=["Торгово-экономические переговоры завершились в 18:18."],
        en_sentences=["Trade and economic talks ended at 18:18.", "<script>alert(1)</script>"],
        beads=[Bead((0,), (0,), 0.93), Bead((), (1,), 0.05)],
        warnings=["swapped: the 'ru' input is 'en'"],
    )


def test_summarize_counts() -> None:
    q = [Quarantined("a", ["a.txt"], "h", "binary"), Quarantined("b", ["b.txt"], "h", "binary")]
    s = summarize([_doc(), _doc("two")], q, run={"inputs": 4}, corpus={"written": 2})
    assert s["documents"] == 2 and s["quarantined"] == 2
    assert s["quarantine_reasons"] == {"binary": 2}
    assert s["edits_by_rule"] == {"join_split_times": 2, "split_fused_words": 2}
    assert s["languages"]["documents"] == {"en": 2, "ru": 2}
    assert s["languages"]["segments"] == {"en": 4, "ru": 2}
    al = s["alignment"]
    assert al["beads"] == 4 and al["by_kind"] == {"0-1": 2, "1-1": 2}
    assert [b["beads"] for b in al["histogram"]] == [2, 0, 0, 0, 0, 0, 0, 0, 0, 2]
    assert al["mean_score"] == pytest.approx(0.49)
    assert s["warnings"] == {"swapped": 2}
    assert s["run"] == {"inputs": 4} and s["corpus"] == {"written": 2}
    # Same documents, same summary (deterministic, JSON-ready).
    assert summarize([_doc(), _doc("two")], q, {"inputs": 4}, {"written": 2}) == s


def test_render_md_has_the_run_table() -> None:
    md = render_md(summarize([_doc()], [Quarantined("a", ["a"], "h", "binary")], {"inputs": 2}))
    for heading in ("Quarantined by reason", "Edits by rule", "Languages", "Alignment"):
        assert f"## {heading}" in md
    assert "| documents in | 2 |" in md and "| binary | 1 |" in md
    assert "| split_fused_words | 1 |" in md and "| 0.9–1.0 | 1 |" in md
    # Which score the figures are: the aligner's until beads are judged, then the adequacy.
    assert "mean aligner score 0.49" in md and "| aligner score | beads |" in md
    assert "pair_adequacy" not in md
    judged = _doc()
    judged.beads = [Bead((0,), (0,), 0.93, adequacy=0.81)]
    md = render_md(summarize([judged], []))
    assert "mean adequacy 0.81" in md and "| adequacy | beads |" in md
    # The adequacy is the bead's given its document; the report says so and where the pair's is
    # (a document page shows the pair's on hover).
    assert "given its document" in md and "pair_adequacy" in md
    judged.beads = [Bead((0,), (0,), 0.93, adequacy=0.81, pair_adequacy=0.42)]
    assert "the pair alone 0.4200" in doc_html(judged)


def test_highlight_escapes_and_marks() -> None:
    doc = _doc()
    marked = highlight(doc.en.raw_text, doc.en.edits, doc.en.text)
    assert marked is not None
    assert "<script>" not in marked and "&lt;script&gt;" in marked
    assert (
        '<mark title="split_fused_words: &quot;andeconomic&quot; → &quot;and economic&quot;">'
        "and economic</mark>" in marked
    )
    assert 'class="del"' in marked  # a deletion is still visible and hoverable
    tip = "join_split_times: &quot; &quot; → &quot;&quot;"
    assert f'<del class="del" title="{tip}"> </del>' in marked  # struck through, not only a tip
    # Edits that do not replay to the repaired text: no marks rather than wrong ones.
    assert highlight(doc.en.raw_text, doc.en.edits, "something else") is None
    assert highlight("abc", [Edit("r", 0, 1, "x", "y")]) is None


def _png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Decode an 8-bit RGB/RGBA PNG (what Chromium writes) into rows of raw pixels."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and color in (2, 6)
            bpp = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows: list[bytes] = []
    prev = bytearray(stride)
    for y in range(height):
        f, line = (
            raw[y * (stride + 1)],
            bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)]),
        )
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line) if bpp == 3 else bytes(v for j, v in enumerate(line) if j % 4 != 3))
        prev = line
    return width, height, rows


def _has_colour(rows: list[bytes], rgb: tuple[int, int, int], tol: int = 6) -> bool:
    for row in rows:
        for i in range(0, len(row), 3):
            if all(abs(row[i + k] - rgb[k]) <= tol for k in range(3)):
                return True
    return False


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (apt-get install chromium)")
def test_report_html_renders_in_headless_chromium(tmp_path: Path) -> None:
    docs = [_doc(), _doc("second")]
    summary = summarize(docs, [Quarantined("a", ["a"], "h", "binary")], {"inputs": 3})
    page = tmp_path / "report.html"
    page.write_text(render_html(summary, docs), encoding="utf-8")
    shot = tmp_path / "shot.png"
    base = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={tmp_path / 'profile'}",
        # Tall enough that the documents' edits sit well inside the shot: at 1400 px they were
        # 40 px from its edge, and a slightly different layout under load pushed them out.
        "--window-size=1200,2400",
        "--hide-scrollbars",
    ]
    r = subprocess.run(
        [*base, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120
    )
    assert r.returncode == 0, r.stderr[-2000:]
    dom = r.stdout
    # Parsed as intended: figures, plots with bars, documents with hoverable edits.
    assert "<title>mtclean report</title>" in dom
    assert len(re.findall(r"<rect ", dom)) >= 10 + 2  # 10 histogram bins + 2 rules
    assert dom.count("<details") == 2 and "open" in dom.split("<details", 2)[1][:80]
    assert 'title="split_fused_words: &quot;andeconomic&quot; → &quot;and economic&quot;"' in dom
    assert "<script>alert" not in dom  # document text never becomes markup
    r = subprocess.run(
        [*base, f"--screenshot={shot}", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0 and shot.exists(), r.stderr[-2000:]
    width, height, rows = _png_pixels(shot.read_bytes())
    assert (width, height) == (1200, 2400)
    # Painted: the histogram bars, the rule bars and the edit highlights are on screen.
    assert _has_colour(rows, (0xF5, 0x85, 0x18)), "alignment histogram not painted"
    assert _has_colour(rows, (0x4C, 0x78, 0xA8)), "edits-by-rule chart not painted"
    assert _has_colour(rows, (0xFF, 0xE2, 0x7A)), "edit highlights not painted"
    assert _has_colour(rows, (0xF7, 0xB3, 0xB3)), "deletion not painted"


def test_report_pages_name_and_link_every_document(tmp_path: Path) -> None:
    """A run bigger than a page: every document has its page, every input an index row, the
    lists hold what they say, and a second pass with one document fewer deletes its pages."""
    n = ROWS_PER_PAGE + DOCS_PER_PAGE + 7
    docs = [_doc(f"d{k:05d}") for k in range(n)]
    for k, d in enumerate(docs):
        if k % 3:
            d.en.edits = []  # edits on a third of them
        d.warnings = [] if k % 5 else d.warnings
    quarantined = [Quarantined(f"q{k}", [f"q{k}.txt"], "h", "binary") for k in range(3)]

    def write(docs: list[Document]) -> tuple[str, list[str]]:
        pages = ReportPages(tmp_path, 0.2, doc_html)
        for q in quarantined:
            pages.add_quarantined(q)
        for d in docs:
            pages.add(d)
        index = pages.finish()
        summary = summarize(docs, quarantined, {"inputs": len(docs) + 3})
        return render_html(summary, [], index=index), sorted(
            p.name for p in (tmp_path / "report").iterdir()
        )

    page, names = write(docs)
    n_doc_pages = -(-n // DOCS_PER_PAGE)
    assert [x for x in names if x.startswith("docs-")] == [
        f"docs-{k + 1:05d}.html" for k in range(n_doc_pages)
    ]
    index_pages = [x for x in names if x.startswith("index-")]
    assert len(index_pages) == 2
    linked: dict[str, str] = {}
    named: set[str] = set()
    for name in index_pages:
        text = (tmp_path / "report" / name).read_text()
        linked.update((i, p) for p, i in re.findall(r'href="(docs-\d+\.html)#doc-([^"]+)"', text))
        named |= set(re.findall(r"<tr class=\"[^\"]*\"><td>(?:<a [^>]*>)?([^<]+)", text))
    assert sorted(linked) == [d.id for d in docs]
    assert named == {d.id for d in docs} | {q.id for q in quarantined}
    for doc_id in (docs[0].id, docs[-1].id):
        assert f'id="doc-{doc_id}"' in (tmp_path / "report" / linked[doc_id]).read_text()
    # report.html: the first page of the index, links to every index page and list.
    assert page.count("<tr class=") == ROWS_PER_PAGE
    assert 'href="report/index-00002.html"' in page
    assert f"with edits (most first): {len(range(0, n, 3))}" in page
    assert "quarantined: 3" in page
    edits = (tmp_path / "report" / "edits-00001.html").read_text()
    assert edits.count("<tr class=") == len(range(0, n, 3))
    # One document fewer: its row and its page's extra block are gone, nothing stale is left.
    _, names = write(docs[: n - 8])
    assert f"docs-{n_doc_pages:05d}.html" not in names
    assert not (tmp_path / "report" / "warnings-00002.html").exists()


def test_edits_composed_of_two_rules_count_under_each_rule() -> None:
    """Two rules' edits that meet in one place are one edit whose rule is their names joined
    by "+"; the report counted it under that joined name, no rule, so a user reading "edits by
    rule" met names that are no rule and an undercount of each real rule. Now the edit counts
    once under each of its rules; ``edits`` counts edits, ``merged_edits`` the composed ones;
    the edit record keeps its joined name (and edits.jsonl lists the rules)."""
    from cleaners.outputs import edit_records
    from cleaners.repair import repair
    from cleaners.writers import sentence_rules

    raw = "He flew toUtah , then home. It opened at 18:  18. We went to the sea ."
    r = repair(raw, "en")
    joined = sorted(e.rule for e in r.edits if "+" in e.rule)
    assert joined == [
        "collapse_spaces+join_split_times",
        "remove_space_before_punct+split_fused_words",
    ]
    doc = _doc()
    doc.en = SideDoc(raw_text=raw, text=r.text, encoding="utf-8", lang="en", edits=r.edits)
    s = summarize([doc], [])
    by_rule = s["edits_by_rule"]
    assert not any("+" in name for name in by_rule), by_rule
    assert by_rule["split_fused_words"] == 1 and by_rule["join_split_times"] == 1
    assert by_rule["collapse_spaces"] == 1
    assert (
        by_rule["remove_space_before_punct"]
        == sum("remove_space_before_punct" in e.rule.split("+") for e in r.edits)
        == 2
    )  # (the composed one and " ." at the end)
    assert s["edits"] == len(r.edits) == 3 and s["merged_edits"] == 2
    assert sum(by_rule.values()) == s["edits"] + s["merged_edits"]  # each composed one twice
    md = render_md(s)
    assert "3 edits; 2 of them made by two or more rules in one place" in md
    assert "2 of them made by two or more rules" in render_html(s, [])
    # The records keep the joined name (their shape is the same), and list the rules.
    recs = [rec for rec in edit_records(doc) if rec["side"] == "en"]
    in_order = sorted(r.edits, key=lambda e: e.start)
    assert [rec["rule"] for rec in recs] == [e.rule for e in in_order]
    assert [rec["rules"] for rec in recs] == [e.rule.split("+") for e in in_order]
    # A corpus row names the rules that touched its sentences, not a joined name.
    assert sentence_rules(doc.en, [r.text]) == [
        ("collapse_spaces", "join_split_times", "remove_space_before_punct", "split_fused_words")
    ]


def test_long_side_marked_from_its_repaired_text_as_from_its_raw_text() -> None:
    """A long side whose raw text is not held is marked from its repaired text a piece at a
    time, giving the page what marking its raw text does."""
    from cleaners.model import LAZY_RAW, SideDoc
    from cleaners.repair import repair
    from cleaners.report import highlight_parts, side_marks

    raw = "trade andeconomic ties at 18: 18 - the the end & <b>\n" * (LAZY_RAW // 40)
    result = repair(raw, "en")
    side = SideDoc(raw, result.text, "utf-8", edits=list(result.edits))
    assert not side.holds_raw and side.edits
    whole = highlight_parts(raw, side.edits, side.text)
    assert whole is not None and "<mark" in "".join(whole)
    assert "".join(side_marks(side) or []) == "".join(whole)
    held = SideDoc("a  b", "a b", "utf-8")  # held as given: its raw text checked as before
    assert held.holds_raw and side_marks(held) is None
