"""The engine-neutral query language: the tree both engines compile, and did-you-mean."""

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.engines.base import QuerySyntaxError
from indexer.query import (
    FUZZY_WORDS,
    MAX_EDITS,
    MAX_FUZZY_WORDS,
    MAX_SUGGESTED_WORDS,
    QUERY_FIELDS,
    Group,
    Lexicon,
    Lifted,
    Not,
    Phrase,
    Word,
    Words,
    edit_distance,
    lift_terms,
    nearest,
    parse,
    pattern_prefix,
    pattern_regex,
    suggest,
    words_within,
)


def test_parse_ands_words_and_binds_or_to_its_neighbours():
    assert parse("putin election OR vote") == Group(
        "and",
        (Word(None, "putin"), Group("or", (Word(None, "election"), Word(None, "vote")))),
    )


def test_parse_reads_fields_phrases_quoted_values_and_exclusions():
    tree = parse("""author:'Rex Minor' title:"russia pakistan" -india NOT china""")
    assert tree.items == (
        Phrase("author", "Rex Minor", exact=True),
        Phrase("title", "russia pakistan"),
        Not(Word(None, "india")),
        Not(Word(None, "china")),
    )


def test_parse_applies_a_field_to_a_bracket():
    assert parse("author:(ann OR bob)").items == (
        Group("and", (Group("or", (Word("author", "ann"), Word("author", "bob"))),)),
    )


def test_parse_reads_wildcards_and_fuzzy_words():
    assert parse("russ* putn~ putn~2").items == (
        Word(None, "russ*", pattern=True),
        Word(None, "putn", edits=1, nearest=FUZZY_WORDS // 2),
        Word(None, "putn", edits=2, nearest=FUZZY_WORDS // 2),
    )


def test_a_querys_fuzzy_words_share_the_words_they_stand_for():
    assert parse("putn~ russia").items[0] == Word(None, "putn", edits=1, nearest=FUZZY_WORDS)
    most = parse(" ".join(f"w{number}~" for number in range(MAX_FUZZY_WORDS)))
    assert {item.nearest for item in most.items} == {FUZZY_WORDS // MAX_FUZZY_WORDS}
    with pytest.raises(QuerySyntaxError, match=f"at most {MAX_FUZZY_WORDS} fuzzy words"):
        parse(" ".join(f"w{number}~" for number in range(MAX_FUZZY_WORDS + 1)))


def test_parse_keeps_hyphens_and_apostrophes_inside_words():
    assert parse("e-mail don't").items == (Word(None, "e-mail"), Word(None, "don't"))


@pytest.mark.parametrize("name", QUERY_FIELDS)
def test_parse_reads_every_field_a_query_can_name(name):
    assert parse(f"{name}:putin").items == (Word(name, "putin"),)


def test_parse_names_the_fields_there_are_when_refusing_one():
    fields = "title, caption, body, text, author, kind, article, year, copies, site"
    with pytest.raises(QuerySyntaxError, match=f"no field 'id' \\(fields: {fields}\\)"):
        parse("id:putin")


@pytest.mark.parametrize(
    "query", ['"open', "(a", "a)", "p*", "foo:bar", "x~3", "(" * 40 + ")" * 40]
)
def test_parse_refuses_what_syntax_problem_names(query):
    with pytest.raises(QuerySyntaxError):
        parse(query)


def test_pattern_regex_escapes_everything_but_the_wildcards():
    assert pattern_regex("pu?in.*") == "pu.in\\..*"


@pytest.mark.parametrize(
    "a, b, distance",
    [("putn", "putin", 1), ("presidentail", "presidential", 1), ("elektion", "election", 1),
     ("abc", "xyz", 3)],
)  # fmt: skip
def test_edit_distance_counts_swaps_as_one_edit(a, b, distance):
    assert edit_distance(a, b, 5) == distance


def test_nearest_prefers_the_most_frequent_word_within_the_edits():
    candidates = [("putin", 40), ("put", 3), ("pit", 90)]
    assert nearest("putn", candidates, 1) == "putin"


def test_suggest_replaces_unknown_words_and_leaves_syntax_alone():
    known = {"putin", "pakistan"}
    closest = {("putn", 1): "putin"}
    suggestion = suggest(
        "putn author:Umairpk", known.__contains__, lambda w, d: closest.get((w, d))
    )
    assert suggestion == "putin author:Umairpk"


def test_suggest_looks_each_word_up_once_and_a_bounded_number_of_words():
    asked: list[str] = []

    def closest(word: str, edits: int) -> str | None:
        asked.append(word)
        return None

    repeated = " ".join(["qqqq"] * 240)
    assert suggest(repeated, lambda word: False, closest) is None
    assert set(asked) == {"qqqq"} and len(asked) == MAX_EDITS
    asked.clear()
    many = " ".join(f"wor{chr(97 + n)}x" for n in range(20))
    suggest(many, lambda word: False, closest)
    assert len(set(asked)) == MAX_SUGGESTED_WORDS


def test_suggest_looks_nothing_up_past_its_deadline():
    asked: list[str] = []
    past = time.monotonic() - 1
    assert suggest("putn", lambda word: False, lambda w, d: asked.append(w), past) is None
    assert asked == []


@pytest.mark.parametrize(
    ("pattern", "prefix"),
    [("gov*", "gov"), ("gov*n", None), ("g?v*", None), ("gov**", None), ("*", None)],
)
def test_pattern_prefix_is_only_a_plain_prefix(pattern, prefix):
    assert pattern_prefix(pattern) == prefix


@pytest.mark.parametrize(
    ("text", "rest", "values"),
    [
        ("author:Bob", "", {"author": ("Bob",)}),
        ("harbour author:Bob kind:comment", "harbour", {"author": ("Bob",), "kind": ("comment",)}),
        ("author:'Rex Minor' putin", "putin", {"author": ("Rex Minor",)}),
        ('author:"Rex Minor"', "", {"author": ("Rex Minor",)}),
        ("a AND author:Bob AND b", "a AND b", {"author": ("Bob",)}),
        ("+author:Bob harbour", "harbour", {"author": ("Bob",)}),
        ('"two  spaces" author:Bob', '"two  spaces"', {"author": ("Bob",)}),
    ],
)
def test_lift_terms_takes_out_top_level_plain_terms(text, rest, values):
    assert lift_terms(text, ("author", "kind")) == Lifted(rest, values)


@pytest.mark.parametrize(
    "text",
    [
        "-author:Bob",
        "NOT author:Bob",
        "harbour OR author:Bob",
        "author:Bob OR harbour",
        "ferry OR harbour author:Bob",
        "(author:Bob harbour)",
        "author:(Bob Carol)",
        "author:Bo*",
        "author:Bob~",
        "author:Bob^2",
        'author:"Rex Minor"~2',
        'author:Bob "unclosed',
        "title:Bob",
    ],
)
def test_lift_terms_leaves_terms_that_do_not_narrow_every_hit(text):
    assert lift_terms(text, ("author", "kind")) == Lifted(text, {})


def test_lift_terms_leaves_values_it_is_told_not_to_accept():
    lifted = lift_terms("kind:article kind:letter", ("kind",), lambda f, v: v == "article")
    assert lifted == Lifted("kind:letter", {"kind": ("article",)})


@given(
    word=st.text("abcd", min_size=1, max_size=6),
    words=st.lists(st.text("abcd", min_size=1, max_size=8), max_size=80),
    edits=st.integers(1, MAX_EDITS),
)
def test_words_within_finds_every_word_within_the_edits_nearest_first(word, words, edits):
    lexicon = sorted(set(words))
    within = [(edit_distance(word, w, edits), w) for w in lexicon]
    expected = [w for distance, w in sorted(within) if distance <= edits]
    assert words_within(word, edits, Words.of(words), limit=len(lexicon)) == expected


def test_words_within_compares_words_before_stemming_and_keeps_the_nearest():
    lexicon = Words.of(["govern", "government", "governments", "governor", "gov"])
    assert words_within("governmnt", 1, lexicon) == ["government"]
    assert words_within("governmnt", 2, lexicon) == ["government", "governments"]
    many = Words.of(f"ab{a}{b}" for a in "abcdefghij" for b in "abcdefghij")
    found = words_within("abcd", 2, many)
    assert len(found) == FUZZY_WORDS and found[0] == "abcd"


def test_a_lexicon_lists_the_index_once_and_lower_cases_the_word():
    listed = []

    def words():
        listed.append(1)
        return ["putin", "putting", "put"]

    lexicon = Lexicon(words)
    assert lexicon.within("PUTN", 1) == ["put", "putin"]
    assert lexicon.within("putn", 1) == ["put", "putin"]
    assert lexicon.within("puttin", 1) == ["putin", "putting"]
    assert listed == [1]
