"""How often each decoder recovers real Russian text exactly, one sentence/document per file.

    .venv/bin/python bench/decode_accuracy.py [N]

Dev data only (read from ../shared/data at run time): N FLORES-200 dev sentences, N Tatoeba
sentences (short: 1-10 words, the hard case) and 40-sentence FLORES dev "documents".
Each is encoded in a legacy code page (and UTF-16 without BOM) and decoded by:

* ``mtclean``: ``cleaners.decode.decode_bytes``;
* ``cn-restricted``: charset-normalizer limited to the same candidates, its best() match;
* ``cn-default``: charset-normalizer unrestricted, best() match (the baseline).

Prints exact-recovery rates per encoding and the error-rate ratio against the baseline.

Then the other side: N FLORES dev sentences, English and Russian, saved as UTF-8 with one
stray byte (0x80-0xFF, seeded) put at a seeded place, or cut inside their last non-ASCII
character, and what ``mtclean`` makes of them: quarantined (``invalid-utf8``, ``truncated``:
right), read as cp1252 (a Latin letter or sign where the byte was), or read as a Cyrillic
code page (wrong: the stray byte became a Cyrillic letter, or the whole text mojibake).
"""

from __future__ import annotations

import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

from charset_normalizer import from_bytes

from cleaners.decode import CYRILLIC_CANDIDATES, decode_bytes
from cleaners.errors import InputError

DATA = Path(
    os.environ.get("MTCLEAN_DATA") or Path(__file__).resolve().parents[1].parent / "shared" / "data"
)
ENCODINGS = ["cp1251", "koi8_r", "cp866", "iso8859_5", "mac_cyrillic", "utf_16_le"]


def ours(data: bytes) -> str | None:
    try:
        return decode_bytes(data).text
    except InputError:
        return None


def cn(data: bytes, restricted: bool) -> str | None:
    best = from_bytes(data, cp_isolation=CYRILLIC_CANDIDATES if restricted else None).best()
    return None if best is None else str(best)


DECODERS = {
    "mtclean": ours,
    "cn-restricted": lambda d: cn(d, True),
    "cn-default": lambda d: cn(d, False),
}


def samples(n: int) -> dict[str, list[str]]:
    flores = (DATA / "flores200" / "dev.rus_Cyrl.txt").read_text(encoding="utf-8").splitlines()
    tatoeba = (DATA / "tatoeba-test-v2021-08-07-ru-en" / "rus.txt").read_text(encoding="utf-8")
    docs = ["\n".join(flores[i : i + 40]) for i in range(0, min(len(flores), n * 4), 40)]
    return {
        "flores-sent": flores[:n],
        "tatoeba-short": tatoeba.splitlines()[:n],
        "flores-doc": docs[: max(1, n // 10)],
    }


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    if not DATA.exists():
        sys.exit(f"no data at {DATA}")
    sets = samples(n)
    sizes = ", ".join(f"{k}={len(v)}" for k, v in sets.items())
    print(f"exact recovery, % (dev data; n per set: {sizes})")
    header = f"{'set':<15}{'encoding':<14}" + "".join(f"{d:>15}" for d in DECODERS)
    print(header)
    totals = {d: [0, 0] for d in DECODERS}
    timing = dict.fromkeys(DECODERS, 0.0)
    for name, texts in sets.items():
        for enc in ENCODINGS:
            # Characters a code page lacks become '?'; the truth is what the bytes hold.
            encoded = [text.encode(enc, errors="replace") for text in texts]
            pairs = [(data.decode(enc), data) for data in encoded]
            row = f"{name:<15}{enc:<14}"
            for dname, fn in DECODERS.items():
                t0 = time.perf_counter()
                ok = sum(1 for text, data in pairs if fn(data) == text)
                timing[dname] += time.perf_counter() - t0
                totals[dname][0] += ok
                totals[dname][1] += len(pairs)
                row += f"{100 * ok / max(1, len(pairs)):>15.1f}"
            print(row)
    print(f"{'all':<29}" + "".join(f"{100 * a / b:>15.1f}" for a, b in totals.values()))
    err = {d: 1 - a / b for d, (a, b) in totals.items()}
    base = err["cn-default"]
    print(
        f"{'error vs cn-default':<29}"
        + "".join(f"{e / base if base else 0:>15.3f}" for e in err.values())
    )
    print(f"{'seconds':<29}" + "".join(f"{t:>15.1f}" for t in timing.values()))
    damage_table(n)


def damaged(n: int) -> dict[str, list[bytes]]:
    """Dev sentences as UTF-8 with one stray high byte (English, Russian), or cut off."""
    rng = random.Random(18)
    sets: dict[str, list[bytes]] = {}
    for lang in ("eng_Latn", "rus_Cyrl"):
        lines = (DATA / "flores200" / f"dev.{lang}.txt").read_text(encoding="utf-8").splitlines()
        stray = []
        for line in lines[:n]:
            data = line.encode()
            at = rng.randrange(len(data) + 1)
            while 0 < at < len(data) and 0x80 <= data[at] < 0xC0:  # not inside a character
                at -= 1
            stray.append(data[:at] + bytes([rng.randrange(0x80, 0x100)]) + data[at:])
        sets[f"stray-{lang[:2]}"] = stray
    # cut inside the last non-ASCII character (English: a quote, a dash, a name's letter)
    english = (DATA / "flores200" / "dev.eng_Latn.txt").read_text(encoding="utf-8").splitlines()
    cut = []
    for line in english[:n]:
        last = max((i for i, ch in enumerate(line) if not ch.isascii()), default=None)
        if last is not None:
            cut.append(line[: last + 1].encode()[:-1])
    sets["cut-en"] = cut
    return sets


def outcome(data: bytes) -> str:
    try:
        encoding = decode_bytes(data).encoding
    except InputError as exc:
        return exc.reason
    if encoding.startswith("utf"):
        return "utf-8"
    return "cp1252" if encoding == "cp1252" else "cyrillic page"


def damage_table(n: int) -> None:
    sets = damaged(n)
    kinds = ["invalid-utf8", "truncated", "undecodable", "cp1252", "cyrillic page"]
    sizes = ", ".join(f"{k}={len(v)}" for k, v in sets.items())
    print(f"\ndamaged UTF-8 (dev data), % of files: {sizes}")
    print(f"{'set':<15}" + "".join(f"{k:>15}" for k in kinds))
    for name, files in sets.items():
        counts = Counter(outcome(data) for data in files)
        row = "".join(f"{100 * counts[k] / max(1, len(files)):>15.1f}" for k in kinds)
        other = sum(v for k, v in counts.items() if k not in kinds)
        print(f"{name:<15}{row}" + (f"   (other {other})" if other else ""))


if __name__ == "__main__":
    main()
