"""The Whoosh engine: the only module that imports `whoosh`.

One searcher is shared and refreshed when the index changes. Each facet is read
once per searcher into an array of key codes, one per document number, so a
selection lists the matching document numbers once and counts every facet with
array arithmetic, no per-document Python work; filters are boolean arrays, cached.
Ranking scores only the page, among the selected documents.
"""

from __future__ import annotations

import contextlib
import html
import itertools
import multiprocessing
import multiprocessing.util
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import numpy as np
from whoosh import collectors, highlight, index, query, sorting
from whoosh.analysis import Filter, IDTokenizer
from whoosh.fields import DATETIME, ID, NUMERIC, STORED, Schema
from whoosh.highlight import ContextFragmenter
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
from indexer.engine import (
    Filters,
    IndexLocked,
    IndexMissing,
    QuerySyntaxError,
    cache_entries,
)
from indexer.facets import COPIED, facet_keys
from indexer.processes import leave_with_parent
from indexer.query import (
    MAX_EXPANSIONS,
    SEARCH_FIELDS,
    edit_distance,
    nearest,
    suggest,
    syntax_problem,
)
from indexer.snippets import SNIPPET_CHARS
from indexer.whoosh_analysis import StemmedText, term, unseen_words

SPELLING_FIELD = "spell_body"
WRITE_LOCK_TIMEOUT = 5.0
DEADLINE_CHECK_EVERY = 4096
PARALLEL_BATCH = 5_000  # documents in one commit from which two processes write
WRITER_PROCS = 2
# Postings each writing process keeps in memory (by Whoosh's estimate) before it sorts
# them in runs on disk: once one run spills, every posting goes through the disk, and
# a batch is written some 40% slower. 1 GiB holds about 90,000 comments per process.
WRITER_POOL_MB = 1024
CACHED_MATCHES = cache_entries(16)  # recent queries whose matching documents are kept
CACHED_FILTERS = 64


def _writer_process_started(_: object) -> None:
    """In each of Whoosh's writing subprocesses, which are forked and so inherit the
    index's locks: end it with the indexer, so a killed indexer leaves no lock held."""
    parent = multiprocessing.parent_process()
    if parent is not None:
        leave_with_parent(parent.pid)


multiprocessing.util.register_after_fork(_writer_process_started, _writer_process_started)


class AuthorFoldFilter(Filter):
    """Folds an author token the way `fold_author` does, so `author:` ignores case."""

    def __call__(self, tokens):
        for token in tokens:
            token.text = fold_author(token.text)
            yield token


class KeyColumn(ID):
    """A key kept only as a column, for facets and sorting: never searched, so no postings."""

    indexed = False


class DateColumn(DATETIME):
    """A date kept only as a column (and stored if asked): never searched, so no postings."""

    indexed = False


class NumberColumn(NUMERIC):
    """A number kept only as a column (and stored if asked): never searched, so no postings."""

    indexed = False


def build_schema() -> Schema:
    """The fields of a new index. Only what a query or a deletion looks up by term is
    indexed; facets and sorting read columns, which cost far less to write."""
    return Schema(
        id=ID(stored=True, unique=True),
        kind=ID(stored=True, sortable=True),
        article_id=ID(stored=True, sortable=True),
        article_title=STORED(),
        title=StemmedText(field_boost=2.0),
        author=ID(stored=True, analyzer=IDTokenizer() | AuthorFoldFilter()),
        author_key=KeyColumn(sortable=True),
        author_name=KeyColumn(sortable=True),
        date=DateColumn(stored=True, sortable=True),
        article_date=STORED(),
        sort_date=DateColumn(sortable=True),
        year=NUMERIC(shift_step=0),  # one term per year: `year:` is a term or a short range
        position=NumberColumn(stored=True, sortable=True),
        caption=StemmedText(stored=True),
        body=StemmedText(stored=True),
        url=STORED(),
        source=ID(stored=True),
        parent=STORED(),
        thread_length=STORED(),
        signed=STORED(),
        signed_key=KeyColumn(sortable=True),
        signed_name=KeyColumn(sortable=True),
        quotes=STORED(),
        copies=ID(stored=True, sortable=True),
        spell_body=ID(),  # SPELLING_FIELD: words of the bodies, given as lists by to_fields
    )


class MarkFormatter(highlight.Formatter):
    """Escapes the text and wraps each match in <mark>."""

    between = " … "

    def _text(self, text: str) -> str:
        return html.escape(text, quote=False)

    def format_token(self, text, token, replace=False):
        return f"<mark>{self._text(highlight.get_text(text, token, replace))}</mark>"


def snippet(hit) -> str:
    """The hit's best passages with matches marked; '' when Whoosh cannot place them.

    Whoosh's highlighter fails on some tokens (digits from other scripts among
    them); a plain excerpt is better than a failed page.
    """
    try:
        return hit.highlights("body", top=2)
    except (TypeError, ValueError, IndexError, KeyError):
        return ""


def to_fields(doc: Document, spelled: set[str] | None = None) -> dict:
    """The document as Whoosh fields.

    Did-you-mean needs each word of the bodies in one live document, not in all:
    with `spelled`, the words already given to another document of the same source
    are left out (a source's documents are replaced and removed together) and the
    new ones added to it.
    """
    keys = facet_keys(doc)
    fields = {
        "id": doc.id,
        "kind": doc.kind,
        "article_id": doc.article_id,
        "article_title": doc.article_title,
        "author": doc.author,
        "author_key": keys["author"],
        "author_name": doc.author,
        "position": doc.position,
        "body": doc.body,
        "caption": doc.caption,
        "url": doc.url,
        "source": doc.source,
        "parent": doc.parent,
        "thread_length": doc.thread_length,
        "signed": list(doc.signed),
        "signed_key": keys["signed"],
        "signed_name": doc.signed[0] if doc.signed else "",
        "quotes": list(doc.quotes),
        "copies": doc.copy_group,
        SPELLING_FIELD: unseen_words(doc.body, set() if spelled is None else spelled),
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


class WhooshStore:
    """The writing side: one generation folder of the index."""

    def __init__(self, generation: Path, create: bool = False) -> None:
        if create:
            self._ix = index.create_in(str(generation), build_schema())
        else:
            self._ix = index.open_dir(str(generation))

    def _writer(self, documents: int = 0):
        """A writer; for a large batch, one writing with two processes into segments
        of their own (about 1.9 times the documents per second of one), each sorting
        its postings in memory."""
        options = (
            {"procs": WRITER_PROCS, "multisegment": True, "limitmb": WRITER_POOL_MB}
            if documents >= PARALLEL_BATCH
            else {}
        )
        try:
            return self._ix.writer(timeout=WRITE_LOCK_TIMEOUT, **options)
        except LockError as error:
            raise IndexLocked(
                "Another process is writing to this index; try again when it has finished."
            ) from error

    def _write(self, documents: int, change: Callable) -> None:
        """Run `change(writer)` and commit it; if either fails, nothing of it is kept and
        the index's lock is given back, a failed commit (a full disk) included."""
        writer = self._writer(documents)
        try:
            change(writer)
            writer.commit()
        except BaseException:
            with contextlib.suppress(Exception):
                writer.cancel()
            with contextlib.suppress(Exception):
                writer.writelock.release()
            raise

    def replace_sources(
        self, documents: Mapping[str, Sequence[Document]], remove: Iterable[str] = ()
    ) -> None:
        def change(writer) -> None:
            for source in remove:
                writer.delete_by_term("source", source)
            for source, docs in documents.items():
                writer.delete_by_term("source", source)
                spelled: set[str] = set()
                for doc in docs:
                    writer.add_document(**to_fields(doc, spelled))

        self._write(sum(len(docs) for docs in documents.values()), change)

    def generation(self) -> int:
        return self._ix.latest_generation()

    def comment_bodies(self) -> Iterator[tuple[str, str, str]]:
        with self._ix.searcher() as searcher:
            for stored in searcher.all_stored_fields():
                if stored.get("kind") == COMMENT:
                    yield stored["id"], stored.get("body", ""), stored.get("copies", "")

    def set_copy_groups(self, groups: Mapping[str, str]) -> None:
        def change(writer) -> None:
            with self._ix.searcher() as searcher:
                for doc_id, group in groups.items():
                    stored = searcher.document(id=doc_id)
                    if stored is not None:
                        doc = replace(from_stored(stored), copy_group=group)
                        writer.update_document(**to_fields(doc))

        self._write(len(groups), change)

    def article_sources(self, article_ids: Collection[str]) -> dict[str, str]:
        """An article's document has the article's id as its own: one term to look up,
        where asking for the kind too would walk every article's posting."""
        with self._ix.searcher() as searcher:
            found = ((article, searcher.document(id=article)) for article in article_ids)
            return {
                article: stored["source"]
                for article, stored in found
                if stored is not None and stored["kind"] == ARTICLE
            }


class WhooshReader:
    """The reading side of one generation: one shared searcher, opened anew after commits.

    It never writes: the index is opened read-only, so a copy of the folder can be
    served from read-only storage.
    """

    def __init__(self, generation: Path) -> None:
        if not index.exists_in(str(generation)):
            raise IndexMissing(f"No Whoosh index in {generation}.")
        self._generation = generation
        self._lock = threading.Lock()
        self._snapshot = WhooshSnapshot(self._open_searcher())

    def _open_searcher(self):
        return index.open_dir(str(self._generation), readonly=True).searcher()

    def snapshot(self) -> WhooshSnapshot:
        """The index as it is now: checking costs a read of the generation's table of
        contents, not a reopening of the index.

        A changed index is opened anew rather than refreshed: Whoosh's refresh keeps
        the readers of segments it already had, with their old deletions, and even
        segments merged away since, so removed documents would still be found.
        """
        with self._lock:
            if not self._snapshot.searcher.up_to_date():
                self._snapshot = WhooshSnapshot(self._open_searcher())
            return self._snapshot


class FirstTerms(query.MultiTerm):
    """A wildcard or fuzzy term that stands for at most `MAX_EXPANSIONS` index terms,
    the first in the lexicon's order: the work one such term causes stays bounded."""

    def __init__(self, expanding: query.MultiTerm) -> None:
        self.expanding = expanding
        self.fieldname = expanding.field()
        self.text = expanding.text
        self.boost = expanding.boost
        self.constantscore = expanding.constantscore

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FirstTerms) and other.expanding == self.expanding

    def __hash__(self) -> int:
        return hash(self.expanding)

    def __repr__(self) -> str:
        return f"FirstTerms({self.expanding!r})"

    def _btexts(self, ixreader):
        return itertools.islice(self.expanding._btexts(ixreader), MAX_EXPANSIONS)


def bounded_expansions(parsed: query.Query) -> query.Query:
    """The query with every wildcard and fuzzy term bounded (see `FirstTerms`)."""
    if isinstance(parsed, query.MultiTerm):
        return FirstTerms(parsed)
    return parsed.apply(bounded_expansions)


def build_parser(schema: Schema) -> MultifieldParser:
    parser = MultifieldParser(list(SEARCH_FIELDS), schema, group=AndGroup)
    parser.add_plugin(FieldAliasPlugin({"article_id": ["article"], "body": ["text"]}))
    parser.add_plugin(PlusMinusPlugin())
    parser.add_plugin(FuzzyTermPlugin())
    return parser


def day_number(day: date) -> int:
    """A date as the number YYYYMMDD: date order is number order."""
    return day.year * 10_000 + day.month * 100 + day.day


@dataclass(frozen=True)
class Column:
    """One facet's key for every document number, as codes into `keys` (0 is '')."""

    codes: np.ndarray
    keys: list[str]
    code_of: dict[str, int]

    @classmethod
    def of(cls, values: Sequence[str]) -> Column:
        code_of = {"": 0}
        codes = np.fromiter(
            (code_of.setdefault(value, len(code_of)) for value in values),
            dtype=np.int32,
            count=len(values),
        )
        return cls(codes, list(code_of), code_of)

    def count(self, docnums: np.ndarray, limit: int, chosen: Collection[str]) -> dict[str, int]:
        """Documents per key among `docnums`: the keys as frequent as the `limit`-th
        most frequent or more (ties kept whole), and the chosen ones."""
        counts = np.bincount(self.codes[docnums], minlength=len(self.keys))
        counts[0] = 0
        present = np.flatnonzero(counts)
        if not limit:
            present = present[:0]
        elif len(present) > limit:
            threshold = np.partition(counts[present], len(present) - limit)[len(present) - limit]
            present = present[counts[present] >= threshold]
        found = {self.keys[code]: int(counts[code]) for code in present}
        for key in chosen:
            code = self.code_of.get(key)
            if code is not None and counts[code]:
                found[key] = int(counts[code])
        return found


@dataclass(frozen=True)
class Columns:
    """Every facet's column, each document's date as a day number, and labels."""

    facets: dict[str, Column]
    days: np.ndarray  # YYYYMMDD of the own-or-article date; 0 without one
    labels: dict[str, dict[str, str]]
    live: np.ndarray  # the document numbers not deleted, in order


class WhooshSnapshot:
    """One searcher's view of the index: document numbers stay valid within it."""

    def __init__(self, searcher) -> None:
        self.searcher = searcher
        self._parser = build_parser(searcher.schema)
        self._lock = threading.Lock()
        self._columns: Columns | None = None
        self._matches: OrderedDict[str, np.ndarray] = OrderedDict()
        self._masks: OrderedDict[tuple[str, frozenset[str]], np.ndarray] = OrderedDict()

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
        return bounded_expansions(parsed)

    def suggest(self, text: str, deadline: float | None = None) -> str | None:
        """Did-you-mean from the unstemmed words of the bodies: of the words close
        enough, the one whose search finds the most bodies.

        A word counts while a live document holds it: the lexicon keeps the words of
        deleted documents until their segment is merged. Stop words are never
        searched, so never corrected.
        """
        searcher = self.searcher
        reader = searcher.reader()

        def known(word: str) -> bool:
            return not term(word) or searcher.document_number(**{SPELLING_FIELD: word}) is not None

        def closest(word: str, edits: int) -> str | None:
            """Candidates share the word's first or second letter as their first: a
            look through two letters' words, not an automaton over the lexicon."""
            near = (
                found
                for start in dict.fromkeys(word[:2])
                for found in (
                    raw.decode("utf-8") for raw in reader.expand_prefix(SPELLING_FIELD, start)
                )
                if edit_distance(word, found, edits) <= edits
            )
            candidates = (
                (found, reader.doc_frequency("body", term(found))) for found in near if known(found)
            )
            return nearest(word, candidates, edits)

        return suggest(text, known, closest, deadline)

    def columns(self) -> Columns:
        """Read once per snapshot: every facet count after that is arithmetic."""
        with self._lock:
            if self._columns is None:
                self._columns = read_columns(self.searcher)
            return self._columns

    def _matching(self, text: str, deadline: float | None) -> tuple[np.ndarray, bool]:
        """Matching document numbers, and whether all were listed before `deadline`.

        Recent queries' numbers are kept: a reader choosing facet after facet asks
        for the same query again and again.
        """
        parsed = self.parse(text)
        if isinstance(parsed, query.Every):
            return self.columns().live, True
        with self._lock:
            if text in self._matches:
                self._matches.move_to_end(text)
                return self._matches[text], True
        found = self.searcher.docs_for_query(parsed)
        chunks = []
        while len(chunk := np.fromiter(itertools.islice(found, DEADLINE_CHECK_EVERY), np.int64)):
            chunks.append(chunk)
            if deadline is not None and time.monotonic() > deadline:
                return np.concatenate(chunks), False
        docnums = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int64)
        with self._lock:
            self._matches[text] = docnums
            while len(self._matches) > CACHED_MATCHES:
                self._matches.popitem(last=False)
        return docnums, True

    def _mask(self, facet: str, keys: frozenset[str]) -> np.ndarray:
        """Which documents have one of `keys` in `facet`, for every document number."""
        with self._lock:
            found = self._masks.get((facet, keys))
            if found is not None:
                self._masks.move_to_end((facet, keys))
                return found
        column = self.columns().facets[facet]
        wanted = [column.code_of[key] for key in keys if key in column.code_of]
        mask = np.isin(column.codes, np.array(wanted, dtype=np.int32))
        with self._lock:
            self._masks[(facet, keys)] = mask
            while len(self._masks) > CACHED_FILTERS:
                self._masks.popitem(last=False)
        return mask

    def select(
        self,
        text: str,
        filters: Filters,
        facets: Mapping[str, int],
        deadline: float | None = None,
    ) -> WhooshMatches:
        docnums, complete = self._matching(text, deadline)
        columns = self.columns()
        if filters.after or filters.before:
            days = columns.days[docnums]
            keep = days > 0
            if filters.after:
                keep &= days >= day_number(filters.after)
            if filters.before:
                keep &= days <= day_number(filters.before)
            docnums = docnums[keep]
        active = filters.active()
        masks = {name: self._mask(name, keys)[docnums] for name, keys in active.items()}
        passing = np.ones(len(docnums), dtype=bool)
        for mask in masks.values():
            passing &= mask
        counts = {}
        for name, limit in facets.items():
            keep = passing
            if name in masks:
                keep = np.ones(len(docnums), dtype=bool)
                for other, mask in masks.items():
                    if other != name:
                        keep &= mask
            counts[name] = columns.facets[name].count(docnums[keep], limit, active.get(name, ()))
        selected = docnums[passing]
        articles = np.unique(columns.facets["article"].codes[selected])
        filtered = bool(active) or bool(filters.after or filters.before) or not complete
        return WhooshMatches(
            self,
            text,
            selected,
            counts,
            int(np.count_nonzero(articles)),
            complete,
            filtered,
        )

    def labels(self, facet: str, keys: Collection[str]) -> dict[str, str]:
        labels = self.columns().labels.get(facet, {})
        return {key: labels[key] for key in keys if key in labels}

    def results(
        self,
        text: str,
        allow: set[int] | None,
        sort: str,
        limit: int,
        deadline: float | None = None,
    ):
        """Whoosh's results for one page; cut short, with what it has, at `deadline`.

        With `allow` None every match is wanted, and Whoosh may skip blocks of
        postings that cannot reach the page.
        """
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
        collector = self.searcher.collector(limit=limit, sortedby=sortedby, terms=True)
        if deadline is not None:
            seconds = max(deadline - time.monotonic(), 0.001)
            collector = collectors.TimeLimitCollector(collector, seconds, use_alarm=False)
        if allow is not None:
            # The filter goes outermost: TimeLimitCollector hands documents straight to
            # its child, so a filter inside it would never see them.
            collector = collectors.FilterCollector(collector, allow=allow)
        try:
            self.searcher.search_with_collector(self.parse(text), collector)
        except collectors.TimeLimit:
            return collector.results(), False
        return collector.results(), True

    def thread(self, article_id: str) -> list[Document]:
        results = self.searcher.search(
            query.Term("article_id", article_id), limit=None, sortedby="position"
        )
        return [from_stored(hit.fields()) for hit in results]


class WhooshMatches:
    """A selection: the selected document numbers, counted; ranked on demand."""

    def __init__(
        self,
        snapshot: WhooshSnapshot,
        text: str,
        docnums: np.ndarray,
        counts: dict[str, dict[str, int]],
        article_count: int,
        complete: bool,
        filtered: bool,
    ) -> None:
        self._snapshot = snapshot
        self._text = text
        self._docnums = docnums
        self._filtered = filtered
        self._article_count = article_count
        self.total = len(docnums)
        self.counts = counts
        self.complete = complete

    def article_count(self) -> int:
        return self._article_count

    def _allow(self) -> set[int] | None:
        return set(self._docnums.tolist()) if self._filtered else None

    def ranked(
        self,
        sort: str,
        offset: int,
        limit: int,
        deadline: float | None = None,
        highlight: bool = True,
    ) -> tuple[list[tuple[Document, str]], bool]:
        if not self.total:
            return [], True
        results, complete = self._snapshot.results(
            self._text, self._allow(), sort, offset + limit, deadline
        )
        results.fragmenter = ContextFragmenter(maxchars=SNIPPET_CHARS, surround=60)
        results.formatter = MarkFormatter()
        page = []
        for hit in results[offset : offset + limit]:
            doc = from_stored(hit.fields())
            page.append((doc, snippet(hit) if highlight else ""))
        return page, complete

    def documents(self, sort: str, limit: int) -> Iterator[Document]:
        if not self.total:
            return iter(())
        results, _ = self._snapshot.results(self._text, self._allow(), sort, limit)
        return (from_stored(hit.fields()) for hit in results)

    def article_counts(self, article_ids: Collection[str]) -> dict[str, int]:
        column = self._snapshot.columns().facets["article"]
        return column.count(self._docnums, 0, article_ids)


def read_columns(searcher) -> Columns:
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
    values = {
        "kind": column("kind"),
        "author": authors,
        "article": column("article_id"),
        "year": [d[:4] for d in dates],
        "month": [d[:7] for d in dates],
        "date": dates,
        "own_date": iso_dates("date"),
        "signed": signed,
        "copies": [COPIED if group else "" for group in column("copies")],
    }
    days = np.fromiter(
        (int(d.replace("-", "")) if d else 0 for d in dates), dtype=np.int32, count=len(dates)
    )
    return Columns(
        facets={name: Column.of(keys) for name, keys in values.items()},
        days=days,
        labels={"author": author_labels, "signed": signed_labels, "article": titles},
        live=np.fromiter(reader.all_doc_ids(), dtype=np.int64),
    )
