"""Keys persist in the state directory so an SP configured once keeps trusting the IdP."""

from __future__ import annotations

import ssl
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa

from harness.pki import init_pki, load_or_create_keypair, load_or_create_tls


def test_keypair_is_created_once_and_reused(tmp_path: Path) -> None:
    first = load_or_create_keypair(tmp_path, "idp-signing", "idp")
    again = load_or_create_keypair(tmp_path, "idp-signing", "idp")
    assert first.cert_pem == again.cert_pem and first.key_pem == again.key_pem
    cert = x509.load_pem_x509_certificate(first.cert_pem)
    key = cert.public_key()
    assert isinstance(key, rsa.RSAPublicKey) and key.key_size >= 2048
    assert cert.signature_hash_algorithm is not None and cert.signature_hash_algorithm.name == "sha256"
    assert (tmp_path / "idp-signing.key").stat().st_mode & 0o077 == 0


def test_tls_material_gives_a_server_context_clients_can_trust(tmp_path: Path) -> None:
    tls = load_or_create_tls(tmp_path)
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(tls.server_cert, tls.server_key)
    client = ssl.create_default_context(cafile=str(tls.ca_cert))
    assert client.verify_mode is ssl.CERT_REQUIRED
    names = x509.load_pem_x509_certificate(tls.server_cert.read_bytes()).extensions.get_extension_for_class(
        x509.SubjectAlternativeName
    )
    assert "localhost" in names.value.get_values_for_type(x509.DNSName)


def test_init_pki_writes_signing_next_encryption_and_tls(tmp_path: Path) -> None:
    names = {p.name for p in init_pki(tmp_path)}
    assert {"idp-signing.crt", "idp-signing-next.crt", "idp-encryption.crt", "ca.crt", "server.crt"} <= names
