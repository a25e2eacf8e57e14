"""Every contract version the harness supports, and lookup by name and version.

Adding a version is data: a :class:`~harness.contracts.model.ContractVersion` in the domain's module
(``description``, ``logistics_actoutcome``, ``platform``) and one line here.
"""

from __future__ import annotations

from harness.contracts.description import (
    GET_CARE_DOCUMENTATION_2_1,
    GET_CARE_DOCUMENTATION_3_0,
    GET_DIAGNOSIS_2_0,
)
from harness.contracts.logistics_actoutcome import (
    GET_CARE_CONTACTS_2_0,
    GET_CARE_CONTACTS_3_0,
    GET_LABORATORY_ORDER_OUTCOME_3_1,
    GET_LABORATORY_ORDER_OUTCOME_4_2,
)
from harness.contracts.model import ContractVersion
from harness.contracts.platform import FIND_CONTENT_1_0, UPDATE_1_0

__all__ = [
    "CATALOGUE",
    "PLATFORM_CONTRACTS",
    "ContractNotFound",
    "find_contract",
    "journal_contract_keys",
    "parse_contract_key",
]

# The journal contracts 1177 journal / NPÖ read from producers (ntjp-facing versions; TKB §1 tables).
CATALOGUE: tuple[ContractVersion, ...] = (
    GET_CARE_DOCUMENTATION_2_1,
    GET_CARE_DOCUMENTATION_3_0,
    GET_DIAGNOSIS_2_0,
    GET_CARE_CONTACTS_2_0,
    GET_CARE_CONTACTS_3_0,
    GET_LABORATORY_ORDER_OUTCOME_3_1,
    GET_LABORATORY_ORDER_OUTCOME_4_2,
)
PLATFORM_CONTRACTS: tuple[ContractVersion, ...] = (UPDATE_1_0, FIND_CONTENT_1_0)


class ContractNotFound(LookupError):
    """No such contract version in the catalogue; the message lists the known ones."""


def find_contract(name: str, version: str) -> ContractVersion:
    """The contract version ``name`` ``version`` (e.g. "GetDiagnosis", "2.0"), journal or platform."""
    for contract in (*CATALOGUE, *PLATFORM_CONTRACTS):
        if contract.name == name and contract.version == version:
            return contract
    known = ", ".join(c.key for c in (*CATALOGUE, *PLATFORM_CONTRACTS))
    raise ContractNotFound(f"unknown contract version {name}:{version}; known: {known}")


def parse_contract_key(key: str) -> ContractVersion:
    """``NAME:VERSION`` (e.g. ``GetDiagnosis:2.0``) to its contract version."""
    name, sep, version = key.strip().partition(":")
    if not sep or not name or not version:
        raise ContractNotFound(f"expected NAME:VERSION (e.g. GetDiagnosis:2.0), got {key!r}")
    return find_contract(name, version)


def journal_contract_keys() -> frozenset[tuple[str, str]]:
    """Every journal contract as ``(name, version)``."""
    return frozenset((c.name, c.version) for c in CATALOGUE)
