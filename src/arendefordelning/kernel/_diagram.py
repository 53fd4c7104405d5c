"""Diagrams of a routine (flödesschema), drawn from its table of steps, X-2.

The table is read once into a neutral model (:class:`Diagram`: a :class:`DiagramNode`
per step, a :class:`DiagramEdge` per step it comes after), and every format is a
renderer of that model, registered by name in one registry (as python-statemachine
renders its machines): ``"mermaid"`` draws a Mermaid flowchart, ``"table"`` the
who-may-do-what table (vem får göra vad) from :meth:`Routine.role_matrix`. Nothing is
drawn by hand, so a diagram cannot disagree with the routine it shows, and the same
routine always gives the same text. Every text comes from the labels the table
declares, in Swedish or English (``lang``): no step name, class name or docstring.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable
from typing import Any, Final

import attrs

from .._validators import describe, shown
from ..deadlines import Language, check_language
from ..errors import InvalidInput
from ._base import Role, role_label
from ._routine import Routine

__all__ = [
    "Diagram",
    "DiagramEdge",
    "DiagramNode",
    "EdgeKind",
    "diagram",
    "diagram_formats",
    "extract_diagram",
    "role_table",
]


class EdgeKind(enum.Enum):
    """Kind of arrow (piltyp) in a routine's diagram: which steps a step comes after."""

    AFTER = "efter"
    """The step comes after this one, and after every other step it names so (``after``)."""
    AFTER_ANY = "eller"
    """The step comes after this one or another it names so (``after_any``)."""


@attrs.frozen(kw_only=True)
class DiagramNode:
    """Box of a diagram (ruta): one step, what it does, who may take it and why, X-2.

    Every text is in the diagram's language, from the labels the table declares:
    ``label`` the step as an imperative (``"fatta beslut"``), ``guard`` its
    condition, ``not_after`` and ``resets`` the labels of the steps they name.
    ``step`` is the step's name in the table, the node's id; no renderer prints it.
    """

    step: str
    """The step's name in the table; the node's id."""
    label: str
    """The step as an imperative, in the diagram's language (``"fatta beslut"``)."""
    roles: tuple[Role, ...]
    """The roles that may take the step (X-2), in the diagram's order of roles."""
    requirements: tuple[str, ...]
    """The requirement IDs the step implements."""
    guard: str | None = None
    """The step's condition (``when``) in words, in the diagram's language."""
    first: bool = False
    """Whether the step comes after no other step (a case can start with it)."""
    terminal: bool = False
    """Whether the step ends the case."""
    repeatable: bool = False
    """Whether the step may be taken more than once."""
    not_after: tuple[str, ...] = ()
    """The labels of the steps after which this one may no longer be taken."""
    resets: tuple[str, ...] = ()
    """The labels of the steps this one makes takeable again."""


@attrs.frozen(kw_only=True)
class DiagramEdge:
    """Arrow of a diagram (pil): a step comes after another, X-2."""

    source: str
    """The step taken first."""
    target: str
    """The step that comes after it."""
    kind: EdgeKind
    """After this step and every other (solid), or after one of several (dashed)."""


@attrs.frozen(kw_only=True)
class Diagram:
    """Diagram (flödesschema) of a routine: its steps and what each comes after, X-2.

    The neutral model every format renders, in one language (``lang``): nodes in the
    table's order, edges in the order the steps name them, and the roles that appear
    in the routine, in the order they first appear.
    """

    code: str
    """The routine's code (``"OV"``)."""
    title: str
    """The routine's title in the diagram's language."""
    nodes: tuple[DiagramNode, ...]
    """One per step, in the table's order."""
    edges: tuple[DiagramEdge, ...]
    """One per step a step comes after."""
    roles: tuple[Role, ...]
    """The roles that may take a step of the routine, in the order they first appear."""
    lang: Language = "sv"
    """The language of every text of the diagram."""


# --------------------------------------------------------------------------- extraction

_ROLE_ORDER: Final = {role: index for index, role in enumerate(Role)}


def _in_order(roles: Iterable[Role]) -> tuple[Role, ...]:
    return tuple(sorted(roles, key=_ROLE_ORDER.__getitem__))


def extract_diagram(routine: Routine[Any, Any, Any], *, lang: Language = "sv") -> Diagram:
    """Extract the neutral model of a routine's diagram (flödesschema), in a language, X-2.

    Raises:
        InvalidInput: for anything that is not a :class:`Routine`, or a language other
            than ``"sv"`` and ``"en"``.
    """
    given: object = routine
    if not isinstance(given, Routine):
        raise InvalidInput(
            f"a diagram is drawn from a routine's table of steps (a Routine), not {describe(given)}"
        )
    check_language(lang)
    pick = 0 if lang == "sv" else 1
    labels = {step.name: step.label[pick] for step in routine.steps}
    nodes: list[DiagramNode] = []
    edges: list[DiagramEdge] = []
    seen: dict[Role, None] = {}
    for step in routine.steps:
        roles = _in_order(step.roles)
        seen.update(dict.fromkeys(roles))
        nodes.append(
            DiagramNode(
                step=step.name,
                label=step.label[pick],
                roles=roles,
                requirements=tuple(step.requirements),
                guard=None if step.when is None else step.when.label[pick],
                first=not step.after and not step.after_any,
                terminal=step.terminal,
                repeatable=not step.once,
                not_after=tuple(labels[name] for name in step.not_after),
                resets=tuple(labels[name] for name in step.resets),
            )
        )
        edges += [DiagramEdge(source=n, target=step.name, kind=EdgeKind.AFTER) for n in step.after]
        edges += [
            DiagramEdge(source=n, target=step.name, kind=EdgeKind.AFTER_ANY) for n in step.after_any
        ]
    return Diagram(
        code=routine.code,
        title=routine.title if lang == "sv" else routine.title_en,
        nodes=tuple(nodes),
        edges=tuple(edges),
        roles=tuple(seen),
        lang=lang,
    )


# --------------------------------------------------------------------------- the registry

Renderer = Callable[[Diagram], str]
"""A format: makes the text of a diagram from its neutral model."""

_RENDERERS: Final[dict[str, Renderer]] = {}


def _renders(name: str) -> Callable[[Renderer], Renderer]:
    def register(renderer: Renderer) -> Renderer:
        _RENDERERS[name] = renderer
        return renderer

    return register


def diagram_formats() -> tuple[str, ...]:
    """Return the names of the formats a diagram renders to, in the order registered."""
    return tuple(_RENDERERS)


def diagram(routine: Routine[Any, Any, Any], format: str = "mermaid", *, lang: str = "sv") -> str:
    """Render a routine's diagram (flödesschema): ``"mermaid"`` or ``"table"``, X-2.

    Wholly in the chosen language, ``"sv"`` (the default) or ``"en"``: the steps'
    labels, their conditions, the roles, the words of the arrows. The text has no
    trailing line break; the same routine always gives the same text.

    Raises:
        InvalidInput: for a format that is not registered, a language other than
            ``"sv"`` and ``"en"``, or anything that is not a :class:`Routine`.
    """
    given: object = format
    renderer = _RENDERERS.get(given) if isinstance(given, str) else None
    if renderer is None:
        shown_format = shown(given) if isinstance(given, str) else describe(given)
        raise InvalidInput(f"format must be one of {', '.join(_RENDERERS)}, not {shown_format}")
    check_language(lang)
    return renderer(extract_diagram(routine, lang=lang))  # type: ignore[arg-type]


def role_table(routine: Routine[Any, Any, Any], *, lang: str = "sv") -> str:
    """Return the who-may-do-what table (vem får göra vad) of a routine in Markdown, X-2.

    One row per step in the table's order, one column per role that appears in the
    routine, ✓ where the role may take the step (:meth:`Routine.role_matrix`).
    """
    return diagram(routine, "table", lang=lang)


# --------------------------------------------------------------------------- Mermaid

# Characters Mermaid reads inside a quoted label, written as its entity codes.
_MERMAID_ESCAPES: Final = {
    "#": "#35;",
    '"': "#quot;",
    "&": "#amp;",
    "<": "#lt;",
    ">": "#gt;",
    "`": "#96;",
}
_SAFE_ID: Final = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
# Words a Mermaid flowchart reads as a keyword where a node id stands.
_KEYWORDS: Final = frozenset(
    {
        "end",
        "graph",
        "flowchart",
        "subgraph",
        "style",
        "class",
        "classdef",
        "click",
        "linkstyle",
        "direction",
        "default",
        "call",
        "href",
    }
)


def _mermaid_text(value: str) -> str:
    """Write text for a quoted Mermaid label: entity codes, no line breaks."""
    return "".join(
        _MERMAID_ESCAPES.get(char, char if char.isprintable() else " ") for char in value
    )


def _node_ids(nodes: Iterable[DiagramNode]) -> dict[str, str]:
    """Map each step to its node id: its name, or ``stepN`` when Mermaid cannot read it."""
    names = [node.step for node in nodes]
    used = set(names)
    ids: dict[str, str] = {}
    for index, name in enumerate(names, start=1):
        if _SAFE_ID.fullmatch(name) and name.lower() not in _KEYWORDS:
            ids[name] = name
            continue
        number = index
        while f"step{number}" in used:
            number += 1
        ids[name] = f"step{number}"
        used.add(ids[name])
    return ids


_WORDS: Final = {
    "sv": {
        "guard": "villkor",
        "not_after": "inte efter",
        "resets": "gör möjligt igen",
        "repeatable": "upprepas",
        "terminal": "avslutar ärendet",
        "or": "eller",
        "step": "Steg",
        "requirements": "Krav",
    },
    "en": {
        "guard": "condition",
        "not_after": "not after",
        "resets": "makes possible again",
        "repeatable": "repeatable",
        "terminal": "ends the case",
        "or": "or",
        "step": "Step",
        "requirements": "Requirements",
    },
}


def _mermaid_label(node: DiagramNode, lang: Language) -> str:
    words = _WORDS[lang]
    lines = [node.label, ", ".join(role_label(role, lang) for role in node.roles)]
    lines.append(", ".join(node.requirements))
    if node.guard is not None:
        lines.append(f"{words['guard']}: {node.guard}")
    if node.not_after:
        lines.append(f"{words['not_after']}: {'; '.join(node.not_after)}")
    if node.resets:
        lines.append(f"{words['resets']}: {'; '.join(node.resets)}")
    if node.repeatable:
        lines.append(words["repeatable"])
    if node.terminal:
        lines.append(words["terminal"])
    return "<br/>".join(_mermaid_text(line) for line in lines)


@_renders("mermaid")
def _render_mermaid(model: Diagram) -> str:
    """Draw a Mermaid flowchart: a box per step, solid and dashed arrows, terminal steps round."""
    ids = _node_ids(model.nodes)
    lines = ["flowchart TD", f"    %% {model.code}: {_mermaid_text(model.title)}"]
    for node in model.nodes:
        label = _mermaid_label(node, model.lang)
        shape = f'(["{label}"])' if node.terminal else f'["{label}"]'
        lines.append(f"    {ids[node.step]}{shape}")
    for edge in model.edges:
        source, target = ids[edge.source], ids[edge.target]
        if edge.kind is EdgeKind.AFTER:
            lines.append(f"    {source} --> {target}")
        else:
            lines.append(f"    {source} -. {_WORDS[model.lang]['or']} .-> {target}")
    for name, style, chosen in (
        ("first", "stroke-width:2px", [n for n in model.nodes if n.first]),
        ("terminal", "stroke-width:4px", [n for n in model.nodes if n.terminal]),
        ("repeatable", "stroke-dasharray:5 3", [n for n in model.nodes if n.repeatable]),
    ):
        if chosen:
            lines.append(f"    classDef {name} {style}")
            lines.append(f"    class {','.join(ids[n.step] for n in chosen)} {name}")
    return "\n".join(lines)


# --------------------------------------------------------------------------- the table


def _cell(value: str) -> str:
    """Write text for a Markdown table cell: pipes escaped, no line breaks."""
    return "".join(char if char.isprintable() else " " for char in value).replace("|", "\\|")


@_renders("table")
def _render_table(model: Diagram) -> str:
    """Draw the who-may-do-what table in Markdown: rows are steps, columns roles."""
    words = _WORDS[model.lang]
    header = [
        words["step"],
        words["requirements"],
        *(role_label(role, model.lang) for role in model.roles),
    ]
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "---|" * 2 + ":-:|" * len(model.roles),
    ]
    for node in model.nodes:
        cells = [
            _cell(node.label),
            ", ".join(node.requirements),
            *("✓" if role in node.roles else "" for role in model.roles),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
