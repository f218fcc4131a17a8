"""Conservative date parsing for the dates that archive files print as text.

A wrong date is worse than none: a made-up date files an article under the wrong
day and no search will find it where it belongs. So a text counts as a date only
when it is short, holds nothing but date words and numbers, and gives day, month
and a four-digit year explicitly.
"""

from __future__ import annotations

import re
from datetime import datetime

from dateutil import parser as _dateutil

MAX_DATE_LENGTH = 40

_INFO = _dateutil.parserinfo()
_MONTHS = frozenset(name.lower() for names in _INFO.MONTHS for name in names)
_WEEKDAYS = frozenset(name.lower() for names in _INFO.WEEKDAYS for name in names)
# "and", "on" and "ad" are in dateutil's skip list; keeping them out stops
# "on March 8, 2012 and" (a line of wrapped prose) from passing for a date.
_OTHER_WORDS = frozenset({"am", "pm", "a", "p", "m", "at", "of", "st", "nd", "rd", "th", "t", "z"})
_ALLOWED_PUNCTUATION = frozenset(",./-:+()")

_LABEL = re.compile(
    r"^(?:(?:posted|published|updated|last\s+updated|dated?)(?:\s+on)?\s*:?|on)\s+",
    re.IGNORECASE,
)
_TOKEN = re.compile(r"[^\W\d_]+|\d+|[^\w\s]")
_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")
_TIME = re.compile(r"(?<!\d)\d{1,2}:\d{2}(?!\d)")
_DAY_MONTH_YEAR = re.compile(r"(?<!\d)\d{1,2}([/.-])\d{1,2}\1\d{4}(?!\d)")
_YEAR_MONTH_DAY = re.compile(r"(?<!\d)\d{4}([/.-])\d{1,2}\1\d{1,2}(?!\d)")
_TRAILING_PUNCTUATION = re.compile(r"[.,;:!?]$")
_MERIDIEM_END = re.compile(r"\b[ap]\.m\.$", re.IGNORECASE)
_TZ_ABBREVIATION = re.compile(r"^[A-Z]{2,5}$")

# Two defaults that differ in every date field: a field the text leaves out
# comes out differently under each, which is how a missing day is caught.
_DEFAULTS = (datetime(1904, 1, 1), datetime(1908, 2, 2))


def parse_date(text: str, dayfirst: bool = False) -> datetime | None:
    """The date and time a short line states, or None when it states no full date.

    Accepts lines such as "March 8, 2012", "Thursday, 8 March 2012 10:32 AM",
    "2012-03-08" or "08/03/2012" (month first unless `dayfirst`), optionally led by
    a label such as "Posted on" or "Updated:". Returns a naive datetime; a time zone
    in the text is dropped, not converted.
    """
    line = " ".join(text.split())
    if not line or len(line) > MAX_DATE_LENGTH:
        return None
    line = _LABEL.sub("", line, count=1)
    if not _only_date_tokens(line) or _ends_like_a_sentence(line):
        return None
    years = {int(year) for year in _YEAR.findall(line)}
    if not years:
        return None
    year_first = bool(_YEAR_MONTH_DAY.search(line))
    has_month_name = any(token.lower() in _MONTHS for token in _TOKEN.findall(line))
    if not (has_month_name or year_first or _DAY_MONTH_YEAR.search(line)):
        return None
    first, second = (
        _parse(line, default, dayfirst and not year_first, year_first) for default in _DEFAULTS
    )
    if first is None or first != second or first.year not in years:
        return None
    return first


def _parse(line: str, default: datetime, dayfirst: bool, yearfirst: bool) -> datetime | None:
    try:
        return _dateutil.parse(
            line, default=default, dayfirst=dayfirst, yearfirst=yearfirst, ignoretz=True
        )
    except (ValueError, OverflowError):
        return None


def _only_date_tokens(line: str) -> bool:
    has_time = bool(_TIME.search(line))
    for token in _TOKEN.findall(line):
        if token.isdigit():
            continue
        if not token.isalpha():
            if token not in _ALLOWED_PUNCTUATION:
                return False
            continue
        word = token.lower()
        if word in _MONTHS or word in _WEEKDAYS or word in _OTHER_WORDS:
            continue
        if has_time and _TZ_ABBREVIATION.match(token):
            continue
        return False
    return True


def _ends_like_a_sentence(line: str) -> bool:
    return bool(_TRAILING_PUNCTUATION.search(line)) and not _MERIDIEM_END.search(line)
