"""Routine DV's table of steps (rutinens tabell), its functions and views across cases.

For the report to IVO (X-6) the table declares the milestones of the decision on day
activity: the assignment received carries the decision's facts as recorded (its day,
legal basis, the individual's sex and date of birth, each optional so older logs load;
the queue date is not the decision's day, and without the day the report lists the
case as not judged), the decision is executed when the day activity starts, and it
ends when the assignment ends. A transfer to another district is the same decision
and reaches no milestone.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, Final

import attrs

from ..._time import STOCKHOLM
from ..._validators import class_name, describe
from ...errors import InvalidInput, NotPermitted
from ...kernel import Decided, Due, Ended, Event, Executed, Milestone, Role, Routine
from ..placement import District, PlacementRequest
from ._events import (
    _AUTHORITY,
    _CENTRE,
    _DEFAULT_POLICY,
    _ENDING,
    _RECEIVER,
    _UNIT_MANAGER,
    _WEEK,
    ROUTINE,
    ActivityStarted,
    AskSocialWorkerToSend,
    AssignmentClarified,
    AssignmentEnded,
    AssignmentPlaced,
    AssignmentReceived,
    AssignmentReviewed,
    AssignmentSentToDistrict,
    ClarificationAsked,
    DayActivityCommand,
    DayActivityEvent,
    DayActivityPolicy,
    DistributionFollowedUp,
    NoPlaceRecorded,
    OtherDistrictProposed,
    ProposeOtherDistrict,
    SendToOtherDistrict,
    SocialWorkerAskedToSend,
)
from ._rules import (
    _AGAIN,
    _ANSWER,
    _AS_MANY,
    _ASK_SOCIAL_WORKER,
    _AWAITING,
    _BEFORE_PLACED,
    _DISTRIBUTE,
    _ELSEWHERE,
    _FOLLOW_UP,
    _NOT_AWAITING,
    _NOT_MORE,
    _READY,
    _REVIEW,
    _SEND,
    _START,
    _WAITING,
    _build_ask,
    _build_proposal,
    _build_transfer,
    _policy,
    _recording_stand_in,
    _rows,
)
from ._state import DayActivityState, _describe, initial_state

INTERVENTION: Final = "dagverksamhet"
"""The intervention the routine's decisions grant (day activity), as the report names it. X-6."""


def _day(event: Event) -> date:
    """Return the day in Stockholm an event happened: the day of its milestone, X-6."""
    return event.at.astimezone(STOCKHOLM).date()


def _decided(event: AssignmentReceived) -> Decided:
    """Return the decision on day activity as the assignment records it, X-6."""
    return Decided(
        intervention=INTERVENTION,
        decided_on=event.decided_on,
        legal_basis=event.legal_basis,
        sex=event.sex,
        born=event.born,
    )


def _ended(event: AssignmentEnded) -> Ended:
    """Return the end of the decision: the assignment ended, with its reason, X-6."""
    return Ended(on=_day(event), reason=event.reason)


# The table, one row per step, laid out as a table (the formatter would give a row a
# line per argument).
# fmt: off
_TABLE: Final = (
    _rows.step("receive", AssignmentReceived, requirements=("DV-1",), roles=_AUTHORITY,
               label=("skicka uppdraget", "send the assignment"),
               opens=(_REVIEW, _DISTRIBUTE),
               apply=lambda s, e, p: {"district": e.district, "orientation": e.orientation,
                                      "days": e.days, "queue_date": e.queue_date,
                                      "received_at": e.at},
               milestone=Milestone(Decided, _decided)),
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
               after=("place",), apply=lambda s, e, p: {"started_at": e.at},
               milestone=Milestone(Executed, lambda e: Executed(on=_day(e)))),
    _rows.step("close", AssignmentEnded, requirements=("DV-1",), roles=_ENDING,
               label=("avsluta uppdraget", "end the assignment"),
               after=_WAITING, terminal=True, apply=lambda s, e, p: {"ended_at": e.at},
               milestone=Milestone(Ended, _ended)),
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
    social_services=True,
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
