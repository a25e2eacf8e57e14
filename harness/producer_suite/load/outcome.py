"""Is one load answer good? Judged cheaply from bytes, so judging does not become the load.

A good answer is HTTP 200 carrying the contract's response element, no SOAP Fault and no
``resultCode`` ERROR (TKB clinicalprocess:healthcond:description §7, ResultType: ERROR is a
logical error). Anything else is an error of a named kind, so the report can say what went wrong
under load: an HTTP status, a SOAP Fault, a timeout, a refused or reset connection, a TLS failure.
The full exchange of a sample of answers is kept as evidence (load_recorder.py).
"""

from __future__ import annotations

import re
import socket
import ssl

__all__ = ["answer_error", "exception_error"]

_SOAP11 = b"http://schemas.xmlsoap.org/soap/envelope/"
_FAULT = re.compile(rb"<(?:[\w.-]+:)?Fault[\s>]")
_RESULT_ERROR = re.compile(rb"<(?:[\w.-]+:)?resultCode>\s*ERROR\s*</")


def answer_error(status: int, body: bytes, expect: str) -> str | None:
    """The error kind of an HTTP answer, or None when it is a good answer."""
    fault = _SOAP11 in body and _FAULT.search(body) is not None
    if status != 200:
        return f"HTTP {status} with a SOAP Fault" if fault else f"HTTP {status}"
    if fault:
        return "HTTP 200 with a SOAP Fault"
    if re.search(rb"<(?:[\w.-]+:)?" + re.escape(expect.encode("ascii")) + rb"[\s>/]", body) is None:
        return f"HTTP 200 without {expect}"
    if _RESULT_ERROR.search(body) is not None:
        return "resultCode ERROR"
    return None


def exception_error(error: BaseException) -> str:
    """The error kind when no HTTP answer came back."""
    if isinstance(error, ssl.SSLError | ssl.CertificateError):
        return "TLS failure"
    if isinstance(error, TimeoutError | socket.timeout):
        return "timeout (no answer in time)"
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    if isinstance(error, ConnectionResetError | BrokenPipeError):
        return "connection reset"
    name = type(error).__name__
    if "Timeout" in name:
        return "timeout (no answer in time)"
    if "Closed" in name or "Parse" in name:
        return "connection closed without a complete answer"
    return f"no answer ({name})"
