import pytest

from indexer.documents import thread_documents
from indexer.privacy import EMAIL_REMOVED, IP_REMOVED, redact, redact_author
from indexer.records import Article, Comment


@pytest.mark.parametrize(
    "text, expected",
    [
        ("mail me at reader@example.org now", f"mail me at {EMAIL_REMOVED} now"),
        ("from 203.0.113.7.", f"from {IP_REMOVED}."),
        ("host 2001:db8::ff00:42:8329 seen", f"host {IP_REMOVED} seen"),
        ("full fe80:0:0:0:202:b3ff:fe1e:8329", f"full {IP_REMOVED}"),
        ("mapped 2001:db8::198.18.1.1 here", f"mapped {IP_REMOVED} here"),
        ("ends with ::ffff:192.0.2.1.", f"ends with {IP_REMOVED}."),
        ('write to "john doe"@example.com soon', f"write to {EMAIL_REMOVED} soon"),
        ("or jane@[203.0.113.9] instead", f"or {EMAIL_REMOVED} instead"),
    ],
)
def test_redact_replaces_addresses(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "at 12:59 or 12:59:30",
        "version 1.2.3",
        "6,000 MW in 2012",
        "300.1.1.1 is no address",
        "John 3:16:2 and a:b:c",
        'he said "no"@ the end',
    ],
)
def test_redact_leaves_ordinary_text_alone(text):
    assert redact(text) == text


def test_redact_author_keeps_the_local_part_of_an_email_name():
    assert redact_author("jane.doe@example.org") == "jane.doe"


def test_redact_author_leaves_a_handle_alone():
    assert redact_author("True.North") == "True.North"


def test_thread_documents_remove_addresses_from_comments():
    article = Article(
        title="T",
        body="b",
        comments=(Comment(author="x@example.org", body="I am at 203.0.113.7", position=1),),
    )
    comment = thread_documents(article, "src")[1]
    assert (comment.author, comment.body) == ("x", f"I am at {IP_REMOVED}")
