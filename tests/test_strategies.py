"""The public hypothesis strategies draw valid values and histories (X-1, X-2, X-3, X-7, VAL-2)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st
from stdnum.se import personnummer

from arendefordelning import strategies
from arendefordelning._validators import text
from arendefordelning.errors import InvalidInput, NotPermitted
from arendefordelning.eventlog import EVENT_TYPES
from arendefordelning.identity import PersonalIdentityNumber
from arendefordelning.kernel import (
    Actor,
    CaseState,
    Check,
    Command,
    Event,
    Role,
    Routine,
    RoutinePolicy,
    Suspension,
    Table,
    check_identifier,
    identifier,
    recorded,
)
from arendefordelning.providers import Provider, ProviderKind, swedish_sort_key
from arendefordelning.routines import provider_choice as val
from arendefordelning.routines.rotation import RotationList, RotationOrder

SE = ZoneInfo("Europe/Stockholm")
# find() searches without shrinking: a found example is enough, and shrinking (25 event
# types through one_of) made single tests take minutes on some runs.
SEARCH = settings(database=None, phases=[Phase.generate], max_examples=5000)
ID_FIELD = attrs.fields(Actor).id
CASE_FIELD = attrs.fields(Event).case


def accepted_as_identifier(value: str, field: attrs.Attribute[str] = ID_FIELD) -> bool:
    try:
        identifier(None, field, value)
    except InvalidInput:
        return False
    return True


# --------------------------------------------------------------------------- text and ids


@given(strategies.texts())
def test_texts_are_non_blank(text: str) -> None:
    """Free text holds at least one character that is not whitespace, and is valid UTF-8."""
    assert text.strip()
    text.encode("utf-8")


def test_texts_include_characters_json_must_escape() -> None:
    """The text strategy reaches line breaks, so the log's one-line rule is tested (X-1)."""
    assert "\n" in find(strategies.texts(), lambda text: "\n" in text, settings=SEARCH)


@given(strategies.identifiers())
def test_x7_identifiers_are_accepted_by_the_kernel(value: str) -> None:
    """X-7: every drawn identifier passes kernel.identifier (no identity number in it)."""
    assert accepted_as_identifier(value)


@given(strategies.case_ids())
def test_x7_case_ids_are_accepted_as_case_numbers(value: str) -> None:
    """X-7: every drawn case number passes the Event's own case validator."""
    assert accepted_as_identifier(value, CASE_FIELD)


# --------------------------------------------------------------------------- roles and actors


@given(strategies.roles())
def test_x2_roles_are_roles(role: Role) -> None:
    """X-2: roles() draws Role members."""
    assert isinstance(role, Role)


def test_x2_roles_reach_every_role() -> None:
    """X-2: every role can be drawn."""
    for role in Role:

        def is_role(drawn: Role, role: Role = role) -> bool:
            return drawn is role

        assert find(strategies.roles(), is_role, settings=SEARCH) is role


@given(strategies.actors())
def test_x2_actors_are_valid(actor: Actor) -> None:
    """X-2: an actor has a valid identifier and a role, and survives attrs.evolve."""
    assert isinstance(actor.role, Role)
    assert accepted_as_identifier(actor.id)
    assert attrs.evolve(actor) == actor


@given(strategies.actors(roles=[Role.PROVIDER, Role.NIGHT_PATROL]))
def test_x2_actors_keep_to_the_roles_given(actor: Actor) -> None:
    """X-2: actors(roles=...) draws only those roles."""
    assert actor.role in {Role.PROVIDER, Role.NIGHT_PATROL}


@pytest.mark.parametrize("roles", [[], ["utförare"]])
def test_actors_refuse_roles_that_are_not_roles(roles: list[object]) -> None:
    with pytest.raises(InvalidInput, match="roles must be"):
        strategies.actors(roles=roles)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- times


def canonical(value: datetime) -> datetime:
    return value.astimezone(UTC).astimezone(SE)


@given(strategies.stockholm_datetimes())
def test_x3_stockholm_datetimes_are_aware_and_canonical(value: datetime) -> None:
    """X-3: Stockholm time, in the default range, with fold set as the instant has it."""
    assert value.tzinfo is SE
    assert value.utcoffset() is not None
    assert datetime(2000, 1, 1, tzinfo=SE) <= value <= datetime(2101, 1, 1, tzinfo=SE)
    assert value.fold == canonical(value).fold
    assert value.utcoffset() == canonical(value).utcoffset()


def test_x3_stockholm_datetimes_reach_both_sides_of_the_repeated_hour() -> None:
    """X-3: both occurrences of 02:30 on the last Sunday of October can be drawn."""
    for fold in (0, 1):

        def repeated(value: datetime, fold: int = fold) -> bool:
            return value.month == 10 and value.hour == 2 and value.fold == fold

        found = find(strategies.stockholm_datetimes(), repeated, settings=SEARCH)
        assert found.utcoffset() == timedelta(hours=2 - fold)


LOW = datetime(2026, 3, 29, 1, 0, tzinfo=SE)
HIGH = datetime(2026, 3, 29, 4, 0, tzinfo=SE)


@given(strategies.stockholm_datetimes(LOW, HIGH))
def test_x3_stockholm_datetimes_keep_to_the_bounds_and_skip_the_gap(value: datetime) -> None:
    """X-3: bounds are kept and no time of the hour skipped in March is drawn."""
    assert LOW <= value <= HIGH
    assert value == canonical(value)
    assert value.replace(tzinfo=None) == canonical(value).replace(tzinfo=None)


def test_x3_stockholm_datetimes_refuse_naive_or_reversed_bounds() -> None:
    """X-3: a naive bound, or a maximum before the minimum, is refused."""
    with pytest.raises(InvalidInput, match="naive"):
        strategies.stockholm_datetimes(min_value=datetime(2020, 1, 1))
    with pytest.raises(InvalidInput, match="before"):
        strategies.stockholm_datetimes(HIGH, LOW)
    with pytest.raises(InvalidInput, match="before"):
        strategies.aware_datetimes(HIGH, LOW)


@given(strategies.aware_datetimes(LOW, HIGH))
def test_x3_aware_datetimes_are_aware_and_in_bounds(value: datetime) -> None:
    """X-3: any aware datetime, within the bounds as instants."""
    assert value.utcoffset() is not None
    assert LOW.astimezone(UTC) <= value.astimezone(UTC) <= HIGH.astimezone(UTC)


def test_x3_aware_datetimes_reach_other_offsets() -> None:
    """X-3: aware_datetimes() draws times that are not in Stockholm time."""
    found = find(
        strategies.aware_datetimes(),
        lambda v: v.tzinfo is not SE and bool(v.utcoffset()),
        settings=SEARCH,
    )
    assert found.tzinfo is not SE


@given(strategies.dates())
def test_dates_are_plain_dates(value: date) -> None:
    assert type(value) is date
    assert date(2000, 1, 1) <= value <= date(2100, 12, 31)


# --------------------------------------------------------------------------- values


@given(strategies.providers())
def test_providers_are_valid(provider: Provider) -> None:
    """Providers have a name the Provider class accepts and a kind."""
    assert provider.name == provider.name.strip()
    assert provider.name
    assert isinstance(provider.kind, ProviderKind)
    assert Provider(provider.name, provider.kind) == provider


@given(strategies.providers(kinds=[ProviderKind.PRIVATE]))
def test_providers_keep_to_the_kinds_given(provider: Provider) -> None:
    assert provider.kind is ProviderKind.PRIVATE


def test_providers_refuse_no_kinds() -> None:
    with pytest.raises(InvalidInput, match="kinds must be"):
        strategies.providers(kinds=[])


@given(strategies.suspensions())
def test_x3_suspensions_are_valid(suspension: Suspension) -> None:
    """X-3: a suspension starts in Stockholm time and does not end before it starts."""
    assert suspension.start.tzinfo is SE
    assert suspension.end is None or suspension.end >= suspension.start
    assert attrs.evolve(suspension) == suspension


@given(strategies.personal_identity_numbers())
def test_x7_personal_identity_numbers_are_valid(number: PersonalIdentityNumber) -> None:
    """X-7: every drawn number reads back with parse, and python-stdnum agrees on personnummer."""
    digits = number.reveal()
    assert PersonalIdentityNumber.parse(digits, today=date(2025, 1, 1)) == number
    assert number.birth_date is not None
    assert date(1900, 1, 1) <= number.birth_date <= date(2024, 12, 31)
    if not number.is_coordination_number:
        assert personnummer.is_valid(digits)


@given(strategies.personal_identity_numbers(coordination=True))
def test_x7_coordination_numbers_only_when_asked(number: PersonalIdentityNumber) -> None:
    """X-7: coordination=True draws samordningsnummer only (day plus 60)."""
    assert number.is_coordination_number
    assert int(number.reveal()[6:8]) > 60


@given(strategies.personal_identity_numbers(coordination=False))
def test_x7_personnummer_only_when_asked(number: PersonalIdentityNumber) -> None:
    """X-7: coordination=False draws personnummer only."""
    assert not number.is_coordination_number
    assert personnummer.is_valid(number.reveal())


@given(strategies.personal_identity_numbers(incomplete=True))
def test_x7_incomplete_numbers_when_asked(number: PersonalIdentityNumber) -> None:
    """X-7: incomplete=True draws samordningsnummer with month 00, day 60 or both."""
    digits = number.reveal()
    assert number.is_coordination_number
    assert number.birth_date is None
    assert digits[4:6] == "00" or digits[6:8] == "60"
    assert 1900 <= number.birth_year <= 2024
    assert PersonalIdentityNumber.parse(digits, today=date(2025, 1, 1)) == number
    assert str(number) == f"{digits[:8]}-****"


@given(strategies.personal_identity_numbers(coordination=True, incomplete=None))
def test_x7_coordination_numbers_complete_or_not(number: PersonalIdentityNumber) -> None:
    """X-7: incomplete=None with coordination=True draws samordningsnummer of both kinds."""
    assert number.is_coordination_number
    assert PersonalIdentityNumber(number.reveal()) == number


@given(strategies.personal_identity_numbers(coordination=False, incomplete=None))
def test_x7_personnummer_are_complete_even_with_incomplete_none(
    number: PersonalIdentityNumber,
) -> None:
    """X-7: coordination=False draws complete personnummer whatever incomplete says."""
    assert not number.is_coordination_number
    assert number.birth_date is not None
    assert personnummer.is_valid(number.reveal())


def test_x7_personal_identity_numbers_reach_every_kind_of_date() -> None:
    """X-7: incomplete=None reaches complete dates, month 00, day 60 and both."""
    drawn = strategies.personal_identity_numbers(incomplete=None)
    kinds: dict[str, Callable[[str], bool]] = {
        "personnummer": lambda digits: int(digits[6:8]) < 60,
        "complete samordningsnummer": lambda digits: int(digits[6:8]) > 60 and digits[4:6] != "00",
        "month 00": lambda digits: digits[4:6] == "00" and digits[6:8] != "60",
        "day 60": lambda digits: digits[4:6] != "00" and digits[6:8] == "60",
        "month 00 and day 60": lambda digits: digits[4:8] == "0060",
    }
    for kind, holds in kinds.items():

        def of_kind(number: PersonalIdentityNumber, holds: Callable[[str], bool] = holds) -> bool:
            return holds(number.reveal())

        assert holds(find(drawn, of_kind, settings=SEARCH).reveal()), kind


@pytest.mark.parametrize(
    ("arguments", "fragment"),
    [
        ({"coordination": False, "incomplete": True}, "personnummer always has a complete"),
        ({"incomplete": "yes"}, "incomplete must be True, False or None, not str"),
        ({"coordination": 1}, "coordination must be True, False or None, not int"),
    ],
)
def test_x7_personal_identity_numbers_refuse_contradictions(
    arguments: dict[str, object], fragment: str
) -> None:
    """X-7: a personnummer cannot be incomplete, and the flags are bools or None."""
    with pytest.raises(InvalidInput, match=fragment):
        strategies.personal_identity_numbers(**arguments)  # type: ignore[arg-type]


@pytest.mark.slow
@given(strategies.rotation_lists())
def test_val2_rotation_lists_are_valid(rotation: RotationList) -> None:
    """VAL-2: a drawn list is valid: rebuilding it from its fields gives an equal list."""
    names = [entry.provider.name for entry in rotation.entries]
    assert len(set(names)) == len(names)
    if rotation.ordering is RotationOrder.ALPHABETICAL:
        assert names == sorted(names, key=swedish_sort_key)
    assert attrs.evolve(rotation) == rotation
    assert 0 <= rotation.turn < max(len(rotation.entries), 1)


def test_val2_rotation_lists_reach_caps_pauses_and_both_orders() -> None:
    """VAL-2: lists with caps, pauses and a given order can be drawn."""
    found = find(
        strategies.rotation_lists(),
        lambda r: (
            r.ordering is RotationOrder.GIVEN
            and any(e.cap is not None for e in r.entries)
            and any(e.pauses for e in r.entries)
        ),
        settings=SEARCH,
    )
    assert found.entries


# --------------------------------------------------------------------------- events


@given(strategies.events())
def test_x1_events_are_valid(event: Event) -> None:
    """X-1: a drawn event is a registered type, survives evolve, and its case is valid."""
    assert (event.routine, event.type_name()) in EVENT_TYPES
    assert attrs.evolve(event) == event
    assert accepted_as_identifier(event.case, CASE_FIELD)
    assert event.at.tzinfo is SE


@pytest.mark.parametrize("cls", EVENT_TYPES.values(), ids=lambda cls: cls.__name__)
def test_x1_events_draw_every_registered_type(cls: type[Event]) -> None:
    """X-1: each registered event type has a strategy that draws valid events of it."""
    found = find(strategies.events(types=[cls]), lambda event: True, settings=SEARCH)
    assert type(found) is cls


@pytest.mark.slow
@pytest.mark.parametrize("position", [0, len(EVENT_TYPES) // 2, len(EVENT_TYPES) - 1])
def test_x1_events_without_types_reach_the_first_middle_and_last_type(position: int) -> None:
    """X-1: events() draws from every registered type, not only the first."""
    cls = list(EVENT_TYPES.values())[position]

    def of_type(event: Event) -> bool:
        return type(event) is cls

    assert type(find(strategies.events(), of_type, settings=SEARCH)) is cls


@given(strategies.events(types=[val.TakeoverWishRecorded, val.UrgentlyAssigned]))
def test_x1_events_keep_to_the_types_given(event: Event) -> None:
    """X-1: events(types=...) draws only those classes."""
    assert type(event) in {val.TakeoverWishRecorded, val.UrgentlyAssigned}


def test_x1_events_draw_optional_fields_both_ways() -> None:
    """X-1: an optional field is drawn as None and as a value."""
    wishes = strategies.events(types=[val.TakeoverWishRecorded])
    without = find(wishes, lambda e: getattr(e, "requested_takeover", 0) is None, settings=SEARCH)
    with_date = find(
        wishes,
        lambda e: isinstance(getattr(e, "requested_takeover", None), date),
        settings=SEARCH,
    )
    assert isinstance(without, val.TakeoverWishRecorded)
    assert without.requested_takeover is None
    assert isinstance(with_date, val.TakeoverWishRecorded)
    assert isinstance(with_date.requested_takeover, date)


def test_events_refuse_no_types_or_other_classes() -> None:
    with pytest.raises(InvalidInput, match="types must be"):
        strategies.events(types=[])
    with pytest.raises(InvalidInput, match="attrs subclasses of Event"):
        strategies.events(types=[Provider])  # type: ignore[list-item]
    with pytest.raises(InvalidInput, match="types must be None or a non-empty iterable"):
        strategies.events(types=5)  # type: ignore[arg-type]


def test_without_hypothesis_the_import_error_says_what_to_install() -> None:
    code = (
        "import sys; sys.modules['hypothesis'] = None\n"
        "try:\n    import arendefordelning.strategies\n"
        "except ImportError as error:\n    print(error)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "pip install 'arendefordelning[hypothesis]'" in done.stdout


FIRST_PASS = datetime(2026, 10, 25, 2, 45, tzinfo=SE)
SECOND_PASS_END = datetime(2026, 10, 25, 2, 40, fold=1, tzinfo=SE)


def test_x3_bounds_in_the_repeated_hour_are_instants_not_wall_clocks() -> None:
    """X-3: from 02:45 (summer time) to 02:40 (winter time) is 55 minutes, not refused."""
    found = find(
        strategies.stockholm_datetimes(FIRST_PASS, SECOND_PASS_END),
        lambda value: value.fold == 1,
        settings=SEARCH,
    )
    assert FIRST_PASS.timestamp() <= found.timestamp() <= SECOND_PASS_END.timestamp()
    with pytest.raises(InvalidInput, match="before min_value"):
        strategies.stockholm_datetimes(SECOND_PASS_END, FIRST_PASS)


@given(strategies.aware_datetimes(FIRST_PASS, SECOND_PASS_END))
def test_x3_drawn_times_lie_between_the_bounds_by_instant(value: datetime) -> None:
    """X-3: every drawn time lies between the bounds as instants."""
    assert FIRST_PASS.timestamp() <= value.timestamp() <= SECOND_PASS_END.timestamp()


# --------------------------------------------------------------------------- hardening


@given(strategies.texts(max_size=60))
def test_x7_free_text_never_holds_an_identity_number(text: str) -> None:
    """X-7: the texts strategy draws what text fields accept: no identity number."""
    from arendefordelning._pii import holds_identity_number

    assert text.strip()
    assert not holds_identity_number(text)


@given(strategies.phone_numbers())
def test_x7_phone_numbers_are_what_a_phone_field_accepts(number: str) -> None:
    """X-7, VAL-9: drawn telephone numbers pass the telephone-number check."""
    from arendefordelning._validators import phone_number

    assert phone_number("phone", number) == number


@given(strategies.events([val.AssignmentPrepared]))
def test_x7_events_draw_phone_numbers_for_a_phone_field(event: Event) -> None:
    """X-7, VAL-9: a telephone-number field is drawn as telephone numbers, not free text."""
    assert isinstance(event, val.AssignmentPrepared)
    from arendefordelning._validators import phone_number

    for number in event.relatives_phone_numbers:
        phone_number("phone", number)


# --------------------------------------------------------------------------- commands and histories


@attrs.frozen(kw_only=True, repr=False)
class KState(CaseState):
    code: str | None = None
    planned: date | None = None


class KEvent(Event):
    routine: ClassVar[str] = "K"


def _staff(value: Iterable[str]) -> tuple[str, ...]:
    ids = tuple(value)
    if not ids or len(set(ids)) != len(ids):
        raise InvalidInput("staff must name one or more ids, each once")
    return tuple(check_identifier("staff", i) for i in ids)


def _present(value: Iterable[Role]) -> tuple[Role, ...]:
    roles = tuple(value)
    if any(role not in (Role.INDIVIDUAL, Role.GUARDIAN) for role in roles):
        raise InvalidInput("present must be the individual or a guardian")
    return roles


def _secret(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    if value != "sesam":
        raise InvalidInput("word must be the secret word")


@attrs.frozen(kw_only=True)
class KOpened(KEvent):
    """Case opened (öppnat), X-1."""

    code: str = attrs.field(validator=text)
    staff: tuple[str, ...] = attrs.field(converter=_staff)


@attrs.frozen(kw_only=True)
class KPlanned(KEvent):
    day: date


@attrs.frozen(kw_only=True)
class KSecret(KEvent):
    word: str = attrs.field(validator=_secret)


@attrs.frozen(kw_only=True)
class KClosed(KEvent):
    present: tuple[Role, ...] = attrs.field(converter=_present)


def _within_two_weeks(state: KState, event: KPlanned) -> str | None:
    """Plan within two weeks of when the step happens."""
    days = (event.day - event.at.date()).days
    return None if 0 <= days <= 14 else "the day must lie within two weeks"


rows = Table(KState, RoutinePolicy)

K: Routine[KState, Any, RoutinePolicy] = Routine(
    code="K",
    title="Testrutin K",
    title_en="Test routine K",
    initial=KState(),
    policy=RoutinePolicy(),
    steps=(
        rows.step(
            "open",
            KOpened,
            requirements=("X-1",),
            roles=frozenset({Role.SOCIAL_WORKER}),
            label=("öppna", "open"),
            apply=lambda s, e, p: {"code": e.code},
        ),
        rows.step(
            "plan",
            KPlanned,
            requirements=("X-1",),
            roles=frozenset({Role.THERAPIST, Role.COUNSELLOR}),
            label=("planera", "plan"),
            after=("open",),
            once=False,
            checks=(
                Check(
                    "X-1",
                    _within_two_weeks,
                    ("planera inom två veckor", "plan within two weeks"),
                    invalid=True,
                ),
            ),
            apply=lambda s, e, p: {"planned": e.day},
        ),
        rows.step(
            "say",
            KSecret,
            requirements=("X-2",),
            roles=frozenset({Role.SOCIAL_WORKER}),
            label=("säga lösenordet", "say the password"),
            after=("open",),
        ),
        rows.step(
            "close",
            KClosed,
            requirements=("X-2",),
            roles=frozenset({Role.SOCIAL_WORKER}),
            label=("avsluta", "close"),
            after=("open",),
            terminal=True,
        ),
    ),
)
HISTORY = settings(max_examples=60)


@HISTORY
@given(strategies.histories(K))
def test_x1_histories_replay_strictly_in_recording_order(history: list[Event]) -> None:
    """X-1: a drawn history is one case's, recorded in order, and a strict replay takes it."""
    state = K.replay(history, strict=True)
    assert state.count == len(history) <= 20
    assert len({event.case for event in history}) <= 1
    # as instants: two Stockholm times compare by wall clock, which ignores the fold of
    # the hour that repeats when summer time ends (02:00 fold=1 is after 02:59:59 fold=0)
    times = [recorded(event).astimezone(UTC) for event in history]
    assert times == sorted(times)
    assert not any(isinstance(event, KSecret) for event in history)  # never drawn: never taken


def test_x1_histories_reach_a_step_refused_unless_its_date_is_near() -> None:
    """X-1: dates lie near the step, so a step refused outside two weeks is taken, often."""
    found = find(
        strategies.histories(K),
        lambda h: sum(isinstance(e, KPlanned) for e in h) >= 2 and isinstance(h[-1], KClosed),
        settings=SEARCH,
    )
    state = K.replay(found, strict=True)
    assert state.planned is not None
    assert K.is_terminal(state)


@HISTORY
@given(strategies.histories(K, max_size=3))
def test_x1_histories_are_at_most_max_size_long(history: list[Event]) -> None:
    """X-1: ``max_size`` bounds the history; zero steps is a new case."""
    assert len(history) <= 3


def test_histories_and_commands_refuse_what_is_no_table_of_steps() -> None:
    """A routine that is not a table of steps (an old Decider), or a bad size, is refused."""
    with pytest.raises(InvalidInput, match="histories draws from a routine's table of steps"):
        strategies.histories(object())  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="max_size must be a non-negative int"):
        strategies.histories(K, max_size=-1)
    with pytest.raises(InvalidInput, match="max_size must be a non-negative int"):
        strategies.histories(K, max_size=True)
    with pytest.raises(InvalidInput, match="commands draws from a routine's table of steps"):
        strategies.commands(object(), KState())  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="state must be a KState"):
        strategies.commands(K, val.initial_state)
    assert find(strategies.histories(K, max_size=0), lambda h: True, settings=SEARCH) == []


@HISTORY
@given(strategies.commands(K, K.initial_state))
def test_x2_commands_are_allowed_by_the_state_and_issued_in_a_role_the_step_names(
    command: Event | Command,
) -> None:
    """X-2: a new case allows opening it: by a social worker, the staff drawn as distinct ids."""
    assert isinstance(command, KOpened)
    assert command.actor.role is Role.SOCIAL_WORKER
    assert command.staff
    assert len(set(command.staff)) == len(command.staff)
    assert K.decide(command, K.initial_state)


OPENED = K.replay(
    K.decide(
        KOpened(
            case="K-1",
            at=datetime(2026, 3, 2, 9, tzinfo=SE),
            actor=Actor("ss-1", Role.SOCIAL_WORKER),
            code="a",
            staff=("b",),
        ),
        K.initial_state,
    )
)


@HISTORY
@given(strategies.commands(K, OPENED))
def test_x1_commands_happen_after_the_latest_step_for_the_same_case(
    command: Event | Command,
) -> None:
    """X-1: the case's number, after its latest recorded step; a party tuple as the field takes."""
    assert command.case == "K-1"
    assert command.at >= datetime(2026, 3, 2, 9, tzinfo=SE)
    assert type(command) in K.allowed_commands(OPENED)
    if isinstance(command, KClosed):
        assert set(command.present) <= {Role.INDIVIDUAL, Role.GUARDIAN}
        assert len(set(command.present)) == len(command.present)


@HISTORY
@given(
    strategies.commands(
        K, OPENED, kinds=[KOpened], roles=[Role.GUARDIAN], fields={"code": st.just("x")}
    )
)
def test_x2_commands_draw_the_kinds_roles_and_fields_given(command: Event | Command) -> None:
    """X-2: kinds, roles and fields override the state's commands, the step's roles, the types."""
    assert isinstance(command, KOpened)
    assert command.actor.role is Role.GUARDIAN
    assert command.code == "x"
    with pytest.raises(NotPermitted):
        K.decide(command, OPENED)


@HISTORY
@given(
    strategies.commands(
        K,
        OPENED,
        kinds=[KOpened],
        fields={"code": lambda state: st.just(f"från {state.case}")},
    )
)
def test_x1_a_field_may_be_drawn_from_what_the_case_holds(command: Event | Command) -> None:
    """X-1: a field's strategy may be a function of the case's state (a time offered)."""
    assert isinstance(command, KOpened)
    assert command.code == "från K-1"


def test_x1_a_fields_function_must_return_a_strategy() -> None:
    """X-1: a function that returns no strategy is named, with what it returned."""
    not_a_strategy: Any = lambda state: "x"  # noqa: E731 - a wrong function, on purpose
    wrong = strategies.commands(K, OPENED, kinds=[KOpened], fields={"code": not_a_strategy})
    with pytest.raises(InvalidInput, match=r"fields\['code'\] must be a strategy or a function"):
        find(wrong, bool, settings=SEARCH)


def test_x2_commands_refuse_a_closed_case_and_empty_kinds_or_roles() -> None:
    """X-2: no command is allowed in a closed case: say so, unless kinds are given."""
    closed = K.replay(
        K.decide(
            KClosed(
                case="K-1",
                at=datetime(2026, 3, 3, 9, tzinfo=SE),
                actor=Actor("ss-1", Role.SOCIAL_WORKER),
                present=(),
            ),
            OPENED,
        ),
        OPENED,
    )
    with pytest.raises(InvalidInput, match="no command of routine K is allowed"):
        strategies.commands(K, closed)
    assert isinstance(
        find(strategies.commands(K, closed, kinds=[KPlanned]), bool, settings=SEARCH), KPlanned
    )
    with pytest.raises(InvalidInput, match="kinds must be None or a non-empty"):
        strategies.commands(K, closed, kinds=[])
    with pytest.raises(InvalidInput, match="is no command or event of routine K"):
        strategies.commands(K, closed, kinds=[val.ChoiceRegistered])
    with pytest.raises(InvalidInput, match="roles must be None or a non-empty"):
        strategies.commands(K, OPENED, roles=[])


@HISTORY
@given(strategies.commands(K, OPENED, kinds=[KPlanned]))
def test_x1_a_commands_own_dates_lie_near_when_it_happens(command: Event | Command) -> None:
    """X-1: a date field is drawn from 30 days before to 90 days after the command's ``at``."""
    assert isinstance(command, KPlanned)
    assert -30 <= (command.day - command.at.date()).days <= 90
