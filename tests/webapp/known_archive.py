"""A small archive whose every count is known: three harbour-town threads, 2019 and 2020.

Documents, by the date they are filed under (a comment's own, else its article's):

    article                          date        comments (author, own date)
    Harbour bridge reopens           2019-03-10  Alice 03-11, Bob 03-12 (answers 1),
                                                 Alice 04-02 (answers 2), Carol (undated)
    Council votes on harbour budget  2019-11-20  Bob 11-21, Alice 2020-01-05, Dave 11-22
    Ferry timetable changes          2020-02-14  Alice 02-15, Bob 02-16, Carol 03-01, Alice 03-02

So: 3 articles and 11 comments; Alice 5, Bob 3, Carol 2, Dave 1; 8 documents in 2019
and 6 in 2020. Carol's and Dave's first comments start like spreadsheet formulas.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from indexer.documents import article_id
from indexer.indexing import index_records
from indexer.records import Article, Comment

BRIDGE = Article(
    title="Harbour bridge reopens",
    body="The harbour bridge reopened on Sunday after a year of repairs.",
    date=datetime(2019, 3, 10),
    key="bridge",
    comments=(
        Comment("Alice", "The harbour bridge looks splendid.", 1, datetime(2019, 3, 11), "b1"),
        Comment("Bob", "Splendid, and a year late.", 2, datetime(2019, 3, 12), "b2", "b1"),
        Comment("Alice", "Late is better than never.", 3, datetime(2019, 4, 2), "b3", "b2"),
        Comment("Carol", "=SUM(A1:A9) is what the repairs cost.", 4, None, "b4"),
    ),
)
BUDGET = Article(
    title="Council votes on harbour budget",
    body="The council voted the harbour budget through by one vote.",
    date=datetime(2019, 11, 20),
    key="budget",
    comments=(
        Comment("Bob", "The harbour budget leaves the ferries short.", 1, datetime(2019, 11, 21)),
        Comment("Alice", "Still arguing about the budget.", 2, datetime(2020, 1, 5)),
        Comment("Dave", "-1 for this budget from me.", 3, datetime(2019, 11, 22)),
    ),
)
FERRY = Article(
    title="Ferry timetable changes",
    body="The spring ferry timetable starts earlier and ends later.",
    date=datetime(2020, 2, 14),
    key="ferry",
    comments=(
        Comment("Alice", "The new ferry timetable suits early risers.", 1, datetime(2020, 2, 15)),
        Comment("Bob", "Early risers, yes; the rest of us wait.", 2, datetime(2020, 2, 16)),
        Comment("Carol", "@council please print the timetable.", 3, datetime(2020, 3, 1)),
        Comment("Alice", "The timetable is printed now.", 4, datetime(2020, 3, 2)),
    ),
)
ARTICLES = (BRIDGE, BUDGET, FERRY)
BRIDGE_ID, BUDGET_ID, FERRY_ID = (article_id(article) for article in ARTICLES)


def add_known_archive(index_dir: Path) -> None:
    """Write the three threads into the index at `index_dir`, creating it if need be."""
    index_records(ARTICLES, index_dir, "known-archive")
