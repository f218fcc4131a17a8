"""The fixed query mix: the same queries, in the same order, for every engine.

Terms are chosen by how many documents they hit, as a search box sees them: a fifth are
broad (in a fifth to a half of all documents), half are common news words or pairs of
them, the rest mid-frequency and rare words of the generated vocabulary. Fuzzy queries
are words of every band misspelt by one edit; no-hit queries are misspellings no
document holds (the generator never writes a "q"), which a did-you-mean then corrects.
"""

from __future__ import annotations

import itertools
from datetime import date

from bench.adapter import AUTHOR, DATES, FUZZY, KINDS, NOHIT, WILDCARD, Query
from bench.generate import vocabulary_for

BROAD = ("they", "said", "people", "would")
COMMON = ("government", "market", "putin", "election", "economy", "police")
PAIRS = ("government market", "putin election", "people think", "oil prices")
RANKS = (1_000, 2_000, 5_000, 10_000, 20_000)  # invented words, from mid to rare
PREFIXES = ("gov", "mar", "pol", "ele", "pre", "eco", "rus", "com")
MISSPELT = ("govrnment", "markt", "putn", "electon", "econmy", "polce", "peple", "sayd")
UNHEARD = ("goverqment", "marqet", "qolice", "elecqion", "econoqy", "qutin", "peoqle")
AUTHOR_RANKS = (0, 1, 4, 19, 99)  # the top author, the second, ... the hundredth
SPANS = (
    (date(2012, 1, 1), date(2012, 12, 31)),
    (date(2015, 3, 1), date(2015, 3, 31)),
    (date(2011, 1, 1), date(2013, 12, 31)),
    (date(2018, 6, 1), date(2019, 12, 31)),
)


def terms() -> list[str]:
    words = vocabulary_for()
    mixed = [*BROAD, *COMMON, *PAIRS, *(words[rank] for rank in RANKS)]
    # Interleave so that a short run still samples every band.
    return [mixed[(i * 7) % len(mixed)] for i in range(len(mixed))]


def fuzzy_words() -> list[str]:
    """Words within one edit of the vocabulary's, none of them a word of it: news words
    misspelt, and the mid-frequency and rare words with their third letter left out."""
    words = vocabulary_for()
    return [*MISSPELT, *(words[rank][:2] + words[rank][3:] for rank in RANKS)]


def cycled(texts: list[str], count: int, suffix: str = "") -> list[str]:
    return [text + suffix for text in itertools.islice(itertools.cycle(texts), count)]


def query_mix(kind: str, count: int, authors: list[str]) -> list[Query]:
    """`count` queries of one kind; `authors` are the corpus's handles, most active first."""
    if kind == WILDCARD:
        return [Query(kind, text) for text in cycled(list(PREFIXES), count, "*")]
    if kind == FUZZY:
        return [Query(kind, text) for text in cycled(fuzzy_words(), count, "~1")]
    if kind == NOHIT:
        pairs = [" ".join(pair) for pair in itertools.pairwise(UNHEARD)]
        return [Query(kind, text) for text in cycled([*UNHEARD, *pairs], count)]
    texts = itertools.islice(itertools.cycle(terms()), count)
    if kind == AUTHOR:
        chosen = itertools.cycle(authors[rank % len(authors)] for rank in AUTHOR_RANKS)
        return [Query(kind, text, author=next(chosen)) for text in texts]
    if kind == DATES:
        spans = itertools.cycle(SPANS)
        return [Query(kind, text, None, *next(spans)) for text in texts]
    return [Query(kind, text) for text in texts]


def all_queries(count: int, authors: list[str]) -> dict[str, list[Query]]:
    return {kind: query_mix(kind, count, authors) for kind in KINDS}
