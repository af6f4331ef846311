"""cleaners.decode: the encodings Russian/English text arrives in, and bytes that are not text."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from cli_run import mtclean

from cleaners import errors as E
from cleaners.decode import check_text, decode_bytes
from cleaners.langev import russian_score

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
RU = "Казахстан наращивает работу по поиску путей доставки своей нефти в Европу"
EN = "Kazakhstan stepped up its work to find ways to deliver its oil to Europe."


def _reason(data: bytes) -> str:
    with pytest.raises(E.InputError) as info:
        decode_bytes(data)
    return info.value.reason


@pytest.mark.parametrize("encoding", ["cp1251", "koi8_r", "cp866", "iso8859_5", "mac_cyrillic"])
def test_legacy_cyrillic_code_pages(encoding: str) -> None:
    got = decode_bytes(RU.encode(encoding))
    assert got.text == RU
    assert got.encoding == encoding


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (codecs.BOM_UTF8 + RU.encode(), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + RU.encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + RU.encode("utf-16-be"), "utf-16-be"),
        (codecs.BOM_UTF32_LE + RU.encode("utf-32-le"), "utf-32-le"),
    ],
)
def test_bom_wins_and_is_removed(data: bytes, encoding: str) -> None:
    got = decode_bytes(data)
    assert (got.text, got.encoding) == (RU, encoding)


def test_utf16_without_bom() -> None:
    for codec in ("utf-16-le", "utf-16-be"):
        assert decode_bytes(f"{EN}\n{RU}\n".encode(codec)).text == f"{EN}\n{RU}\n"


def test_crlf_and_cr_become_lf() -> None:
    got = decode_bytes(codecs.BOM_UTF8 + f"{RU}\r\n\r\n{EN}\r\nend\rx".encode())
    assert got.text == f"{RU}\n\n{EN}\nend\nx"


def test_plain_utf8_and_ascii() -> None:
    assert decode_bytes(EN.encode()).encoding == "utf-8"
    assert decode_bytes(f"{EN} — «{RU}»".encode()).text == f"{EN} — «{RU}»"


def test_english_in_cp1252_is_not_read_as_cyrillic() -> None:
    text = "The café’s “special” menu – naïve and déjà vu."
    assert decode_bytes(text.encode("cp1252")).text == text


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", E.EMPTY),
        (b" \n\t\r\n  ", E.EMPTY),
        (codecs.BOM_UTF8 + b"  \r\n", E.EMPTY),
        ("   \n".encode("utf-16"), E.EMPTY),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", E.BINARY),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", E.BINARY),
        (b"GIF89a\x01\x00\x01\x00", E.BINARY),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3", E.BINARY),
        (b"PK\x03\x04\x14\x00\x06\x00", E.BINARY),
        (EN.encode() + b"\x00" + EN.encode(), E.BINARY),
        (bytes(range(256)) * 4, E.BINARY),
        (b"\x01\x02\x03\x04\x05\x06" * 50 + EN.encode(), E.BINARY),
        (RU.encode()[:-1], E.TRUNCATED),
        (f"{RU}\n{RU}".encode()[:-1], E.TRUNCATED),
        (RU.encode()[:20] + b"\xd0" + RU.encode()[20:] + RU.encode(), E.INVALID_UTF8),
        (b"\xef\xbb\xbf" + b"ok \xff\xfe bad", E.UNDECODABLE),
        (codecs.BOM_UTF8 + RU.encode()[:-1], E.TRUNCATED),
        (codecs.BOM_UTF16_LE + RU.encode("utf-16-le")[:-1], E.TRUNCATED),
    ],
)
def test_rejections_have_reasons(data: bytes, reason: str) -> None:
    assert _reason(data) == reason


def test_errors_are_one_line_and_actionable() -> None:
    with pytest.raises(E.DecodeError) as info:
        decode_bytes(RU.encode()[:-1])
    message = str(info.value)
    assert "\n" not in message
    assert "byte" in message and "re-export" in message


def test_check_text_rejects_what_json_strings_can_smuggle() -> None:
    with pytest.raises(E.BinaryInput):
        check_text("a\x00b", "utf-8")
    with pytest.raises(E.DecodeError):
        check_text("a\ud800b", "utf-8")
    with pytest.raises(E.EmptyInput):
        check_text(" \n", "utf-8")


def test_russian_score_prefers_correct_decoding() -> None:
    raw = RU.encode("koi8_r")
    spelling = lambda text: russian_score(text, "spelling")  # noqa: E731  (the decoder's measure)
    assert spelling(raw.decode("koi8_r")) > spelling(raw.decode("cp1251"))
    raw = RU.encode("cp1251")
    assert spelling(raw.decode("cp1251")) > spelling(raw.decode("mac_cyrillic"))


def _flores(name: str) -> list[str]:
    path = SHARED / "data" / "flores200" / name
    if not path.exists():
        pytest.skip(f"real data not available at {path}")
    return path.read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize("encoding", ["cp1251", "koi8_r", "cp866", "mac_cyrillic", "utf-16"])
def test_real_russian_sentences_round_trip(encoding: str) -> None:
    """FLORES dev sentences, one per file: every one decodes back exactly (dev split only)."""
    lines = _flores("dev.rus_Cyrl.txt")[:150]
    wrong = []
    for line in lines:
        try:
            data = line.encode(encoding)
        except UnicodeEncodeError:
            continue  # a character the code page lacks (e.g. a typographic quote in KOI8-R)
        if decode_bytes(data).text != line:
            wrong.append(line)
    assert not wrong, f"{len(wrong)} misdecoded, e.g. {wrong[0][:60]!r}"


def test_real_russian_document_in_every_code_page() -> None:
    text = "\n".join(_flores("dev.rus_Cyrl.txt")[:40])
    for encoding in ("cp1251", "koi8_r", "cp866", "iso8859_5"):
        data = text.encode(encoding, errors="replace")
        assert decode_bytes(data).text == data.decode(encoding)


@pytest.mark.parametrize("encoding", ["cp1251", "koi8_r", "cp866", "iso8859_5"])
@pytest.mark.parametrize("text", ["Да.", "Ой!", "Он."])
def test_a_tiny_russian_file_in_a_code_page_is_decoded(text: str, encoding: str) -> None:
    # charset-normalizer finds no code page for three bytes such as these: they were
    # quarantined as "not text in UTF-8, UTF-16 or a Cyrillic code page".
    decoded = decode_bytes(text.encode(encoding))
    assert (decoded.text, decoded.encoding) == (text, encoding)


def test_tiny_bytes_that_read_as_no_russian_stay_undecodable() -> None:
    with pytest.raises(E.DecodeError, match="undecodable"):
        decode_bytes(b"\xfc\xfc.")  # "ьь." in cp1251: no Russian in any page


def test_stray_bytes_in_english_are_invalid_utf8_not_a_cyrillic_page() -> None:
    # two stray bytes (not a BOM: in the middle) were read as cp1251, "яю" inside English
    data = f"{EN}\nIt has two stray bytes \xff\xfe here.\n{EN}\n".encode("latin-1")
    with pytest.raises(E.DecodeError) as info:
        decode_bytes(data)
    assert info.value.reason == E.INVALID_UTF8
    assert f"byte {data.index(0xFF)}" in str(info.value)
    # the same in UTF-8 text that has a valid accented word
    data = f"{EN} Café.\n".encode() + b"Stray \xff\xfe bytes.\n" + EN.encode()
    assert _reason(data) == E.INVALID_UTF8


@pytest.mark.parametrize(
    "word", ["Москва", "Лукашенко", "Шойгу", "Щёкино", "ЦСКА", "МЧС", "ВСУ", "Росгвардия"]
)
def test_a_few_russian_words_in_english_decode_in_their_code_page(word: str) -> None:
    # acronyms were read in the wrong page (KOI8-R "ЦСКА" as cp1251 "гулб")
    text = f"{EN} The word ({word}) came up twice. {EN}"
    for encoding in ("cp1251", "koi8_r", "cp866"):
        assert decode_bytes(text.encode(encoding)).text == text, encoding


@pytest.mark.parametrize("text", [f"{EN} It costs €5.", f"{EN} “Naïve” – Müller’s café."])
def test_english_in_cp1252_with_a_sign_or_two_stays_cp1252(text: str) -> None:
    # "€5" was read as cp866 "А5": a one-letter Cyrillic word is no evidence of a page
    assert decode_bytes(text.encode("cp1252")).text == text


@pytest.mark.parametrize("stray", [b"\xff\xfe", b"\xfe\xfe\xfe", b"\xfe\xfd\xdc"])
def test_stray_bytes_that_no_page_makes_a_word_of_are_invalid_utf8(stray: bytes) -> None:
    assert _reason(EN.encode() + b" (" + stray + b") " + EN.encode()) == E.INVALID_UTF8


@pytest.mark.parametrize("encoding", ["cp1251", "koi8_r", "cp866", "iso8859_5", "mac_cyrillic"])
@pytest.mark.parametrize("text", ["Мы тут.", "Ёлка", "Где он?"])
def test_short_russian_lands_in_its_own_code_page(text: str, encoding: str) -> None:
    # KOI8-R "Мы тут." read as ISO-8859-5 is "эй дед.", spelled as well: the bigrams decide
    if (text, encoding) == ("Ёлка", "mac_cyrillic"):
        pytest.skip("four bytes that cp1251 reads as Элка, as well spelled: no way to tell")
    assert decode_bytes(text.encode(encoding)).text == text


def test_a_lone_rare_ideograph_is_read_as_a_code_page_only_when_that_is_russian() -> None:
    assert decode_bytes("Ёлка".encode("cp866")).encoding == "cp866"  # valid UTF-8: one CJK char
    for text in ("𠀋 is a rare kanji", "Ёлка", "漢字"):
        assert decode_bytes(text.encode()).text == text


def test_a_big_utf8_file_is_decoded_without_an_object_per_character() -> None:
    """The lone-ideograph check reads only the first non-ASCII characters (a list of every
    one of them took 37x a Russian file's size, the peak of a 20 MB pair's run)."""
    import tracemalloc

    data = ("Привет, мир. Это новость дня. " * 100_000).encode()
    tracemalloc.start()
    try:
        decoded = decode_bytes(data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert decoded.encoding == "utf-8"
    assert peak < 6 * len(data)  # the text itself (2 bytes a Cyrillic letter) and a copy


def test_mojibake_saved_as_utf8_is_text_not_binary() -> None:
    """UTF-8 Russian read as Latin-1 and saved as UTF-8 again keeps the C1 controls of its
    second bytes (``с`` is ``Ñ\\x81``): a file of it was refused as binary (94 % printable),
    though it is the mojibake repair is for. Control bytes elsewhere still make it binary."""
    mojibake = RU.encode("utf-8").decode("latin-1")
    assert any("\x80" <= ch <= "\x9f" for ch in mojibake)
    data = "\n".join(f"The article says {mojibake} today." for _ in range(5)).encode()
    got = decode_bytes(data)
    assert got.encoding == "utf-8" and mojibake in got.text
    controls = "".join(chr(c) for c in range(0x80, 0xA0)) * 4
    assert _reason(f"{EN} {controls} {EN}".encode()) == E.BINARY


def test_a_mojibake_file_is_repaired_by_clean(tmp_path: Path) -> None:
    mojibake = RU.encode("utf-8").decode("latin-1")
    path = tmp_path / "page.txt"
    path.write_text(f"The article says {mojibake} today.\n" * 3, encoding="utf-8")
    done = mtclean("clean", str(path))
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"The article says {RU} today.\n" * 3


def test_a_file_of_utf8_then_cp1251_says_it_mixes_encodings() -> None:
    """Two exports joined (`cat a b`), one UTF-8 and one cp1251: no one encoding reads it. The
    quarantine said 'not text in UTF-8, UTF-16 or a Cyrillic code page', which reads as a file
    in some exotic encoding; it says where the UTF-8 stops and that the file mixes encodings."""
    first = "Мост открыли в субботу. Движение запустят в понедельник.\n\n".encode()
    data = first + "Старый мост закроют на ремонт. Работы займут год.\n".encode("cp1251")
    with pytest.raises(E.DecodeError) as err:
        decode_bytes(data)
    assert err.value.reason == E.UNDECODABLE
    assert f"UTF-8 up to byte {len(first)} (line 3)" in err.value.detail, err.value.detail
    assert "mixes encodings" in err.value.detail


_PAGES = ("cp1251", "koi8_r", "cp866", "iso8859_5", "mac_cyrillic")
_LONG_EN = " ".join([EN] * 8)


@pytest.mark.parametrize(
    ("head", "tail"),
    [
        (b"The bridge opened ", b" today.\n"),  # between words: a lone cp1251 "а", KOI8-R "Ю"
        (b"Officials said the road is closed ", b"\n"),  # the last word of a short line
        (_LONG_EN.encode()[:301] + b" ", b" " + _LONG_EN.encode()[301:]),
        (b"The bridge opened on Monday morning.\n", b""),  # the last byte: a cut file
    ],
)
def test_one_stray_byte_in_english_is_never_a_cyrillic_page(head: bytes, tail: bytes) -> None:
    # one byte among ASCII text was read as a Cyrillic page's one-letter word ("opened а
    # today"), and line input refused the file as "reads as CP1251"
    for byte in range(0x80, 0x100):
        data = head + bytes([byte]) + tail
        try:
            encoding = decode_bytes(data).encoding
        except E.DecodeError as exc:
            assert exc.reason in (E.INVALID_UTF8, E.TRUNCATED), (hex(byte), exc)
            continue
        assert encoding == "cp1252", (hex(byte), encoding)  # a Latin letter or sign


@pytest.mark.parametrize("byte", [0xE0, 0xE8, 0xEE, 0xC9, 0xD3, 0x88, 0xB2, 0xC7, 0xFF])
def test_one_stray_byte_among_english_words_is_invalid_utf8(byte: int) -> None:
    data = b"The bridge opened " + bytes([byte]) + b" today.\n"
    with pytest.raises(E.DecodeError) as info:
        decode_bytes(data)
    assert info.value.reason == E.INVALID_UTF8
    assert "first at byte 18" in str(info.value)


@pytest.mark.parametrize("text", ["Мост открыт.", "Да или нет?", RU])
def test_a_stray_byte_in_short_russian_utf8_is_invalid_utf8(text: str) -> None:
    # "Мост \xe9 открыт." was quarantined as "UTF-8 up to byte 9, then bytes of another
    # encoding: the file mixes encodings": ten valid Cyrillic letters to one bad byte is
    # UTF-8 (code-page text read as UTF-8 makes at most one valid character per bad one)
    data = text.encode()
    at = data.index(b" ") + 1
    for byte in (0x80, 0xA0, 0xC0, 0xE9, 0xFF):
        assert _reason(data[:at] + bytes([byte]) + data[at:]) == E.INVALID_UTF8, hex(byte)


@pytest.mark.parametrize(
    "data",
    [
        "The bridge opened on Monday’s".encode()[:-2],  # cut in an apostrophe's E2 80 99
        "The bridge opened on Monday’s".encode()[:-3],
        b"The bridge opened on Monday morning.\n\xd0",  # cp1251 "Р", ISO-8859-5 "а"
        "The bridge over the Oka’s".encode()[:-2],  # cp1252 "Okaâ€"
        b"Officials said the road is closed \xe8",  # cp1251 "и", cp1252 "è"
    ],
)
def test_ascii_text_cut_inside_a_utf8_character_is_truncated(data: bytes) -> None:
    assert _reason(data) == E.TRUNCATED


@pytest.mark.parametrize("text", ["We met at the café", "The letter was signed by José"])
def test_cp1252_text_ending_in_a_known_accented_word_is_not_cut(text: str) -> None:
    decoded = decode_bytes(text.encode("cp1252"))
    assert (decoded.text, decoded.encoding) == (text, "cp1252")


@pytest.mark.parametrize("encoding", [*_PAGES, "cp1252"])
def test_short_real_code_page_files_still_decode(encoding: str) -> None:
    texts = ("Мы тут.", "Погода в Казани\n", "Мост через реку откроют весной.\n")
    if encoding == "cp1252":
        texts = ("The café near the bridge reopened on Monday.\n", "Müller’s bridge – open.")
    for text in texts:
        decoded = decode_bytes(text.encode(encoding))
        assert (decoded.text, decoded.encoding) == (text, encoding)


def test_dev_english_with_a_stray_byte_is_never_read_as_a_cyrillic_page() -> None:
    """FLORES dev English, one stray byte each at a seeded place (dev split only)."""
    import random

    rng = random.Random(18)
    wrong = []
    for line in _flores("dev.eng_Latn.txt")[:300]:
        data = line.encode()
        at = rng.randrange(len(data) + 1)
        while 0 < at < len(data) and 0x80 <= data[at] < 0xC0:
            at -= 1  # not inside a character
        data = data[:at] + bytes([rng.randrange(0x80, 0x100)]) + data[at:]
        try:
            encoding = decode_bytes(data).encoding
        except E.InputError:
            continue
        if encoding in _PAGES:
            wrong.append((encoding, data[:60]))
    assert not wrong, f"{len(wrong)} read as a Cyrillic page, e.g. {wrong[0]}"
