"""UTF-8 Russian read as Windows-1252 that lost bytes on the way (copied from a page, pasted).

``с`` is UTF-8 ``D1 81``; read as cp1252 it is ``Ñ`` and a C1 control, which a copy and
paste, an editor or a form drops or turns into a space, ``?`` or ``�``; ``Р`` (``D0 A0``)
leaves ``Ð`` and a no-break space, which becomes a space. ftfy, and a plain re-decoding,
then give up on the whole word. The lost byte is one of a few (the bytes cp1252 leaves
undefined, the no-break space, the soft hyphen), so each gap has two to five readings; the
reading of each word that Russian's word list knows best is taken.
"""

from __future__ import annotations

import re
from functools import lru_cache

from cleaners.langev import RUSSIAN_WORD as _RU_WORD
from cleaners.langev import russian_score
from cleaners.repair import sloppy  # noqa: F401  (registers the sloppy codecs)
from cleaners.repair.words import _zipfs, zipf

# The second bytes a lead byte's Russian letters have that cp1252 leaves undefined (0x81,
# 0x8D, 0x8F, 0x90, 0x9D), or that are a no-break space (0xA0) or a soft hyphen (0xAD):
# D0 81 Ё, D0 90 А, D0 9D Н, D0 A0 Р, D0 AD Э; D1 81 с, D1 8D э, D1 8F я.
# A no-break space of the text itself (C2 A0, ``Â `` once its A0 became a space, before a
# dash or in "т. е.") is one too: unread, it leaves the whole run undecoded.
_LOST = {"Ð": (0x81, 0x90, 0x9D, 0xA0, 0xAD), "Ñ": (0x81, 0x8D, 0x8F), "Â": (0xA0,)}
# What a lost byte may have become instead of nothing ("?" only where the text shows it
# after a lead byte's letter, ``Ð?Ð¾``: else it is a question mark; see stand_ins). A
# no-break space that became a space (``Ð `` for Р) is read so whatever else the run shows.
_STAND_INS = frozenset(" \u00a0\ufffd")
_DROPPED_NOT = _STAND_INS | {"?"}  # after Ð/Ñ, no sign of a dropped byte
_QUESTION_IN_WORD = re.compile("[ÐÑ]\\?[ÐÑ]")
# ... or after a word, when punctuation or more of the run follows ("Ñ?." of "я."; "Ñ? Ð"
# of "с "); a last "?" before a quote or the end may be a question mark (``вопрос?``).
_QUESTION_AFTER = re.compile("[ÐÑ]\\?(?=[ÐÑ.,;:!?)]| [ÐÑ])")
_REPLACED = re.compile("[ÐÑ]\ufffd")
# Ñ before a space or the end: a dropped byte (Ñ and a no-break space is no Russian letter).
_BARE_END = re.compile("Ñ(?:[ \u00a0]|$)")
# Real typography beside the mojibake (it is itself a second byte in cp1252: ``л`` is Ð»).
_TYPOGRAPHY = frozenset("«»–—…“”„‘’•")
# A UTF-8 Russian letter read as cp1252: the lead byte's letter and a second byte 0x80-0xBF.
_PAIR = re.compile("[ÐÑ][\u0080-\u00bf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]")
_MAX_READINGS = 16384  # a chunk's readings are enumerated (a word has 1-3 gaps, 3-10 readings each)


def _byte_table() -> dict[str, int]:
    """``{character: the one byte it is in sloppy cp1252}``, Latin-1's C1 controls (which
    cp1252 has letters for) as themselves: a look-up instead of an encode per character
    (the readings below ask it of every character of every chunk)."""
    table = {ch: i for i, ch in enumerate(bytes(range(256)).decode("sloppy-windows-1252"))}
    table.update({chr(b): b for b in range(0x80, 0xA0)})
    return table


_BYTES = _byte_table()
# The characters that are a second byte (0x80-0xBF) in cp1252.
_SECOND_BYTES = {ch: b for ch, b in _BYTES.items() if 0x80 <= b <= 0xBF}


def _byte(ch: str) -> int | None:
    """The one byte ``ch`` is in cp1252 (Latin-1's C1 controls, which cp1252 has letters
    for, as themselves), else None."""
    return _BYTES.get(ch)


def _second_byte(ch: str) -> int | None:
    return _SECOND_BYTES.get(ch)


def _tail(lead: int) -> int:
    """How many second bytes follow a UTF-8 lead byte (0: not a lead byte)."""
    return 1 if 0xC2 <= lead <= 0xDF else 2 if 0xE0 <= lead <= 0xEF else 3 if lead <= 0xF4 else 0


def cuts_a_letter(text: str, end: int) -> bool:
    """``text[:end]`` ends between a lead byte's letter and its second byte (a span trimmed
    of a closing "»" that is ``л``'s second byte): no lost byte there.

    >>> cuts_a_letter("Ð»", 1), cuts_a_letter("Ð »", 1)
    (True, False)
    """
    return 0 < end < len(text) and text[end - 1] in _LOST and _second_byte(text[end]) is not None


def _lost_at(chunk: str, i: int) -> bool:
    """``chunk[i]`` is a lead byte's letter whose second byte may be lost: none follows, or
    typography does (``Ñ»`` is я and a real closing quote, not ``ѻ``)."""
    nxt = chunk[i + 1] if i + 1 < len(chunk) else ""
    return chunk[i] in _LOST and (_second_byte(nxt) is None or nxt in _TYPOGRAPHY)


def _has_gap(chunk: str) -> bool:
    return any(_lost_at(chunk, i) for i in range(len(chunk)))


def _in_word(chunk: str, i: int) -> bool:
    """The gap at ``i`` has a "?" stand-in with a letter after it (``Ñ?Ð``): that "?" is the
    lost byte, not a question mark, which halves the readings of each such gap."""
    return chunk[i + 1 : i + 2] == "?" and chunk[i + 2 : i + 3] in ("Ð", "Ñ")


def _too_many_readings(chunk: str, stand_ins: frozenset[str]) -> bool:
    """More readings than are worth enumerating (each gap: its bytes, and again with the next
    character as their stand-in), counted before any is made."""
    count = 1
    for i, ch in enumerate(chunk):
        if _lost_at(chunk, i):
            nxt = chunk[i + 1] if i + 1 < len(chunk) else ""
            # A "�" left standing is no UTF-8 (no reading keeps it); an in-word "?" is none.
            kept = nxt in stand_ins and nxt != "\ufffd" and not _in_word(chunk, i)
            options = len(_LOST[ch]) * (2 if kept else 1)
            count *= options + (ch == "Ð" and nxt in _STAND_INS and nxt not in stand_ins)
            if count > _MAX_READINGS:
                return True
    return False


def stand_ins(text: str) -> frozenset[str]:
    """The characters the lost bytes of ``text`` (the document around a run: one run may show
    nothing) became: none when one went without a trace (a lead byte's letter right before
    another letter: ``ÑÐ``), so that a space after a lost byte is read as the space it is."""
    dropped = any(
        ch in "ÐÑ"
        and i + 1 < len(text)
        and _second_byte(text[i + 1]) is None
        and text[i + 1] not in _DROPPED_NOT
        for i, ch in enumerate(text)
    )
    if dropped:
        return frozenset({"\ufffd"})
    # A copy path turns every lost byte into the same thing: a "?" or "�" right after a
    # lead byte's letter says which, so a space there is not read as a lost byte (``Ð ``
    # stays Р, not Н and a space) unless ``Ñ`` too is seen before one (no letter: a lost
    # byte). "?" after a word's last letter (``Ñ? ``) says so too, unless ``Ñ`` also ends a
    # word bare (a dropped byte, and that "?" a question mark).
    spaces = _STAND_INS - {"\ufffd"} if _BARE_END.search(text) else frozenset()
    if _REPLACED.search(text):
        return frozenset({"\ufffd"}) | spaces
    if _QUESTION_IN_WORD.search(text) or (_QUESTION_AFTER.search(text) and not spaces):
        return frozenset({"?"}) | spaces
    return _STAND_INS


def _readings(chunk: str, stand_ins: frozenset[str]) -> list[bytes]:
    """Every byte string ``chunk`` may have been before it was read as cp1252 and lost the
    second bytes of its gaps (each lost, or become one of ``stand_ins``); none when a
    character cannot be part of UTF-8 read so. Built from the end: each position's
    readings are made once, not once per reading of what precedes it (``memo[i]``: the
    readings of ``chunk[i:]``; None past the end or no longer needed)."""
    n = len(chunk)
    memo: list[list[bytes] | None] = [None] * (n + 5)
    memo[n] = [b""]
    question = "?" in stand_ins
    for i in range(n - 1, -1, -1):
        ch = chunk[i]
        b = _BYTES.get(ch)
        rest = memo[i + 1] or []
        if b is not None and b < 0x80 or ch in _TYPOGRAPHY and not (i and chunk[i - 1] in _LOST):
            # ASCII, or a real quote or dash (one right after Ð/Ñ is read with it, below)
            head = ch.encode()
            out = [head + r for r in rest]
        elif b is None:
            out = []
        else:
            out = []
            k = _tail(b)
            seconds = [_SECOND_BYTES.get(c) for c in chunk[i + 1 : i + 1 + k]]
            if k and len(seconds) == k and None not in seconds:
                head = bytes([b, *seconds])  # type: ignore[list-item]
                out.extend(head + r for r in memo[i + 1 + k] or [])
            if ch in _LOST and _lost_at(chunk, i):
                nxt = chunk[i + 1] if i + 1 < n else ""
                after_stand_in = memo[i + 2] or []
                for second in _LOST[ch]:
                    head = bytes([b, second])
                    if not question or not _in_word(chunk, i):
                        out.extend(head + r for r in rest)
                    # A stand-in for the lost byte; "Ð " is Р's no-break space become a space.
                    if nxt in stand_ins or (second == 0xA0 and nxt in _STAND_INS):
                        out.extend(head + r for r in after_stand_in)
        memo[i] = out
        memo[i + 5] = None  # a position reads at most 4 ahead (a lead byte and 3 more)
    return memo[0] or []


# A space after a lead byte's letter may be its lost second byte's stand-in: chunks are cut
# only at the other spaces.
_CUT = re.compile("(?<![ÐÑÂ]) ")
# Russian letters, ASCII, typography and the spaces a news line holds (no-break, zero-width).
_NOT_RUSSIAN = re.compile("[^\x20-\x7eА-Яа-яЁё\u00a0\u200b" + "".join(sorted(_TYPOGRAPHY)) + "]")


def _word_score(text: str) -> float:
    """How likely Russian says ``text``'s words: the sum of their log10 frequencies (Zipf - 9),
    an unknown or mis-cased word (``ЭТом``) costing 3 more than the rarest known one. Each
    word costs, so a lost byte read as a space does not cut a word into common ones (``с
    казала``), and the commoner reading wins (``это``, not ``сто``; ``с ним``, not ``сним``)."""
    total = 0.0
    table = _zipfs("ru", "large")  # zipf(word, "ru"), without a call per word
    for w in _RU_WORD.findall(text):
        z = table.get(w.lower(), 0.0) if w.islower() or w.isupper() or w.istitle() else 0.0
        total += (z if z > 0 else -3.0) - 9.0
    return total


# A document's mojibake repeats its chunks ("Ð¸" is и): each is read once (a pure function of
# the chunk and the stand-ins).
@lru_cache(maxsize=8192)
def _best_reading(chunk: str, stand_ins: frozenset[str]) -> str | None:
    """The Russian ``chunk`` most likely was: each reading of its gaps decoded as UTF-8, the
    one whose words are best known taken; then the one that took a stand-in for its lost byte
    (``Россия`` from ``Ð¸Ñ `` and not ``Россия `` with the stand-in's space); then letter
    bigrams, scored only for the readings tied so far (most lose on words)."""
    if _too_many_readings(chunk, stand_ins):
        return None
    texts = []
    for data in _readings(chunk, stand_ins):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            continue
        if not _NOT_RUSSIAN.search(text):
            texts.append(text)
    if len(texts) <= 1:
        return texts[0] if texts else None  # (one reading: nothing to score)
    keys = [(_word_score(t), -len(t)) for t in texts]
    top = max(keys)
    tied = [t for t, k in zip(texts, keys, strict=True) if k == top]
    return tied[0] if len(tied) == 1 else max(tied, key=russian_score)


# "с" (D1 81) and "я" (D1 8F) differ only in a lost byte, and the word list always says "с"
# (the commoner): "я" is taken where the next word cannot follow the preposition but does
# follow the pronoun: a first-person or past verb, an infinitive, or one of these words.
_AFTER_I = frozenset(
    "не бы же тоже уже ещё еще всегда никогда просто только был была сам сама это здесь тебя"  # noqa: SIM905
    " вас".split()
)
_VERB_END = ("ю", "у", "ал", "ил", "ел", "ёл", "ыл", "ял", "ила", "ела", "ыла", "яла", "лся")
_VERB_END += ("лась", "ть", "ться", "чь")
_NOUN_END = ("ью", "ую", "ою", "ею", "ию")  # a noun's or adjective's case ending ("с радостью")
_LONE_S = re.compile("(?<![А-Яа-яЁё])с (?=([а-яё]+))")


def _follows_i(word: str) -> bool:
    """``word`` (lowercase) follows "я" and not "с" (``я знаю``, ``я не``; ``с ним``)."""
    if word in _AFTER_I:
        return True
    return len(word) >= 3 and word.endswith(_VERB_END) and not word.endswith(_NOUN_END)


def _i_for_s(text: str) -> str:
    """``text`` with each lone "с" before a word that follows "я" read as "я"."""
    return _LONE_S.sub(lambda m: "я " if _follows_i(m.group(1)) else "с ", text)


def lossy_utf8_decoding(
    run: str, context: frozenset[str] | None = None, min_known: float = 0.6
) -> str | None:
    """``run`` as the Russian it was, when it is UTF-8 Russian read as cp1252 with second
    bytes lost (two or more letters still whole, one or more lost) and that many of the
    decoded words are known; else None. ``context``: :func:`stand_ins` of the text around
    (else the run's own).

    >>> lossy_utf8_decoding("Ð Ð¾ÑÑÐ¸Ñ Ð¸ ÐšÐ¸Ñ‚Ð°Ð¹")  # the bytes cp1252 lacks gone
    'Россия и Китай'
    >>> lossy_utf8_decoding("Ð Ð¾Ñ Ñ Ð¸Ñ  Ð¸ Ñ?Ñ‚Ð¾")  # ... or spaces, or question marks
    'Россия и это'
    >>> lossy_utf8_decoding("Ð¾Ð½Ð°"), lossy_utf8_decoding("Ðeja vu")  # nothing lost; no UTF-8
    (None, None)
    """
    if len(_PAIR.findall(run)) < 2 or not _has_gap(run):
        return None
    found = stand_ins(run) if context is None else context
    out = []
    for chunk in _CUT.split(run):
        text = _best_reading(chunk, found)
        if text is None:
            return None
        out.append(text)
    decoded = " ".join(out)
    if "\x81" not in run:  # else "с" kept its second byte and is no guess ("сбить с толку")
        decoded = _i_for_s(decoded)
    words = _RU_WORD.findall(decoded)
    known = sum(1 for w in words if zipf(w.lower(), "ru") > 0)
    return decoded if words and known >= min_known * len(words) else None
