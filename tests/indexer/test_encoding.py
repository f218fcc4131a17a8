"""Tests for `decode_bytes` and `declared_charset`: pages decode as a browser shows them."""

from __future__ import annotations

import codecs

import pytest

from indexer.readers.encoding import declared_charset, decode_bytes

POLISH = "Zażółć gęślą jaźń"
CZECH = "Příliš žluťoučký kůň úpěl ďábelské ódy"
CURLY = "\u201cQuoted\u201d \u2013 it\u2019s \u20ac5\u2026"


def page(charset_markup: str, text: str) -> str:
    return f"<html><head>{charset_markup}</head><body><p>{text}</p></body></html>"


@pytest.mark.parametrize(
    ("bom", "codec"),
    [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
    ],
)
def test_decode_bytes_follows_byte_order_mark_over_declaration(bom: bytes, codec: str) -> None:
    text = page('<meta charset="iso-8859-2">', POLISH)

    assert decode_bytes(bom + text.encode(codec)) == text


@pytest.mark.parametrize(
    "charset_markup",
    [
        '<meta charset="iso-8859-2">',
        "<meta charset=ISO-8859-2>",
        '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-2">',
        '<meta content="text/html;charset=latin2" http-equiv="content-type">',
    ],
)
def test_decode_bytes_uses_charset_the_page_declares(charset_markup: str) -> None:
    text = page(charset_markup, CZECH)

    assert decode_bytes(text.encode("iso-8859-2")) == text


def test_decode_bytes_uses_xml_declaration() -> None:
    text = f'<?xml version="1.0" encoding="ISO-8859-2"?>\n<html><body>{POLISH}</body></html>'

    assert decode_bytes(text.encode("iso-8859-2")) == text


def test_decode_bytes_prefers_caller_declaration_to_page_declaration() -> None:
    text = page('<meta charset="windows-1252">', POLISH)

    assert decode_bytes(text.encode("iso-8859-2"), declared="iso-8859-2") == text


@pytest.mark.parametrize("label", ["iso-8859-1", "ISO_8859-1", "latin-1", "latin1", "us-ascii"])
def test_decode_bytes_reads_latin1_label_as_windows_1252(label: str) -> None:
    data = page(f'<meta charset="{label}">', CURLY).encode("cp1252")

    assert CURLY in decode_bytes(data)


@pytest.mark.parametrize("label", ["no-such-charset", "utf-16", "utf-7", "base64", "rot13", ""])
def test_decode_bytes_ignores_unknown_or_unusable_declaration(label: str) -> None:
    text = page(f'<meta charset="{label}">', "Café “crème”")

    assert decode_bytes(text.encode("utf-8")) == text


def test_decode_bytes_ignores_declaration_the_bytes_contradict() -> None:
    text = page('<meta charset="utf-8">', CURLY)

    assert decode_bytes(text.encode("cp1252")) == text


def test_decode_bytes_reads_undeclared_utf8() -> None:
    text = page("", f"{POLISH} {CURLY}")

    assert decode_bytes(text.encode("utf-8")) == text


@pytest.mark.parametrize("text", [POLISH, CZECH, f"{POLISH}. {CZECH}. Dzień dobry!"])
def test_decode_bytes_guesses_undeclared_iso_8859_2(text: str) -> None:
    assert decode_bytes(page("", text).encode("iso-8859-2")) == page("", text)


@pytest.mark.parametrize(
    "text",
    [
        CURLY,
        "café résumé naïve",
        "¿Qué? «Bonjour» ¡Hola!",
        "1½ cups, 3 m³, 20 °C, £5 © 2004",
        f"{CURLY} Škoda and Žižek",
    ],
)
def test_decode_bytes_guesses_undeclared_windows_1252(text: str) -> None:
    assert decode_bytes(page("", text).encode("cp1252")) == page("", text)


@pytest.mark.parametrize(
    ("data", "declared"),
    [
        (b"\x81\x8d\x8f\x90\x9d plain", None),
        (b"\xff\xfe<\x00h\x00", None),
        (b"caf\xe9 \xff\xfe\x00", "utf-8"),
        (bytes(range(256)), "utf-32"),
        (b"", None),
    ],
)
def test_decode_bytes_never_raises_on_bad_bytes(data: bytes, declared: str | None) -> None:
    assert isinstance(decode_bytes(data, declared=declared), str)


def test_decode_bytes_replaces_bytes_no_charset_defines() -> None:
    assert decode_bytes(b"a\x81b") == "a\ufffdb"


@pytest.mark.parametrize(
    ("head", "label"),
    [
        (b'<meta charset="UTF-8">', "utf-8"),
        (b"<meta charset='iso-8859-2' />", "iso-8859-2"),
        (
            b'<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=Windows-1250">',
            "windows-1250",
        ),
        (b'<?xml version="1.0" encoding="ISO-8859-2"?><html>', "iso-8859-2"),
        (b'<!DOCTYPE html><html><head><title>x</title><meta charset="koi8-r">', "koi8-r"),
    ],
)
def test_declared_charset_finds_declaration(head: bytes, label: str) -> None:
    assert declared_charset(head) == label


@pytest.mark.parametrize(
    "head",
    [
        b"<html><head><title>charset=utf-8</title></head>",
        b"<p>Set charset=utf-8 in your meta tag</p>",
        b"",
    ],
)
def test_declared_charset_returns_none_without_declaration(head: bytes) -> None:
    assert declared_charset(head) is None
