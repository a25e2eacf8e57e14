"""Stock Shibboleth SP 3 (Debian's shibd + Apache mod_shib) on loopback, from a private directory.

shibd runs with ``-c`` its own shibboleth2.xml, its own socket, pid file and log config, and
``apache2 -X`` with its own ServerRoot, PidFile and port; nothing under /etc is changed (Debian's
security-policy.xml and protocols.xml are read from there, as a stock installation reads them).

Two protected areas serve the tests: ``/secure/`` requires a session (a GET starts the SSO, as the
interop tests use it), ``/app/`` is lazy (``requireSession 0``), the way an application behind
Shibboleth is usually written: ``/app/whoami`` names the logged-in personnummer or answers 401,
``/app/programs`` shows the data marker of the contact with that personnummer. The app reads the
personnummer from ``personalIdentityNumber`` (``urn:oid:1.2.752.29.4.13`` in attribute-map.xml).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from harness.core.xmldsig import KeyPair
from harness.mock_1177_idp.metadata import DEFAULT_IDP_ENTITY_ID

__all__ = [
    "INSTALLED",
    "PNR_ID",
    "PNR_OID",
    "SP_ENTITY_ID",
    "ShibOptions",
    "ShibSite",
    "running_shibboleth",
]

SHIBD = shutil.which("shibd") or "/usr/sbin/shibd"
APACHE = shutil.which("apache2") or "/usr/sbin/apache2"
MODULES = Path("/usr/lib/apache2/modules")
SHIB_ETC = Path("/etc/shibboleth")  # read only: Debian's security-policy.xml and protocols.xml
SP_ENTITY_ID = "https://shibboleth-sp.example.test/shibboleth"
PNR_OID = "urn:oid:1.2.752.29.4.13"  # personnummer (SC Attribute Specification §3.1)
PNR_ID = "personalIdentityNumber"  # the attribute's id in attribute-map.xml: the CGI variable's name
STARTUP_SECONDS = 20.0
INSTALLED = Path(SHIBD).exists() and Path(APACHE).exists() and (MODULES / "mod_shib.so").exists()


@dataclass(frozen=True)
class ShibOptions:
    """What differs between the tests: the clockSkew attribute (None: Shibboleth's own default, as a
    stock installation leaves it) and the contacts the application behind it knows (pnr -> marker)."""

    clock_skew: int | None = 180
    contacts: Mapping[str, str] = field(default_factory=dict)


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
    def metadata_url(self) -> str:
        return f"{self.base_url}/Shibboleth.sso/Metadata"

    @property
    def protected_url(self) -> str:
        return f"{self.base_url}/secure/whoami"

    @property
    def login_url(self) -> str:
        """The SP's own login start (SessionInitiator), landing on the application's data page."""
        return f"{self.base_url}/Shibboleth.sso/Login?target={self.base_url}/app/programs"

    @property
    def whoami_url(self) -> str:
        return f"{self.base_url}/app/whoami"

    @property
    def programs_url(self) -> str:
        return f"{self.base_url}/app/programs"

    @property
    def socket_path(self) -> Path:
        return self.root / "shibd.sock"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


_SHIBBOLETH2 = """<SPConfig xmlns="urn:mace:shibboleth:3.0:native:sp:config"{clock_skew}>
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
ScriptAlias /app/ "{root}/cgi/"
<Location /app>
  AuthType shibboleth
  ShibRequestSetting requireSession 0
  Require shibboleth
</Location>
"""

# Who is logged in: the personnummer mod_shib put in the environment, or 401 without one.
_WHOAMI = """#!/bin/sh
if [ -z "${pnr_id}" ]; then
  printf 'Status: 401 Unauthorized\\r\\nContent-Type: text/plain\\r\\n\\r\\nnot logged in\\n'
  exit 0
fi
printf 'Content-Type: text/plain\\r\\n\\r\\n'
printf '{pnr_id}=%s\\n' "${pnr_id}"
"""

# The contact's data: the marker of the contact whose personnummer the session carries (exact match).
_PROGRAMS = """#!/bin/sh
if [ -z "${pnr_id}" ]; then
  printf 'Status: 401 Unauthorized\\r\\nContent-Type: text/plain\\r\\n\\r\\nnot logged in\\n'
  exit 0
fi
printf 'Content-Type: text/html; charset=utf-8\\r\\n\\r\\n<h1>Program</h1>\\n'
awk -F '\\t' -v who="${pnr_id}" '$1 == who {{ print "<p>" $2 "</p>" }}' "{root}/contacts.tsv"
"""


def _script(path: Path, text: str) -> None:
    path.write_text(text)
    path.chmod(0o755)


def _write_config(site: ShibSite, idp_metadata: bytes, sp_keys: KeyPair, options: ShibOptions) -> None:
    root = site.root
    (root / "idp-metadata.xml").write_bytes(idp_metadata)
    (root / "sp-key.pem").write_bytes(sp_keys.key_pem)
    (root / "sp-key.pem").chmod(0o600)  # read by shibd only (it runs as the test's user)
    (root / "sp-cert.pem").write_bytes(sp_keys.cert_pem)
    names = {"root": root, "sp_entity_id": SP_ENTITY_ID, "pnr_id": PNR_ID, "pnr_oid": PNR_OID}
    skew = "" if options.clock_skew is None else f' clockSkew="{options.clock_skew}"'
    (root / "shibboleth2.xml").write_text(
        _SHIBBOLETH2.format(idp_entity_id=DEFAULT_IDP_ENTITY_ID, etc=SHIB_ETC, clock_skew=skew, **names)
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
    _script(root / "cgi" / "whoami", _WHOAMI.replace("{pnr_id}", PNR_ID))
    _script(root / "cgi" / "programs", _PROGRAMS.replace("{pnr_id}", PNR_ID).format(root=root))
    (root / "contacts.tsv").write_text("".join(f"{p}\t{m}\n" for p, m in options.contacts.items()))
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


@contextmanager
def running_shibboleth(
    idp_metadata: bytes, sp_keys: KeyPair, options: ShibOptions = ShibOptions()
) -> Iterator[ShibSite]:
    """shibd and Apache with mod_shib from a private directory, trusting ``idp_metadata``; stopped after."""
    with tempfile.TemporaryDirectory(prefix="shibboleth-sp-") as directory:
        root = Path(directory)
        root.chmod(0o755)  # the Apache worker (www-data when the test runs as root) reads from here
        site = ShibSite(root, free_port())
        _write_config(site, idp_metadata, sp_keys, options)
        env = {**os.environ, "SHIBSP_LOGGING": str(root / "shibd.logger")}
        started: list[subprocess.Popen[bytes]] = []
        try:
            shibd = [SHIBD, "-f", "-F", "-c", str(root / "shibboleth2.xml"), "-p", str(root / "shibd.pid")]
            started.append(_spawn(shibd, env, root / "shibd.out"))
            _wait_for(site.socket_path.exists, started[-1], "shibd", root / "shibd.out", root / "shibd.log")
            apache_env = {**env, "SHIBSP_LOGGING": str(root / "native.logger")}
            started.append(
                _spawn([APACHE, "-f", str(root / "httpd.conf"), "-X"], apache_env, root / "apache.out")
            )
            logs = (root / "apache.out", root / "apache-error.log")
            _wait_for(lambda: _port_open(site.port), started[-1], "apache2", *logs)
            yield site
        finally:
            for process in reversed(started):
                _stop(process)
