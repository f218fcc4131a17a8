"""`make bench-saved-pages`: indexing speed on a folder of saved pages as heavy as real ones.

    python -m bench.saved_pages --pages 2000

The hand-labelled pages are small; a page saved from a browser carries some 100 KB of
inline scripts, style sheets and navigation around the article. This builds, in a
temporary folder and from a seed, `--pages` pages from the labelled ones: words, names
and numbers varied, then padded to a size drawn around 120 KB. It times `Archive.index`
on the folder into a fresh index, then `parse_html` alone on every page in this process,
and prints the figures; it judges none of them.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bench.fidelity import DEFAULT_PAGES, PageLabels, find_labels, load_labels
from indexer import Archive, decode_bytes, parse_html

SEED = 2024
MEAN_BYTES = 120_000
SPREAD_BYTES = 35_000
MIN_BYTES = 30_000
MAX_BYTES = 400_000
SWAP_WORDS = 0.3  # the share of a page's plain words replaced from the vocabulary

VOCABULARY = (
    "harbour council market weather station bridge festival budget school river village "
    "election library garden traffic museum tunnel ferry bakery orchard meadow stadium "
    "railway hospital teacher farmer planning license parking summer winter evening "
    "morning question answer reason promise project report letter street corner window "
    "Rathaus Bahnhof Schule Sommer Stadt Verkehr Brücke Wetter marché conseil école "
    "mercado ciudad puente tiempo mercato ponte tempo"
).split()
NAMES = (
    "Ada Bell, Ben Okafor, Carla Ruiz, Dev Patel, Edda Lind, Femi Ade, Gus Moreau, "
    "Hana Sato, Ivo Kranz, Jo Wren, Kemal Aydın, Lise Holm, Mo Farid, Nora Quist, Olek Nowak, "
    "Pia Berg, Quinn Ross, Rui Costa, Sanne Vos, Teo Marin, Uma Rao, Vera Kolb, Wim Dekker, "
    "Xia Chen, Yusuf Demir, Zoe Hart"
).split(", ")
# Words the reader may take as signs of a comment or a date stay, so that a copy is read
# as its template is: signature verbs, reply and report links, months and weekdays.
KEEP = frozenset(
    (
        "said says wrote writes posted reply replies report abusive comment comments "
        "anonymous antworten antwort schreibt schrieb kommentar kommentare melden anonym "
        "répondre réponse écrit commentaire commentaires signaler dice escribió responder "
        "comentario comentarios scrive rispondi commento commenti "
        "january february march april june july august september october november december "
        "januar februar märz juni juli oktober dezember janvier février mars avril juin "
        "juillet août septembre octobre novembre décembre enero febrero marzo abril mayo "
        "junio julio agosto septiembre octubre noviembre diciembre gennaio febbraio aprile "
        "maggio giugno luglio settembre ottobre dicembre monday tuesday wednesday thursday "
        "friday saturday sunday montag dienstag mittwoch donnerstag freitag samstag sonntag "
        "lundi mardi mercredi jeudi vendredi samedi dimanche today yesterday heute gestern"
    ).split()
)
SECTIONS = "news sport business culture opinion local world science travel weather".split()

TAG_OR_TEXT = re.compile(r"(<!--.*?-->|<[^>]*>)", re.DOTALL)
RAW_TEXT_START = re.compile(r"<(script|style|textarea)\b", re.IGNORECASE)
RAW_TEXT_END = re.compile(r"</(script|style|textarea)\s*>", re.IGNORECASE)
# Whole words of four letters or more, never part of an entity (&nbsp;) or a longer word.
WORD = re.compile(r"(?<![&#\w])[^\W\d_]{4,}(?![;\w])")
NUMBER = re.compile(r"(?<![\w.,:/-])\d+(?![\w:/-])")
CHARSET = re.compile(r"(<meta\b[^>]*?charset\s*=\s*[\"']?)[\w.:-]+", re.IGNORECASE)
HEAD_END = re.compile(r"</head\s*>", re.IGNORECASE)
BODY_START = re.compile(r"<body\b[^>]*>", re.IGNORECASE)
BODY_END = re.compile(r"</body\s*>", re.IGNORECASE)


@dataclass(frozen=True)
class Template:
    """A labelled page's text, and the names on it that the copies change."""

    labels: PageLabels
    text: str
    names: tuple[str, ...]


def templates(folders: list[Path]) -> list[Template]:
    """The labelled pages under `folders`, decoded, to vary."""
    found = []
    for path in find_labels(folders):
        labels = load_labels(path)
        if not labels.page.exists():
            continue
        names = {c.author for c in labels.comments if c.author} | {labels.byline or ""}
        text = decode_bytes(labels.page.read_bytes())
        found.append(Template(labels, text, tuple(sorted(n for n in names if len(n) > 2))))
    return found


def varied(template: Template, rng: random.Random) -> str:
    """The page with names, words and numbers of its visible text changed."""
    names = dict(zip(template.names, rng.sample(NAMES, len(template.names)), strict=False))
    keep = {word for name in names.values() for word in name.split()}
    parts, raw = [], False
    for part in TAG_OR_TEXT.split(template.text):
        if part.startswith("<"):
            raw = bool(RAW_TEXT_START.match(part)) or (raw and not RAW_TEXT_END.match(part))
        elif part and not raw:
            for old, new in names.items():
                part = part.replace(old, new)
            part = WORD.sub(lambda m: _word(m.group(), keep, rng), part)
            part = NUMBER.sub(lambda m: _number(m.group(), rng), part)
        parts.append(part)
    text = "".join(parts)
    text, declared = CHARSET.subn(r"\1utf-8", text)
    return text if declared else '<meta charset="utf-8">\n' + text


def _word(word: str, keep: set[str], rng: random.Random) -> str:
    if word in keep or word.casefold() in KEEP or rng.random() >= SWAP_WORDS:
        return word
    new = rng.choice(VOCABULARY)
    if word.isupper():
        return new.upper()
    return new.capitalize() if word[0].isupper() else new.lower()


def _number(digits: str, rng: random.Random) -> str:
    if len(digits) == 4 and 1990 <= int(digits) <= 2030:
        return str(rng.randint(2005, 2024))
    if len(digits) <= 2:
        return str(rng.randint(1, 28))
    return str(rng.randint(10 ** (len(digits) - 1), 10 ** len(digits) - 1))


def padded(page: str, size: int, rng: random.Random) -> str:
    """The page grown to about `size` bytes with the mass a real saved page carries:
    style sheets and scripts in the head, a site menu at the top, scripts at the end."""
    room = max(0, size - len(page.encode("utf-8")))
    head = _styles(int(room * 0.3), rng) + _scripts(int(room * 0.25), rng)
    menu = _menu(int(room * 0.2), rng)
    tail = _scripts(room - len(head) - len(menu), rng)
    page = _insert(page, HEAD_END, head, before=True, missing="front")
    page = _insert(page, BODY_START, menu, before=False, missing="front")
    return _insert(page, BODY_END, tail, before=True, missing="end")


def _insert(page: str, where: re.Pattern[str], block: str, before: bool, missing: str) -> str:
    found = where.search(page)
    if not found:
        return block + page if missing == "front" else page + block
    at = found.start() if before else found.end()
    return page[:at] + block + page[at:]


def _styles(size: int, rng: random.Random) -> str:
    return "".join(_blocks("<style>\n", "</style>\n", size, lambda: _rule(rng)))


def _scripts(size: int, rng: random.Random) -> str:
    return "".join(
        _blocks('<script type="text/javascript">\n', "</script>\n", size, lambda: _statement(rng))
    )


def _menu(size: int, rng: random.Random) -> str:
    return "".join(
        _blocks('<nav class="site-menu"><ul>\n', "</ul></nav>\n", size, lambda: _link(rng))
    )


def _blocks(start: str, end: str, size: int, line) -> Iterator[str]:
    """Blocks of up to 20 KB between `start` and `end`, filled with `line()`, to `size`."""
    while size > len(start) + len(end):
        body, limit = [], min(size, 20_000) - len(start) - len(end)
        while limit > 0:
            piece = line()
            body.append(piece)
            limit -= len(piece)
        block = start + "".join(body) + end
        size -= len(block)
        yield block


def _rule(rng: random.Random) -> str:
    name = "-".join(rng.sample(VOCABULARY[:40], 2)).lower()
    return (
        f".{name} > .{rng.choice(SECTIONS)}-item{{margin:{rng.randint(0, 40)}px "
        f"{rng.randint(0, 40)}px;color:#{rng.randrange(16**6):06x};"
        f"font-size:{rng.randint(10, 32)}px;display:{rng.choice(['block', 'flex', 'none'])}}}\n"
    )


def _statement(rng: random.Random) -> str:
    key = rng.choice(VOCABULARY[:40]).lower()
    config = (
        f'"{key}":"{rng.randrange(16**12):012x}","section":"{rng.choice(SECTIONS)}",'
        f'"ttl":{rng.randint(1, 9999)},"ads":[{rng.randint(1, 99)},{rng.randint(1, 99)}]'
    )
    call = f"{key}.push(function(){{return {rng.random():.6f}}})"
    return f"window.__cfg_{rng.randrange(10**6)}={{{config}}};if(window.{key}){{{call}}}\n"


def _link(rng: random.Random) -> str:
    section, word = rng.choice(SECTIONS), rng.choice(VOCABULARY[:40])
    return f'<li><a href="/{section}/{word.lower()}/">{word.capitalize()} {section}</a></li>\n'


def build(folder: Path, sources: list[Template], count: int, seed: int) -> int:
    """Write `count` varied, padded pages into `folder`; return the bytes written."""
    rng = random.Random(seed)
    written = 0
    for n in range(count):
        template = sources[n % len(sources)]
        size = min(MAX_BYTES, max(MIN_BYTES, int(rng.gauss(MEAN_BYTES, SPREAD_BYTES))))
        page = padded(varied(template, rng), size, rng).encode("utf-8")
        path = folder / template.labels.family / f"{Path(template.labels.name).name}-{n:05d}.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(page)
        written += len(page)
    return written


def parse_all(folder: Path) -> tuple[int, int, int, float]:
    """Pages read, documents found, pages that failed, seconds: `parse_html` alone."""
    files = sorted(folder.rglob("*.html"))
    documents = failed = 0
    started = time.perf_counter()
    for file in files:
        try:
            for article in parse_html(file.read_bytes()):
                documents += 1 + len(article.comments)
        except Exception:  # a page the reader refuses is counted, not fatal
            failed += 1
    return len(files), documents, failed, time.perf_counter() - started


def line(what: str, pages: int, documents: int, seconds: float) -> str:
    return (
        f"{what:<14} {pages:>6,} pages  {seconds:8.1f} s  {pages / seconds:8.1f} pages/s  "
        f"{documents / seconds:9.1f} documents/s"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=2000, help="pages to generate")
    parser.add_argument(
        "--templates",
        type=Path,
        action="append",
        help=f"a folder of labelled pages (repeatable; default {DEFAULT_PAGES})",
    )
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--engine", choices=("whoosh", "tantivy"), help="the index's engine")
    args = parser.parse_args(argv)
    sources = templates(args.templates or [DEFAULT_PAGES])
    if not sources:
        print("no labelled page to take as a template", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="hubbub-saved-pages-") as work:
        folder, index = Path(work) / "pages", Path(work) / "index"
        written = build(folder, sources, args.pages, args.seed)
        families = len({t.labels.family for t in sources})
        print(
            f"{args.pages:,} pages from {len(sources)} labelled pages of {families} families, "
            f"seed {args.seed}: {written / 2**20:.1f} MiB, "
            f"mean {written / args.pages / 1000:.0f} KB a page"
        )
        started = time.perf_counter()
        summary = Archive.open(index).index([folder], rebuild=True, engine=args.engine)
        seconds = time.perf_counter() - started
        print(line("Archive.index", summary.files_seen, summary.documents, seconds))
        if summary.skipped:
            print(f"{'':<14} {len(summary.skipped):,} pages skipped: {summary.skipped[0][1]}")
        pages, documents, failed, seconds = parse_all(folder)
        print(line("parse_html", pages, documents, seconds))
        if failed:
            print(f"{'':<14} {failed:,} pages failed to parse")
    return 0


if __name__ == "__main__":
    sys.exit(main())
