"""`make bench-solr`: Hubbub's Solr engine against raw Solr on a local two-node SolrCloud.

    python -m bench.solr --sizes 100000,1000000 --out docs/benchmarks-solr.md

One SolrCloud (`solr/cluster`: ZooKeeper and two node JVMs of 2 GiB heap) serves the
whole run; HUBBUB_SOLR names its nodes to the children that build and query. Each size
is measured by `bench.run.measure_size` with Hubbub on Solr, raw Solr and Hubbub on
tantivy, so the figures come from the same children and the same query mix as
`make bench`. The JVMs compile Solr's code as it runs, so an untimed pass on a small
archive goes first: the engine measured first would otherwise pay for it. After each
size the Solr collections' size is read from Solr, where a search's time goes (its
HTTP requests, Solr's own time, the client's) is measured, and the size's collections
are dropped. The cluster is stopped at the
end whatever happens, and any of its JVMs still alive then is killed.

    python -m bench.solr --render bench/.work/solr/results.json   # re-render only
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from unittest import mock

import urllib3

from bench import measure, report, run
from bench.adapter import FACETS, KINDS, Query
from bench.engines import ENGINES
from bench.generate import SEED
from bench.hubbub_solr import REPLICAS, SHARDS
from bench.peers import SOLR_POINTER, RawSolr
from bench.queries import all_queries
from indexer.engines.solr import POINTER, SOLR_ENVIRONMENT
from indexer.engines.solr_cluster import SolrCluster

ROOT = Path(__file__).resolve().parent.parent
MEASURED = ("hubbub-solr", "solr", "hubbub-tantivy")
HUBBUB, RAW = "hubbub-solr", "solr"
NODES = 2
HEAP = "2g"
START_SECONDS = 600.0  # the first start builds the launcher with Maven
STOP_SECONDS = 60.0
WARM_UP_SIZE = 10_000
SETTLE_SECONDS = 300.0
IDLE_WINDOW = 2.0
IDLE_SHARE = 0.1  # of one core
NODE_LINE = re.compile(r"node (\d+): (\S+) pid (\d+)")
ZK_LINE = re.compile(r"zk: (\S+) pid (\d+)")
MIB = 2**20

RATIO_GOAL = 1.5
FACET_GOAL_MS = 50.0
MILLION = "1000000"


@dataclass
class Cluster:
    """A running `solr/cluster` and the processes it reported."""

    process: subprocess.Popen
    folder: Path
    urls: list[str]
    pids: list[int]  # the nodes', then ZooKeeper's


def start_cluster(script: Path, folder: Path, nodes: int, heap: str) -> Cluster:
    """Start a SolrCloud and wait for its ready lines: a node per line, then ZooKeeper."""
    process = subprocess.Popen(
        [str(script), "--nodes", str(nodes), "--dir", str(folder), "--heap", heap],
        stdout=subprocess.PIPE,
        text=True,
    )
    cluster = Cluster(process, folder, [], [])
    try:
        zk_pid = ready_lines(cluster)
        if zk_pid is None or len(cluster.urls) < nodes:
            raise RuntimeError(f"solr/cluster did not start; its logs are in {folder}")
    except BaseException:  # Ctrl-C while starting too: nothing of it may outlive the run
        stop_cluster(cluster)
        raise
    cluster.pids.append(zk_pid)
    return cluster


def ready_lines(cluster: Cluster) -> int | None:
    """Read the nodes' lines into `cluster`; ZooKeeper's pid, None if it never came."""
    deadline = time.monotonic() + START_SECONDS
    assert cluster.process.stdout is not None
    while time.monotonic() < deadline:
        line = cluster.process.stdout.readline()
        if not line:  # the script ended
            return None
        line = line.strip()
        if node := NODE_LINE.match(line):
            cluster.urls.append(node.group(2))
            cluster.pids.append(int(node.group(3)))
        elif zk := ZK_LINE.match(line):
            return int(zk.group(2))
    return None


def stop_cluster(cluster: Cluster) -> list[int]:
    """SIGTERM the cluster and wait; then kill any JVM of it still alive, known by its own
    folder on its command line (not by a pid it reported, which another process may have
    taken since). Returns the pids killed so."""
    if cluster.process.poll() is None:
        cluster.process.send_signal(signal.SIGTERM)
    try:
        cluster.process.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        cluster.process.kill()
        cluster.process.wait()
    left = [pid for pid in pids_under(cluster.folder) if alive(pid)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    return left


def pids_under(folder: Path) -> list[int]:
    """Processes whose command line names `folder`: this cluster's JVMs, whatever
    reported them."""
    found = []
    mark = str(folder.resolve()).encode()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and entry.name != str(os.getpid()):
            try:
                if mark in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


@contextmanager
def solr_cluster(script: Path, folder: Path, nodes: int, heap: str) -> Iterator[Cluster]:
    """A SolrCloud for the block, its nodes in HUBBUB_SOLR; always stopped after."""
    cluster = start_cluster(script, folder, nodes, heap)
    os.environ[SOLR_ENVIRONMENT] = " ".join(cluster.urls)
    try:
        yield cluster
    finally:
        os.environ.pop(SOLR_ENVIRONMENT, None)
        killed = stop_cluster(cluster)
        if killed:
            print(f"killed Solr processes left running: {killed}", file=sys.stderr)


def solr_info(url: str) -> dict:
    """Solr's and the JVM's versions, from a node's system information."""
    answer = get_json(f"{url}/admin/info/system")
    return {
        "solr": answer.get("lucene", {}).get("solr-spec-version", "?"),
        "java": answer.get("jvm", {}).get("version", "?"),
    }


def get_json(url: str, **fields: str) -> dict:
    response = urllib3.request("GET", url, fields={**fields, "wt": "json"}, timeout=30.0)
    if response.status != 200:
        raise RuntimeError(f"{url} answered {response.status}")
    return json.loads(response.data)


def collection_mib(urls: list[str]) -> dict[str, float]:
    """Each collection's index size in MiB, summed over its cores on every node."""
    sizes: dict[str, float] = {}
    for url in urls:
        cores = get_json(f"{url}/admin/cores", action="STATUS").get("status", {})
        for core in cores.values():
            name = core.get("cloud", {}).get("collection") or core["name"].split("_shard")[0]
            size = core.get("index", {}).get("sizeInBytes", 0)
            sizes[name] = sizes.get(name, 0.0) + size / MIB
    return sizes


def collection_of(key: str, folder: Path) -> tuple[str, str]:
    """The collection an engine's index folder points to, with Hubbub's alias ('' for
    raw Solr, which searches its collection by name)."""
    if key == RAW:
        return json.loads((folder / SOLR_POINTER).read_text())["collection"], ""
    pointer = json.loads(next(folder.rglob(POINTER)).read_text())
    return pointer["collection"], pointer["alias"]


def drop_collections(urls: list[str], found: dict[str, tuple[str, str]]) -> None:
    """Free the nodes for the next size: each measured collection and its alias."""
    cluster = SolrCluster(urls)
    for collection, alias in found.values():
        if alias:
            cluster.admin("DELETEALIAS", name=alias)
        cluster.delete_collection(collection)


def count_requests(key: str, folder: Path, mix: dict[str, list[Query]]) -> dict:
    """Where a search's time goes, per kind: its HTTP requests, the time Solr says it
    spent on them (QTime, which leaves out writing the answer), their wall time, and the
    client's own time besides. The mix runs as in the timed run, in order after one
    warm-up query on a freshly opened index, so the engine asks what it asked there
    (labels it has already learnt, say, are not asked for again)."""
    sent: list[tuple[float, float]] = []  # QTime and wall time, ms, per request

    def timing(send: Callable[..., dict]) -> Callable[..., dict]:
        def timed(*args: object, **options: object) -> dict:
            before = time.perf_counter()
            answer = send(*args, **options)
            qtime = float(answer.get("responseHeader", {}).get("QTime", 0))
            sent.append((qtime, (time.perf_counter() - before) * 1000))
            return answer

        return timed

    target = (RawSolr, "_call") if key == RAW else (SolrCluster, "request")
    adapter = ENGINES[key]()
    adapter.open(folder)
    adapter.query(next(iter(mix.values()))[0])
    per_kind = {}
    with mock.patch.object(*target, timing(getattr(*target))):
        for kind, queries in mix.items():
            requests, qtimes, walls, outside = [], [], [], []
            for query in queries:
                sent.clear()
                before = time.perf_counter()
                adapter.query(query)
                search_ms = (time.perf_counter() - before) * 1000
                requests.append(len(sent))
                qtimes.append(sum(qtime for qtime, _ in sent))
                walls.append(sum(wall for _, wall in sent))
                outside.append(search_ms - walls[-1])
            per_kind[kind] = {
                "requests": statistics.mean(requests),
                "qtime_ms": statistics.median(qtimes),
                "request_ms": statistics.median(walls),
                "outside_ms": statistics.median(outside),
            }
    adapter.close()
    return per_kind


def cpu_seconds(pids: list[int]) -> float:
    """The CPU time the processes have used so far (user and system)."""
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def wait_until_idle(cluster: Cluster) -> float:
    """Wait until the Solr nodes use less than IDLE_SHARE of a core over IDLE_WINDOW
    seconds, or SETTLE_SECONDS have passed: a Solr build returns at its commit while
    Lucene may go on merging segments, which would compete with the timed queries for
    the two cores. Returns the seconds waited."""
    started = time.monotonic()
    nodes = cluster.pids[:-1]
    while time.monotonic() - started < SETTLE_SECONDS:
        before = cpu_seconds(nodes)
        time.sleep(IDLE_WINDOW)
        if cpu_seconds(nodes) - before < IDLE_SHARE * IDLE_WINDOW:
            break
    return time.monotonic() - started


def node_peaks(cluster: Cluster) -> list[float]:
    """Each Solr node's peak resident memory so far, in MiB."""
    return [measure.peak_mib(pid) for pid in cluster.pids[:-1]]


def measure_solr_size(
    size: int, args: argparse.Namespace, cluster: Cluster, started: float
) -> dict:
    """`bench.run.measure_size`, then what only the cluster knows: the collections' size
    on its nodes (the index folders hold pointers only), and requests per search."""
    load_before = os.getloadavg()
    settled: dict[str, float] = {}

    def settle(key: str) -> None:
        settled[key] = wait_until_idle(cluster)
        run.log(started, f"{size:,} {key}: Solr nodes idle after {settled[key]:.0f} s")

    figures = run.measure_size(size, args, started, settle)
    figures["settle_s"] = settled
    work = args.work / str(size)
    found = {key: collection_of(key, work / key) for key in args.engines if key in (HUBBUB, RAW)}
    sizes = collection_mib(cluster.urls)
    for key, (collection, _) in found.items():
        figures["engines"][key]["disk_mib"] = sizes.get(collection, 0.0)
    authors = run.corpus_authors(measure.load_corpus(work / "corpus.pickle"))
    mix = all_queries(args.queries, authors)
    figures["requests"] = {
        key: measure.in_child(count_requests, key, work / key, mix) for key in found
    }
    for counted in figures["requests"].values():
        counted.pop("peak_mib", None)
    figures["node_peak_mib"] = node_peaks(cluster)
    figures["load"] = {"before": load_before, "after": os.getloadavg()}
    drop_collections(cluster.urls, found)
    run.log(started, f"{size:,}: Solr collections measured and dropped")
    return figures


def warm_up(args: argparse.Namespace, cluster: Cluster, started: float) -> None:
    """Build and query both Solr adapters once on a small archive, untimed, so that the
    JVMs have compiled Solr's indexing and search code before anything is measured."""
    warm = argparse.Namespace(**{**vars(args), "engines": [HUBBUB, RAW]})
    run.measure_size(args.warm_up, warm, started, lambda key: wait_until_idle(cluster))
    work = args.work / str(args.warm_up)
    drop_collections(cluster.urls, {key: collection_of(key, work / key) for key in warm.engines})
    run.log(started, "warm-up done")


# The report


def ratio_table(size: dict) -> str:
    """Hubbub's Solr engine against raw Solr, kind by kind."""
    mine, raw = size["engines"][HUBBUB]["latency"], size["engines"][RAW]["latency"]
    rows = [
        [
            kind,
            f"{report.number(mine[kind]['median'])} / {report.p95_with_spread(mine[kind])}",
            f"{report.number(raw[kind]['median'])} / {report.p95_with_spread(raw[kind])}",
            f"×{mine[kind]['median'] / raw[kind]['median']:.2f}",
            f"×{mine[kind]['p95'] / raw[kind]['p95']:.2f}",
            f"{report.number(mine[kind].get('first_median', 0))} / "
            f"{report.number(raw[kind].get('first_median', 0))}",
        ]
        for kind in KINDS
    ]
    header = [
        "kind",
        "Hubbub (Solr) median / p95 ms",
        "Solr median / p95 ms",
        "÷ median",
        "÷ p95",
        "each text's first run, median ms (Hubbub / Solr)",
    ]
    return report.table(header, rows)


def requests_table(size: dict) -> str:
    """Where one search's time goes, Hubbub (Solr) / raw Solr in each cell."""
    mine, raw = size["requests"][HUBBUB], size["requests"][RAW]

    def both(kind: str, name: str, shown: Callable[[float], str] = report.number) -> str:
        return f"{shown(mine[kind].get(name, 0))} / {shown(raw[kind].get(name, 0))}"

    rows = [
        [
            kind,
            both(kind, "requests", lambda n: f"{n:.2f}"),
            both(kind, "qtime_ms"),
            both(kind, "request_ms"),
            both(kind, "outside_ms"),
        ]
        for kind in KINDS
    ]
    header = [
        "per search (Hubbub / Solr)",
        "HTTP requests, mean",
        "Solr's QTime, median ms",
        "requests' wall time, median ms",
        "client besides, median ms",
    ]
    return report.table(header, rows)


def targets_table(sizes: dict) -> str:
    """The two goals, as measured in this run."""
    rows = []
    for n, size in sizes.items():
        engines = size["engines"]
        if not {HUBBUB, RAW} <= engines.keys():
            continue
        mine, raw = engines[HUBBUB]["latency"], engines[RAW]["latency"]
        ratios = {kind: mine[kind]["p95"] / raw[kind]["p95"] for kind in report.RATIO_KINDS}
        over = [kind for kind, ratio in ratios.items() if ratio > RATIO_GOAL]
        rows.append(
            [
                f"Solr engine, {int(n):,}: p95 within {RATIO_GOAL} times raw Solr on every"
                " query kind",
                "; ".join(f"{kind} ×{ratio:.2f}" for kind, ratio in ratios.items())
                + (f" (over: {', '.join(over)})" if over else ""),
                report.met(not over),
            ]
        )
    million = sizes.get(MILLION, {}).get("engines", {}).get(HUBBUB)
    goal = f"Solr engine: facet-query p95 under {FACET_GOAL_MS:.0f} ms at 1M, 2-node local cluster"
    if million:
        p95 = million["latency"][FACETS]["p95"]
        rows.append([goal, f"{report.number(p95)} ms", report.met(p95 < FACET_GOAL_MS)])
    else:
        rows.append([goal, "not measured in this run (`--sizes 1000000`)", ""])
    return report.table(["target", "measured", "met"], rows)


def notes(warm_up_size: int) -> str:
    """How each figure is made."""
    warmed = (
        f"Before the first size, both Solr adapters build and query a {warm_up_size:,}-"
        "document archive, untimed, and its collections are dropped: the JVMs compile\n"
        "  Solr's code while it runs, and the engine measured first would pay for it."
        if warm_up_size
        else "None in this run: the engine measured first ran on JVMs not yet warm."
    )
    return f"""\
## What is measured

- **Cluster.** One local SolrCloud for the whole run, started by `solr/cluster --nodes
  {NODES} --heap {HEAP}`: an embedded ZooKeeper and two Solr node JVMs (serial GC) on
  loopback, on the same 2 cores as the runner and its children. Both Solr indexes are
  collections of **{SHARDS} shards × {REPLICAS} replica**, one shard on each node, so
  every search is a distributed request: the node asked queries both shards, then
  fetches the top documents' fields. Requests go to the two nodes in turn.
- **Warm-up.** {warmed}
- **Hubbub (Solr)** is the library as the site uses it, like Hubbub (tantivy):
  `Archive.add_records` to build, `search` with `per_page=10` and the request's own
  facet and highlight options to query. `add_records` makes collections of one shard,
  so the build first runs `Archive.index([], engine="solr",
  solr=SolrTarget(shards={SHARDS}, replicas={REPLICAS}))`, which creates the empty
  collection, then adds the records. The build includes what `add_records` does after
  the documents are in: reading every comment back to group copies. Hubbub's result
  cache is off (`HUBBUB_CACHE=0`).
- **Solr** (raw) uses the same configset (`solr/configsets/hubbub`, uploaded by
  `SolrCluster.ensure_configset`), so the same analysis, fields and caches, in a
  collection of its own: rows of id, f_kind, f_author (case-folded), f_date (ISO day),
  f_year and body, posted as JSON to `/update` in batches of 2,000 (as the engine
  sends), one commit. Each query is **one** `/select`: `q` with `defType=lucene`,
  `df=body`, `q.op=AND` (a prefix as `gov*`), `fq={{!term f=f_author}}…` or
  `fq=f_date:["…" TO "…"]`, `rows=10` with every stored field of each hit (Solr's
  default `fl`: the other peers read their hits' documents too, and Hubbub reads its
  own); JSON Facet API terms facets on f_author (top 20) and f_year for `facets`;
  `hl.method=unified` on body for `highlights`. urllib3 with keep-alive connections,
  as the engine uses.
- **Hubbub (tantivy)** is measured in the same run, on the same cores, for scale.
- **Idle before queries.** Between each engine's build and its queries the run waits
  until the Solr nodes use less than {IDLE_SHARE:.0%} of a core over {IDLE_WINDOW:.0f} s
  (at most {SETTLE_SECONDS:.0f} s): a Solr build returns at its commit while Lucene may
  go on merging segments, which would take the cores from the timed queries.
- **Size on disk** of a Solr index is its collection's, summed over its cores as Solr's
  core `STATUS` reports it; the index folder holds only a pointer to it.
- **Peak memory** of a Solr engine's build and queries is the Python client's; Solr's
  own is in the nodes, whose peak resident memory is given after each size.
- **Per search** (the second table of each size): after the timed run, the same mix
  runs once more, in the same order on a freshly opened index, with the one method
  each client sends its requests through wrapped: the HTTP requests a search makes
  (the same as in the timed run: labels a fresh reader does not know are asked for
  again), Solr's `QTime` summed over them (the coordinating node's time for the whole
  distributed request, less writing the answer), their wall time (QTime plus writing,
  sending and parsing the answer), and the client's own time besides (for Hubbub:
  compiling the query, reading the documents back, the result). Solr's caches still
  hold what the timed run put in them, so these times are lower than the timed ones.
- **Caches.** The mix repeats its texts (about 20 per kind), so Solr's own caches
  (the configset's query result and filter caches) serve repeats, for both engines
  alike. The last column of the ratios table is the median of each text's first run
  in a pass, before any cache or anything the process keeps has it: a wildcard
  pattern's first search in a Hubbub process also lists its terms (the bound of
  1,024 terms a pattern stands for, as on every engine), which later searches of the
  pattern skip.
- **Queries**, corpus and percentiles are those of `make bench`: see
  [benchmarks.md](benchmarks.md). Other processes ran on the machine during the run:
  the load average before and after each size is given.
"""


def render(results: dict) -> str:
    """The whole of `docs/benchmarks-solr.md`."""
    m = results["machine"]
    c = results["cluster"]
    parts = [
        "# Benchmarks: Hubbub's Solr engine against raw Solr",
        "",
        f"Measured {results['date']} on {m['cpus']} cores ({m['cpu']}), {m['memory_gib']} GiB,"
        f" Python {m['python']}, {m['system']}; Solr {c['solr']} on Java {c['java']},"
        f" {c['nodes']} nodes of {c['heap']} heap, collections of {c['shards']} shards ×"
        f" {c['replicas']} replica; tantivy {m['tantivy']}; Hubbub at `{m['revision']}`."
        f" The whole run took {results['seconds'] / 60:.1f} minutes.",
        "",
        "```sh",
        results["command"],
        "```",
        "",
        report.passes_note(results) + " Ratios (÷) are Hubbub (Solr) over raw Solr, of"
        " those medians: above 1 is slower than raw Solr.",
        "",
    ]
    for n, size in results["sizes"].items():
        load = size.get("load", {})
        peaks = ", ".join(f"{report.number(p)} MiB" for p in size.get("node_peak_mib", []))
        waited = ", ".join(
            f"{size['engines'][key]['name']} {seconds:.0f} s"
            for key, seconds in size.get("settle_s", {}).items()
        )
        parts += [
            f"## {int(n):,} documents",
            "",
            f"{size['threads']:,} threads, {size['authors']:,} authors; generated in "
            f"{size['generate_s']:.0f} s; a child holding the corpus alone peaks at "
            f"{size['corpus_peak_mib']:,.0f} MiB. Solr nodes' peak resident memory so far:"
            f" {peaks}. Load average (1 min) {load.get('before', [0])[0]:.1f} before, "
            f"{load.get('after', [0])[0]:.1f} after."
            + (f" Waited for idle nodes before the queries: {waited}." if waited else ""),
            "",
            report.size_table(size, results["queries"]),
            "",
        ]
        if {HUBBUB, RAW} <= size["engines"].keys():
            parts += [ratio_table(size), ""]
        if {HUBBUB, RAW} <= size.get("requests", {}).keys():
            parts += [requests_table(size), ""]
        parts += [report.hits_table(size), ""]
    parts += ["## The targets", "", targets_table(results["sizes"]), ""]
    parts += [notes(results["warm_up"])]
    return "\n".join(parts)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000,1000000", help="documents, comma-separated")
    parser.add_argument("--queries", type=int, default=40, help="queries per kind")
    parser.add_argument(
        "--passes", type=int, default=run.PASSES, help="passes over each kind's queries"
    )
    parser.add_argument("--cap", type=float, default=60.0, help="seconds per kind and engine")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--warm-up", type=int, default=WARM_UP_SIZE, help="documents of the untimed pass (0: none)"
    )
    parser.add_argument("--heap", default=HEAP, help="-Xmx of each Solr node")
    parser.add_argument(
        "--cluster", type=Path, default=ROOT / "solr" / "cluster", help="the solr/cluster script"
    )
    parser.add_argument("--work", type=Path, default=Path("bench/.work/solr"))
    parser.add_argument("--out", type=Path, default=Path("docs/benchmarks-solr.md"))
    parser.add_argument("--render", type=Path, help="re-render a saved results.json only")
    args = parser.parse_args(argv)
    args.sizes = [int(n) for n in args.sizes.split(",")]
    args.engines = list(MEASURED)
    args.api_seconds = 0.0
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.render:
        text = render(json.loads(args.render.read_text()))
        args.out.write_text(text)
        print(text)
        return
    os.environ["HUBBUB_CACHE"] = "0"
    started = time.perf_counter()
    args.work.mkdir(parents=True, exist_ok=True)
    results = {
        "command": "python -m bench.solr " + shlex.join(sys.argv[1:] if argv is None else argv),
        "date": date.today().isoformat(),
        "machine": report.machine(),
        "queries": args.queries,
        "passes": args.passes,
        "cap": args.cap,
        "warm_up": args.warm_up,
        "sizes": {},
    }
    with solr_cluster(args.cluster, args.work / "cluster", NODES, args.heap) as cluster:
        run.log(started, f"SolrCloud up: {' '.join(cluster.urls)}")
        info = solr_info(cluster.urls[0])
        results["cluster"] = {
            **info,
            "nodes": NODES,
            "heap": args.heap,
            "shards": SHARDS,
            "replicas": REPLICAS,
        }
        if args.warm_up:
            warm_up(args, cluster, started)
        for size in args.sizes:
            results["sizes"][str(size)] = measure_solr_size(size, args, cluster, started)
            results["seconds"] = time.perf_counter() - started
            (args.work / "results.json").write_text(json.dumps(results, indent=1))
    text = render(results)
    args.out.write_text(text)
    print(text)
    run.log(started, f"done; wrote {args.out}; the cluster is stopped")


if __name__ == "__main__":
    main()
