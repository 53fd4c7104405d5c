"""Deviations (avvikelser) and anomalies: what the record shows went against a routine.

A :class:`Deviation` is a departure from a routine that the recorded events show: a
step that came after its deadline or has not come, a step outside its window, two
steps that should have been at the same time and were not, a step taken in a role the
routine does not name. Deviations are derived from the record, never stored: the
routine's ``deviations(state, as_of=...)`` judges the events recorded by ``as_of``
(X-5). An :class:`Anomaly` is an event a lenient replay could not explain (another
case, out of recording order, impossible in the case's state): a gap in the record,
not a judgement of it.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Final

import attrs

from .._time import as_stockholm, format_deadline, format_local, instant
from .._validators import instance_of, text
from ..deadlines import Language, check_language
from ._base import identifier

__all__ = ["Anomaly", "AnomalyKind", "Deviation", "DeviationKind", "Severity"]


class Severity(enum.Enum):
    """Severity (allvarlighet) of a deviation: a broken rule or a missed recommendation, X-5."""

    ERROR = "fel"
    """A rule the routine states as a must (ska) is broken."""
    WARNING = "varning"
    """What the routine recommends (helst, bör) did not happen."""


class DeviationKind(enum.Enum):
    """Kind of deviation (typ av avvikelse): how the record departs from the routine, X-5."""

    LATE = "för sent"
    """The step came after its deadline."""
    MISSING = "saknas"
    """The step has not come, and its deadline has passed."""
    EARLY = "för tidigt"
    """The step came before the routine allows it."""
    OUTSIDE_WINDOW = "utanför tidsfönstret"
    """A date or time lies outside the window the routine sets."""
    NOT_SIMULTANEOUS = "inte vid samma tidpunkt"
    """Steps the routine wants at the same time came at different times."""
    NOT_SAME_DAY = "inte samma dag"
    """Steps the routine wants on one day came on different days."""
    WITHOUT_PRECONDITION = "utan föregående steg"
    """The step came without the step the routine puts before it."""
    INCOMPLETE = "ofullständigt"
    """The step was taken without everyone or everything the routine names."""
    OUT_OF_TURN = "ur tur"
    """A list gave someone else than the one next in turn (VAL-2)."""
    WRONG_ROLE = "fel roll"
    """The step was taken by a role the routine does not name for it (X-2)."""
    FORBIDDEN_STEP = "otillåtet steg"
    """The step is one the routine forbids in the case's situation."""


_LABELS: Final = {
    "sv": {Severity.ERROR: "Avvikelse", Severity.WARNING: "Varning"},
    "en": {Severity.ERROR: "Deviation", Severity.WARNING: "Warning"},
}
_KIND_EN: Final = {
    DeviationKind.LATE: "late",
    DeviationKind.MISSING: "missing",
    DeviationKind.EARLY: "early",
    DeviationKind.OUTSIDE_WINDOW: "outside the window",
    DeviationKind.NOT_SIMULTANEOUS: "not at the same time",
    DeviationKind.NOT_SAME_DAY: "not the same day",
    DeviationKind.WITHOUT_PRECONDITION: "without its preceding step",
    DeviationKind.INCOMPLETE: "incomplete",
    DeviationKind.OUT_OF_TURN: "out of turn",
    DeviationKind.WRONG_ROLE: "wrong role",
    DeviationKind.FORBIDDEN_STEP: "forbidden step",
}


def _optional_due(value: object) -> datetime | None:
    return None if value is None else as_stockholm(value, "due")


def _optional_happened(value: object) -> datetime | None:
    return None if value is None else as_stockholm(value, "happened_at")


@attrs.frozen(kw_only=True)
class Deviation:
    """Deviation (avvikelse): a departure from a routine that the record shows, X-5.

    ``due`` is when the step should have happened at the latest (for a rule due on a
    date: the Stockholm start of the next day), ``happened_at`` when it did; either is
    None where the kind has none (a step that has not come has no ``happened_at``).
    ``sv`` and ``en`` say what the routine asks, as a clause; :meth:`explain` makes
    one sentence of it all.
    """

    case: str = attrs.field(validator=identifier)
    """The case (ärende) the deviation is found in."""
    routine: str = attrs.field(validator=text)
    """The routine's code (``"VAL"``)."""
    requirement: str = attrs.field(validator=text)
    """The requirement departed from (``"VAL-6"``)."""
    severity: Severity = attrs.field(validator=instance_of(Severity))
    """A broken rule (ERROR) or a missed recommendation (WARNING)."""
    kind: DeviationKind = attrs.field(validator=instance_of(DeviationKind))
    """How the record departs from the routine."""
    sv: str = attrs.field(validator=text)
    """What the routine asks, in Swedish (``"verkställ uppdraget inom 24 timmar"``)."""
    en: str = attrs.field(validator=text)
    """What the routine asks, in English."""
    due: datetime | None = attrs.field(default=None, converter=_optional_due, eq=instant)
    """When the step should have happened at the latest, if the rule sets a time."""
    happened_at: datetime | None = attrs.field(
        default=None, converter=_optional_happened, eq=instant
    )
    """When the step happened, if it did."""

    def explain(self, language: Language = "sv") -> str:
        """One sentence: what the routine asks, what the record shows, which requirement."""
        check_language(language)
        sv = language == "sv"
        label = _LABELS[language][self.severity]
        kind = self.kind.value if sv else _KIND_EN[self.kind]
        what = self.sv if sv else self.en
        parts: list[str] = []
        if self.due is not None:
            due = format_deadline(self.due)
            parts.append(f"senast {due}" if sv else f"due by {due}")
        if self.happened_at is not None:
            happened = format_local(self.happened_at)
            parts.append(f"skedde {happened}" if sv else f"happened at {happened}")
        elif self.kind is DeviationKind.MISSING:
            parts.append("har inte skett" if sv else "has not happened")
        detail = f" ({', '.join(parts)})" if parts else ""
        case = f"ärende {self.case}" if sv else f"case {self.case}"
        return f"{label}, {kind}: {what}{detail}; {case}, {self.requirement}."


class AnomalyKind(enum.Enum):
    """Kind of anomaly (typ av anomali): why a lenient replay could not explain an event."""

    OTHER_CASE = "annat ärende"
    """The event belongs to another case."""
    OUT_OF_ORDER = "ur ordning"
    """The event was recorded before an event recorded earlier in the history."""
    IMPOSSIBLE = "omöjligt i läget"
    """The step makes no sense in the case's state (executing before any provider exists)."""
    REPEATED = "upprepat"
    """A step the routine takes once was recorded again."""
    WRONG_ROLE = "fel roll"
    """The step was taken by a role the routine does not name for it (X-2)."""
    FORBIDDEN = "otillåtet"
    """The step is one the routine forbids in the case's situation."""


def _at(value: object) -> datetime:
    return as_stockholm(value, "at")


@attrs.frozen(kw_only=True)
class Anomaly:
    """Anomaly (anomali): an event a lenient replay kept but could not explain, X-5.

    ``index`` is the event's place in the history replayed (from 0), ``event_type``
    its type in logs. An anomaly of kind OTHER_CASE, OUT_OF_ORDER, IMPOSSIBLE or
    REPEATED was not folded into the state; one of kind WRONG_ROLE or FORBIDDEN was
    (it happened), and the routine's deviations report it too.
    """

    index: int = attrs.field(validator=instance_of(int))
    """The event's place in the history (from 0)."""
    event_type: str = attrs.field(validator=text)
    """The event's type in logs (``"execution_started"``)."""
    kind: AnomalyKind = attrs.field(validator=instance_of(AnomalyKind))
    """Why it could not be explained."""
    at: datetime = attrs.field(converter=_at, eq=instant)
    """When the event says it happened."""
    reason: str = attrs.field(validator=text)
    """The reason in English, naming the step and the state, never a caller's data."""
    requirement: str | None = attrs.field(default=None, validator=instance_of(str, optional=True))
    """The requirement the event departs from, for WRONG_ROLE (X-2) and FORBIDDEN."""
