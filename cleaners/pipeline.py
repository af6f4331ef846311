"""The per-document chain: decode → repair → structure → detect → split → (retranslate) → align.

``process_item`` is the one function the flow's batch task calls per input, and
what a plain loop (bench/pipeline.py) calls too. It never raises for a bad
document: anything that goes wrong ends as a :class:`Quarantined` record with a
reason, so every input is accounted for.
"""

from __future__ import annotations

import dataclasses
import traceback
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from cleaners import lid
from cleaners.align import align
from cleaners.chrf import chrf
from cleaners.config import PipelineConfig
from cleaners.errors import InputError
from cleaners.judge import measure_document
from cleaners.leftout import (
    CYRILLIC_LANGS,
    FOREIGN_IN_RUSSIAN,
    LEFT_OUT,
    cut_runs,
    foreign_sentence,
    holds_non_russian_letter,
    holds_own_script,
    language_runs,
    leave_out,
    left_out_language,
    letter_counts,
)
from cleaners.memory import doc_size, release
from cleaners.model import REPLACE_RULE, Bead, Document, Edit, Quarantined, Segment, SideDoc
from cleaners.mtcheck import (
    MT_FAILED,
    cut_short,
    english_failure,
    missing_tail,
    not_retranslated_note,
    russian_sentence,
    source_other_language_note,
    tail_cause,
    tail_note,
    untranslated_note,
)
from cleaners.readers import InputItem, read_item
from cleaners.repair import repair, replay, untranslated_spans
from cleaners.repair.bilingual import source_evidence
from cleaners.repair.engine import compose, rule_on
from cleaners.repair.untranslated import replace_with_retranslation
from cleaners.sentences import split_sentences
from cleaners.structure import parse

if TYPE_CHECKING:
    from cleaners.decode import Decoded
    from cleaners.translate import Translator

SIDES = ("ru", "en")


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
    return process_items(input_dir, [item], config, translator)[0]


def process_items(
    input_dir: Path,
    items: Sequence[InputItem],
    config: PipelineConfig,
    translator: Translator | None = None,
) -> list[Document | Quarantined]:
    """:func:`process_item` over a batch, in order. Every document is drafted first, so the
    Russian sentences of the whole batch are retranslated in one call (the model runs full
    batches instead of one short document at a time)."""
    hashes: list[str] = []
    drafts: list[Document | Quarantined] = []
    for item in items:
        read = read_item(input_dir, item, config.input)
        h = read.raw_hash
        hashes.append(h)
        if read.error is not None:
            drafts.append(
                Quarantined(item.id, item.sources, h, read.error.reason, read.error.detail)
            )
            continue
        step = partial(draft_document, item.id, item.sources, h, read.texts, config, translator)
        if read.empty:
            step = partial(_with_empty_sides, step, read.empty)
        size = sum(len(d.text) for d in read.texts.values())
        drafts.append(_guarded(item, h, step))
        del read, step  # the decoded text lives on as the sides' raw text, nowhere else
        release(size)
    if translator is not None:
        sentences = [s for d in drafts if isinstance(d, Document) for s in d.ru_sentences]
        translator = Prefetched(translator, sentences)
    out: list[Document | Quarantined] = []
    for item, h, draft in zip(items, hashes, drafts, strict=True):
        if isinstance(draft, Quarantined):
            out.append(draft)
        else:
            out.append(_guarded(item, h, partial(finish_document, draft, config, translator)))
    return out


def _with_empty_sides(step: Callable[[], Document], empty: Sequence[str]) -> Document:
    """The document ``step`` drafts, with a warning per side of its pair that held no text
    (``empty-side: a.en.txt: file is empty``), before the warning that the side is missing."""
    doc = step()
    doc.warnings[:0] = [
        f"{EMPTY_SIDE}: {what}; the other side is processed alone" for what in empty
    ]
    return doc


EMPTY_SIDE = "empty-side"


class Prefetched:
    """A translator that translated a batch's sentences up front in one call and answers
    from them (anything else goes to the wrapped translator)."""

    def __init__(self, translator: Translator, sentences: Sequence[str]) -> None:
        self._translator = translator
        self._known: dict[str, str] = {}
        self.translate(sentences)

    def translate(self, sentences: Sequence[str]) -> list[str]:
        # Pinned here, not in the translator's bounded cache: a batch's sentences are asked
        # for again by finish_document and must not cost a second model call.
        missing = [s for s in dict.fromkeys(sentences) if s not in self._known]
        if missing:
            self._known.update(zip(missing, self._translator.translate(missing), strict=True))
        return [self._known[s] for s in sentences]


def _guarded(
    item: InputItem, raw_hash: str, step: Callable[[], Document]
) -> Document | Quarantined:
    """``step()``, with bad input or a failing stage turned into a quarantine record."""
    try:
        return step()
    except InputError as exc:
        return Quarantined(item.id, item.sources, raw_hash, exc.reason, exc.detail)
    except _WrongLanguage as exc:
        detail = f"{_names(item)}: {exc}; set lid.on_wrong_side to {exc.accept} to accept it"
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
    doc = draft_document(doc_id, sources, raw_hash, decoded, config, translator)
    return finish_document(doc, config, translator)


def draft_document(
    doc_id: str,
    sources: list[str],
    raw_hash: str,
    decoded: dict[str, Decoded],
    config: PipelineConfig,
    translator: Translator | None = None,
) -> Document:
    """A document up to its corpus sentences: repaired, structured, language-checked.

    What follows (:func:`finish_document`) needs the retranslation of ``ru_sentences``; a
    batch drafts all its documents first so they are translated together.
    """
    sides = {
        side: build_side(d.text, d.encoding, side, config, translator)
        for side, d in decoded.items()
    }
    warnings: list[str] = []
    sides = _check_sides(sides, decoded, config, warnings, translator)
    mt = _failed_mt(sides, config, warnings)
    doc = Document(
        id=doc_id,
        sources=sources,
        raw_hash=raw_hash,
        ru=sides.get("ru"),
        en=sides.get("en"),
        warnings=warnings,
        mt=mt,
    )
    if doc.ru is None:
        warnings.append("no-source: English MT without a Russian source; nothing to align")
    if doc.en is None and mt is None:
        warnings.append(NO_TRANSLATION)
    doc.ru_sentences = corpus_sentences(doc.ru, "ru", config) if doc.ru else []
    doc.en_sentences = corpus_sentences(doc.en, "en", config) if doc.en else []
    return doc


NO_TRANSLATION = "no-translation: Russian source without an English MT; nothing to align"


def _failed_mt(
    sides: dict[str, SideDoc], config: PipelineConfig, warnings: list[str]
) -> SideDoc | None:
    """Take an English side that is no English at all (:mod:`cleaners.mtcheck`) out of
    ``sides`` and return it (the document's ``mt``), with an ``mt-failed`` warning saying why;
    None when the English side is English. ``lid.on_wrong_side: keep`` keeps every side as
    given."""
    en, ru = sides.get("en"), sides.get("ru")
    if en is None or config.lid.on_wrong_side == "keep":
        return None
    why = english_failure(en.lang, en.text, ru.text if ru is not None else None)
    if why is None:
        return None
    del sides["en"]
    warnings.append(f"{MT_FAILED}: {why}; kept as the document's mt, it has no English")
    return en


def finish_document(
    doc: Document, config: PipelineConfig, translator: Translator | None = None
) -> Document:
    """Retranslate, put the retranslation to the use ``translate.mode`` says, align, score."""
    mode = config.translate.mode if translator is not None else "signal"
    if translator is not None and doc.ru_sentences:
        doc.ru_retranslated = translator.translate(doc.ru_sentences)
    if doc.ru_retranslated and (
        mode == "all" or (doc.en is None and mode in ("missing", "replace"))
    ):
        use_retranslation(doc, config)
    _align(doc, config)
    if leave_foreign_out(doc, config):
        _align(doc, config)
    replacing = rule_on(REPLACE_RULE, config.repair.disable, config.repair.enable)
    fill = mode == "replace" and replacing and doc.en is not None and doc.en_origin == "mt"
    if fill:
        assert translator is not None
        if replace_failed_segments(doc, config, translator):
            _align(doc, config)
    cut = _cut_pair(doc)
    tail = missing_tail(doc.beads, len(doc.ru_sentences), cut is not None)
    appended = False
    if tail is not None:
        # (the cause is read before the retranslation takes a foreign tail's place)
        cause = tail_cause(_left_out_after_last_pair(doc))
        appended = fill and append_retranslation(doc, tail, cut, config)
        if appended:
            _align(doc, config)
        doc.warnings.append(
            tail_note(tail, len(doc.ru_sentences), appended, cut is not None, cause)
        )
    if doc.beads and apply_source_evidence(doc, config):
        _align(doc, config)  # the Russian re-decided fused words or glossary terms
    if tail is not None and not appended and doc.ru_retranslated:
        mark_cut_pair(doc)
    doc.warnings.extend(_other_cyrillic_notes(doc, config, translator is not None, tail is None))
    doc.warnings.extend(_source_other_cyrillic_notes(doc))
    if found := _russian_left_in_mt(doc, after_last_pair=tail is None):
        doc.warnings.append(untranslated_note(found))
    release(doc_size(doc))  # what the last stage freed, before the document is written
    return doc


def leave_foreign_out(doc: Document, config: PipelineConfig) -> bool:
    """Take out of the alignment each sentence cut from a paragraph called Russian
    (``FOREIGN_IN_RUSSIAN``) that did not align alone with English: it has no English of its
    own, and joined to a Russian sentence's bead it made the filter reject that bead as
    another language. It is left out as its language, flagged; the retranslation of the
    Russian kept is kept. True when one left (the document is to be aligned again)."""
    if doc.ru is None or not doc.beads:
        return False
    owner: list[Segment] = []
    for seg in doc.ru.segments:
        if not any(f.startswith(LEFT_OUT) for f in seg.peek_flags):
            owner.extend([seg] * len(seg.sentences))
    if len(owner) != len(doc.ru_sentences):
        return False  # (the sentences are not the segments' any more: nothing to map)
    alone = {
        id(owner[b.ru[0]])
        for b in doc.beads
        if b.en and b.ru and all(owner[i] is owner[b.ru[0]] for i in b.ru)
    }
    leaving = [
        seg
        for seg in doc.ru.segments
        if seg.peek_meta.get(FOREIGN_IN_RUSSIAN) and seg.sentences and id(seg) not in alone
    ]
    if not leaving:
        return False
    for seg in leaving:
        seg.meta = {k: v for k, v in seg.peek_meta.items() if k != FOREIGN_IN_RUSSIAN}
    doc.ru_sentences = corpus_sentences(doc.ru, "ru", config)
    # (one whose piece language ID calls Russian after all stays, as any such segment)
    gone = {id(seg) for seg in leaving if any(f.startswith(LEFT_OUT) for f in seg.peek_flags)}
    for seg in leaving:
        if id(seg) in gone:
            seg.sentences = []
    if doc.ru_retranslated:
        doc.ru_retranslated = [
            t for t, seg in zip(doc.ru_retranslated, owner, strict=True) if id(seg) not in gone
        ]
    return bool(gone)


def _last_paired_en(doc: Document) -> int:
    """The index of the English side's last sentence in a bead with Russian (-1: none)."""
    return max((j for b in doc.beads if b.ru for j in b.en), default=-1)


def _left_out_after_last_pair(doc: Document) -> list[str]:
    """The languages of the English side's segments left out of the alignment (no
    boilerplate) after its last English sentence in a pair: Russian there is a tail the MT
    left in Russian, not one it stopped before."""
    if doc.en is None:
        return []
    last = _last_paired_en(doc)
    langs: list[str] = []
    j = 0
    for seg in doc.en.segments:
        if any(f.startswith(LEFT_OUT) for f in seg.peek_flags):
            if j > last and seg.kind != "boilerplate":
                langs.append(seg.lang)
            continue
        j += len(seg.sentences)
    return langs


def _other_cyrillic_notes(
    doc: Document, config: PipelineConfig, retranslating: bool, after_last_pair: bool
) -> list[str]:
    """The warnings for the final English MT's segments in Cyrillic of another language
    (:func:`cleaners.lid.other_cyrillic`: Ukrainian, Bulgarian; none in a retranslation).
    Retranslating, every such segment is ``not-retranslated`` (the fill-in of fragments
    skipped it). Otherwise a segment mostly Cyrillic is ``mt-other-language``: the MT gave
    no English there; without ``after_last_pair``, a tail in another language is left to the
    ``mt-incomplete`` warning, which says it (as :func:`_russian_left_in_mt` leaves a
    Russian one)."""
    if doc.en is None or doc.en_origin != "mt":
        return []
    last = _last_paired_en(doc)
    notes: list[str] = []
    j = 0
    for k, seg in enumerate(doc.en.segments, 1):
        start, j = j, j + len(seg.sentences)
        if not retranslating:
            if seg.kind == "boilerplate" or (not after_last_pair and start > last):
                continue
            if lid.script_shares(seg.text).get("Cyrl", 0.0) < 0.5:
                continue
        if lang := lid.other_cyrillic(seg.text, config.lid):
            notes.append(not_retranslated_note(k, lang, seg.text, retranslating))
    return notes


def _source_other_cyrillic_notes(doc: Document) -> list[str]:
    """The warnings for the Russian source's segments left out as another Cyrillic language
    (``left-out:other-language:bg``; an English quote in Russian news is no news)."""
    if doc.ru is None:
        return []
    notes: list[str] = []
    for k, seg in enumerate(doc.ru.segments, 1):
        lang = left_out_language(seg)
        if lang in ("", "ru", "en") or seg.kind == "boilerplate":
            continue
        if lid.script_shares(seg.text).get("Cyrl", 0.0) >= 0.5:
            notes.append(source_other_language_note(k, lang, seg.text))
    return notes


def _russian_left_in_mt(doc: Document, after_last_pair: bool) -> list[tuple[int, int, bool]]:
    """Russian the MT left untranslated in its final English (none in a retranslation): per
    English segment holding some, its number (1-based), how many of its sentences are Russian,
    and whether it is Russian whole (:func:`cleaners.mtcheck.russian_sentence`). Without
    ``after_last_pair``, what follows the last English sentence in a pair is left to the
    ``mt-incomplete`` warning, which says it (a Russian tail)."""
    if doc.en is None or doc.en_origin != "mt":
        return []
    last = _last_paired_en(doc)
    found: list[tuple[int, int, bool]] = []
    j = 0
    for k, seg in enumerate(doc.en.segments, 1):
        start, j = j, j + len(seg.sentences)
        if seg.kind == "boilerplate" or not seg.text.strip():
            continue
        if not after_last_pair and start > last:
            break
        if russian_sentence(seg.text):
            n = len(seg.sentences) or len(split_sentences(seg.text, "ru"))
            found.append((k, n, True))
            continue
        # (a segment left out of the corpus has no sentences of its own: split here)
        sentences = seg.sentences or split_sentences(seg.text, "en")
        if n := sum(1 for t in sentences if russian_sentence(t)):
            found.append((k, n, False))
    return found


def apply_source_evidence(doc: Document, config: PipelineConfig) -> bool:
    """Let the aligned Russian re-decide fused words and ``ru=`` glossary entries in the
    English MT (:mod:`cleaners.repair.bilingual`); the side is re-tagged with the edits
    folded in. Returns whether the English changed."""
    found = source_evidence(doc, config.repair)
    if found is None or doc.en is None:
        return False
    edits, note = found
    raw, encoding = doc.en.raw_text, doc.en.encoding
    # The side it replaces goes before the new one is made (its segments and sentences were
    # held beside the new side's: the stage's peak; a failure from here on quarantines the
    # document anyway).
    doc.en, doc.en_sentences = None, []
    release(len(raw))
    en = tag_side(raw, replay(raw, edits), encoding, "en", edits, config)
    doc.en = en
    doc.en_sentences = corpus_sentences(en, "en", config)
    doc.warnings.append(note)
    del en, raw
    release(doc_size(doc))  # what making the new side freed
    return True


def _align(doc: Document, config: PipelineConfig) -> None:
    if doc.ru_sentences and doc.en_sentences:
        ru_mt = doc.ru_retranslated or None
        doc.beads = align(doc.ru_sentences, doc.en_sentences, config.align, ru_mt=ru_mt)
        # A title only one side has (the English page kept its headline, the Russian file
        # did not) translates nothing of the other side; the aligner, seeing the headline
        # paraphrase the lead, joined it to the lead: a corpus row with a sentence too many.
        # Such a document's body is aligned again without it.
        ru_title, en_title = _title_sentences(doc.ru), _title_sentences(doc.en)
        if en_title and not ru_title and _title_joined(doc.beads, en_title, "en"):
            rest = align(doc.ru_sentences, doc.en_sentences[en_title:], config.align, ru_mt=ru_mt)
            doc.beads = _apart(rest, en_title, "en")
        elif ru_title and not en_title and _title_joined(doc.beads, ru_title, "ru"):
            ru_mt = ru_mt[ru_title:] if ru_mt else None
            rest = align(doc.ru_sentences[ru_title:], doc.en_sentences, config.align, ru_mt=ru_mt)
            doc.beads = _apart(rest, ru_title, "ru")
        size = doc_size(doc)
        release(size)  # the aligner's working memory, before scoring allocates its own
        if doc.ru_retranslated and doc.en:
            score_agreement(doc)
        measure_document(doc, config)
        release(size)


def _title_sentences(side: SideDoc | None) -> int:
    """How many of the side's corpus sentences its title holds (they come first; 0: none)."""
    if side is None:
        return 0
    for seg in side.segments:
        if any(f.startswith(LEFT_OUT) for f in seg.peek_flags):
            continue
        return len(seg.sentences) if seg.kind == "title" else 0
    return 0


def _title_joined(beads: Sequence[Bead], title: int, side: str) -> bool:
    """Whether a bead holds a title sentence and a body sentence of the same side (a title
    paired alone with the other side's sentence may be its own title, one not ended as such)."""
    return any(min(ids) < title <= max(ids) for b in beads if (ids := getattr(b, side)))


def _apart(rest: list[Bead], title: int, side: str) -> list[Bead]:
    """Beads of the body (``rest``, aligned without the title's first ``title`` sentences of
    ``side``) after the title's own one-sided beads, ids shifted back into the document's."""
    method = rest[0].method if rest else "length"
    lone = [Bead((i,), (), 0.0, method) if side == "ru" else Bead((), (i,), 0.0, method)
            for i in range(title)]  # fmt: skip
    moved = [
        dataclasses.replace(b, **{side: tuple(i + title for i in getattr(b, side))}) for b in rest
    ]
    return lone + moved


def use_retranslation(doc: Document, config: PipelineConfig) -> None:
    """Make the retranslation of the Russian the document's English side.

    One paragraph per Russian corpus segment, its sentences' translations joined by
    spaces. An English MT there was is kept in ``doc.mt``; nothing happens when every
    sentence failed to translate.
    """
    assert doc.ru is not None
    paragraphs: list[str] = []
    i = 0
    for seg in doc.ru.segments:
        n = len(seg.sentences)
        part = " ".join(t for t in doc.ru_retranslated[i : i + n] if t.strip())
        i += n
        if part:
            paragraphs.append(part)
    if not paragraphs:
        return
    text = "\n\n".join(paragraphs) + "\n"
    if doc.en is not None:
        doc.mt = doc.en
    elif NO_TRANSLATION in doc.warnings:
        doc.warnings.remove(NO_TRANSLATION)
        doc.warnings.append("retranslated: no English MT; the English side is the retranslation")
    else:  # the MT failed as a whole (mt-failed), kept in doc.mt
        doc.warnings.append(
            "retranslated: the English MT failed; the English side is the retranslation"
        )
    doc.en = tag_side(text, text, "retranslation", "en", [], config)
    doc.en_origin = "retranslation"
    doc.en_sentences = corpus_sentences(doc.en, "en", config)


def replace_failed_segments(doc: Document, config: PipelineConfig, translator: Translator) -> int:
    """Replace English segments whose MT failed by the retranslation (mode ``replace``).

    A segment failed when it is still Russian (translated from its own text), or when it
    aligns with Russian sentences and has no letters or a chrF agreement with their
    retranslation below ``translate.replace_below`` (replaced by that retranslation).
    Each replacement is an edit of rule :data:`REPLACE_RULE` folded into the side's
    edits, so ``replay`` and the report show it. Returns how many segments changed.
    """
    en = doc.en
    assert en is not None
    ru_of: dict[int, list[int]] = {}
    for b in doc.beads:
        for j in b.en:
            ru_of.setdefault(j, []).extend(b.ru)
    below = config.translate.replace_below
    russian: list[tuple[int, int, str]] = []  # (start, end, text) in en.text
    others: list[tuple[int, int, str]] = []
    cursor, j = 0, 0
    for seg in en.segments:
        ids = list(range(j, j + len(seg.sentences)))
        j += len(seg.sentences)
        where = en.text.find(seg.text, cursor)
        if where < 0 or seg.kind == "boilerplate" or not seg.text.strip():
            continue
        cursor = where + len(seg.text)
        span = (where, cursor)
        if lid.other_cyrillic(seg.text, config.lid):
            continue  # Ukrainian, Bulgarian…: no ru→en input (a not-retranslated warning says it)
        if seg.lang == "ru" or lid.script_shares(seg.text).get("Cyrl", 0.0) >= 0.5:
            russian.append((*span, seg.text))
            continue
        ru_ids = sorted({i for k in ids for i in ru_of.get(k, ())})
        if not ru_ids:
            continue
        agreement = seg.peek_meta.get("mt_agreement")
        no_letters = not any(ch.isalpha() for ch in seg.text)
        if no_letters or (agreement is not None and agreement < below):
            text = " ".join(doc.ru_retranslated[i] for i in ru_ids if doc.ru_retranslated[i])
            if text.strip():
                others.append((*span, text.strip()))
    for s, _e, text in russian:  # the rule decides a segment left in Russian on its own
        for ed in replace_with_retranslation(text, "en", {}, translator):
            others.append((s + ed.start, s + ed.end, ed.after))
    if not others:
        return 0
    later = [Edit(REPLACE_RULE, s, e, en.text[s:e], t) for s, e, t in sorted(others)]
    raw = en.raw_text  # made again from the edits on a long side: once
    edits = compose(raw, en.edits, later)
    fixed = replay(raw, edits)
    doc.en = tag_side(raw, fixed, en.encoding, "en", edits, config)
    doc.en_sentences = corpus_sentences(doc.en, "en", config)
    doc.warnings.append(f"replaced: {len(later)} English segment(s) by the retranslation")
    return len(later)


def _cut_pair(doc: Document) -> Bead | None:
    """The document's last bead with both sides when its English stops mid-sentence
    (:func:`cleaners.mtcheck.cut_short`, with the retranslation when there is one)."""
    last = next((b for b in reversed(doc.beads) if b.ru and b.en), None)
    if last is None:
        return None
    en = " ".join(doc.en_sentences[j] for j in last.en)
    ru = " ".join(doc.ru_sentences[i] for i in last.ru)
    mt = " ".join(doc.ru_retranslated[i] for i in last.ru) if doc.ru_retranslated else None
    return last if cut_short(en, ru, mt) else None


def mark_cut_pair(doc: Document) -> None:
    """Mark the pair where the MT stopped mid-sentence (a document with a missing tail, the
    retranslation on) as ``cut``: the judge rejects it as ``truncated``
    (:func:`cleaners.judge.decide_document`). The filter alone would keep it: the English is
    a prefix of the retranslation, whose chrF lifts the pair's adequacy over the filter's
    end-mark bar, so the cut pair reached the corpus only when retranslation was on."""
    cut = _cut_pair(doc)
    if cut is not None and cut.pair_adequacy is not None:  # measured (the filters are on)
        doc.beads[doc.beads.index(cut)] = dataclasses.replace(cut, cut=True)


def append_retranslation(
    doc: Document, tail: range, cut: Bead | None, config: PipelineConfig
) -> bool:
    """Give the Russian sentences ``tail`` (where the MT stopped) their retranslation, one
    paragraph per Russian segment: appended to the English side, or, when the MT stopped
    mid-sentence in the English of bead ``cut``, in place of that English. What the MT gave
    for the tail in another language (a Ukrainian paragraph: :func:`_foreign_tail`) is the
    retranslation's place: it takes the first such segment's, and the others go, so the
    English is English only. Edits of rule :data:`REPLACE_RULE` folded into the side's edits
    (``replay`` and the report show them). Returns whether the English changed."""
    en, ru = doc.en, doc.ru
    assert en is not None and ru is not None
    paragraphs: list[str] = []
    i = 0
    for seg in ru.segments:
        ids = range(i, i + len(seg.sentences))
        i += len(seg.sentences)
        part = " ".join(doc.ru_retranslated[k].strip() for k in ids if k in tail)
        if part.strip():
            paragraphs.append(part.strip())
    if not paragraphs:
        return False
    text = en.text
    foreign = _foreign_tail(en, _last_paired_en(doc))
    # Each other segment in another language goes with the white space before it.
    gone = [Edit(REPLACE_RULE, sep, e, text[sep:e], "") for sep, _s, e in foreign]
    if cut is not None:
        first, last = doc.en_sentences[cut.en[0]], doc.en_sentences[cut.en[-1]]
        start, end = text.rfind(first), text.rfind(last) + len(last)
        if start < 0 or end < start + len(first):
            return False  # not found as written: leave the English as it is (never a guess)
        # The cut English goes; the first paragraph takes its place, the rest follow it.
        head, rest = paragraphs[0], paragraphs[1:]
        added = head + "".join("\n\n" + p for p in rest)
        later = [Edit(REPLACE_RULE, start, end, text[start:end], added), *gone]
    elif foreign:
        # The first segment in another language gives its place to the retranslation.
        _sep, start, end = foreign[0]
        added = "\n\n".join(paragraphs)
        later = [Edit(REPLACE_RULE, start, end, text[start:end], added), *gone[1:]]
    else:
        ends_line = text.endswith("\n")
        added = ("\n" if ends_line else "\n\n") + "\n\n".join(paragraphs)
        added += "\n" if ends_line else ""
        later = [Edit(REPLACE_RULE, len(text), len(text), "", added)]
    raw = en.raw_text
    edits = compose(raw, en.edits, later)
    doc.en = tag_side(raw, replay(raw, edits), en.encoding, "en", edits, config)
    doc.en_sentences = corpus_sentences(doc.en, "en", config)
    return True


def _foreign_tail(en: SideDoc, last: int) -> list[tuple[int, int, int]]:
    """The English side's segments after its sentence ``last`` (the last in a pair) left out
    as a language neither English nor Russian (``left-out:other-language:uk``): where an MT
    gave the Russian tail in Ukrainian. Each as (end of the segment before it, its start,
    its end) in ``en.text``. (A Russian one was given its own retranslation already.)"""
    found: list[tuple[int, int, int]] = []
    cursor = prev_end = j = 0
    for seg in en.segments:
        start, j = j, j + len(seg.sentences)
        where = en.text.find(seg.text, cursor) if seg.text else -1
        if where < 0:
            continue
        cursor = where + len(seg.text)
        if start > last and left_out_language(seg) not in ("", "en", "ru"):
            found.append((prev_end, where, cursor))
        prev_end = cursor
    return found


def build_side(
    text: str,
    encoding: str,
    lang: str,
    config: PipelineConfig,
    translator: Translator | None = None,
) -> SideDoc:
    """Repair, structure and language-tag one side's text.

    The translator serves the repair's fill-in of Cyrillic left in English MT (rule
    ``fill_untranslated``), which ``translate.fill_untranslated`` switches.
    """
    fill = translator if config.translate.fill_untranslated else None
    result = repair(text, lang, config.repair, fill)
    fixed, edits = result.text, list(result.edits)
    return tag_side(text, fixed, encoding, lang, edits, config)


def tag_side(
    raw_text: str, fixed: str, encoding: str, lang: str, edits: list[Edit], config: PipelineConfig
) -> SideDoc:
    """Structure and language-tag a side's final text (``edits`` lead from ``raw_text`` to it)."""
    return tag_segments(raw_text, fixed, encoding, lang, edits, parse(fixed, lang), config)


def tag_segments(
    raw_text: str,
    fixed: str,
    encoding: str,
    lang: str,
    edits: list[Edit],
    segments: list[Segment],
    config: PipelineConfig,
) -> SideDoc:
    """:func:`tag_side` once ``fixed`` is parsed into ``segments``: language-tag them."""
    texts = [s.text for s in segments]
    results = lid.detect_batch(texts, config.lid)
    if lang == "ru" and any(
        _may_mix(seg, code) for seg, (code, _) in zip(segments, results, strict=True)
    ):
        segments, results = _split_mixed(segments, results, config)
        texts = [s.text for s in segments]
    for seg, (code, score) in zip(segments, results, strict=True):
        seg.lang, seg.lang_score = code, score
        if mixed := lid.mixed_scripts(seg.text):
            seg.meta["scripts"] = mixed  # e.g. Cyrillic left inside English MT
        if lang == "en" and untranslated_spans(seg.text):
            seg.flags.append("untranslated")
    doc_lang, doc_score = lid.document_language(texts, results) if segments else ("und", 0.0)
    # Latin brand names outweigh the Russian words of a shop page: a side with Cyrillic in it
    # (as leave_out judges a segment) is Russian, no foreign file in the ru slot.
    foreign = doc_lang not in ("ru", "und") and doc_lang not in CYRILLIC_LANGS
    if lang == "ru" and foreign and holds_own_script(fixed, "ru"):
        cyr, lat = letter_counts(fixed)
        doc_lang, doc_score = "ru", round(cyr / (cyr + lat), 4)
    elif (
        doc_lang not in (lang, "und")
        and (doc_lang in CYRILLIC_LANGS) == (lang == "ru")
        and sum(letter_counts(fixed)) < config.filters.segment_min_letters
    ):
        # A side too short to be substantially another language of its own script (`Да.`
        # reads as Macedonian) is in its slot's language, as such a segment is (leave_out):
        # else none of its segments would align and the pair would be lost unjudged.
        doc_lang, doc_score = lang, 0.0
    return SideDoc(
        raw_text=raw_text,
        text=fixed,
        encoding=encoding,
        lang=doc_lang,
        lang_score=doc_score,
        edits=edits,
        segments=segments,
    )


_OTHER_CYRILLIC = CYRILLIC_LANGS - {"ru"}


def _may_mix(seg: Segment, code: str) -> bool:
    """Whether a Russian-side segment may hold another Cyrillic language's sentence: one
    called such a language, or a body paragraph with a letter Russian lacks."""
    return code in _OTHER_CYRILLIC or (seg.kind == "body" and holds_non_russian_letter(seg.text))


def _split_mixed(
    segments: list[Segment], results: list[tuple[str, float]], config: PipelineConfig
) -> tuple[list[Segment], list[tuple[str, float]]]:
    """The Russian side's body paragraphs cut where their sentences' language changes
    (:func:`cleaners.leftout.language_runs`), each piece detected again: the Russian
    sentences of a paragraph with one Ukrainian or Belarusian sentence align, only the
    other language's leave (from a paragraph called Russian, after one alignment:
    :func:`leave_foreign_out`).

    A paragraph called another Cyrillic language is cut by its sentences' detected
    language; one called Russian only at a sentence :func:`cleaners.leftout.foreign_sentence`
    finds in another language by its common words (a Russian sentence with a Ukrainian
    name stays whole, and in its bead). A paragraph called English or German is left as it
    was: a shop page's Latin brand names would cut its sentences apart."""
    out_segs: list[Segment] = []
    out_results: list[tuple[str, float]] = []
    for seg, result in zip(segments, results, strict=True):
        sentences = split_sentences(seg.text, "ru") if seg.kind == "body" else []
        runs: list[tuple[int, int]] = []
        foreign: list[str] = []
        if len(sentences) > 1 and result[0] in _OTHER_CYRILLIC:
            langs = [code for code, _ in lid.detect_batch(sentences, config.lid)]
            runs = language_runs(langs, "ru")
        elif len(sentences) > 1 and result[0] == "ru" and holds_non_russian_letter(seg.text):
            foreign = [foreign_sentence(s, config) or "ru" for s in sentences]
            runs = language_runs(foreign, "ru")
        if not runs:
            out_segs.append(seg)
            out_results.append(result)
            continue
        pieces = cut_runs(seg.text, sentences, runs)
        for (a, _), piece in zip(runs, pieces, strict=True):
            code = foreign[a] if foreign else "ru"
            meta = {FOREIGN_IN_RUSSIAN: code} if code != "ru" else None
            out_segs.append(Segment("body", piece, meta=meta))
        out_results.extend(lid.detect_batch(pieces, config.lid))
    return out_segs, out_results


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

    Boilerplate never aligns; comments only when configured; a segment confidently and
    substantially in another language (a Ukrainian comment) stays in the document but not
    here. Each segment left out is flagged ``left-out:<reason>`` (:mod:`cleaners.leftout`).
    """
    out: list[str] = []
    for seg in side.segments:
        seg.flags = [f for f in seg.peek_flags if not f.startswith(LEFT_OUT)]
        why = leave_out(seg, lang, side.lang, config)
        if why is not None:
            seg.flags.append(LEFT_OUT + why)
            continue
        # A one-sentence segment (a line per sentence) shares its text, not a second copy.
        text = seg.text
        seg.sentences = [text if s == text else s for s in split_sentences(text, lang)]
        out.extend(seg.sentences)
    return out


class _WrongLanguage(Exception):
    def __init__(self, detail: str, accept: str = "'swap' or 'keep'") -> None:
        super().__init__(detail)
        self.accept = accept  # the lid.on_wrong_side values that would process it


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
    if target == {"en": "ru"} and "ru" in sides:
        # Both sides Russian: no misnamed file but an MT that did not translate (the source
        # copied, or left in Russian). The Russian is processed; _failed_mt says why.
        return sides
    if len(set(target.values())) != len(target) or any(
        t in sides and t not in wrong for t in target.values()
    ):
        # Both files in one language: there is no consistent swap.
        raise _WrongLanguage(f"{detail}; both sides are the same language", "'keep'")
    warnings.append(f"swapped: {detail}")
    fixed = {s: d for s, d in sides.items() if s not in wrong}
    for s, t in target.items():
        fixed[t] = build_side(decoded[s].text, decoded[s].encoding, t, config, translator)
    return fixed


def _names(item: InputItem) -> str:
    return " + ".join(item.sources) or item.id
