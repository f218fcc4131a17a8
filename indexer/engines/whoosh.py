"""The Whoosh engine: the only module that imports `whoosh`.

One searcher is shared and refreshed when the index changes. Each facet is read
once per searcher into an array of key codes, one per document number, so a
selection lists the matching document numbers once and counts every facet with
array arithmetic, no per-document Python work; filters are boolean arrays, cached.
Ranking scores only the page, among the selected documents.
"""

from __future__ import annotations

import contextlib
import itertools
import multiprocessing
import multiprocessing.util
import re
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence, Sized
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import numpy as np
from whoosh import collectors, highlight, index, query, sorting
from whoosh.analysis import Filter, IDTokenizer
from whoosh.codec.whoosh3 import W3Codec
from whoosh.fields import DATETIME, ID, NUMERIC, STORED, FieldType, Schema
from whoosh.highlight import ContextFragmenter
from whoosh.index import LockError
from whoosh.util.times import long_to_datetime

from indexer.documents import ARTICLE, COMMENT, Document, fold_author, votes_rank, written_text
from indexer.engines.base import (
    Filters,
    IndexLocked,
    IndexMissing,
    IndexOutdated,
    PageWanted,
    cache_entries,
)
from indexer.engines.whoosh_analysis import StemmedText, term, unseen_words
from indexer.facets import COPIED, facet_keys
from indexer.processes import leave_with_parent
from indexer.query import (
    MAX_EXPANSIONS,
    SEARCH_FIELDS,
    TEXT_ALIASES,
    Group,
    Lexicon,
    Node,
    Not,
    Phrase,
    Word,
    edit_distance,
    nearest,
    parse,
    pattern_prefix,
    suggest,
)
from indexer.snippets import SNIPPET_CHARS, Passage, joined

SPELLING_FIELD = "spell_body"
NO_WORDS = Lexicon(tuple)  # a query compiled with no index at hand: fuzzy words find nothing
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
STORED_CHUNK = 64  # documents an export reads from the index at a time
# The sorts by a count, most first and ties newest first, and the column each reads.
COUNT_COLUMNS = {"votes": "vote_rank", "replies": "replies", "discussed": "thread_length"}
# Query field names that differ here: `copies:` takes a copy group.
FIELD_NAMES = TEXT_ALIASES | {"article": "article_id", "copies": "copy_group"}


def _writer_process_started(_: object) -> None:
    """In each of Whoosh's writing subprocesses, which are forked and so inherit the
    index's locks: end it with the indexer, so a killed indexer leaves no lock held."""
    parent = multiprocessing.parent_process()
    if parent is not None:
        leave_with_parent(parent.pid)


multiprocessing.util.register_after_fork(_writer_process_started, _writer_process_started)


def counted(
    documents: Mapping[str, Iterable[Document]], enough: int
) -> tuple[dict[str, Iterable[Document]], int]:
    """The same documents, and their number, counted no further than `enough`: of a
    source given as a generator, only the first are read ahead, and they come first."""
    ready: dict[str, Iterable[Document]] = {}
    count = 0
    for source, docs in documents.items():
        if isinstance(docs, Sized):
            ready[source] = docs
            count += len(docs)
        else:
            rest = iter(docs)
            first = list(itertools.islice(rest, max(enough - count, 0)))
            ready[source] = itertools.chain(first, rest)
            count += len(first)
    return ready, count


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


def writing_codec() -> W3Codec:
    """Whoosh's codec, without the shortest field length of each block of postings.

    Writing that length looks up every posting's document length (a file check for
    each posting of a field that keeps none): 15% of a batch's writing time. Searches
    read it only to bound a block's best score, and a length of 0 still bounds it, so
    the hits and their order are the same.
    """
    codec = W3Codec()
    codec.length_stats = False
    return codec


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
        source_url=STORED(),
        source=ID(stored=True),
        parent=STORED(),
        thread_length=NumberColumn(stored=True, sortable=True),
        signed=STORED(),
        signed_key=KeyColumn(sortable=True),
        signed_name=KeyColumn(sortable=True),
        quotes=STORED(),
        copy_group=ID(stored=True, sortable=True),
        site=ID(stored=True, sortable=True),
        votes=STORED(),
        stand_in=STORED(),
        replies=NumberColumn(stored=True, sortable=True),
        parent_author=STORED(),
        vote_rank=NumberColumn(bits=64, sortable=True),
        spell_body=ID(),  # SPELLING_FIELD: words of written_text, given as lists by to_fields
    )


class PassageFormatter(highlight.Formatter):
    """Gathers the best fragments as one `Passage` rather than as marked-up text."""

    between = " … "

    def format_fragment(self, fragment, replace=False) -> Passage:
        """The fragment's text and its matches: of matches starting together the longest,
        and none overlapping an earlier one, as Whoosh's own formatters mark them."""
        start = at = fragment.startchar
        spans = []
        matches = [token for token in fragment.matches if token.startchar is not None]
        for token in sorted(matches, key=lambda t: (t.startchar, t.startchar - t.endchar)):
            if token.startchar >= at:
                spans.append((token.startchar - start, token.endchar - start))
                at = token.endchar
        return Passage(fragment.text[start : max(fragment.endchar, at)], tuple(spans))

    def format(self, fragments, replace=False) -> Passage | None:
        """The fragments' passages joined by `between`; None without any."""
        passages = [self.format_fragment(fragment) for fragment in fragments]
        if not passages:
            return None
        pieces: list[Passage | str] = [passages[0]]
        for passage in passages[1:]:
            pieces += [self.between, passage]
        return joined(pieces)


def snippet(hit) -> Passage | None:
    """The hit's best passages and their matches; None when Whoosh cannot place them.

    Whoosh's highlighter fails on some tokens (digits from other scripts among
    them); a plain excerpt is better than a failed page.
    """
    try:
        return hit.highlights("body", top=2)
    except (TypeError, ValueError, IndexError, KeyError):
        return None


def to_fields(doc: Document, spelled: set[str] | None = None) -> dict:
    """The document as Whoosh fields.

    Did-you-mean and fuzzy words need each word of the titles, captions and bodies
    (`written_text`) in one live document, not in all:
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
        "source_url": doc.source_url,
        "source": doc.source,
        "parent": doc.parent,
        "thread_length": doc.thread_length,
        "replies": doc.replies,
        "signed": list(doc.signed),
        "signed_key": keys["signed"],
        "signed_name": doc.signed[0] if doc.signed else "",
        "quotes": list(doc.quotes),
        "copy_group": doc.copy_group,
        "site": doc.site,
        "vote_rank": votes_rank(doc),
        "parent_author": doc.parent_author,
        SPELLING_FIELD: unseen_words(written_text(doc), set() if spelled is None else spelled),
    }
    if doc.kind == ARTICLE:
        fields["title"] = doc.article_title
    if doc.votes is not None:
        fields["votes"] = doc.votes
    if doc.stand_in:
        fields["stand_in"] = True
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
        source_url=stored.get("source_url", ""),
        source=stored.get("source", ""),
        caption=stored.get("caption", ""),
        parent=stored.get("parent", ""),
        thread_length=stored.get("thread_length", 0),
        signed=tuple(stored.get("signed", ())),
        quotes=tuple(stored.get("quotes", ())),
        copy_group=stored.get("copy_group", ""),
        site=stored.get("site", ""),
        votes=stored.get("votes"),
        stand_in=stored.get("stand_in", False),
        replies=stored.get("replies", 0),
        parent_author=stored.get("parent_author", ""),
    )


def opened(generation: Path, readonly: bool = False) -> index.Index:
    """The index in `generation`, if it has the fields this version writes and reads, of
    the same types: into an index of other fields a document cannot be written, nor read
    back whole, and a field kept without its column cannot be sorted by.

    :raise IndexOutdated: for an index built with other fields.
    """
    ix = index.open_dir(str(generation), readonly=readonly)
    if field_types(ix.schema) != field_types(build_schema()):
        raise IndexOutdated.at(generation.parent)
    return ix


def field_types(schema: Schema) -> dict[str, type]:
    """Each field's type by name: a field kept as a column has a type of its own."""
    return {name: type(field) for name, field in schema.items()}


class WhooshStore:
    """The writing side: one generation folder of the index."""

    def __init__(self, generation: Path, create: bool = False) -> None:
        if create:
            self._ix = index.create_in(str(generation), build_schema())
        else:
            self._ix = opened(generation)

    def _writer(self, documents: int = 0):
        """A writer; for a large batch, one writing with two processes into segments
        of their own (about 1.9 times the documents per second of one), each sorting
        its postings in memory."""
        options = (
            {"procs": WRITER_PROCS, "multisegment": True, "limitmb": WRITER_POOL_MB}
            if documents >= PARALLEL_BATCH
            else {}
        )
        options["codec"] = writing_codec()
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
        self,
        documents: Mapping[str, Iterable[Document]],
        remove: Iterable[str] = (),
        appended: Collection[str] = (),
    ) -> None:
        documents, count = counted(documents, PARALLEL_BATCH)

        def change(writer) -> None:
            for source in remove:
                writer.delete_by_term("source", source)
            for source, docs in documents.items():
                if source not in appended:
                    writer.delete_by_term("source", source)
                spelled: set[str] = set()
                for doc in docs:
                    if source in appended:  # every copy of the id: update_document takes one
                        writer.delete_by_term("id", doc.id)
                    writer.add_document(**to_fields(doc, spelled))

        self._write(count, change)

    def close(self) -> None:
        """Nothing to do: every commit is whole when it returns."""

    def publish(self) -> None:
        """Nothing to do: readers follow the index folder's pointer."""

    def generation(self) -> int:
        return self._ix.latest_generation()

    def comment_bodies(self) -> Iterator[tuple[str, str, str]]:
        with self._ix.searcher() as searcher:
            for stored in searcher.all_stored_fields():
                if stored.get("kind") == COMMENT:
                    yield stored["id"], stored.get("body", ""), stored.get("copy_group", "")

    def set_copy_groups(self, groups: Mapping[str, str]) -> None:
        def change(writer) -> None:
            with self._ix.searcher() as searcher:
                for doc_id, group in groups.items():
                    stored = searcher.document(id=doc_id)
                    if stored is not None:
                        doc = replace(from_stored(stored), copy_group=group)
                        writer.update_document(**to_fields(doc))

        self._write(len(groups), change)

    def article_documents(
        self, article_ids: Collection[str], kind: str | None = None
    ) -> Iterator[Document]:
        """An article's document has the article's id as its own: one term to look up
        for the articles alone, where asking for the kind would walk every article's
        posting."""
        field = "id" if kind == ARTICLE else "article_id"
        with self._ix.searcher() as searcher:
            for article in sorted(article_ids):
                for stored in searcher.documents(**{field: article}):
                    if kind is None or stored["kind"] == kind:
                        yield from_stored(stored)


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
        return opened(self._generation, readonly=True).searcher()

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


class NumberWildcard(query.Wildcard):
    """A wildcard over the numbers a numeric field holds, as they are written
    (`year:201*`): the field's terms are sortable bytes, which no pattern matches."""

    def _btexts(self, ixreader):
        field = ixreader.schema[self.fieldname]
        written = re.compile(self._get_pattern())
        return (
            raw
            for raw in ixreader.lexicon(self.fieldname)
            if written.match(str(field.from_bytes(raw)))
        )


def compile_query(schema: Schema, text: str, lexicon: Lexicon = NO_WORDS) -> query.Query:
    """The query string as a Whoosh query: the tree `indexer.query.parse` makes, read
    as the tantivy engine reads it, every wildcard and fuzzy term bounded; a fuzzy word
    in text stands for the stems of the `lexicon`'s words within its edits.

    :raise QuerySyntaxError: when `indexer.query.syntax_problem` finds something wrong.
    """
    if not text.strip():
        return query.Every()
    compiled = compile_node(schema, parse(text), None, lexicon)
    return query.NullQuery if compiled is None else bounded_expansions(compiled)


def compile_node(
    schema: Schema, node: Node, field: str | None, lexicon: Lexicon
) -> query.Query | None:
    """A query for one node of the tree; None for one that holds no searchable word (a
    stop word), which its group then leaves out. A group's exclusions are taken from
    its other items, or from every document when it has none."""
    if isinstance(node, Group):
        if node.op == "or":
            items = (compile_node(schema, item, field, lexicon) for item in node.items)
            return combined(query.Or, items)
        kept = [item for item in node.items if not isinstance(item, Not)]
        excluded = [item.node for item in node.items if isinstance(item, Not)]
        wanted = combined(query.And, (compile_node(schema, item, field, lexicon) for item in kept))
        unwanted = combined(
            query.Or, (compile_node(schema, item, field, lexicon) for item in excluded)
        )
        if unwanted is None:
            return wanted
        return query.AndNot(query.Every() if wanted is None else wanted, unwanted)
    if isinstance(node, Not):
        inner = compile_node(schema, node.node, field, lexicon)
        return None if inner is None else query.Not(inner)
    name = node.field or field
    if name is None:
        leaves = [compile_leaf(schema, node, target, lexicon) for target in SEARCH_FIELDS]
        return combined(query.Or, leaves)
    return compile_leaf(schema, node, name, lexicon)


def combined(
    kind: type[query.CompoundQuery], queries: Iterable[query.Query | None]
) -> query.Query | None:
    """The queries there are, each once, joined by `kind` (`query.And`, `query.Or`);
    one alone; None for none. A word written twice is read once, and scored once."""
    present = list(dict.fromkeys(found for found in queries if found is not None))
    if len(present) > 1:
        return kind(present)
    return present[0] if present else None


def compile_leaf(
    schema: Schema, node: Word | Phrase, name: str, lexicon: Lexicon
) -> query.Query | None:
    """A word or phrase in one field, analysed as the field analyses what it indexes:
    stemmed for text, folded for authors, as written for the other values; several
    words of text make a phrase, a stop word nothing. A pattern in text is only
    lower-cased: stemming would rewrite it (`russ?s` as `russ?`)."""
    fieldname = FIELD_NAMES.get(name, name)
    field = schema[fieldname]
    pattern = isinstance(node, Word) and node.pattern
    edits = node.edits if isinstance(node, Word) else 0
    if isinstance(field, NUMERIC):
        return number_query(field, fieldname, node.text, pattern)
    if pattern:
        text = node.text.lower() if fieldname in SEARCH_FIELDS else whole(field, node.text)
        prefix = pattern_prefix(text)
        if prefix is None:
            return query.Wildcard(fieldname, text)
        return query.Prefix(fieldname, prefix)
    if edits and fieldname in SEARCH_FIELDS:
        stems = dict.fromkeys(
            filter(None, map(term, lexicon.within(node.text, edits, node.nearest)))
        )
        return (
            combined(query.Or, (query.Term(fieldname, stem) for stem in stems)) or query.NullQuery
        )
    if edits:
        value = whole(field, node.text)
        return query.FuzzyTerm(fieldname, value, maxdist=edits, prefixlength=0)
    if fieldname not in SEARCH_FIELDS:
        return query.Term(fieldname, whole(field, node.text))
    terms = list(field.process_text(node.text, mode="query"))
    if len(terms) > 1:
        return query.Phrase(fieldname, terms)
    return query.Term(fieldname, terms[0]) if terms else None


def whole(field: FieldType, text: str) -> str:
    """The text as the field indexes it as one token: folded for an author, lower-cased
    and stemmed for text (a stop word kept), as written for an id."""
    return next(field.process_text(text, mode="query", tokenize=False, removestops=False), text)


def number_query(field: NUMERIC, fieldname: str, text: str, pattern: bool) -> query.Query:
    """The number as the field's sortable bytes, or the numbers a pattern matches. A
    fuzzy number is the number itself; a text that is no number finds nothing."""
    if pattern:
        return NumberWildcard(fieldname, text)
    if not field.is_valid(text):
        return query.NullQuery
    return query.Term(fieldname, field.to_bytes(text))


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

    def count(
        self, docnums: np.ndarray, limit: int, chosen: Collection[str]
    ) -> tuple[dict[str, int], int]:
        """Documents per key among `docnums`: the keys as frequent as the `limit`-th
        most frequent or more (ties kept whole), and the chosen ones; and how many keys
        there are among them in all."""
        counts = np.bincount(self.codes[docnums], minlength=len(self.keys))
        counts[0] = 0
        present = np.flatnonzero(counts)
        distinct = len(present)
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
        return found, distinct


@dataclass(frozen=True)
class Columns:
    """Every facet's column, each document's date as a day number, and labels."""

    facets: dict[str, Column]
    days: np.ndarray  # YYYYMMDD of the own-or-article date; 0 without one
    labels: dict[str, dict[str, str]]
    live: np.ndarray  # the document numbers not deleted, in order


class WhooshSnapshot:
    """One searcher's view of the index: document numbers stay valid within it.

    Whoosh's readers share their files' positions between threads, so two threads
    reading at once can read each other's bytes: every read of the index, and every
    use of the caches, holds `_lock`.
    """

    def __init__(self, searcher) -> None:
        self.searcher = searcher
        self._lock = threading.RLock()
        self._columns: Columns | None = None
        self._matches: OrderedDict[str, np.ndarray] = OrderedDict()
        self._masks: OrderedDict[tuple[str, frozenset[str]], np.ndarray] = OrderedDict()
        self._lexicon = Lexicon(self._words)

    def doc_count(self) -> int:
        return self.searcher.doc_count()

    def parse(self, text: str) -> query.Query:
        return compile_query(self.searcher.schema, text, self._lexicon)

    def _words(self) -> list[str]:
        with self._lock:
            return [raw.decode("utf-8") for raw in self.searcher.reader().lexicon(SPELLING_FIELD)]

    def suggest(self, text: str, deadline: float | None = None) -> str | None:
        """Did-you-mean from the unstemmed words (`written_text`): of the words close
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

        with self._lock:
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
        chunks = []
        with self._lock:
            found = self.searcher.docs_for_query(parsed)
            while len(chunk := np.fromiter(itertools.islice(found, DEADLINE_CHECK_EVERY), int)):
                chunks.append(chunk)
                if deadline is not None and time.monotonic() > deadline:
                    return np.concatenate(chunks), False
            docnums = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int64)
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
        page: PageWanted | None = None,
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
        counts, distinct = {}, {}
        for name, limit in facets.items():
            keep = passing
            if name in masks:
                keep = np.ones(len(docnums), dtype=bool)
                for other, mask in masks.items():
                    if other != name:
                        keep &= mask
            chosen = active.get(name, ())
            counts[name], distinct[name] = columns.facets[name].count(docnums[keep], limit, chosen)
        filtered = bool(active) or bool(filters.after or filters.before) or not complete
        return WhooshMatches(self, text, docnums[passing], counts, distinct, complete, filtered)

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
        sortedby, reverse = None, False
        if sort in ("newest", "oldest", *COUNT_COLUMNS):
            # Every order but "oldest" is an ascending one read backwards: Whoosh reverses
            # a text column by looking each value up in a list of them all, per hit.
            reverse = sort != "oldest"
            keys = [COUNT_COLUMNS[sort]] if sort in COUNT_COLUMNS else []
            keys += ["sort_date", "article_id", "position"]
            sortedby = sorting.MultiFacet([sorting.FieldFacet(key) for key in keys])
        parsed = self.parse(text)
        # A wildcard's or fuzzy term's hits are highlighted from the terms each matched,
        # recorded while collecting; Whoosh would otherwise expand the term again for
        # every hit. Other queries highlight their own words, and collect faster.
        expands = any(isinstance(leaf, query.MultiTerm) for leaf in parsed.leaves())
        collector = self.searcher.collector(
            limit=limit, sortedby=sortedby, reverse=reverse, terms=expands
        )
        if deadline is not None:
            seconds = max(deadline - time.monotonic(), 0.001)
            collector = collectors.TimeLimitCollector(collector, seconds, use_alarm=False)
        if allow is not None:
            # The filter goes outermost: TimeLimitCollector hands documents straight to
            # its child, so a filter inside it would never see them.
            collector = collectors.FilterCollector(collector, allow=allow)
        try:
            with self._lock:
                self.searcher.search_with_collector(parsed, collector)
        except collectors.TimeLimit:
            return collector.results(), False
        return collector.results(), True

    def thread(self, article_id: str) -> list[Document]:
        with self._lock:
            results = self.searcher.search(
                query.Term("article_id", article_id), limit=None, sortedby="position"
            )
            return [from_stored(hit.fields()) for hit in results]

    def stored(self, hits: Iterable) -> Iterator[Document]:
        """The hits' documents, read a few at a time under the lock, which is not held
        while the caller works on them (an export writing its rows)."""
        hits = iter(hits)
        while True:
            with self._lock:
                chunk = [from_stored(hit.fields()) for hit in itertools.islice(hits, STORED_CHUNK)]
            if not chunk:
                return
            yield from chunk


class WhooshMatches:
    """A selection: the selected document numbers, counted; ranked on demand."""

    def __init__(
        self,
        snapshot: WhooshSnapshot,
        text: str,
        docnums: np.ndarray,
        counts: dict[str, dict[str, int]],
        distinct: dict[str, int],
        complete: bool,
        filtered: bool,
    ) -> None:
        self._snapshot = snapshot
        self._text = text
        self._docnums = docnums
        self._distinct = distinct
        self._filtered = filtered
        self._article_count: int | None = None
        self.total = len(docnums)
        self.counts = counts
        self.complete = complete

    def article_count(self) -> int:
        """Counted when first asked: few pages show it, and on a large selection it costs
        a sort of every selected document's article."""
        if self._article_count is None:
            codes = self._snapshot.columns().facets["article"].codes[self._docnums]
            self._article_count = int(np.count_nonzero(np.unique(codes)))
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
    ) -> tuple[list[tuple[Document, Passage | None]], bool]:
        if not self.total:
            return [], True
        results, complete = self._snapshot.results(
            self._text, self._allow(), sort, offset + limit, deadline
        )
        results.fragmenter = ContextFragmenter(maxchars=SNIPPET_CHARS, surround=60)
        results.formatter = PassageFormatter()
        page = []
        with self._snapshot._lock:
            for hit in results[offset : offset + limit]:
                doc = from_stored(hit.fields())
                page.append((doc, snippet(hit) if highlight else None))
        return page, complete

    def documents(self, sort: str, limit: int) -> Iterator[Document]:
        if not self.total:
            return iter(())
        results, _ = self._snapshot.results(self._text, self._allow(), sort, limit)
        return self._snapshot.stored(results)

    def article_counts(self, article_ids: Collection[str]) -> dict[str, int]:
        column = self._snapshot.columns().facets["article"]
        return column.count(self._docnums, 0, article_ids)[0]

    def distinct(self, facet: str) -> int:
        return self._distinct[facet]


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
        "copies": [COPIED if group else "" for group in column("copy_group")],
        "site": column("site"),
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
