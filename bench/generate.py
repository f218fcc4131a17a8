"""Seeded, realistic archives for the benchmark: articles with skewed comment threads.

Real comment archives are skewed everywhere, and the skew is what makes search slow or
fast: a few authors write most comments (Zipf), a few threads get most replies
(geometric), and a few words make up most of the text (Zipf). The generator reproduces
those shapes with `random.Random(seed)` only, so the same seed gives the same archive on
any machine, without numpy.

    python -m bench.generate --size 10000 --out /tmp/bench-10k.jsonl
    hubbub index /tmp/bench-10k.jsonl --index /tmp/bench-index
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import random
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from indexer import Article, Comment

SEED = 2012
FIRST_DAY = date(2010, 1, 1)
DAYS = 3652  # ten years of news
VOCABULARY_SIZE = 50_000
WORD_EXPONENT = 1.0  # Zipf's law for words
AUTHOR_EXPONENT = 0.8  # heavy commenters, but not one author writing a tenth of everything
DOCUMENTS_PER_AUTHOR = 50  # 20,000 handles at a million documents
MEAN_THREAD = 10.0
MAX_THREAD = 1_000
COMMENT_WORDS = 70.0  # mean; with articles of ~300 words the mean document has ~90
ARTICLE_WORDS = 300.0
REPLY_SHARE = 0.3
STAFF_WRITERS = 60
TITLE_SKIP = 100  # titles skip the most common words, as headlines do

# Real words in a plausible order of frequency: function words first, with the content
# words of news comments among them, so that queries like "government" or "putin" read
# naturally and hit a realistic share of documents. Invented words follow.
COMMON_WORDS = """
the of and to a in is that it for was on he i with as be his they are this but at not
by have from you or had said we an has were their people which would there been one
all more will if what who so about can when no them up out do its than said only other
new could my just like some our time into years also think government country world us
how after first two your over because any these should even very back then most make
year state war president know good many see well market police right now way those
much where last still need public being against money political economy russia power
security election party police military news minister law case work under own while
since three part life long america china support deal between before again system
money putin europe policy oil water business report rights leader death court
national tax jobs health energy trade vote media nuclear prices crisis bank city
control children foreign army border reform plan budget attack village workers
pakistan india israel iran syria ukraine obama congress senate london moscow
billion million percent debt growth rates stocks investors inflation wages housing
justice freedom protest strike climate weather storm disaster school university
science technology internet phone company companies industry factory farmers food
history church religion culture music film sport football match season player coach
""".split()

SYLLABLES = [c + v for c in "bcdfghklmnprstvwz" for v in ("a", "e", "i", "o", "u", "ai", "ou")]
ENDINGS = ["", "", "", "n", "r", "s", "t", "l", "m", "x", "nd", "st", "ck"]
ADJECTIVES = """quiet old red blue true free wise lone wild brave dark bright sharp cold
grey green north south east west iron silver golden happy angry lucky plain simple
honest""".split()
NOUNS = """heron sailor farmer reader patriot skeptic voter citizen wolf fox owl hawk
river mountain bridge tower harbor garden prairie thinker teacher doctor pilot
traveler observer realist critic""".split()


def unique(words: Iterable[str]) -> list[str]:
    """The words in order, each kept at its first (most frequent) place."""
    return list(dict.fromkeys(words))


def vocabulary(rng: random.Random, size: int = VOCABULARY_SIZE) -> list[str]:
    """The words from most to least frequent: the real ones, then invented ones."""
    words = unique(COMMON_WORDS)
    known = set(words)
    for _ in range(size * 4):  # bounded: invented words rarely repeat
        if len(words) >= size:
            break
        word = "".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))) + rng.choice(ENDINGS)
        if word not in known:
            known.add(word)
            words.append(word)
    return words


def zipf_weights(count: int, exponent: float) -> list[float]:
    """Cumulative Zipf weights for ranks 1..count, as `random.choices` takes them."""
    return list(itertools.accumulate(rank**-exponent for rank in range(1, count + 1)))


def handles(rng: random.Random, count: int) -> list[str]:
    """`count` distinct commenter handles, like "QuietHeron" or "lonewolf77"."""
    names: list[str] = []
    seen: set[str] = set()
    for _ in range(count * 20):  # bounded: retries only on rare collisions
        if len(names) >= count:
            break
        name = rng.choice(ADJECTIVES).title() + rng.choice(NOUNS).title()
        if rng.random() < 0.6:
            name += str(rng.randint(1, 999))
        if rng.random() < 0.2:
            name = name.lower()
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def thread_length(rng: random.Random) -> int:
    """A geometric number of comments with mean `MEAN_THREAD`: most threads are short."""
    stop = 1.0 / (MEAN_THREAD + 1.0)
    return min(MAX_THREAD, int(math.log(1.0 - rng.random()) / math.log(1.0 - stop)))


def word_count(rng: random.Random, mean: float) -> int:
    """A log-normal length: many short comments, some long rants."""
    sigma = 0.8
    return max(3, min(2_000, round(rng.lognormvariate(math.log(mean) - sigma**2 / 2, sigma))))


@dataclass
class Writer:
    """Draws text, authors and dates from one seeded random stream."""

    rng: random.Random
    words: list[str]
    word_weights: list[float]
    title_weights: list[float]
    authors: list[str]
    author_weights: list[float]
    staff: list[str]

    def text(self, mean_words: float) -> str:
        """Sentences of Zipfian words in paragraphs of about four sentences."""
        drawn = self.rng.choices(
            self.words, cum_weights=self.word_weights, k=word_count(self.rng, mean_words)
        )
        paragraphs: list[str] = []
        sentences: list[str] = []
        start = 0
        while start < len(drawn):
            end = start + self.rng.randint(6, 20)
            sentence = " ".join(drawn[start:end])
            sentences.append(sentence[:1].upper() + sentence[1:] + ".")
            start = end
            if len(sentences) == 4:
                paragraphs.append(" ".join(sentences))
                sentences = []
        if sentences:
            paragraphs.append(" ".join(sentences))
        return "\n\n".join(paragraphs)

    def title(self) -> str:
        content = self.rng.choices(self.words[TITLE_SKIP:], cum_weights=self.title_weights, k=7)
        return " ".join(content).capitalize()

    def author(self) -> str:
        return self.rng.choices(self.authors, cum_weights=self.author_weights)[0]

    def article(self, number: int, comments: int) -> Article:
        day = FIRST_DAY + timedelta(days=self.rng.randrange(DAYS))
        posted = datetime(day.year, day.month, day.day, self.rng.randrange(6, 22))
        thread: list[Comment] = []
        when = posted
        for position in range(1, comments + 1):
            when += timedelta(minutes=round(self.rng.expovariate(1 / 45)) + 1)
            parent = None
            if position > 1 and self.rng.random() < REPLY_SHARE:
                parent = f"c{self.rng.randrange(1, position)}"
            thread.append(
                Comment(
                    author=self.author(),
                    body=self.text(COMMENT_WORDS),
                    position=position,
                    date=when,
                    key=f"c{position}",
                    parent=parent,
                )
            )
        return Article(
            title=self.title(),
            body=self.text(ARTICLE_WORDS),
            date=posted,
            byline=self.rng.choice(self.staff),
            url=f"https://news.example/{number}",
            key=f"bench-{number}",
            comments=tuple(thread),
        )


def writer(size: int, seed: int) -> Writer:
    rng = random.Random(seed)
    words = vocabulary(rng)
    authors = handles(rng, max(100, size // DOCUMENTS_PER_AUTHOR))
    staff = [f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}".title() for _ in range(STAFF_WRITERS)]
    return Writer(
        rng=rng,
        words=words,
        word_weights=zipf_weights(len(words), WORD_EXPONENT),
        title_weights=zipf_weights(len(words) - TITLE_SKIP, WORD_EXPONENT),
        authors=authors,
        author_weights=zipf_weights(len(authors), AUTHOR_EXPONENT),
        staff=staff,
    )


def generate(size: int, seed: int = SEED) -> list[Article]:
    """Articles with their threads, `size` documents in all (articles plus comments).

    The same `size` and `seed` always give the same archive.
    """
    source = writer(size, seed)
    articles: list[Article] = []
    documents = 0
    while documents < size:  # bounded: every article adds at least one document
        comments = min(thread_length(source.rng), size - documents - 1)
        articles.append(source.article(len(articles) + 1, comments))
        documents += 1 + comments
    return articles


def endless(size: int, seed: int = SEED) -> Iterator[Article]:
    """Articles drawn as `generate` draws them, one at a time and without end, for a file
    written to a size in bytes rather than in documents; `size`, the documents expected,
    sets how many commenters there are."""
    source = writer(size, seed)
    for number in itertools.count(1):
        yield source.article(number, thread_length(source.rng))


def vocabulary_for(seed: int = SEED) -> list[str]:
    """The generator's words by rank for a seed: the query mix picks rare words from it."""
    return vocabulary(random.Random(seed))


def document_count(articles: Sequence[Article]) -> int:
    return sum(1 + len(article.comments) for article in articles)


def jsonl_lines(articles: Iterable[Article]) -> Iterator[str]:
    """The archive in the JSON-lines format that `hubbub index` reads."""
    for article in articles:
        yield json.dumps(
            {
                "kind": "article",
                "id": article.key,
                "title": article.title,
                "author": article.byline,
                "date": article.date.isoformat(),
                "url": article.url,
                "body": article.body,
            }
        )
        for comment in article.comments:
            yield json.dumps(
                {
                    "kind": "comment",
                    "id": f"{article.key}-{comment.key}",
                    "article_id": article.key,
                    "author": comment.author,
                    "date": comment.date.isoformat(),
                    "position": comment.position,
                    "parent": f"{article.key}-{comment.parent}" if comment.parent else None,
                    "body": comment.body,
                }
            )


def write_jsonl(articles: Iterable[Article], path: Path) -> None:
    with open(path, "w", encoding="utf-8") as out:
        for line in jsonl_lines(articles):
            out.write(line + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description="Write a seeded benchmark archive as JSON lines.")
    parser.add_argument("--size", type=int, default=10_000, help="documents in all")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", type=Path, required=True, help="the .jsonl file to write")
    args = parser.parse_args()
    articles = generate(args.size, args.seed)
    write_jsonl(articles, args.out)
    print(
        f"Wrote {document_count(articles):,} documents in {len(articles):,} threads to {args.out}"
    )


if __name__ == "__main__":
    main()
