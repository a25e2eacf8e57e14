"""Mutations of the Response's content, before signing: addressing, issuer, status, statements.

Each changes one element or attribute that an SP must check; the message is then signed as the
baseline, so only the checked rule is broken.
"""

from __future__ import annotations

from lxml import etree

from harness.mock_1177_idp.elements import find, samlp
from harness.mock_1177_idp.pipeline import (
    BuildContext,
    Draft,
    Expect,
    MutationNotApplicable,
    Stage,
    mutation,
)
from harness.mock_1177_idp.spec import LOA2

__all__ = [
    "CATALOGUE",
    "OTHER_ACS_URL",
    "OTHER_ENTITY_ID",
    "OTHER_IDP_ENTITY_ID",
    "STATUS_CANCEL",
    "WRONG_ISSUER_FORMAT",
]

OTHER_ACS_URL = "https://other-sp.example.test/saml/acs"  # another SP's endpoint, another origin
OTHER_ENTITY_ID = "https://other-sp.example.test/saml/metadata"
OTHER_IDP_ENTITY_ID = "https://other-idp.example.test/samlv2/idp/metadata"
WRONG_ISSUER_FORMAT = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"
STATUS_REQUESTER = "urn:oasis:names:tc:SAML:2.0:status:Requester"
STATUS_RESPONDER = "urn:oasis:names:tc:SAML:2.0:status:Responder"
STATUS_AUTHN_FAILED = "urn:oasis:names:tc:SAML:2.0:status:AuthnFailed"
STATUS_CANCEL = "http://id.elegnamnden.se/status/1.0/cancel"  # Sweden Connect Registry §3.1.4
SENDER_VOUCHES = "urn:oasis:names:tc:SAML:2.0:cm:sender-vouches"


def _assertion(draft: Draft) -> etree._Element:
    return find(draft.response, "saml:Assertion")


@mutation(Stage.CONTENT, Expect.REJECT, "SAML Core 3.2.2; SAML Bindings 3.5.5.2")
def wrong_destination(draft: Draft, ctx: BuildContext) -> None:
    """The Response's Destination is another SP's ACS URL."""
    draft.response.set("Destination", OTHER_ACS_URL)


@mutation(Stage.CONTENT, Expect.REJECT, "SAML Bindings 3.5.5.2 (a signed POSTed message MUST carry it)")
def missing_destination(draft: Draft, ctx: BuildContext) -> None:
    """The (signed) Response carries no Destination attribute."""
    del draft.response.attrib["Destination"]


@mutation(Stage.CONTENT, Expect.REJECT, "SAML Profiles 4.1.4.3; SC Deployment Profile §6.3.2")
def wrong_recipient(draft: Draft, ctx: BuildContext) -> None:
    """SubjectConfirmationData's Recipient is another SP's ACS URL."""
    data = find(_assertion(draft), "saml:Subject/saml:SubjectConfirmation/saml:SubjectConfirmationData")
    data.set("Recipient", OTHER_ACS_URL)


@mutation(Stage.CONTENT, Expect.REJECT, "SAML Core 2.5.1.4; SC Deployment Profile §6.3.3")
def wrong_audience(draft: Draft, ctx: BuildContext) -> None:
    """Conditions/AudienceRestriction/Audience names another SP's entityID."""
    find(_assertion(draft), "saml:Conditions/saml:AudienceRestriction/saml:Audience").text = OTHER_ENTITY_ID


@mutation(Stage.CONTENT, Expect.REJECT, "SAML Profiles 4.1.4.2 [E26]; SC Deployment Profile §6.2")
def missing_audience(draft: Draft, ctx: BuildContext) -> None:
    """Conditions carries no AudienceRestriction (NotBefore/NotOnOrAfter stay)."""
    conditions = find(_assertion(draft), "saml:Conditions")
    conditions.remove(find(conditions, "saml:AudienceRestriction"))


@mutation(Stage.CONTENT, Expect.REJECT, "SAML Profiles 4.1.4.2 (a bearer SubjectConfirmation is required)")
def not_bearer(draft: Draft, ctx: BuildContext) -> None:
    """The SubjectConfirmation Method is sender-vouches instead of bearer."""
    find(_assertion(draft), "saml:Subject/saml:SubjectConfirmation").set("Method", SENDER_VOUCHES)


def _set_in_response_to(draft: Draft, value: str) -> None:
    draft.response.set("InResponseTo", value)
    data = find(_assertion(draft), "saml:Subject/saml:SubjectConfirmation/saml:SubjectConfirmationData")
    data.set("InResponseTo", value)


@mutation(
    Stage.CONTENT, Expect.REJECT, "SAML Core 3.2.2; SAML Profiles 4.1.4.3; SC Deployment Profile §6.3.2"
)
def wrong_in_response_to(draft: Draft, ctx: BuildContext) -> None:
    """InResponseTo (Response and SubjectConfirmationData) names a request the SP never sent."""
    if ctx.spec.in_response_to is None:
        raise MutationNotApplicable("wrong_in_response_to needs a solicited Response (in_response_to set)")
    _set_in_response_to(draft, ctx.ids.new_id())


@mutation(Stage.CONTENT, Expect.REJECT, "SAML Core 3.2.2; SAML Profiles 4.1.5")
def unexpected_in_response_to(draft: Draft, ctx: BuildContext) -> None:
    """An unsolicited Response carries InResponseTo (Response and SubjectConfirmationData)."""
    if ctx.spec.in_response_to is not None:
        raise MutationNotApplicable("unexpected_in_response_to needs an unsolicited Response")
    _set_in_response_to(draft, ctx.ids.new_id())


def _set_status(draft: Draft, top: str, second: str) -> None:
    code = find(draft.response, "samlp:Status/samlp:StatusCode")
    code.set("Value", top)
    etree.SubElement(code, samlp("StatusCode"), Value=second)


@mutation(Stage.CONTENT, Expect.REJECT, "SAML Core 3.2.2.2; SC Deployment Profile §6.4")
def status_cancel_requester(draft: Draft, ctx: BuildContext) -> None:
    """The user cancelled: top-level status Requester, second-level .../status/1.0/cancel, no Assertion.
    The SP must not log anyone in."""
    draft.response.remove(_assertion(draft))
    _set_status(draft, STATUS_REQUESTER, STATUS_CANCEL)


@mutation(Stage.CONTENT, Expect.REJECT, "SAML Core 3.2.2.2; SC Deployment Profile §6.4")
def status_cancel_responder(draft: Draft, ctx: BuildContext) -> None:
    """Top-level status Responder, second-level .../status/1.0/cancel, no Assertion."""
    draft.response.remove(_assertion(draft))
    _set_status(draft, STATUS_RESPONDER, STATUS_CANCEL)


@mutation(Stage.CONTENT, Expect.REJECT, "SAML Profiles 4.1.4.2; SC Deployment Profile §6.4")
def error_status_with_assertion(draft: Draft, ctx: BuildContext) -> None:
    """Top-level status Responder (second-level AuthnFailed), yet the Assertion is still there."""
    _set_status(draft, STATUS_RESPONDER, STATUS_AUTHN_FAILED)


@mutation(Stage.CONTENT, Expect.REJECT, "SAML Profiles 4.1.4.2; SC Deployment Profile §6.3.1")
def wrong_issuer(draft: Draft, ctx: BuildContext) -> None:
    """Response and Assertion Issuer name another IdP (signed with the 1177 key all the same)."""
    find(draft.response, "saml:Issuer").text = OTHER_IDP_ENTITY_ID
    find(_assertion(draft), "saml:Issuer").text = OTHER_IDP_ENTITY_ID


@mutation(Stage.CONTENT, Expect.REJECT, "SAML Profiles 4.1.4.2 (Issuer Format omitted or entity)")
def wrong_issuer_format(draft: Draft, ctx: BuildContext) -> None:
    """Response and Assertion Issuer carry Format unspecified instead of entity."""
    find(draft.response, "saml:Issuer").set("Format", WRONG_ISSUER_FORMAT)
    find(_assertion(draft), "saml:Issuer").set("Format", WRONG_ISSUER_FORMAT)


@mutation(Stage.CONTENT, Expect.REJECT, "SAML Profiles 4.1.4.2; SC Deployment Profile §6.2")
def no_authn_statement(draft: Draft, ctx: BuildContext) -> None:
    """The Assertion carries no AuthnStatement."""
    assertion = _assertion(draft)
    assertion.remove(find(assertion, "saml:AuthnStatement"))


@mutation(Stage.CONTENT, Expect.REJECT, "SC Deployment Profile §6.3.4")
def unexpected_authn_context(draft: Draft, ctx: BuildContext) -> None:
    """AuthnContextClassRef is loa2, below the loa3 an SP for 1177 requires."""
    if ctx.spec.loa == LOA2:
        raise MutationNotApplicable("unexpected_authn_context: the spec already asks for loa2")
    path = "saml:AuthnStatement/saml:AuthnContext/saml:AuthnContextClassRef"
    find(_assertion(draft), path).text = LOA2


CATALOGUE = (
    wrong_destination,
    missing_destination,
    wrong_recipient,
    wrong_audience,
    missing_audience,
    not_bearer,
    wrong_in_response_to,
    unexpected_in_response_to,
    status_cancel_requester,
    status_cancel_responder,
    error_status_with_assertion,
    wrong_issuer,
    wrong_issuer_format,
    no_authn_statement,
    unexpected_authn_context,
)
