"""Personnummer mutations: each makes the personnummer attribute(s) break one rule.

They change whichever personnummer attributes the attribute profile carries
(``urn:oid:1.2.752.29.4.13`` and/or ``Subject_SerialNumber``) and nothing else (dateOfBirth and
names stay). Rules: SC Attribute Specification §3.1/§3.2 (12 digits, no hyphen, single-valued);
Skatteverket, Rättslig vägledning "Personnummer" (date, födelsenummer 001-999, check digit);
SC Entity Categories §6.2 (samordningsnummer only to SPs that accept them); SC Attribute
Specification §3.2.6 (previousPersonalIdentityNumber, when a samordningsnummer became a personnummer).
"""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from harness.mock_1177_idp.attributes import PREVIOUS_PNR_EID, personnummer_attributes, string_attribute
from harness.mock_1177_idp.elements import find, saml
from harness.mock_1177_idp.pipeline import (
    BuildContext,
    Draft,
    Expect,
    MutationNotApplicable,
    Stage,
    mutation,
)
from harness.personnummer import is_samordningsnummer, luhn_digit

__all__ = ["CATALOGUE", "TEST_SAMORDNINGSNUMMER"]

# Skatteverket's test samordningsnummer list (testsamordningsnummer.csv, dataset
# 9f29fe09-4dbc-4d2f-848f-7cffdd075383): 1914-01-08 (day 68 − 60), födelsenummer 239.
TEST_SAMORDNINGSNUMMER = "191401682396"


def _attributes(draft: Draft) -> list[etree._Element]:
    attributes = personnummer_attributes(find(draft.response, "saml:Assertion"))
    if not attributes:
        raise MutationNotApplicable("the Response carries no personnummer attribute")
    return attributes


def _rewrite(draft: Draft, change: Callable[[str], str]) -> None:
    for attribute in _attributes(draft):
        value = find(attribute, "saml:AttributeValue")
        value.text = change(value.text or "")


def _with_check_digit(first_eleven: str) -> str:
    return first_eleven + str(luhn_digit(first_eleven[2:]))


@mutation(Stage.CONTENT, Expect.REJECT, "SP-R-PNR-20")
def personnummer_missing(draft: Draft, ctx: BuildContext) -> None:
    """The personnummer attribute(s) are left out (names and dateOfBirth remain)."""
    for attribute in _attributes(draft):
        parent = attribute.getparent()
        if parent is not None:
            parent.remove(attribute)


@mutation(Stage.CONTENT, Expect.REJECT, "SP-R-PNR-21")
def personnummer_multi_valued(draft: Draft, ctx: BuildContext) -> None:
    """Each personnummer attribute carries a second AttributeValue: another test person's number."""
    for attribute in _attributes(draft):
        first = find(attribute, "saml:AttributeValue")
        second = etree.SubElement(
            attribute, saml("AttributeValue"), attrib={str(k): str(v) for k, v in first.attrib.items()}
        )
        second.text = ctx.other_person.personnummer


@mutation(Stage.CONTENT, Expect.REJECT, "SP-R-PNR-21")
def personnummer_bad_check_digit(draft: Draft, ctx: BuildContext) -> None:
    """The check digit (kontrollsiffra) is off by one (mod 10)."""
    _rewrite(draft, lambda v: v[:11] + str((int(v[11]) + 1) % 10))


@mutation(Stage.CONTENT, Expect.REJECT, "SP-R-PNR-21")
def personnummer_10_digit(draft: Draft, ctx: BuildContext) -> None:
    """The 10-digit form YYMMDDNNNC, without the century."""
    _rewrite(draft, lambda v: v[2:])


@mutation(Stage.CONTENT, Expect.REJECT, "SP-R-PNR-21")
def personnummer_hyphenated(draft: Draft, ctx: BuildContext) -> None:
    """The 12-digit number with a hyphen: YYYYMMDD-NNNC."""
    _rewrite(draft, lambda v: f"{v[:8]}-{v[8:]}")


@mutation(Stage.CONTENT, Expect.REJECT, "SP-R-PNR-21")
def personnummer_serial_000(draft: Draft, ctx: BuildContext) -> None:
    """Födelsenummer 000, never assigned; the check digit is recomputed so only this rule breaks."""
    _rewrite(draft, lambda v: _with_check_digit(v[:8] + "000"))


@mutation(Stage.CONTENT, Expect.REJECT, "SP-R-PNR-21")
def personnummer_impossible_date(draft: Draft, ctx: BuildContext) -> None:
    """The birth date is 30 February of the person's birth year; the check digit is recomputed."""
    _rewrite(draft, lambda v: _with_check_digit(v[:4] + "0230" + v[8:11]))


@mutation(Stage.CONTENT, Expect.POLICY, "SP-R-PNR-22")
def personnummer_samordningsnummer(draft: Draft, ctx: BuildContext) -> None:
    """A Skatteverket test samordningsnummer (day + 60) instead of the personnummer: rejected unless
    the SP declared that it accepts coordination numbers (1177 requires a personnummer)."""
    _rewrite(draft, lambda v: TEST_SAMORDNINGSNUMMER)


@mutation(Stage.CONTENT, Expect.ACCEPT, "SP-R-PREVIOUS-PNR")
def previous_personnummer(draft: Draft, ctx: BuildContext) -> None:
    """POSITIVE: beside the valid personnummer, an extra previousPersonalIdentityNumber attribute
    (urn:oid:1.2.752.201.3.15) carries a Skatteverket test samordningsnummer, as after a change from
    samordningsnummer to personnummer. The SP must match on personalIdentityNumber, never on it."""
    if is_samordningsnummer(ctx.spec.person.personnummer):
        raise MutationNotApplicable("previous_personnummer needs a person with a personnummer")
    last = _attributes(draft)[-1]
    previous = string_attribute(PREVIOUS_PNR_EID, "previousPersonalIdentityNumber", TEST_SAMORDNINGSNUMMER)
    last.addnext(previous)


CATALOGUE = (
    personnummer_missing,
    personnummer_multi_valued,
    personnummer_bad_check_digit,
    personnummer_10_digit,
    personnummer_hyphenated,
    personnummer_serial_000,
    personnummer_impossible_date,
    personnummer_samordningsnummer,
    previous_personnummer,
)
