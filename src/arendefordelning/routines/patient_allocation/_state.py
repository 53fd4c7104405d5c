"""The state of an HC case (ärendets läge), folded from its events, HC-1…HC-11."""

from __future__ import annotations

import enum
from typing import Final

import attrs

from ...kernel import CaseState
from ._events import (
    BothTimesDeclined,
    CaseAllocated,
    PatientAllocationEvent,
    PatientAvailableAgain,
    SummonsSent,
    TimeAccepted,
    TimesOffered,
)


class Stage(enum.Enum):
    """Stage of an HC case (skede): where the case stands."""

    NEW = "nytt"
    """Nothing recorded yet."""
    QUEUED = "i kö på fiktiv resurs"
    """On a fictive resource, waiting to be allocated (HC-1, HC-2)."""
    ALLOCATED = "fördelat"
    """Allocated to a staff member, no times offered yet (HC-3…HC-6)."""
    OFFERED = "tider erbjudna"
    """Times offered, the patient's answer not yet recorded (HC-7)."""
    RETURNED = "åter hos teamledaren"
    """Both times declined: back with the team leader for allocation (HC-9)."""
    BOOKED = "bokat"
    """A time accepted: the start of treatment is booked (HC-8)."""
    SUMMONED = "kallad"
    """The summons sent (HC-11)."""


STAGE_EN: Final = {
    Stage.NEW: "new",
    Stage.QUEUED: "queued on a fictive resource",
    Stage.ALLOCATED: "allocated",
    Stage.OFFERED: "times offered",
    Stage.RETURNED: "back with the team leader",
    Stage.BOOKED: "booked",
    Stage.SUMMONED: "summoned",
}


@attrs.frozen(kw_only=True)
class FictiveResource:
    """Fictive resource (fiktiv resurs): a named queue placeholder per intervention, HC-1."""

    name: str
    """The resource's name."""
    intervention: str
    """The kind of intervention (insats) its queue is for."""


@attrs.frozen(kw_only=True)
class ActualResource:
    """Actual resource (faktisk resurs): a named staff member with a title, HC-1."""

    staff_id: str
    """The staff member, by staff id."""
    title: str
    """The staff member's title."""
    name: str
    """The staff member's name."""


@attrs.frozen(kw_only=True)
class WaitingSpell:
    """A spell of patient-chosen waiting (patientvald väntan) as recorded, HC-9.

    Built by the routine from the events: it starts when the patient declines both
    times offered, and ends at the step saying the patient is available again, or, as
    the policy chooses, at the next allocation to an actual resource
    (:func:`patient_chosen_waiting` reads it as a dated suspension).
    """

    declined: BothTimesDeclined
    """The decline that started it."""
    registered: bool = False
    """Whether the administrator has registered it in the planning system."""
    available: PatientAvailableAgain | None = None
    """The step saying the patient is available again, if recorded."""
    allocated: CaseAllocated | None = None
    """The first allocation to an actual resource after the decline, if any."""


@attrs.frozen(kw_only=True, repr=False)
class PatientAllocationState(CaseState):
    """State of an HC case (ärendets läge), folded from its events; nothing else is stored."""

    first: PatientAllocationEvent | None = None
    """The case's first step: its waiting time counts from it."""
    fictive: FictiveResource | None = None
    """The fictive resource holding the case, if one does (HC-1)."""
    allocation: CaseAllocated | None = None
    """The allocation to the staff member holding the case, if one does (HC-1, HC-3)."""
    intervention: str | None = None
    """The kind of intervention the case is for, as last given."""
    triage: int | None = None
    """The triage priority, as last given with a placement on a fictive resource (HC-2)."""
    allocations: int = 0
    """How many allocations to an actual resource were recorded."""
    contacted: frozenset[str] = frozenset()
    """The staff members contacted since the latest allocation (HC-4)."""
    team_note_due: bool = False
    """Whether the current allocation's team note is yet to be written (HC-6)."""
    comment_due: bool = False
    """Whether the current allocation's planning-basis comment is yet to be written (HC-6)."""
    offer: TimesOffered | None = None
    """The current allocation's offer, if made (HC-7)."""
    declined: bool = False
    """Whether the current offer was declined (HC-9)."""
    accepted: TimeAccepted | None = None
    """The time accepted (HC-8): the start of treatment is booked."""
    unnoted: int = 0
    """Answers of the patient not yet written in a telephone note (HC-10)."""
    spells: tuple[WaitingSpell, ...] = ()
    """The spells of patient-chosen waiting, in order (HC-9)."""
    linked: bool = False
    """Whether the planning basis is linked to the visit booking (HC-11)."""
    summons: SummonsSent | None = None
    """The summons sent, if sent (HC-11)."""

    @property
    def stage(self) -> Stage:
        """Where the case stands: the first of the stages below that holds."""
        facts = (
            (self.summons is not None, Stage.SUMMONED),
            (self.accepted is not None, Stage.BOOKED),
            (self.fictive is not None, Stage.QUEUED),
            (self.declined, Stage.RETURNED),
            (self.offer is not None, Stage.OFFERED),
            (self.allocation is not None, Stage.ALLOCATED),
        )
        return next((stage for holds, stage in facts if holds), Stage.NEW)

    @property
    def resource(self) -> FictiveResource | ActualResource | None:
        """The one resource holding the case (HC-1): fictive, actual, or none before the first step."""  # noqa: E501
        if self.fictive is not None:
            return self.fictive
        allocation = self.allocation
        if allocation is None:
            return None
        return ActualResource(
            staff_id=allocation.staff_id, title=allocation.title, name=allocation.name
        )

    @property
    def waiting_open(self) -> bool:
        """Whether a spell of patient-chosen waiting has no step ending it yet (HC-9)."""
        return any(spell.available is None for spell in self.spells)


initial_state: Final = PatientAllocationState()
"""The state of an HC case before its first event."""


def describe_state(state: PatientAllocationState) -> str:
    """Name the state of an HC case for messages, in Swedish and English."""
    stage = state.stage
    return f"{stage.value!r} ({STAGE_EN[stage]})"
