"""Recorded exchanges as the report shows them: headers, bodies as text, SAML decoded.

Bodies come from the system under test and are hostile input. Nothing here interprets them
beyond decoding: XML goes through the hardened parser only, binary stays binary (length and a
hex head), and characters that XML 1.0 cannot carry are spelled out so every output stays valid.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from harness.core.exchange import Exchange
from harness.core.xml import pretty_xml
from harness.report.saml_decode import DecodedSaml, find_saml

__all__ = ["BodyKind", "ExchangeView", "MessageView", "iso_instant", "printable", "render_exchange"]

MAX_BODY_CHARS = 200_000  # a report stays loadable; the rest is counted, not shown
HEX_HEAD_BYTES = 48

# C0 controls except tab/newline/carriage return, DEL, lone surrogates, and the two XML 1.0 non-characters.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_BINARY_TYPES = ("image/", "audio/", "video/", "font/", "application/octet-stream", "application/pdf")
_BINARY_TYPES_EXACT = ("application/zip", "application/gzip", "application/x-x509-ca-cert")


class BodyKind(StrEnum):
    EMPTY = "empty"
    TEXT = "text"
    XML = "xml"  # pretty-printed by the hardened parser: safe to highlight
    JSON = "json"
    FORM = "form"
    BINARY = "binary"


@dataclass(frozen=True, slots=True)
class MessageView:
    """One side of an exchange (request or response)."""

    headers: tuple[tuple[str, str], ...]
    content_type: str
    length: int  # bytes as recorded
    kind: BodyKind
    text: str  # the body as text (pretty for XML/JSON), or a binary summary
    truncated: bool = False


@dataclass(frozen=True, slots=True)
class ExchangeView:
    id: str
    direction: str
    method: str
    url: str
    status: int | None
    started: str
    elapsed_ms: float
    peer: str
    tags: tuple[str, ...]
    note: str
    request: MessageView
    response: MessageView
    saml: tuple[DecodedSaml, ...]


def printable(text: str) -> str:
    """Spell out control characters (``\\x1b``) so JSON, XML and HTML outputs can carry the text."""
    return _UNPRINTABLE.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def iso_instant(moment: datetime) -> str:
    """ISO 8601 with an offset; a naive time is taken as UTC (the harness records UTC throughout)."""
    return (moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)).isoformat()


def render_exchange(exchange: Exchange) -> ExchangeView:
    request = render_message(exchange.request_headers, exchange.request_body)
    response = render_message(exchange.response_headers, exchange.response_body)
    saml = find_saml(
        url=exchange.url,
        request_body=request.text if request.kind is BodyKind.FORM else "",
        request_content_type=request.content_type,
        response_body=response.text if response.kind is BodyKind.TEXT else "",
        response_location=exchange.response_header("Location") or "",
    )
    return ExchangeView(
        id=printable(exchange.id),
        direction=exchange.direction.value,
        method=printable(exchange.method),
        url=printable(exchange.url),
        status=exchange.status,
        started=iso_instant(exchange.started),
        elapsed_ms=round(exchange.elapsed_ms, 1),
        peer=printable(exchange.peer),
        tags=tuple(printable(t) for t in exchange.tags),
        note=printable(exchange.note),
        request=request,
        response=response,
        saml=tuple(_printable_saml(s) for s in saml),
    )


def render_message(headers: tuple[tuple[str, str], ...], body: bytes) -> MessageView:
    clean_headers = tuple((printable(k), printable(v)) for k, v in headers)
    content_type = next((v for k, v in clean_headers if k.lower() == "content-type"), "")
    if not body:
        return MessageView(clean_headers, content_type, 0, BodyKind.EMPTY, "")
    kind, text = _body_text(content_type, body)
    truncated = len(text) > MAX_BODY_CHARS
    if truncated:
        text = f"{text[:MAX_BODY_CHARS]}\n[... {len(text) - MAX_BODY_CHARS} more characters not shown]"
    return MessageView(clean_headers, content_type, len(body), kind, text, truncated)


def _body_text(content_type: str, body: bytes) -> tuple[BodyKind, str]:
    media = content_type.split(";", 1)[0].strip().lower()
    if media.startswith(_BINARY_TYPES) or media in _BINARY_TYPES_EXACT or b"\x00" in body[:4096]:
        return BodyKind.BINARY, binary_summary(body)
    text = body.decode(_charset(content_type), errors="replace")
    if media == "application/x-www-form-urlencoded":
        return BodyKind.FORM, printable(text)
    if _looks_like_xml(media, body):
        pretty = pretty_xml(body)
        if pretty is not None:
            return BodyKind.XML, printable(pretty)
    if media == "application/json" or media.endswith("+json"):
        try:
            return BodyKind.JSON, printable(json.dumps(json.loads(text), indent=2, ensure_ascii=False))
        except ValueError:
            pass
    return BodyKind.TEXT, printable(text)


def binary_summary(body: bytes) -> str:
    head = body[:HEX_HEAD_BYTES].hex(" ")
    more = " ..." if len(body) > HEX_HEAD_BYTES else ""
    return f"{len(body)} bytes, binary; first {min(len(body), HEX_HEAD_BYTES)} bytes: {head}{more}"


def _looks_like_xml(media: str, body: bytes) -> bool:
    if "html" in media:
        return False
    return "xml" in media or body.lstrip()[:5] == b"<?xml"


def _charset(content_type: str) -> str:
    match = re.search(r"charset\s*=\s*\"?([\w.:-]+)", content_type, re.IGNORECASE)
    if match is None:
        return "utf-8"
    try:
        "".encode(match.group(1))
    except LookupError:
        return "utf-8"
    return match.group(1)


def _printable_saml(saml: DecodedSaml) -> DecodedSaml:
    return DecodedSaml(
        parameter=saml.parameter,
        carrier=saml.carrier,
        binding=saml.binding,
        xml=printable(saml.xml),
        pretty=saml.pretty,
        problem=printable(saml.problem),
    )
