"""The producer suite judges a producer through HTTP only: it imports neither the report, the runner nor a
reference app, except the one launcher that starts the reference producer for the demo (imported late)."""

from __future__ import annotations

import ast
from pathlib import Path

import harness

SUITE = Path(harness.__file__).parent / "producer_suite"
SCENARIOS = Path(harness.__file__).parents[1] / "scenarios" / "producer"
FORBIDDEN = ("harness.report", "harness.runner", "harness.reference_producer", "harness.reference_sp")


def imports(path: Path) -> list[tuple[str, bool]]:
    """(module, imported at module level) for every import in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        found += [(name, id(node) in top) for name in names]
    return found


def test_the_suite_and_its_scenarios_import_no_report_runner_or_reference_app() -> None:
    modules = [*SUITE.glob("*.py"), *SCENARIOS.glob("*.py")]
    assert len(modules) > 20
    for path in modules:
        wrong = {m for m, _ in imports(path) if m.startswith(FORBIDDEN)}
        if path.name == "launcher.py":
            assert wrong == {"harness.reference_producer"}, path
            assert all(not top for m, top in imports(path) if m in wrong), (
                "the reference app is imported late"
            )
        else:
            assert wrong == set(), path


def test_modules_stay_small() -> None:
    for path in [*SUITE.glob("*.py"), *SCENARIOS.glob("*.py")]:
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 400, path
