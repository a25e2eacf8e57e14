"""The hardened parser refuses DTDs, entities, oversize and malformed documents."""

from __future__ import annotations

import pytest

from harness.core.xml import MAX_XML_BYTES, UnsafeXmlError, parse_xml, pretty_xml


def test_plain_document_parses() -> None:
    assert parse_xml(b"<a><b>x</b></a>").findtext("b") == "x"


@pytest.mark.parametrize(
    "document",
    [
        b'<!DOCTYPE a [<!ENTITY x "boom">]><a>&x;</a>',
        b'<!DOCTYPE a SYSTEM "http://127.0.0.1:9/evil.dtd"><a/>',
        b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY l2 "&lol;&lol;">]><a>&l2;</a>',
    ],
)
def test_dtds_and_entities_are_refused(document: bytes) -> None:
    with pytest.raises(UnsafeXmlError, match="DTD"):
        parse_xml(document)


def test_malformed_and_oversize_documents_are_refused() -> None:
    with pytest.raises(UnsafeXmlError, match="well-formed"):
        parse_xml(b"<a><b></a>")
    with pytest.raises(UnsafeXmlError, match="bytes"):
        parse_xml(b"<a>" + b"x" * MAX_XML_BYTES + b"</a>")


def test_pretty_xml_returns_none_for_unsafe_input() -> None:
    assert pretty_xml(b"<a><b/></a>") == "<a>\n  <b/>\n</a>\n"
    assert pretty_xml(b'<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>') is None
