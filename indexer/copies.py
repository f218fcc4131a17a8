"""Comments posted more than once: the same or almost the same body under several ids.

Copy-paste campaigns and reposts fill archives with near-identical comments. Two
bodies are copies when their sets of word shingles (pairs of adjacent words, case
and punctuation set aside) have a Jaccard similarity of at least `threshold`.
Pairs rather than triples, because each changed word costs as many shingles as
a shingle has words: two typos in a 55-word repost leave it at 0.85 with pairs
but 0.79 with triples. Comparing every pair of bodies is quadratic, so candidates
come from MinHash signatures banded for locality-sensitive hashing, and every
candidate pair is then confirmed on its full shingle sets.

Signatures use one-permutation hashing (one hash per shingle, spread over `BINS`
bins, empty bins filled by rotation) so that a body costs O(words), in pure Python.
Shingle sets wait for confirmation in a temporary file, not in memory: memory
grows by the ids plus about 300 bytes per comment at peak (33 MB for 100,000
synthetic comments), however long the bodies; the file by 4 bytes per shingle.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache, partial
from tempfile import TemporaryFile
from typing import BinaryIO

SHINGLE_WORDS = 2
# "Agreed." and "Thanks for the article" are written independently by thousands;
# below this many words a body is never a copy.
MIN_WORDS = 8
MAX_BODY_CHARS = 20_000
BINS = 64
# Bands are chosen so that a pair exactly at the threshold becomes a candidate with
# at least this probability; more similar pairs are candidates more surely still.
CANDIDATE_PROBABILITY = 0.99
# Within one bucket a comment looks back at most LOOKBACK members and checks at
# most MAX_CHECKS of those not already grouped with it: a bucket of 10,000 reposts
# costs about 10,000 checks, not 50 million.
LOOKBACK = 32
MAX_CHECKS = 8
LOADED_SETS = 1_024

_WORD = re.compile(r"\w+")
_MASK = (1 << 64) - 1
_MIX = 0x9E3779B97F4A7C15  # odd, so multiplying mod 2**64 keeps hashes distinct
_VALUE_BITS = 64 - (BINS.bit_length() - 1)
_VALUE_MASK = (1 << _VALUE_BITS) - 1
_EMPTY = 1 << 64


def copy_groups(items: Iterable[tuple[str, str]], threshold: float = 0.8) -> list[list[str]]:
    """Groups of ids whose bodies are copies of each other, read in one pass.

    `items` are (comment_id, body) pairs, ids unique. A group holds every id linked
    to another by a chain of copies, in input order; groups come in the order of
    their first id, and bodies copied nowhere are in none. Results are the same on
    every run. Candidates are confirmed on their shingles' 32-bit hashes, so a group
    is never wrong by more than a hash collision. A copy is missed when all its
    MinHash bands disagree (for a pair at `threshold`, probability under
    1 - CANDIDATE_PROBABILITY) or when it lies past the bounded checks of a bucket
    crowded with other bodies.

    :raise ValueError: when `threshold` is not in (0, 1].
    """
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must be in (0, 1], not {threshold!r}")
    rows = _rows_per_band(threshold)
    keys = [array("q") for _ in range(BINS // rows)]
    ids: list[str] = []
    offsets = array("Q")
    sizes = array("I")
    with TemporaryFile() as spill:
        for comment_id, body in items:
            shingles = _shingles(body)
            if not shingles:
                continue
            ids.append(comment_id)
            offsets.append(spill.tell())
            sizes.append(len(shingles))
            spill.write(array("I", shingles).tobytes())
            signature = _signature(shingles)
            for band, band_keys in enumerate(keys):
                band_keys.append(hash(tuple(signature[band * rows : (band + 1) * rows])))
        parents = array("q", range(len(ids)))
        load = lru_cache(maxsize=LOADED_SETS)(partial(_read, spill, offsets, sizes))
        for band_keys in keys:
            for members in _buckets(band_keys):
                _confirm(members, parents, sizes, load, threshold)
    groups: dict[int, list[str]] = defaultdict(list)
    for index, comment_id in enumerate(ids):
        groups[_find(parents, index)].append(comment_id)
    return [group for group in groups.values() if len(group) > 1]


def _rows_per_band(threshold: float) -> int:
    """The most rows per band (fewest false candidates) that still meet
    `CANDIDATE_PROBABILITY` at `threshold`: 5 rows in 12 bands at 0.8."""
    for rows in range(BINS, 0, -1):
        bands = BINS // rows
        if 1 - (1 - threshold**rows) ** bands >= CANDIDATE_PROBABILITY:
            return rows
    return 1


def _shingles(body: str) -> list[int]:
    """The body's distinct word shingles as 32-bit hashes, or [] for a short body."""
    text = unicodedata.normalize("NFKC", body[:MAX_BODY_CHARS]).casefold()
    words = _WORD.findall(text)
    if len(words) < MIN_WORDS:
        return []
    grams = zip(*(words[n:] for n in range(SHINGLE_WORDS)), strict=False)
    return sorted({zlib.crc32(" ".join(gram).encode()) for gram in grams})


def _signature(shingles: list[int]) -> list[int]:
    """The one-permutation MinHash of `shingles`: each bin's least value.

    An empty bin takes the next filled bin's value, offset by the distance, so that
    short bodies still fill every band (densification by rotation).
    """
    mins = [_EMPTY] * BINS
    for shingle in shingles:
        mixed = (shingle * _MIX) & _MASK
        slot, value = mixed >> _VALUE_BITS, mixed & _VALUE_MASK
        if value < mins[slot]:
            mins[slot] = value
    signature = list(mins)
    following = (0, 0)
    for index in range(2 * BINS - 1, -1, -1):
        value = mins[index % BINS]
        if value != _EMPTY:
            following = (index, value)
        elif index < BINS:
            signature[index] = following[1] + (following[0] - index) * _EMPTY
    return signature


def _buckets(band_keys: array) -> Iterator[list[int]]:
    """The members, in input order, of each band key that more than one comment has."""
    counts = Counter(band_keys)
    shared: dict[int, list[int]] = {key: [] for key, count in counts.items() if count > 1}
    del counts
    for index, key in enumerate(band_keys):
        members = shared.get(key)
        if members is not None:
            members.append(index)
    yield from shared.values()


def _confirm(
    members: list[int],
    parents: array,
    sizes: array,
    load: Callable[[int], frozenset[int]],
    threshold: float,
) -> None:
    """Join each member to earlier members whose shingle sets are close enough."""
    for position, index in enumerate(members):
        checks = 0
        for earlier in reversed(members[max(0, position - LOOKBACK) : position]):
            if checks >= MAX_CHECKS:
                break
            root, other = _find(parents, index), _find(parents, earlier)
            if root == other:
                continue
            checks += 1
            small, large = sorted((sizes[index], sizes[earlier]))
            if small < threshold * large:
                continue  # Jaccard is at most small / large
            mine, theirs = load(index), load(earlier)
            shared = len(mine & theirs)
            if shared >= threshold * (len(mine) + len(theirs) - shared):
                parents[max(root, other)] = min(root, other)


def _read(spill: BinaryIO, offsets: array, sizes: array, index: int) -> frozenset[int]:
    spill.seek(offsets[index])
    return frozenset(array("I", spill.read(4 * sizes[index])))


def _find(parents: array, index: int) -> int:
    """The group's root, halving the path on the way (union-find)."""
    while parents[index] != index:
        parents[index] = parents[parents[index]]
        index = parents[index]
    return index
