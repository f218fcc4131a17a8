"""Passages of a body and where the query matched in them, whichever engine found them.

Engines give plain text and character spans; each reader of a hit marks them its own
way: the site and the JSON as HTML (text escaped, matches in <mark>), the command line
in [brackets].
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial

from indexer.spacing import single_spaced

SNIPPET_CHARS = 240

escape_html = partial(html.escape, quote=False)


@dataclass(frozen=True)
class Passage:
    """Plain text, and the (start, end) character spans of the matches in it."""

    text: str
    spans: tuple[tuple[int, int], ...] = ()

    def wrapped(self, opening: str, closing: str, escape: Callable[[str], str] = str) -> str:
        """The text with each match between `opening` and `closing`, and the text itself
        put through `escape`; a span overlapping an earlier one is left unmarked."""
        parts, at = [], 0
        for start, end in sorted(self.spans):
            if start < at or end <= start:
                continue
            parts += [escape(self.text[at:start]), opening, escape(self.text[start:end]), closing]
            at = end
        parts.append(escape(self.text[at:]))
        return "".join(parts)


def joined(pieces: Iterable[Passage | str]) -> Passage:
    """The pieces end to end as one passage, each one's spans moved along with it; a
    string is text without matches (a separator, an ellipsis)."""
    texts: list[str] = []
    spans: list[tuple[int, int]] = []
    length = 0
    for piece in pieces:
        passage = Passage(piece) if isinstance(piece, str) else piece
        spans += [(start + length, end + length) for start, end in passage.spans]
        texts.append(passage.text)
        length += len(passage.text)
    return Passage("".join(texts), tuple(spans))


def excerpt(text: str, limit: int = SNIPPET_CHARS) -> Passage:
    """The start of a text, cut at a word: the passage shown when nothing matched."""
    flat = single_spaced(text[: limit * 4])
    if len(flat) > limit:
        flat = flat[:limit].rsplit(" ", 1)[0] + " …"
    return Passage(flat)


def marked(passage: Passage) -> str:
    """The passage as HTML: its text escaped, each match wrapped in <mark>."""
    return passage.wrapped("<mark>", "</mark>", escape_html)
