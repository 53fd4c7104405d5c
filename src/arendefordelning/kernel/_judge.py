"""Judging a case's record (bedömning): due times, required actions and deviations, X-5.

The judge reads the ledger a routine's fold keeps (:class:`~arendefordelning.kernel.Opened`
records and the flagged steps) as it was known at a moment ``as_of``: a record counts
once it was recorded by then, and each of its changes (applying, moved, met, made void)
once that change was recorded by then. So judging the whole history's state as of a
moment gives the answer judging the history recorded by that moment gives. A due time
that has passed unmet on the record stays passed: a change recorded after it does not
move it, a step recorded after it does not meet it in time, and a step that makes the
obligation void after it leaves it MISSING.

Judging never raises for a state the routine made: a due time the calendar or Python
cannot compute becomes a CANNOT_BE_JUDGED finding, with the reason.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, Final, Generic, NamedTuple, TypeVar

from .._time import STOCKHOLM, UTC, at_local_time
from ..errors import ArendefordelningError
from ._base import RequiredAction, recorded
from ._deviations import Deviation, DeviationKind, Severity
from ._due import Due
from ._generated import construct, replace
from ._policy import RoutinePolicy
from ._table import CaseState, Label, Obligation, Opened

if TYPE_CHECKING:
    from ._routine import Routine

__all__ = ["Judge"]

S = TypeVar("S", bound=CaseState)
P = TypeVar("P", bound=RoutinePolicy)

_new_deviation: Final = construct(Deviation)
_MIDNIGHT: Final = time(0)
_UNJUDGEABLE: Final = (ArendefordelningError, OverflowError)
_FAR_FUTURE: Final = datetime.max.replace(tzinfo=UTC)
_TICK: Final = timedelta(microseconds=1)


@functools.lru_cache(maxsize=4096)
def _end_of(day: date) -> datetime:
    """Return the end of a Stockholm day: the start of the next one (cached per day)."""
    return at_local_time(day + timedelta(days=1), _MIDNIGHT)


def _instant(value: datetime | date) -> datetime:
    """Return a due value as an instant: a datetime as it is, a date as its day's end."""
    if isinstance(value, datetime):
        return value
    return _end_of(value)


def _last_in_time(value: datetime | date) -> datetime:
    """Return the last instant a step due at ``value`` is in time, X-5.

    A due time is in time up to and including it. A due date is in time up to the end
    of its day, but not at the end: the start of the next day is the next day (a step
    at 00:00 after the last day is late; at that instant the step is missing). Times
    are exact to the microsecond, so the day's last microsecond is its last instant.
    """
    if isinstance(value, datetime):
        return value
    return _end_of(value) - _TICK


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo is UTC else moment.astimezone(UTC)


def _stockholm(moment: datetime) -> datetime:
    return moment if moment.tzinfo is STOCKHOLM else moment.astimezone(STOCKHOLM)


def _text(value: str | Callable[[Any], str], record: Opened[Any]) -> str:
    return value if isinstance(value, str) else value(record)


def _words(value: Label | Callable[..., Label] | None, *args: Any) -> Label:
    if value is None:
        return ("", "")
    return value if isinstance(value, tuple) else value(*args)


class Judge(Generic[S, P]):
    """The judging half of a routine: reads its ledger as known at a moment."""

    def __init__(self, routine: Routine[S, Any, P]) -> None:
        self.routine = routine
        self.code = routine.code
        self.obligations: dict[str, Obligation[S, Any, P]] = routine._obligations
        self.steps = routine._by_name

    # ------------------------------------------------------------------- due times

    def due_value(
        self,
        obligation: Obligation[S, Any, P],
        record: Opened[Any],
        rule: P,
        limit: datetime | None,
    ) -> datetime | date | None:
        """Return the due time as known at ``limit`` (UTC; None: now), passed dues kept.

        The updates recorded by ``limit`` move it in order, each only while the due
        time it would move has not passed when the update was recorded.
        """
        due = obligation.due
        assert due is not None
        updates = record.updates
        if not updates:
            return due(record, rule)
        current = due(replace(record, {"updates": ()}) if updates else record, rule)
        for position, update in enumerate(updates):
            moment = _utc(recorded(update))
            if limit is not None and moment > limit:
                break
            if current is not None and moment > _utc(_last_in_time(current)):
                break
            current = due(replace(record, {"updates": updates[: position + 1]}), rule)
        return current

    def explain_due(
        self,
        obligation: Obligation[S, Any, P],
        record: Opened[Any],
        rule: P,
        value: datetime | date,
    ) -> Due:
        """Return the full :class:`Due` of a record, built only where asked for or reported."""
        since = _words(obligation.since, record)
        words = _words(obligation.rule, record, rule)
        counted = obligation.counted_from(record) if obligation.counted_from else record.at
        note = obligation.note(record, rule) if obligation.note else None
        if isinstance(value, datetime):
            return Due(
                requirement=obligation.requirement,
                due=value,
                counted_from=counted,
                since_sv=since[0] or "öppnandet",
                since_en=since[1] or "the opening",
                rule_sv=words[0] or obligation.requirement,
                rule_en=words[1] or obligation.requirement,
                note_sv=None if note is None else note[0],
                note_en=None if note is None else note[1],
            )
        return Due.on_day(
            obligation.requirement,
            value,
            counted_from=counted,
            since=(since[0] or "öppnandet", since[1] or "the opening"),
            rule=(words[0] or obligation.requirement, words[1] or obligation.requirement),
        )

    def due_times(self, state: S, policy: object) -> list[tuple[Opened[Any], Due]]:
        found: list[tuple[Opened[Any], Due]] = []
        for record in state.obligations:
            obligation = self.obligations[record.name]
            if obligation.due is None:
                continue
            try:
                rule = self.routine._policy(policy, record.at)
                value = self.due_value(obligation, record, rule, None)
                if value is not None:
                    found.append((record, self.explain_due(obligation, record, rule, value)))
            except _UNJUDGEABLE:
                continue
        return found

    # ------------------------------------------------------------------- required actions

    def required_actions(self, state: S, policy: object) -> tuple[RequiredAction, ...]:
        actions: list[RequiredAction] = []
        for record in state.obligations:
            if not record.open:
                continue
            obligation = self.obligations[record.name]
            if obligation.when is not None and not obligation.when.test(state):
                continue
            due: datetime | None = None
            if obligation.due is not None:
                try:
                    rule = self.routine._policy(policy, record.at)
                    value = self.due_value(obligation, record, rule, None)
                    due = None if value is None else _instant(value)
                except _UNJUDGEABLE:
                    due = None
            actions.append(
                RequiredAction(
                    requirement=obligation.requirement,
                    kind=obligation.kind,
                    role=obligation.roles[0],
                    roles=obligation.roles,
                    sv=_text(obligation.sv, record),
                    en=_text(obligation.en, record),
                    assignee=None
                    if obligation.assignee is None
                    else _text(obligation.assignee, record),
                    recipient=None
                    if obligation.recipient is None
                    else _text(obligation.recipient, record),
                    due=due,
                    text=None if obligation.text is None else obligation.text(record),
                    channel=(
                        obligation.channel(record)
                        if callable(obligation.channel)
                        else obligation.channel
                    ),
                )
            )
        return tuple(actions)

    # ------------------------------------------------------------------- deviations

    def deviations(self, state: S, limit: datetime, policy: object) -> list[Deviation]:
        """Every deviation of the case as known at ``limit`` (an aware UTC moment)."""
        case = state.case or "?"
        found: list[Deviation] = []
        for record in state.obligations:
            deviation = self._judge_record(record, case=case, limit=limit, policy=policy)
            if deviation is not None:
                found.append(deviation)
        for judged in state.judged:
            event = judged.event
            if _utc(recorded(event)) > limit:
                continue
            self._judge_flags(judged, case, limit, policy, found)
        for anomaly in state.anomalies:
            if anomaly.deviation is None or _utc(anomaly.recorded_at or anomaly.at) > limit:
                continue
            found.append(
                _new_deviation(
                    case,
                    self.code,
                    anomaly.requirement or "X-2",
                    Severity.ERROR,
                    anomaly.deviation,
                    anomaly.sv,
                    anomaly.en,
                    None,
                    anomaly.at,
                    None,
                    None,
                    None,
                    None,
                    None,
                )
            )
        found.sort(key=_order)
        return found

    def _judge_record(
        self, record: Opened[Any], *, case: str, limit: datetime, policy: object
    ) -> Deviation | None:
        """Judge one obligation record as known at ``limit``: its deviation, or None."""
        obligation = self.obligations[record.name]
        if not _judged_then(obligation, record, limit):
            return None
        try:
            rule = self.routine._policy(policy, record.at)
            value = self.due_value(obligation, record, rule, limit)
            if value is None:
                return None
            deadline = _utc(_last_in_time(value))
        except _UNJUDGEABLE as error:
            return self._unjudgeable(case, obligation, record, error)
        missed = _Missed(case, obligation, record, value)
        met_recorded, met_at = record.met_recorded_at, record.met_at
        if met_recorded is not None and met_at is not None:
            recorded_utc = _utc(met_recorded)
            happened_utc = _utc(met_at) if recorded_utc <= limit else None
            if happened_utc is not None and happened_utc <= limit:
                # Met as known then: late if it happened, or was recorded, after the due time.
                late = happened_utc > deadline or recorded_utc > deadline
                recorded_late = met_recorded if happened_utc <= deadline else None
                return (
                    self._missed(missed, happened=met_at, recorded_late=recorded_late)
                    if late
                    else None
                )
        if deadline >= limit or _voided_in_time(record, min(limit, deadline)):
            return None
        return self._missed(missed)

    def _missed(
        self,
        missed: _Missed,
        *,
        happened: datetime | None = None,
        recorded_late: datetime | None = None,
    ) -> Deviation:
        obligation, record, value = missed.obligation, missed.record, missed.value
        kind = DeviationKind.MISSING if happened is None else obligation.late_kind
        day = None if isinstance(value, datetime) else value
        return _new_deviation(
            missed.case,
            self.code,
            obligation.requirement,
            obligation.severity,
            kind,
            _text(obligation.sv, record),
            _text(obligation.en, record),
            _stockholm(_instant(value)),
            None if happened is None else _stockholm(happened),
            day,
            None,
            None if recorded_late is None else _stockholm(recorded_late),
            None,
            None,
        )

    def _unjudgeable(
        self,
        case: str,
        obligation: Obligation[S, Any, P],
        record: Opened[Any],
        error: BaseException,
    ) -> Deviation:
        reason = str(error) if isinstance(error, ArendefordelningError) else "beyond the year 9999"
        return _new_deviation(
            case,
            self.code,
            obligation.requirement,
            Severity.WARNING,
            DeviationKind.CANNOT_BE_JUDGED,
            _text(obligation.sv, record),
            _text(obligation.en, record),
            None,
            None,
            None,
            None,
            None,
            "fristen kan inte beräknas i kalendern",
            f"the due time cannot be computed: {reason}",
        )

    def _judge_flags(
        self, judged: Any, case: str, limit: datetime, policy: object, found: list[Deviation]
    ) -> None:
        event = judged.event
        step = self.steps[judged.step]
        for flag in step.flags:
            try:
                moment = (
                    event.at if flag.policy_at is None else flag.policy_at(judged.before, event)
                )
                rule = self.routine._policy(policy, moment)
                finding = flag.judge(judged.before, event, rule)
            except _UNJUDGEABLE as error:
                reason = str(error) if isinstance(error, ArendefordelningError) else "overflow"
                found.append(
                    _new_deviation(
                        case,
                        self.code,
                        flag.requirement,
                        Severity.WARNING,
                        DeviationKind.CANNOT_BE_JUDGED,
                        flag.label[0],
                        flag.label[1],
                        None,
                        event.at,
                        None,
                        None,
                        None,
                        "regeln kan inte bedömas i kalendern",
                        f"the rule cannot be judged: {reason}",
                    )
                )
                continue
            if finding is None:
                continue
            happened = finding.happened_at
            if happened is None or _utc(happened) > limit:
                happened = event.at
            found.append(
                Deviation(
                    case=case,
                    routine=self.code,
                    requirement=flag.requirement,
                    severity=finding.severity,
                    kind=finding.kind,
                    sv=finding.sv or flag.label[0],
                    en=finding.en or flag.label[1],
                    due=finding.due
                    if finding.due is not None or finding.due_on is None
                    else _end_of(finding.due_on),
                    due_on=finding.due_on,
                    happened_at=happened,
                    happened_on=finding.happened_on,
                    detail_sv=finding.detail_sv,
                    detail_en=finding.detail_en,
                )
            )


class _Missed(NamedTuple):
    """An obligation record found passed: what its deviation is made from."""

    case: str
    obligation: Obligation[Any, Any, Any]
    record: Opened[Any]
    value: datetime | date


def _judged_then(
    obligation: Obligation[Any, Any, Any], record: Opened[Any], limit: datetime
) -> bool:
    """Say whether the record is judged as known at ``limit``.

    It is when it has a due time, was recorded by then, and applied by then (its
    condition had held while it was open).
    """
    if obligation.due is None or _utc(record.recorded_at) > limit:
        return False
    if obligation.when is None:
        return True
    applies = record.applies_recorded_at
    return applies is not None and _utc(applies) <= limit


def _voided_in_time(record: Opened[Any], limit: datetime) -> bool:
    """Whether the record was made void, and that recorded, no later than ``limit``.

    ``limit`` is the earlier of the moment judged and the due time: a step that makes
    an obligation void after its due time (or recorded after it) leaves it missed.
    """
    void = record.void_recorded_at
    void_at = record.void_at
    return (
        void is not None and void_at is not None and _utc(void) <= limit and _utc(void_at) <= limit
    )


def _order(deviation: Deviation) -> tuple[datetime, str, str]:
    moment = deviation.happened_at or deviation.due
    return (
        _FAR_FUTURE if moment is None else _utc(moment),
        deviation.requirement,
        deviation.kind.name,
    )
