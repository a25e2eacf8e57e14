"""The one adapter to pysaml2: a Service Provider built on ``saml2.client.Saml2Client``.

Used to prove interoperability (the mock IdP's Response logs in to a stock pysaml2 SP, which
verifies with the ``xmlsec1`` program) and by the benchmark (pysaml2's default signing backend).
pysaml2's config dicts, objects and exceptions stay inside this module: callers get frozen
dataclasses and :class:`SpRejected`.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from lxml import etree
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.client import Saml2Client
from saml2.config import Config, SPConfig
from saml2.metadata import entity_descriptor
from saml2.sigver import pre_signature_part, security_context
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

from harness.core.xml import NS
from harness.core.xmldsig import KeyPair

__all__ = ["PysamlLogin", "PysamlSigner", "PysamlSp", "SpRejected", "XMLSEC1", "redirect_query"]

XMLSEC1 = "/usr/bin/xmlsec1"
_TRANSIENT = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient"


class SpRejected(ValueError):
    """pysaml2 refused the Response; the text is pysaml2's reason."""


@dataclass(frozen=True)
class PysamlLogin:
    """What pysaml2 accepted: the NameID and the attributes by their SAML Name, raw values."""

    name_id: str
    attributes: dict[str, tuple[str, ...]]
    in_response_to: str | None


class PysamlSp:
    """A stock pysaml2 SP trusting the IdP in ``idp_metadata`` (written to ``workdir``)."""

    def __init__(
        self,
        entity_id: str,
        acs_url: str,
        idp_metadata: bytes,
        keys: KeyPair,
        workdir: Path,
        *,
        allow_unsolicited: bool = False,
        accepted_time_diff: int = 180,
    ) -> None:
        workdir.mkdir(parents=True, exist_ok=True)
        (workdir / "idp.xml").write_bytes(idp_metadata)
        (workdir / "sp.key").write_bytes(keys.key_pem)
        (workdir / "sp.crt").write_bytes(keys.cert_pem)
        self.entity_id, self.acs_url = entity_id, acs_url
        config = SPConfig()
        config.load(self._settings(workdir, allow_unsolicited, accepted_time_diff))
        self._client = Saml2Client(config=config)
        self._outstanding: dict[str, str] = {}

    def _settings(self, workdir: Path, allow_unsolicited: bool, time_diff: int) -> dict[str, Any]:
        key, cert = str(workdir / "sp.key"), str(workdir / "sp.crt")
        return {
            "entityid": self.entity_id,
            "xmlsec_binary": XMLSEC1,
            "key_file": key,
            "cert_file": cert,
            "encryption_keypairs": [{"key_file": key, "cert_file": cert}],
            "metadata": {"local": [str(workdir / "idp.xml")]},
            "accepted_time_diff": time_diff,
            "allow_unknown_attributes": True,
            "service": {
                "sp": {
                    "endpoints": {"assertion_consumer_service": [(self.acs_url, BINDING_HTTP_POST)]},
                    "allow_unsolicited": allow_unsolicited,
                    "want_response_signed": False,
                    "want_assertions_signed": False,
                    "want_assertions_or_response_signed": True,
                    "authn_requests_signed": False,
                    "name_id_format": _TRANSIENT,
                }
            },
        }

    def metadata(self) -> bytes:
        """The SP's metadata (ACS, encryption certificate), as pysaml2 writes it."""
        return str(entity_descriptor(self._client.config)).encode("utf-8")

    def redirect_login(self, relay_state: str = "") -> tuple[str, str]:
        """An AuthnRequest by HTTP-Redirect: (request ID, URL at the IdP)."""
        request_id, info = self._client.prepare_for_authenticate(
            binding=BINDING_HTTP_REDIRECT, relay_state=relay_state
        )
        self._outstanding[request_id] = relay_state or "/"
        location = dict(info["headers"])["Location"]
        return request_id, str(location)

    def post_login(self, idp_sso_post_url: str, relay_state: str = "") -> tuple[str, dict[str, str]]:
        """An AuthnRequest by HTTP-POST: (request ID, the form fields for the IdP's POST endpoint)."""
        request_id, request = self._client.create_authn_request(idp_sso_post_url, binding=BINDING_HTTP_POST)
        self._outstanding[request_id] = relay_state or "/"
        encoded = base64.b64encode(str(request).encode("utf-8")).decode("ascii")
        return request_id, {"SAMLRequest": encoded, "RelayState": relay_state}

    def login(self, saml_response_b64: str) -> PysamlLogin:
        """Process a POSTed SAMLResponse as the SP's ACS would; :class:`SpRejected` if pysaml2 refuses."""
        try:
            response = self._client.parse_authn_request_response(
                saml_response_b64, BINDING_HTTP_POST, outstanding=self._outstanding
            )
        except Exception as exc:  # pysaml2 raises many unrelated types; all mean "rejected"
            raise SpRejected(f"{type(exc).__name__}: {exc}") from None
        if response is None:
            raise SpRejected("pysaml2 returned no response")
        return _login(response)


def _login(response: Any) -> PysamlLogin:
    attributes: dict[str, tuple[str, ...]] = {}
    for statement in response.assertion.attribute_statement:
        for attribute in statement.attribute:
            attributes[attribute.name] = tuple(str(v.text) for v in attribute.attribute_value)
    return PysamlLogin(
        name_id=str(response.name_id.text),
        attributes=attributes,
        in_response_to=response.in_response_to,
    )


def redirect_query(url: str) -> dict[str, str]:
    """The query parameters of an HTTP-Redirect URL (for tests and evidence)."""
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


class PysamlSigner:
    """pysaml2's default signing backend (the ``xmlsec1`` program, once per signature), for comparison."""

    def __init__(self, keys: KeyPair, workdir: Path) -> None:
        workdir.mkdir(parents=True, exist_ok=True)
        (workdir / "signer.key").write_bytes(keys.key_pem)
        (workdir / "signer.crt").write_bytes(keys.cert_pem)
        config = Config()
        config.load(
            {
                "entityid": "urn:benchmark:pysaml2-signer",
                "xmlsec_binary": XMLSEC1,
                "key_file": str(workdir / "signer.key"),
                "cert_file": str(workdir / "signer.crt"),
            }
        )
        self._security = security_context(config)
        self._certificate = "".join(
            line for line in keys.cert_pem.decode().splitlines() if not line.startswith("-----")
        )

    def sign(
        self, unsigned_response: bytes, *, sign_assertion: bool = True, sign_response: bool = True
    ) -> bytes:
        """Sign the Assertion and/or the Response of an unsigned Response as pysaml2 does (RSA-SHA256)."""
        root = etree.fromstring(unsigned_response)
        targets = [(root.find("saml:Assertion", NS), "urn:oasis:names:tc:SAML:2.0:assertion:Assertion")]
        targets = [t for t in targets if sign_assertion and t[0] is not None]
        if sign_response:
            targets.append((root, "urn:oasis:names:tc:SAML:2.0:protocol:Response"))
        for element, _ in targets:
            assert element is not None
            template = pre_signature_part(
                element.get("ID"), self._certificate, digest_alg=DIGEST_SHA256, sign_alg=SIG_RSA_SHA256
            )
            issuer = element.find("saml:Issuer", NS)
            assert issuer is not None
            issuer.addnext(etree.fromstring(str(template).encode()))
        xml = etree.tostring(root).decode()
        for element, node_name in targets:
            assert element is not None
            xml = self._security.sign_statement(xml, node_name, node_id=element.get("ID"))
        return xml.encode() if isinstance(xml, str) else bytes(xml)
