"""Bounded evidence for the mock platform: every exchange it took part in, newest kept.

A mock that serves a vendor for hours must not grow without bound: :class:`BoundedRecorder` is the
core's :class:`~harness.core.exchange_log.ExchangeLog` (the newest ``max_exchanges``, each body cut
to ``max_body_bytes`` with the length and SHA-256 of the rest in the note) with tag lookup.
Exchanges are :class:`harness.core.exchange.Exchange` values, so reports render them like every
other piece of evidence.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Protocol

from aiohttp import web

from harness.core.exchange import Direction, Exchange
from harness.core.exchange_log import ExchangeLog

__all__ = ["BoundedRecorder", "ExchangeSink", "make_exchange", "record_incoming"]

MAX_EXCHANGES = 1000
MAX_BODY_BYTES = 256 * 1024  # a SOAP call or answer in full, bar the largest journal answers


class ExchangeSink(Protocol):
    """Where exchanges go: a :class:`BoundedRecorder`, or a scenario's ``Recorder``."""

    def next_id(self) -> str: ...

    def add(self, exchange: Exchange) -> Exchange: ...


class BoundedRecorder(ExchangeLog):
    """An :class:`ExchangeLog` sized for the platform, with lookup by tag."""

    def __init__(
        self, prefix: str = "ntp", *, max_exchanges: int = MAX_EXCHANGES, max_body_bytes: int = MAX_BODY_BYTES
    ) -> None:
        super().__init__(prefix, max_exchanges=max_exchanges, max_body_bytes=max_body_bytes)

    def tagged(self, tag: str) -> tuple[Exchange, ...]:
        return tuple(x for x in self.exchanges if tag in x.tags)

    def find(self, exchange_id: str) -> Exchange | None:
        """The exchange with this id, if it is still kept."""
        return next((x for x in self.exchanges if x.id == exchange_id), None)


def make_exchange(
    recorder: ExchangeSink,
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


def record_incoming(
    recorder: ExchangeSink,
    request: web.Request,
    body: bytes,
    response: web.Response,
    started: datetime,
    *,
    peer: str,
    tags: Iterable[str],
    note: str = "",
) -> Exchange:
    """Record a call one of the platform's services took (``body`` as read) and what it answered."""
    return make_exchange(
        recorder,
        direction=Direction.INCOMING,
        method=request.method,
        url=str(request.url),
        request_headers=request.headers.items(),
        request_body=body,
        status=response.status,
        response_headers=response.headers.items(),
        response_body=response.body if isinstance(response.body, bytes) else b"",
        started=started,
        peer=peer,
        tags=tags,
        note=note,
    )


def _pairs(headers: Mapping[str, str] | Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    items = headers.items() if isinstance(headers, Mapping) else headers
    return tuple((str(k), str(v)) for k, v in items)
