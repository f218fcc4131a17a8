"""An author's page: how much they wrote, when, and under which articles."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from indexer.documents import ARTICLE, COMMENT, fold_author
from indexer.engine import Engine
from indexer.facets import FacetValue
from indexer.search import SearchRequest, select

MONTHLY_SPAN = 36  # months; a longer career is charted by year


@dataclass(frozen=True)
class AuthorProfile:
    """What the author page shows above the comments themselves.

    `first` and `last` are the comments' own dates, or their articles' dates when
    the comments have none (`from_article_dates` then says so). `timeline` counts
    comments per month ("2012-03") or, over long spans, per year ("2012"), with the
    empty periods in between.
    """

    name: str
    comments: int
    article_count: int
    articles_written: int
    first: date | None
    last: date | None
    from_article_dates: bool
    articles: list[FacetValue]
    timeline: list[tuple[str, int]]
    signs_as: list[FacetValue]  # names signed at the end of their comments

    def to_json(self) -> dict:
        return {
            "author": self.name,
            "comments": self.comments,
            "article_count": self.article_count,
            "articles_written": self.articles_written,
            "first": self.first.isoformat() if self.first else None,
            "last": self.last.isoformat() if self.last else None,
            "from_article_dates": self.from_article_dates,
            "articles": [
                {"id": a.value, "title": a.label, "count": a.count} for a in self.articles
            ],
            "timeline": [{"period": period, "count": count} for period, count in self.timeline],
            "signs_as": [{"name": s.value, "count": s.count} for s in self.signs_as],
        }


def periods(first: date, last: date, monthly: bool) -> list[str]:
    """Every month (or year) from the first date's to the last's, in order."""
    if not monthly:
        return [str(year) for year in range(first.year, last.year + 1)]
    months, (year, month) = [], (first.year, first.month)
    while (year, month) <= (last.year, last.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def timeline(dates: list[str]) -> list[tuple[str, int]]:
    if not dates:
        return []
    first, last = date.fromisoformat(dates[0]), date.fromisoformat(dates[-1])
    monthly = (last.year - first.year) * 12 + last.month - first.month < MONTHLY_SPAN
    counts = Counter(d[:7] if monthly else d[:4] for d in dates)
    return [(period, counts.get(period, 0)) for period in periods(first, last, monthly)]


def author_profile(engine: Engine, name: str) -> AuthorProfile | None:
    """The profile of the author `name` (any case), or None when the archive has nothing by them.

    An article's byline counts in `articles_written`; everything else is about comments.
    """
    selection = select(engine, SearchRequest(authors=(name,), kinds=(COMMENT,)))
    written = select(engine, SearchRequest(authors=(name,), kinds=(ARTICLE,))).docnums
    if not selection.docnums and not written:
        return None
    columns = selection.snapshot.facet_columns()
    own = sorted(filter(None, (columns.keys["own_date"][n] for n in selection.docnums)))
    dates = own or sorted(filter(None, (columns.keys["date"][n] for n in selection.docnums)))
    return AuthorProfile(
        name=columns.labels["author"].get(fold_author(name), name),
        comments=len(selection.docnums),
        article_count=selection.article_count,
        articles_written=len(written),
        first=date.fromisoformat(dates[0]) if dates else None,
        last=date.fromisoformat(dates[-1]) if dates else None,
        from_article_dates=bool(dates) and not own,
        articles=selection.facets["article"],
        timeline=timeline(dates),
        signs_as=[value for value in selection.facets["signed"] if value.count],
    )


@dataclass(frozen=True)
class SignatureProfile:
    """A name signed at the end of comments, and the handles that signed it."""

    name: str
    comments: int
    handles: list[FacetValue]

    def to_json(self) -> dict:
        return {
            "signature": self.name,
            "comments": self.comments,
            "handles": [{"author": h.value, "count": h.count} for h in self.handles],
        }


def signature_profile(engine: Engine, name: str) -> SignatureProfile | None:
    """Who signed comments with `name` (any case), or None when nobody did."""
    selection = select(engine, SearchRequest(signed=(name,), kinds=(COMMENT,)))
    if not selection.docnums:
        return None
    labels = selection.snapshot.facet_columns().labels["signed"]
    return SignatureProfile(
        name=labels.get(fold_author(name), name),
        comments=len(selection.docnums),
        handles=[value for value in selection.facets["author"] if value.count],
    )
