"""Target profiles: the TOML file that describes a system under test, as frozen dataclasses.

Loaded and validated once at start-up; a bad file is a :class:`TargetError` (exit status 2).
URLs may contain ``{base_url}``: when ``[launch]`` names a reference app, the harness starts it
on a free loopback port and fills that in.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

__all__ = [
    "PERSONNUMMER_ATTRIBUTES",
    "SIGNATURE_POLICIES",
    "Contact",
    "IdpSettings",
    "SessionProbe",
    "SpTarget",
    "Target",
    "TargetError",
    "load_target",
]

PERSONNUMMER_OID = "urn:oid:1.2.752.29.4.13"  # personalIdentityNumber (SC Attribute Spec §3.1)
PERSONNUMMER_ATTRIBUTES = (PERSONNUMMER_OID, "Subject_SerialNumber", "both")
# Which signature the SP requires: SAML Profiles 4.1.4.5 [E26] accepts either; SC §6.1 wants the Response's.
SIGNATURE_POLICIES = ("either", "response", "assertion", "both")


class TargetError(ValueError):
    """The target file is missing, unreadable or inconsistent."""


@dataclass(frozen=True, slots=True)
class SessionProbe:
    """A URL that says who is logged in: 200 with the personnummer, or 401/403 without a session."""

    url: str
    personnummer_pointer: str = ""  # JSON pointer into the probe's JSON body
    personnummer_regex: str = ""  # or a regex whose first group is the personnummer


@dataclass(frozen=True, slots=True)
class Contact:
    """A person the SP holds as a contact (kontakt), with a string only that contact's pages show."""

    personnummer: str
    data_marker: str = ""
    # The name the SP holds for the contact, when the target declares it: the mock IdP then sends it,
    # as 1177 would, and a scenario can show the SP never matches on it (saml-1177.md check 25).
    given_name: str = ""
    surname: str = ""


@dataclass(frozen=True, slots=True)
class IdpSettings:
    """Where the mock 1177 IdP runs for this target, and where its keys persist."""

    base_url: str = "http://127.0.0.1:0"
    state_dir: str = ".state/idp"


@dataclass(frozen=True, slots=True)
class SpTarget:
    entity_id: str
    acs_url: str
    metadata: str
    session_probe: SessionProbe
    contacts: tuple[Contact, ...]
    not_contacts: tuple[str, ...]
    data_urls: tuple[str, ...]
    login_url: str = ""
    allow_unsolicited: bool = True
    personnummer_attribute: str = PERSONNUMMER_OID
    signature_policy: str = "either"
    accepts_samordningsnummer: bool = False
    accepted_loa: tuple[str, ...] = ()
    clock_skew_seconds: int = 180
    ca_bundle: str = ""
    century_twin: tuple[str, str] | None = None  # (contact born 19YY, its 20YY twin that is no contact)
    honours_proxy: bool = False  # the SP sends its outbound HTTP through HTTP(S)_PROXY (nothing-back watch)
    # Where the harness's recording proxy listens (127.0.0.1): the port the SP's HTTP(S)_PROXY names.
    # 0 = a free port, only when the harness launches the SP itself and hands it the proxy.
    proxy_port: int = 0


@dataclass(frozen=True, slots=True)
class Target:
    name: str
    source: Path
    sp: SpTarget | None
    idp: IdpSettings
    launch: str = ""  # a reference app the harness starts itself ("reference-sp")

    def with_base_url(self, base_url: str) -> Target:
        """The same target with ``{base_url}`` filled in (after launching a reference app)."""
        if self.sp is None:
            return self
        sp = self.sp

        def fill(value: str) -> str:
            return value.replace("{base_url}", base_url)

        probe = replace(sp.session_probe, url=fill(sp.session_probe.url))
        return replace(
            self,
            sp=replace(
                sp,
                entity_id=fill(sp.entity_id),
                acs_url=fill(sp.acs_url),
                metadata=fill(sp.metadata),
                login_url=fill(sp.login_url),
                data_urls=tuple(fill(u) for u in sp.data_urls),
                session_probe=probe,
            ),
        )


def load_target(path: Path) -> Target:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TargetError(f"target file {path} does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise TargetError(f"target file {path} is not valid TOML: {exc}") from None
    try:
        return Target(
            name=str(raw.get("target", {}).get("name", path.stem)),
            source=path,
            sp=_sp(raw["sp"], path.parent) if "sp" in raw else None,
            idp=IdpSettings(**raw.get("idp", {})),
            launch=str(raw.get("launch", {}).get("app", "")),
        )
    except (KeyError, TypeError) as exc:
        raise TargetError(f"target file {path}: missing or unexpected setting {exc}") from None


def _sp(raw: dict[str, Any], base: Path) -> SpTarget:
    probe = SessionProbe(**raw.pop("session_probe"))
    contacts = tuple(Contact(**c) for c in raw.pop("contacts", []))
    twin = raw.pop("century_twin", None)
    sp = SpTarget(
        session_probe=probe,
        contacts=contacts,
        not_contacts=tuple(raw.pop("not_contacts", ())),
        data_urls=tuple(raw.pop("data_urls", ())),
        accepted_loa=tuple(raw.pop("accepted_loa", ())),
        century_twin=(str(twin[0]), str(twin[1])) if twin else None,
        **raw,
    )
    if sp.personnummer_attribute not in PERSONNUMMER_ATTRIBUTES:
        raise TargetError(f"sp.personnummer_attribute must be one of {PERSONNUMMER_ATTRIBUTES}")
    if sp.signature_policy not in SIGNATURE_POLICIES:
        raise TargetError(f"sp.signature_policy must be one of {SIGNATURE_POLICIES}")
    if not (probe.personnummer_pointer or probe.personnummer_regex):
        raise TargetError("sp.session_probe needs personnummer_pointer or personnummer_regex")
    if not sp.contacts:
        raise TargetError("sp.contacts must name at least one contact the SP holds")
    if sp.ca_bundle and not Path(sp.ca_bundle).is_absolute():
        sp = replace(sp, ca_bundle=str(base / sp.ca_bundle))
    return sp
