"""Plain-text coverage listing for ``conformance coverage`` (what is verified, what is not yet, and why)."""

from __future__ import annotations

import textwrap

from harness.requirements.catalogue import Coverage

__all__ = ["render_coverage"]

_RULE_WIDTH = 72


def render_coverage(suite: str, result: Coverage) -> str:
    """Every requirement with its verifying scenarios, then the gaps with their reasons, then broken links."""
    entries = result.entries
    lines = [
        f"{suite}: {len(entries)} requirements, {len(result.verified)} verified by scenarios, "
        f"{len(result.gaps)} not verified yet"
    ]
    if not entries:
        lines.append(f"  (no catalogue yet: harness/requirements/{suite}.toml does not exist)")
    id_width = max((len(e.requirement.id) for e in entries), default=0)
    for entry in entries:
        req = entry.requirement
        verified_by = ", ".join(entry.scenarios) if entry.verified else "NOT VERIFIED"
        rule = textwrap.shorten(req.rule, _RULE_WIDTH, placeholder=" ...")
        lines.append(f"  {req.id:<{id_width}}  {req.level.value:<6}  {rule}")
        lines.append(f"  {'':<{id_width}}  {'':<6}  -> {verified_by}")
    if result.gaps:
        lines += ["", f"Not verified yet ({len(result.gaps)}):"]
        for entry in result.gaps:
            reason = entry.requirement.untested_reason or "(no reason recorded in the catalogue)"
            lines.append(f"  {entry.requirement.id:<{id_width}}  NOT VERIFIED: {reason}")
    if result.stale_reasons:
        lines += ["", "Verified now but still carrying an untested_reason (remove it):"]
        lines += [f"  {req_id}" for req_id in result.stale_reasons]
    if result.unlinked_scenarios:
        lines += ["", "Scenarios that declare no requirement:", "  " + ", ".join(result.unlinked_scenarios)]
    if result.unknown_references:
        lines += ["", "BROKEN: scenarios naming requirements the catalogue does not hold:"]
        lines += [f"  {scenario_id} -> {req_id}" for scenario_id, req_id in result.unknown_references]
    return "\n".join(lines)
