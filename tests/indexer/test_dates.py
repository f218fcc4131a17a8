"""Tests for `parse_date`: real dates parse, and nothing else is turned into one."""

from __future__ import annotations

from datetime import datetime

import pytest

from indexer.dates import parse_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("March 8, 2012", datetime(2012, 3, 8)),
        ("8 March 2012", datetime(2012, 3, 8)),
        ("Mar. 8, 2012", datetime(2012, 3, 8)),
        ("8th of March 2012", datetime(2012, 3, 8)),
        ("Thursday, March 8, 2012", datetime(2012, 3, 8)),
        ("MARCH 8, 2012", datetime(2012, 3, 8)),
        ("2012-03-08", datetime(2012, 3, 8)),
        ("2012/3/8", datetime(2012, 3, 8)),
        ("03/08/2012", datetime(2012, 3, 8)),
        ("8.3.2012", datetime(2012, 8, 3)),
        ("  March\u00a08,  2012 ", datetime(2012, 3, 8)),
    ],
)
def test_parse_date_reads_written_dates(text: str, expected: datetime) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("March 8, 2012 10:32 AM", datetime(2012, 3, 8, 10, 32)),
        ("March 8, 2012 10:32 a.m.", datetime(2012, 3, 8, 10, 32)),
        ("March 8 2012 at 5pm", datetime(2012, 3, 8, 17, 0)),
        ("2012-03-08 14:05", datetime(2012, 3, 8, 14, 5)),
    ],
)
def test_parse_date_keeps_time_of_day(text: str, expected: datetime) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("March 8, 2012 10:32 AM EST", datetime(2012, 3, 8, 10, 32)),
        ("2012-03-08T10:00:00Z", datetime(2012, 3, 8, 10, 0)),
        ("2012-03-08T10:00:00+05:30", datetime(2012, 3, 8, 10, 0)),
    ],
)
def test_parse_date_drops_time_zone_without_converting(text: str, expected: datetime) -> None:
    parsed = parse_date(text)

    assert parsed == expected
    assert parsed is not None and parsed.tzinfo is None


@pytest.mark.parametrize(
    "text",
    [
        "Posted on March 8, 2012",
        "Updated: 2012-03-08",
        "Published March 8, 2012",
        "on 8 March 2012",
    ],
)
def test_parse_date_accepts_leading_label(text: str) -> None:
    assert parse_date(text) == datetime(2012, 3, 8)


def test_parse_date_reads_numeric_day_first_when_asked() -> None:
    assert parse_date("08/03/2012", dayfirst=True) == datetime(2012, 3, 8)
    assert parse_date("08/03/2012") == datetime(2012, 8, 3)


def test_parse_date_keeps_year_month_day_order_when_day_first() -> None:
    assert parse_date("2012-03-08", dayfirst=True) == datetime(2012, 3, 8)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "2012",
        "7",
        "8/3/12",
        "March 8",
        "March 2012",
        "2012-03",
        "8 3 2012",
        "hello world",
        "Harbour ferries return after winter",
        "Rex Minor",
        "Posted by Umairpk | Report as abusive",
        "I was there on March 8, 2012",
        "on March 8, 2012 and",
        "March 8, 2012.",
        "March 8, 2012 | Reuters",
        "Today is January 1, 2047 at 8:21:00AM",
        "February 30, 2012",
        "1999-31-12",
        "ON MARCH 8, 2012 AND",
    ],
)
def test_parse_date_returns_none_for_non_dates(text: str) -> None:
    assert parse_date(text) is None


def test_parse_date_returns_none_for_long_line() -> None:
    line = "Thursday, March 8, 2012 10:32:15 AM GMT  "
    assert parse_date(line.strip()) is not None
    assert parse_date(line.strip() + " (Reuters blog archive)") is None
