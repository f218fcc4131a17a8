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
bins, empty bins filled by rotation) so that a body costs O(words). Bodies are read
in batches and handled with numpy: words are found on a table of word characters,
each word's and each pair's CRC-32 is computed a byte column at a time across the
whole batch (the same values as zlib.crc32 of the text), and signatures and band
keys come out of array operations, so that no Python code runs per word. Shingle
sets wait for confirmation in a temporary file, not in memory: memory grows by the
ids plus about 125 bytes per comment at peak (12 band keys, offsets, sizes,
parents; 11 MB for 90,000 synthetic comments), however long the bodies, besides a
batch's working arrays (20 MB at most); the file grows by 4 bytes per shingle.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from functools import cache, lru_cache, partial
from tempfile import TemporaryFile
from typing import BinaryIO

import numpy as np

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
# A batch ends at whichever comes first; its working arrays take up to some 40 bytes
# per character, so about 20 MB at most. Larger batches are no faster.
BATCH_BODIES = 1_000
BATCH_CHARS = 500_000
# Words longer than this many bytes (rare) are hashed by zlib one at a time, so that
# a batch costs at most this many numpy steps per CRC pass.
VECTOR_WORD_BYTES = 64

_WORD = re.compile(r"\w+")
_ASCII_WORD_BYTES = np.array([bool(_WORD.fullmatch(chr(byte))) for byte in range(128)])
_CRC_FLIP = np.uint32(0xFFFFFFFF)
# zlib's CRC-32 table: how one byte moves a register that starts at zero.
_CRC_TABLE = np.array(
    [zlib.crc32(bytes([byte]), 0xFFFFFFFF) ^ 0xFFFFFFFF for byte in range(256)], np.uint32
)
_SPACE = np.uint32(ord(" "))
_UTF8_WIDTH_STEPS = np.array([0x80, 0x800, 0x10000])  # code points from here take a byte more
_MIX = np.uint64(0x9E3779B97F4A7C15)  # odd, so multiplying mod 2**64 keeps hashes distinct
_SLOT_SHIFT = np.uint64(64 - (BINS.bit_length() - 1))
_VALUE_MASK = np.uint64((1 << int(_SLOT_SHIFT)) - 1)
_EMPTY = np.uint64(2**64 - 1)
# The band key of a signature's band is hash(tuple(band)), as in earlier versions,
# computed for a whole batch: CPython's tuple hash (xxHash lanes, 64-bit builds) over
# the hashes of the band's values. An empty bin's value is its follower's value plus
# distance * 2**64, and 2**64 is 8 modulo 2**61 - 1, the modulus of int hashes.
_XXPRIME_1 = np.uint64(11400714785074694791)
_XXPRIME_2 = np.uint64(14029467366897019727)
_XXPRIME_5 = np.uint64(2870177450012600261)
_EMPTY_DISTANCE_HASH = 8


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
    bands = BINS // rows
    ids = _Ids()
    offsets = array("Q")
    sizes = array("I")
    with TemporaryFile() as spill, TemporaryFile() as keys:
        for batch in _batches(items):
            owners, shingles = _shingles([body for _, body in batch])
            counts = np.bincount(owners, minlength=len(batch))
            kept = np.flatnonzero(counts)
            ids.extend(batch[index][0] for index in kept.tolist())
            kept_sizes = counts[kept]
            starts = spill.tell() + 4 * (np.cumsum(kept_sizes) - kept_sizes)
            offsets.frombytes(starts.astype(np.uint64).tobytes())
            sizes.frombytes(kept_sizes.astype(np.uint32).tobytes())
            spill.write(shingles.tobytes())
            signatures = _signatures(np.repeat(np.arange(len(kept)), kept_sizes), shingles)
            keys.write(_band_keys(signatures, rows).tobytes())
        parents = array("q", range(len(ids)))
        load = lru_cache(maxsize=LOADED_SETS)(partial(_read, spill, offsets, sizes))
        if len(ids):
            keys.flush()
            table = np.memmap(keys, np.int64, mode="r").reshape(-1, bands)  # a row a body
            for band in range(bands):
                for members in _buckets(np.array(table[:, band])):
                    _confirm(members, parents, sizes, load, threshold)
            del table
    roots = np.fromiter((_find(parents, index) for index in range(len(ids))), np.intp, len(ids))
    grouped = np.flatnonzero(np.bincount(roots, minlength=len(ids))[roots] > 1)
    groups: dict[int, list[str]] = defaultdict(list)
    for index in grouped.tolist():
        groups[int(roots[index])].append(ids[index])
    return list(groups.values())


def _rows_per_band(threshold: float) -> int:
    """The most rows per band (fewest false candidates) that still meet
    `CANDIDATE_PROBABILITY` at `threshold`: 5 rows in 12 bands at 0.8."""
    for rows in range(BINS, 0, -1):
        bands = BINS // rows
        if 1 - (1 - threshold**rows) ** bands >= CANDIDATE_PROBABILITY:
            return rows
    return 1


def _batches(items: Iterable[tuple[str, str]]) -> Iterator[list[tuple[str, str]]]:
    """`items` in runs short enough that a batch's arrays stay small."""
    batch: list[tuple[str, str]] = []
    chars = 0
    for item in items:
        batch.append(item)
        chars += min(len(item[1]), MAX_BODY_CHARS)
        if len(batch) >= BATCH_BODIES or chars >= BATCH_CHARS:
            yield batch
            batch, chars = [], 0
    if batch:
        yield batch


def _shingles(bodies: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The bodies' distinct word shingles as 32-bit hashes, sorted by body then value.

    Returns each shingle's body (its index in `bodies`) and its value, the
    zlib.crc32 of the pair's UTF-8 text joined by a space; short bodies have none.
    """
    texts = [unicodedata.normalize("NFKC", body[:MAX_BODY_CHARS]).casefold() for body in bodies]
    joined = " ".join(texts)  # a space is no word character, so no word spans two bodies
    data = np.frombuffer(joined.encode("utf-8", "surrogatepass"), np.uint8)
    text_starts = np.cumsum([0] + [len(text) + 1 for text in texts[:-1]])
    if joined.isascii():
        in_word = _ASCII_WORD_BYTES[data]
        body_starts = text_starts
    else:
        points = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), np.uint32)
        widths = np.searchsorted(_UTF8_WIDTH_STEPS, points, side="right") + 1
        in_word = np.repeat(_word_characters()[points], widths)
        body_starts = np.concatenate(([0], np.cumsum(widths)))[text_starts]
    edges = np.diff(in_word.astype(np.int8), prepend=np.int8(0), append=np.int8(0))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    owners = np.searchsorted(body_starts, starts, side="right") - 1
    long_enough = np.bincount(owners, minlength=len(bodies)) >= MIN_WORDS
    words = long_enough[owners]
    starts, lengths, owners = starts[words], (ends - starts)[words], owners[words]
    word_crcs = _crc32(data, starts, lengths, np.zeros(len(starts), np.uint32))
    registers = word_crcs ^ _CRC_FLIP
    spaced_crcs = (registers >> 8) ^ _CRC_TABLE[(registers ^ _SPACE) & 0xFF] ^ _CRC_FLIP
    seconds = np.flatnonzero(owners[1:] == owners[:-1]) + 1
    pair_crcs = _crc32(data, starts[seconds], lengths[seconds], spaced_crcs[seconds - 1])
    keys = np.sort((owners[seconds].astype(np.uint64) << np.uint64(32)) | pair_crcs, kind="stable")
    distinct = np.ones(len(keys), bool)
    distinct[1:] = keys[1:] != keys[:-1]
    keys = keys[distinct]
    return (keys >> np.uint64(32)).astype(np.intp), keys.astype(np.uint32)


@cache
def _word_characters() -> np.ndarray:
    """Whether `_WORD` matches each code point, built once on the first non-ASCII text."""
    table = np.zeros(0x110000, bool)
    every_character = np.arange(0x110000, dtype=np.uint32).tobytes()
    for match in _WORD.finditer(every_character.decode("utf-32-le", "surrogatepass")):
        table[match.start() : match.end()] = True
    return table


def _crc32(
    data: np.ndarray, starts: np.ndarray, lengths: np.ndarray, initial: np.ndarray
) -> np.ndarray:
    """zlib.crc32(data[start:start + length], initial) for every word at once.

    Words go longest first, so the words still running at a byte column are a prefix
    and each column is one set of array operations.
    """
    # Capped lengths fit in a byte, which numpy sorts by radix.
    capped = np.minimum(lengths, VECTOR_WORD_BYTES + 1).astype(np.uint8)
    ascending = np.argsort(capped, kind="stable")
    order = ascending[::-1]
    positions = starts[order]
    registers = initial[order] ^ _CRC_FLIP
    long_words = int(np.count_nonzero(capped > VECTOR_WORD_BYTES))
    columns = np.arange(VECTOR_WORD_BYTES)
    running = len(order) - np.searchsorted(capped[ascending], columns, side="right")
    for column, count in enumerate(running.tolist()):
        if count <= long_words:
            break
        current = registers[long_words:count]
        read = data[positions[long_words:count] + column]
        registers[long_words:count] = (current >> 8) ^ _CRC_TABLE[(current ^ read) & 0xFF]
    crcs = np.empty_like(registers)
    crcs[order] = registers ^ _CRC_FLIP
    for index in order[:long_words].tolist():
        start = int(starts[index])
        crcs[index] = zlib.crc32(
            data[start : start + lengths[index]].tobytes(), int(initial[index])
        )
    return crcs


def _signatures(owners: np.ndarray, shingles: np.ndarray) -> np.ndarray:
    """The one-permutation MinHash of each body's shingles: one row per body.

    Each bin holds its least value; an empty bin takes the next filled bin's value,
    offset by the distance (as distance * 2**64), so that short bodies still fill
    every band (densification by rotation). Each value comes as its int hash, which
    is all that band keys need.
    """
    bodies = int(owners[-1]) + 1 if len(owners) else 0
    mixed = shingles.astype(np.uint64) * _MIX
    least = np.full(bodies * BINS, _EMPTY)
    np.minimum.at(
        least, owners * BINS + (mixed >> _SLOT_SHIFT).astype(np.intp), mixed & _VALUE_MASK
    )
    least = least.reshape(bodies, BINS)
    ring = np.tile(np.arange(BINS), 2)
    filled_at = np.where(np.tile(least != _EMPTY, 2), np.arange(2 * BINS), 2 * BINS)
    following = np.minimum.accumulate(filled_at[:, ::-1], axis=1)[:, ::-1][:, :BINS]
    values = np.take_along_axis(least, ring[following], axis=1)
    distances = (following - np.arange(BINS)).astype(np.uint64)
    return values + distances * np.uint64(_EMPTY_DISTANCE_HASH)


def _band_keys(signatures: np.ndarray, rows: int) -> np.ndarray:
    """hash(tuple(band)) for every band of every signature: one row per body."""
    bands = BINS // rows
    lanes = signatures[:, : bands * rows].reshape(len(signatures), bands, rows)
    keys = np.full((len(signatures), bands), _XXPRIME_5)
    for row in range(rows):
        keys += lanes[:, :, row] * _XXPRIME_2
        keys = (keys << np.uint64(31)) | (keys >> np.uint64(33))
        keys *= _XXPRIME_1
    keys += np.uint64(rows ^ (int(_XXPRIME_5) ^ 3527539))
    keys[keys == _EMPTY] = 1546275796  # a hash is never -1
    return keys.view(np.int64)


def _buckets(keys: np.ndarray) -> Iterator[list[int]]:
    """The members, in input order, of each band key that more than one comment has;
    buckets come in the order of their first member."""
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    starts = np.flatnonzero(np.concatenate(([True], sorted_keys[1:] != sorted_keys[:-1])))
    del sorted_keys
    ends = np.append(starts[1:], len(keys))
    shared = ends - starts > 1
    starts, ends = starts[shared], ends[shared]
    by_first = np.argsort(order[starts])
    for start, end in zip(starts[by_first].tolist(), ends[by_first].tolist(), strict=True):
        yield order[start:end].tolist()


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


class _Ids:
    """Ids kept as one UTF-8 buffer and where each ends: a million ids take their own
    bytes and 8 more each, not a million string objects."""

    def __init__(self) -> None:
        self._text = bytearray()
        self._ends = array("Q")

    def extend(self, ids: Iterable[str]) -> None:
        for doc_id in ids:
            self._text += doc_id.encode("utf-8", "surrogatepass")
            self._ends.append(len(self._text))

    def __len__(self) -> int:
        return len(self._ends)

    def __getitem__(self, index: int) -> str:
        start = self._ends[index - 1] if index else 0
        return self._text[start : self._ends[index]].decode("utf-8", "surrogatepass")


def _read(spill: BinaryIO, offsets: array, sizes: array, index: int) -> frozenset[int]:
    spill.seek(offsets[index])
    return frozenset(array("I", spill.read(4 * sizes[index])))


def _find(parents: array, index: int) -> int:
    """The group's root, halving the path on the way (union-find)."""
    while parents[index] != index:
        parents[index] = parents[parents[index]]
        index = parents[index]
    return index
