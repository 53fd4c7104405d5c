"""Tests of the report to IVO of decisions not executed (X-6), over a small routine.

The routine below declares every milestone of a decision, so each rule of the report
is held to an example: given the recorded steps, when the report of a quarter is made,
then the rows are these. The real routines' milestones are tested in their own files.
"""

from __future__ import annotations

import io
import itertools
import json
import random
import re
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

import attrs
import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from arendefordelning import InvalidInput, Sex
from arendefordelning.ivo import (
    LEGAL_REFERENCES,
    IvoReport,
    Quarter,
    ReportKind,
    Status,
    ivo_identifier,
    ivo_report,
    legal_reference,
)
from arendefordelning.kernel import (
    Actor,
    CaseState,
    Decided,
    DelayReason,
    Ended,
    Event,
    Executed,
    Interrupted,
    LegalBasis,
    Milestone,
    Resumed,
    Role,
    Routine,
    RoutinePolicy,
    Table,
)

SE = ZoneInfo("Europe/Stockholm")
WORKER = Actor("ss-1", Role.SOCIAL_WORKER)
BORN = date(1950, 4, 2)


def on(day: date) -> datetime:
    """Noon in Stockholm on ``day``: the moment a step is taken and recorded."""
    return datetime.combine(day, time(12), tzinfo=SE)


# --------------------------------------------------------------------------- a routine


@attrs.frozen(kw_only=True, repr=False)
class State(CaseState):
    """The routine keeps no facts of its own: the milestones are the record."""


@attrs.frozen(kw_only=True)
class Granted(Event):
    routine: ClassVar[str] = "TI"
    intervention: str = "hemtjänst"
    decided_on: date | None = None
    legal_basis: LegalBasis | None = LegalBasis.SOL
    sex: Sex | None = Sex.FEMALE
    born: date | None = BORN


@attrs.frozen(kw_only=True)
class Started(Event):
    routine: ClassVar[str] = "TI"


@attrs.frozen(kw_only=True)
class Paused(Event):
    routine: ClassVar[str] = "TI"
    reason: str = ""


@attrs.frozen(kw_only=True)
class Restarted(Event):
    routine: ClassVar[str] = "TI"


@attrs.frozen(kw_only=True)
class Declined(Event):
    routine: ClassVar[str] = "TI"
    reason: str = "tackat nej till erbjudandet"


@attrs.frozen(kw_only=True)
class Withdrawn(Event):
    routine: ClassVar[str] = "TI"
    reason: str = ""


rows = Table(State, RoutinePolicy)


def _day(event: Event) -> date:
    return event.at.astimezone(SE).date()


STEPS = (
    rows.step(
        "grant",
        Granted,
        requirements=("X-6",),
        roles=(Role.SOCIAL_WORKER,),
        label=("bevilja", "grant"),
        milestone=Milestone(
            Decided,
            lambda e: Decided(
                intervention=e.intervention,
                decided_on=e.decided_on,
                legal_basis=e.legal_basis,
                sex=e.sex,
                born=e.born,
            ),
        ),
    ),
    rows.step(
        "start",
        Started,
        requirements=("X-6",),
        roles=(Role.SOCIAL_WORKER,),
        label=("verkställa", "execute"),
        after=("grant",),
        milestone=Milestone(Executed, lambda e: Executed(on=_day(e))),
    ),
    rows.step(
        "pause",
        Paused,
        requirements=("X-6",),
        roles=(Role.SOCIAL_WORKER,),
        label=("avbryta", "interrupt"),
        after=("start",),
        once=False,
        milestone=Milestone(Interrupted, lambda e: Interrupted(on=_day(e), reason=e.reason)),
    ),
    rows.step(
        "restart",
        Restarted,
        requirements=("X-6",),
        roles=(Role.SOCIAL_WORKER,),
        label=("återuppta", "resume"),
        after=("pause",),
        once=False,
        milestone=Milestone(Resumed, lambda e: Resumed(on=_day(e))),
    ),
    rows.step(
        "decline",
        Declined,
        requirements=("X-6",),
        roles=(Role.SOCIAL_WORKER,),
        label=("tacka nej", "decline"),
        after=("grant",),
        once=False,
        milestone=Milestone(DelayReason, lambda e: DelayReason(reason=e.reason)),
    ),
    rows.step(
        "withdraw",
        Withdrawn,
        requirements=("X-6",),
        roles=(Role.SOCIAL_WORKER,),
        label=("avsluta", "end"),
        after=("grant",),
        terminal=True,
        milestone=Milestone(Ended, lambda e: Ended(on=_day(e), reason=e.reason)),
    ),
)


def _routine(code: str = "TI", *, social_services: bool = True) -> Routine[State, Event, Any]:
    return Routine(
        code=code,
        title="Testrutin för IVO",
        title_en="Test routine for IVO",
        initial=State(),
        policy=RoutinePolicy(),
        steps=STEPS,
        social_services=social_services,
    )


TI = _routine()


def granted(day: date, case: str = "TI-1", **more: Any) -> Granted:
    return Granted(case=case, at=on(day), actor=WORKER, decided_on=day, **more)


def step(kind: type[Event], day: date, case: str = "TI-1", **more: Any) -> Event:
    return kind(case=case, at=on(day), actor=WORKER, **more)


def report(events: Sequence[Event], quarter: str, **more: Any) -> IvoReport:
    return ivo_report(events, quarter=quarter, routines=[TI], **more)


D = date(2026, 1, 10)


# --------------------------------------------------------------------------- the examples


def test_x6_a_decision_of_10_january_not_executed_is_listed_for_q2_not_q1() -> None:
    """X-6: given a decision of 2026-01-10 not executed, its three months end 2026-04-10."""
    events: list[Event] = [granted(D)]
    assert report(events, "2026Q1").rows == ()
    (row,) = report(events, "2026Q2").rows
    assert row.kind is ReportKind.NOT_EXECUTED
    assert row.status is Status.NEW
    assert row.decided_on == D
    assert row.days == (date(2026, 6, 30) - D).days
    assert row.interrupted_on is None
    assert row.intervention == "hemtjänst"
    assert row.legal_basis is LegalBasis.SOL
    assert row.sex is Sex.FEMALE
    assert row.closed_on is None


def test_x6_an_interruption_on_20_january_not_resumed_is_listed_for_q2_with_its_date() -> None:
    """X-6: given an execution interrupted on 2026-01-20, then it is listed for 2026Q2."""
    events = [
        granted(date(2025, 12, 1)),
        step(Started, date(2025, 12, 15)),
        step(Paused, date(2026, 1, 20), reason="vistelse på sjukhus"),
    ]
    assert report(events, "2026Q1").rows == ()
    (row,) = report(events, "2026Q2").rows
    assert row.kind is ReportKind.INTERRUPTED
    assert row.interrupted_on == date(2026, 1, 20)
    assert row.status is Status.NEW
    assert row.reason == "vistelse på sjukhus"
    assert row.days == (date(2026, 6, 30) - date(2026, 1, 20)).days


def test_x6_a_healthcare_case_never_appears() -> None:
    """X-6: a routine whose decisions are not social-services decisions is never read."""
    health = _routine("TI", social_services=False)
    events: list[Event] = [granted(D)]
    for quarter in ("2026Q1", "2026Q2", "2026Q3", "2027Q1"):
        found = ivo_report(events, quarter=quarter, routines=[health])
        assert found.rows == ()
        assert found.routines == ()
    assert report(events, "2026Q2").routines == ("TI",)


def test_x6_the_registered_routines_that_are_read_are_those_of_social_services() -> None:
    """X-6: with no routines named, every registered social-services routine is read."""
    from arendefordelning import routines

    read = ivo_report([], quarter="2026Q1").routines
    assert set(read) <= set(routines.codes())
    for code in routines.codes():
        assert (code in read) is (routines.get(code).social_services is True)
    assert "HC" not in read


# --------------------------------------------------------------------------- transitions


def test_x6_new_then_still_not_executed_then_executed_then_gone() -> None:
    """X-6: listed each quarter until executed, once more as executed, then no more."""
    executed = date(2026, 11, 3)
    events = [granted(D), step(Started, executed)]
    assert report(events, "2026Q1").rows == ()
    assert [r.status for r in report(events, "2026Q2").rows] == [Status.NEW]
    (still,) = report(events, "2026Q3").rows
    assert still.status is Status.STILL_NOT_EXECUTED
    assert still.days == (date(2026, 9, 30) - D).days
    (done,) = report(events, "2026Q4").rows
    assert done.status is Status.EXECUTED
    assert done.closed_on == executed
    assert done.days == (executed - D).days
    assert report(events, "2027Q1").rows == ()


def test_x6_executed_after_three_months_within_the_first_quarter_is_reported_executed() -> None:
    """X-6: executed late but before the quarter's end: one row, executed, with its day."""
    events = [granted(D), step(Started, date(2026, 5, 2))]
    (row,) = report(events, "2026Q2").rows
    assert row.status is Status.EXECUTED
    assert row.closed_on == date(2026, 5, 2)
    assert report(events, "2026Q3").rows == ()


def test_x6_executed_within_three_months_is_never_listed() -> None:
    """X-6: executed on the last day of the three months: in time, never reported."""
    events = [granted(D), step(Started, date(2026, 4, 10))]
    for quarter in ("2026Q1", "2026Q2", "2026Q3"):
        assert report(events, quarter).rows == ()


def test_x6_a_withdrawn_decision_is_reported_ended_once_then_no_more() -> None:
    """X-6: a decision that ends (withdrawn, the need gone) is listed until it ends."""
    events = [granted(D), step(Withdrawn, date(2026, 8, 1), reason="behovet upphört")]
    assert report(events, "2026Q2").rows[0].status is Status.NEW
    (row,) = report(events, "2026Q3").rows
    assert row.status is Status.ENDED
    assert row.closed_on == date(2026, 8, 1)
    assert "behovet upphört" in row.reason
    assert report(events, "2026Q4").rows == ()


def test_x6_a_declined_offer_is_a_reason_and_does_not_end_the_decision() -> None:
    """X-6: a declined offer is shown as the reason for the delay; the row stays."""
    events = [granted(D), step(Declined, date(2026, 2, 1))]
    (row,) = report(events, "2026Q2").rows
    assert row.status is Status.NEW
    assert row.reason == "tackat nej till erbjudandet"
    assert report(events, "2026Q3").rows[0].status is Status.STILL_NOT_EXECUTED


def test_x6_an_interruption_resumed_in_time_is_not_listed_and_late_is_listed_resumed() -> None:
    """X-6: resumed within three months: nothing; resumed later: once more, executed."""
    base = [granted(date(2025, 12, 1)), step(Started, date(2025, 12, 15))]
    in_time = [*base, step(Paused, date(2026, 1, 20)), step(Restarted, date(2026, 4, 20))]
    assert report(in_time, "2026Q2").rows == ()
    late = [*base, step(Paused, date(2026, 1, 20)), step(Restarted, date(2026, 8, 3))]
    assert [r.status for r in report(late, "2026Q2").rows] == [Status.NEW]
    (row,) = report(late, "2026Q3").rows
    assert (row.kind, row.status, row.closed_on) == (
        ReportKind.INTERRUPTED,
        Status.EXECUTED,
        date(2026, 8, 3),
    )
    assert report(late, "2026Q4").rows == ()


def test_x6_a_decision_without_a_date_is_listed_as_not_judged() -> None:
    """X-6: where the record holds no decision date, the report says so, never guesses."""
    events: list[Event] = [Granted(case="TI-9", at=on(D), actor=WORKER)]
    found = report(events, "2026Q4")
    assert found.rows == ()
    (item,) = found.not_judged
    assert (item.case, item.routine) == ("TI-9", "TI")
    assert "beslutsdatum" in item.reason[0]


def test_x6_as_of_counts_only_what_was_recorded_by_then() -> None:
    """X-6: the report as it could have been made then: a later execution is not known."""
    late = Started(
        case="TI-1", at=on(date(2026, 5, 1)), recorded_at=on(date(2026, 7, 15)), actor=WORKER
    )
    events = [granted(D), late]
    assert report(events, "2026Q2").rows[0].status is Status.EXECUTED
    then = report(events, "2026Q2", as_of=on(date(2026, 7, 1)))
    assert then.rows[0].status is Status.NEW


# --------------------------------------------------------------------------- output


def test_x6_the_outputs_hold_the_row_and_the_council_counts() -> None:
    """X-6: CSV, JSON and HTML hold the rows; the council gets counts, women and men."""
    events = [
        granted(D, "TI-1"),
        granted(D, "TI-2", sex=Sex.MALE),
        granted(date(2026, 2, 1), "TI-3", intervention="ledsagning", legal_basis=LegalBasis.LSS),
    ]
    found = report(events, "2026Q2")
    assert len(found.rows) == 3
    counts = {count.intervention: count for count in found.council()}
    assert (counts["hemtjänst"].number, counts["hemtjänst"].women, counts["hemtjänst"].men) == (
        2,
        1,
        1,
    )
    assert counts["ledsagning"].days == ((date(2026, 6, 30) - date(2026, 2, 1)).days,)
    csv = found.to_csv()
    assert csv.splitlines()[0].startswith("ärende,rutin,individ,kön,beslutsdatum")
    assert "fortfarande" not in csv
    assert "ny" in csv
    data = json.loads(found.to_json("en"))
    assert data["quarter"] == "2026Q2"
    assert data["rows"][0]["status"] == "new"
    assert [c["number"] for c in data["council"]] == [2, 1]
    html = found.to_html()
    assert html.startswith("<!DOCTYPE html>")
    assert "TI-3" in html
    assert "ledsagning" in found._repr_html_()
    assert "3 rows" in repr(found)


def test_x6_the_individual_is_ivos_form_the_same_every_quarter() -> None:
    """X-6, X-7: ÅÅÅÅMMDD-T and three digits, even for a woman, odd for a man."""
    woman = ivo_identifier(BORN, Sex.FEMALE, "TI:TI-1")
    man = ivo_identifier(BORN, Sex.MALE, "TI:TI-1")
    assert re.fullmatch(r"19500402-T\d[02468]\d", woman)
    assert re.fullmatch(r"19500402-T\d[13579]\d", man)
    events = [granted(D)]
    assert report(events, "2026Q2").rows[0].individual == woman
    assert report(events, "2026Q3").rows[0].individual == woman
    no_birth = [granted(D, born=None)]
    assert report(no_birth, "2026Q2").rows[0].individual is None
    with pytest.raises(InvalidInput, match="born must be a date"):
        ivo_identifier(on(BORN), Sex.FEMALE, "k")
    with pytest.raises(InvalidInput, match="sex must be a Sex"):
        ivo_identifier(BORN, "kvinna", "k")  # type: ignore[arg-type]


def test_x6_the_legal_reference_is_data_with_validity_dates() -> None:
    """X-6: 16 kap. 6 f § SoL (2001:453) until 2025-06-30, the new act from 2025-07-01."""
    old = legal_reference(LegalBasis.SOL, date(2025, 6, 30))
    new = legal_reference(LegalBasis.SOL, date(2025, 7, 1))
    assert old is not None
    assert new is not None
    assert old.cite() == "16 kap. 6 f § socialtjänstlagen (2001:453)"
    assert new.act == "socialtjänstlagen (2025:400)"
    assert new.section is None
    assert not new.confirmed
    assert "ej bekräftad" in new.cite()
    assert "could not be confirmed" in new.note[1]
    assert legal_reference(LegalBasis.SOL, date(2006, 6, 30)) is None
    for basis in LegalBasis:
        refs = sorted((r for r in LEGAL_REFERENCES if r.basis is basis), key=lambda r: r.valid_from)
        for before, after in itertools.pairwise(refs):
            assert before.valid_until is not None
            assert before.valid_until + timedelta(days=1) == after.valid_from
    (row,) = report([granted(D)], "2026Q2").rows
    assert row.legal_reference == new.cite()


def test_x6_bad_input_is_refused_with_what_is_accepted() -> None:
    """X-6: a quarter that cannot be read, items that are not events, a naive as_of."""
    with pytest.raises(InvalidInput, match="is not a quarter; write a quarter as YYYYQn"):
        report([], "2026Q5")
    with pytest.raises(InvalidInput, match="quarter must be text"):
        ivo_report([], quarter=20261)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="not an event"):
        ivo_report(["x"], quarter="2026Q1", routines=[TI])  # type: ignore[list-item]
    with pytest.raises(InvalidInput, match="events must be an iterable"):
        ivo_report("x", quarter="2026Q1")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="routines must hold Routine"):
        ivo_report([], quarter="2026Q1", routines=["TI"])  # type: ignore[list-item]
    with pytest.raises(InvalidInput):
        report([], "2026Q1", as_of=datetime(2026, 1, 1))
    assert Quarter.parse("2026-q3") == Quarter(2026, 3)
    assert Quarter.of(date(2026, 12, 31)).last_day == date(2026, 12, 31)
    assert Quarter(2026, 1).previous == Quarter(2025, 4)


# --------------------------------------------------------------------------- properties

_PIN = re.compile(r"(?<![0-9])(?:[0-9]{2})?[0-9]{6}[-+]?[0-9]{4}(?![0-9])")

days = st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31))
quarters = st.builds(Quarter, st.integers(2024, 2028), st.integers(1, 4))


@settings(max_examples=150, deadline=None)
@given(
    decided=days,
    executed=st.none() | st.integers(0, 700),
    quarter=quarters,
    born=st.dates(min_value=date(1900, 1, 1), max_value=date(2020, 12, 31)),
    sex=st.sampled_from(Sex),
)
def test_x6_property_listed_iff_pending_and_three_months_ended(
    decided: date, executed: int | None, quarter: Quarter, born: date, sex: Sex
) -> None:
    """X-6: a decision is pending in a quarter iff not executed by its end and due by then.

    And it is reported as executed in the quarter it was executed in, iff late; never
    a personal identity number in any row or output.
    """
    events: list[Event] = [granted(decided, born=born, sex=sex)]
    done = None if executed is None else decided + timedelta(days=executed)
    if done is not None:
        events.append(step(Started, done))
    found = report(events, str(quarter))
    due = decided + relativedelta(months=3)
    last = quarter.last_day
    pending = (done is None or done > last) and due <= last
    late_here = done is not None and quarter.first_day <= done <= last and done > due
    assert bool(found.pending) is pending
    assert any(r.status is Status.EXECUTED for r in found.rows) is late_here
    assert len(found.rows) == int(pending or late_here)
    random.Random(0).shuffle(events)
    assert report(events, str(quarter)) == found
    for text in (found.to_csv(), found.to_json(), found.to_html(), repr(found.rows)):
        assert _PIN.search(text) is None


# --------------------------------------------------------------------------- command line


def _ov_log(path: Path) -> Path:
    """An OV case decided on 2026-01-12 and never treated, and one treated in time."""
    from arendefordelning.eventlog import dump_events
    from arendefordelning.routines import outpatient_care as ov

    decided = [
        ov.DecisionMade(
            case=case,
            at=on(date(2026, 1, 12)),
            actor=WORKER,
            intervention="samtalsstöd",
            legal_basis=LegalBasis.SOL,
            sex=Sex.FEMALE,
            born=BORN,
        )
        for case in ("ÖV-1", "ÖV-2")
    ]
    dump_events(decided, path)
    return path


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    from arendefordelning.cli import main

    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_x6_the_ivo_command_prints_the_quarters_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """X-6: `arendefordelning ivo LOG --quarter 2026Q2` prints CSV, JSON or HTML."""
    log = _ov_log(tmp_path / "ov.jsonl")
    code, out, err = _cli(capsys, "ivo", str(log), "--quarter", "2026Q1")
    assert (code, err) == (0, "")
    assert out.splitlines() == [out.splitlines()[0]]  # the header only: nothing due yet
    code, out, _ = _cli(capsys, "ivo", str(log), "--quarter", "2026Q2")
    lines = out.splitlines()
    assert code == 0
    assert len(lines) == 3
    assert all(",OV," in line and ",ny," in line for line in lines[1:])
    code, out, _ = _cli(capsys, "ivo", str(log), "--quarter", "2026Q2", "--format", "json")
    assert code == 0
    assert len(json.loads(out)["rows"]) == 2
    code, out, _ = _cli(capsys, "ivo", str(log), "--quarter", "2026q3", "--format", "html")
    assert code == 0
    assert out.startswith("<!DOCTYPE html>")
    assert "fortfarande ej verkställt" in out
    monkeypatch.setattr("sys.stdin", io.StringIO(log.read_text(encoding="utf-8")))
    code, out, _ = _cli(capsys, "ivo", "-", "--quarter", "2026Q2", "--lang", "en")
    assert code == 0
    assert out.splitlines()[0].startswith("case,routine,individual,sex,decided on")
    assert _PIN.search(out) is None


def test_x6_the_ivo_command_refuses_bad_input_with_exit_code_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """X-6: a quarter that is not one, a missing log, a line that is no event: code 2."""
    log = _ov_log(tmp_path / "ov.jsonl")
    code, out, err = _cli(capsys, "ivo", str(log), "--quarter", "2026Q5")
    assert (code, out) == (2, "")
    assert err.startswith("arendefordelning: error: ")
    assert "YYYYQn" in err
    code, _, err = _cli(capsys, "ivo", str(tmp_path / "none.jsonl"), "--quarter", "2026Q1")
    assert code == 2
    assert err.count("\n") == 1
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"case": "19121212-1212"}\n', encoding="utf-8")
    code, _, err = _cli(capsys, "ivo", str(bad), "--quarter", "2026Q1")
    assert code == 2
    assert "19121212-1212" not in err
    code, _, err = _cli(capsys, "ivo", str(log))
    assert code == 2
    assert "--quarter" in err
