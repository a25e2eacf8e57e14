"""Evidence rendering: bodies as text, SAML found and decoded in every binding, hostile bytes contained."""

from __future__ import annotations

import base64
import zlib
from urllib.parse import urlencode

from report_samples import (
    AUTHN_REQUEST,
    SOAP_FAULT,
    exchange,
    redirect_value,
    saml_response_xml,
    sample_person,
)

from harness.core.exchange import Exchange
from harness.report.decoders import SamlDecoder
from harness.report.decoding import DecodedPart, PartKind
from harness.report.evidence import MAX_BODY_CHARS, BodyKind, ExchangeView, render_exchange, render_message
from harness.saml_bindings import REDIRECT_BINDING, decode_saml_value

FORM = (("Content-Type", "application/x-www-form-urlencoded"),)


def with_saml(x: Exchange) -> ExchangeView:
    return render_exchange(x, (SamlDecoder(),))


class Shouting:
    """A decoder that finds one huge, control-character-laden part in every exchange."""

    name = "shouting\x07"

    def decode(self, exchange: Exchange) -> tuple[DecodedPart, ...]:
        text = "\x1b" + "A" * (MAX_BODY_CHARS + 5)
        return (DecodedPart(self.name, "t\x00", "w", PartKind.TEXT, text, problem="p\x1b"),)


def test_redirect_binding_saml_request_is_inflated_and_pretty_printed() -> None:
    url = "https://idp.example.test/sso?" + urlencode(
        {"SAMLRequest": redirect_value(AUTHN_REQUEST), "RelayState": "r"}
    )
    view = with_saml(exchange("x1", "GET", url))
    (saml,) = view.decoded
    assert (saml.decoder, saml.title, saml.where) == (
        "saml",
        "Decoded SAMLRequest (HTTP-Redirect binding)",
        "request query",
    )
    assert saml.kind is PartKind.XML and saml.problem == ""
    assert "\n  <saml:Issuer>https://sp.example.test</saml:Issuer>\n" in saml.text


def test_post_binding_saml_response_is_decoded_from_the_form_body() -> None:
    encoded = base64.b64encode(saml_response_xml(sample_person()).encode()).decode()
    body = urlencode({"RelayState": "/x", "SAMLResponse": encoded}).encode()
    view = with_saml(exchange("x1", "POST", "https://sp.example.test/acs", request=(FORM, body)))
    assert view.request.kind is BodyKind.FORM
    (saml,) = view.decoded
    assert (saml.title, saml.where) == ("Decoded SAMLResponse (HTTP-POST binding)", "request form body")
    assert '\n      <saml:Attribute Name="urn:oid:2.5.4.42" FriendlyName="givenName">\n' in saml.text
    # The injected comment is evidence and stays visible (CVE-2017-11427 class).
    assert "19500626<!---->2546" in saml.text


def test_auto_post_page_hidden_input_is_decoded() -> None:
    encoded = base64.b64encode(AUTHN_REQUEST.encode()).decode()
    page = f"<form><input value='{encoded}' type=hidden name=SAMLRequest></form>".encode()
    view = with_saml(exchange("x1", "GET", "https://idp/", response=((("Content-Type", "text/html"),), page)))
    assert [(s.title, s.where) for s in view.decoded] == [
        ("Decoded SAMLRequest (HTTP-POST binding)", "response HTML form")
    ]
    assert view.decoded[0].kind is PartKind.XML


def test_without_decoders_the_report_shows_http_only() -> None:
    url = "https://idp.example.test/sso?" + urlencode({"SAMLRequest": redirect_value(AUTHN_REQUEST)})
    assert render_exchange(exchange("x1", "GET", url)).decoded == ()


def test_decoded_parts_get_the_same_limits_as_bodies() -> None:
    (part,) = render_exchange(exchange("x1", "GET", "https://x/"), (Shouting(),)).decoded
    assert (part.decoder, part.title, part.problem) == ("shouting\\x07", "t\\x00", "p\\x1b")
    assert part.text.startswith("\\x1bAAA")
    assert part.text.endswith("[... 9 more characters not shown]")


def test_saml_with_a_dtd_is_shown_as_sent_and_not_parsed() -> None:
    hostile = '<!DOCTYPE r [<!ENTITY x "boom">]><samlp:Response xmlns:samlp="urn:x">&x;</samlp:Response>'
    saml = decode_saml_value(
        "SAMLResponse", base64.b64encode(hostile.encode()).decode(), carrier="c", binding="HTTP-POST"
    )
    assert not saml.pretty
    assert "DTD" in saml.problem
    assert saml.xml == hostile  # exactly what was sent, the entity not expanded


def test_bad_base64_and_non_deflate_redirect_values_are_reported_not_raised() -> None:
    assert decode_saml_value("SAMLRequest", "%%%not base64", carrier="c", binding="HTTP-POST").problem == (
        "not valid base64"
    )
    plain = base64.b64encode(AUTHN_REQUEST.encode()).decode()
    saml = decode_saml_value("SAMLRequest", plain, carrier="c", binding=REDIRECT_BINDING)
    assert "DEFLATE" in saml.problem
    assert saml.pretty and "<saml:Issuer>" in saml.xml  # still shown: the reader sees what was sent


def test_deflate_bomb_is_cut_off() -> None:
    compressor = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    bomb = compressor.compress(b"<a>" + b"A" * 50_000_000) + compressor.flush()
    saml = decode_saml_value(
        "SAMLRequest", base64.b64encode(bomb).decode(), carrier="c", binding=REDIRECT_BINDING
    )
    assert not saml.pretty
    assert len(saml.xml) <= 1_000_000


def test_binary_body_is_shown_as_length_and_hex_head() -> None:
    view = render_message((("Content-Type", "image/png"),), b"\x89PNG\r\n\x1a\n" + bytes(100))
    assert view.kind is BodyKind.BINARY
    assert view.text.startswith("108 bytes, binary; first 48 bytes: 89 50 4e 47 0d 0a 1a 0a 00")


def test_soap_body_is_pretty_printed_and_control_characters_are_spelled_out() -> None:
    soap = render_message((("Content-Type", "text/xml"),), SOAP_FAULT)
    assert soap.kind is BodyKind.XML
    assert "\n    <soap:Fault>\n" in soap.text
    text = render_message((("Content-Type", "text/plain; charset=latin-1"),), b"bell\x07 \xe5")
    assert text.text == "bell\\x07 å"


def test_huge_bodies_are_shortened_with_the_rest_counted() -> None:
    view = render_message((), b"a" * (MAX_BODY_CHARS + 10))
    assert view.truncated and view.length == MAX_BODY_CHARS + 10
    assert view.text.endswith("[... 10 more characters not shown]")
