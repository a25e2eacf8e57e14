"""``conformance check-target`` for the SP suite: is the target file right before any scenario runs?

What it checks, and from where:

- the ``[sp]`` and ``[idp]`` settings (every misspelt key named, not just the first), the test
  personnummer (Skatteverket's test numbers only), the data pages and markers, the clock skew;
- the SP's metadata (fetched as a run fetches it): its entityID and ACS against the target's;
- the IdP keys the run will sign with (the target's ``[idp] state_dir``). The SP's own metadata does not
  name the IdP's keys, so from the SP's side two things can be checked: the IdP metadata the vendor
  gave the SP, when the vendor passes it (``--idp-metadata FILE``: its signing certificates must be the
  state directory's), and the SP's behaviour: one login signed with the current key and one with the
  next key must each start a session (``--no-login`` skips this);
- which scenarios will skip, each with the setting that would make it run (the scenarios' own
  declared preconditions, :mod:`.preconditions`).
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from types import MappingProxyType, ModuleType

from lxml import etree

from harness.core.exchange import Recorder
from harness.core.findings import Level
from harness.core.scenario import ScenarioRecord, ScenarioSpec, spec_of
from harness.core.target_check import CheckLine, CheckTargetOptions, PlannedSkip, Status, TargetReport
from harness.core.targets import TargetError, TargetFile, load_section
from harness.core.xml import NS, UnsafeXmlError, parse_xml
from harness.core.xmldsig import certificate_pem
from harness.mock_1177_idp.keys import load_idp_keys
from harness.mock_1177_idp.metadata import SpInfo, SpMetadataError, parse_sp_metadata
from harness.personnummer import load_test_numbers
from harness.sp_suite import checks
from harness.sp_suite.environment import fetch_sp_metadata, open_environment
from harness.sp_suite.preconditions import Facts, unmet
from harness.sp_suite.target import IdpSettings, SpSuiteTarget, SpTarget, check_idp_keys, load_sp_target

__all__ = ["check_sp_target", "planned_skips"]

_SECTIONS = {"sp": SpTarget, "idp": IdpSettings}
OK, WARNING, ERROR = Status.OK, Status.WARNING, Status.ERROR


def check_sp_target(file: TargetFile, options: CheckTargetOptions) -> TargetReport:
    """Every problem of the SP suite's sections that can be found before a run, on one report."""
    target, lines = _load(file)
    if target is None:
        return TargetReport("sp", tuple(lines))
    lines += _test_numbers(target, options)
    lines += _data_pages(target.sp)
    lines += _skew(file, target.sp)
    keys_ready = _idp_keys(target, options.given_metadata, lines)
    sp_info = _sp_metadata(target, lines)
    if options.live and keys_ready and sp_info is not None and not target.launches_reference_sp:
        lines += _trial_logins(target, options)
    facts = Facts(
        target.sp, publishes_encryption_key=sp_info is not None and sp_info.encryption_cert_pem is not None
    )
    return TargetReport("sp", tuple(lines), planned_skips(options.scenarios, facts))


def planned_skips(modules: tuple[ModuleType, ...], facts: Facts) -> tuple[PlannedSkip, ...]:
    """The SP scenarios in ``modules`` whose declared preconditions ``facts`` do not meet."""
    found: dict[str, PlannedSkip] = {}
    for module in modules:
        for value in vars(module).values():
            spec = spec_of(value)
            missing = unmet(value, facts) if spec is not None and spec.suite == "sp" else ()
            if spec is not None and missing:
                found[spec.id] = PlannedSkip(spec.id, missing[0].setting, missing[0].reason)
    return tuple(found[i] for i in sorted(found))


def _load(file: TargetFile) -> tuple[SpSuiteTarget | None, list[CheckLine]]:
    """The target, with every unknown key of [sp] and [idp] reported (and left out), not just the first."""
    lines: list[CheckLine] = []
    sections = dict(file.sections)
    for name, cls in _SECTIONS.items():
        raw = dict(sections.get(name) or {})
        known = {f.name for f in dataclasses.fields(cls)}
        for key in [k for k in raw if k not in known]:
            try:
                load_section(cls, {key: raw.pop(key)}, where=f"[{name}]", folder=file.folder)
            except TargetError as exc:
                lines.append(CheckLine(ERROR, f"[{name}] settings", str(exc)))
        if name in sections:
            sections[name] = raw
    try:
        target = load_sp_target(dataclasses.replace(file, sections=MappingProxyType(sections)))
    except TargetError as exc:
        lines.append(CheckLine(ERROR, "target file", str(exc)))
        return None, lines
    if not lines:
        lines.append(CheckLine(OK, "[sp] and [idp] settings", "every setting is known and valid"))
    return target, lines


def _test_numbers(target: SpSuiteTarget, options: CheckTargetOptions) -> list[CheckLine]:
    try:
        numbers = load_test_numbers(options.settings.persons_dir)
    except FileNotFoundError as exc:
        return [CheckLine(ERROR, "test personnummer", str(exc))]
    problems = checks.declared_test_numbers(target.sp, numbers)
    if problems:
        return [CheckLine(ERROR, "test personnummer", f.message) for f in problems]
    return [CheckLine(OK, "test personnummer", "every declared number is a Skatteverket test number")]


def _data_pages(sp: SpTarget) -> list[CheckLine]:
    subject = "data pages"
    if not sp.data_urls:
        why = (
            "data_urls is empty: no scenario can see a contact's data, so data isolation cannot be judged. "
            "List the pages that show a contact's data; with none, use the session probe's URL and a "
            "data_marker it shows for that contact alone"
        )
        return [CheckLine(ERROR, subject, why)]
    unmarked = [c.personnummer for c in sp.contacts if not c.data_marker]
    if unmarked:
        why = f"contacts without a data_marker ({', '.join(unmarked)}): their data cannot be recognised"
        return [CheckLine(WARNING, subject, why)]
    return [CheckLine(OK, subject, f"{len(sp.data_urls)} data page(s), a data_marker on every contact")]


def _skew(file: TargetFile, sp: SpTarget) -> list[CheckLine]:
    raw = file.section("sp") or {}
    if not any(key.endswith("skew_seconds") for key in raw):
        why = (
            f"not set: {sp.clock_skew_seconds} s assumed. Set clock_skew_seconds to your SP's own allowance "
            "(or per window: conditions_skew_seconds, subject_confirmation_skew_seconds), or the "
            "within-skew scenarios will warn wrongly"
        )
        return [CheckLine(WARNING, "clock skew", why)]
    skew = sp.skew
    return [
        CheckLine(
            OK,
            "clock skew",
            f"Conditions {skew.conditions} s, SubjectConfirmationData {skew.subject_confirmation} s",
        )
    ]


def _idp_keys(target: SpSuiteTarget, given: Path | None, lines: list[CheckLine]) -> bool:
    """The state directory holds the keys; with ``given``, they are the ones in that metadata."""
    try:
        check_idp_keys(target)
    except TargetError as exc:
        lines.append(CheckLine(ERROR, "IdP keys", str(exc)))
        return False
    if given is None:
        return True
    keys = load_idp_keys(target.idp.state_dir)
    try:
        published = _idp_signing_certificates(given.read_bytes())
    except (OSError, UnsafeXmlError, ValueError) as exc:
        lines.append(CheckLine(ERROR, "IdP keys", f"the IdP metadata {given} cannot be read: {exc}"))
        return False
    ours = {_body(keys.signing.cert_pem), _body(keys.next_signing.cert_pem)}
    if ours != published:
        why = (
            f"the signing keys in {given} are not the ones in {target.idp.state_dir}: your SP trusts other "
            "keys, so every login would fail. Give it the metadata of "
            f"`conformance idp metadata --target {target.source.name}`"
        )
        lines.append(CheckLine(ERROR, "IdP keys", why))
        return False
    lines.append(
        CheckLine(OK, "IdP keys", f"{given.name} publishes the current and next keys of the state directory")
    )
    return True


def _idp_signing_certificates(metadata: bytes) -> set[str]:
    root = parse_xml(metadata)
    path = "md:IDPSSODescriptor/md:KeyDescriptor"
    found = {
        _body(certificate_pem(str(c.xpath("string()"))))
        for descriptor in root.iterfind(f".//{path}", {**NS, "md": _MD})
        if descriptor.get("use") in (None, "signing")
        for c in descriptor.iterfind(".//ds:X509Certificate", NS)
    }
    if not found:
        raise ValueError("no IDPSSODescriptor signing certificate in it")
    return found


_MD = "urn:oasis:names:tc:SAML:2.0:metadata"


def _body(pem: bytes) -> str:
    return re.sub(rb"-----[^-]+-----|\s", b"", pem).decode("ascii")


def _sp_metadata(target: SpSuiteTarget, lines: list[CheckLine]) -> SpInfo | None:
    if target.launches_reference_sp:
        lines.append(CheckLine(OK, "SP metadata", "the harness launches the reference SP and reads it then"))
        return None
    sp, subject = target.sp, "SP metadata"
    try:
        info = parse_sp_metadata(fetch_sp_metadata(sp, sp.ca_bundle or True, Recorder(prefix="check-")))
    except (TargetError, SpMetadataError, OSError, etree.LxmlError, UnsafeXmlError, ConnectionError) as exc:
        lines.append(CheckLine(ERROR, subject, f"{sp.metadata}: {exc}"))
        return None
    problems = []
    if info.entity_id != sp.entity_id:
        problems.append(f"its entityID is {info.entity_id!r}, the target says {sp.entity_id!r}")
    if sp.acs_url not in info.acs_urls:
        problems.append(
            f"it lists no AssertionConsumerService at {sp.acs_url} (it lists {', '.join(info.acs_urls)})"
        )
    if problems:
        lines.append(CheckLine(ERROR, subject, "; ".join(problems)))
        return info
    key = "an encryption key published" if info.encryption_cert_pem else "no encryption key published"
    lines.append(CheckLine(OK, subject, f"entityID and ACS as the target says; {key}"))
    return info


def _trial_logins(target: SpSuiteTarget, options: CheckTargetOptions) -> list[CheckLine]:
    """One login signed with the current key and one with the next: does the SP trust the state's keys?"""
    from harness.sp_suite.driver import SpDriver  # the driver pulls in the browser: only when live

    spec = ScenarioSpec("CHECK-TARGET", "check-target", "sp", "", Level.MUST, (), ("SP-R-SIG-05",))
    try:
        with open_environment(target, options.settings) as env:
            driver = SpDriver(env, ScenarioRecord(spec))
            person = driver.contact()
            current = driver.accepted(driver.login(person), person)
            following = driver.accepted(driver.login(person, driver.options("next_key")), person)
    except (TargetError, ConnectionError, OSError) as exc:
        return [CheckLine(ERROR, "trial login", str(exc))]
    state = target.idp.state_dir
    if current:
        why = (
            f"your SP did not log in {person.personnummer} with a Response signed by the current key in "
            f"{state} ({current[0].message}). It probably trusts other IdP metadata: give it "
            f"`conformance idp metadata --target {target.source.name}`; or the contact, the probe or the "
            "markers are not as the target says"
        )
        return [CheckLine(ERROR, "trial login", why)]
    if following:
        why = "the current key works, the next does not: your SP trusts one key of the metadata (SP-SIG-05)"
        return [CheckLine(WARNING, "trial login", why)]
    return [
        CheckLine(
            OK, "trial login", "a login signed with the current key, and one with the next, both worked"
        )
    ]
