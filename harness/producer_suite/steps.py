"""Steps several scenarios share: the unfiltered answer they compare with, a change made through a test
hook followed by the engagement-index Update it must cause, and the patient's posts in the mock EI."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from harness.contracts import ContractVersion
from harness.core.exchange import Exchange
from harness.core.findings import mismatch
from harness.mock_ntp.ei_model import FindContentQuery
from harness.producer_suite.answer import Answer
from harness.producer_suite.cases import base_params
from harness.producer_suite.checks_ei import read_updates
from harness.producer_suite.driver import HookFailed, ProducerDriver

__all__ = [
    "RECORD_KINDS",
    "Change",
    "PlatformSelfTestFailed",
    "baseline",
    "change_and_wait",
    "create_payload",
    "created_record_id",
    "posts_for",
    "triggered_updates",
    "update_for",
]

# What the reference hooks call a record of each contract (JSON "kind"; "contract" names the version too).
RECORD_KINDS = {
    "GetCareDocumentation": "note",
    "GetDiagnosis": "diagnosis",
    "GetCareContacts": "care_contact",
    "GetLaboratoryOrderOutcome": "lab",
}


def baseline(driver: ProducerDriver, contract: ContractVersion, *, positive: bool = True) -> Answer:
    """The declared patient at the declared source system, unfiltered (Inera 1.1.1); with ``positive``
    it must hold records, or the scenario cannot judge anything (positive control)."""
    answer = driver.call(contract, base_params(driver.env.producer))
    if positive:
        found = (
            []
            if answer.records.records
            else [
                mismatch(
                    "baseline",
                    "unfiltered answer for the declared patient",
                    "records",
                    "none",
                    exchange_ids=answer.evidence,
                )
            ]
        )
        driver.positive_control("the declared patient's unfiltered answer has records", found)
    return answer


def update_for(driver: ProducerDriver, contract: ContractVersion) -> Callable[[Exchange], bool]:
    """Accepts an Update that posts for the declared patient, the contract's EI keys and source system."""
    patient, source = driver.env.producer.test_data.patient_id, driver.env.producer.source_system

    def wanted(exchange: Exchange) -> bool:
        return any(
            t.engagement.value("registeredResidentIdentification") == patient
            and t.engagement.value("serviceDomain") == contract.ei_service_domain
            and t.engagement.value("categorization") == contract.ei_categorization
            and t.engagement.value("sourceSystem") == source
            for update in read_updates([exchange])
            for t in update.transactions
        )

    return wanted


@dataclass(frozen=True)
class Change:
    """A change made through a hook, and the Updates that followed within the wait."""

    hook_result: object
    updates: tuple[Exchange, ...]
    waited_s: float


def change_and_wait(
    driver: ProducerDriver,
    contract: ContractVersion,
    act: Callable[[], object],
    *,
    wait_s: float | None = None,
) -> Change:
    """Do ``act`` (a hook call), then wait for the producer's Update for the contract's post."""
    mark = driver.update_mark()
    timeout = driver.env.producer.ei_wait_s if wait_s is None else wait_s
    result = act()
    updates = driver.wait_for_updates(mark, update_for(driver, contract), timeout)
    return Change(result, updates, timeout)


def posts_for(driver: ProducerDriver, contract: ContractVersion, source: str) -> tuple[object, ...]:
    """The mock EI's posts for the declared patient, the contract's EI keys and ``source``."""
    patient = driver.env.producer.test_data.patient_id
    query = FindContentQuery(
        patient,
        contract.ei_service_domain,
        (("categorization", contract.ei_categorization), ("logicalAddress", source)),
    )
    return driver.env.platform.ei.store.find(query)


class PlatformSelfTestFailed(RuntimeError):
    """The mock platform did not behave as SKLTP does: context for the run, never the producer's verdict."""


def created_record_id(result: object) -> str:
    """The record id a ``create_record`` hook answered (JSON ``{"record_id": ...}``)."""
    record_id = result.get("record_id") if isinstance(result, dict) else None
    if not isinstance(record_id, str) or not record_id:
        raise HookFailed('the create_record hook must answer {"record_id": "<id>"}')
    return record_id


def create_payload(driver: ProducerDriver, contract: ContractVersion) -> dict[str, str]:
    producer = driver.env.producer
    return {
        "contract": contract.key,
        "kind": RECORD_KINDS[contract.name],
        "patient_id": producer.test_data.patient_id,
        "source_system": producer.source_system,
    }


def triggered_updates(driver: ProducerDriver) -> tuple[Exchange, ...]:
    """With the record hooks: create one record of the first declared contract and delete it again, and
    return the Updates that caused (the EI Update cases Update and Delete); without them, none."""
    hooks = driver.env.producer.hooks
    if not (hooks.create_record and hooks.delete_record):
        return ()
    contract = driver.env.producer.contracts[0]
    created = change_and_wait(
        driver, contract, lambda: driver.hook("create_record", create_payload(driver, contract))
    )
    record_id = created_record_id(created.hook_result)
    deleted = change_and_wait(driver, contract, lambda: driver.hook("delete_record", record_id=record_id))
    return (*created.updates, *deleted.updates)
