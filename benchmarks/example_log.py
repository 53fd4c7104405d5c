"""A realistic example log over the routines, built with their own API (exempellogg).

Each case is recorded as an embedding system would record it: every step is a request
decided by the routine (``routine.decide``) on the case's state, in the order the step
was recorded. Times are drawn around realistic delays, and a known share of the cases
departs from the routine: a step late or missing, a follow-up without everyone, a
step recorded days after it happened. The log is what ``benchmarks/bench_audit.py``
reads; ``write_log`` writes it as JSON Lines with :func:`~arendefordelning.eventlog.dump_events`.

Run on its own to write a log::

    python benchmarks/example_log.py --events 100000 --seed 2026 --output log.jsonl
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, time, timedelta
from typing import Any, Final
from zoneinfo import ZoneInfo

from arendefordelning import Actor, Provider, ProviderKind, Role
from arendefordelning.deadlines import summon_deadline
from arendefordelning.eventlog import dump_events
from arendefordelning.kernel import Channel, Command, Event, Routine
from arendefordelning.routines import assignment_dispatch as up
from arendefordelning.routines import day_activity as dv
from arendefordelning.routines import outpatient_care as ov
from arendefordelning.routines import patient_allocation as hc
from arendefordelning.routines import provider_choice as val
from arendefordelning.routines.placement import Orientation

STOCKHOLM: Final = ZoneInfo("Europe/Stockholm")
FIRST: Final = datetime(2026, 1, 5, 8, 0, tzinfo=STOCKHOLM)


def elapsed(moment: datetime, delay: timedelta) -> datetime:
    """Add elapsed time (through UTC: never a wall-clock time that does not exist)."""
    return (moment.astimezone(UTC) + delay).astimezone(STOCKHOLM)


class Case:
    """One case being recorded: its routine, state and events, and a clock."""

    def __init__(self, routine: Routine[Any, Any, Any], number: str, start: datetime) -> None:
        self.routine = routine
        self.number = number
        self.now = start
        self.state = routine.initial_state
        self.events: list[Event] = []

    def later(self, rng: random.Random, low: float, high: float) -> datetime:
        """Move the clock on by a random number of elapsed hours between ``low`` and ``high``."""
        self.now = elapsed(self.now, timedelta(hours=rng.uniform(low, high)))
        return self.now

    def take(self, request: Event | Command) -> None:
        """Decide a request on the case's state and record the event."""
        new = self.routine.decide(request, self.state)
        self.state = self.routine.replay(new, self.state)
        self.events += new


def _staff(rng: random.Random, role: Role, prefix: str, count: int) -> Actor:
    return Actor(f"{prefix}-{rng.randrange(count)}", role)


def outpatient_case(rng: random.Random, number: str, start: datetime) -> list[Event]:
    """An OV case from the decision to its follow-ups and, for most, the closing."""
    case = Case(ov.OUTPATIENT_CARE, number, start)
    worker = _staff(rng, Role.SOCIAL_WORKER, "ss", 40)
    manager = _staff(rng, Role.UNIT_MANAGER, "ec", 5)
    therapist = _staff(rng, Role.THERAPIST, "beh", 60)
    c = {"case": number}
    all_three = (Role.INDIVIDUAL, Role.SOCIAL_WORKER, Role.THERAPIST)
    case.take(ov.DecisionMade(**c, at=case.now, actor=worker, intervention="samtalsstöd"))
    case.take(ov.UnitManagerInformed(**c, at=case.later(rng, 1, 30), actor=worker))
    case.take(
        ov.TherapistsAssigned(
            **c, at=case.later(rng, 2, 72), actor=manager, therapists=(therapist.id,)
        )
    )
    case.take(ov.TherapistsBriefed(**c, at=case.later(rng, 0.5, 8), actor=manager))
    case.take(ov.SocialWorkerToldOfTherapists(**c, at=case.later(rng, 0.5, 8), actor=manager))
    case.take(ov.AssignmentStarted(**c, at=case.later(rng, 2, 48), actor=worker))
    case.take(ov.SocialWorkerContacted(**c, at=case.later(rng, 2, 48), actor=therapist))
    case.take(ov.CarePlanSent(**c, at=case.later(rng, 2, 48), actor=worker))
    meeting = case.later(rng, 1, 24)
    case.take(
        ov.MeetingBooked(
            **c, at=meeting, actor=worker, meeting_at=elapsed(meeting, timedelta(days=5))
        )
    )
    case.take(
        ov.FirstMeetingHeld(**c, at=case.later(rng, 100, 140), actor=worker, participants=all_three)
    )
    case.take(ov.TreatmentStarted(**c, at=case.later(rng, 20, 100), actor=therapist))
    roll = rng.random()
    if roll < 0.85:  # the plan in time (three weeks), late, or (below) never
        hours = rng.uniform(48, 400) if roll < 0.7 else rng.uniform(520, 900)
        recorded = None if rng.random() < 0.9 else elapsed(case.now, timedelta(hours=hours + 40))
        case.take(
            ov.ImplementationPlanWritten(
                **c, at=case.later(rng, hours, hours), recorded_at=recorded, actor=therapist
            )
        )
    for _ in range(rng.randrange(1, 4)):  # follow-ups, most within three months
        hours = rng.uniform(24 * 40, 24 * 88) if rng.random() < 0.8 else rng.uniform(2300, 3000)
        present = all_three if rng.random() < 0.9 else (Role.INDIVIDUAL, Role.SOCIAL_WORKER)
        case.take(
            ov.FollowUpHeld(
                **c, at=case.later(rng, hours, hours), actor=worker, participants=present
            )
        )
    if rng.random() < 0.7:
        case.take(
            ov.ClosingConversationHeld(
                **c, at=case.later(rng, 24, 24 * 30), actor=worker, participants=all_three
            )
        )
    return case.events


MUNICIPAL: Final = tuple(Provider(f"Hemtjänst {area}") for area in ("Norr", "Söder", "Väster"))
PRIVATE: Final = tuple(
    Provider(name, ProviderKind.PRIVATE) for name in ("Omsorg AB", "Vård i hemmet AB")
)


def provider_choice_case(rng: random.Random, number: str, start: datetime) -> list[Event]:
    """A VAL case: a first choice (municipal or private), executed; now and then a re-choice."""
    case = Case(val.VAL, number, start)
    assessor = _staff(rng, Role.NEEDS_ASSESSOR, "bh", 30)
    provider = _staff(rng, Role.PROVIDER, "ut", 80)
    c = {"case": number}
    private = rng.random() < 0.3
    chosen = rng.choice(PRIVATE if private else MUNICIPAL)
    written = val.ChoiceForm.WRITTEN
    enrolled = rng.random() < 0.4
    case.take(
        val.ChoiceRegistered(
            **c,
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
                **c,
                at=case.later(rng, 0.1, 4),
                actor=assessor,
                relatives_phone_numbers=("070-123 45 67",),
            )
        )
    case.take(val.DistributeAssignment(**c, at=case.later(rng, 0.1, 8), actor=assessor))
    if enrolled and rng.random() < 0.9:
        case.take(val.NotifyHomeHealthCare(**c, at=case.later(rng, 0.1, 8), actor=assessor))
    late = rng.random() < 0.12  # executed after the 24 hours, or (rarely) not recorded
    if private:
        case.take(
            val.ProviderContacted(
                **c,
                at=case.later(rng, 0.1, 4),
                actor=assessor,
                channel=val.ContactChannel.EMAIL,
                delivery=val.Delivery.POST,
            )
        )
        case.take(val.ReceiptConfirmed(**c, at=case.later(rng, 1, 30), actor=provider))
        case.take(val.ReceiptFiled(**c, at=case.later(rng, 1, 30), actor=assessor))
        if rng.random() < 0.97:
            days = rng.randrange(2, 6) if late else rng.randrange(0, 2)
            first = (case.now + timedelta(days=days)).date()
            case.take(
                val.FirstInterventionReported(
                    **c,
                    at=case.later(rng, 1, 10),
                    actor=provider,
                    first_intervention=max(first, case.now.date()),
                )
            )
            case.take(val.RegisterExecution(**c, at=case.later(rng, 1, 30), actor=assessor))
            case.take(val.ConfirmExecutionDate(**c, at=case.later(rng, 1, 30), actor=assessor))
    elif rng.random() < 0.97:
        hours = rng.uniform(30, 120) if late else rng.uniform(1, 20)
        case.take(val.ExecutionStarted(**c, at=case.later(rng, hours, hours), actor=provider))
    if rng.random() < 0.15:  # a re-choice, weeks later
        incoming = rng.choice([p for p in (*MUNICIPAL, *PRIVATE) if p != chosen])
        notified = case.later(rng, 24 * 20, 24 * 60)
        case.take(
            val.RegisterRechoice(
                **c,
                at=notified,
                actor=assessor,
                incoming=incoming,
                form=written,
                home_health_care=enrolled,
            )
        )
        gap = 0.1 if rng.random() < 0.9 else rng.uniform(2, 30)
        outgoing_channel = (
            val.ContactChannel.SYSTEM
            if chosen.kind is ProviderKind.MUNICIPAL
            else val.ContactChannel.EMAIL
        )
        incoming_channel = (
            val.ContactChannel.SYSTEM
            if incoming.kind is ProviderKind.MUNICIPAL
            else val.ContactChannel.EMAIL
        )
        case.take(
            val.OutgoingProviderNotified(
                **c, at=case.later(rng, 0.05, 0.2), actor=assessor, channel=outgoing_channel
            )
        )
        case.take(
            val.IncomingProviderNotified(
                **c, at=case.later(rng, gap, gap), actor=assessor, channel=incoming_channel
            )
        )
        window = rng.randrange(7, 15) if rng.random() < 0.85 else rng.choice((3, 20))
        takeover = case.now.date() + timedelta(days=window)
        case.take(
            val.LastDayAgreed(
                **c,
                at=case.later(rng, 4, 48),
                actor=provider,
                last_day=max(takeover - timedelta(days=1), case.now.date()),
                documentation_consent=True,
            )
        )
        case.take(
            val.TakeoverAnnounced(**c, at=case.later(rng, 1, 24), actor=provider, takeover=takeover)
        )
        case.take(val.DocumentationHandedOver(**c, at=case.later(rng, 1, 24), actor=provider))
        case.take(
            val.TakeoverDateReported(
                **c, at=case.later(rng, 1, 24), actor=provider, takeover=takeover
            )
        )
        case.take(val.DocumentTakeoverDate(**c, at=case.later(rng, 1, 24), actor=assessor))
        if enrolled:
            case.take(
                val.HomeHealthCareToldOfSwitch(
                    **c, at=case.later(rng, 1, 24), actor=provider, incoming_contact="08-123 45 67"
                )
            )
    return case.events


DISTRICTS: Final = ("Norr", "Söder", "Väster", "Öster")


def day_activity_case(rng: random.Random, number: str, start: datetime) -> list[Event]:
    """A DV case: received, reviewed (now and then late), placed, started, often ended."""
    case = Case(dv.DAY_ACTIVITY, number, start)
    worker = _staff(rng, Role.SOCIAL_WORKER, "ss", 40)
    receiver = _staff(rng, Role.ASSIGNMENT_RECEIVER, "um", 12)
    staff = _staff(rng, Role.STAFF_MEMBER, "dv", 30)
    c = {"case": number}
    days = rng.randrange(1, 6)
    case.take(
        dv.AssignmentReceived(
            **c,
            at=case.now,
            actor=worker,
            district=rng.choice(DISTRICTS),
            orientation=rng.choice(list(Orientation)),
            days=days,
            queue_date=case.now.date(),
        )
    )
    hours = rng.uniform(1, 30) if rng.random() < 0.85 else rng.uniform(60, 200)
    case.take(dv.AssignmentReviewed(**c, at=case.later(rng, hours, hours), actor=receiver))
    if rng.random() < 0.2:
        case.take(
            dv.ClarificationAsked(
                **c,
                at=case.later(rng, 1, 48),
                actor=receiver,
                contacted=rng.choice(list(dv.Contacted)),
            )
        )
        case.take(dv.AssignmentClarified(**c, at=case.later(rng, 24, 240), actor=receiver))
    weekdays = tuple(list(dv.PlaceDay)[:days])
    if rng.random() < 0.1:
        weekdays = weekdays[:-1] or weekdays
    case.take(
        dv.AssignmentPlaced(
            **c,
            at=case.later(rng, 24, 24 * 30),
            actor=receiver,
            centre=f"Dagverksamhet-{rng.randrange(20)}",
            weekdays=weekdays,
        )
    )
    if rng.random() < 0.95:
        case.take(dv.ActivityStarted(**c, at=case.later(rng, 24, 24 * 14), actor=staff))
    if rng.random() < 0.4:
        case.take(dv.AssignmentEnded(**c, at=case.later(rng, 24 * 30, 24 * 200), actor=receiver))
    return case.events


def patient_allocation_case(rng: random.Random, number: str, start: datetime) -> list[Event]:
    """An HC case: queued on a fictive resource, allocated, two times offered, summoned.

    Most cases run the routine as written: the staff member is contacted, the case
    allocated, the notes written, two times offered within the summon deadline, one
    accepted and the summons sent (20% decline both first: patient-chosen waiting, back
    to the queue, available again, allocated anew). Injected deviations, drawn
    independently per case with ``rng``:

    - HC-4 (WITHOUT_PRECONDITION), 10% of the allocations: the contact with the staff
      member before the allocation is left out.
    - HC-5 LATE, 10% of the cases: the (first) offer comes 1 to 14 days after the end
      of the due day ``summon_deadline(allocation day)``.
    - HC-5 MISSING, 5% of the cases: the case stops after the (first) allocation, no
      offer ever (drawn before the LATE one; a case gets at most one of the two).
    """
    case = Case(hc.PATIENT_ALLOCATION, number, start)
    leader = _staff(rng, Role.TEAM_LEADER, "tl", 10)
    admin = _staff(
        rng, rng.choice((Role.CARE_ADMINISTRATOR, Role.ADMINISTRATIVE_RESOURCE)), "va", 8
    )
    queue = "Väntelista utredning"
    case.take(
        hc.PlacedOnFictiveResource(
            case=number,
            at=case.now,
            actor=leader,
            triage=rng.randrange(1, 4),
            resource=queue,
            intervention="utredning",
        )
    )
    missing = rng.random() < 0.05
    late = not missing and rng.random() < 0.1
    while True:
        staff = _staff(rng, Role.STAFF_MEMBER, "sm", 60)
        if rng.random() >= 0.1:
            case.take(
                hc.StaffMemberContacted(
                    case=number, at=case.later(rng, 2, 24 * 14), actor=leader, staff_id=staff.id
                )
            )
        allocated = case.later(rng, 1, 24 * 7)
        case.take(
            hc.CaseAllocated(
                case=number,
                at=allocated,
                actor=leader,
                staff_id=staff.id,
                title="Leg. psykolog",
                name=f"Medarbetare {staff.id}",
                intervention="utredning",
                occasion=rng.choice(list(hc.Occasion)),
            )
        )
        case.take(hc.TeamNoteWritten(case=number, at=case.later(rng, 0.1, 4), actor=leader))
        case.take(hc.PlanningBasisCommented(case=number, at=case.later(rng, 0.1, 4), actor=leader))
        if missing:
            return case.events
        if late:
            after_due = summon_deadline(allocated.date()) + timedelta(days=1)
            case.now = datetime.combine(after_due, datetime.min.time(), STOCKHOLM)
            case.later(rng, 24, 24 * 14)
            late = False
        else:
            case.later(rng, 2, 24 * 14)
        offered = case.now
        first = elapsed(offered, timedelta(days=rng.uniform(3, 10)))
        times = (first, elapsed(first, timedelta(days=rng.uniform(1, 3))))
        case.take(
            hc.OfferTimes(
                case=number, at=offered, actor=staff, times=times, to=rng.choice(list(hc.Recipient))
            )
        )
        answered = case.later(rng, 1, 48)
        if rng.random() < 0.2:
            case.take(hc.BothTimesDeclined(case=number, at=answered, actor=staff))
            case.take(hc.TelephoneNoteWritten(case=number, at=case.later(rng, 0.1, 8), actor=staff))
            case.take(
                hc.PatientChosenWaitingRegistered(
                    case=number, at=case.later(rng, 1, 48), actor=admin
                )
            )
            case.take(
                hc.PlacedOnFictiveResource(
                    case=number,
                    at=case.later(rng, 1, 72),
                    actor=leader,
                    triage=rng.randrange(1, 4),
                    resource=queue,
                    intervention="utredning",
                )
            )
            case.take(
                hc.PatientAvailableAgain(
                    case=number, at=case.later(rng, 24 * 7, 24 * 60), actor=admin
                )
            )
            continue
        case.take(hc.TimeAccepted(case=number, at=answered, actor=staff, start=rng.choice(times)))
        case.take(hc.TelephoneNoteWritten(case=number, at=case.later(rng, 0.1, 8), actor=staff))
        case.take(hc.PlanningBasisLinked(case=number, at=case.later(rng, 1, 48), actor=admin))
        channel = rng.choice((Channel.DIGITAL, Channel.LETTER))
        case.take(
            hc.SummonsSent(
                case=number,
                at=case.later(rng, 0.1, 24),
                actor=admin,
                channel=channel,
                to=hc.Recipient.PATIENT,
            )
        )
        return case.events


def assignment_dispatch_case(  # noqa: PLR0915 - one case's life, step by step
    rng: random.Random, number: str, start: datetime
) -> list[Event]:
    """An UP case: an assignment sent, ordered, handed over, confirmed, executed; at times
    a hospital stay, a returned alarm, the end.

    Every notification the routine requires is taken from
    ``up.required_notifications(up.situation_of(state, event))`` for the step that
    opens it. Deviations injected (requirement, rate per case or per duty, how):

    * UP-3 ``WRONG_STATED_TIME``, 3 % of cases: the stated time is the granted time
      itself (granted minutes drawn so that most are not a whole quarter hour).
    * UP-2 ``MISSING``, 4 % of the cases whose assignment is time-recorded: no order;
      UP-2 ``NOT_REQUIRED``, 15 % of the day-activity-and-transport cases (1 in 6
      cases are): an order placed anyway.
    * UP-5 ``WRONG_CHANNEL``, 5 % of new care recipients (70 % of cases are new):
      handed over by system message only.
    * UP-8, 4 % ``LATE`` (confirmed 3 to 5 days after the sending), 2 %
      ``WRONG_CHANNEL`` (by e-mail), 2 % ``MISSING`` (never confirmed).
    * UP-9 / UP-11 ``LATE``, 5 % of each execution or installation: registered 3 to 6
      days after its start date.
    * UP-6, UP-10, UP-12, UP-14 ``MISSING``, 4 % of each required notification: not
      sent (the others are sent before their due time); UP-14 ``WRONG_CHANNEL``, 3 % of the day
      provider's notifications to the night patrol: by telephone.

    The assignment is sent on a working day between 08:00 and 14:00, the order and the
    handover follow within two hours (on time). A quarter of the cases have a hospital
    stay (admitted at any hour, so some at night), 10 % of those with an installed alarm
    return it, 30 % end. Nothing else departs from the routine.
    """
    case = Case(up.ASSIGNMENT_DISPATCH, number, start)
    assessor = _staff(rng, Role.NEEDS_ASSESSOR, "bh", 30)
    staff = {
        Role.NEEDS_ASSESSOR: assessor,
        Role.PROVIDER: _staff(rng, Role.PROVIDER, "ut", 60),
        Role.ALARM_INSTALLER: _staff(rng, Role.ALARM_INSTALLER, "li", 5),
        Role.NIGHT_PATROL: _staff(rng, Role.NIGHT_PATROL, "np", 10),
    }
    provider = Provider(f"Hemtjänst {rng.randrange(12)}")
    if rng.random() < 0.3:
        provider = Provider(f"Omsorg {rng.randrange(20)} AB", ProviderKind.PRIVATE)
    interventions = rng.choice(
        [
            (up.Intervention.HOME_CARE,),
            (up.Intervention.HOME_CARE, up.Intervention.SAFETY_ALARM),
            (up.Intervention.SAFETY_ALARM,),
            (up.Intervention.HOME_CARE, up.Intervention.RELIEF_AT_HOME),
            (up.Intervention.DAY_ACTIVITY, up.Intervention.SCHEDULED_TRANSPORT),
            (up.Intervention.HAFFA,),
        ]
    )
    if up.Intervention.SAFETY_ALARM in interventions:
        provider = Provider(f"Hemtjänst {rng.randrange(12)}")  # UP-10: on the municipal one
    granted = rng.randrange(30, 900)
    new = rng.random() < 0.7

    def take_told(request: Any) -> None:
        """Take a step and send the notifications it calls for (4 % left out)."""
        situation = up.situation_of(case.state, request)
        case.take(request)
        for notice in () if situation is None else up.required_notifications(situation):
            if notice.subject is up.Subject.HANDOVER or rng.random() < 0.04:
                continue
            channel = notice.channel or Channel.SYSTEM_MESSAGE
            if (
                notice.requirement == "UP-14"
                and notice.sender is Role.PROVIDER
                and rng.random() < 0.03
            ):
                channel = Channel.TELEPHONE
            sent_at = case.later(rng, 0.05, 1)
            if sent_at >= notice.due.due:  # on time: the omissions above are the injected ones
                sent_at = case.now = max(request.at, notice.due.due - timedelta(minutes=1))
            case.take(
                up.NotificationSent(
                    case=number,
                    at=sent_at,
                    actor=staff[notice.sender],
                    subject=notice.subject,
                    recipient=notice.recipient,
                    channel=channel,
                    stay=notice.stay,
                )
            )

    day = up.AssignmentDispatchPolicy().calendar.roll_forward(start.date())
    case.now = datetime.combine(day, time(rng.randrange(8, 14), rng.randrange(60)), STOCKHOLM)
    sent_at = case.now
    take_told(
        up.AssignmentSent(
            case=number,
            at=sent_at,
            actor=assessor,
            provider=provider,
            interventions=interventions,
            granted_minutes=granted,
            stated_minutes=granted
            if rng.random() < 0.03
            else up.Assignment(
                case=number,
                provider=provider,
                interventions=interventions,
                granted_minutes=granted,
            ).stated_minutes,
            new_recipient=new,
        )
    )
    required = up.time_recording_required(interventions)
    if (required and rng.random() >= 0.04) or (not required and rng.random() < 0.15):
        case.take(
            up.TimeRecordingOrdered(
                case=number, at=case.later(rng, 0.1, 2), actor=assessor, provider=provider
            )
        )
    channels = (
        [Channel.TELEPHONE] if new else [rng.choice([Channel.TELEPHONE, Channel.SYSTEM_MESSAGE])]
    )
    if new and rng.random() < 0.05:
        channels = [Channel.SYSTEM_MESSAGE]
    case.take(
        up.HandOver(
            case=number,
            at=case.later(rng, 0.1, 2),
            actor=assessor,
            provider=provider,
            channels=channels,
        )
    )
    receipt = rng.random()
    if receipt < 0.98:
        late = receipt >= 0.94
        when = max(case.now, elapsed(sent_at, timedelta(days=rng.uniform(3, 5))))
        case.now = when if late else case.later(rng, 0.5, 6)
        case.take(
            up.AssignmentReceiptConfirmed(
                case=number,
                at=case.now,
                actor=staff[Role.PROVIDER],
                provider=provider,
                channel=Channel.EMAIL if receipt < 0.02 else Channel.SYSTEM_MESSAGE,
            )
        )
    for intervention in interventions:
        at = case.later(rng, 12, 72)
        started = at.date()
        if rng.random() < 0.05:
            started = (at - timedelta(days=rng.randrange(3, 7))).date()
        if intervention is up.Intervention.SAFETY_ALARM:
            request: Any = up.AlarmInstalled(
                case=number, at=at, actor=staff[Role.ALARM_INSTALLER], installed_on=started
            )
        else:
            request = up.InterventionExecuted(
                case=number,
                at=at,
                actor=staff[Role.PROVIDER],
                intervention=intervention,
                started_on=started,
            )
        case.take(request)
    if rng.random() < 0.25:
        admitted = case.later(rng, 24, 24 * 60)
        night = up.is_night(admitted)
        witness = staff[Role.NIGHT_PATROL] if night else staff[Role.PROVIDER]
        take_told(
            up.AdmittedToHospital(case=number, at=admitted, actor=witness, stay=f"{number}-s1")
        )
        take_told(
            up.HomeFromHospital(
                case=number,
                at=case.later(rng, 48, 240),
                actor=staff[Role.PROVIDER],
                stay=f"{number}-s1",
            )
        )
    if up.Intervention.SAFETY_ALARM in case.state.interventions and rng.random() < 0.1:
        take_told(
            up.AlarmReturned(
                case=number,
                at=case.later(rng, 24 * 30, 24 * 300),
                actor=staff[Role.ALARM_INSTALLER],
                reason=rng.choice(list(up.ReturnReason)),
            )
        )
    if rng.random() < 0.3:
        case.take(
            up.AssignmentClosed(case=number, at=case.later(rng, 24 * 30, 24 * 300), actor=assessor)
        )
    return case.events


Builder = Callable[[random.Random, str, datetime], list[Event]]

BUILDERS: Final[dict[str, Builder]] = {
    "VAL": provider_choice_case,
    "OV": outpatient_case,
    "DV": day_activity_case,
    "HC": patient_allocation_case,
    "UP": assignment_dispatch_case,
}
"""One case of each routine the log covers, by routine code."""


def cases(events: int, seed: int, codes: Sequence[str] | None = None) -> Iterator[list[Event]]:
    """Yield cases, each a list of events, until about ``events`` events are made."""
    rng = random.Random(seed)
    chosen = list(codes or BUILDERS)
    made = 0
    number = 0
    while made < events:
        code = chosen[number % len(chosen)]
        start = FIRST + timedelta(minutes=rng.randrange(60 * 24 * 300))
        history = BUILDERS[code](rng, f"{code}-{number:07d}", start)
        made += len(history)
        number += 1
        yield history


def write_log(path: str, events: int, seed: int, codes: Sequence[str] | None = None) -> int:
    """Write a log of about ``events`` events, the cases interleaved by recording time.

    A case's lines stay in their recording order; the cases are merged as a system
    writing as things happen would write them.
    """
    histories = list(cases(events, seed, codes))
    merged = sorted(
        (event for history in histories for event in history),
        key=lambda e: (e.recorded_at or e.at).timestamp(),
    )
    return dump_events(merged, path)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write an example log of the routines.")
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--output", required=True)
    args = parser.parse_args(argv)
    written = write_log(args.output, args.events, args.seed)
    print(f"{written} events written", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
