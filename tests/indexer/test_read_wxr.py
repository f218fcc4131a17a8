"""Tests for the WordPress export (WXR) reader."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from indexer.readers import ReaderError
from indexer.readers.wxr import looks_like_wxr, parse_wxr, read_wxr
from indexer.records import Article, Comment

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "wxr"
EXPORT = FIXTURES / "wxr-1.2.xml"
WXR_FILES = sorted(FIXTURES.glob("*.xml"))

# Addresses that sit in the fixtures' e-mail, IP and URL fields (and the channel's author).
PRIVATE = [
    "reader@example.org",
    "203.0.113.7",
    "jo@example.com",
    "jo.bloggs@example.com",
    "198.51.100.23",
    "2001:db8::7",
    "editor@example.net",
    "reader.example.org/blog",
    "salt@example.com",
    "192.0.2.15",
    "walker@example.com",
    "gull@example.com",
    "198.51.100.31",
]

NAMESPACES = (
    'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:wp="http://wordpress.org/export/1.2/"'
)


def wxr(items: str, doctype: str = "") -> bytes:
    """A minimal WXR 1.2 document around `items`."""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{doctype}\n'
        f'<rss version="2.0" {NAMESPACES}><channel><title>Site</title>{items}</channel></rss>'
    ).encode()


def post(comments: str = "", title: str = "A post", extra: str = "") -> str:
    return (
        f"<item><title>{title}</title><link>https://example.com/a-post/</link>{extra}"
        "<wp:post_id>1</wp:post_id><wp:status>publish</wp:status>"
        f"<wp:post_type>post</wp:post_type>{comments}</item>"
    )


def comment(key: str, parent: str, body: str = "Hello.") -> str:
    return (
        f"<wp:comment><wp:comment_id>{key}</wp:comment_id>"
        "<wp:comment_author>Someone</wp:comment_author>"
        f"<wp:comment_date>2020-01-01 10:00:0{key}</wp:comment_date>"
        f"<wp:comment_content>{body}</wp:comment_content>"
        "<wp:comment_approved>1</wp:comment_approved><wp:comment_type></wp:comment_type>"
        f"<wp:comment_parent>{parent}</wp:comment_parent></wp:comment>"
    )


def read(name: str) -> list[Article]:
    return parse_wxr((FIXTURES / name).read_bytes())


def by_key(article: Article) -> dict[str, Comment]:
    return {c.key: c for c in article.comments if c.key is not None}


@pytest.fixture(scope="module")
def export() -> list[Article]:
    return parse_wxr(EXPORT.read_bytes())


@pytest.fixture(scope="module")
def ferries(export: list[Article]) -> Article:
    return export[0]


def test_parse_wxr_keeps_published_posts_and_pages(export: list[Article]) -> None:
    assert [a.title for a in export] == [
        "Harbour ferries return after winter",
        "New pier opens in March",
        "About Harbour News",
    ]


def test_parse_wxr_article_fields(ferries: Article) -> None:
    assert (ferries.byline, ferries.url, ferries.key, ferries.date) == (
        "marta",
        "https://harbour.example.com/2018/09/12/ferries-return/",
        "https://harbour.example.com/?p=10",
        datetime(2018, 9, 12, 16, 47),
    )


def test_parse_wxr_article_body_is_content_as_paragraphs(ferries: Article) -> None:
    assert ferries.body == (
        "The harbour ferries resumed service on Monday after a two-month pause.\n\n"
        "Officials said the timetable would stay unchanged until spring."
    )


def test_parse_wxr_article_date_falls_back_to_pubdate_in_utc(export: list[Article]) -> None:
    assert export[1].date == datetime(2018, 9, 13, 6, 0)


@pytest.mark.parametrize(
    "pub_date",
    ["Mon, 30 Nov -0001 00:00:00 +0000", "13 Sep 18 08:00 GMT", "yesterday"],
    ids=["wordpress-zero-date", "two-digit-year", "junk"],
)
def test_parse_wxr_article_date_is_never_guessed(pub_date: str) -> None:
    extra = f"<pubDate>{pub_date}</pubDate><wp:post_date>0000-00-00 00:00:00</wp:post_date>"
    assert parse_wxr(wxr(post(extra=extra)))[0].date is None


@pytest.mark.parametrize(
    "data",
    [
        wxr(post(title="Caf\u00e9")),
        wxr(post(title="Caf\u00e9")).replace(b'"UTF-8"', b'"ISO-8859-1"'),
        wxr(post(title="Caf\u00e9"))
        .replace(b'"UTF-8"', b'"ISO-8859-1"')
        .decode()
        .encode("latin-1"),
        wxr(post(title="Caf\u00e9")).decode().encode("utf-16"),
    ],
    ids=["utf-8", "utf-8-declared-latin-1", "latin-1", "utf-16-bom"],
)
def test_parse_wxr_decodes_the_real_encoding(data: bytes) -> None:
    assert parse_wxr(data)[0].title == "Caf\u00e9"


def test_parse_wxr_keeps_only_approved_reader_comments(ferries: Article) -> None:
    assert sorted(by_key(ferries)) == [
        "101",
        "102",
        "103",
        "104",
        "105",
        "110",
        "111",
        "112",
        "115",
    ]


def test_parse_wxr_positions_follow_comment_dates(ferries: Article) -> None:
    assert [(c.position, c.key) for c in ferries.comments] == [
        (1, "115"),
        (2, "101"),
        (3, "102"),
        (4, "103"),
        (5, "104"),
        (6, "105"),
        (7, "110"),
        (8, "111"),
        (9, "112"),
    ]


def test_parse_wxr_reply_chain_five_deep(ferries: Article) -> None:
    comments = by_key(ferries)
    chain = ["105"]
    while (parent := comments[chain[-1]].parent) is not None:
        chain.append(parent)
    assert chain == ["105", "104", "103", "102", "101"]


@pytest.mark.parametrize(
    ("key", "parent"),
    [
        ("110", "101"),  # answers spam 107, which answered 101
        ("111", None),  # answers 106, held for moderation and top-level
    ],
)
def test_parse_wxr_reply_to_dropped_comment_points_to_nearest_kept_ancestor(
    ferries: Article, key: str, parent: str | None
) -> None:
    assert by_key(ferries)[key].parent == parent


@pytest.mark.parametrize(
    ("key", "author"),
    [
        ("101", "Reader One"),
        ("102", "Jo Bloggs"),
        ("111", "jo.bloggs"),
        ("112", "Anonymous"),
    ],
)
def test_parse_wxr_comment_author(ferries: Article, key: str, author: str) -> None:
    assert by_key(ferries)[key].author == author


@pytest.mark.parametrize(
    ("key", "date"),
    [
        ("101", datetime(2018, 9, 12, 17, 0)),
        ("112", None),
    ],
)
def test_parse_wxr_comment_date(ferries: Article, key: str, date: datetime | None) -> None:
    assert by_key(ferries)[key].date == date


@pytest.mark.parametrize(
    ("key", "body"),
    [
        ("101", "Good news for commuters.\n\nThe bridge is always jammed."),
        ("102", "Not on Sundays.\nIt still takes an hour.\n\nSecond paragraph here."),
    ],
)
def test_parse_wxr_comment_body(ferries: Article, key: str, body: str) -> None:
    assert by_key(ferries)[key].body == body


def test_parse_wxr_page_comments(export: list[Article]) -> None:
    assert [(c.author, c.key) for c in export[2].comments] == [("Reader One", "120")]


@pytest.mark.parametrize("path", WXR_FILES, ids=lambda p: p.name)
def test_parse_wxr_never_reads_addresses(path: Path) -> None:
    records = repr(parse_wxr(path.read_bytes()))
    assert [address for address in PRIVATE if address in records] == []


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "wxr-1.0.xml",
            [
                (
                    "Fares & timetables for the winter",
                    [("2", None, "Old Salt"), ("3", "2", "islander")],
                )
            ],
        ),
        ("wxr-1.1-https.xml", [("Storm closes the lighthouse path", [("7", None, "Walker")])]),
    ],
)
def test_parse_wxr_reads_older_versions(
    name: str, expected: list[tuple[str, list[tuple[str, str | None, str]]]]
) -> None:
    articles = read(name)
    assert [
        (a.title, [(c.key, c.parent, c.author) for c in a.comments]) for a in articles
    ] == expected


def test_parse_wxr_body_is_not_the_excerpt() -> None:
    assert read("wxr-1.1-https.xml")[0].body == (
        "The path to the lighthouse is closed.\n\nCouncil crews will inspect it on Monday."
    )


def test_parse_wxr_malformed_export_keeps_its_posts() -> None:
    assert [a.title for a in read("wordpress-com-malformed.xml")] == [
        "Fish & Chips on the quay",
        "Market day moves to Friday",
    ]


def test_parse_wxr_malformed_export_keeps_its_comments() -> None:
    assert [
        [(c.position, c.parent, c.body) for c in a.comments]
        for a in read("wordpress-com-malformed.xml")
    ] == [
        [(1, None, "Mind the gulls, they steal chips."), (2, "31", "Eat inside & you're safe.")],
        [(1, None, "Friday suits us better.")],
    ]


def test_parse_wxr_truncated_file_keeps_what_is_complete() -> None:
    assert [(a.title, [c.key for c in a.comments]) for a in read("truncated.xml")] == [
        ("Tides this week", ["401", "402"]),
        ("Buoys repainted", ["403"]),
    ]


@pytest.mark.parametrize(
    "data",
    [b"just words, no markup", b"<html><body><p>A page</p></body></html>", b"<"],
    ids=["text", "html", "broken"],
)
def test_parse_wxr_refuses_files_without_channel_or_items(data: bytes) -> None:
    with pytest.raises(ReaderError, match="not a WordPress export"):
        parse_wxr(data)


def test_parse_wxr_channel_without_published_posts_is_empty() -> None:
    assert parse_wxr(wxr("")) == []


def test_parse_wxr_parent_loop_is_cut() -> None:
    comments = by_key(parse_wxr(wxr(post(comment("1", "2") + comment("2", "1"))))[0])
    assert [(key, c.parent) for key, c in sorted(comments.items())] == [("1", "2"), ("2", None)]


def test_parse_wxr_self_parent_is_top_level() -> None:
    assert parse_wxr(wxr(post(comment("3", "3"))))[0].comments[0].parent is None


def test_parse_wxr_never_expands_entities(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    doctype = f'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
    articles = parse_wxr(wxr(post(comment("1", "0", "&xxe;"), title="Leak &xxe;"), doctype))
    assert "TOP-SECRET" not in repr(articles)
    assert articles[0].title == "Leak &xxe;"


@pytest.mark.parametrize("path", WXR_FILES, ids=lambda p: p.name)
def test_looks_like_wxr_recognises_exports(path: Path) -> None:
    assert looks_like_wxr(path.read_bytes()[:8192])


@pytest.mark.parametrize(
    "path",
    [
        ROOT / "tests" / "fixtures" / "disqus" / "export.xml",
        ROOT / "tests" / "fixtures" / "text" / "no-date.txt",
        ROOT / "tests" / "fixtures" / "hostile-markup.txt",
    ],
    ids=lambda p: p.name,
)
def test_looks_like_wxr_rejects_other_files(path: Path) -> None:
    assert not looks_like_wxr(path.read_bytes()[:8192])


def test_looks_like_wxr_rejects_plain_rss() -> None:
    feed = (
        b'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
        b'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Feed</title>'
        b"<generator>https://wordpress.org/?v=6.4</generator></channel></rss>"
    )
    assert not looks_like_wxr(feed)


# Reading a piece at a time


def streamed(data: bytes, chunk_bytes: int) -> list[Article]:
    return list(read_wxr(io.BytesIO(data), chunk_bytes))


# Every kind of boundary a piece can fall on: in a CDATA marker and its end, a character
# and a named reference, a bare "&", a "<" that opens nothing, a tag, a UTF-8 character.
BOUNDARIES = wxr(
    post(
        comment("1", "0", "<![CDATA[<p>Caf\u00e9 &amp; <b>bar</b> ]] ]]>")
        + comment("2", "1", "1 < 2 &#233; &#x1F600;"),
        title="Fish &amp; Chips &#8211; R&D &lt;3 \u2603",
        extra="<dc:creator><![CDATA[marta]]></dc:creator>",
    )
    + post(title="Second &quot;post&quot;")
)


@pytest.mark.parametrize("chunk_bytes", [1, 2, 3, 5, 7, 11, 64])
@pytest.mark.parametrize(
    "data",
    [
        *(path.read_bytes() for path in WXR_FILES),
        BOUNDARIES,
        BOUNDARIES.decode().encode("utf-16"),
        BOUNDARIES.replace(b'"UTF-8"', b'"ISO-8859-1"').decode().encode("latin-1", "replace"),
    ],
    ids=[*(path.name for path in WXR_FILES), "boundaries", "utf-16", "latin-1"],
)
def test_read_wxr_in_tiny_pieces_reads_as_whole(data: bytes, chunk_bytes: int) -> None:
    assert streamed(data, chunk_bytes) == parse_wxr(data)


def test_pieces_split_inside_markup_still_read_it() -> None:
    [first, second] = streamed(BOUNDARIES, 7)
    assert (first.title, second.title) == ("Fish & Chips \u2013 R&D <3 \u2603", 'Second "post"')
    assert [c.body for c in first.comments] == ["Caf\u00e9 & bar ]]", "1 2 \u00e9 \U0001f600"]


def test_a_stray_less_than_sign_does_not_end_the_file() -> None:
    """A "<" that opens no markup stops a streaming parser; it is dropped instead."""
    titles = [
        a.title
        for a in parse_wxr(wxr(post(comment("1", "0", "1 < 2, I <3 it")) + post(title="Next")))
    ]
    assert titles == ["A post", "Next"]


def test_named_references_survive_an_earlier_broken_rule() -> None:
    broken = post(title="Broken", extra='<guid isPermaLi]nk="x">g</guid>')
    articles = parse_wxr(wxr(broken + post(title="Fish &amp; Chips")))
    assert [a.title for a in articles][-1] == "Fish & Chips"


def test_an_unclosed_item_keeps_the_items_after_it_in_file_order() -> None:
    unclosed = post(title="Unclosed").removesuffix("</item>")
    articles = parse_wxr(
        wxr(post(title="First") + unclosed + post(title="Inside") + post(title="Last"))
    )
    assert [a.title for a in articles] == ["First", "Unclosed", "Inside", "Last"]


def test_utf8_with_a_windows_1252_passage_after_the_first_megabyte_reads_both() -> None:
    filler = post(title="Filler", extra=f"<content:encoded>{'Words. ' * 200_000}</content:encoded>")
    data = wxr(filler + post(title="Caf\u00e9") + post(title="na\u00efve")).replace(
        "na\u00efve".encode(), b"na\xefve"
    )
    assert len(data) > 2**20
    assert [a.title for a in streamed(data, 2**16)] == ["Filler", "Caf\u00e9", "na\u00efve"]


def big_export(path: Path, megabytes: int) -> int:
    """A WordPress export of `megabytes`, written an item at a time: posts of long
    paragraphs with three long comments each. The number of comments written."""

    def words(count: int, salt: int) -> str:
        return " ".join(f"harbour{(salt * 31 + n) % 997} ferry & pier" for n in range(count))

    comments = 0
    with path.open("w", encoding="utf-8") as out:
        out.write(wxr("").decode().removesuffix("</channel></rss>"))
        number = 0
        while out.tell() < megabytes * 2**20:
            number += 1
            thread = "".join(
                comment(str(n), "0", f"<![CDATA[<p>{words(600, number + n)}</p>]]>")
                for n in range(1, 4)
            ).replace("<wp:comment_id>", f"<wp:comment_id>{number}-", 3)
            comments += 3
            body = f"<content:encoded><![CDATA[<p>{words(200, number)}</p>]]></content:encoded>"
            out.write(
                post(thread, title=f"Post {number}", extra=body).replace("a-post", str(number))
            )
        out.write("</channel></rss>")
    return comments


READ_BIG = """
import json, sys, tracemalloc
from pathlib import Path
from indexer.readers.wxr import read_wxr

def peak():
    status = Path("/proc/self/status").read_text().splitlines()
    return next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmHWM:"))

before = peak()
tracemalloc.start()
articles = comments = 0
with open(sys.argv[1], "rb") as handle:
    for article in read_wxr(handle):
        articles += 1
        comments += len(article.comments)
traced = tracemalloc.get_traced_memory()[1]
found = {"articles": articles, "comments": comments, "traced": traced, "grown": peak() - before}
print(json.dumps(found))
"""


def test_a_large_export_is_read_in_flat_memory(tmp_path: Path) -> None:
    """Some 24 MB read in a fresh process: Python's traced peak and the process's growth
    (libxml2's tree included) stay far under the file's size, where reading it whole
    holds it several times over."""
    path = tmp_path / "big.xml"
    comments = big_export(path, 24)
    size = path.stat().st_size
    done = subprocess.run(
        [sys.executable, "-c", READ_BIG, str(path)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        check=True,
    )
    found = json.loads(done.stdout)
    assert found["comments"] == comments and found["articles"] == comments // 3
    assert found["traced"] < size / 4, (
        f"{found['traced'] / 2**20:.1f} MiB traced for {size / 2**20:.0f} MB"
    )
    assert found["grown"] < size / 2, (
        f"grew {found['grown'] / 2**20:.1f} MiB for {size / 2**20:.0f} MB"
    )


def test_an_export_cut_short_gives_what_came_before_the_cut(tmp_path: Path) -> None:
    path = tmp_path / "big.xml"
    big_export(path, 2)
    data = path.read_bytes()
    whole = parse_wxr(data)
    cut = data[: len(data) // 2]
    read = streamed(cut, 4096)
    assert 0 < len(read) < len(whole)
    assert read[:-1] == whole[: len(read) - 1]
    assert read[-1].title == whole[len(read) - 1].title
