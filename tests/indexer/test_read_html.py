"""Tests for the saved-HTML-page reader: article fields, comment threads, sniffing, limits."""

from __future__ import annotations

import codecs
from datetime import datetime
from pathlib import Path

import pytest

from indexer.readers.files import MAX_FILE_BYTES, ReaderError
from indexer.readers.html import looks_like_html, parse_html
from indexer.records import Article

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "html"
FIXTURES_WITH_COMMENTS = [
    "wordpress-threaded.html",
    "wordpress-junk-dates.html",
    "said.html",
    "european.html",
    "en-gb.html",
    "posted-by.html",
    "microdata.html",
    "h-entry.html",
    "iso-8859-2.html",
    "truncated.html",
    "mailto.html",
]


def read(name: str) -> Article:
    articles = parse_html((FIXTURES / name).read_bytes())
    assert len(articles) == 1
    return articles[0]


def parse_one(markup: str) -> Article:
    return parse_html(markup.encode("utf-8"))[0]


def thread(article: Article) -> list[tuple]:
    return [(c.position, c.author, c.date, c.key, c.parent) for c in article.comments]


# --- Sniffing ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "head",
    [
        b"<!DOCTYPE html>\n<html lang=en>",
        b'<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN">',
        b"<html><head><title>x</title>",
        b"<HEAD><TITLE>x</TITLE>",
        b"<body><p>x</p>",
        b'<meta charset="utf-8"><title>x</title>',
        b"\n\n   \t<!doctype html>",
        codecs.BOM_UTF8 + b"<!DOCTYPE html>",
        b"<!-- saved from url=(0042)https://example.org/ -->\r\n<html>",
        b"<!-- a -->\n<!-- b -->\n<!DOCTYPE html>",
        b'<?xml version="1.0" encoding="utf-8"?>\n'
        b'<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0//EN">',
        codecs.BOM_UTF16_LE + "<!DOCTYPE html><html>".encode("utf-16-le"),
    ],
)
def test_looks_like_html_recognises_page_start(head: bytes) -> None:
    assert looks_like_html(head)


@pytest.mark.parametrize(
    "head",
    [
        b"Beneath the radar, a Russia-Pakistan entente takes shape\n\nMarch 8, 2012\n",
        b'<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/">',
        b'<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns="http://disqus.com">',
        b'{"kind": "article", "title": "x"}\n',
        b"<!-- never closed <html>",
        b"Notes about <html> tags\n<html>",
        b"<p>A fragment with no page around it</p>",
        b"",
    ],
)
def test_looks_like_html_rejects_other_files(head: bytes) -> None:
    assert not looks_like_html(head)


# --- The article ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "title", "date", "byline"),
    [
        (
            "wordpress-threaded.html",
            "Harbour ferries return after winter",
            datetime(2018, 9, 10),
            "Marta Kowalski",
        ),
        (
            "wordpress-junk-dates.html",
            "Council approves new cycle lanes",
            datetime(2019, 5, 3),
            None,
        ),
        ("said.html", "Lighthouse keeper retires after 40 years", datetime(2020, 3, 4), None),
        ("european.html", "Neue Fähre für den Bodensee", datetime(2020, 4, 3), "Klaus Müller"),
        ("en-gb.html", "Village fete raises record sum", datetime(2020, 3, 4), "Harriet Cole"),
        (
            "posted-by.html",
            "Beneath the radar, a Russia-Pakistan entente takes shape",
            datetime(2012, 3, 8),
            "Myra MacDonald",
        ),
        ("microdata.html", "Night trains are back", datetime(2021, 3, 1, 7, 0), "Olu Adeyemi"),
        (
            "h-entry.html",
            "Fixing a bike chain by the roadside",
            datetime(2019, 5, 20, 8),
            "Kim Lee",
        ),
        ("noise.html", "Tide tables get an app", datetime(2022, 6, 1, 6, 30), "Sol Baptiste"),
        ("iso-8859-2.html", "Zażółć gęślą jaźń", None, None),
        ("cp1252-undeclared.html", "\u201cSmart\u201d quotes survive the move", None, None),
    ],
)
def test_parse_html_reads_article_header(
    name: str, title: str, date: datetime | None, byline: str | None
) -> None:
    article = read(name)

    assert (article.title, article.date, article.byline) == (title, date, byline)


@pytest.mark.parametrize(
    ("name", "start", "end"),
    [
        (
            "wordpress-threaded.html",
            "The harbour ferries resumed service on Monday",
            "said the captain of the Northern Star.",
        ),
        ("wordpress-junk-dates.html", "The council voted on Thursday", "Work starts in June."),
        ("said.html", "Ned Harlow climbed", "checks it from his porch."),
        ("european.html", "Die neue Fähre „Konstanz“", "Platz für 700 Fahrgäste."),
        ("en-gb.html", "The fete on the green", "The tombola alone brought in £600."),
        ("posted-by.html", "One of the early calls", "a Russian head of state to Pakistan."),
        ("microdata.html", "The sleeper service", "Tickets go on sale in April."),
        ("h-entry.html", "A chain tool weighs less than a sandwich.", "Carry one."),
        ("noise.html", "Skippers can now check", "built the app over the winter."),
        ("iso-8859-2.html", "Pangram po polsku: zażółć gęślą jaźń.", "úpěl ďábelské ódy."),
        ("truncated.html", "The harbour ferries resumed", "Northern Star."),
    ],
)
def test_parse_html_reads_article_body(name: str, start: str, end: str) -> None:
    body = read(name).body

    assert body.startswith(start)
    assert body.endswith(end)


def test_parse_html_keeps_paragraphs_apart() -> None:
    assert read("h-entry.html").body == "A chain tool weighs less than a sandwich.\n\nCarry one."


@pytest.mark.parametrize(
    ("name", "noise"),
    [
        ("noise.html", "Harbour Weekly"),
        ("noise.html", "Tide times"),
        ("noise.html", "Search the archive"),
        ("noise.html", "Home"),
        ("noise.html", "cookies"),
        ("noise.html", "Share this"),
        ("noise.html", "Twitter"),
        ("noise.html", "Related"),
        ("noise.html", "New buoys"),
        ("noise.html", "Advertisement"),
        ("noise.html", "Posted in"),
        ("noise.html", "Most read"),
        ("noise.html", "newsletter"),
        ("noise.html", "You might also like"),
        ("noise.html", "All rights reserved"),
        ("noise.html", "Sol Baptiste"),
        ("noise.html", "The app shows the next high tide first"),
        ("wordpress-threaded.html", "Pier lights"),
        ("wordpress-threaded.html", "Recent Posts"),
        ("wordpress-threaded.html", "Leave a Reply"),
        ("wordpress-threaded.html", "Bookmark the permalink"),
        ("wordpress-threaded.html", "Responses to"),
        ("wordpress-threaded.html", "A ferry leaves the north pier"),
        ("posted-by.html", "We welcome comments"),
        ("posted-by.html", "Pakistan to reopen NATO supply routes"),
        ("posted-by.html", "Tags:"),
        ("en-gb.html", "04/03/2020"),
        ("said.html", "Coastline Notes"),
    ],
)
def test_parse_html_keeps_page_furniture_out_of_body(name: str, noise: str) -> None:
    assert noise not in read(name).body


@pytest.mark.parametrize("name", FIXTURES_WITH_COMMENTS)
def test_parse_html_keeps_comments_out_of_body(name: str) -> None:
    article = read(name)

    assert article.comments
    for comment in article.comments:
        assert comment.body.split("\n")[0] not in article.body


@pytest.mark.parametrize(
    ("name", "caption"),
    [
        ("wordpress-threaded.html", "A ferry leaves the north pier at dawn"),
        ("noise.html", "The app shows the next high tide first"),
        (
            "posted-by.html",
            "Russian PM Putin shakes hands with Pakistan's PM Gillani during their meeting in "
            "St.Petersburg",
        ),
        ("microdata.html", None),
    ],
)
def test_parse_html_reads_photo_caption(name: str, caption: str | None) -> None:
    assert read(name).caption == caption


@pytest.mark.parametrize(
    ("name", "url"),
    [
        (
            "wordpress-threaded.html",
            "https://portside.example.org/2018/09/10/harbour-ferries-return/",
        ),
        ("h-entry.html", "https://kimlee.example/2019/05/bike-chain"),
        ("said.html", None),
    ],
)
def test_parse_html_reads_canonical_url_as_key(name: str, url: str | None) -> None:
    article = read(name)

    assert (article.url, article.key) == (url, url)


@pytest.mark.parametrize(
    "head",
    [
        '<link rel="canonical" href="javascript:alert(1)">',
        '<link rel="canonical" href="/relative/path">',
        f'<link rel="canonical" href="https://example.org/{"x" * 3000}">',
    ],
)
def test_parse_html_ignores_url_that_is_no_web_address(head: str) -> None:
    article = parse_one(f"<html><head>{head}</head><body><h1>T</h1><p>Text.</p></body></html>")

    assert article.url is None


@pytest.mark.parametrize(
    ("title_tag", "heading", "title"),
    [
        ("Headline | Site", "", "Headline"),
        ("Headline | Section | Site", "", "Headline"),
        ("Headline - Site Name", "", "Headline"),
        ("Headline \u2013 The Riverside Post", "", "Headline"),
        (
            "Russia - Pakistan entente - Reuters",
            "<h2>Russia - Pakistan entente</h2>",
            "Russia - Pakistan entente",
        ),
        ("A plain headline", "", "A plain headline"),
    ],
)
def test_parse_html_drops_site_name_from_title_tag(
    title_tag: str, heading: str, title: str
) -> None:
    article = parse_one(
        f"<html><head><title>{title_tag}</title></head>"
        f"<body>{heading}<div><p>Body text.</p></div></body></html>"
    )

    assert article.title == title


def test_parse_html_prefers_og_title() -> None:
    article = parse_one(
        '<html><head><title>Short | Site</title><meta property="og:title" content="Full title">'
        "</head><body><h1>Other</h1><p>Text.</p></body></html>"
    )

    assert article.title == "Full title"


def test_parse_html_titles_untitled_page_by_first_line() -> None:
    assert parse_one("<html><body><p>Only a line of text.</p></body></html>").title == (
        "Only a line of text."
    )


@pytest.mark.parametrize(
    "markup",
    [
        "<html><head><title>Empty</title></head><body></body></html>",
        "<html><body><nav><a href='/'>Home</a></nav>"
        "<aside class='sidebar'>Ads</aside></body></html>",
        "<html><body><script>document.write('hello')</script></body></html>",
        "<!DOCTYPE html>",
    ],
)
def test_parse_html_raises_on_page_without_text_or_comments(markup: str) -> None:
    with pytest.raises(ReaderError, match="no article text and no comments"):
        parse_one(markup)


def test_parse_html_raises_on_untitled_page_of_comments_only() -> None:
    markup = (
        '<html><body><ol class="commentlist"><li class="comment"><cite class="fn">A</cite>'
        "<p>Only comments here.</p></li></ol></body></html>"
    )

    with pytest.raises(ReaderError, match="no title"):
        parse_one(markup)


# --- Comment threads --------------------------------------------------------------


def test_parse_html_reads_wordpress_thread() -> None:
    assert thread(read("wordpress-threaded.html")) == [
        (1, "Jane Doe", datetime(2018, 9, 12, 16, 47), "comment-101", None),
        (2, "Tom Price", datetime(2018, 9, 12, 17, 2), "comment-102", "comment-101"),
        (3, "Jane Doe", datetime(2018, 9, 12, 18, 15), "comment-103", "comment-102"),
        (4, "Anonymous", datetime(2018, 9, 13, 8, 5), "comment-104", None),
    ]


def test_parse_html_reads_wordpress_comment_bodies_without_furniture() -> None:
    bodies = [comment.body for comment in read("wordpress-threaded.html").comments]

    assert bodies == [
        "Good news for commuters.\n\nThe bridge is always jammed.",
        "Only if the morning crossing keeps its slot.",
        "It does, I checked the timetable.",
        "Will the winter fares stay?",
    ]


def test_parse_html_skips_pingbacks() -> None:
    bodies = " ".join(comment.body for comment in read("wordpress-threaded.html").comments)

    assert "Ferry news roundup" not in bodies


def test_parse_html_reads_visible_date_when_datetime_attribute_is_junk() -> None:
    assert thread(read("wordpress-junk-dates.html")) == [
        (1, "Priya N.", datetime(2019, 5, 4, 9, 12), "comment-7", None),
        (2, "Editor", datetime(2019, 5, 4, 11, 30), "comment-8", "comment-7"),
        (3, "Ludo", None, "comment-9", None),
    ]


def test_parse_html_reads_name_on_date_said_lines() -> None:
    article = read("said.html")

    assert thread(article) == [
        (1, "Jane", datetime(2018, 9, 12, 16, 47), "position-1", None),
        (2, "Bob on the Beach", datetime(2020, 4, 3), "position-2", None),
        (3, "Mary", datetime(2020, 3, 5, 10, 2), "comment-3", None),
    ]
    assert [c.body for c in article.comments] == [
        "We will miss his waves from the gallery.\n\nForty years!",
        "Congratulations, Ned.",
        "He taught my children to tie knots.",
    ]


def test_parse_html_reads_posted_by_report_as_abusive_comments() -> None:
    article = read("posted-by.html")

    assert thread(article) == [
        (1, "Umairpk", datetime(2012, 3, 8, 11, 2), "comment-3311", None),
        (2, "KPSingh01", None, "comment-3312", None),
    ]
    assert [c.body for c in article.comments] == [
        "Pakistan should have done this long time ago.\n\nRussia is a natural partner.",
        "Interesting analysis.",
    ]


def test_parse_html_reads_schema_org_microdata_comments() -> None:
    article = read("microdata.html")

    assert thread(article) == [
        (1, "Ines", datetime(2021, 3, 2, 9, 15), "c1", None),
        (2, "Karl", datetime(2021, 3, 2), "c2", "c1"),
        (3, "Dee", datetime(2021, 3, 3), "c3", "c1"),
    ]
    assert [c.body for c in article.comments] == [
        "Finally, no more early flights.",
        "Bring earplugs.",
        "Is there a dining car?",
    ]


def test_parse_html_reads_microformats_comments() -> None:
    article = read("h-entry.html")

    assert thread(article) == [
        (1, "Sam", datetime(2019, 5, 21, 10, 0), "comment-1", None),
        (2, "River", datetime(2019, 5, 22, 12, 30), "comment-2", "comment-1"),
    ]
    assert [c.body for c in article.comments] == [
        "Mine snapped on a hill once.",
        "Same here, on the way to work.",
    ]


@pytest.mark.parametrize(
    ("name", "dates"),
    [
        ("european.html", [datetime(2020, 7, 12, 12, 59), datetime(2020, 4, 3, 8, 15)]),
        ("en-gb.html", [datetime(2020, 3, 5, 9, 20)]),
        ("iso-8859-2.html", [datetime(2020, 7, 12, 12, 59)]),
    ],
)
def test_parse_html_reads_numeric_comment_dates_day_first_in_european_page(
    name: str, dates: list[datetime]
) -> None:
    assert [comment.date for comment in read(name).comments] == dates


@pytest.mark.parametrize(
    ("head", "html_attributes", "date"),
    [
        ("", "", datetime(2020, 4, 3)),
        ("", 'lang="en-US"', datetime(2020, 4, 3)),
        ("", 'lang="en-GB"', datetime(2020, 3, 4)),
        ("", 'lang="fr"', datetime(2020, 3, 4)),
        ("", 'xml:lang="nl"', datetime(2020, 3, 4)),
        ('<meta property="og:locale" content="en_AU">', "", datetime(2020, 3, 4)),
        ('<meta http-equiv="Content-Language" content="de">', "", datetime(2020, 3, 4)),
        ('<meta http-equiv="Content-Language" content="de">', 'lang="en"', datetime(2020, 4, 3)),
    ],
)
def test_parse_html_reads_ambiguous_date_in_page_language_order(
    head: str, html_attributes: str, date: datetime
) -> None:
    article = parse_one(
        f"<html {html_attributes}><head>{head}</head><body><article><h1>T</h1>"
        '<span class="entry-date">04/03/2020</span><p>Text.</p></article></body></html>'
    )

    assert article.date == date


def test_parse_html_reads_unambiguous_day_over_twelve_in_any_language() -> None:
    article = parse_one(
        '<html lang="en-US"><body><article><h1>T</h1>'
        '<span class="entry-date">14/04/2020</span><p>Text.</p></article></body></html>'
    )

    assert article.date == datetime(2020, 4, 14)


@pytest.mark.parametrize("datetime_attribute", ["comment_date", "", "2019-13-45", "x" * 5000])
def test_parse_html_leaves_unreadable_date_unset(datetime_attribute: str) -> None:
    article = parse_one(
        '<html><body><h1>T</h1><p>Text.</p><ol class="commentlist"><li class="comment">'
        f'<cite class="fn">A</cite><time datetime="{datetime_attribute}">yesterday</time>'
        '<div class="comment-body"><p>Hi.</p></div></li></ol></body></html>'
    )

    assert article.comments[0].date is None


@pytest.mark.parametrize(
    ("reply", "parent"),
    [
        ('<li class="comment" id="comment-2" data-parent="1">', "comment-1"),
        ('<li class="comment" id="comment-2" data-parent="comment-1">', "comment-1"),
        ('<li class="comment" id="comment-2" parent="1">', "comment-1"),
        ('<li class="comment" id="comment-2" data-parent="0">', None),
        ('<li class="comment" id="comment-2" data-parent="comment-2">', None),
        (
            '<li class="comment" id="comment-2"><a rel="in-reply-to" href="#comment-1"></a>',
            "comment-1",
        ),
    ],
)
def test_parse_html_reads_parent_a_reply_declares(reply: str, parent: str | None) -> None:
    article = parse_one(
        '<html><body><h1>T</h1><p>Text.</p><ol class="commentlist">'
        '<li class="comment" id="comment-1"><cite class="fn">A</cite><p>First.</p></li>'
        f'{reply}<cite class="fn">B</cite><p>Second.</p></li></ol></body></html>'
    )

    assert article.comments[1].parent == parent


def test_parse_html_reply_to_the_article_itself_has_no_parent() -> None:
    assert read("h-entry.html").comments[0].parent is None


def test_parse_html_drops_comment_without_text() -> None:
    article = parse_one(
        '<html><body><h1>T</h1><p>Text.</p><ol class="commentlist">'
        '<li class="comment" id="comment-1"><cite class="fn">A</cite><p> </p></li>'
        '<li class="comment" id="comment-2"><cite class="fn">B</cite><p>Said something.</p></li>'
        "</ol></body></html>"
    )

    assert [(c.position, c.author) for c in article.comments] == [(1, "B")]


def test_parse_html_reads_page_of_comments_only() -> None:
    article = parse_one(
        '<html><head><title>Thread</title></head><body><ol class="commentlist">'
        '<li class="comment"><cite class="fn">A</cite><p>Only comments here.</p></li>'
        "</ol></body></html>"
    )

    assert (article.title, article.body, len(article.comments)) == ("Thread", "", 1)


# --- Encodings, damaged and hostile pages -----------------------------------------


def test_parse_html_decodes_declared_iso_8859_2_page() -> None:
    article = read("iso-8859-2.html")

    assert "Příliš žluťoučký kůň úpěl ďábelské ódy." in article.body
    assert [(c.author, c.body) for c in article.comments] == [
        ("Małgorzata", "Świetny pangram, źdźbło trawy!")
    ]


def test_parse_html_decodes_undeclared_windows_1252_page() -> None:
    assert read("cp1252-undeclared.html").body == (
        "The editor\u2019s note \u2013 written in 2004 \u2013 cost \u20ac5\u2026 and nobody minded."
        "\n\nCaf\u00e9 owners said \u2018fine\u2019."
    )


def test_parse_html_reads_what_a_truncated_page_holds() -> None:
    article = read("truncated.html")

    assert [(c.author, c.body) for c in article.comments] == [
        ("Jane Doe", "Good news for commuters.\n\nThe bridge is always jammed."),
        ("Tom Price", "Only if the morning crossing keeps its slot."),
        ("Jane Doe", "It does, I checked the tim"),
    ]


def test_parse_html_keeps_email_address_of_mailto_author_out() -> None:
    assert [c.author for c in read("mailto.html").comments] == ["reader", "Jo Bloggs"]


def test_parse_html_keeps_email_and_ip_addresses_out_of_records() -> None:
    article = read("mailto.html")
    texts = [article.title, article.body] + [f"{c.author} {c.body}" for c in article.comments]

    assert not any("@" in text or "203.0.113.7" in text for text in texts)
    assert article.comments[1].body == "Posted from \u2013 write to me at jo.bloggs."


@pytest.mark.parametrize(
    ("shown", "author"),
    [
        ("  Jane \n Doe  ", "Jane Doe"),
        ("", "Anonymous"),
        ("jo@example.org", "jo"),
        ("Guest 198.51.100.23", "Guest"),
        ("2001:db8::1", "Anonymous"),
        ("Alice says:", "Alice"),
    ],
)
def test_parse_html_tidies_comment_author(shown: str, author: str) -> None:
    article = parse_one(
        '<html><body><h1>T</h1><p>Text.</p><ol class="commentlist"><li class="comment">'
        f'<div class="comment-author">{shown}</div><p>Hi.</p></li></ol></body></html>'
    )

    assert article.comments[0].author == author


def test_parse_html_survives_deep_nesting() -> None:
    depth = 10_000
    markup = (
        "<html><body><h1>Deep</h1><div class='entry-content'>"
        + "<div>" * depth
        + "<p>deep text</p>"
        + "</div>" * depth
        + "</div></body></html>"
    )

    assert parse_one(markup).body == "deep text"


def test_parse_html_survives_deeply_nested_replies() -> None:
    depth = 1_000
    markup = (
        "<html><body><h1>T</h1><p>Text.</p><ol class='commentlist'>"
        + "".join(
            f"<li class='comment' id='comment-{n}'><p>Reply {n}</p><ul class='children'>"
            for n in range(depth)
        )
        + "</ul></li>" * depth
        + "</ol></body></html>"
    )
    comments = parse_one(markup).comments

    assert len(comments) == depth
    assert (comments[-1].body, comments[-1].parent) == (
        f"Reply {depth - 1}",
        f"comment-{depth - 2}",
    )


def test_parse_html_survives_huge_attribute_values() -> None:
    huge = "9" * 20_000_000
    markup = (
        f"<html><body><h1 title='{huge}'>Huge</h1><time class='published' datetime='{huge}'>"
        f"March 8, 2012</time><p data-x='{huge}'>Text.</p></body></html>"
    )
    article = parse_one(markup)

    assert (article.title, article.date, article.body) == ("Huge", datetime(2012, 3, 8), "Text.")


def test_parse_html_reads_page_of_largest_allowed_size() -> None:
    paragraph = "<p>" + "word " * 2000 + "</p>\n"
    count = (MAX_FILE_BYTES - 200) // len(paragraph)
    markup = "<html><body><h1>Big</h1><div class='entry-content'>" + paragraph * count
    article = parse_one(markup + "</div></body></html>")

    assert article.body.count("\n\n") == count - 1
