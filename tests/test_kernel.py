"""The kernel's values: roles, actors, events, required actions, channels, suspensions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import ClassVar
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from arendefordelning import InvalidInput, Provider
from arendefordelning.kernel import (
    ActionKind,
    Actor,
    Channel,
    Event,
    RequiredAction,
    Role,
    Suspension,
    event_type_name,
    stopped_time,
    suspended_due,
)

STHLM = ZoneInfo("Europe/Stockholm")
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=STHLM)
ASSESSOR = Actor("bh-17", Role.NEEDS_ASSESSOR)


# --------------------------------------------------------------------------- roles and actors


def test_x2_role_values_are_the_swedish_role_names_in_lower_case() -> None:
    """X-2: the roles are the catalogue's Swedish names, lower case."""
    assert Role.NEEDS_ASSESSOR.value == "biståndshandläggare"
    assert Role.PROVIDER.value == "utförare"
    assert Role.TEAM_LEADER.value == "teamledare"
    assert Role.NIGHT_PATROL.value == "nattpatrull"
    assert all(role.value == role.value.lower() for role in Role)
    assert len({role.value for role in Role}) == len(Role)
    assert Role("vårdenhetschef") is Role.CARE_UNIT_MANAGER


def test_x2_actor_holds_id_and_role() -> None:
    actor = Actor("bh-17", Role.NEEDS_ASSESSOR)
    assert (actor.id, actor.role) == ("bh-17", Role.NEEDS_ASSESSOR)
    assert actor == Actor("bh-17", Role.NEEDS_ASSESSOR)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        actor.id = "other"  # type: ignore[misc]


@pytest.mark.parametrize("bad", ["", " bh", "bh ", "x" * 101])
def test_actor_id_must_be_short_clean_text(bad: str) -> None:
    with pytest.raises(InvalidInput, match="non-empty text"):
        Actor(bad, Role.NEEDS_ASSESSOR)


@pytest.mark.parametrize(
    "bad", ["19121212-1212", "pnr 191212121212", "121212-1212", "121212+1212", "1212121212"]
)
def test_x7_identifiers_refuse_a_personal_identity_number(bad: str) -> None:
    """X-7: a case number or actor id that holds an identity number is refused, unrepeated."""
    with pytest.raises(InvalidInput, match="personal identity number") as caught:
        Actor(bad, Role.NEEDS_ASSESSOR)
    assert "1212" not in str(caught.value)


# A control character written as an escape whose digits join the text's: "\x12" and
# "12121212" make the repr ...\x1212121212 and the log line ...\u001212121212, which
# hold the number 121212-1212, although the text itself has only eight digits.
ESCAPED_NUMBER = "\x12" + "12121212"


@pytest.mark.parametrize(
    ("bad", "fine"),
    [
        (ESCAPED_NUMBER, "\x12-12121212"),
        ("K-\x0001010016", "K-\x00-01010016"),
        ("\x19" + "12121212", "\x19 12121212"),
    ],
)
def test_x7_identifiers_refuse_a_number_that_only_their_repr_or_log_line_holds(
    bad: str, fine: str
) -> None:
    """X-7: an escape's digits may join the digits after it; that identifier is refused."""
    with pytest.raises(InvalidInput, match="personal identity number"):
        Actor(bad, Role.NEEDS_ASSESSOR)
    assert Actor(fine, Role.NEEDS_ASSESSOR).id == fine


def test_x7_free_text_refuses_a_number_that_only_its_repr_or_log_line_holds() -> None:
    """X-7: text fields judge the text as repr and the event log write it, too."""
    with pytest.raises(InvalidInput, match=r"^reason must not contain a personal identity"):
        Suspension(T0, reason=ESCAPED_NUMBER)
    with pytest.raises(InvalidInput, match=r"^sv must not contain a personal identity"):
        RequiredAction(
            requirement="VAL-6",
            kind=ActionKind.TASK,
            role=Role.PROVIDER,
            sv=ESCAPED_NUMBER,
            en="start",
        )
    # Printable text is judged as it is: eight digits are not a number.
    assert Suspension(T0, reason="nr 12121212").reason == "nr 12121212"
    assert Suspension(T0, reason="\x12 nr 12121212").reason.endswith("12121212")


@pytest.mark.parametrize("surrogate", [chr(0xD800), chr(0xDFFF)], ids=["high", "low"])
def test_x1_text_with_a_lone_surrogate_is_refused_since_no_log_can_hold_it(
    surrogate: str,
) -> None:
    """X-1: the event log is UTF-8; a lone surrogate in any text field is refused at once."""
    cases: list[tuple[str, Callable[[], object]]] = [
        ("id", lambda: Actor(f"bh-{surrogate}", Role.NEEDS_ASSESSOR)),
        ("case", lambda: ThingHappened(case=f"K-1{surrogate}", at=T0, actor=ASSESSOR)),
        ("reason", lambda: Suspension(T0, reason=f"väntan {surrogate}")),
        ("name", lambda: Provider(f"Norr{surrogate}")),
        (
            "sv",
            lambda: RequiredAction(
                requirement="VAL-6",
                kind=ActionKind.TASK,
                role=Role.PROVIDER,
                sv=f"starta {surrogate}",
                en="start",
            ),
        ),
    ]
    for field, build in cases:
        with pytest.raises(InvalidInput, match=rf"^{field} must be text that UTF-8 can write") as e:
            build()
        # no chained UnicodeEncodeError carries the text (it could hold a number).
        assert e.value.__context__ is None
        assert e.value.__cause__ is None


def test_actor_refuses_a_role_that_is_not_a_role() -> None:
    """X-2, X-7: a role of the wrong type is InvalidInput naming the field, not the value."""
    with pytest.raises(InvalidInput, match="role must be a Role member") as caught:
        Actor("bh-17", "19121212-1212")  # type: ignore[arg-type]
    assert "1212" not in str(caught.value)
    with pytest.raises(InvalidInput, match="role must be a Role member"):
        Actor("bh-17", "biståndshandläggare")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- events and commands


@attrs.frozen(kw_only=True)
class ThingHappened(Event):
    routine: ClassVar[str] = "T"
    note: str = "x"


def test_x1_event_is_immutable_with_case_time_actor_and_fields() -> None:
    """X-1: an event has case, aware time, actor with role, and its own data."""
    event = ThingHappened(case="K-1", at=T0, actor=ASSESSOR, note="n")
    assert (event.case, event.at, event.actor, event.note) == ("K-1", T0, ASSESSOR, "n")
    assert event.routine == "T"
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        event.note = "changed"  # type: ignore[misc]


def test_x1_event_time_is_kept_in_stockholm_time() -> None:
    utc = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    event = ThingHappened(case="K-1", at=utc, actor=ASSESSOR)
    assert event.at == utc
    assert event.at.tzinfo is STHLM
    assert event.at.hour == 9


def test_x1_event_refuses_a_naive_time() -> None:
    with pytest.raises(InvalidInput, match="naive"):
        ThingHappened(case="K-1", at=datetime(2026, 3, 2, 9, 0), actor=ASSESSOR)


def test_event_type_name_is_snake_case_of_the_class() -> None:
    assert event_type_name(ThingHappened) == "thing_happened"
    assert ThingHappened.type_name() == "thing_happened"


# --------------------------------------------------------------------------- required actions


def test_required_action_explains_in_swedish_and_english() -> None:
    action = RequiredAction(
        requirement="VAL-4",
        kind=ActionKind.TASK,
        role=Role.NEEDS_ASSESSOR,
        sv="fördela uppdraget",
        en="distribute the assignment",
        due=datetime(2026, 3, 3, 9, 0, tzinfo=UTC),
    )
    assert action.due is not None
    assert action.due.tzinfo is STHLM
    assert (
        action.explain()
        == "Biståndshandläggare: fördela uppdraget, senast 2026-03-03 10:00 (VAL-4)."
    )
    assert action.explain("en") == (
        "Needs assessor: distribute the assignment, by 2026-03-03 10:00 (VAL-4)."
    )
    with pytest.raises(InvalidInput, match="'sv' or 'en'"):
        action.explain("de")  # type: ignore[arg-type]


def test_required_action_due_time_drops_seconds_like_a_deadline() -> None:
    """A due time with seconds is shown to the minute, never later than it is."""
    action = RequiredAction(
        requirement="VAL-6",
        kind=ActionKind.TASK,
        role=Role.PROVIDER,
        assignee="Hemtjänst Norr",
        sv="verkställ uppdraget",
        en="execute the assignment",
        due=datetime(2026, 3, 3, 10, 0, 59, tzinfo=STHLM),
    )
    assert action.explain() == (
        "Utförare Hemtjänst Norr: verkställ uppdraget, senast 2026-03-03 10:00 (VAL-6)."
    )


def test_required_action_names_every_role_and_its_channel() -> None:
    """HC-11-like: either of two roles may act; the channel is said in both languages."""
    action = RequiredAction(
        requirement="OV-2",
        kind=ActionKind.MESSAGE,
        role=Role.CARE_ADMINISTRATOR,
        roles=(Role.CARE_ADMINISTRATOR, Role.ADMINISTRATIVE_RESOURCE),
        sv="skicka kallelsen",
        en="send the summons",
        channel=Channel.TASK_LIST,
    )
    assert action.explain() == (
        "Vårdadministratör eller administrativ resurs: skicka kallelsen (via uppdragslistan) "
        "(OV-2)."
    )
    assert action.explain("en") == (
        "Care administrator or administrative resource: send the summons (through the task "
        "list) (OV-2)."
    )
    single = RequiredAction(
        requirement="OV-2", kind=ActionKind.TASK, role=Role.SOCIAL_WORKER, sv="x", en="y"
    )
    assert single.roles == (Role.SOCIAL_WORKER,)
    assert single.channel is None
    with pytest.raises(InvalidInput, match="roles must begin with role"):
        RequiredAction(
            requirement="OV-2",
            kind=ActionKind.TASK,
            role=Role.SOCIAL_WORKER,
            roles=(Role.THERAPIST,),
            sv="x",
            en="y",
        )
    with pytest.raises(InvalidInput, match="each role once"):
        RequiredAction(
            requirement="OV-2",
            kind=ActionKind.TASK,
            role=Role.THERAPIST,
            roles=(Role.THERAPIST, Role.THERAPIST),
            sv="x",
            en="y",
        )


@pytest.mark.parametrize("channel", list(Channel))
def test_every_channel_says_how_in_swedish_and_english(channel: Channel) -> None:
    """Every channel has a phrase in both languages, and they differ."""
    assert channel.label("sv")
    assert channel.label("en")
    assert channel.label("sv") != channel.label("en")


def test_required_action_refuses_empty_text() -> None:
    with pytest.raises(InvalidInput):
        RequiredAction(
            requirement="VAL-4", kind=ActionKind.TASK, role=Role.PROVIDER, sv=" ", en="x"
        )


# --------------------------------------------------------------------------- suspensions


def _at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def test_suspension_moves_the_due_time_by_the_stopped_time() -> None:
    start, due = _at(0), _at(10)
    pause = Suspension(_at(2), _at(5), "patientvald väntan")
    assert suspended_due(start, due, [pause]) == _at(13)
    assert stopped_time(start, _at(20), [pause]) == timedelta(hours=3)


def test_suspension_after_the_due_time_does_not_matter() -> None:
    assert suspended_due(_at(0), _at(10), [Suspension(_at(10), _at(12))]) == _at(10)
    assert suspended_due(_at(0), _at(10), [Suspension(_at(-5), _at(-1))]) == _at(10)


def test_suspension_reached_by_the_extension_counts_too() -> None:
    start, due = _at(0), _at(10)
    suspensions = [Suspension(_at(5), _at(8)), Suspension(_at(11), _at(12))]
    assert suspended_due(start, due, suspensions) == _at(14)


def test_overlapping_suspensions_count_once() -> None:
    suspensions = [Suspension(_at(2), _at(6)), Suspension(_at(4), _at(8))]
    assert suspended_due(_at(0), _at(10), suspensions) == _at(16)


def test_open_suspension_means_no_due_time_yet() -> None:
    assert suspended_due(_at(0), _at(10), [Suspension(_at(3))]) is None
    assert suspended_due(_at(0), _at(10), [Suspension(_at(11))]) == _at(10)
    assert stopped_time(_at(0), _at(10), [Suspension(_at(3))]) == timedelta(hours=7)


def test_suspension_started_before_the_clock_counts_from_the_start() -> None:
    assert suspended_due(_at(0), _at(10), [Suspension(_at(-3), _at(2))]) == _at(12)


def test_suspension_is_counted_in_elapsed_time_across_dst() -> None:
    # Summer time starts 2026-03-29 02:00: a clock of 24 elapsed hours paused for one
    # hour runs out 25 elapsed hours after its start: 01:00 UTC, 03:00 summer time,
    # although the wall clock shows 26 hours.
    start = datetime(2026, 3, 28, 1, 0, tzinfo=STHLM)
    due = (start.astimezone(UTC) + timedelta(hours=24)).astimezone(STHLM)
    assert due == datetime(2026, 3, 29, 0, 0, tzinfo=UTC)
    result = suspended_due(start, due, [Suspension(start, start + timedelta(hours=1))])
    assert result is not None
    assert result.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=25)
    assert (result.hour, result.tzinfo) == (3, STHLM)


def test_suspension_order_is_by_instant_across_the_repeated_hour() -> None:
    """X-3: a suspension from 02:45 (summer time) to 02:30 (winter time) is 45 minutes."""
    start = datetime(2026, 10, 25, 2, 45, tzinfo=STHLM)
    end = datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=STHLM)
    suspension = Suspension(start, end, "patientvald väntan")
    assert stopped_time(start, end + timedelta(hours=1), [suspension]) == timedelta(minutes=45)
    with pytest.raises(InvalidInput, match="must not end before it starts"):
        Suspension(end, start)


def test_suspension_refuses_bad_input() -> None:
    with pytest.raises(InvalidInput, match="must not end before it starts"):
        Suspension(_at(5), _at(4))
    with pytest.raises(InvalidInput, match="naive"):
        Suspension(datetime(2026, 3, 2))
    with pytest.raises(InvalidInput, match="due must not be before start"):
        suspended_due(_at(5), _at(4))
    with pytest.raises(InvalidInput, match="Suspension values"):
        suspended_due(_at(0), _at(4), [(_at(1), _at(2))])  # type: ignore[list-item]


@pytest.mark.parametrize(
    ("suspensions", "phrase"),
    [
        (None, "a sequence of Suspension values, not None"),
        ("uppehåll", "a sequence of Suspension values, not a value of type str"),
        (["uppehåll"], "hold Suspension values, not str"),
        (Suspension(T0), "a sequence of Suspension values, not a value of type Suspension"),
    ],
    ids=["none", "str", "str-item", "one-suspension"],
)
def test_x3_suspended_due_and_stopped_time_refuse_what_is_not_suspensions(
    suspensions: object, phrase: str
) -> None:
    """X-3: junk suspensions raise InvalidInput in both functions, not TypeError."""
    with pytest.raises(InvalidInput, match=phrase):
        suspended_due(_at(0), _at(4), suspensions)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match=phrase):
        stopped_time(_at(0), _at(4), suspensions)  # type: ignore[arg-type]


hours = st.integers(min_value=-48, max_value=96)


@st.composite
def suspension_lists(draw: st.DrawFn) -> list[Suspension]:
    items = []
    for _ in range(draw(st.integers(0, 5))):
        start = draw(hours)
        length = draw(st.one_of(st.none(), st.integers(0, 30)))
        end = None if length is None else _at(start + length)
        items.append(Suspension(_at(start), end))
    return items


@given(start=hours, length=st.integers(0, 72), suspensions=suspension_lists())
def test_suspended_due_laws(start: int, length: int, suspensions: list[Suspension]) -> None:
    """Never earlier than due; without suspensions exactly due; more suspension, later."""
    begin, due = _at(start), _at(start + length)
    assert suspended_due(begin, due) == due
    result = suspended_due(begin, due, suspensions)
    if result is not None:
        assert result >= due
        # The running time between start and result equals the time needed.
        running = result.astimezone(UTC) - begin.astimezone(UTC)
        assert running - stopped_time(begin, result, suspensions) == due - begin
    for extra in suspensions:
        fewer = [s for s in suspensions if s is not extra]
        smaller = suspended_due(begin, due, fewer)
        if result is not None:
            assert smaller is not None
            assert smaller <= result


@given(suspensions=suspension_lists(), offset=st.integers(-12, 14))
def test_suspended_due_does_not_depend_on_the_time_zone_given(
    suspensions: list[Suspension], offset: int
) -> None:
    zone = timezone(timedelta(hours=offset))
    begin, due = _at(0), _at(30)
    moved = [
        Suspension(s.start.astimezone(zone), None if s.end is None else s.end.astimezone(zone))
        for s in suspensions
    ]
    assert suspended_due(begin.astimezone(zone), due.astimezone(zone), moved) == suspended_due(
        begin, due, suspensions
    )


# --------------------------------------------------------------------------- hardening

NUMBER = "19121212-1212"
"""A valid personal identity number (Skatteverket's classic example)."""
WRITTEN = [
    NUMBER,
    "191212121212",
    "1212121212",
    "121212+1212",
    "19121212 1212",
    "19121212\u20131212",
    "19121212\u20101212",
    "tel 19121212-12120",
    "019121212-1212",
]


@pytest.mark.parametrize("written", WRITTEN)
def test_x7_identifiers_refuse_every_written_form_of_a_number(written: str) -> None:
    """X-7: a number with any separator, or touching other digits, is refused in an id."""
    with pytest.raises(InvalidInput, match="must not contain a personal identity number"):
        Actor(f"x{written}", Role.PROVIDER)


@pytest.mark.parametrize("written", WRITTEN)
def test_x7_free_text_refuses_a_number_and_says_to_use_the_case_number(written: str) -> None:
    """X-7: a reason, a note or a task text holding a number is refused, unrepeated."""
    builders: list[Callable[[], object]] = [
        lambda: Suspension(T0, reason=f"pnr {written}"),
        lambda: RequiredAction(
            requirement="VAL-5",
            kind=ActionKind.TASK,
            role=Role.NEEDS_ASSESSOR,
            sv=f"ring {written}",
            en="call",
        ),
        lambda: RequiredAction(
            requirement="VAL-5",
            kind=ActionKind.MESSAGE,
            role=Role.NEEDS_ASSESSOR,
            sv="skriv",
            en="write",
            text=f"Kund {written}",
        ),
        lambda: RequiredAction(
            requirement="VAL-5",
            kind=ActionKind.MESSAGE,
            role=Role.NEEDS_ASSESSOR,
            sv="skriv",
            en="write",
            recipient=written,
        ),
    ]
    for build in builders:
        with pytest.raises(InvalidInput, match="refer to the person by case number") as caught:
            build()
        assert "1212" not in str(caught.value)


def test_x7_an_unseparated_mobile_number_that_could_be_an_identity_number_is_refused() -> None:
    """X-7: 0701234569 has a possible date and Luhn digit: write it in groups instead."""
    with pytest.raises(InvalidInput, match=r"070-123 45 67"):
        Suspension(T0, reason="ring 0701234569")
    assert Suspension(T0, reason="ring 070-123 45 67").reason == "ring 070-123 45 67"
    assert Suspension(T0, reason="beslut 2026-03-06, ärende 2026-0415").reason


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: Actor("bh-1", NUMBER), "role"),  # type: ignore[arg-type]
        (lambda: Event(case="K-1", at=T0, actor=NUMBER), "actor"),  # type: ignore[arg-type]
        (
            lambda: RequiredAction(
                requirement="VAL-5",
                kind=NUMBER,  # type: ignore[arg-type]
                role=Role.PROVIDER,
                sv="a",
                en="b",
            ),
            "kind",
        ),
        (
            lambda: RequiredAction(
                requirement="VAL-5",
                kind=ActionKind.TASK,
                role=1,  # type: ignore[arg-type]
                sv="a",
                en="b",
            ),
            "role",
        ),
    ],
)
def test_x7_wrong_types_are_invalid_input_naming_the_field_not_the_value(
    build: object, field: str
) -> None:
    """X-7: a wrong type is InvalidInput naming the field and type, never the value."""
    with pytest.raises(InvalidInput, match=f"^{field} must be a ") as caught:
        build()  # type: ignore[operator]
    assert "1212" not in str(caught.value)


def test_x1_events_and_suspensions_compare_their_times_by_instant() -> None:
    """X-1, X-3: 02:30 before and after the clocks go back are different times."""
    first = datetime(2026, 10, 25, 2, 30, tzinfo=STHLM)
    second = datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=STHLM)
    assert first == second  # Python's wall-clock comparison within one zone
    one, other = (
        Event(case="K-1", at=first, actor=ASSESSOR),
        Event(case="K-1", at=second, actor=ASSESSOR),
    )
    assert one != other
    assert len({one, other}) == 2
    assert Event(case="K-1", at=first.astimezone(UTC), actor=ASSESSOR) == one
    assert Suspension(first) != Suspension(second)


def test_x3_a_suspension_that_pushes_the_due_time_past_9999_is_refused() -> None:
    """X-3: the due time cannot be represented: InvalidInput, not OverflowError."""
    far = Suspension(T0 + timedelta(hours=1), datetime(9999, 12, 31, 22, 0, tzinfo=STHLM))
    with pytest.raises(InvalidInput, match="beyond the last date Python can represent"):
        suspended_due(T0, T0 + timedelta(days=1), [far])
