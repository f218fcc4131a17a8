"""Finding the comment section of a page in no known markup, and its comments in it.

First the section: an element whose class or id names comments in one of the
languages pages are written in, or the part of the page under a heading such as
"12 Comments", "Kommentare (4)" or "Komentáře". Then the comments in it, as
record mining over the DOM does (in the spirit of MDR and DEPTA): the largest group
of sibling blocks of one shape, each holding a short name, perhaps a date, and
text, or (for a flat run of paragraphs) the short dated lines that open each
comment. What is mined is described as a `CommentMarkup` and read like a known
family, so replies nested in a block are found the same way.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from itertools import chain, islice

from bs4 import BeautifulSoup
from bs4.element import Tag

from indexer.dates import DateContext
from indexer.readers.comment_families import (
    CommentMarkup,
    dated_header,
    item_comments,
    signed_comments,
)
from indexer.readers.comment_parts import FoundComment
from indexer.readers.dom import HEADINGS, class_and_id, clean, short_text

RECORD_MINING = "record mining"
MAX_SECTIONS = 8
MAX_ELEMENTS = 3_000
MIN_RECORD_TEXT = 2
MAX_HEADING_LENGTH = 160

_WORDS = (
    r"comments?|comentarios?|commentaires?|commenti|commento|kommentare?|kommentarer|"
    r"komentáře|komentářů|komentář|komentarze|komentarzy|komentarz|komentari|reacties|reactie|"
    r"reakce|reactions?|responses?|replies|antworten|leserbriefe|diskuse|diskussion|discussion|"
    r"discussione|réactions|réponses?|respuestas?|risposte|odpowiedzi|yorumlar|yorum|thoughts?|"
    r"opinions?|opiniones|meinungen|názory|leserkommentare|forum|trackbacks?"
)
_SECTION_NAME = re.compile(rf"(?:^|[\s_\-])(?:{_WORDS})(?:$|[\s_\-])", re.IGNORECASE)
_NOT_SECTION = re.compile(
    r"form|respond|count|link|widget|recent|latest|closed|rss|feed|button|icon|number|policy|"
    r"title|heading|toggle|nav|pagination|sidebar|popular|share|meta\b|header|footer|login",
    re.IGNORECASE,
)
_HEADING = re.compile(rf"\b(?:{_WORDS})\b", re.IGNORECASE)
_FORM_HEADING = re.compile(
    r"leave|write|post\s+a|add\s+a|your|schreib|verfassen|hinterlassen|napsat|přidat|laisser|"
    r"écrire|ajouter|deja|escrib|añad|lascia|scrivi|aggiungi|plaats|schrijf|dodaj|napisz|"
    r"skomentuj|yorum\s+yap|deixe|escreva|no\s+comments|keine\s+kommentare|žádné|recent|"
    r"latest|neueste|letzte|derniers|últimos|ultimi|poslední|nejnovější|ostatnie|najnowsze|"
    r"laatste|recente|son\s+yorumlar|popular|top\s+comments|most",
    re.IGNORECASE,
)
_VOLATILE_CLASS = re.compile(
    r"\d|^(?:odd|even|alt|thread-odd|thread-even|first|last|byuser|bypostauthor|new|"
    r"parent|has-children|is-reply|reply|highlighted|selected|active|collapsed|expanded|"
    r"even-thread|odd-thread)$"
)
_AUTHOR_SELECTORS = (
    "[itemprop~=author]",
    "[class*=author]",
    "[class*=Author]",
    "[class*=name]",
    "[class*=Name]",
    "[class*=user]",
    "[class*=nick]",
    "[class*=autor]",
    "[class*=jmeno]",
    "[class*=naam]",
    "cite",
    "strong",
    "b",
    "a[href]:not([href^='#'])",
)
_DATE_SELECTORS = (
    "time",
    "[datetime]",
    "[class*=date]",
    "[class*=Date]",
    "[class*=time]",
    "[class*=Time]",
    "[class*=zeit]",
    "[class*=datum]",
    "[class*=fecha]",
    "[class*=data]",
    "[class*=cas]",
    "[class*=posted]",
    "[class*=meta]",
    "[title]",
)


@dataclass(frozen=True)
class Section:
    """A page's comment section, and what showed it to be one."""

    element: Tag
    evidence: str


def comment_sections(soup: BeautifulSoup, article: Tag | None) -> list[Section]:
    """Candidate comment sections, the most telling first: named ones, then those
    under a comment heading. None holds the article's own body."""
    sections: list[Section] = []
    seen: set[int] = set()
    for element in islice(soup.find_all(True), MAX_ELEMENTS * 10):
        if len(sections) >= MAX_SECTIONS:
            break
        names = class_and_id(element)
        if element.name in HEADINGS or element.name in ("form", "a", "span", "input", "label"):
            continue
        if _SECTION_NAME.search(names) and not _NOT_SECTION.search(names):
            if _is_record(element):
                element = element.parent
                names = f"blocks named {_shape(element)}"
            if _usable(element, article) and id(element) not in seen:
                seen.add(id(element))
                sections.append(Section(element, f'an element named "{clean(names)}"'))
    for heading in soup.find_all(HEADINGS + ("p", "div", "span", "strong")):
        if len(sections) >= MAX_SECTIONS * 2:
            break
        line = short_text(heading) if heading.name not in HEADINGS else clean(heading.get_text())
        if not line or len(line) > MAX_HEADING_LENGTH or not _HEADING.search(line):
            continue
        if _FORM_HEADING.search(line) or heading.name not in HEADINGS and len(line) > 40:
            continue
        if heading.name not in HEADINGS and not any(c.isdigit() for c in line):
            continue
        section = _under_heading(heading, article)
        if section is not None and id(section) not in seen:
            seen.add(id(section))
            sections.append(Section(section, f'the heading "{line[:60]}"'))
    return sections


def _is_record(element: Tag) -> bool:
    """Whether a comment-named element is one of several alike: a comment, not the section."""
    shape = _shape(element)
    siblings = element.find_next_siblings(limit=3) + element.find_previous_siblings(limit=3)
    return element.parent is not None and any(_shape(sibling) == shape for sibling in siblings)


def _usable(element: Tag, article: Tag | None) -> bool:
    if article is not None and (element is article or article in element.parents):
        return False
    if article is not None and element in article.parents:
        return False
    return bool(element.get_text(strip=True)) and element.find("h1") is None


def _under_heading(heading: Tag, article: Tag | None) -> Tag | None:
    """The comments a heading opens: its parent when that holds no article, else
    the heading's following siblings gathered into one wrapper."""
    parent = heading.parent
    if isinstance(parent, Tag) and parent.name not in ("body", "[document]"):
        if _usable(parent, article) and len(parent.find_all(HEADINGS, limit=4)) <= 3:
            return parent
    siblings = []
    for sibling in islice(heading.next_siblings, MAX_ELEMENTS):
        if isinstance(sibling, Tag) and (sibling.name in HEADINGS or sibling.name == "form"):
            break
        siblings.append(sibling)
    if not any(isinstance(s, Tag) and s.get_text(strip=True) for s in siblings):
        return None
    wrapper = BeautifulSoup("<div></div>", "html.parser").div
    assert wrapper is not None
    heading.insert_after(wrapper)
    for sibling in siblings:
        wrapper.append(sibling.extract())
    return wrapper


def mined_comments(section: Tag, context: DateContext) -> list[FoundComment]:
    """The comments of a section in no known markup: its repeated blocks, else its
    dated header lines. Empty when neither shows comments."""
    _pair_up_definitions(section)
    markup = _repeated_blocks(section)
    if markup is not None:
        found = item_comments(section, markup, context)
        if sum(1 for item in found if item.author) >= max(1, len(found) // 2):
            return found
    return signed_comments(section, dated_header, context, forward=True)


def _repeated_blocks(section: Tag) -> CommentMarkup | None:
    """A markup for the largest group of sibling blocks of one shape in the section,
    each a block with a short line (a name) and some text."""
    best: tuple[int, int] = (0, 0)
    chosen: str | None = None
    for element in islice(chain((section,), section.find_all(True)), MAX_ELEMENTS):
        groups: dict[str, list[Tag]] = defaultdict(list)
        for child in element.find_all(True, recursive=False):
            groups[_shape(child)].append(child)
        for shape, members in groups.items():
            if shape.split(".", 1)[0] in ("p", "br", "a", "span", "strong", "b", "em", "img", "i"):
                continue
            records = [member for member in members if _looks_like_record(member)]
            alone = len(records) == len(members) == 1 and element is section
            if len(records) < 2 and not alone:
                continue
            score = (len(records), sum(len(member.get_text()) for member in records))
            if score > best:
                best, chosen = score, shape
    if chosen is None:
        return None
    return CommentMarkup(
        family=RECORD_MINING,
        markers=(),
        items=chosen,
        author=_AUTHOR_SELECTORS,
        date=_DATE_SELECTORS,
        body=(),
        noise="",
    )


def _shape(element: Tag) -> str:
    """A selector for the element's tag and stable classes: what its siblings share."""
    classes = [
        name
        for name in element.get("class") or ()
        if not _VOLATILE_CLASS.search(name) and re.fullmatch(r"[A-Za-z_][\w-]*", name)
    ]
    return element.name + "".join(f".{name}" for name in sorted(classes)[:3])


def _looks_like_record(element: Tag) -> bool:
    """A block that could be a comment: some text, and more than one part."""
    if len(element.get_text(strip=True)) < MIN_RECORD_TEXT:
        return False
    return len(element.find_all(True, limit=2)) >= 2 or element.name == "tr"


def _pair_up_definitions(section: Tag) -> None:
    """Turn a definition list of comments (a <dt> name line, then <dd> text) into
    one <div> a comment, so that each comment is a block like any other."""
    for definitions in islice(section.find_all("dl"), MAX_ELEMENTS):
        terms = definitions.find_all("dt", recursive=False)
        if len(terms) < 1 or not definitions.find("dd", recursive=False):
            continue
        for term in terms:
            wrapper = BeautifulSoup('<div class="dl-comment"></div>', "html.parser").div
            assert wrapper is not None
            following = []
            for sibling in term.next_siblings:
                if isinstance(sibling, Tag) and sibling.name == "dt":
                    break
                following.append(sibling)
            term.insert_before(wrapper)
            wrapper.append(term.extract())
            for node in following:
                wrapper.append(node.extract())
