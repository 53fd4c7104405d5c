"""The audit itself: every registered routine's fold and judgement over a set of cases."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, Final

from .. import routines as registry
from .._time import STOCKHOLM, UTC, as_stockholm, wall_window
from .._validators import class_name, describe
from ..errors import InvalidInput
from ..kernel import Anomaly, AnomalyKind, Deviation, Event
from ._findings import QualityFinding, QualityKind, Upcoming
from ._report import AuditReport

__all__ = ["audit", "audit_partition"]

_UNEXPLAINED: Final = frozenset(
    {
        AnomalyKind.IMPOSSIBLE,
        AnomalyKind.REPEATED,
        AnomalyKind.OTHER_CASE,
        AnomalyKind.OUT_OF_ORDER,
        AnomalyKind.OTHER_ROUTINE,
    }
)


def _moment(as_of: object) -> datetime:
    if not isinstance(as_of, datetime) or as_of.utcoffset() is None:
        as_stockholm(as_of, "as_of")  # raises InvalidInput, naming what is wrong
    assert isinstance(as_of, datetime)
    return as_of


def _policies(policies: object, codes: Iterable[str]) -> Mapping[str, Any]:
    if policies is None:
        return {}
    if not isinstance(policies, Mapping):
        raise InvalidInput(
            f"policies must map routine codes to policies (or None), not {describe(policies)}"
        )
    known = set(codes)
    unknown = [code for code in policies if code not in known]
    if unknown:
        raise InvalidInput(
            "policies names a routine that is not registered; registered: " + ", ".join(known)
        )
    return policies


def audit_partition(
    events: Iterable[Event],
    *,
    as_of: datetime,
    policies: Mapping[str, Any] | None = None,
) -> AuditReport:
    """Audit a set of whole cases (granska en del av loggen): a partial, mergeable report, X-5.

    The entry point any engine that can group events by case can run: give it every
    event of some cases (each case whole, in any order), and merge the partial reports
    of disjoint sets of cases with :meth:`AuditReport.merge`; the result equals the
    report of :func:`audit` on all the events at once. The report pickles.

    What it does is :func:`audit`'s; see there.

    Raises:
        InvalidInput: for items that are not events, an event of a routine that is not
            registered, a naive ``as_of`` or ``policies`` that are not a mapping of
            registered routine codes.
    """
    moment = _moment(as_of)
    given: object = events
    if isinstance(given, str | bytes) or not isinstance(given, Iterable):
        raise InvalidInput(f"events must be an iterable of events, not {describe(given)}")
    routines = registry.registered()
    rules = _policies(policies, (routine.code for routine in routines))
    groups: dict[str, list[Event]] = {routine.code: [] for routine in routines}
    for position, event in enumerate(events):
        group = groups.get(getattr(type(event), "routine", ""))
        if group is None:
            if not isinstance(event, Event):
                raise InvalidInput(f"event {position}: not an event ({describe(event)})")
            raise InvalidInput(
                f"event {position}: {class_name(type(event))} is an event of a routine that "
                f"is not registered; registered: {', '.join(groups)}"
            )
        group.append(event)
    paused = gc.isenabled()
    gc.disable()
    try:
        return _judge_all(routines, groups, moment, rules)
    finally:
        if paused:
            gc.enable()


def _judge_all(
    routines: tuple[Any, ...],
    groups: dict[str, list[Event]],
    as_of: datetime,
    rules: Mapping[str, Any],
) -> AuditReport:
    limit = as_of.astimezone(UTC)
    deviations: list[Deviation] = []
    upcoming: list[Upcoming] = []
    quality: list[QualityFinding] = []
    events: dict[str, int] = {}
    cases: dict[str, frozenset[str]] = {}
    later = 0
    for routine in routines:
        code = routine.code
        own = groups[code]
        policy = rules.get(code)
        judged = recorded_by(own, as_of)
        later += len(own) - judged
        events[code] = judged
        folded = routine.fold(own, as_of=as_of, policy=policy)
        cases[code] = frozenset(folded)
        judge = routine.deviations
        actions = routine.required_actions
        terminal = routine.is_terminal
        for case, state in folded.items():
            deviations += judge(state, as_of=as_of, policy=policy)
            if terminal(state):
                continue
            for action in actions(state, policy=policy):
                due = action.due
                if due is not None and due.astimezone(UTC) > limit:
                    upcoming.append(Upcoming(routine=code, case=case, action=action))
        quality += _findings(code, folded.anomalies)
    return AuditReport(
        as_of=as_of,
        routines=[routine.code for routine in routines],
        events=events,
        cases=cases,
        deviations=deviations,
        upcoming=upcoming,
        quality=quality,
        later=later,
    )


def recorded_by(events: Sequence[Event], as_of: datetime) -> int:
    """Count the events recorded by ``as_of`` (their ``recorded_at``, else their ``at``), X-5.

    Compared as instants. A Stockholm time more than three hours before or after
    ``as_of`` on the wall clock is decided in the zone, by its fields
    (:func:`~arendefordelning._time.wall_window`); only the few near ``as_of`` are
    converted to UTC and compared exactly.
    """
    limit = as_of.astimezone(UTC)
    window = wall_window(as_of)
    if window is None:  # as_of within hours of the calendar's ends: compare exactly
        return sum(1 for e in events if (e.recorded_at or e.at).astimezone(UTC) <= limit)
    low, high = window
    count = 0
    for event in events:
        moment = event.recorded_at or event.at
        if moment.tzinfo is STOCKHOLM:
            if moment < low:
                count += 1
                continue
            if moment > high:
                continue
        if moment.astimezone(UTC) <= limit:
            count += 1
    return count


def _findings(code: str, anomalies: Iterable[Anomaly]) -> list[QualityFinding]:
    """Return the data-quality findings of a fold's anomalies (not its deviations)."""
    found: list[QualityFinding] = []
    for anomaly in anomalies:
        kind = anomaly.kind
        if kind is AnomalyKind.DUPLICATE:
            found.append(
                QualityFinding(
                    kind=QualityKind.DUPLICATE,
                    routine=code,
                    case=anomaly.case,
                    event_type=anomaly.event_type,
                    at=anomaly.at,
                    detail_sv=f"händelsen {anomaly.event_type} finns två gånger, fält för fält; "
                    "den räknas en gång",
                    detail_en=f"the event {anomaly.event_type} is in the log twice, field for "
                    "field; it counts once",
                )
            )
        elif kind in _UNEXPLAINED:
            if anomaly.index == 0 and kind is AnomalyKind.IMPOSSIBLE:
                found.append(
                    QualityFinding(
                        kind=QualityKind.FIRST_EVENT_MISSING,
                        routine=code,
                        case=anomaly.case,
                        event_type=anomaly.event_type,
                        at=anomaly.at,
                        detail_sv=f"ärendets första händelse är {anomaly.event_type}, som inget "
                        "ärende kan börja med: början av ärendet saknas i loggen",
                        detail_en=f"the case's first event is {anomaly.event_type}, which no "
                        "case can start with: the start of the case is missing from the log",
                    )
                )
            found.append(
                QualityFinding(
                    kind=QualityKind.UNEXPLAINED,
                    routine=code,
                    case=anomaly.case,
                    event_type=anomaly.event_type,
                    at=anomaly.at,
                    detail_sv=f"rutinen kan inte förklara händelsen {anomaly.event_type} "
                    f"({kind.value}); den har inte räknats in i ärendets läge",
                    detail_en=f"{anomaly.reason}; it was left out of the case's state",
                )
            )
    return found


def audit(
    events: Iterable[Event],
    *,
    as_of: datetime,
    policies: Mapping[str, Any] | None = None,
) -> AuditReport:
    """Audit a log (granska en logg): every registered routine's deviations at a moment, X-2, X-5.

    Groups the events by routine (read from the registry: a routine registered later
    is audited without a change here), folds each routine's events by case
    (:meth:`~arendefordelning.Routine.fold`: canonical order, leniently) as the record
    stood at ``as_of``, and judges every case as known then
    (:meth:`~arendefordelning.Routine.deviations`). The report holds:

    - the deviations, each naming its requirement (X-5), a step taken in a role the
      routine does not name among them (X-2: possible in a log imported from another
      system), sorted by case and time;
    - the upcoming deadlines: obligations open at ``as_of`` whose due time has not
      passed, listed beside the deviations, never among them;
    - the data-quality findings, never guessed over: cases whose first event is
      missing (the case's first event is no step a case can start with), events the
      routine cannot explain in the case's state, events recorded twice;
    - the events and cases judged per routine, and how many events were recorded after
      ``as_of`` (left out).

    The same events in any order give an equal report.

    Args:
        events: Events of any registered routines and cases, in any order.
        as_of: An aware moment: the record as it stood then is judged.
        policies: A routine's policy (or its revisions) by routine code; None: each
            routine's own numbers.

    Raises:
        InvalidInput: for items that are not events, an event of a routine that is not
            registered, a naive ``as_of``, or ``policies`` that are not a mapping of
            registered routine codes.
    """
    return audit_partition(events, as_of=as_of, policies=policies)
