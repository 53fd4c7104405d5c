"""Routine DV's events (händelse), its commands, closed sets and policy, DV-1…DV-8."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, ClassVar, Final

import attrs

from ..._validators import (
    describe,
    instance_of,
    optional_plain_date,
    plain_date,
    tuple_of,
    whole_number,
)
from ..._validators import reason as free_reason
from ...calendar import WorkCalendar
from ...errors import InvalidInput
from ...identity import Sex
from ...kernel import (
    Actor,
    Command,
    Event,
    LegalBasis,
    Role,
    RoutinePolicy,
    check_identifier,
    identifier,
)
from ..placement import CrossDistrictCause, CrossDistrictProposal, Orientation, Placement, Weekday

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
    decided_on: date | None = attrs.field(default=None, validator=optional_plain_date)
    """The day of the decision on day activity, or None where not recorded (the queue
    date is no decision date). X-6."""
    legal_basis: LegalBasis | None = attrs.field(
        default=None, validator=instance_of(LegalBasis, optional=True)
    )
    """The act the decision was made under (SoL or LSS), or None where not recorded. X-6."""
    sex: Sex | None = attrs.field(default=None, validator=instance_of(Sex, optional=True))
    """The individual's sex as the decision records it, or None; never derived. X-6."""
    born: date | None = attrs.field(default=None, validator=optional_plain_date)
    """The individual's date of birth as the decision records it, or None. X-6."""


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
