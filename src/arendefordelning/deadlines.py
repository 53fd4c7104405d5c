"""Deadlines (frister) of the routines, each with its policy of numbers.

Every rule here is a pure function of its inputs and a policy value: no clock is read,
nothing is stored. ``policy=None`` means the routine's own numbers (X-4); a
municipality with other numbers passes another policy. Times are computed in
Europe/Stockholm and days on the Swedish working-day calendar (X-3), both replaceable
through the policy.

Where a routine leaves a choice open, the rules follow the act on computing statutory
time (lag (1930:173) om beräkning av lagstadgad tid): a period of weeks ends on the same
weekday, a period of months on the same date or, if the month is shorter, its last day
(1 §); a last day on a non-working day moves to the next working day (2 §).
"""

from __future__ import annotations

import enum
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, Final, Literal, TypeAlias, TypeVar, overload

import attrs
from dateutil.relativedelta import relativedelta

from ._memo import SharedMemo
from ._time import (
    STOCKHOLM,
    UTC,
    as_date,
    as_stockholm,
    at_local_time,
    format_due,
    format_local,
    instant,
)
from ._validators import describe, flag, instance_of
from .calendar import WorkCalendar
from .errors import InvalidInput

__all__ = [
    "QUARTER_HOUR",
    "Deadline",
    "ExecutionDeadlinePolicy",
    "FollowUpPolicy",
    "ImplementationPlanPolicy",
    "Language",
    "ProviderKind",
    "SummonPolicy",
    "SwitchWindowPolicy",
    "execution_deadline",
    "implementation_plan_due",
    "next_follow_up_due",
    "round_up_to_quarter",
    "summon_deadline",
    "switch_window",
]

Language: TypeAlias = Literal["sv", "en"]
"""Language of an explanation: ``"sv"`` (Swedish, the default) or ``"en"``."""

_LANGUAGES: Final = ("sv", "en")


def check_language(value: object) -> None:
    """Refuse a language other than ``"sv"`` or ``"en"``, without repeating it."""
    if type(value) is not str or value not in _LANGUAGES:
        given = "another text" if isinstance(value, str) else describe(value)
        raise InvalidInput(f"language must be 'sv' or 'en', not {given}")


_P = TypeVar("_P")


class ProviderKind(enum.Enum):
    """Kind of home-care provider (utförare): municipal or private, VAL-6.

    The execution deadline runs from the distribution for a municipal provider and
    from the needs assessor's contact with the provider for a private one.
    """

    MUNICIPAL = "kommunal"
    """Municipal provider (kommunal utförare, egen regi)."""
    PRIVATE = "privat"
    """Private provider (privat utförare)."""


# --------------------------------------------------------------------------- validators


MAX_PERIOD: Final = timedelta(days=366)
"""The longest period of days a policy accepts (a year): longer is surely a mistake."""
MAX_WINDOW: Final = timedelta(days=31)
"""The longest execution window a policy accepts (VAL-6's 24 hours, at most a month)."""
MAX_MONTHS: Final = 24
"""The most months between follow-ups a policy accepts (OV-9's three, at most two years)."""


def _whole_days(instance: object, attribute: attrs.Attribute[timedelta], value: object) -> None:
    if type(value) is not timedelta:
        raise InvalidInput(
            f"{attribute.name} must be a datetime.timedelta of whole days, not {describe(value)}"
        )
    if value < timedelta(0) or value % timedelta(days=1) or value > MAX_PERIOD:
        raise InvalidInput(
            f"{attribute.name} must be a whole number of days from 0 to {MAX_PERIOD.days}"
        )


def _positive_duration(
    instance: object, attribute: attrs.Attribute[timedelta], value: object
) -> None:
    if type(value) is not timedelta:
        raise InvalidInput(f"{attribute.name} must be a datetime.timedelta, not {describe(value)}")
    if not timedelta(0) < value <= MAX_WINDOW:
        raise InvalidInput(
            f"{attribute.name} must be longer than zero and at most {MAX_WINDOW.days} days"
        )


def _clock_key(value: time) -> tuple[time, int]:
    """Compare wall-clock times with their fold: time(2, 30, fold=1) is the later 02:30."""
    return value, getattr(value, "fold", 0)  # hashed before the validators have run


def _wall_clock(instance: object, attribute: attrs.Attribute[time], value: object) -> None:
    if type(value) is not time:
        raise InvalidInput(
            f"{attribute.name} must be a datetime.time (a Stockholm wall-clock time such "
            f"as time(14, 0)), not {type(value).__name__}"
        )
    if value.tzinfo is not None:
        raise InvalidInput(
            f"{attribute.name} must be a Stockholm wall-clock time without tzinfo, "
            "such as time(14, 0)"
        )


def _calendar(instance: object, attribute: attrs.Attribute[WorkCalendar], value: object) -> None:
    if not isinstance(value, WorkCalendar):
        raise InvalidInput(
            f"{attribute.name} must be a WorkCalendar (for example "
            f"WorkCalendar.swedish()), not {type(value).__name__}"
        )


def _policy(value: object, kind: type[_P], name: str = "policy") -> _P:
    if value is None:
        return kind()
    if type(value) is not kind:
        raise InvalidInput(f"{name} must be a {kind.__name__} or None, not {type(value).__name__}")
    return value


# --------------------------------------------------------------------------- VAL-6

_DayInfo: TypeAlias = tuple[datetime, datetime | None, datetime | None, timedelta | None]
"""One Stockholm day for VAL-6: cut-off, late start and due (None until asked), and the
window, None on a day whose window a daylight-saving change crosses."""

_Half: TypeAlias = tuple[datetime, datetime, datetime | None, int]
"""The part of a UTC day that lies in one Stockholm day: that day's cut-off as an
instant (UTC) and in Stockholm time, the due time of a late distribution (None until
asked) and the Stockholm day's ordinal."""

_UtcDayInfo: TypeAlias = tuple[datetime, _Half, _Half]
"""One UTC day for VAL-6: the instant (UTC) Stockholm's next day starts, and the part of
the UTC day before it and from it."""


class _DayTable(dict[int, _DayInfo]):
    """The per-day memo of one execution policy (a dict that allows weak references).

    ``utc`` holds, by UTC ordinal, what a UTC-zoned input needs (see
    ExecutionDeadlinePolicy._utc_day); None marks a day that takes the converting path.
    """

    __slots__ = ("__weakref__", "utc")

    def __init__(self) -> None:
        super().__init__()
        self.utc: dict[int, _UtcDayInfo | None] = {}


_DAY_TABLES: Final[SharedMemo[ExecutionDeadlinePolicy, _DayTable]] = SharedMemo(_DayTable)
"""The per-day memo of each distinct execution policy (see ExecutionDeadlinePolicy._days)."""


def _day_table(policy: ExecutionDeadlinePolicy) -> _DayTable:
    """Return the shared per-day memo of a policy whose fields are checked first.

    attrs runs this factory before the validators, and the memo is keyed by the
    policy's hash: a field of the wrong type is refused here, not hashed (an
    unhashable one raised TypeError).
    """
    attrs.validate(policy)
    return _DAY_TABLES.get(policy)


@attrs.frozen
class ExecutionDeadlinePolicy:
    """Numbers of the execution rule (verkställighet inom 24 timmar), VAL-6.

    The defaults are the routine's: a distribution or contact after 14:00 counts as
    07:00 on the next working day, and the provider has 24 hours from then.
    """

    cutoff: time = attrs.field(default=time(14, 0), validator=_wall_clock, eq=_clock_key)
    """Cut-off (klockan 14:00): a local time strictly later counts from the next working day. VAL-6.

    A wall-clock time; on the night the clocks go back, ``fold=1`` names the second of
    the two equal times, and the policy compares unequal to the one with ``fold=0``."""
    next_day_start: time = attrs.field(default=time(7, 0), validator=_wall_clock, eq=_clock_key)
    """Where a late distribution starts counting (klockan 7:00 nästkommande vardag). VAL-6.

    As ``cutoff``, its ``fold`` counts."""
    window: timedelta = attrs.field(default=timedelta(hours=24), validator=_positive_duration)
    """Time to execute (inom 24 timmar), in elapsed hours. VAL-6."""
    calendar: WorkCalendar = attrs.field(factory=WorkCalendar.swedish, validator=_calendar)
    """Calendar that says which day is the next working day (vardag). VAL-6, X-3."""

    _days: _DayTable = attrs.field(
        init=False,
        eq=False,
        repr=False,
        default=attrs.Factory(_day_table, takes_self=True),
    )
    """Per Stockholm day (by ordinal) what VAL-6 needs, shared by all equal policies.

    A memo, not state: each entry is a pure function of the policy and the day, so a
    policy built per call with the routine's numbers finds the days already computed.
    It holds at most one entry per covered day (about 300 bytes each), and, for UTC
    times, one per UTC day asked for (about 400 bytes each).
    """

    _utc_days: dict[int, _UtcDayInfo | None] = attrs.field(
        init=False,
        eq=False,
        repr=False,
        default=attrs.Factory(lambda self: self._days.utc, takes_self=True),
    )
    """Per UTC day (by ordinal) what VAL-6 needs of a UTC-zoned input; part of ``_days``."""

    def __reduce__(self) -> tuple[Any, ...]:
        # The shared memo stays behind; an unpickled policy finds or builds its own.
        return (type(self), (self.cutoff, self.next_day_start, self.window, self.calendar))

    def _day(self, ordinal: int) -> _DayInfo:
        """Return what the rule needs to know about one Stockholm day, computed once.

        The start on the next working day is worked out only for a time after the
        cut-off: a time before it needs no calendar, so 2199-12-31 10:00 is due
        2200-01-01 10:00 although the calendar ends with 2199.
        """
        info = self._days.get(ordinal)
        if info is None:
            day = date.fromordinal(ordinal)
            cut = datetime.combine(day, self.cutoff, STOCKHOLM)
            info = (cut, None, None, self.window if _steady(day, self.window) else None)
            if ordinal != 1:  # see execution_deadline: the first day is checked per call
                self._days[ordinal] = info
        return info

    def _late(self, ordinal: int) -> tuple[datetime, datetime]:
        """Return the start and due time of a time after the cut-off on a day, VAL-6."""
        cut, start, due, window = self._day(ordinal)
        if start is None or due is None:
            day = date.fromordinal(ordinal)
            start = at_local_time(self.calendar.next_workday(day), self.next_day_start)
            due = _elapsed(start, self.window)
            if ordinal != 1:
                self._days[ordinal] = (cut, start, due, window)
        return start, due

    def _utc_day(self, ordinal: int) -> _UtcDayInfo | None:
        """Return what a UTC time on one UTC day needs, computed once (X-3).

        A UTC day lies in two Stockholm days, split at the Stockholm midnight (22:00
        or 23:00 UTC; the clocks never change at midnight). When neither Stockholm day
        has a daylight-saving change on it or in its window, the offset is the same
        all through, so a UTC time is compared with the cut-off instant and becomes
        Stockholm time by the arithmetic ``cut + (t - cut_utc)``, exact to the
        microsecond, instead of the zone's rules. None for the other days, and for
        those within reach of the ends of what Python represents: they convert.
        """
        if ordinal in self._utc_days:
            return self._utc_days[ordinal]
        info: _UtcDayInfo | None = None
        if 2 <= ordinal <= date.max.toordinal() - self.window.days - 3:
            days = (self._day(ordinal), self._day(ordinal + 1))
            if all(window is not None for *_, window in days):
                following = date.fromordinal(ordinal + 1)
                split = datetime.combine(following, time(0), STOCKHOLM).astimezone(UTC)
                before, after = (
                    (cut.astimezone(UTC), cut, due, day)
                    for (cut, _, due, _), day in zip(days, (ordinal, ordinal + 1), strict=True)
                )
                info = (split, before, after)
        self._utc_days[ordinal] = info
        return info

    def _utc_late(self, ordinal: int, half: int) -> datetime:
        """Return the due time of a late UTC time on one part of a UTC day, VAL-6."""
        info = self._utc_days[ordinal]
        assert info is not None  # asked only for a day _utc_day answered
        split, before, after = info
        cut_utc, cut, _, day = before if half == 0 else after
        due = self._late(day)[1]
        part = (cut_utc, cut, due, day)
        self._utc_days[ordinal] = (split, part, after) if half == 0 else (split, before, part)
        return due


def _elapsed(start: datetime, duration: timedelta) -> datetime:
    """Add elapsed time to a Stockholm datetime: the wall clock follows any DST change.

    Raises:
        InvalidInput: when the result lies beyond what Python can represent in
            Stockholm time (the end of the year 9999).
    """
    try:
        return (start.astimezone(UTC) + duration).astimezone(STOCKHOLM)
    except OverflowError:
        raise InvalidInput(
            "the due time lies beyond the last date Python can represent in Stockholm "
            "time (the year 9999)"
        ) from None


def _steady(day: date, duration: timedelta) -> bool:
    """Whether Stockholm's UTC offset stays the same from ``day`` 00:00 to its end + duration.

    Then wall-clock arithmetic equals elapsed-time arithmetic for any time on that
    day. Stockholm changes its offset at most twice a year, months apart, so the
    offset at every midnight of the span and at its end finds any change.
    """
    offset = datetime.combine(day, time(0), STOCKHOLM).utcoffset()
    try:
        end = datetime.combine(day + timedelta(days=1), time(0), STOCKHOLM).astimezone(UTC)
        end = (end + duration).astimezone(STOCKHOLM)
    except OverflowError:  # the last days of the year 9999: count by instant, which refuses
        return False
    probe, last = day, end.date()
    while probe < last:
        probe += timedelta(days=1)
        if datetime.combine(probe, time(0), STOCKHOLM).utcoffset() != offset:
            return False
    return end.utcoffset() == offset


_DEFAULT_EXECUTION: Final = ExecutionDeadlinePolicy()


# Converters of a Deadline's times to Stockholm time: each refuses a naive
# datetime, one Python cannot represent in Stockholm time, and what is not a datetime.


def _due(value: object) -> datetime:
    return as_stockholm(value, "due")


def _counted_from(value: object) -> datetime:
    return as_stockholm(value, "counted_from")


def _occurred_at(value: object) -> datetime:
    return as_stockholm(value, "occurred_at")


def _agreed_start(value: object) -> datetime | None:
    return None if value is None else as_stockholm(value, "agreed_start")


@attrs.frozen
class Deadline:
    """Execution deadline (verkställighetsfrist): when a provider must have started, VAL-6.

    Produced by :func:`execution_deadline`. ``due`` and ``counted_from`` are aware
    datetimes in Europe/Stockholm; :meth:`explain` says in one sentence when and why.
    Deadlines are equal when their fields are the same instants and values.

    A frozen attrs class like any other (equality, hashing, pickling, ``attrs.evolve``
    and ``attrs.asdict`` work), built lean: :func:`execution_deadline` stores only
    ``due``, ``occurred_at`` and what differs from the defaults, and a field it leaves
    unstored is derived when read (``counted_from`` from ``occurred_at`` and the
    policy; ``agreed_start``, ``provider`` and ``policy`` as their defaults).

    Built by hand, its times may be any aware datetimes and are kept in Stockholm time
    (X-3); a naive one, or one Python cannot represent there, is refused.
    """

    due: datetime = attrs.field(converter=_due, eq=instant)
    """When the assignment must have been executed (Stockholm time)."""
    counted_from: datetime = attrs.field(converter=_counted_from, eq=instant)
    """Where the 24 hours start: the given time, or 07:00 on the next working day."""
    occurred_at: datetime = attrs.field(converter=_occurred_at, eq=instant)
    """The distribution (municipal) or contact (private) as given, in Stockholm time."""
    agreed_start: datetime | None = attrs.field(default=None, converter=_agreed_start, eq=instant)
    """A later start agreed with the customer or set by the needs assessor, if any."""
    provider: ProviderKind = attrs.field(
        default=ProviderKind.MUNICIPAL, validator=instance_of(ProviderKind)
    )
    """Whether the deadline runs from a distribution or a contact."""
    policy: ExecutionDeadlinePolicy = attrs.field(
        default=_DEFAULT_EXECUTION,
        validator=instance_of(ExecutionDeadlinePolicy),
    )
    """The numbers the deadline was computed with."""

    if not TYPE_CHECKING:  # mypy would otherwise accept any attribute name

        def __getattr__(self, name: str) -> object:
            # Called only for a slot execution_deadline left unstored (see the class
            # docstring): derive its value.
            if name == "agreed_start":
                return None
            if name == "provider":
                return ProviderKind.MUNICIPAL
            if name == "policy":
                return _DEFAULT_EXECUTION
            if name == "counted_from":
                return _start_of(self.occurred_at, self.policy)
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    @property
    def requirement(self) -> str:
        """The requirement this deadline implements: ``"VAL-6"``."""
        return "VAL-6"

    @property
    def after_cutoff(self) -> bool:
        """Whether the given time was after the cut-off, moving the start to the next working day."""  # noqa: E501
        return self.counted_from.astimezone(UTC) != self.occurred_at.astimezone(UTC)

    @property
    def computed_due(self) -> datetime:
        """The due time by the rule alone, before any agreed later start."""
        return _elapsed(self.counted_from, self.policy.window)

    @property
    def agreed_start_applies(self) -> bool:
        """Whether an agreed later start moved the due time; instants are compared."""
        return self.agreed_start is not None and self.due.astimezone(
            UTC
        ) != self.computed_due.astimezone(UTC)

    def explain(self, language: Language = "sv") -> str:
        """Explain in one sentence when the deadline falls and why.

        Args:
            language: ``"sv"`` (Swedish, the default) or ``"en"`` (English).

        Times are Stockholm time; the due time is written YYYY-MM-DD HH:MM (seconds
        dropped), the given time with its seconds when it has any.
        """
        check_language(language)
        words = _WORDS[language]
        policy = self.policy
        private = self.provider is ProviderKind.PRIVATE
        values = {
            "window": _hours(policy.window, language),
            "event": words["contact" if private else "distribution"],
            "occurred": format_local(self.occurred_at),
            "counted": format_local(self.counted_from),
            "start": _clock(policy.next_day_start),
            "cutoff": _clock(policy.cutoff),
        }
        basis = words["late" if self.after_cutoff else "in_time"].format(**values)
        computed = self.computed_due
        before = self.counted_from.utcoffset() or timedelta(0)
        after = computed.utcoffset() or timedelta(0)
        if before != after:
            basis += words["forward" if after > before else "back"]
        due = format_due(self.due)
        if self.agreed_start_applies:
            return words["agreed"].format(due=due, computed=format_due(computed), basis=basis)
        if self.agreed_start is not None:
            basis += words["not_moved"].format(agreed=format_local(self.agreed_start))
        return words["plain"].format(due=due, basis=basis)


_WORDS: Final[dict[str, dict[str, str]]] = {
    "sv": {
        "contact": "kontakten med utföraren",
        "distribution": "fördelningen",
        "in_time": "{window} efter {event} {occurred}",
        "late": (
            "{window} från kl. {start} nästa vardag ({counted}), eftersom {event} "
            "{occurred} skedde efter kl. {cutoff}"
        ),
        "forward": " (klockan ställs fram en timme under tiden)",
        "back": " (klockan ställs tillbaka en timme under tiden)",
        "agreed": (
            "Uppdraget ska vara verkställt senast {due}, den överenskomna senare starten; "
            "utan den hade fristen varit {computed}, {basis} (VAL-6)."
        ),
        "not_moved": (
            "; den överenskomna starten {agreed} är inte senare än fristen och flyttar den inte"
        ),
        "plain": "Uppdraget ska vara verkställt senast {due}, {basis} (VAL-6).",
    },
    "en": {
        "contact": "the contact with the provider",
        "distribution": "the distribution",
        "in_time": "{window} after {event} at {occurred}",
        "late": (
            "{window} from {start} on the next working day ({counted}), because {event} "
            "at {occurred} came after {cutoff}"
        ),
        "forward": " (the clocks go forward an hour in between)",
        "back": " (the clocks go back an hour in between)",
        "agreed": (
            "The assignment must be executed by {due}, the agreed later start; without it "
            "the deadline would have been {computed}, {basis} (VAL-6)."
        ),
        "not_moved": (
            "; the agreed start at {agreed} is not later than the deadline and does not move it"
        ),
        "plain": "The assignment must be executed by {due}, {basis} (VAL-6).",
    },
}
"""The words of :meth:`Deadline.explain`, by language."""


def _clock(value: time) -> str:
    return value.strftime("%H:%M") if not value.second else value.strftime("%H:%M:%S")


def _hours(duration: timedelta, language: Language) -> str:
    """Say a window in whole hours and minutes: "1 timme och 1 minut", "30 minuter"."""
    minutes = int(duration.total_seconds() // 60)
    hours, rest = divmod(minutes, 60)
    if language == "sv":
        words = (("timme", "timmar"), ("minut", "minuter"), " och ")
    else:
        words = (("hour", "hours"), ("minute", "minutes"), " and ")
    (hour, hours_word), (minute, minutes_word), joint = words
    parts = []
    if hours or not rest:  # a window under a minute is said as 0 hours
        parts.append(f"1 {hour}" if hours == 1 else f"{hours} {hours_word}")
    if rest:
        parts.append(f"1 {minute}" if rest == 1 else f"{rest} {minutes_word}")
    return joint.join(parts)


_set_due = Deadline.__dict__["due"].__set__
_set_occurred_at = Deadline.__dict__["occurred_at"].__set__
_set_agreed_start = Deadline.__dict__["agreed_start"].__set__
_set_provider = Deadline.__dict__["provider"].__set__
_set_policy = Deadline.__dict__["policy"].__set__
_new = object.__new__
_MUNICIPAL: Final = ProviderKind.MUNICIPAL


def _stockholm_of(given: object) -> datetime:
    """Convert ``counted_from`` to Stockholm time; a UTC datetime with one conversion."""
    if given.__class__ is datetime and given.tzinfo is UTC:
        try:
            return given.astimezone(STOCKHOLM)
        except OverflowError:
            pass
    return as_stockholm(given, "counted_from")


def _provider_kind(value: object) -> ProviderKind:
    if value.__class__ is not ProviderKind:
        raise InvalidInput(
            f"provider must be a ProviderKind (MUNICIPAL or PRIVATE), not {describe(value)}"
        )
    return value


def _start_of(given: datetime, rule: ExecutionDeadlinePolicy) -> datetime:
    """Where the window of a canonical Stockholm time starts: itself or the late start."""
    ordinal = given.toordinal()
    cut, _, _, window = rule._day(ordinal)
    late = given > cut if window is not None else given.astimezone(UTC) > cut.astimezone(UTC)
    return rule._late(ordinal)[0] if late else given


def _new_day(
    given: datetime, rule: ExecutionDeadlinePolicy, ordinal: int
) -> tuple[datetime, _DayInfo]:
    """Return a Stockholm time and its day, on the first call for that day.

    1 January of the year 1 is never kept in the table, so it comes here every time:
    its first hour (before 01:12:12, local mean time) has no UTC instant, and
    as_stockholm refuses it.
    """
    if ordinal == 1:
        given = as_stockholm(given, "counted_from")
    return given, rule._day(ordinal)


def _by_instant(
    given: datetime, rule: ExecutionDeadlinePolicy, ordinal: int
) -> tuple[datetime, datetime]:
    """Return a Stockholm time on a day with a daylight-saving change and its due time.

    Compared and counted by instant, which also normalises a wall-clock time that does
    not exist (in the skipped hour), VAL-6, X-3.
    """
    moment = given.astimezone(UTC)
    given = moment.astimezone(STOCKHOLM)
    if moment > rule._day(ordinal)[0].astimezone(UTC):
        return given, rule._late(ordinal)[1]
    try:
        return given, (moment + rule.window).astimezone(STOCKHOLM)
    except OverflowError:
        return given, _elapsed(given, rule.window)  # which refuses it


def execution_deadline(
    counted_from: datetime,
    *,
    agreed_start: datetime | None = None,
    policy: ExecutionDeadlinePolicy | None = None,
    provider: ProviderKind = ProviderKind.MUNICIPAL,
) -> Deadline:
    """Return the execution deadline (verkställighet inom 24 timmar) of an assignment, VAL-6.

    The provider executes the assignment within 24 hours of the distribution
    (municipal provider) or of the needs assessor's contact (private provider). A
    local time strictly after 14:00:00 counts as 07:00 on the next working day; the
    24 hours are elapsed hours, so across a daylight-saving change the clock time of
    the due moment moves by the hour; every day of the week is treated alike (a
    Saturday 10:00 distribution is due Sunday 10:00). With an agreed later start, the
    due time is the later of the two.

    Args:
        counted_from: the distribution or contact time, any timezone-aware datetime
            (converted to Europe/Stockholm); a naive one raises InvalidInput.
        agreed_start: a later start agreed with the customer or set by the assessor.
        policy: other numbers than the routine's; None means 14:00, 07:00 and 24 h.
        provider: municipal (the default) or private; changes only the explanation.

    Returns:
        A :class:`Deadline` with ``due``, ``counted_from`` and ``explain()``.
    """
    rule = _DEFAULT_EXECUTION if policy is None else _policy(policy, ExecutionDeadlinePolicy)
    given = counted_from
    due = None
    if given.__class__ is not datetime or given.tzinfo is not STOCKHOLM:
        day = None
        if given.__class__ is datetime and given.tzinfo is UTC:
            ordinal = given.toordinal()
            try:
                day = rule._utc_days[ordinal]
            except KeyError:
                day = rule._utc_day(ordinal)
        if day is None:
            given = _stockholm_of(given)
        else:
            # A UTC time on a day without a daylight-saving change: compared with the
            # cut-off instant and moved to Stockholm time by arithmetic, which
            # costs a fraction of the conversion; see ExecutionDeadlinePolicy._utc_day.
            split, before, after = day
            half = 0 if given < split else 1
            cut_utc, cut, late_due, _ = after if half else before
            late = given > cut_utc
            given = cut + (given - cut_utc)
            due = (
                given + rule.window
                if not late
                else late_due
                if late_due is not None
                else rule._utc_late(ordinal, half)
            )
    if due is None:
        ordinal = given.toordinal()
        try:
            cut, _, late_due, window = rule._days[ordinal]
        except KeyError:
            given, (cut, _, late_due, window) = _new_day(given, rule, ordinal)
        if window is None:  # a daylight-saving change on the day or in the window
            given, due = _by_instant(given, rule, ordinal)
        elif given <= cut:  # otherwise wall-clock arithmetic is exact
            due = given + window
        else:
            due = late_due if late_due is not None else rule._late(ordinal)[1]
    # Only what differs from a field's default is stored (see Deadline).
    result: Deadline = _new(Deadline)
    _set_occurred_at(result, given)
    _set_due(result, due)
    if agreed_start is not None or provider is not _MUNICIPAL or rule is not _DEFAULT_EXECUTION:
        _store_options(result, due, agreed_start, provider, rule)
    return result


def _store_options(
    result: Deadline,
    due: datetime,
    agreed_start: object,
    provider: object,
    rule: ExecutionDeadlinePolicy,
) -> None:
    """Store in a Deadline what differs from the defaults: a later agreed start, VAL-6."""
    if agreed_start is not None:
        agreed = as_stockholm(agreed_start, "agreed_start")
        _set_agreed_start(result, agreed)
        if agreed.astimezone(UTC) > due.astimezone(UTC):
            _set_due(result, agreed)
    if provider is not _MUNICIPAL:
        _set_provider(result, _provider_kind(provider))
    if rule is not _DEFAULT_EXECUTION:
        _set_policy(result, rule)


# --------------------------------------------------------------------------- HC-5


@attrs.frozen
class SummonPolicy:
    """Numbers of the summons rule (kalla patienten inom tre veckor), HC-5."""

    period: timedelta = attrs.field(default=timedelta(weeks=3), validator=_whole_days)
    """Time to summon the patient after allocation (inom tre veckor), whole days. HC-5."""
    roll_forward: bool = attrs.field(default=True, validator=flag)
    """Move a due date on a non-working day to the next working day (SFS 1930:173 2 §). HC-5."""
    calendar: WorkCalendar = attrs.field(factory=WorkCalendar.swedish, validator=_calendar)
    """Calendar of working days used when rolling forward. HC-5, X-3."""


def summon_deadline(
    allocated: date,
    *,
    override: date | None = None,
    policy: SummonPolicy | None = None,
) -> date:
    """Due date to summon the patient (kalla patienten) after allocation, HC-5.

    The staff member is expected to summon the patient within three weeks of the
    allocation, unless the team leader sets another time. The due date is the
    allocation date + 21 days, rolled forward to the next working day if it is not
    one (SFS 1930:173). An ``override`` from the team leader replaces it as given; it
    may not lie before the allocation.

    Args:
        allocated: the allocation, a date or an aware datetime (its Stockholm date).
        override: the team leader's own date, if any.
        policy: other numbers than the routine's three weeks.
    """
    rule = _policy(policy, SummonPolicy)
    start = as_date(allocated, "allocated")
    if override is not None:
        chosen = as_date(override, "override")
        if chosen < start:
            raise InvalidInput(
                f"override {chosen.isoformat()} lies before the allocation "
                f"{start.isoformat()}; the team leader's date must be on or after it"
            )
        return chosen
    due = _add_days(start, rule.period, "allocated")
    return rule.calendar.roll_forward(due) if rule.roll_forward else due


# --------------------------------------------------------------------------- VAL-18


@attrs.frozen
class SwitchWindowPolicy:
    """Numbers of the switch window at re-choice (byte inom 7–14 dagar), VAL-18.

    The window is not rolled forward by default: home care runs every day of the
    week, and the routine's window is read as calendar days (the spec's
    interpretation of VAL-18).
    """

    earliest: timedelta = attrs.field(default=timedelta(days=7), validator=_whole_days)
    """First day of the window after both providers were notified (7 dagar). VAL-18."""
    latest: timedelta = attrs.field(default=timedelta(days=14), validator=_whole_days)
    """Last day of the window after both providers were notified (14 dagar). VAL-18."""
    roll_forward: bool = attrs.field(default=False, validator=flag)
    """Move a last day on a non-working day to the next working day. VAL-18."""
    calendar: WorkCalendar = attrs.field(factory=WorkCalendar.swedish, validator=_calendar)
    """Calendar of working days used when rolling forward. VAL-18, X-3."""

    def __attrs_post_init__(self) -> None:
        if self.latest < self.earliest:
            raise InvalidInput(
                f"latest ({self.latest.days} days) must not be before earliest "
                f"({self.earliest.days} days)"
            )


def switch_window(
    first_notified: date,
    second_notified: date,
    *,
    policy: SwitchWindowPolicy | None = None,
) -> tuple[date, date]:
    """Window for the switch of provider at re-choice (byte av utförare vid omval), VAL-18.

    The switch takes place 7–14 days after both providers have been notified, counted
    from the later of the two notifications: the takeover date must lie in
    ``[later + 7 days, later + 14 days]``, both ends included.

    Args:
        first_notified: when one provider was notified, a date or aware datetime.
        second_notified: when the other provider was notified.
        policy: other numbers than the routine's 7 and 14 days.

    Returns:
        ``(first_day, last_day)`` of the window.
    """
    rule = _policy(policy, SwitchWindowPolicy)
    later = max(
        as_date(first_notified, "first_notified"), as_date(second_notified, "second_notified")
    )
    first = _add_days(later, rule.earliest, "the later notification")
    last = _add_days(later, rule.latest, "the later notification")
    if rule.roll_forward:
        last = rule.calendar.roll_forward(last)
    return first, last


# --------------------------------------------------------------------------- OV-8


@attrs.frozen
class ImplementationPlanPolicy:
    """Numbers of the implementation-plan rule (genomförandeplan inom tre veckor), OV-8."""

    period: timedelta = attrs.field(default=timedelta(weeks=3), validator=_whole_days)
    """Time from the first meeting to the implementation plan (inom tre veckor). OV-8."""
    roll_forward: bool = attrs.field(default=True, validator=flag)
    """Move a due date on a non-working day to the next working day (SFS 1930:173 2 §). OV-8."""
    calendar: WorkCalendar = attrs.field(factory=WorkCalendar.swedish, validator=_calendar)
    """Calendar of working days used when rolling forward. OV-8, X-3."""


def implementation_plan_due(
    first_meeting: date, *, policy: ImplementationPlanPolicy | None = None
) -> date:
    """Due date of the implementation plan (genomförandeplan), OV-8.

    After the first meeting the therapist starts treatment and writes the plan with
    the client within three weeks: first meeting + 21 days (a period of weeks ends on
    the same weekday, SFS 1930:173 1 §), rolled forward to a working day (2 §).

    Args:
        first_meeting: the first meeting, a date or an aware datetime.
        policy: other numbers than the routine's three weeks.
    """
    rule = _policy(policy, ImplementationPlanPolicy)
    due = _add_days(as_date(first_meeting, "first_meeting"), rule.period, "first_meeting")
    return rule.calendar.roll_forward(due) if rule.roll_forward else due


# --------------------------------------------------------------------------- OV-9


def _months(instance: object, attribute: attrs.Attribute[int], value: object) -> None:
    if type(value) is not int:
        raise InvalidInput(
            f"{attribute.name} must be a whole number of months (an int), not {describe(value)}"
        )
    if not 1 <= value <= MAX_MONTHS:
        raise InvalidInput(f"{attribute.name} must be from 1 to {MAX_MONTHS} months")


@attrs.frozen
class FollowUpPolicy:
    """Numbers of the follow-up rule (uppföljning minst var tredje månad), OV-9."""

    months: int = attrs.field(default=3, validator=_months)
    """Calendar months from the start or the latest follow-up (var tredje månad). OV-9."""
    roll_forward: bool = attrs.field(default=True, validator=flag)
    """Move a due date on a non-working day to the next working day (SFS 1930:173 2 §). OV-9."""
    calendar: WorkCalendar = attrs.field(factory=WorkCalendar.swedish, validator=_calendar)
    """Calendar of working days used when rolling forward. OV-9, X-3."""


def next_follow_up_due(previous: date, *, policy: FollowUpPolicy | None = None) -> date:
    """Due date of the next follow-up (uppföljning), OV-9.

    Follow-up takes place at least every three months: three calendar months after
    the start of the assignment or after the latest follow-up. A month-end date
    clamps to the shorter month's last day (30 November + 3 months is 28 or 29
    February, SFS 1930:173 1 §), and the result is rolled forward to a working day.

    Args:
        previous: the start of the assignment or the latest follow-up, a date or an
            aware datetime.
        policy: other numbers than the routine's three months.
    """
    rule = _policy(policy, FollowUpPolicy)
    start = as_date(previous, "previous")
    try:
        due: date = start + relativedelta(months=rule.months)
    except (OverflowError, ValueError):
        raise InvalidInput(
            f"previous {start.isoformat()} + {rule.months} months is past the last date "
            "Python can represent"
        ) from None
    return rule.calendar.roll_forward(due) if rule.roll_forward else due


# --------------------------------------------------------------------------- UP-3

QUARTER_HOUR: Final = 15
"""Minutes in the quarter hour granted time is rounded up to (närmsta kvart). UP-3, X-4."""

_QUARTER: Final = timedelta(minutes=QUARTER_HOUR)
_LARGEST_QUARTER: Final = timedelta.max // _QUARTER * _QUARTER
"""The longest granted time that rounds up to a representable timedelta."""


@overload
def round_up_to_quarter(value: int) -> int: ...
@overload
def round_up_to_quarter(value: timedelta) -> timedelta: ...
def round_up_to_quarter(value: int | timedelta) -> int | timedelta:
    """Round granted time up to the nearest quarter hour (avrundas uppåt till närmsta kvart), UP-3.

    Args:
        value: minutes as an int, or a timedelta; 0 or more.

    Returns:
        The same type: the smallest multiple of 15 minutes that is not less than
        ``value`` (a value already on a quarter hour is returned unchanged).
    """
    if type(value) is int:
        if value < 0:
            raise InvalidInput("granted time must be 0 minutes or more")
        return -(-value // QUARTER_HOUR) * QUARTER_HOUR
    if type(value) is timedelta:
        if value < timedelta(0):
            raise InvalidInput("granted time must be 0 or more")
        if value > _LARGEST_QUARTER:
            raise InvalidInput(
                "granted time is too long to round up: the result would pass the longest "
                "timedelta Python can represent"
            )
        quarters, rest = divmod(value, _QUARTER)
        return (quarters + (1 if rest else 0)) * _QUARTER
    raise InvalidInput(
        f"granted time must be minutes as an int or a datetime.timedelta, not {describe(value)}"
    )


# --------------------------------------------------------------------------- helpers


def _add_days(start: date, period: timedelta, name: str) -> date:
    try:
        return start + period
    except OverflowError:
        raise InvalidInput(
            f"{name} {start.isoformat()} + {period.days} days is past the last date Python "
            "can represent"
        ) from None
