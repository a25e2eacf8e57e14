"""Engagement-index checks: the producer as a consumer of ``Update`` (TKB itintegration:engagementindex
§7; each clinicalprocess domain TKB's §4 table "Uppdatering av engagemangsindex").

Updates are read from the mock EI's evidence (the raw request bodies), so a post the EI refused is
judged as the producer sent it.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from lxml import etree

from harness.contracts import ContractVersion
from harness.contracts.model import MessageRole
from harness.contracts.platform import UPDATE_1_0
from harness.core.exchange import Exchange
from harness.core.findings import Finding, mismatch
from harness.core.soap import SoapError, parse_envelope
from harness.mock_ntp.ei_model import UPDATE_NS, EngagementTransaction, parse_update
from harness.producer_suite.checking import check
from harness.validation import Validator

__all__ = [
    "CATEGORIZATIONS",
    "SentUpdate",
    "addressing",
    "data_controller_format",
    "domain_and_categorization",
    "no_index_fields",
    "read_updates",
    "recent_content_and_address",
    "resident_and_batch",
    "update_valid",
]

# Categorization per serviceDomain (each domain TKB's §4 table; SKLTP aggregating services' plugin configs).
CATEGORIZATIONS = {
    "riv:clinicalprocess:healthcond:description": frozenset({"voo", "dia", "upp", "fun-fun", "pad-pad"}),
    "riv:clinicalprocess:healthcond:actoutcome": frozenset(
        {"und-kkm-ure", "und-bdi-ure", "und-kon-ure", "und-ekg-ure", "utr-mtr"}
    ),
    "riv:clinicalprocess:logistics:logistics": frozenset({"vko", "cll-cp"}),
    "riv:clinicalprocess:activityprescription:actoutcome": frozenset({"caa-gmh", "caa-gvh"}),
}
_RESIDENT = re.compile(r"[0-9]{8}[0-9pPtTfF][0-9]{3}")
_TIMESTAMP = re.compile(r"[0-9]{14}")
_MAX_POSTS = 1000  # TKB itintegration:engagementindex §7 Update: "max antal poster satt till 1000"
_INDEX_FIELDS = ("owner", "creationTime", "updateTime")


@dataclass(frozen=True)
class SentUpdate:
    """One Update as the producer sent it."""

    exchange: Exchange
    logical_address: str | None  # the SOAP header's LogicalAddress
    transactions: tuple[EngagementTransaction, ...]
    element: etree._Element | None
    problem: str = ""


def read_updates(exchanges: Sequence[Exchange]) -> list[SentUpdate]:
    updates = []
    for exchange in exchanges:
        try:
            envelope = parse_envelope(exchange.request_body)
        except SoapError as exc:
            updates.append(SentUpdate(exchange, None, (), None, f"not a SOAP envelope: {exc}"))
            continue
        body = envelope.body
        if body is None or body.tag != f"{{{UPDATE_NS}}}Update":
            updates.append(SentUpdate(exchange, envelope.logical_address, (), body, "no Update element"))
            continue
        updates.append(SentUpdate(exchange, envelope.logical_address, parse_update(body), body))
    return updates


def _finding(update: SentUpdate, element: str, expected: object, actual: object) -> Finding:
    return mismatch("", element, expected, actual, exchange_ids=(update.exchange.id,))


def _posts(update: SentUpdate) -> list[tuple[int, EngagementTransaction]]:
    return list(enumerate(update.transactions, 1))


@check("PR-R-EI-20S")
def update_valid(update: SentUpdate, validator: Validator) -> list[Finding]:
    """The official Update XSD, Inera's Update schematron (general and domain rules), unique posts."""
    if update.element is None:
        return [_finding(update, "Update", "a SOAP envelope with an Update", update.problem)]
    result = validator.validate(UPDATE_1_0, update.exchange.request_body, role=MessageRole.REQUEST)
    return [
        _finding(update, f"{issue.kind.value} {issue.location}", f"valid ({issue.rule})", issue.message)
        for issue in result.issues
    ]


@check("PR-R-EI-20F")
def no_index_fields(update: SentUpdate) -> list[Finding]:
    """No owner, creationTime, updateTime (set by the index), no empty element."""
    found = []
    for n, t in _posts(update):
        for name in _INDEX_FIELDS:
            if t.engagement.has(name):
                found.append(_finding(update, f"post {n} {name}", "absent (the index sets it)", "present"))
        empty = [name for name, value in t.engagement.fields if not value.strip()]
        if empty:
            found.append(_finding(update, f"post {n} {', '.join(empty)}", "not empty", "empty"))
    return found


@check("PR-R-EI-20K")
def domain_and_categorization(update: SentUpdate, domains: Collection[str]) -> list[Finding]:
    """serviceDomain without 'urn:', one of the producer's; categorization from that domain's table."""
    found = []
    for n, t in _posts(update):
        domain, category = t.engagement.value("serviceDomain"), t.engagement.value("categorization")
        if domain not in domains:
            found.append(_finding(update, f"post {n} serviceDomain", " or ".join(sorted(domains)), domain))
        elif category not in CATEGORIZATIONS.get(domain, ()):
            allowed = ", ".join(sorted(CATEGORIZATIONS.get(domain, ())))
            found.append(_finding(update, f"post {n} categorization", f"one of {allowed}", category))
    return found


@check("PR-R-EI-20A")
def addressing(update: SentUpdate, addresses: Collection[str]) -> list[Finding]:
    """logicalAddress == sourceSystem, one of the producer's; businessObjectInstanceIdentifier and
    clinicalProcessInterestId NA."""
    found = []
    for n, t in _posts(update):
        e = t.engagement
        if e.value("logicalAddress") != e.value("sourceSystem"):
            found.append(
                _finding(
                    update, f"post {n} logicalAddress", e.value("sourceSystem"), e.value("logicalAddress")
                )
            )
        if e.value("sourceSystem") not in addresses:
            found.append(
                _finding(update, f"post {n} sourceSystem", " or ".join(addresses), e.value("sourceSystem"))
            )
        for name in ("businessObjectInstanceIdentifier", "clinicalProcessInterestId"):
            if e.value(name) != "NA":
                found.append(_finding(update, f"post {n} {name}", "NA", e.value(name)))
    return found


@check("PR-R-EI-20R")
def resident_and_batch(update: SentUpdate, reserve_ids: Collection[str]) -> list[Finding]:
    """12-character person- or samordningsnummer, never a reserve id; at most 1000 posts."""
    found = []
    if len(update.transactions) > _MAX_POSTS:
        found.append(
            _finding(update, "engagementTransaction", f"at most {_MAX_POSTS}", len(update.transactions))
        )
    for n, t in _posts(update):
        resident = t.engagement.value("registeredResidentIdentification")
        if resident in reserve_ids or not _RESIDENT.fullmatch(resident):
            found.append(
                _finding(
                    update,
                    f"post {n} registeredResidentIdentification",
                    "a personnummer or samordningsnummer (12 characters)",
                    "another identity",
                )
            )
    return found


@check("PR-R-EI-20D")
def data_controller_format(update: SentUpdate) -> list[Finding]:
    return [
        _finding(
            update,
            f"post {n} dataController",
            "SE followed by the organisation number",
            t.engagement.value("dataController"),
        )
        for n, t in _posts(update)
        if not re.fullmatch(r"SE[0-9]{10}", t.engagement.value("dataController"))
    ]


@check("PR-R-EI-20M")
def recent_content_and_address(update: SentUpdate, ei_address: str) -> list[Finding]:
    """mostRecentContent on create/update, not on delete; the Update addressed to the index."""
    found = []
    if update.logical_address != ei_address:
        found.append(_finding(update, "LogicalAddress (SOAP header)", ei_address, update.logical_address))
    for n, t in _posts(update):
        recent = t.engagement.get("mostRecentContent")
        if t.delete and recent is not None:
            found.append(_finding(update, f"post {n} mostRecentContent", "absent when deleting", recent))
        elif not t.delete and not (recent and _TIMESTAMP.fullmatch(recent)):
            found.append(
                _finding(update, f"post {n} mostRecentContent", "YYYYMMDDhhmmss", recent or "absent")
            )
    return found


def _no_update(requirement_what: str, waited_s: float, evidence: tuple[str, ...]) -> Finding:
    return mismatch(
        "",
        f"engagement-index Update after {requirement_what}",
        "an Update for the changed post",
        f"none within {waited_s:g} s",
        exchange_ids=evidence,
    )


@check("PR-R-APF-11E")
def approval_change_posted(
    updates: Sequence[Exchange], what: str, waited_s: float, evidence: tuple[str, ...]
) -> list[Finding]:
    """TKB §7: when approvedForPatient changes, "skall källsystemet uppdatera engagemangsindex"."""
    return [] if updates else [_no_update(what, waited_s, evidence)]


@check("PR-R-EIT-21")
def change_posted(
    updates: Sequence[Exchange], what: str, waited_s: float, evidence: tuple[str, ...]
) -> list[Finding]:
    return [] if updates else [_no_update(what, waited_s, evidence)]


@check("PR-R-EIT-21")
def readable_at_once(
    present: bool, expected: bool, record_id: str, evidence: tuple[str, ...]
) -> list[Finding]:
    """Right after the Update, the contract's answer shows the change (TKB §4 SLA krav, Aktualitet)."""
    if present is expected:
        return []
    want = "in the answer" if expected else "gone from the answer"
    return [mismatch("", f"record {record_id} right after its Update", want, "not so", exchange_ids=evidence)]


@check("PR-R-EI-20P")
def posts_held(
    found: Sequence[object], contract: ContractVersion, source: str, patient: str
) -> list[Finding]:
    """The mock EI holds a post for the patient, the contract's EI keys and the source system."""
    if found:
        return []
    key = f"{contract.ei_service_domain}/{contract.ei_categorization}"
    return [mismatch("", f"engagement-index post {key} at {source}", f"a post for patient {patient}", "none")]
