"""Signature-wrapping (XSW) and comment-injection attacks, applied after signing.

Each leaves a genuine signature in the message that verifies with the IdP's metadata key, so
only an SP that checks WHAT was signed (SAML Core 5.4.2: one Reference to the root element's own
ID; use only the signed element) rejects it. The Response signature, which would betray the
insertion, is removed, as an attacker holding only a signed Assertion would have it. Comment
injection is CVE-2017-11427/-11428 (crewjam/saml#140): exc-c14n drops comments, so the signature
still verifies, but a naive ``.text`` read stops at the comment. Truncating a 12-digit personnummer
never yields another valid one, so ``comment_in_personnummer`` only shows that the SP reads the whole
value; ``comment_hides_personnummer_suffix`` is the exploitable shape of the CVE (the signed value
is another person's personnummer plus a digit, and the truncated read is that person).
"""

from __future__ import annotations

from lxml import etree

from harness.core.xml import NS
from harness.mock_1177_idp.attributes import personnummer_attributes
from harness.mock_1177_idp.elements import assertion_element, find, samlp
from harness.mock_1177_idp.pipeline import (
    BuildContext,
    Draft,
    Expect,
    MutationNotApplicable,
    Stage,
    mutation,
)

__all__ = ["CATALOGUE", "COMMENT_SPLIT"]

COMMENT_SPLIT = 8  # the naive reader of a personnummer gets only the birth date YYYYMMDD


def _signed_assertion(draft: Draft, name: str) -> etree._Element:
    assertion = draft.response.find("saml:Assertion", NS)
    if assertion is None or assertion.find("ds:Signature", NS) is None:
        raise MutationNotApplicable(f"{name} needs a signed plaintext Assertion (sign_assertion=True)")
    return assertion


def _strip_response_signature(draft: Draft) -> None:
    signature = draft.response.find("ds:Signature", NS)
    if signature is not None:
        draft.response.remove(signature)


def _evil(ctx: BuildContext) -> etree._Element:
    return assertion_element(ctx, ctx.other_person)


@mutation(Stage.SIGNED, Expect.SIGNED_ONLY, "SP-R-SIG-06")
def xsw_unsigned_assertion_before(draft: Draft, ctx: BuildContext) -> None:
    """An unsigned Assertion for another person is inserted before the signed one."""
    signed = _signed_assertion(draft, "xsw_unsigned_assertion_before")
    _strip_response_signature(draft)
    signed.addprevious(_evil(ctx))


@mutation(Stage.SIGNED, Expect.SIGNED_ONLY, "SP-R-SIG-06")
def xsw_unsigned_assertion_after(draft: Draft, ctx: BuildContext) -> None:
    """An unsigned Assertion for another person is inserted after the signed one."""
    signed = _signed_assertion(draft, "xsw_unsigned_assertion_after")
    _strip_response_signature(draft)
    signed.addnext(_evil(ctx))


@mutation(Stage.SIGNED, Expect.SIGNED_ONLY, "SP-R-SIG-06")
def xsw_duplicate_id(draft: Draft, ctx: BuildContext) -> None:
    """An unsigned Assertion for another person, carrying the SAME ID as the signed one, is inserted
    before it (an ID lookup may verify one and the SP read the other)."""
    signed = _signed_assertion(draft, "xsw_duplicate_id")
    _strip_response_signature(draft)
    evil = _evil(ctx)
    evil.set("ID", signed.get("ID", ""))
    signed.addprevious(evil)


@mutation(Stage.SIGNED, Expect.SIGNED_ONLY, "SP-R-SIG-06")
def xsw_signature_moved(draft: Draft, ctx: BuildContext) -> None:
    """The signed Assertion (with its signature) is moved into a samlp:Extensions wrapper, and an
    unsigned Assertion for another person takes its place."""
    signed = _signed_assertion(draft, "xsw_signature_moved")
    _strip_response_signature(draft)
    signed.addprevious(_evil(ctx))
    extensions = etree.Element(samlp("Extensions"))
    find(draft.response, "saml:Issuer").addnext(extensions)  # schema order: Issuer, Signature?, Extensions
    extensions.append(signed)


def _inject_comment(element: etree._Element, split: int) -> None:
    value = element.text or ""
    element.text = value[:split]
    comment = etree.Comment("")
    element.append(comment)
    comment.tail = value[split:]


@mutation(Stage.SIGNED, Expect.SIGNED_VALUE_OR_REJECT, "SP-R-SIG-07")
def comment_in_personnummer(draft: Draft, ctx: BuildContext) -> None:
    """An empty comment is injected inside each personnummer value after its first 8 digits
    (``19500626<!---->2546``). Signatures still verify; the signed value is unchanged, but a naive
    ``.text`` read yields the 8-digit birth date instead of the personnummer."""
    assertion = _signed_assertion(draft, "comment_in_personnummer")
    attributes = personnummer_attributes(assertion)
    if not attributes:
        raise MutationNotApplicable("comment_in_personnummer needs a personnummer attribute")
    for attribute in attributes:
        _inject_comment(find(attribute, "saml:AttributeValue"), COMMENT_SPLIT)


@mutation(Stage.CONTENT, Expect.REJECT, "SP-R-SIG-07")
def comment_hides_personnummer_suffix(draft: Draft, ctx: BuildContext) -> None:
    """Each personnummer value becomes another person's personnummer, an empty comment, and one more
    digit (``195006262546<!---->0``), as an IdP that let the user choose the value would sign it.
    The signed value (exc-c14n drops the comment, so it may be there at signing) is 13 digits, no
    personnummer; a naive ``.text`` read yields the other person's personnummer."""
    attributes = personnummer_attributes(find(draft.response, "saml:Assertion"))
    if not attributes:
        raise MutationNotApplicable("comment_hides_personnummer_suffix needs a personnummer attribute")
    for attribute in attributes:
        value = find(attribute, "saml:AttributeValue")
        value.text = ctx.other_person.personnummer
        comment = etree.Comment("")
        value.append(comment)
        comment.tail = "0"


@mutation(Stage.SIGNED, Expect.SIGNED_VALUE_OR_REJECT, "SP-R-SIG-07")
def comment_in_nameid(draft: Draft, ctx: BuildContext) -> None:
    """An empty comment is injected in the middle of the NameID value. Signatures still verify; a
    naive ``.text`` read yields only the first half of the pseudonym."""
    assertion = _signed_assertion(draft, "comment_in_nameid")
    name_id = find(assertion, "saml:Subject/saml:NameID")
    _inject_comment(name_id, len(name_id.text or "") // 2)


CATALOGUE = (
    xsw_unsigned_assertion_before,
    xsw_unsigned_assertion_after,
    xsw_duplicate_id,
    xsw_signature_moved,
    comment_in_personnummer,
    comment_hides_personnummer_suffix,
    comment_in_nameid,
)
