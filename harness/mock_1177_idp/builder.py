"""Build the Response the mock 1177 IdP posts to an SP, optionally with named mutations.

Baseline: SAML Profiles 4.1.4.2 and Swedish eID Deployment Profile §6.1/§6.2 (see elements.py),
signed in-process with python-xmlsec (harness.core.xmldsig): RSA-SHA256, SHA-256, exclusive c14n.
The Assertion is signed first, then (optionally) encrypted, then the Response is signed over it.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from harness.core.clock import Clock
from harness.core.xml import NS
from harness.core.xmldsig import sign_enveloped
from harness.mock_1177_idp.elements import encrypt_into, response_element, serialise
from harness.mock_1177_idp.ids import IdSource, RandomIds
from harness.mock_1177_idp.mutations import MutationNotApplicable, resolve
from harness.mock_1177_idp.pipeline import BuildContext, Draft, ProtectionPlan, Stage
from harness.mock_1177_idp.spec import (
    LOA2,
    LOA3,
    UNCERTIFIED_LOA3,
    AttributeProfile,
    IdpIdentity,
    ResponseOptions,
    ResponseSpec,
)

__all__ = [
    "LOA2",
    "LOA3",
    "UNCERTIFIED_LOA3",
    "AttributeProfile",
    "IdpIdentity",
    "ResponseOptions",
    "ResponseSpec",
    "SamlMessage",
    "build_message",
    "build_response",
]

_ORDER = (Stage.CONTENT, Stage.SIGNING, Stage.SIGNED, Stage.SERIALISATION, Stage.BINDING)


@dataclass(frozen=True)
class SamlMessage:
    """A Response ready for the HTTP-POST binding (SAML Bindings 3.5.4)."""

    xml: bytes
    relay_state: str
    acs_url: str


def _plan(spec: ResponseSpec, idp: IdpIdentity) -> ProtectionPlan:
    options = spec.options
    if options.encrypt and spec.encryption_certificate is None:
        raise MutationNotApplicable("encrypt: the SP has published no encryption certificate")
    return ProtectionPlan(
        sign_response=options.sign_response,
        sign_assertion=options.sign_assertion,
        key=idp.keys.signing,
        encrypt_assertion_for=spec.encryption_certificate if options.encrypt else None,
    )


def _sign(element: etree._Element, plan: ProtectionPlan) -> None:
    sign_enveloped(
        element, plan.key, signature_method=plan.signature_method, digest_method=plan.digest_method
    )


def _protect(draft: Draft) -> None:
    """Sign the Assertion, encrypt it, sign the Response: each as the plan says."""
    plan = draft.plan
    assertion = draft.response.find("saml:Assertion", NS)
    if assertion is not None and plan.sign_assertion:
        _sign(assertion, plan)
    if assertion is not None and plan.encrypt_assertion_for is not None:
        encrypt_into(
            assertion, "EncryptedAssertion", plan.encrypt_assertion_for, plan.cipher, plan.key_transport
        )
    if plan.sign_response:
        _sign(draft.response, plan)


def build_message(
    spec: ResponseSpec, idp: IdpIdentity, clock: Clock, *, ids: IdSource | None = None
) -> SamlMessage:
    """The Response and its RelayState; the options' mutations (catalogue names) apply at their stages.

    Raises ``UnknownMutation`` for a name not in the catalogue and ``MutationNotApplicable``
    when a mutation does not fit the spec (e.g. wrong InResponseTo on an unsolicited Response).
    """
    chosen = resolve(spec.options.mutations)
    ctx = BuildContext(spec, idp, clock.now(), ids or RandomIds())
    draft = Draft(response=response_element(ctx), plan=_plan(spec, idp), relay_state=spec.relay_state)
    for stage in _ORDER:
        if stage is Stage.SIGNED:
            _protect(draft)
        if stage is Stage.SERIALISATION:
            draft.xml = serialise(draft.response)
        for entry in chosen:
            if entry.stage is stage:
                entry.apply(draft, ctx)
    return SamlMessage(xml=draft.xml, relay_state=draft.relay_state, acs_url=spec.acs_url)


def build_response(
    spec: ResponseSpec, idp: IdpIdentity, clock: Clock, *, ids: IdSource | None = None
) -> bytes:
    """The serialised Response (see :func:`build_message`; binding-stage mutations need that one)."""
    return build_message(spec, idp, clock, ids=ids).xml
