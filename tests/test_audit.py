"""The compliance audit: every routine's deviations in a log, its report and its exports (X-2, X-5).

Given a log made by the example log's builders (every deviation injected is known: its
truth), when it is audited, then exactly the injected deviations are found; a clean
case gives none; the same log in any order, or split by case and merged, gives the
same report.
"""

from __future__ import annotations

import csv
import io
import json
import pickle
import random
from collections import Counter
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arendefordelning import Actor, InvalidInput, Role, routines
from arendefordelning import example_log as ex
from arendefordelning.audit import (
    AuditReport,
    QualityKind,
    audit,
    audit_partition,
    part_of,
)
from arendefordelning.kernel import Event
from arendefordelning.routines import outpatient_care as ov

SE = ZoneInfo("Europe/Stockholm")

# Names of RATES that choose a path through the routine rather than inject a deviation.
PATHS = {
    "private",
    "rechoice",
    "clarification",
    "ended",
    "left_open",
    "declined",
    "new_recipient",
    "hospital",
    "alarm_returned",
    "closed",
}
# What an injection needs to be reachable: other rates set to these values.
NEEDS: dict[str, dict[str, float]] = {
    "not_simultaneous": {"rechoice": 1.0},
    "not_same_day": {"rechoice": 1.0},
    "outside_window": {"rechoice": 1.0},
    "closed_after_follow_up_due": {"left_open": 0.0},
    "closing_incomplete": {"left_open": 0.0},
    "never_executed": {"executed_late": 0.0},
    "handover_wrong_channel": {"new_recipient": 1.0},
    "notification_by_telephone": {"hospital": 1.0},
}
# The deviations each injection of routines HC and UP makes, as the audit names them.
KINDS: dict[tuple[str, str], set[tuple[str, str]]] = {
    ("HC", "without_contact"): {("HC-4", "WITHOUT_PRECONDITION")},
    ("HC", "offer_late"): {("HC-5", "LATE")},
    ("HC", "offer_missing"): {("HC-5", "MISSING")},
    ("UP", "wrong_stated_time"): {("UP-3", "WRONG_STATED_TIME")},
    ("UP", "order_missing"): {("UP-2", "MISSING")},
    ("UP", "order_not_required"): {("UP-2", "NOT_REQUIRED")},
    ("UP", "handover_wrong_channel"): {("UP-5", "WRONG_CHANNEL")},
    ("UP", "receipt_late"): {("UP-8", "LATE")},
    ("UP", "receipt_wrong_channel"): {("UP-8", "WRONG_CHANNEL")},
    ("UP", "receipt_missing"): {("UP-8", "MISSING")},
    ("UP", "registered_late"): {("UP-9", "LATE"), ("UP-11", "LATE")},
    ("UP", "notification_missing"): {
        ("UP-10", "MISSING"),
        ("UP-12", "MISSING"),
        ("UP-14", "MISSING"),
    },
    ("UP", "notification_by_telephone"): {("UP-14", "WRONG_CHANNEL")},
}
INJECTIONS = [
    (code, name) for code, rates in ex.RATES.items() for name in rates if name not in PATHS
]


def _end(log: list[Event]) -> datetime:
    return max(event.recorded_at or event.at for event in log)


def _found(report: AuditReport) -> Counter[tuple[str, str, str]]:
    return Counter((d.case, d.requirement, d.kind.name) for d in report.deviations)


@pytest.fixture
def rates(monkeypatch: pytest.MonkeyPatch) -> dict[str, dict[str, float]]:
    """The builders' rates, each set to nothing: a test sets what it injects."""
    for table in ex.RATES.values():
        for name in table:
            monkeypatch.setitem(table, name, 0.5 if name in PATHS - {"left_open"} else 0.0)
    return ex.RATES


def test_every_builder_is_a_registered_routine_and_every_registered_routine_is_audited() -> None:
    """X-5: the audit reads the registry; the example log covers every routine with a builder."""
    assert set(ex.BUILDERS) <= set(routines.codes())
    log, _ = ex.build(30, seed=1)
    report = audit(log, as_of=_end(log))
    assert report.routines == routines.codes()
    assert {type(e).routine for e in log} == set(ex.BUILDERS)


@pytest.mark.parametrize("code", sorted(ex.BUILDERS))
def test_x5_a_clean_case_of_every_routine_gives_no_deviation(
    code: str, rates: dict[str, dict[str, float]]
) -> None:
    """X-5: with nothing injected, no case of the routine departs from it, whatever path."""
    log, truth = ex.build(60, seed=7, codes=[code])
    assert truth == []
    report = audit(log, as_of=_end(log))
    assert report.deviations == ()
    assert report.case_count(code) == 60
    assert not any(report.quality_counts().values())
    # Judged a year later, a clean case whose steps all came is still clean, unless it
    # was left open with a deadline to come (none is, with these rates, but OV's).
    later = audit(log, as_of=_end(log) + timedelta(days=400))
    assert {d.requirement for d in later.deviations} <= {"OV-9"}


@pytest.mark.parametrize(("code", "name"), INJECTIONS, ids=[f"{c}-{n}" for c, n in INJECTIONS])
def test_x2_x5_each_injected_deviation_is_found_exactly(
    code: str, name: str, rates: dict[str, dict[str, float]]
) -> None:
    """X-2, X-5, DV-5, DV-7, HC-4, HC-5, OV-8, OV-9, OV-11, VAL-6, VAL-13, VAL-18: injected, found.

    Given cases of one routine with one kind of departure injected in every case, when
    the log is audited as of its last line, then exactly the injected deviations are
    found, each naming its requirement and kind.
    """
    rates[code][name] = 1.0
    for other, value in NEEDS.get(name, {}).items():
        rates[code][other] = value
    log, truth = ex.build(12, seed=3, codes=[code])
    assert truth, "the injection must inject something"
    report = audit(log, as_of=_end(log))
    assert _found(report) == Counter(truth)


@pytest.mark.parametrize(
    ("code", "name"), sorted(KINDS), ids=[f"{c}-{n}" for c, n in sorted(KINDS)]
)
def test_hc_up_each_injection_is_found_as_its_requirement_and_kind(
    code: str, name: str, rates: dict[str, dict[str, float]]
) -> None:
    """X-5, HC-4, HC-5, UP-2, UP-3, UP-5, UP-8, UP-9, UP-10, UP-11, UP-12, UP-14: found.

    Given 40 cases of routine HC or UP with one injection drawn in every case it can
    reach, when the log is audited as of its last line, then the deviations found are
    exactly the truth, and the truth holds that injection's requirements and kinds
    (by the names the audit reports, UP's own WRONG_STATED_TIME among them) and no other.
    """
    rates[code][name] = 1.0
    for other, value in NEEDS.get(name, {}).items():
        rates[code][other] = value
    log, truth = ex.build(40, seed=5, codes=[code])
    injected = {(requirement, kind) for _, requirement, kind in truth}
    assert injected == KINDS[code, name]
    report = audit(log, as_of=_end(log))
    assert _found(report) == Counter(truth)


def test_kinds_names_every_injection_of_hc_and_up() -> None:
    """X-5: every injection rate of HC and UP has its expected deviations above."""
    assert set(KINDS) == {(c, n) for c, n in INJECTIONS if c in {"HC", "UP"}}


@pytest.mark.parametrize(("cases", "seed"), [(300, 1), (1500, 2)])
def test_x5_the_audit_finds_exactly_the_truth_of_the_example_log(cases: int, seed: int) -> None:
    """X-5: the example log at its known rates: the audit finds exactly its truth."""
    log, truth = ex.build(cases, seed=seed)
    report = audit(log, as_of=_end(log))
    assert _found(report) == Counter(truth)
    assert len(truth) > cases // 10


@pytest.mark.slow
@pytest.mark.parametrize("cases", [10_000, 30_000])
def test_x5_the_audit_finds_exactly_the_truth_at_larger_sizes(cases: int) -> None:
    """X-5: exact at every size (10,000 and 30,000 cases, about 300,000 events)."""
    log, truth = ex.build(cases, seed=cases)
    report = audit(log, as_of=_end(log))
    assert _found(report) == Counter(truth)


# --------------------------------------------------------------------------- the report's laws

_SMALL_LOG, _SMALL_TRUTH = ex.build(45, seed=11)
_SMALL_END = _end(_SMALL_LOG)
_SMALL_REPORT = audit(_SMALL_LOG, as_of=_SMALL_END)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_x5_the_same_log_in_any_order_gives_the_same_report(seed: int) -> None:
    """X-5: a law: shuffling the log's lines changes nothing of the report."""
    shuffled = list(_SMALL_LOG)
    random.Random(seed).shuffle(shuffled)
    assert audit(shuffled, as_of=_SMALL_END) == _SMALL_REPORT


@settings(max_examples=25, deadline=None)
@given(parts=st.integers(1, 5), seed=st.integers(0, 2**32 - 1))
def test_x5_partial_reports_of_whole_cases_merge_into_the_whole_report(
    parts: int, seed: int
) -> None:
    """X-5: a law: split by case any way, audited part by part and merged, equals the whole."""
    rng = random.Random(seed)
    owner: dict[str, int] = {}
    split: list[list[Event]] = [[] for _ in range(parts)]
    for event in _SMALL_LOG:
        split[owner.setdefault(event.case, rng.randrange(parts))].append(event)
    reports = [audit_partition(part, as_of=_SMALL_END) for part in split]
    rng.shuffle(reports)
    merged = reports[0].merge(*reports[1:])
    assert merged == _SMALL_REPORT
    assert pickle.loads(pickle.dumps(merged)) == _SMALL_REPORT


def test_x5_a_case_split_between_partial_reports_is_refused_at_the_merge() -> None:
    """X-5: a case must lie in one part: halves of it would be judged apart."""
    case = _SMALL_LOG[0].case
    mine = [e for e in _SMALL_LOG if e.case == case]
    first = audit_partition(mine[:1], as_of=_SMALL_END)
    second = audit_partition(mine[1:], as_of=_SMALL_END)
    with pytest.raises(InvalidInput, match="share cases"):
        first.merge(second)
    with pytest.raises(InvalidInput, match="same moment"):
        first.merge(audit_partition([], as_of=_SMALL_END + timedelta(days=1)))


def test_part_of_is_stable_and_in_range() -> None:
    """A case's part is the same in every process (not Python's salted hash)."""
    assert part_of("OV-0000001", 1) == 0
    assert {part_of(f"K-{n}", 3) for n in range(50)} == {0, 1, 2}
    assert part_of("ÖV-1", 7) == part_of("ÖV-1", 7)


# --------------------------------------------------------------------------- as known then

_AT = datetime(2026, 3, 2, 9, 0, tzinfo=SE)
_WORKER = Actor("ss-1", Role.SOCIAL_WORKER)
_MANAGER = Actor("ec-1", Role.UNIT_MANAGER)


def _started_case(case: str = "ÖV-1") -> list[Event]:
    """An OV case from the decision to the start of the assignment (a follow-up then due)."""
    steps: list[Any] = [
        ov.DecisionMade(case=case, at=_AT, actor=_WORKER, intervention="samtalsstöd"),
        ov.UnitManagerInformed(case=case, at=_AT + timedelta(hours=1), actor=_WORKER),
        ov.TherapistsAssigned(
            case=case, at=_AT + timedelta(hours=2), actor=_MANAGER, therapists=("beh-1",)
        ),
        ov.TherapistsBriefed(case=case, at=_AT + timedelta(hours=3), actor=_MANAGER),
        ov.SocialWorkerToldOfTherapists(case=case, at=_AT + timedelta(hours=3), actor=_MANAGER),
        ov.AssignmentStarted(case=case, at=_AT + timedelta(hours=4), actor=_WORKER),
    ]
    return steps


def test_x5_a_deadline_not_yet_passed_is_upcoming_and_becomes_a_deviation_once_passed() -> None:
    """X-5, OV-9: the follow-up due in three months is upcoming until then, then missing."""
    log = _started_case()
    before = audit(log, as_of=_AT + timedelta(days=30))
    assert before.deviations == ()
    assert [(u.case, u.action.requirement) for u in before.upcoming] == [("ÖV-1", "OV-9")]
    due = before.upcoming[0].due
    assert due > _AT + timedelta(days=30)
    after = audit(log, as_of=due + timedelta(days=1))
    assert [(d.requirement, d.kind.name) for d in after.deviations] == [("OV-9", "MISSING")]
    assert after.upcoming == ()


def test_x5_events_recorded_after_as_of_are_left_out_and_counted() -> None:
    """X-5: the record as it stood: later events are not judged, only counted."""
    log = _started_case()
    report = audit(log, as_of=_AT + timedelta(hours=2, minutes=30))
    assert report.event_count("OV") == 3
    assert report.later == 3


def test_x2_a_step_in_a_role_the_routine_does_not_name_is_a_deviation() -> None:
    """X-2: a log imported from another system holds a step the routine refuses: found."""
    log = _started_case()
    log.append(
        ov.CarePlanSent(
            case="ÖV-1", at=_AT + timedelta(hours=5), actor=Actor("beh-1", Role.THERAPIST)
        )
    )
    report = audit(log, as_of=_AT + timedelta(days=1))
    assert [(d.requirement, d.kind.name) for d in report.deviations] == [("X-2", "WRONG_ROLE")]


# --------------------------------------------------------------------------- data quality


def test_x5_a_duplicated_line_is_a_finding_and_counts_once() -> None:
    """X-5: an event recorded twice is listed as a duplicate; the deviations do not change."""
    log = [*_SMALL_LOG, _SMALL_LOG[5]]
    report = audit(log, as_of=_SMALL_END)
    assert report.deviations == _SMALL_REPORT.deviations
    duplicates = [q for q in report.quality if q.kind is QualityKind.DUPLICATE]
    assert [(q.case, q.event_type) for q in duplicates] == [
        (_SMALL_LOG[5].case, type(_SMALL_LOG[5]).type_name())
    ]


def test_x5_a_case_whose_first_event_is_missing_is_a_finding_never_guessed_over() -> None:
    """X-5: a case without its first step is named; its unexplained events are listed."""
    log = _started_case("ÖV-2")[1:]
    report = audit(log, as_of=_AT + timedelta(days=1))
    kinds = Counter(q.kind for q in report.quality)
    assert kinds == {QualityKind.FIRST_EVENT_MISSING: 1, QualityKind.UNEXPLAINED: 5}
    first = next(q for q in report.quality if q.kind is QualityKind.FIRST_EVENT_MISSING)
    assert first.case == "ÖV-2"
    assert first.event_type == "unit_manager_informed"
    assert "början av ärendet saknas" in first.explain("sv")
    assert report.deviations == ()


def test_x5_an_event_the_routine_cannot_explain_is_a_finding() -> None:
    """X-5: a step again that the routine takes once is unexplained, and left out."""
    log = _started_case()
    log.append(ov.AssignmentStarted(case="ÖV-1", at=_AT + timedelta(hours=9), actor=_WORKER))
    report = audit(log, as_of=_AT + timedelta(days=1))
    assert [(q.kind, q.event_type) for q in report.quality] == [
        (QualityKind.UNEXPLAINED, "assignment_started")
    ]


# --------------------------------------------------------------------------- exports


def test_rows_are_ready_for_a_data_frame_and_sorted_by_case_and_time() -> None:
    """X-5: rows() gives one dict per deviation; pandas reads them as they are."""
    rows = _SMALL_REPORT.rows()
    frame = pd.DataFrame(rows)
    assert len(frame) == len(_SMALL_REPORT.deviations) == len(_SMALL_TRUTH)
    assert list(frame.columns)[:4] == ["routine", "case", "requirement", "kind"]
    assert list(frame["case"]) == sorted(frame["case"])
    assert all(
        isinstance(text, str) and text.startswith("Avvikelse") for text in frame["explanation"]
    )
    english = _SMALL_REPORT.rows("en")
    assert english[0]["explanation"].startswith(("Deviation", "Warning"))


def test_csv_and_json_exports_hold_every_deviation_and_the_counts() -> None:
    """X-5: the CSV export has a row per deviation; the JSON export has counts that add up."""
    rows = list(csv.DictReader(io.StringIO(_SMALL_REPORT.to_csv())))
    assert Counter((r["case"], r["requirement"], r["kind"]) for r in rows) == Counter(_SMALL_TRUTH)
    data = json.loads(_SMALL_REPORT.to_json())
    assert sum(item["deviations"] for item in data["counts"]) == len(_SMALL_TRUTH)
    assert sum(s["cases"] for s in data["summary"].values()) == 45
    assert data["as_of"] == _SMALL_END.isoformat()


def test_the_text_names_every_routine_and_requirement_counted() -> None:
    """X-5: the readable report lists the summary, the counts and the deviations."""
    text = _SMALL_REPORT.text()
    for (code, requirement), _count in _SMALL_REPORT.counts().items():
        assert f"{code}" in text
        assert f"{requirement} " in text
    assert f"Avvikelser ({len(_SMALL_TRUTH)})" in text
    assert "Deviations (" in _SMALL_REPORT.text("en")
    assert "till, inte visade" in str(_SMALL_REPORT) or len(_SMALL_TRUTH) <= 20


def test_the_html_page_is_self_contained_and_escapes_every_text() -> None:
    """X-5: one page without network; a case number with markup stays text."""
    page = _SMALL_REPORT.html()
    assert page.startswith("<!DOCTYPE html>")
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in page
    assert "<script" not in page
    assert "<svg" in page
    assert f"data-count='{len(_SMALL_TRUTH)}'" in page
    hostile = "<b>&x"
    events = [attrs.evolve(e, case=hostile) for e in _started_case()]
    report = audit(events, as_of=_AT + timedelta(days=200))
    page = report.html()
    assert hostile not in page
    assert "&lt;b&gt;&amp;x" in page
    assert hostile not in report._repr_html_()


def test_the_report_refuses_bad_input_with_invalid_input() -> None:
    """X-5: a naive moment, a non-event, an event of no registered routine are refused."""
    with pytest.raises(InvalidInput, match="as_of"):
        audit(_SMALL_LOG, as_of=datetime(2026, 1, 1))
    with pytest.raises(InvalidInput, match="not an event"):
        audit([object()], as_of=_SMALL_END)  # type: ignore[list-item]
    with pytest.raises(InvalidInput, match="iterable"):
        audit("log.jsonl", as_of=_SMALL_END)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="policies"):
        audit(_SMALL_LOG, as_of=_SMALL_END, policies={"NOPE": None})
