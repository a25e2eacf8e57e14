"""A tiny sample run for the report tests: several verdicts and areas, hostile and personal evidence.

The personnummer is Skatteverket's test number 195006262546 (testpersonnummer.csv, Skatteverket
open data, CC0) and the samordningsnummer 191401682396 (testsamordningsnummer.csv, same source);
the names come from Faker ``sv_SE`` with a fixed seed.
"""

from __future__ import annotations

import base64
import gzip
import json
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from faker import Faker

from harness.core.exchange import Direction, Exchange
from harness.core.findings import Finding, Level, Verdict, mismatch, observed
from harness.core.results import RunResult, ScenarioResult, TargetSummary
from harness.core.scenario import ScenarioSpec

PERSONNUMMER = "195006262546"  # Skatteverket test personnummer
PERSONNUMMER_SHORT = "500626-2546"  # the same number in its 10-digit form
SAMORDNINGSNUMMER = "191401682396"  # Skatteverket test samordningsnummer (day 02 + 60)
RESERVE_NUMBER = "RES77X90210"  # a local reserve number: no pattern recognises it
STARTED = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)
PLANTED_SCRIPT = (
    "<script>document.title='pwned';var p=document.createElement('div');p.id='pwned';"
    "document.body.appendChild(p);</script>"
)
PLANTED_IMG = "<img src=x onerror=\"document.body.appendChild(document.createElement('p')).id='pwned2'\">"
# In an XML attribute value and a comment: lxml writes it escaped, the page must show it as text.
PLANTED_XML = (
    "&quot;&gt;&lt;img src=x onerror=&quot;"
    "document.body.appendChild(document.createElement('p')).id='pwned3'&quot;&gt;"
)
PLANTED_COMMENT = '<!-- <script>document.title="pwned"</script> -->'

ACS = "https://sp.example.test/saml/acs"

ReportWriter = Callable[..., dict[str, Path]]  # the `reports` fixture: writes, returns {name: path}


@dataclass(frozen=True)
class Person:
    given_name: str
    surname: str
    clinician: str = ""  # a healthcare professional named in the journal answers

    @property
    def display_name(self) -> str:
        return f"{self.given_name} {self.surname}"


def sample_person() -> Person:
    fake = Faker("sv_SE")
    fake.seed_instance(1177)
    # Two given names ("Fredrik Freddy" style, saml-1177.md 2.3) and a surname with å/ä/ö.
    return Person(
        given_name=f"{fake.first_name()} {fake.first_name()}",
        surname="Strandgård",
        clinician=f"{fake.first_name()} {fake.last_name()}",
    )


def saml_response_xml(person: Person) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
        'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r1" Version="2.0" '
        f'IssueInstant="2026-01-15T09:30:00Z" Destination="{ACS}">'
        "<saml:Issuer>https://idp.1177.example.test</saml:Issuer><samlp:Status>"
        '<samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>'
        '<saml:Assertion ID="_a1" Version="2.0" IssueInstant="2026-01-15T09:30:00Z">'
        "<saml:Issuer>https://idp.1177.example.test</saml:Issuer><saml:Subject>"
        '<saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">'
        f"{PERSONNUMMER}</saml:NameID>"
        "</saml:Subject><saml:AttributeStatement>"
        '<saml:Attribute Name="urn:oid:1.2.752.29.4.13" FriendlyName="personalIdentityNumber">'
        f"<saml:AttributeValue>{PERSONNUMMER}</saml:AttributeValue></saml:Attribute>"
        '<saml:Attribute Name="urn:oid:2.5.4.42" FriendlyName="givenName">'
        f"<saml:AttributeValue>{person.given_name}</saml:AttributeValue></saml:Attribute>"
        '<saml:Attribute Name="urn:oid:2.5.4.4" FriendlyName="sn">'
        f"<saml:AttributeValue>{person.surname}</saml:AttributeValue></saml:Attribute>"
        '<saml:Attribute Name="urn:oid:2.16.840.1.113730.3.1.241" FriendlyName="displayName">'
        f"<saml:AttributeValue>{person.display_name}</saml:AttributeValue></saml:Attribute>"
        '<saml:Attribute Name="Subject_SerialNumber">'
        "<saml:AttributeValue>19500626<!---->2546</saml:AttributeValue></saml:Attribute>"
        "</saml:AttributeStatement></saml:Assertion></samlp:Response>"
    )


AUTHN_REQUEST = (
    '<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
    'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_req1" Version="2.0" '
    f'IssueInstant="2026-01-15T09:29:59Z" AssertionConsumerServiceURL="{ACS}">'
    "<saml:Issuer>https://sp.example.test</saml:Issuer></samlp:AuthnRequest>"
)

SOAP_FAULT = (
    b'<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'
    b"<soap:Body><soap:Fault><faultcode>soap:Server</faultcode>"
    b"<faultstring>&lt;script&gt;alert(1)&lt;/script&gt;</faultstring></soap:Fault></soap:Body></soap:Envelope>"
)


SOAP_NS = 'xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"'
RIV_NS = "urn:riv:clinicalprocess:healthcond:description:GetCareDocumentationResponder:2"


def soap_envelope(body: str, logical_address: str = "TSTNMT2321000156-RP01") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope {SOAP_NS}><soapenv:Header>'
        f'<LogicalAddress xmlns="urn:riv:itintegration:registry:1">{logical_address}</LogicalAddress>'
        f"</soapenv:Header><soapenv:Body>{body}</soapenv:Body></soapenv:Envelope>"
    ).encode()


def care_documentation_request(patient: str) -> bytes:
    return soap_envelope(
        f'<GetCareDocumentation xmlns="{RIV_NS}"><patientId><id>{patient}</id>'
        "<type>1.2.752.129.2.1.3.1</type></patientId></GetCareDocumentation>"
    )


def care_documentation_response(person: Person) -> bytes:
    """A journal note naming the patient and the clinician, the patient's number in three places."""
    scanned = base64.b64encode(f"Remiss för {person.display_name}, {PERSONNUMMER}".encode()).decode()
    return soap_envelope(
        f'<GetCareDocumentationResponse xmlns="{RIV_NS}"><careDocumentation><careDocumentationHeader>'
        f'<documentId origin="{PLANTED_XML}">{PLANTED_COMMENT}doc-1</documentId>'
        f"<patientId><id>{PERSONNUMMER}</id><type>1.2.752.129.2.1.3.1</type>"
        "</patientId><accountableHealthcareProfessional><authorTime>20260115093000</authorTime>"
        f"<healthcareProfessionalName>{person.clinician}</healthcareProfessionalName>"
        "</accountableHealthcareProfessional><approvedForPatient>true</approvedForPatient>"
        "</careDocumentationHeader><careDocumentationBody><clinicalDocumentNote>"
        f"<person><personName>{person.display_name}</personName></person>"
        f"<text>Återbesök {PERSONNUMMER_SHORT}: {person.given_name.split()[0]} mår bättre. "
        f"Reservnummer {RESERVE_NUMBER}.</text>"
        f"<multimediaEntry><mediaType>text/plain</mediaType><value>{scanned}</value></multimediaEntry>"
        "</clinicalDocumentNote></careDocumentationBody></careDocumentation>"
        "<result><resultCode>OK</resultCode><logId>3f2c</logId></result></GetCareDocumentationResponse>"
    )


def reserve_number_request() -> bytes:
    return soap_envelope(
        f'<GetCareDocumentation xmlns="{RIV_NS}"><patientId><id>{RESERVE_NUMBER}</id>'
        "<type>1.2.752.97.3.1.3</type></patientId></GetCareDocumentation>"
    )


LEAKY_FAULT = soap_envelope(
    f"<soapenv:Fault><faultcode>soapenv:Server</faultcode><faultstring>no journal for {SAMORDNINGSNUMMER}"
    "</faultstring><detail><logId>9b1e</logId></detail></soapenv:Fault>"
)


def exchange(
    id: str,
    method: str,
    url: str,
    *,
    request: tuple[tuple[tuple[str, str], ...], bytes] = ((), b""),
    status: int | None = 200,
    response: tuple[tuple[tuple[str, str], ...], bytes] = ((), b""),
    note: str = "",
) -> Exchange:
    return Exchange(
        id=id,
        direction=Direction.OUTGOING,
        method=method,
        url=url,
        request_headers=request[0],
        request_body=request[1],
        status=status,
        response_headers=response[0],
        response_body=response[1],
        started=STARTED,
        elapsed_ms=12.5,
        note=note,
    )


def redirect_value(xml: str) -> str:
    compressor = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    raw = compressor.compress(xml.encode()) + compressor.flush()
    return base64.b64encode(raw).decode()


def login_evidence(person: Person) -> tuple[Exchange, ...]:
    """SP-initiated login: Redirect to the IdP, the auto-post page, the POST to the ACS, the SP's page."""
    response_b64 = base64.b64encode(saml_response_xml(person).encode()).decode()
    location = "https://idp.1177.example.test/sso?" + urlencode(
        {"SAMLRequest": redirect_value(AUTHN_REQUEST)}
    )
    html_headers = (("Content-Type", "text/html; charset=utf-8"),)
    auto_post = (
        f'<form method="post" action="{ACS}">'
        f'<input type="hidden" name="SAMLResponse" value="{response_b64}"/>'
    )
    sp_page = (
        f"<html><head><title>Mina program</title></head><body><h1>Välkommen {person.display_name}</h1>"
        f"<p>Personnummer {PERSONNUMMER_SHORT} ({PERSONNUMMER[:8]}-{PERSONNUMMER[8:]})</p>"
        f"{PLANTED_SCRIPT}{PLANTED_IMG}</body></html>"
    )
    return (
        exchange(
            "x1",
            "GET",
            "https://sp.example.test/login",
            status=302,
            response=((("Location", location),), b""),
        ),
        exchange("x2", "GET", location, response=(html_headers, auto_post.encode())),
        exchange(
            "x3",
            "POST",
            ACS,
            request=(
                (("Content-Type", "application/x-www-form-urlencoded"),),
                urlencode({"SAMLResponse": response_b64, "RelayState": "/program"}).encode(),
            ),
            response=(html_headers, sp_page.encode()),
        ),
        exchange(
            "x4",
            "GET",
            f"https://sp.example.test/api/session?q={quote(person.surname)}",
            response=(
                (("Content-Type", "application/json"),),
                f'{{"personnummer": "{PERSONNUMMER}", "name": "{person.display_name}"}}'.encode(),
            ),
        ),
    )


def spec(id: str, area: str, *, level: Level = Level.MUST, explanation: str = "") -> ScenarioSpec:
    suite = "sp" if id.startswith("SP") else "producer"
    return ScenarioSpec(
        id=id,
        title=f"Scenario {id} in {area}",
        suite=suite,
        area=area,
        level=level,
        refs=("SAML2 Profiles 4.1.4.5", "SC Deployment Profile §6.3.1"),
        requirements=(f"REQ-{id}",),
        explanation=explanation,
    )


def journal_evidence(person: Person) -> tuple[Exchange, ...]:
    """A producer answering with a journal note, then a fault that leaks a samordningsnummer."""
    xml = (("Content-Type", "text/xml; charset=UTF-8"),)
    url = "https://producer.example.test/GetCareDocumentation/2/rivtabp21"
    return (
        exchange(
            "x1",
            "POST",
            url,
            request=(xml, care_documentation_request(PERSONNUMMER)),
            response=(xml, care_documentation_response(person)),
        ),
        exchange(
            "x2",
            "POST",
            url,
            request=(xml, care_documentation_request(SAMORDNINGSNUMMER)),
            status=500,
            response=(xml, LEAKY_FAULT),
        ),
        exchange("x3", "POST", url, request=(xml, reserve_number_request()), response=(xml, b"<html>oops")),
    )


def sample_run(person: Person) -> RunResult:
    login = login_evidence(person)
    soap = exchange(
        "x1",
        "POST",
        "https://producer.example.test/GetCareDocumentation",
        request=((("Content-Type", "text/xml; charset=utf-8"),), care_documentation_request(PERSONNUMMER)),
        status=500,
        response=((("Content-Type", "text/xml"),), SOAP_FAULT),
    )
    png = exchange(
        "x1",
        "GET",
        "https://sp.example.test/logo.png",
        response=((("Content-Type", "image/png"),), b"\x89PNG\r\n\x1a\n" + bytes(range(64))),
    )
    violation = mismatch(
        "sp_rejects_unsigned_response",
        "HTTP status of the ACS",
        expected="a rejection (4xx or an error page)",
        actual=f"200 and a session for {PERSONNUMMER}",
        ref="SAML2 Profiles 4.1.4.5",
        exchange_ids=("x3",),
    )
    return RunResult(
        tool_name="conformance",
        tool_version="0.1.0",
        target=TargetSummary(
            name="Reference SP <b>demo</b>",
            suite="sp",
            source="targets/demo.toml",
            details=(("entity_id", "https://sp.example.test"), ("acs_url", ACS)),
        ),
        started=STARTED,
        finished=STARTED + timedelta(seconds=42.5),
        scenarios=(
            ScenarioResult(
                spec(
                    "SP-X-01",
                    "signatures",
                    explanation="The service accepted a login nobody signed: anyone could log in as anyone.",
                ),
                Verdict.FAIL,
                "the SP accepted an unsigned Response",
                findings=(
                    violation,
                    observed("note_check", "the SP set a session cookie", exchange_ids=("x3",)),
                ),
                evidence=login,
            ),
            ScenarioResult(
                spec("SP-X-02", "signatures"), Verdict.PASS, "rejected as required", evidence=login[:1]
            ),
            ScenarioResult(
                spec("SP-X-03", "conditions", level=Level.SHOULD), Verdict.WARN, "IssueInstant not checked"
            ),
            ScenarioResult(spec("SP-X-04", "transport"), Verdict.SKIP, "no login_url in the target"),
            ScenarioResult(spec("SP-X-05", "transport"), Verdict.PASS, "served over TLS", evidence=(png,)),
            ScenarioResult(
                spec("SP-X-06", "conditions"),
                Verdict.FAIL,
                "a second failure",
                findings=(Finding(check="c", message="control \x1b char"),),
            ).waived("agreed with Inera until the next release"),
            ScenarioResult(
                spec("PR-X-01", "encoding"),
                Verdict.ERROR,
                "target unreachable: connection refused",
                evidence=(soap,),
            ),
            ScenarioResult(
                spec("PR-X-02", "encoding"), Verdict.PASS, "UTF-8 declared", evidence=journal_evidence(person)
            ),
        ),
        notes=("waiver for SP-X-99 expired on 2025-12-31",),
    )


def html_evidence(report: Path) -> dict[str, Any]:
    """The evidence inside report.html, decompressed as the page's script does it."""
    page = report.read_text(encoding="utf-8")
    match = re.search(
        r'<script type="application/octet-stream" id="evidence-data"[^>]*>([^<]*)</script>', page
    )
    assert match is not None, "report.html carries no evidence block"
    payload: dict[str, Any] = json.loads(gzip.decompress(base64.b64decode(match.group(1))))
    return payload
