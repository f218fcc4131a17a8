"""Tests for `parse_date` and `dayfirst_for_language`: real dates parse, in the page's
day/month order, and nothing else is turned into one."""

from __future__ import annotations

from datetime import datetime

import pytest

from indexer.dates import dayfirst_for_language, parse_date


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


@pytest.mark.parametrize(
    ("text", "dayfirst", "expected"),
    [
        ("September 12, 2018 at 4:47 pm", False, datetime(2018, 9, 12, 16, 47)),
        ("12 July 2020", False, datetime(2020, 7, 12)),
        ("12.07.2020 12:59", True, datetime(2020, 7, 12, 12, 59)),
        ("03.04.2020", True, datetime(2020, 4, 3)),
        ("12.07.2020, 12:59", True, datetime(2020, 7, 12, 12, 59)),
        ("2020-04-14T10:00:00+02:00", True, datetime(2020, 4, 14, 10, 0)),
    ],
)
def test_parse_date_reads_comment_timestamps(text: str, dayfirst: bool, expected: datetime) -> None:
    assert parse_date(text, dayfirst=dayfirst) == expected


@pytest.mark.parametrize(
    "text",
    [
        "12.07.2020 um 12:59",
        "12.07.2020 um 12:59 Uhr",
        "12/07/2020 à 12:59",
        "12-07-2020 alle 12:59",
        "12.07.2020 o 12:59",
    ],
)
def test_parse_date_reads_european_word_before_time(text: str) -> None:
    assert parse_date(text, dayfirst=True) == datetime(2020, 7, 12, 12, 59)


def test_parse_date_reads_at_sign_before_time() -> None:
    assert parse_date("Jul 12, 2020 @ 12:59") == datetime(2020, 7, 12, 12, 59)


@pytest.mark.parametrize(
    ("text", "dayfirst"),
    [("14/04/2020", False), ("14/04/2020", True), ("04/14/2020", True), ("14.04.2020", False)],
)
def test_parse_date_reads_day_over_twelve_in_either_order(text: str, dayfirst: bool) -> None:
    assert parse_date(text, dayfirst=dayfirst) == datetime(2020, 4, 14)


@pytest.mark.parametrize(
    "text",
    ["comment_date", "post_date", "a while ago", "2019-13-45T99:99:99", "um 12:59", "12:59 Uhr"],
)
def test_parse_date_returns_none_for_theme_placeholders(text: str) -> None:
    assert parse_date(text) is None


@pytest.mark.parametrize(
    ("lang", "dayfirst"),
    [
        (None, False),
        ("", False),
        ("en", False),
        ("en-US", False),
        ("en_us", False),
        ("en-CA", False),
        ("en-GB", True),
        ("en_GB", True),
        ("en-IE", True),
        ("en-AU", True),
        ("en-NZ", True),
        ("en-IN", True),
        ("en-ZA", True),
        ("en-Latn-GB", True),
        ("de", True),
        ("de-DE", True),
        ("pl_PL", True),
        ("FR", True),
        ("und", False),
        ("english", False),
        ("x-default", False),
    ],
)
def test_dayfirst_for_language_follows_regional_usage(lang: str | None, dayfirst: bool) -> None:
    assert dayfirst_for_language(lang) is dayfirst
