"""An independent SOAP client, zeep built from the official GetDiagnosis 2.0 WSDL, calls through the VP
(mutual TLS, LogicalAddress header) and gets the producer's answer: the platform speaks what real
consumers speak."""

from __future__ import annotations

from pathlib import Path

import requests
import zeep
from zeep.transports import Transport

from harness.contracts import find_contract
from harness.mock_ntp.platform import RunningPlatform
from harness.mock_ntp.tak import Authorisation, Route, Tak

from .conftest import ProducerStarter
from .fakes import LOG_ID, FakeProducer
from .vp_helpers import CONSUMER, RP01

GD2 = find_contract("GetDiagnosis", "2.0")


def test_zeep_calls_get_diagnosis_through_the_vp(
    platform: RunningPlatform, producers: ProducerStarter, schema_dir: Path, personnummer: tuple[str, ...]
) -> None:
    assert GD2.schemas.wsdl is not None
    fake = FakeProducer()
    platform.set_tak(
        Tak(
            routes=(Route(RP01, GD2.tak_contract, "rivtabp21", producers(fake)),),
            authorisations=(Authorisation(CONSUMER, RP01, GD2.tak_contract),),
        )
    )
    session = requests.Session()
    certs = platform.certificates
    session.cert = (str(certs.consumer.cert), str(certs.consumer.key))
    session.verify = str(certs.ca)
    session.trust_env = False  # REQUESTS_CA_BUNDLE in the environment would override verify
    client = zeep.Client(str(schema_dir / GD2.schemas.wsdl), transport=Transport(session=session))
    binding = f"{{{GD2.namespace.replace('Responder', '')}:rivtabp21}}GetDiagnosisResponderBinding"
    service = client.create_service(
        binding, platform.vp_address("clinicalprocess/healthcond/description/GetDiagnosis/2/rivtabp21")
    )
    patient = {"id": personnummer[40], "type": "1.2.752.129.2.1.3.1"}
    answer = service.GetDiagnosis(patientId=patient, _soapheaders={"LogicalAddress": RP01})
    assert answer.result.resultCode == "OK"
    assert answer.result.logId == LOG_ID
    [received] = fake.received
    assert received.logical_address == RP01
    assert received.headers["SOAPAction"].strip('"') == GD2.soap_action
    assert personnummer[40].encode() in received.body
    session.close()
