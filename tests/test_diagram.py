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
    Diagram,
    EdgeKind,
    Event,
    Role,
    Routine,
    RoutinePolicy,
    Table,
    diagram,
    diagram_formats,
    extract_diagram,
    role_table,
)
from arendefordelning.routines.outpatient_care import OUTPATIENT_CARE

# --------------------------------------------------------------------------- a small routine


@attrs.frozen(kw_only=True, repr=False)
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


rows = Table(DState, RoutinePolicy)

ALWAYS = rows.condition(("alltid", "always"), lambda s: True)
READY = rows.condition(("ärendet är klart", "the case is ready"), lambda s: s.ready)

STEPS = (
    rows.step(
        "begin",
        Begun,
        requirements=("X-1", "X-2"),
        roles=frozenset({Role.THERAPIST, Role.SOCIAL_WORKER}),
        label=('börja "nu" #1 <snart> & `genast` | alltid', "begin now"),
    ),
    rows.step(
        "ask",
        Asked,
        requirements=("X-2",),
        roles=frozenset({Role.COUNSELLOR}),
        label=("fråga (skriftligt)", "ask (in writing)"),
        after=("begin",),
        once=False,
        when=ALWAYS,
    ),
    rows.step(
        "two words",
        Phoned,
        requirements=("X-2",),
        roles=frozenset({Role.SOCIAL_WORKER}),
        label=("ringa den enskilde", "phone the individual"),
        after=("begin",),
        when=ALWAYS,
        not_after=("end",),
    ),
    rows.step(
        "end",
        Met,
        requirements=("X-5",),
        roles=frozenset({Role.GUARDIAN}),
        label=("träffa", "meet"),
        after_any=("ask", "two words"),
        when=READY,
        resets=("ask",),
    ),
    rows.step(
        "close",
        Ended,
        requirements=("X-2",),
        roles=frozenset({Role.SOCIAL_WORKER}),
        label=("avsluta", "close"),
        after=("begin",),
        terminal=True,
    ),
)


def small(steps: Any = STEPS, title: str = 'Liten "rutin"\nmed radbrytning') -> Any:
    return Routine(
        code="D",
        title=title,
        title_en="Small routine",
        initial=DState(),
        policy=RoutinePolicy(),
        steps=steps,
    )


SMALL = small()


# --------------------------------------------------------------------------- the model


def test_x2_the_model_has_a_node_per_step_and_an_edge_per_step_named_before() -> None:
    """X-2: nodes keep the table's order, labels, roles, requirements and marks."""
    model = extract_diagram(SMALL)
    assert isinstance(model, Diagram)
    assert (model.code, model.title, model.lang) == ("D", 'Liten "rutin"\nmed radbrytning', "sv")
    assert [node.step for node in model.nodes] == ["begin", "ask", "two words", "end", "close"]
    begin, ask, phone, end, close = model.nodes
    assert begin.label == 'börja "nu" #1 <snart> & `genast` | alltid'
    assert ask.label == "fråga (skriftligt)"
    assert phone.label == "ringa den enskilde"
    assert begin.roles == (Role.SOCIAL_WORKER, Role.THERAPIST)
    assert begin.requirements == ("X-1", "X-2")
    assert (begin.first, ask.first, end.first) == (True, False, False)
    assert (ask.repeatable, begin.repeatable) == (True, False)
    assert (close.terminal, end.terminal) == (True, False)
    assert (begin.guard, ask.guard, phone.guard, end.guard) == (
        None,
        "alltid",
        "alltid",
        "ärendet är klart",
    )
    # Steps named by other steps are shown by their labels, never their names.
    assert phone.not_after == ("träffa",)
    assert end.resets == ("fråga (skriftligt)",)
    assert [(e.source, e.target, e.kind) for e in model.edges] == [
        ("begin", "ask", EdgeKind.AFTER),
        ("begin", "two words", EdgeKind.AFTER),
        ("ask", "end", EdgeKind.AFTER_ANY),
        ("two words", "end", EdgeKind.AFTER_ANY),
        ("begin", "close", EdgeKind.AFTER),
    ]
    # Roles in the order they first appear in the table.
    assert model.roles == (Role.SOCIAL_WORKER, Role.THERAPIST, Role.COUNSELLOR, Role.GUARDIAN)


def test_x2_the_model_in_english_has_every_text_in_english() -> None:
    """X-2: with lang="en" the title, labels, guards and step references are English."""
    model = extract_diagram(SMALL, lang="en")
    assert (model.title, model.lang) == ("Small routine", "en")
    assert [node.label for node in model.nodes] == [
        "begin now",
        "ask (in writing)",
        "phone the individual",
        "meet",
        "close",
    ]
    assert model.nodes[3].guard == "the case is ready"
    assert model.nodes[2].not_after == ("meet",)
    with pytest.raises(InvalidInput, match="'sv' or 'en'"):
        extract_diagram(SMALL, lang="de")  # type: ignore[arg-type]


def test_x2_the_ov_model_shows_every_step_with_its_roles_from_the_role_matrix() -> None:
    """X-2: OV's model: 19 steps (two of them X-6), the Swedish labels, the matrix's roles."""
    model = extract_diagram(OUTPATIENT_CARE)
    matrix = OUTPATIENT_CARE.role_matrix()
    assert len(model.nodes) == len(OUTPATIENT_CARE.steps) == 19
    for node, step in zip(model.nodes, OUTPATIENT_CARE.steps, strict=True):
        assert node.label == step.label[0]
        assert frozenset(node.roles) == matrix[step.request]
        assert node.requirements == step.requirements
    labels = {node.step: node.label for node in model.nodes}
    assert labels["decide"] == "fatta beslut och skapa uppdrag"
    assert labels["close"] == "hålla avslutningssamtal"
    guards = {node.step: node.guard for node in model.nodes if node.guard}
    assert guards == {"coordinate": "flera behandlare delar ärendet"}
    assert [node.step for node in model.nodes if node.terminal] == ["close"]
    assert len(model.edges) == sum(len(s.after) + len(s.after_any) for s in OUTPATIENT_CARE.steps)


def test_a_diagram_is_drawn_from_a_routine_only() -> None:
    """Anything but a routine is refused with InvalidInput, as is a bad format or language."""
    with pytest.raises(InvalidInput, match="table of steps"):
        extract_diagram(object())  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="table of steps"):
        diagram("OV")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="format must be one of mermaid, table, not 'svg'"):
        diagram(SMALL, "svg")
    with pytest.raises(InvalidInput, match="not a value of type int"):
        diagram(SMALL, 3)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="'sv' or 'en'"):
        diagram(SMALL, lang="fi")
    assert diagram_formats() == ("mermaid", "table")


def test_the_routine_method_delegates_to_the_function() -> None:
    assert OUTPATIENT_CARE.diagram() == diagram(OUTPATIENT_CARE, "mermaid")
    assert OUTPATIENT_CARE.diagram("table") == role_table(OUTPATIENT_CARE)
    assert OUTPATIENT_CARE.diagram(lang="en") == diagram(OUTPATIENT_CARE, "mermaid", lang="en")


# --------------------------------------------------------------------------- Mermaid


def test_x2_mermaid_flowchart_with_escaped_labels_and_safe_ids() -> None:
    """X-2: step names are node ids where Mermaid can read them; labels are entity-escaped."""
    text = diagram(SMALL)
    lines = text.splitlines()
    assert lines[0] == "flowchart TD"
    assert lines[1] == "    %% D: Liten #quot;rutin#quot; med radbrytning"
    assert lines[2] == (
        '    begin["börja #quot;nu#quot; #35;1 #lt;snart#gt; #amp; #96;genast#96; | alltid'
        '<br/>socialsekreterare, behandlare<br/>X-1, X-2"]'
    )
    assert lines[3] == (
        '    ask["fråga (skriftligt)<br/>kurator<br/>X-2<br/>villkor: alltid<br/>upprepas"]'
    )
    # "two words" has a space and "end" is a Mermaid keyword: neither can be an id.
    assert lines[4] == (
        '    step3["ringa den enskilde<br/>socialsekreterare<br/>X-2<br/>villkor: alltid<br/>'
        'inte efter: träffa"]'
    )
    assert lines[5] == (
        '    step4["träffa<br/>vårdnadshavare<br/>X-5<br/>villkor: ärendet är klart<br/>'
        'gör möjligt igen: fråga (skriftligt)"]'
    )
    assert lines[6] == '    close(["avsluta<br/>socialsekreterare<br/>X-2<br/>avslutar ärendet"])'
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


def test_x2_mermaid_in_english_is_wholly_english() -> None:
    """X-2: ``lang="en"``: labels, roles, conditions, marks and arrows in English."""
    lines = diagram(SMALL, lang="en").splitlines()
    assert lines[1] == "    %% D: Small routine"
    assert lines[3] == (
        '    ask["ask (in writing)<br/>counsellor<br/>X-2<br/>condition: always<br/>repeatable"]'
    )
    assert lines[5] == (
        '    step4["meet<br/>guardian<br/>X-5<br/>condition: the case is ready<br/>'
        'makes possible again: ask (in writing)"]'
    )
    assert lines[6] == '    close(["close<br/>social worker<br/>X-2<br/>ends the case"])'
    assert "    ask -. or .-> step4" in lines


def test_x2_mermaid_of_ov_has_every_step_as_a_node_and_edge() -> None:
    """X-2: OV's flowchart: the step names are the ids, one arrow per step named before."""
    text = diagram(OUTPATIENT_CARE)
    for step in OUTPATIENT_CARE.steps:
        assert re.search(rf"^    {step.name}\(?\[\"", text, re.M), step.name
        for before in step.after:
            assert f"    {before} --> {step.name}\n" in text + "\n"
    assert '    close(["hålla avslutningssamtal<br/>socialsekreterare<br/>OV-11' in text
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
    text = diagram(small(steps, "t"))
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
    """Read a role table back: the role columns and, per step label, the roles ticked."""
    lines = text.splitlines()
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    assert header[:2] in (["Steg", "Krav"], ["Step", "Requirements"])
    roles = header[2:]
    ticked: dict[str, set[str]] = {}
    for line in lines[2:]:
        cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
        assert len(cells) == len(header), line
        ticked[cells[0].replace("\\|", "|")] = {
            role for role, cell in zip(roles, cells[2:], strict=True) if cell == "✓"
        }
        assert all(cell in ("✓", "") for cell in cells[2:])
    return roles, ticked


@pytest.mark.parametrize("routine", [SMALL, OUTPATIENT_CARE], ids=lambda r: r.code)
def test_x2_the_role_table_ticks_exactly_the_role_matrix(
    routine: Routine[Any, Any, Any],
) -> None:
    """X-2: rows are the steps by label, columns the routine's roles, ✓ where a role may act."""
    roles, ticked = parse_table(role_table(routine))
    matrix = routine.role_matrix()
    assert list(ticked) == [step.label[0] for step in routine.steps]
    assert set(roles) == {role.value for allowed in matrix.values() for role in allowed}
    for step in routine.steps:
        assert ticked[step.label[0]] == {role.value for role in matrix[step.request]}
    english_roles, english = parse_table(role_table(routine, lang="en"))
    assert list(english) == [step.label[1] for step in routine.steps]
    assert len(english_roles) == len(roles)


def test_x2_the_role_table_escapes_pipes_and_names_the_step() -> None:
    """X-2: a Swedish label with a pipe stays in its cell."""
    first_row = role_table(SMALL).splitlines()[2]
    assert first_row == '| börja "nu" #1 <snart> & `genast` \\| alltid | X-1, X-2 | ✓ | ✓ |  |  |'
    assert role_table(OUTPATIENT_CARE).splitlines()[:3] == [
        "| Steg | Krav | socialsekreterare | enhetschef | behandlare | kurator |",
        "|---|---|:-:|:-:|:-:|:-:|",
        "| fatta beslut och skapa uppdrag | OV-1 | ✓ |  |  |  |",
    ]
    assert role_table(OUTPATIENT_CARE, lang="en").splitlines()[0] == (
        "| Step | Requirements | social worker | unit manager | therapist | counsellor |"
    )


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
    assert fresh.startswith("before\n<!-- roles:OV start -->\n| Steg | Krav |")
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
