"""Instants at the edge of what a dateTime holds, validly signed: judged by the rules, never a 500.

A NotOnOrAfter of 9999-12-31T23:59:59Z is the latest instant Python's datetime holds; adding the
clock skew to it overflowed (an OverflowError, answered 500). SAML does not bound NotOnOrAfter
(SAML Core 2.5.1.2; Profiles 4.1.4.2), so such an assertion is accepted while it is fresh (SC
Deployment Profile §6.3.5 bounds its age by IssueInstant) and its IDs stay in the replay cache.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from lxml import etree

from harness.core.xml import NS
from harness.reference_sp import ContactRow

from .helpers import SpDriver, person_of

_LATEST = "9999-12-31T23:59:59Z"


def _valid_until(value: str) -> Callable[[etree._Element], None]:
    def edit(root: etree._Element) -> None:
        conditions = root.find("saml:Assertion/saml:Conditions", NS)
        data = root.find(
            "saml:Assertion/saml:Subject/saml:SubjectConfirmation/saml:SubjectConfirmationData", NS
        )
        assert conditions is not None and data is not None
        conditions.set("NotOnOrAfter", value)
        data.set("NotOnOrAfter", value)

    return edit


def _issued_at(value: str) -> Callable[[etree._Element], None]:
    def edit(root: etree._Element) -> None:
        root.set("IssueInstant", value)

    return edit


@pytest.mark.parametrize("latest", [_LATEST, "9999-12-31T23:59:59-14:00", "9999-12-31T23:59:59+14:00"])
def test_a_not_on_or_after_in_year_9999_is_accepted_once_and_its_replay_refused(
    sp: SpDriver, contacts: tuple[ContactRow, ...], latest: str
) -> None:
    person = person_of(contacts[0])
    spec = sp.spec(person, solicited=False)
    assert sp.post_edited(spec, _valid_until(latest)).status_code == 303
    status, who = sp.whoami()
    assert status == 200 and who["personnummer"] == person.personnummer
    replaying = sp.new_browser()
    replayed = replaying.post_raw(sp.last_xml, spec.relay_state)
    assert replayed.status_code == 200  # the SP's error page (SAML Bindings 3.5.6), not a 500
    assert replaying.whoami()[0] == 401  # SAML Profiles 4.1.4.5: the IDs are still remembered


@pytest.mark.parametrize(
    "edit",
    [_issued_at(_LATEST), _issued_at("0001-01-01T00:00:00Z"), _valid_until("0001-01-01T00:00:00Z")],
    ids=["IssueInstant 9999", "IssueInstant 0001", "NotOnOrAfter 0001"],
)
def test_instants_at_either_end_of_the_calendar_are_refused_without_a_server_error(
    sp: SpDriver, contacts: tuple[ContactRow, ...], edit: Callable[[etree._Element], None]
) -> None:
    answer = sp.post_edited(sp.spec(person_of(contacts[0]), solicited=False), edit)
    assert answer.status_code == 200  # a rejection page: SAML-level errors are not HTTP errors
    assert sp.whoami()[0] == 401
