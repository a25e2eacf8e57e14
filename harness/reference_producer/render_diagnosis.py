"""GetDiagnosis 2.0 responses.

documentTitle, documentTime, nullified and nullifiedReason are 0..0 (TKB clinicalprocess:healthcond:
description §7 GetDiagnosis, field rules); ``result`` with a UUID ``logId`` is always given (1..1 in the
TKB although optional in the XSD); a logical error gives only ``result`` with ERROR and errorCode.
"""

from __future__ import annotations

from lxml import etree

from harness.reference_producer.answer import Answer
from harness.reference_producer.model import DiagnosisDetails, Record, details_of
from harness.reference_producer.render_header import (
    summary_header_end,
    summary_header_start,
)
from harness.reference_producer.xmlout import Ns, bool_text

__all__ = ["ICD10SE", "render_diagnosis_2_0", "write_result"]

ICD10SE = "1.2.752.116.1.1.1.1.3"  # ICD-10-SE
_DESC = "urn:riv:clinicalprocess:healthcond:description"
R, CORE = Ns(f"{_DESC}:GetDiagnosisResponder:2"), Ns(f"{_DESC}:2")


def write_result(wrapper: Ns, core: Ns, parent: etree._Element, answer: Answer) -> None:
    """ResultType{resultCode, errorCode (only with ERROR), logId}: the 2.x result with errorCode."""
    result = wrapper.el(parent, "result")
    core.el(result, "resultCode", "ERROR" if answer.error else "OK")
    if answer.error and answer.error.error_code:
        core.el(result, "errorCode", answer.error.error_code)
    core.el(result, "logId", answer.log_id)
    if answer.error:
        core.el(result, "message", answer.error.message)


def _header(parent: etree._Element, record: Record) -> None:
    header = CORE.el(parent, "diagnosisHeader")
    summary_header_start(CORE, header, record)
    summary_header_end(CORE, header, record)


def _body(parent: etree._Element, details: DiagnosisDetails) -> None:
    body = CORE.el(parent, "diagnosisBody")
    CORE.el(body, "typeOfDiagnosis", "Huvuddiagnos" if details.main else "Bidiagnos")
    if details.chronic is not None:
        CORE.el(body, "chronicDiagnosis", bool_text(details.chronic))
    CORE.el(body, "diagnosisTime", details.diagnosis_time)
    CORE.cv(body, "diagnosisCode", details.code, ICD10SE, details.display_name)
    for related in details.related_ids:
        CORE.el(CORE.el(body, "relatedDiagnosis"), "documentId", related)


def render_diagnosis_2_0(answer: Answer) -> etree._Element:
    response = R.root("GetDiagnosisResponse", {"r": R.uri, "core": CORE.uri})
    for record in () if answer.error else answer.records:
        diagnosis = R.el(response, "diagnosis")
        _header(diagnosis, record)
        _body(diagnosis, details_of(record, DiagnosisDetails))
    write_result(R, CORE, response, answer)
    return response
