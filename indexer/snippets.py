"""Snippets as HTML, whichever engine found the matches: text escaped, matches in <mark>."""

from __future__ import annotations

import html
from collections.abc import Iterable

from indexer.spacing import single_spaced

SNIPPET_CHARS = 240


def plain_excerpt(text: str, limit: int = SNIPPET_CHARS) -> str:
    """The start of a text, escaped, cut at a word: the snippet when nothing matched."""
    flat = single_spaced(text[: limit * 4])
    if len(flat) > limit:
        flat = flat[:limit].rsplit(" ", 1)[0] + " …"
    return html.escape(flat, quote=False)


def marked(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """`text` escaped, with each (start, end) character span wrapped in <mark>."""
    parts, at = [], 0
    for start, end in sorted(spans):
        if start < at or end <= start:
            continue
        parts += [html.escape(text[at:start], quote=False), "<mark>"]
        parts += [html.escape(text[start:end], quote=False), "</mark>"]
        at = end
    parts.append(html.escape(text[at:], quote=False))
    return "".join(parts)
