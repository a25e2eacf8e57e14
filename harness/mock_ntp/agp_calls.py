"""The AGP's outgoing calls: ``FindContent`` on the engagement index, and one call per source system
through the VP (LogicalAddress = the source system, the consumer's body unchanged), each recorded.

Headers to the VP, as SKLTP AGP sends them on its internal call (``route/AgpRoute.java``,
``processors/CreateFindContentProcessor.java``): ``x-vp-sender-id`` (the incoming consumer) and
``x-vp-instance-id``, the original consumer, the correlation id, and the consumer's SOAPAction.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from lxml import etree

from harness.contracts import ContractVersion
from harness.contracts.ei import Engagement, FindContentQuery, build_find_content, read_find_content_response
from harness.core.soap import (
    LOGICAL_ADDRESS_NS,
    SOAP11_NS,
    SOAP_CONTENT_TYPE,
    WSA_NS,
    SoapError,
    build_envelope,
    parse_envelope,
)
from harness.core.xml import parse_xml
from harness.mock_ntp.agp_merge import SourceOutcome
from harness.mock_ntp.evidence import ExchangeSink
from harness.mock_ntp.forward import Forwarder, ProducerAnswer, ProducerFailure
from harness.mock_ntp.vp_headers import CORRELATION_ID, ORIGINAL_CONSUMER, VP_INSTANCE_ID, VP_SENDER_ID

if TYPE_CHECKING:
    from harness.mock_ntp.agp import AgpSettings

__all__ = ["AgpError", "SourceCaller", "find_content", "with_logical_address"]

_MAX_BYTES = 16_000_000


class AgpError(Exception):
    """The AGP cannot aggregate this call; answered as a SOAP fault (soap:Server)."""


async def find_content(
    client: Forwarder,
    settings: AgpSettings,
    contract: ContractVersion,
    patient_id: str,
    recorder: ExchangeSink,
    incoming: Mapping[str, str],
) -> tuple[Engagement, ...]:
    """The EI's posts for the patient and the contract's serviceDomain and categorization."""
    query = FindContentQuery(
        patient_id, contract.ei_service_domain, categorization=contract.ei_categorization
    )
    body = build_envelope(build_find_content(query), logical_address=settings.identities.ei)
    headers = {
        "Content-Type": SOAP_CONTENT_TYPE,
        VP_SENDER_ID: settings.identities.agp,
        VP_INSTANCE_ID: settings.identities.vp_instance,
        CORRELATION_ID: incoming.get(CORRELATION_ID, ""),
    }
    answer, _ = await client.post_and_record(
        settings.ei_url,
        body,
        headers,
        connect_s=settings.connect_timeout_s,
        timeout_s=settings.ei_timeout_s,
        recorder=recorder,
        peer=settings.identities.ei,
        tags=("agp", "agp-ei"),
    )
    if isinstance(answer, ProducerFailure) or answer.status != 200:
        raise AgpError("the engagement index did not answer FindContent")
    try:
        element = parse_envelope(answer.body, max_bytes=_MAX_BYTES).body
        return read_find_content_response(element) if element is not None else ()
    except (SoapError, ValueError):
        raise AgpError("the engagement index's FindContent answer cannot be read") from None


class SourceCaller:
    """Calls one source system through the VP on behalf of the incoming consumer."""

    def __init__(
        self,
        client: Forwarder,
        settings: AgpSettings,
        recorder: ExchangeSink,
        incoming: Mapping[str, str],
        body: bytes,
    ) -> None:
        self._client = client
        self._settings = settings
        self._recorder = recorder
        self._body = body
        self._headers = {
            "Content-Type": SOAP_CONTENT_TYPE,
            VP_SENDER_ID: incoming.get(VP_SENDER_ID, ""),
            VP_INSTANCE_ID: settings.identities.vp_instance,
            ORIGINAL_CONSUMER: incoming.get(ORIGINAL_CONSUMER, ""),
            CORRELATION_ID: incoming.get(CORRELATION_ID, ""),
        }
        if "SOAPAction" in incoming:
            self._headers["SOAPAction"] = incoming["SOAPAction"]

    async def call(self, source: str) -> SourceOutcome:
        s = self._settings
        body = with_logical_address(self._body, source)
        answer, _ = await self._client.post_and_record(
            s.vp_url,
            body,
            self._headers,
            connect_s=s.connect_timeout_s,
            timeout_s=s.producer_timeout_s,
            recorder=self._recorder,
            peer=source,
            tags=("agp", "agp-out"),
        )
        return _outcome(source, answer)


def _outcome(source: str, answer: ProducerAnswer | ProducerFailure) -> SourceOutcome:
    now = datetime.now(UTC)
    if isinstance(answer, ProducerFailure):
        code = "504" if answer.kind == "ReadTimeoutException" else "43000"
        return SourceOutcome(source, None, code, answer.message, now)
    try:
        envelope = parse_envelope(answer.body, max_bytes=_MAX_BYTES)
    except SoapError:
        return SourceOutcome(source, None, "43000", f"HTTP {answer.status}: the answer is not SOAP", now)
    if envelope.fault is not None:
        return SourceOutcome(source, None, str(answer.status), envelope.fault.string, now)
    if answer.status != 200 or envelope.body is None:
        return SourceOutcome(source, None, "43000", f"HTTP {answer.status} without a response element", now)
    return SourceOutcome(source, envelope.body, at=now)


def with_logical_address(envelope: bytes, logical_address: str) -> bytes:
    """The envelope with its address header replaced by ``<LogicalAddress>`` (RIVTA BP 2.1)."""
    root = parse_xml(envelope, max_bytes=_MAX_BYTES)
    header = root.find(f"{{{SOAP11_NS}}}Header")
    if header is None:
        header = etree.Element(f"{{{SOAP11_NS}}}Header")
        root.insert(0, header)
    for old in [h for h in header if h.tag in (f"{{{LOGICAL_ADDRESS_NS}}}LogicalAddress", f"{{{WSA_NS}}}To")]:
        header.remove(old)
    address = etree.Element(f"{{{LOGICAL_ADDRESS_NS}}}LogicalAddress", nsmap={"itr": LOGICAL_ADDRESS_NS})
    address.text = logical_address
    header.insert(0, address)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
