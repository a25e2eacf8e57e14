"""The reference SP as a WSGI app (werkzeug): metadata, SP-initiated login, the ACS and the pages.

Nothing goes back to 1177 (ExorLive's description, seeds/exorlive-koppla-till-1177.txt): the SP
never calls the IdP and never sends the browser there with personal data; logout is local.
Bad input to any endpoint gets a generic page, the server keeps serving, and logs carry the
rejection rule and a reference, never personal data.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound, RequestEntityTooLarge
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from harness.reference_sp.acs import AcsMessage, decode_response
from harness.reference_sp.authn_request import authn_request_redirect
from harness.reference_sp.config import LoginEvent, ReferenceSpConfig
from harness.reference_sp.data import ContactRow, all_contacts, exercises_of, program_of, programs_of
from harness.reference_sp.identity import Identity, read_identity
from harness.reference_sp.pages import (
    cancelled_page,
    error_page,
    landing_page,
    no_programs_page,
    not_found_page,
    program_page,
    programs_page,
)
from harness.reference_sp.rejection import Rejected
from harness.reference_sp.replay import ReplayCache
from harness.reference_sp.sessions import PendingRequest, SessionRecord, SessionStore
from harness.reference_sp.sp_metadata import sp_metadata

__all__ = ["AUTHN_COOKIE", "SESSION_COOKIE", "ReferenceSp", "create_app", "is_local_path"]

log = logging.getLogger("harness.reference_sp")

SESSION_COOKIE = "rsp_session"
AUTHN_COOKIE = "rsp_authn"  # this browser's outstanding AuthnRequests (a handle, server-side)
DEFAULT_TARGET = "/programs"
_MAX_BODY = 512 * 1024  # a SAMLResponse form is a few kB; parse_xml caps the XML at 1 MB anyway
_HEADERS = (
    ("Cache-Control", "no-store"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),  # no URL of ours travels to another site (nothing back to 1177)
    ("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'"),
)

Handler = Callable[[Request], Response]


def is_local_path(target: str) -> bool:
    """A path on this SP: '/...' but not '//host' or '/\\host' (browsers read both as another host)."""
    return (
        target.startswith("/")
        and not target.startswith(("//", "/\\"))
        and "\\" not in target
        and all(32 < ord(char) < 127 for char in target)
    )


def _html(body: str, status: int = 200) -> Response:
    return Response(body, status=status, content_type="text/html; charset=utf-8")


def _json(value: dict[str, Any], status: int = 200) -> Response:
    return Response(json.dumps(value), status=status, content_type="application/json")


class ReferenceSp:
    """The WSGI app; one instance owns its sessions and replay cache (no module state)."""

    def __init__(self, config: ReferenceSpConfig) -> None:
        self.config = config
        config.idp  # noqa: B018 - parse the IdP metadata now: bad metadata fails at start-up
        config.encryption_keys  # noqa: B018 - and load (or make) the key once, not racing in threads
        self.sessions = SessionStore()
        self.replay_cache = ReplayCache()
        self.secure = config.base_url.startswith("https://")
        self.routes: dict[str, Handler] = {
            "landing": self.landing,
            "metadata": self.metadata,
            "login": self.login,
            "acs": self.acs,
            "programs": self.programs,
            "whoami": self.whoami,
            "logout": self.logout,
        }
        self.url_map = Map(
            [
                Rule("/", endpoint="landing", methods=["GET"]),
                *(
                    Rule(f"/{name}", endpoint=name, methods=["GET"])
                    for name in self.routes
                    if name not in ("acs", "landing")
                ),
                Rule("/acs", endpoint="acs", methods=["POST"]),  # SAML Profiles 4.1.2: POST only
                Rule(
                    "/programs/<int(max=4611686018427387904):program_id>", endpoint="program", methods=["GET"]
                ),
            ]
        )

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        request = Request(environ)
        request.max_content_length = _MAX_BODY
        request.max_form_memory_size = _MAX_BODY
        response = self.dispatch(request)
        for name, value in _HEADERS:
            response.headers[name] = value
        return response(environ, start_response)

    def dispatch(self, request: Request) -> Response:
        try:
            endpoint, arguments = self.url_map.bind_to_environ(request.environ).match()
            if endpoint == "program":
                return self.program(request, int(arguments["program_id"]))
            return self.routes[endpoint](request)
        except NotFound:
            return _html(not_found_page(), 404)
        except MethodNotAllowed:
            return _html(not_found_page(), 405)
        except RequestEntityTooLarge:
            return _html(error_page(self._reference("request body too large")), 413)
        except HTTPException as exc:
            return _html(error_page(self._reference(f"HTTP {exc.code}")), exc.code or 400)
        except Exception as exc:  # never a crash page, never a traceback with personal data
            return _html(error_page(self._reference(f"internal error {type(exc).__name__}")), 500)

    def _reference(self, what: str) -> str:
        reference = secrets.token_hex(4)
        log.warning("reference SP [%s]: %s", reference, what)
        return reference

    def landing(self, request: Request) -> Response:
        return _html(landing_page())

    def metadata(self, request: Request) -> Response:
        return Response(sp_metadata(self.config), content_type="application/samlmetadata+xml")

    def login(self, request: Request) -> Response:
        """SP-initiated SSO: an AuthnRequest by HTTP-Redirect; its ID is remembered for this browser."""
        target = request.args.get("target", DEFAULT_TARGET)
        if not is_local_path(target) or len(target.encode()) > 80:
            target = DEFAULT_TARGET
        now = self.config.clock.now()
        redirect = authn_request_redirect(
            entity_id=self.config.entity_id,
            acs_url=self.config.acs_url,
            sso_url=self.config.idp.sso_redirect_url,
            accepted_loa=self.config.accepted_loa,
            relay_state=target,
            now=now,
        )
        pending = PendingRequest(redirect.request_id, target, now)
        handle = self.sessions.add_pending(request.cookies.get(AUTHN_COOKIE), pending)
        response = Response(status=302, headers={"Location": redirect.url})
        # The ACS POST comes cross-site from the IdP: a SameSite=Lax cookie would not be sent with it.
        response.set_cookie(
            AUTHN_COOKIE,
            handle,
            httponly=True,
            secure=self.secure,
            samesite="None" if self.secure else "Lax",
        )
        return response

    def acs(self, request: Request) -> Response:
        """SAML Profiles 4.1.4.3: decode, run every validator, match the contact, start a session."""
        self.sessions.end(request.cookies.get(SESSION_COOKIE))  # any login attempt ends the old session
        try:
            message = self._decode(request)
            for validator in self.config.validators:
                validator(message)
        except Rejected as rejection:
            return self._rejected(rejection)
        identity = read_identity(
            message.assertion, self.config.personnummer_attribute, self.config.text_reader
        )
        contact = self.config.matcher(identity, all_contacts(self.config.db_path))
        if contact is None:
            log.info("reference SP: login without a contact; no session")
            return self._without_session(_html(no_programs_page()))
        return self._logged_in(message, identity, contact)

    def _decode(self, request: Request) -> AcsMessage:
        handle = request.cookies.get(AUTHN_COOKIE)
        now = self.config.clock.now()
        return decode_response(
            request.form.get("SAMLResponse"),
            request.form.get("RelayState", ""),
            config=self.config,
            take_pending=lambda request_id: self.sessions.take_pending(handle, request_id, now),
            replay_cache=self.replay_cache,
            has_pending=lambda: self.sessions.has_pending(handle),
        )

    def _rejected(self, rejection: Rejected) -> Response:
        reference = self._reference(f"ACS rejected, {rejection.rule}: {rejection.reason}")
        if rejection.cancelled:
            return self._without_session(_html(cancelled_page()))
        # SAML Bindings 3.5.6: SAML-level errors are not HTTP errors; a malformed form is (400).
        status = 400 if rejection.rule == "decode_response" else 200
        return self._without_session(_html(error_page(reference), status))

    def _without_session(self, response: Response) -> Response:
        response.delete_cookie(SESSION_COOKIE, httponly=True, secure=self.secure, samesite="Lax")
        return response

    def _logged_in(self, message: AcsMessage, identity: Identity, contact: ContactRow) -> Response:
        if self.config.after_login is not None:  # before the session: a failing hook leaves none
            idp = self.config.idp
            event = LoginEvent(
                identity, contact, idp.entity_id, idp.sso_redirect_url, self.config.outbound_proxy
            )
            self.config.after_login(event)
        now = self.config.clock.now()
        record = SessionRecord(identity.personnummer, contact.id, identity.given_name, identity.surname, now)
        token = self.sessions.start(record)
        log.info("reference SP: login for contact %d", contact.id)
        target = message.relay_state if is_local_path(message.relay_state) else DEFAULT_TARGET
        response = Response(status=303, headers={"Location": target})
        response.set_cookie(SESSION_COOKIE, token, httponly=True, secure=self.secure, samesite="Lax")
        return response

    def _session(self, request: Request) -> SessionRecord | None:
        return self.sessions.get(request.cookies.get(SESSION_COOKIE))

    def whoami(self, request: Request) -> Response:
        """The session probe: who is logged in, or 401."""
        session = self._session(request)
        if session is None:
            return _json({"error": "not logged in"}, 401)
        return _json({"personnummer": session.personnummer, "contact_id": session.contact_id})

    def programs(self, request: Request) -> Response:
        session = self._session(request)
        if session is None:
            return _html(landing_page(), 401)
        contacts = {c.id: c for c in all_contacts(self.config.db_path)}
        contact = contacts[session.contact_id]
        return _html(programs_page(session, contact, programs_of(self.config.db_path, contact.id)))

    def program(self, request: Request, program_id: int) -> Response:
        session = self._session(request)
        if session is None:
            return _html(landing_page(), 401)
        program = program_of(self.config.db_path, session.contact_id, program_id)
        if program is None:  # another contact's program is simply not found
            return _html(not_found_page(), 404)
        return _html(program_page(program, exercises_of(self.config.db_path, program.id)))

    def logout(self, request: Request) -> Response:
        """Local logout only: no SingleLogout to 1177 (nothing goes back)."""
        self.sessions.end(request.cookies.get(SESSION_COOKIE))
        return self._without_session(Response(status=303, headers={"Location": "/"}))


def create_app(config: ReferenceSpConfig) -> ReferenceSp:
    return ReferenceSp(config)
