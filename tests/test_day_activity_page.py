"""The routine DV page runs as written and names only what exists: DV-1…DV-9."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

from arendefordelning import plotting
from arendefordelning.kernel import DeviationKind
from arendefordelning.routines import day_activity, placement, placement_simulation

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "routines" / "day_activity.md"
BLOCK = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)


def test_dv9_every_python_block_runs_and_prints_the_text_block_after_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DV-1, DV-7, DV-8, DV-9: the page's examples run in order in one namespace."""
    monkeypatch.chdir(tmp_path)
    blocks = BLOCK.findall(PAGE.read_text(encoding="utf-8"))
    namespace: dict[str, object] = {}
    ran = compared = 0
    for (kind, code), following in zip(blocks, [*blocks[1:], ("", "")], strict=True):
        if kind != "python":
            continue
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(code, str(PAGE.name), "exec"), namespace)
        ran += 1
        if following[0] == "text":
            assert printed.getvalue() == following[1], code
            compared += 1
    assert ran >= 6
    assert compared == ran
    assert (tmp_path / "policies.png").stat().st_size > 0


def test_the_page_names_only_what_exists_and_every_requirement() -> None:
    """DV-1…DV-9: each requirement has a row; backticked names exist in the modules."""
    page = PAGE.read_text(encoding="utf-8")
    for number in range(1, 10):
        assert f"| DV-{number} |" in page
    known = set(dir(placement)) | set(dir(placement_simulation)) | set(dir(plotting))
    known |= set(dir(day_activity)) | {kind.name for kind in DeviationKind.members()}
    known |= {"InvalidInput", "RequiredAction", "NotPermitted", "Routine"}  # the package's own
    names = set(re.findall(r"`([A-Z][A-Za-z]+)`", page)) - {"NO_PLACE", "WISH", "NEEDS"}
    assert names <= known, sorted(names - known)
    for name in ("place", "rank", "simulate", "distance_km", "plot"):
        assert f"`{name}" in page


def test_the_life_table_maps_every_step_of_the_routine_to_its_requirement() -> None:
    """DV-1…DV-8: every step of DAY_ACTIVITY, its request and event, in the row of its ID."""
    page = PAGE.read_text(encoding="utf-8")
    table = page.split("### Step by step", 1)[1].split("\n\n", 2)[1]
    for number in range(1, 9):
        assert f"| DV-{number} |" in table
    names = set(re.findall(r"`([A-Z][A-Za-z]+)`", table))
    assert {cls.__name__ for cls in (*day_activity.COMMANDS, *day_activity.EVENTS)} <= names
    steps = set(re.findall(r"`([a-z_]+)`: `", table))
    assert steps == {step.name for step in day_activity.DAY_ACTIVITY.steps}
    for step in day_activity.DAY_ACTIVITY.steps:
        row = next(line for line in table.splitlines() if f"`{step.name}`: `" in line)
        assert f"`{step.name}`: `{step.request.__name__}`" in row
        assert any(f"| {requirement} |" in row for requirement in step.requirements)
