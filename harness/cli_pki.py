"""What ``conformance pki init`` does: write the test PKI and say what each file is for.

The mock platform's function certificates are listed here once; their HSA-ids are test values of
the form Inera's test environment uses (``TSTNMT2321000156-...``, as in the SKLTP VP tests), never
production ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from harness.pki import FunctionCertificate, PkiFile, init_pki

__all__ = ["PLATFORM_CERTIFICATES", "pki_init_report", "write_test_pki"]

PLATFORM_CERTIFICATES: tuple[FunctionCertificate, ...] = (
    FunctionCertificate(
        "vp",
        "mock NTjP virtualisation platform",
        "TSTNMT2321000156-VP01",
        client=True,
        server=True,
        purpose="mock VP: its HTTPS server, and its client certificate towards producers",
    ),
    FunctionCertificate(
        "consumer-1177",
        "1177-journal-like consumer",
        "TSTNMT2321000156-1177",
        client=True,
        purpose="1177-journal-like consumer: its client certificate towards the VP",
    ),
    FunctionCertificate(
        "reference-producer",
        "reference journal producer",
        "TSTNMT2321000156-RP00",
        client=True,
        server=True,
        purpose="reference producer: its HTTPS server (and client certificate for EI updates)",
    ),
)


def write_test_pki(
    out_dir: Path, function_certificates: Sequence[FunctionCertificate] = PLATFORM_CERTIFICATES
) -> list[str]:
    """Create (or keep) the test PKI in ``out_dir``; the lines to print."""
    return pki_init_report(out_dir, init_pki(out_dir, function_certificates), function_certificates)


def pki_init_report(
    out_dir: Path, files: Sequence[PkiFile], function_certificates: Sequence[FunctionCertificate]
) -> list[str]:
    """One line per file with what it is for, then what a vendor's producer configures."""
    width = max((len(str(f.path)) for f in files), default=0)
    lines = [f"Test PKI in {out_dir} (test only, never for production):"]
    lines += [f"  {str(f.path):<{width}}  {f.purpose}" for f in files]
    vp = next((c for c in function_certificates if c.name == "vp" and c.client), None)
    if vp is not None:
        lines += [
            "A producer under test trusts the test CA (ca.crt) and accepts the VP's client certificate",
            f"({vp.name}.crt, subject serialNumber {vp.hsa_id}); the VP trusts the same CA for consumers.",
        ]
    return lines
