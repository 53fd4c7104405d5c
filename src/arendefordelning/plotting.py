"""Plots (diagram) of the package's results; needs matplotlib, the extra ``[plot]``.

An edge module: nothing in the core imports it, and it imports matplotlib only when a
plot is drawn, so ``import arendefordelning`` never loads matplotlib. Figures are drawn
on matplotlib's non-interactive Agg canvas, without pyplot and without changing the
caller's matplotlib backend, so plotting works on a server with no display.

Install with ``pip install 'arendefordelning[plot]'``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from os import PathLike
from typing import TYPE_CHECKING, Final

from ._validators import describe
from .errors import InvalidInput

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["PANELS", "plot"]

PANELS: Final = (
    ("mean_queue_days", "Mean queue time (days)", "Medelkötid (dagar)"),
    ("longest_queue_days", "Longest queue time (days)", "Längsta kötid (dagar)"),
    ("utilisation", "Places taken (share)", "Beläggning (andel)"),
    (
        "district_spread_days",
        "Spread between districts (days)",
        "Skillnad mellan stadsområden (dagar)",
    ),
    ("wishes_met", "Wishes met (share)", "Uppfyllda önskemål (andel)"),
    ("waiting", "Requests waiting", "Ärenden i kö"),
)
"""The measures :func:`plot` draws, one panel each: key, English and Swedish title."""


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


def _series(rows: object) -> dict[str, dict[str, list[float]]]:
    """Group the rows by policy: for each, the week and every measure, in week order."""
    if isinstance(rows, str | bytes | Mapping) or not isinstance(rows, Iterable):
        raise InvalidInput(
            f"rows must be an iterable of rows from simulate() (dicts), not {describe(rows)}"
        )
    keys = ("policy", "week", *(key for key, _, _ in PANELS))
    grouped: dict[str, list[Mapping[str, object]]] = {}
    for row in rows:
        if not isinstance(row, Mapping) or any(key not in row for key in keys):
            raise InvalidInput(
                "each row must be a mapping with the keys of simulate()'s rows: " + ", ".join(keys)
            )
        grouped.setdefault(str(row["policy"]), []).append(row)
    if not grouped:
        raise InvalidInput("rows must hold at least one row from simulate()")
    series: dict[str, dict[str, list[float]]] = {}
    for policy, group in grouped.items():
        group.sort(key=lambda row: _number(row["week"], "week"))
        series[policy] = {
            key: [_number(row[key], key) for row in group] for key in keys if key != "policy"
        }
    return series


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
    taken, the spread between districts, wishes met and requests waiting — with one
    line per policy over the weeks, as :func:`~arendefordelning.routines.
    placement_simulation.simulate` returns them.

    Args:
        rows: The rows of ``simulate`` (or any rows with the same keys).
        path: Where to save the figure (the format follows the suffix, such as
            ``.png`` or ``.svg``); None to save nothing.
        language: ``"en"`` (the default) or ``"sv"`` for the titles.

    Returns:
        The matplotlib Figure, drawn on an Agg canvas.

    Raises:
        InvalidInput: when the rows are not simulation rows.
        ImportError: when matplotlib is not installed.
    """
    if language not in ("en", "sv"):
        raise InvalidInput("language must be 'en' (English) or 'sv' (Swedish)")
    series = _series(rows)
    figure_class, canvas_class = _import_matplotlib()
    figure = figure_class(figsize=(11, 9), layout="constrained")
    canvas_class(figure)
    axes = figure.subplots(3, 2, sharex=True)
    for ax, (key, english, swedish) in zip(axes.flat, PANELS, strict=True):
        for policy, values in series.items():
            ax.plot(values["week"], values[key], label=policy)
        ax.set_title(swedish if language == "sv" else english)
        ax.grid(visible=True, alpha=0.3)
    for ax in axes[-1]:
        ax.set_xlabel("vecka" if language == "sv" else "week")
    axes.flat[0].legend()
    figure.suptitle(
        "Fördelningspolicyer för dagverksamhet (DV-9)"
        if language == "sv"
        else "Day-activity placement policies (DV-9)"
    )
    if path is not None:
        figure.savefig(path)
    return figure
