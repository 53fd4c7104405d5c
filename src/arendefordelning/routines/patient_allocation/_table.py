"""Routine HC's table of steps (rutinens tabell), its functions and its views across cases."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Final

import attrs

from ..._time import UTC, as_stockholm
from ..._validators import describe
from ...errors import InvalidInput
from ...kernel import Event, Routine, Suspension, stopped_time
from ._events import (
    DEFAULT_POLICY,
    ROUTINE,
    BothTimesDeclined,
    CaseAllocated,
    OfferTimes,
    PatientAllocationEvent,
    PatientAllocationPolicy,
    PatientAvailableAgain,
    PatientChosenWaitingRegistered,
    PlacedOnFictiveResource,
    PlanningBasisCommented,
    PlanningBasisLinked,
    StaffMemberContacted,
    SummonsSent,
    TeamNoteWritten,
    TelephoneNoteWritten,
    TimeAccepted,
    TimesOffered,
    WaitingMeasure,
)
from ._rules import (
    ADMINISTRATORS,
    ALLOCATORS,
    AWAITING_ANSWER,
    AWAITING_OFFER,
    BOOK,
    COMMENT,
    COMMENT_DUE,
    CONTACT_FIRST,
    DIGITAL_OR_PAPER,
    LINKED_FIRST,
    NOT_BOOKED,
    OFFERED_TIME,
    REALLOCATE,
    REGISTER_WAITING,
    SEND_SUMMONS,
    STAFF,
    SUMMON,
    TEAM_NOTE,
    TEAM_NOTE_DUE,
    TELEPHONE_NOTE,
    UNNOTED,
    UNREGISTERED,
    WAITING,
    allocated,
    available,
    build_offer,
    declined,
    registered,
    rows,
)
from ._state import FictiveResource, PatientAllocationState, describe_state, initial_state


def _placed(
    state: PatientAllocationState, event: PlacedOnFictiveResource, policy: PatientAllocationPolicy
) -> dict[str, object]:
    """HC-1, HC-2: the fictive resource holds the case, with its triage priority."""
    return {
        "first": state.first or event,
        "fictive": FictiveResource(name=event.resource, intervention=event.intervention),
        "allocation": None,
        "intervention": event.intervention,
        "triage": event.triage,
        "team_note_due": False,
        "comment_due": False,
        "offer": None,
        "declined": False,
    }


# The table, one row per step, laid out as a table (the formatter would give a row a
# line per argument).
# fmt: off
STEPS: Final = (
    rows.step("place", PlacedOnFictiveResource, requirements=("HC-1", "HC-2", "HC-9"),
              roles=ALLOCATORS,
              label=("placera ärendet på en fiktiv resurs", "place the case on a fictive resource"),
              when=NOT_BOOKED, once=False, apply=_placed),
    rows.step("contact", StaffMemberContacted, requirements=("HC-4",), roles=ALLOCATORS,
              label=("kontakta medarbetaren inför fördelningen",
                     "contact the staff member before the allocation"),
              when=NOT_BOOKED, once=False,
              apply=lambda s, e, p: {"contacted": s.contacted | {e.staff_id}}),
    rows.step("allocate", CaseAllocated, requirements=("HC-1", "HC-3", "HC-4", "HC-5", "HC-6"),
              roles=ALLOCATORS,
              label=("fördela ärendet till en medarbetare", "allocate the case to a staff member"),
              when=NOT_BOOKED, once=False, flags=(CONTACT_FIRST,),
              opens=(SUMMON, TEAM_NOTE, COMMENT), apply=allocated),
    rows.step("team_note", TeamNoteWritten, requirements=("HC-6",), roles=ALLOCATORS,
              label=("skriva teamanteckningen", "write the team note"),
              after=("allocate",), when=TEAM_NOTE_DUE, once=False,
              apply=lambda s, e, p: {"team_note_due": False}),
    rows.step("comment", PlanningBasisCommented, requirements=("HC-6",), roles=ALLOCATORS,
              label=("skriva fördelad namn i planeringsunderlaget",
                     "write the allocated name in the planning basis"),
              after=("allocate",), when=COMMENT_DUE, once=False,
              apply=lambda s, e, p: {"comment_due": False}),
    rows.step("offer", TimesOffered, command=OfferTimes, build=build_offer,
              requirements=("HC-5", "HC-7"), roles=STAFF,
              label=("erbjuda två alternativa tider", "offer two alternative times"),
              after=("allocate",), when=AWAITING_OFFER, once=False,
              apply=lambda s, e, p: {"offer": e}),
    rows.step("accept", TimeAccepted, requirements=("HC-8",), roles=STAFF,
              label=("registrera att patienten tackar ja till en tid",
                     "record that the patient accepts a time"),
              after=("offer",), when=AWAITING_ANSWER, checks=(OFFERED_TIME,),
              opens=(BOOK, TELEPHONE_NOTE),
              apply=lambda s, e, p: {"accepted": e, "unnoted": s.unnoted + 1}),
    rows.step("decline", BothTimesDeclined, requirements=("HC-9",), roles=STAFF,
              label=("registrera att patienten tackar nej till båda tiderna",
                     "record that the patient declines both times"),
              after=("offer",), when=AWAITING_ANSWER, once=False,
              opens=(REGISTER_WAITING, REALLOCATE, TELEPHONE_NOTE), apply=declined),
    rows.step("note", TelephoneNoteWritten, requirements=("HC-10",), roles=STAFF,
              label=("journalföra i anteckning Telefon", "write the telephone note"),
              after_any=("accept", "decline"), when=UNNOTED, once=False,
              apply=lambda s, e, p: {"unnoted": s.unnoted - 1}),
    rows.step("register_waiting", PatientChosenWaitingRegistered, requirements=("HC-9",),
              roles=ADMINISTRATORS,
              label=("sätta upp patienten på patientvald väntan",
                     "put the patient on patient-chosen waiting"),
              after=("decline",), when=UNREGISTERED, once=False,
              apply=lambda s, e, p: registered(s)),
    rows.step("available", PatientAvailableAgain, requirements=("HC-9",),
              roles=(*ALLOCATORS, *ADMINISTRATORS),
              label=("registrera att patienten är tillgänglig igen",
                     "record that the patient is available again"),
              after=("decline",), when=WAITING, once=False, apply=lambda s, e, p: available(s, e)),
    rows.step("link", PlanningBasisLinked, requirements=("HC-8", "HC-11"), roles=ADMINISTRATORS,
              label=("koppla planeringsunderlaget till besöksbokningen",
                     "link the planning basis to the visit booking"),
              after=("accept",), opens=(SEND_SUMMONS,), apply=lambda s, e, p: {"linked": True}),
    rows.step("summon", SummonsSent, requirements=("HC-11",), roles=ADMINISTRATORS,
              label=("skicka kallelse", "send the summons"),
              after=("accept",), flags=(LINKED_FIRST, DIGITAL_OR_PAPER), terminal=True,
              apply=lambda s, e, p: {"summons": e}),
)
# fmt: on

PATIENT_ALLOCATION: Final[
    Routine[PatientAllocationState, PatientAllocationEvent, PatientAllocationPolicy]
] = Routine(
    code=ROUTINE,
    title="Fördelning av ärenden",
    title_en="Allocation of patient cases",
    initial=initial_state,
    policy=DEFAULT_POLICY,
    steps=STEPS,
    describe=describe_state,
)
"""Routine HC's life as a table of steps, with the routine's own numbers (HC-1…HC-13)."""

COMMANDS: Final = PATIENT_ALLOCATION.commands
"""Every class :func:`decide` takes (a step's event, or its command), in the routine's order."""
EVENTS: Final = PATIENT_ALLOCATION.events
"""Every event type of routine HC, in the order of the routine."""


# --------------------------------------------------------------------------- the functions

decide: Final = PATIENT_ALLOCATION.decide
"""Decide a request of routine HC (an event or command): the event, or a refusal, X-2, HC-12."""
evolve: Final = PATIENT_ALLOCATION.evolve
"""Fold one event of routine HC into a state, X-1."""
replay: Final = PATIENT_ALLOCATION.replay
"""Fold a case's events into its state; ``strict=False`` keeps anomalies instead, X-1."""
required_actions: Final = PATIENT_ALLOCATION.required_actions
"""Return what must happen next in an HC case (åtgärder), for whom, how and by when."""
deviations: Final = PATIENT_ALLOCATION.deviations
"""Return the deviations of an HC case as recorded by ``as_of``, X-5, HC-13.

Each carries what a deviation report needs (case, requirement, what was due, what
happened), ready for the organisation's deviation system."""
deviations_of: Final = PATIENT_ALLOCATION.deviations_of
"""Return the deviations of the HC events recorded by ``as_of``, every case, X-5, HC-13."""
allowed_commands: Final = PATIENT_ALLOCATION.allowed_commands
"""Return the requests the state of an HC case allows, whatever the actor's role."""
is_terminal: Final = PATIENT_ALLOCATION.is_terminal
"""Whether the case has ended: the summons is sent (HC-11)."""


# --------------------------------------------------------------------------- waiting time


@attrs.frozen(kw_only=True)
class WaitingTime:
    """A case's waiting time (väntetid), with and without patient-chosen waiting, HC-9.

    The national waiting-time statistics report both. Laws: neither is negative, and
    the time without patient-chosen waiting never exceeds the total.
    """

    total: timedelta
    """From the case's first step to the moment asked (or the start booked, if earlier)."""
    excluding_patient_chosen: timedelta
    """The total less the patient-chosen waiting in it."""


@attrs.frozen(kw_only=True)
class QueueEntry:
    """A case in the queue (kö) of a fictive resource, HC-2."""

    case: str
    """The case number."""
    resource: str
    """The fictive resource holding it."""
    intervention: str
    """The kind of intervention the queue is for (insats)."""
    triage: int
    """The triage priority, 1 the most urgent."""
    waiting: WaitingTime
    """The case's waiting time as of the moment the queue was built."""


_WAITING_REASON: Final = "patientvald väntan"


def _state(state: object) -> PatientAllocationState:
    if not isinstance(state, PatientAllocationState):
        raise InvalidInput(f"state must be a PatientAllocationState, not {describe(state)}")
    return state


def _policy(policy: object) -> PatientAllocationPolicy:
    if policy is None:
        return DEFAULT_POLICY
    if not isinstance(policy, PatientAllocationPolicy):
        raise InvalidInput(
            f"policy must be a PatientAllocationPolicy or None, not {describe(policy)}"
        )
    return policy


def patient_chosen_waiting(state: PatientAllocationState) -> tuple[Suspension, ...]:
    """Return the case's patient-chosen waiting (patientvald väntan) as dated suspensions, HC-9.

    Each spell runs from the decline of both times offered until the step saying the
    patient is available again or, where the policy in force at the allocation chose
    so (:attr:`WaitingEnd.AVAILABLE_OR_ALLOCATED`), the next allocation to an actual
    resource, whichever was recorded first; a spell nothing has ended is open
    (``end=None``).

    Raises:
        InvalidInput: for a state that is not an HC case's.
    """
    found: list[Suspension] = []
    for spell in _state(state).spells:
        start = spell.declined.at
        ends = [step.at for step in (spell.available, spell.allocated) if step is not None]
        end = min(ends, key=lambda moment: moment.astimezone(UTC)) if ends else None
        if end is not None and end.astimezone(UTC) < start.astimezone(UTC):
            end = start  # a lenient log may hold an end dated before its start
        found.append(Suspension(start=start, end=end, reason=_WAITING_REASON))
    return tuple(found)


def waiting_time(state: PatientAllocationState, *, as_of: datetime) -> WaitingTime:
    """Return a case's waiting time (väntetid), with and without patient-chosen waiting, HC-9.

    From the case's first step (placed on a fictive resource, or allocated) until
    ``as_of``, or until the start of treatment booked (HC-8) if that comes first; the
    time without patient-chosen waiting leaves out every spell of it in that span.
    A case with no step yet, or asked about before its first step, has waited no time.

    Raises:
        InvalidInput: for a state that is not an HC case's or a naive ``as_of``.
    """
    case = _state(state)
    moment = as_stockholm(as_of, "as_of").astimezone(UTC)
    if case.first is None:
        return WaitingTime(total=timedelta(0), excluding_patient_chosen=timedelta(0))
    start = case.first.at.astimezone(UTC)
    end = moment
    if case.accepted is not None:
        end = min(end, case.accepted.start.astimezone(UTC))
    if end <= start:
        return WaitingTime(total=timedelta(0), excluding_patient_chosen=timedelta(0))
    total = end - start
    stopped = stopped_time(start, end, patient_chosen_waiting(case))
    return WaitingTime(total=total, excluding_patient_chosen=total - stopped)


# --------------------------------------------------------------------------- the queue


def queue(
    events: Iterable[Event],
    *,
    as_of: datetime,
    policy: PatientAllocationPolicy | None = None,
) -> tuple[QueueEntry, ...]:
    """Return the queue (kö) of the cases on fictive resources, as recorded by ``as_of``, HC-2.

    A pure view over the record: folds every HC case of ``events`` with the kernel's
    :meth:`~arendefordelning.Routine.fold` (grouped by case, in the canonical order,
    leniently; events of other routines are left out), keeps the cases a fictive
    resource holds (HC-1), and orders them by ``policy.queue``: by default triage
    priority first (1 first), then the longest waiting time without patient-chosen
    waiting, then the case number. The order is total and deterministic; any order of
    the same events gives the same queue.

    Raises:
        InvalidInput: for ``events`` that are not an iterable of events, a naive
            ``as_of``, or a policy of another kind.
    """
    rule = _policy(policy).queue
    moment = as_stockholm(as_of, "as_of")
    entries: list[QueueEntry] = []
    for case, state in PATIENT_ALLOCATION.fold(events, as_of=moment).items():
        fictive = state.fictive
        if fictive is None or state.triage is None or is_terminal(state):
            continue
        entries.append(
            QueueEntry(
                case=case,
                resource=fictive.name,
                intervention=fictive.intervention,
                triage=state.triage,
                waiting=waiting_time(state, as_of=moment),
            )
        )

    def waited(entry: QueueEntry) -> timedelta:
        if rule.waiting is WaitingMeasure.TOTAL:
            return entry.waiting.total
        return entry.waiting.excluding_patient_chosen

    if rule.triage_first:
        entries.sort(key=lambda entry: (entry.triage, -waited(entry), entry.case))
    else:
        entries.sort(key=lambda entry: (-waited(entry), entry.triage, entry.case))
    return tuple(entries)
