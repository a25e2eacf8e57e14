"""SP-initiated login: the AuthnRequest, sent by HTTP-Redirect (the only module touching pysaml2).

pysaml2 builds the message object and does the Redirect binding's DEFLATE + base64 + URL encoding
(SAML Bindings 3.4.4.1); the request is unsigned, as 1177's IdP metadata sets
WantAuthnRequestsSigned="false" (the CGI IdP metadata in sklintyg/minaintyg, devops/.../idp-eleg.xml).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from saml2 import BINDING_HTTP_POST, saml, samlp
from saml2.pack import http_redirect_message

from harness.core.clock import saml_instant

__all__ = ["AuthnRequestRedirect", "authn_request_redirect", "new_request_id"]


@dataclass(frozen=True, slots=True)
class AuthnRequestRedirect:
    request_id: str
    url: str  # the IdP's SSO endpoint with SAMLRequest (and RelayState) in the query
    xml: str


def new_request_id() -> str:
    """An xs:ID (an NCName, so it starts with '_'), 128 bits of randomness (SAML Core 1.3.4)."""
    return f"_{secrets.token_hex(16)}"


def authn_request_redirect(
    *,
    entity_id: str,
    acs_url: str,
    sso_url: str,
    accepted_loa: tuple[str, ...],
    relay_state: str,
    now: datetime,
) -> AuthnRequestRedirect:
    request_id = new_request_id()
    request = samlp.AuthnRequest(
        id=request_id,
        version="2.0",
        issue_instant=saml_instant(now),
        destination=sso_url,
        protocol_binding=BINDING_HTTP_POST,  # SAML Profiles 4.1.2: the Response comes by POST
        assertion_consumer_service_url=acs_url,
        issuer=saml.Issuer(text=entity_id, format=saml.NAMEID_FORMAT_ENTITY),
        # SC Deployment Profile §6.3.4: the LoA in the assertion must be one the SP requested.
        requested_authn_context=samlp.RequestedAuthnContext(
            authn_context_class_ref=[saml.AuthnContextClassRef(text=loa) for loa in accepted_loa],
            comparison="exact",
        ),
    )
    xml = request.to_string().decode("utf-8")
    binding = http_redirect_message(xml, sso_url, relay_state=relay_state, typ="SAMLRequest")
    location = dict(binding["headers"])["Location"]
    return AuthnRequestRedirect(request_id=request_id, url=str(location), xml=xml)
