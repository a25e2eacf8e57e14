"""Time mutations: validity windows and ages just beyond, or well within, the target's clock skew.

"Beyond" = skew + 60 s, "within" = skew / 2 (BuildContext), never within a second of the edge; each
window uses the SP's declared skew for that window (ResponseOptions.skew: Conditions, or the bearer
SubjectConfirmationData).
Time comes from the injected clock, so every instant is exact. Rules: SAML Core 2.5.1.2;
SAML Profiles 4.1.4.2/4.1.4.3; SC Deployment Profile §6.3.2, §6.3.3, §6.3.5.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from lxml import etree

from harness.core.clock import saml_instant
from harness.mock_1177_idp.elements import find
from harness.mock_1177_idp.pipeline import (
    ASSERTION_LIFETIME,
    BuildContext,
    Draft,
    Expect,
    MutationNotApplicable,
    Stage,
    mutation,
)
from harness.saml_profile import MAX_RESPONSE_AGE_SECONDS

__all__ = ["CATALOGUE"]

_MAX_AGE = timedelta(seconds=MAX_RESPONSE_AGE_SECONDS)
_SCD_PATH = "saml:Subject/saml:SubjectConfirmation/saml:SubjectConfirmationData"


def _within(skew_seconds: int, ctx: BuildContext) -> timedelta:
    if skew_seconds < 2:
        raise MutationNotApplicable("a within-skew case needs a declared skew of 2 s or more for the window")
    return ctx.within(skew_seconds)


def _conditions(draft: Draft) -> etree._Element:
    return find(draft.response, "saml:Assertion/saml:Conditions")


def _window_ending(draft: Draft, not_on_or_after: datetime) -> None:
    # The whole window moves, so NotBefore stays before NotOnOrAfter (SAML Core 2.5.1.2).
    conditions = _conditions(draft)
    conditions.set("NotBefore", saml_instant(not_on_or_after - ASSERTION_LIFETIME))
    conditions.set("NotOnOrAfter", saml_instant(not_on_or_after))


def _window_starting(draft: Draft, not_before: datetime) -> None:
    conditions = _conditions(draft)
    conditions.set("NotBefore", saml_instant(not_before))
    conditions.set("NotOnOrAfter", saml_instant(not_before + ASSERTION_LIFETIME))


@mutation(Stage.CONTENT, Expect.REJECT, "SP-R-TIME-12")
def conditions_expired(draft: Draft, ctx: BuildContext) -> None:
    """The Conditions window ended skew + 60 s ago (NotOnOrAfter = now − skew − 60 s; NotBefore
    5 minutes before that)."""
    _window_ending(draft, ctx.now - ctx.beyond(ctx.skew.conditions))


@mutation(Stage.CONTENT, Expect.ACCEPT, "SP-R-TIME-TOLERANCE")
def conditions_expired_within_skew(draft: Draft, ctx: BuildContext) -> None:
    """POSITIVE: the Conditions window ended skew/2 ago (NotOnOrAfter = now − skew/2), which the
    SP's clock skew must tolerate."""
    _window_ending(draft, ctx.now - _within(ctx.skew.conditions, ctx))


@mutation(Stage.CONTENT, Expect.REJECT, "SP-R-TIME-12")
def conditions_not_yet_valid(draft: Draft, ctx: BuildContext) -> None:
    """The Conditions window starts skew + 60 s from now (NotBefore = now + skew + 60 s;
    NotOnOrAfter 5 minutes after that)."""
    _window_starting(draft, ctx.now + ctx.beyond(ctx.skew.conditions))


@mutation(Stage.CONTENT, Expect.ACCEPT, "SP-R-TIME-TOLERANCE")
def conditions_not_yet_valid_within_skew(draft: Draft, ctx: BuildContext) -> None:
    """POSITIVE: the Conditions window starts skew/2 from now (NotBefore = now + skew/2)."""
    _window_starting(draft, ctx.now + _within(ctx.skew.conditions, ctx))


@mutation(Stage.CONTENT, Expect.REJECT, "SP-R-TIME-12")
def subject_confirmation_expired(draft: Draft, ctx: BuildContext) -> None:
    """SubjectConfirmationData NotOnOrAfter = now − skew − 60 s (Conditions stay valid)."""
    data = find(draft.response, f"saml:Assertion/{_SCD_PATH}")
    data.set("NotOnOrAfter", saml_instant(ctx.now - ctx.beyond(ctx.skew.subject_confirmation)))


@mutation(Stage.CONTENT, Expect.ACCEPT, "SP-R-TIME-TOLERANCE")
def subject_confirmation_expired_within_skew(draft: Draft, ctx: BuildContext) -> None:
    """POSITIVE: SubjectConfirmationData NotOnOrAfter = now − skew/2."""
    data = find(draft.response, f"saml:Assertion/{_SCD_PATH}")
    data.set("NotOnOrAfter", saml_instant(ctx.now - _within(ctx.skew.subject_confirmation, ctx)))


@mutation(Stage.CONTENT, Expect.REJECT, "SP-R-BEARER-NOTBEFORE")
def bearer_not_before(draft: Draft, ctx: BuildContext) -> None:
    """The bearer SubjectConfirmationData carries NotBefore (= now, otherwise harmless)."""
    find(draft.response, f"saml:Assertion/{_SCD_PATH}").set("NotBefore", saml_instant(ctx.now))


@mutation(Stage.CONTENT, Expect.REJECT, "SP-R-TIME-14")
def issue_instant_too_old(draft: Draft, ctx: BuildContext) -> None:
    """The Response and Assertion were issued (and the user authenticated) 180 s + skew + 60 s ago;
    every validity window is left current, so only the age is wrong."""
    old = saml_instant(ctx.now - ctx.beyond(ctx.skew.largest) - _MAX_AGE)
    draft.response.set("IssueInstant", old)
    assertion = find(draft.response, "saml:Assertion")
    assertion.set("IssueInstant", old)
    find(assertion, "saml:AuthnStatement").set("AuthnInstant", old)


CATALOGUE = (
    conditions_expired,
    conditions_expired_within_skew,
    conditions_not_yet_valid,
    conditions_not_yet_valid_within_skew,
    subject_confirmation_expired,
    subject_confirmation_expired_within_skew,
    bearer_not_before,
    issue_instant_too_old,
)
