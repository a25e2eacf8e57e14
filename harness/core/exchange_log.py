"""A bounded log of exchanges, for servers that record what reaches them for as long as they run.

At most ``max_exchanges`` are kept (the oldest go first; ``dropped`` counts them), and of each
request and response body at most ``max_body_bytes``: the head is kept, and the exchange's note
gives the whole body's length and the SHA-256 of the part that was cut, so the evidence still
says exactly what arrived.
"""

from __future__ import annotations

import hashlib
import itertools
import threading
from collections import deque
from dataclasses import replace

from harness.core.exchange import Exchange

__all__ = ["DEFAULT_MAX_BODY_BYTES", "DEFAULT_MAX_EXCHANGES", "ExchangeLog", "cut_body"]

DEFAULT_MAX_EXCHANGES = 5_000
DEFAULT_MAX_BODY_BYTES = 64 * 1024  # a SAML message is a few kB; an AuthnRequest rarely 20 kB


def cut_body(body: bytes, limit: int, what: str) -> tuple[bytes, str]:
    """``body`` cut to ``limit`` bytes, and the note that describes the rest ("" if nothing was cut)."""
    if len(body) <= limit:
        return body, ""
    rest = hashlib.sha256(memoryview(body)[limit:]).hexdigest()
    note = (
        f"{what} body cut to its first {limit} bytes of {len(body)}; "
        f"SHA-256 of the remaining {len(body) - limit} bytes: {rest}"
    )
    return body[:limit], note


class ExchangeLog:
    """Thread-safe, ordered, bounded; ids are ``<prefix><n>`` and never reused."""

    def __init__(
        self,
        prefix: str,
        *,
        max_exchanges: int = DEFAULT_MAX_EXCHANGES,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    ) -> None:
        if max_exchanges < 1 or max_body_bytes < 0:
            raise ValueError("max_exchanges must be at least 1 and max_body_bytes not negative")
        self.prefix = prefix
        self.max_body_bytes = max_body_bytes
        self._items: deque[Exchange] = deque(maxlen=max_exchanges)
        self._ids = itertools.count(1)
        self._dropped = 0
        self._lock = threading.Lock()

    def next_id(self) -> str:
        with self._lock:
            return f"{self.prefix}{next(self._ids)}"

    def add(self, exchange: Exchange) -> Exchange:
        """Keep ``exchange`` with its bodies cut to the limit; returns what was kept."""
        request_body, request_note = cut_body(exchange.request_body, self.max_body_bytes, "request")
        response_body, response_note = cut_body(exchange.response_body, self.max_body_bytes, "response")
        if request_note or response_note:
            note = "; ".join(n for n in (exchange.note, request_note, response_note) if n)
            exchange = replace(exchange, request_body=request_body, response_body=response_body, note=note)
        with self._lock:
            if len(self._items) == self._items.maxlen:
                self._dropped += 1
            self._items.append(exchange)
        return exchange

    @property
    def exchanges(self) -> tuple[Exchange, ...]:
        with self._lock:
            return tuple(self._items)

    @property
    def dropped(self) -> int:
        """How many of the oldest exchanges were let go to keep the log within its bound."""
        with self._lock:
            return self._dropped
