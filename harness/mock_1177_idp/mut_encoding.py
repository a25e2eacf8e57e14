"""Mutations of encoding and transport: DTDs, RelayState, and encryption.

Rules: SC Deployment Profile §6.2 (no DTD), SAML Bindings 3.5.3 (RelayState at most 80 bytes),
SC Deployment Profile §6.1 (EncryptedAssertion; EncryptedID and EncryptedAttribute MUST NOT be
used) and §8 (AES-CBC and AES-GCM block encryption, RSA-OAEP key transport; RSA PKCS#1 v1.5 key
transport "considered broken and SHOULD not be used or accepted").
"""

from __future__ import annotations

from dataclasses import replace

from lxml import etree

from harness.core.xml import NS
from harness.core.xmldsig import BlockCipher, KeyTransport
from harness.mock_1177_idp.attributes import personnummer_attributes
from harness.mock_1177_idp.elements import XML_DECLARATION, encrypt_into, find
from harness.mock_1177_idp.pipeline import (
    BuildContext,
    Draft,
    Expect,
    MutationNotApplicable,
    Stage,
    mutation,
)

__all__ = ["CATALOGUE", "OVERSIZE_RELAY_STATE_BYTES"]

OVERSIZE_RELAY_STATE_BYTES = 120


@mutation(Stage.SERIALISATION, Expect.REJECT, "SP-R-DTD-27")
def dtd_with_entity(draft: Draft, ctx: BuildContext) -> None:
    """A DOCTYPE declares an internal entity ``pnr`` holding the personnummer, and the personnummer
    value(s) are written as ``&pnr;``. Expanded, the document is the signed baseline, so an SP
    that processes DTDs would verify the signature and accept it."""
    number = ctx.spec.person.personnummer.encode()
    value = b">" + number + b"</saml:AttributeValue>"
    if value not in draft.xml:
        raise MutationNotApplicable("dtd_with_entity needs a plaintext personnummer attribute")
    body = draft.xml.removeprefix(XML_DECLARATION)
    body = body.replace(value, b">&pnr;</saml:AttributeValue>")
    doctype = b'<!DOCTYPE samlp:Response [\n  <!ENTITY pnr "' + number + b'">\n]>\n'
    draft.xml = XML_DECLARATION + doctype + body


@mutation(Stage.BINDING, Expect.REJECT, "SP-R-RELAY-26")
def oversize_relay_state(draft: Draft, ctx: BuildContext) -> None:
    """The RelayState posted with the Response is 120 bytes (the spec's RelayState, padded)."""
    relay = draft.relay_state or "relay-state-"
    padding = max(1, OVERSIZE_RELAY_STATE_BYTES - len(relay.encode()))
    draft.relay_state = relay + "x" * padding


def _sp_certificate(ctx: BuildContext, name: str) -> bytes:
    if ctx.spec.encryption_certificate is None:
        raise MutationNotApplicable(f"{name} needs the SP's published encryption certificate")
    return ctx.spec.encryption_certificate


@mutation(Stage.SIGNING, Expect.ACCEPT, "SP-R-ENC-GCM")
def encrypted_assertion_aes128_gcm(draft: Draft, ctx: BuildContext) -> None:
    """POSITIVE: the signed Assertion is sent as an EncryptedAssertion with AES-128-GCM and
    RSA-OAEP, for the SP's published encryption certificate."""
    cert = _sp_certificate(ctx, "encrypted_assertion_aes128_gcm")
    draft.plan = replace(draft.plan, encrypt_assertion_for=cert, cipher=BlockCipher.AES128_GCM)


@mutation(Stage.SIGNING, Expect.ACCEPT, "SP-R-ENC-28")
def encrypted_assertion_aes256_cbc(draft: Draft, ctx: BuildContext) -> None:
    """POSITIVE: the signed Assertion is sent as an EncryptedAssertion with AES-256-CBC and
    RSA-OAEP, for the SP's published encryption certificate."""
    cert = _sp_certificate(ctx, "encrypted_assertion_aes256_cbc")
    draft.plan = replace(draft.plan, encrypt_assertion_for=cert, cipher=BlockCipher.AES256_CBC)


@mutation(Stage.SIGNING, Expect.REJECT, "SP-R-KEY-TRANSPORT")
def rsa_v15_key_transport(draft: Draft, ctx: BuildContext) -> None:
    """The signed Assertion is sent as an EncryptedAssertion for the SP's published encryption
    certificate (AES-256-GCM, as the baseline plan), but its key is transported with RSA PKCS#1
    v1.5 (xmlenc#rsa-1_5) instead of RSA-OAEP."""
    cert = _sp_certificate(ctx, "rsa_v15_key_transport")
    draft.plan = replace(draft.plan, encrypt_assertion_for=cert, key_transport=KeyTransport.RSA_1_5)


def _encrypt_in_wrapper(element: etree._Element, wrapper_name: str, cert: bytes) -> None:
    encrypt_into(element, wrapper_name, cert, BlockCipher.AES256_GCM)


@mutation(Stage.CONTENT, Expect.REJECT, "SP-R-ENC-IDENTIFIERS")
def encrypted_attribute(draft: Draft, ctx: BuildContext) -> None:
    """The personnummer attribute(s) are sent as EncryptedAttribute (then signed as the baseline)."""
    attributes = personnummer_attributes(find(draft.response, "saml:Assertion"))
    if not attributes:
        raise MutationNotApplicable("encrypted_attribute needs a personnummer attribute")
    # The SP's key if it published one (so it can see what is inside), else the IdP's own: the
    # construct is forbidden either way.
    cert = ctx.spec.encryption_certificate or ctx.idp.keys.encryption.cert_pem
    for attribute in attributes:
        _encrypt_in_wrapper(attribute, "EncryptedAttribute", cert)


def _name_id(draft: Draft, name: str) -> etree._Element:
    name_id = draft.response.find("saml:Assertion/saml:Subject/saml:NameID", NS)
    if name_id is None:
        raise MutationNotApplicable(f"{name} needs a NameID")
    return name_id


@mutation(Stage.CONTENT, Expect.REJECT, "SP-R-ENC-IDENTIFIERS")
def encrypted_id(draft: Draft, ctx: BuildContext) -> None:
    """The Subject's NameID is sent as EncryptedID for a key the SP does not hold (the IdP's own
    encryption key), then signed as the baseline."""
    _encrypt_in_wrapper(_name_id(draft, "encrypted_id"), "EncryptedID", ctx.idp.keys.encryption.cert_pem)


@mutation(Stage.CONTENT, Expect.REJECT, "SP-R-ENC-IDENTIFIERS")
def encrypted_id_for_sp(draft: Draft, ctx: BuildContext) -> None:
    """The Subject's NameID is sent as EncryptedID for the SP's published encryption certificate, so
    the SP can decrypt it (then signed as the baseline)."""
    cert = _sp_certificate(ctx, "encrypted_id_for_sp")
    _encrypt_in_wrapper(_name_id(draft, "encrypted_id_for_sp"), "EncryptedID", cert)


CATALOGUE = (
    dtd_with_entity,
    oversize_relay_state,
    encrypted_assertion_aes128_gcm,
    encrypted_assertion_aes256_cbc,
    rsa_v15_key_transport,
    encrypted_attribute,
    encrypted_id,
    encrypted_id_for_sp,
)
