"""Exports (CSV, JSON, NDJSON) and the Atom feed of any search.

They take the search page's arguments, so every search can be downloaded or
followed. Exports stream: rows are written as the index yields them, up to
EXPORT_CAP, and a response says when the search selected more than it holds. Their
links are absolute only where the site's BASE_URL is configured, and relative otherwise
(which Atom allows: a reader resolves them against the feed's own address).
"""

from __future__ import annotations

import csv
import json
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urljoin

from feedgen.feed import FeedGenerator
from flask import Blueprint, Response, current_app, request, stream_with_context
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import ServiceUnavailable

from indexer import COMMENT, EXPORT_CAP, Document, SearchRequest, iso_date
from webapp.archive import require_archive
from webapp.state import DISPLAY_ARGS, SearchLinks, request_from_args
from webapp.threads import thread_link

bp = Blueprint("exports", __name__)

COLUMNS = (
    "id",
    "kind",
    "author",
    "date",
    "article_date",
    "article_id",
    "article_title",
    "position",
    "site",
    "votes",
    "url",
    "source_url",
    "body",
)
# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FEED_ENTRIES = 50
# Exports written at once by one server: each is seconds of work, and more at once
# would slow every reader's search; a further one is told to come back.
EXPORTS_AT_ONCE = 1
EXPORT_RETRY_SECONDS = 5
ROWS_BETWEEN_PAUSES = 16
# Characters XML 1.0 cannot hold; an archived page may still carry them.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Export:
    """What a search selects for export: its size, the cap, and the documents in order."""

    total: int
    cap: int
    documents: Iterator[Document]
    done: Callable[[], None]  # gives back the export's slot

    @property
    def truncated(self) -> bool:
        return self.total > self.cap

    def rows(self) -> Iterator[dict]:
        """Each document as an export row: `url` its place in the site's thread page, made
        absolute where the site's address is configured; `source_url` its article's own."""
        for doc in self.documents:
            yield {
                "id": doc.id,
                "kind": doc.kind,
                "author": doc.author or None,
                "date": iso_date(doc.date),
                "article_date": iso_date(doc.article_date),
                "article_id": doc.article_id,
                "article_title": doc.article_title,
                "position": doc.position,
                "site": doc.site or None,
                "votes": doc.votes,
                "url": site_url(thread_link(doc)),
                "source_url": doc.source_url or None,
                "body": doc.body,
            }

    def sent(self, body: Iterator[str]) -> Iterator[str]:
        """The body, giving back the slot once it is sent, or abandoned. Every few rows
        the export lets other threads run first: a reader's search waits a row or two
        for it, not a whole share of the processor."""
        try:
            for number, piece in enumerate(body):
                yield piece
                if not number % ROWS_BETWEEN_PAUSES:
                    time.sleep(0)
        finally:
            self.done()

    def response(self, body: Iterator[str], mimetype: str, extension: str) -> Response:
        """A streamed download that states the search's size and whether it was cut."""
        response = Response(stream_with_context(self.sent(body)), mimetype=mimetype)
        response.call_on_close(self.done)
        response.headers["Content-Disposition"] = f"attachment; filename=hubbub-export.{extension}"
        response.headers["X-Hubbub-Total"] = str(self.total)
        response.headers["X-Hubbub-Truncated"] = "true" if self.truncated else "false"
        return response


def site_url(path: str) -> str:
    """A path on the site, made absolute with the configured BASE_URL, else left relative:
    the request's `Host` is never used, as whoever sends the request chooses it."""
    base = current_app.config.get("BASE_URL")
    return urljoin(base, path) if base else path


def atom_id(path: str) -> str:
    """A permanent id for the feed or entry at `path` on the site.

    Atom ids must be absolute and must never change, even when the site moves or its
    BASE_URL is first configured, so they are UUIDs named by the path, not URLs.
    """
    return uuid.uuid5(uuid.NAMESPACE_URL, path).urn


def selection_request() -> SearchRequest:
    """The search the query string selects; paging and layout arguments do not matter here."""
    args = request.args.copy()
    for name in DISPLAY_ARGS:
        args.poplist(name)
    return request_from_args(args)


class ExportSlots:
    """The server's room for exports: a slot is held from the request until the last row
    is sent, and a request that finds none free is answered 503 at once."""

    def __init__(self, size: int) -> None:
        self._free = threading.BoundedSemaphore(size)

    def take(self) -> Callable[[], None]:
        """A slot, as the function that gives it back (once, however often it is called).

        :raise ServiceUnavailable: with a Retry-After, when every slot is taken.
        """
        if not self._free.acquire(blocking=False):
            raise ServiceUnavailable(
                f"Another export is being written, and exports are written {EXPORTS_AT_ONCE}"
                f" at a time: try again in {EXPORT_RETRY_SECONDS} seconds.",
                retry_after=EXPORT_RETRY_SECONDS,
            )
        given_back = threading.Event()

        def give_back() -> None:
            if not given_back.is_set():
                given_back.set()
                self._free.release()

        return give_back


SLOTS = ExportSlots(EXPORTS_AT_ONCE)


def start_export() -> Export:
    """The export the query string asks for, holding an export slot until it is sent."""
    search_request = selection_request()
    give_back = SLOTS.take()
    try:
        total, documents = require_archive().export(search_request, cap=EXPORT_CAP)
    except BaseException:
        give_back()
        raise
    return Export(total, EXPORT_CAP, documents, give_back)


class LineWriter:
    """A file whose write hands the text back, so csv.writer yields one line at a time."""

    def write(self, text: str) -> str:
        return text


def spreadsheet_safe(value: object) -> object:
    """A cell a spreadsheet shows as text: a leading ' stops it being run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_lines(export: Export) -> Iterator[str]:
    writer = csv.writer(LineWriter())
    yield writer.writerow(COLUMNS)
    for row in export.rows():
        yield writer.writerow([spreadsheet_safe(row[column]) for column in COLUMNS])


def json_document(export: Export) -> Iterator[str]:
    """One JSON object; the counts that are known only at the end come last."""
    yield f'{{"total": {export.total}, "cap": {export.cap}, "rows": ['
    exported = 0
    for row in export.rows():
        yield ("," if exported else "") + "\n" + json.dumps(row, ensure_ascii=False)
        exported += 1
    truncated = json.dumps(export.truncated)
    yield f'\n], "exported": {exported}, "truncated": {truncated}}}\n'


def json_lines(export: Export) -> Iterator[str]:
    for row in export.rows():
        yield json.dumps(row, ensure_ascii=False) + "\n"


@bp.route("/export.csv")
def export_csv() -> ResponseReturnValue:
    """Every selected row as CSV, with a header line."""
    export = start_export()
    return export.response(csv_lines(export), "text/csv", "csv")


@bp.route("/export.json")
def export_json() -> ResponseReturnValue:
    """Every selected row in one JSON object: total, cap, rows, exported, truncated."""
    export = start_export()
    return export.response(json_document(export), "application/json", "json")


@bp.route("/export.ndjson")
def export_ndjson() -> ResponseReturnValue:
    """Every selected row as one JSON object a line."""
    export = start_export()
    return export.response(json_lines(export), "application/x-ndjson", "ndjson")


def xml_text(text: str) -> str:
    return NOT_XML.sub("", text)


def entry_title(doc: Document) -> str:
    """A comment's entry is called "AUTHOR on ARTICLE TITLE"; an article's, its title."""
    if doc.kind == COMMENT:
        return f"{doc.author or 'Someone'} on {doc.article_title}"
    return doc.article_title


def feed_updated(doc: Document) -> datetime | None:
    """The date the entry shows: its own, else its article's (stored dates are UTC)."""
    value = doc.effective_date
    return value.replace(tzinfo=UTC) if value else None


@bp.route("/feed.atom")
def feed() -> ResponseReturnValue:
    """The newest documents of a search as an Atom feed, whatever the page's sort."""
    search_request = selection_request()
    documents = require_archive().newest(search_request, FEED_ENTRIES).documents
    links = SearchLinks(request.args)
    feed_path = links.selection_at("exports.feed")
    generator = FeedGenerator()
    generator.id(atom_id(feed_path))
    generator.title(
        xml_text(f"Hubbub: {search_request.q}" if search_request.q else "Hubbub: the latest")
    )
    generator.link(href=site_url(feed_path), rel="self")
    generator.link(href=site_url(links.selection_at("search.index")))
    newest = None
    for doc in documents:
        entry = generator.add_entry(order="append")
        link = thread_link(doc)
        entry.id(atom_id(link))
        entry.title(xml_text(entry_title(doc)))
        entry.link(href=site_url(link))
        entry.content(xml_text(doc.body), type="text")
        if doc.author:
            entry.author(name=xml_text(doc.author))
        updated = feed_updated(doc)
        if updated:
            entry.updated(updated)
            newest = max(newest, updated) if newest else updated
    if newest:
        generator.updated(newest)
    return Response(generator.atom_str(pretty=True), mimetype="application/atom+xml")
