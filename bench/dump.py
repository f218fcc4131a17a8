"""A Reddit-shaped dump, as Pushshift publishes a month: one JSON object a line,
zstandard-compressed, comments in the order they were posted, so that a thread's
comments are spread over the file among other threads'. `bench.run --dump-comments N`
writes one of N comments with the benchmark's generator (its skewed authors, threads
and words) and indexes it with `hubbub index` on the tantivy engine, in a child process
whose peak memory is the figure.

    python -m bench.dump --comments 1000000 --out /tmp/RC_bench.zst
    hubbub index /tmp/RC_bench.zst --engine tantivy --index /tmp/dump-index
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Iterator
from pathlib import Path

import zstandard

from bench.generate import SEED, Writer, thread_length, writer
from indexer.indexing import index_paths
from indexer.records import Article

SUBREDDITS = ("worldnews", "news", "politics", "europe", "economics")
THREADS_AT_ONCE = 500  # threads whose comments are posted, and dumped, interleaved
ZSTD_LEVEL = 3


def base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        number, digit = divmod(number, 36)
        text = digits[digit] + text
        if not number:
            return text


def reddit_lines(comments: int, seed: int = SEED) -> Iterator[dict]:
    """Submissions and `comments` comments; each group of threads is dumped in posting
    order, so its comments interleave. Only one group is held at a time."""
    source = writer(comments, seed)
    written = threads = 0
    while written < comments:
        group: list[tuple[float, dict]] = []
        for _ in range(THREADS_AT_ONCE):
            if written >= comments:
                break
            threads += 1
            size = min(thread_length(source.rng), comments - written)
            group += thread_lines(source, threads, size)
            written += size
        yield from (line for _, line in sorted(group, key=lambda pair: pair[0]))


def thread_lines(source: Writer, number: int, comments: int) -> list[tuple[float, dict]]:
    article = source.article(number, comments)
    sid = base36(number)
    subreddit = SUBREDDITS[number % len(SUBREDDITS)]
    lines = [(epoch(article), submission(article, sid, subreddit, source))]
    for comment in article.comments:
        posted = comment.date.timestamp() if comment.date else 0.0
        parent = f"t1_{sid}_{comment.parent}" if comment.parent else f"t3_{sid}"
        lines.append(
            (
                posted,
                {
                    "id": f"{sid}_{comment.key}",
                    "link_id": f"t3_{sid}",
                    "parent_id": parent,
                    "author": comment.author,
                    "body": comment.body,
                    "created_utc": int(posted),
                    "score": source.rng.randint(-5, 200),
                    "subreddit": subreddit,
                },
            )
        )
    return lines


def epoch(article: Article) -> float:
    return article.date.timestamp() if article.date else 0.0


def submission(article: Article, sid: str, subreddit: str, source: Writer) -> dict:
    return {
        "id": sid,
        "title": article.title,
        "selftext": article.body,
        "author": article.byline,
        "created_utc": int(epoch(article)),
        "subreddit": subreddit,
        "score": source.rng.randint(0, 5000),
        "num_comments": len(article.comments),
        "permalink": f"/r/{subreddit}/comments/{sid}/",
        "url": article.url,
    }


def write_dump(path: Path, comments: int, seed: int = SEED) -> dict:
    """Write the dump; its lines, and its size compressed and not."""
    lines = unpacked = 0
    with path.open("wb") as raw:
        compressor = zstandard.ZstdCompressor(level=ZSTD_LEVEL)
        with compressor.stream_writer(raw, closefd=False) as out:
            for record in reddit_lines(comments, seed):
                data = (json.dumps(record) + "\n").encode("utf-8")
                out.write(data)
                unpacked += len(data)
                lines += 1
    return {"lines": lines, "unpacked_bytes": unpacked, "bytes": path.stat().st_size}


def index_dump(path: Path, index_dir: Path) -> dict:
    """`hubbub index` of the dump alone, as the command line runs it."""
    started = time.perf_counter()
    summary = index_paths([path], index_dir, engine="tantivy")
    return {
        "seconds": time.perf_counter() - started,
        "documents": summary.documents,
        "comments": summary.comments,
        "skipped": summary.skipped,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--comments", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    print(write_dump(args.out, args.comments, args.seed))


if __name__ == "__main__":
    main()
