"""Simulation of placement policies (simulering av fördelningspolicyer), DV-9; plotting.

The simulation's rows are checked for their shape, reproducibility, the same
population for every policy, the conservation of requests, the ranges of the measures
and for what the policies must do in a city with room for everyone. The plot is drawn
headless and saved; the example runs and writes its PNG.
"""

from __future__ import annotations

import math
import os
import runpy
import statistics
import subprocess
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import cast

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from arendefordelning.errors import InvalidInput
from arendefordelning.plotting import PANELS, plot
from arendefordelning.routines.placement import (
    DayCentre,
    District,
    Location,
    Orientation,
    PlacementPolicy,
)
from arendefordelning.routines.placement_simulation import (
    COLUMNS,
    MEASURES,
    SPREAD_DEFINITION,
    Row,
    Unit,
    simulate,
    summarize,
)

ROOT = Path(__file__).resolve().parents[1]
ROUTINE = PlacementPolicy()
NEAREST = PlacementPolicy(wish_weight=0, weekday_weight=0, language_weight=0)
POLICIES = {"routine": ROUTINE, "nearest": NEAREST}


def city(places: int = 4) -> list[DayCentre]:
    """Two districts, two centres each: one dementia, one social."""
    centres = []
    for number, (name, latitude) in enumerate((("Norr", 59.40), ("Söder", 59.28))):
        district = District(
            name, unit_manager=f"ec-{number}", receivers=(f"ur-{number}a", f"ur-{number}b")
        )
        for k, orientation in enumerate((Orientation.DEMENTIA, Orientation.SOCIAL)):
            for near in (0, 1):
                centres.append(
                    DayCentre(
                        id=f"{name}-{orientation.value}-{near}",
                        district=district,
                        orientation=orientation,
                        places=places,
                        location=Location(latitude, 18.0 + 0.05 * k + 0.1 * near),
                        languages={"sv", "fi"} if near else {"sv"},
                        profile={"musik"} if near else {"trädgård"},
                    )
                )
    return centres


def run(**overrides: object) -> list[Row]:
    arguments: dict[str, object] = {
        "weeks": 12,
        "seed": 7,
        "arrivals_per_week": 6,
        "mean_stay_weeks": 6,
    }
    arguments.update(overrides)
    return simulate(city(), POLICIES, **arguments)  # type: ignore[arg-type]


def of(rows: list[Row], policy: str) -> list[Row]:
    return [row for row in rows if row["policy"] == policy]


def test_dv9_one_row_per_policy_and_week_with_plain_values() -> None:
    """DV-9: every row has the columns, str keys and int, float, str, bool or date values."""
    rows = run()
    assert len(rows) == 2 * 12
    assert [row["policy"] for row in rows] == ["routine"] * 12 + ["nearest"] * 12
    assert [row["week"] for row in of(rows, "routine")] == list(range(1, 13))
    assert of(rows, "nearest")[2]["date"] == date(2026, 1, 19)
    for row in rows:
        assert tuple(row) == COLUMNS
        assert row["seed"] == 7
        assert type(row["warm_up"]) is bool
        assert type(row["date"]) is date
        for key, value in row.items():
            assert type(key) is str
            assert type(value) in (int, float, str, bool, date), key
    assert isinstance(rows[0]["utilisation"], float)
    assert isinstance(rows[0]["longest_queue_days"], int)


def test_dv9_the_same_seed_gives_the_same_rows_and_another_seed_others() -> None:
    """DV-9: the simulation is reproducible from its seed alone."""
    assert run() == run()
    assert run(seed=8) != run()


def test_dv9_every_policy_meets_the_same_arrivals() -> None:
    """DV-9: the population is drawn once, so policies are compared on the same people."""
    rows = run()
    arrivals = [row["arrivals"] for row in of(rows, "routine")]
    assert arrivals == [row["arrivals"] for row in of(rows, "nearest")]
    assert sum(int(a) for a in arrivals) > 0
    alone = simulate(
        city(), {"nearest": NEAREST}, weeks=12, seed=7, arrivals_per_week=6, mean_stay_weeks=6
    )
    assert alone == of(rows, "nearest")


def test_dv9_no_arrivals_leave_every_measure_at_zero() -> None:
    """DV-9: with nobody arriving, nobody waits and no place is taken."""
    for row in run(arrivals_per_week=0):
        assert row["arrivals"] == row["placed"] == row["waiting"] == row["in_place"] == 0
        assert row["utilisation"] == row["mean_queue_days"] == row["wishes_met"] == 0.0


def test_dv9_with_room_for_everyone_wishes_are_met_and_queues_are_short() -> None:
    """DV-9: with ample places the routine meets every wish; distance alone does not."""
    rows = simulate(
        city(places=60),
        POLICIES,
        weeks=10,
        seed=3,
        arrivals_per_week=10,
        mean_stay_weeks=4,
    )
    routine, nearest = of(rows, "routine"), of(rows, "nearest")
    assert routine[-1]["wishes_met"] == 1.0
    assert float(nearest[-1]["wishes_met"]) < 1.0
    for row in routine:
        # Arrivals come Monday to Friday and are placed on the Friday of their week,
        # or the next one after a clarification or a move to another district (DV-6, DV-8).
        assert int(row["longest_queue_days"]) <= 14
        assert float(row["utilisation"]) < 0.5


def test_dv9_a_full_city_fills_its_places_and_queues_grow() -> None:
    """DV-9: with more demand than places, utilisation approaches 1 and the queue grows."""
    rows = of(run(weeks=30, arrivals_per_week=12, mean_stay_weeks=40), "routine")
    assert float(rows[-1]["utilisation"]) > 0.9
    assert int(rows[-1]["waiting"]) > int(rows[5]["waiting"])
    assert int(rows[-1]["longest_queue_days"]) > 50
    assert float(rows[-1]["district_spread_days"]) >= 0.0


@settings(max_examples=15)
# A home place held for a cross-district proposal became the placement: placed, not moved.
@example(seed=39916801, weeks=5, arrivals=9.5, stay=6.0)
@given(
    seed=st.integers(0, 2**32),
    weeks=st.integers(1, 10),
    arrivals=st.floats(0, 15),
    stay=st.floats(1, 12),
)
def test_dv9_requests_are_conserved_and_measures_stay_in_range(
    seed: int, weeks: int, arrivals: float, stay: float
) -> None:
    """DV-9: every arrival is placed or still waiting; shares lie in [0, 1]."""
    rows = simulate(
        city(places=3),
        POLICIES,
        weeks=weeks,
        seed=seed,
        arrivals_per_week=arrivals,
        mean_stay_weeks=stay,
    )
    for policy in POLICIES:
        arrived = placed = 0
        for row in of(rows, policy):
            arrived += int(row["arrivals"])
            placed += int(row["placed"])
            assert arrived == placed + int(row["waiting"])
            assert 0 <= int(row["in_place"]) <= placed
            assert 0.0 <= float(row["utilisation"]) <= 1.0
            assert 0.0 <= float(row["wishes_met"]) <= 1.0
            assert 0.0 <= float(row["mean_queue_days"]) <= int(row["longest_queue_days"])
            assert 0.0 <= float(row["district_spread_days"]) <= int(row["longest_queue_days"])
            assert int(row["proposals"]) <= int(row["waiting"])


def test_dv9_bad_arguments_are_refused_naming_the_argument() -> None:
    """DV-9: weeks, seed, rates, policies, centres and start are checked."""
    cases: list[tuple[dict[str, object], str]] = [
        ({"weeks": 0}, "weeks must be a whole number"),
        ({"weeks": 521}, "from 1 to 520"),
        ({"weeks": 2.0}, "weeks must be a whole number"),
        ({"seed": "7"}, "seed must be a whole number"),
        ({"arrivals_per_week": -1}, "arrivals_per_week must be a finite number"),
        ({"arrivals_per_week": math.nan}, "arrivals_per_week must be a finite number"),
        ({"mean_stay_weeks": 0.5}, r"mean_stay_weeks must be .* from 1 to 520"),
        ({"start": date(2026, 1, 6)}, "start must be a Monday"),
    ]
    for overrides, message in cases:
        with pytest.raises(InvalidInput, match=message):
            run(**overrides)
    with pytest.raises(InvalidInput, match="non-empty mapping"):
        simulate(city(), {}, weeks=1, seed=1, arrivals_per_week=1, mean_stay_weeks=1)
    with pytest.raises(InvalidInput, match=r"policies\['x'\] must be a PlacementPolicy"):
        simulate(
            city(),
            {"x": "fast"},  # type: ignore[dict-item]
            weeks=1,
            seed=1,
            arrivals_per_week=1,
            mean_stay_weeks=1,
        )
    with pytest.raises(InvalidInput, match="at least one DayCentre"):
        simulate([], POLICIES, weeks=1, seed=1, arrivals_per_week=1, mean_stay_weeks=1)


# --------------------------------------------------------------------------- plotting


def test_dv9_plot_draws_every_measure_and_saves_a_png(tmp_path: Path) -> None:
    """DV-9: one panel per measure, one line per policy; the PNG is written."""
    rows = run()
    path = tmp_path / "policies.png"
    figure = plot(rows, path)
    axes = figure.get_axes()
    assert len(axes) == len(PANELS)
    assert [ax.get_title() for ax in axes] == [measure.en for measure in PANELS]
    for ax in axes:
        assert [line.get_label() for line in ax.get_lines()] == ["routine", "nearest"]
        weeks = cast(Sequence[float], ax.get_lines()[0].get_xdata())
        assert list(weeks) == list(range(1, 13))
    assert path.read_bytes().startswith(b"\x89PNG")
    swedish = plot(rows, language="sv")
    assert swedish.get_axes()[0].get_title() == "Medelkötid"
    assert swedish.get_axes()[0].get_ylabel() == "dagar"
    assert figure.canvas.__class__.__name__ == "FigureCanvasAgg"


def test_dv9_the_plot_reads_honestly() -> None:
    """DV-9: units on every axis, shares in percent, axes from 0, cumulative named, warm-up
    shaded, seeds as a band, and the spread between districts defined in the caption."""
    from matplotlib.collections import PolyCollection
    from matplotlib.patches import Rectangle

    rows = run(seed=range(3), weeks=12, mean_stay_weeks=4)
    figure = plot(rows)
    axes = figure.get_axes()
    units = {"days", "%", "requests"}
    for ax, measure in zip(axes, PANELS, strict=True):
        assert ax.get_ylabel() in units
        assert ax.get_ylim()[0] == 0
        if measure.unit is Unit.SHARE:
            assert ax.get_ylabel() == "%"
            assert ax.get_ylim()[1] >= 100
            values = [float(v) for v in cast(Sequence[float], ax.get_lines()[0].get_ydata())]
            assert max(values) > 1  # percent, not a share of 1
        warm = [patch for patch in ax.patches if isinstance(patch, Rectangle)]
        assert warm, "warm-up weeks are not shaded"
        bands = [c for c in ax.collections if isinstance(c, PolyCollection)]
        assert len(bands) == 2  # one band per policy over the seeds
    titles = [ax.get_title() for ax in axes]
    assert "Wishes met, cumulative" in titles
    from matplotlib.text import Text

    caption = " ".join(" ".join(each.get_text().split()) for each in figure.findobj(Text))
    assert " ".join(SPREAD_DEFINITION[1].split()) in caption
    assert "3 seeds" in caption
    assert "95 %" in caption
    one = plot(run())
    assert not [c for c in one.get_axes()[0].collections if isinstance(c, PolyCollection)]


def test_dv9_plot_refuses_what_is_not_simulation_rows() -> None:
    """DV-9: rows without the measures, or no rows, are refused."""
    with pytest.raises(InvalidInput, match="at least one row"):
        plot([])
    with pytest.raises(InvalidInput, match="keys of simulate"):
        plot([{"policy": "x", "week": 1}])
    with pytest.raises(InvalidInput, match="iterable of rows"):
        plot("rows")  # type: ignore[arg-type]
    broken = dict(run()[0], utilisation="full")
    with pytest.raises(InvalidInput, match="utilisation of each row must be a number"):
        plot([broken])
    with pytest.raises(InvalidInput, match="language"):
        plot(run(), language="de")


def test_dv9_plot_says_what_to_install_without_matplotlib(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """DV-9: without matplotlib, plot() names the extra to install."""
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    with pytest.raises(ImportError, match=r"arendefordelning\[plot\]"):
        plot(run(weeks=1))


def test_importing_the_package_and_the_simulation_does_not_load_matplotlib() -> None:
    """DV-9: the core and the plotting module import matplotlib only to draw."""
    code = (
        "import sys, arendefordelning, arendefordelning.plotting; "
        "import arendefordelning.routines.placement_simulation; "
        "assert 'matplotlib' not in sys.modules, 'matplotlib imported eagerly'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.slow
def test_dv9_the_example_compares_two_policies_and_saves_its_plot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """DV-9: examples/placement_policies.py runs headless and writes its PNG where asked,
    by default in the working directory, with intervals over seeds in its summary."""
    example = ROOT / "examples" / "placement_policies.py"
    target = tmp_path / "year.png"
    monkeypatch.setattr(sys, "argv", [str(example), str(target)])
    runpy.run_path(str(example), run_name="__main__")
    printed = capsys.readouterr().out
    assert "routine" in printed
    assert "nearest" in printed
    assert "95 % interval over seeds" in printed
    assert f"plot saved to {target}" in printed
    assert target.read_bytes().startswith(b"\x89PNG")
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    monkeypatch.setattr(sys, "argv", [str(example)])
    runpy.run_path(str(example), run_name="__main__")
    assert "plot saved to placement_policies.png" in capsys.readouterr().out
    assert [path.name for path in here.iterdir()] == ["placement_policies.png"]


def test_dv9_the_rows_do_not_depend_on_the_hash_seed() -> None:
    """DV-9: two interpreters with different hash seeds draw and place the same way."""
    code = (
        "from arendefordelning.routines.placement import *\n"
        "from arendefordelning.routines.placement_simulation import simulate\n"
        "d = [District(n, unit_manager='ec-' + n, receivers=(n + '-a', n + '-b'))"
        " for n in ('Norr', 'Söder')]\n"
        "c = [DayCentre(id=f'{x.name}-{k}', district=x, orientation=list(Orientation)[k % 2],"
        " places=3, location=Location(59.3 + i / 10, 18 + k / 20), languages={'sv', 'fi', 'ar'},"
        " profile={'musik', 'trädgård', 'rörelse'}) for i, x in enumerate(d) for k in range(3)]\n"
        "rows = simulate(c, {'a': PlacementPolicy(), 'b': PlacementPolicy(distance_weight=999)},"
        " weeks=8, seed=5, arrivals_per_week=5, mean_stay_weeks=3)\n"
        "print(repr(rows))\n"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            check=True,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    }
    assert len(outputs) == 1
    assert "'policy': 'b'" in outputs.pop()


# --------------------------------------------------------------------------- the first hour

NUMBER = 191212121212
"""An int shaped like a personal identity number without its dash."""


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"mean_stay_weeks": 1e17}, "mean_stay_weeks must be a finite number .* from 1 to 520"),
        ({"mean_stay_weeks": 10**400}, "mean_stay_weeks must be a finite number"),
        ({"arrivals_per_week": 1e9}, "arrivals_per_week must be .* from 0 to 1000"),
        ({"start": date(9999, 12, 6)}, "start must leave room for the weeks"),
        ({"start": date(9999, 11, 1), "weeks": 10}, "start must leave room"),
        ({"weeks": NUMBER}, "weeks must be a whole number from 1 to 520"),
        ({"seed": list(range(101))}, "sequence of 1 to 100 different ones"),
        ({"seed": [1, 1]}, "different ones"),
        ({"seed": []}, "sequence of 1 to 100"),
        ({"seed": True}, "seed must be a whole number"),
        ({"warm_up_weeks": 12}, r"warm_up_weeks must be a whole number from 0 to 11"),
        ({"warm_up_weeks": -NUMBER}, "warm_up_weeks must be a whole number"),
    ],
)
def test_dv9_every_size_is_bounded_and_refused_with_the_packages_error(
    overrides: dict[str, object], message: str
) -> None:
    """DV-9: each size has a bound; past it an InvalidInput that repeats no value."""
    with pytest.raises(InvalidInput, match=message) as caught:
        run(**overrides)
    assert "1212" not in str(caught.value)
    assert "1e+17" not in str(caught.value)


def test_dv9_at_most_twenty_policies() -> None:
    """DV-9: a call compares at most 20 policies."""
    many = {f"p{n}": ROUTINE for n in range(21)}
    with pytest.raises(InvalidInput, match="at most 20 policies"):
        simulate(city(), many, weeks=1, seed=1, arrivals_per_week=1, mean_stay_weeks=1)


_JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=5),
    st.dates(),
    st.lists(st.integers(), max_size=3),
)


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(
        ["weeks", "seed", "arrivals_per_week", "mean_stay_weeks", "start", "warm_up_weeks"]
    ),
    _JUNK,
)
def test_dv9_any_argument_gives_rows_or_only_the_packages_error(name: str, value: object) -> None:
    """DV-9: whatever one argument holds, simulate returns rows or raises InvalidInput."""
    try:
        rows = run(**{name: value, "weeks": 2} if name != "weeks" else {name: value})
    except InvalidInput:
        return
    assert rows


def test_dv9_several_seeds_in_one_call_are_the_seeds_one_by_one() -> None:
    """DV-9: ``seed=[7, 8]`` gives seed 7's rows, then seed 8's, each marked."""
    both = run(seed=[7, 8])
    assert both == run(seed=7) + run(seed=8)
    assert [row["seed"] for row in both] == [7] * 24 + [8] * 24
    assert run(seed=range(7, 9)) == both


def test_dv9_warm_up_weeks_are_marked() -> None:
    """DV-9: the first weeks are warm-up: by default the mean stay, at most half the weeks."""
    rows = of(run(weeks=12, mean_stay_weeks=4.2), "routine")
    assert [row["warm_up"] for row in rows] == [True] * 5 + [False] * 7
    rows = of(run(weeks=12, mean_stay_weeks=40), "routine")
    assert [row["warm_up"] for row in rows] == [True] * 6 + [False] * 6
    rows = of(run(weeks=12, warm_up_weeks=0), "routine")
    assert not any(row["warm_up"] for row in rows)


def test_dv9_summary_gives_steady_means_with_an_interval_over_seeds() -> None:
    """DV-9: per policy and measure, the mean over seeds of the steady weeks, and a 95 % CI."""
    rows = run(seed=range(5), weeks=12, mean_stay_weeks=4)
    summary = summarize(rows)
    assert len(summary) == len(POLICIES) * len(MEASURES)
    first = summary[0]
    assert (first["policy"], first["measure"], first["unit"]) == (
        "routine",
        "mean_queue_days",
        "dagar",
    )
    assert (first["seeds"], first["weeks"]) == (5, 8)
    per_seed = [
        statistics.fmean(
            float(row["mean_queue_days"])
            for row in rows
            if row["policy"] == "routine" and row["seed"] == seed and not row["warm_up"]
        )
        for seed in range(5)
    ]
    assert first["mean"] == pytest.approx(statistics.fmean(per_seed))
    half = 2.776 * statistics.stdev(per_seed) / math.sqrt(5)
    assert first["low"] == pytest.approx(statistics.fmean(per_seed) - half)
    assert first["high"] == pytest.approx(statistics.fmean(per_seed) + half)
    wishes = next(
        each for each in summary if each["measure"] == "wishes_met" and each["policy"] == "routine"
    )
    last = [
        float(row["wishes_met"]) for row in rows if row["policy"] == "routine" and row["week"] == 12
    ]
    assert wishes["mean"] == pytest.approx(statistics.fmean(last))  # cumulative: the last week
    single = summarize(run())
    assert all(math.isnan(float(cast(float, each["low"]))) for each in single)
    with pytest.raises(InvalidInput, match="not marked warm_up"):
        summarize(run(weeks=2, warm_up_weeks=1)[:1])


def test_dv8_a_held_home_place_is_released_or_kept_and_requests_are_conserved() -> None:
    """DV-8, DV-9: with holds, every arrival is placed or waiting, and places never overflow."""
    policies = {
        "hold": PlacementPolicy(),
        "no hold": PlacementPolicy(hold_home_place=False),
    }
    rows = simulate(
        city(places=2),
        policies,
        weeks=30,
        seed=range(3),
        arrivals_per_week=6,
        mean_stay_weeks=5,
    )
    for seed in range(3):
        for policy in policies:
            arrived = placed = 0
            for row in rows:
                if row["seed"] != seed or row["policy"] != policy:
                    continue
                arrived += int(row["arrivals"])
                placed += int(row["placed"])
                assert arrived == placed + int(row["waiting"])
                assert 0.0 <= float(row["utilisation"]) <= 1.0
