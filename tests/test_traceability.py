"""Traceability: requirement IDs, the code that cites them, the tests, and the glossary.

Everything here reads files of this repository only. The routine catalogue itself is
not part of the repository, so its shape is pinned by the expected number of
requirements per routine below, and ``docs/requirements.md`` is the catalogue's list
of IDs as far as these tests are concerned.
"""

from __future__ import annotations

import ast
import functools
import importlib
import inspect
import itertools
import re
from pathlib import Path
from types import ModuleType

import attrs
import pytest

import arendefordelning

ROOT = Path(__file__).resolve().parents[1]
PACKAGE_DIR = ROOT / "src" / "arendefordelning"
TESTS_DIR = ROOT / "tests"
REQUIREMENTS = ROOT / "docs" / "requirements.md"
GLOSSARY = ROOT / "docs" / "glossary.md"
THIS_FILE = Path(__file__).resolve()

# Requirements per routine prefix, in catalogue order.
EXPECTED_COUNTS: dict[str, int] = {"HC": 13, "DV": 9, "UP": 14, "VAL": 20, "OV": 11, "X": 7}

ID_PATTERN = r"\b(?:HC|DV|UP|VAL|OV|X)-\d+\b"
ID_RE = re.compile(ID_PATTERN)
WELL_FORMED_ID = re.compile(r"(?P<prefix>HC|DV|UP|VAL|OV|X)-(?P<number>[1-9]\d*)")
BACKTICKED = re.compile(r"`([^`]+)`")
NONE_MARK = "—"

REQUIREMENTS_HEADER = "| ID | Requirement | Module |"
GLOSSARY_HEADER = "| Svenska | English | Identifier |"


# --------------------------------------------------------------------------- helpers


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _cites(text: str, requirement: str) -> bool:
    """Whether ``text`` contains ``requirement`` as a whole word."""
    return re.search(rf"\b{re.escape(requirement)}\b", text) is not None


def _table(path: Path, header: str) -> list[list[str]]:
    """Return the cells of the rows of the markdown table under ``header`` in ``path``."""
    lines = _read(path).splitlines()
    starts = [i for i, line in enumerate(lines) if line.strip() == header]
    assert len(starts) == 1, f"{path.name} must hold exactly one table headed {header!r}"
    start = starts[0]
    separator = lines[start + 1].strip()
    assert re.fullmatch(r"\|(\s*:?-+:?\s*\|)+", separator), f"{path.name}: no separator row"
    width = header.count("|") - 1
    rows: list[list[str]] = []
    for line in lines[start + 2 :]:
        if not line.strip().startswith("|"):
            break
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        assert len(cells) == width, f"{path.name}: row {line!r} has {len(cells)} cells"
        rows.append(cells)
    assert rows, f"{path.name}: the table has no rows"
    return rows


@functools.cache
def _requirement_rows() -> tuple[tuple[str, str, str], ...]:
    return tuple((r[0], r[1], r[2]) for r in _table(REQUIREMENTS, REQUIREMENTS_HEADER))


def _table_ids() -> list[str]:
    return [row[0] for row in _requirement_rows()]


@functools.cache
def _package_modules() -> dict[str, str]:
    """Text of every module of the package, keyed by its path relative to the package."""
    return {
        path.relative_to(PACKAGE_DIR).as_posix(): _read(path)
        for path in sorted(PACKAGE_DIR.rglob("*.py"))
    }


@functools.cache
def _ids_cited_in_src() -> frozenset[str]:
    texts = (_read(path) for path in (ROOT / "src").rglob("*.py"))
    return frozenset(match for text in texts for match in ID_RE.findall(text))


def _modules_cell(cell: str) -> set[str]:
    """Parse a Module cell: ``—`` or backticked paths separated by ``, ``."""
    if cell == NONE_MARK:
        return set()
    parts = cell.split(", ")
    modules = set()
    for part in parts:
        match = BACKTICKED.fullmatch(part)
        assert match, f"Module cell {cell!r}: {part!r} is not a backticked module path"
        modules.add(match.group(1))
    assert len(modules) == len(parts), f"Module cell {cell!r} names a module twice"
    return modules


# --------------------------------------------------------------------------- requirements


def test_requirement_ids_are_well_formed_and_unique() -> None:
    ids = _table_ids()
    malformed = [i for i in ids if not WELL_FORMED_ID.fullmatch(i)]
    assert not malformed, f"malformed requirement IDs in the table: {malformed}"
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert not duplicates, f"requirement IDs listed twice: {duplicates}"


def test_requirement_table_pins_the_catalogue() -> None:
    ids = _table_ids()
    numbers: dict[str, list[int]] = {prefix: [] for prefix in EXPECTED_COUNTS}
    for requirement in ids:
        match = WELL_FORMED_ID.fullmatch(requirement)
        assert match, requirement
        numbers[match["prefix"]].append(int(match["number"]))
    counts = {prefix: len(found) for prefix, found in numbers.items()}
    assert counts == EXPECTED_COUNTS
    for prefix, found in numbers.items():
        assert sorted(found) == list(range(1, EXPECTED_COUNTS[prefix] + 1)), (
            f"{prefix} IDs are not numbered 1..{EXPECTED_COUNTS[prefix]} without gaps"
        )
    catalogue_order = [
        f"{prefix}-{n}" for prefix, count in EXPECTED_COUNTS.items() for n in range(1, count + 1)
    ]
    assert ids == catalogue_order, "the table is not in catalogue order"


def test_every_requirement_has_a_summary() -> None:
    empty = [row[0] for row in _requirement_rows() if not row[1] or row[1] == NONE_MARK]
    assert not empty, f"requirements without a summary: {empty}"


def test_every_id_cited_in_src_is_in_the_table() -> None:
    cited = _ids_cited_in_src()
    assert cited, "no requirement ID is cited anywhere in src/ (is the regex right?)"
    unknown = sorted(cited - set(_table_ids()))
    assert not unknown, f"IDs cited in src/ but not in docs/requirements.md: {unknown}"


def test_module_column_matches_the_code() -> None:
    modules = _package_modules()
    assert "deadlines.py" in modules, "the package sources were not found"
    wrong: list[str] = []
    for requirement, _summary, cell in _requirement_rows():
        listed = _modules_cell(cell)
        citing = {name for name, text in modules.items() if _cites(text, requirement)}
        if listed != citing:
            wrong.append(
                f"{requirement}: table says {sorted(listed) or NONE_MARK}, "
                f"code cites it in {sorted(citing) or NONE_MARK}"
            )
    assert not wrong, "Module column out of date:\n" + "\n".join(wrong)


def test_every_implemented_id_is_cited_in_a_test() -> None:
    test_texts = [
        _read(path) for path in sorted(TESTS_DIR.rglob("*.py")) if path.resolve() != THIS_FILE
    ]
    order = {requirement: index for index, requirement in enumerate(_table_ids())}
    untested = sorted(
        (i for i in _ids_cited_in_src() if not any(_cites(text, i) for text in test_texts)),
        key=lambda i: (order.get(i, len(order)), i),
    )
    assert not untested, f"IDs implemented in src/ but cited in no test: {untested}"


# --------------------------------------------------------------------------- glossary

# A parenthesised term counts as Swedish when it has a Swedish letter, or when it is
# plain lower-case words (with digits and dashes): "(svensk tid)", "(byte inom 7–14
# dagar)". Requirement IDs, code and English remarks have capitals, backticks, colons
# or other signs and are left out; private names are skipped because their English
# asides ("(and the three eves)") would pass as lower-case words.
SWEDISH_LETTER = re.compile(r"[åäöÅÄÖ]")
LOWER_CASE_WORDS = re.compile(r"[a-z0-9–-]+(?: [a-z0-9–-]+)*")


def _first_parenthesised(line: str) -> str | None:
    """Return the text inside the first pair of parentheses, nesting included."""
    start = line.find("(")
    if start < 0:
        return None
    depth = 0
    for index in range(start, len(line)):
        if line[index] == "(":
            depth += 1
        elif line[index] == ")":
            depth -= 1
            if depth == 0:
                return line[start + 1 : index]
    return None


def _is_swedish_term(text: str) -> bool:
    if SWEDISH_LETTER.search(text):
        return True
    return LOWER_CASE_WORDS.fullmatch(text) is not None and re.search("[a-z]{2}", text) is not None


@functools.cache
def _docstring_terms() -> dict[str, tuple[str, ...]]:
    """Swedish terms of docstring first lines, mapped to where they were found."""
    found: dict[str, list[str]] = {}
    for relative, text in _package_modules().items():
        tree = ast.parse(text, filename=relative)
        nodes: list[ast.AST] = [tree]
        nodes += [
            node
            for node in ast.walk(tree)
            if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and not node.name.startswith("_")
        ]
        for node in nodes:
            assert isinstance(
                node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef
            )
            docstring = ast.get_docstring(node)
            if not docstring:
                continue
            inner = _first_parenthesised(docstring.strip().splitlines()[0])
            if inner is None or not _is_swedish_term(inner):
                continue
            where = f"{relative}:{getattr(node, 'name', '<module>')}"
            for term in re.split(r", | / ", inner):
                found.setdefault(term.strip().lower(), []).append(where)
    return {term: tuple(places) for term, places in found.items()}


@functools.cache
def _glossary_rows() -> tuple[tuple[str, str, str], ...]:
    return tuple((r[0], r[1], r[2]) for r in _table(GLOSSARY, GLOSSARY_HEADER))


def test_docstring_terms_are_extracted() -> None:
    # Guards the extraction itself: the package's docstrings hold many Swedish terms.
    assert len(_docstring_terms()) >= 10, sorted(_docstring_terms())


def test_every_docstring_term_is_in_the_glossary() -> None:
    swedish = [row[0].lower() for row in _glossary_rows()]
    missing = {
        term: places
        for term, places in _docstring_terms().items()
        if not any(term in cell for cell in swedish)
    }
    assert not missing, f"Swedish docstring terms missing from docs/glossary.md: {missing}"


def test_glossary_rows_are_complete_and_unique() -> None:
    rows = _glossary_rows()
    incomplete = [row for row in rows if not all(row)]
    assert not incomplete, f"glossary rows with an empty cell: {incomplete}"
    terms = [row[0].lower() for row in rows]
    assert len(set(terms)) == len(terms), "a Swedish term is listed twice in the glossary"


def _resolve(name: str) -> object:
    """Resolve an identifier relative to the package (``WorkCalendar``, ``cli.main``)."""
    if name == "arendefordelning":
        return arendefordelning
    name = name.removeprefix("arendefordelning.")
    target: object = arendefordelning
    for part in name.split("."):
        if hasattr(target, part):
            target = getattr(target, part)
        elif isinstance(target, ModuleType):
            target = importlib.import_module(f"{target.__name__}.{part}")
        else:
            raise AttributeError(f"{name}: no attribute {part!r}")
    return target


def test_glossary_identifiers_exist() -> None:
    missing: list[str] = []
    for term, _english, cell in _glossary_rows():
        if cell == NONE_MARK:
            continue
        for part in cell.split(", "):
            match = BACKTICKED.fullmatch(part)
            assert match, f"glossary {term!r}: {part!r} is not a backticked identifier"
            try:
                _resolve(match.group(1))
            except (AttributeError, ImportError):
                missing.append(f"{term}: {match.group(1)}")
    assert not missing, f"glossary identifiers that do not exist: {missing}"


# --------------------------------------------------------------------------- policies


def _policy_classes() -> list[type]:
    classes = []
    for name in arendefordelning.__all__:
        value = getattr(arendefordelning, name)
        if name.endswith("Policy") and isinstance(value, type):
            classes.append(value)
    return classes


def _attribute_docstrings(cls: type) -> dict[str, str]:
    """Map each annotated field in the class body, or a base's, to the string after it."""
    docstrings: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        if not klass.__module__.startswith("arendefordelning"):
            continue
        source = inspect.getsourcefile(klass)
        assert source is not None, klass
        tree = ast.parse(Path(source).read_text(encoding="utf-8"))
        definitions = [
            node
            for node in tree.body
            if isinstance(node, ast.ClassDef) and node.name == klass.__name__
        ]
        assert len(definitions) == 1, f"{klass.__name__} is not defined once at module level"
        for statement, following in itertools.pairwise(definitions[0].body):
            if (
                isinstance(statement, ast.AnnAssign)
                and isinstance(statement.target, ast.Name)
                and isinstance(following, ast.Expr)
                and isinstance(following.value, ast.Constant)
                and isinstance(following.value.value, str)
            ):
                docstrings[statement.target.id] = following.value.value
    return docstrings


def test_the_package_exports_policies() -> None:
    assert _policy_classes(), "no class whose name ends with 'Policy' is exported"


@pytest.mark.parametrize("cls", _policy_classes(), ids=lambda cls: cls.__name__)
def test_policy_fields_cite_a_requirement(cls: type) -> None:
    assert attrs.has(cls), f"{cls.__name__} is not an attrs class"
    docstrings = _attribute_docstrings(cls)
    known = set(_table_ids())
    problems: list[str] = []
    # Fields with init=False (such as a private cache) are not parameters a caller can
    # set, so they are not numbers of a routine and need not cite one.
    for field in attrs.fields(cls):
        if not field.init:
            continue
        docstring = docstrings.get(field.name)
        if docstring is None:
            problems.append(f"{field.name}: no attribute docstring")
            continue
        cited = set(ID_RE.findall(docstring))
        if not cited:
            problems.append(f"{field.name}: the docstring cites no requirement ID")
        elif not cited <= known:
            problems.append(f"{field.name}: cites unknown IDs {sorted(cited - known)}")
    assert not problems, f"{cls.__name__}: " + "; ".join(problems)
