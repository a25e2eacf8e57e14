"""Technical errors (TKB §4 Felhantering, Tekniska fel; Inera 1.7 SoapFault): a SOAP 1.1 Fault with
HTTP 500, no personal data anywhere in the answer, and a log id (preferably a UUID) that cannot be
traced to the patient."""

from __future__ import annotations

import re
from collections.abc import Collection

from harness.core.findings import Finding, mismatch
from harness.producer_suite.answer import Answer
from harness.producer_suite.checking import check

__all__ = ["fault_has_log_id", "personal_forms", "technical_fault"]

_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def personal_forms(numbers: Collection[str]) -> set[str]:
    """Each personnummer as it may be written: 12 digits, 10 digits, with a hyphen."""
    forms: set[str] = set()
    for number in (n for n in numbers if n):
        forms |= {number, number[2:], f"{number[:8]}-{number[8:]}", f"{number[2:8]}-{number[8:]}"}
    return {f for f in forms if len(f) >= 10}


@check("PR-R-ERR-15")
def technical_fault(answer: Answer, personal: Collection[str]) -> list[Finding]:
    """A SOAP 1.1 Fault with HTTP 500, and none of the patient's identifiers anywhere in the answer."""
    x, found = answer.exchange, []
    if x.status != 500:
        found.append(
            mismatch("", "HTTP status", "500 (SOAP 1.1 Fault)", x.status, exchange_ids=answer.evidence)
        )
    if answer.fault is None:
        found.append(
            mismatch(
                "",
                "SOAP Body",
                "a soap:Fault",
                answer.problem or "an answer with records",
                exchange_ids=answer.evidence,
            )
        )
    text = x.response_body.decode("utf-8", errors="replace") + " ".join(v for _, v in x.response_headers)
    leaked = sorted(f for f in personal_forms(personal) if f in text)
    if leaked:
        found.append(
            mismatch(
                "",
                "the Fault",
                "no personal data",
                f"the patient's identifier ({len(leaked)} form(s))",
                exchange_ids=answer.evidence,
            )
        )
    return found


@check("PR-R-ERR-15L")
def fault_has_log_id(answer: Answer) -> list[Finding]:
    fault = answer.fault
    if fault is None:
        return [mismatch("", "the Fault", "a log id", "no Fault", exchange_ids=answer.evidence)]
    if _UUID.search(f"{fault.string} {fault.detail}"):
        return []
    return [
        mismatch(
            "",
            "faultstring/detail",
            "a log id, preferably a UUID",
            "none found",
            exchange_ids=answer.evidence,
        )
    ]
