"""Update requests for the engagement index's tests, built with the contract catalogue and then mutated."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from lxml import etree

from harness.contracts import find_contract
from harness.contracts.ei import Engagement, EngagementTransaction, build_update, engagement_for
from harness.core.soap import build_envelope

EI = "TSTNMT2321000156-EI01"
RP01, RP02 = "TSTNMT2321000156-RP01", "TSTNMT2321000156-RP02"
DATA_CONTROLLER = "SE2321000156"  # Inera's test organisation number, as in the TSTNMT HSA-ids
CORE = "urn:riv:itintegration:engagementindex:1"
GCD3 = find_contract("GetCareDocumentation", "3.0")


def post(resident: str, source: str = RP01, most_recent: str | None = "20260101120000") -> Engagement:
    return engagement_for(GCD3, resident, source, DATA_CONTROLLER, most_recent_content=most_recent)


def update_element(
    engagements: Sequence[Engagement],
    *,
    delete: bool = False,
    mutate: Callable[[etree._Element], None] | None = None,
) -> etree._Element:
    element = build_update([EngagementTransaction(e, delete=delete) for e in engagements])
    if mutate is not None:
        mutate(element)
    return element


def update_envelope(
    engagements: Sequence[Engagement],
    *,
    logical_address: str | None = EI,
    delete: bool = False,
    mutate: Callable[[etree._Element], None] | None = None,
) -> bytes:
    return build_envelope(
        update_element(engagements, delete=delete, mutate=mutate), logical_address=logical_address
    )


def set_field(name: str, value: str | None, index: int = 0) -> Callable[[etree._Element], None]:
    """A mutation: set (or, with None, remove) field ``name`` of the ``index``-th engagement."""

    def mutate(update: etree._Element) -> None:
        engagement = update.findall(f".//{{{CORE}}}engagement")[index]
        found = engagement.find(f"{{{CORE}}}{name}")
        if value is None:
            if found is not None:
                engagement.remove(found)
            return
        if found is None:
            found = etree.SubElement(engagement, f"{{{CORE}}}{name}")
        found.text = value

    return mutate
