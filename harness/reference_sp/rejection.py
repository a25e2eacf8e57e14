"""The one way the ACS says no: a typed rejection naming the check, the element and the rule."""

from __future__ import annotations

__all__ = ["Rejected"]


class Rejected(Exception):
    """A Response the SP refuses. ``rule`` is the check's name (e.g. ``check_destination``).

    ``reason`` names the SAML element, the expected value and the source of the rule; it never
    holds personal data, because it is logged. ``cancelled`` marks a user's cancel at the IdP
    (SC Deployment Profile §6.4), which gets a friendlier page.
    """

    def __init__(self, rule: str, reason: str, *, cancelled: bool = False) -> None:
        super().__init__(f"{rule}: {reason}")
        self.rule = rule
        self.reason = reason
        self.cancelled = cancelled
