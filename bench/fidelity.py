"""`make fidelity`: how faithfully the HTML reader reads comments from saved pages.

    python -m bench.fidelity --pages tests/fixtures/html/families --out docs/fidelity.md

Every `<name>.labels.json` under the pages folders labels the page `<name>.html` beside
it by hand: the article's title, byline and a phrase of its body, and each comment's
author, date, first words and the comment it answers. The page is read with
`parse_html` and scored against its labels; the tables go to stdout and `--out`, then
every mismatch, so that a developer can go straight to the page and the comment.

It is a report: it exits 0 whatever the figures, and 2 only when it finds no labels.
"""

from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from indexer import Article, Comment, parse_html

DEFAULT_PAGES = Path("tests/fixtures/html/families")
LABELS_SUFFIX = ".labels.json"
PAGE_SUFFIXES = (".html", ".htm")
# A comment's first words are looked for in the article body only from this length on:
# shorter ones ("Yes.", "Danke") turn up inside ordinary words and sentences.
MIN_LEAK_CHARS = 12
SHOWN_CHARS = 60

TARGETS = (
    ("comment recall ≥ 97%", "recall", 0.97),
    ("comment precision ≥ 98%", "precision", 0.98),
    ("authors ≥ 98%", "authors", 0.98),
    ("dates ≥ 95% where the page shows one", "dates", 0.95),
)


# --- Labels ------------------------------------------------------------------------


@dataclass(frozen=True)
class LabelComment:
    """One comment as a person read it off the page; `parent` counts from 1."""

    author: str
    text: str
    date: str | None = None
    parent: int | None = None


@dataclass(frozen=True)
class PageLabels:
    """A page's hand labels, and where the page is."""

    page: Path
    name: str
    family: str
    language: str
    title: str
    byline: str | None
    body_contains: str
    comments: tuple[LabelComment, ...]


def find_labels(folders: Iterable[Path]) -> list[Path]:
    """Every labels file under `folders`, in a stable order."""
    return sorted({p for folder in folders for p in Path(folder).rglob(f"*{LABELS_SUFFIX}")})


def load_labels(path: Path) -> PageLabels:
    """The labels in `path`; the page is the `.html` file of the same name beside it."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    stem = path.name[: -len(LABELS_SUFFIX)]
    page = next(
        (path.with_name(stem + s) for s in PAGE_SUFFIXES if path.with_name(stem + s).exists()),
        path.with_name(stem + PAGE_SUFFIXES[0]),
    )
    family = raw.get("family") or path.parent.name
    article = raw.get("article") or {}
    return PageLabels(
        page=page,
        name=f"{family}/{stem}",
        family=family,
        language=raw.get("language") or "?",
        title=article.get("title") or "",
        byline=article.get("byline"),
        body_contains=article.get("body_contains") or "",
        comments=tuple(
            LabelComment(
                author=c.get("author") or "",
                text=c.get("text") or "",
                date=c.get("date"),
                parent=c.get("parent"),
            )
            for c in raw.get("comments") or ()
        ),
    )


# --- Matching ----------------------------------------------------------------------


def normal(text: str | None) -> str:
    """Text as compared: composed, whitespace runs made one space, case-folded."""
    return " ".join(unicodedata.normalize("NFC", text or "").split()).casefold()


def match_comments(found: Sequence[Comment], labels: Sequence[LabelComment]) -> dict[int, int]:
    """Which found comment (index) each labelled comment (index) is, where one is.

    A found comment is a labelled one when its body starts with the label's text; failing
    that, when it contains it. Each is used once. Among candidates the first in page order
    after the previous match wins, so that repeated short comments pair up in order.
    """
    bodies = [normal(c.body) for c in found]
    texts = [normal(label.text) for label in labels]
    matched: dict[int, int] = {}
    for test in (str.startswith, str.__contains__):
        used = set(matched.values())
        cursor = 0
        for i, text in enumerate(texts):
            if i in matched:
                cursor = matched[i] + 1
                continue
            order = [*range(cursor, len(found)), *range(cursor)]
            hit = next((j for j in order if j not in used and _fits(test, bodies[j], text)), None)
            if hit is not None:
                matched[i] = hit
                used.add(hit)
                cursor = hit + 1
    return dict(sorted(matched.items()))


def _fits(test: Callable[[str, str], bool], body: str, text: str) -> bool:
    return test(body, text) if text else not body


def same_date(found: datetime | None, label: str) -> bool:
    """Whether a found date shows as the label's date, at the label's precision."""
    if found is None:
        return False
    shown = f"{found:%Y-%m-%dT%H:%M}" if "T" in label else found.date().isoformat()
    return shown == label


# --- Scoring -----------------------------------------------------------------------


@dataclass(frozen=True)
class Mismatch:
    """One thing the reader got wrong on a page; `label` counts from 1, None for the page."""

    kind: str
    label: int | None
    expected: str
    found: str

    def __str__(self) -> str:
        if self.kind == "extra":
            return f"extra comment: {self.found}"
        where = f"comment {self.label}: " if self.label else ""
        return f"{where}{self.kind}: expected {self.expected}, found {self.found}"


@dataclass
class PageScore:
    """A page's counts against its labels, and what differs."""

    name: str
    family: str
    language: str
    labels: int = 0
    found: int = 0
    matched: int = 0
    authors: int = 0
    dated: int = 0
    dates: int = 0
    undated: int = 0
    invented: int = 0
    replies: int = 0
    in_body: int = 0
    title: bool = False
    byline: bool = False
    body: bool = False
    error: str | None = None
    mismatches: list[Mismatch] = field(default_factory=list)

    def of(self, *kinds: str) -> list[Mismatch]:
        return [m for m in self.mismatches if m.kind in kinds]


def shown(comment: Comment | None) -> str:
    if comment is None:
        return "nothing"
    body = " ".join(comment.body.split())
    body = body if len(body) <= SHOWN_CHARS else body[: SHOWN_CHARS - 1] + "…"
    return f'#{comment.position} {comment.author!r}: "{body}"'


def described(label: LabelComment) -> str:
    return f'{label.author!r}: "{label.text}"'


def score_page(labels: PageLabels) -> PageScore:
    """Read the labelled page and score it; a page that does not read misses everything."""
    try:
        articles = parse_html(labels.page.read_bytes())
        if not articles:
            raise ValueError("parse_html returned no article")
    except Exception as error:  # any failure of the reader is a finding to report
        score = PageScore(labels.name, labels.family, labels.language)
        score.labels = len(labels.comments)
        score.dated = sum(1 for c in labels.comments if c.date)
        score.undated = score.labels - score.dated
        score.error = f"{type(error).__name__}: {error}"
        score.mismatches.append(Mismatch("error", None, "a readable page", score.error))
        return score
    return score_article(labels, articles[0])


def score_article(labels: PageLabels, article: Article) -> PageScore:
    """Score what the reader made of a page against the page's labels."""
    score = PageScore(labels.name, labels.family, labels.language)
    wrong = score.mismatches.append
    found, marks = article.comments, labels.comments
    score.labels, score.found = len(marks), len(found)
    matched = match_comments(found, marks)
    score.matched = len(matched)
    by_key: dict[str, int] = {}
    for j, comment in enumerate(found):
        if comment.key is not None:
            by_key.setdefault(comment.key, j)
    for i, label in enumerate(marks):
        number = i + 1
        j = matched.get(i)
        comment = found[j] if j is not None else None
        if comment is None:
            wrong(Mismatch("missed", number, described(label), "no comment"))
        elif comment.author == label.author:
            score.authors += 1
        else:
            wrong(Mismatch("author", number, repr(label.author), repr(comment.author)))
        if label.date:
            score.dated += 1
            if comment is not None and same_date(comment.date, label.date):
                score.dates += 1
            elif comment is not None:
                wrong(Mismatch("date", number, label.date, _when(comment.date)))
        else:
            score.undated += 1
            if comment is not None and comment.date is not None:
                score.invented += 1
                wrong(Mismatch("invented date", number, "no date", _when(comment.date)))
        if comment is not None:
            expected = matched.get(label.parent - 1) if label.parent else None
            answered = by_key.get(comment.parent) if comment.parent is not None else None
            right = (
                comment.parent is None
                if label.parent is None
                else expected is not None and answered == expected
            )
            if right:
                score.replies += 1
            else:
                wrong(
                    Mismatch(
                        "parent",
                        number,
                        f"comment {label.parent}" if label.parent else "no parent",
                        _answered(comment.parent, answered, found),
                    )
                )
    for j in sorted(set(range(len(found))) - set(matched.values())):
        wrong(Mismatch("extra", None, "no such comment", shown(found[j])))
    body = normal(article.body)
    for i, label in enumerate(marks):
        text = normal(label.text)
        if len(text) >= MIN_LEAK_CHARS and text in body:
            score.in_body += 1
            wrong(Mismatch("in body", i + 1, "comment text out of the article body", repr(text)))
    score.title = normal(article.title) == normal(labels.title) and bool(labels.title)
    if not score.title:
        wrong(Mismatch("title", None, repr(labels.title), repr(article.title)))
    score.byline = (
        article.byline is None
        if labels.byline is None
        else normal(article.byline) == normal(labels.byline)
    )
    if not score.byline:
        wrong(Mismatch("byline", None, repr(labels.byline), repr(article.byline)))
    score.body = normal(labels.body_contains) in body
    if not score.body:
        wrong(Mismatch("body", None, f"body containing {labels.body_contains!r}", "none"))
    return score


def _when(value: datetime | None) -> str:
    return f"{value:%Y-%m-%dT%H:%M}" if value else "no date"


def _answered(key: str | None, index: int | None, found: Sequence[Comment]) -> str:
    if key is None:
        return "no parent"
    if index is None:
        return f"parent key {key!r}, which no comment has"
    return f"a reply to {shown(found[index])}"


# --- Totals ------------------------------------------------------------------------


@dataclass
class Totals:
    """Counts summed over pages, and the ratios the targets are stated in."""

    pages: int = 0
    labels: int = 0
    found: int = 0
    matched: int = 0
    authors: int = 0
    dated: int = 0
    dates: int = 0
    undated: int = 0
    invented: int = 0
    replies: int = 0
    leaking_pages: int = 0
    titles: int = 0
    bylines: int = 0
    bodies: int = 0
    errors: int = 0
    families: set[str] = field(default_factory=set)
    languages: set[str] = field(default_factory=set)

    @property
    def recall(self) -> float | None:
        return ratio(self.matched, self.labels)

    @property
    def precision(self) -> float | None:
        return ratio(self.matched, self.found)

    @property
    def author_accuracy(self) -> float | None:
        return ratio(self.authors, self.labels)

    @property
    def date_accuracy(self) -> float | None:
        return ratio(self.dates, self.dated)

    @property
    def reply_accuracy(self) -> float | None:
        return ratio(self.replies, self.labels)


def ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def total(scores: Iterable[PageScore]) -> Totals:
    """The sum of page scores."""
    sums = Totals()
    for s in scores:
        sums.pages += 1
        sums.labels += s.labels
        sums.found += s.found
        sums.matched += s.matched
        sums.authors += s.authors
        sums.dated += s.dated
        sums.dates += s.dates
        sums.undated += s.undated
        sums.invented += s.invented
        sums.replies += s.replies
        sums.leaking_pages += s.in_body > 0
        sums.titles += s.title
        sums.bylines += s.byline
        sums.bodies += s.body
        sums.errors += s.error is not None
        sums.families.add(s.family)
        sums.languages.add(s.language)
    return sums


def targets(sums: Totals) -> list[tuple[str, str, bool]]:
    """Each acceptance target: what it asks, what was measured, whether it is met.

    A ratio with nothing to measure (no dated comment, say) counts as met.
    """
    values = {
        "recall": (sums.recall, sums.matched, sums.labels),
        "precision": (sums.precision, sums.matched, sums.found),
        "authors": (sums.author_accuracy, sums.authors, sums.labels),
        "dates": (sums.date_accuracy, sums.dates, sums.dated),
    }
    rows = []
    for text, key, floor in TARGETS:
        value, part, whole = values[key]
        rows.append((text, percent(value, part, whole), value is None or value >= floor))
    rows.append(
        (
            "no comment text in any article body",
            f"{sums.leaking_pages} of {sums.pages} pages",
            sums.leaking_pages == 0,
        )
    )
    return rows


# --- Report ------------------------------------------------------------------------


def percent(value: float | None, part: int, whole: int) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}% ({part}/{whole})"


HEADER = [
    "family",
    "pages",
    "comments",
    "recall",
    "precision",
    "authors",
    "dates",
    "dates invented",
    "replies",
    "pages with comment text in body",
    "titles",
    "bylines",
    "body phrase",
]


def row(name: str, t: Totals) -> list[str]:
    return [
        name,
        str(t.pages),
        str(t.labels),
        percent(t.recall, t.matched, t.labels),
        percent(t.precision, t.matched, t.found),
        percent(t.author_accuracy, t.authors, t.labels),
        percent(t.date_accuracy, t.dates, t.dated),
        f"{t.invented}/{t.undated}",
        percent(t.reply_accuracy, t.replies, t.labels),
        str(t.leaking_pages),
        f"{t.titles}/{t.pages}",
        f"{t.bylines}/{t.pages}",
        f"{t.bodies}/{t.pages}",
    ]


def family_rows(scores: Sequence[PageScore]) -> list[list[str]]:
    families = sorted({s.family for s in scores})
    rows = [row(f, total(s for s in scores if s.family == f)) for f in families]
    return [*rows, row("all", total(scores))]


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in r) + " |" for r in rows]
    return "\n".join(lines)


def text_table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(r[k]) for r in [header, *rows]) for k in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)) for r in rows]
    head = "  ".join(cell.ljust(w) for cell, w in zip(header, widths, strict=True))
    return "\n".join([head, "  ".join("-" * w for w in widths), *lines])


def mismatch_lines(scores: Sequence[PageScore], bullet: str) -> list[str]:
    lines = []
    for s in scores:
        if s.mismatches:
            lines.append(f"{s.name}:" if not bullet else f"**{s.name}**")
            lines += [f"{bullet}{escaped(str(m))}" if bullet else f"  {m}" for m in s.mismatches]
    return lines


def escaped(text: str) -> str:
    """Page text made literal in Markdown, where `_`, `*` and `<` would be markup."""
    return "".join("\\" + c if c in "\\`*_<[]" else c for c in text)


def render_text(scores: Sequence[PageScore]) -> str:
    sums = total(scores)
    parts = [text_table(HEADER, family_rows(scores)), ""]
    parts += [f"{'met    ' if ok else 'NOT MET'}  {t}: {value}" for t, value, ok in targets(sums)]
    parts += ["", "Mismatches:" if any(s.mismatches for s in scores) else "No mismatches."]
    parts += mismatch_lines(scores, "")
    return "\n".join(parts)


def render_markdown(scores: Sequence[PageScore], command: str, commit: str, day: str) -> str:
    """The whole of `docs/fidelity.md`."""
    sums = total(scores)
    parts = [
        "# Comment extraction from saved pages: fidelity against hand labels",
        "",
        f"Measured {day} at `{commit}` on {sums.pages} pages of {len(sums.families)} markup "
        f"families in {len(sums.languages)} languages ({', '.join(sorted(sums.languages))}); "
        f"{sums.labels} labelled comments. Pages the reader failed on: {sums.errors}.",
        "",
        "```sh",
        command,
        "```",
        "",
        "## The targets",
        "",
        markdown_table(
            ["target", "measured", "met"],
            [[text, value, "met" if ok else "**not met**"] for text, value, ok in targets(sums)],
        ),
        "",
        "## Per family",
        "",
        markdown_table(HEADER, family_rows(scores)),
        "",
        "A found comment is a labelled one when its text, whitespace-normalised and "
        "case-folded, starts with the label's first words (failing that, contains them). "
        "Recall is labelled comments found; precision found comments that are labelled; "
        "authors, dates and replies count a missed comment as wrong. Dates are over the "
        "comments whose page shows a date, compared at the label's precision (day, or "
        "minute); *dates invented* counts found dates for comments whose page shows none. "
        f"A comment's first words are looked for in the article body from {MIN_LEAK_CHARS} "
        "characters on.",
        "",
        "## Mismatches",
        "",
    ]
    lines = mismatch_lines(scores, "- ")
    parts += [line if line.startswith("- ") else f"\n{line}\n" for line in lines] or ["None."]
    return "\n".join(parts).replace("\n\n\n", "\n\n") + "\n"


def commit() -> str:
    """The commit measured, and whether the indexer had uncommitted changes."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], capture_output=True, text=True, check=False)
        return done.stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = git("status", "--porcelain", "--", "indexer")
    return head + (" with uncommitted changes to indexer/" if dirty else "")


def score_all(folders: Iterable[Path]) -> list[PageScore]:
    """Every labelled page under `folders`, scored."""
    return [score_page(load_labels(path)) for path in find_labels(folders)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--pages",
        type=Path,
        action="append",
        help=f"a folder searched for *{LABELS_SUFFIX} (repeatable; default {DEFAULT_PAGES})",
    )
    parser.add_argument("--out", type=Path, help="also write the report as Markdown here")
    args = parser.parse_args(argv)
    folders = args.pages or [DEFAULT_PAGES]
    scores = score_all(folders)
    if not scores:
        print(f"no *{LABELS_SUFFIX} file under {', '.join(map(str, folders))}", file=sys.stderr)
        return 2
    print(render_text(scores))
    if args.out:
        command = "python -m bench.fidelity " + shlex.join(sys.argv[1:] if argv is None else argv)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(render_markdown(scores, command, commit(), date.today().isoformat()))
        print(f"\nwrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
