"""The compliance audit (granskning): every routine's deviations in a log, X-2, X-5.

The routines say the organisation follows up that the routine is followed, and that
departures are reported as deviations. :func:`audit` makes that follow-up one call
over a log of any registered routines (read from the registry: a routine registered
later is audited without a change here):

>>> from datetime import datetime
>>> from zoneinfo import ZoneInfo
>>> from arendefordelning import Actor, Role
>>> from arendefordelning.audit import audit
>>> from arendefordelning.routines import outpatient_care as ov
>>> at = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Europe/Stockholm"))
>>> worker = Actor("ss-1", Role.SOCIAL_WORKER)
>>> log = [ov.DecisionMade(case="ÖV-1", at=at, actor=worker, intervention="samtalsstöd")]
>>> report = audit(log, as_of=datetime(2026, 6, 1, tzinfo=ZoneInfo("Europe/Stockholm")))
>>> report.case_count("OV"), len(report.deviations)
(1, 0)

The report (:class:`AuditReport`) holds the deviations sorted by case and time, the
counts per routine and requirement, the deadlines not yet passed (upcoming, never
deviations), and the data-quality findings: cases whose first event is missing,
events a routine cannot explain, duplicates. It exports rows for pandas, CSV, JSON,
text and a self-contained HTML page. :func:`audit_partition` audits any set of whole
cases and returns a partial report that merges (:meth:`AuditReport.merge`), so any
engine that can group events by case runs the same audit
(:mod:`arendefordelning.distributed` runs it on Dask).

:func:`read_log` reads JSON Lines and CSV logs for the audit, line by line, naming a
bad line by its file and number (or skipping and counting it on request), and finds
the lines recorded before an earlier line of their case; :func:`audit_files` reads
and audits files as the command line ``arendefordelning granska`` does, in one or
more processes.
"""

from __future__ import annotations

from ._core import audit, audit_partition
from ._findings import QualityFinding, QualityKind, Upcoming
from ._reader import LogReader, part_of, read_log
from ._report import AuditReport
from ._run import audit_files

__all__ = [
    "AuditReport",
    "LogReader",
    "QualityFinding",
    "QualityKind",
    "Upcoming",
    "audit",
    "audit_files",
    "audit_partition",
    "part_of",
    "read_log",
]
