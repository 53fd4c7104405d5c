"""A realistic example log (exempellogg) over the routines, with its truth, X-5.

Each case is recorded as an embedding system would record it: every step is a request
decided by the routine (``routine.decide``) on the case's state, in the order the step
was recorded. Times are drawn around realistic delays, and deviations are injected at
known rates (:data:`RATES`, per routine): a step late or missing, recorded after its
due time, a meeting without everyone, a re-choice's notifications apart, a takeover
outside its window, a step taken in a role the routine does not name (as a log
imported from another system may hold it, X-2). The **truth** lists each injected
deviation as ``(case, requirement, kind)``; the audit of the log as of its last line
finds exactly those (a test checks it at several sizes).

The builder protocol
--------------------
A routine's cases are made by a **builder**, ``(rng, number, start) -> Built``: from a
:class:`random.Random`, the case number and when the case starts, it returns the
case's events and the deviations it injected (:class:`Built`). A builder records with
a :class:`Recorder`, which keeps the case's state and clock and makes the truth exact:

- ``take(request)`` decides and records a step as the routine would;
- ``take_as(event)`` records an event ``decide`` would refuse for its role (X-2),
  folded leniently, as an imported log holds it;
- ``before(name, low, high)`` and ``after(name, low, high)`` move the clock to a time
  in time for, or after, the due time of the open obligation ``name`` (read from the
  routine's own due times, :meth:`~arendefordelning.Routine.due_times`), so a step
  drawn "late" is late by construction, whatever the calendar does;
- ``inject(requirement, kind)`` adds a row to the truth; ``close(request)`` takes a
  terminal step and injects MISSING for each obligation still open whose due time
  passed before it (the closing leaves it missed);
- a builder never injects MISSING for an obligation it leaves open: after every case
  is made, :func:`build` adds MISSING for each obligation still open whose due time
  lies before the log's last line (the moment the audit judges by default).

So a builder's rule is simple: draw each injection from the routine's rates in
:data:`RATES`, place each step with ``before``/``after`` where the step meets a due
time, and inject what it drew. To fit a new routine in, write its builder with a
:class:`Recorder`, add its rates to :data:`RATES` and the builder to :data:`BUILDERS`
under the routine's code (a builder that returns a bare list of events injects
nothing: wrap it). Routines registered without a builder are left out of the log.

Run ``arendefordelning exempellogg --cases N --seed S --output FILE --truth FILE``
to write a log and its truth; :func:`write_log` does it from Python.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Final, NamedTuple
from zoneinfo import ZoneInfo

from . import routines as registry
from .errors import InvalidInput
from .eventlog import dump_events
from .kernel import Actor, Channel, Command, Event, Role, Routine
from .providers import Provider, ProviderKind

__all__ = [
    "BUILDERS",
    "FIRST",
    "RATES",
    "Built",
    "Injected",
    "Recorder",
    "build",
    "write_log",
    "write_truth",
]

STOCKHOLM: Final = ZoneInfo("Europe/Stockholm")
FIRST: Final = datetime(2025, 1, 6, 8, 0, tzinfo=STOCKHOLM)
"""The earliest start of a case in the example log."""
_SPAN_MINUTES: Final = 60 * 24 * 300


class Injected(NamedTuple):
    """One injected deviation (injicerad avvikelse): its case, requirement and kind's name."""

    case: str
    requirement: str
    kind: str


class Built(NamedTuple):
    """A case a builder made (byggt ärende): its events and the deviations injected."""

    events: list[Event]
    injected: list[Injected]


def elapsed(moment: datetime, delay: timedelta) -> datetime:
    """Add elapsed time (through UTC: never a wall-clock time that does not exist).

    The result is rounded up to a whole second, as a case system records times.
    """
    later = moment.astimezone(UTC) + delay
    if later.microsecond:
        later += timedelta(microseconds=1_000_000 - later.microsecond)
    return later.astimezone(STOCKHOLM)


class Recorder:
    """One case being recorded (ärende som dokumenteras): its routine, state, clock and truth.

    See the module's builder protocol.
    """

    def __init__(
        self, routine: Routine[Any, Any, Any], number: str, start: datetime, rng: random.Random
    ) -> None:
        self.routine = routine
        self.number = number
        self.now = start
        self.rng = rng
        self.state = routine.initial_state
        self.events: list[Event] = []
        self.injected: list[Injected] = []

    def later(self, low: float, high: float) -> datetime:
        """Move the clock on by a random number of elapsed hours between ``low`` and ``high``."""
        self.now = elapsed(self.now, timedelta(hours=self.rng.uniform(low, high)))
        return self.now

    def take(self, request: Event | Command) -> None:
        """Decide a request on the case's state and record the event."""
        new = self.routine.decide(request, self.state)
        self.state = self.routine.replay(new, self.state)
        self.events += new
        self._advance(new)

    def take_as(self, event: Event) -> None:
        """Record an event as an imported log holds it (a role the step does not name, X-2)."""
        self.state = self.routine.evolve(self.state, event)
        self.events.append(event)
        self._advance([event])

    def _advance(self, new: Sequence[Event]) -> None:
        for event in new:
            moment = event.recorded_at or event.at
            self.now = max(self.now, moment)

    def inject(self, requirement: str, kind: str) -> None:
        """Add an injected deviation of the case to the truth."""
        self.injected.append(Injected(self.number, requirement, kind))

    def due(self, name: str) -> datetime:
        """Return the due time of the newest open record of obligation ``name``."""
        found = [
            due.due
            for record, due in self.routine.due_times(self.state)
            if record.name == name and record.open
        ]
        if not found:
            raise InvalidInput(f"no open obligation {name} with a due time in the case")
        return found[-1]

    def before(self, name: str, low: float, high: float) -> datetime:
        """Move the clock to a time in time for obligation ``name``: ``low``–``high`` hours on.

        Never at or after the due time: when the hours drawn would pass it, a time
        between now and the due time is taken.
        """
        room = (self.due(name).astimezone(UTC) - self.now.astimezone(UTC)).total_seconds() / 3600
        if room <= 0:
            raise InvalidInput(f"obligation {name} is due already; the builder is wrong")
        ceiling = min(high, room - 1 / 60)
        hours = self.rng.uniform(low, ceiling) if ceiling > low else self.rng.uniform(0, room) * 0.9
        self.now = elapsed(self.now, timedelta(hours=max(hours, 1 / 3600)))
        return self.now

    def after(self, name: str, low: float, high: float) -> datetime:
        """Move the clock to ``low``–``high`` hours after the due time of obligation ``name``."""
        due = self.due(name)
        moment = elapsed(due, timedelta(hours=self.rng.uniform(max(low, 1 / 60), high)))
        self.now = max(self.now, moment)
        return self.now

    def close(self, request: Event | Command) -> None:
        """Take a terminal step; each open obligation whose due time passed stays missed."""
        at = request.at.astimezone(UTC)
        missed = [
            action
            for action in self.routine.required_actions(self.state)
            if action.due is not None and action.due.astimezone(UTC) < at
        ]
        self.take(request)
        for action in missed:
            self.inject(action.requirement, "MISSING")

    def built(self) -> Built:
        """Return the case's events and the deviations injected."""
        return Built(self.events, self.injected)


def _staff(rng: random.Random, role: Role, prefix: str, count: int) -> Actor:
    return Actor(f"{prefix}-{rng.randrange(count)}", role)


_NAMES: Final = ("Anna Berg", "Erik Lind", "Sara Holm", "Johan Ek", "Maria Nord", "Ali Hassan")


def _staff_name(staff: Actor) -> str:
    """Return a fictive name for a staff member, the same for the same id (no rng drawn)."""
    number = int(staff.id.rpartition("-")[2])
    return f"{_NAMES[number % len(_NAMES)]} ({staff.id})"


RATES: Final[dict[str, dict[str, float]]] = {
    "OV": {
        "plan_late": 0.08,
        "plan_recorded_late": 0.04,
        "plan_missing": 0.06,
        "plan_without_client": 0.03,
        "follow_up_late": 0.1,
        "follow_up_incomplete": 0.06,
        "closed_after_follow_up_due": 0.04,
        "closing_incomplete": 0.04,
        "left_open": 0.15,
        "wrong_role": 0.02,
    },
    "VAL": {
        "private": 0.3,
        "executed_late": 0.1,
        "never_executed": 0.03,
        "rechoice": 0.15,
        "not_simultaneous": 0.08,
        "not_same_day": 0.04,
        "outside_window": 0.1,
        "wrong_role": 0.02,
    },
    "DV": {
        "reviewed_late": 0.12,
        "fewer_days": 0.08,
        "clarification": 0.2,
        "ended": 0.4,
        "wrong_role": 0.02,
    },
    "HC": {
        "declined": 0.2,
        "without_contact": 0.1,
        "offer_late": 0.1,
        "offer_missing": 0.05,
    },
    "UP": {
        "new_recipient": 0.7,
        "hospital": 0.25,
        "alarm_returned": 0.1,
        "closed": 0.3,
        "wrong_stated_time": 0.03,
        "order_missing": 0.04,
        "order_not_required": 0.15,
        "handover_wrong_channel": 0.05,
        "receipt_late": 0.04,
        "receipt_wrong_channel": 0.02,
        "receipt_missing": 0.02,
        "registered_late": 0.05,
        "notification_missing": 0.04,
        "notification_by_telephone": 0.03,
    },
}
"""The injection rates of each routine's builder, by routine code and name: the share
of cases that get each deviation (``"plan_late"``: the implementation plan written
after its due time, OV-8)."""


def _drawn(rng: random.Random, code: str, name: str) -> bool:
    return rng.random() < RATES[code][name]


def outpatient_case(rng: random.Random, number: str, start: datetime) -> Built:
    """Build an OV case from the decision to its follow-ups and, for most, the closing.

    Injects: the implementation plan late, recorded late, missing or written without
    the client (OV-8); a follow-up late or without everyone (OV-9); the case closed
    after a follow-up fell due (OV-9 missing); a closing without everyone (OV-11); the
    care plan sent by a therapist (X-2).
    """
    from .routines import outpatient_care as ov  # noqa: PLC0415 - found through the registry

    case = Recorder(ov.OUTPATIENT_CARE, number, start, rng)
    worker = _staff(rng, Role.SOCIAL_WORKER, "ss", 40)
    manager = _staff(rng, Role.UNIT_MANAGER, "ec", 5)
    therapist = _staff(rng, Role.THERAPIST, "beh", 60)
    n = number
    all_three = (Role.INDIVIDUAL, Role.SOCIAL_WORKER, Role.THERAPIST)
    two = (Role.INDIVIDUAL, Role.SOCIAL_WORKER)
    case.take(ov.DecisionMade(case=n, at=case.now, actor=worker, intervention="samtalsstöd"))
    case.take(ov.UnitManagerInformed(case=n, at=case.later(1, 30), actor=worker))
    case.take(
        ov.TherapistsAssigned(
            case=n, at=case.later(2, 72), actor=manager, therapists=(therapist.id,)
        )
    )
    case.take(ov.TherapistsBriefed(case=n, at=case.later(0.5, 8), actor=manager))
    case.take(ov.SocialWorkerToldOfTherapists(case=n, at=case.later(0.5, 8), actor=manager))
    case.take(ov.AssignmentStarted(case=n, at=case.later(2, 48), actor=worker))
    case.take(ov.SocialWorkerContacted(case=n, at=case.later(2, 48), actor=therapist))
    if _drawn(rng, "OV", "wrong_role"):
        case.take_as(ov.CarePlanSent(case=n, at=case.later(2, 48), actor=therapist))
        case.inject("X-2", "WRONG_ROLE")
    else:
        case.take(ov.CarePlanSent(case=n, at=case.later(2, 48), actor=worker))
    meeting = case.later(1, 24)
    case.take(
        ov.MeetingBooked(
            case=n, at=meeting, actor=worker, meeting_at=elapsed(meeting, timedelta(days=5))
        )
    )
    case.take(
        ov.FirstMeetingHeld(case=n, at=case.later(100, 140), actor=worker, participants=all_three)
    )
    case.take(ov.TreatmentStarted(case=n, at=case.later(20, 100), actor=therapist))
    _plan(case, ov, therapist)
    for _ in range(rng.randrange(1, 4)):
        late = _drawn(rng, "OV", "follow_up_late")
        at = case.after("follow_up", 1, 600) if late else case.before("follow_up", 24 * 30, 24 * 88)
        if late:
            case.inject("OV-9", "LATE")
        present: tuple[Role, ...] = all_three
        if _drawn(rng, "OV", "follow_up_incomplete"):
            present = two
            case.inject("OV-9", "INCOMPLETE")
        case.take(ov.FollowUpHeld(case=n, at=at, actor=worker, participants=present))
    if _drawn(rng, "OV", "left_open"):
        return case.built()
    at = (
        case.after("follow_up", 24, 24 * 30)
        if _drawn(rng, "OV", "closed_after_follow_up_due")
        else case.before("follow_up", 24, 24 * 30)
    )
    present = all_three
    if _drawn(rng, "OV", "closing_incomplete"):
        present = two
        case.inject("OV-11", "INCOMPLETE")
    case.close(ov.ClosingConversationHeld(case=n, at=at, actor=worker, participants=present))
    return case.built()


def _plan(case: Recorder, ov: Any, therapist: Actor) -> None:
    """Write the implementation plan in time, late, recorded late, or not at all (OV-8)."""
    rng = case.rng
    n = case.number
    roll = rng.random()
    rates = RATES["OV"]
    if roll < rates["plan_missing"]:
        # Not written: missed once the follow-ups or the closing come after its due time.
        case.now = max(case.now, elapsed(case.due("implementation_plan"), timedelta(hours=2)))
        return
    roll -= rates["plan_missing"]
    with_client = not _drawn(rng, "OV", "plan_without_client")
    if not with_client:
        case.inject("OV-8", "INCOMPLETE")
    if roll < rates["plan_late"]:
        at = case.after("implementation_plan", 1, 300)
        case.inject("OV-8", "LATE")
        case.take(
            ov.ImplementationPlanWritten(case=n, at=at, actor=therapist, with_client=with_client)
        )
        return
    roll -= rates["plan_late"]
    at = case.before("implementation_plan", 48, 400)
    recorded = None
    if roll < rates["plan_recorded_late"]:
        recorded = elapsed(case.due("implementation_plan"), timedelta(hours=rng.uniform(1, 72)))
        case.inject("OV-8", "LATE")
    case.take(
        ov.ImplementationPlanWritten(
            case=n, at=at, recorded_at=recorded, actor=therapist, with_client=with_client
        )
    )


MUNICIPAL: Final = tuple(Provider(f"Hemtjänst {area}") for area in ("Norr", "Söder", "Väster"))
PRIVATE: Final = tuple(
    Provider(name, ProviderKind.PRIVATE) for name in ("Omsorg AB", "Vård i hemmet AB")
)


def provider_choice_case(rng: random.Random, number: str, start: datetime) -> Built:
    """Build a VAL case: a first choice, municipal or private, executed; now and then a re-choice.

    Injects: execution after its 24 hours (VAL-6) or never (VAL-6 missing, at the end
    of the log); at a re-choice, the two providers notified apart (VAL-13 not
    simultaneous) or the incoming one the next day (VAL-13 not the same day, and not
    simultaneous), the takeover outside the 7–14 days (VAL-18); the execution started
    by someone who is no provider (X-2).
    """
    from .routines import provider_choice as val  # noqa: PLC0415 - found through the registry

    case = Recorder(val.VAL, number, start, rng)
    assessor = _staff(rng, Role.NEEDS_ASSESSOR, "bh", 30)
    provider = _staff(rng, Role.PROVIDER, "ut", 80)
    n = number
    private = _drawn(rng, "VAL", "private")
    chosen = rng.choice(PRIVATE if private else MUNICIPAL)
    written = val.ChoiceForm.WRITTEN
    enrolled = rng.random() < 0.4
    case.take(
        val.ChoiceRegistered(
            case=n,
            at=case.now,
            actor=assessor,
            provider=chosen,
            form=written,
            home_health_care=enrolled,
        )
    )
    if private:
        case.take(
            val.AssignmentPrepared(
                case=n,
                at=case.later(0.1, 4),
                actor=assessor,
                relatives_phone_numbers=("070-123 45 67",),
            )
        )
    case.take(val.DistributeAssignment(case=n, at=case.later(0.1, 8), actor=assessor))
    if enrolled and rng.random() < 0.9:
        case.take(val.NotifyHomeHealthCare(case=n, at=case.later(0.1, 8), actor=assessor))
    late = _drawn(rng, "VAL", "executed_late")
    never = not late and _drawn(rng, "VAL", "never_executed")
    if private:
        _private_execution(case, val, assessor, provider, late=late, never=never)
    elif not never:
        at = case.after("execute", 1, 72) if late else case.before("execute", 1, 20)
        if late:
            case.inject("VAL-6", "LATE")
        if _drawn(rng, "VAL", "wrong_role"):
            case.take_as(val.ExecutionStarted(case=n, at=at, actor=Actor("beh-1", Role.THERAPIST)))
            case.inject("X-2", "WRONG_ROLE")
        else:
            case.take(val.ExecutionStarted(case=n, at=at, actor=provider))
    if not never and _drawn(rng, "VAL", "rechoice"):
        _rechoice(case, val, (assessor, provider), chosen, enrolled)
    return case.built()


def _private_execution(
    case: Recorder, val: Any, assessor: Actor, provider: Actor, *, late: bool, never: bool
) -> None:
    n = case.number
    case.take(
        val.ProviderContacted(
            case=n,
            at=case.later(0.1, 4),
            actor=assessor,
            channel=val.ContactChannel.EMAIL,
            delivery=val.Delivery.POST,
        )
    )
    case.take(
        val.ReceiptConfirmed(case=n, at=case.before("execute_private", 0.5, 6), actor=provider)
    )
    case.take(val.ReceiptFiled(case=n, at=case.before("execute_private", 0.1, 3), actor=assessor))
    if never:
        return
    if late:
        day = (case.due("execute_private") + timedelta(days=1)).date()
        start_of_day = datetime.combine(day, time(0), tzinfo=STOCKHOLM)
        case.now = max(case.now, start_of_day)
        at = case.later(1, 10)
        case.inject("VAL-6", "LATE")
    else:
        at = case.before("execute_private", 0.5, 20)
        day = at.date()
    case.take(val.FirstInterventionReported(case=n, at=at, actor=provider, first_intervention=day))
    case.take(val.RegisterExecution(case=n, at=case.later(1, 30), actor=assessor))
    case.take(val.ConfirmExecutionDate(case=n, at=case.later(1, 30), actor=assessor))


def _office_hours(case: Recorder) -> datetime:
    """Move the clock to a weekday's office hours (08–16), for a re-choice's same-day steps."""
    moment = case.now
    while moment.weekday() >= 5 or not 8 <= moment.hour < 16:
        moment = elapsed(moment, timedelta(hours=1))
    case.now = moment.replace(minute=case.rng.randrange(0, 50))
    return case.now


def _rechoice(
    case: Recorder, val: Any, people: tuple[Actor, Actor], chosen: Provider, enrolled: bool
) -> None:
    assessor, provider = people
    rng = case.rng
    n = case.number
    incoming = rng.choice([p for p in (*MUNICIPAL, *PRIVATE) if p != chosen])
    case.later(24 * 20, 24 * 60)
    case.take(
        val.RegisterRechoice(
            case=n,
            at=_office_hours(case),
            actor=assessor,
            incoming=incoming,
            form=val.ChoiceForm.WRITTEN,
            home_health_care=enrolled,
        )
    )

    def channel(provider: Provider) -> Any:
        municipal = provider.kind is ProviderKind.MUNICIPAL
        return val.ContactChannel.SYSTEM if municipal else val.ContactChannel.EMAIL

    outgoing_at = case.later(0.05, 0.2)
    case.take(
        val.OutgoingProviderNotified(
            case=n, at=outgoing_at, actor=assessor, channel=channel(chosen)
        )
    )
    same_time = val.VAL.default_policy.same_time
    if _drawn(rng, "VAL", "not_same_day"):
        next_day = datetime.combine(outgoing_at.date() + timedelta(days=1), time(9), STOCKHOLM)
        case.now = elapsed(next_day, timedelta(minutes=rng.uniform(0, 120)))
        case.inject("VAL-13", "NOT_SAME_DAY")
        case.inject("VAL-13", "NOT_SIMULTANEOUS")
    elif _drawn(rng, "VAL", "not_simultaneous"):
        gap = same_time + timedelta(minutes=rng.uniform(1, 120))
        case.now = elapsed(outgoing_at, gap)
        case.inject("VAL-13", "NOT_SIMULTANEOUS")
    else:
        case.now = elapsed(outgoing_at, same_time * rng.uniform(0, 0.9))
    case.take(
        val.IncomingProviderNotified(case=n, at=case.now, actor=assessor, channel=channel(incoming))
    )
    window = rng.randrange(7, 15)
    if _drawn(rng, "VAL", "outside_window"):
        window = rng.choice((3, 20))
        case.inject("VAL-18", "OUTSIDE_WINDOW")
    takeover = case.now.date() + timedelta(days=window)
    last_day = max(takeover - timedelta(days=1), case.now.date())
    case.take(
        val.LastDayAgreed(
            case=n,
            at=case.before("agree_last_day", 4, 30),
            actor=provider,
            last_day=last_day,
            documentation_consent=True,
        )
    )
    case.take(
        val.TakeoverAnnounced(
            case=n, at=case.before("announce_takeover", 1, 12), actor=provider, takeover=takeover
        )
    )
    case.take(
        val.DocumentationHandedOver(case=n, at=case.before("hand_over", 1, 12), actor=provider)
    )
    case.take(
        val.TakeoverDateReported(
            case=n, at=case.before("report_takeover", 1, 12), actor=provider, takeover=takeover
        )
    )
    case.take(val.DocumentTakeoverDate(case=n, at=case.later(1, 24), actor=assessor))
    if enrolled:
        case.take(
            val.HomeHealthCareToldOfSwitch(
                case=n,
                at=case.before("tell_home_health_care", 1, 12),
                actor=provider,
                incoming_contact="08-123 45 67",
            )
        )


DISTRICTS: Final = ("Norr", "Söder", "Väster", "Öster")


def day_activity_case(rng: random.Random, number: str, start: datetime) -> Built:
    """Build a DV case: received, reviewed, now and then asked about, placed, started, often ended.

    Injects: the review after the end of the next working day (DV-5 late); a place on
    fewer days a week than granted (DV-7 incomplete); the activity started by someone
    who is no receiver or centre staff (X-2).
    """
    from .routines import day_activity as dv  # noqa: PLC0415 - found through the registry
    from .routines.placement import Orientation  # noqa: PLC0415

    case = Recorder(dv.DAY_ACTIVITY, number, start, rng)
    worker = _staff(rng, Role.SOCIAL_WORKER, "ss", 40)
    receiver = _staff(rng, Role.ASSIGNMENT_RECEIVER, "um", 12)
    staff = _staff(rng, Role.STAFF_MEMBER, "dv", 30)
    n = number
    days = rng.randrange(1, 6)
    case.take(
        dv.AssignmentReceived(
            case=n,
            at=case.now,
            actor=worker,
            district=rng.choice(DISTRICTS),
            orientation=rng.choice(list(Orientation)),
            days=days,
            queue_date=case.now.date(),
        )
    )
    if _drawn(rng, "DV", "reviewed_late"):
        at = case.after("review", 1, 120)
        case.inject("DV-5", "LATE")
    else:
        at = case.before("review", 1, 30)
    case.take(dv.AssignmentReviewed(case=n, at=at, actor=receiver))
    if _drawn(rng, "DV", "clarification"):
        case.take(
            dv.ClarificationAsked(
                case=n,
                at=case.later(1, 48),
                actor=receiver,
                contacted=rng.choice(list(dv.Contacted)),
            )
        )
        case.take(dv.AssignmentClarified(case=n, at=case.later(24, 240), actor=receiver))
    weekdays = tuple(list(dv.PlaceDay)[:days])
    if days > 1 and _drawn(rng, "DV", "fewer_days"):
        weekdays = weekdays[:-1]
        case.inject("DV-7", "INCOMPLETE")
    case.take(
        dv.AssignmentPlaced(
            case=n,
            at=case.later(24, 24 * 30),
            actor=receiver,
            centre=f"Dagverksamhet-{rng.randrange(20)}",
            weekdays=weekdays,
        )
    )
    if rng.random() < 0.95:
        if _drawn(rng, "DV", "wrong_role"):
            outsider = Actor("beh-1", Role.THERAPIST)
            case.take_as(dv.ActivityStarted(case=n, at=case.later(24, 24 * 14), actor=outsider))
            case.inject("X-2", "WRONG_ROLE")
        else:
            case.take(dv.ActivityStarted(case=n, at=case.later(24, 24 * 14), actor=staff))
    if _drawn(rng, "DV", "ended"):
        case.close(dv.AssignmentEnded(case=n, at=case.later(24 * 30, 24 * 200), actor=receiver))
    return case.built()


def patient_allocation_case(rng: random.Random, number: str, start: datetime) -> Built:
    """Build an HC case: queued on a fictive resource, allocated, two times offered, summoned.

    Most cases run the routine as written: the staff member is contacted, the case
    allocated, the notes written, two times offered by the summon deadline, one
    accepted and the summons sent; some decline both first (patient-chosen waiting,
    back to the queue, available again, allocated anew). Injects: an allocation
    without an earlier contact with the staff member (HC-4, per allocation); the
    first offer after the summon deadline (HC-5 late); the case stopping after the
    first allocation, no offer ever (HC-5 missing, left open: at most one of the two).
    """
    from .routines import patient_allocation as hc  # noqa: PLC0415 - found through the registry

    case = Recorder(hc.PATIENT_ALLOCATION, number, start, rng)
    leader = _staff(rng, Role.TEAM_LEADER, "tl", 10)
    admin_role = rng.choice((Role.CARE_ADMINISTRATOR, Role.ADMINISTRATIVE_RESOURCE))
    admin = _staff(rng, admin_role, "va", 8)
    n = number
    queue = "Väntelista utredning"

    def place(at: datetime) -> None:
        case.take(
            hc.PlacedOnFictiveResource(
                case=n,
                at=at,
                actor=leader,
                triage=rng.randrange(1, 4),
                resource=queue,
                intervention="utredning",
            )
        )

    place(case.now)
    missing = _drawn(rng, "HC", "offer_missing")
    late = not missing and _drawn(rng, "HC", "offer_late")
    for allocation in range(4):  # declined both times at most thrice
        staff = _staff(rng, Role.STAFF_MEMBER, "sm", 60)
        if _drawn(rng, "HC", "without_contact"):
            case.inject("HC-4", "WITHOUT_PRECONDITION")
        else:
            case.take(
                hc.StaffMemberContacted(
                    case=n, at=case.later(2, 24 * 14), actor=leader, staff_id=staff.id
                )
            )
        case.take(
            hc.CaseAllocated(
                case=n,
                at=case.later(1, 24 * 7),
                actor=leader,
                staff_id=staff.id,
                title="Leg. psykolog",
                name=_staff_name(staff),
                intervention="utredning",
                occasion=rng.choice(list(hc.Occasion)),
            )
        )
        case.take(hc.TeamNoteWritten(case=n, at=case.later(0.1, 4), actor=leader))
        case.take(hc.PlanningBasisCommented(case=n, at=case.later(0.1, 4), actor=leader))
        if missing:
            return case.built()
        if late:
            offered = case.after("summon", 24, 24 * 14)
            case.inject("HC-5", "LATE")
            late = False
        else:
            offered = case.before("summon", 2, 24 * 14)
        first = elapsed(offered, timedelta(days=rng.uniform(3, 10)))
        times = (first, elapsed(first, timedelta(days=rng.uniform(1, 3))))
        to = rng.choice(list(hc.Recipient))
        case.take(hc.OfferTimes(case=n, at=offered, actor=staff, times=times, to=to))
        answered = case.later(1, 48)
        if allocation < 3 and _drawn(rng, "HC", "declined"):
            case.take(hc.BothTimesDeclined(case=n, at=answered, actor=staff))
            case.take(hc.TelephoneNoteWritten(case=n, at=case.later(0.1, 8), actor=staff))
            waiting = case.later(1, 48)
            case.take(hc.PatientChosenWaitingRegistered(case=n, at=waiting, actor=admin))
            place(case.later(1, 72))
            available = case.later(24 * 7, 24 * 60)
            case.take(hc.PatientAvailableAgain(case=n, at=available, actor=admin))
            continue
        start_at = rng.choice(times)
        case.take(hc.TimeAccepted(case=n, at=answered, actor=staff, start=start_at))
        case.take(hc.TelephoneNoteWritten(case=n, at=case.later(0.1, 8), actor=staff))
        case.take(hc.PlanningBasisLinked(case=n, at=case.later(1, 48), actor=admin))
        channel = rng.choice((Channel.DIGITAL, Channel.LETTER))
        case.close(
            hc.SummonsSent(
                case=n,
                at=case.later(0.1, 24),
                actor=admin,
                channel=channel,
                to=hc.Recipient.PATIENT,
            )
        )
        break
    return case.built()


_UP_INTERVENTIONS: Final = (
    ("HOME_CARE",),
    ("HOME_CARE", "SAFETY_ALARM"),
    ("SAFETY_ALARM",),
    ("HOME_CARE", "RELIEF_AT_HOME"),
    ("DAY_ACTIVITY", "SCHEDULED_TRANSPORT"),
    ("HAFFA",),
)


def assignment_dispatch_case(rng: random.Random, number: str, start: datetime) -> Built:
    """Build an UP case: an assignment sent, handed over, confirmed, executed; at times more.

    The assignment is also ordered in the time-recording system where required; some
    cases have a hospital stay (admitted at any hour), a returned alarm, the end.
    The assignment is sent on a working day between 08:00 and 14:00; each notification
    the routine requires (``required_notifications`` of the step's situation) is sent
    in time unless drawn missing. Injects: the stated time not the granted time
    rounded up to a quarter hour (UP-3 wrong stated time); no order for a time-recorded
    assignment (UP-2 missing, left open), an order for day activity and scheduled
    transport (UP-2 not required); a new care recipient handed over by system message
    only (UP-5 wrong channel); the receipt confirmed late, by e-mail, or never (UP-8
    late, wrong channel, missing); an execution or installation registered days after
    its start (UP-9, UP-11 late); a required notification not sent (UP-10, UP-12,
    UP-14 missing, left open; a case sends one assignment, so the alarm group is never
    told of home care granted after an alarm alone), the day provider's notification
    to the night patrol by telephone (UP-14 wrong channel).
    """
    from .routines import assignment_dispatch as up  # noqa: PLC0415 - found through the registry

    case = Recorder(up.ASSIGNMENT_DISPATCH, number, start, rng)
    n = number
    assessor = _staff(rng, Role.NEEDS_ASSESSOR, "bh", 30)
    staff = {
        Role.NEEDS_ASSESSOR: assessor,
        Role.PROVIDER: _staff(rng, Role.PROVIDER, "ut", 60),
        Role.ALARM_INSTALLER: _staff(rng, Role.ALARM_INSTALLER, "li", 5),
        Role.NIGHT_PATROL: _staff(rng, Role.NIGHT_PATROL, "np", 10),
    }
    interventions = tuple(up.Intervention[name] for name in rng.choice(_UP_INTERVENTIONS))
    provider = Provider(f"Hemtjänst {rng.randrange(12)}")
    if up.Intervention.SAFETY_ALARM not in interventions and rng.random() < 0.3:
        provider = Provider(f"Omsorg {rng.randrange(20)} AB", ProviderKind.PRIVATE)
    policy = up.ASSIGNMENT_DISPATCH.default_policy
    _up_send(case, up, assessor, provider, interventions)
    _up_order(case, up, assessor, provider, interventions)
    new = case.state.latest_to(provider).new_recipient
    channels = (Channel.TELEPHONE,) if new else (rng.choice(_HANDOVER_CHANNELS),)
    if new and _drawn(rng, "UP", "handover_wrong_channel"):
        channels = (Channel.SYSTEM_MESSAGE,)
        case.inject("UP-5", "WRONG_CHANNEL")
    at = case.before("hand_over", 0.1, 2)
    case.take(up.HandOver(case=n, at=at, actor=assessor, provider=provider, channels=channels))
    _up_receipt(case, up, staff[Role.PROVIDER], provider)
    for intervention in interventions:
        at = case.later(12, 72)
        started = at.date()
        if _drawn(rng, "UP", "registered_late"):
            started -= timedelta(days=rng.randrange(3, 7))
            while _registered_by(policy, started) >= at.date():  # late, whatever the calendar
                started -= timedelta(days=1)
            case.inject("UP-11" if intervention is up.Intervention.SAFETY_ALARM else "UP-9", "LATE")
        if intervention is up.Intervention.SAFETY_ALARM:
            installer = staff[Role.ALARM_INSTALLER]
            case.take(up.AlarmInstalled(case=n, at=at, actor=installer, installed_on=started))
        else:
            case.take(
                up.InterventionExecuted(
                    case=n,
                    at=at,
                    actor=staff[Role.PROVIDER],
                    intervention=intervention,
                    started_on=started,
                )
            )
    if _drawn(rng, "UP", "hospital"):
        admitted = case.later(24, 24 * 60)
        witness = staff[Role.NIGHT_PATROL] if up.is_night(admitted) else staff[Role.PROVIDER]
        stay = f"{n}-s1"
        _up_told(
            case, up, staff, up.AdmittedToHospital(case=n, at=admitted, actor=witness, stay=stay)
        )
        home = case.later(48, 240)
        _up_told(
            case,
            up,
            staff,
            up.HomeFromHospital(case=n, at=home, actor=staff[Role.PROVIDER], stay=stay),
        )
    held = {item.intervention for item in case.state.held}
    if up.Intervention.SAFETY_ALARM in held and _drawn(rng, "UP", "alarm_returned"):
        returned = up.AlarmReturned(
            case=n,
            at=case.later(24 * 30, 24 * 300),
            actor=staff[Role.ALARM_INSTALLER],
            reason=rng.choice(list(up.ReturnReason)),
        )
        _up_told(case, up, staff, returned)
    if _drawn(rng, "UP", "closed"):
        case.close(up.AssignmentClosed(case=n, at=case.later(24 * 30, 24 * 300), actor=assessor))
    return case.built()


_HANDOVER_CHANNELS: Final = (Channel.TELEPHONE, Channel.SYSTEM_MESSAGE)


def _registered_by(policy: Any, started: date) -> date:
    """Return the last day an execution started on ``started`` is registered in time (UP-9)."""
    calendar = policy.calendar
    if policy.executed_within == 0:
        return calendar.roll_forward(started)  # type: ignore[no-any-return]
    return calendar.add_workdays(started, policy.executed_within)  # type: ignore[no-any-return]


def _up_send(
    case: Recorder, up: Any, assessor: Actor, provider: Provider, interventions: tuple[Any, ...]
) -> None:
    """Send the assignment on a working day's morning, its stated time now and then wrong (UP-3)."""
    rng = case.rng
    day = up.ASSIGNMENT_DISPATCH.default_policy.calendar.roll_forward(case.now.date())
    case.now = datetime.combine(day, time(rng.randrange(8, 14), rng.randrange(60)), STOCKHOLM)
    granted = rng.randrange(30, 900)
    stated = up.Assignment(
        case=case.number, provider=provider, interventions=interventions, granted_minutes=granted
    ).stated_minutes
    if _drawn(rng, "UP", "wrong_stated_time"):
        granted += 1 if granted % 15 == 0 else 0
        stated = granted  # not rounded up to the quarter hour
        case.inject("UP-3", "WRONG_STATED_TIME")
    sent = up.AssignmentSent(
        case=case.number,
        at=case.now,
        actor=assessor,
        provider=provider,
        interventions=interventions,
        granted_minutes=granted,
        stated_minutes=stated,
        new_recipient=_drawn(rng, "UP", "new_recipient"),
    )
    staff = {Role.NEEDS_ASSESSOR: assessor}
    _up_told(case, up, staff, sent)


def _up_order(
    case: Recorder, up: Any, assessor: Actor, provider: Provider, interventions: tuple[Any, ...]
) -> None:
    """Order time recording where it is required (UP-2), now and then not, or where it is not."""
    rng = case.rng
    if up.time_recording_required(interventions):
        if _drawn(rng, "UP", "order_missing"):
            return  # left open: missed once its day has passed (the closing or the log's end)
        at = case.before("order", 0.1, 2)
    elif _drawn(rng, "UP", "order_not_required"):
        at = case.later(0.1, 2)
        case.inject("UP-2", "NOT_REQUIRED")
    else:
        return
    case.take(up.TimeRecordingOrdered(case=case.number, at=at, actor=assessor, provider=provider))


def _up_receipt(case: Recorder, up: Any, actor: Actor, provider: Provider) -> None:
    """Confirm the receipt in time, late, by e-mail, or never (UP-8)."""
    rng = case.rng
    rates = RATES["UP"]
    roll = rng.random()
    if roll < rates["receipt_missing"]:
        return  # left open
    roll -= rates["receipt_missing"]
    channel = Channel.SYSTEM_MESSAGE
    if roll < rates["receipt_late"]:
        at = case.after("confirm_receipt", 1, 48)
        case.inject("UP-8", "LATE")
    else:
        at = case.before("confirm_receipt", 0.5, 6)
        if roll - rates["receipt_late"] < rates["receipt_wrong_channel"]:
            channel = Channel.EMAIL
            case.inject("UP-8", "WRONG_CHANNEL")
    case.take(
        up.AssignmentReceiptConfirmed(
            case=case.number, at=at, actor=actor, provider=provider, channel=channel
        )
    )


def _up_told(case: Recorder, up: Any, staff: dict[Role, Actor], request: Any) -> None:
    """Take a step and send, in time, each notification it calls for, now and then not one.

    The handover is the assessor's own step (UP-5), not a notification.
    """
    rng = case.rng
    situation = up.situation_of(case.state, request)
    case.take(request)
    for notice in () if situation is None else up.required_notifications(situation):
        if notice.subject is up.Subject.HANDOVER:
            continue
        if _drawn(rng, "UP", "notification_missing"):
            continue  # left open: missed once its due time has passed
        channel = notice.channel or Channel.SYSTEM_MESSAGE
        by_telephone = notice.requirement == "UP-14" and notice.sender is Role.PROVIDER
        if by_telephone and _drawn(rng, "UP", "notification_by_telephone"):
            channel = Channel.TELEPHONE
            case.inject("UP-14", "WRONG_CHANNEL")
        at = case.later(0.05, 1)
        due = notice.due.due
        if at.astimezone(UTC) >= due.astimezone(UTC):
            at = case.now = max(request.at, elapsed(due, -timedelta(minutes=1)))
        case.take(
            up.NotificationSent(
                case=case.number,
                at=at,
                actor=staff[notice.sender],
                subject=notice.subject,
                recipient=notice.recipient,
                channel=channel,
                stay=notice.stay,
            )
        )


Builder = Callable[[random.Random, str, datetime], Built]

BUILDERS: Final[dict[str, Builder]] = {
    "VAL": provider_choice_case,
    "OV": outpatient_case,
    "DV": day_activity_case,
    "HC": patient_allocation_case,
    "UP": assignment_dispatch_case,
}
"""The builder of each routine's cases, by routine code (the module's builder protocol)."""


def _codes(codes: Sequence[str] | None) -> list[str]:
    landed = [code for code in registry.codes() if code in BUILDERS]
    if codes is None:
        return landed
    unknown = [code for code in codes if code not in landed]
    if unknown or not codes:
        raise InvalidInput(
            "codes must name registered routines with a builder: " + ", ".join(landed)
        )
    return list(codes)


def cases(
    count: int | None, seed: int, codes: Sequence[str] | None = None, *, events: int | None = None
) -> Iterator[Built]:
    """Yield ``count`` cases (or cases until about ``events`` events), each built, in turn."""
    rng = random.Random(seed)
    chosen = _codes(codes)
    made = number = 0
    while (count is not None and number < count) or (events is not None and made < events):
        code = chosen[number % len(chosen)]
        start = FIRST + timedelta(minutes=rng.randrange(_SPAN_MINUTES))
        built = BUILDERS[code](rng, f"{code}-{number:07d}", start)
        made += len(built.events)
        number += 1
        yield built


def build(
    count: int | None = None,
    seed: int = 2026,
    codes: Sequence[str] | None = None,
    *,
    events: int | None = None,
) -> tuple[list[Event], list[Injected]]:
    """Build a log (bygg exempellogg) and its truth: the events in recording order, X-5.

    ``count`` cases (or, with ``events``, cases until about that many events), the
    routines taking turns. The truth is each builder's injected deviations plus, for
    each obligation still open at the end whose due time lies before the log's last
    line, a MISSING one: it is what an audit as of the log's last line finds.

    Raises:
        InvalidInput: for neither ``count`` nor ``events``, or unknown ``codes``.
    """
    if count is None and events is None:
        raise InvalidInput("give count (cases) or events (about how many)")
    made = list(cases(count, seed, codes, events=events))
    log = sorted(
        (event for case in made for event in case.events),
        key=lambda e: (e.recorded_at or e.at).timestamp(),
    )
    truth = [row for case in made for row in case.injected]
    if log:
        end = max((e.recorded_at or e.at).astimezone(UTC) for e in log)
        for case in made:
            truth += _open_at(case, end)
    truth.sort()
    return log, truth


def _open_at(case: Built, end: datetime) -> list[Injected]:
    """Return the MISSING deviations of what a case leaves open, due before ``end``."""
    first = case.events[0]
    routine = registry.get(type(first).routine)
    state = routine.replay(case.events, strict=False)
    return [
        Injected(first.case, action.requirement, "MISSING")
        for action in routine.required_actions(state)
        if action.due is not None and action.due.astimezone(UTC) < end
    ]


def write_truth(truth: Sequence[Injected], target: str) -> int:
    """Write the truth as CSV (``case,requirement,kind``, one row per injected deviation)."""
    with open(target, "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(Injected._fields)
        writer.writerows(truth)
    return len(truth)


def write_log(
    path: str,
    count: int | None = None,
    seed: int = 2026,
    codes: Sequence[str] | None = None,
    *,
    events: int | None = None,
    truth: str | None = None,
) -> int:
    """Write a log (JSON Lines, or CSV for a ``.csv`` path) and, if asked, its truth.

    Returns the number of events written.
    """
    log, rows = build(count, seed, codes, events=events)
    if path.lower().endswith(".csv"):
        from .csvlog import dump_csv_events  # noqa: PLC0415

        written = dump_csv_events(log, path)
    else:
        written = dump_events(log, path)
    if truth is not None:
        write_truth(rows, truth)
    return written
