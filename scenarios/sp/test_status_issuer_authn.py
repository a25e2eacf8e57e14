"""Status, Issuer and authentication context: only a Success from 1177 itself, stating an accepted
level of assurance, logs anyone in."""

from __future__ import annotations

from harness.sp_suite.areas import STATUS_ISSUER_AUTHN, sp_scenario
from harness.sp_suite.driver import SpDriver
from harness.sp_suite.preconditions import LOA2_REFUSED, requires

_CANCEL = (
    "The citizen cancelled at 1177 ({status} error), but your SP still logged someone in or showed "
    "data. A cancelled or failed login must leave the citizen logged out."
)


@sp_scenario(
    id="SP-STAT-17A",
    title="A Requester error with second-level status cancel logs nobody in",
    area=STATUS_ISSUER_AUTHN,
    requirements=("SP-R-STAT-17",),
    explanation=_CANCEL.format(status="Requester"),
)
def test_cancel_with_requester_status_logs_nobody_in(sp: SpDriver) -> None:
    sp.check("status_cancel_requester")


@sp_scenario(
    id="SP-STAT-17B",
    title="A Responder error with second-level status cancel logs nobody in",
    area=STATUS_ISSUER_AUTHN,
    requirements=("SP-R-STAT-17",),
    explanation=_CANCEL.format(status="Responder"),
)
def test_cancel_with_responder_status_logs_nobody_in(sp: SpDriver) -> None:
    sp.check("status_cancel_responder")


@sp_scenario(
    id="SP-STAT-17C",
    title="An error Response that still carries an Assertion is rejected",
    area=STATUS_ISSUER_AUTHN,
    requirements=("SP-R-STAT-ASSERTION",),
    explanation=(
        "The Response said the login failed, yet carried a ticket, and your SP used the ticket. The "
        "IdP must never send such a Response; an SP that looks at the status first never acts on one "
        "(defence in depth, so a warning)."
    ),
)
def test_error_status_with_assertion_is_rejected(sp: SpDriver) -> None:
    sp.check("error_status_with_assertion")


@sp_scenario(
    id="SP-ISS-18A",
    title="A Response and Assertion issued by another IdP are rejected",
    area=STATUS_ISSUER_AUTHN,
    requirements=("SP-R-ISS-18",),
    explanation=(
        "The ticket said it came from another identity provider than 1177, and your SP accepted it."
    ),
)
def test_wrong_issuer_is_rejected(sp: SpDriver) -> None:
    sp.check("wrong_issuer")


@sp_scenario(
    id="SP-ISS-18B",
    title="An Issuer with a Format other than entity is rejected",
    area=STATUS_ISSUER_AUTHN,
    requirements=("SP-R-ISS-FORMAT",),
    explanation=(
        "The issuer of the ticket was given in a form (Format) the SAML profile does not allow the IdP "
        "to use; your SP accepted it without checking. No rule for the SP requires the check, so this "
        "is a warning (defence in depth; stock Shibboleth refuses it)."
    ),
)
def test_wrong_issuer_format_is_rejected(sp: SpDriver) -> None:
    sp.check("wrong_issuer_format")


@sp_scenario(
    id="SP-ISS-18C",
    title="An Assertion whose Issuer differs from the Response's (another IdP) is rejected",
    area=STATUS_ISSUER_AUTHN,
    requirements=("SP-R-ISS-18",),
    explanation=(
        "The Response came from 1177 but the Assertion inside it said another identity provider issued "
        "it, and your SP accepted it. An Assertion must be verified with its own issuer's keys: your SP "
        "trusted it on the strength of 1177's signature."
    ),
)
def test_assertion_issuer_differing_from_the_response_issuer_is_rejected(sp: SpDriver) -> None:
    sp.check("assertion_issuer_differs")


@sp_scenario(
    id="SP-AUTHN-19A",
    title="An Assertion without AuthnStatement is rejected",
    area=STATUS_ISSUER_AUTHN,
    requirements=("SP-R-AUTHN-19",),
    explanation=("The ticket did not say the citizen was authenticated at all, and your SP logged them in."),
)
def test_missing_authn_statement_is_rejected(sp: SpDriver) -> None:
    sp.check("no_authn_statement")


@requires(LOA2_REFUSED)
@sp_scenario(
    id="SP-AUTHN-19B",
    title="An AuthnContextClassRef below the accepted levels of assurance (loa2) is rejected",
    area=STATUS_ISSUER_AUTHN,
    requirements=("SP-R-AUTHN-19",),
    explanation=(
        "The citizen logged in with a weaker e-legitimation than your service requires (level of "
        "assurance 2), and your SP let them see health data anyway."
    ),
)
def test_too_low_loa_is_rejected(sp: SpDriver) -> None:
    sp.check("unexpected_authn_context")
