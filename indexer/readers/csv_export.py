"""Reader for comments exported as CSV, whatever the exporting tool named its columns.

Datasets and moderation tools each name their columns their own way (the New York
Times comments dataset has `articleID`, `commentBody`, `userDisplayName`,
`createDate`, ...). A column map says which column holds which of Hubbub's
fields (`COMMENT_FIELDS`): given on the command line as `body=commentBody,...`
(`parse_column_map`), or in a TOML map file beside the CSV, `NAME.csv.toml` or
else `hubbub-map.toml`:

    [columns]
    body = "commentBody"
    article_id = "articleID"

    [articles]                # optional: a CSV of the articles, joined by id
    file = "articles.csv"
    [articles.columns]
    id = "articleID"
    title = "headline"

A map given on the command line overrides the map file's columns field by field.
Without any map, a header that uses Hubbub's own field names reads as it is.

Comments are grouped into one article per `article_id` (a stub titled by its id
when no articles CSV names it), in thread order: each comment followed by its
replies, siblings by date. Only the articles the comments name are taken from an
articles CSV. A comment id seen twice in an article is the same comment exported
twice: the first is kept. Dates are ISO 8601 or epoch seconds (digits, perhaps
with a fraction); anything else is no date. A file that breaks its map (a row
without the body's cell, votes that are no number, a mapped column the header
lacks) is refused as a whole, naming the row and column, so that nothing is
half-imported. Rows are numbered as a spreadsheet shows them: the header is row 1.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import BinaryIO

from indexer.readers.dumps import depth_first, epoch_date
from indexer.readers.encoding import decode_bytes, stream_encoding
from indexer.readers.files import SNIFF_BYTES, ReaderError, load_bytes
from indexer.readers.markup import html_to_text
from indexer.readers.threads import Progress, ThreadRecords, progress_of
from indexer.readers.xml import author_name
from indexer.records import Article, Comment
from indexer.spacing import single_spaced

COMMENT_FIELDS = (
    "body",
    "author",
    "date",
    "article_id",
    "parent",
    "votes",
    "id",
    "title",
    "url",
    "site",
)
ARTICLE_FIELDS = ("id", "title", "body", "url", "date", "author", "site")
MAP_FILE = "hubbub-map.toml"
MAP_SECTIONS = ("columns", "articles")
DELIMITERS = (",", "\t", ";", "|")
# The csv module's default limit (128 KB) refuses long comments; a bound stays.
MAX_FIELD_CHARS = 10 * 2**20
MAX_COLUMNS = 500
MAX_TITLE_CHARS = 300
MAX_NAME_CHARS = 200
SNIFF_ROWS = 20
MAX_DATE_CHARS = 64
UNNAMED = "Comments"
TEXT_PIECE_BYTES = 2**20
_LINE_END = re.compile(r"(\r\n|\r|\n)")

_COLUMN_NAME = re.compile(r"[^\W\d][\w .:/()#-]{0,63}")
_BY = re.compile(r"^by\s+", re.IGNORECASE)
_EPOCH = re.compile(r"[+-]?\d{1,12}(?:\.\d*)?")


@dataclass(frozen=True)
class ArticleTable:
    """A CSV of articles to join to the comments by id, and its own column map."""

    file: Path
    columns: dict[str, str]


@dataclass(frozen=True)
class ColumnMap:
    """What a map file says: the comment columns, and the articles CSV if any."""

    columns: dict[str, str]
    articles: ArticleTable | None = None


def parse_column_map(text: str) -> dict[str, str]:
    """A column map in its command-line form, `body=commentBody,author=userDisplayName`.

    :raise ReaderError: for a part that is no FIELD=COLUMN, a field mapped twice, or
        a field Hubbub does not have (the message lists those it has).
    """
    columns: dict[str, str] = {}
    for part in text.split(","):
        if not part.strip():
            continue
        name, equals, column = (piece.strip() for piece in part.partition("="))
        if not equals or not name or not column:
            raise ReaderError(f"{part.strip()!r} in the column map: write FIELD=COLUMN")
        _check_field(name, COMMENT_FIELDS, "the column map")
        if name in columns:
            raise ReaderError(f"{name!r} is mapped twice in the column map")
        columns[name] = column
    if not columns:
        raise ReaderError("the column map is empty: write FIELD=COLUMN,... e.g. body=commentBody")
    return columns


def find_map_file(folder: Path, name: str | None = None) -> Path | None:
    """The map file for the CSV called `name` in `folder`: NAME.toml, else hubbub-map.toml."""
    candidates = [folder / f"{name}.toml"] if name else []
    candidates.append(folder / MAP_FILE)
    return next((path for path in candidates if path.is_file()), None)


def load_map_file(path: Path) -> ColumnMap:
    """The column map a TOML map file gives; an articles CSV is found beside it.

    :raise ReaderError: when the file is no TOML, or maps fields Hubbub does not have.
    """
    where = path.name
    try:
        table = tomllib.loads(decode_bytes(load_bytes(path)))
    except ReaderError as error:
        raise ReaderError(f"{where}: {error}") from error
    except tomllib.TOMLDecodeError as error:
        raise ReaderError(f"{where}: not valid TOML ({error})") from error
    _check_keys(table, MAP_SECTIONS, where)
    columns = _string_table(table.get("columns", {}), COMMENT_FIELDS, f"{where} [columns]")
    articles = table.get("articles")
    if articles is None:
        return ColumnMap(columns)
    if not isinstance(articles, dict):
        raise ReaderError(f"{where}: [articles] must be a table")
    _check_keys(articles, ("file", "columns"), f"{where} [articles]")
    file = articles.get("file")
    if not isinstance(file, str) or not file.strip():
        raise ReaderError(f"{where} [articles]: `file` must name the articles CSV")
    article_columns = _string_table(
        articles.get("columns", {}), ARTICLE_FIELDS, f"{where} [articles.columns]"
    )
    return ColumnMap(columns, ArticleTable(path.parent / file.strip(), article_columns))


def looks_like_csv(head: bytes) -> bool:
    """Whether a file starting with `head` is a CSV export: a header of column names
    and rows of as many cells.

    Prose with commas must not pass for a CSV: the header's cells must read as
    column names, at least three of them (two when one is `body`), and every
    complete row in `head` must have as many cells.
    """
    text = decode_bytes(head)
    first_line = text.split("\n", 1)[0]
    delimiter = _delimiter(first_line)
    if delimiter is None:
        return False
    try:
        lines = io.StringIO(text, newline="")
        rows = list(islice(csv.reader(lines, delimiter=delimiter), SNIFF_ROWS))
    except csv.Error:
        return False
    header = [cell.strip() for cell in rows[0]] if rows else []
    if not 2 <= len(header) <= MAX_COLUMNS or len(set(header)) != len(header):
        return False
    if len(header) == 2 and "body" not in header:
        return False
    if not all(_COLUMN_NAME.fullmatch(name) for name in header):
        return False
    body = [row for row in rows[1:] if row]
    # The last row of a head cut from a longer file may be cut short.
    complete = body[:-1] if len(head) >= SNIFF_BYTES else body
    if complete:
        return all(_fits(row, len(header)) for row in complete)
    return bool(body) and 2 <= len(body[0]) <= len(header)


def _fits(row: list[str], width: int) -> bool:
    """Whether a row has the header's width; spreadsheets add empty cells at the end."""
    return len(row) >= width and not any(cell.strip() for cell in row[width:])


def parse_csv(
    data: bytes,
    column_map: dict[str, str] | None = None,
    folder: Path | None = None,
    name: str | None = None,
) -> list[Article]:
    """The articles of a CSV of comments, each with its thread, in the order the
    articles first appear.

    `folder` is where the CSV lies: its map file and articles CSV are looked for
    there; `name` is the CSV's file name, for a map file of its own (NAME.toml).

    :raise ReaderError: when a mapped column is missing from the header, a row
        breaks the map, or there is no map and the header is not Hubbub's own.
    """
    lines = io.StringIO(decode_bytes(data), newline="")
    return list(_articles(_Table(lines, name or "the CSV"), column_map, folder, name))


def read_csv(
    handle: BinaryIO,
    column_map: dict[str, str] | None = None,
    folder: Path | None = None,
    name: str | None = None,
) -> Iterator[Article]:
    """`parse_csv` over an open file too large to read whole, a row at a time: every
    row is read and checked before the first article comes, and rows wait for the end
    of the file in `ThreadRecords`, on disk once they are many."""
    progress = progress_of(handle)
    head = handle.read(SNIFF_BYTES)
    lines = _text_lines(head, handle, stream_encoding(head))
    return _articles(_Table(lines, name or "the CSV"), column_map, folder, name, progress)


def _articles(
    table: _Table,
    column_map: dict[str, str] | None,
    folder: Path | None,
    name: str | None,
    progress: Progress | None = None,
) -> Iterator[Article]:
    _raise_field_limit()
    if column_map is not None:
        for key in column_map:
            _check_field(key, COMMENT_FIELDS, "the column map")
    map_path = find_map_file(folder, name) if folder is not None else None
    file_map = load_map_file(map_path) if map_path is not None else ColumnMap({})
    columns = {**file_map.columns, **(column_map or {})}
    indexes = table.indexes(columns, COMMENT_FIELDS, "body")
    if file_map.articles is not None and "article_id" not in indexes:
        raise ReaderError("joining an articles CSV needs the comments' article_id column")
    with ThreadRecords(progress=progress) as kept:
        for row_number, values in table.records(indexes):
            key = _group_key(values, indexes, row_number, table)
            draft = _draft(values, row_number, indexes, table)
            kept.add(key, draft.key or f"#{row_number}", _row_fields(values, draft))
        if not kept:
            raise ReaderError(f"no comments: {table.where} has a header and no rows")
        wanted = kept.threads() if file_map.articles else set()
        joined = _joined_articles(file_map.articles, wanted) if file_map.articles else {}
        stub = Path(name).stem if name else UNNAMED
        for key, rows in kept.groups():
            yield _built(key, rows, joined.get(key), stub)


# --- Reading a CSV ----------------------------------------------------------------


class _Table:
    """A CSV's header and rows, read as a stream of rows, with the file's name for errors."""

    def __init__(self, lines: Iterable[str], where: str) -> None:
        self.where = where
        rest = iter(lines)
        first = next(rest, "")
        delimiter = _delimiter(first.rstrip("\r\n")) or ","
        self._rows = csv.reader(itertools.chain([first], rest), delimiter=delimiter)
        try:
            header = next(self._rows, None)
        except csv.Error as error:
            raise ReaderError(f"{where}: row 1: {error}") from error
        if not header or not any(cell.strip() for cell in header):
            raise ReaderError(f"{where}: no header row")
        self.header = [cell.strip() for cell in header]

    def indexes(
        self, columns: dict[str, str], known: tuple[str, ...], required: str
    ) -> dict[str, int]:
        """Each mapped field's column index; Hubbub's own names when nothing is mapped.

        :raise ReaderError: for a mapped column the header lacks, or no `required` field.
        """
        if not columns:
            columns = {name: name for name in known if name in self.header}
            if required not in columns:
                raise ReaderError(
                    f"{self.where} has no column map and no {required!r} column: give a map "
                    f"(FIELD=COLUMN,... or a NAME.csv.toml or {MAP_FILE} beside it); "
                    f"its columns are: {self._listed()}"
                )
        if required not in columns:
            raise ReaderError(f"the column map for {self.where} gives no column for {required!r}")
        indexes = {}
        for name, column in columns.items():
            if column not in self.header:
                raise ReaderError(
                    f"{self.where} has no column {column!r} (mapped to {name}); "
                    f"its columns are: {self._listed()}"
                )
            indexes[name] = self.header.index(column)
        return indexes

    def records(self, indexes: dict[str, int]) -> Iterator[tuple[int, dict[str, str]]]:
        """Each row's number and its mapped values, blank rows skipped.

        :raise ReaderError: for a row that is not CSV, lacks a mapped cell, or has
            more cells than the header (a quoting mistake shifts every column).
        """
        row_number = 1
        try:
            for row_number, row in enumerate(self._rows, start=2):
                if any(cell.strip() for cell in row):
                    yield row_number, self._values(row_number, row, indexes)
        except csv.Error as error:
            raise ReaderError(f"{self.where}: row {row_number + 1}: {error}") from error

    def _values(self, row_number: int, row: list[str], indexes: dict[str, int]) -> dict[str, str]:
        width = len(self.header)
        if len(row) > width and any(cell.strip() for cell in row[width:]):
            raise ReaderError(
                f"{self.where}: row {row_number} has {len(row)} cells, but the header has "
                f"{width} columns"
            )
        for name, index in indexes.items():
            if index >= len(row):
                raise ReaderError(
                    f"{self.where}: row {row_number} has no cell for column "
                    f"{self.header[index]!r} ({name}): it has {len(row)} of the header's "
                    f"{width} columns"
                )
        return {name: row[index] for name, index in indexes.items()}

    def column(self, indexes: dict[str, int], name: str) -> str:
        return self.header[indexes[name]]

    def _listed(self) -> str:
        return ", ".join(repr(column) for column in self.header[:MAX_COLUMNS])


def _text_lines(head: bytes, rest: BinaryIO, encoding: str) -> Iterator[str]:
    """The lines of an open file, decoded a piece at a time, each with its line end, split
    where a CSV splits them (at \\n, \\r\\n or \\r) and nowhere else."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    pending = ""
    piece = head
    while True:
        final = not piece
        text = pending + decoder.decode(piece, final=final)
        lines = _LINE_END.split(text)
        # split() alternates text and line ends: rejoin them, keeping the last, open line
        for start in range(0, len(lines) - 1, 2):
            yield lines[start] + lines[start + 1]
        pending = lines[-1]
        if final:
            break
        piece = rest.read(TEXT_PIECE_BYTES)
    if pending:
        yield pending


def _delimiter(line: str) -> str | None:
    """The delimiter a header line uses: the one that splits it most, if any does."""
    counts = {delimiter: line.count(delimiter) for delimiter in DELIMITERS}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else None


def _raise_field_limit() -> None:
    if csv.field_size_limit() < MAX_FIELD_CHARS:
        csv.field_size_limit(MAX_FIELD_CHARS)


# --- Comments and articles --------------------------------------------------------


@dataclass(frozen=True)
class _Draft:
    """A comment as its row gives it, before it takes its place in the thread."""

    key: str | None
    parent: str | None
    author: str
    body: str
    date: datetime | None
    votes: int | None
    row: int


def _row_fields(values: dict[str, str], draft: _Draft) -> list:
    """What a row gives its article (a title, an address, a site) and its comment."""
    return [
        single_spaced(values.get("title", ""))[:MAX_TITLE_CHARS],
        values.get("url", "").strip(),
        single_spaced(values.get("site", ""))[:MAX_NAME_CHARS],
        draft.key,
        draft.parent,
        draft.author,
        draft.body,
        draft.date.isoformat() if draft.date else None,
        draft.votes,
        draft.row,
    ]


def _built(key: str, rows: list[list], joined: Article | None, stub: str) -> Article:
    """An article from its comments' rows: its own fields from the first row carrying
    each, over by the articles CSV's row for it when there is one."""
    title, url, site = (next((row[n] for row in rows if row[n]), "") for n in range(3))
    drafts = [
        _Draft(comment, parent, author, body, _from_iso(posted), votes, row_number)
        for *_, comment, parent, author, body, posted, votes, row_number in rows
    ]
    return Article(
        title=(joined.title if joined else "") or title or key or stub,
        body=joined.body if joined else "",
        date=joined.date if joined else None,
        byline=joined.byline if joined else None,
        url=(joined.url if joined else None) or url or None,
        key=key or None,
        comments=_thread(drafts),
        site=(joined.site if joined else None) or site or None,
    )


def _from_iso(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _group_key(
    values: dict[str, str], indexes: dict[str, int], row_number: int, table: _Table
) -> str:
    """The article a row's comment belongs to: its article id, else its article's
    address or title; one article for a file that names none."""
    if "article_id" in values:
        key = values["article_id"].strip()
        if not key:
            column = table.column(indexes, "article_id")
            raise ReaderError(f"{table.where}: row {row_number}: {column!r} (article_id) is empty")
        return key
    return values.get("url", "").strip() or single_spaced(values.get("title", ""))


def _draft(
    values: dict[str, str], row_number: int, indexes: dict[str, int], table: _Table
) -> _Draft:
    votes = None
    if "votes" in values:
        where = f"{table.where}: row {row_number}"
        votes = _votes(values["votes"], where, table.column(indexes, "votes"))
    return _Draft(
        key=values.get("id", "").strip() or None,
        parent=values.get("parent", "").strip() or None,
        author=author_name(values.get("author", "")[: MAX_NAME_CHARS * 4]),
        body=html_to_text(values["body"]),
        date=parse_date(values.get("date", "")),
        votes=votes,
        row=row_number,
    )


def _thread(drafts: list[_Draft]) -> tuple[Comment, ...]:
    """The comments in thread order, numbered from 1: each followed by its replies,
    siblings by date (undated last), then by row (`depth_first`). A comment id seen
    twice is the same comment exported twice: the first is kept."""
    by_key: dict[str, _Draft] = {}
    kept: list[_Draft] = []
    for draft in drafts:
        if draft.key is not None:
            if draft.key in by_key:
                continue
            by_key[draft.key] = draft
        kept.append(draft)
    threaded = depth_first(
        kept,
        key=lambda d: d.key if d.key is not None else f"\0row {d.row}",
        parent=lambda d: d.parent,
        order=lambda d: (d.date is None, d.date or datetime.min, d.row),
    )
    return tuple(
        Comment(
            author=draft.author,
            body=draft.body,
            position=position,
            date=draft.date,
            key=draft.key,
            parent=parent,
            votes=draft.votes,
        )
        for position, (draft, parent) in enumerate(threaded, start=1)
    )


def _joined_articles(table: ArticleTable, wanted: set[str]) -> dict[str, Article]:
    """The articles CSV's rows for the ids the comments name, as articles without comments.

    :raise ReaderError: when the articles CSV cannot be read or breaks its map.
    """
    where = table.file.name
    try:
        data = load_bytes(table.file)
    except ReaderError as error:
        raise ReaderError(f"the articles CSV {where}: {error}") from error
    articles_table = _Table(io.StringIO(decode_bytes(data), newline=""), where)
    indexes = articles_table.indexes(table.columns, ARTICLE_FIELDS, "id")
    found: dict[str, Article] = {}
    for row_number, values in articles_table.records(indexes):
        key = values["id"].strip()
        if not key:
            column = articles_table.column(indexes, "id")
            raise ReaderError(f"{where}: row {row_number}: {column!r} (id) is empty")
        if key not in wanted or key in found:
            continue
        found[key] = Article(
            title=single_spaced(values.get("title", ""))[:MAX_TITLE_CHARS],
            body=html_to_text(values.get("body", "")),
            date=parse_date(values.get("date", "")),
            byline=_byline(values.get("author", "")),
            url=values.get("url", "").strip() or None,
            key=key,
            site=single_spaced(values.get("site", ""))[:MAX_NAME_CHARS] or None,
        )
    return found


# --- Values -----------------------------------------------------------------------


def parse_date(value: str) -> datetime | None:
    """A date written as ISO 8601 or as epoch seconds, as a naive UTC datetime; else None.

    An ISO date without a time zone is kept as written.
    """
    value = value.strip()
    if not value or len(value) > MAX_DATE_CHARS:
        return None
    if _EPOCH.fullmatch(value):
        return epoch_date(value)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return parsed
    try:
        return parsed.astimezone(UTC).replace(tzinfo=None)
    except (OverflowError, ValueError):
        return None


def _byline(value: str) -> str | None:
    """An article's author as credited, without the "By " that bylines start with."""
    return _BY.sub("", single_spaced(value))[:MAX_NAME_CHARS] or None


def _votes(value: str, where: str, column: str) -> int | None:
    """A vote count: a whole number (written "12" or "12.0"); an empty cell is none.

    :raise ReaderError: for anything else, which says the column is not the votes.
    """
    text = value.strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        pass
    try:
        number = float(text)
    except ValueError:
        number = float("nan")
    if not number.is_integer():
        raise ReaderError(f"{where}: {column!r} (votes) is not a whole number: {text[:40]!r}")
    return int(number)


def _check_field(name: str, known: tuple[str, ...], where: str) -> None:
    if name not in known:
        raise ReaderError(
            f"{where}: {name!r} is not a field Hubbub reads; the fields are: {', '.join(known)}"
        )


def _check_keys(table: dict, known: tuple[str, ...], where: str) -> None:
    for key in table:
        if key not in known:
            listed = ", ".join(known)
            raise ReaderError(f"{where}: unknown entry {key!r}; the entries are: {listed}")


def _string_table(table: object, known: tuple[str, ...], where: str) -> dict[str, str]:
    """A TOML table mapping Hubbub's fields to column names, checked."""
    if not isinstance(table, dict):
        raise ReaderError(f'{where} must be a table of FIELD = "COLUMN"')
    columns: dict[str, str] = {}
    for name, column in table.items():
        _check_field(name, known, where)
        if not isinstance(column, str) or not column.strip():
            raise ReaderError(f"{where}: {name} must name a column, as a string")
        columns[name] = column.strip()
    return columns
