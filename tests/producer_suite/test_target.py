"""The [producer] section loads strictly, names what is wrong, and the reference producer's target file
declares exactly the test data its journal is seeded with."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.core.target_check import CheckTargetOptions, TargetReport
from harness.core.targets import TargetError, read_target_file
from harness.producer_suite.target import ProducerSuiteTarget
from harness.producer_suite.target_check import check_producer_target, describe_producer, producer_preflight
from harness.reference_producer import declared_test_data
from harness.runner import demo_target, load_target
from harness.suites import all_sections
from tests.support.data import settings

MINIMAL = """
[platform]
vp_port = 0
ei_port = 0
agp_port = 0

[producer]
base_url = "https://journal.example.test:8443"
logical_addresses = ["TSTNMT2321000156-X001"]
contracts = ["GetDiagnosis:2.0", "GetCareDocumentation:3.0"]

[producer.test_data]
patient_id = "195709263080"
"""


def load(tmp_path: Path, text: str) -> ProducerSuiteTarget:
    path = tmp_path / "target.toml"
    path.write_text(text, encoding="utf-8")
    target: ProducerSuiteTarget = load_target("producer", path)
    return target


def test_a_minimal_target_fills_the_endpoint_template_per_contract(tmp_path: Path) -> None:
    producer = load(tmp_path, MINIMAL).producer
    assert [c.key for c in producer.contracts] == ["GetDiagnosis:2.0", "GetCareDocumentation:3.0"]
    assert producer.endpoints["GetDiagnosis:2.0"] == (
        "https://journal.example.test:8443/clinicalprocess/healthcond/description/GetDiagnosis/2/rivtabp21"
    )
    assert producer.route == "vp" and producer.source_system == "TSTNMT2321000156-X001"
    assert not producer.plain_http


def test_an_endpoint_per_contract_overrides_the_template(tmp_path: Path) -> None:
    text = MINIMAL.replace(
        "[producer.test_data]",
        '[producer.endpoints]\n"GetDiagnosis:2.0" = "http://127.0.0.1:9/gd"\n\n[producer.test_data]',
    )
    producer = load(tmp_path, text).producer
    assert producer.endpoints["GetDiagnosis:2.0"] == "http://127.0.0.1:9/gd"
    assert producer.plain_http


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("[producer.test_data]", 'rout = "vp"\n\n[producer.test_data]'), "setting 'rout' is not known"),
        (('"GetDiagnosis:2.0", ', '"GetDiagnosis:9.9", '), "unknown contract version GetDiagnosis:9.9"),
        (('"GetDiagnosis:2.0", ', '"Update:1.0", '), "platform contract"),
        (("[producer.test_data]", '[producer.test_data]\nreserve_id = "19570926R001"'), "go together"),
        (("vp_port = 0", "vp_prot = 0"), "setting 'vp_prot' is not known"),
        (("[producer.test_data]", 'route = "sideways"\n[producer.test_data]'), "route must be one of"),
        (
            (
                'patient_id = "195709263080"',
                'patient_id = "195709263080"\n\n[producer.test_data.per_contract."GetCareContacts:3.0"]\n'
                'approved_false = "x"',
            ),
            "is not in \\[producer\\] contracts",
        ),
    ],
)
def test_a_bad_target_is_an_error_naming_the_setting(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    text = MINIMAL.replace(*change, 1)
    with pytest.raises(TargetError, match=message):
        load(tmp_path, text)


def test_a_base_url_placeholder_without_launch_is_refused_before_the_run(tmp_path: Path) -> None:
    target = load(tmp_path, MINIMAL.replace("https://journal.example.test:8443", "{base_url}"))
    with pytest.raises(TargetError, match="no \\[launch\\] app fills it in"):
        producer_preflight(target)


def test_the_reference_target_declares_the_reference_journal_s_test_data() -> None:
    target: ProducerSuiteTarget = load_target("producer", demo_target("producer"))
    producer, declared = target.producer, declared_test_data()
    data = producer.test_data
    assert target.launches_producer and producer.logical_addresses == declared.logical_addresses
    assert (data.unknown_patient, data.patient_without_records) == (
        declared.unknown_patient,
        declared.patient_without_records,
    )
    filtering = declared.consumer_filtering
    assert data.consumer_filtering is not None
    assert (data.consumer_filtering.consumer, data.consumer_filtering.excluded_care_unit) == (
        filtering.consumer_with_excluded_unit,
        filtering.excluded_care_unit,
    )
    assert data.consumer_filtering.filter_string == filtering.excluded_unit_marker
    for expected in declared.contracts:
        contract = next(
            c for c in producer.contracts if c.name == expected.contract and c.version == expected.version
        )
        own = producer.data(contract)
        assert (data.patient_id, data.samordningsnummer, data.reserve_id) == (
            expected.patient_id,
            expected.samordningsnummer,
            expected.reserve_id,
        )
        assert (own.care_unit, own.care_giver, own.approved_false) == (
            expected.care_unit,
            expected.care_giver,
            expected.approved_false_record_id,
        )
        assert own.period is not None and (own.period.start, own.period.end) == (
            expected.period_with_data.start,
            expected.period_with_data.end,
        )
        if expected.care_contact_id is not None:
            assert own.care_contact_id == expected.care_contact_id
        assert (own.linked_record, own.special_characters) == (
            expected.linked_record_id,
            expected.special_characters,
        )


def test_the_report_describes_how_the_producer_was_reached() -> None:
    target: ProducerSuiteTarget = load_target("producer", demo_target("producer"))
    details = dict(describe_producer(target))
    assert details["calls"] == "through the mock VP (TAK routing)"
    assert details["EI updates"] == "through the VP"
    assert "reference-producer" in details["launch"]
    assert "technical_error" in details["test hooks"]


def check(tmp_path: Path, text: str) -> TargetReport:
    path = tmp_path / "target.toml"
    path.write_text(text, encoding="utf-8")
    return check_producer_target(
        read_target_file(path, all_sections()), CheckTargetOptions(settings(), live=False)
    )


def test_check_target_lists_what_will_skip_and_the_setting_that_enables_it(tmp_path: Path) -> None:
    report = check(tmp_path, MINIMAL)
    assert report.errors == 0
    skips = {s.scenario: s.setting for s in report.skips}
    assert skips["PR-ERR-15A"] == "[producer.test_hooks] technical_error"
    assert skips["PR-PAT-07B"] == "[producer.test_data] samordningsnummer"
    assert (
        skips["PR-FLT-09A[GetDiagnosis:2.0]"]
        == 'period in [producer.test_data.per_contract."GetDiagnosis:2.0"]'
    )


def test_check_target_refuses_patients_that_are_not_test_numbers(tmp_path: Path) -> None:
    # A wrong check digit: no person's number, and not in Skatteverket's test list either.
    report = check(tmp_path, MINIMAL.replace("195709263080", "195709263081"))
    assert report.errors == 1 and "not Skatteverket test" in report.lines[0].message


def test_check_target_reports_a_misspelt_key_as_an_error(tmp_path: Path) -> None:
    report = check(tmp_path, MINIMAL.replace("contracts =", "contract ="))
    assert report.errors == 1 and "'contract' is not known" in report.lines[0].message
