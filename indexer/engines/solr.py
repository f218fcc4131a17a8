"""The Solr engine: an archive's index in a SolrCloud collection.

The index folder keeps what it keeps for every engine (CURRENT, the generations, each
generation's manifest), and each generation holds `solr.json`, the pointer to its
collection: the nodes' addresses, the collection and the alias readers search. A
rebuild fills a new collection and then points the alias at it, in one step for
every reader of the cluster; the collection before it is kept until the next
rebuild, as the folder keeps the generation before the live one.

A query is the query string's tree from `indexer.query` compiled to Solr's standard
syntax; facets are JSON Facet API terms facets, each chosen facet counted with its
own filter left out (`excludeTags`); passages come from the unified highlighter and
did-you-mean from the spellcheck component. Documents are stored as JSON, never
anything a server could make run as code.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import re
import threading
import time
import zlib
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime
from pathlib import Path

from indexer.documents import ARTICLE, COMMENT, Document, fold_author, votes_rank
from indexer.engines.base import Filters, IndexMissing, IndexOutdated, PageWanted
from indexer.engines.solr_cluster import SolrCluster, SolrError, configset_name
from indexer.facets import facet_keys
from indexer.layout import write_atomically
from indexer.query import (
    MAX_EXPANSIONS,
    MAX_SUGGESTED_WORDS,
    OPERATORS,
    SEARCH_FIELDS,
    SUGGESTABLE_WORD,
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
from indexer.snippets import SNIPPET_CHARS, Passage

POINTER = "solr.json"
SOLR_ENVIRONMENT = "HUBBUB_SOLR"  # node addresses, separated by spaces or commas
TITLE_BOOST = 2
MAX_BUCKETS = 100_000
# Keys each shard sends beyond a facet's limit. A key among the top across shards may
# rank lower on every shard alone; Solr's default (limit × 1.1 + 4) missed such keys in
# 16 of 20 searches of 100,000 documents, 200 in 1 (a tie at the cut).
OVERREQUEST = 200
ADD_CHUNK = 2_000  # documents per update request
DELETE_CHUNK = 256  # sources per delete-by-query
PAGE_ROWS = 2_000  # documents per request when reading many
WRITE_RETRY_SECONDS = 120.0  # a write waits this long for a shard to have a leader again
SNAPSHOT_SECONDS = 5.0  # a reader sees other writers' commits after this at most
LABEL_SECONDS = 60.0
KEPT_EXPANSIONS = 10_000  # wildcard patterns a reader keeps the terms of, at most
PRIMED_LABELS = 200  # the keys with most documents, labelled with the first lookup
MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"  # around matches in highlighted text
MISSING_DATE = "~"  # after every date: undated documents sort as the latest
MAIN_TAG, DATES_TAG = "main", "dates"  # how facets name the query and the date filter
STABLE_REPLICAS = ("shards.preference", "replica.base:stable:hash:q")  # one query, one replica
MAX_SOLR_INT = 2**31 - 1
# A page without snippets down to this many hits is fetched in one pass: each shard
# sends its top hits with their fields at once, rather than their ids first and the
# page's fields in a second round. That round cost some 0.9 ms of a 2.8 ms search at
# 100,000 documents. Deeper pages would have every shard send every hit above them
# whole, and snippets would be made for every shard's top hits, not the page's alone:
# 1 ms more than the round saves.
SINGLE_PASS_HITS = 100
TEXT_FIELDS = {name: name for name in SEARCH_FIELDS} | TEXT_ALIASES
VALUE_FIELD_NAMES = {name: f"f_{name}" for name in VALUE_FIELDS} | {"copies": "copy_group"}
LABEL_FIELDS = {"author": "author_name", "signed": "signed_name", "article": "article_title"}
# Equal scores come back in the order of the replica that answered: every request for
# a page of one query goes to the same replicas (STABLE_REPLICAS), so that its pages
# never overlap. The other sorts end in the unique key.
UNIQUE_LAST = "id asc"
SORTS = {
    "relevance": "score desc",
    "newest": "sort_when desc,f_article desc,position desc,id desc",
    "oldest": "sort_when asc,f_article asc,position asc,id asc",
    "position": "position asc,id asc",
    "votes": "vote_rank desc,sort_when desc,f_article desc,position desc,id desc",
    "replies": "replies desc,sort_when desc,f_article desc,position desc,id desc",
    "discussed": "thread_length desc,sort_when desc,f_article desc,position desc,id desc",
}
SPECIAL = re.compile(r'([+\-!(){}\[\]^"~*?:\\/&|\s])')
SEARCHABLE = re.compile(r"[^\W_]")
EVERYTHING = "*:*"
NOTHING = "-*:*"

DOCUMENT_NAMES = tuple(f.name for f in fields(Document))
DATE_NAMES = ("date", "article_date")
LIST_NAMES = ("signed", "quotes")
DOCUMENT_LAYOUT = zlib.crc32(" ".join(DOCUMENT_NAMES).encode("utf-8"))


@dataclass(frozen=True)
class SolrTarget:
    """Where a new Solr index goes: nodes of one SolrCloud, the alias readers search
    (by default named after the index folder), and the shape of new collections."""

    urls: tuple[str, ...] = ()
    collection: str = ""
    shards: int = 1
    replicas: int = 1

    def with_environment(self) -> SolrTarget:
        """This target, its nodes taken from HUBBUB_SOLR when none are named."""
        if self.urls:
            return self
        found = os.environ.get(SOLR_ENVIRONMENT, "").replace(",", " ").split()
        return replace(self, urls=tuple(found))


def default_alias(index_dir: Path) -> str:
    """An alias for an index folder: its name, and a hash of where it is, so that two
    folders never share a collection."""
    where = str(Path(index_dir).resolve())
    slug = re.sub(r"[^a-z0-9]+", "-", Path(where).name.lower()).strip("-") or "index"
    return f"hubbub-{slug[:40]}-{hashlib.sha1(where.encode('utf-8')).hexdigest()[:8]}"


VALID_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


@dataclass
class SolrPointer:
    """What a generation folder holds of a Solr index: where its collection is."""

    urls: list[str]
    alias: str
    collection: str
    configset: str
    commits: int = 0
    shards: int = 1
    replicas: int = 1

    @classmethod
    def load(cls, generation: Path) -> SolrPointer:
        try:
            data = json.loads((generation / POINTER).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise IndexMissing(f"No Solr collection is named in {generation}.") from None
        return cls(**{f.name: data[f.name] for f in fields(cls) if f.name in data})

    def save(self, generation: Path) -> None:
        write_atomically(generation / POINTER, json.dumps(vars(self), indent=1))


def encode(doc: Document) -> str:
    """The document without its body (Solr stores that in its own field), as JSON."""
    values = {name: getattr(doc, name) for name in DOCUMENT_NAMES if name != "body"}
    for name in DATE_NAMES:
        values[name] = values[name].isoformat() if values[name] else None
    return json.dumps([DOCUMENT_LAYOUT, values], ensure_ascii=False)


def decode(stored: str, body: str) -> Document:
    layout, values = json.loads(stored)
    if layout != DOCUMENT_LAYOUT:
        raise IndexOutdated("The Solr collection holds documents of another version of Hubbub.")
    for name in DATE_NAMES:
        values[name] = datetime.fromisoformat(values[name]) if values[name] else None
    for name in LIST_NAMES:
        values[name] = tuple(values[name])
    values["body"] = body
    return Document.restored(values)


def to_solr(doc: Document) -> dict[str, object]:
    keys = facet_keys(doc)
    is_article = doc.kind == ARTICLE
    values: dict[str, object] = {
        "id": doc.id,
        "source": doc.source,
        "copy_group": doc.copy_group,
        "doc": encode(doc),
        "title": doc.article_title if is_article else "",
        "caption": doc.caption,
        "body": doc.body,
        "author_name": doc.author,
        "signed_name": doc.signed[0] if doc.signed else "",
        "article_title": doc.article_title if is_article else "",
        "sort_when": doc.effective_date.isoformat() if doc.effective_date else MISSING_DATE,
        **{f"f_{name}": key for name, key in keys.items()},
    }
    present = {name: value for name, value in values.items() if value != ""}
    present["position"] = doc.position
    present["vote_rank"] = votes_rank(doc)
    present["replies"] = doc.replies
    present["thread_length"] = doc.thread_length
    return present


def from_solr(found: Mapping[str, object]) -> Document:
    return decode(str(found["doc"]), str(found.get("body", "")))


def escaped(text: str) -> str:
    return SPECIAL.sub(r"\\\1", text)


def quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def any_of(field: str, values: Iterable[str]) -> str:
    """Documents whose `field` holds one of `values` exactly."""
    return f"{field}:(" + " OR ".join(quoted(value) for value in sorted(values)) + ")"


def day_range(after: date | None, before: date | None) -> str:
    low = quoted(after.isoformat()) if after else "*"
    high = quoted(before.isoformat()) if before else "*"
    return f"f_date:[{low} TO {high}]"


def chunks(items: Sequence, size: int) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Compiler:
    """The query string's tree as Solr's standard syntax, every operator written out.

    With `expand`, a wildcard in a text field is the terms `expand(field, pattern)`
    gives, looked up without analysis; where it gives None, Solr's own wildcard, which
    takes every term the pattern matches. A fuzzy word in a text field is the words
    `lexicon` holds within its edits, each analysed as the field analyses a word.
    """

    def __init__(
        self, lexicon: Lexicon, expand: Callable[[str, str], list[str] | None] | None = None
    ) -> None:
        self.lexicon = lexicon
        self.expand = expand

    def compile(self, text: str) -> str:
        """The query, `EVERYTHING` for a blank one.

        :raise QuerySyntaxError: when the string cannot be read.
        """
        if not text.strip():
            return EVERYTHING
        return self.node(parse(text), None) or NOTHING

    def node(self, node: Node, field: str | None) -> str | None:
        """One node; None for one without a searchable word, which its group leaves out."""
        if isinstance(node, Group):
            if node.op == "or":
                wanted = [q for item in node.items if (q := self.node(item, field))]
                return f"({' '.join(wanted)})" if wanted else None
            wanted = [
                q
                for item in node.items
                if not isinstance(item, Not)
                if (q := self.node(item, field))
            ]
            unwanted = [
                q
                for item in node.items
                if isinstance(item, Not)
                if (q := self.node(item.node, field))
            ]
            if not wanted and not unwanted:
                return None
            clauses = [f"+{q}" for q in wanted or [EVERYTHING]] + [f"-{q}" for q in unwanted]
            return f"({' '.join(clauses)})"
        if isinstance(node, Not):
            inner = self.node(node.node, field)
            return f"({EVERYTHING} -{inner})" if inner else None
        name = node.field or field
        if name is None:
            leaves = [q for target in SEARCH_FIELDS if (q := self.leaf(node, target))]
            return f"({' '.join(leaves)})" if leaves else None
        return self.leaf(node, name)

    def leaf(self, node: Word | Phrase, name: str) -> str | None:
        """A word or phrase in one field: Solr analyses it as the field does for text;
        authors are folded; other values match as written."""
        if name in TEXT_FIELDS:
            target = TEXT_FIELDS[name]
            if not SEARCHABLE.search(node.text):
                return None
            value = node.text.lower()
            boost = f"^{TITLE_BOOST}" if target == "title" else ""
        else:
            target = VALUE_FIELD_NAMES.get(name, name)
            value = fold_author(node.text) if name == "author" else node.text
            boost = ""
        if isinstance(node, Word) and node.pattern:
            terms = self.expand(target, value) if self.expand and name in TEXT_FIELDS else None
            if terms is not None:
                inner = f"{{!terms f={target}}}{','.join(terms)}"
                return f"_query_:{quoted(inner)}{boost}" if terms else f"({NOTHING})"
            pattern = "".join(c if c in "*?" else escaped(c) for c in value)
            return f"{target}:{pattern}{boost}"
        if isinstance(node, Word) and node.edits and name in TEXT_FIELDS:
            words = self.lexicon.within(value, node.edits, node.nearest)
            if not words:
                return f"({NOTHING})"
            return f"{target}:({' OR '.join(quoted(word) for word in words)}){boost}"
        if isinstance(node, Word) and node.edits:
            return f"{target}:{escaped(value)}~{node.edits}{boost}"
        return f"{target}:{quoted(value)}{boost}"


class SolrStore:
    """The writing side: one generation's collection."""

    def __init__(
        self, generation: Path, create: bool = False, target: SolrTarget | None = None
    ) -> None:
        self._generation = generation
        target = (target or SolrTarget()).with_environment()
        if create:
            self._pointer = new_collection(generation, target)
        else:
            self._pointer = SolrPointer.load(generation)
            if target.urls and list(target.urls) != self._pointer.urls:
                self._pointer.urls = list(target.urls)
                self._pointer.save(generation)
        self._cluster = SolrCluster(self._pointer.urls)
        self._path = f"/{self._pointer.collection}"

    def _update(self, body: object, commit: bool = False) -> None:
        params = {"commit": "true", "waitSearcher": "true"} if commit else {}
        self._cluster.request(
            f"{self._path}/update", params, body=body, retry_seconds=WRITE_RETRY_SECONDS
        )

    def _commit(self) -> None:
        self._update({"commit": {}}, commit=True)
        self._pointer.commits += 1
        self._pointer.save(self._generation)

    def replace_sources(
        self,
        documents: Mapping[str, Iterable[Document]],
        remove: Iterable[str] = (),
        appended: Collection[str] = (),
    ) -> None:
        """Deletions and additions become visible together, at the commit: Solr opens a
        new searcher only then (the configset commits nothing on its own that would)."""
        replaced = [*remove, *(source for source in documents if source not in appended)]
        for sources in chunks(replaced, DELETE_CHUNK):
            self._update({"delete": {"query": any_of("source", sources)}})
        added = (to_solr(doc) for docs in documents.values() for doc in docs)
        while batch := list(itertools.islice(added, ADD_CHUNK)):
            self._update(batch)
        self._commit()

    def close(self) -> None:
        """Nothing to do: every commit is whole when it returns."""

    def publish(self) -> None:
        """Point the alias readers search at this generation's collection."""
        self._cluster.point_alias(self._pointer.alias, self._pointer.collection)

    def generation(self) -> int:
        return self._pointer.commits

    def _every(self, query: str, fl: str, filters: Sequence[str] = ()) -> Iterator[dict]:
        return stream(self._cluster, self._path, query, filters, SORTS["position"], fl)

    def comment_bodies(self) -> Iterator[tuple[str, str, str]]:
        for found in self._every(f"f_kind:{COMMENT}", "id,body,copy_group"):
            yield str(found["id"]), str(found.get("body", "")), str(found.get("copy_group", ""))

    def set_copy_groups(self, groups: Mapping[str, str]) -> None:
        for ids in chunks(sorted(groups), ADD_CHUNK):
            docs = [
                to_solr(replace(doc, copy_group=groups[doc.id]))
                for doc in map(from_solr, self._every(any_of("id", ids), "doc,body"))
            ]
            self._update(docs)
        self._commit()

    def article_documents(
        self, article_ids: Collection[str], kind: str | None = None
    ) -> Iterator[Document]:
        filters = [f"f_kind:{kind}"] if kind is not None else []
        for ids in chunks(sorted(article_ids), DELETE_CHUNK):
            yield from map(from_solr, self._every(any_of("f_article", ids), "doc,body", filters))


def new_collection(generation: Path, target: SolrTarget) -> SolrPointer:
    """A new, empty collection for `generation`, with the configset uploaded if the
    cluster lacks it; a collection of the same name, left by a killed run or by an index
    folder since removed, is dropped."""
    if not target.urls:
        raise SolrError(
            "The solr engine needs the address of a SolrCloud node: "
            "--solr http://HOST:8983/solr (or set HUBBUB_SOLR)."
        )
    alias = target.collection or default_alias(generation.parent)
    if not VALID_NAME.fullmatch(alias):
        raise SolrError(
            f"{alias!r} cannot name a Solr collection: use letters, digits, '.', '_' and '-'."
        )
    if target.shards < 1 or target.replicas < 1:
        raise SolrError("--shards and --replicas take numbers from 1.")
    pointer = SolrPointer(
        urls=list(target.urls),
        alias=alias,
        collection=f"{alias}-{generation.name}",
        configset=configset_name(" ".join(DOCUMENT_NAMES)),
        shards=target.shards,
        replicas=target.replicas,
    )
    cluster = SolrCluster(pointer.urls)
    cluster.ensure_configset(pointer.configset)
    if pointer.collection in cluster.collections():
        if cluster.aliases().get(alias) == pointer.collection:
            cluster.delete_alias(alias)  # the folder that named it was removed
        cluster.delete_collection(pointer.collection)
    cluster.create_collection(pointer.collection, pointer.configset, target.shards, target.replicas)
    pointer.save(generation)
    return pointer


def discard(generation: Path) -> None:
    """Drop a generation's collection, unless the alias still names it."""
    try:
        pointer = SolrPointer.load(generation)
    except IndexMissing:
        return
    cluster = SolrCluster(pointer.urls)
    if cluster.aliases().get(pointer.alias) == pointer.collection:
        return
    if pointer.collection in cluster.collections():
        cluster.delete_collection(pointer.collection)


def collection_bytes(generation: Path) -> int:
    """The bytes a generation's collection takes on its nodes' disks, every replica
    counted; a replica whose node does not answer counts none."""
    pointer = SolrPointer.load(generation)
    state = SolrCluster(pointer.urls).collections().get(pointer.collection, {})
    total = 0
    for shard in state.get("shards", {}).values():
        for replica in shard.get("replicas", {}).values():
            core = replica.get("core", "")
            try:
                answer = SolrCluster([replica["base_url"]]).request(
                    "/admin/cores", {"action": "STATUS", "core": core}, retry_seconds=0
                )
            except SolrError:
                continue
            total += int(
                answer.get("status", {}).get(core, {}).get("index", {}).get("sizeInBytes", 0)
            )
    return total


def stream(
    cluster: SolrCluster,
    path: str,
    query: str,
    filters: Sequence[str],
    sort: str,
    fl: str,
    limit: int | None = None,
) -> Iterator[dict]:
    """Every document of a query in `sort` order (up to `limit`), a page at a time with
    Solr's cursor, which costs the same however deep it goes; the cursor needs ties
    broken by the unique key."""
    if not sort.endswith(UNIQUE_LAST):
        sort += f",{UNIQUE_LAST}"
    cursor, sent = "*", 0
    while limit is None or sent < limit:
        rows = PAGE_ROWS if limit is None else min(PAGE_ROWS, limit - sent)
        params = [
            ("q", query),
            ("fl", fl),
            ("sort", sort),
            ("rows", rows),
            ("cursorMark", cursor),
        ]
        params += [("fq", f) for f in filters]
        answer = cluster.request(f"{path}/select", params)
        docs = answer["response"]["docs"]
        yield from docs
        sent += len(docs)
        following = answer.get("nextCursorMark", cursor)
        if not docs or following == cursor:
            return
        cursor = following


@dataclass(frozen=True)
class Listing:
    """A wildcard pattern's first `MAX_EXPANSIONS` terms in each text field, as the terms
    component listed them; `whole` when no field has more."""

    terms: Mapping[str, list[str]]

    @property
    def whole(self) -> bool:
        return all(len(found) < MAX_EXPANSIONS for found in self.terms.values())

    def stands_for(self, field: str, pattern: str) -> list[str] | None:
        """The terms a search takes for the pattern in `field`; None when Solr's own
        wildcard takes the same ones: the listing is whole, and the pattern ASCII, as
        the terms component compares it unanalysed."""
        if self.whole and pattern.isascii():
            return None
        return list(self.terms.get(field, []))


def listing_params(pattern: str) -> list[tuple[str, object]]:
    """What asks the terms component for a pattern's terms in every text field."""
    return [
        *terms_params(*SEARCH_FIELDS, limit=MAX_EXPANSIONS),
        ("terms.prefix", re.split(r"[*?]", pattern, maxsplit=1)[0]),
        ("terms.regex", pattern_regex(pattern)),
    ]


def terms_params(*fields: str, limit: int) -> list[tuple[str, object]]:
    """What asks the terms component for the first `limit` terms of `fields` (-1: all),
    in the index's order."""
    return [
        ("terms", "true"),
        *(("terms.fl", field) for field in fields),
        ("terms.sort", "index"),
        ("terms.limit", limit),
    ]


def listing_of(answer: dict) -> Listing:
    found = answer.get("terms", {})
    return Listing({field: [str(term) for term in terms[::2]] for field, terms in found.items()})


Labels = dict[str, dict[str, str]]
Expansions = dict[str, Listing]  # a wildcard pattern's listing


def new_labels() -> Labels:
    return {name: {} for name in LABEL_FIELDS}


class SolrReader:
    """The reading side of one generation: searches go to the alias, so every reader
    of the cluster moves to a rebuilt collection at once. A new snapshot follows each
    commit made here and, for other writers, a few seconds; the labels it has learnt
    are kept until a commit or a minute has passed."""

    def __init__(self, generation: Path) -> None:
        self._pointer_file = generation / POINTER
        pointer = SolrPointer.load(generation)
        self._cluster = SolrCluster(pointer.urls)
        self._alias = pointer.alias
        self._check(pointer)
        self._lock = threading.Lock()
        self._stamp = self._pointer_stamp()
        self._made = self._labelled = time.monotonic()
        self._labels = new_labels()
        self._expansions: Expansions = {}
        self._lexicon = Lexicon(self._words)
        self._snapshot = self._new_snapshot()

    def _new_snapshot(self) -> SolrSnapshot:
        return SolrSnapshot(
            self._cluster, self._alias, self._labels, self._expansions, self._lexicon
        )

    def _words(self) -> list[str]:
        """The words of `written_text` (`words`), every one, in the index's order."""
        asked = [("q", EVERYTHING), ("rows", 0), *terms_params("words", limit=-1)]
        answer = self._cluster.request(f"/{self._alias}/select", asked)
        return listing_of(answer).terms.get("words", [])

    def _check(self, pointer: SolrPointer) -> None:
        collection = self._cluster.aliases().get(pointer.alias)
        if collection is None:
            raise IndexMissing(f"The Solr cluster has no collection {pointer.alias!r}.")
        found = self._cluster.collections().get(collection, {})
        if found.get("configName") != configset_name(" ".join(DOCUMENT_NAMES)):
            raise IndexOutdated.at(self._pointer_file.parent.parent)

    def _pointer_stamp(self) -> int | None:
        try:
            return self._pointer_file.stat().st_mtime_ns
        except OSError:
            return None

    def snapshot(self) -> SolrSnapshot:
        with self._lock:
            stamp = self._pointer_stamp()
            now = time.monotonic()
            if stamp != self._stamp or now - self._labelled > LABEL_SECONDS:
                self._labels, self._expansions, self._labelled = new_labels(), {}, now
                self._lexicon = Lexicon(self._words)
            if stamp != self._stamp or now - self._made > SNAPSHOT_SECONDS:
                self._stamp, self._made = stamp, now
                self._snapshot = self._new_snapshot()
            return self._snapshot


def time_allowed(deadline: float | None) -> list[tuple[str, object]]:
    if deadline is None:
        return []
    return [("timeAllowed", max(1, int((deadline - time.monotonic()) * 1000)))]


def main_query(matched: str) -> str:
    """The query as Solr's `q`, tagged so that a facet can count beyond it."""
    return f"{{!lucene q.op=OR tag={MAIN_TAG}}}{matched}"


def marked(text: str, body: str) -> Passage:
    """A highlighted passage as plain text and spans, with "…" where the body goes on."""
    first, *marks = text.split(MARK_OPEN)
    plain = [first.replace(MARK_CLOSE, "")]
    spans: list[tuple[int, int]] = []
    length = len(plain[0])
    for piece in marks:
        inside, closed, rest = piece.partition(MARK_CLOSE)
        if closed:
            spans.append((length, length + len(inside)))
        rest = rest.replace(MARK_CLOSE, "")
        plain += [inside, rest]
        length += len(inside) + len(rest)
    whole = "".join(plain)
    fragment = whole.strip()
    shift = len(whole) - len(whole.lstrip())
    trimmed = body.strip()
    before = "" if trimmed.startswith(fragment) else "… "
    after = "" if trimmed.endswith(fragment) else " …"
    moved = len(before) - shift
    inside_spans = tuple(
        (a + moved, b + moved) for a, b in spans if shift <= a and b - shift <= len(fragment)
    )
    return Passage(before + fragment + after, inside_spans)


def page_params(matched: str, page: PageWanted) -> list[tuple[str, object]]:
    """What asks Solr for one page of hits, each with its best passage when wanted."""
    params: list[tuple[str, object]] = [
        ("sort", SORTS.get(page.sort, SORTS["relevance"])),
        ("start", page.offset),
        ("rows", page.limit),
        ("fl", "id,doc,body"),
        STABLE_REPLICAS,
    ]
    highlight = page.highlight and matched != EVERYTHING
    if not highlight and page.offset + page.limit <= SINGLE_PASS_HITS:
        params.append(("distrib.singlePass", "true"))
    if highlight:
        params += [
            ("hl", "true"),
            ("hl.method", "unified"),
            ("hl.fl", "body"),
            ("hl.snippets", 1),
            ("hl.fragsize", SNIPPET_CHARS),
            ("hl.fragsizeIsMinimum", "false"),
            ("hl.bs.type", "WORD"),
            ("hl.tag.pre", MARK_OPEN),
            ("hl.tag.post", MARK_CLOSE),
            ("hl.defaultSummary", "false"),
        ]
    return params


def page_of(answer: dict) -> list[tuple[Document, Passage | None]]:
    docs = [from_solr(found) for found in answer["response"]["docs"]]
    lit = answer.get("highlighting", {})
    page = []
    for doc in docs:
        found = (lit.get(doc.id) or {}).get("body") or []
        page.append((doc, marked(found[0], doc.body) if found else None))
    return page


def label_facet(facet: str) -> dict:
    """The most frequent label of a key, counted over every document with the key (an
    article's title over its article alone)."""
    label = {"type": "terms", "field": LABEL_FIELDS[facet], "limit": 1, "refine": True}
    if facet == "article":
        label["domain"] = {"filter": f"f_kind:{ARTICLE}"}
    return label


def bucket_label(bucket: Mapping) -> str:
    labels = bucket.get("label", {}).get("buckets", [])
    return str(labels[0]["val"]) if labels else ""


class SolrSnapshot:
    """The collection as its alias names it, asked anew on each request."""

    def __init__(
        self,
        cluster: SolrCluster,
        alias: str,
        labels: Labels,
        expansions: Expansions,
        lexicon: Lexicon,
    ) -> None:
        self.cluster = cluster
        self.path = f"/{alias}"
        self._lock = threading.Lock()
        self._labels = labels
        self._expansions = expansions
        self._lexicon = lexicon

    def ask(self, params: Sequence[tuple[str, object]]) -> dict:
        return self.cluster.request(f"{self.path}/select", params)

    def doc_count(self) -> int:
        return int(self.ask([("q", EVERYTHING), ("rows", 0)])["response"]["numFound"])

    def select(
        self,
        text: str,
        filters: Filters,
        facets: Mapping[str, int],
        deadline: float | None = None,
        page: PageWanted | None = None,
    ) -> SolrMatches:
        """One request for the total, every facet and the `page` if one is wanted. A
        chosen facet is counted without its own filter, and its chosen keys are counted
        apart, so each keeps its count."""
        matched, unlisted = self._compiled(text)
        active = filters.active()
        fq = [f"{{!tag={name}}}{any_of(f'f_{name}', keys)}" for name, keys in active.items()]
        if filters.after or filters.before:
            fq.append(f"{{!tag={DATES_TAG}}}{day_range(filters.after, filters.before)}")
        request: dict[str, dict] = {}
        for name, limit in facets.items():
            domain = {"excludeTags": [name]} if name in active else {}
            request[name] = {
                "type": "terms",
                "field": f"f_{name}",
                "limit": min(limit, MAX_BUCKETS) + 1,
                "overrequest": OVERREQUEST,
                "refine": True,
                "domain": domain,
            }
            if name in active:
                request[f"{name}:chosen"] = request[name] | {
                    "limit": len(active[name]),
                    "domain": domain | {"filter": any_of(f"f_{name}", active[name])},
                }
        params = [("q", main_query(matched)), *time_allowed(deadline), *[("fq", f) for f in fq]]
        fetching = page is not None and page.offset + page.limit < MAX_SOLR_INT
        params += page_params(matched, page) if fetching else [("rows", 0)]
        if request:
            params.append(("json.facet", json.dumps(request)))
        if unlisted is not None:
            params += listing_params(unlisted)
        answer = self.ask(params)
        if unlisted is not None:
            listing = self._remember(unlisted, listing_of(answer))
            if not listing.whole:
                return self.select(text, filters, facets, deadline, page)
        found = answer.get("facets", {})
        counts: dict[str, dict[str, int]] = {}
        every: dict[str, bool] = {}
        for name, limit in facets.items():
            size = min(limit, MAX_BUCKETS)
            buckets = found.get(name, {}).get("buckets", [])
            chosen = found.get(f"{name}:chosen", {}).get("buckets", [])
            every[name] = len(buckets) <= size
            counts[name] = {str(b["val"]): int(b["count"]) for b in [*buckets[:size], *chosen]}
        header = answer.get("responseHeader", {})
        matches = SolrMatches(
            self,
            matched,
            fq,
            int(answer["response"]["numFound"]),
            counts,
            not header.get("partialResults", False),
            active,
            every,
        )
        if fetching:
            matches.fetched = (page, page_of(answer))
        return matches

    def _compiled(self, text: str) -> tuple[str, str | None]:
        """The query for Solr, and the one wildcard pattern in it whose terms are not
        listed yet, if there is one.

        A wildcard stands for at most `MAX_EXPANSIONS` terms, as on the Whoosh engine.
        A pattern not listed yet is searched as Solr's own wildcard, its terms listed by
        the same request; only when they run past the bound is it searched again, as
        the terms listed. A reader keeps the listings as long as its labels, so a
        pattern searched again is sent as it was last. Several new patterns in one
        query are listed first, a request each.
        """
        unlisted: dict[str, None] = {}

        def expand(field: str, pattern: str) -> list[str] | None:
            with self._lock:
                listing = self._expansions.get(pattern)
            if listing is None:
                unlisted[pattern] = None
                return None
            return listing.stands_for(field, pattern)

        matched = Compiler(self._lexicon, expand).compile(text)
        if len(unlisted) <= 1:
            return matched, next(iter(unlisted), None)
        for pattern in unlisted:
            asked = [("q", EVERYTHING), ("rows", 0), *listing_params(pattern)]
            self._remember(pattern, listing_of(self.ask(asked)))
        return Compiler(self._lexicon, expand).compile(text), None

    def _remember(self, pattern: str, listing: Listing) -> Listing:
        with self._lock:
            if len(self._expansions) >= KEPT_EXPANSIONS:
                self._expansions.clear()
            self._expansions[pattern] = listing
        return listing

    def labels(self, facet: str, keys: Collection[str]) -> dict[str, str]:
        """The most frequent label of each key, asked for once and kept by the reader."""
        if facet not in LABEL_FIELDS:
            return {}
        with self._lock:
            known = self._labels[facet]
            missing = sorted(key for key in keys if key not in known)
            first = not known
        for batch in chunks(missing, DELETE_CHUNK):
            keyed = {"type": "terms", "field": f"f_{facet}", "refine": True}
            keyed["facet"] = {"label": label_facet(facet)}
            request = {"keys": keyed | {"limit": len(batch)}}
            if first:
                request["top"] = keyed | {"limit": PRIMED_LABELS, "domain": {"query": EVERYTHING}}
                first = False
            params = [
                ("q", any_of(f"f_{facet}", batch)),
                ("rows", 0),
                ("json.facet", json.dumps(request)),
            ]
            found = self.ask(params).get("facets", {})
            buckets = [
                *found.get("top", {}).get("buckets", []),
                *found.get("keys", {}).get("buckets", []),
            ]
            learnt = dict.fromkeys(batch, "") | {str(b["val"]): bucket_label(b) for b in buckets}
            with self._lock:
                known.update(learnt)
        with self._lock:
            return {key: known[key] for key in keys if known.get(key)}

    def suggest(self, text: str, deadline: float | None = None) -> str | None:
        """Did-you-mean from Solr's spellchecker, asked once for every word: it proposes
        words only for those the unstemmed words (`written_text`) lack."""
        words = list(
            dict.fromkeys(w.lower() for w in SUGGESTABLE_WORD.findall(text) if w not in OPERATORS)
        )[:MAX_SUGGESTED_WORDS]
        if not words:
            return None
        params = [
            ("q", EVERYTHING),
            ("rows", 0),
            ("spellcheck", "true"),
            ("spellcheck.q", " ".join(words)),
            ("spellcheck.count", 10),
            ("spellcheck.extendedResults", "true"),
            *time_allowed(deadline),
        ]
        answer = self.ask(params).get("spellcheck", {}).get("suggestions", [])
        candidates: dict[str, list[tuple[str, int]]] = {}
        for word, found in zip(answer[::2], answer[1::2], strict=False):
            if isinstance(found, dict):
                candidates[str(word)] = [
                    (str(s["word"]), int(s.get("freq", 0))) for s in found.get("suggestion", [])
                ]

        def closest(word: str, edits: int) -> str | None:
            return nearest(word, candidates.get(word, []), edits)

        return suggest(text, lambda word: word not in candidates, closest, deadline)

    def thread(self, article_id: str) -> list[Document]:
        docs = stream(
            self.cluster,
            self.path,
            any_of("f_article", [article_id]),
            (),
            SORTS["position"],
            "doc,body",
        )
        return [from_solr(found) for found in docs]


@dataclass
class SolrMatches:
    """A selection: its counts, and the query and filters that rank and export it."""

    snapshot: SolrSnapshot
    matched: str
    filters: list[str]
    total: int
    counts: dict[str, dict[str, int]]
    complete: bool
    chosen: Mapping[str, frozenset[str]] = field(default_factory=dict)
    every: Mapping[str, bool] = field(default_factory=dict)
    fetched: tuple[PageWanted, list[tuple[Document, Passage | None]]] | None = None
    _articles: int | None = None
    _distinct: dict[str, int] = field(default_factory=dict)

    def article_count(self) -> int:
        """Known from the article facet when it holds every article, else counted."""
        if not self.total:
            return 0
        if "article" in self.chosen and "article" in self.counts:
            return sum(1 for key in self.chosen["article"] if self.counts["article"].get(key))
        if self.every.get("article") and "article" in self.counts:
            return len(self.counts["article"])
        if self._articles is None:
            params = [
                ("q", main_query(self.matched)),
                ("rows", 0),
                *[("fq", f) for f in self.filters],
            ]
            params.append(("json.facet", json.dumps({"articles": "unique(f_article)"})))
            self._articles = int(self.snapshot.ask(params).get("facets", {}).get("articles", 0))
        return self._articles

    def distinct(self, facet: str) -> int:
        """Known when the facet holds every key, else Solr's `numBuckets`: exact on one
        shard; across shards, an estimate once a shard holds many keys."""
        if self.every.get(facet, True):
            return len(self.counts.get(facet, {}))
        if facet not in self._distinct:
            domain = {"excludeTags": [facet]} if facet in self.chosen else {}
            request = {"type": "terms", "field": f"f_{facet}", "limit": 1, "numBuckets": True}
            params = [
                ("q", main_query(self.matched)),
                ("rows", 0),
                *[("fq", f) for f in self.filters],
                ("json.facet", json.dumps({"keys": request | {"domain": domain}})),
            ]
            found = self.snapshot.ask(params).get("facets", {}).get("keys", {})
            self._distinct[facet] = int(found.get("numBuckets", 0))
        return self._distinct[facet]

    def ranked(
        self,
        sort: str,
        offset: int,
        limit: int,
        deadline: float | None = None,
        highlight: bool = True,
    ) -> tuple[list[tuple[Document, Passage | None]], bool]:
        """A page, each hit with the passage of its body the highlighter found best: the
        one fetched with the selection, when it is this one. A page past the last hit is
        not asked for (Solr counts its offset in 32 bits)."""
        wanted = PageWanted(sort, offset, limit, highlight)
        if self.fetched is not None and self.fetched[0] == wanted:
            return self.fetched[1], self.complete
        if offset >= self.total:
            return [], True
        params = [
            ("q", main_query(self.matched)),
            *time_allowed(deadline),
            *[("fq", f) for f in self.filters],
            *page_params(self.matched, wanted),
        ]
        answer = self.snapshot.ask(params)
        in_time = not answer.get("responseHeader", {}).get("partialResults", False)
        return page_of(answer), in_time

    def documents(self, sort: str, limit: int) -> Iterator[Document]:
        docs = stream(
            self.snapshot.cluster,
            self.snapshot.path,
            main_query(self.matched),
            self.filters,
            SORTS.get(sort, SORTS["relevance"]),
            "doc,body",
            limit,
        )
        return (from_solr(found) for found in docs)

    def article_counts(self, article_ids: Collection[str]) -> dict[str, int]:
        if not article_ids or not self.total:
            return {}
        ids = sorted(article_ids)
        params = [("q", main_query(self.matched)), ("rows", 0), *[("fq", f) for f in self.filters]]
        params.append(("fq", any_of("f_article", ids)))
        request = {"a": {"type": "terms", "field": "f_article", "limit": len(ids), "refine": True}}
        params.append(("json.facet", json.dumps(request)))
        buckets = self.snapshot.ask(params).get("facets", {}).get("a", {}).get("buckets", [])
        return {str(b["val"]): int(b["count"]) for b in buckets}
