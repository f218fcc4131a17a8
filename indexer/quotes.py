"""Which earlier comments of a thread each comment quotes.

Readers answer each other by quoting: a passage in quotation marks (straight,
curly or guillemets) or a block of lines starting with ">". A passage links to the
earliest earlier comment whose own words contain it, once case, spacing and
punctuation are set aside. Words an earlier comment itself quoted are not its own,
so a passage that two readers quote from the article does not link them.

Only marked passages count: an unmarked echo of someone's words is not detected.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence

from indexer.records import Comment

# Bounds on untrusted text: how much of a body is read, how many passages one
# comment may quote and how long a passage may be. Longer "passages" are most
# often quotation marks paired across paragraphs, not quotes.
MAX_BODY_CHARS = 20_000
MAX_QUOTES_PER_COMMENT = 20
MAX_QUOTE_CHARS = 1_000
# A passage must be this long to be a quote rather than a phrase in scare quotes.
MIN_QUOTE_WORDS = 5
MIN_QUOTE_CHARS = 25

_MARKED = re.compile(
    rf"[\"\u201c\u201e\u00ab]([^\"\u201c\u201d\u201e\u00ab\u00bb]{{1,{MAX_QUOTE_CHARS}}})[\"\u201d\u00bb]"
)
_QUOTED_LINES = re.compile(r"(?:^[ \t]*>.*(?:\n|$))+", re.MULTILINE)
_LINE_MARKER = re.compile(r"^[ \t>]+", re.MULTILINE)
_ELLIPSIS = re.compile(r"\.{3,}|\u2026|\[\.\.\.\]")
_NON_WORD = re.compile(r"[\W_]+")
_APOSTROPHE = re.compile(r"(?<=\w)['\u2019](?=\w)")
_INITIALS = re.compile(r"\b(\w)\.(?=\w\b)")
# Kept between comments and where quoted passages were cut out, so that no match
# runs across two comments or across a gap.
_BARRIER = "\n"


def quoted_comments(comments: Sequence[Comment]) -> dict[int, list[int]]:
    """Map each quoting comment's position to the positions it quotes, ascending.

    `comments` are one thread in thread order; only earlier comments can be quoted.
    Comments that quote no one are left out.

    Each passage is one substring search over the thread's text before the quoting
    comment, so a thread of n comments costs O(n * MAX_QUOTES_PER_COMMENT * T) for
    T characters of thread text: fine for threads of hundreds of comments.
    """
    bodies = [comment.body[:MAX_BODY_CHARS] for comment in comments]
    passages = [_passages(body) for body in bodies]
    if not any(passages):
        return {}
    starts: list[int] = []
    parts: list[str] = []
    offset = 0
    for body, quoted in zip(bodies, passages, strict=True):
        starts.append(offset)
        own = _own_words(body, quoted)
        parts.append(own)
        offset += len(own)
    thread = "".join(parts)

    links: dict[int, list[int]] = {}
    for index, comment in enumerate(comments):
        sources: set[int] = set()
        for passage in passages[index]:
            for probe in _probes(passage):
                hit = thread.find(probe, 0, starts[index])
                if hit >= 0:
                    sources.add(comments[bisect_right(starts, hit) - 1].position)
        if sources:
            links[comment.position] = sorted(sources)
    return links


def _passages(body: str) -> list[str]:
    """The quoted passages of `body`, at most `MAX_QUOTES_PER_COMMENT`, in order."""
    found = [(m.start(), m.group(1)) for m in _MARKED.finditer(body)]
    if ">" in body:  # the search for quoted lines tries every line start otherwise
        blocks = _QUOTED_LINES.finditer(body)
        found += [(m.start(), _LINE_MARKER.sub("", m.group())) for m in blocks]
    found.sort()
    return [text for _, text in found if _long_enough(_normalise(text))][:MAX_QUOTES_PER_COMMENT]


def _own_words(body: str, passages: list[str]) -> str:
    """`body` normalised, with its quoted passages cut out, framed by barriers."""
    text = f" {_normalise(body)} "
    for passage in passages:
        text = text.replace(f" {_normalise(passage)} ", f" {_BARRIER} ")
    return f"{_BARRIER}{text}{_BARRIER}"


def _probes(passage: str) -> list[str]:
    """What to look for: each long enough stretch of the passage between ellipses.

    A stretch is cut to its first `MAX_QUOTE_CHARS` at a word's end (a ">" block can
    be long), and padded with spaces so that it matches whole words only.
    """
    probes = []
    for part in _ELLIPSIS.split(passage):
        fragment = _normalise(part)
        if len(fragment) > MAX_QUOTE_CHARS:
            fragment = fragment[: MAX_QUOTE_CHARS + 1].rsplit(" ", 1)[0]
        if _long_enough(fragment):
            probes.append(f" {fragment} ")
    return probes


def _normalise(text: str) -> str:
    """Words only, casefolded: "The U.S. doesn't" and "the US doesnt" read alike."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    folded = _INITIALS.sub(r"\1", _APOSTROPHE.sub("", folded))
    return " ".join(_NON_WORD.sub(" ", folded).split())


def _long_enough(normalised: str) -> bool:
    return normalised.count(" ") + 1 >= MIN_QUOTE_WORDS or len(normalised) >= MIN_QUOTE_CHARS
