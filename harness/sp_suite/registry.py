"""The SP suite's check registry: checks name the requirement they verify, the catalogue cites it.

``@sp_check(requirement="SP-R-...")`` registers a check whose findings always cite that
requirement; ``@sp_check()`` registers one that judges the rule its caller names (``rule="SP-R-..."``).
The sources shown with every finding come from ``harness/requirements/sp.toml`` and nowhere else.
"""

from __future__ import annotations

from harness.core.checks import CheckRegistry
from harness.requirements.catalogue import suite_catalogue

__all__ = ["SP_CHECKS", "sp_check"]

SP_CHECKS = CheckRegistry(cite=suite_catalogue("sp").cite)
sp_check = SP_CHECKS.check
