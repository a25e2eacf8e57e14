"""Engagement index messages (itintegration:engagementindex 1.0): Update and FindContent, both ways.

Field order is ``EngagementType``'s in ``itintegration_engagementindex_1.0.xsd``. The fields marked
"Del av instansens unikhet" (TKB itintegration:engagementindex §5) form an engagement's key.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields

from lxml import etree

from harness.contracts.model import ContractVersion
from harness.contracts.platform import EI_CORE_NS, FIND_CONTENT_1_0, UPDATE_1_0

__all__ = [
    "Engagement",
    "EngagementTransaction",
    "FindContentQuery",
    "UpdateResult",
    "build_find_content",
    "build_find_content_response",
    "build_update",
    "build_update_response",
    "engagement_for",
    "read_find_content",
    "read_find_content_response",
    "read_update",
    "read_update_response",
]

NA = "NA"  # "anger att attributet inte är tillämpbart" (TKB itintegration:engagementindex §7)


_XSD_NAMES = {
    "registered_resident": "registeredResidentIdentification",
    "service_domain": "serviceDomain",
    "categorization": "categorization",
    "logical_address": "logicalAddress",
    "business_object_instance_id": "businessObjectInstanceIdentifier",
    "clinical_process_interest_id": "clinicalProcessInterestId",
    "most_recent_content": "mostRecentContent",
    "source_system": "sourceSystem",
    "creation_time": "creationTime",
    "update_time": "updateTime",
    "data_controller": "dataController",
    "owner": "owner",
}
_PYTHON_NAMES = {xsd: name for name, xsd in _XSD_NAMES.items()}


@dataclass(frozen=True, slots=True)
class Engagement:
    """An ``EngagementType``; fields in XSD order."""

    registered_resident: str  # registeredResidentIdentification: person- or samordningsnummer, 12 digits
    service_domain: str  # without "urn:", e.g. "riv:clinicalprocess:healthcond:description"
    categorization: str
    logical_address: str
    business_object_instance_id: str = NA
    clinical_process_interest_id: str = NA
    most_recent_content: str | None = None  # YYYYMMDDhhmmss
    source_system: str = ""
    creation_time: str | None = None  # never in an Update (TKB §7 Update: "ska inte användas")
    update_time: str | None = None  # never in an Update
    data_controller: str = ""
    owner: str | None = None  # never in an Update; the index sets it

    @property
    def key(self) -> tuple[str | None, ...]:
        """The instance's identity: every field but mostRecentContent, creationTime and updateTime."""
        skip = {"most_recent_content", "creation_time", "update_time"}
        return tuple(getattr(self, f.name) for f in fields(self) if f.name not in skip)


@dataclass(frozen=True, slots=True)
class EngagementTransaction:
    engagement: Engagement
    delete: bool = False


@dataclass(frozen=True, slots=True)
class UpdateResult:
    result_code: str  # OK, INFO or ERROR
    comment: str | None = None


@dataclass(frozen=True, slots=True)
class FindContentQuery:
    """A ``FindContent`` request; fields in XSD order."""

    registered_resident: str
    service_domain: str
    categorization: str | None = None
    logical_address: str | None = None
    business_object_instance_id: str | None = None
    clinical_process_interest_id: str | None = None
    most_recent_content: str | None = None
    source_system: str | None = None
    data_controller: str | None = None
    owner: str | None = None


def engagement_for(
    contract: ContractVersion,
    resident: str,
    source_system: str,
    data_controller: str,
    most_recent_content: str | None = None,
) -> Engagement:
    """A journal producer's engagement for ``contract``: its EI keys, logicalAddress == sourceSystem, NA ids
    (TKB clinicalprocess:healthcond:description §4 / actoutcome §4 EI tables)."""
    return Engagement(
        registered_resident=resident,
        service_domain=contract.ei_service_domain,
        categorization=contract.ei_categorization,
        logical_address=source_system,
        most_recent_content=most_recent_content,
        source_system=source_system,
        data_controller=data_controller,
    )


def _ns(contract: ContractVersion) -> dict[str, str]:
    return {"urn": contract.namespace, "urn1": EI_CORE_NS}


def _write_fields(parent: etree._Element, value: Engagement | FindContentQuery, namespace: str) -> None:
    for f in fields(value):
        text = getattr(value, f.name)
        if text is not None:
            etree.SubElement(parent, f"{{{namespace}}}{_XSD_NAMES[f.name]}").text = text


def _read_fields(element: etree._Element) -> dict[str, str]:
    """Child values by Python field name; children the type does not define are ignored."""
    values = {etree.QName(c).localname: (c.text or "").strip() for c in element if isinstance(c.tag, str)}
    return {_PYTHON_NAMES.get(name, name): value for name, value in values.items()}


def build_update(transactions: Sequence[EngagementTransaction]) -> etree._Element:
    """The ``<Update>`` request element (send at most 1000 transactions per call)."""
    ns = UPDATE_1_0.namespace
    root = etree.Element(UPDATE_1_0.request_tag, nsmap=_ns(UPDATE_1_0))
    for transaction in transactions:
        wrapper = etree.SubElement(root, f"{{{ns}}}engagementTransaction")
        etree.SubElement(wrapper, f"{{{EI_CORE_NS}}}deleteFlag").text = (
            "true" if transaction.delete else "false"
        )
        _write_fields(
            etree.SubElement(wrapper, f"{{{EI_CORE_NS}}}engagement"), transaction.engagement, EI_CORE_NS
        )
    return root


def read_update(element: etree._Element) -> tuple[EngagementTransaction, ...]:
    """The transactions of an ``<Update>`` element (what the engagement index stores)."""
    _expect(element, UPDATE_1_0.request_tag)
    transactions = []
    for wrapper in element.findall(f"{{{UPDATE_1_0.namespace}}}engagementTransaction"):
        flag = (wrapper.findtext(f"{{{EI_CORE_NS}}}deleteFlag") or "").strip()
        engagement = wrapper.find(f"{{{EI_CORE_NS}}}engagement")
        values = _read_fields(engagement) if engagement is not None else {}
        transactions.append(EngagementTransaction(_engagement(values), delete=flag in ("true", "1")))
    return tuple(transactions)


def build_update_response(result_code: str, comment: str | None = None) -> etree._Element:
    ns = UPDATE_1_0.namespace
    root = etree.Element(UPDATE_1_0.response_tag, nsmap={"urn": ns})
    etree.SubElement(root, f"{{{ns}}}ResultCode").text = result_code
    if comment is not None:
        etree.SubElement(root, f"{{{ns}}}comment").text = comment
    return root


def read_update_response(element: etree._Element) -> UpdateResult:
    _expect(element, UPDATE_1_0.response_tag)
    values = _read_fields(element)
    return UpdateResult(values.get("ResultCode", ""), values.get("comment"))


def build_find_content(query: FindContentQuery) -> etree._Element:
    root = etree.Element(FIND_CONTENT_1_0.request_tag, nsmap=_ns(FIND_CONTENT_1_0))
    _write_fields(root, query, FIND_CONTENT_1_0.namespace)
    return root


def read_find_content(element: etree._Element) -> FindContentQuery:
    _expect(element, FIND_CONTENT_1_0.request_tag)
    values = _read_fields(element)
    known = {f.name for f in fields(FindContentQuery)}
    arguments = {k: v for k, v in values.items() if k in known}
    arguments.setdefault("registered_resident", "")
    arguments.setdefault("service_domain", "")
    return FindContentQuery(**arguments)


def build_find_content_response(engagements: Sequence[Engagement]) -> etree._Element:
    root = etree.Element(FIND_CONTENT_1_0.response_tag, nsmap=_ns(FIND_CONTENT_1_0))
    for engagement in engagements:
        _write_fields(
            etree.SubElement(root, f"{{{FIND_CONTENT_1_0.namespace}}}engagement"), engagement, EI_CORE_NS
        )
    return root


def read_find_content_response(element: etree._Element) -> tuple[Engagement, ...]:
    _expect(element, FIND_CONTENT_1_0.response_tag)
    found = element.findall(f"{{{FIND_CONTENT_1_0.namespace}}}engagement")
    return tuple(_engagement(_read_fields(e)) for e in found)


def _engagement(values: dict[str, str]) -> Engagement:
    known = {f.name for f in fields(Engagement)}
    arguments = {k: v for k, v in values.items() if k in known}
    for required in ("registered_resident", "service_domain", "categorization", "logical_address"):
        arguments.setdefault(required, "")
    return Engagement(**arguments)


def _expect(element: etree._Element, tag: str) -> None:
    if element.tag != tag:
        raise ValueError(f"expected {tag}, got {element.tag}")
