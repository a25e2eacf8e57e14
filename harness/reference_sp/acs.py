"""The Assertion Consumer Service's input: decode the HTTP-POST form into an ``AcsMessage``.

Decoding refuses what cannot be judged at all (no SAMLResponse, bad base64, unsafe XML, not a
Response, an EncryptedAssertion we cannot or must not decrypt). The validators then judge the
decoded message, one rule each. The received tree is never modified: decrypted assertions live in
a copy, so the Response signature is verified over exactly the bytes that were sent.
"""

from __future__ import annotations

import base64
import binascii
import copy
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from lxml import etree

from harness.core.xml import NS, UnsafeXmlError, parse_xml
from harness.core.xmldsig import SignatureError, decrypt_element
from harness.reference_sp.rejection import Rejected
from harness.reference_sp.replay import ReplayCache
from harness.reference_sp.sessions import PendingRequest

if TYPE_CHECKING:
    from harness.reference_sp.config import ReferenceSpConfig

__all__ = ["AcsMessage", "decode_response", "saml_time", "single_assertion"]

_SAMLP = f"{{{NS['samlp']}}}"
_SAML = f"{{{NS['saml']}}}"
# SC Deployment Profile §8: RSA-OAEP key transport; RSA PKCS#1 v1.5 "SHOULD not be ... accepted".
_KEY_TRANSPORT = frozenset(
    {"http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p", "http://www.w3.org/2009/xmlenc11#rsa-oaep"}
)
_BLOCK_CIPHERS = frozenset(
    {
        "http://www.w3.org/2001/04/xmlenc#aes128-cbc",
        "http://www.w3.org/2001/04/xmlenc#aes192-cbc",
        "http://www.w3.org/2001/04/xmlenc#aes256-cbc",
        "http://www.w3.org/2009/xmlenc11#aes128-gcm",
        "http://www.w3.org/2009/xmlenc11#aes192-gcm",
        "http://www.w3.org/2009/xmlenc11#aes256-gcm",
    }
)


@dataclass(frozen=True)
class AcsMessage:
    """One posted Response and what the validators judge it against."""

    config: ReferenceSpConfig
    now: datetime
    response: etree._Element  # the Response exactly as received
    assertions: tuple[etree._Element, ...]  # plaintext, in document order (decrypted ones from a copy)
    sources: tuple[etree._Element, ...]  # for each: its Assertion or EncryptedAssertion in ``response``
    relay_state: str
    outstanding: PendingRequest | None  # this browser's request named by InResponseTo, now consumed
    replay_cache: ReplayCache
    browser_has_pending: bool = False  # this browser has some request outstanding (after `outstanding`)

    @property
    def assertion(self) -> etree._Element:
        """The assertion the SP reads, as ``config.assertion_locator`` picks it (``single_assertion``)."""
        return self.config.assertion_locator(self)

    @property
    def source(self) -> etree._Element:
        """Where the assertion read sits in ``response``: itself, or its EncryptedAssertion."""
        assertion = self.assertion
        for plaintext, source in zip(self.assertions, self.sources, strict=True):
            if plaintext is assertion:
                return source
        return assertion  # a (flawed) locator found it elsewhere in the received tree

    @property
    def in_response_to(self) -> str | None:
        return self.response.get("InResponseTo")


def single_assertion(message: AcsMessage) -> etree._Element:
    """The default ``assertion_locator``: the Response's one (possibly decrypted) Assertion, which is
    exactly what ``check_signature`` verifies, itself or as a direct child of the verified Response
    (SAML Core 5.4.2). ``check_single_assertion`` runs before anything that reads it; this is the
    same guard for a validator tuple without it."""
    if len(message.assertions) != 1:
        raise Rejected("check_single_assertion", "Response must carry exactly one Assertion")
    return message.assertions[0]


def saml_time(value: str | None) -> datetime | None:
    """A SAML dateTime (Core 1.3.3: UTC), None when absent; ValueError when malformed."""
    if value is None:
        return None
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def decode_response(
    saml_response: str | None,
    relay_state: str,
    *,
    config: ReferenceSpConfig,
    take_pending: Callable[[str], PendingRequest | None],
    replay_cache: ReplayCache,
    has_pending: Callable[[], bool] = lambda: False,
) -> AcsMessage:
    """Decode the HTTP-POST binding's form (SAML Bindings 3.5.4) into an :class:`AcsMessage`."""
    if not saml_response:
        raise Rejected("decode_response", "the form has no SAMLResponse field (SAML Bindings 3.5.4)")
    try:
        xml = base64.b64decode(saml_response.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise Rejected("decode_response", "SAMLResponse is not base64 (SAML Bindings 3.5.4)") from None
    try:
        response = parse_xml(xml)
    except UnsafeXmlError as exc:
        # SC Deployment Profile §6.2: a message MUST NOT contain a DTD.
        raise Rejected("decode_response", f"SAMLResponse is not safe XML: {exc}") from None
    if response.tag != f"{_SAMLP}Response":
        raise Rejected("decode_response", "the root element is not samlp:Response (SAML Core 3.2.2)")
    sources = tuple(
        child for child in response if child.tag in (f"{_SAML}Assertion", f"{_SAML}EncryptedAssertion")
    )
    assertions = _plaintext_assertions(response, sources, config)
    in_response_to = response.get("InResponseTo")
    outstanding = take_pending(in_response_to) if in_response_to else None
    return AcsMessage(
        config=config,
        now=config.clock.now(),
        response=response,
        assertions=assertions,
        sources=sources,
        relay_state=relay_state,
        outstanding=outstanding,
        replay_cache=replay_cache,
        browser_has_pending=has_pending(),
    )


def _plaintext_assertions(
    response: etree._Element, sources: tuple[etree._Element, ...], config: ReferenceSpConfig
) -> tuple[etree._Element, ...]:
    if not any(s.tag == f"{_SAML}EncryptedAssertion" for s in sources):
        return sources
    # Decrypt in a copy of the whole document: the plaintext may rely on namespace declarations
    # of its ancestors, and the received tree must stay as signed.
    working = copy.deepcopy(response)
    copies = [c for c in working if c.tag in (f"{_SAML}Assertion", f"{_SAML}EncryptedAssertion")]
    return tuple(_decrypted(c, config) if c.tag == f"{_SAML}EncryptedAssertion" else c for c in copies)


def _decrypted(encrypted_assertion: etree._Element, config: ReferenceSpConfig) -> etree._Element:
    data = encrypted_assertion.findall("xenc:EncryptedData", NS)
    if len(data) != 1:
        raise Rejected("decode_response", "EncryptedAssertion must hold one xenc:EncryptedData (Core 2.3.4)")
    _check_encryption_algorithms(data[0])
    try:
        plaintext = decrypt_element(data[0], config.encryption_keys)
    except SignatureError:
        raise Rejected("decode_response", "EncryptedAssertion does not decrypt with the SP's key") from None
    if plaintext.tag != f"{_SAML}Assertion":
        raise Rejected("decode_response", "EncryptedAssertion does not hold a saml:Assertion")
    return plaintext


def _check_encryption_algorithms(encrypted_data: etree._Element) -> None:
    block = encrypted_data.find("xenc:EncryptionMethod", NS)
    if block is None or block.get("Algorithm") not in _BLOCK_CIPHERS:
        raise Rejected("decode_response", "EncryptedData/EncryptionMethod is not AES-CBC or AES-GCM (SC §8)")
    for method in encrypted_data.findall(".//xenc:EncryptedKey/xenc:EncryptionMethod", NS):
        if method.get("Algorithm") not in _KEY_TRANSPORT:
            raise Rejected("decode_response", "EncryptedKey/EncryptionMethod is not RSA-OAEP (SC §8)")
