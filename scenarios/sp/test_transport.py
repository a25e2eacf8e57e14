"""Transport (saml-1177.md check 29): the ACS is reached over TLS, and a failed SAML login is told to
the citizen on a page, not through an HTTP error status."""

from __future__ import annotations

from harness.sp_suite import checks
from harness.sp_suite.areas import TRANSPORT, sp_scenario
from harness.sp_suite.driver import SpDriver


@sp_scenario(
    id="SP-TLS-29A",
    title="The AssertionConsumerService is served over TLS (target file and SP metadata)",
    area=TRANSPORT,
    refs=("SC Deployment Profile §6.1",),
    requirements=("SP-R-TLS-29",),
    explanation=(
        "Your login endpoint accepts tickets over plain HTTP. The ticket carries the citizen's "
        "personnummer and works as a key to their data: it must only travel encrypted (HTTPS)."
    ),
)
def test_acs_is_served_over_tls(sp: SpDriver) -> None:
    sp.positive_control()
    sp.judge(checks.acs_served_over_tls((sp.env.sp.acs_url, *sp.env.sp_info.acs_urls)))


@sp_scenario(
    id="SP-TLS-29B",
    title="A SAML error Response is answered with a page, not an HTTP error status",
    area=TRANSPORT,
    refs=("SAML Bindings 3.5.6",),
    requirements=("SP-R-TLS-29B",),
    explanation=(
        "When 1177 reported a failed or cancelled login, your SP answered with an HTTP error code. "
        "The browser is not a party to SAML: tell the citizen on a normal page what happened."
    ),
)
def test_saml_error_is_not_an_http_error(sp: SpDriver) -> None:
    attempt = sp.expect_rejected("status_cancel_requester", ref="SAML Bindings 3.5.6")
    sp.judge(checks.no_http_error_for_saml_error(attempt))
