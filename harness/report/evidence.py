"""Recorded exchanges as the report shows them: headers, bodies as text, protocol messages decoded.

Bodies come from the system under test and are hostile input. Nothing here interprets them
beyond decoding: XML goes through the hardened parser only, binary stays binary (length and a
hex head), and characters that XML 1.0 cannot carry are spelled out so every output stays valid.
What a protocol adds (SAML inside URLs and forms, SOAP envelopes) comes from the suite's
decoders (harness.report.decoding); this module knows no protocol.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum

from harness.core.exchange import Exchange
from harness.core.xml import pretty_xml
from harness.report.decoding import DecodedPart, EvidenceDecoder, decode_exchange

__all__ = [
    "MAX_BODY_CHARS",
    "BodyKind",
    "ExchangeView",
    "MessageView",
    "iso_instant",
    "printable",
    "render_exchange",
    "render_message",
]

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
    decoded: tuple[DecodedPart, ...]  # what the suite's decoders found (SAML messages, SOAP envelopes)


def printable(text: str) -> str:
    """Spell out control characters (``\\x1b``) so JSON, XML and HTML outputs can carry the text."""
    return _UNPRINTABLE.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def iso_instant(moment: datetime) -> str:
    """ISO 8601 with an offset; a naive time is taken as UTC (the harness records UTC throughout)."""
    return (moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)).isoformat()


def render_exchange(exchange: Exchange, decoders: Sequence[EvidenceDecoder] = ()) -> ExchangeView:
    request = render_message(exchange.request_headers, exchange.request_body)
    response = render_message(exchange.response_headers, exchange.response_body)
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
        decoded=tuple(_printable_part(p) for p in decode_exchange(exchange, decoders)),
    )


def render_message(headers: tuple[tuple[str, str], ...], body: bytes) -> MessageView:
    clean_headers = tuple((printable(k), printable(v)) for k, v in headers)
    content_type = next((v for k, v in clean_headers if k.lower() == "content-type"), "")
    if not body:
        return MessageView(clean_headers, content_type, 0, BodyKind.EMPTY, "")
    kind, text = _body_text(content_type, body)
    text, truncated = _shortened(text)
    return MessageView(clean_headers, content_type, len(body), kind, text, truncated)


def _shortened(text: str) -> tuple[str, bool]:
    if len(text) <= MAX_BODY_CHARS:
        return text, False
    return f"{text[:MAX_BODY_CHARS]}\n[... {len(text) - MAX_BODY_CHARS} more characters not shown]", True


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


def _printable_part(part: DecodedPart) -> DecodedPart:
    """A decoder's output is derived from hostile input too: same limits as a body."""
    text, _ = _shortened(printable(part.text))
    return replace(
        part,
        decoder=printable(part.decoder),
        title=printable(part.title),
        where=printable(part.where),
        text=text,
        problem=printable(part.problem),
    )
