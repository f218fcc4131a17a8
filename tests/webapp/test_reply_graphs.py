"""Who answers whom: quotes and replies in the thread view, the reply graph drawn on the
thread and author pages, and its JSON twins. On the seed, KPSingh01 (comment 5) quotes
Matrixx (comment 4); in the known archive's bridge thread Bob answers Alice and back."""

from __future__ import annotations

from datetime import datetime

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient

from indexer.documents import article_id
from indexer.engines import open_engine
from indexer.indexing import index_records
from indexer.records import Article, Comment
from indexer.replies import ReplyGraph, author_graph
from tests.webapp.known_archive import BRIDGE_ID, BUDGET_ID
from webapp import create_app
from webapp.graphs import MAX_NODES, busiest_pairs, draw_graph

MARKUP_THREAD = Article(
    title="Names with markup",
    body="An article.",
    date=datetime(2021, 6, 1),
    comments=(
        Comment("Trudy & Co", "The ferry is late again.", 1, key="t"),
        Comment("<i>Mallory</i>", "Not late at all.", 2, key="m", parent="t"),
    ),
)


def html(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def pair_rows(page: BeautifulSoup) -> list[list[str]]:
    return [
        [cell.get_text() for cell in row.select("td")] for row in page.select(".pairs tbody tr")
    ]


@pytest.fixture(scope="module")
def markup(tmp_path_factory: pytest.TempPathFactory) -> FlaskClient:
    index_dir = tmp_path_factory.mktemp("markup-names") / "index"
    index_records([MARKUP_THREAD], index_dir, "markup")
    return create_app({"TESTING": True, "INDEX_DIR": str(index_dir)}).test_client()


def test_thread_comment_says_which_comment_it_quotes(client, seed_article_id):
    quotes = html(client.get(f"/article/{seed_article_id}")).select_one("#c5 .quotes")
    assert quotes.get_text(" ", strip=True) == "quotes #4"
    assert quotes.a["href"] == "#c4"


def test_thread_quoted_comment_links_to_the_comments_quoting_it(client, seed_article_id):
    page = html(client.get(f"/article/{seed_article_id}"))
    quoted_by = page.select_one("#c4 .quoted-by")
    assert quoted_by.get_text(" ", strip=True) == "quoted by #5"
    assert quoted_by.a["href"] == "#c5"
    assert page.select(".quoted-by") == [quoted_by]


def test_api_article_adds_answered_by_and_quoted_by_to_each_comment(archive):
    comments = archive.get(f"/api/article/{BRIDGE_ID}").get_json()["comments"]
    assert [c["answered_by"] for c in comments] == [
        [f"{BRIDGE_ID}-c2"],
        [f"{BRIDGE_ID}-c3"],
        [],
        [],
    ]
    assert [c["quoted_by"] for c in comments] == [[], [], [], []]


def test_api_article_quoted_by_reads_the_quote_back(client, seed_article_id):
    comments = client.get(f"/api/article/{seed_article_id}").get_json()["comments"]
    assert comments[3]["quoted_by"] == [f"{seed_article_id}-c5"]
    assert comments[4]["quotes"] == [f"{seed_article_id}-c4"]


def test_api_article_graph_has_the_quote_from_kpsingh01_to_matrixx(client, seed_article_id):
    graph = client.get(f"/api/article/{seed_article_id}/graph").get_json()
    assert graph == {
        "nodes": [{"author": "KPSingh01", "comments": 1}, {"author": "Matrixx", "comments": 1}],
        "edges": [{"from": "KPSingh01", "to": "Matrixx", "replies": 0, "quotes": 1}],
    }


def test_thread_draws_who_answers_whom(client, seed_article_id):
    page = html(client.get(f"/article/{seed_article_id}"))
    section = page.select_one("section#who-answers-whom")
    assert section.svg["role"] == "img"
    assert len(section.select("svg circle")) == 2
    assert [arrow["class"] for arrow in section.select("svg path.arrow")] == [
        ["arrow", "arrow-quote"]
    ]
    assert pair_rows(page) == [["KPSingh01", "Matrixx", "0", "1"]]
    assert page.select_one(".graph-link a")["href"] == "#who-answers-whom"


def test_thread_without_answers_has_no_graph(archive):
    page = html(archive.get(f"/article/{BUDGET_ID}"))
    assert page.select_one("#who-answers-whom") is None and page.select_one(".graph-link") is None


def test_author_page_draws_the_author_in_the_middle_of_their_graph(archive):
    section = html(archive.get("/author/Alice")).select_one("#who-answers-whom")
    circles = section.select("svg circle")
    assert [(c["cx"], c["cy"]) for c in circles][0] == ("0.0", "0.0")
    assert [t.get_text() for t in section.select("svg text")] == ["Alice", "Bob"]
    assert pair_rows(section) == [["Alice", "Bob", "1", "0"], ["Bob", "Alice", "1", "0"]]


def test_author_page_without_answers_has_no_graph(archive):
    assert html(archive.get("/author/Dave")).select_one("#who-answers-whom") is None


def test_api_author_graph_equals_the_library_graph(archive, archive_index):
    expected = author_graph(open_engine(archive_index), "Alice").to_json()
    assert archive.get("/api/author/alice/graph").get_json() == expected


@pytest.mark.parametrize("path", ["/api/article/no-such-article/graph", "/api/author/Nobody/graph"])
def test_api_graph_of_an_unknown_article_or_author_is_404(archive, path):
    response = archive.get(path)
    assert response.status_code == 404 and response.get_json()["ok"] is False


def test_graph_names_with_markup_are_shown_as_text(markup):
    response = markup.get(f"/article/{article_id(MARKUP_THREAD)}")
    section = html(response).select_one("#who-answers-whom")
    assert section.find("i") is None
    assert [t.get_text() for t in section.select("svg text")] == ["<i>Mallory</i>", "Trudy & Co"]
    assert "&lt;i&gt;Mallory&lt;/i&gt; → Trudy &amp; Co: 1 reply" in response.get_data(as_text=True)


def star(count: int) -> ReplyGraph:
    """`count` commenters, each answering hub0 once; hub0 has the most comments."""
    names = [f"hub{i}" for i in range(count)]
    return ReplyGraph(
        nodes=[(name, count - i) for i, name in enumerate(names)],
        edges=[(name, "hub0", 1, 0) for name in names[1:]],
    )


def test_draw_graph_draws_the_busiest_commenters_and_says_how_many_are_left_out():
    drawing = draw_graph(star(MAX_NODES + 10))
    assert [node.name for node in drawing.nodes] == [f"hub{i}" for i in range(MAX_NODES)]
    assert drawing.left_out == 10
    assert len(drawing.arrows) == MAX_NODES - 1


def test_draw_graph_keeps_the_centre_author_even_when_not_among_the_busiest():
    drawing = draw_graph(star(MAX_NODES + 10), centre="HUB35")
    assert drawing.nodes[0].name == "hub35" and (drawing.nodes[0].x, drawing.nodes[0].y) == (0, 0)
    assert len(drawing.nodes) == MAX_NODES


def test_draw_graph_draws_a_reply_and_a_quote_of_one_pair_apart():
    drawing = draw_graph(ReplyGraph([("a", 3), ("b", 2)], [("a", "b", 2, 1)]))
    reply, quote = drawing.arrows
    assert (reply.kind, reply.count, quote.kind, quote.count) == ("reply", 2, "quote", 1)
    assert reply.path != quote.path and reply.width > quote.width


def test_draw_graph_bows_each_direction_of_a_pair_to_its_own_side():
    drawing = draw_graph(ReplyGraph([("a", 1), ("b", 1)], [("a", "b", 1, 0), ("b", "a", 1, 0)]))
    there, back = (arrow.path.split(" Q")[1].split()[0] for arrow in drawing.arrows)
    assert there != back


def test_draw_graph_loops_an_answer_to_oneself():
    drawing = draw_graph(ReplyGraph([("a", 2), ("b", 1)], [("a", "a", 1, 0), ("b", "a", 1, 0)]))
    assert " C" in drawing.arrows[0].path and " Q" in drawing.arrows[1].path


def test_draw_graph_fits_its_view_box_round_every_label():
    drawing = draw_graph(star(12))
    left, top, width, height = drawing.box
    for node in drawing.nodes:
        assert left < node.label_x < left + width and top < node.label_y < top + height


def test_draw_graph_labels_read_left_to_right():
    assert all(-90 <= node.angle <= 90 for node in draw_graph(star(MAX_NODES)).nodes)


def test_draw_graph_cuts_a_long_name_and_keeps_it_whole_in_the_node():
    name = "A commenter with a very long name indeed"
    node = draw_graph(ReplyGraph([(name, 1), ("b", 1)], [(name, "b", 1, 0)])).nodes[0]
    assert node.name == name and node.label.endswith("…") and len(node.label) == 18


def test_busiest_pairs_puts_the_most_answers_first():
    graph = ReplyGraph([], [("a", "b", 1, 0), ("b", "c", 2, 3), ("c", "a", 0, 2)])
    assert busiest_pairs(graph) == [("b", "c", 2, 3), ("c", "a", 0, 2), ("a", "b", 1, 0)]
