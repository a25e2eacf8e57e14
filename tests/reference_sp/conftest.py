"""Fixtures: the mock IdP's keys and metadata, a seeded contact database, an in-process SP per test.

Every test runs with ``responses`` active and no URL registered: any outbound HTTP call through
``requests`` (the SP calling 1177, or anything else) fails, and the test also asserts afterwards
that none was even attempted.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import responses

from harness.core.clock import FixedClock
from harness.mock_1177_idp.builder import IdpIdentity
from harness.mock_1177_idp.keys import IdpKeys
from harness.mock_1177_idp.metadata import DEFAULT_IDP_ENTITY_ID, idp_metadata
from harness.personnummer import TestNumbers
from harness.reference_sp import ContactRow, ReferenceSpConfig, seed_contacts
from tests.support.data import test_numbers

from .helpers import IDP_BASE_URL, SP_BASE_URL, SpDriver


@pytest.fixture(autouse=True)
def no_outbound_http() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock
        # Passthru prefixes are only the test's own browser talking to a live SP on loopback.
        allowed = tuple(str(prefix) for prefix in mock.passthru_prefixes)
        outbound = [c.request.url or "" for c in mock.calls if not (c.request.url or "").startswith(allowed)]
        assert not outbound, f"outbound HTTP from the SP: {outbound}"


@pytest.fixture(scope="session")
def numbers() -> TestNumbers:
    return test_numbers()


@pytest.fixture(scope="session")
def idp_metadata_xml(idp_keys: IdpKeys) -> bytes:
    return idp_metadata(DEFAULT_IDP_ENTITY_ID, IDP_BASE_URL, idp_keys)


@pytest.fixture(scope="session")
def sp_state(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("sp-state")


@pytest.fixture(scope="session")
def contacts(sp_state: Path, numbers: TestNumbers) -> tuple[ContactRow, ...]:
    return seed_contacts(sp_state / "contacts.sqlite3", numbers)


@pytest.fixture()
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture()
def make_sp(
    idp: IdpIdentity,
    idp_metadata_xml: bytes,
    sp_state: Path,
    contacts: tuple[ContactRow, ...],
    clock: FixedClock,
) -> Callable[..., SpDriver]:
    def make(**overrides: Any) -> SpDriver:
        config = ReferenceSpConfig(
            base_url=SP_BASE_URL,
            idp_metadata=idp_metadata_xml,
            db_path=sp_state / "contacts.sqlite3",
            state_dir=sp_state,
            clock=clock,
            **overrides,
        )
        return SpDriver.start(config, idp, clock)

    return make


@pytest.fixture()
def sp(make_sp: Callable[..., SpDriver]) -> SpDriver:
    return make_sp()


@pytest.fixture()
def sp_log(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG, logger="harness.reference_sp")
    return caplog
