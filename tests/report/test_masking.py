"""--mask-personal-data: no personnummer and no known name in any of the three outputs.

"Any output" includes the evidence compressed inside report.html: it is decompressed here the way
the page does it, and searched like the other files.
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path
from urllib.parse import quote_plus

from report_samples import (
    PERSONNUMMER,
    PERSONNUMMER_SHORT,
    RESERVE_NUMBER,
    SAMORDNINGSNUMMER,
    Person,
    ReportWriter,
    html_evidence,
)

from harness.report.decoders.saml import SAML_PLACEHOLDER, SamlDecoder, names_in_saml
from harness.report.decoding import PersonalData
from harness.report.masking import ID_MASK, NAME_MASK, PERSONNUMMER_MASK, Masker

# 10 or 12 digits, an optional separator before the last four: the shapes a personnummer takes.
_NUMBER = re.compile(r"(?<!\d)(\d{6}|\d{8})[-+]?(\d{4})(?!\d)")


def luhn_ok(ten_digits: str) -> bool:
    total = 0
    for i, digit in enumerate(int(d) for d in ten_digits):
        doubled = digit * (2 if i % 2 == 0 else 1)
        total += doubled - 9 if doubled > 9 else doubled
    return total % 10 == 0


def personnummer_in(text: str) -> list[str]:
    """Every personnummer or samordningsnummer (valid check digit, plausible date) in ``text``."""
    found = []
    for match in _NUMBER.finditer(text):
        ten = (match.group(1) + match.group(2))[-10:]
        month, day = int(ten[2:4]), int(ten[4:6])
        if luhn_ok(ten) and 1 <= month <= 12 and (1 <= day <= 31 or 61 <= day <= 91):
            found.append(match.group())
    return found


def outputs(written: dict[str, Path]) -> dict[str, str]:
    texts = {name: path.read_text(encoding="utf-8") for name, path in written.items()}
    texts["report.html evidence"] = json.dumps(html_evidence(written["report.html"]), ensure_ascii=False)
    return texts


def personal_strings(person: Person) -> list[str]:
    words = [*person.given_name.split(), person.surname, *person.clinician.split()]
    return [
        PERSONNUMMER,
        PERSONNUMMER_SHORT,
        "19500626-2546",
        SAMORDNINGSNUMMER,
        RESERVE_NUMBER,
        "2546<",
        *words,
        quote_plus(person.display_name),
    ]


def test_the_checker_finds_personnummer_in_every_shape() -> None:
    """Control for the tests below: the search is not blind."""
    text = f"a {PERSONNUMMER} b {PERSONNUMMER_SHORT} c 19500626-2546 d {SAMORDNINGSNUMMER} e 5006262546"
    assert len(personnummer_in(text)) == 5
    assert personnummer_in("2026-01-15T09:30:00Z epoch 1737000000 id 195006262547") == []


def test_unmasked_outputs_carry_the_personal_data(reports: ReportWriter, person: Person) -> None:
    """Control: the sample really puts the personnummer and names in every output."""
    texts = outputs(reports())
    assert PERSONNUMMER in texts["junit.xml"]
    for name in ("results.json", "report.html evidence"):
        text = texts[name]
        for secret in personal_strings(person)[:-1]:  # the last is a form the masker must also catch
            assert secret in text, (name, secret)
        assert len(personnummer_in(text)) > 10, name


def test_masked_outputs_carry_no_personnummer_or_name(reports: ReportWriter, person: Person) -> None:
    texts = outputs(reports(mask_personal_data=True))
    for name, text in texts.items():
        assert personnummer_in(text) == [], name
        for secret in personal_strings(person):
            assert not re.search(rf"(?<!\w){re.escape(secret)}(?!\w)", text, re.IGNORECASE), (name, secret)
        assert "19500626<!---->" not in text and "19500626&lt;!----&gt;" not in text, name
        assert PERSONNUMMER_MASK in text, name
    for name in ("results.json", "report.html evidence"):
        assert NAME_MASK in texts[name] and ID_MASK in texts[name], name


def test_masked_report_replaces_raw_saml_but_keeps_the_decoded_view(reports: ReportWriter) -> None:
    document = json.loads(reports(mask_personal_data=True)["results.json"].read_text(encoding="utf-8"))
    assert document["masked_personal_data"] is True
    bodies = document["bodies"]
    acs_post = document["scenarios"][0]["evidence"][2]
    assert bodies[acs_post["request"]["body_ref"]] == f"SAMLResponse={SAML_PLACEHOLDER}&RelayState=%2Fprogram"
    (saml,) = acs_post["decoded"]
    xml = bodies[saml["body_ref"]]
    assert "<saml:AttributeValue>[name]</saml:AttributeValue>" in xml
    assert "<saml:AttributeValue>[personnummer]</saml:AttributeValue>" in xml
    assert "Destination=" in xml  # the rest of the evidence is intact
    png = document["scenarios"][4]["evidence"][0]["response"]
    assert bodies[png["body_ref"]] == "72 bytes, binary (hex head withheld in a masked report)"


def test_masked_soap_evidence_keeps_its_structure(reports: ReportWriter) -> None:
    document = json.loads(reports(mask_personal_data=True)["results.json"].read_text(encoding="utf-8"))
    bodies = document["bodies"]
    answer, fault, _ = document["scenarios"][7]["evidence"]
    envelope = bodies[answer["decoded"][1]["body_ref"]]
    assert "<id>[personnummer]</id>" in envelope and "<type>1.2.752.129.2.1.3.1</type>" in envelope
    assert "<healthcareProfessionalName>[name]</healthcareProfessionalName>" in envelope
    assert "<text>Återbesök [personnummer]: [name] mår bättre. Reservnummer [personal id].</text>" in envelope
    assert re.search(r"<value>\[removed: \d+ characters of base64 content", envelope)
    assert "<approvedForPatient>true</approvedForPatient>" in envelope
    fault_part = fault["decoded"][2]
    assert fault_part["fault"] is True
    assert bodies[fault_part["body_ref"]] == (
        "faultcode: soapenv:Server\nfaultstring: no journal for [personnummer]\ndetail: 9b1e"
    )


def test_raw_saml_is_replaced_in_queries_forms_and_hidden_inputs_of_any_quoting() -> None:
    text = (
        "GET /sso?SAMLRequest=fZBNT8Mw&SigAlg=x "
        "<input type=hidden name=SAMLResponse value=PHNhbWw+> "
        "<input value='PHNhbWw+' name='SAMLRequest'>"
    )
    assert SamlDecoder().conceal(text) == (
        f"GET /sso?SAMLRequest={SAML_PLACEHOLDER}&SigAlg=x "
        f'<input type=hidden name=SAMLResponse value="{SAML_PLACEHOLDER}"> '
        f"<input value=\"{SAML_PLACEHOLDER}\" name='SAMLRequest'>"
    )


def test_names_are_masked_in_escaped_forms_too() -> None:
    masker = Masker.for_names(["Åsa Strandgård"])
    masked = masker.text('q=%C3%85sa+Strandg%C3%A5rd "\\u00c5sa" &#197;sa Åsa-Karin ÅSA Åsaberg')
    assert masked == 'q=[name] "[name]" [name] [name]-Karin [name] Åsaberg'


def test_identifiers_are_masked_whole_and_short_ones_are_ignored() -> None:
    masker = Masker.for_data(PersonalData(identifiers=frozenset({"RES-77 X", "42"})))
    assert masker.text("id RES-77 X and RES-77 and 42") == f"id {ID_MASK} and RES-77 and 42"


def test_personnummer_masking_leaves_dates_and_timestamps_alone() -> None:
    masker = Masker()
    text = "2026-01-15T09:30:00Z epoch 1737000000 id 19500626+2546 and 5006262546 and 20121212-1212"
    assert masker.text(text) == (
        "2026-01-15T09:30:00Z epoch 1737000000 id [personnummer] and [personnummer] and [personnummer]"
    )


def test_samordningsnummer_are_masked_in_every_shape() -> None:
    masker = Masker()
    assert masker.text("191401682396 1401682396 140168-2396 19140168-2396") == " ".join(
        [PERSONNUMMER_MASK] * 4
    )


def test_names_come_from_name_attributes_only_even_when_the_parser_refuses_the_message() -> None:
    saml = (
        '<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"><saml:AttributeStatement>'
        '<saml:Attribute Name="Subject_GivenName"><saml:AttributeValue>Fredrik Freddy</saml:AttributeValue>'
        '</saml:Attribute><saml:Attribute Name="urn:oid:1.2.752.29.4.13">'
        "<saml:AttributeValue>x</saml:AttributeValue></saml:Attribute>"
        '<saml:Attribute Name="Subject_Surname"><saml:AttributeValue>Ny<!---->man</saml:AttributeValue>'
        "</saml:Attribute></saml:AttributeStatement></saml:Assertion>"
    )
    assert names_in_saml(saml) == {"Fredrik Freddy", "Nyman", "Ny", "man"}
    assert names_in_saml(f'<!DOCTYPE a [<!ENTITY e "e">]>{saml}') >= {"Fredrik Freddy"}


def test_masked_report_keeps_its_base64_free_of_personal_data(reports: ReportWriter) -> None:
    """No SAML or attachment survives in base64 anywhere: no long base64 run decodes to anything personal."""
    texts = outputs(reports(mask_personal_data=True))
    for name in ("results.json", "report.html evidence"):
        text = texts[name]
        assert base64.b64encode(PERSONNUMMER.encode()).decode()[:12] not in text, name
        assert "PHNhbWxwOlJlc3BvbnNl" not in text, name  # "<samlp:Response" in base64
        assert "UmVtaXNz" not in text, name  # "Remiss" in base64: the scanned note
