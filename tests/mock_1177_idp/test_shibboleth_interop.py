"""Interop: the mock IdP's Responses log in to Shibboleth SP 3 (Debian's shibd + Apache mod_shib).

1177 e-tjänster's own SPs are reportedly Shibboleth (ACS ``/Shibboleth.sso/SAML2/POST``), so an
SP we did not write judges the mock's Responses: the IdP metadata, the signature over its keys,
Destination, Audience, Recipient, the times, encryption for the SP's published key, and the
attribute ``urn:oid:1.2.752.29.4.13`` (personalIdentityNumber, SC Attribute Specification §3.1).

Debian's stock security policy is plain SAML, not the 1177 profile: it also accepts (so they are
not tested here) rsa_sha1, sha1_digest, wrong_in_response_to, missing_audience, bearer_not_before,
unexpected_authn_context, encrypted_attribute and encrypted_id, and it does not validate the
personnummer's form. The negative cases below are the ones a stock Shibboleth SP refuses.

Everything runs on loopback from a private directory: shibd (``-c`` its own shibboleth2.xml, its
own socket, pid file and log config) and ``apache2 -X`` (its own ServerRoot, PidFile and port);
nothing under /etc is changed. Needs the Debian packages apache2 and libapache2-mod-shib; in CI
(``CI`` set) a missing package fails the test instead of skipping it.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from harness.browser import Browser
from harness.core.clock import SystemClock
from harness.core.exchange import Exchange, Recorder
from harness.core.xmldsig import KeyPair
from harness.mock_1177_idp.app import IdpConfig, ServedIdp, serve_idp
from harness.mock_1177_idp.keys import IdpKeys
from harness.mock_1177_idp.metadata import DEFAULT_IDP_ENTITY_ID, parse_sp_metadata
from harness.mock_1177_idp.persons import Person

SHIBD = shutil.which("shibd") or "/usr/sbin/shibd"
APACHE = shutil.which("apache2") or "/usr/sbin/apache2"
MODULES = Path("/usr/lib/apache2/modules")
SHIB_ETC = Path("/etc/shibboleth")  # read only: Debian's security-policy.xml and protocols.xml
SP_ENTITY_ID = "https://shibboleth-sp.example.test/shibboleth"
PNR_OID = "urn:oid:1.2.752.29.4.13"  # personnummer (SC Attribute Specification §3.1)
PNR_ID = "personalIdentityNumber"  # the attribute's id in attribute-map.xml: the CGI variable's name
STARTUP_SECONDS = 20.0

_INSTALLED = Path(SHIBD).exists() and Path(APACHE).exists() and (MODULES / "mod_shib.so").exists()
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not _INSTALLED and not os.environ.get("CI"),
        reason="needs the Debian packages apache2 and libapache2-mod-shib (required when CI is set)",
    ),
]


@dataclass(frozen=True)
class ShibSite:
    """Where the private Shibboleth SP lives: its directory and Apache's loopback port."""

    root: Path
    port: int

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def acs_url(self) -> str:
        return f"{self.base_url}/Shibboleth.sso/SAML2/POST"

    @property
    def protected_url(self) -> str:
        return f"{self.base_url}/secure/whoami"

    @property
    def socket_path(self) -> Path:
        return self.root / "shibd.sock"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


_SHIBBOLETH2 = """<SPConfig xmlns="urn:mace:shibboleth:3.0:native:sp:config" clockSkew="180">
  <OutOfProcess logger="{root}/shibd.logger"/>
  <InProcess logger="{root}/native.logger"/>
  <UnixListener address="{root}/shibd.sock"/>
  <ApplicationDefaults entityID="{sp_entity_id}" REMOTE_USER="{pnr_id}">
    <!-- plain HTTP on loopback: no TLS for the handler, cookies without Secure -->
    <Sessions lifetime="600" timeout="600" relayState="ss:mem" checkAddress="false"
              handlerSSL="false" cookieProps="http" redirectLimit="exact">
      <SSO entityID="{idp_entity_id}">SAML2</SSO>
      <Handler type="MetadataGenerator" Location="/Metadata" signing="false"/>
      <Handler type="Session" Location="/Session" showAttributeValues="true"/>
    </Sessions>
    <Errors supportContact="root@localhost"/>
    <MetadataProvider type="XML" validate="true" path="{root}/idp-metadata.xml"/>
    <AttributeExtractor type="XML" validate="true" reloadChanges="false" path="{root}/attribute-map.xml"/>
    <CredentialResolver type="File" key="{root}/sp-key.pem" certificate="{root}/sp-cert.pem"/>
  </ApplicationDefaults>
  <SecurityPolicyProvider type="XML" validate="true" path="{etc}/security-policy.xml"/>
  <ProtocolProvider type="XML" validate="true" reloadChanges="false" path="{etc}/protocols.xml"/>
</SPConfig>
"""

_ATTRIBUTE_MAP = """<Attributes xmlns="urn:mace:shibboleth:2.0:attribute-map">
  <Attribute name="{pnr_oid}" id="{pnr_id}"/>
</Attributes>
"""

_LOGGER = """log4j.rootCategory=INFO, file
log4j.appender.file=org.apache.log4j.FileAppender
log4j.appender.file.fileName={path}
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=%d %p %c %x: %m%n
"""

_HTTPD_CONF = """ServerRoot "{root}"
PidFile "{root}/httpd.pid"
Listen 127.0.0.1:{port}
ServerName 127.0.0.1:{port}
UseCanonicalName On
{user}
LoadModule mpm_prefork_module {modules}/mod_mpm_prefork.so
LoadModule authn_core_module {modules}/mod_authn_core.so
LoadModule authz_core_module {modules}/mod_authz_core.so
LoadModule alias_module {modules}/mod_alias.so
LoadModule cgi_module {modules}/mod_cgi.so
LoadModule mod_shib {modules}/mod_shib.so
ErrorLog "{root}/apache-error.log"
LogLevel info
KeepAlive Off
DocumentRoot "{root}/htdocs"
ShibConfig "{root}/shibboleth2.xml"
ShibCompatValidUser On
<Location /Shibboleth.sso>
  AuthType None
  Require all granted
</Location>
ScriptAlias /secure/ "{root}/cgi/"
<Location /secure>
  AuthType shibboleth
  ShibRequestSetting requireSession 1
  Require shib-session
</Location>
"""

# The protected page: prints the personnummer mod_shib put in the environment (ShibUseEnvironment).
_WHOAMI = """#!/bin/sh
printf 'Content-Type: text/plain\\r\\n\\r\\n'
printf '{pnr_id}=%s\\n' "${pnr_id}"
"""


def _write_config(site: ShibSite, idp_metadata: bytes, sp_keys: KeyPair) -> None:
    root = site.root
    (root / "idp-metadata.xml").write_bytes(idp_metadata)
    (root / "sp-key.pem").write_bytes(sp_keys.key_pem)
    (root / "sp-key.pem").chmod(0o600)  # read by shibd only (it runs as the test's user)
    (root / "sp-cert.pem").write_bytes(sp_keys.cert_pem)
    names = {"root": root, "sp_entity_id": SP_ENTITY_ID, "pnr_id": PNR_ID, "pnr_oid": PNR_OID}
    (root / "shibboleth2.xml").write_text(
        _SHIBBOLETH2.format(idp_entity_id=DEFAULT_IDP_ENTITY_ID, etc=SHIB_ETC, **names)
    )
    (root / "attribute-map.xml").write_text(_ATTRIBUTE_MAP.format(**names))
    (root / "shibd.logger").write_text(_LOGGER.format(path=root / "shibd.log"))
    (root / "native.logger").write_text(_LOGGER.format(path=root / "native.log"))
    # Apache refuses to serve as root: its worker drops to www-data, which must reach these files.
    user = "User www-data\nGroup www-data" if os.geteuid() == 0 else ""
    (root / "httpd.conf").write_text(
        _HTTPD_CONF.format(root=root, port=site.port, user=user, modules=MODULES)
    )
    (root / "htdocs").mkdir()
    (root / "cgi").mkdir()
    whoami = root / "cgi" / "whoami"
    whoami.write_text(_WHOAMI.replace("{pnr_id}", PNR_ID))
    whoami.chmod(0o755)
    (root / "native.log").touch()
    (root / "native.log").chmod(0o666)  # written by mod_shib in the Apache worker


def _wait_for(ready: Callable[[], bool], process: subprocess.Popen[bytes], what: str, *logs: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if ready():
            return
        if process.poll() is not None:
            break
        time.sleep(0.05)
    tail = "\n".join(log.read_text(errors="replace")[-3000:] for log in logs if log.exists())
    raise AssertionError(f"{what} did not start (exit {process.poll()}):\n{tail}")


def _port_open(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _spawn(command: list[str], env: dict[str, str], output: Path) -> subprocess.Popen[bytes]:
    with output.open("wb") as sink:  # the child keeps its own descriptor
        return subprocess.Popen(command, env=env, stdout=sink, stderr=subprocess.STDOUT)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture(scope="module")
def shib_idp(idp_keys: IdpKeys, persons: tuple[Person, ...]) -> Iterator[ServedIdp]:
    running = serve_idp(IdpConfig(keys=idp_keys, persons=persons, clock=SystemClock()))
    yield running
    running.stop()


@pytest.fixture(scope="module")
def shib_sp(shib_idp: ServedIdp, sp_keys: KeyPair) -> Iterator[ShibSite]:
    """shibd and Apache with mod_shib from a private directory, known to the IdP; stopped afterwards."""
    with tempfile.TemporaryDirectory(prefix="shib-interop-") as directory:
        root = Path(directory)
        root.chmod(0o755)  # the Apache worker (www-data when the test runs as root) reads from here
        site = ShibSite(root, _free_port())
        _write_config(site, shib_idp.idp.metadata(), sp_keys)
        env = {**os.environ, "SHIBSP_LOGGING": str(root / "shibd.logger")}
        started: list[subprocess.Popen[bytes]] = []
        try:
            shibd_command = [
                SHIBD,
                "-f",
                "-F",
                "-c",
                str(root / "shibboleth2.xml"),
                "-p",
                str(root / "shibd.pid"),
            ]
            started.append(_spawn(shibd_command, env, root / "shibd.out"))
            _wait_for(site.socket_path.exists, started[-1], "shibd", root / "shibd.out", root / "shibd.log")
            apache_env = {**env, "SHIBSP_LOGGING": str(root / "native.logger")}
            started.append(
                _spawn([APACHE, "-f", str(root / "httpd.conf"), "-X"], apache_env, root / "apache.out")
            )
            logs = (root / "apache.out", root / "apache-error.log")
            _wait_for(lambda: _port_open(site.port), started[-1], "apache2", *logs)
            _register_sp(shib_idp, site)
            yield site
        finally:
            for process in reversed(started):
                _stop(process)


def _register_sp(served: ServedIdp, site: ShibSite) -> None:
    """Shibboleth's generated metadata tells the mock IdP the SP's entityID and ACS URL."""
    metadata = requests.get(f"{site.base_url}/Shibboleth.sso/Metadata", timeout=10)
    assert metadata.status_code == 200, metadata.text[:500]
    sp = parse_sp_metadata(metadata.content)
    assert sp.entity_id == SP_ENTITY_ID and site.acs_url in sp.acs_urls
    assert sp.encryption_cert_pem is not None  # so encrypted assertions can be sent to it
    served.idp.register_sp(sp)


@dataclass(frozen=True)
class Login:
    """One SP-initiated login through the mock IdP's autopilot, and what Shibboleth made of it."""

    hops: list[Exchange]
    session_cookies: tuple[str, ...]  # names of Shibboleth session cookies the browser holds
    log: str  # what shibd logged meanwhile (its reason for a refusal)

    @property
    def page(self) -> str:
        return self.hops[-1].response_body.decode("utf-8", "replace") if self.hops[-1].status == 200 else ""


def _login(
    idp: ServedIdp, site: ShibSite, person: Person, mutations: Sequence[str] = (), **answer: Any
) -> Login:
    """GET the protected page in a fresh browser; the IdP answers Shibboleth's AuthnRequest at once."""
    log = site.root / "shibd.log"
    logged_before = log.stat().st_size
    browser = Browser(Recorder(), marker="shibboleth-interop")
    idp.idp.answer_next(person, mutations, **answer)
    try:
        hops = browser.navigate("GET", site.protected_url)
    finally:
        idp.idp.disarm()
    cookies = tuple(c.name for c in browser.cookies if c.name.startswith("_shibsession_"))
    with log.open("rb") as reader:
        reader.seek(logged_before)
        return Login(hops, cookies, reader.read().decode("utf-8", "replace"))


def _shows(login: Login, person: Person) -> bool:
    return f"{PNR_ID}={person.personnummer}\n" in login.page


def test_good_response_logs_in_to_shibboleth_sp(
    shib_idp: ServedIdp, shib_sp: ShibSite, persons: tuple[Person, ...]
) -> None:
    login = _login(shib_idp, shib_sp, persons[1])
    assert [(hop.method, hop.status) for hop in login.hops] == [
        ("GET", 302),
        ("GET", 200),
        ("POST", 302),
        ("GET", 200),
    ]
    assert login.hops[1].url.startswith(f"{shib_idp.base_url}/sso/redirect?SAMLRequest=")
    assert login.hops[2].url == shib_sp.acs_url
    assert _shows(login, persons[1]) and login.session_cookies
    request = shib_idp.idp.last_authn_request
    assert request is not None and request.issuer == SP_ENTITY_ID and request.binding == "redirect"


@pytest.mark.parametrize(
    ("mutations", "encrypt"),
    [
        pytest.param((), True, id="encrypted_assertion_aes256_gcm"),
        pytest.param(("encrypted_assertion_aes128_gcm",), True, id="encrypted_assertion_aes128_gcm"),
        pytest.param(("encrypted_assertion_aes256_cbc",), True, id="encrypted_assertion_aes256_cbc"),
        pytest.param(("next_key",), False, id="next_key"),
        pytest.param(("conditions_expired_within_skew",), False, id="conditions_expired_within_skew"),
    ],
)
def test_shibboleth_sp_accepts_the_positive_cases(
    shib_idp: ServedIdp,
    shib_sp: ShibSite,
    persons: tuple[Person, ...],
    mutations: tuple[str, ...],
    encrypt: bool,
) -> None:
    login = _login(shib_idp, shib_sp, persons[2], mutations, encrypt=encrypt)
    assert _shows(login, persons[2]), login.log


# Each mutation, and the reason shibd gives in its log (so it is refused for the rule it breaks).
NEGATIVE_CASES = {
    "unsigned": "Unable to establish security of incoming assertion",
    "tampered_after_signing": "signature could not be verified",
    "foreign_key_with_keyinfo": "signature could not be verified",
    "wrong_audience": "unacceptable AudienceRestriction",
    "wrong_destination": "delivered with POST to incorrect server URL",
    "missing_destination": "Signed SAML message missing Destination",
    "wrong_recipient": "bearer confirmation failed with recipient mismatch",
    "not_bearer": "assertion is missing bearer SubjectConfirmation",
    "subject_confirmation_expired": "bearer confirmation has expired",
    "conditions_expired": "Assertion is no longer valid",
    "conditions_not_yet_valid": "Assertion is not yet valid",
    "issue_instant_too_old": "Message expired, was issued too long ago",
    "wrong_issuer": "no metadata found, can't establish identity of issuer",
    "no_authn_statement": "A valid authentication statement was not found",
    "status_cancel_requester": "SAML response reported an IdP error",
    "dtd_with_entity": "XML error(s) during parsing",
    "rsa_v15_key_transport": "xmlenc#rsa-1_5 disallowed",
}


@pytest.mark.parametrize("mutation", sorted(NEGATIVE_CASES))
def test_shibboleth_sp_gives_no_session_for_a_mutated_response(
    shib_idp: ServedIdp, shib_sp: ShibSite, persons: tuple[Person, ...], mutation: str
) -> None:
    refused = _login(shib_idp, shib_sp, persons[3], [mutation], encrypt=mutation == "rsa_v15_key_transport")
    assert refused.hops[-1].method == "POST" and refused.hops[-1].url == shib_sp.acs_url
    assert refused.hops[-1].status == 500 and not refused.session_cookies
    assert NEGATIVE_CASES[mutation] in refused.log
    control = _login(shib_idp, shib_sp, persons[3])  # positive control: the same login, unmutated
    assert _shows(control, persons[3]) and control.session_cookies


@pytest.mark.parametrize("mutation", ["xsw_unsigned_assertion_before", "xsw_unsigned_assertion_after"])
def test_shibboleth_sp_ignores_an_injected_unsigned_assertion(
    shib_idp: ServedIdp, shib_sp: ShibSite, persons: tuple[Person, ...], mutation: str
) -> None:
    """XSW: Shibboleth drops the unsigned assertion and logs in only the signed one's person."""
    login = _login(shib_idp, shib_sp, persons[0], [mutation], other_person=persons[1])
    assert "Unable to establish security of incoming assertion" in login.log
    assert _shows(login, persons[0]) and persons[1].personnummer not in login.page
