"""Tests for `parse_date`, `read_date`, `find_date` and `dayfirst_for_language`: real
dates parse, in the page's language and day/month order, and nothing else is turned
into one."""

from __future__ import annotations

from datetime import datetime

import pytest

from indexer import dates
from indexer.dates import (
    DateContext,
    dayfirst_for_language,
    find_date,
    parse_date,
    read_date,
)

SAVED = datetime(2020, 6, 15, 12, 30)


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


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("cs", "10. října 2006 15:38", datetime(2006, 10, 10, 15, 38)),
        ("cs", "10. října 2006 v 15:38", datetime(2006, 10, 10, 15, 38)),
        ("pl", "5 października 2020 o 12:00", datetime(2020, 10, 5, 12, 0)),
        ("de", "18. Oktober 2019 um 15:05 Uhr", datetime(2019, 10, 18, 15, 5)),
        ("de", "19. Juni 2018 um 15:28 Uhr", datetime(2018, 6, 19, 15, 28)),
        ("de", "Di 5. Mär 2019, 10:14", datetime(2019, 3, 5, 10, 14)),
        ("fr", "le 3 mars 2015 à 14 h 12", datetime(2015, 3, 3, 14, 12)),
        ("fr", "3 mars 2015, 14:12", datetime(2015, 3, 3, 14, 12)),
        ("es", "12 de marzo de 2019 a las 10:14", datetime(2019, 3, 12, 10, 14)),
        ("it", "14 dicembre 2017 alle 12:03", datetime(2017, 12, 14, 12, 3)),
        ("nl", "5 maart 2020 om 12:00", datetime(2020, 3, 5, 12, 0)),
        ("pt", "12 de março de 2018 às 10:00", datetime(2018, 3, 12, 10, 0)),
        ("tr", "3 Mart 2019 14:00", datetime(2019, 3, 3, 14, 0)),
    ],
)
def test_read_date_reads_page_language(language: str, text: str, expected: datetime) -> None:
    assert read_date(text, DateContext(language)) == expected


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("de-AT", "5. Jänner 2019", datetime(2019, 1, 5)),
        ("cs_CZ", "10. října 2006 15:38", datetime(2006, 10, 10, 15, 38)),
        ("pt-BR", "12 de março de 2018 às 10:00", datetime(2018, 3, 12, 10, 0)),
        ("no", "5. mars 2019", datetime(2019, 3, 5)),
    ],
)
def test_read_date_reads_language_tag_with_region(
    language: str, text: str, expected: datetime
) -> None:
    assert read_date(text, DateContext(language)) == expected


@pytest.mark.parametrize("language", ["de", "fr", "cs", "pl", "tr"])
def test_read_date_reads_english_on_any_page(language: str) -> None:
    context = DateContext(language)

    assert read_date("Posted on March 8, 2012 10:32 AM", context) == datetime(2012, 3, 8, 10, 32)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("18. Oktober 2019", datetime(2019, 10, 18)),
        ("10. října 2006 15:38", datetime(2006, 10, 10, 15, 38)),
        ("3 Mart 2019 14:00", datetime(2019, 3, 3, 14, 0)),
        ("12 de marzo de 2019", datetime(2019, 3, 12)),
    ],
)
def test_read_date_reads_common_languages_when_language_unknown(
    text: str, expected: datetime
) -> None:
    assert read_date(text, DateContext()) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("de", datetime(2020, 3, 4)),
        ("en-GB", datetime(2020, 3, 4)),
        ("en", datetime(2020, 4, 3)),
        (None, datetime(2020, 4, 3)),
    ],
)
def test_read_date_reads_numeric_date_in_page_order(
    language: str | None, expected: datetime
) -> None:
    assert read_date("04.03.2020", DateContext(language)) == expected


def test_read_date_reads_numeric_date_with_time_in_page_order() -> None:
    assert read_date("03/05/2019 - 10:14", DateContext("de")) == datetime(2019, 5, 3, 10, 14)


@pytest.mark.parametrize(
    "text",
    ["18. Oktober 2019 15:05 CEST", "18. Oktober 2019 15:05 +0200", "2019-10-18T15:05:00Z"],
)
def test_read_date_drops_time_zone_without_converting(text: str) -> None:
    date = read_date(text, DateContext("de"))

    assert date == datetime(2019, 10, 18, 15, 5)
    assert date is not None and date.tzinfo is None


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("de", "vor 3 Tagen", datetime(2020, 6, 12)),
        ("en", "3 days ago", datetime(2020, 6, 12)),
        ("fr", "il y a 2 heures", datetime(2020, 6, 15, 10, 30)),
        ("es", "hace 5 días", datetime(2020, 6, 10)),
        ("cs", "před 3 dny", datetime(2020, 6, 12)),
        ("de", "gestern", datetime(2020, 6, 14)),
        ("en", "yesterday", datetime(2020, 6, 14)),
        ("en", "2 hours ago", datetime(2020, 6, 15, 10, 30)),
        ("en", "an hour ago", datetime(2020, 6, 15, 11, 30)),
        ("de", "vor 2 Wochen", datetime(2020, 6, 1)),
        ("it", "5 minuti fa", datetime(2020, 6, 15, 12, 25)),
        (None, "vor 3 Tagen", datetime(2020, 6, 12)),
    ],
)
def test_read_date_reads_relative_date_from_relative_to(
    language: str | None, text: str, expected: datetime
) -> None:
    assert read_date(text, DateContext(language, relative_to=SAVED)) == expected


def test_read_date_keeps_time_stated_with_relative_day() -> None:
    context = DateContext("de", relative_to=SAVED)

    assert read_date("gestern um 15:30", context) == datetime(2020, 6, 14, 15, 30)


@pytest.mark.parametrize(
    ("language", "text"),
    [("de", "vor 3 Tagen"), ("en", "3 days ago"), ("de", "gestern"), ("en", "yesterday")],
)
def test_read_date_returns_none_for_relative_date_without_relative_to(
    language: str, text: str
) -> None:
    assert read_date(text, DateContext(language)) is None


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("de", "vor 2 Monaten"),
        ("de", "vor 3 Jahren"),
        ("en", "3 years ago"),
        ("en", "a month ago"),
        ("en", "last month"),
        ("en", "1 month 2 days ago"),
        ("fr", "il y a 2 ans"),
        ("es", "hace 3 meses"),
        ("tr", "2 ay önce"),
    ],
)
def test_read_date_returns_none_for_months_or_years_back(language: str, text: str) -> None:
    assert read_date(text, DateContext(language, relative_to=SAVED)) is None


@pytest.mark.parametrize(
    ("language", "text"),
    [("en", "tomorrow"), ("en", "in 3 days"), ("de", "morgen"), ("de", "in 2 Wochen")],
)
def test_read_date_returns_none_for_future_relative_date(language: str, text: str) -> None:
    assert read_date(text, DateContext(language, relative_to=SAVED)) is None


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", ""),
        ("en", "Reply"),
        ("en", "Posted by Joe"),
        ("en", "Joe Bloggs"),
        ("en", "12:30"),
        ("de", "15:05 Uhr"),
        ("en", "March 2015"),
        ("de", "Oktober 2019"),
        ("en", "7"),
        ("en", "2015"),
        ("en", "A1"),
        ("en", "Sun"),
        ("en", "3 - 2"),
        ("en", "12.07.20"),
        ("de", "18. Oktober"),
        ("de", "Antworten"),
        ("fr", "Répondre"),
        ("en", "12 comments"),
        ("en", "Page 2 of 14"),
        ("en", "I was there on 3 March 2015 and it rained."),
        ("de", "Ich war am 18. Oktober 2019 dort und es regnete."),
        ("en", "Posted by Joe 3 March 2015"),
        ("de", "31. Februar 2019"),
        ("en", "1h"),
        (None, "asdf qwer 2019"),
    ],
)
def test_read_date_returns_none_for_non_dates(language: str | None, text: str) -> None:
    assert read_date(text, DateContext(language, relative_to=SAVED)) is None


def test_read_date_returns_none_for_long_text() -> None:
    text = "Dienstag, 18. Oktober 2019 um 15:05 Uhr"

    assert read_date(text, DateContext("de")) is not None
    assert read_date(text + " " * 3 + "x" * 40, DateContext("de")) is None


@pytest.mark.parametrize(
    ("language", "expected"), [("de", True), ("en", False), ("en-GB", True), (None, False)]
)
def test_date_context_dayfirst_follows_language(language: str | None, expected: bool) -> None:
    assert DateContext(language).dayfirst is expected


@pytest.mark.parametrize(
    ("language", "header", "date_text", "expected"),
    [
        (
            "de",
            "Ben 19. Juni 2018 um 15:28 Uhr - Antworten",
            "19. Juni 2018 um 15:28 Uhr",
            datetime(2018, 6, 19, 15, 28),
        ),
        (
            "en",
            "Jeremy Banks says: January 20, 2020 at 11:27 am",
            "January 20, 2020 at 11:27 am",
            datetime(2020, 1, 20, 11, 27),
        ),
        (
            "en",
            "Milan Griffes on September 12, 2018 at 4:47 pm",
            "September 12, 2018 at 4:47 pm",
            datetime(2018, 9, 12, 16, 47),
        ),
        (
            "en",
            "by NAME » Tue Mar 05, 2019 10:14 am",
            "Tue Mar 05, 2019 10:14 am",
            datetime(2019, 3, 5, 10, 14),
        ),
        (
            "fr",
            "3 mars 2015, 14:12, par Jean",
            "3 mars 2015, 14:12",
            datetime(2015, 3, 3, 14, 12),
        ),
        (
            "en",
            "Submitted by jo on Tue, 03/05/2019 - 10:14",
            "Tue, 03/05/2019 - 10:14",
            datetime(2019, 3, 5, 10, 14),
        ),
        (
            "cs",
            "Pavel (10. října 2006 15:38)",
            "10. října 2006 15:38",
            datetime(2006, 10, 10, 15, 38),
        ),
        (
            None,
            "Ben 19. Juni 2018 um 15:28 Uhr - Antworten",
            "19. Juni 2018 um 15:28 Uhr",
            datetime(2018, 6, 19, 15, 28),
        ),
        (
            "nl",
            "Reageer op Jan, 5 maart 2020 om 12:00",
            "5 maart 2020 om 12:00",
            datetime(2020, 3, 5, 12, 0),
        ),
    ],
)
def test_find_date_returns_date_and_offsets(
    language: str | None, header: str, date_text: str, expected: datetime
) -> None:
    found = find_date(header, DateContext(language))

    assert found is not None
    date, start, end = found
    assert date == expected
    assert header[start:end] == date_text


def test_find_date_prefers_longest_date() -> None:
    header = "Jean 3 mars 2015 à 14 h 12"

    found = find_date(header, DateContext("fr"))

    assert found == (datetime(2015, 3, 3, 14, 12), 5, len(header))


@pytest.mark.parametrize(
    ("language", "header", "date_text", "expected"),
    [
        ("de", "Ben vor 3 Tagen - Antworten", "vor 3 Tagen", datetime(2020, 6, 12)),
        ("es", "Responder a María hace 5 días", "hace 5 días", datetime(2020, 6, 10)),
        ("en", "Sam · 2 hours ago · Reply", "2 hours ago", datetime(2020, 6, 15, 10, 30)),
    ],
)
def test_find_date_reads_relative_date_from_relative_to(
    language: str, header: str, date_text: str, expected: datetime
) -> None:
    found = find_date(header, DateContext(language, relative_to=SAVED))

    assert found is not None
    assert found[0] == expected
    assert header[found[1] : found[2]] == date_text


def test_find_date_returns_none_for_relative_date_without_relative_to() -> None:
    assert find_date("Ben vor 3 Tagen - Antworten", DateContext("de")) is None


@pytest.mark.parametrize(
    ("language", "header"),
    [
        ("en", "Posted by Joe | Reply"),
        ("en", "Anonymous 12 points 3 replies"),
        ("en", "Top Stories 2019: the year in review"),
        ("de", "Mitglied seit 2009 | 1234 Beiträge"),
        ("de", "Ben 19. Juni um 15:28 Uhr - Antworten"),
        ("en", "Joe 10:14 am"),
        ("en", ""),
    ],
)
def test_find_date_returns_none_without_date(language: str, header: str) -> None:
    assert find_date(header, DateContext(language, relative_to=SAVED)) is None


def test_find_date_returns_none_for_long_text() -> None:
    header = "Ben 19. Juni 2018 um 15:28 Uhr - Antworten"

    assert find_date(header, DateContext("de")) is not None
    assert find_date(header + " " + "x" * 200, DateContext("de")) is None


def test_find_date_bounds_dateparser_calls(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    read_absolute = dates._read_absolute

    def counting(line: str, languages: tuple[str, ...], dayfirst: bool) -> datetime | None:
        calls.append(line)
        return read_absolute(line, languages, dayfirst)

    monkeypatch.setattr(dates, "_read_absolute", counting)
    header = " ".join(f"{day}. Februar {year}" for year in (2019, 2021, 2022) for day in (30, 31))

    assert len(header) <= dates.MAX_HEADER_LENGTH
    assert find_date(header, DateContext("de")) is None
    assert 0 < len(calls) <= dates.MAX_READINGS_PER_HEADER
