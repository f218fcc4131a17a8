"""The run's figures as text tables, `docs/benchmarks.md` and a latency plot.

Every ratio is against plain Whoosh measured in the same run and reads "times
better": above 1 is faster, smaller or leaner than plain Whoosh, below 1 is worse.

    python -m bench.report bench/.work/results.json   # re-render without re-measuring
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import sqlite3
import subprocess
from importlib import metadata
from pathlib import Path

from bench.adapter import FUZZY, KINDS, NOHIT, WILDCARD
from bench.engines import BASELINE
from indexer.search import QUERY_SECONDS

NOTES = """\
## What is measured

- **Corpus.** `bench/generate.py`, seed 2012: articles with geometric comment threads
  (mean 10 comments), authors drawn from a Zipf law (one handle per 50 documents; the top
  author writes some 5% of the comments, the median one 20 at 100k), dates over
  2010-2019, bodies of Zipfian English-like text averaging 90 words (real common words,
  then invented ones). Every engine indexes the same documents.
- **Index.** Documents per second from the loaded records to a committed index, in a
  child process of its own; size on disk afterwards.
- **Queries.** One fixed mix, the same queries in the same order for every engine, each
  returning the exact number of hits and the top 10 by relevance: `plain`; `facets`
  (plus the top 20 authors and the count per year); `highlights` (plus a snippet for each
  of the 10); `author` (filtered to one of the five most active authors or the
  hundredth); `dates` (a month to three years); `wildcard` (a three-letter prefix,
  `gov*`); `fuzzy` (a word misspelt by one edit, `govrnment~1`: news words, and mid and
  rare words with a letter left out); `nohit` (misspellings no document holds, alone or
  in pairs: Hubbub then looks for a did-you-mean). Words are AND-ed: a fifth of the
  terms hit a fifth to half of all documents, half are news words or pairs, the rest
  mid-frequency and rare words. Each kind runs its queries after one warm-up query; a
  kind stops early after the time cap, and then `n=` gives the number of queries its
  figures rest on. A kind an engine cannot run (SQLite FTS5 has no fuzzy match) is
  "not measured". The targets comparing Hubbub with a raw engine leave `nohit` out:
  Hubbub then looks for a did-you-mean, which the raw engines do not.
- **Hubbub** is the library as the site uses it: `Archive.add_records` (one commit) and
  `indexer.search.search` with `per_page=10`, asking through the request's own options
  (`/api/search`'s `facet=`, `facet_size=` and `highlight=`) for what each kind asks of
  every engine: the author and year facets only for `facets`, marked snippets only for
  `highlights`. Hubbub (tantivy) is the same on the tantivy engine. The result cache
  is off for the whole run (`HUBBUB_CACHE=0`), as the mix repeats queries.
- **Whoosh (plain)**, the baseline: schema id, kind, author (ID, sortable), date
  (DATETIME, sortable), year (ID, sortable; for the year facet), body (TEXT,
  StemmingAnalyzer, stored); the default writer; `QueryParser("body")` with its
  `FuzzyTermPlugin`; **a new searcher per query**; facets by `groupedby` with
  `sorting.FieldFacet` (author, year); snippets by `hit.highlights`; filters by
  `filter=`; total by `len(results)`.
  Beware: when a filter matches no document at all, Whoosh's collector lets every
  document through (`if _allow and ...` in `collectors.py`), so such a query returns
  unfiltered hits; the small corpus's `dates` mix has one such query.
- **SQLite FTS5** (Python's `sqlite3`): a table of documents and an external-content
  FTS5 table (`porter unicode61`), no other index; top 10 by `rank` (bm25), total by `count(*)`,
  facets by `GROUP BY` over `rowid IN (... MATCH ...)`, snippets by `snippet()`,
  prefixes by FTS5's `gov*`.
- **tantivy** (PyPI `tantivy`, Python bindings of the Rust engine): `en_stem` body,
  raw author, fast date and year; writer with a 256 MB heap and its default threads
  (both cores here: the others index on one); `parse_query(...,
  conjunction_by_default=True)`; facets by `searcher.aggregate` (terms aggregations on
  fast fields); snippets by `SnippetGenerator`; a prefix as `regex_query("gov.*")`
  since its query language has no single-term prefix, and a fuzzy word as
  `fuzzy_term_query` on the word as typed in the body (Hubbub searches the stems of the
  words within the edits, in three fields, so finds more). Its
  stemmer (Snowball) differs from Whoosh's and SQLite's (Porter), so prefixes match
  somewhat other terms.
- **Profiles.** After a run, `python -m bench.profile --size 100000 --kind plain` (or
  `--build`) shows with pyinstrument where Hubbub's time goes on the same index.
- **Hits.** The table of mean hits per query shows the engines found the same documents:
  Hubbub finds a few more because it also searches article titles.
- **Peak memory** is the peak resident set (`VmHWM` in `/proc/<pid>/status`) of a fresh
  spawned child per measurement (build and queries apart), interpreter and all four
  engines' modules included; `ru_maxrss` would not do, as Linux carries it over from
  the parent through fork and exec. A build child holds the whole corpus as records
  before it starts: the `corpus alone` figure is that floor. For the server it is the
  `hubbub serve` process's `VmHWM` at the end of the load test.
- **`/api/search`**: a real `hubbub serve` (waitress, 8 threads) on 127.0.0.1 for each
  Hubbub engine, 8 client threads with keep-alive connections in the runner, taking
  plain, author and date queries of the mix in turn for a fixed time, with the API's
  defaults: every facet counted, snippets marked, no result cache. The clients share
  the 2 cores with the server. The first request, which opens the index, is not counted.
"""


def machine() -> dict:
    """What the figures were measured on."""
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem_kib = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal:")
    )
    return {
        "cpus": os.cpu_count(),
        "memory_gib": round(mem_kib / 2**20, 1),
        "cpu": model,
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
        "whoosh": metadata.version("whoosh-reloaded"),
        "tantivy": metadata.version("tantivy"),
        "sqlite": sqlite3.sqlite_version,
        "revision": revision(),
    }


def revision() -> str:
    """The commit measured, and whether Hubbub's own code had uncommitted changes."""
    head = git("rev-parse", "--short", "HEAD") or "unknown"
    return head + (
        " with uncommitted changes"
        if git("status", "--porcelain", "--", "indexer", "webapp")
        else ""
    )


def git(*args: str) -> str:
    done = subprocess.run(["git", *args], capture_output=True, text=True, check=False)
    return done.stdout.strip()


def better(value: float, baseline: float | None, higher_is_better: bool) -> str:
    """The ratio to the baseline as "times better"; nothing for the baseline itself."""
    if not value or not baseline:
        return ""
    ratio = value / baseline if higher_is_better else baseline / value
    return f"×{ratio:.2f}" if ratio < 10 else f"×{ratio:.0f}"


def number(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:.1f}" if value >= 10 else f"{value:.2f}"


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def scalar_row(
    label: str, engines: dict, key: str, higher_is_better: bool, scale: float = 1.0
) -> list[str]:
    base = engines.get(BASELINE, {}).get(key)
    cells = [label]
    for name, figures in engines.items():
        value = figures[key]
        ratio = better(value, base, higher_is_better) if name != BASELINE else ""
        cells.append(f"{number(value * scale)} {ratio}".strip())
    return cells


def passes_note(results: dict) -> str:
    """How the latency figures were taken, for the report's preamble."""
    passes = results.get("passes", 1)
    note = (
        f"Each query kind ran {results['queries']} queries unless `n=` says fewer "
        f"(time cap {results['cap']:.0f} s per kind and engine)"
    )
    if passes < 2:
        return note + "."
    count = results["queries"]
    upper = count - math.ceil(0.95 * (count - 1))  # the faster of the two, counted from the top
    return (
        note + f", in {passes} passes over the whole mix, the engines taking turns pass by"
        " pass, each pass in a fresh process, so that a busy moment of the machine falls on"
        " every engine alike. A median or p95 is the median of the passes' figures, and"
        " [low–high] after a p95 gives the lowest and highest pass's: one pass of"
        f" {count} queries puts its p95 between its {ordinal(upper)} and {ordinal(upper + 1)}"
        " slowest query, where a single pause moves it."
    )


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, ... 11th, 12th, 13th, ... 21st."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def p95_with_spread(lat: dict) -> str:
    """The median pass's p95, and the lowest and highest pass's when there were several."""
    if lat.get("passes", 1) < 2:
        return number(lat["p95"])
    return f"{number(lat['p95'])} [{number(lat['p95_low'])}–{number(lat['p95_high'])}]"


NOT_MEASURED = "not measured"


def latency_row(kind: str, engines: dict, wanted: int) -> list[str]:
    base = engines.get(BASELINE, {}).get("latency", {}).get(kind)
    cells = [f"{kind}: median / p95 ms"]
    for name, figures in engines.items():
        lat = figures["latency"].get(kind)
        if lat is None:
            cells.append(NOT_MEASURED)
            continue
        cell = f"{number(lat['median'])} / {p95_with_spread(lat)}"
        if base and name != BASELINE:
            cell += (
                f" ({better(lat['median'], base['median'], False)} / "
                f"{better(lat['p95'], base['p95'], False)})"
            )
        if lat["count"] < wanted:
            cell += f" n={lat['count']}"
        cells.append(cell)
    return cells


def size_table(size: dict, wanted: int) -> str:
    engines = size["engines"]
    rows = [
        scalar_row("index: documents/s", engines, "docs_per_s", True),
        scalar_row("index: size on disk, MiB", engines, "disk_mib", False),
        scalar_row("index: peak memory, MiB", engines, "build_peak_mib", False),
        scalar_row("open the index, ms", engines, "open_s", False, 1000),
        scalar_row("first query after opening, ms", engines, "first_s", False, 1000),
        *(latency_row(kind, engines, wanted) for kind in KINDS),
        scalar_row("queries: peak memory, MiB", engines, "query_peak_mib", False),
    ]
    return table(["", *(figures["name"] for figures in engines.values())], rows)


def hits_table(size: dict) -> str:
    """Mean hits per query over the queries every engine ran: like work, or not."""
    engines = size["engines"]
    rows = []
    for kind in KINDS:
        measured = [f["latency"][kind] for f in engines.values() if kind in f["latency"]]
        common = min((len(lat["hits"]) for lat in measured), default=0)
        cells = [kind]
        for figures in engines.values():
            if kind not in figures["latency"]:
                cells.append(NOT_MEASURED)
                continue
            hits = figures["latency"][kind]["hits"][:common]
            cells.append(f"{sum(hits) / max(1, len(hits)):,.0f}")
        rows.append(cells)
    return table(["mean hits per query", *(f["name"] for f in engines.values())], rows)


def api_table(sizes: dict, names: dict[str, str]) -> str:
    rows = [
        [
            f"{int(n):,}",
            names.get(key, key),
            f"{api['per_second']:.1f}",
            number(api["median"]),
            number(api["p95"]),
            f"{api['requests']:,}",
            str(api["failures"]),
            f"{api['ready_s']:.1f}",
            number(api["peak_mib"]),
        ]
        for n, size in sizes.items()
        for key, api in size.get("api", {}).items()
    ]
    return table(
        [
            "documents",
            "engine",
            "requests/s",
            "median ms",
            "p95 ms",
            "requests",
            "failures",
            "first answer, s",
            "server peak MiB",
        ],
        rows,
    )


TARGET_SIZE = "100000"
MILLION = "1000000"


def met(ok: bool) -> str:
    return "yes" if ok else "**no**"


DUMP_PEAK_GOAL_MIB = 1536
MILLION_BUILD_GOAL_S = 120


def dump_table(dump: dict) -> str:
    """How a Reddit-shaped dump read a piece at a time went."""
    rows = [
        ["lines (submissions and comments)", f"{dump['lines']:,}"],
        [
            "file, compressed / unpacked",
            f"{dump['bytes'] / 2**20:,.0f} / {dump['unpacked_bytes'] / 2**20:,.0f} MiB",
        ],
        ["written in", f"{dump['write_s']:,.0f} s"],
        ["indexed (tantivy engine) in", f"{dump['seconds']:,.0f} s"],
        ["documents/s", f"{dump['documents'] / dump['seconds']:,.0f}"],
        ["peak memory of the indexing process", f"{dump['peak_mib']:,.0f} MiB"],
    ]
    return table(["", "measured"], rows)


def dump_target(dump: dict | None) -> list[str]:
    goal = "A Reddit .zst dump of 1,000,000 comments on the tantivy engine: peak memory"
    goal += f" under {DUMP_PEAK_GOAL_MIB / 1024:.1f} GB"
    if not dump:
        return [goal, "not measured in this run (`--dump-comments 1000000`)", ""]
    measured = f"{dump['peak_mib']:,.0f} MiB for {dump['comments']:,} comments"
    return [goal, measured, met(dump["peak_mib"] < DUMP_PEAK_GOAL_MIB)]


COSTLY_KINDS = (FUZZY, WILDCARD, NOHIT)
RATIO_KINDS = tuple(kind for kind in KINDS if kind != NOHIT)
"""The kinds a target compares with a raw engine: a no-hit search is left out, as Hubbub
then looks for a did-you-mean, which a raw engine does not; it has a target of its own."""
ENGINE_TITLES = {"hubbub": "Whoosh engine", "hubbub-tantivy": "tantivy engine"}


def costly_terms_target(engines: dict, key: str, goal: str, limit_ms: float) -> list[str]:
    """The target for the queries whose terms cost most to look up: fuzzy, wildcard and
    no-hit (which asks for a did-you-mean), each kind's p95 against `limit_ms`."""
    target = f"{ENGINE_TITLES[key]}, 100k: fuzzy, wildcard and no-hit p95 {goal}"
    latency = engines.get(key, {}).get("latency", {})
    if not all(kind in latency for kind in COSTLY_KINDS):
        return [target, "not measured in this run (`--sizes 100000`)", ""]
    p95s = {kind: latency[kind]["p95"] for kind in COSTLY_KINDS}
    measured = "; ".join(f"{kind} {number(p95)} ms" for kind, p95 in p95s.items())
    return [target, measured, met(max(p95s.values()) < limit_ms)]


def targets_table(sizes: dict, dump: dict | None = None) -> str:
    """Each target of the engines, as measured in this run; those at a size the run did
    not measure say so."""
    rows = []
    at = sizes.get(TARGET_SIZE, {}).get("engines", {})
    if {"hubbub", BASELINE} <= at.keys():
        mine, base = at["hubbub"], at[BASELINE]
        faster = base["latency"]["facets"]["p95"] / mine["latency"]["facets"]["p95"]
        rows.append(
            [
                "Whoosh engine, 100k: facet-query p95 at least 4 times plain `groupedby` Whoosh",
                f"{number(mine['latency']['facets']['p95'])} against "
                f"{number(base['latency']['facets']['p95'])} ms: ×{faster:.1f}",
                met(faster >= 4),
            ]
        )
        speed = mine["docs_per_s"] / base["docs_per_s"]
        rows.append(
            [
                "Whoosh engine, 100k: indexing at least 1.8 times the default single writer",
                f"{mine['docs_per_s']:,.0f} against {base['docs_per_s']:,.0f} documents/s:"
                f" ×{speed:.2f}",
                met(speed >= 1.8),
            ]
        )
    if {"hubbub-tantivy", "tantivy"} <= at.keys():
        mine, raw = at["hubbub-tantivy"]["latency"], at["tantivy"]["latency"]
        both = [kind for kind in RATIO_KINDS if kind in mine and kind in raw]
        ratios = {kind: mine[kind]["p95"] / raw[kind]["p95"] for kind in both}
        rows.append(
            [
                "tantivy engine, 100k: p95 within 1.5 times raw tantivy on every query type",
                "; ".join(
                    f"{kind} {number(mine[kind]['p95'])} against {number(raw[kind]['p95'])}"
                    f" ms (×{ratios[kind]:.2f})"
                    for kind in both
                ),
                met(max(ratios.values()) <= 1.5),
            ]
        )
    rows += [
        costly_terms_target(
            at, "hubbub", f"within the {QUERY_SECONDS:.0f} s budget", QUERY_SECONDS * 1000
        ),
        costly_terms_target(at, "hubbub-tantivy", "under 50 ms", 50.0),
    ]
    million = sizes.get(MILLION, {}).get("engines", {}).get("hubbub-tantivy")
    if million:
        rows += [
            [
                f"tantivy engine: 1M documents indexed in under {MILLION_BUILD_GOAL_S} s",
                f"{million['build_s']:,.0f} s",
                met(million["build_s"] < MILLION_BUILD_GOAL_S),
            ],
            [
                "tantivy engine: facet-query p95 under 20 ms at 1M",
                f"{number(million['latency']['facets']['p95'])} ms",
                met(million["latency"]["facets"]["p95"] < 20),
            ],
        ]
    else:
        rows.append(
            [
                f"tantivy engine at 1M: indexed in under {MILLION_BUILD_GOAL_S} s,"
                " facet-query p95 under 20 ms",
                "not measured in this run (`--sizes 1000000`)",
                "",
            ]
        )
    api = sizes.get(TARGET_SIZE, {}).get("api", {}).get("hubbub-tantivy")
    if api:
        rows.append(
            [
                "`/api/search` on the tantivy engine, 100k, 8 clients: 300 requests/s,"
                " p95 under 50 ms, no errors",
                f"{api['per_second']:,.0f} requests/s, p95 {number(api['p95'])} ms,"
                f" {api['failures']} failures",
                met(api["per_second"] >= 300 and api["p95"] < 50 and not api["failures"]),
            ]
        )
    rows.append(dump_target(dump))
    return table(["target", "measured", "met"], rows)


def render(results: dict, plot: str | None) -> str:
    """The whole of `docs/benchmarks.md`."""
    m = results["machine"]
    parts = [
        "# Benchmarks: Hubbub against plain Whoosh, SQLite FTS5 and tantivy",
        "",
        f"Measured {results['date']} on {m['cpus']} cores ({m['cpu']}), {m['memory_gib']} GiB,"
        f" Python {m['python']}, {m['system']}; whoosh-reloaded {m['whoosh']}, tantivy "
        f"{m['tantivy']}, SQLite {m['sqlite']}; Hubbub at `{m['revision']}`. The whole run took "
        f"{results['seconds'] / 60:.1f} minutes.",
        "",
        "```sh",
        results["command"],
        "```",
        "",
        (
            "Ratios (×N) are against plain Whoosh in the same run and read *times better*: "
            "above 1 is faster, smaller or leaner than plain Whoosh, below 1 worse. "
            if any(BASELINE in size["engines"] for size in results["sizes"].values())
            else "Plain Whoosh was not in this run, so there are no ratios. "
        )
        + passes_note(results),
        "",
    ]
    for n, size in results["sizes"].items():
        parts += [
            f"## {int(n):,} documents",
            "",
            f"{size['threads']:,} threads, {size['authors']:,} authors; generated in "
            f"{size['generate_s']:.0f} s; a child holding the corpus alone peaks at "
            f"{size['corpus_peak_mib']:,.0f} MiB.",
            "",
            size_table(size, results["queries"]),
            "",
            hits_table(size),
            "",
        ]
    names = {
        key: figures["name"]
        for size in results["sizes"].values()
        for key, figures in size["engines"].items()
    }
    if any(size.get("api") for size in results["sizes"].values()):
        parts += [
            "## Hubbub's `/api/search` with 8 concurrent clients",
            "",
            api_table(results["sizes"], names),
            "",
        ]
    dump = results.get("dump")
    if dump:
        parts += [
            f"## A Reddit dump of {dump['comments']:,} comments, read a piece at a time",
            "",
            "One `.zst` file of JSON lines as Pushshift publishes a month (`bench/dump.py`):"
            " the generator's threads, comments in posting order so that each thread's are"
            " spread among others', indexed by `hubbub index` on the tantivy engine.",
            "",
            dump_table(dump),
            "",
        ]
    parts += [
        "## The targets",
        "",
        targets_table(results["sizes"], dump),
        "",
        "How each engine is made fast, and the profile behind any target missed:"
        " [performance.md](performance.md).",
        "",
    ]
    if plot:
        parts += ["## p95 latency against corpus size", "", f"![p95 latency]({plot})", ""]
    parts += [NOTES]
    return "\n".join(parts)


def draw(results: dict, path: Path) -> None:
    """p95 latency against corpus size, one panel per query kind, one line per engine."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot
    from matplotlib.ticker import FuncFormatter

    sizes = sorted(results["sizes"], key=int)
    names = {
        key: figures["name"]
        for size in results["sizes"].values()
        for key, figures in size["engines"].items()
    }
    figure, axes = pyplot.subplots(2, 4, figsize=(17, 7.5), sharex=True)
    for ax, kind in zip(axes.flat, KINDS, strict=True):
        for colour, (key, name) in enumerate(names.items()):
            points = [
                (int(n), results["sizes"][n]["engines"][key]["latency"][kind]["p95"])
                for n in sizes
                if kind in results["sizes"][n]["engines"].get(key, {}).get("latency", {})
            ]
            if points:
                ax.plot(*zip(*points, strict=True), marker="o", label=name, color=f"C{colour}")
        ax.set_title(kind)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xticks([int(n) for n in sizes], [f"{int(n):,}" for n in sizes])
        ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
        ax.minorticks_off()
        ax.grid(True, which="major", alpha=0.3)
        ax.set_ylabel("p95 ms")
    for ax in axes[-1]:
        ax.set_xlabel("documents")
    axes.flat[0].legend(fontsize=8)
    figure.suptitle(f"p95 query latency (top 10), {results['date']}")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    pyplot.close(figure)


def write(results: dict, out: Path, plot: Path | None) -> str:
    """Write the markdown (and the plot, beside it) and return the markdown."""
    if plot:
        draw(results, plot)
    text = render(results, os.path.relpath(plot, out.parent) if plot else None)
    out.write_text(text)
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description="Render a saved benchmark run again.")
    parser.add_argument("results", type=Path)
    parser.add_argument("--out", type=Path, default=Path("docs/benchmarks.md"))
    parser.add_argument("--plot", type=Path, default=Path("docs/benchmarks-latency.png"))
    args = parser.parse_args()
    print(write(json.loads(args.results.read_text()), args.out, args.plot))


if __name__ == "__main__":
    main()
