"""The Response pipeline's seam: the draft being built, its context, and what a mutation is.

build → CONTENT mutations → SIGNING-option mutations → sign Assertion, encrypt, sign Response →
SIGNED mutations → serialise → SERIALISATION mutations → BINDING mutations (crewjam/saml's
AssertionMaker → MakeAssertionEl → MakeResponse, with a named fault at each step).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from lxml import etree

from harness.core.xmldsig import DIGEST_SHA256, RSA_SHA256, BlockCipher, KeyPair, KeyTransport
from harness.mock_1177_idp.ids import IdSource
from harness.mock_1177_idp.persons import Person
from harness.mock_1177_idp.spec import IdpIdentity, ResponseSpec, other_person_for
from harness.saml_profile import ClockSkew

__all__ = [
    "ASSERTION_LIFETIME",
    "BuildContext",
    "Draft",
    "Expect",
    "Mutation",
    "MutationNotApplicable",
    "ProtectionPlan",
    "Stage",
    "mutation",
]

ASSERTION_LIFETIME = timedelta(minutes=5)  # as 1177/CGI's 2017 test ticket (sklintyg/minaintyg)


class Stage(StrEnum):
    """When a mutation runs in the pipeline."""

    CONTENT = "content"  # on the unsigned tree, before signing
    SIGNING = "signing"  # changes the protection plan: keys, algorithms, what is signed or encrypted
    SIGNED = "signed"  # on the signed tree, after signing (signatures are not redone)
    SERIALISATION = "serialisation"  # on the serialised bytes
    BINDING = "binding"  # on the HTTP-POST binding parameters (RelayState)


class Expect(StrEnum):
    """What a conformant SP does with the mutated Response: the mutation's own expectation, which the
    scenarios read (``SpDriver.check``) instead of restating it."""

    REJECT = "reject"
    ACCEPT = "accept"  # a positive case: rejecting it is the failure
    SIGNED_VALUE_OR_REJECT = "signed-value-or-reject"  # never act on a truncated value
    SIGNED_ONLY = "signed-only"  # reject, or use only the signed Assertion (never the injected one)
    POLICY = "policy"  # accept or reject as the SP's declared policy says


class MutationNotApplicable(ValueError):
    """The mutation makes no sense for this spec (e.g. wrong InResponseTo on an unsolicited Response)."""


@dataclass(frozen=True)
class ProtectionPlan:
    """How the draft is signed and encrypted."""

    sign_response: bool
    sign_assertion: bool
    key: KeyPair
    signature_method: str = RSA_SHA256
    digest_method: str = DIGEST_SHA256
    encrypt_assertion_for: bytes | None = None
    cipher: str = BlockCipher.AES256_GCM
    key_transport: str = KeyTransport.RSA_OAEP_MGF1P  # SC Deployment Profile §8


@dataclass(frozen=True)
class BuildContext:
    """Everything a build step reads; nothing in it changes during the build."""

    spec: ResponseSpec
    idp: IdpIdentity
    now: datetime
    ids: IdSource

    @property
    def other_person(self) -> Person:
        return other_person_for(self.spec)

    @property
    def skew(self) -> ClockSkew:
        """The SP's declared clock skew per window (ResponseOptions.skew)."""
        return self.spec.options.skew

    @staticmethod
    def beyond(skew_seconds: int) -> timedelta:
        """Far enough past a window's skew that a correct SP must reject: skew + 60 s."""
        return timedelta(seconds=skew_seconds + 60)

    @staticmethod
    def within(skew_seconds: int) -> timedelta:
        """Well inside a window's skew (half of it), which the SP declares it tolerates."""
        return timedelta(seconds=skew_seconds // 2)


@dataclass
class Draft:
    """The Response under construction; mutations change it in place at their stage."""

    response: etree._Element
    plan: ProtectionPlan
    relay_state: str = ""
    xml: bytes = b""  # set when serialised


@dataclass(frozen=True)
class Mutation:
    """One named negative (or positive) case: changes one thing, at one stage, for one rule."""

    name: str
    description: str
    requirement: str  # the SP requirement it tests (harness/requirements/sp.toml holds its sources)
    stage: Stage
    expect: Expect
    apply: Callable[[Draft, BuildContext], None] = field(compare=False, repr=False)


Step = Callable[[Draft, BuildContext], None]


def mutation(stage: Stage, expect: Expect, requirement: str) -> Callable[[Step], Mutation]:
    """Make a step function into a :class:`Mutation` named after it, described by its docstring."""

    def wrap(step: Step) -> Mutation:
        return Mutation(
            name=step.__name__,
            description=inspect.cleandoc(step.__doc__ or ""),
            requirement=requirement,
            stage=stage,
            expect=expect,
            apply=step,
        )

    return wrap
