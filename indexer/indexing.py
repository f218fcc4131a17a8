"""Building and updating the index from archive files on disk."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from indexer.archive import open_engine
from indexer.documents import ARTICLE, Document, thread_documents
from indexer.readers import SUPPORTED_SUFFIXES, ReaderError, read_file

MAX_FILES = 1_000_000


@dataclass
class IndexSummary:
    """What one indexing run did, for the operator."""

    files_read: int = 0
    articles: int = 0
    comments: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "files_read": self.files_read,
            "articles": self.articles,
            "comments": self.comments,
            "skipped": [{"path": path, "reason": reason} for path, reason in self.skipped],
        }


def archive_files(paths: Iterable[Path], summary: IndexSummary) -> Iterator[Path]:
    """The files to read: named files as they are, folders walked for known suffixes.

    Hidden files and folders are passed over; a missing path is reported as skipped.
    """
    count = 0
    for path in paths:
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.suffix.lower() in SUPPORTED_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
                and p.is_file()
            )
        elif path.exists():
            found = [path]
        else:
            summary.skipped.append((str(path), "no such file or folder"))
            continue
        for file in found:
            count += 1
            if count > MAX_FILES:
                summary.skipped.append((str(file), f"over the limit of {MAX_FILES} files a run"))
                return
            yield file


def read_documents(file: Path, summary: IndexSummary) -> list[Document] | None:
    """The file's documents, or None (reported in the summary) when it cannot be read."""
    try:
        articles = read_file(file)
    except ReaderError as error:
        summary.skipped.append((str(file), str(error)))
        return None
    except Exception as error:  # a reader failing on one odd file must not stop the run
        summary.skipped.append((str(file), f"could not be read ({type(error).__name__}: {error})"))
        return None
    source = str(file.resolve())
    documents = [doc for article in articles for doc in thread_documents(article, source)]
    summary.files_read += 1
    summary.articles += sum(1 for doc in documents if doc.kind == ARTICLE)
    summary.comments += sum(1 for doc in documents if doc.kind != ARTICLE)
    return documents


def index_paths(paths: Iterable[Path], index_dir: Path) -> IndexSummary:
    """Read every archive file under `paths` and put its documents in the index.

    Each file's documents replace whatever that file gave before, in one commit at
    the end: a failure leaves the index as it was.

    :raise IndexLocked: when another process is writing to the index.
    """
    summary = IndexSummary()
    batch: dict[str, list[Document]] = {}
    for file in archive_files(paths, summary):
        documents = read_documents(file, summary)
        if documents is not None:
            batch[str(file.resolve())] = documents
    engine = open_engine(index_dir, create=True)
    engine.replace_sources(batch)
    return summary
