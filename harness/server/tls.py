"""TLS for the harness's servers: the server context, and the client certificate a peer presented.

The mock platform identifies a consumer by the subject serialNumber (OID 2.5.4.5) of its client
certificate, which carries the HSA-id in SITHS function certificates; :class:`PeerCertificate`
names it, with the subject and issuer as RFC 4514 strings and the DER bytes as evidence.
"""

from __future__ import annotations

import asyncio
import ssl
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from aiohttp import web
from cryptography import x509
from cryptography.x509.oid import NameOID

__all__ = [
    "PEER_CERTIFICATE_ENVIRON_KEY",
    "ClientCertMode",
    "PeerCertificate",
    "peer_certificate_from_transport",
    "peer_certificate_of",
    "server_tls_context",
]

PEER_CERTIFICATE_ENVIRON_KEY = "harness.peer_certificate"  # WSGI environ: PeerCertificate | None

ClientCertMode = Literal["none", "optional", "required"]
_VERIFY_MODES = {"none": ssl.CERT_NONE, "optional": ssl.CERT_OPTIONAL, "required": ssl.CERT_REQUIRED}


@dataclass(frozen=True, slots=True)
class PeerCertificate:
    """The verified client certificate of a mutual-TLS connection."""

    subject: str  # RFC 4514, e.g. "CN=consumer,serialNumber=TSTNMT2321000156-1177,O=...,C=SE"
    serial_number: str | None  # the subject's serialNumber attribute (2.5.4.5): the HSA-id
    issuer: str  # RFC 4514
    der: bytes

    @classmethod
    def from_der(cls, der: bytes) -> PeerCertificate:
        certificate = x509.load_der_x509_certificate(der)
        serial = certificate.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)
        value = serial[0].value if serial else None
        return cls(
            subject=certificate.subject.rfc4514_string(),
            serial_number=value.decode("utf-8") if isinstance(value, bytes) else value,
            issuer=certificate.issuer.rfc4514_string(),
            der=der,
        )


def server_tls_context(
    cert: Path,
    key: Path,
    *,
    client_ca: Path | None = None,
    client_cert: ClientCertMode = "none",
) -> ssl.SSLContext:
    """A TLS 1.2+ server context; with ``client_cert`` "optional" or "required", client certificates
    are verified against ``client_ca`` ("optional" admits a client that presents none, but never one
    whose certificate does not verify)."""
    if client_cert not in _VERIFY_MODES:
        raise ValueError(f"client_cert must be one of {sorted(_VERIFY_MODES)}, not {client_cert!r}")
    if client_cert != "none" and client_ca is None:
        raise ValueError(
            f"client_cert={client_cert!r} needs client_ca: the CA that issues client certificates"
        )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(str(cert), str(key))
    if client_ca is not None:
        context.load_verify_locations(cafile=str(client_ca))
    context.verify_mode = _VERIFY_MODES[client_cert]
    return context


def peer_certificate_from_transport(transport: asyncio.BaseTransport | None) -> PeerCertificate | None:
    """The client certificate of a TLS connection, verified by the handshake; None if none was presented."""
    ssl_object = transport.get_extra_info("ssl_object") if transport is not None else None
    if not isinstance(ssl_object, ssl.SSLObject | ssl.SSLSocket):
        return None
    der = ssl_object.getpeercert(binary_form=True)
    return PeerCertificate.from_der(der) if der else None


def peer_certificate_of(request: web.BaseRequest) -> PeerCertificate | None:
    """The client certificate of the connection that carried ``request`` (aiohttp apps)."""
    known = getattr(request.protocol, "peer_certificate", None)
    if isinstance(known, PeerCertificate):
        return known
    return peer_certificate_from_transport(request.transport)
