"""What the XML export readers (WordPress WXR, Disqus) share: forgiving parsing and threading.

Real exports are often not well-formed: undeclared namespace prefixes, control
characters inside CDATA, bare ampersands, files cut short. They are parsed in
recover mode after a repair pass, so that whatever is there gets indexed, and
elements are matched by local name because namespace URIs vary between versions.
Nothing is ever fetched and no entity is expanded: the content is untrusted.
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from lxml import etree

from indexer.readers.text import decode_text
from indexer.records import Comment
from indexer.spacing import single_spaced

MAX_FIELD_CHARS = 1000
MAX_AUTHOR_CHARS = 200
ANONYMOUS = "Anonymous"
UNTITLED = "Untitled"

_ILLEGAL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_CDATA = re.compile(r"(<!\[CDATA\[.*?(?:\]\]>|\Z))", re.DOTALL)
# A reference XML knows without a DTD; any other "&" is text and gets escaped, so
# that a bare "&" survives and no entity declared in the file is ever expanded.
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


def parse_xml(data: bytes) -> etree._Element | None:
    """The document's root element, recovered as far as the file allows; None if nothing is."""
    parser = etree.XMLParser(
        recover=True,
        huge_tree=False,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        remove_comments=True,
        remove_pis=True,
        encoding="utf-8",
    )
    text = _repair(_ILLEGAL_CHARS.sub("", decode_xml(data)))
    try:
        return etree.fromstring(text.encode("utf-8"), parser)
    except etree.XMLSyntaxError:
        return None


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


def _repair(text: str) -> str:
    """The text with every "&" outside CDATA made well-formed."""
    parts = _CDATA.split(text)
    parts[::2] = [_REFERENCE.sub(_reference, part) for part in parts[::2]]
    return "".join(parts)


def _reference(match: re.Match[str]) -> str:
    decimal, hexadecimal, named = match.groups()
    if named:
        return match.group()
    if decimal is None and hexadecimal is None:
        return "&amp;"
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


def descendants(root: etree._Element, name: str) -> Iterator[etree._Element]:
    """Every element below `root` with this local name, wherever recovery nested it."""
    return (element for element in root.iter() if local_name(element.tag) == name)


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
