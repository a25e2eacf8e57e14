"""Engagement index messages: ``Update`` and ``FindContent`` (itintegration:engagementindex 1.0).

``EngagementType`` (``itintegration_engagementindex_1.0.xsd``), in schema order:
registeredResidentIdentification, serviceDomain, categorization, logicalAddress,
businessObjectInstanceIdentifier, clinicalProcessInterestId, mostRecentContent?, sourceSystem,
creationTime?, updateTime?, dataController, owner?. A post's key is SHA-256 over resident, domain,
categorization, logicalAddress, businessObjectInstanceIdentifier, sourceSystem, dataController,
owner and clinicalProcessInterestId, concatenated (SKLTP EI ``entity/model/util/Hash.java``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from lxml import etree

from harness.contracts.platform import EI_CORE_NS, FIND_CONTENT_1_0, UPDATE_1_0

__all__ = [
    "CORE_NS",
    "ENGAGEMENT_FIELDS",
    "FIND_CONTENT_NS",
    "UPDATE_NS",
    "Engagement",
    "EngagementTransaction",
    "FindContentQuery",
    "engagement_element",
    "find_content_response",
    "parse_find_content",
    "parse_update",
    "update_response",
]

CORE_NS = EI_CORE_NS
UPDATE_NS = UPDATE_1_0.namespace
FIND_CONTENT_NS = FIND_CONTENT_1_0.namespace

ENGAGEMENT_FIELDS = (
    "registeredResidentIdentification",
    "serviceDomain",
    "categorization",
    "logicalAddress",
    "businessObjectInstanceIdentifier",
    "clinicalProcessInterestId",
    "mostRecentContent",
    "sourceSystem",
    "creationTime",
    "updateTime",
    "dataController",
    "owner",
)
_KEY_FIELDS = (
    "registeredResidentIdentification",
    "serviceDomain",
    "categorization",
    "logicalAddress",
    "businessObjectInstanceIdentifier",
    "sourceSystem",
    "dataController",
    "owner",
    "clinicalProcessInterestId",
)


@dataclass(frozen=True, slots=True)
class Engagement:
    """One engagement post; ``fields`` maps an element name to its text ("" for an empty element).

    A field absent from the message is absent from ``fields`` (the rules tell "missing" from
    "empty" only for the forbidden and optional elements).
    """

    fields: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, values: Mapping[str, str | None]) -> Engagement:
        return cls(tuple((n, v) for n in ENGAGEMENT_FIELDS if (v := values.get(n)) is not None))

    def get(self, name: str) -> str | None:
        return next((v for n, v in self.fields if n == name), None)

    def value(self, name: str) -> str:
        return self.get(name) or ""

    def has(self, name: str) -> bool:
        return any(n == name for n, _ in self.fields)

    def key(self, owner: str | None) -> str:
        """The post's id as SKLTP computes it, with ``owner`` as the owner."""
        parts = ((owner or "") if n == "owner" else self.value(n) for n in _KEY_FIELDS)
        return hashlib.sha256("".join(parts).encode("utf-8")).hexdigest()

    def with_fields(self, **values: str | None) -> Engagement:
        merged: dict[str, str | None] = dict(self.fields)
        merged.update(values)
        return Engagement.of(merged)


@dataclass(frozen=True, slots=True)
class EngagementTransaction:
    delete: bool
    engagement: Engagement
    delete_flag_text: str = ""  # as written, for the rule that it be a boolean


@dataclass(frozen=True, slots=True)
class FindContentQuery:
    """``FindContent`` criteria; all but resident and service domain optional."""

    registered_resident_identification: str
    service_domain: str
    filters: tuple[tuple[str, str], ...] = ()  # other EngagementType fields to match exactly
    most_recent_content: str | None = None  # posts with mostRecentContent >= this


def parse_update(body: etree._Element) -> tuple[EngagementTransaction, ...]:
    """The transactions of an ``Update`` body element, in order."""
    return tuple(_transaction(t) for t in body.iterchildren(f"{{{UPDATE_NS}}}engagementTransaction"))


def _transaction(element: etree._Element) -> EngagementTransaction:
    flag = _text(element.find(f"{{{CORE_NS}}}deleteFlag")) or ""
    engagement = element.find(f"{{{CORE_NS}}}engagement")
    values = {} if engagement is None else _fields(engagement, CORE_NS)
    return EngagementTransaction(flag.strip() in ("true", "1"), Engagement.of(values), flag)


def _fields(element: etree._Element, namespace: str) -> dict[str, str | None]:
    values: dict[str, str | None] = {}
    for child in element:
        if isinstance(child.tag, str) and etree.QName(child).namespace == namespace:
            values.setdefault(etree.QName(child).localname, _text(child) or "")
    return values


def _text(element: etree._Element | None) -> str | None:
    return None if element is None else "".join(str(t) for t in element.itertext())


def parse_find_content(body: etree._Element) -> FindContentQuery:
    values = _fields(body, FIND_CONTENT_NS)
    resident = values.pop("registeredResidentIdentification", None) or ""
    domain = values.pop("serviceDomain", None) or ""
    most_recent = values.pop("mostRecentContent", None)
    filters = tuple((n, v) for n in ENGAGEMENT_FIELDS if (v := values.get(n)))
    return FindContentQuery(resident, domain, filters, most_recent or None)


def engagement_element(tag: str, engagement: Engagement) -> etree._Element:
    element = etree.Element(tag, nsmap={"core": CORE_NS})
    for name, value in engagement.fields:
        etree.SubElement(element, f"{{{CORE_NS}}}{name}").text = value
    return element


def update_response(result_code: str = "OK", comment: str | None = None) -> etree._Element:
    response = etree.Element(f"{{{UPDATE_NS}}}UpdateResponse", nsmap={"upd": UPDATE_NS})
    etree.SubElement(response, f"{{{UPDATE_NS}}}ResultCode").text = result_code
    if comment:
        etree.SubElement(response, f"{{{UPDATE_NS}}}comment").text = comment
    return response


def find_content_response(engagements: Iterable[Engagement]) -> etree._Element:
    response = etree.Element(f"{{{FIND_CONTENT_NS}}}FindContentResponse", nsmap={"fc": FIND_CONTENT_NS})
    for engagement in engagements:
        response.append(engagement_element(f"{{{FIND_CONTENT_NS}}}engagement", engagement))
    return response
