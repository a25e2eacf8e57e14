"""Personnummer handling and matching (saml-1177.md checks 20-23, 25): the SP reads the agreed
attribute, accepts only a valid 12-digit number, matches on all 12 digits and never on the name."""

from __future__ import annotations

import pytest

from harness.mock_1177_idp.builder import AttributeProfile
from harness.mock_1177_idp.persons import Person
from harness.personnummer import is_samordningsnummer
from harness.sp_suite import checks
from harness.sp_suite.areas import PERSONNUMMER, sp_scenario
from harness.sp_suite.driver import LoginOptions, SpDriver

ATTR = "SC Attribute Specification §3.1"
SKV = "Skatteverket, Rättslig vägledning: Personnummer"
_MALFORMED = (
    "1177 sends the personnummer as 12 digits, no hyphen, with a valid date and check digit. Your SP "
    "accepted {what}; an SP that repairs or guesses at a malformed number can match the wrong person."
)
_AGREED = {AttributeProfile.EID: "urn:oid:1.2.752.29.4.13", AttributeProfile.LEGACY: "Subject_SerialNumber"}


@sp_scenario(
    id="SP-PNR-20A",
    title="An Assertion without the personnummer attribute is rejected",
    area=PERSONNUMMER,
    refs=("SC Attribute Specification §2 (ELN-AP-Pnr-01)", "sklintyg/minaintyg AuthenticationConstants"),
    requirements=("SP-R-PNR-20",),
    explanation=(
        "The ticket named the citizen but gave no personnummer, and your SP logged someone in anyway: "
        "without the personnummer it cannot know whose data to show."
    ),
)
def test_missing_personnummer_is_rejected(sp: SpDriver) -> None:
    sp.expect_rejected("personnummer_missing", ref="SC Attribute Specification §2")


@sp_scenario(
    id="SP-PNR-20B",
    title="The personnummer is read from the attribute the SP declared (each agreed name on its own)",
    area=PERSONNUMMER,
    refs=(ATTR, "saml-1177.md §1.3-1.4 (Subject_SerialNumber and urn:oid:1.2.752.29.4.13)"),
    requirements=("SP-R-PNR-20",),
    explanation=(
        "Your SP did not log the citizen in when the personnummer came under the attribute name it "
        "declared it reads. Check which attribute name your SP expects from 1177."
    ),
)
def test_personnummer_is_read_from_the_agreed_attribute(sp: SpDriver) -> None:
    profiles = [p for p in _AGREED if sp.env.attribute_profile in (p, AttributeProfile.BOTH)]
    for profile in profiles:
        sp.expect_accepted(options=LoginOptions(attribute_profile=profile), ref=ATTR)


@sp_scenario(
    id="SP-PNR-20C",
    title="A personnummer under an attribute name the SP did not declare is not used",
    area=PERSONNUMMER,
    refs=(ATTR,),
    requirements=("SP-R-PNR-20",),
    explanation=(
        "Your SP took the personnummer from an attribute name it did not declare. An SP must read the "
        "identity only from the agreed attribute, or a look-alike attribute could name someone else."
    ),
)
def test_personnummer_under_another_name_is_not_used(sp: SpDriver) -> None:
    if sp.env.attribute_profile is AttributeProfile.BOTH:
        pytest.skip("the target reads both attribute names, so no name is undeclared")
    other = next(p for p in _AGREED if p is not sp.env.attribute_profile)
    sp.expect_rejected(options=LoginOptions(attribute_profile=other), ref=ATTR)


@sp_scenario(
    id="SP-PNR-21A",
    title="A personnummer with a wrong check digit is rejected",
    area=PERSONNUMMER,
    refs=(ATTR, SKV),
    requirements=("SP-R-PNR-21",),
    explanation=_MALFORMED.format(what="a wrong check digit"),
)
def test_wrong_check_digit_is_rejected(sp: SpDriver) -> None:
    sp.expect_rejected("personnummer_bad_check_digit", ref=f"{ATTR}; {SKV}")


@sp_scenario(
    id="SP-PNR-21B",
    title="A 10-digit personnummer (no century) is rejected",
    area=PERSONNUMMER,
    refs=(ATTR, SKV),
    requirements=("SP-R-PNR-21",),
    explanation=_MALFORMED.format(what="the 10-digit form, which hides the century"),
)
def test_ten_digit_personnummer_is_rejected(sp: SpDriver) -> None:
    sp.expect_rejected("personnummer_10_digit", ref=f"{ATTR}; {SKV}")


@sp_scenario(
    id="SP-PNR-21C",
    title="A hyphenated personnummer (YYYYMMDD-NNNC) is rejected",
    area=PERSONNUMMER,
    refs=(ATTR, SKV),
    requirements=("SP-R-PNR-21",),
    explanation=_MALFORMED.format(what="a hyphenated number"),
)
def test_hyphenated_personnummer_is_rejected(sp: SpDriver) -> None:
    sp.expect_rejected("personnummer_hyphenated", ref=f"{ATTR}; {SKV}")


@sp_scenario(
    id="SP-PNR-21D",
    title="A personnummer with födelsenummer 000 is rejected",
    area=PERSONNUMMER,
    refs=(ATTR, SKV),
    requirements=("SP-R-PNR-21",),
    explanation=_MALFORMED.format(what="födelsenummer 000, which is never assigned"),
)
def test_serial_000_is_rejected(sp: SpDriver) -> None:
    sp.expect_rejected("personnummer_serial_000", ref=f"{ATTR}; {SKV}")


@sp_scenario(
    id="SP-PNR-21E",
    title="A personnummer with an impossible birth date is rejected",
    area=PERSONNUMMER,
    refs=(ATTR, SKV),
    requirements=("SP-R-PNR-21",),
    explanation=_MALFORMED.format(what="a birth date that does not exist (30 February)"),
)
def test_impossible_birth_date_is_rejected(sp: SpDriver) -> None:
    sp.expect_rejected("personnummer_impossible_date", ref=f"{ATTR}; {SKV}")


@sp_scenario(
    id="SP-PNR-21F",
    title="A personnummer attribute with two values is rejected",
    area=PERSONNUMMER,
    refs=(ATTR, SKV),
    requirements=("SP-R-PNR-21",),
    explanation=_MALFORMED.format(what="two personnummer in one attribute"),
)
def test_multi_valued_personnummer_is_rejected(sp: SpDriver) -> None:
    sp.expect_rejected("personnummer_multi_valued", ref=f"{ATTR}; {SKV}")


@sp_scenario(
    id="SP-PNR-22",
    title="A samordningsnummer is accepted or rejected as the SP's declared policy says",
    area=PERSONNUMMER,
    refs=("SC Entity Categories §6.2", "SKVM 2010:3", "Region Kronoberg FAQ (1177 requires a personnummer)"),
    requirements=("SP-R-PNR-22",),
    explanation=(
        "Your SP did not handle a samordningsnummer (coordination number, day + 60) the way its "
        "declared policy says: it either turns away people it says it serves, or matches numbers it "
        "says it does not accept."
    ),
)
def test_samordningsnummer_follows_the_policy(sp: SpDriver) -> None:
    holders = [c.personnummer for c in sp.env.sp.contacts if is_samordningsnummer(c.personnummer)]
    if not holders:
        pytest.skip(
            "the target declares no contact with a samordningsnummer; without one, acceptance and "
            "rejection look the same"
        )
    person = sp.env.person(holders[0])
    ref = "SC Entity Categories §6.2"
    if sp.env.sp.accepts_samordningsnummer:
        sp.expect_accepted(person=person, ref=ref)
        return
    sp.positive_control()
    attempt = sp.login(person)
    sp.judge(sp.rejected(attempt, ref=ref))


@sp_scenario(
    id="SP-PNR-22B",
    title="A previousPersonalIdentityNumber beside the personnummer never changes whom the SP logs in",
    area=PERSONNUMMER,
    refs=("SC Attribute Specification §3.2.6 (previousPersonalIdentityNumber)", ATTR),
    requirements=("SP-R-PREVIOUS-PNR",),
    explanation=(
        "When a samordningsnummer is replaced by a personnummer, the ticket may also carry the old "
        "number as previousPersonalIdentityNumber. Your SP did not log the citizen in as the contact "
        "named by personalIdentityNumber, or showed the data of whoever held the previous number."
    ),
)
def test_previous_personnummer_never_decides_the_match(sp: SpDriver) -> None:
    # The mutation's previous number is Skatteverket's test samordningsnummer 191401682396: when the
    # target holds it as a contact (the reference SP does), matching on it would show that data.
    with_personnummer = [n for n in sp.env.login_contacts if not is_samordningsnummer(n)]
    if not with_personnummer:
        pytest.skip("the target declares no contact with a personnummer (only samordningsnummer)")
    person = sp.env.person(with_personnummer[0])
    sp.expect_accepted("previous_personnummer", person=person, ref="SC Attribute Specification §3.2.6")


@sp_scenario(
    id="SP-PNR-23",
    title="A person sharing a contact's last 10 digits but born a century later is not that contact",
    area=PERSONNUMMER,
    refs=(SKV + " (the + sign hides the century)", "eSam/SPAR: always store the century"),
    requirements=("SP-R-PNR-23",),
    explanation=(
        "Two people can share the same 10-digit personnummer a hundred years apart. Your SP gave "
        "the younger one the older contact's data: it matches on the short form instead of all 12 "
        "digits."
    ),
)
def test_century_twin_is_not_matched_to_the_contact(sp: SpDriver) -> None:
    twin = sp.env.sp.century_twin
    if twin is None:
        pytest.skip("the target declares no century_twin pair")
    contact, younger = sp.env.person(twin[0]), sp.env.person(twin[1])
    sp.positive_control(contact)
    attempt = sp.login(younger)
    ref = "SC Attribute Specification §3.1 (12 digits)"
    sp.judge(checks.session_not_for(attempt, contact.personnummer, ref=ref))
    sp.judge(checks.shows_no_marker(attempt, sp.env.markers, ref=ref))


# Multi-word given names (CGI sends all of them), å/ä/ö and é, and a long surname (SC Attr. Spec §3.1.1).
_UNUSUAL_GIVEN = "Åsa-Britt Märta Éloïse"
_UNUSUAL_SURNAME = "Öberg-Ståhlberg af Kærnæs " + "Löwenhjelm-" * 6 + "Ängström"


@sp_scenario(
    id="SP-PNR-25A",
    title="Multi-word, non-ASCII and very long names still log the contact in and show correctly",
    area=PERSONNUMMER,
    refs=(
        "SC Attribute Specification §3.1.1 (UTF-8)",
        "saml-1177.md §1.3 (Subject_GivenName 'Fredrik Freddy')",
    ),
    requirements=("SP-R-PNR-25",),
    explanation=(
        "A citizen with several given names, Swedish letters or a long name could not log in, or saw "
        "their name garbled. Names must be shown as sent, and the login must rest on the personnummer."
    ),
)
def test_unusual_names_log_in_and_show_correctly(sp: SpDriver) -> None:
    contact = sp.contact()
    person = Person(contact.personnummer, _UNUSUAL_GIVEN, _UNUSUAL_SURNAME)
    attempt = sp.expect_accepted(person=person, ref="SC Attribute Specification §3.1.1")
    sp.judge(checks.names_not_garbled(attempt, (_UNUSUAL_GIVEN, _UNUSUAL_SURNAME)))


@sp_scenario(
    id="SP-PNR-25B",
    title="A person with a contact's exact name but another personnummer gets none of that contact's data",
    area=PERSONNUMMER,
    refs=("saml-1177.md §2.3 pitfall 6 (names are unreliable for matching)", ATTR),
    requirements=("SP-R-PNR-25",),
    explanation=(
        "Your SP matched a citizen to a contact by name. Many people share a name, so a stranger with "
        "the same name as one of your contacts saw that contact's training programs."
    ),
)
def test_name_is_never_the_match_key(sp: SpDriver) -> None:
    declared = next((c for c in sp.env.sp.contacts if c.given_name and c.surname and c.data_marker), None)
    if declared is None:
        pytest.skip(
            "the target declares no contact's name (given_name, surname), so a namesake cannot be made"
        )
    contact = sp.env.person(declared.personnummer)
    namesake = Person(sp.stranger().personnummer, declared.given_name, declared.surname)
    sp.positive_control(contact)
    attempt = sp.login(namesake)
    ref = "saml-1177.md §2.3 (match on the 12-digit personnummer only)"
    sp.judge(checks.session_not_for(attempt, contact.personnummer, ref=ref))
    sp.judge(checks.shows_no_marker(attempt, sp.env.markers, ref=ref))
