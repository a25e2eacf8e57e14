"""XSW and comment-injection mutations: a genuine signature stays, only the named change is made."""

from __future__ import annotations

import pytest
from lxml import etree

from harness.core.clock import FixedClock
from harness.core.xml import NS
from harness.core.xmldsig import verify_enveloped
from harness.mock_1177_idp.builder import IdpIdentity, ResponseSpec
from harness.mock_1177_idp.mutations import MutationNotApplicable
from tests.support.xmldiff import canonical_lines, volatile_diff

from .helpers import build, texts, verifies_alone

OTHER_PNR = "195006262546"  # the default victim (spec.OTHER_PERSONS)
PNR_NAMES = ("urn:oid:1.2.752.29.4.13", "Subject_SerialNumber")
PNR_PATH = "saml:AttributeStatement/saml:Attribute[@Name='urn:oid:1.2.752.29.4.13']/saml:AttributeValue"


def _check_wrapping(
    spec: ResponseSpec, idp: IdpIdentity, clock: FixedClock, name: str
) -> tuple[list[str], list[str]]:
    baseline, mutated = build(spec, idp, clock), build(spec, idp, clock, name)
    signed = [a for a in mutated.iter(f"{{{NS['saml']}}}Assertion") if a.find("ds:Signature", NS) is not None]
    assert len(signed) == 1, "exactly the original assertion stays signed"
    assert verifies_alone(signed[0], [idp.keys.signing.cert_pem])
    assert texts(signed[0], PNR_PATH) == [spec.person.personnummer]
    assert mutated.find("ds:Signature", NS) is None, "the Response signature is stripped"
    assert sorted(texts(mutated, f".//{PNR_PATH}")) == sorted([spec.person.personnummer, OTHER_PNR])
    diff = volatile_diff(baseline, mutated)
    removed = [line for line in diff if line.startswith("- ")]
    added = [line for line in diff if line.startswith("+ ")]
    assert removed and all(
        line.startswith(("- /samlp:Response/ds:Signature", "- /samlp:Response/saml:Assertion"))
        for line in removed
    )
    return [line for line in removed if not line.startswith("- /samlp:Response/ds:Signature")], added


def test_xsw_unsigned_assertion_before_inserts_another_persons_assertion_first(
    spec: ResponseSpec, idp: IdpIdentity, clock: FixedClock
) -> None:
    removed, added = _check_wrapping(spec, idp, clock, "xsw_unsigned_assertion_before")
    assert removed == []
    assertions = build(spec, idp, clock, "xsw_unsigned_assertion_before").findall("saml:Assertion", NS)
    assert texts(assertions[0], PNR_PATH) == [OTHER_PNR] and assertions[0].find("ds:Signature", NS) is None
    assert all(line.startswith("+ /samlp:Response/saml:Assertion") for line in added)


def test_xsw_unsigned_assertion_after_inserts_another_persons_assertion_last(
    spec: ResponseSpec, idp: IdpIdentity, clock: FixedClock
) -> None:
    removed, added = _check_wrapping(spec, idp, clock, "xsw_unsigned_assertion_after")
    assert removed == []
    assertions = build(spec, idp, clock, "xsw_unsigned_assertion_after").findall("saml:Assertion", NS)
    assert texts(assertions[1], PNR_PATH) == [OTHER_PNR] and assertions[1].find("ds:Signature", NS) is None
    assert all(line.startswith("+ /samlp:Response/saml:Assertion") for line in added)


def test_xsw_duplicate_id_gives_the_evil_assertion_the_signed_id(
    spec: ResponseSpec, idp: IdpIdentity, clock: FixedClock
) -> None:
    removed, _ = _check_wrapping(spec, idp, clock, "xsw_duplicate_id")
    assert removed == []
    evil, signed = build(spec, idp, clock, "xsw_duplicate_id").findall("saml:Assertion", NS)
    assert evil.get("ID") == signed.get("ID")
    assert texts(evil, PNR_PATH) == [OTHER_PNR]


def test_xsw_signature_moved_wraps_the_signed_assertion_in_extensions(
    spec: ResponseSpec, idp: IdpIdentity, clock: FixedClock
) -> None:
    removed, added = _check_wrapping(spec, idp, clock, "xsw_signature_moved")
    mutated = build(spec, idp, clock, "xsw_signature_moved")
    assert [c.tag.split("}")[1] for c in mutated] == ["Issuer", "Extensions", "Status", "Assertion"]
    assert texts(mutated, f"saml:Assertion/{PNR_PATH}") == [OTHER_PNR]
    assert mutated.find("samlp:Extensions/saml:Assertion/ds:Signature", NS) is not None
    # The original assertion is moved intact; the one in its place differs only in the person.
    baseline_assertion = build(spec, idp, clock).find("saml:Assertion", NS)
    moved = mutated.find("samlp:Extensions/saml:Assertion", NS)
    assert baseline_assertion is not None and moved is not None
    assert canonical_lines(moved) == canonical_lines(baseline_assertion)
    evil = mutated.find("saml:Assertion", NS)
    assert evil is not None
    differences = volatile_diff(baseline_assertion, evil)
    assert all("/ds:Signature" in line or "AttributeValue" in line for line in differences)
    assert any(line.endswith(f"text()[0]={OTHER_PNR}") for line in differences)
    assert removed and added


def test_xsw_needs_a_signed_assertion(spec: ResponseSpec, idp: IdpIdentity, clock: FixedClock) -> None:
    with pytest.raises(MutationNotApplicable):
        build(spec.with_options(sign_assertion=False), idp, clock, "xsw_unsigned_assertion_before")


def test_comment_in_personnummer_keeps_signatures_valid_and_truncates_naive_reads(
    spec: ResponseSpec, idp: IdpIdentity, clock: FixedClock
) -> None:
    baseline, mutated = build(spec, idp, clock), build(spec, idp, clock, "comment_in_personnummer")
    assert verify_enveloped(mutated, [idp.keys.signing.cert_pem])
    assert verify_enveloped(mutated.find("saml:Assertion", NS), [idp.keys.signing.cert_pem])  # type: ignore[arg-type]
    value = mutated.find(f"saml:Assertion/{PNR_PATH}", NS)
    assert value is not None
    pnr = spec.person.personnummer
    assert value.text == pnr[:8] and "".join(value.itertext()) == pnr  # naive read vs. the signed value
    diff = volatile_diff(baseline, mutated)
    assert len(diff) == 2 * 4  # per personnummer attribute: -text, +text, +comment, +tail
    assert all(
        "AttributeValue" in line and ("Subject_SerialNumber" in line or "1.2.752.29.4.13" in line)
        for line in diff
    )


def test_comment_in_nameid_keeps_signatures_valid_and_truncates_naive_reads(
    spec: ResponseSpec, idp: IdpIdentity, clock: FixedClock
) -> None:
    baseline, mutated = build(spec, idp, clock), build(spec, idp, clock, "comment_in_nameid")
    assert verify_enveloped(mutated, [idp.keys.signing.cert_pem])
    name_id = mutated.find("saml:Assertion/saml:Subject/saml:NameID", NS)
    assert name_id is not None and len(name_id.text or "") == 16 and len("".join(name_id.itertext())) == 33
    path = "/samlp:Response/saml:Assertion/saml:Subject/saml:NameID"
    assert volatile_diff(baseline, mutated) == [f"+ {path}/comment()=", f"+ {path}/text()[1]=<volatile>"]


def test_comment_hides_personnummer_suffix_signs_thirteen_digits_a_naive_read_takes_for_the_victim(
    spec: ResponseSpec, idp: IdpIdentity, clock: FixedClock
) -> None:
    mutated = build(spec, idp, clock, "comment_hides_personnummer_suffix")
    assert verify_enveloped(mutated, [idp.keys.signing.cert_pem])
    assert verify_enveloped(mutated.find("saml:Assertion", NS), [idp.keys.signing.cert_pem])  # type: ignore[arg-type]
    values = mutated.findall(".//saml:Attribute/saml:AttributeValue", NS)
    pnr_values = [v for v in values if v.getparent().get("Name") in PNR_NAMES]  # type: ignore[union-attr]
    assert len(pnr_values) == 2  # both personnummer attributes of the default profile
    for value in pnr_values:
        assert value.text == OTHER_PNR != spec.person.personnummer  # what a naive .text read acts on
        assert "".join(value.itertext()) == OTHER_PNR + "0"  # the signed value: no personnummer
        assert len(value) == 1 and value[0].tag is etree.Comment
