"""Tests for grouping comments whose bodies are copies of each other."""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
import unicodedata
import zlib
from itertools import combinations
from pathlib import Path

import numpy as np
import pytest

from indexer import copies
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


def reference_shingles(body: str) -> list[int]:
    """The shingles spelled out one body at a time, as the module defines them."""
    text = unicodedata.normalize("NFKC", body[: copies.MAX_BODY_CHARS]).casefold()
    words = re.findall(r"\w+", text)
    if len(words) < copies.MIN_WORDS:
        return []
    adjacent = zip(words, words[1:], strict=False)
    return sorted({zlib.crc32(f"{first} {second}".encode()) for first, second in adjacent})


def reference_band_keys(shingles: list[int], rows: int) -> list[int]:
    """hash(tuple(band)) of a one-permutation MinHash densified by rotation."""
    bins, empty = copies.BINS, 1 << 64
    least = [empty] * bins
    for shingle in shingles:
        mixed = (shingle * 0x9E3779B97F4A7C15) % (1 << 64)
        slot, value = divmod(mixed, 1 << 58)
        least[slot] = min(least[slot], value)
    signature = []
    for index in range(bins):
        distance = next(d for d in range(bins) if least[(index + d) % bins] != empty)
        signature.append(least[(index + distance) % bins] + distance * empty)
    bands = range(0, bins - rows + 1, rows)
    return [hash(tuple(signature[start : start + rows])) for start in bands]


def test_batched_shingles_and_band_keys_match_one_body_at_a_time():
    rnd = random.Random(3)
    words = ["Straße", "ΣΊΣΥΦΟΣ", "ς", "２０２４", "ﬁn", "東京", "𝔘𝔫𝔦", "x\ud800y", "naïve", "it's",
             "z" * 300, "ü" * 40, "snake_case", "A.B", "42"]  # fmt: skip
    bodies = [" ".join(rnd.choices(words, k=rnd.randint(0, 30))) for _ in range(300)]
    bodies += ["", "word " * 7, "word " * 8, ORIGINAL]
    owners, shingles = copies._shingles(bodies)
    found: list[list[int]] = [[] for _ in bodies]
    for owner, shingle in zip(owners.tolist(), shingles.tolist(), strict=True):
        found[owner].append(shingle)
    expected = [reference_shingles(body) for body in bodies]
    assert found == expected
    kept = [shingle_set for shingle_set in expected if shingle_set]
    sizes = [len(shingle_set) for shingle_set in kept]
    signatures = copies._signatures(
        np.repeat(np.arange(len(kept)), sizes), np.concatenate(kept).astype(np.uint32)
    )
    for rows in (3, 5):
        keys = copies._band_keys(signatures, rows).tolist()
        assert keys == [reference_band_keys(shingle_set, rows) for shingle_set in kept]


def test_copy_groups_find_copies_in_different_batches(monkeypatch):
    monkeypatch.setattr(copies, "BATCH_BODIES", 3)
    other = "Pakistan needs to put its house in order first, whatever Moscow or Washington say."
    items = [("a", ORIGINAL), ("b", other), ("c", "Agreed."), ("d", "No."), ("e", other)]
    items += [("f", ORIGINAL.upper()), ("g", "short one")]
    assert copy_groups(items) == [["a", "f"], ["b", "e"]]
