"""Comment threads in the markup families real pages use, each described as data.

A family that gives each comment an element is a `CommentMarkup`: where its
comments are, and where each keeps its author, date and body. One extractor reads
them all (`item_comments`), replies from the nesting. Families whose comments are
runs of plain paragraphs closed or opened by a signature line ("Posted by NAME |
Report as abusive", "NAME on DATE said:", "2. NAME (10. října 2006 15:38)") are
read by `signed_comments`. Comments given only as JSON-LD are read by
`json_ld_comments`.

Each family names a few `markers`, classes or ids that only its pages carry, so
that a page is tried against the families it may be written in, not all of them.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice

from bs4 import BeautifulSoup
from bs4.element import PageElement, Tag

from indexer.dates import DateContext, find_date, read_date
from indexer.readers.comment_parts import (
    SAYING,
    FoundComment,
    author_name,
    clean_name,
    dated_element,
)
from indexer.readers.dom import (
    HEADINGS,
    LINE_TAGS,
    MAX_CANDIDATES,
    attr,
    clean,
    first,
    first_descendants,
    has_text,
    inner_html,
    is_visible_string,
    ranked,
    short_text,
)
from indexer.readers.text import BOILERPLATE

# A reply sits a few levels inside the comment it answers (li > div > ol > li),
# or in a replies container right after it (Drupal's div.indented).
MAX_CLIMB = 8
MAX_ITEMS = 5_000
MAX_JSON_LD_BYTES = 2_000_000
MAX_JSON_LD_COMMENTS = 5_000
MAX_JSON_DEPTH = 12
JSON_LD_THREAD_PROPERTIES = (
    "@graph",
    "comment",
    "comments",
    "suggestedAnswer",
    "acceptedAnswer",
    "mainEntity",
)
MAX_TEXT_BLOCK_SEARCH = 200
MAX_PART_SEARCH = 200
MAX_NAME_WORDS = 5

# Links and buttons inside a comment that are no part of what was said.
COMMON_NOISE = (
    "button, form, .reply, .comment-reply, .comment-reply-link, .reply-link, .comment-edit-link, "
    ".edit-link, .says, .comment-awaiting-moderation, .screen-reader-text, .sr-only, "
    ".visually-hidden, .comment-actions, .comment__actions, .comment-links, ul.links, "
    ".vote, .votes, .voting, .likes, .like-button, .permalink, .report"
)
_COMMENT_ID = re.compile(r"^(?:li-|div-)?(comment[-_]?\d+)$", re.IGNORECASE)
_TEXT_CLASS = re.compile(
    r"text|content|body|message|tresc|treść|inhalt|texte|tekst|obsah|testo|mensaje|cuerpo",
    re.IGNORECASE,
)
_PARENT_ATTRIBUTES = ("data-parent", "data-parent-id", "data-parentid", "parent", "data-reply-to")
_POSTED_BY = re.compile(
    r"^posted by\b\s*(?P<author>[^|]{0,80}?)\s*\|\s*report (?:this )?as abusive$", re.IGNORECASE
)
_SAID = re.compile(rf"^(?P<rest>.+?)\s*\b(?:{SAYING})\s*:?$", re.IGNORECASE)
_SENTENCE = re.compile(r"[!?]|\w{3,}[.:]\s+\w")
_NUMBERED = re.compile(r"^\s*(?P<number>\d{1,4})\s*[.)]\s*(?P<rest>.+)$")


@dataclass(frozen=True)
class CommentMarkup:
    """Where one family of comment markup keeps a comment's parts.

    Selectors are tried in order inside the comment's element once its replies
    have been taken out of it; `noise` marks what is inside the body element but is
    no body text (the author's line, the date, the reply link). `markers` are
    classes or ids ("#id") of which one must be on the page for the family to be
    tried.
    """

    family: str
    markers: tuple[str, ...]
    items: str
    author: tuple[str, ...]
    date: tuple[str, ...]
    body: tuple[str, ...]
    noise: str = ""
    accept: Callable[[Tag], bool] = field(default=lambda element: True)
    first_is_article: bool = False

    def present(self, classes: set[str], ids: set[str]) -> bool:
        return any(
            marker[1:] in ids if marker.startswith("#") else marker in classes
            for marker in self.markers
        )


def _is_schema_comment(element: Tag) -> bool:
    kinds = [kind.rstrip("/").rsplit("/", 1)[-1] for kind in attr(element, "itemtype").split()]
    return any(kind in ("Comment", "UserComments", "Answer") for kind in kinds)


def _not_a_ping(element: Tag) -> bool:
    return not {"pingback", "trackback"} & set(element.get("class") or ())


# Where WordPress themes, and the many engines that copied its classes, put things.
_LIST_AUTHOR = (
    ".comment-author .fn",
    ".comment-author cite",
    "cite.fn",
    "b.fn",
    ".fn",
    ".comment__author-name",
    ".comment-author-name",
    ".comment__author .username",
    ".comment__author",
    ".author_name",
    ".author-name",
    ".comment_author",
    ".wp-block-comment-author-name",
    ".commenttext cite",
    "cite.user",
    ".comment-header cite",
    ".dsq-comment-header cite",
    ".username",
    ".comment-author",
    ".comment-footer",
    ".comment-meta .author",
    ".author",
    "cite",
)
_LIST_DATE = (
    "time",
    ".comment-metadata",
    ".comment__date",
    ".comment-date",
    ".comment__time",
    ".wp-block-comment-date",
    ".comment-meta",
    ".commentmetadata",
    ".comment__meta",
    ".datetime",
    ".comment-timestamp",
    ".submitted",
    ".comment-footer",
    ".dsq-comment-header",
    ".date",
    ".comment-header",
)
_LIST_BODY = (
    ".comment-content",
    ".comment__content",
    ".comment__text",
    ".comment-text",
    ".wp-block-comment-content",
    ".commenttext",
    ".dsq-comment-message",
    ".field--name-comment-body",
    ".field-name-comment-body",
    ".comment__body",
    ".comment-body",
    ".content",
)
_LIST_NOISE = (
    ".comment-author, .fn, .comment-meta, .commentmetadata, .comment-metadata, .comment__meta, "
    ".comment-footer, .comment-header, .comment__author, .comment-date, .comment__date, "
    ".submitted, .dsq-comment-header, .wp-block-comment-author-name, .wp-block-comment-date, "
    "mark.new, mark.hidden, .new"
)

_LIST_PARTS = ", ".join(_LIST_AUTHOR + _LIST_BODY)

FAMILIES: tuple[CommentMarkup, ...] = (
    CommentMarkup(
        family="Disqus",
        markers=("#disqus_thread", "post-list", "#post-list"),
        items="li.post",
        author=(".post-byline .author a", ".post-byline .author", ".author"),
        date=("a.time-ago", ".post-meta time", ".time-ago", ".post-meta"),
        body=(".post-message", ".post-body-inner"),
        noise=".post-byline, .post-meta, .post-menu, footer",
    ),
    CommentMarkup(
        family="wpDiscuz",
        markers=("#wpdcom", "wpd-comment"),
        items=".wpd-comment",
        author=(".wpd-comment-author", ".wpd-comment-author a"),
        date=(".wpd-comment-date",),
        body=(".wpd-comment-text",),
        noise=".wpd-comment-header, .wpd-comment-footer, .wpd-comment-label, .wpd-vote",
    ),
    CommentMarkup(
        family="Stack Exchange",
        markers=("answer", "comments-list", "#answers"),
        items="#answers .answer, div.answer, .comments-list li.comment, li.js-comment",
        author=(
            ".post-signature:not(.owner) .user-details a",
            ".post-signature .user-details a",
            ".user-details a",
            "a.comment-user",
            ".comment-user",
            ".user-details",
        ),
        date=(
            ".post-signature:not(.owner) .relativetime",
            ".relativetime",
            ".relativetime-clean",
            ".comment-date span[title]",
            "time",
        ),
        body=(".s-prose", ".js-post-body", ".post-text", ".comment-copy"),
        noise=".post-signature, .comment-user, .comment-date, .js-comment-edit",
    ),
    CommentMarkup(
        family="Livefyre",
        markers=("fyre-comment-article", "fyre-comment-stream", "fyre"),
        items="article.fyre-comment-article, .fyre-comment-article",
        author=(".fyre-comment-username", ".fyre-comment-user"),
        date=(".fyre-comment-date", "time"),
        body=(".fyre-comment",),
        noise=".fyre-comment-head, .fyre-comment-footer",
    ),
    CommentMarkup(
        family="Coral Talk",
        markers=("coral-comment", "coral-stream", "#coral_thread"),
        items=".coral-comment",
        author=(".coral-comment-username", ".coral-username", "[class*=Username]"),
        date=(".coral-comment-timestamp", ".coral-timestamp", "time"),
        body=(".coral-comment-content", "[class*=HTMLContent]"),
        noise=".coral-comment-topBar, .coral-comment-actionBar, .coral-comment-footer",
    ),
    CommentMarkup(
        family="IntenseDebate",
        markers=("#idc-container", "idc-c", "idc-thread"),
        items=".idc-c",
        author=(".idc-u", "a.idc-u", ".idc-c-h .idc-i a"),
        date=(".idc-time", ".idc-c-h"),
        body=(".idc-c-t-inner", ".idc-c-t"),
        noise=".idc-c-h, .idc-c-b, .idc-v",
    ),
    CommentMarkup(
        family="Commento",
        markers=("commento-card", "#commento"),
        items=".commento-card",
        author=(".commento-name",),
        date=(".commento-timeago", ".commento-subtitle"),
        body=(".commento-body",),
        noise=".commento-header, .commento-options",
    ),
    CommentMarkup(
        family="Isso",
        markers=("isso-comment", "#isso-thread"),
        items=".isso-comment",
        author=(".isso-author",),
        date=(".isso-permalink time", ".isso-permalink", "time"),
        body=(".isso-text",),
        noise=".isso-comment-header, .isso-comment-footer",
    ),
    CommentMarkup(
        family="Remark42",
        markers=("comment__username", "comment__user-name", "root__threads", "#remark42"),
        items="article.comment, div.comment:has(> .comment__body)",
        author=(".comment__username", ".comment__user-name", ".user__name"),
        date=(".comment__time", "time"),
        body=(".comment__text",),
        noise=".comment__info, .comment__controls, .comment__actions, .comment__score",
        accept=lambda element: element.select_one(".comment__text") is not None,
    ),
    CommentMarkup(
        family="Facebook comments",
        markers=("UFICommentActorName", "UFIComment", "_5mdd"),
        items="div._3-8y[id^=fbc_], .UFIComment",
        author=("a.UFICommentActorName", ".UFICommentActorName"),
        date=("abbr.livetimestamp", "abbr[data-utime]", ".UFISutroCommentTimestamp"),
        body=("._3-8m ._5mdd", "._3-8m", ".UFICommentBody"),
        noise="._4ydo, ._2vq9, .UFICommentActions",
    ),
    CommentMarkup(
        family="Epoch",
        markers=("epoch-single-comment", "epoch-comment-body", "#epoch-wrap"),
        items=".epoch-single-comment, article.epoch-comment-body",
        author=(".epoch-comment-author", ".epoch-author-name"),
        date=(".epoch-comment-link time", "time", ".epoch-comment-meta"),
        body=(".epoch-comment-content",),
        noise=".epoch-comment-meta, .epoch-comment-actions",
    ),
    CommentMarkup(
        family="phpBB",
        markers=("postbody", "#page-body"),
        items="div.post:has(.postbody)",
        author=(
            "p.author .username",
            "p.author .username-coloured",
            ".postprofile dt a",
            "p.author",
        ),
        date=("p.author time", "p.author"),
        body=("div.content",),
        noise=".signature, .notice",
        first_is_article=True,
    ),
    CommentMarkup(
        family="vBulletin",
        markers=("postbitlegacy", "postcontainer", "postbit", "b-post"),
        items="li.postbitlegacy, li.postcontainer, .postbit, .b-post",
        author=(".username strong", ".username", ".b-post__author-name", ".popupmenu a"),
        date=("span.date", ".postdate", ".b-post__timestamp", "time"),
        body=(
            "blockquote.postcontent",
            ".postcontent",
            ".b-post__content .js-post__content-text",
            "div.content",
        ),
        noise=".signature, .postfoot, .after_content",
        first_is_article=True,
    ),
    CommentMarkup(
        family="Discourse",
        markers=("crawler-post", "topic-body"),
        items="div.crawler-post, [itemtype$=DiscussionForumPosting] div.topic-body",
        author=(".creator [itemprop=name]", ".creator", "[itemprop=author]"),
        date=(".crawler-post-infos time", "time", "[itemprop=datePublished]"),
        body=("div.post[itemprop=text]", "div.post", "[itemprop=text]"),
        noise=".crawler-post-meta, .crawler-post-infos",
        first_is_article=True,
    ),
    CommentMarkup(
        family="SPIP forum",
        markers=("forum-fil", "forum-message", "forum-chapo"),
        items=".forum-message",
        author=(".forum-chapo small span", ".forum-chapo .auteur", ".forum-chapo small a"),
        date=(".forum-chapo small", ".forum-chapo", ".forum-date"),
        body=(".forum-texte", ".forum-message-texte"),
        noise=".forum-chapo, .forum-titre, .repondre",
    ),
    CommentMarkup(
        family="comment list",
        markers=(
            "commentlist",
            "comment-list",
            "comments",
            "#comments",
            "comment",
            "wp-block-comment-template",
            "comment-thread",
            "#dsq-comments",
            "comments-content",
        ),
        items=(
            "li.comment, div.comment, article.comment, li.comment-item, "
            ".wp-block-comment-template > li, .comments-content .comment"
        ),
        author=_LIST_AUTHOR,
        date=_LIST_DATE,
        body=_LIST_BODY,
        noise=_LIST_NOISE,
        accept=lambda element: (
            _not_a_ping(element)
            and not _is_part_of_a_comment(element)
            and (element.name == "li" or _holds(element, _LIST_PARTS))
        ),
    ),
    CommentMarkup(
        family="schema.org microdata",
        markers=("itemscope",),
        items="[itemscope][itemtype]",
        author=(
            "[itemprop~=author] [itemprop~=name]",
            "[itemprop~=author]",
            "[itemprop~=creator] [itemprop~=name]",
            "[itemprop~=creator]",
        ),
        date=(
            "[itemprop~=dateCreated]",
            "[itemprop~=datePublished]",
            "[itemprop~=commentTime]",
            "time",
        ),
        body=("[itemprop~=text]", "[itemprop~=commentText]"),
        noise=(
            "[itemprop~=author], [itemprop~=creator], [itemprop~=dateCreated], "
            "[itemprop~=commentTime], [itemprop~=datePublished]"
        ),
        accept=_is_schema_comment,
    ),
    CommentMarkup(
        family="microformats",
        markers=("p-comment", "u-comment", "h-cite"),
        items=(
            ":is(.h-entry, .h-cite) :is(.h-entry, .h-cite), :is(.p-comment, .u-comment)"
            ":is(.h-entry, .h-cite)"
        ),
        author=(".p-author .p-name", ".p-author", ".h-card .p-name", ".h-card"),
        date=(".dt-published", "time"),
        body=(".e-content", ".p-content"),
        noise=".p-author, .h-card, .dt-published, .u-in-reply-to",
        accept=lambda element: not any(
            name in ("u-in-reply-to", "u-like-of", "u-repost-of")
            for name in element.get("class") or ()
        ),
    ),
)


def _is_part_of_a_comment(element: Tag) -> bool:
    """A `.comment` class on a comment's inner part (Remark42's `.comment__body`,
    a theme's `div.comment` inside its `li.comment`) is no comment of its own."""
    if element.name == "li":
        return False
    return any(
        ancestor.name in ("li", "article") and "comment" in (ancestor.get("class") or ())
        for ancestor in islice(element.parents, 2)
    )


def _holds(element: Tag, selector: str) -> bool:
    """Whether one of the element's first descendants matches `selector`."""
    return any(
        isinstance(node, Tag) and node.css.match(selector)
        for node in first_descendants(element, MAX_PART_SEARCH)
    )


def _shows_text(element: Tag) -> bool:
    return any(
        is_visible_string(node) and node.strip()
        for node in first_descendants(element, MAX_PART_SEARCH)
    )


def page_markers(soup: BeautifulSoup) -> tuple[set[str], set[str]]:
    """Every class and id on the page, and "itemscope" when it has microdata."""
    classes: set[str] = set()
    ids: set[str] = set()
    for element in soup.find_all(True):
        classes.update(element.get("class") or ())
        if element.get("id"):
            ids.add(str(element.get("id")))
        if element.has_attr("itemscope"):
            classes.add("itemscope")
    return classes, ids


def count_items(soup: BeautifulSoup, markup: CommentMarkup) -> int:
    """How many comments of this family the page holds, before anything is cut."""
    return sum(
        1
        for item in islice(soup.select(markup.items), MAX_ITEMS)
        if markup.accept(item) and _shows_text(item)
    )


def item_comments(
    scope: Tag, markup: CommentMarkup, context: DateContext, extra_noise: str = ""
) -> list[FoundComment]:
    """Comments of a markup that wraps each in an element, replies nested inside.

    Each comment's parent is read from the nesting first; then every comment is
    cut out of the page (and a reply out of what it answers), so that each element
    holds only its own parts when they are read. Cutting in document order keeps
    each cut cheap: the next comment is then near the start of its parent.
    """
    items = [item for item in islice(scope.select(markup.items), MAX_ITEMS) if markup.accept(item)]
    item_ids = {id(item) for item in items}
    nested_in = {id(item): _enclosing(item, item_ids) for item in items}
    anchors = {id(item): _anchor_key(item) for item in items}
    for item in items:
        item.extract()
    keys = {
        id(item): anchors[id(item)] or _comment_key(item) or f"item-{n}"
        for n, item in enumerate(items, start=1)
    }
    noise = ", ".join(part for part in (COMMON_NOISE, markup.noise, extra_noise) if part)
    found = []
    for item in items:
        enclosing = nested_in[id(item)]
        parent = keys[id(enclosing)] if enclosing is not None else _declared_parent(item)
        author_element = _author_element(item, markup.author)
        date_element, date = dated_element(item, markup.date, context)
        body_element = first(item, markup.body) if markup.body else _text_block(item)
        author = author_name(author_element)
        if date is None and author_element is not None:
            date = _header_date(_line_of(author_element, item), context)
        if body_element is None:
            body_element = item
            for element in (author_element, date_element):
                if element is not None and element.parent is not None:
                    _line_of(element, item).decompose()
        for element in body_element.select(noise):
            element.decompose()
        found.append(FoundComment(author, inner_html(body_element), date, keys[id(item)], parent))
    return found


def _author_element(item: Tag, selectors: tuple[str, ...]) -> Tag | None:
    """The first element the selectors find that shows a name."""
    for element in islice(ranked(item, selectors), MAX_CANDIDATES):
        if author_name(element):
            return element
    return None


def _header_date(line: Tag, context: DateContext) -> datetime | None:
    """A date printed as plain text in a comment's header line, beside the name."""
    found = find_date(clean(line.get_text(" ")), context)
    return found[0] if found else None


def _line_of(element: Tag, item: Tag) -> Tag:
    """The one-line element around `element` inside `item`: a comment's header line."""
    line = element
    for ancestor in islice(element.parents, 3):
        if ancestor is item or short_text(ancestor) is None:
            break
        line = ancestor
    return line


def _text_block(item: Tag) -> Tag | None:
    """The part of a block of unknown markup that holds its text, by its class."""
    for element in islice(item.find_all(True), MAX_TEXT_BLOCK_SEARCH):
        if _TEXT_CLASS.search(attr(element, "class")) and element.get_text(strip=True):
            return element
    return None


def _enclosing(item: Tag, item_ids: set[int]) -> Tag | None:
    """The comment element that `item` answers: one it is nested in a few levels
    down, or the one just before the replies container it sits in (Drupal's
    div.indented, a thread's children list)."""
    element = item.parent
    for _ in range(MAX_CLIMB):
        if element is None or element.name in ("body", "[document]"):
            return None
        if id(element) in item_ids:
            return element
        before = _previous_item(element, item_ids)
        if before is not None:
            return before
        element = element.parent
    return None


def _previous_item(container: Tag, item_ids: set[int]) -> Tag | None:
    """The comment element right before a replies container, skipping anchors and
    empty elements."""
    for sibling in islice(container.previous_siblings, 12):
        if not isinstance(sibling, Tag):
            continue
        if id(sibling) in item_ids:
            return sibling
        if not sibling.get_text(strip=True) and not sibling.find_all(True, limit=3):
            continue
        if sibling.name == "a" and not sibling.get_text(strip=True):
            continue
        return None
    return None


def _anchor_key(element: Tag) -> str | None:
    """The id of an empty anchor just before a comment (Drupal's `<a id="comment-12">`),
    read before the comment is cut out of its place."""
    if _COMMENT_ID.match(attr(element, "id")):
        return None
    anchor = element.find_previous_sibling()
    if isinstance(anchor, Tag) and anchor.name == "a" and not anchor.get_text(strip=True):
        match = _COMMENT_ID.match(attr(anchor, "id") or attr(anchor, "name"))
        return match.group(1) if match else None
    return None


def _comment_key(element: Tag) -> str | None:
    """The comment's id: "comment-12" also for "li-comment-12" and "div-comment-12",
    the permalink that replies point to; else its own id or data id."""
    candidates = [attr(element, "id")]
    inner = element.find(id=_COMMENT_ID)
    if isinstance(inner, Tag):
        candidates.append(attr(inner, "id"))
    for candidate in candidates:
        match = _COMMENT_ID.match(candidate)
        if match:
            return match.group(1)
    for name in ("data-comment-id", "data-id", "data-post-id", "data-answerid", "data-comment"):
        if attr(element, name):
            return attr(element, name)
    return candidates[0] or None


def _declared_parent(element: Tag) -> str | None:
    """What a comment says it answers: a data-parent/parent attribute, or the
    fragment of an in-reply-to link (a link to the article itself is no parent)."""
    for name in _PARENT_ATTRIBUTES:
        if attr(element, name) and attr(element, name) not in ("0", "-1"):
            return attr(element, name)
    link = element.select_one("[rel~=in-reply-to], .u-in-reply-to, [itemprop~=parentItem]")
    if link is None:
        return None
    for name in ("href", "itemid", "content"):
        target = attr(link, name)
        if "#" in target:
            return target.rsplit("#", 1)[1]
    return None


# --- Comments marked by a signature line ------------------------------------------


@dataclass(frozen=True)
class Signature:
    """A comment's one-line signature: who wrote it, when if the line says, its key."""

    author: str
    date: datetime | None
    key: str | None = None


SignatureReader = Callable[[Tag, str, DateContext], "Signature | None"]


def said_signature(element: Tag, line: str, context: DateContext) -> Signature | None:
    """A line such as "Jane on September 12, 2018 at 4:47 pm said:"; it must hold a date."""
    match = _SAID.match(line)
    if match is None:
        return None
    found = find_date(match.group("rest"), context)
    if found is None:
        return None
    return Signature(author_name(line), found[0])


def posted_by_signature(element: Tag, line: str, context: DateContext) -> Signature | None:
    """The line "Posted by NAME | Report as abusive" that closes a comment on the seed's blog."""
    match = _POSTED_BY.match(line)
    return Signature(clean(match.group("author")) or "Anonymous", None) if match else None


def dated_header(element: Tag, line: str, context: DateContext) -> Signature | None:
    """A line opening a comment with a short name and a date, perhaps numbered:
    "2. Jana (10. října 2006 15:38)", "Ben, 19. Juni 2018 um 15:28 Uhr - Antworten"."""
    numbered = _NUMBERED.match(line)
    text = numbered.group("rest") if numbered else line
    found = find_date(text, context)
    if found is None:
        return None
    date, start, end = found
    name = clean_name(text)
    if not name or len(name.split()) > MAX_NAME_WORDS or _SENTENCE.search(name):
        return None
    key = None
    marker = element.find(id=re.compile(r"^(?:cmt|comment|c)[-_]?\d+$"))
    if isinstance(marker, Tag):
        key = attr(marker, "id")
    elif numbered:
        key = f"comment-{numbered.group('number')}"
    return Signature(name, date, key)


def signed_comments(
    scope: Tag, signature_of: SignatureReader, context: DateContext, forward: bool
) -> list[FoundComment]:
    """Comments marked by a signature line, the body after it (`forward`) or before.

    The body is the run of siblings up to the next comment's signature, a heading
    or a form; a signature alone in its wrapper takes the wrapper's siblings. The
    key is a "comment-12" id on the signature, on a wrapper of this comment alone,
    or the signature's own.
    """
    signed = []
    for element in scope.find_all(LINE_TAGS):
        line = short_text(element)
        signature = signature_of(element, line, context) if line else None
        if signature is not None:
            signed.append((element, signature))
    holders: Counter[int] = Counter()
    for element, _ in signed:
        for ancestor in islice(element.parents, MAX_CLIMB):
            holders[id(ancestor)] += 1
    marks = {id(element) for element, _ in signed}
    runs = [_run(element, forward, marks, holders) for element, _ in signed]
    keys = [signature.key or _signed_key(element, holders) for element, signature in signed]
    found = []
    for (element, signature), nodes, key in zip(signed, runs, keys, strict=True):
        wrapper = BeautifulSoup("<div></div>", "html.parser").div
        assert wrapper is not None
        for node in nodes:
            wrapper.append(node.extract())
        element.extract()
        date = signature.date or _date_line(wrapper, context)
        found.append(FoundComment(signature.author, inner_html(wrapper), date, key))
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
        if any(has_text(node) for node in nodes) or parent is None or holders[id(parent)] > 1:
            break
        anchor = parent
    return nodes if forward else nodes[::-1]


def _signed_key(element: Tag, holders: Counter[int]) -> str | None:
    """A "comment-12" id on a signature line or on a wrapper holding only its comment."""
    for candidate in (element, *islice(element.parents, MAX_CLIMB)):
        if candidate is not element and holders[id(candidate)] > 1:
            break
        match = _COMMENT_ID.match(attr(candidate, "id"))
        if match and "comment" in match.group(1):
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
    text = clean(element.get_text(" ")) if element.name == "p" else ""
    return any(pattern.search(text) for pattern in BOILERPLATE)


def _date_line(wrapper: Tag, context: DateContext) -> datetime | None:
    """A comment's date printed on a line of its own in its body, taken out of it."""
    for element in wrapper.find_all(True, recursive=False):
        line = short_text(element)
        date = read_date(line, context) if line else None
        if date is not None:
            element.decompose()
            return date
    return None


# --- JSON-LD ----------------------------------------------------------------------


def json_ld_comments(scripts: list[str], context: DateContext) -> list[FoundComment]:
    """Comments that a page states only in JSON-LD: `Comment` objects under a
    posting's `comment` property, replies under a comment's own `comment`."""
    found: list[FoundComment] = []
    for text in scripts:
        if len(text) > MAX_JSON_LD_BYTES:
            continue
        try:
            data = json.loads(text)
        except ValueError:
            continue
        for comment, parent in _json_ld_walk(data, None, 0):
            if len(found) >= MAX_JSON_LD_COMMENTS:
                return found
            found.append(_json_ld_comment(comment, parent, len(found) + 1, context))
    return found


def _json_ld_walk(
    data: object, parent: str | None, depth: int
) -> Iterator[tuple[dict, str | None]]:
    if depth > MAX_JSON_DEPTH:
        return
    if isinstance(data, list):
        for item in data[:MAX_JSON_LD_COMMENTS]:
            yield from _json_ld_walk(item, parent, depth + 1)
        return
    if not isinstance(data, dict):
        return
    kinds = data.get("@type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    is_comment = any(kind in ("Comment", "Answer") for kind in kinds)
    own = _json_ld_key(data) if is_comment else parent
    if is_comment:
        yield data, parent
    for name in JSON_LD_THREAD_PROPERTIES:
        if name in data:
            yield from _json_ld_walk(data[name], own, depth + 1)


def _json_ld_key(data: dict) -> str | None:
    for name in ("@id", "url", "identifier"):
        value = data.get(name)
        if isinstance(value, str | int) and str(value):
            text = str(value)
            return text.rsplit("#", 1)[-1] if "#" in text else text
    return None


def _json_ld_comment(
    data: dict, parent: str | None, position: int, context: DateContext
) -> FoundComment:
    author = data.get("author") or data.get("creator") or ""
    if isinstance(author, list):
        author = author[0] if author else ""
    if isinstance(author, dict):
        author = author.get("name") or author.get("alternateName") or ""
    date = None
    for name in ("dateCreated", "datePublished", "commentTime"):
        value = data.get(name)
        if isinstance(value, str):
            date = read_date(value, context)
            if date:
                break
    text = data.get("text") or data.get("commentText") or data.get("articleBody") or ""
    key = _json_ld_key(data) or f"json-ld-{position}"
    return FoundComment(
        author_name(str(author)), str(text), date, key, parent if parent != key else None
    )

