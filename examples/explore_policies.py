# %% [markdown]
# # Exploring policies: cut-off, rotation list, placement (VAL-6, VAL-2, DV-9)
#
# An analyst's notebook, also a plain script: `python examples/explore_policies.py
# [DIRECTORY]` saves its three figures as PNG files in DIRECTORY (by default the working
# directory) and prints its tables; `examples/explore_policies.ipynb` holds the same
# cells. It needs the extras `numpy` and `plot` and pandas
# (`pip install 'arendefordelning[numpy,plot]' pandas`).
#
# 1. How a cut-off of 15:00 instead of 14:00 shifts a year of home-care deadlines
#    (VAL-6): a histogram of the hours a provider gets.
# 2. What the non-choice rotation list does to providers' shares when one has a cap
#    (VAL-2).
# 3. Two placement policies for day activity compared over several seeds (DV-9).

# %%
from __future__ import annotations

import sys
import textwrap
from datetime import date, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from arendefordelning import (
    DayCentre,
    District,
    ExecutionDeadlinePolicy,
    Location,
    Orientation,
    PlacementPolicy,
    Provider,
    simulate,
    summarize,
)
from arendefordelning.batch import execution_deadlines, workdays
from arendefordelning.plotting import plot
from arendefordelning.routines.placement_simulation import MEASURES, Unit
from arendefordelning.routines.rotation import RotationList

try:  # in a notebook the figures are shown too; a plain Python only saves them
    from IPython import get_ipython
    from IPython.display import Image, display
except ImportError:
    get_ipython = None

SE = ZoneInfo("Europe/Stockholm")


def output_directory() -> Path:
    """The directory named on the command line, or the working directory.

    Only an existing directory counts: run by a test runner or a notebook kernel, the
    script sees arguments that are not meant for it.
    """
    for argument in sys.argv[1:]:
        if Path(argument).is_dir():
            return Path(argument)
    return Path()


OUTPUT = output_directory()


def show(figure: Figure, name: str) -> Path:
    """Save ``figure`` as ``name``.png in the output directory; show it in a notebook."""
    path = OUTPUT / f"{name}.png"
    figure.savefig(path)
    if get_ipython is not None and get_ipython() is not None:
        display(Image(filename=str(path)))  # type: ignore[no-untyped-call]
    print(f"saved {path}")
    return path


def new_figure(width: float, height: float) -> Figure:
    """A figure on the non-interactive Agg canvas: no pyplot, no display needed."""
    figure = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(figure)
    return figure


# %% [markdown]
# ## 1. A 15:00 cut-off instead of 14:00 (VAL-6)
#
# A year of distribution times as a municipality sees them: on working days only, about
# 25 a day, most in the morning and after lunch, a few late in the afternoon. An
# assignment distributed after the cut-off is counted from 07:00 on the next working
# day; before it, 24 hours from the distribution.

# %%
rng = np.random.default_rng(2026)
year = pd.date_range("2026-01-01", "2026-12-31", freq="D")
working = year[workdays(year)]
per_day = rng.poisson(25, len(working))
days = np.repeat(working.to_numpy(), per_day)
# Two peaks, 09:30 and 13:30, and a tail into the late afternoon (hours on the clock).
peak = rng.choice([9.5, 13.5], size=days.size, p=[0.55, 0.45])
hours = np.clip(rng.normal(peak, 1.4), 7.0, 17.5)
local = pd.DatetimeIndex(days) + pd.to_timedelta(np.round(hours * 60), unit="min")
times = pd.Series(local.tz_localize(SE), name="distributed")

cutoffs = {"14:00": ExecutionDeadlinePolicy(), "15:00": ExecutionDeadlinePolicy(cutoff=time(15))}
hours_to_deadline = pd.DataFrame(
    {
        name: (execution_deadlines(times, policy=policy) - times) / pd.Timedelta(hours=1)
        for name, policy in cutoffs.items()
    }
)
table = pd.DataFrame(
    {
        "share after the cut-off (%)": [
            100 * float(np.mean(times.dt.time > policy.cutoff)) for policy in cutoffs.values()
        ],
        "mean hours to deadline": hours_to_deadline.mean().to_numpy(),
        "share with more than 48 h (%)": 100 * (hours_to_deadline > 48).mean().to_numpy(),
    },
    index=pd.Index(list(cutoffs), name="cut-off"),
).round(1)
print(f"{len(times):,} distributions on {len(working)} working days of 2026")
print(table.to_string())

# %%
figure = new_figure(9, 4.8)
ax = figure.subplots()
longest = float(hours_to_deadline.to_numpy().max())
bins = [float(edge) for edge in np.arange(0, 24 * np.ceil(longest / 24) + 1, 6)]
ax.hist(
    [hours_to_deadline[name] for name in cutoffs],
    bins=bins,
    label=[f"cut-off {name}" for name in cutoffs],
)
ax.set_xlabel("hours from distribution to the execution deadline")
ax.set_ylabel("assignments in 2026")
ax.set_xticks(np.arange(0, bins[-1] + 1, 24))
ax.set_xlim(0, bins[-1])
ax.legend()
ax.set_title("A later cut-off keeps more assignments at 24 hours (VAL-6)")
figure.supxlabel(
    textwrap.fill(
        "Bars of 6 hours, side by side per cut-off. At or before the cut-off the deadline "
        "is 24 hours after the distribution; after it, 24 hours from 07:00 on the next "
        "working day: about 41 hours on a weekday, more over a weekend or a holiday.",
        110,
    ),
    fontsize="small",
)
show(figure, "cutoff_hours")

# %% [markdown]
# ## 2. The rotation list under a cap (VAL-2)
#
# Three providers share an area's non-choice list. A customer stays about ten weeks.
# Without caps the list deals the customers out in turn; with a cap of four customers at
# "Omsorg Öst", that provider is passed over while it is full and keeps its turn, and the
# others take its share.

# %%
providers = [Provider("Hemtjänst Norr"), Provider("Omsorg Öst"), Provider("Vård Väst")]


def rotate(caps: dict[str, int]) -> pd.Series:
    """Give 150 non-choice customers over a year; return each provider's share in %."""
    rotation = RotationList.alphabetical("Centrum", providers, joined=date(2026, 1, 1))
    for provider in providers:
        if provider.name in caps:
            rotation = rotation.set_cap(provider, caps[provider.name])
    draw = np.random.default_rng(7)
    leaving: list[tuple[date, Provider]] = []
    given: dict[str, int] = {provider.name: 0 for provider in providers}
    day = date(2026, 1, 1)
    for _ in range(150):
        day += timedelta(days=int(draw.integers(1, 5)))
        for left in [each for each in leaving if each[0] <= day]:
            leaving.remove(left)
            rotation = rotation.release(left[1])
        provider, rotation = rotation.take(day)
        given[provider.name] += 1
        leaving.append((day + timedelta(weeks=int(draw.integers(6, 15))), provider))
    counts = pd.Series(given)
    return 100 * counts / counts.sum()


shares = pd.DataFrame({"no cap": rotate({}), "cap of 4 at Omsorg Öst": rotate({"Omsorg Öst": 4})})
print(shares.round(1).to_string())

# %%
figure = new_figure(8, 4)
ax = figure.subplots()
positions = np.arange(len(shares.index))
width = 0.38
for offset, column in zip((-width / 2, width / 2), shares.columns, strict=True):
    ax.bar(positions + offset, shares[column], width, label=column)
ax.set_xticks(positions, shares.index)
ax.set_ylabel("share of non-choice customers (%)")
ax.set_ylim(0, 100)
ax.axhline(100 / len(providers), color="0.4", linewidth=0.8, linestyle="--")
ax.legend()
ax.set_title("A capped provider's share goes to the others (VAL-2)")
figure.supxlabel(
    textwrap.fill(
        "150 customers who did not choose, over a year; each stays 6 to 14 weeks. "
        "Dashed: an equal share.",
        110,
    ),
    fontsize="small",
)
show(figure, "rotation_shares")

# %% [markdown]
# ## 3. Two placement policies for day activity (DV-9)
#
# A city of three districts and twelve day centres. The routine's policy (wishes, then
# language, then distance) against distance alone, on the same arrivals, over six seeds;
# the first year is warm-up while the centres fill. One seed cannot tell two policies
# apart: the summary gives each measure's steady-state mean with a 95 % interval over the
# seeds, and the plot shows the seeds as a band.


# %%
def city() -> list[DayCentre]:
    """Three districts, four centres each: two with the orientation dementia, two social."""
    centres: list[DayCentre] = []
    layout = ((8, 0.00), (5, 0.06), (10, 0.03), (6, 0.09))
    for number, (name, latitude) in enumerate(
        (("Norr", 59.40), ("Centrum", 59.33), ("Söder", 59.28))
    ):
        district = District(
            name, unit_manager=f"ec-{number}", receivers=(f"ur-{number}a", f"ur-{number}b")
        )
        for k, (places, east) in enumerate(layout):
            orientation = Orientation.DEMENTIA if k < 2 else Orientation.SOCIAL
            centres.append(
                DayCentre(
                    id=f"{name} {k + 1}",
                    district=district,
                    orientation=orientation,
                    places=places,
                    location=Location(latitude + 0.01 * (k % 2), 17.98 + east),
                    languages={"sv", "fi"} if k == 1 else {"sv"},
                    suits_cognitive_impairment=orientation is Orientation.DEMENTIA or k == 3,
                    profile={"musik"} if k % 2 else {"trädgård", "rörelse"},
                )
            )
    return centres


policies = {
    "routine": PlacementPolicy(),
    "nearest": PlacementPolicy(wish_weight=0, weekday_weight=0, language_weight=0),
}
rows = simulate(
    city(),
    policies,
    weeks=104,
    seed=range(6),
    arrivals_per_week=7,
    mean_stay_weeks=20,
    warm_up_weeks=52,
)
frame = pd.DataFrame(rows)
print(frame.dtypes[["seed", "date", "warm_up", "utilisation"]].to_string())

# %%
summary = pd.DataFrame(summarize(rows))
percent = summary["unit"] == Unit.SHARE.value
summary.loc[percent, ["mean", "low", "high"]] *= 100
titles = {
    measure.key: f"{measure.title('en')} ({measure.unit.label('en')})" for measure in MEASURES
}
summary["measure"] = summary["measure"].map(titles)
print(
    summary.pivot(index="measure", columns="policy", values=["mean", "low", "high"])
    .round(1)
    .to_string()
)

# %%
show(plot(rows), "placement_policies")
