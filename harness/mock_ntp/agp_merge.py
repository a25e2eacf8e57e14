"""Building the aggregated answer: the source systems' records merged, and one ``ProcessingStatus``
SOAP header with a status per source system.

ProcessingStatus (``urn:riv:interoperability:headers:1``, ``interoperability_headers_1.0.xsd`` in
skltp/agp ``agp-schemas``) and its fields per status follow SKLTP AGP ``utils/ProcessingStatusUtil.java``:
``DataFromSource`` (not from cache, in synch, lastSuccessfulSynch now) or ``NoDataSynchFailed``
(not from cache, not in synch, lastUnsuccessfulSynch now, and the error: causing agent
``virtualization_platform``, code = the HTTP status of a SOAP fault, ``504`` for a timeout, else
``43000``). The XSD makes lastSuccessfulSynch mandatory; the XSD's table says "Empty" for a failed
source, so it is sent empty.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from lxml import etree

from harness.contracts import PROCESSING_STATUS_NS, ContractVersion

__all__ = ["SourceOutcome", "merge_responses", "processing_status", "read_processing_status"]

_SWEDEN = ZoneInfo("Europe/Stockholm")
DATA_FROM_SOURCE = "DataFromSource"
NO_DATA_SYNCH_FAILED = "NoDataSynchFailed"


@dataclass(frozen=True, slots=True)
class SourceOutcome:
    """What one source system's call through the VP gave."""

    logical_address: str
    response: etree._Element | None  # the <XResponse> element when the call succeeded
    error_code: str = ""  # "500" (SOAP fault), "504" (timeout), "43000" (anything else)
    error_text: str = ""
    at: datetime | None = None

    @property
    def status(self) -> str:
        return DATA_FROM_SOURCE if self.response is not None else NO_DATA_SYNCH_FAILED


def processing_status(outcomes: Sequence[SourceOutcome], now: datetime) -> etree._Element:
    """The ``ProcessingStatus`` header element, one ``ProcessingStatusList`` per source, in call order."""
    root = etree.Element(_tag("ProcessingStatus"), nsmap={"ih": PROCESSING_STATUS_NS})
    stamp = (now if now.tzinfo else now.replace(tzinfo=_SWEDEN)).astimezone(_SWEDEN).strftime("%Y%m%d%H%M%S")
    for outcome in outcomes:
        record = etree.SubElement(root, _tag("ProcessingStatusList"))
        ok = outcome.response is not None
        _add(record, "logicalAddress", outcome.logical_address)
        _add(record, "statusCode", outcome.status)
        _add(record, "isResponseFromCache", "false")
        _add(record, "isResponseInSynch", "true" if ok else "false")
        _add(record, "lastSuccessfulSynch", stamp if ok else "")
        if not ok:
            _add(record, "lastUnsuccessfulSynch", stamp)
            error = etree.SubElement(record, _tag("lastUnsuccessfulSynchError"))
            _add(error, "causingAgent", "virtualization_platform")
            _add(error, "code", outcome.error_code or "43000")
            _add(error, "text", outcome.error_text or "Unknown error")
    return root


def read_processing_status(headers: Iterable[etree._Element]) -> tuple[tuple[str, str], ...]:
    """(logicalAddress, statusCode) per source, from the SOAP headers of an aggregated answer."""
    ns = {"ih": PROCESSING_STATUS_NS}
    return tuple(
        (r.findtext("ih:logicalAddress", "", ns), r.findtext("ih:statusCode", "", ns))
        for h in headers
        for r in h.iterfind("ih:ProcessingStatusList", ns)
    )


def merge_responses(contract: ContractVersion, outcomes: Sequence[SourceOutcome]) -> etree._Element:
    """One ``<XResponse>``: every source's records, then their hasMore, then a fresh OK result."""
    response = etree.Element(contract.response_tag, nsmap={"r": contract.namespace})
    answers = [o.response for o in outcomes if o.response is not None]
    names = [contract.record.element] if contract.record is not None else []
    if contract.has_more:
        names.append("hasMore")
    for name in names:
        for answer in answers:
            for child in answer.findall(f"{{{contract.namespace}}}{name}"):
                response.append(copy.deepcopy(child))
    if contract.result is not None:
        response.append(_ok_result(contract))
    return response


def _ok_result(contract: ContractVersion) -> etree._Element:
    assert contract.result is not None
    shape = contract.result
    result = etree.Element(f"{{{shape.element_ns}}}result")
    etree.SubElement(result, f"{{{shape.child_ns}}}resultCode").text = "OK"
    if shape.has_log_id:
        etree.SubElement(result, f"{{{shape.child_ns}}}logId").text = str(uuid.uuid4())
    return result


def _tag(name: str) -> str:
    return f"{{{PROCESSING_STATUS_NS}}}{name}"


def _add(parent: etree._Element, name: str, text: str) -> None:
    etree.SubElement(parent, _tag(name)).text = text
