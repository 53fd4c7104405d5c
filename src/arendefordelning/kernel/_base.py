"""The kernel's values: roles, actors, events, commands, required actions, suspensions.

Re-exported by :mod:`arendefordelning.kernel`; see there (X-1, X-2).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any, ClassVar, Final

import attrs

from .._pii import has_identity_shape
from .._time import STOCKHOLM, UTC, as_stockholm, format_deadline, format_local, instant
from .._validators import (
    class_name,
    describe,
    instance_of,
    optional_text,
    refuse_unwritable,
    text,
    written_forms,
)
from .._validators import reason as free_reason
from ..deadlines import Language, check_language
from ..errors import InvalidInput

__all__ = [
    "ActionKind",
    "Actor",
    "Channel",
    "Command",
    "Event",
    "RequiredAction",
    "Role",
    "Suspension",
    "check_identifier",
    "event_type_name",
    "identifier",
    "recorded",
    "role_label",
    "stopped_time",
    "suspended_due",
]

_MAX_IDENTIFIER = 100


class Role(enum.Enum):
    """Role (roll): who may take a step of a routine, X-2.

    The values are the Swedish role names of the routines in lower case, exactly as
    the catalogue lists them.
    """

    CARE_UNIT_MANAGER = "vårdenhetschef"
    """Care unit manager (vårdenhetschef), HC."""
    TEAM_LEADER = "teamledare"
    """Team leader (teamledare), HC."""
    STAFF_MEMBER = "medarbetare"
    """Staff member (medarbetare), HC."""
    CARE_ADMINISTRATOR = "vårdadministratör"
    """Care administrator (vårdadministratör), HC."""
    ADMINISTRATIVE_RESOURCE = "administrativ resurs"
    """Administrative resource (administrativ resurs), HC."""
    HEAD_OF_OPERATIONS = "verksamhetschef"
    """Head of operations (verksamhetschef)."""
    CHIEF_PHYSICIAN = "vårdenhetsöverläkare"
    """Chief physician of the care unit (vårdenhetsöverläkare), HC."""
    ASSIGNMENT_RECEIVER = "uppdragsmottagare"
    """Assignment receiver (uppdragsmottagare), DV."""
    UNIT_MANAGER = "enhetschef"
    """Unit manager (enhetschef)."""
    SOCIAL_WORKER = "socialsekreterare"
    """Social worker (socialsekreterare), OV."""
    NEEDS_ASSESSOR = "biståndshandläggare"
    """Needs assessor (biståndshandläggare), DV, UP, VAL."""
    PROVIDER = "utförare"
    """Provider (utförare), municipal or private: UP, VAL."""
    ALARM_INSTALLER = "larminstallatör"
    """Safety-alarm installer (larminstallatör), UP."""
    NIGHT_PATROL = "nattpatrull"
    """Municipal safety alarm and night patrol (trygghetslarm och nattpatrull), UP, VAL-7."""
    THERAPIST = "behandlare"
    """Therapist (behandlare), OV."""
    COUNSELLOR = "kurator"
    """Counsellor (kurator), OV."""
    INDIVIDUAL = "den enskilde"
    """The individual (den enskilde: omsorgstagare, kund, patient, klient)."""
    GUARDIAN = "vårdnadshavare"
    """Guardian (vårdnadshavare)."""


def identifier(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Validate an identifier (case number, actor id): short text, no identity number.

    An identifier travels in e-mails and log lines, so one that holds a personal
    identity number is refused (X-7), also one that holds it only as a ``repr`` or a
    log line writes it (:func:`~arendefordelning._validators.written_forms`); use the
    case number (ärendenummer) instead.
    """
    check_identifier(attribute.name, value)


_CHECKED: dict[str, None] = {}
"""Identifiers found valid (validity is a property of the text alone): a case number
comes back on every event of its case, an actor's id on every step the actor takes."""
_CHECKED_KEPT: Final = 1 << 16


def check_identifier(name: str, value: object) -> str:
    """Check one identifier named ``name`` (as :func:`identifier` does) and return it, X-7."""
    if type(value) is str and value in _CHECKED:
        return value
    if not isinstance(value, str):
        raise InvalidInput(f"{name} must be a str, not {type(value).__name__}")
    if not value or value != value.strip() or len(value) > _MAX_IDENTIFIER:
        raise InvalidInput(
            f"{name} must be non-empty text of at most {_MAX_IDENTIFIER} characters "
            "without leading or trailing spaces"
        )
    refuse_unwritable(name, value)
    if (
        has_identity_shape(value)
        if value.isprintable()  # written as it is (see written_forms)
        else any(has_identity_shape(form) for form in written_forms(value))
    ):
        raise InvalidInput(
            f"{name} must not contain a personal identity number (X-7); use a case "
            "number or another identifier that does not identify the person"
        )
    if type(value) is str:
        if len(_CHECKED) >= _CHECKED_KEPT:
            _CHECKED.clear()
        _CHECKED[value] = None
    return value


def _stockholm_at(value: datetime) -> datetime:
    """Convert ``at`` to Stockholm time; typed as what a caller passes (an aware datetime)."""
    return as_stockholm(value, "at")


def _recorded_at(value: datetime | None) -> datetime | None:
    return None if value is None else as_stockholm(value, "recorded_at")


def _not_before_at(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Refuse a step recorded before it happened (X-1)."""
    if value is None:
        return
    at: datetime = getattr(instance, "at")  # noqa: B009 - validators see a half-typed instance
    assert isinstance(value, datetime)
    if value.astimezone(UTC) < at.astimezone(UTC):
        raise InvalidInput(
            f"recorded_at ({format_local(value)}) must not be before at ({format_local(at)}): "
            "a step is recorded when or after it happens (X-1)"
        )


def recorded(step: Event | Command) -> datetime:
    """Return when a step was recorded: its ``recorded_at``, or when it happened (X-1)."""
    return step.recorded_at or step.at


def _start(value: object) -> datetime:
    return as_stockholm(value, "start")


def _optional_due(value: object) -> datetime | None:
    return None if value is None else as_stockholm(value, "due")


@attrs.frozen
class Actor:
    """Actor (aktör): who took a step, by an identifier and a role, X-2.

    >>> Actor("bh-17", Role.NEEDS_ASSESSOR)
    Actor(id='bh-17', role=<Role.NEEDS_ASSESSOR: 'biståndshandläggare'>)
    """

    id: str = attrs.field(validator=identifier)
    """The actor's identifier in the embedding system (never a personal identity number)."""
    role: Role = attrs.field(validator=instance_of(Role))
    """The role the actor acts in."""


@attrs.frozen(kw_only=True)
class Event:
    """Event (händelse): an immutable, recorded step of a routine, X-1.

    Each routine subclasses it once per kind of step, with a past-tense name
    (``AssignmentDistributed``) and the step's own fields. ``routine`` is the code of
    the routine (``"VAL"``), set on the routine's base class.
    """

    routine: ClassVar[str] = ""

    case: str = attrs.field(validator=identifier)
    """The case (ärende) the event belongs to, by its case number."""
    at: datetime = attrs.field(converter=_stockholm_at, eq=instant)
    """When the step was taken; any aware datetime, kept in Stockholm time (X-3)."""
    actor: Actor = attrs.field(validator=instance_of(Actor))
    """Who took the step, and in which role (X-2)."""
    recorded_at: datetime | None = attrs.field(
        default=None, converter=_recorded_at, validator=_not_before_at, eq=instant
    )
    """When the step was recorded, if later than it was taken; None: as it was taken.

    Never before ``at``. :func:`recorded` gives the moment either way."""

    @classmethod
    def type_name(cls) -> str:
        """Return the event's type in logs: its class name in snake_case."""
        return event_type_name(cls)


@attrs.frozen(kw_only=True)
class Command:
    """Command (kommando): a request to take a step whose record the routine completes, X-2.

    Most steps are requested with their event itself (the event is the request: the
    embedding system reports what happened and the routine checks that it may be
    recorded). A step has a command class only where the request differs from the
    record: the routine computes facts of the event from the case's state (the
    provider next in turn, a takeover date) or takes a transient input. The roles
    that may take the step are the routine table's.
    """

    case: str = attrs.field(validator=identifier)
    """The case (ärende) the command is for, by its case number."""
    at: datetime = attrs.field(converter=_stockholm_at, eq=instant)
    """When the step happened; any aware datetime, kept in Stockholm time (X-3)."""
    actor: Actor = attrs.field(validator=instance_of(Actor))
    """Who took the step, and in which role."""
    recorded_at: datetime | None = attrs.field(
        default=None, converter=_recorded_at, validator=_not_before_at, eq=instant
    )
    """When the step is recorded, if later than it happened; None: as it happens.

    A step recorded afterwards (a telephone call noted the next morning) keeps when it
    happened in ``at``: rules, deadlines and deviations use ``at``; the order of a
    history is the order of the recording times (:func:`recorded`). Never before
    ``at``."""


_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


def event_type_name(cls: type[Event]) -> str:
    """Return an event class's type name in logs: ``AssignmentDistributed`` → ``assignment_distributed``."""  # noqa: E501
    return _CAMEL.sub("_", class_name(cls)).lower()


# --------------------------------------------------------------------------- required actions


class ActionKind(enum.Enum):
    """Kind of required action (åtgärd): a task for a role or a message to a party."""

    TASK = "uppgift"
    """A task (uppgift) someone in a role must carry out."""
    MESSAGE = "meddelande"
    """A message (meddelande) someone in a role must send to a party."""


class Channel(enum.Enum):
    """Channel (kanal): how a message or task reaches whom it is for.

    The routines name the channel of many of their duties: a new care recipient is
    handed over by telephone, the provider confirms receipt by system message, the care
    administrator learns of a booking through the task list, home health care through a
    shared mailing list (VAL-5).
    """

    TELEPHONE = "telefon"
    """By telephone (telefon)."""
    SYSTEM_MESSAGE = "meddelande i verksamhetssystemet"
    """By a message in the case-management system (systemmeddelande)."""
    EMAIL = "e-post"
    """By e-mail (e-post), a shared mailing list included."""
    TASK_LIST = "uppdragslista"
    """Through the task list (uppdragslista) of the journal or planning system."""
    LETTER = "brev"
    """By letter (brev), on paper."""
    DIGITAL = "digitalt"
    """Digitally (digitalt), as a digital summons (kallelse) to the patient."""
    IN_PERSON = "personligen"
    """In person (personligen), at a meeting."""

    def label(self, language: Language = "sv") -> str:
        """How, as a phrase: ``"per telefon"``, ``"by telephone"``."""
        check_language(language)
        return _CHANNEL_PHRASES[self][0 if language == "sv" else 1]


_CHANNEL_PHRASES: Final[dict[Channel, tuple[str, str]]] = {
    Channel.TELEPHONE: ("per telefon", "by telephone"),
    Channel.SYSTEM_MESSAGE: (
        "via meddelande i verksamhetssystemet",
        "by a message in the case-management system",
    ),
    Channel.EMAIL: ("via e-post", "by e-mail"),
    Channel.TASK_LIST: ("via uppdragslistan", "through the task list"),
    Channel.LETTER: ("per brev", "by letter"),
    Channel.DIGITAL: ("digitalt", "digitally"),
    Channel.IN_PERSON: ("personligen", "in person"),
}


def _roles(value: Role | Iterable[Role]) -> tuple[Role, ...]:
    """Take one role or an iterable of roles as a tuple (checked by :func:`_valid_roles`)."""
    if isinstance(value, Role):
        return (value,)
    given: object = value
    if isinstance(given, str | bytes) or not isinstance(given, Iterable):
        raise InvalidInput(f"roles must be Role members, not {describe(value)}")
    return tuple(value)


def _valid_roles(instance: object, attribute: attrs.Attribute[Any], value: tuple[Any, ...]) -> None:
    """Check roles: one or more Role members, each once, beginning with ``role``."""
    if not value or not all(isinstance(role, Role) for role in value):
        raise InvalidInput("roles must name one or more Role members")
    if len(set(value)) != len(value):
        raise InvalidInput("roles must name each role once")
    if value[0] is not getattr(instance, "role", None):
        raise InvalidInput("roles must begin with role, the role that must act")


def _roles_of_action(instance: RequiredAction) -> tuple[Role, ...]:
    return (instance.role,)


@attrs.frozen(kw_only=True)
class RequiredAction:
    """Required action (åtgärd som ska göras): what must happen next, for whom, by when.

    Derived from a case's state by a routine's ``required_actions`` function, so an
    embedding system can put it on a task list or send it. ``requirement`` names the
    requirement it comes from; :meth:`explain` gives one sentence in Swedish or
    English. ``text`` is a text the routine prescribes (in Swedish), if any.
    """

    requirement: str = attrs.field(validator=text)
    """The requirement ID (``"VAL-5"``)."""
    kind: ActionKind = attrs.field(validator=instance_of(ActionKind))
    """Task or message."""
    role: Role = attrs.field(validator=instance_of(Role))
    """The role that must act (the first of ``roles``)."""
    sv: str = attrs.field(validator=text)
    """What must be done, in Swedish, as an imperative clause."""
    en: str = attrs.field(validator=text)
    """What must be done, in English, as an imperative clause."""
    assignee: str | None = attrs.field(default=None, validator=optional_text)
    """Who in that role, when the routine says (a provider's name, for example)."""
    recipient: str | None = attrs.field(default=None, validator=optional_text)
    """Who a message goes to, if it is a message."""
    due: datetime | None = attrs.field(default=None, converter=_optional_due, eq=instant)
    """By when, if the routine sets a time (Stockholm time)."""
    text: str | None = attrs.field(default=None, validator=optional_text)
    """The message or note text to send, if the routine gives one."""
    roles: tuple[Role, ...] = attrs.field(
        default=attrs.Factory(_roles_of_action, takes_self=True),
        converter=_roles,
        validator=_valid_roles,
    )
    """Every role that may act, ``role`` first (the care administrator or the
    administrative resource); by default ``role`` alone."""
    channel: Channel | None = attrs.field(
        default=None, validator=instance_of(Channel, optional=True)
    )
    """How the message or task goes (telephone, system message, task list…), if the
    routine says."""

    def explain(self, language: Language = "sv") -> str:
        """One sentence: who must do what, how, by when, and under which requirement."""
        check_language(language)
        sv = language == "sv"
        word = " eller " if sv else " or "
        who = word.join(role_label(role, language) for role in self.roles).capitalize()
        if self.assignee is not None:
            who = f"{who} {self.assignee}"
        what = self.sv if sv else self.en
        how = "" if self.channel is None else f" ({self.channel.label(language)})"
        when = ""
        if self.due is not None:
            due = format_deadline(self.due)
            when = f", senast {due}" if sv else f", by {due}"
        return f"{who}: {what}{how}{when} ({self.requirement})."


def role_label(role: Role, language: Language = "sv") -> str:
    """Name a role in Swedish or English: ``biståndshandläggare``, ``needs assessor``."""
    return role.value if language == "sv" else _ENGLISH_ROLE[role]


_ENGLISH_ROLE: Final[dict[Role, str]] = {
    Role.CARE_UNIT_MANAGER: "care unit manager",
    Role.TEAM_LEADER: "team leader",
    Role.STAFF_MEMBER: "staff member",
    Role.CARE_ADMINISTRATOR: "care administrator",
    Role.ADMINISTRATIVE_RESOURCE: "administrative resource",
    Role.HEAD_OF_OPERATIONS: "head of operations",
    Role.CHIEF_PHYSICIAN: "chief physician",
    Role.ASSIGNMENT_RECEIVER: "assignment receiver",
    Role.UNIT_MANAGER: "unit manager",
    Role.SOCIAL_WORKER: "social worker",
    Role.NEEDS_ASSESSOR: "needs assessor",
    Role.PROVIDER: "provider",
    Role.ALARM_INSTALLER: "alarm installer",
    Role.NIGHT_PATROL: "night patrol",
    Role.THERAPIST: "therapist",
    Role.COUNSELLOR: "counsellor",
    Role.INDIVIDUAL: "the individual",
    Role.GUARDIAN: "guardian",
}


# --------------------------------------------------------------------------- suspensions


def _optional_stockholm(value: object) -> datetime | None:
    return None if value is None else as_stockholm(value, "end")


@attrs.frozen
class Suspension:
    """Suspension (uppehåll): a dated interval in which a deadline's clock stands still.

    ``start`` is included and ``end`` excluded; ``end=None`` means the clock has not
    started again yet. ``reason`` says why (for example patient-chosen waiting).
    """

    start: datetime = attrs.field(converter=_start, eq=instant)
    """When the clock stopped."""
    end: datetime | None = attrs.field(default=None, converter=_optional_stockholm, eq=instant)
    """When the clock started again, or None while it still stands."""
    reason: str = attrs.field(default="", validator=free_reason)
    """Why the clock stopped."""

    def __attrs_post_init__(self) -> None:
        if self.end is not None and self.end.astimezone(UTC) < self.start.astimezone(UTC):
            raise InvalidInput(
                f"a suspension must not end before it starts: end {format_local(self.end)} "
                f"is before start {format_local(self.start)}"
            )


def suspended_due(
    start: datetime, due: datetime, suspensions: Sequence[Suspension] = ()
) -> datetime | None:
    """Move a due time later by the time its clock stood still after ``start``.

    The clock runs from ``start``; it needs ``due - start`` of running (elapsed)
    time. Every part of a suspension after ``start`` that falls before the moment
    the clock has run that long adds its length; overlapping suspensions count once.
    An open suspension (``end=None``) reached before the clock has run out means
    there is no due time yet: the result is None.

    Laws: with no suspensions the result is ``due``; the result is never earlier than
    ``due``; adding a suspension never makes it earlier.

    Raises:
        InvalidInput: for a naive datetime, ``due`` before ``start``, or
            ``suspensions`` that are not a sequence of Suspension values.
    """
    begin = as_stockholm(start, "start").astimezone(UTC)
    end_due = as_stockholm(due, "due").astimezone(UTC)
    if end_due < begin:
        raise InvalidInput("due must not be before start")
    remaining = end_due - begin
    clock = begin
    for s_start, s_end in _merged(_suspensions(suspensions)):
        if s_end is not None and s_end <= clock:
            continue
        stop = max(s_start, clock)
        if stop - clock >= remaining:
            break
        remaining -= stop - clock
        if s_end is None:
            return None
        clock = s_end
    try:
        return (clock + remaining).astimezone(STOCKHOLM)
    except OverflowError:
        raise InvalidInput(
            "the due time moved by the suspensions lies beyond the last date Python can "
            "represent (the year 9999)"
        ) from None


def _suspensions(value: object) -> tuple[Suspension, ...]:
    """Check that ``value`` is an iterable of Suspension values and return them.

    Raises:
        InvalidInput: for a value that is not an iterable (or is a str) or an item
            that is not a Suspension, described by its type only.
    """
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidInput(
            f"suspensions must be a sequence of Suspension values, not {describe(value)}"
        )
    items = tuple(value)
    for item in items:
        if not isinstance(item, Suspension):
            raise InvalidInput(
                f"suspensions must hold Suspension values, not {type(item).__name__}"
            )
    return items


def _merged(suspensions: Iterable[Suspension]) -> list[tuple[datetime, datetime | None]]:
    """Sort suspensions and merge the overlapping or touching ones (in UTC)."""
    far = datetime.max.replace(tzinfo=UTC)
    spans = sorted(
        (s.start.astimezone(UTC), far if s.end is None else s.end.astimezone(UTC))
        for s in suspensions
    )
    merged: list[list[datetime]] = []
    for s_start, s_end in spans:
        if merged and s_start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], s_end)
        else:
            merged.append([s_start, s_end])
    return [(a, None if b == far else b) for a, b in merged]


def stopped_time(
    start: datetime, end: datetime, suspensions: Sequence[Suspension] = ()
) -> timedelta:
    """Return how long the clock stood still between ``start`` and ``end``.

    An open suspension counts until ``end``.

    Raises:
        InvalidInput: for a naive datetime, or ``suspensions`` that are not a
            sequence of Suspension values.
    """
    begin = as_stockholm(start, "start").astimezone(UTC)
    finish = as_stockholm(end, "end").astimezone(UTC)
    total = timedelta(0)
    for s_start, s_end in _merged(_suspensions(suspensions)):
        lo = max(s_start, begin)
        hi = finish if s_end is None else min(s_end, finish)
        if hi > lo:
            total += hi - lo
    return total
