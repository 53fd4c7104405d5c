"""Provider choice (val, omval och uppdrag till utförare av hemtjänst): routine VAL.

Home care under free choice (LOV). One table of steps covers the routine's three flows:

* **first choice, municipal provider** (VAL-1…VAL-8): the needs assessor registers
  the customer's choice, or the abstention and the provider next in turn on the
  non-choice list (:class:`~arendefordelning.routines.rotation.RotationList`),
  distributes the assignment, tells home health care, and the provider executes
  within 24 hours (VAL-6) or reports what is not executed (VAL-8);
* **first choice, private provider** (VAL-9…VAL-11): the assessor also prepares the
  assignment and contacts the provider; the provider confirms receipt and reports
  the first intervention; the assessor registers and confirms execution;
* **re-choice** (omval, VAL-12…VAL-19): both providers registered and each notified,
  at the same time (VAL-13), the customer's wishes mediated, the last day and
  consent agreed, the takeover date reported and documented, home health care told;
  the switch takes place 7–14 days after both providers were notified (VAL-18).

Use it through :data:`VAL` (a :class:`~arendefordelning.Routine`, also named
:data:`PROVIDER_CHOICE`) or the module functions :func:`decide`, :func:`evolve`,
:func:`replay`, :func:`required_actions`, :func:`deviations`, :func:`deviations_of`
and :func:`execution_deadline_of`. A step is requested with its event (what happened:
``ChoiceRegistered(case=..., at=..., actor=..., provider=..., form=...)``), or with
its command where the routine completes the event from the case
(:class:`RegisterAbstention`, :class:`AssignUrgently`, :class:`DistributeAssignment`,
:class:`NotifyHomeHealthCare`, :class:`RegisterExecution`,
:class:`ConfirmExecutionDate`, :class:`RegisterRechoice`,
:class:`DocumentTakeoverDate`).

Record, then judge: a step that breaks a norm of time or manner (executed after the
24 hours, the providers notified at different times, a takeover date outside the
switch window) is recorded, and :func:`deviations` shows it (X-5), judged as it was
known at any moment: what is recorded later never erases an earlier deviation.
Refused, recording nothing: a role the routine does not name (X-2), a step that makes
no sense in the case's state, documentation handed over without the customer's
consent (VAL-16), a channel the routine does not name for a provider (VAL-9, VAL-13),
bad input.

The non-choice list of an area is derived from the record too: its own events (a
provider joining, leaving, paused, capped) and every take recorded in a case;
:func:`rotation_of` folds them in the canonical order (:meth:`Routine.ordered`), and
:func:`turn_deviations` checks that each abstainer got the provider next in turn
(VAL-2).

The routine checks roles, not identities: a step of role ``utförare`` is taken to
come from the provider the step belongs to (the outgoing provider for VAL-15,
VAL-16 and VAL-19, the incoming one for VAL-17); the embedding system, which knows
its users, checks which provider an actor works for.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Final, cast

from ..._validators import class_name, shown
from ...deadlines import Deadline, switch_window
from ...errors import ArendefordelningError, InvalidInput
from ...kernel import Deviation, DeviationKind, Event, Severity, resolve_policy
from ...providers import Provider
from ..rotation import RotationList, RotationOrder
from ._events import (
    AbstentionRegistered,
    AssignmentDistributed,
    AssignmentPrepared,
    AssignUrgently,
    CapSet,
    ChoiceForm,
    ChoiceRegistered,
    ConfirmExecutionDate,
    ContactChannel,
    CustomerReleased,
    Delivery,
    DistributeAssignment,
    DocumentationHandedOver,
    DocumentTakeoverDate,
    ExecutionDateConfirmed,
    ExecutionRegistered,
    ExecutionStarted,
    FirstInterventionReported,
    HomeHealthCareNotified,
    HomeHealthCareToldOfSwitch,
    IncomingProviderNotified,
    InterventionNotExecuted,
    LastDayAgreed,
    LaterStartAgreed,
    LaterStartBasis,
    NotifyHomeHealthCare,
    OutgoingProviderNotified,
    ProviderChoiceCommand,
    ProviderChoiceEvent,
    ProviderContacted,
    ProviderJoinedList,
    ProviderLeftList,
    ProviderNamed,
    ProviderPaused,
    ProviderResumed,
    ProvidersMediated,
    ReceiptConfirmed,
    ReceiptFiled,
    RechoiceRegistered,
    RegisterAbstention,
    RegisterExecution,
    RegisterRechoice,
    TakeoverAnnounced,
    TakeoverDateDocumented,
    TakeoverDateReported,
    TakeoverWishRecorded,
    UrgentlyAssigned,
)
from ._rules import execution_deadline_in
from ._state import (
    ProviderChoicePolicy,
    ProviderChoiceState,
    Rechoice,
    Stage,
    initial_state,
    policy_in_force,
)
from ._table import VAL

__all__ = [
    "COMMANDS",
    "EVENTS",
    "PROVIDER_CHOICE",
    "VAL",
    "AbstentionRegistered",
    "AssignUrgently",
    "AssignmentDistributed",
    "AssignmentPrepared",
    "CapSet",
    "ChoiceForm",
    "ChoiceRegistered",
    "ConfirmExecutionDate",
    "ContactChannel",
    "CustomerReleased",
    "Delivery",
    "DistributeAssignment",
    "DocumentTakeoverDate",
    "DocumentationHandedOver",
    "ExecutionDateConfirmed",
    "ExecutionRegistered",
    "ExecutionStarted",
    "FirstInterventionReported",
    "HomeHealthCareNotified",
    "HomeHealthCareToldOfSwitch",
    "IncomingProviderNotified",
    "InterventionNotExecuted",
    "LastDayAgreed",
    "LaterStartAgreed",
    "LaterStartBasis",
    "NotifyHomeHealthCare",
    "OutgoingProviderNotified",
    "ProviderChoiceCommand",
    "ProviderChoiceEvent",
    "ProviderChoicePolicy",
    "ProviderChoiceState",
    "ProviderContacted",
    "ProviderJoinedList",
    "ProviderLeftList",
    "ProviderNamed",
    "ProviderPaused",
    "ProviderResumed",
    "ProvidersMediated",
    "ReceiptConfirmed",
    "ReceiptFiled",
    "Rechoice",
    "RechoiceRegistered",
    "RegisterAbstention",
    "RegisterExecution",
    "RegisterRechoice",
    "Stage",
    "TakeoverAnnounced",
    "TakeoverDateDocumented",
    "TakeoverDateReported",
    "TakeoverWishRecorded",
    "UrgentlyAssigned",
    "allowed_commands",
    "decide",
    "deviations",
    "deviations_of",
    "evolve",
    "execution_deadline_of",
    "initial_state",
    "is_terminal",
    "policy_in_force",
    "replay",
    "required_actions",
    "rotation_of",
    "switch_window_of",
    "turn_deviations",
]

PROVIDER_CHOICE: Final = VAL
"""Routine VAL (the same object as :data:`VAL`)."""
COMMANDS: Final = cast(
    "tuple[type[ProviderChoiceEvent] | type[ProviderChoiceCommand], ...]", VAL.commands
)
"""Every class :func:`decide` takes (a step's event, or its command), in the routine's order."""
EVENTS: Final[tuple[type[ProviderChoiceEvent], ...]] = VAL.log_events
"""Every event type of routine VAL: its steps' and its lists' (VAL-2)."""

# The routine's methods, as the module's functions (typed by the routine's classes).
decide: Final = VAL.decide
"""Decide a request of routine VAL: the event to record, or a refusal recording nothing, X-2."""
evolve: Final = VAL.evolve
"""Fold one event of routine VAL into a state; never fails on an event of the routine, X-1."""
replay: Final = VAL.replay
"""Fold a case's events into its state; ``strict=False`` keeps anomalies instead, X-1."""
required_actions: Final = VAL.required_actions
"""Return what must happen next in a VAL case (åtgärder), for whom, how and by when."""
deviations: Final = VAL.deviations
"""Return the deviations of a VAL case as recorded by ``as_of`` (avvikelser), X-5."""
deviations_of: Final = VAL.deviations_of
"""Return the deviations of the VAL events recorded by ``as_of``, every case, X-5."""
allowed_commands: Final = VAL.allowed_commands
"""Return the requests the state of a VAL case allows, whatever the actor's role."""
is_terminal: Final = VAL.is_terminal
"""Whether the case has ended: never for VAL, whose cases go on; a re-choice can come."""


def _state_of(state: object) -> ProviderChoiceState:
    if not isinstance(state, ProviderChoiceState):
        raise InvalidInput(
            f"state must be a ProviderChoiceState of routine VAL, not {class_name(type(state))}"
        )
    return state


def execution_deadline_of(
    state: ProviderChoiceState,
    *,
    policy: ProviderChoicePolicy | Iterable[ProviderChoicePolicy] | None = None,
) -> Deadline | None:
    """Return the execution deadline (verkställighetsfrist) of the first choice, VAL-6.

    Counted from the distribution for a municipal provider and from the contact for
    a private one; a later start agreed moves it, unless it was recorded after the
    due time had passed (X-5). As the case's deviations judge it, by the policy in
    force when the choice was registered. None until the clock has started, and for
    an urgent assignment (VAL-7), whose own ``start_by`` is due instead.

    Raises:
        InvalidInput: for a state of another type, a policy not in force, or a due
            time beyond the years the calendar covers.
    """
    current = _state_of(state)
    for record in reversed(current.obligations):
        if record.name in ("execute", "execute_private"):
            rule = resolve_policy(policy, ProviderChoicePolicy, VAL.default_policy, record.at)
            return execution_deadline_in(record, rule)
    return None


def switch_window_of(
    state: ProviderChoiceState,
    *,
    policy: ProviderChoicePolicy | Iterable[ProviderChoicePolicy] | None = None,
) -> tuple[date, date] | None:
    """Return the switch window (byte inom 7–14 dagar) of the latest re-choice, VAL-18.

    Counted from the later of the two notifications; None until both are notified.
    """
    rechoice = _state_of(state).rechoice
    if rechoice is None or rechoice.outgoing_notified_at is None:
        return None
    if rechoice.incoming_notified_at is None:
        return None
    rule = resolve_policy(policy, ProviderChoicePolicy, VAL.default_policy, rechoice.registered_at)
    return switch_window(
        rechoice.outgoing_notified_at, rechoice.incoming_notified_at, policy=rule.switch
    )


# --------------------------------------------------------------------------- the lists


def _changed_list(  # noqa: PLR0911 - one return per kind of change
    rotation: RotationList | None, event: Event, area: str
) -> RotationList:
    """Fold one event of an area's record into its list (VAL-2)."""
    if isinstance(event, ProviderJoinedList):
        if rotation is None:
            ordered = event.ordering is RotationOrder.ALPHABETICAL
            make = RotationList.alphabetical if ordered else RotationList.in_order
            rotation = make(area, [], joined=event.on)
        return rotation.join(event.provider, event.on, cap=event.cap)
    if rotation is None:
        raise InvalidInput(
            f"the record of area {shown(area)} has a {class_name(type(event))} before any "
            "provider joined its list"
        )
    if isinstance(event, ProviderLeftList):
        return rotation.leave(event.provider, event.on)
    if isinstance(event, ProviderPaused):
        return rotation.pause(event.provider, event.start, event.end, event.reason)
    if isinstance(event, ProviderResumed):
        return rotation.resume(event.provider, event.on)
    if isinstance(event, CapSet):
        return rotation.set_cap(event.provider, event.cap)
    if isinstance(event, CustomerReleased):
        return rotation.release(event.provider)
    if isinstance(event, AbstentionRegistered | UrgentlyAssigned):
        return rotation.serve(event.provider, event.at)
    return rotation


def _of_area(events: Iterable[Event], area: str) -> list[Event]:
    """Return an area's events of the record in the canonical order (:meth:`Routine.ordered`)."""
    return [event for event in VAL.ordered(events) if getattr(event, "area", None) == area]


def rotation_of(events: Iterable[Event], area: str) -> RotationList:
    """Return an area's non-choice list (akut- och ickevalslistan) as the record leaves it, VAL-2.

    Folds, in the canonical order of the record (:meth:`Routine.ordered`: recorded
    time, time, the table's order, then the fields, so any order of the same events
    gives the same list), the list's own events (a provider joining, leaving, paused,
    resumed, a cap set, a customer released) and every take recorded in a case (an
    abstention, or an urgent assignment by the list, of that area): each take moves
    the list on once, as :meth:`RotationList.take` does. Events of other areas and
    routines are skipped.

    Raises:
        InvalidInput: for a change the list refuses (a provider joining twice…), or
            a take recorded before the area's first provider joined.
    """
    rotation: RotationList | None = None
    for event in _of_area(events, area):
        rotation = _changed_list(rotation, event, area)
    if rotation is None:
        raise InvalidInput(f"no provider has joined the list of area {shown(area)}")
    return rotation


def turn_deviations(events: Iterable[Event], area: str) -> list[Deviation]:
    """Return every take of an area's list that did not go to the provider next in turn, VAL-2.

    Each abstention (and urgent assignment by the list) is checked against the list
    as the record stood just before it, in the canonical order: a customer who
    abstains gets the provider next in turn (VAL-2). The record is folded as
    :func:`rotation_of` folds it; after a change the list refuses, no later take can
    be judged.
    """
    found: list[Deviation] = []
    rotation: RotationList | None = None
    for event in _of_area(events, area):
        if isinstance(event, AbstentionRegistered | UrgentlyAssigned) and rotation is not None:
            try:
                expected: Provider | None = rotation.next_in_turn(event.at)
            except ArendefordelningError:
                expected = None
            if expected is not None and expected != event.provider:
                found.append(
                    Deviation(
                        case=event.case,
                        routine=VAL.code,
                        requirement="VAL-2",
                        severity=Severity.ERROR,
                        kind=DeviationKind.OUT_OF_TURN,
                        sv=f"ge kunden utföraren som står i tur ({shown(expected.name)})",
                        en=f"give the customer the provider next in turn ({shown(expected.name)})",
                        happened_at=event.at,
                        detail_sv=f"kunden fick {shown(event.provider.name)}",
                        detail_en=f"the customer got {shown(event.provider.name)}",
                    )
                )
        try:
            rotation = _changed_list(rotation, event, area)
        except ArendefordelningError:
            break
    return found
