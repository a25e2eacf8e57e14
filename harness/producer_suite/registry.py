"""The producer suite's check registry: checks name the requirement they verify, the catalogue cites it.

``@producer_check(requirement="PR-R-...")`` registers a check whose findings always cite that
requirement (its sources and id, from ``harness/requirements/producer.toml`` and nowhere else).
"""

from __future__ import annotations

from harness.core.checks import CheckRegistry
from harness.requirements.catalogue import suite_catalogue

__all__ = ["PRODUCER_CHECKS", "producer_check"]

PRODUCER_CHECKS = CheckRegistry(cite=suite_catalogue("producer").cite)
producer_check = PRODUCER_CHECKS.check
