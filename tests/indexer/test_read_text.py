"""Tests for the plain-text page-dump reader and `read_file`'s refusals."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest

import indexer.readers.files as reader_files
from indexer.readers import (
    ReaderError,
    looks_binary,
    read_file,
)
from indexer.readers.text import decode_text, read_text
from indexer.records import Article

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "corpus" / "reuters-blog-russia-pakistan-entente-2012-03-08.txt"
FIXTURES = ROOT / "tests" / "fixtures" / "text"


FERRY_TITLE = "Harbour ferries return after winter"
FERRY_CAPTION = "A ferry leaves the north pier at dawn"
FERRY_BODY = (
    "The harbour ferries resumed service on Monday after a two-month pause.\n\n"
    "Officials said the timetable would stay unchanged until spring."
)
FERRY_COMMENTS = [
    ("Marta", "Good news for commuters."),
    ("J.R. Hale", "About time.\nThe bridge is always jammed.\n\nSecond paragraph here."),
]
FERRY_VARIANTS = [
    "crlf.txt",
    "cr.txt",
    "utf8-bom.txt",
    "utf16.txt",
    "no-report-as-abusive.txt",
    "extra-spaces.txt",
    "no-boilerplate.txt",
]


def read_one(path: Path) -> Article:
    articles = read_file(path)
    assert len(articles) == 1
    return articles[0]


@pytest.fixture(scope="module")
def seed() -> Article:
    return read_one(SEED)


def test_read_text_seed_title(seed: Article) -> None:
    assert seed.title == "Beneath the radar, a Russia-Pakistan entente takes shape"


def test_read_text_seed_date(seed: Article) -> None:
    assert seed.date == datetime(2012, 3, 8)


def test_read_text_seed_caption(seed: Article) -> None:
    assert seed.caption == (
        "Russian PM Putin shakes hands with Pakistan's PM Gillani during their meeting"
        " in St.Petersburg"
    )


def test_read_text_seed_body_excludes_header(seed: Article) -> None:
    assert seed.body.startswith("One of the early calls")
    assert "Gillani during their meeting" not in seed.body
    assert "March 8, 2012" not in seed.body


def test_read_text_seed_body_ends_before_boilerplate(seed: Article) -> None:
    assert seed.body.endswith("dark cloud to lift.\u201d")
    assert "We welcome comments" not in seed.body


def test_read_text_seed_body_separates_paragraphs_by_one_blank_line(seed: Article) -> None:
    paragraphs = seed.body.split("\n\n")

    assert len(paragraphs) == 11
    assert all(p and p == p.strip() and "\n" not in p for p in paragraphs)


def test_read_text_seed_body_keeps_non_breaking_spaces(seed: Article) -> None:
    assert "head of state\u00a0to Pakistan" in seed.body


def test_read_text_seed_comment_count(seed: Article) -> None:
    assert len(seed.comments) == 14


def test_read_text_seed_comment_authors_in_order(seed: Article, seed_commenters) -> None:
    assert [c.author for c in seed.comments] == seed_commenters


def test_read_text_seed_comment_positions(seed: Article) -> None:
    assert [c.position for c in seed.comments] == list(range(1, 15))


def test_read_text_seed_comments_have_no_date(seed: Article) -> None:
    assert all(c.date is None for c in seed.comments)


def test_read_text_seed_comments_exclude_boilerplate_and_signatures(seed: Article) -> None:
    for comment in seed.comments:
        assert "We welcome comments" not in comment.body
        assert "Posted by" not in comment.body
        assert "Report as abusive" not in comment.body


def test_read_text_seed_first_comment_keeps_line_break(seed: Article) -> None:
    first = seed.comments[0].body

    assert first.startswith("A very wise and timely step by Pakistan")
    assert "Europe and Asia.\nFor Pakistan, the goal is simple" in first
    assert first.endswith("Mr. Putin welcome to Pakistan.")


def test_read_text_seed_signature_lines_stay_in_comment(seed: Article) -> None:
    second = seed.comments[1]

    assert second.author == "pakistan"
    assert second.body.endswith("Iran.\n\nRex Minor\n\nRex Minor")


def test_read_text_seed_rex_minor_found_in_comments(seed: Article) -> None:
    signed = [c.position for c in seed.comments if "Rex Minor" in c.body]

    assert signed == [2, 6, 7, 8]
    assert {seed.comments[p - 1].author for p in signed} == {"pakistan", "forbirds"}


def test_read_text_seed_comment_starting_with_quote(seed: Article) -> None:
    fifth = seed.comments[4]

    assert fifth.author == "KPSingh01"
    assert fifth.body.startswith(
        "\u201cWhy is that everybody wants to play their terror games in India?\u201d"
    )
    assert fifth.body.endswith("That does not form a state.")


def test_read_text_seed_last_comment(seed: Article) -> None:
    last = seed.comments[-1]

    assert last.author == "singham"
    assert last.body.startswith("also kindly note the facts-")
    assert last.body.endswith("it will die its own making as hatred state.")


def test_read_text_reads_path_directly() -> None:
    assert read_text(SEED) == read_file(SEED)


@pytest.mark.parametrize("name", FERRY_VARIANTS)
def test_read_text_variant_header(name: str) -> None:
    article = read_one(FIXTURES / name)

    assert article.title == FERRY_TITLE
    assert article.date == datetime(2013, 1, 15)
    assert article.caption == FERRY_CAPTION


@pytest.mark.parametrize("name", FERRY_VARIANTS)
def test_read_text_variant_body(name: str) -> None:
    assert read_one(FIXTURES / name).body == FERRY_BODY


@pytest.mark.parametrize("name", FERRY_VARIANTS)
def test_read_text_variant_comments(name: str) -> None:
    article = read_one(FIXTURES / name)

    assert [(c.author, c.body) for c in article.comments] == FERRY_COMMENTS
    assert [c.position for c in article.comments] == [1, 2]
    assert all(c.date is None for c in article.comments)


def test_read_text_footer_after_last_signature_is_dropped() -> None:
    article = read_one(FIXTURES / "crlf.txt")

    assert "footer" not in article.body
    assert all("footer" not in c.body for c in article.comments)


def test_read_text_prose_posted_by_does_not_split_comment() -> None:
    article = read_one(FIXTURES / "prose-posted-by.txt")

    assert [c.author for c in article.comments] == ["Marta", "J.R. Hale"]
    assert article.comments[1].body == (
        "The old timetable was better.\n"
        "Posted by the harbour authority last year,\n"
        "it listed more sailings.\n\n"
        "Posted by the harbour authority in 2012, the old timetable had more sailings.\n\n"
        "My cousin sent me the old one.\n"
        "Posted by my cousin."
    )


def test_read_text_empty_comment_is_skipped() -> None:
    article = read_one(FIXTURES / "empty-comment.txt")

    assert [(c.position, c.author, c.body) for c in article.comments] == [
        (1, "Marta", "Good news for commuters."),
        (2, "J.R. Hale", "About time."),
    ]


def test_read_text_comment_policy_paragraph_starts_comments() -> None:
    article = read_one(FIXTURES / "comment-policy.txt")

    assert article.body == FERRY_BODY
    assert [(c.author, c.body) for c in article.comments] == [("Marta", "Good news for commuters.")]


def test_read_text_without_comments_keeps_whole_article() -> None:
    article = read_one(FIXTURES / "no-comments.txt")

    assert article.body == FERRY_BODY
    assert article.caption == FERRY_CAPTION
    assert article.comments == ()


def test_read_text_without_date_line_has_no_date() -> None:
    article = read_one(FIXTURES / "no-date.txt")

    assert article.date is None
    assert article.caption is None
    assert [(c.author, c.body) for c in article.comments] == [
        (
            "Marta",
            "The harbour ferries resumed service on Monday after a two-month pause.",
        )
    ]


def test_read_text_decodes_cp1252() -> None:
    article = read_one(FIXTURES / "cp1252.txt")

    assert article.title == "Caf\u00e9 owners \u201cdelighted\u201d by ferries"
    assert article.comments[0].author == "Ren\u00e9e"
    assert article.comments[0].body == "The harbour\u2019s caf\u00e9s reopened."


def test_read_text_sentence_after_date_is_body_not_caption(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_text(
        "Title\n\nMarch 8, 2012\n\nShort first sentence.\n\nSecond paragraph.\n",
        encoding="utf-8",
    )
    article = read_one(path)

    assert article.caption is None
    assert article.body == "Short first sentence.\n\nSecond paragraph."


def test_read_text_lone_paragraph_after_date_is_body_not_caption(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_text("Title\n\nMarch 8, 2012\n\nOnly a line without a stop\n", encoding="utf-8")
    article = read_one(path)

    assert article.caption is None
    assert article.body == "Only a line without a stop"


def test_read_text_date_line_right_under_title(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_text("Title\nMarch 8, 2012\n\nFirst paragraph.\n", encoding="utf-8")
    article = read_one(path)

    assert article.date == datetime(2012, 3, 8)
    assert article.body == "First paragraph."


def test_read_text_date_in_wrapped_prose_is_not_taken(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    body = "The ferries stopped on\nMarch 8, 2012\nand restarted a month later."
    path.write_text(f"Title\n\n{body}\n", encoding="utf-8")
    article = read_one(path)

    assert article.date is None
    assert article.body == body


def test_read_text_replaces_undecodable_bytes(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes(b"Title \x81 here\n\nBody text.\n")

    assert read_one(path).title == "Title \ufffd here"


def test_decode_text_prefers_utf8() -> None:
    assert decode_text("caf\u00e9 \u201cq\u201d".encode()) == "caf\u00e9 \u201cq\u201d"


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("empty.txt", "empty file"),
        ("whitespace.txt", "empty file"),
        ("no-title.txt", "no title"),
        ("binary.bin", "binary"),
        ("binary-magic.pdf", "binary"),
    ],
)
def test_read_file_refuses_with_reason(name: str, reason: str) -> None:
    with pytest.raises(ReaderError, match=reason):
        read_file(FIXTURES / name)


def test_read_file_refuses_title_without_letters(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_text("-----\n\nBody text.\n", encoding="utf-8")

    with pytest.raises(ReaderError, match="no title"):
        read_file(path)


def test_read_file_refuses_folder() -> None:
    with pytest.raises(ReaderError, match="folder"):
        read_file(FIXTURES)


def test_read_file_refuses_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ReaderError, match="no such file"):
        read_file(tmp_path / "missing.txt")


def test_read_file_refuses_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "page.txt"
    path.write_text("Title\n\nBody.\n", encoding="utf-8")

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", refuse)

    with pytest.raises(ReaderError, match="cannot be read: Permission denied"):
        read_file(path)


def test_read_file_refuses_too_large_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reader_files, "MAX_FILE_BYTES", 1024)

    with pytest.raises(ReaderError, match="too large"):
        read_file(SEED)


def test_read_file_reads_any_suffix_named_explicitly(tmp_path: Path) -> None:
    path = tmp_path / "page.dump"
    shutil.copyfile(FIXTURES / "crlf.txt", path)

    assert read_one(path).title == FERRY_TITLE


@pytest.mark.parametrize(
    ("head", "binary"),
    [
        (b"Title\n\nBody.\n", False),
        ("\ufeffTitle".encode("utf-16"), False),
        (b"\x89PNG\r\n\x1a\nrest", True),
        (b"\xff\xd8\xff\xe0JFIF", True),
        (b"text with a \x00 inside", True),
    ],
)
def test_looks_binary(head: bytes, binary: bool) -> None:
    assert looks_binary(head) is binary
