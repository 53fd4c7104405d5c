"""The audit of a large log as a stream: memory that grows with open cases, the same report (X-5).

``audit_files(..., stream=True)`` reads the files twice (where each case ends, then
the events) and audits each case once its last line is read. These tests hold it to
the report of the log read whole, in every mode (one process and two, ``as_of`` given
or taken from the log, lines shuffled, repeated, bad or blank, cases split across
files), to the fallback where the plan does not hold, and to what it is for: the
memory of a log whose cases follow one another stays that of a few cases.
"""

from __future__ import annotations

import json
import random
import tracemalloc
import typing
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Final

import attrs
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from arendefordelning import InvalidInput
from arendefordelning import example_log as ex
from arendefordelning._time import STOCKHOLM
from arendefordelning.audit import _stream, audit_files
from arendefordelning.audit._core import recorded_by
from arendefordelning.audit._stream import STREAM_FROM_BYTES, plan, should_stream
from arendefordelning.eventlog import dump_events
from arendefordelning.kernel import Event


@pytest.fixture(scope="module")
def lines(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The lines of an example log of every routine: 80 cases, deviations injected."""
    path = tmp_path_factory.mktemp("stream") / "log.jsonl"
    log, _ = ex.build(80, 7)
    dump_events(log, str(path))
    return path.read_text(encoding="utf-8").splitlines(keepends=True)


def _write(directory: Path, parts: list[list[str]]) -> list[str]:
    paths = []
    for index, part in enumerate(parts):
        path = directory / f"part-{index}.jsonl"
        path.write_text("".join(part), encoding="utf-8")
        paths.append(str(path))
    return paths


_BAD: Final = '{"case": "VAL-1", "routine": "VAL", "type": "no_such_step"}\n'


@pytest.mark.slow
@settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    seed=st.integers(0, 2**16),
    files=st.integers(1, 3),
    shuffle=st.booleans(),
    repeat=st.booleans(),
    blank=st.booleans(),
    as_of=st.sampled_from([None, datetime(2025, 9, 1, 12, tzinfo=STOCKHOLM)]),
)
def test_x5_a_streamed_audit_gives_the_report_of_the_log_read_whole(
    lines: list[str],
    tmp_path_factory: pytest.TempPathFactory,
    *,
    seed: int,
    files: int,
    shuffle: bool,
    repeat: bool,
    blank: bool,
    as_of: datetime | None,
) -> None:
    """X-5: streamed or whole, one process or two, the report is the same."""
    draw = random.Random(seed)
    chosen = list(lines)
    if shuffle:
        draw.shuffle(chosen)
    if repeat:
        chosen += draw.sample(chosen, 5)  # duplicates, recorded again later in the file
    if blank:
        chosen.insert(draw.randrange(len(chosen)), "\n")
    cuts = sorted(draw.sample(range(1, len(chosen)), files - 1))
    parts = [chosen[a:b] for a, b in zip([0, *cuts], [*cuts, len(chosen)], strict=True)]
    paths = _write(tmp_path_factory.mktemp("streamed"), parts)
    whole = audit_files(paths, as_of=as_of, stream=False)
    found = plan(paths)
    assert found is not None
    assert _stream.streamed(paths, found, as_of, skip_bad_lines=False) is not None  # it holds
    assert audit_files(paths, as_of=as_of, stream=True) == whole
    assert audit_files(paths, as_of=as_of, stream=True, jobs=2) == whole


@pytest.mark.parametrize("jobs", [1, 2])
def test_x5_a_stream_whose_plan_does_not_hold_is_read_whole(
    lines: list[str], tmp_path: Path, jobs: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """X-5: a bad line with the latest time makes the plan's moment wrong: read whole."""
    late = json.loads(lines[-1])
    late["at"] = "2031-01-01T12:00:00+01:00"
    late["data"] = {"no_such_field": 1}  # recorded last of all, and no event
    paths = _write(tmp_path, [[*lines[:-1], json.dumps(late, ensure_ascii=False) + "\n"]])
    whole = audit_files(paths, stream=False, skip_bad_lines=True)
    assert whole.as_of.year < 2031
    calls: list[int] = []
    real = _stream.streamed

    def counted(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("arendefordelning.audit._run.streamed", counted)
    assert audit_files(paths, stream=True, skip_bad_lines=True, jobs=jobs) == whole
    assert calls or jobs == 2  # the parts call it in their own processes


def test_x5_lines_in_another_form_are_not_planned_and_read_whole(
    lines: list[str], tmp_path: Path
) -> None:
    """X-5: a line whose keys come in another order cannot be planned; the log is read whole."""
    first = json.loads(lines[0])
    reordered = json.dumps(dict(reversed(list(first.items()))), ensure_ascii=False) + "\n"
    paths = _write(tmp_path, [[reordered, *lines[1:]]])
    assert plan(paths) is None
    assert audit_files(paths, stream=True) == audit_files(paths, stream=False)


def test_x5_a_bad_line_stops_a_streamed_audit_naming_it(lines: list[str], tmp_path: Path) -> None:
    """X-1: without skip_bad_lines a bad line is refused naming its file and line, streamed too."""
    paths = _write(tmp_path, [[*lines[:10], _BAD, *lines[10:]]])
    for jobs in (1, 2):
        with pytest.raises(InvalidInput, match=r"part-0\.jsonl: line 11: "):
            audit_files(paths, stream=True, jobs=jobs)


def test_x5_the_plan_finds_each_cases_last_line_and_the_latest_moment(tmp_path: Path) -> None:
    """X-5: the plan counts lines over the files; the latest moment is compared as instants."""
    head = '{"case": "%s", "routine": "OV", "type": "t", "at": "%s"%s, "actor": {}}\n'
    winter = head % ("OV-1", "2026-03-29T01:45:00+01:00", "")  # 00:45 UTC
    summer = head % ("OV-2", "2026-03-29T03:30:00+02:00", "")  # 01:30 UTC: the latest
    recorded = head % (
        "OV-1",
        "2026-03-28T10:00:00+01:00",
        ', "recorded_at": "2026-03-29T03:00:00+02:00"',
    )
    paths = _write(tmp_path, [[winter, "\n"], [summer, recorded]])
    found = plan(paths)
    assert found is not None
    assert found.last == {"OV-1": 4, "OV-2": 3}
    assert found.latest == datetime(2026, 3, 29, 3, 30, tzinfo=STOCKHOLM)
    assert found.latest is not None
    assert found.latest.tzinfo is STOCKHOLM


def test_x5_streaming_is_chosen_by_size_and_only_for_json_lines_files(tmp_path: Path) -> None:
    """X-5: by default a stream from 64 MiB of JSON Lines files; never stdin, CSV or a store."""
    small = tmp_path / "small.jsonl"
    small.write_text("\n", encoding="utf-8")
    large = tmp_path / "large.jsonl"
    with large.open("wb") as stream:
        stream.truncate(STREAM_FROM_BYTES)
    assert not should_stream([str(small)], None)
    assert should_stream([str(small)], True)
    assert should_stream([str(large)], None)
    assert should_stream([str(small), str(large)], None)
    assert not should_stream([str(large)], False)
    for other in ("-", str(tmp_path / "log.csv"), "sqlite:///log.db"):
        assert not should_stream([str(large), other], True)
    assert not should_stream([str(tmp_path / "missing.jsonl")], None)
    for junk in ("log.jsonl", [1], [str(large), None]):
        assert not should_stream(junk, True)  # type: ignore[arg-type]
        with pytest.raises(InvalidInput, match="sources must be a sequence of paths"):
            audit_files(junk, stream=True)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="stream must be True, False or None"):
        audit_files([str(small)], stream="yes")  # type: ignore[arg-type]


def _peak(call: object) -> int:
    tracemalloc.start()
    try:
        call()  # type: ignore[operator]
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_x5_a_stream_holds_the_open_cases_not_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """X-5: cases that follow one another are held a few at a time, not the whole file's.

    The log's lines are laid out case after case, so few cases are open at any line;
    with small batches the streamed audit's peak memory is a fraction of the whole
    read's, which holds every event.
    """
    log, _ = ex.build(400, 11)
    path = tmp_path / "log.jsonl"
    dump_events(sorted(log, key=lambda event: event.case), str(path))
    sources = [str(path)]
    monkeypatch.setattr(_stream, "_BATCH", 200)
    whole = audit_files(sources, stream=False)  # warm: routines, codecs, memos
    assert audit_files(sources, stream=True) == whole
    streamed = _peak(lambda: audit_files(sources, stream=True))
    read_whole = _peak(lambda: audit_files(sources, stream=False))
    print(f"peak memory streamed {streamed:,} B, read whole {read_whole:,} B")
    assert streamed < read_whole / 2.5, (streamed, read_whole)


@attrs.frozen
class _Moments:
    at: datetime
    recorded_at: datetime | None


_NEAR_CHANGES: Final = st.sampled_from(
    [datetime(2026, 3, 29, 1, tzinfo=UTC), datetime(2026, 10, 25, 0, 30, tzinfo=UTC)]
)


def _instants() -> st.SearchStrategy[datetime]:
    """Instants within hours of a change of offset, mostly: where the wall clock misleads."""
    near = st.builds(
        lambda base, minutes: base + timedelta(minutes=minutes),
        _NEAR_CHANGES,
        st.integers(-400, 400),
    )
    anywhere = st.datetimes(
        min_value=datetime(1900, 1, 2), max_value=datetime(2199, 12, 30), timezones=st.just(UTC)
    )
    return near | anywhere


@given(
    moments=st.lists(st.tuples(_instants(), st.none() | _instants(), st.booleans()), max_size=30),
    as_of=_instants(),
    zone=st.sampled_from([STOCKHOLM, UTC, timezone(timedelta(hours=-5))]),
)
@example(  # the second 02:30 of 25 October (fold 1) is after 02:45 of the first (fold 0)
    moments=[(datetime(2026, 10, 25, 1, 30, tzinfo=UTC), None, True)],
    as_of=datetime(2026, 10, 25, 0, 45, tzinfo=UTC),
    zone=STOCKHOLM,
)
def test_x5_events_recorded_by_as_of_are_counted_as_instants(
    moments: list[tuple[datetime, datetime | None, bool]], as_of: datetime, zone: tzinfo
) -> None:
    """X-5: events recorded by a moment are counted as instants, at a change of offset too."""
    events = [
        _Moments(
            at.astimezone(STOCKHOLM if local else UTC),
            None if recorded is None else recorded.astimezone(STOCKHOLM),
        )
        for at, recorded, local in moments
    ]
    exact = sum(1 for e in events if (e.recorded_at or e.at) <= as_of)
    assert recorded_by(typing.cast("list[Event]", events), as_of.astimezone(zone)) == exact
