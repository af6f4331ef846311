"""The pipeline configuration: one typed model, unknown keys rejected.

Each stage owns one section. ``PipelineConfig`` is also the Prefect flow's
parameter type, so the Prefect UI renders it as a form. ``document_hash`` stamps each
document's result in the manifest: a change there means documents are processed again;
``content_hash`` (every content setting) stamps the corpus: a change only there (``CORPUS_ONLY``:
``align.min_score``, the filters' thresholds and switches) rewrites the corpus from the stored
documents.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
from collections.abc import Hashable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from cleaners.fsutil import read_small_file


class _Strict(BaseModel):
    # strict: `true` is not a number and "yes" not a boolean (no coercion); finite numbers
    # only (one `.nan` once cut a corpus from 18 pairs to 4).
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


# Config and glossary files are small; a bigger one (or /dev/zero) is refused, not read.
MAX_CONFIG_BYTES = 8 << 20
# Weights are tuned in single or double digits; far beyond this one term swamps every other
# (and a product with a huge weight can overflow to inf).
MAX_WEIGHT = 10_000.0


class InputConfig(_Strict):
    """Reading and decoding inputs."""

    max_bytes: int = Field(
        20_000_000,
        ge=1,
        le=1 << 34,
        description="Files (JSONL: lines) larger than this are quarantined unread (bytes). "
        "20 MB: any 20 MB document pair runs (bench/bigdoc.py measures its memory and time).",
    )
    follow_symlinks: bool = Field(
        False, description="Follow symlinks that point outside the input folder (unsafe)."
    )


class RepairConfig(_Strict):
    """Repair engine: which rules run and with what parameters."""

    enabled: bool = Field(True, description="Run the repair engine at all.")
    disable: list[str] = Field(default_factory=list, description="Rule names to switch off.")
    enable: list[str] = Field(
        default_factory=list,
        description="Off-by-default rules to switch on (fold_quotes, fold_dashes).",
    )
    params: dict[str, dict[str, Any]] = Field(
        default_factory=dict, description="Per-rule parameter overrides: {rule: {param: value}}."
    )
    glossary: list[str] = Field(
        default_factory=list, description="Extra glossary files (TSV) beside the bundled one."
    )
    max_passes: int = Field(4, ge=1, le=20, description="Fixpoint cap for rule passes.")

    @model_validator(mode="after")
    def _known_rules(self) -> RepairConfig:
        # Typos in rule or parameter names must fail loudly, not be ignored; the
        # repair package owns its rules, so it checks them.
        from cleaners.repair.config import check_glossaries, check_rules

        self.params.update(check_rules([*self.disable, *self.enable], self.params))
        # A missing or malformed glossary would otherwise fail every document of a run.
        check_glossaries(self.glossary)
        return self


_LID_LANGUAGES = ["ru", "en", "uk", "be", "bg", "kk", "sr", "mk", "de", "fr"]
# The languages language ID can weigh as candidates: those with an alphabet (its script and
# letters) in this table; cleaners.lid reads the same file. Another code was silently dropped.
_LID_ALPHABETS = Path(__file__).resolve().parent / "data" / "lid_alphabets.tsv"


@lru_cache(maxsize=1)
def lid_known_languages() -> tuple[str, ...]:
    """The codes ``lid.languages`` may hold, in the table's order.

    >>> lid_known_languages()[:3], "xx" in lid_known_languages()
    (('ru', 'uk', 'be'), False)
    """
    lines = _LID_ALPHABETS.read_text(encoding="utf-8").splitlines()
    return tuple(ln.split("\t", 1)[0] for ln in lines if ln.strip() and not ln.startswith("#"))


class LidConfig(_Strict):
    """Language identification (see cleaners/lid/ for the layers).

    ``prior`` is where false positives are traded: a higher Russian prior makes
    two-word Cyrillic snippets come out Russian more often, and a Ukrainian or
    Bulgarian one without telltale letters is then more often called Russian too.
    On dev 2-word snippets, ru/en right vs other Cyrillic called ru (Russian prior;
    English stays 6): 4: 98.7 % / 3.4 %, 6: 98.8 % / 3.6 %, 10: 98.9 % / 4.1 %
    (sentences at 6: 99.9 % / 0.03 %; ambiguity floor of the 2-word set: 8.8 %).
    The ``lexicon_*`` fields trade the same way: a Russian floor 10x higher or an
    assumed be/kk zipf of 2 leave more Russian-looking snippets Russian.
    """

    backend: Literal["auto", "langdetect", "fasttext", "lingua"] = Field(
        "auto",
        description="'auto' = script + alphabets + fastText/lingua + prior; 'langdetect' = "
        "seeded langdetect only; 'fasttext'/'lingua' = one model alone (for comparison).",
    )
    seed: int = Field(0, description="Seed for langdetect (its default is random).")
    languages: list[str] = Field(
        default_factory=lambda: list(_LID_LANGUAGES),
        description="Candidate languages (ISO 639-1), in tie-break order; others need "
        "a script none of these use.",
    )
    prior: dict[str, Annotated[float, Field(gt=0, le=1e6)]] = Field(
        default_factory=lambda: {"ru": 6.0, "en": 6.0},
        description="Prior weight per language (others 1.0): the languages this product "
        "expects; above 0, at most 1e6.",
    )
    letter_penalty: float = Field(
        3.0,
        ge=0,
        le=MAX_WEIGHT,
        description="Nats a language loses per distinct letter outside its alphabet.",
    )
    prior_letters: int = Field(
        10,
        ge=1,
        description="Texts longer than this many letters get the prior scaled down by "
        "prior_letters / letters.",
    )
    short_letters: int = Field(
        0, ge=0, description="Texts with at most this many letters always consult lingua."
    )
    sure: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Consult lingua too when the best candidate's probability (fastText, "
        "letters and prior combined) is below this; 0 = never.",
    )
    other_sure: float = Field(
        0.9,
        ge=0,
        le=1.01,
        description="Report a language outside `languages` (it, pl, tr ...) when fastText "
        "gives it at least this probability on a text of 20+ letters; above 1 = never.",
    )
    evidence_sure: float = Field(
        0.0,
        ge=0,
        le=1,
        description="Consult lingua too when the evidence alone (before the prior) leaves "
        "the best candidate below this probability; 0 = off. On dev, 0.7 takes other Cyrillic "
        "called Russian from 0.27 % to 0.05 % (sentences) and 25 % to 20 % (2 words), at "
        "about half the speed on short text.",
    )
    lexicon_words: int = Field(
        3,
        ge=0,
        description="Cyrillic texts of at most this many words also weigh word frequencies "
        "(wordfreq's lists for ru (large), uk, bg, mk, sr (small): 'дякую' is Ukrainian, "
        "'вясной' is not Russian); 0 = off.",
    )
    lexicon_weight: float = Field(
        1.0, ge=0, le=MAX_WEIGHT, description="Weight of the word frequencies."
    )
    lexicon_assumed_zipf: float = Field(
        3.0,
        ge=0,
        le=8,
        description="Zipf frequency at which a language without a word list (be, kk) is "
        "taken to know a word some list knows.",
    )
    lexicon_kin_share: float = Field(
        0.5,
        ge=0,
        le=1,
        description="... or this share of the word's highest frequency in a listed language "
        "when that is more (Belarusian shares Russian's 'на', 'у').",
    )
    lexicon_unknown_bias: float = Field(
        2.0,
        description="Nats a language without a word list gains per word no list knows.",
    )
    lexicon_sure: float = Field(
        0.8,
        ge=0,
        le=1,
        description="Longer Cyrillic texts whose best candidate is below this probability "
        "are weighed by their first words too (as much as a short text's); 0 = never.",
    )
    short_weight: float = Field(
        1.0, ge=0, le=MAX_WEIGHT, description="Weight of lingua's log-probability."
    )
    model_floor: float = Field(
        1e-4, gt=0, le=1, description="Probability floor for a language a model did not list."
    )
    min_letters: int = Field(1, ge=1, description="Fewer letters than this: 'und'.")
    decisive_letters: int = Field(
        20,
        ge=0,
        description="Texts with at least this many letters may be decided by letters and "
        "marker words alone (data/lid_markers.tsv), without a model; 0 never.",
    )
    decisive_evidence: int = Field(
        2,
        ge=1,
        description="Marker letters (occurrences) plus distinct marker words the one "
        "language the letters leave must show, unless data/lid_markers.tsv sets its own "
        "(guards against languages not configured).",
    )
    on_wrong_side: Literal["swap", "quarantine", "keep"] = Field(
        "swap", description="What to do when the 'ru' file is English and the 'en' file Russian."
    )

    @model_validator(mode="after")
    def _usable_languages(self) -> LidConfig:
        """A code that matches nothing was ignored unseen: ``RU`` took Russian's prior away,
        a prior for a language that is no candidate did nothing.

        >>> LidConfig(languages=["RU", "en"])  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        pydantic_core._pydantic_core.ValidationError: ...'RU' is not a lowercase ISO 639-1 ...
        """
        for code in self.languages:
            if not (len(code) == 2 and code.isascii() and code.isalpha() and code.islower()):
                raise ValueError(f"languages: {code!r} is not a lowercase ISO 639-1 code (ru, en)")
        if len(set(self.languages)) != len(self.languages):
            raise ValueError("languages: a code is given twice")
        known = lid_known_languages()
        unknown = [c for c in self.languages if c not in known]
        if unknown:
            raise ValueError(
                f"languages: {', '.join(map(repr, unknown))} cannot be detected (no alphabet "
                f"in cleaners/data/lid_alphabets.tsv); known: {', '.join(known)}"
            )
        missing = [c for c in ("ru", "en") if c not in self.languages]
        if missing:
            raise ValueError(f"languages must include {' and '.join(missing)} (the two sides)")
        stray = [c for c in self.prior if c not in self.languages]
        if stray:
            raise ValueError(f"prior: {', '.join(stray)} not in languages, so it does nothing")
        return self


COGNATE_PREFIX_MIN, COGNATE_PREFIX_MAX = 3, 10  # align.cognate_prefix, when not 0


class AlignConfig(_Strict):
    """Sentence alignment (see cleaners/align.py; defaults tuned on WMT21 + FLORES dev)."""

    min_score: float = Field(
        0.0,
        ge=0,
        le=1,
        description="Beads whose adequacy (in a run, in its document: cleaners/judge.py "
        "in_document; in mtclean filter, the pair's; the aligner's own score when filters are "
        "off) is below this are kept in docs/ but left out of the corpus (below-min-score).",
    )
    include_comments: bool = Field(True, description="Align reader comments too (ru/en only).")
    method: Literal["anchors", "gale-church"] = Field(
        "anchors",
        description="'anchors' = length + MT-free anchors (+ retranslation when available); "
        "'gale-church' = the textbook length-only baseline.",
    )
    band: int = Field(
        64, ge=8, description="Initial band width (sentences); widened when the path touches it."
    )
    p_skip: float = Field(
        0.03, gt=0, lt=1, description="Prior of a 1-0 or 0-1 bead (higher = drops more readily)."
    )
    p_merge: float = Field(0.03, gt=0, lt=1, description="Prior of a 2-1 or 1-2 bead.")
    p_merge2: float = Field(0.01, gt=0, lt=1, description="Prior of a 2-2 bead.")
    p_merge3: float = Field(0.001, gt=0, lt=1, description="Prior of a 3-1 or 1-3 bead.")
    length_ratio: float = Field(
        1.0,
        gt=0,
        description="Typical English/Russian character ratio; a document's own ratio is "
        "shrunk towards it (WMT21 dev: 1.07 for Russian originals, FLORES: 0.91).",
    )
    length_variance: float = Field(
        4.0, gt=0, description="Gale-Church variance of the length difference per character."
    )
    anchor_weight: float = Field(
        8.0,
        ge=0,
        le=MAX_WEIGHT,
        description="Weight of the anchor similarity (numbers, names, marks).",
    )
    mt_weight: float = Field(
        40.0,
        ge=0,
        le=MAX_WEIGHT,
        description="Weight of the retranslation-vs-English word similarity.",
    )
    number_miss_weight: float = Field(
        0.75,
        ge=0,
        le=MAX_WEIGHT,
        description="Cost per number found on only one side of a bead.",
    )
    lexical_weight: float = Field(
        16.0,
        ge=0,
        description="Weight of the word-table similarity (cleaners/lexsim; 0 = off; used when "
        "a table ships for the language pair).",
    )
    word_table: str | None = Field(
        None,
        description="A word table file for the language pair (built by `mtclean lexicon build` "
        "from the user's own parallel text; either direction of the pair) that replaces the "
        "shipped table of that pair, or gives one to a pair without any; a relative path is "
        "taken from the config file's folder. `mtclean run` aligns ru-en: its table must be "
        "ru-en or en-ru. The adequacy filters keep the shipped ru-en table.",
    )
    lexical_score: Literal["auto", "coverage", "dice"] = Field(
        "auto",
        description="How a bead's sentences are scored with the word table: 'dice' = one Dice "
        "overlap per bead; 'coverage' = each sentence's share of words the bead's other side "
        "translates, summed over the bead's sentences, less what unrelated sentences would "
        "cover (keeps a literary translator's 2-2/3-2 regroupings together; ~45 % more CPU); "
        "'auto' (the default) = coverage between two languages in one script (de–fr: names and "
        "cognates give it words to cover), Dice otherwise (ru–en: the same F1 for less CPU).",
    )
    cognate_prefix: int = Field(
        5,
        ge=0,
        description="Between two languages in one script, a word of at least this many letters "
        "also counts as its accent-folded first letters, spellings of one sound folded together "
        "(cognates: 'offizielle' ~ 'officielle', 'Géologie' ~ 'Geologie'); 0 = off, else 3 to 10.",
    )

    @field_validator("word_table")
    @classmethod
    def _word_table_named(cls, value: str | None) -> str | None:
        # An empty path (`word_table: $TABLE` unset) would silently align without the table.
        if value is not None and not value.strip():
            raise ValueError("empty: name a table file of `mtclean lexicon build`, or leave it out")
        return value

    @field_validator("cognate_prefix")
    @classmethod
    def _cognate_prefix_in_range(cls, value: int) -> int:
        # 1-2 letters key unrelated words together (every 'co…' word); past 10 almost no word
        # is long enough, so the keys would silently switch themselves off.
        if value != 0 and not COGNATE_PREFIX_MIN <= value <= COGNATE_PREFIX_MAX:
            raise ValueError(
                f"{value} letters: use 0 (off) or {COGNATE_PREFIX_MIN} to {COGNATE_PREFIX_MAX} "
                "(the default 5; Simard et al. took 4)"
            )
        return value


FILTER_NAMES = (
    "too-short",
    "too-long",
    "boilerplate",
    "untranslated",
    "wrong-language",
    "length-ratio",
    "number-mismatch",
    "truncated",
    "misaligned",
    "not-parallel",
    "duplicate",
    "near-duplicate",
)


class FiltersConfig(_Strict):
    """Pair filters (see cleaners/filters.py): each gives a score and a decision with a reason.

    A rejected bead stays in docs/ (with what the filters read: they decide when the corpus is
    written, so every setting here but ``enabled`` and ``segment_*`` redoes no document) and
    goes to corpus.rejected.* with its reasons, never into the corpus. Defaults tuned on the
    dev half of bench/filters.py's noisy set.
    """

    enabled: bool = Field(True, description="Judge pairs at all (off: every aligned pair kept).")
    disable: list[str] = Field(
        default_factory=list, description=f"Filters to switch off: {', '.join(FILTER_NAMES)}."
    )
    min_letters: int = Field(2, ge=0, description="too-short: fewer letters on a side rejects.")
    max_chars: int = Field(1500, ge=1, description="too-long: more characters on a side rejects.")
    max_length_ratio: float = Field(
        2.6,
        gt=1,
        description="length-ratio: rejects when one side is this many times longer than "
        "expected (lengths smoothed by 10 characters, so short pairs vary freely).",
    )
    lang_sure: float = Field(
        0.8,
        ge=0,
        le=1,
        description="untranslated / wrong-language: a side's language must be detected with "
        "at least this score to reject (short text is often undecidable).",
    )
    copied_share: float = Field(
        0.7,
        gt=0,
        le=1,
        description="untranslated: share of words found verbatim on both sides (3+ words).",
    )
    max_numbers_missing: int = Field(
        2,
        ge=0,
        description="number-mismatch: rejects when a number is changed (one side's number "
        "missing and another in its place) or more than this many are missing, number words "
        "('five', 'пять') excusing one each.",
    )
    truncated_ratio: float = Field(
        1.2,
        gt=1,
        description="truncated: one side stops mid-sentence (no end punctuation where the other "
        "has one, or on a word no sentence ends on: data/cut_words.tsv), shorter than expected, "
        "while the other is this many times longer.",
    )
    truncated_mark_below: float = Field(
        0.9,
        ge=0,
        le=1,
        description="truncated: an end mark one side has and the other lacks counts only for a "
        "pair whose adequacy is below this (1: always). A complete translation that only lacks "
        "its full stop ('Он пришёл домой.' ↔ 'He came home') scores high; a word no sentence "
        "ends on counts at any adequacy. bench/filters.py fit half: clean pairs with the "
        "English full stop dropped kept 67 → 96 %, truncated pairs rejected 91.6 → 90.6 %.",
    )
    min_adequacy: float = Field(
        0.3,
        ge=0,
        le=1,
        description="misaligned: adequacy (calibrated P; in a run, in its document) below this "
        "rejects (bench/filters.py "
        "--half fit --sweep prints clean pairs kept and noise rejected from 0.1 to 0.7). In a "
        "document, context_min_adequacy spares a pair between kept ones.",
    )
    context_min_adequacy: float = Field(
        0.01,
        ge=0,
        le=1,
        description="misaligned, in a document: a bead whose neighbours are kept pairs (or one "
        "is and the other is the document's edge) is rejected as misaligned only when its pair "
        "score (not the in-document one) is below this; the alignment around it is evidence "
        "the word table lacks (short everyday sentences whose words it never saw). Set it to "
        "min_adequacy to switch this off.",
    )
    not_parallel_share: float = Field(
        0.5,
        ge=0,
        le=1,
        description="not-parallel: a document whose 1-1+ beads are inadequate (below "
        "min_adequacy) more often than this is flagged and all its beads rejected.",
    )
    not_parallel_min_beads: int = Field(
        4,
        ge=1,
        description="not-parallel: documents with fewer pairs are judged whole only by "
        "not_parallel_short_below.",
    )
    not_parallel_short_below: float = Field(
        0.3,
        ge=0,
        le=1,
        description="not-parallel, a short document (fewer pairs than not_parallel_min_beads, "
        "two Russian sentences or more): flagged when every pair's adequacy is below this "
        "(the default is min_adequacy's: pairs all rejected as inadequate get the warning "
        "that says why). bench/filters.py, first 2 / 3 sentences of WMT21 + FLORES dev "
        "documents, word table rebuilt without the half: with another document's English "
        "99.5 / 99.3 % flagged (fit half 99.0 / 99.3 %), with their own none (0.1: 98.6 % "
        "at 3 sentences on the eval half). 0 = off.",
    )
    segment_lang_sure: float = Field(
        0.9,
        ge=0,
        le=1.01,
        description="A segment of a side whose language is known leaves the alignment as "
        "another language only when detected with at least this score (cleaners/leftout.py).",
    )
    segment_min_letters: int = Field(
        20,
        ge=0,
        description="... and when it has at least this many letters of that language's script "
        "(and under a tenth as many of the side's own script, when the scripts differ).",
    )
    near_duplicate_digits: bool = Field(
        False,
        description="near-duplicate: also ignore digits in the key (pairs differing only in a "
        "number count as repeats: dates in boilerplate).",
    )

    @model_validator(mode="after")
    def _known_filters(self) -> FiltersConfig:
        for name in self.disable:
            if name not in FILTER_NAMES:
                raise ValueError(f"unknown filter {name!r}; known: {', '.join(FILTER_NAMES)}")
        return self

    def on(self, name: str) -> bool:
        """Whether filter ``name`` runs."""
        return self.enabled and name not in self.disable


class TranslateConfig(_Strict):
    """Offline retranslation of the Russian source (Argos Translate)."""

    enabled: bool = Field(
        False, description="Retranslate ru→en offline (needs the 'translate' extra)."
    )
    package_path: str | None = Field(
        None,
        description="A local .argosmodel file or an installed package folder "
        "(else $MTCLEAN_ARGOS_PACKAGE, else an installed ru→en package).",
    )
    batch_size: int = Field(32, ge=1, description="Sentences per translation call.")
    threads: int = Field(
        1, ge=1, description="CTranslate2 intra threads (1 is fastest on small machines)."
    )
    backend: Literal["ctranslate2", "argos"] = Field(
        "ctranslate2",
        description="'ctranslate2' = the package's model + SentencePiece directly, batched; "
        "'argos' = Argos's apply_packaged_translation one sentence at a time (slower).",
    )
    beam_size: int = Field(
        4, ge=1, le=16, description="Beam width (deterministic search, no sampling)."
    )
    packages_dir: str | None = Field(
        None,
        description="Where .argosmodel files are installed (else $ARGOS_PACKAGES_DIR, else "
        "$XDG_DATA_HOME/mtclean/argos-packages).",
    )
    cache_dir: str | None = Field(
        None, description="On-disk translation cache folder shared between runs (none = memory)."
    )
    cache_size: int = Field(50_000, ge=1, description="Sentences kept in the in-memory LRU cache.")
    compute_type: Literal["default", "auto", "int8", "int8_float32", "float32"] = Field(
        "default",
        description="CTranslate2 compute type: 'default' = as the package was saved (portable "
        "results); 'auto' = fastest this CPU supports, as plain Argos does (results may differ "
        "between machines).",
    )
    fill_untranslated: bool = Field(
        True,
        description="Replace Cyrillic fragments left in English MT by their retranslation "
        "(each fill is a recorded edit). Risk: a Russian quote kept on purpose is translated too.",
    )
    mode: Literal["signal", "missing", "replace", "all"] = Field(
        "signal",
        description="What the retranslation is for. 'signal': alignment, agreement scores and "
        "Cyrillic fill-ins only; 'missing': also the English side of documents without MT; "
        "'replace': also English segments whose MT failed (left in Russian, no letters, or "
        "agreement below replace_below), each a recorded edit; 'all': the English side of "
        "every document with a source is the retranslation (the MT stays in docs/).",
    )
    replace_below: float = Field(
        0.2,
        ge=0.0,
        le=1.0,
        description="mode 'replace': an English segment whose chrF agreement with the "
        "retranslation is below this is replaced (0 = only Russian or empty segments). Also "
        "the report's 'low adequacy' mark.",
    )


class RunConfig(_Strict):
    """How the flow schedules work (never changes the corpus content)."""

    batch_size: int = Field(200, ge=1, le=1_000_000, description="Documents per task run.")
    max_workers: int = Field(2, ge=1, le=1024, description="Concurrent batches on one machine.")
    pool: Literal["threads", "processes"] = Field(
        "threads",
        description="Local concurrency: threads (measured faster here: they overlap the fsync "
        "of each result; a process pays ~2-5 s of imports) or processes (many idle cores).",
    )
    dask: bool = Field(False, description="Run batches on Prefect's Dask task runner.")
    dask_address: str | None = Field(
        None, description="A Dask scheduler address; empty = a LocalCluster."
    )

    @field_validator("dask_address")
    @classmethod
    def _address_with_port(cls, value: str | None) -> str | None:
        """``host:port`` (``tcp://``, ``tls://``, ``ws://``... before it, or ``inproc://``):
        "nope" failed only once Dask was asked, as an unexpected error (exit 1).

        >>> RunConfig(dask_address="tcp://10.0.0.5:8786").dask_address
        'tcp://10.0.0.5:8786'
        >>> RunConfig(dask_address="nope")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        pydantic_core._pydantic_core.ValidationError: ...not a Dask scheduler address...
        """
        if not value or value.startswith("inproc://"):
            return value
        port = value.rsplit(":", 1)[-1] if ":" in value.split("://")[-1] else ""
        if not (port.isdigit() and 0 < int(port) < 65536):
            raise ValueError(f"{value!r} is not a Dask scheduler address (tcp://HOST:PORT)")
        return value


class PipelineConfig(_Strict):
    """Everything a run needs besides its input and output folders."""

    input: InputConfig = Field(default_factory=InputConfig)
    repair: RepairConfig = Field(default_factory=RepairConfig)
    lid: LidConfig = Field(default_factory=LidConfig)
    align: AlignConfig = Field(default_factory=AlignConfig)
    translate: TranslateConfig = Field(default_factory=TranslateConfig)
    filters: FiltersConfig = Field(default_factory=FiltersConfig)
    run: RunConfig = Field(default_factory=RunConfig)

    def content_hash(self) -> str:
        """Hash of the settings that change corpus content (``run`` excluded, and where the
        translator's packages and cache live: moving them changes no translation)."""
        return self._hash(document_only=False)

    def document_hash(self) -> str:
        """:meth:`content_hash` without the settings read only when the corpus is written
        (:data:`CORPUS_ONLY`: ``align.min_score``, the filters' thresholds and
        ``filters.disable``): what a document's result in docs/ is stamped with, so changing
        one of those rewrites the corpus from the stored documents and redoes none.

        >>> base = PipelineConfig()
        >>> tuned = PipelineConfig(align={"min_score": 0.4},
        ...                        filters={"disable": ["duplicate"], "min_adequacy": 0.5})
        >>> tuned.document_hash() == base.document_hash()
        True
        >>> tuned.content_hash() == base.content_hash()
        False
        """
        return self._hash(document_only=True)

    def _hash(self, document_only: bool) -> str:
        exclude: dict[str, Any] = {"run": True, "translate": _WHERE_ONLY, "align": {"word_table"}}
        data = self.model_dump(mode="json", exclude=exclude)
        if document_only:
            for section, keys in CORPUS_ONLY.items():
                for key in keys:
                    del data[section][key]
        # A word table counts by its bytes, not where it lies (a config without one hashes as
        # before the field was added: earlier runs' results stay current).
        if self.align.word_table:
            digest = _table_sha256(self.align.word_table)
            # The shipped ru-en table given as a file aligns as no table given (a test holds
            # it): the same results, so the same hash, and a rerun redoes nothing.
            if digest != _shipped_ru_en_sha256():
                data["word_table_sha256"] = digest
        # A glossary file edited in place changes the repairs as much as a setting does.
        if self.repair.glossary:
            data["glossary_sha256"] = [_file_sha256(p) for p in self.repair.glossary]
        blob = json.dumps(data, sort_keys=True, ensure_ascii=False).encode()
        return hashlib.sha256(blob).hexdigest()


_WHERE_ONLY = {"packages_dir", "cache_dir", "cache_size"}  # (content_hash leaves them out)

# Settings read only when the corpus files are written (cleaners.writers: min_score and dedup;
# cleaners.judge.decide_document: the filters' thresholds and switches, over the measurements
# docs/ store), never while a document is processed (cleaners.pipeline, judge.measure_document,
# leftout): document_hash leaves them out. `filters.enabled` also gates dedup and the filters'
# decisions, but it decides whether a document is measured at all, so it stays; so do the
# segment_* settings (leftout: they change which sentences are aligned). A setting added here
# must be read by no document-stage code (tests/test_config.py checks the names in the code);
# when in doubt, leave it out of this table: a wrong entry gives stale documents, silently.
CORPUS_ONLY: dict[str, tuple[str, ...]] = {
    "align": ("min_score",),
    "filters": (
        "disable",
        "min_letters",
        "max_chars",
        "max_length_ratio",
        "lang_sure",
        "copied_share",
        "max_numbers_missing",
        "truncated_ratio",
        "truncated_mark_below",
        "min_adequacy",
        "context_min_adequacy",
        "not_parallel_share",
        "not_parallel_min_beads",
        "not_parallel_short_below",
        "near_duplicate_digits",
    ),
}


@lru_cache(maxsize=1)
def _shipped_ru_en_sha256() -> str:
    """The hash of the ru-en word table ``mtclean run`` aligns with when none is given."""
    return _table_sha256(str(Path(__file__).resolve().parent / "data" / "lex" / "ru-en.tsv")) or ""


def _table_sha256(path: str) -> str | None:
    """A word table's hash, read in pieces (a table may run to megabytes)."""
    try:
        with open(path, "rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError:
        return None  # (the run refuses a table it cannot read before it starts)


def _file_sha256(path: str) -> str | None:
    from cleaners.repair.config import MAX_GLOSSARY_BYTES

    try:
        return hashlib.sha256(read_small_file(path, MAX_GLOSSARY_BYTES)).hexdigest()
    except OSError:
        return None  # gone since the config was read: the run fails on it anyway


class _UniqueKeyLoader(yaml.SafeLoader):
    """YAML's safe loader that refuses a key given twice in one mapping: PyYAML keeps the
    last silently, so a second ``align:`` section would undo the first unseen.

    >>> yaml.load("a: &x {c: 1}\\nb: {<<: *x, c: 2}", Loader=_UniqueKeyLoader)  # merge keys
    {'a': {'c': 1}, 'b': {'c': 2}}
    >>> yaml.load("a: 1\\na: 2", Loader=_UniqueKeyLoader)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    yaml.constructor.ConstructorError: key 'a' given twice in one mapping...
    """


def _unique_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":  # "<<: *base": its keys may be overridden
            continue
        key = loader.construct_object(key_node)
        if not isinstance(key, Hashable):
            continue  # (construct_mapping names an unhashable key itself)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"key {key!r} given twice in one mapping", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _unique_mapping)


def load_config(path: str | Path | None) -> PipelineConfig:
    """Read a YAML or JSON config file strictly (safe loader, unknown keys rejected)."""
    if path is None:
        return PipelineConfig()
    raw = read_small_file(path, MAX_CONFIG_BYTES)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf16 = raw.startswith((b"\xff\xfe", b"\xfe\xff"))
        raise ValueError(
            f"not UTF-8 text (byte {exc.start} is {raw[exc.start]:#04x}"
            + ("; it is UTF-16: save it as UTF-8)" if utf16 else ")")
        ) from None
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader) or {}  # noqa: S506  (a safe loader)
    except yaml.YAMLError as exc:  # say where in the file, not in "<unicode string>"
        raise ValueError(str(exc).replace("<unicode string>", Path(path).name)) from None
    if not isinstance(data, dict):
        raise ValueError(f"config must be a mapping, got {type(data).__name__}")
    # A path in the config (a glossary, a word table, the Argos package, its install and
    # cache folders) is taken from the config's folder, wherever mtclean is run from; the
    # flags (--argos-package, --word-table) stay relative to the working directory.
    here = Path(os.path.abspath(path)).parent
    repair_ = data.get("repair")
    if isinstance(repair_, dict) and isinstance(repair_.get("glossary"), list):
        repair_["glossary"] = [_beside(here, g) for g in repair_["glossary"]]
    align_ = data.get("align")
    if isinstance(align_, dict) and "word_table" in align_:
        align_["word_table"] = _beside(here, align_["word_table"])
    translate_ = data.get("translate")
    if isinstance(translate_, dict):
        for key in ("package_path", "packages_dir", "cache_dir"):
            if key in translate_:
                translate_[key] = _beside(here, translate_[key])
    return PipelineConfig.model_validate(data)


def _beside(folder: Path, value: Any) -> Any:
    """A relative path string from a config file, taken from the config's ``folder``
    (``~`` is the user's home); anything else as given, for validation to judge.

    >>> _beside(Path("/etc/mtclean"), "terms.tsv"), _beside(Path("/etc"), "/abs/t.tsv")
    ('/etc/mtclean/terms.tsv', '/abs/t.tsv')
    >>> _beside(Path("/etc"), None), _beside(Path("/etc"), "")
    (None, '')
    """
    if not isinstance(value, str) or not value:
        return value
    expanded = os.path.expanduser(value)
    return expanded if Path(expanded).is_absolute() else str(folder / expanded)


def closest_key(loc: Sequence[str | int]) -> str | None:
    """For an unknown config key at ``loc`` (a validation error's location, ``("repair",
    "enabeld")``), the known key of that section it most likely misspells, or None.

    >>> closest_key(("repair", "enabeld")), closest_key(("filtres",)), closest_key(("run", "x"))
    ('enabled', 'filters', None)
    """
    model: type[BaseModel] = PipelineConfig
    for part in loc[:-1]:
        field = model.model_fields.get(str(part))
        inner = field.annotation if field is not None else None
        if not (isinstance(inner, type) and issubclass(inner, BaseModel)):
            return None  # (a mapping of the user's own keys, such as repair.params)
        model = inner
    found = difflib.get_close_matches(str(loc[-1]), list(model.model_fields), n=1, cutoff=0.75)
    return found[0] if found else None


# ---------------------------------------------------------------- command-line flags

_VALUE = object()  # in FLAG_FIELDS: "the flag's own value"

# `mtclean run` / `serve` flags → the config fields they set, in one table so the CLI, its
# --help and the tests cannot drift apart. A flag that is False or None was not given.
FLAG_FIELDS: dict[str, tuple[tuple[str, str, Any], ...]] = {
    "retranslate": (("translate", "enabled", True),),
    "translate_mode": (("translate", "enabled", True), ("translate", "mode", _VALUE)),
    "argos_package": (("translate", "package_path", _VALUE), ("translate", "enabled", True)),
    "dask": (("run", "dask", True),),
    "dask_address": (("run", "dask", True), ("run", "dask_address", _VALUE)),
    "batch_size": (("run", "batch_size", _VALUE),),
    "workers": (("run", "max_workers", _VALUE),),
}


def with_flags(config: PipelineConfig, flags: dict[str, Any]) -> PipelineConfig:
    """``config`` with the given command-line flags applied, validated again.

    Raises ``ValueError`` naming the flag (``--batch-size: ...``) for a value the config
    would reject.

    >>> cfg = with_flags(PipelineConfig(), {"workers": 4, "dask_address": "tcp://h:8786",
    ...                                     "retranslate": False, "batch_size": None})
    >>> cfg.run.max_workers, cfg.run.dask, cfg.run.dask_address, cfg.translate.enabled
    (4, True, 'tcp://h:8786', False)
    >>> with_flags(PipelineConfig(), {"batch_size": 0})
    Traceback (most recent call last):
    ...
    ValueError: --batch-size: Input should be greater than or equal to 1
    """
    data = config.model_dump()
    owner: dict[tuple[str, str], str] = {}
    for flag, value in flags.items():
        if value is None or value is False:
            continue
        for section, key, set_to in FLAG_FIELDS[flag]:
            data[section][key] = value if set_to is _VALUE else set_to
            owner[(section, key)] = flag
    try:
        return PipelineConfig.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        flag = owner.get(tuple(str(x) for x in err["loc"][:2]), "")  # type: ignore[arg-type]
        where = f"--{flag.replace('_', '-')}" if flag else ".".join(map(str, err["loc"]))
        raise ValueError(f"{where}: {err['msg'].removeprefix('Value error, ')}") from None
