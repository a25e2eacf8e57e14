"""Validation of an ``Update`` as the SKLTP engagement index does it, plus the official Update rules.

SKLTP EI (``skltp-ei-frontend/.../util/EngagementValidator.java``, ``EiErrorCodeEnum.java``), in its
order: the header LogicalAddress is the EI's own (EI003, rule R7), 1 to 1000 posts (EI000), and per
post: unique key (EI002), no leading/trailing whitespace (EI004), not a reserved address (EI005
logicalAddress, EI006 sourceSystem), mandatory fields (EI004), maximum lengths (EI004), timestamps
``YYYYMMDDhhmmss`` (EI004). Then the rules of the EI TKB's Update schematron
(``test-suite/UpdateMock/schematron/general_update_constraints.xml``): no owner, creationTime or
updateTime; no empty elements; no mostRecentContent when deleteFlag=true (EI004 here).

The EI TKB marks R7 "utgår", so the EI003 check can be turned off. Fault texts name fields and
post numbers, never values (a value may be a personnummer).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from harness.mock_ntp.ei_model import EngagementTransaction

__all__ = ["MAX_POSTS", "EiError", "EiRules", "validate_update"]

MAX_POSTS = 1000  # "För den nationella instansen är max antal poster satt till 1000" (EI TKB)

_MANDATORY = (
    "registeredResidentIdentification",
    "serviceDomain",
    "categorization",
    "logicalAddress",
    "businessObjectInstanceIdentifier",
    "clinicalProcessInterestId",
    "sourceSystem",
    "dataController",
)
_MAX_LENGTH = {
    "registeredResidentIdentification": 32,
    "serviceDomain": 255,
    "categorization": 255,
    "logicalAddress": 64,
    "businessObjectInstanceIdentifier": 128,
    "clinicalProcessInterestId": 128,
    "sourceSystem": 64,
    "dataController": 64,
    "mostRecentContent": 14,
    "updateTime": 14,
    "creationTime": 14,
}
_TIMESTAMPS = ("mostRecentContent", "updateTime", "creationTime")
_FORBIDDEN = ("creationTime", "updateTime", "owner")

_MESSAGES = {
    "EI000": "A technical error has occurred, error message: {0}",
    "EI002": "EngagementTransaction #{0} and #{1} have the same key. That is not allowed. "
    "See rule for Update-R1 in service contract",
    "EI003": "Invalid routing. Logical address is {0} but the owner is {1}. They must be the same. "
    "See rule for Update-R7 in service contract",
    "EI004": "The payload does not validate, error messge: {0}",
    "EI005": "The logicalAddress in EngagementTransaction #{0} is reserved and not allowed, hsa-id: {1}",
    "EI006": "The sourceSystem in EngagementTransaction #{0} is reserved and not allowed, hsa-id: {1}",
}


class EiError(Exception):
    """An EI error: ``faultstring`` is ``"EIxxx: <message>"`` (SKLTP ``EiException.getMessage``)."""

    def __init__(self, code: str, *args: object) -> None:
        self.code = code
        self.text = _MESSAGES[code].format(*args)
        super().__init__(f"{code}: {self.text}")

    @property
    def fault_string(self) -> str:
        return str(self)


@dataclass(frozen=True, slots=True)
class EiRules:
    owner: str  # the EI's HSA-id: its logical address and every stored post's owner
    check_logical_address: bool = True  # rule R7 / EI003 (the EI TKB marks R7 "utgår")
    accepted_addresses: frozenset[str] = frozenset()  # more LogicalAddress values R7 accepts
    reserved: frozenset[str] = frozenset()  # EI005/EI006: the platform's own HSA-ids
    max_posts: int = MAX_POSTS


def validate_update(
    logical_address: str | None, transactions: Sequence[EngagementTransaction], rules: EiRules
) -> None:
    """Raise the first :class:`EiError`, in SKLTP's order, then the Update schematron's rules."""
    if rules.check_logical_address:
        _check_r7(logical_address, rules)
    if len(transactions) < 1:
        raise EiError(
            "EI000",
            "The request contains less than 1 engagements. Minium number of engagements per request is 1.",
        )
    if len(transactions) > rules.max_posts:
        raise EiError(
            "EI000",
            f"The request contains more than {rules.max_posts} engagements. "
            f"Maximum number of engagements per request is {rules.max_posts}.",
        )
    seen: dict[str, int] = {}
    for index, transaction in enumerate(transactions, start=1):
        engagement = transaction.engagement
        other = seen.setdefault(engagement.key(engagement.get("owner")), index)
        if other != index:
            raise EiError("EI002", other, index)
        _check_post(index, transaction, rules)


def _check_r7(logical_address: str | None, rules: EiRules) -> None:
    if not logical_address:
        raise EiError("EI003", "missing", rules.owner)
    if logical_address != rules.owner and logical_address not in rules.accepted_addresses:
        raise EiError("EI003", logical_address, rules.owner)


def _check_post(index: int, transaction: EngagementTransaction, rules: EiRules) -> None:
    engagement = transaction.engagement
    for name in _MANDATORY:
        value = engagement.value(name)
        if value and value != value.strip():
            _invalid(index, f'mandatory field "{name}" contains white space in beginning or end')
    if engagement.value("logicalAddress") in rules.reserved:
        raise EiError("EI005", index, engagement.value("logicalAddress"))
    if engagement.value("sourceSystem") in rules.reserved:
        raise EiError("EI006", index, engagement.value("sourceSystem"))
    for name in _MANDATORY:
        if not engagement.value(name):
            _invalid(index, f'mandatory field "{name}" is missing')
    for name, limit in _MAX_LENGTH.items():
        if len(engagement.value(name)) > limit:
            _invalid(index, f'Field "{name}" is to long')
    for name in _TIMESTAMPS:
        if engagement.value(name) and not _is_timestamp(engagement.value(name)):
            _invalid(
                index, f'Field "{name}": Input date is not according to expected format "YYYYMMDDhhmmss"'
            )
    _check_schematron_rules(index, transaction)


def _check_schematron_rules(index: int, transaction: EngagementTransaction) -> None:
    engagement = transaction.engagement
    if transaction.delete_flag_text.strip() not in ("true", "false", "1", "0"):
        _invalid(index, "deleteFlag must be true or false")
    for name in _FORBIDDEN:
        if engagement.has(name):
            _invalid(index, f"{name} MUST NOT be given in engagement")
    for name, value in engagement.fields:
        if value == "":
            _invalid(index, f"{name} should not be empty")
    if transaction.delete and engagement.has("mostRecentContent"):
        _invalid(index, "mostRecentContent MUST NOT be given when deleteFlag=true")


def _invalid(index: int, message: str) -> None:
    raise EiError("EI004", f"EngagementTransaction #{index}: {message}")


def _is_timestamp(text: str) -> bool:
    if len(text) != 14 or not text.isdigit():
        return False
    try:
        datetime.strptime(text, "%Y%m%d%H%M%S")
    except ValueError:
        return False
    return True
