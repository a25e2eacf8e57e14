"""The engagement index (Inera's UpdateMock: Update, Delete, Multiple,
Non-Unique, Schema Error, Schematron Error). The Updates judged are those the producer had sent when the
run began (fixed at its start) and those the scenario causes itself through the record hooks."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from harness.contracts import ContractVersion
from harness.core.findings import Finding
from harness.producer_suite import checks_ei as checks
from harness.producer_suite.areas import EI, every_version, producer_scenario
from harness.producer_suite.cases import base_params
from harness.producer_suite.checks_ei import SentUpdate, read_updates
from harness.producer_suite.driver import ProducerDriver
from harness.producer_suite.steps import (
    baseline,
    change_and_wait,
    create_payload,
    created_record_id,
    posts_for,
    triggered_updates,
)


def _updates(producer: ProducerDriver) -> list[SentUpdate]:
    """The baseline Updates and the scenario's own; skip when the producer has sent none at all."""
    own = triggered_updates(producer)
    producer.record.attach(producer.env.baseline_updates)
    updates = read_updates((*producer.env.baseline_updates, *own))
    if not updates:
        pytest.skip(
            "no Update from the producer's source systems has reached the mock EI, and the target "
            "has no [producer.test_hooks] create_record/delete_record to cause one (PR-EI-20P fails "
            "for the missing posts)"
        )
    return updates


def _judge_each(producer: ProducerDriver, rule: Callable[[SentUpdate], list[Finding]]) -> None:
    for update in _updates(producer):
        producer.judge(rule(update))


@producer_scenario(
    id="PR-EI-20P",
    title="The engagement index holds the producer's post for the declared patient and contract",
    area=EI,
    requirements=("PR-R-EI-20P",),
    versions=every_version,
    explanation="1177 journal reads through the aggregating services, which ask only the source systems the "
    "engagement index names: without a post, your journal is never called for the patient.",
)
def test_posts_exist(producer: ProducerDriver, contract: ContractVersion) -> None:
    source, patient = producer.env.producer.source_system, producer.env.producer.test_data.patient_id
    baseline(producer, contract)
    producer.record.attach(producer.env.baseline_updates)
    producer.judge(checks.posts_held(posts_for(producer, contract, source), contract, source, patient))


@producer_scenario(
    id="PR-EI-20S",
    title="Every Update is valid against the Update XSD and Inera's Update schematron, with unique posts",
    area=EI,
    requirements=("PR-R-EI-20S",),
    explanation="The national engagement index refuses an invalid Update as a whole: none of its posts "
    "are stored.",
)
def test_updates_are_valid(producer: ProducerDriver) -> None:
    validator = producer.env.validator
    if validator is None:
        pytest.skip("no schema bundle: give the official RIVTA schemas with --schemas DIR (or RIVTA_SCHEMAS)")
    _judge_each(producer, lambda update: checks.update_valid(update, validator))


@producer_scenario(
    id="PR-EI-20F",
    title="An Update carries no owner, creationTime or updateTime, and no empty element",
    area=EI,
    requirements=("PR-R-EI-20F",),
    explanation="These fields belong to the engagement index; a source system setting them is refused.",
)
def test_no_index_fields(producer: ProducerDriver) -> None:
    _judge_each(producer, checks.no_index_fields)


@producer_scenario(
    id="PR-EI-20K",
    title="Each post's serviceDomain and categorization are the domain TKB's values",
    area=EI,
    requirements=("PR-R-EI-20K",),
    explanation="The aggregating services find posts by serviceDomain and categorization: another value "
    "(or 'urn:' in front) means the post is never found.",
)
def test_domain_and_categorization(producer: ProducerDriver) -> None:
    domains = {c.ei_service_domain for c in producer.env.producer.contracts}
    _judge_each(producer, lambda update: checks.domain_and_categorization(update, domains))


@producer_scenario(
    id="PR-EI-20A",
    title="Each post's logicalAddress is its sourceSystem and the producer's; the NA fields are NA",
    area=EI,
    requirements=("PR-R-EI-20A",),
    explanation="The aggregating services call the post's source system by its logical address; another "
    "address sends 1177's call elsewhere.",
)
def test_post_addressing(producer: ProducerDriver) -> None:
    addresses = producer.env.producer.logical_addresses
    _judge_each(producer, lambda update: checks.addressing(update, addresses))


@producer_scenario(
    id="PR-EI-20R",
    title="Posts name the patient by personnummer or samordningsnummer, at most 1000 per Update",
    area=EI,
    requirements=("PR-R-EI-20R",),
    explanation="The national index holds national identities only; a reserve number is meaningless "
    "outside your journal and must not be posted.",
)
def test_resident_and_batch_size(producer: ProducerDriver) -> None:
    reserve = {producer.env.producer.test_data.reserve_id} - {""}
    _judge_each(producer, lambda update: checks.resident_and_batch(update, reserve))


@producer_scenario(
    id="PR-EI-20D",
    title="dataController is SE and the care giver's organisation number",
    area=EI,
    requirements=("PR-R-EI-20D",),
    explanation="The data controller identifies the care giver responsible for the data in the index.",
)
def test_data_controller(producer: ProducerDriver) -> None:
    _judge_each(producer, checks.data_controller_format)


@producer_scenario(
    id="PR-EI-20M",
    title="mostRecentContent on create and update, not on delete; Updates go to the index's address",
    area=EI,
    requirements=("PR-R-EI-20M",),
    explanation="Consumers use mostRecentContent to see what is new; the Update is addressed to the "
    "engagement index's own logical address.",
)
def test_most_recent_content(producer: ProducerDriver) -> None:
    ei_address = producer.env.identities.ei
    _judge_each(producer, lambda update: checks.recent_content_and_address(update, ei_address))


@producer_scenario(
    id="PR-EIT-21",
    title="Creating and deleting a record is followed by an Update, pointing at data readable at once",
    area=EI,
    requirements=("PR-R-EIT-21",),
    versions=every_version,
    explanation="A post must point at data the contract returns at once: otherwise 1177 calls your journal "
    "and finds nothing, or never learns of new data.",
)
def test_changes_update_the_index(producer: ProducerDriver, contract: ContractVersion) -> None:
    producer.require_hook("create_record")
    producer.require_hook("delete_record")
    baseline(producer, contract)
    params = base_params(producer.env.producer)
    created = change_and_wait(
        producer, contract, lambda: producer.hook("create_record", create_payload(producer, contract))
    )
    record_id = created_record_id(created.hook_result)
    try:
        after = producer.call(contract, params)
        producer.judge(
            checks.change_posted(created.updates, f"creating {record_id}", created.waited_s, after.evidence)
        )
        if created.updates:
            producer.judge(
                checks.readable_at_once(after.has_record(record_id), True, record_id, after.evidence)
            )
    finally:
        deleted = change_and_wait(
            producer, contract, lambda: producer.hook("delete_record", record_id=record_id)
        )
    gone = producer.call(contract, params)
    producer.judge(
        checks.change_posted(deleted.updates, f"deleting {record_id}", deleted.waited_s, gone.evidence)
    )
    if deleted.updates:
        producer.judge(checks.readable_at_once(gone.has_record(record_id), False, record_id, gone.evidence))
