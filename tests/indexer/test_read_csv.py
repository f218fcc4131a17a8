"""Tests for the CSV export reader: column maps from the command line and from TOML,
articles joined by id, threads, dates, votes, and refusals that name the row."""

from __future__ import annotations

import shutil
from datetime import datetime
from io import BytesIO
from pathlib import Path

import pytest

from indexer.readers import csv_export, threads
from indexer.readers.csv_export import (
    ColumnMap,
    find_map_file,
    load_map_file,
    looks_like_csv,
    parse_column_map,
    parse_csv,
    read_csv,
)
from indexer.readers.files import ReaderError
from indexer.records import Article

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "csv"
NYT = "nyt-comments.csv"
FERRY = "58def1347c459f24986d7c80"
BUSES = "58e0b8e77c459f24986d8a1b"
UPSTATE = "58e1a0007c459f24986d9c3d"
NYT_COLUMNS = (
    "body=commentBody,author=userDisplayName,date=createDate,article_id=articleID,"
    "parent=parentID,votes=recommendations,id=commentID"
)
OWN_HEADER = "article_id,id,parent,author,date,body,votes\n"


def nyt() -> dict[str, Article]:
    articles = parse_csv((FIXTURES / NYT).read_bytes(), folder=FIXTURES, name=NYT)
    return {article.key or "": article for article in articles}


def thread(article: Article) -> list[tuple]:
    return [(c.position, c.key, c.parent, c.author) for c in article.comments]


def write(folder: Path, name: str, text: str) -> bytes:
    (folder / name).write_text(text, encoding="utf-8")
    return text.encode("utf-8")


# --- Sniffing ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ["nyt-comments.csv", "nyt-articles.csv", "hubbub-columns.csv"])
def test_csv_exports_are_recognised(name: str) -> None:
    assert looks_like_csv((FIXTURES / name).read_bytes()[:8192])


@pytest.mark.parametrize(
    "head",
    [
        b"Comment ID;Post URL;Author Name;Comment\n1;https://x.example/a;Ann;Hi, all\n",
        b"id\tarticle_id\tbody\n1\ta\tHello\n",
        b"article_id,body\na,Hello\n",
    ],
)
def test_other_delimiters_and_short_headers_are_recognised(head: bytes) -> None:
    assert looks_like_csv(head)


@pytest.mark.parametrize(
    "head",
    [
        b"Russia, Pakistan and China sign a pact\n\nThe three countries, long rivals, met.\n",
        b"Title, subtitle\nBody text, with a comma\n",
        b"<!DOCTYPE html><html><head><title>a, b, c</title>",
        b'{"kind": "article", "id": "a1", "title": "x"}\n',
        b"one,two,three\n",
        b"a,b,c\n1,2\n",
    ],
)
def test_prose_and_other_formats_are_not_taken_for_csv(head: bytes) -> None:
    assert not looks_like_csv(head)


def test_every_other_fixture_is_not_taken_for_csv() -> None:
    others = [
        path
        for path in FIXTURES.parent.rglob("*")
        if path.is_file() and path.suffix not in (".csv", ".tsv")
    ]
    assert others
    assert [path.name for path in others if looks_like_csv(path.read_bytes()[:8192])] == []


# --- The column map ---------------------------------------------------------------


def test_the_command_line_map_is_parsed() -> None:
    assert parse_column_map(" body = commentBody , author=userDisplayName,") == {
        "body": "commentBody",
        "author": "userDisplayName",
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("body=commentBody,writer=userDisplayName", "'writer' is not a field.*body, author, date"),
        ("body", "write FIELD=COLUMN"),
        ("body=", "write FIELD=COLUMN"),
        ("body=a,body=b", "'body' is mapped twice"),
        (" , ", "the column map is empty"),
    ],
)
def test_a_bad_command_line_map_is_refused(text: str, message: str) -> None:
    with pytest.raises(ReaderError, match=message):
        parse_column_map(text)


def test_the_map_file_beside_the_csv_is_found_before_the_folder_map(tmp_path: Path) -> None:
    assert find_map_file(tmp_path, "x.csv") is None
    write(tmp_path, "hubbub-map.toml", "[columns]\nbody = 'text'\n")
    assert find_map_file(tmp_path, "x.csv") == tmp_path / "hubbub-map.toml"
    write(tmp_path, "x.csv.toml", "[columns]\nbody = 'text'\n")
    assert find_map_file(tmp_path, "x.csv") == tmp_path / "x.csv.toml"
    assert find_map_file(tmp_path) == tmp_path / "hubbub-map.toml"


def test_the_toml_map_gives_the_columns_and_the_articles_join() -> None:
    loaded = load_map_file(FIXTURES / "nyt-comments.csv.toml")
    assert loaded.columns == parse_column_map(NYT_COLUMNS)
    assert loaded.articles is not None
    assert loaded.articles.file == FIXTURES / "nyt-articles.csv"
    assert loaded.articles.columns["title"] == "headline"


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[columns\nbody = 'x'", "not valid TOML"),
        ("[column]\nbody = 'x'", "unknown entry 'column'.*columns, articles"),
        ("[columns]\ntext = 'x'", r"'text' is not a field Hubbub reads"),
        ("[columns]\nbody = 3", "body must name a column"),
        ("[articles]\ncolumns = {id = 'x'}", "`file` must name the articles CSV"),
        ("[articles]\nfile = 'a.csv'\n[articles.columns]\nvotes = 'x'", "'votes' is not a field"),
    ],
)
def test_a_bad_map_file_is_refused_naming_it(tmp_path: Path, toml: str, message: str) -> None:
    write(tmp_path, "hubbub-map.toml", toml)
    with pytest.raises(ReaderError, match=f"hubbub-map.toml.*{message}"):
        load_map_file(tmp_path / "hubbub-map.toml")


# --- The New York Times comments dataset ------------------------------------------


def test_articles_are_joined_by_id_from_the_articles_csv() -> None:
    articles = parse_csv((FIXTURES / NYT).read_bytes(), folder=FIXTURES, name=NYT)
    assert [article.key for article in articles] == [FERRY, BUSES, UPSTATE]
    ferry = articles[0]
    assert ferry.title == "Council Votes to Expand Ferry Service"
    assert ferry.url == "https://news.example.com/2017/04/03/nyregion/ferry-service.html"
    assert ferry.date == datetime(2017, 4, 3, 16, 0, 5)
    assert ferry.byline == "JANE ROE"
    assert ferry.site == "The New York Times"
    assert ferry.body == "Two new routes will start in the summer, & fares stay at $2.75."


def test_an_article_no_articles_csv_names_is_a_stub_titled_by_its_id() -> None:
    upstate = nyt()[UPSTATE]
    assert (upstate.title, upstate.body, upstate.url) == (UPSTATE, "", None)
    assert [c.author for c in upstate.comments] == ["Tom", "Jo"]


def test_comments_are_in_thread_order_replies_under_their_parent() -> None:
    # By date alone 22022702 (20:06) would come before 22022701 (01:05 next day).
    assert thread(nyt()[FERRY]) == [
        (1, "22022700", None, "Sam O'Neill"),
        (2, "22022598", None, "Mark Daniels"),
        (3, "22022599", "22022598", "Lena K."),
        (4, "22022701", "22022599", "Mark Daniels"),
        (5, "22022702", "22022598", "Anonymous"),
    ]


def test_a_comment_exported_twice_is_kept_once() -> None:
    keys = [c.key for c in nyt()[FERRY].comments]
    assert keys.count("22022598") == 1


def test_epoch_seconds_and_iso_dates_are_read_as_utc() -> None:
    articles = nyt()
    ferry = {c.key: c.date for c in articles[FERRY].comments}
    assert ferry["22022598"] == datetime(2017, 4, 3, 18, 46, 26)  # 1491245186
    assert ferry["22022599"] == datetime(2017, 4, 3, 18, 48, 20)  # "1491245300.0"
    assert ferry["22022701"] == datetime(2017, 4, 4, 1, 5)  # "2017-04-03T21:05:00-04:00"
    buses = {c.key: c.date for c in articles[BUSES].comments}
    assert buses["22030003"] == datetime(2017, 4, 4, 10, 16, 40, 500000)
    assert [c.date for c in articles[UPSTATE].comments][1] is None  # "yesterday"


def test_votes_are_read_and_an_empty_cell_is_no_votes() -> None:
    ferry = {c.key: c.votes for c in nyt()[FERRY].comments}
    assert ferry == {
        "22022700": None,
        "22022598": 12,
        "22022599": 3,
        "22022701": 5,
        "22022702": 1,
    }


def test_html_in_comment_bodies_is_decoded() -> None:
    articles = nyt()
    ferry = {c.key: c.body for c in articles[FERRY].comments}
    assert ferry["22022598"] == (
        "Ferries are the cheapest way to add capacity. It’s about time.\n\nNow do the buses."
    )
    assert ferry["22022599"] == "Agreed & the East River route proves it."
    assert ferry["22022700"] == 'The deputy mayor said "no" twice, then "maybe".'
    buses = {c.key: c.body for c in articles[BUSES].comments}
    assert buses["22030001"] == (
        'Two paragraphs here.\n\nThe second one has "quotes" & an ampersand.'
    )
    assert buses["22030002"] == "Which buses? <sarcasm>"


def test_the_command_line_map_alone_reads_the_comments_without_the_join() -> None:
    articles = parse_csv((FIXTURES / NYT).read_bytes(), parse_column_map(NYT_COLUMNS))
    assert [article.title for article in articles] == [FERRY, BUSES, UPSTATE]
    assert thread(articles[0]) == thread(nyt()[FERRY])


def test_the_command_line_map_overrides_the_map_file_field_by_field() -> None:
    articles = parse_csv(
        (FIXTURES / NYT).read_bytes(), {"author": "userLocation"}, folder=FIXTURES, name=NYT
    )
    assert articles[0].title == "Council Votes to Expand Ferry Service"
    assert [c.author for c in articles[0].comments][:2] == ["Staten Island", "Brooklyn"]


def test_a_folder_map_serves_every_csv_in_the_folder(tmp_path: Path) -> None:
    for name in (NYT, "nyt-articles.csv"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    shutil.copy(FIXTURES / "nyt-comments.csv.toml", tmp_path / "hubbub-map.toml")
    articles = parse_csv((tmp_path / NYT).read_bytes(), folder=tmp_path, name="other.csv")
    assert articles[1].title == "Buses Deserve Better"


# --- Hubbub's own column names and other exports ------------------------------------


def test_a_header_in_hubbubs_own_names_needs_no_map() -> None:
    articles = parse_csv((FIXTURES / "hubbub-columns.csv").read_bytes(), folder=FIXTURES)
    assert [(a.key, a.title, a.url) for a in articles] == [
        (
            "pier-lights",
            "Pier lights switched on",
            "https://portside.example.org/2019/11/02/pier-lights/",
        ),
        ("market-day", "Market moves to the square", None),
    ]
    assert thread(articles[0]) == [(1, "c1", None, "Marta"), (2, "c2", "c1", "Jon")]
    assert articles[0].comments[1].body == "They were off for a year & a half."
    market = articles[1].comments
    assert [(c.key, c.date, c.votes) for c in market] == [
        ("c4", datetime(2019, 11, 3, 10, 0), -1),
        ("c3", datetime(2019, 11, 3, 16, 53, 20), 2),
    ]


def test_a_moderation_export_reads_with_a_map_of_its_column_names() -> None:
    data = (
        b"Comment ID;Post URL;Author Name;Comment;Created At;Likes\r\n"
        b"9;https://blog.example/p/1;Ann;Hi;2024-02-01 10:00:00;3\r\n"
        b'10;https://blog.example/p/1;;"Hello &amp; welcome";2024-02-01 09:00:00;0\r\n'
    )
    assert looks_like_csv(data)
    columns = parse_column_map(
        "id=Comment ID,url=Post URL,author=Author Name,body=Comment,date=Created At,votes=Likes"
    )
    [article] = parse_csv(data, columns)
    assert (article.title, article.url) == ("https://blog.example/p/1",) * 2
    assert [(c.key, c.author, c.body) for c in article.comments] == [
        ("10", "Anonymous", "Hello & welcome"),
        ("9", "Ann", "Hi"),
    ]


def test_a_loop_of_parents_still_places_every_comment_once() -> None:
    data = OWN_HEADER + "a,1,2,Ann,1000,One,\na,2,1,Bo,2000,Two,\na,3,3,Cy,3000,Three,\n"
    [article] = parse_csv(data.encode())
    assert sorted(c.key for c in article.comments) == ["1", "2", "3"]
    assert [c.position for c in article.comments] == [1, 2, 3]


def test_a_very_long_comment_is_read() -> None:
    long_body = "word " * 60_000
    data = (OWN_HEADER + f'a,1,,Ann,,"{long_body}",\n').encode()
    [article] = parse_csv(data)
    assert len(article.comments[0].body) > 250_000


# --- Refusals ---------------------------------------------------------------------


def test_a_mapped_column_missing_from_the_header_is_refused_listing_the_columns() -> None:
    with pytest.raises(ReaderError) as refusal:
        parse_csv((FIXTURES / NYT).read_bytes(), {"body": "comment_body"})
    message = str(refusal.value)
    assert "no column 'comment_body' (mapped to body)" in message
    assert "'commentBody'" in message and "'userDisplayName'" in message


def test_a_header_in_foreign_names_without_a_map_is_refused() -> None:
    with pytest.raises(ReaderError, match="no column map and no 'body' column.*'commentBody'"):
        parse_csv((FIXTURES / NYT).read_bytes())


def test_a_map_without_the_body_is_refused() -> None:
    with pytest.raises(ReaderError, match="gives no column for 'body'"):
        parse_csv((FIXTURES / NYT).read_bytes(), {"author": "userDisplayName"})


def test_a_row_without_the_body_cell_is_refused_naming_row_and_column() -> None:
    data = OWN_HEADER + "a,1,,Ann,,Fine,1\na,2,,Bo\n"
    with pytest.raises(ReaderError, match="row 3 has no cell for column 'body'"):
        parse_csv(data.encode())


def test_a_row_with_more_cells_than_the_header_is_refused() -> None:
    data = OWN_HEADER + "a,1,,Ann,,Fine,1\na,2,,Bo,,Not quoted, so it splits,2\n"
    with pytest.raises(ReaderError, match="row 3 has 8 cells, but the header has 7 columns"):
        parse_csv(data.encode())


def test_votes_that_are_no_number_are_refused_naming_the_column() -> None:
    data = OWN_HEADER + "a,1,,Ann,,Fine,1\na,2,,Bo,,Also fine,lots\n"
    with pytest.raises(ReaderError, match="row 3: 'votes' \\(votes\\) is not a whole number"):
        parse_csv(data.encode())


def test_an_empty_article_id_is_refused() -> None:
    data = OWN_HEADER + "a,1,,Ann,,Fine,1\n,2,,Bo,,Lost,1\n"
    with pytest.raises(ReaderError, match="row 3: 'article_id' \\(article_id\\) is empty"):
        parse_csv(data.encode())


def test_a_missing_articles_csv_is_refused_naming_it(tmp_path: Path) -> None:
    data = write(tmp_path, "c.csv", OWN_HEADER + "a,1,,Ann,,Fine,1\n")
    write(tmp_path, "c.csv.toml", "[articles]\nfile = 'gone.csv'\n")
    with pytest.raises(ReaderError, match="the articles CSV gone.csv: no such file"):
        parse_csv(data, folder=tmp_path, name="c.csv")


def test_a_join_without_the_article_id_is_refused(tmp_path: Path) -> None:
    data = write(tmp_path, "c.csv", "body,author\nHi,Ann\n")
    write(tmp_path, "c.csv.toml", "[articles]\nfile = 'articles.csv'\n")
    with pytest.raises(ReaderError, match="needs the comments' article_id column"):
        parse_csv(data, folder=tmp_path, name="c.csv")


def test_a_header_alone_is_refused() -> None:
    with pytest.raises(ReaderError, match="no comments"):
        parse_csv(OWN_HEADER.encode())


def test_an_unknown_field_in_a_map_given_as_a_dict_is_refused() -> None:
    with pytest.raises(ReaderError, match="'text' is not a field"):
        parse_csv((FIXTURES / NYT).read_bytes(), {"text": "commentBody"})


def test_the_map_file_dataclass_is_plain_data() -> None:
    assert ColumnMap({"body": "b"}) == ColumnMap({"body": "b"}, None)


# --- Read a row at a time ---------------------------------------------------------


@pytest.mark.parametrize("spill", [100_000, 2])
def test_a_csv_read_from_the_open_file_reads_as_it_does_whole(
    spill: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = parse_csv((FIXTURES / NYT).read_bytes(), folder=FIXTURES, name=NYT)
    monkeypatch.setattr(threads, "SPILL_RECORDS", spill)
    monkeypatch.setattr(csv_export, "TEXT_PIECE_BYTES", 7)  # pieces end inside characters
    with (FIXTURES / NYT).open("rb") as handle:
        assert list(read_csv(handle, folder=FIXTURES, name=NYT)) == expected


def test_a_large_csv_in_a_single_byte_encoding_reads_as_it_does_whole() -> None:
    row = 'a1,c{n},,Zoë {n},,"Café, crème — {n}\r\nsecond line",{n}\n'
    rows = "".join(row.format(n=n) for n in range(500))
    data = (OWN_HEADER + rows).encode("cp1252")
    with BytesIO(data) as handle:
        streamed = list(read_csv(handle, name="big.csv"))
    assert streamed == parse_csv(data, name="big.csv")
    assert streamed[0].comments[0].body == "Café, crème — 0\nsecond line"
