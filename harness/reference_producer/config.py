"""Configuration of the reference producer: one frozen dataclass, with its seams.

Defaults are the test identities of the mock platform: the VP's client certificate carries
serialNumber ``TSTNMT2321000156-VP01`` (the VP reads the HSA-id there: SKLTP VP
``SenderIdExtractor.java``), the producer answers on two source systems of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from harness.core.clock import Clock, SystemClock
from harness.reference_producer.organisation import DEFAULT_SOURCE_SYSTEMS, HSA_PREFIX, RESERVE_NUMBER_OID
from harness.reference_producer.publisher import EiRules, EiSettings
from harness.reference_producer.responder import ProducerRules

__all__ = [
    "BLOCKED_CONSUMER",
    "DEFAULT_CONSUMER_POLICIES",
    "DEFAULT_VP_HSA_ID",
    "FILTERING_CONSUMER",
    "ConsumerPolicy",
    "ProducerConfig",
    "local_timestamp",
]

DEFAULT_VP_HSA_ID = f"{HSA_PREFIX}-VP01"
FILTERING_CONSUMER = f"{HSA_PREFIX}-C444"  # its verksamhetschef has not approved one care unit for it
BLOCKED_CONSUMER = f"{HSA_PREFIX}-C445"  # no care unit has approved it
_STOCKHOLM = ZoneInfo("Europe/Stockholm")


def local_timestamp(moment: datetime) -> str:
    """``YYYYMMDDhhmmss`` in Swedish time, CET/CEST (TKB description §4 "Tidszon för tidpunkter")."""
    return moment.astimezone(_STOCKHOLM).strftime("%Y%m%d%H%M%S")


@dataclass(frozen=True, slots=True)
class ConsumerPolicy:
    """What one original consumer (``x-rivta-original-serviceconsumer-hsaid``) may not see: whole
    care units only (TKB clinicalprocess:healthcond:description §4 "Generellt"), or all of them."""

    consumer: str
    excluded_care_units: frozenset[str] = frozenset()
    blocked: bool = False


DEFAULT_CONSUMER_POLICIES = (
    ConsumerPolicy(FILTERING_CONSUMER, frozenset({f"{HSA_PREFIX}-VE31"})),
    ConsumerPolicy(BLOCKED_CONSUMER, blocked=True),
)


@dataclass(frozen=True)
class ProducerConfig:
    db_path: Path
    source_systems: tuple[str, str] = DEFAULT_SOURCE_SYSTEMS
    reserve_oid: str = RESERVE_NUMBER_OID
    # Subject serialNumbers of the client certificates allowed to call; None: no check (TLS ended earlier).
    allowed_callers: frozenset[str] | None = frozenset({DEFAULT_VP_HSA_ID})
    consumer_policies: tuple[ConsumerPolicy, ...] = DEFAULT_CONSUMER_POLICIES
    test_hooks: bool = False  # the /test-hooks/ endpoints (a test environment only)
    rules: ProducerRules = field(default_factory=ProducerRules)
    ei: EiSettings | None = None  # where Update is posted; None: no EI
    ei_rules: EiRules = field(default_factory=EiRules)
    clock: Clock = field(default_factory=SystemClock)
    max_request_bytes: int = 1_000_000

    def policy_for(self, consumer: str | None) -> ConsumerPolicy | None:
        return next((p for p in self.consumer_policies if p.consumer == consumer), None)

    def now(self) -> str:
        return local_timestamp(self.clock.now())
