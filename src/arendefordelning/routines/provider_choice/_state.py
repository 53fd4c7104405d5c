"""The state and the policy of routine VAL (ärendets läge, rutinens parametrar), VAL-20."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Final

import attrs
from dateutil.relativedelta import relativedelta

from ..._time import UTC
from ..._validators import instance_of, plain_date
from ...deadlines import ExecutionDeadlinePolicy, ProviderKind, SwitchWindowPolicy
from ...errors import InvalidInput
from ...kernel import CaseState, RoutinePolicy
from ...kernel import policy_in_force as _policy_in_force
from ...providers import Provider
from ._events import InterventionNotExecuted, TakeoverWishRecorded


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


_LONGEST_REVISION: Final = relativedelta(years=5)
"""The longest revision interval a policy accepts (VAL-20: yearly)."""


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


@attrs.frozen(kw_only=True, repr=False)
class ProviderChoiceState(CaseState):
    """State of a VAL case (ärendets läge), derived by folding its events.

    Nothing here is stored apart from the events: ``replay`` rebuilds it. The
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
    def in_rechoice(self) -> bool:
        """Whether a re-choice is under way (VAL-12…VAL-19)."""
        return self.rechoice is not None and not self.rechoice.complete

    @property
    def stage(self) -> Stage:
        """Where the case stands: the first of these that holds."""
        rules = (
            (self.in_rechoice, Stage.RECHOICE),
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
