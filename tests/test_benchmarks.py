"""The benchmarks still run: each, on small inputs, checks its answers and exits 0.

A benchmark asserts no timing (the figures are printed), but each checks, untimed,
that the library and its reference agree, and exits 1 otherwise. Running them small
here keeps them from falling behind the API they measure.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"

SMALL = {
    "bench_audit.py": ["--events", "3000", "--sizes", "", "--no-memory"],
    "bench_batch.py": ["--n", "2000", "--repeat", "1"],
    "bench_deadlines.py": ["--n", "300", "--repeat", "1"],
    "bench_placement.py": ["--sizes", "200", "--repeat", "1"],
    "bench_routines.py": ["--cases", "12", "--repeat", "1"],
    "bench_store.py": ["--appends", "64", "--writers", "1,8", "--repeat", "1"],
    "bench_val.py": ["--cases", "12", "--repeat", "1"],
}


def test_every_benchmark_is_listed() -> None:
    """A new benchmark gets a small run here."""
    assert sorted(path.name for path in BENCHMARKS.glob("bench_*.py")) == sorted(SMALL)


@pytest.mark.parametrize("name", sorted(SMALL))
def test_the_benchmark_runs_and_its_answers_agree(
    name: str, request: pytest.FixtureRequest
) -> None:
    """The benchmark checks its library answers against its reference and exits 0.

    The store's benchmark measures PostgreSQL too, on the server the tests use.
    """
    extra = (
        ["--postgres", request.getfixturevalue("postgres_url")] if name == "bench_store.py" else []
    )
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / name), *SMALL[name], *extra],
        cwd=BENCHMARKS,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "met" in done.stdout.lower()  # it printed its figures against their targets
    if name == "bench_store.py":
        assert "target PostgreSQL" in done.stdout  # it measured both stores
