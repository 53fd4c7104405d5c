"""Designing and sending assignments (utforma och skicka uppdrag): routine UP, and who tells whom.

*Rutin för Utforma & skicka uppdrag* (LRU2.2.1): the needs assessor
(biståndshandläggare) sends an :class:`Assignment` (uppdrag) to a provider
(utförare): one or more interventions of UP-1's closed set (:class:`Intervention`:
home care, safety alarm, day activity, scheduled transport, relief at home, HAFFA), the
total granted time and, stated, that time rounded up to the nearest quarter hour
(UP-3), and the double-staffed interventions, only among its own (UP-4). The assessor
orders it in the time-recording system (Phoniro) unless it holds only day activity and
scheduled transport (UP-2, :func:`time_recording_required`) and hands it over to the
provider, a new care recipient always by telephone (UP-5); before a weekend or holiday
a handover to the municipal home care uses the special contact path (UP-7,
:func:`special_contact_path`). The provider confirms receipt by system message (UP-8)
and registers each intervention as executed from its own start date, also after a
re-assessment (UP-9); the alarm installer executes the safety alarm on installation
(UP-11) and tells the assessor of a returned alarm (UP-12).

Who tells whom is a pure function, :func:`required_notifications`, from a
:class:`Situation` (an assignment sent, a discharge announced, an admission to or a
return home from hospital, a returned alarm) to the :class:`RequiredNotification`
values: who tells whom, by which channel, why and by when (UP-5, UP-6, UP-7, UP-10,
UP-12, UP-13, UP-14). The table opens the same duties from the same rules, one
obligation record per recipient (and per hospital stay), met only by a
:class:`NotificationSent` of its subject to that recipient (and of that stay).

The routine is a table of steps (:data:`ASSIGNMENT_DISPATCH`, also :data:`UP`, a
:class:`~arendefordelning.Routine`). Each step is requested with its event: the
embedding system reports what happened (``AssignmentSent(case=..., at=..., actor=...,
provider=..., interventions=..., granted_minutes=440)``) and :func:`decide` checks that
it may be recorded; the handover has a command, :class:`HandOver`, because the routine
records whether the special contact path applied. Record, then judge: a stated time
that is not the quarter hour up (UP-3), an order where none is due or none where one is
(UP-2), a new recipient handed over by message only (UP-5), a receipt not confirmed by
system message or not by its due day (UP-8), a notification by another channel than the
routine names, a late one, are recorded, and :func:`deviations` shows them (X-5),
judged as known at any moment. Refused, recording nothing: a role the routine does not
name (X-2), a step that makes no sense in the case (executing an intervention the
recipient does not hold, coming home from a stay not under way), double staffing of an
intervention the assignment does not hold (UP-4), and other bad input.
"""

from __future__ import annotations

from datetime import date
from typing import Final

from ..._validators import describe
from ...errors import InvalidInput
from ._events import (
    AdmittedToHospital,
    AlarmInstalled,
    AlarmReturned,
    Assignment,
    AssignmentClosed,
    AssignmentDispatchCommand,
    AssignmentDispatchEvent,
    AssignmentReceiptConfirmed,
    AssignmentSent,
    DischargeAnnounced,
    HandedOver,
    HandOver,
    HomeFromHospital,
    Intervention,
    InterventionExecuted,
    NotificationSent,
    Recipient,
    ReturnReason,
    Subject,
    TimeRecordingOrdered,
)
from ._rules import (
    Occasion,
    RequiredNotification,
    Situation,
    is_night,
    required_notifications,
    situation_of,
    special_contact_path,
    stated_time_problem,
    time_recording_required,
)
from ._state import (
    AssignmentDispatchPolicy,
    AssignmentDispatchState,
    Held,
    Stage,
    Stay,
    initial_state,
)
from ._table import ASSIGNMENT_DISPATCH, STATED_TIME, WRONG_PROVIDER

__all__ = [
    "ASSIGNMENT_DISPATCH",
    "COMMANDS",
    "EVENTS",
    "STATED_TIME",
    "UP",
    "WRONG_PROVIDER",
    "AdmittedToHospital",
    "AlarmInstalled",
    "AlarmReturned",
    "Assignment",
    "AssignmentClosed",
    "AssignmentDispatchCommand",
    "AssignmentDispatchEvent",
    "AssignmentDispatchPolicy",
    "AssignmentDispatchState",
    "AssignmentReceiptConfirmed",
    "AssignmentSent",
    "DischargeAnnounced",
    "HandOver",
    "HandedOver",
    "Held",
    "HomeFromHospital",
    "Intervention",
    "InterventionExecuted",
    "NotificationSent",
    "Occasion",
    "Recipient",
    "RequiredNotification",
    "ReturnReason",
    "Situation",
    "Stage",
    "Stay",
    "Subject",
    "TimeRecordingOrdered",
    "allowed_commands",
    "decide",
    "deviations",
    "deviations_of",
    "evolve",
    "execution_dates_of",
    "initial_state",
    "is_night",
    "is_terminal",
    "replay",
    "required_actions",
    "required_notifications",
    "situation_of",
    "special_contact_path",
    "stated_time_problem",
    "time_recording_required",
]

UP: Final = ASSIGNMENT_DISPATCH
"""Routine UP (the same object as :data:`ASSIGNMENT_DISPATCH`)."""
COMMANDS: Final = ASSIGNMENT_DISPATCH.commands
"""Every class :func:`decide` takes (a step's event, or its command), in the routine's order."""
EVENTS: Final = ASSIGNMENT_DISPATCH.events
"""Every event type of routine UP, in the order of the routine."""

# The routine's methods, as the module's functions (typed by the routine's classes).
decide: Final = ASSIGNMENT_DISPATCH.decide
"""Decide a request of routine UP (an event or command): the event, or a refusal, X-2."""
evolve: Final = ASSIGNMENT_DISPATCH.evolve
"""Fold one event of routine UP into a state, X-1."""
replay: Final = ASSIGNMENT_DISPATCH.replay
"""Fold a case's events into its state; ``strict=False`` keeps anomalies instead, X-1."""
required_actions: Final = ASSIGNMENT_DISPATCH.required_actions
"""Return what must happen next in a UP case (åtgärder), for whom, how and by when."""
deviations: Final = ASSIGNMENT_DISPATCH.deviations
"""Return the deviations of a UP case as recorded by ``as_of``, X-5."""
deviations_of: Final = ASSIGNMENT_DISPATCH.deviations_of
"""Return the deviations of the UP events recorded by ``as_of``, every case, X-5."""
allowed_commands: Final = ASSIGNMENT_DISPATCH.allowed_commands
"""Return the requests the state of a UP case allows, whatever the actor's role."""
is_terminal: Final = ASSIGNMENT_DISPATCH.is_terminal
"""Whether the case has ended: a terminal step of the routine has been taken."""


def execution_dates_of(state: AssignmentDispatchState) -> dict[Intervention, date]:
    """Return each held intervention's execution date (verkställighetsdatum), UP-9, UP-11.

    The start date registered for each intervention the care recipient holds, under
    its latest assignment: what billing reads. An intervention not yet executed (again,
    after a re-assessment) is left out.

    Raises:
        InvalidInput: for a state of another routine.
    """
    if not isinstance(state, AssignmentDispatchState):
        raise InvalidInput(f"state must be an AssignmentDispatchState, not {describe(state)}")
    return {
        held.intervention: held.executed_on for held in state.held if held.executed_on is not None
    }
