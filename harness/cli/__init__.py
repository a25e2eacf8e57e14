"""The ``conformance`` command: argument parsing and printing only; the work happens elsewhere.

One module per command group (:mod:`.run`, :mod:`.idp`, :mod:`.serve`, :mod:`.ntp`, :mod:`.pki`,
:mod:`.contracts`, :mod:`.targets`); this one assembles them. Each handler imports what it runs, so
``conformance --help`` loads no server. Only :mod:`.defaults` reads environment variables.

Exit status (a fixed interface CI relies on): 0 every MUST scenario passed, 1 at least one ``fail`` or
``error``, 2 usage or configuration error (argparse itself exits 2 on bad arguments).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from harness.cli import contracts, idp, ntp, pki, run, serve, targets
from harness.cli.common import HELP_FORMATTER, Handler, configuration_errors
from harness.core.results import EXIT_CONFIG

__all__ = ["build_parser", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except Exception as exc:
        if not isinstance(exc, configuration_errors()):
            raise
        print(f"{args.label.format(**vars(args))}: {exc}", file=sys.stderr)
        return EXIT_CONFIG


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="conformance",
        description="Conformance harness for 1177 Vårdguiden integrations: the SAML SP jump-out (uthopp)\n"
        "and RIVTA journal producers.\n\nExit status: 0 every MUST scenario passed, 1 at least one fail or "
        "error, 2 usage or configuration error.",
        epilog="Examples:\n  conformance demo\n  conformance run sp --target my-sp.toml --out reports/my-sp",
        formatter_class=HELP_FORMATTER,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add_commands in (
        run.add_commands,  # demo, run, coverage
        idp.add_commands,
        serve.add_commands,
        ntp.add_commands,
        pki.add_commands,
        contracts.add_commands,  # contracts, validate
        targets.add_commands,  # init, check-target
    ):
        add_commands(commands)
    return parser
