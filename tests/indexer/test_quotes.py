"""Tests for finding which earlier comments of a thread a comment quotes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indexer.quotes import MAX_QUOTES_PER_COMMENT, quoted_comments
from indexer.readers.text import read_text
from indexer.records import Comment

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "structure" / "quotes.jsonl"
ORIGINAL = "The pipeline will never be built while Afghanistan is at war. Investors are not fools."


def thread(*bodies: str) -> list[Comment]:
    return [Comment(author=f"reader{n}", body=body, position=n) for n, body in enumerate(bodies, 1)]


def test_quoted_comments_find_kpsingh01_quoting_matrixx_in_the_seed(seed_path):
    assert quoted_comments(read_text(seed_path)[0].comments) == {5: [4]}


def test_quoted_comments_miss_an_unmarked_echo_in_the_seed(seed_path):
    """7Winds repeats KPSingh01's "a rag tag bunch of lunatics, land lords(regional) and
    a mercenary military cartel with nukes" without quotation marks: a known miss."""
    comments = read_text(seed_path)[0].comments
    assert comments[12].author == "7Winds"
    assert "a rag tag bunch of lunatics, land lords(regional)" in comments[12].body
    assert 13 not in quoted_comments(comments)


@pytest.mark.parametrize(
    "reply",
    [
        '"The pipeline will never be built while Afghanistan is at war." Nonsense.',
        "\u201cThe pipeline will never be built while Afghanistan is at war.\u201d Nonsense.",
        "\u00abThe pipeline will never be built while Afghanistan is at war\u00bb, you say.",
        "> The pipeline will never be built\n> while Afghanistan is at war.\n\nNonsense.",
        "\u201cthe PIPELINE will never be built   while afghanistan is at war!\u201d Nonsense.",
        "\u201cThe pipeline will never be built \u2026 at war.\u201d Nonsense.",
    ],
)
def test_quoted_comments_find_each_quoting_style(reply):
    assert quoted_comments(thread(ORIGINAL, reply)) == {2: [1]}


def test_quoted_comments_ignore_short_scare_quotes():
    assert quoted_comments(thread(ORIGINAL, '"Investors are not fools"? They are.')) == {}


def test_quoted_comments_link_only_earlier_comments():
    first = "\u201cThe China wall will be extended via Pakistan to east Europe\u201d, they say."
    second = "The China wall will be extended via Pakistan to east Europe. So what?"
    assert quoted_comments(thread(first, second)) == {}


def test_quoted_comments_credit_the_author_of_the_words_not_an_earlier_quoter():
    quoter = f"\u201c{ORIGINAL}\u201d Agreed."
    again = "\u201cThe pipeline will never be built while Afghanistan is at war.\u201d Wrong."
    assert quoted_comments(thread(ORIGINAL, quoter, again)) == {2: [1], 3: [1]}


def test_quoted_comments_link_no_one_for_a_passage_two_readers_quote_from_elsewhere():
    article = "\u201cVisits alone don\u2019t transform ties, especially troubled ones.\u201d"
    assert quoted_comments(thread(f"{article} True.", f"{article} False.")) == {}


def test_quoted_comments_read_at_most_the_capped_number_of_quotes():
    earlier = [f"Comment number {n} says something rather long about pipelines." for n in range(30)]
    reply = " ".join(f"\u201c{body}\u201d" for body in earlier)
    links = quoted_comments(thread(*earlier, reply))
    assert links[31] == list(range(1, MAX_QUOTES_PER_COMMENT + 1))


def test_quoted_comments_precision_and_recall_on_labelled_fixture():
    found = expected = correct = 0
    for line in FIXTURE.read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        links = quoted_comments(thread(*case["comments"]))
        got = {(quoting, quoted) for quoting, sources in links.items() for quoted in sources}
        labelled = {(quoting, quoted) for quoting, quoted in case["links"]}
        found += len(got)
        expected += len(labelled)
        correct += len(got & labelled)
    precision, recall = correct / found, correct / expected
    print(f"\nquotes: precision {precision:.3f} ({correct}/{found}), "
          f"recall {recall:.3f} ({correct}/{expected})")
    assert precision >= 0.9
    assert recall >= 0.8
