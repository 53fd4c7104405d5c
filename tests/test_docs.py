"""The documentation works: the README's Quick start and the examples."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def quick_start_lines() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Quick start", 1)[1]
    block = re.search(r"^```[^\n]*\n(.*?)^```", section, re.S | re.M)
    assert block is not None
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_quick_start_holds_exactly_two_commands() -> None:
    lines = quick_start_lines()
    assert len(lines) == 2
    assert "arendefordelning frist" in lines[0]
    assert "pip install" in lines[0]
    assert "[test]" in lines[1]
    assert "pytest" in lines[1]


def test_quick_start_output_in_readme_is_what_the_cli_prints(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from arendefordelning.cli import main

    command = quick_start_lines()[0].split("arendefordelning frist ", 1)[1].split()
    assert main(["frist", *command]) == 0
    printed = capsys.readouterr().out.strip()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert printed in readme


def test_readme_is_the_first_thing_and_quick_start_comes_before_usage() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.index("## Quick start") < readme.index("## Usage")


@pytest.mark.parametrize(
    "example", sorted((ROOT / "examples").glob("*.py")), ids=lambda path: path.name
)
def test_examples_run(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    runpy.run_path(str(example), run_name="__main__")
    assert capsys.readouterr().out


def test_changelog_has_an_unreleased_section() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## [Unreleased]" in changelog
