"""TAK: routing and authorisation answers, validity periods, and both file formats."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from harness.mock_ntp.faults import VpCode, VpFault
from harness.mock_ntp.tak import Authorisation, Route, Tak, Timeouts, profile_fault
from harness.mock_ntp.tak_files import TakFileError, load_skltp_tak_xml, load_tak, parse_tak_toml

GCD3 = "urn:riv:clinicalprocess:healthcond:description:GetCareDocumentationResponder:3"
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
RP01, CONSUMER = "TSTNMT2321000156-RP01", "TSTNMT2321000156-1177"


def _code(result: object) -> str:
    assert isinstance(result, VpFault), result
    return result.code.name


def test_route_answers_the_one_valid_route() -> None:
    route = Route(RP01, GCD3, "rivtabp21", "https://127.0.0.1:1/p")
    assert Tak(routes=(route,)).route(GCD3, RP01, NOW) == route


def test_route_faults_name_what_was_asked() -> None:
    one = Route(RP01, GCD3, "rivtabp21", "https://127.0.0.1:1/p")
    assert _code(Tak().route(GCD3, RP01, NOW)) == "VP004"
    assert _code(Tak(routes=(one, one)).route(GCD3, RP01, NOW)) == "VP006"
    assert _code(Tak(routes=(Route(RP01, GCD3, "rivtabp21", " "),)).route(GCD3, RP01, NOW)) == "VP010"
    fault = Tak().route(GCD3, f"{RP01} ", NOW)
    assert isinstance(fault, VpFault)
    assert fault.detail == (
        f"No receiverId (logical address) found for serviceNamespace: {GCD3}, receiverId: {RP01} "
        ". Whitespace detected in incoming request!"
    )


def test_an_expired_route_is_no_route() -> None:
    expired = Route(RP01, GCD3, "rivtabp21", "https://x", valid_to=datetime(2026, 5, 31, tzinfo=UTC))
    future = Route(RP01, GCD3, "rivtabp21", "https://x", valid_from=datetime(2026, 6, 2, tzinfo=UTC))
    assert _code(Tak(routes=(expired, future)).route(GCD3, RP01, NOW)) == "VP004"


def test_authorisation_by_consumer_address_contract_and_time() -> None:
    tak = Tak(
        authorisations=(
            Authorisation(CONSUMER, RP01, GCD3),
            Authorisation("OTHER", RP01, GCD3, valid_to=datetime(2026, 1, 1, tzinfo=UTC)),
            Authorisation("ANYWHERE", "*", GCD3),
        )
    )
    assert tak.authorise(CONSUMER, GCD3, RP01, NOW) is None
    assert tak.authorise("ANYWHERE", GCD3, "TSTNMT2321000156-XX", NOW) is None
    refused = tak.authorise("OTHER", GCD3, RP01, NOW)
    assert _code(refused) == "VP007"
    assert isinstance(refused, VpFault)
    assert refused.detail.endswith(f"receiverId: {RP01}, senderId: OTHER")
    assert _code(tak.authorise(CONSUMER, GCD3 + "x", RP01, NOW)) == "VP007"


def test_profile_outside_20_and_21_is_vp005() -> None:
    assert profile_fault(Route(RP01, GCD3, "rivtabp20", "https://x"), "rivtabp21") is None
    assert _code(profile_fault(Route(RP01, GCD3, "rivtabp30", "https://x"), "rivtabp21")) == "VP005"


def test_toml_format_with_lists_dates_and_timeouts() -> None:
    tak = parse_tak_toml(
        {
            "defaults": {"producer_timeout_s": 10},
            "routing": [
                {
                    "logical_address": RP01,
                    "contract": GCD3,
                    "rivta_profile": "RIVTABP20",
                    "address": "http://127.0.0.1:9/p",
                    "valid_to": datetime(2026, 6, 1).date(),
                }
            ],
            "authorisation": [{"consumer": CONSUMER, "logical_address": RP01, "contract": [GCD3, "urn:x:1"]}],
            "timeouts": [{"contract": GCD3, "producer_s": 3}],
        }
    )
    route = tak.route(GCD3, RP01, NOW)
    assert isinstance(route, Route) and route.rivta_profile == "rivtabp20"  # valid through that whole day
    assert isinstance(tak.route(GCD3, RP01, datetime(2026, 6, 2, tzinfo=UTC)), VpFault)
    assert tak.is_authorised(CONSUMER, "urn:x:1", RP01, NOW)
    assert tak.timeouts_for(GCD3) == Timeouts(2.0, 3.0)
    assert tak.timeouts_for("urn:x:1") == Timeouts(2.0, 10.0)


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (
            {"routing": [{"logical_address": RP01, "contract": GCD3, "adress": "x"}]},
            "unknown key(s) ['adress']",
        ),
        ({"routing": [{"logical_address": RP01, "contract": GCD3}]}, "missing ['address']"),
        ({"vagval": []}, "unknown table(s) ['vagval']"),
        ({"timeouts": [{"contract": GCD3, "producer_s": 0}]}, "positive number"),
        ({"authorisation": [{"consumer": "A", "logical_address": RP01, "contract": []}]}, "non-empty list"),
    ],
)
def test_toml_mistakes_are_named(document: dict[str, object], message: str) -> None:
    with pytest.raises(TakFileError, match=re.escape(message)):
        parse_tak_toml(document)


def test_skltp_tak_xml_is_read(schema_dir: Path) -> None:
    takdata = schema_dir / "skltp__vp/vp-services-camel/src/test/resources/takdata"
    routes = load_skltp_tak_xml(takdata / "tak-vagval-test.xml")
    tak = load_tak(takdata / "tak-vagval-test.xml", takdata / "tak-behorigheter-test.xml")
    contract = "urn:riv:insuranceprocess:healthreporting:GetCertificateResponder:1"
    assert len(routes.routes) == 22
    route = tak.route(contract, "HttpProducer", NOW)
    assert isinstance(route, Route)
    assert (route.rivta_profile, route.address) == (
        "rivtabp20",
        "http://localhost:19000/vardgivare-b/tjanst2",
    )
    # The contract name in tak-behorigheter-test.xml ends in a line break: it still matches.
    assert tak.authorise("tp", contract, "HttpProducer", NOW) is None
    assert tak.authorise("SenderWithDefaultBehorighet", contract, "AnyReceiver", NOW) is None
    assert _code(tak.authorise("tp", contract, "NotAuthorizedReceiver", NOW)) == "VP007"


def test_toml_file_errors_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "tak.toml"
    path.write_text("[[routing]]\nlogical_address = 1\n", encoding="utf-8")
    with pytest.raises(TakFileError, match="tak.toml"):
        load_tak(path)
    assert VpCode.VP004.fault_code == "Client" and VpCode.VP007.fault_code == "Server"
