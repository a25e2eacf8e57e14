"""``--mask-personal-data``: take personnummer and names out of a report that leaves the test environment.

Personnummer are found by shape in every text (12 or 10 digits, with or without ``-``/``+``,
with a plausible birth date; Skatteverket's format, see harness/personnummer.py), including values
split by an injected XML comment. Names are not recognisable by shape, so they are taken from the
name attributes of every decoded SAML message in the evidence and masked wherever they occur, also
URL-, HTML- and JSON-escaped. The raw base64 SAML (a form field, a query parameter, a hidden input)
cannot be masked in place: it is replaced by a pointer to the decoded, masked view.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, fields, is_dataclass, replace
from typing import Any, TypeVar, cast
from urllib.parse import quote, quote_plus

from harness.core.xml import UnsafeXmlError, parse_xml
from harness.report.evidence import BodyKind, MessageView
from harness.report.model import ReportModel

__all__ = ["NAME_ATTRIBUTES", "Masker", "mask_model", "names_in_saml"]

PERSONNUMMER_MASK = "[personnummer]"
NAME_MASK = "[name]"
SAML_PLACEHOLDER = "[removed: personal data; see the decoded, masked SAML message below]"
BINARY_MASKED = "bytes, binary (hex head withheld in a masked report)"

# Attributes that carry a person's name: Sweden Connect Attribute Specification §2 (givenName,
# sn, displayName, cn by OID) and the CGI/Inera legacy names used towards 1177 services.
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
_MIN_NAME_PART = 3  # "de", "af" and initials would mask ordinary words

# YYYYMMDD or YYMMDD, then an optional -/+, then the four last digits; the day may carry +60
# (samordningsnummer). Digit-bounded, not word-bounded: "pnr195006262546" is masked too.
_DATE = r"(?:0[1-9]|1[0-2])(?:[0-3]\d|[6-9]\d)"
_PERSONNUMMER = re.compile(rf"(?<!\d)(?:(?:18|19|20)\d\d|\d\d){_DATE}[-+]?\d{{4}}(?!\d)")
# A number split by comments, the CVE-2017-11427 shape: 19500626<!---->2546.
_COMMENT_SPLIT = re.compile(r"(?<!\d)[\d+-]*\d(?:<!--.{0,200}?-->[\d+-]*)+\d[\d+-]*", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
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

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Masker:
    """Masks one report's personal data; the names come from the report's own SAML evidence."""

    names: re.Pattern[str] | None = None  # every known name and its escaped forms, or None

    @classmethod
    def for_names(cls, names: Iterable[str]) -> Masker:
        return cls(_names_pattern(tuple(sorted(set(names)))))

    def text(self, value: str) -> str:
        value = _RAW_SAML_PARAMETER.sub(lambda m: f"{m.group(1)}={SAML_PLACEHOLDER}", value)
        value = _HIDDEN_SAML_INPUT.sub(lambda m: _INPUT_VALUE.sub(_placeholder_value, m.group(1)), value)
        value = _COMMENT_SPLIT.sub(_mask_if_split_personnummer, value)
        value = _PERSONNUMMER.sub(PERSONNUMMER_MASK, value)
        return self.names.sub(NAME_MASK, value) if self.names is not None else value


def mask_model(model: ReportModel) -> ReportModel:
    """The same report with every personnummer and SAML-released name masked, in every text field."""
    names: set[str] = set()
    for scenario in model.scenarios:
        for exchange in scenario.evidence:
            for saml in exchange.saml:
                names |= names_in_saml(saml.xml)
    masked = _walk(model, Masker.for_names(names))
    return replace(masked, masked=True)


def names_in_saml(xml_text: str) -> set[str]:
    """Values of the name attributes (NAME_ATTRIBUTES) in one SAML message, parsed or not."""
    try:
        root = parse_xml(xml_text.encode("utf-8"))
    except UnsafeXmlError:
        return _names_by_pattern(xml_text)
    found: set[str] = set()
    for attribute in root.iter("{urn:oasis:names:tc:SAML:2.0:assertion}Attribute"):
        keys = {attribute.get("Name", "").lower(), attribute.get("FriendlyName", "").lower()}
        if keys & NAME_ATTRIBUTES:
            for value in attribute.iter("{urn:oasis:names:tc:SAML:2.0:assertion}AttributeValue"):
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


def _name_variants(names: Iterable[str]) -> set[str]:
    """Each name, its words, and the escaped forms they take in URLs, HTML and JSON bodies."""
    plain: set[str] = set()
    for name in names:
        plain.add(name)
        plain.update(part for part in name.split() if len(part) >= _MIN_NAME_PART)
    variants: set[str] = set()
    for name in plain:
        variants |= {
            name,
            html.escape(name),
            name.encode("ascii", "xmlcharrefreplace").decode("ascii"),
            quote(name),
            quote_plus(name),
            json.dumps(name)[1:-1],
        }
    return {v for v in variants if v}


def _names_pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    if not names:
        return None
    alternatives = sorted(_name_variants(names), key=len, reverse=True)
    body = "|".join(re.escape(v) for v in alternatives)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)


def _placeholder_value(match: re.Match[str]) -> str:
    return f'{match.group(1)}"{SAML_PLACEHOLDER}"'


def _mask_if_split_personnummer(match: re.Match[str]) -> str:
    joined = _COMMENT.sub("", match.group())
    return PERSONNUMMER_MASK if _PERSONNUMMER.search(joined) else match.group()


def _walk(value: T, masker: Masker) -> T:
    """Apply the masker to every string inside a tree of frozen dataclasses and tuples."""
    if isinstance(value, MessageView) and value.kind is BodyKind.BINARY:
        # A hex head can spell a personnummer in ASCII; the length stays as evidence.
        return cast(
            T, replace(value, headers=_walk(value.headers, masker), text=f"{value.length} {BINARY_MASKED}")
        )
    if isinstance(value, str):
        masked = masker.text(value)
        return value if masked == value else cast(T, masked)
    if isinstance(value, tuple):
        return cast(T, tuple(_walk(item, masker) for item in value))
    if is_dataclass(value) and not isinstance(value, type):
        changes: dict[str, Any] = {f.name: _walk(getattr(value, f.name), masker) for f in fields(value)}
        return cast(T, replace(value, **changes))
    return value
