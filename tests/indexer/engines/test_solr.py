"""The Solr engine against a real SolrCloud: collections, the alias, its nodes, its syntax."""

from __future__ import annotations

import json
import random
import re
import socket
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from indexer import Archive, SearchRequest, SolrError
from indexer.cli import cli
from indexer.engines import solr
from indexer.engines import solr_cluster as solr_http
from indexer.engines.solr import SOLR_ENVIRONMENT, SolrTarget
from indexer.engines.solr_cluster import SolrCluster, SolrUnavailable, configset_name
from indexer.layout import IndexLayout
from indexer.records import Article, Comment
from indexer.search import run_search


@pytest.fixture
def unused_port_url() -> str:
    """The address of a node that is not there: a port nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/solr"


@pytest.fixture(scope="module")
def seed_index_solr(solr_cluster, tmp_path_factory, seed_path) -> Path:
    index_dir = tmp_path_factory.mktemp("solr-seed") / "index"
    Archive.open(index_dir).index([seed_path], engine="solr")
    return index_dir


def pointer(index_dir: Path) -> dict:
    generation = IndexLayout(index_dir).current()
    return json.loads((generation / solr.POINTER).read_text(encoding="utf-8"))


def test_a_new_index_uploads_the_configset_and_creates_its_collection(
    solr_cluster, tmp_path, seed_path
):
    index_dir = tmp_path / "index"
    Archive.open(index_dir).index([seed_path], engine="solr", solr=SolrTarget(shards=2))

    named = pointer(index_dir)
    cluster = SolrCluster(solr_cluster.urls)
    state = cluster.collections()[named["collection"]]
    assert (
        state["configName"] == named["configset"] == configset_name(" ".join(solr.DOCUMENT_NAMES))
    )
    assert len(state["shards"]) == 2
    assert cluster.aliases()[named["alias"]] == named["collection"]
    generation = IndexLayout(index_dir).current()
    assert sorted(p.name for p in generation.iterdir()) == ["manifest.json", "solr.json"]
    assert Archive.open(index_dir).search(q="putin").total == 6


def test_a_rebuild_moves_the_alias_and_keeps_only_the_collection_it_replaced(
    solr_cluster, tmp_path, seed_path
):
    index_dir = tmp_path / "index"
    archive = Archive.open(index_dir)
    archive.index([seed_path], engine="solr")
    first = pointer(index_dir)["collection"]
    archive.index([seed_path], rebuild=True)
    second = pointer(index_dir)["collection"]
    archive.index([seed_path], rebuild=True)
    third = pointer(index_dir)

    cluster = SolrCluster(solr_cluster.urls)
    present = cluster.collections()
    assert cluster.aliases()[third["alias"]] == third["collection"]
    assert third["collection"] in present and second in present and first not in present
    assert archive.search(q="putin").total == 6


def test_two_index_folders_never_share_a_collection(solr_cluster, tmp_path, seed_path):
    for name in ("a", "b"):
        Archive.open(tmp_path / name / "index").index([seed_path], engine="solr")
    assert pointer(tmp_path / "a" / "index")["alias"] != pointer(tmp_path / "b" / "index")["alias"]


def test_a_request_goes_to_a_node_that_answers(solr_cluster, unused_port_url):
    cluster = SolrCluster([unused_port_url, *solr_cluster.urls])
    for _ in range(4):
        assert "collections" in cluster.request("/admin/collections", {"action": "LIST"})


def test_no_node_answering_is_said_within_the_retry_time(unused_port_url, monkeypatch):
    monkeypatch.setattr(solr_http, "RETRY_SECONDS", 0.5)
    started = time.monotonic()
    with pytest.raises(SolrUnavailable, match="No Solr node answered"):
        SolrCluster([unused_port_url]).request("/admin/collections", {"action": "LIST"})
    assert time.monotonic() - started < 5


def test_the_solr_engine_asks_for_a_node_address(tmp_path, seed_path, monkeypatch):
    monkeypatch.delenv(SOLR_ENVIRONMENT, raising=False)
    result = CliRunner().invoke(
        cli, ["index", str(seed_path), "--index", str(tmp_path / "index"), "--engine", "solr"]
    )
    assert result.exit_code == 1
    assert "--solr http://HOST:8983/solr" in result.output
    assert "Traceback" not in result.output


def test_a_bad_collection_name_is_refused_and_nothing_is_created(solr_cluster, tmp_path, seed_path):
    with pytest.raises(SolrError, match="cannot name a Solr collection"):
        Archive.open(tmp_path / "index").index(
            [seed_path], engine="solr", solr=SolrTarget(collection="no spaces/here")
        )


def test_later_runs_may_name_the_nodes_anew(solr_cluster, tmp_path, seed_path, unused_port_url):
    index_dir = tmp_path / "index"
    target = SolrTarget(urls=(unused_port_url, solr_cluster.urls[0]))
    Archive.open(index_dir).index([seed_path], engine="solr", solr=target)
    assert pointer(index_dir)["urls"] == list(target.urls)
    Archive.open(index_dir).index([seed_path], solr=SolrTarget(urls=solr_cluster.urls))
    assert pointer(index_dir)["urls"] == list(solr_cluster.urls)


NAMES = ['Dr. "Quote" Smith', "C++ fan", "back\\slash", "a:b (c) [d] {e}", "AND", "50% off!"]


def test_values_holding_query_syntax_match_as_written(solr_cluster, tmp_path):
    article = Article(
        title="Syntax",
        body="A body about C++ and AT&T, path/to/file and 1+1=2.",
        comments=tuple(
            Comment(author=name, body=f"comment number {n}", position=n + 1)
            for n, name in enumerate(NAMES)
        ),
    )
    archive = Archive.open(tmp_path / "index")
    archive.add_records([article], "made-in-code", engine="solr")

    for name in NAMES:
        assert archive.search(authors=[name]).total == 1, name
    for name in ("C++ fan", "back\\slash", "AND", "50% off!"):
        assert archive.search(q=f"author:'{name}'").total == 1, name
    for query in ("C++", "AT&T", "path/to/file", "1+1=2", "{e}", "[d]", "back\\slash"):
        assert archive.search(q=query).notice is None, query
    assert archive.search(q="C++").total == 1
    assert archive.search(q="path/to/file").total == 1


def test_exports_read_every_document_in_order_a_page_at_a_time(
    solr_cluster, tmp_path, mixed_folder, seed_path, monkeypatch
):
    orders = {}
    for engine in ("whoosh", "solr"):
        archive = Archive.open(tmp_path / engine)
        archive.index([mixed_folder, seed_path], engine=engine)
        orders[engine] = [doc.id for doc in archive.export(SearchRequest(sort="oldest"))[1]]
    monkeypatch.setattr(solr, "PAGE_ROWS", 4)
    paged = [
        doc.id for doc in Archive.open(tmp_path / "solr").export(SearchRequest(sort="oldest"))[1]
    ]
    assert len(orders["whoosh"]) > 20
    assert orders["solr"] == paged == orders["whoosh"]


def test_did_you_mean_comes_from_the_spellchecker(seed_index_solr):
    result = Archive.open(seed_index_solr).search(q="Pakistn Rusia")
    assert result.total == 0
    assert result.suggestion == "pakistan russia"


def test_stats_count_the_collection_on_the_nodes(seed_index_solr):
    figures = Archive.open(seed_index_solr).stats()
    assert figures.engine == "solr"
    assert figures.documents == {"article": 1, "comment": 14}
    assert figures.size_bytes > 10_000  # the folder holds only the pointer and manifest


def test_a_running_reader_sees_a_commit_at_once(solr_cluster, tmp_path, seed_path):
    archive = Archive.open(tmp_path / "index")
    archive.add_records([Article(title="First", body="alpha")], "one", engine="solr")
    assert archive.search(q="").total == 1
    archive.add_records([Article(title="Second", body="beta")], "two")
    assert archive.search(q="").total == 2


def counted_selects(monkeypatch) -> list[str]:
    asked: list[str] = []
    request = SolrCluster.request

    def counted(self, path, *args, **options):
        if path.endswith("/select"):
            asked.append(path)
        return request(self, path, *args, **options)

    monkeypatch.setattr(SolrCluster, "request", counted)
    return asked


def test_a_wildcard_searched_again_asks_for_its_terms_no_more(seed_index_solr, monkeypatch):
    archive = Archive.open(seed_index_solr)
    asked = counted_selects(monkeypatch)
    first = archive.search(SearchRequest(q="russ* pakist*", facets=(), highlight=False))
    assert len(asked) == 3  # each pattern's terms in every text field, then the search
    asked.clear()
    again = archive.search(SearchRequest(q="pakist* russ*", facets=(), highlight=False))
    assert first.total == again.total > 0
    assert len(asked) == 1  # the search alone: both patterns' terms are known


def test_one_new_wildcard_is_listed_by_its_own_search(seed_index_solr, monkeypatch):
    """The terms of a query's one new pattern come back with its hits: a wildcard costs
    a second request only when it matches more terms than it may stand for."""
    archive = Archive.open(seed_index_solr)
    asked = counted_selects(monkeypatch)
    whole = archive.search(SearchRequest(q="paki*", facets=(), highlight=False))
    assert len(asked) == 1
    every = archive.export(SearchRequest(sort="oldest"))[1]
    holding = [doc for doc in every if re.search(r"\bpaki", f"{doc.caption} {doc.body}".lower())]
    assert whole.total == len(holding) > 1
    monkeypatch.setattr(solr, "MAX_EXPANSIONS", 2)
    asked.clear()
    bounded = Archive.open(seed_index_solr).search(
        SearchRequest(q="pakis*", facets=(), highlight=False)
    )
    assert len(asked) == 2  # the listing ran past the bound: searched again, as listed
    assert 0 < bounded.total


@pytest.mark.engines("solr")
def test_pages_fetched_in_one_pass_or_two_hold_the_same_hits(seed_engine, monkeypatch):
    """The first pages without snippets come from the shards in one pass, deeper ones in
    two: paging through the two-shard seed index shows every hit once, whole, in the
    order that one page of all the hits has."""

    def pages(per_page: int) -> list[tuple[str, str, str]]:
        shown = []
        for page in range(1, 40):
            request = SearchRequest(q="russia", page=page, per_page=per_page, highlight=False)
            hits = run_search(seed_engine, request).hits
            shown += [(hit.document.id, hit.document.author, hit.document.body) for hit in hits]
            if not hits:
                return shown
        raise AssertionError("more pages than the seed has hits")

    monkeypatch.setattr(solr, "SINGLE_PASS_HITS", 0)
    whole = pages(per_page=50)
    monkeypatch.setattr(solr, "SINGLE_PASS_HITS", 6)
    paged = pages(per_page=3)
    assert len(whole) > 6 and all(body for _, _, body in whole)
    assert paged == whole


WORDS = st.text(alphabet="abcé&=+ %", min_size=1, max_size=6).filter(lambda w: w.strip() == w)


@given(
    st.lists(st.tuples(WORDS, st.booleans()), min_size=1, max_size=8),
    st.sampled_from(["", "Before it. "]),
    st.sampled_from(["", " After it."]),
)
def test_a_highlighted_passage_keeps_what_solr_marked(words, before, after):
    """Solr's marks become spans over the same words, with "…" where the body goes on."""
    text = " ".join(f"{solr.MARK_OPEN}{w}{solr.MARK_CLOSE}" if hit else w for w, hit in words)
    plain = " ".join(w for w, _ in words)
    passage = solr.marked(f" {text} ", before + plain + after)
    expected = " ".join(f"<{w}>" if hit else w for w, hit in words)
    opening = "… " if before else ""
    closing = " …" if after else ""
    assert passage.wrapped("<", ">") == opening + expected + closing


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["q", "fq", "hl.fl"]),
            st.text(max_size=solr_http.REMEMBERED_FIELD_CHARS + 20),
        ),
        max_size=6,
    )
)
def test_a_request_form_is_encoded_as_urlencode_would(fields):
    assert solr_http.form(fields) == urlencode(fields)


def test_the_top_authors_across_shards_are_the_archives_own(solr_cluster, tmp_path):
    """An author can be among the most frequent of the archive while ranking lower on
    each shard alone; the facet still shows the archive's top authors, counted exactly."""
    counts = {f"commenter{n:03d}": 8 + (n * 7) % 9 for n in range(150)}
    authors = [name for name, count in counts.items() for _ in range(count)]
    random.Random(5).shuffle(authors)
    articles = [
        Article(
            title=f"Story {n}",
            body="A story about the harbour.",
            comments=tuple(
                Comment(author=name, body="about the harbour", position=i + 1)
                for i, name in enumerate(authors[n * 40 : n * 40 + 40])
            ),
        )
        for n in range(len(authors) // 40 + 1)
    ]
    archive = Archive.open(tmp_path / "index")
    archive.index([], engine="solr", solr=SolrTarget(shards=2))
    archive.add_records(articles, "made-in-code", engine="solr")

    shown = archive.search(q="harbour", facets=("author",), facet_size=5).facets["author"]
    best = sorted(counts.values(), reverse=True)[:5]
    assert [value.count for value in shown[:5]] == best
    assert all(counts[value.label] == value.count for value in shown)
