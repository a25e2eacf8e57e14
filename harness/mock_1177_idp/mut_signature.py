"""Mutations of the signatures themselves: missing, wrong key, next key, weak algorithms, tampering.

Rules: SAML Profiles 4.1.4.5 [E26] (every assertion protected by a signature); Swedish eID
Deployment Profile §6.1 (Response signed), §6.3.1 (every signature present verifies, and the key
must be in the IdP's metadata, not merely in KeyInfo), §2.1.1.2 (several signing keys in metadata:
rollover), §8 (no SHA-1).
"""

from __future__ import annotations

import base64
from dataclasses import replace

from harness.core.xml import NS
from harness.core.xmldsig import DIGEST_SHA1, RSA_SHA1
from harness.mock_1177_idp.attributes import personnummer_attributes
from harness.mock_1177_idp.elements import find
from harness.mock_1177_idp.pipeline import (
    BuildContext,
    Draft,
    Expect,
    MutationNotApplicable,
    Stage,
    mutation,
)
from harness.pki import new_keypair

__all__ = ["CATALOGUE"]


@mutation(Stage.SIGNING, Expect.REJECT, "SP-R-SIG-02")
def unsigned(draft: Draft, ctx: BuildContext) -> None:
    """Neither the Response nor the Assertion is signed."""
    draft.plan = replace(draft.plan, sign_response=False, sign_assertion=False)


@mutation(Stage.SIGNING, Expect.REJECT, "SP-R-SIG-04")
def foreign_key_with_keyinfo(draft: Draft, ctx: BuildContext) -> None:
    """Signed (as the baseline) with a fresh key that is not in the IdP's metadata; its certificate
    is in the signatures' KeyInfo, so an SP that trusts KeyInfo would accept it."""
    draft.plan = replace(draft.plan, key=new_keypair("foreign key, not in the IdP metadata"))


@mutation(Stage.SIGNING, Expect.ACCEPT, "SP-R-SIG-05")
def next_key(draft: Draft, ctx: BuildContext) -> None:
    """Signed with the NEXT signing key published in the IdP's metadata: a positive case, the SP
    must accept every signing certificate in the metadata."""
    draft.plan = replace(draft.plan, key=ctx.idp.keys.next_signing)


@mutation(Stage.SIGNING, Expect.REJECT, "SP-R-SIG-08")
def sha1_digest(draft: Draft, ctx: BuildContext) -> None:
    """The signatures' References use the SHA-1 digest (the signature method stays RSA-SHA256)."""
    draft.plan = replace(draft.plan, digest_method=DIGEST_SHA1)


@mutation(Stage.SIGNING, Expect.REJECT, "SP-R-SIG-08")
def rsa_sha1(draft: Draft, ctx: BuildContext) -> None:
    """The signatures use the RSA-SHA1 signature method (the digest stays SHA-256), as CGI did in 2017."""
    draft.plan = replace(draft.plan, signature_method=RSA_SHA1)


@mutation(Stage.SIGNED, Expect.REJECT, "SP-R-SIG-06")
def tampered_after_signing(draft: Draft, ctx: BuildContext) -> None:
    """After signing, the personnummer value(s) are changed to another test person's number, so
    the digests no longer match."""
    assertion = draft.response.find("saml:Assertion", NS)
    if assertion is None:
        raise MutationNotApplicable("tampered_after_signing needs a plaintext Assertion")
    values = [find(attribute, "saml:AttributeValue") for attribute in personnummer_attributes(assertion)]
    if not values:
        raise MutationNotApplicable("tampered_after_signing needs a personnummer attribute")
    for value in values:
        value.text = ctx.other_person.personnummer


@mutation(Stage.SIGNED, Expect.REJECT, "SP-R-SIG-ALL")
def broken_response_signature(draft: Draft, ctx: BuildContext) -> None:
    """After signing, the Response's own SignatureValue is corrupted (its first byte flipped), while
    the Assertion's signature still verifies: an SP that verifies only the Assertion's accepts it."""
    signed = draft.response.find("saml:Assertion/ds:Signature", NS)
    value = draft.response.find("ds:Signature/ds:SignatureValue", NS)
    if signed is None or value is None:
        raise MutationNotApplicable(
            "broken_response_signature needs a signed Response and a signed Assertion"
        )
    raw = bytearray(base64.b64decode("".join((value.text or "").split())))
    raw[0] ^= 0xFF
    value.text = base64.b64encode(bytes(raw)).decode("ascii")


CATALOGUE = (
    unsigned,
    foreign_key_with_keyinfo,
    next_key,
    sha1_digest,
    rsa_sha1,
    tampered_after_signing,
    broken_response_signature,
)
