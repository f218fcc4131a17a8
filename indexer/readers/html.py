"""Reader for saved HTML pages: an article and its reader-comment thread.

A page saved from a browser holds the article among the site's navigation,
sidebars and share buttons, and the comments in whatever markup the blog engine
printed. Comments are found by one small extractor per markup style, tried in
order: WordPress lists, schema.org microdata, microformats, "NAME on DATE said:"
lines, and "Posted by NAME | Report as abusive" lines; the first that finds any
wins. They are cut out of the page before the article is read, so the article
body never holds them.

The page is untrusted. Attributes are checked before use (a `datetime` must parse
as a date, else the visible text is read), walks up the tree are bounded, and
e-mail and IP addresses never reach a record.
"""

from __future__ import annotations

import re
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from html import escape
from itertools import chain, islice

from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning
from bs4.element import NavigableString, PageElement, PreformattedString, Tag

from indexer.dates import dayfirst_for_language, parse_date
from indexer.readers.encoding import decode_bytes
from indexer.readers.files import SNIFF_BYTES, ReaderError
from indexer.readers.markup import html_to_text, paragraphs
from indexer.readers.text import BOILERPLATE
from indexer.records import Article, Comment

# A reply's list sits a few levels inside the comment it answers (li > ol > li),
# and a comment's signature line a few levels inside the comment's own wrapper.
MAX_CLIMB = 4
# How far up from the article's body its <article> (or post wrapper) is looked for.
MAX_CONTAINER_CLIMB = 12
# A signature line is short: a name, a date, a link or two.
MAX_SIGNATURE_NODES = 40
# Deeper markup is flattened before a body is turned into text (see `_html`).
MAX_DEPTH = 64
MAX_SIGNATURE_LENGTH = 200
# How many elements a selector list's finds, or a date's pieces of text, are tried.
MAX_CANDIDATES = 12
MAX_BYLINE_LENGTH = 100
MAX_TITLE_LENGTH = 120
MAX_URL_LENGTH = 2048
MAX_ARTICLES_COMPARED = 20
MAX_LEADING_COMMENTS = 16
MAX_SITE_NAME_WORDS = 4

INVISIBLE = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg")
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
SIGNATURE_TAGS = ("p", "div", "dt", "dd", "li", "h3", "h4", "h5", "h6", "header", "footer")

# What a page prints around an article that is not the article.
PAGE_NOISE = ", ".join(
    (
        "nav, aside, button, [role=navigation], [role=complementary], [role=search]",
        ".search-form, #commentform, .comment-form",
        "#sidebar, .sidebar, .widget, .widget-area, .related, .related-posts",
        ".jp-relatedposts, .yarpp-related, .sharedaddy, .sharing, .share, .share-buttons",
        ".social-share, .addtoany_share_save_container, .post-navigation, .navigation",
        ".breadcrumbs, .advert, .advertisement, .ads, #masthead, .site-header, #colophon",
        ".site-footer, #comments, .comments-area, #respond, .comment-respond, .commentlist",
        ".comment-list",
    )
)
ARTICLE_SCOPE = "article, main, [role=main], .hentry, .h-entry, .post, .type-post"
PAGE_FRAME = f"header:not(:is({ARTICLE_SCOPE}) header), footer:not(:is({ARTICLE_SCOPE}) footer)"
BODY_SELECTORS = (
    ".entry-content",
    "article .post-content",
    "[itemprop~=articleBody]",
    ".e-content",
    ".post-content",
    ".post-body",
    ".story-body",
)
TITLE_SELECTORS = ("h1.entry-title", ".entry-title", "article h1", "h1.p-name")
BYLINE_SELECTORS = (
    "[rel~=author]",
    ".author .fn",
    ".byline .author",
    "[itemprop~=author] [itemprop~=name]",
    "[itemprop~=author]",
    ".p-author .p-name",
    ".p-author",
    ".byline",
)
DATE_SELECTORS = (
    "header time",
    ".entry-header time",
    ".entry-meta time",
    ".post-meta time",
    "time.published",
    "time.entry-date",
    ".dt-published",
    "time",
)
VISIBLE_DATE_SELECTORS = (
    ".entry-date",
    ".published",
    ".post-date",
    ".posted-on",
    ".dateline",
    ".timestamp",
    ".date",
)
CAPTION_SELECTORS = ("figcaption", ".wp-caption-text", ".caption")
# Parts of an article's own element that are not its body text.
ARTICLE_FURNITURE = ", ".join(
    (
        "header, footer, h1, .entry-title, .entry-meta, .post-meta, .byline, .entry-footer, .tags",
        *CAPTION_SELECTORS,
        *VISIBLE_DATE_SELECTORS,
    )
)

_HTML_START = re.compile(r"<(?:!doctype\s+html|html|head|body|meta)\b", re.IGNORECASE)
_BY = re.compile(r"^by\s+", re.IGNORECASE)
_SAYS = re.compile(r"\s*\b(?:says|said|wrote)\s*:?\s*$", re.IGNORECASE)
_SEPARATOR = r"\s+[|\-\u2013\u2014:]{1,2}\s+"
_TITLE_SUFFIX = re.compile(rf"^(?P<title>.+){_SEPARATOR}(?P<site>.+)$")
_SITE_SUFFIX = re.compile(rf"^{_SEPARATOR}\S")
_DATE_SEPARATORS = re.compile(r"\s*[|\u2022\u00b7]\s*")
_COMMENT_ID = re.compile(r"^(?:li-|div-)?(comment[-_]?\d+)$", re.IGNORECASE)
_NUMBER_SUFFIX = re.compile(r"(\d+)$")
_HTTP_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)

_EMAIL = re.compile(r"([\w.+-]+)@[\w-]+(?:\.[\w-]+)+")
_OCTET = r"(?:25[0-5]|2[0-4]\d|1?\d?\d)"
_IPV4 = re.compile(rf"(?<!\w)(?<!\d\.){_OCTET}(?:\.{_OCTET}){{3}}(?!\w|\.\d)")
_IPV6 = re.compile(
    r"(?<![\w:])(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}(?![\w:])"
    r"|(?<![\w:])(?:[0-9a-f]{1,4}:){1,6}:(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,5})?(?![\w:])",
    re.IGNORECASE,
)

_SAID = re.compile(r"^(?P<rest>.+?)\s*\b(?:said|says|wrote)\s*:?$", re.IGNORECASE)
_ON = re.compile(r"\s+on\s+", re.IGNORECASE)
_POSTED_BY = re.compile(
    r"^posted by\b\s*(?P<author>[^|]{0,80}?)\s*\|\s*report (?:this )?as abusive$", re.IGNORECASE
)


def looks_like_html(head: bytes) -> bool:
    """Whether a file starting with `head` is an HTML page, by its first markup.

    After a byte-order mark, whitespace, an XML declaration and comments (browsers
    write "<!-- saved from url=... -->"), the first tag must be a doctype naming
    html, or <html>, <head>, <body> or <meta>. A WordPress or Disqus export starts
    with other XML and is left to its own reader.
    """
    text = decode_bytes(head[:SNIFF_BYTES]).lstrip()
    for _ in range(MAX_LEADING_COMMENTS):
        for opening, closing in (("<!--", "-->"), ("<?xml", "?>")):
            if text.startswith(opening):
                end = text.find(closing)
                if end < 0:
                    return False
                text = text[end + len(closing) :].lstrip()
                break
        else:
            break
    return bool(_HTML_START.match(text))


def parse_html(data: bytes) -> list[Article]:
    """The article and comment thread of a saved HTML page, as a one-item list.

    :raise ReaderError: when the page holds neither article text nor comments.
    """
    with warnings.catch_warnings():
        # Only content that sniffed as HTML gets here; XML-looking bits stay HTML.
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        soup = BeautifulSoup(decode_bytes(data), "lxml")
    dayfirst = dayfirst_for_language(_language(soup))
    url = _url(soup)
    for element in soup(INVISIBLE):
        element.decompose()
    comments = _comments(soup, dayfirst)
    for element in soup.select(f"{PAGE_NOISE}, {PAGE_FRAME}"):
        element.decompose()
    body_element = _body_element(soup)
    container = _container(body_element)
    title = _title(soup, container)
    byline = _byline(soup, container)
    date = _article_date(soup, container, dayfirst)
    caption = _first_text(container, CAPTION_SELECTORS)
    body = _body(body_element)
    if not body and not comments:
        raise ReaderError("no article text and no comments found in the HTML page")
    title = title or _first_line(body) or url
    if not title:
        raise ReaderError("no title: the HTML page has no <title>, heading or article text")
    return [
        Article(
            title=title,
            body=body,
            date=date,
            byline=byline,
            caption=_redact(caption) if caption else None,
            url=url,
            key=url,
            comments=comments,
        )
    ]


# --- Page metadata ---------------------------------------------------------------


def _language(soup: BeautifulSoup) -> str | None:
    """The page's language: <html lang>, og:locale or a Content-Language meta."""
    root = soup.find("html")
    if isinstance(root, Tag):
        for name in ("lang", "xml:lang"):
            if _attr(root, name):
                return _attr(root, name)
    for selector in ('meta[property="og:locale"]', 'meta[http-equiv="content-language" i]'):
        if _meta(soup, selector):
            return _meta(soup, selector)
    return None


def _url(soup: BeautifulSoup) -> str | None:
    """The page's own address, from its canonical link or og:url, if it is one."""
    sources = (('link[rel~="canonical"]', "href"), ('meta[property="og:url"]', "content"))
    for selector, name in sources:
        value = _attr((soup.head or soup).select_one(selector), name)
        if len(value) <= MAX_URL_LENGTH and _HTTP_URL.match(value):
            return value
    return None


def _meta(soup: BeautifulSoup, selector: str) -> str:
    """A <meta>'s content; looked for in the <head> only, where metadata belongs."""
    return _clean(_attr((soup.head or soup).select_one(selector), "content"))


# --- The article ------------------------------------------------------------------


def _body_element(soup: BeautifulSoup) -> Tag:
    """The element holding the article's text: a known content wrapper, the
    <article> with the most text, or the element with the most paragraph text."""
    element = _first(soup, BODY_SELECTORS)
    if element is not None:
        return element
    articles = soup.find_all("article", limit=MAX_ARTICLES_COMPARED)
    if articles:
        return max(articles, key=lambda article: len(article.get_text()))
    weights: Counter[int] = Counter()
    parents: dict[int, Tag] = {}
    for paragraph in soup.find_all("p"):
        parent = paragraph.parent
        if isinstance(parent, Tag):
            weights[id(parent)] += len(paragraph.get_text(strip=True))
            parents[id(parent)] = parent
    if weights:
        return parents[weights.most_common(1)[0][0]]
    return soup.body or soup


def _container(body_element: Tag) -> Tag:
    """The article's own element around its body, where its title and date are:
    an <article> or post wrapper, else the body's parent."""
    element: Tag | None = body_element
    for _ in range(MAX_CONTAINER_CLIMB):
        if element is None or element.name in ("body", "[document]"):
            break
        if element.name == "article" or _has_class(element, ("hentry", "h-entry", "post")):
            return element
        element = element.parent
    parent = body_element.parent
    return parent if isinstance(parent, Tag) and parent.name != "[document]" else body_element


def _title(soup: BeautifulSoup, container: Tag) -> str:
    """og:title, the entry's heading, or <title> without its " | Site" suffix."""
    title = _meta(soup, 'meta[property="og:title"]')
    title = title or _first_text(container, TITLE_SELECTORS) or _first_text(soup, TITLE_SELECTORS)
    if title:
        return title
    if soup.title is not None:
        title = _without_site_name(_clean(soup.title.get_text()), soup)
    return title or _first_text(soup, ("h1",))


def _without_site_name(title: str, soup: BeautifulSoup) -> str:
    """The headline in a <title> such as "Headline | Section | Site".

    A heading that the title starts with is the headline. Else the title is cut
    at its first " | " (headlines hold no pipes), or before a short last part
    after " - ", which might be the site's name or the headline's own words.
    """
    for heading in soup.find_all(("h1", "h2"), limit=MAX_CANDIDATES):
        text = _clean(heading.get_text(" "))
        if text and title.startswith(text) and _SITE_SUFFIX.match(title[len(text) :]):
            return text
    headline = title.split(" | ", 1)[0].strip()
    if headline != title and headline:
        return headline
    match = _TITLE_SUFFIX.match(title)
    if match and len(match.group("site").split()) <= MAX_SITE_NAME_WORDS:
        return match.group("title")
    return title


def _byline(soup: BeautifulSoup, container: Tag) -> str | None:
    """The article's author as its page credits them, without a leading "By"."""
    for scope in (container, soup):
        for element in islice(_ranked(scope, BYLINE_SELECTORS), MAX_CANDIDATES):
            name = _BY.sub("", _redact(_text_or_content(element)))
            if name and len(name) <= MAX_BYLINE_LENGTH:
                return name
    name = _redact(_meta(soup, 'meta[name="author" i]'))
    return name if name and len(name) <= MAX_BYLINE_LENGTH else None


def _article_date(soup: BeautifulSoup, container: Tag, dayfirst: bool) -> datetime | None:
    """The publication date: the entry header's <time>, article:published_time,
    itemprop=datePublished, then a date printed in a date-classed element."""
    published = _meta(soup, 'meta[property="article:published_time"]')
    return (
        _selected_date(container, DATE_SELECTORS, dayfirst)
        or parse_date(published, dayfirst)
        or _selected_date(soup, ("[itemprop~=datePublished]",), dayfirst)
        or _selected_date(container, VISIBLE_DATE_SELECTORS, dayfirst)
    )


def _body(body_element: Tag) -> str:
    for element in body_element.select(ARTICLE_FURNITURE):
        element.decompose()
    return _redact(html_to_text(_html(body_element)))


def _first_line(body: str) -> str:
    line = body.split("\n", 1)[0]
    if len(line) <= MAX_TITLE_LENGTH:
        return line
    return line[:MAX_TITLE_LENGTH].rsplit(" ", 1)[0] + "\u2026"


# --- Comments ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Found:
    """One comment as an extractor found it, before it becomes a `Comment`.

    `body` is HTML; `parent` is whatever the markup says the comment answers: a
    key, an id, a number or a "#comment-12" link, resolved in `_records`.
    """

    author: str
    body: str
    date: datetime | None = None
    key: str | None = None
    parent: str | None = None


@dataclass(frozen=True)
class _ItemStyle:
    """Where a markup that gives each comment an element keeps its parts.

    Selectors are tried in order, inside the comment's element once its replies
    have been taken out of it; `noise` marks what is inside the body element but
    is no body text (the author's line, the date, the reply link).
    """

    items: str
    author: tuple[str, ...]
    date: tuple[str, ...]
    body: tuple[str, ...]
    noise: str
    accept: Callable[[Tag], bool] = lambda element: True


def _is_schema_comment(element: Tag) -> bool:
    return any(kind.rstrip("/").endswith("/Comment") for kind in _attr(element, "itemtype").split())


WORDPRESS = _ItemStyle(
    items=".commentlist li.comment, .comment-list li.comment",
    author=(".comment-author .fn", "cite.fn", "b.fn", ".fn", ".comment-author"),
    date=("time", ".comment-metadata", ".comment-meta", ".commentmetadata", ".comment-date"),
    body=(".comment-content", ".comment-text", ".comment-body"),
    noise=(
        ".comment-author, .fn, .comment-meta, .commentmetadata, .comment-metadata, .reply, "
        ".comment-reply-link, .comment-edit-link, .comment-awaiting-moderation, .says"
    ),
)
MICRODATA = _ItemStyle(
    items="[itemscope][itemtype]",
    author=(
        "[itemprop~=author] [itemprop~=name]",
        "[itemprop~=author]",
        "[itemprop~=creator] [itemprop~=name]",
        "[itemprop~=creator]",
    ),
    date=("[itemprop~=dateCreated]", "[itemprop~=datePublished]", "time"),
    body=("[itemprop~=text]", "[itemprop~=commentText]"),
    noise="[itemprop~=author], [itemprop~=creator], [itemprop~=dateCreated], .reply",
    accept=_is_schema_comment,
)
MICROFORMATS = _ItemStyle(
    items=(
        ":is(.h-entry, .h-cite) :is(.h-entry, .h-cite), :is(.p-comment, .u-comment)"
        ":is(.h-entry, .h-cite)"
    ),
    author=(".p-author .p-name", ".p-author", ".h-card .p-name", ".h-card"),
    date=(".dt-published", "time"),
    body=(".e-content", ".p-content"),
    noise=".p-author, .h-card, .dt-published, .u-in-reply-to, .reply",
    accept=lambda element: not _has_class(element, ("u-in-reply-to", "u-like-of", "u-repost-of")),
)


def _comments(soup: BeautifulSoup, dayfirst: bool) -> tuple[Comment, ...]:
    """The page's comments, by the first markup style that finds any, cut out of it."""
    extractors: tuple[Callable[[], list[_Found]], ...] = (
        lambda: _item_comments(soup, WORDPRESS, dayfirst),
        lambda: _item_comments(soup, MICRODATA, dayfirst),
        lambda: _item_comments(soup, MICROFORMATS, dayfirst),
        lambda: _signed_comments(soup, _said_signature, dayfirst, forward=True),
        lambda: _signed_comments(soup, _posted_by_signature, dayfirst, forward=False),
    )
    for extract in extractors:
        found = extract()
        if found:
            return _records(found)
    return ()


def _item_comments(soup: BeautifulSoup, style: _ItemStyle, dayfirst: bool) -> list[_Found]:
    """Comments of a markup that wraps each in an element, replies nested inside.

    Each comment's parent is read from the nesting first; then every comment is
    cut out of the page (and a reply out of what it answers), so that each element
    holds only its own parts when they are read. Cutting in document order keeps
    each cut cheap: the next comment is then near the start of its parent.
    """
    items = [item for item in soup.select(style.items) if style.accept(item)]
    item_ids = {id(item) for item in items}
    nested_in = {id(item): _enclosing(item, item_ids) for item in items}
    for item in items:
        item.extract()
    keys = {id(item): _comment_key(item) for item in items}
    found = []
    for item in items:
        enclosing = nested_in[id(item)]
        parent = keys[id(enclosing)] if enclosing is not None else _declared_parent(item)
        author = _first_text(item, style.author)
        date = _selected_date(item, style.date, dayfirst)
        body_element = _first(item, style.body) or item
        for element in body_element.select(style.noise):
            element.decompose()
        found.append(_Found(author, _html(body_element), date, keys[id(item)], parent))
    return found


def _enclosing(item: Tag, item_ids: set[int]) -> Tag | None:
    """The comment element that `item` is nested in, if one is a few levels up."""
    element = item.parent
    for _ in range(MAX_CLIMB):
        if element is None:
            return None
        if id(element) in item_ids:
            return element
        element = element.parent
    return None


def _comment_key(element: Tag) -> str | None:
    """The comment's id: "comment-12" also for WordPress's "li-comment-12" and
    "div-comment-12", the permalink anchor that replies and links point to."""
    own = _attr(element, "id")
    inner = element.find(id=_COMMENT_ID)
    for candidate in (own, _attr(inner, "id") if isinstance(inner, Tag) else ""):
        match = _COMMENT_ID.match(candidate)
        if match:
            return match.group(1)
    return own or None


def _declared_parent(element: Tag) -> str | None:
    """What a comment says it answers: a data-parent/parent attribute, or the
    fragment of an in-reply-to link (a link to the article itself is no parent)."""
    for name in ("data-parent", "data-parent-id", "parent"):
        if _attr(element, name):
            return _attr(element, name)
    link = element.select_one("[rel~=in-reply-to], .u-in-reply-to, [itemprop~=parentItem]")
    if link is None:
        return None
    for name in ("href", "itemid", "content"):
        target = _attr(link, name)
        if "#" in target:
            return target.rsplit("#", 1)[1]
    return None


@dataclass(frozen=True)
class _Signature:
    """A comment's one-line signature: who wrote it, and when if the line says."""

    author: str
    date: datetime | None


def _said_signature(line: str, dayfirst: bool) -> _Signature | None:
    """A line such as "Jane on September 12, 2018 at 4:47 pm said:"; the date must parse."""
    match = _SAID.match(line)
    if match is None:
        return None
    rest = match.group("rest")
    for on in _ON.finditer(rest):
        date = parse_date(rest[on.end() :], dayfirst)
        if date is not None:
            return _Signature(rest[: on.start()], date)
    return None


def _posted_by_signature(line: str, dayfirst: bool) -> _Signature | None:
    """The line "Posted by NAME | Report as abusive" that closes a comment on the seed's blog."""
    match = _POSTED_BY.match(line)
    return _Signature(match.group("author"), None) if match else None


def _signed_comments(
    soup: BeautifulSoup,
    signature_of: Callable[[str, bool], _Signature | None],
    dayfirst: bool,
    forward: bool,
) -> list[_Found]:
    """Comments marked by a signature line, the body after it (`forward`) or before.

    The body is the run of siblings up to the next comment's signature, a heading
    or a form; a signature alone in its wrapper takes the wrapper's siblings. The
    key is a "comment-12" id on the signature or on a wrapper of this comment alone.
    """
    signed = []
    for element in soup.find_all(SIGNATURE_TAGS):
        line = _short_text(element)
        signature = signature_of(line, dayfirst) if line else None
        if signature is not None:
            signed.append((element, signature))
    holders: Counter[int] = Counter()
    for element, _ in signed:
        for ancestor in islice(element.parents, MAX_CLIMB):
            holders[id(ancestor)] += 1
    marks = {id(element) for element, _ in signed}
    runs = [_run(element, forward, marks, holders) for element, _ in signed]
    keys = [_signed_key(element, holders) for element, _ in signed]
    found = []
    for (element, signature), nodes, key in zip(signed, runs, keys, strict=True):
        wrapper = soup.new_tag("div")
        for node in nodes:
            wrapper.append(node.extract())
        element.extract()
        date = signature.date or _date_line(wrapper, dayfirst)
        found.append(_Found(signature.author, _html(wrapper), date, key))
    return found


def _run(element: Tag, forward: bool, marks: set[int], holders: Counter[int]) -> list[PageElement]:
    """The siblings that make a signed comment's body, in document order.

    Climbs out of wrappers that hold only this signature and nothing on the body's
    side of it, such as a <div class="meta"> closing the comment.
    """
    anchor = element
    nodes: list[PageElement] = []
    for _ in range(MAX_CLIMB):
        nodes = list(_siblings(anchor, forward, marks, holders))
        parent = anchor.parent
        if any(_has_text(node) for node in nodes) or parent is None or holders[id(parent)] > 1:
            break
        anchor = parent
    return nodes if forward else nodes[::-1]


def _signed_key(element: Tag, holders: Counter[int]) -> str | None:
    """A "comment-12" id on a signature line or on a wrapper holding only its comment."""
    for candidate in (element, *islice(element.parents, MAX_CLIMB)):
        if candidate is not element and holders[id(candidate)] > 1:
            break
        match = _COMMENT_ID.match(_attr(candidate, "id"))
        if match:
            return match.group(1)
    return None


def _siblings(
    anchor: Tag, forward: bool, marks: set[int], holders: Counter[int]
) -> Iterator[PageElement]:
    sibling = anchor.next_sibling if forward else anchor.previous_sibling
    while sibling is not None:
        if isinstance(sibling, Tag) and (
            id(sibling) in marks
            or holders[id(sibling)]
            or sibling.name in HEADINGS
            or sibling.name == "form"
            or _is_boilerplate(sibling)
        ):
            return
        yield sibling
        sibling = sibling.next_sibling if forward else sibling.previous_sibling


def _is_boilerplate(element: Tag) -> bool:
    """The site's "We welcome comments..." paragraph that opens the comments."""
    text = _clean(element.get_text(" ")) if element.name == "p" else ""
    return any(pattern.search(text) for pattern in BOILERPLATE)


def _date_line(wrapper: Tag, dayfirst: bool) -> datetime | None:
    """A comment's date printed on a line of its own in its body, taken out of it."""
    for element in wrapper.find_all(True, recursive=False):
        line = _short_text(element)
        date = parse_date(line, dayfirst) if line else None
        if date is not None:
            element.decompose()
            return date
    return None


def _records(found: list[_Found]) -> tuple[Comment, ...]:
    """`Comment` records in document order; one path for every markup style.

    Authors are kept as shown, e-mail and IP addresses taken out, and "Anonymous"
    given to a comment without a name. A comment with no body text is dropped.
    A parent that names no comment on the page is forgotten.
    """
    known: dict[str, str] = {}
    for item in found:
        if item.key:
            known[item.key] = item.key
            number = _NUMBER_SUFFIX.search(item.key)
            if number:
                known.setdefault(number.group(1), item.key)
    comments: list[Comment] = []
    for item in found:
        body = _redact(html_to_text(item.body))
        if not body:
            continue
        parent = known.get(item.parent.lstrip("#")) if item.parent else None
        comments.append(
            Comment(
                author=_author(item.author),
                body=body,
                position=len(comments) + 1,
                date=item.date,
                key=item.key,
                parent=parent if parent != item.key else None,
            )
        )
    return tuple(comments)


def _author(shown: str) -> str:
    name = _clean(_SAYS.sub("", _redact(shown)))
    return name or "Anonymous"


def _redact(text: str) -> str:
    """`text` without IP addresses, and with each e-mail address cut to its name."""
    return paragraphs(_IPV6.sub("", _IPV4.sub("", _EMAIL.sub(r"\1", text))))


# --- Small helpers ----------------------------------------------------------------


def _attr(element: Tag | None, name: str) -> str:
    """An attribute's value as one stripped string ("" when absent)."""
    value = element.get(name) if element is not None else None
    if isinstance(value, list):
        value = " ".join(value)
    return (value or "").strip()


def _has_class(element: Tag, names: tuple[str, ...]) -> bool:
    return any(name in names for name in element.get("class") or ())


def _clean(text: str) -> str:
    return " ".join(text.split())


def _text_or_content(element: Tag) -> str:
    """The visible text of an element, or a <meta>'s `content`."""
    if element.name == "meta":
        return _clean(_attr(element, "content"))
    return _clean(element.get_text(" "))


def _ranked(scope: Tag, selectors: tuple[str, ...]) -> Iterator[Tag]:
    """What `selectors` find in `scope`, the first selector's finds first.

    One walk of the tree for the whole list, rather than one per selector.
    """
    found = scope.select(", ".join(selectors))
    for selector in selectors:
        yield from (element for element in found if element.css.match(selector))


def _first(scope: Tag, selectors: tuple[str, ...]) -> Tag | None:
    return next(_ranked(scope, selectors), None)


def _first_text(scope: Tag, selectors: tuple[str, ...]) -> str:
    """The text of the first element the selectors find that has any."""
    for element in islice(_ranked(scope, selectors), MAX_CANDIDATES):
        text = _text_or_content(element)
        if text:
            return text
    return ""


def _selected_date(scope: Tag, selectors: tuple[str, ...], dayfirst: bool) -> datetime | None:
    for element in islice(_ranked(scope, selectors), MAX_CANDIDATES):
        date = _element_date(element, dayfirst)
        if date is not None:
            return date
    return None


def _element_date(element: Tag, dayfirst: bool) -> datetime | None:
    """The date an element states: a machine-readable attribute when it parses
    (themes print `datetime="comment_date"`), else a piece of its visible text."""
    for name in ("datetime", "content", "title"):
        date = parse_date(_attr(element, name), dayfirst)
        if date is not None:
            return date
    text = _clean(element.get_text(" "))
    pieces = chain((text,), _DATE_SEPARATORS.split(text), element.stripped_strings)
    for piece in islice(pieces, MAX_CANDIDATES):
        date = parse_date(piece, dayfirst)
        if date is not None:
            return date
    return None


def _short_text(element: Tag) -> str | None:
    """The element's text when it is one short line of inline markup, else None.

    Looks at no more than `MAX_SIGNATURE_NODES` descendants, so that testing every
    <div> of a deeply nested page stays linear.
    """
    nodes = _first_descendants(element, MAX_SIGNATURE_NODES + 1)
    if len(nodes) > MAX_SIGNATURE_NODES or any(
        isinstance(node, Tag) and node.name in SIGNATURE_TAGS + HEADINGS for node in nodes
    ):
        return None
    text = _clean("".join(node for node in nodes if _is_visible_string(node)))
    return text if 0 < len(text) <= MAX_SIGNATURE_LENGTH else None


def _first_descendants(element: Tag, limit: int) -> list[PageElement]:
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


def _html(element: Tag) -> str:
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
        elif _is_visible_string(node):
            parts.append(escape(str(node), quote=False))
    return "".join(parts)


def _is_visible_string(node: PageElement) -> bool:
    """Text a reader sees: not an HTML comment, doctype or processing instruction."""
    return isinstance(node, NavigableString) and not isinstance(node, PreformattedString)


def _has_text(node: PageElement) -> bool:
    if isinstance(node, Tag):
        return bool(node.get_text(strip=True))
    return _is_visible_string(node) and bool(node.strip())
