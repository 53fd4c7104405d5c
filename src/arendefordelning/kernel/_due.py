"""The due time of a rule (frist): one kind of value for every rule's deadline, X-5.

VAL-6's 24 hours, VAL-13's same day, VAL-18's window, OV-8's three weeks, OV-9's three
months and HC-5's three weeks are computed by different functions of
:mod:`arendefordelning.deadlines`; a routine's table wraps each result in a
:class:`Due`, so that required actions, deviations and the audit handle all deadlines
alike: the requirement, the due instant, what it counts from, the suspensions applied
and an explanation in Swedish or English.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Final

import attrs

from .._time import as_stockholm, at_local_time, format_due, format_local, instant
from .._validators import instance_of, optional_plain_date, text, tuple_of
from ..deadlines import Language, check_language
from ._base import Suspension, stopped_time

__all__ = ["Due"]

_MIDNIGHT: Final = time(0)


def _due(value: object) -> datetime:
    return as_stockholm(value, "due")


def _counted_from(value: object) -> datetime:
    return as_stockholm(value, "counted_from")


@attrs.frozen(kw_only=True)
class Due:
    """Due time of a rule (frist): by when, under which requirement, counted from what, X-5.

    ``due`` is the instant by which the step must have happened, in Stockholm time. A
    rule due on a date (OV-8's implementation plan, VAL-18's last day) is due at the
    Stockholm start of the next day, and ``day`` keeps the date for the explanation: a
    step in time happens on ``day`` at the latest, so a step at that midnight is late.
    ``counted_from`` is the instant the rule counts from, ``since_sv``/``since_en``
    what happened then (``"fördelningen"``), ``rule_sv``/``rule_en`` the rule in
    words (``"inom 24 timmar"``), and ``suspensions`` the clock stops applied.
    """

    requirement: str = attrs.field(validator=text)
    """The requirement setting the deadline (``"VAL-6"``)."""
    due: datetime = attrs.field(converter=_due, eq=instant)
    """The instant by which the step must have happened (Stockholm time)."""
    counted_from: datetime = attrs.field(converter=_counted_from, eq=instant)
    """The instant the rule counts from."""
    since_sv: str = attrs.field(validator=text)
    """What happened at ``counted_from``, in Swedish (``"fördelningen"``)."""
    since_en: str = attrs.field(validator=text)
    """What happened at ``counted_from``, in English (``"the distribution"``)."""
    rule_sv: str = attrs.field(validator=text)
    """The rule in Swedish (``"inom 24 timmar"``)."""
    rule_en: str = attrs.field(validator=text)
    """The rule in English (``"within 24 hours"``)."""
    day: date | None = attrs.field(default=None, validator=optional_plain_date)
    """The last day, for a rule due on a date; ``due`` is then the start of the next day."""
    suspensions: tuple[Suspension, ...] = attrs.field(default=(), validator=tuple_of(Suspension))
    """The clock stops applied (uppehåll), if any."""
    note_sv: str | None = attrs.field(default=None, validator=instance_of(str, optional=True))
    """More on how the time was counted, in Swedish, if the rule has more to say."""
    note_en: str | None = attrs.field(default=None, validator=instance_of(str, optional=True))
    """More on how the time was counted, in English."""

    @classmethod
    def on_day(
        cls,
        requirement: str,
        day: date,
        *,
        counted_from: datetime,
        since: tuple[str, str],
        rule: tuple[str, str],
    ) -> Due:
        """Return the due time of a rule due on a date: the Stockholm start of the next day.

        Args:
            requirement: The requirement (``"OV-8"``).
            day: The last day the step may happen on.
            counted_from: The instant the rule counts from.
            since: What happened then, in Swedish and English.
            rule: The rule in words, in Swedish and English.
        """
        return cls(
            requirement=requirement,
            due=at_local_time(day + timedelta(days=1), _MIDNIGHT),
            counted_from=counted_from,
            since_sv=since[0],
            since_en=since[1],
            rule_sv=rule[0],
            rule_en=rule[1],
            day=day,
        )

    @property
    def stopped(self) -> timedelta:
        """How long the clock stood still between ``counted_from`` and ``due``."""
        return stopped_time(self.counted_from, self.due, self.suspensions)

    def explain(self, language: Language = "sv") -> str:
        """One sentence: by when, by which rule, counted from what, and any clock stops."""
        check_language(language)
        sv = language == "sv"
        when = self.day.isoformat() if self.day is not None else format_due(self.due)
        since = format_local(self.counted_from)
        if sv:
            text = (
                f"Senast {when} ({self.requirement}): {self.rule_sv} från {self.since_sv} {since}"
            )
        else:
            text = f"By {when} ({self.requirement}): {self.rule_en} from {self.since_en} at {since}"
        note = self.note_sv if sv else self.note_en
        if note:
            text += f", {note}"
        if self.suspensions:
            hours = self.stopped.total_seconds() / 3600
            text += (
                f", förlängt med {hours:g} timmar uppehåll"
                if sv
                else f", extended by {hours:g} hours of suspension"
            )
        return text + "."
