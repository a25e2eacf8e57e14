"""``conformance init SUITE`` (a commented target template) and ``conformance check-target FILE`` (each
suite in the file checks its sections before a run, through its ``check_target`` hook in
:mod:`harness.suites`), kept apart from :mod:`harness.cli`, which only parses and prints."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from harness.core.results import EXIT_CONFIG
from harness.core.targets import TargetError, read_target_file

__all__ = ["add_commands", "check_target_lines"]

_HELP = argparse.RawDescriptionHelpFormatter


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    init = commands.add_parser(
        "init",
        help="Write a commented target template for a suite",
        description="Write a commented target template for a suite: every setting, what it is for, and\n"
        "which scenarios skip without the optional ones.",
        epilog="Example:\n  conformance init producer --out targets/my-producer.toml",
        formatter_class=_HELP,
    )
    init.add_argument("suite", metavar="SUITE", help="the suite, e.g. producer")
    init.add_argument(
        "--out", type=Path, metavar="FILE", help="where to write it (default targets/my-SUITE.toml)"
    )
    init.set_defaults(handler=_init, label="init")
    check = commands.add_parser(
        "check-target",
        help="Check a target file before a run",
        description="Check a target file before a run: each suite whose sections it holds reads them,\n"
        "checks that the endpoints answer and lists the scenarios that will skip, with the setting\n"
        "that would enable each.",
        epilog="Example:\n  conformance check-target targets/my-producer.toml",
        formatter_class=_HELP,
    )
    check.add_argument("file", type=Path, metavar="FILE", help="the target file (TOML)")
    check.add_argument("--persons", type=Path, metavar="DIR", help="Skatteverket's test personnummer lists")
    check.add_argument("--schemas", type=Path, metavar="DIR", help="the official RIVTA schema bundles")
    check.set_defaults(handler=_check_target, label="check-target")


def _init(args: argparse.Namespace) -> int:
    from harness.suites import SUITES

    suite = SUITES.get(args.suite)
    if suite is None or suite.template is None:
        with_template = ", ".join(name for name, s in SUITES.items() if s.template is not None)
        print(f"init: no template for {args.suite!r}; suites with one: {with_template}", file=sys.stderr)
        return EXIT_CONFIG
    out: Path = args.out or Path("targets") / f"my-{args.suite}.toml"
    if out.exists():
        print(f"init: {out} exists; not overwritten", file=sys.stderr)
        return EXIT_CONFIG
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(suite.template.read_text(encoding="utf-8"), encoding="utf-8")
    print(f"wrote {out}: fill it in, then `conformance check-target {out}`")
    return 0


def check_target_lines(path: Path, persons: Path | None = None, schemas: Path | None = None) -> list[str]:
    """What each suite says of the target file ``path`` (TargetError when it is not usable)."""
    from harness.cli_defaults import run_settings
    from harness.suites import SUITES, all_sections

    file = read_target_file(path, all_sections())
    settings = run_settings(persons, schemas)
    lines: list[str] = []
    for name, suite in SUITES.items():
        if not any(file.section(section) is not None for section in suite.sections if section != "platform"):
            continue
        target = suite.load_target(file)
        suite.preflight(target)
        checked = (
            suite.check_target(target, settings) if suite.check_target else ["sections read and checked"]
        )
        lines += [f"{name}: {line}" for line in checked]
    if not lines:
        raise TargetError(f"{path.name} holds no section of any suite")
    return lines


def _check_target(args: argparse.Namespace) -> int:
    for line in check_target_lines(args.file, args.persons, args.schemas):
        print(line)
    return 0
