"""Language identification benchmark on ../shared/data (dev files by default).

Prints accuracy per language and length (sentence, 3-word and 2-word snippets),
how often other Cyrillic languages are called Russian, determinism across runs
and batch orders, and throughput of each backend against seeded langdetect on
the same segments, in this process (start-up excluded).

    .venv/bin/python bench/lid.py                 # dev: FLORES dev, WMT21, Tatoeba
    .venv/bin/python bench/lid.py --split reserved  # report only: FLORES devtest, WMT22
    .venv/bin/python bench/lid.py --backends auto,langdetect --quick
    .venv/bin/python bench/lid.py --other-cyrillic  # which paragraphs go to a ru→en model
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

from cleaners import lid
from cleaners.config import LidConfig

DATA = Path(
    os.environ.get("MTCLEAN_DATA") or Path(__file__).resolve().parents[1].parent / "shared" / "data"
)
FLORES = {
    "ru": "rus_Cyrl",
    "en": "eng_Latn",
    "uk": "ukr_Cyrl",
    "be": "bel_Cyrl",
    "bg": "bul_Cyrl",
    "kk": "kaz_Cyrl",
    "sr": "srp_Cyrl",
    "mk": "mkd_Cyrl",
    "de": "deu_Latn",
    "fr": "fra_Latn",
}
SCRIPT = {k: v.split("_")[1] for k, v in FLORES.items()}
OTHER_CYRL = ("uk", "be", "bg", "kk", "sr", "mk")
_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")


def lines(path: Path, limit: int | None = None) -> list[str]:
    out = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    return out[:limit] if limit else out


def load(split: str, limit: int | None) -> dict[str, dict[str, list[str]]]:
    """{set name: {gold language: sentences}}."""
    sets: dict[str, dict[str, list[str]]] = {}
    prefix = "dev" if split == "dev" else "devtest"
    sets[f"flores-{prefix}"] = {
        k: lines(DATA / "flores200" / f"{prefix}.{v}.txt", limit) for k, v in FLORES.items()
    }
    if split == "dev":
        wmt = DATA / "wmt21-newstest-ru-en"
        sets["wmt21"] = {
            "ru": lines(wmt / "src.ru.txt", limit),
            "en": lines(wmt / "ref.A.en.txt", limit),
        }
        tat = DATA / "tatoeba-test-v2021-08-07-ru-en"
        # Tatoeba is large: a fixed sample keeps the run short.
        rng = random.Random(7)
        ru, en = lines(tat / "rus.txt"), lines(tat / "eng.txt")
        idx = sorted(rng.sample(range(min(len(ru), len(en))), min(limit or 2000, len(ru))))
        sets["tatoeba"] = {"ru": [ru[i] for i in idx], "en": [en[i] for i in idx]}
    else:
        wmt = DATA / "wmt22-generaltest-ru-en"
        sets["wmt22"] = {
            "ru": lines(wmt / "src.ru.txt", limit),
            "en": lines(wmt / "ref.A.en.txt", limit),
        }
    return sets


def snippets(sentences: list[str], n: int, script: str | None = None, seed: int = 1) -> list[str]:
    """One window of n adjacent words per sentence (digits and punctuation dropped).

    With ``script``, only windows wholly in that script count: "Rock был" cut from a
    Russian sentence is not a Russian snippet.
    """
    rng = random.Random(seed)
    out = []
    for s in sentences:
        words = _WORD.findall(s)
        windows = [" ".join(words[i : i + n]) for i in range(len(words) - n + 1)]
        if script:
            windows = [w for w in windows if lid.script_shares(w) == {script: 1.0}]
        if windows:
            out.append(windows[rng.randrange(len(windows))])
    return out


def accuracy_table(sets, cfg: LidConfig) -> dict[tuple[str, str, str], Counter]:
    results: dict[tuple[str, str, str], Counter] = {}
    for name, by_lang in sets.items():
        for gold, sents in by_lang.items():
            for length, texts in (
                ("sent", sents),
                ("3w", snippets(sents, 3, SCRIPT[gold])),
                ("2w", snippets(sents, 2, SCRIPT[gold])),
            ):
                preds = [p for p, _ in lid.detect_batch(texts, cfg)]
                results[(name, gold, length)] = Counter(preds)
                if gold in OTHER_CYRL and length != "sent":
                    results[(name, gold, length + "-floor")] = ambiguity(texts, preds)
    return results


def ambiguity(texts: list[str], preds: list[str]) -> Counter:
    """How many snippets are ordinary Russian word for word (every word zipf >= 3 in ru:
    "контроль над", "на основу"), and how many of those and of the others were called ru.

    No detector can call the first kind non-Russian without calling the same Russian
    strings non-Russian: their share is the floor the confusion is judged against.
    """
    import wordfreq

    c: Counter = Counter()
    for text, pred in zip(texts, preds, strict=True):
        amb = all(wordfreq.zipf_frequency(w, "ru") >= 3 for w in text.lower().split())
        c["amb" if amb else "clear"] += 1
        if pred == "ru":
            c["amb_ru" if amb else "clear_ru"] += 1
    return c


def print_accuracy(results, title: str) -> None:
    print(f"\n== accuracy: {title} (share right; 'n' texts) ==")
    print(f"{'set':<14}{'lang':<6}{'sent':>16}{'3-word':>16}{'2-word':>16}   top errors (2-word)")
    keys = sorted({(s, g) for s, g, _ in results}, key=lambda k: (k[0], list(FLORES).index(k[1])))
    for name, gold in keys:
        cells = []
        for length in ("sent", "3w", "2w"):
            c = results[(name, gold, length)]
            n = sum(c.values())
            cells.append(f"{c[gold] / n:8.4f} n={n:<5}" if n else f"{'-':>15}")
        errs = results[(name, gold, "2w")].copy()
        del errs[gold]
        top = ", ".join(f"{k}:{v}" for k, v in errs.most_common(3))
        print(f"{name:<14}{gold:<6}" + " ".join(f"{c:>15}" for c in cells) + f"   {top}")
    # The targets: ru/en sentences, ru/en 2-word snippets, other Cyrillic → ru.
    for length, label in (("sent", "sentences"), ("3w", "3-word"), ("2w", "2-word")):
        right = tot = 0
        for (_, gold, ln), c in results.items():
            if ln == length and gold in ("ru", "en"):
                right += c[gold]
                tot += sum(c.values())
        print(f"ru+en {label:<10} accuracy {right / tot:.4f} ({right}/{tot})")
    for length in ("sent", "3w", "2w"):
        row = []
        ru_tot = tot = 0
        for gold in OTHER_CYRL:
            c = Counter()
            for (_, g, ln), cc in results.items():
                if g == gold and ln == length:
                    c.update(cc)
            n = sum(c.values())
            if n:
                row.append(f"{gold}:{c['ru'] / n:.4f}")
                ru_tot += c["ru"]
                tot += n
        if tot:
            print(f"other Cyrillic called ru [{length}]: {ru_tot / tot:.4f}  ({' '.join(row)})")
        fl: Counter = Counter()
        for (_, _, ln), cc in results.items():
            if ln == length + "-floor":
                fl.update(cc)
        if fl:
            n = fl["amb"] + fl["clear"]
            print(
                f"  ambiguity floor [{length}]: {fl['amb'] / n:.4f} of them are ordinary Russian "
                f"word for word (ru zipf >= 3); called ru: {fl['amb_ru'] / max(fl['amb'], 1):.4f} "
                f"of those, {fl['clear_ru'] / max(fl['clear'], 1):.4f} of the rest "
                f"({fl['clear_ru'] / n:.4f} of all)"
            )


def paragraphs(sentences: list[str]) -> list[str]:
    """Consecutive lines joined 2, 3, 4, 2, 3, 4 ... at a time: paragraphs of a news text."""
    out, i, k = [], 0, 0
    while i < len(sentences):
        n = 2 + k % 3
        out.append(" ".join(sentences[i : i + n]))
        i, k = i + n, k + 1
    return out


def other_cyrillic_table() -> None:
    """How often Cyrillic text is judged not Russian (kept from a ru→en model, flagged as
    its language): other Cyrillic languages should be, Russian never. Dev data only.

    Three judges: the letters alone (``langev.non_russian_cyrillic``, the judge before
    session 15), the detector alone (``lid.detect`` says a Cyrillic language other than
    ru), and ``lid.other_cyrillic`` (letters, or the detector backed by word evidence).
    """
    from cleaners import langev

    fl = DATA / "flores200"
    tat = DATA / "tatoeba-test-v2021-08-07-ru-en" / "rus.txt"
    wmt = lines(DATA / "wmt21-newstest-ru-en" / "src.ru.txt")
    tico = lines(DATA / "tico19-test-ru-en" / "rus.txt")
    rows: list[tuple[str, str, list[str]]] = []
    for lang in ("uk", "be", "bg", "kk", "sr", "mk", "ru"):
        sents = lines(fl / f"dev.{FLORES[lang]}.txt")
        rows.append((f"flores dev {lang}", lang, paragraphs(sents)))
        rows.append((f"flores dev {lang} (lines)", lang, sents))
    rows += [
        ("wmt21 ru", "ru", paragraphs(wmt)),
        ("wmt21 ru (lines)", "ru", wmt),
        ("tico19 ru", "ru", paragraphs(tico)),
        ("tico19 ru (lines)", "ru", tico),
        ("tatoeba ru (all)", "ru", lines(tat)),
    ]
    cyrl = [c for c, (script, _) in lid.alphabets().items() if script == "Cyrl" and c != "ru"]
    print("\n== Cyrillic judged not Russian (paragraphs: 2-4 consecutive lines) ==")
    print(f"{'set':<26}{'n':>7}{'letters':>10}{'detector':>10}{'other_cyrillic':>16}")
    for name, gold, texts in rows:
        n = len(texts)
        letters = sum(langev.non_russian_cyrillic(t) for t in texts)
        detector = sum(p in cyrl for p, _ in lid.detect_batch(texts))
        judged = sum(bool(lid.other_cyrillic(t)) for t in texts)
        cells = [f"{k / n:10.4f}" if gold != "ru" else f"{k:>10}" for k in (letters, detector)]
        last = f"{judged / n:16.4f}" if gold != "ru" else f"{judged:>16}"
        print(f"{name:<26}{n:>7}{''.join(cells)}{last}")
    print("(other languages: share judged not Russian; Russian: how many judged not Russian)")


def determinism(texts: list[str], cfg: LidConfig) -> None:
    first = lid.detect_batch(texts, cfg)
    again = lid.detect_batch(texts, cfg)
    order = list(range(len(texts)))
    random.Random(3).shuffle(order)
    shuffled = lid.detect_batch([texts[i] for i in order], cfg)
    back = [None] * len(texts)
    for pos, i in enumerate(order):
        back[i] = shuffled[pos]
    single = [lid.detect(t, cfg) for t in texts[:300]]
    same = first == again and first == back and single == first[:300]
    print(
        f"determinism [{cfg.backend}]: {'identical' if same else 'DIFFERENT'} across 2 runs, "
        f"a shuffled batch and single calls ({len(texts)} texts)"
    )


def throughput(texts: list[str], backends: list[str], repeats: int = 3) -> None:
    """Texts per CPU-second, best of ``repeats`` rounds, backends interleaved in each round.

    CPU time, not wall time, and interleaving, because other processes share this
    machine's cores: every backend sees the same conditions.
    """
    print(f"\n== throughput on {len(texts)} segments (start-up excluded, 1 thread, CPU time) ==")
    best = dict.fromkeys(backends, float("inf"))
    for backend in backends:
        cfg = LidConfig(backend=backend)
        lid.preload(cfg)
        lid.detect_batch(texts[:50], cfg)  # warm caches
    for _ in range(repeats):
        for backend in backends:
            cfg = LidConfig(backend=backend)
            start = time.process_time()
            for t in texts:  # detect() per text: detect_batch's duplicate cache must not help
                lid.detect(t, cfg)
            best[backend] = min(best[backend], time.process_time() - start)
    rates = {b: len(texts) / best[b] for b in backends}
    base = rates.get("langdetect")
    for backend, rate in rates.items():
        ratio = f"{rate / base:7.1f}x langdetect" if base else ""
        print(f"{backend:<12}{rate:10.0f} texts/s  {ratio}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", choices=["dev", "reserved"], default="dev")
    ap.add_argument("--backends", default="auto,fasttext,lingua,langdetect")
    ap.add_argument("--quick", action="store_true", help="300 lines per file, fewer backends timed")
    ap.add_argument("--no-throughput", action="store_true")
    ap.add_argument("--throughput-only", action="store_true")
    ap.add_argument(
        "--other-cyrillic",
        action="store_true",
        help="only the table of Cyrillic judged not Russian (dev data)",
    )
    args = ap.parse_args(argv)
    if not DATA.is_dir():
        print(f"no data at {DATA}", file=sys.stderr)
        return 2
    if args.other_cyrillic:
        if args.split != "dev":
            print("--other-cyrillic measures dev data only", file=sys.stderr)
            return 2
        other_cyrillic_table()
        return 0
    limit = 300 if args.quick else None
    sets = load(args.split, limit)
    backends = args.backends.split(",")
    print(f"split={args.split}  sets={', '.join(sets)}  backends={', '.join(backends)}")
    for backend in [] if args.throughput_only else backends:
        cfg = LidConfig(backend=backend)
        t0 = time.perf_counter()
        results = accuracy_table(sets, cfg)
        print_accuracy(results, f"{backend}  ({time.perf_counter() - t0:.1f} s)")
    mixed = [s for by_lang in sets.values() for sents in by_lang.values() for s in sents[:150]]
    mixed += snippets(mixed, 2)
    if not args.throughput_only:
        determinism(mixed, LidConfig())
    if "langdetect" in backends and not args.throughput_only:
        determinism(mixed[:600], LidConfig(backend="langdetect"))
    if not args.no_throughput:
        seg = [s for by_lang in sets.values() for sents in by_lang.values() for s in sents[:100]]
        print("\nall languages, sentences:", end="")
        throughput(seg, backends)
        print("\nall languages, 2-word snippets:", end="")
        throughput(snippets(seg, 2), backends)
        # What the pipeline mostly sees: Russian sources and English translations.
        ruen = [
            s
            for name, by_lang in sets.items()
            if not name.startswith("flores")
            for lang in ("ru", "en")
            for s in by_lang[lang][:350]
        ]
        print("\nru/en news and short sentences (WMT, Tatoeba):", end="")
        throughput(ruen, backends)
    return 0


if __name__ == "__main__":
    sys.exit(main())
