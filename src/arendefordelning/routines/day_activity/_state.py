"""The state of a DV case (ärendets läge), folded from its events, DV-1…DV-8."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Final

import attrs

from ...kernel import CaseState
from ..placement import Orientation
from ._events import PlaceDay

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
