"""Routine UP's policy and the state of a case (ärendets läge), UP-1…UP-14."""

from __future__ import annotations

import enum
from datetime import date, datetime, time
from typing import Any, Final

import attrs

from ..._validators import instance_of, plain_date, whole_number
from ...calendar import WorkCalendar
from ...errors import InvalidInput
from ...kernel import CaseState, RoutinePolicy
from ...providers import Provider
from ._events import AssignmentSent, HandedOver, Intervention, ReturnReason

# --------------------------------------------------------------------------- policy

_MAX_WORKDAYS: Final = 30


def _workdays(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    whole_number(attribute.name, value, 0, _MAX_WORKDAYS)


def _clock(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if type(value) is not time or value.tzinfo is not None:
        raise InvalidInput(
            f"{attribute.name} must be a wall-clock datetime.time without a time zone "
            "(Stockholm time is meant)"
        )


@attrs.frozen
class AssignmentDispatchPolicy(RoutinePolicy):
    """Parameters of routine UP (rutinens parametrar), with their validity period, X-4.

    The routine (LRU2.2.1, version 4, revised 2023-11-15) names no time limits; where a
    duty needs one to be judged, the default is this library's interpretation, each in
    working days after the Stockholm day it counts from (0: that day, or the next
    working day if it is none). "Before a weekend or holiday" (UP-7) and "night"
    (UP-14) are the catalogue's: from 14:00 on the last working day before one or more
    non-working days, and 22:00–07:00.
    """

    valid_from: date = attrs.field(default=date(2023, 11, 15), validator=plain_date)
    """First day the parameters apply: the routine's fourth version, 2023-11-15. X-4."""
    calendar: WorkCalendar = attrs.field(
        factory=WorkCalendar.swedish, validator=instance_of(WorkCalendar)
    )
    """The working-day calendar every day below is counted in. UP-7, X-3."""
    special_path_from: time = attrs.field(default=time(14, 0), validator=_clock)
    """From when on the last working day before one or more non-working days a handover
    to the municipal home care uses the special contact path (LRU0005); it applies until
    the next working day begins. UP-7."""
    night_starts: time = attrs.field(default=time(22, 0), validator=_clock)
    """When the night begins: an admission after it is the night patrol's to tell. UP-14."""
    night_ends: time = attrs.field(default=time(7, 0), validator=_clock)
    """When the night ends. UP-14."""
    order_within: int = attrs.field(default=0, validator=_workdays)
    """Working days after the day the assignment is sent by whose end the order in the
    time-recording system is placed: 0, the same day (it is sent and ordered together).
    UP-2."""
    handover_within: int = attrs.field(default=0, validator=_workdays)
    """Working days after the day the assignment is sent by whose end it is handed over:
    0, the same day. UP-5."""
    receipt_within: int = attrs.field(default=1, validator=_workdays)
    """Working days after the day the assignment is sent by whose end the provider
    confirms receipt: 1, the next working day. UP-8."""
    executed_within: int = attrs.field(default=0, validator=_workdays)
    """Working days after an intervention's start date (an alarm's installation) by whose
    end it is registered as executed: 0, the day it starts. UP-9, UP-11."""
    inform_within: int = attrs.field(default=1, validator=_workdays)
    """Working days after the step by whose end the alarm group (UP-6, UP-10) or, of a
    returned alarm, the needs assessor (UP-12) is told: 1, the next working day."""

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        if self.night_starts == self.night_ends:
            raise InvalidInput("night_starts and night_ends must differ (UP-14)")


# --------------------------------------------------------------------------- state


class Stage(enum.Enum):
    """Stage of a UP case (skede): where the case stands."""

    NEW = "nytt"
    """No assignment sent yet."""
    SENT = "skickat"
    """An assignment sent; an intervention of it not yet executed (UP-1…UP-9)."""
    EXECUTED = "verkställt"
    """Every intervention the care recipient holds is executed (UP-9, UP-11)."""
    IN_HOSPITAL = "på sjukhus"
    """The care recipient is in hospital (UP-14)."""
    WITHOUT_INTERVENTIONS = "utan pågående insatser"
    """Assignments were sent, and the recipient holds no intervention now (UP-12)."""
    ENDED = "avslutat"
    """The assignment has ended; the case is closed."""


STAGE_EN: Final = {
    Stage.NEW: "new",
    Stage.SENT: "sent",
    Stage.EXECUTED: "executed",
    Stage.IN_HOSPITAL: "in hospital",
    Stage.WITHOUT_INTERVENTIONS: "without interventions",
    Stage.ENDED: "ended",
}


@attrs.frozen(kw_only=True)
class Held:
    """Intervention held (pågående insats): who carries it out, and from when it is executed.

    Built by the routine from the events: the latest assignment naming the intervention
    gives its provider; ``executed_on`` is its start date once registered (UP-9, UP-11),
    the date billing reads, and None until then (again after a re-assessment).
    """

    intervention: Intervention
    """The intervention."""
    provider: Provider
    """The provider of the latest assignment naming it."""
    sent_at: datetime
    """When that assignment was sent."""
    executed_on: date | None = None
    """Its start date as registered (verkställd från), or None while not executed."""


@attrs.frozen(kw_only=True)
class Stay:
    """Hospital stay (sjukhusvistelse) of the care recipient, by the embedding system's id, UP-13, UP-14."""  # noqa: E501

    stay: str
    """The stay's identifier."""
    admitted_at: datetime | None = None
    """When the recipient was admitted, as recorded here (UP-14); None for a stay only
    announced for discharge (UP-13)."""
    discharge_at: datetime | None = None
    """When the discharge was announced to happen (UP-13), if it was."""
    home_at: datetime | None = None
    """When the recipient came home (UP-14), or None."""

    @property
    def open(self) -> bool:
        """Whether the recipient is in hospital on this stay: admitted, not home."""
        return self.admitted_at is not None and self.home_at is None


@attrs.frozen(kw_only=True, repr=False)
class AssignmentDispatchState(CaseState):
    """State of a UP case (ärendets läge), folded from its events; nothing else is stored."""

    sent: tuple[AssignmentSent, ...] = ()
    """Every assignment sent in the case, in order (UP-1…UP-4)."""
    held: tuple[Held, ...] = ()
    """The interventions the care recipient holds now, in UP-1's order, and who holds each."""
    held_before: tuple[Held, ...] = ()
    """What the recipient held just before the latest assignment (UP-6, UP-10)."""
    ordered: tuple[Provider, ...] = ()
    """The providers whose assignment was ordered in the time-recording system (UP-2)."""
    handovers: tuple[HandedOver, ...] = ()
    """The handovers, in order (UP-5, UP-7)."""
    receipts: tuple[Provider, ...] = ()
    """The providers that confirmed receipt of their latest assignment (UP-8)."""
    executions: tuple[tuple[Intervention, date], ...] = ()
    """Every execution registered, the intervention and its start date, in order (UP-9,
    UP-11): what billing reads."""
    returned: ReturnReason | None = None
    """Why the safety alarm was last returned, if it was (UP-12)."""
    stays: tuple[Stay, ...] = ()
    """The hospital stays recorded, in order (UP-13, UP-14)."""
    ended_at: datetime | None = None
    """When the assignment ended."""

    @property
    def interventions(self) -> tuple[Intervention, ...]:
        """The interventions the care recipient holds now (pågående insatser)."""
        return tuple(held.intervention for held in self.held)

    def holder(self, intervention: Intervention) -> Held | None:
        """Return who holds an intervention now, or None."""
        return next((held for held in self.held if held.intervention is intervention), None)

    def latest_to(self, provider: Provider) -> AssignmentSent | None:
        """Return the latest assignment sent to ``provider`` in the case, or None."""
        return next((sent for sent in reversed(self.sent) if sent.provider == provider), None)

    def stay(self, stay: str) -> Stay | None:
        """Return the hospital stay of that identifier, or None."""
        return next((found for found in self.stays if found.stay == stay), None)

    @property
    def in_hospital(self) -> bool:
        """Whether the recipient is in hospital: a stay admitted and not home (UP-14)."""
        return any(stay.open for stay in self.stays)

    @property
    def stage(self) -> Stage:
        """Where the case stands: the first of the stages below that holds."""
        facts = (
            (self.ended_at is not None, Stage.ENDED),
            (self.in_hospital, Stage.IN_HOSPITAL),
            (not self.sent, Stage.NEW),
            (not self.held, Stage.WITHOUT_INTERVENTIONS),
            (all(held.executed_on is not None for held in self.held), Stage.EXECUTED),
        )
        return next((stage for holds, stage in facts if holds), Stage.SENT)

    def describe(self) -> str:
        """Name the stage in Swedish and English, for messages."""
        stage = self.stage
        return f"{stage.value!r} ({STAGE_EN[stage]})"


initial_state: Final = AssignmentDispatchState()
"""The state of a UP case before its first event."""
