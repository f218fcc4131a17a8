"""Reader for plain-text page dumps: an article followed by its reader comments.

A dump is what a browser's "save as text" leaves of a blog page: the title on the
first line, a date line, maybe a photo caption, the article's paragraphs, the
site's comment-policy boilerplate, then each comment closed by a line
"Posted by NAME | Report as abusive". Such dumps carry no comment dates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from indexer.dates import parse_date
from indexer.readers.files import UNICODE_BOMS, ReaderError, load_bytes
from indexer.records import Article, Comment
from indexer.spacing import single_spaced

# The date is looked for in the first few paragraphs after the title: in a paragraph
# of its own, or among the few short lines printed right under the title. A date
# inside any other paragraph may be a line of wrapped prose, and is left there.
HEADER_PARAGRAPHS = 3
MAX_HEADER_LINES = 4
MAX_HEADER_LINE_LENGTH = 80
MAX_CAPTION_LENGTH = 200
MAX_TITLE_CHARS = 1_000  # a longer first line is prose: its start is the title, the line the body

MAX_SIGNATURE_LINE_LENGTH = 200
MAX_AUTHOR_LENGTH = 80
MAX_BARE_AUTHOR_LENGTH = 40
MAX_BARE_AUTHOR_WORDS = 4

# Paragraphs that are the site's, not the article's nor a reader's. A match of
# BOILERPLATE anywhere before the first comment marks where comments begin;
# COMMENT_POLICY is weaker evidence, trusted only in the last paragraphs before it.
BOILERPLATE = (
    re.compile(r"^We welcome comments\b", re.IGNORECASE),
    re.compile(r"^(?:\d+ )?(?:reader )?comments? ?:?$", re.IGNORECASE),
)
COMMENT_POLICY = (re.compile(r"\bcomment(?:ing)? polic(?:y|ies)\b", re.IGNORECASE),)
COMMENT_POLICY_WINDOW = 4

_SIGNED_AND_REPORTED = re.compile(
    r"^posted by\b ?(?P<name>[^|]*?) ?\| ?report as abusive$", re.IGNORECASE
)
_SIGNED = re.compile(r"^posted by (?P<name>[^|]+?)(?: ?\|)?$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?\u2026][\"'\u201d\u2019\u00bb]*$")
_NAME_END = re.compile(r"[.,;:!?]$")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ufeff]")

Paragraph = tuple[str, ...]


@dataclass(frozen=True)
class _Signature:
    author: str


def read_text(path: Path) -> list[Article]:
    """The article and comments of a plain-text page dump, as a one-item list.

    :raise ReaderError: when the file is unreadable, empty, or has no title line.
    """
    return parse_text(load_bytes(path))


def parse_text(data: bytes) -> list[Article]:
    """`read_text` on bytes already read, so that `read_file` reads a file once."""
    lines = _clean_lines(decode_text(data))
    start = next((i for i, line in enumerate(lines) if line.strip()), None)
    if start is None:
        raise ReaderError("empty file: it holds only whitespace")
    prose = len(lines[start]) > MAX_TITLE_CHARS
    title = single_spaced(lines[start][: 2 * MAX_TITLE_CHARS])
    if prose:
        title = title[:MAX_TITLE_CHARS].rsplit(" ", 1)[0] + "\u2026"
    if _signature(lines[start], standalone=True) is not None:
        raise ReaderError("no title: the first line is a comment's 'Posted by' line")
    if not any(char.isalnum() for char in title):
        raise ReaderError("no title: the first line has no letters or digits")

    under_title = not prose and start + 1 < len(lines) and bool(lines[start + 1].strip())
    items = _split_signatures(_paragraphs(lines[start if prose else start + 1 :]))
    article_paragraphs, threads = _split_thread(items)
    date, caption, body_paragraphs = _split_header(article_paragraphs, under_title)
    comments = _comments(threads)
    return [
        Article(
            title=title,
            body=_join(body_paragraphs),
            date=date,
            caption=caption,
            comments=tuple(comments),
        )
    ]


def decode_text(data: bytes) -> str:
    """The text of `data`: by its BOM, else UTF-8, else Windows-1252; never fails.

    Old pages saved on Windows are cp1252; a byte that encoding leaves undefined
    becomes U+FFFD rather than stopping the import.
    """
    for bom, encoding in UNICODE_BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _clean_lines(text: str) -> list[str]:
    return [_CONTROL.sub("", line).rstrip() for line in text.splitlines()]


def _paragraphs(lines: list[str]) -> list[Paragraph]:
    paragraphs: list[Paragraph] = []
    current: list[str] = []
    for line in lines:
        if line.strip():
            current.append(line)
        elif current:
            paragraphs.append(tuple(current))
            current = []
    if current:
        paragraphs.append(tuple(current))
    return paragraphs


def _signature(line: str, standalone: bool) -> str | None:
    """The author a "Posted by" line names, or None when the line is no such line.

    With "| Report as abusive" the line is unmistakable wherever it stands; without
    it, only a short name on a line that closes its paragraph counts, so prose that
    happens to start "Posted by the ..." does not split a comment.
    """
    if len(line) > MAX_SIGNATURE_LINE_LENGTH:
        return None
    text = single_spaced(line)
    match = _SIGNED_AND_REPORTED.match(text)
    if match:
        name = match.group("name")
        return name if len(name) <= MAX_AUTHOR_LENGTH else None
    match = _SIGNED.match(text)
    if not match or not standalone:
        return None
    name = match.group("name")
    if (
        len(name) > MAX_BARE_AUTHOR_LENGTH
        or len(name.split()) > MAX_BARE_AUTHOR_WORDS
        or _NAME_END.search(name)
    ):
        return None
    return name


def _split_signatures(paragraphs: list[Paragraph]) -> list[Paragraph | _Signature]:
    """The paragraphs with each "Posted by" line taken out as a `_Signature` item."""
    items: list[Paragraph | _Signature] = []
    for paragraph in paragraphs:
        current: list[str] = []
        for index, line in enumerate(paragraph):
            author = _signature(line, standalone=index == len(paragraph) - 1)
            if author is None:
                current.append(line)
                continue
            if current:
                items.append(tuple(current))
                current = []
            items.append(_Signature(author))
        if current:
            items.append(tuple(current))
    return items


def _split_thread(
    items: list[Paragraph | _Signature],
) -> tuple[list[Paragraph], list[tuple[str, list[Paragraph]]]]:
    """The article's paragraphs, and each comment's author and paragraphs.

    Comments begin after the site's boilerplate; without it, the first comment is
    the single paragraph before the first "Posted by" line. Text after the last
    "Posted by" line is the site's footer and is dropped.
    """
    first = next((i for i, item in enumerate(items) if isinstance(item, _Signature)), None)
    lead = [item for item in items[:first] if not isinstance(item, _Signature)]
    boilerplate = _boilerplate_index(lead, keep_last=first is not None)
    if first is None:
        return (lead if boilerplate is None else lead[:boilerplate]), []
    if boilerplate is None:
        article, pending = lead[:-1], lead[-1:]
    else:
        article, pending = lead[:boilerplate], lead[boilerplate + 1 :]
        while pending and _matches(pending[0], BOILERPLATE):
            pending = pending[1:]
    threads: list[tuple[str, list[Paragraph]]] = []
    for item in items[first:]:
        if isinstance(item, _Signature):
            threads.append((item.author, pending))
            pending = []
        else:
            pending.append(item)
    return article, threads


def _boilerplate_index(paragraphs: list[Paragraph], keep_last: bool) -> int | None:
    for index, paragraph in enumerate(paragraphs):
        if _matches(paragraph, BOILERPLATE):
            return index
    end = len(paragraphs) - 1 if keep_last else len(paragraphs)
    for index in range(max(0, len(paragraphs) - COMMENT_POLICY_WINDOW), end):
        if _matches(paragraphs[index], COMMENT_POLICY):
            return index
    return None


def _matches(paragraph: Paragraph, patterns: tuple[re.Pattern[str], ...]) -> bool:
    text = single_spaced(_text(paragraph))
    return any(pattern.search(text) for pattern in patterns)


def _split_header(
    paragraphs: list[Paragraph], under_title: bool
) -> tuple[datetime | None, str | None, list[Paragraph]]:
    """The article's date and photo caption, and the paragraphs left for its body.

    `under_title` says the first paragraph continues the title's own paragraph.
    """
    for index, paragraph in enumerate(paragraphs[:HEADER_PARAGRAPHS]):
        if len(paragraph) > MAX_HEADER_LINES or any(
            len(line) > MAX_HEADER_LINE_LENGTH for line in paragraph
        ):
            break
        if len(paragraph) > 1 and not (index == 0 and under_title):
            continue
        for line_index, line in enumerate(paragraph):
            date = parse_date(line)
            if date is None:
                continue
            rest = paragraph[:line_index] + paragraph[line_index + 1 :]
            before = [*paragraphs[:index], *([rest] if rest else [])]
            after = paragraphs[index + 1 :]
            caption = None
            if line_index == len(paragraph) - 1 and len(after) > 1 and _is_caption(after[0]):
                caption = _text(after[0])
                after = after[1:]
            return date, caption, before + after
    return None, None, paragraphs


def _is_caption(paragraph: Paragraph) -> bool:
    """A lone short line that is no sentence: how dumps print a photo's caption."""
    if len(paragraph) != 1:
        return False
    text = paragraph[0].strip()
    return len(text) <= MAX_CAPTION_LENGTH and not _SENTENCE_END.search(text)


def _comments(threads: list[tuple[str, list[Paragraph]]]) -> list[Comment]:
    comments: list[Comment] = []
    for author, paragraphs in threads:
        body = _join(paragraphs)
        if body:
            comments.append(Comment(author=author, body=body, position=len(comments) + 1))
    return comments


def _text(paragraph: Paragraph) -> str:
    return "\n".join(paragraph).strip()


def _join(paragraphs: list[Paragraph]) -> str:
    return "\n\n".join(text for text in map(_text, paragraphs) if text)
