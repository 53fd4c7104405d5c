"""The event log's codecs: event fields to and from JSON, X-1.

Each event class's fields to and from JSON types, the fast path that decodes a common
line without the general machinery, and the registry of event classes by routine and
type.

Private to :mod:`arendefordelning.eventlog`, which reads and writes logs with them.
"""

from __future__ import annotations

import enum
import functools
import json
import linecache
import os
import re
import sys
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from typing import Any, Final

import attrs

from ._time import STOCKHOLM, UTC
from ._validators import describe
from .errors import InvalidInput
from .kernel import Actor, Event, check_identifier
from .kernel._base import _CHECKED as _IDENTIFIERS

_ENVELOPE: Final = ("case", "routine", "type", "at", "recorded_at", "actor", "data")
_OPTIONAL: Final = frozenset({"recorded_at"})
_ENVELOPE_KEYS: Final = frozenset(_ENVELOPE)
_ENVELOPE_REQUIRED: Final = _ENVELOPE_KEYS - _OPTIONAL
_BASE_FIELDS: Final = frozenset(f.name for f in attrs.fields(Event))
_DATE: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# Names that may be echoed in a message: identifier-shaped text without a long digit run,
# so that no part of a personal identity number is ever shown.
_NAME_LIKE: Final = re.compile(r"(?!.*[0-9]{5})[A-Za-z_][A-Za-z0-9_-]{0,59}")

# --------------------------------------------------------------------------- messages


_JSON_KINDS: Final[tuple[tuple[type, str], ...]] = (
    (bool, "a boolean"),
    (int, "a number"),
    (float, "a number"),
    (str, "a string"),
    (list, "an array"),
    (dict, "an object"),
)


def _json_kind(value: object) -> str:
    """Describe a decoded JSON value by its JSON type only, never by its content (X-7)."""
    if value is None:
        return "null"
    for kind, words in _JSON_KINDS:
        if isinstance(value, kind):
            return words
    return f"a value of type {type(value).__name__}"


def _name_of(text: str) -> str:
    """Quote a name read from the log (a key, a type) if it looks like one (X-7)."""
    if _NAME_LIKE.fullmatch(text):
        return repr(text)
    return "a name of another form"


def _wrong(path: str, expected: str, value: object) -> InvalidInput:
    return InvalidInput(f"field '{path}': expected {expected}, got {_json_kind(value)}")


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _locate(message: str, paths: Mapping[str, str], fallback: str) -> str:
    """Name the field a validator's message is about: messages start with the field name."""
    for name in sorted(paths, key=len, reverse=True):
        if message.startswith(f"{name} "):
            return f"field '{paths[name]}': {message}"
    return f"{fallback}: {message}"


# --------------------------------------------------------------------------- codecs


@attrs.frozen
class _Codec:
    """How one Python type travels as JSON: encoder, decoder and its description."""

    encode: Callable[[Any], Any]
    """Python value to JSON value."""
    decode: Callable[[Any, str], Any]
    """JSON value and the field's path to Python value; raises InvalidInput."""
    json_type: str
    """The JSON type in words, for docs/events.md."""
    objects: tuple[type, ...] = ()
    """The attrs classes this codec writes as nested objects, for docs/events.md."""


def _same(value: Any) -> Any:
    return value


def _decode_str(value: Any, path: str) -> Any:
    if type(value) is not str:
        raise _wrong(path, "a string", value)
    return value


def _decode_bool(value: Any, path: str) -> Any:
    if type(value) is not bool:
        raise _wrong(path, "a boolean (true or false)", value)
    return value


def _decode_int(value: Any, path: str) -> Any:
    if type(value) is not int:
        raise _wrong(path, "an integer", value)
    return value


def _isoformat(value: Any) -> Any:
    return value.isoformat()


def _decode_date(value: Any, path: str) -> Any:
    if type(value) is not str:
        raise _wrong(path, 'a date string "YYYY-MM-DD"', value)
    parsed: date | None = None
    if _DATE.fullmatch(value):
        try:
            parsed = date.fromisoformat(value)
        except ValueError:
            parsed = None
    if parsed is None:
        raise InvalidInput(
            f"field '{path}': expected a calendar date \"YYYY-MM-DD\", got a string that is not one"
        )
    return parsed


def _decode_instant(value: Any, path: str) -> datetime:
    """Parse an ISO 8601 date-time with an offset; the offset is kept (X-3)."""
    if type(value) is not str:
        raise _wrong(path, "a date-time string with offset", value)
    parsed: datetime | None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        parsed = None
    if parsed is None:
        raise InvalidInput(
            f"field '{path}': expected an ISO 8601 date-time with offset such as "
            '"2026-03-02T15:10:00+01:00", got a string that is not one'
        )
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise InvalidInput(
            f"field '{path}': the date-time has no offset; give one such as +01:00 "
            "(times without a time zone are refused, X-3)"
        )
    return parsed


def _decode_datetime(value: Any, path: str) -> Any:
    parsed = _decode_instant(value, path)
    try:
        return parsed.astimezone(STOCKHOLM)
    except OverflowError:
        pass  # raised below, outside the handler, so no traceback is chained
    raise InvalidInput(
        f"field '{path}': the date-time lies outside the years Python can represent in "
        "Stockholm time (1–9999)"
    )


_STR: Final = _Codec(_same, _decode_str, "string")
_BOOL: Final = _Codec(_same, _decode_bool, "boolean")
_INT: Final = _Codec(_same, _decode_int, "integer")
_DATE_CODEC: Final = _Codec(_isoformat, _decode_date, 'date "YYYY-MM-DD"')
_DATETIME: Final = _Codec(
    _isoformat, _decode_datetime, 'date-time with offset (`"2026-03-02T15:10:00+01:00"`)'
)


def _enum_codec(kind: type[enum.Enum], owner: str) -> _Codec:
    members: dict[str, enum.Enum] = {}
    for member in kind:
        if not isinstance(member.value, str):
            raise TypeError(
                f"{owner}: the event log writes enums by their values, which must be str; "
                f"{kind.__name__}.{member.name} has a value of type {type(member.value).__name__}"
            )
        members[member.value] = member
    choices = ", ".join(json.dumps(value, ensure_ascii=False) for value in members)

    def encode(value: Any) -> Any:
        return value.value

    def decode(value: Any, path: str) -> Any:
        if type(value) is not str:
            raise _wrong(path, f"one of the strings {choices}", value)
        member = members.get(value)
        if member is None:
            raise InvalidInput(
                f"field '{path}': expected one of {choices}, got a string that is not among them"
            )
        return member

    described = ", ".join(f"`{json.dumps(v, ensure_ascii=False)}`" for v in members)
    return _Codec(encode, decode, f"one of {described}")


def _optional(inner: _Codec) -> _Codec:
    def encode(value: Any) -> Any:
        return None if value is None else inner.encode(value)

    def decode(value: Any, path: str) -> Any:
        return None if value is None else inner.decode(value, path)

    return _Codec(encode, decode, f"{inner.json_type} or null", inner.objects)


def _array(inner: _Codec) -> _Codec:
    def encode(value: Any) -> Any:
        return [inner.encode(item) for item in value]

    def decode(value: Any, path: str) -> Any:
        if type(value) is not list:
            raise _wrong(path, "an array", value)
        return tuple(inner.decode(item, f"{path}[{index}]") for index, item in enumerate(value))

    plural = "strings" if inner is _STR else f"items each {inner.json_type}"
    return _Codec(encode, decode, f"array of {plural}", inner.objects)


_NO_DEFAULT: Final = object()
_PATHS_KEPT: Final = 64
_VALUES_KEPT: Final = 512


@attrs.frozen
class _Field:
    """One attrs field as a JSON key."""

    name: str
    """The attrs field name, which is the JSON key."""
    alias: str
    """The constructor's keyword for it."""
    codec: _Codec
    """How its value travels."""
    default: object
    """Its default value as JSON, or _NO_DEFAULT when the key is required."""


@attrs.frozen
class _Schema:
    """The fields of an attrs class as the keys of a JSON object."""

    owner: str
    """The class's name, for messages."""
    fields: tuple[_Field, ...]
    """The fields, in the class's order."""
    names: frozenset[str]
    """The keys."""
    required: tuple[str, ...]
    """The keys that must be given."""
    required_keys: frozenset[str] = attrs.field(
        init=False, default=attrs.Factory(lambda self: frozenset(self.required), takes_self=True)
    )
    """The same, as a set."""
    _paths: dict[str, dict[str, str]] = attrs.field(init=False, factory=dict, eq=False)
    """Each field's path under a parent's path, as met (a path is built once)."""

    def encode(self, value: object) -> dict[str, Any]:
        return {f.name: f.codec.encode(getattr(value, f.name)) for f in self.fields}

    def decode(self, value: Any, path: str) -> dict[str, Any]:
        """Decode a JSON object into constructor keywords; raises InvalidInput."""
        if type(value) is not dict:
            raise _wrong(path, "an object", value)
        keys = value.keys()
        if keys <= self.names and self.required_keys <= keys:
            paths = self._paths.get(path)
            if paths is None:
                paths = {f.name: _join(path, f.name) for f in self.fields}
                if len(self._paths) < _PATHS_KEPT:  # items of long arrays are not kept
                    self._paths[path] = paths
            return {
                f.alias: f.codec.decode(value[f.name], paths[f.name])
                for f in self.fields
                if f.name in value
            }
        if value.keys() - self.names:
            unknown = ", ".join(sorted(_name_of(k) for k in value.keys() - self.names))
            known = ", ".join(f.name for f in self.fields) or "none"
            raise InvalidInput(
                f"field '{path}': unknown key(s) {unknown} for {self.owner}; its keys are: {known}"
            )
        missing = [name for name in self.required if name not in value]
        if missing:
            raise InvalidInput(
                f"field '{path}': missing key(s) {', '.join(map(repr, missing))} for {self.owner}"
            )
        return {
            f.alias: f.codec.decode(value[f.name], _join(path, f.name))
            for f in self.fields
            if f.name in value
        }


def _schema(cls: type, skip: frozenset[str] = frozenset()) -> _Schema:
    """Build the schema of an attrs class from its resolved field types."""
    owner = cls.__name__
    try:
        hints = typing.get_type_hints(cls)
    except Exception as error:  # any failure to resolve is a programming error here
        raise TypeError(f"{owner}: the field types cannot be resolved ({error})") from error
    fields: list[_Field] = []
    for field in attrs.fields(cls):
        if not field.init or field.name in skip:
            continue
        codec = _codec_for(hints.get(field.name, field.type), f"{owner}.{field.name}")
        default: object = _NO_DEFAULT
        if isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
            factory: Any = field.default
            if not factory.takes_self:
                default = codec.encode(factory.factory())
        elif field.default is not attrs.NOTHING:
            default = codec.encode(field.default)
        fields.append(_Field(field.name, field.alias or field.name, codec, default))
    return _Schema(
        owner=owner,
        fields=tuple(fields),
        names=frozenset(f.name for f in fields),
        required=tuple(f.name for f in fields if f.default is _NO_DEFAULT),
    )


@functools.cache
def _object_codec(cls: type) -> _Codec:
    """Codec of a nested attrs value (a provider): an object keyed by its field names."""
    schema = _schema(cls)
    paths = {f.name: f.name for f in schema.fields}
    # The same actor or provider comes back line after line: a value built from the
    # same keys and strings is the same frozen value, so it is kept and shared.
    kept: dict[tuple[tuple[str, Any], ...], Any] = {}

    def decode(value: Any, path: str) -> Any:
        key: tuple[tuple[str, Any], ...] | None = None
        if type(value) is dict and all(type(v) is str or v is None for v in value.values()):
            key = tuple(value.items())  # only strings and null: equal means the same JSON
            found = kept.get(key)
            if found is not None:
                return found
        keywords = schema.decode(value, path)
        message: str
        try:
            made = cls(**keywords)
            if key is not None:
                if len(kept) >= _VALUES_KEPT:
                    kept.clear()
                kept[key] = made
            return made
        except InvalidInput as error:
            message = str(error)
        except (TypeError, ValueError) as error:
            message = f"{cls.__name__} refused the values ({type(error).__name__})"
        raise InvalidInput(
            _locate(message, {k: _join(path, v) for k, v in paths.items()}, f"field '{path}'")
        )

    label = f"{cls.__name__} object"
    nested = tuple(dict.fromkeys((cls, *(c for f in schema.fields for c in f.codec.objects))))
    return _Codec(schema.encode, decode, label, nested)


_SUPPORTED: Final = (
    "str, bool, int, datetime.date, datetime.datetime, an enum with str values, an attrs "
    "class, X | None and tuple[X, ...] of these"
)


def _codec_for(kind: object, owner: str) -> _Codec:
    """Codec of a resolved type; a type the log cannot write is a TypeError."""
    simple = {str: _STR, bool: _BOOL, int: _INT, datetime: _DATETIME, date: _DATE_CODEC}
    if isinstance(kind, type):
        if kind in simple:
            return simple[kind]
        if issubclass(kind, enum.Enum):
            return _enum_codec(kind, owner)
        if attrs.has(kind):
            return _object_codec(kind)
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin in (types.UnionType, typing.Union):
        rest = [a for a in args if a is not type(None)]
        if len(rest) == 1 and len(args) == 2:
            return _optional(_codec_for(rest[0], owner))
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return _array(_codec_for(args[0], owner))
    raise TypeError(
        f"{owner}: the event log cannot write the type {kind!r}; supported: {_SUPPORTED}"
    )


# --------------------------------------------------------------------------- event classes


@attrs.frozen
class _EventCodec:
    """How one event class travels: its envelope names and its data schema."""

    cls: type[Event]
    """The event class."""
    routine: str
    """The routine's code."""
    type_name: str
    """The ``type`` in the envelope."""
    data: _Schema
    """Its own fields, under ``data``."""
    paths: Mapping[str, str]
    """Field name to field path in the envelope, for messages."""


_ACTOR: Final = _object_codec(Actor)


_EVENT_CODECS: Final[dict[type[Event], _EventCodec]] = {}

# --------------------------------------------------------------------------- the fast path
#
# Most lines of a log are well formed. For those, a decoder made for each event type
# reads the envelope parsed by the fast parser (json's own scanner, or msgspec's) and
# builds the event without checking again what its codec has just checked (the case
# number, the times, the actor). Every
# check still runs once: the fields' own converters and validators (the identity
# check of free text among them), the order of ``at`` and ``recorded_at``, duplicate
# keys (a line whose objects hold fewer keys than the line writes keys is read again
# slowly). Anything the fast path does not expect (another shape, a value refused)
# goes to the slow path, which checks every step again and names the field.

_ENVELOPE_BARE: Final = frozenset(_ENVELOPE) - _OPTIONAL
_FastResult = tuple[Event, int]


def _fast_time(value: object) -> datetime | None:
    """Return a date-time string as a Stockholm datetime, or None (the slow path says why).

    Parsed with its offset and converted (``astimezone``: canonical, ``fold`` set as
    the zone says), as the slow path converts it. On CPython 3.11 the conversion costs
    about half as much as setting the zone on a parsed wall-clock time
    (``replace(tzinfo=...)``), which this path did on days without a change of offset.
    """
    if type(value) is not str:
        return None
    try:
        parsed = datetime.fromisoformat(value)
        if parsed.tzinfo is None:
            return None
        return parsed.astimezone(STOCKHOLM)
    except (ValueError, OverflowError):
        return None


def _keys_in(value: object) -> int:
    """How many keys the objects of a decoded JSON value hold, nested ones included."""
    if type(value) is dict:
        return len(value) + sum(_keys_in(item) for item in value.values())
    if type(value) is list:
        return sum(_keys_in(item) for item in value)
    return 0


def _fast_case(case: object) -> str | None:
    """Return a case number once checked, the same string object each time; None if bad.

    A log repeats a case number on every event of the case: keeping one string for it
    keeps a large log's events small.
    """
    if type(case) is not str:
        return None
    if case not in _IDENTIFIERS:
        try:
            check_identifier("case", case)
        except InvalidInput:
            return None
    return sys.intern(case)


def _fast_actor(person: object, actors: dict[Any, tuple[Any, Actor]]) -> Actor | None:
    """Return the actor of an envelope (kept by its id once decoded), or None."""
    if type(person) is not dict or len(person) != 2:
        return None
    key = person.get("id")
    found = actors.get(key)
    if found is not None and found[0] == person.get("role"):
        return found[1]
    try:
        actor: Actor = _ACTOR.decode(person, "actor")
    except InvalidInput:
        return None
    if len(actors) >= _VALUES_KEPT:
        actors.clear()
    actors[key] = (person.get("role"), actor)
    return actor


_ENVELOPE_SOURCE: Final = (
    "def decode(envelope):",
    "    size = len(envelope)",
    "    if size == 6 and envelope.keys() == _bare:",
    "        recorded_at = None",
    "    elif size == 7 and envelope.keys() == _full:",
    "        recorded_at = _time(envelope['recorded_at'])",
    "        if recorded_at is None: return None",
    "    else: return None",
    "    at = _time(envelope['at'])",
    "    if at is None: return None",
    "    if recorded_at is not None and recorded_at.astimezone(_utc) < at.astimezone(_utc):",
    "        return None",
    "    case = _case(envelope['case'])",
    "    if case is None: return None",
    "    actor = _actor(envelope['actor'], _actors)",
    "    if actor is None: return None",
    "    data = envelope['data']",
    "    if type(data) is not dict: return None",
    "    keys = data.keys()",
    "    if not (keys <= _names and _required <= keys): return None",
    "    count = size + 2 + len(data)",
    "    new = _new(_cls)",
    "    _set_case(new, case)",
    "    _set_at(new, at)",
    "    _set_actor(new, actor)",
    "    _set_recorded_at(new, recorded_at)",
    "    try:",
)
"""The part of every fast decoder that reads the envelope (generated code, as attrs')."""


def _fast_decoder(codec: _EventCodec) -> Callable[[dict[str, Any]], _FastResult | None]:
    """Make the fast path's decoder of one event type: the event and its keys, or None.

    Generated for the type, as attrs generates its methods: it reads the envelope, sets
    the already checked ``case``, ``at``, ``actor`` and ``recorded_at`` on a new event,
    then each own field through its codec and its converter, then runs the fields'
    validators and ``__attrs_post_init__``, as attrs' ``__init__`` does. A type whose
    fields it cannot build that way always goes to the slow path.
    """
    cls = codec.cls
    fields = {f.name: f for f in attrs.fields(cls)}
    schema = codec.data
    own = [fields[f.name] for f in schema.fields]
    if any(not f.init or hasattr(f.converter, "takes_self") for f in own) or len(own) != len(
        [f for f in fields.values() if f.name not in _BASE_FIELDS]
    ):
        return _never
    namespace: dict[str, Any] = {
        "_new": object.__new__,
        "_cls": cls,
        "_bare": _ENVELOPE_BARE,
        "_full": _ENVELOPE_KEYS,
        "_time": _fast_time,
        "_case": _fast_case,
        "_actor": _fast_actor,
        "_actors": {},
        "_names": schema.names,
        "_required": schema.required_keys,
        "_keys_in": _keys_in,
        "_utc": UTC,
        "_refused": (InvalidInput, TypeError, ValueError),
        "_str": str,
        "_absent": _ABSENT,
        "_not_text": _refuse_kind,
        "_intern": sys.intern,
    }
    namespace.update({f"_set_{name}": _slot_setter(cls, name) for name in _BASE_FIELDS})
    lines = list(_ENVELOPE_SOURCE)
    for index, (item, field) in enumerate(zip(schema.fields, own, strict=True)):
        lines += _field_source(index, item, field, cls, namespace)
    for index, field in enumerate(own):
        if field.validator is not None:
            namespace[f"_validate_{index}"] = field.validator
            namespace[f"_field_{index}"] = field
            lines.append(f"        _validate_{index}(new, _field_{index}, new.{field.name})")
    if getattr(cls, "__attrs_post_init__", None) is not None:
        lines.append("        new.__attrs_post_init__()")
    if lines[-1] == "    try:":
        lines.append("        pass")
    lines += ["    except _refused: return None", "    return new, count"]
    source = "\n".join(lines) + "\n"
    filename = f"<arendefordelning event log: decode {cls.__qualname__}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
    exec(compile(source, filename, "exec"), namespace)  # from attrs.fields, as attrs does
    decoder: Callable[[dict[str, Any]], _FastResult | None] = namespace["decode"]
    return decoder


def _field_source(
    index: int, item: _Field, field: attrs.Attribute[Any], cls: type, namespace: dict[str, Any]
) -> list[str]:
    """Return the generated lines that read one own field of an event from ``data``."""
    namespace[f"_set_{index}"] = _slot_setter(cls, field.name)
    namespace[f"_decode_{index}"] = item.codec.decode
    key = item.name
    required = field.default is attrs.NOTHING
    lines = [
        f"        v = data[{key!r}]" if required else f"        v = data.get({key!r}, _absent)"
    ]
    decode = (
        "(_intern(v) if len(v) <= 40 else v) if v.__class__ is _str else _not_text(v)"
        if item.codec is _STR
        else f"_decode_{index}(v, {key!r})"
    )
    if item.codec.objects:
        lines.append(
            "        count += _keys_in(v)"
            if required
            else "        if v is not _absent: count += _keys_in(v)"
        )
    if required:
        lines.append(f"        v = {decode}")
    else:
        default = field.default
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            namespace[f"_default_{index}"] = typing.cast(Any, default).factory
            fallback = f"_default_{index}()"
        else:
            namespace[f"_default_{index}"] = default
            fallback = f"_default_{index}"
        lines.append(f"        v = {fallback} if v is _absent else {decode}")
    if field.converter is not None:
        namespace[f"_convert_{index}"] = field.converter
        lines.append(f"        v = _convert_{index}(v)")
    lines.append(f"        _set_{index}(new, v)")
    return lines


_ABSENT: Final = object()


def _never(envelope: dict[str, Any]) -> None:
    """Send every line of a type the fast path cannot build to the slow path."""
    return


def _refuse_kind(value: object) -> object:
    raise TypeError("not a string")


def _slot_setter(cls: type, name: str) -> Callable[[Any, Any], None]:
    descriptor = next(k.__dict__[name] for k in cls.__mro__ if name in k.__dict__)
    setter: Callable[[Any, Any], None] = descriptor.__set__
    return setter


_SCAN: Final[Callable[[str, int], tuple[Any, int]]] = getattr(json.JSONDecoder(), "scan_once")  # noqa: B009 - not in the stubs
_JSON_SPACE: Final = " \t\n\r"


def _scan_json(line: str) -> Any:
    """Parse a line with the standard library's C scanner (what json.loads runs).

    Raises ValueError for anything but one JSON value and JSON whitespace after it.
    """
    value, end = _SCAN(line, 0)  # the C scanner json.loads runs, without its wrapper
    if end != len(line) and line[end:].strip(_JSON_SPACE):
        raise ValueError("more than one JSON value")
    return value


def _fast_parser() -> tuple[str, Callable[[str], Any], tuple[type[Exception], ...]]:
    """Return the fast path's JSON parser: msgspec's (the extra ``[fast]``) or the stdlib's.

    msgspec parses a line into the same dicts, lists, strings and numbers as
    :func:`json.loads`, in C and two to four times as fast; where the two could differ
    (``NaN``, a number beyond a float's range, an escape, trailing characters) msgspec
    refuses and the line goes to the slow path, which decides with the standard
    library. Set ``ARENDEFORDELNING_JSON=stdlib`` to read without it.
    """
    if os.environ.get("ARENDEFORDELNING_JSON", "").strip().lower() != "stdlib":
        try:
            import msgspec  # noqa: PLC0415 - optional (the extra [fast])
        except ImportError:
            pass
        else:
            return "msgspec", msgspec.json.decode, (ValueError, RecursionError)
    return "stdlib", _scan_json, (ValueError, RecursionError, StopIteration)


JSON_PARSER, _PARSE_FAST, _PARSE_REFUSED = _fast_parser()
"""The fast path's parser by name (``"msgspec"`` or ``"stdlib"``), the parser, and what
it raises for a line it cannot read."""


def _fast_envelope(
    line: str,
    parse: Callable[[str], Any] = _PARSE_FAST,
    refused: tuple[type[Exception], ...] = _PARSE_REFUSED,
) -> dict[str, Any] | None:
    """Parse a line the fast path may read: a JSON object, or None for the slow path."""
    if "\\u" in line or '" ' in line or '"\t' in line or '"\r' in line or line[:1] != "{":
        return None
    try:
        envelope = parse(line)
    except refused:
        return None
    if type(envelope) is not dict:
        return None
    return envelope


def _fast_line(
    line: str,
    registry: _Registry,
    parse: Callable[[str], Any] = _PARSE_FAST,
    refused: tuple[type[Exception], ...] = _PARSE_REFUSED,
) -> Event | None:
    r"""Read a well-formed line by the fast path: its event, or None for the slow path.

    The line must not hold an escape (``\u``: a lone surrogate is checked slowly) nor a
    key spaced from its colon; the keys its objects hold must be as many as the keys the
    line writes (no key given twice).
    """
    envelope = _fast_envelope(line, parse, refused)
    if envelope is None:
        return None
    routine, kind = envelope.get("routine"), envelope.get("type")
    if type(routine) is not str or type(kind) is not str:  # a list is no key: slow path
        return None
    key = (routine, kind)
    decoder = registry.fast.get(key)
    if decoder is None:
        codec = registry.codecs.get(key)
        if codec is None:
            return None
        decoder = registry.fast[codec.routine, codec.type_name] = _fast_decoder(codec)
    found = decoder(envelope)
    return found[0] if found is not None and found[1] == line.count('":') else None


def _event_codec(cls: type[Event]) -> _EventCodec:
    found = _EVENT_CODECS.get(cls)
    if found is None:
        found = _EVENT_CODECS[cls] = _build_event_codec(cls)
    return found


def _is_attrs_class(cls: type) -> bool:
    return attrs.has(cls)


def _build_event_codec(cls: object) -> _EventCodec:
    if not (isinstance(cls, type) and issubclass(cls, Event) and _is_attrs_class(cls)):
        raise TypeError(f"the event log writes attrs subclasses of Event, not {describe(cls)}")
    routine: object = cls.routine
    if not isinstance(routine, str) or not routine:
        raise TypeError(f"{cls.__name__}: an event class must name its routine (routine = 'VAL')")
    data = _schema(cls, skip=_BASE_FIELDS)
    paths = {name: name for name in _BASE_FIELDS}
    paths.update({f.name: f"data.{f.name}" for f in data.fields})
    return _EventCodec(cls, cls.routine, cls.type_name(), data, paths)


_Upgrade = Callable[[dict[str, Any]], list[dict[str, Any]]]
"""How a line of an older event type becomes today's lines."""


@attrs.frozen
class _Registry:
    """The event classes a log may hold, by routine and type."""

    codecs: Mapping[tuple[str, str], _EventCodec]
    """Codec by (routine, type)."""
    types_by_routine: Mapping[str, str]
    """Each routine's types, listed for messages."""
    upgrades: Mapping[tuple[str, str], _Upgrade] = attrs.field(factory=dict)
    """Types logs written by earlier versions hold, and how each becomes today's lines."""
    fast: dict[tuple[str, str], Callable[[dict[str, Any]], _FastResult | None]] = attrs.field(
        factory=dict, eq=False
    )
    """The fast path's decoders, by (routine, type), made as the types are met."""


def _registry(
    classes: Iterable[type[Event]], upgrades: Mapping[tuple[str, str], _Upgrade] | None = None
) -> _Registry:
    codecs: dict[tuple[str, str], _EventCodec] = {}
    for cls in classes:
        codec = _event_codec(cls)
        key = (codec.routine, codec.type_name)
        if key in codecs and codecs[key].cls is not cls:
            raise TypeError(
                f"two event classes have routine {key[0]!r} and type {key[1]!r}: "
                f"{codecs[key].cls.__qualname__} and {cls.__qualname__}"
            )
        codecs[key] = codec
    listed: dict[str, list[str]] = {}
    for routine, name in codecs:
        listed.setdefault(routine, []).append(name)
    return _Registry(
        codecs, {r: ", ".join(names) for r, names in listed.items()}, dict(upgrades or {})
    )


_REGISTRIES: Final[dict[tuple[type[Event], ...], _Registry]] = {}


def _registry_of(classes: tuple[type[Event], ...]) -> _Registry:
    found = _REGISTRIES.get(classes)
    if found is None:
        if len(_REGISTRIES) >= 32:
            _REGISTRIES.clear()
        found = _REGISTRIES[classes] = _registry(classes)
    return found


def _routine_registry(routine: object) -> _Registry:
    """Build (once) the registry of one routine's events, with its older logs' upgrades."""
    found = _BY_ROUTINE.get(id(routine))
    if found is None or found[0] is not routine:
        events: Iterable[type[Event]] = (
            getattr(routine, "log_events", None) or getattr(routine, "events", None) or ()
        )
        code = str(getattr(routine, "code", None) or getattr(routine, "routine", ""))
        own: Mapping[str, _Upgrade] = getattr(routine, "upgrades", None) or {}
        upgrades = {(code, name): upgrade for name, upgrade in own.items()}
        found = (routine, _registry(tuple(events), upgrades))
        _BY_ROUTINE[id(routine)] = found
    return found[1]


_BY_ROUTINE: Final[dict[int, tuple[object, _Registry]]] = {}
_DEFAULTS: Final[list[_Registry]] = []


def _default() -> _Registry:
    """Build (once) the registry of every registered routine's events."""
    if not _DEFAULTS:
        from . import routines  # noqa: PLC0415 - the routines load when a log is first read

        parts = [_routine_registry(routine) for routine in routines.registered()]
        codecs = [codec.cls for part in parts for codec in part.codecs.values()]
        upgrades = {key: value for part in parts for key, value in part.upgrades.items()}
        _DEFAULTS.append(_registry(codecs, upgrades))
    return _DEFAULTS[0]
