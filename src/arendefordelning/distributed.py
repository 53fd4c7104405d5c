"""The compliance audit on Dask (granskning i kluster): many log files, many machines, X-5.

A region's logs outgrow one machine; the audit is embarrassingly parallel by case.
:func:`audit_logs` runs the same audit as ``arendefordelning granska`` on Dask:

1. read the JSON Lines (or CSV) files, one task per file, local paths or fsspec URLs
   (``s3://bucket/logs/*.jsonl``, ``gs://…``, ``abfs://…``; globs expand), each bad
   line named by its file and line, or skipped and counted;
2. shuffle the events by a hash of the case number
   (:func:`~arendefordelning.audit.part_of`, the same in every process, unlike
   Python's ``hash`` of a string), so each case's events meet in one partition;
3. :func:`~arendefordelning.audit.audit_partition` per partition, as of one moment
   (``as_of``, or the latest moment any file records);
4. merge the partial reports (:meth:`~arendefordelning.audit.AuditReport.merge`).

The report equals the one-process report of the same files; the lines out of order
are counted within each file (a case whose lines lie in several files has a finding
per file). It runs on whatever scheduler is current: a ``dask.distributed.Client``
made before the call (a ``LocalCluster``, or a real cluster's scheduler address), or
Dask's local scheduler. ``docs/scaling.md`` says how to point it at a cluster and at
object storage, and how another engine calls ``audit_partition``.

Needs the extra ``[dask]`` (``pip install 'arendefordelning[dask]'``): Dask and fsspec,
plus the fsspec back end of your storage (``s3fs``, ``gcsfs``, ``adlfs``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import IO, Any

import attrs

from . import routines as registry
from ._time import STOCKHOLM
from ._validators import describe
from .audit import AuditReport, QualityFinding, audit_partition, part_of
from .audit._reader import LogReader
from .errors import InvalidInput
from .kernel import Event

try:
    import dask.bag as db
    import fsspec
except ImportError as error:  # pragma: no cover - the extra is installed in the tests
    raise ImportError(
        "arendefordelning.distributed needs the extra [dask]: pip install 'arendefordelning[dask]'"
    ) from error

__all__ = ["audit_logs"]


@attrs.frozen(kw_only=True)
class _Read:
    """One file read: its events, its reader's findings, its latest moment, or its error."""

    index: int
    events: list[Event]
    findings: list[QualityFinding]
    latest: datetime | None
    error: str | None = None


def _read_file(item: tuple[int, Any], skip_bad_lines: bool) -> _Read:
    """Read one file (an fsspec OpenFile) with the audit's reader; an error is returned."""
    index, opened = item

    def opener(_: str) -> IO[bytes]:
        stream: IO[bytes] = opened.open()
        return stream

    protocol = opened.fs.protocol
    local = "file" in (protocol if isinstance(protocol, tuple) else (protocol,))
    name = str(opened.path if local else opened.full_name)  # as the one-process reader names it
    reader = LogReader([name], skip_bad_lines=skip_bad_lines, opener=opener)
    try:
        events = list(reader)
    except InvalidInput as error:
        return _Read(index=index, events=[], findings=[], latest=None, error=str(error))
    latest = max((e.recorded_at or e.at for e in events), default=None)
    return _Read(index=index, events=events, findings=reader.findings, latest=latest)


def _audit_group(
    group: tuple[int, list[Event]], as_of: datetime, policies: Mapping[str, Any] | None
) -> AuditReport:
    return audit_partition(group[1], as_of=as_of, policies=policies)


def audit_logs(
    paths: str | Sequence[str],
    *,
    as_of: datetime | None = None,
    partitions: int | None = None,
    skip_bad_lines: bool = False,
    policies: Mapping[str, Any] | None = None,
    storage_options: Mapping[str, Any] | None = None,
) -> AuditReport:
    """Audit many log files on Dask (granska loggar i kluster), as ``granska`` does, X-5.

    Args:
        paths: A path or fsspec URL, or several; globs expand (``s3://b/logs/*.jsonl``).
            ``.csv`` files are read as CSV, others as JSON Lines.
        as_of: The moment judged; None: the latest moment any file records.
        partitions: How many partitions the cases are shuffled into (each audited by
            one task); None: as many as there are files.
        skip_bad_lines: Skip and count a bad line instead of stopping at it.
        policies: A routine's policy by routine code, as :func:`~arendefordelning.audit.audit`.
        storage_options: Passed to fsspec (credentials, endpoint) for URLs.

    Returns:
        The merged report, equal to the one-process report of the same files.

    Raises:
        InvalidInput: for a bad line (unless ``skip_bad_lines``), naming the file and
            the line (the first file in the given order), no file, or bad arguments.
        OSError: from fsspec, for a URL whose storage cannot be reached.
    """
    given: object = paths
    chosen = [given] if isinstance(given, str) else given
    if not isinstance(chosen, Sequence) or not all(isinstance(p, str) for p in chosen):
        raise InvalidInput(f"paths must be a path or URL or a list of them, not {describe(given)}")
    wanted: object = partitions
    if wanted is not None and (
        isinstance(wanted, bool) or not isinstance(wanted, int) or wanted < 1
    ):
        raise InvalidInput("partitions must be a whole number of 1 or more, or None")
    files = fsspec.open_files(list(chosen), mode="rb", **dict(storage_options or {}))
    if not files:
        raise InvalidInput("no log file matches the paths given; give paths or URLs of logs")
    read = (
        db.from_sequence(list(enumerate(files)), npartitions=len(files))
        .map(_read_file, skip_bad_lines)
        .persist()
    )
    heads = sorted(
        read.map(lambda r: (r.index, r.error, r.latest, r.findings)).compute(),
        key=lambda head: head[0],
    )
    errors = [error for _, error, _, _ in heads if error is not None]
    if errors:
        raise InvalidInput(errors[0])
    latest = [moment for _, _, moment, _ in heads if moment is not None]
    moment = as_of or (max(latest) if latest else datetime.now(STOCKHOLM))
    count = partitions or len(files)
    events = read.map(lambda r: r.events).flatten()
    grouped = events.groupby(lambda e: part_of(e.case, count), npartitions=count, shuffle="tasks")
    registry.registered()  # the kinds the routines define, before the parts are read back
    parts: list[AuditReport] = grouped.map(_audit_group, moment, policies).compute()
    whole = audit_partition([], as_of=moment, policies=policies).merge(*parts)
    findings = [finding for _, _, _, found in heads for finding in found]
    return attrs.evolve(whole, quality=[*whole.quality, *findings])
