"""Conformance review C: policies over time, the rotation across cases, VAL's delays, the CLI.

Written from the routines' Swedish text (the seeds), the numbered spec and the issues
that built these parts, through the public API only, as an outside checker would:

* VAL-20 and X-4: every number of the routines is a named policy parameter with the
  routine's value as default; a caller changes it through a policy object; VAL's
  parameters carry a validity period, and a revision that comes into force in the
  middle of a case is applied as the docs say; bad policy values are typed errors;
* VAL-2 across several cases: the emergency and non-choice list's rotation over many
  abstaining customers, and ``turn_deviations`` (a turn skipped, a capped or paused
  provider passed over without losing its turn, providers joining and leaving);
* X-6 through VAL: the report to IVO of a VAL decision not executed, with the reason
  for the delay (VAL-8) and the decision's date, legal basis and sex;
* the command line end to end (``exempellogg``, ``granska``, ``ivo``, issue 18 and 20).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from arendefordelning import Actor, DeviationKind, Provider, ProviderKind, Role, ivo
from arendefordelning.cli import main
from arendefordelning.csvlog import dump_csv_events
from arendefordelning.deadlines import (
    QUARTER_HOUR,
    ExecutionDeadlinePolicy,
    FollowUpPolicy,
    ImplementationPlanPolicy,
    SummonPolicy,
    SwitchWindowPolicy,
    execution_deadline,
    next_follow_up_due,
    switch_window,
)
from arendefordelning.errors import InvalidInput
from arendefordelning.eventlog import dump_events, load_events
from arendefordelning.identity import Sex
from arendefordelning.kernel import LegalBasis
from arendefordelning.routines import outpatient_care as ov
from arendefordelning.routines import patient_allocation as hc
from arendefordelning.routines import placement as pl
from arendefordelning.routines import provider_choice as val

STHLM = ZoneInfo("Europe/Stockholm")
ASSESSOR = Actor("bh-1", Role.NEEDS_ASSESSOR)
PROVIDER = Actor("ut-1", Role.PROVIDER)
INCOMING = Actor("ut-2", Role.PROVIDER)
NORR = Provider("Hemtjänst Norr")
SODER = Provider("Omsorg Söder")


def at(y: int, m: int, d: int, hh: int = 9, mm: int = 0, *, ss: int = 0) -> datetime:
    """A Stockholm wall-clock moment."""
    return datetime(y, m, d, hh, mm, ss, tzinfo=STHLM)


Policies = val.ProviderChoicePolicy | list[val.ProviderChoicePolicy] | None


def record(
    history: list[val.ProviderChoiceEvent],
    request: val.ProviderChoiceEvent | val.ProviderChoiceCommand,
    policy: Policies = None,
) -> list[val.ProviderChoiceEvent]:
    """Decide ``request`` on the case so far and append what it records."""
    state = val.replay(history, policy=policy)
    history += val.decide(request, state, policy=policy)
    return history


# =========================================================================== X-4 defaults


def test_x4_the_defaults_are_the_routines_numbers() -> None:
    """X-4: 14:00, 07:00, 24 hours, three weeks, 7–14 days, three months, a quarter hour,
    two offered times and two receivers per district are the defaults."""
    execution = ExecutionDeadlinePolicy()
    assert (execution.cutoff, execution.next_day_start) == (time(14, 0), time(7, 0))
    assert execution.window == timedelta(hours=24)
    assert SummonPolicy().period == timedelta(weeks=3)  # HC-5
    assert ImplementationPlanPolicy().period == timedelta(weeks=3)  # OV-8
    switch = SwitchWindowPolicy()
    assert (switch.earliest, switch.latest) == (timedelta(days=7), timedelta(days=14))
    assert FollowUpPolicy().months == 3  # OV-9
    assert QUARTER_HOUR == 15  # UP-3
    assert hc.PatientAllocationPolicy().offered_times == 2  # HC-7
    assert pl.MIN_RECEIVERS == 2  # DV-2
    # The routines' policies hold the deadline policies with the same defaults.
    assert val.ProviderChoicePolicy().execution == ExecutionDeadlinePolicy()
    assert val.ProviderChoicePolicy().switch == SwitchWindowPolicy()
    assert ov.OutpatientCarePolicy().follow_up == FollowUpPolicy()
    assert ov.OutpatientCarePolicy().implementation_plan == ImplementationPlanPolicy()
    assert hc.PatientAllocationPolicy().summon == SummonPolicy()


def test_val20_the_default_policy_is_the_routine_of_2016_in_force_from_2017() -> None:
    """VAL-20: the seed was decided 2016-12-12, in force from 2017-01-01, revised yearly."""
    policy = val.ProviderChoicePolicy()
    assert policy.valid_from == date(2017, 1, 1)
    assert policy.valid_until is None
    assert policy.revision_due == date(2018, 1, 1)
    assert policy.in_force(date(2017, 1, 1))
    assert not policy.in_force(date(2016, 12, 31))


def test_x4_a_caller_changes_the_cutoff_through_a_policy_object() -> None:
    """X-4, VAL-6: a municipality with a 15:00 cut-off passes a policy; 14:30 is then in time."""
    history = record([], val.ChoiceRegistered(
        case="K-1", at=at(2026, 3, 4, 9), actor=ASSESSOR, provider=NORR,
        form=val.ChoiceForm.WRITTEN))  # fmt: skip
    record(history, val.DistributeAssignment(case="K-1", at=at(2026, 3, 4, 14, 30), actor=ASSESSOR))
    state = val.replay(history)
    default = val.execution_deadline_of(state)
    assert default is not None
    assert default.due == at(2026, 3, 6, 7)
    fifteen = val.ProviderChoicePolicy(execution=ExecutionDeadlinePolicy(cutoff=time(15, 0)))
    changed = val.execution_deadline_of(state, policy=fifteen)
    assert changed is not None
    assert changed.due == at(2026, 3, 5, 14, 30)
    # The deviations and the required action read the same policy.
    [action] = [a for a in val.required_actions(state, policy=fifteen) if a.requirement == "VAL-6"]
    assert action.due == at(2026, 3, 5, 14, 30)
    [late] = val.deviations(state, as_of=at(2026, 3, 5, 15), policy=fifteen)
    assert (late.requirement, late.kind) == ("VAL-6", DeviationKind.MISSING)
    assert val.deviations(state, as_of=at(2026, 3, 5, 15)) == []


def test_x4_the_other_numbers_change_through_policy_objects() -> None:
    """X-4: three weeks, 7–14 days, three months and two offered times are each a field."""
    start = at(2026, 3, 2, 10)
    assert switch_window(start, start, policy=SwitchWindowPolicy(
        earliest=timedelta(days=5), latest=timedelta(days=10))) == (
        date(2026, 3, 7), date(2026, 3, 12))  # fmt: skip
    assert switch_window(start, start) == (date(2026, 3, 9), date(2026, 3, 16))
    assert next_follow_up_due(date(2026, 1, 15)) == date(2026, 4, 15)
    assert next_follow_up_due(date(2026, 1, 15), policy=FollowUpPolicy(months=2)) == date(
        2026,
        3,
        16,  # 15 March is a Sunday: rolled forward to Monday
    )
    assert hc.PatientAllocationPolicy(offered_times=3).offered_times == 3
    late = ExecutionDeadlinePolicy(next_day_start=time(8, 0), window=timedelta(hours=48))
    due = execution_deadline(at(2026, 3, 4, 14, 0, ss=1), policy=late)
    assert due.due == at(2026, 3, 7, 8)


@pytest.mark.parametrize(
    ("build", "accepted"),
    [
        (lambda: ExecutionDeadlinePolicy(window=timedelta(0)), "window"),
        (lambda: ExecutionDeadlinePolicy(cutoff="14:00"), "cutoff"),  # type: ignore[arg-type]
        (lambda: SwitchWindowPolicy(earliest=timedelta(days=15)), "earliest"),
        (lambda: SwitchWindowPolicy(latest=timedelta(hours=36)), "latest"),
        (lambda: FollowUpPolicy(months=0), "months"),
        (lambda: SummonPolicy(period=timedelta(days=-1)), "period"),
        (lambda: hc.PatientAllocationPolicy(offered_times=0), "offered_times"),
        (lambda: val.ProviderChoicePolicy(revision_interval=relativedelta(years=6)), "revision"),
        (lambda: val.ProviderChoicePolicy(same_time=timedelta(hours=25)), "same_time"),
        (
            lambda: val.ProviderChoicePolicy(
                valid_from=date(2026, 4, 1), valid_until=date(2026, 3, 31)
            ),
            "valid_until",
        ),
        (lambda: val.ProviderChoicePolicy(valid_from="2026-04-01"), "valid_from"),  # type: ignore[arg-type]
    ],
)
def test_x4_a_bad_policy_value_is_a_typed_error_naming_what_is_accepted(
    build: object, accepted: str
) -> None:
    """X-4: a bad value of any policy field is InvalidInput, naming the field."""
    with pytest.raises(InvalidInput) as raised:
        build()  # type: ignore[operator]
    assert accepted in str(raised.value)


# =========================================================================== VAL-20 over time

OLD = val.ProviderChoicePolicy(valid_from=date(2025, 4, 1), valid_until=date(2026, 3, 31))
NEW = val.ProviderChoicePolicy(
    valid_from=date(2026, 4, 1),
    execution=ExecutionDeadlinePolicy(cutoff=time(15, 0)),
    switch=SwitchWindowPolicy(earliest=timedelta(days=5), latest=timedelta(days=10)),
)
REVISIONS = [OLD, NEW]


def test_val20_the_revision_in_force_is_chosen_by_the_day() -> None:
    """VAL-20: of a municipality's revisions, the one whose validity period holds the day."""
    assert val.policy_in_force(REVISIONS, date(2026, 3, 31)) is OLD
    assert val.policy_in_force(REVISIONS, at(2026, 4, 1, 0, 0)) is NEW
    # The Stockholm day counts: 31 March 23:30 in Stockholm is 21:30 UTC, still OLD.
    assert val.policy_in_force(REVISIONS, at(2026, 3, 31, 23, 30)) is OLD
    with pytest.raises(InvalidInput, match="exactly one revision"):
        val.policy_in_force(REVISIONS, date(2025, 3, 31))
    overlapping = [OLD, val.ProviderChoicePolicy(valid_from=date(2026, 3, 1))]
    with pytest.raises(InvalidInput, match="do not overlap"):
        val.policy_in_force(overlapping, date(2026, 3, 15))


def test_val20_a_step_under_one_policy_not_in_force_is_refused_naming_what_to_pass() -> None:
    """VAL-20: one policy given must be in force when the step happened; nothing recorded."""
    choice = val.ChoiceRegistered(
        case="K-2", at=at(2026, 4, 2), actor=ASSESSOR, provider=NORR, form=val.ChoiceForm.ORAL
    )
    with pytest.raises(InvalidInput, match="revisions as a list"):
        val.decide(choice, val.initial_state, policy=OLD)
    assert val.decide(choice, val.initial_state, policy=REVISIONS) == [choice]


def test_val20_val6_a_revision_between_choice_and_distribution_counts_from_the_choice() -> None:
    """VAL-20, VAL-6: the execution deadline is judged by the policy in force when the
    choice was registered (execution_deadline_of's documented reading), everywhere alike."""
    history = record([], val.ChoiceRegistered(
        case="K-3", at=at(2026, 3, 31, 10), actor=ASSESSOR, provider=NORR,
        form=val.ChoiceForm.WRITTEN), REVISIONS)  # fmt: skip
    record(history, val.DistributeAssignment(
        case="K-3", at=at(2026, 4, 1, 14, 30), actor=ASSESSOR), REVISIONS)  # fmt: skip
    state = val.replay(history, policy=REVISIONS)
    deadline = val.execution_deadline_of(state, policy=REVISIONS)
    assert deadline is not None
    assert deadline.due == at(2026, 4, 3, 7)  # OLD's 14:00 cut-off: Thu 07:00 + 24 h
    assert deadline.policy == OLD.execution
    [action] = [
        a for a in val.required_actions(state, policy=REVISIONS) if a.requirement == "VAL-6"
    ]
    assert action.due == deadline.due
    assert val.deviations(state, as_of=at(2026, 4, 3, 6, 59), policy=REVISIONS) == []
    [missing] = val.deviations(state, as_of=at(2026, 4, 3, 7, 0, ss=1), policy=REVISIONS)
    assert (missing.requirement, missing.due) == ("VAL-6", deadline.due)


def test_val20_a_choice_under_the_new_revision_uses_its_cutoff() -> None:
    """VAL-20, VAL-6: a case begun after the revision is judged by the new numbers."""
    history = record([], val.ChoiceRegistered(
        case="K-4", at=at(2026, 4, 1, 10), actor=ASSESSOR, provider=NORR,
        form=val.ChoiceForm.WRITTEN), REVISIONS)  # fmt: skip
    record(history, val.DistributeAssignment(
        case="K-4", at=at(2026, 4, 1, 15, 0), actor=ASSESSOR), REVISIONS)  # fmt: skip
    state = val.replay(history, policy=REVISIONS)
    deadline = val.execution_deadline_of(state, policy=REVISIONS)
    assert deadline is not None
    assert deadline.due == at(2026, 4, 2, 15)


def _rechoice_notified(policy: Policies) -> list[val.ProviderChoiceEvent]:
    """A case executed in March 2026, re-chosen on 31 March, both notified at 10:05."""
    history = record([], val.ChoiceRegistered(
        case="K-5", at=at(2026, 3, 2, 9), actor=ASSESSOR, provider=NORR,
        form=val.ChoiceForm.WRITTEN), policy)  # fmt: skip
    record(
        history, val.DistributeAssignment(case="K-5", at=at(2026, 3, 2, 10), actor=ASSESSOR), policy
    )
    record(history, val.ExecutionStarted(case="K-5", at=at(2026, 3, 2, 16), actor=PROVIDER), policy)
    record(history, val.RegisterRechoice(
        case="K-5", at=at(2026, 3, 31, 10), actor=ASSESSOR, incoming=SODER,
        form=val.ChoiceForm.ORAL), policy)  # fmt: skip
    for kind in (val.OutgoingProviderNotified, val.IncomingProviderNotified):
        record(history, kind(
            case="K-5", at=at(2026, 3, 31, 10, 5), actor=ASSESSOR,
            channel=val.ContactChannel.SYSTEM), policy)  # fmt: skip
    return history


def test_val20_val18_the_switch_window_of_a_rechoice_is_by_the_policy_in_force_then() -> None:
    """VAL-20, VAL-18: a re-choice notified under OLD has OLD's 7–14 days."""
    state = val.replay(_rechoice_notified(REVISIONS), policy=REVISIONS)
    assert val.switch_window_of(state, policy=REVISIONS) == (date(2026, 4, 7), date(2026, 4, 14))


def _takeover_reported_on(day: date, takeover: date) -> list[val.ProviderChoiceEvent]:
    history = _rechoice_notified(REVISIONS)
    record(history, val.TakeoverDateReported(
        case="K-5", at=at(day.year, day.month, day.day, 11), actor=INCOMING,
        takeover=takeover), REVISIONS)  # fmt: skip
    return history


def test_val20_val18_the_window_and_its_deviation_agree_across_a_revision() -> None:
    """VAL-20, VAL-18: a takeover on day 6 is outside OLD's window whoever judges it."""
    history = _takeover_reported_on(date(2026, 4, 2), date(2026, 4, 6))
    state = val.replay(history, policy=REVISIONS)
    window = val.switch_window_of(state, policy=REVISIONS)
    assert window is not None
    assert not window[0] <= date(2026, 4, 6) <= window[1]
    found = val.deviations(state, as_of=at(2026, 5, 1), policy=REVISIONS)
    assert [d.kind for d in found if d.requirement == "VAL-18"] == [DeviationKind.OUTSIDE_WINDOW]


def test_val18_outside_the_window_is_recorded_then_judged_with_its_dates() -> None:
    """VAL-18: a takeover on day 15 is recorded, and the deviation names both dates."""
    history = _takeover_reported_on(date(2026, 3, 31), date(2026, 4, 15))
    state = val.replay(history, policy=REVISIONS)
    [outside] = [
        d for d in val.deviations(state, as_of=at(2026, 5, 1), policy=REVISIONS)
        if d.requirement == "VAL-18"
    ]  # fmt: skip
    assert outside.kind is DeviationKind.OUTSIDE_WINDOW
    assert (outside.due_on, outside.happened_on) == (date(2026, 4, 14), date(2026, 4, 15))
    assert outside.detail_sv == "övertagande 2026-04-15, utanför fönstret 2026-04-07–2026-04-14"


# =========================================================================== VAL-2 across cases

A, B, C, D = (
    Provider(name) for name in ("Alfa Omsorg", "Bästa Hemtjänst", "Care i Centrum", "Dala Vård")
)
AREA = "Norr"


def joined(*providers: Provider, on: date = date(2026, 1, 1)) -> list[val.ProviderChoiceEvent]:
    """The list's record: each provider joins the area's list on ``on``."""
    return [
        val.ProviderJoinedList(case="lista-norr", at=at(2025, 12, 15, 8), actor=ASSESSOR,
                               area=AREA, provider=p, on=on)
        for p in providers
    ]  # fmt: skip


def abstain(events: list[val.ProviderChoiceEvent], case: str, when: datetime) -> Provider:
    """A customer abstains: the routine takes the provider next in turn from the record."""
    request = val.RegisterAbstention(
        case=case, at=when, actor=ASSESSOR, rotation=val.rotation_of(events, AREA)
    )
    [event] = val.decide(request, val.initial_state)
    assert isinstance(event, val.AbstentionRegistered)
    events.append(event)
    return event.provider


def test_val2_abstainers_get_the_providers_in_alphabetical_turn() -> None:
    """VAL-2: providers in a fixed (alphabetical) order, taken in order of decision time."""
    events = joined(C, A, B)
    got = [abstain(events, f"K-{n}", at(2026, 3, 2, 9 + n)) for n in range(7)]
    assert got == [A, B, C, A, B, C, A]
    assert val.turn_deviations(events, AREA) == []


def test_val2_a_paused_provider_is_passed_over_and_keeps_its_turn() -> None:
    """VAL-2: a paused provider is passed over without losing its turn."""
    events = joined(A, B, C)
    events.append(val.ProviderPaused(case="lista-norr", at=at(2026, 3, 1, 8), actor=ASSESSOR,
                                     area=AREA, provider=A, start=date(2026, 3, 1),
                                     end=date(2026, 3, 3)))  # fmt: skip
    got = [abstain(events, f"K-{n}", at(2026, 3, 2, 9 + n)) for n in range(2)]
    assert got == [B, C]
    # The pause ends: A gets the turn it kept; the order had come round to it meanwhile,
    # so that is one turn, not two, and the order goes on past it: each served once.
    assert abstain(events, "K-2", at(2026, 3, 4, 9)) == A
    assert [abstain(events, f"K-{n}", at(2026, 3, 4, 10 + n)) for n in range(3, 6)] == [B, C, A]
    assert val.turn_deviations(events, AREA) == []


def test_val2_a_provider_at_its_cap_is_passed_over_and_keeps_its_turn() -> None:
    """VAL-2: a provider at its capacity cap is passed over, keeping its turn."""
    events = joined(A, B, C)
    events.append(val.CapSet(case="lista-norr", at=at(2026, 3, 1, 8), actor=ASSESSOR,
                              area=AREA, provider=B, cap=0))  # fmt: skip
    assert [abstain(events, f"K-{n}", at(2026, 3, 2, 9 + n)) for n in range(3)] == [A, C, A]
    events.append(val.CapSet(case="lista-norr", at=at(2026, 3, 3, 8), actor=ASSESSOR,
                             area=AREA, provider=B, cap=None))  # fmt: skip
    assert abstain(events, "K-3", at(2026, 3, 3, 9)) == B  # the kept turn first
    assert val.turn_deviations(events, AREA) == []


def test_val2_providers_join_and_leave_from_a_date() -> None:
    """VAL-2: a provider joins or leaves the list from a given date."""
    events = joined(A, B)
    events += joined(D, on=date(2026, 3, 10))
    events.append(val.ProviderLeftList(case="lista-norr", at=at(2026, 3, 1, 8), actor=ASSESSOR,
                                       area=AREA, provider=A, on=date(2026, 3, 12)))  # fmt: skip
    before = [abstain(events, f"K-{n}", at(2026, 3, 9, 9 + n)) for n in range(3)]
    assert D not in before
    assert before == [A, B, A]
    during = [abstain(events, f"K-{n}", at(2026, 3, 10, 9 + n)) for n in range(3, 6)]
    assert set(during) == {A, B, D}
    after = [abstain(events, f"K-{n}", at(2026, 3, 12, 9 + n)) for n in range(6, 10)]
    assert A not in after
    assert set(after) == {B, D}
    assert val.turn_deviations(events, AREA) == []


def test_val2_a_turn_skipped_is_a_deviation_naming_who_was_in_turn() -> None:
    """VAL-2: an abstainer given a provider out of turn is recorded, then a deviation."""
    events = joined(A, B, C)
    assert abstain(events, "K-1", at(2026, 3, 2, 9)) == A
    wrong = val.AbstentionRegistered(case="K-2", at=at(2026, 3, 2, 10), actor=ASSESSOR,
                                     provider=C, area=AREA)  # fmt: skip
    events.append(wrong)
    [deviation] = val.turn_deviations(events, AREA)
    assert (deviation.case, deviation.requirement) == ("K-2", "VAL-2")
    assert deviation.kind is DeviationKind.OUT_OF_TURN
    assert "Bästa Hemtjänst" in deviation.sv
    assert "Care i Centrum" in (deviation.detail_sv or "")
    # B did not lose its turn: the next abstainer gets B.
    assert abstain(events, "K-3", at(2026, 3, 2, 11)) == B


def test_val2_the_list_of_a_shuffled_record_is_the_same() -> None:
    """VAL-2: the list is folded in the canonical order; any order of the record is one list."""
    events = joined(A, B, C)
    for n in range(5):
        abstain(events, f"K-{n}", at(2026, 3, 2, 9 + n))
    shuffled = list(reversed(events))
    assert val.rotation_of(shuffled, AREA) == val.rotation_of(events, AREA)
    assert val.turn_deviations(shuffled, AREA) == []


@settings(max_examples=40, derandomize=True, deadline=None)
@given(st.integers(min_value=2, max_value=5), st.integers(min_value=0, max_value=25))
def test_val2_property_every_active_provider_is_served_evenly(size: int, takes: int) -> None:
    """VAL-2: without caps and pauses, served counts differ by at most one, never twice
    before every active provider has served once."""
    providers = [Provider(f"Utförare {chr(ord('A') + n)}") for n in range(size)]
    events = joined(*providers)
    got = [
        abstain(events, f"K-{n}", at(2026, 3, 2, 8) + timedelta(minutes=n)) for n in range(takes)
    ]
    counts = [got.count(p) for p in providers]
    assert max(counts) - min(counts) <= 1
    for start in range(0, takes - size + 1, size):
        assert len(set(got[start : start + size])) == size


def test_val7_urgent_assignment_by_the_list_moves_the_turn_but_a_customer_keeps_a_provider() -> (
    None
):
    """VAL-7: an urgent start takes the list's turn, unless the customer has a provider."""
    events = joined(A, B)
    urgent = val.AssignUrgently(case="K-9", at=at(2026, 3, 2, 22), actor=ASSESSOR,
                                start_by=at(2026, 3, 3, 8),
                                rotation=val.rotation_of(events, AREA))  # fmt: skip
    [event] = val.decide(urgent, val.initial_state)
    assert isinstance(event, val.UrgentlyAssigned)
    assert event.provider == A
    events.append(event)
    assert abstain(events, "K-10", at(2026, 3, 3, 9)) == B
    keeps = val.AssignUrgently(case="K-11", at=at(2026, 3, 3, 22), actor=ASSESSOR,
                               start_by=at(2026, 3, 4, 8),
                               rotation=val.rotation_of(events, AREA),
                               current_provider=SODER)  # fmt: skip
    [kept] = val.decide(keeps, val.initial_state)
    assert isinstance(kept, val.UrgentlyAssigned)
    assert kept.provider == SODER


# =========================================================================== X-6 through VAL


def _decided_case(reason: str | None) -> list[val.ProviderChoiceEvent]:
    """A VAL decision of 10 January 2026, chosen and distributed, not executed."""
    history = record([], val.ChoiceRegistered(
        case="V-1", at=at(2026, 1, 12, 9), actor=ASSESSOR, provider=NORR,
        form=val.ChoiceForm.WRITTEN, decided_on=date(2026, 1, 10),
        legal_basis=LegalBasis.SOL, sex=Sex.FEMALE, born=date(1940, 5, 17)))  # fmt: skip
    record(history, val.DistributeAssignment(case="V-1", at=at(2026, 1, 12, 10), actor=ASSESSOR))
    if reason is not None:
        record(history, val.InterventionNotExecuted(
            case="V-1", at=at(2026, 1, 13, 9), actor=PROVIDER, intervention="hemtjänst",
            reason=reason))  # fmt: skip
    return history


def test_x6_a_val_decision_is_reported_once_its_three_months_end() -> None:
    """X-6: decided 10 January, its three months end 10 April: not in 2026Q1, new in Q2."""
    history = _decided_case("kunden tackade nej till erbjuden starttid")
    assert ivo.ivo_report(history, quarter="2026Q1").rows == ()
    [row] = ivo.ivo_report(history, quarter="2026Q2").rows
    assert (row.case, row.routine, row.status) == ("V-1", "VAL", ivo.Status.NEW)
    assert (row.decided_on, row.legal_basis, row.sex) == (
        date(2026, 1, 10),
        LegalBasis.SOL,
        Sex.FEMALE,
    )
    assert row.kind is ivo.ReportKind.NOT_EXECUTED
    assert "kunden tackade nej till erbjuden starttid" in row.reason  # VAL-8's why
    assert row.individual is not None
    assert row.individual.startswith("19400517-")
    assert row.days == (date(2026, 6, 30) - date(2026, 1, 10)).days


def test_x6_val8_a_reported_reason_ends_nothing_and_is_listed_each_quarter_until_executed() -> None:
    """X-6, VAL-8: still not executed in Q3, executed in Q4 (listed once more), then gone."""
    history = _decided_case("kunden tackade nej till erbjuden starttid")
    [q3] = ivo.ivo_report(history, quarter="2026Q3").rows
    assert q3.status is ivo.Status.STILL_NOT_EXECUTED
    assert q3.reason
    record(history, val.ExecutionStarted(case="V-1", at=at(2026, 10, 5, 8), actor=PROVIDER))
    [q4] = ivo.ivo_report(history, quarter="2026Q4").rows
    assert (q4.status, q4.closed_on) == (ivo.Status.EXECUTED, date(2026, 10, 5))
    assert q4.days == (date(2026, 10, 5) - date(2026, 1, 10)).days
    assert ivo.ivo_report(history, quarter="2027Q1").rows == ()
    # As the report could have been made at the end of Q3, the later execution is unknown.
    [then] = ivo.ivo_report(history, quarter="2026Q3", as_of=at(2026, 9, 30, 23)).rows
    assert then.status is ivo.Status.STILL_NOT_EXECUTED


def test_x6_executed_on_the_last_day_of_its_three_months_is_never_reported() -> None:
    """X-6: executed on 10 April, within three months of 10 January."""
    history = _decided_case(None)
    record(history, val.ExecutionStarted(case="V-1", at=at(2026, 4, 10, 8), actor=PROVIDER))
    assert all(ivo.ivo_report(history, quarter=q).rows == () for q in ("2026Q1", "2026Q2"))


def test_x6_a_val_choice_without_the_decision_date_is_not_judged_never_guessed() -> None:
    """X-6: a choice with no decision date recorded is listed as not judged."""
    history = record([], val.ChoiceRegistered(
        case="V-2", at=at(2026, 1, 12, 9), actor=ASSESSOR, provider=NORR,
        form=val.ChoiceForm.WRITTEN))  # fmt: skip
    report = ivo.ivo_report(history, quarter="2026Q2")
    assert report.rows == ()
    assert [item.case for item in report.not_judged] == ["V-2"]


def test_x6_val11_a_private_providers_registered_execution_date_closes_the_report() -> None:
    """X-6, VAL-11: the execution registered from the first intervention's date."""
    private = Provider("Privat Omsorg", ProviderKind.PRIVATE)
    history = record([], val.ChoiceRegistered(
        case="V-3", at=at(2026, 1, 12, 9), actor=ASSESSOR, provider=private,
        form=val.ChoiceForm.WRITTEN, decided_on=date(2026, 1, 10), legal_basis=LegalBasis.SOL,
        sex=Sex.MALE, born=date(1938, 2, 1)))  # fmt: skip
    record(history, val.AssignmentPrepared(case="V-3", at=at(2026, 1, 12, 9, 30), actor=ASSESSOR,
                                           relatives_phone_numbers=("070-1234567",)))  # fmt: skip
    record(history, val.DistributeAssignment(case="V-3", at=at(2026, 1, 12, 10), actor=ASSESSOR))
    record(history, val.ProviderContacted(
        case="V-3", at=at(2026, 1, 12, 10, 30), actor=ASSESSOR, channel=val.ContactChannel.EMAIL,
        delivery=val.Delivery.POST))  # fmt: skip
    record(history, val.FirstInterventionReported(
        case="V-3", at=at(2026, 4, 20, 9), actor=PROVIDER,
        first_intervention=date(2026, 4, 15)))  # fmt: skip
    record(history, val.RegisterExecution(case="V-3", at=at(2026, 4, 20, 10), actor=ASSESSOR))
    [row] = ivo.ivo_report(history, quarter="2026Q2").rows
    assert (row.status, row.closed_on, row.sex) == (
        ivo.Status.EXECUTED,
        date(2026, 4, 15),
        Sex.MALE,
    )


# =========================================================================== the command line

PNR = re.compile(r"(?<!\d)(?:\d{6}|\d{8})[-+]?\d{4}(?!\d)")


def run(argv: Sequence[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run the command line in this process; return the code, stdout and stderr."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert not PNR.search(out), "a full identity number was printed"
    assert not PNR.search(err), "a full identity number was printed"
    return code, out, err


@pytest.fixture(scope="module")
def example_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An example log of 40 cases over every routine, written by the command line."""
    path = tmp_path_factory.mktemp("cli") / "logg.jsonl"
    assert main(["exempellogg", "--cases", "40", "--seed", "3", "--output", str(path)]) == 0
    return path


def test_cli_granska_exits_1_with_deviations_and_0_with_exit_zero(
    example_log: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """X-5, issue 20: granska exits 1 when it finds deviations, 0 with --exit-zero."""
    code, out, _ = run(["granska", str(example_log)], capsys)
    assert code == 1
    assert out.startswith("Granskning av rutinernas efterlevnad")
    code, again, _ = run(["granska", str(example_log), "--exit-zero"], capsys)
    assert code == 0
    assert again == out


def test_cli_granska_without_deviations_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """X-5: a log whose case breaks no rule exits 0."""
    history = record([], val.ChoiceRegistered(
        case="K-1", at=at(2026, 3, 4, 9), actor=ASSESSOR, provider=NORR,
        form=val.ChoiceForm.WRITTEN))  # fmt: skip
    record(history, val.DistributeAssignment(case="K-1", at=at(2026, 3, 4, 10), actor=ASSESSOR))
    record(history, val.ExecutionStarted(case="K-1", at=at(2026, 3, 5, 8), actor=PROVIDER))
    path = tmp_path / "ok.jsonl"
    dump_events(history, path)
    code, _, _ = run(["granska", str(path), "--as-of", "2026-03-06T00:00+01:00"], capsys)
    assert code == 0


@pytest.mark.parametrize("form", ["text", "json", "csv", "html"])
def test_cli_granska_writes_each_format(
    form: str, example_log: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 20: --format text|json|csv|html, in Swedish by default."""
    code, out, _ = run(["granska", str(example_log), "--format", form, "--exit-zero"], capsys)
    assert code == 0
    assert out.strip()
    if form == "json":
        assert isinstance(json.loads(out), dict)
    if form == "html":
        assert "<html" in out.lower()
    if form == "csv":
        assert "," in out.splitlines()[0]


def test_cli_granska_as_of_judges_the_record_as_it_stood(
    example_log: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """X-5: --as-of a moment before every event finds nothing; the default judges all."""
    code, _, _ = run(["granska", str(example_log), "--as-of", "1990-01-01T00:00+01:00"], capsys)
    assert code == 0
    code, _, err = run(["granska", str(example_log), "--as-of", "inte en tid"], capsys)
    assert code == 2
    assert err


def test_cli_granska_names_a_bad_line_by_file_and_number_and_prints_no_report(
    example_log: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 18: a malformed line stops with exit 2 naming file and line; no partial report."""
    lines = example_log.read_text(encoding="utf-8").splitlines()
    bad = tmp_path / "trasig.jsonl"
    bad.write_text("\n".join([*lines[:4], "{inte json", *lines[4:]]) + "\n", encoding="utf-8")
    code, out, err = run(["granska", str(bad)], capsys)
    assert code == 2
    assert out == ""
    assert "trasig.jsonl" in err
    assert "5" in err
    code, out, _ = run(["granska", str(bad), "--skip-bad-lines", "--format", "json"], capsys)
    assert code == 1
    assert json.loads(out)


def test_cli_granska_reads_several_files_as_one_log_and_stdin(
    example_log: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 18: several files are one log; - reads standard input."""
    lines = example_log.read_text(encoding="utf-8").splitlines(keepends=True)
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    half = len(lines) // 2
    first.write_text("".join(lines[:half]), encoding="utf-8")
    second.write_text("".join(lines[half:]), encoding="utf-8")
    whole = run(["granska", str(example_log), "--format", "json", "--exit-zero"], capsys)
    split = run(["granska", str(first), str(second), "--format", "json", "--exit-zero"], capsys)
    assert json.loads(split[1]) == json.loads(whole[1])
    piped = subprocess.run(
        [sys.executable, "-m", "arendefordelning", "granska", "-", "--format", "json",
         "--exit-zero"],
        input=example_log.read_text(encoding="utf-8"),
        capture_output=True, text=True, check=False, encoding="utf-8",
    )  # fmt: skip
    assert piped.returncode == 0
    assert json.loads(piped.stdout) == json.loads(whole[1])


def test_cli_granska_shuffled_lines_give_the_same_deviations_and_say_they_are_out_of_order(
    example_log: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 18: the same log shuffled judges the same; lines out of order are a finding."""
    lines = example_log.read_text(encoding="utf-8").splitlines(keepends=True)
    shuffled = tmp_path / "blandad.jsonl"
    shuffled.write_text("".join(reversed(lines)), encoding="utf-8")
    whole = json.loads(run(["granska", str(example_log), "--format", "json"], capsys)[1])
    mixed = json.loads(run(["granska", str(shuffled), "--format", "json"], capsys)[1])
    assert mixed["deviations"] == whole["deviations"]
    assert {item["kind"] for item in mixed["quality"]} - {
        item["kind"] for item in whole["quality"]
    } == {"OUT_OF_ORDER"}


def test_cli_granska_reads_a_csv_log_with_its_columns(
    example_log: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 18: CSV input, columns case,routine,type,at,recorded_at,actor_id,actor_role,data."""
    from arendefordelning.csvlog import dump_csv_events

    path = tmp_path / "logg.csv"
    dump_csv_events(load_events(example_log), path)
    header = path.read_text(encoding="utf-8").splitlines()[0]
    assert header == "case,routine,type,at,recorded_at,actor_id,actor_role,data"
    whole = run(["granska", str(example_log), "--format", "json", "--exit-zero"], capsys)
    csv_run = run(["granska", str(path), "--format", "json", "--exit-zero"], capsys)
    assert json.loads(csv_run[1]) == json.loads(whole[1])


def test_cli_ivo_prints_the_quarters_report_and_refuses_a_bad_quarter(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """X-6: ``arendefordelning ivo LOG --quarter 2026Q2`` lists the VAL decision."""
    path = tmp_path / "val.jsonl"
    dump_events(_decided_case("kunden tackade nej till erbjuden starttid"), path)
    code, out, _ = run(["ivo", str(path), "--quarter", "2026Q2", "--format", "json"], capsys)
    assert code == 0
    assert "V-1" in out
    assert "kunden tackade nej till erbjuden starttid" in out
    code, out, _ = run(["ivo", str(path), "--quarter", "2026Q1", "--format", "csv"], capsys)
    assert code == 0
    assert "V-1" not in out
    code, out, err = run(["ivo", str(path), "--quarter", "2026Q5"], capsys)
    assert code == 2
    assert out == ""
    assert err


@pytest.mark.slow
def test_cli_the_readme_quick_start_runs(tmp_path: Path) -> None:
    """README's Quick start: exempellogg then granska --exit-zero, in a subprocess."""
    log = tmp_path / "logg.jsonl"
    made = subprocess.run(
        [sys.executable, "-m", "arendefordelning", "exempellogg", "--cases", "300", "--seed", "1",
         "--output", str(log)], capture_output=True, text=True, check=False, encoding="utf-8",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    audited = subprocess.run(
        [sys.executable, "-m", "arendefordelning", "granska", str(log), "--exit-zero"],
        capture_output=True, text=True, check=False, encoding="utf-8",
    )  # fmt: skip
    assert audited.returncode == 0, audited.stderr
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    shown = readme.split("<!-- quick-start:output start -->")[1].split("```text\n")[1]
    assert audited.stdout.splitlines()[:12] == shown.splitlines()[:12]
    assert not PNR.search(audited.stdout)


# =========================================================================== more readings


def test_val20_val13_the_same_time_is_judged_by_the_revision_in_force_at_the_notification() -> None:
    """VAL-20, VAL-13: notifications 20 minutes apart are "not at the same time" under
    the routine's 15 minutes, and at the same time under a revision allowing 30."""
    generous = [
        OLD,
        val.ProviderChoicePolicy(valid_from=date(2026, 4, 1), same_time=timedelta(minutes=30)),
    ]

    def notified(policy: Policies, day: int) -> list[val.ProviderChoiceEvent]:
        history = record([], val.ChoiceRegistered(
            case="K-6", at=at(2026, 3, 2, 9), actor=ASSESSOR, provider=NORR,
            form=val.ChoiceForm.WRITTEN), policy)  # fmt: skip
        record(history, val.DistributeAssignment(
            case="K-6", at=at(2026, 3, 2, 10), actor=ASSESSOR), policy)  # fmt: skip
        record(history, val.ExecutionStarted(
            case="K-6", at=at(2026, 3, 2, 16), actor=PROVIDER), policy)  # fmt: skip
        record(history, val.RegisterRechoice(
            case="K-6", at=at(2026, 4, day, 10), actor=ASSESSOR, incoming=SODER,
            form=val.ChoiceForm.ORAL), policy)  # fmt: skip
        record(history, val.OutgoingProviderNotified(
            case="K-6", at=at(2026, 4, day, 10, 5), actor=ASSESSOR,
            channel=val.ContactChannel.SYSTEM), policy)  # fmt: skip
        record(history, val.IncomingProviderNotified(
            case="K-6", at=at(2026, 4, day, 10, 25), actor=ASSESSOR,
            channel=val.ContactChannel.SYSTEM), policy)  # fmt: skip
        return history

    def simultaneity(policy: Policies, day: int) -> list[DeviationKind]:
        state = val.replay(notified(policy, day), policy=policy)
        found = val.deviations(state, as_of=at(2026, 4, day, 12), policy=policy)
        return [d.kind for d in found if d.requirement == "VAL-13"]

    assert simultaneity(None, 2) == [DeviationKind.NOT_SIMULTANEOUS]
    assert simultaneity(generous, 2) == []


def test_val20_the_audit_takes_a_routines_policy_or_its_revisions_by_code() -> None:
    """VAL-20, X-4: ``audit(..., policies={"VAL": ...})`` judges by the policy given."""
    from arendefordelning.audit import audit

    history = record([], val.ChoiceRegistered(
        case="K-1", at=at(2026, 3, 4, 9), actor=ASSESSOR, provider=NORR,
        form=val.ChoiceForm.WRITTEN))  # fmt: skip
    record(history, val.DistributeAssignment(case="K-1", at=at(2026, 3, 4, 14, 30), actor=ASSESSOR))
    fifteen = val.ProviderChoicePolicy(execution=ExecutionDeadlinePolicy(cutoff=time(15, 0)))
    moment = at(2026, 3, 5, 15)
    assert audit(history, as_of=moment).deviations == ()
    [late] = audit(history, as_of=moment, policies={"VAL": fifteen}).deviations
    assert late.requirement == "VAL-6"
    # Revisions by their validity: in March 2026 OLD (14:00) is in force.
    assert audit(history, as_of=moment, policies={"VAL": REVISIONS}).deviations == ()


def test_val2_a_provider_joining_takes_its_place_in_the_alphabetical_order() -> None:
    """VAL-2: a provider joining is put in its alphabetical place; the turn goes on there."""
    events = joined(A, C)
    assert abstain(events, "K-1", at(2026, 3, 2, 9)) == A
    events += joined(B, on=date(2026, 3, 2))
    got = [abstain(events, f"K-{n}", at(2026, 3, 2, 10 + n)) for n in range(2, 6)]
    assert got == [B, C, A, B]


def test_val2_a_provider_leaving_loses_the_turn_it_kept() -> None:
    """VAL-2: a paused provider that leaves the list before its pause ends keeps nothing."""
    events = joined(A, B, C)
    events.append(val.ProviderPaused(case="lista-norr", at=at(2026, 3, 1, 8), actor=ASSESSOR,
                                     area=AREA, provider=A, start=date(2026, 3, 1)))  # fmt: skip
    assert abstain(events, "K-1", at(2026, 3, 2, 9)) == B  # A passed over, owed a turn
    events.append(val.ProviderLeftList(case="lista-norr", at=at(2026, 3, 2, 12), actor=ASSESSOR,
                                       area=AREA, provider=A, on=date(2026, 3, 3)))  # fmt: skip
    got = [abstain(events, f"K-{n}", at(2026, 3, 3, 9 + n)) for n in range(2, 6)]
    assert got == [C, B, C, B]
    assert val.turn_deviations(events, AREA) == []


def test_val2_the_turn_follows_the_recording_order_of_the_takes() -> None:
    """VAL-2 (reading): the list is folded in recording order, so an abstention decided
    earlier but recorded later gets the provider in turn when it was recorded."""
    events = joined(A, B, C)
    assert abstain(events, "L-1", at(2026, 3, 2, 9)) == A
    late = val.RegisterAbstention(
        case="L-2", at=at(2026, 3, 2, 8, 30), recorded_at=at(2026, 3, 2, 10), actor=ASSESSOR,
        rotation=val.rotation_of(events, AREA),
    )  # fmt: skip
    [event] = val.decide(late, val.initial_state)
    assert isinstance(event, val.AbstentionRegistered)
    assert event.provider == B
    events.append(event)
    assert val.turn_deviations(events, AREA) == []


def _lss_decision(decided: date, executed: date | None = None) -> list[val.ProviderChoiceEvent]:
    """A VAL decision under LSS for a man, distributed the day it was made."""
    history = record([], val.ChoiceRegistered(
        case="V-9", at=at(decided.year, decided.month, decided.day, 12), actor=ASSESSOR,
        provider=NORR, form=val.ChoiceForm.WRITTEN, decided_on=decided,
        legal_basis=LegalBasis.LSS, sex=Sex.MALE, born=date(1950, 1, 1)))  # fmt: skip
    sent = datetime.combine(decided, time(13), STHLM)
    record(history, val.DistributeAssignment(case="V-9", at=sent, actor=ASSESSOR))
    if executed is not None:
        started = datetime.combine(executed, time(8), STHLM)
        record(history, val.ExecutionStarted(case="V-9", at=started, actor=PROVIDER))
    return history


def test_x6_three_months_clamp_to_the_end_of_a_shorter_month() -> None:
    """X-6: decided 30 November, its three months end 28 February: new in 2026Q1."""
    [row] = ivo.ivo_report(_lss_decision(date(2025, 11, 30)), quarter="2026Q1").rows
    assert (row.status, row.days, row.legal_basis) == (ivo.Status.NEW, 121, LegalBasis.LSS)
    assert ivo.ivo_report(_lss_decision(date(2025, 11, 30)), quarter="2025Q4").rows == ()
    within = _lss_decision(date(2025, 11, 30), date(2026, 2, 28))
    assert all(ivo.ivo_report(within, quarter=q).rows == () for q in ("2026Q1", "2026Q2"))
    [once] = ivo.ivo_report(
        _lss_decision(date(2025, 11, 30), date(2026, 3, 1)), quarter="2026Q1"
    ).rows
    assert (once.status, once.closed_on) == (ivo.Status.EXECUTED, date(2026, 3, 1))


def test_x6_the_council_counts_the_pending_decisions_by_sex() -> None:
    """X-6: the council gets anonymised counts: how many, of which kind, women and men."""
    report = ivo.ivo_report(_lss_decision(date(2025, 12, 31)), quarter="2026Q1")
    [count] = report.council()
    assert (count.kind, count.number, count.women, count.men) == (
        ivo.ReportKind.NOT_EXECUTED, 1, 0, 1)  # fmt: skip
    assert count.days == (90,)


def test_cli_aliases_english_and_a_missing_file(
    example_log: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 18, 20: ``audit`` is ``granska`` in English; a missing log exits 2."""
    code, swedish, _ = run(["granska", str(example_log), "--format", "json"], capsys)
    again, same, _ = run(["audit", str(example_log), "--format", "json"], capsys)
    assert (code, again) == (1, 1)
    assert json.loads(same) == json.loads(swedish)
    code, english, _ = run(["granska", str(example_log), "--lang", "en", "--exit-zero"], capsys)
    assert code == 0
    assert english.startswith("Audit")
    code, out, err = run(["granska", str(example_log.parent / "saknas.jsonl")], capsys)
    assert code == 2
    assert out == ""
    assert "cannot be read" in err


def test_cli_exempellogg_writes_its_truth_and_the_audit_finds_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 18: ``exempellogg --truth FILE`` lists each injected deviation (case, requirement)."""
    log, truth = tmp_path / "logg.jsonl", tmp_path / "facit.csv"
    code, _, _ = run(
        [
            "example-log",
            "--cases",
            "25",
            "--seed",
            "7",
            "--output",
            str(log),
            "--truth",
            str(truth),
        ],
        capsys,
    )
    assert code == 0
    assert truth.read_text(encoding="utf-8").strip()
    code, out, _ = run(["granska", str(log), "--format", "json"], capsys)
    assert code == 1
    found = {(d["case"], d["requirement"], d["kind"]) for d in json.loads(out)["deviations"]}
    rows = truth.read_text(encoding="utf-8").splitlines()
    assert rows[0] == "case,requirement,kind"
    injected = {tuple(row.split(",")) for row in rows[1:]}
    assert injected
    assert found == injected


def test_cli_ivo_names_a_bad_lines_file_and_number(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """X-6, issue 18: ``ivo`` over several logs names the file of a malformed line, as
    ``granska`` does, and prints no partial report; the line's text is never shown."""
    good, bad = tmp_path / "hel.jsonl", tmp_path / "trasig.jsonl"
    dump_events(_decided_case("kunden tackade nej till erbjuden starttid"), good)
    bad.write_text(
        good.read_text(encoding="utf-8") + '{"case": "19121212-1212", "routine": "VAL"}\n',
        encoding="utf-8",
    )
    code, out, err = run(["ivo", str(good), str(bad), "--quarter", "2026Q2"], capsys)
    assert code == 2
    assert out == ""
    assert "trasig.jsonl" in err
    assert "line 4" in err


def test_x6_val17_a_switch_before_any_execution_executes_the_decision_on_the_takeover_date() -> (
    None
):
    """X-6, VAL-17: a customer re-chooses before the first provider started; the incoming
    provider takes over on 11 February. The decision is executed then: once the switch is
    documented the case allows no execution step, so the report must not list it forever."""
    history = _decided_case(None)
    record(history, val.RegisterRechoice(
        case="V-1", at=at(2026, 2, 2, 10), actor=ASSESSOR, incoming=SODER,
        form=val.ChoiceForm.ORAL))  # fmt: skip
    for kind in (val.OutgoingProviderNotified, val.IncomingProviderNotified):
        record(history, kind(
            case="V-1", at=at(2026, 2, 2, 10, 5), actor=ASSESSOR,
            channel=val.ContactChannel.SYSTEM))  # fmt: skip
    record(history, val.LastDayAgreed(
        case="V-1", at=at(2026, 2, 3, 10), actor=PROVIDER, last_day=date(2026, 2, 10),
        documentation_consent=False))  # fmt: skip
    record(history, val.TakeoverAnnounced(
        case="V-1", at=at(2026, 2, 3, 11), actor=PROVIDER, takeover=date(2026, 2, 11)))  # fmt: skip
    record(history, val.TakeoverDateReported(
        case="V-1", at=at(2026, 2, 4, 11), actor=INCOMING, takeover=date(2026, 2, 11)))  # fmt: skip
    record(history, val.DocumentTakeoverDate(case="V-1", at=at(2026, 2, 4, 12), actor=ASSESSOR))
    state = val.replay(history)
    assert state.stage is val.Stage.SWITCHED
    assert [c.__name__ for c in val.allowed_commands(state)] == ["RegisterRechoice"]
    assert all(ivo.ivo_report(history, quarter=q).rows == () for q in ("2026Q1", "2026Q2"))


def test_x6_val17_a_takeover_after_the_three_months_is_reported_once_as_executed() -> None:
    """X-6, VAL-17: decided 10 January, re-chosen before any start and taken over on
    20 April, after its three months: in Q2 once, executed on the takeover date."""
    history = _decided_case("kunden vill byta utförare")
    record(history, val.RegisterRechoice(
        case="V-1", at=at(2026, 4, 8, 10), actor=ASSESSOR, incoming=SODER,
        form=val.ChoiceForm.ORAL))  # fmt: skip
    for kind in (val.OutgoingProviderNotified, val.IncomingProviderNotified):
        record(history, kind(
            case="V-1", at=at(2026, 4, 8, 10, 5), actor=ASSESSOR,
            channel=val.ContactChannel.SYSTEM))  # fmt: skip
    record(history, val.TakeoverDateReported(
        case="V-1", at=at(2026, 4, 9, 11), actor=INCOMING, takeover=date(2026, 4, 20)))  # fmt: skip
    record(history, val.DocumentTakeoverDate(case="V-1", at=at(2026, 4, 9, 12), actor=ASSESSOR))
    [row] = ivo.ivo_report(history, quarter="2026Q2").rows
    assert (row.status, row.closed_on) == (ivo.Status.EXECUTED, date(2026, 4, 20))
    assert row.reason == "hemtjänst: kunden vill byta utförare"
    assert ivo.ivo_report(history, quarter="2026Q3").rows == ()


def test_cli_ivo_reads_a_csv_log_as_granska_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """X-6, issue 18: ``ivo LOG...`` takes the logs ``granska`` takes: a .csv file is CSV."""
    history = _decided_case("kunden tackade nej till erbjuden starttid")
    as_json, as_csv = tmp_path / "val.jsonl", tmp_path / "val.csv"
    dump_events(history, as_json)
    dump_csv_events(history, as_csv)
    code, from_json, _ = run(["ivo", str(as_json), "--quarter", "2026Q2"], capsys)
    assert code == 0
    code, from_csv, err = run(["ivo", str(as_csv), "--quarter", "2026Q2"], capsys)
    assert (code, err) == (0, "")
    assert from_csv == from_json
    assert "V-1" in from_csv


def test_val7_a_customer_keeping_a_provider_takes_nothing_from_the_list() -> None:
    """VAL-7, VAL-2: the urgent assignment to the customer's own provider is no take."""
    events = joined(A, B)
    keeps = val.AssignUrgently(case="K-11", at=at(2026, 3, 3, 22), actor=ASSESSOR,
                               start_by=at(2026, 3, 4, 8), rotation=val.rotation_of(events, AREA),
                               current_provider=SODER)  # fmt: skip
    [kept] = val.decide(keeps, val.initial_state)
    assert isinstance(kept, val.UrgentlyAssigned)
    assert (kept.provider, kept.area) == (SODER, None)
    events.append(kept)
    assert val.turn_deviations(events, AREA) == []
    assert abstain(events, "K-12", at(2026, 3, 4, 9)) == A


def test_val2_nobody_able_to_receive_is_a_typed_refusal_recording_nothing() -> None:
    """VAL-2: when every provider on the list is paused or at its cap, nobody is chosen."""
    from arendefordelning.errors import ArendefordelningError, NoProviderAvailable

    events = joined(A)
    events.append(val.ProviderPaused(case="lista-norr", at=at(2026, 3, 1, 8), actor=ASSESSOR,
                                     area=AREA, provider=A, start=date(2026, 3, 1)))  # fmt: skip
    request = val.RegisterAbstention(
        case="K-1", at=at(2026, 3, 2, 9), actor=ASSESSOR, rotation=val.rotation_of(events, AREA)
    )
    with pytest.raises(NoProviderAvailable, match="paused") as raised:
        val.decide(request, val.initial_state)
    assert isinstance(raised.value, ArendefordelningError)


def test_cli_exempellogg_is_the_same_for_the_same_seed(
    example_log: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 18: the example log is reproducible from its seed."""
    again = tmp_path / "igen.jsonl"
    code, _, _ = run(
        ["exempellogg", "--cases", "40", "--seed", "3", "--output", str(again)], capsys
    )
    assert code == 0
    assert again.read_bytes() == example_log.read_bytes()
    code, _, err = run(
        ["exempellogg", "--cases", "0", "--seed", "3", "--output", str(again)], capsys
    )
    assert code == 2
    assert "1–10000000" in err
