"""The ACS's checks: one condition each, one error naming the SAML element, the expected value, the rule.

``DEFAULT_VALIDATORS`` runs in order and the ACS stops at the first :class:`Rejected` (crewjam/saml
style). Each function is named for its check; the SP conformance suite's own tests build flawed SPs
by removing or replacing one (``tests/support/flaws.py``). Signature verification is in
``signature.py``; the checks on the person are in ``person_checks.py``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from lxml import etree

from harness.core.xml import NS
from harness.reference_sp.acs import AcsMessage, saml_time
from harness.reference_sp.person_checks import check_personnummer
from harness.reference_sp.rejection import Rejected
from harness.reference_sp.seams import Validator
from harness.reference_sp.signature import check_signature

__all__ = [
    "CANCEL_STATUS",
    "DEFAULT_VALIDATORS",
    "check_assertion_issuer",
    "check_audience",
    "check_authn_statement",
    "check_bearer_confirmation",
    "check_confirmation_expiry",
    "check_confirmation_in_response_to",
    "check_destination",
    "check_in_response_to",
    "check_issue_instant",
    "check_loa",
    "check_no_encrypted_identifiers",
    "check_personnummer",
    "check_recipient",
    "check_relay_state",
    "check_replay",
    "check_response_issuer",
    "check_response_version",
    "check_signature",
    "check_single_assertion",
    "check_status",
    "check_time_conditions",
]

SUCCESS = "urn:oasis:names:tc:SAML:2.0:status:Success"
CANCEL_STATUS = "http://id.elegnamnden.se/status/1.0/cancel"  # SC Registry §3.1.4
BEARER = "urn:oasis:names:tc:SAML:2.0:cm:bearer"
ENTITY_FORMAT = "urn:oasis:names:tc:SAML:2.0:nameid-format:entity"
MAX_RELAY_STATE_BYTES = 80  # SAML Bindings 3.5.3


def _time(element: etree._Element, attribute: str, rule: str) -> datetime | None:
    try:
        return saml_time(element.get(attribute))
    except ValueError:
        name = etree.QName(element).localname
        raise Rejected(rule, f"{name}/@{attribute} is not a SAML dateTime (SAML Core 1.3.3)") from None


def _skew(message: AcsMessage) -> timedelta:
    return timedelta(seconds=message.config.clock_skew_seconds)


# Arithmetic is done on the SP's own clock, never on a received instant: a validly signed
# NotOnOrAfter may be 9999-12-31T23:59:59Z, the largest dateTime Python holds, and adding the skew
# to it would overflow. "now - skew >= NotOnOrAfter" is "now >= NotOnOrAfter + skew", safely.
_LATEST = datetime.max.replace(tzinfo=UTC)


def _later(moment: datetime, delta: timedelta) -> datetime:
    """``moment + delta``, or the latest representable instant when that is beyond year 9999."""
    return moment.astimezone(UTC) + delta if moment <= _LATEST - delta else _LATEST


def check_response_version(message: AcsMessage) -> None:
    """SAML Core 3.2.2: Version "2.0", an ID and an IssueInstant."""
    response = message.response
    if response.get("Version") != "2.0" or not response.get("ID") or not response.get("IssueInstant"):
        raise Rejected("check_response_version", "Response needs Version '2.0', an ID and an IssueInstant")


def check_status(message: AcsMessage) -> None:
    """SAML Core 3.2.2.2; SC §6.4: anything but Success means no login."""
    codes = message.response.findall("samlp:Status/samlp:StatusCode", NS)
    top = codes[0].get("Value") if len(codes) == 1 else None
    if top == SUCCESS:
        return
    second = [
        c.get("Value") for c in message.response.findall("samlp:Status/samlp:StatusCode/samlp:StatusCode", NS)
    ]
    cancelled = CANCEL_STATUS in second
    raise Rejected(
        "check_status", f"Status/StatusCode is not '{SUCCESS}' (SAML Core 3.2.2.2)", cancelled=cancelled
    )


def check_destination(message: AcsMessage) -> None:
    """SAML Core 3.2.2; Bindings 3.5.5.2: Destination is the ACS, and present on a signed Response."""
    destination = message.response.get("Destination")
    expected = message.config.acs_url
    signed = message.response.find("ds:Signature", NS) is not None
    if destination is None and signed:
        raise Rejected("check_destination", "a signed Response has no Destination (SAML Bindings 3.5.5.2)")
    if destination is not None and destination != expected:
        raise Rejected("check_destination", f"Response/@Destination is not '{expected}' (SAML Core 3.2.2)")


def _check_issuer(element: etree._Element | None, expected: str, rule: str, where: str) -> None:
    if element is None:
        raise Rejected(rule, f"{where} has no Issuer (SAML Profiles 4.1.4.2)")
    if element.get("Format") not in (None, ENTITY_FORMAT):
        raise Rejected(rule, f"{where}/Issuer/@Format is not '{ENTITY_FORMAT}' (SAML Profiles 4.1.4.2)")
    if str(element.xpath("string()")) != expected:
        raise Rejected(rule, f"{where}/Issuer is not '{expected}' (SAML Profiles 4.1.4.2)")


def check_response_issuer(message: AcsMessage) -> None:
    """SAML Profiles 4.1.4.2: the Response's Issuer, when present, is the IdP; SC §6.2: present."""
    issuer = message.response.find("saml:Issuer", NS)
    _check_issuer(issuer, message.config.idp.entity_id, "check_response_issuer", "Response")


def check_issue_instant(message: AcsMessage) -> None:
    """SC Deployment Profile §6.3.5: reject a Response or Assertion issued too long ago (or ahead)."""
    oldest = message.now - timedelta(seconds=message.config.max_issue_age_seconds) - _skew(message)
    newest = message.now + _skew(message)
    for element in (message.response, *message.assertions):
        issued = _time(element, "IssueInstant", "check_issue_instant")
        name = etree.QName(element).localname
        if issued is None or not oldest <= issued <= newest:
            raise Rejected(
                "check_issue_instant",
                f"{name}/@IssueInstant is not within {message.config.max_issue_age_seconds} s "
                f"(+{message.config.clock_skew_seconds} s skew) of now (SC Deployment Profile §6.3.5)",
            )


def check_in_response_to(message: AcsMessage) -> None:
    """SAML Core 3.2.2; Profiles 4.1.5: InResponseTo names this browser's outstanding request, or,
    unsolicited, is absent and the SP accepts unsolicited Responses (SC §6.1: SHOULD NOT)."""
    if message.in_response_to is None:
        if not message.config.allow_unsolicited:
            raise Rejected(
                "check_in_response_to", "Response has no InResponseTo and unsolicited login is off"
            )
        return
    if message.outstanding is None:
        raise Rejected(
            "check_in_response_to",
            "Response/@InResponseTo is not an outstanding AuthnRequest of this browser (SAML Core 3.2.2)",
        )


def check_relay_state(message: AcsMessage) -> None:
    """SAML Bindings 3.5.3: at most 80 bytes, and echoed exactly as the SP sent it."""
    if len(message.relay_state.encode("utf-8")) > MAX_RELAY_STATE_BYTES:
        raise Rejected("check_relay_state", "RelayState is longer than 80 bytes (SAML Bindings 3.5.3)")
    if message.outstanding is not None and message.relay_state != message.outstanding.relay_state:
        raise Rejected(
            "check_relay_state", "RelayState is not the one sent with the AuthnRequest (Bindings 3.5.3)"
        )


def check_single_assertion(message: AcsMessage) -> None:
    """SC Deployment Profile §6.2 and the XSW defence: exactly one (possibly encrypted) Assertion."""
    if len(message.assertions) != 1:
        raise Rejected(
            "check_single_assertion", f"Response carries {len(message.assertions)} Assertions, not 1"
        )


def check_no_encrypted_identifiers(message: AcsMessage) -> None:
    """SC Deployment Profile §6.1: EncryptedID and EncryptedAttribute MUST NOT be used."""
    for name in ("EncryptedID", "EncryptedAttribute"):
        if message.assertion.find(f".//saml:{name}", NS) is not None:
            raise Rejected("check_no_encrypted_identifiers", f"Assertion carries saml:{name} (SC §6.1)")


def check_assertion_issuer(message: AcsMessage) -> None:
    """SAML Profiles 4.1.4.2: the Assertion's Issuer is the IdP."""
    issuer = message.assertion.find("saml:Issuer", NS)
    _check_issuer(issuer, message.config.idp.entity_id, "check_assertion_issuer", "Assertion")


def _bearer_data(message: AcsMessage) -> etree._Element:
    data = message.assertion.findall(f"saml:Subject/saml:SubjectConfirmation[@Method='{BEARER}']", NS)
    found = [d for c in data for d in c.findall("saml:SubjectConfirmationData", NS)]
    if len(data) != 1 or len(found) != 1:
        raise Rejected(
            "check_bearer_confirmation",
            f"Subject needs one SubjectConfirmation Method '{BEARER}' with SubjectConfirmationData "
            "(SAML Profiles 4.1.4.2)",
        )
    return found[0]


def check_bearer_confirmation(message: AcsMessage) -> None:
    """SAML Profiles 4.1.4.2: a bearer SubjectConfirmationData MUST NOT carry NotBefore."""
    if _bearer_data(message).get("NotBefore") is not None:
        raise Rejected(
            "check_bearer_confirmation", "SubjectConfirmationData has NotBefore (Profiles 4.1.4.2)"
        )


def check_recipient(message: AcsMessage) -> None:
    """SAML Profiles 4.1.4.3; SC §6.3.2: Recipient is the ACS the Response was posted to."""
    if _bearer_data(message).get("Recipient") != message.config.acs_url:
        raise Rejected(
            "check_recipient",
            f"SubjectConfirmationData/@Recipient is not '{message.config.acs_url}' (SC §6.3.2)",
        )


def check_confirmation_expiry(message: AcsMessage) -> None:
    """SAML Profiles 4.1.4.2/4.1.4.3: SubjectConfirmationData NotOnOrAfter present and not passed."""
    until = _time(_bearer_data(message), "NotOnOrAfter", "check_confirmation_expiry")
    if until is None or message.now - _skew(message) >= until:
        raise Rejected(
            "check_confirmation_expiry",
            f"SubjectConfirmationData/@NotOnOrAfter is absent or passed "
            f"(skew {message.config.clock_skew_seconds} s; SAML Profiles 4.1.4.3)",
        )


def check_confirmation_in_response_to(message: AcsMessage) -> None:
    """SAML Profiles 4.1.4.2: SubjectConfirmationData/@InResponseTo is the request's ID (absent if
    unsolicited)."""
    expected = message.outstanding.request_id if message.outstanding else None
    if _bearer_data(message).get("InResponseTo") != expected:
        raise Rejected(
            "check_confirmation_in_response_to",
            f"SubjectConfirmationData/@InResponseTo is not {expected or 'absent'!r} (SAML Profiles 4.1.4.2)",
        )


def check_audience(message: AcsMessage) -> None:
    """SAML Profiles 4.1.4.2 [E26]; Core 2.5.1.4; SC §6.3.3: every AudienceRestriction names the SP."""
    restrictions = message.assertion.findall("saml:Conditions/saml:AudienceRestriction", NS)
    entity_id = message.config.entity_id
    audiences = [[str(a.xpath("string()")) for a in r.findall("saml:Audience", NS)] for r in restrictions]
    if not audiences or any(entity_id not in each for each in audiences):
        raise Rejected(
            "check_audience", f"Conditions/AudienceRestriction/Audience is not '{entity_id}' (SC §6.3.3)"
        )


def check_time_conditions(message: AcsMessage) -> None:
    """SAML Core 2.5.1.2; SC §6.3.3: now lies within Conditions NotBefore/NotOnOrAfter, with skew."""
    conditions = message.assertion.find("saml:Conditions", NS)
    if conditions is None:
        raise Rejected("check_time_conditions", "Assertion has no Conditions (SC Deployment Profile §6.2)")
    not_before = _time(conditions, "NotBefore", "check_time_conditions")
    not_on_or_after = _time(conditions, "NotOnOrAfter", "check_time_conditions")
    skew, skew_s = _skew(message), message.config.clock_skew_seconds
    if not_before and not_on_or_after and not_before >= not_on_or_after:
        raise Rejected(
            "check_time_conditions", "Conditions/@NotBefore is not before NotOnOrAfter (Core 2.5.1.2)"
        )
    if not_before and message.now + skew < not_before:
        raise Rejected(
            "check_time_conditions", f"Conditions/@NotBefore is in the future beyond {skew_s} s skew"
        )
    if not_on_or_after and message.now - skew >= not_on_or_after:
        raise Rejected("check_time_conditions", f"Conditions/@NotOnOrAfter has passed beyond {skew_s} s skew")


def check_authn_statement(message: AcsMessage) -> None:
    """SAML Profiles 4.1.4.2; SC Deployment Profile §6.2: exactly one AuthnStatement."""
    if len(message.assertion.findall("saml:AuthnStatement", NS)) != 1:
        raise Rejected("check_authn_statement", "Assertion needs exactly one AuthnStatement (SC §6.2)")


def check_loa(message: AcsMessage) -> None:
    """SC Deployment Profile §6.3.4: AuthnContextClassRef is one of the accepted (requested) LoAs."""
    refs = message.assertion.findall("saml:AuthnStatement/saml:AuthnContext/saml:AuthnContextClassRef", NS)
    values = [str(r.xpath("string()")).strip() for r in refs]
    if len(values) != 1 or values[0] not in message.config.accepted_loa:
        raise Rejected(
            "check_loa",
            f"AuthnContextClassRef is not one of {list(message.config.accepted_loa)} (SC §6.3.4)",
        )


def check_replay(message: AcsMessage) -> None:
    """SAML Profiles 4.1.4.5; SC §6.3.5: a Response or Assertion ID is used once while it is valid."""
    until = _time(_bearer_data(message), "NotOnOrAfter", "check_replay") or message.now
    ids = (message.response.get("ID", ""), message.assertion.get("ID", ""))
    keep_until = _later(max(until, message.now), _skew(message))
    if not message.replay_cache.first_use(ids, now=message.now, keep_until=keep_until):
        raise Rejected(
            "check_replay", "Response/@ID or Assertion/@ID was used before (SAML Profiles 4.1.4.5)"
        )


DEFAULT_VALIDATORS: tuple[Validator, ...] = (
    check_response_version,
    check_status,
    check_destination,
    check_response_issuer,
    check_in_response_to,
    check_relay_state,
    check_single_assertion,
    check_signature,
    check_no_encrypted_identifiers,
    check_assertion_issuer,
    check_issue_instant,
    check_bearer_confirmation,
    check_recipient,
    check_confirmation_expiry,
    check_confirmation_in_response_to,
    check_audience,
    check_time_conditions,
    check_authn_statement,
    check_loa,
    check_personnummer,
    check_replay,
)
