"""The run's text outputs: ``OUT/text/<id>.en.txt`` (each document's final English) and
``OUT/edits.jsonl`` (every edit of the run, for reviewing repairs in bulk).

Written from the documents as they stream into the corpus writers (sorted by id), so they
always match ``docs/``: a rerun or a resumed run rewrites only the text files that changed
and deletes those of removed inputs. Both are byte-identical across reruns.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from cleaners.fsutil import atomic_writer, remove_stale, write_if_changed
from cleaners.model import Document, SideDoc

TEXT_DIR = "text"
EDITS_FILE = "edits.jsonl"
CONTEXT = 30  # characters of the original text kept on each side of an edit


def text_name(doc_id: str) -> str:
    """The file name of a document's English (ids are already safe file names)."""
    return f"{doc_id}.en.txt"


def edit_records(doc: Document) -> Iterator[dict[str, Any]]:
    """One record per edit of the document, in side then offset order.

    ``side`` is ``ru``, ``en`` or ``mt`` (the MT kept beside a retranslated English side);
    ``start``/``end`` are offsets into that side's original text (``raw_text``), as in
    ``docs/``; ``context_before``/``context_after`` are the original text around the edit;
    ``rules`` lists the rules that made it (``rule`` joins them by ``+`` when several rules'
    edits met in one place).

    >>> from cleaners.model import Edit
    >>> side = SideDoc(raw_text="trade andeconomic ties", text="trade and economic ties",
    ...                encoding="utf-8", edits=[Edit("split_fused_words", 6, 17,
    ...                                              "andeconomic", "and economic")])
    >>> rec = next(edit_records(Document("d", [], "h", en=side)))
    >>> rec["rule"], rec["context_before"], rec["context_after"], rec["after"], rec["rules"]
    ('split_fused_words', 'trade ', ' ties', 'and economic', ['split_fused_words'])
    """
    sides: list[tuple[str, SideDoc | None]] = [("ru", doc.ru), ("en", doc.en), ("mt", doc.mt)]
    for name, side in sides:
        if side is None:
            continue
        raw = side.raw_slicer()  # (a long side's raw text is not made whole for them)
        for e in sorted(side.edits, key=lambda e: (e.start, e.end)):
            yield {
                "doc": doc.id,
                "side": name,
                "rule": e.rule,
                "start": e.start,
                "end": e.end,
                "before": e.before,
                "after": e.after,
                "context_before": raw(max(0, e.start - CONTEXT), e.start),
                "context_after": raw(e.end, e.end + CONTEXT),
                # The rules of an edit composed of several ("a+b" in ``rule``): what a
                # count per rule counts, as the report does.
                "rules": list(e.rules),
            }


class TextOutputs:
    """Collects documents in id order; on a clean exit ``edits.jsonl`` is in place and
    ``text/`` holds exactly one file per document with English."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = Path(out_dir)
        self.text_dir = self.out_dir / TEXT_DIR
        self.kept: set[str] = set()
        self.edits = 0
        self._stack = contextlib.ExitStack()
        self._edits: IO[str] | None = None

    def __enter__(self) -> TextOutputs:
        self._edits = self._stack.enter_context(atomic_writer(self.out_dir / EDITS_FILE))
        return self

    def add(self, doc: Document) -> None:
        assert self._edits is not None, "use TextOutputs as a context manager"
        if doc.en is not None:
            name = text_name(doc.id)
            write_if_changed(self.text_dir / name, doc.en.text.encode("utf-8"))
            self.kept.add(name)
        for rec in edit_records(doc):
            self._edits.write(json.dumps(rec, ensure_ascii=False, sort_keys=True) + "\n")
            self.edits += 1

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stack.__exit__(kind, exc, tb)
        if kind is None:
            remove_stale(self.text_dir, "*.en.txt", self.kept)
