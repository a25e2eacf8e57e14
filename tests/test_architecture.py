"""The dependency rules of ARCHITECTURE.md, checked from the imports themselves (every import statement,
at module level or inside a function, so that no rule is dodged by importing late)."""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HARNESS = ROOT / "harness"
CORE_ALLOWED_THIRD_PARTY = {"lxml", "xmlsec"}
MOCKS = ("harness.mock_1177_idp", "harness.mock_ntp")
REFERENCE_APPS = ("harness.reference_sp", "harness.reference_producer")
SUITES = ("harness.sp_suite", "harness.producer_suite")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    return {module_name(p): p for p in HARNESS.rglob("*.py")}


def imports_of(path: Path, *, runtime_only: bool = False) -> Iterator[str]:
    """Every module ``path`` imports (absolute names; relative imports resolved); ``runtime_only``
    leaves out the imports under ``if TYPE_CHECKING:``, which never execute."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    if runtime_only:
        for node in ast.walk(tree):
            if isinstance(node, ast.If) and ast.unparse(node.test) in (
                "TYPE_CHECKING",
                "typing.TYPE_CHECKING",
            ):
                node.body = []
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in modules())


def within(name: str, packages: tuple[str, ...] | str) -> bool:
    packages = (packages,) if isinstance(packages, str) else packages
    return any(name == p or name.startswith(f"{p}.") for p in packages)


def violations(source: tuple[str, ...] | str, forbidden: tuple[str, ...] | str) -> list[str]:
    return sorted(
        f"{name} imports {imported}"
        for name, path in modules().items()
        if within(name, source)
        for imported in imports_of(path)
        if within(imported, forbidden) and not within(imported, source)
    )


def test_core_imports_only_the_standard_library_lxml_and_xmlsec() -> None:
    problems = []
    for name, path in modules().items():
        if not within(name, "harness.core"):
            continue
        for imported in imports_of(path):
            top = imported.split(".")[0]
            if within(imported, "harness.core") or top in sys.stdlib_module_names or top == "__future__":
                continue
            if top not in CORE_ALLOWED_THIRD_PARTY:
                problems.append(f"{name} imports {imported}")
    assert problems == []


def test_core_imports_nothing_of_pytest_or_the_scenarios() -> None:
    assert violations("harness.core", ("pytest", "scenarios", "harness")) == []


@pytest.mark.parametrize("mock", MOCKS)
def test_mocks_never_import_a_reference_app_a_suite_or_a_scenario(mock: str) -> None:
    assert violations(mock, (*REFERENCE_APPS, *SUITES, "scenarios", "harness.report", "harness.runner")) == []


@pytest.mark.parametrize("app", REFERENCE_APPS)
def test_reference_apps_are_judged_only_through_http(app: str) -> None:
    forbidden = (*MOCKS, *SUITES, "scenarios", "harness.report", "harness.runner", "harness.pytest_plugin")
    assert violations(app, forbidden) == []


@pytest.mark.parametrize("suite", SUITES)
def test_suites_do_not_depend_on_the_report(suite: str) -> None:
    assert violations(suite, ("harness.report", "harness.runner", "harness.cli")) == []


def test_the_report_knows_no_suite_mock_or_app() -> None:
    assert violations("harness.report", (*MOCKS, *REFERENCE_APPS, *SUITES, "scenarios")) == []


def test_no_library_module_imports_the_cli() -> None:
    cli = ("harness.cli",)  # the package: every command group and the defaults
    assert violations(tuple(n for n in modules() if not within(n, cli) and n != "harness"), cli) == []


def test_there_is_no_import_cycle_inside_a_package() -> None:
    """Module-level and function-level imports alike: a late import hides a cycle, it does not remove it."""
    graph = {
        name: {
            target
            for imported in imports_of(path, runtime_only=True)
            for target in (imported, imported.rpartition(".")[0])
            if target in modules() and target != name and target.rpartition(".")[0] == name.rpartition(".")[0]
        }
        for name, path in modules().items()
        if not name.endswith("__init__")
    }
    assert find_cycles(graph) == []


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan), as sorted lists."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for successor in graph.get(node, ()):
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return cycles


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
