"""The SP suite's session: the target, the mock 1177 IdP it trusts, and (for the demo) the reference SP.

Set up once per run (:func:`open_environment`): load the IdP's keys from the target's state
directory (the keys the vendor's SP was configured with), start the mock IdP on the target's IdP
port (a free one when the harness launches the reference SP itself), start the reference SP with the
IdP's metadata when ``[launch] app = "reference-sp"``, read the SP's metadata and register the SP
with the IdP. When the target declares ``honours_proxy = true``, a recording proxy listens on
``proxy_port`` (the port the SP's HTTP(S)_PROXY names; a free one handed to a launched reference SP)
and records every outbound call the SP makes. Everything started here is stopped when the context ends.
"""

from __future__ import annotations

import base64
import secrets
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from harness.browser import Browser
from harness.core.clock import Clock, SystemClock
from harness.core.exchange import Exchange, Recorder
from harness.core.settings import RunSettings
from harness.core.targets import TargetError
from harness.mock_1177_idp.app import IdpConfig, MockIdp, ServedIdp, default_persons, serve_idp
from harness.mock_1177_idp.builder import AttributeProfile, IdpIdentity, SamlMessage
from harness.mock_1177_idp.keys import load_idp_keys
from harness.mock_1177_idp.metadata import SpInfo, parse_sp_metadata
from harness.mock_1177_idp.persons import Person, make_persons
from harness.personnummer import TestNumbers, is_samordningsnummer, load_test_numbers
from harness.saml_profile import PERSONNUMMER_OID
from harness.sp_suite.idp_side import IdpSide
from harness.sp_suite.personal_data import PersonalData
from harness.sp_suite.preconditions import Facts
from harness.sp_suite.proxy import RecordingProxy, start_proxy
from harness.sp_suite.target import SpSuiteTarget, SpTarget, check_idp_keys

__all__ = ["SpEnvironment", "fetch_sp_metadata", "open_environment"]

_STRANGERS = 3  # test persons the SP must not know, beyond the target's declared not_contacts
IDP_METADATA_PATH = "/metadata"  # where the mock IdP publishes its metadata (harness.mock_1177_idp.app)


@dataclass(frozen=True)
class SpEnvironment:
    """Everything a scenario needs to drive and judge the SP (shared, read-only, by the run's scenarios)."""

    target: SpSuiteTarget
    sp: SpTarget
    idp: MockIdp
    idp_identity: IdpIdentity
    idp_base_url: str
    sp_info: SpInfo
    numbers: TestNumbers
    persons: Mapping[str, Person]
    strangers: tuple[str, ...]  # test personnummer that are no contact of the SP
    verify: bool | str  # how the browser checks the SP's TLS certificate
    browser_marker: str = field(default_factory=lambda: f"run-{secrets.token_hex(8)}")
    clock: Clock = field(default_factory=SystemClock)
    setup_evidence: tuple[Exchange, ...] = ()  # fetching the SP's metadata
    proxy: RecordingProxy | None = None  # the recording proxy, when the target honours HTTP(S)_PROXY

    @property
    def login_contacts(self) -> tuple[str, ...]:
        """The contacts the SP must log in: all, less samordningsnummer unless its policy accepts them."""
        return tuple(
            c.personnummer
            for c in self.sp.contacts
            if self.sp.accepts_samordningsnummer or not is_samordningsnummer(c.personnummer)
        )

    def person(self, personnummer: str) -> Person:
        found = self.persons.get(personnummer)
        return found if found is not None else make_persons((personnummer,))[0]

    def marker_of(self, personnummer: str) -> str:
        return next((c.data_marker for c in self.sp.contacts if c.personnummer == personnummer), "")

    @property
    def markers(self) -> tuple[str, ...]:
        return tuple(c.data_marker for c in self.sp.contacts if c.data_marker)

    @property
    def facts(self) -> Facts:
        """What decides which scenarios apply to this target."""
        return Facts(self.sp, publishes_encryption_key=self.sp_encryption_certificate is not None)

    @property
    def attribute_profile(self) -> AttributeProfile:
        """Which attribute names carry the personnummer, as the target agreed."""
        setting = self.sp.personnummer_attribute
        if setting == "both":
            return AttributeProfile.BOTH
        return AttributeProfile.EID if setting == PERSONNUMMER_OID else AttributeProfile.LEGACY

    @property
    def sp_encryption_certificate(self) -> bytes | None:
        return self.sp_info.encryption_cert_pem

    def other_person_for(self, person: Person) -> Person:
        """Whom an attack (XSW, a second value) claims to be: another contact, so a flaw shows as data."""
        others = [n for n in self.login_contacts if n != person.personnummer]
        return self.person(others[0] if others else self.strangers[0])

    def post_form_fields(self, message: SamlMessage) -> dict[str, str]:
        """The HTTP-POST binding's form (SAML Bindings 3.5.4), as the IdP's auto-post page carries it."""
        fields = {"SAMLResponse": base64.b64encode(message.xml).decode("ascii")}
        if message.relay_state:
            fields["RelayState"] = message.relay_state
        return fields

    def is_ours(self, url: str) -> bool:
        """The SP's and the IdP's origins: where the emulated browser may go."""
        origin = _origin(url)
        return origin in (
            _origin(self.sp.acs_url),
            _origin(self.sp.session_probe.url),
            _origin(self.idp_base_url),
        )

    def outbound_calls(self, since: datetime) -> tuple[Exchange, ...]:
        """Every call the SP made through the recording proxy from ``since`` on (none without a proxy)."""
        calls = self.proxy.exchanges if self.proxy is not None else ()
        return tuple(x for x in calls if x.started >= since)

    def idp_traffic(self, since: datetime) -> tuple[Exchange, ...]:
        """Every request that reached the mock 1177 IdP from ``since`` on, in order.

        The IdP's answers are left out: they are the harness's own messages, kept in the evidence of
        the scenario that sent them, and the nothing-back rules judge only what reached 1177.
        """
        reason = "the mock IdP's answer; judged here is only what reached 1177"
        exchanges = self.idp.traffic.exchanges
        return tuple(x.without_response_body(reason) for x in exchanges if x.started >= since)

    def personal_data(self) -> PersonalData:
        people = [self.person(n) for n in self.persons]
        names = [part for p in people for part in (p.given_name, p.surname, *p.given_name.split())]
        return PersonalData(self.persons, names)

    def idp_side(self) -> IdpSide:
        """1177's side for the nothing-back checks: the IdP's host and its published metadata URL."""
        return IdpSide(self.idp_base_url, f"{self.idp_base_url}{IDP_METADATA_PATH}", self.personal_data())


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _port(url: str) -> int:
    return urlsplit(url).port or 0


def _declared_numbers(sp: SpTarget) -> list[str]:
    numbers = [c.personnummer for c in sp.contacts] + list(sp.not_contacts)
    if sp.century_twin:
        numbers += list(sp.century_twin)
    return list(dict.fromkeys(numbers))


def _strangers(sp: SpTarget, numbers: TestNumbers) -> tuple[str, ...]:
    """The target's not_contacts first, then test numbers it does not hold (deterministic choice)."""
    held = {c.personnummer for c in sp.contacts}
    chosen = [n for n in sp.not_contacts if n not in held]
    for number in numbers.personnummer[:: max(1, len(numbers.personnummer) // 97)]:
        if len(chosen) >= len(sp.not_contacts) + _STRANGERS:
            break
        if number not in held and number not in chosen and not is_samordningsnummer(number):
            chosen.append(number)
    return tuple(chosen)


def fetch_sp_metadata(sp: SpTarget, verify: bool | str, recorder: Recorder) -> bytes:
    """The SP's metadata: GET from its URL (recorded), or read from the file the target names."""
    if sp.metadata.startswith(("http://", "https://")):
        exchange = Browser(recorder, marker="harness-setup", verify=verify).request("GET", sp.metadata)
        if exchange.status != 200:
            raise TargetError(f"the SP's metadata at {sp.metadata} answered HTTP {exchange.status}")
        return exchange.response_body
    try:
        return Path(sp.metadata).read_bytes()  # resolved against the target file when it was read
    except OSError as exc:
        raise TargetError(f"[sp] metadata {sp.metadata} cannot be read: {exc.strerror}") from None


@contextmanager
def open_environment(target: SpSuiteTarget, settings: RunSettings) -> Iterator[SpEnvironment]:
    """Start the mock IdP (and the reference SP when the target launches it); stop both at the end."""
    numbers = load_test_numbers(settings.persons_dir)
    with ExitStack() as stack:
        idp, idp_server = _start_idp(target, numbers, stack)
        proxy = _start_proxy(target, stack)
        target, verify = _sp_side(target, idp, numbers, stack, proxy)
        sp = target.sp
        recorder = Recorder(prefix="setup-")
        sp_info = parse_sp_metadata(fetch_sp_metadata(sp, verify, recorder))
        idp.register_sp(sp_info)
        strangers = _strangers(sp, numbers)
        everyone = list(dict.fromkeys([*_declared_numbers(sp), *strangers]))
        yield SpEnvironment(
            target=target,
            sp=sp,
            idp=idp,
            idp_identity=idp.identity,
            idp_base_url=idp_server.base_url,
            sp_info=sp_info,
            numbers=numbers,
            persons={p.personnummer: p for p in _named_persons(sp, everyone)},
            strangers=strangers,
            verify=verify,
            setup_evidence=recorder.exchanges,
            proxy=proxy,
        )


def _start_idp(target: SpSuiteTarget, numbers: TestNumbers, stack: ExitStack) -> tuple[MockIdp, ServedIdp]:
    """The mock IdP with the keys the SP trusts, on the target's IdP port (a free one for the demo)."""
    launching = target.launches_reference_sp
    check_idp_keys(target)
    config = IdpConfig(
        base_url="" if launching else target.idp.base_url,
        port=0 if launching else _port(target.idp.base_url),
        keys=load_idp_keys(target.idp.state_dir),
        persons=default_persons(numbers),
    )
    served = serve_idp(config)
    stack.callback(served.stop)
    return served.idp, served


def _start_proxy(target: SpSuiteTarget, stack: ExitStack) -> RecordingProxy | None:
    """The recording proxy on the port the SP's HTTP(S)_PROXY names, when the target honours one."""
    sp = target.sp
    if not sp.honours_proxy:
        return None
    if not sp.proxy_port and not target.launches_reference_sp:
        raise TargetError(
            "sp.honours_proxy = true needs sp.proxy_port: the loopback port your SP's HTTP(S)_PROXY names"
        )
    proxy = start_proxy(sp.proxy_port)
    stack.callback(proxy.stop)
    return proxy


def _sp_side(
    target: SpSuiteTarget, idp: MockIdp, numbers: TestNumbers, stack: ExitStack, proxy: RecordingProxy | None
) -> tuple[SpSuiteTarget, bool | str]:
    """The target with its URLs filled in, and how to verify its TLS certificate."""
    if target.launches_reference_sp:
        outbound_proxy = proxy.url if proxy is not None else ""
        state_dir = target.idp.state_dir.parent / "reference-sp"
        return _launch_reference_sp(target, idp.metadata(), state_dir, numbers, stack, outbound_proxy)
    return target, target.sp.ca_bundle or True


def _named_persons(sp: SpTarget, numbers: list[str]) -> tuple[Person, ...]:
    """Faker sv_SE names, but a contact's own name where the target declares it (as 1177 would send)."""
    generated = make_persons(numbers)
    declared = {c.personnummer: c for c in sp.contacts}
    people = []
    for person in generated:
        contact = declared.get(person.personnummer)
        if contact is not None and contact.given_name and contact.surname:
            person = Person(person.personnummer, contact.given_name, contact.surname)
        people.append(person)
    return tuple(people)


def _launch_reference_sp(
    target: SpSuiteTarget,
    idp_metadata: bytes,
    state_dir: Path,
    numbers: TestNumbers,
    stack: ExitStack,
    outbound_proxy: str,
) -> tuple[SpSuiteTarget, bool | str]:
    from harness.reference_sp.launch import reference_sp_ca_bundle, start_reference_sp

    # The reference SP gets the proxy as a vendor's SP gets HTTP(S)_PROXY: in its configuration.
    server = start_reference_sp(idp_metadata, state_dir, numbers, outbound_proxy=outbound_proxy)
    stack.callback(server.stop)
    return target.with_base_url(server.base_url), str(reference_sp_ca_bundle(state_dir))
