"""Routine UP's table of steps (rutinens tabell): conditions, checks, flags, duties, steps.

Every duty to tell of the table is one of
:func:`~arendefordelning.routines.assignment_dispatch.required_notifications` for the
situation its step makes (the ``per`` of each opens one record per recipient, and per
hospital stay), met only by a notification of its subject to that recipient (and of
that stay): a second stay's duties never meet or replace the first's.
"""

from __future__ import annotations

from collections.abc import Hashable
from datetime import date, datetime
from typing import Any, Final, cast

from ..._time import format_local
from ...kernel import (
    ActionKind,
    Channel,
    Check,
    DeviationKind,
    Finding,
    Flag,
    Obligation,
    Opened,
    Role,
    Routine,
    Table,
)
from ...providers import ProviderKind
from . import _rules as r
from ._events import (
    HOSPITAL_SUBJECTS,
    ROUTINE,
    AdmittedToHospital,
    AlarmInstalled,
    AlarmReturned,
    AssignmentClosed,
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
    TimeRecordingOrdered,
)
from ._state import AssignmentDispatchPolicy, AssignmentDispatchState, Held, Stay, initial_state

State = AssignmentDispatchState
Policy = AssignmentDispatchPolicy
rows: Final = Table(AssignmentDispatchState, AssignmentDispatchPolicy)
"""The typed builder of UP's rows."""

STATED_TIME: Final = DeviationKind.define(
    "WRONG_STATED_TIME", sv="fel redovisad tid", en="wrong stated time"
)
"""UP-3: the stated time is not the granted time rounded up to the nearest quarter hour."""
WRONG_PROVIDER: Final = DeviationKind.define(
    "WRONG_PROVIDER", sv="fel utförare", en="wrong provider"
)
"""UP-10: a safety-alarm assignment registered on another than the municipal home care."""

_ASSESSOR: Final = frozenset({Role.NEEDS_ASSESSOR})
_PROVIDER: Final = frozenset({Role.PROVIDER})
_INSTALLER: Final = frozenset({Role.ALARM_INSTALLER})
_WITNESSES: Final = frozenset({Role.PROVIDER, Role.NIGHT_PATROL, Role.NEEDS_ASSESSOR})
_SENDING: Final = frozenset(role for roles in r.SENDERS.values() for role in roles)


# --------------------------------------------------------------------------- conditions

_when = rows.condition
TO_EXECUTE: Final = _when(
    ("en insats väntar på verkställighet", "an intervention awaits execution"),
    lambda s: any(
        h.executed_on is None and h.intervention is not Intervention.SAFETY_ALARM for h in s.held
    ),
)
"""UP-9: an intervention held (other than the alarm) not yet registered as executed."""
TO_INSTALL: Final = _when(
    ("ett trygghetslarm väntar på installation", "a safety alarm awaits installation"),
    lambda s: any(
        h.intervention is Intervention.SAFETY_ALARM and h.executed_on is None for h in s.held
    ),
)
"""UP-11: a safety alarm held and not yet installed."""
INSTALLED: Final = _when(
    ("trygghetslarmet är installerat", "the safety alarm is installed"),
    lambda s: any(
        h.intervention is Intervention.SAFETY_ALARM and h.executed_on is not None for h in s.held
    ),
)
"""UP-12: an alarm is returned once it was installed."""
AT_HOME_WITH_INTERVENTIONS: Final = _when(
    (
        "omsorgstagaren har insatser och är inte på sjukhus",
        "the care recipient has interventions and is not in hospital",
    ),
    lambda s: bool(s.held) and not s.in_hospital,
)
"""UP-14: a recipient with existing interventions is admitted."""
IN_HOSPITAL: Final = _when(
    ("omsorgstagaren är på sjukhus", "the care recipient is in hospital"),
    lambda s: s.in_hospital,
)
"""UP-14: a recipient in hospital comes home."""


# --------------------------------------------------------------------------- checks


def _not_new(state: State, event: AssignmentSent) -> str | None:
    """UP-5: a recipient with an assignment sent in the case is not a new care recipient."""
    if event.new_recipient and state.sent:
        return (
            "the case has an assignment sent already, so the care recipient is not new; "
            "give new_recipient=False"
        )
    return None


def _no_assignment(state: State, event: Any) -> str | None:
    """UP-2, UP-5, UP-8: a provider's step is of an assignment the case sent it."""
    if state.latest_to(event.provider) is None:
        return "the case has sent no assignment to that provider"
    return None


def _not_to_execute(state: State, event: InterventionExecuted) -> str | None:
    """UP-9, UP-11: an intervention held is executed once per assignment; an alarm on installation."""  # noqa: E501
    if event.intervention is Intervention.SAFETY_ALARM:
        return (
            "a safety alarm is executed by the alarm installer when installed: record "
            "AlarmInstalled (UP-11)"
        )
    held = state.holder(event.intervention)
    if held is None:
        return "the care recipient holds no such intervention: an assignment names it first"
    if held.executed_on is not None:
        return "the intervention is registered as executed already under its latest assignment"
    return None


def _stay_taken(state: State, event: DischargeAnnounced | AdmittedToHospital) -> str | None:
    """UP-13, UP-14: each hospital stay is its own: an identifier is used for one stay."""
    found = state.stay(event.stay)
    if found is None:
        return None
    if isinstance(event, DischargeAnnounced) and found.open and found.discharge_at is None:
        return None  # a recipient in hospital applies for more: the same stay
    return "a hospital stay of that identifier is recorded already; a new stay has its own"


def _not_in_hospital(state: State, event: HomeFromHospital) -> str | None:
    """UP-14: a recipient comes home from a stay admitted and not yet ended."""
    found = state.stay(event.stay)
    if found is None or not found.open:
        return "no hospital stay of that identifier is under way in the case"
    return None


def _unknown_stay(state: State, event: NotificationSent) -> str | None:
    """UP-13, UP-14: a notification of a hospital stay names a stay of the case."""
    if event.stay is not None and state.stay(event.stay) is None:
        return "no hospital stay of that identifier is recorded in the case"
    return None


def _invalid(requirement: str, reason: Any, sv: str, en: str) -> Check[Any, Any]:
    return Check(requirement, reason, (sv, en), invalid=True)


# --------------------------------------------------------------------------- flags


def _stated_time(before: State, event: AssignmentSent, policy: Policy) -> Finding | None:
    """UP-3: the stated time is the granted time rounded up to the nearest quarter hour."""
    problem = r.stated_time_problem(event.granted_minutes, event.stated_minutes)
    if problem is None:
        return None
    granted, stated = event.granted_minutes, event.stated_minutes
    return Finding(
        kind=STATED_TIME,
        detail_sv=f"beviljat {granted} min, redovisat {stated} min: {problem[0]}",
        detail_en=f"granted {granted} min, stated {stated} min: {problem[1]}",
    )


def _alarm_not_municipal(before: State, event: AssignmentSent, policy: Policy) -> Finding | None:
    """UP-10: a safety-alarm assignment is registered on the municipal home care."""
    if Intervention.SAFETY_ALARM not in event.interventions:
        return None
    if event.provider.kind is ProviderKind.MUNICIPAL:
        return None
    return Finding(
        kind=WRONG_PROVIDER,
        detail_sv="registrerat på en privat utförare",
        detail_en="registered on a private provider",
    )


def _order_not_required(
    before: State, event: TimeRecordingOrdered, policy: Policy
) -> Finding | None:
    """UP-2: day activity and scheduled transport are never ordered in the time-recording system."""
    sent = before.latest_to(event.provider)
    if sent is None or r.time_recording_required(sent.interventions):
        return None
    return Finding(
        kind=DeviationKind.NOT_REQUIRED,
        detail_sv="uppdraget har bara dagverksamhet och/eller turbundna resor",
        detail_en="the assignment holds only day activity and/or scheduled transport",
    )


def _handover_channel(before: State, event: HandedOver, policy: Policy) -> Finding | None:
    """UP-5: a new care recipient by telephone; others by telephone or system message."""
    sent = before.latest_to(event.provider)
    channels = set(event.channels)
    if sent is not None and sent.new_recipient:
        if Channel.TELEPHONE in channels:
            return None
        return Finding(
            kind=DeviationKind.WRONG_CHANNEL,
            sv="överrapportera alltid per telefon vid ny omsorgstagare",
            en="always hand a new care recipient over by telephone",
            detail_sv="ny omsorgstagare, inte per telefon",
            detail_en="a new care recipient, not by telephone",
        )
    if channels & {Channel.TELEPHONE, Channel.SYSTEM_MESSAGE}:
        return None
    return Finding(
        kind=DeviationKind.WRONG_CHANNEL,
        detail_sv="varken per telefon eller via meddelande",
        detail_en="neither by telephone nor by system message",
    )


def _receipt_channel(
    before: State, event: AssignmentReceiptConfirmed, policy: Policy
) -> Finding | None:
    """UP-8: the provider confirms receipt by a system message."""
    if event.channel is Channel.SYSTEM_MESSAGE:
        return None
    return Finding(
        kind=DeviationKind.WRONG_CHANNEL,
        detail_sv=f"bekräftat {event.channel.label('sv')}",
        detail_en=f"confirmed {event.channel.label('en')}",
    )


def _registered_late(
    before: State, event: InterventionExecuted | AlarmInstalled, policy: Policy
) -> Finding | None:
    """UP-9, UP-11: execution is registered when the intervention starts (or the alarm is installed)."""  # noqa: E501
    started = event.installed_on if isinstance(event, AlarmInstalled) else event.started_on
    calendar = policy.calendar
    last = (
        calendar.roll_forward(started)
        if policy.executed_within == 0
        else calendar.add_workdays(started, policy.executed_within)
    )
    if event.at.date() <= last:
        return None
    return Finding(
        kind=DeviationKind.LATE,
        due_on=last,
        happened_on=started,
        detail_sv=f"startade {started}, verkställd {format_local(event.at)}",
        detail_en=f"started {started}, registered as executed {format_local(event.at)}",
    )


def _channel_flag(requirement: str) -> Flag[State, NotificationSent, Policy]:
    """UP-10, UP-12, UP-14: a notification goes by the channel the routine names for it."""

    def judge(before: State, event: NotificationSent, policy: Policy) -> Finding | None:
        expected = r.expected_channel(event.subject, event.recipient)
        if expected is None or expected[0] != requirement or expected[1] is event.channel:
            return None
        return Finding(
            kind=DeviationKind.WRONG_CHANNEL,
            detail_sv=f"{event.subject.label('sv')} till {event.recipient.label('sv')} "
            f"{event.channel.label('sv')}",
            detail_en=f"{event.subject.label('en')} to {event.recipient.label('en')} "
            f"{event.channel.label('en')}",
        )

    return Flag(
        requirement,
        judge,
        (
            "meddela via meddelandefunktionen i verksamhetssystemet",
            "tell by a message in the case-management system",
        ),
    )


# --------------------------------------------------------------------------- the duties


def _provider_name(record: Opened[Any]) -> str:
    return str(record.event.provider.name)


def _day_due(within: str) -> Any:
    """Return a due day: the policy's ``within`` working days after the day the step happened."""

    def due(record: Opened[AssignmentDispatchEvent], rule: Policy) -> date:
        return r._workday(record.event.at, getattr(rule, within), rule)

    return due


def _day_words(within: str) -> Any:
    def words(record: Opened[AssignmentDispatchEvent], rule: Policy) -> tuple[str, str]:
        return r.workday_words(getattr(rule, within))

    return words


def _intervention(record: Opened[Any]) -> Intervention:
    """Return the intervention a UP-9 record is for: its key."""
    key = record.key
    assert isinstance(key, Intervention)
    return key


def _per_provider(state: State, event: AssignmentSent, rule: Policy) -> tuple[Hashable, ...]:
    return (event.provider,)


def _same_provider(record: Opened[Any], event: Any) -> bool:
    return bool(event.provider == record.key)


_ORDER = rows.obligation(
    "order",
    AssignmentSent,
    requirement="UP-2",
    roles=Role.NEEDS_ASSESSOR,
    sv=lambda o: f"lägg en beställning i Phoniro för uppdraget till {_provider_name(o)}",
    en=lambda o: (
        f"place an order in the time-recording system (Phoniro) for the assignment to "
        f"{_provider_name(o)}"
    ),
    met_by=("order",),
    due=_day_due("order_within"),
    since=("uppdraget skickades", "the assignment was sent"),
    rule=_day_words("order_within"),
    per=lambda s, e, p: (e.provider,) if r.time_recording_required(e.interventions) else (),
    met_if=_same_provider,
)
_CONFIRM_RECEIPT = rows.obligation(
    "confirm_receipt",
    AssignmentSent,
    requirement="UP-8",
    roles=Role.PROVIDER,
    kind=ActionKind.MESSAGE,
    channel=Channel.SYSTEM_MESSAGE,
    recipient="biståndshandläggaren",
    assignee=_provider_name,
    sv="bekräfta till biståndshandläggaren att uppdraget är mottaget",
    en="confirm to the needs assessor that the assignment was received",
    met_by=("confirm_receipt",),
    due=_day_due("receipt_within"),
    since=("uppdraget skickades", "the assignment was sent"),
    rule=_day_words("receipt_within"),
    per=_per_provider,
    met_if=_same_provider,
)
_EXECUTE = rows.obligation(
    "execute",
    AssignmentSent,
    requirement="UP-9",
    roles=Role.PROVIDER,
    assignee=_provider_name,
    sv=lambda o: f"verkställ insatsen {_intervention(o).value} från den dag den påbörjas",
    en=lambda o: (
        f"register the intervention {_intervention(o).label('en')} as executed from the day "
        "it starts"
    ),
    met_by=("execute",),
    per=lambda s, e, p: tuple(i for i in e.interventions if i is not Intervention.SAFETY_ALARM),
    met_if=lambda o, e: e.intervention is _intervention(o),
)
_INSTALL = rows.obligation(
    "install",
    AssignmentSent,
    requirement="UP-11",
    roles=Role.ALARM_INSTALLER,
    sv="installera trygghetslarmet och verkställ insatsen",
    en="install the safety alarm and register it as executed",
    met_by=("install",),
    per=lambda s, e, p: tuple(i for i in e.interventions if i is Intervention.SAFETY_ALARM),
)


_Notices = tuple[str | None, tuple[tuple[r._Rule, Recipient], ...]]
_last: list[tuple[State, Any, Policy, _Notices]] = []
"""The latest step's duties to tell: the step opens up to eight, each asking for them."""


def _notices(state: State, event: Any, policy: Policy) -> _Notices:
    """Return the stay and the duties to tell of the situation a step makes (UP-5…UP-14).

    Computed once per step: the ``per`` of every duty of the step asks with the same
    state, event and policy; the cache keeps the three alive, so no other object can
    take their identities while it holds them.
    """
    cached = _last[:1]  # one copy: another thread may replace the entry meanwhile
    if cached:
        seen, of, rule, found = cached[0]
        if seen is state and of is event and rule is policy:
            return found
    before = state.held_before if isinstance(event, AssignmentSent) else state.held
    situation = r.situation_in(before, state.held, event)
    found = (
        (None, ())
        if situation is None
        else (
            situation.stay,
            tuple(r.notices(situation, policy)),
        )
    )
    _last[:] = [(state, event, policy, found)]
    return found


def _keys(rule: Any) -> Any:
    """Return the records a step opens for a duty to tell: one per recipient (and stay) it owes."""

    def per(state: State, event: Any, policy: Policy) -> tuple[Hashable, ...]:
        stay, duties = _notices(state, event, policy)
        return tuple(
            (recipient, stay if rule.subject in HOSPITAL_SUBJECTS else None)
            for duty, recipient in duties
            if duty is rule
        )

    return per


def _told(rule: Any) -> Any:
    """Return whether a notification meets a record: its subject, recipient and stay."""

    def met_if(record: Opened[Any], event: Any) -> bool:
        recipient, stay = _recipient_key(record)
        return bool(
            event.subject is rule.subject and event.recipient is recipient and event.stay == stay
        )

    return met_if


def _recipient_key(record: Opened[Any]) -> tuple[Recipient, str | None]:
    """Return a duty to tell's key: the recipient, and the stay or None."""
    recipient, stay = cast("tuple[Recipient, str | None]", record.key)
    return recipient, stay


def _recipient_words(record: Opened[Any], swedish: bool) -> str:
    recipient = _recipient_key(record)[0]
    return recipient.label("sv" if swedish else "en")


def _notice(rule: Any, opener: type[Any]) -> Obligation[State, Any, Policy]:
    """Declare the duty to tell of one rule, opened by ``opener``: a record per recipient, stay."""
    since = r.SINCE[rule.subject]

    def sv(record: Opened[Any]) -> str:
        return str(rule.sv.format(recipient=_recipient_words(record, True)))

    def en(record: Opened[Any]) -> str:
        return str(rule.en.format(recipient=_recipient_words(record, False)))

    def due(record: Opened[Any], policy: Policy) -> datetime | date:
        return r.notice_due(
            rule, record.event.at, getattr(record.event, "discharge_at", None), policy
        )

    return rows.obligation(
        rule.name,
        opener,
        requirement=rule.requirement,
        roles=rule.sender,
        kind=ActionKind.MESSAGE,
        channel=rule.channel,
        recipient=lambda o: _recipient_words(o, True),
        sv=sv,
        en=en,
        met_by=("notify",),
        due=due,
        since=since,
        rule=lambda o, p: r.notice_words(rule, p),
        per=_keys(rule),
        met_if=_told(rule),
    )


_HAND_OVER = rows.obligation(
    "hand_over",
    AssignmentSent,
    requirement="UP-5",
    roles=Role.NEEDS_ASSESSOR,
    kind=ActionKind.MESSAGE,
    channel=lambda o: r.notice_channel(r.HAND_OVER, o.event.new_recipient),
    recipient=_provider_name,
    sv=lambda o: (
        "överrapportera uppdraget"
        + (" om en ny omsorgstagare" if o.event.new_recipient else "")
        + f" till {_provider_name(o)}"
    ),
    en=lambda o: (
        "hand the assignment"
        + (" of a new care recipient" if o.event.new_recipient else "")
        + f" over to {_provider_name(o)}"
    ),
    met_by=("hand_over",),
    due=_day_due("handover_within"),
    since=("uppdraget skickades", "the assignment was sent"),
    rule=_day_words("handover_within"),
    per=_keys(r.HAND_OVER),
    met_if=lambda o, e: bool(e.provider == o.event.provider),
)
_TELL_ALARM_GROUP = _notice(r.TELL_ALARM_GROUP, AssignmentSent)
_TELL_ALARM_GROUP_AGAIN = _notice(r.TELL_ALARM_GROUP_AGAIN, AssignmentSent)
_SEND_TO_ALARM_LIST = _notice(r.SEND_TO_ALARM_LIST, AssignmentSent)
_TELL_OF_DISCHARGE = _notice(r.TELL_OF_DISCHARGE, DischargeAnnounced)
_TELL_NIGHT_PATROL = _notice(r.TELL_NIGHT_PATROL_OF_ADMISSION, AdmittedToHospital)
_TELL_DAY_PROVIDER = _notice(r.TELL_DAY_PROVIDER_OF_ADMISSION, AdmittedToHospital)
_TELL_OF_HOMECOMING = _notice(r.TELL_NIGHT_PATROL_OF_HOMECOMING, HomeFromHospital)
_REPORT_RETURN = _notice(r.REPORT_RETURNED_ALARM, AlarmReturned)


# --------------------------------------------------------------------------- builds, applies


def hand_over(command: HandOver, state: State, rule: Policy) -> HandedOver:
    """UP-7: a handover to the municipal home care before a weekend or holiday is flagged."""
    sent = state.latest_to(command.provider)
    special = (
        sent is not None
        and r.to_municipal_home_care(sent.provider, sent.interventions)
        and r.special_contact_path(command.at, policy=rule)
    )
    return HandedOver(
        case=command.case,
        at=command.at,
        recorded_at=command.recorded_at,
        actor=command.actor,
        provider=command.provider,
        channels=command.channels,
        special_contact_path=special,
    )


def _executed(state: State, intervention: Intervention, started: date) -> dict[str, Any]:
    held = tuple(
        Held(
            intervention=h.intervention,
            provider=h.provider,
            sent_at=h.sent_at,
            executed_on=started if h.intervention is intervention else h.executed_on,
        )
        for h in state.held
    )
    return {"held": held, "executions": (*state.executions, (intervention, started))}


def _sent(state: State, event: AssignmentSent, rule: Policy) -> dict[str, Any]:
    """UP-1: the assignment is kept, and the interventions it names go to its provider."""
    return {
        "sent": (*state.sent, event),
        "held_before": state.held,
        "held": r.held_after(state, event),
        "ordered": tuple(p for p in state.ordered if p != event.provider),
        "receipts": tuple(p for p in state.receipts if p != event.provider),
    }


def _returned(state: State, event: AlarmReturned, rule: Policy) -> dict[str, Any]:
    """UP-12: the returned alarm is no longer held."""
    return {
        "held": tuple(h for h in state.held if h.intervention is not Intervention.SAFETY_ALARM),
        "returned": event.reason,
    }


def _with_stay(state: State, stay: Stay) -> tuple[Stay, ...]:
    if state.stay(stay.stay) is None:
        return (*state.stays, stay)
    return tuple(stay if found.stay == stay.stay else found for found in state.stays)


def _announced(state: State, event: DischargeAnnounced, rule: Policy) -> dict[str, Any]:
    found = state.stay(event.stay)
    admitted = None if found is None else found.admitted_at
    stay = Stay(stay=event.stay, admitted_at=admitted, discharge_at=event.discharge_at)
    return {"stays": _with_stay(state, stay)}


def _home(state: State, event: HomeFromHospital, rule: Policy) -> dict[str, Any]:
    found = state.stay(event.stay)
    assert found is not None  # the check asks for a stay under way
    stay = Stay(
        stay=found.stay,
        admitted_at=found.admitted_at,
        discharge_at=found.discharge_at,
        home_at=event.at,
    )
    return {"stays": _with_stay(state, stay)}


# --------------------------------------------------------------------------- the steps

_NOTIFIED_AFTER: Final = ("send", "announce_discharge", "admit", "come_home", "return_alarm")

STEPS: Final = (
    rows.step(
        "send",
        AssignmentSent,
        requirements=("UP-1", "UP-2", "UP-3", "UP-4", "UP-5", "UP-9"),
        roles=_ASSESSOR,
        label=("skicka uppdraget", "send the assignment"),
        once=False,
        checks=(
            _invalid(
                "UP-5",
                _not_new,
                "ange ny omsorgstagare bara för ärendets första uppdrag",
                "give a new care recipient only for the case's first assignment",
            ),
        ),
        flags=(
            Flag(
                "UP-3",
                _stated_time,
                (
                    "redovisa total beviljad tid avrundad uppåt till närmsta kvart",
                    "state the total granted time rounded up to the nearest quarter hour",
                ),
            ),
            Flag(
                "UP-10",
                _alarm_not_municipal,
                (
                    "registrera trygghetslarmet på hemtjänsten i egen regi",
                    "register the safety alarm on the municipal home care",
                ),
            ),
        ),
        opens=(
            _ORDER,
            _HAND_OVER,
            _CONFIRM_RECEIPT,
            _EXECUTE,
            _INSTALL,
            _TELL_ALARM_GROUP,
            _TELL_ALARM_GROUP_AGAIN,
            _SEND_TO_ALARM_LIST,
        ),
        apply=_sent,
    ),
    rows.step(
        "order",
        TimeRecordingOrdered,
        requirements=("UP-2",),
        roles=_ASSESSOR,
        label=("beställa i Phoniro", "order in the time-recording system"),
        after=("send",),
        once=False,
        checks=(
            _invalid(
                "UP-2",
                _no_assignment,
                "beställ för en utförare som fått uppdrag i ärendet",
                "order for a provider the case sent an assignment to",
            ),
        ),
        flags=(
            Flag(
                "UP-2",
                _order_not_required,
                (
                    "beställ aldrig dagverksamhet eller turbundna resor i Phoniro",
                    "never order day activity or scheduled transport in the time-recording system",
                ),
            ),
        ),
        apply=lambda s, e, p: {"ordered": (*s.ordered, e.provider)},
    ),
    rows.step(
        "hand_over",
        HandedOver,
        requirements=("UP-5", "UP-7"),
        roles=_ASSESSOR,
        label=("överrapportera till utföraren", "hand over to the provider"),
        command=HandOver,
        build=hand_over,
        after=("send",),
        once=False,
        checks=(
            _invalid(
                "UP-5",
                _no_assignment,
                "överrapportera till en utförare som fått uppdrag i ärendet",
                "hand over to a provider the case sent an assignment to",
            ),
        ),
        flags=(
            Flag(
                "UP-5",
                _handover_channel,
                (
                    "överrapportera per telefon, eller via meddelande om omsorgstagaren inte är ny",
                    "hand over by telephone, or by system message when the care recipient "
                    "is not new",
                ),
            ),
        ),
        apply=lambda s, e, p: {"handovers": (*s.handovers, e)},
    ),
    rows.step(
        "confirm_receipt",
        AssignmentReceiptConfirmed,
        requirements=("UP-8",),
        roles=_PROVIDER,
        label=("bekräfta mottagandet", "confirm receipt"),
        after=("send",),
        once=False,
        checks=(
            _invalid(
                "UP-8",
                _no_assignment,
                "bekräfta ett uppdrag som skickats till utföraren",
                "confirm an assignment sent to the provider",
            ),
        ),
        flags=(
            Flag(
                "UP-8",
                _receipt_channel,
                (
                    "bekräfta mottagandet via meddelande i verksamhetssystemet",
                    "confirm receipt by a message in the case-management system",
                ),
            ),
        ),
        apply=lambda s, e, p: {
            "receipts": s.receipts if e.provider in s.receipts else (*s.receipts, e.provider)
        },
    ),
    rows.step(
        "execute",
        InterventionExecuted,
        requirements=("UP-9",),
        roles=_PROVIDER,
        label=("verkställa insatsen", "register the intervention as executed"),
        after=("send",),
        when=TO_EXECUTE,
        once=False,
        checks=(
            _invalid(
                "UP-9",
                _not_to_execute,
                "verkställ en pågående insats, en gång per uppdrag",
                "register an intervention held as executed, once per assignment",
            ),
        ),
        flags=(
            Flag(
                "UP-9",
                _registered_late,
                (
                    "verkställ insatsen när den påbörjats",
                    "register the intervention as executed when it starts",
                ),
            ),
        ),
        apply=lambda s, e, p: _executed(s, e.intervention, e.started_on),
    ),
    rows.step(
        "install",
        AlarmInstalled,
        requirements=("UP-11",),
        roles=_INSTALLER,
        label=("verkställa trygghetslarmet vid installation", "execute the alarm on installation"),
        after=("send",),
        when=TO_INSTALL,
        once=False,
        flags=(
            Flag(
                "UP-11",
                _registered_late,
                (
                    "verkställ trygghetslarmet när det installerats",
                    "register the safety alarm as executed when it is installed",
                ),
            ),
        ),
        apply=lambda s, e, p: _executed(s, Intervention.SAFETY_ALARM, e.installed_on),
    ),
    rows.step(
        "return_alarm",
        AlarmReturned,
        requirements=("UP-12",),
        roles=_INSTALLER,
        label=("ta emot återlämnat trygghetslarm", "take back the returned safety alarm"),
        after=("install",),
        when=INSTALLED,
        once=False,
        opens=(_REPORT_RETURN,),
        apply=_returned,
    ),
    rows.step(
        "announce_discharge",
        DischargeAnnounced,
        requirements=("UP-13",),
        roles=_ASSESSOR,
        label=("registrera aviserad utskrivning", "record the announced discharge"),
        once=False,
        checks=(
            _invalid(
                "UP-13",
                _stay_taken,
                "ge varje sjukhusvistelse en egen identitet",
                "give each hospital stay an identifier of its own",
            ),
        ),
        opens=(_TELL_OF_DISCHARGE,),
        apply=_announced,
    ),
    rows.step(
        "admit",
        AdmittedToHospital,
        requirements=("UP-14",),
        roles=_WITNESSES,
        label=("registrera inläggning på sjukhus", "record the admission to hospital"),
        after=("send",),
        when=AT_HOME_WITH_INTERVENTIONS,
        once=False,
        checks=(
            _invalid(
                "UP-14",
                _stay_taken,
                "ge varje sjukhusvistelse en egen identitet",
                "give each hospital stay an identifier of its own",
            ),
        ),
        opens=(_TELL_NIGHT_PATROL, _TELL_DAY_PROVIDER),
        apply=lambda s, e, p: {"stays": (*s.stays, Stay(stay=e.stay, admitted_at=e.at))},
    ),
    rows.step(
        "come_home",
        HomeFromHospital,
        requirements=("UP-14",),
        roles=_WITNESSES,
        label=("registrera hemkomst från sjukhus", "record the return home from hospital"),
        after=("admit",),
        when=IN_HOSPITAL,
        once=False,
        checks=(
            _invalid(
                "UP-14",
                _not_in_hospital,
                "registrera hemkomst från en pågående sjukhusvistelse",
                "record the return home from a hospital stay under way",
            ),
        ),
        opens=(_TELL_OF_HOMECOMING,),
        apply=_home,
    ),
    rows.step(
        "notify",
        NotificationSent,
        requirements=("UP-6", "UP-10", "UP-12", "UP-13", "UP-14"),
        roles=_SENDING,
        label=("lämna meddelande", "send a notification"),
        roles_for=lambda e: r.SENDERS.get((e.subject, e.recipient), frozenset()),
        after_any=_NOTIFIED_AFTER,
        once=False,
        checks=(
            _invalid(
                "UP-14",
                _unknown_stay,
                "ange en sjukhusvistelse som registrerats i ärendet",
                "name a hospital stay recorded in the case",
            ),
        ),
        flags=(_channel_flag("UP-10"), _channel_flag("UP-12"), _channel_flag("UP-14")),
    ),
    rows.step(
        "end",
        AssignmentClosed,
        requirements=("UP-1",),
        roles=_ASSESSOR,
        label=("avsluta uppdraget", "end the assignment"),
        after=("send",),
        terminal=True,
        apply=lambda s, e, p: {"ended_at": e.at},
    ),
)

ASSIGNMENT_DISPATCH: Final[
    Routine[AssignmentDispatchState, AssignmentDispatchEvent, AssignmentDispatchPolicy]
] = Routine(
    code=ROUTINE,
    title="Rutin för Utforma & skicka uppdrag",
    title_en="Routine for designing and sending assignments",
    initial=initial_state,
    policy=r.DEFAULT_POLICY,
    steps=STEPS,
    describe=AssignmentDispatchState.describe,
)
"""Routine UP as a table of steps, with the routine's own numbers (UP-1…UP-14)."""
