from pathlib import Path

from indexer.archive import open_engine
from indexer.indexing import index_paths
from indexer.search import SearchRequest, search


def copy_seed(seed_path: Path, folder: Path, name: str = "seed.txt") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    target.write_bytes(seed_path.read_bytes())
    return target


def test_index_paths_counts_articles_and_comments(seed_path, index_dir):
    summary = index_paths([seed_path], index_dir)
    assert (summary.files_read, summary.articles, summary.comments) == (1, 1, 14)


def test_index_paths_twice_does_not_duplicate_documents(seed_path, index_dir):
    index_paths([seed_path], index_dir)
    index_paths([seed_path], index_dir)
    assert open_engine(index_dir).doc_count() == 15


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
    assert summary.files_read == 1 and summary.skipped == []


def test_index_paths_reports_a_bad_file_and_indexes_the_rest(seed_path, index_dir, tmp_path):
    bad = tmp_path / "broken.txt"
    bad.write_bytes(b"\x00\x01binary\x00")
    summary = index_paths([bad, seed_path], index_dir)
    assert summary.files_read == 1
    assert [path for path, _ in summary.skipped] == [str(bad)]


def test_index_paths_reports_a_missing_path(index_dir, tmp_path):
    summary = index_paths([tmp_path / "nowhere"], index_dir)
    assert summary.skipped == [(str(tmp_path / "nowhere"), "no such file or folder")]


def test_index_paths_bad_run_loses_nothing_already_indexed(seed_path, index_dir, tmp_path):
    index_paths([seed_path], index_dir)
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    index_paths([empty], index_dir)
    assert open_engine(index_dir).doc_count() == 15
