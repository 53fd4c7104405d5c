"""Event log as CSV (händelselogg i CSV): the JSON Lines envelope, one row per event, X-1.

A log exported from a spreadsheet or another case system may come as CSV. The columns
are the envelope's (:mod:`arendefordelning.eventlog`), the actor split in two and the
data as a JSON object in one cell::

    case,routine,type,at,recorded_at,actor_id,actor_role,data
    K-1,VAL,assignment_distributed,2026-03-02T15:10:00+01:00,,bh-17,biståndshandläggare,{}

The first row is that header, exactly. ``recorded_at`` is empty when the step was
recorded as it happened; ``data`` is the event's own fields as the JSON log writes
them (an empty cell is ``{}``). Reading checks every row as the JSON Lines reader
checks a line and raises :class:`~arendefordelning.errors.InvalidInput` naming the line
(the line a row starts on, from 1) and the field, never a value (X-7). Reading what
:func:`dump_csv_events` wrote gives equal events.

This module is at the edge of the package, beside the event log; nothing in the core
imports it.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Generator, Iterable, Iterator
from typing import Any, Final, TextIO

from . import _eventcodec as _codec
from . import eventlog as _log
from .errors import InvalidInput
from .kernel import Event

__all__ = ["COLUMNS", "dump_csv_events", "dumps_csv_row", "load_csv_events"]

COLUMNS: Final = ("case", "routine", "type", "at", "recorded_at", "actor_id", "actor_role", "data")
"""The columns of a CSV log, in order: its header row."""


def dumps_csv_row(event: Event) -> list[str]:
    """Return one event as its CSV cells, in the order of :data:`COLUMNS`, X-1.

    Raises:
        InvalidInput: when ``event`` is not an :class:`~arendefordelning.kernel.Event`.
    """
    envelope = _log._envelope(event)
    actor = envelope["actor"]
    return [
        envelope["case"],
        envelope["routine"],
        envelope["type"],
        envelope["at"],
        envelope.get("recorded_at", ""),
        actor["id"],
        actor["role"],
        json.dumps(envelope["data"], ensure_ascii=False),
    ]


def dump_csv_events(events: Iterable[Event], target: str | os.PathLike[str] | TextIO) -> int:
    """Write events as a CSV log (skriv händelselogg i CSV), the header first, X-1.

    Args:
        events: The events, written in their order.
        target: A path (written as UTF-8, replaced) or an open text stream (opened
            with ``newline=""``, as the csv module asks).

    Returns:
        The number of events written.

    Raises:
        InvalidInput: for an item that is not an Event (the events before it are
            written) or a target that is neither a path nor a text stream.
    """
    if isinstance(target, str | os.PathLike):
        try:
            opened = open(target, "w", encoding="utf-8", newline="")  # noqa: SIM115
        except OSError as error:
            raise _log._masked(error) from None
        with opened as stream:
            return _write(events, stream)
    if not callable(getattr(target, "write", None)):
        raise InvalidInput(f"target must be a path or a text stream, not {type(target).__name__}")
    return _write(events, target)


def _write(events: Iterable[Event], stream: TextIO) -> int:
    writer = csv.writer(stream, lineterminator="\n")
    # The csv module quotes a cell holding a line break only if the break is in the
    # line terminator: a lone carriage return would split the row when read back.
    quoted = csv.writer(stream, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(COLUMNS)
    count = 0
    for event in events:
        row = dumps_csv_row(event)
        (quoted if any("\r" in cell for cell in row) else writer).writerow(row)
        count += 1
    return count


def load_csv_events(
    source: str | os.PathLike[str] | TextIO | Iterable[str],
    *,
    types: Iterable[type[Event]] | None = None,
) -> Generator[Event, None, None]:
    """Read events from a CSV log (läs händelselogg i CSV), one row at a time, X-1.

    A generator, as :func:`~arendefordelning.eventlog.load_events`: a path is opened
    when the first event is asked for and read as UTF-8; blank rows are skipped.

    Args:
        source: A path, an open text stream, or an iterable of lines.
        types: The event classes to know, instead of every registered routine's.

    Raises:
        InvalidInput: while iterating, naming the line a bad row starts on and the
            field, never its value (X-7); at once, for a source that is neither.
    """
    registry = _log._chosen(types)
    if isinstance(source, str | os.PathLike):
        return _read_path(source, registry)
    given: object = source
    if isinstance(given, bytes | bytearray) or not isinstance(given, Iterable):
        raise InvalidInput(
            "source must be a path, a text stream or an iterable of lines, "
            f"not {type(given).__name__}"
        )
    return _read_rows(iter(source), registry)


def _read_path(path: str | os.PathLike[str], registry: Any) -> Generator[Event, None, None]:
    problem: str | None = None
    try:
        stream = open(path, encoding="utf-8", newline="")  # noqa: SIM115 - closed below
    except ValueError:
        problem = "the path holds a NUL character, which no file name can"
    except UnicodeEncodeError:
        problem = "the path holds a lone surrogate, which the file system cannot encode"
    except OSError as error:
        raise _log._masked(error) from None
    if problem is not None:
        raise InvalidInput(f"{problem}; give the path of the log file")
    with stream:
        yield from _read_rows(stream, registry)


class _Lines(Iterator[str]):
    """Lines of a source, counted, with a line that is not text named by its number."""

    def __init__(self, lines: Iterator[Any]) -> None:
        self._lines = lines
        self.number = 0

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        self.number += 1
        try:
            line = next(self._lines)
        except UnicodeDecodeError:
            line = None
        if line is None:
            raise InvalidInput(f"line {self.number}: not UTF-8 text; a log is written in UTF-8")
        if not isinstance(line, str):
            raise InvalidInput(
                f"line {self.number}: expected a line of text, got {type(line).__name__}; "
                "read the log in text mode"
            )
        return line


def read_rows(lines: Iterable[str]) -> Generator[tuple[int, list[str] | InvalidInput], None, None]:
    """Yield each row of CSV text with the line it starts on, or the error of a bad row.

    The header is checked first (an error there ends the reading). A row that cannot be
    parsed (a field too long, a quote left open) is yielded as its error; the reading
    goes on at the next line where the csv module can.
    """
    counted = _Lines(iter(lines))
    reader = csv.reader(counted, strict=True)
    _check_header(reader, counted)
    while True:
        start = counted.number + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error:
            yield (
                start,
                InvalidInput(
                    f"line {start}: not a CSV row (a quote left open or a field over "
                    f"{csv.field_size_limit()} characters); write each row's eight cells, "
                    "quoted where they hold a comma, a quote or a line break"
                ),
            )
            continue
        if row:
            yield start, row


def _check_header(reader: Any, counted: _Lines) -> None:
    try:
        header = next(reader)
    except StopIteration:
        raise InvalidInput(
            "line 1: the log is empty; a CSV log starts with its header: " + ",".join(COLUMNS)
        ) from None
    except csv.Error:
        header = None
    if header is not None and header and header[0].startswith("\ufeff"):
        header[0] = header[0][1:]
    if header is None or tuple(header) != COLUMNS:
        raise InvalidInput(
            f"line {counted.number}: the first row must be the header " + ",".join(COLUMNS)
        )


def decode_row(row: list[str], number: int, registry: Any | None = None) -> list[Event]:
    """Decode one CSV row (its cells, the line it starts on) into its events, X-1.

    Raises:
        InvalidInput: naming the line and the field, never a value (X-7).
    """
    chosen = _codec._default() if registry is None else registry
    message: str
    try:
        return _decode(row, chosen)
    except InvalidInput as error:
        message = str(error)
    raise InvalidInput(f"line {number}: {message}")


def _decode(row: list[str], registry: Any) -> list[Event]:
    if len(row) != len(COLUMNS):
        raise InvalidInput(f"expected {len(COLUMNS)} cells ({','.join(COLUMNS)}), got {len(row)}")
    case, routine, kind, at, recorded_at, actor_id, actor_role, data = row
    if data.strip():
        try:
            parsed = _log._parse(data)
        except InvalidInput as error:
            raise InvalidInput(f"field 'data': {error}") from None
    else:
        parsed = {}
    envelope: dict[str, Any] = {
        "case": case,
        "routine": routine,
        "type": kind,
        "at": at,
        "actor": {"id": actor_id, "role": actor_role},
        "data": parsed,
    }
    if recorded_at:
        envelope["recorded_at"] = recorded_at
    for value in (case, routine, kind, at, recorded_at, actor_id, actor_role):
        if not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise InvalidInput(_log._LONE_SURROGATE) from None
    upgrade = registry.upgrades.get((routine, kind))
    if upgrade is not None:
        return [_log._decode_envelope(e, registry) for e in upgrade(envelope)]
    return [_log._decode_envelope(envelope, registry)]


def _read_rows(lines: Iterator[Any], registry: Any) -> Generator[Event, None, None]:
    for number, row in read_rows(lines):
        if isinstance(row, InvalidInput):
            raise row
        yield from decode_row(row, number, registry)
