"""The Locust side of a load run: the simulated caller, the profile as a load shape, the recorder.

Imported only where gevent has monkey-patched the standard library first: in the load process
that :func:`harness.producer_suite.load.run.run_load` starts (load_child.py) and under the ``locust``
command (locustfile.py), which both import ``locust`` before anything else. Never import this
module into the harness's own process.

The caller is a ``FastHttpUser`` (geventhttpclient): far less CPU per request than ``HttpUser``,
which matters when the load generator shares a small machine with the producer.
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import gevent
from locust import LoadTestShape, between, constant, task
from locust.contrib.fasthttp import FastHttpSession, FastHttpUser, ResponseContextManager
from locust.env import Environment
from locust.runners import Runner

from harness.producer_suite.load.outcome import answer_error, exception_error
from harness.producer_suite.load.profile import LoadProfile
from harness.producer_suite.load.recorder import KEPT_BODY_BYTES, LoadRecorder, Sample
from harness.producer_suite.load.request import LoadRequest

__all__ = [
    "ContractCallerBase",
    "ProfileShape",
    "attach_recorder",
    "caller_class",
    "sample_users",
    "tls_context_factory",
]


def tls_context_factory(request: LoadRequest) -> Callable[..., ssl.SSLContext]:
    """geventhttpclient calls this for each connection pool (``cafile`` from it is ignored)."""

    def factory(cafile: str | None = None) -> ssl.SSLContext:
        if request.verify:
            context = ssl.create_default_context(cafile=str(request.ca_file) if request.ca_file else None)
            context.check_hostname = request.check_hostname
        else:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        if request.client_cert is not None and request.client_key is not None:
            context.load_cert_chain(str(request.client_cert), str(request.client_key))
        return context

    return factory


class ContractCallerBase(FastHttpUser):
    """Sends its class's :class:`LoadRequest` again and again; :meth:`configure` sets the class up.

    Locust reads a user's host, timeouts and TLS factory from its class when it starts a user, so a
    class defined before the request is known (the locustfile's) is configured on Locust's ``init``.
    """

    abstract = True
    load_request: LoadRequest | None = None
    recorder: LoadRecorder | None = None
    call_path = "/"
    call_headers: dict[str, str] = {}  # set per class by configure()

    @classmethod
    def configure(
        cls, request: LoadRequest, recorder: LoadRecorder, pause_s: tuple[float, float] = (0.0, 0.0)
    ) -> None:
        parts = urlsplit(request.url)
        cls.load_request, cls.recorder = request, recorder
        cls.host = f"{parts.scheme}://{parts.netloc}"
        cls.call_path = parts.path + (f"?{parts.query}" if parts.query else "")
        cls.call_headers = {**dict(request.headers), "Accept-Encoding": "identity"}
        cls.wait_time = constant(pause_s[0]) if pause_s[0] == pause_s[1] else between(*pause_s)
        cls.network_timeout = cls.connection_timeout = request.timeout_s
        cls.max_redirects = 0
        # geventhttpclient checks the host name unless "insecure"; the chain is still verified by the
        # context below when only the name check is off.
        cls.insecure = not (request.verify and request.check_hostname)
        cls.ssl_context_factory = staticmethod(tls_context_factory(request))

    @task
    def call(self) -> None:
        if self.load_request is None or self.recorder is None:
            raise RuntimeError("ContractCaller.configure() was not called before the load started")
        call_once(self.client, self.call_path, self.load_request, self.call_headers, self.recorder)


def caller_class(
    request: LoadRequest, recorder: LoadRecorder, pause_s: tuple[float, float] = (0.0, 0.0)
) -> type[ContractCallerBase]:
    """A Locust user class that sends ``request`` again and again and keeps samples in ``recorder``."""

    class ContractCaller(ContractCallerBase):
        pass

    ContractCaller.configure(request, recorder, pause_s)
    return ContractCaller


def call_once(
    client: FastHttpSession, path: str, request: LoadRequest, headers: dict[str, str], recorder: LoadRecorder
) -> None:
    """One call; its outcome goes to Locust's request event (and from there to the recorder)."""
    started = time.time()
    body: Any = request.body  # geventhttpclient sends bytes as they are (Locust's annotation says str)
    with client.request(
        "POST", path, data=body, headers=headers, catch_response=True, name=request.expect
    ) as response:
        error = _error_of(response, request.expect)
        if error is None:
            response.success()
        else:
            response.failure(error)
        elapsed = float(response.request_meta.get("response_time") or (time.time() - started) * 1000)
        if recorder.wants(error, elapsed):
            recorder.keep(_sample(response, started, elapsed, headers, error))


def _error_of(response: ResponseContextManager, expect: str) -> str | None:
    failure = getattr(response, "error", None)
    status = int(response.status_code or 0)
    if status == 0:
        return exception_error(failure) if isinstance(failure, BaseException) else "no answer"
    return answer_error(status, response.content or b"", expect)


def _sample(
    response: ResponseContextManager,
    started: float,
    elapsed: float,
    headers: dict[str, str],
    error: str | None,
) -> Sample:
    body = (response.content or b"") if response.status_code else b""
    note = error or ""
    if len(body) > KEPT_BODY_BYTES:
        cut = f"response body cut to its first {KEPT_BODY_BYTES} of {len(body)} bytes"
        note, body = (f"{note}; {cut}" if note else cut), body[:KEPT_BODY_BYTES]
    failure = getattr(response, "error", None)
    if not response.status_code and failure is not None:
        note = f"{note}: {failure}"
    raw = response.headers.items() if response.headers is not None else []
    return Sample(
        started=started,
        elapsed_ms=elapsed,
        status=int(response.status_code) or None,
        request_headers=tuple(headers.items()),
        response_headers=tuple((str(k), str(v)) for k, v in raw),
        response_body=body,
        note=note,
    )


def attach_recorder(environment: Environment, recorder: LoadRecorder) -> None:
    """Every request Locust reports goes into ``recorder`` (latency and outcome only)."""

    def on_request(start_time: float, response_time: float, exception: Any = None, **_: Any) -> None:
        recorder.record(start_time, float(response_time), None if exception is None else str(exception))

    environment.events.request.add_listener(on_request)


def sample_users(runner: Runner, recorder: LoadRecorder) -> None:
    """Note the number of running callers twice a second (a greenlet; killed when the run ends)."""
    while True:
        recorder.note_users(time.time(), runner.user_count)
        gevent.sleep(0.5)


class ProfileShape(LoadTestShape):
    """A :class:`LoadProfile` as a Locust load shape: each stage's users and spawn rate, then stop."""

    abstract = True  # given a profile in code; the locustfile's subclass reads it from the command line
    profile: LoadProfile | None = None

    def tick(self) -> tuple[int, float] | None:
        if self.profile is None:
            return None
        stage = self.profile.stage_at(self.get_run_time())
        return None if stage is None else (stage.users, stage.spawn_rate)
