"""Fixtures shared by every test: the seed document and indexes built from it."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import tantivy

from indexer import Archive
from indexer import engines as archive
from indexer.documents import article_id
from indexer.engines import ENGINES, open_engine
from indexer.engines.base import Engine
from indexer.engines.solr import SOLR_ENVIRONMENT, SolrTarget
from indexer.indexing import index_paths
from indexer.readers import read_file

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
MIXED_FIXTURES = (
    "text/crlf.txt",
    "wxr/wxr-1.2.xml",
    "disqus/export.xml",
    "html/wordpress-threaded.html",
    "jsonl/thread.jsonl",
)
ADDRESS = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+|\b\d{1,3}(?:\.\d{1,3}){3}\b")
SEED = ROOT / "corpus" / "reuters-blog-russia-pakistan-entente-2012-03-08.txt"
CLUSTER_SCRIPT = ROOT / "solr" / "cluster"
CLUSTER_NODES = 2
CLUSTER_START_SECONDS = 600  # the first start builds the launcher with Maven
NODE_LINE = re.compile(r"node (\d+): (\S+) pid (\d+)")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "engines(*names): run the test once per engine (default: every engine)"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests marked `engines` run on each engine named (every engine when none is):
    the indexes they build or read are built with it."""
    marker = metafunc.definition.get_closest_marker("engines")
    if marker is not None and "engine_name" in metafunc.fixturenames:
        names = marker.args or ENGINES
        metafunc.parametrize("engine_name", names, indirect=True, scope="session")


@dataclass(frozen=True)
class SolrNode:
    url: str
    pid: int


@dataclass
class SolrTestCluster:
    """A real SolrCloud of separate node processes, started by `solr/cluster`."""

    nodes: list[SolrNode]
    process: subprocess.Popen

    @property
    def urls(self) -> tuple[str, ...]:
        return tuple(node.url for node in self.nodes)


def start_cluster(folder: Path, nodes: int) -> SolrTestCluster:
    process = subprocess.Popen(
        [str(CLUSTER_SCRIPT), "--nodes", str(nodes), "--dir", str(folder)],
        stdout=subprocess.PIPE,
        text=True,
    )
    found: list[SolrNode] = []
    deadline = time.monotonic() + CLUSTER_START_SECONDS
    assert process.stdout is not None
    while len(found) < nodes and time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        if match := NODE_LINE.match(line.strip()):
            found.append(SolrNode(match.group(2), int(match.group(3))))
    if len(found) < nodes:
        process.kill()
        raise RuntimeError(f"solr/cluster did not start; its logs are in {folder}")
    return SolrTestCluster(found, process)


@pytest.fixture(scope="session")
def solr_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SolrTestCluster]:
    """One SolrCloud of two nodes for the whole run; Solr indexes the tests build go to
    it (HUBBUB_SOLR names its nodes), each in a collection of its own."""
    cluster = start_cluster(tmp_path_factory.mktemp("solr-cluster"), CLUSTER_NODES)
    previous = os.environ.get(SOLR_ENVIRONMENT)
    os.environ[SOLR_ENVIRONMENT] = " ".join(cluster.urls)
    try:
        yield cluster
    finally:
        if previous is None:
            os.environ.pop(SOLR_ENVIRONMENT, None)
        else:
            os.environ[SOLR_ENVIRONMENT] = previous
        cluster.process.send_signal(signal.SIGTERM)
        try:
            cluster.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            cluster.process.kill()


@pytest.fixture(scope="session")
def engine_name(request: pytest.FixtureRequest) -> str:
    """The engine of the indexes a test builds: Whoosh unless the test is marked `engines`;
    for Solr, the test cluster is started first."""
    name = getattr(request, "param", archive.DEFAULT_ENGINE)
    if name == "solr":
        request.getfixturevalue("solr_cluster")
    return name


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory: pytest.TempPathFactory, engine_name: str) -> Path:
    """An index of the seed and the hostile-markup fixture, built once; tests only read it."""
    index_dir = tmp_path_factory.mktemp(f"seed-index-{engine_name}")
    spread = SolrTarget(shards=2, replicas=2)  # Solr's counts are merged from two shards
    index_paths(
        [SEED, FIXTURES / "hostile-markup.txt"], index_dir, engine=engine_name, solr=spread
    )
    return index_dir


@pytest.fixture(scope="session")
def seed_engine(seed_index: Path) -> Engine:
    return open_engine(seed_index)


@pytest.fixture(scope="session")
def seed_archive(seed_index: Path) -> Archive:
    """The seed index through the library's front door, as programs use it."""
    return Archive.open(seed_index)


@pytest.fixture
def index_dir(tmp_path: Path, engine_name: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty folder for a test that writes its own index, in the test's engine."""
    monkeypatch.setattr(archive, "DEFAULT_ENGINE", engine_name)
    return tmp_path / "index"


def schema_of_another_version() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("body")
    return builder.build()


@pytest.fixture
def outdated_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A tantivy index of the seed whose fields are not the ones this version builds."""
    index_dir = tmp_path / "outdated-index"
    index_paths([SEED], index_dir, engine="tantivy")
    monkeypatch.setattr("indexer.engines.tantivy.build_schema", schema_of_another_version)
    return index_dir


@pytest.fixture(scope="session")
def seed_article_id() -> str:
    return article_id(read_file(SEED)[0])


@pytest.fixture(scope="session")
def mixed_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One file of every input format, plus a binary, an empty and a truncated file."""
    folder = tmp_path_factory.mktemp("mixed")
    for name in MIXED_FIXTURES:
        shutil.copy(FIXTURES / name, folder / Path(name).name)
    (folder / "blob.txt").write_bytes(b"\x00\x01\x02 binary")
    (folder / "empty.html").write_bytes(b"")
    (folder / "truncated.html").write_bytes(b'<!DOCTYPE html>\n<html lang="en"><head><title>Cut')
    return folder


@pytest.fixture(scope="session")
def mixed_addresses() -> set[str]:
    """Every e-mail and IP address written anywhere in the mixed fixtures."""
    return {
        found
        for name in MIXED_FIXTURES
        for found in ADDRESS.findall((FIXTURES / name).read_text(encoding="utf-8"))
    }


@pytest.fixture(scope="session")
def seed_commenters() -> list[str]:
    """The seed's 14 comment authors in thread order, exactly as posted."""
    return [
        "Umairpk", "pakistan", "Umairpk", "Matrixx", "KPSingh01", "forbirds", "pakistan",
        "pakistan", "True.North", "Jammu", "Anonymous", "pak1991", "7Winds", "singham",
    ]  # fmt: skip


@dataclass(frozen=True)
class SmallDisk:
    """A tmpfs of its own: it fills up after a few megabytes and can be made read-only."""

    path: Path

    def read_only(self) -> None:
        subprocess.run(["mount", "-o", "remount,ro", str(self.path)], check=True)

    def writable(self) -> None:
        subprocess.run(["mount", "-o", "remount,rw", str(self.path)], check=True)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[SmallDisk]:
    """A 4 MB tmpfs, mounted for the test (mounting needs root, as CI runs)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root: run the tests as root, as CI does")
    path = tmp_path / "small-disk"
    path.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(path)], check=True)
    try:
        yield SmallDisk(path)
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)
