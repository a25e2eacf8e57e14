"""The picker's submit: the chosen person, LoA and profile become a person and the Response's options;
cancel and the simulated error become an error status.

Cancel is status Requester with second-level ``.../status/1.0/cancel``; the simulated error is
Responder/AuthnFailed (SC Deployment Profile §6.4); both are sent without an Assertion.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from harness.mock_1177_idp.persons import Person
from harness.mock_1177_idp.picker import ACTION_CANCEL, ACTION_ERROR, ACTION_LOGIN, LOA_CHOICES
from harness.mock_1177_idp.spec import AttributeProfile, ResponseOptions
from harness.mock_1177_idp.status import AUTHN_FAILED, CANCEL, REQUESTER, RESPONDER, ErrorStatus

__all__ = ["Answer", "choose"]

# Whom to log in, and how the Response is shaped: what the picker chooses and the autopilot queues.
Answer = tuple[Person, ResponseOptions]

_STATUS = {
    ACTION_CANCEL: ErrorStatus(REQUESTER, CANCEL, "The user cancelled"),
    ACTION_ERROR: ErrorStatus(RESPONDER, AUTHN_FAILED, "Simulated authentication error"),
}


def choose(form: Mapping[str, str], persons: Sequence[Person]) -> Answer | ErrorStatus:
    """What the picker's form asks for; ValueError (a message without personal data) if it is bad."""
    action = form.get("action", ACTION_LOGIN)
    if action in _STATUS:
        return _STATUS[action]
    if action != ACTION_LOGIN:
        raise ValueError("Unknown action: choose Logga in, Avbryt or Simulera fel.")
    person = next((p for p in persons if p.personnummer == form.get("person")), None)
    if person is None:
        raise ValueError("Choose one of the listed test persons.")
    loa = form.get("loa", LOA_CHOICES[0])
    if loa not in LOA_CHOICES:
        raise ValueError("Unknown level of assurance.")
    try:
        profile = AttributeProfile(form.get("profile", AttributeProfile.EID.value))
    except ValueError:
        raise ValueError("Unknown attribute profile.") from None
    return person, ResponseOptions(attribute_profile=profile, loa=loa)
