from pathlib import Path

import pytest

from indexer.readers import ReaderError, format_of, in_pieces, read_contents, read_file
from indexer.readers.disqus import parse_disqus
from indexer.readers.html import parse_html
from indexer.readers.jsonl import parse_jsonl
from indexer.readers.text import parse_text
from indexer.readers.wxr import parse_wxr

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.mark.parametrize(
    "fixture, reader",
    [
        ("text/crlf.txt", parse_text),
        ("wxr/wxr-1.2.xml", parse_wxr),
        ("wxr/wordpress-com-malformed.xml", parse_wxr),
        ("disqus/export.xml", parse_disqus),
        ("jsonl/thread.jsonl", parse_jsonl),
        ("html/wordpress-threaded.html", parse_html),
        ("html/posted-by.html", parse_html),
    ],
)
def test_the_format_is_chosen_by_content(fixture, reader):
    assert format_of((FIXTURES / fixture).read_bytes()[:8192]).parse is reader


def test_read_file_ignores_a_misleading_suffix(tmp_path):
    disguised = tmp_path / "export.txt"
    disguised.write_bytes((FIXTURES / "disqus" / "export.xml").read_bytes())
    assert read_file(disguised) == parse_disqus(disguised.read_bytes())


@pytest.mark.parametrize(
    "content, reason",
    [
        (b'<?xml version="1.0"?><rss><channel></channel></rss>', "neither a WordPress"),
        (b'[{"kind": "article"}]', "not JSON lines"),
    ],
)
def test_read_file_refuses_xml_and_json_in_other_shapes(tmp_path, content, reason):
    path = tmp_path / "odd.xml"
    path.write_bytes(content)
    with pytest.raises(ReaderError, match=reason):
        read_file(path)


@pytest.mark.parametrize(
    ("name", "site", "comments"),
    [
        ("reddit/RC_sample.ndjson.zst", "r/AskHistorians", 12),
        ("reddit/RS_sample.ndjson", "r/AskHistorians", 0),
        ("hackernews/items.ndjson", "news.ycombinator.com", 9),
        ("warc/news.warc.gz", "portside.example.org", 5),
        ("csv/nyt-comments.csv", "The New York Times", 10),
    ],
)
def test_read_file_knows_each_archive_shape_by_its_content(tmp_path, name, site, comments):
    """Named without a telling suffix, each file still goes to its own reader."""
    source = FIXTURES / name
    renamed = tmp_path / "archive.dat"
    renamed.write_bytes(source.read_bytes())
    for extra in source.parent.glob(source.name + ".toml"):
        (tmp_path / "archive.dat.toml").write_bytes(extra.read_bytes())
    for extra in source.parent.glob("nyt-articles.csv"):
        (tmp_path / extra.name).write_bytes(extra.read_bytes())
    articles = read_file(renamed)
    assert articles[0].site == site
    assert sum(len(article.comments) for article in articles) == comments


@pytest.mark.parametrize(
    ("fixture", "encoding"),
    [
        ("wxr/wxr-1.2.xml", "utf-8"),
        ("wxr/wxr-1.2.xml", "utf-16"),
        ("disqus/export.xml", "utf-8"),
        ("disqus/export.xml", "utf-16"),
    ],
)
def test_xml_exports_are_read_a_piece_at_a_time_over_the_limit_for_whole_files(
    tmp_path, fixture, encoding
):
    source = FIXTURES / fixture
    path = tmp_path / "export.xml"
    path.write_bytes(source.read_text(encoding="utf-8").encode(encoding))
    assert in_pieces(path, max_bytes=1024) and not in_pieces(path)
    streamed = read_contents(path, max_bytes=1024).articles
    assert not isinstance(streamed, list)
    assert list(streamed) == read_file(path) == read_file(source)


def test_a_page_over_the_limit_for_whole_files_is_refused_naming_the_way_to_read_it(tmp_path):
    page = tmp_path / "page.html"
    page.write_bytes((FIXTURES / "html" / "wordpress-threaded.html").read_bytes())
    with pytest.raises(ReaderError, match="'hubbub index --max-file-size 1' reads it"):
        in_pieces(page, max_bytes=1024)
