"""Tests for the web-archive reader: pages found in WARC and ARC files, what is skipped
and counted, and files cut short or damaged."""

from __future__ import annotations

import gzip
import re
from datetime import datetime
from io import BytesIO
from pathlib import Path

import pytest
from click.testing import CliRunner
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from indexer.cli import cli
from indexer.indexing import index_paths
from indexer.readers import warc
from indexer.readers.files import ReaderError
from indexer.readers.html import parse_html
from indexer.readers.warc import WarcCounts, looks_like_warc, parse_warc, read_warc
from indexer.records import Article

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
NEWS = FIXTURES / "warc" / "news.warc.gz"
ARTICLE_URL = "https://www.portside.example.org/2024/03/04/council-backs-bridge/"
RELATIVE_URL = "https://portside.example.org/2024/03/06/night-buses/"
PAGE = (
    "<!DOCTYPE html><html><head><title>{title}</title></head><body>"
    "<article class='post hentry'><h1 class='entry-title'>{title}</h1>"
    "<div class='entry-content'><p>{text}</p></div></article></body></html>"
)


def news() -> bytes:
    return NEWS.read_bytes()


def by_url(articles: list[Article]) -> dict[str, Article]:
    return {article.url or "": article for article in articles}


def page(title: str, text: str = "Body text of the page.") -> bytes:
    return PAGE.format(title=title, text=text).encode()


def archive(*records: tuple[str, str, bytes, list[tuple[str, str]]], zipped: bool = True) -> bytes:
    """A WARC of response records: (url, date, payload, HTTP headers) each."""
    out = BytesIO()
    writer = WARCWriter(out, gzip=zipped)
    for url, date, payload, headers in records:
        http = StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                url,
                "response",
                payload=BytesIO(payload),
                length=len(payload),
                http_headers=http,
                warc_headers_dict={"WARC-Date": date},
            )
        )
    return out.getvalue()


def html_response(url: str, title: str, date: str = "2024-01-02T03:04:05Z") -> tuple:
    return (url, date, page(title), [("Content-Type", "text/html; charset=utf-8")])


# --- Sniffing ---------------------------------------------------------------------


def test_a_gzipped_warc_is_recognised_by_its_first_record() -> None:
    assert looks_like_warc(news()[:8192])
    assert looks_like_warc(gzip.decompress(news())[:8192])


@pytest.mark.parametrize(
    "head",
    [
        b"WARC/1.1\r\nWARC-Type: warcinfo\r\n",
        b"filedesc://crawl.arc 0.0.0.0 20050601120000 text/plain 76\n",
        gzip.compress(b"filedesc://crawl.arc 0.0.0.0 20050601120000 text/plain 76\n"),
    ],
)
def test_warc_and_arc_starts_are_recognised(head: bytes) -> None:
    assert looks_like_warc(head)


@pytest.mark.parametrize(
    "head",
    [
        b"<!DOCTYPE html><html>",
        b"WARC is a file format\n",
        gzip.compress(b"<html><body>a gzipped page</body></html>"),
        b"\x1f\x8b\x08\x00garbage that is no deflate stream",
        b"",
    ],
)
def test_other_files_are_not_taken_for_web_archives(head: bytes) -> None:
    assert not looks_like_warc(head)


# --- Pages ------------------------------------------------------------------------


def test_each_html_page_becomes_one_article_with_its_address_and_site() -> None:
    articles = parse_warc(news())
    assert [article.title for article in articles] == [
        "Council backs the harbour bridge & ferry plan",
        "Night buses to return in April",
        "Паром вернулся",
    ]
    pages = by_url(articles)
    assert set(pages) == {ARTICLE_URL, RELATIVE_URL, "http://vestnik.example.ru/parom"}
    assert pages[ARTICLE_URL].key == ARTICLE_URL
    assert pages[ARTICLE_URL].site == "portside.example.org"
    assert pages["http://vestnik.example.ru/parom"].site == "vestnik.example.ru"


def test_comments_are_found_under_their_own_article_with_their_authors() -> None:
    pages = by_url(parse_warc(news()))
    council = pages[ARTICLE_URL]
    assert [(c.position, c.author, c.key, c.parent) for c in council.comments] == [
        (1, "Ingrid Holm", "comment-501", None),
        (2, "Tomás Ruiz", "comment-502", "comment-501"),
        (3, "Ingrid Holm", "comment-503", None),
    ]
    assert council.comments[0].body == "Finally! The old bridge & the ferry can’t carry everyone."
    assert council.comments[1].date == datetime(2024, 3, 4, 11, 40)
    assert council.byline == "Renée Caron"
    assert "Café du Port" in council.body
    assert [c.author for c in pages[RELATIVE_URL].comments] == ["Priya Nair", "Olu Adebayo"]


def test_gzip_content_encoding_and_chunked_transfer_are_decoded() -> None:
    pages = by_url(parse_warc(news()))
    assert pages[ARTICLE_URL].body.startswith("The town council voted 7–2 on Monday")
    assert pages[RELATIVE_URL].body.startswith("Night buses between the station")
    assert "\r\n" not in pages[RELATIVE_URL].body


def test_relative_comment_dates_count_back_from_the_capture_date() -> None:
    night_buses = by_url(parse_warc(news()))[RELATIVE_URL]
    recent, older = night_buses.comments[1], night_buses.comments[0]
    assert recent.date == datetime(2024, 3, 6, 10, 0)  # "2 hours ago", captured at 12:00 UTC
    assert older.date is not None and older.date.date() == datetime(2024, 3, 3).date()


def test_the_same_page_read_without_its_capture_date_has_no_relative_dates() -> None:
    # What the archive adds: the page alone says nothing of when it was saved.
    with NEWS.open("rb") as stream:
        [content] = [
            record.content_stream().read()
            for record in ArchiveIterator(stream)
            if record.rec_type == "response"
            and record.rec_headers.get_header("WARC-Target-URI") == RELATIVE_URL
        ]
    assert [c.date for c in parse_html(content)[0].comments] == [None, None]


def test_the_charset_of_the_http_headers_decodes_the_page() -> None:
    cyrillic = by_url(parse_warc(news()))["http://vestnik.example.ru/parom"]
    assert cyrillic.body == "Паром снова ходит через залив с понедельника."


def test_revisits_requests_and_other_records_are_counted_not_read() -> None:
    articles, counts = read_warc(news())
    assert counts == WarcCounts(html_pages=3, revisits=1, other_records=7, refused_pages=1)
    assert len(articles) == 3
    assert [article.url for article in articles].count(ARTICLE_URL) == 1
    assert counts.summary() == "3 HTML pages, 1 revisit, 7 other records, 1 page not read"


def test_a_page_in_an_encoding_that_cannot_be_decoded_is_refused_and_counted() -> None:
    data = archive(
        html_response("https://example.org/ok", "Readable page"),
        (
            "https://example.org/br",
            "2024-01-02T03:04:05Z",
            b"\x8b\x05\x80not really brotli",
            [("Content-Type", "text/html"), ("Content-Encoding", "br")],
        ),
    )
    articles, counts = read_warc(data)
    assert [article.title for article in articles] == ["Readable page"]
    assert counts.refused_pages == 1


def test_a_page_without_a_content_type_is_not_read() -> None:
    data = archive(
        html_response("https://example.org/ok", "Readable page"),
        ("https://example.org/unknown", "2024-01-02T03:04:05Z", page("Unlabelled"), []),
    )
    articles, counts = read_warc(data)
    assert [article.title for article in articles] == ["Readable page"]
    assert counts.other_records == 1


def test_an_archive_without_pages_is_refused_saying_what_it_held() -> None:
    css = [("Content-Type", "text/css")]
    data = archive(("https://example.org/a.css", "2024-01-02T03:04:05Z", b"p {}", css))
    assert read_warc(data) == ([], WarcCounts(other_records=1))
    with pytest.raises(ReaderError, match="no page with article text.*1 other record"):
        parse_warc(data)


def test_an_uncompressed_and_a_whole_file_gzipped_warc_read_alike() -> None:
    expected = parse_warc(news())
    plain = gzip.decompress(news())
    assert parse_warc(plain) == expected
    assert parse_warc(gzip.compress(plain)) == expected


def test_an_arc_file_is_read_with_its_capture_date() -> None:
    body = b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n" + page(
        "Old pier news", "The pier reopened yesterday."
    )
    spec = b"1 0 Hubbub\nURL IP-address Archive-date Content-type Archive-length\n"
    header = b"filedesc://pier.arc 0.0.0.0 20050601120000 text/plain %d\n%s\n" % (len(spec), spec)
    address = b"http://www.pier.example.com/news.html 192.0.2.7 20050601120000 text/html"
    record = b"%s %d\n%s\n" % (address, len(body), body)
    for data in (header + record, gzip.compress(header) + gzip.compress(record)):
        articles, counts = read_warc(data)
        assert [(a.title, a.url, a.site) for a in articles] == [
            ("Old pier news", "http://www.pier.example.com/news.html", "pier.example.com")
        ]
        assert counts == WarcCounts(html_pages=1, other_records=1)


# --- Damage -----------------------------------------------------------------------


def test_a_file_cut_short_keeps_the_pages_before_the_cut() -> None:
    data = news()
    cut = data[: len(data) * 3 // 4]
    articles, counts = read_warc(cut)
    assert [article.url for article in articles] == [ARTICLE_URL]
    assert counts.damaged_at is not None and counts.damaged_at > 0
    assert "cut short" in (counts.damage or "")
    stopped = f"reading stopped at byte {counts.damaged_at}: {counts.damage}"
    assert counts.summary().endswith(stopped)
    assert parse_warc(cut) == articles


def test_a_cut_inside_a_page_drops_that_page() -> None:
    plain = gzip.decompress(news())
    cut = plain[: plain.index(b"Night buses between") + 40]
    articles, counts = read_warc(cut)
    assert [article.url for article in articles] == [ARTICLE_URL]
    assert counts.damage == "the file ends inside this record"
    assert plain[counts.damaged_at or 0 :].startswith(b"WARC/1.0\r\n")


def test_a_record_whose_length_is_wrong_is_not_read(capfd: pytest.CaptureFixture[str]) -> None:
    plain = gzip.decompress(news())
    start = plain.rindex(b"WARC/1.0\r\n", 0, plain.index(b"Night buses between"))
    length = re.compile(rb"Content-Length: (\d+)").search(plain, start)
    assert length is not None
    shorter = b"Content-Length: %d" % (int(length.group(1)) - 40)
    damaged = plain[: length.start()] + shorter + plain[length.end() :]
    articles, counts = read_warc(damaged)
    assert [article.url for article in articles] == [ARTICLE_URL]
    assert counts.damaged_at == start
    assert counts.damage == "the record's length does not match its content"
    assert capfd.readouterr().err == ""


def test_corrupt_compressed_data_keeps_the_pages_before_it() -> None:
    data = bytearray(news())
    middle = len(data) * 2 // 3
    data[middle : middle + 16] = b"\x00" * 16
    articles, counts = read_warc(bytes(data))
    assert ARTICLE_URL in by_url(articles)
    assert counts.damaged_at is not None


@pytest.mark.parametrize(
    "data",
    [
        news()[:200],
        b"WARC/1.0\r\nthis is no header block\r\n\r\n",
        b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 9999\r\n\r\nshort",
    ],
)
def test_a_file_unreadable_from_its_first_record_is_refused_naming_the_offset(
    data: bytes,
) -> None:
    with pytest.raises(ReaderError, match="not a readable web archive: record at byte 0"):
        read_warc(data)


def test_an_archive_that_unpacks_beyond_the_bound_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(warc, "EXPANSION_ALLOWANCE", 0)
    monkeypatch.setattr(warc, "MAX_EXPANSION", 1)
    with pytest.raises(ReaderError, match="unpacks to more than 1 times its size"):
        read_warc(news())
    monkeypatch.setattr(warc, "MAX_EXPANSION", 100)
    assert read_warc(news())[0]


def test_a_web_archive_is_read_record_by_record_from_the_open_file(tmp_path: Path) -> None:
    noise = [
        (f"https://example.org/{n}.bin", "2024-01-02T03:04:05Z", bytes(range(256)) * 64, [])
        for n in range(64)
    ]
    pages = [html_response("https://example.org/first", "First page"), *noise]
    data = archive(*pages, html_response("https://example.org/last", "Last page"))
    saved = tmp_path / "crawl.warc.gz"
    saved.write_bytes(data)
    with saved.open("rb") as handle:
        contents = warc.warc_contents(handle)
        articles = iter(contents.articles)
        assert next(articles).title == "First page"
        assert handle.tell() < saved.stat().st_size // 4
        assert [article.title for article in articles] == ["Last page"]
    assert contents.passed_over() == "2 HTML pages, 0 revisits, 64 other records, 0 pages not read"


def test_the_run_says_what_each_web_archive_held(tmp_path: Path) -> None:
    saved = tmp_path / "crawl.warc.gz"
    saved.write_bytes(news())
    index_dir = tmp_path / "index"
    result = CliRunner().invoke(cli, ["index", str(saved), "--index", str(index_dir)])
    assert result.exit_code == 0, result.output
    held = "3 HTML pages, 1 revisit, 7 other records, 1 page not read"
    assert f"  {saved}: {held}" in result.output
    summary = index_paths([saved], tmp_path / "again")
    assert summary.to_json()["passed_over"] == [{"path": str(saved), "held": held}]
