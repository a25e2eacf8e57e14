"""HTTP/1.x on the wire for the recording proxy: the request head, the body, the answer, the tunnel.

A forward proxy receives absolute-form targets (``GET http://host/path``) and ``CONNECT
host:port`` (RFC 9112 §3.2.2, §3.2.3), so it reads requests itself, within deadlines: the head
within the header timeout, the body (``Content-Length`` or chunked) within the body timeout and
size limit; a tunnel closes when it has been idle too long. Answers are HTTP/1.0, one per
connection. Errors are :class:`ProxyHttpError` with a status and a short message that names no
part of the request.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from http import HTTPStatus

__all__ = ["Answer", "ProxyHttpError", "RequestHead", "plain", "read_body", "read_head", "relay", "send"]

MAX_REQUEST_LINE = 65536  # as http.server
MAX_HEADER_BYTES = 65536
MAX_HEADERS = 100


class ProxyHttpError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True, slots=True)
class RequestHead:
    method: str
    target: str
    headers: tuple[tuple[str, str], ...]

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        return next((value for key, value in self.headers if key.lower() == wanted), None)


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    note: str = ""


def plain(status: int, text: str, note: str = "") -> Answer:
    body = f"{status} {HTTPStatus(status).phrase}: {text}\n".encode()
    return Answer(status, (("Content-Type", "text/plain; charset=utf-8"),), body, note)


async def _line(reader: asyncio.StreamReader, limit: int, status: int) -> bytes:
    try:
        line = await reader.readuntil(b"\n")
    except asyncio.LimitOverrunError:
        raise ProxyHttpError(status, "request line or header too long") from None
    if len(line) > limit:
        raise ProxyHttpError(status, "request line or header too long")
    return line


def _request_line(line: bytes) -> tuple[str, str]:
    parts = line.decode("latin-1").split()
    if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
        raise ProxyHttpError(400, "not an HTTP/1.x request line")
    return parts[0], parts[1]


async def read_head(reader: asyncio.StreamReader, timeout: float) -> RequestHead:
    """The request line and headers, within ``timeout`` (``TimeoutError``); ``IncompleteReadError``
    if the client goes away first."""
    async with asyncio.timeout(timeout):
        method, target = _request_line(await _line(reader, MAX_REQUEST_LINE, 414))
        headers: list[tuple[str, str]] = []
        size = 0
        while (line := await _line(reader, MAX_HEADER_BYTES, 431)).strip():
            size += len(line)
            if size > MAX_HEADER_BYTES or len(headers) >= MAX_HEADERS:
                raise ProxyHttpError(431, "too many or too large header fields")
            name, colon, value = line.decode("latin-1").partition(":")
            if not colon or not name or name != name.strip() or name[0] in " \t":
                raise ProxyHttpError(400, "a header field is malformed")
            headers.append((name, value.strip()))
    return RequestHead(method, target, tuple(headers))


async def _chunked(reader: asyncio.StreamReader, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        try:
            length = int((await _line(reader, 1024, 400)).split(b";")[0].strip(), 16)
        except ValueError:
            raise ProxyHttpError(400, "the chunked body is malformed") from None
        if length == 0:
            while (await _line(reader, MAX_HEADER_BYTES, 400)).strip():
                pass  # trailer fields: not forwarded
            return b"".join(chunks)
        size += length
        if size > limit:
            raise ProxyHttpError(413, "the request body is too large for the recording proxy")
        chunks.append(await reader.readexactly(length))
        await reader.readexactly(2)


async def read_body(reader: asyncio.StreamReader, head: RequestHead, *, limit: int, timeout: float) -> bytes:
    """The body by ``Transfer-Encoding: chunked`` or ``Content-Length``, within ``limit`` bytes (413)
    and ``timeout`` seconds (408)."""
    encoding = (head.header("Transfer-Encoding") or "").lower()
    try:
        length = int(head.header("Content-Length") or 0)
    except ValueError:
        raise ProxyHttpError(400, "Content-Length is not a number") from None
    if encoding and encoding != "chunked":
        raise ProxyHttpError(501, "only the chunked transfer coding is supported")
    if length > limit:
        raise ProxyHttpError(413, "the request body is too large for the recording proxy")
    try:
        async with asyncio.timeout(timeout):
            if encoding == "chunked":
                return await _chunked(reader, limit)
            return await reader.readexactly(length) if length > 0 else b""
    except TimeoutError:
        raise ProxyHttpError(408, "the request body did not arrive in time") from None


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


async def send(writer: asyncio.StreamWriter, answer: Answer, *, with_body: bool = True) -> None:
    """Write ``answer`` as HTTP/1.0 (the connection closes after it)."""
    lines = [f"HTTP/1.0 {answer.status} {_reason(answer.status)}"]
    lines += [f"{name}: {value}" for name, value in answer.headers]
    lines += [f"Content-Length: {len(answer.body)}", "Connection: close", "", ""]
    writer.write("\r\n".join(lines).encode("latin-1", "replace") + (answer.body if with_body else b""))
    with contextlib.suppress(ConnectionError):
        await writer.drain()


async def relay(
    client: tuple[asyncio.StreamReader, asyncio.StreamWriter],
    upstream: tuple[asyncio.StreamReader, asyncio.StreamWriter],
    idle_timeout: float,
) -> None:
    """Copy bytes both ways until either side closes or nothing has moved for ``idle_timeout``."""
    loop = asyncio.get_running_loop()
    last = [loop.time()]

    async def pump(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
        while chunk := await source.read(65536):
            last[0] = loop.time()
            sink.write(chunk)
            await sink.drain()

    pumps = {
        asyncio.create_task(pump(client[0], upstream[1])),
        asyncio.create_task(pump(upstream[0], client[1])),
    }
    try:
        while True:
            left = idle_timeout - (loop.time() - last[0])
            if left <= 0:
                return
            done, _ = await asyncio.wait(pumps, timeout=left, return_when=asyncio.FIRST_COMPLETED)
            if done:
                return
    finally:
        for task in pumps:
            task.cancel()
        await asyncio.gather(*pumps, return_exceptions=True)
        upstream[1].close()
