"""Routine DV's rules: DV-5's due time (frist), conditions, checks, flags, obligations."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any, Final

from ..._time import as_stockholm
from ..._validators import describe
from ...calendar import WorkCalendar
from ...errors import InvalidInput
from ...kernel import (
    ActionKind,
    Check,
    DeviationKind,
    Due,
    Finding,
    Flag,
    Opened,
    Role,
    Step,
    Table,
)
from ._events import (
    _DEFAULT_POLICY,
    AskSocialWorkerToSend,
    AssignmentPlaced,
    AssignmentReceived,
    AssignmentSentToDistrict,
    ClarificationAsked,
    DayActivityCommand,
    DayActivityEvent,
    DayActivityPolicy,
    NoPlaceRecorded,
    OtherDistrictProposed,
    ProposeOtherDistrict,
    SendToOtherDistrict,
    SocialWorkerAskedToSend,
)
from ._state import DayActivityState, StandIn

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
