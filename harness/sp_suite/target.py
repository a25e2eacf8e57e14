"""The SP suite's sections of a target file: ``[sp]`` (the SP under test) and ``[idp]`` (the mock IdP).

Read once by :func:`load_sp_target` from a :class:`~harness.core.targets.TargetFile`; every relative
path is resolved against the target file's folder there. URLs may contain ``{base_url}``: when
``[launch] app = "reference-sp"``, the harness starts the reference SP on a free loopback port and
fills it in (:meth:`SpSuiteTarget.with_base_url`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from harness.core.targets import PATH_OR_URL, TargetError, TargetFile, load_section
from harness.saml_profile import (
    DEFAULT_CLOCK_SKEW_SECONDS,
    PERSONNUMMER_ATTRIBUTE_SETTINGS,
    PERSONNUMMER_OID,
    SIGNATURE_POLICIES,
    ClockSkew,
)

__all__ = [
    "SECTIONS",
    "Contact",
    "IdpSettings",
    "SessionProbe",
    "SpSuiteTarget",
    "SpTarget",
    "check_idp_keys",
    "load_sp_target",
]

SECTIONS = ("sp", "idp")
LAUNCHABLE = "reference-sp"
IDP_SIGNING_KEYS = ("idp-signing", "idp-signing-next")  # file names in [idp] state_dir (harness.pki)


@dataclass(frozen=True, slots=True)
class SessionProbe:
    """A URL that says who is logged in: 200 with the personnummer, or 401/403 without a session."""

    url: str
    personnummer_pointer: str = ""  # JSON pointer into the probe's JSON body
    personnummer_regex: str = ""  # or a regex whose first group is the personnummer

    def __post_init__(self) -> None:
        if not (self.personnummer_pointer or self.personnummer_regex):
            raise ValueError("session_probe needs personnummer_pointer or personnummer_regex")


@dataclass(frozen=True, slots=True)
class Contact:
    """A person the SP holds as a contact (kontakt), with a string only that contact's pages show."""

    personnummer: str
    data_marker: str = ""
    # The name the SP holds for the contact, when the target declares it: the mock IdP then sends it,
    # as 1177 would, and a scenario can show the SP never matches on it.
    given_name: str = ""
    surname: str = ""


@dataclass(frozen=True, slots=True)
class IdpSettings:
    """Where the mock 1177 IdP runs for this target, and the folder its signing keys persist in."""

    base_url: str = "http://127.0.0.1:8443"
    state_dir: Path = Path(".state/idp")  # relative to the target file


@dataclass(frozen=True, slots=True)
class SpTarget:
    entity_id: str
    acs_url: str
    metadata: str = field(metadata=PATH_OR_URL)  # URL, or a file relative to the target file
    session_probe: SessionProbe
    contacts: tuple[Contact, ...]
    not_contacts: tuple[str, ...] = ()
    data_urls: tuple[str, ...] = ()
    login_url: str = ""
    allow_unsolicited: bool = True
    personnummer_attribute: str = PERSONNUMMER_OID
    signature_policy: str = "either"
    accepts_samordningsnummer: bool = False
    accepted_loa: tuple[str, ...] = ()
    # The SP's own clock-skew allowance, in seconds: the within-skew cases must stay inside it. Some SPs
    # allow a different skew per time window; the two settings below override it for one window.
    clock_skew_seconds: int = DEFAULT_CLOCK_SKEW_SECONDS
    conditions_skew_seconds: int | None = None  # Conditions NotBefore/NotOnOrAfter
    subject_confirmation_skew_seconds: int | None = None  # bearer SubjectConfirmationData NotOnOrAfter
    ca_bundle: str = field(default="", metadata=PATH_OR_URL)
    century_twin: tuple[str, str] | None = None  # (contact born 19YY, its 20YY twin that is no contact)
    honours_proxy: bool = False  # the SP sends its outbound HTTP through HTTP(S)_PROXY (nothing-back watch)
    # Where the harness's recording proxy listens (127.0.0.1): the port the SP's HTTP(S)_PROXY names.
    # 0 = a free port, only when the harness launches the SP itself and hands it the proxy.
    proxy_port: int = 0

    def __post_init__(self) -> None:
        if self.personnummer_attribute not in PERSONNUMMER_ATTRIBUTE_SETTINGS:
            raise ValueError(
                f"personnummer_attribute must be one of {', '.join(PERSONNUMMER_ATTRIBUTE_SETTINGS)}"
            )
        if self.signature_policy not in SIGNATURE_POLICIES:
            raise ValueError(f"signature_policy must be one of {', '.join(SIGNATURE_POLICIES)}")
        if not self.contacts:
            raise ValueError("contacts must name at least one contact the SP holds ([[sp.contacts]])")
        self.skew  # noqa: B018  (a negative skew is refused here, when the file is read)

    @property
    def skew(self) -> ClockSkew:
        """The SP's declared clock skew for each time window."""
        default = self.clock_skew_seconds
        return ClockSkew(
            conditions=default if self.conditions_skew_seconds is None else self.conditions_skew_seconds,
            subject_confirmation=(
                default
                if self.subject_confirmation_skew_seconds is None
                else self.subject_confirmation_skew_seconds
            ),
        )


@dataclass(frozen=True, slots=True)
class SpSuiteTarget:
    """What the SP suite runs against: the target file's name and source, ``[sp]`` and ``[idp]``."""

    name: str
    source: Path
    launch: str  # "" (a vendor's SP, already running) or "reference-sp"
    sp: SpTarget
    idp: IdpSettings

    @property
    def launches_reference_sp(self) -> bool:
        return self.launch == LAUNCHABLE

    def with_base_url(self, base_url: str) -> SpSuiteTarget:
        """The same target with ``{base_url}`` filled in (after launching the reference SP)."""
        sp = self.sp

        def fill(value: str) -> str:
            return value.replace("{base_url}", base_url)

        probe = replace(sp.session_probe, url=fill(sp.session_probe.url))
        filled = replace(
            sp,
            entity_id=fill(sp.entity_id),
            acs_url=fill(sp.acs_url),
            metadata=fill(sp.metadata),
            login_url=fill(sp.login_url),
            data_urls=tuple(fill(u) for u in sp.data_urls),
            session_probe=probe,
        )
        return replace(self, sp=filled)


def load_sp_target(file: TargetFile) -> SpSuiteTarget:
    """The ``[sp]`` and ``[idp]`` sections of ``file``, validated; a bad one is a :class:`TargetError`."""
    if file.launch not in ("", LAUNCHABLE):
        raise TargetError(
            f"{file.source.name}: [launch] app {file.launch!r} is not known; valid apps: {LAUNCHABLE}"
        )
    if file.section("sp") is None:
        raise TargetError(f"{file.source.name} has no [sp] section: the SP suite needs one")
    sp = load_section(SpTarget, file.section("sp"), where="[sp]", folder=file.folder)
    idp = load_section(IdpSettings, file.section("idp"), where="[idp]", folder=file.folder)
    if not idp.state_dir.is_absolute():  # the default, not written in the file
        idp = replace(idp, state_dir=(file.folder / idp.state_dir).resolve())
    return SpSuiteTarget(name=file.name, source=file.source, launch=file.launch, sp=sp, idp=idp)


def check_idp_keys(target: SpSuiteTarget) -> None:
    """A vendor's SP trusts the keys it was given: fresh keys would make every login fail, unexplained."""
    if target.launches_reference_sp:
        return  # the harness hands the launched reference SP the metadata of whatever keys there are
    folder = target.idp.state_dir
    expected = [folder / f"{name}.{ext}" for name in IDP_SIGNING_KEYS for ext in ("key", "crt")]
    if not all(path.is_file() for path in expected):
        raise TargetError(
            f"[idp] state_dir {folder} holds no IdP signing keys: run `conformance idp metadata "
            f"--target {target.source.name} --out idp-metadata.xml` and give your SP that metadata"
        )
