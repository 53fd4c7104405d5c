"""Reading logs for the audit: JSON Lines and CSV, line by line, X-1.

The audit's reader sees what the library's :func:`~arendefordelning.audit.audit` does
not: the files, their lines and the lines' order. It names a bad line by its file and
number (or skips and counts it, on request), and counts, per case, the lines recorded
before an earlier line of the same case: the order of a file is a property of the
file, so it is the reader's finding, not the audit's (whose report is the same for
the log's lines in any order).
"""

from __future__ import annotations

import os
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from typing import IO, Any, Final

from .. import _eventcodec as _codec
from .. import csvlog
from .. import eventlog as _log
from .._pii import mask
from ..errors import InvalidInput
from ..kernel import Event
from ._findings import QualityFinding, QualityKind

__all__ = ["LogReader", "part_of", "read_log"]

STDIN: Final = "-"
_LONGEST_NAME: Final = 120
_PROGRESS_EVERY: Final = 1 << 14


def _name(source: str) -> str:
    """Return a file's name as a message may show it: masked and cut (X-7)."""
    if source == STDIN:
        return "standard input"
    name = mask(os.fsdecode(source))
    if not name.isprintable():
        name = repr(name)[1:-1]
    return name if len(name) <= _LONGEST_NAME else "…" + name[-_LONGEST_NAME:]


def _is_csv(source: str) -> bool:
    return source != STDIN and os.fsdecode(source).lower().endswith(".csv")


class LogReader:
    """Reader of audit logs (loggläsare): the events of one or more files, as one log, X-1.

    Each source is a path (``.csv`` is read as CSV, anything else as JSON Lines),
    ``"-"`` for standard input (CSV when its first line is the CSV header), or an event
    store's URL (``sqlite:///path.db``, ``postgresql://…``: its events in position order,
    :func:`arendefordelning.store.events_from`). Iterate to
    get the events, in the files' order. A line that is no event raises
    :class:`~arendefordelning.errors.InvalidInput` naming the file and the line, unless
    ``skip_bad_lines``: then it is skipped and listed among :attr:`findings` (as
    BAD_LINE, with the file, the line and why). After the reading, :attr:`findings`
    also lists, per case, the lines recorded before an earlier line of the same case
    (OUT_OF_ORDER, with the count).

    Args:
        sources: Paths, or ``"-"`` for standard input.
        skip_bad_lines: Skip and count a bad line instead of stopping at it.
        stdin: The binary stream read for ``"-"`` (default: ``sys.stdin.buffer``).
        progress: Called now and then with the bytes read so far.
        part: ``(index, count)``: read only the cases whose number hashes to
            ``index`` of ``count`` parts (:func:`part_of`), so that ``count``
            readers of the same files each hold whole cases; a bad line whose case
            cannot be read is the first part's.
        opener: Opens a source (not ``"-"``) as a binary stream, instead of
            :func:`open`: for a file in object storage, say (``fsspec.open``).
    """

    def __init__(
        self,
        sources: Sequence[str],
        *,
        skip_bad_lines: bool = False,
        stdin: IO[bytes] | None = None,
        progress: Callable[[int], None] | None = None,
        part: tuple[int, int] | None = None,
        opener: Callable[[str], IO[bytes]] | None = None,
    ) -> None:
        if isinstance(sources, str | bytes) or not all(isinstance(s, str) for s in sources):
            raise InvalidInput("sources must be a sequence of paths (str), or '-' for stdin")
        self.sources = tuple(sources)
        self.skip_bad_lines = skip_bad_lines
        self._stdin = stdin
        self._progress = progress
        self._part = part
        self._opener = opener
        self._read = 0
        self.lines = 0
        """Lines read (blank ones included)."""
        self.position = 0
        """The line (counted over every file, from 1) the event last yielded was read from."""
        self.events = 0
        """Events read."""
        self.bad: list[QualityFinding] = []
        self._latest: dict[tuple[str, str], datetime] = {}
        self._late: dict[tuple[str, str], int] = {}

    @property
    def findings(self) -> list[QualityFinding]:
        """The reader's findings: bad lines skipped, lines out of order per case."""
        order = [
            QualityFinding(
                kind=QualityKind.OUT_OF_ORDER,
                routine=routine,
                case=case,
                count=count,
                detail_sv=f"{count} rad(er) dokumenterade före en tidigare rad i samma ärende",
                detail_en=f"{count} line(s) recorded before an earlier line of the same case",
            )
            for (routine, case), count in sorted(self._late.items())
        ]
        return [*self.bad, *order]

    def __iter__(self) -> Iterator[Event]:
        registry = _codec._default()
        for source in self.sources:
            if _is_store(source):
                yield from self._track(self._store(source))
                continue
            stream = self._open(source)
            try:
                if _is_csv(source) or (source == STDIN and _sniff_csv(stream)):
                    yield from self._track(self._csv(source, stream, registry))
                else:
                    yield from self._track(self._jsonl(source, stream, registry))
            finally:
                if source != STDIN:
                    stream.close()

    def _store(self, url: str) -> Iterator[Event]:
        """Yield the events of an event store, by its URL, in position order (X-1)."""
        from ..store import events_from  # noqa: PLC0415 - only a store source needs it

        for event in events_from(url):
            if self._mine(event.case):
                yield event

    def _open(self, source: str) -> Any:
        if source == STDIN:
            stream = self._stdin if self._stdin is not None else sys.stdin.buffer
            return _Peekable(stream)
        problem: str | None = None
        try:
            if self._opener is not None:
                return self._opener(source)
            return open(source, "rb")
        except ValueError:
            problem = "the path holds a NUL character"
        except OSError as error:
            problem = f"cannot be read ({error.strerror or type(error).__name__})"
        raise InvalidInput(f"{_name(source)}: {problem}; give the path of a log file")

    def _mine(self, case: str | None) -> bool:
        """Whether a line of ``case`` (None: unknown) belongs to this reader's part."""
        part = self._part
        if part is None:
            return True
        if case is None:
            return part[0] == 0
        return part_of(case, part[1]) == part[0]

    def _bad(self, source: str, number: int, error: InvalidInput, case: str | None = None) -> None:
        if not self._mine(case):
            return
        message = str(error)
        if not self.skip_bad_lines:
            raise InvalidInput(f"{_name(source)}: {message}")
        prefix = f"line {number}: "
        reason = message[len(prefix) :] if message.startswith(prefix) else message
        self.bad.append(
            QualityFinding(
                kind=QualityKind.BAD_LINE,
                source=_name(source),
                line=number,
                detail_sv=f"raden är ingen händelse och hoppades över ({reason})",
                detail_en=f"the line is no event and was skipped ({reason})",
            )
        )

    def _jsonl(self, source: str, stream: Any, registry: Any) -> Iterator[Event]:
        fast = _codec._fast_line
        slow = _log._decode_numbered
        part = self._part
        progress = self._progress
        read = self._read  # counted in locals, written back as the reading goes on
        before = self.lines
        number = 0
        try:
            for number, raw in enumerate(stream, start=1):
                read += len(raw)
                if progress is not None and not number % _PROGRESS_EVERY:
                    progress(read)
                case: str | None = None
                if part is not None:
                    case = _case_of(raw)
                    if case is not None and part_of(case, part[1]) != part[0]:
                        continue
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError:
                    self._bad(
                        source,
                        number,
                        InvalidInput(f"line {number}: not UTF-8 text; a log is written in UTF-8"),
                    )
                    continue
                event = fast(line, registry)
                self.position = before + number
                if event is not None:
                    if part is None or case is not None or self._mine(event.case):
                        yield event
                    continue
                try:
                    events = slow(line, number, registry, None, text_checked=True)
                except InvalidInput as error:
                    self._bad(source, number, error, case)
                    continue
                yield from (e for e in events if case is not None or self._mine(e.case))
        finally:
            self.lines += number
            self._read = read
        if progress is not None:
            progress(read)

    def _csv(self, source: str, stream: Any, registry: Any) -> Iterator[Event]:
        lines = _TextLines(stream, self)
        try:
            for number, row in csvlog.read_rows(lines):
                if isinstance(row, InvalidInput):
                    self._bad(source, number, row)
                    continue
                case = row[0] if row else None
                if not self._mine(case):
                    continue
                try:
                    events = csvlog.decode_row(row, number, registry)
                except InvalidInput as error:
                    self._bad(source, number, error, case)
                    continue
                yield from events
        except InvalidInput as error:  # the header, or a line that is not text: unusable
            raise InvalidInput(f"{_name(source)}: {error}") from None

    def _track(self, events: Iterable[Event]) -> Iterator[Event]:
        """Count the events, and per case the ones recorded before an earlier line."""
        latest = self._latest
        late = self._late
        count = 0
        try:
            for event in events:
                count += 1
                key = (event.routine, event.case)
                moment = event.recorded_at or event.at  # aware: compared as instants
                before = latest.get(key)
                if before is None or moment >= before:
                    latest[key] = moment
                else:
                    late[key] = late.get(key, 0) + 1
                yield event
        finally:
            self.events += count


class _TextLines(Iterator[str]):
    """The lines of a binary stream as text, for the CSV reader; bytes counted."""

    def __init__(self, stream: Any, reader: LogReader) -> None:
        self._stream = iter(stream)
        self._reader = reader

    def __iter__(self) -> _TextLines:
        return self

    def __next__(self) -> str:
        raw: bytes = next(self._stream)
        reader = self._reader
        reader.lines += 1
        reader._read += len(raw)
        if reader._progress is not None and not reader.lines % _PROGRESS_EVERY:
            reader._progress(reader._read)
        return raw.decode("utf-8")


class _Peekable:
    """A binary stream whose first line can be looked at before it is read."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self._first: bytes | None = None
        self._peeked = False

    def peek_line(self) -> bytes:
        if not self._peeked:
            self._first = self._stream.readline()
            self._peeked = True
        return self._first or b""

    def __iter__(self) -> Iterator[bytes]:
        if self._peeked:
            self._peeked = False
            if self._first:
                yield self._first
        yield from self._stream

    def close(self) -> None:
        """Leave standard input open."""


def part_of(case: str, count: int) -> int:
    """Return the part (0 to ``count - 1``) a case number hashes to: the same in every process."""
    return zlib.crc32(case.encode("utf-8", "surrogatepass")) % count


_CASE_PREFIX: Final = b'{"case": "'


def _case_of(raw: bytes) -> str | None:
    """Read the case number of a line as the log writes it, without parsing it; None if not."""
    if not raw.startswith(_CASE_PREFIX):
        return None
    end = raw.find(b'"', len(_CASE_PREFIX))
    if end < 0:
        return None
    found = raw[len(_CASE_PREFIX) : end]
    if b"\\" in found:
        return None
    try:
        return found.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _sniff_csv(stream: Any) -> bool:
    first: bytes = stream.peek_line().lstrip(b"\xef\xbb\xbf")
    return first.startswith(",".join(csvlog.COLUMNS).encode())


def read_log(
    sources: Sequence[str], *, skip_bad_lines: bool = False
) -> tuple[list[Event], list[QualityFinding]]:
    """Read log files as one log (läs loggar): the events and the reader's findings, X-1.

    See :class:`LogReader`.

    Raises:
        InvalidInput: for a bad line (unless ``skip_bad_lines``), naming the file and
            the line, or a file that cannot be read.
    """
    reader = LogReader(sources, skip_bad_lines=skip_bad_lines)
    events = list(reader)
    return events, reader.findings


def _is_store(source: str) -> bool:
    """Whether a source names an event store (``sqlite:…``, ``postgresql://…``), not a file."""
    from ..store import is_store_url  # noqa: PLC0415 - the store loads only when named

    return is_store_url(source)
