"""Engagement index messages: Update and FindContent built valid against the official XSDs and schematron,
and read back."""

from __future__ import annotations

from dataclasses import replace

import pytest

from harness.contracts import CATALOGUE, ContractVersion, MessageRole, find_contract
from harness.contracts.ei import (
    EngagementTransaction,
    FindContentQuery,
    build_find_content,
    build_find_content_response,
    build_update,
    build_update_response,
    engagement_for,
    read_find_content,
    read_find_content_response,
    read_update,
    read_update_response,
)
from harness.validation import Validator

UPDATE = find_contract("Update", "1.0")
FIND_CONTENT = find_contract("FindContent", "1.0")
SOURCE = "TSTNMT2321000156-RP01"
DATA_CONTROLLER = "SE2321000156"


@pytest.mark.parametrize("contract", CATALOGUE, ids=[c.key for c in CATALOGUE])
def test_a_producers_update_for_each_contract_passes_xsd_and_every_official_schematron(
    contract: ContractVersion, pnr: str, validator: Validator
) -> None:
    engagement = engagement_for(contract, pnr, SOURCE, DATA_CONTROLLER, most_recent_content="20240301101500")
    assert engagement.service_domain == contract.ei_service_domain  # no "urn:" prefix
    assert engagement.logical_address == engagement.source_system == SOURCE
    assert (engagement.business_object_instance_id, engagement.clinical_process_interest_id) == ("NA", "NA")
    transactions = (
        EngagementTransaction(engagement),
        EngagementTransaction(
            replace(engagement, most_recent_content=None, data_controller="SE5565594230"), True
        ),
    )
    update = build_update(transactions)
    result = validator.validate(UPDATE, update, role=MessageRole.REQUEST)
    assert result.valid, [str(i) for i in result.issues]
    assert len([c for c in result.checked if c.startswith("schematron")]) == 4
    assert read_update(update) == transactions


def test_update_response_reads_back(validator: Validator) -> None:
    response = build_update_response("OK", "2 posts")
    assert validator.validate(UPDATE, response).valid
    assert read_update_response(response).result_code == "OK"
    assert read_update_response(response).comment == "2 posts"


def test_find_content_request_and_response_read_back(pnr: str, validator: Validator) -> None:
    contract = find_contract("GetDiagnosis", "2.0")
    query = FindContentQuery(pnr, contract.ei_service_domain, categorization=contract.ei_categorization)
    request = build_find_content(query)
    assert validator.validate(FIND_CONTENT, request, role=MessageRole.REQUEST).valid
    assert read_find_content(request) == query
    stored = replace(engagement_for(contract, pnr, SOURCE, DATA_CONTROLLER), owner="TSTNMT2321000156-EI01")
    response = build_find_content_response((stored,))
    result = validator.validate(FIND_CONTENT, response)
    assert result.valid, [str(i) for i in result.issues]
    assert read_find_content_response(response) == (stored,)


def test_engagement_keys_ignore_the_times_but_not_the_data_controller(pnr: str) -> None:
    engagement = engagement_for(find_contract("GetDiagnosis", "2.0"), pnr, SOURCE, DATA_CONTROLLER)
    assert replace(engagement, most_recent_content="20240101000000").key == engagement.key
    assert replace(engagement, data_controller="SE5565594230").key != engagement.key
