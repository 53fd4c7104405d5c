"""Routine DV: compare two placement policies over a year and plot them (DV-9).

Run it with ``python examples/placement_policies.py [output.png]`` (``.svg`` and
``.pdf`` work too); without one the plot goes to a new temporary directory. A city of
three districts and twelve day centres receives about eight requests a week for 52
weeks; a stay lasts 20 weeks on average, so the centres run nearly full. The routine's
own policy (wishes, then language, then distance) is compared with one that only looks
at distance, on the same arrivals. The script prints a summary per policy and where it
saved the plot. It needs matplotlib: ``pip install 'arendefordelning[plot]'``.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from arendefordelning.plotting import plot
from arendefordelning.routines.placement import (
    DayCentre,
    District,
    Location,
    Orientation,
    PlacementPolicy,
)
from arendefordelning.routines.placement_simulation import Row, simulate

DEMENTIA, SOCIAL = Orientation.DEMENTIA, Orientation.SOCIAL
IMAGE_SUFFIXES = (".png", ".svg", ".pdf")


def city() -> list[DayCentre]:
    """Three districts, four centres each: two with the orientation dementia, two social."""
    centres: list[DayCentre] = []
    for number, (name, latitude) in enumerate(
        (("Norr", 59.40), ("Centrum", 59.33), ("Söder", 59.28))
    ):
        district = District(
            name, unit_manager=f"ec-{number}", receivers=(f"ur-{number}a", f"ur-{number}b")
        )
        for k, (orientation, places, east) in enumerate(
            ((DEMENTIA, 8, 0.00), (DEMENTIA, 5, 0.06), (SOCIAL, 10, 0.03), (SOCIAL, 6, 0.09))
        ):
            centres.append(
                DayCentre(
                    id=f"{name} {k + 1}",
                    district=district,
                    orientation=orientation,
                    places=places,
                    location=Location(latitude + 0.01 * (k % 2), 17.98 + east),
                    languages={"sv", "fi"} if k == 1 else {"sv"},
                    suits_cognitive_impairment=orientation is DEMENTIA or k == 3,
                    profile={"musik"} if k % 2 else {"trädgård", "rörelse"},
                )
            )
    return centres


def summary(rows: list[Row]) -> None:
    """Print, per policy, the year's means and its last week's shares."""
    header = ("mean queue", "longest", "places", "spread", "wishes")
    print(f"{'policy':<10}", *(f"{title:>{len(title) + 1}}" for title in header))
    for policy in dict.fromkeys(str(row["policy"]) for row in rows):
        mine = [row for row in rows if row["policy"] == policy]
        mean = sum(float(row["mean_queue_days"]) for row in mine) / len(mine)
        longest = max(int(row["longest_queue_days"]) for row in mine)
        spread = sum(float(row["district_spread_days"]) for row in mine) / len(mine)
        last = mine[-1]
        print(
            f"{policy:<10} {mean:>9.1f} d {longest:>6} d {float(last['utilisation']):>7.0%} "
            f"{spread:>5.1f} d {float(last['wishes_met']):>7.0%}"
        )


def output() -> Path:
    """The image file named on the command line, or one in a new temporary directory.

    Only an argument ending in an image suffix counts: run by a test runner, the
    script sees the runner's arguments, which must not become a file.
    """
    for argument in sys.argv[1:]:
        if Path(argument).suffix.lower() in IMAGE_SUFFIXES:
            return Path(argument)
    return Path(tempfile.mkdtemp(prefix="placement-policies-")) / "placement_policies.png"


def main() -> None:
    policies = {
        "routine": PlacementPolicy(),
        "nearest": PlacementPolicy(wish_weight=0, weekday_weight=0, language_weight=0),
    }
    rows = simulate(city(), policies, weeks=52, seed=2026, arrivals_per_week=8, mean_stay_weeks=20)
    summary(rows)
    path = output()
    plot(rows, path)
    print(f"plot saved to {path}")


if __name__ == "__main__":
    main()
