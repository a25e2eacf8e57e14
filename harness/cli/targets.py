"""``conformance init`` and ``conformance check-target``: writing a suite's commented target file, and
checking one before a run."""

from __future__ import annotations

import argparse
from pathlib import Path

from harness.cli.common import Commands, add_command, add_persons
from harness.cli.defaults import run_settings
from harness.suites import SUITES

__all__ = ["add_commands"]


def add_commands(commands: Commands) -> None:
    """``init`` and ``check-target``."""
    init = add_command(
        commands,
        "init",
        "Write a commented target file for one suite: every setting, what it is for, and which\n"
        "scenarios skip without it. Fill in your system's URLs and test contacts, then check it.",
        "conformance init sp --out targets/my-sp.toml",
        _init,
        "init",
    )
    init.add_argument("suite", choices=tuple(SUITES), help="the suite the target is for")
    init.add_argument("--out", type=Path, required=True, metavar="FILE", help="the target file to write")
    init.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    _add_check_target(commands)


def _add_check_target(commands: Commands) -> None:
    check = add_command(
        commands,
        "check-target",
        "Check a target file before a run: every setting, the test personnummer, your SP's metadata, the\n"
        "IdP keys the run will sign with (a trial login with each), and the scenarios that will skip, each\n"
        "with the setting that would run it. Exit status 2 when something is wrong.",
        "conformance check-target targets/my-sp.toml --idp-metadata idp-metadata.xml",
        _check_target,
        "check-target",
    )
    check.add_argument("target", type=Path, metavar="FILE", help="the target file (TOML)")
    check.add_argument(
        "--idp-metadata",
        type=Path,
        metavar="FILE",
        help="the mock IdP's metadata you gave your SP: its keys must be the target's [idp] state_dir keys",
    )
    check.add_argument("--no-login", action="store_true", help="skip the trial logins (your SP need not run)")
    add_persons(check)


def _init(args: argparse.Namespace) -> int:
    from harness.check_target import init_target

    print(init_target(args.suite, args.out, force=args.force))
    return 0


def _check_target(args: argparse.Namespace) -> int:
    from harness.check_target import check_target

    text, status = check_target(
        args.target, run_settings(args.persons), given_metadata=args.idp_metadata, live=not args.no_login
    )
    print(text)
    return status
