"""The `hubbub` command: the library's commands plus `serve`, the site over waitress."""

from __future__ import annotations

from pathlib import Path

import click
import waitress

from indexer import command_line as cli
from indexer import index_option
from webapp import create_app
from webapp.archive import index_problem

__all__ = ["cli"]


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option("--port", default=8000, type=int, show_default=True, help="The port to listen on.")
@click.option("--threads", default=8, type=int, show_default=True, help="Requests served at once.")
@index_option
def serve(host: str, port: int, threads: int, index_dir: Path) -> None:
    """Serve the archive's web site with waitress.

    Example: hubbub serve --index instance/index --port 8000
    """
    app = create_app({"INDEX_DIR": str(index_dir)})
    with app.app_context():
        # Open the index now so the first reader does not wait for it.
        problem = index_problem()
        if problem is not None:
            click.echo(f"{problem.description} Until then, the site says so.")
    click.echo(f"Serving Hubbub on http://{host}:{port}/ (Ctrl-C to stop)")
    waitress.serve(app, host=host, port=port, threads=threads)
