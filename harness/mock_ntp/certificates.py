"""The mock platform's SITHS-like function certificates, defined once: file names, subjects and uses.

:func:`platform_certificates` issues them for a running platform and ``conformance pki init`` writes
the same list, so a directory made by ``pki init --out DIR`` serves as ``pki_dir = DIR`` (and the
other way round) without either reissuing the other's certificates, and what a vendor trusts stays.
The subject serialNumber is the system's HSA-id, where the SKLTP VP reads the caller's identity
(``SenderIdExtractor.java``, ``certificate.senderid.subject.pattern``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from harness.mock_ntp.config import PlatformSettings
from harness.mock_ntp.identities import PlatformIdentities
from harness.pki import FunctionCertificate, IssuedCertificate, TestCa

__all__ = [
    "AGP_CERTIFICATE",
    "CONSUMER_CERTIFICATE",
    "VP_CERTIFICATE",
    "PlatformCertificates",
    "function_certificates",
    "platform_certificates",
]

# File names in the PKI directory (<name>.crt, <name>.key), beside the test CA (ca.crt, ca.key).
VP_CERTIFICATE, CONSUMER_CERTIFICATE, AGP_CERTIFICATE = "vp", "consumer-1177", "agp"


def function_certificates(ids: PlatformIdentities) -> tuple[FunctionCertificate, ...]:
    """The platform's own certificates, each carrying its HSA-id from ``ids``."""
    return (
        FunctionCertificate(
            VP_CERTIFICATE,
            "mock NTjP virtualisation platform",
            ids.vp,
            client=True,
            server=True,
            purpose="mock VP: its HTTPS server, and its client certificate towards producers",
        ),
        FunctionCertificate(
            CONSUMER_CERTIFICATE,
            "1177-journal-like consumer",
            ids.consumer,
            client=True,
            purpose="1177-journal-like consumer: its client certificate towards the VP",
        ),
        FunctionCertificate(
            AGP_CERTIFICATE,
            "mock NTjP aggregating services",
            ids.agp,
            client=True,
            purpose="mock aggregating services: their client certificate towards the VP",
        ),
    )


@dataclass(frozen=True, slots=True)
class PlatformCertificates:
    """SITHS-like function certificates from the platform's test CA (subject serialNumber = HSA-id)."""

    ca: Path  # give this to a producer's trust store
    vp: IssuedCertificate  # the VP's server and client certificate
    agp: IssuedCertificate  # the AGP's client certificate towards the VP
    consumer: IssuedCertificate  # the 1177-journal-like consumer's client certificate
    test_ca: TestCa


def platform_certificates(settings: PlatformSettings) -> PlatformCertificates:
    """Load (or create) the test CA and :func:`function_certificates` in ``settings.pki_directory``."""
    ca = TestCa.load_or_create(settings.pki_directory)
    issued = {wanted.name: wanted.issue_from(ca) for wanted in function_certificates(settings.identities)}
    return PlatformCertificates(
        ca.cert_path, issued[VP_CERTIFICATE], issued[AGP_CERTIFICATE], issued[CONSUMER_CERTIFICATE], ca
    )
