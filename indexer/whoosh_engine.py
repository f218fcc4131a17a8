"""The Whoosh engine: the only module that imports `whoosh`.

One searcher is shared and refreshed when the index changes; the per-document
facet columns are read once per searcher, so facet counts cost a pass over the
matching document numbers and no per-document I/O.
"""

from __future__ import annotations

import html
import re
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from whoosh import collectors, highlight, index, query, sorting
from whoosh.analysis import Filter, IDTokenizer, StemmingAnalyzer
from whoosh.fields import DATETIME, ID, NUMERIC, STORED, TEXT, Schema
from whoosh.index import LockError
from whoosh.qparser import (
    AndGroup,
    FieldAliasPlugin,
    FuzzyTermPlugin,
    MultifieldParser,
    PlusMinusPlugin,
)
from whoosh.util.times import long_to_datetime

from indexer.documents import ARTICLE, COMMENT, Document, fold_author
from indexer.engine import FacetColumns, IndexLocked, IndexMissing, QuerySyntaxError
from indexer.layout import IndexLayout

SEARCH_FIELDS = ("title", "caption", "body")
QUERY_FIELDS = ("title", "caption", "body", "text", "author", "kind", "article", "year", "copies")
FIELD_PREFIX = re.compile(r"(?<![\w:/])([A-Za-z_]\w*):")
WILDCARD_TERM = re.compile(r"[^\s\"()]*[*?][^\s\"()]*")
SUGGESTABLE_WORD = re.compile(r"(?<![\w:*?~])[^\W\d_]{3,}(?![\w:*?~])")
OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"}
SPELLING_FIELD = "spell_body"
WILDCARD_PREFIX = 3  # letters before a * or ?: shorter prefixes expand to too many words
FUZZY_DISTANCE = re.compile(r"~(\d+)")
WRITE_LOCK_TIMEOUT = 5.0
SNIPPET_CHARS = 240
DEADLINE_CHECK_EVERY = 4096


class AuthorFoldFilter(Filter):
    """Folds an author token the way `fold_author` does, so `author:` ignores case."""

    def __call__(self, tokens):
        for token in tokens:
            token.text = fold_author(token.text)
            yield token


def build_schema() -> Schema:
    stemmed = StemmingAnalyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        kind=ID(stored=True, sortable=True),
        article_id=ID(stored=True, sortable=True),
        article_title=STORED(),
        title=TEXT(analyzer=stemmed, field_boost=2.0, spelling=True),
        author=ID(stored=True, analyzer=IDTokenizer() | AuthorFoldFilter()),
        author_key=ID(sortable=True),
        author_name=ID(sortable=True),
        date=DATETIME(stored=True, sortable=True),
        article_date=DATETIME(stored=True),
        sort_date=DATETIME(sortable=True),
        year=NUMERIC(sortable=True),
        position=NUMERIC(stored=True, sortable=True),
        caption=TEXT(analyzer=stemmed, stored=True, spelling=True),
        body=TEXT(analyzer=stemmed, stored=True, spelling=True),
        url=STORED(),
        source=ID(stored=True),
        parent=STORED(),
        thread_length=STORED(),
        signed=STORED(),
        signed_key=ID(sortable=True),
        signed_name=ID(sortable=True),
        quotes=STORED(),
        copies=ID(stored=True, sortable=True),
    )


class MarkFormatter(highlight.Formatter):
    """Escapes the text and wraps each match in <mark>."""

    between = " … "

    def _text(self, text: str) -> str:
        return html.escape(text, quote=False)

    def format_token(self, text, token, replace=False):
        return f"<mark>{self._text(highlight.get_text(text, token, replace))}</mark>"


def plain_excerpt(text: str, limit: int = SNIPPET_CHARS) -> str:
    """The start of a text, escaped, cut at a word: the snippet when nothing matched."""
    flat = " ".join(text.split())
    if len(flat) > limit:
        flat = flat[:limit].rsplit(" ", 1)[0] + " …"
    return html.escape(flat, quote=False)


def snippet(hit) -> str:
    """The hit's best passages with matches marked; '' when Whoosh cannot place them.

    Whoosh's highlighter fails on some tokens (digits from other scripts among
    them); a plain excerpt is better than a failed page.
    """
    try:
        return hit.highlights("body", top=2)
    except (TypeError, ValueError, IndexError, KeyError):
        return ""


def to_fields(doc: Document) -> dict:
    fields = {
        "id": doc.id,
        "kind": doc.kind,
        "article_id": doc.article_id,
        "article_title": doc.article_title,
        "author": doc.author,
        "author_key": fold_author(doc.author),
        "author_name": doc.author,
        "position": doc.position,
        "body": doc.body,
        "caption": doc.caption,
        "url": doc.url,
        "source": doc.source,
        "parent": doc.parent,
        "thread_length": doc.thread_length,
        "signed": list(doc.signed),
        "signed_key": fold_author(doc.signed[0]) if doc.signed else "",
        "signed_name": doc.signed[0] if doc.signed else "",
        "quotes": list(doc.quotes),
        "copies": doc.copy_group,
    }
    if doc.kind == ARTICLE:
        fields["title"] = doc.article_title
    for name, value in (("date", doc.date), ("article_date", doc.article_date)):
        if value is not None:
            fields[name] = value
    if doc.effective_date is not None:
        fields["sort_date"] = doc.effective_date
        fields["year"] = doc.effective_date.year
    return {name: value for name, value in fields.items() if value != "" or name == "body"}


def from_stored(stored: Mapping) -> Document:
    return Document(
        id=stored["id"],
        kind=stored["kind"],
        article_id=stored["article_id"],
        article_title=stored.get("article_title", ""),
        author=stored.get("author", ""),
        date=stored.get("date"),
        article_date=stored.get("article_date"),
        position=stored.get("position", 0),
        body=stored.get("body", ""),
        url=stored.get("url", ""),
        source=stored.get("source", ""),
        caption=stored.get("caption", ""),
        parent=stored.get("parent", ""),
        thread_length=stored.get("thread_length", 0),
        signed=tuple(stored.get("signed", ())),
        quotes=tuple(stored.get("quotes", ())),
        copy_group=stored.get("copies", ""),
    )


def syntax_problem(text: str) -> str | None:
    """What is wrong with a query string, in words a reader understands; None if nothing."""
    if text.count('"') % 2:
        return "a quotation mark is not closed"
    depth = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            return "a ')' has no '(' before it"
    if depth:
        return "a '(' is not closed"
    for term in WILDCARD_TERM.findall(text):
        prefix = re.split(r"[*?]", term.split(":")[-1], maxsplit=1)[0]
        if len(prefix) < WILDCARD_PREFIX:
            return f"a wildcard needs at least {WILDCARD_PREFIX} letters before * or ? ({term!r})"
    if any(int(distance) > 2 for distance in FUZZY_DISTANCE.findall(text)):
        return "a fuzzy match (~) allows at most 2 edits"
    for match in FIELD_PREFIX.finditer(text):
        name = match.group(1)
        if name not in QUERY_FIELDS:
            return f"there is no field {name!r} (fields: {', '.join(QUERY_FIELDS)})"
        if not text[match.end() :].strip() or text[match.end()].isspace():
            return f"'{name}:' needs a value right after it"
    return None


class WhooshStore:
    """The writing side: one generation folder of the index."""

    def __init__(self, generation: Path, create: bool = False) -> None:
        if create:
            self._ix = index.create_in(str(generation), build_schema())
        else:
            self._ix = index.open_dir(str(generation))

    def _writer(self):
        try:
            return self._ix.writer(timeout=WRITE_LOCK_TIMEOUT)
        except LockError as error:
            raise IndexLocked(
                "Another process is writing to this index; try again when it has finished."
            ) from error

    def replace_sources(
        self, documents: Mapping[str, Sequence[Document]], remove: Iterable[str] = ()
    ) -> None:
        writer = self._writer()
        try:
            for source in remove:
                writer.delete_by_term("source", source)
            for source, docs in documents.items():
                writer.delete_by_term("source", source)
                for doc in docs:
                    writer.add_document(**to_fields(doc))
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    def generation(self) -> int:
        return self._ix.latest_generation()

    def comment_bodies(self) -> Iterator[tuple[str, str, str]]:
        with self._ix.searcher() as searcher:
            for stored in searcher.all_stored_fields():
                if stored.get("kind") == COMMENT:
                    yield stored["id"], stored.get("body", ""), stored.get("copies", "")

    def set_copy_groups(self, groups: Mapping[str, str]) -> None:
        writer = self._writer()
        try:
            with self._ix.searcher() as searcher:
                for doc_id, group in groups.items():
                    stored = searcher.document(id=doc_id)
                    if stored is not None:
                        doc = replace(from_stored(stored), copy_group=group)
                        writer.update_document(**to_fields(doc))
        except BaseException:
            writer.cancel()
            raise
        writer.commit()


class WhooshEngine:
    """The reading side: follows the live generation, one shared searcher for all threads.

    It never writes: the index is opened read-only, so a copy of the folder can be
    served from read-only storage.
    """

    def __init__(self, layout: IndexLayout) -> None:
        self._layout = layout
        self._lock = threading.Lock()
        self._stamp: int | None = None
        self._snapshot: WhooshSnapshot | None = None
        self.snapshot()

    @classmethod
    def open(cls, index_dir: Path) -> WhooshEngine:
        return cls(IndexLayout(index_dir))

    def _open_generation(self) -> WhooshSnapshot:
        generation = self._layout.current()
        if generation is None or not index.exists_in(str(generation)):
            raise IndexMissing(f"No index in {self._layout.root}: build one with 'hubbub index'.")
        return WhooshSnapshot(index.open_dir(str(generation), readonly=True).searcher())

    def snapshot(self) -> WhooshSnapshot:
        """The index as it is now; moves to a new commit or generation when there is one.

        Checking costs a stat of CURRENT and of the generation's table of contents,
        not a reopening of the index.
        """
        with self._lock:
            stamp = self._layout.pointer_stamp()
            if self._snapshot is None or stamp != self._stamp:
                self._snapshot = self._open_generation()
                self._stamp = stamp
            elif not self._snapshot.searcher.up_to_date():
                self._snapshot = WhooshSnapshot(self._snapshot.searcher.refresh())
            return self._snapshot


def build_parser(schema: Schema) -> MultifieldParser:
    parser = MultifieldParser(list(SEARCH_FIELDS), schema, group=AndGroup)
    parser.add_plugin(FieldAliasPlugin({"article_id": ["article"], "body": ["text"]}))
    parser.add_plugin(PlusMinusPlugin())
    parser.add_plugin(FuzzyTermPlugin())
    return parser


class WhooshSnapshot:
    """One searcher's view of the index: document numbers stay valid within it."""

    def __init__(self, searcher) -> None:
        self.searcher = searcher
        self._parser = build_parser(searcher.schema)
        self._columns_lock = threading.Lock()
        self._columns: FacetColumns | None = None

    def sources(self) -> set[str]:
        return {term.decode("utf-8") for term in self.searcher.lexicon("source")}

    def doc_count(self) -> int:
        return self.searcher.doc_count()

    def parse(self, text: str) -> query.Query:
        if not text.strip():
            return query.Every()
        problem = syntax_problem(text)
        if problem:
            raise QuerySyntaxError(problem)
        try:
            parsed = self._parser.parse(text)
        except Exception as error:
            raise QuerySyntaxError(str(error)) from error
        return parsed

    def suggest(self, text: str) -> str | None:
        """The query with each word the index lacks replaced by the nearest it has.

        Words are compared with the unstemmed words of the bodies; the nearest is
        the closest in edits (one, then two), then the most frequent. Field values,
        operators and syntax are left as they are.
        """
        reader = self.searcher.reader()
        changed = False

        def correct(match: re.Match) -> str:
            nonlocal changed
            word = match.group(0)
            if word in OPERATORS or (SPELLING_FIELD, word.lower()) in reader:
                return word
            for distance in (1, 2):
                found = self.searcher.suggest("body", word.lower(), limit=1, maxdist=distance)
                if found:
                    changed = True
                    return found[0]
            return word

        corrected = SUGGESTABLE_WORD.sub(correct, text)
        return corrected if changed else None

    def matching(self, text: str, deadline: float | None = None) -> tuple[list[int], bool]:
        """Matching document numbers, and whether all were listed before `deadline`."""
        docnums = []
        for docnum in self.searcher.docs_for_query(self.parse(text)):
            docnums.append(docnum)
            if deadline is not None and len(docnums) % DEADLINE_CHECK_EVERY == 0:
                if time.monotonic() > deadline:
                    return docnums, False
        return docnums, True

    def facet_columns(self) -> FacetColumns:
        """Read once per snapshot: every facet count after that is arithmetic."""
        with self._columns_lock:
            if self._columns is None:
                self._columns = read_columns(self.searcher)
            return self._columns

    def _results(
        self, text: str, docnums: set[int], sort: str, limit: int, deadline: float | None = None
    ):
        """Whoosh's results for one page; cut short, with what it has, at `deadline`."""
        sortedby = None
        if sort in ("newest", "oldest"):
            reverse = sort == "newest"
            sortedby = sorting.MultiFacet(
                [
                    sorting.FieldFacet("sort_date", reverse=reverse),
                    sorting.FieldFacet("article_id"),
                    sorting.FieldFacet("position", reverse=reverse),
                ]
            )
        collector = self.searcher.collector(limit=limit, sortedby=sortedby)
        if deadline is not None:
            seconds = max(deadline - time.monotonic(), 0.001)
            collector = collectors.TimeLimitCollector(collector, seconds, use_alarm=False)
        # The filter goes outermost: TimeLimitCollector hands documents straight to its
        # child, so a filter inside it would never see them.
        collector = collectors.FilterCollector(collector, allow=docnums)
        try:
            self.searcher.search_with_collector(self.parse(text), collector)
        except collectors.TimeLimit:
            return collector.results(), False
        return collector.results(), True

    def documents(self, text: str, docnums: set[int], sort: str, limit: int) -> Iterator[Document]:
        if not docnums:
            return iter(())
        results, _ = self._results(text, docnums, sort, limit)
        return (from_stored(hit.fields()) for hit in results)

    def ranked(
        self,
        text: str,
        docnums: set[int],
        sort: str,
        offset: int,
        limit: int,
        deadline: float | None = None,
    ) -> tuple[list[tuple[Document, str]], bool]:
        """One page with snippets, and whether ranking finished before `deadline`."""
        if not docnums:
            return [], True
        results, complete = self._results(text, docnums, sort, offset + limit, deadline)
        results.fragmenter = highlight.ContextFragmenter(maxchars=240, surround=60)
        results.formatter = MarkFormatter()
        page = []
        for hit in results[offset : offset + limit]:
            doc = from_stored(hit.fields())
            page.append((doc, snippet(hit) or plain_excerpt(doc.body)))
        return page, complete

    def thread(self, article_id: str) -> list[Document]:
        results = self.searcher.search(
            query.Term("article_id", article_id), limit=None, sortedby="position"
        )
        return [from_stored(hit.fields()) for hit in results]


def read_columns(searcher) -> FacetColumns:
    """Every document's facet keys, from the index's column files."""
    reader = searcher.reader()

    def column(name: str, translate: bool = True, missing: object = "") -> list:
        """A column's values, segment by segment: across segments Whoosh drops the
        segments that have no value for the column, which would shift the rest."""
        values: list = []
        for leaf, _ in reader.leaf_readers():
            if leaf.has_column(name):
                values += leaf.column_reader(name, translate=translate)
            else:
                values += [missing] * leaf.doc_count_all()
        return values

    def iso_dates(name: str) -> list[str]:
        """A date column as ISO dates; a document without the date has ''."""
        missing = reader.schema[name].column_type.default_value()
        raw = column(name, translate=False, missing=missing)
        return ["" if n == missing else long_to_datetime(n).date().isoformat() for n in raw]

    def most_common_forms(key_column: str, name_column: str) -> tuple[list, dict[str, str]]:
        """Each document's folded key, and the form each key is most often written in."""
        keys = column(key_column)
        forms: dict[str, Counter] = {}
        for key, name in zip(keys, column(name_column), strict=True):
            if key:
                forms.setdefault(key, Counter())[name] += 1
        return keys, {key: counter.most_common(1)[0][0] for key, counter in forms.items()}

    authors, author_labels = most_common_forms("author_key", "author_name")
    signed, signed_labels = most_common_forms("signed_key", "signed_name")
    articles = (searcher.stored_fields(n) for n in searcher.document_numbers(kind=ARTICLE))
    titles = {stored["article_id"]: stored.get("article_title", "") for stored in articles}
    dates = iso_dates("sort_date")
    return FacetColumns(
        keys={
            "kind": column("kind"),
            "author": authors,
            "article": column("article_id"),
            "year": [d[:4] for d in dates],
            "month": [d[:7] for d in dates],
            "date": dates,
            "own_date": iso_dates("date"),
            "signed": signed,
            "copies": ["copied" if group else "" for group in column("copies")],
        },
        labels={
            "author": author_labels,
            "signed": signed_labels,
            "article": titles,
            "copies": {"copied": "posted more than once"},
        },
    )
