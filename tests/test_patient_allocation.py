"""Routine HC's life: a patient case from the fictive resource to a booked start (HC-1…HC-13).

Given/when/then examples per requirement, read from the routine's text; the two
prescribed texts character for character (HC-6); each allocation's summon deadline
(HC-5) as a required action before it passes and a deviation after, judged as known
at any moment (X-5); record, then judge: an allocation without contact is recorded
and is a deviation, a malformed offer records nothing; the queue across cases (HC-2)
and the waiting time with and without patient-chosen waiting (HC-9) with their laws;
the testing kit on the table.
"""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta
from typing import Any, Final
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st

from arendefordelning import IllegalTransition, InvalidInput, NotPermitted, routines
from arendefordelning import strategies as strategies_
from arendefordelning.deadlines import SummonPolicy, summon_deadline
from arendefordelning.kernel import Actor, Channel, DeviationKind, Event, Role
from arendefordelning.routines import patient_allocation as hc
from arendefordelning.testing import check_judging, check_role_matrix, machine_for

SE: Final = ZoneInfo("Europe/Stockholm")
CASE: Final = "HC-2026-0001"
T0: Final = datetime(2026, 3, 2, 9, 0, tzinfo=SE)  # a Monday

TEAM_LEADER: Final = Actor("tl-1", Role.TEAM_LEADER)
UNIT_MANAGER: Final = Actor("ve-1", Role.CARE_UNIT_MANAGER)
ANNA: Final = Actor("sm-1", Role.STAFF_MEMBER)
BO: Final = Actor("sm-2", Role.STAFF_MEMBER)
ADMINISTRATOR: Final = Actor("va-1", Role.CARE_ADMINISTRATOR)
RESOURCE: Final = Actor("ar-1", Role.ADMINISTRATIVE_RESOURCE)

HC: Final = hc.PATIENT_ALLOCATION
SEED_ROLES: Final = frozenset(
    {
        Role.CARE_UNIT_MANAGER,
        Role.TEAM_LEADER,
        Role.STAFF_MEMBER,
        Role.CARE_ADMINISTRATOR,
        Role.ADMINISTRATIVE_RESOURCE,
        Role.HEAD_OF_OPERATIONS,
        Role.CHIEF_PHYSICIAN,
        Role.INDIVIDUAL,
        Role.GUARDIAN,
    }
)
"""HC-12: the roles the seed names, and no other."""

State = hc.PatientAllocationState
Request = hc.PatientAllocationEvent | hc.PatientAllocationCommand


def at(days: float = 0, hours: float = 0) -> datetime:
    return T0 + timedelta(days=days, hours=hours)


def run(*requests: Request, state: State = hc.initial_state) -> State:
    for request in requests:
        state = hc.replay(hc.decide(request, state), state)
    return state


def history(*requests: Request) -> list[hc.PatientAllocationEvent]:
    state = hc.initial_state
    events: list[hc.PatientAllocationEvent] = []
    for request in requests:
        new = hc.decide(request, state)
        events += new
        state = hc.replay(new, state)
    return events


def place(when: datetime = T0, *, case: str = CASE, triage: int = 2) -> hc.PlacedOnFictiveResource:
    return hc.PlacedOnFictiveResource(
        case=case,
        at=when,
        actor=TEAM_LEADER,
        resource="Väntelista utredning",
        intervention="utredning",
        triage=triage,
    )


def contact(when: datetime, *, staff: str = "sm-1", case: str = CASE) -> hc.StaffMemberContacted:
    return hc.StaffMemberContacted(case=case, at=when, actor=TEAM_LEADER, staff_id=staff)


def allocate(
    when: datetime,
    *,
    staff: str = "sm-1",
    name: str = "Anna Berg",
    summon_by: date | None = None,
    actor: Actor = TEAM_LEADER,
    case: str = CASE,
) -> hc.CaseAllocated:
    return hc.CaseAllocated(
        case=case,
        at=when,
        actor=actor,
        staff_id=staff,
        title="Leg. psykolog",
        name=name,
        intervention="utredning",
        occasion=hc.Occasion.TREATMENT_CONFERENCE,
        summon_by=summon_by,
    )


def offer(when: datetime, *times: datetime, actor: Actor = ANNA) -> hc.OfferTimes:
    chosen = times or (when + timedelta(days=7), when + timedelta(days=8))
    return hc.OfferTimes(case=CASE, at=when, actor=actor, times=chosen, to=hc.Recipient.PATIENT)


def allocated_with_contact(when: datetime = T0) -> list[Request]:
    """HC-1, HC-3, HC-4: queued, the staff member contacted, then allocated the next day."""
    return [place(when), contact(when + timedelta(hours=2)), allocate(when + timedelta(days=1))]


def found(state: State, as_of: datetime) -> list[tuple[str, DeviationKind]]:
    return [(d.requirement, d.kind) for d in hc.deviations(state, as_of=as_of)]


def tasks(state: State) -> dict[str, tuple[Role, ...]]:
    return {a.requirement + ":" + a.en: a.roles for a in hc.required_actions(state)}


# --------------------------------------------------------------------------- HC-1


def test_hc1_a_case_waits_on_a_fictive_resource_until_allocated_to_an_actual_one() -> None:
    """HC-1: given a case placed on a fictive resource, when allocated, then a staff member
    holds it instead; placed again, the fictive resource holds it: one resource at a time."""
    queued = run(place())
    assert queued.stage is hc.Stage.QUEUED
    assert queued.resource == hc.FictiveResource(
        name="Väntelista utredning", intervention="utredning"
    )
    allocated = run(*allocated_with_contact())
    assert allocated.stage is hc.Stage.ALLOCATED
    assert allocated.fictive is None
    assert allocated.resource == hc.ActualResource(
        staff_id="sm-1", title="Leg. psykolog", name="Anna Berg"
    )
    back = run(place(at(3)), state=allocated)
    assert back.allocation is None
    assert isinstance(back.resource, hc.FictiveResource)
    assert hc.initial_state.resource is None


def test_hc1_moving_between_fictive_resources_is_a_recorded_step() -> None:
    """HC-1: a case moved to another fictive resource (another intervention) is held there."""
    moved = attrs.evolve(place(at(1)), resource="Väntelista behandling", intervention="behandling")
    state = run(place(), moved)
    assert state.resource == hc.FictiveResource(
        name="Väntelista behandling", intervention="behandling"
    )
    assert state.count == 2


# --------------------------------------------------------------------------- HC-3


@pytest.mark.parametrize("actor", [TEAM_LEADER, UNIT_MANAGER], ids=["team leader", "manager"])
def test_hc3_the_team_leader_or_care_unit_manager_allocates_with_its_occasion(
    actor: Actor,
) -> None:
    """HC-3: given a queued case, when either allocating role allocates, the occasion is kept."""
    state = run(place(), contact(at(0, 1)), allocate(at(1), actor=actor))
    assert state.allocation is not None
    assert state.allocation.occasion is hc.Occasion.TREATMENT_CONFERENCE
    assert state.allocation.actor == actor


@pytest.mark.parametrize(
    "actor", [ANNA, ADMINISTRATOR, Actor("vc-1", Role.HEAD_OF_OPERATIONS)], ids=str
)
def test_hc3_no_other_role_allocates_and_nothing_is_recorded(actor: Actor) -> None:
    """HC-3, X-2: an allocation in another role is refused with NotPermitted."""
    state = run(place())
    with pytest.raises(NotPermitted, match="teamledare"):
        hc.decide(allocate(at(1), actor=actor), state)


def test_hc3_an_occasion_must_be_one_of_the_routines() -> None:
    """HC-3: the occasion is a treatment conference or another occasion, nothing else."""
    with pytest.raises(InvalidInput, match="occasion"):
        attrs.evolve(allocate(at(1)), occasion="fika")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- HC-4


def test_hc4_an_allocation_after_contact_with_that_staff_member_is_no_deviation() -> None:
    """HC-4: given a contact with the staff member, when allocated to them, then no HC-4."""
    state = run(*allocated_with_contact())
    assert ("HC-4", DeviationKind.WITHOUT_PRECONDITION) not in found(state, at(2))


def test_hc4_an_allocation_without_contact_is_recorded_and_is_a_deviation() -> None:
    """HC-4: given no contact, when allocated, then it is recorded and is a deviation."""
    state = run(place(), allocate(at(1)))
    assert state.allocation is not None  # recorded, not refused
    deviations = hc.deviations(state, as_of=at(2))
    (found_hc4,) = [d for d in deviations if d.requirement == "HC-4"]
    assert found_hc4.kind is DeviationKind.WITHOUT_PRECONDITION
    assert found_hc4.happened_at == at(1)
    assert found_hc4.case == CASE
    assert found_hc4.detail_en == "allocated without an earlier contact with the staff member"


def test_hc4_a_contact_with_another_staff_member_does_not_count() -> None:
    """HC-4: the contact must be with the staff member allocated to."""
    state = run(place(), contact(at(0, 1), staff="sm-2"), allocate(at(1)))
    assert ("HC-4", DeviationKind.WITHOUT_PRECONDITION) in found(state, at(2))


def test_hc4_each_allocation_needs_its_own_contact() -> None:
    """HC-4: a contact before the first allocation does not cover a re-allocation."""
    state = run(*allocated_with_contact(), allocate(at(3), staff="sm-2", name="Bo Ek"))
    hc4 = [d for d in hc.deviations(state, as_of=at(4)) if d.requirement == "HC-4"]
    assert [d.happened_at for d in hc4] == [at(3)]


# --------------------------------------------------------------------------- HC-5


def test_hc5_the_summons_is_due_three_weeks_after_the_allocation_rolled_forward() -> None:
    """HC-5: given an allocation, the staff member's task is due on summon_deadline's day."""
    state = run(*allocated_with_contact())
    (summon,) = [a for a in hc.required_actions(state) if a.requirement == "HC-5"]
    due_day = summon_deadline(at(1).date())
    assert summon.due == datetime.combine(due_day + timedelta(days=1), datetime.min.time(), SE)
    assert summon.role is Role.STAFF_MEMBER
    assert summon.assignee == "Anna Berg"


def test_hc5_the_due_day_is_rolled_forward_to_a_working_day() -> None:
    """HC-5: an allocation whose 21st day is a public holiday is due the next working day."""
    # 2026-05-01 is a Friday and a public holiday in Sweden: 21 days after 2026-04-10.
    when = datetime(2026, 4, 10, 10, 0, tzinfo=SE)
    state = run(place(when - timedelta(days=1)), contact(when), allocate(when))
    later = datetime(2026, 6, 1, tzinfo=SE)
    (missing,) = [d for d in hc.deviations(state, as_of=later) if d.requirement == "HC-5"]
    assert missing.due_on == date(2026, 5, 4)
    assert missing.kind is DeviationKind.MISSING


def test_hc5_the_offer_of_two_times_in_time_meets_the_summons() -> None:
    """HC-5, HC-7: the offer before the due day meets it: no HC-5 deviation, ever."""
    state = run(*allocated_with_contact(), offer(at(10)))
    assert not [r for r, _ in found(state, at(400)) if r == "HC-5"]
    assert not [a for a in hc.required_actions(state) if a.requirement == "HC-5"]


def test_hc5_an_offer_after_the_due_day_is_late() -> None:
    """HC-5: an offer after the due day is recorded, and the summons is LATE."""
    state = run(*allocated_with_contact(), offer(at(30)))
    (late,) = [d for d in hc.deviations(state, as_of=at(31)) if d.requirement == "HC-5"]
    assert late.kind is DeviationKind.LATE
    assert late.due_on == summon_deadline(at(1).date())
    assert late.happened_at == at(30)


def test_hc5_no_offer_by_the_due_day_is_missing_and_before_it_nothing() -> None:
    """HC-5: judged before the due day nothing is amiss; after it the summons is MISSING."""
    state = run(*allocated_with_contact())
    due_day = summon_deadline(at(1).date())
    before = datetime.combine(due_day, datetime.max.time(), SE)
    assert "HC-5" not in {r for r, _ in found(state, before)}
    assert ("HC-5", DeviationKind.MISSING) in found(state, before + timedelta(seconds=1))


def test_hc5_the_team_leaders_own_date_replaces_three_weeks() -> None:
    """HC-5: summon_by replaces the three weeks, earlier or later."""
    state = run(place(), contact(at(0, 1)), allocate(at(1), summon_by=date(2026, 3, 6)))
    (missing,) = [d for d in hc.deviations(state, as_of=at(10)) if d.requirement == "HC-5"]
    assert missing.due_on == date(2026, 3, 6)
    (action,) = [a for a in hc.required_actions(state) if a.requirement == "HC-5"]
    assert action.due == datetime(2026, 3, 7, tzinfo=SE)


def test_hc5_a_summon_date_before_the_allocation_is_bad_input() -> None:
    """HC-5: the team leader's date may not lie before the day of the allocation."""
    with pytest.raises(InvalidInput, match="summon_by"):
        allocate(at(1), summon_by=date(2026, 2, 1))


def test_hc5_each_allocation_is_judged_by_its_own_date_and_override() -> None:
    """HC-5: after a re-allocation, the first allocation's missed deadline stays MISSING
    and the second's is judged by its own override, met in time."""
    first = allocated_with_contact()
    second_day = at(30)
    state = run(
        *first,
        contact(second_day - timedelta(hours=1), staff="sm-2"),
        allocate(second_day, staff="sm-2", name="Bo Ek", summon_by=date(2026, 4, 10)),
        offer(at(35), actor=BO),
    )
    hc5 = [d for d in hc.deviations(state, as_of=at(200)) if d.requirement == "HC-5"]
    assert [(d.kind, d.due_on) for d in hc5] == [
        (DeviationKind.MISSING, summon_deadline(at(1).date()))
    ]
    assert state.offer is not None
    assert state.offer.staff_id == "sm-2"


def test_hc5_a_reallocation_before_the_due_day_leaves_the_first_without_deviation() -> None:
    """HC-5: an allocation replaced before its due day is void; only the new one counts."""
    state = run(
        *allocated_with_contact(),
        contact(at(5), staff="sm-2"),
        allocate(at(5, 1), staff="sm-2", name="Bo Ek"),
    )
    due_second = summon_deadline(at(5).date())
    assert due_second != summon_deadline(at(1).date())
    hc5 = [d for d in hc.deviations(state, as_of=at(200)) if d.requirement == "HC-5"]
    assert [d.due_on for d in hc5] == [due_second]


# --------------------------------------------------------------------------- HC-6


def test_hc6_the_team_note_is_the_prescribed_sentence_character_for_character() -> None:
    """HC-6: ``Ärendet fördelas till <titel och namn> för <insats>.``, exactly."""
    assert hc.team_note(allocate(at(1))) == (
        "Ärendet fördelas till Leg. psykolog Anna Berg för utredning."
    )
    other = attrs.evolve(allocate(at(1)), title="Fysioterapeut", name="Bo Ek", intervention="KBT")
    assert hc.team_note(other) == "Ärendet fördelas till Fysioterapeut Bo Ek för KBT."


def test_hc6_the_planning_comment_is_the_allocated_name_exactly() -> None:
    """HC-6: the planning basis's comment is ``<fördelad namn>``, nothing more."""
    assert hc.planning_comment(allocate(at(1))) == "Anna Berg"
    with pytest.raises(InvalidInput, match="CaseAllocated"):
        hc.team_note("Anna Berg")  # type: ignore[arg-type]


def test_hc6_the_allocation_asks_the_team_leader_for_both_texts_until_written() -> None:
    """HC-6: given an allocation, the team leader's two tasks carry the texts; written, gone."""
    state = run(*allocated_with_contact())
    texts = {a.text for a in hc.required_actions(state) if a.requirement == "HC-6"}
    assert texts == {"Ärendet fördelas till Leg. psykolog Anna Berg för utredning.", "Anna Berg"}
    assert all(
        a.roles == (Role.TEAM_LEADER, Role.CARE_UNIT_MANAGER)
        for a in hc.required_actions(state)
        if a.requirement == "HC-6"
    )
    written = run(
        hc.TeamNoteWritten(case=CASE, at=at(1, 1), actor=TEAM_LEADER),
        hc.PlanningBasisCommented(case=CASE, at=at(1, 2), actor=UNIT_MANAGER),
        state=state,
    )
    assert not [a for a in hc.required_actions(written) if a.requirement == "HC-6"]
    with pytest.raises(IllegalTransition):
        hc.decide(hc.TeamNoteWritten(case=CASE, at=at(1, 3), actor=TEAM_LEADER), written)


# --------------------------------------------------------------------------- HC-7


def test_hc7_the_staff_member_offers_two_times_recorded_as_the_allocated_staffs() -> None:
    """HC-7: given an allocation, the offer of two later times is recorded, naming the staff."""
    (event,) = hc.decide(offer(at(3)), run(*allocated_with_contact()))
    assert isinstance(event, hc.TimesOffered)
    assert event.staff_id == "sm-1"
    assert event.times == (at(10), at(11))
    assert event.channel is Channel.TELEPHONE


def _offer_of(times: tuple[datetime, ...]) -> hc.OfferTimes:
    return hc.OfferTimes(case=CASE, at=at(3), actor=ANNA, times=times, to=hc.Recipient.GUARDIAN)


@pytest.mark.parametrize(
    ("times", "words"),
    [
        ((at(10),), "exactly 2"),
        ((at(10), at(10)), "each time once"),
        ((at(10), at(2)), "later than the offer"),
        ((at(10), at(11), at(12)), "exactly 2"),
        ((), "times must hold"),
    ],
    ids=["one", "two equal", "one in the past", "three", "none"],
)
def test_hc7_a_malformed_offer_is_bad_input_and_records_nothing(
    times: tuple[datetime, ...], words: str
) -> None:
    """HC-7: one time, two equal, one in the past, three: not an offer, refused."""
    state = run(*allocated_with_contact())
    with pytest.raises(InvalidInput, match=words):
        hc.decide(_offer_of(times), state)


def test_hc7_the_offer_is_made_through_its_command() -> None:
    """HC-7: TimesOffered given directly is refused, naming OfferTimes."""
    state = run(*allocated_with_contact())
    (event,) = hc.decide(offer(at(3)), state)
    with pytest.raises(InvalidInput, match="OfferTimes"):
        hc.decide(event, state)


def test_hc7_the_policy_may_ask_for_another_number_of_times() -> None:
    """HC-7, X-4: a policy asking for three times refuses two."""
    policy = hc.PatientAllocationPolicy(offered_times=3)
    state = run(*allocated_with_contact())
    with pytest.raises(InvalidInput, match="exactly 3"):
        hc.decide(offer(at(3)), state, policy=policy)
    three = offer(at(3), at(10), at(11), at(12))
    (event,) = hc.decide(three, state, policy=policy)
    assert isinstance(event, hc.TimesOffered)
    assert event.times == (at(10), at(11), at(12))


def test_hc7_no_offer_before_the_case_is_allocated() -> None:
    """HC-7: a queued case has no staff member to offer times."""
    with pytest.raises(IllegalTransition, match="OfferTimes"):
        hc.decide(offer(at(1)), run(place()))


# --------------------------------------------------------------------------- HC-8


def accepted(when: datetime = T0 + timedelta(days=4)) -> State:
    state = run(*allocated_with_contact(), offer(at(3)))
    return run(hc.TimeAccepted(case=CASE, at=when, actor=ANNA, start=at(11)), state=state)


def test_hc8_an_accepted_time_is_the_administrators_task_through_the_task_list() -> None:
    """HC-8: given an offer, when the patient accepts a time, then the care administrator or
    the administrative resource gets the task, through the task list."""
    state = accepted()
    assert state.stage is hc.Stage.BOOKED
    (book,) = [a for a in hc.required_actions(state) if a.requirement == "HC-8"]
    assert book.channel is Channel.TASK_LIST
    assert book.roles == (Role.CARE_ADMINISTRATOR, Role.ADMINISTRATIVE_RESOURCE)


def test_hc8_a_time_not_offered_cannot_be_accepted() -> None:
    """HC-8: accepting a time that was not offered is bad input; nothing is recorded."""
    state = run(*allocated_with_contact(), offer(at(3)))
    with pytest.raises(InvalidInput, match="one of the times offered"):
        hc.decide(hc.TimeAccepted(case=CASE, at=at(4), actor=ANNA, start=at(12)), state)


def test_hc8_a_booked_case_is_not_allocated_again() -> None:
    """HC-8, HC-1: once a time is booked, the case is neither queued nor re-allocated."""
    with pytest.raises(IllegalTransition):
        hc.decide(allocate(at(5), staff="sm-2"), accepted())


# --------------------------------------------------------------------------- HC-9


def declined(when: datetime = T0 + timedelta(days=4)) -> State:
    state = run(*allocated_with_contact(), offer(at(3)))
    return run(hc.BothTimesDeclined(case=CASE, at=when, actor=ANNA), state=state)


def test_hc9_both_declined_starts_patient_chosen_waiting_and_returns_the_case() -> None:
    """HC-9: given an offer, when both times are declined, then the administrator's task
    through the task list, and the case back with the team leader."""
    state = declined()
    assert state.stage is hc.Stage.RETURNED
    actions = {a.requirement + a.en: a for a in hc.required_actions(state)}
    waiting = actions["HC-9put the patient on patient-chosen waiting in the planning system"]
    assert waiting.channel is Channel.TASK_LIST
    assert waiting.role is Role.CARE_ADMINISTRATOR
    back = actions["HC-9allocate the case to a fictive or an actual resource"]
    assert back.roles == (Role.TEAM_LEADER, Role.CARE_UNIT_MANAGER)
    (spell,) = hc.patient_chosen_waiting(state)
    assert spell.start == at(4)
    assert spell.end is None


def test_hc9_the_team_leader_places_the_returned_case_or_allocates_it() -> None:
    """HC-9: placing on a fictive resource meets the return; the administrator registers."""
    state = run(
        place(at(5)),
        hc.PatientChosenWaitingRegistered(case=CASE, at=at(5, 1), actor=RESOURCE),
        state=declined(),
    )
    assert state.stage is hc.Stage.QUEUED
    assert not [a for a in hc.required_actions(state) if a.requirement == "HC-9"]


def test_hc9_waiting_ends_when_the_patient_is_available_again() -> None:
    """HC-9: the suspension runs from the decline to the step saying the patient is back."""
    state = run(
        hc.PatientAvailableAgain(case=CASE, at=at(20), actor=ADMINISTRATOR), state=declined()
    )
    (spell,) = hc.patient_chosen_waiting(state)
    assert (spell.start, spell.end) == (at(4), at(20))
    waited = hc.waiting_time(state, as_of=at(30))
    assert waited.total == timedelta(seconds=at(30).timestamp() - T0.timestamp())  # elapsed
    assert waited.excluding_patient_chosen == waited.total - timedelta(days=16)


@pytest.mark.parametrize(
    ("ends", "end"),
    [(hc.WaitingEnd.AVAILABLE_OR_ALLOCATED, at(10)), (hc.WaitingEnd.AVAILABLE_ONLY, None)],
    ids=["allocation ends it", "only availability ends it"],
)
def test_hc9_the_policy_chooses_whether_the_next_allocation_ends_the_waiting(
    ends: hc.WaitingEnd, end: datetime | None
) -> None:
    """HC-9: by default the next allocation to an actual resource ends the waiting."""
    policy = hc.PatientAllocationPolicy(waiting_ends=ends)
    state = hc.replay(
        [*history(*allocated_with_contact(), offer(at(3))),
         hc.BothTimesDeclined(case=CASE, at=at(4), actor=ANNA),
         contact(at(9)), allocate(at(10))],
        policy=policy,
    )  # fmt: skip
    (spell,) = hc.patient_chosen_waiting(state)
    assert spell.end == end


# --------------------------------------------------------------------------- HC-10


def test_hc10_each_answer_of_the_patient_is_written_in_a_telephone_note() -> None:
    """HC-10: given an answer, the staff member's telephone note is due; written, it is met."""
    state = declined()
    (note,) = [a for a in hc.required_actions(state) if a.requirement == "HC-10"]
    assert note.role is Role.STAFF_MEMBER
    written = run(hc.TelephoneNoteWritten(case=CASE, at=at(4, 1), actor=ANNA), state=state)
    assert not [a for a in hc.required_actions(written) if a.requirement == "HC-10"]
    with pytest.raises(IllegalTransition):
        hc.decide(hc.TelephoneNoteWritten(case=CASE, at=at(4, 2), actor=ANNA), written)


# --------------------------------------------------------------------------- HC-11


@pytest.mark.parametrize("admin", [ADMINISTRATOR, RESOURCE], ids=["care admin", "admin resource"])
@pytest.mark.parametrize("channel", [Channel.DIGITAL, Channel.LETTER], ids=["digital", "paper"])
def test_hc11_either_administrative_role_links_and_sends_a_digital_or_paper_summons(
    admin: Actor, channel: Channel
) -> None:
    """HC-11: link the planning basis, then the summons: the case ends, no deviation."""
    state = run(
        hc.TelephoneNoteWritten(case=CASE, at=at(4, 1), actor=ANNA),
        hc.PlanningBasisLinked(case=CASE, at=at(5), actor=admin),
        hc.SummonsSent(case=CASE, at=at(5, 1), actor=admin, channel=channel, to=hc.Recipient.BOTH),
        state=accepted(),
    )
    assert state.stage is hc.Stage.SUMMONED
    assert hc.is_terminal(state)
    assert not hc.deviations(state, as_of=at(100))


def test_hc11_the_summons_waits_for_the_link_as_a_message_to_the_patient() -> None:
    """HC-11: after the link, sending the summons is the administrator's message."""
    state = run(hc.PlanningBasisLinked(case=CASE, at=at(5), actor=RESOURCE), state=accepted())
    (send,) = [a for a in hc.required_actions(state) if a.requirement == "HC-11"]
    assert send.recipient == "patienten och/eller vårdnadshavaren"
    assert send.role is Role.CARE_ADMINISTRATOR


def test_hc11_a_summons_by_telephone_or_before_the_link_is_recorded_and_a_deviation() -> None:
    """HC-11: record, then judge: the wrong channel and the missing link are deviations."""
    state = run(
        hc.SummonsSent(
            case=CASE, at=at(5), actor=ADMINISTRATOR, channel=Channel.TELEPHONE,
            to=hc.Recipient.PATIENT,
        ),
        state=accepted(),
    )  # fmt: skip
    kinds = {(r, k) for r, k in found(state, at(6))}
    assert ("HC-11", DeviationKind.WRONG_CHANNEL) in kinds
    assert ("HC-11", DeviationKind.WITHOUT_PRECONDITION) in kinds


def test_hc11_the_summons_comes_after_an_accepted_time() -> None:
    """HC-11: nothing to summon to before a time is booked."""
    state = run(*allocated_with_contact())
    with pytest.raises(IllegalTransition):
        hc.decide(hc.PlanningBasisLinked(case=CASE, at=at(2), actor=ADMINISTRATOR), state)


# --------------------------------------------------------------------------- HC-12, HC-13


def test_hc12_every_step_is_an_event_with_actor_role_and_time_in_the_seeds_roles() -> None:
    """HC-12: every event of HC has actor, role and time; the roles are the seed's."""
    events = history(*allocated_with_contact(), offer(at(3)))
    assert all(e.actor.role in SEED_ROLES and e.at.tzinfo is not None for e in events)
    named = frozenset(role for roles in HC.role_matrix().values() for role in roles)
    assert named <= SEED_ROLES
    assert {Role.TEAM_LEADER, Role.CARE_UNIT_MANAGER, Role.STAFF_MEMBER} <= named
    assert {Role.CARE_ADMINISTRATOR, Role.ADMINISTRATIVE_RESOURCE} <= named
    for kind in hc.EVENTS:
        assert {"case", "at", "actor", "recorded_at"} <= {f.name for f in attrs.fields(kind)}


def test_hc13_a_deviation_carries_what_a_deviation_report_needs() -> None:
    """HC-13: case, requirement, what was due, what happened, in Swedish and English."""
    state = run(place(), allocate(at(1)), offer(at(30)))
    report = {d.requirement: d for d in hc.deviations(state, as_of=at(31))}
    late = report["HC-5"]
    assert (late.case, late.routine, late.kind) == (CASE, "HC", DeviationKind.LATE)
    assert late.due_on == summon_deadline(at(1).date())
    assert late.happened_at == at(30)
    assert late.sv.startswith("kalla patienten")
    assert late.en.startswith("summon the patient")
    assert "HC-4" in report
    assert all(d.explain("sv") and d.explain("en") for d in report.values())


def test_hc13_hc_is_registered_by_its_code() -> None:
    """HC-13, X-2: HC is found through the registry, with its title."""
    assert routines.get("HC") is HC
    assert "HC" in routines.codes()
    assert HC.title == "Fördelning av ärenden"


# --------------------------------------------------------------------------- HC-2: the queue


def test_hc2_the_queue_orders_by_triage_then_waiting_then_case() -> None:
    """HC-2: given three queued cases and one allocated, the queue holds the three, triage
    first, then the longest wait, then the case number."""
    log = [
        *history(place(at(0), case="HC-B", triage=2)),
        *history(place(at(1), case="HC-A", triage=2)),
        *history(place(at(5), case="HC-C", triage=1)),
        *history(place(at(0), case="HC-D", triage=1), contact(at(1), case="HC-D"),
                 allocate(at(2), case="HC-D")),
    ]  # fmt: skip
    entries = hc.queue(log, as_of=at(10))
    assert [e.case for e in entries] == ["HC-C", "HC-B", "HC-A"]
    assert entries[0].waiting.total == timedelta(days=5)
    waiting_first = hc.PatientAllocationPolicy(queue=hc.QueueOrderPolicy(triage_first=False))
    assert [e.case for e in hc.queue(log, as_of=at(10), policy=waiting_first)] == [
        "HC-B",
        "HC-A",
        "HC-C",
    ]


def test_hc2_equal_triage_and_wait_falls_back_to_the_case_number() -> None:
    """HC-2: the case number makes the order total."""
    log = [*history(place(case="HC-9")), *history(place(case="HC-1"))]
    assert [e.case for e in hc.queue(log, as_of=at(3))] == ["HC-1", "HC-9"]


def test_hc2_the_queue_counts_waiting_without_patient_chosen_waiting_by_default() -> None:
    """HC-2, HC-9: a case that chose to wait is behind one that did not, by default."""
    chosen = history(
        place(at(0), case="HC-X"), contact(at(0, 1), case="HC-X"), allocate(at(1), case="HC-X")
    )
    state = hc.replay(chosen)
    offered = hc.decide(attrs.evolve(offer(at(2)), case="HC-X"), state)
    rest = [
        hc.BothTimesDeclined(case="HC-X", at=at(3), actor=ANNA),
        place(at(3, 1), case="HC-X"),
    ]
    log = [*chosen, *offered, *rest, *history(place(at(2), case="HC-Y"))]
    default = hc.queue(log, as_of=at(20))
    assert [e.case for e in default] == ["HC-Y", "HC-X"]
    total = hc.PatientAllocationPolicy(queue=hc.QueueOrderPolicy(waiting=hc.WaitingMeasure.TOTAL))
    assert [e.case for e in hc.queue(log, as_of=at(20), policy=total)] == ["HC-X", "HC-Y"]


def test_hc2_the_queue_refuses_bad_arguments() -> None:
    """HC-2: a naive moment or a policy of another kind is bad input."""
    with pytest.raises(InvalidInput, match="as_of"):
        hc.queue([], as_of=datetime(2026, 1, 1))
    with pytest.raises(InvalidInput, match="policy"):
        hc.queue([], as_of=T0, policy="triage")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- the kit


def _offered_times(state: Any) -> st.SearchStrategy[Any]:
    """Two distinct times beyond any drawn step's time (the walk's gaps are under 121 days)."""
    base = state.recorded_until or T0
    start = base + timedelta(days=121)
    return st.tuples(st.integers(0, 240), st.integers(1, 240)).map(
        lambda ab: (start + timedelta(hours=ab[0]), start + timedelta(hours=ab[0] + ab[1]))
    )


def _accepted_time(state: Any) -> st.SearchStrategy[Any]:
    """One of the times offered, or (no offer: the step is not enabled) any time."""
    offered = state.offer
    return st.sampled_from(offered.times) if offered is not None else st.just(T0)


_CLOSING: Final = (hc.TimesOffered, hc.CaseAllocated, hc.PlacedOnFictiveResource)

FIELDS: Final = {"times": _offered_times, "start": _accepted_time}
"""The kit's strategies for HC: an offer of two later times (HC-7), an accepted one (HC-8)."""

HISTORIES: Final = strategies_.histories(HC, max_size=25, fields=FIELDS)


@pytest.mark.slow
def test_x2_hc_every_step_refuses_exactly_the_roles_the_table_does_not_name() -> None:
    """X-2, HC-3, HC-12: each step in every role: NotPermitted for the others."""
    assert check_role_matrix(HC, fields=FIELDS) == HC.role_matrix()


TestPatientAllocation = machine_for(HC, fields=FIELDS).TestCase
TestPatientAllocation.settings = settings(
    max_examples=20, stateful_step_count=20, deadline=None, database=None
)
pytest.mark.slow(TestPatientAllocation)  # run with -m slow


@pytest.mark.parametrize(
    "kind",
    [hc.TimeAccepted, hc.BothTimesDeclined, hc.SummonsSent, hc.PatientAvailableAgain],
    ids=lambda kind: kind.__name__,
)
def test_x1_drawn_hc_histories_reach_every_branch_of_the_life(kind: type[Event]) -> None:
    """X-1: the walk gets through accept (HC-8), decline (HC-9), the summons (HC-11)."""
    search = settings(database=None, phases=[Phase.generate], max_examples=3000, deadline=None)
    drawn = find(
        HISTORIES, lambda events: any(isinstance(e, kind) for e in events), settings=search
    )
    assert HC.replay(drawn, strict=True).count == len(drawn)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(HISTORIES)
def test_x5_hc4_hc5_a_drawn_hc_history_is_judged_as_it_was_known_then(
    events: list[hc.PatientAllocationEvent],
) -> None:
    """X-5, HC-4, HC-5: every drawn history is judged as known at every moment that matters
    (arendefordelning.testing.check_judging): a deviation once found stays."""
    check_judging(HC, events)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(HISTORIES)
def test_hc5_every_allocation_of_a_drawn_history_is_judged_by_its_own_deadline(
    events: list[hc.PatientAllocationEvent],
) -> None:
    """HC-5: long after the last step, each allocation not met by an offer in time, and not
    replaced before its due day, is a deviation due on its own summon_deadline."""
    state = HC.replay(events)
    if not events:
        return
    later = events[-1].at + timedelta(days=400)
    hc5 = {d.due_on for d in hc.deviations(state, as_of=later) if d.requirement == "HC-5"}
    allocations = [e for e in events if isinstance(e, hc.CaseAllocated)]
    expected = set()
    for allocation in allocations:
        due = summon_deadline(allocation.at.date(), override=allocation.summon_by)
        end = datetime.combine(due + timedelta(days=1), datetime.min.time(), SE)
        after = events[events.index(allocation) + 1 :]
        # What closes its record: the offer meets it; a new allocation or placing voids it.
        closing = next((e for e in after if isinstance(e, _CLOSING)), None)
        known = closing is not None and (closing.recorded_at or closing.at) < end
        if known and (not isinstance(closing, hc.TimesOffered) or closing.at < end):
            continue  # met in time and known then, or void before it was due
        expected.add(due)
    assert hc5 == expected


# --------------------------------------------------------------------------- laws


@st.composite
def queue_logs(draw: st.DrawFn) -> list[hc.PatientAllocationEvent]:
    """Several drawn HC cases, renamed apart, their events in one log."""
    cases = draw(st.lists(HISTORIES, min_size=1, max_size=5))
    return [
        attrs.evolve(event, case=f"HC-{n:02d}")
        for n, events in enumerate(cases)
        for event in events
    ]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(queue_logs(), st.randoms(use_true_random=False), st.integers(0, 400))
def test_hc2_the_queue_is_total_deterministic_by_triage_and_independent_of_input_order(
    log: list[hc.PatientAllocationEvent], rng: Any, days: int
) -> None:
    """HC-2: each queued case once; a higher triage priority never behind a lower one; the
    wait non-increasing within a priority; the same queue for any order of the log."""
    moment = (max((e.recorded_at or e.at for e in log), default=T0)) + timedelta(days=days)
    entries = hc.queue(log, as_of=moment)
    queued = {c for c, s in HC.fold(log, as_of=moment).items() if s.fictive is not None}
    assert {e.case for e in entries} == queued
    assert len({e.case for e in entries}) == len(entries)
    for first, second in itertools.pairwise(entries):
        assert first.triage <= second.triage
        if first.triage == second.triage:
            key_first = first.waiting.excluding_patient_chosen
            key_second = second.waiting.excluding_patient_chosen
            assert key_first > key_second or (key_first == key_second and first.case < second.case)
    shuffled = list(log)
    rng.shuffle(shuffled)
    assert hc.queue(shuffled, as_of=moment) == entries
    assert hc.queue(log, as_of=moment) == entries


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(HISTORIES, st.integers(-30, 500))
def test_hc9_waiting_time_is_never_negative_and_without_waiting_never_exceeds_the_total(
    events: list[hc.PatientAllocationEvent], days: int
) -> None:
    """HC-9: with and without patient-chosen waiting: both ≥ 0, without ≤ total; and a
    later moment never gives a shorter wait."""
    state = HC.replay(events)
    moment = (events[0].at if events else T0) + timedelta(days=days)
    waited = hc.waiting_time(state, as_of=moment)
    assert timedelta(0) <= waited.excluding_patient_chosen <= waited.total
    later = hc.waiting_time(state, as_of=moment + timedelta(days=3))
    assert later.total >= waited.total
    assert later.excluding_patient_chosen >= waited.excluding_patient_chosen


def test_hc9_waiting_time_refuses_a_naive_moment_and_a_foreign_state() -> None:
    """HC-9: bad input names what is wrong."""
    with pytest.raises(InvalidInput, match="as_of"):
        hc.waiting_time(hc.initial_state, as_of=datetime(2026, 1, 1))
    with pytest.raises(InvalidInput, match="PatientAllocationState"):
        hc.waiting_time("state", as_of=T0)  # type: ignore[arg-type]


def test_hc5_the_policy_summon_period_reaches_the_deadline() -> None:
    """HC-5, X-4: a policy of two weeks, not rolled forward, gives allocation + 14 days."""
    policy = hc.PatientAllocationPolicy(
        summon=SummonPolicy(period=timedelta(days=14), roll_forward=False)
    )
    state = hc.replay(history(*allocated_with_contact()), policy=policy)
    (missing,) = [
        d for d in HC.deviations(state, as_of=at(100), policy=policy) if d.requirement == "HC-5"
    ]
    assert missing.due_on == at(15).date()


def test_hc13_the_deviations_of_a_whole_log_are_each_cases_ready_for_the_report() -> None:
    """HC-13, X-5: deviations_of over several cases gives each case's own deviations, as of
    any moment: an allocation without contact in one, a summons missing in the other."""
    log = [
        *history(place(case="HC-A"), allocate(at(1), case="HC-A")),
        *history(place(case="HC-B"), contact(at(0, 1), case="HC-B"), allocate(at(1), case="HC-B")),
    ]
    for moment in (at(2), at(40)):
        found_all = sorted(
            (d.case, d.requirement, d.kind.name) for d in hc.deviations_of(log, as_of=moment)
        )
        per_case = sorted(
            (d.case, d.requirement, d.kind.name)
            for case in ("HC-A", "HC-B")
            for d in hc.deviations(hc.replay([e for e in log if e.case == case]), as_of=moment)
        )
        assert found_all == per_case
    assert sorted((d.case, d.requirement) for d in hc.deviations_of(log, as_of=at(40))) == [
        ("HC-A", "HC-4"),
        ("HC-A", "HC-5"),
        ("HC-B", "HC-5"),
    ]


def test_hc_is_healthcare_and_never_in_the_ivo_report() -> None:
    """X-6: an HC case waiting or allocated for a year is healthcare, never reported to IVO."""
    from arendefordelning.ivo import ivo_report
    from arendefordelning.routines import get

    assert get("HC").social_services is False
    events = history(place(), *allocated_with_contact(at(days=1)))
    for quarter in ("2026Q2", "2026Q3", "2026Q4", "2027Q1"):
        found = ivo_report(events, quarter=quarter)
        assert found.rows == ()
        assert "HC" not in found.routines


# ------------------------------------------------- edges found by mutation testing


def test_hc9_a_spell_ended_by_an_allocation_stays_ended_there_when_availability_follows() -> None:
    """HC-9: the first end recorded ends a spell; a later one does not move it.

    Given both times declined, when the case is allocated to an actual resource and
    the patient later said to be available again, then (by the default policy) the
    patient-chosen waiting ends at the allocation.
    """
    state = hc.replay(
        [*history(*allocated_with_contact(), offer(at(3))),
         hc.BothTimesDeclined(case=CASE, at=at(4), actor=ANNA),
         contact(at(9)), allocate(at(10)),
         hc.PatientAvailableAgain(case=CASE, at=at(12), actor=ADMINISTRATOR)],
    )  # fmt: skip
    (spell,) = hc.patient_chosen_waiting(state)
    assert (spell.start, spell.end) == (at(4), at(10))


def test_hc2_a_queue_asked_by_a_policy_of_another_kind_names_its_type() -> None:
    """HC-2: the queue's policy is a PatientAllocationPolicy or None; the refusal says so."""
    with pytest.raises(InvalidInput) as refused:
        hc.queue([], as_of=at(1), policy="by priority")  # type: ignore[arg-type]
    assert str(refused.value) == (
        "policy must be a PatientAllocationPolicy or None, not a value of type str"
    )


def test_hc4_an_allocation_without_contact_says_so_in_swedish() -> None:
    """HC-4: the WITHOUT_PRECONDITION finding says what happened, sv and en, word for word."""
    state = run(place(), allocate(at(1)))
    (found_hc4,) = [d for d in hc.deviations(state, as_of=at(2)) if d.requirement == "HC-4"]
    assert (found_hc4.detail_sv, found_hc4.detail_en) == (
        "fördelat utan föregående kontakt med medarbetaren",
        "allocated without an earlier contact with the staff member",
    )


def test_hc5_the_team_leaders_date_is_worded_as_such_in_the_due_time() -> None:
    """HC-5: with summon_by, the due time's rule is the team leader's day, sv and en."""
    state = run(place(), contact(at(0, 1)), allocate(at(1), summon_by=date(2026, 3, 6)))
    ((_, due),) = hc.PATIENT_ALLOCATION.due_times(state)
    assert (due.requirement, due.day) == ("HC-5", date(2026, 3, 6))
    assert (due.rule_sv, due.rule_en) == (
        "senast den dag teamledaren angett",
        "by the day the team leader set",
    )


def test_hc9_registering_patient_chosen_waiting_marks_the_spell_registered() -> None:
    """HC-9: given both times declined, when the waiting is registered, the spell says so."""
    state = declined()
    assert [spell.registered for spell in state.spells] == [False]
    registered = run(
        hc.PatientChosenWaitingRegistered(case=CASE, at=at(4, 1), actor=RESOURCE), state=state
    )
    assert [spell.registered for spell in registered.spells] == [True]


def test_hc11_a_summons_by_telephone_before_the_link_says_both_in_words() -> None:
    """HC-11: the wrong channel and the missing link each say what happened, sv and en."""
    state = run(
        hc.SummonsSent(
            case=CASE, at=at(5), actor=ADMINISTRATOR, channel=Channel.TELEPHONE,
            to=hc.Recipient.PATIENT,
        ),
        state=accepted(),
    )  # fmt: skip
    details = {
        d.kind: (d.detail_sv, d.detail_en)
        for d in hc.deviations(state, as_of=at(6))
        if d.requirement == "HC-11"
    }
    assert details == {
        DeviationKind.WRONG_CHANNEL: (
            "kallelsen skickad per telefon",
            "the summons sent by telephone",
        ),
        DeviationKind.WITHOUT_PRECONDITION: (
            "kallelsen skickad innan planeringsunderlaget kopplats till besöksbokningen",
            "the summons sent before the planning basis was linked to the booking",
        ),
    }


def test_hc9_an_allocation_ending_a_registered_spell_keeps_it_registered() -> None:
    """HC-9: the allocation that ends patient-chosen waiting keeps that it was registered.

    Given both times declined and the waiting registered, when the case is allocated
    to an actual resource, then the spell ends at the allocation and is still registered.
    """
    state = run(
        hc.PatientChosenWaitingRegistered(case=CASE, at=at(4, 1), actor=RESOURCE),
        contact(at(9)),
        allocate(at(10)),
        state=declined(),
    )
    assert [(spell.registered, spell.allocated is not None) for spell in state.spells] == [
        (True, True)
    ]
    (suspension,) = hc.patient_chosen_waiting(state)
    assert suspension.end == at(10)


@pytest.mark.parametrize(
    ("wanted", "words"),
    [(1, "exactly 1 alternative time (HC-7)"), (2, "exactly 2 alternative times (HC-7)")],
    ids=["one time", "two times"],
)
def test_hc7_an_offer_of_another_number_of_times_is_refused_word_for_word(
    wanted: int, words: str
) -> None:
    """HC-7, X-4: the refusal names the number the policy asks for, in the singular for one."""
    state = run(*allocated_with_contact())
    policy = hc.PatientAllocationPolicy(offered_times=wanted)
    with pytest.raises(InvalidInput) as refused:
        hc.decide(offer(at(3), at(10), at(11), at(12)), state, policy=policy)
    assert str(refused.value) == (
        f"OfferTimes is refused: times must hold {words}; an offer of another number is no offer"
    )


def test_hc8_a_time_not_offered_is_refused_word_for_word() -> None:
    """HC-8: accepting a time not offered is refused, naming the field (start)."""
    state = run(*allocated_with_contact(), offer(at(3)))
    with pytest.raises(InvalidInput) as refused:
        hc.decide(hc.TimeAccepted(case=CASE, at=at(4), actor=ANNA, start=at(12)), state)
    assert str(refused.value) == (
        "TimeAccepted is refused: the time accepted must be one of the times offered (start) (HC-8)"
    )
