"""Build a contract's request element from typed parameters, and read one back (what a producer does).

Element names and order come from the catalogue (the responder XSD's sequence); a parameter the
contract version has no element for is an error, never silently dropped.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from harness.contracts.model import (
    HSA_OID,
    PERSONNUMMER_OID,
    ContractVersion,
    IdShape,
    RequestField,
    RequestRole,
)

__all__ = [
    "DatePeriod",
    "InstanceId",
    "RequestError",
    "RequestParams",
    "build_request",
    "read_request",
]


class RequestError(ValueError):
    """Parameters the contract version cannot express, or an element that is not its request."""


@dataclass(frozen=True, slots=True)
class DatePeriod:
    start: str  # YYYYMMDD
    end: str  # YYYYMMDD, inclusive


@dataclass(frozen=True, slots=True)
class InstanceId:
    """An IIType value: ``root`` (an OID or a UUID) and an optional ``extension``."""

    root: str
    extension: str | None = None


@dataclass(frozen=True, slots=True)
class RequestParams:
    """What a consumer asks for. HSA-ids are plain strings; II-typed contracts get root = HSA OID."""

    patient_id: str
    patient_id_type: str = PERSONNUMMER_OID  # PersonIdType.type or IIType.root
    care_units: tuple[str, ...] = ()
    care_givers: tuple[str, ...] = ()
    period: DatePeriod | None = None
    source_system: str | None = None
    care_contact_ids: tuple[str, ...] = ()
    has_more_reference: str | None = None
    specimen_ids: tuple[InstanceId, ...] = ()
    referral_ids: tuple[InstanceId, ...] = ()


_Value = str | DatePeriod | InstanceId


def _values(role: RequestRole, params: RequestParams) -> tuple[_Value, ...]:
    one = {
        RequestRole.PATIENT: InstanceId(params.patient_id_type, params.patient_id),
        RequestRole.PERIOD: params.period,
        RequestRole.SOURCE_SYSTEM: params.source_system,
        RequestRole.HAS_MORE_REFERENCE: params.has_more_reference,
    }
    if role in one:
        value = one[role]
        return () if value is None else (value,)
    many: dict[RequestRole, tuple[_Value, ...]] = {
        RequestRole.CARE_UNIT: params.care_units,
        RequestRole.CARE_GIVER: params.care_givers,
        RequestRole.CARE_CONTACT: params.care_contact_ids,
        RequestRole.SPECIMEN: params.specimen_ids,
        RequestRole.REFERRAL: params.referral_ids,
    }
    return many[role]


def build_request(contract: ContractVersion, params: RequestParams) -> etree._Element:
    """The ``<Name>`` request element of ``contract`` (namespaces and element order of its XSD)."""
    for role in RequestRole:
        if _values(role, params) and contract.field(role) is None:
            raise RequestError(
                f"{contract.name} {contract.version} has no {role.value} element in its request"
            )
    root = etree.Element(
        contract.request_tag, nsmap={"urn": contract.namespace, "urn1": contract.core_namespace}
    )
    for field in contract.request:
        values = _values(field.role, params)
        if len(values) > 1 and not field.repeated:
            raise RequestError(
                f"{contract.name} {contract.version} allows one {field.name}, got {len(values)}"
            )
        for value in values:
            _write(etree.SubElement(root, f"{{{contract.namespace}}}{field.name}"), field, value, contract)
    return root


def _write(element: etree._Element, field: RequestField, value: _Value, contract: ContractVersion) -> None:
    core = contract.core_namespace

    def child(name: str, text: str) -> None:
        etree.SubElement(element, f"{{{core}}}{name}").text = text

    if isinstance(value, DatePeriod):
        child("start", value.start)
        child("end", value.end)
    elif isinstance(value, InstanceId):
        if field.shape is IdShape.PERSON_ID:
            child("id", value.extension or "")
            child("type", value.root)
        else:
            child("root", value.root)
            if value.extension is not None:
                child("extension", value.extension)
    elif field.shape is IdShape.II:  # an HSA-id in an IIType
        child("root", HSA_OID)
        child("extension", value)
    else:
        element.text = value


def read_request(contract: ContractVersion, element: etree._Element) -> RequestParams:
    """The parameters of a ``<Name>`` request element (what a producer filters on)."""
    if element.tag != contract.request_tag:
        raise RequestError(f"expected {contract.request_tag}, got {element.tag}")
    found: dict[RequestRole, list[_Value]] = {role: [] for role in RequestRole}
    for field, child in _children(contract, element):
        found[field.role].append(_read(field, child, contract.core_namespace))
    patients = found[RequestRole.PATIENT]
    if len(patients) != 1 or not isinstance(patients[0], InstanceId):
        raise RequestError(f"{contract.name} request must hold exactly one patientId")
    patient = patients[0]
    return RequestParams(
        patient_id=patient.extension or "",
        patient_id_type=patient.root,
        care_units=tuple(_hsa(v) for v in found[RequestRole.CARE_UNIT]),
        care_givers=tuple(_hsa(v) for v in found[RequestRole.CARE_GIVER]),
        period=next((v for v in found[RequestRole.PERIOD] if isinstance(v, DatePeriod)), None),
        source_system=next((_hsa(v) for v in found[RequestRole.SOURCE_SYSTEM]), None),
        care_contact_ids=tuple(str(v) for v in found[RequestRole.CARE_CONTACT]),
        has_more_reference=next((str(v) for v in found[RequestRole.HAS_MORE_REFERENCE]), None),
        specimen_ids=tuple(v for v in found[RequestRole.SPECIMEN] if isinstance(v, InstanceId)),
        referral_ids=tuple(v for v in found[RequestRole.REFERRAL] if isinstance(v, InstanceId)),
    )


def _children(
    contract: ContractVersion, element: etree._Element
) -> Iterator[tuple[RequestField, etree._Element]]:
    by_tag = {f"{{{contract.namespace}}}{f.name}": f for f in contract.request}
    for child in element:
        field = by_tag.get(str(child.tag))
        if field is not None:
            yield field, child


def _read(field: RequestField, element: etree._Element, core: str) -> _Value:
    def text(name: str) -> str | None:
        found = element.find(f"{{{core}}}{name}")
        return None if found is None else (found.text or "").strip()

    if field.shape is IdShape.DATE_PERIOD:
        return DatePeriod(text("start") or "", text("end") or "")
    if field.shape is IdShape.PERSON_ID:
        return InstanceId(text("type") or "", text("id") or "")
    if field.shape is IdShape.II:
        return InstanceId(text("root") or "", text("extension"))
    return (element.text or "").strip()


def _hsa(value: _Value) -> str:
    """An HSA-id from a plain string or from an IIType (its extension)."""
    if isinstance(value, InstanceId):
        return value.extension or value.root
    return str(value)
