"""Mutations of the Response's content, before signing: addressing, issuer, status, statements.

Each changes one element or attribute that an SP must check; the message is then signed as the
baseline, so only the checked rule is broken.
"""

from __future__ import annotations

from lxml import etree

from harness.mock_1177_idp.elements import find, saml, samlp
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
    "EXTENDED_PATH",
    "OTHER_ACS_URL",
    "OTHER_ENTITY_ID",
    "OTHER_IDP_ENTITY_ID",
    "STATUS_CANCEL",
    "WRONG_ISSUER_FORMAT",
]

OTHER_ACS_URL = "https://other-sp.example.test/saml/acs"  # another SP's endpoint, another origin
EXTENDED_PATH = "/elsewhere"  # appended to the ACS URL: a Destination that merely starts with it
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


def _bearer_data(draft: Draft) -> etree._Element:
    return find(_assertion(draft), "saml:Subject/saml:SubjectConfirmation/saml:SubjectConfirmationData")


@mutation(Stage.CONTENT, Expect.REJECT, "SP-R-DEST-09")
def wrong_destination(draft: Draft, ctx: BuildContext) -> None:
    """The Response's Destination is another SP's ACS URL."""
    draft.response.set("Destination", OTHER_ACS_URL)


@mutation(Stage.CONTENT, Expect.REJECT, "SP-R-DEST-09")
def destination_extends_acs(draft: Draft, ctx: BuildContext) -> None:
    """The Response's Destination is the ACS URL with a path segment appended: it starts with the
    ACS URL but is another address (an SP comparing prefixes accepts it)."""
    draft.response.set("Destination", ctx.spec.acs_url.rstrip("/") + EXTENDED_PATH)


@mutation(Stage.CONTENT, Expect.REJECT, "SP-R-DEST-09")
def missing_destination(draft: Draft, ctx: BuildContext) -> None:
    """The (signed) Response carries no Destination attribute."""
    del draft.response.attrib["Destination"]


@mutation(Stage.CONTENT, Expect.REJECT, "SP-R-RCPT-10")
def wrong_recipient(draft: Draft, ctx: BuildContext) -> None:
    """SubjectConfirmationData's Recipient is another SP's ACS URL."""
    _bearer_data(draft).set("Recipient", OTHER_ACS_URL)


@mutation(Stage.CONTENT, Expect.REJECT, "SP-R-RCPT-10")
def recipient_contains_acs(draft: Draft, ctx: BuildContext) -> None:
    """SubjectConfirmationData's Recipient is another SP's ACS URL that carries the right ACS URL in
    its query (an SP testing whether Recipient merely contains its ACS URL accepts it)."""
    _bearer_data(draft).set("Recipient", f"{OTHER_ACS_URL}?next={ctx.spec.acs_url}")


@mutation(Stage.CONTENT, Expect.REJECT, "SP-R-RCPT-10")
def missing_recipient(draft: Draft, ctx: BuildContext) -> None:
    """The bearer SubjectConfirmationData carries no Recipient (InResponseTo, NotOnOrAfter and Address
    stay)."""
    del _bearer_data(draft).attrib["Recipient"]


@mutation(Stage.CONTENT, Expect.REJECT, "SP-R-AUD-11")
def wrong_audience(draft: Draft, ctx: BuildContext) -> None:
    """Conditions/AudienceRestriction/Audience names another SP's entityID."""
    find(_assertion(draft), "saml:Conditions/saml:AudienceRestriction/saml:Audience").text = OTHER_ENTITY_ID


@mutation(Stage.CONTENT, Expect.REJECT, "SP-R-AUD-11")
def missing_audience(draft: Draft, ctx: BuildContext) -> None:
    """Conditions carries no AudienceRestriction (NotBefore/NotOnOrAfter stay)."""
    conditions = find(_assertion(draft), "saml:Conditions")
    conditions.remove(find(conditions, "saml:AudienceRestriction"))


@mutation(Stage.CONTENT, Expect.REJECT, "SP-R-AUD-11")
def second_audience_restriction(draft: Draft, ctx: BuildContext) -> None:
    """Conditions carries a second AudienceRestriction naming only another SP, beside the one naming
    this SP: the Assertion is valid only for a party named in every restriction (SAML Core 2.5.1.4),
    so for nobody; an SP that looks for its entityID in any restriction accepts it."""
    conditions = find(_assertion(draft), "saml:Conditions")
    restriction = etree.SubElement(conditions, saml("AudienceRestriction"))
    etree.SubElement(restriction, saml("Audience")).text = OTHER_ENTITY_ID


@mutation(Stage.CONTENT, Expect.REJECT, "SP-R-BEARER-13")
def not_bearer(draft: Draft, ctx: BuildContext) -> None:
    """The SubjectConfirmation Method is sender-vouches instead of bearer."""
    find(_assertion(draft), "saml:Subject/saml:SubjectConfirmation").set("Method", SENDER_VOUCHES)


def _set_in_response_to(draft: Draft, value: str) -> None:
    draft.response.set("InResponseTo", value)
    _bearer_data(draft).set("InResponseTo", value)


@mutation(Stage.CONTENT, Expect.REJECT, "SP-R-IRT-16")
def wrong_in_response_to(draft: Draft, ctx: BuildContext) -> None:
    """InResponseTo (Response and SubjectConfirmationData) names a request the SP never sent."""
    if ctx.spec.in_response_to is None:
        raise MutationNotApplicable("wrong_in_response_to needs a solicited Response (in_response_to set)")
    _set_in_response_to(draft, ctx.ids.new_id())


@mutation(Stage.CONTENT, Expect.REJECT, "SP-R-IRT-16")
def unexpected_in_response_to(draft: Draft, ctx: BuildContext) -> None:
    """An unsolicited Response carries InResponseTo (Response and SubjectConfirmationData)."""
    if ctx.spec.in_response_to is not None:
        raise MutationNotApplicable("unexpected_in_response_to needs an unsolicited Response")
    _set_in_response_to(draft, ctx.ids.new_id())


def _set_status(draft: Draft, top: str, second: str) -> None:
    code = find(draft.response, "samlp:Status/samlp:StatusCode")
    code.set("Value", top)
    etree.SubElement(code, samlp("StatusCode"), Value=second)


@mutation(Stage.CONTENT, Expect.REJECT, "SP-R-STAT-17")
def status_cancel_requester(draft: Draft, ctx: BuildContext) -> None:
    """The user cancelled: top-level status Requester, second-level .../status/1.0/cancel, no Assertion.
    The SP must not log anyone in."""
    draft.response.remove(_assertion(draft))
    _set_status(draft, STATUS_REQUESTER, STATUS_CANCEL)


@mutation(Stage.CONTENT, Expect.REJECT, "SP-R-STAT-17")
def status_cancel_responder(draft: Draft, ctx: BuildContext) -> None:
    """Top-level status Responder, second-level .../status/1.0/cancel, no Assertion."""
    draft.response.remove(_assertion(draft))
    _set_status(draft, STATUS_RESPONDER, STATUS_CANCEL)


@mutation(Stage.CONTENT, Expect.REJECT, "SP-R-STAT-ASSERTION")
def error_status_with_assertion(draft: Draft, ctx: BuildContext) -> None:
    """Top-level status Responder (second-level AuthnFailed), yet the Assertion is still there."""
    _set_status(draft, STATUS_RESPONDER, STATUS_AUTHN_FAILED)


@mutation(Stage.CONTENT, Expect.REJECT, "SP-R-ISS-18")
def wrong_issuer(draft: Draft, ctx: BuildContext) -> None:
    """Response and Assertion Issuer name another IdP (signed with the 1177 key all the same)."""
    find(draft.response, "saml:Issuer").text = OTHER_IDP_ENTITY_ID
    find(_assertion(draft), "saml:Issuer").text = OTHER_IDP_ENTITY_ID


@mutation(Stage.CONTENT, Expect.REJECT, "SP-R-ISS-18")
def assertion_issuer_differs(draft: Draft, ctx: BuildContext) -> None:
    """The Assertion's Issuer names another IdP while the Response's Issuer stays the 1177 IdP; both
    are signed with the 1177 key as the baseline."""
    find(_assertion(draft), "saml:Issuer").text = OTHER_IDP_ENTITY_ID


@mutation(Stage.CONTENT, Expect.REJECT, "SP-R-ISS-FORMAT")
def wrong_issuer_format(draft: Draft, ctx: BuildContext) -> None:
    """Response and Assertion Issuer carry Format unspecified instead of entity."""
    find(draft.response, "saml:Issuer").set("Format", WRONG_ISSUER_FORMAT)
    find(_assertion(draft), "saml:Issuer").set("Format", WRONG_ISSUER_FORMAT)


@mutation(Stage.CONTENT, Expect.REJECT, "SP-R-AUTHN-19")
def no_authn_statement(draft: Draft, ctx: BuildContext) -> None:
    """The Assertion carries no AuthnStatement."""
    assertion = _assertion(draft)
    assertion.remove(find(assertion, "saml:AuthnStatement"))


@mutation(Stage.CONTENT, Expect.REJECT, "SP-R-AUTHN-19")
def unexpected_authn_context(draft: Draft, ctx: BuildContext) -> None:
    """AuthnContextClassRef is loa2, below the loa3 an SP for 1177 requires."""
    if ctx.spec.options.loa == LOA2:
        raise MutationNotApplicable("unexpected_authn_context: the spec already asks for loa2")
    path = "saml:AuthnStatement/saml:AuthnContext/saml:AuthnContextClassRef"
    find(_assertion(draft), path).text = LOA2


CATALOGUE = (
    wrong_destination,
    destination_extends_acs,
    missing_destination,
    wrong_recipient,
    recipient_contains_acs,
    missing_recipient,
    wrong_audience,
    missing_audience,
    second_audience_restriction,
    not_bearer,
    wrong_in_response_to,
    unexpected_in_response_to,
    status_cancel_requester,
    status_cancel_responder,
    error_status_with_assertion,
    wrong_issuer,
    assertion_issuer_differs,
    wrong_issuer_format,
    no_authn_statement,
    unexpected_authn_context,
)
