"""Tests for grouping comments whose bodies are copies of each other."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from itertools import combinations
from pathlib import Path

import pytest

from indexer.copies import copy_groups
from indexer.readers.text import read_text

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "structure" / "copies.jsonl"
ORIGINAL = (
    "Russia under Putin is going to reassert its new economic and former military might "
    "against the USA, UK and France. They have already announced a missile shield targeting "
    "European countries, in case the American missile shield project goes ahead."
)


def labelled() -> list[dict]:
    return [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines()]


def pairs(groups) -> set[frozenset[str]]:
    return {frozenset(pair) for group in groups for pair in combinations(group, 2)}


def test_copy_groups_find_no_copies_in_the_seed(seed_path):
    comments = read_text(seed_path)[0].comments
    assert copy_groups((str(c.position), c.body) for c in comments) == []


@pytest.mark.parametrize(
    "copy",
    [
        ORIGINAL,
        "  " + ORIGINAL.upper().replace(". ", ".\n\n"),
        ORIGINAL.replace("France", "Frnace"),
        ORIGINAL + "\n\nRex Minor",
    ],
    ids=["exact", "case-and-spacing", "typo", "added-line"],
)
def test_copy_groups_group_a_copy_with_its_original(copy):
    assert copy_groups([("a", ORIGINAL), ("b", "Agreed."), ("c", copy)]) == [["a", "c"]]


@pytest.mark.parametrize(
    "body",
    ["Agreed.", "Well said, sir. Well said.", "I completely agree with everything you said."],
)
def test_copy_groups_never_group_short_bodies(body):
    assert copy_groups([("a", body), ("b", body), ("c", body)]) == []


def test_copy_groups_keep_apart_replies_that_share_a_long_quote():
    quote = (
        "\u201cThere is only one thing left in that region: a rag tag bunch of lunatics, land "
        "lords and a mercenary military cartel with nukes.\u201d\n\n"
    )
    first = quote + "This is exactly the kind of hate that keeps the two countries apart for good."
    second = quote + "Harsh, but I lived in Lahore for ten years and cannot say you are wrong."
    assert copy_groups([("a", first), ("b", second)]) == []


def test_copy_groups_list_ids_in_input_order_and_groups_by_first_id():
    other = "Pakistan needs to put its house in order first, whatever Moscow or Washington say."
    items = [("z", other), ("y", ORIGINAL), ("x", other + " Indeed."), ("w", ORIGINAL)]
    assert copy_groups(items) == [["z", "x"], ["y", "w"]]


@pytest.mark.parametrize("threshold", [0, -0.5, 1.5])
def test_copy_groups_refuse_a_threshold_outside_zero_to_one(threshold):
    with pytest.raises(ValueError, match="threshold"):
        copy_groups([], threshold)


def test_copy_groups_find_planted_copies_among_many():
    rnd = random.Random(5)
    vocabulary = [f"w{n}" for n in range(5_000)]
    bodies = [" ".join(rnd.choices(vocabulary, k=rnd.randint(20, 120))) for _ in range(5_000)]
    planted = []
    for n, source in enumerate(rnd.sample(range(len(bodies)), 20)):
        bodies.append(bodies[source] + f" reposted {n}")
        planted.append([f"c{source}", f"c{len(bodies) - 1}"])
    groups = copy_groups((f"c{n}", body) for n, body in enumerate(bodies))
    assert pairs(groups) == pairs(planted)


def test_copy_groups_give_the_same_groups_whatever_the_hash_seed():
    script = (
        "import json, sys; from indexer.copies import copy_groups; "
        "items = [json.loads(line) for line in open(sys.argv[1], encoding='utf-8')]; "
        "print(copy_groups((i['id'], i['body']) for i in items), end='')"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", script, str(FIXTURE)],
            capture_output=True, text=True, check=True, cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    }  # fmt: skip
    assert len(runs) == 1
    assert runs.pop() == str(copy_groups((i["id"], i["body"]) for i in labelled()))


def test_copy_groups_precision_and_recall_on_labelled_fixture():
    items = labelled()
    groups: dict[str, list[str]] = {}
    for item in items:
        if item["group"]:
            groups.setdefault(item["group"], []).append(item["id"])
    expected = pairs(groups.values())
    found = pairs(copy_groups((item["id"], item["body"]) for item in items))
    correct = len(found & expected)
    precision, recall = correct / len(found), correct / len(expected)
    print(f"\ncopies (pairs): precision {precision:.3f} ({correct}/{len(found)}), "
          f"recall {recall:.3f} ({correct}/{len(expected)})")
    assert precision >= 0.95
    assert recall >= 0.85
