"""Shared helpers for the mock IdP tests (imported by tests; fixtures live in conftest.py)."""

from __future__ import annotations

import copy

from lxml import etree

from harness.core.clock import FixedClock
from harness.core.xml import NS, parse_xml
from harness.core.xmldsig import KeyPair, certificate_pem, decrypt_element, verify_enveloped
from harness.mock_1177_idp.builder import IdpIdentity, ResponseSpec, build_response

# Skatteverket test personnummer (testpersonnummer.csv); 196506232880, 196507132758 and
# 200808162390 are also Inera QA accounts.
NUMBERS = ("196506232880", "200808162390", "198101012386", "196507132758")
SP_ENTITY_ID = "https://sp.example.test/saml/metadata"
ACS_URL = "https://sp.example.test/saml/acs"
REQUEST_ID = "_4f1c2e0b7a9d4e6f8a1b2c3d4e5f6a7b"


def build(spec: ResponseSpec, idp: IdpIdentity, clock: FixedClock, *mutations: str) -> etree._Element:
    return parse_xml(build_response(with_mutations(spec, *mutations), idp, clock))


def with_mutations(spec: ResponseSpec, *mutations: str) -> ResponseSpec:
    return spec.with_options(mutations=(*spec.options.mutations, *mutations))


def assertion(response: etree._Element) -> etree._Element:
    found = response.find("saml:Assertion", NS)
    assert found is not None
    return found


def verifies_alone(element: etree._Element, certificates: list[bytes]) -> str:
    """Verify ``element``'s signature in a document of its own (its ID made unique there)."""
    alone = parse_xml(etree.tostring(copy.deepcopy(element)))
    return verify_enveloped(alone, certificates)


def embedded_certificate_pem(element: etree._Element) -> bytes:
    text = element.findtext("ds:Signature/ds:KeyInfo/ds:X509Data/ds:X509Certificate", namespaces=NS)
    assert text
    return certificate_pem(text)


def texts(response: etree._Element, path: str) -> list[str]:
    return ["".join(e.itertext()) for e in response.iterfind(path, NS)]


def decrypt_all(response: etree._Element, keys: KeyPair) -> etree._Element:
    """Replace every saml:Encrypted* wrapper by its decrypted content (in place, nested ones too)."""
    while wrappers := list(response.iter(*(f"{{{NS['saml']}}}{n}" for n in _WRAPPERS))):
        wrapper = wrappers[0]
        data = wrapper.find("xenc:EncryptedData", NS)
        assert data is not None
        plain = decrypt_element(data, keys)
        wrapper.addprevious(plain)
        parent = wrapper.getparent()
        assert parent is not None
        parent.remove(wrapper)
    return response


_WRAPPERS = ("EncryptedAssertion", "EncryptedAttribute", "EncryptedID")
