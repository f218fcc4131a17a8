"""The ingest benchmark's verdicts and its profile's steps."""

from __future__ import annotations

from bench.ingest import archive_files, comparison_table, profiled_index, step_times


def figures(rate: float, mib: float) -> dict:
    return {"documents": 1000, "seconds": 1000 / rate, "mib": mib, "peak_mib": 100.0}


def test_each_goal_is_judged_against_its_own_baseline_and_bound():
    measured = {
        "hubbub-tantivy": figures(rate=6000, mib=14),
        "tantivy": figures(rate=10000, mib=10),
        "hubbub-whoosh": figures(rate=2000, mib=40),
        "whoosh": figures(rate=1000, mib=20),
    }
    rows = [line for line in comparison_table(1000, measured) if line.startswith("| hubbub")]
    verdicts = [row.rsplit("|", 2)[-2].strip() for row in rows if "x " in row]
    assert verdicts == ["yes", "yes", "**no**"]  # x0.60 >= 0.5; x1.40 <= 1.5; x2.00 < 3


def test_the_profile_puts_time_into_the_steps_of_indexing(tmp_path):
    files = archive_files(300, tmp_path / "files")
    seconds, documents, root = profiled_index(files, tmp_path / "index", "tantivy")
    steps = step_times(root)
    assert documents == 300
    assert {"reading", "building documents", "commit"} <= {s for s, t in steps.items() if t > 0}
    assert abs(sum(steps.values()) - root.time) < 0.01 * root.time + 1e-6
