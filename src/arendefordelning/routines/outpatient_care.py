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
:class:`~arendefordelning.kernel.Routine`); the module functions :func:`decide`,
:func:`evolve`, :func:`replay`, :func:`required_actions`, :func:`deviations`,
:func:`allowed_commands` and :func:`is_terminal` are the routine's. A late
implementation plan or an overdue follow-up is recorded, and :func:`deviations` shows
it (X-5).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, ClassVar, Final

import attrs

from .._time import as_stockholm
from .._validators import flag, instance_of, text, tuple_of
from ..deadlines import (
    FollowUpPolicy,
    ImplementationPlanPolicy,
    implementation_plan_due,
    next_follow_up_due,
)
from ..errors import InvalidInput
from ..kernel import (
    ActionKind,
    CaseState,
    Command,
    DeviationKind,
    Due,
    Event,
    Finding,
    Flag,
    Obligation,
    Opened,
    Role,
    Routine,
    RoutinePolicy,
    Step,
    check_identifier,
)

__all__ = [
    "OUTPATIENT_CARE",
    "AssignTherapists",
    "AssignmentStarted",
    "BookMeeting",
    "BriefTherapists",
    "CarePlanChanged",
    "CarePlanSent",
    "ChangeCarePlan",
    "ChangeImplementationPlan",
    "ClosingConversationHeld",
    "ContactSocialWorker",
    "CoordinateTherapists",
    "DecisionMade",
    "FirstMeetingHeld",
    "FollowUpHeld",
    "HoldClosingConversation",
    "HoldFirstMeeting",
    "HoldFollowUp",
    "ImplementationPlanChanged",
    "ImplementationPlanWritten",
    "InformUnitManager",
    "MakeDecision",
    "MeetingBooked",
    "OutpatientCareCommand",
    "OutpatientCareEvent",
    "OutpatientCarePolicy",
    "OutpatientCareState",
    "SendCarePlan",
    "SocialWorkerContacted",
    "SocialWorkerToldOfTherapists",
    "Stage",
    "StartAssignment",
    "StartTreatment",
    "TellSocialWorkerOfTherapists",
    "TherapistsAssigned",
    "TherapistsBriefed",
    "TherapistsCoordinated",
    "TreatmentStarted",
    "UnitManagerInformed",
    "WriteImplementationPlan",
    "allowed_commands",
    "decide",
    "deviations",
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


def _meeting_at(value: object) -> datetime:
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


# --------------------------------------------------------------------------- commands


@attrs.frozen(kw_only=True)
class OutpatientCareCommand(Command):
    """Command of routine OV (kommando): every command below is one, X-2."""


@attrs.frozen(kw_only=True)
class MakeDecision(OutpatientCareCommand):
    """Make the decision (fatta beslut) and create the assignment, social worker, OV-1."""

    intervention: str = attrs.field(validator=text)
    """The intervention granted."""


@attrs.frozen(kw_only=True)
class InformUnitManager(OutpatientCareCommand):
    """Inform the unit manager (informera enhetschefen) about the case, OV-2."""


@attrs.frozen(kw_only=True)
class AssignTherapists(OutpatientCareCommand):
    """Assign therapists (tilldela behandlare), one or more, unit manager, OV-3."""

    therapists: tuple[str, ...] = attrs.field(converter=_therapists, validator=tuple_of(str))
    """The therapists' or counsellors' staff ids."""


@attrs.frozen(kw_only=True)
class BriefTherapists(OutpatientCareCommand):
    """Give the therapists a first briefing (ge första information), unit manager, OV-3."""


@attrs.frozen(kw_only=True)
class TellSocialWorkerOfTherapists(OutpatientCareCommand):
    """Tell the social worker who was assigned (meddela vem som tilldelats), OV-3."""


@attrs.frozen(kw_only=True)
class StartAssignment(OutpatientCareCommand):
    """Assign the assignment to the therapists and start it (starta uppdraget), OV-4."""


@attrs.frozen(kw_only=True)
class ContactSocialWorker(OutpatientCareCommand):
    """Contact the social worker (kontakta socialsekreteraren) for more information, OV-5."""


@attrs.frozen(kw_only=True)
class CoordinateTherapists(OutpatientCareCommand):
    """Coordinate with the other therapists (stämma av med varandra), OV-5."""


@attrs.frozen(kw_only=True)
class SendCarePlan(OutpatientCareCommand):
    """Send the care plan (skicka vårdplanen) to the therapist, social worker, OV-6."""


@attrs.frozen(kw_only=True)
class BookMeeting(OutpatientCareCommand):
    """Book a meeting (boka möte) with the individual, OV-7."""

    meeting_at: datetime = attrs.field(converter=_meeting_at)
    """When the meeting is to be held."""


@attrs.frozen(kw_only=True)
class HoldFirstMeeting(OutpatientCareCommand):
    """Hold the first meeting (hålla det inledande mötet) with the individual, OV-7."""

    participants: tuple[Role, ...] = attrs.field(converter=_participants, validator=tuple_of(Role))
    """Who took part."""


@attrs.frozen(kw_only=True)
class StartTreatment(OutpatientCareCommand):
    """Start the treatment (inleda behandlingen) with the client, therapist, OV-8."""


@attrs.frozen(kw_only=True)
class WriteImplementationPlan(OutpatientCareCommand):
    """Write the implementation plan (skriva genomförandeplan) with the client, OV-8."""

    with_client: bool = attrs.field(default=True, validator=flag)
    """Whether the plan was written together with the client."""


@attrs.frozen(kw_only=True)
class HoldFollowUp(OutpatientCareCommand):
    """Hold a follow-up (hålla uppföljning) with the individual and the therapist, OV-9."""

    participants: tuple[Role, ...] = attrs.field(converter=_participants, validator=tuple_of(Role))
    """Who took part."""
    plan_updated: bool = attrs.field(default=False, validator=flag)
    """Whether the implementation plan was updated."""


@attrs.frozen(kw_only=True)
class ChangeCarePlan(OutpatientCareCommand):
    """Change the care plan (ändra vårdplanen) after a change in needs, OV-10."""

    told_individual: bool = attrs.field(validator=flag)
    """Whether the change was communicated to the individual."""
    told_therapist: bool = attrs.field(validator=flag)
    """Whether the change was communicated to the therapist."""


@attrs.frozen(kw_only=True)
class ChangeImplementationPlan(OutpatientCareCommand):
    """Change the implementation plan (ändra genomförandeplanen) after a change in treatment, OV-10."""  # noqa: E501

    told_client: bool = attrs.field(validator=flag)
    """Whether the change was communicated to the client."""
    told_social_worker: bool = attrs.field(validator=flag)
    """Whether the change was communicated to the social worker."""


@attrs.frozen(kw_only=True)
class HoldClosingConversation(OutpatientCareCommand):
    """Hold the closing conversation (hålla avslutningssamtal), which ends the case, OV-11."""

    participants: tuple[Role, ...] = attrs.field(converter=_participants, validator=tuple_of(Role))
    """Who took part."""


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


@attrs.frozen(kw_only=True)
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


# --------------------------------------------------------------------------- rules


def implementation_plan_due_of(
    state: OutpatientCareState, *, policy: OutpatientCarePolicy | None = None
) -> Due | None:
    """Return when the implementation plan is due (genomförandeplan inom tre veckor), OV-8.

    Three weeks from the first meeting, rolled forward to a working day; None until
    the first meeting is held.
    """
    if not isinstance(state, OutpatientCareState):
        raise InvalidInput(f"state must be an OutpatientCareState, not {type(state).__name__}")
    if state.first_meeting_at is None:
        return None
    rule = _DEFAULT_POLICY if policy is None else policy
    return _plan_due(state.first_meeting_at, rule)


def _plan_due(first_meeting: datetime, rule: OutpatientCarePolicy) -> Due:
    day = implementation_plan_due(first_meeting, policy=rule.implementation_plan)
    weeks = rule.implementation_plan.period.days // 7
    return Due.on_day(
        "OV-8",
        day,
        counted_from=first_meeting,
        since=("det inledande mötet", "the first meeting"),
        rule=(
            f"genomförandeplan inom {weeks} veckor",
            f"implementation plan within {weeks} weeks",
        ),
    )


def follow_up_due_of(
    state: OutpatientCareState, *, policy: OutpatientCarePolicy | None = None
) -> Due | None:
    """Return when the next follow-up is due (uppföljning minst var tredje månad), OV-9.

    Three calendar months from the start of the assignment or the latest follow-up
    (a month end clamps), rolled forward; None before the start and after closing.
    """
    if not isinstance(state, OutpatientCareState):
        raise InvalidInput(f"state must be an OutpatientCareState, not {type(state).__name__}")
    rule = _DEFAULT_POLICY if policy is None else policy
    for record in reversed(state.obligations):
        if record.name == "follow_up" and record.open:
            return _follow_up_due(record, rule)
    return None


def _follow_up_due(record: Opened, rule: OutpatientCarePolicy) -> Due:
    day = next_follow_up_due(record.at, policy=rule.follow_up)
    first = record.step == "start"
    months = rule.follow_up.months
    return Due.on_day(
        "OV-9",
        day,
        counted_from=record.at,
        since=(
            ("uppdragets start", "the start of the assignment")
            if first
            else ("den senaste uppföljningen", "the latest follow-up")
        ),
        rule=(f"uppföljning inom {months} månader", f"follow-up within {months} months"),
    )


def _missing_parties(participants: tuple[Role, ...]) -> list[str]:
    present = set(participants)
    missing = []
    if Role.INDIVIDUAL not in present:
        missing.append("the individual")
    if Role.SOCIAL_WORKER not in present:
        missing.append("the social worker")
    if not present & {Role.THERAPIST, Role.COUNSELLOR}:
        missing.append("a therapist")
    return missing


_SWEDISH_PARTY: Final = {
    "the individual": "den enskilde",
    "the social worker": "socialsekreteraren",
    "a therapist": "behandlaren",
}


def _all_three(what_sv: str, what_en: str) -> Any:
    def judge(
        before: OutpatientCareState, event: Any, policy: OutpatientCarePolicy
    ) -> Finding | None:
        missing = _missing_parties(event.participants)
        if not missing:
            return None
        return Finding(
            kind=DeviationKind.INCOMPLETE,
            sv=f"{what_sv} tillsammans med den enskilde, socialsekreteraren och behandlaren "
            f"(saknades: {', '.join(_SWEDISH_PARTY[m] for m in missing)})",
            en=f"{what_en} with the individual, the social worker and the therapist "
            f"(missing: {', '.join(missing)})",
        )

    judge.__name__ = f"with_all_three_{what_en.split()[1]}"
    return judge


def _written_with_client(
    before: OutpatientCareState, event: ImplementationPlanWritten, policy: OutpatientCarePolicy
) -> Finding | None:
    """Write the implementation plan together with the client."""
    if event.with_client:
        return None
    return Finding(
        kind=DeviationKind.INCOMPLETE,
        sv="skriv genomförandeplanen tillsammans med klienten",
        en="write the implementation plan together with the client",
    )


def _care_plan_told(
    before: OutpatientCareState, event: CarePlanChanged, policy: OutpatientCarePolicy
) -> Finding | None:
    """Communicate a changed care plan to the individual and the therapist."""
    if event.told_individual and event.told_therapist:
        return None
    return Finding(
        kind=DeviationKind.INCOMPLETE,
        sv="kommunicera den ändrade vårdplanen med den enskilde och behandlaren",
        en="communicate the changed care plan to the individual and the therapist",
    )


def _plan_told(
    before: OutpatientCareState, event: ImplementationPlanChanged, policy: OutpatientCarePolicy
) -> Finding | None:
    """Communicate a changed implementation plan to the client and the social worker."""
    if event.told_client and event.told_social_worker:
        return None
    return Finding(
        kind=DeviationKind.INCOMPLETE,
        sv="kommunicera den ändrade genomförandeplanen med klienten och socialsekreteraren",
        en="communicate the changed implementation plan to the client and the social worker",
    )


def _several_therapists(state: OutpatientCareState) -> bool:
    """Several therapists share the case (OV-5: they coordinate)."""
    return len(state.therapists) > 1


def _task(
    name: str,
    requirement: str,
    role: Role,
    sv: str,
    en: str,
    *,
    met_by: tuple[str, ...],
    **more: Any,
) -> Obligation[OutpatientCareState, OutpatientCarePolicy]:
    return Obligation(
        name=name, requirement=requirement, role=role, sv=sv, en=en, met_by=met_by, **more
    )


_INFORM = _task(
    "inform_unit_manager",
    "OV-2",
    Role.SOCIAL_WORKER,
    "informera enhetschefen om ärendet",
    "inform the unit manager about the case",
    met_by=("inform",),
    kind=ActionKind.MESSAGE,
    recipient="enhetschefen",
)
_ASSIGN = _task(
    "assign_therapists",
    "OV-3",
    Role.UNIT_MANAGER,
    "tilldela ärendet en eller flera behandlare eller kuratorer",
    "assign one or more therapists or counsellors to the case",
    met_by=("assign",),
)
_BRIEF = _task(
    "brief_therapists",
    "OV-3",
    Role.UNIT_MANAGER,
    "ge behandlarna en första information om ärendet",
    "give the therapists a first briefing on the case",
    met_by=("brief",),
    kind=ActionKind.MESSAGE,
    recipient="behandlarna",
)
_TELL = _task(
    "tell_social_worker",
    "OV-3",
    Role.UNIT_MANAGER,
    "meddela socialsekreteraren vem som tilldelats ärendet",
    "tell the social worker who was assigned to the case",
    met_by=("tell",),
    kind=ActionKind.MESSAGE,
    recipient="socialsekreteraren",
)
_COORDINATE = _task(
    "coordinate",
    "OV-5",
    Role.THERAPIST,
    "stäm av med de andra behandlarna i ärendet",
    "coordinate with the other therapists of the case",
    met_by=("coordinate",),
    when=_several_therapists,
)
_START = _task(
    "start_assignment",
    "OV-4",
    Role.SOCIAL_WORKER,
    "tilldela behandlaren uppdraget i verksamhetssystemet och starta uppdraget",
    "assign the assignment to the therapist in the case system and start it",
    met_by=("start",),
)
_CONTACT = _task(
    "contact_social_worker",
    "OV-5",
    Role.THERAPIST,
    "kontakta socialsekreteraren för mer information om ärendet",
    "contact the social worker for more information about the case",
    met_by=("contact",),
    kind=ActionKind.MESSAGE,
    recipient="socialsekreteraren",
)
_SEND = _task(
    "send_care_plan",
    "OV-6",
    Role.SOCIAL_WORKER,
    "skicka vårdplanen till behandlaren",
    "send the care plan to the therapist",
    met_by=("send_care_plan",),
    kind=ActionKind.MESSAGE,
    recipient="behandlaren",
)
_BOOK = _task(
    "book_meeting",
    "OV-7",
    Role.SOCIAL_WORKER,
    "boka in ett möte med den enskilde och behandlaren",
    "book a meeting with the individual and the therapist",
    met_by=("book",),
)
_HOLD = _task(
    "hold_first_meeting",
    "OV-7",
    Role.SOCIAL_WORKER,
    "håll det inledande mötet med den enskilde och behandlaren",
    "hold the first meeting with the individual and the therapist",
    met_by=("first_meeting",),
)
_TREAT = _task(
    "start_treatment",
    "OV-8",
    Role.THERAPIST,
    "inled behandlingen tillsammans med klienten",
    "start the treatment with the client",
    met_by=("treat",),
)
_PLAN = _task(
    "implementation_plan",
    "OV-8",
    Role.THERAPIST,
    "skriv genomförandeplanen tillsammans med klienten",
    "write the implementation plan with the client",
    met_by=("plan",),
    due=lambda state, record, rule: _plan_due(record.at, rule),
)
_FOLLOW_UP = _task(
    "follow_up",
    "OV-9",
    Role.SOCIAL_WORKER,
    "samordna och håll uppföljning med den enskilde och behandlaren",
    "coordinate and hold a follow-up with the individual and the therapist",
    met_by=("follow_up",),
    due=lambda state, record, rule: _follow_up_due(record, rule),
)

_STEPS: Final[tuple[Step[OutpatientCareState, Any, Any, OutpatientCarePolicy], ...]] = (
    Step(
        name="decide",
        command=MakeDecision,
        event=DecisionMade,
        requirements=("OV-1",),
        roles=_SOCIAL_WORKER,
        opens=(_INFORM,),
        apply=lambda s, e: {"intervention": e.intervention, "decided_at": e.at},
    ),
    Step(
        name="inform",
        command=InformUnitManager,
        event=UnitManagerInformed,
        requirements=("OV-2",),
        roles=_SOCIAL_WORKER,
        after=("decide",),
        opens=(_ASSIGN,),
    ),
    Step(
        name="assign",
        command=AssignTherapists,
        event=TherapistsAssigned,
        requirements=("OV-3",),
        roles=_UNIT_MANAGER,
        after=("inform",),
        opens=(_BRIEF, _TELL, _COORDINATE),
        apply=lambda s, e: {"therapists": e.therapists},
    ),
    Step(
        name="brief",
        command=BriefTherapists,
        event=TherapistsBriefed,
        requirements=("OV-3",),
        roles=_UNIT_MANAGER,
        after=("assign",),
    ),
    Step(
        name="tell",
        command=TellSocialWorkerOfTherapists,
        event=SocialWorkerToldOfTherapists,
        requirements=("OV-3",),
        roles=_UNIT_MANAGER,
        after=("assign",),
        opens=(_START,),
    ),
    Step(
        name="start",
        command=StartAssignment,
        event=AssignmentStarted,
        requirements=("OV-4",),
        roles=_SOCIAL_WORKER,
        after=("tell",),
        opens=(_CONTACT, _SEND, _BOOK, _FOLLOW_UP),
        apply=lambda s, e: {"started_at": e.at},
    ),
    Step(
        name="contact",
        command=ContactSocialWorker,
        event=SocialWorkerContacted,
        requirements=("OV-5",),
        roles=_THERAPIST,
        after=("start",),
        once=False,
    ),
    Step(
        name="coordinate",
        command=CoordinateTherapists,
        event=TherapistsCoordinated,
        requirements=("OV-5",),
        roles=_THERAPIST,
        after=("assign",),
        when=_several_therapists,
        once=False,
    ),
    Step(
        name="send_care_plan",
        command=SendCarePlan,
        event=CarePlanSent,
        requirements=("OV-6",),
        roles=_SOCIAL_WORKER,
        after=("start",),
    ),
    Step(
        name="book",
        command=BookMeeting,
        event=MeetingBooked,
        requirements=("OV-7",),
        roles=_MEETING,
        after=("start",),
        not_after=("first_meeting",),
        once=False,
        opens=(_HOLD,),
        apply=lambda s, e: {"meeting_at": e.meeting_at},
    ),
    Step(
        name="first_meeting",
        command=HoldFirstMeeting,
        event=FirstMeetingHeld,
        requirements=("OV-7",),
        roles=_MEETING,
        after=("book",),
        opens=(_TREAT, _PLAN),
        apply=lambda s, e: {"first_meeting_at": e.at},
    ),
    Step(
        name="treat",
        command=StartTreatment,
        event=TreatmentStarted,
        requirements=("OV-8",),
        roles=_THERAPIST,
        after=("first_meeting",),
    ),
    Step(
        name="plan",
        command=WriteImplementationPlan,
        event=ImplementationPlanWritten,
        requirements=("OV-8",),
        roles=_THERAPIST,
        after=("first_meeting",),
        flags=(Flag("OV-8", _written_with_client),),
        apply=lambda s, e: {"plan_written_at": e.at},
    ),
    Step(
        name="follow_up",
        command=HoldFollowUp,
        event=FollowUpHeld,
        requirements=("OV-9",),
        roles=_SOCIAL_WORKER,
        after=("start",),
        once=False,
        opens=(_FOLLOW_UP,),
        flags=(Flag("OV-9", _all_three("håll uppföljningen", "hold the follow-up")),),
        apply=lambda s, e: {"follow_ups": s.follow_ups + 1},
    ),
    Step(
        name="change_care_plan",
        command=ChangeCarePlan,
        event=CarePlanChanged,
        requirements=("OV-10",),
        roles=_SOCIAL_WORKER,
        after=("send_care_plan",),
        once=False,
        flags=(Flag("OV-10", _care_plan_told),),
    ),
    Step(
        name="change_plan",
        command=ChangeImplementationPlan,
        event=ImplementationPlanChanged,
        requirements=("OV-10",),
        roles=_THERAPIST,
        after=("plan",),
        once=False,
        flags=(Flag("OV-10", _plan_told),),
    ),
    Step(
        name="close",
        command=HoldClosingConversation,
        event=ClosingConversationHeld,
        requirements=("OV-11",),
        roles=_SOCIAL_WORKER,
        after=("start",),
        terminal=True,
        flags=(
            Flag("OV-11", _all_three("håll avslutningssamtalet", "hold the closing conversation")),
        ),
        apply=lambda s, e: {"closed_at": e.at},
    ),
)

_DEFAULT_POLICY: Final = OutpatientCarePolicy()

OUTPATIENT_CARE: Final[
    Routine[OutpatientCareState, OutpatientCareCommand, OutpatientCareEvent, OutpatientCarePolicy]
] = Routine(
    code=ROUTINE,
    title="Rutin från beslut till verkställighet för öppenvårdsinsats, vuxna insatser",
    initial=initial_state,
    policy=_DEFAULT_POLICY,
    steps=_STEPS,
    describe=_describe,
)
"""Routine OV as a table of steps, with the routine's own numbers (OV-1…OV-11)."""

COMMANDS: Final = OUTPATIENT_CARE.commands
"""Every command of routine OV, in the order of the routine."""
EVENTS: Final = OUTPATIENT_CARE.events
"""Every event type of routine OV, in the order of the routine."""


# --------------------------------------------------------------------------- the functions

# The routine's methods, as the module's functions (typed by the routine's classes).
decide: Final = OUTPATIENT_CARE.decide
"""Decide a command of routine OV: its events, or a refusal recording nothing, X-2."""
evolve: Final = OUTPATIENT_CARE.evolve
"""Fold one event of routine OV into a state, X-1."""
replay: Final = OUTPATIENT_CARE.replay
"""Fold a case's events into its state; ``strict=False`` keeps anomalies instead, X-1."""
required_actions: Final = OUTPATIENT_CARE.required_actions
"""Return what must happen next in a OV case (åtgärder), for whom and by when."""
deviations: Final = OUTPATIENT_CARE.deviations
"""Return the deviations of a OV case recorded by ``as_of``, X-5."""
allowed_commands: Final = OUTPATIENT_CARE.allowed_commands
"""Return the commands the state of a OV case allows, whatever the actor's role."""
is_terminal: Final = OUTPATIENT_CARE.is_terminal
"""Whether the case has ended: a terminal step of the routine has been taken."""
