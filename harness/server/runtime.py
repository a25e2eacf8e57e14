"""A server on its own asyncio loop in a daemon thread: the accept loop, bounded connections, stop.

The listening socket is bound in the caller's thread (so a port in use raises ``OSError`` there);
the loop then accepts while fewer than ``max_connections`` connections are open (further clients
wait in the listen backlog) and hands each connection to its service: HTTP (:mod:`.http`) or a raw
stream handler (the recording proxy). TLS handshakes run in the loop, each bounded by
``handshake_timeout_s``, never on the accept path, so a client that connects and sends nothing
holds one connection slot for a few seconds and delays no one.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import Future
from typing import Protocol

from harness.server.limits import ServerLimits

__all__ = ["OpenTransports", "RunningServer", "Service", "StreamHandler", "StreamService", "listen"]

log = logging.getLogger("harness.server")

_BACKLOG = 1024
_STOP_TIMEOUT_S = 5.0
_ACCEPT_RETRY_S = 0.05  # after an accept error (e.g. out of file descriptors): no busy loop

StreamHandler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


class OpenTransports:
    """The transports of a service's open connections, so that stopping can abort them all at once
    (a graceful TLS close would wait for each client's close_notify)."""

    def __init__(self) -> None:
        self._open: set[asyncio.BaseTransport] = set()

    def add(self, transport: asyncio.BaseTransport) -> None:
        self._open.add(transport)

    def discard(self, transport: asyncio.BaseTransport) -> None:
        self._open.discard(transport)

    def abort_all(self) -> None:
        for transport in list(self._open):
            if isinstance(transport, asyncio.Transport):
                transport.abort()
            else:
                transport.close()
        self._open.clear()


class Service(Protocol):
    """What a server does with its connections."""

    async def setup(self) -> None: ...

    async def serve(self, conn: socket.socket) -> None:
        """Serve one accepted connection until it is closed."""

    async def close(self) -> None: ...


def listen(host: str, port: int) -> socket.socket:
    """A listening, non-blocking TCP socket on ``host``:``port`` (0: a free port)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(_BACKLOG)
        sock.setblocking(False)
    except BaseException:
        sock.close()
        raise
    return sock


class RunningServer:
    """A running server: ``port``, ``scheme``, ``base_url`` (``http(s)://HOST:PORT``); ``stop()`` ends it."""

    def __init__(
        self, sock: socket.socket, service: Service, *, scheme: str, limits: ServerLimits, name: str
    ):
        self.host = str(sock.getsockname()[0])
        self.port = int(sock.getsockname()[1])
        self.scheme = scheme
        url_host = f"[{self.host}]" if ":" in self.host else self.host
        self.base_url = f"{scheme}://{url_host}:{self.port}"
        self.name = name or f"server-{self.port}"
        self._sock, self._service, self._limits = sock, service, limits
        self._loop = asyncio.new_event_loop()
        self._connections: set[asyncio.Task[None]] = set()
        self._accepting: asyncio.Task[None] | None = None
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
        self._ready: Future[None] = Future()
        self._stopped = False

    def __repr__(self) -> str:
        return f"<RunningServer {self.name} {self.base_url}>"

    def start(self) -> RunningServer:
        """Start the loop thread; return once the service is set up and connections are accepted."""
        self._thread.start()
        try:
            self._ready.result()
        except BaseException:
            self._sock.close()
            raise
        return self

    def stop(self) -> None:
        """Stop accepting, close every connection, end the loop thread (idempotent)."""
        if self._stopped or not self._thread.is_alive():
            self._stopped = True
            return
        if threading.current_thread() is self._thread:
            raise RuntimeError("stop() is called from outside the server's own loop")
        self._stopped = True
        done = asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop)
        with contextlib.suppress(Exception):
            done.result(_STOP_TIMEOUT_S)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(_STOP_TIMEOUT_S)

    # -- in the loop thread -------------------------------------------------------------------

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_until_complete(self._service.setup())
            self._accepting = self._loop.create_task(self._accept())
        except BaseException as exc:
            self._ready.set_exception(exc)
            self._loop.close()
            return
        self._ready.set_result(None)
        try:
            self._loop.run_forever()
        finally:
            self._loop.close()

    async def _accept(self) -> None:
        loop = asyncio.get_running_loop()
        slots = asyncio.Semaphore(self._limits.max_connections)
        while True:
            await slots.acquire()
            try:
                conn, _ = await loop.sock_accept(self._sock)
            except OSError as exc:
                slots.release()
                log.warning("%s: accept failed (%s)", self.name, type(exc).__name__)
                await asyncio.sleep(_ACCEPT_RETRY_S)
                continue
            except BaseException:
                slots.release()
                raise
            task = loop.create_task(self._serve(conn, slots))
            self._connections.add(task)
            task.add_done_callback(self._connections.discard)

    async def _serve(self, conn: socket.socket, slots: asyncio.Semaphore) -> None:
        try:
            await self._service.serve(conn)
        except (OSError, TimeoutError):
            pass  # a failed or timed-out TLS handshake, a reset: asyncio has closed the socket
        except Exception as exc:  # never the message: it could carry request data
            log.warning("%s: connection failed (%s)", self.name, type(exc).__name__)
        finally:
            slots.release()

    async def _shutdown(self) -> None:
        if self._accepting is not None:
            self._accepting.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._accepting
        self._sock.close()
        with contextlib.suppress(Exception):
            await self._service.close()  # aborts the open connections
        for task in list(self._connections):
            task.cancel()  # handshakes still under way, stream handlers
        await asyncio.gather(*self._connections, return_exceptions=True)
        for _ in range(3):  # let the aborted transports run their connection_lost and close their sockets
            await asyncio.sleep(0)


class StreamService:
    """A raw stream service: ``handler(reader, writer)`` per connection (plain TCP)."""

    def __init__(self, handler: StreamHandler, *, read_limit: int) -> None:
        self._handler = handler
        self._read_limit = read_limit
        self._transports = OpenTransports()

    async def setup(self) -> None:
        return None

    async def serve(self, conn: socket.socket) -> None:
        loop = asyncio.get_running_loop()
        reader = asyncio.StreamReader(limit=self._read_limit, loop=loop)
        protocol = asyncio.StreamReaderProtocol(reader, loop=loop)
        transport, _ = await loop.connect_accepted_socket(lambda: protocol, sock=conn)
        writer = asyncio.StreamWriter(transport, protocol, reader, loop)
        self._transports.add(transport)
        try:
            await self._handler(reader, writer)
        finally:
            self._transports.discard(transport)
            transport.close()

    async def close(self) -> None:
        self._transports.abort_all()
