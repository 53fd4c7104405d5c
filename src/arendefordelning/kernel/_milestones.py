"""Milestones of a decision (milstolpar), declared on a routine's steps, X-6.

Beyond its own steps, every routine that executes a social-services decision reaches
the same few milestones: the decision is made (its date, the kind of intervention,
the legal basis, the individual's sex), its execution starts, it is interrupted (a
date and a reason) and resumed, the decision ends (withdrawn, the need gone), and a
reason for a delay is recorded. The law's report to IVO (X-6) reads them, from any
routine, without naming the routine: each step that reaches one declares it with a
:class:`Milestone` (``milestone=`` on :meth:`~arendefordelning.Table.step`), whose
``read`` takes the facts from the step's event, typed against it.

The facts are values of six small classes, one per :class:`MilestoneKind`:
:class:`Decided`, :class:`Executed`, :class:`Interrupted`, :class:`Resumed`,
:class:`Ended` and :class:`DelayReason`. A fold keeps, for each case, the milestones
its steps reached, in the order recorded (:class:`Reached`, in the state's
``milestones``). A routine says whether its decisions are social-services decisions
(``social_services=True``; the healthcare routine's are not): only then does the IVO
report read it, and such a routine must declare where a decision is made and where it
is executed. Nothing here reads a clock or knows a routine.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, ClassVar, Generic, TypeAlias, TypeVar

import attrs

from .._validators import class_name, instance_of, optional_plain_date, plain_date, text
from .._validators import reason as free_reason
from ..errors import InvalidInput
from ..identity import Sex
from ._base import Event

__all__ = [
    "Decided",
    "DelayReason",
    "Ended",
    "Executed",
    "Facts",
    "Interrupted",
    "LegalBasis",
    "Milestone",
    "MilestoneKind",
    "Reached",
    "Resumed",
]

E_contra = TypeVar("E_contra", bound=Event, contravariant=True)
F = TypeVar("F", bound="Facts")


class MilestoneKind(enum.Enum):
    """Kind of milestone (milstolpe) a step of a routine reaches, X-6."""

    DECISION = "beslut"
    """The decision is made (beslut): its date, intervention, legal basis and sex."""
    EXECUTED = "verkställt"
    """Its execution starts (verkställt): the intervention reaches the individual."""
    INTERRUPTED = "avbrutet"
    """Its execution is interrupted (avbrott), on a date and for a reason."""
    RESUMED = "återupptaget"
    """Its execution is resumed (verkställt på nytt) after an interruption."""
    ENDED = "avslutat"
    """The decision ends (avslutat): withdrawn, the need gone, the case closed."""
    DELAYED = "skäl till dröjsmål"
    """A reason for a delay of the execution is recorded (skäl till dröjsmål)."""


class LegalBasis(enum.Enum):
    """Legal basis (lagrum) of a granted decision: the Social Services Act or LSS, X-6."""

    SOL = "SoL"
    """The Social Services Act (socialtjänstlagen, SoL): assistance (bistånd)."""
    LSS = "LSS"
    """The Act on support and service for persons with certain functional impairments (LSS)."""


@attrs.frozen(kw_only=True)
class Decided:
    """A decision made (beslut fattat): the facts the IVO report needs of it, X-6.

    ``decided_on`` is None where the record does not hold the decision's date (the
    report then lists the case as one it cannot judge, never guessing a date). The
    individual's ``sex`` and date of birth (``born``) are recorded as values with the
    decision, never derived from a personal identity number when a report is made.
    """

    kind: ClassVar[MilestoneKind] = MilestoneKind.DECISION

    intervention: str = attrs.field(validator=text)
    """The kind of intervention granted (insats), as the decision names it."""
    decided_on: date | None = attrs.field(default=None, validator=optional_plain_date)
    """The day the decision was made, or None where the record does not hold it."""
    legal_basis: LegalBasis | None = attrs.field(
        default=None, validator=instance_of(LegalBasis, optional=True)
    )
    """The act the decision was made under (SoL or LSS), or None if not recorded."""
    sex: Sex | None = attrs.field(default=None, validator=instance_of(Sex, optional=True))
    """The individual's sex, as recorded with the decision, or None if not recorded."""
    born: date | None = attrs.field(default=None, validator=optional_plain_date)
    """The individual's date of birth, as recorded with the decision, or None."""


@attrs.frozen(kw_only=True)
class Executed:
    """Execution started (verkställt): the day the intervention reached the individual, X-6."""

    kind: ClassVar[MilestoneKind] = MilestoneKind.EXECUTED

    on: date = attrs.field(validator=plain_date)
    """The day execution started."""


@attrs.frozen(kw_only=True)
class Interrupted:
    """Execution interrupted (avbrott i verkställigheten): the day and why, X-6."""

    kind: ClassVar[MilestoneKind] = MilestoneKind.INTERRUPTED

    on: date = attrs.field(validator=plain_date)
    """The day execution was interrupted."""
    reason: str = attrs.field(default="", validator=free_reason)
    """Why, as recorded (free text, may be empty)."""


@attrs.frozen(kw_only=True)
class Resumed:
    """Execution resumed (verkställt på nytt) after an interruption, X-6."""

    kind: ClassVar[MilestoneKind] = MilestoneKind.RESUMED

    on: date = attrs.field(validator=plain_date)
    """The day execution was resumed."""


@attrs.frozen(kw_only=True)
class Ended:
    """Decision ended (avslutat): withdrawn, the need gone, the case closed, X-6."""

    kind: ClassVar[MilestoneKind] = MilestoneKind.ENDED

    on: date = attrs.field(validator=plain_date)
    """The day the decision, or its execution, ended."""
    reason: str = attrs.field(default="", validator=free_reason)
    """Why, as recorded (free text, may be empty)."""


@attrs.frozen(kw_only=True)
class DelayReason:
    """A reason for a delay (skäl till dröjsmål) of the execution, as recorded, X-6.

    A declined offer is such a reason: it does not end the decision.
    """

    kind: ClassVar[MilestoneKind] = MilestoneKind.DELAYED

    reason: str = attrs.field(validator=text)
    """The reason, as recorded."""


Facts: TypeAlias = Decided | Executed | Interrupted | Resumed | Ended | DelayReason
"""The facts of a milestone: one of the six classes, one per kind."""

FACTS: tuple[type[Facts], ...] = (Decided, Executed, Interrupted, Resumed, Ended, DelayReason)
"""Every class of facts, in the order of :class:`MilestoneKind`."""


def _facts_class(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value not in FACTS:
        names = ", ".join(class_name(cls) for cls in FACTS)
        raise InvalidInput(f"facts must be one of the classes of milestone facts: {names}")


@attrs.frozen
class Milestone(Generic[E_contra, F]):
    """A milestone (milstolpe) a step reaches, with the typed reading of its facts, X-6.

    ``facts`` is the class of the facts (:class:`Executed`, …), so the kind is known
    when the routine is defined; ``read(event)`` takes them from the step's event, or
    returns None where this event reaches no milestone (a transfer between districts
    that is no new decision)::

        rows.step("treat", TreatmentStarted, ...,
                  milestone=Milestone(Executed, lambda e: Executed(on=e.at.date())))
    """

    facts: type[F] = attrs.field(validator=_facts_class)
    """The class of the facts the step's event gives."""
    read: Callable[[E_contra], F | None]
    """The facts of the milestone, from the step's event; None: not reached by it."""

    @property
    def kind(self) -> MilestoneKind:
        """The kind of milestone."""
        return self.facts.kind


@attrs.frozen(kw_only=True)
class Reached:
    """A milestone reached in a case (nådd milstolpe): the step, its facts, when, X-6."""

    step: str
    """The step that reached it."""
    facts: Facts
    """Its facts."""
    at: datetime
    """When the step happened."""
    recorded_at: datetime
    """When the step was recorded."""

    @property
    def kind(self) -> MilestoneKind:
        """The kind of milestone."""
        return self.facts.kind
