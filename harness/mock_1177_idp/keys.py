"""The IdP's keys: current and next signing keys (key rollover) and an encryption key.

Generated on first use into a state directory and reused (harness.pki), so a vendor's SP that
was configured once with the IdP's metadata keeps trusting it. RSA 2048, SHA-256 certificates
(Swedish eID Deployment Profile §8).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from harness.core.xmldsig import KeyPair
from harness.pki import load_or_create_keypair

__all__ = ["IdpKeys", "load_idp_keys"]


@dataclass(frozen=True)
class IdpKeys:
    signing: KeyPair  # the current signing key
    next_signing: KeyPair  # published in metadata ahead of rollover (SC Deployment Profile §2.1.1.2)
    encryption: KeyPair

    @property
    def signing_certificates(self) -> tuple[bytes, bytes]:
        """The certificates an SP trusts for this IdP, as published in metadata."""
        return (self.signing.cert_pem, self.next_signing.cert_pem)


def load_idp_keys(state_dir: Path) -> IdpKeys:
    """The keys in ``state_dir`` (same file names as ``conformance pki init``), created on first use."""
    return IdpKeys(
        signing=load_or_create_keypair(state_dir, "idp-signing", "mock 1177 IdP signing"),
        next_signing=load_or_create_keypair(state_dir, "idp-signing-next", "mock 1177 IdP next"),
        encryption=load_or_create_keypair(state_dir, "idp-encryption", "mock 1177 IdP encryption"),
    )
