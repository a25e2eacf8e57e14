"""Test PKI: IdP signing keys, a test CA that keeps its key, and SITHS-like function certificates.

Keys are RSA 2048 with SHA-256 certificates (Swedish eID Deployment Profile §8). Everything is
generated on first use into a state directory and reused, so a system configured once (an SP
trusting the IdP's metadata, a producer trusting the CA) keeps working across runs.

A function certificate is SITHS-like: subject C=SE, O, CN and serialNumber (OID 2.5.4.5) holding
the system's HSA-id, which is where the SKLTP virtualisation platform reads the consumer's
identity (SKLTP VP ``SenderIdExtractor.java``, ``certificate.senderid.subject.pattern``). These
are test certificates from a test CA, never SITHS certificates.
"""

from __future__ import annotations

import ipaddress
import os
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

from harness.core.xmldsig import KeyPair

__all__ = [
    "FunctionCertificate",
    "IssuedCertificate",
    "PkiFile",
    "TestCa",
    "TlsMaterial",
    "init_pki",
    "load_or_create_keypair",
    "load_or_create_tls",
    "new_keypair",
]

_ORGANIZATION = "1177 conformance harness (TEST ONLY)"
_CA_VALIDITY = timedelta(days=3650)
_LEAF_VALIDITY = timedelta(days=825)
_RENEW_BEFORE = timedelta(days=30)  # a certificate this close to expiry is issued anew
_LOOPBACK = ("localhost", "127.0.0.1")
_FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_PRINTABLE = re.compile(r"[A-Za-z0-9 '()+,\-./:=?]{1,64}")  # X.520 PrintableString, ub-serial-number 64


def _private_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _key_pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _cert_pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _write(path: Path, data: bytes, mode: int) -> None:
    """Write atomically (a reader never sees half a file); a key is never readable by others."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(descriptor, "wb") as out:
        out.write(data)
    os.chmod(temporary, mode)
    os.replace(temporary, path)


def _name(common_name: str, hsa_id: str | None = None) -> x509.Name:
    attributes = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "SE"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, _ORGANIZATION),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ]
    if hsa_id is not None:
        attributes.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, hsa_id))
    return x509.Name(attributes)


def _builder(
    subject: x509.Name, public_key: rsa.RSAPublicKey, issuer: x509.Name, not_after: datetime
) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(datetime.now(UTC) - timedelta(days=1))
        .not_valid_after(not_after)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )


# -- IdP key pairs (self-signed metadata key containers) ------------------------------------------


def new_keypair(common_name: str) -> KeyPair:
    """A fresh self-signed key pair: a metadata "key container" (SC Deployment Profile §2)."""
    key = _private_key()
    not_after = datetime.now(UTC) + _CA_VALIDITY
    cert = _builder(_name(common_name), key.public_key(), _name(common_name), not_after).sign(
        key, hashes.SHA256()
    )
    return KeyPair(key_pem=_key_pem(key), cert_pem=_cert_pem(cert))


def load_or_create_keypair(state_dir: Path, name: str, common_name: str) -> KeyPair:
    """The key pair stored as ``name.key``/``name.crt`` in ``state_dir``, created on first use."""
    key_path, cert_path = state_dir / f"{name}.key", state_dir / f"{name}.crt"
    if key_path.exists() and cert_path.exists():
        return KeyPair(key_pem=key_path.read_bytes(), cert_pem=cert_path.read_bytes())
    pair = new_keypair(common_name)
    _write(key_path, pair.key_pem, 0o600)
    _write(cert_path, pair.cert_pem, 0o644)
    return pair


# -- the test CA and the certificates it issues ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class IssuedCertificate:
    """A certificate and its key (PEM files), and the CA certificate a peer must trust for it."""

    cert: Path
    key: Path
    ca_cert: Path


@dataclass(frozen=True, slots=True)
class _Profile:
    """What a certificate says: subject, extended key usages, subject alternative names."""

    subject: x509.Name
    usages: frozenset[ObjectIdentifier]
    alt_names: frozenset[x509.GeneralName]


def _asked_profile(
    common_name: str, hsa_id: str | None, server_names: Sequence[str], client: bool, server: bool
) -> _Profile:
    if not (client or server):
        raise ValueError("a function certificate is for a client, a server or both")
    if server_names and not server:
        raise ValueError("server_names are only for a server certificate")
    if hsa_id is not None and not _PRINTABLE.fullmatch(hsa_id):
        raise ValueError("hsa_id must be 1-64 PrintableString characters (X.520 serialNumber)")
    usages = {ExtendedKeyUsageOID.CLIENT_AUTH} if client else set()
    if server:
        usages.add(ExtendedKeyUsageOID.SERVER_AUTH)
    names = frozenset(_general_name(n) for n in (*_LOOPBACK, *server_names)) if server else frozenset()
    return _Profile(_name(common_name, hsa_id), frozenset(usages), names)


def _general_name(name: str) -> x509.GeneralName:
    try:
        return x509.IPAddress(ipaddress.ip_address(name))
    except ValueError:
        return x509.DNSName(name)


def _profile_of(cert: x509.Certificate) -> _Profile:
    extensions = cert.extensions
    try:
        usages = frozenset(extensions.get_extension_for_class(x509.ExtendedKeyUsage).value)
    except x509.ExtensionNotFound:
        usages = frozenset()
    try:
        names = frozenset(extensions.get_extension_for_class(x509.SubjectAlternativeName).value)
    except x509.ExtensionNotFound:
        names = frozenset()
    return _Profile(cert.subject, usages, names)


def _is_current(cert: x509.Certificate) -> bool:
    now = datetime.now(UTC)
    return cert.not_valid_before_utc <= now and now + _RENEW_BEFORE < cert.not_valid_after_utc


def _load_pair(key_path: Path, cert_path: Path) -> tuple[rsa.RSAPrivateKey, x509.Certificate] | None:
    """The stored key and certificate, if both are readable and belong together."""
    try:
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    except (OSError, ValueError, TypeError):
        return None
    if not isinstance(key, rsa.RSAPrivateKey):
        return None
    public = cert.public_key()
    if (
        not isinstance(public, rsa.RSAPublicKey)
        or public.public_numbers() != key.public_key().public_numbers()
    ):
        return None
    return key, cert


def _check_file_name(name: str) -> None:
    if not _FILE_NAME.fullmatch(name):
        raise ValueError(f"{name!r} is not a plain file name (letters, digits, '.', '_', '-')")


class TestCa:
    """A test certificate authority whose key stays in its state directory (``<name>.key``, mode 0600)."""

    __test__ = False  # not a pytest test class, despite its name

    def __init__(self, state_dir: Path, name: str, key: rsa.RSAPrivateKey, certificate: x509.Certificate):
        self.state_dir = state_dir
        self.name = name
        self.cert_path = state_dir / f"{name}.crt"
        self.key_path = state_dir / f"{name}.key"
        self.certificate = certificate
        self._key = key

    @classmethod
    def load_or_create(cls, state_dir: Path, *, name: str = "ca", common_name: str = "Test CA") -> TestCa:
        """The CA stored in ``state_dir``; a new one if it is missing, unusable, expiring or named apart."""
        _check_file_name(name)
        key_path, cert_path = state_dir / f"{name}.key", state_dir / f"{name}.crt"
        stored = _load_pair(key_path, cert_path)
        if stored is not None and _is_ca_as_asked(stored[1], common_name):
            return cls(state_dir, name, *stored)
        key = _private_key()
        subject = _name(common_name)
        cert = (
            _builder(subject, key.public_key(), subject, datetime.now(UTC) + _CA_VALIDITY)
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(_key_usage(cert_sign=True), critical=True)
            .sign(key, hashes.SHA256())
        )
        _write(key_path, _key_pem(key), 0o600)
        _write(cert_path, _cert_pem(cert), 0o644)
        return cls(state_dir, name, key, cert)

    def issue(
        self,
        name: str,
        *,
        common_name: str,
        hsa_id: str | None = None,
        server_names: Sequence[str] = (),
        client: bool = False,
        server: bool = False,
    ) -> IssuedCertificate:
        """``<name>.crt``/``<name>.key`` beside the CA: reused if they say exactly this, else issued anew.

        Server certificates name ``localhost`` and ``127.0.0.1`` (and ``server_names``) in their
        subject alternative names; ``hsa_id`` becomes the subject serialNumber (OID 2.5.4.5).
        """
        _check_file_name(name)
        if name == self.name:
            raise ValueError(f"{name!r} is the CA's own file name")
        profile = _asked_profile(common_name, hsa_id, server_names, client, server)
        issued = IssuedCertificate(
            self.state_dir / f"{name}.crt", self.state_dir / f"{name}.key", self.cert_path
        )
        stored = _load_pair(issued.key, issued.cert)
        if stored is not None and self._issued_as(stored[1], profile):
            return issued
        key = _private_key()
        _write(issued.key, _key_pem(key), 0o600)
        _write(issued.cert, _cert_pem(self._sign(key.public_key(), profile)), 0o644)
        return issued

    def _issued_as(self, cert: x509.Certificate, profile: _Profile) -> bool:
        """``cert`` was signed by this CA, is current, and says what ``profile`` asks."""
        if cert.issuer != self.certificate.subject or not _is_current(cert):
            return False
        try:
            cert.verify_directly_issued_by(self.certificate)
        except (ValueError, TypeError, InvalidSignature):
            return False
        return _profile_of(cert) == profile

    def _sign(self, public_key: rsa.RSAPublicKey, profile: _Profile) -> x509.Certificate:
        not_after = min(datetime.now(UTC) + _LEAF_VALIDITY, self.certificate.not_valid_after_utc)
        issuer_key = self._key.public_key()
        builder = (
            _builder(profile.subject, public_key, self.certificate.subject, not_after)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_key_usage(cert_sign=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage(sorted(profile.usages, key=str)), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key), critical=False)
        )
        if profile.alt_names:
            alt_names = sorted(profile.alt_names, key=str)
            builder = builder.add_extension(x509.SubjectAlternativeName(alt_names), critical=False)
        return builder.sign(self._key, hashes.SHA256())


def _is_ca_as_asked(cert: x509.Certificate, common_name: str) -> bool:
    try:
        constraints = cert.extensions.get_extension_for_class(x509.BasicConstraints).value
    except x509.ExtensionNotFound:
        return False
    return constraints.ca and cert.subject == _name(common_name) and _is_current(cert)


def _key_usage(*, cert_sign: bool) -> x509.KeyUsage:
    """A CA signs certificates (and CRLs); an RSA TLS end entity signs and enciphers keys."""
    entity = not cert_sign  # the order: digitalSignature, contentCommitment, keyEncipherment,
    # dataEncipherment, keyAgreement, keyCertSign, cRLSign, encipherOnly, decipherOnly (RFC 5280 4.2.1.3)
    return x509.KeyUsage(entity, False, entity, False, False, cert_sign, cert_sign, False, False)


# -- ready-made sets --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TlsMaterial:
    """Files for a TLS server on loopback and the CA a client must trust to reach it."""

    ca_cert: Path
    server_cert: Path
    server_key: Path


def load_or_create_tls(state_dir: Path) -> TlsMaterial:
    """The test CA in ``state_dir`` and its server certificate for ``localhost`` and ``127.0.0.1``."""
    ca = TestCa.load_or_create(state_dir)
    server = ca.issue("server", common_name="localhost", server=True)
    return TlsMaterial(ca.cert_path, server.cert, server.key)


@dataclass(frozen=True, slots=True)
class FunctionCertificate:
    """A SITHS-like function certificate to issue: file name, subject CN, HSA-id, client/server use."""

    name: str
    common_name: str
    hsa_id: str
    client: bool = False
    server: bool = False
    purpose: str = ""  # what it is for, in the words ``conformance pki init`` prints

    def issue_from(self, ca: TestCa) -> IssuedCertificate:
        """``<name>.crt``/``<name>.key`` beside ``ca``: kept if they say exactly this, else issued anew."""
        return ca.issue(self.name, common_name=self.common_name, hsa_id=self.hsa_id,
                        client=self.client, server=self.server)  # fmt: skip


@dataclass(frozen=True, slots=True)
class PkiFile:
    """A file ``conformance pki init`` wrote, and what it is for."""

    path: Path
    purpose: str


_IDP_KEYS = (  # file name, certificate CN, what it is for
    ("idp-signing", "mock 1177 IdP signing", "mock 1177 IdP signing key (current), in its metadata"),
    ("idp-signing-next", "mock 1177 IdP next", "mock 1177 IdP next signing key (rollover), in its metadata"),
    ("idp-encryption", "mock 1177 IdP encryption", "mock 1177 IdP encryption key"),
)


_KEY = "its private key"


def init_pki(out_dir: Path, function_certificates: Sequence[FunctionCertificate] = ()) -> list[PkiFile]:
    """``conformance pki init``: IdP keys, the test CA, a loopback server certificate, function certificates.

    Existing files are kept when they still say what is asked, so trust configured once survives.
    """
    files: list[PkiFile] = []
    for name, common_name, purpose in _IDP_KEYS:
        load_or_create_keypair(out_dir, name, common_name)
        files += [PkiFile(out_dir / f"{name}.crt", purpose), PkiFile(out_dir / f"{name}.key", _KEY)]
    tls = load_or_create_tls(out_dir)
    ca = TestCa.load_or_create(out_dir)
    files += [
        PkiFile(tls.ca_cert, "test CA certificate: producers trust it for the VP's client certificate"),
        PkiFile(ca.key_path, "test CA private key (issues the certificates here; give it to no one)"),
        PkiFile(tls.server_cert, "loopback TLS server certificate (localhost, 127.0.0.1)"),
        PkiFile(tls.server_key, _KEY),
    ]
    for wanted in function_certificates:
        issued = wanted.issue_from(ca)
        files += [PkiFile(issued.cert, _describe(wanted)), PkiFile(issued.key, _KEY)]
    return files


def _describe(wanted: FunctionCertificate) -> str:
    usages = "+".join(u for u, on in (("clientAuth", wanted.client), ("serverAuth", wanted.server)) if on)
    facts = f"serialNumber {wanted.hsa_id}, {usages}"
    return f"{wanted.purpose} ({facts})" if wanted.purpose else f"function certificate ({facts})"
