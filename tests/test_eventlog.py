"""Event log: JSON Lines envelope, round trip, streaming, errors and docs/events.md (X-1, X-7)."""

from __future__ import annotations

import enum
import io
import json
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import ClassVar
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from arendefordelning import strategies
from arendefordelning.errors import InvalidInput
from arendefordelning.eventlog import (
    EVENT_TYPES,
    dump_events,
    dumps_event,
    events_reference,
    load_events,
    loads_event,
)
from arendefordelning.identity import PersonalIdentityNumber
from arendefordelning.kernel import Actor, Event, Role
from arendefordelning.providers import Provider, ProviderKind
from arendefordelning.routines import provider_choice as val

ROOT = Path(__file__).resolve().parents[1]
SE = ZoneInfo("Europe/Stockholm")
ASSESSOR = Actor("bh-17", Role.NEEDS_ASSESSOR)
NORR = Provider("Hemtjänst Norr", ProviderKind.MUNICIPAL)

EXAMPLE_LINE = (
    '{"case": "K-1", "routine": "VAL", "type": "assignment_distributed", '
    '"at": "2026-03-02T15:10:00+01:00", '
    '"actor": {"id": "bh-17", "role": "biståndshandläggare"}, '
    '"data": {"provider": {"name": "Hemtjänst Norr", "kind": "kommunal"}}}'
)


def distributed(case: str = "K-1") -> val.AssignmentDistributed:
    return val.AssignmentDistributed(
        case=case, at=datetime(2026, 3, 2, 15, 10, tzinfo=SE), actor=ASSESSOR, provider=NORR
    )


def envelope(**changes: object) -> dict[str, object]:
    """The example envelope as a dict, with top-level keys replaced (or removed with None)."""
    value: dict[str, object] = json.loads(EXAMPLE_LINE)
    for key, new in changes.items():
        if new is None:
            del value[key]
        else:
            value[key] = new
    return value


def line_of(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def error_of(*lines: str) -> str:
    """Load the lines and return the InvalidInput message."""
    with pytest.raises(InvalidInput) as caught:
        list(load_events(lines))
    return str(caught.value)


def same_log(left: list[Event], right: list[Event]) -> None:
    """Equal events, and equal instants too (datetime equality ignores fold in one zone)."""
    assert left == right
    assert [dumps_event(e) for e in left] == [dumps_event(e) for e in right]


# --------------------------------------------------------------------------- round trip


@pytest.mark.slow
@given(st.lists(strategies.events(), max_size=8))
def test_x1_events_survive_a_round_trip_through_a_stream(events: list[Event]) -> None:
    """X-1: writing any events and reading them back gives equal events, in order."""
    stream = io.StringIO()
    assert dump_events(events, stream) == len(events)
    text = stream.getvalue()
    assert text.count("\n") == len(events)  # one line per event, whatever the text holds
    stream.seek(0)
    same_log(list(load_events(stream)), events)


@given(strategies.events())
def test_x1_one_event_survives_dumps_and_loads(event: Event) -> None:
    """X-1: the one-line helpers agree with the log functions."""
    line = dumps_event(event)
    assert "\n" not in line
    same_log([loads_event(line)], [event])
    assert loads_event(line + "\n") == event


@pytest.mark.slow
@given(st.lists(strategies.events(), max_size=5), st.lists(strategies.events(), max_size=5))
def test_x1_events_survive_a_round_trip_through_a_file(
    tmp_path_factory: pytest.TempPathFactory, first: list[Event], second: list[Event]
) -> None:
    """X-1: a path is written as UTF-8, replaced by default and added to with append."""
    path = tmp_path_factory.getbasetemp() / "events.jsonl"
    path.write_text("not a log\n", encoding="utf-8")
    assert dump_events(first, path) == len(first)
    same_log(list(load_events(path)), first)
    assert dump_events(iter(second), str(path), append=True) == len(second)
    same_log(list(load_events(str(path))), first + second)
    raw = path.read_bytes()
    assert b"\r\n" not in raw
    assert raw.decode("utf-8").count("\n") == len(first) + len(second)


def test_x1_the_envelope_is_the_contract() -> None:
    """X-1: keys in order case, routine, type, at, actor, data; Swedish text as is."""
    line = dumps_event(distributed())
    assert line == EXAMPLE_LINE
    assert list(json.loads(line)) == ["case", "routine", "type", "at", "actor", "data"]
    assert "biståndshandläggare" in line  # not escaped to ASCII
    stream = io.StringIO()
    dump_events([distributed()], stream)
    assert stream.getvalue() == EXAMPLE_LINE + "\n"


def test_x1_data_fields_in_json_types() -> None:
    """X-1: dates, date-times, enums, booleans, tuples and None in their JSON types."""
    events = [
        val.RechoiceRegistered(
            case="K-2",
            at=datetime(2026, 7, 1, 9, 0, tzinfo=SE),
            actor=ASSESSOR,
            outgoing=NORR,
            incoming=Provider("Omsorg AB", ProviderKind.PRIVATE),
            form=val.ChoiceForm.ORAL,
            chosen_on=date(2026, 6, 30),
            home_health_care=True,
        ),
        val.UrgentlyAssigned(
            case="K-2",
            at=datetime(2026, 7, 1, 9, 0, tzinfo=SE),
            actor=ASSESSOR,
            provider=NORR,
            start_by=datetime(2026, 7, 1, 18, 0, tzinfo=SE),
        ),
        val.AssignmentPrepared(
            case="K-2",
            at=datetime(2026, 7, 1, 9, 0, tzinfo=SE),
            actor=ASSESSOR,
            relatives_phone_numbers=("08-123 45", "070-123 45 67"),
        ),
    ]
    data = [json.loads(dumps_event(e))["data"] for e in events]
    assert data == [
        {
            "outgoing": {"name": "Hemtjänst Norr", "kind": "kommunal"},
            "incoming": {"name": "Omsorg AB", "kind": "privat"},
            "form": "muntligt",
            "chosen_on": "2026-06-30",
            "home_health_care": True,
        },
        {
            "provider": {"name": "Hemtjänst Norr", "kind": "kommunal"},
            "start_by": "2026-07-01T18:00:00+02:00",
            "area": None,
        },
        {"relatives_phone_numbers": ["08-123 45", "070-123 45 67"]},
    ]


def test_x3_times_are_read_back_in_stockholm_time() -> None:
    """X-3: an `at` in another offset is the same instant, kept in Stockholm time."""
    event = loads_event(line_of(envelope(at="2026-03-02T14:10:00Z")))
    assert event.at == datetime(2026, 3, 2, 15, 10, tzinfo=SE)
    assert event.at.tzinfo is SE
    assert event.at.isoformat() == "2026-03-02T15:10:00+01:00"


def test_x3_the_repeated_hour_keeps_its_offset() -> None:
    """X-3: both 02:30 of the last Sunday of October round-trip to their own instant."""
    for utc_hour, offset in ((0, "+02:00"), (1, "+01:00")):
        moment = datetime(2026, 10, 25, utc_hour, 30, tzinfo=UTC).astimezone(SE)
        event = attrs.evolve(distributed(), at=moment)
        line = dumps_event(event)
        assert f'"at": "2026-10-25T02:30:00{offset}"' in line
        assert loads_event(line).at.utcoffset() == moment.utcoffset()


def test_x3_a_datetime_field_in_another_offset_is_read_in_stockholm_time() -> None:
    """X-3: a data date-time written in UTC is read as the same instant in Stockholm time."""
    data = {"start": "2026-03-04T06:00:00+00:00", "basis": "överenskommelse med kunden"}
    loaded = loads_event(line_of(envelope(type="later_start_agreed", data=data)))
    assert isinstance(loaded, val.LaterStartAgreed)
    assert loaded.start.tzinfo is SE
    assert loaded.start == datetime(2026, 3, 4, 7, 0, tzinfo=SE)
    assert json.loads(dumps_event(loaded))["data"]["start"] == "2026-03-04T07:00:00+01:00"


def test_x1_keys_with_a_default_may_be_left_out() -> None:
    """X-1: a data key whose field has a default may be missing; the default applies."""
    value = envelope(
        type="choice_registered", data={"provider": {"name": "A"}, "form": "skriftligt"}
    )
    event = loads_event(line_of(value))
    assert isinstance(event, val.ChoiceRegistered)
    assert event.home_health_care is False
    assert event.provider == Provider("A", ProviderKind.MUNICIPAL)


# --------------------------------------------------------------------------- streaming


def test_x1_load_events_streams_lazily() -> None:
    """X-1: load_events yields each event before it reads the next line."""

    def lines() -> Iterator[str]:
        yield EXAMPLE_LINE
        yield EXAMPLE_LINE.replace("K-1", "K-2")
        raise AssertionError("read past the second line")

    events = load_events(lines())
    assert next(events) == distributed()
    assert next(events) == distributed("K-2")


def test_x1_a_path_is_opened_only_when_read(tmp_path: Path) -> None:
    """X-1: nothing is read before the first event is asked for; the file closes after."""
    path = tmp_path / "later.jsonl"
    events = load_events(path)  # the file does not exist yet
    dump_events([distributed(), distributed("K-2")], path)
    assert next(events) == distributed()
    events.close()  # closes the file without reading on
    assert list(load_events(tmp_path / "later.jsonl")) == [distributed(), distributed("K-2")]
    with pytest.raises(FileNotFoundError):
        next(load_events(tmp_path / "missing.jsonl"))


def test_x1_blank_lines_are_skipped_but_counted() -> None:
    """X-1: blank lines are skipped; line numbers still count them."""
    assert list(load_events([EXAMPLE_LINE, "", "  \n", EXAMPLE_LINE + "\n"])) == [
        distributed(),
        distributed(),
    ]
    assert error_of(EXAMPLE_LINE, "", "{").startswith("line 3: ")


def test_x1_a_large_log_streams(tmp_path: Path) -> None:
    """X-1: a log of many events is read back one by one, in order."""
    path = tmp_path / "large.jsonl"
    events = (distributed(f"K-{n}") for n in range(5000))
    assert dump_events(events, path) == 5000
    cases = [event.case for event in load_events(path)]
    assert cases == [f"K-{n}" for n in range(5000)]


# --------------------------------------------------------------------------- errors


BAD_LINES = [
    pytest.param("{", ["not valid JSON"], id="malformed"),
    pytest.param("[1, 2]", ["a JSON object", "an array"], id="not-an-object"),
    pytest.param(line_of(envelope(routine="XYZ")), ["'routine'", "'XYZ'", "VAL"], id="routine"),
    pytest.param(
        line_of(envelope(type="assignment_lost")),
        ["'type'", "'assignment_lost'", "assignment_distributed"],
        id="type",
    ),
    pytest.param(line_of(envelope(at=None)), ["missing", "'at'"], id="missing-key"),
    pytest.param(line_of({**envelope(), "note": 1}), ["unknown", "'note'"], id="extra-key"),
    pytest.param(
        line_of(envelope(data={"provider": {"name": "A", "kind": "kommunal"}, "x": 1})),
        ["'data'", "unknown", "'x'", "provider"],
        id="extra-data-key",
    ),
    pytest.param(line_of(envelope(data={})), ["'data'", "missing", "'provider'"], id="no-data"),
    pytest.param(
        line_of(envelope(data={"provider": {"name": 7, "kind": "kommunal"}})),
        ["'data.provider.name'", "a string", "a number"],
        id="wrong-json-type",
    ),
    pytest.param(
        line_of(envelope(data={"provider": {"name": "A", "kind": "kommunalt"}})),
        ["'data.provider.kind'", '"kommunal"', '"privat"'],
        id="bad-enum",
    ),
    pytest.param(
        line_of(envelope(data={"provider": {"name": " A", "kind": "privat"}})),
        ["'data.provider.name'", "leading or trailing spaces"],
        id="refused-by-validator",
    ),
    pytest.param(
        line_of(envelope(at="2026-03-02T15:10:00")), ["'at'", "no offset"], id="naive-datetime"
    ),
    pytest.param(line_of(envelope(at="tomorrow")), ["'at'", "ISO 8601"], id="bad-datetime"),
    pytest.param(
        line_of(envelope(type="execution_registered", data={"executed_from": "2026-02-30"})),
        ["'data.executed_from'", "YYYY-MM-DD"],
        id="bad-date",
    ),
    pytest.param(
        line_of(envelope(type="execution_registered", data={"executed_from": "20260302"})),
        ["'data.executed_from'", "YYYY-MM-DD"],
        id="date-of-another-form",
    ),
    pytest.param(
        line_of(envelope(actor={"id": "bh-17", "role": "chef"})), ["'actor.role'"], id="bad-role"
    ),
    pytest.param(line_of(envelope(actor={"id": "bh-17"})), ["'actor'", "'role'"], id="no-role"),
    pytest.param(line_of(envelope(case="")), ["'case'", "non-empty"], id="empty-case"),
    pytest.param(
        line_of(envelope(type="assignment_prepared", data={"relatives_phone_numbers": ["1", 2]})),
        ["'data.relatives_phone_numbers[1]'", "a string"],
        id="array-item",
    ),
    pytest.param('{"case": "K-1", "case": "K-2"}', ["'case'", "twice"], id="duplicate-key"),
    pytest.param(
        line_of(envelope(type="later_start_agreed", data={"start": "2026-03-02", "basis": 1})),
        ["'data.start'", "no offset"],
        id="date-for-datetime",
    ),
]


@pytest.mark.parametrize(("bad", "fragments"), BAD_LINES)
def test_x1_a_bad_line_is_refused_naming_line_and_field(bad: str, fragments: list[str]) -> None:
    """X-1: a bad line raises InvalidInput naming its line number and what is wrong."""
    message = error_of(EXAMPLE_LINE, EXAMPLE_LINE, bad, EXAMPLE_LINE)
    assert message.startswith("line 3: "), message
    for fragment in fragments:
        assert fragment in message, message


def test_x1_loads_event_names_line_one() -> None:
    """X-1: the one-line reader names line 1, and refuses a blank line."""
    with pytest.raises(InvalidInput, match=r"^line 1: field 'at'"):
        loads_event(line_of(envelope(at=5)))
    with pytest.raises(InvalidInput, match="blank"):
        loads_event("  ")


def test_x1_a_binary_line_is_refused() -> None:
    """X-1: lines must be text: a log opened in binary mode is refused, naming the line."""
    with pytest.raises(InvalidInput, match=r"^line 1: .*text mode"):
        list(load_events(io.BytesIO(EXAMPLE_LINE.encode())))  # type: ignore[arg-type]


@pytest.mark.parametrize("source", [42, b"{}", None])
def test_x1_a_source_that_is_not_lines_is_refused_at_once(source: object) -> None:
    """X-1: load_events refuses a source that is no path or iterable before reading."""
    with pytest.raises(InvalidInput, match="source must be"):
        load_events(source)  # type: ignore[call-overload]


def test_x1_only_events_are_written() -> None:
    """X-1: dump_events refuses a non-event, after writing the events before it."""
    stream = io.StringIO()
    with pytest.raises(InvalidInput, match="Event values, not str"):
        dump_events([distributed(), "K-1"], stream)  # type: ignore[list-item]
    assert stream.getvalue() == EXAMPLE_LINE + "\n"
    with pytest.raises(InvalidInput, match="path"):
        dump_events([], io.StringIO(), append=True)
    with pytest.raises(InvalidInput, match="target must be"):
        dump_events([], 42)  # type: ignore[arg-type]


NUMBER = "19121212-1212"
HIDDEN = re.compile(r"1212-?1212|19121212|121212")


IDENTITY_CASES = {
    "case": envelope(case=NUMBER),
    "case-with-text": envelope(case=f"K {NUMBER}"),
    "actor-id": envelope(actor={"id": NUMBER, "role": "utförare"}),
    "actor-role": envelope(actor={"id": "bh-1", "role": NUMBER}),
    "routine": envelope(routine=NUMBER),
    "type": envelope(type=NUMBER),
    "type-with-letter": envelope(type=f"x{NUMBER}"),
    "at": envelope(at=NUMBER),
    "key": {**envelope(), NUMBER: 1},
    "key-with-letter": {**envelope(), f"k{NUMBER}": 1},
    "enum": envelope(data={"provider": {"name": "A", "kind": NUMBER}}),
    "nested-key": envelope(data={"provider": {"name": "A", "kind": "privat", NUMBER: NUMBER}}),
    "date": envelope(type="execution_registered", data={"executed_from": NUMBER}),
    "number-for-text": envelope(type="providers_mediated", data={"note": 191212121212}),
}


@pytest.mark.parametrize("bad", IDENTITY_CASES.values(), ids=IDENTITY_CASES.keys())
def test_x7_messages_never_repeat_an_identity_number(bad: dict[str, object]) -> None:
    """X-7: an identity number in any value or key of a bad line is not in the message."""
    message = error_of(line_of(bad))
    assert message.startswith("line 1: ")
    assert not HIDDEN.search(message), message


@given(strategies.personal_identity_numbers(), st.sampled_from(["case", "type", "at", "key"]))
def test_x7_no_digit_of_a_generated_identity_number_reaches_a_message(
    number: PersonalIdentityNumber, where: str
) -> None:
    """X-7: whichever valid number is put where, no run of its digits is in the message."""
    digits = number.reveal()
    written = f"{digits[:8]}-{digits[8:]}"
    bad = {**envelope(), written: 1} if where == "key" else envelope(**{where: written})
    message = error_of(line_of(bad))
    assert not re.search(r"[0-9]{6}", message), message
    # The message's own words ("an ISO 8601 date-time") are no digits of the number.
    assert digits[8:] not in message.replace("ISO 8601", "ISO"), message


def test_x7_refused_values_are_not_chained_into_the_error() -> None:
    """X-7: the error carries no chained exception that could hold the line."""
    with pytest.raises(InvalidInput) as caught:
        loads_event(line_of(envelope(case=NUMBER)))
    assert caught.value.__cause__ is None
    assert caught.value.__context__ is None


# --------------------------------------------------------------------------- own event classes


class Colour(enum.Enum):
    """Colour of a test event."""

    RED = "röd"
    BLUE = "blå"


@attrs.frozen
class Tag:
    """A nested value of a test event."""

    label: str
    weight: int = 1


@attrs.frozen(kw_only=True)
class Painted(Event):
    """Test event of a routine of its own."""

    routine: ClassVar[str] = "TEST"

    colour: Colour
    """The colour."""
    tags: tuple[Tag, ...] = ()
    """Tags."""
    when: date | None = None
    """A day, if any."""


def test_x1_a_caller_can_log_its_own_event_classes() -> None:
    """X-1: load_events(types=...) reads a caller's own attrs event classes."""
    event = Painted(
        case="T-1",
        at=datetime(2026, 1, 1, tzinfo=SE),
        actor=ASSESSOR,
        colour=Colour.BLUE,
        tags=(Tag("a"), Tag("b", 3)),
        when=date(2026, 1, 2),
    )
    line = dumps_event(event)
    assert json.loads(line)["data"] == {
        "colour": "blå",
        "tags": [{"label": "a", "weight": 1}, {"label": "b", "weight": 3}],
        "when": "2026-01-02",
    }
    assert list(load_events([line], types=[Painted])) == [event]
    assert list(load_events([line, EXAMPLE_LINE], types=[Painted, *EVENT_TYPES.values()])) == [
        event,
        distributed(),
    ]
    with pytest.raises(
        InvalidInput, match="'routine': unknown routine 'TEST'; known routines: VAL"
    ):
        loads_event(line)
    with pytest.raises(InvalidInput, match=r"'data\.tags\[0\]\.weight': expected an integer"):
        loads_event(line.replace('"weight": 1', '"weight": 1.5'), types=[Painted])


def test_a_field_type_the_log_cannot_write_is_a_type_error_when_registered() -> None:
    """X-1: an event class with a field type the log cannot write fails at registration."""

    @attrs.frozen(kw_only=True)
    class Measured(Event):
        routine: ClassVar[str] = "TEST"
        amount: float

    @attrs.frozen(kw_only=True)
    class Nameless(Event):
        pass

    with pytest.raises(InvalidInput, match=r"Measured\.amount: .*cannot write the type"):
        load_events([], types=[Measured])
    with pytest.raises(InvalidInput, match="must name its routine"):
        load_events([], types=[Nameless])
    with pytest.raises(InvalidInput, match="attrs subclasses of Event"):
        load_events([], types=[Tag])  # type: ignore[list-item]
    for junk in (Tag, "VAL", 3):
        with pytest.raises(InvalidInput, match="types must be None or an iterable"):
            load_events([], types=junk)  # type: ignore[arg-type]
        with pytest.raises(InvalidInput, match="types must be None or an iterable"):
            loads_event("{}", types=junk)  # type: ignore[arg-type]


def test_two_classes_with_one_type_name_are_refused() -> None:
    """X-1: two classes may not share a routine and type in one registry."""

    @attrs.frozen(kw_only=True)
    class Painted(Event):  # same name as the module's Painted, so the same type name
        routine: ClassVar[str] = "TEST"

    with pytest.raises(InvalidInput, match="two event classes"):
        load_events([], types=[Painted, globals()["Painted"]])


# --------------------------------------------------------------------------- registry and docs


def test_x1_every_val_event_is_registered_by_routine_and_type() -> None:
    """X-1: EVENT_TYPES maps (routine, snake_case type) to every event class of VAL."""
    assert EVENT_TYPES[("VAL", "assignment_distributed")] is val.AssignmentDistributed
    assert {cls for (routine, _), cls in EVENT_TYPES.items() if routine == "VAL"} == set(val.EVENTS)
    for (routine, name), cls in EVENT_TYPES.items():
        assert routine == cls.routine
        assert name == cls.type_name()
        assert re.fullmatch(r"[a-z]+(_[a-z]+)*", name)


def test_x1_docs_events_md_is_generated_from_the_classes() -> None:
    """X-1: docs/events.md is exactly what events_reference() renders."""
    text = (ROOT / "docs" / "events.md").read_text(encoding="utf-8")
    assert text == events_reference(), (
        "docs/events.md is out of date; regenerate it with "
        "`python -m arendefordelning.eventlog > docs/events.md`"
    )


def test_x1_the_reference_documents_every_type_and_field() -> None:
    """X-1: each event type has a heading, its class, and a row with a meaning per field."""
    reference = events_reference()
    assert EXAMPLE_LINE in reference
    sections = reference.split("\n### ")
    for (routine, name), cls in EVENT_TYPES.items():
        section = next(s for s in sections if s.startswith(f"{name}\n"))
        assert f"`{cls.__name__}`: " in section
        assert cls.__doc__ is not None
        assert cls.__doc__.splitlines()[0] in section
        own = [f for f in attrs.fields(cls) if f.name not in {"case", "at", "recorded_at", "actor"}]
        rows = [line for line in section.splitlines() if line.startswith("| `")]
        assert [row.split("`")[1] for row in rows] == [f.name for f in own], routine
        assert all(not row.endswith("| — |") for row in rows), rows
        if not own:
            assert "`data` is `{}`" in section
    assert '| `form` | one of `"skriftligt"`, `"muntligt"` |' in reference
    assert '| `requested_takeover` | date "YYYY-MM-DD" or null;' in reference
    assert "| `relatives_phone_numbers` | array of strings;" in reference


def test_x1_the_example_moment_is_stockholm_winter_time() -> None:
    """X-1: the documented example's `at` is 15:10 Stockholm time, one hour ahead of UTC."""
    at = distributed().at
    assert at.utcoffset() == timedelta(hours=1)
    assert at.astimezone(UTC).hour == 14


# --------------------------------------------------------------------------- hardening


def test_x1_a_line_that_is_not_utf8_is_refused_naming_the_line(tmp_path: Path) -> None:
    """X-1: a log that is not UTF-8 raises InvalidInput naming the line, not UnicodeDecodeError."""
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(EXAMPLE_LINE.encode("utf-8") + b"\n" + EXAMPLE_LINE.encode("latin-1") + b"\n")
    events = load_events(path)
    assert next(events) == distributed()
    with pytest.raises(InvalidInput, match=r"^line 2: not UTF-8 text") as caught:
        next(events)
    assert caught.value.__cause__ is None
    assert caught.value.__context__ is None


def test_x1_a_stream_that_cannot_be_decoded_is_refused_naming_the_line(tmp_path: Path) -> None:
    """X-1: an open text stream that fails to decode raises InvalidInput naming the line."""
    path = tmp_path / "bad.jsonl"
    path.write_bytes(EXAMPLE_LINE.encode("utf-8") + b"\n\xff\xfe{}\n")
    with (
        open(path, encoding="utf-8") as stream,
        pytest.raises(InvalidInput, match=r"^line [12]: the stream could not be decoded"),
    ):
        list(load_events(stream))


@pytest.mark.parametrize(
    "escaped",
    ["\\ud800", "\\uDFFF", "\\udc00\\ud800", "x\\ud83d"],
    ids=["high", "low", "swap", "half"],
)
def test_x1_a_lone_surrogate_is_refused_at_load(escaped: str) -> None:
    """X-1: valid JSON that decodes to a lone surrogate would not write back: refused."""
    line = EXAMPLE_LINE.replace('"Hemtjänst Norr"', f'"Hemtjänst {escaped}"')
    assert json.loads(line)  # valid JSON...
    with pytest.raises(InvalidInput, match="lone UTF-16 surrogate"):
        loads_event(line)  # ...but not text
    raw = EXAMPLE_LINE.replace("Norr", "\ud800")
    with pytest.raises(InvalidInput, match="lone UTF-16 surrogate"):
        loads_event(raw)


def test_x1_an_escaped_surrogate_pair_is_text_and_round_trips() -> None:
    """X-1: a pair of surrogate escapes is one character (an emoji) and loads."""
    line = EXAMPLE_LINE.replace('"Hemtjänst Norr"', '"Hemtjänst \\ud83d\\ude00"')
    event = loads_event(line)
    assert isinstance(event, val.AssignmentDistributed)
    assert event.provider.name == "Hemtjänst 😀"
    assert loads_event(dumps_event(event)) == event


@given(st.text(max_size=30))
def test_x1_every_loaded_line_writes_back_to_an_equal_event(name: str) -> None:
    """X-1: whatever a loaded line holds, it dumps and loads back to an equal event."""
    line = EXAMPLE_LINE.replace('"Hemtjänst Norr"', json.dumps(name))
    try:
        event = loads_event(line)
    except InvalidInput:
        return
    assert loads_event(dumps_event(event)) == event


@pytest.mark.parametrize("name", ["19121212-1212.jsonl", "191212121212", "logg 19121212-1212.csv"])
def test_x7_a_missing_log_named_after_a_person_is_refused_masked(tmp_path: Path, name: str) -> None:
    """X-7: ``load_events`` and ``dump_events`` keep FileNotFoundError, its path masked."""
    missing = tmp_path / "saknas" / name
    with pytest.raises(FileNotFoundError) as loading:
        list(load_events(missing))
    with pytest.raises(FileNotFoundError) as dumping:
        dump_events([], str(missing))
    for caught in (loading, dumping):
        text = f"{caught.value} {caught.value.filename} {caught.value!r}"
        assert "1212.jsonl" not in text
        assert "121212121212" not in text
        assert "19121212-****" in text or "191212******" in text
        assert caught.value.__cause__ is None
        assert caught.value.__suppress_context__
