"""Rules from the TKBs that no official schema or schematron file checks, written by us.

Update (itintegration:engagementindex 1.0): posts must be unique within one request. The fields marked
"Del av instansens unikhet" (TKB itintegration:engagementindex §5) form the key; SKLTP EI answers a
duplicate with EI002. Inera's ``general_update_constraints.xml`` has no rule for it.
"""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from harness.contracts.ei import read_update
from harness.contracts.model import ContractVersion, MessageRole
from harness.contracts.platform import UPDATE_1_0
from harness.validation.issues import IssueKind, ValidationIssue, line_of

__all__ = ["RULES", "rule_issues", "unique_update_posts"]

Rule = Callable[[etree._Element], tuple[ValidationIssue, ...]]


def unique_update_posts(update: etree._Element) -> tuple[ValidationIssue, ...]:
    """One issue per engagementTransaction whose key repeats an earlier one in the same Update."""
    seen: dict[tuple[str | None, ...], int] = {}
    issues = []
    transactions = update.findall(f"{{{UPDATE_1_0.namespace}}}engagementTransaction")
    for position, (element, transaction) in enumerate(zip(transactions, read_update(update), strict=True), 1):
        key = transaction.engagement.key
        if key in seen:
            issues.append(
                ValidationIssue(
                    kind=IssueKind.RULE,
                    rule="unique engagement posts (TKB itintegration:engagementindex §5, instansens unikhet)",
                    message=f"engagementTransaction {position} has the same key as engagementTransaction "
                    f"{seen[key]}: posts must be unique within one Update",
                    location=f"/*[local-name()='Update']/*[local-name()='engagementTransaction'][{position}]",
                    line=line_of(element),
                )
            )
        else:
            seen[key] = position
    return tuple(issues)


# Our rules per (contract key, message role).
RULES: dict[tuple[str, MessageRole], tuple[tuple[str, Rule], ...]] = {
    (UPDATE_1_0.key, MessageRole.REQUEST): (("unique engagement posts", unique_update_posts),),
}


def rule_issues(
    contract: ContractVersion, role: MessageRole, element: etree._Element
) -> tuple[tuple[str, ...], tuple[ValidationIssue, ...]]:
    """The names of our rules for ``contract``'s ``role`` message, and their issues on ``element``."""
    rules = RULES.get((contract.key, role), ())
    return tuple(name for name, _ in rules), tuple(i for _, rule in rules for i in rule(element))
