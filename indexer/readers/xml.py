"""What the XML export readers (WordPress WXR, Disqus) share: forgiving parsing and threading.

Real exports are often not well-formed: undeclared namespace prefixes, control
characters inside CDATA, bare ampersands, files cut short. They are parsed in
recover mode after a repair pass, so that whatever is there gets indexed, and
elements are matched by local name because namespace URIs vary between versions.
Nothing is ever fetched and no entity is expanded: the content is untrusted.

An export is read from the open file a piece at a time (`xml_records`), small files
(over their bytes) and large ones alike, and each record (a WordPress post, a Disqus
thread or post) is let go once read, so that memory stays flat whatever the file's size.
"""

from __future__ import annotations

import codecs
import html
import re
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import BinaryIO

from lxml import etree

from indexer.readers.files import UNICODE_BOMS, ReaderError
from indexer.readers.text import decode_text
from indexer.records import Comment
from indexer.spacing import single_spaced

MAX_FIELD_CHARS = 1000
MAX_AUTHOR_CHARS = 200
ANONYMOUS = "Anonymous"
UNTITLED = "Untitled"

_ILLEGAL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# A reference XML knows without a DTD; any other "&" is text and gets escaped, so
# that a bare "&" survives and no entity declared in the file is ever expanded. The
# five named ones become character references: once a document has broken a rule,
# libxml2 drops every named reference after it ("Fish &amp; Chips" read "Fish  Chips").
_NAMED = {"amp": "&#38;", "lt": "&#60;", "gt": "&#62;", "quot": "&#34;", "apos": "&#39;"}
_REFERENCE = re.compile(r"&(?:#(\d{1,8});|#[xX]([0-9a-fA-F]{1,6});|(amp|lt|gt|quot|apos);)?")
_DECLARATION = re.compile(rb"^\s*<\?xml[^>]{0,200}?encoding=[\"']([\w.:-]{1,40})[\"']")
_PROLOG = re.compile(r"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>)", re.DOTALL)
_START_TAG = re.compile(r"\s*<([A-Za-z_][\w.:-]*)")
# RFC 822 as RSS writes it, with a four-digit year: the email parser alone would
# read WordPress's "Mon, 30 Nov -0001 00:00:00 +0000" (no date) as a day in 2000.
_RFC822 = re.compile(
    r"(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{1,2}:\d{2}(?::\d{2})?"
    r"(?:\s+(?:[+-]\d{4}|[A-Za-z]{1,5}))?"
)
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
# A "<" that opens no markup. Parsing a whole document, libxml2 drops it and reads on;
# parsing a stream it stops there, and the rest of the file would be lost.
_NAME_START = (
    ":A-Z_a-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff"
    "\u200c\u200d\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd"
    "\U00010000-\U000effff"
)
_STRAY_LT = re.compile(
    rf"<(?![{_NAME_START}/?]|!(?:--|\[CDATA\[|DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION))"
)
CDATA_OPEN, CDATA_CLOSE = "<![CDATA[", "]]>"
# How far past an "&" or a "<" the repair looks to tell what it opens ("#" and eight
# digits and ";"; "!NOTATION"): a piece of text is repaired only up to the first one
# nearer its end than that, the rest waiting for the next piece.
REFERENCE_REACH, MARKUP_REACH = 10, 9
CHUNK_BYTES = 2**18
MAX_HELD_RECORDS = 1_000
# The encoding is told from this much of the file: all of it, for most exports.
ENCODING_SNIFF_BYTES = 2**20
PARSER_OPTIONS = {
    "recover": True,
    "huge_tree": False,
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "remove_comments": True,
    "remove_pis": True,
    "encoding": "utf-8",
}

IsRecord = Callable[[str, etree._Element], bool]


def xml_records(
    source: BinaryIO, is_record: IsRecord, refusal: str, chunk_bytes: int | None = None
) -> Iterator[etree._Element]:
    """The records of an XML export, read from the open file `chunk_bytes` (by default
    `CHUNK_BYTES`) at a time: each element that `is_record` takes (given its local name,
    as it starts) once it is complete, at its end tag or at the end of the file.

    The text is decoded and repaired a piece at a time and parsed in recover mode. Once
    the caller has a record and asks for the next, the record is cleared and what came
    before it, outside any record, dropped, so memory stays flat whatever the file's
    size. Records come in document order, a record inside another (an `<item>` left
    unclosed swallows those after it) after the one around it, but for a file so
    damaged that more than `MAX_HELD_RECORDS` are inside one.

    :raise ReaderError: "`refusal`: no XML could be read from it", when no element is.
    """
    parser = etree.XMLPullParser(events=("start", "end"), **PARSER_OPTIONS)
    records = _Records(is_record)
    repair = Repair()
    for text in _text_pieces(source, chunk_bytes or CHUNK_BYTES):
        yield from records.of(_fed(parser, repair(text)))
    yield from records.of(_fed(parser, repair("", final=True)))
    try:
        parser.close()
    except etree.XMLSyntaxError:
        pass
    yield from records.of(parser.read_events())
    yield from records.rest()
    if not records.started:
        raise ReaderError(f"{refusal}: no XML could be read from it")


def _fed(parser: etree.XMLPullParser, text: str) -> Iterable[tuple[str, etree._Element]]:
    if text:
        try:
            parser.feed(text.encode("utf-8"))
        except etree.XMLSyntaxError:
            pass
    return parser.read_events()


class _Records:
    """The records among a parser's events, and the letting go of what has been read.

    A record is complete at its end event, or once an element starts outside it: in
    recover mode an end tag that names another element closes the record with no
    event of its own, and the events after it come late. The tree is always right,
    so what is inside what is told from it. A record inside another is held, and
    given after the one around it, as a whole document lists them; past
    `MAX_HELD_RECORDS` held, the next are given as they end.
    """

    def __init__(self, is_record: IsRecord) -> None:
        self.is_record = is_record
        self.started = False
        self._open: list[etree._Element] = []  # each inside the one before
        self._held: dict[etree._Element, None] = {}

    def of(self, events: Iterable[tuple[str, etree._Element]]) -> Iterator[etree._Element]:
        for event, element in events:
            if event == "start":
                self.started = True
                if self._open and (around := self._open_around(element)) < len(self._open):
                    yield from self._ended(around)
                if self.is_record(local_name(element.tag), element):
                    self._open.append(element)
            elif element in self._open:
                yield from self._ended(self._open.index(element))
            elif not self._open:
                self._drop_before(element, everything=True)

    def rest(self) -> Iterator[etree._Element]:
        """The records still open at the end of the file, as far as they go."""
        return self._ended(0)

    def _open_around(self, element: etree._Element) -> int:
        """How many of the open records are around `element`, counted from the outermost."""
        parent = element.getparent()
        while parent is not None:
            for depth in range(len(self._open), 0, -1):
                if self._open[depth - 1] is parent:
                    return depth
            parent = parent.getparent()
        return 0

    def _ended(self, depth: int) -> Iterator[etree._Element]:
        """Give or hold the open records past the first `depth`, innermost first."""
        while len(self._open) > depth:
            record = self._open.pop()
            if not self._open:
                yield from self._given(record)
            elif len(self._held) < MAX_HELD_RECORDS:
                self._held[record] = None
            else:
                yield record
                record.clear(keep_tail=True)
                self._drop_before(record, everything=False)

    def _given(self, record: etree._Element) -> Iterator[etree._Element]:
        """The record, then those held inside it in document order; then let go."""
        held, self._held = self._held, {}
        yield record
        if held:
            yield from (element for element in record.iter() if element in held)
        record.clear(keep_tail=True)
        self._drop_before(record, everything=True)

    def _drop_before(self, element: etree._Element, everything: bool) -> None:
        """Drop the elements before `element` under its parent: all of them outside any
        record, where nothing will be read again; inside one, only records given, so
        that the fields of the record around them stay. (Never `element` itself: the
        parser may still be adding to its parent.)"""
        parent = element.getparent()
        if parent is None:
            return
        while (previous := element.getprevious()) is not None:
            if not everything and (
                previous in self._held or not self.is_record(local_name(previous.tag), previous)
            ):
                return
            parent.remove(previous)


class Repair:
    """The repair pass, over text that comes a piece at a time: illegal characters are
    removed, and outside CDATA every "&" is made well-formed, then every "<" that opens
    no markup dropped. Each step repairs a piece up to where what follows could change
    it (a CDATA section, a reference or markup cut short); the rest waits for the next.
    """

    def __init__(self) -> None:
        self._rest = ""  # text not yet split into CDATA and the rest
        self._outside = ""  # text outside CDATA with its references repaired
        self._in_cdata = False

    def __call__(self, text: str, final: bool = False) -> str:
        text = self._rest + _ILLEGAL_CHARS.sub("", text)
        done: list[str] = []
        position = 0
        while True:
            if self._in_cdata:
                end = text.find(CDATA_CLOSE, position)
                if end == -1:
                    cut = len(text) if final else max(position, len(text) - 2)
                    done.append(text[position:cut])
                    break
                done.append(text[position : end + len(CDATA_CLOSE)])
                position = end + len(CDATA_CLOSE)
                self._in_cdata = False
            else:
                start = text.find(CDATA_OPEN, position)
                if start == -1:
                    cut = len(text) if final else _settled(text, position, "&<")
                    done.append(self._markup(text[position:cut], final))
                    break
                done.append(self._markup(text[position:start], True) + CDATA_OPEN)
                position = start + len(CDATA_OPEN)
                self._in_cdata = True
        self._rest = text[cut:]
        return "".join(done)

    def _markup(self, text: str, ends: bool) -> str:
        """Text outside CDATA, its references repaired, and then its stray "<"s dropped
        up to where the text after them (references repaired) could still keep one."""
        text = self._outside + _REFERENCE.sub(_reference, text)
        cut = len(text) if ends else _settled(text, 0, "<")
        self._outside = text[cut:]
        return _STRAY_LT.sub("", text[:cut])


def _settled(text: str, start: int, chars: str) -> int:
    """Where the text from `start` can be repaired without knowing what follows it: before
    the first of `chars` ("&", "<") too near its end for what it opens to be told. An
    "&" or a "<" ends any reference or markup before it, so a cut there changes nothing
    before it."""
    cut = len(text)
    for char in chars:
        reach = REFERENCE_REACH if char == "&" else MARKUP_REACH
        found = text.find(char, max(start, len(text) - reach))
        if found != -1:
            cut = min(cut, found)
    return cut


def _text_pieces(source: BinaryIO, chunk_bytes: int) -> Iterator[str]:
    """The file's text, decoded a piece at a time in the encoding `decode_xml` would
    choose, told from its first `ENCODING_SNIFF_BYTES`."""
    head = source.read(ENCODING_SNIFF_BYTES)
    decoder = _decoder(head, whole=len(head) < ENCODING_SNIFF_BYTES)
    for start in range(0, len(head), chunk_bytes):
        yield decoder.decode(head[start : start + chunk_bytes])
    del head
    while piece := source.read(chunk_bytes):
        yield decoder.decode(piece)
    yield decoder.decode(b"", True)


def _decoder(head: bytes, whole: bool) -> codecs.IncrementalDecoder:
    """As `decode_xml` chooses, told from the file's head (`whole` when it is all of
    it): by the BOM; else, when the head is UTF-8, UTF-8, any bytes further on that are
    not read in the declared encoding (Windows-1252 when none, or when UTF-8 is
    declared); else the declared encoding; else Windows-1252."""
    for bom, encoding in UNICODE_BOMS:
        if head.startswith(bom):
            return codecs.getincrementaldecoder(encoding)(errors="replace")
    declared = None
    if match := _DECLARATION.match(head):
        declared = _text_encoding(match.group(1).decode("ascii"))
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, whole)
    except UnicodeDecodeError:
        return codecs.getincrementaldecoder(declared or "cp1252")(errors="replace")
    stray = declared if declared not in (None, "utf-8") else "cp1252"
    return codecs.getincrementaldecoder("utf-8")(errors=_read_as(stray))


def _text_encoding(name: str) -> str | None:
    """The codec's own name for an encoding that decodes bytes into text, else None."""
    try:
        codecs.getincrementaldecoder(name)(errors="replace").decode(b"\x80<a>", True)
        return codecs.lookup(name).name
    except (LookupError, ValueError):
        return None


def _read_as(encoding: str) -> str:
    """An error handler that reads bytes which are not UTF-8 in `encoding`."""
    name = f"hubbub-xml-{encoding}"
    try:
        codecs.lookup_error(name)
    except LookupError:

        def read_as(error: UnicodeError) -> tuple[str, int]:
            if not isinstance(error, UnicodeDecodeError):
                raise error
            bad = error.object[error.start : error.end]
            return bytes(bad).decode(encoding, errors="replace"), error.end

        codecs.register_error(name, read_as)
    return name


def decode_xml(data: bytes) -> str:
    """The text of an XML file, in the encoding its bytes are really in.

    By its BOM; else UTF-8 when the bytes are valid UTF-8, whatever the declaration
    says (WordPress declares the blog's charset setting, which often disagrees with
    the bytes); else the declared encoding; else Windows-1252.
    """
    match = _DECLARATION.match(data)
    if match:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                return data.decode(match.group(1).decode("ascii"), errors="replace")
            except LookupError:
                pass
    return decode_text(data)


def _reference(match: re.Match[str]) -> str:
    decimal, hexadecimal, named = match.groups()
    if named:
        return _NAMED[named]
    if decimal is None and hexadecimal is None:
        return _NAMED["amp"]
    code = int(decimal) if decimal is not None else int(hexadecimal, 16)
    if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF or _ILLEGAL_CHARS.match(chr(code)):
        return ""
    return match.group()


def root_name(text: str) -> str | None:
    """The local name of the first element in `text`, past the XML prolog."""
    position = 0
    while match := _PROLOG.match(text, position):
        position = match.end()
    match = _START_TAG.match(text, position)
    return local_name(match.group(1)) if match else None


def local_name(tag: object) -> str:
    """A tag's name without namespace URI or prefix; "" for anything that is no element.

    A prefix the file never declared stays in the tag after recovery ("atom:link").
    """
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2].rpartition(":")[2]


def fields(element: etree._Element, names: Collection[str]) -> dict[str, etree._Element]:
    """The first child of `element` for each of `names` that it has.

    Only the children asked for are picked, so address fields are never read.
    """
    found: dict[str, etree._Element] = {}
    for child in element:
        name = local_name(child.tag)
        if name in names and name not in found:
            found[name] = child
    return found


def attribute(element: etree._Element | None, name: str) -> str:
    """The stripped value of the attribute with this local name, whatever its prefix."""
    if element is None:
        return ""
    for key, value in element.attrib.items():
        if local_name(key) == name:
            return value.strip()[:MAX_FIELD_CHARS]
    return ""


def text(element: etree._Element | None) -> str:
    """An element's text on one line, HTML entities decoded, at most `MAX_FIELD_CHARS` long.

    Exports often store titles and names HTML-escaped inside their XML.
    """
    if element is None:
        return ""
    return single_spaced(html.unescape("".join(element.itertext())))[:MAX_FIELD_CHARS]


def markup(element: etree._Element | None) -> str:
    """An element's content as markup, for `html_to_text`.

    HTML in CDATA or escaped is the element's text; unescaped HTML became child
    elements during recovery and is serialised back.
    """
    if element is None:
        return ""
    children = (etree.tostring(child, encoding="unicode", with_tail=True) for child in element)
    return (element.text or "") + "".join(children)


def machine_date(value: str) -> datetime | None:
    """A date as exports write it (ISO 8601 or RFC 822), as a naive datetime; else None.

    A date with a time zone is converted to UTC; one without is kept as written (a
    site's local time). "0000-00-00 00:00:00" and other junk give None, never a guess.
    """
    value = value.strip()
    if not value or len(value) > 64:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        if not _RFC822.fullmatch(value):
            return None
        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    if parsed.tzinfo is None:
        return parsed
    try:
        return parsed.astimezone(UTC).replace(tzinfo=None)
    except (OverflowError, ValueError):
        return None


def author_name(name: str) -> str:
    """A commenter's name as shown: trimmed, an e-mail address cut to the part before "@"."""
    name = single_spaced(name)
    if _EMAIL.fullmatch(name):
        name = name.split("@", 1)[0]
    return name[:MAX_AUTHOR_CHARS] or ANONYMOUS


@dataclass(frozen=True)
class CommentDraft:
    """A comment kept for the thread, before it is numbered and linked to its parent.

    `order` is its place in the file, the last tie-break between equal dates.
    """

    key: str | None
    author: str
    body: str
    date: datetime | None
    order: int


def thread_comments(kept: list[CommentDraft], links: dict[str, str | None]) -> tuple[Comment, ...]:
    """The kept comments numbered 1..N by date (undated last), then id, then file order.

    `links` maps every comment of the article, kept or not, to its parent's key. A
    reply whose parent was dropped points at its nearest kept ancestor instead; a
    loop of parents is cut, so the result is always a forest. A key seen twice is
    the same comment exported twice: the first is kept.
    """
    unique: dict[str | int, CommentDraft] = {}
    for draft in kept:
        unique.setdefault(draft.key if draft.key is not None else draft.order, draft)
    keys = {draft.key for draft in unique.values() if draft.key is not None}
    parents = _nearest_kept_parents(keys, links)
    ordered = sorted(
        unique.values(),
        key=lambda d: (d.date is None, d.date or datetime.min, _id_order(d.key), d.order),
    )
    return tuple(
        Comment(
            author=draft.author,
            body=draft.body,
            position=position,
            date=draft.date,
            key=draft.key,
            parent=parents.get(draft.key) if draft.key is not None else None,
        )
        for position, draft in enumerate(ordered, start=1)
    )


def _id_order(key: str | None) -> tuple[int, str]:
    """Numeric ids in numeric order (without int(), which refuses huge numbers)."""
    if key is None:
        return (0, "")
    return (len(key), key) if key.isascii() and key.isdigit() else (0, key)


def _nearest_kept_parents(kept: set[str], links: dict[str, str | None]) -> dict[str, str | None]:
    """Each comment's nearest kept ancestor, walking every chain once.

    A node's answer always names a node answered before it, so no cycle survives.
    """
    answers: dict[str, str | None] = {}
    for start in links:
        path: list[str] = []
        on_path: set[str] = set()
        node: str | None = start
        while node in links and node not in answers and node not in on_path:
            path.append(node)
            on_path.add(node)
            node = links[node]
        # The walk stopped at a top-level comment, an unknown parent, a loop (cut
        # here) or a comment already answered.
        above = None
        if node in answers:
            above = node if node in kept else answers[node]
        for member in reversed(path):
            answers[member] = above
            if member in kept:
                above = member
    return answers
