"""The platform's outgoing HTTP: a pooled aiohttp client that presents the platform's own client
certificate to https:// producers (mutual TLS) and speaks plain HTTP to http:// ones.

What comes back is classified the way the SKLTP VP does it (``errorhandling/``
``HandleProducerExceptionProcessor.java``, ``HandleEmptyResponseProcessorImpl.java``): a 200 with a
body, or a 500 whose body holds a SOAP envelope, passes through unchanged; no answer in time, no
connection, an empty body, or any other HTTP error is VP009, with the producer's HTTP status in
the detail (``VP_PRODUCER_EXCEPTION_HTTP_STATUS=<n>``).
"""

from __future__ import annotations

import functools
import ssl
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path
from typing import Protocol

import aiohttp

from harness.core.exchange import Direction, Exchange
from harness.core.soap import SOAP11_NS
from harness.mock_ntp.evidence import ExchangeSink, make_exchange
from harness.mock_ntp.faults import VpCode, VpFault

__all__ = [
    "CertificateFiles",
    "Forwarder",
    "ProducerAnswer",
    "ProducerFailure",
    "classify",
    "client_tls_context",
]

MAX_RESPONSE_BYTES = 15_728_640  # SKLTP vp.max.receive.length


class CertificateFiles(Protocol):
    """A certificate, its key and the CA that issued it (``harness.pki.IssuedCertificate`` fits)."""

    @property
    def cert(self) -> Path: ...

    @property
    def key(self) -> Path: ...

    @property
    def ca_cert(self) -> Path: ...


def client_tls_context(
    identity: CertificateFiles | None, trusted: tuple[Path, ...], *, verify: bool = True
) -> ssl.SSLContext:
    """TLS for calls to producers: our certificate if any, the trusted CAs, no hostname check
    (SKLTP ``producer.https.hostnameVerification=false``), TLS 1.2 or 1.3 (SKLTP ``vp.tls.*``)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.check_hostname = False
    context.verify_mode = ssl.CERT_REQUIRED if verify else ssl.CERT_NONE
    for ca in trusted:
        context.load_verify_locations(cafile=str(ca))
    if identity is not None:
        context.load_cert_chain(str(identity.cert), str(identity.key))
    return context


@dataclass(frozen=True, slots=True)
class ProducerAnswer:
    """A producer's answer as received (status, headers, body) and how long it took."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    elapsed_ms: float

    @property
    def content_type(self) -> str:
        return next((v for k, v in self.headers if k.lower() == "content-type"), "")


class Forwarder:
    """One pooled client per platform component; create and close it inside the server's loop."""

    def __init__(self, tls: ssl.SSLContext, *, pool_size: int = 100) -> None:
        self._tls = tls
        self._pool_size = pool_size
        self._session: aiohttp.ClientSession | None = None

    async def start(self) -> None:
        connector = aiohttp.TCPConnector(ssl=self._tls, limit=self._pool_size, keepalive_timeout=15)
        self._session = aiohttp.ClientSession(
            connector=connector,
            auto_decompress=False,
            cookie_jar=aiohttp.DummyCookieJar(),  # a platform keeps no cookies between calls
            skip_auto_headers=("Accept-Encoding",),
        )

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def post(
        self, url: str, body: bytes, headers: Mapping[str, str], *, connect_s: float, timeout_s: float
    ) -> ProducerAnswer:
        """POST and read the whole answer; raises :class:`ProducerFailure` when there is none."""
        if self._session is None:
            raise VpFault(VpCode.VP012, "the producer client is not started")
        started = time.perf_counter()
        timeout = _client_timeout(connect_s, timeout_s)  # total: connect, send and the whole answer
        try:
            async with self._session.post(
                url, data=body, headers=headers, timeout=timeout, allow_redirects=False
            ) as response:
                data = await _read_limited(response)
                pairs = tuple(response.headers.items())
                status = response.status
        except aiohttp.ConnectionTimeoutError:
            raise ProducerFailure("ConnectTimeoutException", f"no connection within {connect_s} s") from None
        except aiohttp.ClientConnectorError as exc:
            raise ProducerFailure("ConnectException", _reason(exc)) from None
        except TimeoutError:
            raise ProducerFailure(
                "ReadTimeoutException", "Timeout when waiting on response from producer."
            ) from None
        except (aiohttp.ClientError, OSError) as exc:
            raise ProducerFailure(type(exc).__name__, _reason(exc)) from None
        return ProducerAnswer(status, pairs, data, (time.perf_counter() - started) * 1000)

    async def post_and_record(
        self,
        url: str,
        body: bytes,
        headers: Mapping[str, str],
        *,
        connect_s: float,
        timeout_s: float,
        recorder: ExchangeSink,
        peer: str,
        tags: Iterable[str],
    ) -> tuple[ProducerAnswer | ProducerFailure, Exchange]:
        """:meth:`post`, with the failure returned rather than raised, and the call recorded (outgoing)."""
        started = datetime.now(UTC)
        answer: ProducerAnswer | ProducerFailure
        try:
            answer = await self.post(url, body, headers, connect_s=connect_s, timeout_s=timeout_s)
        except ProducerFailure as failure:
            answer = failure
        answered = isinstance(answer, ProducerAnswer)
        exchange = make_exchange(
            recorder,
            direction=Direction.OUTGOING,
            method="POST",
            url=url,
            request_headers=headers,
            request_body=body,
            status=answer.status if isinstance(answer, ProducerAnswer) else None,
            response_headers=answer.headers if isinstance(answer, ProducerAnswer) else (),
            response_body=answer.body if isinstance(answer, ProducerAnswer) else b"",
            started=started,
            peer=peer,
            tags=tags,
            note="" if answered else str(answer),
        )
        return answer, exchange


class ProducerFailure(Exception):
    """No usable answer from the producer (connect failure, timeout, TLS, reset, too large)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(f"{kind}: {message}")
        self.kind = kind
        self.message = message


@functools.lru_cache(maxsize=64)
def _client_timeout(connect_s: float, total_s: float) -> aiohttp.ClientTimeout:
    return aiohttp.ClientTimeout(total=total_s, sock_connect=connect_s, connect=connect_s)


async def _read_limited(response: aiohttp.ClientResponse) -> bytes:
    declared = response.content_length
    if declared is not None and declared <= MAX_RESPONSE_BYTES:
        return await response.read()  # the common case, read in one go
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.content.iter_chunked(65536):
        size += len(chunk)
        if size > MAX_RESPONSE_BYTES:
            raise ProducerFailure("TooLongFrameException", f"response larger than {MAX_RESPONSE_BYTES} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _reason(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text[:200]  # HandleProducerExceptionProcessor truncates what it logs to 200 characters


def classify(answer: ProducerAnswer | ProducerFailure, address: str) -> ProducerAnswer | VpFault:
    """Pass the answer through, or the VP009 fault SKLTP gives for it."""
    if isinstance(answer, ProducerFailure):
        return _vp009(address, f"({answer.kind}: {answer.message})")
    if answer.status == 500 and SOAP11_NS.encode() in answer.body:
        return answer  # a producer's SOAP fault passes through unchanged
    if answer.status >= 300:
        info = (
            "(HttpOperationFailedException: HTTP operation failed invoking "
            f"{address} with statusCode: {answer.status})"
        )
        return _vp009(address, f"{info}\nVP_PRODUCER_EXCEPTION_HTTP_STATUS={answer.status}")
    if not answer.body:
        return VpFault(
            VpCode.VP009,
            f"{address}. Empty message when server responded with status code: {_status(answer.status)}",
        )
    return answer


def _vp009(address: str, information: str) -> VpFault:
    return VpFault(
        VpCode.VP009,
        f"{address}. Exception caught when contacting producer. Exception information: {information}",
    )


def _status(code: int) -> str:
    try:
        return f"{code} {HTTPStatus(code).phrase}"
    except ValueError:
        return str(code)
