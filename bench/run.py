"""`make bench`: build and query every engine on the same generated archives.

    python -m bench.run --sizes 10000,100000 --queries 40 --out docs/benchmarks.md

For each size: generate the archive once, then per engine build an index in one child
process and query it in another, then load-test `hubbub serve`. Progress goes to
stderr, the tables to stdout and `--out`, the raw figures to `<work>/results.json`.

The mix repeats its queries, so every child and server runs with Hubbub's result cache
off (HUBBUB_CACHE=0): the figures are the engines', not the cache's.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import date
from pathlib import Path

from bench import dump, load, measure, report
from bench.engines import DEFAULT_ENGINES, ENGINES
from bench.generate import SEED, document_count, generate
from bench.queries import all_queries
from indexer import Article

PASSES = 5  # passes over the query mix; figures are the median pass
SERVED = ("hubbub", "hubbub-tantivy")  # the engines whose `/api/search` is load-tested


def log(started: float, message: str) -> None:
    print(f"[{time.perf_counter() - started:7.1f} s] {message}", file=sys.stderr, flush=True)


def corpus_authors(articles: Sequence[Article]) -> list[str]:
    """The comments' authors, most active first: what the author queries pick from."""
    return [
        name for name, _ in Counter(c.author for a in articles for c in a.comments).most_common()
    ]


def measure_size(
    size: int,
    args: argparse.Namespace,
    started: float,
    settle: Callable[[str], None] | None = None,
) -> dict:
    """Every engine's figures for one archive size; `settle(engine)`, if given, runs
    between an engine's build and its queries (a server may go on merging after it)."""
    work = args.work / str(size)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    before = time.perf_counter()
    articles = generate(size, args.seed)
    generate_s = time.perf_counter() - before
    authors = corpus_authors(articles)
    corpus = work / "corpus.pickle"
    measure.save_corpus(articles, corpus)
    figures: dict = {
        "documents": document_count(articles),
        "threads": len(articles),
        "authors": len(authors),
        "generate_s": generate_s,
        "corpus_peak_mib": measure.in_child(measure.corpus_only, corpus)["peak_mib"],
        "engines": {},
    }
    del articles
    log(started, f"{size:,}: generated in {generate_s:.1f} s")
    mix = all_queries(args.queries, authors)
    built = {}
    for key in args.engines:
        built[key] = measure.in_child(measure.build, key, corpus, work / key)
        log(started, f"{size:,} {key}: built in {built[key]['seconds']:.1f} s")
    if settle:
        for key in args.engines:
            settle(key)
    queried = interleaved_queries(args, work, mix)
    log(started, f"{size:,}: queried, {args.passes} passes")
    for key in args.engines:
        figures["engines"][key] = {
            "name": ENGINES[key].name,
            "docs_per_s": figures["documents"] / built[key]["seconds"],
            "build_s": built[key]["seconds"],
            "disk_mib": measure.disk_mib(work / key),
            "build_peak_mib": built[key]["peak_mib"],
            **queried[key],
        }
    served = [key for key in SERVED if key in args.engines] if args.api_seconds > 0 else []
    figures["api"] = {}
    for key in served:
        figures["api"][key] = load.load_test(
            work / key, load.api_urls(mix), work / f"serve-{key}.log", duration=args.api_seconds
        )
        log(started, f"{size:,} {key}: /api/search load test done")
    return figures


def interleaved_queries(args: argparse.Namespace, work: Path, mix: dict) -> dict[str, dict]:
    """Each engine's query figures from `args.passes` passes over the mix, the engines
    taking turns pass by pass, so that whatever the machine (or a server still merging)
    does at one moment falls on every engine alike rather than on the one measured then.
    Each pass runs in a fresh child process."""
    passes: dict[str, list[dict]] = {key: [] for key in args.engines}
    for _ in range(args.passes):
        for key in args.engines:
            found = measure.in_child(
                measure.run_queries, key, work / key, mix, args.cap / args.passes
            )
            passes[key].append(found)
    return {
        key: {
            "open_s": statistics.median(found["open_s"] for found in runs),
            "first_s": statistics.median(found["first_s"] for found in runs),
            "latency": {
                kind: asdict(measure.Latency.combined([found["latency"][kind] for found in runs]))
                for kind in mix
                if kind in runs[0]["latency"]
            },
            "query_peak_mib": max(found["peak_mib"] for found in runs),
        }
        for key, runs in passes.items()
    }


def measure_dump(comments: int, args: argparse.Namespace, started: float) -> dict:
    """Write a Reddit-shaped dump, then index it in a child process of its own."""
    work = args.work / "dump"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    path = work / "RC_bench.zst"
    before = time.perf_counter()
    written = dump.write_dump(path, comments, args.seed)
    write_s = time.perf_counter() - before
    log(started, f"dump of {comments:,} comments written in {write_s:.0f} s")
    indexed = measure.in_child(dump.index_dump, path, work / "index")
    log(started, f"dump indexed in {indexed['seconds']:.0f} s")
    return {"comments": comments, "write_s": write_s, **written, **indexed}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        default="10000,100000",
        help="documents per archive, comma-separated (1000000 takes hours with Whoosh;"
        " with --engines hubbub-tantivy,tantivy about 15 minutes)",
    )
    parser.add_argument("--queries", type=int, default=40, help="queries per kind")
    parser.add_argument(
        "--passes", type=int, default=PASSES, help="passes over each kind's queries"
    )
    parser.add_argument(
        "--cap",
        type=float,
        default=60.0,
        help="seconds after which one kind of query stops, per engine",
    )
    parser.add_argument(
        "--engines",
        default=",".join(DEFAULT_ENGINES),
        help=f"comma-separated, from: {', '.join(ENGINES)}",
    )
    parser.add_argument(
        "--api-seconds",
        type=float,
        default=15.0,
        help="length of the /api/search load test (0 skips it)",
    )
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--dump-comments",
        type=int,
        default=0,
        help="also write a Reddit-shaped .zst dump of this many comments and index it",
    )
    parser.add_argument(
        "--work",
        type=Path,
        default=Path("bench/.work"),
        help="where the indexes are built (emptied per size)",
    )
    parser.add_argument("--out", type=Path, default=Path("docs/benchmarks.md"))
    parser.add_argument("--plot", type=Path, default=Path("docs/benchmarks-latency.png"))
    args = parser.parse_args(argv)
    args.sizes = [int(n) for n in args.sizes.split(",")]
    args.engines = args.engines.split(",")
    unknown = [name for name in args.engines if name not in ENGINES]
    if unknown:
        parser.error(f"unknown engine {', '.join(unknown)}: use {', '.join(ENGINES)}")
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    os.environ["HUBBUB_CACHE"] = "0"
    started = time.perf_counter()
    results = {
        "command": "python -m bench.run " + shlex.join(sys.argv[1:] if argv is None else argv),
        "date": date.today().isoformat(),
        "machine": report.machine(),
        "queries": args.queries,
        "passes": args.passes,
        "cap": args.cap,
        "sizes": {},
    }
    for size in args.sizes:
        results["sizes"][str(size)] = measure_size(size, args, started)
        results["seconds"] = time.perf_counter() - started
        (args.work / "results.json").write_text(json.dumps(results, indent=1))
    if args.dump_comments:
        results["dump"] = measure_dump(args.dump_comments, args, started)
        results["seconds"] = time.perf_counter() - started
        (args.work / "results.json").write_text(json.dumps(results, indent=1))
    print(report.write(results, args.out, args.plot))
    log(started, f"done; wrote {args.out} and {args.plot}")


if __name__ == "__main__":
    main()
