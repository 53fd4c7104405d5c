"""Auditing log files: read, audit and merge, in one or more processes."""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from .. import routines as registry
from .._time import STOCKHOLM
from ..errors import InvalidInput
from ..kernel import Event
from ._core import audit_partition
from ._reader import STDIN, LogReader
from ._report import AuditReport
from ._stream import Plan, plan, should_stream, streamed

__all__ = ["audit_files"]


def _latest(events: Sequence[Event]) -> datetime | None:
    latest: datetime | None = None
    for event in events:
        moment = event.recorded_at or event.at
        if latest is None or moment > latest:
            latest = moment
    return latest


def _with_reader(report: AuditReport, reader: LogReader) -> AuditReport:
    """Add the reader's findings (bad lines, lines out of order) to a report."""
    return AuditReport(
        as_of=report.as_of,
        routines=report.routines,
        events=report.events,
        cases=report.cases,
        deviations=report.deviations,
        upcoming=report.upcoming,
        quality=[*report.quality, *reader.findings],
        later=report.later,
    )


def audit_files(
    sources: Sequence[str],
    *,
    as_of: datetime | None = None,
    jobs: int = 1,
    skip_bad_lines: bool = False,
    progress: Callable[[int], None] | None = None,
    now: Callable[[], datetime] | None = None,
    stream: bool | None = None,
) -> AuditReport:
    """Audit log files as one log (granska loggfiler), X-5: what ``granska`` runs.

    Reads the files (:class:`~arendefordelning.audit.LogReader`), audits every case as
    of ``as_of`` (None: the log's last line, the latest moment it records; for a log
    without events, ``now()``), and adds the reader's findings. With ``jobs`` above 1,
    as many processes each read the files and audit the cases whose number hashes to
    theirs (whole cases), and their partial reports are merged: the same report.

    With ``stream`` (None: for JSON Lines files of 64 MiB and more together), the files
    are read twice, first for where each case ends, and each case is audited once its
    last line is read: memory grows with the cases open at a time, not with the file
    (see :mod:`arendefordelning.audit._stream`). The report is the same; where the
    files are not in the form the log writes, they are read whole instead.

    Raises:
        InvalidInput: for a bad line (unless ``skip_bad_lines``), naming the file and
            the line (the first in the files' order), or a file that cannot be read.
    """
    if jobs < 1:
        raise InvalidInput("jobs must be 1 or more")
    if stream is not None and not isinstance(stream, bool):
        raise InvalidInput("stream must be True, False or None (by the log's size)")
    the_plan = plan(sources) if should_stream(sources, stream) else None
    if jobs > 1 and STDIN not in sources:
        return _parallel(
            sources, as_of, jobs, skip_bad_lines=skip_bad_lines, now=now, the_plan=the_plan
        )
    paused = gc.isenabled()
    gc.disable()
    try:
        if the_plan is not None:
            done = streamed(
                sources, the_plan, as_of, skip_bad_lines=skip_bad_lines, progress=progress
            )
            if done is not None and (as_of is not None or done[2] == the_plan.latest):
                return _with_reader(done[0], done[1])
        reader = LogReader(sources, skip_bad_lines=skip_bad_lines, progress=progress)
        events = list(reader)
        moment = as_of or _latest(events) or _now(now)
        report = audit_partition(events, as_of=moment)
        del events
    finally:
        if paused:
            gc.enable()
    return _with_reader(report, reader)


def _now(now: Callable[[], datetime] | None) -> datetime:
    return now() if now is not None else datetime.now(STOCKHOLM)


def _worker(
    sources: Sequence[str],
    part: tuple[int, int],
    pipe: Any,
    *,
    skip_bad_lines: bool,
    as_of: datetime | None,
    the_plan: Plan | None,
) -> None:
    """Read one part of the files, tell the latest moment, audit as of the moment sent back.

    With a plan, audit the part as a stream as of ``as_of`` or the plan's moment, and
    send the report with the latest moment read (or None if the plan did not hold).
    """
    gc.disable()
    if the_plan is not None:
        try:
            done = streamed(sources, the_plan, as_of, skip_bad_lines=skip_bad_lines, part=part)
        except InvalidInput as error:
            pipe.send(("error", str(error)))
        else:
            answer = None if done is None else (_with_reader(done[0], done[1]), done[2])
            pipe.send(("streamed", answer))
        pipe.close()
        return
    try:
        reader = LogReader(sources, skip_bad_lines=skip_bad_lines, part=part)
        events = list(reader)
    except InvalidInput as error:
        pipe.send(("error", str(error)))
        pipe.close()
        return
    pipe.send(("read", _latest(events)))
    try:
        moment = as_of or pipe.recv()
    except EOFError:  # the parent stopped (another part found a bad line)
        return
    report = audit_partition(events, as_of=moment)
    del events
    pipe.send(("report", _with_reader(report, reader)))
    pipe.close()


def _parallel(
    sources: Sequence[str],
    as_of: datetime | None,
    jobs: int,
    *,
    skip_bad_lines: bool,
    now: Callable[[], datetime] | None,
    the_plan: Plan | None = None,
) -> AuditReport:
    # X-5: every routine imported before the parts' reports are read back: a report
    # holds the kinds a routine defines (UP's WRONG_STATED_TIME), found by name, and
    # the forked parts inherit the imports.
    registry.registered()
    context = multiprocessing.get_context("fork")
    pipes = []
    workers = []
    for index in range(jobs):
        mine, theirs = context.Pipe()
        process = context.Process(
            target=_worker,
            args=(sources, (index, jobs), theirs),
            kwargs={"skip_bad_lines": skip_bad_lines, "as_of": as_of, "the_plan": the_plan},
            daemon=True,
        )
        process.start()
        theirs.close()
        pipes.append(mine)
        workers.append(process)
    try:
        answers = [pipe.recv() for pipe in pipes]
        errors = [text for kind, text in answers if kind == "error"]
        if errors:
            raise InvalidInput(min(errors, key=_position(sources)))
        if the_plan is not None:
            return _streamed_parts(
                sources,
                as_of,
                jobs,
                answers,
                skip_bad_lines=skip_bad_lines,
                now=now,
                the_plan=the_plan,
            )
        latest = [moment for _, moment in answers if moment is not None]
        moment = as_of or (max(latest) if latest else _now(now))
        if as_of is None:
            for pipe in pipes:
                pipe.send(moment)
        parts: list[AuditReport] = [pipe.recv()[1] for pipe in pipes]
    finally:
        for pipe in pipes:
            pipe.close()
        for process in workers:
            process.join(timeout=60)
            if process.is_alive():
                process.terminate()
    return parts[0].merge(*parts[1:])


def _streamed_parts(
    sources: Sequence[str],
    as_of: datetime | None,
    jobs: int,
    answers: list[tuple[str, Any]],
    *,
    skip_bad_lines: bool,
    now: Callable[[], datetime] | None,
    the_plan: Plan,
) -> AuditReport:
    """Merge the parts audited as streams, or audit again whole where the plan did not hold."""
    done: list[tuple[AuditReport, datetime | None]] = [
        answer for _, answer in answers if answer is not None
    ]
    if len(done) == len(answers):  # every part's plan held
        latest = [moment for _, moment in done if moment is not None]
        if as_of is not None or (latest and max(latest) == the_plan.latest):
            parts = [report for report, _ in done]
            return parts[0].merge(*parts[1:])
    return _parallel(sources, as_of, jobs, skip_bad_lines=skip_bad_lines, now=now)


def _position(sources: Sequence[str]) -> Callable[[str], tuple[int, int]]:
    """Order error messages (``FILE: line N: ...``) by the file's place, then the line."""
    from ._reader import _name  # noqa: PLC0415

    names = [_name(source) for source in sources]

    def key(message: str) -> tuple[int, int]:
        for index, name in enumerate(names):
            prefix = f"{name}: line "
            if message.startswith(prefix):
                digits = message[len(prefix) :].split(":", 1)[0]
                return (index, int(digits) if digits.isdigit() else 0)
        return (len(names), 0)

    return key
