"""HTTP-POST form and HTTP-Redirect/POST decoding (SAML Bindings 3.4.4.1, 3.5.4)."""

from __future__ import annotations

import base64
import html
import zlib

import pytest

from harness.browser import find_auto_post_form
from harness.mock_1177_idp.binding import BindingError, decode_post, decode_redirect, post_form


def _deflate(data: bytes) -> str:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return base64.b64encode(compressor.compress(data) + compressor.flush()).decode()


def test_post_form_carries_response_and_relay_state_escaped() -> None:
    page = post_form('https://sp/acs?a=1&b="2"', b"<samlp:Response/>", '"/><script>alert(1)</script>')
    assert "<script>alert" not in page and 'onload="document.forms[0].submit()"' in page
    form = find_auto_post_form(page, "https://idp/")
    assert form is not None
    assert form.action == 'https://sp/acs?a=1&b="2"'
    assert base64.b64decode(form.fields["SAMLResponse"]) == b"<samlp:Response/>"
    assert form.fields["RelayState"] == '"/><script>alert(1)</script>'
    assert html.escape('"/>') in page


def test_post_form_without_relay_state_has_no_relay_state_control() -> None:
    form = find_auto_post_form(post_form("https://sp/acs", b"<x/>"), "https://idp/")
    assert form is not None and "RelayState" not in form.fields


def test_redirect_decoding_inflates_raw_deflate() -> None:
    assert decode_redirect(_deflate(b"<samlp:AuthnRequest/>")) == b"<samlp:AuthnRequest/>"
    assert decode_post(base64.b64encode(b"<a/>").decode()) == b"<a/>"


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("%%%not base64%%%", "base64"),
        (base64.b64encode(b"plain text, not deflate").decode(), "DEFLATE"),
        (base64.b64encode(zlib.compress(b"<a/>")).decode(), "DEFLATE"),  # zlib header: not raw DEFLATE
        (_deflate(b"<a>" + b"x" * 300_000 + b"</a>"), "allowed size"),
        (_deflate(b"<samlp:AuthnRequest/>")[:-6], "base64|truncated"),
    ],
)
def test_bad_redirect_values_raise_clear_errors(value: str, reason: str) -> None:
    with pytest.raises(BindingError, match=reason):
        decode_redirect(value)
