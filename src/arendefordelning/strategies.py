"""Hypothesis strategies (teststrategier) for the package's values, for property tests.

Strategies that generate valid values of the kernel's types and the routines' events,
for the project's own tests and for an embedding system's tests::

    from hypothesis import given
    from arendefordelning import strategies

    @given(strategies.events())
    def test_my_store_keeps_events(event): ...

This module needs `hypothesis <https://hypothesis.readthedocs.io/>`_, which is not a
dependency of the package: install ``arendefordelning[hypothesis]``. Nothing else in
the package imports it.

Every value comes from hypothesis' own randomness, so examples replay and shrink.
Times are timezone-aware (X-3); identifiers never hold a personal identity number
(X-7); text fields hold non-blank text of any Unicode letters, including line breaks
and characters that JSON must escape.
"""

from __future__ import annotations

import enum
import typing
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from types import UnionType
from typing import Any, Final

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
from ._validators import TELEPHONE, phone_number
from .errors import InvalidInput
from .identity import PersonalIdentityNumber
from .kernel import Actor, Event, Role, Suspension, identifier
from .providers import Provider, ProviderKind
from .routines.rotation import RotationList

__all__ = [
    "actors",
    "aware_datetimes",
    "case_ids",
    "dates",
    "events",
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


def texts(*, max_size: int = 40) -> st.SearchStrategy[str]:
    """Strategy for free text (fritext): non-blank text, awkward characters included.

    What the routines' text fields accept (an area, a reason, a note): at least one
    character that is not whitespace. Line breaks, quotes, backslashes, NULs and
    characters beyond the Basic Multilingual Plane are drawn too, so a value tests
    escaping; no lone surrogates, which UTF-8 cannot encode; no personal identity
    number, which the text fields refuse (X-7).
    """
    return st.text(_ALPHABET, min_size=1, max_size=max_size).filter(_is_free_text)


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
    chosen = tuple(Role) if roles is None else tuple(roles)
    if not chosen or not all(isinstance(role, Role) for role in chosen):
        raise InvalidInput("roles must be None or a non-empty iterable of Role values")
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
    """Strategy for plain dates (datum) from 2000 to 2100 by default, never datetimes."""
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
    chosen = tuple(ProviderKind) if kinds is None else tuple(kinds)
    if not chosen or not all(isinstance(kind, ProviderKind) for kind in chosen):
        raise InvalidInput("kinds must be None or a non-empty iterable of ProviderKind values")
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


@st.composite
def rotation_lists(draw: st.DrawFn, max_providers: int = 6) -> RotationList:
    """Strategy for rotation lists (akut- och ickevalslistan): valid lists, VAL-2.

    An area's list of up to ``max_providers`` providers with distinct names, in
    Swedish alphabetical or a given order, joined on one day, with some capacity caps
    and pauses and the turn anywhere on the list.
    """
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
        int: st.integers(-(2**31), 2**31),
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
            fields[field.alias or field.name] = _strategy_for(hints[field.name], owner)

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
        InvalidInput: when ``types`` is empty.
        TypeError: for a class that is not an attrs Event or has a field type with no
            strategy.
    """
    chosen = tuple(eventlog.EVENT_TYPES.values()) if types is None else tuple(types)
    if not chosen:
        raise InvalidInput("types must be None or a non-empty iterable of Event classes")
    for cls in chosen:
        given: object = cls
        if not (isinstance(given, type) and issubclass(given, Event) and attrs.has(given)):
            raise TypeError(f"events() draws attrs subclasses of Event, not {cls!r}")
    return st.one_of(*(_event_strategy(cls) for cls in chosen))
