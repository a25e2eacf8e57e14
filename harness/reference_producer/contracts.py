"""The contract versions the reference producer serves: its own table, as a vendor's system has one.

Namespaces and soapActions are those of the official WSDLs (``*_RIVTABP21.wsdl``; GetCareContacts 2.0's
soapAction is ``urn:riv:ehr:patientsummary:...`` although its namespace is ``clinicalprocess:logistics``).
URL paths follow the VP's pattern ``/<domain path>/<Contract>/<major>/rivtabp21`` (SKLTP test-suite
``data.xml``). The EI service domain and categorization are those of each domain TKB's §4 table
("Uppdatering av engagemangsindex").
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

__all__ = [
    "EI_CATEGORIZATION",
    "EI_SERVICE_DOMAIN",
    "SERVED_CONTRACTS",
    "RecordKind",
    "ServedContract",
    "contract_by_path",
    "contract_by_root",
    "find_served",
]


class RecordKind(Enum):
    """What a journal record is; each kind is read by one contract family and is one EI category."""

    NOTE = "note"  # journalanteckning: GetCareDocumentation
    DIAGNOSIS = "diagnosis"  # GetDiagnosis
    CARE_CONTACT = "care_contact"  # vårdkontakt: GetCareContacts
    LAB = "lab"  # laboratoriesvar: GetLaboratoryOrderOutcome


@dataclass(frozen=True, slots=True)
class ServedContract:
    name: str  # "GetCareDocumentation"
    version: str  # "3.0"
    domain: str  # "clinicalprocess:healthcond:description"
    kind: RecordKind
    soap_action: str

    @property
    def major(self) -> str:
        return self.version.split(".")[0]

    @property
    def namespace(self) -> str:
        """The responder namespace, also the TAK contract name (urn:riv:<domain>:<Name>Responder:<major>)."""
        return f"urn:riv:{self.domain}:{self.name}Responder:{self.major}"

    @property
    def path(self) -> str:
        return f"/{self.domain.replace(':', '/')}/{self.name}/{self.major}/rivtabp21"

    @property
    def label(self) -> str:
        return f"{self.name} {self.version}"

    @property
    def ei_service_domain(self) -> str:
        return EI_SERVICE_DOMAIN[self.kind]

    @property
    def ei_categorization(self) -> str:
        return EI_CATEGORIZATION[self.kind]


_DESCRIPTION = "clinicalprocess:healthcond:description"
_LOGISTICS = "clinicalprocess:logistics:logistics"
_ACTOUTCOME = "clinicalprocess:healthcond:actoutcome"

# Without ``urn:`` (TKB clinicalprocess:healthcond:actoutcome §4: "Värdet ska vara
# 'riv:clinicalprocess:healthcond:actoutcome'"; the description and logistics TKBs alike).
EI_SERVICE_DOMAIN = {
    RecordKind.NOTE: f"riv:{_DESCRIPTION}",
    RecordKind.DIAGNOSIS: f"riv:{_DESCRIPTION}",
    RecordKind.CARE_CONTACT: f"riv:{_LOGISTICS}",
    RecordKind.LAB: f"riv:{_ACTOUTCOME}",
}
# Each domain TKB §4, "Regler för tilldelning av värde i fältet Categorization".
EI_CATEGORIZATION = {
    RecordKind.NOTE: "voo",
    RecordKind.DIAGNOSIS: "dia",
    RecordKind.CARE_CONTACT: "vko",
    RecordKind.LAB: "und-kkm-ure",
}


def _contract(name: str, version: str, domain: str, kind: RecordKind, action_ns: str = "") -> ServedContract:
    major = version.split(".")[0]
    action = f"{action_ns or f'urn:riv:{domain}'}:{name}Responder:{major}:{name}"
    return ServedContract(name, version, domain, kind, action)


SERVED_CONTRACTS: tuple[ServedContract, ...] = (
    _contract("GetCareDocumentation", "2.1", _DESCRIPTION, RecordKind.NOTE),
    _contract("GetCareDocumentation", "3.0", _DESCRIPTION, RecordKind.NOTE),
    _contract("GetDiagnosis", "2.0", _DESCRIPTION, RecordKind.DIAGNOSIS),
    _contract("GetCareContacts", "2.0", _LOGISTICS, RecordKind.CARE_CONTACT, "urn:riv:ehr:patientsummary"),
    _contract("GetCareContacts", "3.0", _LOGISTICS, RecordKind.CARE_CONTACT),
    _contract("GetLaboratoryOrderOutcome", "3.1", _ACTOUTCOME, RecordKind.LAB),
    _contract("GetLaboratoryOrderOutcome", "4.2", _ACTOUTCOME, RecordKind.LAB),
)


def find_served(name: str, version: str) -> ServedContract:
    for contract in SERVED_CONTRACTS:
        if (contract.name, contract.version) == (name, version):
            return contract
    raise KeyError(f"the reference producer does not serve {name} {version}")


def contract_by_path(path: str) -> ServedContract | None:
    return next((c for c in SERVED_CONTRACTS if c.path == path.rstrip("/")), None)


def contract_by_root(namespace: str, local_name: str) -> ServedContract | None:
    """The contract whose request element is ``{namespace}local_name``."""
    return next((c for c in SERVED_CONTRACTS if (c.namespace, c.name) == (namespace, local_name)), None)
