"""The hostile mix: its requests, how clients take turns, and answers that fail in time."""

import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from bench import soak
from bench.hostile import AUTHOR_VALUES, PHRASE_WORDS, alternate, hostile_requests
from indexer.search import MAX_QUERY_LENGTH

AUTHORS = ["QuietHeron", "lonewolf77", "OldOak"]
WORDS = ["the", "of", "government", "market", "zouwaimifour", "pekulour"]


def requests() -> dict[str, str]:
    return dict(hostile_requests(AUTHORS, WORDS))


def query(url: str) -> str:
    return dict(parse_qsl(urlsplit(url).query))["q"]


def test_every_request_is_one_a_client_can_send():
    found = hostile_requests(AUTHORS, WORDS)
    assert len({label for label, _ in found}) == len(found)
    for _, url in found:
        assert url.startswith("/") and url.isascii() and url.isprintable() and " " not in url


def test_the_requests_are_the_worst_the_site_still_takes():
    found = requests()
    padded = query(found["30 × `the` and a rare word"])
    assert padded.split() == ["the"] * 30 + ["pekulour"]
    phrase = query(found[f"quoted phrase of {PHRASE_WORDS} `the`"])
    assert phrase == '"' + " ".join(["the"] * PHRASE_WORDS) + '"'
    assert len(phrase) <= MAX_QUERY_LENGTH
    random_words = query(found["1,000 characters of random words"])
    assert MAX_QUERY_LENGTH - 20 < len(random_words) <= MAX_QUERY_LENGTH
    authors = [v for k, v in parse_qsl(urlsplit(found["2,000 `author=` values"]).query)]
    assert len(authors) == AUTHOR_VALUES and authors[:3] == AUTHORS
    assert len(set(authors)) == AUTHOR_VALUES


def test_odd_names_reach_the_server_encoded():
    found = requests()
    assert "%0D%0A%00" in found["thread page, no such id (CR/LF, NUL)"]
    assert len(found["author graph, no such name of 4,000 characters"]) > 4_000


def test_the_same_archive_gives_the_same_requests():
    assert hostile_requests(AUTHORS, WORDS) == hostile_requests(AUTHORS, WORDS)


def test_alternate_goes_through_both_in_turn():
    assert alternate([1, 2, 3], ["a"]) == [1, "a", 2, "a", 3, "a"]
    assert alternate([1], ["a", "b"]) == [1, "a", 1, "b"]


def test_each_client_alternates_and_together_they_send_every_hostile_request():
    hostile = hostile_requests(AUTHORS, WORDS)
    plan = soak.Plan(
        Path("archive"), 0, 16, 1.0, [f"/api/search?q={n}" for n in range(40)], hostile
    )
    mixes = plan.hostile_mixes()
    assert len(mixes) == 16
    for mix in mixes:
        assert all(request.label == soak.READER for request in mix[::2])
        assert soak.READER not in {request.label for request in mix[1::2]}
    firsts = [mix[1] for mix in mixes]
    assert len(set(firsts)) == 16
    assert {r for mix in mixes for r in mix[1::2]} == set(hostile)


class Slow(BaseHTTPRequestHandler):
    """`/trickle` sends a byte every 0.2 s for 10 s; `/stream` a chunked body, then closes;
    anything else a short body on a connection kept open."""

    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self.send_response(200)
        if self.path not in ("/stream", "/trickle"):
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")
            return
        if self.path == "/stream":
            self.send_header("Transfer-Encoding", "chunked")
            self.send_header("Connection", "close")
            self.end_headers()
            for _ in range(3):
                self.wfile.write(b"4\r\nrow\n\r\n")
            self.wfile.write(b"0\r\n\r\n")
            return
        self.send_header("Content-Length", "50")
        self.end_headers()
        with suppress(OSError):  # the client hangs up first
            for _ in range(50):
                self.wfile.write(b".")
                self.wfile.flush()
                time.sleep(0.2)

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def slow_server() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def test_an_answer_that_trickles_in_fails_in_time():
    with slow_server() as port:
        connection = soak.connect(port)
        started = time.perf_counter()
        with pytest.raises(TimeoutError):
            soak.get_within(connection, "/trickle", 0.5)
        assert time.perf_counter() - started < 1.5
        connection.close()


def test_answers_are_read_to_their_end_on_kept_and_closed_connections():
    with slow_server() as port:
        connection = soak.connect(port)
        for url in ("/short", "/short", "/stream", "/short", "/stream", "/stream"):
            started = time.perf_counter()
            assert soak.ask(connection, url) == "200"
            assert time.perf_counter() - started < 1.0
        connection.close()


def test_no_server_is_no_answer():
    with slow_server() as port:
        pass
    assert soak.ask(soak.connect(port), "/") == soak.NO_ANSWER


def phase(p95: float, failures: int = 0, alive: bool = True, **more: object) -> dict:
    return {
        "requests": 100,
        "per_second": 10.0,
        "median": p95 / 2,
        "p95": p95,
        "failures": failures,
        "hostile_answers": {},
        "peak_mib": 100.0,
        "alive": alive,
        "died_after_s": None,
        "exit_status": None,
        **more,
    }


def test_the_report_tells_targets_missed_and_a_dead_server():
    hostile = hostile_requests(AUTHORS, WORDS)
    answers = {hostile[0].label: {"answers": Counter({"200": 3, "timeout": 1}), "slowest": 30.0}}
    engine = {
        "index_s": 5.0,
        "reindex_finished_in_window": True,
        "reindex_status": 0,
        "steady": phase(20.0),
        "during_reindex": phase(40.0),
        "hostile": phase(
            80.0,
            failures=2,
            alive=False,
            died_after_s=12.0,
            exit_status=-6,
            hostile_answers=answers,
        ),
    }
    figures = {
        "size": 5000,
        "clients": 16,
        "seconds": 10.0,
        "hostile_requests": hostile,
        "engines": {"tantivy": engine},
    }
    text = soak.report(figures)
    assert text.startswith(soak.SECTION)
    assert "| tantivy | 20 → 80 | **4.0×** | **2** | 200 ×3, timeout ×1 |" in text
    assert "**died** after 12 s (exit status -6)" in text
    assert "| 200 ×3, timeout ×1; 30.0 s |" in text
    assert not soak.passed(engine)


def test_outcomes_list_statuses_before_failures():
    assert (
        soak.outcomes(Counter({"timeout": 1, "404": 2, "200": 5})) == "200 ×5, 404 ×2, timeout ×1"
    )
    assert soak.outcomes(Counter()) == "none sent"
