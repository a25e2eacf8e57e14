"""The aggregated answer: records merged in source order, a fresh result, ProcessingStatus per source."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from lxml import etree

from harness.contracts import PROCESSING_STATUS_NS, find_contract
from harness.mock_ntp.agp_merge import SourceOutcome, merge_responses, processing_status

GCD3 = find_contract("GetCareDocumentation", "3.0")
NS = {"r": GCD3.namespace, "ih": PROCESSING_STATUS_NS}


def _answer(*record_ids: str) -> etree._Element:
    response = etree.Element(GCD3.response_tag)
    for record in record_ids:
        etree.SubElement(response, f"{{{GCD3.namespace}}}careDocumentation").text = record
    result = etree.SubElement(response, f"{{{GCD3.namespace}}}result")
    etree.SubElement(result, f"{{{GCD3.core_namespace}}}resultCode").text = "INFO"
    return response


def test_records_merge_in_source_order_with_one_ok_result() -> None:
    outcomes = [
        SourceOutcome("RP01", _answer("a", "b")),
        SourceOutcome("RP02", None, "504", "Timeout"),
        SourceOutcome("RP03", _answer("c")),
    ]
    merged = merge_responses(GCD3, outcomes)
    assert [e.text for e in merged.findall("r:careDocumentation", NS)] == ["a", "b", "c"]
    results = merged.findall("r:result", NS)
    assert len(results) == 1
    assert results[0].findtext(f"{{{GCD3.core_namespace}}}resultCode") == "OK"
    assert list(merged)[-1] is results[0]


def test_processing_status_per_source_is_schema_valid(schema_dir: Path) -> None:
    outcomes = [SourceOutcome("RP01", _answer("a")), SourceOutcome("RP02", None, "504", "Timeout")]
    status = processing_status(outcomes, datetime(2026, 6, 1, 10, 0, tzinfo=UTC))
    rows = status.findall("ih:ProcessingStatusList", NS)
    assert [
        (r.findtext("ih:logicalAddress", None, NS), r.findtext("ih:statusCode", None, NS)) for r in rows
    ] == [
        ("RP01", "DataFromSource"),
        ("RP02", "NoDataSynchFailed"),
    ]
    assert rows[0].findtext("ih:lastSuccessfulSynch", None, NS) == "20260601120000"
    assert rows[1].findtext("ih:isResponseInSynch", None, NS) == "false"
    assert rows[1].findtext("ih:lastUnsuccessfulSynchError/ih:code", None, NS) == "504"
    xsd = (
        schema_dir
        / "skltp__agp/agp-schemas/src/main/resources/schemas/interoperability/headers/core_components"
    )
    schema = etree.XMLSchema(etree.parse(str(xsd / "interoperability_headers_1.0.xsd")))
    assert schema.validate(status), schema.error_log
