"""Day activity (fördelning av ärenden på dagverksamhet): routine DV's life, as a table of steps.

*Rutin för fördelning av ärenden i Treserva på dagverksamhet*: the authority's social
worker (socialsekreterare) or needs assessor sends the assignment of day activity to a
city district (stadsområde, DV-1); the district's assignment receivers
(uppdragsmottagare) review incoming assignments every day (DV-5: one not reviewed by the
end of the next working day is a deviation), contact the individual and/or relatives
when the assignment needs clarification (DV-6: it then waits, outside the placement
plan), and place it at a day centre of the district on the weekdays granted (DV-1,
DV-7) or, with the receivers of another district, offer a place there and ask the
social worker to send the assignment over; the new district then places as usual
(DV-8). The individual starts at the centre, and the case ends when the individual
leaves (the place is then free again). A request no centre can take is the unit
manager's (enhetschef) to follow up: the unit manager answers for assignments being
distributed (DV-4). A day-centre staff member standing in for an absent receiver acts
in the receiver's role, and the record says for whom (DV-3).

The routine is a table of steps (:data:`DAY_ACTIVITY`, a
:class:`~arendefordelning.Routine`). Each step is requested with its event: the
embedding system reports what happened (``AssignmentReviewed(case=..., at=...,
actor=...)``) and :func:`decide` checks that it may be recorded. Three steps of DV-8
have a command instead, because the routine completes their record from the case:
:class:`ProposeOtherDistrict` (the district the case leaves),
:class:`AskSocialWorkerToSend` and :class:`SendToOtherDistrict` (the district offered).
The module functions :func:`decide`, :func:`evolve`, :func:`replay`,
:func:`required_actions`, :func:`deviations`, :func:`deviations_of`,
:func:`allowed_commands` and :func:`is_terminal` are the routine's, and
:func:`review_due_of` gives DV-5's due time. Record, then judge: a late review is
recorded and :func:`deviations` shows it (X-5), judged as it was known at any moment;
refused, recording nothing, are a role the routine does not name (X-2), a step that
makes no sense yet (placing before the assignment was received, starting before it was
placed), placing an assignment that awaits clarification (DV-6) or on more weekdays
than granted (DV-1), offering a place in the case's own district (DV-8), and bad input.

The places the centres hold are derived from the record across cases, as VAL's
rotation list is: :func:`occupancy_of` folds every case's events
(:meth:`~arendefordelning.Routine.fold`, in one canonical order) and gives what
:func:`~arendefordelning.routines.placement.place` takes as ``occupancy``, and
:func:`request_of` turns a case waiting for a place into the engine's
:class:`~arendefordelning.routines.placement.PlacementRequest`.

The routine checks roles, not identities; :func:`check_staff` checks a request's actor
against a :class:`~arendefordelning.routines.placement.District` (DV-2, DV-3, DV-4)
for an embedding system that knows the district's people.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from typing import Any, ClassVar, Final

import attrs

from .._time import as_stockholm
from .._validators import class_name, describe, instance_of, plain_date, tuple_of, whole_number
from .._validators import reason as free_reason
from ..calendar import WorkCalendar
from ..errors import InvalidInput, NotPermitted
from ..kernel import (
    ActionKind,
    Actor,
    CaseState,
    Check,
    Command,
    DeviationKind,
    Due,
    Event,
    Finding,
    Flag,
    Opened,
    Role,
    Routine,
    RoutinePolicy,
    Step,
    Table,
    check_identifier,
    identifier,
)
from .placement import (
    CrossDistrictCause,
    CrossDistrictProposal,
    District,
    Orientation,
    Placement,
    PlacementRequest,
    Weekday,
)

__all__ = [
    "COMMANDS",
    "DAY_ACTIVITY",
    "EVENTS",
    "ActivityStarted",
    "AskSocialWorkerToSend",
    "AssignmentClarified",
    "AssignmentEnded",
    "AssignmentPlaced",
    "AssignmentReceived",
    "AssignmentReviewed",
    "AssignmentSentToDistrict",
    "ClarificationAsked",
    "Contacted",
    "DayActivityCommand",
    "DayActivityEvent",
    "DayActivityPolicy",
    "DayActivityState",
    "DistributionFollowedUp",
    "NoPlaceRecorded",
    "OtherDistrictProposed",
    "PlaceDay",
    "ProposeOtherDistrict",
    "SendToOtherDistrict",
    "SocialWorkerAskedToSend",
    "Stage",
    "StandIn",
    "allowed_commands",
    "check_staff",
    "decide",
    "deviations",
    "deviations_of",
    "evolve",
    "initial_state",
    "is_terminal",
    "occupancy_of",
    "replay",
    "request_of",
    "required_actions",
    "review_due",
    "review_due_of",
]

ROUTINE: Final = "DV"

_AUTHORITY: Final = frozenset({Role.SOCIAL_WORKER, Role.NEEDS_ASSESSOR})
_RECEIVER: Final = frozenset({Role.ASSIGNMENT_RECEIVER})
_UNIT_MANAGER: Final = frozenset({Role.UNIT_MANAGER})
_CENTRE: Final = frozenset({Role.ASSIGNMENT_RECEIVER, Role.STAFF_MEMBER})
_ENDING: Final = frozenset({Role.ASSIGNMENT_RECEIVER, Role.SOCIAL_WORKER, Role.NEEDS_ASSESSOR})
_MAX_REVIEW_DAYS: Final = 30


# --------------------------------------------------------------------------- closed sets


class PlaceDay(enum.Enum):
    """Weekday of a place (veckodag), Monday to Friday, as the record keeps it, DV-7 (c).

    The values are the Swedish names, which is how the event log writes them; the
    placement engine's :class:`~arendefordelning.routines.placement.Weekday` is
    :attr:`weekday`, and an event takes either.
    """

    MONDAY = "måndag"
    """Monday (måndag)."""
    TUESDAY = "tisdag"
    """Tuesday (tisdag)."""
    WEDNESDAY = "onsdag"
    """Wednesday (onsdag)."""
    THURSDAY = "torsdag"
    """Thursday (torsdag)."""
    FRIDAY = "fredag"
    """Friday (fredag)."""

    @property
    def weekday(self) -> Weekday:
        """The placement engine's weekday (Monday is 0)."""
        return Weekday[self.name]

    @classmethod
    def of(cls, day: Weekday | PlaceDay) -> PlaceDay:
        """Return the place day of an engine weekday; a place day is returned as it is.

        Raises:
            InvalidInput: for anything else.
        """
        if isinstance(day, PlaceDay):
            return day
        if isinstance(day, Weekday):
            return cls[day.name]
        raise InvalidInput(
            f"a weekday must be a Weekday or a PlaceDay, Monday to Friday, not {describe(day)}"
        )


_WEEK: Final = tuple(PlaceDay)


class Contacted(enum.Enum):
    """Who was contacted (vem som kontaktades) to clarify the assignment, DV-6."""

    INDIVIDUAL = "den enskilde"
    """The individual (den enskilde)."""
    RELATIVES = "anhöriga"
    """Relatives (anhöriga)."""
    BOTH = "den enskilde och anhöriga"
    """The individual and relatives."""


# --------------------------------------------------------------------------- validators


def _to_days(value: object) -> tuple[PlaceDay, ...]:
    """Take weekdays (Weekday or PlaceDay values) as a tuple of place days, Monday first."""
    if isinstance(value, str | bytes | enum.Enum) or not isinstance(value, Iterable):
        raise InvalidInput(
            "weekdays must be an iterable of Weekday or PlaceDay values (a tuple or list), "
            f"not {describe(value)}"
        )
    days = [PlaceDay.of(item) for item in value]
    if not days:
        raise InvalidInput("weekdays must name at least one weekday, Monday to Friday")
    if len(set(days)) != len(days):
        raise InvalidInput("weekdays must name each weekday once")
    return tuple(sorted(days, key=_WEEK.index))


def _granted(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Accept the days per week granted: a whole number from 1 to 5, Monday to Friday, DV-1."""
    whole_number(attribute.name, value, 1, len(_WEEK))


def _optional_identifier(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        check_identifier(attribute.name, value)


def _stand_in(instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    """Accept the receiver stood in for: a staff id, named by a receiver, not the actor, DV-3."""
    if value is None:
        return
    check_identifier(attribute.name, value)
    if instance.actor.role is not Role.ASSIGNMENT_RECEIVER:
        raise InvalidInput(
            "stands_in_for is for a day-centre staff member acting in the role of "
            f"assignment receiver (uppdragsmottagare, DV-3), not in the role "
            f"{instance.actor.role.value!r}; leave it None"
        )
    if value == instance.actor.id:
        raise InvalidInput("stands_in_for must name the absent receiver, not the actor (DV-3)")


def _review_days(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if type(value) is not int or not 0 <= value <= _MAX_REVIEW_DAYS:
        raise InvalidInput(
            f"{attribute.name} must be a whole number of working days from 0 (the day of "
            f"receipt) to {_MAX_REVIEW_DAYS}, not "
            f"{value if type(value) is int else describe(value)}"
        )


# --------------------------------------------------------------------------- policy


@attrs.frozen
class DayActivityPolicy(RoutinePolicy):
    """Parameters of routine DV (rutinens parametrar), with their validity period, X-4.

    The defaults are the routine's: an incoming assignment is reviewed by the end of
    the next working day (DV-5, the catalogue's interpretation of "every day"). The
    routine was decided on 2023-03-21 and applies until further notice.
    """

    valid_from: date = attrs.field(default=date(2023, 3, 21), validator=plain_date)
    """First day the parameters apply: the routine's decision, 2023-03-21. X-4."""
    review_within: int = attrs.field(default=1, validator=_review_days)
    """Working days after the day of receipt by whose end the assignment is reviewed.

    1 (the default): by the end of the next working day; 0: by the end of the day of
    receipt (or of the next working day, for one received on a non-working day). DV-5.
    """
    calendar: WorkCalendar = attrs.field(
        factory=WorkCalendar.swedish, validator=instance_of(WorkCalendar)
    )
    """Calendar of working days the review's due day is counted in. DV-5, X-3."""


_DEFAULT_POLICY: Final = DayActivityPolicy()


# --------------------------------------------------------------------------- events


@attrs.frozen(kw_only=True)
class DayActivityEvent(Event):
    """Event of routine DV (händelse): every event below is one, and the request to record it, X-1.

    ``stands_in_for`` names the assignment receiver a day-centre staff member stood in
    for when taking the step, in the role of assignment receiver (DV-3), or None.
    """

    routine: ClassVar[str] = ROUTINE

    stands_in_for: str | None = attrs.field(default=None, validator=_stand_in)
    """The absent assignment receiver the actor stood in for, by staff id, or None. DV-3."""


@attrs.frozen(kw_only=True)
class AssignmentReceived(DayActivityEvent):
    """Assignment received (uppdrag inkommet) in the district from the authority, DV-1.

    What the assignment says for placing it: the district, the decision's orientation,
    the days per week granted and the queue date. DV-5's review is due from it.
    """

    district: str = attrs.field(validator=identifier)
    """The city district (stadsområde) the assignment was sent to, by name. DV-1."""
    orientation: Orientation = attrs.field(validator=instance_of(Orientation))
    """The decision's orientation (inriktning). DV-1, DV-7 (a)."""
    days: int = attrs.field(validator=_granted)
    """Days per week granted, 1 to 5. DV-1, DV-7 (c)."""
    queue_date: date = attrs.field(validator=plain_date)
    """The day the individual entered the queue (kötid). DV-1."""


@attrs.frozen(kw_only=True)
class AssignmentReviewed(DayActivityEvent):
    """Assignment reviewed (uppdraget granskat) by an assignment receiver, DV-5."""


@attrs.frozen(kw_only=True)
class ClarificationAsked(DayActivityEvent):
    """Clarification asked (förtydligande efterfrågat) of the individual and/or relatives, DV-6.

    The assignment then waits for clarification, outside the placement plan.
    """

    contacted: Contacted = attrs.field(validator=instance_of(Contacted))
    """Who was contacted."""


@attrs.frozen(kw_only=True)
class AssignmentClarified(DayActivityEvent):
    """Assignment clarified (uppdraget förtydligat): the answer came, it can be placed, DV-6."""


@attrs.frozen(kw_only=True)
class NoPlaceRecorded(DayActivityEvent):
    """No place (ingen plats): no centre could take the assignment in a placement, DV-1, DV-4.

    It stays in the queue with its queue date; the unit manager follows it up (DV-4).
    """


@attrs.frozen(kw_only=True)
class DistributionFollowedUp(DayActivityEvent):
    """Distribution followed up (fördelningen uppföljd) by the unit manager, DV-4."""


@attrs.frozen(kw_only=True)
class OtherDistrictProposed(DayActivityEvent):
    """Place offered in another district (plats erbjuden i annat stadsområde), DV-8.

    The receivers of both districts cooperated to offer a place there. Recorded through
    :class:`ProposeOtherDistrict`: the routine adds the case's district.
    """

    from_district: str = attrs.field(validator=identifier)
    """The case's district, which asked for the place. DV-8."""
    district: str = attrs.field(validator=identifier)
    """The district that offers the place. DV-8."""
    centre: str | None = attrs.field(default=None, validator=_optional_identifier)
    """The centre with the place, by id, if agreed. DV-8."""
    cause: CrossDistrictCause = attrs.field(validator=instance_of(CrossDistrictCause))
    """Why: no place in the district, the individual's wish, or needs best met there. DV-8."""


@attrs.frozen(kw_only=True)
class SocialWorkerAskedToSend(DayActivityEvent):
    """Social worker asked to send the assignment (socialsekreteraren ombedd att skicka), DV-8.

    Recorded through :class:`AskSocialWorkerToSend`: the routine adds the district offered.
    """

    district: str = attrs.field(validator=identifier)
    """The district the assignment is to be sent to. DV-8."""


@attrs.frozen(kw_only=True)
class AssignmentSentToDistrict(DayActivityEvent):
    """Assignment sent to another district (uppdraget skickat till annat stadsområde), DV-8.

    From then on it is an incoming assignment of the new district: reviewed and placed
    there as usual (DV-5, DV-8). Recorded through :class:`SendToOtherDistrict`: the
    routine adds both districts.
    """

    from_district: str = attrs.field(validator=identifier)
    """The district the assignment leaves. DV-8."""
    district: str = attrs.field(validator=identifier)
    """The district it is sent to. DV-8."""


@attrs.frozen(kw_only=True)
class AssignmentPlaced(DayActivityEvent):
    """Assignment placed (uppdraget fördelat) at a day centre of the district, DV-1, DV-7.

    The centre holds a place on each of ``weekdays`` until the assignment ends.
    """

    centre: str = attrs.field(validator=identifier)
    """The day centre, by id. DV-1."""
    weekdays: tuple[PlaceDay, ...] = attrs.field(converter=_to_days, validator=tuple_of(PlaceDay))
    """The weekdays placed (Weekday or PlaceDay values), Monday first. DV-7 (c)."""

    @classmethod
    def of(
        cls,
        placement: Placement,
        *,
        at: datetime,
        actor: Actor,
        recorded_at: datetime | None = None,
        stands_in_for: str | None = None,
    ) -> AssignmentPlaced:
        """Return the event recording a placement of the placement engine, DV-1, DV-7."""
        if not isinstance(placement, Placement):
            raise InvalidInput(f"placement must be a Placement, not {describe(placement)}")
        return cls(
            case=placement.request,
            at=at,
            actor=actor,
            recorded_at=recorded_at,
            stands_in_for=stands_in_for,
            centre=placement.centre,
            weekdays=placement.days,
        )


@attrs.frozen(kw_only=True)
class ActivityStarted(DayActivityEvent):
    """Day activity started (dagverksamheten påbörjad): the individual came to the centre, DV-1."""


@attrs.frozen(kw_only=True)
class AssignmentEnded(DayActivityEvent):
    """Assignment ended (uppdraget avslutat): the case ends and a held place is free, DV-1."""

    reason: str = attrs.field(default="", validator=free_reason)
    """Why, as noted (free text, may be empty)."""


# --------------------------------------------------------------------------- commands


@attrs.frozen(kw_only=True)
class DayActivityCommand(Command):
    """Command of routine DV (kommando): a DV-8 step whose record the routine completes, X-2.

    A day-centre staff member standing in for an absent assignment receiver issues it
    in the role of assignment receiver and names the receiver in ``stands_in_for``
    (DV-3); the event records it.
    """

    stands_in_for: str | None = attrs.field(default=None, validator=_stand_in)
    """The absent assignment receiver stood in for, by staff id, or None. DV-3."""


@attrs.frozen(kw_only=True)
class ProposeOtherDistrict(DayActivityCommand):
    """Cooperate on a place in another district (samverka om plats i annat stadsområde), DV-8.

    The routine records the case's own district as ``from_district``.
    """

    district: str = attrs.field(validator=identifier)
    """The district that offers the place, by name."""
    centre: str | None = attrs.field(default=None, validator=_optional_identifier)
    """The centre with the place, by id, if agreed."""
    cause: CrossDistrictCause = attrs.field(validator=instance_of(CrossDistrictCause))
    """Why the place is elsewhere."""

    @classmethod
    def of(
        cls,
        proposal: CrossDistrictProposal,
        *,
        at: datetime,
        actor: Actor,
        recorded_at: datetime | None = None,
        stands_in_for: str | None = None,
    ) -> ProposeOtherDistrict:
        """Return the command recording a proposal of the placement engine, DV-8."""
        if not isinstance(proposal, CrossDistrictProposal):
            raise InvalidInput(
                f"proposal must be a CrossDistrictProposal, not {describe(proposal)}"
            )
        return cls(
            case=proposal.request,
            at=at,
            actor=actor,
            recorded_at=recorded_at,
            stands_in_for=stands_in_for,
            district=proposal.district,
            centre=proposal.centre,
            cause=proposal.cause,
        )


@attrs.frozen(kw_only=True)
class AskSocialWorkerToSend(DayActivityCommand):
    """Ask the social worker to send the assignment (meddela socialsekreteraren), DV-8.

    The routine records the district offered.
    """


@attrs.frozen(kw_only=True)
class SendToOtherDistrict(DayActivityCommand):
    """Send the assignment to the new district (skicka uppdraget till det nya stadsområdet), DV-8.

    The routine records the district the assignment leaves and the district offered.
    """


# --------------------------------------------------------------------------- state


class Stage(enum.Enum):
    """Stage of a DV case (skede): where the case stands."""

    NEW = "nytt"
    """Nothing recorded yet."""
    RECEIVED = "inkommet"
    """Received in the district, not yet reviewed (DV-1, DV-5)."""
    WAITING = "i kö"
    """Reviewed, waiting for a place in the district (DV-1, DV-7)."""
    AWAITING_CLARIFICATION = "väntar på förtydligande"
    """Waiting for the individual's or relatives' clarification (DV-6)."""
    PROPOSED_ELSEWHERE = "plats erbjuden i annat stadsområde"
    """A place offered in another district, the assignment not yet sent there (DV-8)."""
    PLACED = "placerat"
    """Placed at a centre, not yet started (DV-1, DV-7)."""
    STARTED = "påbörjat"
    """The individual has started at the centre."""
    ENDED = "avslutat"
    """The assignment has ended; a place it held is free."""


_STAGE_EN: Final = {
    Stage.NEW: "new",
    Stage.RECEIVED: "received",
    Stage.WAITING: "waiting for a place",
    Stage.AWAITING_CLARIFICATION: "awaiting clarification",
    Stage.PROPOSED_ELSEWHERE: "a place offered in another district",
    Stage.PLACED: "placed",
    Stage.STARTED: "started",
    Stage.ENDED: "ended",
}


@attrs.frozen(kw_only=True)
class StandIn:
    """Stand-in (ersättare): a day-centre staff member who took a step for a receiver, DV-3.

    Built by the routine from the events; ``step`` is the step's name in the table.
    """

    step: str
    """The step taken."""
    actor: str
    """The staff member who stood in, by staff id."""
    stands_in_for: str
    """The absent assignment receiver, by staff id."""
    at: datetime
    """When the step was taken."""


@attrs.frozen(kw_only=True, repr=False)
class DayActivityState(CaseState):
    """State of a DV case (ärendets läge), folded from its events; nothing else is stored."""

    district: str | None = None
    """The district the assignment is in now (DV-1; another after DV-8)."""
    sent_from: tuple[str, ...] = ()
    """The districts the assignment was sent on from, in order (DV-8)."""
    orientation: Orientation | None = None
    """The decision's orientation (DV-7 a)."""
    days: int | None = None
    """Days per week granted (DV-7 c)."""
    queue_date: date | None = None
    """The queue date (kötid, DV-1)."""
    received_at: datetime | None = None
    """When the assignment came to its present district (DV-5 counts from it)."""
    reviewed_at: datetime | None = None
    """When a receiver of the present district reviewed it (DV-5)."""
    awaiting_clarification: bool = False
    """Whether it waits for clarification (DV-6)."""
    proposed_district: str | None = None
    """The district a place was offered in and the assignment not yet sent to (DV-8)."""
    proposed_centre: str | None = None
    """The centre of that offer, if agreed (DV-8)."""
    centre: str | None = None
    """The centre it was placed at (DV-1)."""
    weekdays: tuple[PlaceDay, ...] = ()
    """The weekdays placed (DV-7 c)."""
    placed_at: datetime | None = None
    """When it was placed."""
    started_at: datetime | None = None
    """When the individual started at the centre."""
    ended_at: datetime | None = None
    """When the assignment ended."""
    stand_ins: tuple[StandIn, ...] = ()
    """The steps taken by a stand-in, and for whom (DV-3)."""

    @property
    def stage(self) -> Stage:
        """Where the case stands: the first of the stages below that holds."""
        facts = (
            (self.ended_at is not None, Stage.ENDED),
            (self.started_at is not None, Stage.STARTED),
            (self.centre is not None, Stage.PLACED),
            (self.awaiting_clarification, Stage.AWAITING_CLARIFICATION),
            (self.proposed_district is not None, Stage.PROPOSED_ELSEWHERE),
            (self.reviewed_at is not None, Stage.WAITING),
            (self.received_at is not None, Stage.RECEIVED),
        )
        return next((stage for holds, stage in facts if holds), Stage.NEW)

    @property
    def holds_place(self) -> bool:
        """Whether the case holds a place at a centre: placed and not ended (DV-7 c)."""
        return self.centre is not None and self.ended_at is None

    @property
    def waiting(self) -> bool:
        """Whether the case waits for a place: received, neither placed nor ended (DV-1)."""
        return self.received_at is not None and self.centre is None and self.ended_at is None


initial_state: Final = DayActivityState()
"""The state of a DV case before its first event."""


def _describe(state: DayActivityState) -> str:
    stage = state.stage
    return f"{stage.value!r} ({_STAGE_EN[stage]})"


# --------------------------------------------------------------------------- DV-5's due time


def review_due(received: datetime, *, policy: DayActivityPolicy | None = None) -> Due:
    """Return when an incoming assignment must be reviewed (granskning senast nästa vardag), DV-5.

    The receivers review incoming assignments every day; by the catalogue's
    interpretation one not reviewed by the end of the next working day is a deviation.
    The due day is the ``policy.review_within``-th working day after the Stockholm
    day of receipt (with 0: that day, or the next working day if it is none); the
    assignment is due at the Stockholm start of the day after it.

    Laws: the due day is a working day, never before the day of receipt (after it for
    ``review_within`` ≥ 1), and a later receipt never gives an earlier due time.

    Raises:
        InvalidInput: for a naive datetime, a policy that is not a DayActivityPolicy, or
            a day outside the calendar's years.
    """
    moment = as_stockholm(received, "received")
    rule = _policy(policy)
    return Due.on_day(
        "DV-5",
        _review_day(moment.date(), rule.review_within, rule.calendar),
        counted_from=moment,
        since=_RECEIPT,
        rule=_review_words(rule),
    )


def _policy(policy: object) -> DayActivityPolicy:
    if policy is None:
        return _DEFAULT_POLICY
    if not isinstance(policy, DayActivityPolicy):
        raise InvalidInput(f"policy must be a DayActivityPolicy or None, not {describe(policy)}")
    return policy


@functools.lru_cache(maxsize=4096)
def _review_day(received: date, within: int, calendar: WorkCalendar) -> date:
    """Count the review's last day: ``within`` working days after the day of receipt (DV-5)."""
    if within == 0:
        return calendar.roll_forward(received)
    return calendar.add_workdays(received, within)


_RECEIPT: Final = ("inkomsten", "the receipt")
_ARRIVAL: Final = ("ankomsten till stadsområdet", "the arrival in the district")


def _review_words(rule: DayActivityPolicy) -> tuple[str, str]:
    n = rule.review_within
    if n == 0:
        return ("granskning samma vardag", "review the same working day")
    if n == 1:
        return ("granskning senast nästa vardag", "review by the end of the next working day")
    return (f"granskning inom {n} vardagar", f"review within {n} working days")


def review_due_of(
    state: DayActivityState, *, policy: DayActivityPolicy | None = None
) -> Due | None:
    """Return when the case's incoming assignment must be reviewed, while it is not, DV-5.

    From the receipt, or from the arrival in a new district after DV-8; None before the
    receipt, once reviewed (or placed, asked about, offered elsewhere: each reviews it),
    after the end, and when the due day cannot be counted (a receipt at the calendar's
    ends, or a ``policy`` not in force then: :func:`deviations` reports CANNOT_BE_JUDGED).
    """
    if not isinstance(state, DayActivityState):
        raise InvalidInput(f"state must be a DayActivityState, not {describe(state)}")
    _policy(policy)  # refuses a policy of another kind
    for record, due in DAY_ACTIVITY.due_times(state, policy=policy)[::-1]:
        if record.name == "review" and record.open:
            return due
    return None


# --------------------------------------------------------------------------- rules

_rows: Final = Table(DayActivityState, DayActivityPolicy)

_AWAITING: Final = _rows.condition(
    ("uppdraget väntar på förtydligande", "the assignment awaits clarification"),
    lambda state: state.awaiting_clarification,
)
"""DV-6: while the assignment awaits clarification."""
_READY: Final = _rows.condition(
    (
        "inget förtydligande och inget erbjudande i annat stadsområde väntar",
        "no clarification and no offer of a place elsewhere is pending",
    ),
    lambda state: not state.awaiting_clarification and state.proposed_district is None,
)
"""DV-6, DV-8: while no clarification and no offer of a place elsewhere is pending."""


def _clarified_first(state: DayActivityState, event: AssignmentPlaced) -> str | None:
    """DV-6: an assignment awaiting clarification stays outside the placement."""
    if state.awaiting_clarification:
        return (
            "the assignment awaits clarification with the individual and/or relatives and "
            "stays outside the placement until it is clarified"
        )
    return None


def _not_more_than_granted(state: DayActivityState, event: AssignmentPlaced) -> str | None:
    """DV-1: a placement is on no more weekdays than the decision grants."""
    granted = state.days
    if granted is not None and len(event.weekdays) > granted:
        return (
            f"the decision grants {granted} day{'s' if granted != 1 else ''} a week; a "
            f"placement on {len(event.weekdays)} weekdays exceeds it"
        )
    return None


def _elsewhere(state: DayActivityState, event: OtherDistrictProposed) -> str | None:
    """DV-8: the place offered is in another district than the case's own."""
    if event.district == state.district:
        return (
            "a place offered elsewhere must be in another district than the case's own; a "
            "place in the district is recorded as AssignmentPlaced"
        )
    return None


def _as_many_as_granted(
    before: DayActivityState, event: AssignmentPlaced, policy: DayActivityPolicy
) -> Finding | None:
    """DV-7 (c): place on as many weekdays as the decision grants."""
    granted = before.days
    placed = len(event.weekdays)
    if granted is None or placed >= granted:
        return None
    return Finding(
        kind=DeviationKind.INCOMPLETE,
        sv=f"placera på det antal dagar per vecka som beviljats ({granted}), inte {placed}",
        en=f"place on the number of days a week granted ({granted}), not {placed}",
    )


def _envelope(command: DayActivityCommand) -> dict[str, Any]:
    """Copy what every event of a command keeps: case, times, actor, stand-in (X-1, DV-3)."""
    return {
        "case": command.case,
        "at": command.at,
        "recorded_at": command.recorded_at,
        "actor": command.actor,
        "stands_in_for": command.stands_in_for,
    }


def _build_proposal(
    command: ProposeOtherDistrict, state: DayActivityState, policy: DayActivityPolicy
) -> OtherDistrictProposed:
    """DV-8: the offer, from the case's district."""
    assert state.district is not None  # the step comes after the receipt
    return OtherDistrictProposed(
        **_envelope(command),
        from_district=state.district,
        district=command.district,
        centre=command.centre,
        cause=command.cause,
    )


def _build_ask(
    command: AskSocialWorkerToSend, state: DayActivityState, policy: DayActivityPolicy
) -> SocialWorkerAskedToSend:
    """DV-8: the message to the social worker, for the district offered."""
    assert state.proposed_district is not None  # the step comes after the proposal
    return SocialWorkerAskedToSend(**_envelope(command), district=state.proposed_district)


def _build_transfer(
    command: SendToOtherDistrict, state: DayActivityState, policy: DayActivityPolicy
) -> AssignmentSentToDistrict:
    """DV-8: the assignment sent on, from the case's district to the district offered."""
    assert state.district is not None
    assert state.proposed_district is not None
    return AssignmentSentToDistrict(
        **_envelope(command), from_district=state.district, district=state.proposed_district
    )


# Texts read the record's opening event, never the latest state.


def _arrived_in(record: Opened[DayActivityEvent]) -> str:
    """Name the district an assignment arrived in: the receipt's, or the one sent to."""
    event = record.event
    if isinstance(event, AssignmentReceived | AssignmentSentToDistrict):
        return event.district
    return "?"  # pragma: no cover - only those two steps open the obligations reading it


def _review_due(record: Opened[DayActivityEvent], rule: DayActivityPolicy) -> date:
    """DV-5: by the end of the next working day after the receipt or the arrival."""
    return _review_day(record.at.date(), rule.review_within, rule.calendar)


_REVIEW: Final = _rows.obligation(
    "review",
    DayActivityEvent,
    requirement="DV-5",
    roles=Role.ASSIGNMENT_RECEIVER,
    sv=lambda record: f"granska det inkomna uppdraget i stadsområde {_arrived_in(record)}",
    en=lambda record: f"review the incoming assignment in the city district {_arrived_in(record)}",
    met_by=("review", "ask", "no_place", "propose", "place"),
    due=_review_due,
    since=lambda record: _RECEIPT if record.step == "receive" else _ARRIVAL,
    rule=lambda record, rule: _review_words(rule),
)
_DISTRIBUTE: Final = _rows.obligation(
    "distribute",
    DayActivityEvent,
    requirement="DV-1",
    roles=Role.ASSIGNMENT_RECEIVER,
    sv=lambda record: (
        f"fördela uppdraget till en dagverksamhet i stadsområde {_arrived_in(record)}, "
        "med hänsyn till kötid, inriktning, beviljade dagar och den enskildes behov"
    ),
    en=lambda record: (
        f"distribute the assignment to a day centre of the city district "
        f"{_arrived_in(record)}, by queue time, orientation, days granted and the "
        "individual's needs"
    ),
    met_by=("place",),
    void_by=("transfer",),
    when=_READY,
)
_ANSWER: Final = _rows.obligation(
    "clarify",
    ClarificationAsked,
    requirement="DV-6",
    roles=Role.ASSIGNMENT_RECEIVER,
    sv="förtydliga uppdraget med den enskilde och/eller anhöriga och för in svaret",
    en="clarify the assignment with the individual and/or relatives and record the answer",
    met_by=("answer",),
)
_FOLLOW_UP: Final = _rows.obligation(
    "follow_up",
    NoPlaceRecorded,
    requirement="DV-4",
    roles=Role.UNIT_MANAGER,
    sv="se till att ärendet fördelas; det fick ingen plats i fördelningen",
    en="see that the case is distributed; it got no place in the placement",
    met_by=("follow_up",),
    void_by=("place",),
)
_ASK_SOCIAL_WORKER: Final = _rows.obligation(
    "ask_social_worker",
    OtherDistrictProposed,
    requirement="DV-8",
    roles=Role.ASSIGNMENT_RECEIVER,
    kind=ActionKind.MESSAGE,
    sv=lambda record: (
        f"meddela socialsekreteraren att skicka uppdraget till stadsområde {record.event.district}"
    ),
    en=lambda record: (
        f"ask the social worker to send the assignment to the city district {record.event.district}"
    ),
    recipient=Role.SOCIAL_WORKER.value,
    met_by=("ask_transfer", "transfer"),
    void_by=("place",),
)
_SEND: Final = _rows.obligation(
    "send",
    SocialWorkerAskedToSend,
    requirement="DV-8",
    roles=Role.SOCIAL_WORKER,
    sv=lambda record: (
        f"skicka uppdraget till stadsområde {record.event.district} i verksamhetssystemet"
    ),
    en=lambda record: (
        f"send the assignment to the city district {record.event.district} in the case system"
    ),
    met_by=("transfer",),
    void_by=("place",),
)
_START: Final = _rows.obligation(
    "start",
    AssignmentPlaced,
    requirement="DV-1",
    roles=Role.STAFF_MEMBER,
    sv=lambda record: f"ta emot den enskilde på {record.event.centre} och registrera starten",
    en=lambda record: f"receive the individual at {record.event.centre} and record the start",
    met_by=("start",),
)


_Apply = Callable[[DayActivityState, Any, DayActivityPolicy], Mapping[str, Any]]


def _recording_stand_in(step: Step[DayActivityState, DayActivityPolicy]) -> _Apply:
    """Wrap a step's changes with the record of a stand-in, if the step had one (DV-3)."""
    name, apply = step.name, step.apply

    def changes(
        state: DayActivityState, event: DayActivityEvent, policy: DayActivityPolicy
    ) -> Mapping[str, Any]:
        found = apply(state, event, policy) if apply is not None else {}
        if event.stands_in_for is None:
            return found
        stand_in = StandIn(
            step=name, actor=event.actor.id, stands_in_for=event.stands_in_for, at=event.at
        )
        return {**found, "stand_ins": (*state.stand_ins, stand_in)}

    return changes


_NOT_AWAITING: Final = Check(
    "DV-6",
    _clarified_first,
    (
        "fördela inte ett uppdrag som väntar på förtydligande",
        "do not place an assignment that awaits clarification",
    ),
)
_NOT_MORE: Final = Check(
    "DV-1",
    _not_more_than_granted,
    (
        "fördela inte på fler dagar per vecka än som beviljats",
        "do not place on more days a week than granted",
    ),
)
_ELSEWHERE: Final = Check(
    "DV-8",
    _elsewhere,
    (
        "erbjud plats i ett annat stadsområde än ärendets eget",
        "offer a place in another district than the case's own",
    ),
    invalid=True,
)
_AS_MANY: Final = Flag(
    "DV-7",
    _as_many_as_granted,
    (
        "fördela på det antal dagar per vecka som beviljats",
        "place on the number of days a week granted",
    ),
)
_WAITING: Final = ("receive",)
_BEFORE_PLACED: Final = ("place",)
_AGAIN: Final = ("review", "ask", "answer", "no_place", "follow_up", "propose", "ask_transfer")
"""The steps a transfer makes takeable again: the new district reviews afresh (DV-5, DV-8)."""

# The table, one row per step, laid out as a table (the formatter would give a row a
# line per argument).
# fmt: off
_TABLE: Final = (
    _rows.step("receive", AssignmentReceived, requirements=("DV-1",), roles=_AUTHORITY,
               label=("skicka uppdraget", "send the assignment"),
               opens=(_REVIEW, _DISTRIBUTE),
               apply=lambda s, e, p: {"district": e.district, "orientation": e.orientation,
                                      "days": e.days, "queue_date": e.queue_date,
                                      "received_at": e.at}),
    _rows.step("review", AssignmentReviewed, requirements=("DV-5",), roles=_RECEIVER,
               label=("granska uppdraget", "review the assignment"),
               after=_WAITING, not_after=_BEFORE_PLACED,
               apply=lambda s, e, p: {"reviewed_at": e.at}),
    _rows.step("ask", ClarificationAsked, requirements=("DV-6",), roles=_RECEIVER,
               label=("kontakta den enskilde och/eller anhöriga",
                      "contact the individual and/or relatives"),
               after=_WAITING, not_after=_BEFORE_PLACED, when=_READY, once=False,
               opens=(_ANSWER,),
               apply=lambda s, e, p: {"awaiting_clarification": True,
                                      "reviewed_at": s.reviewed_at or e.at}),
    _rows.step("answer", AssignmentClarified, requirements=("DV-6",), roles=_RECEIVER,
               label=("förtydliga uppdraget", "record the clarification"),
               after=("ask",), when=_AWAITING, once=False,
               apply=lambda s, e, p: {"awaiting_clarification": False}),
    _rows.step("no_place", NoPlaceRecorded, requirements=("DV-1", "DV-4"), roles=_RECEIVER,
               label=("registrera att plats saknas", "record that no place was found"),
               after=_WAITING, not_after=_BEFORE_PLACED, when=_READY, once=False,
               opens=(_FOLLOW_UP,),
               apply=lambda s, e, p: {"reviewed_at": s.reviewed_at or e.at}),
    _rows.step("follow_up", DistributionFollowedUp, requirements=("DV-4",), roles=_UNIT_MANAGER,
               label=("följa upp fördelningen", "follow up the distribution"),
               after=("no_place",), not_after=_BEFORE_PLACED, once=False),
    _rows.step("propose", OtherDistrictProposed, command=ProposeOtherDistrict,
               build=_build_proposal, requirements=("DV-8",), roles=_RECEIVER,
               label=("samverka om plats i annat stadsområde",
                      "cooperate on a place in another district"),
               after=_WAITING, not_after=_BEFORE_PLACED, when=_READY,
               checks=(_ELSEWHERE,), opens=(_ASK_SOCIAL_WORKER,),
               apply=lambda s, e, p: {"proposed_district": e.district,
                                      "proposed_centre": e.centre,
                                      "reviewed_at": s.reviewed_at or e.at}),
    _rows.step("ask_transfer", SocialWorkerAskedToSend, command=AskSocialWorkerToSend,
               build=_build_ask, requirements=("DV-8",), roles=_RECEIVER,
               label=("meddela socialsekreteraren",
                      "ask the social worker to send the assignment"),
               after=("propose",), not_after=_BEFORE_PLACED, opens=(_SEND,)),
    _rows.step("transfer", AssignmentSentToDistrict, command=SendToOtherDistrict,
               build=_build_transfer, requirements=("DV-8", "DV-5"), roles=_AUTHORITY,
               label=("skicka uppdraget till det nya stadsområdet",
                      "send the assignment to the new district"),
               after=("propose",), not_after=_BEFORE_PLACED, once=False, resets=_AGAIN,
               opens=(_DISTRIBUTE, _REVIEW),
               apply=lambda s, e, p: {"sent_from": (*s.sent_from, e.from_district),
                                      "district": e.district, "received_at": e.at,
                                      "reviewed_at": None, "proposed_district": None,
                                      "proposed_centre": None}),
    _rows.step("place", AssignmentPlaced, requirements=("DV-1", "DV-7"), roles=_RECEIVER,
               label=("fördela till dagverksamhet", "place at a day centre"),
               after=_WAITING, checks=(_NOT_AWAITING, _NOT_MORE), flags=(_AS_MANY,),
               opens=(_START,),
               apply=lambda s, e, p: {"centre": e.centre, "weekdays": e.weekdays,
                                      "placed_at": e.at, "proposed_district": None,
                                      "proposed_centre": None}),
    _rows.step("start", ActivityStarted, requirements=("DV-1",), roles=_CENTRE,
               label=("påbörja dagverksamheten", "start the day activity"),
               after=("place",), apply=lambda s, e, p: {"started_at": e.at}),
    _rows.step("close", AssignmentEnded, requirements=("DV-1",), roles=_ENDING,
               label=("avsluta uppdraget", "end the assignment"),
               after=_WAITING, terminal=True, apply=lambda s, e, p: {"ended_at": e.at}),
)
# fmt: on

# Every step records a stand-in (DV-3): added once to the typed rows.
_STEPS: Final = tuple(attrs.evolve(step, apply=_recording_stand_in(step)) for step in _TABLE)

DAY_ACTIVITY: Final[Routine[DayActivityState, DayActivityEvent, DayActivityPolicy]] = Routine(
    code=ROUTINE,
    title="Rutin för fördelning av ärenden i Treserva på dagverksamhet",
    title_en="Routine for distributing day-activity cases in Treserva",
    initial=initial_state,
    policy=_DEFAULT_POLICY,
    steps=_STEPS,
    describe=_describe,
)
"""Routine DV's life as a table of steps, with the routine's own numbers (DV-1…DV-8)."""

COMMANDS: Final = DAY_ACTIVITY.commands
"""Every class :func:`decide` takes (a step's event, or its command), in the routine's order."""
EVENTS: Final = DAY_ACTIVITY.events
"""Every event type of routine DV, in the order of the routine."""


# --------------------------------------------------------------------------- the functions

# The routine's methods, as the module's functions (typed by the routine's classes).
decide: Final = DAY_ACTIVITY.decide
"""Decide a request of routine DV (an event or command): the event, or a refusal, X-2."""
evolve: Final = DAY_ACTIVITY.evolve
"""Fold one event of routine DV into a state, X-1."""
replay: Final = DAY_ACTIVITY.replay
"""Fold a case's events into its state; ``strict=False`` keeps anomalies instead, X-1."""
required_actions: Final = DAY_ACTIVITY.required_actions
"""Return what must happen next in a DV case (åtgärder), for whom and by when."""
deviations: Final = DAY_ACTIVITY.deviations
"""Return the deviations of a DV case as recorded by ``as_of``, X-5."""
deviations_of: Final = DAY_ACTIVITY.deviations_of
"""Return the deviations of the DV events recorded by ``as_of``, every case, X-5."""
allowed_commands: Final = DAY_ACTIVITY.allowed_commands
"""Return the requests the state of a DV case allows, whatever the actor's role."""
is_terminal: Final = DAY_ACTIVITY.is_terminal
"""Whether the case has ended: a terminal step of the routine has been taken."""


# --------------------------------------------------------------------------- across cases


def occupancy_of(
    events: Iterable[Event], *, as_of: datetime | None = None
) -> dict[str, tuple[int, ...]]:
    """Return the places the centres hold (beläggning), derived from the record, DV-1, DV-7.

    Folds every DV case of ``events`` (:meth:`~arendefordelning.Routine.fold`: grouped
    by case, in the canonical order, leniently; events of other routines are left out),
    and counts, per centre id and weekday (Monday first), the cases placed there and
    not ended. Any order of the same events gives the same answer. The result is what
    :func:`~arendefordelning.routines.placement.place` takes as ``occupancy``; centres
    holding no place are left out. With ``as_of``, only the events recorded by then
    count.

    Raises:
        InvalidInput: for ``events`` that are not an iterable of events, or a naive
            ``as_of``.
    """
    held: dict[str, list[int]] = {}
    for state in DAY_ACTIVITY.fold(events, as_of=as_of).values():
        if state.holds_place:
            assert state.centre is not None
            row = held.setdefault(state.centre, [0] * len(_WEEK))
            for day in state.weekdays:
                row[_WEEK.index(day)] += 1
    return {centre: tuple(held[centre]) for centre in sorted(held)}


def request_of(state: DayActivityState, **details: Any) -> PlacementRequest:
    """Return a case waiting for a place as a placement request (uppdrag om dagverksamhet), DV-1.

    The request has the case number, district, orientation, days granted and queue
    date of the record, and ``awaiting_clarification`` as the record stands: a case
    awaiting clarification stays outside the plan (DV-6). ``details`` are the other
    fields of :class:`~arendefordelning.routines.placement.PlacementRequest` (wishes,
    language, location, needs), which the record does not hold.

    Raises:
        InvalidInput: for a case that does not wait for a place (not received, placed,
            ended), for a field ``details`` may not set, or for values the request
            refuses.
    """
    if not isinstance(state, DayActivityState):
        raise InvalidInput(f"state must be a DayActivityState, not {describe(state)}")
    if not state.waiting:
        raise InvalidInput(
            f"only a case waiting for a place is a request to place; this case is "
            f"{_describe(state)}"
        )
    own = {"id", "district", "orientation", "days", "queue_date", "awaiting_clarification"}
    clash = sorted(own & set(details))
    if clash:
        raise InvalidInput(
            f"details must not set {', '.join(clash)}: the record gives them; pass the "
            "wishes, language, location and needs"
        )
    assert state.case is not None
    assert state.district is not None
    assert state.orientation is not None
    assert state.days is not None
    assert state.queue_date is not None
    return PlacementRequest(
        id=state.case,
        district=state.district,
        orientation=state.orientation,
        days=state.days,
        queue_date=state.queue_date,
        awaiting_clarification=state.awaiting_clarification,
        **details,
    )


def check_staff(request: DayActivityEvent | DayActivityCommand, district: District) -> None:
    """Check a request's actor against the district's people (behörighet i stadsområdet), DV-2…DV-4.

    The routine checks roles; an embedding system that knows the district checks the
    people too. An assignment receiver's step must come from one of the district's
    receivers (at least two besides the unit manager, DV-2) or from one of its
    day-centre stand-ins naming, in ``stands_in_for``, the receiver stood in for
    (DV-3); the unit manager's from the district's unit manager (DV-4). Steps of other
    roles (the social worker, the centre's staff) are not the district's to check.

    Raises:
        NotPermitted: naming what is wrong, never a personal identity number.
        InvalidInput: for arguments of the wrong types.
    """
    if not isinstance(request, DayActivityEvent | DayActivityCommand):
        raise InvalidInput(
            f"request must be an event or command of routine DV, not {describe(request)}"
        )
    if not isinstance(district, District):
        raise InvalidInput(f"district must be a District, not {describe(district)}")
    actor = request.actor
    name = class_name(type(request))
    if actor.role is Role.UNIT_MANAGER and actor.id != district.unit_manager:
        raise NotPermitted(
            f"{name}: the actor is not the unit manager of district {district.name}, who "
            "answers for distribution there (DV-4)"
        )
    if actor.role is not Role.ASSIGNMENT_RECEIVER:
        return
    if actor.id in district.receivers:
        return
    if actor.id not in district.stand_ins:
        raise NotPermitted(
            f"{name}: the actor is neither an assignment receiver of district "
            f"{district.name} nor one of its day-centre stand-ins (DV-2, DV-3)"
        )
    if request.stands_in_for not in district.receivers:
        raise NotPermitted(
            f"{name}: a stand-in of district {district.name} must name, in stands_in_for, "
            "the district's assignment receiver stood in for (DV-3)"
        )
