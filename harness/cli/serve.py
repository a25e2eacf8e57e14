"""``conformance serve reference-sp`` and ``conformance serve reference-producer``: a reference app on its
own, configured like a vendor's system, until Ctrl-C."""

from __future__ import annotations

import argparse
from pathlib import Path

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

__all__ = ["add_commands", "serve_reference_sp"]


def add_commands(commands: Commands) -> None:
    """``serve reference-sp`` and ``serve reference-producer``."""
    actions = add_group(
        commands,
        "serve",
        "Run a reference app on its own, configured like a vendor's system.",
        "conformance serve reference-sp --port 8080 --idp-metadata idp-metadata.xml",
    )
    sp = add_command(
        actions,
        "reference-sp",
        "Run the reference SP (the training-program app) until Ctrl-C; prints its entityID, ACS and\n"
        "metadata URLs. It trusts the IdP described by --idp-metadata.",
        "conformance serve reference-sp --port 8080 --idp-metadata idp-metadata.xml",
        _serve_reference_sp,
        "serve reference-sp",
    )
    sp.add_argument("--port", type=int, required=True, metavar="P", help="loopback port (0: any free port)")
    sp.add_argument("--idp-metadata", type=Path, required=True, metavar="FILE", help="the IdP's metadata")
    add_persons(sp)
    add_state_dir(sp, ".state/reference-sp")
    _add_reference_producer(actions)


def _add_reference_producer(actions: Commands) -> None:
    producer = add_command(
        actions,
        "reference-producer",
        "Run the reference journal producer (RIVTA) until Ctrl-C; prints its\n"
        "logical addresses and contracts.",
        "conformance serve reference-producer --port 8443 --tls-dir .state/pki",
        _serve_reference_producer,
        "serve reference-producer",
    )
    producer.add_argument("--port", type=int, required=True, metavar="P", help="loopback port (0: any free)")
    producer.add_argument(
        "--tls-dir",
        type=Path,
        metavar="DIR",
        help="https with the producer's certificate from the test CA in DIR (conformance pki init), "
        "requiring a client certificate from the same CA",
    )
    producer.add_argument("--test-hooks", action="store_true", help="expose /test-hooks (test environments)")
    producer.add_argument("--ei-url", metavar="URL", help="where to post engagement-index Updates (the VP)")
    add_persons(producer)
    add_state_dir(producer, ".state/reference-producer")


def _serve_reference_sp(args: argparse.Namespace) -> int:
    serve_reference_sp(args.port, args.idp_metadata, args.state_dir, persons_dir(args.persons))
    return 0


def _serve_reference_producer(args: argparse.Namespace) -> int:
    from harness.reference_producer.serve import serve_reference_producer

    serve_reference_producer(args.port, args.state_dir, persons_dir(args.persons), tls_dir=args.tls_dir,
                             test_hooks=args.test_hooks, ei_url=args.ei_url)  # fmt: skip
    return 0


def serve_reference_sp(port: int, idp_metadata_file: Path, state_dir: Path, persons: Path) -> None:
    """Serve the reference SP on 127.0.0.1:``port``, trusting the IdP in that metadata, until Ctrl-C."""
    from harness.reference_sp.idp_metadata import IdpMetadataError
    from harness.reference_sp.launch import reference_sp_ca_bundle, reference_sp_config, start_reference_sp

    try:
        metadata = idp_metadata_file.read_bytes()
        server = start_reference_sp(metadata, state_dir, load_persons(persons), port)
    except (OSError, IdpMetadataError) as exc:
        raise ServiceError(f"{idp_metadata_file}: {exc}") from None
    config = reference_sp_config(metadata, state_dir, server.base_url)
    print(f"reference SP at {server.base_url}")
    print(f"  entityID: {config.entity_id}")
    print(f"  ACS:      {config.acs_url}")
    print(f"  metadata: {server.base_url}/metadata")
    print(f"  TLS CA:   {reference_sp_ca_bundle(state_dir)}")
    serve_until_interrupted(server)
