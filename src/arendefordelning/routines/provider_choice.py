"""Provider choice (val, omval och uppdrag till utförare av hemtjänst): routine VAL.

Home care under free choice (LOV). One decider covers the routine's three flows:

* **first choice, municipal provider** (VAL-1…VAL-8): the needs assessor registers
  the customer's choice, or the abstention and the provider next in turn on the
  non-choice list (:class:`~arendefordelning.routines.rotation.RotationList`),
  distributes the assignment, tells home health care, and the provider executes
  within 24 hours (VAL-6) or reports what is not executed (VAL-8);
* **first choice, private provider** (VAL-9…VAL-11): the assessor also prepares the
  assignment and contacts the provider; the provider confirms receipt and reports
  the first intervention; the assessor registers and confirms execution;
* **re-choice** (omval, VAL-12…VAL-19): both providers registered and notified at
  the same time, the customer's wishes mediated, the last day and consent agreed,
  the takeover date reported within the switch window (VAL-18), home health care
  told.

Use it through :data:`PROVIDER_CHOICE` (a :class:`~arendefordelning.kernel.Decider`)
or the module functions :func:`decide`, :func:`evolve`, :func:`replay`,
:func:`required_actions` and :func:`execution_deadline_of`. Deadlines are derived
from the events every time, never stored: a later agreed start moves VAL-6's due time.

The decider checks roles, not identities: a command of role ``utförare`` is taken
to come from the provider the step belongs to (the outgoing provider for VAL-15,
VAL-16 and VAL-19, the incoming one for VAL-17); the embedding system, which knows
its users, checks which provider an actor works for.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from datetime import date, datetime, time
from typing import Any, ClassVar, Final, TypeAlias, TypeVar

import attrs
from dateutil.relativedelta import relativedelta

from .._time import UTC, as_date, as_stockholm, at_local_time, format_local
from .._validators import (
    describe,
    flag,
    instance_of,
    optional_plain_date,
    optional_text,
    phone_number,
    plain_date,
    shown,
    text,
)
from ..deadlines import (
    Deadline,
    ExecutionDeadlinePolicy,
    ProviderKind,
    SwitchWindowPolicy,
    execution_deadline,
    switch_window,
)
from ..errors import InvalidInput, NotPermitted
from ..kernel import (
    ActionKind,
    Command,
    Decider,
    Event,
    RequiredAction,
    Role,
    authorize,
    refuse_unless_allowed,
)
from ..providers import Provider
from .rotation import RotationList

__all__ = [
    "PROVIDER_CHOICE",
    "AbstentionRegistered",
    "AgreeLastDay",
    "AgreeLaterStart",
    "AnnounceTakeover",
    "AssignUrgently",
    "AssignmentDistributed",
    "AssignmentPrepared",
    "ChoiceForm",
    "ChoiceRegistered",
    "ConfirmExecutionDate",
    "ConfirmReceipt",
    "ContactChannel",
    "ContactProvider",
    "Delivery",
    "DistributeAssignment",
    "DocumentTakeoverDate",
    "DocumentationHandedOver",
    "ExecutionDateConfirmed",
    "ExecutionRegistered",
    "ExecutionStarted",
    "FileReceipt",
    "FirstInterventionReported",
    "HandOverDocumentation",
    "HomeHealthCareNotified",
    "HomeHealthCareToldOfSwitch",
    "InterventionNotExecuted",
    "LastDayAgreed",
    "LaterStartAgreed",
    "LaterStartBasis",
    "MediateBetweenProviders",
    "NotifyHomeHealthCare",
    "NotifyProviders",
    "ProviderChoiceCommand",
    "ProviderChoiceEvent",
    "ProviderChoicePolicy",
    "ProviderChoiceState",
    "ProviderContacted",
    "ProvidersMediated",
    "ProvidersNotified",
    "ReceiptConfirmed",
    "ReceiptFiled",
    "Rechoice",
    "RechoiceRegistered",
    "RecordTakeoverWish",
    "RegisterAbstention",
    "RegisterChoice",
    "RegisterExecution",
    "RegisterRechoice",
    "ReportFirstIntervention",
    "ReportNotExecuted",
    "ReportTakeoverDate",
    "Stage",
    "StartExecution",
    "TakeoverAnnounced",
    "TakeoverDateDocumented",
    "TakeoverDateReported",
    "TakeoverWishRecorded",
    "TellHomeHealthCareOfSwitch",
    "UrgentlyAssigned",
    "allowed_commands",
    "decide",
    "evolve",
    "execution_deadline_of",
    "initial_state",
    "policy_in_force",
    "replay",
    "required_actions",
    "switch_window_of",
]

ROUTINE: Final = "VAL"

_T = TypeVar("_T")

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


class Stage(enum.Enum):
    """Stage of a case (skede): where the case stands in routine VAL."""

    NEW = "nytt"
    """Nothing registered yet (nytt)."""
    CHOSEN = "val registrerat"
    """Choice or abstention registered, assignment not yet distributed (val registrerat)."""
    DISTRIBUTED = "fördelat"
    """Assignment distributed, not yet executed (fördelat)."""
    EXECUTING = "verkställt"
    """Assignment executed (verkställt)."""
    RECHOICE = "omval pågår"
    """A re-choice is under way (omval pågår)."""
    SWITCHED = "bytt utförare"
    """A re-choice is done: the incoming provider has taken over (bytt utförare)."""


_STAGE_EN: Final = {
    Stage.NEW: "new",
    Stage.CHOSEN: "choice registered",
    Stage.DISTRIBUTED: "distributed",
    Stage.EXECUTING: "executed",
    Stage.RECHOICE: "in re-choice",
    Stage.SWITCHED: "provider switched",
}


# --------------------------------------------------------------------------- policy


@attrs.frozen
class ProviderChoicePolicy:
    """Parameters of routine VAL with their validity period (giltighetstid), VAL-20.

    The routine is revised every year together with the LOV documents; each
    revision is a new policy value with its own ``valid_from``. The defaults are the
    numbers of the routine decided 2016-12-12, in force from 2017-01-01.
    """

    valid_from: date = attrs.field(default=date(2017, 1, 1), validator=plain_date)
    """First day the parameters apply (gäller fr o m). VAL-20."""
    valid_until: date | None = attrs.field(default=None, validator=optional_plain_date)
    """Last day the parameters apply, inclusive; None until a revision replaces them. VAL-20."""
    execution: ExecutionDeadlinePolicy = attrs.field(
        factory=ExecutionDeadlinePolicy,
        validator=instance_of(ExecutionDeadlinePolicy),
    )
    """Cut-off 14:00, start 07:00 next working day, 24 hours. VAL-6."""
    switch: SwitchWindowPolicy = attrs.field(
        factory=SwitchWindowPolicy, validator=instance_of(SwitchWindowPolicy)
    )
    """Switch window of 7–14 days at re-choice. VAL-18."""
    revision_interval: relativedelta = attrs.field(
        factory=lambda: relativedelta(years=1),
        validator=instance_of(relativedelta),
    )
    """How often the routine is revised (revideras årligen). VAL-20."""

    def __attrs_post_init__(self) -> None:
        if self.valid_until is not None and self.valid_until < self.valid_from:
            raise InvalidInput(
                f"valid_until ({self.valid_until}) must not be before valid_from "
                f"({self.valid_from}) (VAL-20)"
            )
        try:
            due = self.valid_from + self.revision_interval
        except (OverflowError, ValueError):
            due = None
        if not isinstance(due, date):
            raise InvalidInput(
                "valid_from + revision_interval lies beyond the last date Python can "
                "represent; give a valid_from before the year 9999 (VAL-20)"
            )
        if not self.valid_from < due <= self.valid_from + _LONGEST_REVISION:
            raise InvalidInput(
                "revision_interval must be a period after valid_from of at most five "
                "years, such as relativedelta(years=1) (VAL-20)"
            )

    def in_force(self, on: date | datetime) -> bool:
        """Whether the parameters apply on a day, a date or an aware datetime, VAL-20."""
        day = as_date(on, "on")
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)

    @property
    def revision_due(self) -> date:
        """When the routine must next be revised: a year after ``valid_from``, VAL-20."""
        due: date = self.valid_from + self.revision_interval
        return due


_LONGEST_REVISION: Final = relativedelta(years=5)
"""The longest revision interval a policy accepts (VAL-20: yearly)."""


def policy_in_force(
    policies: Iterable[ProviderChoicePolicy], on: date | datetime
) -> ProviderChoicePolicy:
    """Return the policy in force on a day among a municipality's revisions, VAL-20.

    Raises:
        InvalidInput: when no policy, or more than one, is in force on that day, or
            ``policies`` is not an iterable of ProviderChoicePolicy values.
    """
    day = as_date(on, "on")
    given: object = policies
    if isinstance(given, str | bytes) or not isinstance(given, Iterable):
        raise InvalidInput(
            f"policies must be an iterable of ProviderChoicePolicy, not {describe(given)}"
        )
    chosen = tuple(policies)
    for policy in chosen:
        if not isinstance(policy, ProviderChoicePolicy):
            raise InvalidInput(
                f"policies must hold only ProviderChoicePolicy values, not {describe(policy)}"
            )
    found = [p for p in chosen if p.in_force(day)]
    if len(found) != 1:
        raise InvalidInput(
            f"exactly one ProviderChoicePolicy must be in force on {day.isoformat()}, "
            f"found {len(found)}; give policies whose validity periods do not overlap (VAL-20)"
        )
    return found[0]


_DEFAULT_POLICY: Final = ProviderChoicePolicy()


def _policy_value(value: object) -> ProviderChoicePolicy:
    if value is None:
        return _DEFAULT_POLICY
    if not isinstance(value, ProviderChoicePolicy):
        raise InvalidInput(
            f"policy must be a ProviderChoicePolicy or None, not {type(value).__name__}"
        )
    return value


def _policy(given: object, at: datetime) -> ProviderChoicePolicy:
    value = _policy_value(given)
    if given is not None and not value.in_force(at):
        until = "onwards" if value.valid_until is None else f"to {value.valid_until}"
        raise InvalidInput(
            f"the policy is in force from {value.valid_from} {until}, not on "
            f"{at.date().isoformat()}; pass the revision in force then (VAL-20)"
        )
    return value


# --------------------------------------------------------------------------- validators


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


def _phone_numbers(
    instance: object, attribute: attrs.Attribute[tuple[str, ...]], value: object
) -> None:
    if type(value) is not tuple:
        raise InvalidInput(
            f"{attribute.name} must be a tuple of telephone numbers, not {describe(value)}"
        )
    for item in value:
        phone_number(f"each of {attribute.name}", item)


# --------------------------------------------------------------------------- events


@attrs.frozen(kw_only=True)
class ProviderChoiceEvent(Event):
    """Event of routine VAL (händelse): every event below is one, X-1."""

    routine: ClassVar[str] = ROUTINE


@attrs.frozen(kw_only=True)
class ChoiceRegistered(ProviderChoiceEvent):
    """Choice registered (val registrerat): the customer chose a provider, VAL-1, VAL-3.

    Registering it in the events (händelser) of the case-management system includes
    filing the choice form in the file (blankett i akten), VAL-3.
    """

    provider: Provider = attrs.field(validator=instance_of(Provider))
    """The chosen provider."""
    form: ChoiceForm = attrs.field(validator=instance_of(ChoiceForm))
    """Whether the choice was made in writing or orally."""
    home_health_care: bool = attrs.field(default=False, validator=flag)
    """Whether the customer is enrolled in home health care (hemsjukvård), VAL-5."""


@attrs.frozen(kw_only=True)
class AbstentionRegistered(ProviderChoiceEvent):
    """Abstention registered (icke-val registrerat): provider from the list, VAL-1…VAL-3."""

    provider: Provider = attrs.field(validator=instance_of(Provider))
    """The provider next in turn on the non-choice list (akut- och ickevalslistan)."""
    area: str = attrs.field(validator=text)
    """The area of the list the provider was taken from."""
    home_health_care: bool = attrs.field(default=False, validator=flag)
    """Whether the customer is enrolled in home health care (hemsjukvård), VAL-5."""


@attrs.frozen(kw_only=True)
class AssignmentPrepared(ProviderChoiceEvent):
    """Assignment prepared (uppdrag framtaget): time, case number, relatives, VAL-9."""

    relatives_phone_numbers: tuple[str, ...] = attrs.field(default=(), validator=_phone_numbers)
    """The relatives' telephone numbers written on the assignment (närståendes telefonnummer)."""


@attrs.frozen(kw_only=True)
class AssignmentDistributed(ProviderChoiceEvent):
    """Assignment distributed (uppdrag fördelat) to the chosen provider, VAL-4.

    For a municipal provider VAL-6's 24 hours run from this event.
    """

    provider: Provider = attrs.field(validator=instance_of(Provider))
    """The provider the assignment was distributed to."""


@attrs.frozen(kw_only=True)
class HomeHealthCareNotified(ProviderChoiceEvent):
    """Home health care notified (meddelande till hemsjukvården) of the provider, VAL-5.

    Sent to the home health care nurses through the shared mailing list and documented
    in the journal.
    """

    provider: Provider = attrs.field(validator=instance_of(Provider))
    """The provider the nurses were told of."""


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
    """Later start agreed (senare start): the execution may start later, VAL-6."""

    start: datetime = attrs.field(converter=_start)
    """The agreed start; VAL-6's due time is the later of this and the 24 hours."""
    basis: LaterStartBasis = attrs.field(validator=instance_of(LaterStartBasis))
    """The assessor's instruction or an agreement with the customer."""


@attrs.frozen(kw_only=True)
class UrgentlyAssigned(ProviderChoiceEvent):
    """Assignment given urgently (snabbare igångsättning), VAL-7.

    By the non-choice list, unless the customer already has a provider, who then gets
    the assignment.
    """

    provider: Provider = attrs.field(validator=instance_of(Provider))
    """The provider given the assignment."""
    start_by: datetime = attrs.field(converter=_start_by)
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
    incoming: Provider = attrs.field(validator=instance_of(Provider))
    """The incoming provider (tillträdande utförare)."""
    form: ChoiceForm = attrs.field(validator=instance_of(ChoiceForm))
    """Whether the new choice was made in writing or orally."""
    chosen_on: date = attrs.field(validator=plain_date)
    """The day the customer told the assessor of the new choice."""
    home_health_care: bool = attrs.field(default=False, validator=flag)
    """Whether the customer has ongoing home health care, VAL-19."""


@attrs.frozen(kw_only=True)
class ProvidersNotified(ProviderChoiceEvent):
    """Both providers notified at the same time (båda utförarna meddelade), VAL-13.

    One event for both: the routine wants the two messages at the same time. The
    switch window of VAL-18 counts from it.
    """

    outgoing_channel: ContactChannel = attrs.field(validator=instance_of(ContactChannel))
    """How the outgoing provider was told."""
    incoming_channel: ContactChannel = attrs.field(validator=instance_of(ContactChannel))
    """How the incoming provider was told."""


@attrs.frozen(kw_only=True)
class TakeoverWishRecorded(ProviderChoiceEvent):
    """Customer's wish recorded (kundens önskemål): a date or no contact, VAL-14."""

    requested_takeover: date | None = attrs.field(default=None, validator=optional_plain_date)
    """A specific takeover date the customer asks for, if any."""
    no_contact_with_outgoing: bool = attrs.field(default=False, validator=flag)
    """Whether the customer wants no contact with the outgoing provider."""


@attrs.frozen(kw_only=True)
class ProvidersMediated(ProviderChoiceEvent):
    """Information mediated between the providers (förmedlat mellan utförarna), VAL-14."""

    note: str = attrs.field(validator=text)
    """What was passed on."""


@attrs.frozen(kw_only=True)
class LastDayAgreed(ProviderChoiceEvent):
    """Last day agreed (sista dag) by the outgoing provider with the customer, VAL-15."""

    last_day: date = attrs.field(validator=plain_date)
    """The outgoing provider's last day of interventions."""
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


EVENTS: Final[tuple[type[ProviderChoiceEvent], ...]] = (
    ChoiceRegistered,
    AbstentionRegistered,
    AssignmentPrepared,
    AssignmentDistributed,
    HomeHealthCareNotified,
    ProviderContacted,
    ReceiptConfirmed,
    ReceiptFiled,
    LaterStartAgreed,
    UrgentlyAssigned,
    ExecutionStarted,
    FirstInterventionReported,
    ExecutionRegistered,
    ExecutionDateConfirmed,
    InterventionNotExecuted,
    RechoiceRegistered,
    ProvidersNotified,
    TakeoverWishRecorded,
    ProvidersMediated,
    LastDayAgreed,
    TakeoverAnnounced,
    DocumentationHandedOver,
    TakeoverDateReported,
    TakeoverDateDocumented,
    HomeHealthCareToldOfSwitch,
)
"""Every event type of routine VAL, in the order of the routine."""


# --------------------------------------------------------------------------- commands

_ASSESSOR: Final = frozenset({Role.NEEDS_ASSESSOR})
_PROVIDER: Final = frozenset({Role.PROVIDER})


@attrs.frozen(kw_only=True)
class ProviderChoiceCommand(Command):
    """Command of routine VAL (kommando): every command below is one, X-2."""


@attrs.frozen(kw_only=True)
class RegisterChoice(ProviderChoiceCommand):
    """Register the customer's choice (registrera valet) of provider, VAL-1, VAL-3."""

    roles: ClassVar[frozenset[Role]] = _ASSESSOR

    provider: Provider = attrs.field(validator=instance_of(Provider))
    """The provider the customer chose."""
    form: ChoiceForm = attrs.field(validator=instance_of(ChoiceForm))
    """Written or oral."""
    home_health_care: bool = attrs.field(default=False, validator=flag)
    """Whether the system shows the customer enrolled in home health care, VAL-5."""


@attrs.frozen(kw_only=True)
class RegisterAbstention(ProviderChoiceCommand):
    """Register that the customer abstains (registrera icke-val), VAL-1…VAL-3.

    The customer gets the provider next in turn on ``rotation`` on the command's day;
    the assessors apply the same take to their list
    (``rotation.take(command.at)``: the same inputs give the same provider).
    """

    roles: ClassVar[frozenset[Role]] = _ASSESSOR

    rotation: RotationList = attrs.field(validator=instance_of(RotationList))
    """The area's non-choice list (akut- och ickevalslistan) as it stands."""
    home_health_care: bool = attrs.field(default=False, validator=flag)
    """Whether the system shows the customer enrolled in home health care, VAL-5."""


@attrs.frozen(kw_only=True)
class PrepareAssignment(ProviderChoiceCommand):
    """Prepare a private provider's assignment (ta fram uppdraget) on paper, VAL-9."""

    roles: ClassVar[frozenset[Role]] = _ASSESSOR

    relatives_phone_numbers: tuple[str, ...] = attrs.field(
        default=(), converter=_phone_tuple, validator=_phone_numbers
    )
    """The relatives' telephone numbers to write on it."""


@attrs.frozen(kw_only=True)
class DistributeAssignment(ProviderChoiceCommand):
    """Distribute the assignment (fördela uppdraget) to the chosen provider, VAL-4."""

    roles: ClassVar[frozenset[Role]] = _ASSESSOR


@attrs.frozen(kw_only=True)
class NotifyHomeHealthCare(ProviderChoiceCommand):
    """Tell home health care (meddela hemsjukvården) which provider was chosen, VAL-5."""

    roles: ClassVar[frozenset[Role]] = _ASSESSOR


@attrs.frozen(kw_only=True)
class ContactProvider(ProviderChoiceCommand):
    """Contact the private provider (kontakta utföraren) about the assignment, VAL-9."""

    roles: ClassVar[frozenset[Role]] = _ASSESSOR

    channel: ContactChannel = attrs.field(validator=instance_of(ContactChannel))
    """E-mail or telephone (not the system: the provider is private)."""
    delivery: Delivery = attrs.field(validator=instance_of(Delivery))
    """By post or picked up, as agreed."""


@attrs.frozen(kw_only=True)
class ConfirmReceipt(ProviderChoiceCommand):
    """Confirm receipt (bekräfta mottagandet) of the assignment by e-mail, VAL-10."""

    roles: ClassVar[frozenset[Role]] = _PROVIDER


@attrs.frozen(kw_only=True)
class FileReceipt(ProviderChoiceCommand):
    """File the confirmation (lägga bekräftelsen i akten) and note it in the journal, VAL-10."""

    roles: ClassVar[frozenset[Role]] = _ASSESSOR


@attrs.frozen(kw_only=True)
class AgreeLaterStart(ProviderChoiceCommand):
    """Set a later start (senare start) by instruction or agreement with the customer, VAL-6.

    The needs assessor may do either; a provider may only record an agreement with
    the customer.
    """

    roles: ClassVar[frozenset[Role]] = frozenset({Role.NEEDS_ASSESSOR, Role.PROVIDER})

    start: datetime = attrs.field(converter=_start)
    """The later start."""
    basis: LaterStartBasis = attrs.field(validator=instance_of(LaterStartBasis))
    """Instruction of the assessor or agreement with the customer."""


@attrs.frozen(kw_only=True)
class AssignUrgently(ProviderChoiceCommand):
    """Give the assignment urgently (snabbare igångsättning än 24 timmar), VAL-7.

    The customer's provider gets it if the customer already has one (in this case, or
    ``current_provider`` from elsewhere); otherwise the provider next in turn on
    ``rotation``.
    """

    roles: ClassVar[frozenset[Role]] = frozenset({Role.NEEDS_ASSESSOR, Role.NIGHT_PATROL})

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
class StartExecution(ProviderChoiceCommand):
    """Record that the provider started the assignment (verkställa uppdraget), VAL-6."""

    roles: ClassVar[frozenset[Role]] = _PROVIDER


@attrs.frozen(kw_only=True)
class ReportFirstIntervention(ProviderChoiceCommand):
    """Report the date of the first intervention (datum för första insats), VAL-11."""

    roles: ClassVar[frozenset[Role]] = _PROVIDER

    first_intervention: date = attrs.field(validator=plain_date)
    """The date of the first intervention."""


@attrs.frozen(kw_only=True)
class RegisterExecution(ProviderChoiceCommand):
    """Register execution (verkställa i verksamhetssystemet) from the reported date, VAL-11."""

    roles: ClassVar[frozenset[Role]] = _ASSESSOR


@attrs.frozen(kw_only=True)
class ConfirmExecutionDate(ProviderChoiceCommand):
    """Confirm the execution date (bekräfta verkställighetsdatum) to the provider, VAL-11."""

    roles: ClassVar[frozenset[Role]] = _ASSESSOR


@attrs.frozen(kw_only=True)
class ReportNotExecuted(ProviderChoiceCommand):
    """Report an intervention not executed (insats som inte verkställs) and why, VAL-8."""

    roles: ClassVar[frozenset[Role]] = _PROVIDER

    intervention: str = attrs.field(validator=text)
    """Which intervention."""
    reason: str = attrs.field(validator=text)
    """Why (orsak)."""


@attrs.frozen(kw_only=True)
class RegisterRechoice(ProviderChoiceCommand):
    """Register a re-choice (registrera omval): outgoing and incoming provider, VAL-12.

    The outgoing provider is the case's provider; a case opened for the re-choice
    alone names it in ``outgoing``.
    """

    roles: ClassVar[frozenset[Role]] = _ASSESSOR

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
class NotifyProviders(ProviderChoiceCommand):
    """Notify both providers at the same time (meddela båda utförarna), VAL-13.

    Through the system for a municipal provider, by e-mail or telephone for a private
    one.
    """

    roles: ClassVar[frozenset[Role]] = _ASSESSOR

    outgoing_channel: ContactChannel = attrs.field(validator=instance_of(ContactChannel))
    """How the outgoing provider is told."""
    incoming_channel: ContactChannel = attrs.field(validator=instance_of(ContactChannel))
    """How the incoming provider is told."""


@attrs.frozen(kw_only=True)
class RecordTakeoverWish(ProviderChoiceCommand):
    """Record the customer's wish (önskemål) of a takeover date or of no contact, VAL-14."""

    roles: ClassVar[frozenset[Role]] = _ASSESSOR

    requested_takeover: date | None = attrs.field(default=None, validator=optional_plain_date)
    """The takeover date the customer asks for, if any."""
    no_contact_with_outgoing: bool = attrs.field(default=False, validator=flag)
    """Whether the customer wants no contact with the outgoing provider."""

    def __attrs_post_init__(self) -> None:
        if self.requested_takeover is None and not self.no_contact_with_outgoing:
            raise InvalidInput(
                "a takeover wish needs requested_takeover, no_contact_with_outgoing=True, "
                "or both (VAL-14)"
            )


@attrs.frozen(kw_only=True)
class MediateBetweenProviders(ProviderChoiceCommand):
    """Pass information between the providers (förmedla information), VAL-14."""

    roles: ClassVar[frozenset[Role]] = _ASSESSOR

    note: str = attrs.field(validator=text)
    """What was passed on."""


@attrs.frozen(kw_only=True)
class AgreeLastDay(ProviderChoiceCommand):
    """Agree the last day (sista dag) and ask for consent, outgoing provider, VAL-15."""

    roles: ClassVar[frozenset[Role]] = _PROVIDER

    last_day: date = attrs.field(validator=plain_date)
    """The last day of the outgoing provider's interventions."""
    documentation_consent: bool = attrs.field(validator=flag)
    """The customer's answer: may the documentation go to the new provider?"""


@attrs.frozen(kw_only=True)
class AnnounceTakeover(ProviderChoiceCommand):
    """Tell the incoming provider the takeover date (meddela datum), outgoing provider, VAL-16."""

    roles: ClassVar[frozenset[Role]] = _PROVIDER

    takeover: date = attrs.field(validator=plain_date)
    """The takeover date."""


@attrs.frozen(kw_only=True)
class HandOverDocumentation(ProviderChoiceCommand):
    """Hand over the documentation (överlämna dokumentation), only with consent, VAL-16."""

    roles: ClassVar[frozenset[Role]] = _PROVIDER


@attrs.frozen(kw_only=True)
class ReportTakeoverDate(ProviderChoiceCommand):
    """Report the takeover date (meddela datum för övertagande), incoming provider, VAL-17.

    The incoming provider has planned the takeover with the customer. The date must
    lie in the switch window of VAL-18.
    """

    roles: ClassVar[frozenset[Role]] = _PROVIDER

    takeover: date = attrs.field(validator=plain_date)
    """The takeover date."""


@attrs.frozen(kw_only=True)
class DocumentTakeoverDate(ProviderChoiceCommand):
    """Document the takeover date (dokumentera datum för övertagande) in the journal, VAL-17."""

    roles: ClassVar[frozenset[Role]] = _ASSESSOR


@attrs.frozen(kw_only=True)
class TellHomeHealthCareOfSwitch(ProviderChoiceCommand):
    """Tell home health care of the switch (meddela hemsjukvården), outgoing provider, VAL-19."""

    roles: ClassVar[frozenset[Role]] = _PROVIDER

    incoming_contact: str = attrs.field(validator=text)
    """The incoming provider's contact details."""


COMMANDS: Final[tuple[type[ProviderChoiceCommand], ...]] = (
    RegisterChoice,
    RegisterAbstention,
    PrepareAssignment,
    DistributeAssignment,
    NotifyHomeHealthCare,
    ContactProvider,
    ConfirmReceipt,
    FileReceipt,
    AgreeLaterStart,
    AssignUrgently,
    StartExecution,
    ReportFirstIntervention,
    RegisterExecution,
    ConfirmExecutionDate,
    ReportNotExecuted,
    RegisterRechoice,
    NotifyProviders,
    RecordTakeoverWish,
    MediateBetweenProviders,
    AgreeLastDay,
    AnnounceTakeover,
    HandOverDocumentation,
    ReportTakeoverDate,
    DocumentTakeoverDate,
    TellHomeHealthCareOfSwitch,
)
"""Every command of routine VAL, in the order of the routine."""


# --------------------------------------------------------------------------- state


@attrs.frozen(kw_only=True)
class Rechoice:
    """Re-choice under way (omval): what has happened since it was registered, VAL-12…VAL-19."""

    outgoing: Provider
    """The outgoing provider (frånträdande utförare)."""
    incoming: Provider
    """The incoming provider (tillträdande utförare)."""
    registered_at: datetime
    """When the re-choice was registered."""
    chosen_on: date
    """The day the customer told the new choice."""
    home_health_care: bool = False
    """Whether the customer has ongoing home health care (VAL-19)."""
    notified_at: datetime | None = None
    """When both providers were notified (VAL-13)."""
    wish: TakeoverWishRecorded | None = None
    """The customer's wish, if any (VAL-14)."""
    mediated: bool = False
    """Whether the assessor has passed information between the providers (VAL-14)."""
    last_day: date | None = None
    """The outgoing provider's last day (VAL-15)."""
    documentation_consent: bool | None = None
    """The customer's consent to hand over documentation; None until asked (VAL-15)."""
    announced_takeover: date | None = None
    """The takeover date told to the incoming provider (VAL-16)."""
    documentation_handed_over: bool = False
    """Whether the documentation was handed over (VAL-16)."""
    reported_takeover: date | None = None
    """The takeover date reported to the assessor (VAL-17)."""
    documented_takeover: date | None = None
    """The takeover date documented by the assessor (VAL-17)."""
    home_health_care_told: bool = False
    """Whether home health care was told of the switch (VAL-19)."""

    @property
    def complete(self) -> bool:
        """Whether every step of the re-choice is done."""
        return self.documented_takeover is not None and (
            self.home_health_care_told or not self.home_health_care
        )


@attrs.frozen(kw_only=True)
class ProviderChoiceState:
    """State of a VAL case (ärendets läge), derived by folding its events.

    Nothing here is stored apart from the events: :func:`replay` rebuilds it.
    """

    case: str | None = None
    """The case number; None before the first event."""
    last_at: datetime | None = None
    """The time of the latest event; a command may not be earlier."""
    provider: Provider | None = None
    """The customer's provider now: the first one, or the incoming one after a switch."""
    first_provider: Provider | None = None
    """The provider of the first choice (chosen, from the list, or given urgently).

    The steps of VAL-4…VAL-11 are this provider's; a switch (VAL-17) ends them.
    """
    abstained: bool = False
    """Whether the customer abstained and got a provider from the list (VAL-2)."""
    area: str | None = None
    """The area of the list a provider came from, if any."""
    chosen_at: datetime | None = None
    """When the choice or abstention was registered."""
    home_health_care: bool = False
    """Whether the customer is enrolled in home health care (VAL-5)."""
    home_health_care_notified: bool = False
    """Whether the home health care nurses were told of the provider (VAL-5)."""
    prepared: bool = False
    """Whether a private provider's assignment was prepared (VAL-9)."""
    distributed_at: datetime | None = None
    """When the assignment was distributed (VAL-4)."""
    contacted_at: datetime | None = None
    """When the assessor contacted the private provider (VAL-9)."""
    receipt_confirmed: bool = False
    """Whether the private provider confirmed receipt (VAL-10)."""
    receipt_filed: bool = False
    """Whether the assessor filed the confirmation (VAL-10)."""
    later_start: datetime | None = None
    """An agreed later start, the latest one recorded (VAL-6)."""
    urgent_start_by: datetime | None = None
    """When an urgently given assignment must have started (VAL-7)."""
    executed_at: datetime | None = None
    """When the municipal provider started (VAL-6)."""
    first_intervention: date | None = None
    """The first intervention's date reported by a private provider (VAL-11)."""
    executed_from: date | None = None
    """The date the assessor registered execution from (VAL-11)."""
    execution_confirmed: bool = False
    """Whether the assessor confirmed the execution date to the provider (VAL-11)."""
    not_executed: tuple[InterventionNotExecuted, ...] = ()
    """Interventions reported as not executed, with reasons (VAL-8)."""
    rechoice: Rechoice | None = None
    """The re-choice under way or last done, if any (VAL-12…VAL-19)."""
    switches: int = 0
    """How many switches of provider have been documented."""

    @property
    def private(self) -> bool:
        """Whether the first choice's provider is private (VAL-9…VAL-11 apply)."""
        return self.first_provider is not None and self.first_provider.kind is ProviderKind.PRIVATE

    @property
    def in_first_choice(self) -> bool:
        """Whether the steps of the first choice (VAL-1…VAL-11) still apply.

        They do from the registration of a choice, an abstention or an urgent
        assignment until a switch of provider is documented.
        """
        return self.chosen_at is not None and self.switches == 0

    @property
    def executed(self) -> bool:
        """Whether the assignment has been executed: started, or registered from a date."""
        return self.executed_at is not None or self.executed_from is not None

    @property
    def stage(self) -> Stage:
        """Where the case stands: the first of these that holds."""
        rules = (
            (self.rechoice is not None and not self.rechoice.complete, Stage.RECHOICE),
            (self.case is None, Stage.NEW),
            (self.switches > 0, Stage.SWITCHED),
            (self.executed, Stage.EXECUTING),
            (self.distributed_at is not None, Stage.DISTRIBUTED),
            (self.provider is not None, Stage.CHOSEN),
        )
        return next((stage for holds, stage in rules if holds), Stage.NEW)

    def describe(self) -> str:
        """Name the stage in Swedish and English, for messages."""
        stage = self.stage
        return f"{stage.value!r} ({_STAGE_EN[stage]})"


initial_state: Final = ProviderChoiceState()
"""The state of a VAL case before its first event."""


def _check_state(state: object) -> None:
    if not isinstance(state, ProviderChoiceState):
        raise InvalidInput(
            f"state must be a ProviderChoiceState (from replay or initial_state), "
            f"not {describe(state)}"
        )


# --------------------------------------------------------------------------- allowed commands

_Kinds: TypeAlias = set[type[ProviderChoiceCommand]]


def allowed_commands(state: ProviderChoiceState) -> frozenset[type[ProviderChoiceCommand]]:
    """Return the commands the state allows, whatever the actor's role.

    A command outside this set is refused with
    :class:`~arendefordelning.errors.IllegalTransition`.
    """
    _check_state(state)
    if state.case is None:
        return frozenset({RegisterChoice, RegisterAbstention, AssignUrgently, RegisterRechoice})
    allowed: _Kinds = set()
    if state.in_first_choice:
        _first_choice_steps(state, allowed)
    rechoice = state.rechoice
    if rechoice is not None and not rechoice.complete:
        _rechoice_steps(rechoice, allowed)
    elif state.distributed_at is not None or rechoice is not None:
        allowed.add(RegisterRechoice)
    return frozenset(allowed)


def _first_choice_steps(state: ProviderChoiceState, allowed: _Kinds) -> None:
    """Add the steps of a first choice (VAL-1…VAL-11) the state allows."""
    if state.distributed_at is None:
        allowed.add(AssignUrgently)
        allowed.add(
            PrepareAssignment if state.private and not state.prepared else DistributeAssignment
        )
    if state.home_health_care and not state.home_health_care_notified:
        allowed.add(NotifyHomeHealthCare)
    if not state.executed:
        allowed.add(AgreeLaterStart)
    if state.distributed_at is None:
        return
    if not state.private:
        if state.executed_at is None:
            allowed.add(StartExecution)
        allowed.add(ReportNotExecuted)
        return
    if state.contacted_at is None:
        allowed.add(ContactProvider)
        return
    allowed.add(ReportNotExecuted)
    if not state.receipt_confirmed:
        allowed.add(ConfirmReceipt)
    elif not state.receipt_filed:
        allowed.add(FileReceipt)
    if state.first_intervention is None:
        allowed.add(ReportFirstIntervention)
    elif state.executed_from is None:
        allowed.add(RegisterExecution)
    elif not state.execution_confirmed:
        allowed.add(ConfirmExecutionDate)


def _rechoice_steps(rechoice: Rechoice, allowed: _Kinds) -> None:
    """Add the steps of a re-choice under way (VAL-12…VAL-19) the state allows."""
    if rechoice.notified_at is None:
        allowed.add(NotifyProviders)
    if rechoice.wish is None:
        allowed.add(RecordTakeoverWish)
    elif not rechoice.mediated:
        allowed.add(MediateBetweenProviders)
    if rechoice.notified_at is None:
        return
    if rechoice.last_day is None:
        allowed.add(AgreeLastDay)
    else:
        if rechoice.announced_takeover is None:
            allowed.add(AnnounceTakeover)
        if rechoice.documentation_consent and not rechoice.documentation_handed_over:
            allowed.add(HandOverDocumentation)
    if rechoice.reported_takeover is None:
        allowed.add(ReportTakeoverDate)
    elif rechoice.documented_takeover is None:
        allowed.add(DocumentTakeoverDate)
    if rechoice.home_health_care and not rechoice.home_health_care_told:
        allowed.add(TellHomeHealthCareOfSwitch)


# --------------------------------------------------------------------------- decide


def decide(
    command: ProviderChoiceCommand,
    state: ProviderChoiceState,
    *,
    policy: ProviderChoicePolicy | None = None,
) -> list[ProviderChoiceEvent]:
    """Decide a command of routine VAL: return its events, or refuse and record nothing.

    Checks, in this order: the actor's role (X-2,
    :class:`~arendefordelning.errors.NotPermitted`); the case number and that time
    does not run backwards (:class:`~arendefordelning.errors.InvalidInput`); that the
    policy is in force (VAL-20); that the state allows the command
    (:class:`~arendefordelning.errors.IllegalTransition`, naming the state and the
    commands it allows); then the step's own rules. ``state`` is never changed.

    Args:
        command: one of the routine's commands (see :data:`COMMANDS`).
        state: the case's state, from :func:`replay` or :data:`initial_state`.
        policy: the routine's parameters in force at the command's time; None means
            the routine's own numbers.
    """
    if not isinstance(command, ProviderChoiceCommand):
        raise InvalidInput(
            f"command must be a command of routine VAL, not {type(command).__name__}"
        )
    _check_state(state)
    authorize(command)
    if state.case is not None and command.case != state.case:
        raise InvalidInput(
            f"the command is for case {shown(command.case)} but the state is case "
            f"{shown(state.case)}"
        )
    if state.last_at is not None and command.at.astimezone(UTC) < state.last_at.astimezone(UTC):
        raise InvalidInput(
            f"the command's time {format_local(command.at)} is before the case's latest "
            f"event at {format_local(state.last_at)}; events are recorded in time order"
        )
    rule = _policy(policy, command.at)
    refuse_unless_allowed(command, state.describe(), allowed_commands(state))
    return _HANDLERS[type(command)](command, state, rule)


def _meta(command: ProviderChoiceCommand) -> dict[str, Any]:
    return {"case": command.case, "at": command.at, "actor": command.actor}


def _provider_of(state: ProviderChoiceState) -> Provider:
    """Return the first choice's provider; steps needing it are allowed once it is set."""
    assert state.first_provider is not None
    return state.first_provider


def _rechoice_of(state: ProviderChoiceState) -> Rechoice:
    assert state.rechoice is not None
    return state.rechoice


def _register_choice(
    command: RegisterChoice, state: ProviderChoiceState, rule: ProviderChoicePolicy
) -> list[ProviderChoiceEvent]:
    return [
        ChoiceRegistered(
            **_meta(command),
            provider=command.provider,
            form=command.form,
            home_health_care=command.home_health_care,
        )
    ]


def _register_abstention(
    command: RegisterAbstention, state: ProviderChoiceState, rule: ProviderChoicePolicy
) -> list[ProviderChoiceEvent]:
    taken = command.rotation.take(command.at)
    return [
        AbstentionRegistered(
            **_meta(command),
            provider=taken.provider,
            area=command.rotation.area,
            home_health_care=command.home_health_care,
        )
    ]


def _prepare(
    command: PrepareAssignment, state: ProviderChoiceState, rule: ProviderChoicePolicy
) -> list[ProviderChoiceEvent]:
    return [
        AssignmentPrepared(
            **_meta(command), relatives_phone_numbers=command.relatives_phone_numbers
        )
    ]


def _distribute(
    command: DistributeAssignment, state: ProviderChoiceState, rule: ProviderChoicePolicy
) -> list[ProviderChoiceEvent]:
    return [AssignmentDistributed(**_meta(command), provider=_provider_of(state))]


def _notify_home_health_care(
    command: NotifyHomeHealthCare, state: ProviderChoiceState, rule: ProviderChoicePolicy
) -> list[ProviderChoiceEvent]:
    return [HomeHealthCareNotified(**_meta(command), provider=_provider_of(state))]


def _contact(
    command: ContactProvider, state: ProviderChoiceState, rule: ProviderChoicePolicy
) -> list[ProviderChoiceEvent]:
    if command.channel is ContactChannel.SYSTEM:
        raise InvalidInput(
            "a private provider is contacted by e-mail or telephone "
            "(ContactChannel.EMAIL or ContactChannel.TELEPHONE), not through the system (VAL-9)"
        )
    return [ProviderContacted(**_meta(command), channel=command.channel, delivery=command.delivery)]


def _confirm_receipt(
    command: ConfirmReceipt, state: ProviderChoiceState, rule: ProviderChoicePolicy
) -> list[ProviderChoiceEvent]:
    return [ReceiptConfirmed(**_meta(command))]


def _file_receipt(
    command: FileReceipt, state: ProviderChoiceState, rule: ProviderChoicePolicy
) -> list[ProviderChoiceEvent]:
    return [ReceiptFiled(**_meta(command))]


def _later_start(
    command: AgreeLaterStart, state: ProviderChoiceState, rule: ProviderChoicePolicy
) -> list[ProviderChoiceEvent]:
    if (
        command.basis is LaterStartBasis.INSTRUCTION
        and command.actor.role is not Role.NEEDS_ASSESSOR
    ):
        raise NotPermitted(
            f"only the role {Role.NEEDS_ASSESSOR.value!r} may instruct a later start; "
            f"the role {command.actor.role.value!r} may record an agreement with the "
            "customer (LaterStartBasis.AGREEMENT) (VAL-6, X-2)"
        )
    if command.start.astimezone(UTC) <= command.at.astimezone(UTC):
        raise InvalidInput(
            f"a later start must be after the time it is agreed ({format_local(command.at)}); "
            f"got {format_local(command.start)} (VAL-6)"
        )
    return [LaterStartAgreed(**_meta(command), start=command.start, basis=command.basis)]


def _assign_urgently(
    command: AssignUrgently, state: ProviderChoiceState, rule: ProviderChoicePolicy
) -> list[ProviderChoiceEvent]:
    normal = execution_deadline(command.at, policy=rule.execution).due
    moments = (command.at.astimezone(UTC), command.start_by.astimezone(UTC), normal.astimezone(UTC))
    if not moments[0] <= moments[1] < moments[2]:
        raise InvalidInput(
            f"an urgent start must lie from {format_local(command.at)} and before "
            f"{format_local(normal)}, sooner than the 24 hours of VAL-6; got "
            f"{format_local(command.start_by)} (VAL-7)"
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
    return [
        UrgentlyAssigned(**_meta(command), provider=provider, start_by=command.start_by, area=area)
    ]


def _start_execution(
    command: StartExecution, state: ProviderChoiceState, rule: ProviderChoicePolicy
) -> list[ProviderChoiceEvent]:
    return [ExecutionStarted(**_meta(command))]


def _report_first_intervention(
    command: ReportFirstIntervention, state: ProviderChoiceState, rule: ProviderChoicePolicy
) -> list[ProviderChoiceEvent]:
    assert state.contacted_at is not None
    contacted = state.contacted_at.date()
    if command.first_intervention < contacted:
        raise InvalidInput(
            f"the first intervention ({command.first_intervention}) cannot be before the "
            f"assessor's contact with the provider ({contacted}) (VAL-11)"
        )
    return [
        FirstInterventionReported(**_meta(command), first_intervention=command.first_intervention)
    ]


def _register_execution(
    command: RegisterExecution, state: ProviderChoiceState, rule: ProviderChoicePolicy
) -> list[ProviderChoiceEvent]:
    assert state.first_intervention is not None
    return [ExecutionRegistered(**_meta(command), executed_from=state.first_intervention)]


def _confirm_execution(
    command: ConfirmExecutionDate, state: ProviderChoiceState, rule: ProviderChoicePolicy
) -> list[ProviderChoiceEvent]:
    assert state.executed_from is not None
    return [ExecutionDateConfirmed(**_meta(command), executed_from=state.executed_from)]


def _report_not_executed(
    command: ReportNotExecuted, state: ProviderChoiceState, rule: ProviderChoicePolicy
) -> list[ProviderChoiceEvent]:
    return [
        InterventionNotExecuted(
            **_meta(command), intervention=command.intervention, reason=command.reason
        )
    ]


def _register_rechoice(
    command: RegisterRechoice, state: ProviderChoiceState, rule: ProviderChoicePolicy
) -> list[ProviderChoiceEvent]:
    outgoing = state.provider
    if outgoing is None:
        if command.outgoing is None:
            raise InvalidInput(
                "the case has no provider yet: name the outgoing provider in outgoing= (VAL-12)"
            )
        outgoing = command.outgoing
    elif command.outgoing is not None and command.outgoing != outgoing:
        raise InvalidInput(
            f"outgoing={shown(command.outgoing.name)} is not the case's provider "
            f"{shown(outgoing.name)}; leave outgoing out or give the case's provider (VAL-12)"
        )
    if command.incoming == outgoing:
        raise InvalidInput(
            "the incoming provider must differ from the outgoing one "
            f"({shown(outgoing.name)}) (VAL-12)"
        )
    chosen_on = command.at.date() if command.chosen_on is None else command.chosen_on
    if chosen_on > command.at.date():
        raise InvalidInput(
            f"chosen_on ({chosen_on}) must not be after the day the re-choice is "
            f"registered ({command.at.date()}) (VAL-12)"
        )
    return [
        RechoiceRegistered(
            **_meta(command),
            outgoing=outgoing,
            incoming=command.incoming,
            form=command.form,
            chosen_on=chosen_on,
            home_health_care=command.home_health_care,
        )
    ]


def _check_channel(provider: Provider, channel: ContactChannel, which: str) -> None:
    municipal = provider.kind is ProviderKind.MUNICIPAL
    if municipal != (channel is ContactChannel.SYSTEM):
        expected = (
            "ContactChannel.SYSTEM (through the system)"
            if municipal
            else "ContactChannel.EMAIL or ContactChannel.TELEPHONE"
        )
        raise InvalidInput(
            f"{which}_channel: the {which} provider {shown(provider.name)} is "
            f"{provider.kind.value} and is told by {expected} (VAL-13)"
        )


def _notify_providers(
    command: NotifyProviders, state: ProviderChoiceState, rule: ProviderChoicePolicy
) -> list[ProviderChoiceEvent]:
    rechoice = _rechoice_of(state)
    _check_channel(rechoice.outgoing, command.outgoing_channel, "outgoing")
    _check_channel(rechoice.incoming, command.incoming_channel, "incoming")
    return [
        ProvidersNotified(
            **_meta(command),
            outgoing_channel=command.outgoing_channel,
            incoming_channel=command.incoming_channel,
        )
    ]


def _record_wish(
    command: RecordTakeoverWish, state: ProviderChoiceState, rule: ProviderChoicePolicy
) -> list[ProviderChoiceEvent]:
    return [
        TakeoverWishRecorded(
            **_meta(command),
            requested_takeover=command.requested_takeover,
            no_contact_with_outgoing=command.no_contact_with_outgoing,
        )
    ]


def _mediate(
    command: MediateBetweenProviders, state: ProviderChoiceState, rule: ProviderChoicePolicy
) -> list[ProviderChoiceEvent]:
    return [ProvidersMediated(**_meta(command), note=command.note)]


def _agree_last_day(
    command: AgreeLastDay, state: ProviderChoiceState, rule: ProviderChoicePolicy
) -> list[ProviderChoiceEvent]:
    if command.last_day < command.at.date():
        raise InvalidInput(
            f"the last day ({command.last_day}) must not be before the day it is agreed "
            f"({command.at.date()}) (VAL-15)"
        )
    return [
        LastDayAgreed(
            **_meta(command),
            last_day=command.last_day,
            documentation_consent=command.documentation_consent,
        )
    ]


def _in_window(takeover: date, state: ProviderChoiceState, rule: ProviderChoicePolicy) -> None:
    window = switch_window_of(state, policy=rule)
    assert window is not None
    first, last = window
    if not first <= takeover <= last:
        raise InvalidInput(
            f"the takeover date {takeover} must lie from {first} to {last}, 7–14 days "
            "after both providers were notified (VAL-18)"
        )


def _announce(
    command: AnnounceTakeover, state: ProviderChoiceState, rule: ProviderChoicePolicy
) -> list[ProviderChoiceEvent]:
    _in_window(command.takeover, state, rule)
    return [TakeoverAnnounced(**_meta(command), takeover=command.takeover)]


def _hand_over(
    command: HandOverDocumentation, state: ProviderChoiceState, rule: ProviderChoicePolicy
) -> list[ProviderChoiceEvent]:
    return [DocumentationHandedOver(**_meta(command))]


def _report_takeover(
    command: ReportTakeoverDate, state: ProviderChoiceState, rule: ProviderChoicePolicy
) -> list[ProviderChoiceEvent]:
    _in_window(command.takeover, state, rule)
    return [TakeoverDateReported(**_meta(command), takeover=command.takeover)]


def _document_takeover(
    command: DocumentTakeoverDate, state: ProviderChoiceState, rule: ProviderChoicePolicy
) -> list[ProviderChoiceEvent]:
    reported = _rechoice_of(state).reported_takeover
    assert reported is not None
    return [TakeoverDateDocumented(**_meta(command), takeover=reported)]


def _tell_home_health_care(
    command: TellHomeHealthCareOfSwitch, state: ProviderChoiceState, rule: ProviderChoicePolicy
) -> list[ProviderChoiceEvent]:
    return [HomeHealthCareToldOfSwitch(**_meta(command), incoming_contact=command.incoming_contact)]


_Handler: TypeAlias = Callable[
    [Any, ProviderChoiceState, ProviderChoicePolicy], list[ProviderChoiceEvent]
]

_HANDLERS: Final[dict[type[ProviderChoiceCommand], _Handler]] = {
    RegisterChoice: _register_choice,
    RegisterAbstention: _register_abstention,
    PrepareAssignment: _prepare,
    DistributeAssignment: _distribute,
    NotifyHomeHealthCare: _notify_home_health_care,
    ContactProvider: _contact,
    ConfirmReceipt: _confirm_receipt,
    FileReceipt: _file_receipt,
    AgreeLaterStart: _later_start,
    AssignUrgently: _assign_urgently,
    StartExecution: _start_execution,
    ReportFirstIntervention: _report_first_intervention,
    RegisterExecution: _register_execution,
    ConfirmExecutionDate: _confirm_execution,
    ReportNotExecuted: _report_not_executed,
    RegisterRechoice: _register_rechoice,
    NotifyProviders: _notify_providers,
    RecordTakeoverWish: _record_wish,
    MediateBetweenProviders: _mediate,
    AgreeLastDay: _agree_last_day,
    AnnounceTakeover: _announce,
    HandOverDocumentation: _hand_over,
    ReportTakeoverDate: _report_takeover,
    DocumentTakeoverDate: _document_takeover,
    TellHomeHealthCareOfSwitch: _tell_home_health_care,
}


# --------------------------------------------------------------------------- evolve


def evolve(state: ProviderChoiceState, event: ProviderChoiceEvent) -> ProviderChoiceState:
    """Apply one event of routine VAL to a state and return the new state.

    Never fails on an event :func:`decide` produced from that state. An event of
    another routine or another case raises
    :class:`~arendefordelning.errors.InvalidInput`.
    """
    if not isinstance(event, ProviderChoiceEvent):
        raise InvalidInput(f"event must be an event of routine VAL, not {type(event).__name__}")
    _check_state(state)
    if state.case is not None and event.case != state.case:
        raise InvalidInput(
            f"the event is of case {shown(event.case)} but the state is case {shown(state.case)}"
        )
    changes = _APPLY[type(event)](state, event)
    return attrs.evolve(state, case=event.case, last_at=event.at, **changes)


def _changed(rechoice: Rechoice | None, **changes: Any) -> dict[str, Any]:
    if rechoice is None:
        raise InvalidInput("a re-choice event needs a registered re-choice (RechoiceRegistered)")
    return {"rechoice": attrs.evolve(rechoice, **changes)}


def _apply_documented(state: ProviderChoiceState, event: TakeoverDateDocumented) -> dict[str, Any]:
    changes = _changed(state.rechoice, documented_takeover=event.takeover)
    assert state.rechoice is not None
    return {**changes, "provider": state.rechoice.incoming, "switches": state.switches + 1}


def _apply_urgent(state: ProviderChoiceState, event: UrgentlyAssigned) -> dict[str, Any]:
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


def _apply_rechoice(state: ProviderChoiceState, event: RechoiceRegistered) -> dict[str, Any]:
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


_Apply: TypeAlias = Callable[[ProviderChoiceState, Any], dict[str, Any]]

_APPLY: Final[dict[type[ProviderChoiceEvent], _Apply]] = {
    ChoiceRegistered: lambda s, e: {
        "provider": e.provider,
        "first_provider": e.provider,
        "chosen_at": e.at,
        "home_health_care": e.home_health_care,
    },
    AbstentionRegistered: lambda s, e: {
        "provider": e.provider,
        "first_provider": e.provider,
        "abstained": True,
        "area": e.area,
        "chosen_at": e.at,
        "home_health_care": e.home_health_care,
    },
    AssignmentPrepared: lambda s, e: {"prepared": True},
    AssignmentDistributed: lambda s, e: {"distributed_at": e.at},
    HomeHealthCareNotified: lambda s, e: {"home_health_care_notified": True},
    ProviderContacted: lambda s, e: {"contacted_at": e.at},
    ReceiptConfirmed: lambda s, e: {"receipt_confirmed": True},
    ReceiptFiled: lambda s, e: {"receipt_filed": True},
    LaterStartAgreed: lambda s, e: {"later_start": e.start},
    UrgentlyAssigned: _apply_urgent,
    ExecutionStarted: lambda s, e: {"executed_at": e.at},
    FirstInterventionReported: lambda s, e: {"first_intervention": e.first_intervention},
    ExecutionRegistered: lambda s, e: {"executed_from": e.executed_from},
    ExecutionDateConfirmed: lambda s, e: {"execution_confirmed": True},
    InterventionNotExecuted: lambda s, e: {"not_executed": (*s.not_executed, e)},
    RechoiceRegistered: _apply_rechoice,
    ProvidersNotified: lambda s, e: _changed(s.rechoice, notified_at=e.at),
    TakeoverWishRecorded: lambda s, e: _changed(s.rechoice, wish=e),
    ProvidersMediated: lambda s, e: _changed(s.rechoice, mediated=True),
    LastDayAgreed: lambda s, e: _changed(
        s.rechoice, last_day=e.last_day, documentation_consent=e.documentation_consent
    ),
    TakeoverAnnounced: lambda s, e: _changed(s.rechoice, announced_takeover=e.takeover),
    DocumentationHandedOver: lambda s, e: _changed(s.rechoice, documentation_handed_over=True),
    TakeoverDateReported: lambda s, e: _changed(s.rechoice, reported_takeover=e.takeover),
    TakeoverDateDocumented: _apply_documented,
    HomeHealthCareToldOfSwitch: lambda s, e: _changed(s.rechoice, home_health_care_told=True),
}


def replay(
    events: Iterable[ProviderChoiceEvent], state: ProviderChoiceState | None = None
) -> ProviderChoiceState:
    """Fold a case's events into its state, from ``state`` or :data:`initial_state`.

    Raises:
        InvalidInput: for ``events`` that are not an iterable of VAL events or a
            ``state`` that is not a :class:`ProviderChoiceState`.
    """
    return PROVIDER_CHOICE.replay(events, state)


# --------------------------------------------------------------------------- deadlines


def execution_deadline_of(
    state: ProviderChoiceState, *, policy: ProviderChoicePolicy | None = None
) -> Deadline | None:
    """Return the execution deadline (verkställighetsfrist) the events give, VAL-6.

    Counted from the distribution for a municipal provider and from the contact for
    a private one; an agreed later start moves it. Derived anew on every call, so a
    later agreement moves the due time. None until the clock has started. An urgent
    assignment (VAL-7) has its own earlier ``start_by``, see :func:`required_actions`.
    """
    _check_state(state)
    rule = _policy_value(policy)
    if state.first_provider is None:
        return None
    start = state.contacted_at if state.private else state.distributed_at
    if start is None:
        return None
    return execution_deadline(
        start,
        agreed_start=state.later_start,
        policy=rule.execution,
        provider=state.first_provider.kind,
    )


def switch_window_of(
    state: ProviderChoiceState, *, policy: ProviderChoicePolicy | None = None
) -> tuple[date, date] | None:
    """Return the switch window (byte inom 7–14 dagar) of the re-choice under way, VAL-18.

    Counted from the notification of both providers; None until they are notified.
    """
    _check_state(state)
    rule = _policy_value(policy)
    rechoice = state.rechoice
    if rechoice is None or rechoice.notified_at is None:
        return None
    return switch_window(rechoice.notified_at, rechoice.notified_at, policy=rule.switch)


# --------------------------------------------------------------------------- required actions


def _end_of(day: date) -> datetime:
    return at_local_time(day, time(23, 59))


def required_actions(
    state: ProviderChoiceState, *, policy: ProviderChoicePolicy | None = None
) -> tuple[RequiredAction, ...]:
    """Return what must happen next in a VAL case (åtgärder), for whom and by when.

    Each action names its requirement; :meth:`RequiredAction.explain` words it in
    Swedish or English. Pure: the same state gives the same actions.
    """
    _check_state(state)
    _policy_value(policy)
    actions: list[RequiredAction] = []
    if state.in_first_choice:
        actions.extend(_first_choice_actions(state, policy))
    if state.rechoice is not None and not state.rechoice.complete:
        actions.extend(_rechoice_actions(state, state.rechoice, policy))
    return tuple(actions)


def _task(requirement: str, role: Role, sv: str, en: str, **more: Any) -> RequiredAction:
    return RequiredAction(
        requirement=requirement, kind=ActionKind.TASK, role=role, sv=sv, en=en, **more
    )


def _message(
    requirement: str, role: Role, recipient: str, sv: str, en: str, **more: Any
) -> RequiredAction:
    return RequiredAction(
        requirement=requirement,
        kind=ActionKind.MESSAGE,
        role=role,
        recipient=recipient,
        sv=sv,
        en=en,
        **more,
    )


def _first_choice_actions(
    state: ProviderChoiceState, policy: ProviderChoicePolicy | None
) -> list[RequiredAction]:
    provider = _provider_of(state)
    name = provider.name
    actions: list[RequiredAction] = []
    assessor, executor = Role.NEEDS_ASSESSOR, Role.PROVIDER
    if state.distributed_at is None:
        if state.private and not state.prepared:
            actions.append(
                _task(
                    "VAL-9",
                    assessor,
                    "ta fram uppdraget med tid, ärendenummer och närståendes telefonnummer "
                    "och skriv ut det på papper",
                    "prepare the assignment with the time, the case number and the "
                    "relatives' telephone numbers, and print it",
                )
            )
        else:
            actions.append(
                _task(
                    "VAL-4",
                    assessor,
                    f"fördela uppdraget i verksamhetssystemet till {name}",
                    f"distribute the assignment in the case-management system to {name}",
                )
            )
    if state.home_health_care and not state.home_health_care_notified:
        actions.append(
            _message(
                "VAL-5",
                assessor,
                "sjuksköterskor för hemsjukvård",
                f"meddela via gemensam sändlista att {name} är vald utförare och "
                "dokumentera i journalen",
                f"tell the home health care nurses through the shared mailing list that "
                f"{name} is the chosen provider, and note it in the journal",
                text=f"Vald utförare för ärende {state.case}: {name}.",
            )
        )
    if state.distributed_at is None:
        return actions
    if state.private and state.contacted_at is None:
        actions.append(
            _message(
                "VAL-9",
                assessor,
                name,
                "kontakta utföraren via e-post eller telefon om att det finns ett uppdrag, "
                "kom överens om post eller hämtning och dokumentera kontakten i journalen",
                "contact the provider by e-mail or telephone about the assignment, agree "
                "on post or pick-up, and note the contact in the journal",
                text=f"Det finns ett uppdrag till er. Ärendenummer: {state.case}.",
            )
        )
        return actions
    if state.private and not state.receipt_confirmed:
        actions.append(
            _message(
                "VAL-10",
                executor,
                "biståndshandläggaren",
                "bekräfta snarast via e-post att uppdraget mottagits",
                "confirm by e-mail as soon as possible that the assignment was received",
                assignee=name,
            )
        )
    elif state.private and not state.receipt_filed:
        actions.append(
            _task(
                "VAL-10",
                assessor,
                "lägg bekräftelsen i akten och gör en anteckning i journalen",
                "file the confirmation and note it in the journal",
            )
        )
    if not state.executed and state.first_intervention is None:
        actions.append(_execution_action(state, policy))
    if state.private and state.first_intervention is not None:
        if state.executed_from is None:
            actions.append(
                _task(
                    "VAL-11",
                    assessor,
                    f"verkställ uppdraget i verksamhetssystemet från och med "
                    f"{state.first_intervention}, lägg meddelandet i akten och dokumentera",
                    f"register execution from {state.first_intervention}, file the "
                    "provider's message and note it in the journal",
                )
            )
        elif not state.execution_confirmed:
            actions.append(
                _message(
                    "VAL-11",
                    assessor,
                    name,
                    "bekräfta verkställighetsdatum till utföraren via e-post",
                    "confirm the execution date to the provider by e-mail",
                    text=(
                        f"Uppdraget i ärende {state.case} är verkställt från och med "
                        f"{state.executed_from}."
                    ),
                )
            )
    return actions


def _execution_action(
    state: ProviderChoiceState, policy: ProviderChoicePolicy | None
) -> RequiredAction:
    if state.urgent_start_by is not None:
        return _task(
            "VAL-7",
            Role.PROVIDER,
            "starta uppdraget (snabbare igångsättning än 24 timmar)",
            "start the assignment (sooner than 24 hours)",
            assignee=_provider_of(state).name,
            due=state.urgent_start_by,
        )
    name = _provider_of(state).name
    deadline = execution_deadline_of(state, policy=policy)
    assert deadline is not None
    if state.private:
        return _message(
            "VAL-6",
            Role.PROVIDER,
            "biståndshandläggaren",
            "verkställ uppdraget och meddela via e-post datum för första insats och "
            "om någon insats inte verkställs, och orsak",
            "execute the assignment and report by e-mail the date of the first "
            "intervention and any intervention not executed, with the reason",
            assignee=name,
            due=deadline.due,
        )
    return _task(
        "VAL-6",
        Role.PROVIDER,
        "verkställ uppdraget; meddela biståndshandläggaren om någon insats inte "
        "verkställs, och orsak",
        "execute the assignment; tell the needs assessor if an intervention is not "
        "executed, and why",
        assignee=name,
        due=deadline.due,
    )


def _rechoice_actions(
    state: ProviderChoiceState, rechoice: Rechoice, policy: ProviderChoicePolicy | None
) -> list[RequiredAction]:
    outgoing, incoming = rechoice.outgoing.name, rechoice.incoming.name
    actions: list[RequiredAction] = []
    assessor, executor = Role.NEEDS_ASSESSOR, Role.PROVIDER
    if rechoice.notified_at is None:
        actions.append(
            _message(
                "VAL-13",
                assessor,
                f"{outgoing} och {incoming}",
                f"meddela frånträdande utförare {outgoing} och tillträdande utförare "
                f"{incoming} vid samma tidpunkt, helst samma dag som kunden meddelade "
                f"sitt val ({rechoice.chosen_on}), och dokumentera i journalen",
                f"notify the outgoing provider {outgoing} and the incoming provider "
                f"{incoming} at the same time, preferably the same day as the customer's "
                f"choice ({rechoice.chosen_on}), and note it in the journal",
                due=_end_of(rechoice.chosen_on),
                text=(
                    f"Omval i ärende {state.case}: frånträdande utförare {outgoing}, "
                    f"tillträdande utförare {incoming}."
                ),
            )
        )
    if rechoice.wish is not None and not rechoice.mediated:
        actions.append(
            _task(
                "VAL-14",
                assessor,
                "förmedla information mellan utförarna om kundens önskemål",
                "pass information between the providers about the customer's wish",
            )
        )
    if rechoice.notified_at is None:
        return actions
    window = switch_window_of(state, policy=policy)
    assert window is not None
    first, last = window
    last_due = _end_of(last)
    if rechoice.last_day is None:
        actions.append(
            _task(
                "VAL-15",
                executor,
                "kom överens med kunden om sista dag och fråga om "
                "dokumentationen får lämnas till den nya utföraren",
                "agree the last day with the customer and ask whether the "
                "documentation may go to the new provider",
                assignee=outgoing,
                due=last_due,
            )
        )
    elif rechoice.announced_takeover is None:
        actions.append(
            _message(
                "VAL-16",
                executor,
                incoming,
                f"meddela tillträdande utförare datum för övertagande ({first}–{last})",
                f"tell the incoming provider the takeover date ({first} to {last})",
                assignee=outgoing,
                due=last_due,
            )
        )
    if rechoice.documentation_consent and not rechoice.documentation_handed_over:
        actions.append(
            _task(
                "VAL-16",
                executor,
                f"lämna över dokumentationen till {incoming} (kunden har samtyckt)",
                f"hand the documentation over to {incoming} (the customer consents)",
                assignee=outgoing,
                due=last_due,
            )
        )
    if rechoice.reported_takeover is None:
        actions.append(
            _message(
                "VAL-17",
                executor,
                "biståndshandläggaren",
                f"planera övertagandet med kunden och meddela "
                f"biståndshandläggaren datum för övertagande ({first}–{last})",
                f"plan the takeover with the customer and report the takeover "
                f"date ({first} to {last}) to the needs assessor",
                assignee=incoming,
                due=last_due,
            )
        )
    elif rechoice.documented_takeover is None:
        actions.append(
            _task(
                "VAL-17",
                assessor,
                f"dokumentera datum för övertagande ({rechoice.reported_takeover}) i journalen",
                f"note the takeover date ({rechoice.reported_takeover}) in the journal",
            )
        )
    if rechoice.home_health_care and not rechoice.home_health_care_told:
        actions.append(
            _message(
                "VAL-19",
                executor,
                "hemsjukvården",
                f"meddela hemsjukvården att uppdraget avslutas och ge "
                f"kontaktuppgifter till {incoming}",
                f"tell home health care that the assignment ends and give "
                f"the contact details of {incoming}",
                assignee=outgoing,
                due=last_due,
            )
        )
    return actions


PROVIDER_CHOICE: Final[Decider[ProviderChoiceCommand, ProviderChoiceState, ProviderChoiceEvent]] = (
    Decider(
        routine=ROUTINE,
        initial_state=initial_state,
        decide=decide,
        evolve=evolve,
        commands=COMMANDS,
        events=EVENTS,
    )
)
"""Routine VAL as a :class:`~arendefordelning.kernel.Decider` with the routine's own numbers."""
