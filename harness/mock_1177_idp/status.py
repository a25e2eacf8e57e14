"""Status-only Responses: how the IdP says "no" (user cancel, simulated error, bad request).

An error Response carries no Assertion (SAML Profiles 4.1.4.2; SC Deployment Profile §6.4); its
top-level status is Requester, Responder or VersionMismatch (SAML Core 3.2.2.2), with a
second-level code such as ``http://id.elegnamnden.se/status/1.0/cancel``. It is signed like any
Response, so the SP can trust it.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from harness.core.clock import Clock, saml_instant
from harness.core.xml import NS
from harness.core.xmldsig import sign_enveloped
from harness.mock_1177_idp.elements import ISSUER_FORMAT_ENTITY, saml, samlp, serialise
from harness.mock_1177_idp.ids import IdSource, RandomIds
from harness.mock_1177_idp.spec import IdpIdentity

__all__ = [
    "AUTHN_FAILED",
    "CANCEL",
    "REQUEST_DENIED",
    "REQUESTER",
    "RESPONDER",
    "VERSION_MISMATCH",
    "ErrorStatus",
    "error_response",
]

_STATUS = "urn:oasis:names:tc:SAML:2.0:status:"
REQUESTER = _STATUS + "Requester"
RESPONDER = _STATUS + "Responder"
VERSION_MISMATCH = _STATUS + "VersionMismatch"
AUTHN_FAILED = _STATUS + "AuthnFailed"
REQUEST_DENIED = _STATUS + "RequestDenied"
CANCEL = "http://id.elegnamnden.se/status/1.0/cancel"  # Sweden Connect Registry §3.1.4


@dataclass(frozen=True)
class ErrorStatus:
    top: str
    second: str | None = None
    message: str = ""  # StatusMessage: for people, never personal data


def error_response(
    acs_url: str,
    in_response_to: str | None,
    status: ErrorStatus,
    idp: IdpIdentity,
    clock: Clock,
    *,
    ids: IdSource | None = None,
) -> bytes:
    """A signed Response with ``status`` and no Assertion, addressed to ``acs_url``."""
    response = etree.Element(
        samlp("Response"),
        nsmap={"samlp": NS["samlp"], "saml": NS["saml"]},
        ID=(ids or RandomIds()).new_id(),
        Version="2.0",
        IssueInstant=saml_instant(clock.now()),
        Destination=acs_url,
    )
    if in_response_to is not None:
        response.set("InResponseTo", in_response_to)
    etree.SubElement(response, saml("Issuer"), Format=ISSUER_FORMAT_ENTITY).text = idp.entity_id
    status_element = etree.SubElement(response, samlp("Status"))
    code = etree.SubElement(status_element, samlp("StatusCode"), Value=status.top)
    if status.second is not None:
        etree.SubElement(code, samlp("StatusCode"), Value=status.second)
    if status.message:
        etree.SubElement(status_element, samlp("StatusMessage")).text = status.message
    sign_enveloped(response, idp.keys.signing)
    return serialise(response)
