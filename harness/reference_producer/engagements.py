"""Engagement-index posts for the journal's records, and the Update message that carries them.

One post per patient, service domain, categorization, source system and data controller (the key
fields of TKB itintegration:engagementindex, "Del av instansens unikhet"). The clinicalprocess TKBs'
§4 tables fix the values: serviceDomain without ``urn:``, categorization per contract,
logicalAddress == sourceSystem, businessObjectInstanceIdentifier and clinicalProcessInterestId "NA",
dataController "SE"+organisationsnummer; owner, creationTime and updateTime "ska inte användas" by a
source system; a reserve number never (its linked personnummer instead, or no post).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from lxml import etree

from harness.core.soap import build_envelope
from harness.reference_producer.contracts import EI_CATEGORIZATION, EI_SERVICE_DOMAIN
from harness.reference_producer.model import Record
from harness.reference_producer.xmlout import Ns, bool_text

__all__ = [
    "MAX_POSTS_PER_UPDATE",
    "UPDATE_SOAP_ACTION",
    "Engagement",
    "EngagementKey",
    "Transaction",
    "engagement_key",
    "deletion",
    "engagements_of",
    "update_element",
    "update_messages",
]

UPDATE_NS = "urn:riv:itintegration:engagementindex:UpdateResponder:1"
EI_NS = "urn:riv:itintegration:engagementindex:1"
UPDATE_SOAP_ACTION = f"{UPDATE_NS}:Update"
MAX_POSTS_PER_UPDATE = (
    1000  # TKB engagementindex: "För den nationella instansen är max antal poster satt till 1000"
)

EngagementKey = tuple[str, str, str, str, str]  # resident, domain, categorization, source system, controller


@dataclass(frozen=True, slots=True)
class Engagement:
    resident: str  # registeredResidentIdentification: personnummer or samordningsnummer, 12 characters
    service_domain: str
    categorization: str
    logical_address: str
    source_system: str
    data_controller: str
    most_recent_content: str | None = None
    business_object_instance_identifier: str = "NA"
    clinical_process_interest_id: str = "NA"
    # Set by the EI, never by a source system; here so that an engagement can be written as received.
    creation_time: str | None = None
    update_time: str | None = None
    owner: str | None = None

    @property
    def key(self) -> EngagementKey:
        return (
            self.resident,
            self.service_domain,
            self.categorization,
            self.source_system,
            self.data_controller,
        )


@dataclass(frozen=True, slots=True)
class Transaction:
    delete: bool
    engagement: Engagement


def engagement_key(record: Record) -> EngagementKey | None:
    """The post a record belongs to, or None for a reserve number with no linked national identity."""
    if record.national_id is None:
        return None
    return (
        record.national_id.value,
        EI_SERVICE_DOMAIN[record.kind],
        EI_CATEGORIZATION[record.kind],
        record.source_system,
        record.care_giver.data_controller,
    )


def engagements_of(records: Iterable[Record]) -> dict[EngagementKey, Engagement]:
    """The posts for these records, each with its latest change as mostRecentContent."""
    latest: dict[EngagementKey, str] = {}
    for record in records:
        key = engagement_key(record)
        if key is not None:
            latest[key] = max(latest.get(key, ""), record.changed_at)
    return {key: _engagement(key, when) for key, when in latest.items()}


def _engagement(key: EngagementKey, most_recent: str | None) -> Engagement:
    resident, domain, categorization, source, controller = key
    return Engagement(resident, domain, categorization, source, source, controller, most_recent)


def deletion(key: EngagementKey) -> Transaction:
    """deleteFlag true, without mostRecentContent (Inera's Update schematron: not when deleting)."""
    return Transaction(True, _engagement(key, None))


def _write(ns: Ns, parent: etree._Element, engagement: Engagement) -> None:
    element = ns.el(parent, "engagement")
    ns.el(element, "registeredResidentIdentification", engagement.resident)
    ns.el(element, "serviceDomain", engagement.service_domain)
    ns.el(element, "categorization", engagement.categorization)
    ns.el(element, "logicalAddress", engagement.logical_address)
    ns.el(element, "businessObjectInstanceIdentifier", engagement.business_object_instance_identifier)
    ns.el(element, "clinicalProcessInterestId", engagement.clinical_process_interest_id)
    ns.opt(element, "mostRecentContent", engagement.most_recent_content)
    ns.el(element, "sourceSystem", engagement.source_system)
    ns.opt(element, "creationTime", engagement.creation_time)
    ns.opt(element, "updateTime", engagement.update_time)
    ns.el(element, "dataController", engagement.data_controller)
    ns.opt(element, "owner", engagement.owner)


def update_element(transactions: Sequence[Transaction]) -> etree._Element:
    update, core = Ns(UPDATE_NS), Ns(EI_NS)
    root = update.root("Update", {"u": UPDATE_NS, "ei": EI_NS})
    for transaction in transactions:
        wrapper = update.el(root, "engagementTransaction")
        core.el(wrapper, "deleteFlag", bool_text(transaction.delete))
        _write(core, wrapper, transaction.engagement)
    return root


def update_messages(transactions: Sequence[Transaction], ei_logical_address: str) -> list[bytes]:
    """SOAP envelopes of at most 1000 posts each, addressed to the EI's logical address."""
    return [
        build_envelope(
            update_element(transactions[i : i + MAX_POSTS_PER_UPDATE]), logical_address=ei_logical_address
        )
        for i in range(0, len(transactions), MAX_POSTS_PER_UPDATE)
    ]
