"""Recorded evidence: every HTTP exchange, raw bytes first, parsed later by checks and reports."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

__all__ = ["Direction", "Exchange", "Recorder"]


class Direction(StrEnum):
    OUTGOING = "outgoing"  # the harness (as 1177's side or as the citizen's browser) called the target
    INCOMING = "incoming"  # something called one of the harness's mocks


@dataclass(frozen=True, slots=True)
class Exchange:
    """One HTTP request and its response, exactly as sent and received."""

    id: str
    direction: Direction
    method: str
    url: str
    request_headers: tuple[tuple[str, str], ...]
    request_body: bytes
    status: int | None
    response_headers: tuple[tuple[str, str], ...]
    response_body: bytes
    started: datetime
    elapsed_ms: float
    peer: str = ""
    tags: tuple[str, ...] = ()
    note: str = ""  # e.g. the transport error when no response came back

    def without_response_body(self, reason: str) -> Exchange:
        """The same exchange with the response body left out (it is evidence elsewhere, or not needed)."""
        if not self.response_body:
            return self
        omitted = f"response body ({len(self.response_body)} bytes) omitted: {reason}"
        return replace(self, response_body=b"", note=f"{self.note}; {omitted}" if self.note else omitted)

    def request_header(self, name: str) -> str | None:
        return _header(self.request_headers, name)

    def response_header(self, name: str) -> str | None:
        return _header(self.response_headers, name)


def _header(headers: tuple[tuple[str, str], ...], name: str) -> str | None:
    wanted = name.lower()
    return next((value for key, value in headers if key.lower() == wanted), None)


@dataclass
class Recorder:
    """Collects exchanges for one scenario (or one mock), thread-safe, in order."""

    prefix: str = "x"
    _items: list[Exchange] = field(default_factory=list)
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def next_id(self) -> str:
        with self._lock:
            return f"{self.prefix}{next(self._ids)}"

    def add(self, exchange: Exchange) -> Exchange:
        with self._lock:
            self._items.append(exchange)
        return exchange

    @property
    def exchanges(self) -> tuple[Exchange, ...]:
        with self._lock:
            return tuple(self._items)

    def tagged(self, tag: str) -> tuple[Exchange, ...]:
        return tuple(x for x in self.exchanges if tag in x.tags)

    def since(self, count: int) -> tuple[Exchange, ...]:
        """The exchanges recorded after the first ``count`` (to scope a step's evidence)."""
        return self.exchanges[count:]
