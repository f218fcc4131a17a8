"""The `hubbub` command's indexing and search commands: thin shells over the library."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import click

from indexer.archive import open_engine
from indexer.engine import IndexLocked, IndexMissing
from indexer.indexing import index_paths
from indexer.search import SORTS, InvalidRequest, SearchRequest, SearchResult, search

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
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


@click.group()
def cli() -> None:
    """Hubbub: a searchable archive of news articles and their reader comments."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@index_option
def index(paths: tuple[Path, ...], index_dir: Path) -> None:
    """Index archive files and folders (default: corpus/).

    Each file's documents replace what that file gave before.

    Example: hubbub index corpus/ --index instance/index
    """
    try:
        summary = index_paths(paths or (DEFAULT_CORPUS,), index_dir)
    except IndexLocked as error:
        raise click.ClickException(str(error)) from error
    click.echo(
        f"Read {plural(summary.files_read, 'file')}: {plural(summary.articles, 'article')}, "
        f"{plural(summary.comments, 'comment')}, into {index_dir}."
    )
    if summary.skipped:
        click.echo(f"Skipped {plural(len(summary.skipped), 'file')}:")
        for path, reason in summary.skipped:
            click.echo(f"  {path}: {reason}")


def plain_text(snippet: str) -> str:
    """A snippet's HTML as terminal text, matches in [brackets]."""
    marked = snippet.replace("<mark>", "[").replace("</mark>", "]")
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", marked)).split())


def print_table(result: SearchResult) -> None:
    request = result.request
    noun = "result" if result.total == 1 else "results"
    click.echo(f"{result.total} {noun} (page {request.page} of {result.page_count})")
    for number, hit in enumerate(result.hits, start=(request.page - 1) * request.per_page + 1):
        doc = hit.document
        date = doc.date.date().isoformat() if doc.date else "no date"
        where = f"comment {doc.position}" if doc.position else "article"
        author = doc.author or "(no author)"
        click.echo(f"\n{number:>3}. {author} · {date} · {where} · {doc.article_title}")
        click.echo(f"     {plain_text(hit.snippet)}")
        click.echo(f"     {doc.url}")
    authors = ", ".join(f"{v.label} ({v.count})" for v in result.facets.get("author", [])[:10])
    if authors:
        click.echo(f"\nAuthors: {authors}")


@cli.command("search")
@click.argument("query", default="")
@click.option("--author", "authors", multiple=True, help="Only this author (repeat for several).")
@click.option("--kind", "kinds", multiple=True, type=click.Choice(["article", "comment"]))
@click.option("--article", "articles", multiple=True, help="Only this article id.")
@click.option("--year", "years", multiple=True, type=int, help="Only this year.")
@click.option("--sort", type=click.Choice(SORTS), default="relevance", show_default=True)
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
    sort: str,
    limit: int,
    page: int,
    as_json: bool,
    index_dir: Path,
) -> None:
    """Search the index. The query uses Whoosh syntax; '' lists everything.

    Example: hubbub search Putin --author Umairpk --json
    """
    try:
        request = SearchRequest(
            q=query, authors=authors, kinds=kinds, articles=articles, years=years,
            sort=sort, page=page, per_page=limit,
        )
        result = search(open_engine(index_dir), request)
    except (InvalidRequest, IndexMissing) as error:
        raise click.ClickException(str(error)) from error
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        print_table(result)
