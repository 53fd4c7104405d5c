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

from ._events import (
    ActivityStarted,
    AskSocialWorkerToSend,
    AssignmentClarified,
    AssignmentEnded,
    AssignmentPlaced,
    AssignmentReceived,
    AssignmentReviewed,
    AssignmentSentToDistrict,
    ClarificationAsked,
    Contacted,
    DayActivityCommand,
    DayActivityEvent,
    DayActivityPolicy,
    DistributionFollowedUp,
    NoPlaceRecorded,
    OtherDistrictProposed,
    PlaceDay,
    ProposeOtherDistrict,
    SendToOtherDistrict,
    SocialWorkerAskedToSend,
)
from ._rules import review_due
from ._state import DayActivityState, Stage, StandIn, initial_state
from ._table import (
    COMMANDS,
    DAY_ACTIVITY,
    EVENTS,
    allowed_commands,
    check_staff,
    decide,
    deviations,
    deviations_of,
    evolve,
    is_terminal,
    occupancy_of,
    replay,
    request_of,
    required_actions,
    review_due_of,
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
