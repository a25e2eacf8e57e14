"""The report core knows no protocol, and no suite depends on the report (read from the imports)."""

from __future__ import annotations

import ast
from pathlib import Path

import harness

HARNESS = Path(harness.__file__).parent
PROTOCOL_MODULES = ("harness.saml_bindings", "harness.core.soap", "harness.report.decoders")


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_the_report_core_imports_no_protocol_module() -> None:
    core = list((HARNESS / "report").glob("*.py"))
    assert len(core) > 8
    for path in core:
        wrong = {m for m in imports_of(path) if m.startswith(PROTOCOL_MODULES)}
        assert wrong == set(), path.name


def test_no_suite_imports_the_report() -> None:
    suites = [*(HARNESS / "sp_suite").rglob("*.py"), *(HARNESS.parent / "scenarios").rglob("*.py")]
    assert suites
    for path in suites:
        assert not any(m.startswith("harness.report") for m in imports_of(path)), path
