"""Build ``data/adequacy.json``: fit the adequacy model on dev data with generated negatives.

    PYTHONPATH=. python -m cleaners.build_adequacy          # writes cleaners/data/adequacy.json
    PYTHONPATH=. python -m cleaners.build_adequacy --check  # exit 1 when the table is stale

Build-time only (the run never imports it). Dev sets only, read from the shared data folder
(``$MTCLEAN_DATA``, else ``../shared/data`` beside the repo, else ``/work/shared/data``):
WMT21 (ref A; one MT system's output stands in for the retranslation), FLORES-200 ``dev.*``,
Tatoeba and TICO-19. Pairs are split by a hash of their document: the ``fit`` half trains the
model, the ``eval`` half is what ``bench/filters.py`` measures on. The same noise generator
(:func:`noisy`) serves both; the fit also sees the beads the aligner makes of the fit half's
documents, with their own English (clean) and with another document's (:func:`document_beads`),
and fit-half pairs given the same invented shop-title names on both sides (:func:`shared_names`).
Everything is seeded: the same data gives the same table byte for byte.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import random
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from cleaners import adequacy
from cleaners.adequacy import CALIBRATION_ONLY, FEATURES, Model

ROOT = Path(__file__).resolve().parent.parent
SEED = 14
TATOEBA_MAX = 3000  # Tatoeba holds 19k short pairs; a sample keeps the fit balanced by source
FIT_PER_KIND = 1500  # negatives of each kind the fit sees (all clean pairs are used)
SHARED_NAMES = 1000  # clean pairs with shop-title names inserted, and as many misaligned
HARD_DRAWS = 3  # draws of the hard negatives the fit sees
HARD = ("misaligned", "truncated")
MT_SYSTEM = "Online-B"  # stands in for the retranslation of the WMT21 Russian
FLORES_OTHER = {"ru": ("ukr", "bul", "bel", "srp", "mkd", "kaz"), "en": ("deu", "fra")}
FLORES_CODES = {"ukr": "uk", "bul": "bg", "bel": "be", "srp": "sr", "mkd": "mk", "kaz": "kk",
                "deu": "de", "fra": "fr"}  # fmt: skip


def data_dir() -> Path | None:
    """The shared data folder, or None when it is not on this machine."""
    for cand in (os.environ.get("MTCLEAN_DATA"), ROOT.parent / "shared" / "data",
                 "/work/shared/data"):  # fmt: skip
        if cand and (Path(cand) / "flores200").is_dir():
            return Path(cand)
    return None


@dataclass
class Pair:
    """A dev sentence pair with what the noise generator may need."""

    source: str
    doc: str
    ru: str
    en: str
    mt: str | None = None  # MT of ``ru`` (WMT21 only)
    other: dict[str, str] = field(default_factory=dict)  # FLORES: same sentence, other languages

    @property
    def half(self) -> str:
        # By document: the mismatched-document measure aligns whole documents the fit never saw.
        h = hashlib.sha256(f"{self.source}/{self.doc}".encode()).digest()[0]
        return "fit" if h % 2 == 0 else "eval"


def _lines(path: Path) -> list[str]:
    return path.read_text("utf-8").splitlines()


def wmt_pairs(folder: Path, source: str) -> list[Pair]:
    """A WMT ru–en set's pairs (reference A; :data:`MT_SYSTEM`'s English as ``mt``)."""
    docs = [line.split("\t")[1] for line in _lines(folder / "docs.tsv")[1:]]
    mt = _lines(folder / "system_outputs" / f"hyp.{MT_SYSTEM}.en.txt")
    ru_l, en_l = _lines(folder / "src.ru.txt"), _lines(folder / "ref.A.en.txt")
    return [
        Pair(source, docs[k], ru, en, mt=mt[k])
        for k, (ru, en) in enumerate(zip(ru_l, en_l, strict=True))
    ]


def flores_pairs(folder: Path, split: str, source: str) -> list[Pair]:
    """FLORES-200 ``split`` ("dev", "devtest") ru–en pairs, with the other languages' lines."""
    docs = [line.split("\t")[1] for line in _lines(folder / f"docs_{split}.tsv")[1:]]
    ru_l = _lines(folder / f"{split}.rus_Cyrl.txt")
    en_l = _lines(folder / f"{split}.eng_Latn.txt")
    others = {c: _lines(folder / f"{split}.{c}_{'Latn' if c in ('deu', 'fra') else 'Cyrl'}.txt")
              for side in FLORES_OTHER.values() for c in side}  # fmt: skip
    out = []
    for k, (ru, en) in enumerate(zip(ru_l, en_l, strict=True)):
        other = {FLORES_CODES[c]: lines[k] for c, lines in others.items()}
        out.append(Pair(source, docs[k], ru, en, other=other))
    return out


def dev_pairs(data: Path | None = None) -> list[Pair]:
    """Every dev pair, in a fixed order (source, then line)."""
    data = data or data_dir()
    if data is None:
        raise FileNotFoundError("the shared data folder is absent (set MTCLEAN_DATA)")
    out = wmt_pairs(data / "wmt21-newstest-ru-en", "wmt21")
    out += flores_pairs(data / "flores200", "dev", "flores")
    t = data / "tatoeba-test-v2021-08-07-ru-en"
    labels = _lines(t / "rus.labels.txt")
    tat = [
        (ru, en)
        for ru, en, lab in zip(_lines(t / "rus.txt"), _lines(t / "eng.txt"), labels, strict=True)
        if lab == "rus"
    ]
    rng = random.Random(SEED)
    for k in sorted(rng.sample(range(len(tat)), min(TATOEBA_MAX, len(tat)))):
        out.append(Pair("tatoeba", f"tatoeba-{k // 50}", *tat[k]))
    c = data / "tico19-test-ru-en"
    for k, (ru, en) in enumerate(zip(_lines(c / "rus.txt"), _lines(c / "eng.txt"), strict=True)):
        out.append(Pair("tico19", f"tico-{k // 50}", ru, en))
    return [p for p in out if p.ru.strip() and p.en.strip()]


# ---------------------------------------------------------------- noise

NOISE_KINDS = (
    "misaligned",
    "untranslated",
    "wrong-language",
    "number-mismatch",
    "truncated",
    "duplicate",
    "near-duplicate",
    "related",
)
ADEQUACY_NEGATIVES = NOISE_KINDS[:5]
# The fit's detectors: the generated negatives and the beads of mismatched documents. The
# related pairs weigh the calibration's unsupported term only (see fit_model).
DETECTORS = (*ADEQUACY_NEGATIVES, "mismatched")


@dataclass(frozen=True)
class Noisy:
    """One pair of the noisy set: ``kind`` is ``clean`` or a noise kind."""

    kind: str
    ru: str
    en: str
    mt: str | None
    source: str


_NUM = re.compile(r"\d+")


def _change_number(ru: str, en: str, rng: random.Random) -> tuple[str, str] | None:
    """Change one number both sides share, on one side ("110 стран" ↔ "10 countries")."""
    shared = sorted(set(_NUM.findall(ru)) & set(_NUM.findall(en)))
    if not shared:
        return None
    num = rng.choice(shared)
    value = int(num)
    choices = [value + rng.randint(1, 9), value * 10, value // 10 if value >= 10 else value + 10]
    new = str(rng.choice(choices))
    if rng.random() < 0.5:
        return re.sub(rf"(?<!\d){num}(?!\d)", new, ru, count=1), en
    return ru, re.sub(rf"(?<!\d){num}(?!\d)", new, en, count=1)


def _truncate(text: str, rng: random.Random) -> str | None:
    words = text.split()
    if len(words) < 6:
        return None
    keep = max(2, round(len(words) * rng.uniform(0.3, 0.65)))
    cut = " ".join(words[:keep]).rstrip(",;:—–-")
    # Half of the time the cut side still ends a sentence (a dropped clause, a split that
    # went wrong): the end punctuation alone must not give truncation away.
    if text[-1] in ".!?…" and rng.random() < 0.5:
        cut += text[-1]
    return cut


def _near(ru: str, en: str, rng: random.Random) -> tuple[str, str]:
    """The same pair written slightly differently: case, punctuation, spacing."""

    def vary(text: str) -> str:
        ops = [
            lambda s: s.lower(),
            lambda s: s.rstrip(".!?…") if s.rstrip(".!?…") != s else s + ".",
            lambda s: s.replace(" ", "  ", 1) if " " in s else s + " ",
            lambda s: s.replace(",", "", 1) if "," in s else s.upper(),
            lambda s: s.replace('"', "«", 1).replace('"', "»", 1) if '"' in s else " " + s,
        ]
        return rng.choice(ops)(text)

    return vary(ru), vary(en)


def noisy(pairs: Sequence[Pair], seed: int = SEED, per_kind: int | None = None) -> list[Noisy]:
    """Clean pairs and, for each noise kind, the same number of noisy ones (or ``per_kind``).

    Misaligned pairs take the English of another sentence: a neighbour in the same document
    (what a slipping aligner produces), one of about the same length, or any. Wrong-language
    pairs take the same sentence in another language from FLORES (Ukrainian, Bulgarian, ...
    for Russian; German, French for English). Number changes and truncations are applied
    where they can be. Related pairs (:func:`_related`) give a short pair another short
    sentence's English sharing one content word with its own, or none.
    """
    rng = random.Random(seed)
    n = per_kind or len(pairs)
    out = [Noisy("clean", p.ru, p.en, p.mt, p.source) for p in pairs]
    order = list(range(len(pairs)))

    def draw() -> Iterator[int]:
        while True:
            rng.shuffle(order)
            yield from list(order)

    by_doc: dict[str, list[int]] = {}
    for k, p in enumerate(pairs):
        by_doc.setdefault(p.doc, []).append(k)
    flores = [k for k, p in enumerate(pairs) if p.other]
    makers = {
        "misaligned": lambda k: _misalign(pairs, k, by_doc, rng),
        "untranslated": lambda k: (
            (pairs[k].ru, pairs[k].ru) if rng.random() < 0.7 else (pairs[k].en, pairs[k].en)
        ),
        "number-mismatch": lambda k: _change_number(pairs[k].ru, pairs[k].en, rng),
        "truncated": lambda k: _truncated_pair(pairs[k], rng),
        "duplicate": lambda k: (pairs[k].ru, pairs[k].en),
        "near-duplicate": lambda k: _near(pairs[k].ru, pairs[k].en, rng),
        "related": lambda k: _related(pairs, k, related, rng),
    }
    related = related_index(pairs)
    for kind in NOISE_KINDS:
        made = 0
        tries = 0
        if kind == "wrong-language":
            for k in (flores * (n // max(len(flores), 1) + 1))[:n]:
                p = pairs[k]
                side = "ru" if rng.random() < 0.5 else "en"
                code = rng.choice([FLORES_CODES[c] for c in FLORES_OTHER[side]])
                ru, en = (p.other[code], p.en) if side == "ru" else (p.ru, p.other[code])
                out.append(Noisy(kind, ru, en, p.mt, p.source))
            continue
        for k in draw():
            if made >= n or tries > 20 * n:
                break
            tries += 1
            got = makers[kind](k)
            if got is None:
                continue
            out.append(Noisy(kind, got[0], got[1], pairs[k].mt, pairs[k].source))
            made += 1
    return out


# Pairs this short (Russian words) are the related-noise kind's: a long wrong pair leaves
# many words untranslated, a short one few, so sharing one word is what a short one gets away
# with.
RELATED_MAX_WORDS = adequacy.UNSUPPORTED_MAX_WORDS  # the pairs the unsupported term reads
_EN_CONTENT = re.compile(r"[a-z]{4,}")


def _en_content(text: str) -> frozenset[str]:
    """An English side's content words (lower case, 4+ letters, not a function word)."""
    from cleaners.align import _stopwords

    return frozenset(_EN_CONTENT.findall(text.lower())) - _stopwords()


def related_index(pairs: Sequence[Pair]) -> dict[str, list[int]]:
    """For :func:`_related`: the short pairs (:data:`RELATED_MAX_WORDS`) by each content word
    of their English."""
    index: dict[str, list[int]] = {}
    for k, p in enumerate(pairs):
        if len(p.ru.split()) <= RELATED_MAX_WORDS:
            for w in sorted(_en_content(p.en)):
                index.setdefault(w, []).append(k)
    return index


def _related(pairs: Sequence[Pair], k: int, index: dict[str, list[int]],
             rng: random.Random) -> tuple[str, str] | None:  # fmt: skip
    """A short pair's Russian with another short sentence's English that shares exactly one
    content word with the right English ("В городе открылась новая библиотека" ↔ "The
    government approved a new budget"): the same topic or one word in common, the rest
    unrelated. A pair whose words no other English shares gets any short English of about its
    length (a greeting with another greeting). None for a long pair."""
    p = pairs[k]
    if len(p.ru.split()) > RELATED_MAX_WORDS:
        return None
    mine = _en_content(p.en)
    for w in rng.sample(sorted(mine), len(mine)):
        cands = [j for j in index.get(w, ()) if len(_en_content(pairs[j].en) & mine) == 1
                 and pairs[j].en.lower() != p.en.lower()]  # fmt: skip
        if cands:
            return p.ru, pairs[rng.choice(cands)].en
    short = [j for j in rng.sample(range(len(pairs)), min(400, len(pairs)))
             if len(pairs[j].ru.split()) <= RELATED_MAX_WORDS
             and not _en_content(pairs[j].en) & mine
             and abs(len(pairs[j].en) - len(p.en)) <= 0.3 * len(p.en) + 3]  # fmt: skip
    return (p.ru, pairs[short[0]].en) if short else None


def _misalign(pairs: Sequence[Pair], k: int, by_doc: dict[str, list[int]],
              rng: random.Random) -> tuple[str, str] | None:  # fmt: skip
    """Another sentence's English: a neighbour in the document, one of about the same length
    (what an aligner is drawn to when nothing else tells), or any."""
    p = pairs[k]
    doc = by_doc[p.doc]
    pick = rng.random()
    if pick < 0.35 and len(doc) > 1:
        i = doc.index(k)
        j = doc[i + 1] if i + 1 < len(doc) else doc[i - 1]
    elif pick < 0.8:
        near = [j for j in rng.sample(range(len(pairs)), min(200, len(pairs)))
                if abs(len(pairs[j].en) - len(p.en)) <= 0.15 * len(p.en) + 3]  # fmt: skip
        if not near:
            return None
        j = near[0]
    else:
        j = rng.randrange(len(pairs))
    if pairs[j].en == p.en:
        return None
    return p.ru, pairs[j].en


# ---------------------------------------------------------------- shared names

_SYLLABLES = ("ka", "lo", "mi", "ren", "tu", "vo", "xi", "za", "bel", "cor", "dex", "fin",
              "gra", "hel", "ion", "jet", "kor", "lux", "mar", "nov", "pro", "qua", "sen",
              "tec", "vit", "wel")  # fmt: skip
_SPECS = ("5G", "4K", "UHD", "Wi-Fi 6", "USB-C", "SSD", "Pro", "Max", "Lite", "Smart", "OC",
          "Black", "White", "Grey", "Plus", "Ultra", "Mini", "Air")  # fmt: skip
# (Russian, English) units: a shop title writes "8 ГБ" where the English has "8 GB".
_UNITS = (("ГБ", "GB"), ("ТБ", "TB"), ("мм", "mm"), ("см", "cm"), ("Вт", "W"), ("кг", "kg"),
          ("л", "l"), ("мАч", "mAh"), ("В", "V"), ("Гц", "Hz"))  # fmt: skip


def _brand(rng: random.Random) -> str:
    word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3)))
    return word.upper() if rng.random() < 0.3 else word.capitalize()


def _code(rng: random.Random) -> str:
    letters = "".join(rng.choice("ABCDEFGHKLMNPRSTUVWXZ") for _ in range(rng.randint(1, 4)))
    digits = str(rng.randint(1, 9999))
    code = letters + digits if rng.random() < 0.7 else f"{letters}-{digits}"
    return code + rng.choice(("", "", "X", "DS", "M5", "AX"))


def shop_names(rng: random.Random) -> tuple[str, str]:
    """A shop title's Latin part as the Russian and the English write it: a brand, model
    codes and specifications, and maybe a size (Cyrillic "х" in the Russian) or a unit
    (ГБ ↔ GB). Invented (seeded), never taken from a data set.

    >>> shop_names(random.Random(1))
    ('Marwel DTS7738 2,4 л', 'Marwel DTS7738 2.4 l')
    """
    parts = [_brand(rng), _code(rng)]
    parts += rng.sample(_SPECS, rng.randint(0, 2))
    ru, en = " ".join(parts), " ".join(parts)
    extra = rng.random()
    if extra < 0.3:
        dims = [str(rng.choice((40, 60, 80, 90, 120, 140, 160, 190, 200))) for _ in range(2)]
        dims += [str(rng.randint(5, 40))] if rng.random() < 0.5 else []
        ru, en = f"{ru} {'х'.join(dims)}", f"{en} {'x'.join(dims)}"
    elif extra < 0.6:
        num = rng.choice(("8", "16", "45", "256", "1450", "1,5", "2,4"))
        unit_ru, unit_en = rng.choice(_UNITS)
        ru, en = f"{ru} {num} {unit_ru}", f"{en} {num.replace(',', '.')} {unit_en}"
    return ru, en


def _insert(text: str, names: str, where: float) -> str:
    """``names`` at the start, after the first word, or before the end punctuation."""
    if where < 0.3:
        return f"{names} {text}"
    if where < 0.5 and " " in text:
        first, rest = text.split(" ", 1)
        return f"{first} {names} {rest}"
    body = text.rstrip(".!?…")
    return f"{body} {names}{text[len(body) :]}"


def _short_pairs(pairs: Sequence[Pair]) -> list[int]:
    return [k for k, p in enumerate(pairs) if len(p.ru.split()) <= 8]


def shared_names(pairs: Sequence[Pair], n: int, seed: int = SEED) -> list[Noisy]:
    """Pairs sharing Latin names on both sides, the way a shop title keeps its brand, model
    code, size and units: ``n`` clean ones (the names inserted at the same place in both
    sides of a dev pair, a short one half of the time, so the names may outweigh the Russian
    words), ``n`` misaligned ones (the same names on both sides of mismatched sentences of
    about the same length: shared names alone do not make a translation) and ``n // 2``
    untranslated ones (the Russian side, names and all, in the English slot)."""
    rng = random.Random(seed)
    short = _short_pairs(pairs)
    out: list[Noisy] = []
    for kind, count in (("clean", n), ("misaligned", n), ("untranslated", n // 2)):
        for _ in range(count):
            k = rng.choice(short) if short and rng.random() < 0.5 else rng.randrange(len(pairs))
            p = pairs[k]
            en = p.en
            if kind == "misaligned":
                # Another sentence of about the same length: the names must not be the
                # only thing that tells.
                near = [j for j in rng.sample(range(len(pairs)), min(200, len(pairs)))
                        if abs(len(pairs[j].en) - len(p.en)) <= 0.2 * len(p.en) + 5
                        and pairs[j].en != p.en]  # fmt: skip
                if not near:
                    continue
                en = pairs[near[0]].en
            names_ru, names_en = shop_names(rng)
            where = rng.random()
            ru = _insert(p.ru, names_ru, where)
            en = ru if kind == "untranslated" else _insert(en, names_en, where)
            out.append(Noisy(kind, ru, en, None, "names"))
    return out


def document_beads(pairs: Sequence[Pair]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(true, mismatched) beads: each WMT/FLORES document of ``pairs`` aligned by
    :func:`cleaners.align.align` with its own English, and with the next document's in a
    seeded shuffle. The mismatched beads are the wrong pairs an aligner picks when it must
    (the closest-looking sentences, often sharing a name or a number), harder than drawn ones;
    the true beads include the 2-1 joins a real document gives."""
    from cleaners.align import align

    docs: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for p in pairs:
        if p.source.startswith(("wmt", "flores")):
            docs.setdefault((p.source, p.doc), []).append((p.ru, p.en))
    keys = sorted(docs)
    random.Random(SEED).shuffle(keys)
    out: tuple[list[tuple[str, str]], list[tuple[str, str]]] = ([], [])
    for k, key in enumerate(keys):
        ru = [r for r, _ in docs[key]]
        for side, other in ((0, key), (1, keys[(k + 1) % len(keys)])):
            en = [e for _, e in docs[other]]
            for b in align(ru, en):
                if b.ru and b.en:
                    out[side].append((" ".join(ru[i] for i in b.ru), " ".join(en[j] for j in b.en)))
    return out


def _truncated_pair(p: Pair, rng: random.Random) -> tuple[str, str] | None:
    if rng.random() < 0.5:
        ru = _truncate(p.ru, rng)
        return (ru, p.en) if ru else None
    en = _truncate(p.en, rng)
    return (p.ru, en) if en else None


# ---------------------------------------------------------------- fitting


def fit_logistic(x: np.ndarray, y: np.ndarray, w: np.ndarray, l2: float = 1.0
                 ) -> tuple[np.ndarray, float]:  # fmt: skip
    """Weighted L2-regularised logistic regression by Newton's method (x standardised)."""
    xb = np.hstack([x, np.ones((len(x), 1))])
    beta = np.zeros(xb.shape[1])
    reg = np.full(xb.shape[1], l2)
    reg[-1] = 0.0  # the bias is not shrunk
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-np.clip(xb @ beta, -40, 40)))
        grad = xb.T @ (w * (p - y)) + reg * beta
        hess = (xb * (w * p * (1 - p))[:, None]).T @ xb + np.diag(reg)
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    return beta[:-1], float(beta[-1])


def heldout_table(half: str, data: Path | None = None) -> Any:
    """The word table (both ways, as :func:`cleaners.adequacy.default_table`) built by
    :mod:`cleaners.lexsim.build` from every dev pair except
    those whose Russian occurs in ``half``'s documents: the shipped table has seen every dev
    sentence, so features measured with it would flatter the lexicon on the very pairs the
    model is fitted or measured on."""
    from cleaners.lexsim import build as lexbuild
    from cleaners.lexsim import parse

    data = data or data_dir()
    hidden = {p.ru for p in dev_pairs(data) if p.half == half}
    pairs = [(a, b) for a, b in lexbuild.read_pairs(data, "ru-en") if a not in hidden]
    # The same build on fewer pairs: its reader is swapped for the call (build-time only).
    saved = lexbuild.read_pairs
    lexbuild.read_pairs = lambda _data, _pair: pairs
    try:
        text = lexbuild.build(data, "ru-en")
    finally:
        lexbuild.read_pairs = saved
    return parse(text, "ru", "en"), parse(text, "en", "ru", flipped=True)


def feature_rows(items: Sequence[Noisy], with_mt: bool, table: Any = None) -> np.ndarray:
    sigs = adequacy.analyse_pairs(
        [(it.ru, it.en) for it in items],
        [it.mt if with_mt else None for it in items],
        lex_table=table,
    )
    return np.array([adequacy.features(s) for s in sigs])


def _balanced(y: np.ndarray) -> np.ndarray:
    """Weights that give the two classes equal mass (calibrated on a 50/50 mix)."""
    return np.where(y == 1, 0.5 / y.sum(), 0.5 / (1 - y).sum()) * len(y)


def fit_model(items: Sequence[Noisy], table: Any = None) -> Model:
    """One detector per negative kind (clean vs that kind), then the calibration of their
    summed log P(clean) on clean vs all negatives, the two classes weighted equally."""
    related = [it for it in items if it.kind == "related"]
    items = [it for it in items if it.kind == "clean" or it.kind in DETECTORS]
    x = feature_rows(items, False, table)
    kind = np.array([it.kind for it in items])
    names = [n for n in FEATURES
             if n not in CALIBRATION_ONLY and x[:, FEATURES.index(n)].std() > 1e-9]  # fmt: skip
    idx = [FEATURES.index(n) for n in names]
    mean, scale = x[:, idx].mean(axis=0).round(4), x[:, idx].std(axis=0).round(4)
    z = (x[:, idx] - mean) / scale
    detectors = {}
    for k in DETECTORS:
        rows = (kind == "clean") | (kind == k)
        y = (kind[rows] == "clean").astype(float)
        w, b = fit_logistic(z[rows], y, _balanced(y))
        detectors[k] = (w.round(4), round(b, 4))
    model = Model(tuple(names), mean, scale, detectors, (1.0, 0.0, 0.0, 0.0))
    # Calibrated on the dev pairs as they are: the invented shop titles teach the detectors,
    # but would tilt the calibration toward their easy negatives.
    real = np.array([it.source != "names" for it in items])
    model = _calibrate(model, x[real], (kind[real] == "clean").astype(float))
    bare = [FEATURES.index("unsupported"), FEATURES.index("unsupported_few")]
    wrong = feature_rows(related, False, table)[:, bare] if related else np.zeros((0, 2))
    few_wrong = np.array([len(it.ru.split()) <= adequacy.FEW_WORDS for it in related], bool)
    words = np.array([len(it.ru.split()) for it in items])
    clean = real & (kind == "clean")
    # The short pairs' ratio over all of them, the few-word ones too (as it was before they
    # had their own: a 3-8 word pair is scored as it was), the few-word pairs' over them alone.
    short, few = clean & (words <= RELATED_MAX_WORDS), clean & (words <= adequacy.FEW_WORDS)
    slope, intercept = model.calibration[:2]
    ratios = (
        _unsupported_ratio(x[short][:, bare].max(axis=1), wrong.max(axis=1, initial=0.0)),
        _unsupported_ratio(x[few, bare[1]], wrong[few_wrong, 1]),
    )
    return model._replace(calibration=(slope, intercept, *ratios))


def _unsupported_ratio(right: np.ndarray, wrong: np.ndarray) -> float:
    """The calibration's unsupported term: log P(unsupported | right) / P(... | wrong), from
    the flags (:func:`cleaners.adequacy.unsupported`) of the short clean pairs and the related
    noise (as short) of one length (a few words, or more), each share smoothed (add one).
    Measured, not fitted with the rest: in a fit on every pair the misaligned sentences,
    unsupported and far below already, gave it -0.3, and the short pairs it is for were scored
    as before."""
    p_right = (right.sum() + 1) / (len(right) + 2)
    p_wrong = (wrong.sum() + 1) / (len(wrong) + 2)
    return round(math.log(p_right / p_wrong), 4)


def fit_mt_model(base: Model, items: Sequence[Noisy], table: Any = None) -> Model:
    """The base detectors plus one that reads chrF against the retranslation, fitted on the
    pairs that have one (WMT21, where an MT system's output stands in for it), recalibrated."""
    items = [it for it in items if it.kind == "clean" or it.kind in ADEQUACY_NEGATIVES]
    x = feature_rows(items, True, table)
    y = np.array([1.0 if it.kind == "clean" else 0.0 for it in items])
    chrf = x[:, FEATURES.index("mt_chrf")]
    names = (*base.names, "mt_chrf")
    mean = np.append(base.mean, round(float(chrf.mean()), 4))
    scale = np.append(base.scale, round(float(chrf.std()), 4))
    detectors = {k: (np.append(w, 0.0), b) for k, (w, b) in base.detectors.items()}
    idx = [FEATURES.index(n) for n in names]
    z = (x[:, idx] - mean) / scale
    w, b = fit_logistic(z, y, _balanced(y))
    detectors["retranslation"] = (w.round(4), round(b, 4))
    # The unsupported term is the base model's: the same evidence, read after the map.
    mt = _calibrate(Model(names, mean, scale, detectors, (1.0, 0.0, 0.0, 0.0)), x, y)
    return mt._replace(calibration=(*mt.calibration[:2], *base.calibration[2:]))


def _calibrate(model: Model, x: np.ndarray, y: np.ndarray) -> Model:
    """Fit the last logistic map from the summed detector log P(clean) to P(adequate)."""
    total = sum(-np.logaddexp(0.0, -v) for v in model.detector_logits(x).values())
    (slope,), intercept = fit_logistic(total[:, None], y, _balanced(y), l2=0.0)
    return model._replace(calibration=(round(float(slope), 4), round(intercept, 4), 0.0, 0.0))


def build(data: Path | None = None) -> dict[str, object]:
    pairs = [p for p in dev_pairs(data) if p.half == "fit"]
    items = noisy(pairs, per_kind=FIT_PER_KIND)
    # Misaligned and truncated pairs are the hard negatives (the others are told by language
    # or numbers alone): more draws of them teach the lexical and length features more.
    for seed in range(1, HARD_DRAWS):
        items += [it for it in noisy(pairs, SEED + seed, FIT_PER_KIND) if it.kind in HARD]
    # What the aligner makes of real documents: true beads are clean, those of a document
    # aligned with another's English the "mismatched" detector's negatives.
    true, mismatched = document_beads(pairs)
    items += [Noisy("clean", ru, en, None, "beads") for ru, en in true]
    items += [Noisy("mismatched", ru, en, None, "beads") for ru, en in mismatched]
    # Brand names, model codes and sizes both sides share (shop titles): evidence for a
    # translation, but not alone.
    items += shared_names(pairs, SHARED_NAMES)
    with_mt = [it for it in items if it.mt is not None]
    table = heldout_table("fit", data)
    base = fit_model(items, table)
    return {
        "about": "Adequacy model (cleaners/adequacy.py), fitted on the 'fit' half of the dev sets "
        "with generated negatives, lexical features from a word table that never saw that half; "
        "rebuild: PYTHONPATH=. python -m cleaners.build_adequacy",
        "models": {
            "base": base.to_dict(),
            "mt": fit_mt_model(base, with_mt, table).to_dict(),
        },
    }


def render(table: dict[str, object]) -> str:
    return json.dumps(table, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if the shipped table is stale")
    args = ap.parse_args(argv)
    text = render(build())
    path = ROOT / "cleaners" / adequacy.TABLE
    if args.check:
        same = path.is_file() and path.read_text("utf-8") == text
        print("adequacy table is current" if same else f"stale: rebuild {path}")
        return 0 if same else 1
    path.write_text(text, "utf-8")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
