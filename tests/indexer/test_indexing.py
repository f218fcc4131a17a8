from pathlib import Path

import pytest

from indexer.engines import ENGINES, open_engine
from indexer.engines.base import IndexLocked
from indexer.indexing import EngineMismatch, index_paths, index_records, remove_paths
from indexer.layout import IndexLayout
from indexer.records import Article, Comment
from indexer.search import SearchRequest, search

pytestmark = pytest.mark.engines()


def copy_seed(seed_path: Path, folder: Path, name: str = "seed.txt") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    target.write_bytes(seed_path.read_bytes())
    return target


def write_thread(folder: Path, name: str, title: str, comment: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(
        f"{title}\n\nMay 2, 2020\n\nThe article body.\n\n"
        "We welcome comments that advance the story.\n\n"
        f"{comment}\n\nPosted by Reader | Report as abusive\n",
        encoding="utf-8",
    )
    return path


def total(index_dir: Path, q: str = "") -> int:
    return search(open_engine(index_dir), SearchRequest(q=q)).total


def test_records_from_a_generator_go_in_whole_read_once(index_dir, monkeypatch):
    """A program may make its articles as they are written, more than memory holds; on
    Whoosh the batch is large enough for its two writing processes."""
    monkeypatch.setattr("indexer.engines.whoosh.PARALLEL_BATCH", 10)
    made: list[int] = []

    def reports():
        for day in range(12):
            made.append(day)
            replies = tuple(
                Comment(author=f"reader {n}", body=f"Reply {n} on day {day}.", position=n)
                for n in (1, 2, 3)
            )
            yield Article(title=f"Harbour report {day}", body="The harbour.", comments=replies)

    index_records(reports(), index_dir, "made-in-code")

    assert made == list(range(12))
    engine = open_engine(index_dir)
    assert total(index_dir) == 48
    assert total(index_dir, "harbour") == 12
    for n in (1, 2, 3):
        found = search(engine, SearchRequest(authors=(f"reader {n}",), per_page=20))
        assert found.total == 12
        assert {hit.document.position for hit in found.hits} == {n}


def test_index_paths_counts_articles_and_comments(seed_path, index_dir):
    summary = index_paths([seed_path], index_dir)
    assert (summary.files_indexed, summary.articles, summary.comments) == (1, 1, 14)


def test_index_paths_twice_does_not_duplicate_documents(seed_path, index_dir):
    index_paths([seed_path], index_dir)
    index_paths([seed_path], index_dir, rebuild=True)
    assert total(index_dir) == 15


def test_index_paths_unchanged_rerun_writes_nothing(seed_path, index_dir):
    first = index_paths([seed_path], index_dir)
    again = index_paths([seed_path], index_dir)
    assert (again.files_unchanged, again.files_indexed, again.wrote) == (1, 0, False)
    assert again.generation == first.generation


def test_index_paths_reindexes_only_the_changed_file(index_dir, tmp_path):
    folder = tmp_path / "archive"
    write_thread(folder, "a.txt", "First thread", "An aardvark ate.")
    changed = write_thread(folder, "b.txt", "Second thread", "A badger baked.")
    index_paths([folder], index_dir)
    write_thread(folder, "b.txt", "Second thread", "A buffalo baked.")
    summary = index_paths([folder], index_dir)
    assert (summary.files_indexed, summary.files_unchanged) == (1, 1)
    assert (total(index_dir, "badger"), total(index_dir, "buffalo")) == (0, 1)
    assert changed.exists() and total(index_dir, "aardvark") == 1


def test_index_paths_drops_files_gone_from_the_folder(index_dir, tmp_path):
    folder = tmp_path / "archive"
    write_thread(folder, "a.txt", "First thread", "An aardvark ate.")
    gone = write_thread(folder, "b.txt", "Second thread", "A badger baked.")
    index_paths([folder], index_dir)
    gone.unlink()
    summary = index_paths([folder], index_dir)
    assert summary.files_removed == 1
    assert (total(index_dir, "badger"), total(index_dir, "aardvark")) == (0, 1)


def test_index_paths_leaves_other_folders_alone(index_dir, tmp_path):
    write_thread(tmp_path / "one", "a.txt", "First thread", "An aardvark ate.")
    write_thread(tmp_path / "two", "b.txt", "Second thread", "A badger baked.")
    index_paths([tmp_path / "one"], index_dir)
    index_paths([tmp_path / "two"], index_dir)
    assert (total(index_dir, "aardvark"), total(index_dir, "badger")) == (1, 1)


def test_index_paths_keeps_ids_across_reindexing(seed_path, index_dir, tmp_path):
    index_paths([seed_path], index_dir)
    first = [h.document.id for h in search(open_engine(index_dir), SearchRequest(per_page=50)).hits]
    other = tmp_path / "other-index"
    index_paths([copy_seed(seed_path, tmp_path / "moved")], other)
    second = [h.document.id for h in search(open_engine(other), SearchRequest(per_page=50)).hits]
    assert sorted(first) == sorted(second)


def test_index_paths_walks_folders_for_archive_files(seed_path, index_dir, tmp_path):
    folder = tmp_path / "archive"
    copy_seed(seed_path, folder / "2012")
    (folder / "notes.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    copy_seed(seed_path, folder / ".hidden")
    summary = index_paths([folder], index_dir)
    assert summary.files_indexed == 1 and summary.skipped == []


def test_index_paths_reports_a_bad_file_and_indexes_the_rest(seed_path, index_dir, tmp_path):
    bad = tmp_path / "broken.txt"
    bad.write_bytes(b"\x00\x01binary\x00")
    summary = index_paths([bad, seed_path], index_dir)
    assert summary.files_indexed == 1
    assert [path for path, _ in summary.skipped] == [str(bad)]


def test_index_paths_reports_a_missing_path(index_dir, tmp_path):
    summary = index_paths([tmp_path / "nowhere"], index_dir)
    assert summary.skipped == [(str(tmp_path / "nowhere"), "no such file or folder")]


def test_index_paths_file_that_turns_bad_keeps_its_earlier_version(index_dir, tmp_path):
    path = write_thread(tmp_path, "a.txt", "First thread", "An aardvark ate.")
    index_paths([path], index_dir)
    path.write_bytes(b"")
    summary = index_paths([path], index_dir)
    assert "earlier version stays in the index" in summary.skipped[0][1]
    assert total(index_dir, "aardvark") == 1


def test_index_paths_rebuild_swaps_in_a_new_generation(seed_path, index_dir):
    index_paths([seed_path], index_dir)
    layout = IndexLayout(index_dir)
    before = layout.current()
    engine = open_engine(index_dir)
    index_paths([seed_path], index_dir, rebuild=True)
    assert layout.current() != before
    assert engine.snapshot().doc_count() == 15


def test_index_paths_waits_for_another_writer_then_names_it(seed_path, index_dir):
    with IndexLayout(index_dir).writer_lock(wait=0, command="hubbub index"):
        with pytest.raises(IndexLocked, match=r"pid \d+, started .* \(hubbub index\)"):
            index_paths([seed_path], index_dir, wait=0.3)


def test_index_paths_reports_progress_for_every_file(index_dir, tmp_path):
    for n in range(3):
        write_thread(tmp_path / "archive", f"{n}.txt", f"Thread {n}", "Words.")
    calls = []
    index_paths([tmp_path / "archive"], index_dir, progress=lambda *args: calls.append(args))
    sizes = [(tmp_path / "archive" / f"{n}.txt").stat().st_size for n in range(3)]
    read = [sum(sizes[: n + 1]) for n in range(3)]
    assert calls == [(n + 1, 3, 2 * (n + 1), read[n], sum(sizes)) for n in range(3)]


def test_remove_paths_drops_a_files_documents(seed_path, index_dir, tmp_path):
    other = write_thread(tmp_path, "a.txt", "First thread", "An aardvark ate.")
    index_paths([seed_path, other], index_dir)
    summary = remove_paths([other], index_dir)
    assert summary.files_removed == 1
    assert (total(index_dir, "aardvark"), total(index_dir)) == (0, 15)


def test_remove_paths_reports_what_is_not_indexed(seed_path, index_dir, tmp_path):
    index_paths([seed_path], index_dir)
    summary = remove_paths([tmp_path / "never.txt"], index_dir)
    assert summary.skipped == [(str(tmp_path / "never.txt"), "not in the index")]


REPOST = (
    "The council should publish every contract it signs, because the harbour budget "
    "belongs to the people who pay for it and nobody else."
)


def test_index_paths_groups_a_comment_posted_under_two_articles(index_dir, tmp_path):
    write_thread(tmp_path, "a.txt", "First thread", REPOST)
    write_thread(tmp_path, "b.txt", "Second thread", REPOST + " Again.")
    write_thread(tmp_path, "c.txt", "Third thread", "Something else entirely, said once.")
    index_paths([tmp_path], index_dir)
    result = search(open_engine(index_dir), SearchRequest(copies=True))
    groups = {hit.document.copy_group for hit in result.hits}
    assert result.total == 2 and len(groups) == 1 and "" not in groups
    group = groups.pop()
    assert search(open_engine(index_dir), SearchRequest(q=f"copies:'{group}'")).total == 2


def test_index_paths_ungroups_a_copy_when_the_other_is_gone(index_dir, tmp_path):
    write_thread(tmp_path, "a.txt", "First thread", REPOST)
    second = write_thread(tmp_path, "b.txt", "Second thread", REPOST)
    index_paths([tmp_path], index_dir)
    second.unlink()
    index_paths([tmp_path], index_dir)
    assert search(open_engine(index_dir), SearchRequest(copies=True)).total == 0


def test_index_paths_finds_signatures_and_quotes_in_the_seed(seed_path, index_dir):
    index_paths([seed_path], index_dir)
    engine = open_engine(index_dir)
    signed = search(engine, SearchRequest(signed=("rex minor",), per_page=50))
    assert sorted(hit.document.author for hit in signed.hits) == [
        "forbirds", "pakistan", "pakistan", "pakistan",
    ]  # fmt: skip
    [quoting] = search(engine, SearchRequest(authors=("KPSingh01",))).hits
    assert [q.rsplit("-", 1)[1] for q in quoting.document.quotes] == ["c4"]


def test_index_paths_keeps_facets_right_across_segments_without_dates(index_dir, tmp_path):
    dated = write_thread(tmp_path / "one", "a.txt", "First thread", "An aardvark ate.")
    index_paths([dated], index_dir)
    undated = tmp_path / "two" / "b.jsonl"
    undated.parent.mkdir()
    undated.write_text('{"kind": "comment", "article_id": "x", "body": "No date here."}\n')
    index_paths([undated], index_dir)
    engine = open_engine(index_dir)
    years = search(engine, SearchRequest(years=(2020,))).facets["year"]
    assert [(v.value, v.count) for v in years] == [("2020", 2)]
    assert search(engine, SearchRequest(q="aardvark", years=(2020,))).total == 1


def other_engine(engine_name: str) -> str:
    return next(name for name in ENGINES if name != engine_name)


def test_index_paths_records_the_engine_in_the_manifest(seed_path, index_dir, engine_name):
    index_paths([seed_path], index_dir)
    layout = IndexLayout(index_dir)
    assert layout.read_manifest(layout.current()).engine == engine_name


def test_index_paths_refuses_another_engine_without_a_rebuild(seed_path, index_dir, engine_name):
    index_paths([seed_path], index_dir)
    other = other_engine(engine_name)
    with pytest.raises(EngineMismatch, match=f"--rebuild --engine {other}"):
        index_paths([seed_path], index_dir, engine=other)


def test_index_paths_rebuild_moves_to_another_engine_and_readers_follow(
    seed_path, index_dir, engine_name
):
    index_paths([seed_path], index_dir)
    engine = open_engine(index_dir)
    other = other_engine(engine_name)
    index_paths([seed_path], index_dir, rebuild=True, engine=other)
    layout = IndexLayout(index_dir)
    assert layout.read_manifest(layout.current()).engine == other
    assert search(engine, SearchRequest(q="putin")).total == 6
    index_paths([seed_path], index_dir, rebuild=True)
    assert layout.read_manifest(layout.current()).engine == other


def all_documents(index_dir: Path) -> list:
    engine = open_engine(index_dir)
    total = search(engine, SearchRequest()).total
    pages = range(1, total // 100 + 2)
    hits = [hit for n in pages for hit in search(engine, SearchRequest(per_page=100, page=n)).hits]
    return sorted((hit.document for hit in hits), key=lambda document: document.id)


def test_index_paths_reading_in_worker_processes_gives_the_same_documents(tmp_path, engine_name):
    """Pages read by a pool of processes go in exactly as one process puts them."""
    families = Path(__file__).parents[1] / "fixtures" / "html" / "families"
    alone = index_paths([families], tmp_path / "alone", workers=1, engine=engine_name)
    pooled = index_paths([families], tmp_path / "pooled", workers=2, engine=engine_name)

    assert (pooled.files_indexed, pooled.comments) == (alone.files_indexed, alone.comments)
    assert pooled.files_indexed == len(list(families.rglob("*.html")))
    assert all_documents(tmp_path / "pooled") == all_documents(tmp_path / "alone")
