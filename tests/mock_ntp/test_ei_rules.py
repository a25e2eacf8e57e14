"""The engagement index's Update rules (SKLTP EngagementValidator order) and its SQLite store."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from harness.mock_ntp.ei_model import FindContentQuery, parse_update
from harness.mock_ntp.ei_store import EngagementStore
from harness.mock_ntp.ei_validation import EiError, EiRules, validate_update

from .ei_helpers import EI, RP01, RP02, post, set_field, update_element

RULES = EiRules(owner=EI, reserved=frozenset({EI, "TSTNMT2321000156-VP01"}))
NOW = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)


def _error(element: object, logical_address: str | None = EI, rules: EiRules = RULES) -> EiError:
    assert hasattr(element, "tag")
    with pytest.raises(EiError) as caught:
        validate_update(logical_address, parse_update(element), rules)  # type: ignore[arg-type]
    return caught.value


def test_a_good_update_passes(personnummer: tuple[str, ...]) -> None:
    validate_update(EI, parse_update(update_element([post(personnummer[0]), post(personnummer[1])])), RULES)


def test_ei003_logical_address_is_not_the_eis(personnummer: tuple[str, ...]) -> None:
    error = _error(update_element([post(personnummer[0])]), logical_address=RP01)
    assert str(error) == (
        f"EI003: Invalid routing. Logical address is {RP01} but the owner is {EI}. They must be the same. "
        "See rule for Update-R7 in service contract"
    )
    assert _error(update_element([post(personnummer[0])]), logical_address=None).text.startswith(
        "Invalid routing. Logical address is missing"
    )
    relaxed = EiRules(owner=EI, check_logical_address=False)
    validate_update(RP01, parse_update(update_element([post(personnummer[0])])), relaxed)


def test_ei000_no_posts_and_more_than_1000(personnummer: tuple[str, ...]) -> None:
    assert _error(update_element([])).code == "EI000"
    posts = [replace(post(personnummer[0]), business_object_instance_id=f"id{i}") for i in range(1001)]
    error = _error(update_element(posts))
    assert error.code == "EI000" and "more than 1000 engagements" in str(error)
    validate_update(EI, parse_update(update_element(posts[:1000])), RULES)


def test_ei002_duplicate_key_names_both_posts(personnummer: tuple[str, ...]) -> None:
    same = post(personnummer[0])
    error = _error(update_element([post(personnummer[1]), same, same]))
    assert str(error).startswith("EI002: EngagementTransaction #2 and #3 have the same key.")
    # mostRecentContent is not part of the key
    assert _error(update_element([same, post(personnummer[0], most_recent="20250101000000")])).code == "EI002"


def test_ei005_ei006_reserved_addresses(personnummer: tuple[str, ...]) -> None:
    on_ei = update_element(
        [post(personnummer[0]), post(personnummer[1])], mutate=set_field("logicalAddress", EI, 1)
    )
    assert str(_error(on_ei)) == (
        f"EI005: The logicalAddress in EngagementTransaction #2 is reserved and not allowed, hsa-id: {EI}"
    )
    from_ei = update_element([post(personnummer[0])], mutate=set_field("sourceSystem", EI))
    assert _error(from_ei).code == "EI006"


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        (
            "sourceSystem",
            f" {RP01}",
            'mandatory field "sourceSystem" contains white space in beginning or end',
        ),
        ("dataController", None, 'mandatory field "dataController" is missing'),
        ("categorization", "", 'mandatory field "categorization" is missing'),
        ("logicalAddress", "X" * 65, 'Field "logicalAddress" is to long'),
        ("mostRecentContent", "20261301000000", 'Field "mostRecentContent": Input date is not according'),
        ("owner", EI, "owner MUST NOT be given in engagement"),
        ("creationTime", "20260101000000", "creationTime MUST NOT be given in engagement"),
        ("updateTime", "20260101000000", "updateTime MUST NOT be given in engagement"),
        ("mostRecentContent", "", "mostRecentContent should not be empty"),
    ],
)
def test_ei004_field_rules(
    personnummer: tuple[str, ...], name: str, value: str | None, expected: str
) -> None:
    error = _error(update_element([post(personnummer[0])], mutate=set_field(name, value)))
    assert error.code == "EI004"
    assert f"EngagementTransaction #1: {expected}" in str(error)
    assert personnummer[0] not in str(error)


def test_ei004_most_recent_content_on_delete(personnummer: tuple[str, ...]) -> None:
    error = _error(update_element([post(personnummer[0])], delete=True))
    assert "mostRecentContent MUST NOT be given when deleteFlag=true" in str(error)
    validate_update(
        EI, parse_update(update_element([post(personnummer[0], most_recent=None)], delete=True)), RULES
    )


def test_store_upserts_idempotently_deletes_and_survives_a_restart(
    tmp_path: Path, personnummer: tuple[str, ...]
) -> None:
    database = tmp_path / "ei.sqlite"
    store = EngagementStore(database, owner=EI)
    first = parse_update(update_element([post(personnummer[0]), post(personnummer[0], source=RP02)]))
    store.apply(first, NOW)
    store.apply(first, NOW)
    assert store.count() == 2
    newer = parse_update(update_element([post(personnummer[0], most_recent="20260301000000")]))
    store.apply(newer, NOW.replace(hour=11))
    store.close()

    reopened = EngagementStore(database, owner=EI)
    query = FindContentQuery(personnummer[0], "riv:clinicalprocess:healthcond:description")
    found = {e.value("sourceSystem"): e for e in reopened.find(query)}
    assert set(found) == {RP01, RP02}
    assert found[RP01].value("mostRecentContent") == "20260301000000"
    assert found[RP01].value("owner") == EI
    assert found[RP01].value("creationTime") == "20260601120000"  # Swedish local time (CEST)
    assert found[RP01].value("updateTime") == "20260601130000"
    assert found[RP02].value("updateTime") == "20260601120000"  # the second, identical Update touched it
    reopened.apply(parse_update(update_element([post(personnummer[0], most_recent=None)], delete=True)), NOW)
    assert [e.value("sourceSystem") for e in reopened.find(query)] == [RP02]
    assert (
        reopened.find(FindContentQuery(personnummer[1], "riv:clinicalprocess:healthcond:description")) == ()
    )
    reopened.close()
