"""Routines (rutiner): one decider per routine."""

from __future__ import annotations
