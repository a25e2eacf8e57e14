"""Matching the logged-in person to a contact: the exact 12-digit personnummer, nothing else.

Never the 10-digit form (it hides the century: 196507132758 and 206507132758 share it) and never
the name (the CGI IdP sends all given names, others the tilltalsnamn; many people share a name).
"""

from __future__ import annotations

from collections.abc import Sequence

from harness.reference_sp.data import ContactRow
from harness.reference_sp.identity import Identity

__all__ = ["match_exact"]


def match_exact(identity: Identity, contacts: Sequence[ContactRow]) -> ContactRow | None:
    if len(identity.personnummer) != 12:
        return None
    return next((c for c in contacts if c.personnummer == identity.personnummer), None)
