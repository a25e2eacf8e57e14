"""Pluggable evidence decoders: what a protocol adds to the report, without the report knowing it.

The report shows every exchange as HTTP (headers, bodies as text, XML and JSON pretty-printed).
A suite brings decoders for its protocol: the SP suite's SAML decoder finds the SAML messages
inside URLs and forms, the producer suite's SOAP decoder shows envelopes and faults. A decoder
also says which personal data its messages carry, so ``--mask-personal-data`` can mask names that
no pattern could recognise, and conceals encoded copies of it that masking cannot reach.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from harness.core.exchange import Exchange

__all__ = [
    "DecodedPart",
    "EvidenceDecoder",
    "PartKind",
    "PersonalData",
    "decode_exchange",
    "personal_data_of",
]


class PartKind(StrEnum):
    XML = "xml"  # pretty-printed by the hardened parser: safe to highlight
    TEXT = "text"  # anything else, shown as it is


@dataclass(frozen=True, slots=True)
class DecodedPart:
    """One thing a decoder found in an exchange, decoded for people to read."""

    decoder: str  # the decoder's name ("saml", "soap")
    title: str  # what it is: "SAMLResponse (HTTP-POST binding)", "SOAP Fault soap:Server"
    where: str  # where it was found: "request form body", "response body", ...
    kind: PartKind
    text: str
    problem: str = ""  # why it could not be decoded or parsed, in plain words
    fault: bool = False  # the message reports an error of its own (a SOAP Fault): shown apart


@dataclass(frozen=True, slots=True)
class PersonalData:
    """What identifies a person in some evidence, beyond what a pattern finds (personnummer)."""

    names: frozenset[str] = field(default_factory=frozenset)
    identifiers: frozenset[str] = field(default_factory=frozenset)  # e.g. a reserve number


class EvidenceDecoder(Protocol):
    """What one protocol adds to the report. Every method takes hostile input and never raises."""

    @property
    def name(self) -> str: ...

    def decode(self, exchange: Exchange) -> Sequence[DecodedPart]:
        """The protocol messages this exchange carries, decoded; empty when it carries none."""
        ...

    def personal_data(self, exchange: Exchange) -> PersonalData:
        """Names and identifiers inside this exchange's messages, to be masked wherever they occur."""
        ...

    def conceal(self, text: str) -> str:
        """``text`` with encoded copies of personal data (base64, compressed) replaced by a pointer."""
        ...


def decode_exchange(exchange: Exchange, decoders: Iterable[EvidenceDecoder]) -> tuple[DecodedPart, ...]:
    """Every decoder's parts for one exchange, in decoder order."""
    return tuple(part for decoder in decoders for part in decoder.decode(exchange))


def personal_data_of(exchanges: Iterable[Exchange], decoders: Sequence[EvidenceDecoder]) -> PersonalData:
    names: set[str] = set()
    identifiers: set[str] = set()
    for exchange in exchanges:
        for decoder in decoders:
            found = decoder.personal_data(exchange)
            names |= found.names
            identifiers |= found.identifiers
    return PersonalData(frozenset(names), frozenset(identifiers))
