"""Turning a body written in HTML (or in plain text) into plain paragraphs.

Comment and post bodies in exports are HTML, plain text with blank lines between
paragraphs, or a mix of both (WordPress adds the <p> tags only when it displays
a post). Either way the result is plain text, paragraphs separated by a blank
line and line breaks inside a paragraph kept; it is escaped when it is shown.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

from indexer.spacing import single_spaced

INVISIBLE = ("script", "style", "noscript", "template", "iframe", "object", "embed", "head")
BLOCKS = (
    "p", "div", "section", "article", "blockquote", "pre", "ul", "ol", "li", "dl", "dt", "dd",
    "table", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "figure", "figcaption", "header",
    "footer", "aside", "nav", "main", "address",
)
MARKUP = re.compile(r"<[a-zA-Z!/]|&#?\w+;")
PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v\u00a0]*\n\s*")


def paragraphs(text: str) -> str:
    """Plain text tidied: blank-line paragraphs, spaces collapsed inside each line."""
    kept = []
    for block in PARAGRAPH_BREAK.split(text.replace("\r\n", "\n").replace("\r", "\n")):
        lines = [single_spaced(line) for line in block.split("\n")]
        block_text = "\n".join(line for line in lines if line)
        if block_text:
            kept.append(block_text)
    return "\n\n".join(kept)


def html_to_text(markup: str) -> str:
    """The visible text of an HTML fragment, as paragraphs; plain text passes through."""
    if not MARKUP.search(markup):
        return paragraphs(markup)
    soup = BeautifulSoup(markup, "lxml")
    for element in soup(INVISIBLE):
        element.decompose()
    for br in soup("br"):
        br.replace_with("\n")
    for block in soup(BLOCKS):
        block.insert_before("\n\n")
        block.insert_after("\n\n")
    return paragraphs(soup.get_text())
