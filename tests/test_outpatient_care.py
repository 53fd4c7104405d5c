"""Routine OV: outpatient care for adults, from decision to implementation (OV-1…OV-11).

Given/when/then examples per requirement, read from the routine's text; the role of
every step (X-2); the deadlines of OV-8 and OV-9 as required actions before they pass
and as deviations after (X-5); record-not-refuse for late and incomplete steps.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from arendefordelning import IllegalTransition, InvalidInput, NotPermitted
from arendefordelning.deadlines import FollowUpPolicy, ImplementationPlanPolicy
from arendefordelning.kernel import ActionKind, Actor, DeviationKind, Role, Severity
from arendefordelning.routines import outpatient_care as ov

SE = ZoneInfo("Europe/Stockholm")
CASE = "ÖV-2026-12"
T0 = datetime(2026, 1, 12, 9, 0, tzinfo=SE)  # a Monday

SOCIAL_WORKER = Actor("ss-4", Role.SOCIAL_WORKER)
UNIT_MANAGER = Actor("ec-1", Role.UNIT_MANAGER)
THERAPIST = Actor("beh-2", Role.THERAPIST)
COUNSELLOR = Actor("kur-7", Role.COUNSELLOR)
ALL_THREE = (Role.INDIVIDUAL, Role.SOCIAL_WORKER, Role.THERAPIST)

State = ov.OutpatientCareState


def at(days: float = 0, hours: float = 0) -> datetime:
    return T0 + timedelta(days=days, hours=hours)


def run(*commands: ov.OutpatientCareEvent, state: State = ov.initial_state) -> State:
    for command in commands:
        state = ov.replay(ov.decide(command, state), state)
    return state


def actions(state: State) -> list[tuple[str, Role]]:
    return [(a.requirement, a.role) for a in ov.required_actions(state)]


def decided() -> list[ov.OutpatientCareEvent]:
    """OV-1…OV-3: decision, unit manager informed, one therapist assigned, briefed, told."""
    return [
        ov.DecisionMade(case=CASE, at=at(), actor=SOCIAL_WORKER, intervention="samtalsstöd"),
        ov.UnitManagerInformed(case=CASE, at=at(hours=1), actor=SOCIAL_WORKER),
        ov.TherapistsAssigned(case=CASE, at=at(1), actor=UNIT_MANAGER, therapists=["beh-2"]),
        ov.TherapistsBriefed(case=CASE, at=at(1, 1), actor=UNIT_MANAGER),
        ov.SocialWorkerToldOfTherapists(case=CASE, at=at(1, 2), actor=UNIT_MANAGER),
    ]


def started() -> list[ov.OutpatientCareEvent]:
    """OV-1…OV-7: started on day 2, first meeting on day 9."""
    return [
        *decided(),
        ov.AssignmentStarted(case=CASE, at=at(2), actor=SOCIAL_WORKER),
        ov.SocialWorkerContacted(case=CASE, at=at(2, 3), actor=THERAPIST),
        ov.CarePlanSent(case=CASE, at=at(3), actor=SOCIAL_WORKER),
        ov.MeetingBooked(case=CASE, at=at(3, 1), actor=SOCIAL_WORKER, meeting_at=at(9)),
        ov.FirstMeetingHeld(case=CASE, at=at(9), actor=SOCIAL_WORKER, participants=ALL_THREE),
    ]


# --------------------------------------------------------------------------- OV-1 … OV-7


def test_ov1_the_social_worker_decides_and_the_assignment_is_created() -> None:
    """OV-1: the decision records the intervention granted; only the social worker makes it."""
    state = run(decided()[0])
    assert state.intervention == "samtalsstöd"
    assert state.stage is ov.Stage.DECIDED
    with pytest.raises(NotPermitted, match="'enhetschef'"):
        ov.decide(
            ov.DecisionMade(case=CASE, at=at(), actor=UNIT_MANAGER, intervention="x"),
            ov.initial_state,
        )


def test_ov2_after_the_decision_the_unit_manager_must_be_informed() -> None:
    """OV-2: the required action is a message from the social worker to the unit manager."""
    state = run(decided()[0])
    (action,) = ov.required_actions(state)
    assert (action.requirement, action.role, action.kind, action.recipient) == (
        "OV-2",
        Role.SOCIAL_WORKER,
        ActionKind.MESSAGE,
        "enhetschefen",
    )
    assert action.explain() == "Socialsekreterare: informera enhetschefen om ärendet (OV-2)."


def test_ov3_the_unit_manager_assigns_one_or_more_briefs_them_and_tells_the_social_worker() -> None:
    """OV-3: assignment opens the briefing and the message to the social worker."""
    state = run(*decided()[:3])
    assert state.therapists == ("beh-2",)
    assert actions(state) == [("OV-3", Role.UNIT_MANAGER), ("OV-3", Role.UNIT_MANAGER)]
    with pytest.raises(InvalidInput, match="therapists must name one or more"):
        ov.TherapistsAssigned(case=CASE, at=at(1), actor=UNIT_MANAGER, therapists=[])
    with pytest.raises(InvalidInput, match="personal identity number"):
        ov.TherapistsAssigned(case=CASE, at=at(1), actor=UNIT_MANAGER, therapists=["19121212-1212"])


def test_ov4_the_social_worker_starts_the_assignment_once_told_who() -> None:
    """OV-4: starting needs the message of OV-3; it opens OV-5, OV-6, OV-7 and OV-9."""
    before_told = run(*decided()[:4])
    with pytest.raises(IllegalTransition, match="AssignmentStarted is not allowed"):
        ov.decide(ov.AssignmentStarted(case=CASE, at=at(2), actor=SOCIAL_WORKER), before_told)
    state = run(*decided(), ov.AssignmentStarted(case=CASE, at=at(2), actor=SOCIAL_WORKER))
    assert state.stage is ov.Stage.STARTED
    assert [requirement for requirement, _ in actions(state)] == ["OV-5", "OV-6", "OV-7", "OV-9"]


def test_ov5_several_therapists_coordinate_and_one_contacts_the_social_worker() -> None:
    """OV-5: coordination is asked only when several therapists share the case."""
    commands = decided()
    commands[2] = ov.TherapistsAssigned(
        case=CASE, at=at(1), actor=UNIT_MANAGER, therapists=["beh-2", "kur-7"]
    )
    state = run(*commands)
    assert ("OV-5", Role.THERAPIST) in actions(state)
    state = run(ov.TherapistsCoordinated(case=CASE, at=at(1, 4), actor=COUNSELLOR), state=state)
    assert ("OV-5", Role.THERAPIST) not in actions(state)
    alone = run(*decided())
    assert ("OV-5", Role.THERAPIST) not in actions(alone)
    with pytest.raises(IllegalTransition):
        ov.decide(ov.TherapistsCoordinated(case=CASE, at=at(2), actor=THERAPIST), alone)


def test_ov6_the_social_worker_sends_the_care_plan() -> None:
    """OV-6: a message to the therapist, met by sending it."""
    state = run(*decided(), ov.AssignmentStarted(case=CASE, at=at(2), actor=SOCIAL_WORKER))
    assert "OV-6" in [r for r, _ in actions(state)]
    state = run(ov.CarePlanSent(case=CASE, at=at(3), actor=SOCIAL_WORKER), state=state)
    assert "OV-6" not in [r for r, _ in actions(state)]


def test_ov7_a_meeting_with_the_individual_is_booked_then_held() -> None:
    """OV-7: booking opens holding the meeting; after it, treatment and the plan are due."""
    state = run(*started()[:-1])
    assert ("OV-7", Role.SOCIAL_WORKER) in actions(state)
    assert state.meeting_at == at(9)
    state = run(started()[-1], state=state)
    assert state.stage is ov.Stage.IN_TREATMENT
    assert state.first_meeting_at == at(9)
    assert ("OV-8", Role.THERAPIST) in actions(state)


# --------------------------------------------------------------------------- OV-8


def test_ov8_the_implementation_plan_is_due_three_weeks_after_the_first_meeting() -> None:
    """OV-8: 21 days from the first meeting (Wednesday 21 Jan), rolled forward."""
    state = run(*started())
    due = ov.implementation_plan_due_of(state)
    assert due is not None
    assert (due.requirement, due.day) == ("OV-8", date(2026, 2, 11))
    assert due.due == datetime(2026, 2, 12, 0, 0, tzinfo=SE)
    plan = next(a for a in ov.required_actions(state) if a.requirement == "OV-8" and a.due)
    assert plan.explain().endswith("senast 2026-02-11 (OV-8).")
    assert ov.deviations(state, as_of=datetime(2026, 2, 11, 23, 0, tzinfo=SE)) == []


def test_ov8_a_late_plan_is_recorded_and_judged_late() -> None:
    """OV-8: the plan written on day 40 is accepted, and deviations call it late."""
    state = run(*started(), ov.ImplementationPlanWritten(case=CASE, at=at(40), actor=THERAPIST))
    assert state.plan_written_at == at(40)
    late = [d for d in ov.deviations(state, as_of=at(41)) if d.requirement == "OV-8"]
    assert [(d.kind, d.severity, d.happened_at) for d in late] == [
        (DeviationKind.LATE, Severity.ERROR, at(40))
    ]


def test_ov8_a_plan_not_written_by_its_due_time_is_missing() -> None:
    """OV-8: no plan by 12 Feb 00:00 is MISSING, naming the due time."""
    state = run(*started())
    (missing,) = [d for d in ov.deviations(state, as_of=at(31)) if d.requirement == "OV-8"]
    assert missing.kind is DeviationKind.MISSING
    assert "senast 2026-02-11" in missing.explain()


def test_ov8_a_plan_written_without_the_client_is_flagged() -> None:
    """OV-8: the routine asks for the plan to be written with the client."""
    state = run(
        *started(),
        ov.ImplementationPlanWritten(case=CASE, at=at(12), actor=THERAPIST, with_client=False),
    )
    (flagged,) = ov.deviations(state, as_of=at(13))
    assert (flagged.requirement, flagged.kind) == ("OV-8", DeviationKind.INCOMPLETE)


# --------------------------------------------------------------------------- OV-9


def test_ov9_the_first_follow_up_is_due_three_months_after_the_start() -> None:
    """OV-9: the start 14 Jan gives 14 Apr; each follow-up gives the next three months on."""
    state = run(*started())
    due = ov.follow_up_due_of(state)
    assert due is not None
    assert due.day == date(2026, 4, 14)
    state = run(
        ov.FollowUpHeld(case=CASE, at=at(80), actor=SOCIAL_WORKER, participants=ALL_THREE),
        state=state,
    )
    following = ov.follow_up_due_of(state)
    assert following is not None
    assert following.day == date(2026, 7, 2)  # 2 Apr + 3 months
    assert following.since_en == "the latest follow-up"
    assert state.follow_ups == 1


def test_ov9_an_overdue_follow_up_is_missing_then_late_once_held() -> None:
    """OV-9: none by 14 Apr is MISSING; held on 20 Apr it is LATE; the next counts on."""
    state = run(*started())
    overdue = datetime(2026, 4, 16, 9, 0, tzinfo=SE)
    (missing,) = [d for d in ov.deviations(state, as_of=overdue) if d.requirement == "OV-9"]
    assert missing.kind is DeviationKind.MISSING
    held = datetime(2026, 4, 20, 9, 0, tzinfo=SE)
    state = run(
        ov.FollowUpHeld(case=CASE, at=held, actor=SOCIAL_WORKER, participants=ALL_THREE),
        state=state,
    )
    (late,) = [d for d in ov.deviations(state, as_of=held) if d.requirement == "OV-9"]
    assert (late.kind, late.happened_at) == (DeviationKind.LATE, held)


def test_ov9_a_follow_up_without_all_three_parties_is_flagged() -> None:
    """OV-9: the follow-up is with the individual, the social worker and the therapist."""
    state = run(
        *started(),
        ov.FollowUpHeld(
            case=CASE, at=at(60), actor=SOCIAL_WORKER, participants=[Role.SOCIAL_WORKER]
        ),
    )
    (flagged,) = [d for d in ov.deviations(state, as_of=at(61)) if d.requirement == "OV-9"]
    assert (flagged.requirement, flagged.kind) == ("OV-9", DeviationKind.INCOMPLETE)
    assert "missing: the individual, a therapist" in flagged.explain("en")


def test_ov9_the_policy_sets_the_months() -> None:
    """OV-9, X-4: a municipality following up every second month passes a policy."""
    policy = ov.OutpatientCarePolicy(follow_up=FollowUpPolicy(months=2))
    state = run(*started())
    due = ov.follow_up_due_of(state, policy=policy)
    assert due is not None
    assert due.day == date(2026, 3, 16)  # 14 Mar is a Saturday


# --------------------------------------------------------------------------- OV-10, OV-11


def test_ov10_a_changed_plan_not_communicated_is_flagged() -> None:
    """OV-10: changes are communicated to the individual and the other party."""
    state = run(
        *started(),
        ov.ImplementationPlanWritten(case=CASE, at=at(12), actor=THERAPIST),
        ov.CarePlanChanged(
            case=CASE, at=at(20), actor=SOCIAL_WORKER, told_individual=True, told_therapist=False
        ),
        ov.ImplementationPlanChanged(
            case=CASE, at=at(21), actor=THERAPIST, told_client=True, told_social_worker=True
        ),
    )
    (flagged,) = ov.deviations(state, as_of=at(22))
    assert (flagged.requirement, flagged.kind) == ("OV-10", DeviationKind.INCOMPLETE)


def test_ov11_the_closing_conversation_ends_the_case() -> None:
    """OV-11: after it nothing is allowed and no action is required."""
    state = run(
        *started(),
        ov.ClosingConversationHeld(
            case=CASE, at=at(30), actor=SOCIAL_WORKER, participants=ALL_THREE
        ),
    )
    assert ov.is_terminal(state)
    assert state.stage is ov.Stage.CLOSED
    assert ov.required_actions(state) == ()
    assert ov.allowed_commands(state) == frozenset()
    assert ov.follow_up_due_of(state) is None
    # The plan was not due yet when the case closed: closing ended the obligation.
    assert [d.requirement for d in ov.deviations(state, as_of=at(31))] == []


# --------------------------------------------------------------------------- the whole


def test_x2_every_step_names_the_roles_of_the_routine() -> None:
    """X-2: who may do what, as the routine's text assigns the steps."""
    matrix = ov.OUTPATIENT_CARE.role_matrix()
    social_worker = {Role.SOCIAL_WORKER}
    therapist = {Role.THERAPIST, Role.COUNSELLOR}
    assert matrix[ov.DecisionMade] == social_worker
    assert matrix[ov.UnitManagerInformed] == social_worker
    assert matrix[ov.TherapistsAssigned] == {Role.UNIT_MANAGER}
    assert matrix[ov.AssignmentStarted] == social_worker
    assert matrix[ov.SocialWorkerContacted] == therapist
    assert matrix[ov.ImplementationPlanWritten] == therapist
    assert matrix[ov.FollowUpHeld] == social_worker
    assert matrix[ov.ClosingConversationHeld] == social_worker


def test_x1_replaying_the_events_gives_the_state_deciding_built() -> None:
    """X-1: the events decide produced fold back to the same state."""
    state = ov.initial_state
    events: list[Any] = []
    for command in started():
        new = ov.decide(command, state)
        events += new
        state = ov.replay(new, state)
    assert ov.replay(events) == state
    assert len(events) == len(started())


def test_x5_required_actions_exist_at_every_state_until_the_case_ends() -> None:
    """X-5: from the first step to the closing conversation someone always has a task."""
    state = ov.initial_state
    commands: Sequence[ov.OutpatientCareEvent] = started()
    for command in commands:
        state = run(command, state=state)
        assert ov.required_actions(state), type(command).__name__


def test_ov8_ov9_the_example_prints_the_history_actions_and_deviations_in_swedish(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """OV-8, OV-9: the example's case ends with a late plan and a missing follow-up."""
    import runpy
    from pathlib import Path

    example = Path(__file__).resolve().parents[1] / "examples" / "outpatient_care.py"
    runpy.run_path(str(example), run_name="__main__")
    printed = capsys.readouterr().out
    assert "fatta beslut och skapa uppdrag (socialsekreterare)" in printed
    assert "att göra: Enhetschef: tilldela ärendet en eller flera behandlare" in printed
    assert "Avvikelse, för sent: skriv genomförandeplanen" in printed
    assert "Avvikelse, saknas: samordna och håll uppföljning" in printed


# --------------------------------------------------------------------------- X-6 milestones


def test_x6_ov_declares_the_decision_its_execution_at_treatment_and_the_end() -> None:
    """X-6: decided on the day recorded, executed when treatment starts (OV-8), ended at OV-11."""
    from arendefordelning import Sex
    from arendefordelning.kernel import Decided, Executed, LegalBasis, MilestoneKind

    assert ov.OUTPATIENT_CARE.social_services is True
    decision = ov.DecisionMade(
        case=CASE,
        at=at(),
        actor=SOCIAL_WORKER,
        intervention="samtalsstöd",
        legal_basis=LegalBasis.SOL,
        sex=Sex.MALE,
        born=date(1971, 5, 9),
    )
    state = run(
        decision,
        *decided()[1:],
        *started()[5:],
        ov.TreatmentStarted(case=CASE, at=at(10), actor=THERAPIST),
        ov.TreatmentInterrupted(case=CASE, at=at(20), actor=THERAPIST, reason="sjukhusvistelse"),
        ov.TreatmentResumed(case=CASE, at=at(30), actor=THERAPIST),
        ov.TreatmentInterrupted(case=CASE, at=at(40), actor=THERAPIST),
        ov.ClosingConversationHeld(
            case=CASE, at=at(50), actor=SOCIAL_WORKER, participants=ALL_THREE
        ),
    )
    kinds = [(r.step, r.kind) for r in state.milestones]
    assert kinds == [
        ("decide", MilestoneKind.DECISION),
        ("treat", MilestoneKind.EXECUTED),
        ("interrupt", MilestoneKind.INTERRUPTED),
        ("resume", MilestoneKind.RESUMED),
        ("interrupt", MilestoneKind.INTERRUPTED),
        ("close", MilestoneKind.ENDED),
    ]
    facts = state.milestones[0].facts
    assert isinstance(facts, Decided)
    assert (facts.decided_on, facts.sex, facts.born) == (
        date(2026, 1, 12),
        Sex.MALE,
        date(1971, 5, 9),
    )
    assert state.milestones[1].facts == Executed(on=date(2026, 1, 22))


def test_x6_ov_resumes_only_after_an_interruption_and_an_old_decision_loads() -> None:
    """X-6: no resumption without an interruption; a decision without the new fields loads."""
    state = run(*started(), ov.TreatmentStarted(case=CASE, at=at(10), actor=THERAPIST))
    with pytest.raises(IllegalTransition):
        ov.decide(ov.TreatmentResumed(case=CASE, at=at(11), actor=THERAPIST), state)
    with pytest.raises(NotPermitted):
        ov.decide(ov.TreatmentInterrupted(case=CASE, at=at(11), actor=SOCIAL_WORKER), state)
    old = ov.DecisionMade(case=CASE, at=at(), actor=SOCIAL_WORKER, intervention="samtalsstöd")
    assert (old.legal_basis, old.sex, old.born) == (None, None, None)


def test_x6_an_ov_decision_not_treated_is_reported_to_ivo() -> None:
    """X-6: an OV decision of 2026-01-12 with no treatment is listed for 2026Q2, not Q1."""
    from arendefordelning.ivo import Status, ivo_report

    events = started()
    assert ivo_report(events, quarter="2026Q1").rows == ()
    (row,) = ivo_report(events, quarter="2026Q2").rows
    assert (row.routine, row.case, row.status) == ("OV", CASE, Status.NEW)
    treated = [*events, ov.TreatmentStarted(case=CASE, at=at(120), actor=THERAPIST)]
    (late,) = ivo_report(treated, quarter="2026Q2").rows
    assert late.status is Status.EXECUTED
    assert late.closed_on == date(2026, 5, 12)


# --------------------------------------------------------------------------- every field
# Fixed examples for what a mutation run of OV's table found unchecked (issue 21,
# docs/mutation-testing.md).


@pytest.mark.parametrize(
    ("therapists", "message"),
    [
        ("beh-2", "therapists must be an iterable of staff ids (a tuple or list of str), not str"),
        (5, "therapists must be an iterable of staff ids (a tuple or list of str), not int"),
        (["beh-2", "beh-2"], "therapists must name one or more staff ids, each once"),
        ([5], "each of therapists must be a str, not int"),
    ],
    ids=["a-str", "not-iterable", "twice", "not-a-str"],
)
def test_ov3_wrong_therapists_are_refused_naming_the_field_and_what_it_takes(
    therapists: object, message: str
) -> None:
    """OV-3: the refusal names therapists and what it accepts, word for word."""
    with pytest.raises(InvalidInput) as refused:
        ov.TherapistsAssigned(case=CASE, at=at(1), actor=UNIT_MANAGER, therapists=therapists)
    assert str(refused.value) == message


_PARTIES_ACCEPTED = (
    "participants must be the individual, a guardian, the social worker, "
    "therapists and counsellors (Role members)"
)


@pytest.mark.parametrize(
    ("participants", "message"),
    [
        (Role.SOCIAL_WORKER, "participants must be an iterable of Role members, not Role"),
        ("den enskilde", "participants must be an iterable of Role members, not str"),
        (5, "participants must be an iterable of Role members, not int"),
        ([Role.UNIT_MANAGER], _PARTIES_ACCEPTED),
        (["socialsekreterare"], _PARTIES_ACCEPTED),
        ([Role.SOCIAL_WORKER, Role.SOCIAL_WORKER], "participants must name each role once"),
    ],
    ids=["one-role", "a-str", "not-iterable", "not-a-party", "not-a-role", "twice"],
)
def test_ov9_wrong_participants_are_refused_naming_the_field_and_what_it_takes(
    participants: object, message: str
) -> None:
    """OV-9: the parties present are roles of the parties, each once; word for word."""
    with pytest.raises(InvalidInput) as refused:
        ov.FollowUpHeld(case=CASE, at=at(60), actor=SOCIAL_WORKER, participants=participants)
    assert str(refused.value) == message


def test_ov7_a_naive_meeting_time_is_refused_naming_meeting_at() -> None:
    """OV-7: the time booked must be aware; the refusal names the field."""
    with pytest.raises(InvalidInput, match=r"^meeting_at is a naive datetime"):
        ov.MeetingBooked(
            case=CASE, at=at(3), actor=SOCIAL_WORKER, meeting_at=datetime(2026, 1, 21, 9, 0)
        )


def test_ov8_ov9_the_due_times_are_asked_of_an_outpatient_care_state_only() -> None:
    """OV-8, OV-9: another value is refused, naming what is accepted and what was given."""
    for due_of in (ov.implementation_plan_due_of, ov.follow_up_due_of):
        with pytest.raises(InvalidInput) as refused:
            due_of("state")  # type: ignore[arg-type]
        assert str(refused.value) == "state must be an OutpatientCareState, not str"


def test_ov8_the_plans_due_time_follows_the_policy_in_words_and_stays_once_written() -> None:
    """OV-8, X-4: two weeks under a two-week policy, said so; still known once written."""
    state = run(*started())
    two_weeks = ov.OutpatientCarePolicy(
        implementation_plan=ImplementationPlanPolicy(period=timedelta(weeks=2))
    )
    due = ov.implementation_plan_due_of(state, policy=two_weeks)
    assert due is not None
    assert (due.day, due.rule_sv, due.rule_en) == (
        date(2026, 2, 4),
        "genomförandeplan inom 2 veckor",
        "implementation plan within 2 weeks",
    )
    usual = ov.implementation_plan_due_of(state)
    assert usual is not None
    assert usual.explain() == (
        "Senast 2026-02-11 (OV-8): genomförandeplan inom 3 veckor från det inledande mötet "
        "2026-01-21 09:00."
    )
    written = run(ov.ImplementationPlanWritten(case=CASE, at=at(12), actor=THERAPIST), state=state)
    assert ov.implementation_plan_due_of(written) == usual


def test_ov9_the_follow_ups_due_time_says_what_it_counts_from_and_the_months() -> None:
    """OV-9: from the start of the assignment, then from the latest follow-up."""
    state = run(*started())
    first = ov.follow_up_due_of(state, policy=ov.OutpatientCarePolicy())
    assert first is not None
    assert (first.since_sv, first.since_en, first.rule_sv, first.rule_en) == (
        "uppdragets start",
        "the start of the assignment",
        "uppföljning inom 3 månader",
        "follow-up within 3 months",
    )
    state = run(
        ov.FollowUpHeld(case=CASE, at=at(80), actor=SOCIAL_WORKER, participants=ALL_THREE),
        state=state,
    )
    following = ov.follow_up_due_of(state)
    assert following is not None
    assert (following.since_sv, following.since_en) == (
        "den senaste uppföljningen",
        "the latest follow-up",
    )


def test_ov9_a_counsellor_takes_part_as_a_therapist_and_the_missing_are_named() -> None:
    """OV-9: a counsellor stands for the therapist; who was missing is named in Swedish."""
    with_counsellor = (Role.INDIVIDUAL, Role.SOCIAL_WORKER, Role.COUNSELLOR)
    state = run(
        *started(),
        ov.FollowUpHeld(case=CASE, at=at(60), actor=SOCIAL_WORKER, participants=with_counsellor),
    )
    assert [d for d in ov.deviations(state, as_of=at(61)) if d.requirement == "OV-9"] == []
    alone = run(
        *started(),
        ov.FollowUpHeld(
            case=CASE, at=at(60), actor=SOCIAL_WORKER, participants=[Role.SOCIAL_WORKER]
        ),
    )
    (flagged,) = [d for d in ov.deviations(alone, as_of=at(61)) if d.requirement == "OV-9"]
    assert (flagged.detail_sv, flagged.detail_en) == (
        "saknades: den enskilde, behandlaren",
        "missing: the individual, a therapist",
    )


@pytest.mark.parametrize(
    ("told_client", "told_social_worker"),
    [(True, False), (False, True), (False, False)],
    ids=["not-the-social-worker", "not-the-client", "no-one"],
)
def test_ov10_a_changed_implementation_plan_not_told_to_both_is_flagged(
    told_client: bool, told_social_worker: bool
) -> None:
    """OV-10: a changed implementation plan goes to the client and the social worker."""
    state = run(
        *started(),
        ov.ImplementationPlanWritten(case=CASE, at=at(12), actor=THERAPIST),
        ov.ImplementationPlanChanged(
            case=CASE,
            at=at(21),
            actor=THERAPIST,
            told_client=told_client,
            told_social_worker=told_social_worker,
        ),
    )
    (flagged,) = ov.deviations(state, as_of=at(22))
    assert (flagged.requirement, flagged.kind, flagged.happened_at) == (
        "OV-10",
        DeviationKind.INCOMPLETE,
        at(21),
    )


@pytest.mark.parametrize(
    ("period", "sv", "en"),
    [
        (
            timedelta(days=10),
            "genomförandeplan inom 10 dagar",
            "implementation plan within 10 days",
        ),
        (timedelta(days=1), "genomförandeplan inom 1 dag", "implementation plan within 1 day"),
        (timedelta(weeks=1), "genomförandeplan inom 1 vecka", "implementation plan within 1 week"),
        (
            timedelta(weeks=4),
            "genomförandeplan inom 4 veckor",
            "implementation plan within 4 weeks",
        ),
    ],
    ids=["ten-days", "one-day", "one-week", "four-weeks"],
)
def test_ov8_a_period_that_is_not_whole_weeks_is_said_in_days(
    period: timedelta, sv: str, en: str
) -> None:
    """OV-8, X-4: a ten-day period was said as "within 1 weeks"; it is said in days."""
    policy = ov.OutpatientCarePolicy(implementation_plan=ImplementationPlanPolicy(period=period))
    due = ov.implementation_plan_due_of(run(*started()), policy=policy)
    assert due is not None
    assert (due.rule_sv, due.rule_en) == (sv, en)
