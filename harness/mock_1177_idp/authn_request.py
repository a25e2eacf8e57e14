"""Reading an SP's AuthnRequest (SAML Core 3.4.1) and checking it against the SP's metadata.

The IdP must know the Issuer and must only send the Response to an AssertionConsumerServiceURL
that the SP's metadata lists (SAML Profiles 4.1.4.1). Signed requests are accepted but not
required (the IdP's metadata says WantAuthnRequestsSigned="false", as CGI's did).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from harness.core.xml import NS, UnsafeXmlError, parse_xml
from harness.mock_1177_idp.metadata import SpInfo

__all__ = ["AuthnRequest", "AuthnRequestError", "UnknownSp", "parse_authn_request", "resolve_sp"]

_AUTHN_REQUEST = f"{{{NS['samlp']}}}AuthnRequest"


class AuthnRequestError(ValueError):
    """The message is not a usable AuthnRequest; the text is safe to show."""


class UnknownSp(AuthnRequestError):
    """The AuthnRequest's Issuer is not an SP this IdP knows."""


@dataclass(frozen=True)
class AuthnRequest:
    """What the IdP keeps of an AuthnRequest (and shows as evidence)."""

    id: str
    issuer: str
    acs_url: str | None  # AssertionConsumerServiceURL, if the request named one
    relay_state: str = ""
    binding: str = ""  # "redirect" or "post": how it arrived
    signed: bool = False
    version: str = "2.0"
    force_authn: bool = False
    is_passive: bool = False


def parse_authn_request(xml: bytes, *, relay_state: str = "", binding: str = "") -> AuthnRequest:
    """Parse with the hardened parser; raise :class:`AuthnRequestError` for anything unusable."""
    try:
        root = parse_xml(xml)
    except UnsafeXmlError as exc:
        raise AuthnRequestError(f"SAMLRequest refused: {exc}") from None
    if root.tag != _AUTHN_REQUEST:
        raise AuthnRequestError("SAMLRequest is not a samlp:AuthnRequest")
    request_id = root.get("ID", "")
    issuer = (root.findtext("saml:Issuer", namespaces=NS) or "").strip()
    if not request_id or not issuer:
        raise AuthnRequestError("AuthnRequest lacks an ID or an Issuer (SAML Core 3.2.1, Profiles 4.1.4.1)")
    return AuthnRequest(
        id=request_id,
        issuer=issuer,
        acs_url=root.get("AssertionConsumerServiceURL"),
        relay_state=relay_state,
        binding=binding,
        signed=root.find("ds:Signature", NS) is not None,
        version=root.get("Version", ""),
        force_authn=root.get("ForceAuthn") in ("true", "1"),
        is_passive=root.get("IsPassive") in ("true", "1"),
    )


def resolve_sp(request: AuthnRequest, sps: Iterable[SpInfo]) -> SpInfo:
    """The SP that sent ``request``, or :class:`UnknownSp`."""
    for sp in sps:
        if sp.entity_id == request.issuer:
            return sp
    raise UnknownSp("the AuthnRequest's Issuer is not a Service Provider known to this IdP")
