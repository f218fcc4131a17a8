"""Conservative date parsing for the dates that archive files print as text.

A wrong date is worse than none: a made-up date files an article under the wrong
day and no search will find it where it belongs. So a text counts as a date only
when it is short, holds nothing but date words and numbers, and gives day, month
and a four-digit year explicitly, or, for "3 days ago", when the day it counts
back from is known.

Whether "04/03/2020" is the 4th of March or the 3rd of April is the page's
convention, not the text's: `dayfirst_for_language` turns the page's language into
that choice. `parse_date` reads English words and numbers with python-dateutil, which
is fast and strict. Saved pages also print comment dates in their own language
("10. října 2006 15:38", "vor 3 Tagen"), so `read_date` and `find_date` fall back to
`dateparser`, which knows the month names and relative phrases of many languages.
dateparser is slow and guesses readily (it reads "Sun" or "7" as a date), so it is
called only on short texts made of its date words, restricted to the page's language
plus English, with every part of the date required, and its answers are cached.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any, NamedTuple

from dateparser.data.languages_info import language_order as _DATEPARSER_LANGUAGES
from dateparser.date import DateDataParser
from dateparser.languages.loader import default_loader as _LOCALES
from dateutil import parser as _dateutil

from indexer.spacing import single_spaced

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
    line = single_spaced(text)
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


# Used when a page does not say its language: the languages of most archived pages.
# Trying every language dateparser knows would be slow and would let words of one
# language pass for date words of another.
COMMON_LANGUAGES = (
    "en", "de", "fr", "es", "it", "nl", "pt", "cs", "pl", "tr", "sv", "da", "nb", "fi"
)
MAX_TEXT_LENGTH = 60
MAX_HEADER_LENGTH = 200
MAX_READINGS_PER_HEADER = 12
_LANGUAGE_ALIASES = {"no": "nb", "iw": "he", "in": "id"}


@dataclass(frozen=True)
class DateContext:
    """How a page writes its dates: its language, and the day it was saved or published
    (for "3 days ago")."""

    language: str | None = None
    """A BCP 47 tag as pages give it ("de", "de-AT", "cs_CZ", "pt-BR"), or None."""
    relative_to: datetime | None = None
    """The naive date the page was saved or published; relative dates count back from it."""

    @property
    def dayfirst(self) -> bool:
        """Whether the page writes numeric dates day first (see `dayfirst_for_language`)."""
        return dayfirst_for_language(self.language)


def read_date(text: str, context: DateContext) -> datetime | None:
    """The date a short piece of text states, in the page's language or English, or None.

    Reads what `parse_date` reads, and also dates in words of the page's language
    ("18. Oktober 2019 um 15:05 Uhr", "12 de marzo de 2019 a las 10:14"). An absolute
    date needs day, month and a four-digit year; a time is kept when given. A relative
    date ("gestern", "vor 3 Tagen", "2 hours ago") is read only when
    `context.relative_to` is known and it counts in seconds to weeks: months or years
    back do not give a day. A time zone is dropped, not converted. A page of unknown
    language is read in `COMMON_LANGUAGES`.
    """
    line = _normalise(text)
    if not line or len(line) > MAX_TEXT_LENGTH:
        return None
    languages = _candidate_languages(context.language)
    return _read(line, languages, context.dayfirst, _naive(context.relative_to))


def find_date(text: str, context: DateContext) -> tuple[datetime, int, int] | None:
    """The date in a one-line header, with the start and end offsets of its text, or None.

    For headers such as "Ben 19. Juni 2018 um 15:28 Uhr - Antworten" or "Jeremy Banks
    says: January 20, 2020 at 11:27 am", so that a caller can cut the date out and keep
    the name. Candidate spans start at a number, a month or weekday name or a relative
    word, and end at a number or a word that ends dates ("Uhr", "pm", "ago"); the
    longest span that `read_date` reads wins. At most `MAX_READINGS_PER_HEADER` spans
    are read, so a long line of numbers costs no more than a short one.
    """
    if len(text) > MAX_HEADER_LENGTH:
        return None
    languages = _candidate_languages(context.language)
    vocabulary = _vocabulary(languages)
    base = _naive(context.relative_to)
    starts = vocabulary.starts if base is not None else vocabulary.absolute_starts
    tokens = [(m.start(), m.end(), m.group().lower()) for m in _SPAN_TOKEN.finditer(text)]
    first = [t for t in tokens if t[2].isdigit() or t[2] in starts]
    last = [t for t in tokens if t[2].isdigit() or t[2] in vocabulary.ends]
    windows = [
        (begin, end)
        for begin, _, _ in first
        for _, end, _ in last
        if begin < end and end - begin <= MAX_TEXT_LENGTH
    ]
    windows.sort(key=lambda window: (window[0] - window[1], window[0]))
    readings = 0
    for begin, end in windows:
        line = _normalise(text[begin:end])
        if _reading(line, vocabulary, base is not None) is None:
            continue
        date = _read(line, languages, context.dayfirst, base)
        if date is not None:
            return date, begin, end
        readings += 1
        if readings >= MAX_READINGS_PER_HEADER:
            break
    return None


_WORD = re.compile(r"[^\W\d_]+")
_SPAN_TOKEN = re.compile(r"\d+|[^\W\d_]+")
_DAY_NUMBER = re.compile(r"(?<!\d)\d{1,2}(?!\d)")
_CLOCK = re.compile(r"(?<!\d)\d{1,2}[:.h]\d{2}(?!\d)")
# "14 h 12", "14h12": French hours, which dateparser reads only without the spaces.
_FRENCH_CLOCK = re.compile(r"(?<!\d)(\d{1,2})\s?h\s?(\d{2})(?!\d)")
_EDGE_PUNCTUATION = " ()[]{}|,;:\u2013\u2014-\u00b7\u2022"
# Keys of dateparser's relative phrases that count back in units that still give a day.
_FINE_RELATIVE = re.compile(r"\d+ (?:second|minute|hour|day|week) ago")
_FINE_UNITS = ("second", "minute", "hour", "day", "week")
_COARSE_UNITS = ("month", "year")
_MONTH_KEYS = ("january", "february", "march", "april", "may", "june", "july", "august",
               "september", "october", "november", "december")
_WEEKDAY_KEYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Ordinal endings, clock letters and the joining words of `_TIME_CONNECTOR`, which not
# every language's data lists.
_EXTRA_WORDS = frozenset({"st", "nd", "rd", "th", "er", "h", "t", "z", "uhr", "um", "kl", "o"})
_END_WORDS = frozenset({"uhr", "h"})
# A fixed base for the absolute parser, so that its answers do not depend on the clock.
_ABSOLUTE_BASE = datetime(2000, 1, 1)


class _Vocabulary(NamedTuple):
    """The date words of one or more languages, for rejecting texts cheaply and for
    choosing which languages dateparser tries."""

    words: frozenset[str]
    months: frozenset[str]
    absolute_starts: frozenset[str]
    starts: frozenset[str]
    ends: frozenset[str]
    coarse: frozenset[str]
    relative: re.Pattern[str]
    members: tuple[tuple[str, _Vocabulary], ...] = ()


class _Reading(NamedTuple):
    """What a text could state ("absolute" or "relative"), and the languages it fits."""

    kind: str
    languages: tuple[str, ...]


def _normalise(text: str) -> str:
    line = single_spaced(text).strip(_EDGE_PUNCTUATION)
    return _FRENCH_CLOCK.sub(r"\1:\2", line)


def _naive(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.replace(tzinfo=None)


@lru_cache(maxsize=256)
def _candidate_languages(tag: str | None) -> tuple[str, ...]:
    """The languages to read a page's dates in: its own and English, which pages mix in.

    Without a language dateparser knows, `COMMON_LANGUAGES`: dateparser would otherwise
    try all of its 200 languages, which is slow and lets a word of some language pass
    for a date word ("Mart" is March in Turkish, "Di" Tuesday in German).
    """
    language = (tag or "").strip().lower().replace("_", "-").split("-")[0]
    language = _LANGUAGE_ALIASES.get(language, language)
    if language == "en":
        return ("en",)
    if language in _NO_LANGUAGE or language not in _DATEPARSER_LANGUAGES:
        return COMMON_LANGUAGES
    return (language, "en")


def _words(phrases: Iterable[str]) -> set[str]:
    return {word for phrase in phrases for word in _WORD.findall(phrase.lower())}


def _named(info: dict[str, Any], keys: tuple[str, ...]) -> set[str]:
    return {word for key in keys for word in _words(info.get(key, []))}


@lru_cache(maxsize=64)
def _language_vocabulary(language: str) -> _Vocabulary:
    info: dict[str, Any] = _LOCALES.get_locale(language).info
    words = set(_EXTRA_WORDS)
    for key, value in info.items():
        if isinstance(value, list) and key != "simplifications":
            words |= _words(value)
    for simplification in info.get("simplifications", []):
        words |= _words(simplification)
    relative_phrases = {phrase.lower() for phrase in info.get("ago", [])}
    for key, phrases in info.get("relative-type", {}).items():
        words |= _words(phrases)
        if _FINE_RELATIVE.fullmatch(key):
            relative_phrases |= {phrase.lower() for phrase in phrases}
    months = _named(info, _MONTH_KEYS)
    fine = _named(info, _FINE_UNITS)
    # Short unit abbreviations ("a" for French years, "an", "mo") are common words
    # elsewhere; dateparser's own reading of the unit catches those.
    coarse = {word for word in _named(info, _COARSE_UNITS) if len(word) > 2} - fine
    phrase_words = [found for phrase in relative_phrases if (found := _WORD.findall(phrase))]
    alternatives = sorted(relative_phrases, key=len, reverse=True)
    absolute_starts = frozenset(months | _named(info, _WEEKDAY_KEYS))
    return _Vocabulary(
        words=frozenset(words),
        months=frozenset(months),
        absolute_starts=absolute_starts,
        starts=absolute_starts | {found[0] for found in phrase_words},
        ends=frozenset(
            _named(info, ("am", "pm")) | _END_WORDS | fine | {found[-1] for found in phrase_words}
        ),
        coarse=frozenset(coarse),
        relative=re.compile(
            "|".join(rf"(?<!\w){re.escape(phrase)}(?!\w)" for phrase in alternatives) or "(?!)"
        ),
    )


@lru_cache(maxsize=64)
def _vocabulary(languages: tuple[str, ...]) -> _Vocabulary:
    members = tuple((language, _language_vocabulary(language)) for language in languages)
    parts = [vocabulary for _, vocabulary in members]
    return _Vocabulary(
        words=frozenset().union(*(part.words for part in parts)),
        months=frozenset().union(*(part.months for part in parts)),
        absolute_starts=frozenset().union(*(part.absolute_starts for part in parts)),
        starts=frozenset().union(*(part.starts for part in parts)),
        ends=frozenset().union(*(part.ends for part in parts)),
        coarse=frozenset().union(*(part.coarse for part in parts)),
        relative=re.compile("|".join(part.relative.pattern for part in parts)),
        members=members,
    )


def _reading(line: str, vocabulary: _Vocabulary, relative: bool) -> _Reading | None:
    """What `line` could state, or None: a cheap check on its words, so that dateparser
    sees only likely dates, and only in the languages whose words they are."""
    words = _WORD.findall(line)
    has_clock = bool(_CLOCK.search(line))
    lowered = [word.lower() for word in words if not (has_clock and _TZ_ABBREVIATION.match(word))]
    if not all(word in vocabulary.words for word in lowered):
        return None
    if _YEAR.search(line):
        month_names = [word for word in lowered if word in vocabulary.months]
        numeric = _DAY_MONTH_YEAR.search(line) or _YEAR_MONTH_DAY.search(line)
        if not (month_names or numeric) or not _DAY_NUMBER.search(line):
            return None
        fitting = tuple(
            language
            for language, part in vocabulary.members
            if all(word in part.words for word in lowered)
            and (not month_names or any(word in part.months for word in month_names))
        )
        return _Reading("absolute", fitting or tuple(lang for lang, _ in vocabulary.members))
    lowered_line = line.lower()
    if (
        relative
        and vocabulary.relative.search(lowered_line)
        and not any(word in vocabulary.coarse for word in lowered)
    ):
        fitting = tuple(
            language
            for language, part in vocabulary.members
            if all(word in part.words for word in lowered) and part.relative.search(lowered_line)
        )
        return _Reading("relative", fitting or tuple(lang for lang, _ in vocabulary.members))
    return None


@lru_cache(maxsize=8192)
def _read(
    line: str, languages: tuple[str, ...], dayfirst: bool, base: datetime | None
) -> datetime | None:
    date = parse_date(line, dayfirst)
    if date is not None:
        return date
    reading = _reading(line, _vocabulary(languages), base is not None)
    if reading is None:
        return None
    if reading.kind == "absolute":
        return _read_absolute(line, reading.languages, dayfirst)
    if base is not None:
        return _read_relative(line, reading.languages, base)
    return None


@lru_cache(maxsize=256)
def _parser(
    languages: tuple[str, ...], dayfirst: bool, base: datetime | None
) -> DateDataParser:
    """An absolute-date parser when `base` is None, else a relative-date parser."""
    settings: dict[str, object] = {
        "RETURN_AS_TIMEZONE_AWARE": False,
        "DATE_ORDER": "DMY" if dayfirst else "MDY",
        "RELATIVE_BASE": base or _ABSOLUTE_BASE,
    }
    if base is None:
        settings.update(PARSERS=["absolute-time"], REQUIRE_PARTS=["day", "month", "year"])
    else:
        settings.update(PARSERS=["relative-time"])
    return DateDataParser(languages=list(languages), use_given_order=True, settings=settings)


def _read_absolute(line: str, languages: tuple[str, ...], dayfirst: bool) -> datetime | None:
    data = _parser(languages, dayfirst, None).get_date_data(line)
    date = data.date_obj
    if date is None or not {"year", "month", "day"} <= set(data.parts):
        return None
    # dateparser reads two-digit years and numbers glued to words; the year has to
    # be written out.
    if date.year not in {int(year) for year in _YEAR.findall(line)}:
        return None
    return date.replace(tzinfo=None)


def _read_relative(line: str, languages: tuple[str, ...], base: datetime) -> datetime | None:
    data = _parser(languages, False, base).get_date_data(line)
    date = data.date_obj
    if date is None or data.period not in ("day", "week"):
        return None
    date = date.replace(tzinfo=None)
    if "time" not in data.parts:
        date = date.replace(hour=0, minute=0, second=0, microsecond=0)
    # "morgen", "in 3 days": not the date of anything already written.
    if date.date() > base.date():
        return None
    return date


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
