"""Find SAML messages in recorded HTTP traffic and decode them for people to read.

Used by the SP suite's checks (what the SP sent, as a person would read it) and by the report's
SAML evidence decoder; neither depends on the other.

Where a SAML message travels (SAML Bindings 3.4 and 3.5): the HTTP-Redirect binding puts
``SAMLRequest``/``SAMLResponse`` in the query string, base64 over raw DEFLATE (Bindings 3.4.4.1);
the HTTP-POST binding puts it in a form field, plain base64 (Bindings 3.5.4), which the browser
first receives as a hidden ``<input>`` of an auto-submitting HTML form.
"""

from __future__ import annotations

import base64
import binascii
import html
import re
import zlib
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from lxml import etree

from harness.core.xml import MAX_XML_BYTES, UnsafeXmlError, parse_xml

__all__ = ["SAML_PARAMETERS", "DecodedSaml", "decode_saml_value", "find_saml"]

SAML_PARAMETERS = ("SAMLRequest", "SAMLResponse")

POST_BINDING = "HTTP-POST"
REDIRECT_BINDING = "HTTP-Redirect"

# <input type="hidden" name="SAMLResponse" value="..."/>, attributes in either order.
_HIDDEN_INPUT = re.compile(r"<input\b[^>]*>", re.IGNORECASE)
_INPUT_NAME = re.compile(r"""\bname\s*=\s*["']?(SAMLRequest|SAMLResponse)\b""", re.IGNORECASE)
_INPUT_VALUE = re.compile(r"""\bvalue\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class DecodedSaml:
    """One SAML message found in an exchange, decoded for people to read."""

    parameter: str  # SAMLRequest or SAMLResponse
    carrier: str  # where it was found: "request query", "request form body", "response Location header", ...
    binding: str  # HTTP-POST or HTTP-Redirect
    xml: str  # pretty-printed XML when it parsed safely, else the decoded text as it came
    pretty: bool  # True when ``xml`` was produced by the hardened parser (safe to highlight)
    problem: str = ""  # why it could not be decoded or parsed, in plain words


def find_saml(
    url: str,
    request_body: str,
    request_content_type: str,
    response_body: str,
    response_location: str,
) -> tuple[DecodedSaml, ...]:
    """Every SAML message carried by one exchange, in the order a reader meets them."""
    found: list[DecodedSaml] = []
    found.extend(_from_query(url, "request query"))
    if "application/x-www-form-urlencoded" in request_content_type.lower():
        for name, value in _saml_pairs(parse_qsl(request_body, keep_blank_values=True)):
            found.append(decode_saml_value(name, value, carrier="request form body", binding=POST_BINDING))
    found.extend(_from_query(response_location, "response Location header"))
    for name, value in _hidden_inputs(response_body):
        found.append(decode_saml_value(name, value, carrier="response HTML form", binding=POST_BINDING))
    return tuple(found)


def decode_saml_value(parameter: str, value: str, *, carrier: str, binding: str) -> DecodedSaml:
    """Decode one parameter value: base64, then raw DEFLATE for the Redirect binding, then XML."""
    try:
        raw = base64.b64decode("".join(value.split()), validate=True)
    except (binascii.Error, ValueError):
        return DecodedSaml(parameter, carrier, binding, xml="", pretty=False, problem="not valid base64")
    if binding == REDIRECT_BINDING:
        inflated = _inflate(raw)
        if inflated is None:
            problem = "not raw DEFLATE data (SAML Bindings 3.4.4.1 requires DEFLATE for HTTP-Redirect)"
            return _as_document(parameter, carrier, binding, raw, problem)
        raw = inflated
    return _as_document(parameter, carrier, binding, raw, "")


def _as_document(parameter: str, carrier: str, binding: str, raw: bytes, problem: str) -> DecodedSaml:
    try:
        root = parse_xml(raw)
    except UnsafeXmlError as exc:
        text = raw[:MAX_XML_BYTES].decode("utf-8", errors="replace")
        why = f"{problem}; {exc}" if problem else str(exc)
        return DecodedSaml(parameter, carrier, binding, xml=text, pretty=False, problem=why)
    pretty = etree.tostring(root, pretty_print=True, encoding="unicode")
    return DecodedSaml(parameter, carrier, binding, xml=pretty, pretty=True, problem=problem)


def _inflate(data: bytes) -> bytes | None:
    """Raw DEFLATE (RFC 1951, no zlib header), bounded so a hostile message cannot balloon."""
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, MAX_XML_BYTES + 1)
    except zlib.error:
        return None
    return out if inflater.eof or len(out) > MAX_XML_BYTES else None


def _from_query(url: str, carrier: str) -> list[DecodedSaml]:
    if not url or "SAML" not in url:
        return []
    query = urlsplit(url).query
    return [
        decode_saml_value(name, value, carrier=carrier, binding=REDIRECT_BINDING)
        for name, value in _saml_pairs(parse_qsl(query, keep_blank_values=True))
    ]


def _saml_pairs(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(name, value) for name, value in pairs if name in SAML_PARAMETERS]


def _hidden_inputs(html_text: str) -> list[tuple[str, str]]:
    if "SAML" not in html_text:
        return []
    found: list[tuple[str, str]] = []
    for tag in _HIDDEN_INPUT.findall(html_text):
        name = _INPUT_NAME.search(tag)
        value = _INPUT_VALUE.search(tag)
        if name and value:
            canonical = next(p for p in SAML_PARAMETERS if p.lower() == name.group(1).lower())
            raw = next(group for group in value.groups() if group is not None)
            found.append((canonical, html.unescape(raw)))
    return found
