"""A minimal SP built on pysaml2's ``Saml2Client``: what a vendor gets from the library alone.

Signatures are verified by the ``xmlsec1`` program (pysaml2's default backend). The SP trusts the
mock IdP's metadata, accepts unsolicited Responses (as 1177's jump-out may be IdP-initiated), reads
the personnummer from ``personalIdentityNumber`` (urn:oid:1.2.752.29.4.13) and matches it exactly
to its contacts. ``/whoami`` answers from the identity pysaml2 parsed. Everything pysaml2 does not
check itself is left unchecked on purpose: the suite shows which rules a bare library SP misses.
"""

from __future__ import annotations

import json
import secrets
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.metadata import create_metadata_string
from werkzeug.wrappers import Request, Response

from harness.core.xmldsig import KeyPair

XMLSEC1 = "/usr/bin/xmlsec1"
SESSION = "pysaml2_session"


@dataclass
class Pysaml2Sp:
    """The WSGI app. ``contacts`` maps 12-digit personnummer to the data marker shown on /programs.

    With ``sessions_for_everyone`` the app, as many do, starts a session for whoever the IdP names,
    contact or not; /programs then says whose programs it shows ("Program for <personnummer>").
    """

    base_url: str
    idp_metadata: bytes
    contacts: Mapping[str, str]
    keys: KeyPair
    work_dir: Path
    sessions: dict[str, str] = field(default_factory=dict)
    outstanding: dict[str, str] = field(default_factory=dict)  # request id -> target
    sessions_for_everyone: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.client = Saml2Client(config=self._config())

    def _config(self) -> SPConfig:
        key, cert = self.work_dir / "sp.key", self.work_dir / "sp.crt"
        key.write_bytes(self.keys.key_pem)
        cert.write_bytes(self.keys.cert_pem)
        config = SPConfig()
        config.load(
            {
                "entityid": f"{self.base_url}/metadata",
                "xmlsec_binary": XMLSEC1,
                "metadata": {"inline": [self.idp_metadata.decode("utf-8")]},
                "encryption_keypairs": [{"key_file": str(key), "cert_file": str(cert)}],
                "key_file": str(key),
                "cert_file": str(cert),
                "accepted_time_diff": 180,
                "service": {
                    "sp": {
                        "endpoints": {
                            "assertion_consumer_service": [(f"{self.base_url}/acs", BINDING_HTTP_POST)]
                        },
                        "allow_unsolicited": True,
                        "want_response_signed": False,
                        "want_assertions_signed": False,
                        "want_assertions_or_response_signed": True,
                        "authn_requests_signed": False,
                    }
                },
            }
        )
        return config

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        request = Request(environ)
        route = {
            "/metadata": self.metadata,
            "/login": self.login,
            "/acs": self.acs,
            "/whoami": self.whoami,
            "/programs": self.programs,
        }.get(request.path)
        response = route(request) if route else Response("not found", status=404)
        return response(environ, start_response)

    def metadata(self, request: Request) -> Response:
        xml = create_metadata_string(None, config=self.client.config, valid=1)
        return Response(xml, content_type="application/samlmetadata+xml")

    def login(self, request: Request) -> Response:
        request_id, info = self.client.prepare_for_authenticate(
            binding=BINDING_HTTP_REDIRECT, relay_state="/programs"
        )
        with self.lock:
            self.outstanding[request_id] = "/programs"
        location = dict(info["headers"])["Location"]
        return Response(status=302, headers={"Location": location})

    def acs(self, request: Request) -> Response:
        with self.lock:
            outstanding = dict(self.outstanding)
        try:
            parsed = self.client.parse_authn_request_response(
                request.form.get("SAMLResponse", ""), BINDING_HTTP_POST, outstanding=outstanding
            )
        except Exception:  # pysaml2 signals every refusal by an exception of its own
            return Response("login failed", status=200)  # SAML Bindings 3.5.6: a page, not an HTTP error
        if parsed is None:
            return Response("login failed", status=200)
        with self.lock:
            self.outstanding.pop(getattr(parsed, "in_response_to", "") or "", None)
        values = parsed.get_identity().get("personalIdentityNumber", [])
        personnummer = values[0] if values else ""
        if not personnummer or (personnummer not in self.contacts and not self.sessions_for_everyone):
            return Response("no programs for you here", status=200)
        token = secrets.token_urlsafe(24)
        with self.lock:
            self.sessions[token] = personnummer
        response = Response(status=303, headers={"Location": "/programs"})
        response.set_cookie(SESSION, token, httponly=True, secure=True)
        return response

    def _session(self, request: Request) -> str | None:
        with self.lock:
            return self.sessions.get(request.cookies.get(SESSION, ""))

    def whoami(self, request: Request) -> Response:
        personnummer = self._session(request)
        if personnummer is None:
            return Response(
                json.dumps({"error": "not logged in"}), status=401, content_type="application/json"
            )
        return Response(json.dumps({"personnummer": personnummer}), content_type="application/json")

    def programs(self, request: Request) -> Response:
        personnummer = self._session(request)
        if personnummer is None:
            return Response("log in first", status=401)
        marker = self.contacts.get(personnummer)
        page = f"<h1>Program for {personnummer}</h1>" + (f"<p>Program ({marker})</p>" if marker else "")
        return Response(page, content_type="text/html; charset=utf-8")
