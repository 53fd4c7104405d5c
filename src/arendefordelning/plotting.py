"""Plots (diagram) of the package's results; needs matplotlib, the extra ``[plot]``.

An edge module: nothing in the core imports it, and it imports matplotlib only when a
plot is drawn, so ``import arendefordelning`` never loads matplotlib. Figures are drawn
on matplotlib's non-interactive Agg canvas, without pyplot and without changing the
caller's matplotlib backend, so plotting works on a server with no display.

Install with ``pip install 'arendefordelning[plot]'``.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping
from os import PathLike
from typing import TYPE_CHECKING, Final, NamedTuple

from ._validators import describe
from .deadlines import Language
from .errors import InvalidInput
from .routines.placement_simulation import MEASURES, SPREAD_DEFINITION, Unit, mean_interval

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["PANELS", "plot"]

PANELS: Final = MEASURES
"""The measures :func:`plot` draws, one panel each, in order (see ``MEASURES``)."""

_CAPTION: Final = {
    "en": (
        "Lines: the mean over {seeds}; bands: its 95 % confidence interval (Student's t). "
        "Grey: warm-up weeks, while the centres fill from empty; summaries leave them out. "
        "Shares in percent. "
    ),
    "sv": (
        "Linjer: medelvärdet över {seeds}; band: dess 95-procentiga konfidensintervall "
        "(Students t). Grått: uppstartsveckor, medan verksamheterna fylls från tomma; "
        "sammanfattningar räknar inte med dem. Andelar i procent. "
    ),
}
_SEEDS: Final = {"en": ("1 seed", "{n} seeds"), "sv": ("1 frö", "{n} frön")}
_TEXTS: Final = {
    "en": ("week", "warm-up", "Day-activity placement policies (DV-9)"),
    "sv": ("vecka", "uppstart", "Fördelningspolicyer för dagverksamhet (DV-9)"),
}


def _import_matplotlib() -> tuple[type[Figure], type]:
    # Imported here, on the first plot, so that importing the package never loads it.
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: PLC0415
        from matplotlib.figure import Figure  # noqa: PLC0415
    except ImportError:
        raise ImportError(
            "arendefordelning.plotting needs matplotlib: pip install 'arendefordelning[plot]'"
        ) from None
    return Figure, FigureCanvasAgg


class _Series(NamedTuple):
    """One policy's weeks: per week the value of each measure in each seed."""

    weeks: list[int]
    values: dict[str, list[list[float]]]
    """By measure key: per week, the values over the seeds."""


def _series(rows: object) -> tuple[dict[str, _Series], int, int]:
    """Group the rows by policy and week; return them, the seeds and the last warm-up week."""
    if isinstance(rows, str | bytes | Mapping) or not isinstance(rows, Iterable):
        raise InvalidInput(
            f"rows must be an iterable of rows from simulate() (dicts), not {describe(rows)}"
        )
    keys = ("policy", "week", *(measure.key for measure in MEASURES))
    grouped: dict[str, dict[int, dict[object, Mapping[str, object]]]] = {}
    seeds: set[object] = set()
    warm_up = 0
    for row in rows:
        if not isinstance(row, Mapping) or any(key not in row for key in keys):
            raise InvalidInput(
                "each row must be a mapping with the keys of simulate()'s rows: " + ", ".join(keys)
            )
        week = _week(row["week"])
        seed = row.get("seed")
        seeds.add(seed)
        if row.get("warm_up") is True:
            warm_up = max(warm_up, week)
        grouped.setdefault(str(row["policy"]), {}).setdefault(week, {})[seed] = row
    if not grouped:
        raise InvalidInput("rows must hold at least one row from simulate()")
    series: dict[str, _Series] = {}
    for policy, by_week in grouped.items():
        weeks = sorted(by_week)
        series[policy] = _Series(
            weeks,
            {
                measure.key: [
                    [_number(row[measure.key], measure.key) for row in by_week[week].values()]
                    for week in weeks
                ]
                for measure in MEASURES
            },
        )
    return series, len(seeds), warm_up


def _week(value: object) -> int:
    if type(value) is not int:
        raise InvalidInput(f"week of each row must be a whole number, not {describe(value)}")
    return value


def _number(value: object, key: str) -> float:
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise InvalidInput(f"{key} of each row must be a number, not {describe(value)}")
    return float(value)


def plot(
    rows: Iterable[Mapping[str, object]],
    path: str | PathLike[str] | None = None,
    *,
    language: str = "en",
) -> Figure:
    """Plot a policy simulation (diagram över fördelningspolicyer), DV-9.

    One panel per measure of :data:`PANELS` — mean and longest queue time, places
    taken, the spread between districts, wishes met (cumulative) and requests waiting —
    with one line per policy over the weeks, as :func:`~arendefordelning.routines.
    placement_simulation.simulate` returns them. Rows of several seeds give each week's
    mean over the seeds as the line and its 95 % confidence interval as a band. Every
    y axis is labelled with its unit and starts at 0 (shares in percent, 0 to 100), so
    no gap is magnified; the warm-up weeks are shaded; a caption under the panels says
    what the lines and bands are and defines the spread between districts.

    Args:
        rows: The rows of ``simulate`` (or any rows with the same keys).
        path: Where to save the figure (the format follows the suffix, such as
            ``.png`` or ``.svg``); None to save nothing. Nothing is written elsewhere.
        language: ``"en"`` (the default) or ``"sv"`` for the titles and caption.

    Returns:
        The matplotlib Figure, drawn on an Agg canvas.

    Raises:
        InvalidInput: when the rows are not simulation rows.
        ImportError: when matplotlib is not installed.
    """
    if language not in ("en", "sv"):
        raise InvalidInput("language must be 'en' (English) or 'sv' (Swedish)")
    chosen: Language = "sv" if language == "sv" else "en"
    series, seeds, warm_up = _series(rows)
    figure_class, canvas_class = _import_matplotlib()
    figure = figure_class(figsize=(11, 10), layout="constrained")
    canvas_class(figure)
    axes = figure.subplots(3, 2, sharex=True)
    week_word, warm_word, title = _TEXTS[chosen]
    for ax, measure in zip(axes.flat, PANELS, strict=True):
        scale = 100.0 if measure.unit is Unit.SHARE else 1.0
        if warm_up:
            ax.axvspan(0.5, warm_up + 0.5, color="0.85", label=warm_word, zorder=0)
        top = 0.0
        for policy, data in series.items():
            bands = [mean_interval(values) for values in data.values[measure.key]]
            mean = [scale * band[0] for band in bands]
            (line,) = ax.plot(data.weeks, mean, label=policy)
            if seeds > 1:
                ax.fill_between(
                    data.weeks,
                    [scale * band[1] for band in bands],
                    [scale * band[2] for band in bands],
                    color=line.get_color(),
                    alpha=0.2,
                    linewidth=0,
                )
            top = max(top, *(scale * max(band[0], band[2]) for band in bands))
        ax.set_title(measure.title(chosen))
        ax.set_ylabel(measure.unit.label(chosen))
        if measure.unit is Unit.SHARE:
            ax.set_ylim(0, 102)  # room for a line at 100 % above the frame
            ax.set_yticks(range(0, 101, 20))
        else:
            ax.set_ylim(0, max(1.0, top * 1.05))
        ax.grid(visible=True, alpha=0.3)
    for ax in axes[-1]:
        ax.set_xlabel(week_word)
    axes.flat[0].legend(loc="best", fontsize="small")
    figure.suptitle(title)
    one, many = _SEEDS[chosen]
    counted = one if seeds == 1 else many.format(n=seeds)
    caption = _CAPTION[chosen].format(seeds=counted) + SPREAD_DEFINITION[0 if chosen == "sv" else 1]
    figure.supxlabel(textwrap.fill(caption, 140), fontsize="small")
    if path is not None:
        figure.savefig(path)
    return figure
