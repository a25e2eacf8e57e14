"""Bounded evidence for the mock platform: every exchange it took part in, newest kept.

A mock that serves a vendor for hours must not grow without bound, so the recorder keeps the
last ``limit`` exchanges (and counts what it dropped). Exchanges are :class:`harness.core.exchange.Exchange`
values, so reports render them like every other piece of evidence.
"""

from __future__ import annotations

import itertools
import threading
from collections import deque
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime

from harness.core.exchange import Direction, Exchange, Recorder

__all__ = ["BoundedRecorder", "make_exchange"]

DEFAULT_LIMIT = 2000


class BoundedRecorder(Recorder):
    """A thread-safe :class:`Recorder` that keeps only the newest ``limit`` exchanges."""

    def __init__(self, prefix: str = "ntp", limit: int = DEFAULT_LIMIT) -> None:
        super().__init__(prefix=prefix)
        self.limit = limit
        self.dropped = 0
        self._ring: deque[Exchange] = deque(maxlen=limit)
        self._ring_lock = threading.Lock()
        self._counter = itertools.count(1)

    def next_id(self) -> str:
        with self._ring_lock:
            return f"{self.prefix}{next(self._counter)}"

    def add(self, exchange: Exchange) -> Exchange:
        with self._ring_lock:
            if len(self._ring) == self.limit:
                self.dropped += 1
            self._ring.append(exchange)
        return exchange

    @property
    def exchanges(self) -> tuple[Exchange, ...]:
        with self._ring_lock:
            return tuple(self._ring)

    def clear(self) -> None:
        with self._ring_lock:
            self._ring.clear()


def make_exchange(
    recorder: Recorder,
    *,
    direction: Direction,
    method: str,
    url: str,
    request_headers: Mapping[str, str] | Iterable[tuple[str, str]],
    request_body: bytes,
    status: int | None,
    response_headers: Mapping[str, str] | Iterable[tuple[str, str]],
    response_body: bytes,
    started: datetime,
    peer: str = "",
    tags: Iterable[str] = (),
    note: str = "",
) -> Exchange:
    """Build, record and return one exchange (elapsed time measured up to now)."""
    now = datetime.now(UTC)
    exchange = Exchange(
        id=recorder.next_id(),
        direction=direction,
        method=method,
        url=url,
        request_headers=_pairs(request_headers),
        request_body=request_body,
        status=status,
        response_headers=_pairs(response_headers),
        response_body=response_body,
        started=started,
        elapsed_ms=(now - started).total_seconds() * 1000,
        peer=peer,
        tags=tuple(tags),
        note=note,
    )
    return recorder.add(exchange)


def _pairs(headers: Mapping[str, str] | Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    items = headers.items() if isinstance(headers, Mapping) else headers
    return tuple((str(k), str(v)) for k, v in items)
