"""The rules of routine VAL: conditions, due times, checks, flags, builds, VAL-1…VAL-20.

Everything here that judges an obligation reads its record (the event that opened it
and the updates recorded while it was open), never the case's latest state, so that
an old duty is judged as it was known then (X-5). Checks and flags see the state
before the step they judge.
"""

from __future__ import annotations

from collections.abc import Hashable
from datetime import date, datetime, time
from typing import Any, Final

from ..._time import STOCKHOLM, UTC, at_local_time, format_local
from ...deadlines import (
    Deadline,
    ProviderKind,
    SwitchWindowPolicy,
    execution_deadline,
    switch_window,
)
from ...errors import ArendefordelningError, InvalidInput
from ...kernel import DeviationKind, Finding, Opened, Table, recorded
from ...kernel._generated import replace
from . import _events as ev
from ._state import ProviderChoicePolicy, ProviderChoiceState, Rechoice

State = ProviderChoiceState
Policy = ProviderChoicePolicy
rows: Final = Table(ProviderChoiceState, ProviderChoicePolicy)
"""The typed builder of VAL's rows."""

# --------------------------------------------------------------------------- conditions

_when = rows.condition
FRESH: Final = _when(
    ("ingen utförare är vald eller tilldelad", "no provider is chosen or given"),
    lambda s: s.first_provider is None,
)
URGENT_POSSIBLE: Final = _when(
    ("nytt ärende, eller ett val som inte är fördelat", "a new case, or a choice not distributed"),
    lambda s: s.first_provider is None or (s.in_first_choice and s.distributed_at is None),
)
"""VAL-7: an urgent start is given before the assignment is distributed."""
FIRST_CHOICE: Final = _when(
    ("inget byte av utförare är dokumenterat", "no switch of provider is documented"),
    lambda s: s.in_first_choice,
)
PRIVATE: Final = _when(
    ("privat utförare i första valet", "a private provider in the first choice"),
    lambda s: s.in_first_choice and s.private,
)
"""VAL-9…VAL-11 are a private provider's steps."""
READY_TO_DISTRIBUTE: Final = _when(
    ("kommunal utförare, eller uppdraget framtaget", "a municipal provider, or it is prepared"),
    lambda s: s.in_first_choice and (not s.private or s.prepared),
)
"""VAL-4, VAL-9: a private provider's assignment is prepared before it is distributed."""
NURSES_NOT_TOLD: Final = _when(
    ("kunden är inskriven i hemsjukvården", "the customer is enrolled in home health care"),
    lambda s: s.in_first_choice and s.home_health_care and not s.home_health_care_notified,
)
"""VAL-5: the home health care nurses are told once."""
NOT_EXECUTED: Final = _when(
    ("uppdraget är inte verkställt", "the assignment is not executed"),
    lambda s: s.in_first_choice and not s.executed,
)
MUNICIPAL_DISTRIBUTED: Final = _when(
    ("kommunal utförare som fått uppdraget", "a municipal provider given the assignment"),
    lambda s: s.in_first_choice and not s.private and s.distributed_at is not None,
)
"""VAL-6: a municipal provider's 24 hours run from the distribution."""
PRIVATE_CONTACTED: Final = _when(
    ("privat utförare som kontaktats", "a private provider contacted"),
    lambda s: s.in_first_choice and s.private and s.contacted_at is not None,
)
"""VAL-6, VAL-10: a private provider's 24 hours run from the contact."""
MAY_RECHOOSE: Final = _when(
    ("inget omval pågår, och en utförare att lämna", "no re-choice under way, a provider to leave"),
    lambda s: (
        not s.in_rechoice
        and (s.case is None or s.distributed_at is not None or s.rechoice is not None)
    ),
)
"""VAL-12: the outgoing provider has the assignment (distributed, switched to, or named)."""
IN_RECHOICE: Final = _when(("ett omval pågår", "a re-choice is under way"), lambda s: s.in_rechoice)
BOTH_NOTIFIED: Final = _when(
    ("båda utförarna är meddelade", "both providers are notified"),
    lambda s: s.in_rechoice and _rechoice(s).notified_at is not None,
)
LAST_DAY_AGREED: Final = _when(
    ("sista dag är överenskommen", "the last day is agreed"),
    lambda s: s.in_rechoice and _rechoice(s).last_day is not None,
)
CONSENTED: Final = _when(
    ("kunden samtycker till överlämnandet", "the customer consents to the handover"),
    lambda s: s.in_rechoice and bool(_rechoice(s).documentation_consent),
)
"""VAL-15, VAL-16: documentation passes only with the customer's consent."""
TELL_HOME_HEALTH_CARE: Final = _when(
    ("kunden har pågående hemsjukvård", "the customer has ongoing home health care"),
    lambda s: BOTH_NOTIFIED(s) and _rechoice(s).home_health_care,
)
"""VAL-19: with ongoing home health care the outgoing provider tells it of the switch."""


def _rechoice(state: State) -> Rechoice:
    assert state.rechoice is not None  # every caller checks in_rechoice first
    return state.rechoice


# --------------------------------------------------------------------------- items


def if_municipal(state: State, event: ev.ProviderNamed, policy: Policy) -> tuple[Hashable, ...]:
    """One record when the provider given is municipal, none otherwise (VAL-6)."""
    return (None,) if event.provider.kind is ProviderKind.MUNICIPAL else ()


def if_private(state: State, event: ev.ProviderNamed, policy: Policy) -> tuple[Hashable, ...]:
    """One record when the provider given is private, none otherwise (VAL-6, VAL-9, VAL-10)."""
    return (None,) if event.provider.kind is ProviderKind.PRIVATE else ()


def for_the_provider(state: State, event: object, policy: Policy) -> tuple[Hashable, ...]:
    """One record for the first choice's provider, the key it names (VAL-11)."""
    return (state.first_provider,)


def provider_key(record: Opened[Any]) -> str:
    """Name the provider a record was opened for, its key, VAL-11."""
    return record.key.name if hasattr(record.key, "name") else "utföraren"


# --------------------------------------------------------------------------- VAL-6


def _clock_start(record: Opened[ev.ProviderNamed]) -> datetime | None:
    """When VAL-6's 24 hours start: the distribution or the contact among the updates."""
    return next((u.at for u in record.updates if not isinstance(u, ev.LaterStartAgreed)), None)


def execution_deadline_in(record: Opened[ev.ProviderNamed], rule: Policy) -> Deadline | None:
    """Return the execution deadline (verkställighetsfrist) a record gives, as known then, VAL-6.

    Counted from the distribution (municipal provider) or the contact (private), the
    update that starts the clock, with the provider's kind known when the obligation
    was opened; a later start agreed moves it. An update recorded after the due time
    it would move has passed moves nothing (X-5). None until the clock starts.
    """
    kind = record.event.provider.kind
    start: datetime | None = None
    agreed: datetime | None = None
    found: Deadline | None = None
    for update in record.updates:
        if found is not None and recorded(update).astimezone(UTC) > found.due.astimezone(UTC):
            break
        if isinstance(update, ev.LaterStartAgreed):
            agreed = update.start
        elif start is None:
            start = update.at
        if start is not None:
            found = execution_deadline(
                start, agreed_start=agreed, policy=rule.execution, provider=kind
            )
    return found


def execution_due(record: Opened[ev.ProviderNamed], rule: Policy) -> datetime | None:
    """VAL-6: the due time of the execution, or None until the clock starts."""
    deadline = execution_deadline_in(record, rule)
    return None if deadline is None else deadline.due


def execution_counted_from(record: Opened[ev.ProviderNamed]) -> datetime:
    """VAL-6: the distribution or contact the 24 hours count from."""
    return _clock_start(record) or record.at


def execution_words(record: Opened[ev.ProviderNamed], rule: Policy) -> tuple[str, str]:
    """VAL-6 in words: execute within 24 hours."""
    hours = int(rule.execution.window.total_seconds() // 3600)
    return (f"verkställ inom {hours} timmar", f"execute within {hours} hours")


def execution_note(record: Opened[ev.ProviderNamed], rule: Policy) -> tuple[str, str] | None:
    """VAL-6: how the due time was counted, the cut-off and a later start."""
    deadline = execution_deadline_in(record, rule)
    return None if deadline is None else (deadline.explain("sv"), deadline.explain("en"))


def executed_at(event: Any) -> datetime:
    """VAL-6, VAL-11: a private provider executes on the first intervention's day.

    The first intervention's date counts from the start of that day; any other step
    that meets the obligation counts when it happened.
    """
    if isinstance(event, ev.FirstInterventionReported):
        try:
            return at_local_time(event.first_intervention, time(0))
        except OverflowError:  # the first day Python knows has no start in Stockholm
            return event.at
    at: datetime = event.at
    return at


# --------------------------------------------------------------------------- VAL-18


def window_in(
    record: Opened[ev.RechoiceRegistered], rule: SwitchWindowPolicy
) -> tuple[date, date] | None:
    """VAL-18: the switch window the notifications recorded in a re-choice's record give."""
    outgoing = incoming = None
    for update in record.updates:
        if isinstance(update, ev.OutgoingProviderNotified):
            outgoing = update.at
        elif isinstance(update, ev.IncomingProviderNotified):
            incoming = update.at
    if outgoing is None or incoming is None:
        return None
    return switch_window(outgoing, incoming, policy=rule)


def window_due(record: Opened[ev.RechoiceRegistered], rule: Policy) -> date | None:
    """VAL-15…VAL-19: a re-choice's steps are due by the last day of the window."""
    window = window_in(record, rule.switch)
    return None if window is None else window[1]


def window_counted_from(record: Opened[ev.RechoiceRegistered]) -> datetime:
    """VAL-18: the later of the two notifications."""
    notified = [update.at for update in record.updates]
    return max(notified, key=lambda moment: moment.astimezone(UTC), default=record.at)


def window_words(record: Opened[ev.RechoiceRegistered], rule: Policy) -> tuple[str, str]:
    """VAL-18 in words: switch within 7–14 days."""
    first, last = rule.switch.earliest.days, rule.switch.latest.days
    return (f"byte inom {first}–{last} dagar", f"switch within {first}–{last} days")


_DEFAULT_SWITCH: Final = SwitchWindowPolicy()


def window_text(record: Opened[ev.RechoiceRegistered], swedish: bool) -> str:
    """Write the window for an obligation's text, ``" (2026-04-08–2026-04-15)"``, VAL-18.

    Empty while it is unknown. A text cannot read the policy in force: the window
    shown is by the routine's own 7–14 days (the due time is by the policy in force).
    """
    try:
        window = window_in(record, _DEFAULT_SWITCH)
    except ArendefordelningError:  # beyond the last date Python knows: no window shown
        return ""
    if window is None:
        return ""
    first, last = window
    return f" ({first}–{last})" if swedish else f" ({first} to {last})"


# --------------------------------------------------------------------------- flags


def not_at_the_same_time(
    before: State, event: ev.OutgoingProviderNotified | ev.IncomingProviderNotified, policy: Policy
) -> Finding | None:
    """VAL-13: the outgoing and the incoming provider are notified at the same time."""
    rechoice = before.rechoice
    if rechoice is None:
        return None
    outgoing = isinstance(event, ev.OutgoingProviderNotified)
    other = rechoice.incoming_notified_at if outgoing else rechoice.outgoing_notified_at
    if other is None:
        return None
    if abs(event.at.astimezone(UTC) - other.astimezone(UTC)) <= policy.same_time:
        return None
    minutes = int(policy.same_time.total_seconds() // 60)
    return Finding(
        kind=DeviationKind.NOT_SIMULTANEOUS,
        sv=(
            "meddela frånträdande och tillträdande utförare vid samma tidpunkt "
            f"(inom {minutes} minuter)"
        ),
        en=(
            "notify the outgoing and the incoming provider at the same time "
            f"(within {minutes} minutes)"
        ),
        due=(other.astimezone(UTC) + policy.same_time).astimezone(STOCKHOLM),
        detail_sv=f"den andra meddelades {format_local(other)}, den här {format_local(event.at)}",
        detail_en=(
            f"the other was notified at {format_local(other)}, this one at {format_local(event.at)}"
        ),
    )


def rechoice_registered(before: State, event: ev.TakeoverDateReported) -> datetime:
    """VAL-18, VAL-20: the window is judged by the policy in force at the re-choice.

    As :func:`~arendefordelning.routines.provider_choice.switch_window_of` and the
    re-choice's obligations read it: a revision coming into force between the
    re-choice and the takeover date reported changes neither.
    """
    rechoice = before.rechoice
    return event.at if rechoice is None else rechoice.registered_at


def outside_the_window(
    before: State, event: ev.TakeoverDateReported, policy: Policy
) -> Finding | None:
    """VAL-18: the takeover date lies 7–14 days after both providers were notified."""
    rechoice = before.rechoice
    if rechoice is None or rechoice.outgoing_notified_at is None:
        return None
    if rechoice.incoming_notified_at is None:
        return None
    first, last = switch_window(
        rechoice.outgoing_notified_at, rechoice.incoming_notified_at, policy=policy.switch
    )
    if first <= event.takeover <= last:
        return None
    earliest, latest = policy.switch.earliest.days, policy.switch.latest.days
    return Finding(
        kind=DeviationKind.OUTSIDE_WINDOW,
        sv=f"byt utförare {earliest}–{latest} dagar efter att båda utförarna meddelats",
        en=f"switch provider {earliest}–{latest} days after both providers were notified",
        due_on=last,
        happened_on=event.takeover,
        detail_sv=f"övertagande {event.takeover}, utanför fönstret {first}–{last}",
        detail_en=f"takeover {event.takeover}, outside the window {first} to {last}",
    )


# --------------------------------------------------------------------------- checks


def contact_by_system(state: State, event: ev.ProviderContacted) -> str | None:
    """VAL-9: a private provider is contacted by e-mail or telephone."""
    if event.channel is not ev.ContactChannel.SYSTEM:
        return None
    return (
        "a private provider is contacted by e-mail or telephone (ContactChannel.EMAIL or "
        "ContactChannel.TELEPHONE), not through the system"
    )


def wrong_channel(
    state: State, event: ev.OutgoingProviderNotified | ev.IncomingProviderNotified
) -> str | None:
    """VAL-13: a municipal provider is told through the system, a private one otherwise."""
    if state.rechoice is None:
        return None
    outgoing = isinstance(event, ev.OutgoingProviderNotified)
    provider = state.rechoice.outgoing if outgoing else state.rechoice.incoming
    municipal = provider.kind is ProviderKind.MUNICIPAL
    if municipal == (event.channel is ev.ContactChannel.SYSTEM):
        return None
    which = "outgoing" if outgoing else "incoming"
    if municipal:
        return f"channel: the {which} provider is municipal and is told through the system"
    return f"channel: the {which} provider is private and is told by e-mail or telephone"


def without_consent(state: State, event: object) -> str | None:
    """VAL-16: the documentation is handed over only with the customer's consent."""
    if state.rechoice is not None and state.rechoice.documentation_consent:
        return None
    return "the customer has not consented to handing the documentation to the new provider"


def before_the_contact(state: State, event: ev.FirstInterventionReported) -> str | None:
    """VAL-11: the first intervention is not before the assessor's contact with the provider."""
    if state.contacted_at is None or event.first_intervention >= state.contacted_at.date():
        return None
    return "the first intervention cannot be before the assessor's contact with the provider"


def another_outgoing(state: State, event: ev.RechoiceRegistered) -> str | None:
    """VAL-12: the outgoing provider of a re-choice is the case's provider."""
    if state.provider is None or event.outgoing == state.provider:
        return None
    return (
        "the outgoing provider given is not the case's provider; leave outgoing out or "
        "give the case's provider"
    )


# --------------------------------------------------------------------------- builds


def _meta(command: ev.ProviderChoiceCommand) -> dict[str, Any]:
    return {
        "case": command.case,
        "at": command.at,
        "recorded_at": command.recorded_at,
        "actor": command.actor,
    }


def _first_provider(state: State) -> Any:
    """Return the first choice's provider; the steps needing it are enabled once it is set."""
    assert state.first_provider is not None
    return state.first_provider


def register_abstention(
    command: ev.RegisterAbstention, state: State, rule: Policy
) -> ev.AbstentionRegistered:
    """VAL-2: the abstainer gets the provider next in turn on the list."""
    taken = command.rotation.take(command.at)
    return ev.AbstentionRegistered(
        **_meta(command),
        provider=taken.provider,
        area=command.rotation.area,
        home_health_care=command.home_health_care,
        decided_on=command.decided_on,
        legal_basis=command.legal_basis,
        sex=command.sex,
        born=command.born,
    )


def distribute(
    command: ev.DistributeAssignment, state: State, rule: Policy
) -> ev.AssignmentDistributed:
    """VAL-4: the assignment goes to the case's provider."""
    return ev.AssignmentDistributed(**_meta(command), provider=_first_provider(state))


def notify_home_health_care(
    command: ev.NotifyHomeHealthCare, state: State, rule: Policy
) -> ev.HomeHealthCareNotified:
    """VAL-5: the nurses are told the case's provider."""
    return ev.HomeHealthCareNotified(**_meta(command), provider=_first_provider(state))


def assign_urgently(command: ev.AssignUrgently, state: State, rule: Policy) -> ev.UrgentlyAssigned:
    """VAL-7: the customer's provider, or the one next in turn, sooner than 24 hours."""
    normal = execution_deadline(command.at, policy=rule.execution).due
    if command.start_by.astimezone(UTC) >= normal.astimezone(UTC):
        raise InvalidInput(
            "start_by must lie before the due time of VAL-6, sooner than the 24 hours of "
            "VAL-6 (VAL-7)"
        )
    area: str | None = None
    provider = state.provider or command.current_provider
    if provider is None:
        if command.rotation is None:
            raise InvalidInput(
                "the customer has no provider, so the assignment is given by the "
                "non-choice list: pass rotation=RotationList(...) (VAL-7)"
            )
        provider = command.rotation.take(command.at).provider
        area = command.rotation.area
    return ev.UrgentlyAssigned(
        **_meta(command), provider=provider, start_by=command.start_by, area=area
    )


def register_execution(
    command: ev.RegisterExecution, state: State, rule: Policy
) -> ev.ExecutionRegistered:
    """VAL-11: execution is registered from the first intervention's reported date."""
    assert state.first_intervention is not None  # the step comes after the report
    return ev.ExecutionRegistered(**_meta(command), executed_from=state.first_intervention)


def confirm_execution(
    command: ev.ConfirmExecutionDate, state: State, rule: Policy
) -> ev.ExecutionDateConfirmed:
    """VAL-11: the execution date registered is confirmed to the provider."""
    assert state.executed_from is not None  # the step comes after the registration
    return ev.ExecutionDateConfirmed(**_meta(command), executed_from=state.executed_from)


def register_rechoice(
    command: ev.RegisterRechoice, state: State, rule: Policy
) -> ev.RechoiceRegistered:
    """VAL-12: the case's provider is the outgoing one; a new case names it."""
    outgoing = command.outgoing or state.provider
    if outgoing is None:
        raise InvalidInput(
            "the case has no provider yet: name the outgoing provider in outgoing= (VAL-12)"
        )
    return ev.RechoiceRegistered(
        **_meta(command),
        outgoing=outgoing,
        incoming=command.incoming,
        form=command.form,
        chosen_on=command.at.date() if command.chosen_on is None else command.chosen_on,
        home_health_care=command.home_health_care,
    )


def document_takeover(
    command: ev.DocumentTakeoverDate, state: State, rule: Policy
) -> ev.TakeoverDateDocumented:
    """VAL-17: the takeover date the incoming provider reported is documented."""
    reported = _rechoice(state).reported_takeover
    assert reported is not None  # the step comes after the report
    return ev.TakeoverDateDocumented(**_meta(command), takeover=reported)


# --------------------------------------------------------------------------- applying events


def changed(state: State, **changes: Any) -> dict[str, Any]:
    """Return the re-choice under way with ``changes``, as a change of the state."""
    return {"rechoice": replace(_rechoice(state), changes)}


def apply_urgent(state: State, event: ev.UrgentlyAssigned, rule: Policy) -> dict[str, Any]:
    """VAL-7: the provider given has the assignment now; a private one is contacted too."""
    private = event.provider.kind is ProviderKind.PRIVATE
    return {
        "provider": event.provider,
        "first_provider": event.provider,
        "chosen_at": state.chosen_at or event.at,
        "distributed_at": event.at,
        "contacted_at": event.at if private else state.contacted_at,
        "urgent_start_by": event.start_by,
        "area": event.area if event.area is not None else state.area,
    }


def apply_rechoice(state: State, event: ev.RechoiceRegistered, rule: Policy) -> dict[str, Any]:
    """VAL-12: the outgoing provider serves until the takeover."""
    return {
        "provider": event.outgoing,
        "rechoice": Rechoice(
            outgoing=event.outgoing,
            incoming=event.incoming,
            registered_at=event.at,
            chosen_on=event.chosen_on,
            home_health_care=event.home_health_care,
        ),
    }


def apply_documented(
    state: State, event: ev.TakeoverDateDocumented, rule: Policy
) -> dict[str, Any]:
    """VAL-17: from the documented takeover the incoming provider is the provider."""
    rechoice = _rechoice(state)
    return {
        "rechoice": replace(rechoice, {"documented_takeover": event.takeover}),
        "provider": rechoice.incoming,
        "switches": state.switches + 1,
    }
