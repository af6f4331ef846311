"""Retranslation throughput: mtclean's paths against plain ``argostranslate.translate``.

All paths run the same package (the tiny real package from tests/tiny_argos/build.py, or
``--package PATH`` for a full ru→en package) in this process, with a socket guard that
counts network attempts. Baseline: ``argostranslate.translate.translate(s, "ru", "en")``
one sentence per call, its MiniSBD splitter swapped for an identity splitter (unpatched it
downloads a model on first use and fails offline). Compared:

- ``direct``: :class:`cleaners.translate.Retranslator` default backend, the package's
  CTranslate2 model + SentencePiece, batched (and with ``batch_size=1``);
- ``argos-lowlevel``: Retranslator ``backend="argos"``: ``apply_packaged_translation``,
  splitter bypassed, one sentence per call;
- cache: the same sentences again (memory LRU) and from a new instance (SQLite on disk).

Sentences: templated in-domain ones the builder writes, and FLORES **dev** Russian read at
run time from ../shared/data (speed on real lengths; the toy model's output is junk there).

    .venv/bin/python bench/translate.py            # ~1 min on 2 shared cores
    .venv/bin/python bench/translate.py --n 200 --default-threads
"""

from __future__ import annotations

import argparse
import os
import socket
import tempfile
import time
from pathlib import Path

from _tiny_argos import builder  # bench/ is on sys.path when run as a script

REPO = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("MTCLEAN_DATA") or REPO.parent / "shared" / "data")
_attempts: list[str] = []


def _guard_network() -> None:
    def refuse(*args, **kwargs):
        _attempts.append(repr(args[1:])[:80])
        raise OSError("network disabled by bench/translate.py")

    socket.socket.connect = refuse  # type: ignore[method-assign]
    socket.socket.connect_ex = refuse  # type: ignore[method-assign]
    socket.create_connection = refuse  # type: ignore[assignment]
    socket.getaddrinfo = refuse  # type: ignore[assignment]


def _timed(fn, *args):
    t = time.perf_counter()
    out = fn(*args)
    return out, time.perf_counter() - t


def _best(make, sents, repeats):
    """Best wall time of ``repeats`` runs, each on a fresh instance (cold cache), after one
    warm-up call on other text; the machine is shared, so the minimum is the honest figure."""
    best, out = float("inf"), None
    for _ in range(repeats):
        fn = make()
        fn(["Мэр говорил с послом."])
        out, secs = _timed(fn, sents)
        best = min(best, secs)
    return out, best


def _row(name: str, n: int, secs: float, base: float | None, agree: float | None) -> None:
    rate = n / secs if secs else float("inf")
    ratio = f"{base / secs:7.2f}x" if base else "  (base)"
    ag = f"{agree:6.1%}" if agree is not None else "     -"
    print(f"  {name:<34} {secs:8.3f} s {rate:10.1f} sent/s {ratio}  same output {ag}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=400, help="sentences per set")
    ap.add_argument("--package", help="an .argosmodel or package folder (default: built)")
    ap.add_argument(
        "--size",
        choices=("tiny", "medium", "base"),
        default="tiny",
        help="built package: tiny (tests), medium or base (real Argos shape; minutes to build)",
    )
    ap.add_argument("--repeats", type=int, default=3, help="timed runs per path (best kept)")
    ap.add_argument(
        "--no-flores",
        action="store_true",
        help="skip the FLORES set (out of the toy models' domain, a base-size model then "
        "decodes to the length cap: slow)",
    )
    ap.add_argument(
        "--default-threads",
        action="store_true",
        help="also time CTranslate2's default thread count on 50 sentences",
    )
    args = ap.parse_args()

    _guard_network()
    work = Path(tempfile.mkdtemp(prefix="mtclean-bench-translate-"))
    # Argos reads these once, at import; set them before anything imports it.
    os.environ["ARGOS_PACKAGES_DIR"] = str(work / "packages")
    os.environ["ARGOS_INTRA_THREADS"] = "1"
    os.environ.setdefault("XDG_DATA_HOME", str(work / "xdg"))

    from cleaners.config import TranslateConfig
    from cleaners.translate import Retranslator

    tiny = builder()
    package = args.package or str(tiny.ensure_package(args.size))
    cfg = TranslateConfig(package_path=package, packages_dir=str(work / "packages"))

    t0 = time.perf_counter()
    direct = Retranslator.from_config(cfg)
    print(f"package {direct.package.path.name}: install+load {time.perf_counter() - t0:.2f} s")

    sets = {"templated (in-domain)": [ru for ru, _ in tiny.training_pairs(args.n, seed=1)]}
    sets["templated (in-domain)"].reverse()  # not the builder's order
    flores = DATA / "flores200" / "dev.rus_Cyrl.txt"
    if args.no_flores:
        pass
    elif flores.is_file():
        sets["FLORES dev ru (real lengths)"] = flores.read_text(encoding="utf-8").split("\n")[
            : args.n
        ]
    else:
        print(f"(FLORES dev not found at {flores}; real-length set skipped)")

    import argostranslate.translate as argos_translate

    plain = argos_translate.get_translation_from_codes("ru", "en")

    class WholeText:
        def split_sentences(self, text: str) -> list[str]:
            return [text]

    plain.underlying.sentencizer = WholeText()  # the MiniSBD default would download

    def plain_fn():
        def run(ss):
            out = []
            for s in ss:
                plain.cache = {}  # Argos keeps the last call's paragraphs; not a batch cache
                out.append(argos_translate.translate(s, "ru", "en"))
            return out

        return run

    def ours(**update):
        return lambda: Retranslator.from_config(cfg.model_copy(update=update)).translate

    for name, sents in sets.items():
        sents = [s for s in sents if s.strip()]
        n = len(sents)
        words = sum(len(s.split()) for s in sents) / n
        print(f"\n{name}: {n} sentences, {words:.1f} words/sentence, best of {args.repeats}")

        def same(a, b, n=n):
            return sum(x == y for x, y in zip(a, b, strict=True)) / n

        base_out, base = _best(plain_fn, sents, args.repeats)
        _row("argostranslate.translate (plain)", n, base, None, None)
        out, secs = _best(ours(), sents, args.repeats)
        _row("direct CT2+SP, batch 32", n, secs, base, same(out, base_out))
        out1, secs1 = _best(ours(batch_size=1), sents, args.repeats)
        _row("direct CT2+SP, batch 1", n, secs1, base, same(out1, base_out))
        outa, secsa = _best(ours(compute_type="auto"), sents, args.repeats)
        _row("direct, batch 32, compute_type=auto", n, secsa, base, same(outa, base_out))
        out2, secs2 = _best(ours(backend="argos"), sents, args.repeats)
        _row("argos low-level, splitter bypassed", n, secs2, base, same(out2, base_out))
        print(f"  (direct batch 32 vs batch 1 identical: {same(out, out1):.1%})")

        warm = Retranslator.from_config(cfg)
        warm.translate(sents)
        _, hit = _timed(warm.translate, sents)
        _row("direct, all cached (memory LRU)", n, hit, base, None)
        disk_cfg = cfg.model_copy(update={"cache_dir": str(work / f"cache-{len(name)}")})
        Retranslator.from_config(disk_cfg).translate(sents)
        again = Retranslator.from_config(disk_cfg)
        _, disk = _timed(again.translate, sents)
        _row("direct, all cached (SQLite, new inst.)", n, disk, base, None)

    if args.default_threads:
        sents = sets["templated (in-domain)"][:50]
        thr = Retranslator.from_config(cfg.model_copy(update={"threads": 1}))
        _, one_t = _timed(thr.translate, sents)
        import ctranslate2

        tr = ctranslate2.Translator(str(direct.package.path / "model"), device="cpu")
        toks = direct.engine.sp.encode(sents, out_type=str)
        _, dflt = _timed(tr.translate_batch, toks)
        print("\nthreads (50 in-domain sentences, one batch):")
        _row("CTranslate2 intra_threads=1", 50, one_t, None, None)
        _row("CTranslate2 default threads", 50, dflt, one_t, None)

    print(f"\nnetwork attempts during the bench: {len(_attempts)} {_attempts[:3]}")


if __name__ == "__main__":
    main()
