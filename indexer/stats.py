"""What an index holds, for `hubbub stats`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from indexer.documents import ARTICLE, COMMENT
from indexer.engines import no_index_message, open_engine, size_on_disk
from indexer.engines.base import IndexMissing
from indexer.facets import ALL_VALUES
from indexer.layout import IndexLayout, described
from indexer.search import SearchRequest, select

TOP_AUTHORS = 10


@dataclass(frozen=True)
class IndexStats:
    documents: dict[str, int]
    articles: int
    authors: int
    top_authors: list[tuple[str, int]]
    first_date: str | None
    last_date: str | None
    size_bytes: int
    indexed_at: str
    engine: str
    generation: str
    files: list[dict]
    generations: list[dict]  # every generation folder on disk: name, state, size_bytes

    def to_json(self) -> dict:
        return {
            "documents": self.documents,
            "articles": self.articles,
            "authors": self.authors,
            "top_authors": [{"author": a, "comments": n} for a, n in self.top_authors],
            "first_date": self.first_date,
            "last_date": self.last_date,
            "size_bytes": self.size_bytes,
            "indexed_at": self.indexed_at,
            "engine": self.engine,
            "generation": self.generation,
            "files": self.files,
            "generations": self.generations,
        }


def index_stats(index_dir: Path) -> IndexStats:
    """Counts, dates, size, every source file's status and the generations on disk.

    :raise IndexMissing: when no index has been built in `index_dir`.
    """
    layout = IndexLayout(index_dir)
    generation = layout.current()
    if generation is None:
        raise IndexMissing(no_index_message(index_dir))
    engine = open_engine(index_dir)
    everything = select(engine, SearchRequest(), counted=("date",))
    kinds = everything.counts["kind"]
    dates = sorted(everything.counts["date"])
    authors = select(engine, SearchRequest(kinds=(COMMENT,)), facet_limit=ALL_VALUES)
    manifest = layout.read_manifest(generation)
    return IndexStats(
        documents=dict(sorted(kinds.items())),
        articles=kinds.get(ARTICLE, 0),
        authors=len(authors.counts["author"]),
        top_authors=[(v.label, v.count) for v in authors.facets["author"][:TOP_AUTHORS]],
        first_date=dates[0] if dates else None,
        last_date=dates[-1] if dates else None,
        size_bytes=size_on_disk(layout, generation),
        indexed_at=manifest.indexed_at,
        engine=manifest.engine,
        generation=generation.name,
        files=[{"path": path, **described(r)} for path, r in sorted(manifest.files.items())],
        generations=generations_on_disk(layout, generation),
    )


def generations_on_disk(layout: IndexLayout, live: Path) -> list[dict]:
    """Each generation folder with its state: the live one, the previous one kept for
    readers, one being written now, or one a killed run left (the next run removes it)."""
    previous = layout.previous(live)
    writing = layout.writer_active()
    states = {live: "live", previous: "previous"}
    return [
        {
            "name": generation.name,
            "state": states.get(generation, "being written" if writing else "interrupted"),
            "size_bytes": size_on_disk(layout, generation),
        }
        for generation in layout.generations()
    ]
