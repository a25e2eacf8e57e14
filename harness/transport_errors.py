"""Why an HTTP exchange failed, in one short line free of personal data.

requests and urllib3 put the full URL (path and query, which may carry a personnummer) into
their exception texts, so the text is never used: the reason is read from the exception classes
in the cause chain instead (and, for TLS, OpenSSL's reason code).
"""

from __future__ import annotations

import http.client
import socket
import ssl
from collections.abc import Iterator

import requests
import urllib3

__all__ = ["describe_failure"]

_REASONS: tuple[tuple[type[BaseException], str], ...] = (
    (http.client.RemoteDisconnected, "the server closed the connection without a response"),
    (ConnectionRefusedError, "connection refused"),
    (ConnectionResetError, "connection reset by the server"),
    (BrokenPipeError, "connection closed while the request was sent"),
    (socket.gaierror, "host name not resolved"),
    (requests.exceptions.InvalidHeader, "a request header is not valid"),
    (requests.exceptions.MissingSchema, "not an absolute http(s) URL"),
    (requests.exceptions.InvalidSchema, "not an http(s) URL"),
    (requests.exceptions.InvalidURL, "not a valid URL"),
    (urllib3.exceptions.LocationParseError, "not a valid URL"),
    (http.client.IncompleteRead, "connection closed before the body was complete"),
    (urllib3.exceptions.ProtocolError, "the connection broke"),
)
_TIMEOUTS = (requests.exceptions.ReadTimeout, urllib3.exceptions.ReadTimeoutError, TimeoutError)


def describe_failure(exc: BaseException, elapsed_s: float, connect_timeout: float, timeout: float) -> str:
    """``"<ErrorClass>: <reason>"`` for an exchange that got no complete response."""
    after = f"after {elapsed_s:.2f} s"
    if _is_connect_timeout(exc):
        return f"ConnectTimeout: no connection {after} (connect timeout {connect_timeout:g} s)"
    if _cause(exc, _TIMEOUTS):
        limits = f"connect {connect_timeout:g} s, response {timeout:g} s"
        return f"ReadTimeout: no complete response {after} (timeouts: {limits})"
    tls = _cause(exc, (ssl.SSLError,))
    if isinstance(tls, ssl.SSLError):
        return f"SSLError: TLS failed ({_tls_reason(tls)})"
    for kind, reason in _REASONS:
        if _cause(exc, (kind,)):
            return f"{type(exc).__name__}: {reason}"
    innermost = list(_chain(exc))[-1]
    return f"{type(exc).__name__}: {type(innermost).__name__}"


def _is_connect_timeout(exc: BaseException) -> bool:
    """urllib3's NewConnectionError (e.g. refused) subclasses ConnectTimeoutError: it is not a timeout."""
    return any(
        isinstance(e, (requests.exceptions.ConnectTimeout, urllib3.exceptions.ConnectTimeoutError))
        and not isinstance(e, urllib3.exceptions.NewConnectionError)
        for e in _chain(exc)
    )


def _tls_reason(error: ssl.SSLError) -> str:
    """OpenSSL's reason (e.g. CERTIFICATE_VERIFY_FAILED, TLSV13_ALERT_CERTIFICATE_REQUIRED)."""
    reason = error.reason or type(error).__name__
    detail = getattr(error, "verify_message", "")
    return f"{reason}: {detail}" if detail else str(reason)


def _cause(exc: BaseException, kinds: tuple[type[BaseException], ...]) -> BaseException | None:
    return next((e for e in _chain(exc) if isinstance(e, kinds)), None)


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """``exc`` and what it wraps: arguments, urllib3's ``reason``, ``__cause__`` and ``__context__``."""
    seen: set[int] = set()
    todo = [exc]
    while todo:
        current = todo.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        linked = [*current.args, getattr(current, "reason", None), current.__cause__, current.__context__]
        todo += [e for e in linked if isinstance(e, BaseException)]
