"""A recording HTTP client: every exchange kept as evidence, exactly as it was sent and received.

Any method, body and content type (SOAP envelopes, forms, anything); optionally a client
certificate (mutual TLS, as consumers and the virtualisation platform authenticate on
Nationella tjänsteplattformen, SKLTP VP ``doc/config/configuration.md``); server verification
against a CA file, the system's trust store, or off; a connect timeout and a deadline for the
whole response; never follows redirects; keeps connections alive (one pool per transport).

Every exchange is in the recorder before :meth:`HttpTransport.send` returns or raises. When no
complete response came back, the exchange has status ``None`` and a note naming the error class
and a short reason; neither the note nor the exception repeats the URL's path or query, which may
carry personal data.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter
from requests.cookies import RequestsCookieJar
from requests.structures import CaseInsensitiveDict
from urllib3.response import HTTPResponse

from harness import __version__
from harness.core.exchange import Direction, Exchange, Recorder
from harness.transport_errors import describe_failure

__all__ = ["ClientIdentity", "HttpTransport", "TargetUnreachable"]

DEFAULT_HEADERS: Mapping[str, str] = {
    "User-Agent": f"1177-conformance-harness/{__version__}",
    "Accept": "*/*",
    "Accept-Encoding": "identity",  # no content coding: the body recorded is the body received
    "Connection": "keep-alive",
}
_CHUNK = 64 * 1024
_POOL_SIZE = 16  # connections kept alive per host


@dataclass(frozen=True, slots=True)
class ClientIdentity:
    """A client certificate and its private key (PEM files), presented in the TLS handshake."""

    cert: Path
    key: Path


class TargetUnreachable(ConnectionError):
    """No complete HTTP response (refused, timed out, TLS failed, cut off): the verdict is ``error``.

    ``exchange`` is the recorded attempt (status ``None``, the reason in its note).
    """

    def __init__(self, message: str, exchange: Exchange) -> None:
        super().__init__(message)
        self.exchange = exchange


@dataclass(frozen=True, slots=True)
class _Sent:
    method: str
    url: str
    headers: tuple[tuple[str, str], ...]
    body: bytes


@dataclass(frozen=True, slots=True)
class _Received:
    status: int | None
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    note: str = ""


class _TooLarge(Exception):
    """The response body exceeded the transport's limit."""


class _Body:
    """The response body as it arrives, kept for evidence even if the response breaks off."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.chunks: list[bytes] = []
        self.size = 0

    def add(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > self.limit:
            self.chunks.clear()
            raise _TooLarge(f"ResponseTooLarge: body over {self.limit} bytes, not kept")
        self.chunks.append(chunk)

    def value(self) -> bytes:
        return b"".join(self.chunks)


_FAILURES = (requests.RequestException, urllib3.exceptions.HTTPError, OSError, _TooLarge)


class HttpTransport:
    """An HTTP client with its own connection pool; every exchange goes to ``recorder``.

    ``timeout`` bounds the wait for the complete response, from sending the request to the last
    byte of the body; ``connect_timeout`` (default: ``timeout``) bounds TCP connect and TLS
    handshake. With ``verify_hostname=False`` the server's certificate chain is still verified,
    but not its names (SKLTP VP's ``producer.https.hostnameVerification=false``). The transport
    keeps no cookies unless it is given a jar (a browser's). It may be shared between threads.
    """

    def __init__(
        self,
        recorder: Recorder,
        *,
        verify: bool | Path = True,
        identity: ClientIdentity | None = None,
        timeout: float = 10.0,
        headers: Mapping[str, str] | None = None,
        connect_timeout: float | None = None,
        verify_hostname: bool = True,
        max_response_bytes: int = 32 * 1024 * 1024,
        cookies: RequestsCookieJar | None = None,
    ) -> None:
        self.recorder = recorder
        self.identity = identity
        self.timeout = timeout
        self.connect_timeout = timeout if connect_timeout is None else connect_timeout
        self.max_response_bytes = max_response_bytes
        self._verify: bool | str = str(verify) if isinstance(verify, Path) else verify
        self._cert = None if identity is None else (str(identity.cert), str(identity.key))
        self._session = _session(headers or {}, cookies, verify_hostname)

    def send(
        self,
        method: str,
        url: str,
        *,
        body: bytes = b"",
        headers: Mapping[str, str] | None = None,
        tags: Iterable[str] = (),
        timeout: float | None = None,
    ) -> Exchange:
        """One request, no redirect following; the exchange is recorded before it is returned.

        Raises :class:`TargetUnreachable` (after recording the attempt) when no complete response came.
        """
        wait = self.timeout if timeout is None else timeout
        tags = tuple(tags)
        started, clock = datetime.now(UTC), time.perf_counter()
        sent = _Sent(method, url, tuple((headers or {}).items()), body)
        response: requests.Response | None = None
        arrived = _Body(self.max_response_bytes)
        try:
            prepared = self._prepare(method, url, body, headers)
            sent = _sent(prepared)
            response = self._open(prepared, wait)
            _read(response.raw, clock + wait, arrived)
        except _FAILURES as exc:
            elapsed = time.perf_counter() - clock
            note = (
                str(exc)
                if isinstance(exc, _TooLarge)
                else describe_failure(exc, elapsed, self.connect_timeout, wait)
            )
            exchange = self._record(sent, _failed(response, arrived, note), started, clock, tags)
            raise TargetUnreachable(f"{method} {_origin(url)}: {note}", exchange) from None
        received = _Received(
            response.status_code, _headers(response), arrived.value(), _coding_note(response.raw)
        )
        response.raw.release_conn()  # back to the pool: keep-alive
        return self._record(sent, received, started, clock, tags)

    def close(self) -> None:
        """Close the pooled connections."""
        self._session.close()

    def __enter__(self) -> HttpTransport:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def _prepare(
        self, method: str, url: str, body: bytes, headers: Mapping[str, str] | None
    ) -> requests.PreparedRequest:
        request = requests.Request(method, url, data=body or None, headers=dict(headers or {}))
        prepared = self._session.prepare_request(request)
        if "Host" not in prepared.headers:  # sent as recorded (http.client would add it unrecorded)
            prepared.headers = CaseInsensitiveDict(
                [("Host", _host(prepared.url or url)), *prepared.headers.items()]
            )
        return prepared

    def _open(self, prepared: requests.PreparedRequest, wait: float) -> requests.Response:
        options: dict[str, Any] = {
            "stream": True,
            "allow_redirects": False,
            "verify": self._verify,
            "cert": self._cert,
            "timeout": (self.connect_timeout, wait),
        }
        if self._verify is not False:
            return self._session.send(prepared, **options)
        with warnings.catch_warnings():  # verification off was asked for; urllib3 warns on every request
            warnings.simplefilter("ignore", urllib3.exceptions.InsecureRequestWarning)
            return self._session.send(prepared, **options)

    def _record(
        self, sent: _Sent, received: _Received, started: datetime, clock: float, tags: tuple[str, ...]
    ) -> Exchange:
        return self.recorder.add(
            Exchange(
                id=self.recorder.next_id(),
                direction=Direction.OUTGOING,
                method=sent.method,
                url=sent.url,
                request_headers=sent.headers,
                request_body=sent.body,
                status=received.status,
                response_headers=received.headers,
                response_body=received.body,
                started=started,
                elapsed_ms=(time.perf_counter() - clock) * 1000,
                tags=tags,
                note=received.note,
            )
        )


def _session(
    headers: Mapping[str, str], cookies: RequestsCookieJar | None, verify_hostname: bool
) -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # never send test traffic through a proxy or .netrc from the environment
    session.headers.clear()
    session.headers.update({**DEFAULT_HEADERS, **headers})
    session.cookies = (
        cookies if cookies is not None else RequestsCookieJar(DefaultCookiePolicy(allowed_domains=[]))
    )
    adapter = _Adapter(verify_hostname)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


class _Adapter(HTTPAdapter):
    """requests' adapter with a larger pool and, when asked, no host-name check (the chain still is)."""

    def __init__(self, verify_hostname: bool) -> None:
        self._pool_options: dict[str, Any] = {} if verify_hostname else {"assert_hostname": False}
        super().__init__(pool_connections=4, pool_maxsize=_POOL_SIZE)

    def init_poolmanager(self, connections: int, maxsize: int, block: bool = False, **options: Any) -> None:
        super().init_poolmanager(connections, maxsize, block, **{**options, **self._pool_options})


def _read(raw: HTTPResponse, deadline: float, into: _Body) -> None:
    """The whole body by ``deadline`` (a slowly dripping server cannot hold the caller longer)."""
    while True:
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            raise TimeoutError("response deadline passed")
        sock = getattr(raw.connection, "sock", None)
        if sock is not None:
            sock.settimeout(remaining)
        chunk = raw.read1(_CHUNK, decode_content=True)  # one receive at most: the deadline is checked often
        if not chunk:
            return
        into.add(chunk)


def _headers(response: requests.Response) -> tuple[tuple[str, str], ...]:
    """The response headers as received: in order, a repeated header once per occurrence."""
    return tuple((str(k), str(v)) for k, v in response.raw.headers.items())


def _coding_note(raw: HTTPResponse) -> str:
    """Say so when the body was sent with a content coding (the body recorded is then decoded)."""
    coding = raw.headers.get("Content-Encoding", "").strip().lower()
    if coding in ("", "identity"):
        return ""
    known = all(c.strip() in HTTPResponse.CONTENT_DECODERS for c in coding.split(","))
    how = "decoded" if known else "as received (coding unknown, not decoded)"
    return f"Content-Encoding {coding}: body recorded {how}; {raw.tell()} bytes received"


def _failed(response: requests.Response | None, arrived: _Body, note: str) -> _Received:
    """No complete response: status None; what did arrive (headers, part of the body) is kept."""
    if response is None:
        return _Received(None, note=note)
    response.close()  # the connection is in an unknown state: never reused
    return _Received(
        None, _headers(response), arrived.value(), f"{note} (after status {response.status_code})"
    )


def _sent(prepared: requests.PreparedRequest) -> _Sent:
    body = prepared.body or b""
    return _Sent(
        method=prepared.method or "GET",
        url=prepared.url or "",
        headers=tuple((str(k), str(v)) for k, v in prepared.headers.items()),
        body=body.encode() if isinstance(body, str) else bytes(body),
    )


def _host(url: str) -> str:
    """The Host header http.client would send: the URL's host and port, without a default port."""
    parts = urlsplit(url)
    netloc = parts.netloc.rpartition("@")[2]
    default = {"http": ":80", "https": ":443"}.get(parts.scheme, "")
    return netloc[: -len(default)] if default and netloc.endswith(default) else netloc


def _origin(url: str) -> str:
    """Scheme, host and port only: a path or query may carry personal data."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "(unparsable URL)"
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}" if parts.netloc else "(URL without host)"
