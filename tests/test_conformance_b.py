"""Conformance review B: routines HC, UP and DV and the IVO report (X-6), end to end.

Written from the routines' Swedish text (the seeds) and the numbered spec, through the
public API only, as an outside checker would: given/when/then scenarios named with the
requirement they check, with the tricky readings (boundaries, roles the routine does
not name, steps out of order, what is recorded later never erasing an earlier
deviation, the prescribed Swedish texts word for word, bad input).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from itertools import combinations
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arendefordelning import Actor, Channel, DeviationKind, Provider, ProviderKind, Role, ivo
from arendefordelning.deadlines import round_up_to_quarter
from arendefordelning.errors import ForbiddenStep, IllegalTransition, InvalidInput, NotPermitted
from arendefordelning.identity import Sex
from arendefordelning.kernel import CaseState, Event, LegalBasis, Routine
from arendefordelning.routines import assignment_dispatch as up
from arendefordelning.routines import day_activity as dv
from arendefordelning.routines import outpatient_care as ov
from arendefordelning.routines import patient_allocation as hc
from arendefordelning.routines import placement as pl
from arendefordelning.routines import placement_simulation as sim

STHLM = ZoneInfo("Europe/Stockholm")


def at(y: int, m: int, d: int, hh: int = 9, mm: int = 0, *, ss: int = 0) -> datetime:
    """A Stockholm wall-clock moment."""
    return datetime(y, m, d, hh, mm, ss, tzinfo=STHLM)


def due_day(due: datetime | None) -> date:
    """The last day of a date deadline: its due instant is the end of that day."""
    assert due is not None
    return (due.astimezone(STHLM) - timedelta(microseconds=1)).date()


# =========================================================================== HC

LEADER = Actor("tl-1", Role.TEAM_LEADER)
MANAGER = Actor("vec-1", Role.CARE_UNIT_MANAGER)
STAFF = Actor("sm-1", Role.STAFF_MEMBER)
ADMIN = Actor("va-1", Role.CARE_ADMINISTRATOR)
ADMIN_RESOURCE = Actor("ar-1", Role.ADMINISTRATIVE_RESOURCE)


def hc_allocated(
    when: datetime, *, case: str = "HC-100", staff: str = "sm-1", summon_by: date | None = None
) -> hc.CaseAllocated:
    return hc.CaseAllocated(
        case=case,
        at=when,
        actor=LEADER,
        staff_id=staff,
        title="Leg. psykolog",
        name="Anna Berg",
        intervention="utredning",
        occasion=hc.Occasion.TREATMENT_CONFERENCE,
        summon_by=summon_by,
    )


S = TypeVar("S", bound=CaseState)


def recorded(routine: Routine[S, Any, Any], requests: Sequence[object], state: S | None) -> S:
    """Decide and fold each request in turn, as the embedding system would."""
    current = routine.initial_state if state is None else state
    for request in requests:
        _, current = routine.handle(request, current)  # type: ignore[arg-type]
    return current


def found_in(
    routine: Routine[S, Any, Any], state: S, as_of: datetime
) -> set[tuple[str, DeviationKind]]:
    return {(d.requirement, d.kind) for d in routine.deviations(state, as_of=as_of)}


def hc_record(
    *requests: object, state: hc.PatientAllocationState | None = None
) -> hc.PatientAllocationState:
    return recorded(hc.PATIENT_ALLOCATION, requests, state)


def hc_found(state: hc.PatientAllocationState, as_of: datetime) -> set[tuple[str, DeviationKind]]:
    return found_in(hc.PATIENT_ALLOCATION, state, as_of)


def hc_offer(
    when: datetime, *, case: str = "HC-100", first: timedelta = timedelta(days=2)
) -> hc.OfferTimes:
    return hc.OfferTimes(
        case=case,
        at=when,
        actor=STAFF,
        times=(when + first, when + first + timedelta(days=1)),
        to=hc.Recipient.PATIENT,
    )


class TestHC6PrescribedTexts:
    def test_hc_6_team_note_and_planning_comment_word_for_word(self) -> None:
        # Given an allocation to a licensed psychologist for an assessment
        allocation = hc_allocated(at(2026, 3, 2))
        # Then the team note and the planning basis's comment are the seed's texts exactly
        assert (
            hc.team_note(allocation)
            == "Ärendet fördelas till Leg. psykolog Anna Berg för utredning."
        )
        assert hc.planning_comment(allocation) == "Anna Berg"

    def test_hc_6_texts_keep_other_titles_and_interventions_as_given(self) -> None:
        allocation = hc.CaseAllocated(
            case="HC-101",
            at=at(2026, 3, 2),
            actor=MANAGER,
            staff_id="sm-2",
            title="Kurator",
            name="Åsa Öberg-Lind",
            intervention="behandling",
            occasion=hc.Occasion.OTHER,
        )
        assert (
            hc.team_note(allocation)
            == "Ärendet fördelas till Kurator Åsa Öberg-Lind för behandling."
        )
        assert hc.planning_comment(allocation) == "Åsa Öberg-Lind"

    def test_hc_6_the_allocation_asks_for_both_texts_as_actions(self) -> None:
        # Given an allocation with a prior contact
        state = hc_record(
            hc.StaffMemberContacted(
                case="HC-100", at=at(2026, 3, 2, 8), actor=LEADER, staff_id="sm-1"
            ),
            hc_allocated(at(2026, 3, 2)),
        )
        # Then the team leader's actions carry the two texts word for word
        texts = {a.text for a in hc.required_actions(state) if a.requirement == "HC-6"}
        assert texts == {
            "Ärendet fördelas till Leg. psykolog Anna Berg för utredning.",
            "Anna Berg",
        }

    def test_hc_6_text_of_anything_but_an_allocation_is_refused(self) -> None:
        with pytest.raises(InvalidInput):
            hc.team_note("Anna Berg")  # type: ignore[arg-type]


class TestHC5SummonDeadline:
    def test_hc_5_twenty_one_days_on_a_working_day_is_the_due_day(self) -> None:
        # Given an allocation on Monday 2026-03-02: 21 days later is Monday 2026-03-23
        state = hc_record(
            hc.StaffMemberContacted(
                case="HC-100", at=at(2026, 3, 2, 8), actor=LEADER, staff_id="sm-1"
            ),
            hc_allocated(at(2026, 3, 2)),
        )
        # Then nothing is missing at the end of the due day, and it is missing just after
        assert ("HC-5", DeviationKind.MISSING) not in hc_found(
            state, at(2026, 3, 23, 23, 59, ss=59)
        )
        assert ("HC-5", DeviationKind.MISSING) in hc_found(state, at(2026, 3, 24, 0, 0, ss=1))
        (summon,) = [a for a in hc.required_actions(state) if a.requirement == "HC-5"]
        assert due_day(summon.due) == date(2026, 3, 23)
        assert Role.STAFF_MEMBER in summon.roles

    def test_hc_5_due_day_on_good_friday_rolls_over_easter_to_tuesday(self) -> None:
        # Given an allocation on Friday 2026-03-13: 21 days later is Good Friday 2026-04-03;
        # Easter Saturday, Sunday and Monday follow, so the due day is Tuesday 2026-04-07
        allocated = at(2026, 3, 13, 15)
        state = hc_record(
            hc.StaffMemberContacted(
                case="HC-100", at=allocated - timedelta(hours=1), actor=LEADER, staff_id="sm-1"
            ),
            hc_allocated(allocated),
        )
        (summon,) = [a for a in hc.required_actions(state) if a.requirement == "HC-5"]
        assert due_day(summon.due) == date(2026, 4, 7)
        # When the offer is made late on the due day
        on_time = hc_record(hc_offer(at(2026, 4, 7, 16)), state=state)
        # Then it is met; the day after it is late
        assert not {f for f in hc_found(on_time, at(2026, 5, 1)) if f[0] == "HC-5"}
        late = hc_record(hc_offer(at(2026, 4, 8, 8)), state=state)
        assert ("HC-5", DeviationKind.LATE) in hc_found(late, at(2026, 5, 1))

    def test_hc_5_an_offer_at_midnight_after_the_due_day_is_late(self) -> None:
        state = hc_record(
            hc.StaffMemberContacted(
                case="HC-100", at=at(2026, 3, 2, 8), actor=LEADER, staff_id="sm-1"
            ),
            hc_allocated(at(2026, 3, 2)),
        )
        late = hc_record(hc_offer(at(2026, 3, 24, 0, 0)), state=state)
        assert ("HC-5", DeviationKind.LATE) in hc_found(late, at(2026, 4, 10))

    def test_hc_5_the_team_leaders_date_replaces_three_weeks_earlier(self) -> None:
        # Given the team leader sets Friday 2026-03-06 instead of three weeks
        state = hc_record(
            hc.StaffMemberContacted(
                case="HC-100", at=at(2026, 3, 2, 8), actor=LEADER, staff_id="sm-1"
            ),
            hc_allocated(at(2026, 3, 2), summon_by=date(2026, 3, 6)),
        )
        # Then an offer on Monday 2026-03-09 is late although within three weeks
        late = hc_record(hc_offer(at(2026, 3, 9)), state=state)
        assert ("HC-5", DeviationKind.LATE) in hc_found(late, at(2026, 4, 1))
        assert ("HC-5", DeviationKind.MISSING) in hc_found(state, at(2026, 3, 7, 0, 0, ss=1))

    def test_hc_5_the_team_leaders_date_replaces_three_weeks_later_and_is_not_rolled(self) -> None:
        # Given the team leader sets Saturday 2026-05-02, beyond three weeks
        state = hc_record(
            hc.StaffMemberContacted(
                case="HC-100", at=at(2026, 3, 2, 8), actor=LEADER, staff_id="sm-1"
            ),
            hc_allocated(at(2026, 3, 2), summon_by=date(2026, 5, 2)),
        )
        # Then nothing is missing after three weeks, and the date given is the due date as given
        assert not {f for f in hc_found(state, at(2026, 4, 20)) if f[0] == "HC-5"}
        (summon,) = [a for a in hc.required_actions(state) if a.requirement == "HC-5"]
        assert due_day(summon.due) == date(2026, 5, 2)
        assert ("HC-5", DeviationKind.MISSING) in hc_found(state, at(2026, 5, 3, 0, 0, ss=1))

    def test_hc_5_a_team_leaders_date_before_the_allocation_is_refused(self) -> None:
        with pytest.raises(InvalidInput, match="summon_by"):
            hc_allocated(at(2026, 3, 2), summon_by=date(2026, 3, 1))

    def test_hc_5_an_offer_recorded_late_does_not_erase_the_missing_summons_known_then(
        self,
    ) -> None:
        # Given an allocation and an offer made on time but recorded after the due day
        state = hc_record(
            hc.StaffMemberContacted(
                case="HC-100", at=at(2026, 3, 2, 8), actor=LEADER, staff_id="sm-1"
            ),
            hc_allocated(at(2026, 3, 2)),
        )
        offer = hc.OfferTimes(
            case="HC-100",
            at=at(2026, 3, 20),
            recorded_at=at(2026, 3, 26),
            actor=STAFF,
            times=(at(2026, 4, 1), at(2026, 4, 2)),
            to=hc.Recipient.BOTH,
        )
        after = hc_record(offer, state=state)
        # Then as known on 2026-03-25 the summons was missing; as known later it was late
        assert ("HC-5", DeviationKind.MISSING) in hc_found(after, at(2026, 3, 25))
        assert ("HC-5", DeviationKind.LATE) in hc_found(after, at(2026, 3, 27))

    def test_hc_5_each_allocation_judged_by_its_own_date(self) -> None:
        # Given an allocation, then a re-allocation to another staff member after 10 days
        state = hc_record(
            hc.StaffMemberContacted(
                case="HC-100", at=at(2026, 3, 2, 8), actor=LEADER, staff_id="sm-1"
            ),
            hc_allocated(at(2026, 3, 2)),
            hc.StaffMemberContacted(
                case="HC-100", at=at(2026, 3, 12, 8), actor=LEADER, staff_id="sm-2"
            ),
            hc_allocated(at(2026, 3, 12), staff="sm-2"),
        )
        # Then on 2026-03-24 (the first one's due day is past) nothing is missing:
        # the second is due 2026-04-02
        assert not {f for f in hc_found(state, at(2026, 3, 24, 12)) if f[0] == "HC-5"}
        assert ("HC-5", DeviationKind.MISSING) in hc_found(state, at(2026, 4, 3, 0, 0, ss=1))


class TestHC4ContactFirst:
    def test_hc_4_allocation_without_contact_is_recorded_and_a_deviation(self) -> None:
        state = hc_record(hc_allocated(at(2026, 3, 2)))
        assert state.allocation is not None
        assert ("HC-4", DeviationKind.WITHOUT_PRECONDITION) in hc_found(state, at(2026, 3, 2, 10))

    def test_hc_4_contact_with_another_staff_member_is_no_contact(self) -> None:
        state = hc_record(
            hc.StaffMemberContacted(
                case="HC-100", at=at(2026, 3, 2, 8), actor=LEADER, staff_id="sm-9"
            ),
            hc_allocated(at(2026, 3, 2)),
        )
        assert ("HC-4", DeviationKind.WITHOUT_PRECONDITION) in hc_found(state, at(2026, 3, 2, 10))

    def test_hc_4_contact_with_the_staff_member_first_is_no_deviation(self) -> None:
        state = hc_record(
            hc.StaffMemberContacted(
                case="HC-100", at=at(2026, 3, 2, 8), actor=MANAGER, staff_id="sm-1"
            ),
            hc_allocated(at(2026, 3, 2)),
        )
        assert not {f for f in hc_found(state, at(2026, 3, 2, 10)) if f[0] == "HC-4"}


class TestHC3Roles:
    @pytest.mark.parametrize(
        "role",
        [
            Role.STAFF_MEMBER,
            Role.CARE_ADMINISTRATOR,
            Role.HEAD_OF_OPERATIONS,
            Role.CHIEF_PHYSICIAN,
            Role.UNIT_MANAGER,
            Role.NEEDS_ASSESSOR,
        ],
    )
    def test_hc_3_x_2_only_care_unit_manager_or_team_leader_allocate(self, role: Role) -> None:
        request = hc.CaseAllocated(
            case="HC-100",
            at=at(2026, 3, 2),
            actor=Actor("x-1", role),
            staff_id="sm-1",
            title="Leg. psykolog",
            name="Anna Berg",
            intervention="utredning",
            occasion=hc.Occasion.OTHER,
        )
        with pytest.raises(NotPermitted) as refused:
            hc.decide(request, hc.initial_state)
        assert "teamledare" in str(refused.value) or "team leader" in str(refused.value)

    @pytest.mark.parametrize("actor", [LEADER, MANAGER])
    def test_hc_3_either_allocator_allocates_and_the_occasion_is_recorded(
        self, actor: Actor
    ) -> None:
        request = hc.CaseAllocated(
            case="HC-100",
            at=at(2026, 3, 2),
            actor=actor,
            staff_id="sm-1",
            title="Leg. psykolog",
            name="Anna Berg",
            intervention="utredning",
            occasion=hc.Occasion.TREATMENT_CONFERENCE,
        )
        (event,) = hc.decide(request, hc.initial_state)
        assert isinstance(event, hc.CaseAllocated)
        assert event.actor == actor
        assert event.occasion is hc.Occasion.TREATMENT_CONFERENCE
        assert hc.Occasion.TREATMENT_CONFERENCE.value == "behandlingskonferens"


class TestHC7TwoTimes:
    def _allocated(self) -> hc.PatientAllocationState:
        return hc_record(
            hc.StaffMemberContacted(
                case="HC-100", at=at(2026, 3, 2, 8), actor=LEADER, staff_id="sm-1"
            ),
            hc_allocated(at(2026, 3, 2)),
        )

    def test_hc_7_two_distinct_later_times_are_an_offer(self) -> None:
        state = hc_record(hc_offer(at(2026, 3, 3)), state=self._allocated())
        assert state.offer is not None
        assert len(state.offer.times) == 2
        assert state.offer.staff_id == "sm-1"

    def test_hc_7_a_time_one_microsecond_after_the_offer_is_later(self) -> None:
        moment = at(2026, 3, 3, 10)
        request = hc.OfferTimes(
            case="HC-100",
            at=moment,
            actor=STAFF,
            times=(moment + timedelta(microseconds=1), moment + timedelta(days=1)),
            to=hc.Recipient.GUARDIAN,
        )
        assert hc.decide(request, self._allocated())

    @pytest.mark.parametrize(
        "times",
        [
            (at(2026, 3, 5),),
            (at(2026, 3, 5), at(2026, 3, 5)),
            (at(2026, 3, 3, 10), at(2026, 3, 5)),  # the first at the very moment of the offer
            (at(2026, 3, 2), at(2026, 3, 5)),  # one in the past
            (at(2026, 3, 5), at(2026, 3, 6), at(2026, 3, 7)),
            # the same instant written in two zones is one time, not two
            (at(2026, 3, 5, 10), datetime(2026, 3, 5, 9, 0, tzinfo=ZoneInfo("UTC"))),
        ],
    )
    def test_hc_7_a_malformed_offer_is_refused_and_nothing_recorded(
        self, times: tuple[datetime, ...]
    ) -> None:
        state = self._allocated()
        with pytest.raises(InvalidInput) as refused:
            hc.decide(
                hc.OfferTimes(
                    case="HC-100",
                    at=at(2026, 3, 3, 10),
                    actor=STAFF,
                    times=times,
                    to=hc.Recipient.PATIENT,
                ),
                state,
            )
        assert "HC-7" in str(refused.value)
        assert state.offer is None

    def test_hc_7_naive_times_are_refused(self) -> None:
        with pytest.raises(InvalidInput):
            hc.OfferTimes(
                case="HC-100",
                at=at(2026, 3, 3),
                actor=STAFF,
                times=(datetime(2026, 3, 5, 9), datetime(2026, 3, 6, 9)),
                to=hc.Recipient.PATIENT,
            )

    def test_hc_7_only_the_staff_member_offers(self) -> None:
        request = hc.OfferTimes(
            case="HC-100",
            at=at(2026, 3, 3),
            actor=LEADER,
            times=(at(2026, 3, 5), at(2026, 3, 6)),
            to=hc.Recipient.PATIENT,
        )
        with pytest.raises(NotPermitted):
            hc.decide(request, self._allocated())

    def test_hc_7_no_offer_before_an_allocation(self) -> None:
        placed = hc_record(
            hc.PlacedOnFictiveResource(
                case="HC-100",
                at=at(2026, 3, 1),
                actor=LEADER,
                resource="Kö utredning",
                intervention="utredning",
                triage=2,
            )
        )
        with pytest.raises(IllegalTransition):
            hc.decide(hc_offer(at(2026, 3, 3)), placed)


class TestHC8And9Answers:
    def _offered(self) -> tuple[hc.PatientAllocationState, tuple[datetime, ...]]:
        state = hc_record(
            hc.StaffMemberContacted(
                case="HC-100", at=at(2026, 3, 2, 8), actor=LEADER, staff_id="sm-1"
            ),
            hc_allocated(at(2026, 3, 2)),
            hc_offer(at(2026, 3, 3)),
        )
        assert state.offer is not None
        return state, state.offer.times

    def test_hc_8_accepting_a_time_tells_the_administrator_through_the_task_list(self) -> None:
        state, times = self._offered()
        accepted = hc_record(
            hc.TimeAccepted(case="HC-100", at=at(2026, 3, 3, 11), actor=STAFF, start=times[1]),
            state=state,
        )
        (task,) = [a for a in hc.required_actions(accepted) if a.requirement == "HC-8"]
        assert task.channel is Channel.TASK_LIST
        assert set(task.roles) == {Role.CARE_ADMINISTRATOR, Role.ADMINISTRATIVE_RESOURCE}
        assert any(a.requirement == "HC-10" for a in hc.required_actions(accepted))

    def test_hc_8_accepting_a_time_not_offered_is_refused(self) -> None:
        state, times = self._offered()
        with pytest.raises(InvalidInput):
            hc.decide(
                hc.TimeAccepted(
                    case="HC-100",
                    at=at(2026, 3, 3, 11),
                    actor=STAFF,
                    start=times[0] + timedelta(minutes=15),
                ),
                state,
            )

    def test_hc_8_a_time_already_past_when_accepted_is_refused_and_nothing_recorded(self) -> None:
        # Given an offer of 5 and 6 March, when the acceptance of 5 March 09:00 is reported
        # as made at 5 March 10:00, the time was no longer ahead: it cannot be the start booked
        state, times = self._offered()
        for moment in (times[0], times[0] + timedelta(hours=1)):
            with pytest.raises(InvalidInput) as refused:
                hc.decide(
                    hc.TimeAccepted(case="HC-100", at=moment, actor=STAFF, start=times[0]), state
                )
            assert "HC-8" in str(refused.value)
            assert "ahead" in str(refused.value)
        assert state.accepted is None
        # the other time, still ahead, may be accepted then
        assert hc.decide(
            hc.TimeAccepted(
                case="HC-100", at=times[0] + timedelta(hours=1), actor=STAFF, start=times[1]
            ),
            state,
        )

    def test_hc_9_declining_both_times_tells_the_administrator_and_returns_to_the_team_leader(
        self,
    ) -> None:
        state, _ = self._offered()
        declined = hc_record(
            hc.BothTimesDeclined(case="HC-100", at=at(2026, 3, 3, 11), actor=STAFF), state=state
        )
        actions = {(a.requirement, a.channel): set(a.roles) for a in hc.required_actions(declined)}
        assert actions[("HC-9", Channel.TASK_LIST)] == {
            Role.CARE_ADMINISTRATOR,
            Role.ADMINISTRATIVE_RESOURCE,
        }
        back = [
            roles
            for (req, channel), roles in actions.items()
            if req == "HC-9" and channel is not Channel.TASK_LIST
        ]
        assert back
        assert Role.TEAM_LEADER in back[0]
        # When the team leader places it on a fictive resource, the case is back in the queue
        placed = hc_record(
            hc.PatientChosenWaitingRegistered(
                case="HC-100", at=at(2026, 3, 3, 12), actor=ADMIN_RESOURCE
            ),
            hc.PlacedOnFictiveResource(
                case="HC-100",
                at=at(2026, 3, 4),
                actor=LEADER,
                resource="Kö utredning",
                intervention="utredning",
                triage=3,
            ),
            state=declined,
        )
        assert not [a for a in hc.required_actions(placed) if a.requirement == "HC-9"]
        events = [
            hc.PlacedOnFictiveResource(
                case="HC-100",
                at=at(2026, 3, 4),
                actor=LEADER,
                resource="Kö utredning",
                intervention="utredning",
                triage=3,
            )
        ]
        assert [entry.case for entry in hc.queue(events, as_of=at(2026, 3, 5))] == ["HC-100"]

    def test_hc_9_patient_chosen_waiting_is_left_out_of_the_waiting_time(self) -> None:
        placed = hc.PlacedOnFictiveResource(
            case="HC-100",
            at=at(2026, 3, 1),
            actor=LEADER,
            resource="Kö utredning",
            intervention="utredning",
            triage=2,
        )
        state, _ = self._offered()
        state = hc_record(placed, state=hc.initial_state)
        state = hc_record(
            hc.StaffMemberContacted(
                case="HC-100", at=at(2026, 3, 2, 8), actor=LEADER, staff_id="sm-1"
            ),
            hc_allocated(at(2026, 3, 2)),
            hc_offer(at(2026, 3, 3)),
            hc.BothTimesDeclined(case="HC-100", at=at(2026, 3, 3, 9), actor=STAFF),
            hc.PatientAvailableAgain(case="HC-100", at=at(2026, 3, 13, 9), actor=ADMIN),
            state=state,
        )
        waited = hc.waiting_time(state, as_of=at(2026, 3, 20, 9))
        assert waited.total == timedelta(days=19)
        assert waited.excluding_patient_chosen == timedelta(days=9)


class TestHC11Summons:
    def _accepted(self) -> hc.PatientAllocationState:
        state = hc_record(
            hc.StaffMemberContacted(
                case="HC-100", at=at(2026, 3, 2, 8), actor=LEADER, staff_id="sm-1"
            ),
            hc_allocated(at(2026, 3, 2)),
            hc_offer(at(2026, 3, 3)),
        )
        assert state.offer is not None
        return hc_record(
            hc.TimeAccepted(
                case="HC-100", at=at(2026, 3, 3, 11), actor=STAFF, start=state.offer.times[0]
            ),
            state=state,
        )

    @pytest.mark.parametrize("channel", [Channel.DIGITAL, Channel.LETTER])
    def test_hc_11_digital_or_paper_summons_after_the_link_is_no_deviation(
        self, channel: Channel
    ) -> None:
        state = hc_record(
            hc.PlanningBasisLinked(case="HC-100", at=at(2026, 3, 3, 12), actor=ADMIN),
            hc.SummonsSent(
                case="HC-100",
                at=at(2026, 3, 3, 13),
                actor=ADMIN_RESOURCE,
                channel=channel,
                to=hc.Recipient.BOTH,
            ),
            state=self._accepted(),
        )
        assert hc.is_terminal(state)
        assert not {f for f in hc_found(state, at(2026, 3, 4)) if f[0] in {"HC-8", "HC-11"}}

    def test_hc_11_a_summons_by_email_is_recorded_and_a_wrong_channel(self) -> None:
        state = hc_record(
            hc.PlanningBasisLinked(case="HC-100", at=at(2026, 3, 3, 12), actor=ADMIN),
            hc.SummonsSent(
                case="HC-100",
                at=at(2026, 3, 3, 13),
                actor=ADMIN,
                channel=Channel.EMAIL,
                to=hc.Recipient.PATIENT,
            ),
            state=self._accepted(),
        )
        assert ("HC-11", DeviationKind.WRONG_CHANNEL) in hc_found(state, at(2026, 3, 4))

    def test_hc_11_a_summons_before_the_link_is_recorded_and_a_deviation(self) -> None:
        state = hc_record(
            hc.SummonsSent(
                case="HC-100",
                at=at(2026, 3, 3, 13),
                actor=ADMIN,
                channel=Channel.DIGITAL,
                to=hc.Recipient.PATIENT,
            ),
            state=self._accepted(),
        )
        assert ("HC-11", DeviationKind.WITHOUT_PRECONDITION) in hc_found(state, at(2026, 3, 4))

    def test_hc_11_x_2_the_staff_member_does_not_send_the_summons(self) -> None:
        with pytest.raises(NotPermitted):
            hc.decide(
                hc.SummonsSent(
                    case="HC-100",
                    at=at(2026, 3, 3, 13),
                    actor=STAFF,
                    channel=Channel.DIGITAL,
                    to=hc.Recipient.PATIENT,
                ),
                self._accepted(),
            )


class TestHC2Queue:
    def test_hc_2_triage_then_longest_wait_then_case(self) -> None:
        def placed(case: str, day: int, triage: int) -> hc.PlacedOnFictiveResource:
            return hc.PlacedOnFictiveResource(
                case=case,
                at=at(2026, 3, day),
                actor=LEADER,
                resource="Kö",
                intervention="behandling",
                triage=triage,
            )

        events = [
            placed("C", 1, 2),
            placed("B", 5, 1),
            placed("A", 1, 2),
            placed("D", 2, 1),
            placed("E", 1, 3),
        ]
        order = [entry.case for entry in hc.queue(events, as_of=at(2026, 3, 10))]
        assert order == ["D", "B", "A", "C", "E"]
        assert [
            entry.case for entry in hc.queue(list(reversed(events)), as_of=at(2026, 3, 10))
        ] == order

    def test_hc_2_an_allocated_case_leaves_the_queue(self) -> None:
        events = [
            hc.PlacedOnFictiveResource(
                case="A",
                at=at(2026, 3, 1),
                actor=LEADER,
                resource="Kö",
                intervention="behandling",
                triage=2,
            ),
            hc_allocated(at(2026, 3, 3), case="A"),
        ]
        assert [e.case for e in hc.queue(events, as_of=at(2026, 3, 2))] == ["A"]
        assert hc.queue(events, as_of=at(2026, 3, 4)) == ()


# =========================================================================== UP


ASSESSOR = Actor("bh-1", Role.NEEDS_ASSESSOR)
PROVIDER_ACTOR = Actor("ut-1", Role.PROVIDER)
INSTALLER = Actor("li-1", Role.ALARM_INSTALLER)
NIGHT = Actor("np-1", Role.NIGHT_PATROL)
MUNICIPAL = Provider("Hemtjänsten egen regi", ProviderKind.MUNICIPAL)
PRIVATE = Provider("Omsorg AB", ProviderKind.PRIVATE)
IV = up.Intervention


def up_sent(
    when: datetime,
    interventions: tuple[up.Intervention, ...] = (IV.HOME_CARE,),
    *,
    case: str = "UP-100",
    provider: Provider = MUNICIPAL,
    granted: int = 440,
    **extra: object,
) -> up.AssignmentSent:
    return up.AssignmentSent(
        case=case,
        at=when,
        actor=ASSESSOR,
        provider=provider,
        interventions=interventions,
        granted_minutes=granted,
        **extra,  # type: ignore[arg-type]
    )


def up_hand_over(
    when: datetime, channel: Channel, *, provider: Provider = MUNICIPAL
) -> up.HandOver:
    """The assessor's handover of UP-100 to ``provider`` by ``channel`` (UP-5)."""
    return up.HandOver(
        case="UP-100", at=when, actor=ASSESSOR, provider=provider, channels=(channel,)
    )


def up_record(
    *requests: object, state: up.AssignmentDispatchState | None = None
) -> up.AssignmentDispatchState:
    return recorded(up.UP, requests, state)


def up_found(state: up.AssignmentDispatchState, as_of: datetime) -> set[tuple[str, DeviationKind]]:
    return found_in(up.UP, state, as_of)


class TestUP3QuarterHour:
    @pytest.mark.parametrize(
        ("granted", "stated"),
        [
            (0, 0),
            (1, 15),
            (14, 15),
            (15, 15),
            (16, 30),
            (440, 450),
            (450, 450),
            (451, 465),
            (10**12 + 1, 10**12 + 5),
        ],
    )
    def test_up_3_granted_time_rounded_up_to_the_quarter_hour(
        self, granted: int, stated: int
    ) -> None:
        assert round_up_to_quarter(granted) == stated
        assert up_sent(at(2026, 3, 2), granted=granted).stated_minutes == stated

    def test_up_3_a_timedelta_with_seconds_rounds_up_too(self) -> None:
        assert round_up_to_quarter(timedelta(minutes=15, seconds=1)) == timedelta(minutes=30)
        assert round_up_to_quarter(timedelta(hours=2)) == timedelta(hours=2)

    @given(st.integers(min_value=0, max_value=10**9))
    def test_up_3_law_the_smallest_quarter_not_below(self, granted: int) -> None:
        stated = round_up_to_quarter(granted)
        assert stated % 15 == 0
        assert granted <= stated < granted + 15

    @pytest.mark.parametrize("bad", [-1, 1.5, "15", None, True])
    def test_up_3_bad_granted_time_is_a_typed_error(self, bad: object) -> None:
        with pytest.raises(InvalidInput) as refused:
            round_up_to_quarter(bad)  # type: ignore[call-overload]
        assert "granted time" in str(refused.value)
        with pytest.raises(InvalidInput):
            up_sent(at(2026, 3, 2), granted=bad)  # type: ignore[arg-type]

    @pytest.mark.parametrize("stated", [445, 435, 465])
    def test_up_3_a_wrong_stated_time_is_recorded_and_a_deviation(self, stated: int) -> None:
        state = up_record(up_sent(at(2026, 3, 2), granted=440, stated_minutes=stated))
        assert ("UP-3", up.STATED_TIME) in up_found(state, at(2026, 3, 2, 10))

    def test_up_3_the_right_stated_time_is_no_deviation(self) -> None:
        state = up_record(up_sent(at(2026, 3, 2), granted=440))
        assert not {f for f in up_found(state, at(2026, 3, 2, 10)) if f[0] == "UP-3"}


class TestUP2TimeRecording:
    def test_up_2_every_combination_ordered_unless_only_day_activity_and_transport(self) -> None:
        never = {IV.DAY_ACTIVITY, IV.SCHEDULED_TRANSPORT}
        for size in range(1, len(IV) + 1):
            for combo in combinations(list(IV), size):
                assert up.time_recording_required(combo) is (not set(combo) <= never), combo

    def test_up_2_a_missing_order_is_a_deviation(self) -> None:
        state = up_record(up_sent(at(2026, 3, 2), (IV.HOME_CARE, IV.DAY_ACTIVITY)))
        assert ("UP-2", DeviationKind.MISSING) in up_found(state, at(2026, 3, 10))

    def test_up_2_an_order_for_day_activity_and_transport_is_recorded_and_not_required(
        self,
    ) -> None:
        state = up_record(
            up_sent(at(2026, 3, 2), (IV.DAY_ACTIVITY, IV.SCHEDULED_TRANSPORT)),
            up.TimeRecordingOrdered(
                case="UP-100", at=at(2026, 3, 2, 10), actor=ASSESSOR, provider=MUNICIPAL
            ),
        )
        assert ("UP-2", DeviationKind.NOT_REQUIRED) in up_found(state, at(2026, 3, 10))
        assert ("UP-2", DeviationKind.MISSING) not in up_found(state, at(2026, 3, 10))

    def test_up_2_an_order_for_home_care_is_no_deviation(self) -> None:
        state = up_record(
            up_sent(at(2026, 3, 2), (IV.HOME_CARE,)),
            up.TimeRecordingOrdered(
                case="UP-100", at=at(2026, 3, 2, 10), actor=ASSESSOR, provider=MUNICIPAL
            ),
        )
        assert not {f for f in up_found(state, at(2026, 3, 10)) if f[0] == "UP-2"}


class TestUP4DoubleStaffing:
    def test_up_4_double_staffing_names_the_assignments_own_interventions(self) -> None:
        sent = up_sent(
            at(2026, 3, 2), (IV.HOME_CARE, IV.RELIEF_AT_HOME), double_staffed=(IV.HOME_CARE,)
        )
        assert sent.assignment.double_staffed == (IV.HOME_CARE,)

    def test_up_4_double_staffing_of_another_intervention_is_refused(self) -> None:
        with pytest.raises(InvalidInput, match="UP-4"):
            up_sent(at(2026, 3, 2), (IV.HOME_CARE,), double_staffed=(IV.RELIEF_AT_HOME,))


class TestUP5Handover:
    def test_up_5_a_new_recipient_handed_over_by_message_only_is_a_wrong_channel(self) -> None:
        state = up_record(
            up_sent(at(2026, 3, 2), new_recipient=True),
            up_hand_over(at(2026, 3, 2, 10), Channel.SYSTEM_MESSAGE),
        )
        assert ("UP-5", DeviationKind.WRONG_CHANNEL) in up_found(state, at(2026, 3, 3))

    def test_up_5_a_new_recipient_handed_over_by_telephone_is_no_deviation(self) -> None:
        state = up_record(
            up_sent(at(2026, 3, 2), new_recipient=True),
            up_hand_over(at(2026, 3, 2, 10), Channel.TELEPHONE),
        )
        assert not {f for f in up_found(state, at(2026, 3, 3)) if f[0] == "UP-5"}

    @pytest.mark.parametrize("channel", [Channel.TELEPHONE, Channel.SYSTEM_MESSAGE])
    def test_up_5_others_by_telephone_or_system_message(self, channel: Channel) -> None:
        state = up_record(
            up_sent(at(2026, 3, 2)),
            up_hand_over(at(2026, 3, 2, 10), channel),
        )
        assert not {f for f in up_found(state, at(2026, 3, 3)) if f[0] == "UP-5"}

    def test_up_5_others_by_email_are_a_wrong_channel(self) -> None:
        state = up_record(
            up_sent(at(2026, 3, 2)),
            up_hand_over(at(2026, 3, 2, 10), Channel.EMAIL),
        )
        assert ("UP-5", DeviationKind.WRONG_CHANNEL) in up_found(state, at(2026, 3, 3))

    def test_up_5_x_2_the_provider_does_not_send_the_assignment(self) -> None:
        request = up.AssignmentSent(
            case="UP-100",
            at=at(2026, 3, 2),
            actor=PROVIDER_ACTOR,
            provider=MUNICIPAL,
            interventions=(IV.HOME_CARE,),
            granted_minutes=60,
        )
        with pytest.raises(NotPermitted):
            up.decide(request, up.initial_state)


class TestUP7SpecialContactPath:
    @pytest.mark.parametrize(
        ("moment", "special"),
        [
            (at(2026, 11, 6, 13, 59, ss=59), False),  # Friday just before 14:00
            (at(2026, 11, 6, 14, 0), True),  # Friday 14:00:00
            (at(2026, 11, 6, 14, 0, ss=1), True),
            (at(2026, 11, 7, 10), True),  # Saturday
            (at(2026, 11, 9, 0, 0), False),  # Monday: the working day has begun
            (at(2026, 11, 4, 15), False),  # Wednesday afternoon, a working day follows
            (at(2026, 5, 13, 14, 0), True),  # the day before Ascension Day
            (at(2026, 5, 13, 13, 59), False),
            (at(2026, 4, 2, 14, 30), True),  # Maundy Thursday before Good Friday
            (at(2026, 12, 23, 14, 0), True),  # before Christmas Eve
            (at(2026, 12, 30, 15, 0), True),  # before New Year's Eve
            (at(2026, 6, 18, 16, 0), True),  # before Midsummer Eve
        ],
    )
    def test_up_7_the_window_before_weekends_and_holidays(
        self, moment: datetime, special: bool
    ) -> None:
        assert up.special_contact_path(moment) is special

    def test_up_7_the_window_follows_wall_clock_over_the_october_dst_change(self) -> None:
        # Friday 2026-10-23 14:00 Stockholm (summer time) is 12:00 UTC
        assert (
            up.special_contact_path(datetime(2026, 10, 23, 12, 0, tzinfo=ZoneInfo("UTC"))) is True
        )
        assert (
            up.special_contact_path(datetime(2026, 10, 23, 11, 59, tzinfo=ZoneInfo("UTC"))) is False
        )

    def test_up_7_a_handover_to_municipal_home_care_in_the_window_is_flagged(self) -> None:
        friday = at(2026, 11, 6, 15)
        (event,) = up.decide(
            up_hand_over(friday, Channel.TELEPHONE),
            up_record(up_sent(friday - timedelta(hours=1))),
        )
        assert isinstance(event, up.HandedOver)
        assert event.special_contact_path is True
        # the flag is information, not a deviation
        state = up_record(up_sent(friday - timedelta(hours=1)))
        state = up.evolve(state, event)
        assert not {f for f in up_found(state, at(2026, 11, 9)) if f[0] == "UP-7"}

    def test_up_7_not_for_a_private_provider_nor_before_14(self) -> None:
        friday = at(2026, 11, 6, 15)
        (private,) = up.decide(
            up_hand_over(friday, Channel.TELEPHONE, provider=PRIVATE),
            up_record(up_sent(friday - timedelta(hours=1), provider=PRIVATE)),
        )
        assert isinstance(private, up.HandedOver)
        assert private.special_contact_path is False
        morning = at(2026, 11, 6, 10)
        (early,) = up.decide(
            up_hand_over(morning, Channel.TELEPHONE),
            up_record(up_sent(morning - timedelta(hours=1))),
        )
        assert isinstance(early, up.HandedOver)
        assert early.special_contact_path is False

    def test_up_7_required_notifications_carry_the_flag_for_municipal_home_care_only(self) -> None:
        friday = at(2026, 12, 23, 15)
        municipal = up.Situation(
            occasion=up.Occasion.ASSIGNMENT_SENT,
            at=friday,
            provider=MUNICIPAL,
            interventions=(IV.HOME_CARE,),
            held=(IV.HOME_CARE,),
        )
        private = up.Situation(
            occasion=up.Occasion.ASSIGNMENT_SENT,
            at=friday,
            provider=PRIVATE,
            interventions=(IV.HOME_CARE,),
            held=(IV.HOME_CARE,),
        )
        (handover,) = [n for n in up.required_notifications(municipal) if n.requirement == "UP-5"]
        assert handover.special_contact_path is True
        (other,) = [n for n in up.required_notifications(private) if n.requirement == "UP-5"]
        assert other.special_contact_path is False

    def test_up_7_naive_moment_is_a_typed_error(self) -> None:
        with pytest.raises(InvalidInput):
            up.special_contact_path(datetime(2026, 11, 6, 15))


class TestUP6And10AlarmGroup:
    def test_up_6_alarm_only_recipient_granted_home_care_tells_the_alarm_group(self) -> None:
        situation = up.Situation(
            occasion=up.Occasion.ASSIGNMENT_SENT,
            at=at(2026, 3, 2),
            provider=PRIVATE,
            interventions=(IV.HOME_CARE,),
            held_before=(IV.SAFETY_ALARM,),
            held=(IV.SAFETY_ALARM, IV.HOME_CARE),
        )
        found = {
            (n.requirement, n.recipient, n.subject, n.sender)
            for n in up.required_notifications(situation)
        }
        assert (
            "UP-6",
            up.Recipient.ALARM_GROUP,
            up.Subject.CURRENT_PROVIDER,
            Role.NEEDS_ASSESSOR,
        ) in found

    def test_up_10_a_change_of_provider_tells_the_alarm_group_again(self) -> None:
        situation = up.Situation(
            occasion=up.Occasion.ASSIGNMENT_SENT,
            at=at(2026, 3, 2),
            provider=PRIVATE,
            interventions=(IV.HOME_CARE,),
            held_before=(IV.SAFETY_ALARM, IV.HOME_CARE),
            held=(IV.SAFETY_ALARM, IV.HOME_CARE),
            home_care_provider_before=MUNICIPAL,
        )
        found = {(n.recipient, n.subject) for n in up.required_notifications(situation)}
        assert (up.Recipient.ALARM_GROUP, up.Subject.CURRENT_PROVIDER) in found

    def test_up_10_an_alarm_on_a_private_provider_is_a_wrong_provider(self) -> None:
        state = up_record(up_sent(at(2026, 3, 2), (IV.SAFETY_ALARM,), provider=PRIVATE, granted=0))
        assert ("UP-10", up.WRONG_PROVIDER) in up_found(state, at(2026, 3, 3))


class TestUP9To12Execution:
    def test_up_9_each_intervention_is_executed_on_its_own_start_date(self) -> None:
        state = up_record(
            up_sent(at(2026, 3, 2), (IV.HOME_CARE, IV.RELIEF_AT_HOME)),
            up.InterventionExecuted(
                case="UP-100",
                at=at(2026, 3, 4),
                actor=PROVIDER_ACTOR,
                intervention=IV.HOME_CARE,
                started_on=date(2026, 3, 4),
            ),
            up.InterventionExecuted(
                case="UP-100",
                at=at(2026, 3, 9),
                actor=PROVIDER_ACTOR,
                intervention=IV.RELIEF_AT_HOME,
                started_on=date(2026, 3, 9),
            ),
        )
        assert up.execution_dates_of(state) == {
            IV.HOME_CARE: date(2026, 3, 4),
            IV.RELIEF_AT_HOME: date(2026, 3, 9),
        }

    def test_up_9_executing_an_intervention_not_held_is_refused(self) -> None:
        state = up_record(up_sent(at(2026, 3, 2), (IV.HOME_CARE,)))
        with pytest.raises((IllegalTransition, InvalidInput)):
            up.decide(
                up.InterventionExecuted(
                    case="UP-100",
                    at=at(2026, 3, 4),
                    actor=PROVIDER_ACTOR,
                    intervention=IV.HAFFA,
                    started_on=date(2026, 3, 4),
                ),
                state,
            )

    def test_up_11_only_the_alarm_installer_executes_the_alarm(self) -> None:
        state = up_record(up_sent(at(2026, 3, 2), (IV.SAFETY_ALARM,), granted=0))
        with pytest.raises(NotPermitted):
            up.decide(
                up.AlarmInstalled(
                    case="UP-100",
                    at=at(2026, 3, 5),
                    actor=PROVIDER_ACTOR,
                    installed_on=date(2026, 3, 5),
                ),
                state,
            )
        installed = up_record(
            up.AlarmInstalled(
                case="UP-100", at=at(2026, 3, 5), actor=INSTALLER, installed_on=date(2026, 3, 5)
            ),
            state=state,
        )
        assert up.execution_dates_of(installed) == {IV.SAFETY_ALARM: date(2026, 3, 5)}

    def test_up_12_a_returned_alarm_is_reported_to_the_assessor_by_the_installer(self) -> None:
        state = up_record(
            up_sent(at(2026, 3, 2), (IV.SAFETY_ALARM,), granted=0),
            up.AlarmInstalled(
                case="UP-100", at=at(2026, 3, 5), actor=INSTALLER, installed_on=date(2026, 3, 5)
            ),
            up.AlarmReturned(
                case="UP-100", at=at(2026, 6, 1), actor=INSTALLER, reason=up.ReturnReason.DECEASED
            ),
        )
        (duty,) = [a for a in up.required_actions(state) if a.requirement == "UP-12"]
        assert Role.ALARM_INSTALLER in duty.roles
        assert up.ReturnReason.DECLINED.value == "avsagt sig insatsen"


class TestUP8Receipt:
    def test_up_8_receipt_by_email_is_a_wrong_channel(self) -> None:
        state = up_record(
            up_sent(at(2026, 3, 2)),
            up.AssignmentReceiptConfirmed(
                case="UP-100",
                at=at(2026, 3, 2, 12),
                actor=PROVIDER_ACTOR,
                provider=MUNICIPAL,
                channel=Channel.EMAIL,
            ),
        )
        assert ("UP-8", DeviationKind.WRONG_CHANNEL) in up_found(state, at(2026, 3, 3))

    def test_up_8_receipt_never_confirmed_is_missing_and_stays_missing_known_then(self) -> None:
        state = up_record(up_sent(at(2026, 3, 2)))
        assert ("UP-8", DeviationKind.MISSING) in up_found(state, at(2026, 3, 20))
        confirmed = up_record(
            up.AssignmentReceiptConfirmed(
                case="UP-100", at=at(2026, 3, 25), actor=PROVIDER_ACTOR, provider=MUNICIPAL
            ),
            state=state,
        )
        assert ("UP-8", DeviationKind.MISSING) in up_found(confirmed, at(2026, 3, 20))
        assert ("UP-8", DeviationKind.LATE) in up_found(confirmed, at(2026, 3, 26))


class TestUP13And14Hospital:
    def test_up_13_discharge_tells_home_care_provider_and_night_patrol(self) -> None:
        situation = up.Situation(
            occasion=up.Occasion.DISCHARGE_ANNOUNCED,
            at=at(2026, 3, 2),
            stay="s1",
            discharge_at=at(2026, 3, 4, 12),
        )
        found = {(n.sender, n.recipient) for n in up.required_notifications(situation)}
        assert found == {
            (Role.NEEDS_ASSESSOR, up.Recipient.PROVIDER),
            (Role.NEEDS_ASSESSOR, up.Recipient.NIGHT_PATROL),
        }

    @pytest.mark.parametrize(
        ("moment", "night"),
        [
            (at(2026, 3, 2, 21, 59, ss=59), False),
            (at(2026, 3, 2, 22, 0), True),
            (at(2026, 3, 3, 0, 0), True),
            (at(2026, 3, 3, 6, 59, ss=59), True),
            (at(2026, 3, 3, 7, 0), False),
        ],
    )
    def test_up_14_night_rule_who_tells_whom_on_admission(
        self, moment: datetime, night: bool
    ) -> None:
        assert up.is_night(moment) is night
        for provider in (MUNICIPAL, PRIVATE):
            situation = up.Situation(
                occasion=up.Occasion.ADMITTED,
                at=moment,
                provider=provider,
                held=(IV.HOME_CARE,),
                stay="s1",
            )
            (notice,) = up.required_notifications(situation)
            if night:
                assert (notice.sender, notice.recipient) == (
                    Role.NIGHT_PATROL,
                    up.Recipient.PROVIDER,
                )
            else:
                assert (notice.sender, notice.recipient, notice.channel) == (
                    Role.PROVIDER,
                    up.Recipient.NIGHT_PATROL,
                    Channel.SYSTEM_MESSAGE,
                )

    def test_up_14_coming_home_the_day_provider_tells_the_night_patrol_by_message(self) -> None:
        situation = up.Situation(
            occasion=up.Occasion.HOME_FROM_HOSPITAL,
            at=at(2026, 3, 5, 23),
            provider=PRIVATE,
            held=(IV.HOME_CARE,),
            stay="s1",
        )
        (notice,) = up.required_notifications(situation)
        assert (notice.sender, notice.recipient, notice.channel) == (
            Role.PROVIDER,
            up.Recipient.NIGHT_PATROL,
            Channel.SYSTEM_MESSAGE,
        )

    def test_up_14_each_stay_is_its_own_duty(self) -> None:
        state = up_record(
            up_sent(at(2026, 3, 2)),
            up.AdmittedToHospital(
                case="UP-100", at=at(2026, 3, 10, 10), actor=PROVIDER_ACTOR, stay="s1"
            ),
            up.HomeFromHospital(
                case="UP-100", at=at(2026, 3, 12, 10), actor=PROVIDER_ACTOR, stay="s1"
            ),
            up.AdmittedToHospital(
                case="UP-100", at=at(2026, 3, 20, 10), actor=PROVIDER_ACTOR, stay="s2"
            ),
            up.NotificationSent(
                case="UP-100",
                at=at(2026, 3, 20, 11),
                actor=PROVIDER_ACTOR,
                subject=up.Subject.ADMISSION,
                recipient=up.Recipient.NIGHT_PATROL,
                channel=Channel.SYSTEM_MESSAGE,
                stay="s2",
            ),
        )
        missing = [
            d
            for d in up.deviations(state, as_of=at(2026, 3, 25))
            if d.requirement == "UP-14" and d.kind is DeviationKind.MISSING
        ]
        # the first stay's admission and homecoming were never told; the second's was
        assert len(missing) == 2


# =========================================================================== DV

SOCIAL_WORKER = Actor("ss-1", Role.SOCIAL_WORKER)
RECEIVER = Actor("um-1", Role.ASSIGNMENT_RECEIVER)
UNIT_MGR = Actor("ec-1", Role.UNIT_MANAGER)
CENTRE_STAFF = Actor("dv-1", Role.STAFF_MEMBER)
WD = pl.Weekday
NORTH = pl.District("Norr", unit_manager="ec-n", receivers=("r-n1", "r-n2"), stand_ins=("s-n1",))
SOUTH = pl.District("Söder", unit_manager="ec-s", receivers=("r-s1", "r-s2"))
HERE = pl.Location(59.33, 18.06)


def dv_received(
    when: datetime,
    *,
    case: str = "DV-100",
    district: str = "Norr",
    days: int = 2,
    queue: date = date(2026, 1, 5),
) -> dv.AssignmentReceived:
    return dv.AssignmentReceived(
        case=case,
        at=when,
        actor=SOCIAL_WORKER,
        district=district,
        orientation=pl.Orientation.DEMENTIA,
        days=days,
        queue_date=queue,
    )


def dv_record(*requests: object, state: dv.DayActivityState | None = None) -> dv.DayActivityState:
    return recorded(dv.DAY_ACTIVITY, requests, state)


def dv_due(state: dv.DayActivityState) -> datetime:
    due = dv.review_due_of(state)
    assert due is not None
    return due.due


def dv_found(state: dv.DayActivityState, as_of: datetime) -> set[tuple[str, DeviationKind]]:
    return found_in(dv.DAY_ACTIVITY, state, as_of)


def centre(
    ident: str,
    district: pl.District = NORTH,
    *,
    orientation: pl.Orientation = pl.Orientation.DEMENTIA,
    places: int | tuple[int, ...] = 1,
) -> pl.DayCentre:
    return pl.DayCentre(
        id=ident, district=district, orientation=orientation, places=places, location=HERE
    )


def request(
    ident: str, *, queue: date, days: int = 1, district: str = "Norr", **extra: object
) -> pl.PlacementRequest:
    return pl.PlacementRequest(
        id=ident,
        district=district,
        orientation=pl.Orientation.DEMENTIA,
        days=days,
        queue_date=queue,
        **extra,  # type: ignore[arg-type]
    )


class TestDV2Receivers:
    def test_dv_2_a_district_needs_two_receivers_besides_the_unit_manager(self) -> None:
        assert len(NORTH.receivers) == 2
        with pytest.raises(InvalidInput, match="DV-2"):
            pl.District("Väster", unit_manager="ec-v", receivers=("r-v1",))
        with pytest.raises(InvalidInput, match="DV-2"):
            pl.District("Väster", unit_manager="ec-v", receivers=())

    def test_dv_2_the_unit_manager_does_not_count_as_a_receiver(self) -> None:
        with pytest.raises(InvalidInput, match="DV-2"):
            pl.District("Väster", unit_manager="ec-v", receivers=("ec-v", "r-v1"))

    def test_dv_2_one_person_named_twice_is_one_receiver(self) -> None:
        with pytest.raises(InvalidInput):
            pl.District("Väster", unit_manager="ec-v", receivers=("r-v1", "r-v1"))

    def test_dv_3_a_stand_in_acts_as_receiver(self) -> None:
        assert NORTH.role_of("s-n1") is Role.ASSIGNMENT_RECEIVER
        assert NORTH.role_of("ec-n") is Role.UNIT_MANAGER
        assert NORTH.role_of("r-s1") is None


class TestDV5Review:
    @pytest.mark.parametrize(
        ("received", "last_day"),
        [
            (at(2026, 3, 2, 10), date(2026, 3, 3)),  # Monday → Tuesday
            (at(2026, 11, 6, 15), date(2026, 11, 9)),  # Friday → Monday
            (at(2026, 11, 7, 10), date(2026, 11, 9)),  # Saturday → Monday
            (at(2026, 5, 13, 10), date(2026, 5, 15)),  # before Ascension Day → Friday
            (at(2026, 4, 2, 10), date(2026, 4, 7)),  # Maundy Thursday → Tuesday after Easter
            (at(2026, 12, 23, 10), date(2026, 12, 28)),  # Christmas → Monday 28th
        ],
    )
    def test_dv_5_reviewed_by_the_end_of_the_next_working_day(
        self, received: datetime, last_day: date
    ) -> None:
        state = dv_record(dv_received(received))
        assert due_day(dv_due(state)) == last_day
        end = datetime.combine(last_day, datetime.min.time(), tzinfo=STHLM) + timedelta(days=1)
        assert ("DV-5", DeviationKind.MISSING) not in dv_found(state, end - timedelta(seconds=1))
        assert ("DV-5", DeviationKind.MISSING) in dv_found(state, end + timedelta(seconds=1))
        on_time = dv_record(
            dv.AssignmentReviewed(case="DV-100", at=end - timedelta(seconds=1), actor=RECEIVER),
            state=state,
        )
        assert not {f for f in dv_found(on_time, end + timedelta(days=3)) if f[0] == "DV-5"}
        late = dv_record(
            dv.AssignmentReviewed(case="DV-100", at=end + timedelta(seconds=1), actor=RECEIVER),
            state=state,
        )
        assert ("DV-5", DeviationKind.LATE) in dv_found(late, end + timedelta(days=3))

    def test_dv_5_a_review_at_midnight_after_the_last_day_is_late(self) -> None:
        state = dv_record(dv_received(at(2026, 3, 2, 10)))
        late = dv_record(
            dv.AssignmentReviewed(case="DV-100", at=at(2026, 3, 4, 0, 0), actor=RECEIVER),
            state=state,
        )
        assert ("DV-5", DeviationKind.LATE) in dv_found(late, at(2026, 3, 10))

    def test_dv_5_due_at_stockholm_midnight_across_the_march_dst_change(self) -> None:
        # Friday 2026-03-27 → Monday 2026-03-30; its end is 2026-03-31 00:00 CEST = 22:00 UTC
        state = dv_record(dv_received(at(2026, 3, 27, 10)))
        due = dv_due(state)
        assert due == datetime(2026, 3, 30, 22, 0, tzinfo=ZoneInfo("UTC"))

    def test_dv_5_due_at_stockholm_midnight_across_the_october_dst_change(self) -> None:
        # Friday 2026-10-23 → Monday 2026-10-26; its end is 2026-10-27 00:00 CET = 23:00 UTC
        state = dv_record(dv_received(at(2026, 10, 23, 10)))
        assert dv_due(state) == datetime(2026, 10, 26, 23, 0, tzinfo=ZoneInfo("UTC"))

    def test_dv_5_a_review_recorded_late_leaves_the_earlier_missing_known_then(self) -> None:
        state = dv_record(dv_received(at(2026, 3, 2, 10)))
        reviewed = dv_record(
            dv.AssignmentReviewed(
                case="DV-100", at=at(2026, 3, 3, 10), recorded_at=at(2026, 3, 5, 10), actor=RECEIVER
            ),
            state=state,
        )
        assert ("DV-5", DeviationKind.MISSING) in dv_found(reviewed, at(2026, 3, 4, 12))

    def test_dv_5_x_2_a_social_worker_does_not_review(self) -> None:
        state = dv_record(dv_received(at(2026, 3, 2, 10)))
        with pytest.raises(NotPermitted):
            dv.decide(
                dv.AssignmentReviewed(case="DV-100", at=at(2026, 3, 2, 11), actor=SOCIAL_WORKER),
                state,
            )

    def test_dv_3_a_stand_in_reviews_in_the_receivers_role_and_is_recorded(self) -> None:
        state = dv_record(dv_received(at(2026, 3, 2, 10)))
        (event,) = dv.decide(
            dv.AssignmentReviewed(
                case="DV-100",
                at=at(2026, 3, 2, 11),
                actor=Actor("s-n1", Role.ASSIGNMENT_RECEIVER),
                stands_in_for="r-n1",
            ),
            state,
        )
        assert event.stands_in_for == "r-n1"
        dv.check_staff(event, NORTH)
        with pytest.raises(NotPermitted):
            dv.check_staff(event, SOUTH)


class TestDV6Clarification:
    def test_dv_6_an_assignment_awaiting_clarification_is_not_placed(self) -> None:
        state = dv_record(
            dv_received(at(2026, 3, 2, 10)),
            dv.AssignmentReviewed(case="DV-100", at=at(2026, 3, 2, 11), actor=RECEIVER),
            dv.ClarificationAsked(
                case="DV-100",
                at=at(2026, 3, 2, 12),
                actor=RECEIVER,
                contacted=dv.Contacted.RELATIVES,
            ),
        )
        placing = dv.AssignmentPlaced(
            case="DV-100",
            at=at(2026, 3, 3, 10),
            actor=RECEIVER,
            centre="c1",
            weekdays=(WD.MONDAY, WD.TUESDAY),
        )
        with pytest.raises((ForbiddenStep, InvalidInput, IllegalTransition)):
            dv.decide(placing, state)
        assert dv.request_of(state).awaiting_clarification is True
        clarified = dv_record(
            dv.AssignmentClarified(case="DV-100", at=at(2026, 3, 3, 9), actor=RECEIVER), state=state
        )
        assert dv.decide(placing, clarified)

    def test_dv_6_the_engine_defers_it_with_its_reason(self) -> None:
        plan = pl.place(
            [request("a", queue=date(2026, 1, 1), awaiting_clarification=True)], [centre("c1")]
        )
        (deferred,) = plan.deferred
        assert deferred.request == "a"
        assert not plan.placements
        assert "förtydligande" in plan.explain("a", "sv")


class TestDV1PlacedDays:
    def test_dv_1_placing_on_more_weekdays_than_granted_is_refused(self) -> None:
        state = dv_record(
            dv_received(at(2026, 3, 2, 10), days=2),
            dv.AssignmentReviewed(case="DV-100", at=at(2026, 3, 2, 11), actor=RECEIVER),
        )
        with pytest.raises((ForbiddenStep, InvalidInput)):
            dv.decide(
                dv.AssignmentPlaced(
                    case="DV-100",
                    at=at(2026, 3, 3),
                    actor=RECEIVER,
                    centre="c1",
                    weekdays=(WD.MONDAY, WD.TUESDAY, WD.FRIDAY),
                ),
                state,
            )

    @pytest.mark.parametrize("days", [0, 6, -1])
    def test_dv_1_days_granted_outside_one_to_five_are_bad_input(self, days: int) -> None:
        with pytest.raises(InvalidInput):
            dv_received(at(2026, 3, 2, 10), days=days)


class TestDV7Criteria:
    def test_dv_7_a_orientation_is_a_hard_constraint(self) -> None:
        social = centre("c-social", orientation=pl.Orientation.SOCIAL, places=5)
        plan = pl.place(
            [request("a", queue=date(2026, 1, 1))],
            [social],
            policy=pl.PlacementPolicy(cross_district=False),
        )
        assert not plan.placements
        (unplaced,) = plan.unplaced
        assert unplaced.request == "a"
        assert unplaced.reasons

    def test_dv_7_c_the_granted_days_at_one_centre_each_with_a_vacant_place(self) -> None:
        # c1 has places only on Monday and Tuesday; c2 on every day
        c1 = centre("c1", places=(1, 1, 0, 0, 0))
        c2 = centre("c2", places=1)
        plan = pl.place([request("a", queue=date(2026, 1, 1), days=3)], [c1, c2])
        (placed,) = plan.placements
        assert placed.centre == "c2"
        assert len(placed.days) == 3
        assert len(set(placed.days)) == 3

    def test_dv_7_c_never_more_than_the_places(self) -> None:
        c1 = centre("c1", places=1)
        requests = [
            request(f"r{i}", queue=date(2026, 1, 1) + timedelta(days=i), days=5) for i in range(3)
        ]
        plan = pl.place(requests, [c1], policy=pl.PlacementPolicy(cross_district=False))
        assert [p.request for p in plan.placements] == ["r0"]
        assert {u.request for u in plan.unplaced} == {"r1", "r2"}

    def test_dv_7_b_a_wish_ranks_the_centres_that_satisfy_the_constraints(self) -> None:
        plan = pl.place(
            [request("a", queue=date(2026, 1, 1), wished_centres=("c2",))],
            [centre("c1"), centre("c2")],
        )
        (placed,) = plan.placements
        assert placed.centre == "c2"
        assert any(r.code is pl.ReasonCode.WISH_MET for r in placed.reasons)

    def test_dv_7_a_wish_for_a_full_centre_does_not_override_vacancy(self) -> None:
        plan = pl.place(
            [request("a", queue=date(2026, 1, 1), wished_centres=("c2",))],
            [centre("c1"), centre("c2", places=0)],
        )
        (placed,) = plan.placements
        assert placed.centre == "c1"

    @pytest.mark.parametrize("ids", [("young", "old"), ("a", "b"), ("b", "a")])
    def test_dv_7_the_longer_queue_time_wins_the_last_place_whatever_the_order(
        self, ids: tuple[str, str]
    ) -> None:
        newer, older = ids
        requests = [request(newer, queue=date(2026, 2, 1)), request(older, queue=date(2026, 1, 1))]
        for given_order in (requests, list(reversed(requests))):
            plan = pl.place(
                given_order,
                [centre("c1", places=(1, 0, 0, 0, 0))],
                policy=pl.PlacementPolicy(cross_district=False),
            )
            assert [p.request for p in plan.placements] == [older]
            (lost,) = plan.unplaced
            assert lost.request == newer
            assert any(r.code is pl.ReasonCode.QUEUE_LOST for r in lost.reasons)
            explained = plan.explain(newer, "sv")
            assert "kötid" in explained

    def test_dv_7_every_placement_carries_its_reasons_in_swedish_and_english(self) -> None:
        plan = pl.place([request("a", queue=date(2026, 1, 1), days=2)], [centre("c1", places=2)])
        (placed,) = plan.placements
        assert placed.reasons
        sv, en = plan.explain("a", "sv"), plan.explain("a", "en")
        assert sv
        assert en
        assert sv != en
        assert "c1" in sv


class TestDV8CrossDistrict:
    def test_dv_8_no_place_in_the_district_gives_a_proposal_elsewhere_that_reserves_nothing(
        self,
    ) -> None:
        full = centre("c-n", NORTH, places=0)
        south = centre("c-s", SOUTH, places=(1, 0, 0, 0, 0))
        plan = pl.place(
            [
                request("a", queue=date(2026, 1, 1)),
                request("b", queue=date(2026, 2, 1), district="Söder"),
            ],
            [full, south],
        )
        (proposal,) = plan.proposals
        assert proposal.request == "a"
        assert (proposal.from_district, proposal.district, proposal.centre) == (
            "Norr",
            "Söder",
            "c-s",
        )
        assert proposal.cause is pl.CrossDistrictCause.NO_PLACE
        assert set(proposal.from_receivers) == {"r-n1", "r-n2"}
        assert set(proposal.receivers) == {"r-s1", "r-s2"}
        # the original district's receivers ask the social worker to send the assignment over
        assert any(step.recipient == Role.SOCIAL_WORKER.value for step in proposal.steps)
        assert all(step.roles == (Role.ASSIGNMENT_RECEIVER,) for step in proposal.steps)
        # the proposal reserves nothing: the other district's own request still gets the place
        assert [(p.request, p.centre) for p in plan.placements] == [("b", "c-s")]

    def test_dv_8_a_wish_for_a_centre_elsewhere_gives_a_proposal_with_its_cause(self) -> None:
        plan = pl.place(
            [request("a", queue=date(2026, 1, 1), wished_centres=("c-s",))],
            [centre("c-n", NORTH), centre("c-s", SOUTH)],
        )
        (proposal,) = plan.proposals
        assert proposal.cause is pl.CrossDistrictCause.WISH

    def test_dv_8_the_routines_flow_from_proposal_to_placement_in_the_new_district(self) -> None:
        state = dv_record(
            dv_received(at(2026, 3, 2, 10)),
            dv.AssignmentReviewed(case="DV-100", at=at(2026, 3, 2, 11), actor=RECEIVER),
            dv.ProposeOtherDistrict(
                case="DV-100",
                at=at(2026, 3, 3, 10),
                actor=RECEIVER,
                district="Söder",
                centre="c-s",
                cause=pl.CrossDistrictCause.NO_PLACE,
            ),
            dv.AskSocialWorkerToSend(case="DV-100", at=at(2026, 3, 3, 11), actor=RECEIVER),
        )
        asks = [a for a in dv.required_actions(state) if a.requirement == "DV-8"]
        assert asks
        assert any(Role.SOCIAL_WORKER in a.roles for a in asks)
        # only the social worker sends it over
        with pytest.raises(NotPermitted):
            dv.decide(
                dv.SendToOtherDistrict(case="DV-100", at=at(2026, 3, 4, 10), actor=RECEIVER), state
            )
        sent = dv_record(
            dv.SendToOtherDistrict(case="DV-100", at=at(2026, 3, 4, 10), actor=SOCIAL_WORKER),
            state=state,
        )
        # the new district reviews it as an incoming assignment (DV-5) and places as usual
        assert ("DV-5", DeviationKind.MISSING) in dv_found(sent, at(2026, 3, 6, 0, 0, ss=1))
        placed = dv_record(
            dv.AssignmentReviewed(
                case="DV-100", at=at(2026, 3, 4, 14), actor=Actor("r-s1", Role.ASSIGNMENT_RECEIVER)
            ),
            dv.AssignmentPlaced(
                case="DV-100",
                at=at(2026, 3, 5, 10),
                actor=Actor("r-s1", Role.ASSIGNMENT_RECEIVER),
                centre="c-s",
                weekdays=(WD.MONDAY, WD.TUESDAY),
            ),
            state=sent,
        )
        assert dv.occupancy_of(
            [
                dv_received(at(2026, 3, 2, 10)),
                dv.AssignmentPlaced(
                    case="DV-100",
                    at=at(2026, 3, 5, 10),
                    actor=RECEIVER,
                    centre="c-s",
                    weekdays=(WD.MONDAY, WD.TUESDAY),
                ),
            ]
        ) == {"c-s": (1, 1, 0, 0, 0)}
        assert not {f for f in dv_found(placed, at(2026, 3, 10)) if f[0] == "DV-5"}

    def test_dv_8_a_proposal_in_the_own_district_is_refused(self) -> None:
        state = dv_record(
            dv_received(at(2026, 3, 2, 10)),
            dv.AssignmentReviewed(case="DV-100", at=at(2026, 3, 2, 11), actor=RECEIVER),
        )
        with pytest.raises((ForbiddenStep, InvalidInput)):
            dv.decide(
                dv.ProposeOtherDistrict(
                    case="DV-100",
                    at=at(2026, 3, 3, 10),
                    actor=RECEIVER,
                    district="Norr",
                    cause=pl.CrossDistrictCause.WISH,
                ),
                state,
            )


# =========================================================================== X-6, the IVO report


def dv_decision(
    decided: date,
    *,
    case: str = "DV-200",
    basis: LegalBasis = LegalBasis.SOL,
    sex: Sex = Sex.FEMALE,
    received: datetime | None = None,
) -> dv.AssignmentReceived:
    when = received or datetime.combine(decided, datetime.min.time(), tzinfo=STHLM) + timedelta(
        hours=13
    )
    return dv.AssignmentReceived(
        case=case,
        at=when,
        actor=SOCIAL_WORKER,
        district="Norr",
        orientation=pl.Orientation.SOCIAL,
        days=2,
        queue_date=decided,
        decided_on=decided,
        legal_basis=basis,
        sex=sex,
        born=date(1941, 5, 17),
    )


def dv_started(case: str, when: datetime) -> list[dv.DayActivityEvent]:
    """The steps from review to the start at the centre (the execution), DV-1."""
    return [
        dv.AssignmentReviewed(case=case, at=when - timedelta(days=2), actor=RECEIVER),
        dv.AssignmentPlaced(
            case=case,
            at=when - timedelta(days=1),
            actor=RECEIVER,
            centre="c1",
            weekdays=(WD.MONDAY, WD.TUESDAY),
        ),
        dv.ActivityStarted(case=case, at=when, actor=CENTRE_STAFF),
    ]


def ov_treated(case: str, decided: datetime, treated: datetime) -> list[ov.OutpatientCareEvent]:
    """An outpatient decision (SoL) through to the start of treatment (its execution)."""
    therapist = Actor("beh-1", Role.THERAPIST)
    return [
        ov.DecisionMade(
            case=case,
            at=decided,
            actor=SOCIAL_WORKER,
            intervention="samtalsstöd",
            legal_basis=LegalBasis.SOL,
            sex=Sex.MALE,
            born=date(1980, 2, 29),
        ),
        ov.UnitManagerInformed(case=case, at=decided + timedelta(hours=1), actor=SOCIAL_WORKER),
        ov.TherapistsAssigned(
            case=case, at=decided + timedelta(hours=2), actor=UNIT_MGR, therapists=("beh-1",)
        ),
        ov.SocialWorkerToldOfTherapists(case=case, at=decided + timedelta(hours=3), actor=UNIT_MGR),
        ov.AssignmentStarted(case=case, at=decided + timedelta(hours=4), actor=SOCIAL_WORKER),
        ov.MeetingBooked(
            case=case,
            at=decided + timedelta(hours=5),
            actor=therapist,
            meeting_at=treated - timedelta(days=1),
        ),
        ov.FirstMeetingHeld(
            case=case,
            at=treated - timedelta(days=1),
            actor=therapist,
            participants=(Role.THERAPIST, Role.SOCIAL_WORKER),
        ),
        ov.TreatmentStarted(case=case, at=treated, actor=therapist),
    ]


def statuses(events: Sequence[Event], quarter: str) -> list[tuple[str, ivo.ReportKind, ivo.Status]]:
    report = ivo.ivo_report(events, quarter=quarter)
    return [(row.case, row.kind, row.status) for row in report.rows]


class TestX6ThreeMonths:
    def test_x_6_a_decision_of_10_january_is_listed_for_q2_not_q1(self) -> None:
        events = [dv_decision(date(2026, 1, 10))]
        assert ivo.ivo_report(events, quarter="2026Q1").rows == ()
        (row,) = ivo.ivo_report(events, quarter="2026Q2").rows
        assert row.status is ivo.Status.NEW
        assert row.kind is ivo.ReportKind.NOT_EXECUTED
        assert row.decided_on == date(2026, 1, 10)
        assert row.days == (date(2026, 6, 30) - date(2026, 1, 10)).days
        assert row.intervention == "dagverksamhet"
        assert row.sex is Sex.FEMALE
        assert row.interrupted_on is None

    def test_x_6_listed_again_each_quarter_and_once_more_when_executed(self) -> None:
        events = [dv_decision(date(2026, 1, 10)), *dv_started("DV-200", at(2026, 8, 17, 10))]
        assert statuses(events, "2026Q1") == []
        assert statuses(events, "2026Q2") == [
            ("DV-200", ivo.ReportKind.NOT_EXECUTED, ivo.Status.NEW)
        ]
        (row,) = ivo.ivo_report(events, quarter="2026Q3").rows
        assert row.status is ivo.Status.EXECUTED
        assert row.closed_on == date(2026, 8, 17)
        assert statuses(events, "2026Q4") == []

    def test_x_6_still_not_executed_in_later_quarters_and_across_the_year(self) -> None:
        events = [dv_decision(date(2026, 1, 10))]
        for quarter in ("2026Q3", "2026Q4", "2027Q1"):
            assert statuses(events, quarter) == [
                ("DV-200", ivo.ReportKind.NOT_EXECUTED, ivo.Status.STILL_NOT_EXECUTED)
            ]

    def test_x_6_executed_on_the_last_day_of_three_months_is_in_time(self) -> None:
        in_time = [dv_decision(date(2026, 1, 10)), *dv_started("DV-200", at(2026, 4, 10, 10))]
        assert statuses(in_time, "2026Q2") == []
        late = [dv_decision(date(2026, 1, 10)), *dv_started("DV-200", at(2026, 4, 11, 10))]
        assert statuses(late, "2026Q2") == [
            ("DV-200", ivo.ReportKind.NOT_EXECUTED, ivo.Status.EXECUTED)
        ]

    @pytest.mark.parametrize(
        ("decided", "first_quarter"),
        [
            (date(2025, 11, 30), "2026Q1"),  # three months end 2026-02-28 (clamped)
            (date(2025, 12, 31), "2026Q1"),  # three months end 2026-03-31, the quarter's last day
            (date(2026, 1, 1), "2026Q2"),  # three months end 2026-04-01
            (date(2026, 3, 31), "2026Q2"),  # three months end 2026-06-30
            (date(2026, 4, 1), "2026Q3"),  # three months end 2026-07-01
        ],
    )
    def test_x_6_three_calendar_months_with_month_end_clamping(
        self, decided: date, first_quarter: str
    ) -> None:
        events = [dv_decision(decided)]
        first = ivo.Quarter.parse(first_quarter)
        before = first.previous
        assert before is not None
        assert statuses(events, str(before.year) + "Q" + str(before.number)) == []
        assert statuses(events, first_quarter) == [
            ("DV-200", ivo.ReportKind.NOT_EXECUTED, ivo.Status.NEW)
        ]

    def test_x_6_ended_before_executed_is_listed_once_as_ended(self) -> None:
        events = [
            dv_decision(date(2026, 1, 10)),
            dv.AssignmentEnded(
                case="DV-200", at=at(2026, 7, 2), actor=SOCIAL_WORKER, reason="behovet upphört"
            ),
        ]
        assert statuses(events, "2026Q2") == [
            ("DV-200", ivo.ReportKind.NOT_EXECUTED, ivo.Status.NEW)
        ]
        (row,) = ivo.ivo_report(events, quarter="2026Q3").rows
        assert row.status is ivo.Status.ENDED
        assert row.closed_on == date(2026, 7, 2)
        assert statuses(events, "2026Q4") == []

    def test_x_6_the_same_events_in_any_order_give_the_same_report(self) -> None:
        events: list[Event] = [
            dv_decision(date(2026, 1, 10)),
            dv_decision(date(2026, 2, 3), case="DV-201", sex=Sex.MALE),
            *dv_started("DV-201", at(2026, 6, 10, 10)),
        ]
        assert ivo.ivo_report(events, quarter="2026Q2") == ivo.ivo_report(
            list(reversed(events)), quarter="2026Q2"
        )

    def test_x_6_known_then_a_later_recorded_start_does_not_change_an_earlier_report(self) -> None:
        started = dv_started("DV-200", at(2026, 6, 1, 10))
        late_start = dv.ActivityStarted(
            case="DV-200", at=at(2026, 6, 1, 10), recorded_at=at(2026, 7, 15), actor=CENTRE_STAFF
        )
        events = [dv_decision(date(2026, 1, 10)), *started[:2], late_start]
        as_known = ivo.ivo_report(events, quarter="2026Q2", as_of=at(2026, 7, 1))
        assert [row.status for row in as_known.rows] == [ivo.Status.NEW]
        later = ivo.ivo_report(events, quarter="2026Q2", as_of=at(2026, 8, 1))
        assert [row.status for row in later.rows] == [ivo.Status.EXECUTED]


class TestX6Interruptions:
    def test_x_6_an_interruption_on_20_january_not_resumed_is_listed_for_q2_with_its_date(
        self,
    ) -> None:
        events: list[Event] = [
            *ov_treated("ÖV-1", at(2025, 11, 3), at(2025, 12, 1)),
            ov.TreatmentInterrupted(
                case="ÖV-1",
                at=at(2026, 1, 20),
                actor=Actor("beh-1", Role.THERAPIST),
                reason="sjukhusvistelse",
            ),
        ]
        assert statuses(events, "2026Q1") == []
        (row,) = ivo.ivo_report(events, quarter="2026Q2").rows
        assert row.kind is ivo.ReportKind.INTERRUPTED
        assert row.interrupted_on == date(2026, 1, 20)
        assert row.status is ivo.Status.NEW
        assert "sjukhusvistelse" in row.reason

    def test_x_6_an_interruption_resumed_within_three_months_is_not_listed(self) -> None:
        therapist = Actor("beh-1", Role.THERAPIST)
        events: list[Event] = [
            *ov_treated("ÖV-1", at(2025, 11, 3), at(2025, 12, 1)),
            ov.TreatmentInterrupted(case="ÖV-1", at=at(2026, 1, 20), actor=therapist),
            ov.TreatmentResumed(case="ÖV-1", at=at(2026, 4, 20), actor=therapist),
        ]
        assert statuses(events, "2026Q2") == []

    def test_x_6_an_interruption_resumed_late_is_listed_once_more_as_executed(self) -> None:
        therapist = Actor("beh-1", Role.THERAPIST)
        events: list[Event] = [
            *ov_treated("ÖV-1", at(2025, 11, 3), at(2025, 12, 1)),
            ov.TreatmentInterrupted(case="ÖV-1", at=at(2026, 1, 20), actor=therapist),
            ov.TreatmentResumed(case="ÖV-1", at=at(2026, 5, 4), actor=therapist),
        ]
        (row,) = ivo.ivo_report(events, quarter="2026Q2").rows
        assert row.kind is ivo.ReportKind.INTERRUPTED
        assert row.status is ivo.Status.EXECUTED
        assert row.closed_on == date(2026, 5, 4)
        assert statuses(events, "2026Q3") == []


class TestX6NeverHealthcare:
    def test_x_6_an_hc_case_never_appears(self) -> None:
        events: list[Event] = [
            hc.PlacedOnFictiveResource(
                case="HC-9",
                at=at(2025, 6, 1),
                actor=LEADER,
                resource="Kö",
                intervention="utredning",
                triage=1,
            ),
            hc_allocated(at(2025, 6, 2), case="HC-9"),
            up_sent(at(2025, 6, 2), case="UP-9"),
        ]
        for quarter in ("2025Q3", "2025Q4", "2026Q1", "2026Q2"):
            report = ivo.ivo_report(events, quarter=quarter)
            assert report.rows == ()
            assert report.not_judged == ()
            assert "HC" not in report.routines
        assert hc.PATIENT_ALLOCATION.social_services is False


class TestX6LegalReference:
    @pytest.mark.parametrize(
        ("quarter", "act"),
        [
            ("2025Q2", "socialtjänstlagen (2001:453)"),
            ("2025Q3", "socialtjänstlagen (2025:400)"),
            ("2026Q2", "socialtjänstlagen (2025:400)"),
        ],
    )
    def test_x_6_the_reference_in_force_on_the_quarters_last_day(
        self, quarter: str, act: str
    ) -> None:
        decided = ivo.Quarter.parse(quarter).first_day - timedelta(days=100)
        (row,) = ivo.ivo_report([dv_decision(decided)], quarter=quarter).rows
        assert row.legal_reference is not None
        assert act in row.legal_reference

    def test_x_6_the_old_section_until_30_june_2025_and_the_new_act_from_1_july(self) -> None:
        old = ivo.legal_reference(LegalBasis.SOL, date(2025, 6, 30))
        new = ivo.legal_reference(LegalBasis.SOL, date(2025, 7, 1))
        assert old is not None
        assert new is not None
        assert old.cite() == "16 kap. 6 f § socialtjänstlagen (2001:453)"
        assert "2025:400" in new.cite()
        assert new.confirmed is False or new.section is not None

    def test_x_6_lss_decisions_carry_the_lss_reference(self) -> None:
        (row,) = ivo.ivo_report(
            [dv_decision(date(2026, 1, 10), basis=LegalBasis.LSS)], quarter="2026Q2"
        ).rows
        assert row.legal_basis is LegalBasis.LSS
        assert row.legal_reference is not None
        assert "1993:387" in row.legal_reference


class TestX6RowsAndInput:
    def test_x_6_x_7_the_individual_is_never_a_personal_identity_number(self) -> None:
        (row,) = ivo.ivo_report([dv_decision(date(2026, 1, 10))], quarter="2026Q2").rows
        assert row.individual is not None
        assert row.individual.startswith("19410517-T")
        middle = int(row.individual[-2])
        assert middle % 2 == 0  # a woman: even
        (again,) = ivo.ivo_report([dv_decision(date(2026, 1, 10))], quarter="2026Q3").rows
        assert again.individual == row.individual

    def test_x_6_a_decision_without_its_date_is_not_judged_never_guessed(self) -> None:
        undated = dv.AssignmentReceived(
            case="DV-300",
            at=at(2026, 1, 10),
            actor=SOCIAL_WORKER,
            district="Norr",
            orientation=pl.Orientation.SOCIAL,
            days=1,
            queue_date=date(2025, 1, 1),
        )
        report = ivo.ivo_report([undated], quarter="2026Q2")
        assert report.rows == ()
        assert [item.case for item in report.not_judged] == ["DV-300"]

    @pytest.mark.parametrize("bad", ["2026Q5", "2026", "Q1-2026", "", 2026])
    def test_x_6_a_quarter_that_cannot_be_read_is_a_typed_error_saying_what_is_accepted(
        self, bad: object
    ) -> None:
        with pytest.raises(InvalidInput) as refused:
            ivo.ivo_report([], quarter=bad)  # type: ignore[arg-type]
        assert "2026Q1" in str(refused.value) or "YYYYQn" in str(refused.value)

    def test_x_6_a_naive_as_of_is_a_typed_error(self) -> None:
        with pytest.raises(InvalidInput):
            ivo.ivo_report([], quarter="2026Q1", as_of=datetime(2026, 3, 31, 12))

    def test_x_6_council_counts_are_anonymised_women_and_men(self) -> None:
        events = [
            dv_decision(date(2026, 1, 10)),
            dv_decision(date(2026, 1, 12), case="DV-201", sex=Sex.MALE),
            dv_decision(date(2026, 1, 14), case="DV-202", sex=Sex.MALE),
        ]
        report = ivo.ivo_report(events, quarter="2026Q2")
        (count,) = [c for c in report.council() if c.kind is ivo.ReportKind.NOT_EXECUTED]
        assert (count.number, count.women, count.men) == (3, 1, 2)


class TestX6Outputs:
    def _interrupted(self, reason: str) -> list[Event]:
        return [
            *ov_treated("ÖV-1", at(2025, 11, 3), at(2025, 12, 1)),
            ov.TreatmentInterrupted(
                case="ÖV-1", at=at(2026, 1, 20), actor=Actor("beh-1", Role.THERAPIST), reason=reason
            ),
        ]

    def test_x_6_the_page_escapes_every_text_it_shows(self) -> None:
        page = ivo.ivo_report(
            self._interrupted('<script>alert("x")</script>'), quarter="2026Q2"
        ).to_html("sv")
        assert "<script>" not in page
        assert "&lt;script&gt;" in page

    def test_x_6_csv_has_the_row_with_its_swedish_header(self) -> None:
        text = ivo.ivo_report(self._interrupted("sjukhusvistelse"), quarter="2026Q2").to_csv("sv")
        header, row, *rest = text.splitlines()
        assert header.split(",")[:5] == ["ärende", "rutin", "individ", "kön", "beslutsdatum"]
        assert "2026-01-20" in row
        assert "avbrott i verkställigheten" in row
        assert rest == []

    def test_x_6_the_english_rows_cite_the_unconfirmed_section_in_english(self) -> None:
        report = ivo.ivo_report(self._interrupted("sjukhusvistelse"), quarter="2026Q2")
        (sv,) = report.records("sv")
        (en,) = report.records("en")
        assert sv["legal_reference"] == "socialtjänstlagen (2025:400), paragraf ej bekräftad"
        assert en["legal_reference"] == "socialtjänstlagen (2025:400), section not confirmed"
        assert "paragraf" not in report.to_csv("en")
        assert "paragraf ej bekräftad" not in report.to_json("en")


class TestDV9Measures:
    def _rows(self, seed: int) -> list[sim.Row]:
        centres = [
            centre("c-n1", NORTH, places=3),
            centre("c-n2", NORTH, orientation=pl.Orientation.SOCIAL, places=3),
            centre("c-s1", SOUTH, places=2),
            centre("c-s2", SOUTH, orientation=pl.Orientation.SOCIAL, places=2),
        ]
        policies = {
            "routine": pl.PlacementPolicy(),
            "no-cross": pl.PlacementPolicy(cross_district=False),
        }
        return sim.simulate(
            centres, policies, weeks=8, seed=seed, arrivals_per_week=3, mean_stay_weeks=6
        )

    def test_dv_9_policies_compared_on_the_same_arrivals_by_the_purposes_measures(self) -> None:
        rows = self._rows(7)
        assert len(rows) == 2 * 8
        assert {row["policy"] for row in rows} == {"routine", "no-cross"}
        by_week: dict[int, set[int]] = {}
        for row in rows:
            by_week.setdefault(row["week"], set()).add(row["arrivals"])
            assert 0.0 <= row["utilisation"] <= 1.0
            assert 0.0 <= row["wishes_met"] <= 1.0
            assert row["district_spread_days"] >= 0
            assert row["longest_queue_days"] >= row["mean_queue_days"] >= 0
        assert all(
            len(arrivals) == 1 for arrivals in by_week.values()
        )  # the same arrivals for both

    def test_dv_9_the_same_seed_gives_the_same_rows(self) -> None:
        assert self._rows(7) == self._rows(7)


class TestHC1And2OneResourceAndTheQueue:
    def test_hc_1_one_resource_at_a_time_fictive_then_actual_then_fictive_again(self) -> None:
        placed = hc_record(
            hc.PlacedOnFictiveResource(
                case="HC-100",
                at=at(2026, 3, 1),
                actor=LEADER,
                resource="Kö utredning",
                intervention="utredning",
                triage=2,
            )
        )
        assert isinstance(placed.resource, hc.FictiveResource)
        allocated = hc_record(
            hc.StaffMemberContacted(
                case="HC-100", at=at(2026, 3, 2, 8), actor=LEADER, staff_id="sm-1"
            ),
            hc_allocated(at(2026, 3, 2)),
            state=placed,
        )
        assert isinstance(allocated.resource, hc.ActualResource)
        back = hc_record(
            hc_offer(at(2026, 3, 3)),
            hc.BothTimesDeclined(case="HC-100", at=at(2026, 3, 3, 11), actor=STAFF),
            hc.PlacedOnFictiveResource(
                case="HC-100",
                at=at(2026, 3, 4),
                actor=LEADER,
                resource="Kö utredning",
                intervention="utredning",
                triage=2,
            ),
            state=allocated,
        )
        assert isinstance(back.resource, hc.FictiveResource)

    def test_hc_2_patient_chosen_waiting_does_not_count_in_the_queue_by_default(self) -> None:
        def placed(case: str, when: datetime) -> hc.PlacedOnFictiveResource:
            return hc.PlacedOnFictiveResource(
                case=case, at=when, actor=LEADER, resource="Kö", intervention="utredning", triage=2
            )

        # A waited from 1 March, but chose to wait 3–13 March; B waited from 5 March
        events: list[Event] = [
            placed("A", at(2026, 3, 1)),
            hc.StaffMemberContacted(case="A", at=at(2026, 3, 2, 8), actor=LEADER, staff_id="sm-1"),
            hc_allocated(at(2026, 3, 2), case="A"),
            *hc.decide(
                hc_offer(at(2026, 3, 3, 8), case="A"),
                hc_record(
                    placed("A", at(2026, 3, 1)),
                    hc.StaffMemberContacted(
                        case="A", at=at(2026, 3, 2, 8), actor=LEADER, staff_id="sm-1"
                    ),
                    hc_allocated(at(2026, 3, 2), case="A"),
                ),
            ),
            hc.BothTimesDeclined(case="A", at=at(2026, 3, 3, 9), actor=STAFF),
            placed("A", at(2026, 3, 3, 10)),
            hc.PatientAvailableAgain(case="A", at=at(2026, 3, 13, 9), actor=ADMIN),
            placed("B", at(2026, 3, 5, 9)),
        ]
        as_of = at(2026, 3, 20, 9)
        assert [e.case for e in hc.queue(events, as_of=as_of)] == ["B", "A"]
        total = hc.PatientAllocationPolicy(
            queue=hc.QueueOrderPolicy(waiting=hc.WaitingMeasure.TOTAL)
        )
        assert [e.case for e in hc.queue(events, as_of=as_of, policy=total)] == ["A", "B"]


class TestHC13DeviationReport:
    def test_hc_13_a_deviation_carries_case_requirement_what_was_due_and_what_happened(
        self,
    ) -> None:
        state = hc_record(
            hc.StaffMemberContacted(
                case="HC-100", at=at(2026, 3, 2, 8), actor=LEADER, staff_id="sm-1"
            ),
            hc_allocated(at(2026, 3, 2)),
        )
        (missing,) = hc.deviations(state, as_of=at(2026, 3, 25))
        assert (missing.case, missing.routine, missing.requirement) == ("HC-100", "HC", "HC-5")
        assert missing.due_on == date(2026, 3, 23)
        assert "2026-03-23" in missing.explain("sv")
        assert "har inte skett" in missing.explain("sv")
        late_state = hc_record(hc_offer(at(2026, 3, 25)), state=state)
        (late,) = hc.deviations(late_state, as_of=at(2026, 3, 26))
        assert late.kind is DeviationKind.LATE
        assert late.happened_at == at(2026, 3, 25)
        assert "skedde 2026-03-25 09:00" in late.explain("sv")


PNR = "19121212-1212"


class TestX7NoIdentityNumbers:
    @pytest.mark.parametrize(
        "build",
        [
            lambda: hc_allocated(at(2026, 3, 2), staff="191212121212"),
            lambda: hc.CaseAllocated(
                case="HC-1",
                at=at(2026, 3, 2),
                actor=LEADER,
                staff_id="sm-1",
                title="Leg. psykolog",
                name=f"Anna {PNR}",
                intervention="utredning",
                occasion=hc.Occasion.OTHER,
            ),
            lambda: up.AssignmentClosed(
                case="UP-1", at=at(2026, 1, 20), actor=ASSESSOR, reason=f"pnr {PNR}"
            ),
            lambda: dv.AssignmentEnded(
                case="DV-1", at=at(2026, 1, 20), actor=RECEIVER, reason=f"pnr {PNR}"
            ),
            lambda: dv_received(at(2026, 3, 2), case="191212121212"),
        ],
    )
    def test_x_7_an_identity_number_is_refused_and_never_repeated(
        self, build: Callable[[], object]
    ) -> None:
        with pytest.raises(InvalidInput) as refused:
            build()
        message = str(refused.value)
        assert "X-7" in message
        assert "1212" not in message

    def test_x_6_x_7_the_report_never_shows_an_identity_number(self) -> None:
        report = ivo.ivo_report([dv_decision(date(2026, 1, 10))], quarter="2026Q2")
        for text in (report.to_csv(), report.to_json(), report.to_html(), repr(report)):
            assert "19410517-" not in text.replace("19410517-T", "")


class TestUP9And14Judged:
    def test_up_9_an_execution_registered_after_its_start_day_is_late(self) -> None:
        state = up_record(
            up_sent(at(2026, 3, 2), (IV.HOME_CARE,)),
            up.InterventionExecuted(
                case="UP-100",
                at=at(2026, 3, 10),
                actor=PROVIDER_ACTOR,
                intervention=IV.HOME_CARE,
                started_on=date(2026, 3, 4),
            ),
        )
        assert ("UP-9", DeviationKind.LATE) in up_found(state, at(2026, 3, 11))
        on_day = up_record(
            up_sent(at(2026, 3, 2), (IV.HOME_CARE,)),
            up.InterventionExecuted(
                case="UP-100",
                at=at(2026, 3, 4, 16),
                actor=PROVIDER_ACTOR,
                intervention=IV.HOME_CARE,
                started_on=date(2026, 3, 4),
            ),
        )
        assert not {f for f in up_found(on_day, at(2026, 3, 11)) if f[0] == "UP-9"}

    def _admitted(self, moment: datetime, actor: Actor) -> up.AssignmentDispatchState:
        return up_record(
            up_sent(at(2026, 3, 2)),
            up.AdmittedToHospital(case="UP-100", at=moment, actor=actor, stay="s1"),
        )

    def test_up_14_the_day_provider_tells_the_night_patrol_by_system_message_not_telephone(
        self,
    ) -> None:
        state = self._admitted(at(2026, 3, 10, 12), PROVIDER_ACTOR)

        def told(channel: Channel) -> set[tuple[str, DeviationKind]]:
            notice = up.NotificationSent(
                case="UP-100",
                at=at(2026, 3, 10, 13),
                actor=PROVIDER_ACTOR,
                subject=up.Subject.ADMISSION,
                recipient=up.Recipient.NIGHT_PATROL,
                channel=channel,
                stay="s1",
            )
            return {
                f
                for f in up_found(up_record(notice, state=state), at(2026, 3, 11))
                if f[0] == "UP-14"
            }

        assert told(Channel.SYSTEM_MESSAGE) == set()
        assert ("UP-14", DeviationKind.WRONG_CHANNEL) in told(Channel.TELEPHONE)

    def test_up_14_admitted_at_night_the_night_patrol_tells_the_day_provider(self) -> None:
        state = self._admitted(at(2026, 3, 10, 23, 30), NIGHT)
        (duty,) = [a for a in up.required_actions(state) if a.requirement == "UP-14"]
        assert duty.roles == (Role.NIGHT_PATROL,)
        assert duty.due == at(2026, 3, 11, 7, 0)
        with pytest.raises(NotPermitted):
            up.decide(
                up.NotificationSent(
                    case="UP-100",
                    at=at(2026, 3, 11, 6),
                    actor=PROVIDER_ACTOR,
                    subject=up.Subject.ADMISSION,
                    recipient=up.Recipient.PROVIDER,
                    channel=Channel.TELEPHONE,
                    stay="s1",
                ),
                state,
            )
        told = up_record(
            up.NotificationSent(
                case="UP-100",
                at=at(2026, 3, 11, 6),
                actor=NIGHT,
                subject=up.Subject.ADMISSION,
                recipient=up.Recipient.PROVIDER,
                channel=Channel.TELEPHONE,
                stay="s1",
            ),
            state=state,
        )
        assert not {f for f in up_found(told, at(2026, 3, 12)) if f[0] == "UP-14"}


_ORIENTATIONS = st.sampled_from(list(pl.Orientation))


class TestDV7Laws:
    @settings(derandomize=True, max_examples=150)
    @given(
        st.lists(
            st.tuples(st.integers(0, 40), st.integers(1, 5), _ORIENTATIONS), min_size=1, max_size=10
        ),
        st.lists(
            st.tuples(st.lists(st.integers(0, 2), min_size=5, max_size=5), _ORIENTATIONS),
            min_size=1,
            max_size=4,
        ),
    )
    def test_dv_7_hard_constraints_and_the_longer_queue_time_first(
        self,
        wanted: list[tuple[int, int, pl.Orientation]],
        offered: list[tuple[list[int], pl.Orientation]],
    ) -> None:
        centres = [
            centre(f"c{i}", orientation=orientation, places=tuple(places))
            for i, (places, orientation) in enumerate(offered)
        ]
        requests = [
            pl.PlacementRequest(
                id=f"r{i:02d}",
                district="Norr",
                orientation=orientation,
                days=days,
                queue_date=date(2026, 1, 1) + timedelta(days=offset),
            )
            for i, (offset, days, orientation) in enumerate(wanted)
        ]
        plan = pl.place(requests, centres, policy=pl.PlacementPolicy(cross_district=False))
        by_id = {r.id: r for r in requests}
        by_centre = {c.id: c for c in centres}
        taken: dict[str, list[int]] = {c.id: [0] * 5 for c in centres}
        for placed in plan.placements:
            request, where = by_id[placed.request], by_centre[placed.centre]
            assert where.orientation is request.orientation  # (a)
            assert (
                len(set(placed.days)) == len(placed.days) == request.days
            )  # (c): exactly the days granted
            for day in placed.days:
                taken[where.id][int(day)] += 1
        for ident, counts in taken.items():
            assert all(
                n <= cap for n, cap in zip(counts, by_centre[ident].places, strict=True)
            )  # never over
        placed_ids = {p.request for p in plan.placements}
        assert placed_ids | {u.request for u in plan.unplaced} == set(by_id)
        for waiting in (by_id[u.request] for u in plan.unplaced):
            for other in (by_id[i] for i in placed_ids):
                # a shorter queue time never takes a place the longer one could have had
                assert not (
                    other.orientation is waiting.orientation
                    and other.queue_date > waiting.queue_date
                    and other.days >= waiting.days
                ), (waiting, other)
