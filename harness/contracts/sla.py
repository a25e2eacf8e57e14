"""Response-time limits: each domain's, as its TKB sets it (§4 SLA krav, "Svarstid"), and the aggregating
services' wait for one source, which lies below the description domain's.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from harness.contracts.model import ContractVersion

__all__ = ["AGP_WAIT_S", "RESPONSE_TIME_LIMITS_S", "response_time_limit_s"]

RESPONSE_TIME_LIMITS_S: Mapping[str, float] = MappingProxyType(
    {
        "clinicalprocess:healthcond:description": 30.0,  # TKB clinicalprocess:healthcond:description §4
        "clinicalprocess:healthcond:actoutcome": 27.0,  # TKB clinicalprocess:healthcond:actoutcome §4
        "clinicalprocess:logistics:logistics": 27.0,  # TKB clinicalprocess:logistics:logistics §4
    }
)
# SKLTP AGP doc/config/config.md: the aggregating services stop waiting for a source after 27 s.
AGP_WAIT_S = 27.0


def response_time_limit_s(contract: ContractVersion, lower_s: float = 0.0) -> float:
    """The response-time limit of the journal contract's domain, or ``lower_s`` when lower (0: none)."""
    limit = RESPONSE_TIME_LIMITS_S[contract.domain]
    return min(limit, lower_s) if lower_s else limit
