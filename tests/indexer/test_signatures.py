"""Tests for names signed at the end of comments."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indexer.readers.text import read_text
from indexer.signatures import MAX_TAIL_CHARS, signatures

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "structure" / "signatures.jsonl"
PROSE = "Russia will not give up its veto in the Security Council, whatever the West says."


def test_signatures_find_rex_minor_under_two_handles_in_the_seed(seed_path):
    signed = {
        comment.position: (comment.author, signatures(comment.body))
        for comment in read_text(seed_path)[0].comments
        if signatures(comment.body)
    }
    assert signed == {
        2: ("pakistan", ["Rex Minor"]),
        6: ("forbirds", ["Rex Minor"]),
        7: ("pakistan", ["Rex Minor"]),
        8: ("pakistan", ["Rex Minor"]),
    }


def test_signatures_count_a_repeated_signature_once():
    assert signatures(f"{PROSE}\n\nRex Minor\n\nRex Minor") == ["Rex Minor"]


@pytest.mark.parametrize(
    ("closing", "name"),
    [
        ("-- John Smith", "John Smith"),
        ("\u2014 John Smith", "John Smith"),
        ("- John", "John"),
        ("~John", "John"),
        ("~kps_01", "kps_01"),
        ("Regards, John Smith", "John Smith"),
        ("Best regards,\nJohn   Smith", "John Smith"),
        ("John Q. Public", "John Q. Public"),
    ],
)
def test_signatures_read_marked_and_bare_closings(closing, name):
    assert signatures(f"{PROSE}\n\n{closing}") == [name]


def test_signatures_read_a_marker_after_the_last_sentence():
    assert signatures("Well said, and about time. -- Harold") == ["Harold"]


@pytest.mark.parametrize(
    "closing",
    [
        "Too bad.",
        "Have a happy dream\u2026\u2026.with pets of fighter jets & sub.",
        "Dear Mr Putin,",
        "Thanks",
        "Regards,",
        "Cheers!",
        "God Bless America",
        "Jai Hind",
        "WAKE UP INDIA",
        "-- Sent from my phone",
    ],
)
def test_signatures_ignore_closings_that_name_no_one(closing):
    assert signatures(f"{PROSE}\n\n{closing}") == []


def test_signatures_ignore_a_name_that_ends_a_wrapped_sentence():
    assert signatures("The meeting was attended by\nVladimir Putin") == []


def test_signatures_ignore_a_body_that_is_only_a_name():
    assert signatures("Rex Minor") == []


def test_signatures_read_only_the_end_of_a_long_body():
    signed = "x " * 500_000 + "done.\n\nRex Minor"
    named_early = "Rex Minor\n\n" + "word " * (MAX_TAIL_CHARS // 5 + 1)
    assert signatures(signed) == ["Rex Minor"]
    assert signatures(named_early) == []


def test_signatures_precision_and_recall_on_labelled_fixture():
    found = expected = correct = 0
    for line in FIXTURE.read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        names = signatures(case["body"])
        found += len(names)
        expected += len(case["names"])
        correct += len(set(names) & set(case["names"]))
    precision, recall = correct / found, correct / expected
    print(f"\nsignatures: precision {precision:.3f} ({correct}/{found}), "
          f"recall {recall:.3f} ({correct}/{expected})")
    assert precision >= 0.95
    assert recall >= 0.85
