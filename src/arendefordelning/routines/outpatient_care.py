"""Outpatient care (öppenvårdsinsats, vuxna): routine OV, from decision to implementation.

*Rutin från beslut till verkställighet för öppenvårdsinsats, vuxna insatser*: when an
adult is granted outpatient care, the social worker (socialsekreterare) decides and
creates an assignment (OV-1) and informs the unit manager (enhetschef, OV-2), who
assigns one or more therapists or counsellors (behandlare/kurator), briefs them and
tells the social worker who (OV-3). The social worker starts the assignment (OV-4);
the therapist asks for more information and several therapists coordinate (OV-5); the
social worker sends the care plan (vårdplan, OV-6) and a meeting with the individual
is booked and held (OV-7). After that first meeting the therapist starts treatment and
writes the implementation plan (genomförandeplan) with the client within three weeks
(OV-8). Follow-up with the individual, the social worker and the therapist takes
place at least every three months (OV-9); changes of the care plan or the
implementation plan are communicated (OV-10); a closing conversation ends the case
(OV-11).

The routine is a table of steps (:data:`OUTPATIENT_CARE`, a
:class:`~arendefordelning.Routine`). Each step is requested with its event: the
embedding system reports what happened (``MeetingBooked(case=..., at=..., actor=...,
meeting_at=...)``) and :func:`decide` checks that it may be recorded. The module
functions :func:`decide`, :func:`evolve`, :func:`replay`, :func:`required_actions`,
:func:`deviations`, :func:`deviations_of`, :func:`allowed_commands` and
:func:`is_terminal` are the routine's. A late implementation plan or an overdue
follow-up is recorded, and :func:`deviations` shows it (X-5); so is a step taken without
the one the routine puts before it where it really happens: treatment started before
the first meeting (OV-8), a first meeting held without a booking (OV-7).

The decision is executed (verkställt) when treatment starts (OV-8): the routine's
first step that gives the individual the intervention itself; the start of the
assignment (OV-4) is the unit's internal hand-over, and the first meeting (OV-7) plans
the treatment with the individual rather than gives it. The routine declares these
milestones of the decision to the kernel for the report to IVO (X-6): the decision
(OV-1, on the day it is recorded as made, with its legal basis, the individual's sex
and date of birth as the decision records them, each optional so that older logs load
unchanged), its execution (OV-8, the start of treatment), an interruption of the
treatment and its resumption (recorded by the therapist), and its end (OV-11, the
closing conversation). Outpatient care is granted as assistance (bistånd), so the
routine's decisions are social-services decisions.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Iterable
from datetime import date, datetime
from typing import ClassVar, Final

import attrs

from .._time import STOCKHOLM, as_stockholm
from .._validators import flag, instance_of, optional_plain_date, text, tuple_of
from .._validators import reason as free_reason
from ..deadlines import (
    FollowUpPolicy,
    ImplementationPlanPolicy,
    implementation_plan_due,
    next_follow_up_due,
)
from ..errors import InvalidInput
from ..identity import Sex
from ..kernel import (
    ActionKind,
    CaseState,
    Decided,
    DeviationKind,
    Due,
    Ended,
    Event,
    Executed,
    Finding,
    Flag,
    Interrupted,
    LegalBasis,
    Milestone,
    Opened,
    Resumed,
    Role,
    Routine,
    RoutinePolicy,
    Table,
    check_identifier,
)

__all__ = [
    "COMMANDS",
    "EVENTS",
    "OUTPATIENT_CARE",
    "AssignmentStarted",
    "CarePlanChanged",
    "CarePlanSent",
    "ClosingConversationHeld",
    "DecisionMade",
    "FirstMeetingHeld",
    "FollowUpHeld",
    "ImplementationPlanChanged",
    "ImplementationPlanWritten",
    "MeetingBooked",
    "OutpatientCareEvent",
    "OutpatientCarePolicy",
    "OutpatientCareState",
    "SocialWorkerContacted",
    "SocialWorkerToldOfTherapists",
    "Stage",
    "TherapistsAssigned",
    "TherapistsBriefed",
    "TherapistsCoordinated",
    "TreatmentInterrupted",
    "TreatmentResumed",
    "TreatmentStarted",
    "UnitManagerInformed",
    "allowed_commands",
    "decide",
    "deviations",
    "deviations_of",
    "evolve",
    "follow_up_due_of",
    "implementation_plan_due_of",
    "initial_state",
    "is_terminal",
    "replay",
    "required_actions",
]

ROUTINE: Final = "OV"

_SOCIAL_WORKER: Final = frozenset({Role.SOCIAL_WORKER})
_UNIT_MANAGER: Final = frozenset({Role.UNIT_MANAGER})
_THERAPIST: Final = frozenset({Role.THERAPIST, Role.COUNSELLOR})
_MEETING: Final = frozenset({Role.SOCIAL_WORKER, Role.THERAPIST, Role.COUNSELLOR})
_PARTIES: Final = frozenset(
    {Role.INDIVIDUAL, Role.GUARDIAN, Role.SOCIAL_WORKER, Role.THERAPIST, Role.COUNSELLOR}
)


# --------------------------------------------------------------------------- policy


@attrs.frozen
class OutpatientCarePolicy(RoutinePolicy):
    """Parameters of routine OV (rutinens parametrar), with their validity period, X-4.

    The defaults are the routine's numbers: three weeks to the implementation plan
    (OV-8) and follow-up at least every three months (OV-9). The routine was last
    revised 2016-06-07.
    """

    valid_from: date = attrs.field(default=date(2016, 6, 7))
    """First day the parameters apply: the routine's last revision, 2016-06-07. X-4."""
    implementation_plan: ImplementationPlanPolicy = attrs.field(
        factory=ImplementationPlanPolicy, validator=instance_of(ImplementationPlanPolicy)
    )
    """Three weeks from the first meeting to the implementation plan, rolled forward. OV-8."""
    follow_up: FollowUpPolicy = attrs.field(
        factory=FollowUpPolicy, validator=instance_of(FollowUpPolicy)
    )
    """Three calendar months to the next follow-up, rolled forward. OV-9."""


# --------------------------------------------------------------------------- events


def _participants(value: object) -> tuple[Role, ...]:
    """Take the parties present as a tuple of roles, checking each (no duplicates)."""
    if isinstance(value, str | bytes | Role) or not isinstance(value, Iterable):
        raise InvalidInput(
            f"participants must be an iterable of Role members, not {type(value).__name__}"
        )
    roles = tuple(value)
    for role in roles:
        if not isinstance(role, Role) or role not in _PARTIES:
            raise InvalidInput(
                "participants must be the individual, a guardian, the social worker, "
                "therapists and counsellors (Role members)"
            )
    if len(set(roles)) != len(roles):
        raise InvalidInput("participants must name each role once")
    return roles


def _therapists(value: object) -> tuple[str, ...]:
    """Take the therapists' staff ids as a tuple of identifiers, at least one."""
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidInput(
            "therapists must be an iterable of staff ids (a tuple or list of str), "
            f"not {type(value).__name__}"
        )
    ids = tuple(check_identifier("each of therapists", item) for item in value)
    if not ids or len(set(ids)) != len(ids):
        raise InvalidInput("therapists must name one or more staff ids, each once")
    return ids


def _meeting_at(value: datetime) -> datetime:
    return as_stockholm(value, "meeting_at")


@attrs.frozen(kw_only=True)
class OutpatientCareEvent(Event):
    """Event of routine OV (händelse): every event below is one, X-1."""

    routine: ClassVar[str] = ROUTINE


@attrs.frozen(kw_only=True)
class DecisionMade(OutpatientCareEvent):
    """Decision made (beslut fattat): outpatient care granted, an assignment created, OV-1."""

    intervention: str = attrs.field(validator=text)
    """The intervention granted (insats), as the decision names it."""
    legal_basis: LegalBasis | None = attrs.field(
        default=None, validator=instance_of(LegalBasis, optional=True)
    )
    """The act the decision was made under (SoL or LSS), or None where not recorded. X-6."""
    sex: Sex | None = attrs.field(default=None, validator=instance_of(Sex, optional=True))
    """The individual's sex as the decision records it, or None; never derived. X-6."""
    born: date | None = attrs.field(default=None, validator=optional_plain_date)
    """The individual's date of birth as the decision records it, or None. X-6."""


@attrs.frozen(kw_only=True)
class UnitManagerInformed(OutpatientCareEvent):
    """Unit manager informed (enhetschefen informerad) about the case, OV-2."""


@attrs.frozen(kw_only=True)
class TherapistsAssigned(OutpatientCareEvent):
    """Therapists assigned (behandlare tilldelade) by the unit manager, one or more, OV-3."""

    therapists: tuple[str, ...] = attrs.field(converter=_therapists, validator=tuple_of(str))
    """The therapists' or counsellors' staff ids (never personal identity numbers)."""


@attrs.frozen(kw_only=True)
class TherapistsBriefed(OutpatientCareEvent):
    """Therapists briefed (första information): the unit manager's first briefing, OV-3."""


@attrs.frozen(kw_only=True)
class SocialWorkerToldOfTherapists(OutpatientCareEvent):
    """Social worker told (socialsekreteraren meddelad) who was assigned, OV-3."""


@attrs.frozen(kw_only=True)
class AssignmentStarted(OutpatientCareEvent):
    """Assignment started (uppdraget startat): given to the therapists and started, OV-4.

    The first follow-up is due three months from it (OV-9).
    """


@attrs.frozen(kw_only=True)
class SocialWorkerContacted(OutpatientCareEvent):
    """Social worker contacted (kontakt med socialsekreteraren) by the therapist, OV-5."""


@attrs.frozen(kw_only=True)
class TherapistsCoordinated(OutpatientCareEvent):
    """Therapists coordinated (behandlarna har stämt av) on a case they share, OV-5."""


@attrs.frozen(kw_only=True)
class CarePlanSent(OutpatientCareEvent):
    """Care plan sent (vårdplan skickad) to the therapist, OV-6."""


@attrs.frozen(kw_only=True)
class MeetingBooked(OutpatientCareEvent):
    """Meeting booked (möte bokat) with the individual, the social worker and the therapist, OV-7."""  # noqa: E501

    meeting_at: datetime = attrs.field(converter=_meeting_at)
    """When the meeting is to be held (Stockholm time)."""


@attrs.frozen(kw_only=True)
class FirstMeetingHeld(OutpatientCareEvent):
    """First meeting held (inledande möte) with the individual, OV-7.

    The implementation plan is due three weeks from it (OV-8).
    """

    participants: tuple[Role, ...] = attrs.field(converter=_participants, validator=tuple_of(Role))
    """Who took part."""


@attrs.frozen(kw_only=True)
class TreatmentStarted(OutpatientCareEvent):
    """Treatment started (behandlingen inledd) with the client, OV-8."""


@attrs.frozen(kw_only=True)
class TreatmentInterrupted(OutpatientCareEvent):
    """Treatment interrupted (avbrott i verkställigheten): the decision not executed for now, X-6."""  # noqa: E501

    reason: str = attrs.field(default="", validator=free_reason)
    """Why, as recorded (a stay in hospital, no therapist, the individual's wish)."""


@attrs.frozen(kw_only=True)
class TreatmentResumed(OutpatientCareEvent):
    """Treatment resumed (verkställt på nytt) after an interruption, X-6."""


@attrs.frozen(kw_only=True)
class ImplementationPlanWritten(OutpatientCareEvent):
    """Implementation plan written (genomförandeplan upprättad) with the client, OV-8."""

    with_client: bool = attrs.field(default=True, validator=flag)
    """Whether the plan was written together with the client, as the routine asks."""


@attrs.frozen(kw_only=True)
class FollowUpHeld(OutpatientCareEvent):
    """Follow-up held (uppföljning) of the intervention, OV-9.

    The next is due three months from it.
    """

    participants: tuple[Role, ...] = attrs.field(converter=_participants, validator=tuple_of(Role))
    """Who took part: the routine asks for the individual, the social worker and a therapist."""
    plan_updated: bool = attrs.field(default=False, validator=flag)
    """Whether the implementation plan was updated."""


@attrs.frozen(kw_only=True)
class CarePlanChanged(OutpatientCareEvent):
    """Care plan changed (vårdplanen ändrad) after a change in needs, OV-10."""

    told_individual: bool = attrs.field(validator=flag)
    """Whether the change was communicated to the individual."""
    told_therapist: bool = attrs.field(validator=flag)
    """Whether the change was communicated to the therapist."""


@attrs.frozen(kw_only=True)
class ImplementationPlanChanged(OutpatientCareEvent):
    """Implementation plan changed (genomförandeplanen ändrad) after a change in treatment, OV-10."""  # noqa: E501

    told_client: bool = attrs.field(validator=flag)
    """Whether the change was communicated to the client."""
    told_social_worker: bool = attrs.field(validator=flag)
    """Whether the change was communicated to the social worker."""


@attrs.frozen(kw_only=True)
class ClosingConversationHeld(OutpatientCareEvent):
    """Closing conversation held (avslutningssamtal): the case ends, OV-11."""

    participants: tuple[Role, ...] = attrs.field(converter=_participants, validator=tuple_of(Role))
    """Who took part: the routine asks for the individual, the social worker and a therapist."""


# --------------------------------------------------------------------------- state


class Stage(enum.Enum):
    """Stage of an OV case (skede): where the case stands."""

    NEW = "nytt"
    """Nothing recorded yet."""
    DECIDED = "beslutat"
    """Decided, the assignment not yet started (OV-1…OV-3)."""
    STARTED = "startat"
    """The assignment started, the first meeting not yet held (OV-4…OV-7)."""
    IN_TREATMENT = "pågående"
    """The first meeting held: treatment and follow-ups (OV-8…OV-10)."""
    CLOSED = "avslutat"
    """The closing conversation held (OV-11)."""


_STAGE_EN: Final = {
    Stage.NEW: "new",
    Stage.DECIDED: "decided",
    Stage.STARTED: "started",
    Stage.IN_TREATMENT: "in treatment",
    Stage.CLOSED: "closed",
}


@attrs.frozen(kw_only=True, repr=False)
class OutpatientCareState(CaseState):
    """State of an OV case (ärendets läge), folded from its events; nothing else is stored."""

    intervention: str | None = None
    """The intervention granted (OV-1)."""
    decided_at: datetime | None = None
    """When the decision was made (OV-1)."""
    therapists: tuple[str, ...] = ()
    """The therapists assigned (OV-3)."""
    started_at: datetime | None = None
    """When the assignment was started (OV-4): the first follow-up counts from it."""
    meeting_at: datetime | None = None
    """When the booked meeting is to be held (OV-7)."""
    first_meeting_at: datetime | None = None
    """When the first meeting was held (OV-7): the implementation plan counts from it."""
    treatment_started_at: datetime | None = None
    """When treatment started (OV-8): the decision is executed (verkställt) then."""
    plan_written_at: datetime | None = None
    """When the implementation plan was written (OV-8)."""
    follow_ups: int = 0
    """How many follow-ups were held (OV-9)."""
    closed_at: datetime | None = None
    """When the closing conversation was held (OV-11)."""

    @property
    def stage(self) -> Stage:
        """Where the case stands."""
        if self.closed_at is not None:
            return Stage.CLOSED
        if self.first_meeting_at is not None:
            return Stage.IN_TREATMENT
        if self.started_at is not None:
            return Stage.STARTED
        if self.decided_at is not None:
            return Stage.DECIDED
        return Stage.NEW


initial_state: Final = OutpatientCareState()
"""The state of an OV case before its first event."""


def _describe(state: OutpatientCareState) -> str:
    stage = state.stage
    return f"{stage.value!r} ({_STAGE_EN[stage]})"


# --------------------------------------------------------------------------- due times


@functools.lru_cache(maxsize=4096)
def _plan_day(first_meeting: date, policy: ImplementationPlanPolicy) -> date:
    return implementation_plan_due(first_meeting, policy=policy)


@functools.lru_cache(maxsize=4096)
def _follow_up_day(previous: date, policy: FollowUpPolicy) -> date:
    return next_follow_up_due(previous, policy=policy)


def _plan_due(record: Opened[FirstMeetingHeld], rule: OutpatientCarePolicy) -> date:
    """Three weeks from the first meeting, rolled forward to a working day (OV-8)."""
    return _plan_day(record.at.date(), rule.implementation_plan)


def _plan_words(record: Opened[FirstMeetingHeld], rule: OutpatientCarePolicy) -> tuple[str, str]:
    """Return the rule of OV-8 in words: in weeks where the period is whole weeks, else days."""
    days = rule.implementation_plan.period.days
    if days % 7 == 0:
        weeks = days // 7
        if weeks == 1:
            return ("genomförandeplan inom 1 vecka", "implementation plan within 1 week")
        return (
            f"genomförandeplan inom {weeks} veckor",
            f"implementation plan within {weeks} weeks",
        )
    if days == 1:
        return ("genomförandeplan inom 1 dag", "implementation plan within 1 day")
    return (f"genomförandeplan inom {days} dagar", f"implementation plan within {days} days")


def _follow_up_due(record: Opened[OutpatientCareEvent], rule: OutpatientCarePolicy) -> date:
    """Three calendar months from the start or the latest follow-up, rolled forward (OV-9)."""
    return _follow_up_day(record.at.date(), rule.follow_up)


def _follow_up_since(record: Opened[OutpatientCareEvent]) -> tuple[str, str]:
    if record.step == "start":
        return ("uppdragets start", "the start of the assignment")
    return ("den senaste uppföljningen", "the latest follow-up")


def _follow_up_words(
    record: Opened[OutpatientCareEvent], rule: OutpatientCarePolicy
) -> tuple[str, str]:
    months = rule.follow_up.months
    return (f"uppföljning inom {months} månader", f"follow-up within {months} months")


def _state_of(state: object) -> OutpatientCareState:
    if not isinstance(state, OutpatientCareState):
        raise InvalidInput(f"state must be an OutpatientCareState, not {type(state).__name__}")
    return state


def implementation_plan_due_of(
    state: OutpatientCareState, *, policy: OutpatientCarePolicy | None = None
) -> Due | None:
    """Return when the implementation plan is due (genomförandeplan inom tre veckor), OV-8.

    Three weeks from the first meeting, rolled forward to a working day; None until
    the first meeting is held.
    """
    return _open_due(_state_of(state), "implementation_plan", policy, any_state=True)


def follow_up_due_of(
    state: OutpatientCareState, *, policy: OutpatientCarePolicy | None = None
) -> Due | None:
    """Return when the next follow-up is due (uppföljning minst var tredje månad), OV-9.

    Three calendar months from the start of the assignment or the latest follow-up
    (a month end clamps), rolled forward; None before the start and after closing.
    """
    return _open_due(_state_of(state), "follow_up", policy, any_state=False)


def _open_due(
    state: OutpatientCareState,
    name: str,
    policy: OutpatientCarePolicy | None,
    *,
    any_state: bool,
) -> Due | None:
    found: list[tuple[Opened[OutpatientCareEvent], Due]] = OUTPATIENT_CARE.due_times(
        state, policy=policy
    )
    for record, due in reversed(found):
        if record.name == name and (any_state or record.open):
            return due
    return None


# --------------------------------------------------------------------------- rules

_rows: Final = Table(OutpatientCareState, OutpatientCarePolicy)

_PARTY_NAMES: Final = (
    (Role.INDIVIDUAL, "den enskilde", "the individual"),
    (Role.SOCIAL_WORKER, "socialsekreteraren", "the social worker"),
    (Role.THERAPIST, "behandlaren", "a therapist"),
)


def _missing_parties(participants: tuple[Role, ...]) -> list[tuple[str, str]]:
    present = set(participants)
    if Role.COUNSELLOR in present:
        present.add(Role.THERAPIST)
    return [(sv, en) for role, sv, en in _PARTY_NAMES if role not in present]


def _with_all_three(
    before: OutpatientCareState,
    event: FollowUpHeld | ClosingConversationHeld,
    policy: OutpatientCarePolicy,
) -> Finding | None:
    """OV-9, OV-11: the individual, the social worker and a therapist take part."""
    missing = _missing_parties(event.participants)
    if not missing:
        return None
    return Finding(
        kind=DeviationKind.INCOMPLETE,
        detail_sv=f"saknades: {', '.join(sv for sv, _ in missing)}",
        detail_en=f"missing: {', '.join(en for _, en in missing)}",
    )


def _written_with_client(
    before: OutpatientCareState, event: ImplementationPlanWritten, policy: OutpatientCarePolicy
) -> Finding | None:
    """OV-8: the implementation plan is written together with the client."""
    return None if event.with_client else Finding(kind=DeviationKind.INCOMPLETE)


def _care_plan_told(
    before: OutpatientCareState, event: CarePlanChanged, policy: OutpatientCarePolicy
) -> Finding | None:
    """OV-10: a changed care plan is communicated to the individual and the therapist."""
    if event.told_individual and event.told_therapist:
        return None
    return Finding(kind=DeviationKind.INCOMPLETE)


def _plan_told(
    before: OutpatientCareState, event: ImplementationPlanChanged, policy: OutpatientCarePolicy
) -> Finding | None:
    """OV-10: a changed implementation plan is communicated to the client and the social worker."""
    if event.told_client and event.told_social_worker:
        return None
    return Finding(kind=DeviationKind.INCOMPLETE)


_SEVERAL_THERAPISTS: Final = _rows.condition(
    ("flera behandlare delar ärendet", "several therapists share the case"),
    lambda state: len(state.therapists) > 1,
)
"""OV-5: several therapists on one case coordinate with each other."""

_NOT_TREATED: Final = _rows.condition(
    ("behandlingen är inte inledd", "the treatment has not started"),
    lambda state: state.treatment_started_at is None,
)
"""OV-8: treatment is asked for only until it has started (it may start before the meeting)."""


def _booked_first(
    before: OutpatientCareState, event: FirstMeetingHeld, policy: OutpatientCarePolicy
) -> Finding | None:
    """OV-7: the meeting with the individual is booked before it is held."""
    if before.meeting_at is not None:
        return None
    return Finding(
        kind=DeviationKind.WITHOUT_PRECONDITION,
        detail_sv="mötet hölls utan att ha bokats",
        detail_en="the meeting was held without being booked",
    )


def _met_first(
    before: OutpatientCareState, event: TreatmentStarted, policy: OutpatientCarePolicy
) -> Finding | None:
    """OV-8: treatment starts after the first meeting with the individual."""
    if before.first_meeting_at is not None:
        return None
    return Finding(
        kind=DeviationKind.WITHOUT_PRECONDITION,
        detail_sv="behandlingen inleddes före det inledande mötet",
        detail_en="the treatment started before the first meeting",
    )


_INFORM = _rows.obligation(
    "inform_unit_manager",
    DecisionMade,
    requirement="OV-2",
    roles=Role.SOCIAL_WORKER,
    sv="informera enhetschefen om ärendet",
    en="inform the unit manager about the case",
    met_by=("inform",),
    kind=ActionKind.MESSAGE,
    recipient="enhetschefen",
)
_ASSIGN = _rows.obligation(
    "assign_therapists",
    UnitManagerInformed,
    requirement="OV-3",
    roles=Role.UNIT_MANAGER,
    sv="tilldela ärendet en eller flera behandlare eller kuratorer",
    en="assign one or more therapists or counsellors to the case",
    met_by=("assign",),
)
_BRIEF = _rows.obligation(
    "brief_therapists",
    TherapistsAssigned,
    requirement="OV-3",
    roles=Role.UNIT_MANAGER,
    sv="ge behandlarna en första information om ärendet",
    en="give the therapists a first briefing on the case",
    met_by=("brief",),
    kind=ActionKind.MESSAGE,
    recipient="behandlarna",
)
_TELL = _rows.obligation(
    "tell_social_worker",
    TherapistsAssigned,
    requirement="OV-3",
    roles=Role.UNIT_MANAGER,
    sv="meddela socialsekreteraren vem som tilldelats ärendet",
    en="tell the social worker who was assigned to the case",
    met_by=("tell",),
    kind=ActionKind.MESSAGE,
    recipient="socialsekreteraren",
)
_COORDINATE = _rows.obligation(
    "coordinate",
    TherapistsAssigned,
    requirement="OV-5",
    roles=(Role.THERAPIST, Role.COUNSELLOR),
    sv="stäm av med de andra behandlarna i ärendet",
    en="coordinate with the other therapists of the case",
    met_by=("coordinate",),
    when=_SEVERAL_THERAPISTS,
)
_START = _rows.obligation(
    "start_assignment",
    SocialWorkerToldOfTherapists,
    requirement="OV-4",
    roles=Role.SOCIAL_WORKER,
    sv="tilldela behandlaren uppdraget i verksamhetssystemet och starta uppdraget",
    en="assign the assignment to the therapist in the case system and start it",
    met_by=("start",),
)
_CONTACT = _rows.obligation(
    "contact_social_worker",
    AssignmentStarted,
    requirement="OV-5",
    roles=(Role.THERAPIST, Role.COUNSELLOR),
    sv="kontakta socialsekreteraren för mer information om ärendet",
    en="contact the social worker for more information about the case",
    met_by=("contact",),
    kind=ActionKind.MESSAGE,
    recipient="socialsekreteraren",
)
_SEND = _rows.obligation(
    "send_care_plan",
    AssignmentStarted,
    requirement="OV-6",
    roles=Role.SOCIAL_WORKER,
    sv="skicka vårdplanen till behandlaren",
    en="send the care plan to the therapist",
    met_by=("send_care_plan",),
    kind=ActionKind.MESSAGE,
    recipient="behandlaren",
)
_BOOK = _rows.obligation(
    "book_meeting",
    AssignmentStarted,
    requirement="OV-7",
    roles=Role.SOCIAL_WORKER,
    sv="boka in ett möte med den enskilde och behandlaren",
    en="book a meeting with the individual and the therapist",
    met_by=("book",),
)
_HOLD = _rows.obligation(
    "hold_first_meeting",
    MeetingBooked,
    requirement="OV-7",
    roles=Role.SOCIAL_WORKER,
    sv="håll det inledande mötet med den enskilde och behandlaren",
    en="hold the first meeting with the individual and the therapist",
    met_by=("first_meeting",),
)
_TREAT = _rows.obligation(
    "start_treatment",
    FirstMeetingHeld,
    requirement="OV-8",
    roles=(Role.THERAPIST, Role.COUNSELLOR),
    sv="inled behandlingen tillsammans med klienten",
    en="start the treatment with the client",
    met_by=("treat",),
    when=_NOT_TREATED,
)
_PLAN = _rows.obligation(
    "implementation_plan",
    FirstMeetingHeld,
    requirement="OV-8",
    roles=(Role.THERAPIST, Role.COUNSELLOR),
    sv="skriv genomförandeplanen tillsammans med klienten",
    en="write the implementation plan with the client",
    met_by=("plan",),
    due=_plan_due,
    since=("det inledande mötet", "the first meeting"),
    rule=_plan_words,
)
_FOLLOW_UP = _rows.obligation(
    "follow_up",
    OutpatientCareEvent,
    requirement="OV-9",
    roles=Role.SOCIAL_WORKER,
    sv="samordna och håll uppföljning med den enskilde och behandlaren",
    en="coordinate and hold a follow-up with the individual and the therapist",
    met_by=("follow_up",),
    due=_follow_up_due,
    since=_follow_up_since,
    rule=_follow_up_words,
)

_ALL_THREE_FOLLOW_UP: Final = Flag(
    "OV-9",
    _with_all_three,
    (
        "håll uppföljningen tillsammans med den enskilde, socialsekreteraren och behandlaren",
        "hold the follow-up with the individual, the social worker and the therapist",
    ),
)
_ALL_THREE_CLOSING: Final = Flag(
    "OV-11",
    _with_all_three,
    (
        "håll avslutningssamtalet tillsammans med den enskilde, socialsekreteraren och behandlaren",
        "hold the closing conversation with the individual, the social worker and the therapist",
    ),
)


def _day(event: Event) -> date:
    """Return the day in Stockholm an event happened: the day of its milestone, X-6."""
    return event.at.astimezone(STOCKHOLM).date()


def _decided(event: DecisionMade) -> Decided:
    """Return the decision as the report to IVO reads it: made the day recorded, X-6."""
    return Decided(
        intervention=event.intervention,
        decided_on=_day(event),
        legal_basis=event.legal_basis,
        sex=event.sex,
        born=event.born,
    )


_STEPS: Final = (
    _rows.step(
        "decide",
        DecisionMade,
        requirements=("OV-1",),
        roles=_SOCIAL_WORKER,
        label=("fatta beslut och skapa uppdrag", "make the decision and create the assignment"),
        opens=(_INFORM,),
        apply=lambda s, e, p: {"intervention": e.intervention, "decided_at": e.at},
        milestone=Milestone(Decided, _decided),
    ),
    _rows.step(
        "inform",
        UnitManagerInformed,
        requirements=("OV-2",),
        roles=_SOCIAL_WORKER,
        label=("informera enhetschefen", "inform the unit manager"),
        after=("decide",),
        opens=(_ASSIGN,),
    ),
    _rows.step(
        "assign",
        TherapistsAssigned,
        requirements=("OV-3",),
        roles=_UNIT_MANAGER,
        label=("tilldela behandlare", "assign therapists"),
        after=("inform",),
        opens=(_BRIEF, _TELL, _COORDINATE),
        apply=lambda s, e, p: {"therapists": e.therapists},
    ),
    _rows.step(
        "brief",
        TherapistsBriefed,
        requirements=("OV-3",),
        roles=_UNIT_MANAGER,
        label=("ge behandlarna första information", "give the therapists a first briefing"),
        after=("assign",),
    ),
    _rows.step(
        "tell",
        SocialWorkerToldOfTherapists,
        requirements=("OV-3",),
        roles=_UNIT_MANAGER,
        label=(
            "meddela socialsekreteraren vem som tilldelats",
            "tell the social worker who was assigned",
        ),
        after=("assign",),
        opens=(_START,),
    ),
    _rows.step(
        "start",
        AssignmentStarted,
        requirements=("OV-4",),
        roles=_SOCIAL_WORKER,
        label=("starta uppdraget", "start the assignment"),
        after=("tell",),
        opens=(_CONTACT, _SEND, _BOOK, _FOLLOW_UP),
        apply=lambda s, e, p: {"started_at": e.at},
    ),
    _rows.step(
        "contact",
        SocialWorkerContacted,
        requirements=("OV-5",),
        roles=_THERAPIST,
        label=("kontakta socialsekreteraren", "contact the social worker"),
        after=("start",),
        once=False,
    ),
    _rows.step(
        "coordinate",
        TherapistsCoordinated,
        requirements=("OV-5",),
        roles=_THERAPIST,
        label=("stämma av med de andra behandlarna", "coordinate with the other therapists"),
        after=("assign",),
        when=_SEVERAL_THERAPISTS,
        once=False,
    ),
    _rows.step(
        "send_care_plan",
        CarePlanSent,
        requirements=("OV-6",),
        roles=_SOCIAL_WORKER,
        label=("skicka vårdplanen", "send the care plan"),
        after=("start",),
    ),
    _rows.step(
        "book",
        MeetingBooked,
        requirements=("OV-7",),
        roles=_MEETING,
        label=("boka möte", "book the meeting"),
        after=("start",),
        not_after=("first_meeting",),
        once=False,
        opens=(_HOLD,),
        apply=lambda s, e, p: {"meeting_at": e.meeting_at},
    ),
    _rows.step(
        "first_meeting",
        FirstMeetingHeld,
        requirements=("OV-7",),
        roles=_MEETING,
        label=("hålla det inledande mötet", "hold the first meeting"),
        after=("start",),
        opens=(_TREAT, _PLAN),
        flags=(
            Flag(
                "OV-7",
                _booked_first,
                (
                    "boka mötet med den enskilde innan det hålls",
                    "book the meeting with the individual before it is held",
                ),
            ),
        ),
        apply=lambda s, e, p: {"first_meeting_at": e.at},
    ),
    _rows.step(
        "treat",
        TreatmentStarted,
        requirements=("OV-8",),
        roles=_THERAPIST,
        label=("inleda behandlingen", "start the treatment"),
        after=("start",),
        flags=(
            Flag(
                "OV-8",
                _met_first,
                (
                    "inled behandlingen efter det inledande mötet",
                    "start the treatment after the first meeting",
                ),
            ),
        ),
        apply=lambda s, e, p: {"treatment_started_at": e.at},
        milestone=Milestone(Executed, lambda e: Executed(on=_day(e))),
    ),
    _rows.step(
        "interrupt",
        TreatmentInterrupted,
        requirements=("X-6",),
        roles=_THERAPIST,
        label=("avbryta behandlingen", "interrupt the treatment"),
        after=("treat",),
        milestone=Milestone(Interrupted, lambda e: Interrupted(on=_day(e), reason=e.reason)),
    ),
    _rows.step(
        "resume",
        TreatmentResumed,
        requirements=("X-6",),
        roles=_THERAPIST,
        label=("återuppta behandlingen", "resume the treatment"),
        after=("interrupt",),
        resets=("interrupt", "resume"),  # the treatment may be interrupted again
        milestone=Milestone(Resumed, lambda e: Resumed(on=_day(e))),
    ),
    _rows.step(
        "plan",
        ImplementationPlanWritten,
        requirements=("OV-8",),
        roles=_THERAPIST,
        label=("skriva genomförandeplan", "write the implementation plan"),
        after=("first_meeting",),
        flags=(
            Flag(
                "OV-8",
                _written_with_client,
                (
                    "skriv genomförandeplanen tillsammans med klienten",
                    "write the implementation plan together with the client",
                ),
            ),
        ),
        apply=lambda s, e, p: {"plan_written_at": e.at},
    ),
    _rows.step(
        "follow_up",
        FollowUpHeld,
        requirements=("OV-9",),
        roles=_SOCIAL_WORKER,
        label=("hålla uppföljning", "hold a follow-up"),
        after=("start",),
        once=False,
        opens=(_FOLLOW_UP,),
        flags=(_ALL_THREE_FOLLOW_UP,),
        apply=lambda s, e, p: {"follow_ups": s.follow_ups + 1},
    ),
    _rows.step(
        "change_care_plan",
        CarePlanChanged,
        requirements=("OV-10",),
        roles=_SOCIAL_WORKER,
        label=("ändra vårdplanen", "change the care plan"),
        after=("send_care_plan",),
        once=False,
        flags=(
            Flag(
                "OV-10",
                _care_plan_told,
                (
                    "kommunicera den ändrade vårdplanen med den enskilde och behandlaren",
                    "communicate the changed care plan to the individual and the therapist",
                ),
            ),
        ),
    ),
    _rows.step(
        "change_plan",
        ImplementationPlanChanged,
        requirements=("OV-10",),
        roles=_THERAPIST,
        label=("ändra genomförandeplanen", "change the implementation plan"),
        after=("plan",),
        once=False,
        flags=(
            Flag(
                "OV-10",
                _plan_told,
                (
                    "kommunicera den ändrade genomförandeplanen med klienten och "
                    "socialsekreteraren",
                    "communicate the changed implementation plan to the client and the "
                    "social worker",
                ),
            ),
        ),
    ),
    _rows.step(
        "close",
        ClosingConversationHeld,
        requirements=("OV-11",),
        roles=_SOCIAL_WORKER,
        label=("hålla avslutningssamtal", "hold the closing conversation"),
        after=("start",),
        terminal=True,
        flags=(_ALL_THREE_CLOSING,),
        apply=lambda s, e, p: {"closed_at": e.at},
        milestone=Milestone(Ended, lambda e: Ended(on=_day(e), reason="avslutningssamtal")),
    ),
)

OUTPATIENT_CARE: Final[Routine[OutpatientCareState, OutpatientCareEvent, OutpatientCarePolicy]] = (
    Routine(
        code=ROUTINE,
        title="Rutin från beslut till verkställighet för öppenvårdsinsats, vuxna insatser",
        title_en="Routine from decision to execution of outpatient care, adults",
        initial=initial_state,
        policy=OutpatientCarePolicy(),
        steps=_STEPS,
        describe=_describe,
        social_services=True,
    )
)
"""Routine OV as a table of steps, with the routine's own numbers (OV-1…OV-11)."""

COMMANDS: Final = OUTPATIENT_CARE.commands
"""Every class :func:`decide` takes (each step's event), in the order of the routine."""
EVENTS: Final = OUTPATIENT_CARE.events
"""Every event type of routine OV, in the order of the routine."""


# --------------------------------------------------------------------------- the functions

# The routine's methods, as the module's functions (typed by the routine's classes).
decide: Final = OUTPATIENT_CARE.decide
"""Decide a request of routine OV (a step's event): the event to record, or a refusal, X-2."""
evolve: Final = OUTPATIENT_CARE.evolve
"""Fold one event of routine OV into a state, X-1."""
replay: Final = OUTPATIENT_CARE.replay
"""Fold a case's events into its state; ``strict=False`` keeps anomalies instead, X-1."""
required_actions: Final = OUTPATIENT_CARE.required_actions
"""Return what must happen next in an OV case (åtgärder), for whom and by when."""
deviations: Final = OUTPATIENT_CARE.deviations
"""Return the deviations of an OV case as recorded by ``as_of``, X-5."""
deviations_of: Final = OUTPATIENT_CARE.deviations_of
"""Return the deviations of the OV events recorded by ``as_of``, every case, X-5."""
allowed_commands: Final = OUTPATIENT_CARE.allowed_commands
"""Return the events the state of an OV case allows as requests, whatever the role."""
is_terminal: Final = OUTPATIENT_CARE.is_terminal
"""Whether the case has ended: a terminal step of the routine has been taken."""
