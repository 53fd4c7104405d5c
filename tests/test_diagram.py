"""Diagrams drawn from a routine's table: the neutral model, Mermaid, the role table (X-2)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any, ClassVar

import attrs
import pytest

from arendefordelning import InvalidInput, routines
from arendefordelning.kernel import (
    CaseState,
    Command,
    Diagram,
    EdgeKind,
    Event,
    Role,
    Routine,
    RoutinePolicy,
    Step,
    diagram,
    diagram_formats,
    extract_diagram,
    role_table,
)
from arendefordelning.routines.outpatient_care import OUTPATIENT_CARE

# --------------------------------------------------------------------------- a small routine


@attrs.frozen(kw_only=True)
class DState(CaseState):
    ready: bool = False


class DEvent(Event):
    routine: ClassVar[str] = "D"


@attrs.frozen(kw_only=True)
class Begun(DEvent):
    pass


@attrs.frozen(kw_only=True)
class Asked(DEvent):
    pass


@attrs.frozen(kw_only=True)
class Phoned(DEvent):
    pass


@attrs.frozen(kw_only=True)
class Met(DEvent):
    pass


@attrs.frozen(kw_only=True)
class Ended(DEvent):
    pass


@attrs.frozen(kw_only=True)
class Begin(Command):
    """Begin the case (börja "nu" #1 <snart> & `genast` | alltid), X-2."""


@attrs.frozen(kw_only=True)
class Ask(Command):
    """Ask by letter (fråga (skriftligt)), X-2."""


@attrs.frozen(kw_only=True)
class Phone(Command):
    """Phone the individual, with no Swedish term."""


@attrs.frozen(kw_only=True)
class Meet(Command):
    """Meet (träffa), X-2."""


@attrs.frozen(kw_only=True)
class End(Command):
    """End the case (avsluta), X-2."""


def is_ready(state: DState) -> bool:
    """The case is ready."""
    return state.ready


def unnamed_guard(state: DState) -> bool:
    return True


SMALL: Routine[DState, Any, Any, RoutinePolicy] = Routine(
    code="D",
    title='Liten "rutin"\nmed radbrytning',
    initial=DState(),
    policy=RoutinePolicy(),
    steps=(
        Step(
            name="begin",
            command=Begin,
            event=Begun,
            requirements=("X-1", "X-2"),
            roles=frozenset({Role.THERAPIST, Role.SOCIAL_WORKER}),
        ),
        Step(
            name="ask",
            command=Ask,
            event=Asked,
            requirements=("X-2",),
            roles=frozenset({Role.COUNSELLOR}),
            after=("begin",),
            once=False,
            when=lambda s: True,
        ),
        Step(
            name="two words",
            command=Phone,
            event=Phoned,
            requirements=("X-2",),
            roles=frozenset({Role.SOCIAL_WORKER}),
            after=("begin",),
            when=unnamed_guard,
            not_after=("end",),
        ),
        Step(
            name="end",
            command=Meet,
            event=Met,
            requirements=("X-5",),
            roles=frozenset({Role.GUARDIAN}),
            after_any=("ask", "two words"),
            when=is_ready,
            resets=("ask",),
        ),
        Step(
            name="close",
            command=End,
            event=Ended,
            requirements=("X-2",),
            roles=frozenset({Role.SOCIAL_WORKER}),
            after=("begin",),
            terminal=True,
        ),
    ),
)


# --------------------------------------------------------------------------- the model


def test_x2_the_model_has_a_node_per_step_and_an_edge_per_step_named_before() -> None:
    """X-2: nodes keep the table's order, labels, roles, requirements and marks."""
    model = extract_diagram(SMALL)
    assert isinstance(model, Diagram)
    assert (model.code, model.title) == ("D", 'Liten "rutin"\nmed radbrytning')
    assert [node.step for node in model.nodes] == ["begin", "ask", "two words", "end", "close"]
    begin, ask, phone, end, close = model.nodes
    assert begin.label == 'börja "nu" #1 <snart> & `genast` | alltid'
    assert ask.label == "fråga (skriftligt)"
    assert phone.label == "Phone"
    assert begin.roles == (Role.SOCIAL_WORKER, Role.THERAPIST)
    assert begin.requirements == ("X-1", "X-2")
    assert (begin.first, ask.first, end.first) == (True, False, False)
    assert (ask.repeatable, begin.repeatable) == (True, False)
    assert (close.terminal, end.terminal) == (True, False)
    assert (begin.guard, ask.guard, phone.guard, end.guard) == (
        None,
        "special condition",
        "unnamed_guard",
        "The case is ready",
    )
    assert phone.not_after == ("end",)
    assert end.resets == ("ask",)
    assert [(e.source, e.target, e.kind) for e in model.edges] == [
        ("begin", "ask", EdgeKind.AFTER),
        ("begin", "two words", EdgeKind.AFTER),
        ("ask", "end", EdgeKind.AFTER_ANY),
        ("two words", "end", EdgeKind.AFTER_ANY),
        ("begin", "close", EdgeKind.AFTER),
    ]
    # Roles in the order they first appear in the table.
    assert model.roles == (Role.SOCIAL_WORKER, Role.THERAPIST, Role.COUNSELLOR, Role.GUARDIAN)


def test_x2_the_ov_model_shows_every_step_with_its_roles_from_the_role_matrix() -> None:
    """X-2: OV's model: 17 steps, the Swedish terms of the commands, the matrix's roles."""
    model = extract_diagram(OUTPATIENT_CARE)
    matrix = OUTPATIENT_CARE.role_matrix()
    assert len(model.nodes) == len(OUTPATIENT_CARE.steps) == 17
    for node, step in zip(model.nodes, OUTPATIENT_CARE.steps, strict=True):
        assert node.command == step.command.__name__
        assert frozenset(node.roles) == matrix[step.command]
        assert node.requirements == step.requirements
    labels = {node.step: node.label for node in model.nodes}
    assert labels["decide"] == "fatta beslut"
    assert labels["close"] == "hålla avslutningssamtal"
    guards = {node.step: node.guard for node in model.nodes if node.guard}
    assert guards == {"coordinate": "Several therapists share the case (OV-5: they coordinate)"}
    assert [node.step for node in model.nodes if node.terminal] == ["close"]
    assert len(model.edges) == sum(len(s.after) + len(s.after_any) for s in OUTPATIENT_CARE.steps)


def test_a_diagram_is_drawn_from_a_routine_only() -> None:
    """An old-style decider or anything else is refused with InvalidInput, as is a bad format."""
    with pytest.raises(InvalidInput, match="table of steps"):
        extract_diagram(object())  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="table of steps"):
        diagram("OV")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="format must be one of mermaid, table, not 'svg'"):
        diagram(SMALL, "svg")
    with pytest.raises(InvalidInput, match="not a value of type int"):
        diagram(SMALL, 3)  # type: ignore[arg-type]
    assert diagram_formats() == ("mermaid", "table")


def test_the_routine_method_delegates_to_the_function() -> None:
    assert OUTPATIENT_CARE.diagram() == diagram(OUTPATIENT_CARE, "mermaid")
    assert OUTPATIENT_CARE.diagram("table") == role_table(OUTPATIENT_CARE)


# --------------------------------------------------------------------------- Mermaid


def test_x2_mermaid_flowchart_with_escaped_labels_and_safe_ids() -> None:
    """X-2: step names are node ids where Mermaid can read them; labels are entity-escaped."""
    text = diagram(SMALL)
    lines = text.splitlines()
    assert lines[0] == "flowchart TD"
    assert lines[1] == "    %% D: Liten #quot;rutin#quot; med radbrytning"
    assert lines[2] == (
        '    begin["börja #quot;nu#quot; #35;1 #lt;snart#gt; #amp; #96;genast#96; | alltid'
        '<br/>Begin<br/>socialsekreterare, behandlare<br/>X-1, X-2"]'
    )
    assert lines[3] == (
        '    ask["fråga (skriftligt)<br/>Ask<br/>kurator<br/>X-2<br/>'
        'villkor: special condition<br/>upprepas"]'
    )
    # "two words" has a space and "end" is a Mermaid keyword: neither can be an id.
    assert lines[4].startswith('    step3["Phone<br/>Phone<br/>socialsekreterare<br/>X-2<br/>')
    assert "inte efter: end" in lines[4]
    assert lines[5].startswith('    step4["träffa<br/>Meet<br/>vårdnadshavare<br/>X-5<br/>')
    assert "villkor: The case is ready<br/>återställer: ask" in lines[5]
    assert lines[6] == (
        '    close(["avsluta<br/>End<br/>socialsekreterare<br/>X-2<br/>avslutar ärendet"])'
    )
    assert lines[7:12] == [
        "    begin --> ask",
        "    begin --> step3",
        "    ask -. eller .-> step4",
        "    step3 -. eller .-> step4",
        "    begin --> close",
    ]
    assert "    class close terminal" in lines
    assert "    class ask repeatable" in lines
    assert "    class begin first" in lines
    # Every label is one quoted string: no stray quote, no line break inside.
    for line in lines[2:7]:
        assert line.count('"') == 2


def test_x2_mermaid_of_ov_has_every_step_as_a_node_and_edge() -> None:
    """X-2: OV's flowchart: the step names are the ids, one arrow per step named before."""
    text = diagram(OUTPATIENT_CARE)
    for step in OUTPATIENT_CARE.steps:
        assert re.search(rf"^    {step.name}\(?\[\"", text, re.M), step.name
        for before in step.after:
            assert f"    {before} --> {step.name}\n" in text + "\n"
    assert '    close(["hålla avslutningssamtal<br/>HoldClosingConversation' in text
    assert (
        "    class contact,coordinate,book,follow_up,change_care_plan,change_plan repeatable"
        in (text)
    )
    assert not text.endswith("\n")


def test_an_id_never_collides_with_another_step_name() -> None:
    """A step whose name Mermaid cannot read gets a ``stepN`` id no other step has."""
    steps = list(SMALL.steps)
    steps[0] = attrs.evolve(steps[0], name="step1")
    steps = [
        attrs.evolve(
            s,
            after=tuple("step1" if n == "begin" else n for n in s.after),
        )
        for s in steps
    ]
    renamed: Routine[DState, Any, Any, RoutinePolicy] = Routine(
        code="D", title="t", initial=DState(), policy=RoutinePolicy(), steps=steps
    )
    text = diagram(renamed)
    ids = re.findall(r"^    (\w+)\(?\[", text, re.M)
    assert ids == ["step1", "ask", "step3", "step4", "close"]
    assert len(set(ids)) == len(ids)


def test_x2_the_text_is_the_same_in_every_interpreter() -> None:
    """X-2: frozensets of roles are ordered before they are drawn: hash seeds do not matter."""
    code = (
        "from arendefordelning.routines.outpatient_care import OUTPATIENT_CARE as R\n"
        "print(R.diagram()); print(R.diagram('table'))"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONIOENCODING": "utf-8"},
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1
    assert outputs == {diagram(OUTPATIENT_CARE) + "\n" + role_table(OUTPATIENT_CARE) + "\n"}


# --------------------------------------------------------------------------- the role table


def parse_table(text: str) -> tuple[list[str], dict[str, set[str]]]:
    """Read a role table back: the role columns and, per command, the roles ticked."""
    lines = text.splitlines()
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    assert header[:3] == ["Command", "Step", "Requirements"]
    roles = header[3:]
    ticked: dict[str, set[str]] = {}
    for line in lines[2:]:
        cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
        assert len(cells) == len(header), line
        command = re.match(r"`(\w+)`", cells[0])
        assert command is not None
        ticked[command.group(1)] = {
            role for role, cell in zip(roles, cells[3:], strict=True) if cell == "✓"
        }
        assert all(cell in ("✓", "") for cell in cells[3:])
    return roles, ticked


@pytest.mark.parametrize("routine", [SMALL, OUTPATIENT_CARE], ids=lambda r: r.code)
def test_x2_the_role_table_ticks_exactly_the_role_matrix(
    routine: Routine[Any, Any, Any, Any],
) -> None:
    """X-2: rows are the commands, columns the routine's roles, ✓ where the role may act."""
    roles, ticked = parse_table(role_table(routine))
    matrix = routine.role_matrix()
    assert list(ticked) == [command.__name__ for command in routine.commands]
    assert set(roles) == {role.value for allowed in matrix.values() for role in allowed}
    for command, allowed in matrix.items():
        assert ticked[command.__name__] == {role.value for role in allowed}


def test_x2_the_role_table_escapes_pipes_and_names_the_step() -> None:
    """X-2: a Swedish term with a pipe stays in its cell."""
    first_row = role_table(SMALL).splitlines()[2]
    assert first_row.startswith(
        '| `Begin` (börja "nu" #1 <snart> & `genast` \\| alltid) | `begin` | X-1, X-2 | ✓ | ✓ |'
    )
    assert role_table(OUTPATIENT_CARE).splitlines()[:3] == [
        "| Command | Step | Requirements | socialsekreterare | enhetschef | behandlare | kurator |",
        "|---|---|---|:-:|:-:|:-:|:-:|",
        "| `MakeDecision` (fatta beslut) | `decide` | OV-1 | ✓ |  |  |  |",
    ]


def test_every_registered_routine_that_is_a_table_can_be_drawn() -> None:
    """X-2: the registry's table routines draw in every format; the others are skipped."""
    drawn = 0
    for routine in routines.registered():
        if not isinstance(routine, Routine):
            continue
        for name in diagram_formats():
            assert diagram(routine, name)
        drawn += 1
    assert drawn >= 1


# --------------------------------------------------------------------------- docs pages

ROOT = Path(__file__).resolve().parents[1]
MARKED = re.compile(
    r"<!-- (?P<kind>diagram|roles):(?P<code>[A-Za-z0-9_-]+) start -->\n"
    r"(?P<body>.*?)"
    r"<!-- (?P=kind):(?P=code) end -->",
    re.S,
)
START = re.compile(r"<!-- (?:diagram|roles):[A-Za-z0-9_-]+ start -->")


def generated(kind: str, code: str) -> str:
    """What a marked block of a page holds: the routine's diagram, or its role table.

    ``arendefordelning diagram CODE`` prints the former's inside, ``--format table``
    the latter.
    """
    routine = routines.get(code)
    if kind == "diagram":
        return "```mermaid\n" + diagram(routine) + "\n```\n"
    return role_table(routine) + "\n"


def regenerate(text: str) -> str:
    """Return a page with every marked block as the routines' tables give it now."""

    def fresh(match: re.Match[str]) -> str:
        start, end = match.span("body")
        whole = match.group(0)
        offset = match.start()
        body = generated(match["kind"], match["code"])
        return whole[: start - offset] + body + whole[end - offset :]

    return MARKED.sub(fresh, text)


def marked_pages() -> list[Path]:
    documents = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    return [path for path in documents if START.search(path.read_text(encoding="utf-8"))]


def test_the_ov_page_has_both_generated_blocks() -> None:
    """The staleness check below has pages to check: OV's holds a diagram and a role table."""
    page = ROOT / "docs" / "routines" / "outpatient_care.md"
    assert page in marked_pages()
    found = {(m["kind"], m["code"]) for m in MARKED.finditer(page.read_text(encoding="utf-8"))}
    assert found == {("diagram", "OV"), ("roles", "OV")}


@pytest.mark.parametrize("page", marked_pages(), ids=lambda path: path.name)
def test_x2_generated_blocks_of_the_docs_are_what_the_tables_give(page: Path) -> None:
    """X-2: a committed diagram or role table that differs from the routine's table fails.

    Regenerate with ``python tests/test_diagram.py`` (or print a block with
    ``arendefordelning diagram CODE [--format table]``).
    """
    text = page.read_text(encoding="utf-8")
    assert len(START.findall(text)) == len(MARKED.findall(text)), "a start marker has no end"
    for match in MARKED.finditer(text):
        expected = generated(match["kind"], match["code"])
        assert match["body"] == expected, (
            f"{page.name}: the {match['kind']} of {match['code']} is stale; run "
            "python tests/test_diagram.py to regenerate it"
        )


def test_regenerate_replaces_a_stale_block_and_only_it() -> None:
    """A stale copy is found and replaced; the text around it stays as it was."""
    stale = (
        "before\n<!-- roles:OV start -->\n<!-- roles:OV end -->\nafter\n"
        "<!-- diagram:OV start -->\n```mermaid\nflowchart TD\n```\n<!-- diagram:OV end -->\n"
    )
    fresh = regenerate(stale)
    assert fresh.startswith("before\n<!-- roles:OV start -->\n| Command | Step |")
    assert f"\n{role_table(OUTPATIENT_CARE)}\n<!-- roles:OV end -->\nafter\n" in fresh
    assert fresh.endswith(f"```mermaid\n{diagram(OUTPATIENT_CARE)}\n```\n<!-- diagram:OV end -->\n")
    assert regenerate(fresh) == fresh


if __name__ == "__main__":
    for path in marked_pages():
        before = path.read_text(encoding="utf-8")
        after = regenerate(before)
        if after != before:
            path.write_text(after, encoding="utf-8")
            print(f"regenerated {path.relative_to(ROOT)}")
