"""The per-document chain: decode → repair → structure → detect → split → (retranslate) → align.

``process_item`` is the one function the flow's batch task calls per input, and
what a plain loop (bench/pipeline.py) calls too. It never raises for a bad
document: anything that goes wrong ends as a :class:`Quarantined` record with a
reason, so every input is accounted for.
"""

from __future__ import annotations

import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from cleaners import lid
from cleaners.align import align
from cleaners.chrf import chrf
from cleaners.config import PipelineConfig
from cleaners.errors import InputError
from cleaners.model import Document, Edit, Quarantined, Segment, SideDoc
from cleaners.readers import InputItem, read_item
from cleaners.repair import repair, replay, untranslated_spans
from cleaners.repair.engine import compose
from cleaners.sentences import split_sentences
from cleaners.structure import parse

if TYPE_CHECKING:
    from cleaners.decode import Decoded

SIDES = ("ru", "en")


class Translator(Protocol):
    def translate(self, sentences: Sequence[str]) -> list[str]: ...


def process_item(
    input_dir: Path,
    item: InputItem,
    config: PipelineConfig,
    translator: Translator | None = None,
) -> Document | Quarantined:
    """Run one input through every stage; bad input becomes a quarantine record.

    The input is read once: the record's ``raw_hash`` is the hash of exactly the bytes
    processed (or that made it a quarantine).
    """
    read = read_item(input_dir, item, config.input)
    raw_hash = read.raw_hash
    if read.error is not None:
        return Quarantined(item.id, item.sources, raw_hash, read.error.reason, read.error.detail)
    try:
        return build_document(item.id, item.sources, raw_hash, read.texts, config, translator)
    except InputError as exc:
        return Quarantined(item.id, item.sources, raw_hash, exc.reason, exc.detail)
    except _WrongLanguage as exc:
        detail = f"{_names(item)}: {exc}; set lid.on_wrong_side to 'swap' or 'keep' to accept it"
        return Quarantined(item.id, item.sources, raw_hash, "wrong-language", detail)
    except Exception as exc:  # a bug in a stage must not lose the document
        where = traceback.extract_tb(exc.__traceback__)[-1]
        detail = (
            f"{_names(item)}: {type(exc).__name__}: {exc} "
            f"(at {Path(where.filename).name}:{where.lineno}); please report it with this file"
        )
        return Quarantined(item.id, item.sources, raw_hash, "processing-error", detail)


def build_document(
    doc_id: str,
    sources: list[str],
    raw_hash: str,
    decoded: dict[str, Decoded],
    config: PipelineConfig,
    translator: Translator | None = None,
) -> Document:
    """Build a :class:`Document` from the decoded text of each side."""
    sides = {
        side: build_side(d.text, d.encoding, side, config, translator)
        for side, d in decoded.items()
    }
    warnings: list[str] = []
    sides = _check_sides(sides, decoded, config, warnings, translator)
    doc = Document(
        id=doc_id,
        sources=sources,
        raw_hash=raw_hash,
        ru=sides.get("ru"),
        en=sides.get("en"),
        warnings=warnings,
    )
    if doc.ru is None:
        warnings.append("no-source: English MT without a Russian source; nothing to align")
    if doc.en is None:
        warnings.append("no-translation: Russian source without an English MT; nothing to align")
    doc.ru_sentences = corpus_sentences(doc.ru, "ru", config) if doc.ru else []
    doc.en_sentences = corpus_sentences(doc.en, "en", config) if doc.en else []
    if translator is not None and doc.ru_sentences:
        doc.ru_retranslated = translator.translate(doc.ru_sentences)
    if doc.ru_sentences and doc.en_sentences:
        doc.beads = align(
            doc.ru_sentences, doc.en_sentences, config.align, ru_mt=doc.ru_retranslated or None
        )
        if doc.ru_retranslated and doc.en:
            score_agreement(doc)
    return doc


def build_side(
    text: str,
    encoding: str,
    lang: str,
    config: PipelineConfig,
    translator: Translator | None = None,
) -> SideDoc:
    """Repair, structure and language-tag one side's text."""
    if config.repair.enabled:
        result = repair(text, lang, config.repair)
        fixed, edits = result.text, list(result.edits)
    else:
        fixed, edits = text, []
    if (
        lang == "en"
        and translator is not None
        and config.translate.fill_untranslated
        # A mostly Cyrillic "English" file is a wrong-side file, not MT with fragments
        # left over: the side check must see it as it is.
        and lid.script_shares(fixed).get("Cyrl", 0.0) < 0.5
    ):
        fills = fill_untranslated(fixed, translator)
        if fills:
            edits = compose(text, edits, fills)
            fixed = replay(text, edits)
    segments = parse(fixed, lang)
    texts = [s.text for s in segments]
    results = lid.detect_batch(texts, config.lid)
    for seg, (code, score) in zip(segments, results, strict=True):
        seg.lang, seg.lang_score = code, score
        if mixed := lid.mixed_scripts(seg.text):
            seg.meta["scripts"] = mixed  # e.g. Cyrillic left inside English MT
        if lang == "en" and untranslated_spans(seg.text):
            seg.flags.append("untranslated")
    doc_lang, doc_score = lid.document_language(texts, results) if segments else ("und", 0.0)
    return SideDoc(
        raw_text=text,
        text=fixed,
        encoding=encoding,
        lang=doc_lang,
        lang_score=doc_score,
        edits=edits,
        segments=segments,
    )


def fill_untranslated(text: str, translator: Translator) -> list[Edit]:
    """Edits that replace Cyrillic fragments left in English MT by their retranslation.

    Each fill is an ordinary edit (rule ``fill_untranslated``), so it shows in
    the report and replays like any repair. A fragment the model cannot
    translate (empty output) is left as it is, still flagged ``untranslated``.
    """
    spans = untranslated_spans(text)
    if not spans:
        return []
    fragments = [text[s:e] for s, e in spans]
    out: list[Edit] = []
    for (s, e), frag, tr in zip(spans, fragments, translator.translate(fragments), strict=True):
        if tr.strip():
            out.append(Edit("fill_untranslated", s, e, frag, tr.strip()))
    return out


def score_agreement(doc: Document) -> None:
    """Score each English segment against the retranslation of its aligned Russian.

    ``seg.meta["mt_agreement"]`` is the length-weighted mean chrF (0–1) of the
    beads its sentences belong to; low values point at MT that says something
    else than the source. Segments with no aligned Russian get no score.
    """
    assert doc.en is not None
    bead_of: dict[int, float] = {}
    for b in doc.beads:
        if b.ru and b.en:
            hyp = " ".join(doc.en_sentences[j] for j in b.en)
            ref = " ".join(doc.ru_retranslated[i] for i in b.ru)
            for j in b.en:
                bead_of[j] = chrf(hyp, ref)
    j = 0
    for seg in doc.en.segments:
        ids = range(j, j + len(seg.sentences))
        j += len(seg.sentences)
        scored = [(len(doc.en_sentences[i]), bead_of[i]) for i in ids if i in bead_of]
        if scored:
            total = sum(n for n, _ in scored) or 1
            seg.meta["mt_agreement"] = round(sum(n * v for n, v in scored) / total, 4)


def corpus_sentences(side: SideDoc, lang: str, config: PipelineConfig) -> list[str]:
    """Sentences of the segments that belong in the ru–en corpus, in order.

    Boilerplate never aligns; comments only when configured; a segment detected
    as another language (a Ukrainian comment) stays in the document but not here.
    """
    out: list[str] = []
    for seg in side.segments:
        if not _in_corpus(seg, lang, side.lang, config):
            continue
        seg.sentences = split_sentences(seg.text, lang)
        out.extend(seg.sentences)
    return out


def _in_corpus(seg: Segment, lang: str, doc_lang: str, config: PipelineConfig) -> bool:
    if seg.kind == "boilerplate":
        return False
    if seg.kind == "comment" and not config.align.include_comments:
        return False
    # Short segments are often undecidable; trust the document's language then.
    return seg.lang == lang or (seg.lang == "und" and doc_lang in (lang, "und"))


class _WrongLanguage(Exception):
    pass


def _check_sides(
    sides: dict[str, SideDoc],
    decoded: dict[str, Decoded],
    config: PipelineConfig,
    warnings: list[str],
    translator: Translator | None = None,
) -> dict[str, SideDoc]:
    """Make sure the 'ru' side is Russian and the 'en' side English.

    A file in the wrong slot (an English text named ``.ru.txt``) is swapped,
    quarantined or kept with a warning, per ``config.lid.on_wrong_side``.
    """
    wrong = [s for s, d in sides.items() if d.lang in SIDES and d.lang != s]
    if not wrong:
        for side, d in sides.items():
            if d.lang not in SIDES:
                warnings.append(f"{side}-side-language: detected {d.lang!r}, expected {side!r}")
        return sides
    policy = config.lid.on_wrong_side
    detail = ", ".join(f"the {s!r} input is {sides[s].lang!r}" for s in wrong)
    if policy == "quarantine":
        raise _WrongLanguage(detail)
    if policy == "keep":
        warnings.append(f"wrong-language: {detail}; kept as given")
        return sides
    target = {s: sides[s].lang for s in wrong}
    if len(set(target.values())) != len(target) or any(
        t in sides and t not in wrong for t in target.values()
    ):
        # Both files in one language: there is no consistent swap.
        raise _WrongLanguage(f"{detail}; both sides are the same language")
    warnings.append(f"swapped: {detail}")
    fixed = {s: d for s, d in sides.items() if s not in wrong}
    for s, t in target.items():
        fixed[t] = build_side(decoded[s].text, decoded[s].encoding, t, config, translator)
    return fixed


def _names(item: InputItem) -> str:
    return " + ".join(item.sources) or item.id
