"""White space collapsed in bounded memory.

`" ".join(text.split())` is four times quicker than `re.sub` on a line of a comment,
but both make an object for every word: for a one-line file of tens of megabytes that
is some fifteen times the text in memory. Texts longer than a slice are therefore
collapsed a slice at a time.
"""

from __future__ import annotations

import re

WHITE_SPACE = re.compile(r"\s+")  # the characters str.split() splits on
SLICE_CHARS = 1 << 20


def single_spaced(text: str) -> str:
    """The text with every run of white space as one space, and none at either end."""
    if len(text) <= SLICE_CHARS:
        return " ".join(text.split())
    parts: list[str] = []
    spaced = False  # whether what is kept so far ends with a space
    for start in range(0, len(text), SLICE_CHARS):
        part = WHITE_SPACE.sub(" ", text[start : start + SLICE_CHARS])
        if spaced and part.startswith(" "):
            part = part[1:]
        if part:
            parts.append(part)
            spaced = part.endswith(" ")
    return "".join(parts).strip()
