"""Personnummer mutations change exactly the personnummer attribute(s) of the chosen profile."""

from __future__ import annotations

from dataclasses import replace

import pytest

from harness.core.clock import FixedClock
from harness.core.xml import NS
from harness.mock_1177_idp.builder import AttributeProfile, IdpIdentity, ResponseSpec
from harness.mock_1177_idp.mut_personnummer import TEST_SAMORDNINGSNUMMER
from harness.mock_1177_idp.mutations import MutationNotApplicable
from harness.personnummer import PersonnummerError, luhn_digit, parse_strict
from tests.support.data import test_numbers
from tests.support.xmldiff import volatile_diff

from .helpers import build

STATEMENT = "/samlp:Response/saml:Assertion/saml:AttributeStatement"
NAMES = {AttributeProfile.EID: ["urn:oid:1.2.752.29.4.13"], AttributeProfile.LEGACY: ["Subject_SerialNumber"]}
NAMES[AttributeProfile.BOTH] = NAMES[AttributeProfile.LEGACY] + NAMES[AttributeProfile.EID]
PNR = "196506232880"  # the spec's person (Skatteverket test personnummer)

REWRITTEN = {
    "personnummer_bad_check_digit": "196506232881",
    "personnummer_10_digit": "6506232880",
    "personnummer_hyphenated": "19650623-2880",
    "personnummer_serial_000": "196506230009",
    "personnummer_impossible_date": "196502302885",
    "personnummer_samordningsnummer": TEST_SAMORDNINGSNUMMER,
}
REASONS = {
    "personnummer_bad_check_digit": "check digit",
    "personnummer_10_digit": "12 digits",
    "personnummer_hyphenated": "12 digits",
    "personnummer_serial_000": "000",
    "personnummer_impossible_date": "date",
    "personnummer_samordningsnummer": "samordningsnummer",
}


def _value(name: str) -> str:
    return f"{STATEMENT}/saml:Attribute[@Name={name!r}]/saml:AttributeValue/text()[0]"


@pytest.mark.parametrize("profile", list(AttributeProfile))
@pytest.mark.parametrize("mutation", sorted(REWRITTEN))
def test_personnummer_rewrite_changes_only_the_personnummer_values(
    spec: ResponseSpec, idp: IdpIdentity, clock: FixedClock, mutation: str, profile: AttributeProfile
) -> None:
    spec = spec.with_options(attribute_profile=profile)
    assert spec.person.personnummer == PNR
    diff = volatile_diff(build(spec, idp, clock), build(spec, idp, clock, mutation))
    new = REWRITTEN[mutation]
    assert diff == sorted(f"- {_value(n)}={PNR}" for n in NAMES[profile]) + sorted(
        f"+ {_value(n)}={new}" for n in NAMES[profile]
    )
    with pytest.raises(PersonnummerError, match=REASONS[mutation]):
        parse_strict(new)


def test_rewritten_numbers_break_one_rule_each() -> None:
    # serial 000 and the impossible date keep a correct check digit, so only their own rule breaks.
    for number in (REWRITTEN["personnummer_serial_000"], REWRITTEN["personnummer_impossible_date"]):
        assert luhn_digit(number[2:11]) == int(number[11])
    assert parse_strict(TEST_SAMORDNINGSNUMMER, allow_samordningsnummer=True) == TEST_SAMORDNINGSNUMMER
    assert TEST_SAMORDNINGSNUMMER in test_numbers().samordningsnummer


def test_personnummer_missing_removes_the_attributes(
    spec: ResponseSpec, idp: IdpIdentity, clock: FixedClock
) -> None:
    diff = volatile_diff(build(spec, idp, clock), build(spec, idp, clock, "personnummer_missing"))
    assert len(diff) == 5 + 7  # element, Name, value, xsi:type, text (+ NameFormat, FriendlyName for eID)
    assert all(line.startswith("- ") for line in diff)
    assert all("Subject_SerialNumber" in line or "1.2.752.29.4.13" in line for line in diff)


def test_personnummer_multi_valued_adds_a_second_value(
    spec: ResponseSpec, idp: IdpIdentity, clock: FixedClock
) -> None:
    diff = volatile_diff(build(spec, idp, clock), build(spec, idp, clock, "personnummer_multi_valued"))
    values = [line for line in diff if "/text()" in line]
    assert sorted(values) == sorted(f"+ {_value(n)}=195006262546" for n in NAMES[AttributeProfile.BOTH])
    assert len(diff) == 6 and all(line.startswith("+ ") for line in diff)  # element, xsi:type, text


def test_personnummer_mutations_keep_names_and_date_of_birth(
    spec: ResponseSpec, idp: IdpIdentity, clock: FixedClock
) -> None:
    diff = volatile_diff(build(spec, idp, clock), build(spec, idp, clock, "personnummer_10_digit"))
    assert not any("dateOfBirth" in line or "GivenName" in line for line in diff)


PREVIOUS = f"{STATEMENT}/saml:Attribute[@Name='urn:oid:1.2.752.201.3.15']"


@pytest.mark.parametrize("profile", list(AttributeProfile))
def test_previous_personnummer_adds_only_a_previous_samordningsnummer_beside_the_personnummer(
    spec: ResponseSpec, idp: IdpIdentity, clock: FixedClock, profile: AttributeProfile
) -> None:
    spec = spec.with_options(attribute_profile=profile)
    mutated = build(spec, idp, clock, "previous_personnummer")
    diff = volatile_diff(build(spec, idp, clock), mutated)
    assert diff == sorted(
        [
            f"+ {PREVIOUS}",
            f"+ {PREVIOUS}@FriendlyName=previousPersonalIdentityNumber",
            f"+ {PREVIOUS}@Name=urn:oid:1.2.752.201.3.15",
            f"+ {PREVIOUS}@NameFormat=urn:oasis:names:tc:SAML:2.0:attrname-format:uri",
            f"+ {PREVIOUS}/saml:AttributeValue",
            f"+ {PREVIOUS}/saml:AttributeValue@type=xs:string",
            f"+ {PREVIOUS}/saml:AttributeValue/text()[0]={TEST_SAMORDNINGSNUMMER}",
        ]
    )
    # The personnummer stays the person's own, valid, and the previous number is a test samordningsnummer.
    assert parse_strict(PNR) == PNR
    assert parse_strict(TEST_SAMORDNINGSNUMMER, allow_samordningsnummer=True) == TEST_SAMORDNINGSNUMMER
    assert TEST_SAMORDNINGSNUMMER in test_numbers().samordningsnummer
    statement = mutated.iterfind("saml:Assertion/saml:AttributeStatement/saml:Attribute", NS)
    names = [attribute.get("Name") for attribute in statement]
    assert names.index("urn:oid:1.2.752.201.3.15") == max(names.index(n) for n in NAMES[profile]) + 1


def test_previous_personnummer_is_not_applicable_to_a_samordningsnummer_person(
    spec: ResponseSpec, idp: IdpIdentity, clock: FixedClock
) -> None:
    person = replace(spec.person, personnummer=TEST_SAMORDNINGSNUMMER)
    with pytest.raises(MutationNotApplicable, match="personnummer"):
        build(replace(spec, person=person), idp, clock, "previous_personnummer")
