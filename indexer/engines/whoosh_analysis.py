"""English stemming for Whoosh, with indexing done in one pass over the text.

Whoosh's `StemmingAnalyzer` runs each word through a chain of generators (tokenizer,
lower case, stop words, stemmer) and its format collects positions token by token.
`StemmedText` indexes the same terms at the same positions, worked out with one
regular expression and a dictionary from each word as written to its term. Queries
and highlighting still go through the chain.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from whoosh.analysis import STOP_WORDS, StemmingAnalyzer
from whoosh.fields import TEXT
from whoosh.lang.porter import stem

# Whoosh's default word pattern, its group made non-capturing so that findall gives words.
WORD = re.compile(r"[\w\*]+(?:\.?[\w\*]+)*")
MIN_LENGTH = 2  # StopFilter's default: shorter words are dropped
LONG_TEXT_CHARS = 1 << 20
CACHED_WORDS = 1_000_000  # words as written whose term is remembered; then the memo restarts

_term_of: dict[str, str] = {}  # a word as written -> its term, "" for a stop word


def term(word: str) -> str:
    """The term the chain makes of one word as the tokenizer found it; "" if it drops it."""
    known = _term_of.get(word)
    if known is not None:
        return known
    lowered = word.lower()
    found = "" if len(lowered) < MIN_LENGTH or lowered in STOP_WORDS else stem(lowered)
    if len(_term_of) >= CACHED_WORDS:
        _term_of.clear()
    _term_of[word] = found
    return found


def words_of(text: str) -> Iterable[str]:
    """The words of `text` as the tokenizer finds them: a list for most texts, one word
    at a time for a long one, whose list would cost many times its size."""
    if len(text) <= LONG_TEXT_CHARS:
        return WORD.findall(text)
    return (match.group() for match in WORD.finditer(text))


def term_positions(text: str) -> dict[str, list[int]]:
    """Each term of `text` with its positions, numbered as the chain numbers them.

    StopFilter renumbers: the first word kept keeps its place among all the words,
    and each word kept after it comes one place later, stop words not counted.
    """
    positions: dict[str, list[int]] = {}
    first = -1
    kept = 0
    memo = _term_of
    for index, word in enumerate(words_of(text)):
        found = memo.get(word)
        if found is None:
            found = term(word)
        if found:
            if first < 0:
                first = index
            places = positions.get(found)
            if places is None:
                positions[found] = [first + kept]
            else:
                places.append(first + kept)
            kept += 1
    return positions


def unseen_words(text: str, seen: set[str]) -> list[str]:
    """The words of `text`, lower-cased but not stemmed and stop words left out, that
    are not in `seen`; they are added to it."""
    memo = _term_of
    unseen = []
    for word in set(words_of(text)):
        found = memo.get(word)
        if found is None:
            found = term(word)
        if found:
            lowered = word.lower()
            if lowered not in seen:
                seen.add(lowered)
                unseen.append(lowered)
    return unseen


class StemmedText(TEXT):
    """A TEXT field analysed by Whoosh's `StemmingAnalyzer`, indexed in one pass over
    the text: the analyzer serves queries and highlighting."""

    def __init__(self, **options) -> None:
        super().__init__(analyzer=StemmingAnalyzer(), **options)

    def index(self, value, **kwargs) -> Iterator[tuple[bytes, int, float, bytes]]:
        """(term, frequency, weight, encoded positions) per term, as `Positions` gives
        them for the analyzer's tokens."""
        if not isinstance(value, str):
            yield from super().index(value, **kwargs)
            return
        encode = self.format.encode
        boost = self.format.field_boost
        for found, places in term_positions(value).items():
            yield found.encode("utf-8"), len(places), len(places) * boost, encode(places)
