"""Conservative date parsing for the dates that archive files print as text.

A wrong date is worse than none: a made-up date files an article under the wrong
day and no search will find it where it belongs. So a text counts as a date only
when it is short, holds nothing but date words and numbers, and gives day, month
and a four-digit year explicitly.

Whether "04/03/2020" is the 4th of March or the 3rd of April is the page's
convention, not the text's: `dayfirst_for_language` turns the page's language into
that choice. python-dateutil does the parsing; `dateparser` would add many languages'
month names but is a heavy dependency, and the archives date things in English words
or in numbers.
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

# Words that join a date to its time in European pages: "12.07.2020 um 12:59 Uhr",
# "12/07/2020 à 12:59", "12-07-2020 alle 12:59", and themes' "Jul 12, 2020 @ 12:59".
_TIME_CONNECTOR = re.compile(
    r"(?<=\d)\s*,?\s+(?:um|à|alle|om|o|kl\.?|@)\s+(?=\d{1,2}[:.]\d{2}\b)", re.IGNORECASE
)
_HOURS_WORD = re.compile(r"(?<=\d)\s+uhr$", re.IGNORECASE)
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

# English-speaking regions that write the day first; every other language does too.
DAY_FIRST_ENGLISH_REGIONS = frozenset({"gb", "uk", "ie", "au", "nz", "in", "za"})
_LANGUAGE = re.compile(r"[a-z]{2,3}")
_NO_LANGUAGE = frozenset({"und", "mul", "mis", "zxx"})

# Two defaults that differ in every date field: a field the text leaves out
# comes out differently under each, which is how a missing day is caught.
_DEFAULTS = (datetime(1904, 1, 1), datetime(1908, 2, 2))


def parse_date(text: str, dayfirst: bool = False) -> datetime | None:
    """The date and time a short line states, or None when it states no full date.

    Accepts lines such as "March 8, 2012", "Thursday, 8 March 2012 10:32 AM",
    "September 12, 2018 at 4:47 pm", "2012-03-08", "12.07.2020 um 12:59" or
    "08/03/2012" (month first unless `dayfirst`, or unless the first number is over
    12), optionally led by a label such as "Posted on" or "Updated:". Returns a
    naive datetime; a time zone in the text is dropped, not converted.
    """
    line = " ".join(text.split())
    if not line or len(line) > MAX_DATE_LENGTH:
        return None
    line = _LABEL.sub("", line, count=1)
    line = _HOURS_WORD.sub("", _TIME_CONNECTOR.sub(" ", line, count=1))
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


def dayfirst_for_language(lang: str | None) -> bool:
    """Whether a page in language `lang` writes numeric dates day first.

    Every language but English does, and so does English outside North America
    ("en-GB", "en_AU", ...). Plain "en", "en-US" and an unknown or missing language
    read month first, the convention of most English-language archives.
    """
    language, *subtags = (lang or "").strip().lower().replace("_", "-").split("-")
    if not _LANGUAGE.fullmatch(language) or language in _NO_LANGUAGE:
        return False
    if language != "en":
        return True
    return any(subtag in DAY_FIRST_ENGLISH_REGIONS for subtag in subtags)


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
