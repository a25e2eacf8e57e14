"""Data isolation: the SP shows a logged-in citizen only their own contact's data, a person without
a contact gets none, and a new login in the same browser replaces the old session entirely."""

from __future__ import annotations

from harness.sp_suite import checks
from harness.sp_suite.areas import DATA_ISOLATION, sp_scenario
from harness.sp_suite.driver import SpDriver
from harness.sp_suite.preconditions import DATA_PAGES, TWO_CONTACTS, requires


@requires(DATA_PAGES)
@sp_scenario(
    id="SP-DATA-24A",
    title="Each contact, logged in, sees their own data and none of another contact's",
    area=DATA_ISOLATION,
    requirements=("SP-R-DATA-01",),
    explanation=(
        "A logged-in citizen saw training programs that belong to another contact. Health data "
        "must only ever be shown to the person it belongs to."
    ),
)
def test_each_contact_sees_only_their_own_data(sp: SpDriver) -> None:
    for index in range(len(sp.env.login_contacts)):
        person = sp.contact(index)
        sp.judge(sp.accepted(sp.login(person), person))


@sp_scenario(
    id="SP-DATA-24B",
    title="A person who is no contact of the SP gets no data",
    area=DATA_ISOLATION,
    requirements=("SP-R-DATA-02",),
    explanation=(
        "A citizen your service does not know was shown data, or was logged in as one of your "
        "contacts. Someone without a contact must get an empty page and nothing else."
    ),
)
def test_a_person_without_contact_gets_no_data(sp: SpDriver) -> None:
    sp.positive_control()
    attempt = sp.login(sp.stranger())
    for personnummer in sp.env.login_contacts:
        sp.judge(checks.session_not_for(attempt, personnummer, rule=sp.rule))
    sp.judge(checks.shows_no_marker(attempt, sp.env.markers, rule=sp.rule))


@requires(TWO_CONTACTS)
@sp_scenario(
    id="SP-DATA-24C",
    title="A second login in the same browser, as another person, replaces the first session",
    area=DATA_ISOLATION,
    requirements=("SP-R-DATA-03",),
    explanation=(
        "After a second person logged in on the same computer, your SP still showed the first "
        "person's data or kept the first session. When the personnummer changes, the old session must go."
    ),
)
def test_a_new_login_replaces_the_session(sp: SpDriver) -> None:
    first, second = sp.contact(0), sp.contact(1)
    earlier = sp.positive_control(first)
    later = sp.login(second, browser=earlier.browser)
    sp.judge(sp.accepted(later, second))
