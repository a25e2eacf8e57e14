"""Nothing goes back to 1177: the jump-out is one-way (1177's description of the integration: the
citizen's name and personnummer go to the vendor's service, and nothing returns). Each scenario
drives its own visit (every contact logs in, opens the data pages, a stranger is refused) and judges
what reached 1177's side during that visit, so its verdict never depends on what else ran."""

from __future__ import annotations

from datetime import UTC, datetime

from harness.sp_suite import nothing_back as checks
from harness.sp_suite.areas import NOTHING_BACK, sp_scenario
from harness.sp_suite.driver import SpDriver
from harness.sp_suite.preconditions import PROXY, requires


@sp_scenario(
    id="SP-BACK-01",
    title="The SP never calls 1177 itself: every request 1177 received came from the citizen's browser "
    "(a GET of 1177's published metadata aside)",
    area=NOTHING_BACK,
    requirements=("SP-R-BACK-01",),
    explanation=(
        "Your SP contacted 1177 directly (a back-channel call) during the test run. The 1177 "
        "jump-out is one-way: nothing about the citizen's visit to your service may flow back to 1177. "
        "Only a GET of 1177's published IdP metadata, carrying no personal data, is allowed (it is "
        "shown as information)."
    ),
)
def test_no_back_channel_to_1177(sp: SpDriver) -> None:
    since = datetime.now(UTC)
    sp.positive_control()
    sp.exercise()
    traffic = sp.env.idp_traffic(since)
    sp.record.attach(traffic)
    idp = sp.env.idp_side()
    sp.judge(checks.no_back_channel(traffic, sp.env.browser_marker, idp))
    sp.judge(checks.idp_metadata_fetched(traffic, sp.env.browser_marker, idp))


@sp_scenario(
    id="SP-BACK-02",
    title="No request that reached 1177 carries a personnummer or a name (URL, query, body)",
    area=NOTHING_BACK,
    requirements=("SP-R-BACK-02",),
    explanation=(
        "Personal data (a personnummer or a name) reached 1177 from your service, in a link or a "
        "form the citizen's browser was sent to. Nothing about the citizen may go back to 1177."
    ),
)
def test_no_personal_data_reaches_1177(sp: SpDriver) -> None:
    since = datetime.now(UTC)
    sp.positive_control()
    sp.exercise()
    traffic = sp.env.idp_traffic(since)
    sp.record.attach(traffic)
    sp.judge(checks.no_personal_data_sent_to_idp(traffic, sp.env.personal_data()))


@sp_scenario(
    id="SP-BACK-03",
    title="No redirect the SP sends points at 1177 with personal data",
    area=NOTHING_BACK,
    requirements=("SP-R-BACK-02",),
    explanation=(
        "After a login your SP redirected the browser to 1177 with the citizen's personnummer or name "
        "in the address. That hands personal data back to 1177."
    ),
)
def test_no_redirect_to_1177_with_personal_data(sp: SpDriver) -> None:
    since = datetime.now(UTC)
    sp.positive_control()
    hops = tuple(hop for attempt in sp.exercise() for hop in attempt.evidence)
    sp.record.attach(sp.env.idp_traffic(since))
    sp.judge(checks.no_redirect_to_idp_with_personal_data(hops, sp.env.idp_side()))


@requires(PROXY)
@sp_scenario(
    id="SP-BACK-04",
    title="The SP makes no outbound call to 1177, and sends no personal data out, through its HTTP(S) proxy",
    area=NOTHING_BACK,
    requirements=("SP-R-BACK-01",),
    explanation=(
        "Through its outbound proxy, your SP called 1177's host, or sent a citizen's personnummer or "
        "name out, during the run: a back-channel. The 1177 jump-out is one-way."
    ),
)
def test_no_outbound_call_through_the_proxy(sp: SpDriver) -> None:
    since = datetime.now(UTC)
    sp.positive_control()
    sp.exercise()
    calls = sp.env.outbound_calls(since)
    sp.record.attach(calls)
    idp = sp.env.idp_side()
    sp.judge(checks.no_outbound_call_to_idp(calls, idp))
    sp.judge(checks.idp_metadata_fetched(calls, sp.env.browser_marker, idp))
    sp.judge(checks.no_personal_data_in_outbound_calls(calls, sp.env.personal_data()))
