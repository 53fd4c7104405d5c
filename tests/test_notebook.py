"""The analyst's notebook: the same cells as its script, executed headless, DV-9.

``examples/explore_policies.ipynb`` is generated from ``examples/explore_policies.py``
(``# %%`` starts a code cell, ``# %% [markdown]`` a Markdown cell written as comments),
so the two cannot drift apart: run ``python tests/test_notebook.py`` to regenerate it,
and a test fails while it is stale. The notebook is executed with nbclient and
ipykernel (the extra ``[notebook]``) in a working directory the test owns.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "examples" / "explore_policies.py"
NOTEBOOK = ROOT / "examples" / "explore_policies.ipynb"
FIGURES = ("cutoff_hours.png", "rotation_shares.png", "placement_policies.png")
_CELL = re.compile(r"^# %%(?P<kind> \[markdown\])?[^\n]*\n", re.M)


def _source(text: str) -> list[str]:
    lines = text.strip("\n").split("\n")
    return [line + "\n" for line in lines[:-1]] + [lines[-1]]


def cells_of(script: str) -> list[dict[str, Any]]:
    """The notebook cells of a script written with ``# %%`` markers."""
    cells: list[dict[str, Any]] = []
    marks = list(_CELL.finditer(script))
    for mark, following in zip(marks, [*marks[1:], None], strict=True):
        body = script[mark.end() : following.start() if following else len(script)]
        if mark.group("kind"):
            text = "\n".join(re.sub(r"^# ?", "", line) for line in body.strip("\n").split("\n"))
            cells.append({"cell_type": "markdown", "metadata": {}, "source": _source(text)})
        else:
            cells.append(
                {
                    "cell_type": "code",
                    "execution_count": None,
                    "metadata": {},
                    "outputs": [],
                    "source": _source(body),
                }
            )
    return cells


def notebook_of(script: str) -> dict[str, Any]:
    """The whole notebook (nbformat 4) of a script, without outputs."""
    return {
        "cells": cells_of(script),
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def rendered(script: str) -> str:
    """The notebook file's text: JSON with one space of indent and a final newline."""
    notebook = notebook_of(script)
    for number, cell in enumerate(notebook["cells"]):
        cell["id"] = f"cell-{number:02d}"
    return json.dumps(notebook, ensure_ascii=False, indent=1) + "\n"


def test_dv9_the_notebook_holds_the_scripts_cells() -> None:
    """DV-9: the notebook is the script, cell by cell (run this file to regenerate it)."""
    script = SCRIPT.read_text(encoding="utf-8")
    assert NOTEBOOK.read_text(encoding="utf-8") == rendered(script), (
        "stale: run python tests/test_notebook.py"
    )
    cells = notebook_of(script)["cells"]
    assert [cell["cell_type"] for cell in cells].count("markdown") == 4
    assert cells[0]["source"][0].startswith("# Exploring policies")


@pytest.mark.slow
def test_dv9_the_notebook_runs_headless_and_saves_its_figures_where_it_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DV-9, VAL-6, VAL-2: every cell runs without error; the figures land in its directory.

    The kernel's connection file and IPython's profile go to the test's directory too.
    """
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    work, own = tmp_path / "work", tmp_path / "jupyter"
    for directory in (work, own / "runtime", own / "ipython"):
        directory.mkdir(parents=True)
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(own / "runtime"))
    monkeypatch.setenv("IPYTHONDIR", str(own / "ipython"))
    notebook = nbformat.reads(NOTEBOOK.read_text(encoding="utf-8"), as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(work)}},
    )
    client.execute()
    assert sorted(path.name for path in work.iterdir()) == sorted(FIGURES)
    for name in FIGURES:
        assert (work / name).read_bytes().startswith(b"\x89PNG")
    outputs = [
        output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs
    ]
    assert not [output for output in outputs if output.output_type == "error"]
    images = [output for output in outputs if "image/png" in output.get("data", {})]
    assert len(images) == len(FIGURES)
    printed = "".join(output.get("text", "") for output in outputs)
    assert "mean hours to deadline" in printed
    assert "Wishes met, cumulative (%)" in printed


if __name__ == "__main__":
    text = rendered(SCRIPT.read_text(encoding="utf-8"))
    if not NOTEBOOK.exists() or NOTEBOOK.read_text(encoding="utf-8") != text:
        NOTEBOOK.write_text(text, encoding="utf-8")
        print(f"regenerated {NOTEBOOK.relative_to(ROOT)}", file=sys.stdout)
