"""A canonical diff of two SAML messages that ignores what differs on every build.

Used to prove that a mutation changes only what it says: IDs (and references to them), instants,
signature and digest values, ciphertext and the transient NameID pseudonym are replaced by
placeholders; everything else is compared as a multiset of ``path: value`` lines, so inserting a
whole element shows up as exactly that element's lines.
"""

from __future__ import annotations

from collections import Counter

from lxml import etree

from harness.core.xml import NS

__all__ = ["INSTANT_ATTRIBUTES", "canonical_lines", "volatile_diff"]

INSTANT_ATTRIBUTES = frozenset({"IssueInstant", "NotBefore", "NotOnOrAfter", "AuthnInstant"})
_ID_ATTRIBUTES = frozenset({"ID", "SessionIndex"})
_VOLATILE_TEXT = frozenset({"SignatureValue", "DigestValue", "CipherValue", "NameID"})
_BASE64_TEXT = frozenset({"X509Certificate"})  # line-wrapping differs between signers, not the value
_PREFIXES = {uri: prefix for prefix, uri in NS.items()}
_VOLATILE = "<volatile>"


def _step(element: etree._Element) -> str:
    qname = etree.QName(element)
    step = f"{_PREFIXES.get(qname.namespace or '', qname.namespace)}:{qname.localname}"
    name = element.get("Name")
    return f"{step}[@Name={name!r}]" if name is not None else step


def _attribute_value(element: etree._Element, name: str, value: str, ignore_instants: bool) -> str:
    if name in _ID_ATTRIBUTES or (ignore_instants and name in INSTANT_ATTRIBUTES):
        return _VOLATILE
    if name == "URI" and etree.QName(element).localname == "Reference":
        return _VOLATILE
    return value


def _lines(element: etree._Element, parent_path: str, ignore_instants: bool) -> list[str]:
    path = f"{parent_path}/{_step(element)}"
    lines = [path]
    for name, value in sorted(element.attrib.items()):
        local = etree.QName(str(name)).localname
        lines.append(f"{path}@{local}={_attribute_value(element, local, str(value), ignore_instants)}")
    local = etree.QName(element).localname
    volatile_text = local in _VOLATILE_TEXT
    segments = [element.text, *(child.tail for child in element)]
    for index, segment in enumerate(segments):
        text = "".join((segment or "").split()) if local in _BASE64_TEXT else (segment or "").strip()
        if text:
            lines.append(f"{path}/text()[{index}]={_VOLATILE if volatile_text else text}")
    for child in element:
        if isinstance(child, etree._Comment):
            lines.append(f"{path}/comment()={child.text or ''}")
        elif isinstance(child.tag, str):
            lines.extend(_lines(child, path, ignore_instants))
    return lines


def canonical_lines(document: etree._Element, *, ignore_instants: bool = True) -> list[str]:
    """The document as ``path@attribute=value`` / ``path/text()[n]=value`` lines, volatiles masked."""
    return _lines(document, "", ignore_instants)


def volatile_diff(
    baseline: etree._Element, mutated: etree._Element, *, ignore_instants: bool = True
) -> list[str]:
    """Lines only in ``baseline`` (``- ``) and only in ``mutated`` (``+ ``), sorted; [] if equal."""
    before = Counter(canonical_lines(baseline, ignore_instants=ignore_instants))
    after = Counter(canonical_lines(mutated, ignore_instants=ignore_instants))
    removed = sorted((before - after).elements())
    added = sorted((after - before).elements())
    return [f"- {line}" for line in removed] + [f"+ {line}" for line in added]
