"""The cheap-start dictionary answers exactly as a frozenset of wordsegment's words would."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from cleaners.repair import lexicon
from cleaners.repair.builders import lexicon as build_lexicon
from cleaners.repair.tables import package_text as _package_text
from cleaners.repair.words import _zipfs

try:
    FULL = frozenset(_package_text("wordsegment", "words.txt").split())
except (ModuleNotFoundError, FileNotFoundError):  # pragma: no cover - depends on the install
    FULL = frozenset()

pytestmark = pytest.mark.skipif(not FULL, reason="wordsegment is not installed")


def test_common_table_is_current() -> None:
    """The Zipf >= 3 table is wordfreq's, and it marks the words the dictionary lacks."""
    from cleaners.repair.build_tables import en_small_table

    shipped = lexicon.ZIPF3_TABLE.read_text(encoding="utf-8").splitlines()
    assert shipped == en_small_table(), "regenerate: python -m cleaners.repair.build_tables"
    zipfs, listed = lexicon.common_words()
    assert zipfs is _zipfs("en", "small")
    assert sorted(listed) == build_lexicon.listed_common(zipfs)
    assert all(zipfs[w] == z for w, z in listed.items())


def test_membership_and_difference_match_the_full_set() -> None:
    rng = random.Random(3)
    words = sorted(FULL)
    zipfs, listed = lexicon.common_words()
    # Common words, the dictionary's and the others ("covid", "ofthe").
    probes = rng.sample(words, 5000) + sorted(listed)[::7] + sorted(zipfs.keys() - listed)
    # Near misses: a letter added, dropped or doubled; fusions of two words.
    probes += [w + "s" for w in probes[:2000]] + [w[:-1] for w in probes[:2000]]
    probes += [a + b for a, b in zip(probes[:1500], probes[1500:3000], strict=True)]
    probes += ["", "a", "zzzzzz", "Economic", "economic", "andeconomic"]
    data = lexicon._word_file()
    for w in probes:
        assert (w in lexicon.DICTIONARY) == (w in FULL), w
        # The search in the file's bytes, used for the first words asked, on its own:
        assert lexicon._in_sorted_lines(data, w.encode()) == (w in FULL) or not w, w
    for _ in range(300):
        batch = set(rng.sample(probes, 12))
        assert batch - lexicon.DICTIONARY == batch - FULL
    batch = set(probes)
    assert batch - lexicon.DICTIONARY == batch - FULL
    assert len(lexicon.DICTIONARY) == len(FULL) and set(lexicon.DICTIONARY) == FULL
    assert {"therein", "nope-x"} & lexicon.DICTIONARY == {"therein"}


def test_phrase_table_is_current() -> None:
    path = lexicon._bigram_file()
    assert path is not None
    assert lexicon.PHRASES._checksums() == build_lexicon.phrase_checksums(path.read_bytes()), (
        "regenerate: python -m cleaners.repair.build_tables"
    )


def test_phrases_match_the_full_bigram_set(tmp_path: Path) -> None:
    text = _package_text("wordsegment", "bigrams.txt")
    full = frozenset(line.partition("\t")[0] for line in text.splitlines())
    rng = random.Random(5)
    probes = rng.sample(sorted(full), 400)
    probes += [p + "s" for p in probes[:100]] + [p.replace(" ", "") for p in probes[:100]]
    probes += ["economic sanctions", "fleet man", "a", "the", " ", "of the\tx"]
    # With the checksum table, and without it (every question searches the text).
    for phrases in (lexicon.Phrases(), lexicon.Phrases(table=tmp_path / "absent")):
        for p in probes:
            assert (p in phrases) == (p in full), p


# --- the phrase model and the tag lexicon ---------------------------------------------------


def test_language_model_binds_set_phrases_only() -> None:
    bigrams = lexicon.BigramModel()
    for a, b in [("social", "media"), ("blood", "pressure"), ("sore", "throat")]:
        assert bigrams.association(a, b) > 1.0, (a, b)
    for a, b in [("wind", "house"), ("fleet", "man"), ("pillow", "top")]:
        assert bigrams.association(a, b) < 0.2, (a, b)
    # Words the model lacks give no evidence either way.
    assert bigrams.association("coronavirus", "outbreak") is None
    # A phrase's Zipf value sits between its rarer word's and the rare end of the scale.
    z = bigrams.phrase_zipf("social", "media")
    assert 2.0 < z < 5.0
    assert bigrams.association("social", "media") == bigrams.association("social", "media")


def test_no_language_model_means_no_evidence(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_pocketsphinx(name: str, *args: object, **kwargs: object) -> object:
        if name == "pocketsphinx":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pocketsphinx)
    assert lexicon.BigramModel().association("social", "media") is None


def test_tag_lexicon_gives_the_usual_part_of_speech() -> None:
    assert lexicon.pos_tag("significant") == "JJ"
    assert lexicon.pos_tag("symptoms") == "NNS"
    assert lexicon.pos_tag("often") == "RB"
    assert lexicon.pos_tag("fell") == "VBD"
    # Only lowercase entries: proper names are not parts of speech here.
    assert lexicon.pos_tag("london") is None


def test_tag_search_matches_the_table() -> None:
    """pos_tag searches the sorted table's bytes: every word, and near misses, answer as
    a dict of the table would."""
    lines = lexicon.POS_TABLE.read_text(encoding="utf-8").splitlines()[1:]
    assert lines == sorted(lines)
    table = dict(line.split("\t") for line in lines)
    probes = list(table) + [w + "s" for w in table] + [w[:-1] for w in table]
    probes += ["", "a", "zzzzzz", "Economic", "economic", "a\tb"]
    for w in probes:
        assert lexicon.pos_tag(w) == table.get(w), w


def test_tag_table_is_current() -> None:
    pytest.importorskip("textblob", reason="TextBlob (the tag lexicon's source) is not installed")
    shipped = lexicon.POS_TABLE.read_text(encoding="utf-8").splitlines()
    assert shipped == build_lexicon.build_pos_table(), (
        "regenerate: python -m cleaners.repair.build_tables"
    )


def test_keep_list_is_current() -> None:
    """A sample of the words build_tables looks at gets the same verdict it recorded."""
    from cleaners.repair import words as W
    from cleaners.repair.build_tables import keep_candidates, kept_unsplit

    keep = W._keep_words("en")
    # Searched by bisection: the file must stay sorted, one word a line.
    lines = (W.DATA / "repair" / "en_keep_unsplit.txt").read_text(encoding="utf-8").splitlines()
    assert lines[1:] == sorted(set(lines[1:])) and all(w.isalpha() for w in lines[1:])
    sample = random.Random(5).sample(keep_candidates(), 3000) + sorted(keep)[::10]
    for w in sample:
        assert kept_unsplit(w) == (w in keep), (
            w,
            "regenerate: python -m cleaners.repair.build_tables",
        )


def test_ing_heads_are_current() -> None:
    from cleaners.repair import words as W
    from cleaners.repair.build_tables import ing_heads

    assert sorted(W._ing_heads()) == ing_heads(), (
        "regenerate: python -m cleaners.repair.build_tables"
    )
    assert {"keeping", "washing", "running"} <= W._ing_heads()
    assert not {"requiring", "regarding", "measuring"} & W._ing_heads()


def test_start_keep_list_is_current() -> None:
    """The sentence-start keep list is what build_tables derives from wordfreq now."""
    from cleaners.repair import words as W
    from cleaners.repair.build_tables import en_start_keep

    shipped = (W.DATA / "repair" / "en_start_keep.txt").read_text(encoding="utf-8").splitlines()
    assert shipped == en_start_keep(), "regenerate: python -m cleaners.repair.build_tables"
    assert {"inman", "andover"} <= W._start_keep("en") and "thecity" not in W._start_keep("en")


def test_start_split_list_is_current() -> None:
    """The sentence-start split list (common web typos, from wordfreq and the language
    model) is what build_tables derives now; names the lowercase rule would split stay
    off it."""
    from cleaners.repair import words as W
    from cleaners.repair.build_tables import en_start_split

    shipped = (W.DATA / "repair" / "en_start_split.txt").read_text(encoding="utf-8").splitlines()
    assert shipped == en_start_split(), "regenerate: python -m cleaners.repair.build_tables"
    assert W._start_split("en")["ofcourse"] == "of course"
    assert not {"justin", "asher", "willis", "togo", "isis"} & set(W._start_split("en"))
