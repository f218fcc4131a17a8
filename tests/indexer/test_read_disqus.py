"""Tests for the Disqus export reader."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import pytest

from indexer.readers import ReaderError, threads
from indexer.readers.disqus import looks_like_disqus, parse_disqus, read_disqus
from indexer.records import Article, Comment

ROOT = Path(__file__).resolve().parents[2]
EXPORT = ROOT / "tests" / "fixtures" / "disqus" / "export.xml"

# Addresses that sit in the fixture's <email> and <ipAddress> fields, or in a name.
PRIVATE = [
    "reader@example.org",
    "203.0.113.7",
    "jo.bloggs@example.com",
    "2001:db8::7",
    "quay@example.com",
    "198.51.100.23",
    "editor@example.net",
    "198.51.100.40",
    "master@example.net",
    "192.0.2.44",
]

HEADER = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">'
)
THREAD = (
    '<thread dsq:id="1"><link>https://example.com/a/</link><title>A & B</title>'
    "<createdAt>2020-01-01T10:00:00Z</createdAt><isDeleted>false</isDeleted></thread>"
)


def disqus_post(key: str, message: str, parent: str = "") -> str:
    reply = f'<parent dsq:id="{parent}"/>' if parent else ""
    return (
        f'<post dsq:id="{key}"><message><![CDATA[{message}]]></message>'
        f"<createdAt>2020-01-01T11:00:0{key}Z</createdAt><isDeleted>false</isDeleted>"
        "<isSpam>false</isSpam><author><name>Someone</name></author>"
        f'<thread dsq:id="1"/>{reply}</post>'
    )


def by_key(article: Article) -> dict[str, Comment]:
    return {c.key: c for c in article.comments if c.key is not None}


@pytest.fixture(scope="module")
def export() -> list[Article]:
    return parse_disqus(EXPORT.read_bytes())


@pytest.fixture(scope="module")
def ferries(export: list[Article]) -> Article:
    return export[0]


def test_parse_disqus_one_article_per_thread_with_something_to_read(
    export: list[Article],
) -> None:
    assert [a.key for a in export] == ["2001", "2002"]


def test_parse_disqus_article_fields(ferries: Article) -> None:
    assert (ferries.title, ferries.url, ferries.date, ferries.body, ferries.byline) == (
        "Harbour ferries return after winter \u2013 Harbour News",
        "https://news.example.com/2018/09/ferries/",
        datetime(2018, 9, 12, 16, 47),
        "",
        None,
    )


def test_parse_disqus_untitled_thread_uses_its_link(export: list[Article]) -> None:
    assert export[1].title == "https://news.example.com/2018/09/bridge/"


def test_parse_disqus_thread_message_is_the_body(export: list[Article]) -> None:
    assert export[1].body == "Comments on the bridge closure."


def test_parse_disqus_skips_deleted_and_spam_posts(ferries: Article) -> None:
    assert sorted(by_key(ferries)) == ["3001", "3002", "3003", "3005", "3007"]


def test_parse_disqus_drops_posts_of_deleted_or_unknown_threads(export: list[Article]) -> None:
    assert [c.key for a in export for c in a.comments if c.key in ("3020", "3030")] == []


def test_parse_disqus_positions_follow_dates(ferries: Article) -> None:
    assert [(c.position, c.key) for c in ferries.comments] == [
        (1, "3007"),
        (2, "3001"),
        (3, "3002"),
        (4, "3003"),
        (5, "3005"),
    ]


@pytest.mark.parametrize(
    ("key", "date"),
    [
        ("3001", datetime(2018, 9, 12, 17, 0)),  # "Z"
        ("3007", datetime(2018, 9, 12, 16, 58)),  # "+02:00"
    ],
)
def test_parse_disqus_dates_are_naive_utc(ferries: Article, key: str, date: datetime) -> None:
    assert by_key(ferries)[key].date == date


def test_parse_disqus_reply_chain(ferries: Article) -> None:
    assert {key: c.parent for key, c in by_key(ferries).items()} == {
        "3001": None,
        "3002": "3001",
        "3003": "3002",
        "3005": "3003",  # answered deleted 3004, which answered 3003
        "3007": None,
    }


@pytest.mark.parametrize(
    ("key", "author"),
    [
        ("3001", "Reader One"),
        ("3002", "quaymaster"),
        ("3003", "Anonymous"),
        ("3007", "jo.bloggs"),
    ],
    ids=["name", "username", "anonymous", "e-mail-as-name"],
)
def test_parse_disqus_comment_author(ferries: Article, key: str, author: str) -> None:
    assert by_key(ferries)[key].author == author


@pytest.mark.parametrize(
    ("key", "body"),
    [
        ("3001", "Good news for commuters.\n\nThe bridge is always jammed."),
        ("3007", "First!\nWritten before everyone else."),
    ],
    ids=["html", "plain-text"],
)
def test_parse_disqus_comment_body(ferries: Article, key: str, body: str) -> None:
    assert by_key(ferries)[key].body == body


def test_parse_disqus_never_reads_addresses(export: list[Article]) -> None:
    records = repr(export)
    assert [address for address in PRIVATE if address in records] == []


def test_parse_disqus_recovers_a_damaged_truncated_export() -> None:
    whole = HEADER + THREAD + disqus_post("1", "Tab\x0bbed") + disqus_post("2", "Cut short")
    data = whole[: whole.index("short")].encode()
    article = parse_disqus(data)[0]
    assert (article.title, [(c.key, c.body) for c in article.comments]) == (
        "A & B",
        [("1", "Tabbed")],
    )


def test_parse_disqus_reply_to_another_threads_post_is_top_level() -> None:
    other = THREAD.replace('dsq:id="1"', 'dsq:id="2"')
    elsewhere = disqus_post("1", "Elsewhere").replace(
        '<thread dsq:id="1"/>', '<thread dsq:id="2"/>'
    )
    data = f"{HEADER}{THREAD}{other}{elsewhere}{disqus_post('2', 'Here', parent='1')}</disqus>"
    assert parse_disqus(data.encode())[0].comments[0].parent is None


def test_parse_disqus_title_only_thread_is_skipped() -> None:
    assert parse_disqus(f"{HEADER}{THREAD}</disqus>".encode()) == []


@pytest.mark.parametrize(
    "data",
    [b"<disqus/>", b"just words", b'<rss version="2.0"><channel/></rss>'],
    ids=["empty-export", "text", "rss"],
)
def test_parse_disqus_refuses_files_without_threads_or_posts(data: bytes) -> None:
    with pytest.raises(ReaderError, match="not a Disqus export"):
        parse_disqus(data)


def test_parse_disqus_never_expands_entities(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    doctype = f'<!DOCTYPE disqus [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
    data = HEADER.replace("\n", doctype) + THREAD + disqus_post("1", "&xxe;") + "</disqus>"
    assert "TOP-SECRET" not in repr(parse_disqus(data.encode()))


def test_looks_like_disqus_recognises_export() -> None:
    assert looks_like_disqus(EXPORT.read_bytes()[:8192])


def test_looks_like_disqus_reads_past_the_prolog() -> None:
    head = (
        b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- exported -->\n<disqus xmlns="http://disqus.com">'
    )
    assert looks_like_disqus(head)


@pytest.mark.parametrize(
    "path",
    [
        *sorted((ROOT / "tests" / "fixtures" / "wxr").glob("*.xml")),
        ROOT / "tests" / "fixtures" / "text" / "no-date.txt",
    ],
    ids=lambda p: p.name,
)
def test_looks_like_disqus_rejects_other_files(path: Path) -> None:
    assert not looks_like_disqus(path.read_bytes()[:8192])


# Reading a piece at a time


def thread(key: str, title: str, deleted: str = "false") -> str:
    return (
        THREAD.replace('dsq:id="1"', f'dsq:id="{key}"')
        .replace("A & B", title)
        .replace("<isDeleted>false", f"<isDeleted>{deleted}")
    )


def on(key: str, post: str) -> str:
    return post.replace('<thread dsq:id="1"/>', f'<thread dsq:id="{key}"/>')


SCATTERED = (
    HEADER
    + on("2", disqus_post("1", "Before its thread"))
    + thread("1", "One")
    + disqus_post("2", "On one")
    + thread("2", "Two")
    + on("2", disqus_post("3", "Reply on two", parent="1"))
    + disqus_post("4", "Late on one", parent="2")
    + "</disqus>"
)


@pytest.mark.parametrize("chunk_bytes", [1, 3, 7, 64])
@pytest.mark.parametrize(
    "data",
    [EXPORT.read_bytes(), SCATTERED.encode(), SCATTERED.encode("utf-16")],
    ids=["export", "scattered", "utf-16"],
)
def test_read_disqus_in_tiny_pieces_reads_as_whole(data: bytes, chunk_bytes: int) -> None:
    assert list(read_disqus(io.BytesIO(data), chunk_bytes)) == parse_disqus(data)


@pytest.mark.parametrize("spill_records", [10_000, 1], ids=["in-memory", "on-disk"])
def test_posts_anywhere_in_the_file_join_their_thread(spill_records, monkeypatch) -> None:
    monkeypatch.setattr(threads, "SPILL_RECORDS", spill_records)
    articles = parse_disqus(SCATTERED.encode())
    assert [(a.title, [(c.key, c.parent) for c in a.comments]) for a in articles] == [
        ("One", [("2", None), ("4", "2")]),
        ("Two", [("1", None), ("3", "1")]),
    ]


@pytest.mark.parametrize("spill_records", [10_000, 2], ids=["in-memory", "on-disk"])
def test_the_export_reads_the_same_when_its_records_go_to_disk(spill_records, monkeypatch):
    expected = parse_disqus(EXPORT.read_bytes())
    monkeypatch.setattr(threads, "SPILL_RECORDS", spill_records)
    monkeypatch.setattr(threads, "INSERT_BATCH", 3)
    assert parse_disqus(EXPORT.read_bytes()) == expected


def test_the_first_thread_of_an_id_not_deleted_takes_its_posts() -> None:
    data = (
        HEADER
        + thread("1", "Deleted", deleted="true")
        + thread("1", "Kept")
        + thread("1", "A second copy")
        + disqus_post("1", "Hello")
        + "</disqus>"
    )
    assert [(a.title, len(a.comments)) for a in parse_disqus(data.encode())] == [("Kept", 1)]
