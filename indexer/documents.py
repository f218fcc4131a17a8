"""Index documents: one per article and one per comment, built from reader records.

A `Document` is what the index stores and what searches return; it is the same
whichever engine holds it. Ids are derived from the article's identity, not from
where the file lies, so they stay the same when a file is re-indexed or moved.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from urllib.parse import urlsplit

from indexer.privacy import redact, redact_author
from indexer.quotes import quoted_comments
from indexer.records import Article
from indexer.signatures import signatures

ARTICLE = "article"
COMMENT = "comment"
KINDS = (ARTICLE, COMMENT)


@dataclass(frozen=True)
class Document:
    """One searchable unit: an article or a comment."""

    id: str
    kind: str
    article_id: str
    article_title: str
    author: str
    date: datetime | None
    article_date: datetime | None
    position: int
    body: str
    source_url: str  # the article's own address, as its file gave it; '' when unknown
    source: str
    caption: str = ""
    parent: str = ""
    thread_length: int = 0  # comments in the whole thread: "comment 7 of 14"
    signed: tuple[str, ...] = ()  # names signed at the end of the body
    quotes: tuple[str, ...] = ()  # ids of earlier comments in the thread this one quotes
    copy_group: str = ""  # shared by comments posted more than once, nearly word for word
    site: str = ""  # the publication: a domain, a blog's name, r/NAME
    votes: int | None = None  # score, recommendations or likes, where the source has them
    stand_in: bool = False  # an article made up for comments whose own is in no file read
    replies: int = 0  # comments answering this one (for an article: its top-level comments)
    parent_author: str = ""  # who wrote the comment this one answers, when the index has it

    @classmethod
    def restored(cls, fields: Mapping[str, object] | Iterable[tuple[str, object]]) -> Document:
        """The document of every one of its fields, as an index gives them back: a tenth
        of the constructor's time (13 µs), which a page of hits pays ten times a search
        and a pass over every comment once each."""
        doc = object.__new__(cls)
        doc.__dict__.update(fields)
        return doc

    @property
    def effective_date(self) -> datetime | None:
        """The document's own date, else its article's: what date filters and sorts use."""
        return self.date or self.article_date

    def to_json(self) -> dict:
        """The fields every JSON view of a document shares (no body: hits carry snippets)."""
        return {
            "id": self.id,
            "kind": self.kind,
            "author": self.author or None,
            "date": iso_date(self.date),
            "article_id": self.article_id,
            "article_title": self.article_title,
            "article_date": iso_date(self.article_date),
            "position": self.position,
            "thread_length": self.thread_length,
            "signed": list(self.signed),
            "quotes": list(self.quotes),
            "copy_group": self.copy_group or None,
            "parent": self.parent or None,
            "source_url": self.source_url or None,
            "site": self.site or None,
            "votes": self.votes,
            "stand_in": self.stand_in,
            "replies": self.replies,
            "parent_author": self.parent_author or None,
        }

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in re.split(r"\n\s*\n", self.body) if p.strip()]


LEAST_VOTES = -(2**31)


def written_text(doc: Document) -> str:
    """The text whose words, as written, fuzzy words and did-you-mean look through: an
    article's title, a caption and the body, the fields a word without a field searches."""
    title = doc.article_title if doc.kind == ARTICLE else ""
    if not title and not doc.caption:
        return doc.body
    return "\n".join(part for part in (title, doc.caption, doc.body) if part)


def votes_rank(doc: Document) -> int:
    """What `sort=votes` orders by: the votes, and below every score a document without."""
    return LEAST_VOTES if doc.votes is None else doc.votes


def site_of(url: str | None) -> str:
    """The publication a page's address names: its host, without `www.` or a port."""
    try:
        host = urlsplit(url or "").hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")


def iso_date(value: datetime | None) -> str | None:
    return value.date().isoformat() if value else None


def fold_author(name: str) -> str:
    """The key that groups an author's spellings: case and spacing do not matter."""
    return " ".join(unicodedata.normalize("NFKC", name).split()).casefold()


def one_line(name: str) -> str:
    """A name on one line: a line break, tab or control character (JSON lines can hold
    them) would give its author a page no link can reach."""
    if not name.isprintable():  # printable text holds no control character
        name = "".join(" " if unicodedata.category(c) == "Cc" else c for c in name)
    return " ".join(name.split())


def slugify(text: str, max_length: int = 60) -> str:
    """A URL-safe slug of the text's start; only the start is read, however long it is."""
    ascii_text = unicodedata.normalize("NFKD", text[: max_length * 4])
    ascii_text = ascii_text.encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-") or "article"


def article_id(article: Article) -> str:
    """A readable, stable id: the title's slug and a hash of the article's identity; for
    a split thread, whose stand-in has no title yet, the key's slug instead."""
    identity = article.key or f"{article.title}\n{article.date.isoformat() if article.date else ''}"
    digest = hashlib.sha1(identity.encode("utf-8")).hexdigest()[:8]
    readable = article.key if article.split_thread and article.key else article.title
    return f"{slugify(readable)}-{digest}"


def comment_ids(article: Article, aid: str) -> dict[int, str]:
    """Each comment's id by its position: numbered in the thread, or, in a split thread,
    named by its key, so that a comment has one id whichever file's part holds it."""
    if article.split_thread:
        return {c.position: f"{aid}-{key_slug(c.key or str(c.position))}" for c in article.comments}
    return {c.position: f"{aid}-c{c.position}" for c in article.comments}


def parent_id(article: Article, aid: str, ids: Mapping[str, str], parent: str | None) -> str:
    """The id of the comment answered: in a split thread, also one another file holds."""
    if not parent:
        return ""
    if parent in ids:
        return ids[parent]
    return f"{aid}-{key_slug(parent)}" if article.split_thread else ""


def key_slug(key: str) -> str:
    return slugify(key, 80)


def thread_documents(article: Article, source: str) -> list[Document]:
    """The article's document followed by one per comment, in thread order.

    Any e-mail or IP address left in a comment's author or body is removed here,
    whatever the reader let through. Signatures and quotes of earlier comments are
    found here too; copies across the archive need the whole index (`indexing`).
    """
    aid = article_id(article)
    site = one_line(article.site or "") or site_of(article.url)
    documents = [
        Document(
            id=aid,
            kind=ARTICLE,
            article_id=aid,
            article_title=article.title,
            author=one_line(article.byline or ""),
            date=article.date,
            article_date=article.date,
            position=0,
            body=article.body,
            source_url=article.url or "",
            source=source,
            caption=article.caption or "",
            thread_length=len(article.comments),
            site=site,
            votes=article.votes,
            stand_in=article.stand_in,
        )
    ]
    ids = comment_ids(article, aid)
    keyed = {c.key: ids[c.position] for c in article.comments if c.key}
    parents = {c.position: parent_id(article, aid, keyed, c.parent) for c in article.comments}
    authors = {ids[c.position]: one_line(redact_author(c.author)) for c in article.comments}
    answering = Counter(parent or aid for parent in parents.values())
    documents[0] = replace(documents[0], replies=answering[aid])
    quoted = quoted_comments(article.comments)
    for comment in article.comments:
        body = redact(comment.body)
        own_id, parent = ids[comment.position], parents[comment.position]
        documents.append(
            Document(
                id=own_id,
                kind=COMMENT,
                article_id=aid,
                article_title=article.title,
                author=authors[own_id],
                date=comment.date,
                article_date=article.date,
                position=comment.position,
                body=body,
                source_url=article.url or "",
                source=source,
                parent=parent,
                thread_length=len(article.comments),
                signed=tuple(signatures(body)),
                quotes=tuple(ids[p] for p in quoted.get(comment.position, ())),
                site=site,
                votes=comment.votes,
                replies=answering[own_id],
                parent_author=authors.get(parent, ""),
            )
        )
    return documents
