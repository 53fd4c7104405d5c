"""Routine HC's rules: the prescribed texts (teamanteckning, fördelad namn), checks, obligations."""

from __future__ import annotations

from datetime import date
from typing import Final

from ..._validators import describe
from ...deadlines import summon_deadline
from ...errors import InvalidInput
from ...kernel import (
    ActionKind,
    Channel,
    Check,
    DeviationKind,
    Finding,
    Flag,
    Opened,
    Role,
    Table,
)
from ._events import (
    BothTimesDeclined,
    CaseAllocated,
    OfferTimes,
    PatientAllocationEvent,
    PatientAllocationPolicy,
    PatientAvailableAgain,
    PlanningBasisLinked,
    SummonsSent,
    TimeAccepted,
    TimesOffered,
    WaitingEnd,
)
from ._state import PatientAllocationState, WaitingSpell

# --------------------------------------------------------------------------- the roles

ALLOCATORS: Final = (Role.TEAM_LEADER, Role.CARE_UNIT_MANAGER)
"""HC-3: the team leader or the care unit manager allocates (vårdenhetschef/teamledare)."""
STAFF: Final = (Role.STAFF_MEMBER,)
"""HC-5, HC-7, HC-10: the staff member the case is allocated to (medarbetaren)."""
ADMINISTRATORS: Final = (Role.CARE_ADMINISTRATOR, Role.ADMINISTRATIVE_RESOURCE)
"""HC-8, HC-9, HC-11: the care administrator or the administrative resource, either role."""


# --------------------------------------------------------------------------- HC-6's texts


def _event(value: object) -> CaseAllocated:
    if not isinstance(value, CaseAllocated):
        raise InvalidInput(f"allocation must be a CaseAllocated event, not {describe(value)}")
    return value


def team_note(allocation: CaseAllocated) -> str:
    """Return the team note's text (teamanteckning) of an allocation, word for word, HC-6.

    ``Ärendet fördelas till <titel och namn> för <insats>.``, for example
    ``"Ärendet fördelas till Leg. psykolog Anna Berg för utredning."``.

    Raises:
        InvalidInput: for anything but a :class:`CaseAllocated` event.
    """
    event = _event(allocation)
    return f"Ärendet fördelas till {event.title} {event.name} för {event.intervention}."


def planning_comment(allocation: CaseAllocated) -> str:
    """Return the planning basis's comment (fördelad namn) of an allocation, word for word, HC-6.

    The name of the staff member allocated to, as given (``"Anna Berg"``).

    Raises:
        InvalidInput: for anything but a :class:`CaseAllocated` event.
    """
    return _event(allocation).name


# --------------------------------------------------------------------------- HC-5's due day


def summon_due(record: Opened[CaseAllocated], policy: PatientAllocationPolicy) -> date:
    """HC-5: three weeks from the allocation, rolled forward, or the team leader's date."""
    event = record.event
    return summon_deadline(event.at.date(), override=event.summon_by, policy=policy.summon)


def _summon_words(
    record: Opened[CaseAllocated], policy: PatientAllocationPolicy
) -> tuple[str, str]:
    if record.event.summon_by is not None:
        return ("senast den dag teamledaren angett", "by the day the team leader set")
    days = policy.summon.period.days
    if policy.summon.roll_forward:
        return (
            f"inom {days} dagar, framflyttat till nästa vardag",
            f"within {days} days, rolled forward to the next working day",
        )
    return (f"inom {days} dagar", f"within {days} days")


# --------------------------------------------------------------------------- conditions

rows: Final = Table(PatientAllocationState, PatientAllocationPolicy)

NOT_BOOKED: Final = rows.condition(
    ("ingen tid är bokad", "no time is booked"),
    lambda state: state.accepted is None,
)
"""HC-1, HC-3, HC-4: the case may be placed, contacted about and allocated until booked."""
AWAITING_OFFER: Final = rows.condition(
    (
        "ärendet är fördelat och inga tider är erbjudna",
        "the case is allocated and no times are offered",
    ),
    lambda state: state.allocation is not None and state.offer is None,
)
"""HC-7: times are offered once per allocation."""
AWAITING_ANSWER: Final = rows.condition(
    (
        "tider är erbjudna och patienten har inte svarat",
        "times are offered and the patient has not answered",
    ),
    lambda state: (
        state.allocation is not None
        and state.offer is not None
        and not state.declined
        and state.accepted is None
    ),
)
"""HC-8, HC-9: the patient answers an offer once."""
TEAM_NOTE_DUE: Final = rows.condition(
    ("teamanteckningen är inte skriven", "the team note is not written"),
    lambda state: state.team_note_due,
)
"""HC-6: the current allocation's team note is yet to be written."""
COMMENT_DUE: Final = rows.condition(
    ("kommentaren i planeringsunderlaget är inte skriven", "the planning comment is not written"),
    lambda state: state.comment_due,
)
"""HC-6: the current allocation's planning-basis comment is yet to be written."""
UNNOTED: Final = rows.condition(
    ("patientens svar är inte journalfört", "the patient's answer is not in the journal"),
    lambda state: state.unnoted > 0,
)
"""HC-10: an answer of the patient is yet to be written in a telephone note."""
UNREGISTERED: Final = rows.condition(
    (
        "patientvald väntan är inte registrerad",
        "patient-chosen waiting is not registered",
    ),
    lambda state: any(not spell.registered for spell in state.spells),
)
"""HC-9: a spell of patient-chosen waiting is yet to be registered."""
WAITING: Final = rows.condition(
    ("patienten är på patientvald väntan", "the patient is on patient-chosen waiting"),
    lambda state: state.waiting_open,
)
"""HC-9: a spell of patient-chosen waiting has not ended."""


# --------------------------------------------------------------------------- checks and flags


def _one_of_the_times(state: PatientAllocationState, event: TimeAccepted) -> str | None:
    """HC-8: the time accepted is one of the times offered, still ahead when accepted."""
    offer = state.offer
    if offer is None or all(event.start != moment for moment in offer.times):
        return "the time accepted must be one of the times offered (start)"
    if event.start <= event.at:
        return (
            "the time accepted (start) must still be ahead when the patient accepts it (at): "
            "a time already passed cannot be booked as the start"
        )
    return None


OFFERED_TIME: Final = Check(
    "HC-8",
    _one_of_the_times,
    ("boka en av de erbjudna tiderna", "book one of the times offered"),
    invalid=True,
)
"""HC-8: a time that was not offered cannot be accepted (bad input)."""


def _contacted_first(
    before: PatientAllocationState, event: CaseAllocated, policy: PatientAllocationPolicy
) -> Finding | None:
    """HC-4: the staff member was contacted before the allocation."""
    if event.staff_id in before.contacted:
        return None
    return Finding(
        kind=DeviationKind.WITHOUT_PRECONDITION,
        detail_sv="fördelat utan föregående kontakt med medarbetaren",
        detail_en="allocated without an earlier contact with the staff member",
    )


CONTACT_FIRST: Final = Flag(
    "HC-4",
    _contacted_first,
    (
        "kontakta medarbetaren inför fördelningen av ärendet",
        "contact the staff member before allocating the case",
    ),
)
"""HC-4: an allocation with no earlier contact with that staff member is a deviation."""


def _digital_or_paper(
    before: PatientAllocationState, event: SummonsSent, policy: PatientAllocationPolicy
) -> Finding | None:
    """HC-11: the summons is sent digitally or on paper."""
    if event.channel in (Channel.DIGITAL, Channel.LETTER):
        return None
    return Finding(
        kind=DeviationKind.WRONG_CHANNEL,
        detail_sv=f"kallelsen skickad {event.channel.label('sv')}",
        detail_en=f"the summons sent {event.channel.label('en')}",
    )


DIGITAL_OR_PAPER: Final = Flag(
    "HC-11",
    _digital_or_paper,
    (
        "skicka kallelsen digitalt eller på papper",
        "send the summons digitally or on paper",
    ),
)
"""HC-11: a summons by another channel is recorded and is a deviation."""


def _linked_first(
    before: PatientAllocationState, event: SummonsSent, policy: PatientAllocationPolicy
) -> Finding | None:
    """HC-11: the planning basis is linked to the visit booking before the summons."""
    if before.linked:
        return None
    return Finding(
        kind=DeviationKind.WITHOUT_PRECONDITION,
        detail_sv="kallelsen skickad innan planeringsunderlaget kopplats till besöksbokningen",
        detail_en="the summons sent before the planning basis was linked to the booking",
    )


LINKED_FIRST: Final = Flag(
    "HC-11",
    _linked_first,
    (
        "koppla planeringsunderlaget till besöksbokningen före kallelsen",
        "link the planning basis to the visit booking before the summons",
    ),
)
"""HC-11: a summons before the planning basis is linked is recorded and is a deviation."""


# --------------------------------------------------------------------------- the command


def build_offer(
    command: OfferTimes, state: PatientAllocationState, policy: PatientAllocationPolicy
) -> TimesOffered:
    """HC-7: the offer of the staff member the case is allocated to, of as many times as asked."""
    wanted = policy.offered_times
    if len(command.times) != wanted:
        raise InvalidInput(
            f"OfferTimes is refused: times must hold exactly {wanted} alternative "
            f"time{'s' if wanted != 1 else ''} (HC-7); an offer of another number is no offer"
        )
    assert state.allocation is not None  # the step comes after an allocation
    return TimesOffered(
        case=command.case,
        at=command.at,
        recorded_at=command.recorded_at,
        actor=command.actor,
        times=command.times,
        to=command.to,
        channel=command.channel,
        staff_id=state.allocation.staff_id,
    )


# --------------------------------------------------------------------------- the state's changes


def allocated(
    state: PatientAllocationState, event: CaseAllocated, policy: PatientAllocationPolicy
) -> dict[str, object]:
    """HC-1, HC-3, HC-9: the staff member holds the case; waiting may end with it."""
    spells = state.spells
    if policy.waiting_ends is WaitingEnd.AVAILABLE_OR_ALLOCATED:
        spells = tuple(
            WaitingSpell(
                declined=spell.declined,
                registered=spell.registered,
                available=spell.available,
                allocated=event,
            )
            if spell.available is None and spell.allocated is None
            else spell
            for spell in spells
        )
    return {
        "first": state.first or event,
        "fictive": None,
        "allocation": event,
        "intervention": event.intervention,
        "allocations": state.allocations + 1,
        "contacted": frozenset(),
        "team_note_due": True,
        "comment_due": True,
        "offer": None,
        "declined": False,
        "spells": spells,
    }


def declined(
    state: PatientAllocationState, event: BothTimesDeclined, policy: PatientAllocationPolicy
) -> dict[str, object]:
    """HC-9: patient-chosen waiting starts; the case is back with the team leader."""
    return {
        "declined": True,
        "unnoted": state.unnoted + 1,
        "spells": (*state.spells, WaitingSpell(declined=event)),
    }


def registered(state: PatientAllocationState) -> dict[str, object]:
    """HC-9: the earliest spell not yet registered is registered."""
    spells = list(state.spells)
    for index, spell in enumerate(spells):
        if not spell.registered:
            spells[index] = WaitingSpell(
                declined=spell.declined,
                registered=True,
                available=spell.available,
                allocated=spell.allocated,
            )
            break
    return {"spells": tuple(spells)}


def available(state: PatientAllocationState, event: PatientAvailableAgain) -> dict[str, object]:
    """HC-9: every spell of patient-chosen waiting still open ends."""
    spells = tuple(
        WaitingSpell(
            declined=spell.declined,
            registered=spell.registered,
            available=event,
            allocated=spell.allocated,
        )
        if spell.available is None and spell.allocated is None
        else spell
        for spell in state.spells
    )
    return {"spells": spells}


# --------------------------------------------------------------------------- obligations
# Texts read the record's opening event, never the latest state.


def _assignee(record: Opened[CaseAllocated]) -> str:
    """Name the staff member allocated to, as the planning comment does, HC-6."""
    return record.event.name


SUMMON: Final = rows.obligation(
    "summon",
    CaseAllocated,
    requirement="HC-5",
    roles=Role.STAFF_MEMBER,
    sv="kalla patienten: kontakta patienten och/eller vårdnadshavaren och erbjud två "
    "alternativa tider",
    en="summon the patient: contact the patient and/or guardian and offer two alternative times",
    met_by=("offer",),
    void_by=("allocate", "place"),
    due=summon_due,
    since=("fördelningen", "the allocation"),
    rule=_summon_words,
    assignee=_assignee,
)
"""HC-5: each allocation's own summon deadline, met by the offer of times (HC-7)."""
TEAM_NOTE: Final = rows.obligation(
    "team_note",
    CaseAllocated,
    requirement="HC-6",
    roles=ALLOCATORS,
    sv="skriv i teamanteckningen att ärendet är fördelat, till vem och för vilken insats",
    en="write in the team note to whom and for what the case is allocated",
    met_by=("team_note",),
    void_by=("allocate", "place"),
    text=lambda record: team_note(record.event),
)
"""HC-6: the team note, with its prescribed text."""
COMMENT: Final = rows.obligation(
    "comment",
    CaseAllocated,
    requirement="HC-6",
    roles=ALLOCATORS,
    sv="skriv den fördelade medarbetarens namn i planeringsunderlagets kommentarruta",
    en="write the allocated staff member's name in the planning basis's comment field",
    met_by=("comment",),
    void_by=("allocate", "place"),
    text=lambda record: planning_comment(record.event),
)
"""HC-6: the planning basis's comment, with its prescribed text."""
BOOK: Final = rows.obligation(
    "book",
    TimeAccepted,
    requirement="HC-8",
    roles=ADMINISTRATORS,
    channel=Channel.TASK_LIST,
    sv="påbörja behandlingen och boka besöket: koppla planeringsunderlaget till besöksbokningen",
    en="start the treatment and book the visit: link the planning basis to the booking",
    met_by=("link",),
)
"""HC-8: the administrator's task, through the task list."""
REGISTER_WAITING: Final = rows.obligation(
    "register_waiting",
    BothTimesDeclined,
    requirement="HC-9",
    roles=ADMINISTRATORS,
    channel=Channel.TASK_LIST,
    sv="sätt upp patienten på patientvald väntan i planeringssystemet",
    en="put the patient on patient-chosen waiting in the planning system",
    met_by=("register_waiting",),
)
"""HC-9: the administrator's task to register patient-chosen waiting, through the task list."""
REALLOCATE: Final = rows.obligation(
    "reallocate",
    BothTimesDeclined,
    requirement="HC-9",
    roles=ALLOCATORS,
    sv="fördela ärendet till en fiktiv eller faktisk resurs",
    en="allocate the case to a fictive or an actual resource",
    met_by=("place", "allocate"),
)
"""HC-9: the case is back with the team leader for allocation."""
TELEPHONE_NOTE: Final = rows.obligation(
    "telephone_note",
    PatientAllocationEvent,
    requirement="HC-10",
    roles=Role.STAFF_MEMBER,
    sv="journalför överenskommelserna med patienten i anteckning Telefon",
    en="record the agreements with the patient in a telephone note",
    met_by=("note",),
)
"""HC-10: each answer of the patient is written in a telephone note."""
SEND_SUMMONS: Final = rows.obligation(
    "send_summons",
    PlanningBasisLinked,
    requirement="HC-11",
    roles=ADMINISTRATORS,
    kind=ActionKind.MESSAGE,
    sv="skicka en digital kallelse eller papperskallelse till patienten och/eller vårdnadshavaren",
    en="send a digital or paper summons to the patient and/or guardian",
    recipient="patienten och/eller vårdnadshavaren",
    met_by=("summon",),
)
"""HC-11: the summons, digital or on paper."""
