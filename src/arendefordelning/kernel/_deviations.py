"""Deviations (avvikelser) and anomalies: what the record shows went against a routine.

A :class:`Deviation` is a departure from a routine that the recorded events show: a
step that came after its deadline or has not come, a step outside its window, two
steps that should have been at the same time and were not, a step taken in a role the
routine does not name. Deviations are derived from the record, never stored: the
routine's ``deviations(state, as_of=...)`` judges the events recorded by ``as_of``
(X-5). An :class:`Anomaly` is an event a lenient replay could not explain (another
case, out of recording order, impossible in the case's state): a gap in the record,
not a judgement of it.

The kinds of deviation (:class:`DeviationKind`) are an open vocabulary: the kernel
defines the kinds every routine shares, and a routine adds its own with
:meth:`DeviationKind.define`, in Swedish and English, where its table is defined.
"""

from __future__ import annotations

import enum
import threading
from datetime import date, datetime
from typing import Any, ClassVar, Final

import attrs

from .._time import as_stockholm, format_deadline, format_local, instant
from .._validators import instance_of, optional_plain_date, text
from ..deadlines import Language, check_language
from ..errors import InvalidInput
from ._base import identifier

__all__ = ["Anomaly", "AnomalyKind", "Deviation", "DeviationKind", "Severity"]


class Severity(enum.Enum):
    """Severity (allvarlighet) of a deviation: a broken rule or a missed recommendation, X-5."""

    ERROR = "fel"
    """A rule the routine states as a must (ska) is broken."""
    WARNING = "varning"
    """What the routine recommends (helst, bör) did not happen."""


_KINDS: Final[dict[str, DeviationKind]] = {}
_KINDS_LOCK: Final = threading.Lock()
_NAME_CHARACTERS: Final = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789")


def _kind_by_name(name: str) -> DeviationKind:
    """Return the kind defined under ``name`` (how a pickled kind is read back)."""
    try:
        return _KINDS[name]
    except KeyError:
        raise InvalidInput(
            "no deviation kind is defined under that name; import the routine that defines it first"
        ) from None


class DeviationKind:
    """Kind of deviation (typ av avvikelse): how the record departs from the routine, X-5.

    An open vocabulary with the identity semantics of an enum: each kind is one object,
    compared with ``is`` or ``==``, with a ``name`` (``"LATE"``), a Swedish ``value``
    (``"för sent"``) and an English label (``en``). The kernel defines the kinds
    every routine shares as class attributes (``DeviationKind.LATE``); a routine adds
    a kind of its own once, where its table is defined, with :meth:`define`::

        NOT_BOOKED = DeviationKind.define("NOT_BOOKED", sv="inte bokat", en="not booked")

    :meth:`members` lists every kind defined so far.
    """

    __slots__ = ("en", "name", "value")

    name: str
    value: str
    en: str

    LATE: ClassVar[DeviationKind]
    """The step came after its deadline."""
    MISSING: ClassVar[DeviationKind]
    """The step has not come, and its deadline has passed."""
    EARLY: ClassVar[DeviationKind]
    """The step came before the routine allows it."""
    OUTSIDE_WINDOW: ClassVar[DeviationKind]
    """A date or time lies outside the window the routine sets."""
    NOT_SIMULTANEOUS: ClassVar[DeviationKind]
    """Steps the routine wants at the same time came at different times."""
    NOT_SAME_DAY: ClassVar[DeviationKind]
    """Steps the routine wants on one day came on different days."""
    WITHOUT_PRECONDITION: ClassVar[DeviationKind]
    """The step came without the step the routine puts before it."""
    INCOMPLETE: ClassVar[DeviationKind]
    """The step was taken without everyone or everything the routine names."""
    OUT_OF_TURN: ClassVar[DeviationKind]
    """A list gave someone else than the one next in turn (VAL-2)."""
    WRONG_ROLE: ClassVar[DeviationKind]
    """The step was taken by a role the routine does not name for it (X-2)."""
    FORBIDDEN_STEP: ClassVar[DeviationKind]
    """The step is one the routine forbids in the case's situation."""
    WRONG_CHANNEL: ClassVar[DeviationKind]
    """A message or handover went by another channel than the routine names."""
    NOT_REQUIRED: ClassVar[DeviationKind]
    """The step was taken where the routine does not call for it (or rules it out)."""
    CANNOT_BE_JUDGED: ClassVar[DeviationKind]
    """A rule could not be judged: its due time lies beyond what the calendar or Python
    can compute. A finding of the record's own, never a guess."""

    def __init__(self, name: str, value: str, en: str) -> None:
        raise TypeError("deviation kinds are made with DeviationKind.define(name, sv=..., en=...)")

    @classmethod
    def define(cls, name: str, *, sv: str, en: str) -> DeviationKind:
        """Define a kind of deviation (definiera en avvikelsetyp), or return the one defined.

        Args:
            name: Upper-case letters, digits and underscores (``"WRONG_CHANNEL"``).
            sv: The kind in Swedish, as a deviation report names it (``"fel kanal"``).
            en: The kind in English (``"wrong channel"``).

        Raises:
            InvalidInput: for a name of other characters, empty texts, or a name
                defined already with other texts.
        """
        given: object = name
        if not isinstance(given, str) or not given or not set(given) <= _NAME_CHARACTERS:
            raise InvalidInput(
                "name must be upper-case letters, digits and underscores (WRONG_CHANNEL)"
            )
        texts: tuple[tuple[str, object], ...] = (("sv", sv), ("en", en))
        for label, words in texts:
            if not isinstance(words, str) or not words.strip():
                raise InvalidInput(f"{label} must be non-empty text")
        with _KINDS_LOCK:
            known = _KINDS.get(name)
            if known is not None:
                if (known.value, known.en) != (sv, en):
                    raise InvalidInput(
                        f"the deviation kind {name} is defined already, with other texts"
                    )
                return known
            kind = object.__new__(cls)
            object.__setattr__(kind, "name", name)
            object.__setattr__(kind, "value", sv)
            object.__setattr__(kind, "en", en)
            _KINDS[name] = kind
            return kind

    @classmethod
    def members(cls) -> tuple[DeviationKind, ...]:
        """Every kind defined so far, in the order defined (the kernel's first)."""
        return tuple(_KINDS.values())

    def label(self, language: Language = "sv") -> str:
        """Return the kind in Swedish (``value``) or English (``en``)."""
        check_language(language)
        return self.value if language == "sv" else self.en

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("a deviation kind cannot be changed")

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return (_kind_by_name, (self.name,))

    def __repr__(self) -> str:
        return f"<DeviationKind.{self.name}: {self.value!r}>"

    def __hash__(self) -> int:
        return hash(self.name)


for _name, _sv, _en in (
    ("LATE", "för sent", "late"),
    ("MISSING", "saknas", "missing"),
    ("EARLY", "för tidigt", "early"),
    ("OUTSIDE_WINDOW", "utanför tidsfönstret", "outside the window"),
    ("NOT_SIMULTANEOUS", "inte vid samma tidpunkt", "not at the same time"),
    ("NOT_SAME_DAY", "inte samma dag", "not the same day"),
    ("WITHOUT_PRECONDITION", "utan föregående steg", "without its preceding step"),
    ("INCOMPLETE", "ofullständigt", "incomplete"),
    ("OUT_OF_TURN", "ur tur", "out of turn"),
    ("WRONG_ROLE", "fel roll", "wrong role"),
    ("FORBIDDEN_STEP", "otillåtet steg", "forbidden step"),
    ("WRONG_CHANNEL", "fel kanal", "wrong channel"),
    ("NOT_REQUIRED", "inte påkallat", "not called for"),
    ("CANNOT_BE_JUDGED", "kan inte bedömas", "cannot be judged"),
):
    setattr_kind = DeviationKind.define(_name, sv=_sv, en=_en)
    type.__setattr__(DeviationKind, _name, setattr_kind)
del _name, _sv, _en


_LABELS: Final = {
    "sv": {Severity.ERROR: "Avvikelse", Severity.WARNING: "Varning"},
    "en": {Severity.ERROR: "Deviation", Severity.WARNING: "Warning"},
}


def _optional_due(value: datetime | None) -> datetime | None:
    return None if value is None else as_stockholm(value, "due")


def _optional_happened(value: datetime | None) -> datetime | None:
    return None if value is None else as_stockholm(value, "happened_at")


def _optional_recorded(value: datetime | None) -> datetime | None:
    return None if value is None else as_stockholm(value, "recorded_at")


@attrs.frozen(kw_only=True)
class Deviation:
    """Deviation (avvikelse): a departure from a routine that the record shows, X-5.

    What a deviation report needs: the case, the routine and requirement, what
    the routine asks (``sv``, ``en``: an imperative clause), what was due and what
    happened. A rule due on a date carries the date in ``due_on``, and ``due`` is the
    end of that day (the Stockholm start of the next day, itself the next day: a step
    then is late); a rule due at a time has ``due`` alone (a step at it is in time).
    ``happened_at`` is when the step happened (never after the moment judged),
    ``happened_on`` a date the step names (a takeover date), and
    ``recorded_at`` when the step was recorded, where it was recorded after the due
    time. ``detail_sv`` and ``detail_en``, where given, say what happened in terms of
    the rule ("övertagande 2026-04-20, utanför fönstret 2026-04-03–2026-04-10");
    otherwise :meth:`explain` says it from the times. Either time is None where the
    kind has none (a step that has not come has no ``happened_at``).
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
    """When the step should have happened at the latest (for a date: the end of
    ``due_on``, the Stockholm start of the next day, which is no longer in time), if
    the rule sets a time."""
    happened_at: datetime | None = attrs.field(
        default=None, converter=_optional_happened, eq=instant
    )
    """When the step happened, if it did."""
    due_on: date | None = attrs.field(default=None, validator=optional_plain_date)
    """The last day the step was due on, for a rule due on a date."""
    happened_on: date | None = attrs.field(default=None, validator=optional_plain_date)
    """A date the step names, where the rule judges that date (a takeover date)."""
    recorded_at: datetime | None = attrs.field(
        default=None, converter=_optional_recorded, eq=instant
    )
    """When the step was recorded, where that was after its due time."""
    detail_sv: str | None = attrs.field(default=None, validator=instance_of(str, optional=True))
    """What happened, in terms of the rule, in Swedish (None: from the times)."""
    detail_en: str | None = attrs.field(default=None, validator=instance_of(str, optional=True))
    """What happened, in terms of the rule, in English."""

    def explain(self, language: Language = "sv") -> str:
        """One sentence: what the routine asks, what the record shows, which requirement."""
        check_language(language)
        sv = language == "sv"
        label = _LABELS[language][self.severity]
        what = self.sv if sv else self.en
        detail = self.detail_sv if sv else self.detail_en
        if detail is None:
            detail = self._detail(sv)
        shown = f" ({detail})" if detail else ""
        case = f"ärende {self.case}" if sv else f"case {self.case}"
        return f"{label}, {self.kind.label(language)}: {what}{shown}; {case}, {self.requirement}."

    def _detail(self, sv: bool) -> str:
        parts: list[str] = []
        if self.due_on is not None:
            parts.append(f"senast {self.due_on}" if sv else f"due by {self.due_on}")
        elif self.due is not None:
            due = format_deadline(self.due)
            parts.append(f"senast {due}" if sv else f"due by {due}")
        if self.happened_on is not None:
            parts.append(f"angivet {self.happened_on}" if sv else f"given as {self.happened_on}")
        if self.happened_at is not None:
            happened = format_local(self.happened_at)
            parts.append(f"skedde {happened}" if sv else f"happened at {happened}")
        elif self.kind is DeviationKind.MISSING:
            parts.append("har inte skett" if sv else "has not happened")
        if self.recorded_at is not None:
            recorded = format_local(self.recorded_at)
            parts.append(f"dokumenterades {recorded}" if sv else f"recorded at {recorded}")
        return ", ".join(parts)


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
    DUPLICATE = "dubblett"
    """The same event, field for field, is in the record twice; it counts once."""
    OTHER_ROUTINE = "annan rutin"
    """The event belongs to another routine than the one folding the record."""


def _at(value: datetime) -> datetime:
    return as_stockholm(value, "at")


def _optional_at(value: datetime | None) -> datetime | None:
    return None if value is None else as_stockholm(value, "recorded_at")


@attrs.frozen(kw_only=True)
class Anomaly:
    """Anomaly (anomali): an event a lenient replay kept but could not explain, X-5.

    ``index`` is the event's place in the history replayed (from 0), ``event_type``
    its type in logs. An anomaly of kind OTHER_CASE, OUT_OF_ORDER, IMPOSSIBLE,
    REPEATED, DUPLICATE or OTHER_ROUTINE was not folded into the state; one of kind
    WRONG_ROLE or FORBIDDEN was (it happened), and the routine's deviations report it
    too.
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
    recorded_at: datetime | None = attrs.field(default=None, converter=_optional_at, eq=instant)
    """When the event was recorded; None: when it happened."""
    case: str | None = attrs.field(default=None, validator=instance_of(str, optional=True))
    """The case the event names, for an anomaly of a fold over many cases."""
    sv: str | None = attrs.field(default=None, validator=instance_of(str, optional=True))
    """For WRONG_ROLE and FORBIDDEN: what the routine asks, in Swedish (the deviation's text)."""
    en: str | None = attrs.field(default=None, validator=instance_of(str, optional=True))
    """For WRONG_ROLE and FORBIDDEN: what the routine asks, in English."""
    deviation: DeviationKind | None = attrs.field(
        default=None, validator=instance_of(DeviationKind, optional=True)
    )
    """For WRONG_ROLE and FORBIDDEN: the kind of the deviation it is."""
