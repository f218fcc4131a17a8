"""The query language, apart from any engine: checks, a syntax tree, did-you-mean.

Both engines compile the tree that `parse` makes here, over the fields named here,
so a query means the same whichever engine serves the archive. Both refuse the same
queries first, with the same message (`syntax_problem`), and both correct
misspellings the same way (`suggest`), each from its own index's words.
"""

from __future__ import annotations

import bisect
import os
import re
import threading
import time
from array import array
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass

from indexer.engines.base import QuerySyntaxError

# The fields a query names: text fields, whose words are stemmed and where a word
# without a field is looked for; other names for them; fields whose values match whole.
SEARCH_FIELDS = ("title", "caption", "body")
TEXT_ALIASES = {"text": "body"}
VALUE_FIELDS = ("author", "kind", "article", "year", "copies", "site")
QUERY_FIELDS = (*SEARCH_FIELDS, *TEXT_ALIASES, *VALUE_FIELDS)
FIELD_PREFIX = re.compile(r"(?<![\w:/])([A-Za-z_]\w*):")
WILDCARD_TERM = re.compile(r"[^\s\"()]*[*?][^\s\"()]*")
SUGGESTABLE_WORD = re.compile(r"(?<![\w:*?~])[^\W\d_]{3,}(?![\w:*?~])")
OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"}
WILDCARD_PREFIX = 3  # letters before a * or ?: shorter prefixes expand to too many words
FUZZY_DISTANCE = re.compile(r"~(\d+)")
MAX_EDITS = 2
MAX_EXPANSIONS = 1024  # index terms one wildcard term stands for, at most
FUZZY_WORDS = 64  # words a query's fuzzy words stand for in all, at most, the nearest first
MAX_FUZZY_WORDS = 8  # fuzzy words in one query: each is looked up in the index's words
KEPT_FUZZY_WORDS = 256  # fuzzy words whose words a lexicon remembers
MAX_SUGGESTED_WORDS = 8  # distinct words a did-you-mean looks up
MAX_DEPTH = 32  # brackets within brackets; deeper is refused, not recursed into

TOKEN = re.compile(
    r"""
      (?P<space>\s+)
    | (?P<open>\()
    | (?P<close>\))
    | (?P<phrase>"[^"]*")(?:~\d*)?
    | (?P<quoted>(?<![^\s(:+-])'[^']*'(?=[\s)]|$))
    | (?P<sign>(?<![^\s(])[+-])(?=[^\s)])
    | (?P<field>(?<![^\s(+-])[A-Za-z_]\w*):(?=\S)
    | (?P<word>[^\s()"]+)
    """,
    re.VERBOSE,
)
FUZZY = re.compile(r"^(?P<text>.*?)~(?P<edits>\d*)$")
BRACKET = re.compile(r"[()]")
BOOST = re.compile(r"\^[\d.]*$")


def syntax_problem(text: str) -> str | None:
    """What is wrong with a query string, in words a reader understands; None if nothing."""
    if text.count('"') % 2:
        return "a quotation mark is not closed"
    depth = 0
    for char in BRACKET.findall(text):
        depth += 1 if char == "(" else -1
        if depth < 0:
            return "a ')' has no '(' before it"
        if depth > MAX_DEPTH:
            return f"brackets go at most {MAX_DEPTH} deep"
    if depth:
        return "a '(' is not closed"
    for term in WILDCARD_TERM.findall(text):
        prefix = re.split(r"[*?]", term.split(":")[-1], maxsplit=1)[0]
        if len(prefix) < WILDCARD_PREFIX:
            return f"a wildcard needs at least {WILDCARD_PREFIX} letters before * or ? ({term!r})"
    if any(int(distance) > MAX_EDITS for distance in FUZZY_DISTANCE.findall(text)):
        return f"a fuzzy match (~) allows at most {MAX_EDITS} edits"
    if fuzzy_count(text for kind, text in tokens(text) if kind == "word") > MAX_FUZZY_WORDS:
        return f"a query may hold at most {MAX_FUZZY_WORDS} fuzzy words (~)"
    for match in FIELD_PREFIX.finditer(text):
        name = match.group(1)
        if name not in QUERY_FIELDS:
            return f"there is no field {name!r} (fields: {', '.join(QUERY_FIELDS)})"
        if not text[match.end() :].strip() or text[match.end()].isspace():
            return f"'{name}:' needs a value right after it"
    return None


@dataclass(frozen=True)
class Word:
    """A word as typed: matched in its field's forms, or as a pattern, or nearly."""

    field: str | None
    text: str
    edits: int = 0  # fuzzy: edits allowed (word~ is one edit)
    pattern: bool = False  # holds * or ?
    nearest: int = 0  # fuzzy: the index's words it stands for, at most (`fuzzy_share`)


@dataclass(frozen=True)
class Phrase:
    """Words in this order; `exact` when single-quoted, as one value ('Rex Minor')."""

    field: str | None
    text: str
    exact: bool = False


@dataclass(frozen=True)
class Not:
    node: Node


@dataclass(frozen=True)
class Group:
    """`op` is "and" (every item; `Not` items exclude) or "or" (any item)."""

    op: str
    items: tuple[Node, ...]


Node = Word | Phrase | Not | Group


def tokens(text: str) -> list[tuple[str, str]]:
    return [
        (m.lastgroup, m.group(m.lastgroup)) for m in TOKEN.finditer(text) if m.lastgroup != "space"
    ]


class Parser:
    """Recursive descent over the tokens, whoosh's way: words AND together, OR binds
    the words beside it, `-` or NOT excludes, brackets group, `field:` applies to the
    word, phrase or bracket after it. Operators left dangling are dropped."""

    def __init__(self, text: str) -> None:
        self.tokens = tokens(text)
        self.at = 0
        self.nearest = fuzzy_share(text for kind, text in self.tokens if kind == "word")

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def sequence(self, field: str | None) -> Group:
        items: list[Node] = []
        while (token := self.peek()) is not None and token[0] != "close":
            if token == ("word", "AND"):
                self.take()
                continue
            item = self.chain(field)
            if item is not None:
                items.append(item)
        return Group("and", tuple(items))

    def chain(self, field: str | None) -> Node | None:
        items = [self.unary(field)]
        while self.peek() == ("word", "OR"):
            self.take()
            items.append(self.unary(field))
        present = tuple(item for item in items if item is not None)
        if len(present) > 1:
            return Group("or", present)
        return present[0] if present else None

    def unary(self, field: str | None) -> Node | None:
        token = self.peek()
        if token is None or token[0] == "close":
            return None
        if token in (("sign", "-"), ("word", "NOT"), ("word", "ANDNOT")):
            self.take()
            inner = self.unary(field)
            return Not(inner) if inner is not None else None
        if token == ("sign", "+") or token in (("word", "OR"), ("word", "ANDMAYBE")):
            self.take()
            return self.unary(field)
        return self.atom(field)

    def atom(self, field: str | None) -> Node | None:
        kind, text = self.take()
        if kind == "open":
            group = self.sequence(field)
            if self.peek() is not None:
                self.take()  # the ')': syntax_problem has checked that brackets balance
            return group
        if kind == "field":
            return self.atom(text)
        if kind == "phrase":
            return Phrase(field, text[1 : text.rindex('"')])
        if kind == "quoted":
            return Phrase(field, text[1:-1], exact=True)
        return word(field, text, self.nearest)


def word(field: str | None, text: str, nearest: int = FUZZY_WORDS) -> Word | None:
    text = BOOST.sub("", text)
    edits = 0
    fuzzy = FUZZY.match(text)
    if fuzzy:
        text, edits = fuzzy.group("text"), int(fuzzy.group("edits") or 1)
    if not text:
        return None
    return Word(field, text, edits, "*" in text or "?" in text, nearest if edits else 0)


def fuzzy_share(words: Iterable[str]) -> int:
    """The index's words each fuzzy word of a query stands for, at most: the query's
    fuzzy words share `FUZZY_WORDS`, so that what they stand for stays within what an
    engine searches at once (Solr refuses a query of more than 1,024 clauses)."""
    return FUZZY_WORDS // max(fuzzy_count(words), 1)


def fuzzy_count(words: Iterable[str]) -> int:
    """How many of a query's word tokens are fuzzy words (`putn~`, `putn~2^3`)."""
    return sum(1 for text in words if (found := FUZZY.match(BOOST.sub("", text))) and found[1])


def parse(text: str) -> Node:
    """The query's syntax tree; an empty `Group("and")` for a blank query.

    :raise QuerySyntaxError: when `syntax_problem` finds something wrong.
    """
    problem = syntax_problem(text)
    if problem:
        raise QuerySyntaxError(problem)
    return Parser(text).sequence(None)


@dataclass(frozen=True)
class Lifted:
    """A query with some of its field terms taken out, and their values by field."""

    text: str
    values: dict[str, tuple[str, ...]]


def lift_terms(
    text: str, fields: Collection[str], accept: Callable[[str, str], bool] = lambda f, v: True
) -> Lifted:
    """Take out of a query the plain `field:value` terms that every hit must match: at the
    top level, not excluded, not beside an OR, not a pattern, fuzzy or boosted, and
    `accept`ed. Such a term selects exactly what a filter on its field selects, so a
    caller can apply it as one. A query with a syntax problem is left whole.
    """
    if syntax_problem(text):
        return Lifted(text, {})
    found = [m for m in TOKEN.finditer(text) if m.lastgroup != "space"]
    levels = depths(found)
    if any(m.group() == "OR" and not level for m, level in zip(found, levels, strict=True)):
        return Lifted(text, {})  # `a OR b author:x` is `a OR (b author:x)`: no term binds all
    cut: list[tuple[int, int]] = []
    values: dict[str, list[str]] = {}
    for at, (match, depth) in enumerate(zip(found, levels, strict=True)):
        kind = match.lastgroup
        name = match.group(kind) if kind == "field" else ""
        if depth or name not in fields or at + 1 == len(found):
            continue
        value = plain_value(found[at + 1])
        before = found[at - 1].group() if at else ""
        after = found[at + 2].group() if at + 2 < len(found) else ""
        if value is None or before in ("-", "NOT", "ANDNOT", "OR") or after == "OR":
            continue
        if not accept(name, value):
            continue
        start = found[at - 1] if before == "+" else match
        cut.append((start.start(), found[at + 1].end()))
        neighbours = found[max(at - 1, 0) : at] + found[at + 2 : at + 3]
        cut += [(m.start(), m.end()) for m in neighbours if m.group() == "AND"][:1]
        values.setdefault(name, []).append(value)
    if not cut:
        return Lifted(text, {})
    kept, position = [], 0
    for start, end in sorted(set(cut)):
        kept.append(text[position:start])
        position = max(position, end)
    kept.append(text[position:])
    rest = " ".join(piece.strip() for piece in kept if piece.strip())
    return Lifted(rest, {name: tuple(found) for name, found in values.items()})


def depths(tokens: list[re.Match]) -> list[int]:
    """How many brackets each token is inside."""
    found, depth = [], 0
    for token in tokens:
        depth -= token.lastgroup == "close"
        found.append(depth)
        depth += token.lastgroup == "open"
    return found


def plain_value(token: re.Match) -> str | None:
    """The value a token after `field:` gives, when it is one plain value: a word without
    wildcard, fuzziness or boost, or a quoted value or phrase without a slop."""
    kind, text = token.lastgroup, token.group()
    if kind == "word":
        found = word(None, text)
        return text if found and found.text == text and not found.pattern else None
    if kind == "quoted" or (kind == "phrase" and text.endswith('"')):
        return text[1:-1].strip() or None
    return None


def pattern_regex(text: str) -> str:
    """A wildcard pattern as a whole-term regular expression: * any run, ? one character."""
    return "".join({"*": ".*", "?": "."}.get(char, re.escape(char)) for char in text)


def pattern_prefix(text: str) -> str | None:
    """What a pattern that only asks for a prefix (`gov*`) asks for; None for others.
    Engines look a prefix up in their term lists far faster than they run a regex."""
    head = text[:-1]
    return head if text.endswith("*") and head and not ("*" in head or "?" in head) else None


def edit_distance(a: str, b: str, limit: int) -> int:
    """Edits (insert, delete, replace, swap of neighbours) from `a` to `b`; `limit + 1`
    as soon as it is certain to exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    rows = [list(range(len(b) + 1))]
    for position in range(len(a)):
        rows = [rows[-1], next_row(b, a, position, rows)]
        if min(rows[-1]) > limit:
            return limit + 1
    return rows[-1][-1]


class Tails(Sequence[str]):
    """The words of `ordered` without their first letter, in the order of `places`."""

    def __init__(self, ordered: list[str], places: array) -> None:
        self._ordered = ordered
        self._places = places

    def __len__(self) -> int:
        return len(self._places)

    def __getitem__(self, at: int) -> str:  # type: ignore[override]  # one place, never a slice
        return self._ordered[self._places[at]][1:]

    def owner(self, at: int) -> str:
        return self._ordered[self._places[at]]


@dataclass(frozen=True)
class Words:
    """An index's words as written, sorted (`ordered`), and by all but their first
    letter (`tails`): a second order of places rather than a second list of words,
    which would double the memory a large lexicon takes. No word is longer than
    `longest` letters."""

    ordered: list[str]
    tails: Tails
    longest: int

    @classmethod
    def of(cls, words: Iterable[str]) -> Words:
        ordered = sorted(set(words))
        places = array("L", sorted(range(len(ordered)), key=lambda at: ordered[at][1:]))
        return cls(ordered, Tails(ordered, places), max(map(len, ordered), default=0))


def words_within(word: str, edits: int, words: Words, limit: int = FUZZY_WORDS) -> list[str]:
    """The words within `edits` of `word`, the nearest first, then in alphabetical
    order, at most `limit`: what a fuzzy word (`governmnt~1`) stands for. Words are
    compared as written, before stemming: the stem of a misspelt word can lie further
    from the index's stems than the word from its words (`governmnt` stems to itself,
    `government` to `govern`).

    A word within the edits either starts with one of the first `edits + 1` letters of
    `word` (those before it dropped), or its first letter was put in or changed, and
    the rest of it lies within one edit fewer of `word` or of all but its first letter.
    So only the words of those first letters are walked with every edit allowed, and
    the rest are found among the tails with one edit fewer (none, for one edit)."""
    near: dict[str, int] = {}
    if len(word) - edits > words.longest:  # each row of the table would cost its length
        return []
    for first in dict.fromkeys(word[: edits + 1]):
        start = bisect.bisect_left(words.ordered, first)
        end = bisect.bisect_left(words.ordered, after_prefix(first), start)
        for distance, at in walked(word, edits, words.ordered, start, end):
            near[words.ordered[at]] = distance
    for rest in dict.fromkeys((word, word[1:])):
        for _, at in walked(rest, edits - 1, words.tails, 0, len(words.tails)):
            owner = words.tails.owner(at)
            if owner not in near and (distance := edit_distance(word, owner, edits)) <= edits:
                near[owner] = distance
    return [found for _, found in sorted((distance, w) for w, distance in near.items())[:limit]]


def walked(
    word: str, edits: int, terms: Sequence[str], start: int, end: int
) -> Iterator[tuple[int, int]]:
    """The places in `terms[start:end]` (sorted) of the terms within `edits` of
    `word`, each with its distance. The terms are walked as a tree of prefixes: each
    row of the edit table is worked out once for the prefix it belongs to, and a
    prefix that no term can come within `edits` of is jumped past by bisection."""
    rows = [list(range(len(word) + 1))]  # rows[k]: the table's row for held[:k]
    held = ""
    at = start
    while at < end:
        term = terms[at]
        shared = len(os.path.commonprefix([held, term]))
        del rows[shared + 1 :]
        held = term[:shared]
        dead = False
        for position in range(shared, len(term)):
            rows.append(next_row(word, term, position, rows))
            held = term[: position + 1]
            if min(rows[-1]) > edits:
                dead = True
                break
        if dead:
            at = bisect.bisect_left(terms, after_prefix(held), at + 1, end)
            continue
        if rows[-1][-1] <= edits:
            yield rows[-1][-1], at
        at += 1


class Lexicon:
    """An index's words as written (the did-you-mean field's), listed and sorted when a
    fuzzy word first asks, and the words each fuzzy word stood for: pages of one query,
    its facets and its thread views ask again and again. One lives as long as the
    view of the index it lists."""

    def __init__(self, listed: Callable[[], Iterable[str]]) -> None:
        self._listed = listed
        self._words: Words | None = None
        self._within: dict[tuple[str, int, int], list[str]] = {}
        self._lock = threading.Lock()

    def within(self, word: str, edits: int, limit: int = FUZZY_WORDS) -> list[str]:
        """`words_within` the index's words, the word taken in lower case."""
        key = (word.lower(), edits, limit)
        with self._lock:  # held only to read and write what is kept: listing reads the index
            found, words = self._within.get(key), self._words
        if found is not None:
            return found
        if words is None:
            words = Words.of(self._listed())
        found = words_within(key[0], edits, words, limit)
        with self._lock:
            self._words = words
            if len(self._within) >= KEPT_FUZZY_WORDS:
                self._within.clear()
            self._within[key] = found
        return found


def next_row(word: str, term: str, position: int, rows: list[list[int]]) -> list[int]:
    """The edit table's row for `term[: position + 1]` against `word`, from the rows
    of the shorter prefixes: the last two are read (a swap of neighbours reaches back
    two rows)."""
    row, before = rows[-1], rows[-2] if len(rows) > 1 else None
    char = term[position]
    current = [position + 1] + [0] * len(word)
    for j, other in enumerate(word, start=1):
        current[j] = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + (char != other))
        if before is not None and j > 1 and char == word[j - 2] and term[position - 1] == other:
            current[j] = min(current[j], before[j - 2] + 1)
    return current


def after_prefix(prefix: str) -> str:
    """The first string past every string that starts with `prefix`."""
    last = ord(prefix[-1])
    return prefix[:-1] + chr(last + 1) if last < 0x10FFFF else prefix + chr(last)


def nearest(word: str, candidates: Iterable[tuple[str, int]], edits: int) -> str | None:
    """The candidate word within `edits` of `word` that is most frequent; None if none is.

    :param candidates: (word, documents holding it) pairs.
    """
    best: tuple[int, str] | None = None
    for candidate, frequency in candidates:
        if candidate != word and edit_distance(word, candidate, edits) <= edits:
            if best is None or (-frequency, candidate) < best:
                best = (-frequency, candidate)
    return best[1] if best else None


def suggest(
    text: str,
    known: Callable[[str], bool],
    closest: Callable[[str, int], str | None],
    deadline: float | None = None,
) -> str | None:
    """The query with each word the index lacks replaced by the nearest it has.

    Words are looked up lower-cased, each once however often it is written, and at
    most `MAX_SUGGESTED_WORDS` of them; the nearest is the closest in edits (one,
    then two) and, among those, the engine's choice. Field values, operators and
    syntax are left as they are. Past `deadline` (a `time.monotonic()` value) no
    more words are looked up: a suggestion must not cost more than the search.

    :param known: whether the index holds a word.
    :param closest: the index's word nearest to a word within some edits, or None.
    """
    nearest_of: dict[str, str | None] = {}

    def lookup(word: str) -> str | None:
        if word not in nearest_of:
            out_of_time = deadline is not None and time.monotonic() > deadline
            if out_of_time or len(nearest_of) >= MAX_SUGGESTED_WORDS or known(word):
                nearest_of[word] = None
            else:
                nearest_of[word] = next(
                    filter(None, (closest(word, d) for d in range(1, MAX_EDITS + 1))), None
                )
        return nearest_of[word]

    def correct(match: re.Match) -> str:
        word = match.group(0)
        return word if word in OPERATORS else lookup(word.lower()) or word

    corrected = SUGGESTABLE_WORD.sub(correct, text)
    return corrected if corrected != text else None
