"""Auditing a large log in memory that grows with its open cases, not with the file (X-5).

A log holds each case's events spread over the file, in the order they were recorded.
To judge a case, all its events must be read; to hold no more than that, the audit
reads the files twice:

1. **the plan**: each case's last line, and the latest moment the log records (the
   default ``as_of``), read from each line's first keys as the log writes them
   (``{"case": "…", "routine": "…", "type": "…", "at": "…"[, "recorded_at": "…"]``)
   with one regular expression, without parsing the line;
2. **the audit**: the events, read as always; a case's events wait until its last
   line is read, then join a batch of whole cases, and each full batch is audited
   (:func:`~arendefordelning.audit.audit_partition`) and let go. The partial reports
   merge into the report of the whole log.

The plan is only a plan: every event read is checked against it (its case must have
a line still to come, or end on this one) and, when the default ``as_of`` was taken
from it, the latest moment of the events read must be the plan's. Where the plan does
not hold (a line written in another form, a bad line with the latest time), the
stream is given up and the caller reads the log whole: the report is always the one
the whole log gives.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Final

import attrs

from .._time import STOCKHOLM
from ..kernel import Event
from ._core import audit_partition
from ._reader import STDIN, LogReader, _is_csv
from ._report import AuditReport

__all__ = ["STREAM_FROM_BYTES", "Plan", "plan", "should_stream", "streamed"]

STREAM_FROM_BYTES: Final = 64 << 20
"""Logs of this many bytes or more are audited as a stream by default (64 MiB: about
200,000 events)."""

_BATCH: Final = 1 << 16
"""Events of whole cases audited together: large enough that a batch's fixed cost is
small, small enough to be a fraction of a large log."""

_TIME: Final = (
    rb"([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,6})?)"
    rb"([+-][0-9]{2}:[0-9]{2})"
)
_HEAD: Final = re.compile(
    rb'\{"case": "([^"\\]+)", "routine": "[^"\\]*", "type": "[^"\\]*", "at": "'
    + _TIME
    + rb'"(?:, "recorded_at": "'
    + _TIME
    + rb'")?, "actor": '
)
"""A line's first keys as the log writes them: the case, the time, the recorded time."""


@attrs.frozen
class Plan:
    """The plan of a streamed audit (plan för granskning i flöde): where each case ends, X-5."""

    last: dict[str, int]
    """Each case's last line, counted over every file from 1."""
    latest: datetime | None
    """The latest moment the lines record (their ``recorded_at``, else their ``at``)."""


def should_stream(sources: Sequence[str], stream: bool | None) -> bool:
    """Whether to audit as a stream: asked for, or by default for JSON Lines files of 64 MiB on.

    Only files are streamed (read twice): not standard input, not CSV, not a store.
    """
    if stream is False or isinstance(sources, str | bytes) or not sources:
        return False
    if not all(isinstance(source, str) for source in sources):
        return False  # the reader refuses them, naming what is accepted
    if any(source == STDIN or _is_csv(source) or "://" in source for source in sources):
        return False
    if stream:
        return True
    try:
        size = sum(os.path.getsize(source) for source in sources)
    except (OSError, ValueError):
        return False  # the reading names the file that cannot be read
    return size >= STREAM_FROM_BYTES


def plan(sources: Sequence[str]) -> Plan | None:
    """Read the plan: each case's last line and the latest moment; None if a line is not planned.

    A line that is not in the form the log writes (another key order, an escape in the
    case number, a time in another form) makes the plan None: the log is then read
    whole. Blank lines are counted and skipped.
    """
    last: dict[str, int] = {}
    maxima: dict[bytes, bytes] = {}  # the latest time written with each offset
    match = _HEAD.match
    number = 0
    try:
        for source in sources:
            with open(source, "rb") as stream:
                for raw in stream:
                    number += 1
                    found = match(raw)
                    if found is None:
                        if raw.strip():
                            return None
                        continue
                    case, at, offset, recorded, recorded_offset = found.groups()
                    if recorded is not None:
                        at, offset = recorded, recorded_offset
                    known = maxima.get(offset)
                    if known is None or at > known:  # one offset: the text orders as time
                        maxima[offset] = at
                    last[case.decode("utf-8")] = number
    except (OSError, UnicodeDecodeError, ValueError):
        return None  # the reading names what is wrong
    latest = max(
        (datetime.fromisoformat((at + offset).decode("ascii")) for offset, at in maxima.items()),
        default=None,
    )
    return Plan(last, None if latest is None else latest.astimezone(STOCKHOLM))


def streamed(
    sources: Sequence[str],
    the_plan: Plan,
    as_of: datetime | None,
    *,
    skip_bad_lines: bool,
    progress: Callable[[int], None] | None = None,
    part: tuple[int, int] | None = None,
) -> tuple[AuditReport, LogReader, datetime | None] | None:
    """Audit the files as a stream by the plan; None if the plan does not hold.

    Returns the report (without the reader's findings), the reader, and the latest
    moment of the events read. The caller checks that moment against the plan's when
    it judged as of the plan's.

    Raises:
        InvalidInput: for a bad line (unless ``skip_bad_lines``), as the reader does.
    """
    moment = as_of or the_plan.latest
    if moment is None:
        return None
    reader = LogReader(sources, skip_bad_lines=skip_bad_lines, progress=progress, part=part)
    last = the_plan.last
    waiting: dict[str, list[Event]] = {}
    batch: list[Event] = []
    parts: list[AuditReport] = []
    previous = 0
    latest: datetime | None = None
    for event in reader:
        position = reader.position
        case = event.case
        end = last.get(case)
        if end is None or end < position:
            return None  # the plan does not hold: the log is read whole
        if position != previous:
            previous = position
            if len(batch) >= _BATCH:  # only between lines: a line's events stay together
                parts.append(audit_partition(batch, as_of=moment))
                batch = []
        recorded = event.recorded_at or event.at
        if latest is None or recorded > latest:
            latest = recorded
        held = waiting.get(case)
        if end == position:
            if held is None:
                batch.append(event)
            else:
                held.append(event)
                batch += waiting.pop(case)
        elif held is None:
            waiting[case] = [event]
        else:
            held.append(event)
    for held in waiting.values():  # cases whose last line was skipped as bad
        batch += held
    waiting.clear()
    parts.append(audit_partition(batch, as_of=moment))
    return parts[0].merge(*parts[1:]), reader, latest
