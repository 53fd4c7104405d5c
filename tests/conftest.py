"""Shared test settings: a hypothesis profile without per-example deadlines; temporary
files kept in a directory pytest owns.

The machine the suite runs on may be slow and the first call of a calendar builds a
decade of its table, so hypothesis' per-example time limit would report noise.

Anything a test or an example under test writes through :mod:`tempfile` (and any
subprocess, through ``TMPDIR``) lands in the session's own temporary directory, which
pytest creates and cleans up, never in the system's.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator

import pytest
from hypothesis import settings

settings.register_profile("default", deadline=None, max_examples=200)
settings.load_profile("default")


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
