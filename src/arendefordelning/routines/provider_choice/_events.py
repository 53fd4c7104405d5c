"""Provider choice (val, omval och uppdrag till utförare av hemtjänst): routine VAL's events.

The events (händelser) and the commands (kommandon) of the routine, X-1.

Each step of the routine is requested with its event: the embedding system reports
what happened (``ChoiceRegistered(case=..., at=..., actor=..., provider=..., form=...)``)
and the routine checks that it may be recorded. A command class exists only where the
routine completes the event from the case's state or from an input it does not keep:
:class:`RegisterAbstention` (the provider next in turn on the list),
:class:`AssignUrgently` (the case's provider, or the list's), :class:`DistributeAssignment`
and :class:`NotifyHomeHealthCare` (the case's provider), :class:`RegisterExecution` and
:class:`ConfirmExecutionDate` (the date reported), :class:`RegisterRechoice` (the
outgoing provider) and :class:`DocumentTakeoverDate` (the date reported).

An event's own checks, which need nothing but the event, are its validators; the
checks that need the case are declared on the step (see the routine's table).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, ClassVar, Final

import attrs

from ..._time import UTC, as_stockholm
from ..._validators import (
    TELEPHONE,
    describe,
    flag,
    instance_of,
    optional_plain_date,
    optional_text,
    phone_number,
    plain_date,
    text,
)
from ..._validators import reason as free_reason
from ...errors import InvalidInput
from ...identity import Sex
from ...kernel import Command, Event, LegalBasis
from ...providers import Provider
from ..rotation import RotationList, RotationOrder

ROUTINE: Final = "VAL"


# --------------------------------------------------------------------------- vocabularies


class ChoiceForm(enum.Enum):
    """Form of the customer's choice (skriftligt eller muntligt val), VAL-1, VAL-12."""

    WRITTEN = "skriftligt"
    """In writing (skriftligt), on the choice form."""
    ORAL = "muntligt"
    """Orally (muntligt)."""


class ContactChannel(enum.Enum):
    """Channel (kanal) of a contact with a provider, VAL-9, VAL-13."""

    SYSTEM = "verksamhetssystemet"
    """Through the case-management system (verksamhetssystemet), municipal providers."""
    EMAIL = "e-post"
    """By e-mail (e-post), private providers; identifies the customer by case number only."""
    TELEPHONE = "telefon"
    """By telephone (telefon), private providers."""


class Delivery(enum.Enum):
    """Delivery of a paper assignment (distribuera uppdraget) to a private provider, VAL-9."""

    POST = "per post"
    """Sent by post (per post)."""
    PICK_UP = "hämtas i medborgarkontoret"
    """Picked up at the citizens' office (hämtas i medborgarkontoret)."""


class LaterStartBasis(enum.Enum):
    """Why the start is later (senare start), VAL-6."""

    INSTRUCTION = "anvisning av biståndshandläggaren"
    """The needs assessor's instruction (anvisning av biståndshandläggaren)."""
    AGREEMENT = "överenskommelse med kunden"
    """Agreement with the customer (överenskommelse med kunden)."""


# --------------------------------------------------------------------------- checks of one event


def _start(value: object) -> datetime:
    return as_stockholm(value, "start")


def _start_by(value: object) -> datetime:
    return as_stockholm(value, "start_by")


def _phone_tuple(value: object) -> tuple[str, ...]:
    """Take any iterable of telephone numbers as a tuple, checking each (X-7).

    A lone string is refused, not split into characters.
    """
    field = "relatives_phone_numbers"
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidInput(
            f"{field} must be an iterable of telephone numbers (a tuple or list of str), "
            f"not {describe(value)}"
        )
    return tuple(phone_number(f"each of {field}", item) for item in value)


def _after_at(instance: Any, attribute: attrs.Attribute[Any], value: datetime) -> None:
    """VAL-6: a later start lies after the moment it is agreed."""
    if value.astimezone(UTC) <= instance.at.astimezone(UTC):
        raise InvalidInput("start must be after at, the time the later start is agreed (VAL-6)")


def _not_before_at(instance: Any, attribute: attrs.Attribute[Any], value: datetime) -> None:
    """VAL-7: an urgent start lies from the moment the assignment is given."""
    if value.astimezone(UTC) < instance.at.astimezone(UTC):
        raise InvalidInput(
            "start_by must not be before at: an urgent start lies from the moment the "
            "assignment is given, sooner than the 24 hours of VAL-6 (VAL-7)"
        )


def _not_before_the_day(instance: Any, attribute: attrs.Attribute[Any], value: date) -> None:
    """VAL-15: the last day is not before the day it is agreed."""
    if value < instance.at.date():
        raise InvalidInput("last_day must not be before the day it is agreed (at) (VAL-15)")


def _wish_said(instance: Any, attribute: attrs.Attribute[Any], value: bool) -> None:
    """VAL-14: a wish names a takeover date, no contact with the outgoing provider, or both."""
    if instance.requested_takeover is None and not value:
        raise InvalidInput(
            "a takeover wish needs requested_takeover, no_contact_with_outgoing=True, "
            "or both (VAL-14)"
        )


def _incoming_differs(instance: Any, attribute: attrs.Attribute[Any], value: Provider) -> None:
    """VAL-12: the customer chooses another provider than the outgoing one."""
    if value == instance.outgoing:
        raise InvalidInput("the incoming provider must differ from the outgoing one (VAL-12)")


def _chosen_by_then(instance: Any, attribute: attrs.Attribute[Any], value: date) -> None:
    """VAL-12: the customer told the new choice on or before the day it is registered."""
    if value > instance.at.date():
        raise InvalidInput(
            "chosen_on must not be after the day the re-choice is registered (VAL-12)"
        )


# --------------------------------------------------------------------------- events


@attrs.frozen(kw_only=True)
class ProviderChoiceEvent(Event):
    """Event of routine VAL (händelse): every event below is one, X-1."""

    routine: ClassVar[str] = ROUTINE


@attrs.frozen(kw_only=True)
class ProviderNamed(ProviderChoiceEvent):
    """Event naming the first choice's provider (utförare), VAL-1…VAL-7.

    The base of the events that give the case its provider (a choice, an abstention,
    an urgent assignment) or hand it the assignment: the obligations they open read
    the provider from them.
    """

    provider: Provider = attrs.field(validator=instance_of(Provider))
    """The provider: chosen, next in turn on the list, given the assignment or told of."""


@attrs.frozen(kw_only=True)
class ChoiceRegistered(ProviderNamed):
    """Choice registered (val registrerat): the customer chose a provider, VAL-1, VAL-3.

    Registering it in the events (händelser) of the case-management system includes
    filing the choice form in the file (blankett i akten), VAL-3.
    """

    form: ChoiceForm = attrs.field(validator=instance_of(ChoiceForm))
    """Whether the choice was made in writing or orally."""
    home_health_care: bool = attrs.field(default=False, validator=flag)
    """Whether the customer is enrolled in home health care (hemsjukvård), VAL-5."""
    decided_on: date | None = attrs.field(default=None, validator=optional_plain_date)
    """The day of the decision on home care the choice follows, or None where not
    recorded (the choice is not the decision, X-6)."""
    legal_basis: LegalBasis | None = attrs.field(
        default=None, validator=instance_of(LegalBasis, optional=True)
    )
    """The act the decision was made under (SoL or LSS), or None where not recorded. X-6."""
    sex: Sex | None = attrs.field(default=None, validator=instance_of(Sex, optional=True))
    """The customer's sex as the decision records it, or None; never derived. X-6."""
    born: date | None = attrs.field(default=None, validator=optional_plain_date)
    """The customer's date of birth as the decision records it, or None. X-6."""


@attrs.frozen(kw_only=True)
class AbstentionRegistered(ProviderNamed):
    """Abstention registered (icke-val registrerat): provider from the list, VAL-1…VAL-3."""

    area: str = attrs.field(validator=text)
    """The area of the list the provider was taken from."""
    home_health_care: bool = attrs.field(default=False, validator=flag)
    """Whether the customer is enrolled in home health care (hemsjukvård), VAL-5."""
    decided_on: date | None = attrs.field(default=None, validator=optional_plain_date)
    """The day of the decision on home care the choice follows, or None where not
    recorded (the choice is not the decision, X-6)."""
    legal_basis: LegalBasis | None = attrs.field(
        default=None, validator=instance_of(LegalBasis, optional=True)
    )
    """The act the decision was made under (SoL or LSS), or None where not recorded. X-6."""
    sex: Sex | None = attrs.field(default=None, validator=instance_of(Sex, optional=True))
    """The customer's sex as the decision records it, or None; never derived. X-6."""
    born: date | None = attrs.field(default=None, validator=optional_plain_date)
    """The customer's date of birth as the decision records it, or None. X-6."""


@attrs.frozen(kw_only=True)
class AssignmentPrepared(ProviderChoiceEvent):
    """Assignment prepared (uppdrag framtaget): time, case number, relatives, VAL-9."""

    relatives_phone_numbers: tuple[str, ...] = attrs.field(
        default=(), converter=_phone_tuple, metadata={"kind": TELEPHONE}
    )
    """The relatives' telephone numbers written on the assignment (närståendes telefonnummer)."""


@attrs.frozen(kw_only=True)
class AssignmentDistributed(ProviderNamed):
    """Assignment distributed (uppdrag fördelat) to the chosen provider, VAL-4.

    For a municipal provider VAL-6's 24 hours run from this event.
    """


@attrs.frozen(kw_only=True)
class HomeHealthCareNotified(ProviderNamed):
    """Home health care notified (meddelande till hemsjukvården) of the provider, VAL-5.

    Sent to the home health care nurses through the shared mailing list and documented
    in the journal.
    """


@attrs.frozen(kw_only=True)
class ProviderContacted(ProviderChoiceEvent):
    """Provider contacted (kontakt med utföraren) about the assignment, VAL-9.

    For a private provider VAL-6's 24 hours run from this event. An e-mail identifies
    the customer by case number only.
    """

    channel: ContactChannel = attrs.field(validator=instance_of(ContactChannel))
    """How the provider was contacted: by e-mail or telephone (never through the system: the
    provider is private, VAL-9)."""
    delivery: Delivery = attrs.field(validator=instance_of(Delivery))
    """How the paper assignment reaches the provider, as agreed."""


@attrs.frozen(kw_only=True)
class ReceiptConfirmed(ProviderChoiceEvent):
    """Receipt confirmed (mottagandet bekräftat) by the private provider by e-mail, VAL-10."""


@attrs.frozen(kw_only=True)
class ReceiptFiled(ProviderChoiceEvent):
    """Receipt filed (bekräftelsen i akten): filed and noted in the journal, VAL-10."""


@attrs.frozen(kw_only=True)
class LaterStartAgreed(ProviderChoiceEvent):
    """Later start agreed (senare start): the execution may start later, VAL-6.

    The needs assessor may instruct it or record an agreement with the customer; the
    provider may record an agreement only.
    """

    start: datetime = attrs.field(converter=_start, validator=_after_at)
    """The agreed start, after the agreement; VAL-6's due time is the later of this and
    the 24 hours."""
    basis: LaterStartBasis = attrs.field(validator=instance_of(LaterStartBasis))
    """The assessor's instruction or an agreement with the customer."""


@attrs.frozen(kw_only=True)
class UrgentlyAssigned(ProviderNamed):
    """Assignment given urgently (snabbare igångsättning), VAL-7.

    By the non-choice list, unless the customer already has a provider, who then gets
    the assignment.
    """

    start_by: datetime = attrs.field(converter=_start_by, validator=_not_before_at)
    """When the assignment must have started, sooner than VAL-6's 24 hours."""
    area: str | None = attrs.field(default=None, validator=optional_text)
    """The list's area when the provider was taken from the list; None otherwise."""


@attrs.frozen(kw_only=True)
class ExecutionStarted(ProviderChoiceEvent):
    """Execution started (uppdraget verkställt): the provider started, VAL-6.

    ``at`` is when the assignment started; VAL-6 is met when it is not after the due
    time derived from the events.
    """


@attrs.frozen(kw_only=True)
class FirstInterventionReported(ProviderChoiceEvent):
    """First intervention reported (datum för första insats) by e-mail, VAL-11."""

    first_intervention: date = attrs.field(validator=plain_date)
    """The date of the first intervention at the customer's."""


@attrs.frozen(kw_only=True)
class ExecutionRegistered(ProviderChoiceEvent):
    """Execution registered (verkställt i verksamhetssystemet) from the date, VAL-11."""

    executed_from: date = attrs.field(validator=plain_date)
    """The date execution counts from: the first intervention's date."""


@attrs.frozen(kw_only=True)
class ExecutionDateConfirmed(ProviderChoiceEvent):
    """Execution date confirmed (verkställighetsdatum bekräftat) to the provider, VAL-11."""

    executed_from: date = attrs.field(validator=plain_date)
    """The date confirmed."""


@attrs.frozen(kw_only=True)
class InterventionNotExecuted(ProviderChoiceEvent):
    """Intervention not executed (insats som inte verkställs), with the reason, VAL-8."""

    intervention: str = attrs.field(validator=text)
    """Which intervention is not executed."""
    reason: str = attrs.field(validator=text)
    """Why (orsak)."""


@attrs.frozen(kw_only=True)
class RechoiceRegistered(ProviderChoiceEvent):
    """Re-choice registered (omval registrerat): outgoing and incoming provider, VAL-12."""

    outgoing: Provider = attrs.field(validator=instance_of(Provider))
    """The outgoing provider (frånträdande utförare)."""
    incoming: Provider = attrs.field(validator=[instance_of(Provider), _incoming_differs])
    """The incoming provider (tillträdande utförare), another than the outgoing one."""
    form: ChoiceForm = attrs.field(validator=instance_of(ChoiceForm))
    """Whether the new choice was made in writing or orally."""
    chosen_on: date = attrs.field(validator=[plain_date, _chosen_by_then])
    """The day the customer told the assessor of the new choice (not after it is registered)."""
    home_health_care: bool = attrs.field(default=False, validator=flag)
    """Whether the customer has ongoing home health care, VAL-19."""


@attrs.frozen(kw_only=True)
class OutgoingProviderNotified(ProviderChoiceEvent):
    """Outgoing provider notified (frånträdande utförare meddelad) of the re-choice, VAL-13.

    Its own fact: VAL-13 wants both providers told at the same time, and the record
    shows whether they were. The switch window of VAL-18 counts from the later of the
    two notifications.
    """

    channel: ContactChannel = attrs.field(validator=instance_of(ContactChannel))
    """How the provider was told: the system for a municipal one, else e-mail or telephone."""


@attrs.frozen(kw_only=True)
class IncomingProviderNotified(ProviderChoiceEvent):
    """Incoming provider notified (tillträdande utförare meddelad) of the re-choice, VAL-13."""

    channel: ContactChannel = attrs.field(validator=instance_of(ContactChannel))
    """How the provider was told: the system for a municipal one, else e-mail or telephone."""


@attrs.frozen(kw_only=True)
class TakeoverWishRecorded(ProviderChoiceEvent):
    """Customer's wish recorded (kundens önskemål): a date or no contact, VAL-14."""

    requested_takeover: date | None = attrs.field(default=None, validator=optional_plain_date)
    """A specific takeover date the customer asks for, if any."""
    no_contact_with_outgoing: bool = attrs.field(default=False, validator=[flag, _wish_said])
    """Whether the customer wants no contact with the outgoing provider (a wish says one
    or both)."""


@attrs.frozen(kw_only=True)
class ProvidersMediated(ProviderChoiceEvent):
    """Information mediated between the providers (förmedlat mellan utförarna), VAL-14."""

    note: str = attrs.field(validator=text)
    """What was passed on."""


@attrs.frozen(kw_only=True)
class LastDayAgreed(ProviderChoiceEvent):
    """Last day agreed (sista dag) by the outgoing provider with the customer, VAL-15."""

    last_day: date = attrs.field(validator=[plain_date, _not_before_the_day])
    """The outgoing provider's last day of interventions, not before the agreement."""
    documentation_consent: bool = attrs.field(validator=flag)
    """Whether the customer consents to handing the documentation to the new provider."""


@attrs.frozen(kw_only=True)
class TakeoverAnnounced(ProviderChoiceEvent):
    """Takeover date announced (datum för övertagande) to the incoming provider, VAL-16."""

    takeover: date = attrs.field(validator=plain_date)
    """The takeover date the outgoing provider announced."""


@attrs.frozen(kw_only=True)
class DocumentationHandedOver(ProviderChoiceEvent):
    """Documentation handed over (dokumentation överlämnad), only with consent, VAL-16."""


@attrs.frozen(kw_only=True)
class TakeoverDateReported(ProviderChoiceEvent):
    """Takeover date reported (datum för övertagande meddelat) to the assessor, VAL-17."""

    takeover: date = attrs.field(validator=plain_date)
    """The takeover date, planned with the customer; within VAL-18's window."""


@attrs.frozen(kw_only=True)
class TakeoverDateDocumented(ProviderChoiceEvent):
    """Takeover date documented (dokumenterat i journalen) by the assessor, VAL-17.

    From the takeover date the incoming provider is the customer's provider.
    """

    takeover: date = attrs.field(validator=plain_date)
    """The documented takeover date."""


@attrs.frozen(kw_only=True)
class HomeHealthCareToldOfSwitch(ProviderChoiceEvent):
    """Home health care told of the switch (hemsjukvården meddelad) by the outgoing provider.

    The outgoing provider's assignment ends; the message gives the incoming provider's
    contact details, VAL-19.
    """

    incoming_contact: str = attrs.field(validator=text)
    """The incoming provider's contact details (kontaktuppgifter)."""


# --------------------------------------------------------------------------- the list's events


@attrs.frozen(kw_only=True)
class ProviderJoinedList(ProviderChoiceEvent):
    """Provider joined the list (ansluter till listan) of an area from a day, VAL-2.

    ``case`` is the list's identifier (the area's list is one stream of events); the
    first join of an area also sets the list's order.
    """

    area: str = attrs.field(validator=text)
    """The area the list is kept for."""
    provider: Provider = attrs.field(validator=instance_of(Provider))
    """The provider."""
    on: date = attrs.field(validator=plain_date)
    """The first day it is on the list."""
    cap: int | None = attrs.field(default=None, validator=instance_of(int, optional=True))
    """Its capacity cap (kapacitetstak), or None for none."""
    ordering: RotationOrder = attrs.field(
        default=RotationOrder.ALPHABETICAL, validator=instance_of(RotationOrder)
    )
    """The list's order; read from the area's first join."""


@attrs.frozen(kw_only=True)
class ProviderLeftList(ProviderChoiceEvent):
    """Provider left the list (lämnar listan) of an area from a day, VAL-2."""

    area: str = attrs.field(validator=text)
    """The area."""
    provider: Provider = attrs.field(validator=instance_of(Provider))
    """The provider."""
    on: date = attrs.field(validator=plain_date)
    """The first day it is off the list."""


@attrs.frozen(kw_only=True)
class ProviderPaused(ProviderChoiceEvent):
    """Provider paused (intagningsstopp) on an area's list, VAL-2."""

    area: str = attrs.field(validator=text)
    """The area."""
    provider: Provider = attrs.field(validator=instance_of(Provider))
    """The provider."""
    start: date = attrs.field(validator=plain_date)
    """The first day of the pause."""
    end: date | None = attrs.field(default=None, validator=optional_plain_date)
    """The first day it receives again, or None until resumed."""
    reason: str = attrs.field(default="", validator=free_reason)
    """Why, as the assessors note it (free text, may be empty)."""


@attrs.frozen(kw_only=True)
class ProviderResumed(ProviderChoiceEvent):
    """Provider's pause ended (intagningsstopp upphör) on an area's list from a day, VAL-2."""

    area: str = attrs.field(validator=text)
    """The area."""
    provider: Provider = attrs.field(validator=instance_of(Provider))
    """The provider."""
    on: date = attrs.field(validator=plain_date)
    """The first day it receives again."""


@attrs.frozen(kw_only=True)
class CapSet(ProviderChoiceEvent):
    """Capacity cap set (kapacitetstak satt) for a provider on an area's list, VAL-2."""

    area: str = attrs.field(validator=text)
    """The area."""
    provider: Provider = attrs.field(validator=instance_of(Provider))
    """The provider."""
    cap: int | None = attrs.field(default=None, validator=instance_of(int, optional=True))
    """The new cap, or None for none."""


@attrs.frozen(kw_only=True)
class CustomerReleased(ProviderChoiceEvent):
    """A customer given through the list left the provider (kund lämnar utföraren), VAL-2."""

    area: str = attrs.field(validator=text)
    """The area."""
    provider: Provider = attrs.field(validator=instance_of(Provider))
    """The provider."""


LIST_EVENTS: Final = (
    ProviderJoinedList,
    ProviderLeftList,
    ProviderPaused,
    ProviderResumed,
    CapSet,
    CustomerReleased,
)
"""The events of an area's non-choice list (VAL-2): no step of a case."""


# --------------------------------------------------------------------------- commands


@attrs.frozen(kw_only=True)
class ProviderChoiceCommand(Command):
    """Command of routine VAL (kommando): a step whose event the routine completes, X-2."""


@attrs.frozen(kw_only=True)
class RegisterAbstention(ProviderChoiceCommand):
    """Register that the customer abstains (registrera icke-val), VAL-1…VAL-3.

    The customer gets the provider next in turn on ``rotation`` on the command's day.
    The take is recorded in the event, so the list derived from the record
    (``rotation_of``) moves on by it: pass the area's list as the record leaves it.
    """

    rotation: RotationList = attrs.field(validator=instance_of(RotationList))
    """The area's non-choice list (akut- och ickevalslistan) as it stands."""
    home_health_care: bool = attrs.field(default=False, validator=flag)
    """Whether the system shows the customer enrolled in home health care, VAL-5."""
    decided_on: date | None = attrs.field(default=None, validator=optional_plain_date)
    """The day of the decision on home care the choice follows, or None where not
    recorded (the choice is not the decision, X-6)."""
    legal_basis: LegalBasis | None = attrs.field(
        default=None, validator=instance_of(LegalBasis, optional=True)
    )
    """The act the decision was made under (SoL or LSS), or None where not recorded. X-6."""
    sex: Sex | None = attrs.field(default=None, validator=instance_of(Sex, optional=True))
    """The customer's sex as the decision records it, or None; never derived. X-6."""
    born: date | None = attrs.field(default=None, validator=optional_plain_date)
    """The customer's date of birth as the decision records it, or None. X-6."""


@attrs.frozen(kw_only=True)
class DistributeAssignment(ProviderChoiceCommand):
    """Distribute the assignment (fördela uppdraget) to the case's provider, VAL-4."""


@attrs.frozen(kw_only=True)
class NotifyHomeHealthCare(ProviderChoiceCommand):
    """Tell home health care (meddela hemsjukvården) which provider was chosen, VAL-5."""


@attrs.frozen(kw_only=True)
class AssignUrgently(ProviderChoiceCommand):
    """Give the assignment urgently (snabbare igångsättning än 24 timmar), VAL-7.

    The customer's provider gets it if the customer already has one (in this case, or
    ``current_provider`` from elsewhere); otherwise the provider next in turn on
    ``rotation``.
    """

    start_by: datetime = attrs.field(converter=_start_by)
    """When the assignment must have started."""
    rotation: RotationList | None = attrs.field(
        default=None, validator=instance_of(RotationList, optional=True)
    )
    """The area's non-choice list, needed when the customer has no provider."""
    current_provider: Provider | None = attrs.field(
        default=None, validator=instance_of(Provider, optional=True)
    )
    """The customer's provider from outside this case, if any."""


@attrs.frozen(kw_only=True)
class RegisterExecution(ProviderChoiceCommand):
    """Register execution (verkställa i verksamhetssystemet) from the reported date, VAL-11."""


@attrs.frozen(kw_only=True)
class ConfirmExecutionDate(ProviderChoiceCommand):
    """Confirm the execution date (bekräfta verkställighetsdatum) to the provider, VAL-11."""


@attrs.frozen(kw_only=True)
class RegisterRechoice(ProviderChoiceCommand):
    """Register a re-choice (registrera omval): outgoing and incoming provider, VAL-12.

    The outgoing provider is the case's provider; a case opened for the re-choice
    alone names it in ``outgoing``.
    """

    incoming: Provider = attrs.field(validator=instance_of(Provider))
    """The newly chosen provider (tillträdande utförare)."""
    form: ChoiceForm = attrs.field(validator=instance_of(ChoiceForm))
    """Written or oral."""
    outgoing: Provider | None = attrs.field(
        default=None, validator=instance_of(Provider, optional=True)
    )
    """The outgoing provider when the case does not know it yet."""
    chosen_on: date | None = attrs.field(default=None, validator=optional_plain_date)
    """The day the customer told the new choice; None means the command's day."""
    home_health_care: bool = attrs.field(default=False, validator=flag)
    """Whether the customer has ongoing home health care, VAL-19."""


@attrs.frozen(kw_only=True)
class DocumentTakeoverDate(ProviderChoiceCommand):
    """Document the takeover date (dokumentera datum för övertagande) in the journal, VAL-17."""
