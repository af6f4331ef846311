"""Benchmark the sentence aligner on real ru–en news with realistic damage.

    .venv/bin/python bench/align.py              # dev sets: WMT21 news + FLORES dev
    .venv/bin/python bench/align.py --reserved   # also WMT22 + FLORES devtest (report only)
    .venv/bin/python bench/align.py --folds 2,4,6   # only Text+Berg dev, by folds

Documents come from the sets' docs files; each line pair is one gold 1-1 bead before damage.
Damage (seeded, per document) imitates what real MT output and scraping do: English lines
joined (2-1) or split at a sentence or clause boundary (1-2), Russian lines joined (1-2),
English lines dropped (1-0), Russian lines dropped (0-1), foreign English lines inserted (0-1).
Strict P/R/F1 counts a bead right only when both its sides match gold exactly; null beads
(1-0/0-1) are left out of the counts ("F1 incl. null" counts them too). "paper F1" counts as
Vecalign's score.py does for the published Text+Berg table: precision over every predicted bead,
null beads included, recall over gold beads with text on both sides. Every aligner runs in the
same process on the same damage.

"+lex (shipped table)" is the default path: the word table of cleaners/lexsim, which was built from
these very dev sets; "+lex (held-out table)" rebuilds that table in-process without the evaluated
set's files (e.g. ru–en without WMT21 for the WMT21 table, de–fr from FLORES and the de–fr
dictionaries, which hold no dev text, for Text+Berg dev) — the honest figure. "length+anchors, no
lex" is the path without a word table (what `mtclean align` did before the table). The ablation
rows take one part out of the default path each and are scored with the held-out table where there
is one. "+bootstrap (held-out table)" aligns a table's documents as one run of `mtclean align
--format jsonl --bootstrap` (key pairs learned across them, all aligned again; the notes give
how many and a sample). FLORES dev de–fr is damaged as ru–en is (a second same-script check,
news rather than a yearbook). The scaling table aligns one long document in a fresh process and
reports CPU seconds and the peak RSS above the process's own before aligning.

"With retranslation": no full Argos ru→en model is available here, so a real WMT system's
English output of the Russian (system_outputs/hyp.<sys>.en.txt) stands in for the
retranslation. FLORES has no system outputs: its "+MT" column is empty. Where the English
itself is MT (one table), two MT systems agree more than MT and a human do, so the "+MT"
figure there flatters what a real retranslation would give.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from cleaners import lexsim  # noqa: E402
from cleaners.align import align, bootstrap_table  # noqa: E402
from cleaners.config import AlignConfig  # noqa: E402
from cleaners.sentences import split_sentences  # noqa: E402

DATA = Path(os.environ.get("MTCLEAN_DATA") or REPO.parent / "shared" / "data")
LANGS = ("ru", "en")
MT_SYSTEM = "Online-B"

Beads = list[tuple[tuple[int, ...], tuple[int, ...]]]


@dataclass
class Doc:
    id: str
    ru: list[str]
    en: list[str]
    mt: list[str] | None  # an MT system's English for each ru line (retranslation stand-in)


@dataclass
class Case:
    ru: list[str]
    en: list[str]
    mt: list[str] | None
    gold: Beads


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").rstrip("\n").split("\n")


def _group(doc_ids: list[str], ru: list[str], en: list[str], mt: list[str] | None) -> list[Doc]:
    docs: dict[str, Doc] = {}
    for k, doc_id in enumerate(doc_ids):
        d = docs.setdefault(doc_id, Doc(doc_id, [], [], [] if mt is not None else None))
        d.ru.append(ru[k])
        d.en.append(en[k])
        if mt is not None and d.mt is not None:
            d.mt.append(mt[k])
    return list(docs.values())


def _doc_ids(path: Path) -> list[str]:
    with path.open(encoding="utf-8") as f:
        return [row["doc_id"] for row in csv.DictReader(f, delimiter="\t")]


def load_wmt(folder: str, english: str = "ref.A.en.txt") -> list[Doc]:
    """WMT documents; ``english`` may name a system output to align MT English, as users do."""
    base = DATA / folder
    mt = base / "system_outputs" / f"hyp.{MT_SYSTEM}.en.txt"
    en = base / english if (base / english).exists() else base / "system_outputs" / english
    return _group(
        _doc_ids(base / "docs.tsv"),
        _lines(base / "src.ru.txt"),
        _lines(en),
        _lines(mt) if mt.exists() else None,
    )


def load_flores(split: str, src: str = "rus_Cyrl", tgt: str = "eng_Latn") -> list[Doc]:
    """FLORES documents of one split; ``src`` / ``tgt`` name the two languages' files (the
    source goes in the ``ru`` slot, the target in ``en``)."""
    base = DATA / "flores200"
    return _group(
        _doc_ids(base / f"docs_{split}.tsv"),
        _lines(base / f"{split}.{src}.txt"),
        _lines(base / f"{split}.{tgt}.txt"),
        None,
    )


def _split_en(line: str) -> tuple[str, str] | None:
    """Split an English line in two at a sentence boundary, else at the comma nearest its middle."""
    sents = split_sentences(line, "en")
    if len(sents) >= 2:
        cut = len(sents) // 2
        return " ".join(sents[:cut]), " ".join(sents[cut:])
    commas = [k for k, ch in enumerate(line) if ch == "," and 15 < k < len(line) - 15]
    if not commas:
        return None
    k = min(commas, key=lambda c: abs(c - len(line) / 2))
    return line[: k + 1].strip(), line[k + 1 :].strip()


def damage(doc: Doc, rng: random.Random, pool: Sequence[str]) -> Case:
    """Apply seeded MT-like damage to one document and return it with its gold beads."""
    ru: list[str] = []
    en: list[str] = []
    mt: list[str] | None = [] if doc.mt is not None else None
    gold: Beads = []
    n = len(doc.ru)
    i = 0

    def add_ru(*ks: int) -> tuple[int, ...]:
        ru.append(" ".join(doc.ru[k] for k in ks))
        if mt is not None and doc.mt is not None:
            mt.append(" ".join(doc.mt[k] for k in ks))
        return (len(ru) - 1,)

    def add_en(*texts: str) -> tuple[int, ...]:
        start = len(en)
        en.extend(texts)
        return tuple(range(start, len(en)))

    while i < n:
        r = rng.random()
        if r < 0.04:  # English line lost
            gold.append((add_ru(i), ()))
        elif r < 0.06:  # Russian line lost (English kept)
            gold.append(((), add_en(doc.en[i])))
        elif r < 0.14 and i + 1 < n:  # two English lines joined
            ids = add_ru(i) + add_ru(i + 1)
            gold.append((ids, add_en(doc.en[i] + " " + doc.en[i + 1])))
            i += 1
        elif r < 0.19 and i + 1 < n:  # two Russian lines joined
            gold.append((add_ru(i, i + 1), add_en(doc.en[i], doc.en[i + 1])))
            i += 1
        elif r < 0.27 and (parts := _split_en(doc.en[i])):  # English line split
            gold.append((add_ru(i), add_en(*parts)))
        else:
            gold.append((add_ru(i), add_en(doc.en[i])))
        if rng.random() < 0.03:  # unrelated English inserted (site chrome, another story)
            gold.append(((), add_en(rng.choice(pool))))
        i += 1
    return Case(ru, en, mt, gold)


def make_cases(docs: list[Doc], seed: int) -> list[Case]:
    pool = [line for d in docs for line in d.en]
    return [damage(d, random.Random(f"{seed}:{d.id}"), pool) for d in docs]


# ---------------------------------------------------------------- aligners


def run_mtclean(
    case: Case, config: AlignConfig, with_mt: bool, langs: tuple[str, str] = LANGS
) -> Beads:
    beads = align(
        case.ru, case.en, config, ru_mt=case.mt if with_mt else None,
        src_lang=langs[0], tgt_lang=langs[1],
    )  # fmt: skip
    return [(b.ru, b.en) for b in beads]


def run_bootstrap(
    cases: Sequence[Case], config: AlignConfig, langs: tuple[str, str] = LANGS
) -> tuple[list[Beads], list[lexsim.Learned]]:
    """``mtclean align --format jsonl --bootstrap`` on ``cases`` as one run: every case aligned,
    key pairs learned from the confident beads of all of them, every case aligned again with
    the run's extended table (the current ``lexsim.table``: the held-out one where swapped in)."""
    first = [align(c.ru, c.en, config, src_lang=langs[0], tgt_lang=langs[1]) for c in cases]
    extended, learned = bootstrap_table(
        [(c.ru, c.en, b) for c, b in zip(cases, first, strict=True)], lexsim.table(*langs)
    )
    outs = [
        [
            (b.ru, b.en)
            for b in align(c.ru, c.en, config, src_lang=langs[0], tgt_lang=langs[1], table=extended)
        ]  # fmt: skip
        for c in cases
    ]
    return outs, learned


def bootstrap_row(
    cases: list[Case], config: AlignConfig, langs: tuple[str, str], notes: list[str]
) -> Row:
    """The ``+bootstrap`` row (held-out table), with the learned pairs' number and a sample
    in ``notes`` (their precision is judged by reading them)."""
    t0 = time.perf_counter()
    outs, learned = run_bootstrap(cases, config, langs)
    dt = time.perf_counter() - t0
    sample = random.Random(0).sample(learned, min(12, len(learned)))
    notes.append(
        f"bootstrap: {len(learned)} key pairs learned, e.g. "
        + ", ".join(f"{x.src}={x.tgt} ({x.together}/{x.docs})" for x in sample)
    )
    return scored_row("mtclean +lex +bootstrap (held-out table)", cases, outs, dt)


@contextmanager
def heldout_lexicon(pair: str, without: str) -> Iterator[str]:
    """Swap in the word table rebuilt without the sources whose path contains ``without``
    (the same build, fewer inputs), so that a dev set is scored by a table that never saw it."""
    from cleaners.lexsim import build

    kept = [f for f in build.SOURCES[pair] if without not in f[0]]
    saved, build.SOURCES[pair] = build.SOURCES[pair], kept
    try:
        text = build.build(DATA, pair)
    finally:
        build.SOURCES[pair] = saved
    extra = " + the dictionaries" if build.dictionary_stems(pair) else ""  # no dev data in them
    with swapped_table(pair, text):
        yield f"table without {without} ({len(kept)} of {len(saved)} sources{extra})"


@contextmanager
def swapped_table(pair: str, text: str) -> Iterator[None]:
    """``lexsim.table`` answers with the table file ``text`` for ``pair`` (either direction)."""
    a, b = pair.split("-")
    shipped = lexsim.table

    parsed: dict[tuple[str, str], lexsim.Table] = {}  # parsed once a direction, as shipped

    def table(src: str = a, tgt: str = b) -> lexsim.Table:
        if {src, tgt} == {a, b}:
            if (src, tgt) not in parsed:
                parsed[src, tgt] = lexsim.parse(text, src, tgt, flipped=src != a)
            return parsed[src, tgt]
        return shipped(src, tgt)

    lexsim.table = table  # type: ignore[assignment]
    try:
        yield
    finally:
        lexsim.table = shipped  # type: ignore[assignment]


@contextmanager
def one_band() -> Iterator[None]:
    """The search without its coarse-to-fine part: one band around the diagonal, however long
    the document (the block levels are what finds a far-off path in long documents)."""
    import cleaners.align as aligner

    saved, aligner._COARSE_UNITS = aligner._COARSE_UNITS, 10**9
    try:
        yield
    finally:
        aligner._COARSE_UNITS = saved


@contextmanager
def patched(name: str, value: object) -> Iterator[None]:
    """One module constant of cleaners/align.py set to ``value`` for the block (an ablation
    of a part that has no config field)."""
    import cleaners.align as aligner

    saved = getattr(aligner, name)
    setattr(aligner, name, value)
    try:
        yield
    finally:
        setattr(aligner, name, saved)


def ablations(
    config: AlignConfig, langs: tuple[str, str]
) -> list[tuple[str, Callable[[Case], Beads]]]:
    """(label, aligner) per part taken out of the default path."""
    no_big = config.model_copy(update={"p_merge3": 1e-30})  # -log p = 69: never chosen

    def without(name: str, value: object) -> Callable[[Case], Beads]:
        def run(c: Case) -> Beads:
            with patched(name, value):
                return run_mtclean(c, config, False, langs)

        return run

    no_lex = config.model_copy(update={"lexical_weight": 0.0})
    # The score the config does not use for this pair: "auto" is coverage between two
    # languages in one script (identity keys in the word table), Dice otherwise.
    score = config.lexical_score
    if score == "auto":
        one_script = lexsim.available(*langs) and lexsim.table(*langs).identity
        score = "coverage" if one_script else "dice"
    other = "coverage" if score == "dice" else "dice"
    swapped = config.model_copy(update={"lexical_score": other})
    label = (
        "word table as per-sentence coverage"
        if other == "coverage"
        else "word table as one Dice per bead"
    )
    rows = [
        ("no word table", lambda c: run_mtclean(c, no_lex, False, langs)),
        (label, lambda c: run_mtclean(c, swapped, False, langs)),
    ]
    if lexsim.available(*langs) and lexsim.table(*langs).identity:  # parts only such pairs use
        no_cog = config.model_copy(update={"cognate_prefix": 0})
        rows.append(("no cognate keys", lambda c: run_mtclean(c, no_cog, False, langs)))
        rows.append(("no spelling folds in cognate keys", without("_SPELLING", False)))
        rows.append(("no Roman numerals as numbers", without("_ROMANS", False)))
        if "de" in langs:
            rows.append(("no parts of unknown German compounds", without("_COMPOUNDS", False)))
        rows.append(("no page furniture out of the costs", without("_FURNITURE", False)))
        rows.append(("no cheaper skip of page-number lines", without("_PAGE_NUMBERS", False)))
    rows += [
        ("no refit of the prior past 2-2", without("_BIG_TRIGGER", float("inf"))),
        ("no refit of the deletion prior (fixed p_skip)", without("_SKIP_REFIT", False)),
        ("no cheaper skip of contentless lines", without("_CONTENTLESS_SKIP", 0.0)),
        ("no second look at skipped sentences", without("_RECHECK", False)),
        ("no open-end cost (a sentence ending in , ; :)", without("_OPEN_END_COST", 0.0)),
        ("second look at long runs of skipped lines too", without("_BLOCK_RUN", 10**9)),
        ("no beads past 2-2", lambda c: run_mtclean(c, no_big, False, langs)),
        ("no coarse-to-fine", no_coarse_fn(config, langs)),
    ]
    return rows


def no_coarse_fn(config: AlignConfig, langs: tuple[str, str]) -> Callable[[Case], Beads]:
    def no_coarse(c: Case) -> Beads:
        with one_band():
            return run_mtclean(c, config, False, langs)

    return no_coarse


def run_galechurch_pkg(case: Case) -> Beads:
    import galechurch

    res = galechurch.align(case.ru, case.en)
    return [
        (tuple(range(b.source_start, b.source_end)), tuple(range(b.target_start, b.target_end)))
        for b in res.beads
    ]


def run_bleualign_pkg(case: Case) -> Beads:
    import io

    from bleualign.align import Aligner

    opts = {
        "srcfile": case.ru,
        "targetfile": case.en,
        "srctotarget": [case.mt],
        "verbosity": 0,
        "log_to": io.StringIO(),
        "output": None,
    }
    aligner = Aligner(opts)
    pairs = aligner.process(case.ru, case.en, [case.mt], [])
    return [(tuple(src), tuple(tgt)) for (src, tgt), _kind in pairs]


def tiny_argos_cases(cases: list[Case]) -> tuple[list[Case], str] | None:
    """The cases with the project's toy Argos model's retranslation as ``mt`` (if it is built).

    The toy model (tests/tiny_argos/build.py) only knows its own templated sentences: this
    shows the real install → translate → align path, not what a full ru→en model would give.
    """
    archives = sorted((REPO / ".cache" / "tiny-argos").glob("*/*.argosmodel"))
    archives = [a for a in archives if not a.parent.name.endswith("-base")] or archives
    if not archives:
        return None
    import tempfile

    from cleaners.config import TranslateConfig
    from cleaners.translate import Retranslator, TranslatorUnavailable

    try:
        cfg = TranslateConfig(
            enabled=True, package_path=str(archives[-1]), packages_dir=tempfile.mkdtemp()
        )
        tr = Retranslator.from_config(cfg)
    except TranslatorUnavailable as exc:
        print(f"note: tiny-argos not usable: {exc}")
        return None
    t0 = time.perf_counter()
    out = [Case(c.ru, c.en, tr.translate(c.ru), c.gold) for c in cases]
    n = sum(len(c.ru) for c in cases)
    return out, f"{n} sentences retranslated in {time.perf_counter() - t0:.1f} s"


def optional(name: str) -> str | None:
    """None when the PyPI aligner imports, else the reason it is left out."""
    try:
        __import__(name)
    except Exception as exc:  # noqa: BLE001 - any import failure means "not runnable here"
        return f"{type(exc).__name__}: {exc}"
    return None


# ---------------------------------------------------------------- scoring


def prf(cases: Sequence[Case], outputs: Sequence[Beads], with_null: bool) -> tuple[float, ...]:
    tp = n_test = n_gold = 0
    for case, out in zip(cases, outputs, strict=True):

        def keep(b: tuple[tuple[int, ...], tuple[int, ...]]) -> bool:
            return with_null or (bool(b[0]) and bool(b[1]))

        gold = {b for b in case.gold if keep(b)}
        test = {b for b in out if keep(b)}
        tp += len(gold & test)
        n_test += len(test)
        n_gold += len(gold)
    p = tp / n_test if n_test else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def paper_prf(cases: Sequence[Case], outputs: Sequence[Beads]) -> tuple[float, ...]:
    """Strict P/R/F1 as the published Text+Berg table counts them (Vecalign's ``score.py``):
    precision over every predicted bead, 1-0 and 0-1 included (a deletion is right when the
    gold has it too), recall over the gold beads with text on both sides."""
    tp_p = n_test = tp_r = n_gold = 0
    for case, out in zip(cases, outputs, strict=True):
        gold, test = set(case.gold), set(out)
        tp_p += len(test & gold)
        n_test += len(test)
        full_gold = {b for b in gold if b[0] and b[1]}
        tp_r += len(full_gold & test)
        n_gold += len(full_gold)
    p = tp_p / n_test if n_test else 0.0
    r = tp_r / n_gold if n_gold else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


# label, strict P, R, F1, F1 incl. null, paper F1, sentences per second
Row = tuple[str, float, float, float, float, float, float]


def scored_row(label: str, cases: Sequence[Case], outs: Sequence[Beads], dt: float) -> Row:
    p, r, f = prf(cases, outs, with_null=False)
    _, _, fn_ = prf(cases, outs, with_null=True)
    _, _, paper = paper_prf(cases, outs)
    n = sum(len(c.ru) + len(c.en) for c in cases)
    return label, p, r, f, fn_, paper, n / dt if dt else float("inf")


def evaluate(label: str, cases: list[Case], fn: Callable[[Case], Beads]) -> Row:
    t0 = time.perf_counter()
    outs = [fn(c) for c in cases]
    return scored_row(label, cases, outs, time.perf_counter() - t0)


def table(
    title: str,
    cases: list[Case],
    config: AlignConfig,
    ru_en: bool = True,
    heldout: str | None = None,
) -> dict[str, float]:
    """One table of figures; ``heldout`` names the sources (a path part) the held-out word
    table leaves out: the ``+lex (held-out table)`` row is the honest figure on dev data."""
    langs = LANGS if ru_en else ("de", "fr")
    pair = "-".join(langs)
    has_mt = all(c.mt is not None for c in cases)
    gold_kinds: dict[str, int] = {}
    for c in cases:
        for b in c.gold:
            k = f"{len(b[0])}-{len(b[1])}"
            gold_kinds[k] = gold_kinds.get(k, 0) + 1
    print(f"\n## {title}: {len(cases)} documents, gold beads {dict(sorted(gold_kinds.items()))}")
    no_lex = config.model_copy(update={"lexical_weight": 0.0})
    rows = [
        evaluate(
            "mtclean +lex (shipped table)", cases, lambda c: run_mtclean(c, config, False, langs)
        ),
        evaluate(
            "mtclean (length+anchors, no lex)", cases, lambda c: run_mtclean(c, no_lex, False)
        ),
        evaluate(
            "Gale-Church (mtclean method)",
            cases,
            lambda c: run_mtclean(c, config.model_copy(update={"method": "gale-church"}), False),
        ),
    ]
    notes = []
    # What each part contributes: the default path with one part taken out, scored with the
    # held-out table where there is one (the shipped table saw the dev sets).
    parts: list[Row] = []
    if heldout is not None:
        with heldout_lexicon(pair, heldout) as how:
            rows.insert(
                1,
                evaluate(
                    "mtclean +lex (held-out table)",
                    cases,
                    lambda c: run_mtclean(c, config, False, langs),
                ),
            )
            rows.insert(2, bootstrap_row(cases, config, langs, notes))
            parts = [
                evaluate(f"ablation (held-out table): {label}", cases, fn)
                for label, fn in ablations(config, langs)
            ]
        notes.append(f"held-out: {how}")
    else:
        parts = [
            evaluate(f"ablation: {label}", cases, fn) for label, fn in ablations(config, langs)
        ]
    if has_mt:
        rows.insert(
            3 if heldout is not None else 2,
            evaluate(
                f"mtclean +lex +MT ({MT_SYSTEM} as retranslation)",
                cases,
                lambda c: run_mtclean(c, config, True),
            ),
        )
    tiny = tiny_argos_cases(cases) if ru_en else None
    if tiny is not None:
        rows.insert(
            3,
            evaluate(
                "mtclean +MT (toy tiny-argos model)",
                tiny[0],
                lambda c: run_mtclean(c, config, True),
            ),
        )
        notes.append(f"tiny-argos: {tiny[1]} (toy model: its translations of news are noise)")
    rows += parts
    why = optional("galechurch")
    if why is None:
        rows.append(evaluate("galechurch (PyPI 0.1.0, defaults)", cases, run_galechurch_pkg))
    else:
        notes.append(f"galechurch (PyPI): not runnable here ({why})")
    why = optional("bleualign.align")
    if why is None and has_mt:
        rows.append(
            evaluate(
                f"bleualign (PyPI pypi-bleualign, {MT_SYSTEM} as MT)", cases, run_bleualign_pkg
            )
        )
    elif why is not None:
        notes.append(f"bleualign (PyPI pypi-bleualign): not runnable here ({why})")
    print(f"| {'aligner':<62} | strict P | strict R | strict F1 | F1 incl. null | paper F1 "
          "| sent/s |")  # fmt: skip
    print(f"|{'-' * 64}|----------|----------|-----------|---------------|----------|--------|")
    for label, p, r, f, fn_, paper, sps in rows:
        print(f"| {label:<62} | {p:8.4f} | {r:8.4f} | {f:9.4f} | {fn_:13.4f} | {paper:8.4f} "
              f"| {sps:6.0f} |")  # fmt: skip
    base = next(row[3] for row in rows if row[0].startswith("Gale-Church"))
    ours = rows[0][3] if heldout is None else rows[1][3]
    which = "mtclean held-out" if heldout else "mtclean"
    print(f"F1 ratio {which} / Gale-Church: {ours / base:.3f} (error ratio "
          f"{(1 - ours) / max(1 - base, 1e-9):.3f})")  # fmt: skip
    for note in notes:
        print("note:", note)
    return {row[0]: row[3] for row in rows}


def load_textberg(name: str) -> list[Case]:
    """Text+Berg de–fr with its gold beads (real merges and gaps, no synthetic damage).

    German goes in the ``ru`` slot, French in ``en``: a language-agnostic check of the
    aligner (transliteration and the ru→en word table do nothing here).
    """
    base = DATA / "textberg-bleualign-de-fr"
    de, fr = _lines(base / f"{name}.de"), _lines(base / f"{name}.fr")
    gold: Beads = []
    for line in _lines(base / f"{name}.defr"):
        left, right = line.split(":")
        gold.append((tuple(json.loads(left)), tuple(json.loads(right))))
    return [Case(de, fr, None, gold)]


def textberg_parts(case: Case, k: int) -> list[Case]:
    """``case`` cut into ``k`` documents of about as many gold beads, each cut where every
    bead before it lies wholly before every bead after it on both sides (so no gold bead is
    lost), each renumbered from 0: documents of the test documents' size (93–156 lines) from
    the one long dev document."""
    gold = case.gold

    def span(beads: Beads, side: int) -> list[int]:
        return [x for b in beads for x in b[side]]

    cuts = [
        t
        for t in range(1, len(gold))
        if all(
            max(span(gold[:t], s), default=-1) < min(span(gold[t:], s), default=1 << 30)
            for s in (0, 1)
        )  # fmt: skip
    ]
    picked = [min(cuts, key=lambda t: abs(t - len(gold) * q / k)) for q in range(1, k)]
    parts = []
    for a, z in zip([0, *picked], [*picked, len(gold)], strict=True):
        beads = gold[a:z]
        r0, r1 = min(span(beads, 0)), max(span(beads, 0)) + 1
        e0, e1 = min(span(beads, 1)), max(span(beads, 1)) + 1
        parts.append(Case(case.ru[r0:r1], case.en[e0:e1], None, [
            (tuple(i - r0 for i in r), tuple(j - e0 for j in e)) for r, e in beads
        ]))  # fmt: skip
    return parts


@contextmanager
def cross_fold_lexicon(parts: Sequence[Case]) -> Iterator[None]:
    """Swap in the de–fr table built from FLORES dev, the dictionaries and ``parts`` (the other
    fold's Text+Berg documents, in place of the whole dev document): as the shipped table, which
    saw dev, stands to the test documents."""
    from cleaners.lexsim import build

    extra = [
        (" ".join(c.ru[i] for i in r), " ".join(c.en[j] for j in e))
        for c in parts
        for r, e in c.gold
        if r and e
    ]
    saved_sources, saved_read = build.SOURCES["de-fr"], build.read_pairs
    build.SOURCES["de-fr"] = [f for f in saved_sources if "textberg" not in f[0]]
    build.read_pairs = lambda data, pair: saved_read(data, pair) + extra  # type: ignore[assignment]
    try:
        text = build.build(DATA, "de-fr")
    finally:
        build.SOURCES["de-fr"], build.read_pairs = saved_sources, saved_read
    with swapped_table("de-fr", text):
        yield


def folds_table(config: AlignConfig, ks: Sequence[int]) -> None:
    """Text+Berg dev by folds: the dev document cut into ``k`` parts (``textberg_parts``),
    fold A the even parts and fold B the odd ones, each part aligned as its own document with
    the held-out table (FLORES dev + the de–fr dictionaries), then with cross-fold tables
    (the same + the other fold, ``cross_fold_lexicon``). A change tuned on
    one fold should gain on the other too; the one dev document tuned everything so far, and
    its gains carried over to test only in part."""
    whole = load_textberg("dev")[0]
    langs = ("de", "fr")
    print("\n## Text+Berg de-fr dev by folds (parts aligned as documents)")
    print("| aligner | " + " | ".join(f"k={k} A | k={k} B" for k in ks) + " | whole |")
    print("|---|" + "---|---|" * len(ks) + "---|")
    with heldout_lexicon("de-fr", "textberg"):
        rows = [("mtclean +lex (held-out table: FLORES dev + dictionaries)",
                 lambda c: run_mtclean(c, config, False, langs))]  # fmt: skip
        rows += [(f"ablation: {label}", fn) for label, fn in ablations(config, langs)]
        for label, fn in rows:
            # Each cell as strict F1 and as the published table's scorer (``paper_prf``).
            cells: list[float] = []
            paper: list[float] = []
            folds = [half for k in ks for parts in [textberg_parts(whole, k)]
                     for half in (parts[0::2], parts[1::2])]  # fmt: skip
            for fold in [*folds, [whole]]:
                outs = [fn(c) for c in fold]
                cells.append(prf(fold, outs, with_null=False)[2])
                paper.append(paper_prf(fold, outs)[2])
            print(f"| {label} | " + " | ".join(f"{x:.4f}" for x in cells) + " |")
            print(f"| {label} (paper F1) | " + " | ".join(f"{x:.4f}" for x in paper) + " |")
        # +bootstrap: a fold's parts are one run (pairs learned across them); the whole
        # document alone is a run of one, where nothing is learned (two documents needed).
        cells, learned_n = [], []
        for k in ks:
            parts = textberg_parts(whole, k)
            for fold in (parts[0::2], parts[1::2]):
                outs, learned = run_bootstrap(fold, config, langs)
                cells.append(prf(fold, outs, with_null=False)[2])
                learned_n.append(len(learned))
        outs, _ = run_bootstrap([whole], config, langs)
        cells.append(prf([whole], outs, with_null=False)[2])
        print("| mtclean +lex +bootstrap (held-out table; a fold's parts one run) | "
              + " | ".join(f"{x:.4f}" for x in cells) + " |")  # fmt: skip
        print(f"(bootstrap key pairs learned per fold: {learned_n})")
    # The same with each fold scored by a table that saw the other fold (no whole figure).
    # (Cells equal to the held-out ones are no stale table: at k=2 and 4 the two tables differ
    # on ~2,100 keys, the one-Dice ablation's cells move, the coverage path's beads do not.)
    rows = [("mtclean +lex (cross-fold tables: + other fold)",
             lambda c: run_mtclean(c, config, False, langs))]  # fmt: skip
    rows += [
        (f"ablation (cross-fold tables): {label}", fn) for label, fn in ablations(config, langs)
    ]
    cells_of: dict[str, list[float]] = {label: [] for label, _ in rows}
    for k in ks:
        parts = textberg_parts(whole, k)
        for fold, other in ((parts[0::2], parts[1::2]), (parts[1::2], parts[0::2])):
            with cross_fold_lexicon(other):
                for label, fn in rows:
                    cells_of[label].append(prf(fold, [fn(c) for c in fold], with_null=False)[2])
    for label, cells in cells_of.items():
        print(f"| {label} | " + " | ".join(f"{x:.4f}" for x in cells) + " | — |")


def big_document(docs: list[Doc], size: int, seed: int) -> Case:
    """One long document: all documents, damaged, concatenated (repeated until ``size``)."""
    ru: list[str] = []
    en: list[str] = []
    gold: Beads = []
    rounds = 0
    while len(ru) < size:
        for case in make_cases(docs, seed + rounds):
            a, b = len(ru), len(en)
            gold.extend((tuple(i + a for i in r), tuple(j + b for j in e)) for r, e in case.gold)
            ru.extend(case.ru)
            en.extend(case.en)
        rounds += 1
    return Case(ru, en, None, gold)


_CHILD = """
import json, sys, time
sys.path.insert(0, {repo!r})


def hwm():  # peak RSS of this process in kB (ru_maxrss would carry the parent's over exec)
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))


from cleaners.align import align
from cleaners.config import AlignConfig
ru = open({ru!r}, encoding="utf-8").read().split("\\n")
en = open({en!r}, encoding="utf-8").read().split("\\n")
config = AlignConfig(**{config!r})
align(ru[:50], en[:50], config)  # tables loaded: part of the base
base = hwm()
c0 = time.process_time()
beads = align(ru, en, config)
cpu = time.process_time() - c0
peak = hwm()
print(json.dumps({{"cpu": cpu, "base_kb": base, "peak_kb": peak,
                  "beads": [[list(b.ru), list(b.en)] for b in beads]}}))
"""


def measure(case: Case, config: dict[str, object]) -> dict[str, float]:
    """One alignment of ``case`` in a fresh process that reads it from files: CPU seconds,
    the peak RSS above the process's own before aligning, strict F1."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        ru, en = Path(tmp) / "ru.txt", Path(tmp) / "en.txt"
        ru.write_text("\n".join(case.ru), encoding="utf-8")
        en.write_text("\n".join(case.en), encoding="utf-8")
        code = _CHILD.format(repo=str(REPO), ru=str(ru), en=str(en), config=config)
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
    r = json.loads(out.strip().splitlines()[-1])
    beads = [(tuple(a), tuple(b)) for a, b in r.pop("beads")]
    r["f1"] = prf([case], [beads], with_null=False)[2]
    return r


def speed(sizes: Sequence[int]) -> None:
    """Scaling: sentences → CPU time and peak memory, lexical path vs Gale-Church (mtclean's)."""
    print("\n## Scaling: one long document (dev documents, damaged, concatenated), fresh process")
    print(
        "| ru × en sentences | text MB | mtclean +lex CPU s | sent/CPU s | peak MB above base "
        "| × text | strict F1 | Gale-Church CPU s | GC peak MB | GC strict F1 |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    docs = load_wmt("wmt21-newstest-ru-en") + load_flores("dev")
    for size in sizes:
        case = big_document(docs, size, seed=7)
        r = measure(case, {})
        g = measure(case, {"method": "gale-church"})
        r["ru"], r["en"] = len(case.ru), len(case.en)
        r["bytes"] = sum(len(x.encode()) + 1 for x in case.ru + case.en)
        mb = r["bytes"] / 1e6
        above = (r["peak_kb"] - r["base_kb"]) / 1024
        gc_above = (g["peak_kb"] - g["base_kb"]) / 1024
        print(
            f"| {r['ru']} × {r['en']} | {mb:.1f} | {r['cpu']:.2f} | "
            f"{(r['ru'] + r['en']) / r['cpu']:.0f} | {above:.0f} | {above / mb:.0f} | "
            f"{r['f1']:.4f} | {g['cpu']:.2f} | {gc_above:.0f} | {g['f1']:.4f} |"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reserved", action="store_true", help="also report WMT22 + FLORES devtest")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--sizes",
        default="1000,5000,20000,60000",
        help="sentences per side in the scaling table (comma-separated; empty: none)",
    )
    ap.add_argument(
        "--folds",
        default="",
        help="only the Text+Berg dev folds table, the document cut into each of these numbers "
        "of parts (comma-separated, e.g. 2,4,6; fold A = even parts, B = odd ones)",
    )
    args = ap.parse_args()
    if not DATA.exists():
        sys.exit(f"no data: {DATA} is missing")
    config = AlignConfig()
    if args.folds:
        folds_table(config, [int(x) for x in args.folds.split(",")])
        return
    print(f"mtclean align bench; seed {args.seed}; config {config.model_dump()}")
    print(
        "sentalign / sentweave / bertalign (PyPI, Vecalign/Bertalign DP): left out — they need "
        "a sentence-embedding model fetched from a model hub at run time (no network here)."
    )
    wmt21 = load_wmt("wmt21-newstest-ru-en")
    flores = load_flores("dev")
    table("WMT21 news (dev)", make_cases(wmt21, args.seed), config, heldout="wmt21")
    table("FLORES-200 dev", make_cases(flores, args.seed), config, heldout="flores200")
    mt_en = load_wmt("wmt21-newstest-ru-en", "hyp.Online-A.en.txt")
    table("WMT21 news (dev), English = MT system Online-A, as in production", make_cases(
        mt_en, args.seed), config, heldout="wmt21")  # fmt: skip
    table("Text+Berg de-fr dev (real gold beads, no damage)", load_textberg("dev"), config, False,
          heldout="textberg")  # fmt: skip
    table("FLORES-200 dev, de-fr (news, damaged as ru-en is)", make_cases(load_flores(
        "dev", "deu_Latn", "fra_Latn"), args.seed), config, False, heldout="flores200")  # fmt: skip
    if args.reserved:
        tb = [c for k in range(7) for c in load_textberg(f"test{k}")]
        table("Text+Berg de-fr test0-6 (RESERVED, report only)", tb, config, False)
        table("WMT22 general (RESERVED, report only)", make_cases(load_wmt(
            "wmt22-generaltest-ru-en"), args.seed), config)  # fmt: skip
        table("FLORES-200 devtest (RESERVED, report only)",
              make_cases(load_flores("devtest"), args.seed), config)  # fmt: skip
    speed([int(x) for x in args.sizes.split(",") if x])


if __name__ == "__main__":
    main()
