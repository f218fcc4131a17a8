"""Files larger than memory: `hubbub index` on a JSON-lines dump and a WordPress export
of a given size, each written as it is generated (never held whole) with the
benchmark's articles, and indexed by the command as a user runs it, in a child process
whose memory (the whole process tree) and progress output are watched.

    python -m bench.big_files --jsonl-gib 2 --wxr-mib 500 --engine tantivy \\
        --memory-limit-mib 1024 --out docs/benchmarks-big-files.md

With `--memory-limit-mib`, each file is indexed a second time in a memory cgroup of
that hard limit (root, Linux), which shows whether the run fits in it.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from bench.generate import SEED, endless, jsonl_lines
from bench.measure import peak_mib
from bench.report import met, revision, table
from indexer.records import Article, Comment

PEAK_GOAL_MIB = 1024
SAMPLE_SECONDS = 0.25
BYTES_PER_DOCUMENT = 800  # about, in either file: sets how many commenters there are
MOMENTS = (0.25, 0.5, 0.75)  # of the run's time, where the progress shown is reported
PROGRESS = re.compile(r"^indexed .*? ([\d,]+)/([\d,]+) MB ")
WXR_HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0"
\txmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
\txmlns:content="http://purl.org/rss/1.0/modules/content/"
\txmlns:dc="http://purl.org/dc/elements/1.1/"
\txmlns:wp="http://wordpress.org/export/1.2/">
<channel>
\t<title>Benchmark News</title>
\t<link>https://news.example</link>
\t<language>en</language>
\t<wp:wxr_version>1.2</wp:wxr_version>
"""
WXR_TAIL = "</channel>\n</rss>\n"
REPORT_INTRO = """Written by `python -m bench.big_files --jsonl-gib 2 --wxr-mib 500
--engine tantivy --memory-limit-mib 1024 --out docs/benchmarks-big-files.md` (as root,
on Linux): a JSON-lines dump and a WordPress export of the benchmark's articles and
comments, each generated to its size and written as it is generated, then indexed by
`hubbub index FILE --engine tantivy`, the command as a user runs it, into a new index.
Peak memory is the sum of each process's own peak (`VmHWM`) over the command's process
tree, sampled every quarter second: an upper bound on what the tree held at once. It
counts the pages of files mapped into memory too, such as tantivy's segment files while
a merge reads them, which the kernel takes back when memory runs short; anonymous memory
at its peak is the tree's `RssAnon`, summed at each sample, without them. Progress is
what the command printed (a line every 2 s when its output is not a terminal), as the
share of the bar filled, at a quarter, a half and three quarters of the run's time and
at its end: the file's bytes read, or, for a file whose every line is read before its
first thread (JSON lines), its bytes read for the first quarter of the bar and its
records written for the rest.

Each file is then indexed again by the same command inside a memory cgroup with a hard
limit of 1 GiB (`memory.limit_in_bytes` in cgroup v1, `memory.max` in v2). The kernel
keeps the group under its limit. It first takes back pages it can read again, the pages
of mapped files among them. When anonymous memory alone would pass the limit, it kills a
process of the group. So a run that completes there needed no more than the limit. Its
row's peak memory is what the limit left resident; the group's own peak
(`memory.max_usage_in_bytes`, `memory.peak`) counts every page charged to it, the pages
of files it wrote or first read included."""


@dataclass
class Written:
    """A generated file: its documents (articles and comments) and its size."""

    path: Path
    documents: int
    bytes: int


@dataclass
class Run:
    """What `hubbub index` did with one file."""

    documents: int
    seconds: float
    peak_mib: float
    anonymous_mib: float  # the tree's anonymous memory at its highest, pages of files left out
    progress: list[tuple[float, float]] = field(default_factory=list)  # (seconds, share)
    skipped: list[str] = field(default_factory=list)
    limit_mib: float | None = None  # the hard memory limit it ran under, if any
    charged_mib: float | None = None  # the most that limit's group held at once


@dataclass(frozen=True)
class MemoryLimit:
    """A memory cgroup that holds the command under a hard limit. Before the group
    passes its limit the kernel takes back pages it can read again (files' pages,
    mapped ones among them), and it kills a process of the group when what it cannot
    take back, anonymous memory, would pass it: a run that completes under the limit
    needed no more memory than that."""

    folder: Path
    limit_mib: float
    peak_name: str  # the file giving the most the group held at once, pages of files included

    @classmethod
    @contextmanager
    def made(cls, limit_mib: float) -> Iterator[MemoryLimit]:
        """A new group under cgroup v1's memory hierarchy or cgroup v2's, removed after."""
        root, limit_name, peak_name = _memory_hierarchy()
        group = root / f"hubbub-bench-{os.getpid()}"
        try:
            group.mkdir()
            (group / limit_name).write_text(str(int(limit_mib * 2**20)))
        except OSError as error:
            raise SystemExit(f"--memory-limit-mib: cannot make {group}: {error}") from error
        try:
            yield cls(group, limit_mib, peak_name)
        finally:
            group.rmdir()

    def admit(self) -> None:
        """Move this process into the group, and so whatever it starts afterwards."""
        (self.folder / "cgroup.procs").write_text(str(os.getpid()))

    def charged_mib(self) -> float:
        return int(_read(self.folder / self.peak_name)) / 2**20


def _memory_hierarchy() -> tuple[Path, str, str]:
    """Where memory cgroups are made, with the names of a group's limit and peak files:
    cgroup v1's memory hierarchy, else cgroup v2's when it hands memory down."""
    v1, v2 = Path("/sys/fs/cgroup/memory"), Path("/sys/fs/cgroup")
    if (v1 / "memory.limit_in_bytes").exists():
        return v1, "memory.limit_in_bytes", "memory.max_usage_in_bytes"
    if "memory" in _read(v2 / "cgroup.subtree_control").split():
        return v2, "memory.max", "memory.peak"
    raise SystemExit("--memory-limit-mib needs a memory cgroup, and none can be made here")


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except OSError:
        return ""


def write_sized(
    path: Path, target_bytes: int, text: Callable[[Article, int], str], head: str, tail: str
) -> Written:
    """Articles written through `text` (given each article's number) between `head` and
    `tail` until the file has `target_bytes`, one article at a time."""
    documents = 0
    articles = endless(max(1, target_bytes // BYTES_PER_DOCUMENT), SEED)
    with path.open("wb") as out:
        written = out.write(head.encode("utf-8"))
        for number, article in enumerate(articles, start=1):
            if written >= target_bytes - len(tail):
                break
            written += out.write(text(article, number).encode("utf-8"))
            documents += 1 + len(article.comments)
        out.write(tail.encode("utf-8"))
    return Written(path, documents, path.stat().st_size)


def write_jsonl(path: Path, target_bytes: int) -> Written:
    """A JSON-lines dump in the shape `indexer/readers/jsonl.py` reads."""
    return write_sized(path, target_bytes, jsonl_text, "", "")


def jsonl_text(article: Article, number: int) -> str:
    return "".join(f"{line}\n" for line in jsonl_lines([article]))


def write_wxr(path: Path, target_bytes: int) -> Written:
    """A WordPress export: each article a published post, its comments approved."""
    return write_sized(path, target_bytes, wxr_item, WXR_HEAD, WXR_TAIL)


def wxr_item(article: Article, number: int) -> str:
    """One post of a WordPress export, its comments numbered after the post's own id."""
    base = number * 10_000

    def comment_id(key: str | None) -> int:
        return base + int(key.removeprefix("c")) if key else 0

    comments = "".join(
        wxr_comment(c, comment_id(c.key), comment_id(c.parent)) for c in article.comments
    )
    posted = article.date.strftime("%Y-%m-%d %H:%M:%S") if article.date else ""
    return (
        f"\t<item>\n\t\t<title>{escape(article.title)}</title>\n"
        f"\t\t<link>{article.url}</link>\n"
        f"\t\t<dc:creator><![CDATA[{article.byline}]]></dc:creator>\n"
        f'\t\t<guid isPermaLink="false">{article.url}</guid>\n'
        f"\t\t<content:encoded><![CDATA[{html_paragraphs(article.body)}]]></content:encoded>\n"
        f"\t\t<wp:post_id>{number}</wp:post_id>\n\t\t<wp:post_date>{posted}</wp:post_date>\n"
        "\t\t<wp:status>publish</wp:status>\n\t\t<wp:post_type>post</wp:post_type>\n"
        f"{comments}\t</item>\n"
    )


def wxr_comment(comment: Comment, key: int, parent: int) -> str:
    posted = comment.date.strftime("%Y-%m-%d %H:%M:%S") if comment.date else ""
    return (
        f"\t\t<wp:comment>\n\t\t\t<wp:comment_id>{key}</wp:comment_id>\n"
        f"\t\t\t<wp:comment_author><![CDATA[{comment.author}]]></wp:comment_author>\n"
        f"\t\t\t<wp:comment_author_email>{comment.author}@example.org</wp:comment_author_email>\n"
        f"\t\t\t<wp:comment_date>{posted}</wp:comment_date>\n"
        f"\t\t\t<wp:comment_content><![CDATA[{html_paragraphs(comment.body)}]]></wp:comment_content>\n"
        "\t\t\t<wp:comment_approved>1</wp:comment_approved>\n"
        "\t\t\t<wp:comment_type></wp:comment_type>\n"
        f"\t\t\t<wp:comment_parent>{parent}</wp:comment_parent>\n\t\t</wp:comment>\n"
    )


def html_paragraphs(text: str) -> str:
    return "".join(f"<p>{escape(paragraph)}</p>" for paragraph in text.split("\n\n"))


def hubbub_command() -> list[str]:
    """The `hubbub` a user runs: the one installed beside this Python, else on the path."""
    beside = Path(sys.executable).with_name("hubbub")
    found = str(beside) if beside.exists() else shutil.which("hubbub")
    if found is None:
        raise SystemExit("no `hubbub` command: install the project (make) first")
    return [found]


def index_file(
    path: Path,
    index_dir: Path,
    engine: str,
    options: Sequence[str] = (),
    limit: MemoryLimit | None = None,
) -> Run:
    """`hubbub index FILE` into a new index, its process tree's memory sampled and its
    progress lines read as it runs; under `limit` when one is given."""
    shutil.rmtree(index_dir, ignore_errors=True)
    command = [*hubbub_command(), "index", str(path), "--index", str(index_dir)]
    command += ["--engine", engine, "--json", *options]
    peaks: dict[int, float] = {}
    anonymous = 0.0
    lines: list[tuple[float, str]] = []
    started = time.perf_counter()
    with subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=limit.admit if limit else None,  # before exec: all its memory is counted
    ) as child:
        reader = threading.Thread(target=_read_lines, args=(child.stderr, lines, started))
        reader.start()
        while child.poll() is None:
            anonymous = max(anonymous, _sample(child.pid, peaks))
            time.sleep(SAMPLE_SECONDS)
        seconds = time.perf_counter() - started
        output = child.stdout.read() if child.stdout else ""
        reader.join()
    if child.returncode:
        errors = "\n".join(line for _, line in lines[-5:])
        if limit and child.returncode == -9:
            errors = f"killed, over the memory limit of {limit.limit_mib:,.0f} MiB? {errors}"
        raise RuntimeError(f"hubbub index failed ({child.returncode}): {errors}")
    summary = json.loads(output)
    return Run(
        documents=summary["articles"] + summary["comments"],
        seconds=seconds,
        peak_mib=sum(peaks.values()),
        anonymous_mib=anonymous,
        progress=progress_seen(lines),
        skipped=[f"{entry['path']}: {entry['reason']}" for entry in summary["skipped"]],
        limit_mib=limit.limit_mib if limit else None,
        charged_mib=limit.charged_mib() if limit else None,
    )


def _read_lines(
    stream: Iterable[str] | None, lines: list[tuple[float, str]], started: float
) -> None:
    for line in stream or ():
        lines.append((time.perf_counter() - started, line.rstrip("\n")))


def _sample(pid: int, peaks: dict[int, float]) -> float:
    """Each live process of the tree's own peak so far (a peak never falls); returns the
    tree's anonymous memory now, in MiB. The resident peak also counts pages of files
    mapped into memory, such as tantivy's segments while a merge reads them, which the
    kernel takes back when memory runs short."""
    anonymous = 0.0
    for member in process_tree(pid):
        try:
            peaks[member] = max(peaks.get(member, 0.0), peak_mib(member))
            anonymous += anonymous_mib(member)
        except (OSError, RuntimeError, ValueError):
            pass  # gone since it was listed
    return anonymous


def anonymous_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("RssAnon:"):
            return int(line.split()[1]) / 1024
    return 0.0


def process_tree(pid: int) -> list[int]:
    """`pid` and every process descended from it, from /proc."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    tree, pending = [], [pid]
    while pending:
        member = pending.pop()
        tree.append(member)
        pending += children.get(member, [])
    return tree


def progress_seen(lines: list[tuple[float, str]]) -> list[tuple[float, float]]:
    """The share of the file's bytes each progress line showed, with when it came."""
    seen = []
    for at, line in lines:
        if match := PROGRESS.match(line):
            read, size = (int(group.replace(",", "")) for group in match.groups())
            seen.append((at, read / size if size else 1.0))
    return seen


def shown_at(progress: list[tuple[float, float]], seconds: float) -> list[float | None]:
    """The progress shown at each of `MOMENTS` of the run's time (the last line before
    it; None before the first), then at the end."""
    shares: list[float | None] = []
    for moment in MOMENTS:
        before = [share for at, share in progress if at <= moment * seconds]
        shares.append(before[-1] if before else None)
    shares.append(progress[-1][1] if progress else None)
    return shares


def percent(share: float | None) -> str:
    return "–" if share is None else f"{share:.0%}"


def whole(written: Written, run: Run) -> bool:
    """Every document generated was indexed, none skipped, and the progress shown reached
    the end of the file."""
    ended = bool(run.progress) and run.progress[-1][1] >= 1.0
    return run.documents == written.documents and not run.skipped and ended


def report(measured: list[tuple[str, Written, Run]], engine: str) -> str:
    rows = [
        [
            name,
            f"{written.bytes / 2**20:,.0f} MiB",
            f"{run.documents:,} of {written.documents:,}",
            f"{run.seconds:,.1f}",
            f"{run.documents / run.seconds:,.0f}",
            f"{run.peak_mib:,.0f}",
            f"{run.anonymous_mib:,.0f}",
            " · ".join(percent(share) for share in shown_at(run.progress, run.seconds)),
        ]
        for name, written, run in measured
    ]
    header = ["file", "size", "documents indexed", "seconds", "documents/s", "peak memory, MiB"]
    header.append("anonymous memory at its peak, MiB")
    header.append("progress shown at ¼ · ½ · ¾ of the time · end")
    goals = []
    for name, written, run in measured:
        if run.limit_mib is None:
            goals.append(
                [
                    f"{name}: peak memory under {PEAK_GOAL_MIB / 1024:.0f} GiB",
                    f"{run.peak_mib:,.0f} MiB",
                    met(run.peak_mib < PEAK_GOAL_MIB),
                ]
            )
        else:
            goals.append(
                [
                    f"{name}: indexed whole under a hard memory limit of {run.limit_mib:,.0f} MiB",
                    f"the limit's group held {run.charged_mib or 0:,.0f} MiB at most, pages of"
                    " files included",
                    met(whole(written, run) and run.limit_mib <= PEAK_GOAL_MIB),
                ]
            )
        indexed = f"{run.documents:,} of {written.documents:,} documents"
        if run.skipped:
            indexed += "; skipped: " + "; ".join(run.skipped)
        goals.append([f"{name}: the whole file indexed", indexed, met(whole(written, run))])
    cores = f"On {os.cpu_count()} cores, the {engine} engine; Hubbub at `{revision()}`."
    return "\n\n".join([cores, table(header, rows), table(["goal", "measured", "met"], goals)])


def measure(
    jsonl_bytes: int,
    wxr_bytes: int,
    engine: str,
    work: Path,
    keep: bool = False,
    options: Sequence[str] = (),
    limit: MemoryLimit | None = None,
) -> list[tuple[str, Written, Run]]:
    """Write each file of a size above 0, index it (with the command's `options`), and
    with a `limit` index it again under that limit; unless `keep`, delete the file and
    its index."""
    work.mkdir(parents=True, exist_ok=True)
    measured = []
    for name, write, size in (
        ("JSON lines", write_jsonl, jsonl_bytes),
        ("WordPress export", write_wxr, wxr_bytes),
    ):
        if size <= 0:
            continue
        suffix = ".jsonl" if write is write_jsonl else ".xml"
        path = work / f"big{suffix}"
        written = write(path, size)
        index_dir = work / f"index{suffix.replace('.', '-')}"
        measured.append((name, written, index_file(path, index_dir, engine, options)))
        if limit:
            run = index_file(path, index_dir, engine, options, limit)
            measured.append((f"{name}, in a memory cgroup", written, run))
        if not keep:
            path.unlink()
            shutil.rmtree(index_dir, ignore_errors=True)
    return measured


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jsonl-gib", type=float, default=2.0, help="the JSON-lines file's size")
    parser.add_argument("--wxr-mib", type=float, default=500.0, help="the WordPress export's size")
    parser.add_argument("--engine", default="tantivy", choices=("tantivy", "whoosh"))
    parser.add_argument("--work", type=Path, default=Path("bench/.work/big-files"))
    parser.add_argument("--keep", action="store_true", help="keep the files and indexes")
    parser.add_argument("--out", type=Path, help="write the tables here as well")
    parser.add_argument(
        "--memory-limit-mib",
        type=float,
        help="run each command in a memory cgroup of this hard limit (root, Linux)",
    )
    args = parser.parse_args(argv)
    sizes = int(args.jsonl_gib * 2**30), int(args.wxr_mib * 2**20)
    with ExitStack() as stack:
        limit = None
        if args.memory_limit_mib:
            limit = stack.enter_context(MemoryLimit.made(args.memory_limit_mib))
        measured = measure(*sizes, args.engine, args.work, args.keep, limit=limit)
    text = report(measured, args.engine)
    print(text)
    if args.out:
        args.out.write_text(f"# Files larger than memory\n\n{REPORT_INTRO}\n\n{text}\n")


if __name__ == "__main__":
    main()
