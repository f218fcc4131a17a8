"""The long load test: 16 readers for 60 s against `hubbub serve`, then again while
the archive is rebuilt beside the live index.

    python -m bench.soak --size 100000 --clients 16 --seconds 60 --out docs/benchmarks.md

Every request must answer 200; the report gives requests/s, median and p95 latency
and the server's peak memory for both phases, and writes them into the benchmark
report under "Load". Traffic goes to 127.0.0.1 only, and every loop is bounded.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from bench import load
from bench.generate import SEED, generate, write_jsonl
from bench.measure import peak_mib, percentile
from bench.queries import all_queries

SECTION = "## Load: 16 readers"
THREADS_PER_FILE = 500  # files stay far below the 50 MB a file may hold


def hubbub(*args: str) -> list[str]:
    return [str(Path(sys.executable).with_name("hubbub")), *args]


def readers(port: int, urls: list[str], clients: int, seconds: float) -> dict:
    """`clients` keep-alive readers for `seconds`; latencies and non-200 answers."""
    latencies: list[float] = []
    failures: list[int] = []
    deadline = time.perf_counter() + seconds
    threads = [
        threading.Thread(
            target=load.client,
            args=(port, urls[i::clients] or urls, deadline, 1_000_000, latencies, failures),
        )
        for i in range(clients)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    ms = [s * 1000 for s in latencies]
    return {
        "requests": len(ms),
        "per_second": len(ms) / elapsed,
        "median": statistics.median(ms),
        "p95": percentile(ms, 0.95),
        "failures": len(failures),
    }


def soak(size: int, clients: int, seconds: float, work: Path) -> dict:
    articles = generate(size, SEED)
    authors = [n for n, _ in Counter(c.author for a in articles for c in a.comments).most_common()]
    archive = work / "archive"
    archive.mkdir(parents=True)
    for start in range(0, len(articles), THREADS_PER_FILE):
        write_jsonl(articles[start : start + THREADS_PER_FILE], archive / f"{start:07d}.jsonl")
    del articles
    index_dir = work / "index"
    started = time.perf_counter()
    built = subprocess.run(
        hubbub("index", str(archive), "--json", "--quiet", "--index", str(index_dir)),
        check=True,
        capture_output=True,
        text=True,
    )
    summary = json.loads(built.stdout)
    if summary["skipped"] or summary["articles"] + summary["comments"] != size:
        raise RuntimeError(f"the archive did not index whole: {summary['skipped'][:3]}")
    figures: dict = {"size": size, "clients": clients, "seconds": seconds}
    figures["index_s"] = time.perf_counter() - started
    urls = load.api_urls(all_queries(200, authors))
    with load.served(index_dir, work / "serve.log") as (server, port):
        load.wait_until_ready(port, urls[0], server)
        figures["steady"] = readers(port, urls, clients, seconds)
        rebuild = subprocess.Popen(
            hubbub("index", str(archive), "--rebuild", "--quiet", "--index", str(index_dir))
        )
        figures["during_reindex"] = readers(port, urls, clients, seconds)
        figures["reindex_finished_in_window"] = rebuild.poll() is not None
        figures["reindex_status"] = rebuild.wait(timeout=3600)
        figures["peak_mib"] = peak_mib(server.pid)
    return figures


def report(figures: dict) -> str:
    rows = [
        f"{SECTION} for {figures['seconds']:.0f} s, {figures['size']:,} documents",
        "",
        f"`python -m bench.soak --size {figures['size']} --clients {figures['clients']} "
        f"--seconds {figures['seconds']:.0f}`; index built in {figures['index_s']:.0f} s; "
        f"server peak memory {figures['peak_mib']:.0f} MiB. The rebuild "
        + (
            "finished within"
            if figures["reindex_finished_in_window"]
            else "was still running at the end of"
        )
        + f" the second phase (exit status {figures['reindex_status']}).",
        "",
        "| phase | requests | requests/s | median ms | p95 ms | errors |",
        "|---|---|---|---|---|---|",
    ]
    for phase in ("steady", "during_reindex"):
        f = figures[phase]
        rows.append(
            f"| {phase.replace('_', ' ')} | {f['requests']:,} | {f['per_second']:.1f} | "
            f"{f['median']:.0f} | {f['p95']:.0f} | {f['failures']} |"
        )
    return "\n".join(rows) + "\n"


def write_section(path: Path, section: str) -> None:
    """Put the load section in the report, replacing an earlier one."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if SECTION in text:
        start = text.index(SECTION)
        following = text.find("\n## ", start + len(SECTION))
        text = text[:start] + (text[following + 1 :] if following != -1 else "")
    path.write_text(text.rstrip() + "\n\n" + section, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--out", type=Path, default=Path("docs/benchmarks.md"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        figures = soak(args.size, args.clients, args.seconds, Path(work))
    section = report(figures)
    print(section)
    write_section(args.out, section)
    if figures["steady"]["failures"] or figures["during_reindex"]["failures"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
