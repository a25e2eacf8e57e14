"""The engagement index over HTTP: through the VP and direct, faults as SKLTP EI gives them, FindContent,
evidence of each Update's way, and a restart with nothing lost."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from harness.contracts.ei import FindContentQuery, build_find_content, read_find_content_response
from harness.core.soap import build_envelope, parse_envelope
from harness.mock_ntp.config import PlatformSettings
from harness.mock_ntp.platform import RunningPlatform, running_platform
from harness.mock_ntp.tak import Tak

from .conftest import RP00, producer_certificate
from .ei_helpers import EI, RP01, RP02, post, set_field, update_envelope
from .vp_helpers import call

DOMAIN = "riv:clinicalprocess:healthcond:description"


def _direct(platform: RunningPlatform, body: bytes, **headers: str) -> requests.Response:
    return requests.post(
        f"{platform.ei_url}/ei/Update/1/rivtabp21",
        data=body,
        headers={"Content-Type": "text/xml;charset=UTF-8", **headers},
        timeout=10,
    )


def _find(platform: RunningPlatform, resident: str) -> list[str]:
    body = build_envelope(build_find_content(FindContentQuery(resident, DOMAIN)), logical_address=EI)
    response = requests.post(f"{platform.ei_url}/ei/FindContent/1/rivtabp21", data=body, timeout=10)
    assert response.status_code == 200, response.text
    element = parse_envelope(response.content).body
    assert element is not None
    return sorted(e.source_system for e in read_find_content_response(element))


def _ei_fault(response: requests.Response) -> str:
    assert response.status_code == 500, response.text
    fault = parse_envelope(response.content).fault
    assert fault is not None and fault.code == "soapenv:Server"
    return fault.string


def test_update_through_the_vp_is_stored_and_recorded_as_via_vp(
    platform: RunningPlatform, personnummer: tuple[str, ...]
) -> None:
    producer = producer_certificate(platform)
    response = call(platform, update_envelope([post(personnummer[10])]), identity=producer)
    assert response.status_code == 200, response.text
    assert b"<upd:ResultCode>OK</upd:ResultCode>" in response.content
    update = platform.ei.updates[-1]
    assert (update.way, update.sender, update.accepted, update.logical_address) == ("vp", RP00, True, EI)
    assert _find(platform, personnummer[10]) == [RP01]
    exchange = next(x for x in platform.ei.recorder.exchanges if x.id == update.exchange_id)
    assert "via-vp" in exchange.tags


def test_update_direct_is_recorded_as_direct(
    platform: RunningPlatform, personnummer: tuple[str, ...]
) -> None:
    response = _direct(
        platform, update_envelope([post(personnummer[11]), post(personnummer[11], source=RP02)])
    )
    assert response.status_code == 200, response.text
    update = platform.ei.updates[-1]
    assert (update.way, update.sender, update.accepted, len(update.transactions)) == (
        "direct",
        "127.0.0.1",
        True,
        2,
    )
    assert _find(platform, personnummer[11]) == [RP01, RP02]


def test_faults_are_skltp_ei_faults_and_rejected_updates_are_evidence_too(
    platform: RunningPlatform, personnummer: tuple[str, ...]
) -> None:
    wrong_address = _ei_fault(
        _direct(platform, update_envelope([post(personnummer[12])], logical_address=RP01))
    )
    assert wrong_address.startswith(
        f"EI003: Invalid routing. Logical address is {RP01} but the owner is {EI}."
    )
    twice = _ei_fault(_direct(platform, update_envelope([post(personnummer[12]), post(personnummer[12])])))
    assert twice.startswith("EI002: EngagementTransaction #1 and #2 have the same key.")
    rejected = platform.ei.updates[-1]
    assert (rejected.accepted, rejected.fault) == (False, twice)
    assert _find(platform, personnummer[12]) == []
    logged = platform.ei.store.logged_updates(2)
    assert [entry.accepted for entry in logged] == [False, False]


def test_schema_invalid_update_is_ei004_without_the_value(
    platform: RunningPlatform, personnummer: tuple[str, ...]
) -> None:
    bad = update_envelope(
        [post(personnummer[13])], mutate=set_field("registeredResidentIdentification", "1912-121")
    )
    fault = _ei_fault(_direct(platform, bad))
    assert fault.startswith("EI004: The payload does not validate, error messge: ")
    assert "1912-121" not in fault and "(value withheld)" in fault


def test_update_with_1001_posts_is_ei000(platform: RunningPlatform, personnummer: tuple[str, ...]) -> None:
    from dataclasses import replace

    posts = [replace(post(personnummer[14]), business_object_instance_id=f"doc{i}") for i in range(1001)]
    fault = _ei_fault(_direct(platform, update_envelope(posts)))
    assert fault.startswith("EI000: A technical error has occurred") and "more than 1000" in fault


def test_delete_removes_the_post(platform: RunningPlatform, personnummer: tuple[str, ...]) -> None:
    assert _direct(platform, update_envelope([post(personnummer[15])])).status_code == 200
    assert _direct(platform, update_envelope([post(personnummer[15])])).status_code == 200  # idempotent
    assert _find(platform, personnummer[15]) == [RP01]
    deleted = _direct(platform, update_envelope([post(personnummer[15], most_recent=None)], delete=True))
    assert deleted.status_code == 200, deleted.text
    assert _find(platform, personnummer[15]) == []


def test_find_content_without_a_person_is_ei000(platform: RunningPlatform) -> None:
    body = build_envelope(build_find_content(FindContentQuery("", DOMAIN)), logical_address=EI)
    response = requests.post(f"{platform.ei_url}/ei/FindContent/1/rivtabp21", data=body, timeout=10)
    assert _ei_fault(response) == (
        "EI000: A technical error has occurred, error message: "
        "registeredResidentIdentification is mandatory but missing"
    )


@pytest.mark.parametrize(
    ("body", "content_type", "method"),
    [
        (b"<Envelope", "text/xml", "POST"),
        (b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]><x>&a;&a;</x>', "text/xml", "POST"),
        (b"personnummer=%s", "application/x-www-form-urlencoded", "POST"),
        (b"", "text/xml", "GET"),
    ],
)
def test_bad_input_gets_an_ei000_fault_with_nothing_personal(
    platform: RunningPlatform, personnummer: tuple[str, ...], body: bytes, content_type: str, method: str
) -> None:
    response = requests.request(
        method,
        f"{platform.ei_url}/ei/Update/1/rivtabp21",
        data=body.replace(b"%s", personnummer[0].encode()),
        headers={"Content-Type": content_type},
        timeout=10,
    )
    assert _ei_fault(response).startswith("EI000: ")
    assert personnummer[0] not in response.text


def test_a_restart_loses_nothing(tmp_path: Path, schema_dir: Path, personnummer: tuple[str, ...]) -> None:
    settings = PlatformSettings(state_dir=tmp_path, vp_port=0, ei_port=0, agp_port=0)
    with running_platform(settings, tak=Tak(), schema_dir=schema_dir) as first:
        body = update_envelope([post(personnummer[20]), post(personnummer[20], source=RP02)])
        assert _direct(first, body).status_code == 200
    with running_platform(settings, tak=Tak(), schema_dir=schema_dir) as second:
        assert _find(second, personnummer[20]) == [RP01, RP02]
        assert second.ei.store.logged_updates(1)[0].accepted
