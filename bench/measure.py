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

    @classmethod
    def of(cls, passes: Sequence[Sequence[float]], hits: list[int]) -> Latency:
        runs = [[s * 1000 for s in seconds] for seconds in passes if seconds]
        p95s = [percentile(ms, 0.95) for ms in runs]
        return cls(
            len(runs[0]),
            len(runs),
            statistics.median(statistics.median(ms) for ms in runs),
            statistics.median(p95s),
            min(p95s),
            max(p95s),
            hits,
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


def run_queries(
    engine: str, folder: Path, mix: dict[str, list[Query]], cap: float, passes: int = 1
) -> dict:
    """Open the index, run one warm-up query, then `passes` passes over every kind's
    queries, kind after kind in each pass, so that a slow spell of the machine falls on
    one pass of several kinds rather than on every pass of one.

    A kind stops early in a pass once it has taken its share of `cap` seconds, so one
    slow kind cannot hold up the run; the report gives the number of queries each
    figure rests on.
    """
    adapter = ENGINES[engine]()
    started = time.perf_counter()
    adapter.open(folder)
    opened = time.perf_counter()
    first_query = next(iter(mix.values()))[0]
    adapter.query(first_query)
    warmed = time.perf_counter()
    timings: dict[str, list[list[float]]] = {kind: [] for kind in mix}
    hits: dict[str, list[int]] = {kind: [] for kind in mix}
    for round_ in range(passes):
        for kind, queries in mix.items():
            seconds: list[float] = []
            kind_started = time.perf_counter()
            first_pass = timings[kind][0] if timings[kind] else queries
            for query in queries[: len(first_pass)]:
                before = time.perf_counter()
                total = adapter.query(query).total
                seconds.append(time.perf_counter() - before)
                if round_ == 0:
                    hits[kind].append(total)
                if time.perf_counter() - kind_started > cap / passes:
                    break
            timings[kind].append(seconds)
    adapter.close()
    latencies = {kind: asdict(Latency.of(timings[kind], hits[kind])) for kind in mix}
    return {"open_s": opened - started, "first_s": warmed - opened, "latency": latencies}
