"""Destination, Recipient, Audience and time (saml-1177.md checks 9-14): a ticket meant for another
place, another SP or another moment must not log anyone in; one within the declared clock skew must."""

from __future__ import annotations

from harness.core.findings import Level
from harness.sp_suite.areas import CONDITIONS, sp_scenario
from harness.sp_suite.driver import SpDriver

_ELSEWHERE = (
    "The ticket was made for {what}, and your SP accepted it anyway. A ticket captured at, or "
    "issued to, another service could then be used to log in to yours."
)
_EXPIRED = (
    "The ticket's validity had run out ({what}) beyond the allowed clock skew, and your SP still "
    "accepted it: an old, captured ticket can be used again later."
)
_WITHIN_SKEW = (
    "The ticket was still valid within the clock skew the SP declares ({what}), but your SP refused "
    "it: citizens whose clocks differ slightly from 1177's will be locked out."
)


@sp_scenario(
    id="SP-DEST-09A",
    title="A Response whose Destination is another ACS is rejected",
    area=CONDITIONS,
    refs=("SAML Core 3.2.2", "SAML Bindings 3.5.5.2"),
    requirements=("SP-R-DEST-09",),
    explanation=_ELSEWHERE.format(what="another service's address (Destination)"),
)
def test_wrong_destination_is_rejected(sp: SpDriver) -> None:
    sp.expect_rejected("wrong_destination", ref="SAML Core 3.2.2")


@sp_scenario(
    id="SP-DEST-09B",
    title="A signed Response without Destination is rejected",
    area=CONDITIONS,
    refs=("SAML Bindings 3.5.5.2",),
    requirements=("SP-R-DEST-09",),
    explanation=(
        "A signed ticket must say where it is going (Destination); without it a ticket could be "
        "replayed at any service that trusts 1177."
    ),
)
def test_signed_response_without_destination_is_rejected(sp: SpDriver) -> None:
    sp.expect_rejected("missing_destination", ref="SAML Bindings 3.5.5.2")


@sp_scenario(
    id="SP-RCPT-10",
    title="A Response whose SubjectConfirmationData Recipient is not the ACS is rejected",
    area=CONDITIONS,
    refs=("SAML Profiles 4.1.4.3", "SC Deployment Profile §6.3.2"),
    requirements=("SP-R-RCPT-10",),
    explanation=_ELSEWHERE.format(what="another service's address (Recipient)"),
)
def test_wrong_recipient_is_rejected(sp: SpDriver) -> None:
    sp.expect_rejected("wrong_recipient", ref="SC Deployment Profile §6.3.2")


@sp_scenario(
    id="SP-AUD-11A",
    title="An Assertion whose Audience is another SP is rejected",
    area=CONDITIONS,
    refs=("SAML Profiles 4.1.4.2 [E26]", "SAML Core 2.5.1.4", "SC Deployment Profile §6.3.3"),
    requirements=("SP-R-AUD-11",),
    explanation=_ELSEWHERE.format(what="another service (Audience)"),
)
def test_wrong_audience_is_rejected(sp: SpDriver) -> None:
    sp.expect_rejected("wrong_audience", ref="SC Deployment Profile §6.3.3")


@sp_scenario(
    id="SP-AUD-11B",
    title="An Assertion without AudienceRestriction is rejected",
    area=CONDITIONS,
    refs=("SAML Profiles 4.1.4.2 [E26]", "SC Deployment Profile §6.3.3"),
    requirements=("SP-R-AUD-11",),
    explanation=(
        "A ticket that names no audience is valid at every service; your SP must insist that it names yours."
    ),
)
def test_missing_audience_is_rejected(sp: SpDriver) -> None:
    sp.expect_rejected("missing_audience", ref="SAML Profiles 4.1.4.2 [E26]")


@sp_scenario(
    id="SP-TIME-12A",
    title="An Assertion whose Conditions NotOnOrAfter passed beyond the skew is rejected",
    area=CONDITIONS,
    refs=("SAML Core 2.5.1.2", "SC Deployment Profile §6.3.3"),
    requirements=("SP-R-TIME-12",),
    explanation=_EXPIRED.format(what="Conditions NotOnOrAfter"),
)
def test_expired_conditions_are_rejected(sp: SpDriver) -> None:
    sp.expect_rejected("conditions_expired", ref="SAML Core 2.5.1.2")


@sp_scenario(
    id="SP-TIME-12B",
    title="An Assertion whose Conditions NotOnOrAfter passed within the skew is accepted",
    area=CONDITIONS,
    refs=("SAML Core 2.5.1.2", "SC Deployment Profile §6.3.5"),
    requirements=("SP-R-TIME-12",),
    explanation=_WITHIN_SKEW.format(what="Conditions NotOnOrAfter"),
)
def test_conditions_expired_within_skew_are_accepted(sp: SpDriver) -> None:
    sp.expect_accepted("conditions_expired_within_skew", ref="SC Deployment Profile §6.3.5")


@sp_scenario(
    id="SP-TIME-12C",
    title="An Assertion whose Conditions NotBefore lies beyond the skew in the future is rejected",
    area=CONDITIONS,
    refs=("SAML Core 2.5.1.2", "SC Deployment Profile §6.3.3"),
    requirements=("SP-R-TIME-12",),
    explanation=(
        "The ticket is not valid yet (NotBefore in the future beyond the clock skew), and your SP "
        "accepted it: a ticket minted ahead of time could be stored and used later."
    ),
)
def test_conditions_not_yet_valid_are_rejected(sp: SpDriver) -> None:
    sp.expect_rejected("conditions_not_yet_valid", ref="SAML Core 2.5.1.2")


@sp_scenario(
    id="SP-TIME-12D",
    title="An Assertion whose Conditions NotBefore lies within the skew in the future is accepted",
    area=CONDITIONS,
    refs=("SAML Core 2.5.1.2", "SC Deployment Profile §6.3.5"),
    requirements=("SP-R-TIME-12",),
    explanation=_WITHIN_SKEW.format(what="Conditions NotBefore"),
)
def test_conditions_not_yet_valid_within_skew_are_accepted(sp: SpDriver) -> None:
    sp.expect_accepted("conditions_not_yet_valid_within_skew", ref="SC Deployment Profile §6.3.5")


@sp_scenario(
    id="SP-TIME-12E",
    title="A bearer SubjectConfirmationData whose NotOnOrAfter passed beyond the skew is rejected",
    area=CONDITIONS,
    refs=("SAML Profiles 4.1.4.3", "SC Deployment Profile §6.3.2"),
    requirements=("SP-R-TIME-12",),
    explanation=_EXPIRED.format(what="SubjectConfirmationData NotOnOrAfter"),
)
def test_expired_subject_confirmation_is_rejected(sp: SpDriver) -> None:
    sp.expect_rejected("subject_confirmation_expired", ref="SAML Profiles 4.1.4.3")


@sp_scenario(
    id="SP-TIME-12F",
    title="A bearer SubjectConfirmationData whose NotOnOrAfter passed within the skew is accepted",
    area=CONDITIONS,
    refs=("SAML Profiles 4.1.4.3", "SC Deployment Profile §6.3.5"),
    requirements=("SP-R-TIME-12",),
    explanation=_WITHIN_SKEW.format(what="SubjectConfirmationData NotOnOrAfter"),
)
def test_subject_confirmation_expired_within_skew_is_accepted(sp: SpDriver) -> None:
    sp.expect_accepted("subject_confirmation_expired_within_skew", ref="SC Deployment Profile §6.3.5")


@sp_scenario(
    id="SP-BEARER-13A",
    title="A bearer SubjectConfirmationData carrying NotBefore is rejected",
    area=CONDITIONS,
    refs=("SAML Profiles 4.1.4.2",),
    requirements=("SP-R-BEARER-13",),
    explanation=(
        "The SAML profile forbids NotBefore on a bearer confirmation; your SP accepted it, so it does "
        "not check the confirmation the way the profile requires."
    ),
)
def test_bearer_with_not_before_is_rejected(sp: SpDriver) -> None:
    sp.expect_rejected("bearer_not_before", ref="SAML Profiles 4.1.4.2")


@sp_scenario(
    id="SP-BEARER-13B",
    title="An Assertion without a bearer SubjectConfirmation is rejected",
    area=CONDITIONS,
    refs=("SAML Profiles 4.1.4.2",),
    requirements=("SP-R-BEARER-13",),
    explanation=(
        "The ticket did not say the browser's bearer may use it (a different confirmation method), "
        "and your SP accepted it anyway."
    ),
)
def test_assertion_without_bearer_is_rejected(sp: SpDriver) -> None:
    sp.expect_rejected("not_bearer", ref="SAML Profiles 4.1.4.2")


@sp_scenario(
    id="SP-TIME-14",
    title="A Response issued too long ago (IssueInstant older than 3 min plus skew) is rejected",
    area=CONDITIONS,
    refs=("SC Deployment Profile §6.3.5",),
    requirements=("SP-R-TIME-14",),
    level=Level.SHOULD,
    explanation=(
        "The ticket was issued minutes ago; the Swedish eID profile wants SPs to refuse such old "
        "tickets, which limits how long a captured ticket is useful."
    ),
)
def test_old_issue_instant_is_rejected(sp: SpDriver) -> None:
    sp.expect_rejected("issue_instant_too_old", ref="SC Deployment Profile §6.3.5")
