"""The package's public face: names, laziness, version."""

from __future__ import annotations

import subprocess
import sys

import pytest

import arendefordelning
from arendefordelning import ArendefordelningError, InvalidInput, routines

CONTRACT = {
    "ArendefordelningError",
    "InvalidInput",
    "WorkCalendar",
    "Deadline",
    "execution_deadline",
    "summon_deadline",
    "switch_window",
    "implementation_plan_due",
    "next_follow_up_due",
    "round_up_to_quarter",
}


def test_the_contract_names_are_exported() -> None:
    assert set(arendefordelning.__all__) >= CONTRACT
    for name in arendefordelning.__all__:
        assert hasattr(arendefordelning, name), name


def test_error_hierarchy() -> None:
    assert issubclass(InvalidInput, ArendefordelningError)
    assert issubclass(InvalidInput, ValueError)


def test_import_does_not_load_the_holiday_data() -> None:
    """The holiday table is built on first use, so importing the package stays cheap."""
    code = (
        "import sys, datetime, arendefordelning; "
        "assert 'holidays' not in sys.modules, 'holidays imported eagerly'; "
        "arendefordelning.WorkCalendar.swedish().is_workday(datetime.date(2026, 1, 1)); "
        "assert 'holidays' in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_import_does_not_load_the_routines_until_used() -> None:
    """The routines' modules load on first use of one of their names, not at import."""
    code = (
        "import sys, arendefordelning; "
        "assert 'arendefordelning.routines.provider_choice' not in sys.modules; "
        "assert 'arendefordelning.routines.rotation' not in sys.modules; "
        "from arendefordelning import PROVIDER_CHOICE, RotationList; "
        "assert PROVIDER_CHOICE.code == 'VAL'; "
        "assert RotationList.__module__ == 'arendefordelning.routines.rotation'; "
        "assert 'ProviderChoicePolicy' in dir(arendefordelning)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_import_does_not_load_the_table_of_steps_or_the_diagrams_until_used() -> None:
    """The kernel's table and diagram modules load on first use of one of their names."""
    code = (
        "import sys, arendefordelning; "
        "assert 'arendefordelning.kernel._table' not in sys.modules; "
        "assert 'arendefordelning.kernel._routine' not in sys.modules; "
        "assert 'arendefordelning.kernel._diagram' not in sys.modules; "
        "from arendefordelning import Routine, Table; "
        "from arendefordelning.kernel import Step, diagram; "
        "assert Routine.__module__ == 'arendefordelning.kernel._routine'; "
        "assert Step.__module__ == Table.__module__ == 'arendefordelning.kernel._table'; "
        "assert diagram.__module__ == 'arendefordelning.kernel._diagram'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_import_does_not_load_the_kernel_until_used() -> None:
    """The kernel's names resolve on first use; the deadlines and calendar do not need it."""
    code = (
        "import sys, arendefordelning; "
        "assert 'arendefordelning.kernel' not in sys.modules; "
        "arendefordelning.execution_deadline; arendefordelning.WorkCalendar; "
        "assert 'arendefordelning.kernel' not in sys.modules; "
        "from arendefordelning import Actor, Due, policy_in_force; "
        "assert Actor.__module__ == 'arendefordelning.kernel._base'; "
        "assert Due.__module__ == 'arendefordelning.kernel._due'; "
        "assert policy_in_force.__module__ == 'arendefordelning.kernel._policy'; "
        "assert 'Severity' in dir(arendefordelning)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_an_unknown_name_is_an_attribute_error() -> None:
    assert not hasattr(arendefordelning, "NoSuchName")


def test_version_is_a_string() -> None:
    assert isinstance(arendefordelning.__version__, str)
    assert arendefordelning.__version__


def test_x1_a_routine_is_a_public_name_by_its_code_from_the_registry() -> None:
    """X-1: ``arendefordelning.VAL`` and ``.OV`` are the registry's routines, found lazily."""
    for code in routines.codes():
        assert getattr(arendefordelning, code) is routines.get(code)
    with pytest.raises(AttributeError, match="has no attribute 'NO_SUCH_ROUTINE'"):
        getattr(arendefordelning, "NO_SUCH_ROUTINE")  # noqa: B009


def test_dv9_simulate_is_at_the_top_level_beside_place() -> None:
    """DV-9: ``simulate`` and ``summarize`` have their documented home beside ``place``."""
    import arendefordelning
    from arendefordelning.routines import placement, placement_simulation

    assert arendefordelning.place is placement.place
    assert arendefordelning.simulate is placement_simulation.simulate
    assert arendefordelning.summarize is placement_simulation.summarize
    assert {"place", "simulate", "summarize"} <= set(arendefordelning.__all__)
    assert {"simulate", "summarize"} <= set(dir(arendefordelning))
