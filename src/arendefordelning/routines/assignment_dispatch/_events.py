"""Routine UP's closed sets, the assignment (uppdrag), its events and command, UP-1…UP-14."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, ClassVar, Final

import attrs

from ..._time import as_stockholm
from ..._validators import describe, instance_of, plain_date, tuple_of, whole_number
from ..._validators import flag as boolean
from ..._validators import reason as free_reason
from ...deadlines import Language, check_language, round_up_to_quarter
from ...errors import InvalidInput
from ...kernel import Actor, Channel, Command, Event, check_identifier, identifier
from ...providers import Provider

ROUTINE: Final = "UP"


# --------------------------------------------------------------------------- closed sets


class Intervention(enum.Enum):
    """Intervention (insats) an assignment may hold: UP-1's closed set.

    The values are the routine's Swedish names, which is how the event log writes them.
    """

    HOME_CARE = "hemtjänst"
    """Home care (hemtjänst). UP-1."""
    SAFETY_ALARM = "trygghetslarm"
    """Safety alarm (trygghetslarm), part of home care; installed by the alarm installer. UP-1."""
    DAY_ACTIVITY = "dagverksamhet"
    """Day activity (dagverksamhet); never ordered in the time-recording system. UP-1, UP-2."""
    SCHEDULED_TRANSPORT = "turbundna resor"
    """Scheduled transport (turbundna resor); never ordered in the time-recording system. UP-1."""
    RELIEF_AT_HOME = "avlastning i hemmet"
    """Relief at home (avlastning i hemmet). UP-1."""
    HAFFA = "HAFFA"
    """HAFFA, as the routine names it (the routine does not spell the name out). UP-1."""

    def label(self, language: Language = "sv") -> str:
        """Return the intervention in words: ``"hemtjänst"``, ``"home care"``."""
        check_language(language)
        return self.value if language == "sv" else _INTERVENTION_EN[self]


_INTERVENTION_EN: Final = {
    Intervention.HOME_CARE: "home care",
    Intervention.SAFETY_ALARM: "safety alarm",
    Intervention.DAY_ACTIVITY: "day activity",
    Intervention.SCHEDULED_TRANSPORT: "scheduled transport",
    Intervention.RELIEF_AT_HOME: "relief at home",
    Intervention.HAFFA: "HAFFA",
}
_ORDER: Final = {intervention: index for index, intervention in enumerate(Intervention)}


class Recipient(enum.Enum):
    """Recipient (mottagare) of a notification the routine requires, UP-5…UP-14."""

    PROVIDER = "utföraren"
    """The provider (utföraren): the one the assignment goes to, or the day home-care provider."""
    NIGHT_PATROL = "nattpatrullen"
    """The night patrol (nattpatrullen). UP-13, UP-14."""
    ALARM_GROUP = "jourlarmgruppen"
    """The on-call alarm group (jourlarmgruppen), the alarm managers' send list. UP-6, UP-10."""
    NEEDS_ASSESSOR = "biståndshandläggaren"
    """The needs assessor (biståndshandläggaren). UP-12."""

    def label(self, language: Language = "sv") -> str:
        """Return the recipient in words: ``"nattpatrullen"``, ``"the night patrol"``."""
        check_language(language)
        return self.value if language == "sv" else _RECIPIENT_EN[self]


_RECIPIENT_EN: Final = {
    Recipient.PROVIDER: "the provider",
    Recipient.NIGHT_PATROL: "the night patrol",
    Recipient.ALARM_GROUP: "the on-call alarm group",
    Recipient.NEEDS_ASSESSOR: "the needs assessor",
}


class Subject(enum.Enum):
    """Subject (ämne) of a notification: what the recipient is told of, UP-5…UP-14."""

    HANDOVER = "överrapportering av uppdraget"
    """The handover of the assignment to the provider (recorded with HandOver). UP-5."""
    ALARM_ASSIGNMENT = "trygghetslarmsuppdraget"
    """The safety-alarm assignment, sent to the alarm managers' list. UP-10."""
    CURRENT_PROVIDER = "aktuell utförare"
    """Which home-care provider the care recipient has. UP-6, UP-10."""
    DISCHARGE = "utskrivning från sjukhus"
    """A discharge from hospital with a new application. UP-13."""
    ADMISSION = "inläggning på sjukhus"
    """An admission to hospital. UP-14."""
    HOME_FROM_HOSPITAL = "hemkomst från sjukhus"
    """A return home from hospital. UP-14."""
    ALARM_RETURNED = "återlämnat trygghetslarm"
    """A safety alarm returned (declined, or the recipient has died). UP-12."""

    def label(self, language: Language = "sv") -> str:
        """Return the subject in words: ``"inläggning på sjukhus"``, ``"an admission to hospital"``."""  # noqa: E501
        check_language(language)
        return self.value if language == "sv" else _SUBJECT_EN[self]


_SUBJECT_EN: Final = {
    Subject.HANDOVER: "the handover of the assignment",
    Subject.ALARM_ASSIGNMENT: "the safety-alarm assignment",
    Subject.CURRENT_PROVIDER: "the current provider",
    Subject.DISCHARGE: "a discharge from hospital",
    Subject.ADMISSION: "an admission to hospital",
    Subject.HOME_FROM_HOSPITAL: "a return home from hospital",
    Subject.ALARM_RETURNED: "a returned safety alarm",
}

HOSPITAL_SUBJECTS: Final = frozenset(
    {Subject.DISCHARGE, Subject.ADMISSION, Subject.HOME_FROM_HOSPITAL}
)
"""The subjects of a hospital stay: a notification of one names the stay (UP-13, UP-14)."""

RECIPIENTS_OF: Final[dict[Subject, frozenset[Recipient]]] = {
    Subject.HANDOVER: frozenset({Recipient.PROVIDER}),
    Subject.ALARM_ASSIGNMENT: frozenset({Recipient.ALARM_GROUP}),
    Subject.CURRENT_PROVIDER: frozenset({Recipient.ALARM_GROUP}),
    Subject.DISCHARGE: frozenset({Recipient.PROVIDER, Recipient.NIGHT_PATROL}),
    Subject.ADMISSION: frozenset({Recipient.PROVIDER, Recipient.NIGHT_PATROL}),
    Subject.HOME_FROM_HOSPITAL: frozenset({Recipient.NIGHT_PATROL}),
    Subject.ALARM_RETURNED: frozenset({Recipient.NEEDS_ASSESSOR}),
}
"""Whom the routine has told of each subject (UP-5, UP-6, UP-10, UP-12, UP-13, UP-14)."""


class ReturnReason(enum.Enum):
    """Why a safety alarm was returned (orsak till återlämnat larm), UP-12."""

    DECLINED = "avsagt sig insatsen"
    """The care recipient declined the intervention (avsagt sig insatsen)."""
    DECEASED = "avlidit"
    """The care recipient has died (avlidit)."""


# --------------------------------------------------------------------------- validators


def interventions_of(
    value: object, name: str = "interventions", *, empty: bool = False
) -> tuple[Intervention, ...]:
    """Take interventions as a tuple in UP-1's order, each once; empty only if ``empty``.

    Raises:
        InvalidInput: for a value that is not an iterable of Intervention members, a
            member named twice, or none where one is needed.
    """
    if isinstance(value, str | bytes | enum.Enum) or not isinstance(value, Iterable):
        raise InvalidInput(
            f"{name} must be an iterable of Intervention members (a tuple or list), "
            f"not {describe(value)}"
        )
    items = tuple(value)
    for item in items:
        if not isinstance(item, Intervention):
            raise InvalidInput(f"{name} must hold Intervention members, not {describe(item)}")
    if len(set(items)) != len(items):
        raise InvalidInput(f"{name} must name each intervention once")
    if not items and not empty:
        raise InvalidInput(f"{name} must name at least one intervention of UP-1")
    return tuple(sorted(items, key=_ORDER.__getitem__))


def _interventions(value: object) -> tuple[Intervention, ...]:
    return interventions_of(value)


def _double_staffed(value: object) -> tuple[Intervention, ...]:
    return interventions_of(value, "double_staffed", empty=True)


def _among_own(instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    """UP-4: the double-staffed interventions are the assignment's own."""
    own = getattr(instance, "interventions", None)
    if not isinstance(value, tuple) or own is None:
        return
    if any(item not in own for item in value):
        raise InvalidInput(
            "double_staffed must name only interventions of the assignment (UP-4): each "
            "one also in interventions"
        )


def _minutes(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    whole_number(attribute.name, value, 0)


def _stated(instance: Any) -> int:
    """UP-3: the stated time is the granted time rounded up to the nearest quarter hour."""
    granted = instance.granted_minutes
    return round_up_to_quarter(granted) if type(granted) is int and granted >= 0 else 0


def _channels(value: object) -> tuple[Channel, ...]:
    """Take the channels of a handover: one or more Channel members, each once."""
    if isinstance(value, str | bytes | enum.Enum) or not isinstance(value, Iterable):
        raise InvalidInput(
            "channels must be an iterable of Channel members (a tuple or list), "
            f"not {describe(value)}"
        )
    items = tuple(value)
    for item in items:
        if not isinstance(item, Channel):
            raise InvalidInput(f"channels must hold Channel members, not {describe(item)}")
    if not items or len(set(items)) != len(items):
        raise InvalidInput("channels must name one or more channels, each once")
    order = list(Channel)
    return tuple(sorted(items, key=order.index))


def _optional_stay(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        check_identifier(attribute.name, value)


def _discharge_at(value: datetime) -> datetime:
    return as_stockholm(value, "discharge_at")


def _started(instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    """UP-9, UP-11: execution is registered once the intervention has started, not before."""
    plain_date(instance, attribute, value)
    assert isinstance(value, date)
    at = getattr(instance, "at", None)
    if isinstance(at, datetime) and value > at.date():
        raise InvalidInput(
            f"{attribute.name} must not be after the day the execution is registered: an "
            "intervention is registered as executed once it has started (UP-9, UP-11)"
        )


# --------------------------------------------------------------------------- the assignment


@attrs.frozen(kw_only=True)
class Assignment:
    """Assignment (uppdrag) to a provider: the interventions, the time, double staffing, UP-1…UP-4.

    ``case`` is the care recipient, by case number. ``stated_minutes`` is the total
    time the assignment states: by default the granted time rounded up to the nearest
    quarter hour (UP-3: 440 minutes granted → 450 stated); the assignment keeps both.
    A stated time given otherwise is kept as given, and the case's deviations show it
    (UP-3). ``double_staffed`` names the double-staffed interventions, only among the
    assignment's own (UP-4).

    >>> a = Assignment(case="UP-1", provider=Provider("Hemtjänst Norr"),
    ...                interventions=(Intervention.HOME_CARE,), granted_minutes=440)
    >>> (a.granted_minutes, a.stated_minutes)
    (440, 450)
    """

    case: str = attrs.field(validator=identifier)
    """The care recipient's case (ärende), by its case number."""
    provider: Provider = attrs.field(validator=instance_of(Provider))
    """The provider (utförare) the assignment goes to."""
    interventions: tuple[Intervention, ...] = attrs.field(
        converter=_interventions, validator=tuple_of(Intervention)
    )
    """One or more interventions of UP-1, in UP-1's order. UP-1."""
    granted_minutes: int = attrs.field(validator=_minutes)
    """The total granted time (beviljad tid), in minutes. UP-3."""
    double_staffed: tuple[Intervention, ...] = attrs.field(
        default=(), converter=_double_staffed, validator=[tuple_of(Intervention), _among_own]
    )
    """The double-staffed interventions (dubbelbemanning), the assignment's own. UP-4."""
    stated_minutes: int = attrs.field(
        default=attrs.Factory(_stated, takes_self=True), validator=_minutes
    )
    """The total time the assignment states: the granted time rounded up to the nearest
    quarter hour unless given otherwise. UP-3."""


# --------------------------------------------------------------------------- events


@attrs.frozen(kw_only=True)
class AssignmentDispatchEvent(Event):
    """Event of routine UP (händelse): every event below is one, and the request to record it, X-1."""  # noqa: E501

    routine: ClassVar[str] = ROUTINE


@attrs.frozen(kw_only=True)
class AssignmentSent(AssignmentDispatchEvent):
    """Assignment sent (uppdrag skickat) to the provider by the needs assessor, UP-1…UP-4.

    The assignment's fields, and what the handover needs: whether the care recipient is
    new (UP-5) and whether the assignment follows a re-assessment (nyprövning, UP-9).
    :attr:`assignment` is the :class:`Assignment` it records, and :meth:`of` records an
    assignment.
    """

    provider: Provider = attrs.field(validator=instance_of(Provider))
    """The provider (utförare) the assignment goes to."""
    interventions: tuple[Intervention, ...] = attrs.field(
        converter=_interventions, validator=tuple_of(Intervention)
    )
    """One or more interventions of UP-1. UP-1."""
    granted_minutes: int = attrs.field(validator=_minutes)
    """The total granted time, in minutes. UP-3."""
    double_staffed: tuple[Intervention, ...] = attrs.field(
        default=(), converter=_double_staffed, validator=[tuple_of(Intervention), _among_own]
    )
    """The double-staffed interventions, the assignment's own. UP-4."""
    stated_minutes: int = attrs.field(
        default=attrs.Factory(_stated, takes_self=True), validator=_minutes
    )
    """The total time stated: the granted time rounded up to a quarter hour by default. UP-3."""
    new_recipient: bool = attrs.field(default=False, validator=boolean)
    """Whether the care recipient is new (ny omsorgstagare): handed over by telephone. UP-5."""
    reassessment: bool = attrs.field(default=False, validator=boolean)
    """Whether the assignment follows a re-assessment (nyprövning). UP-9."""

    @property
    def assignment(self) -> Assignment:
        """The assignment the event records (uppdraget), UP-1…UP-4."""
        return Assignment(
            case=self.case,
            provider=self.provider,
            interventions=self.interventions,
            granted_minutes=self.granted_minutes,
            double_staffed=self.double_staffed,
            stated_minutes=self.stated_minutes,
        )

    @classmethod
    def of(
        cls,
        assignment: Assignment,
        *,
        at: datetime,
        actor: Actor,
        new_recipient: bool = False,
        reassessment: bool = False,
        recorded_at: datetime | None = None,
    ) -> AssignmentSent:
        """Return the event recording that ``assignment`` was sent (skicka uppdraget), UP-1."""
        if not isinstance(assignment, Assignment):
            raise InvalidInput(f"assignment must be an Assignment, not {describe(assignment)}")
        return cls(
            case=assignment.case,
            at=at,
            actor=actor,
            recorded_at=recorded_at,
            provider=assignment.provider,
            interventions=assignment.interventions,
            granted_minutes=assignment.granted_minutes,
            double_staffed=assignment.double_staffed,
            stated_minutes=assignment.stated_minutes,
            new_recipient=new_recipient,
            reassessment=reassessment,
        )


@attrs.frozen(kw_only=True)
class TimeRecordingOrdered(AssignmentDispatchEvent):
    """Time recording ordered (beställning lagd i Phoniro) for a provider's assignment, UP-2."""

    provider: Provider = attrs.field(validator=instance_of(Provider))
    """The provider whose assignment the order is for."""


@attrs.frozen(kw_only=True)
class HandedOver(AssignmentDispatchEvent):
    """Handed over (överrapporterat) to the provider by the needs assessor, UP-5, UP-7.

    Recorded through :class:`HandOver`: the routine adds whether the special contact
    path to the municipal home care applied (UP-7).
    """

    provider: Provider = attrs.field(validator=instance_of(Provider))
    """The provider handed over to."""
    channels: tuple[Channel, ...] = attrs.field(converter=_channels, validator=tuple_of(Channel))
    """How: by telephone, by system message, or both. UP-5."""
    special_contact_path: bool = attrs.field(default=False, validator=boolean)
    """Whether the handover fell before a weekend or holiday, to the municipal home care:
    the special contact path (LRU0005) applied. Information, not a deviation. UP-7."""


@attrs.frozen(kw_only=True)
class AssignmentReceiptConfirmed(AssignmentDispatchEvent):
    """Receipt confirmed (mottagandet bekräftat) by the provider to the needs assessor, UP-8."""

    provider: Provider = attrs.field(validator=instance_of(Provider))
    """The provider confirming."""
    channel: Channel = attrs.field(default=Channel.SYSTEM_MESSAGE, validator=instance_of(Channel))
    """How: by a system message, as the routine asks. UP-8."""


@attrs.frozen(kw_only=True)
class InterventionExecuted(AssignmentDispatchEvent):
    """Intervention executed (insats verkställd) by the provider from its start date, UP-9.

    One event per intervention, each with its own start date, also after a
    re-assessment: billing reads these dates. A safety alarm is executed by the alarm
    installer on installation instead (:class:`AlarmInstalled`, UP-11).
    """

    intervention: Intervention = attrs.field(validator=instance_of(Intervention))
    """The intervention executed."""
    started_on: date = attrs.field(validator=_started)
    """The day it started: the execution date billing reads; not after the registration."""


@attrs.frozen(kw_only=True)
class AlarmInstalled(AssignmentDispatchEvent):
    """Safety alarm installed (trygghetslarm installerat) and executed by the installer, UP-11."""

    installed_on: date = attrs.field(validator=_started)
    """The day it was installed: the execution date; not after the registration."""


@attrs.frozen(kw_only=True)
class AlarmReturned(AssignmentDispatchEvent):
    """Safety alarm returned (trygghetslarm återlämnat) to the installer, UP-12."""

    reason: ReturnReason = attrs.field(validator=instance_of(ReturnReason))
    """Why: the recipient declined it, or has died."""


@attrs.frozen(kw_only=True)
class DischargeAnnounced(AssignmentDispatchEvent):
    """Discharge announced (utskrivning aviserad) with a new application for interventions, UP-13."""  # noqa: E501

    stay: str = attrs.field(validator=identifier)
    """The hospital stay (sjukhusvistelse), by an identifier of the embedding system's."""
    discharge_at: datetime = attrs.field(converter=_discharge_at)
    """When the care recipient will be discharged: the notifications are due by then."""


@attrs.frozen(kw_only=True)
class AdmittedToHospital(AssignmentDispatchEvent):
    """Admitted to hospital (inlagd på sjukhus): a care recipient with interventions, UP-14."""

    stay: str = attrs.field(validator=identifier)
    """The hospital stay, by an identifier of the embedding system's; each stay its own."""


@attrs.frozen(kw_only=True)
class HomeFromHospital(AssignmentDispatchEvent):
    """Home from hospital (hemkommen från sjukhus): the stay admitted before ends, UP-14."""

    stay: str = attrs.field(validator=identifier)
    """The hospital stay that ends."""


def _fits_subject(instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    subject = getattr(instance, "subject", None)
    if not isinstance(subject, Subject) or not isinstance(value, Recipient):
        return
    if subject is Subject.HANDOVER:
        raise InvalidInput(
            "a handover is recorded with HandOver (UP-5), not as a notification; subject "
            "must be another Subject member"
        )
    if value not in RECIPIENTS_OF[subject]:
        allowed = ", ".join(sorted(r.name for r in RECIPIENTS_OF[subject]))
        raise InvalidInput(
            "recipient must be one the routine tells of the subject (UP-6…UP-14); of "
            f"that subject: {allowed}"
        )


def _stay_for_subject(instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    subject = getattr(instance, "subject", None)
    if not isinstance(subject, Subject):
        return
    if subject in HOSPITAL_SUBJECTS and value is None:
        raise InvalidInput(
            "stay must name the hospital stay a notification of a discharge, an admission "
            "or a return home is about (UP-13, UP-14): each stay is its own"
        )
    if subject not in HOSPITAL_SUBJECTS and value is not None:
        raise InvalidInput(
            "stay must be None for a notification of another subject than a hospital stay's"
        )


@attrs.frozen(kw_only=True)
class NotificationSent(AssignmentDispatchEvent):
    """Notification sent (meddelande lämnat): someone told a recipient of a subject, UP-6…UP-14.

    Who tells whom is the routine's (:func:`required_notifications`); a notification
    meets the duty of its subject to its recipient (and, for a hospital stay, of that
    stay) only.
    """

    subject: Subject = attrs.field(validator=instance_of(Subject))
    """What the recipient was told of."""
    recipient: Recipient = attrs.field(validator=[instance_of(Recipient), _fits_subject])
    """Who was told."""
    channel: Channel = attrs.field(validator=instance_of(Channel))
    """How."""
    stay: str | None = attrs.field(default=None, validator=[_optional_stay, _stay_for_subject])
    """The hospital stay the notification is about (UP-13, UP-14); None for other subjects."""


@attrs.frozen(kw_only=True)
class AssignmentClosed(AssignmentDispatchEvent):
    """Assignment closed (uppdraget avslutat): the care recipient's case ends here."""

    reason: str = attrs.field(default="", validator=free_reason)
    """Why, as noted (free text, may be empty)."""


# --------------------------------------------------------------------------- commands


@attrs.frozen(kw_only=True)
class AssignmentDispatchCommand(Command):
    """Command of routine UP (kommando): a step whose record the routine completes, X-2."""


@attrs.frozen(kw_only=True)
class HandOver(AssignmentDispatchCommand):
    """Hand the assignment over (överrapportera) to the provider, UP-5, UP-7.

    The routine records whether the special contact path to the municipal home care
    applied when it happened (UP-7).
    """

    provider: Provider = attrs.field(validator=instance_of(Provider))
    """The provider handed over to: one the case has sent an assignment to."""
    channels: tuple[Channel, ...] = attrs.field(converter=_channels, validator=tuple_of(Channel))
    """How: by telephone, by system message, or both. UP-5."""
