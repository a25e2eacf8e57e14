"""--mask-personal-data: no personnummer and no SAML-released name in any of the three outputs."""

from __future__ import annotations

import base64
import json
import re
from urllib.parse import quote_plus

from report_samples import PERSONNUMMER, PERSONNUMMER_SHORT, Person, ReportWriter

from harness.report.masking import NAME_MASK, PERSONNUMMER_MASK, SAML_PLACEHOLDER, Masker, names_in_saml


def personal_strings(person: Person) -> list[str]:
    words = [*person.given_name.split(), person.surname]
    return [
        PERSONNUMMER,
        PERSONNUMMER_SHORT,
        "19500626-2546",
        "2546<",
        *words,
        quote_plus(person.display_name),
    ]


def test_unmasked_outputs_carry_the_personal_data(reports: ReportWriter, person: Person) -> None:
    """Control: the sample really puts the personnummer and names in every output."""
    outputs = {name: path.read_text(encoding="utf-8") for name, path in reports().items()}
    assert all(PERSONNUMMER in text for text in outputs.values())
    assert person.surname in outputs["report.html"] and person.surname in outputs["results.json"]


def test_masked_outputs_carry_no_personnummer_or_name(reports: ReportWriter, person: Person) -> None:
    outputs = {
        name: path.read_text(encoding="utf-8") for name, path in reports(mask_personal_data=True).items()
    }
    for name, text in outputs.items():
        for secret in personal_strings(person):
            assert not re.search(rf"(?<!\w){re.escape(secret)}(?!\w)", text, re.IGNORECASE), (name, secret)
        assert "19500626<!---->" not in text and "19500626&lt;!----&gt;" not in text, name
        assert PERSONNUMMER_MASK in text, name
    assert NAME_MASK in outputs["report.html"]


def test_masked_report_replaces_raw_saml_but_keeps_the_decoded_view(reports: ReportWriter) -> None:
    document = json.loads(reports(mask_personal_data=True)["results.json"].read_text(encoding="utf-8"))
    assert document["masked_personal_data"] is True
    acs_post = document["scenarios"][0]["evidence"][2]
    assert acs_post["request"]["body"] == f"SAMLResponse={SAML_PLACEHOLDER}&RelayState=%2Fprogram"
    (saml,) = acs_post["saml"]
    assert "<saml:AttributeValue>[name]</saml:AttributeValue>" in saml["xml"]
    assert "<saml:AttributeValue>[personnummer]</saml:AttributeValue>" in saml["xml"]
    assert "Destination=" in saml["xml"]  # the rest of the evidence is intact
    png = document["scenarios"][4]["evidence"][0]["response"]["body"]
    assert png == "72 bytes, binary (hex head withheld in a masked report)"


def test_raw_saml_is_replaced_in_queries_forms_and_hidden_inputs_of_any_quoting() -> None:
    masker = Masker()
    text = (
        "GET /sso?SAMLRequest=fZBNT8Mw&SigAlg=x "
        "<input type=hidden name=SAMLResponse value=PHNhbWw+> "
        "<input value='PHNhbWw+' name='SAMLRequest'>"
    )
    assert masker.text(text) == (
        f"GET /sso?SAMLRequest={SAML_PLACEHOLDER}&SigAlg=x "
        f'<input type=hidden name=SAMLResponse value="{SAML_PLACEHOLDER}"> '
        f"<input value=\"{SAML_PLACEHOLDER}\" name='SAMLRequest'>"
    )


def test_names_are_masked_in_escaped_forms_too() -> None:
    masker = Masker.for_names(["Åsa Strandgård"])
    masked = masker.text('q=%C3%85sa+Strandg%C3%A5rd "\\u00c5sa" &#197;sa Åsa-Karin ÅSA Åsaberg')
    assert masked == 'q=[name] "[name]" [name] [name]-Karin [name] Åsaberg'


def test_personnummer_masking_leaves_dates_and_timestamps_alone() -> None:
    masker = Masker()
    text = "2026-01-15T09:30:00Z epoch 1737000000 id 19500626+2546 and 5006262546 and 20121212-1212"
    assert masker.text(text) == (
        "2026-01-15T09:30:00Z epoch 1737000000 id [personnummer] and [personnummer] and [personnummer]"
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
    """No SAML survives in base64 anywhere: every long base64 run decodes to nothing personal."""
    text = reports(mask_personal_data=True)["results.json"].read_text(encoding="utf-8")
    assert base64.b64encode(PERSONNUMMER.encode()).decode()[:12] not in text
    assert "PHNhbWxwOlJlc3BvbnNl" not in text  # "<samlp:Response" in base64
