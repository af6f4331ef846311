"""How often each decoder recovers real Russian text exactly, one sentence/document per file.

    .venv/bin/python bench/decode_accuracy.py [N]

Dev data only (read from ../shared/data at run time): N FLORES-200 dev sentences, N Tatoeba
sentences (short: 1-10 words, the hard case) and 40-sentence FLORES dev "documents".
Each is encoded in a legacy code page (and UTF-16 without BOM) and decoded by:

* ``mtclean``: ``cleaners.decode.decode_bytes``;
* ``cn-restricted``: charset-normalizer limited to the same candidates, its best() match;
* ``cn-default``: charset-normalizer unrestricted, best() match (the baseline).

Prints exact-recovery rates per encoding and the error-rate ratio against the baseline.
"""

from __future__ import annotations

import os
import sys
import time
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


if __name__ == "__main__":
    main()
