"""Driving the reference SP in-process (werkzeug's test client) with Responses from the mock IdP's builder."""

from __future__ import annotations

import base64
import json
import zlib
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from typing import Any
from urllib.parse import parse_qs, urlsplit

from lxml import etree
from werkzeug.test import Client, TestResponse

from harness.core.clock import FixedClock
from harness.core.xml import NS, parse_xml
from harness.core.xmldsig import sign_enveloped
from harness.mock_1177_idp.builder import (
    AttributeProfile,
    IdpIdentity,
    ResponseOptions,
    ResponseSpec,
    build_message,
)
from harness.mock_1177_idp.persons import Person
from harness.reference_sp import ContactRow, ReferenceSpConfig, create_app
from harness.saml_profile import ClockSkew

IDP_BASE_URL = "https://idp.mock-1177.test"  # never resolved: the SP must never call it
SP_BASE_URL = "https://127.0.0.1:8443"


def person_of(contact: ContactRow) -> Person:
    return Person(contact.personnummer, contact.given_name, contact.surname)


@dataclass
class SpDriver:
    """One browser (cookie jar) talking to one in-process reference SP."""

    config: ReferenceSpConfig
    idp: IdpIdentity
    clock: FixedClock
    client: Client
    last_xml: bytes = b""

    @classmethod
    def start(cls, config: ReferenceSpConfig, idp: IdpIdentity, clock: FixedClock) -> SpDriver:
        return cls(config, idp, clock, Client(create_app(config)))

    def new_browser(self) -> SpDriver:
        return replace(self, client=Client(self.client.application))

    def get(self, path: str, **kwargs: Any) -> TestResponse:
        return self.client.get(path, base_url=self.config.base_url, **kwargs)

    def start_login(self, target: str = "/programs") -> tuple[str, str]:
        """GET /login: the AuthnRequest's ID and the RelayState it carries."""
        response = self.get("/login", query_string={"target": target})
        assert response.status_code == 302, response.status_code
        query = parse_qs(urlsplit(response.headers["Location"]).query)
        xml = zlib.decompress(base64.b64decode(query["SAMLRequest"][0]), -15)
        return parse_xml(xml).get("ID") or "", query.get("RelayState", [""])[0]

    def spec(self, person: Person, *, solicited: bool = True, **changes: Any) -> ResponseSpec:
        """A Response for this SP; ``changes`` are ResponseSpec or ResponseOptions fields (the SP's
        published encryption certificate is always given, as the mock IdP gives it: ``encrypt=True``
        encrypts the Assertion for it)."""
        request_id, relay_state = self.start_login() if solicited else (None, "")
        options = ResponseOptions(
            attribute_profile=AttributeProfile.BOTH,
            relay_state=relay_state,
            skew=ClockSkew(self.config.clock_skew_seconds, self.config.clock_skew_seconds),
        )
        spec = ResponseSpec(
            sp_entity_id=self.config.entity_id,
            acs_url=self.config.acs_url,
            person=person,
            in_response_to=request_id,
            options=options,
            encryption_certificate=self.config.encryption_keys.cert_pem,
        )
        option_names = {f.name for f in fields(ResponseOptions)}
        spec = replace(spec, **{k: v for k, v in changes.items() if k not in option_names})
        return spec.with_options(**{k: v for k, v in changes.items() if k in option_names})

    def post(self, spec: ResponseSpec, *mutations: str) -> TestResponse:
        mutated = spec.with_options(mutations=(*spec.options.mutations, *mutations))
        message = build_message(mutated, self.idp, self.clock)
        self.last_xml = message.xml
        return self.post_raw(message.xml, message.relay_state)

    def post_raw(self, xml: bytes, relay_state: str = "") -> TestResponse:
        form = {"SAMLResponse": base64.b64encode(xml).decode("ascii"), "RelayState": relay_state}
        return self.client.post("/acs", data=form, base_url=self.config.base_url)

    def login(self, person: Person, *mutations: str, solicited: bool = True, **changes: Any) -> TestResponse:
        return self.post(self.spec(person, solicited=solicited, **changes), *mutations)

    def post_edited(self, spec: ResponseSpec, edit: Callable[[etree._Element], None]) -> TestResponse:
        """Build unsigned, apply ``edit`` to the tree, then sign Assertion and Response as the IdP does."""
        unsigned = spec.with_options(sign_response=False, sign_assertion=False)
        root = parse_xml(build_message(unsigned, self.idp, self.clock).xml)
        edit(root)
        for assertion in root.findall("saml:Assertion", NS):
            sign_enveloped(assertion, self.idp.keys.signing)
        sign_enveloped(root, self.idp.keys.signing)
        self.last_xml = etree.tostring(root)
        return self.post_raw(self.last_xml, spec.relay_state)

    def whoami(self) -> tuple[int, dict[str, Any]]:
        response = self.get("/whoami")
        return response.status_code, json.loads(response.get_data(as_text=True))
