"""Test PKI: IdP signing keys (current and next), a test CA, and TLS certificates for loopback.

Keys are RSA 2048 with SHA-256 certificates (Swedish eID Deployment Profile §8). They are
generated on first use into a state directory and reused, so a vendor's SP that was configured
once with the IdP's metadata keeps trusting it.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from harness.core.xmldsig import KeyPair

__all__ = ["TlsMaterial", "init_pki", "load_or_create_keypair", "load_or_create_tls", "new_keypair"]

_VALIDITY = timedelta(days=3650)


def _private_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "SE"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "1177 conformance harness (TEST ONLY)"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _pem(key: rsa.RSAPrivateKey, cert: x509.Certificate) -> KeyPair:
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return KeyPair(key_pem=key_pem, cert_pem=cert.public_bytes(serialization.Encoding.PEM))


def new_keypair(common_name: str) -> KeyPair:
    """A fresh self-signed key pair: a metadata "key container" (SC Deployment Profile §2)."""
    key = _private_key()
    cert = _certificate(common_name, key.public_key(), _name(common_name)).sign(key, hashes.SHA256())
    return _pem(key, cert)


def load_or_create_keypair(state_dir: Path, name: str, common_name: str) -> KeyPair:
    """The key pair stored as ``name.key``/``name.crt`` in ``state_dir``, created on first use."""
    key_path, cert_path = state_dir / f"{name}.key", state_dir / f"{name}.crt"
    if key_path.exists() and cert_path.exists():
        return KeyPair(key_pem=key_path.read_bytes(), cert_pem=cert_path.read_bytes())
    state_dir.mkdir(parents=True, exist_ok=True)
    pair = new_keypair(common_name)
    key_path.write_bytes(pair.key_pem)
    key_path.chmod(0o600)
    cert_path.write_bytes(pair.cert_pem)
    return pair


@dataclass(frozen=True, slots=True)
class TlsMaterial:
    """Files for a TLS server on loopback and the CA a client must trust to reach it."""

    ca_cert: Path
    server_cert: Path
    server_key: Path


def _certificate(subject: str, public_key: rsa.RSAPublicKey, issuer: x509.Name) -> x509.CertificateBuilder:
    now = datetime.now(UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + _VALIDITY)
    )


def load_or_create_tls(state_dir: Path) -> TlsMaterial:
    """A test CA and a server certificate for ``localhost`` and ``127.0.0.1`` in ``state_dir``."""
    material = TlsMaterial(state_dir / "ca.crt", state_dir / "server.crt", state_dir / "server.key")
    if all(p.exists() for p in (material.ca_cert, material.server_cert, material.server_key)):
        return material
    state_dir.mkdir(parents=True, exist_ok=True)
    ca_key = _private_key()
    ca_cert = (
        _certificate("Test CA", ca_key.public_key(), _name("Test CA"))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
        .sign(ca_key, hashes.SHA256())
    )
    server_key = _private_key()
    loopback = [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    server_cert = (
        _certificate("localhost", server_key.public_key(), ca_cert.subject)
        .add_extension(x509.SubjectAlternativeName(loopback), critical=False)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    pair = _pem(server_key, server_cert)
    material.ca_cert.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    material.server_cert.write_bytes(pair.cert_pem)
    material.server_key.write_bytes(pair.key_pem)
    material.server_key.chmod(0o600)
    return material


def init_pki(out_dir: Path) -> list[Path]:
    """``conformance pki init``: the IdP's signing keys (current, next), encryption key and TLS files."""
    written = [
        out_dir / f"{name}.crt"
        for name, cn in (
            ("idp-signing", "mock 1177 IdP signing"),
            ("idp-signing-next", "mock 1177 IdP next"),
            ("idp-encryption", "mock 1177 IdP encryption"),
        )
        if load_or_create_keypair(out_dir, name, cn)
    ]
    tls = load_or_create_tls(out_dir)
    return [*written, tls.ca_cert, tls.server_cert]
