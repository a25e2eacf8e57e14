"""Read a contract's request element into one :class:`Query`, whatever the contract's field names.

The 2.x contracts name HSA-ids as strings (``careUnitHSAId``, in GetCareDocumentation 2.1
``careUnitHSAid``) and the patient as ``PersonIdType{id,type}``; GetCareDocumentation 3.0 and
GetLaboratoryOrderOutcome 4.2 use ``IIType{root,extension}`` (the request tables of TKB
clinicalprocess:healthcond:description §7 and clinicalprocess:healthcond:actoutcome §7).
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from harness.reference_producer.contracts import ServedContract
from harness.reference_producer.model import Identity

__all__ = ["DatePeriod", "Query", "RequestError", "read_query"]


class RequestError(ValueError):
    """The request element lacks what the contract's schema requires (answered with a Client fault)."""


@dataclass(frozen=True, slots=True)
class DatePeriod:
    """A date interval, both ends inclusive (``YYYYMMDD``); an end may be open where the contract allows."""

    start: str | None
    end: str | None


@dataclass(frozen=True, slots=True)
class Query:
    patient: Identity
    period: DatePeriod | None = None
    care_units: frozenset[str] = frozenset()
    care_givers: frozenset[str] = frozenset()
    source_system: str | None = None
    care_contact_ids: frozenset[str] = frozenset()
    specimen_ids: frozenset[str] = frozenset()
    referral_ids: frozenset[str] = frozenset()
    has_more_reference: str | None = None


# Per contract version: element names of (care units, care givers, period, source system, care contacts).
_NAMES: dict[str, tuple[str, str, str, str, str]] = {
    "GetCareDocumentation 2.1": ("careUnitHSAid", "", "timePeriod", "sourceSystemHSAid", "careContactId"),
    "GetCareDocumentation 3.0": ("careUnit", "healthcareProvider", "datePeriod", "sourceSystemId", ""),
    "GetDiagnosis 2.0": ("careUnitHSAId", "", "timePeriod", "sourceSystemHSAId", "careContactId"),
    "GetCareContacts 2.0": ("careUnitHSAId", "", "timePeriod", "sourceSystemHSAId", "careContactId"),
    "GetCareContacts 3.0": (
        "careUnitHSAId",
        "careGiverHSAId",
        "datePeriod",
        "sourceSystemHSAId",
        "careContactId",
    ),
    "GetLaboratoryOrderOutcome 3.1": (
        "careUnitHSAId",
        "",
        "timePeriod",
        "sourceSystemHSAId",
        "careContactId",
    ),
    "GetLaboratoryOrderOutcome 4.2": (
        "careUnitHSAId",
        "careGiverHSAId",
        "datePeriod",
        "sourceSystemHSAId",
        "",
    ),
}
_II_CONTRACTS = frozenset({"GetCareDocumentation 3.0", "GetLaboratoryOrderOutcome 4.2"})


def _text(element: etree._Element | None) -> str:
    return "" if element is None else "".join(str(t) for t in element.itertext()).strip()


class _Reader:
    def __init__(self, request: etree._Element, namespace: str, ii: bool) -> None:
        self.request, self.ns, self.ii = request, namespace, ii

    def children(self, name: str) -> list[etree._Element]:
        return self.request.findall(f"{{{self.ns}}}{name}") if name else []

    def identifier(self, element: etree._Element) -> str:
        """An HSA-id: the string itself (2.x), or the IIType's extension (JoL contracts)."""
        if not self.ii:
            return _text(element)
        return _text(next((c for c in element if etree.QName(c).localname == "extension"), None))

    def identifiers(self, name: str) -> frozenset[str]:
        return frozenset(v for v in (self.identifier(e) for e in self.children(name)) if v)

    def single(self, name: str) -> str | None:
        found = self.children(name)
        return self.identifier(found[0]) if found else None

    def patient(self) -> Identity:
        found = self.children("patientId")
        if not found:
            raise RequestError("the request has no patientId")
        parts = {etree.QName(c).localname: _text(c) for c in found[0] if isinstance(c.tag, str)}
        value, kind = (
            (parts.get("extension"), parts.get("root")) if self.ii else (parts.get("id"), parts.get("type"))
        )
        if not value or not kind:
            raise RequestError("patientId needs both its identifier and its type")
        return Identity(value, kind)

    def period(self, name: str) -> DatePeriod | None:
        found = self.children(name)
        if not found:
            return None
        parts = {etree.QName(c).localname: _text(c) for c in found[0] if isinstance(c.tag, str)}
        period = DatePeriod(parts.get("start") or None, parts.get("end") or None)
        for value in (period.start, period.end):
            if value is not None and not (len(value) == 8 and value.isdigit()):
                raise RequestError(f"{name} dates must be YYYYMMDD")
        return period


def read_query(contract: ServedContract, request: etree._Element) -> Query:
    """The query a request element asks; raises :class:`RequestError` if it lacks a required part."""
    units, givers, period, source, contacts = _NAMES[contract.label]
    reader = _Reader(request, contract.namespace, contract.label in _II_CONTRACTS)
    return Query(
        patient=reader.patient(),
        period=reader.period(period),
        care_units=reader.identifiers(units),
        care_givers=reader.identifiers(givers),
        source_system=reader.single(source),
        care_contact_ids=frozenset(_text(e) for e in reader.children(contacts) if _text(e)),
        specimen_ids=reader.identifiers("specimenIdentifier")
        if contract.label in _II_CONTRACTS
        else frozenset(),
        referral_ids=reader.identifiers("referralIdentifier")
        if contract.label in _II_CONTRACTS
        else frozenset(),
        has_more_reference=_text(reader.children("hasMoreReference")[0])
        if reader.children("hasMoreReference")
        else None,
    )
