"""Request bodies, read within the limits: ``413`` when too large, ``408`` when they stall.

The errors this layer answers by itself are short plain text, name no part of the request (it may
carry personal data) and close the connection.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from http import HTTPStatus

from aiohttp import web

from harness.server.limits import ServerLimits

__all__ = ["TooLarge", "error_response", "read_body", "read_body_for_app"]

_CHUNK = 65536
_REASONS = {
    400: "the request is not valid HTTP",
    408: "the request body did not arrive in time",
    413: "the request body is too large",
    500: "the server could not answer this request",
}


class TooLarge(Exception):
    """The body is larger than the server accepts."""


def error_response(status: int) -> web.Response:
    """A short plain-text answer from the server layer itself; the connection closes after it."""
    phrase = HTTPStatus(status).phrase
    reason = _REASONS.get(status, phrase.lower())
    response = web.Response(status=status, text=f"{status} {phrase}: {reason}\n")
    response.force_close()
    return response


async def _expect_continue(request: web.BaseRequest) -> None:
    # RFC 9110 §10.1.1: a client that sent "Expect: 100-continue" may wait for this before its body.
    if request.headers.get("Expect", "").lower() == "100-continue" and request.writer is not None:
        await request.writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")


async def read_body(request: web.BaseRequest, limits: ServerLimits) -> bytes:
    """The whole body (any framing), or :class:`TooLarge` / :class:`TimeoutError`."""
    if (request.content_length or 0) > limits.max_body_bytes:
        raise TooLarge
    if not request.body_exists:
        return b""
    await _expect_continue(request)
    chunks: list[bytes] = []
    size = 0
    async with asyncio.timeout(limits.body_timeout_s):
        while chunk := await request.content.read(_CHUNK):
            size += len(chunk)
            if size > limits.max_body_bytes:
                raise TooLarge
            chunks.append(chunk)
    return b"".join(chunks)


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


async def read_body_for_app(request: web.Request, limits: ServerLimits) -> web.StreamResponse | None:
    """Read the body of a request to an aiohttp app within the limits (it is then cached for the
    app's ``request.read()``, ``text()``, ``json()`` and ``post()``); an error response, or None."""
    if (request.content_length or 0) > limits.max_body_bytes:
        return error_response(413)
    if not request.body_exists:
        return None
    try:  # (aiohttp's router has answered "Expect: 100-continue" already)
        async with asyncio.timeout(limits.body_timeout_s):
            body = await request.read()
    except TimeoutError:
        return error_response(408)
    except web.HTTPRequestEntityTooLarge:
        return error_response(413)
    return error_response(413) if len(body) > limits.max_body_bytes else None
