"""The hostile mix: the worst request of each kind a public archive gets.

A site on the open web is sent deep pages, query strings of tens of kilobytes, fuzzy
and wildcard terms that expand to much of the vocabulary, exports of everything and
made-up addresses, besides its readers' searches. The load test interleaves these with
the readers' queries: the readers must still be answered, and the server must live.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterable, Sequence
from typing import NamedTuple, TypeVar
from urllib.parse import quote, urlencode

from bench.generate import SEED

DEEP_PAGE = 999_999_999
PADDING_WORDS = 30  # "the " before a rare word: a did-you-mean over many words
PHRASE_WORDS = 240
QUERY_CHARACTERS = 1_000  # the longest query the site takes
AUTHOR_VALUES = 2_000
OTHER_VALUES = 1_000  # of each of article, signed, month and an argument the site ignores
LONG_NAME = 4_000
ODD_NAME = "nobody\r\n\x00<é>"
BROAD = "people"

T = TypeVar("T")


class Request(NamedTuple):
    """One request of a mix: what it is, and its address on the site."""

    label: str
    url: str


def address(path: str, args: Iterable[tuple[str, str]]) -> str:
    return f"{path}?{urlencode(list(args))}"


def search(args: Iterable[tuple[str, str]]) -> str:
    return address("/api/search", args)


def random_words(words: Sequence[str], characters: int, rng: random.Random) -> str:
    """Words drawn at random, cut to at most `characters`: as long a query as is allowed."""
    return " ".join(rng.choice(words) for _ in range(characters))[:characters].rstrip()


def many_authors(authors: Sequence[str]) -> list[tuple[str, str]]:
    """AUTHOR_VALUES `author=` filters: the archive's own handles, then made-up ones."""
    made_up = (f"reader{number}" for number in itertools.count())
    names = itertools.islice(itertools.chain(authors, made_up), AUTHOR_VALUES)
    return [("author", name) for name in names]


def many_others() -> list[tuple[str, str]]:
    """Thousands of filters of the other kinds, and as many arguments the site ignores."""
    return [
        *(("article", f"bench-{number + 1}") for number in range(OTHER_VALUES)),
        *(("signed", f"signer{number}") for number in range(OTHER_VALUES)),
        *(
            ("month", f"{2010 + number % 10}-{number % 12 + 1:02d}")
            for number in range(OTHER_VALUES)
        ),
        *((f"x{number}", "1") for number in range(OTHER_VALUES)),
    ]


def hostile_requests(
    authors: Sequence[str], words: Sequence[str], seed: int = SEED
) -> list[Request]:
    """The hostile requests for an archive whose handles and words (by rank) are given."""
    rare = words[-1]
    odd, long = quote(ODD_NAME, safe=""), quote(ODD_NAME * (LONG_NAME // len(ODD_NAME)), safe="")
    deep = [("facet", "none"), ("page", str(DEEP_PAGE))]
    return [
        Request("deep page, search page", address("/", deep)),
        Request("deep page, `/api/search`", search(deep)),
        Request(
            f"{PADDING_WORDS} × `the` and a rare word",
            search([("q", "the " * PADDING_WORDS + rare)]),
        ),
        Request(
            f"quoted phrase of {PHRASE_WORDS} `the`",
            search([("q", f'"{" ".join(["the"] * PHRASE_WORDS)}"')]),
        ),
        Request("fuzzy `putn~`", search([("q", "putn~")])),
        Request("wildcard `a*`", search([("q", "a*")])),
        Request("wildcard `*`", search([("q", "*")])),
        Request(f"{AUTHOR_VALUES:,} `author=` values", search(many_authors(authors))),
        Request(f"{4 * OTHER_VALUES:,} other arguments", search(many_others())),
        Request(
            f"{QUERY_CHARACTERS:,} characters of random words",
            search([("q", random_words(words, QUERY_CHARACTERS, random.Random(seed)))]),
        ),
        Request(
            "100 highlighted hits", search([("q", BROAD), ("per_page", "100"), ("highlight", "1")])
        ),
        Request("CSV export of everything", "/export.csv"),
        Request("JSON export of everything", "/export.json"),
        Request("NDJSON export of everything", "/export.ndjson"),
        Request("Atom feed of everything", "/feed.atom"),
        Request("thread page, no such id (CR/LF, NUL)", f"/article/{odd}"),
        Request(f"thread JSON, no such id of {LONG_NAME:,} characters", f"/api/article/{long}"),
        Request("author page, no such name (CR/LF, NUL)", f"/author/{odd}"),
        Request(
            f"author graph, no such name of {LONG_NAME:,} characters", f"/api/author/{long}/graph"
        ),
    ]


def alternate(first: Sequence[T], second: Sequence[T]) -> list[T]:
    """One of each in turn, the shorter repeated, until both have been gone through."""
    count = max(len(first), len(second))
    pairs = zip(
        itertools.islice(itertools.cycle(first), count),
        itertools.islice(itertools.cycle(second), count),
        strict=True,
    )
    return [item for pair in pairs for item in pair]
