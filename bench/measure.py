"""Timing, percentiles and peak memory, each measurement in a process of its own.

Peak memory is the `VmHWM` of a fresh spawned child process (from /proc): the most
resident memory the child ever held, interpreter and imports included. Not
`getrusage().ru_maxrss`: Linux carries that over from the forking parent through exec,
so every child would report at least the runner's size. Building and querying run in
separate children, so a query figure never carries the build's memory.
"""

from __future__ import annotations

import math
import multiprocessing
import pickle
import statistics
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.adapter import Query
from bench.engines import ENGINES
from indexer import Article


@dataclass(frozen=True)
class Latency:
    """Latencies of one kind of query over several passes of its queries, in milliseconds:
    the median pass's figures, and the lowest and highest pass's p95 as their spread."""

    count: int  # queries in each pass
    passes: int
    median: float
    p95: float
    p95_low: float
    p95_high: float
    hits: list[int]  # each query's total in the first pass: did the engines find alike
    # The median of each text's first run in the pass's process: what a text costs
    # before anything the process keeps (a wildcard's terms, say) has it.
    first_median: float = 0.0

    @classmethod
    def of(cls, seconds: Sequence[float], hits: list[int], texts: Sequence[str] = ()) -> Latency:
        """One pass's figures; `texts` are the queries' texts, in the same order."""
        ms = [s * 1000 for s in seconds]
        p95 = percentile(ms, 0.95)
        firsts: dict[str, float] = {}
        for text, spent in zip(texts, ms, strict=False):
            firsts.setdefault(text, spent)
        first = statistics.median(firsts.values()) if firsts else 0.0
        return cls(len(ms), 1, statistics.median(ms), p95, p95, p95, hits, first)


    @classmethod
    def combined(cls, passes: Sequence[dict]) -> Latency:
        """One figure from several single-pass ones (each a `Latency` as a dict)."""
        p95s = [found["p95"] for found in passes]
        return cls(
            passes[0]["count"],
            len(passes),
            statistics.median(found["median"] for found in passes),
            statistics.median(p95s),
            min(p95s),
            max(p95s),
            passes[0]["hits"],
            statistics.median(found.get("first_median", 0.0) for found in passes),
        )


def percentile(values: Sequence[float], fraction: float) -> float:
    """The `fraction` quantile, interpolated between the two nearest ranks."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def peak_mib(pid: int | str = "self") -> float:
    """A live process's peak resident memory so far, in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"/proc/{pid}/status has no VmHWM: peak memory needs Linux")


def in_child(task: Callable[..., dict], *args: object) -> dict:
    """Run `task(*args)` in a fresh process and return its result with its peak memory."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(with_peak, task, *args).result()


def with_peak(task: Callable[..., dict], *args: object) -> dict:
    return {**task(*args), "peak_mib": peak_mib()}


def disk_mib(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


def save_corpus(articles: list[Article], path: Path) -> None:
    with open(path, "wb") as out:
        pickle.dump(articles, out, protocol=pickle.HIGHEST_PROTOCOL)


def load_corpus(path: Path) -> list[Article]:
    with open(path, "rb") as handle:
        return pickle.load(handle)


def corpus_only(corpus: Path) -> dict:
    """Loads the corpus and nothing else: the memory every build child starts from."""
    return {"documents": sum(1 + len(a.comments) for a in load_corpus(corpus))}


def build(engine: str, corpus: Path, folder: Path) -> dict:
    """Index the corpus with one engine; the clock starts once the corpus is loaded."""
    articles = load_corpus(corpus)
    started = time.perf_counter()
    ENGINES[engine]().build(articles, folder)
    return {"seconds": time.perf_counter() - started}


def run_queries(engine: str, folder: Path, mix: dict[str, list[Query]], cap: float) -> dict:
    """Open the index, run one warm-up query, then each kind's queries in order: one
    pass over the mix (`bench.run` takes several, the engines taking turns).

    A kind stops early once it has taken `cap` seconds, so one slow kind cannot hold up
    the run; the report gives the number of queries each figure rests on. Kinds the
    engine cannot run are left out, and the report says they were not measured.
    """
    adapter = ENGINES[engine]()
    started = time.perf_counter()
    adapter.open(folder)
    opened = time.perf_counter()
    first_query = next(iter(mix.values()))[0]
    adapter.query(first_query)
    warmed = time.perf_counter()
    latencies: dict[str, dict] = {}
    for kind, queries in mix.items():
        if kind not in adapter.kinds:
            continue
        seconds: list[float] = []
        hits: list[int] = []
        kind_started = time.perf_counter()
        for query in queries:
            before = time.perf_counter()
            hits.append(adapter.query(query).total)
            seconds.append(time.perf_counter() - before)
            if time.perf_counter() - kind_started > cap:
                break
        texts = [query.text for query in queries[: len(seconds)]]
        latencies[kind] = asdict(Latency.of(seconds, hits, texts))
    adapter.close()
    return {"open_s": opened - started, "first_s": warmed - opened, "latency": latencies}
