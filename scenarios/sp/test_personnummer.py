"""Personnummer handling and matching: the SP reads the agreed attribute, matches on all 12 digits and
never on the name, keeps its samordningsnummer policy, and refuses a malformed number (the form rules
bind the IdP, so those are SHOULD: the SP checking them is defence in depth)."""

from __future__ import annotations

from harness.mock_1177_idp.builder import AttributeProfile
from harness.mock_1177_idp.persons import Person
from harness.personnummer import is_samordningsnummer
from harness.sp_suite import checks
from harness.sp_suite.areas import PERSONNUMMER, sp_scenario
from harness.sp_suite.driver import SpDriver
from harness.sp_suite.preconditions import (
    CENTURY_TWIN,
    NAMED_CONTACT,
    ONE_ATTRIBUTE_NAME,
    PERSONNUMMER_CONTACT,
    requires,
)

_MALFORMED = (
    "1177 sends the personnummer as 12 digits, no hyphen, with a valid date and check digit. Your SP "
    "accepted {what}. The IdP must never send such a value, so this is a warning; but an SP that "
    "repairs or guesses at a malformed number can match the wrong person."
)
_AGREED = (AttributeProfile.EID, AttributeProfile.LEGACY)


@sp_scenario(
    id="SP-PNR-20A",
    title="An Assertion without the personnummer attribute is rejected",
    area=PERSONNUMMER,
    requirements=("SP-R-PNR-20",),
    explanation=(
        "The ticket named the citizen but gave no personnummer, and your SP logged someone in anyway: "
        "without the personnummer it cannot know whose data to show."
    ),
)
def test_missing_personnummer_is_rejected(sp: SpDriver) -> None:
    sp.check("personnummer_missing")


@sp_scenario(
    id="SP-PNR-20B",
    title="The personnummer is read from the attribute the SP declared (each agreed name on its own)",
    area=PERSONNUMMER,
    requirements=("SP-R-PNR-20",),
    explanation=(
        "Your SP did not log the citizen in when the personnummer came under the attribute name it "
        "declared it reads. Check which attribute name your SP expects from 1177 (personnummer_attribute)."
    ),
)
def test_personnummer_is_read_from_the_agreed_attribute(sp: SpDriver) -> None:
    declared = sp.env.attribute_profile
    for profile in [p for p in _AGREED if declared in (p, AttributeProfile.BOTH)]:
        sp.expect_accepted(options=sp.options(attribute_profile=profile))


@requires(ONE_ATTRIBUTE_NAME)
@sp_scenario(
    id="SP-PNR-20C",
    title="A personnummer under an attribute name the SP did not declare is not used",
    area=PERSONNUMMER,
    requirements=("SP-R-PNR-20C",),
    explanation=(
        "Your SP took the personnummer from an attribute name it did not declare. The IdP signs every "
        'attribute, so this is a warning: either declare personnummer_attribute = "both", or have your '
        "SP read only the agreed name."
    ),
)
def test_personnummer_under_another_name_is_not_used(sp: SpDriver) -> None:
    other = next(p for p in _AGREED if p is not sp.env.attribute_profile)
    sp.expect_rejected(options=sp.options(attribute_profile=other))


@sp_scenario(
    id="SP-PNR-21A",
    title="A personnummer with a wrong check digit is rejected",
    area=PERSONNUMMER,
    requirements=("SP-R-PNR-21",),
    explanation=_MALFORMED.format(what="a wrong check digit"),
)
def test_wrong_check_digit_is_rejected(sp: SpDriver) -> None:
    sp.check("personnummer_bad_check_digit")


@sp_scenario(
    id="SP-PNR-21B",
    title="A 10-digit personnummer (no century) is rejected",
    area=PERSONNUMMER,
    requirements=("SP-R-PNR-21",),
    explanation=_MALFORMED.format(what="the 10-digit form, which hides the century"),
)
def test_ten_digit_personnummer_is_rejected(sp: SpDriver) -> None:
    sp.check("personnummer_10_digit")


@sp_scenario(
    id="SP-PNR-21C",
    title="A hyphenated personnummer (YYYYMMDD-NNNC) is rejected",
    area=PERSONNUMMER,
    requirements=("SP-R-PNR-21",),
    explanation=_MALFORMED.format(what="a hyphenated number"),
)
def test_hyphenated_personnummer_is_rejected(sp: SpDriver) -> None:
    sp.check("personnummer_hyphenated")


@sp_scenario(
    id="SP-PNR-21D",
    title="A personnummer with födelsenummer 000 is rejected",
    area=PERSONNUMMER,
    requirements=("SP-R-PNR-21",),
    explanation=_MALFORMED.format(what="födelsenummer 000, which is never assigned"),
)
def test_serial_000_is_rejected(sp: SpDriver) -> None:
    sp.check("personnummer_serial_000")


@sp_scenario(
    id="SP-PNR-21E",
    title="A personnummer with an impossible birth date is rejected",
    area=PERSONNUMMER,
    requirements=("SP-R-PNR-21",),
    explanation=_MALFORMED.format(what="a birth date that does not exist (30 February)"),
)
def test_impossible_birth_date_is_rejected(sp: SpDriver) -> None:
    sp.check("personnummer_impossible_date")


@sp_scenario(
    id="SP-PNR-21F",
    title="A personnummer attribute with two values is rejected",
    area=PERSONNUMMER,
    requirements=("SP-R-PNR-21",),
    explanation=_MALFORMED.format(what="two personnummer in one attribute"),
)
def test_multi_valued_personnummer_is_rejected(sp: SpDriver) -> None:
    sp.check("personnummer_multi_valued")


@sp_scenario(
    id="SP-PNR-21G",
    title="A signed personnummer value of 13 digits (a comment before the last one) is rejected",
    area=PERSONNUMMER,
    requirements=("SP-R-PNR-21",),
    explanation=_MALFORMED.format(
        what="a 13-digit value (another contact's personnummer, a comment and one more digit) as a "
        "personnummer; read whole, it is no personnummer at all"
    ),
)
def test_thirteen_digit_value_is_rejected(sp: SpDriver) -> None:
    # Judged here is only the form of the value read whole: acting on the text before the comment (the
    # other contact's personnummer) is SP-SIG-07C's fault, not this scenario's.
    person = sp.contact()
    thirteen_digits = f"{sp.env.other_person_for(person).personnummer}0"
    sp.positive_control(person)
    attempt = sp.login(person, sp.options("comment_hides_personnummer_suffix"))
    sp.judge(checks.session_not_for(attempt, thirteen_digits, rule=sp.rule))


def _test_samordningsnummer(sp: SpDriver) -> str:
    """A Skatteverket test samordningsnummer that is no contact of the target."""
    held = {c.personnummer for c in sp.env.sp.contacts}
    return next(n for n in sp.env.numbers.samordningsnummer if n not in held)


@sp_scenario(
    id="SP-PNR-22",
    title="A samordningsnummer is accepted or refused as the SP's declared policy says",
    area=PERSONNUMMER,
    requirements=("SP-R-PNR-22",),
    explanation=(
        "Your SP did not handle a samordningsnummer (coordination number, day + 60) the way its "
        "declared policy says (accepts_samordningsnummer): it started a session for a samordningsnummer "
        "it says it refuses, or turned away a contact it says it serves. The IdP should not send one to "
        "an SP that has not declared it accepts them, so this is a warning."
    ),
)
def test_samordningsnummer_follows_the_policy(sp: SpDriver) -> None:
    sp.positive_control()
    stranger = sp.env.person(_test_samordningsnummer(sp))
    attempt = sp.login(stranger)
    if sp.env.sp.accepts_samordningsnummer:  # a session, if any, only for that number, with no one's data
        sp.judge(checks.shows_no_marker(attempt, sp.env.markers, rule=sp.rule))
    else:
        sp.judge(sp.rejected(attempt))
    for holder in [c.personnummer for c in sp.env.sp.contacts if is_samordningsnummer(c.personnummer)]:
        contact = sp.login(sp.env.person(holder))
        accepted = sp.env.sp.accepts_samordningsnummer
        sp.judge(sp.accepted(contact, sp.env.person(holder)) if accepted else sp.rejected(contact))


@requires(PERSONNUMMER_CONTACT)
@sp_scenario(
    id="SP-PNR-22B",
    title="A previousPersonalIdentityNumber beside the personnummer never changes whom the SP logs in",
    area=PERSONNUMMER,
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
    number = next(n for n in sp.env.login_contacts if not is_samordningsnummer(n))
    sp.check("previous_personnummer", person=sp.env.person(number))


@requires(CENTURY_TWIN)
@sp_scenario(
    id="SP-PNR-23",
    title="A person sharing a contact's last 10 digits but born a century later is not that contact",
    area=PERSONNUMMER,
    requirements=("SP-R-PNR-23",),
    explanation=(
        "Two people can share the same 10-digit personnummer a hundred years apart. Your SP gave "
        "the younger one the older contact's data: it matches on the short form instead of all 12 "
        "digits."
    ),
)
def test_century_twin_is_not_matched_to_the_contact(sp: SpDriver) -> None:
    twin = sp.env.sp.century_twin
    assert twin is not None  # the precondition CENTURY_TWIN holds
    contact, younger = sp.env.person(twin[0]), sp.env.person(twin[1])
    sp.positive_control(contact)
    attempt = sp.login(younger)
    sp.judge(checks.session_not_for(attempt, contact.personnummer, rule=sp.rule))
    sp.judge(checks.shows_no_marker(attempt, sp.env.markers, rule=sp.rule))


# Multi-word given names (CGI sends all of them), å/ä/ö and é, and a long surname (SC Attr. Spec §3.1.1).
_UNUSUAL_GIVEN = "Åsa-Britt Märta Éloïse"
_UNUSUAL_SURNAME = "Öberg-Ståhlberg af Kærnæs " + "Löwenhjelm-" * 6 + "Ängström"


@sp_scenario(
    id="SP-PNR-25A",
    title="Multi-word, non-ASCII and very long names still log the contact in and show correctly",
    area=PERSONNUMMER,
    requirements=("SP-R-NAMES-SHOWN",),
    explanation=(
        "A citizen with several given names, Swedish letters or a long name could not log in, or saw "
        "their name garbled. Names must be shown as sent, and the login must rest on the personnummer."
    ),
)
def test_unusual_names_log_in_and_show_correctly(sp: SpDriver) -> None:
    contact = sp.contact()
    person = Person(contact.personnummer, _UNUSUAL_GIVEN, _UNUSUAL_SURNAME)
    attempt = sp.expect_accepted(person=person)
    sp.judge(checks.names_not_garbled(attempt, (_UNUSUAL_GIVEN, _UNUSUAL_SURNAME)))


@requires(NAMED_CONTACT)
@sp_scenario(
    id="SP-PNR-25B",
    title="A person with a contact's exact name but another personnummer gets none of that contact's data",
    area=PERSONNUMMER,
    requirements=("SP-R-NAME-NOT-KEY",),
    explanation=(
        "Your SP matched a citizen to a contact by name. Many people share a name, so a stranger with "
        "the same name as one of your contacts saw that contact's training programs."
    ),
)
def test_name_is_never_the_match_key(sp: SpDriver) -> None:
    declared = next(c for c in sp.env.sp.contacts if c.given_name and c.surname and c.data_marker)
    contact = sp.env.person(declared.personnummer)
    namesake = Person(sp.stranger().personnummer, declared.given_name, declared.surname)
    sp.positive_control(contact)
    attempt = sp.login(namesake)
    sp.judge(checks.session_not_for(attempt, contact.personnummer, rule=sp.rule))
    sp.judge(checks.shows_no_marker(attempt, sp.env.markers, rule=sp.rule))
