"""The engines Hubbub is measured against, each used the way its documentation shows.

Every peer indexes the same fields (id, kind, author, date, year, body) of the same
documents, stems English, ANDs the words of a query, and returns the exact number of
hits with the top 10 by relevance. None of them does what Hubbub does beyond that
(titles, captions, threads, redaction, did-you-mean).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

import tantivy
import urllib3
from whoosh import index, sorting
from whoosh.analysis import StemmingAnalyzer
from whoosh.fields import DATETIME, ID, TEXT, Schema
from whoosh.qparser import FuzzyTermPlugin, QueryParser
from whoosh.query import DateRange, Term

from bench.adapter import (
    AUTHOR,
    DATES,
    FACETS,
    FUZZY,
    HIGHLIGHTS,
    KINDS,
    TOP,
    TOP_AUTHORS,
    Answer,
    Query,
)
from indexer.documents import fold_author
from indexer.engines.solr import SolrTarget
from indexer.engines.solr_cluster import SolrCluster, configset_name
from indexer.records import Article


@dataclass(frozen=True)
class Row:
    """One document as the peers store it."""

    id: str
    kind: str
    author: str
    date: datetime
    body: str


def rows(articles: Sequence[Article]) -> Iterator[Row]:
    for article in articles:
        yield Row(article.key, "article", article.byline or "", article.date, article.body)
        for comment in article.comments:
            yield Row(
                f"{article.key}-{comment.key}",
                "comment",
                comment.author,
                comment.date or article.date,
                comment.body,
            )


def day_bounds(query: Query) -> tuple[datetime, datetime]:
    """The query's date range as datetimes, both days included."""
    low = query.after or date.min
    high = query.before or date.max
    return datetime.combine(low, time.min), datetime.combine(high, time.max)


def top_authors(counts: dict[str, int]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda item: -item[1])[:TOP_AUTHORS]


class PlainWhoosh:
    """Whoosh as its documentation shows it: default writer, a new searcher per query,
    facets by `groupedby`, snippets by `hit.highlights`, `word~1` by the parser's fuzzy
    plugin. The baseline of the report."""

    name = "Whoosh (plain)"
    kinds = KINDS

    def __init__(self) -> None:
        self._ix = None

    @staticmethod
    def schema() -> Schema:
        return Schema(
            id=ID(stored=True, unique=True),
            kind=ID(stored=True),
            author=ID(stored=True, sortable=True),
            date=DATETIME(stored=True, sortable=True),
            year=ID(sortable=True),
            body=TEXT(analyzer=StemmingAnalyzer(), stored=True),
        )

    def build(self, articles: Sequence[Article], folder: Path) -> None:
        folder.mkdir(parents=True)
        ix = index.create_in(str(folder), self.schema())
        writer = ix.writer()
        for row in rows(articles):
            writer.add_document(
                id=row.id,
                kind=row.kind,
                author=row.author,
                date=row.date,
                year=str(row.date.year),
                body=row.body,
            )
        writer.commit()

    def open(self, folder: Path) -> None:
        self._ix = index.open_dir(str(folder))
        self._parser = QueryParser("body", self._ix.schema)
        self._parser.add_plugin(FuzzyTermPlugin())

    def query(self, query: Query) -> Answer:
        parsed = self._parser.parse(query.text)
        restrict = None
        if query.kind == AUTHOR:
            restrict = Term("author", query.author)
        elif query.kind == DATES:
            restrict = DateRange("date", *day_bounds(query))
        groups = None
        if query.kind == FACETS:
            groups = {
                "author": sorting.FieldFacet("author", maptype=sorting.Count),
                "year": sorting.FieldFacet("year", maptype=sorting.Count),
            }
        with self._ix.searcher() as searcher:
            results = searcher.search(parsed, limit=TOP, filter=restrict, groupedby=groups)
            ids = tuple(hit["id"] for hit in results)
            extras = 0
            if query.kind == FACETS:
                extras = len(top_authors(results.groups("author"))) + len(results.groups("year"))
            elif query.kind == HIGHLIGHTS:
                extras = sum(1 for hit in results if hit.highlights("body"))
            return Answer(len(results), ids, extras)

    def close(self) -> None:
        if self._ix is not None:
            self._ix.close()


SQLITE_SCHEMA = """
CREATE TABLE docs (rowid INTEGER PRIMARY KEY, id TEXT, kind TEXT, author TEXT, date TEXT,
                   year INTEGER, body TEXT);
CREATE VIRTUAL TABLE fts USING fts5(body, content='docs', content_rowid='rowid',
                                    tokenize='porter unicode61');
"""


class SqliteFts:
    """SQLite FTS5 from Python's sqlite3: a table of documents, an external-content FTS5
    index over their bodies, bm25 ranking, `snippet()`, and facets by GROUP BY. FTS5 has
    no fuzzy match."""

    name = "SQLite FTS5"
    kinds = tuple(kind for kind in KINDS if kind != FUZZY)

    def __init__(self) -> None:
        self._db: sqlite3.Connection | None = None

    def build(self, articles: Sequence[Article], folder: Path) -> None:
        folder.mkdir(parents=True)
        db = sqlite3.connect(folder / "bench.db")
        db.executescript(SQLITE_SCHEMA)
        with db:
            db.executemany(
                "INSERT INTO docs (id, kind, author, date, year, body) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    (r.id, r.kind, r.author, r.date.isoformat(), r.date.year, r.body)
                    for r in rows(articles)
                ),
            )
            db.execute("INSERT INTO fts (rowid, body) SELECT rowid, body FROM docs")
        db.close()

    def open(self, folder: Path) -> None:
        self._db = sqlite3.connect(folder / "bench.db", check_same_thread=False)

    def query(self, query: Query) -> Answer:
        match = " AND ".join(query.text.split())
        where, params = "fts MATCH ?", [match]
        if query.kind == AUTHOR:
            where, params = where + " AND docs.author = ?", [match, query.author]
        elif query.kind == DATES:
            low, high = day_bounds(query)
            where += " AND docs.date BETWEEN ? AND ?"
            params = [match, low.isoformat(), high.isoformat()]
        joined = f"FROM fts JOIN docs ON docs.rowid = fts.rowid WHERE {where}"
        db = self._db
        total = db.execute(f"SELECT count(*) {joined}", params).fetchone()[0]
        snippet = (
            ", snippet(fts, 0, '<mark>', '</mark>', '…', 24)" if (query.kind == HIGHLIGHTS) else ""
        )
        top = db.execute(
            f"SELECT docs.id{snippet} {joined} ORDER BY fts.rank LIMIT {TOP}", params
        ).fetchall()
        extras = sum(1 for row in top if row[-1]) if snippet else 0
        if query.kind == FACETS:
            matching = "SELECT rowid FROM fts WHERE fts MATCH ?"
            authors = db.execute(
                f"SELECT author, count(*) AS n FROM docs WHERE rowid IN ({matching}) "
                f"GROUP BY author ORDER BY n DESC LIMIT {TOP_AUTHORS}",
                [match],
            ).fetchall()
            years = db.execute(
                f"SELECT year, count(*) FROM docs WHERE rowid IN ({matching}) GROUP BY year",
                [match],
            ).fetchall()
            extras = len(authors) + len(years)
        return Answer(total, tuple(row[0] for row in top), extras)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()


TANTIVY_HEAP = 256_000_000


class Tantivy:
    """tantivy-py 0.27 as its README shows it: a writer with a heap, `parse_query`,
    `searcher.search(count=True)`, facets by `searcher.aggregate` (terms aggregations on
    fast fields), snippets by `SnippetGenerator` and `word~1` by `fuzzy_term_query`, which
    the query language lacks. The writer uses its default threads."""

    name = "tantivy"
    kinds = KINDS

    def __init__(self) -> None:
        self._ix: tantivy.Index | None = None

    @staticmethod
    def schema() -> tantivy.Schema:
        builder = tantivy.SchemaBuilder()
        builder.add_text_field("id", stored=True, tokenizer_name="raw")
        builder.add_text_field("kind", stored=True, tokenizer_name="raw")
        builder.add_text_field("author", stored=True, fast=True, tokenizer_name="raw")
        builder.add_date_field("date", stored=True, indexed=True, fast=True)
        builder.add_integer_field("year", indexed=True, fast=True)
        builder.add_text_field("body", stored=True, tokenizer_name="en_stem")
        return builder.build()

    def build(self, articles: Sequence[Article], folder: Path) -> None:
        folder.mkdir(parents=True)
        ix = tantivy.Index(self.schema(), path=str(folder))
        writer = ix.writer(TANTIVY_HEAP)
        for row in rows(articles):
            writer.add_document(
                tantivy.Document(
                    id=row.id,
                    kind=row.kind,
                    author=row.author,
                    date=row.date,
                    year=row.date.year,
                    body=row.body,
                )
            )
        writer.commit()
        writer.wait_merging_threads()

    def open(self, folder: Path) -> None:
        self._ix = tantivy.Index.open(str(folder))
        self._schema = self._ix.schema

    def parse(self, query: Query) -> tantivy.Query:
        if query.text.endswith("*"):
            # The query language has no single-term prefix; a regex on the terms is one.
            return tantivy.Query.regex_query(self._schema, "body", query.text[:-1] + ".*")
        if query.kind == FUZZY:
            word, edits = query.text.split("~")
            return tantivy.Query.fuzzy_term_query(
                self._schema, "body", word.lower(), distance=int(edits)
            )
        parsed = self._ix.parse_query(query.text, ["body"], conjunction_by_default=True)
        if query.kind == AUTHOR:
            term = tantivy.Query.term_query(self._schema, "author", query.author)
            return self.both(parsed, term)
        if query.kind == DATES:
            low, high = day_bounds(query)
            span = tantivy.Query.range_query(
                self._schema, "date", tantivy.FieldType.Date, low, high
            )
            return self.both(parsed, span)
        return parsed

    @staticmethod
    def both(first: tantivy.Query, second: tantivy.Query) -> tantivy.Query:
        return tantivy.Query.boolean_query(
            [(tantivy.Occur.Must, first), (tantivy.Occur.Must, second)]
        )

    def query(self, query: Query) -> Answer:
        searcher = self._ix.searcher()
        parsed = self.parse(query)
        result = searcher.search(parsed, TOP, count=True)
        docs = [searcher.doc(address) for _, address in result.hits]
        extras = 0
        if query.kind == FACETS:
            facets = searcher.aggregate(
                parsed,
                {
                    "author": {"terms": {"field": "author", "size": TOP_AUTHORS}},
                    "year": {"terms": {"field": "year", "size": 100}},
                },
            )
            extras = sum(len(facet["buckets"]) for facet in facets.values())
        elif query.kind == HIGHLIGHTS:
            snippets = tantivy.SnippetGenerator.create(searcher, parsed, self._schema, "body")
            extras = sum(1 for doc in docs if snippets.snippet_from_doc(doc).to_html())
        return Answer(result.count, tuple(doc["id"][0] for doc in docs), extras)

    def close(self) -> None:
        self._ix = None


SOLR_SHARDS = 2
SOLR_REPLICAS = 1
SOLR_BATCH = 2_000  # rows per update request, as many as the Solr engine sends
SOLR_POINTER = "collection.json"


def solr_row(row: Row) -> dict[str, str]:
    """A row in the configset's fields, each holding what the Solr engine puts there:
    the case-folded author, the ISO day and the year as strings. Empty values are left
    out, as the engine leaves them out."""
    values = {
        "id": row.id,
        "f_kind": row.kind,
        "f_author": fold_author(row.author),
        "f_date": row.date.date().isoformat(),
        "f_year": str(row.date.year),
        "body": row.body,
    }
    return {name: value for name, value in values.items() if value}


class RawSolr:
    """Solr over HTTP with urllib3, as its reference guide shows it, on the SolrCloud
    HUBBUB_SOLR names and with Hubbub's own configset (the same analysis and fields):
    a collection of two shards and one replica; rows posted as JSON to `/update` in
    batches, then one commit; one `/select` per query: the standard parser on `body`
    with `q.op=AND` (a prefix as `gov*`, a fuzzy word as `govrnment~1`), filters as `fq`
    (a term query on f_author, a range on f_date), JSON Facet API terms facets, the
    unified highlighter. Each hit
    comes back whole (Solr's default `fl`), as the other peers read their hits'
    documents and as a page of results needs them. Requests go to the nodes in turn,
    like a load-balancing client; keep-alive connections."""

    name = "Solr"
    kinds = KINDS

    def __init__(self) -> None:
        self._pool = urllib3.PoolManager(maxsize=4, retries=False)
        self._urls: tuple[str, ...] = ()
        self._turn = itertools.count()
        self._collection = ""

    def _node(self) -> str:
        return self._urls[next(self._turn) % len(self._urls)]

    def _call(self, method: str, path: str, **options: object) -> dict:
        response = self._pool.request(method, f"{self._node()}/{self._collection}{path}", **options)
        if response.status != 200:
            raise RuntimeError(f"Solr answered {response.status}: {response.data[:500]!r}")
        return json.loads(response.data)

    def _connect(self) -> None:
        self._urls = SolrTarget().with_environment().urls
        if not self._urls:
            raise RuntimeError("Set HUBBUB_SOLR to the addresses of the SolrCloud's nodes.")

    def build(self, articles: Sequence[Article], folder: Path) -> None:
        folder.mkdir(parents=True)
        self._connect()
        where = str(folder.resolve()).encode("utf-8")
        self._collection = f"bench-solr-{hashlib.sha1(where).hexdigest()[:10]}"
        cluster = SolrCluster(self._urls)
        configset = configset_name()
        cluster.ensure_configset(configset)
        if self._collection in cluster.collections():
            cluster.delete_collection(self._collection)
        cluster.create_collection(self._collection, configset, SOLR_SHARDS, SOLR_REPLICAS)
        (folder / SOLR_POINTER).write_text(json.dumps({"collection": self._collection}))
        batch: list[dict[str, str]] = []
        for row in rows(articles):
            batch.append(solr_row(row))
            if len(batch) == SOLR_BATCH:
                self._post(batch)
                batch = []
        if batch:
            self._post(batch)
        self._post({"commit": {}})

    def _post(self, body: object) -> None:
        self._call(
            "POST",
            "/update",
            body=json.dumps(body).encode("utf-8"),
            headers={"Content-Type": "application/json"},
        )

    def open(self, folder: Path) -> None:
        self._connect()
        self._collection = json.loads((folder / SOLR_POINTER).read_text())["collection"]

    @staticmethod
    def params(query: Query) -> list[tuple[str, str]]:
        """The one request's parameters for a query of the mix."""
        params = [
            ("q", query.text),
            ("defType", "lucene"),
            ("df", "body"),
            ("q.op", "AND"),
            ("rows", str(TOP)),
        ]
        if query.kind == AUTHOR:
            params.append(("fq", "{!term f=f_author}" + fold_author(query.author or "")))
        elif query.kind == DATES:
            low = f'"{query.after.isoformat()}"' if query.after else "*"
            high = f'"{query.before.isoformat()}"' if query.before else "*"
            params.append(("fq", f"f_date:[{low} TO {high}]"))
        elif query.kind == FACETS:
            facets = {
                "author": {"type": "terms", "field": "f_author", "limit": TOP_AUTHORS},
                "year": {"type": "terms", "field": "f_year", "limit": 100},
            }
            params.append(("json.facet", json.dumps(facets)))
        elif query.kind == HIGHLIGHTS:
            params += [("hl", "true"), ("hl.method", "unified"), ("hl.fl", "body")]
        return params

    def query(self, query: Query) -> Answer:
        answer = self._call("GET", "/select", fields=self.params(query))
        ids = tuple(str(doc["id"]) for doc in answer["response"]["docs"])
        extras = 0
        if query.kind == FACETS:
            found = answer.get("facets", {})
            extras = sum(len(found.get(name, {}).get("buckets", [])) for name in ("author", "year"))
        elif query.kind == HIGHLIGHTS:
            lit = answer.get("highlighting", {})
            extras = sum(1 for id_ in ids if (lit.get(id_) or {}).get("body"))
        return Answer(int(answer["response"]["numFound"]), ids, extras)

    def close(self) -> None:
        self._pool.clear()
