"""Contract-specific checks (GetCareContacts 3.0, GetLaboratoryOrderOutcome 4.2, GetCareDocumentation
3.0), partial answers (hasMore), the original consumer (x-rivta-original-serviceconsumer-hsaid) and
the declared content records."""

from __future__ import annotations

from collections.abc import Collection

from lxml import etree

from harness.contracts import select
from harness.core.findings import Finding, mismatch
from harness.core.xml import UnsafeXmlError, parse_xml
from harness.producer_suite.answer import Answer
from harness.producer_suite.checking import check
from harness.producer_suite.checks_transport import text_values

__all__ = [
    "DOCBOOK_ELEMENTS",
    "NOTE_CODE_SYSTEM",
    "care_contact_org_units",
    "content_records_returned",
    "docbook_elements_allowed",
    "has_more_rules",
    "lab_outcome_rules",
    "note_codes",
    "only_excluded_units_removed",
    "same_answer_for_consumer",
]

# TKB clinicalprocess:healthcond:description §7 GetCareDocumentation, DocBook: "Följande element är centrala".
DOCBOOK_ELEMENTS = frozenset({"article", "title", "info", "para", "section", "bibliography"})
NOTE_CODE_SYSTEM = "1.2.752.129.2.2.2.11"  # KV Anteckningstyp
_LAB_TYPES = frozenset({"final", "partial", "preliminary"})


def _finding(element: str, expected: object, actual: object, *answers: Answer) -> Finding:
    return mismatch("", element, expected, actual, exchange_ids=tuple(i for a in answers for i in a.evidence))


def _texts(answer: Answer, record: etree._Element, path: str) -> list[str]:
    return [(e.text or "").strip() for e in select(answer.contract, record, path)]


@check("PR-R-GCC-24")
def care_contact_org_units(answer: Answer) -> list[Finding]:
    """healthcareProfessionalOrgUnit and careContactOrgUnit with HSA-id and name; a start or an end."""
    found = []
    units = {
        "healthcareProfessionalOrgUnit": "c:careContactHeader/c:accountableHealthcareProfessional/"
        "c:healthcareProfessionalOrgUnit",
        "careContactOrgUnit": "c:careContactBody/c:careContactOrgUnit",
    }
    for record in answer.records.records:
        for name, path in units.items():
            for part in ("orgUnitHSAId", "orgUnitName"):
                if not any(_texts(answer, record.element, f"{path}/c:{part}")):
                    found.append(_finding(f"record {record.id} {name}/{part}", "given", "missing", answer))
        period = "c:careContactBody/c:careContactTimePeriod"
        if not any(
            _texts(answer, record.element, f"{period}/c:start")
            + _texts(answer, record.element, f"{period}/c:end")
        ):
            found.append(
                _finding(f"record {record.id} careContactTimePeriod", "a start or an end", "neither", answer)
            )
    return found


@check("PR-R-LOO-25")
def lab_outcome_rules(answer: Answer) -> list[Finding]:
    """patientId given, blockComparisonTime = latest specimen time, body/type final/partial/preliminary,
    a value without unit carries an empty unit element."""
    found = []
    for record in answer.records.records:
        element, rid = record.element, record.id
        if not record.patient_id:
            found.append(_finding(f"record {rid} accessControlHeader/patientId", "given", "missing", answer))
        specimens = [
            t
            for t in _texts(answer, element, "c:body/c:groupOfAnalyses/c:analysis/c:specimen/c:timestamp")
            if t
        ]
        if specimens and record.block_time != max(specimens):
            found.append(
                _finding(f"record {rid} blockComparisonTime", max(specimens), record.block_time, answer)
            )
        kind = _texts(answer, element, "c:body/c:type/c:code")
        if not kind or kind[0] not in _LAB_TYPES:
            found.append(
                _finding(
                    f"record {rid} body/type", "final, partial or preliminary", kind or "missing", answer
                )
            )
        for pq in select(
            answer.contract, element, "c:body/c:groupOfAnalyses/c:analysis/c:result/c:value/c:pq"
        ):
            if pq.find(f"{{{answer.contract.core_namespace}}}unit") is None:
                found.append(
                    _finding(
                        f"record {rid} result pq/unit", "present (empty without a unit)", "missing", answer
                    )
                )
    return found


def _docbook(text: str) -> etree._Element | None:
    return parse_xml(text.encode("utf-8")) if text.lstrip().startswith("<") else None


@check("PR-R-GCD-26D")
def docbook_elements_allowed(answer: Answer, extra: Collection[str]) -> list[Finding]:
    """DocBook note text uses only the TKB's central elements (and those the consumer agreed)."""
    allowed, found = DOCBOOK_ELEMENTS | set(extra), []
    for record in answer.records.records:
        for text in _texts(answer, record.element, "c:body/c:clinicalDocumentNoteText"):
            try:
                root = _docbook(text)
            except (UnsafeXmlError, etree.XMLSyntaxError):
                found.append(
                    _finding(
                        f"record {record.id} clinicalDocumentNoteText",
                        "entity-encoded DocBook",
                        "text that does not parse as XML",
                        answer,
                    )
                )
                continue
            names = (
                {etree.QName(e).localname for e in root.iter() if isinstance(e.tag, str)}
                if root is not None
                else set()
            )
            if names - allowed:
                found.append(
                    _finding(
                        f"record {record.id} DocBook",
                        f"only {', '.join(sorted(allowed))}",
                        ", ".join(sorted(names - allowed)),
                        answer,
                    )
                )
    return found


@check("PR-R-GCD-26C")
def note_codes(answer: Answer) -> list[Finding]:
    found = []
    for record in answer.records.records:
        systems = _texts(answer, record.element, "c:body/c:clinicalDocumentNoteCode/c:codeSystem")
        if systems and systems[0] != NOTE_CODE_SYSTEM:
            found.append(
                _finding(
                    f"record {record.id} clinicalDocumentNoteCode/codeSystem",
                    NOTE_CODE_SYSTEM,
                    systems[0],
                    answer,
                )
            )
    return found


@check("PR-R-MORE-18")
def has_more_rules(answer: Answer, follow_up: Answer | None) -> list[Finding]:
    """At most one hasMore, at the producer's own address; the follow-up answers with the next part."""
    parts = answer.records.has_more
    found = []
    if len(parts) > 1:
        found.append(_finding("hasMore", "at most one", len(parts), answer))
    for part in parts:
        if part.logical_address != answer.logical_address:
            found.append(
                _finding("hasMore/logicalAddress", answer.logical_address, part.logical_address, answer)
            )
    if parts and follow_up is not None:
        result = follow_up.records.result
        if result is not None and result.result_code == "ERROR" or not follow_up.records.records:
            found.append(
                _finding(
                    "the follow-up with hasMoreReference",
                    "the next part of the answer",
                    follow_up.problem or "no records",
                    answer,
                    follow_up,
                )
            )
    return found


@check("PR-R-CONS-19")
def same_answer_for_consumer(baseline: Answer, other: Answer, consumer: str) -> list[Finding]:
    a, b = set(baseline.record_ids), set(other.record_ids)
    if a == b:
        return []
    return [
        _finding(
            f"records for original consumer {consumer}",
            f"the same {len(a)} records",
            f"{len(b)}, not the same",
            baseline,
            other,
        )
    ]


@check("PR-R-CONS-19F")
def only_excluded_units_removed(baseline: Answer, filtered: Answer, unit: str, marker: str) -> list[Finding]:
    """As if the excluded care unit had been left out of the request, and its marker text gone."""
    expected = {r.id or "" for r in baseline.records.records if r.care_unit != unit}
    actual = set(filtered.record_ids)
    found = []
    if actual != expected:
        found.append(
            _finding(
                f"records without care unit {unit}", sorted(expected), sorted(actual), baseline, filtered
            )
        )
    if marker and any(marker in t for t in text_values(filtered)):
        found.append(_finding("filterString", "absent from the filtered answer", "present", filtered))
    return found


@check("PR-R-CONS-19B")
def nothing_for_blocked_consumer(answer: Answer, consumer: str) -> list[Finding]:
    if not answer.records.records:
        return []
    return [
        _finding(f"records for original consumer {consumer}", "none", len(answer.records.records), answer)
    ]


@check("PR-R-CNT-05")
def content_records_returned(answer: Answer, declared: Collection[str]) -> list[Finding]:
    missing = sorted(i for i in declared if not answer.has_record(i))
    return [_finding(f"content record {i}", "returned", "not returned", answer) for i in missing]
