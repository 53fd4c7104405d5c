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
    assert "pip install" in lines[0]
    assert lines[0].index("arendefordelning exempellogg") < lines[0].index(
        "arendefordelning granska"
    )
    assert "[test]" in lines[1]
    assert "pytest" in lines[1]


def _quick_start_commands() -> list[list[str]]:
    """The first Quick-start line's arendefordelning commands, as argument lists."""
    return [
        part.split("arendefordelning ", 1)[1].split()
        for part in quick_start_lines()[0].split("&&")
        if "arendefordelning " in part and "pip install" not in part
    ]


def quick_start_report(folder: Path) -> str:
    """Run the first Quick-start line's commands in ``folder``; the report's beginning.

    The beginning is the summary, the counts per requirement and the data quality:
    the lines before the deadlines to come.
    """
    import contextlib
    import io
    import os

    from arendefordelning.cli import main

    commands = _quick_start_commands()
    assert [command[0] for command in commands] == ["exempellogg", "granska"]
    printed = io.StringIO()
    here = Path.cwd()
    os.chdir(folder)
    try:
        with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(io.StringIO()):
            assert main(commands[0]) == 0
            assert main(commands[1]) == 0  # --exit-zero: deviations are expected here
    finally:
        os.chdir(here)
    text = printed.getvalue()
    return text[: text.index("\nKommande frister")].rstrip("\n")


def test_x5_quick_start_output_in_readme_is_what_the_cli_prints(tmp_path: Path) -> None:
    """X-5: the report's beginning in the README is what the Quick start's granska prints."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = _OUTPUT.search(readme)
    assert shown is not None
    assert f"```text\n{quick_start_report(tmp_path)}\n```" in shown.group(2)
    assert regenerate_readme(readme, tmp_path) == readme, "stale: run python tests/test_docs.py"


def test_readme_is_the_first_thing_and_quick_start_comes_before_usage() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.index("## Quick start") < readme.index("## Usage")


# Examples that simulate a year or more run with the slow tests.
_SLOW_EXAMPLES = {"explore_policies.py", "placement_policies.py"}


@pytest.mark.parametrize(
    "example",
    [
        pytest.param(path, marks=pytest.mark.slow) if path.name in _SLOW_EXAMPLES else path
        for path in sorted((ROOT / "examples").glob("*.py"))
    ],
    ids=lambda path: path.name,
)
def test_examples_run_and_write_only_where_they_are_run(
    example: Path,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each example runs; what it writes lands in the working directory, a temporary one.

    The system's temporary directory is pointed at one the test owns too, so a file
    left there (as ``tempfile.mkdtemp`` leaves it) is found.
    """
    import tempfile

    work, scratch = tmp_path / "work", tmp_path / "tmp"
    work.mkdir()
    scratch.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    monkeypatch.setattr("sys.argv", [str(example)])
    before = {path.name for path in (ROOT / "examples").iterdir()}
    runpy.run_path(str(example), run_name="__main__")
    assert capsys.readouterr().out
    assert list(scratch.iterdir()) == [], "the example wrote into the temporary directory"
    assert {path.name for path in (ROOT / "examples").iterdir()} == before


def test_changelog_has_an_unreleased_section() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## [Unreleased]" in changelog


def _section(title: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return text.split(f"\n### {title}\n", 1)[1].split("\n### ", 1)[0]


def test_readme_val_example_has_ten_lines_and_prints_what_the_readme_shows(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """VAL-4, VAL-6: the README's ten-line example runs and prints the shown action."""
    section = _section("Routine VAL in ten lines")
    code = re.search(r"```python\n(.*?)```", section, re.S)
    shown = re.search(r"```text\n(.*?)```", section, re.S)
    assert code is not None
    assert shown is not None
    lines = [line for line in code.group(1).splitlines() if line.strip()]
    assert len(lines) <= 10
    exec(compile(code.group(1), "README.md", "exec"), {})
    assert capsys.readouterr().out == shown.group(1)


def test_routine_val_page_names_every_requirement_and_existing_names() -> None:
    """VAL-1…VAL-20: the routine page maps every requirement to names that exist."""
    from arendefordelning.kernel import DeviationKind
    from arendefordelning.routines import provider_choice

    page = (ROOT / "docs" / "routines" / "provider_choice.md").read_text(encoding="utf-8")
    for number in range(1, 21):
        assert f"| VAL-{number} |" in page
    names = set(re.findall(r"`([A-Z][A-Za-z_]+)`", page))
    known = set(dir(provider_choice)) | {"Routine", "RotationList", "InvalidInput"}
    known |= {"IllegalTransition", "NotPermitted", "ForbiddenStep"}
    known |= {kind.name for kind in DeviationKind.members()}
    assert names <= known, sorted(names - known)
    commands = {cls.__name__ for cls in provider_choice.COMMANDS}
    events = {cls.__name__ for cls in provider_choice.EVENTS}
    assert commands <= names
    assert events <= names


def test_routine_ov_page_names_every_requirement_and_existing_names() -> None:
    """OV-1…OV-11: the routine page maps every requirement to steps and names that exist."""
    from arendefordelning.kernel import DeviationKind
    from arendefordelning.routines import outpatient_care as ov

    page = (ROOT / "docs" / "routines" / "outpatient_care.md").read_text(encoding="utf-8")
    table = page.split("## Requirement by requirement", 1)[1].split("\n## ", 1)[0]
    for number in range(1, 12):
        assert f"| OV-{number} |" in table
    names = set(re.findall(r"`([A-Z][A-Za-z]+)`", table))
    known = set(dir(ov)) | {"NotPermitted"}
    kinds = {kind.name for kind in DeviationKind.members()}
    assert names <= known | kinds, sorted(names - known - kinds)
    commands = {cls.__name__ for cls in ov.COMMANDS}
    events = {cls.__name__ for cls in ov.EVENTS}
    assert commands | events <= names
    steps = set(re.findall(r"`([a-z_]+)`: `", table))
    assert steps == {step.name for step in ov.OUTPATIENT_CARE.steps}
    for step in ov.OUTPATIENT_CARE.steps:
        row = next(line for line in table.splitlines() if f"`{step.name}`: `" in line)
        assert f"`{step.name}`: `{step.request.__name__}`" in row
        assert f"| {step.requirements[0]} |" in row


# --------------------------------------------------------------------------- every snippet runs

_FENCE = re.compile(r"^```(?P<info>[^\n]*)\n(?P<body>.*?)^```", re.S | re.M)


def _documents() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


def _blocks(path: Path, language: str) -> list[str]:
    """The fenced blocks of ``path`` whose info string starts with ``language``."""
    text = path.read_text(encoding="utf-8")
    return [
        match.group("body")
        for match in _FENCE.finditer(text)
        if match.group("info").split() and match.group("info").split()[0] == language
    ]


@pytest.mark.parametrize("document", _documents(), ids=lambda path: str(path.relative_to(ROOT)))
def test_every_python_block_of_the_docs_runs_in_order(
    document: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The docs cannot go stale: a file's Python blocks run in order in one namespace."""
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": f"docs:{document.name}"}
    for number, block in enumerate(_blocks(document, "python"), start=1):
        code = compile(block, f"{document.name} block {number}", "exec")
        exec(code, namespace)


@pytest.mark.parametrize("document", _documents(), ids=lambda path: str(path.relative_to(ROOT)))
def test_shell_blocks_marked_runnable_run(document: Path, tmp_path: Path) -> None:
    """Shell blocks run only where marked ``sh runnable``; the Quick start is run by CI."""
    import subprocess

    for block in (
        match.group("body")
        for match in _FENCE.finditer(document.read_text(encoding="utf-8"))
        if match.group("info").split()[:2] == ["sh", "runnable"]
    ):
        completed = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", block],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
        )
        assert completed.returncode == 0, completed.stderr


_CODES = re.compile(r"(<!-- routines:codes start -->)(.*?)(<!-- routines:codes end -->)", re.S)


_OUTPUT = re.compile(
    r"(<!-- quick-start:output start -->\n)(.*?)(<!-- quick-start:output end -->)", re.S
)


def regenerate_readme(text: str, folder: Path | None = None) -> str:
    """Write the registered routines' codes between the README's markers, from the registry.

    With ``folder``, also the Quick start's report (its commands run there).
    """
    from arendefordelning import routines

    listed = ", ".join(f"`{code}`" for code in routines.codes())
    text = _CODES.sub(lambda match: f"{match.group(1)}{listed}{match.group(3)}", text)
    if folder is None:
        return text
    block = f"```text\n{quick_start_report(folder)}\n```\n"
    return _OUTPUT.sub(lambda match: f"{match.group(1)}{block}{match.group(3)}", text)


def test_x2_the_readme_lists_the_registered_routines_from_the_registry() -> None:
    """X-2: the README's list of routine codes is the registry's (run this file to rewrite)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert _CODES.search(text) is not None
    assert regenerate_readme(text) == text, "stale: run python tests/test_docs.py"


def test_the_docs_have_python_blocks_to_run() -> None:
    """The snippet runner finds the README's blocks (so it cannot pass by finding none)."""
    assert len(_blocks(ROOT / "README.md", "python")) >= 6


if __name__ == "__main__":
    readme = ROOT / "README.md"
    before = readme.read_text(encoding="utf-8")
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        after = regenerate_readme(before, Path(scratch))
    if after != before:
        readme.write_text(after, encoding="utf-8")
        print("regenerated README.md")


def test_x1_the_readme_machine_one_liner_states_its_cost_and_is_bounded() -> None:
    """X-1, X-2: the README's ``machine_for(...).TestCase`` comes with bounded settings and
    says what the defaults cost a user's suite."""
    section = _section("Routine OV and the routine tables")
    code = re.search(r"```python\n(.*?)```", section, re.S)
    assert code is not None
    namespace: dict[str, object] = {}
    exec(compile(code.group(1), "README.md", "exec"), namespace)
    chosen = namespace["TestOutpatientCare"].settings  # type: ignore[attr-defined]
    assert (chosen.max_examples, chosen.stateful_step_count, chosen.deadline) == (25, 20, None)
    words = " ".join(section.split())
    assert "100 histories of up to 50 steps" in words
    assert "about 12 seconds of CPU time" in words
    assert "200 ms deadline" in words


def test_the_default_run_is_quick_and_ci_runs_the_slow_tests_after_the_quick_start() -> None:
    """The default pytest run leaves out ``slow``; .ci/run runs them after the Quick start."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    options = config["tool"]["pytest"]["ini_options"]
    assert options["addopts"][-2:] == ["-m", "not slow"]
    assert any(marker.startswith("slow:") for marker in options["markers"])
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    quick = ci.index('bash -euo pipefail -c "$line"')
    slow = ci.index("\npython -m pytest -m slow\n")
    assert quick < slow < ci.index("ruff check")
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert "python3 -m pytest -m slow" in readme


def test_temporary_files_go_to_a_directory_the_session_owns(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """tempfile and subprocesses (TMPDIR) write under pytest's own temporary directory."""
    import os
    import tempfile

    owned = tmp_path_factory.getbasetemp()
    assert Path(tempfile.gettempdir()).is_relative_to(owned)
    assert Path(os.environ["TMPDIR"]).is_relative_to(owned)
