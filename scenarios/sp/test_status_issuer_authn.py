"""Status, Issuer and authentication context (saml-1177.md checks 17-19): only a Success from 1177
itself, stating an accepted level of assurance, logs anyone in."""

from __future__ import annotations

import pytest

from harness.mock_1177_idp.builder import LOA2
from harness.sp_suite.areas import STATUS_ISSUER_AUTHN, sp_scenario
from harness.sp_suite.driver import SpDriver

_CANCEL = (
    "The citizen cancelled at 1177 ({status} error), but your SP still logged someone in or showed "
    "data. A cancelled or failed login must leave the citizen logged out."
)


@sp_scenario(
    id="SP-STAT-17A",
    title="A Requester error with second-level status cancel logs nobody in",
    area=STATUS_ISSUER_AUTHN,
    refs=("SAML Core 3.2.2.2", "SC Deployment Profile §6.4"),
    requirements=("SP-R-STAT-17",),
    explanation=_CANCEL.format(status="Requester"),
)
def test_cancel_with_requester_status_logs_nobody_in(sp: SpDriver) -> None:
    sp.expect_rejected("status_cancel_requester", ref="SC Deployment Profile §6.4")


@sp_scenario(
    id="SP-STAT-17B",
    title="A Responder error with second-level status cancel logs nobody in",
    area=STATUS_ISSUER_AUTHN,
    refs=("SAML Core 3.2.2.2", "SC Deployment Profile §6.4"),
    requirements=("SP-R-STAT-17",),
    explanation=_CANCEL.format(status="Responder"),
)
def test_cancel_with_responder_status_logs_nobody_in(sp: SpDriver) -> None:
    sp.expect_rejected("status_cancel_responder", ref="SC Deployment Profile §6.4")


@sp_scenario(
    id="SP-STAT-17C",
    title="An error Response that still carries an Assertion is rejected",
    area=STATUS_ISSUER_AUTHN,
    refs=("SAML Profiles 4.1.4.2", "SC Deployment Profile §6.4"),
    requirements=("SP-R-STAT-17",),
    explanation=(
        "The Response said the login failed, yet carried a ticket, and your SP used the ticket. "
        "Your SP must look at the status first."
    ),
)
def test_error_status_with_assertion_is_rejected(sp: SpDriver) -> None:
    sp.expect_rejected("error_status_with_assertion", ref="SAML Profiles 4.1.4.2")


@sp_scenario(
    id="SP-ISS-18A",
    title="A Response and Assertion issued by another IdP are rejected",
    area=STATUS_ISSUER_AUTHN,
    refs=("SAML Profiles 4.1.4.2",),
    requirements=("SP-R-ISS-18",),
    explanation=(
        "The ticket said it came from another identity provider than 1177, and your SP accepted it."
    ),
)
def test_wrong_issuer_is_rejected(sp: SpDriver) -> None:
    sp.expect_rejected("wrong_issuer", ref="SAML Profiles 4.1.4.2")


@sp_scenario(
    id="SP-ISS-18B",
    title="An Issuer with a Format other than entity is rejected",
    area=STATUS_ISSUER_AUTHN,
    refs=("SAML Profiles 4.1.4.2",),
    requirements=("SP-R-ISS-18",),
    explanation=(
        "The issuer of the ticket was given in a form the SAML profile does not allow; your SP "
        "accepted it without checking."
    ),
)
def test_wrong_issuer_format_is_rejected(sp: SpDriver) -> None:
    sp.expect_rejected("wrong_issuer_format", ref="SAML Profiles 4.1.4.2")


@sp_scenario(
    id="SP-AUTHN-19A",
    title="An Assertion without AuthnStatement is rejected",
    area=STATUS_ISSUER_AUTHN,
    refs=("SAML Profiles 4.1.4.2", "SC Deployment Profile §6.2"),
    requirements=("SP-R-AUTHN-19",),
    explanation=("The ticket did not say the citizen was authenticated at all, and your SP logged them in."),
)
def test_missing_authn_statement_is_rejected(sp: SpDriver) -> None:
    sp.expect_rejected("no_authn_statement", ref="SAML Profiles 4.1.4.2")


@sp_scenario(
    id="SP-AUTHN-19B",
    title="An AuthnContextClassRef below the accepted levels of assurance (loa2) is rejected",
    area=STATUS_ISSUER_AUTHN,
    refs=("SC Deployment Profile §6.3.4",),
    requirements=("SP-R-AUTHN-19",),
    explanation=(
        "The citizen logged in with a weaker e-legitimation than your service requires (level of "
        "assurance 2), and your SP let them see health data anyway."
    ),
)
def test_too_low_loa_is_rejected(sp: SpDriver) -> None:
    if LOA2 in sp.env.sp.accepted_loa:
        pytest.skip("the target declares loa2 among its accepted levels of assurance")
    sp.expect_rejected("unexpected_authn_context", ref="SC Deployment Profile §6.3.4")
