"""The mock platform's HSA-ids and VP instance name (test values, never production ones).

Inera's test environment uses HSA-ids of the form ``TSTNMT2321000156-<local>`` (SKLTP VP tests,
``CertificateReaderTest.java``: ``TSTNMT2321000156-B02``). A SITHS-like function certificate carries
the system's HSA-id as its subject serialNumber (OID 2.5.4.5), which is where the SKLTP VP reads
the consumer's identity (``certificate.senderid.subject.pattern``).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DEFAULT_IDENTITIES", "PlatformIdentities"]


@dataclass(frozen=True, slots=True)
class PlatformIdentities:
    """Who is who on the mock platform; every other module takes these as parameters."""

    vp: str = "TSTNMT2321000156-VP01"  # the VP's server and client certificate serialNumber
    vp_instance: str = "NTJP-MOCK"  # in fault strings: "VP00n [NTJP-MOCK] ..." (vp.instance.name)
    ei: str = "TSTNMT2321000156-EI01"  # the engagement index's logical address (Update's LogicalAddress)
    agp: str = "TSTNMT2321000156-AGP1"  # aggregating services: logical address and identity towards the VP
    consumer: str = "TSTNMT2321000156-1177"  # the 1177-journal-like consumer
    reference_producer: str = "TSTNMT2321000156-RP00"  # the reference producer's certificate serialNumber
    reference_sources: tuple[str, ...] = ("TSTNMT2321000156-RP01", "TSTNMT2321000156-RP02")

    @property
    def reserved(self) -> frozenset[str]:
        """Addresses a source system must not post to the EI (SKLTP EI EI005/EI006: the platform's own)."""
        return frozenset({self.vp, self.ei, self.agp})


DEFAULT_IDENTITIES = PlatformIdentities()
