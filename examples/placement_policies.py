"""Routine DV: compare two placement policies over two years and plot them (DV-9).

Run it with ``python examples/placement_policies.py [output.png]`` (``.svg`` and
``.pdf`` work too); without one the plot is saved as ``placement_policies.png`` in the
working directory. A city of three districts and twelve day centres receives about
seven requests a week for 104 weeks; a stay lasts 20 weeks on average, so the centres
fill during the first year (marked as warm-up) and run at about 85 % in the second. The
routine's own policy (wishes, then language, then distance) is compared with one that
only looks at distance, on the same arrivals, over six seeds. The script prints each
measure's steady-state mean with its 95 % interval over the seeds and where it saved
the plot. It needs matplotlib: ``pip install 'arendefordelning[plot]'``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import cast

from arendefordelning import (
    DayCentre,
    District,
    Location,
    Orientation,
    PlacementPolicy,
    simulate,
    summarize,
)
from arendefordelning.plotting import plot
from arendefordelning.routines.placement_simulation import MEASURES, Row, Unit

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
    """Print each measure's steady-state mean per policy, with its 95 % interval over seeds."""
    units = {measure.key: measure for measure in MEASURES}
    print(f"{'measure':<28} {'policy':<9} {'mean':>8}   95 % interval over seeds")
    for each in summarize(rows):
        measure = units[str(each["measure"])]
        scale, unit = (100.0, " %") if measure.unit is Unit.SHARE else (1.0, "")
        if measure.unit is Unit.DAYS:
            unit = " d"
        mean, low, high = (scale * cast(float, each[key]) for key in ("mean", "low", "high"))
        print(
            f"{measure.title('en'):<28} {each['policy']!s:<9} {mean:>6.1f}{unit:<2}  "
            f"{low:6.1f} to {high:.1f}{unit}"
        )


def output() -> Path:
    """The image file named on the command line, or ``placement_policies.png`` here.

    Only an argument ending in an image suffix counts: run by a test runner, the
    script sees the runner's arguments, which must not become a file.
    """
    for argument in sys.argv[1:]:
        if Path(argument).suffix.lower() in IMAGE_SUFFIXES:
            return Path(argument)
    return Path("placement_policies.png")


def main() -> None:
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
    summary(rows)
    path = output()
    plot(rows, path)
    print(f"plot saved to {path}")


if __name__ == "__main__":
    main()
