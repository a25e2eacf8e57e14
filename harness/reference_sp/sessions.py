"""Server-side sessions: who is logged in, and which AuthnRequests this browser has outstanding.

Server-side, so that an outstanding request is consumed once (a replayed cookie cannot bring it
back) and a logged-out session is gone. The browser holds only random handles.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

__all__ = ["PendingRequest", "SessionRecord", "SessionStore"]

PENDING_LIFETIME = timedelta(minutes=10)
_MAX_PENDING_PER_BROWSER = 8
_MAX_ENTRIES = 50_000


@dataclass(frozen=True, slots=True)
class PendingRequest:
    """An AuthnRequest the SP sent and has not yet seen answered (SAML Core 3.2.2 InResponseTo)."""

    request_id: str
    relay_state: str
    issued_at: datetime


@dataclass(frozen=True, slots=True)
class SessionRecord:
    personnummer: str
    contact_id: int
    given_name: str
    surname: str
    started: datetime


class SessionStore:
    def __init__(self) -> None:
        self._sessions: dict[str, SessionRecord] = {}
        self._pending: dict[str, dict[str, PendingRequest]] = {}
        self._lock = threading.Lock()

    def add_pending(self, handle: str | None, request: PendingRequest) -> str:
        """Remember ``request`` for the browser holding ``handle`` (a new handle if none); return it."""
        with self._lock:
            if handle is None or handle not in self._pending:
                handle = secrets.token_urlsafe(24)
                _bounded(self._pending)
            requests = self._pending.setdefault(handle, {})
            requests[request.request_id] = request
            while len(requests) > _MAX_PENDING_PER_BROWSER:
                del requests[next(iter(requests))]
            return handle

    def take_pending(self, handle: str | None, request_id: str, now: datetime) -> PendingRequest | None:
        """The browser's outstanding request ``request_id``, removed: an answer is accepted once."""
        if not handle or not request_id:
            return None
        with self._lock:
            pending = self._pending.get(handle, {}).pop(request_id, None)
        if pending is None or now - pending.issued_at > PENDING_LIFETIME:
            return None
        return pending

    def has_pending(self, handle: str | None) -> bool:
        """Whether the browser holding ``handle`` has any request outstanding."""
        with self._lock:
            return bool(handle and self._pending.get(handle))

    def start(self, record: SessionRecord) -> str:
        """A new session with a fresh id (never reuse an id from before the login: fixation)."""
        token = secrets.token_urlsafe(32)
        with self._lock:
            _bounded(self._sessions)
            self._sessions[token] = record
        return token

    def get(self, token: str | None) -> SessionRecord | None:
        if not token:
            return None
        with self._lock:
            return self._sessions.get(token)

    def end(self, token: str | None) -> None:
        if token:
            with self._lock:
                self._sessions.pop(token, None)


def _bounded(entries: dict[str, Any]) -> None:
    while len(entries) >= _MAX_ENTRIES:  # bounded memory under a flood of logins; oldest first
        del entries[next(iter(entries))]
