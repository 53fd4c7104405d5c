"""Shared test settings: hypothesis profiles, the tests each mutant runs against, and
temporary files kept in a directory pytest owns.

The machine the suite runs on may be slow and the first call of a calendar builds a
decade of its table, so hypothesis' per-example time limit would report noise.

``HYPOTHESIS_PROFILE=mutation`` selects a small derandomised profile for mutation
runs (docs/mutation-testing.md): the same examples every run, no example database, so
a mutant is judged by the same tests each time and quickly. The default profile is
used otherwise.

While mutmut runs one mutant (``MUTANT_UNDER_TEST`` names it), only the tests that
pyproject.toml's ``[tool.arendefordelning.mutation-tests]`` maps its module to are
kept: a mutant of the calendar is judged by the calendar's tests, not by a deadline
test that happens to call it.

Anything a test or an example under test writes through :mod:`tempfile` (and any
subprocess, through ``TMPDIR``) lands in the session's own temporary directory, which
pytest creates and cleans up, never in the system's.
"""

from __future__ import annotations

import os
import tempfile
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("default", deadline=None, max_examples=200)
settings.register_profile(
    "mutation",
    deadline=None,
    max_examples=25,
    derandomize=True,
    database=None,
    print_blob=False,
    # A mutant may make a strategy slow or filter much; that is not a failure of the rule.
    suppress_health_check=list(HealthCheck),
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def _mutation_tests(module: str) -> set[str] | None:
    """The test files mapped to ``module`` in pyproject.toml, None for an unmapped one."""
    pyproject = Path(__file__).resolve().parents[1] / "pyproject.toml"
    table = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    mapping: dict[str, list[str]] = table["tool"]["arendefordelning"]["mutation-tests"]
    files = mapping.get(module)
    return None if files is None else set(files)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Keep only the tests of the active mutant's module (see the module docstring)."""
    module = os.environ.get("MUTANT_UNDER_TEST", "").rpartition(".")[0]
    if not module:  # not a mutant: a normal run, or mutmut's stats, clean or forced-fail run
        return
    files = _mutation_tests(module)
    if files is None:
        return
    kept = [item for item in items if item.nodeid.partition("::")[0] in files]
    deselected = [item for item in items if item.nodeid.partition("::")[0] not in files]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


@pytest.fixture(autouse=True, scope="session")
def _temporary_files_stay_in_the_sessions_directory(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[None]:
    directory = str(tmp_path_factory.mktemp("tempfile"))
    saved_tempdir, saved_environ = tempfile.tempdir, os.environ.get("TMPDIR")
    tempfile.tempdir = directory
    os.environ["TMPDIR"] = directory
    yield
    tempfile.tempdir = saved_tempdir
    if saved_environ is None:
        os.environ.pop("TMPDIR", None)
    else:
        os.environ["TMPDIR"] = saved_environ


# --------------------------------------------------------------------------- PostgreSQL

POSTGRES_URL = "ARENDEFORDELNING_TEST_POSTGRES"
"""The environment variable that gives the tests a PostgreSQL server (.ci/run sets it)."""
REQUIRE_POSTGRES = "ARENDEFORDELNING_REQUIRE_POSTGRES"


def postgres_required() -> bool:
    """Whether a missing server fails the PostgreSQL tests instead of skipping them.

    In CI (``CI`` set, as every CI service sets it, or ``ARENDEFORDELNING_REQUIRE_POSTGRES=1``,
    as .ci/run sets it) the tests of the PostgreSQL store must run: a run that could not
    reach a server fails rather than passing without them.
    """
    flags = (os.environ.get("CI", ""), os.environ.get(REQUIRE_POSTGRES, ""))
    return any(flag.strip().lower() not in ("", "0", "false", "no") for flag in flags)


@pytest.fixture(scope="session")
def postgres_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A PostgreSQL server's URL: the one .ci/run gives, or one started here for the session.

    Without ``ARENDEFORDELNING_TEST_POSTGRES``, the session starts a throwaway server
    itself with ``.ci/postgres start`` (the same script CI uses) and stops it at the end.
    Where no server can be had, the tests fail in CI and are skipped, saying why, on a
    developer's machine without PostgreSQL.
    """
    import shutil
    import subprocess

    given = os.environ.get(POSTGRES_URL, "").strip()
    if given:
        _check_server(given)
        yield given
        return
    script = Path(__file__).resolve().parents[1] / ".ci" / "postgres"
    place = tmp_path_factory.mktemp("postgres")
    started = subprocess.run(
        ["bash", str(script), "start", str(place)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    if started.returncode != 0 or not started.stdout.strip():
        problem = (
            f"no PostgreSQL server: {POSTGRES_URL} is not set and .ci/postgres could not start "
            f"one ({started.stderr.strip()[-500:] or 'no output'}); install PostgreSQL "
            "(apt-get install postgresql) or set the variable to a server's URL"
        )
        if postgres_required() or shutil.which("initdb") is not None:
            pytest.fail(problem)
        pytest.skip(problem)
    url = started.stdout.strip().splitlines()[-1]
    try:
        _check_server(url)
        yield url
    finally:
        subprocess.run(["bash", str(script), "stop", str(place)], check=False, timeout=120)


def _check_server(url: str) -> None:
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=20) as connection:
            connection.execute("SELECT 1")
    except psycopg.Error as error:
        pytest.fail(f"the PostgreSQL server at {POSTGRES_URL} does not answer: {error}")
