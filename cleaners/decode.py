"""Bytes → text, safely: BOM first, strict UTF-8, then a restricted detector.

Order matters: known binary signatures and NUL bytes are rejected before any
guessing (a detector will happily "decode" a PNG as latin-1); a BOM is trusted
over everything; strict UTF-8 is tried before charset-normalizer because valid
UTF-8 is almost never anything else. charset-normalizer only chooses among the
encodings Russian text actually comes in: unrestricted it reads short KOI8-R
as shift_jis and cp866 as cp1125 (measured, see STACK.md).

Newlines are normalised to ``\\n`` (CRLF and lone CR); nothing else is changed.
The raw bytes' hash is kept by the reader, so the original stays identifiable.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from cleaners.errors import (
    BINARY,
    EMPTY,
    INVALID_UTF8,
    TRUNCATED,
    UNDECODABLE,
    BinaryInput,
    DecodeError,
    EmptyInput,
)
from cleaners.langev import RUSSIAN_LETTERS, TYPOGRAPHY, russian_score

# Candidates for charset-normalizer: the encodings Russian/English text arrives in.
CYRILLIC_CANDIDATES = [
    "utf_8",
    "utf_16",
    "cp1251",
    "koi8_r",
    "cp866",
    "iso8859_5",
    "mac_cyrillic",
    "cp1252",
    "latin_1",
]

# Leading bytes of formats that are never text; checked before any decoding.
_MAGIC: list[tuple[bytes, str]] = [
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (or .docx/.odt)"),
    (b"\x1f\x8b", "gzip archive"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"\x7fELF", "executable"),
    (b"MZ\x90\x00", "Windows executable"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "MS Office document"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"\x00\x00\x01\x00", "icon image"),
    (b"OggS", "Ogg media"),
    (b"ID3", "MP3 audio"),
    (b"\x1aE\xdf\xa3", "Matroska/WebM media"),
]

# Longest BOM first: the UTF-32-LE BOM begins with the UTF-16-LE one.
_BOMS: list[tuple[bytes, str]] = [
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]

# C0 controls that never occur in text files (tab, LF, VT, FF, CR, ESC allowed).
_CONTROL_BYTES = frozenset(set(range(0x00, 0x09)) | set(range(0x0E, 0x1B)) | {0x1C, 0x1D, 0x1F})
_SAMPLE = 1 << 16  # bytes/chars inspected for printable share: bounded cost on huge inputs
_MIN_PRINTABLE = 0.95  # below this share of printable characters the input is binary
_MAX_STRAY = 8  # ...unless there are at most this many unprintable characters in all
_MOJIBAKE_C1 = re.compile("[\u00c2-\u00f4][\u0080-\u009f]")


@dataclass(frozen=True, slots=True)
class Decoded:
    """Decoded text and the encoding it was read with (Python codec name)."""

    text: str
    encoding: str


def decode_bytes(data: bytes) -> Decoded:
    """Decode one input file's bytes, or raise an :class:`~cleaners.errors.InputError`.

    >>> decode_bytes("Привет, мир".encode("cp1251")).encoding
    'cp1251'
    >>> decode_bytes(b"\\xef\\xbb\\xbfone\\r\\ntwo\\r\\n")
    Decoded(text='one\\ntwo\\n', encoding='utf-8-sig')
    >>> decode_bytes("Привет".encode()[:-1])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    cleaners.errors.DecodeError: truncated: UTF-8 text ends in the middle of a character ...
    """
    if not data.strip():
        raise EmptyInput(EMPTY, "file is empty" if not data else "file holds only whitespace")
    _reject_binary_signature(data)
    bom = _bom_encoding(data)
    if bom is not None:
        size = next(len(mark) for mark, name in _BOMS if name == bom)
        codec = "utf-8" if bom == "utf-8-sig" else bom
        return check_text(_decode_strict(data[size:], codec), bom)
    if b"\x00" in data:
        utf16 = _bomless_utf16(data)
        if utf16 is None:
            raise BinaryInput(BINARY, f"NUL byte at offset {data.index(0)}: not a text file")
        return check_text(_decode_strict(data, utf16), utf16)
    _reject_control_bytes(data)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        _reject_broken_utf8(data, exc)
        try:
            text, encoding = _detect(data)
        except DecodeError as err:
            raise _mixed_with_utf8(data, exc.start) or err from None
        return check_text(*_few_high_bytes(data, text, encoding, exc.start))
    return check_text(*_lone_ideograph_as_cyrillic(data, text))


def check_text(text: str, encoding: str) -> Decoded:
    """Checks shared by files and JSONL strings: not blank, no NUL, printable, encodable.

    Newlines are normalised to ``\\n``.

    >>> check_text("a\\r\\nb", "utf-8").text
    'a\\nb'
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise EmptyInput(EMPTY, "file holds only whitespace")
    if "\x00" in text:
        raise BinaryInput(BINARY, f"NUL character at offset {text.index(chr(0))}: not a text file")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:  # lone surrogates, e.g. from JSON "\\ud800"
        raise DecodeError(
            UNDECODABLE, f"invalid character (lone surrogate) at {exc.start}"
        ) from None
    sample = text[:_SAMPLE]
    printable = sum(1 for ch in sample if ch.isprintable() or ch.isspace())
    # UTF-8 read as Latin-1 and saved again (Ð\x81 for с) is mojibake to repair, not binary:
    # a C1 control right after a UTF-8 lead byte's letter counts as text.
    printable += len(_MOJIBAKE_C1.findall(sample))
    if len(sample) - printable > _MAX_STRAY and printable < _MIN_PRINTABLE * len(sample):
        share = printable / len(sample)
        raise BinaryInput(BINARY, f"only {share:.0%} printable characters as {encoding}")
    return Decoded(text, encoding)


def reject_binary_head(head: bytes) -> None:
    r"""Raise :class:`~cleaners.errors.BinaryInput` when a line-oriented file's first bytes
    show it is no text at all (a known binary signature, a NUL byte, many control bytes);
    UTF-16/UTF-32 text (a byte-order mark, or a NUL among the first four bytes after no
    signature) is left for the caller to name.

    >>> reject_binary_head(b'\x1f\x8b\x08\x00\x00\x00')  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    cleaners.errors.BinaryInput: binary: gzip archive, not text (renamed file?)
    >>> reject_binary_head('{"id": "a"}'.encode("utf-16")), reject_binary_head(b'{"id": 1}')
    (None, None)
    """
    _reject_binary_signature(head)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in head[:4]:
        return
    if b"\x00" in head:
        raise BinaryInput(BINARY, f"NUL byte at offset {head.index(0)}: not a text file")
    _reject_control_bytes(head)


def _reject_binary_signature(data: bytes) -> None:
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise BinaryInput(BINARY, f"{what}, not text (renamed file?)")
    if data[:4] == b"RIFF" and data[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        raise BinaryInput(BINARY, f"RIFF {data[8:12].decode().strip()} media, not text")


def _bom_encoding(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


def _decode_strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        if exc.end >= len(data) and ("end of data" in exc.reason or "truncated" in exc.reason):
            raise DecodeError(
                TRUNCATED, f"{encoding} text ends mid-character at byte {exc.start}; re-export it"
            ) from None
        raise DecodeError(
            UNDECODABLE, f"invalid {encoding} at byte {exc.start} despite its byte-order mark"
        ) from None


def _is_space_or_punct(ch: str) -> bool:
    return ch.isspace() or "\u2000" <= ch < "\u2070" or ch == "\u2116"


def _bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: NULs only on one byte parity (the high byte of ASCII)."""
    if len(data) % 2:
        return None
    sample = data[:_SAMPLE]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd and not even:
        encoding = "utf-16-le"
    elif even and not odd:
        encoding = "utf-16-be"
    else:
        return None
    try:
        text = data[:_SAMPLE].decode(encoding, errors="ignore")
        data.decode(encoding)
    except UnicodeDecodeError:
        return None
    # Bytes like b"00\x00" also pass the parity test; real UTF-16 here is Latin/Cyrillic text.
    usual = sum(
        1 for ch in text if ord(ch) < 0x250 or 0x400 <= ord(ch) < 0x530 or _is_space_or_punct(ch)
    )
    return encoding if usual >= 0.9 * len(text) else None


def _reject_control_bytes(data: bytes) -> None:
    sample = data[:_SAMPLE]
    controls = sum(1 for b in sample if b in _CONTROL_BYTES)
    # A few stray controls (an ESC, a bell) are damaged text, left for repair to drop.
    if controls > _MAX_STRAY and controls > (1 - _MIN_PRINTABLE) * len(sample):
        raise BinaryInput(BINARY, f"{controls} control bytes in the first {len(sample)}: not text")


def _reject_broken_utf8(data: bytes, exc: UnicodeDecodeError) -> None:
    """Tell cut-off or damaged UTF-8 apart from a legacy code page.

    Valid multi-byte sequences before the first error mean the file *is* UTF-8:
    handing it to a detector would turn it into plausible-looking mojibake.
    """
    head = data[: exc.start]
    multibyte = sum(1 for b in head if b >= 0xC2 and b <= 0xF4)
    cut = exc.end >= len(data) and "end of data" in exc.reason
    if cut and (multibyte or _cut_ascii(data, exc.start)):
        raise DecodeError(
            TRUNCATED,
            f"UTF-8 text ends in the middle of a character at byte {exc.start}; "
            "the file was probably cut off — re-export it",
        )
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text[: _SAMPLE * 4] if ord(ch) > 0x7F and ch != "\ufffd")
    if _utf8_with_stray_bytes(good, bad):
        raise DecodeError(
            INVALID_UTF8,
            f"UTF-8 text with {bad} invalid byte sequence(s), first at byte {exc.start}; "
            "fix or re-export the file as UTF-8",
        )


def _cut_ascii(data: bytes, start: int) -> bool:
    """ASCII text (a sentence's worth of letters) that ends in the start of a UTF-8
    character (an apostrophe's ``E2 80``): cut off. A code page reads that tail as a lone
    Cyrillic letter (``\\xd0``: cp1252 ``Ð``, ISO-8859-5 ``а``) or mojibake (``Mondayâ€``),
    except cp1252's last letter of a known word (``café``, ``José``), which stays its reading.

    >>> _cut_ascii(b"The bridge opened on Monday\\xe2\\x80", 27)
    True
    >>> _cut_ascii(b"We met at the caf\\xe9", 17), _cut_ascii(b"Ok \\xd0", 3)
    (False, False)
    """
    if _ascii_letters(data[:start]) < _MOSTLY_ASCII:
        return False  # a word or two: a tiny code-page file ("Я") is as likely
    if len(data) - start > 1:
        return True
    words = _WORD.findall(data[-_SAMPLE:].decode("cp1252", errors="replace"))
    last = words[-1] if words else ""
    return not (len(last) > 2 and any(ch.isascii() for ch in last) and _en_known(last.lower()))


def _en_known(word: str) -> bool:
    from cleaners.langev import zipf_table  # only for ASCII text that ends in one high byte

    return word in zipf_table("en", "large")


# A Cyrillic code page read as UTF-8 makes a valid character now and then (cp866 "рад" is
# one), never many per invalid one: on FLORES dev and Tatoeba (36k sentences in five pages)
# at most 1.0 valid per invalid. A short UTF-8 line with one stray byte has ten or more.
_FEW_STRAY = 3  # invalid sequences that are stray bytes, not a code page's words
_VALID_PER_STRAY = 4  # valid non-ASCII characters each of them needs around it


def _utf8_with_stray_bytes(good: int, bad: int) -> bool:
    """Whether ``good`` valid non-ASCII UTF-8 characters beside ``bad`` invalid sequences make
    the bytes UTF-8 with damage: four or more valid ones, and the invalid at most 5 % of all,
    or a few that many valid characters outweigh (``Мост \\xe9 открыт.``: 10 to 1).

    >>> _utf8_with_stray_bytes(10, 1), _utf8_with_stray_bytes(2, 2), _utf8_with_stray_bytes(80, 4)
    (True, False, True)
    >>> _utf8_with_stray_bytes(12, 4)  # a short word of another encoding after UTF-8
    False
    """
    if good < 4:
        return False
    few = bad <= _FEW_STRAY and good >= _VALID_PER_STRAY * bad
    return few or bad <= 0.05 * (good + bad)


def _ascii_letters(data: bytes) -> int:
    return len(data) - len(data.translate(None, _ASCII_LETTERS))


def _mixed_with_utf8(data: bytes, first_bad: int) -> DecodeError | None:
    """The error of bytes that no one encoding reads when they are UTF-8 up to ``first_bad``
    (four or more Cyrillic or other non-ASCII characters there) and another encoding after:
    two exports joined (``cat a.txt b.txt``). "Not text in UTF-8 … or a Cyrillic code page"
    read as a file in some exotic encoding; this says where the UTF-8 stops. None when the
    head holds no such UTF-8.

    >>> _mixed_with_utf8("Мост открыт.\\n".encode() + "Мост".encode("cp1251"), 23).detail[:39]
    'UTF-8 up to byte 23 (line 2), then byte'
    >>> _mixed_with_utf8(b"plain ascii \\xff", 12) is None
    True
    """
    head = data[:first_bad]
    if sum(1 for b in head if 0xC2 <= b <= 0xF4) < 4:
        return None
    line = head.count(b"\n") + 1
    return DecodeError(
        UNDECODABLE,
        f"UTF-8 up to byte {first_bad} (line {line}), then bytes of another "
        "encoding: the file mixes encodings (two exports joined?); re-export it as UTF-8",
    )


def _detect(data: bytes) -> tuple[str, str]:
    # Imported here: charset-normalizer costs ~50 ms to import and UTF-8 never needs it.
    from charset_normalizer import from_bytes

    matches = from_bytes(data, cp_isolation=CYRILLIC_CANDIDATES)
    decoded: list[tuple[str, str]] = []
    for match in matches:
        try:
            decoded.append((data.decode(match.encoding), match.encoding))
        except (UnicodeDecodeError, LookupError):
            continue
    if not decoded and len(data) <= _TINY:
        decoded = _tiny_russian(data)
    if not decoded:
        raise DecodeError(UNDECODABLE, "not text in UTF-8, UTF-16 or a Cyrillic code page")
    # charset-normalizer ranks cp1251/mac_cyrillic/koi8_r nearly alike on short texts;
    # a Russian-orthography score breaks the tie, and on a tie of that (short text: KOI8-R
    # "Мы тут." read as ISO-8859-5 is "эй дед.", as well spelled) the letter bigrams do
    # (max() keeps charset-normalizer's order among equals).
    return max(decoded, key=_russianness)


def _russianness(pair: tuple[str, str]) -> tuple[int, float]:
    text = pair[0]
    spelling = russian_score(text, "spelling")
    # the bigram measure reads the whole text: only asked when it can matter, on short text
    short = len(text) <= _TIE_SAMPLE
    return spelling, (russian_score(text) if short else 0.0)


_TIE_SAMPLE = 200  # characters: past a sentence or two the spelling score no longer ties


# High bytes of a legacy code page are the letters of its words; bytes that no page reads as
# a word ("\xff\xfe" in English is cp1251 "яю", cp1252 "ÿþ") are damage, not an encoding.
_HIGH = bytes(range(0x80, 0x100))
_ASCII_LETTERS = bytes(range(0x41, 0x5B)) + bytes(range(0x61, 0x7B))
_MOSTLY_ASCII = 10  # ASCII letters per high byte above which a file is ASCII text
_WORD_MIN_LETTERS = 4  # an unknown Cyrillic word this long may still be Russian (a name) ...
# ... when its letter bigrams are Russian: 98.6 % of the rare words of wordfreq's large list
# (4+ letters), 12 % of random letter strings (and random bytes rarely take a word's case)
_WORD_MIN_SCORE = -7.5
_RU_KNOWN_ZIPF = 3.0  # wordfreq's small Russian list: "цска", "мчс", "шойгу", not "яю"


def _few_high_bytes(data: bytes, text: str, encoding: str, first_bad: int) -> tuple[str, str]:
    """The reading of ASCII text with a few high bytes: the detector's when it makes words
    of them, else the first code page that does: cp1252's Latin words, or a Cyrillic page's
    word of two letters or more; none is damage (``invalid-utf8``). A lone Cyrillic letter
    is no evidence of a page: one stray byte between spaces is cp1251 ``а``, ``и`` or ``я``
    and KOI8-R ``Ю``, and ``€5`` is cp866 ``А5``.

    Short words are where the detector guesses: KOI8-R ``ЦСКА`` read as cp1251 is
    ``гулб``, and two stray bytes are cp1251 ``яю``.

    >>> data = b"in plain English text \\xff\\xfe words"
    >>> _few_high_bytes(data, data.decode("cp1251"), "cp1251", 22)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    cleaners.errors.DecodeError: invalid-utf8: 2 byte(s) that are no UTF-8 in ASCII text, ...
    >>> data = "ЦСКА won the Russian league title on Sunday in Moscow".encode("koi8_r")
    >>> _few_high_bytes(data, data.decode("cp1251"), "cp1251", 0)
    ('ЦСКА won the Russian league title on Sunday in Moscow', 'koi8_r')
    """
    high = len(data) - len(data.translate(None, _HIGH))
    if not high or _ascii_letters(data) < _MOSTLY_ASCII * high:
        return text, encoding
    for page in (encoding, *(p for p in _FEW_PAGES if p != encoding)):
        reading = text if page == encoding else data.decode(page, errors="replace")
        if "\ufffd" in reading or not _all_words(reading):
            continue
        if page == "cp1252" or _WORD_OF_TWO.search(reading[: _SAMPLE * 4]):
            return reading, page
    raise DecodeError(
        INVALID_UTF8,
        f"{high} byte(s) that are no UTF-8 in ASCII text, first at byte {first_bad} "
        "(no code page makes words of them); fix or re-export the file as UTF-8",
    )


def _all_words(text: str) -> bool:
    """Every word of ``text`` with a letter past ASCII is a word: Russian (known, or long
    and Russian-sounding, in a case a word takes) or Latin with ASCII letters (``café``).

    >>> _all_words("in Москва, ЦСКА and Щёкино; a café"), _all_words("a яю"), _all_words("ÿþ")
    (True, False, False)
    """
    sample = text[: _SAMPLE * 4]
    if any(_odd_symbol(ch) for ch in set(sample) if not ch.isascii()):
        return False  # cp866 reads "\\xff\\xfe" as a no-break space and "■"
    for word in _WORD.findall(sample):
        if word.isascii():
            continue
        if _RU_WORD.fullmatch(word):
            if not (word.islower() or word.isupper() or word[1:].islower()):
                return False  # "ЫфЭ": random bytes, no word's case
            folded = word.lower().replace("ё", "е")
            if len(word) == 1:  # the list knows every letter; these are words
                if folded in "авиксоуя":
                    continue
                return False
            known = _ru_known()
            if max(known.get(folded, 0.0), known.get(word.lower(), 0.0)) >= _RU_KNOWN_ZIPF:
                continue
            if len(word) < _WORD_MIN_LETTERS or russian_score(folded) < _WORD_MIN_SCORE:
                return False
        elif any("\u0400" <= ch <= "\u04ff" for ch in word) or not any(ch.isascii() for ch in word):
            return False  # "cafГ©" (Latin and Cyrillic), "ÿþ" (no ASCII letter)
    return True


_WORD = re.compile(r"[^\W\d_]+")
_RU_WORD = re.compile(f"[{RUSSIAN_LETTERS}]+")
_WORD_OF_TWO = re.compile(f"[{RUSSIAN_LETTERS}]{{2,}}")
_SYMBOLS = frozenset(TYPOGRAPHY + "©®™§±×¡¿‰†")


def _odd_symbol(ch: str) -> bool:
    """Neither a letter, a space, currency, a superscript nor the typography text uses: a box,
    a block, a pilcrow (cp866 "жжж" read as Mac Cyrillic is "¶¶¶")."""
    cat = unicodedata.category(ch)
    return not (ch.isalpha() or cat in ("Zs", "Sc", "No") or ch in _SYMBOLS)


def _ru_known() -> dict[str, float]:
    from cleaners.langev import zipf_table  # 0.07 s, and only for the rare mixed file

    return zipf_table("ru", "small")


_FEW_IDEOGRAPHS = 2  # non-ASCII characters of a UTF-8 reading checked against code pages
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _lone_ideograph_as_cyrillic(data: bytes, text: str) -> tuple[str, str]:
    """UTF-8 text whose only non-ASCII is a rare ideograph or two (U+20000 and up, four
    bytes) may be a Cyrillic code page: cp866 "Ёлка" is the bytes of one CJK character.
    The code page wins when it reads the file as Russian.

    >>> _lone_ideograph_as_cyrillic("Ёлка".encode("cp866"), "Ёлка".encode("cp866").decode())
    ('Ёлка', 'cp866')
    >>> _lone_ideograph_as_cyrillic("𠀋 is a rare kanji".encode(), "𠀋 is a rare kanji")
    ('𠀋 is a rare kanji', 'utf-8')
    """
    if text.isascii():
        return text, "utf-8"
    # the first few non-ASCII characters decide: a list of all of them (one object a
    # character) took 28x a 5 MB Russian file's size
    for seen, m in enumerate(_NON_ASCII.finditer(text), 1):
        if seen > _FEW_IDEOGRAPHS or ord(m.group()) < 0x20000:
            return text, "utf-8"
    readings = _tiny_russian(data)
    if not readings:
        return text, "utf-8"
    return max(readings, key=_russianness)


_TINY = 16  # bytes: charset-normalizer finds no code page for "Да." (3 bytes) or "Ой!"
_TINY_PAGES = ("cp1251", "koi8_r", "cp866", "iso8859_5", "mac_cyrillic")
# (ASCII text with a few high bytes: those pages, then Western European)
_FEW_PAGES = (*_TINY_PAGES, "cp1252")
_TINY_MIN_SCORE = -6.0  # mean bigram log-probability: Russian ~ -5, wrong pages below -7
_YO = str.maketrans("ёЁ", "еЕ")


def _tiny_russian(data: bytes) -> list[tuple[str, str]]:
    """The decodings of a few bytes charset-normalizer gave up on that read as Russian (a
    short word or two and a mark); none for bytes no code page makes Russian of.

    >>> _tiny_russian("Да.".encode("koi8_r")), _tiny_russian(b"\\xfc\\xfc.")
    ([('Да.', 'koi8_r')], [])
    """
    out = []
    for page in _TINY_PAGES:
        try:
            text = data.decode(page)
        except UnicodeDecodeError:
            continue
        # the bigram table spells ё as е: "Ёлка" would score as no Russian word
        if russian_score(text.translate(_YO)) >= _TINY_MIN_SCORE:
            out.append((text, page))
    return out
