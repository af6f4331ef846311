"""The corpus as a user gets it: real documents in, how many real sentence pairs come out right.

Builds an input folder from a ru–en set whose line i of the Russian and line i of the English
translate each other (WMT docs.tsv, FLORES docs_*.tsv), paragraphed differently per side (each
side's lines after the headline are grouped into paragraphs of 1–4 lines with its own seeded
draw, the way two web pages lay out one article), runs the real ``mtclean run`` on it, and
scores what reached the corpus files against the line pairs:

- every sentence of ``docs/<id>.json`` is mapped to the gold line(s) it comes from (by its
  letters and digits, so spacing repairs do not matter);
- a corpus row is **right** when its Russian and its English cover the same gold lines;
- a gold pair is **recovered** when a right row covers it; **exact** when every row that
  touches it is right and covers that line alone (a line of two sentences may give two rows);
- the baseline in the same process: Gale-Church (the ``galechurch`` package, the length-only
  aligner a user would otherwise pick) over the same sentences, same scoring.

    python bench/corpus.py                       # WMT21 (dev), reference A as the English
    python bench/corpus.py --set flores-dev
    python bench/corpus.py --set wmt21 --english Online-B   # a real MT system as the English
    python bench/corpus.py --repeat 2            # every document twice: duplicates in the corpus?
    python bench/corpus.py --set wmt21-shaped    # web pages: read-also, comments, uk/be, headings
    python bench/corpus.py --set wmt22 --reserved           # acceptance only: never tune on it
"""

from __future__ import annotations

import argparse
import csv
import html
import json
import os
import random
import subprocess
import sys
import tempfile
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("MTCLEAN_DATA") or ROOT.parent / "shared" / "data")

SETS = {
    # name: (folder, docs table, Russian file, English file (None: per --english), reserved)
    "wmt21": ("wmt21-newstest-ru-en", "docs.tsv", "src.ru.txt", None, False),
    "flores-dev": ("flores200", "docs_dev.tsv", "dev.rus_Cyrl.txt", "dev.eng_Latn.txt", False),
    # WMT21 laid out as web pages (shape_docs): a read-also line, reader comments under
    # headers of each form the README names (Tatoeba dev pairs as their text, gold too), in
    # every third document a FLORES dev Ukrainian or Belarusian sentence (no gold) inside
    # a Russian paragraph, and on the Russian side the headline and sub-headings one line
    # break above their text (no blank line).
    "wmt21-shaped": ("wmt21-newstest-ru-en", "docs.tsv", "src.ru.txt", None, False),
    # No documents in these: consecutive lines are grouped into pseudo-documents (--chunk).
    "tico19": ("tico19-test-ru-en", "", "rus.txt", "eng.txt", False),
    "tatoeba": ("tatoeba-test-v2021-08-07-ru-en", "", "rus.txt", "eng.txt", False),
    "wmt22": ("wmt22-generaltest-ru-en", "docs.tsv", "src.ru.txt", None, True),
    "flores-devtest": (
        "flores200",
        "docs_devtest.tsv",
        "devtest.rus_Cyrl.txt",
        "devtest.eng_Latn.txt",
        True,
    ),
}


def read_set(
    name: str, english: str, chunk: int = 15, limit: int = 900
) -> dict[str, tuple[list[str], list[str]]]:
    """doc id → (Russian lines, English lines), line i ↔ line i.

    Sets without documents give pseudo-documents of ``chunk`` consecutive lines, from
    ``limit`` lines spread evenly over the set (short sentences, COVID terms: a different
    kind of text from news)."""
    folder, table, ru_name, en_name, _ = SETS[name]
    base = DATA / folder
    if en_name is None:
        en_name = (
            f"ref.{english}.en.txt"
            if english in ("A", "B")
            else f"system_outputs/hyp.{english}.en.txt"
        )
    ru = (base / ru_name).read_text(encoding="utf-8").split("\n")
    en = (base / en_name).read_text(encoding="utf-8").split("\n")
    docs: dict[str, list[int]] = defaultdict(list)
    if not table:
        n = min(len(ru), len(en)) - 1  # files end with a newline
        step = max(1, n // limit)
        idx = list(range(0, n, step))[:limit]
        for k in range(0, len(idx), chunk):
            docs[f"{name}-{k // chunk:04d}"] = idx[k : k + chunk]
        return {d: ([ru[i] for i in ix], [en[i] for i in ix]) for d, ix in sorted(docs.items())}
    with (base / table).open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            docs[row["doc_id"]].append(int(row["line_idx"]))
    return {d: ([ru[i] for i in idx], [en[i] for i in idx]) for d, idx in sorted(docs.items())}


def paragraphs(lines: list[str], rng: random.Random) -> str:
    """The lines grouped into paragraphs of 1–4 lines (a side's own layout).

    The first line (a headline) stands alone, and so does any line that does not end a
    sentence (a heading, a list item, a transcribed utterance): on a real page such a
    line has a break after it, and nothing could tell where it ended in running text.
    """
    out, i = lines[:1], 1
    while i < len(lines):
        n = rng.randint(1, 4)
        group: list[str] = []
        for line in lines[i : i + n]:
            group.append(line)
            if not _ends_sentence(line):
                break
        out.append(" ".join(group))
        i += len(group)
    return "\n\n".join(out) + "\n"


def _ends_sentence(line: str) -> bool:
    return line.rstrip().rstrip("\"»“”')]").endswith((".", "!", "?", "…", ":", ";"))


# The page furniture of wmt21-shaped, written for this bench (no data sentence): what must
# stay out of the corpus. Comment headers in each form the README names, per side.
_READ_ALSO = {
    "ru": "Читайте также: Курс доллара упал ниже 70 рублей",
    "en": "Read also: The dollar fell below 70 rubles",
}
_COMMENTS_LINE = {"ru": "Комментарии", "en": "Comments"}
_HEADERS = [
    {
        "ru": "{n}. pin_code Offline pin_code\npin_code (Андрей) 10 апреля 2023 18:1{n}",
        "en": "{n}. pin_code Offline pin_code\npin_code (Andrey) April 10 2023 18: 1{n}",
    },
    {"ru": "Irina_T 10.04.2023 18:2{n}", "en": "Irina_T 10.04.2023 18:2{n}"},
    {"ru": "vlad.k 11 апреля 2023 09:0{n}", "en": "vlad.k April 11, 2023 09:0{n}"},
    {"ru": "Colonel Kudasov", "en": "Colonel Kudasov"},
]


@dataclass
class Shape:
    """What shape_docs adds to a document beyond its gold lines."""

    article: int  # gold lines before the comments
    foreign: str = ""  # a Ukrainian or Belarusian sentence inside a Russian paragraph


def shape_docs(
    docs: dict[str, tuple[list[str], list[str]]], seed: int
) -> tuple[dict[str, tuple[list[str], list[str]]], dict[str, Shape]]:
    """Each document with 2–3 Tatoeba dev pairs appended as reader comments (gold lines),
    and in every third one a FLORES dev Ukrainian or Belarusian line to put in a Russian
    paragraph (no gold: it has no English)."""
    tat = DATA / "tatoeba-test-v2021-08-07-ru-en"
    t_ru = (tat / "rus.txt").read_text(encoding="utf-8").split("\n")
    t_en = (tat / "eng.txt").read_text(encoding="utf-8").split("\n")
    flores = DATA / "flores200"
    other = {
        code: (flores / f"dev.{code}.txt").read_text(encoding="utf-8").split("\n")
        for code in ("ukr_Cyrl", "bel_Cyrl")
    }
    out, shapes = {}, {}
    for k, (doc_id, (ru, en)) in enumerate(docs.items()):
        rng = random.Random(f"{seed}:{doc_id}:shape")
        picks = [rng.randrange(len(t_ru) - 1) for _ in range(rng.randint(2, 3))]
        out[doc_id] = (ru + [t_ru[i] for i in picks], en + [t_en[i] for i in picks])
        shape = Shape(article=len(ru))
        if k % 3 == 0 and len(ru) > 4:
            lines = other["ukr_Cyrl" if k % 2 == 0 else "bel_Cyrl"]
            shape.foreign = lines[rng.randrange(len(lines) - 1)].strip()
        shapes[doc_id] = shape
    return out, shapes


def shaped_page(lines: list[str], side: str, shape: Shape, rng: random.Random) -> str:
    """A side as a web page: the article paragraphed (:func:`paragraphs`), a read-also line
    after its first body paragraph, the foreign sentence ending its second (Russian side),
    then the comments under their headers."""
    paras = paragraphs(lines[: shape.article], rng).rstrip("\n").split("\n\n")
    if side == "ru" and shape.foreign:
        # after a sentence's end (a line without one would take the sentence in)
        ends = [i for i, p in enumerate(paras) if i >= 2 and _ends_sentence(p)]
        if ends:
            paras[ends[0]] = f"{paras[ends[0]]} {shape.foreign}"
    if len(paras) > 2:
        paras.insert(2, _READ_ALSO[side])
    comments = [_COMMENTS_LINE[side]]
    for n, text in enumerate(lines[shape.article :], 1):
        header = _HEADERS[(n + shape.article) % len(_HEADERS)][side].format(n=n)
        if " " in header and "\n" not in header and not any(c.isdigit() for c in header):
            header = "\n" + header  # a name alone opens a comment after a blank line
        comments.append(f"{header}\n{text}")
    return _join_headings(paras, side) + "\n\n" + "\n".join(comments) + "\n"


def _join_headings(paras: list[str], side: str) -> str:
    """The paragraphs a blank line apart, but on the Russian side a headline or sub-heading
    (no end mark) has its text right under it, one line break apart (the other side's page
    keeps the blank line): a line break alone must end the heading's sentence."""
    out = paras[:1]
    for prev, para in zip(paras, paras[1:], strict=False):
        out.append("\n" if side == "ru" and not _ends_sentence(prev) else "\n\n")
        out.append(para)
    return "".join(out)


def build_folder(
    docs: dict[str, tuple[list[str], list[str]]],
    dest: Path,
    seed: int,
    repeat: int,
    shapes: dict[str, Shape] | None = None,
) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    for doc_id, (ru, en) in docs.items():
        for r in range(repeat):
            name = doc_id if r == 0 else f"{doc_id}.copy{r}"
            for side, lines in (("ru", ru), ("en", en)):
                rng = random.Random(f"{seed}:{doc_id}:{side}:{r}")
                if shapes is None:
                    text = paragraphs(lines, rng)
                else:
                    text = shaped_page(lines, side, shapes[doc_id], rng)
                (dest / f"{name}.{side}.txt").write_text(text, encoding="utf-8")


# Cyrillic letters that look like Latin ones, folded on both sides: a repair that swaps a
# look-alike (a Cyrillic "С" after "°" in English MT made "C") must not lose the sentence's line.
_LOOKALIKE = str.maketrans("авекмнорстухі", "abekmhopctyxi")


def _key(text: str) -> str:
    """Letters and digits only, case-folded, look-alikes folded, HTML entities read: what
    survives spacing, look-alike and entity repairs (TICO-19's `Trust &amp; Safety` is
    repaired to `&`, a right row)."""
    folded = unicodedata.normalize("NFKC", html.unescape(text)).casefold().translate(_LOOKALIKE)
    return "".join(ch for ch in folded if ch.isalnum())


def sentence_lines(sentences: list[str], lines: list[str]) -> list[frozenset[int]]:
    """For each sentence (in order), the gold lines its characters come from.

    Walks a stream of the lines' letters and digits; a sentence that cannot be found from
    the cursor (text changed by repair beyond spacing) is mapped by its first and last
    20 characters, else to no line.
    """
    stream, owner = [], []
    for n, line in enumerate(lines):
        k = _key(line)
        stream.append(k)
        owner.extend([n] * len(k))
    text = "".join(stream)
    out: list[frozenset[int]] = []
    cur = 0
    for s in sentences:
        k = _key(s)
        if not k:
            out.append(frozenset())
            continue
        at = text.find(k, cur)
        if at < 0:
            head, tail = k[:20], k[-20:]
            a, b = text.find(head, cur), text.find(tail, cur)
            if a < 0 or b < 0 or b < a:
                out.append(frozenset())
                continue
            at, end = a, b + len(tail)
        else:
            end = at + len(k)
        out.append(frozenset(owner[at:end]))
        cur = end
    return out


def score_rows(
    rows: list[tuple[str, list[int], list[int]]],
    maps: dict[str, tuple[list[frozenset[int]], list[frozenset[int]]]],
    n_lines: dict[str, int],
) -> dict[str, float]:
    """Rows (doc, ru ids, en ids) against the gold lines: right units, recovered, exact.

    A repeated document's copies share its gold lines: a pair counts once, from any copy
    (the corpus should hold it once)."""
    right = 0
    covered: dict[str, set[int]] = defaultdict(set)
    touched_bad: dict[str, set[int]] = defaultdict(set)
    alone: dict[str, set[int]] = defaultdict(set)
    for copy, ru_ids, en_ids in rows:
        ru_map, en_map = maps[copy]
        doc = _base(copy)
        lr = frozenset().union(*(ru_map[i] for i in ru_ids)) if ru_ids else frozenset()
        le = frozenset().union(*(en_map[j] for j in en_ids)) if en_ids else frozenset()
        if lr and lr == le:
            right += 1
            covered[doc] |= lr
            if len(lr) == 1:
                alone[doc] |= lr
            else:
                touched_bad[doc] |= lr
        else:
            touched_bad[doc] |= lr | le
    gold = sum(n_lines.values())
    recovered = sum(len(v) for v in covered.values())
    exact = sum(len(alone[d] - touched_bad[d]) for d in n_lines)
    return {
        "rows": len(rows),
        "right": right / len(rows) if rows else 0.0,
        "recovered": recovered / gold if gold else 0.0,
        "exact": exact / gold if gold else 0.0,
        "gold": gold,
    }


def _base(doc_id: str) -> str:
    return doc_id.split(".copy")[0]


def galechurch_rows(docs_json: dict[str, dict]) -> list[tuple[str, list[int], list[int]]]:
    """Gale-Church over the same sentences mtclean aligned (the baseline)."""
    try:
        import galechurch  # type: ignore[import-not-found]
    except ImportError:
        return []
    rows = []
    for doc, d in docs_json.items():
        ru, en = d.get("ru_sentences") or [], d.get("en_sentences") or []
        if not ru or not en:
            continue
        for b in galechurch.align(ru, en).beads:
            if b.source_end > b.source_start and b.target_end > b.target_start:
                rows.append(
                    (
                        doc,
                        list(range(b.source_start, b.source_end)),
                        list(range(b.target_start, b.target_end)),
                    )
                )
    return rows


# Runs `mtclean run` with the ru–en word table read from a file (the default run path uses
# threads, so the swap holds for every document).
_WITH_TABLE = """
import runpy, sys
from pathlib import Path
from cleaners import lexsim
text, shipped = Path(sys.argv.pop(1)).read_text("utf-8"), lexsim.table
def table(src="ru", tgt="en"):
    if {src, tgt} == {"ru", "en"}:
        return lexsim.parse(text, src, tgt, flipped=src != "ru")
    return shipped(src, tgt)
lexsim.table = table
sys.argv[0] = "mtclean"
runpy.run_module("flows.cli", run_name="__main__")
"""


def heldout_table(without: str, path: Path) -> str:
    """Write the ru–en word table rebuilt without the sources whose path holds ``without``
    (the shipped one saw every dev set: the honest figure needs a table that did not)."""
    from cleaners.lexsim import build

    kept = [f for f in build.SOURCES["ru-en"] if without not in f[0]]
    saved, build.SOURCES["ru-en"] = build.SOURCES["ru-en"], kept
    try:
        path.write_text(build.build(DATA, "ru-en"), encoding="utf-8")
    finally:
        build.SOURCES["ru-en"] = saved
    return f"ru-en word table without {without} ({len(kept)} of {len(saved)} sources)"


def run_mtclean(src: Path, out: Path, config: Path | None, table: Path | None = None) -> None:
    env = {
        **os.environ,
        "PREFECT_HOME": str(out.parent / "prefect-home"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
    }
    head = ["-m", "flows.cli"] if table is None else ["-c", _WITH_TABLE, str(table)]
    cmd = [sys.executable, *head, "run", str(src), "--out", str(out)]
    if config is not None:
        cmd += ["--config", str(config)]
    subprocess.run(cmd, check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)


def evaluate(
    out: Path, docs: dict[str, tuple[list[str], list[str]]], repeat: int
) -> tuple[dict[str, float], dict[str, float], Counter[str]]:
    docs_json: dict[str, dict] = {}
    maps = {}
    n_lines: dict[str, int] = {}
    for path in sorted((out / "docs").glob("*.json")):
        d = json.loads(path.read_text(encoding="utf-8"))
        base = _base(d["id"])
        if base not in docs:
            continue
        ru_lines, en_lines = docs[base]
        docs_json[d["id"]] = d
        maps[d["id"]] = (
            sentence_lines(d.get("ru_sentences") or [], ru_lines),
            sentence_lines(d.get("en_sentences") or [], en_lines),
        )
    for doc_id, (ru_lines, _) in docs.items():  # quarantined documents count as lost
        n_lines[doc_id] = len(ru_lines)
        maps.setdefault(doc_id, ([], []))
    rows = []
    pairs: Counter[str] = Counter()
    with (out / "corpus.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            rows.append((r["doc_id"], r["ru_ids"], r["en_ids"]))
            pairs[r["ru"] + "\t" + r["en"]] += 1
    ours = score_rows(rows, maps, n_lines)
    base = score_rows(galechurch_rows(docs_json), maps, n_lines)
    return ours, base, pairs


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--set", choices=sorted(SETS), default="wmt21")
    ap.add_argument("--english", default="A", help="WMT: reference A/B or an MT system's name")
    ap.add_argument("--seed", type=int, default=1, help="paragraph layout draw")
    ap.add_argument("--repeat", type=int, default=1, help="write every document N times")
    ap.add_argument("--config", type=Path, help="an mtclean config for the run")
    ap.add_argument("--work", type=Path, help="keep the folders here (default: a temp dir)")
    ap.add_argument("--reserved", action="store_true", help="allow a reserved (acceptance) set")
    ap.add_argument(
        "--heldout-table",
        action="store_true",
        help="run with the ru-en word table rebuilt without this set (the shipped one saw it)",
    )
    args = ap.parse_args()
    if not DATA.is_dir():
        print(f"needs the shared data at {DATA}", file=sys.stderr)
        return 2
    if SETS[args.set][4] and not args.reserved:
        print(
            f"{args.set} is reserved for acceptance: pass --reserved to report it", file=sys.stderr
        )
        return 2
    docs = read_set(args.set, args.english)
    shapes = None
    if args.set == "wmt21-shaped":
        docs, shapes = shape_docs(docs, args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or Path(tmp)
        src, out = work / "in", work / "out"
        build_folder(docs, src, args.seed, args.repeat, shapes)
        table = work / "heldout-ru-en.tsv" if args.heldout_table else None
        how = "shipped ru-en word table"
        if table is not None:
            how = heldout_table(SETS[args.set][0].split("-")[0], table)
        run_mtclean(src, out, args.config, table)
        ours, base, pairs = evaluate(out, docs, args.repeat)
    dup = sum(n - 1 for n in pairs.values() if n > 1)
    print(
        f"set {args.set} (English: {args.english}), {len(docs)} documents x{args.repeat}, "
        f"{ours['gold']} gold line pairs, layout seed {args.seed}; {how}"
    )
    print(f"{'':14}{'rows':>7}{'right':>9}{'recovered':>11}{'exact':>9}")
    for name, s in (("mtclean", ours), ("Gale-Church", base)):
        if not s["rows"]:
            print(f"{name:14}{'(not installed)':>36}")
            continue
        print(f"{name:14}{s['rows']:7d}{s['right']:9.3f}{s['recovered']:11.3f}{s['exact']:9.3f}")
    print(f"duplicate corpus rows (same ru+en text): {dup} of {sum(pairs.values())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
