"""Reader for saved HTML pages: an article and its reader-comment thread.

A page saved from a browser holds the article among the site's navigation,
sidebars and share buttons, and the comments in whatever markup the blog engine,
forum or comment service printed. Comments are found, in this order, by the
known markup families (`comment_families`), by the signature lines of plain
paragraph threads, by JSON-LD, and else by mining the page's comment section
for repeated blocks (`comment_mining`). They are cut out of the page before the
article is read, so the article body never holds them; a comment section that
cannot be split is cut out too, and the article says so.

The page is untrusted. Attributes are checked before use (a `datetime` must parse
as a date, else the visible text is read), walks up the tree are bounded, and
e-mail and IP addresses never reach a record.
"""

from __future__ import annotations

import re
import warnings
from collections import Counter
from dataclasses import dataclass, replace
from datetime import datetime
from itertools import islice

from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning
from bs4.element import Comment as HtmlComment
from bs4.element import Tag

from indexer.dates import DateContext, parse_date, read_date
from indexer.readers.comment_families import (
    FAMILIES,
    count_items,
    item_comments,
    json_ld_comments,
    page_markers,
    posted_by_signature,
    said_signature,
    signed_comments,
)
from indexer.readers.comment_mining import RECORD_MINING, comment_sections, mined_comments
from indexer.readers.comment_parts import (
    clean_name,
    comment_records,
    selected_date,
)
from indexer.readers.dom import (
    MAX_CANDIDATES,
    SimpleSelectors,
    attr,
    clean,
    first,
    first_text,
    has_class,
    holders_of,
    inner_html,
    ranked,
    redact,
    text_of,
)
from indexer.readers.encoding import decode_bytes
from indexer.readers.files import SNIFF_BYTES, ReaderError
from indexer.readers.markup import html_to_text
from indexer.records import Article, Comment

# How far up from the article's body its <article> (or post wrapper) is looked for.
MAX_CONTAINER_CLIMB = 12
MAX_BYLINE_LENGTH = 100
MAX_TITLE_LENGTH = 120
MAX_URL_LENGTH = 2048
MAX_ARTICLES_COMPARED = 20
MAX_LEADING_COMMENTS = 16
MAX_SITE_NAME_WORDS = 4
MAX_SIDEBARS = 200
# Where a saving tool writes when the page was saved: in its first few kilobytes.
SAVED_NOTE_BYTES = 4096

INVISIBLE = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg")

# Page furniture that can hold comment-like lists of other pages ("Recent
# comments" widgets); taken out before comments are looked for.
SIDEBARS = SimpleSelectors(
    "aside, #sidebar, .sidebar, #secondary, .widget-area, .widget, [role=complementary], "
    ".widget_recent_comments, #recentcomments, .recentcomments, .recent-comments, nav, "
    "[role=navigation], .hot-network-questions, #hot-network-questions, .related, .related-posts"
)
# What a sidebar never holds: a widget that does is the page's main column
# (Blogger prints the post and its comments inside a "widget Blog").
ARTICLE_CONTENT = SimpleSelectors(
    ".post-body, .entry-content, .post-content, [itemprop~=articleBody], h1, .post-outer"
)
MAIN_CONTENT = SimpleSelectors(
    ".post-body, .entry-content, .post-content, [itemprop~=articleBody], h1, .post-outer, "
    ".comments, #comments, .comment-thread, #comments-block"
)
_KEEP_SIDEBAR = re.compile(r"comments|disqus|discussion|thread", re.IGNORECASE)
_RECENT = re.compile(r"recent|latest|neueste|widget|popular|top", re.IGNORECASE)

# Lists of other pages linking here: pingbacks, trackbacks, Blogger's backlinks.
LINKS_HERE = (
    "#backlinks-container, .backlinks, #trackbacks, .trackbacks, #pings, .pinglist, "
    "li.pingback, li.trackback, div.trackback, .comment-type-pingback"
)

# What a page prints around an article that is not the article.
PAGE_NOISE = SimpleSelectors(", ".join(
    (
        "nav, aside, button, [role=navigation], [role=complementary], [role=search]",
        ".search-form, #commentform, .comment-form",
        "#sidebar, .sidebar, .widget, .widget-area, .related, .related-posts",
        ".jp-relatedposts, .yarpp-related, .sharedaddy, .sharing, .share, .share-buttons",
        ".social-share, .addtoany_share_save_container, .post-navigation, .navigation",
        ".breadcrumbs, .advert, .advertisement, .ads, #masthead, .site-header, #colophon",
        ".site-footer, #comments, .comments-area, #respond, .comment-respond, .commentlist",
        ".comment-list, #disqus_thread, #wpdcom, .wpd-thread-list, #isso-thread, #commento",
        "#idc-container, .coral-stream, #coral_thread, .fb-comments, #dsq-content",
    )
))
# A page's own header and footer, not those of an article inside it.
ARTICLE_SCOPE = SimpleSelectors("article, main, [role=main], .hentry, .h-entry, .post, .type-post")
BODY_SELECTORS = (
    ".entry-content",
    "article .post-content",
    "[itemprop~=articleBody]",
    ".e-content",
    ".post-content",
    ".post-body",
    ".story-body",
    ".article-body",
    ".field--name-body",
    ".field-name-body",
)
TITLE_SELECTORS = ("h1.entry-title", ".entry-title", "article h1", "h1.p-name")
BYLINE_SELECTORS = (
    "[rel~=author]",
    ".author .fn",
    ".byline .author",
    ".submitted .username",
    ".entry__author",
    ".entry-author",
    ".post-author",
    ".article-author",
    ".author-name",
    ".meta-author",
    ".field--name-uid .username",
    ".node__meta .username",
    ".vcard .fn",
    ".author a",
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
_SEPARATOR = r"\s+[|\-\u2013\u2014:\u00bb\u00b7\u2022]{1,2}\s+"
_TITLE_SUFFIX = re.compile(rf"^(?P<title>.+){_SEPARATOR}(?P<site>.+)$")
_SITE_SUFFIX = re.compile(rf"^{_SEPARATOR}\S")
_SITE_PREFIX = re.compile(r"\S(?::|\s[|\-\u2013\u2014\u00bb\u00b7:])\s+$")
_HTTP_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)
_SAVED_DATE = re.compile(
    r"saved (?:date|on|at)\s*:\s*(?:\w{3},?\s+)?(?P<date>[^\n(]{6,60}?)\s*(?:GMT|UTC|\(|\n|-->)",
    re.IGNORECASE,
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


def parse_html(
    data: bytes,
    *,
    url: str | None = None,
    saved_at: datetime | None = None,
    charset: str | None = None,
) -> list[Article]:
    """The article and comment thread of a saved HTML page, as a one-item list.

    A page taken from a web archive brings what the archive knows better than the
    page: the address it was fetched from (`url`, an http(s) address), when it was
    fetched (`saved_at`, what relative dates count from) and the charset its HTTP
    headers declared (`charset`). Without them they are read from the page.

    :raise ReaderError: when the page holds neither article text nor comments.
    """
    text = decode_bytes(data, charset)
    with warnings.catch_warnings():
        # Only content that sniffed as HTML gets here; XML-looking bits stay HTML.
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        soup = BeautifulSoup(text, "lxml")
    saved_at = saved_at or _saved_date(text[:SAVED_NOTE_BYTES], soup)
    context = DateContext(_language(soup), saved_at)
    url = url if url and _is_address(url) else _url(soup)
    json_ld = [
        script.get_text() for script in soup.find_all("script", type="application/ld+json")
    ]
    for element in soup(INVISIBLE):
        element.decompose()
    for element in soup.find_all(string=lambda node: isinstance(node, HtmlComment)):
        element.extract()
    _drop_sidebars(soup)
    for element in soup.select(LINKS_HERE):
        element.decompose()
    thread = _thread(soup, context, json_ld)
    article_holders = holders_of(soup, ARTICLE_CONTENT)
    for element in [*PAGE_NOISE.select(soup), *_page_frame(soup)]:
        if element.parent is not None and id(element) not in article_holders:
            element.decompose()
    body_element = _body_element(soup)
    container = _container(body_element)
    title = _title(soup, container)
    byline = _byline(soup, container)
    date = _article_date(soup, container, context)
    caption = first_text(container, CAPTION_SELECTORS)
    body = _body(body_element)
    if thread.opening is not None:
        body = thread.opening.body
        byline = thread.opening.author if thread.opening.author != "Anonymous" else byline
        date = thread.opening.date or date
    if not body and not thread.comments:
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
            caption=redact(caption) if caption else None,
            url=url,
            key=url,
            comments=thread.comments,
            comment_markup=thread.markup,
            comments_not_split=thread.not_split,
        )
    ]


# --- The comment thread -----------------------------------------------------------


@dataclass(frozen=True)
class _Thread:
    comments: tuple[Comment, ...] = ()
    markup: str | None = None
    not_split: str | None = None
    opening: Comment | None = None


def _thread(soup: BeautifulSoup, context: DateContext, json_ld: list[str]) -> _Thread:
    """The page's comments, by the first way that finds any, cut out of the page."""
    classes, ids = page_markers(soup)
    candidates = [markup for markup in FAMILIES if markup.present(classes, ids)]
    counts = [(count_items(soup, markup), -rank) for rank, markup in enumerate(candidates)]
    if counts and max(counts)[0] > 0:
        markup = candidates[-max(counts)[1]]
        comments = comment_records(item_comments(soup, markup, context))
        if comments and markup.first_is_article:
            return _Thread(_renumbered(comments[1:]), markup.family, opening=comments[0])
        if comments:
            return _Thread(comments, markup.family)
    for signature, forward in ((posted_by_signature, False), (said_signature, True)):
        comments = comment_records(signed_comments(soup, signature, context, forward))
        if comments:
            return _Thread(comments, "signature lines")
    numbered = any(name.startswith(("cmt_", "cmt-")) for name in ids)
    declared = comment_records(json_ld_comments(json_ld, context))
    sections = comment_sections(soup, first(soup, BODY_SELECTORS))
    for section in sections:
        mined = mined_comments(section.element, context)
        comments = comment_records(mined, back_references=numbered)
        if comments and len(comments) >= len(declared):
            section.element.decompose()
            return _Thread(comments, RECORD_MINING)
    if declared:
        for section in sections:
            section.element.decompose()
        return _Thread(declared, "JSON-LD")
    if sections and _holds_text(sections[0].element):
        section = sections[0]
        reason = f"a comment section ({section.evidence}) whose comments could not be told apart"
        section.element.decompose()
        return _Thread(not_split=reason)
    return _Thread()


def _renumbered(comments: tuple[Comment, ...]) -> tuple[Comment, ...]:
    """Comments counted from 1 again, once a forum's opening post became the article."""
    return tuple(replace(comment, position=n) for n, comment in enumerate(comments, start=1))


def _holds_text(element: Tag) -> bool:
    """Whether a section holds more than a heading and a form: text someone wrote."""
    return len(element.get_text(" ", strip=True)) > 80


def _page_frame(soup: BeautifulSoup) -> list[Tag]:
    """The page's own <header> and <footer>: those outside any article."""
    return [
        element
        for element in soup.find_all(("header", "footer"))
        if not any(ARTICLE_SCOPE.matches(ancestor) for ancestor in element.parents)
    ]


def _drop_sidebars(soup: BeautifulSoup) -> None:
    """Take out sidebars and widgets, which list comments of other pages, but not
    an <aside> that is the page's own comment section."""
    main_holders = holders_of(soup, MAIN_CONTENT)
    for element in islice(SIDEBARS.select(soup), MAX_SIDEBARS):
        if element.parent is None or id(element) in main_holders:
            continue
        names = f"{attr(element, 'class')} {attr(element, 'id')}"
        if _KEEP_SIDEBAR.search(names) and not _RECENT.search(names):
            continue
        element.decompose()


def _saved_date(head: str, soup: BeautifulSoup) -> datetime | None:
    """When the page was saved, as a saving tool notes it, else when it was last
    modified or published: what "3 days ago" counts from."""
    match = _SAVED_DATE.search(head)
    if match:
        date = parse_date(match.group("date"))
        if date is not None:
            return date
    for name in ("savepage-date", "article:modified_time", "article:published_time"):
        value = _meta(soup, f'meta[name="{name}"], meta[property="{name}"]')
        date = read_date(value, DateContext()) if value else None
        if date is not None:
            return date
    return None


# --- Page metadata ---------------------------------------------------------------


def _language(soup: BeautifulSoup) -> str | None:
    """The page's language: <html lang>, og:locale or a Content-Language meta."""
    root = soup.find("html")
    if isinstance(root, Tag):
        for name in ("lang", "xml:lang"):
            if attr(root, name):
                return attr(root, name)
    for selector in ('meta[property="og:locale"]', 'meta[http-equiv="content-language" i]'):
        if _meta(soup, selector):
            return _meta(soup, selector)
    return None


def _url(soup: BeautifulSoup) -> str | None:
    """The page's own address, from its canonical link or og:url, if it is one."""
    sources = (('link[rel~="canonical"]', "href"), ('meta[property="og:url"]', "content"))
    for selector, name in sources:
        value = attr((soup.head or soup).select_one(selector), name)
        if _is_address(value):
            return value
    return None


def _is_address(value: str) -> bool:
    return len(value) <= MAX_URL_LENGTH and bool(_HTTP_URL.match(value))


def _meta(soup: BeautifulSoup, selector: str) -> str:
    """A <meta>'s content; looked for in the <head> only, where metadata belongs."""
    return clean(attr((soup.head or soup).select_one(selector), "content"))


# --- The article ------------------------------------------------------------------


def _body_element(soup: BeautifulSoup) -> Tag:
    """The element holding the article's text: a known content wrapper, the
    <article> with the most text, or the element with the most paragraph text."""
    element = first(soup, BODY_SELECTORS)
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
        if element.name == "article" or has_class(element, ("hentry", "h-entry", "post")):
            return element
        element = element.parent
    parent = body_element.parent
    return parent if isinstance(parent, Tag) and parent.name != "[document]" else body_element


def _title(soup: BeautifulSoup, container: Tag) -> str:
    """og:title, the entry's heading, or <title> without its " | Site" suffix."""
    title = _meta(soup, 'meta[property="og:title"]')
    title = title or first_text(container, TITLE_SELECTORS) or first_text(soup, TITLE_SELECTORS)
    if title:
        return title
    if soup.title is not None:
        title = _without_site_name(clean(soup.title.get_text()), soup)
    return title or first_text(soup, ("h1",))


def _without_site_name(title: str, soup: BeautifulSoup) -> str:
    """The headline in a <title> such as "Headline | Section | Site".

    A heading that the title starts with is the headline. Else the title is cut
    at its first " | " (headlines hold no pipes), or before a short last part
    after " - ", which might be the site's name or the headline's own words.
    """
    for heading in soup.find_all(("h1", "h2", "h3"), limit=MAX_CANDIDATES):
        text = clean(heading.get_text(" "))
        if text and title.startswith(text) and _SITE_SUFFIX.match(title[len(text) :]):
            return text
        prefix = title[: -len(text)] if text and title.endswith(text) else ""
        if _SITE_PREFIX.search(prefix) and len(prefix.split()) <= MAX_SITE_NAME_WORDS:
            return text
    headline = re.split(r" [|\u00bb] ", title, maxsplit=1)[0].strip()
    if headline != title and headline:
        return headline
    match = _TITLE_SUFFIX.match(title)
    if match and len(match.group("site").split()) <= MAX_SITE_NAME_WORDS:
        return match.group("title")
    return title


def _byline(soup: BeautifulSoup, container: Tag) -> str | None:
    """The article's author as its page credits them, without a leading "By"."""
    for scope in (container, soup):
        for element in islice(ranked(scope, BYLINE_SELECTORS), MAX_CANDIDATES):
            name = clean_name(text_of(element))
            if name and len(name) <= MAX_BYLINE_LENGTH:
                return name
    name = clean_name(_meta(soup, 'meta[name="author" i]'))
    return name if name and len(name) <= MAX_BYLINE_LENGTH else None


def _article_date(soup: BeautifulSoup, container: Tag, context: DateContext) -> datetime | None:
    """The publication date: the entry header's <time>, article:published_time,
    itemprop=datePublished, then a date printed in a date-classed element."""
    published = _meta(soup, 'meta[property="article:published_time"]')
    return (
        selected_date(container, DATE_SELECTORS, context)
        or (read_date(published, context) if published else None)
        or selected_date(soup, ("[itemprop~=datePublished]",), context)
        or selected_date(container, VISIBLE_DATE_SELECTORS, context)
    )


def _body(body_element: Tag) -> str:
    for element in body_element.select(ARTICLE_FURNITURE):
        element.decompose()
    return redact(html_to_text(inner_html(body_element)))


def _first_line(body: str) -> str:
    line = body.split("\n", 1)[0]
    if len(line) <= MAX_TITLE_LENGTH:
        return line
    return line[:MAX_TITLE_LENGTH].rsplit(" ", 1)[0] + "\u2026"


