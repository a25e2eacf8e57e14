"""Read a contract's response element into typed records, the ``result`` and ``hasMore``.

The reader is lenient: a missing field is ``None``, so checks can report it as a finding; it
raises only when the element is not this contract's response at all.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from lxml import etree

from harness.contracts.model import ContractVersion, ForbiddenField, RecordPaths, ResultShape

__all__ = [
    "ContractRecord",
    "ContractResponse",
    "HasMore",
    "ResponseError",
    "ResultInfo",
    "forbidden_fields_present",
    "read_response",
    "select",
]


class ResponseError(ValueError):
    """The element is not the contract's ``<Name>Response``."""


@dataclass(frozen=True, slots=True)
class ContractRecord:
    """One record's identity and access-control fields (TKB §4 PDL rules; header models in §7)."""

    id: str | None  # documentId, or record/id (root, or "root/extension" when both are given)
    source_system: str | None  # sourceSystemHSAId, or sourceSystemId/extension
    patient_id: str | None
    patient_id_type: str | None  # PersonIdType.type or IIType.root
    care_unit: str | None
    care_giver: str | None
    approved_for_patient: bool | None  # None: missing, or not an xs:boolean
    timestamps: tuple[str, ...]  # the date filter's timestamps present on the record, in catalogue order
    block_time: str | None  # authorTime (PatientSummaryHeader) or blockComparisonTime (JoL)
    care_contact_id: str | None
    element: etree._Element


@dataclass(frozen=True, slots=True)
class ResultInfo:
    result_code: str | None
    error_code: str | None
    log_id: str | None
    sub_code: str | None
    message: str | None  # message, or resultText in GetCareDocumentation 3
    element: etree._Element


@dataclass(frozen=True, slots=True)
class HasMore:
    logical_address: str
    reference: str


@dataclass(frozen=True, slots=True)
class ContractResponse:
    contract: ContractVersion
    records: tuple[ContractRecord, ...]
    result: ResultInfo | None  # None when the contract has none or the response omits it
    has_more: tuple[HasMore, ...]
    element: etree._Element

    @property
    def record_ids(self) -> tuple[str | None, ...]:
        return tuple(r.id for r in self.records)


@functools.lru_cache(maxsize=512)
def _xpath(path: str, namespaces: tuple[tuple[str, str], ...]) -> etree.XPath:
    return etree.XPath(path, namespaces=dict(namespaces))


def select(contract: ContractVersion, element: etree._Element, path: str) -> list[etree._Element]:
    """The elements at a catalogue ``path`` (prefixes r, c, x) below ``element``."""
    found = _xpath(path, tuple(sorted(contract.nsmap.items())))(element)
    return [e for e in found if isinstance(e, etree._Element)] if isinstance(found, list) else []


def read_response(contract: ContractVersion, element: etree._Element) -> ContractResponse:
    """Typed view of a ``<Name>Response`` element of ``contract``."""
    if element.tag != contract.response_tag:
        raise ResponseError(f"expected {contract.response_tag}, got {element.tag}")
    records: tuple[ContractRecord, ...] = ()
    if contract.record is not None:
        paths = contract.record
        found = element.findall(f"{{{contract.namespace}}}{paths.element}")
        records = tuple(_record(contract, paths, e) for e in found)
    return ContractResponse(
        contract=contract,
        records=records,
        result=_result(contract.result, element),
        has_more=_has_more(contract, element),
        element=element,
    )


def forbidden_fields_present(contract: ContractVersion, record: ContractRecord) -> tuple[ForbiddenField, ...]:
    """The contract's forbidden fields (check 12) that ``record`` carries."""
    return tuple(f for f in contract.forbidden if select(contract, record.element, f.path))


def _record(contract: ContractVersion, paths: RecordPaths, element: etree._Element) -> ContractRecord:
    def first(path: str | None) -> etree._Element | None:
        found = select(contract, element, path) if path else []
        return found[0] if found else None

    patient = first(paths.patient)
    timestamps: tuple[str, ...] = ()
    if contract.date_filter is not None:
        timestamps = tuple(_text(e) for p in contract.date_filter.paths for e in select(contract, element, p))
    return ContractRecord(
        id=_identity(first(paths.id), combine=True),
        source_system=_identity(first(paths.source_system)),
        patient_id=_identity(patient),
        patient_id_type=_identity_type(patient),
        care_unit=_identity(first(paths.care_unit)),
        care_giver=_identity(first(paths.care_giver)),
        approved_for_patient=_boolean(first(paths.approved_for_patient)),
        timestamps=tuple(t for t in timestamps if t),
        block_time=_identity(first(paths.block_time)),
        care_contact_id=_identity(first(paths.care_contact)),
        element=element,
    )


def _local_children(element: etree._Element) -> dict[str, str]:
    return {etree.QName(c).localname: _text(c) for c in element if isinstance(c.tag, str)}


def _identity(element: etree._Element | None, *, combine: bool = False) -> str | None:
    """A plain string, PersonIdType.id, or IIType.extension (root when there is no extension)."""
    if element is None:
        return None
    parts = _local_children(element)
    if "root" in parts:
        root, extension = parts["root"], parts.get("extension")
        if extension is None:
            return root
        return f"{root}/{extension}" if combine else extension
    if "id" in parts and "type" in parts:
        return parts["id"]
    return _text(element)


def _identity_type(element: etree._Element | None) -> str | None:
    if element is None:
        return None
    parts = _local_children(element)
    return parts.get("type", parts.get("root"))


def _boolean(element: etree._Element | None) -> bool | None:
    value = None if element is None else _text(element)
    return {"true": True, "1": True, "false": False, "0": False}.get(value or "")


def _text(element: etree._Element) -> str:
    return (element.text or "").strip()


def _result(shape: ResultShape | None, response: etree._Element) -> ResultInfo | None:
    if shape is None:
        return None
    element = response.find(f"{{{shape.element_ns}}}result")
    if element is None:
        return None

    def child(name: str) -> str | None:
        found = element.find(f"{{{shape.child_ns}}}{name}")
        return None if found is None else _text(found)

    return ResultInfo(
        result_code=child("resultCode"),
        error_code=child("errorCode"),
        log_id=child("logId"),
        sub_code=child("subCode"),
        message=child(shape.text),
        element=element,
    )


def _has_more(contract: ContractVersion, response: etree._Element) -> tuple[HasMore, ...]:
    if not contract.has_more:
        return ()
    ns = contract.namespace
    return tuple(
        HasMore(
            logical_address=(e.findtext(f"{{{ns}}}logicalAddress") or "").strip(),
            reference=(e.findtext(f"{{{ns}}}reference") or "").strip(),
        )
        for e in response.findall(f"{{{ns}}}hasMore")
    )
