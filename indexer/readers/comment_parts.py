"""The parts of a comment as pages print them, turned into clean `Comment` records.

Whatever markup a comment came from, its author line is read the same way: the
name alone, without the date printed beside it, "says:", a "Reply" link, an
"Author" badge or trailing punctuation, in the languages pages are written in.
Replies are linked from the markup's nesting or its in-reply-to links first, then
from an "@NAME" that opens a reply, or a "[3]" back-reference on numbered threads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import chain, islice

from bs4.element import Tag

from indexer.dates import DateContext, find_date, read_date
from indexer.readers.dom import (
    MAX_CANDIDATES,
    attr,
    class_and_id,
    clean,
    first_descendants,
    is_visible_string,
    ranked,
    redact,
)
from indexer.readers.markup import html_to_text
from indexer.records import Comment

MAX_AUTHOR_LENGTH = 80
MAX_AUTHOR_NODES = 60
MAX_MENTION_LENGTH = 60
MAX_TIME_LINE = 120
# Unix times before this are no comment dates (1995); after it, until 2100.
EPOCH_RANGE = (788_918_400, 4_102_444_800)

# Parts of an author line that are no part of the name, by their class.
_NOT_NAME_CLASS = re.compile(
    r"badge|label|role|says|date|time|meta|reply|edit|permalink|link-|rank|karma|points|"
    r"avatar|votes|flair|tag\b|status|screen-reader|sr-only|hidden|visually-hidden|rolle|rang"
)
SAYING = (
    r"says|said|wrote|writes|replied|sagt|schreibt|schrieb|meint|meinte|dit|a\s+écrit|écrit|"
    r"dice|dijo|escribió|escribe|comentó|napsal[a]?|píše|napisał[a]?|pisze|scrive|ha\s+scritto|"
    r"zegt|schreef|schrijft|zei|disse|escreveu|diz|comentou|yazdı|der"
)
_LABELS = (
    r"reply|antworten|antwort|répondre|responder|responde|rispondi|odpovědět|odpovědet|"
    r"odpověď|beantwoorden|reageer|reageren|odpowiedz|responder|yanıtla|cevapla|permalink|"
    r"permalien|enlace\s+permanente|edit|bearbeiten|modifier|editar|upravit|modifica|"
    r"report|melden|signaler|denunciar|nahlásit|segnala|quote|zitieren|citer|citar|citovat|"
    r"like|gefällt\s+mir|share|teilen|partager|compartir|sdílet|condividi|delen|udostępnij"
)
_BADGES = (
    r"post\s+author|author|autor|autorin|autor\s+článku|auteur|autore|auteur\s+de\s+l'article|"
    r"moderator|mod|admin|administrator|redaktion|redakce|editor|staff|team|verified|"
    r"verifiziert|op"
)
_LEAD = re.compile(
    r"^(?:(?:submitted|posted|written|comment(?:ed)?)\s+by|by|von|par|por|od|di|door|przez|"
    r"(?:geschrieben|verfasst|gepostet|eingestellt)\s+von|kommentar\s+von|"
    r"(?:scritto|inviato|pubblicato|postato)\s+da|(?:publié|posté|écrit)\s+par|"
    r"commentaire\s+de|(?:escrito|enviado|publicado|postado)\s+por|(?:napsal|vložil)[a]?|"
    r"(?:napisane|dodane)\s+przez|(?:geplaatst|geschreven|gepost)\s+door|gönderen|yazan|"
    r"comment\s+from)\s*:?\s+",
    re.IGNORECASE,
)
# What pages print for a commenter who gave no name, in their languages.
_NO_NAME = re.compile(
    r"^(?:anonymous|anonym|anonyme?|anónimo|anonimo|anônimo|anonimowy|anonymní|anoniem|anonim|"
    r"anonymt|nimetön)$",
    re.IGNORECASE,
)
_TAIL = re.compile(
    rf"(?:\s*[,:;|\-\u2013\u2014\u00bb\u2022\u00b7]?\s*\b(?:{SAYING}|{_LABELS}|{_BADGES})\b\s*[:.!\u2026]*)+$",
    re.IGNORECASE,
)
_DATE_JOINER = re.compile(
    r"\s*(?:\b(?:on|am|le|el|il|op|dne|w|em|de|the)\b|[,|(\u2013\u2014\-\u00bb@\u2022\u00b7])?\s*$",
    re.IGNORECASE,
)
_EDGE_PUNCTUATION = re.compile(
    r"^[\s,:;|\-\u2013\u2014\u00bb\u2022\u00b7#(]+|[\s,:;|\-\u2013\u2014\u00bb\u2022\u00b7(]+$"
)
_BRACKETED_TAIL = re.compile(
    rf"\s*[\[(](?:not\s+verified|nicht\s+überprüft|non\s+vérifié|neověřeno|no\s+verificado|"
    rf"non\s+verificato|niet\s+geverifieerd|niezweryfikowany|verein|{_BADGES})[\])]\s*$",
    re.IGNORECASE,
)
_LEADING_NUMBER = re.compile(r"^#?\d{1,5}[.):]?\s+(?=\D)")
_ADDRESS = re.compile(r"[<(\[]?\s*(?:mailto:)?[\w.+-]+@[\w-]+(?:\.[\w-]+)+\s*[>)\]]?")
_MAILTO = re.compile(r"[,;]?\s*\(?mailto:\S*\)?", re.IGNORECASE)
_NUMBER_SUFFIX = re.compile(r"(\d+)$")
_BACK_REFERENCE = re.compile(r"(?<![\w\[])\[(\d{1,4})\](?!\()")
_MENTION = re.compile(r"^\s*@\s?")
_FIRST_WORD = re.compile(r"[^\W_][\w.'-]*[^\W_]|[^\W_]")
_SAYS_OPENING = re.compile(rf"^\s*(?:{SAYING})\s*:\s*", re.IGNORECASE)
_DATE_SEPARATORS = re.compile(r"\s*[|\u2022\u00b7]\s*")
_DATE_ATTRIBUTES = ("datetime", "content", "title", "data-datetime", "data-date", "aria-label")
_EPOCH_ATTRIBUTES = ("data-utime", "data-time", "data-timestamp", "data-created")
_DATED_PARTS = "time, [datetime], [title], [data-utime], [data-time], [data-timestamp], [content]"
# JavaScript's Date.toString(): "Mon Nov 02 2020 16:45:00 GMT+0000 (Coordinated Universal Time)".
_JS_DATE_TAIL = re.compile(r"\s*(?:GMT|UTC)?[+-]\d{4}\s*(?:\([^)]*\))?\s*$|\s*\([^)]*\)\s*$")
_DELETED = re.compile(
    r"^\W*(?:\[(?:deleted|removed|gelöscht|supprimé|eliminado|smazáno)\]|"
    r"(?:this|the)\s+comment\s+(?:was|has\s+been)\s+(?:deleted|removed)"
    r"(?:\s+by\s+(?:the\s+)?(?:author|blog\s+administrator|a\s+moderator|moderator))?|"
    r"comment\s+deleted|"
    r"dieser\s+kommentar\s+wurde\s+gelöscht|kommentar\s+gelöscht|"
    r"ce\s+commentaire\s+a\s+été\s+supprimé|commentaire\s+supprimé|"
    r"este\s+comentario\s+(?:ha\s+sido|fue)\s+eliminado|comentario\s+eliminado|"
    r"commento\s+eliminato|questo\s+commento\s+è\s+stato\s+eliminato|"
    r"tento\s+komentář\s+byl\s+(?:smazán|odstraněn)|komentář\s+byl\s+smazán|"
    r"deze\s+reactie\s+is\s+verwijderd|komentarz\s+(?:został\s+)?usunięty)\W*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class FoundComment:
    """One comment as an extractor found it, before it becomes a `Comment`.

    `author` is the name as cleaned by `author_name`; `body` is HTML; `parent` is
    whatever the markup says the comment answers: a key, an id, a number or a
    "#comment-12" link, resolved in `comment_records`.
    """

    author: str
    body: str
    date: datetime | None = None
    key: str | None = None
    parent: str | None = None


def author_name(shown: Tag | str | None) -> str:
    """The commenter's name alone, from the element or line that shows it.

    Child elements that are badges, dates, "says" or links to act on are left out
    by their class; what is left is cut at a date and stripped of the labels and
    punctuation themes print around names. "" when nothing name-like is left.
    """
    if shown is None:
        return ""
    text = shown if isinstance(shown, str) else _name_text(shown)
    return clean_name(text)


def clean_name(text: str) -> str:
    """A name line stripped of what themes print around names (see `author_name`)."""
    whole_address = _ADDRESS.fullmatch(clean(text))
    if whole_address:
        text = clean(text).lstrip("<([").split("@", 1)[0].removeprefix("mailto:")
    text = clean(_MAILTO.sub("", redact(_ADDRESS.sub(" ", text))))
    found = find_date(text, DateContext()) if any(c.isdigit() for c in text) else None
    if found is not None:
        _, start, end = found
        before = _DATE_JOINER.sub("", text[:start])
        text = before if before.strip() else text[end:]
    for _ in range(3):
        previous = text
        text = _LEADING_NUMBER.sub("", _LEAD.sub("", text))
        text = _TAIL.sub("", text) or text
        text = _BRACKETED_TAIL.sub("", text) or text
        text = _EDGE_PUNCTUATION.sub("", text).strip()
        if text == previous:
            break
    if len(text) > MAX_AUTHOR_LENGTH:
        return ""
    return text


def _name_text(element: Tag) -> str:
    """The visible text of an author element, leaving out its badges and labels."""
    nodes = first_descendants(element, MAX_AUTHOR_NODES)
    skipped: set[int] = set()
    parts: list[str] = []
    for node in nodes:
        parent = node.parent
        if parent is not None and id(parent) in skipped:
            if isinstance(node, Tag):
                skipped.add(id(node))
            continue
        if isinstance(node, Tag):
            if node.name in ("time", "img", "svg") or _NOT_NAME_CLASS.search(
                class_and_id(node)
            ):
                skipped.add(id(node))
            elif node.name == "br":
                parts.append(" ")
        elif is_visible_string(node):
            parts.append(str(node))
    text = clean(" ".join(parts))
    if not text:
        for candidate in (element, *(n for n in nodes if isinstance(n, Tag))):
            if candidate.name == "meta" and attr(candidate, "content"):
                return clean(attr(candidate, "content"))
        image = element.find("img", alt=True)
        text = clean(attr(image, "alt")) if isinstance(image, Tag) else ""
    return text


def selected_date(scope: Tag, selectors: tuple[str, ...], context: DateContext) -> datetime | None:
    """The first date that the elements the selectors find state."""
    return dated_element(scope, selectors, context)[1]


def dated_element(
    scope: Tag, selectors: tuple[str, ...], context: DateContext
) -> tuple[Tag | None, datetime | None]:
    """The first element the selectors find that states a date, and the date."""
    for element in islice(ranked(scope, selectors), MAX_CANDIDATES):
        date = element_date(element, context)
        if date is not None:
            return element, date
    return None, None


def element_date(element: Tag, context: DateContext) -> datetime | None:
    """The date an element states: a machine-readable attribute of it or of a part of
    it when it reads as one (themes print `datetime="comment_date"`), else its
    visible text or a piece of it."""
    dated = [element, *islice(element.select(_DATED_PARTS), MAX_CANDIDATES)]
    for candidate in dated:
        date = _attribute_date(candidate, context)
        if date is not None:
            return _with_time(date, element, context)
    text = clean(element.get_text(" "))
    pieces = chain((text,), _DATE_SEPARATORS.split(text), element.stripped_strings)
    for piece in islice(pieces, MAX_CANDIDATES):
        date = read_date(piece, context)
        if date is not None:
            return _with_time(date, element, context)
    found = find_date(text, context)
    return _with_time(found[0], element, context) if found else None


def _attribute_date(element: Tag, context: DateContext) -> datetime | None:
    for name in _DATE_ATTRIBUTES:
        value = _JS_DATE_TAIL.sub("", attr(element, name))
        date = read_date(value, context) if value else None
        if date is not None:
            return date
    for name in _EPOCH_ATTRIBUTES:
        date = _epoch(attr(element, name))
        if date is not None:
            return date
    return None


def _with_time(date: datetime, element: Tag, context: DateContext) -> datetime:
    """A date that came without its time, with the time printed in the same line
    when the page keeps the date and the time in two elements."""
    if date.hour or date.minute:
        return date
    for line_element in islice(element.parents, 2):
        line = clean(line_element.get_text(" "))
        if len(line) > MAX_TIME_LINE:
            break
        found = find_date(line, context)
        if found and found[0].date() == date.date() and (found[0].hour or found[0].minute):
            return found[0]
    return date


def _epoch(value: str) -> datetime | None:
    """A Unix time in seconds or milliseconds, as naive UTC."""
    if not value.isdigit():
        return None
    seconds = int(value)
    if seconds > EPOCH_RANGE[1] * 10:
        seconds //= 1000
    if not EPOCH_RANGE[0] <= seconds <= EPOCH_RANGE[1]:
        return None
    return datetime.fromtimestamp(seconds, UTC).replace(tzinfo=None)


def comment_records(
    found: list[FoundComment], back_references: bool = False
) -> tuple[Comment, ...]:
    """`Comment` records in document order; one path for every markup.

    E-mail and IP addresses are taken out, and "Anonymous" given to a comment
    without a name. A comment with no body text is dropped. A parent that names no
    comment on the page is forgotten. A comment with no parent from its markup
    answers the latest earlier comment by the name it opens with ("@Jana"), or,
    with `back_references`, the comment whose number it cites ("[3]").
    """
    bodies = [_SAYS_OPENING.sub("", redact(html_to_text(item.body))) for item in found]
    kept = [
        (item, body)
        for item, body in zip(found, bodies, strict=True)
        if body and not _DELETED.match(body)
    ]
    known: dict[str, str] = {}
    for item, _ in kept:
        if item.key:
            known[item.key] = item.key
            number = _NUMBER_SUFFIX.search(item.key)
            if number:
                known.setdefault(number.group(1), item.key)
    comments: list[Comment] = []
    for item, body in kept:
        key = item.key or f"position-{len(comments) + 1}"
        parent = known.get(item.parent.lstrip("#")) if item.parent else None
        if parent is None:
            parent = _mentioned(body, comments) or (
                _cited(body, known) if back_references else None
            )
        comments.append(
            Comment(
                author=_named(author_name(item.author)),
                body=body,
                position=len(comments) + 1,
                date=item.date,
                key=key,
                parent=parent if parent != key else None,
            )
        )
    return tuple(comments)


def _named(name: str) -> str:
    return "Anonymous" if not name or _NO_NAME.match(name) else name


def _mentioned(body: str, earlier: list[Comment]) -> str | None:
    """The latest earlier comment by the name a reply opens with: "@Jana Nováková",
    or "@Jana" when only one earlier commenter's name starts so."""
    match = _MENTION.match(body)
    if match is None:
        return None
    opening = body[match.end() : match.end() + MAX_MENTION_LENGTH].casefold()
    named = [c for c in earlier if c.author != "Anonymous"]
    for comment in sorted(reversed(named), key=lambda c: -len(c.author)):
        name = comment.author.casefold()
        if opening.startswith(name) and not opening[len(name) : len(name) + 1].isalnum():
            return _latest_by(comment.author, earlier)
    word = _FIRST_WORD.match(opening)
    if word is None:
        return None
    authors = {
        c.author
        for c in named
        if c.author.casefold().split()[0] == word.group(0)
        or c.author.casefold().replace(" ", "") == word.group(0)
    }
    return _latest_by(authors.pop(), earlier) if len(authors) == 1 else None


def _latest_by(author: str, earlier: list[Comment]) -> str | None:
    return next((c.key for c in reversed(earlier) if c.author == author), None)


def _cited(body: str, known: dict[str, str]) -> str | None:
    """The earlier comment a numbered thread's "[3]" cites, if it names one."""
    for match in islice(_BACK_REFERENCE.finditer(body), MAX_CANDIDATES):
        key = known.get(match.group(1))
        if key:
            return key
    return None
