"""An author's page: how much they wrote, when, and under which articles."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from indexer.documents import ARTICLE, COMMENT, fold_author
from indexer.engines.base import Engine
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


def timeline_of(per_day: Mapping[str, int]) -> list[tuple[str, int]]:
    """Counts per month (or year) from counts per ISO day, empty periods included."""
    if not per_day:
        return []
    days = sorted(per_day)
    first, last = date.fromisoformat(days[0]), date.fromisoformat(days[-1])
    monthly = (last.year - first.year) * 12 + last.month - first.month < MONTHLY_SPAN
    counts: Counter = Counter()
    for day, count in per_day.items():
        counts[day[:7] if monthly else day[:4]] += count
    return [(period, counts.get(period, 0)) for period in periods(first, last, monthly)]


def author_profile(engine: Engine, name: str) -> AuthorProfile | None:
    """The profile of the author `name` (any case), or None when the archive has nothing by them.

    An article's byline counts in `articles_written`; everything else is about comments.
    """
    request = SearchRequest(authors=(name,), kinds=(COMMENT,))
    selection = select(engine, request, counted=("date", "own_date"))
    # The kind facet is counted without the kind filter: its articles are the bylines.
    written = selection.counts["kind"].get(ARTICLE, 0)
    if not selection.total and not written:
        return None
    own = selection.counts["own_date"]
    dates = own or selection.counts["date"]
    key = fold_author(name)
    return AuthorProfile(
        name=selection.snapshot.labels("author", [key]).get(key, name),
        comments=selection.total,
        article_count=selection.article_count,
        articles_written=written,
        first=date.fromisoformat(min(dates)) if dates else None,
        last=date.fromisoformat(max(dates)) if dates else None,
        from_article_dates=bool(dates) and not own,
        articles=selection.facets["article"],
        timeline=timeline_of(dates),
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
    if not selection.total:
        return None
    key = fold_author(name)
    return SignatureProfile(
        name=selection.snapshot.labels("signed", [key]).get(key, name),
        comments=selection.total,
        handles=[value for value in selection.facets["author"] if value.count],
    )
