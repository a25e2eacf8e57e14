"""The mock 1177 IdP as a WSGI app: metadata, SSO (Redirect/POST), unsolicited start, the picker.

Routes: GET /metadata, GET /sso/redirect, POST /sso/post, GET /unsolicited?sp=<entityID>,
POST /login (the picker's submit), GET /healthz. Every request passes the traffic log first.
For scenario runs an **autopilot** answers the next AuthnRequest at once with a queued Response
(:meth:`MockIdp.answer_next`), without the picker.

Bad input never crashes the server: an undecodable or unsafe request, an unknown SP or a bad
form gets a 400 page with a clear message (no personal data); a request from a known SP that
cannot be served (an ACS URL not in its metadata, a wrong Version) gets a signed SAML error
Response with status Requester/VersionMismatch at the SP's registered ACS (SAML Core 3.2.2.2).
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from harness.core.clock import Clock, SystemClock
from harness.mock_1177_idp.authn_request import (
    AuthnRequest,
    AuthnRequestError,
    parse_authn_request,
    resolve_sp,
)
from harness.mock_1177_idp.binding import BindingError, decode_post, decode_redirect, post_form
from harness.mock_1177_idp.builder import LOA3, AttributeProfile, IdpIdentity, ResponseSpec, build_message
from harness.mock_1177_idp.keys import IdpKeys
from harness.mock_1177_idp.login import Answer, choose
from harness.mock_1177_idp.metadata import DEFAULT_IDP_ENTITY_ID, SpInfo, idp_metadata
from harness.mock_1177_idp.mutations import MutationNotApplicable
from harness.mock_1177_idp.persons import Person, make_persons
from harness.mock_1177_idp.picker import error_page, picker_page
from harness.mock_1177_idp.pipeline import SKEW_SECONDS
from harness.mock_1177_idp.status import (
    REQUEST_DENIED,
    REQUESTER,
    VERSION_MISMATCH,
    ErrorStatus,
    error_response,
)
from harness.mock_1177_idp.traffic import TrafficLog
from harness.personnummer import TestNumbers
from harness.server import RunningServer, start_server

__all__ = ["Answer", "IdpConfig", "MockIdp", "Pending", "ServedIdp", "default_persons", "serve_idp"]

MAX_BODY_BYTES = 1_000_000
MAX_PENDING = 1_000
MAX_QUEUED_ANSWERS = 100  # the autopilot answers one request at a time; more is a harness bug
_HTML = "text/html; charset=utf-8"


@dataclass(frozen=True, kw_only=True)
class IdpConfig:
    entity_id: str = DEFAULT_IDP_ENTITY_ID  # independent of the port: an SP configured once keeps working
    base_url: str = ""  # where the IdP is reached; "" = the served address
    keys: IdpKeys
    persons: tuple[Person, ...]  # whom the picker offers: Skatteverket test persons (default_persons)
    sps: tuple[SpInfo, ...] = ()
    clock: Clock = field(default_factory=SystemClock)
    skew_seconds: int = SKEW_SECONDS
    port: int = 0  # for serve_idp: 0 = a free port


@dataclass(frozen=True)
class Pending:
    """A login waiting for the picker: for a request (request_id set) or unsolicited."""

    sp: SpInfo
    acs_url: str
    request_id: str | None
    relay_state: str


def default_persons(numbers: TestNumbers, count: int = 8) -> tuple[Person, ...]:
    """``count`` test persons spread over Skatteverket's list (deterministic), with sv_SE names."""
    listed = numbers.personnummer
    step = max(1, len(listed) // count)
    return make_persons(listed[step // 2 :: step][:count])


class _BadRequest(Exception):
    """Answer 400 with this (personal-data-free) message."""


class MockIdp:
    """The mock 1177 IdP: a WSGI app plus the autopilot and evidence that scenarios use."""

    def __init__(self, config: IdpConfig) -> None:
        self.config = config
        self.traffic = TrafficLog()
        self._persons = config.persons
        self._lock = threading.Lock()
        self._sps: dict[str, SpInfo] = {sp.entity_id: sp for sp in config.sps}
        self._answers: deque[Answer] = deque()
        self._pending: OrderedDict[str, Pending] = OrderedDict()
        self._last_request: AuthnRequest | None = None
        self._base_url = config.base_url.rstrip("/")
        self._routes = Map(
            [
                Rule("/metadata", endpoint="metadata", methods=["GET"]),
                Rule("/healthz", endpoint="healthz", methods=["GET"]),
                Rule("/sso/redirect", endpoint="sso_redirect", methods=["GET"]),
                Rule("/sso/post", endpoint="sso_post", methods=["POST"]),
                Rule("/unsolicited", endpoint="unsolicited", methods=["GET"]),
                Rule("/login", endpoint="login", methods=["POST"]),
            ]
        )
        self.wsgi_app = self.traffic.wrap(self._dispatch)

    # --- what scenarios and the CLI use -------------------------------------------------------

    @property
    def identity(self) -> IdpIdentity:
        return IdpIdentity(self.config.entity_id, self.config.keys)

    @property
    def base_url(self) -> str:
        return self._base_url

    @property
    def persons(self) -> tuple[Person, ...]:
        return self._persons

    @property
    def sps(self) -> tuple[SpInfo, ...]:
        with self._lock:
            return tuple(self._sps.values())

    def metadata(self) -> bytes:
        return idp_metadata(self.config.entity_id, self._base_url, self.config.keys)

    def register_sp(self, sp: SpInfo) -> None:
        with self._lock:
            self._sps[sp.entity_id] = sp

    def rebase(self, base_url: str) -> None:
        """Use ``base_url`` in metadata and pages (set by :func:`serve_idp` once the port is known)."""
        self._base_url = base_url.rstrip("/")

    def answer_next(
        self,
        person: Person,
        mutations: Sequence[str] = (),
        *,
        attribute_profile: AttributeProfile = AttributeProfile.EID,
        loa: str = LOA3,
        sign_response: bool = True,
        sign_assertion: bool = True,
        encrypt: bool = False,
        relay_state: str | None = None,
        other_person: Person | None = None,
    ) -> None:
        """Queue the Response for the next AuthnRequest: built at once, posted without the picker.

        ``other_person`` is whom an attack (an injected XSW assertion, a second personnummer value)
        claims to be: for a vendor's SP, one of its own contacts, so that a flaw shows as data.
        """
        answer = Answer(
            person,
            tuple(mutations),
            attribute_profile,
            loa,
            sign_response,
            sign_assertion,
            encrypt,
            relay_state,
            other_person,
        )
        with self._lock:
            if len(self._answers) >= MAX_QUEUED_ANSWERS:
                raise RuntimeError(f"more than {MAX_QUEUED_ANSWERS} answers queued and not taken")
            self._answers.append(answer)

    def disarm(self) -> None:
        """Drop every queued answer (after a scenario step, whether or not a request came)."""
        with self._lock:
            self._answers.clear()

    @property
    def last_authn_request(self) -> AuthnRequest | None:
        with self._lock:
            return self._last_request

    # --- WSGI ----------------------------------------------------------------------------------

    def _dispatch(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = Request(environ)
        request.max_content_length = MAX_BODY_BYTES
        request.max_form_memory_size = MAX_BODY_BYTES
        try:
            endpoint, _ = self._routes.bind_to_environ(environ).match()
            response = getattr(self, f"_on_{endpoint}")(request)
        except _BadRequest as exc:
            response = Response(error_page(str(exc)), status=400, content_type=_HTML)
        except NotFound:
            response = Response(
                error_page("No such page on the mock 1177 IdP."), status=404, content_type=_HTML
            )
        except HTTPException as exc:
            response = exc.get_response(environ)
        result: Iterable[bytes] = response(environ, start_response)
        return result

    def _on_healthz(self, request: Request) -> Response:
        return Response("ok\n", content_type="text/plain; charset=utf-8")

    def _on_metadata(self, request: Request) -> Response:
        return Response(self.metadata(), content_type="application/samlmetadata+xml")

    def _on_sso_redirect(self, request: Request) -> Response:
        return self._on_authn_request(
            request.args.get("SAMLRequest"), request.args.get("RelayState", ""), "redirect"
        )

    def _on_sso_post(self, request: Request) -> Response:
        return self._on_authn_request(
            request.form.get("SAMLRequest"), request.form.get("RelayState", ""), "post"
        )

    def _on_authn_request(self, encoded: str | None, relay_state: str, binding: str) -> Response:
        if not encoded:
            raise _BadRequest("The request carries no SAMLRequest parameter.")
        try:
            xml = decode_redirect(encoded) if binding == "redirect" else decode_post(encoded)
            authn = parse_authn_request(xml, relay_state=relay_state, binding=binding)
            with self._lock:
                self._last_request = authn
                sp = resolve_sp(authn, self._sps.values())
        except (BindingError, AuthnRequestError) as exc:
            raise _BadRequest(str(exc)) from None
        if authn.version != "2.0":
            return self._error(
                sp, sp.default_acs_url, authn, ErrorStatus(VERSION_MISMATCH, None, "SAML 2.0 only")
            )
        acs_url = authn.acs_url or sp.default_acs_url
        if acs_url not in sp.acs_urls:
            # SAML Profiles 4.1.4.1: only an ACS the metadata lists; answer at the registered one.
            status = ErrorStatus(
                REQUESTER, REQUEST_DENIED, "AssertionConsumerServiceURL is not in the SP metadata"
            )
            return self._error(sp, sp.default_acs_url, authn, status)
        pending = Pending(sp, acs_url, authn.id, relay_state)
        with self._lock:
            answer = self._answers.popleft() if self._answers else None
        return self._answer(pending, answer) if answer else self._picker(pending)

    def _on_unsolicited(self, request: Request) -> Response:
        with self._lock:
            sp = self._sps.get(request.args.get("sp", ""))
        if sp is None:
            raise _BadRequest("Unknown Service Provider: pass ?sp=<entityID> of a registered SP.")
        return self._picker(Pending(sp, sp.default_acs_url, None, request.args.get("RelayState", "")))

    def _on_login(self, request: Request) -> Response:
        with self._lock:
            pending = self._pending.pop(request.form.get("pending", ""), None)
        if pending is None:
            raise _BadRequest("This login is unknown or was already used; start again from the service.")
        try:
            choice = choose(request.form, self._persons)
        except ValueError as exc:
            raise _BadRequest(str(exc)) from None
        if isinstance(choice, ErrorStatus):
            xml = error_response(
                pending.acs_url, pending.request_id, choice, self.identity, self.config.clock
            )
            return post_page(pending.acs_url, xml, pending.relay_state)
        return self._answer(pending, choice)

    # --- answers ---------------------------------------------------------------------------------

    def _picker(self, pending: Pending) -> Response:
        token = secrets.token_urlsafe(16)
        with self._lock:
            self._pending[token] = pending
            while len(self._pending) > MAX_PENDING:
                self._pending.popitem(last=False)
        page = picker_page(self._persons, token, pending.sp.entity_id, AttributeProfile.EID)
        return Response(page, content_type=_HTML)

    def _answer(self, pending: Pending, answer: Answer) -> Response:
        spec = ResponseSpec(
            sp_entity_id=pending.sp.entity_id,
            acs_url=pending.acs_url,
            person=answer.person,
            in_response_to=pending.request_id,
            attribute_profile=answer.attribute_profile,
            loa=answer.loa,
            sign_response=answer.sign_response,
            sign_assertion=answer.sign_assertion,
            encrypt_assertion_for=pending.sp.encryption_cert_pem if answer.encrypt else None,
            relay_state=pending.relay_state if answer.relay_state is None else answer.relay_state,
            other_person=answer.other_person,
        )
        try:
            message = build_message(
                spec,
                self.identity,
                self.config.clock,
                answer.mutations,
                skew_seconds=self.config.skew_seconds,
            )
        except MutationNotApplicable as exc:
            raise _BadRequest(f"The queued answer cannot be built: {exc}") from None
        return post_page(message.acs_url, message.xml, message.relay_state)

    def _error(self, sp: SpInfo, acs_url: str, authn: AuthnRequest | None, status: ErrorStatus) -> Response:
        in_response_to = authn.id if authn else None
        xml = error_response(acs_url, in_response_to, status, self.identity, self.config.clock)
        return post_page(acs_url, xml, authn.relay_state if authn else "")


def post_page(acs_url: str, xml: bytes, relay_state: str) -> Response:
    """The auto-posting page (SAML Bindings 3.5.4); never cached (Bindings 3.5.5.1)."""
    response = Response(post_form(acs_url, xml, relay_state), content_type=_HTML)
    response.headers["Cache-Control"] = "no-cache, no-store"
    response.headers["Pragma"] = "no-cache"
    return response


class ServedIdp(NamedTuple):
    """A running mock IdP: unpack as ``idp, server``, or use it as the server itself."""

    idp: MockIdp
    server: RunningServer

    @property
    def base_url(self) -> str:
        return self.server.base_url

    @property
    def port(self) -> int:
        return self.server.port

    def stop(self) -> None:
        self.server.stop()


def serve_idp(config: IdpConfig) -> ServedIdp:
    """Run the IdP (with the picker) on 127.0.0.1 (``config.port``, 0 = free) in a background thread."""
    idp = MockIdp(config)
    server = start_server(idp.wsgi_app, port=config.port, name="mock-1177-idp")
    if not config.base_url or config.port == 0:
        idp.rebase(server.base_url)
    return ServedIdp(idp, server)
