"""``conformance idp metadata`` and ``conformance idp serve``: the mock 1177 IdP on its own, for a vendor's
SP to trust (its metadata) or to log in through (the IdP itself, until Ctrl-C)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from harness.cli.common import (
    Commands,
    ServiceError,
    add_command,
    add_group,
    add_persons,
    add_state_dir,
    load_persons,
    serve_until_interrupted,
)
from harness.cli.defaults import persons_dir

if TYPE_CHECKING:
    from harness.mock_1177_idp.persons import Person
    from harness.personnummer import TestNumbers

__all__ = ["add_commands", "serve_idp", "write_idp_metadata"]


def add_commands(commands: Commands) -> None:
    """``idp metadata`` and ``idp serve``."""
    actions = add_group(
        commands,
        "idp",
        "The mock 1177 IdP on its own: its metadata, or the IdP itself.",
        "conformance idp metadata --base-url http://127.0.0.1:8443 --out idp-metadata.xml",
    )
    metadata = add_command(
        actions,
        "metadata",
        "Write the mock 1177 IdP's metadata for your SP to trust. It publishes two signing keys (current\n"
        "and next, for key rollover); the keys persist in the state directory, so later runs sign with the\n"
        "same keys.",
        "conformance idp metadata --base-url http://127.0.0.1:8443 --out idp-metadata.xml",
        _idp_metadata,
        "idp metadata",
    )
    _add_idp_location(metadata)
    metadata.add_argument("--out", type=Path, required=True, metavar="FILE", help="metadata file to write")
    _add_idp_serve(actions)


def _add_idp_serve(actions: Commands) -> None:
    serve = add_command(
        actions,
        "serve",
        "Serve the mock 1177 IdP (metadata, SSO, user picker) until Ctrl-C.",
        "conformance idp serve --base-url http://127.0.0.1:8443 --sp-metadata my-sp-metadata.xml "
        "--person 195006262546",
        _idp_serve,
        "idp serve",
    )
    _add_idp_location(serve)
    serve.add_argument(
        "--sp-metadata",
        type=Path,
        action="append",
        default=[],
        metavar="FILE",
        help="metadata of an SP the IdP serves (repeatable)",
    )
    serve.add_argument(
        "--person",
        action="append",
        default=[],
        metavar="PNR",
        help="a Skatteverket test personnummer to offer in the picker, e.g. one of your SP's test "
        "contacts (repeatable; default: a few from the list)",
    )
    add_persons(serve)


def _add_idp_location(command: argparse.ArgumentParser) -> None:
    """Where the IdP is and where its keys are: from a target's [idp] section, or given here."""
    where = command.add_mutually_exclusive_group(required=True)
    where.add_argument(
        "--target",
        type=Path,
        metavar="FILE",
        help="your SP's target file: its [idp] base_url and state_dir (relative to that file)",
    )
    where.add_argument("--base-url", metavar="URL", help="where the IdP is reachable (http://127.0.0.1:PORT)")
    add_state_dir(command, ".state/idp")


def _idp_location(args: argparse.Namespace) -> tuple[str, Path]:
    """(base URL, key folder): the target's [idp] section wins; --state-dir is relative to the cwd."""
    if args.target is None:
        return args.base_url, args.state_dir
    from harness.runner import load_target

    idp = load_target("sp", args.target).idp
    return idp.base_url, idp.state_dir


def _idp_metadata(args: argparse.Namespace) -> int:
    base_url, state_dir = _idp_location(args)
    print(write_idp_metadata(base_url, args.out, state_dir))
    return 0


def _idp_serve(args: argparse.Namespace) -> int:
    base_url, state_dir = _idp_location(args)
    serve_idp(base_url, state_dir, tuple(args.sp_metadata), tuple(args.person), persons_dir(args.persons))
    return 0


def write_idp_metadata(base_url: str, out: Path, state_dir: Path) -> str:
    """Write the mock IdP's metadata (current and next signing keys, SC §2.1.1.2); returns a summary line."""
    from harness.mock_1177_idp.keys import load_idp_keys
    from harness.mock_1177_idp.metadata import DEFAULT_IDP_ENTITY_ID, idp_metadata

    _check_loopback(base_url)
    keys = load_idp_keys(state_dir)  # created on first use, then reused: the SP keeps trusting them
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(idp_metadata(DEFAULT_IDP_ENTITY_ID, base_url.rstrip("/"), keys))
    return f"wrote {out} (entityID {DEFAULT_IDP_ENTITY_ID}, keys in {state_dir})"


def serve_idp(
    base_url: str,
    state_dir: Path,
    sp_metadata: Sequence[Path],
    personnummer: Sequence[str],
    persons: Path,
) -> None:
    """Serve the mock 1177 IdP at ``base_url`` for the SPs whose metadata is given, until Ctrl-C."""
    from harness.mock_1177_idp.app import IdpConfig, default_persons
    from harness.mock_1177_idp.app import serve_idp as start
    from harness.mock_1177_idp.keys import load_idp_keys
    from harness.mock_1177_idp.metadata import SpMetadataError, parse_sp_metadata

    port = _check_loopback(base_url)
    numbers = load_persons(persons)
    try:
        sps = tuple(parse_sp_metadata(path.read_bytes()) for path in sp_metadata)
    except (OSError, SpMetadataError) as exc:
        raise ServiceError(f"SP metadata: {exc}") from None
    config = IdpConfig(
        base_url=base_url.rstrip("/"),
        port=port,
        keys=load_idp_keys(state_dir),
        sps=sps,
        persons=_picker_persons(personnummer, numbers) or default_persons(numbers),
    )
    try:
        idp, server = start(config)
    except OSError as exc:
        raise ServiceError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror}") from None
    print(f"mock 1177 IdP at {server.base_url}")
    print(f"  entityID: {idp.identity.entity_id}")
    print(f"  metadata: {server.base_url}/metadata")
    for sp in sps:
        print(f"  SP:       {sp.entity_id} (ACS {sp.default_acs_url})")
    serve_until_interrupted(server)


def _picker_persons(personnummer: Sequence[str], numbers: TestNumbers) -> tuple[Person, ...]:
    """Persons for the picker: only Skatteverket's test numbers, never anyone else's."""
    from harness.mock_1177_idp.persons import make_persons

    unknown = [n for n in personnummer if not numbers.contains(n)]
    if unknown:
        raise ServiceError(f"--person: {len(unknown)} value(s) are not Skatteverket test personnummer")
    return make_persons(personnummer)


def _check_loopback(base_url: str) -> int:
    """The port of ``base_url``: the mock IdP serves plain HTTP on 127.0.0.1 only."""
    parts = urlsplit(base_url)
    try:
        port = parts.port
    except ValueError:
        port = None
    if parts.scheme != "http" or parts.hostname != "127.0.0.1" or not port:
        raise ServiceError(f"--base-url must be http://127.0.0.1:PORT, not {base_url!r}")
    return port
