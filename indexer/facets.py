"""Facets: each document's keys, and small classes that turn counts of them into values.

The engines count (each facet over the documents passing every filter except its
own, so chosen values keep their counts and the others stay addable); the classes
here order, label and cut the counts the same way whichever engine counted them.

A comment posted more than once, word for word or nearly, has copies: each copy
carries the same `copy_group` (`Document.copy_group`), and inside the code the
group is always called so, while the facet and filter of comments that have copies
are called `copies`. Readers use other words, which stay as they are: the `copies`
facet, whose one value is `copied` (COPIED), chosen on the site with `copied=1`;
the `copies:` query field, which takes a copy group; and the `copy_group` JSON key.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass, field

from indexer.documents import Document, fold_author

FACET_LIMIT = 100
ALL_VALUES = 1_000_000  # a limit that keeps every value
COPIED = "copied"


# The facets every document has a key in, as `facet_keys` gives them: what engines keep.
FACET_KEYS = (
    "kind",
    "author",
    "article",
    "year",
    "month",
    "date",
    "own_date",
    "signed",
    "copies",
    "site",
)


def facet_keys(doc: Document) -> dict[str, str]:
    """The document's key in each of FACET_KEYS, '' where it has none: what engines count."""
    effective = doc.effective_date.date().isoformat() if doc.effective_date else ""
    return {
        "kind": doc.kind,
        "author": fold_author(doc.author),
        "article": doc.article_id,
        "year": effective[:4],
        "month": effective[:7],
        "date": effective,
        "own_date": doc.date.date().isoformat() if doc.date else "",
        "signed": fold_author(doc.signed[0]) if doc.signed else "",
        "copies": COPIED if doc.copy_group else "",
        "site": doc.site,
    }


@dataclass(frozen=True)
class FacetValue:
    """One value of a facet: `value` is what a filter takes, `label` what a reader sees."""

    value: str
    count: int
    label: str
    selected: bool = False

    def to_json(self) -> dict:
        return {
            "value": self.value,
            "count": self.count,
            "label": self.label,
            "selected": self.selected,
        }


@dataclass(frozen=True)
class Facet:
    """A facet counted by frequency, most common first."""

    name: str
    limit_by_count: bool = True  # False: every value is kept, in key order, up to the limit
    fixed_labels: Mapping[str, str] | None = field(default=None, compare=False)
    labelled: bool = False  # the engine knows labels for its keys

    def key(self, value: str) -> str:
        """The key a filter value selects."""
        return value

    def label(self, key: str, labels: Mapping[str, str]) -> str:
        return labels.get(key, key)

    def order(self, counts: Mapping[str, int], labels: Mapping[str, str]) -> list[str]:
        return sorted(counts, key=lambda k: (-counts[k], self.label(k, labels).casefold()))

    def values(
        self,
        counts: Mapping[str, int],
        selected: frozenset[str] | set[str],
        labels: Mapping[str, str],
        limit: int,
    ) -> list[FacetValue]:
        """Counted values in facet order, the chosen ones kept even past the limit."""
        keys = [k for k in self.order(counts, labels) if k][:limit]
        keys += [k for k in sorted(selected) if k not in keys]
        return [
            FacetValue(
                value=self.display_value(k, labels),
                count=counts.get(k, 0),
                label=self.label(k, labels),
                selected=k in selected,
            )
            for k in keys
        ]

    def display_value(self, key: str, labels: Mapping[str, str]) -> str:
        """The value a filter link carries."""
        return key


class AuthorFacet(Facet):
    """Groups by the folded name; shows and filters by the name as posted."""

    def key(self, value: str) -> str:
        return fold_author(value)

    def display_value(self, key: str, labels: Mapping[str, str]) -> str:
        return labels.get(key, key)


class YearFacet(Facet):
    """Years in date order, like a histogram."""

    def order(self, counts: Mapping[str, int], labels: Mapping[str, str]) -> list[str]:
        return sorted(counts)


class MonthFacet(YearFacet):
    """Months in date order, labelled "March 2012": the drill-down under a chosen year."""

    def label(self, key: str, labels: Mapping[str, str]) -> str:
        year, month = key.split("-")
        return f"{calendar.month_name[int(month)]} {year}"


FACETS: tuple[Facet, ...] = (
    Facet("kind"),
    Facet("site"),
    AuthorFacet("author", labelled=True),
    Facet("article", labelled=True),
    YearFacet("year", limit_by_count=False),
    MonthFacet("month", limit_by_count=False),
    AuthorFacet("signed", labelled=True),
    Facet("copies", fixed_labels={COPIED: "posted more than once"}),
)
BY_NAME = {facet.name: facet for facet in FACETS}
