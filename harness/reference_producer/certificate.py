"""The reference producer's own SITHS-like function certificate, defined once.

``conformance serve reference-producer --tls-dir DIR``, ``conformance pki init --out DIR`` and the
producer suite (which starts the producer behind the mock platform) all issue it by this definition,
as ``reference-producer.crt``/``.key`` beside the test CA, so none of them reissues it for another:
a peer that trusts it once keeps trusting it. The subject serialNumber is the producer's HSA-id,
where the SKLTP VP and its peers read a system's identity (SKLTP VP ``SenderIdExtractor.java``).
"""

from __future__ import annotations

from harness.pki import FunctionCertificate
from harness.reference_producer.organisation import PRODUCER_HSA_ID

__all__ = ["PRODUCER_CERTIFICATE"]

PRODUCER_CERTIFICATE = FunctionCertificate(
    "reference-producer",
    "reference journal producer",
    PRODUCER_HSA_ID,
    client=True,
    server=True,
    purpose="reference producer: its HTTPS server (and client certificate for EI updates)",
)
