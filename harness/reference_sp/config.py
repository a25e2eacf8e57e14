"""Configuration of the reference SP: one frozen dataclass, the seams others inject through.

The seams are dependency injection, not test-mode flags: ``validators`` is the
tuple of ACS checks run in order (``DEFAULT_VALIDATORS``), ``matcher`` picks the contact for a
logged-in person (``match_exact``), ``after_login`` is a hook run after a successful login (none),
``assertion_locator`` picks the Assertion the SP reads (``single_assertion``: the one the signature
check verifies) and ``text_reader`` reads an element's value (``full_text``: never truncated at a comment).
The SP conformance suite builds deliberately flawed SPs by passing other values
(the harness's own tests, ``tests/support/flaws.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from harness.core.clock import Clock, SystemClock
from harness.core.xmldsig import KeyPair
from harness.pki import load_or_create_keypair
from harness.reference_sp.acs import single_assertion
from harness.reference_sp.identity import full_text
from harness.reference_sp.idp_metadata import IdpTrust, read_idp_metadata
from harness.reference_sp.matching import match_exact
from harness.reference_sp.seams import (
    AfterLogin,
    AssertionLocator,
    LoginEvent,
    Matcher,
    TextReader,
    Validator,
)
from harness.reference_sp.validators import DEFAULT_VALIDATORS
from harness.saml_profile import (
    DEFAULT_CLOCK_SKEW_SECONDS,
    MAX_RESPONSE_AGE_SECONDS,
    PERSONNUMMER_ATTRIBUTE_SETTINGS,
    PERSONNUMMER_OID,
    SIGNATURE_POLICIES,
)

__all__ = [
    "DEFAULT_ACCEPTED_LOA",
    "AfterLogin",
    "AssertionLocator",
    "LoginEvent",
    "Matcher",
    "ReferenceSpConfig",
    "TextReader",
    "Validator",
]

# SC Registry for Identifiers §3.1.1 and Inera's IdP metadata (sklintyg/minaintyg): LoA 3 and above.
DEFAULT_ACCEPTED_LOA: tuple[str, ...] = (
    "http://id.elegnamnden.se/loa/1.0/loa3",
    "http://id.elegnamnden.se/loa/1.0/loa4",
    "http://id.swedenconnect.se/loa/1.0/uncertified-loa3",
    "http://id.sambi.se/loa/loa3",
)


@dataclass(frozen=True)
class ReferenceSpConfig:
    """Everything the reference SP needs; URLs derive from ``base_url`` (no trailing slash)."""

    base_url: str
    idp_metadata: bytes
    db_path: Path
    state_dir: Path  # the SP's own keys (harness.pki)
    personnummer_attribute: str = PERSONNUMMER_OID  # or "Subject_SerialNumber" or "both"
    accepts_samordningsnummer: bool = False  # 1177 requires a personnummer (Region Kronoberg FAQ)
    allow_unsolicited: bool = True  # 1177's jump-out may be IdP-initiated (SAML Profiles 4.1.5)
    accepted_loa: tuple[str, ...] = DEFAULT_ACCEPTED_LOA
    clock_skew_seconds: int = DEFAULT_CLOCK_SKEW_SECONDS  # SC Deployment Profile §6.3.5: 3-5 minutes
    max_issue_age_seconds: int = MAX_RESPONSE_AGE_SECONDS  # SC §6.3.5 (SHOULD reject an old IssueInstant)
    signature_policy: str = "either"  # SAML Profiles 4.1.4.5 [E26]: Response or Assertion signature
    clock: Clock = field(default_factory=SystemClock)
    validators: tuple[Validator, ...] = DEFAULT_VALIDATORS
    matcher: Matcher = match_exact
    after_login: AfterLogin | None = None
    assertion_locator: AssertionLocator = single_assertion
    text_reader: TextReader = full_text
    # The HTTP(S) proxy for every outbound call the SP makes, as HTTP(S)_PROXY would name it ("" = none).
    # The reference SP itself makes no outbound call; a flawed after_login hook uses it.
    outbound_proxy: str = ""

    def __post_init__(self) -> None:
        if self.personnummer_attribute not in PERSONNUMMER_ATTRIBUTE_SETTINGS:
            raise ValueError(f"personnummer_attribute must be one of {PERSONNUMMER_ATTRIBUTE_SETTINGS}")
        if self.signature_policy not in SIGNATURE_POLICIES:
            raise ValueError(f"signature_policy must be one of {SIGNATURE_POLICIES}")
        if self.base_url.endswith("/"):
            raise ValueError("base_url must not end with '/'")
        if self.outbound_proxy and not self.outbound_proxy.startswith("http://"):
            raise ValueError("outbound_proxy must be an http:// URL (as HTTP(S)_PROXY names it)")

    @property
    def entity_id(self) -> str:
        return f"{self.base_url}/metadata"

    @property
    def acs_url(self) -> str:
        return f"{self.base_url}/acs"

    @property
    def login_url(self) -> str:
        return f"{self.base_url}/login"

    @property
    def probe_url(self) -> str:
        return f"{self.base_url}/whoami"

    @property
    def wants_assertions_signed(self) -> bool:
        return self.signature_policy in ("assertion", "both")

    @cached_property
    def idp(self) -> IdpTrust:
        """The IdP as its metadata describes it (parsed once; bad metadata fails at start-up)."""
        return read_idp_metadata(self.idp_metadata)

    @cached_property
    def encryption_keys(self) -> KeyPair:
        """The SP's key for EncryptedAssertion (SC Deployment Profile §6.1), made on first use."""
        return load_or_create_keypair(self.state_dir, "sp-encryption", "reference SP encryption")
