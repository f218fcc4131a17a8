"""Getting an archive in: `hubbub index` from JSON-lines files against the engines
indexing the same files themselves, and where Hubbub's time goes, step by step.

    python -m bench.ingest --size 100000 --out docs/benchmarks-ingest.md
    python -m bench.ingest --size 100000 --profile tantivy

The comparison writes the benchmark's archive as `FILES` JSON-lines files and indexes
them, each in a fresh process of its own, four ways: `hubbub index` on the tantivy
engine and on the Whoosh engine, as the command runs it; raw tantivy (`json.loads`,
stemmed title and body, stored fields, one commit, the writer's default threads); and
plain Whoosh with its default writer (one process, one commit).

The profile runs `hubbub index` in one process under pyinstrument and puts each sample
down to the innermost step on its stack. Reading runs in the writer's process there
(`workers=1`), so that every step shows; the command reads many files in worker
processes instead. The time Python spends inside an engine's compiled code shows as
the Python function that called it, which is why the engine's own work is named by
those callers.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import tantivy
from pyinstrument import Profiler
from pyinstrument.frame import Frame
from whoosh import fields, index
from whoosh.analysis import StemmingAnalyzer

from bench.generate import SEED, generate, write_jsonl
from bench.measure import disk_mib, in_child
from indexer.indexing import index_paths

FILES = 6
TANTIVY_HEAP = 256_000_000
WAYS = ("hubbub-tantivy", "tantivy", "hubbub-whoosh", "whoosh")
# The goals, each as (way, baseline, what is compared, at least or at most, bound).
GOALS = (
    ("hubbub-tantivy", "tantivy", "documents/s", "at least", 0.5),
    ("hubbub-tantivy", "tantivy", "size on disk", "at most", 1.5),
    ("hubbub-whoosh", "whoosh", "documents/s", "at least", 3.0),
)
# Each step, with the frames that belong to it: a frame belongs to the first step
# whose (file part, function part) it matches; "" matches any.
STEPS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("commit", (("engines/tantivy.py", "_write"), ("whoosh/", "commit"))),
    ("signatures", (("indexer/signatures.py", ""),)),
    ("quotes", (("indexer/quotes.py", ""),)),
    ("privacy", (("indexer/privacy.py", ""),)),
    ("copies", (("indexer/copies.py", ""), ("indexer/indexing.py", "refresh_copy_groups"))),
    (
        "encoding stored fields",
        (("engines/tantivy.py", "encode"), ("engines/whoosh.py", "to_fields")),
    ),
    (
        "engine's own work",
        (("engines/tantivy.py", "to_document"), ("engines/tantivy.py", "change"), ("whoosh/", "")),
    ),
    ("building documents", (("indexer/documents.py", ""),)),
    ("reading", (("indexer/readers/", ""),)),
)
OTHER = "the rest (planning, manifest, bookkeeping)"
REPORT_INTRO = """Written by `python -m bench.ingest --size 100000 --out docs/benchmarks-ingest.md`
(part of `make bench`): the same JSON-lines files indexed four ways, each in a fresh
process; documents/s from the first byte read to the last commit. `hubbub-tantivy` and
`hubbub-whoosh` are `hubbub index --engine tantivy|whoosh` as the command runs it;
`tantivy` is raw tantivy (`json.loads`, stemmed title and body, stored fields, one
commit); `whoosh` is plain Whoosh's default writer. Where the time goes:
[performance.md](performance.md)."""


def step_of(frame: Frame, above: str) -> str:
    path = (frame.file_path or "").replace("\\", "/")
    for step, patterns in STEPS:
        if any(part in path and name in frame.function for part, name in patterns):
            return step
    return above


def step_times(root: Frame) -> dict[str, float]:
    """Seconds by step: each frame's own time goes to the innermost step on its stack."""
    totals: dict[str, float] = {}
    stack: list[tuple[Frame, str]] = [(root, OTHER)]
    while stack:
        frame, above = stack.pop()
        step = step_of(frame, above)
        own = frame.time - sum(child.time for child in frame.children)
        totals[step] = totals.get(step, 0.0) + max(own, 0.0)
        stack.extend((child, step) for child in frame.children)
    return totals


def archive_files(size: int, folder: Path, seed: int = SEED) -> list[Path]:
    """The archive in `FILES` JSON-lines files of about equal size."""
    articles = generate(size, seed)
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for number in range(FILES):
        path = folder / f"part-{number + 1}.jsonl"
        write_jsonl(articles[number::FILES], path)
        files.append(path)
    return files


def lines_of(files: list[Path]) -> Iterator[dict]:
    for path in files:
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                yield json.loads(line)


def raw_tantivy(files: list[Path], folder: Path) -> int:
    builder = tantivy.SchemaBuilder()
    for name in ("id", "kind", "author"):
        builder.add_text_field(name, stored=True, tokenizer_name="raw")
    builder.add_date_field("date", stored=True, indexed=True, fast=True)
    for name in ("title", "body"):
        builder.add_text_field(name, stored=True, tokenizer_name="en_stem")
    ix = tantivy.Index(builder.build(), path=str(folder))
    writer = ix.writer(TANTIVY_HEAP)
    documents = 0
    for record in lines_of(files):
        writer.add_document(tantivy.Document(**record_fields(record)))
        documents += 1
    writer.commit()
    writer.wait_merging_threads()
    return documents


def plain_whoosh(files: list[Path], folder: Path) -> int:
    schema = fields.Schema(
        id=fields.ID(stored=True, unique=True),
        kind=fields.ID(stored=True),
        author=fields.ID(stored=True),
        date=fields.DATETIME(stored=True),
        title=fields.TEXT(analyzer=StemmingAnalyzer(), stored=True),
        body=fields.TEXT(analyzer=StemmingAnalyzer(), stored=True),
    )
    writer = index.create_in(str(folder), schema).writer()
    documents = 0
    for record in lines_of(files):
        writer.add_document(**record_fields(record))
        documents += 1
    writer.commit()
    return documents


def record_fields(record: dict) -> dict:
    return {
        "id": record["id"],
        "kind": record["kind"],
        "author": record.get("author") or "",
        "date": datetime.fromisoformat(record["date"]),
        "title": record.get("title") or "",
        "body": record["body"],
    }


def indexed(way: str, files: list[Path], folder: Path) -> dict:
    """One way of indexing the files into `folder`, timed from the first byte read."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    started = time.perf_counter()
    if way == "tantivy":
        documents = raw_tantivy(files, folder)
    elif way == "whoosh":
        documents = plain_whoosh(files, folder)
    else:
        documents = index_paths(files, folder, engine=way.removeprefix("hubbub-")).documents
    seconds = time.perf_counter() - started
    return {"documents": documents, "seconds": seconds, "mib": disk_mib(folder)}


def comparison(files: list[Path], work: Path) -> dict[str, dict]:
    return {way: in_child(indexed, way, files, work / f"index-{way}") for way in WAYS}


def comparison_table(size: int, measured: dict[str, dict]) -> Iterator[str]:
    yield f"{size:,} documents in {FILES} JSON-lines files, on {os.cpu_count()} cores."
    yield ""
    yield "| | documents/s | size on disk, MiB | peak memory, MiB |"
    yield "|---|---|---|---|"
    for way, figures in measured.items():
        rate = figures["documents"] / figures["seconds"]
        yield f"| {way} | {rate:,.0f} | {figures['mib']:,.1f} | {figures['peak_mib']:,.0f} |"
    yield ""
    yield "| goal | measured | met |"
    yield "|---|---|---|"
    for way, baseline, what, bound, limit in GOALS:
        ratio = figure(measured[way], what) / figure(measured[baseline], what)
        met = ratio >= limit if bound == "at least" else ratio <= limit
        goal = f"{way} {what}: {bound} {limit}x {baseline}'s"
        yield f"| {goal} | x{ratio:.2f} | {'yes' if met else '**no**'} |"


def figure(figures: dict, what: str) -> float:
    if what == "documents/s":
        return figures["documents"] / figures["seconds"]
    return figures["mib"]


def profiled_index(files: list[Path], index_dir: Path, engine: str) -> tuple[float, int, Frame]:
    shutil.rmtree(index_dir, ignore_errors=True)
    profiler = Profiler(interval=0.001)
    started = time.perf_counter()
    with profiler:
        summary = index_paths(files, index_dir, engine=engine, workers=1)
    seconds = time.perf_counter() - started
    root = profiler.last_session.root_frame()
    if root is None:
        raise RuntimeError("the profiler recorded nothing")
    return seconds, summary.documents, root


def table(seconds: float, documents: int, steps: dict[str, float]) -> Iterator[str]:
    sampled = sum(steps.values()) or 1.0
    yield f"{documents:,} documents in {seconds:.1f} s: {documents / seconds:,.0f} documents/s"
    yield ""
    yield "| step | seconds | share |"
    yield "|---|---|---|"
    for step, spent in sorted(steps.items(), key=lambda item: -item[1]):
        yield f"| {step} | {spent * seconds / sampled:.1f} | {spent / sampled:.0%} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--profile", choices=("whoosh", "tantivy"), help="profile one engine")
    parser.add_argument("--work", type=Path, default=Path("bench/.work/ingest"))
    parser.add_argument("--out", type=Path, help="write the comparison here as well")
    args = parser.parse_args()
    files = archive_files(args.size, args.work / f"files-{args.size}")
    if args.profile:
        folder = args.work / f"profiled-{args.profile}"
        seconds, documents, root = profiled_index(files, folder, args.profile)
        print("\n".join(table(seconds, documents, step_times(root))))
        return
    text = "\n".join(comparison_table(args.size, comparison(files, args.work)))
    print(text)
    if args.out:
        args.out.write_text(f"# Getting an archive in\n\n{REPORT_INTRO}\n\n{text}\n")


if __name__ == "__main__":
    main()
