"""The `hubbub` command's indexing and search commands: thin shells over the library."""

from __future__ import annotations

import errno
import json
import sys
import time
from pathlib import Path

import click

from indexer.archive import Archive
from indexer.engines import ENGINES, SolrTarget
from indexer.errors import HubbubError
from indexer.indexing import LOCK_WAIT_SECONDS, IndexSummary
from indexer.layout import left_out_note
from indexer.readers.csv_export import parse_column_map
from indexer.readers.files import MAX_FILE_BYTES
from indexer.search import SORTS, SearchRequest, SearchResult
from indexer.snippets import Passage
from indexer.spacing import single_spaced

DEFAULT_INDEX = Path("instance/index")
DEFAULT_CORPUS = Path("corpus")

index_option = click.option(
    "--index",
    "index_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_INDEX,
    envvar="HUBBUB_INDEX",
    show_default=True,
    help="The index folder (or set HUBBUB_INDEX).",
)


def plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


def storage_failure(error: OSError, index_dir: Path, doing: str) -> click.ClickException:
    """What a user reads when the index cannot be written: what failed, where, and what
    to do, rather than a traceback. A failed commit changes nothing, so what was
    indexed before is still served."""
    where = error.filename or index_dir
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        advice = (
            "Free some space there (a --rebuild needs room for a second copy of the index), "
            "then run the command again."
        )
    elif error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        advice = (
            f"Make the index folder {index_dir} writable, or name another with --index, "
            "then run the command again."
        )
    else:
        advice = "Run the command again once that is put right."
    return click.ClickException(
        f"{doing} stopped: {error.strerror or error} ({where}). {advice} "
        "The index still serves what it held before."
    )


@click.group()
def cli() -> None:
    """Hubbub: a searchable archive of news articles and their reader comments."""


class ProgressReport:
    """Progress of an indexing run: a bar on a terminal, a line every few seconds elsewhere."""

    PLAIN_EVERY_SECONDS = 2.0
    BAR_WIDTH = 30

    def __init__(self, on_terminal: bool) -> None:
        self.on_terminal = on_terminal
        self.started = time.monotonic()
        self.last_line = 0.0

    def __call__(self, done: int, total: int, documents: int, read: int, size: int) -> None:
        """The bar fills with the bytes of the files read, so that it moves through one
        large file as through many small ones."""
        now = time.monotonic()
        rate = documents / max(now - self.started, 1e-6)
        text = (
            f"{done:,}/{total:,} files · {read / 2**20:,.0f}/{size / 2**20:,.0f} MB · "
            f"{documents:,} documents · {rate:,.0f} documents/s"
        )
        if self.on_terminal:
            filled = self.BAR_WIDTH * read // max(size, 1)
            bar = "#" * filled + "-" * (self.BAR_WIDTH - filled)
            click.echo(f"\r[{bar}] {text}", nl=done == total, err=True)
        elif done == total or now - self.last_line >= self.PLAIN_EVERY_SECONDS:
            self.last_line = now
            click.echo(f"indexed {text}", err=True)


def print_summary(summary: IndexSummary, index_dir: Path) -> None:
    click.echo(
        f"Read {plural(summary.files_indexed, 'file')}: {plural(summary.articles, 'article')}, "
        f"{plural(summary.comments, 'comment')}, into {index_dir}."
    )
    click.echo(
        f"{summary.files_unchanged:,} unchanged, {summary.files_removed:,} removed, "
        f"{len(summary.skipped):,} skipped; generation {summary.generation}"
        + (" (a new generation)" if summary.rebuilt else "")
        + ("" if summary.wrote else ", nothing written")
        + f"; {summary.seconds:.1f} s."
    )
    if summary.resumed:
        click.echo("Carried on from the run before, which stopped before it finished.")
    for path, threads in summary.carried_on:
        click.echo(
            f"Carried on in {path} after the {plural(threads, 'thread')} a run before"
            " had committed."
        )
    if summary.skipped:
        click.echo(f"Skipped {plural(len(summary.skipped), 'file')}:")
        for path, reason in summary.skipped:
            click.echo(f"  {path}: {reason}")
    if summary.left_out:
        click.echo(
            f"Left out {plural(len(summary.left_out), 'article')} that another file holds "
            "(an article is indexed from the first file that has it):"
        )
        for path, article, owner in summary.left_out:
            click.echo(f"  {path}: {left_out_note(article, owner)}")
    if summary.passed_over:
        click.echo("What each web archive held (only its HTML pages are read):")
        for path, held in summary.passed_over:
            click.echo(f"  {path}: {held}")
    if summary.mined:
        click.echo(
            f"Comments of {plural(summary.mined, 'page')} in no known markup were found by "
            "record mining ('hubbub stats' names them)."
        )
    if summary.not_split:
        click.echo(
            f"Comments not split in {plural(len(summary.not_split), 'file')} "
            "(indexed without them; the article stops where they start):"
        )
        for path, note in summary.not_split:
            click.echo(f"  {path}: {note}")


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--rebuild", is_flag=True, help="Build a fresh index beside the live one, then swap.")
@click.option("--strict", is_flag=True, help="Exit with status 1 when any file is skipped.")
@click.option("--quiet", is_flag=True, help="No progress and no summary.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option(
    "--wait",
    type=float,
    default=LOCK_WAIT_SECONDS,
    show_default=True,
    help="Seconds to wait for another indexer to finish.",
)
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    envvar="HUBBUB_ENGINE",
    help="The search engine of a new index or a --rebuild (default: the index's own, "
    "else whoosh; or set HUBBUB_ENGINE).",
)
@click.option(
    "--solr",
    "solr_urls",
    multiple=True,
    metavar="URL",
    help="A SolrCloud node, as http://HOST:8983/solr, for --engine solr (repeat for "
    "several; or set HUBBUB_SOLR). Later runs may name the nodes anew.",
)
@click.option(
    "--collection",
    default="",
    help="The alias the Solr index is searched by (default: named after the index folder).",
)
@click.option(
    "--shards",
    type=click.IntRange(1, 1024),
    default=1,
    show_default=True,
    help="Shards of a new Solr collection.",
)
@click.option(
    "--replicas",
    type=click.IntRange(1, 16),
    default=1,
    show_default=True,
    help="Copies of each shard of a new Solr collection.",
)
@click.option(
    "--map",
    "column_map",
    default="",
    metavar="FIELD=COLUMN,...",
    help="How CSV columns map to Hubbub's fields, e.g. body=commentBody,author=userDisplayName,"
    "date=createDate,article_id=articleID,parent=parentID,votes=recommendations "
    "(over any FILE.csv.toml beside the CSV).",
)
@click.option(
    "--max-file-size",
    type=click.IntRange(1, 1_000_000),
    default=MAX_FILE_BYTES // 2**20,
    show_default=True,
    metavar="MB",
    help="The largest file read whole. A larger saved page or text dump is skipped; a larger "
    "WordPress, Disqus or CSV export is read a piece at a time, as dumps of one record a line "
    "and web archives are at any size.",
)
@index_option
def index(
    paths: tuple[Path, ...],
    rebuild: bool,
    strict: bool,
    quiet: bool,
    as_json: bool,
    wait: float,
    engine: str | None,
    solr_urls: tuple[str, ...],
    collection: str,
    shards: int,
    replicas: int,
    column_map: str,
    max_file_size: int,
    index_dir: Path,
) -> None:
    """Index archive files and folders (default: corpus/).

    Unchanged files are skipped, changed ones re-indexed, and files gone from the
    folders given are dropped from the index. The engine is chosen when the index
    is built; `serve`, `search` and `stats` use the one the index was built with.

    Example: hubbub index corpus/ --index instance/index --engine tantivy

    Example: hubbub index corpus/ --engine solr --solr http://127.0.0.1:8983/solr
    """
    progress = None if quiet else ProgressReport(sys.stderr.isatty())
    solr = SolrTarget(solr_urls, collection, shards, replicas)
    try:
        columns = parse_column_map(column_map) if column_map else None
        summary = Archive.open(index_dir).index(
            paths or (DEFAULT_CORPUS,),
            rebuild=rebuild,
            progress=progress,
            wait=wait,
            command="hubbub index",
            engine=engine or ("solr" if solr_urls else None),
            solr=solr,
            column_map=columns,
            max_file_bytes=max_file_size * 2**20,
        )
    except HubbubError as error:
        raise click.ClickException(str(error)) from error
    except OSError as error:
        raise storage_failure(error, index_dir, "Indexing") from error
    if as_json:
        click.echo(json.dumps(summary.to_json(), ensure_ascii=False, indent=2))
    elif not quiet:
        print_summary(summary, index_dir)
    if strict and summary.skipped:
        raise SystemExit(1)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--wait", type=float, default=LOCK_WAIT_SECONDS, show_default=True)
@index_option
def remove(paths: tuple[Path, ...], wait: float, index_dir: Path) -> None:
    """Drop the documents of files, or of every file under folders, from the index.

    Example: hubbub remove corpus/old-site/
    """
    try:
        summary = Archive.open(index_dir).remove(paths, wait=wait)
    except HubbubError as error:
        raise click.ClickException(str(error)) from error
    except OSError as error:
        raise storage_failure(error, index_dir, "Removing") from error
    click.echo(f"Removed {plural(summary.files_removed, 'file')}; generation {summary.generation}.")
    for path, reason in summary.skipped:
        click.echo(f"  {path}: {reason}")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@index_option
def stats(as_json: bool, index_dir: Path) -> None:
    """What the index holds: documents, authors, dates, size, and every source file.

    Example: hubbub stats --json
    """
    try:
        figures = Archive.open(index_dir).stats()
    except HubbubError as error:
        raise click.ClickException(str(error)) from error
    if as_json:
        click.echo(json.dumps(figures.to_json(), ensure_ascii=False, indent=2))
        return
    kinds = ", ".join(f"{plural(n, kind)}" for kind, n in figures.documents.items())
    click.echo(f"Index {index_dir} ({figures.engine}, {figures.generation}): {kinds}")
    span = f"{figures.first_date} to {figures.last_date}"
    click.echo(f"{figures.authors:,} distinct commenters; dates {span}")
    click.echo(f"{figures.size_bytes / 2**20:.1f} MiB on disk; last indexed {figures.indexed_at}")
    click.echo(
        "Generations: "
        + ", ".join(
            f"{g['name']} ({g['state']}, {g['size_bytes'] / 2**20:.1f} MiB)"
            for g in figures.generations
        )
    )
    if figures.top_authors:
        click.echo("Top commenters: " + ", ".join(f"{a} ({n})" for a, n in figures.top_authors))
    click.echo(f"{plural(len(figures.files), 'source file')}:")
    for record in figures.files:
        status = record["status"] + (f": {record['reason']}" if record["reason"] else "")
        if "threads_done" in record:
            status += f" ({plural(record['threads_done'], 'thread')} in; the next run carries on)"
        status += f" ({record['note']})" if record.get("note") else ""
        notes = [left_out_note(article, owner) for article, owner in record["left_out"].items()]
        click.echo(f"  {record['path']}: " + "; ".join([status, *notes]))


def bracketed(passage: Passage) -> str:
    """A passage as one line of terminal text, its matches in [brackets]."""
    return single_spaced(passage.wrapped("[", "]"))


def print_table(result: SearchResult) -> None:
    request = result.request
    noun = "result" if result.total == 1 else "results"
    click.echo(f"{result.total} {noun} (page {request.page} of {result.page_count})")
    for number, hit in enumerate(result.hits, start=(request.page - 1) * request.per_page + 1):
        doc = hit.document
        date = doc.date.date().isoformat() if doc.date else "no date"
        where = f"comment {doc.position}" if doc.position else "article"
        author = doc.author or "(no author)"
        site = f" · {doc.site}" if doc.site else ""
        votes = f" · {plural(doc.votes, 'vote')}" if doc.votes is not None else ""
        click.echo(f"\n{number:>3}. {author} · {date} · {where}{site}{votes} · {doc.article_title}")
        click.echo(f"     {bracketed(hit.shown)}")
        if doc.source_url:
            click.echo(f"     {doc.source_url}")
    authors = ", ".join(f"{v.label} ({v.count})" for v in result.facets.get("author", [])[:10])
    if authors:
        click.echo(f"\nAuthors: {authors}")


@cli.command("search")
@click.argument("query", default="")
@click.option("--author", "authors", multiple=True, help="Only this author (repeat for several).")
@click.option("--kind", "kinds", multiple=True, type=click.Choice(["article", "comment"]))
@click.option("--article", "articles", multiple=True, help="Only this article id.")
@click.option("--year", "years", multiple=True, type=int, help="Only this year.")
@click.option("--site", "sites", multiple=True, help="Only this site (repeat for several).")
@click.option(
    "--sort",
    type=click.Choice(SORTS),
    help="Order of the hits [default: relevance, or newest for an empty query].",
)
@click.option("--limit", type=int, default=20, show_default=True, help="Hits per page (1-100).")
@click.option("--page", type=int, default=1, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@index_option
def search_command(
    query: str,
    authors: tuple[str, ...],
    kinds: tuple[str, ...],
    articles: tuple[str, ...],
    years: tuple[int, ...],
    sites: tuple[str, ...],
    sort: str | None,
    limit: int,
    page: int,
    as_json: bool,
    index_dir: Path,
) -> None:
    """Search the index ('' lists everything); the query syntax is on the site's /help.

    Example: hubbub search Putin --author Umairpk --json
    """
    try:
        request = SearchRequest(
            q=query,
            authors=authors,
            kinds=kinds,
            articles=articles,
            years=years,
            sites=sites,
            sort=sort,
            page=page,
            per_page=limit,
        )
        result = Archive.open(index_dir).search(request)
    except HubbubError as error:
        raise click.ClickException(str(error)) from error
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        print_table(result)
