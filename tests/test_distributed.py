"""The audit on Dask: many files, two worker processes, the one-process report (X-5).

Given an example log split into several files, when :func:`audit_logs` runs on a
``dask.distributed.LocalCluster`` with two worker processes, then its report equals
the one-process report of the same files (``granska``'s), and a bad line stops it
naming the file and the line, or is skipped and counted.

Slow: a cluster takes seconds to start; ``.ci/run`` runs it with ``-m slow``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from distributed import Client, LocalCluster

from arendefordelning import InvalidInput
from arendefordelning import example_log as ex
from arendefordelning.audit import QualityKind, audit_files, part_of
from arendefordelning.csvlog import dump_csv_events
from arendefordelning.distributed import audit_logs
from arendefordelning.eventlog import dump_events

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    """A local cluster of two worker processes, one thread each, no dashboard."""
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as connected,
    ):
        yield connected


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], int]:
    """An example log of 400 cases in three files: two JSON Lines by case, one CSV."""
    folder = tmp_path_factory.mktemp("logs")
    events, truth = ex.build(400, seed=21)
    paths = [folder / "a.jsonl", folder / "b.jsonl", folder / "c.csv"]
    dump_events([e for e in events if part_of(e.case, 3) == 0], paths[0])
    dump_events([e for e in events if part_of(e.case, 3) == 1], paths[1])
    dump_csv_events([e for e in events if part_of(e.case, 3) == 2], paths[2])
    return [str(p) for p in paths], len(truth)


def test_x5_two_worker_processes_give_the_one_process_report(
    client: Client, files: tuple[list[str], int]
) -> None:
    """X-5: shuffled by case, audited per partition, merged: granska's report exactly."""
    paths, injected = files
    assert len(client.scheduler_info()["workers"]) == 2
    report = audit_logs(paths, partitions=5)
    assert report == audit_files(paths)
    assert len(report.deviations) == injected > 0
    assert report.case_count() == 400
    assert audit_logs(paths, as_of=report.as_of) == report
    glob = str(Path(paths[0]).parent / "*.jsonl")  # a glob, as for object storage
    assert audit_logs(glob) == audit_files(paths[:2])


def test_x5_a_case_split_across_files_meets_in_one_partition(
    client: Client, tmp_path: Path
) -> None:
    """X-5: a log split by line (cases across files) gives the report of the whole log."""
    events, truth = ex.build(120, seed=4)
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    dump_events(events[::2], first)
    dump_events(events[1::2], second)
    whole = tmp_path / "all.jsonl"
    dump_events(events, whole)
    report = audit_logs([str(first), str(second)], partitions=3)
    alone = audit_files([str(whole)])
    assert report.deviations == alone.deviations
    assert report.counts() == alone.counts()
    assert report.cases == alone.cases
    assert report.upcoming == alone.upcoming
    assert len(report.deviations) == len(truth)


def test_x1_a_bad_line_is_named_or_skipped_and_counted(client: Client, tmp_path: Path) -> None:
    """X-1: the first bad line in the files' order stops it; skipped, it is a finding."""
    events, _ = ex.build(30, seed=8)
    good, bad = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    dump_events(events[:100], good)
    dump_events(events[100:], bad)
    lines = bad.read_text(encoding="utf-8").splitlines(keepends=True)
    bad.write_text("".join([*lines[:2], "{inte json\n", *lines[2:]]), encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"b\.jsonl: line 3:"):
        audit_logs([str(good), str(bad)])
    report = audit_logs([str(good), str(bad)], skip_bad_lines=True)
    assert report == audit_files([str(good), str(bad)], skip_bad_lines=True)
    skipped = [q for q in report.quality if q.kind is QualityKind.BAD_LINE]
    assert [q.line for q in skipped] == [3]


def test_bad_arguments_are_refused_with_invalid_input(tmp_path: Path) -> None:
    """X-7: no file, a bad number of partitions, paths that are not text."""
    with pytest.raises(InvalidInput, match="no log file"):
        audit_logs(str(tmp_path / "*.jsonl"))
    with pytest.raises(InvalidInput, match="partitions"):
        audit_logs(str(tmp_path / "x.jsonl"), partitions=0)
    with pytest.raises(InvalidInput, match="paths"):
        audit_logs([1, 2])  # type: ignore[list-item]
