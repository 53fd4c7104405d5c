"""Routine HC's events (händelse), its command, closed sets and policy, HC-1…HC-12.

Each step of the routine is requested with its event: the embedding system reports
what happened (``CaseAllocated(case=..., at=..., actor=..., staff_id=..., title=...,
name=..., intervention=..., occasion=...)``) and the routine checks that it may be
recorded. One step has a command instead, because the routine completes its record
from the case and checks it against the policy in force: :class:`OfferTimes` (HC-7),
whose event :class:`TimesOffered` names the staff member the case is allocated to.

An event's own checks, which need nothing but the event, are its validators: an
offer's times are distinct and later than the offer (HC-7), the team leader's summon
date is not before the allocation (HC-5). The checks that need the case are declared
on the step (see the routine's table).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, ClassVar, Final

import attrs

from ..._time import UTC, as_stockholm
from ..._validators import (
    check_name,
    describe,
    flag,
    instance_of,
    optional_plain_date,
    whole_number,
)
from ...deadlines import SummonPolicy
from ...errors import InvalidInput
from ...kernel import Channel, Command, Event, RoutinePolicy, identifier

ROUTINE: Final = "HC"

_TRIAGE_LEVELS: Final = 9
"""The most triage levels a unit's scale has (1 is the most urgent)."""
_MOST_TIMES: Final = 10
"""The most times a policy may ask to be offered."""


# --------------------------------------------------------------------------- closed sets


class Occasion(enum.Enum):
    """Occasion of an allocation (tillfälle för fördelning), HC-3."""

    TREATMENT_CONFERENCE = "behandlingskonferens"
    """At a treatment conference (behandlingskonferens)."""
    OTHER = "annat tillfälle"
    """At another occasion (annat tillfälle)."""


class Recipient(enum.Enum):
    """Who is contacted or summoned (patienten och/eller vårdnadshavaren), HC-7, HC-11."""

    PATIENT = "patienten"
    """The patient (patienten)."""
    GUARDIAN = "vårdnadshavaren"
    """The guardian (vårdnadshavaren)."""
    BOTH = "patienten och vårdnadshavaren"
    """The patient and the guardian."""


class WaitingEnd(enum.Enum):
    """What ends patient-chosen waiting (patientvald väntan), HC-9.

    The waiting starts when the patient declines both times offered; it ends at a
    recorded step saying the patient is available again, or, with
    :attr:`AVAILABLE_OR_ALLOCATED`, at the next allocation to an actual resource if
    that comes first.
    """

    AVAILABLE_OR_ALLOCATED = "tillgänglig eller fördelad"
    """At the step saying the patient is available again, or the next allocation."""
    AVAILABLE_ONLY = "tillgänglig"
    """Only at the step saying the patient is available again."""


class WaitingMeasure(enum.Enum):
    """Which waiting time orders the queue (väntetid), HC-2."""

    EXCLUDING_PATIENT_CHOSEN = "exklusive patientvald väntan"
    """The waiting time without patient-chosen waiting."""
    TOTAL = "total väntetid"
    """The whole waiting time, patient-chosen waiting included."""


# --------------------------------------------------------------------------- policy


def _offered_times(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    whole_number(attribute.name, value, 1, _MOST_TIMES)


@attrs.frozen
class QueueOrderPolicy:
    """Queue order (köordning) of the cases on fictive resources, HC-2.

    By default triage priority first (1, the most urgent, first), then the longest
    waiting time without patient-chosen waiting, then the case number: a total order.
    """

    triage_first: bool = attrs.field(default=True, validator=flag)
    """Order by triage priority before waiting time (False: waiting time first). HC-2."""
    waiting: WaitingMeasure = attrs.field(
        default=WaitingMeasure.EXCLUDING_PATIENT_CHOSEN, validator=instance_of(WaitingMeasure)
    )
    """The waiting time that orders the queue, longest first: without patient-chosen
    waiting (the default) or the total. HC-2, HC-9."""


@attrs.frozen
class PatientAllocationPolicy(RoutinePolicy):
    """Parameters of routine HC (rutinens parametrar), with their validity period, X-4.

    The defaults are the routine's: the patient is summoned within three weeks of the
    allocation, rolled forward to a working day (HC-5), with two alternative times
    (HC-7); patient-chosen waiting ends when the patient is available again or at the
    next allocation (HC-9); the queue is ordered by triage priority, then waiting
    time, then case number (HC-2).
    """

    summon: SummonPolicy = attrs.field(factory=SummonPolicy, validator=instance_of(SummonPolicy))
    """Three weeks from the allocation to the summons, rolled forward. HC-5."""
    offered_times: int = attrs.field(default=2, validator=_offered_times)
    """How many alternative times the staff member offers (två alternativa tider). HC-7, X-4."""
    waiting_ends: WaitingEnd = attrs.field(
        default=WaitingEnd.AVAILABLE_OR_ALLOCATED, validator=instance_of(WaitingEnd)
    )
    """What ends patient-chosen waiting besides the patient being available again. HC-9."""
    queue: QueueOrderPolicy = attrs.field(
        factory=QueueOrderPolicy, validator=instance_of(QueueOrderPolicy)
    )
    """How the queue of cases on fictive resources is ordered. HC-2."""


DEFAULT_POLICY: Final = PatientAllocationPolicy()


# --------------------------------------------------------------------------- checks of one event


def _name(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    check_name(attribute.name, value)


def _triage(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """HC-2: a triage priority from 1 (the most urgent) to 9."""
    whole_number(attribute.name, value, 1, _TRIAGE_LEVELS)


def _summon_by(instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    """HC-5: the team leader's own date lies on or after the day of the allocation."""
    optional_plain_date(instance, attribute, value)
    if value is not None and value < instance.at.date():
        raise InvalidInput(
            "summon_by must not be before the day of the allocation (at): the team "
            "leader's date replaces three weeks from it (HC-5)"
        )


def _times(value: object) -> tuple[datetime, ...]:
    """Take the offered times as a tuple of Stockholm times, in the order given (HC-7)."""
    if isinstance(value, str | bytes | datetime) or not isinstance(value, Iterable):
        raise InvalidInput(
            "times must be an iterable of timezone-aware datetimes (a tuple or list), "
            f"not {describe(value)}"
        )
    return tuple(as_stockholm(item, "each of times") for item in value)


def _an_offer(instance: Any, attribute: attrs.Attribute[Any], value: tuple[datetime, ...]) -> None:
    """HC-7: alternative times, each once and each later than the offer; else it is no offer."""
    instants = [moment.astimezone(UTC) for moment in value]
    if not instants:
        raise InvalidInput("times must hold the times offered, two by the routine (HC-7)")
    if len(set(instants)) != len(instants):
        raise InvalidInput("times must be alternatives: each time once (HC-7)")
    offered = instance.at.astimezone(UTC)
    if any(moment <= offered for moment in instants):
        raise InvalidInput("times must each be later than the offer (at) (HC-7)")


def _start(value: object) -> datetime:
    return as_stockholm(value, "start")


# --------------------------------------------------------------------------- events


@attrs.frozen(kw_only=True)
class PatientAllocationEvent(Event):
    """Event of routine HC (händelse): every event below is one, with actor, role and time, HC-12.

    Every step of the routine is recorded as one, so that the allocation can be
    followed afterwards in the journal and the planning system: who took the step
    (``actor``, with the role acted in), when it happened (``at``) and when it was
    recorded.
    """

    routine: ClassVar[str] = ROUTINE


@attrs.frozen(kw_only=True)
class PlacedOnFictiveResource(PatientAllocationEvent):
    """Case placed on a fictive resource (fiktiv resurs): queued for an intervention, HC-1, HC-2.

    A case that cannot be allocated at once waits on a fictive resource, a named queue
    placeholder per kind of intervention, until it is allocated to an actual one.
    Placing a case held by another fictive resource moves it there; placing a case
    held by a staff member returns it to the queue (HC-9). The triage priority orders
    the queue (HC-2).
    """

    resource: str = attrs.field(validator=_name)
    """The fictive resource's name (``"Väntelista utredning"``)."""
    intervention: str = attrs.field(validator=_name)
    """The kind of intervention the queue is for (insats: ``"utredning"``)."""
    triage: int = attrs.field(validator=_triage)
    """The triage priority by the unit's governing documents, 1 the most urgent."""


@attrs.frozen(kw_only=True)
class StaffMemberContacted(PatientAllocationEvent):
    """Staff member contacted (kontakt med medarbetaren) before the allocation, HC-4."""

    staff_id: str = attrs.field(validator=identifier)
    """The staff member contacted, by staff id."""


@attrs.frozen(kw_only=True)
class CaseAllocated(PatientAllocationEvent):
    """Case allocated (ärendet fördelas) to an actual resource, a staff member, HC-1, HC-3…HC-6.

    Taken by the care unit manager or a team leader, at a treatment conference or
    another occasion. The staff member is expected to summon the patient within three
    weeks, or by the team leader's own date (``summon_by``, HC-5). The allocation
    gives the team note and the planning basis's comment word for word (HC-6:
    :func:`team_note`, :func:`planning_comment`).
    """

    staff_id: str = attrs.field(validator=identifier)
    """The staff member allocated to, by staff id."""
    title: str = attrs.field(validator=_name)
    """The staff member's title (``"Leg. psykolog"``)."""
    name: str = attrs.field(validator=_name)
    """The staff member's name (``"Anna Berg"``)."""
    intervention: str = attrs.field(validator=_name)
    """What the case is allocated for (insats: ``"utredning"``)."""
    occasion: Occasion = attrs.field(validator=instance_of(Occasion))
    """Where the allocation was made (HC-3)."""
    summon_by: date | None = attrs.field(default=None, validator=_summon_by)
    """The team leader's own date to summon the patient by, replacing three weeks (HC-5)."""


@attrs.frozen(kw_only=True)
class TeamNoteWritten(PatientAllocationEvent):
    """Team note written (teamanteckning) in the journal: to whom and for what, HC-6."""


@attrs.frozen(kw_only=True)
class PlanningBasisCommented(PatientAllocationEvent):
    """Allocated name written (fördelad namn) in the planning basis's comment field, HC-6."""


@attrs.frozen(kw_only=True)
class TimesOffered(PatientAllocationEvent):
    """Times offered (två alternativa tider) to the patient and/or guardian, HC-5, HC-7.

    The staff member contacts the patient and/or the guardian and offers alternative
    times for the start of treatment or assessment: each once and each later than the
    offer (an offer that is not is no offer, and is refused). Recorded through
    :class:`OfferTimes`, which names the staff member the case is allocated to. The
    offer meets the allocation's summon deadline (HC-5).
    """

    times: tuple[datetime, ...] = attrs.field(converter=_times, validator=_an_offer)
    """The times offered (Stockholm time), in the order offered."""
    to: Recipient = attrs.field(validator=instance_of(Recipient))
    """Who was contacted."""
    channel: Channel = attrs.field(default=Channel.TELEPHONE, validator=instance_of(Channel))
    """How the patient and/or guardian was contacted (by telephone by default)."""
    staff_id: str = attrs.field(validator=identifier)
    """The staff member the case is allocated to, whose offer it is."""


@attrs.frozen(kw_only=True)
class TimeAccepted(PatientAllocationEvent):
    """Time accepted (patienten tackar ja) by the patient: one of the times offered, HC-8.

    The start of treatment is booked: the care administrator or the administrative
    resource is told through the task list to start treatment and book the visit.
    """

    start: datetime = attrs.field(converter=_start)
    """The time accepted: one of the times offered, still ahead."""


@attrs.frozen(kw_only=True)
class BothTimesDeclined(PatientAllocationEvent):
    """Both times declined (patienten tackar nej till båda tiderna): patient-chosen waiting, HC-9.

    Patient-chosen waiting starts; the administrator is told through the task list
    to register it, and the case returns to the team leader for allocation to a
    fictive or an actual resource.
    """


@attrs.frozen(kw_only=True)
class TelephoneNoteWritten(PatientAllocationEvent):
    """Telephone note written (anteckning Telefon): the agreements made with the patient, HC-10."""


@attrs.frozen(kw_only=True)
class PatientChosenWaitingRegistered(PatientAllocationEvent):
    """Patient-chosen waiting registered (patientvald väntan) in the planning system, HC-9."""


@attrs.frozen(kw_only=True)
class PatientAvailableAgain(PatientAllocationEvent):
    """Patient available again (patienten är tillgänglig igen): the waiting ends, HC-9."""


@attrs.frozen(kw_only=True)
class PlanningBasisLinked(PatientAllocationEvent):
    """Planning basis linked (planeringsunderlaget kopplat) to the visit booking, HC-8, HC-11."""


@attrs.frozen(kw_only=True)
class SummonsSent(PatientAllocationEvent):
    """Summons sent (kallelse skickad) to the patient and/or guardian, digital or paper, HC-11."""

    channel: Channel = attrs.field(validator=instance_of(Channel))
    """How it was sent: digitally (DIGITAL) or on paper (LETTER)."""
    to: Recipient = attrs.field(validator=instance_of(Recipient))
    """Who was summoned."""


# --------------------------------------------------------------------------- the command


@attrs.frozen(kw_only=True)
class PatientAllocationCommand(Command):
    """Command of routine HC (kommando): a step whose event the routine completes, X-2."""


@attrs.frozen(kw_only=True)
class OfferTimes(PatientAllocationCommand):
    """Offer the patient alternative times (erbjuda två alternativa tider), HC-7.

    The routine records the offer as the offer of the staff member the case is
    allocated to, and refuses an offer of another number of times than the policy in
    force asks (two by default) as bad input: it is not an offer.
    """

    times: tuple[datetime, ...] = attrs.field(converter=_times, validator=_an_offer)
    """The times offered: each once, each later than the offer (``at``)."""
    to: Recipient = attrs.field(validator=instance_of(Recipient))
    """Who is contacted: the patient, the guardian, or both."""
    channel: Channel = attrs.field(default=Channel.TELEPHONE, validator=instance_of(Channel))
    """How the patient and/or guardian is contacted (by telephone by default)."""
