"""`/api/search` under concurrent readers: a real `hubbub serve` on loopback.

The server is a subprocess on 127.0.0.1 with its default 8 waitress threads; the
clients are threads of the runner, each with a keep-alive connection, so on a 2-core
machine they share the cores with the server, as a reverse proxy would. Every loop is
bounded by a request count and a deadline.
"""

from __future__ import annotations

import http.client
import itertools
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

import indexer
from bench.adapter import AUTHOR, DATES, PLAIN, TOP, Query
from bench.measure import peak_mib, percentile

HOST = "127.0.0.1"
READY_SECONDS = 600.0
REQUEST_TIMEOUT = 120.0


def url_for(query: Query) -> str:
    """The `/api/search` address the site's form makes for a query of the mix."""
    args: list[tuple[str, str]] = [("q", query.text), ("per_page", str(TOP))]
    if query.author:
        args.append(("author", query.author))
    for name, value in (("after", query.after), ("before", query.before)):
        if value:
            args.append((name, value.isoformat()))
    return "/api/search?" + urlencode(args)


def api_urls(mix: dict[str, list[Query]]) -> list[str]:
    """Plain, author and date queries taken in turn: what readers of the site send."""
    kinds = (mix[PLAIN], mix[AUTHOR], mix[DATES])
    return [url_for(q) for q in itertools.chain.from_iterable(zip(*kinds, strict=False))]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def get(connection: http.client.HTTPConnection, url: str) -> int:
    connection.request("GET", url)
    response = connection.getresponse()
    response.read()
    return response.status


def wait_until_ready(port: int, url: str, server: subprocess.Popen) -> float:
    """Seconds until the server first answers `url` (it opens the index on the way)."""
    started = time.perf_counter()
    while time.perf_counter() - started < READY_SECONDS:
        if server.poll() is not None:
            raise RuntimeError(f"hubbub serve exited with status {server.returncode}")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
            if get(connection, url) == 200:
                return time.perf_counter() - started
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"hubbub serve did not answer within {READY_SECONDS:.0f} s")


@contextmanager
def served(index_dir: Path, log: Path) -> Iterator[tuple[subprocess.Popen, int]]:
    """`hubbub serve` on a free loopback port, stopped on the way out.

    The server is made to import the same Hubbub as the runner (a copy of the tree
    run from its folder measures that copy, whatever the editable install points to).
    """
    port = free_port()
    tree = str(Path(indexer.__file__).resolve().parents[1])
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [tree, os.environ.get("PYTHONPATH")])),
    }
    command = [
        str(Path(sys.executable).with_name("hubbub")),
        "serve",
        "--host",
        HOST,
        "--port",
        str(port),
        "--index",
        str(index_dir),
    ]
    with open(log, "w") as out:
        server = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        yield server, port
    finally:
        server.terminate()
        server.wait(timeout=30)


def client(
    port: int,
    urls: Sequence[str],
    deadline: float,
    limit: int,
    seconds: list[float],
    failures: list[int],
) -> None:
    """One reader: requests in turn until the deadline or `limit` requests."""
    connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    for url in itertools.islice(itertools.cycle(urls), limit):
        if time.perf_counter() > deadline:
            break
        before = time.perf_counter()
        status = get(connection, url)
        seconds.append(time.perf_counter() - before)
        if status != 200:
            failures.append(status)
    connection.close()


def load_test(
    index_dir: Path,
    urls: Sequence[str],
    log: Path,
    clients: int = 8,
    duration: float = 15.0,
    limit: int = 100_000,
) -> dict:
    """Requests/s, latencies and the server's peak memory under `clients` readers."""
    with served(index_dir, log) as (server, port):
        ready = wait_until_ready(port, urls[0], server)
        seconds: list[float] = []
        failures: list[int] = []
        started = time.perf_counter()
        threads = [
            threading.Thread(
                target=client,
                args=(
                    port,
                    urls[i::clients] or urls,
                    started + duration,
                    limit // clients,
                    seconds,
                    failures,
                ),
            )
            for i in range(clients)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        peak = peak_mib(server.pid)
    ms = [s * 1000 for s in seconds]
    return {
        "clients": clients,
        "requests": len(ms),
        "seconds": elapsed,
        "per_second": len(ms) / elapsed,
        "median": statistics.median(ms),
        "p95": percentile(ms, 0.95),
        "failures": len(failures),
        "ready_s": ready,
        "peak_mib": peak,
    }
