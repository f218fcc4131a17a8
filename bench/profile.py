"""Where Hubbub's time goes: pyinstrument over its queries or its indexing.

Run after `make bench`, which leaves its indexes and corpora in `bench/.work/<size>/`:

    python -m bench.profile --size 100000 --kind plain
    python -m bench.profile --size 100000 --kind facets --engine hubbub-tantivy
    python -m bench.profile --size 10000 --build
"""

from __future__ import annotations

import argparse
import shutil
from collections import Counter
from pathlib import Path

from pyinstrument import Profiler

from bench.adapter import KINDS
from bench.engines import ENGINES
from bench.measure import load_corpus
from bench.queries import query_mix

PROFILED = ("hubbub", "hubbub-tantivy")


def profile_queries(folder: Path, engine: str, kind: str, count: int) -> Profiler:
    """Profile `count` queries of one kind, after a warm-up that reads the facet columns."""
    articles = load_corpus(folder / "corpus.pickle")
    authors = [
        name for name, _ in Counter(c.author for a in articles for c in a.comments).most_common()
    ]
    queries = query_mix(kind, count, authors)
    hubbub = ENGINES[engine]()
    hubbub.open(folder / engine)
    hubbub.query(queries[0])
    profiler = Profiler()
    with profiler:
        for query in queries:
            hubbub.query(query)
    return profiler


def profile_build(folder: Path, engine: str) -> Profiler:
    """Profile building a fresh Hubbub index of the corpus, beside the benchmark's."""
    articles = load_corpus(folder / "corpus.pickle")
    target = folder / f"{engine}-profiled"
    shutil.rmtree(target, ignore_errors=True)
    profiler = Profiler()
    with profiler:
        ENGINES[engine]().build(articles, target)
    shutil.rmtree(target)
    return profiler


def main() -> None:
    parser = argparse.ArgumentParser(description="Profile Hubbub on a benchmark archive.")
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--work", type=Path, default=Path("bench/.work"))
    parser.add_argument("--engine", choices=PROFILED, default="hubbub")
    parser.add_argument("--kind", choices=KINDS, default="plain")
    parser.add_argument("--queries", type=int, default=20)
    parser.add_argument("--build", action="store_true", help="profile indexing instead")
    args = parser.parse_args()
    folder = args.work / str(args.size)
    if args.build:
        profiler = profile_build(folder, args.engine)
    else:
        profiler = profile_queries(folder, args.engine, args.kind, args.queries)
    print(profiler.output_text(unicode=True, color=False, show_all=False))


if __name__ == "__main__":
    main()
