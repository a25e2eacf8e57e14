"""The journal system's organisations, source systems and staff: fictive, in Inera's test HSA-id form.

HSA-ids use the ``TSTNMT2321000156-<local>`` form of Inera's test environment (SKLTP VP tests). The
organisation numbers are fictive: ten digits with a valid check digit, in a range chosen for tests.
Names carry å, ä, ö and ``<>&`` on purpose: they must round-trip through every answer.
"""

from __future__ import annotations

from harness.personnummer import luhn_digit
from harness.reference_producer.model import CareGiver, CareUnit

__all__ = [
    "CARE_GIVERS",
    "CARE_UNITS",
    "DEFAULT_SOURCE_SYSTEMS",
    "HSA_PREFIX",
    "PRODUCER_HSA_ID",
    "RESERVE_NUMBER_OID",
    "UNITS_BY_SOURCE",
    "care_unit",
]

HSA_PREFIX = "TSTNMT2321000156"
PRODUCER_HSA_ID = f"{HSA_PREFIX}-RP00"  # the producer's own certificate serialNumber
DEFAULT_SOURCE_SYSTEMS = (f"{HSA_PREFIX}-RP01", f"{HSA_PREFIX}-RP02")
# The local reserve-number OID this journal declares; the value is the TKBs' own example
# (TKB clinicalprocess:healthcond:description §7 GetCareDocumentation, patientId: "exempelvis SLL:s
# lokal reservidentitet (1.2.752.97.3.1.3)").
RESERVE_NUMBER_OID = "1.2.752.97.3.1.3"


def _orgnr(nine: str) -> str:
    return f"{nine}{luhn_digit(nine)}"


_REGION = CareGiver(f"{HSA_PREFIX}-VG01", "Region Testlän", _orgnr("232199001"))
_COMPANY = CareGiver(f"{HSA_PREFIX}-VG02", "Vårdbolaget Öst AB", _orgnr("559999002"))
_CLINIC = CareGiver(f"{HSA_PREFIX}-VG03", "Läkarhuset Å&Ö <Test> AB", _orgnr("559999003"))
CARE_GIVERS = (_REGION, _COMPANY, _CLINIC)

CARE_UNITS = (
    CareUnit(f"{HSA_PREFIX}-VE11", "Vårdcentralen Åby", _REGION),
    CareUnit(f"{HSA_PREFIX}-VE12", "Akutmottagningen Ängelholm", _REGION),
    CareUnit(f"{HSA_PREFIX}-VE21", "Öron-näsa-hals Öst", _COMPANY),
    CareUnit(f"{HSA_PREFIX}-VE22", "Laboratoriemedicin Öst", _COMPANY),
    CareUnit(f"{HSA_PREFIX}-VE31", "Barn- & ungdomsmottagningen <Syd>", _CLINIC),
)
# Which care units document in which of the two source systems (index into the source systems).
UNITS_BY_SOURCE = {0: ("VE11", "VE12", "VE31"), 1: ("VE21", "VE22")}


def care_unit(local: str) -> CareUnit:
    """The care unit whose HSA-id ends in ``-<local>``."""
    return next(u for u in CARE_UNITS if u.hsa_id.endswith(f"-{local}"))
