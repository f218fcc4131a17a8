"""Decoding an archive file's bytes to text, whatever charset the page was saved in.

The order is the browsers': a byte-order mark, then the charset the caller or the
page declares, then a guess. The guess only has to tell apart what old news
pages were saved in: UTF-8, Windows-1252 (Western) and ISO-8859-2 (Central
European). Bytes that fit no guess become U+FFFD; decoding never fails.
"""

from __future__ import annotations

import codecs
import re

from indexer.readers.files import UNICODE_BOMS

DECLARATION_BYTES = 8 * 1024

# Browsers read a page labelled Latin-1 or ASCII as Windows-1252, a superset that
# gives 0x80-0x9F printable characters (curly quotes, dashes, the euro sign).
_BROWSER_SUBSTITUTES = {"iso8859-1": "cp1252", "ascii": "cp1252"}
# A declaration found by reading ASCII bytes can only name an ASCII-compatible
# charset; one that encodes this differently (UTF-16, UTF-7, EBCDIC) is a mistake.
_ASCII_PROBE = '<a href="x">'

_XML_DECLARATION = re.compile(rb"""^\s*<\?xml\s[^>]{0,200}?\bencoding\s*=\s*["']?([\w.:-]{1,40})""")
_META_CHARSET = re.compile(rb"""<meta\s[^>]{0,500}?\bcharset\s*=\s*["']?\s*([\w.:-]{1,40})""", re.I)

_C1_BYTES = bytes(range(0x80, 0xA0))
_LATIN2_ONLY_LETTERS = "".join(
    latin2
    for latin2, western in zip(
        bytes(range(0xA1, 0xC0)).decode("iso-8859-2"),
        bytes(range(0xA1, 0xC0)).decode("cp1252"),
        strict=True,
    )
    if latin2.isalpha() and not western.isalpha()
)
# One of those letters with letters on both sides: "Za\xbf\xf3\xb3\xe6" is "Zażółć"
# in ISO-8859-2 but "Za¿ó³æ" in Windows-1252, where no word holds "¿" or "³".
_LATIN2_INSIDE_WORD = re.compile(rf"(?<=[^\W\d_])[{_LATIN2_ONLY_LETTERS}](?=[^\W\d_])")


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """The text of `data`, decoded as a browser would; never raises.

    A byte-order mark wins; then `declared` (say, from an HTTP header), then the
    charset the page declares in its first bytes, each only when the bytes decode
    cleanly with it (saved pages are often re-encoded without fixing the label);
    then strict UTF-8; then Windows-1252 or ISO-8859-2, as `_guess_single_byte`
    decides.
    """
    for bom, encoding in UNICODE_BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    for label in (declared, declared_charset(data[:DECLARATION_BYTES])):
        codec = _codec(label)
        if codec is None:
            continue
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode(_guess_single_byte(data), errors="replace")


def stream_encoding(head: bytes) -> str:
    """The encoding to read a file too large to decode whole, told from its first bytes
    as `decode_bytes` would tell it from all of them: a byte-order mark, then UTF-8
    (bytes past the head that are not UTF-8 become U+FFFD), then a single-byte guess."""
    for bom, encoding in UNICODE_BOMS:
        if head.startswith(bom):
            return encoding
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 3:  # not merely a character cut at the head's end
            return _guess_single_byte(head)
    return "utf-8"


def declared_charset(head: bytes) -> str | None:
    """The charset label the document's start declares, lowercased, or None.

    Reads an XML declaration's `encoding`, `<meta charset=...>` and
    `<meta http-equiv="Content-Type" content="...; charset=...">`. The label is
    returned as written; whether it names a usable charset is `decode_bytes`'s call.
    """
    match = _XML_DECLARATION.search(head) or _META_CHARSET.search(head)
    return match.group(1).decode("ascii").lower() if match else None


def _codec(label: str | None) -> str | None:
    """Python's codec for a charset label, or None for a label we cannot trust."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip()).name
        if _ASCII_PROBE.encode(name) != _ASCII_PROBE.encode("ascii"):
            return None
    except (LookupError, UnicodeError):
        return None
    return _BROWSER_SUBSTITUTES.get(name, name)


def _guess_single_byte(data: bytes) -> str:
    """Windows-1252 or ISO-8859-2, for bytes that are not UTF-8.

    Each byte 0x80-0x9F votes Windows-1252: there it is punctuation such as curly
    quotes, in ISO-8859-2 an invisible control code no text uses. Each byte that
    is a letter only in ISO-8859-2 (ą ł ś ź ż š ť ž ...) and sits inside a word
    votes ISO-8859-2. Western text wins ties, Windows-1252 being what browsers
    assume for an unlabelled page.
    """
    western_votes = len(data) - len(data.translate(None, _C1_BYTES))
    latin2_votes = sum(1 for _ in _LATIN2_INSIDE_WORD.finditer(data.decode("iso-8859-2")))
    return "iso-8859-2" if latin2_votes > western_votes else "cp1252"
