"""The long load test: 16 readers for 60 s against `hubbub serve`, then again while the
archive is rebuilt beside the live index, then interleaved with hostile requests.

    python -m bench.soak --size 100000 --clients 16 --seconds 60 --out docs/benchmarks.md

Each engine of --engines gets the three phases on an index of its own. Every reader's
query must answer 200; the report gives requests/s, median and p95 latency and the
server's peak memory for each phase, how the hostile requests were answered and whether
the server lived, and writes them into the benchmark report under "Load". A request has
REQUEST_SECONDS to answer in full, else it counts as failed, so a request the server
chokes on shows in the figures instead of holding up the run; a server that dies ends
the phase. Traffic goes to 127.0.0.1 only, and every loop is bounded.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import itertools
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from bench import load
from bench.generate import SEED, generate, vocabulary_for, write_jsonl
from bench.hostile import Request, alternate, hostile_requests
from bench.measure import peak_mib, percentile
from bench.queries import all_queries
from indexer import ENGINES

SECTION = "## Load: 16 readers"
THREADS_PER_FILE = 500  # files stay far below the 50 MB a file may hold
REQUEST_SECONDS = 30.0
REQUESTS_PER_CLIENT = 1_000_000
CHUNK = 65_536
SAMPLE_SECONDS = 0.5
TARGET_RATIO = 3.0  # the readers' p95 during the hostile mix against the steady p95
READER = "reader"
OK = "200"
TIMEOUT = "timeout"
NO_ANSWER = "no answer"
PHASES = {
    "steady": "steady",
    "during_reindex": "during reindex",
    "hostile": "hostile mix (readers only)",
}
SHOWN_ADDRESS = 48


class Answer(NamedTuple):
    label: str
    outcome: str  # the HTTP status, TIMEOUT or NO_ANSWER
    seconds: float


@dataclass(frozen=True)
class Plan:
    """What every engine is put through: the archive, the clients and their requests."""

    archive: Path
    size: int
    clients: int
    seconds: float
    readers: list[str]
    hostile: list[Request]

    def reader_mixes(self) -> list[list[Request]]:
        """Each client's share of the readers' queries."""
        return [
            [Request(READER, url) for url in self.readers[i :: self.clients] or self.readers]
            for i in range(self.clients)
        ]

    def hostile_mixes(self) -> list[list[Request]]:
        """Each client's queries in turn with the hostile requests, each from its own start."""
        count = len(self.hostile)
        return [
            alternate(mix, self.hostile[i % count :] + self.hostile[: i % count])
            for i, mix in enumerate(self.reader_mixes())
        ]


def hubbub(*args: str) -> list[str]:
    return [str(Path(sys.executable).with_name("hubbub")), *args]


def get_within(connection: http.client.HTTPConnection, url: str, seconds: float) -> str:
    """The status of an answer read in full within `seconds`.

    :raise TimeoutError: when the answer, body included, takes longer.
    """
    deadline = time.perf_counter() + seconds
    connection.request("GET", url)
    sock = connection.sock  # kept: the connection lets go of it when the server closes
    sock.settimeout(seconds)
    response = connection.getresponse()
    while not response.isclosed():  # bounded: each turn reads, or times out, or ends it
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            raise TimeoutError(f"no full answer to {url[:80]} within {seconds:.0f} s")
        sock.settimeout(remaining)
        if not response.read1(CHUNK):  # read1: one wait at most, where read waits per byte
            response.close()
    return str(response.status)


def ask(connection: http.client.HTTPConnection, url: str) -> str:
    """One request's outcome; after a failure the connection starts afresh."""
    try:
        return get_within(connection, url, REQUEST_SECONDS)
    except TimeoutError:
        outcome = TIMEOUT
    except (OSError, http.client.HTTPException):
        outcome = NO_ANSWER
    connection.close()
    return outcome


def connect(port: int) -> http.client.HTTPConnection:
    return http.client.HTTPConnection(load.HOST, port, timeout=REQUEST_SECONDS)


def client(
    port: int,
    mix: Sequence[Request],
    deadline: float,
    stop: threading.Event,
    answers: list[Answer],
) -> None:
    """One keep-alive client: its mix in turn until the deadline or the server's death."""
    connection = connect(port)
    for label, url in itertools.islice(itertools.cycle(mix), REQUESTS_PER_CLIENT):
        if time.perf_counter() > deadline or stop.is_set():
            break
        before = time.perf_counter()
        outcome = ask(connection, url)
        answers.append(Answer(label, outcome, time.perf_counter() - before))
    connection.close()


def watch(
    server: subprocess.Popen, threads: list[threading.Thread], give_up: float, stop: threading.Event
) -> tuple[float | None, float | None]:
    """The server's peak memory, sampled while the clients run, and when it died if it did.

    A dead server stops the clients: their requests could only fail from then on.
    """
    started = time.perf_counter()
    peak = None
    while any(thread.is_alive() for thread in threads) and time.perf_counter() < give_up:
        if server.poll() is not None:
            stop.set()
            return peak, time.perf_counter() - started
        with contextlib.suppress(OSError, RuntimeError):  # it may exit between the two
            peak = peak_mib(server.pid)
        time.sleep(SAMPLE_SECONDS)
    return peak, None


def latency(answers: list[Answer], elapsed: float) -> dict:
    """Requests/s, median and p95 ms, and the answers other than 200."""
    ms = [answer.seconds * 1000 for answer in answers]
    return {
        "requests": len(ms),
        "per_second": len(ms) / elapsed,
        "median": statistics.median(ms) if ms else None,
        "p95": percentile(ms, 0.95) if ms else None,
        "failures": sum(answer.outcome != OK for answer in answers),
    }


def by_label(answers: list[Answer]) -> dict[str, dict]:
    """Each hostile request's answers by outcome, and its slowest in seconds."""
    found: dict[str, dict] = {}
    for answer in answers:
        if answer.label != READER:
            figures = found.setdefault(answer.label, {"answers": Counter(), "slowest": 0.0})
            figures["answers"][answer.outcome] += 1
            figures["slowest"] = max(figures["slowest"], answer.seconds)
    return found


def run_phase(
    server: subprocess.Popen, port: int, mixes: list[list[Request]], seconds: float
) -> dict:
    """One client per mix for `seconds`: the readers' figures, the others', the server's."""
    answers: list[Answer] = []
    stop = threading.Event()
    started = time.perf_counter()
    deadline = started + seconds
    threads = [
        threading.Thread(target=client, args=(port, mix, deadline, stop, answers)) for mix in mixes
    ]
    for thread in threads:
        thread.start()
    peak, died_after = watch(server, threads, deadline + 2 * REQUEST_SECONDS, stop)
    for thread in threads:
        thread.join()  # bounded: a client's last request ends within REQUEST_SECONDS
    elapsed = time.perf_counter() - started
    final = NO_ANSWER
    if server.poll() is None:
        with contextlib.closing(connect(port)) as connection:
            final = ask(connection, mixes[0][0].url)
    return {
        **latency([answer for answer in answers if answer.label == READER], elapsed),
        "hostile_answers": by_label(answers),
        "peak_mib": peak,
        "alive": final == OK,
        "died_after_s": died_after,
        "exit_status": server.poll(),
    }


def write_archive(size: int, folder: Path) -> list[str]:
    """The generated archive as JSON-lines files; its commenters, most active first."""
    articles = generate(size, SEED)
    authors = [n for n, _ in Counter(c.author for a in articles for c in a.comments).most_common()]
    folder.mkdir(parents=True)
    for start in range(0, len(articles), THREADS_PER_FILE):
        write_jsonl(articles[start : start + THREADS_PER_FILE], folder / f"{start:07d}.jsonl")
    return authors


def build_index(plan: Plan, engine: str, index_dir: Path) -> float:
    """Index the archive with `engine`; the seconds it took."""
    started = time.perf_counter()
    command = ["index", str(plan.archive), "--json", "--quiet", "--engine", engine]
    built = subprocess.run(
        hubbub(*command, "--index", str(index_dir)),
        check=True,
        capture_output=True,
        text=True,
    )
    summary = json.loads(built.stdout)
    if summary["skipped"] or summary["articles"] + summary["comments"] != plan.size:
        raise RuntimeError(f"the archive did not index whole: {summary['skipped'][:3]}")
    return time.perf_counter() - started


def soak_engine(plan: Plan, engine: str, work: Path) -> dict:
    """The three phases against `hubbub serve` on an index built with `engine`."""
    index_dir = work / "index"
    figures: dict = {"index_s": build_index(plan, engine, index_dir)}
    log = work / "serve.log"
    with load.served(index_dir, log) as (server, port):
        load.wait_until_ready(port, plan.readers[0], server)
        figures["steady"] = run_phase(server, port, plan.reader_mixes(), plan.seconds)
        rebuild = subprocess.Popen(
            hubbub("index", str(plan.archive), "--rebuild", "--quiet", "--index", str(index_dir))
        )
        figures["during_reindex"] = run_phase(server, port, plan.reader_mixes(), plan.seconds)
        figures["reindex_finished_in_window"] = rebuild.poll() is not None
        figures["reindex_status"] = rebuild.wait(timeout=3600)
        figures["hostile"] = run_phase(server, port, plan.hostile_mixes(), plan.seconds)
    if not all(figures[phase]["alive"] for phase in PHASES):
        last_words = log.read_text(errors="replace").splitlines()[-20:]
        print(f"{engine}: the end of the server's log:", *last_words, sep="\n", file=sys.stderr)
    return figures


def soak(size: int, clients: int, seconds: float, engines: Sequence[str], work: Path) -> dict:
    archive = work / "archive"
    authors = write_archive(size, archive)
    plan = Plan(
        archive,
        size,
        clients,
        seconds,
        load.api_urls(all_queries(200, authors)),
        hostile_requests(authors, vocabulary_for()),
    )
    figures: dict = {
        "size": size,
        "clients": clients,
        "seconds": seconds,
        "hostile_requests": plan.hostile,
        "engines": {},
    }
    for engine in engines:
        (work / engine).mkdir()
        figures["engines"][engine] = soak_engine(plan, engine, work / engine)
        print(f"{engine}: done", file=sys.stderr)
    return figures


def ms(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}"


def ratio(hostile: dict, steady: dict) -> str:
    """The readers' hostile-mix p95 as a multiple of their steady p95, bold when over target."""
    if hostile["p95"] is None or not steady["p95"]:
        return "–"
    times = hostile["p95"] / steady["p95"]
    return f"{times:.1f}×" if times < TARGET_RATIO else f"**{times:.1f}×**"


def outcomes(answers: Counter) -> str:
    """`200 ×12, 404 ×3, timeout ×1`: statuses in order, then the failures without one."""
    ordered = sorted(answers, key=lambda outcome: (not outcome.isdigit(), outcome))
    return ", ".join(f"{outcome} ×{answers[outcome]}" for outcome in ordered) or "none sent"


def server_state(phase: dict) -> str:
    if phase["alive"]:
        return "alive"
    if phase["exit_status"] is None:
        return "**running, not answering**"
    after = "" if phase["died_after_s"] is None else f" after {phase['died_after_s']:.0f} s"
    return f"**died**{after} (exit status {phase['exit_status']})"


def shown(url: str) -> str:
    if len(url) <= SHOWN_ADDRESS:
        return f"`{url}`"
    return f"`{url[:SHOWN_ADDRESS]}…` ({len(url):,} characters)"


def report(figures: dict) -> str:
    engines: dict[str, dict] = figures["engines"]
    seconds, clients = figures["seconds"], figures["clients"]
    rows = [
        f"{SECTION} for {seconds:.0f} s, {figures['size']:,} documents",
        "",
        f"`python -m bench.soak --size {figures['size']} --clients {clients} "
        f"--seconds {seconds:.0f} --engines {','.join(engines)}`. On each engine, {clients} "
        f"readers send the query mix to `/api/search` for {seconds:.0f} s, then again while "
        "`hubbub index --rebuild` builds the index afresh beside the live one; once the "
        f"rebuild is done, {clients} clients send in turn a query of the same mix and a hostile "
        f"request (below) for {seconds:.0f} s. A request has {REQUEST_SECONDS:.0f} s to answer "
        "in full, else it fails; every reader's query must answer 200. Peak memory is the "
        "server's most resident memory by the end of the phase.",
        "",
    ]
    for engine, f in engines.items():
        window = "finished within" if f["reindex_finished_in_window"] else "was still running at"
        rows.append(
            f"- {engine}: index built in {f['index_s']:.0f} s; the rebuild {window} the end of "
            f"the second phase (exit status {f['reindex_status']})."
        )
    rows += [
        "",
        "| engine | phase | requests | requests/s | median ms | p95 ms | errors | peak MiB |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for engine, f in engines.items():
        for phase, title in PHASES.items():
            p = f[phase]
            peak = "–" if p["peak_mib"] is None else f"{p['peak_mib']:.0f}"
            rows.append(
                f"| {engine} | {title} | {p['requests']:,} | {p['per_second']:.1f} | "
                f"{ms(p['median'])} | {ms(p['p95'])} | {p['failures']} | {peak} |"
            )
    return "\n".join(rows) + "\n\n" + hostile_report(figures)


def hostile_report(figures: dict) -> str:
    engines: dict[str, dict] = figures["engines"]
    rows = [
        "### Hostile mix",
        "",
        "The readers' queries beside the hostile requests: their p95 against the steady "
        f"phase's (target under {TARGET_RATIO:.0f}×), their failures (target 0), and the "
        "server at the end (target: alive, and answering a query).",
        "",
        "| engine | readers' p95 ms, steady → hostile | × steady | readers' failures "
        "| hostile requests answered | server at the end |",
        "|---|---|---|---|---|---|",
    ]
    for engine, f in engines.items():
        steady, hostile = f["steady"], f["hostile"]
        answered = sum((h["answers"] for h in hostile["hostile_answers"].values()), Counter())
        failures = hostile["failures"]
        rows.append(
            f"| {engine} | {ms(steady['p95'])} → {ms(hostile['p95'])} | "
            f"{ratio(hostile, steady)} | {failures if not failures else f'**{failures}**'} | "
            f"{outcomes(answered)} | {server_state(hostile)} |"
        )
    rows += [
        "",
        "Each hostile request's answers, and the slowest of them:",
        "",
        "| hostile request | address | " + " | ".join(engines) + " |",
        "|---|---|" + "---|" * len(engines),
    ]
    for label, url in figures["hostile_requests"]:
        cells = []
        for f in engines.values():
            h = f["hostile"]["hostile_answers"].get(label)
            cells.append(
                "none sent" if h is None else f"{outcomes(h['answers'])}; {h['slowest']:.1f} s"
            )
        rows.append(f"| {label} | {shown(url)} | " + " | ".join(cells) + " |")
    return "\n".join(rows) + "\n"


def write_section(path: Path, section: str) -> None:
    """Put the load section in the report, replacing an earlier one."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if SECTION in text:
        start = text.index(SECTION)
        following = text.find("\n## ", start + len(SECTION))
        text = text[:start] + (text[following + 1 :] if following != -1 else "")
    path.write_text(text.rstrip() + "\n\n" + section, encoding="utf-8")


def engine_list(text: str) -> list[str]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in ENGINES]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"engines are among {', '.join(ENGINES)}: not {text!r}")
    return names


def passed(engine: dict) -> bool:
    """Every reader's query answered 200, and the server lived through every phase."""
    return all(engine[phase]["failures"] == 0 and engine[phase]["alive"] for phase in PHASES)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--engines", type=engine_list, default=list(ENGINES))
    parser.add_argument("--out", type=Path, default=Path("docs/benchmarks.md"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        figures = soak(args.size, args.clients, args.seconds, args.engines, Path(work))
    section = report(figures)
    print(section)
    write_section(args.out, section)
    if not all(passed(engine) for engine in figures["engines"].values()):
        sys.exit(1)


if __name__ == "__main__":
    main()
