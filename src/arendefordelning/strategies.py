"""Hypothesis strategies (teststrategier) for the package's values, for property tests.

Strategies that generate valid values of the kernel's types and the routines' events,
for the project's own tests and for an embedding system's tests::

    from hypothesis import given
    from arendefordelning import strategies

    @given(strategies.events())
    def test_my_store_keeps_events(event): ...

For a routine's table of steps (a :class:`~arendefordelning.kernel.Routine`),
:func:`histories` draws whole case histories a strict replay accepts, and
:func:`commands` a command for a case's state::

    @given(strategies.histories(OUTPATIENT_CARE))
    def test_my_dashboard_reads_any_case(history): ...

This module needs `hypothesis <https://hypothesis.readthedocs.io/>`_, which is not a
dependency of the package: install ``arendefordelning[hypothesis]``. Nothing else in
the package imports it but :mod:`arendefordelning.testing`.

Every value comes from hypothesis' own randomness, so examples replay and shrink.
Times are timezone-aware (X-3); identifiers never hold a personal identity number
(X-7); text fields hold non-blank text of any Unicode letters, including line breaks
and characters that JSON must escape.
"""

from __future__ import annotations

import enum
import typing
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from types import UnionType
from typing import Any, Final, TypeAlias

import attrs

try:
    from hypothesis import reject
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover - exercised in a subprocess without hypothesis
    raise ImportError(
        "arendefordelning.strategies needs hypothesis: pip install 'arendefordelning[hypothesis]'"
    ) from None

from . import eventlog
from ._pii import COORDINATION_OFFSET as _COORDINATION_OFFSET
from ._pii import holds_identity_number
from ._pii import luhn_check_digit as _luhn_check_digit
from ._time import STOCKHOLM, as_stockholm
from ._validators import TELEPHONE, describe, phone_number
from .errors import ArendefordelningError, InvalidInput, NotPermitted
from .identity import PersonalIdentityNumber
from .kernel import Actor, Command, Event, Role, Routine, Step, Suspension, identifier
from .providers import Provider, ProviderKind
from .routines.rotation import RotationList

__all__ = [
    "FieldStrategy",
    "actors",
    "aware_datetimes",
    "case_ids",
    "commands",
    "dates",
    "events",
    "histories",
    "identifiers",
    "personal_identity_numbers",
    "phone_numbers",
    "providers",
    "roles",
    "rotation_lists",
    "stockholm_datetimes",
    "suspensions",
    "texts",
]

_EARLIEST: Final = datetime(2000, 1, 1, tzinfo=STOCKHOLM)
_LATEST: Final = datetime(2100, 12, 31, 23, 59, 59, 999999, tzinfo=STOCKHOLM)
_FIRST_DAY: Final = date(2000, 1, 1)
_LAST_DAY: Final = date(2100, 12, 31)
_ID_FIELD: Final = attrs.fields(Actor).id
# Characters JSON and a log line must handle: a line break, a quote, a backslash, a
# tab, a NUL, a line separator, Swedish letters and a character beyond the BMP.
_AWKWARD: Final = '\n"\\\t\x00\u2028åäöÅÄÖé€😀'
_ALPHABET: Final = st.characters(codec="utf-8") | st.sampled_from(_AWKWARD)


# --------------------------------------------------------------------------- text


def _members(value: object, kind: type, name: str, words: str) -> tuple[Any, ...]:
    """Take a strategy's argument: None for every member, else a non-empty iterable of them.

    Raises:
        InvalidInput: naming the argument and what it takes, at the call (X-7).
    """
    message = f"{name} must be None or a non-empty iterable of {words}"
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidInput(f"{message}, not {describe(value)}")
    chosen = tuple(value)
    if not chosen or not all(isinstance(item, kind) for item in chosen):
        raise InvalidInput(message)
    return chosen


def _size(value: object, name: str, smallest: int) -> int:
    """Take a size argument: an int of at least ``smallest``, never a bool (X-7)."""
    if type(value) is not int or value < smallest:
        raise InvalidInput(f"{name} must be an int of at least {smallest}, not {describe(value)}")
    return value


def texts(*, max_size: int = 40) -> st.SearchStrategy[str]:
    """Strategy for free text (fritext): non-blank text, awkward characters included.

    What the routines' text fields accept (an area, a reason, a note): at least one
    character that is not whitespace. Line breaks, quotes, backslashes, NULs and
    characters beyond the Basic Multilingual Plane are drawn too, so a value tests
    escaping; no lone surrogates, which UTF-8 cannot encode; no personal identity
    number, which the text fields refuse (X-7).
    """
    size = _size(max_size, "max_size", 1)
    return st.text(_ALPHABET, min_size=1, max_size=size).filter(_is_free_text)


def _is_free_text(value: str) -> bool:
    return bool(value.strip()) and not holds_identity_number(value)


def phone_numbers() -> st.SearchStrategy[str]:
    """Strategy for telephone numbers (telefonnummer) as people write them, X-7.

    Swedish numbers in groups (``070-123 45 67``, ``08-123 456 78``) and in the
    international form (``+46 70 123 45 67``): what a telephone-number field accepts.
    """
    digits = st.text("0123456789", min_size=2, max_size=3)
    mobile = st.builds(
        lambda a, b, c, d: f"07{a}-{b} {c} {d}",
        st.sampled_from("02369"),
        st.text("0123456789", min_size=3, max_size=3),
        st.text("0123456789", min_size=2, max_size=2),
        st.text("0123456789", min_size=2, max_size=2),
    )
    landline = st.builds(lambda a, b, c: f"08-{a} {b} {c}", digits, digits, digits)
    international = mobile.map(lambda number: "+46 " + number[1:].replace("-", " ", 1))
    return st.one_of(mobile, landline, international).filter(_is_phone_number)


def _is_phone_number(value: str) -> bool:
    try:
        phone_number("phone", value)
    except InvalidInput:
        return False
    return True


def _is_identifier(value: str) -> bool:
    try:
        identifier(None, _ID_FIELD, value)
    except InvalidInput:
        return False
    return True


def identifiers() -> st.SearchStrategy[str]:
    """Strategy for identifiers (identifierare) as the kernel accepts them, X-7.

    Text of 1–100 characters without leading or trailing whitespace that holds no run
    of digits shaped like a personal identity number: what
    :func:`arendefordelning.kernel.identifier` accepts for a case number or an actor's
    id. Both readable identifiers (``bh-17``) and arbitrary text are drawn.
    """
    readable = st.from_regex(r"[a-zåäö]{1,4}-[0-9]{1,5}", fullmatch=True)
    arbitrary = st.text(_ALPHABET, min_size=1, max_size=100).filter(_is_identifier)
    return st.one_of(readable, arbitrary)


def case_ids() -> st.SearchStrategy[str]:
    """Strategy for case numbers (ärendenummer): identifiers with no identity number, X-7.

    Case-number-shaped values (``K-1``, ``2026-0415``) and arbitrary valid identifiers.
    """
    shaped = st.from_regex(r"[A-ZÅÄÖ]{1,3}-[0-9]{1,6}|20[0-9]{2}-[0-9]{1,5}", fullmatch=True)
    return st.one_of(shaped, identifiers())


# --------------------------------------------------------------------------- roles and actors


def roles() -> st.SearchStrategy[Role]:
    """Strategy for roles (roll): any :class:`~arendefordelning.kernel.Role`, X-2."""
    return st.sampled_from(Role)


def actors(roles: Iterable[Role] | None = None) -> st.SearchStrategy[Actor]:
    """Strategy for actors (aktör): an identifier and a role, X-2.

    Args:
        roles: The roles to draw from; None for every role.

    Raises:
        InvalidInput: when ``roles`` is empty or holds something that is not a Role.
    """
    chosen = tuple(Role) if roles is None else _members(roles, Role, "roles", "Role values")
    return st.builds(Actor, identifiers(), st.sampled_from(chosen))


# --------------------------------------------------------------------------- times


def _naive_utc(value: datetime) -> datetime:
    return value.astimezone(UTC).replace(tzinfo=None)


def _last_sunday(year: int, month: int) -> date:
    day = date(year, month + 1, 1) - timedelta(days=1)
    return day - timedelta(days=(day.weekday() + 1) % 7)


@st.composite
def _dst_edges(draw: st.DrawFn, first_year: int, last_year: int) -> datetime:
    """Draw a moment within two hours of a Stockholm clock change (01:00 UTC, last Sundays)."""
    year = draw(st.integers(first_year, last_year))
    month = draw(st.sampled_from((3, 10)))
    change = datetime.combine(_last_sunday(year, month), time(1), tzinfo=UTC)
    offset = draw(st.integers(-7200, 7200))
    return (change + timedelta(seconds=offset)).astimezone(STOCKHOLM)


def stockholm_datetimes(
    min_value: datetime = _EARLIEST, max_value: datetime = _LATEST
) -> st.SearchStrategy[datetime]:
    """Strategy for Stockholm times (svensk tid): aware datetimes in Europe/Stockholm, X-3.

    Draws from the whole range and, often, from the two hours around a change to or
    from summer time, so both occurrences of the repeated hour in October
    (``fold=0`` and ``fold=1``) come up; times that do not exist (the skipped hour in
    March) never do. Values satisfy ``min_value <= value <= max_value``.

    Args:
        min_value: The earliest value, an aware datetime; 2000-01-01 00:00 by default.
        max_value: The latest value, an aware datetime; the end of 2100 by default.

    Raises:
        InvalidInput: for a naive bound or ``max_value`` before ``min_value``.
    """
    low, high = _bounds(min_value, max_value)
    first, last = low.astimezone(UTC), high.astimezone(UTC)
    # Drawn as UTC instants: every instant between the bounds can come up, none outside,
    # and no wall-clock time that does not exist; Stockholm wall clocks would cover the
    # repeated hour in October wrongly.
    anywhere = st.datetimes(_naive_utc(first), _naive_utc(last)).map(
        lambda value: value.replace(tzinfo=UTC).astimezone(STOCKHOLM)
    )
    if last - first >= timedelta(days=366):
        edges = _dst_edges(low.year, high.year).filter(
            lambda value: first <= value.astimezone(UTC) <= last
        )
        return st.one_of(anywhere, edges)
    return anywhere


def _bounds(min_value: datetime, max_value: datetime) -> tuple[datetime, datetime]:
    """Check and return the bounds in Stockholm time, compared by instant."""
    low = as_stockholm(min_value, "min_value")
    high = as_stockholm(max_value, "max_value")
    if high.astimezone(UTC) < low.astimezone(UTC):
        raise InvalidInput("max_value must not be before min_value")
    return low, high


def _fixed_offsets() -> st.SearchStrategy[tzinfo]:
    quarters = st.integers(-14 * 4, 14 * 4).map(lambda q: timezone(timedelta(minutes=15 * q)))
    return st.one_of(st.just(UTC), st.just(STOCKHOLM), quarters)


def aware_datetimes(
    min_value: datetime = _EARLIEST, max_value: datetime = _LATEST
) -> st.SearchStrategy[datetime]:
    """Strategy for aware datetimes (tidpunkt med tidszon) in other offsets too, X-3.

    Stockholm times (as :func:`stockholm_datetimes`), and times in UTC and in fixed
    offsets from -14:00 to +14:00 in quarter hours: what a caller may pass to a
    function that converts to Stockholm time. Values satisfy
    ``min_value <= value <= max_value``.

    Raises:
        InvalidInput: for a naive bound or ``max_value`` before ``min_value``.
    """
    low, high = _bounds(min_value, max_value)
    elsewhere = st.tuples(stockholm_datetimes(low, high), _fixed_offsets()).map(
        lambda pair: pair[0].astimezone(pair[1])
    )
    return st.one_of(stockholm_datetimes(low, high), elsewhere)


def dates(min_value: date = _FIRST_DAY, max_value: date = _LAST_DAY) -> st.SearchStrategy[date]:
    """Strategy for plain dates (datum) from 2000 to 2100 by default, never datetimes.

    Raises:
        InvalidInput: for bounds that are not plain dates, or a ``min_value`` after
            ``max_value``.
    """
    for name, value in (("min_value", min_value), ("max_value", max_value)):
        if type(value) is not date:
            raise InvalidInput(f"{name} must be a datetime.date, not {describe(value)}")
    if min_value > max_value:
        raise InvalidInput("min_value must not be after max_value")
    return st.dates(min_value, max_value)


# --------------------------------------------------------------------------- values


def providers(kinds: Iterable[ProviderKind] | None = None) -> st.SearchStrategy[Provider]:
    """Strategy for providers (utförare): a valid name and a kind.

    Names are 1–60 characters without leading or trailing whitespace, Swedish letters
    and other Unicode included.

    Args:
        kinds: The kinds to draw from; None for municipal and private.

    Raises:
        InvalidInput: when ``kinds`` is empty or holds something that is not a
            ProviderKind.
    """
    chosen = (
        tuple(ProviderKind)
        if kinds is None
        else _members(kinds, ProviderKind, "kinds", "ProviderKind values")
    )
    names = st.one_of(
        st.from_regex(r"[A-ZÅÄÖ][a-zåäöé]{1,12}( [A-ZÅÄÖ][a-zåäö]{1,12})?", fullmatch=True),
        texts(max_size=60).map(str.strip),
    )
    return st.builds(Provider, names, st.sampled_from(chosen))


@st.composite
def suspensions(draw: st.DrawFn) -> Suspension:
    """Strategy for suspensions (uppehåll): a start, an end or None, and a reason.

    The end, when there is one, is not before the start; the reason may be empty.
    """
    start = draw(stockholm_datetimes())
    end: datetime | None = None
    if draw(st.booleans()):
        length = draw(st.timedeltas(timedelta(0), timedelta(days=400)))
        # Elapsed time through UTC: wall-clock arithmetic in the repeated October hour
        # could put the end before the start.
        latest = _LATEST.astimezone(UTC)
        end = min(start.astimezone(UTC) + length, latest).astimezone(STOCKHOLM)
    reason = draw(st.one_of(st.just(""), texts()))
    return Suspension(start, end, reason)


@st.composite
def _personal_identity_numbers(
    draw: st.DrawFn, coordination: bool | None, incomplete: bool | None
) -> PersonalIdentityNumber:
    """Draw one number; the arguments are checked by :func:`personal_identity_numbers`."""
    born = draw(st.dates(date(1900, 1, 1), date(2024, 12, 31)))
    hide = coordination is not False and (draw(st.booleans()) if incomplete is None else incomplete)
    hidden = draw(st.sampled_from(("month", "day", "both"))) if hide else ""
    if hide:
        is_coordination = True
    else:
        is_coordination = draw(st.booleans()) if coordination is None else coordination
    month = 0 if hidden in ("month", "both") else born.month
    day = 0 if hidden in ("day", "both") else born.day
    day += _COORDINATION_OFFSET if is_coordination else 0
    nine = f"{born.year % 100:02d}{month:02d}{day:02d}{draw(st.integers(1, 999)):03d}"
    digits = f"{born.year // 100:02d}{nine}{_luhn_check_digit(nine)}"
    return PersonalIdentityNumber.parse(f"{digits[:8]}-{digits[8:]}", today=date(2025, 1, 1))


def personal_identity_numbers(
    coordination: bool | None = None, incomplete: bool | None = False
) -> st.SearchStrategy[PersonalIdentityNumber]:
    """Strategy for personal identity numbers (personnummer, samordningsnummer), X-7.

    Valid numbers for birth years from 1900 through 2024: a birth date, a birth number
    001–999 and the Luhn check digit, read with :meth:`PersonalIdentityNumber.parse`.
    An incomplete birth date is a samordningsnummer with month ``00``, day ``60`` or
    both, as Skatteverket issues them. The numbers are generated test data, not
    numbers of real people.

    Args:
        coordination: True for samordningsnummer only (the day plus 60), False for
            personnummer only, None for both.
        incomplete: False (the default) for complete birth dates only, True for
            incomplete ones only (samordningsnummer), None for both.

    Raises:
        InvalidInput: when an argument is not True, False or None, or when
            ``incomplete`` is True and ``coordination`` is False: a personnummer
            always has a complete birth date.
    """
    for name, value in (("coordination", coordination), ("incomplete", incomplete)):
        if value is not None and not isinstance(value, bool):
            raise InvalidInput(f"{name} must be True, False or None, not {type(value).__name__}")
    if incomplete is True and coordination is False:
        raise InvalidInput(
            "incomplete=True draws samordningsnummer only, so coordination must be True or "
            "None: a personnummer always has a complete birth date"
        )
    return _personal_identity_numbers(coordination, incomplete)


def rotation_lists(max_providers: int = 6) -> st.SearchStrategy[RotationList]:
    """Strategy for rotation lists (akut- och ickevalslistan): valid lists, VAL-2.

    An area's list of up to ``max_providers`` providers with distinct names, in
    Swedish alphabetical or a given order, joined on one day, with some capacity caps
    and pauses and the turn anywhere on the list.

    Raises:
        InvalidInput: when ``max_providers`` is not an int of at least 0.
    """
    return _rotation_lists(_size(max_providers, "max_providers", 0))


@st.composite
def _rotation_lists(draw: st.DrawFn, max_providers: int) -> RotationList:
    area = draw(texts(max_size=30).map(str.strip))
    chosen = draw(
        st.lists(providers(), max_size=max_providers, unique_by=lambda provider: provider.name)
    )
    joined = draw(dates(_FIRST_DAY, date(2090, 12, 31)))
    build = draw(st.sampled_from((RotationList.alphabetical, RotationList.in_order)))
    rotation = build(area, chosen, joined=joined)
    for provider in chosen:
        if draw(st.booleans()):
            rotation = rotation.set_cap(provider, draw(st.integers(0, 5)))
        if draw(st.booleans()):
            start = joined + timedelta(days=draw(st.integers(0, 60)))
            length = draw(st.none() | st.integers(1, 60))
            end = None if length is None else start + timedelta(days=length)
            rotation = rotation.pause(provider, start, end)
    if chosen:
        rotation = attrs.evolve(rotation, turn=draw(st.integers(0, len(chosen) - 1)))
    return rotation


# --------------------------------------------------------------------------- events


def _strategy_for(kind: object, owner: str) -> st.SearchStrategy[Any]:
    """Strategy for a field's resolved type, as the event log can write it."""
    simple: dict[object, st.SearchStrategy[Any]] = {
        str: texts(),
        bool: st.booleans(),
        int: st.integers(-1, 10) | st.integers(-(2**31), 2**31),  # small counts often
        datetime: stockholm_datetimes(),
        date: dates(),
        Provider: providers(),
        Actor: actors(),
    }
    if kind in simple:
        return simple[kind]
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return st.sampled_from(kind)
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin in (typing.Union, UnionType):
        return st.one_of(*(st.none() if a is type(None) else _strategy_for(a, owner) for a in args))
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return st.lists(_strategy_for(args[0], owner), max_size=4).map(tuple)
    if isinstance(kind, type) and attrs.has(kind):
        return _builds(kind)
    raise TypeError(f"{owner}: no strategy for the type {kind!r}")


def _builds(
    cls: type, given: dict[str, st.SearchStrategy[Any]] | None = None
) -> st.SearchStrategy[Any]:
    """Draw ``cls`` with each field from its type, or from ``given`` for the fields named.

    A combination the class's own checks refuse is discarded.
    """
    hints = typing.get_type_hints(cls)
    fields = dict(given or {})
    for field in attrs.fields(cls):
        if field.init and field.name not in fields:
            owner = f"{cls.__name__}.{field.name}"
            if field.metadata.get("kind") == TELEPHONE:
                numbers = st.lists(phone_numbers(), max_size=3).map(tuple)
                fields[field.alias or field.name] = numbers
                continue
            kind = hints[field.name]
            args = typing.get_args(kind)
            if kind is str and identifier in _checks(field):
                fields[field.alias or field.name] = identifiers()
                continue
            if typing.get_origin(kind) is tuple and len(args) == 2 and args[1] is Ellipsis:
                # Only members the field accepts (a meeting's parties among all roles).
                fields[field.alias or field.name] = _tuple_field(cls, field, args[0])
                continue
            fields[field.alias or field.name] = _strategy_for(kind, owner)

    @st.composite
    def build(draw: st.DrawFn) -> Any:
        values = {name: draw(strategy) for name, strategy in fields.items()}
        try:
            return cls(**values)
        except InvalidInput:
            reject()

    return build()


_EVENT_STRATEGIES: Final[dict[type[Event], st.SearchStrategy[Event]]] = {}


def _event_strategy(cls: type[Event]) -> st.SearchStrategy[Event]:
    found = _EVENT_STRATEGIES.get(cls)
    if found is None:
        # The envelope's fields get their own strategies: a case number and any aware
        # time; recorded when it happened, or later (never before, X-1).
        envelope = {
            "case": case_ids(),
            "at": aware_datetimes(max_value=_LATEST - _LONGEST_DELAY),
            "actor": actors(),
            "recorded_at": st.none(),
        }
        found = _EVENT_STRATEGIES[cls] = st.tuples(
            _builds(cls, envelope), st.none() | st.timedeltas(timedelta(0), _LONGEST_DELAY)
        ).map(_recorded_later)
    return found


_LONGEST_DELAY: Final = timedelta(days=30)
"""The longest a drawn event waits to be recorded."""


def _recorded_later(drawn: tuple[Event, timedelta | None]) -> Event:
    event, delay = drawn
    if delay is None:
        return event
    later = (event.at.astimezone(UTC) + delay).astimezone(STOCKHOLM)
    return attrs.evolve(event, recorded_at=later)


def events(types: Iterable[type[Event]] | None = None) -> st.SearchStrategy[Event]:
    """Strategy for events (händelse) of the routines, valid and of every kind, X-1.

    Each drawn event is of one of ``types`` with every field drawn from its type: a
    case number, an aware ``at`` in any offset (the event keeps it in Stockholm time),
    an actor, non-blank text, dates, Stockholm times (as events keep them, X-3),
    enums, providers, optional values and tuples.
    A combination a class's own checks refuse is discarded (hypothesis draws again).

    Args:
        types: Event classes to draw from; None for every class the event log knows
            (:data:`arendefordelning.eventlog.EVENT_TYPES`).

    Raises:
        InvalidInput: when ``types`` is not a non-empty iterable of attrs Event classes.
        TypeError: for an Event class with a field type that has no strategy.
    """
    chosen = (
        tuple(eventlog.EVENT_TYPES.values())
        if types is None
        else _members(types, type, "types", "Event classes")
    )
    for cls in chosen:
        given: object = cls
        if not (isinstance(given, type) and issubclass(given, Event) and attrs.has(given)):
            raise InvalidInput(f"types must hold attrs subclasses of Event, not {describe(given)}")
    kinds = st.sampled_from(chosen)

    @st.composite
    def draw_event(draw: st.DrawFn) -> Event:
        # One type, then an event of it: the strategy's repr stays short (hypothesis
        # writes it into notes), however many event types the routines have.
        return draw(_event_strategy(draw(kinds)))

    return draw_event()


# --------------------------------------------------------------------------- commands and histories

_E = typing.TypeVar("_E", bound=Event)

FieldStrategy: TypeAlias = st.SearchStrategy[Any] | Callable[[Any], st.SearchStrategy[Any]]
"""What ``fields=`` gives for a command field: a strategy, or a function of the case's
state that returns one, for a value only the case can tell (a time among those offered)."""

_ENVELOPE: Final = frozenset(("case", "at", "actor", "recorded_at"))
_ROLE_ORDER: Final = {role: index for index, role in enumerate(Role)}
_ATTEMPTS: Final = 5
"""How many times a command's fields are drawn before the step is given up."""
_FIRST_AT: Final = (
    datetime(2000, 1, 1, tzinfo=STOCKHOLM),
    datetime(2090, 12, 31, tzinfo=STOCKHOLM),
)
"""Where a drawn case's first step happens: far enough from the calendar's edges."""
_GAPS: Final = st.one_of(
    st.timedeltas(timedelta(0), timedelta(days=1)),
    st.timedeltas(timedelta(0), timedelta(days=120)),
)
"""How long after the latest recorded step the next one happens: hours, or up to months."""
_LAGS: Final = st.none() | st.timedeltas(timedelta(0), timedelta(days=3))
"""How long after it happens a drawn step is recorded (None: as it happens)."""
_NEAR: Final = (timedelta(days=-30), timedelta(days=90))
"""Where a command's own dates and times lie, from when it happens."""


def _table(routine: object, caller: str) -> Routine[Any, Any, Any]:
    if not isinstance(routine, Routine):
        raise InvalidInput(
            f"{caller} draws from a routine's table of steps (a Routine), not {describe(routine)}"
        )
    return routine


def _later(moment: datetime, delay: timedelta) -> datetime:
    """Add elapsed time (through UTC: never a wall clock that does not exist)."""
    return (moment.astimezone(UTC) + delay).astimezone(STOCKHOLM)


def _checks(field: attrs.Attribute[Any]) -> tuple[object, ...]:
    """Return a field's validators, those of an ``and_`` one by one."""
    found = field.validator
    if found is None:
        return ()
    return tuple(getattr(found, "_validators", (found,)))


def _accepts(field: attrs.Attribute[Any], value: object) -> bool:
    """Whether the field's converter and validators accept ``value`` on their own.

    A check that needs the rest of the instance cannot say: the value counts as
    accepted, and the class's own construction decides.
    """
    converter: Any = field.converter
    try:
        converted = value if converter is None else converter(value)
        for check in _checks(field):
            typing.cast(Any, check)(None, field, converted)
    except InvalidInput:
        return False
    except Exception:  # a check that needs the instance: let the class decide
        return True
    return True


def _items(field: attrs.Attribute[Any], item: object) -> tuple[tuple[object, ...], bool]:
    """Return the members a tuple field of enum items accepts one by one, and if it takes ()."""
    members: tuple[object, ...] = ()
    if isinstance(item, type) and issubclass(item, enum.Enum):
        members = tuple(m for m in item if _accepts(field, (m,))) or tuple(item)
    return members, _accepts(field, ())


class _Near(typing.NamedTuple):
    """A command's date or time as drawn: how far from when the command happens."""

    delay: timedelta
    day: bool


_NEAR_TIMES: Final = st.builds(_Near, st.timedeltas(*_NEAR), st.just(False))
_NEAR_DAYS: Final = st.builds(
    _Near, st.integers(_NEAR[0].days, _NEAR[1].days).map(lambda n: timedelta(days=n)), st.just(True)
)


def _placed(value: object, at: datetime) -> object:
    """Place a drawn date or time near ``at``; any other value as it was drawn."""
    if not isinstance(value, _Near):
        return value
    if value.day:
        return at.astimezone(STOCKHOLM).date() + value.delay
    return _later(at, value.delay)


def _command_field(cls: type, field: attrs.Attribute[Any], kind: object) -> st.SearchStrategy[Any]:
    """Strategy for one of a command's own fields, from its type and what its checks expect.

    Text for an identifier field is drawn as identifiers; dates and times lie near
    when the command happens (an optional one is None or such a value); a tuple is
    drawn by :func:`_tuple_field`; anything else as :func:`events` draws it.
    """
    if field.metadata.get("kind") == TELEPHONE:
        return st.lists(phone_numbers(), max_size=3).map(tuple)
    if kind is str and identifier in _checks(field):
        return identifiers()
    near: dict[object, st.SearchStrategy[Any]] = {
        datetime: _NEAR_TIMES,
        date: _NEAR_DAYS,
        RotationList: rotation_lists(),
    }
    found = near.get(kind)
    if found is not None:
        return found
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    rest = [a for a in args if a is not type(None)]
    if origin in (typing.Union, UnionType) and len(rest) == 1 and rest[0] in near:
        return st.none() | near[rest[0]]
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return _tuple_field(cls, field, args[0])
    return _strategy_for(kind, f"{cls.__name__}.{field.name}")


def _tuple_field(cls: type, field: attrs.Attribute[Any], item: object) -> st.SearchStrategy[Any]:
    """Strategy for a tuple field: not empty where the field refuses an empty one.

    A tuple of enum members holds each member once, and only members the field
    accepts on their own (the parties of a meeting among all roles); a tuple of text
    holds distinct identifiers (a staff id is text too).
    """
    members, empty = _items(field, item)
    smallest = 0 if empty else 1
    if members:
        most = max(smallest, min(len(members), 4))
        chosen = st.lists(st.sampled_from(members), min_size=smallest, max_size=most, unique=True)
        return chosen.map(tuple)
    if item is str:
        return st.lists(identifiers(), min_size=smallest, max_size=3, unique=True).map(tuple)
    owner = f"{cls.__name__}.{field.name}"
    return st.lists(_strategy_for(item, owner), min_size=smallest, max_size=3).map(tuple)


_PLANS: Final[dict[type, dict[str, st.SearchStrategy[Any]]]] = {}


def _plan(cls: type) -> dict[str, st.SearchStrategy[Any]]:
    """Strategies for a command class's own fields, by name; made once per class."""
    found = _PLANS.get(cls)
    if found is None:
        hints = typing.get_type_hints(cls)
        found = _PLANS[cls] = {
            field.alias or field.name: _command_field(cls, field, hints[field.name])
            for field in attrs.fields(cls)
            if field.init and field.name not in _ENVELOPE
        }
    return found


def _in_order(roles: Iterable[Role]) -> list[Role]:
    return sorted(roles, key=_ROLE_ORDER.__getitem__)


def _enabled(routine: Routine[Any, Any, Any], state: Any) -> list[Step[Any, Any]]:
    """Return the steps the state allows, in the table's order (a frozenset has none)."""
    allowed = routine.allowed_commands(state)
    return [step for step in routine.steps if step.request in allowed]


def _pick(draw: st.DrawFn, items: Sequence[Any]) -> Any:
    """Draw one of ``items`` (shrinking towards the first)."""
    return items[draw(st.integers(0, len(items) - 1))] if len(items) > 1 else items[0]


def _choose(
    draw: st.DrawFn, tried: typing.AbstractSet[str], steps: Sequence[Step[Any, Any]]
) -> Any:
    """Choose the next step: mostly one not tried yet, and one ending the case now and then.

    Without the preference a walk spends its length on the steps taken again and
    again, and ends at the first chance to close; with it, the later steps come up.
    """
    pool = list(steps)
    ongoing = [step for step in pool if not step.terminal]
    if ongoing and len(ongoing) < len(pool) and draw(st.integers(0, 7)) != 7:
        pool = ongoing
    fresh = [step for step in pool if step.name not in tried]
    if fresh and len(fresh) < len(pool) and draw(st.integers(0, 3)) != 3:
        pool = fresh
    return _pick(draw, pool)


_STAFF: Final = st.integers(1, 9).map(lambda n: f"aktör-{n}")
"""The actors of a drawn case: a few staff ids (what they are does not change a routine)."""
_CASE_IDS: Final = case_ids()
_FIRST_STEPS: Final = stockholm_datetimes(*_FIRST_AT)


def _draw_command(
    draw: st.DrawFn,
    state: Any,
    steps: Sequence[Step[Any, Any]],
    *,
    roles: Sequence[Role] | None,
    fields: typing.Mapping[str, FieldStrategy],
    tried: set[str] | None = None,
) -> Event | Command | None:
    """Draw a request for one of ``steps``; None when its fields were refused every time.

    ``tried`` collects the steps a walk has tried (its preference: those not tried
    yet); without it, the steps the state has taken count.
    """
    step = _choose(draw, state.taken if tried is None else tried, steps)
    if tried is not None:
        tried.add(step.name)
    actor = Actor(draw(_STAFF), _pick(draw, roles or _in_order(step.roles)))
    until = state.recorded_until
    at = _later(draw(_FIRST_STEPS) if until is None else until, draw(_GAPS))
    lag = draw(_LAGS)
    envelope = {
        "case": state.case if state.case is not None else draw(_CASE_IDS),
        "at": at,
        "actor": actor,
        "recorded_at": None if lag is None else _later(at, lag),
    }
    plan = _plan(step.request)
    strategies = {
        name: _for_state(fields.get(name, strategy), state, name) for name, strategy in plan.items()
    }
    for _ in range(_ATTEMPTS):
        values = {name: _placed(draw(strategy), at) for name, strategy in strategies.items()}
        try:
            return typing.cast(Event | Command, step.request(**envelope, **values))
        except InvalidInput:
            continue
    return None


def _for_state(given: FieldStrategy, state: Any, name: str) -> st.SearchStrategy[Any]:
    """Return a field's strategy: the one given, or what its function makes of the state."""
    if isinstance(given, st.SearchStrategy):
        return given
    made = given(state)
    if not isinstance(made, st.SearchStrategy):
        raise InvalidInput(
            f"fields[{name!r}] must be a strategy or a function of the state returning one, "
            f"and returned {describe(made)}"
        )
    return made


def _steps_for(
    routine: Routine[Any, Any, Any],
    state: Any,
    kinds: Iterable[type[Event] | type[Command]] | None,
) -> list[Step[Any, Any]]:
    if kinds is None:
        steps = _enabled(routine, state)
        if not steps:
            raise InvalidInput(
                f"no command of routine {routine.code} is allowed when the case is "
                f"{routine.describe(state)}; pass kinds= to draw one the state refuses"
            )
        return steps
    wanted = tuple(kinds)
    steps = [routine.step_of(kind) for kind in wanted]
    if not steps:
        raise InvalidInput("kinds must be None or a non-empty iterable of command classes")
    return steps


def commands(
    routine: Routine[Any, Any, Any],
    state: Any,
    *,
    kinds: Iterable[type[Event | Command]] | None = None,
    roles: Iterable[Role] | None = None,
    fields: typing.Mapping[str, FieldStrategy] | None = None,
) -> st.SearchStrategy[Any]:
    """Strategy for requests (kommando) of a routine in a case's state, X-1, X-2.

    A request is what ``decide`` takes: a step's event, or its command where it has
    one. By default a request the state allows (:meth:`Routine.allowed_commands`), issued
    by an actor in a role its step names, for the case of the state (a drawn case
    number for a new case), happening after the case's latest step was recorded and
    recorded then or a little later, so that ``decide`` sees it in recording order.
    Its own fields are drawn from their types as :func:`events` draws them, and as
    their checks expect (see ``fields``). A drawn command may still be one
    ``decide`` refuses for its input (a date outside a window); a combination the
    command class refuses is drawn again a few times, then discarded.

    Args:
        routine: A :class:`~arendefordelning.kernel.Routine`.
        state: The case's state, from the routine's ``replay`` or ``initial_state``.
        kinds: The command classes to draw from, allowed in the state or not; None
            for the commands the state allows.
        roles: The roles to draw the actor's from, named by the step or not; None
            for the roles the step names.
        fields: Strategies for command fields by name (``{"participants": ...}``),
            for a field whose values its type cannot tell; or, for a value only the
            case can tell, a function of the state returning one
            (``{"start": lambda state: st.sampled_from(state.offered)}``).

    Raises:
        InvalidInput: for a routine that is not a table of steps, a state of
            another routine, no command allowed in the state (without ``kinds``),
            a class that is no command of the routine, or empty ``roles``.
    """
    table = _table(routine, "commands")
    table.allowed_commands(state)  # checks the state
    steps = _steps_for(table, state, kinds)
    chosen = None if roles is None else _in_order(roles)
    if chosen is not None and (not chosen or not all(isinstance(r, Role) for r in chosen)):
        raise InvalidInput("roles must be None or a non-empty iterable of Role values")
    given = dict(fields or {})

    @st.composite
    def draw_command(draw: st.DrawFn) -> Any:
        command = _draw_command(draw, state, steps, roles=chosen, fields=given)
        if command is None:
            reject()
        return command

    return draw_command()


class _Taken(typing.NamedTuple):
    """A step taken in a drawn history: the state before it, its command, its events."""

    before: Any
    command: Event | Command
    events: list[Event]


def _walk(
    draw: st.DrawFn,
    routine: Routine[Any, Any, Any],
    max_size: int,
    fields: typing.Mapping[str, FieldStrategy],
) -> list[_Taken]:
    """Walk through a routine: up to ``max_size`` tries of an allowed step, each decided.

    A step whose drawn command ``decide`` refuses for its input is skipped; a
    refusal for the role (the role is one the step names) is the routine's error and
    is raised, unless the step's roles depend on the event's data (``roles_for``).
    """
    state = routine.initial_state
    taken: list[_Taken] = []
    tried: set[str] = set()
    for _ in range(draw(st.integers(0, max_size))):
        steps = _enabled(routine, state)
        if not steps:
            break
        command = _draw_command(draw, state, steps, roles=None, fields=fields, tried=tried)
        if command is None:
            continue
        try:
            new = routine.decide(command, state)
        except NotPermitted:
            # A role the step names, refused: the routine's error, unless the step's
            # roles depend on the event's data (roles_for) and these data rule it out.
            if routine.step_of(type(command)).roles_for is None:
                raise
            continue
        except ArendefordelningError:
            continue
        taken.append(_Taken(state, command, new))
        state = routine.replay(new, state)
    return taken


def _max_size(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise InvalidInput(f"max_size must be a non-negative int, not {describe(value)}")
    return value


def histories(
    routine: Routine[Any, _E, Any],
    *,
    max_size: int = 20,
    fields: typing.Mapping[str, FieldStrategy] | None = None,
) -> st.SearchStrategy[list[_E]]:
    """Strategy for case histories (ärendehistorik): events a strict replay accepts, X-1.

    A random walk through the routine's table: from a new case, up to ``max_size``
    times, one of the steps the state allows, its command drawn as :func:`commands`
    draws it and decided by the routine; a command ``decide`` refuses for its input
    is skipped, never retried for ever. Every history is one case's, in recording
    order, and ``routine.replay(history, strict=True)`` accepts it; shrinking makes
    it shorter. Steps that end the case are taken now and then, not at every
    chance, so long histories come up.

    Args:
        routine: A :class:`~arendefordelning.kernel.Routine`.
        max_size: The most steps tried; a history has at most this many events.
        fields: Strategies for command fields by name, as for :func:`commands`.

    Raises:
        InvalidInput: for a routine that is not a table of steps, or a bad
            ``max_size``.
        NotPermitted: while drawing, when the routine refuses a role its own table
            names for the step: the routine's error, which the test should show.
    """
    table = _table(routine, "histories")
    most = _max_size(max_size)
    given = dict(fields or {})

    @st.composite
    def draw_history(draw: st.DrawFn) -> list[_E]:
        walk = _walk(draw, table, most, given)
        return [typing.cast(_E, event) for taken in walk for event in taken.events]

    return draw_history()
