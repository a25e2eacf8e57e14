"""SAML bindings: the HTTP-POST auto-submitting form, and decoding of incoming AuthnRequests.

HTTP-POST (SAML Bindings 3.5.4): an HTML form with controls ``SAMLResponse`` (base64) and
``RelayState``, submitted by script, with a button for browsers without script. HTTP-Redirect
(3.4.4.1): ``SAMLRequest`` is raw DEFLATE (RFC 1951), then base64, then URL-encoded.
Every decoding failure raises :class:`BindingError` with a message safe to show (no personal data).
"""

from __future__ import annotations

import base64
import binascii
import zlib
from html import escape

__all__ = ["MAX_SAML_MESSAGE_BYTES", "BindingError", "decode_post", "decode_redirect", "post_form"]

MAX_SAML_MESSAGE_BYTES = 200_000  # an AuthnRequest is a few kB; this bounds inflation ("zip bombs")


class BindingError(ValueError):
    """The SAML message could not be taken off the binding (bad base64, bad DEFLATE, too large)."""


_PAGE = """<!DOCTYPE html>
<html lang="sv">
<head><meta charset="utf-8"><title>Skickar vidare till e-tjänsten</title></head>
<body onload="document.forms[0].submit()">
<noscript><p>Din webbläsare kör inte skript: tryck på Fortsätt.</p></noscript>
<form method="post" action="{action}">
<input type="hidden" name="SAMLResponse" value="{response}">
{relay}<noscript><button type="submit">Fortsätt</button></noscript>
</form>
</body>
</html>
"""


def post_form(acs_url: str, saml_response: bytes, relay_state: str = "") -> str:
    """The auto-posting page that carries ``saml_response`` to ``acs_url``; every value HTML-escaped."""
    encoded = base64.b64encode(saml_response).decode("ascii")
    relay = (
        f'<input type="hidden" name="RelayState" value="{escape(relay_state, quote=True)}">\n'
        if relay_state
        else ""
    )
    return _PAGE.format(action=escape(acs_url, quote=True), response=escape(encoded, quote=True), relay=relay)


def _b64(value: str) -> bytes:
    if len(value) > MAX_SAML_MESSAGE_BYTES * 2:
        raise BindingError("SAMLRequest is too large")
    try:
        return base64.b64decode("".join(value.split()), validate=True)
    except (binascii.Error, ValueError):
        raise BindingError("SAMLRequest is not valid base64") from None


def decode_redirect(saml_request: str) -> bytes:
    """The XML of an HTTP-Redirect ``SAMLRequest`` (already URL-decoded): base64, then raw DEFLATE."""
    compressed = _b64(saml_request)
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    try:
        xml = inflater.decompress(compressed, MAX_SAML_MESSAGE_BYTES)
    except zlib.error:
        raise BindingError("SAMLRequest is not raw DEFLATE data (SAML Bindings 3.4.4.1)") from None
    if inflater.unconsumed_tail:
        raise BindingError("SAMLRequest inflates to more than the allowed size")
    if not inflater.eof:
        raise BindingError("SAMLRequest is truncated DEFLATE data")
    return xml


def decode_post(saml_request: str) -> bytes:
    """The XML of an HTTP-POST ``SAMLRequest`` form value: base64 only (SAML Bindings 3.5.4)."""
    xml = _b64(saml_request)
    if len(xml) > MAX_SAML_MESSAGE_BYTES:
        raise BindingError("SAMLRequest is too large")
    return xml
