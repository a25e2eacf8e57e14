"""Replay and InResponseTo (saml-1177.md checks 15-16): a ticket is used once, and a solicited one
answers a request this browser really made. Whether unsolicited (IdP-initiated) login is allowed is
the SP's declared policy; the scenario checks the SP keeps it."""

from __future__ import annotations

from harness.sp_suite.areas import REPLAY, sp_scenario
from harness.sp_suite.driver import SpDriver


@sp_scenario(
    id="SP-RPL-15",
    title="The same Response posted a second time is rejected",
    area=REPLAY,
    refs=("SAML Profiles 4.1.4.5", "SC Deployment Profile §6.3.5"),
    requirements=("SP-R-RPL-15",),
    explanation=(
        "A ticket that already logged someone in was accepted again. Anyone who captures a ticket "
        "(browser history, a proxy log) can log in as that citizen until it expires."
    ),
)
def test_replayed_response_is_rejected(sp: SpDriver) -> None:
    # Unsolicited where allowed: then only a replay cache, not InResponseTo bookkeeping, can stop it.
    flow = "unsolicited" if sp.env.sp.allow_unsolicited else sp.default_flow
    person = sp.contact()
    first = sp.login(person, flow=flow)
    sp.record.positive_control("first use of the Response", sp.accepted(first, person))
    second = sp.replay(first)
    sp.judge(sp.rejected(second, ref="SAML Profiles 4.1.4.5"))


@sp_scenario(
    id="SP-IRT-16A",
    title="A solicited Response whose InResponseTo names no outstanding request is rejected",
    area=REPLAY,
    refs=("SAML Core 3.2.2", "SAML Profiles 4.1.4.3", "SC Deployment Profile §6.3.2"),
    requirements=("SP-R-IRT-16",),
    explanation=(
        "The ticket claimed to answer a login request your SP never sent in this browser; accepting "
        "it lets a ticket obtained elsewhere be injected into a citizen's browser."
    ),
)
def test_wrong_in_response_to_is_rejected(sp: SpDriver) -> None:
    sp.expect_rejected("wrong_in_response_to", flow=sp.sp_initiated_or_skip(), ref="SAML Core 3.2.2")


@sp_scenario(
    id="SP-IRT-16B",
    title="An unsolicited Response carrying InResponseTo is rejected",
    area=REPLAY,
    refs=("SAML Core 3.2.2", "SAML Profiles 4.1.5"),
    requirements=("SP-R-IRT-16",),
    explanation=(
        "An IdP-initiated ticket must not claim to answer a request; your SP accepted one that "
        "answers a request it never made."
    ),
)
def test_unsolicited_response_with_in_response_to_is_rejected(sp: SpDriver) -> None:
    sp.expect_rejected("unexpected_in_response_to", flow=sp.unsolicited_or_skip(), ref="SAML Profiles 4.1.5")


@sp_scenario(
    id="SP-IRT-16C",
    title="An unsolicited Response is accepted only if the SP's policy allows IdP-initiated login",
    area=REPLAY,
    refs=("SAML Profiles 4.1.5", "SC Deployment Profile §6.1"),
    requirements=("SP-R-IRT-16C",),
    explanation=(
        "Your SP did not do what its declared policy says for a login that starts at 1177 "
        "(unsolicited): it either refuses 1177's jump-out or accepts tickets it says it refuses."
    ),
)
def test_unsolicited_response_follows_the_policy(sp: SpDriver) -> None:
    if sp.env.sp.allow_unsolicited:
        sp.expect_accepted(flow="unsolicited", ref="SAML Profiles 4.1.5")
    else:
        control = sp.sp_initiated_or_skip()
        sp.expect_rejected(flow="unsolicited", control_flow=control, ref="SC Deployment Profile §6.1")
