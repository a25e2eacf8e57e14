"""``conformance pki init``: write the test PKI and say what each file is for.

The function certificates are those the mock platform issues itself (its identities, with the file
names and profiles of :mod:`harness.mock_ntp.certificates`) and the reference producer's
(:mod:`harness.reference_producer.certificate`): one definition each, so ``pki init --out DIR``,
``ntp serve`` with ``pki_dir = DIR`` and ``serve reference-producer --tls-dir DIR`` share the files and
never reissue each other's. The HSA-ids are test values of the form Inera's test environment uses
(``TSTNMT2321000156-...``, as in the SKLTP VP tests), never production ones.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from harness.cli.common import Commands, add_command, add_group

if TYPE_CHECKING:
    from harness.pki import FunctionCertificate, PkiFile

__all__ = ["add_commands", "pki_function_certificates", "write_test_pki"]


def add_commands(commands: Commands) -> None:
    """``pki init``."""
    actions = add_group(
        commands,
        "pki",
        "Test keys and certificates (never for production).",
        "conformance pki init --out .state/pki",
    )
    init = add_command(
        actions,
        "init",
        "Create (or keep, if present) the mock IdP's signing keys (current, next), its encryption key,\n"
        "a test CA, a loopback TLS server certificate and the mock platform's SITHS-like function\n"
        "certificates (subject serialNumber = HSA-id) in DIR, and say what each file is for.",
        "conformance pki init --out .state/pki",
        _pki_init,
        "pki init",
    )
    init.add_argument(
        "--out", type=Path, required=True, metavar="DIR", help="folder for the keys and certificates"
    )


def _pki_init(args: argparse.Namespace) -> int:
    print("\n".join(write_test_pki(args.out)))
    return 0


def pki_function_certificates() -> tuple[FunctionCertificate, ...]:
    """The mock platform's function certificates for its default identities, and the reference producer's."""
    from harness.mock_ntp.certificates import function_certificates
    from harness.mock_ntp.identities import DEFAULT_IDENTITIES
    from harness.reference_producer.certificate import PRODUCER_CERTIFICATE

    producer = replace(PRODUCER_CERTIFICATE, hsa_id=DEFAULT_IDENTITIES.reference_producer)
    return (*function_certificates(DEFAULT_IDENTITIES), producer)


def write_test_pki(out_dir: Path) -> list[str]:
    """Create (or keep) the test PKI in ``out_dir``; the lines to print."""
    from harness.mock_ntp.certificates import VP_CERTIFICATE
    from harness.pki import init_pki

    wanted = pki_function_certificates()
    files = init_pki(out_dir, wanted)
    vp = next((c for c in wanted if c.name == VP_CERTIFICATE and c.client), None)
    return _report(out_dir, files, vp)


def _report(out_dir: Path, files: Sequence[PkiFile], vp: FunctionCertificate | None) -> list[str]:
    """One line per file with what it is for, then what a vendor's producer configures."""
    width = max((len(str(f.path)) for f in files), default=0)
    lines = [f"Test PKI in {out_dir} (test only, never for production):"]
    lines += [f"  {str(f.path):<{width}}  {f.purpose}" for f in files]
    if vp is not None:
        lines += [
            "A producer under test trusts the test CA (ca.crt) and accepts the VP's client certificate",
            f"({vp.name}.crt, subject serialNumber {vp.hsa_id}); the VP trusts the same CA for consumers.",
        ]
    return lines
