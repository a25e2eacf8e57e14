"""The check on the person: the configured personnummer attribute, present, single-valued, valid.

SC Attribute Specification §3.1: personalIdentityNumber is 12 digits without hyphen and
single-valued; Skatteverket: a real date, födelsenummer 001-999, Luhn check digit. Samordningsnummer
(day + 60) only when the SP accepts them (SC Entity Categories §6.2; 1177 requires a personnummer).
Reasons never carry the value: they are logged.
"""

from __future__ import annotations

from harness.personnummer import PersonnummerError, parse_strict
from harness.reference_sp.acs import AcsMessage
from harness.reference_sp.identity import attribute_values, personnummer_attribute_names
from harness.reference_sp.rejection import Rejected

__all__ = ["check_personnummer"]


def check_personnummer(message: AcsMessage) -> None:
    names = personnummer_attribute_names(message.config.personnummer_attribute)
    found: dict[str, str] = {}
    for name in names:
        attributes = attribute_values(message.assertion, name, message.config.text_reader)
        if not attributes:
            continue
        if len(attributes) != 1 or len(attributes[0]) != 1:
            raise Rejected(
                "check_personnummer", f"Attribute '{name}' must have exactly one AttributeValue (SC §3.1)"
            )
        found[name] = attributes[0][0]
    if not found:
        raise Rejected(
            "check_personnummer", f"Assertion has no Attribute named {' or '.join(names)} (SC §3.1)"
        )
    if len(set(found.values())) != 1:
        raise Rejected("check_personnummer", f"Attributes {' and '.join(found)} carry different values")
    allow = message.config.accepts_samordningsnummer
    for name, value in found.items():
        try:
            parse_strict(value, allow_samordningsnummer=allow)
        except PersonnummerError as exc:
            raise Rejected(
                "check_personnummer", f"Attribute '{name}' value: {exc} (SC §3.1; Skatteverket)"
            ) from None
