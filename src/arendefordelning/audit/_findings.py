"""What an audit finds besides deviations: data-quality findings and upcoming deadlines."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any, Final

import attrs

from .._time import UTC, as_stockholm, instant
from .._validators import instance_of, text
from ..deadlines import Language, check_language
from ..kernel import RequiredAction

__all__ = ["QualityFinding", "QualityKind", "Upcoming"]


class QualityKind(enum.Enum):
    """Kind of data-quality finding (datakvalitet): why the record may be incomplete, X-5.

    A finding says what the log shows and what the audit did with it; the audit never
    guesses over a gap (it does not invent a missing first event or order lines).
    """

    FIRST_EVENT_MISSING = "första händelsen saknas"
    """The case's first event is not a step a case can start with: its start is missing."""
    UNEXPLAINED = "oförklarad händelse"
    """An event the routine cannot explain in the case's state (impossible, repeated)."""
    DUPLICATE = "dubblett"
    """The same event, field for field, is in the log twice; it counts once."""
    OUT_OF_ORDER = "rad ur ordning"
    """A line recorded before an earlier line of the same case (the reader's finding)."""
    BAD_LINE = "felaktig rad"
    """A line that is no event, skipped on request (the reader's finding)."""

    def label(self, language: Language = "sv") -> str:
        """Return the kind in Swedish, its value, or in English."""
        check_language(language)
        return self.value if language == "sv" else _QUALITY_EN[self]


_QUALITY_EN: Final = {
    QualityKind.FIRST_EVENT_MISSING: "first event missing",
    QualityKind.UNEXPLAINED: "unexplained event",
    QualityKind.DUPLICATE: "duplicate",
    QualityKind.OUT_OF_ORDER: "line out of order",
    QualityKind.BAD_LINE: "bad line",
}
_QUALITY_ORDER: Final = {kind: index for index, kind in enumerate(QualityKind)}


def _optional_at(value: datetime | None) -> datetime | None:
    return None if value is None else as_stockholm(value, "at")


def _optional_text(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        text(instance, attribute, value)


@attrs.frozen(kw_only=True)
class QualityFinding:
    """Data-quality finding (datakvalitetsfynd): a gap or a flaw of the log, never guessed over.

    ``routine`` and ``case`` name where it was found (None for a line that is no
    event); ``source`` and ``line`` name the file and line for the reader's findings
    (a bad line, lines out of order); ``count`` is how many lines a reader's finding
    covers (the lines of one case out of order). ``detail_sv`` and ``detail_en`` say
    what was found, never a value of the line (X-7).
    """

    kind: QualityKind = attrs.field(validator=instance_of(QualityKind))
    """What was found."""
    routine: str | None = attrs.field(default=None, validator=_optional_text)
    """The routine's code, where known."""
    case: str | None = attrs.field(default=None, validator=_optional_text)
    """The case number, where known."""
    event_type: str | None = attrs.field(default=None, validator=_optional_text)
    """The event's type in logs, for a finding about one event."""
    at: datetime | None = attrs.field(default=None, converter=_optional_at, eq=instant)
    """When the event says it happened, for a finding about one event."""
    source: str | None = attrs.field(default=None, validator=_optional_text)
    """The file read (masked), for the reader's findings."""
    line: int | None = attrs.field(default=None, validator=instance_of(int, optional=True))
    """The line number in ``source`` (from 1), for a bad line."""
    count: int = attrs.field(default=1, validator=instance_of(int))
    """How many events or lines the finding covers."""
    detail_sv: str = attrs.field(validator=text)
    """What was found, in Swedish."""
    detail_en: str = attrs.field(validator=text)
    """What was found, in English."""

    def explain(self, language: Language = "sv") -> str:
        """One sentence: the kind, where, and what was found."""
        check_language(language)
        sv = language == "sv"
        where: list[str] = []
        if self.routine is not None:
            where.append(f"rutin {self.routine}" if sv else f"routine {self.routine}")
        if self.case is not None:
            where.append(f"ärende {self.case}" if sv else f"case {self.case}")
        if self.source is not None:
            where.append(self.source if self.line is None else f"{self.source}:{self.line}")
        place = f" ({', '.join(where)})" if where else ""
        detail = self.detail_sv if sv else self.detail_en
        return f"{self.kind.label(language).capitalize()}{place}: {detail}."

    def sort_key(self) -> tuple[object, ...]:
        """Return a total order: kind, routine, case, source and line, time, type, detail."""
        at = "" if self.at is None else self.at.astimezone(UTC).isoformat()
        return (
            _QUALITY_ORDER[self.kind],
            self.routine or "",
            self.case or "",
            self.source or "",
            self.line or 0,
            at,
            self.event_type or "",
            self.detail_en,
            self.count,
        )


@attrs.frozen(kw_only=True)
class Upcoming:
    """Upcoming deadline (kommande frist): an obligation open as of the audit, not yet due, X-5.

    Listed beside the deviations, never among them: its due time has not passed at the
    moment the audit judges.
    """

    routine: str = attrs.field(validator=text)
    """The routine's code."""
    case: str = attrs.field(validator=text)
    """The case number."""
    action: RequiredAction = attrs.field(validator=instance_of(RequiredAction))
    """What must happen, for whom, how and by when (``action.due`` is set)."""

    @property
    def due(self) -> datetime:
        """The due time (the action's)."""
        due = self.action.due
        assert due is not None
        return due

    def explain(self, language: Language = "sv") -> str:
        """One sentence: the case and the action."""
        check_language(language)
        case = f"Ärende {self.case}" if language == "sv" else f"Case {self.case}"
        return f"{case} ({self.routine}): {self.action.explain(language)}"
