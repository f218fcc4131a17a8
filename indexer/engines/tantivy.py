"""The tantivy engine: the only module that imports `tantivy`.

Matching, filtering, counting and ranking stay in Rust: a selection is a tantivy
query (the query string's tree from `indexer.query`, AND the filters), facets are
terms aggregations over fast fields, one request for the facets nobody chose and
one per chosen facet with every filter but its own, and a page is a top-k search.
Python sees only counts and the page's documents, stored as one JSON value each.
"""

from __future__ import annotations

import ctypes
import errno
import hashlib
import itertools
import json
import os
import pickle
import re
import shutil
import tempfile
import threading
import time
import weakref
import zlib
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from datetime import time as day_time
from functools import cache
from operator import attrgetter
from pathlib import Path

import tantivy
from tantivy import Filter, Occur, Query, Tokenizer

from indexer.documents import ARTICLE, COMMENT, Document, fold_author, votes_rank, written_text
from indexer.engines.base import (
    Filters,
    IndexLocked,
    IndexMissing,
    IndexOutdated,
    PageWanted,
    QuerySyntaxError,
)
from indexer.facets import FACET_KEYS, facet_keys
from indexer.query import (
    MAX_EXPANSIONS,
    SEARCH_FIELDS,
    TEXT_ALIASES,
    VALUE_FIELDS,
    Group,
    Lexicon,
    Node,
    Not,
    Phrase,
    Word,
    nearest,
    parse,
    pattern_regex,
    suggest,
)
from indexer.snippets import SNIPPET_CHARS, Passage, joined

WRITER_HEAP = 256_000_000
WRITER_KILLED = "index writer was killed"  # what tantivy says when a writing thread failed
NEARLY_FULL_BYTES = 1 << 20
OS_ERROR = re.compile(r"\bos (?:error |\{ code: )(\d+)", re.IGNORECASE)  # as tantivy words it
WRITER_THREADS = 2
TITLE_BOOST = 2.0
SORT_FIELDS = {
    "newest": ("when", tantivy.Order.Desc),
    "oldest": ("when", tantivy.Order.Asc),
}
# The sorts by a count, most first and ties newest first, and the integer field of each:
# tantivy orders by one field, so `TantivySnapshot.by_count` puts ties in order apart.
COUNT_FIELDS = {"votes": "vote_rank", "replies": "replies", "discussed": "thread_length"}
MISSING_DATE = "~"  # after every date: undated documents sort as the latest, as in Whoosh
MAX_BUCKETS = 100_000  # a terms aggregation's size never goes past this
EVERY_CHUNK = 50_000  # documents read per search when reading them all
# Threads for the aggregations a selection runs beside its main one: two cores here.
WORKERS = ThreadPoolExecutor(max_workers=2, thread_name_prefix="hubbub-tantivy")
TEXT_FIELDS = {name: name for name in SEARCH_FIELDS} | TEXT_ALIASES
# A value is looked up in its facet's field; `copies:` names a copy group, which the
# copies facet only marks as copied.
RAW_FIELDS = {name: f"f_{name}" for name in VALUE_FIELDS} | {"copies": "copy_group"}
LABEL_FIELDS = {"author": "author_name", "signed": "signed_name", "article": "article_title"}
# Facets also kept as a number per key: tantivy counts numbers several times faster
# than strings, and the article facet has the most keys.
NUMBERED = ("article",)
KNOWN_NUMBERS = 2_000_000  # numbers whose keys are remembered, per process
NUMBER_KEYS: dict[int, str] = {}
FEW_TERMS = 64  # up to this many values, a filter is term queries, not a term set
NUMBERS_LOCK = threading.Lock()

# The analyzer tantivy calls "en_stem", built again to analyse query words.
STEMMED = (
    tantivy.TextAnalyzerBuilder(Tokenizer.simple())
    .filter(Filter.remove_long(40))
    .filter(Filter.lowercase())
    .filter(Filter.stemmer("english"))
    .build()
)


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    for name in ("id", "source", "copy_group"):
        builder.add_text_field(name, tokenizer_name="raw", index_option="basic")
    builder.add_bytes_field("doc", stored=True)
    for name in ("title", "caption", "body"):
        builder.add_text_field(name, tokenizer_name="en_stem")
    builder.add_text_field("words", tokenizer_name="default", index_option="basic")
    for name in (*(f"f_{facet}" for facet in FACET_KEYS), *LABEL_FIELDS.values(), "when"):
        builder.add_text_field(name, fast=True, tokenizer_name="raw", index_option="basic")
    for name in NUMBERED:
        builder.add_integer_field(f"n_{name}", indexed=True, fast=True)
    builder.add_integer_field("position", fast=True)
    for name in COUNT_FIELDS.values():
        builder.add_integer_field(name, indexed=True, fast=True)
    builder.add_date_field("sort_date", indexed=True, fast=True)
    return builder.build()


SCHEMA = build_schema()  # what documents are built against
DOCUMENT_NAMES = tuple(field.name for field in fields(Document))
DOCUMENT_FIELDS = attrgetter(*DOCUMENT_NAMES)
# Leads every stored document: documents pickled with other fields, by another version
# of Hubbub, are known by it rather than read into the wrong fields.
DOCUMENT_LAYOUT = zlib.crc32(" ".join(DOCUMENT_NAMES).encode("utf-8"))


def encode(doc: Document) -> bytes:
    """The document's layout and fields in order, pickled: three times quicker to read
    back than JSON, and the index is only ever read by the Hubbub that wrote it."""
    return pickle.dumps((DOCUMENT_LAYOUT, *DOCUMENT_FIELDS(doc)), protocol=pickle.HIGHEST_PROTOCOL)


def decode(data: bytes) -> Document:
    return Document.restored(zip(DOCUMENT_NAMES, pickle.loads(data)[1:], strict=True))


def layout_of(searcher: tantivy.Searcher) -> int | None:
    """The layout the index's documents were pickled in, read off one of them (a version
    writes only into an index of its own layout); None when there is none."""
    hits = searcher.search(Query.all_query(), 1, count=False).hits
    if not hits:
        return None
    return pickle.loads(searcher.doc(hits[0][1]).get_first("doc"))[0]


def key_number(key: str) -> int:
    """A facet key as a signed 64-bit number: the first 8 bytes of its BLAKE2 hash."""
    digest = hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def sort_key(doc: Document) -> str:
    """A key whose order is Whoosh's date sorts: date, then article id, then position,
    undated documents last; "newest" is the same order reversed."""
    when = doc.effective_date.isoformat() if doc.effective_date else MISSING_DATE
    return f"{when}\x00{doc.article_id}\x00{doc.position:010d}"


def to_document(doc: Document) -> tantivy.Document:
    keys = facet_keys(doc)
    fields: dict[str, object] = {
        "id": doc.id,
        "source": doc.source,
        "copy_group": doc.copy_group,
        "doc": encode(doc),
        "caption": doc.caption,
        "body": doc.body,
        "words": written_text(doc),
        "author_name": doc.author,
        "signed_name": doc.signed[0] if doc.signed else "",
        "article_title": doc.article_title if doc.kind == ARTICLE else "",
        "title": doc.article_title if doc.kind == ARTICLE else "",
        "when": sort_key(doc),
        **{f"f_{name}": key for name, key in keys.items()},
    }
    present = {name: value for name, value in fields.items() if value != ""}
    for name in NUMBERED:
        if keys[name]:
            present[f"n_{name}"] = key_number(keys[name])
    present["position"] = doc.position
    present["vote_rank"] = votes_rank(doc)
    present["replies"] = doc.replies
    present["thread_length"] = doc.thread_length
    if doc.effective_date is not None:
        present["sort_date"] = doc.effective_date
    return tantivy.Document.from_dict(present, SCHEMA)  # a quarter quicker than keywords


def stored(searcher: tantivy.Searcher, hits: Iterable[tuple[object, object]]) -> Iterator[Document]:
    """The documents of search hits, read from the store."""
    return (decode(searcher.doc(address).get_first("doc")) for _, address in hits)


def every(searcher_of: Callable[[], tantivy.Searcher], query: Query) -> Iterator[Document]:
    """Every document matching `query`, in index order, read a chunk at a time, each
    through a searcher of its own from `searcher_of`, on an index nobody commits to
    meanwhile."""
    query = Query.const_score_query(query, 1.0)
    count = searcher_of().search(query, 1, count=True).count
    for offset in range(0, count, EVERY_CHUNK):
        searcher = searcher_of()
        hits = searcher.search(query, min(EVERY_CHUNK, count - offset), count=False, offset=offset)
        yield from stored(searcher, hits.hits)


def opened(generation: Path) -> tantivy.Index:
    """The index in `generation`, if it has the fields this version reads and its
    documents are stored as this version stores them.

    :raise IndexOutdated: for an index built with other fields or documents.
    """
    if not tantivy.Index.exists(str(generation)):
        raise IndexMissing(f"No tantivy index in {generation}.")
    ix = tantivy.Index.open(str(generation))
    if ix.schema != build_schema() or layout_of(ix.searcher()) not in (None, DOCUMENT_LAYOUT):
        raise IndexOutdated.at(generation.parent)
    return ix


@contextmanager
def disk_errors(folder: Path) -> Iterator[None]:
    """Let a failed disk write out as the OSError it is: tantivy reports one as a
    ValueError that names the system's error number, or, when a writing thread failed,
    only that it was killed; the disk is then asked whether it is full."""
    try:
        yield
    except ValueError as error:
        found = OS_ERROR.search(str(error))
        if found is not None:
            number = int(found.group(1))
        elif WRITER_KILLED in str(error):
            number = errno.ENOSPC if disk_nearly_full(folder) else errno.EIO
        else:
            raise
        raise OSError(number, os.strerror(number), str(folder)) from error


def give_back_freed_memory() -> None:
    """Return to the system what the writer's threads freed, where the C library is
    glibc. Each commit's threads allocate in malloc arenas of their own, which keep
    what is freed: indexing a 250 MB JSON-lines file in 17 commits, the process's
    anonymous memory rose from 160 to 400 MB without this, and stays near 270 MB with
    it, for some milliseconds a commit."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # no C library to load, or not glibc
        return None


def disk_nearly_full(folder: Path) -> bool:
    try:
        return shutil.disk_usage(folder).free < NEARLY_FULL_BYTES
    except OSError:
        return False


class TantivyStore:
    """The writing side: one generation folder of the index.

    One writer serves a run's commits, and segments merge in its background threads
    while the next batch is read; `close` waits for the merges after the last commit.
    """

    def __init__(self, generation: Path, create: bool = False) -> None:
        self._path = generation
        self._writer = None
        if create:
            with disk_errors(generation):
                self._ix = tantivy.Index(build_schema(), path=str(generation), reuse=False)
        else:
            self._ix = opened(generation)

    def _opened_writer(self):
        if self._writer is None:
            try:
                self._writer = self._ix.writer(WRITER_HEAP, WRITER_THREADS)
            except ValueError as error:
                raise IndexLocked(
                    "Another process is writing to this index; try again when it has finished."
                ) from error
        return self._writer

    def _write(self, change) -> None:
        """Run `change(writer)` and commit it, or roll it back if it fails."""
        writer = self._opened_writer()
        with disk_errors(self._path):
            try:
                change(writer)
                writer.commit()
            except BaseException:
                self._writer = None  # a writer whose threads failed takes nothing more
                try:
                    writer.rollback()
                finally:
                    writer.wait_merging_threads()  # frees the index's lock now
                raise
            finally:
                give_back_freed_memory()
            self._ix.reload()

    def close(self) -> None:
        writer, self._writer = self._writer, None
        if writer is not None:
            with disk_errors(self._path):
                writer.wait_merging_threads()
            give_back_freed_memory()

    def replace_sources(
        self,
        documents: Mapping[str, Iterable[Document]],
        remove: Iterable[str] = (),
        appended: Collection[str] = (),
    ) -> None:
        def change(writer) -> None:
            for source in [*remove, *(s for s in documents if s not in appended)]:
                writer.delete_documents_by_term("source", source)
            for source, docs in documents.items():
                for doc in docs:
                    if source in appended:  # a part committed before a run stopped comes again
                        writer.delete_documents_by_term("id", doc.id)
                    writer.add_document(to_document(doc))

        self._write(change)

    def publish(self) -> None:
        """Nothing to do: readers follow the index folder's pointer."""

    def generation(self) -> int:
        meta = json.loads((self._path / "meta.json").read_text(encoding="utf-8"))
        return int(meta.get("opstamp", 0))

    def _released_searcher(self) -> tantivy.Searcher:
        """A searcher on an index opened for it alone: the store's pages it reads are
        mapped into memory only while it lives, so reading every document does not
        hold the whole store in the process's resident memory at once."""
        return tantivy.Index.open(str(self._path)).searcher()

    def comment_bodies(self) -> Iterator[tuple[str, str, str]]:
        comments = Query.term_query(self._ix.schema, "f_kind", COMMENT)
        for doc in every(self._released_searcher, comments):
            yield doc.id, doc.body, doc.copy_group

    def set_copy_groups(self, groups: Mapping[str, str]) -> None:
        """Rewrite the comments whose group changed, read `EVERY_CHUNK` ids a search."""
        ids = sorted(groups)
        schema = self._ix.schema

        def change(writer) -> None:
            for start in range(0, len(ids), EVERY_CHUNK):
                chunk = any_term(schema, "id", ids[start : start + EVERY_CHUNK])
                for doc in every(self._released_searcher, chunk):
                    writer.delete_documents_by_term("id", doc.id)
                    writer.add_document(to_document(replace(doc, copy_group=groups[doc.id])))

        self._write(change)

    def article_documents(
        self, article_ids: Collection[str], kind: str | None = None
    ) -> Iterator[Document]:
        if not article_ids:
            return iter(())
        schema = self._ix.schema
        wanted = [any_term(schema, "f_article", article_ids)]
        if kind is not None:
            wanted.append(Query.term_query(schema, "f_kind", kind))
        return every(self._ix.searcher, all_of(wanted))


class TantivyReader:
    """The reading side of one generation: a searcher renewed after each commit.

    Whether there was a commit is a stat of `meta.json`, which tantivy replaces
    atomically on every commit. Tantivy takes a lock file to read, which it cannot
    create where the index sits on read-only storage; such an index is read through
    `LinkedCopy`, made anew after each commit.
    """

    def __init__(self, generation: Path) -> None:
        self._generation = generation
        self._meta = generation / "meta.json"
        self._copy: LinkedCopy | None = None
        self._lock = threading.Lock()
        self._stamp = self._meta_stamp()
        self._ix = self._open()
        self._snapshot = TantivySnapshot(self._ix)

    def _open(self) -> tantivy.Index:
        if os.access(self._generation, os.W_OK):
            ix = opened(self._generation)
        else:
            self._copy = LinkedCopy(self._generation)
            ix = opened(self._copy.path)
        ix.config_reader(reload_policy="Manual")
        return ix

    def _meta_stamp(self) -> int | None:
        try:
            return self._meta.stat().st_mtime_ns
        except OSError:
            return None

    def snapshot(self) -> TantivySnapshot:
        with self._lock:
            stamp = self._meta_stamp()
            if stamp != self._stamp:
                self._stamp = stamp
                if self._copy is None:
                    self._ix.reload()
                else:
                    self._ix = self._open()
                self._snapshot = TantivySnapshot(self._ix)
            return self._snapshot


class LinkedCopy:
    """A temporary folder of links to a generation's files, where tantivy may write
    its lock files; removed when no longer used."""

    def __init__(self, generation: Path) -> None:
        self.path = Path(tempfile.mkdtemp(prefix="hubbub-tantivy-"))
        weakref.finalize(self, shutil.rmtree, self.path, ignore_errors=True)
        for file in generation.iterdir():
            if not file.name.startswith(".tantivy-"):
                (self.path / file.name).symlink_to(file.resolve())


def articles_known(
    total: int,
    counts: Mapping[str, Mapping[str, int]],
    chosen: Mapping[str, frozenset[str]],
    found: Mapping[str, object],
) -> int | None:
    """Articles among the selected documents when the article facet tells them: it holds
    every one, or the article filter names them; None when it cannot tell."""
    if not total:
        return 0
    if "article" in chosen and "article" in counts:
        return sum(1 for key in chosen["article"] if counts["article"].get(key))
    if found.get("article:all") and "article" in counts:
        return len(counts["article"])
    return None


def any_term(schema: tantivy.Schema, field: str, values: Collection[str | int]) -> Query:
    """Documents with any of `values` in `field`, all scored alike.

    A term set query reads the whole field's dictionary, about 0.2 ms at 100,000
    documents, however few its terms; a few term queries cost a tenth of that.
    """
    ordered = sorted(values)
    if len(ordered) > FEW_TERMS:
        return Query.term_set_query(schema, field, ordered)
    terms = [Query.term_query(schema, field, value) for value in ordered]
    either = (
        terms[0]
        if len(terms) == 1
        else Query.boolean_query([(Occur.Should, term) for term in terms])
    )
    return Query.const_score_query(either, 0.0)


def all_of(queries: Sequence[Query]) -> Query:
    if len(queries) == 1:
        return queries[0]
    return Query.boolean_query([(Occur.Must, query) for query in queries])


def day_range(schema: tantivy.Schema, after: date | None, before: date | None) -> Query:
    return Query.range_query(
        schema,
        "sort_date",
        tantivy.FieldType.Date,
        datetime.combine(after, day_time.min) if after else None,
        datetime.combine(before, day_time.max) if before else None,
    )


def char_spans(text: str, byte_ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Byte offsets into `text`'s UTF-8 as character offsets."""
    if text.isascii():
        return list(byte_ranges)
    data = text.encode("utf-8")

    def chars(offset: int) -> int:
        return len(data[:offset].decode("utf-8", errors="ignore"))

    return [(chars(start), chars(end)) for start, end in byte_ranges]


class TantivySnapshot:
    """One searcher's view of the index."""

    def __init__(self, ix: tantivy.Index) -> None:
        self.searcher = ix.searcher()
        self.schema = ix.schema
        self._lock = threading.Lock()
        self._labels: dict[str, dict[str, str]] = {name: {} for name in LABEL_FIELDS}
        self._lexicon = Lexicon(self._words)

    def _words(self) -> Iterator[str]:
        return (word for word, _ in self.searcher.terms_with_prefix("words", ""))

    def doc_count(self) -> int:
        return self.searcher.num_docs

    def compile(self, text: str) -> Query:
        """The query string as a tantivy query.

        :raise QuerySyntaxError: when the string cannot be read.
        """
        if not text.strip():
            return Query.all_query()
        try:
            return self._node(parse(text), None) or Query.empty_query()
        except ValueError as error:
            if isinstance(error, QuerySyntaxError):
                raise
            raise QuerySyntaxError(f"the query cannot be searched ({error})") from error

    def _node(self, node: Node, field: str | None) -> Query | None:
        """A query for one node of the tree; None for one that holds no searchable word,
        which its group then leaves out, as Whoosh does."""
        if isinstance(node, Group):
            wanted = [
                compiled
                for item in node.items
                if not isinstance(item, Not) or node.op == "or"
                if (compiled := self._node(item, field)) is not None
            ]
            unwanted = [
                compiled
                for item in node.items
                if isinstance(item, Not) and node.op == "and"
                if (compiled := self._node(item.node, field)) is not None
            ]
            if not wanted and not unwanted:
                return None
            if node.op == "or":
                return (
                    wanted[0]
                    if len(wanted) == 1
                    else Query.boolean_query([(Occur.Should, query) for query in wanted])
                )
            if len(wanted) == 1 and not unwanted:
                return wanted[0]
            return Query.boolean_query(
                [(Occur.Must, query) for query in wanted or [Query.all_query()]]
                + [(Occur.MustNot, query) for query in unwanted]
            )
        if isinstance(node, Not):
            inner = self._node(node.node, field)
            if inner is None:
                return None
            return Query.all_query().and_must_not_match(inner)
        name = node.field or field
        if name is None:
            fields = [self._leaf(node, target) for target in SEARCH_FIELDS]
            present = [query for query in fields if query is not None]
            if not present:
                return None
            return Query.boolean_query([(Occur.Should, query) for query in present])
        return self._leaf(node, name)

    def _leaf(self, node: Word | Phrase, name: str) -> Query | None:
        """A word or phrase in one field: analysed like the field for text, folded for
        authors, as written for the other values."""
        schema = self.schema
        if name in TEXT_FIELDS:
            field = TEXT_FIELDS[name]
            if isinstance(node, Word) and node.pattern:
                return self._pattern(field, node.text.lower())
            if isinstance(node, Word) and node.edits:
                query = self._fuzzy(field, node)
            elif not (terms := STEMMED.analyze(node.text)):
                return None
            elif len(terms) == 1:
                query = Query.term_query(schema, field, terms[0])
            else:
                query = Query.phrase_query(schema, field, terms)
            return Query.boost_query(query, TITLE_BOOST) if field == "title" else query
        field = RAW_FIELDS.get(name, name)
        value = fold_author(node.text) if name == "author" else node.text
        if isinstance(node, Word) and node.pattern:
            return self._pattern(field, value)
        if isinstance(node, Word) and node.edits:
            return Query.fuzzy_term_query(schema, field, value, distance=node.edits)
        return Query.term_query(schema, field, value)

    def _fuzzy(self, field: str, node: Word) -> Query:
        """A fuzzy word as the stems of the index's words within its edits, scored as
        the words a reader typed would be."""
        words = self._lexicon.within(node.text, node.edits, node.nearest)
        stems = dict.fromkeys(stem for word in words for stem in STEMMED.analyze(word))
        if not stems:
            return Query.empty_query()
        return Query.boolean_query(
            [(Occur.Should, Query.term_query(self.schema, field, stem)) for stem in stems]
        )

    def _pattern(self, field: str, pattern: str) -> Query:
        """A wildcard pattern as the first `MAX_EXPANSIONS` terms of `field` it matches in
        the lexicon's order, as the Whoosh engine bounds it: the terms tested are those
        starting with the letters before its first wildcard, of which a query has at least
        `WILDCARD_PREFIX` (tantivy's own prefix and regex queries take every term)."""
        head = re.split(r"[*?]", pattern, maxsplit=1)[0]
        matching = re.compile(pattern_regex(pattern)).fullmatch
        terms = sorted(t for t, _ in self.searcher.terms_with_prefix(field, head) if matching(t))
        if not terms:
            return Query.empty_query()
        return any_term(self.schema, field, terms[:MAX_EXPANSIONS])

    def select(
        self,
        text: str,
        filters: Filters,
        facets: Mapping[str, int],
        deadline: float | None = None,
        page: PageWanted | None = None,
    ) -> TantivyMatches:
        """One aggregation request over the selected documents for the total and the
        facets nobody chose, and one per chosen facet over the documents passing every
        other filter, side by side: tantivy lets go of the interpreter while it counts.
        With no facet to count nothing is aggregated, and the page's search counts the
        total. The articles are counted only if asked."""
        matched = self.compile(text)
        base = [matched]
        if filters.after or filters.before:
            base.append(day_range(self.schema, filters.after, filters.before))
        active = filters.active()
        chosen = {name: any_term(self.schema, f"f_{name}", keys) for name, keys in active.items()}
        passing = all_of(base + list(chosen.values()))
        counted_over = {
            name: all_of(base + [q for other, q in chosen.items() if other != name])
            if name in chosen
            else passing
            for name in facets
        }
        jobs = [
            WORKERS.submit(self._counts, counted_over[name], {name: facets[name]}, active)
            for name in chosen.keys() & facets.keys()
        ]
        free = {name: limit for name, limit in facets.items() if name not in chosen}
        if not free and not jobs:
            return TantivyMatches(self, matched, passing, None, {}, None)
        found = self._counts(passing, free, active, {"_total": "value_count"})
        for job in jobs:
            found |= job.result()
        counts = {name: found[name] for name in facets}
        articles = articles_known(found["_total"], counts, active, found)
        matches = TantivyMatches(self, matched, passing, found["_total"], counts, articles)
        matches.counted_over = {
            name: query for name, query in counted_over.items() if not found[f"{name}:all"]
        }
        return matches

    def distinct(self, query: Query, facet: str) -> int:
        """How many keys a facet has among the documents of `query`, counted one by one:
        tantivy's own count of distinct values (HyperLogLog) is an estimate."""
        field = f"n_{facet}" if facet in NUMBERED else f"f_{facet}"
        size = {"size": MAX_BUCKETS, "segment_size": MAX_BUCKETS}
        answer = self.searcher.aggregate(query, {"keys": {"terms": {"field": field, **size}}})
        return len(answer["keys"]["buckets"])

    def _counts(
        self,
        query: Query,
        facets: Mapping[str, int],
        chosen: Mapping[str, frozenset[str]],
        metrics: Mapping[str, str] | None = None,
    ) -> dict:
        """Each facet's top keys among the documents of `query` (and whether those are
        all its keys, under "<facet>:all"), its chosen keys always, and the `metrics`
        asked for (name to "value_count" of documents or "cardinality" of articles)."""
        request: dict = {}
        for name, limit in facets.items():
            size = min(limit, MAX_BUCKETS)
            # Each segment sends its top `size` keys, not tantivy's ten times as many:
            # turning keys into strings is most of a terms aggregation's cost. A key
            # near the cut may then be counted short; chosen keys are counted exactly.
            field = f"n_{name}" if name in NUMBERED else f"f_{name}"
            request[name] = {"terms": {"field": field, "size": size, "segment_size": size}}
            if chosen.get(name):
                keys = sorted(chosen[name])
                request[f"{name}:chosen"] = {
                    "terms": {"field": f"f_{name}", "include": keys, "size": len(keys)}
                }
        for name, metric in (metrics or {}).items():
            field = "position" if metric == "value_count" else "n_article"
            request[name] = {metric: {"field": field}}
        answer = self.searcher.aggregate(query, request)
        found: dict = {name: round(answer[name]["value"]) for name in metrics or {}}
        for name in facets:
            counted = {b["key"]: int(b["doc_count"]) for b in answer[name]["buckets"]}
            if name in NUMBERED:
                keys = self.numbered_keys(name, counted)
                counted = {keys[n]: count for n, count in counted.items() if n in keys}
            for bucket in answer.get(f"{name}:chosen", {}).get("buckets", []):
                counted[bucket["key"]] = int(bucket["doc_count"])
            found[name] = counted
            found[f"{name}:all"] = answer[name]["sum_other_doc_count"] == 0
        return found

    def numbered_keys(self, facet: str, numbers: Collection[int]) -> dict[int, str]:
        """The keys behind a numbered facet's numbers: read by aggregation the first
        time a number is met, then kept for the process (a key's number never changes)."""
        with NUMBERS_LOCK:
            missing = [number for number in numbers if number not in NUMBER_KEYS]
        if missing:
            query = any_term(self.schema, f"n_{facet}", missing)
            found = self.searcher.aggregate(
                query,
                {
                    "numbers": {
                        "terms": {"field": f"n_{facet}", "size": len(missing)},
                        "aggs": {"key_of": {"terms": {"field": f"f_{facet}", "size": 1}}},
                    }
                },
            )
            learnt = {
                bucket["key"]: bucket["key_of"]["buckets"][0]["key"]
                for bucket in found["numbers"]["buckets"]
                if bucket["key_of"]["buckets"]
            }
            with NUMBERS_LOCK:
                if len(NUMBER_KEYS) + len(learnt) > KNOWN_NUMBERS:
                    NUMBER_KEYS.clear()
                NUMBER_KEYS.update(learnt)
        with NUMBERS_LOCK:
            return {number: NUMBER_KEYS[number] for number in numbers if number in NUMBER_KEYS}

    def labels(self, facet: str, keys: Collection[str]) -> dict[str, str]:
        """Labels read by aggregation the first time a key is asked for, then kept."""
        if facet not in LABEL_FIELDS:
            return {}
        with self._lock:
            known = self._labels[facet]
            missing = sorted(key for key in keys if key not in known)
        if missing:
            query = any_term(self.schema, f"f_{facet}", missing)
            if facet == "article":
                query = all_of([query, Query.term_query(self.schema, "f_kind", ARTICLE)])
            found = self.searcher.aggregate(
                query,
                {
                    "keys": {
                        "terms": {"field": f"f_{facet}", "size": len(missing)},
                        "aggs": {"label": {"terms": {"field": LABEL_FIELDS[facet], "size": 1}}},
                    }
                },
            )
            learnt = {key: "" for key in missing}
            for bucket in found["keys"]["buckets"]:
                labels = bucket["label"]["buckets"]
                learnt[bucket["key"]] = labels[0]["key"] if labels else ""
            with self._lock:
                known.update(learnt)
        with self._lock:
            return {key: known[key] for key in keys if known.get(key)}

    def suggest(self, text: str, deadline: float | None = None) -> str | None:
        """Did-you-mean from the unstemmed words (`written_text`); candidates share the
        word's first or second letter as their first."""
        searcher = self.searcher

        def closest(word: str, edits: int) -> str | None:
            starts = dict.fromkeys(word[:2])
            candidates = (
                pair for start in starts for pair in searcher.terms_with_prefix("words", start)
            )
            return nearest(word, candidates, edits)

        def known(word: str) -> bool:
            return searcher.doc_freq("words", word) > 0

        return suggest(text, known, closest, deadline)

    def thread(self, article_id: str) -> list[Document]:
        query = Query.term_query(self.schema, "f_article", article_id)
        count = self.searcher.search(query, 1, count=True).count
        return list(self.hits(query, count, "position", 0, count))

    def hits(
        self, query: Query, count: int, sort: str, offset: int, limit: int
    ) -> Iterator[Document]:
        """Documents matching `query` (`count` of them) in `sort` order (one of `SORTS`
        or a fast field, ascending)."""
        limit = min(limit, max(count - offset, 0))
        if not limit:
            return iter(())
        return stored(self.searcher, self.search(query, sort, offset, limit).hits)

    def search(
        self, query: Query, sort: str, offset: int, limit: int, count: bool = False
    ) -> Found:
        if sort in COUNT_FIELDS:
            return self.by_count(query, COUNT_FIELDS[sort], offset, limit, count)
        field, order = SORT_FIELDS.get(sort, (sort, tantivy.Order.Asc))
        found = self.searcher.search(
            query,
            limit,
            count=count,
            offset=offset,
            **({} if sort == "relevance" else {"order_by_field": field, "order": order}),
        )
        return Found(found.hits, found.count)

    def by_count(self, query: Query, field: str, offset: int, limit: int, count: bool) -> Found:
        """Hits by the integer `field`, most first, equal ones newest first: a search by
        the field, then, for each run of equal values on the page, a search of the
        documents holding that value by date. A run of one needs none, unless it is the
        last, which may go on past the hits the first search brought."""
        top = self.searcher.search(
            query, offset + limit, count=count, order_by_field=field, order=tantivy.Order.Desc
        )
        cut = len(top.hits) == offset + limit
        hits: list[tuple[object, tantivy.DocAddress]] = []
        start = 0
        for value, run in itertools.groupby(top.hits, key=lambda hit: hit[0]):
            equal = list(run)
            end = start + len(equal)
            if end > offset:
                if len(equal) == 1 and not (cut and end == offset + limit):
                    hits += equal
                else:
                    same = all_of([query, Query.term_query(self.schema, field, value)])
                    skip = max(offset - start, 0)
                    newest = self.searcher.search(
                        same,
                        min(end, offset + limit) - start - skip,
                        count=False,
                        offset=skip,
                        order_by_field="when",
                        order=tantivy.Order.Desc,
                    )
                    hits += newest.hits
            start = end
        return Found(hits, top.count)

    def snippets(self, query: Query, docs: list[Document]) -> list[Passage | None]:
        """Each document's best passage and the query's words in it, with "…" where the
        body goes on; None where none of them is in the body."""
        generator = tantivy.SnippetGenerator.create(self.searcher, query, self.schema, "body")
        generator.set_max_num_chars(SNIPPET_CHARS)
        found: list[Passage | None] = []
        for doc in docs:
            piece = generator.snippet_from_doc(tantivy.Document(body=doc.body))
            spans = [(r.start, r.end) for r in piece.highlighted()]
            if not spans:
                found.append(None)
                continue
            fragment = piece.fragment()
            where = piece.fragment_range()
            before = "… " if where.start > 0 else ""
            after = " …" if where.end < len(doc.body.encode("utf-8").strip()) else ""
            matches = Passage(fragment, tuple(char_spans(fragment, spans)))
            found.append(joined([before, matches, after]))
        return found


@dataclass(frozen=True)
class Found:
    """Hits of a search (each its sort value or score, and its address), and how many
    documents matched when they were counted."""

    hits: list[tuple[object, tantivy.DocAddress]]
    count: int | None


class TantivyMatches:
    """A selection: its counts, and the query that ranks and exports it."""

    def __init__(
        self,
        snapshot: TantivySnapshot,
        matched: Query,
        passing: Query,
        total: int | None,
        counts: dict[str, dict[str, int]],
        articles: int | None,
    ) -> None:
        self._snapshot = snapshot
        self._matched = matched
        self._passing = passing
        self._articles = articles
        self._total = total
        self.counts = counts
        self.complete = True  # every match is counted: tantivy has no partial answer
        # The query each facet cut at its limit was counted over: its keys are counted apart.
        self.counted_over: dict[str, Query] = {}
        self._distinct: dict[str, int] = {}

    @property
    def total(self) -> int:
        """Counted with the facets, or else by the first page's search or on its own."""
        if self._total is None:
            self._total = self._snapshot.searcher.search(self._passing, 1, count=True).count
        return self._total

    def article_count(self) -> int:
        """Known from the facets, or estimated by tantivy (HyperLogLog, exact when
        small): at a million documents the estimate costs more than the rest."""
        if self._articles is None:
            found = self._snapshot._counts(self._passing, {}, {}, {"articles": "cardinality"})
            self._articles = found["articles"]
        return self._articles

    def ranked(
        self,
        sort: str,
        offset: int,
        limit: int,
        deadline: float | None = None,
        highlight: bool = True,
    ) -> tuple[list[tuple[Document, Passage | None]], bool]:
        """A page; past `deadline` nothing is marked, and the page says it is partial.

        Without facets the total is not known yet: the first page's search counts it,
        and a later page is counted first, as tantivy makes room for every hit up to the
        offset before it looks for any: it is never asked past the last hit, where a deep
        enough page would abort the process for want of memory."""
        snapshot = self._snapshot
        if self._total is None and not offset:
            found = snapshot.search(self._passing, sort, 0, limit, count=True)
            self._total = found.count
            docs = list(stored(snapshot.searcher, found.hits))
        else:
            docs = list(snapshot.hits(self._passing, self.total, sort, offset, limit))
        in_time = deadline is None or time.monotonic() <= deadline
        if not (highlight and in_time):
            return [(doc, None) for doc in docs], in_time
        return list(zip(docs, snapshot.snippets(self._matched, docs), strict=True)), True

    def documents(self, sort: str, limit: int) -> Iterator[Document]:
        return self._snapshot.hits(self._passing, self.total, sort, 0, limit)

    def distinct(self, facet: str) -> int:
        if facet not in self.counted_over:
            return len(self.counts.get(facet, {}))
        if facet not in self._distinct:
            self._distinct[facet] = self._snapshot.distinct(self.counted_over[facet], facet)
        return self._distinct[facet]

    def article_counts(self, article_ids: Collection[str]) -> dict[str, int]:
        if not article_ids or not self.total:
            return {}
        snapshot = self._snapshot
        among = any_term(snapshot.schema, "f_article", article_ids)
        found = snapshot.searcher.aggregate(
            all_of([self._passing, among]),
            {"a": {"terms": {"field": "f_article", "size": len(article_ids)}}},
        )
        return {b["key"]: int(b["doc_count"]) for b in found["a"]["buckets"]}
