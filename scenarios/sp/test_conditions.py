"""Destination, Recipient, Audience and time: a ticket meant for another place, another SP or another
moment must not log anyone in; one within the SP's declared clock skew should.

The within-skew cases are availability, not security (an SP stricter than it declares loses logins
but lets nobody in): SHOULD. Each uses the skew the target declares for its window; refused, an
unshifted login tells whether the declared skew probably exceeds the SP's own allowance.
"""

from __future__ import annotations

from harness.sp_suite.areas import CONDITIONS, sp_scenario
from harness.sp_suite.driver import SpDriver
from harness.sp_suite.preconditions import CONDITIONS_SKEW, SUBJECT_CONFIRMATION_SKEW, requires

_ELSEWHERE = (
    "The ticket was made for {what}, and your SP accepted it anyway. A ticket captured at, or "
    "issued to, another service could then be used to log in to yours."
)


_EXPIRED = (
    "The ticket's validity had run out ({what}) beyond the allowed clock skew, and your SP still "
    "accepted it: an old, captured ticket can be used again later."
)
_WITHIN_SKEW = (
    "The ticket was still valid within the clock skew the target declares ({what}), but your SP refused "
    "it: when clocks differ slightly, citizens are locked out. If a note says the declared skew "
    "probably exceeds your SP's allowance, set clock_skew_seconds (or the per-window setting) to it."
)


@sp_scenario(
    id="SP-DEST-09A",
    title="A Response whose Destination is another ACS is rejected",
    area=CONDITIONS,
    requirements=("SP-R-DEST-09",),
    explanation=_ELSEWHERE.format(what="another service's address (Destination)"),
)
def test_wrong_destination_is_rejected(sp: SpDriver) -> None:
    sp.check("wrong_destination")


@sp_scenario(
    id="SP-DEST-09C",
    title="A Response whose Destination merely starts with the ACS URL is rejected",
    area=CONDITIONS,
    requirements=("SP-R-DEST-09",),
    explanation=(
        "The ticket's Destination was your ACS URL with more appended, and your SP accepted it: it "
        "compares only the beginning of the address. Destination must be exactly the ACS URL."
    ),
)
def test_destination_extending_the_acs_url_is_rejected(sp: SpDriver) -> None:
    sp.check("destination_extends_acs")


@sp_scenario(
    id="SP-DEST-09B",
    title="A signed Response without Destination is rejected",
    area=CONDITIONS,
    requirements=("SP-R-DEST-09",),
    explanation=(
        "A signed ticket must say where it is going (Destination); without it a ticket could be "
        "replayed at any service that trusts 1177."
    ),
)
def test_signed_response_without_destination_is_rejected(sp: SpDriver) -> None:
    sp.check("missing_destination")


@sp_scenario(
    id="SP-RCPT-10",
    title="A Response whose SubjectConfirmationData Recipient is not the ACS is rejected",
    area=CONDITIONS,
    requirements=("SP-R-RCPT-10",),
    explanation=_ELSEWHERE.format(what="another service's address (Recipient)"),
)
def test_wrong_recipient_is_rejected(sp: SpDriver) -> None:
    sp.check("wrong_recipient")


@sp_scenario(
    id="SP-RCPT-10B",
    title="A Recipient that merely contains the ACS URL (another URL carrying it in its query) is rejected",
    area=CONDITIONS,
    requirements=("SP-R-RCPT-10",),
    explanation=_ELSEWHERE.format(
        what="another service's address that carries yours in its query (Recipient; your SP only looked "
        "for its ACS URL somewhere in the value)"
    ),
)
def test_recipient_containing_the_acs_url_is_rejected(sp: SpDriver) -> None:
    sp.check("recipient_contains_acs")


@sp_scenario(
    id="SP-RCPT-10C",
    title="A bearer SubjectConfirmationData without Recipient is rejected",
    area=CONDITIONS,
    requirements=("SP-R-RCPT-10",),
    explanation=(
        "The ticket's confirmation did not say which address it is for (no Recipient), and your SP "
        "accepted it: such a ticket could be used at any service that trusts 1177."
    ),
)
def test_missing_recipient_is_rejected(sp: SpDriver) -> None:
    sp.check("missing_recipient")


@sp_scenario(
    id="SP-AUD-11A",
    title="An Assertion whose Audience is another SP is rejected",
    area=CONDITIONS,
    requirements=("SP-R-AUD-11",),
    explanation=_ELSEWHERE.format(what="another service (Audience)"),
)
def test_wrong_audience_is_rejected(sp: SpDriver) -> None:
    sp.check("wrong_audience")


@sp_scenario(
    id="SP-AUD-11B",
    title="An Assertion without AudienceRestriction is rejected",
    area=CONDITIONS,
    requirements=("SP-R-AUD-11",),
    explanation=(
        "A ticket that names no audience is valid at every service; your SP must insist that it names yours."
    ),
)
def test_missing_audience_is_rejected(sp: SpDriver) -> None:
    sp.check("missing_audience")


@sp_scenario(
    id="SP-AUD-11C",
    title="An Assertion with a second AudienceRestriction that does not name the SP is rejected",
    area=CONDITIONS,
    requirements=("SP-R-AUD-11",),
    explanation=(
        "The ticket had two audience restrictions, one naming your SP and one naming only another "
        "service. A ticket is valid only for a service named in every restriction, so it was valid for "
        "nobody; your SP accepted it because one of them named it."
    ),
)
def test_second_audience_restriction_without_the_sp_is_rejected(sp: SpDriver) -> None:
    sp.check("second_audience_restriction")


@sp_scenario(
    id="SP-TIME-12A",
    title="An Assertion whose Conditions NotOnOrAfter passed beyond the skew is rejected",
    area=CONDITIONS,
    requirements=("SP-R-TIME-12",),
    explanation=_EXPIRED.format(what="Conditions NotOnOrAfter"),
)
def test_expired_conditions_are_rejected(sp: SpDriver) -> None:
    sp.check("conditions_expired")


@requires(CONDITIONS_SKEW)
@sp_scenario(
    id="SP-TIME-12B",
    title="An Assertion whose Conditions NotOnOrAfter passed within the skew is accepted",
    area=CONDITIONS,
    requirements=("SP-R-TIME-TOLERANCE",),
    explanation=_WITHIN_SKEW.format(what="Conditions NotOnOrAfter"),
)
def test_conditions_expired_within_skew_are_accepted(sp: SpDriver) -> None:
    sp.expect_within_skew("conditions_expired_within_skew", window="conditions")


@sp_scenario(
    id="SP-TIME-12C",
    title="An Assertion whose Conditions NotBefore lies beyond the skew in the future is rejected",
    area=CONDITIONS,
    requirements=("SP-R-TIME-12",),
    explanation=(
        "The ticket is not valid yet (NotBefore in the future beyond the clock skew), and your SP "
        "accepted it: a ticket minted ahead of time could be stored and used later."
    ),
)
def test_conditions_not_yet_valid_are_rejected(sp: SpDriver) -> None:
    sp.check("conditions_not_yet_valid")


@requires(CONDITIONS_SKEW)
@sp_scenario(
    id="SP-TIME-12D",
    title="An Assertion whose Conditions NotBefore lies within the skew in the future is accepted",
    area=CONDITIONS,
    requirements=("SP-R-TIME-TOLERANCE",),
    explanation=_WITHIN_SKEW.format(what="Conditions NotBefore"),
)
def test_conditions_not_yet_valid_within_skew_are_accepted(sp: SpDriver) -> None:
    sp.expect_within_skew("conditions_not_yet_valid_within_skew", window="conditions")


@sp_scenario(
    id="SP-TIME-12E",
    title="A bearer SubjectConfirmationData whose NotOnOrAfter passed beyond the skew is rejected",
    area=CONDITIONS,
    requirements=("SP-R-TIME-12",),
    explanation=_EXPIRED.format(what="SubjectConfirmationData NotOnOrAfter"),
)
def test_expired_subject_confirmation_is_rejected(sp: SpDriver) -> None:
    sp.check("subject_confirmation_expired")


@requires(SUBJECT_CONFIRMATION_SKEW)
@sp_scenario(
    id="SP-TIME-12F",
    title="A bearer SubjectConfirmationData whose NotOnOrAfter passed within the skew is accepted",
    area=CONDITIONS,
    requirements=("SP-R-TIME-TOLERANCE",),
    explanation=_WITHIN_SKEW.format(what="SubjectConfirmationData NotOnOrAfter"),
)
def test_subject_confirmation_expired_within_skew_is_accepted(sp: SpDriver) -> None:
    sp.expect_within_skew("subject_confirmation_expired_within_skew", window="subject_confirmation")


@sp_scenario(
    id="SP-BEARER-13A",
    title="A bearer SubjectConfirmationData carrying NotBefore is rejected",
    area=CONDITIONS,
    requirements=("SP-R-BEARER-NOTBEFORE",),
    explanation=(
        "The SAML profile forbids the IdP to put NotBefore on a bearer confirmation; your SP accepted "
        "one. No rule for the SP requires refusing it, so this is a warning: an SP that checks what the "
        "IdP must send catches a faulty or forged ticket earlier (defence in depth)."
    ),
)
def test_bearer_with_not_before_is_rejected(sp: SpDriver) -> None:
    sp.check("bearer_not_before")


@sp_scenario(
    id="SP-BEARER-13B",
    title="An Assertion without a bearer SubjectConfirmation is rejected",
    area=CONDITIONS,
    requirements=("SP-R-BEARER-13",),
    explanation=(
        "The ticket did not say the browser's bearer may use it (a different confirmation method), "
        "and your SP accepted it anyway."
    ),
)
def test_assertion_without_bearer_is_rejected(sp: SpDriver) -> None:
    sp.check("not_bearer")


@sp_scenario(
    id="SP-TIME-14",
    title="A Response issued too long ago (IssueInstant older than 3 min plus skew) is rejected",
    area=CONDITIONS,
    requirements=("SP-R-TIME-14",),
    explanation=(
        "The ticket was issued minutes ago; the Swedish eID profile wants SPs to refuse such old "
        "tickets, which limits how long a captured ticket is useful."
    ),
)
def test_old_issue_instant_is_rejected(sp: SpDriver) -> None:
    sp.check("issue_instant_too_old")
