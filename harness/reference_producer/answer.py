"""What a renderer is given: the selected records, or a logical error, and the call's log id."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

from harness.reference_producer.model import Record
from harness.reference_producer.rules import LogicalError

__all__ = ["Answer", "Renderer"]


@dataclass(frozen=True, slots=True)
class Answer:
    records: tuple[Record, ...]
    log_id: str  # a UUID, not traceable to the patient (TKB description §4 "Tekniska fel")
    error: LogicalError | None = None


# Writes a contract version's whole response element (``<Contract>Response``) for an answer.
Renderer = Callable[[Answer], etree._Element]
