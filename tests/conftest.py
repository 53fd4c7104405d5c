"""Shared test settings: a hypothesis profile without per-example deadlines.

The machine the suite runs on may be slow and the first call of a calendar builds a
decade of its table, so hypothesis' per-example time limit would report noise.
"""

from __future__ import annotations

from hypothesis import settings

settings.register_profile("default", deadline=None, max_examples=200)
settings.load_profile("default")
