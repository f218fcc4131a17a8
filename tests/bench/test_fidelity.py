"""The fidelity report's matching and scoring, on hand-built records and tiny labelled pages."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from bench.fidelity import (
    LabelComment,
    PageLabels,
    find_labels,
    load_labels,
    main,
    match_comments,
    normal,
    render_markdown,
    score_article,
    score_page,
    targets,
    total,
)
from indexer.records import Article, Comment

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "fidelity"
BODY = "The ferry runs again.\n\nTickets cost the same as last year."


def labels(*comments: LabelComment, title: str = "Ferry back", byline: str | None = None):
    return PageLabels(
        page=Path("page.html"),
        name="family/page",
        family="family",
        language="en",
        title=title,
        byline=byline,
        body_contains="tickets cost the same",
        comments=comments,
    )


def found(*comments: tuple, body: str = BODY, title: str = "Ferry back", byline=None) -> Article:
    """An article whose comments are (author, body, date, key, parent) tuples."""
    return Article(
        title=title,
        body=body,
        byline=byline,
        comments=tuple(
            Comment(author=a, body=b, position=n, date=d, key=k, parent=p)
            for n, (a, b, d, k, p) in enumerate(comments, start=1)
        ),
    )


ANN = LabelComment("Ann", "Good news for commuters", "2018-06-19T15:28")
BOB = LabelComment("Bob", "Only if the slot stays", "2018-06-19", parent=1)
ANN_FOUND = ("Ann", "Good news for commuters. At last.", datetime(2018, 6, 19, 15, 28), "c1", None)
BOB_FOUND = ("Bob", "Only if the slot stays.", datetime(2018, 6, 19, 16, 2), "c2", "c1")


def comments(*bodies: str) -> list[Comment]:
    return [Comment(author="x", body=b, position=n) for n, b in enumerate(bodies, start=1)]


def test_normal_folds_case_composition_and_whitespace():
    assert normal("  Gru\u0308SSE\n\tan  alle ") == normal("grüsse an alle")


def test_match_comments_prefers_a_body_that_starts_with_the_text():
    matched = match_comments(
        comments("I agree: good news.", "Good news, at last"), [LabelComment("x", "good news")]
    )
    assert matched == {0: 1}


def test_match_comments_falls_back_to_a_body_that_contains_the_text():
    matched = match_comments(comments("Quote: good news", "other"), [LabelComment("x", "good")])
    assert matched == {0: 0}


def test_match_comments_pairs_repeated_comments_in_page_order():
    found = comments("+1", "Something else", "+1")
    marks = [LabelComment("x", "Something"), LabelComment("x", "+1"), LabelComment("x", "+1")]
    assert match_comments(found, marks) == {0: 1, 1: 2, 2: 0}


def test_match_comments_uses_each_found_comment_once():
    matched = match_comments(comments("Yes"), [LabelComment("x", "yes"), LabelComment("x", "yes")])
    assert matched == {0: 0}


def test_score_article_is_perfect_when_everything_matches():
    score = score_article(labels(ANN, BOB), found(ANN_FOUND, BOB_FOUND))
    assert score.mismatches == []
    assert (score.matched, score.authors, score.dates, score.replies) == (2, 2, 2, 2)


def test_score_article_missed_comment_lowers_recall_and_counts_as_wrong():
    score = score_article(labels(ANN, BOB), found(ANN_FOUND))
    sums = total([score])
    assert sums.recall == 0.5
    assert sums.precision == 1.0
    assert (sums.author_accuracy, sums.date_accuracy, sums.reply_accuracy) == (0.5, 0.5, 0.5)
    assert [(m.kind, m.label) for m in score.mismatches] == [("missed", 2)]


def test_score_article_extra_comment_lowers_precision():
    extra = ("Spam", "Buy cheap watches", None, "c3", None)
    score = score_article(labels(ANN, BOB), found(ANN_FOUND, BOB_FOUND, extra))
    assert total([score]).precision == 2 / 3
    assert total([score]).recall == 1.0
    assert [m.kind for m in score.mismatches] == ["extra"]
    assert "Buy cheap watches" in str(score.mismatches[0])


def test_score_article_wrong_author_is_named():
    score = score_article(labels(ANN), found(("Ann says", *ANN_FOUND[1:])))
    assert score.authors == 0
    assert str(score.mismatches[0]) == "comment 1: author: expected 'Ann', found 'Ann says'"


def test_score_article_date_is_right_at_the_labels_day_precision():
    score = score_article(labels(LabelComment("Bob", "Only if", "2018-06-19")), found(BOB_FOUND))
    assert score.dates == 1


def test_score_article_date_is_wrong_at_minute_precision_when_the_hour_differs():
    late = ("Ann", ANN_FOUND[1], datetime(2018, 6, 19, 3, 28), "c1", None)
    score = score_article(labels(ANN), found(late))
    assert score.dates == 0
    assert [m.kind for m in score.mismatches] == ["date"]


def test_score_article_counts_a_date_invented_for_an_undated_comment():
    undated = LabelComment("Ann", "Good news", None)
    score = score_article(labels(undated), found(ANN_FOUND))
    assert (score.dated, score.undated, score.invented) == (0, 1, 1)
    assert total([score]).date_accuracy is None
    assert [m.kind for m in score.mismatches] == ["invented date"]


def test_score_article_reply_to_the_wrong_comment_is_wrong():
    cid = LabelComment("Cid", "Me too", None)
    marks = labels(ANN, cid, LabelComment("Bob", "Only if", "2018-06-19", parent=1))
    cid_found = ("Cid", "Me too", None, "c9", None)
    bob_to_cid = (*BOB_FOUND[:4], "c9")
    score = score_article(marks, found(ANN_FOUND, cid_found, bob_to_cid))
    assert score.replies == 2
    [wrong] = score.mismatches
    assert (wrong.kind, wrong.label, wrong.expected) == ("parent", 3, "comment 1")
    assert "Cid" in wrong.found


def test_score_article_reply_found_where_none_is_labelled_is_wrong():
    bob = LabelComment("Bob", "Only if", "2018-06-19")
    score = score_article(labels(ANN, bob), found(ANN_FOUND, BOB_FOUND))
    assert score.replies == 1
    assert [m.kind for m in score.mismatches] == ["parent"]


def test_score_article_finds_comment_text_in_the_article_body():
    leaked = found(ANN_FOUND, BOB_FOUND, body=BODY + "\n\nAnn\n\nGood news for commuters.")
    score = score_article(labels(ANN, BOB), leaked)
    assert score.in_body == 1
    assert total([score]).leaking_pages == 1
    assert [(m.kind, m.label) for m in score.mismatches] == [("in body", 1)]


def test_score_article_checks_title_byline_and_body_phrase():
    score = score_article(
        labels(title="Ferry back", byline="Ann Lee"),
        found(title="Ferry back | Post", byline=None, body="Nothing about tickets"),
    )
    assert (score.title, score.byline, score.body) == (False, False, False)
    assert [m.kind for m in score.mismatches] == ["title", "byline", "body"]


def test_score_article_expects_no_byline_when_the_label_has_none():
    assert not score_article(labels(), found(byline="Staff")).byline
    assert score_article(labels(), found()).byline


def test_find_labels_searches_folders_recursively():
    assert [p.relative_to(FIXTURES).as_posix() for p in find_labels([FIXTURES])] == [
        "microdata/undated.labels.json",
        "unreadable/empty.labels.json",
        "wordpress/threaded.labels.json",
    ]


def test_load_labels_reads_the_page_beside_the_labels():
    page = load_labels(FIXTURES / "wordpress" / "threaded.labels.json")
    assert page.page == FIXTURES / "wordpress" / "threaded.html"
    assert page.name == "wordpress/threaded"
    assert page.comments[1] == LabelComment(
        "Pete Marsh", "Share mine, the courgettes", "2019-05-02T10:05", 1
    )


def test_score_page_reads_a_labelled_wordpress_page():
    score = score_page(load_labels(FIXTURES / "wordpress" / "threaded.labels.json"))
    assert score.error is None
    assert (score.labels, score.matched, score.authors, score.replies) == (3, 3, 3, 3)


def test_score_page_counts_an_unreadable_page_as_all_missed():
    score = score_page(load_labels(FIXTURES / "unreadable" / "empty.labels.json"))
    assert "ReaderError" in score.error
    assert (score.labels, score.matched, score.dated, score.dates) == (1, 0, 1, 0)
    assert total([score]).recall == 0.0


def test_targets_are_met_or_not():
    perfect = total([score_article(labels(ANN, BOB), found(ANN_FOUND, BOB_FOUND))])
    assert all(ok for _, _, ok in targets(perfect))
    missed = total([score_article(labels(ANN, BOB), found(ANN_FOUND))])
    assert [ok for _, _, ok in targets(missed)] == [False, True, False, False, True]


def test_render_markdown_lists_mismatches_under_their_page():
    score = score_article(labels(ANN, BOB), found(ANN_FOUND))
    text = render_markdown([score], "python -m bench.fidelity", "abc1234", "2024-01-01")
    assert "at `abc1234` on 1 pages of 1 markup families in 1 languages (en)" in text
    assert "**family/page**\n\n- comment 2: missed" in text
    assert "| comment recall ≥ 97% | 50.0% (1/2) | **not met** |" in text


def test_main_exits_2_without_labels(tmp_path, capsys):
    assert main(["--pages", str(tmp_path)]) == 2
    assert "no *.labels.json" in capsys.readouterr().err


def test_main_writes_the_report_and_exits_0_on_failures(tmp_path):
    out = tmp_path / "fidelity.md"
    assert main(["--pages", str(FIXTURES), "--out", str(out)]) == 0
    assert "unreadable/empty" in out.read_text()
