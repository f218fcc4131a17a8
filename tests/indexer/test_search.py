from collections import Counter
from datetime import date
from types import SimpleNamespace

import numpy as np
import pytest

from indexer.engines import open_engine
from indexer.facets import ALL_VALUES
from indexer.indexing import index_records
from indexer.records import Article
from indexer.search import (
    InvalidRequest,
    RecentResults,
    SearchRequest,
    date_bound,
    facet_values,
    search,
    select,
)

pytestmark = pytest.mark.engines()

SEED_TITLE = "Beneath the radar, a Russia-Pakistan entente takes shape"


@pytest.fixture
def seed_request(seed_article_id):
    """Requests limited to the seed article (the shared index also holds a markup fixture)."""
    return lambda **kwargs: SearchRequest(articles=(seed_article_id,), **kwargs)


def test_search_empty_query_lists_every_seed_comment(seed_archive, seed_request, seed_commenters):
    result = seed_archive.search(seed_request(kinds=("comment",), per_page=100))
    assert result.total == 14
    assert Counter(hit.document.author for hit in result.hits) == Counter(seed_commenters)


def test_search_author_facet_counts_agree_with_hits(seed_archive, seed_request, seed_commenters):
    result = seed_archive.search(seed_request(kinds=("comment",), per_page=100))
    assert {v.value: v.count for v in result.facets["author"]} == Counter(seed_commenters)


def test_search_article_kind_gives_the_article_with_its_date(seed_archive, seed_request):
    result = seed_archive.search(seed_request(kinds=("article",)))
    assert result.total == 1
    doc = result.hits[0].document
    assert (doc.article_title, doc.date.date().isoformat()) == (SEED_TITLE, "2012-03-08")


def test_search_comment_policy_boilerplate_is_not_indexed(seed_archive):
    result = seed_archive.search(SearchRequest(q='"We welcome comments that advance the story"'))
    assert result.total == 0


def test_search_phrase_finds_both_handles_signing_rex_minor(seed_archive):
    result = seed_archive.search(SearchRequest(q='"Rex Minor"'))
    assert {hit.document.author for hit in result.hits} == {"pakistan", "forbirds"}


def test_search_several_authors_or_together(seed_archive):
    result = seed_archive.search(SearchRequest(authors=("Umairpk", "Jammu")))
    assert result.total == 3


def test_search_author_filter_ignores_case(seed_archive):
    result = seed_archive.search(SearchRequest(authors=("umairpk",)))
    assert [hit.document.author for hit in result.hits] == ["Umairpk", "Umairpk"]


def test_search_author_field_in_query_ignores_case(seed_archive):
    result = seed_archive.search(SearchRequest(q="author:KPSINGH01"))
    assert [hit.document.author for hit in result.hits] == ["KPSingh01"]


def test_search_chosen_author_keeps_its_count_and_others_stay_addable(seed_archive, seed_request):
    result = seed_archive.search(seed_request(q="Putin", authors=("Umairpk",)))
    counts = {v.value: (v.count, v.selected) for v in result.facets["author"]}
    assert counts["Umairpk"] == (1, True)
    assert counts["Matrixx"][1] is False and counts["Matrixx"][0] >= 1
    assert result.total == 1


def test_search_kind_facet_counts_without_its_own_filter(seed_archive, seed_request):
    result = seed_archive.search(seed_request(kinds=("comment",)))
    assert {v.value: v.count for v in result.facets["kind"]} == {"comment": 14, "article": 1}


def test_search_year_filter_keeps_comments_by_their_article_date(seed_archive, seed_request):
    result = seed_archive.search(seed_request(years=(2012,)))
    assert result.total == 15
    assert seed_archive.search(seed_request(years=(2013,))).total == 0


def test_search_comments_have_no_date_of_their_own(seed_archive, seed_request):
    result = seed_archive.search(seed_request(kinds=("comment",), per_page=100))
    assert all(hit.to_json()["date"] is None for hit in result.hits)
    assert {hit.to_json()["article_date"] for hit in result.hits} == {"2012-03-08"}


@pytest.mark.parametrize(
    "sort, first_year",
    [("newest", 2021), ("oldest", 2012)],
)
def test_search_sort_by_date(seed_archive, sort, first_year):
    result = seed_archive.search(SearchRequest(sort=sort))
    assert result.hits[0].document.effective_date.year == first_year


def test_search_newest_lists_later_comments_of_a_thread_first(seed_archive, seed_request):
    result = seed_archive.search(seed_request(kinds=("comment",), sort="newest", per_page=100))
    assert [hit.document.position for hit in result.hits] == list(range(14, 0, -1))


def test_search_pages_do_not_overlap_and_cover_everything(seed_archive, seed_request):
    pages = [
        seed_archive.search(seed_request(kinds=("comment",), per_page=5, page=n)) for n in (1, 2, 3)
    ]
    ids = [hit.document.id for page in pages for hit in page.hits]
    assert len(ids) == len(set(ids)) == 14
    assert pages[0].page_count == 3


def test_search_page_past_the_end_is_empty(seed_archive, seed_request):
    result = seed_archive.search(seed_request(per_page=10, page=9))
    assert result.hits == [] and result.total == 15


def test_search_snippet_marks_matches(seed_archive):
    result = seed_archive.search(SearchRequest(q="Putin", authors=("Umairpk",)))
    assert all("<mark>Putin</mark>" in hit.snippet for hit in result.hits)


def test_search_snippet_escapes_markup_in_bodies(seed_archive):
    result = seed_archive.search(SearchRequest(q="alert"))
    snippet = result.hits[0].snippet
    assert "<script>" not in snippet and "&lt;script&gt;" in snippet


def test_search_hit_names_its_thread_and_its_place_in_it(seed_archive, seed_article_id):
    doc = seed_archive.search(SearchRequest(authors=("Jammu",))).hits[0].document
    assert (doc.article_id, doc.position, doc.source_url) == (seed_article_id, 10, "")


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"kinds": ("video",)}, "Unknown kind"),
        ({"sort": "random"}, "Unknown sort"),
        ({"page": 0}, "page number"),
        ({"per_page": 500}, "page size"),
        ({"q": "x" * 5000}, "too long"),
    ],
)
def test_search_request_rejects_bad_values_with_a_message(kwargs, message):
    with pytest.raises(InvalidRequest, match=message):
        SearchRequest(**kwargs)


def test_search_json_has_the_documented_shape(seed_archive):
    data = seed_archive.search(SearchRequest(q="Putin")).to_json()
    assert {"query", "total", "page", "per_page", "hits", "facets"} <= data.keys()
    assert {
        "id",
        "kind",
        "author",
        "date",
        "article_id",
        "article_title",
        "position",
        "snippet",
        "source_url",
    } <= data["hits"][0].keys()
    assert {"author", "kind", "article", "year"} <= set(data["facets"])
    assert {"value", "count"} <= data["facets"]["author"][0].keys()


@pytest.mark.parametrize(
    "kwargs, total",
    [
        ({"after": date(2012, 3, 8)}, 18),
        ({"after": date(2012, 3, 9)}, 3),
        ({"before": date(2012, 3, 8)}, 15),
        ({"after": date(2013, 1, 1), "before": date(2020, 12, 31)}, 0),
        ({"q": "after:2021"}, 3),
        ({"q": "before:2012-03"}, 15),
        ({"q": "putin before:2012"}, 6),
    ],
)
def test_search_date_range_uses_comment_or_article_date(seed_archive, kwargs, total):
    assert seed_archive.search(SearchRequest(**kwargs)).total == total


@pytest.mark.parametrize(
    "text, start, end",
    [
        ("2012", date(2012, 1, 1), date(2012, 12, 31)),
        ("2012-02", date(2012, 2, 1), date(2012, 2, 29)),
        ("2012-03-08", date(2012, 3, 8), date(2012, 3, 8)),
    ],
)
def test_date_bound_partial_dates_cover_their_period(text, start, end):
    assert (date_bound(text), date_bound(text, end=True)) == (start, end)


@pytest.mark.parametrize("text", ["12", "2012-13", "2012-02-30", "yesterday"])
def test_date_bound_refuses_what_is_no_date(text):
    with pytest.raises(InvalidRequest):
        date_bound(text)


def test_search_unreadable_date_in_query_is_named_in_the_notice(seed_archive):
    result = seed_archive.search(SearchRequest(q="putin after:soon"))
    assert "after:soon" in result.notice and result.total == 8


def test_search_month_facet_appears_once_a_year_is_chosen(seed_archive, seed_request):
    assert seed_archive.search(seed_request()).facets["month"] == []
    months = seed_archive.search(seed_request(years=(2012,))).facets["month"]
    assert [(v.value, v.label, v.count) for v in months] == [("2012-03", "March 2012", 15)]


@pytest.mark.parametrize("query", ['"putin russia', "(putin OR", "author:", "foo:putin", ")))"])
def test_search_unparsable_query_searches_its_words_and_says_so(seed_archive, query):
    result = seed_archive.search(SearchRequest(q=query))
    assert result.notice.startswith("Could not read the query")


def test_search_minus_excludes_a_word(seed_archive):
    with_putin = seed_archive.search(SearchRequest(q="russia putin")).total
    without = seed_archive.search(SearchRequest(q="russia -putin")).total
    assert without == seed_archive.search(SearchRequest(q="russia")).total - with_putin


def test_search_suggests_a_correction_when_nothing_is_found(seed_archive):
    result = seed_archive.search(SearchRequest(q="putn pakstan"))
    assert result.total == 0 and result.suggestion == "putin pakistan"
    assert result.to_json()["suggestion"] == "putin pakistan"


def test_search_offers_no_suggestion_when_the_query_finds_plenty(seed_archive):
    assert seed_archive.search(SearchRequest(q="putin")).suggestion is None


def test_search_counts_the_articles_hit(seed_archive):
    assert seed_archive.search(SearchRequest(q="putin")).article_count == 2


def test_export_documents_gives_every_match_past_one_page(seed_archive, seed_request):
    total, documents = seed_archive.export(seed_request(per_page=5))
    assert total == 15 and len(list(documents)) == 15


def test_export_documents_stops_at_the_cap(seed_archive, seed_request):
    total, documents = seed_archive.export(seed_request(), cap=4)
    assert total == 15 and len(list(documents)) == 4


@pytest.mark.parametrize("query", ["p*", "pu?in", "*tin", "author:u*", "putin~5"])
def test_search_refuses_wildcards_and_fuzziness_that_expand_too_far(seed_archive, query):
    result = seed_archive.search(SearchRequest(q=query))
    assert result.notice.startswith("Could not read the query")


def test_search_wildcard_with_a_long_prefix_matches(seed_archive):
    result = seed_archive.search(SearchRequest(q="puti*"))
    assert result.notice is None and result.total == 8


def test_search_wildcard_prefix_finds_the_words_a_pattern_finds(seed_archive):
    prefix = seed_archive.search(SearchRequest(q="pak*", per_page=100))
    pattern = seed_archive.search(SearchRequest(q="pak*n", per_page=100))
    assert prefix.total > pattern.total > 0
    assert {h.document.id for h in pattern.hits} <= {h.document.id for h in prefix.hits}


def test_search_without_facets_counts_the_same_total_and_page(seed_archive):
    counted = seed_archive.search(SearchRequest(q="putin", facets=(), per_page=5))
    every = seed_archive.search(SearchRequest(q="putin", per_page=5))
    assert not any(counted.facets.values())
    assert counted.total == every.total == 8
    assert [h.document.id for h in counted.hits] == [h.document.id for h in every.hits]


def test_search_without_facets_counts_past_the_last_page(seed_archive):
    result = seed_archive.search(SearchRequest(q="putin", facets=(), page=9, per_page=5))
    assert (result.total, result.hits) == (8, [])


def test_search_counts_the_month_facet_when_named(seed_archive, seed_request):
    result = seed_archive.search(seed_request(facets=("month",)))
    assert [v.value for v in result.facets["month"]] == ["2012-03"]


def test_search_article_facet_names_articles_by_id_and_title(seed_archive, seed_article_id):
    [value] = [
        v
        for v in seed_archive.search(SearchRequest(q="putin")).facets["article"]
        if v.value == seed_article_id
    ]
    assert (value.count, value.label) == (6, SEED_TITLE)


def test_facet_values_lists_every_author_narrowed_by_name(seed_archive, seed_request):
    values, total = seed_archive.facet_values(seed_request(), "author", contains="PAK")
    assert [v.value for v in values] == ["pakistan", "pak1991"] and total == 2


def test_facet_values_keeps_chosen_values_past_the_limit(seed_archive, seed_request):
    request = seed_request(authors=("singham",))
    values, total = seed_archive.facet_values(request, "author", limit=1)
    assert [v.value for v in values] == ["pakistan", "singham"] and total == 11


def test_search_counts_hits_per_article_on_the_page(seed_archive, seed_article_id):
    result = seed_archive.search(SearchRequest(q="putin", per_page=1, sort="oldest"))
    assert result.article_counts == {seed_article_id: 6}


def test_search_suggests_whole_words_not_stems(seed_archive):
    assert seed_archive.search(SearchRequest(q="presidentail elektion")).suggestion == (
        "presidential election"
    )


@pytest.mark.engines("whoosh")
def test_search_out_of_time_returns_what_it_found_marked_partial(seed_index, monkeypatch):
    monkeypatch.setattr("indexer.search.QUERY_SECONDS", -1.0)
    monkeypatch.setattr("indexer.engines.whoosh.DEADLINE_CHECK_EVERY", 2)
    result = search(open_engine(seed_index), SearchRequest(q="putin"))
    assert result.partial and result.to_json()["partial"] is True
    assert result.total < 8


@pytest.mark.engines("tantivy")
def test_search_out_of_time_keeps_every_match_and_marks_the_snippets_partial(
    seed_index, monkeypatch
):
    monkeypatch.setattr("indexer.search.QUERY_SECONDS", -1.0)
    result = search(open_engine(seed_index), SearchRequest(q="putin"))
    assert result.partial and result.total == 8
    assert not any("<mark>" in hit.snippet for hit in result.hits)


def test_search_in_time_is_not_partial(seed_archive):
    assert seed_archive.search(SearchRequest(q="putin")).partial is False


def every_author(engine, request):
    return select(engine, request, facet_limit=ALL_VALUES).facets["author"]


def test_facet_values_are_counted_in_the_snapshot_they_are_kept_for(
    seed_engine, index_dir, monkeypatch
):
    index_records([Article(title="Bridges", body="Text.", byline="Ewa Nowak")], index_dir, "b.txt")
    seed, changed = seed_engine.snapshot(), open_engine(index_dir).snapshot()
    looks = iter([seed])  # the index changes right after the first look at it
    engine = SimpleNamespace(snapshot=lambda: next(looks, changed))
    monkeypatch.setattr("indexer.search.RECENT", RecentResults(8))
    values, _ = facet_values(engine, SearchRequest(), "author")
    assert values == every_author(seed_engine, SearchRequest())
    assert "Ewa Nowak" not in [value.label for value in values]


@pytest.mark.engines("whoosh")
def test_facet_values_found_out_of_time_are_not_kept(seed_index, monkeypatch):
    engine = open_engine(seed_index)
    request = SearchRequest(q="putin")
    monkeypatch.setattr("indexer.search.RECENT", RecentResults(8))
    monkeypatch.setattr("indexer.engines.whoosh.DEADLINE_CHECK_EVERY", 2)
    with monkeypatch.context() as late:
        late.setattr("indexer.search.QUERY_SECONDS", -1.0)
        found_late, _ = facet_values(engine, request, "author")
    found, _ = facet_values(engine, request, "author")
    assert found == every_author(engine, request) != found_late


@pytest.mark.engines("whoosh")
def test_search_counts_its_articles_only_when_asked(seed_index, monkeypatch):
    counted = Counter()
    unique = np.unique

    def counting_unique(*args, **kwargs):
        counted["unique"] += 1
        return unique(*args, **kwargs)

    monkeypatch.setattr(np, "unique", counting_unique)
    result = search(open_engine(seed_index), SearchRequest(q="putin"))
    assert "article_count" not in result.to_json(("total", "hits"))
    assert counted["unique"] == 0
    assert result.to_json()["article_count"] == 2 and counted["unique"] == 1


@pytest.mark.parametrize(
    "query, total",
    [
        ("text:putin", 8),
        ("caption:Gillani", 1),
        ("title:(russia OR pakistan)", 1),
        ("author:UMAIRPK", 2),
        ("author:'True.North'", 1),
        ("kind:article", 2),
        ("kind:comment -author:pakistan", 13),
        ("year:2012", 15),
        ("year:2021", 3),
        ("year:201*", 15),
        ("putin year:2012", 6),
        ("putin year:soon", 0),
        ("russia OR india", 12),
        ("russia -putin", 2),
        ("+putin russia", 6),
        ("pakistan NOT (india OR china)", 5),
        ("-putin", 10),
        ("-(putin OR russia)", 8),
        ('"Rex Minor"', 4),
        ("'rex minor'", 4),
        ("Russia-Pakistan", 1),
        ("putn~", 11),
        ("putn~2", 14),
        ("puti*", 8),
        ("pak*n", 14),
        ("russ?a", 8),
        ("author:umair*", 2),
        ("author:umairp~", 2),
    ],
)
def test_search_query_language_finds_the_same_on_every_engine(seed_archive, query, total):
    assert seed_archive.search(SearchRequest(q=query)).total == total


def test_search_text_is_the_body_and_a_word_alone_any_text_field(seed_archive):
    def total(query: str) -> int:
        return seed_archive.search(SearchRequest(q=query)).total

    assert total("text:putin") == total("body:putin") == 8
    assert total("putin") == total("title:putin OR caption:putin OR body:putin")


def test_search_article_field_finds_the_thread_by_its_id(seed_archive, seed_article_id):
    result = seed_archive.search(SearchRequest(q=f"article:{seed_article_id}"))
    assert result.total == 15


def test_search_exclusions_alone_exclude_from_every_document(seed_archive):
    def total(query: str) -> int:
        return seed_archive.search(SearchRequest(q=query)).total

    assert total("-putin") == total("") - total("putin")
    assert total("NOT putin NOT russia") == total("-(putin OR russia)")


def test_search_fuzzy_and_wildcard_words_find_what_their_words_find(seed_archive):
    def ids(query: str) -> set[str]:
        hits = seed_archive.search(SearchRequest(q=query, per_page=100)).hits
        return {hit.document.id for hit in hits}

    assert ids("putin") < ids("putn~") < ids("putn~2")
    assert ids("puti*") == ids("put?n") == ids("putin")


def test_search_fuzzy_word_finds_what_the_words_within_its_edits_find(seed_archive):
    """`governmnt` is one edit from `government`, but its stem is three from `govern`:
    the word is compared as written, then what it stands for is searched stemmed."""
    result = seed_archive.search(SearchRequest(q="governmnt~1", per_page=100))
    found = {hit.document.id for hit in result.hits}
    assert found and found == {
        hit.document.id
        for hit in seed_archive.search(SearchRequest(q="government", per_page=100)).hits
    }
    assert all("<mark>government</mark>" in hit.snippet.lower() for hit in result.hits)
    assert seed_archive.search(SearchRequest(q="governmnt~1 -government")).total == 0
    assert seed_archive.search(SearchRequest(q="qxzvwk~2")).total == 0


def test_search_many_fuzzy_words_are_one_search_on_every_engine(seed_archive):
    """Short words within two edits are near hundreds of the archive's words; eight of
    them, each standing for as many words as one alone, passed Solr's 1,024 clauses."""
    near = [f"{first}{second}~2" for first, second in zip("abcdefgh", "eioutaei", strict=True)]

    def total(query: str) -> int:
        return seed_archive.search(SearchRequest(q=query)).total

    assert total(" OR ".join(near)) > 0


def test_search_fuzzy_word_finds_words_of_titles_too(seed_archive):
    def ids(query: str) -> set[str]:
        return {hit.document.id for hit in seed_archive.search(SearchRequest(q=query)).hits}

    assert ids("body:radar") == set()
    assert ids("radr~1") == ids("title:radar") != set()



def test_engines_keep_every_facet_a_document_has_a_key_in():
    from indexer.documents import thread_documents
    from indexer.facets import FACET_KEYS, facet_keys
    from indexer.records import Article, Comment

    article = Article(title="T", body="b", comments=(Comment(author="A", body="c", position=1),))
    for document in thread_documents(article, "source"):
        assert tuple(facet_keys(document)) == FACET_KEYS


@pytest.mark.parametrize("facet_size", [2, 5, 11, 100])
def test_search_facet_total_counts_every_author_however_few_are_listed(
    seed_archive, seed_request, facet_size
):
    result = seed_archive.search(seed_request(facet_size=facet_size))
    assert len(result.facets["author"]) < 11 or facet_size >= 11
    assert result.facet_total("author") == 11
    listed_in_full = facet_size > 11  # a list cut at the facet size may hold more: not counted
    assert result.to_json()["facet_totals"]["author"] == (11 if listed_in_full else None)


def test_search_facet_total_of_a_chosen_facet_counts_without_its_own_filter(
    seed_archive, seed_request
):
    result = seed_archive.search(seed_request(facet_size=2, authors=("Jammu",)))
    assert result.total == 1 and result.facet_total("author") == 11


def test_search_facet_total_counts_within_the_query_and_other_filters(seed_archive, seed_request):
    listed = seed_archive.search(seed_request(q="Putin", kinds=("comment",)))
    cut = seed_archive.search(seed_request(q="Putin", kinds=("comment",), facet_size=1))
    assert 1 < len(listed.facets["author"]) < 11
    assert cut.facet_total("author") == len(listed.facets["author"])


@pytest.mark.parametrize(
    ("typed", "chosen"),
    [
        ({"q": "author:Jammu"}, {"authors": ("Jammu",)}),
        ({"q": "Putin author:umairpk"}, {"q": "Putin", "authors": ("Umairpk",)}),
        ({"q": "author:Jammu", "authors": ("Umairpk",)}, {"authors": ("Jammu", "Umairpk")}),
        ({"q": "kind:article year:2012"}, {"kinds": ("article",), "years": (2012,)}),
    ],
)
def test_search_filter_terms_in_the_query_are_the_filters(seed_archive, typed, chosen):
    by_query, by_filter = (seed_archive.search(SearchRequest(**a)) for a in (typed, chosen))
    assert by_query.total == by_filter.total > 0
    assert [h.document.id for h in by_query.hits] == [h.document.id for h in by_filter.hits]
    assert by_query.facets == by_filter.facets


@pytest.mark.parametrize("query", ["-author:Jammu", "author:Jammu OR putin", "author:Jam*"])
def test_search_filter_terms_that_do_not_narrow_stay_in_the_query(query):
    request = SearchRequest(q=query)
    assert (request.q, request.authors) == (query, ())


def test_search_request_takes_a_filter_term_once_however_it_is_written():
    request = SearchRequest(q="author:umairpk author:UMAIRPK year:2012", authors=("Umairpk",))
    assert (request.q, request.authors, request.years) == ("", ("Umairpk",), (2012,))
