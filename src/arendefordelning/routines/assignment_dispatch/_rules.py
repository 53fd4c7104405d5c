"""Routine UP's rules as pure functions: UP-2, UP-3, UP-7, night, and who tells whom.

Nothing here reads a clock or keeps state. The table (``_table``) opens its duties
from the same functions: each notification duty of a step is one of
:func:`required_notifications` for the situation the step makes, so the function and
the table cannot disagree.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any, Final

import attrs

from ..._time import as_stockholm, at_local_time
from ..._validators import describe, flag, instance_of, tuple_of
from ...deadlines import QUARTER_HOUR, Language, check_language, round_up_to_quarter
from ...errors import InvalidInput
from ...kernel import Channel, Due, Role, role_label
from ...providers import Provider, ProviderKind
from ._events import (
    HOSPITAL_SUBJECTS,
    AdmittedToHospital,
    AlarmReturned,
    AssignmentSent,
    DischargeAnnounced,
    HomeFromHospital,
    Intervention,
    Recipient,
    Subject,
    interventions_of,
)
from ._state import AssignmentDispatchPolicy, AssignmentDispatchState, Held

DEFAULT_POLICY: Final = AssignmentDispatchPolicy()

NEVER_TIME_RECORDED: Final = frozenset(
    {Intervention.DAY_ACTIVITY, Intervention.SCHEDULED_TRANSPORT}
)
"""Interventions never ordered in the time-recording system (Phoniro), UP-2."""
HOME_SERVICE: Final = frozenset({Intervention.HOME_CARE, Intervention.SAFETY_ALARM})
"""What the municipal home care (hemtjänsten i egen regi) carries out: home care, with the
safety alarm (UP-1); the special contact path is to it (UP-7)."""


def _policy(policy: object) -> AssignmentDispatchPolicy:
    if policy is None:
        return DEFAULT_POLICY
    if not isinstance(policy, AssignmentDispatchPolicy):
        raise InvalidInput(
            f"policy must be an AssignmentDispatchPolicy or None, not {describe(policy)}"
        )
    return policy


# --------------------------------------------------------------------------- UP-2, UP-3


def time_recording_required(interventions: Iterable[Intervention]) -> bool:
    """Whether an assignment is ordered in the time-recording system (beställning i Phoniro), UP-2.

    Every intervention is, except day activity and scheduled transport, which never
    are: an assignment is ordered when it holds at least one other intervention.

    Raises:
        InvalidInput: for a value that is not an iterable of Intervention members.
    """
    items = interventions_of(interventions, empty=True)
    return any(item not in NEVER_TIME_RECORDED for item in items)


def stated_time_problem(granted_minutes: int, stated_minutes: int) -> tuple[str, str] | None:
    """Say how a stated time departs from UP-3 (redovisad tid), in Swedish and English, or None.

    The stated time is the granted time rounded up to the nearest quarter hour: one
    that is not a whole number of quarter hours, is below the granted time, or is above
    the nearest quarter hour departs from it.
    """
    expected = round_up_to_quarter(granted_minutes)
    if stated_minutes == expected:
        return None
    if stated_minutes % QUARTER_HOUR:
        return ("inte en hel kvart", "not a whole quarter hour")
    if stated_minutes < granted_minutes:
        return ("mindre än den beviljade tiden", "below the granted time")
    return ("mer än närmsta kvart uppåt", "above the nearest quarter hour up")


# --------------------------------------------------------------------------- UP-7, UP-14


def special_contact_path(
    moment: datetime, *, policy: AssignmentDispatchPolicy | None = None
) -> bool:
    """Whether a moment lies before a weekend or holiday (inför helg): the special path, UP-7.

    From ``policy.special_path_from`` (14:00) on the last working day before one or
    more non-working days (a weekend, a public holiday, a major holiday and its eve)
    until the next working day begins, a handover to the municipal home care uses the
    special contact path (LRU0005). Days are the policy's calendar's.

    Raises:
        InvalidInput: for a naive datetime, a policy of another kind, or a day outside
            the calendar's years.
    """
    local = as_stockholm(moment, "moment")
    rule = _policy(policy)
    day = local.date()
    calendar = rule.calendar
    if not calendar.is_workday(day):
        return True
    if calendar.next_workday(day) == day + timedelta(days=1):
        return False
    return local.time() >= rule.special_path_from


def is_night(moment: datetime, *, policy: AssignmentDispatchPolicy | None = None) -> bool:
    """Whether a moment lies in the night (natt), 22:00–07:00 by default, UP-14."""
    clock = as_stockholm(moment, "moment").time()
    rule = _policy(policy)
    starts, ends = rule.night_starts, rule.night_ends
    if starts < ends:
        return starts <= clock < ends
    return clock >= starts or clock < ends


def _next(moment: datetime, clock: Any) -> datetime:
    """Return the first instant after ``moment`` that a Stockholm wall clock shows ``clock``."""
    local = as_stockholm(moment, "moment")
    found = at_local_time(local.date(), clock)
    if found <= local:
        found = at_local_time(local.date() + timedelta(days=1), clock)
    return found


def _workday(moment: datetime, within: int, rule: AssignmentDispatchPolicy) -> date:
    """Return the ``within``-th working day after the day of ``moment`` (0: that day, rolled)."""
    day = as_stockholm(moment, "moment").date()
    calendar = rule.calendar
    return calendar.roll_forward(day) if within == 0 else calendar.add_workdays(day, within)


def workday_words(within: int) -> tuple[str, str]:
    """Say a due day in words: the same working day, the next, or within n working days."""
    if within == 0:
        return ("samma vardag", "the same working day")
    if within == 1:
        return ("senast nästa vardag", "by the end of the next working day")
    return (f"inom {within} vardagar", f"within {within} working days")


# --------------------------------------------------------------------------- who tells whom


class Occasion(enum.Enum):
    """Occasion (tillfälle) that calls for notifications: what happened to the care recipient."""

    ASSIGNMENT_SENT = "uppdrag skickat"
    """An assignment was sent to a provider (UP-5, UP-6, UP-7, UP-10)."""
    DISCHARGE_ANNOUNCED = "utskrivning aviserad"
    """A discharge from hospital was announced, with a new application (UP-13)."""
    ADMITTED = "inlagd på sjukhus"
    """The care recipient was admitted to hospital (UP-14)."""
    HOME_FROM_HOSPITAL = "hemkommen från sjukhus"
    """The care recipient came home from hospital (UP-14)."""
    ALARM_RETURNED = "trygghetslarm återlämnat"
    """The safety alarm was returned (UP-12)."""


_NEEDS_STAY: Final = frozenset(
    {Occasion.DISCHARGE_ANNOUNCED, Occasion.ADMITTED, Occasion.HOME_FROM_HOSPITAL}
)


def _situation_at(value: object) -> datetime:
    return as_stockholm(value, "at")


def _optional_discharge(value: object) -> datetime | None:
    return None if value is None else as_stockholm(value, "discharge_at")


def _some_interventions(value: object) -> tuple[Intervention, ...]:
    return interventions_of(value, empty=True)


def _held_before(value: object) -> tuple[Intervention, ...]:
    return interventions_of(value, "held_before", empty=True)


def _held(value: object) -> tuple[Intervention, ...]:
    return interventions_of(value, "held", empty=True)


@attrs.frozen(kw_only=True)
class Situation:
    """Situation (läge) of a care recipient that someone must be told of, UP-5…UP-14.

    ``occasion`` says what happened and ``at`` when. For an assignment sent: the
    ``provider`` it went to, its ``interventions``, whether the recipient is new, what
    the recipient held before (``held_before``, and the home-care provider then) and
    holds after (``held``). For the other occasions: what the recipient holds
    (``held``: the existing interventions), the home-care ``provider`` if known, and the
    hospital ``stay`` (each stay is its own item), with ``discharge_at`` for an
    announced discharge.
    """

    occasion: Occasion = attrs.field(validator=instance_of(Occasion))
    """What happened."""
    at: datetime = attrs.field(converter=_situation_at)
    """When it happened (Stockholm time)."""
    provider: Provider | None = attrs.field(
        default=None, validator=instance_of(Provider, optional=True)
    )
    """The provider the assignment went to; for the other occasions the home-care provider."""
    interventions: tuple[Intervention, ...] = attrs.field(
        default=(), converter=_some_interventions, validator=tuple_of(Intervention)
    )
    """The interventions of the assignment sent."""
    held_before: tuple[Intervention, ...] = attrs.field(
        default=(), converter=_held_before, validator=tuple_of(Intervention)
    )
    """What the recipient held before the assignment (UP-6: only a safety alarm)."""
    held: tuple[Intervention, ...] = attrs.field(
        default=(), converter=_held, validator=tuple_of(Intervention)
    )
    """What the recipient holds after the occasion (UP-10, UP-14: existing interventions)."""
    home_care_provider_before: Provider | None = attrs.field(
        default=None, validator=instance_of(Provider, optional=True)
    )
    """Who carried out the recipient's home care before the assignment, if anyone (UP-10)."""
    new_recipient: bool = attrs.field(default=False, validator=flag)
    """Whether the care recipient is new (UP-5)."""
    stay: str | None = attrs.field(default=None, validator=instance_of(str, optional=True))
    """The hospital stay (UP-13, UP-14)."""
    discharge_at: datetime | None = attrs.field(default=None, converter=_optional_discharge)
    """When an announced discharge happens (UP-13)."""

    def __attrs_post_init__(self) -> None:
        if self.occasion is Occasion.ASSIGNMENT_SENT and (
            self.provider is None or not self.interventions
        ):
            raise InvalidInput(
                "an assignment sent names its provider and one or more interventions"
            )
        if self.occasion in _NEEDS_STAY and self.stay is None:
            raise InvalidInput(
                "stay must name the hospital stay of a discharge, an admission or a return "
                "home (UP-13, UP-14)"
            )
        if self.occasion is Occasion.DISCHARGE_ANNOUNCED and self.discharge_at is None:
            raise InvalidInput("discharge_at must say when the announced discharge happens")


@attrs.frozen
class _Rule:
    """One duty to tell (en underrättelseskyldighet): its obligation's name and words."""

    name: str
    requirement: str
    sender: Role
    subject: Subject
    channel: Channel | None
    sv: str
    en: str


HAND_OVER: Final = _Rule(
    "hand_over", "UP-5", Role.NEEDS_ASSESSOR, Subject.HANDOVER, None,
    "överrapportera uppdraget till utföraren (ny omsorgstagare: alltid per telefon)",
    "hand the assignment over to the provider (a new care recipient: always by telephone)",
)  # fmt: skip
TELL_ALARM_GROUP: Final = _Rule(
    "tell_alarm_group", "UP-6", Role.NEEDS_ASSESSOR, Subject.CURRENT_PROVIDER,
    Channel.SYSTEM_MESSAGE,
    "informera jourlarmgruppen om aktuell utförare: omsorgstagaren med enbart "
    "trygghetslarm har beviljats hemtjänst",
    "tell the on-call alarm group the current provider: the care recipient with only a "
    "safety alarm has been granted home care",
)  # fmt: skip
TELL_ALARM_GROUP_AGAIN: Final = _Rule(
    "tell_alarm_group_of_provider", "UP-10", Role.NEEDS_ASSESSOR, Subject.CURRENT_PROVIDER,
    Channel.SYSTEM_MESSAGE,
    "meddela jourlarmgruppen vilken utförare omsorgstagaren med trygghetslarm har",
    "tell the on-call alarm group which provider the care recipient with a safety alarm has",
)  # fmt: skip
SEND_TO_ALARM_LIST: Final = _Rule(
    "send_to_alarm_list", "UP-10", Role.NEEDS_ASSESSOR, Subject.ALARM_ASSIGNMENT,
    Channel.SYSTEM_MESSAGE,
    "skicka trygghetslarmsuppdraget till larmansvarig (sändlistan jourlarmgruppen)",
    "send the safety-alarm assignment to the alarm managers (the alarm group's send list)",
)  # fmt: skip
TELL_OF_DISCHARGE: Final = _Rule(
    "tell_of_discharge", "UP-13", Role.NEEDS_ASSESSOR, Subject.DISCHARGE, None,
    "meddela {recipient} att omsorgstagaren skrivs ut från sjukhuset",
    "tell {recipient} that the care recipient will be discharged from hospital",
)  # fmt: skip
TELL_NIGHT_PATROL_OF_ADMISSION: Final = _Rule(
    "tell_night_patrol_of_admission", "UP-14", Role.PROVIDER, Subject.ADMISSION,
    Channel.SYSTEM_MESSAGE,
    "meddela nattpatrullen att omsorgstagaren har lagts in på sjukhus",
    "tell the night patrol that the care recipient was admitted to hospital",
)  # fmt: skip
TELL_DAY_PROVIDER_OF_ADMISSION: Final = _Rule(
    "tell_day_provider_of_admission", "UP-14", Role.NIGHT_PATROL, Subject.ADMISSION, None,
    "meddela dagutföraren att omsorgstagaren har lagts in på sjukhus under natten",
    "tell the day provider that the care recipient was admitted to hospital at night",
)  # fmt: skip
TELL_NIGHT_PATROL_OF_HOMECOMING: Final = _Rule(
    "tell_night_patrol_of_homecoming", "UP-14", Role.PROVIDER, Subject.HOME_FROM_HOSPITAL,
    Channel.SYSTEM_MESSAGE,
    "meddela nattpatrullen att omsorgstagaren har kommit hem från sjukhuset",
    "tell the night patrol that the care recipient has come home from hospital",
)  # fmt: skip
REPORT_RETURNED_ALARM: Final = _Rule(
    "report_returned_alarm", "UP-12", Role.ALARM_INSTALLER, Subject.ALARM_RETURNED,
    Channel.SYSTEM_MESSAGE,
    "informera biståndshandläggaren om det återlämnade trygghetslarmet",
    "tell the needs assessor of the returned safety alarm",
)  # fmt: skip

RULES: Final = (
    HAND_OVER,
    TELL_ALARM_GROUP,
    TELL_ALARM_GROUP_AGAIN,
    SEND_TO_ALARM_LIST,
    TELL_OF_DISCHARGE,
    TELL_NIGHT_PATROL_OF_ADMISSION,
    TELL_DAY_PROVIDER_OF_ADMISSION,
    TELL_NIGHT_PATROL_OF_HOMECOMING,
    REPORT_RETURNED_ALARM,
)
"""Every duty to tell of the routine, in the order :func:`required_notifications` lists them."""

SENDERS: Final[dict[tuple[Subject, Recipient], frozenset[Role]]] = {
    (Subject.ALARM_ASSIGNMENT, Recipient.ALARM_GROUP): frozenset({Role.NEEDS_ASSESSOR}),
    (Subject.CURRENT_PROVIDER, Recipient.ALARM_GROUP): frozenset({Role.NEEDS_ASSESSOR}),
    (Subject.DISCHARGE, Recipient.PROVIDER): frozenset({Role.NEEDS_ASSESSOR}),
    (Subject.DISCHARGE, Recipient.NIGHT_PATROL): frozenset({Role.NEEDS_ASSESSOR}),
    (Subject.ADMISSION, Recipient.NIGHT_PATROL): frozenset({Role.PROVIDER}),
    (Subject.ADMISSION, Recipient.PROVIDER): frozenset({Role.NIGHT_PATROL}),
    (Subject.HOME_FROM_HOSPITAL, Recipient.NIGHT_PATROL): frozenset({Role.PROVIDER}),
    (Subject.ALARM_RETURNED, Recipient.NEEDS_ASSESSOR): frozenset({Role.ALARM_INSTALLER}),
}
"""Who tells a recipient of a subject (X-2): the senders of :data:`RULES`, UP-10…UP-14."""


def expected_channel(subject: Subject, recipient: Recipient) -> tuple[str, Channel] | None:
    """Return the channel the routine names for a notification, with its requirement, or None."""
    for rule in RULES:
        if (
            rule.subject is subject
            and rule.channel is not None
            and rule.sender in SENDERS.get((subject, recipient), frozenset())
        ):
            requirement = "UP-10" if subject is Subject.CURRENT_PROVIDER else rule.requirement
            return requirement, rule.channel
    return None


def _assignment_notices(situation: Situation) -> list[tuple[_Rule, Recipient]]:
    """UP-5, UP-6, UP-10: the handover, and the alarm group's notices."""
    found = [(HAND_OVER, Recipient.PROVIDER)]
    now, before, held = set(situation.interventions), set(situation.held_before), situation.held
    alarm, care = Intervention.SAFETY_ALARM, Intervention.HOME_CARE
    if before == {alarm} and care in now:
        # UP-6: a recipient with only a safety alarm is granted home care.
        found.append((TELL_ALARM_GROUP, Recipient.ALARM_GROUP))
    elif (
        alarm in held
        and care in held
        and (
            alarm in now
            or (care in now and situation.home_care_provider_before != situation.provider)
        )
    ):
        # UP-10: an alarm assignment while home care goes on, or a new home-care provider.
        found.append((TELL_ALARM_GROUP_AGAIN, Recipient.ALARM_GROUP))
    if alarm in now:
        found.append((SEND_TO_ALARM_LIST, Recipient.ALARM_GROUP))  # UP-10
    return found


def notices(  # noqa: PLR0911 - one return per occasion
    situation: Situation, policy: AssignmentDispatchPolicy | None = None
) -> list[tuple[_Rule, Recipient]]:
    """Return the duties to tell a situation makes, and to whom: the rules without due times.

    Reads no calendar, so the table may call it while folding any event.
    """
    occasion = situation.occasion
    if occasion is Occasion.ASSIGNMENT_SENT:
        return _assignment_notices(situation)
    if occasion is Occasion.DISCHARGE_ANNOUNCED:
        return [
            (TELL_OF_DISCHARGE, Recipient.PROVIDER),
            (TELL_OF_DISCHARGE, Recipient.NIGHT_PATROL),
        ]
    if occasion is Occasion.ALARM_RETURNED:
        return [(REPORT_RETURNED_ALARM, Recipient.NEEDS_ASSESSOR)]
    if not situation.held:  # UP-14 is of a recipient with existing interventions
        return []
    if occasion is Occasion.HOME_FROM_HOSPITAL:
        return [(TELL_NIGHT_PATROL_OF_HOMECOMING, Recipient.NIGHT_PATROL)]
    if is_night(situation.at, policy=policy):
        return [(TELL_DAY_PROVIDER_OF_ADMISSION, Recipient.PROVIDER)]
    return [(TELL_NIGHT_PATROL_OF_ADMISSION, Recipient.NIGHT_PATROL)]


def notice_channel(rule: _Rule, new_recipient: bool) -> Channel | None:
    """Return the channel a duty names: UP-5's telephone for a new recipient, else the rule's."""
    if rule is HAND_OVER:
        return Channel.TELEPHONE if new_recipient else None
    return rule.channel


def notice_due(
    rule: _Rule, at: datetime, discharge_at: datetime | None, policy: AssignmentDispatchPolicy
) -> datetime | date:
    """By when a duty to tell is due: the end of a day, or an instant, by the policy.

    Raises:
        InvalidInput: for a day outside the calendar's years.
    """
    if rule is HAND_OVER:
        return _workday(at, policy.handover_within, policy)
    if rule is TELL_OF_DISCHARGE:
        assert discharge_at is not None
        return discharge_at
    if rule in (TELL_NIGHT_PATROL_OF_ADMISSION, TELL_NIGHT_PATROL_OF_HOMECOMING):
        return _next(at, policy.night_starts)
    if rule is TELL_DAY_PROVIDER_OF_ADMISSION:
        return _next(at, policy.night_ends)
    return _workday(at, policy.inform_within, policy)


def notice_words(rule: _Rule, policy: AssignmentDispatchPolicy) -> tuple[str, str]:
    """Say a duty's due time in words."""
    if rule is HAND_OVER:
        return workday_words(policy.handover_within)
    if rule is TELL_OF_DISCHARGE:
        return ("före utskrivningen", "before the discharge")
    if rule in (TELL_NIGHT_PATROL_OF_ADMISSION, TELL_NIGHT_PATROL_OF_HOMECOMING):
        clock = f"{policy.night_starts:%H:%M}"
        return (f"före nattens början ({clock})", f"before the night begins ({clock})")
    if rule is TELL_DAY_PROVIDER_OF_ADMISSION:
        clock = f"{policy.night_ends:%H:%M}"
        return (f"före nattens slut ({clock})", f"before the night ends ({clock})")
    return workday_words(policy.inform_within)


SINCE: Final[dict[Subject, tuple[str, str]]] = {
    Subject.HANDOVER: ("uppdraget skickades", "the assignment was sent"),
    Subject.CURRENT_PROVIDER: ("uppdraget skickades", "the assignment was sent"),
    Subject.ALARM_ASSIGNMENT: ("uppdraget skickades", "the assignment was sent"),
    Subject.DISCHARGE: ("utskrivningen aviserades", "the discharge was announced"),
    Subject.ADMISSION: ("inläggningen", "the admission"),
    Subject.HOME_FROM_HOSPITAL: ("hemkomsten", "the return home"),
    Subject.ALARM_RETURNED: ("larmet återlämnades", "the alarm was returned"),
}
"""What each duty's due time counts from, in words."""


def to_municipal_home_care(
    provider: Provider | None, interventions: Iterable[Intervention] | None
) -> bool:
    """UP-7: whether a provider is the municipal home care (hemtjänsten i egen regi).

    A municipal provider of an assignment with home care or a safety alarm; with
    ``interventions`` None, a municipal home-care provider already known as such.
    """
    if provider is None or provider.kind is not ProviderKind.MUNICIPAL:
        return False
    return interventions is None or not HOME_SERVICE.isdisjoint(interventions)


def _to_municipal_home_care(situation: Situation, rule: _Rule, recipient: Recipient) -> bool:
    """UP-7: the assessor tells the municipal home care (a handover, a discharge)."""
    if rule.sender is not Role.NEEDS_ASSESSOR or recipient is not Recipient.PROVIDER:
        return False
    sent = situation.occasion is Occasion.ASSIGNMENT_SENT
    return to_municipal_home_care(situation.provider, situation.interventions if sent else None)


@attrs.frozen(kw_only=True)
class RequiredNotification:
    """Required notification (underrättelse): who tells whom, how, why and by when, UP-5…UP-14.

    ``requirement`` says why; ``sender`` is the role that tells, ``recipient`` whom,
    ``subject`` of what, ``channel`` how (None where the routine leaves it open), and
    ``due`` by when. ``stay`` names the hospital stay it is of (each stay its own);
    ``special_contact_path`` marks a notification to the municipal home care before a
    weekend or holiday, which uses the special contact path (UP-7): information for the
    one who tells, not a deviation.
    """

    requirement: str
    """The requirement it comes from (``"UP-14"``)."""
    sender: Role
    """Who must tell."""
    recipient: Recipient
    """Whom."""
    subject: Subject
    """Of what."""
    channel: Channel | None
    """How, where the routine says."""
    due: Due
    """By when."""
    stay: str | None = None
    """The hospital stay it is of (UP-13, UP-14), or None."""
    special_contact_path: bool = False
    """Whether the special contact path to the municipal home care applies (UP-7)."""

    @property
    def key(self) -> tuple[Subject, Recipient, str | None]:
        """What makes it one notification: its subject, its recipient and its stay."""
        return (self.subject, self.recipient, self.stay)

    def explain(self, language: Language = "sv") -> str:
        """One sentence: who tells whom of what, how, by when, and why."""
        check_language(language)
        sv = language == "sv"
        sender = role_label(self.sender, language).capitalize()
        how = "" if self.channel is None else f" {self.channel.label(language)}"
        when = (
            self.due.day.isoformat()
            if self.due.day is not None
            else f"{self.due.due:%Y-%m-%d %H:%M}"
        )
        path = ""
        if self.special_contact_path:
            path = (
                " (särskild kontaktväg inför helg, LRU0005)"
                if sv
                else " (the special contact path before a weekend or holiday, LRU0005)"
            )
        if sv:
            return (
                f"{sender} meddelar {self.recipient.label('sv')} om {self.subject.label('sv')}"
                f"{how}{path}, senast {when} ({self.requirement})."
            )
        return (
            f"{sender} tells {self.recipient.label('en')} of {self.subject.label('en')}"
            f"{how}{path}, by {when} ({self.requirement})."
        )


def required_notifications(
    situation: Situation, *, policy: AssignmentDispatchPolicy | None = None
) -> tuple[RequiredNotification, ...]:
    """Return who must tell whom of a situation (vem meddelar vem), UP-5…UP-7, UP-10, UP-12…UP-14.

    * An assignment sent: the needs assessor hands it over to the provider, by
      telephone for a new care recipient (UP-5); tells the on-call alarm group the
      current provider when a recipient with only a safety alarm is granted home care
      (UP-6), or when a safety alarm is assigned while home care goes on or home care
      moves to another provider while the alarm is held (UP-10); and sends a
      safety-alarm assignment to the alarm managers' list (UP-10).
    * A discharge announced with a new application: the needs assessor tells the
      home-care provider and the night patrol, before the discharge (UP-13).
    * A recipient with existing interventions admitted to hospital: in the day, the day
      provider tells the night patrol by system message; at night (the policy's), the
      night patrol tells the day provider; home from hospital, the day provider tells the
      night patrol by system message (UP-14), municipal and private providers alike.
    * A safety alarm returned: the alarm installer tells the needs assessor (UP-12).

    A notification from the needs assessor to the municipal home care before a weekend
    or holiday carries ``special_contact_path`` (UP-7). None is listed twice: each
    (subject, recipient, stay) once.

    Raises:
        InvalidInput: for a situation or policy of another type, or a due day outside
            the calendar's years.
    """
    if not isinstance(situation, Situation):
        raise InvalidInput(f"situation must be a Situation, not {describe(situation)}")
    rule = _policy(policy)
    found: list[RequiredNotification] = []
    for duty, recipient in notices(situation, rule):
        value = notice_due(duty, situation.at, situation.discharge_at, rule)
        since = SINCE[duty.subject]
        words = notice_words(duty, rule)
        if isinstance(value, datetime):
            due = Due(
                requirement=duty.requirement,
                due=value,
                counted_from=situation.at,
                since_sv=since[0],
                since_en=since[1],
                rule_sv=words[0],
                rule_en=words[1],
            )
        else:
            due = Due.on_day(
                duty.requirement, value, counted_from=situation.at, since=since, rule=words
            )
        found.append(
            RequiredNotification(
                requirement=duty.requirement,
                sender=duty.sender,
                recipient=recipient,
                subject=duty.subject,
                channel=notice_channel(duty, situation.new_recipient),
                due=due,
                stay=situation.stay if duty.subject in HOSPITAL_SUBJECTS else None,
                special_contact_path=_to_municipal_home_care(situation, duty, recipient)
                and special_contact_path(situation.at, policy=rule),
            )
        )
    return tuple(found)


# --------------------------------------------------------------------------- from the record


def held_after(state: AssignmentDispatchState, event: AssignmentSent) -> tuple[Held, ...]:
    """Return what the recipient holds after an assignment (pågående insatser), UP-1.

    The assignment gives its provider the interventions it names, from whoever held
    them, each not executed until registered again (UP-9, also after a re-assessment);
    the other interventions the recipient holds go on.
    """
    kept = [held for held in state.held if held.intervention not in event.interventions]
    given = [
        Held(intervention=item, provider=event.provider, sent_at=event.at)
        for item in event.interventions
    ]
    order = list(Intervention)
    return tuple(sorted((*kept, *given), key=lambda held: order.index(held.intervention)))


def _home_care_provider(held: Iterable[Held]) -> Provider | None:
    """Return the provider of the recipient's home care, or of the safety alarm without it."""
    by = {item.intervention: item.provider for item in held}
    return by.get(Intervention.HOME_CARE) or by.get(Intervention.SAFETY_ALARM)


def situation_in(
    before: tuple[Held, ...], after: tuple[Held, ...], event: object
) -> Situation | None:
    """Return the situation an event makes, from what was held before and after it."""
    held = tuple(item.intervention for item in after)
    if isinstance(event, AssignmentSent):
        previous = {item.intervention: item.provider for item in before}
        return Situation(
            occasion=Occasion.ASSIGNMENT_SENT,
            at=event.at,
            provider=event.provider,
            interventions=event.interventions,
            held_before=tuple(previous),
            held=held,
            home_care_provider_before=previous.get(Intervention.HOME_CARE),
            new_recipient=event.new_recipient,
        )
    common: dict[str, Any] = (
        {"at": event.at, "held": held}
        if isinstance(
            event, DischargeAnnounced | AdmittedToHospital | HomeFromHospital | AlarmReturned
        )
        else {}
    )
    if not common:
        return None
    provider = _home_care_provider(after)
    if isinstance(event, DischargeAnnounced):
        return Situation(
            occasion=Occasion.DISCHARGE_ANNOUNCED,
            provider=provider,
            stay=event.stay,
            discharge_at=event.discharge_at,
            **common,
        )
    if isinstance(event, AdmittedToHospital):
        return Situation(occasion=Occasion.ADMITTED, provider=provider, stay=event.stay, **common)
    if isinstance(event, HomeFromHospital):
        return Situation(
            occasion=Occasion.HOME_FROM_HOSPITAL, provider=provider, stay=event.stay, **common
        )
    return Situation(occasion=Occasion.ALARM_RETURNED, provider=provider, **common)


def situation_of(state: AssignmentDispatchState, event: object) -> Situation | None:
    """Return the situation (läge) an event makes in a case, from the state before it.

    What :func:`required_notifications` takes, for the events that call for
    notifications (an assignment sent, a discharge announced, an admission, a return
    home, a returned alarm); None for the others.

    Raises:
        InvalidInput: for a state of another routine.
    """
    if not isinstance(state, AssignmentDispatchState):
        raise InvalidInput(f"state must be an AssignmentDispatchState, not {describe(state)}")
    if isinstance(event, AssignmentSent):
        return situation_in(state.held, held_after(state, event), event)
    if isinstance(event, AlarmReturned):
        after = tuple(h for h in state.held if h.intervention is not Intervention.SAFETY_ALARM)
        return situation_in(state.held, after, event)
    return situation_in(state.held, state.held, event)
