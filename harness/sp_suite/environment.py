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
from pathlib import Path
from urllib.parse import urlsplit

from harness.browser import Browser
from harness.core.clock import Clock, SystemClock
from harness.core.exchange import Exchange, Recorder
from harness.core.targets import PERSONNUMMER_OID, SpTarget, Target, TargetError
from harness.mock_1177_idp.app import IdpConfig, MockIdp, ServedIdp, serve_idp
from harness.mock_1177_idp.builder import AttributeProfile, IdpIdentity, SamlMessage
from harness.mock_1177_idp.keys import load_idp_keys
from harness.mock_1177_idp.metadata import SpInfo, parse_sp_metadata
from harness.mock_1177_idp.persons import Person, make_persons
from harness.personnummer import TestNumbers, is_samordningsnummer, load_test_numbers
from harness.sp_suite.checks import PersonalData
from harness.sp_suite.proxy import RecordingProxy, start_proxy

__all__ = ["SpEnvironment", "open_environment"]

_STRANGERS = 3  # test persons the SP must not know, beyond the target's declared not_contacts


@dataclass(frozen=True)
class SpEnvironment:
    """Everything a scenario needs to drive and judge the SP; ``journal`` collects every login hop."""

    target: Target
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
    journal: list[Exchange] = field(default_factory=list)  # run-wide: every hop of every login
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
    def attribute_profile(self) -> AttributeProfile:
        """Which attribute names carry the personnummer, as the target agreed (saml-1177.md check 20)."""
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

    @property
    def idp_origin(self) -> str:
        return _origin(self.idp_base_url)

    def outbound_calls(self) -> tuple[Exchange, ...]:
        """Every call the SP made through the recording proxy during the run (none without a proxy)."""
        return self.proxy.exchanges if self.proxy is not None else ()

    def idp_traffic(self) -> tuple[Exchange, ...]:
        """Every request that reached the mock 1177 IdP during the run, in order.

        The IdP's answers are left out: they are the harness's own messages, kept in the evidence of
        the scenario that sent them, and the nothing-back rules judge only what reached 1177.
        """
        reason = "the mock IdP's answer; judged here is only what reached 1177"
        return tuple(x.without_response_body(reason) for x in self.idp.traffic.exchanges)

    def personal_data(self) -> PersonalData:
        people = [self.person(n) for n in self.persons]
        names = [part for p in people for part in (p.given_name, p.surname, *p.given_name.split())]
        return PersonalData(self.persons, names)


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


def _fetch_sp_metadata(sp: SpTarget, verify: bool | str, recorder: Recorder, base: Path) -> bytes:
    if sp.metadata.startswith(("http://", "https://")):
        exchange = Browser(recorder, marker="harness-setup", verify=verify).request("GET", sp.metadata)
        if exchange.status != 200:
            raise TargetError(f"the SP's metadata at {sp.metadata} answered HTTP {exchange.status}")
        return exchange.response_body
    path = Path(sp.metadata)
    return (path if path.is_absolute() else base / path).read_bytes()


@contextmanager
def open_environment(target: Target, persons_dir: Path | None = None) -> Iterator[SpEnvironment]:
    """Start the mock IdP (and the reference SP when the target launches it); stop both at the end."""
    if target.sp is None:
        raise TargetError(f"target {target.name} has no [sp] section")
    numbers = load_test_numbers(persons_dir)
    state_dir = Path(target.idp.state_dir)
    if not state_dir.is_absolute():
        state_dir = target.source.parent / state_dir
    with ExitStack() as stack:
        idp, idp_server = _start_idp(target, target.sp, state_dir, stack)
        proxy = _start_proxy(target, target.sp, stack)
        target, verify = _sp_side(target, idp, state_dir, stack, proxy)
        sp = target.sp
        assert sp is not None  # with_base_url keeps the [sp] section
        recorder = Recorder(prefix="setup-")
        sp_info = parse_sp_metadata(_fetch_sp_metadata(sp, verify, recorder, target.source.parent))
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


def _start_idp(target: Target, sp: SpTarget, state_dir: Path, stack: ExitStack) -> tuple[MockIdp, ServedIdp]:
    """The mock IdP with the keys the SP trusts, on the target's IdP port (a free one for the demo)."""
    launching = target.launch == "reference-sp"
    config = IdpConfig(
        base_url="" if launching else target.idp.base_url,
        port=0 if launching else _port(target.idp.base_url),
        keys=load_idp_keys(state_dir),
        skew_seconds=sp.clock_skew_seconds,
    )
    served = serve_idp(config)
    stack.callback(served.stop)
    return served.idp, served


def _start_proxy(target: Target, sp: SpTarget, stack: ExitStack) -> RecordingProxy | None:
    """The recording proxy on the port the SP's HTTP(S)_PROXY names, when the target honours one."""
    if not sp.honours_proxy:
        return None
    if not sp.proxy_port and target.launch != "reference-sp":
        raise TargetError(
            "sp.honours_proxy = true needs sp.proxy_port: the loopback port your SP's HTTP(S)_PROXY names"
        )
    proxy = start_proxy(sp.proxy_port)
    stack.callback(proxy.stop)
    return proxy


def _sp_side(
    target: Target, idp: MockIdp, state_dir: Path, stack: ExitStack, proxy: RecordingProxy | None
) -> tuple[Target, bool | str]:
    """The target with its URLs filled in, and how to verify its TLS certificate."""
    if target.launch == "reference-sp":
        outbound_proxy = proxy.url if proxy is not None else ""
        return _launch_reference_sp(
            target, idp.metadata(), state_dir.parent / "reference-sp", stack, outbound_proxy
        )
    if target.launch:
        raise TargetError(f"unknown [launch] app {target.launch!r} (only 'reference-sp')")
    assert target.sp is not None
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
    target: Target, idp_metadata: bytes, state_dir: Path, stack: ExitStack, outbound_proxy: str
) -> tuple[Target, bool | str]:
    from harness.reference_sp.launch import reference_sp_ca_bundle, start_reference_sp

    # The reference SP gets the proxy as a vendor's SP gets HTTP(S)_PROXY: in its configuration.
    server = start_reference_sp(idp_metadata, state_dir, outbound_proxy=outbound_proxy)
    stack.callback(server.stop)
    return target.with_base_url(server.base_url), str(reference_sp_ca_bundle(state_dir))
