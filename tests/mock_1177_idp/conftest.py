"""Fixtures for the mock 1177 IdP's tests: persistent-per-session keys, persons, a fixed clock."""

from __future__ import annotations

import pytest

from harness.core.clock import FixedClock
from harness.core.xmldsig import KeyPair
from harness.mock_1177_idp.builder import AttributeProfile, ResponseOptions, ResponseSpec
from harness.mock_1177_idp.persons import Person, make_persons
from harness.pki import new_keypair

from .helpers import ACS_URL, NUMBERS, REQUEST_ID, SP_ENTITY_ID


@pytest.fixture(scope="session")
def sp_keys() -> KeyPair:
    return new_keypair("test SP encryption")


@pytest.fixture(scope="session")
def persons() -> tuple[Person, ...]:
    return make_persons(NUMBERS)


@pytest.fixture()
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture()
def spec(persons: tuple[Person, ...]) -> ResponseSpec:
    """Solicited, both attribute profiles (so personnummer mutations hit both names), both signed."""
    return ResponseSpec(
        sp_entity_id=SP_ENTITY_ID,
        acs_url=ACS_URL,
        person=persons[0],
        in_response_to=REQUEST_ID,
        options=ResponseOptions(attribute_profile=AttributeProfile.BOTH, relay_state="/programs"),
    )
