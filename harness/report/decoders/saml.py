"""The SP suite's evidence decoder: SAML messages inside URLs, forms and auto-post pages.

Finding and decoding follow SAML Bindings 3.4 and 3.5 (harness.saml_bindings). The names a
Response releases are its name attributes: Sweden Connect Attribute Specification §2 (givenName,
sn, displayName, cn by OID) and the legacy names used towards 1177 services. The raw base64
message (a form field, a query parameter, a hidden input) cannot be masked in place: a masked
report replaces it with a pointer to the decoded, masked view.
"""

from __future__ import annotations

import html
import re

from harness.core.exchange import Exchange
from harness.core.xml import NS, UnsafeXmlError, parse_xml
from harness.report.decoding import DecodedPart, PartKind, PersonalData
from harness.saml_bindings import DecodedSaml, find_saml

__all__ = ["NAME_ATTRIBUTES", "SAML_PLACEHOLDER", "SamlDecoder", "names_in_saml"]

SAML_PLACEHOLDER = "[removed: personal data; see the decoded, masked SAML message]"

NAME_ATTRIBUTES = frozenset(
    name.lower()
    for name in (
        "urn:oid:2.5.4.42",  # givenName (förnamn)
        "urn:oid:2.5.4.4",  # sn (efternamn)
        "urn:oid:2.5.4.3",  # cn
        "urn:oid:2.16.840.1.113730.3.1.241",  # displayName
        "givenName",
        "sn",
        "surname",
        "cn",
        "commonName",
        "displayName",
        "Subject_GivenName",
        "Subject_Surname",
        "Subject_CommonName",
        "Subject_DisplayName",
    )
)

_ATTRIBUTE = f"{{{NS['saml']}}}Attribute"
_ATTRIBUTE_VALUE = f"{{{NS['saml']}}}AttributeValue"
_MAX_SCANNED_BODY = 4_000_000  # an auto-post page is a few kB; a larger body holds no SAML form
_RAW_SAML_PARAMETER = re.compile(r"\b(SAMLRequest|SAMLResponse)=[^&\s\"'<>]*")
_HIDDEN_SAML_INPUT = re.compile(
    r"""(<input\b[^>]*\bname\s*=\s*["']?SAML(?:Request|Response)\b[^>]*>)""", re.IGNORECASE
)
_INPUT_VALUE = re.compile(r"""(\bvalue\s*=\s*)(?:"[^"]*"|'[^']*'|[^\s"'>]+)""", re.IGNORECASE)
_ATTRIBUTE_FALLBACK = re.compile(
    r"""<(?:\w+:)?Attribute\b[^>]*\b(?:Friendly)?Name\s*=\s*["']([^"']+)["'][^>]*>(.*?)</(?:\w+:)?Attribute>""",
    re.DOTALL,
)
_VALUE_FALLBACK = re.compile(r"<(?:\w+:)?AttributeValue\b[^>]*>([^<]*)<", re.DOTALL)


class SamlDecoder:
    """Decodes every SAMLRequest/SAMLResponse an exchange carries (EvidenceDecoder)."""

    name = "saml"

    def decode(self, exchange: Exchange) -> tuple[DecodedPart, ...]:
        return tuple(self._part(saml) for saml in _saml_in(exchange))

    def personal_data(self, exchange: Exchange) -> PersonalData:
        names: set[str] = set()
        for saml in _saml_in(exchange):
            names |= names_in_saml(saml.xml)
        return PersonalData(names=frozenset(names))

    def conceal(self, text: str) -> str:
        if "SAML" not in text:
            return text
        text = _RAW_SAML_PARAMETER.sub(lambda m: f"{m.group(1)}={SAML_PLACEHOLDER}", text)
        return _HIDDEN_SAML_INPUT.sub(lambda m: _INPUT_VALUE.sub(_placeholder_value, m.group(1)), text)

    def _part(self, saml: DecodedSaml) -> DecodedPart:
        return DecodedPart(
            decoder=self.name,
            title=f"Decoded {saml.parameter} ({saml.binding} binding)",
            where=saml.carrier,
            kind=PartKind.XML if saml.pretty else PartKind.TEXT,
            text=saml.xml,
            problem=saml.problem,
        )


def _saml_in(exchange: Exchange) -> tuple[DecodedSaml, ...]:
    return find_saml(
        url=exchange.url,
        request_body=_text(exchange.request_body),
        request_content_type=exchange.request_header("Content-Type") or "",
        response_body=_text(exchange.response_body),
        response_location=exchange.response_header("Location") or "",
    )


def _text(body: bytes) -> str:
    if len(body) > _MAX_SCANNED_BODY or b"SAML" not in body:
        return ""
    return body.decode("utf-8", errors="replace")


def names_in_saml(xml_text: str) -> set[str]:
    """Values of the name attributes (NAME_ATTRIBUTES) in one SAML message, parsed or not."""
    try:
        root = parse_xml(xml_text.encode("utf-8"))
    except UnsafeXmlError:
        return _names_by_pattern(xml_text)
    found: set[str] = set()
    for attribute in root.iter(_ATTRIBUTE):
        keys = {attribute.get("Name", "").lower(), attribute.get("FriendlyName", "").lower()}
        if keys & NAME_ATTRIBUTES:
            for value in attribute.iter(_ATTRIBUTE_VALUE):
                pieces = [str(p) for p in value.itertext()]  # comment text is not included
                found.add("".join(pieces))
                found.update(pieces)  # a value split by an injected comment
    return {n.strip() for n in found if n.strip()}


def _names_by_pattern(xml_text: str) -> set[str]:
    """A message the hardened parser refused (a DTD, say) still shows its names: find them by shape."""
    found: set[str] = set()
    for match in _ATTRIBUTE_FALLBACK.finditer(xml_text):
        if match.group(1).lower() in NAME_ATTRIBUTES:
            found |= {html.unescape(v).strip() for v in _VALUE_FALLBACK.findall(match.group(2))}
    return {n for n in found if n}


def _placeholder_value(match: re.Match[str]) -> str:
    return f'{match.group(1)}"{SAML_PLACEHOLDER}"'
