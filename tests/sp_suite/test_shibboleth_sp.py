"""The whole SP suite against stock Shibboleth SP 3 (Debian's shibd + Apache mod_shib) on loopback.

1177's own e-services reportedly run Shibboleth, and a vendor may build on it. Its configuration here
is stock where it matters (Debian's security-policy.xml, no clockSkew attribute: Shibboleth's default)
and the application behind it is minimal: it reads the personnummer mod_shib puts in the environment,
shows the contact's data marker, and answers 401 without one (tests/support/shibboleth.py). The
target declares what such an SP would: SP-initiated login, unsolicited Responses refused (SC
Deployment Profile §6.1), the LoA 3 levels.

Every verdict is pinned: ``pass`` where Shibboleth enforces the rule, ``fail``/``warn`` exactly where it
is known to leave the rule to the application (``LAX``, each with the reason). The README section "An
SP built on Shibboleth" lists the same rules as what a 1177 SP on stock Shibboleth must add itself.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from harness.core.findings import Verdict
from harness.mock_1177_idp.keys import load_idp_keys
from harness.mock_1177_idp.metadata import DEFAULT_IDP_ENTITY_ID, idp_metadata
from harness.pki import load_or_create_keypair
from harness.runner import demo_target, load_target
from tests.support.shibboleth import (
    INSTALLED,
    SP_ENTITY_ID,
    ShibOptions,
    ShibSite,
    free_port,
    running_shibboleth,
)

from .helpers import SuiteRun, run_sp_suite, with_settings

FAIL, WARN, SKIP = Verdict.FAIL, Verdict.WARN, Verdict.SKIP

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not INSTALLED and not os.environ.get("CI"),
        reason="needs the Debian packages apache2 and libapache2-mod-shib (required when CI is set)",
    ),
]

# Where stock Shibboleth leaves the rule to the application (or its configuration), and why.
LAX: dict[str, Verdict] = {
    # Debian's security policy accepts RSA-SHA1 and SHA-1 digests (no ExcludedAlgorithms for them).
    "SP-SIG-08A": WARN,
    "SP-SIG-08B": WARN,
    # The Audience rule checks an AudienceRestriction when there is one; none at all passes.
    "SP-AUD-11B": FAIL,
    # The Bearer rule does not look at NotBefore on the SubjectConfirmationData (a rule on the IdP).
    "SP-BEARER-13A": WARN,
    # The "default" policy does not block unsolicited Responses (blockUnsolicited is another policy), and
    # an InResponseTo it cannot match is not refused: it logs in on both.
    "SP-IRT-16A": FAIL,
    "SP-IRT-16C": FAIL,
    "SP-IRT-16D": FAIL,
    # Any AuthnContextClassRef is accepted unless the application asks for one (authnContextClassRef).
    "SP-AUTHN-19B": FAIL,
    # The personnummer is an attribute value like any other: its form, check digit, a second value and a
    # samordningsnummer are the application's to check (the form rules bind the IdP: warn).
    "SP-PNR-21A": WARN,
    "SP-PNR-21B": WARN,
    "SP-PNR-21C": WARN,
    "SP-PNR-21D": WARN,
    "SP-PNR-21E": WARN,
    "SP-PNR-21F": WARN,
    "SP-PNR-21G": WARN,  # the comment-appended value is read whole (13 digits) and taken as it is
    "SP-PNR-22": WARN,
    # EncryptedAttribute and EncryptedID are decrypted when they can be, and ignored when not.
    "SP-ENC-28C": WARN,
    "SP-ENC-28D": WARN,
    "SP-ENC-28E": WARN,
    # This installation's handler is plain HTTP on loopback (handlerSSL="false"); in production the ACS
    # must be https. A refused login is answered with HTTP 500 (as 1177's own Shibboleth SPs do).
    "SP-TLS-29A": FAIL,
    "SP-TLS-29B": WARN,
}
# Scenarios that do not apply to this target: it refuses unsolicited Responses and declares no proxy
# (``test_..._unsolicited_login`` runs the first two with allow_unsolicited = true).
NOT_APPLICABLE = {"SP-IRT-16B", "SP-RELAY-26B", "SP-BACK-04"}
# With allow_unsolicited = true, as Shibboleth's default policy has it.
UNSOLICITED = {
    "SP-IRT-16A": FAIL,
    "SP-IRT-16B": FAIL,  # an unsolicited Response that names a request nobody made is accepted
    "SP-IRT-16C": Verdict.PASS,
    "SP-IRT-16D": SKIP,
    "SP-RELAY-26A": Verdict.PASS,
    "SP-RELAY-26B": Verdict.PASS,  # redirectLimit="exact": no redirect to another site
    "SP-RELAY-26C": Verdict.PASS,
}


def shibboleth_target(site: ShibSite, idp_base_url: str, idp_state: Path) -> str:
    """The target file a vendor would write for this SP (the reference target's contacts)."""
    reference = load_target("sp", demo_target("sp")).sp
    contacts = "".join(
        f'\n[[sp.contacts]]\npersonnummer = "{c.personnummer}"\ndata_marker = "{c.data_marker}"\n'
        f'given_name = "{c.given_name}"\nsurname = "{c.surname}"\n'
        for c in reference.contacts
    )
    not_contacts = ", ".join(f'"{n}"' for n in reference.not_contacts)
    twin = ", ".join(f'"{n}"' for n in reference.century_twin or ())
    loa = ", ".join(f'"{n}"' for n in reference.accepted_loa)
    return f"""[target]
name = "stock Shibboleth SP 3"

[idp]
base_url = "{idp_base_url}"
state_dir = "{idp_state}"

[sp]
entity_id = "{SP_ENTITY_ID}"
acs_url = "{site.acs_url}"
metadata = "{site.metadata_url}"
login_url = "{site.login_url}"
allow_unsolicited = false
personnummer_attribute = "urn:oid:1.2.752.29.4.13"
signature_policy = "either"
accepts_samordningsnummer = false
accepted_loa = [{loa}]
clock_skew_seconds = 180
data_urls = ["{site.programs_url}"]
not_contacts = [{not_contacts}]
century_twin = [{twin}]
session_probe = {{ url = "{site.whoami_url}", personnummer_regex = "personalIdentityNumber=([^;\\\\s]+)" }}
{contacts}"""


@pytest.fixture(scope="module")
def shibboleth_runs(tmp_path_factory: pytest.TempPathFactory, idp_state: Path) -> dict[str, SuiteRun]:
    """The whole suite, and the unsolicited-login scenarios with allow_unsolicited = true."""
    work = tmp_path_factory.mktemp("shibboleth-sp")
    idp_base_url = f"http://127.0.0.1:{free_port()}"
    metadata = idp_metadata(DEFAULT_IDP_ENTITY_ID, idp_base_url, load_idp_keys(idp_state))
    keys = load_or_create_keypair(work, "sp", "stock Shibboleth SP")
    contacts = {c.personnummer: c.data_marker for c in load_target("sp", demo_target("sp")).sp.contacts}
    with running_shibboleth(metadata, keys, ShibOptions(clock_skew=None, contacts=contacts)) as site:
        target, text = work / "target.toml", shibboleth_target(site, idp_base_url, idp_state)
        target.write_text(text, encoding="utf-8")
        whole = run_sp_suite(target)
        target.write_text(with_settings(text, {"allow_unsolicited": "true"}), encoding="utf-8")
        unsolicited = run_sp_suite(target, keyword="SP-IRT-16 or SP-RELAY-26")
    return {"whole": whole, "unsolicited": unsolicited}


def test_stock_shibboleth_passes_where_it_enforces_and_fails_exactly_where_it_is_lax(
    shibboleth_runs: dict[str, SuiteRun],
) -> None:
    run = shibboleth_runs["whole"]
    not_passing = {i: v for i, v in run.verdicts.items() if v is not Verdict.PASS}
    expected = {**LAX, **{i: SKIP for i in NOT_APPLICABLE}}
    assert not_passing == expected, run.explain(set(not_passing) | set(expected))
    assert len(run.verdicts) >= 83


def test_stock_shibboleth_with_unsolicited_login(shibboleth_runs: dict[str, SuiteRun]) -> None:
    run = shibboleth_runs["unsolicited"]
    assert run.verdicts == UNSOLICITED, run.explain(set(run.verdicts) | set(UNSOLICITED))


def test_the_readme_lists_exactly_the_pinned_verdicts() -> None:
    """The README's "An SP built on Shibboleth" tells vendors what to add: the same rules as LAX."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### An SP built on Shibboleth", 1)[1].split("\n## ", 1)[0]
    listed: dict[str, Verdict] = {}
    for verdict in (FAIL, WARN):
        line = section.split(f"\n- {verdict.value}: ", 1)[1].split("\n- ", 1)[0].split("\n\n", 1)[0]
        listed |= {scenario.strip(): verdict for scenario in line.replace("\n", " ").split(",")}
    assert listed == LAX
