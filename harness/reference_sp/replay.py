"""Replay cache: Response and Assertion IDs, kept until their assertion could no longer be valid.

SAML Profiles 4.1.4.5: "The service provider MUST ensure that bearer assertions are not replayed,
by maintaining the set of used ID values for the length of time for which the assertion would be
considered valid based on the NotOnOrAfter attribute in the <SubjectConfirmationData>."
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from datetime import datetime

__all__ = ["ReplayCache"]


class ReplayCache:
    """Thread-safe set of used IDs with expiry; one per running SP (never module state)."""

    def __init__(self, max_entries: int = 100_000) -> None:
        self._seen: dict[str, datetime] = {}
        self._lock = threading.Lock()
        self._max_entries = max_entries

    def first_use(self, ids: Iterable[str], *, now: datetime, keep_until: datetime) -> bool:
        """Record ``ids``; False (and nothing recorded) if any was used before and has not expired."""
        wanted = [i for i in ids if i]
        with self._lock:
            self._expire(now)
            if any(i in self._seen for i in wanted):
                return False
            for i in wanted:
                self._seen[i] = keep_until
            return True

    def _expire(self, now: datetime) -> None:
        expired = [i for i, until in self._seen.items() if until <= now]
        for i in expired:
            del self._seen[i]
        while len(self._seen) > self._max_entries:  # bounded memory; the oldest entry goes first
            del self._seen[next(iter(self._seen))]
