"""Facets: small classes that turn per-document keys into counted values.

Each facet's counts are taken over the documents that pass every filter except
its own, so chosen values keep their counts and the others stay addable.
"""

from __future__ import annotations

import calendar
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from indexer.documents import fold_author
from indexer.engine import FacetColumns

FACET_LIMIT = 100


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

    def key(self, value: str) -> str:
        """The key a filter value selects."""
        return value

    def label(self, key: str, labels: Mapping[str, str]) -> str:
        return labels.get(key, key)

    def order(self, counts: Counter, labels: Mapping[str, str]) -> list[str]:
        return sorted(counts, key=lambda k: (-counts[k], self.label(k, labels).casefold()))

    def values(
        self, counts: Counter, selected: set[str], labels: Mapping[str, str], limit: int
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

    def order(self, counts: Counter, labels: Mapping[str, str]) -> list[str]:
        return sorted(counts)


class MonthFacet(YearFacet):
    """Months in date order, labelled "March 2012": the drill-down under a chosen year."""

    def label(self, key: str, labels: Mapping[str, str]) -> str:
        year, month = key.split("-")
        return f"{calendar.month_name[int(month)]} {year}"


FACETS: tuple[Facet, ...] = (
    Facet("kind"),
    AuthorFacet("author"),
    Facet("article"),
    YearFacet("year"),
    MonthFacet("month"),
    AuthorFacet("signed"),
    Facet("copies"),
)


def facet_counts(
    columns: FacetColumns,
    docnums: Iterable[int],
    selected: Mapping[str, Sequence[str]],
    limit: int = FACET_LIMIT,
) -> tuple[set[int], dict[str, list[FacetValue]]]:
    """Apply the chosen filters and count every facet.

    :param docnums: the documents matching the query.
    :param selected: facet name to the values chosen for it (values OR together).
    :return: the documents passing every filter, and each facet's values.
    """
    chosen = {facet.name: {facet.key(v) for v in selected.get(facet.name, ())} for facet in FACETS}
    active = [
        (facet.name, columns.keys[facet.name], chosen[facet.name])
        for facet in FACETS
        if chosen[facet.name]
    ]
    counts = {facet.name: Counter() for facet in FACETS}
    passing: set[int] = set()
    for docnum in docnums:
        failed = [name for name, keys, wanted in active if keys[docnum] not in wanted]
        if len(failed) > 1:
            continue
        if not failed:
            passing.add(docnum)
            for facet in FACETS:
                counts[facet.name][columns.keys[facet.name][docnum]] += 1
        else:
            name = failed[0]
            counts[name][columns.keys[name][docnum]] += 1
    return passing, {
        facet.name: facet.values(
            counts[facet.name], chosen[facet.name], columns.labels.get(facet.name, {}), limit
        )
        for facet in FACETS
    }
