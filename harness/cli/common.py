"""What every ``conformance`` command shares: the help layout (a description and an example each), the
options that recur, the errors that mean "fix your configuration" (exit status 2), and serving until Ctrl-C.
"""

from __future__ import annotations

import argparse
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from harness.personnummer import TestNumbers
    from harness.server import RunningServer

__all__ = [
    "DEFAULT_OUT",
    "HELP_FORMATTER",
    "Commands",
    "Handler",
    "ServiceError",
    "add_command",
    "add_group",
    "add_persons",
    "add_schemas",
    "add_state_dir",
    "configuration_errors",
    "serve_until_interrupted",
    "load_persons",
]

Handler = Callable[[argparse.Namespace], int]
Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
DEFAULT_OUT = Path("reports/latest")
HELP_FORMATTER = argparse.RawDescriptionHelpFormatter


class ServiceError(ValueError):
    """A file or URL given to a serving command is unusable (exit status 2)."""


def configuration_errors() -> tuple[type[Exception], ...]:
    """The errors a command reports in one line with exit status 2; imported only when one is raised."""
    from harness.core.targets import TargetError
    from harness.core.waivers import WaiverError
    from harness.requirements.catalogue import CatalogueError
    from harness.runner import RunError

    return (TargetError, WaiverError, CatalogueError, RunError, ServiceError)


def add_command(
    commands: Commands, name: str, description: str, example: str, handler: Handler, label: str
) -> argparse.ArgumentParser:
    """A command with its description, an example, its handler, and the ``label`` its errors start with."""
    command = commands.add_parser(
        name,
        help=_first_sentence(description),
        description=description,
        epilog=f"Example:\n  {example}",
        formatter_class=HELP_FORMATTER,
    )
    command.set_defaults(handler=handler, label=label)
    return command


def _first_sentence(text: str) -> str:
    return text.replace("\n", " ").split(". ")[0].rstrip(".")


def add_group(commands: Commands, name: str, description: str, example: str) -> Commands:
    """A command with actions (``conformance idp metadata``); ``example`` uses one of them."""
    group = commands.add_parser(
        name,
        help=description,
        description=description,
        epilog=f"Example:\n  {example}",
        formatter_class=HELP_FORMATTER,
    )
    return group.add_subparsers(dest="action", required=True, metavar="ACTION")


def add_state_dir(command: argparse.ArgumentParser, default: str) -> None:
    command.add_argument(
        "--state-dir",
        type=Path,
        default=Path(default),
        metavar="DIR",
        help=f"where keys persist between runs (default {default})",
    )


def add_persons(command: argparse.ArgumentParser) -> None:
    """``--persons DIR``, resolved by :func:`harness.cli.defaults.persons_dir`."""
    command.add_argument(
        "--persons",
        type=Path,
        metavar="DIR",
        help="folder with Skatteverket's test personnummer lists "
        "(default: $TESTPERSONNUMMER_DIR, else ../shared/data/testpersonnummer)",
    )


def add_schemas(command: argparse.ArgumentParser) -> None:
    """``--schemas DIR``, resolved by :func:`harness.cli.defaults.schemas_dir`."""
    command.add_argument(
        "--schemas",
        type=Path,
        metavar="DIR",
        help="the official RIVTA schema bundles (default: $RIVTA_SCHEMAS, else ../shared/rivta)",
    )


def load_persons(persons_dir: Path) -> TestNumbers:
    """Skatteverket's test personnummer from ``persons_dir``; a missing list is a configuration error."""
    from harness.personnummer import load_test_numbers

    try:
        return load_test_numbers(persons_dir)
    except FileNotFoundError as exc:
        raise ServiceError(str(exc)) from None


def serve_until_interrupted(server: RunningServer) -> None:
    """Block until Ctrl-C, then stop ``server``."""
    print("Ctrl-C stops it.", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
