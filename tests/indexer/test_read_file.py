from pathlib import Path

import pytest

from indexer.readers import ReaderError, read_file, sniff_reader
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
def test_sniff_reader_chooses_by_content(fixture, reader):
    assert sniff_reader((FIXTURES / fixture).read_bytes()[:8192]) is reader


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
