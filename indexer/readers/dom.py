"""Small, bounded helpers over a parsed page that the HTML readers share.

Saved pages are untrusted: every walk here stops after a fixed number of nodes or
levels, so that a hostile page costs time in proportion to its size, never more.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import escape
from itertools import islice

from bs4 import BeautifulSoup
from bs4.element import NavigableString, PageElement, PreformattedString, Tag

from indexer.readers.markup import paragraphs
from indexer.spacing import single_spaced

# Deeper markup is flattened before a body is turned into text (see `inner_html`).
MAX_DEPTH = 64
# How many elements a selector list's finds are tried.
MAX_CANDIDATES = 12
MAX_LINE_NODES = 40
MAX_LINE_LENGTH = 200

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
LINE_TAGS = ("p", "div", "dt", "dd", "li", "h3", "h4", "h5", "h6", "header", "footer", "td")

_EMAIL = re.compile(r"([\w.+-]+)@[\w-]+(?:\.[\w-]+)+")
_OCTET = r"(?:25[0-5]|2[0-4]\d|1?\d?\d)"
_IPV4 = re.compile(rf"(?<!\w)(?<!\d\.){_OCTET}(?:\.{_OCTET}){{3}}(?!\w|\.\d)")
_IPV6 = re.compile(
    r"(?<![\w:])(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}(?![\w:])"
    r"|(?<![\w:])(?:[0-9a-f]{1,4}:){1,6}:(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,5})?(?![\w:])",
    re.IGNORECASE,
)


def redact(text: str) -> str:
    """`text` without IP addresses, and with each e-mail address cut to its name."""
    return paragraphs(_IPV6.sub("", _IPV4.sub("", _EMAIL.sub(r"\1", text))))


def attr(element: Tag | None, name: str) -> str:
    """An attribute's value as one stripped string ("" when absent)."""
    value = element.get(name) if element is not None else None
    if isinstance(value, list):
        value = " ".join(value)
    return (value or "").strip()


def has_class(element: Tag, names: tuple[str, ...]) -> bool:
    return any(name in names for name in element.get("class") or ())


def clean(text: str) -> str:
    return single_spaced(text)


def text_of(element: Tag) -> str:
    """The visible text of an element on one line, or a <meta>'s `content`."""
    if element.name == "meta":
        return clean(attr(element, "content"))
    return clean(element.get_text(" "))


def ranked(scope: Tag, selectors: tuple[str, ...]) -> Iterator[Tag]:
    """What `selectors` find in `scope`, the first selector's finds first.

    One walk of the tree for the whole list, rather than one per selector.
    """
    if not selectors:
        return
    found = scope.select(", ".join(selectors))
    for selector in selectors:
        yield from (element for element in found if element.css.match(selector))


def first(scope: Tag, selectors: tuple[str, ...]) -> Tag | None:
    return next(ranked(scope, selectors), None)


def first_text(scope: Tag, selectors: tuple[str, ...]) -> str:
    """The text of the first element the selectors find that has any."""
    for element in islice(ranked(scope, selectors), MAX_CANDIDATES):
        text = text_of(element)
        if text:
            return text
    return ""


def short_text(element: Tag) -> str | None:
    """The element's text when it is one short line of inline markup, else None.

    Looks at no more than `MAX_LINE_NODES` descendants, so that testing every
    <div> of a deeply nested page stays linear.
    """
    nodes = first_descendants(element, MAX_LINE_NODES + 1)
    if len(nodes) > MAX_LINE_NODES or any(
        isinstance(node, Tag) and node.name in LINE_TAGS + HEADINGS + ("br",) for node in nodes
    ):
        return None
    text = clean("".join(node for node in nodes if is_visible_string(node)))
    return text if 0 < len(text) <= MAX_LINE_LENGTH else None


def first_descendants(element: Tag, limit: int) -> list[PageElement]:
    """Up to `limit` of the element's descendants, in document order.

    bs4's own `descendants` first finds the subtree's last node, which costs the
    whole subtree: too much to pay for every <div> of a deeply nested page.
    """
    found: list[PageElement] = []
    stack: list[PageElement] = list(reversed(element.contents))
    while stack and len(found) < limit:
        node = stack.pop()
        found.append(node)
        if isinstance(node, Tag):
            stack.extend(reversed(node.contents))
    return found


def inner_html(element: Tag) -> str:
    """The element's markup, as much as `html_to_text` needs: tag names and text.

    Written by an iterative walk rather than bs4's serializer, and with tags nested
    over `MAX_DEPTH` levels left out (their text kept): no real page nests that
    deep, and a hostile one would make every later tree edit, `html_to_text`'s
    included, cost time in proportion to its depth.
    """
    parts: list[str] = []
    stack: list[tuple[PageElement | str, int]] = [(element, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, str) and not isinstance(node, NavigableString):
            parts.append(node)
        elif isinstance(node, Tag):
            shown = depth <= MAX_DEPTH and not isinstance(node, BeautifulSoup)
            if shown:
                parts.append(f"<{node.name}>")
                if not node.is_empty_element:
                    stack.append((f"</{node.name}>", depth))
            stack.extend((child, depth + 1) for child in reversed(node.contents))
        elif is_visible_string(node):
            parts.append(escape(str(node), quote=False))
    return "".join(parts)


def is_visible_string(node: PageElement) -> bool:
    """Text a reader sees: not an HTML comment, doctype or processing instruction."""
    return isinstance(node, NavigableString) and not isinstance(node, PreformattedString)


def has_text(node: PageElement) -> bool:
    if isinstance(node, Tag):
        return bool(node.get_text(strip=True))
    return is_visible_string(node) and bool(node.strip())


class SimpleSelectors:
    """A list of simple selectors (`tag`, `.class`, `#id`, `[name=value]`,
    `[name~=word]`) matched by set look-ups: many times faster than a CSS engine
    over the thousands of elements of a saved page, for the page-wide sweeps."""

    def __init__(self, selectors: str) -> None:
        self.tags: set[str] = set()
        self.classes: set[str] = set()
        self.ids: set[str] = set()
        self.attributes: set[tuple[str, str]] = set()
        for selector in (part.strip() for part in selectors.split(",")):
            match = _SIMPLE.fullmatch(selector)
            if match is None:
                raise ValueError(f"not a simple selector: {selector!r}")
            tag, kind, name, attribute, value = match.groups()
            if kind == ".":
                self.classes.add(name)
            elif kind == "#":
                self.ids.add(name)
            elif attribute:
                self.attributes.add((attribute, value.strip("\"'").lower()))
            else:
                self.tags.add(tag)

    def matches(self, element: Tag) -> bool:
        if element.name in self.tags:
            return True
        if self.classes and not self.classes.isdisjoint(element.get("class") or ()):
            return True
        if self.ids and attr(element, "id") in self.ids:
            return True
        return any(
            value in attr(element, name).lower().split() for name, value in self.attributes
        )

    def select(self, scope: Tag) -> list[Tag]:
        return [element for element in scope.find_all(True) if self.matches(element)]


_SIMPLE = re.compile(r"(?:([a-z][a-z0-9]*)|([.#])([\w-]+)|\[([\w:-]+)~?=([^\]]+)\])")


def holders_of(scope: Tag, selector: SimpleSelectors) -> set[int]:
    """The ids of every element that holds (or is) an element matching `selector`:
    one walk of the page, so that many elements can then be asked in constant time."""
    holders: set[int] = set()
    for element in selector.select(scope):
        holders.add(id(element))
        for ancestor in element.parents:
            if id(ancestor) in holders:
                break
            holders.add(id(ancestor))
    return holders


def class_and_id(element: Tag) -> str:
    """The element's classes and id as one lower-case string, for name tests."""
    return f"{attr(element, 'class')} {attr(element, 'id')}".lower()
