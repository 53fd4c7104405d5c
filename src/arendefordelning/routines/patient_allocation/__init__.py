"""Allocation of patient cases (fördelning av ärenden): routine HC's life, as a table of steps.

*Fördelning av ärenden*: a healthcare unit (HSL, never social services: HC is never in
the IVO report) keeps patients waiting on a fictive resource (fiktiv resurs), a named
queue placeholder per kind of intervention, until the care unit manager or a team
leader allocates the case to an actual resource, a staff member (HC-1, HC-3), at a
treatment conference or another occasion. The staff member is contacted before the
allocation (HC-4: an allocation without the contact is recorded and is a deviation);
the allocation gives the team note and the planning basis's comment word for word
(HC-6: :func:`team_note`, :func:`planning_comment`). The staff member summons the
patient within three weeks, or by the team leader's own date (HC-5,
:func:`~arendefordelning.deadlines.summon_deadline`, each allocation judged by its own
date), by offering two alternative times (HC-7). An accepted time is the care
administrator's task through the task list (HC-8); both declined starts patient-chosen
waiting (patientvald väntan), the administrator's task through the task list, and the
case goes back to the team leader (HC-9). The staff member writes a telephone note
(HC-10); the care administrator or the administrative resource links the planning basis
to the booking and sends a digital or paper summons (HC-11). Every step is an event
with actor, role and time (HC-12); deviations carry what a deviation report needs
(HC-13).

The routine is a table of steps (:data:`PATIENT_ALLOCATION`, a
:class:`~arendefordelning.Routine`). Each step is requested with its event; the offer
of times has a command, :class:`OfferTimes`, since the routine names the staff member
the case is allocated to and checks the number of times against the policy in force.
Record, then judge: refused, recording nothing, are a role the routine does not name
(X-2), a step that makes no sense in the state, a malformed offer and a time accepted
that was not offered (bad input); a late or missing summons, an allocation without
contact and a summons by another channel are recorded, and :func:`deviations` shows
them, judged as known at any moment (X-5).

Views across cases: :func:`queue` (HC-2) folds the record and orders the cases on
fictive resources by the policy's queue order; :func:`waiting_time` and
:func:`patient_chosen_waiting` give a case's waiting time with and without
patient-chosen waiting (HC-9).
"""

from __future__ import annotations

from ._events import (
    DEFAULT_POLICY,
    BothTimesDeclined,
    CaseAllocated,
    Occasion,
    OfferTimes,
    PatientAllocationCommand,
    PatientAllocationEvent,
    PatientAllocationPolicy,
    PatientAvailableAgain,
    PatientChosenWaitingRegistered,
    PlacedOnFictiveResource,
    PlanningBasisCommented,
    PlanningBasisLinked,
    QueueOrderPolicy,
    Recipient,
    StaffMemberContacted,
    SummonsSent,
    TeamNoteWritten,
    TelephoneNoteWritten,
    TimeAccepted,
    TimesOffered,
    WaitingEnd,
    WaitingMeasure,
)
from ._rules import planning_comment, summon_due, team_note
from ._state import (
    ActualResource,
    FictiveResource,
    PatientAllocationState,
    Stage,
    WaitingSpell,
    describe_state,
    initial_state,
)
from ._table import (
    COMMANDS,
    EVENTS,
    PATIENT_ALLOCATION,
    QueueEntry,
    WaitingTime,
    allowed_commands,
    decide,
    deviations,
    deviations_of,
    evolve,
    is_terminal,
    patient_chosen_waiting,
    queue,
    replay,
    required_actions,
    waiting_time,
)

describe = describe_state
"""Name the state of an HC case for messages, in Swedish and English."""

__all__ = [
    "COMMANDS",
    "DEFAULT_POLICY",
    "EVENTS",
    "PATIENT_ALLOCATION",
    "ActualResource",
    "BothTimesDeclined",
    "CaseAllocated",
    "FictiveResource",
    "Occasion",
    "OfferTimes",
    "PatientAllocationCommand",
    "PatientAllocationEvent",
    "PatientAllocationPolicy",
    "PatientAllocationState",
    "PatientAvailableAgain",
    "PatientChosenWaitingRegistered",
    "PlacedOnFictiveResource",
    "PlanningBasisCommented",
    "PlanningBasisLinked",
    "QueueEntry",
    "QueueOrderPolicy",
    "Recipient",
    "StaffMemberContacted",
    "Stage",
    "SummonsSent",
    "TeamNoteWritten",
    "TelephoneNoteWritten",
    "TimeAccepted",
    "TimesOffered",
    "WaitingEnd",
    "WaitingMeasure",
    "WaitingSpell",
    "WaitingTime",
    "allowed_commands",
    "decide",
    "describe",
    "deviations",
    "deviations_of",
    "evolve",
    "initial_state",
    "is_terminal",
    "patient_chosen_waiting",
    "planning_comment",
    "queue",
    "replay",
    "required_actions",
    "summon_due",
    "team_note",
    "waiting_time",
]
