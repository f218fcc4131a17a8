"""Names that readers sign at the end of their comments.

Many commenters post under a handle but sign with a name ("Rex Minor" posts as
`pakistan` and as `forbirds`), so a signature links comments that the author field
keeps apart. Detection is deliberately conservative: a closing line counts only
when it is marked as a signature ("-- Name", "~Name", "Regards, Name") or is a bare
name standing apart from the prose, and slogans, greetings and interjections that
happen to be capitalised ("God Bless America", "Dear Mr Putin,") are not names.
"""

from __future__ import annotations

import re

# Only the end of a body is read: signatures are short, and bodies are untrusted.
MAX_TAIL_CHARS = 300
MAX_SIGNATURE_LINES = 4
MAX_NAME_WORDS = 4
MAX_NAME_LENGTH = 40

_MARKED = re.compile(r"^(?:--+|\u2014|\u2013|-|~)\s*(?P<name>.+)$")
# A marker after the last sentence on the same line: "Well said. -- John".
_INLINE_MARKED = re.compile(r"[.!?\u2026]\s+(?:--+|\u2014|\u2013|-|~)\s*(?P<name>[^.!?]+)$")
_CLOSING_AND_NAME = re.compile(r"^(?P<closing>[^,]+),\s*(?P<name>.+)$")
_SENTENCE_END = re.compile(r"[.!?\u2026)\"'\u201d\u2019\u00bb]$")
_HANDLE = re.compile(r"^\w[\w.]{1,29}$")
_INITIAL = re.compile(r"^[A-Z]\.$")
_TITLE = re.compile(r"^(?:Mr|Mrs|Ms|Dr|Prof)\.?$")
_NAME_WORD = re.compile(r"^[^\W\d_][\w'\u2019-]*$")
_PLACE = re.compile(r"\s*\([^()]{1,30}\)$")
_PARTICLES = frozenset({"al", "bin", "da", "de", "del", "der", "di", "du", "ibn", "la", "le",
                        "ul", "van", "von"})

CLOSINGS = frozenset({
    "best", "best regards", "best wishes", "bye", "cheers", "ciao", "kind regards",
    "love", "many thanks", "peace", "regards", "respectfully", "salaam", "sincerely",
    "thank you", "thanks", "thx", "warm regards", "warmly", "with regards", "yours",
    "yours sincerely", "yours truly", "all the best", "take care",
})

# Words that, capitalised on a line of their own, close a comment without naming
# anyone: greetings, slogans, interjections and the common words that build them.
NOT_NAMES = frozenset("""
    a about absolutely after again agree agreed all also am amen america an and any
    are as at awesome bad be best bless bravo but by bye can cheers come congrats
    correct dear did disgusting ditto do does don done down end enough even ever
    exactly fact facts false fine for from go god good great ha haha happy have he
    hello her here hey hi hind his how i if in indeed is it its jai just keep kind
    last let live lol long love make me more much my namaste never new next nice night no
    nonsense not nothing now of off ok okay on one only or our out over pathetic
    peace please really regards respect right rubbish sad salaam same says see
    shame she sir so sorry still stop sure thank thanks that the their them then
    there they this those to too true truly up us very wake was watch we well
    what when who why will wishes with wow wrong yes yet you your yours zindabad
""".split())


def signatures(body: str) -> list[str]:
    """The names signed at the end of `body`, as written, each once, in order.

    Only the last `MAX_TAIL_CHARS` characters are read. An empty list when the
    comment is unsigned, which is the answer whenever in doubt.
    """
    lines = [" ".join(line.split()) for line in body[-MAX_TAIL_CHARS:].splitlines()]
    truncated = len(body) > MAX_TAIL_CHARS
    if truncated:
        lines = lines[1:]  # the first line may be cut mid-way
    while lines and not lines[-1]:
        lines.pop()
    names: list[str] = []
    index = len(lines) - 1
    while index >= 0 and len(lines) - index <= MAX_SIGNATURE_LINES:
        line = lines[index]
        before = lines[:index]
        name = _signed_name(line, before)
        if name is None:
            break
        names.append(name)
        index -= 1
        while index >= 0 and not lines[index]:
            index -= 1
    if not truncated and not any(lines[: index + 1]):
        return []  # a body that is nothing but a name signs nothing
    inline = _INLINE_MARKED.search(lines[index]) if index >= 0 and not names else None
    if inline:
        name = _marked_name(inline.group("name"))
        names = [name] if name else []
    unique: dict[str, str] = {}
    for name in reversed(names):
        unique.setdefault(name.casefold(), name)
    return list(unique.values())


def _signed_name(line: str, before: list[str]) -> str | None:
    """The name `line` signs, given the lines above it, or None when it signs none."""
    if not line:
        return None
    marked = _MARKED.match(line)
    if marked:
        # A "- Item" line under another is a bullet list, not a signature.
        previous = next((text for text in reversed(before) if text), "")
        if line.startswith("- ") and previous.startswith("- "):
            return None
        return _marked_name(marked.group("name"))
    closing = _CLOSING_AND_NAME.match(line)
    if closing and closing.group("closing").strip().casefold() in CLOSINGS:
        return _bare_name(closing.group("name"))
    name = _bare_name(line)
    if name is None or not before:
        return None
    previous = before[-1]
    # Under prose, a bare name must follow a finished sentence: "attended by\nVladimir
    # Putin" is one wrapped sentence. Name lines may stack ("Anna Weber\nKarl Weber").
    stands_apart = (
        not previous
        or previous.rstrip(",").casefold() in CLOSINGS
        or _SENTENCE_END.search(previous) is not None
        or _bare_name(previous) is not None
    )
    return name if stands_apart else None


def _marked_name(text: str) -> str | None:
    """A name after a signature marker: name words, or one handle such as "kps_01"."""
    text = text.strip()
    name = _bare_name(text, allow_capitals=True)
    if name:
        return name
    if _HANDLE.match(text) and text.casefold() not in NOT_NAMES:
        return text
    return None


def _bare_name(text: str, allow_capitals: bool = False) -> str | None:
    """`text` when it reads as a person's name: 1-4 capitalised words, no sentence.

    A place in brackets after the name ("Jim (Texas)") is dropped.
    """
    if len(text) > MAX_NAME_LENGTH:  # most last lines are prose: no pattern runs on them
        return None
    words = _PLACE.sub("", text).split()
    if not words or len(words) > MAX_NAME_WORDS:
        return None
    if not allow_capitals and len(text) > 2 and text.isupper():
        return None  # "WAKE UP INDIA" is shouted, not signed
    if " ".join(words).casefold() in CLOSINGS:
        return None
    for position, word in enumerate(words):
        if _INITIAL.match(word) or (position == 0 and _TITLE.match(word)):
            continue
        if 0 < position < len(words) - 1 and word in _PARTICLES:
            continue
        if not _NAME_WORD.match(word) or not word[0].isupper():
            return None
        if word.casefold() in NOT_NAMES:
            return None
    return " ".join(words)
