"""Bad files fed to every reader: each is read or refused with a reason, never a crash."""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.readers import ReaderError, read_file
from indexer.readers.disqus import parse_disqus
from indexer.readers.html import parse_html
from indexer.readers.jsonl import parse_jsonl
from indexer.readers.text import parse_text
from indexer.readers.wxr import parse_wxr
from indexer.records import Article

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
READERS = [parse_text, parse_html, parse_wxr, parse_disqus, parse_jsonl]
PREFIXES = [
    b"",
    b"<!DOCTYPE html><html><body>",
    b'<?xml version="1.0"?><rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><item>',
    b'<?xml version="1.0"?><disqus xmlns:dsq="http://disqus.com/disqus-internals"><post>',
    b'{"kind": "comment", "article_id": "a", "body": "',
]


def read_or_refuse(reader, data: bytes) -> list[Article] | None:
    try:
        articles = reader(data)
    except ReaderError:
        return None
    assert all(isinstance(article, Article) for article in articles)
    return articles


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prefix=st.sampled_from(PREFIXES), noise=st.binary(max_size=2000))
@pytest.mark.parametrize("reader", READERS, ids=lambda r: r.__name__)
def test_reader_reads_or_refuses_random_bytes(reader, prefix, noise):
    read_or_refuse(reader, prefix + noise)


@pytest.mark.parametrize(
    "fixture",
    [
        "text/crlf.txt",
        "wxr/wxr-1.2.xml",
        "disqus/export.xml",
        "html/wordpress-threaded.html",
        "jsonl/thread.jsonl",
    ],
)
@pytest.mark.parametrize("keep", [0.1, 0.5, 0.9])
def test_read_file_reads_or_refuses_a_truncated_file(tmp_path, fixture, keep):
    data = (FIXTURES / fixture).read_bytes()
    path = tmp_path / Path(fixture).name
    path.write_bytes(data[: int(len(data) * keep)])
    try:
        read_file(path)
    except ReaderError as error:
        assert str(error)


def test_deeply_nested_html_is_read(tmp_path):
    path = tmp_path / "deep.html"
    depth = 20_000
    path.write_text(
        "<!DOCTYPE html><html><head><title>Deep</title></head><body><article><p>Deep text.</p>"
        + "<div>" * depth
        + "buried"
        + "</div>" * depth
        + "</article></body></html>",
        encoding="utf-8",
    )
    assert read_file(path)[0].title == "Deep"


def test_huge_file_is_refused_without_reading_it_whole(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as handle:
        handle.write(b"A huge dump\n\nIt opens as text. " * 1000)
        handle.truncate(60 * 2**20)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(ReaderError, match="too large"):
        read_file(path)
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kib < 10 * 1024


def test_fifty_megabyte_text_dump_is_read_within_bounded_memory(tmp_path):
    path = tmp_path / "big.txt"
    paragraph = "A long comment about the harbour and the ferries, again and again. " * 20
    comment = f"{paragraph}\n\nPosted by Reader | Report as abusive\n\n"
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("A very long thread\n\nMay 1, 2020\n\nBody.\n\nWe welcome comments.\n\n")
        while handle.tell() < 49 * 2**20:
            handle.write(comment)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    [article] = read_file(path)
    grown_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert len(article.comments) > 30_000
    assert grown_mib < 1000, f"reading a 49 MB file took {grown_mib:.0f} MiB more"


PEAK_SCRIPT = """
import resource, sys
from pathlib import Path
from indexer.indexing import index_paths
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
summary = index_paths([Path(sys.argv[1])], Path(sys.argv[2]), engine=sys.argv[3])
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(summary.files_indexed, before, after)
"""


@pytest.mark.parametrize("engine", ["whoosh", "tantivy"])
@pytest.mark.parametrize("suffix", ["txt", "html"])
def test_a_file_of_one_long_line_is_indexed_in_bounded_memory(tmp_path, engine, suffix):
    """One line of 16 MB, no title line and no paragraphs: memory stays a small multiple
    of the file, not twenty times it."""
    words = " ".join(f"harbour{n % 977} ferry pier" for n in range(1_000_000))[: 16 * 2**20]
    text = words if suffix == "txt" else f"<html><body><p>{words}</p></body></html>"
    path = tmp_path / f"one-line.{suffix}"
    path.write_text(text, encoding="utf-8")
    found = subprocess.run(
        [sys.executable, "-c", PEAK_SCRIPT, str(path), str(tmp_path / "index"), engine],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=Path(__file__).resolve().parents[2],
    )
    indexed, before_kib, after_kib = map(int, found.stdout.split())
    grown = (after_kib - before_kib) * 1024
    assert indexed == 1
    assert grown < 12 * path.stat().st_size, f"{grown / 2**20:.0f} MiB for 16 MB"
