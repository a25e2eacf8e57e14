"""Shared test configuration: pytester for the engine's throwaway suites, and the mock IdP's
session keys that the IdP's and the reference SP's tests both sign with."""

from __future__ import annotations

import pytest

from harness.mock_1177_idp.builder import IdpIdentity
from harness.mock_1177_idp.keys import IdpKeys, load_idp_keys
from harness.mock_1177_idp.metadata import DEFAULT_IDP_ENTITY_ID

pytest_plugins = ("pytester",)


@pytest.fixture(scope="session")
def idp_keys(tmp_path_factory: pytest.TempPathFactory) -> IdpKeys:
    return load_idp_keys(tmp_path_factory.mktemp("idp-state"))


@pytest.fixture(scope="session")
def idp(idp_keys: IdpKeys) -> IdpIdentity:
    return IdpIdentity(DEFAULT_IDP_ENTITY_ID, idp_keys)
