"""Transport: the ACS is reached over TLS, and a failed SAML login is told to the citizen on a page,
not through an HTTP error status (a SHOULD: SAML Bindings 3.5.6 binds the IdP, not the SP)."""

from __future__ import annotations

from harness.sp_suite import checks
from harness.sp_suite.areas import TRANSPORT, sp_scenario
from harness.sp_suite.driver import SpDriver


@sp_scenario(
    id="SP-TLS-29A",
    title="The AssertionConsumerService is served over TLS (target file and SP metadata)",
    area=TRANSPORT,
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
    requirements=("SP-R-TLS-29B",),
    explanation=(
        "When 1177 reported a failed or cancelled login, your SP answered with an HTTP error code. "
        "The rule against HTTP error codes binds the IdP, and 1177's own Shibboleth SPs answer 500, so "
        "this is a warning: tell the citizen on a normal page what happened."
    ),
)
def test_saml_error_is_not_an_http_error(sp: SpDriver) -> None:
    sp.positive_control()
    attempt = sp.login(sp.contact(), sp.options("status_cancel_requester"))  # the login itself: SP-STAT-17A
    sp.judge(checks.no_http_error_for_saml_error(attempt))
