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

Use it through :data:`VAL` (a :class:`~arendefordelning.kernel.Routine`, also named
:data:`PROVIDER_CHOICE`) or the module functions :func:`decide`, :func:`evolve`,
:func:`replay`, :func:`required_actions`, :func:`deviations` and
:func:`execution_deadline_of`. Deadlines are derived from the events every time,
never stored: a later agreed start moves VAL-6's due time.

Record, then judge: a step that breaks a norm of time or manner (executed after the
24 hours, the providers notified at different times, a takeover date outside the
switch window) is recorded, and :func:`deviations` shows it (X-5). Refused, recording
nothing: a role the routine does not name (X-2), a step that makes no sense in the
case's state, documentation handed over without the customer's consent (VAL-16),
bad input.

The non-choice list of an area is derived from the record too: its own events (a
provider joining, leaving, paused, capped) and every take recorded in a case;
:func:`rotation_of` folds them, and :func:`turn_deviations` checks that each
abstainer got the provider next in turn (VAL-2).

The routine checks roles, not identities: a command of role ``utförare`` is taken
to come from the provider the step belongs to (the outgoing provider for VAL-15,
VAL-16 and VAL-19, the incoming one for VAL-17); the embedding system, which knows
its users, checks which provider an actor works for.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any, ClassVar, Final

import attrs
from dateutil.relativedelta import relativedelta

from .._time import STOCKHOLM, UTC, as_stockholm, at_local_time, format_local
from .._validators import (
    TELEPHONE,
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
from .._validators import reason as free_reason
from ..deadlines import (
    Deadline,
    ExecutionDeadlinePolicy,
    ProviderKind,
    SwitchWindowPolicy,
    execution_deadline,
    switch_window,
)
from ..errors import ArendefordelningError, InvalidInput, NotPermitted
from ..kernel import (
    ActionKind,
    CaseState,
    Command,
    Deviation,
    DeviationKind,
    Due,
    Event,
    Finding,
    Flag,
    Obligation,
    Opened,
    Refusal,
    RequiredAction,
    Role,
    Routine,
    RoutinePolicy,
    Severity,
    Step,
)
from ..kernel import policy_in_force as _policy_in_force
from ..kernel._table import replace
from ..providers import Provider
from .rotation import RotationList, RotationOrder

__all__ = [
    "COMMANDS",
    "EVENTS",
    "PROVIDER_CHOICE",
    "VAL",
    "AbstentionRegistered",
    "AgreeLastDay",
    "AgreeLaterStart",
    "AnnounceTakeover",
    "AssignUrgently",
    "AssignmentDistributed",
    "AssignmentPrepared",
    "CapSet",
    "ChoiceForm",
    "ChoiceRegistered",
    "ConfirmExecutionDate",
    "ConfirmReceipt",
    "ContactChannel",
    "ContactProvider",
    "CustomerReleased",
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
    "IncomingProviderNotified",
    "InterventionNotExecuted",
    "LastDayAgreed",
    "LaterStartAgreed",
    "LaterStartBasis",
    "MediateBetweenProviders",
    "NotifyHomeHealthCare",
    "NotifyIncomingProvider",
    "NotifyOutgoingProvider",
    "OutgoingProviderNotified",
    "PrepareAssignment",
    "ProviderChoiceCommand",
    "ProviderChoiceEvent",
    "ProviderChoicePolicy",
    "ProviderChoiceState",
    "ProviderContacted",
    "ProviderJoinedList",
    "ProviderLeftList",
    "ProviderPaused",
    "ProviderResumed",
    "ProvidersMediated",
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
    "deviations",
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
class ProviderChoicePolicy(RoutinePolicy):
    """Parameters of routine VAL with their validity period (giltighetstid), VAL-20.

    The routine is revised every year together with the LOV documents; each
    revision is a new policy value with its own ``valid_from``. The defaults are the
    numbers of the routine decided 2016-12-12, in force from 2017-01-01.
    """

    valid_from: date = attrs.field(default=date(2017, 1, 1), validator=plain_date)
    """First day the parameters apply (gäller fr o m). VAL-20."""
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
    same_time: timedelta = attrs.field(
        default=timedelta(minutes=15), validator=instance_of(timedelta)
    )
    """How far apart the two notifications of a re-choice may be and still count as made
    "at the same time" (vid samma tidpunkt): 15 minutes, the time it takes to send a
    system message and an e-mail one after the other. VAL-13."""

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        try:
            due = self.valid_from + self.revision_interval
        except (OverflowError, ValueError):
            due = None
        if not isinstance(due, date):
            raise InvalidInput(
                "valid_from + revision_interval lies beyond the last date Python can "
                "represent; give a valid_from before the year 9999 (VAL-20)"
            )
        longest = (
            date.max
            if self.valid_from.year + _LONGEST_REVISION.years > date.max.year
            else self.valid_from + _LONGEST_REVISION
        )
        if not self.valid_from < due <= longest:
            raise InvalidInput(
                "revision_interval must be a period after valid_from of at most five "
                "years, such as relativedelta(years=1) (VAL-20)"
            )
        if not timedelta(0) <= self.same_time <= timedelta(hours=24):
            raise InvalidInput("same_time must be from 0 to 24 hours (VAL-13)")

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

    The kernel's resolver (:func:`arendefordelning.kernel.policy_in_force`), typed
    for routine VAL.

    Raises:
        InvalidInput: when no policy, or more than one, is in force on that day, or
            ``policies`` is not an iterable of ProviderChoicePolicy values.
    """
    return _policy_in_force(policies, on, kind=ProviderChoicePolicy)


_DEFAULT_POLICY: Final = ProviderChoicePolicy()


def _policy_value(value: object) -> ProviderChoicePolicy:
    if value is None:
        return _DEFAULT_POLICY
    if not isinstance(value, ProviderChoicePolicy):
        raise InvalidInput(
            f"policy must be a ProviderChoicePolicy or None, not {type(value).__name__}"
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

    relatives_phone_numbers: tuple[str, ...] = attrs.field(
        default=(), validator=_phone_numbers, metadata={"kind": TELEPHONE}
    )
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


# --------------------------------------------------------------------------- commands


@attrs.frozen(kw_only=True)
class ProviderChoiceCommand(Command):
    """Command of routine VAL (kommando): every command below is one, X-2."""


@attrs.frozen(kw_only=True)
class RegisterChoice(ProviderChoiceCommand):
    """Register the customer's choice (registrera valet) of provider, VAL-1, VAL-3."""

    provider: Provider = attrs.field(validator=instance_of(Provider))
    """The provider the customer chose."""
    form: ChoiceForm = attrs.field(validator=instance_of(ChoiceForm))
    """Written or oral."""
    home_health_care: bool = attrs.field(default=False, validator=flag)
    """Whether the system shows the customer enrolled in home health care, VAL-5."""


@attrs.frozen(kw_only=True)
class RegisterAbstention(ProviderChoiceCommand):
    """Register that the customer abstains (registrera icke-val), VAL-1…VAL-3.

    The customer gets the provider next in turn on ``rotation`` on the command's day.
    The take is recorded in the event, so the list derived from the record
    (:func:`rotation_of`) moves on by it: pass the area's list as the record leaves it.
    """

    rotation: RotationList = attrs.field(validator=instance_of(RotationList))
    """The area's non-choice list (akut- och ickevalslistan) as it stands."""
    home_health_care: bool = attrs.field(default=False, validator=flag)
    """Whether the system shows the customer enrolled in home health care, VAL-5."""


@attrs.frozen(kw_only=True)
class PrepareAssignment(ProviderChoiceCommand):
    """Prepare a private provider's assignment (ta fram uppdraget) on paper, VAL-9."""

    relatives_phone_numbers: tuple[str, ...] = attrs.field(
        default=(), converter=_phone_tuple, validator=_phone_numbers, metadata={"kind": TELEPHONE}
    )
    """The relatives' telephone numbers to write on it."""


@attrs.frozen(kw_only=True)
class DistributeAssignment(ProviderChoiceCommand):
    """Distribute the assignment (fördela uppdraget) to the chosen provider, VAL-4."""


@attrs.frozen(kw_only=True)
class NotifyHomeHealthCare(ProviderChoiceCommand):
    """Tell home health care (meddela hemsjukvården) which provider was chosen, VAL-5."""


@attrs.frozen(kw_only=True)
class ContactProvider(ProviderChoiceCommand):
    """Contact the private provider (kontakta utföraren) about the assignment, VAL-9."""

    channel: ContactChannel = attrs.field(validator=instance_of(ContactChannel))
    """E-mail or telephone (not the system: the provider is private)."""
    delivery: Delivery = attrs.field(validator=instance_of(Delivery))
    """By post or picked up, as agreed."""


@attrs.frozen(kw_only=True)
class ConfirmReceipt(ProviderChoiceCommand):
    """Confirm receipt (bekräfta mottagandet) of the assignment by e-mail, VAL-10."""


@attrs.frozen(kw_only=True)
class FileReceipt(ProviderChoiceCommand):
    """File the confirmation (lägga bekräftelsen i akten) and note it in the journal, VAL-10."""


@attrs.frozen(kw_only=True)
class AgreeLaterStart(ProviderChoiceCommand):
    """Set a later start (senare start) by instruction or agreement with the customer, VAL-6.

    The needs assessor may do either; a provider may only record an agreement with
    the customer.
    """

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


@attrs.frozen(kw_only=True)
class ReportFirstIntervention(ProviderChoiceCommand):
    """Report the date of the first intervention (datum för första insats), VAL-11."""

    first_intervention: date = attrs.field(validator=plain_date)
    """The date of the first intervention."""


@attrs.frozen(kw_only=True)
class RegisterExecution(ProviderChoiceCommand):
    """Register execution (verkställa i verksamhetssystemet) from the reported date, VAL-11."""


@attrs.frozen(kw_only=True)
class ConfirmExecutionDate(ProviderChoiceCommand):
    """Confirm the execution date (bekräfta verkställighetsdatum) to the provider, VAL-11."""


@attrs.frozen(kw_only=True)
class ReportNotExecuted(ProviderChoiceCommand):
    """Report an intervention not executed (insats som inte verkställs) and why, VAL-8."""

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
class NotifyOutgoingProvider(ProviderChoiceCommand):
    """Notify the outgoing provider (meddela frånträdande utförare) of the re-choice, VAL-13.

    Through the system for a municipal provider, by e-mail or telephone for a private
    one; at the same time as the incoming provider, preferably the day of the choice.
    """

    channel: ContactChannel = attrs.field(validator=instance_of(ContactChannel))
    """How the provider is told."""


@attrs.frozen(kw_only=True)
class NotifyIncomingProvider(ProviderChoiceCommand):
    """Notify the incoming provider (meddela tillträdande utförare) of the re-choice, VAL-13."""

    channel: ContactChannel = attrs.field(validator=instance_of(ContactChannel))
    """How the provider is told."""


@attrs.frozen(kw_only=True)
class RecordTakeoverWish(ProviderChoiceCommand):
    """Record the customer's wish (önskemål) of a takeover date or of no contact, VAL-14."""

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

    note: str = attrs.field(validator=text)
    """What was passed on."""


@attrs.frozen(kw_only=True)
class AgreeLastDay(ProviderChoiceCommand):
    """Agree the last day (sista dag) and ask for consent, outgoing provider, VAL-15."""

    last_day: date = attrs.field(validator=plain_date)
    """The last day of the outgoing provider's interventions."""
    documentation_consent: bool = attrs.field(validator=flag)
    """The customer's answer: may the documentation go to the new provider?"""


@attrs.frozen(kw_only=True)
class AnnounceTakeover(ProviderChoiceCommand):
    """Tell the incoming provider the takeover date (meddela datum), outgoing provider, VAL-16."""

    takeover: date = attrs.field(validator=plain_date)
    """The takeover date."""


@attrs.frozen(kw_only=True)
class HandOverDocumentation(ProviderChoiceCommand):
    """Hand over the documentation (överlämna dokumentation), only with consent, VAL-16."""


@attrs.frozen(kw_only=True)
class ReportTakeoverDate(ProviderChoiceCommand):
    """Report the takeover date (meddela datum för övertagande), incoming provider, VAL-17.

    The incoming provider has planned the takeover with the customer. The date must
    lie in the switch window of VAL-18.
    """

    takeover: date = attrs.field(validator=plain_date)
    """The takeover date."""


@attrs.frozen(kw_only=True)
class DocumentTakeoverDate(ProviderChoiceCommand):
    """Document the takeover date (dokumentera datum för övertagande) in the journal, VAL-17."""


@attrs.frozen(kw_only=True)
class TellHomeHealthCareOfSwitch(ProviderChoiceCommand):
    """Tell home health care of the switch (meddela hemsjukvården), outgoing provider, VAL-19."""

    incoming_contact: str = attrs.field(validator=text)
    """The incoming provider's contact details."""


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
    outgoing_notified_at: datetime | None = None
    """When the outgoing provider was notified (VAL-13)."""
    incoming_notified_at: datetime | None = None
    """When the incoming provider was notified (VAL-13)."""
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
    def notified_at(self) -> datetime | None:
        """When both providers had been notified: the later notification; None until both."""
        first, second = self.outgoing_notified_at, self.incoming_notified_at
        if first is None or second is None:
            return None
        return max(first, second, key=lambda moment: moment.astimezone(UTC))

    @property
    def complete(self) -> bool:
        """Whether every step of the re-choice is done."""
        return self.documented_takeover is not None and (
            self.home_health_care_told or not self.home_health_care
        )


@attrs.frozen(kw_only=True)
class ProviderChoiceState(CaseState):
    """State of a VAL case (ärendets läge), derived by folding its events.

    Nothing here is stored apart from the events: :func:`replay` rebuilds it. The
    kernel's ledger (steps taken, obligations, anomalies) comes with
    :class:`~arendefordelning.kernel.CaseState`.
    """

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


# --------------------------------------------------------------------------- guards


def _fresh(state: ProviderChoiceState) -> bool:
    """Require that no provider has been chosen, drawn from the list or given urgently."""
    return state.first_provider is None


def _urgent_possible(state: ProviderChoiceState) -> bool:
    """Require a new case, or a first choice not yet distributed (VAL-7)."""
    return state.first_provider is None or (state.in_first_choice and state.distributed_at is None)


def _first_choice(state: ProviderChoiceState) -> bool:
    """Require that no switch of provider is documented yet: the first choice's steps apply."""
    return state.in_first_choice


def _private(state: ProviderChoiceState) -> bool:
    """Require a private provider in the first choice (VAL-9…VAL-11)."""
    return state.in_first_choice and state.private


def _municipal(state: ProviderChoiceState) -> bool:
    """Require a municipal provider in the first choice."""
    return state.in_first_choice and not state.private


def _ready_to_distribute(state: ProviderChoiceState) -> bool:
    """Require a municipal provider, or a private one whose assignment is prepared (VAL-9)."""
    return state.in_first_choice and (not state.private or state.prepared)


def _enrolled(state: ProviderChoiceState) -> bool:
    """Require a customer enrolled in home health care (VAL-5)."""
    return state.in_first_choice and state.home_health_care


def _not_executed(state: ProviderChoiceState) -> bool:
    """Require that the first choice's assignment is not executed yet (VAL-6)."""
    return state.in_first_choice and not state.executed


def _may_rechoose(state: ProviderChoiceState) -> bool:
    """Require no re-choice under way, and a provider to leave: distributed, switched or named."""
    rechoice = state.rechoice
    if rechoice is not None and not rechoice.complete:
        return False
    return state.case is None or state.distributed_at is not None or rechoice is not None


def _in_rechoice(state: ProviderChoiceState) -> bool:
    """Require a re-choice under way (VAL-12…VAL-19)."""
    return state.rechoice is not None and not state.rechoice.complete


def _both_notified(state: ProviderChoiceState) -> bool:
    """Require that both providers of the re-choice under way are notified (VAL-13)."""
    return _in_rechoice(state) and _rechoice_of(state).notified_at is not None


def _last_day_agreed(state: ProviderChoiceState) -> bool:
    """Require that the outgoing provider has agreed the last day (VAL-15)."""
    return _both_notified(state) and _rechoice_of(state).last_day is not None


def _consented(state: ProviderChoiceState) -> bool:
    """Require the customer's consent to hand the documentation over (VAL-15, VAL-16)."""
    return _in_rechoice(state) and bool(_rechoice_of(state).documentation_consent)


def _switch_home_health_care(state: ProviderChoiceState) -> bool:
    """Require ongoing home health care in the re-choice under way (VAL-19)."""
    return _in_rechoice(state) and _rechoice_of(state).home_health_care


def _provider_of(state: ProviderChoiceState) -> Provider:
    """Return the first choice's provider; steps needing it are enabled once it is set."""
    assert state.first_provider is not None
    return state.first_provider


def _rechoice_of(state: ProviderChoiceState) -> Rechoice:
    assert state.rechoice is not None
    return state.rechoice


# --------------------------------------------------------------------------- building events


def _meta(command: ProviderChoiceCommand) -> dict[str, Any]:
    return {
        "case": command.case,
        "at": command.at,
        "recorded_at": command.recorded_at,
        "actor": command.actor,
    }


def _register_abstention(
    command: RegisterAbstention, state: ProviderChoiceState, rule: ProviderChoicePolicy
) -> AbstentionRegistered:
    taken = command.rotation.take(command.at)
    return AbstentionRegistered(
        **_meta(command),
        provider=taken.provider,
        area=command.rotation.area,
        home_health_care=command.home_health_care,
    )


def _distribute(
    command: DistributeAssignment, state: ProviderChoiceState, rule: ProviderChoicePolicy
) -> AssignmentDistributed:
    return AssignmentDistributed(**_meta(command), provider=_provider_of(state))


def _notify_home_health_care(
    command: NotifyHomeHealthCare, state: ProviderChoiceState, rule: ProviderChoicePolicy
) -> HomeHealthCareNotified:
    return HomeHealthCareNotified(**_meta(command), provider=_provider_of(state))


def _contact(
    command: ContactProvider, state: ProviderChoiceState, rule: ProviderChoicePolicy
) -> ProviderContacted:
    if command.channel is ContactChannel.SYSTEM:
        raise InvalidInput(
            "a private provider is contacted by e-mail or telephone "
            "(ContactChannel.EMAIL or ContactChannel.TELEPHONE), not through the system (VAL-9)"
        )
    return ProviderContacted(**_meta(command), channel=command.channel, delivery=command.delivery)


def _later_start(
    command: AgreeLaterStart, state: ProviderChoiceState, rule: ProviderChoicePolicy
) -> LaterStartAgreed:
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
    return LaterStartAgreed(**_meta(command), start=command.start, basis=command.basis)


def _assign_urgently(
    command: AssignUrgently, state: ProviderChoiceState, rule: ProviderChoicePolicy
) -> UrgentlyAssigned:
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
    return UrgentlyAssigned(
        **_meta(command), provider=provider, start_by=command.start_by, area=area
    )


def _report_first_intervention(
    command: ReportFirstIntervention, state: ProviderChoiceState, rule: ProviderChoicePolicy
) -> FirstInterventionReported:
    assert state.contacted_at is not None
    contacted = state.contacted_at.date()
    if command.first_intervention < contacted:
        raise InvalidInput(
            f"the first intervention ({command.first_intervention}) cannot be before the "
            f"assessor's contact with the provider ({contacted}) (VAL-11)"
        )
    return FirstInterventionReported(
        **_meta(command), first_intervention=command.first_intervention
    )


def _register_execution(
    command: RegisterExecution, state: ProviderChoiceState, rule: ProviderChoicePolicy
) -> ExecutionRegistered:
    assert state.first_intervention is not None
    return ExecutionRegistered(**_meta(command), executed_from=state.first_intervention)


def _confirm_execution(
    command: ConfirmExecutionDate, state: ProviderChoiceState, rule: ProviderChoicePolicy
) -> ExecutionDateConfirmed:
    assert state.executed_from is not None
    return ExecutionDateConfirmed(**_meta(command), executed_from=state.executed_from)


def _register_rechoice(
    command: RegisterRechoice, state: ProviderChoiceState, rule: ProviderChoicePolicy
) -> RechoiceRegistered:
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
    return RechoiceRegistered(
        **_meta(command),
        outgoing=outgoing,
        incoming=command.incoming,
        form=command.form,
        chosen_on=chosen_on,
        home_health_care=command.home_health_care,
    )


def _check_channel(provider: Provider, channel: ContactChannel, which: str) -> None:
    municipal = provider.kind is ProviderKind.MUNICIPAL
    if municipal != (channel is ContactChannel.SYSTEM):
        expected = (
            "ContactChannel.SYSTEM (through the system)"
            if municipal
            else "ContactChannel.EMAIL or ContactChannel.TELEPHONE"
        )
        raise InvalidInput(
            f"channel: the {which} provider {shown(provider.name)} is "
            f"{provider.kind.value} and is told by {expected} (VAL-13)"
        )


def _notify_outgoing(
    command: NotifyOutgoingProvider, state: ProviderChoiceState, rule: ProviderChoicePolicy
) -> OutgoingProviderNotified:
    _check_channel(_rechoice_of(state).outgoing, command.channel, "outgoing")
    return OutgoingProviderNotified(**_meta(command), channel=command.channel)


def _notify_incoming(
    command: NotifyIncomingProvider, state: ProviderChoiceState, rule: ProviderChoicePolicy
) -> IncomingProviderNotified:
    _check_channel(_rechoice_of(state).incoming, command.channel, "incoming")
    return IncomingProviderNotified(**_meta(command), channel=command.channel)


def _agree_last_day(
    command: AgreeLastDay, state: ProviderChoiceState, rule: ProviderChoicePolicy
) -> LastDayAgreed:
    if command.last_day < command.at.date():
        raise InvalidInput(
            f"the last day ({command.last_day}) must not be before the day it is agreed "
            f"({command.at.date()}) (VAL-15)"
        )
    return LastDayAgreed(
        **_meta(command),
        last_day=command.last_day,
        documentation_consent=command.documentation_consent,
    )


def _document_takeover(
    command: DocumentTakeoverDate, state: ProviderChoiceState, rule: ProviderChoicePolicy
) -> TakeoverDateDocumented:
    reported = _rechoice_of(state).reported_takeover
    assert reported is not None
    return TakeoverDateDocumented(**_meta(command), takeover=reported)


# --------------------------------------------------------------------------- folding events


def _changed(state: ProviderChoiceState, **changes: Any) -> dict[str, Any]:
    return {"rechoice": replace(_rechoice_of(state), changes)}


def _apply_choice(state: ProviderChoiceState, event: ChoiceRegistered) -> dict[str, Any]:
    return {
        "provider": event.provider,
        "first_provider": event.provider,
        "chosen_at": event.at,
        "home_health_care": event.home_health_care,
    }


def _apply_abstention(state: ProviderChoiceState, event: AbstentionRegistered) -> dict[str, Any]:
    return {
        "provider": event.provider,
        "first_provider": event.provider,
        "abstained": True,
        "area": event.area,
        "chosen_at": event.at,
        "home_health_care": event.home_health_care,
    }


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


def _apply_documented(state: ProviderChoiceState, event: TakeoverDateDocumented) -> dict[str, Any]:
    rechoice = _rechoice_of(state)
    return {
        "rechoice": replace(rechoice, {"documented_takeover": event.takeover}),
        "provider": rechoice.incoming,
        "switches": state.switches + 1,
    }


# --------------------------------------------------------------------------- due times


def execution_deadline_of(
    state: ProviderChoiceState, *, policy: ProviderChoicePolicy | None = None
) -> Deadline | None:
    """Return the execution deadline (verkställighetsfrist) the events give, VAL-6.

    Counted from the distribution for a municipal provider and from the contact for
    a private one; an agreed later start moves it. Derived anew on every call, so a
    later agreement moves the due time. None until the clock has started. An urgent
    assignment (VAL-7) has its own earlier ``start_by``, see :func:`required_actions`.
    """
    PROVIDER_CHOICE._state(state)  # InvalidInput for anything else
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

    Counted from the later of the two notifications; None until both are notified.
    """
    PROVIDER_CHOICE._state(state)  # InvalidInput for anything else
    rule = _policy_value(policy)
    rechoice = state.rechoice
    if rechoice is None or rechoice.notified_at is None:
        return None
    assert rechoice.outgoing_notified_at is not None
    assert rechoice.incoming_notified_at is not None
    return switch_window(
        rechoice.outgoing_notified_at, rechoice.incoming_notified_at, policy=rule.switch
    )


def _execution_due(
    state: ProviderChoiceState, record: Opened, rule: ProviderChoicePolicy
) -> Due | None:
    deadline = execution_deadline_of(state, policy=rule)
    if deadline is None:
        return None
    private = deadline.provider is ProviderKind.PRIVATE
    hours = int(rule.execution.window.total_seconds() // 3600)
    return Due(
        requirement="VAL-6",
        due=deadline.due,
        counted_from=deadline.occurred_at,
        since_sv="kontakten med utföraren" if private else "fördelningen",
        since_en="the contact with the provider" if private else "the distribution",
        rule_sv=f"verkställ inom {hours} timmar",
        rule_en=f"execute within {hours} hours",
        note_sv=deadline.explain("sv"),
        note_en=deadline.explain("en"),
    )


def _urgent_due(
    state: ProviderChoiceState, record: Opened, rule: ProviderChoicePolicy
) -> Due | None:
    if state.urgent_start_by is None:
        return None
    return Due(
        requirement="VAL-7",
        due=state.urgent_start_by,
        counted_from=record.at,
        since_sv="det brådskande uppdraget",
        since_en="the urgent assignment",
        rule_sv="starta snabbare än 24 timmar",
        rule_en="start sooner than 24 hours",
    )


def _notify_due(
    state: ProviderChoiceState, record: Opened, rule: ProviderChoicePolicy
) -> Due | None:
    rechoice = state.rechoice
    if rechoice is None:
        return None
    return Due.on_day(
        "VAL-13",
        rechoice.chosen_on,
        counted_from=rechoice.registered_at,
        since=("registreringen av omvalet", "the registration of the re-choice"),
        rule=("helst samma dag som kundens val", "preferably the day of the customer's choice"),
    )


def _window_due(
    state: ProviderChoiceState, record: Opened, rule: ProviderChoicePolicy
) -> Due | None:
    window = switch_window_of(state, policy=rule)
    rechoice = state.rechoice
    if window is None or rechoice is None or rechoice.notified_at is None:
        return None
    earliest, latest = rule.switch.earliest.days, rule.switch.latest.days
    return Due.on_day(
        "VAL-18",
        window[1],
        counted_from=rechoice.notified_at,
        since=("att båda utförarna meddelats", "both providers being notified"),
        rule=(f"byte inom {earliest}–{latest} dagar", f"switch within {earliest}–{latest} days"),
    )


def _first_intervention_day(event: Any) -> datetime:
    """Count a private provider's execution from the start of the first intervention's day."""
    return at_local_time(event.first_intervention, time(0))


# --------------------------------------------------------------------------- rules


def _not_at_the_same_time(
    before: ProviderChoiceState, event: Any, policy: ProviderChoicePolicy
) -> Finding | None:
    """Notify the outgoing and the incoming provider at the same time."""
    rechoice = before.rechoice
    if rechoice is None:
        return None
    outgoing = isinstance(event, OutgoingProviderNotified)
    other = rechoice.incoming_notified_at if outgoing else rechoice.outgoing_notified_at
    if other is None:
        return None
    apart = abs(event.at.astimezone(UTC) - other.astimezone(UTC))
    if apart <= policy.same_time:
        return None
    minutes = int(policy.same_time.total_seconds() // 60)
    return Finding(
        kind=DeviationKind.NOT_SIMULTANEOUS,
        sv=(
            "meddela frånträdande och tillträdande utförare vid samma tidpunkt (inom "
            f"{minutes} minuter); den andra meddelades {format_local(other)}"
        ),
        en=(
            f"notify the outgoing and the incoming provider at the same time (within "
            f"{minutes} minutes); the other was notified at {format_local(other)}"
        ),
        due=(other.astimezone(UTC) + policy.same_time).astimezone(STOCKHOLM),
    )


def _outside_the_window(
    before: ProviderChoiceState, event: TakeoverDateReported, policy: ProviderChoicePolicy
) -> Finding | None:
    """Switch provider 7–14 days after both providers were notified."""
    window = switch_window_of(before, policy=policy)
    if window is None:
        return None
    first, last = window
    if first <= event.takeover <= last:
        return None
    return Finding(
        kind=DeviationKind.OUTSIDE_WINDOW,
        sv=(
            f"byt utförare {first}–{last}, 7–14 dagar efter att båda utförarna meddelats; "
            f"datum för övertagande är {event.takeover}"
        ),
        en=(
            f"switch provider from {first} to {last}, 7–14 days after both providers were "
            f"notified; the takeover date is {event.takeover}"
        ),
        due=at_local_time(last + timedelta(days=1), time(0)),
    )


def _without_consent(state: ProviderChoiceState, step: object) -> str | None:
    """Hand the documentation over only with the customer's consent (VAL-16)."""
    if _consented(state):
        return None
    return "the customer has not consented to handing the documentation to the new provider"


# --------------------------------------------------------------------------- obligations

_O = Obligation[ProviderChoiceState, ProviderChoicePolicy]
_FIRST_VOID: Final = ("document_takeover",)
_ASSESSOR: Final = frozenset({Role.NEEDS_ASSESSOR})
_PROVIDER: Final = frozenset({Role.PROVIDER})


def _name(state: ProviderChoiceState) -> str:
    return _provider_of(state).name


def _outgoing(state: ProviderChoiceState) -> str:
    return _rechoice_of(state).outgoing.name


def _incoming(state: ProviderChoiceState) -> str:
    return _rechoice_of(state).incoming.name


def _window_text(state: ProviderChoiceState, swedish: bool) -> str:
    window = switch_window_of(state)
    if window is None:
        return ""
    first, last = window
    return f" ({first}–{last})" if swedish else f" ({first} to {last})"


_PREPARE = _O(
    name="prepare",
    requirement="VAL-9",
    role=Role.NEEDS_ASSESSOR,
    sv="ta fram uppdraget med tid, ärendenummer och närståendes telefonnummer och skriv "
    "ut det på papper",
    en="prepare the assignment with the time, the case number and the relatives' "
    "telephone numbers, and print it",
    met_by=("prepare",),
    when=_private,
    void_by=("urgent", *_FIRST_VOID),
)
_DISTRIBUTE = _O(
    name="distribute",
    requirement="VAL-4",
    role=Role.NEEDS_ASSESSOR,
    sv=lambda s: f"fördela uppdraget i verksamhetssystemet till {_name(s)}",
    en=lambda s: f"distribute the assignment in the case-management system to {_name(s)}",
    met_by=("distribute",),
    when=_ready_to_distribute,
    void_by=("urgent", *_FIRST_VOID),
)
_HOME_HEALTH_CARE = _O(
    name="notify_home_health_care",
    requirement="VAL-5",
    role=Role.NEEDS_ASSESSOR,
    kind=ActionKind.MESSAGE,
    recipient="sjuksköterskor för hemsjukvård",
    sv=lambda s: (
        f"meddela via gemensam sändlista att {_name(s)} är vald utförare och "
        "dokumentera i journalen"
    ),
    en=lambda s: (
        f"tell the home health care nurses through the shared mailing list that "
        f"{_name(s)} is the chosen provider, and note it in the journal"
    ),
    text=lambda s: f"Vald utförare för ärende {s.case}: {_name(s)}.",
    met_by=("notify_home_health_care",),
    when=_enrolled,
    void_by=_FIRST_VOID,
)
_CONTACT = _O(
    name="contact",
    requirement="VAL-9",
    role=Role.NEEDS_ASSESSOR,
    kind=ActionKind.MESSAGE,
    recipient=_name,
    sv="kontakta utföraren via e-post eller telefon om att det finns ett uppdrag, kom "
    "överens om post eller hämtning och dokumentera kontakten i journalen",
    en="contact the provider by e-mail or telephone about the assignment, agree on post "
    "or pick-up, and note the contact in the journal",
    text=lambda s: f"Det finns ett uppdrag till er. Ärendenummer: {s.case}.",
    met_by=("contact",),
    when=_private,
    void_by=_FIRST_VOID,
)
_CONFIRM_RECEIPT = _O(
    name="confirm_receipt",
    requirement="VAL-10",
    role=Role.PROVIDER,
    kind=ActionKind.MESSAGE,
    recipient="biståndshandläggaren",
    assignee=_name,
    sv="bekräfta snarast via e-post att uppdraget mottagits",
    en="confirm by e-mail as soon as possible that the assignment was received",
    met_by=("confirm_receipt",),
    when=_private,
    void_by=_FIRST_VOID,
)
_FILE_RECEIPT = _O(
    name="file_receipt",
    requirement="VAL-10",
    role=Role.NEEDS_ASSESSOR,
    sv="lägg bekräftelsen i akten och gör en anteckning i journalen",
    en="file the confirmation and note it in the journal",
    met_by=("file_receipt",),
    void_by=_FIRST_VOID,
)
_EXECUTE = _O(
    name="execute",
    requirement="VAL-6",
    role=Role.PROVIDER,
    assignee=_name,
    sv="verkställ uppdraget; meddela biståndshandläggaren om någon insats inte "
    "verkställs, och orsak",
    en="execute the assignment; tell the needs assessor if an intervention is not "
    "executed, and why",
    met_by=("start_execution", "register_execution"),
    due=_execution_due,
    when=_municipal,
    void_by=_FIRST_VOID,
)
_EXECUTE_PRIVATE = _O(
    name="execute_private",
    requirement="VAL-6",
    role=Role.PROVIDER,
    kind=ActionKind.MESSAGE,
    recipient="biståndshandläggaren",
    assignee=_name,
    sv="verkställ uppdraget och meddela via e-post datum för första insats och om någon "
    "insats inte verkställs, och orsak",
    en="execute the assignment and report by e-mail the date of the first intervention "
    "and any intervention not executed, with the reason",
    met_by=("report_first_intervention", "register_execution"),
    met_at=_first_intervention_day,
    due=_execution_due,
    when=_private,
    void_by=_FIRST_VOID,
)
_EXECUTE_URGENTLY = _O(
    name="execute_urgently",
    requirement="VAL-7",
    role=Role.PROVIDER,
    assignee=_name,
    sv="starta uppdraget (snabbare igångsättning än 24 timmar)",
    en="start the assignment (sooner than 24 hours)",
    met_by=("start_execution", "report_first_intervention", "register_execution"),
    due=_urgent_due,
    void_by=_FIRST_VOID,
)
_REGISTER_EXECUTION = _O(
    name="register_execution",
    requirement="VAL-11",
    role=Role.NEEDS_ASSESSOR,
    sv=lambda s: (
        f"verkställ uppdraget i verksamhetssystemet från och med "
        f"{s.first_intervention}, lägg meddelandet i akten och dokumentera"
    ),
    en=lambda s: (
        f"register execution from {s.first_intervention}, file the provider's "
        "message and note it in the journal"
    ),
    met_by=("register_execution",),
    void_by=_FIRST_VOID,
)
_CONFIRM_EXECUTION = _O(
    name="confirm_execution_date",
    requirement="VAL-11",
    role=Role.NEEDS_ASSESSOR,
    kind=ActionKind.MESSAGE,
    recipient=_name,
    sv="bekräfta verkställighetsdatum till utföraren via e-post",
    en="confirm the execution date to the provider by e-mail",
    text=lambda s: f"Uppdraget i ärende {s.case} är verkställt från och med {s.executed_from}.",
    met_by=("confirm_execution_date",),
    void_by=_FIRST_VOID,
)


def _notification(which: str, sv: str, en: str) -> _O:
    swedish_role = "frånträdande" if which == "outgoing" else "tillträdande"
    other_sv = "tillträdande" if which == "outgoing" else "frånträdande"
    other_en = "incoming" if which == "outgoing" else "outgoing"
    name = _outgoing if which == "outgoing" else _incoming
    return _O(
        name=f"notify_{which}",
        requirement="VAL-13",
        role=Role.NEEDS_ASSESSOR,
        kind=ActionKind.MESSAGE,
        recipient=name,
        sv=lambda s: (
            f"meddela {swedish_role} utförare {name(s)} om omvalet vid samma "
            f"tidpunkt som {other_sv} utförare, helst samma dag som kunden meddelade sitt val "
            f"({_rechoice_of(s).chosen_on}), och dokumentera i journalen"
        ),
        en=lambda s: (
            f"notify the {which} provider {name(s)} of the re-choice at the same "
            f"time as the {other_en} provider, preferably the same day as the customer's "
            f"choice ({_rechoice_of(s).chosen_on}), and note it in the journal"
        ),
        text=lambda s: (
            f"Omval i ärende {s.case}: frånträdande utförare {_outgoing(s)}, "
            f"tillträdande utförare {_incoming(s)}."
        ),
        met_by=(f"notify_{which}",),
        due=_notify_due,
        severity=Severity.WARNING,
        late_kind=DeviationKind.NOT_SAME_DAY,
    )


_NOTIFY_OUTGOING = _notification("outgoing", "", "")
_NOTIFY_INCOMING = _notification("incoming", "", "")
_MEDIATE = _O(
    name="mediate",
    requirement="VAL-14",
    role=Role.NEEDS_ASSESSOR,
    sv="förmedla information mellan utförarna om kundens önskemål",
    en="pass information between the providers about the customer's wish",
    met_by=("mediate",),
)
_AGREE_LAST_DAY = _O(
    name="agree_last_day",
    requirement="VAL-15",
    role=Role.PROVIDER,
    assignee=_outgoing,
    sv="kom överens med kunden om sista dag och fråga om dokumentationen får lämnas till "
    "den nya utföraren",
    en="agree the last day with the customer and ask whether the documentation may go to "
    "the new provider",
    met_by=("agree_last_day",),
    due=_window_due,
    when=_both_notified,
)
_ANNOUNCE = _O(
    name="announce_takeover",
    requirement="VAL-16",
    role=Role.PROVIDER,
    kind=ActionKind.MESSAGE,
    recipient=_incoming,
    assignee=_outgoing,
    sv=lambda s: f"meddela tillträdande utförare datum för övertagande{_window_text(s, True)}",
    en=lambda s: f"tell the incoming provider the takeover date{_window_text(s, False)}",
    met_by=("announce_takeover",),
    due=_window_due,
    when=_last_day_agreed,
)
_HAND_OVER = _O(
    name="hand_over",
    requirement="VAL-16",
    role=Role.PROVIDER,
    assignee=_outgoing,
    sv=lambda s: f"lämna över dokumentationen till {_incoming(s)} (kunden har samtyckt)",
    en=lambda s: f"hand the documentation over to {_incoming(s)} (the customer consents)",
    met_by=("hand_over",),
    due=_window_due,
    when=_consented,
)
_REPORT_TAKEOVER = _O(
    name="report_takeover",
    requirement="VAL-17",
    role=Role.PROVIDER,
    kind=ActionKind.MESSAGE,
    recipient="biståndshandläggaren",
    assignee=_incoming,
    sv=lambda s: (
        "planera övertagandet med kunden och meddela biståndshandläggaren datum "
        f"för övertagande{_window_text(s, True)}"
    ),
    en=lambda s: (
        "plan the takeover with the customer and report the takeover date"
        f"{_window_text(s, False)} to the needs assessor"
    ),
    met_by=("report_takeover",),
    due=_window_due,
    when=_both_notified,
)
_DOCUMENT_TAKEOVER = _O(
    name="document_takeover",
    requirement="VAL-17",
    role=Role.NEEDS_ASSESSOR,
    sv=lambda s: (
        f"dokumentera datum för övertagande ({_rechoice_of(s).reported_takeover}) i journalen"
    ),
    en=lambda s: f"note the takeover date ({_rechoice_of(s).reported_takeover}) in the journal",
    met_by=("document_takeover",),
)
_TELL_HOME_HEALTH_CARE = _O(
    name="tell_home_health_care",
    requirement="VAL-19",
    role=Role.PROVIDER,
    kind=ActionKind.MESSAGE,
    recipient="hemsjukvården",
    assignee=_outgoing,
    sv=lambda s: (
        f"meddela hemsjukvården att uppdraget avslutas och ge kontaktuppgifter till {_incoming(s)}"
    ),
    en=lambda s: (
        "tell home health care that the assignment ends and give the contact "
        f"details of {_incoming(s)}"
    ),
    met_by=("tell_home_health_care",),
    due=_window_due,
    when=lambda s: _both_notified(s) and _rechoice_of(s).home_health_care,
)


# --------------------------------------------------------------------------- the table

_S = Step[ProviderChoiceState, Any, Any, ProviderChoicePolicy]
_CHOSEN: Final = ("choose", "abstain")
_RECHOICE_STEPS: Final = (
    "notify_outgoing",
    "notify_incoming",
    "record_wish",
    "mediate",
    "agree_last_day",
    "announce_takeover",
    "hand_over",
    "report_takeover",
    "document_takeover",
    "tell_home_health_care",
)

_STEPS: Final[tuple[_S, ...]] = (
    _S(
        name="choose",
        command=RegisterChoice,
        event=ChoiceRegistered,
        requirements=("VAL-1", "VAL-3"),
        roles=_ASSESSOR,
        when=_fresh,
        opens=(_PREPARE, _DISTRIBUTE, _HOME_HEALTH_CARE),
        apply=_apply_choice,
    ),
    _S(
        name="abstain",
        command=RegisterAbstention,
        event=AbstentionRegistered,
        requirements=("VAL-1", "VAL-2", "VAL-3"),
        roles=_ASSESSOR,
        when=_fresh,
        build=_register_abstention,
        opens=(_PREPARE, _DISTRIBUTE, _HOME_HEALTH_CARE),
        apply=_apply_abstention,
    ),
    _S(
        name="urgent",
        command=AssignUrgently,
        event=UrgentlyAssigned,
        requirements=("VAL-7",),
        roles=frozenset({Role.NEEDS_ASSESSOR, Role.NIGHT_PATROL}),
        when=_urgent_possible,
        build=_assign_urgently,
        opens=(_HOME_HEALTH_CARE, _EXECUTE_URGENTLY),
        apply=_apply_urgent,
    ),
    _S(
        name="prepare",
        command=PrepareAssignment,
        event=AssignmentPrepared,
        requirements=("VAL-9",),
        roles=_ASSESSOR,
        after_any=_CHOSEN,
        not_after=("urgent",),
        when=_private,
        apply=lambda s, e: {"prepared": True},
    ),
    _S(
        name="distribute",
        command=DistributeAssignment,
        event=AssignmentDistributed,
        requirements=("VAL-4",),
        roles=_ASSESSOR,
        after_any=_CHOSEN,
        not_after=("urgent",),
        when=_ready_to_distribute,
        build=_distribute,
        opens=(_CONTACT, _EXECUTE),
        apply=lambda s, e: {"distributed_at": e.at},
    ),
    _S(
        name="notify_home_health_care",
        command=NotifyHomeHealthCare,
        event=HomeHealthCareNotified,
        requirements=("VAL-5",),
        roles=_ASSESSOR,
        after_any=(*_CHOSEN, "urgent"),
        when=_enrolled,
        build=_notify_home_health_care,
        apply=lambda s, e: {"home_health_care_notified": True},
    ),
    _S(
        name="contact",
        command=ContactProvider,
        event=ProviderContacted,
        requirements=("VAL-9",),
        roles=_ASSESSOR,
        after=("distribute",),
        when=_private,
        build=_contact,
        opens=(_CONFIRM_RECEIPT, _EXECUTE_PRIVATE),
        apply=lambda s, e: {"contacted_at": e.at},
    ),
    _S(
        name="confirm_receipt",
        command=ConfirmReceipt,
        event=ReceiptConfirmed,
        requirements=("VAL-10",),
        roles=_PROVIDER,
        after_any=("contact", "urgent"),
        when=_private,
        opens=(_FILE_RECEIPT,),
        apply=lambda s, e: {"receipt_confirmed": True},
    ),
    _S(
        name="file_receipt",
        command=FileReceipt,
        event=ReceiptFiled,
        requirements=("VAL-10",),
        roles=_ASSESSOR,
        after=("confirm_receipt",),
        when=_first_choice,
        apply=lambda s, e: {"receipt_filed": True},
    ),
    _S(
        name="later_start",
        command=AgreeLaterStart,
        event=LaterStartAgreed,
        requirements=("VAL-6",),
        roles=frozenset({Role.NEEDS_ASSESSOR, Role.PROVIDER}),
        after_any=(*_CHOSEN, "urgent"),
        when=_not_executed,
        once=False,
        build=_later_start,
        apply=lambda s, e: {"later_start": e.start},
    ),
    _S(
        name="start_execution",
        command=StartExecution,
        event=ExecutionStarted,
        requirements=("VAL-6",),
        roles=_PROVIDER,
        after_any=("distribute", "urgent"),
        when=_municipal,
        apply=lambda s, e: {"executed_at": e.at},
    ),
    _S(
        name="report_not_executed",
        command=ReportNotExecuted,
        event=InterventionNotExecuted,
        requirements=("VAL-8",),
        roles=_PROVIDER,
        after_any=("distribute", "urgent"),
        when=_first_choice,
        once=False,
        apply=lambda s, e: {"not_executed": (*s.not_executed, e)},
    ),
    _S(
        name="report_first_intervention",
        command=ReportFirstIntervention,
        event=FirstInterventionReported,
        requirements=("VAL-11",),
        roles=_PROVIDER,
        after_any=("contact", "urgent"),
        when=_private,
        build=_report_first_intervention,
        opens=(_REGISTER_EXECUTION,),
        apply=lambda s, e: {"first_intervention": e.first_intervention},
    ),
    _S(
        name="register_execution",
        command=RegisterExecution,
        event=ExecutionRegistered,
        requirements=("VAL-11",),
        roles=_ASSESSOR,
        after=("report_first_intervention",),
        when=_first_choice,
        build=_register_execution,
        opens=(_CONFIRM_EXECUTION,),
        apply=lambda s, e: {"executed_from": e.executed_from},
    ),
    _S(
        name="confirm_execution_date",
        command=ConfirmExecutionDate,
        event=ExecutionDateConfirmed,
        requirements=("VAL-11",),
        roles=_ASSESSOR,
        after=("register_execution",),
        when=_first_choice,
        build=_confirm_execution,
        apply=lambda s, e: {"execution_confirmed": True},
    ),
    _S(
        name="register_rechoice",
        command=RegisterRechoice,
        event=RechoiceRegistered,
        requirements=("VAL-12",),
        roles=_ASSESSOR,
        when=_may_rechoose,
        once=False,
        resets=_RECHOICE_STEPS,
        build=_register_rechoice,
        opens=(
            _NOTIFY_OUTGOING,
            _NOTIFY_INCOMING,
            _AGREE_LAST_DAY,
            _REPORT_TAKEOVER,
            _TELL_HOME_HEALTH_CARE,
        ),
        apply=_apply_rechoice,
    ),
    _S(
        name="notify_outgoing",
        command=NotifyOutgoingProvider,
        event=OutgoingProviderNotified,
        requirements=("VAL-13",),
        roles=_ASSESSOR,
        after=("register_rechoice",),
        when=_in_rechoice,
        build=_notify_outgoing,
        flags=(Flag("VAL-13", _not_at_the_same_time),),
        apply=lambda s, e: _changed(s, outgoing_notified_at=e.at),
    ),
    _S(
        name="notify_incoming",
        command=NotifyIncomingProvider,
        event=IncomingProviderNotified,
        requirements=("VAL-13",),
        roles=_ASSESSOR,
        after=("register_rechoice",),
        when=_in_rechoice,
        build=_notify_incoming,
        flags=(Flag("VAL-13", _not_at_the_same_time),),
        apply=lambda s, e: _changed(s, incoming_notified_at=e.at),
    ),
    _S(
        name="record_wish",
        command=RecordTakeoverWish,
        event=TakeoverWishRecorded,
        requirements=("VAL-14",),
        roles=_ASSESSOR,
        after=("register_rechoice",),
        when=_in_rechoice,
        opens=(_MEDIATE,),
        apply=lambda s, e: _changed(s, wish=e),
    ),
    _S(
        name="mediate",
        command=MediateBetweenProviders,
        event=ProvidersMediated,
        requirements=("VAL-14",),
        roles=_ASSESSOR,
        after=("record_wish",),
        when=_in_rechoice,
        apply=lambda s, e: _changed(s, mediated=True),
    ),
    _S(
        name="agree_last_day",
        command=AgreeLastDay,
        event=LastDayAgreed,
        requirements=("VAL-15",),
        roles=_PROVIDER,
        after=("notify_outgoing", "notify_incoming"),
        when=_in_rechoice,
        build=_agree_last_day,
        opens=(_ANNOUNCE, _HAND_OVER),
        apply=lambda s, e: _changed(
            s, last_day=e.last_day, documentation_consent=e.documentation_consent
        ),
    ),
    _S(
        name="announce_takeover",
        command=AnnounceTakeover,
        event=TakeoverAnnounced,
        requirements=("VAL-16",),
        roles=_PROVIDER,
        after=("agree_last_day",),
        when=_in_rechoice,
        apply=lambda s, e: _changed(s, announced_takeover=e.takeover),
    ),
    _S(
        name="hand_over",
        command=HandOverDocumentation,
        event=DocumentationHandedOver,
        requirements=("VAL-16",),
        roles=_PROVIDER,
        after=("agree_last_day",),
        when=_in_rechoice,
        refuses=(Refusal("VAL-16", _without_consent),),
        apply=lambda s, e: _changed(s, documentation_handed_over=True),
    ),
    _S(
        name="report_takeover",
        command=ReportTakeoverDate,
        event=TakeoverDateReported,
        requirements=("VAL-17", "VAL-18"),
        roles=_PROVIDER,
        after=("notify_outgoing", "notify_incoming"),
        when=_in_rechoice,
        flags=(Flag("VAL-18", _outside_the_window),),
        opens=(_DOCUMENT_TAKEOVER,),
        apply=lambda s, e: _changed(s, reported_takeover=e.takeover),
    ),
    _S(
        name="document_takeover",
        command=DocumentTakeoverDate,
        event=TakeoverDateDocumented,
        requirements=("VAL-17",),
        roles=_ASSESSOR,
        after=("report_takeover",),
        when=_in_rechoice,
        build=_document_takeover,
        apply=_apply_documented,
    ),
    _S(
        name="tell_home_health_care",
        command=TellHomeHealthCareOfSwitch,
        event=HomeHealthCareToldOfSwitch,
        requirements=("VAL-19",),
        roles=_PROVIDER,
        after=("notify_outgoing", "notify_incoming"),
        when=_switch_home_health_care,
        apply=lambda s, e: _changed(s, home_health_care_told=True),
    ),
)


def _split_notification(envelope: dict[str, Any]) -> list[dict[str, Any]]:
    """Turn a ``providers_notified`` line of an earlier version into today's two events.

    That version recorded both notifications as one event; each is its own fact now
    (VAL-13), at the same moment.
    """
    data = envelope.get("data")
    if not isinstance(data, dict):
        data = {}
    lines = []
    for which in ("outgoing", "incoming"):
        line = {key: value for key, value in envelope.items() if key != "data"}
        line["type"] = f"{which}_provider_notified"
        line["data"] = {"channel": data.get(f"{which}_channel")}
        lines.append(line)
    return lines


_LIST_EVENTS: Final = (
    ProviderJoinedList,
    ProviderLeftList,
    ProviderPaused,
    ProviderResumed,
    CapSet,
    CustomerReleased,
)

PROVIDER_CHOICE: Final[
    Routine[ProviderChoiceState, ProviderChoiceCommand, ProviderChoiceEvent, ProviderChoicePolicy]
] = Routine(
    code=ROUTINE,
    title="Rutin för val, omval och uppdrag till utförare av hemtjänst",
    initial=initial_state,
    policy=_DEFAULT_POLICY,
    steps=_STEPS,
    open_ended=True,
    describe=ProviderChoiceState.describe,
    extra_events=_LIST_EVENTS,
    upgrades={"providers_notified": _split_notification},
)
"""Routine VAL as a table of steps, with the routine's own numbers (VAL-1…VAL-20).

Open-ended: a home-care case has no closing step, and a re-choice can always come."""

VAL: Final = PROVIDER_CHOICE
"""Routine VAL (the same object as :data:`PROVIDER_CHOICE`)."""

COMMANDS: Final = PROVIDER_CHOICE.commands
"""Every command of routine VAL, in the order of the routine."""
EVENTS: Final[tuple[type[ProviderChoiceEvent], ...]] = PROVIDER_CHOICE.log_events
"""Every event type of routine VAL: its steps' and its lists' (VAL-2)."""


# --------------------------------------------------------------------------- the functions

_Policies = ProviderChoicePolicy | Iterable[ProviderChoicePolicy] | None


def decide(
    command: ProviderChoiceCommand, state: ProviderChoiceState, *, policy: _Policies = None
) -> list[ProviderChoiceEvent]:
    """Decide a command of routine VAL: its event, or a refusal recording nothing, X-2.

    Refused, and nothing recorded: a role the step does not name (NotPermitted, X-2);
    another case or recording out of order (InvalidInput); a step that makes no sense
    in the state, or documentation handed over without consent (IllegalTransition,
    VAL-16); bad input (InvalidInput). A step that breaks a norm of time (executed
    after the 24 hours, providers notified at different times, a switch outside the
    window) is recorded, and :func:`deviations` shows it.

    Args:
        command: one of the routine's commands (see :data:`COMMANDS`).
        state: the case's state, from :func:`replay` or :data:`initial_state`.
        policy: the routine's parameters: None for its own numbers, the policy in
            force when the step happened, or a municipality's revisions (VAL-20).
    """
    return PROVIDER_CHOICE.decide(command, state, policy=policy)


def evolve(state: ProviderChoiceState, event: ProviderChoiceEvent) -> ProviderChoiceState:
    """Fold one event of routine VAL into a state, X-1.

    Never fails on an event of the routine: one it cannot explain is kept among the
    state's ``anomalies``. An event of another routine, or a state of another type,
    raises InvalidInput.
    """
    return PROVIDER_CHOICE.evolve(state, event)


def replay(
    events: Iterable[ProviderChoiceEvent],
    state: ProviderChoiceState | None = None,
    *,
    strict: bool = True,
) -> ProviderChoiceState:
    """Fold a case's events into its state, from ``state`` or :data:`initial_state`, X-1.

    Raises:
        InvalidInput: for ``events`` that are not an iterable of VAL events or a
            ``state`` that is not a :class:`ProviderChoiceState`; with ``strict`` (the
            default) also for an event that cannot be explained, naming its index.
    """
    return PROVIDER_CHOICE.replay(events, state, strict=strict)


def allowed_commands(state: ProviderChoiceState) -> frozenset[type[ProviderChoiceCommand]]:
    """Return the commands the state allows, whatever the actor's role.

    A command outside this set is refused with
    :class:`~arendefordelning.errors.IllegalTransition`.
    """
    return PROVIDER_CHOICE.allowed_commands(state)


def required_actions(
    state: ProviderChoiceState, *, policy: _Policies = None
) -> tuple[RequiredAction, ...]:
    """Return what must happen next in a VAL case (åtgärder), for whom and by when.

    Each action names its requirement; :meth:`RequiredAction.explain` words it in
    Swedish or English. Pure: the same state gives the same actions.
    """
    return PROVIDER_CHOICE.required_actions(state, policy=policy)


def deviations(
    state: ProviderChoiceState, *, as_of: datetime, policy: _Policies = None
) -> list[Deviation]:
    """Return the deviations of a VAL case recorded by ``as_of`` (avvikelser), X-5.

    VAL-6 and VAL-7: executed after the due time, or not by then; VAL-13: the two
    providers not notified at the same time (error) or not the day of the choice
    (warning); VAL-15…VAL-19: a re-choice's steps not done by the end of the switch
    window; VAL-18: a takeover date outside the window; VAL-16: documentation handed
    over without consent, and X-2: a step in a role the routine does not name, as a
    lenient replay of a log found them.
    """
    return PROVIDER_CHOICE.deviations(state, as_of=as_of, policy=policy)


def is_terminal(state: ProviderChoiceState) -> bool:
    """Whether the case has ended: never for VAL, whose cases go on; a re-choice can come."""
    return PROVIDER_CHOICE.is_terminal(state)


# --------------------------------------------------------------------------- the lists


def rotation_of(events: Iterable[Event], area: str) -> RotationList:
    """Return an area's non-choice list (akut- och ickevalslistan) as the record leaves it, VAL-2.

    Folds, in recording order, the list's own events (a provider joining, leaving,
    paused, resumed, a cap set, a customer released) and every take recorded in a
    case (an abstention, or an urgent assignment by the list, of that area): each take
    moves the list on once, as :meth:`RotationList.take` does. Events of other areas
    and routines are skipped.

    Raises:
        InvalidInput: for a change the list refuses (a provider joining twice…), or
            a take recorded before the area's first provider joined.
    """
    rotation: RotationList | None = None
    for event in events:
        if getattr(event, "area", None) != area:
            continue
        if isinstance(event, ProviderJoinedList):
            if rotation is None:
                build = (
                    RotationList.alphabetical
                    if event.ordering is RotationOrder.ALPHABETICAL
                    else RotationList.in_order
                )
                rotation = build(area, [], joined=event.on)
            rotation = rotation.join(event.provider, event.on, cap=event.cap)
            continue
        if rotation is None:
            raise InvalidInput(
                f"the record of area {shown(area)} has a {type(event).__name__} before any "
                "provider joined its list"
            )
        rotation = _list_change(rotation, event)
    if rotation is None:
        raise InvalidInput(f"no provider has joined the list of area {shown(area)}")
    return rotation


def _list_change(rotation: RotationList, event: Event) -> RotationList:
    if isinstance(event, ProviderLeftList):
        changed = rotation.leave(event.provider, event.on)
    elif isinstance(event, ProviderPaused):
        changed = rotation.pause(event.provider, event.start, event.end, event.reason)
    elif isinstance(event, ProviderResumed):
        changed = rotation.resume(event.provider, event.on)
    elif isinstance(event, CapSet):
        changed = rotation.set_cap(event.provider, event.cap)
    elif isinstance(event, CustomerReleased):
        changed = rotation.release(event.provider)
    elif isinstance(event, AbstentionRegistered | UrgentlyAssigned):
        changed = rotation.serve(event.provider, event.at)
    else:
        changed = rotation
    return changed


def turn_deviations(events: Iterable[Event], area: str) -> list[Deviation]:
    """Return every take of an area's list that did not go to the provider next in turn, VAL-2.

    Each abstention (and urgent assignment by the list) is checked against the list
    as the record stood just before it: a customer who abstains gets the provider next
    in turn (VAL-2). The record is folded as :func:`rotation_of` folds it.
    """
    found: list[Deviation] = []
    seen: list[Event] = []
    for event in events:
        if (
            isinstance(event, AbstentionRegistered | UrgentlyAssigned)
            and event.area == area
            and seen
        ):
            try:
                expected: Provider | None = rotation_of(seen, area).next_in_turn(event.at)
            except ArendefordelningError:
                expected = None
            if expected is not None and expected != event.provider:
                found.append(
                    Deviation(
                        case=event.case,
                        routine=ROUTINE,
                        requirement="VAL-2",
                        severity=Severity.ERROR,
                        kind=DeviationKind.OUT_OF_TURN,
                        sv=f"ge kunden utföraren som står i tur ({shown(expected.name)})",
                        en=f"give the customer the provider next in turn ({shown(expected.name)})",
                        happened_at=event.at,
                    )
                )
        seen.append(event)
    return found
