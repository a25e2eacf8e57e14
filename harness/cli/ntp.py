"""``conformance ntp serve``: the mock Nationella tjänsteplattformen on fixed loopback ports.

The defaults resolved here (state directory ``.state/ntp``; the schema directory from :mod:`.defaults`)
are passed down to :mod:`harness.mock_ntp.serve`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from harness.cli.common import Commands, add_command, add_group, add_schemas
from harness.cli.defaults import schemas_dir
from harness.core.results import EXIT_CONFIG

__all__ = ["DEFAULT_STATE_DIR", "add_commands"]

DEFAULT_STATE_DIR = Path(".state/ntp")


def add_commands(commands: Commands) -> None:
    """``ntp serve``."""
    actions = add_group(
        commands, "ntp", "The mock Nationella tjänsteplattformen (VP, TAK, EI, AGP).", "conformance ntp serve"
    )
    command = add_command(
        actions,
        "serve",
        "Serve the mock NTjP until Ctrl-C: the VP (https, mutual TLS, TAK routing and authorisation),\n"
        "the engagement index and the aggregating services, on the ports of the [platform] section\n"
        "(defaults: VP 19443, EI 19080, AGP 19081). Prints every address, HSA-id and certificate a\n"
        "producer needs. Keys and the EI's database persist in the state directory.",
        "conformance ntp serve --config targets/my-producer.toml",
        _ntp_serve,
        "ntp serve",
    )
    command.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="a TOML file with a [platform] table (e.g. your target file)",
    )
    command.add_argument(
        "--state-dir",
        type=Path,
        default=DEFAULT_STATE_DIR,
        metavar="DIR",
        help=f"keys and the EI database, unless [platform] names one (default {DEFAULT_STATE_DIR})",
    )
    add_schemas(command)


def _ntp_serve(args: argparse.Namespace) -> int:
    from harness.mock_ntp.config import PlatformConfigError
    from harness.mock_ntp.serve import load_platform_settings, serve
    from harness.mock_ntp.tak_files import TakFileError

    try:
        settings = load_platform_settings(args.config, default_state_dir=args.state_dir)
        schemas = schemas_dir(args.schemas)
        return serve(settings, schema_dir=schemas if schemas.is_dir() else None)
    except (PlatformConfigError, TakFileError) as exc:
        print(f"ntp serve: {exc}", file=sys.stderr)
    except OSError as exc:  # e.g. a port already in use
        print(f"ntp serve: cannot start the platform: {exc}", file=sys.stderr)
    return EXIT_CONFIG
