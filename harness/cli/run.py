"""``conformance demo``, ``conformance run sp|producer`` and ``conformance coverage``: running the suites
and printing what needs attention, and which requirements the scenarios verify."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from harness.cli.common import DEFAULT_OUT, Commands, add_command, add_group, add_persons
from harness.cli.defaults import run_settings
from harness.core.findings import Verdict
from harness.core.results import EXIT_CONFIG, RunResult
from harness.suites import SUITES

if TYPE_CHECKING:
    from harness.runner import RunOptions

__all__ = ["add_commands"]

_RUN_HELP = {
    "sp": (
        "Run the SP suite against your SAML Service Provider: the mock 1177 IdP logs test persons in\n"
        "through it and the scenarios judge what your SP does. The target file's [sp] section describes\n"
        "your SP, [idp] where the mock IdP listens and where its keys are (`conformance init sp` writes\n"
        "a commented template; `conformance check-target FILE` checks it before a run).",
        "conformance run sp --target targets/my-sp.toml --out reports/my-sp -k SIG",
    ),
    "producer": (
        "Run the producer suite against your RIVTA journal producer, called through the mock NTjP.\n"
        "The target file's [producer] section describes your producer, [platform] the mock platform.",
        "conformance run producer --target targets/my-producer.toml --out reports/my-producer",
    ),
}


def add_commands(commands: Commands) -> None:
    """``demo``, ``run`` (one action per suite) and ``coverage``."""
    demo = add_command(
        commands,
        "demo",
        "Run every suite against the embedded reference apps (reference SP, mock 1177 IdP, ...) on free\n"
        "loopback ports and write one combined report: report.html, results.json, junit.xml.",
        "conformance demo --out reports/latest",
        _demo,
        "demo",
    )
    _add_run_options(demo)
    _add_run(commands)
    _add_coverage(commands)


def _add_run_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        metavar="DIR",
        help=f"where report.html, results.json and junit.xml go (default {DEFAULT_OUT})",
    )
    command.add_argument(
        "--waivers",
        type=Path,
        metavar="FILE",
        help="agreed deviations: TOML [[waiver]] tables with scenario, justification, expires",
    )
    command.add_argument(
        "--mask-personal-data", action="store_true", help="mask personnummer and names in the written reports"
    )
    add_persons(command)


def _add_run(commands: Commands) -> None:
    suites = add_group(
        commands,
        "run",
        "Run one suite against your own system, described by a target file (TOML).",
        _RUN_HELP["sp"][1],
    )
    for suite in SUITES:
        description, example = _RUN_HELP[suite]
        command = add_command(suites, suite, description, example, _run, f"run {suite}")
        command.set_defaults(suite=suite)
        command.add_argument("--target", type=Path, required=True, metavar="FILE", help="target file (TOML)")
        command.add_argument(
            "-k",
            dest="keyword",
            default="",
            metavar="EXPR",
            help="only scenarios matching this pytest -k expression (e.g. 'SIG and not SIG-04')",
        )
        _add_run_options(command)
        if suite == "producer":
            command.add_argument(
                "--load",
                action="store_true",
                help="also run Inera's load cases 6.x on Locust (about 10 minutes): 10 concurrent callers "
                "for 3 minutes, and recovery after a ramp from 10 to 100 ([load] in the target sets them)",
            )


def _add_coverage(commands: Commands) -> None:
    command = add_command(
        commands,
        "coverage",
        "List every requirement in the catalogue (harness/requirements/<suite>.toml) with the scenarios\n"
        "that verify it, and the requirements no scenario verifies yet, with the reason. Exits 2 when a\n"
        "scenario names a requirement the catalogue does not hold.",
        "conformance coverage sp",
        _coverage,
        "coverage",
    )
    command.add_argument("suite", nargs="?", choices=tuple(SUITES), help="one suite (default: both)")


def _demo(args: argparse.Namespace) -> int:
    from harness.runner import run_demo

    return _print_run(run_demo(_run_options(args, short_load=True)), args.out)


def _run(args: argparse.Namespace) -> int:
    from harness.runner import run_suite

    return _print_run(run_suite(args.suite, args.target, _run_options(args)), args.out)


def _run_options(args: argparse.Namespace, *, short_load: bool = False) -> RunOptions:
    from harness.runner import RunOptions

    return RunOptions(
        settings=run_settings(args.persons, load=getattr(args, "load", False), short_load=short_load),
        out_dir=args.out,
        keyword=getattr(args, "keyword", ""),
        waivers=args.waivers,
        mask_personal_data=args.mask_personal_data,
    )


def _print_run(run: RunResult, out_dir: Path) -> int:
    """The counts, every verdict that needs attention, the notes, and where the report is."""
    counts = ", ".join(f"{verdict} {n}" for verdict, n in run.summary().items() if n)
    print(f"{len(run.scenarios)} scenarios ({run.target.suite or 'no suite'}): {counts or 'nothing ran'}")
    for result in run.scenarios:
        if result.verdict in (Verdict.FAIL, Verdict.ERROR, Verdict.WAIVED):
            why = result.waiver_justification if result.verdict is Verdict.WAIVED else result.message
            print(f"  {result.verdict.value:<6} {result.spec.id}: {why}")
    for note in run.notes:
        print(f"note: {note}")
    print(f"report: {out_dir / 'report.html'}")
    return run.exit_status()


def _coverage(args: argparse.Namespace) -> int:
    from harness.core.scenario import discover_package
    from harness.requirements.catalogue import coverage, load_catalogue
    from harness.requirements.render import render_coverage

    registry = discover_package("scenarios")
    broken = False
    for suite in [args.suite] if args.suite else SUITES:
        result = coverage(registry.for_suite(suite), load_catalogue(suite))
        print(render_coverage(suite, result), end="\n\n")
        broken = broken or bool(result.unknown_references)
    return EXIT_CONFIG if broken else 0
