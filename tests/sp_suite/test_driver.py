"""The driver's attacks claim to be one of the target's own contacts, in both flows, so that a flawed
vendor SP shows the attack as another contact's data (not as a stranger's empty page)."""

from __future__ import annotations

import base64
from collections.abc import Iterator, Mapping
from dataclasses import replace

import pytest

from harness.core.findings import Level
from harness.core.scenario import ScenarioRecord, ScenarioSpec
from harness.core.xml import NS, parse_xml
from harness.mock_1177_idp.spec import OTHER_PERSONS
from harness.runner import demo_target, load_target
from harness.sp_suite.driver import FLOWS, SpDriver
from harness.sp_suite.environment import SpEnvironment, open_environment
from tests.support.data import settings

XSW_BEFORE = "xsw_unsigned_assertion_before"  # the injected Assertion comes first


@pytest.fixture(scope="module")
def environment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SpEnvironment]:
    """The launched reference SP, its target's contacts reordered so that the second is not one of the
    mock IdP's fixed fallback victims (OTHER_PERSONS): only the target can have named it."""
    target = load_target("sp", demo_target("sp"))
    assert target.sp is not None
    first, second, third, *rest = target.sp.contacts
    sp = replace(target.sp, contacts=(first, third, second, *rest))
    state = tmp_path_factory.mktemp("driver") / "idp"
    target = replace(target, sp=sp, idp=replace(target.idp, state_dir=state))
    with open_environment(target, settings()) as env:
        yield env


def injected_personnummer(posted: Mapping[str, str]) -> str:
    response = parse_xml(base64.b64decode(posted["SAMLResponse"]))
    path = "saml:Assertion/saml:AttributeStatement/saml:Attribute[@Name='urn:oid:1.2.752.29.4.13']"
    values = [a.findtext("saml:AttributeValue", namespaces=NS) or "" for a in response.iterfind(path, NS)]
    assert len(values) == 2, "the XSW Response carries the injected and the signed Assertion"
    return values[0]


@pytest.mark.parametrize("flow", FLOWS)
def test_an_attack_claims_the_targets_second_contact_in_either_flow(
    environment: SpEnvironment, flow: str
) -> None:
    record = ScenarioRecord(ScenarioSpec("T-DRIVER", "driver", "sp", "test", Level.MUST, ("test",)))
    driver = SpDriver(environment, record)
    person, victim = driver.contact(0), driver.contact(1)
    assert victim.personnummer not in {p.personnummer for p in OTHER_PERSONS}
    attempt = driver.login(person, driver.options(XSW_BEFORE), flow=flow)
    assert attempt.posted_form is not None
    assert injected_personnummer(attempt.posted_form) == victim.personnummer
    assert not attempt.probe.has_session  # the reference SP refuses the wrapped Response


def test_without_a_second_contact_an_attack_claims_a_stranger(environment: SpEnvironment) -> None:
    only = replace(environment.sp, contacts=environment.sp.contacts[:1])
    alone = replace(environment, sp=only)
    victim = alone.other_person_for(alone.person(alone.login_contacts[0]))
    assert victim.personnummer == alone.strangers[0]
    assert victim.personnummer not in {c.personnummer for c in environment.sp.contacts}
