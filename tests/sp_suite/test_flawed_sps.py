"""Detection is proven: the reference SP with one check switched off fails the scenario for that rule,
and every other scenario still passes exactly as it does for the intact reference SP."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from harness.core.findings import Verdict
from harness.reference_sp import validators as v
from tests.support import flaws

from .helpers import PortReservations, SuiteRun, flawed_reference_sp, run_sp_suite, run_sp_suites_in_parallel

FAIL, WARN = Verdict.FAIL, Verdict.WARN

pytestmark = pytest.mark.slow  # the whole suite once per SP


@dataclass(frozen=True)
class Flaw:
    name: str
    overrides: Callable[[], Mapping[str, Any]]
    expected: Mapping[str, Verdict]  # scenario id -> the verdict the flaw must cause
    why: str = field(default="")


FLAWS = (
    Flaw(
        "no signature check",
        lambda: {"validators": flaws.replacing(v.check_signature, flaws.ignore_signatures)},
        {
            "SP-SIG-02": FAIL,
            "SP-SIG-04": FAIL,
            "SP-SIG-06A": FAIL,
            "SP-SIG-06E": FAIL,  # a moved signature is only caught by verifying what it references
            "SP-SIG-08A": WARN,
            "SP-SIG-08B": WARN,
        },
    ),
    Flaw(
        "XSW: verifying whatever is signed, reading the first Assertion in document order",
        lambda: {
            "validators": flaws.replacing(
                v.check_signature,
                flaws.verify_signed_elements_anywhere,
                flaws.without(v.check_single_assertion),
            ),
            "assertion_locator": flaws.first_assertion_in_document,
        },
        # 06B logs in the person of the unsigned Assertion inserted first. 06C and 06E log in the signed
        # Assertion's own person (it comes first in document order): not fooled, but a Response with
        # two Assertions is accepted (SC Deployment Profile §6.2), which the scenarios refuse too.
        # 06D stays rejected: verify_enveloped refuses an ID that occurs twice (SAML Core 1.3.4).
        {"SP-SIG-06B": FAIL, "SP-SIG-06C": FAIL, "SP-SIG-06E": FAIL},
    ),
    Flaw(
        "XSW: verifying whatever is signed, reading the one Assertion child",
        lambda: {"validators": flaws.replacing(v.check_signature, flaws.verify_signed_elements_anywhere)},
        # Only the moved signature fools it: the signed Assertion sits in samlp:Extensions, so the
        # unsigned one is the only Assertion child. 06B/06C/06D still meet check_single_assertion.
        {"SP-SIG-06E": FAIL},
    ),
    Flaw(
        "reading values only up to the first comment",
        lambda: {"text_reader": flaws.text_before_first_comment},
        # 07A/07B stay passed: truncating a 12-digit personnummer never yields a valid one, so this
        # SP rejects the Response (allowed); the reference SP does not act on the NameID at all.
        {"SP-SIG-07C": FAIL},
    ),
    Flaw(
        "trusting the KeyInfo certificate",
        lambda: {"validators": flaws.replacing(v.check_signature, flaws.trust_keyinfo_certificate)},
        {"SP-SIG-04": FAIL},
    ),
    Flaw(
        "no audience check",
        lambda: {"validators": flaws.without(v.check_audience)},
        {"SP-AUD-11A": FAIL, "SP-AUD-11B": FAIL},
    ),
    Flaw("no replay cache", lambda: {"validators": flaws.without(v.check_replay)}, {"SP-RPL-15": FAIL}),
    Flaw(
        "matching the last 10 digits", lambda: {"matcher": flaws.match_last_ten_digits}, {"SP-PNR-23": FAIL}
    ),
    Flaw(
        "matching by name",
        lambda: {"matcher": flaws.match_by_name},
        # 25A too: the login rests on the name, so a contact whose name differs is locked out.
        {"SP-PNR-25A": FAIL, "SP-PNR-25B": FAIL},
    ),
    Flaw(
        "a call back to the IdP host after login",
        lambda: {"after_login": flaws.call_idp_after_login},
        # Through the recording proxy (the SP's outbound proxy) as well as at the IdP's own door.
        {"SP-BACK-01": FAIL, "SP-BACK-02": FAIL, "SP-BACK-04": FAIL},
    ),
    Flaw(
        "no Destination check",
        lambda: {"validators": flaws.without(v.check_destination)},
        {"SP-DEST-09A": FAIL, "SP-DEST-09B": FAIL},
    ),
    Flaw(
        "no Recipient check", lambda: {"validators": flaws.without(v.check_recipient)}, {"SP-RCPT-10": FAIL}
    ),
    Flaw(
        "no Conditions time check",
        lambda: {"validators": flaws.without(v.check_time_conditions)},
        {"SP-TIME-12A": FAIL, "SP-TIME-12C": FAIL},
    ),
    Flaw(
        "no InResponseTo check",
        lambda: {"validators": flaws.without(v.check_in_response_to, v.check_confirmation_in_response_to)},
        {"SP-IRT-16A": FAIL, "SP-IRT-16B": FAIL},
    ),
    Flaw("no status check", lambda: {"validators": flaws.without(v.check_status)}, {"SP-STAT-17C": FAIL}),
    Flaw("no LoA check", lambda: {"validators": flaws.without(v.check_loa)}, {"SP-AUTHN-19B": FAIL}),
    Flaw(
        "no IssueInstant age check",
        lambda: {"validators": flaws.without(v.check_issue_instant)},
        {"SP-TIME-14": WARN},
    ),
    Flaw(
        "no personnummer validation",
        lambda: {"validators": flaws.without(v.check_personnummer)},
        # A malformed number matches no contact anyway; a second value and a samordningsnummer do.
        {"SP-PNR-21F": FAIL, "SP-PNR-22": FAIL},
    ),
)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory, idp_state: Path) -> dict[str, SuiteRun]:
    """The intact reference SP and every flawed one, each through the whole suite, in parallel."""
    variants = {"intact": {}, **{f.name: dict(f.overrides()) for f in FLAWS}}
    ports = PortReservations()
    with ExitStack() as stack:
        targets = [
            stack.enter_context(
                flawed_reference_sp(tmp_path_factory.mktemp("sp"), idp_state, ports, **overrides)
            )
            for overrides in variants.values()
        ]
        ports.release()  # the suites' child processes listen on them now
        return dict(zip(variants, run_sp_suites_in_parallel(targets), strict=True))


@pytest.mark.parametrize("flaw", FLAWS, ids=lambda f: f.name.replace(" ", "-"))
def test_each_flawed_sp_fails_exactly_the_scenario_for_its_flaw(
    flaw: Flaw, runs: dict[str, SuiteRun]
) -> None:
    intact, run = runs["intact"], runs[flaw.name]
    changed = {i: v for i, v in run.verdicts.items() if v != intact.verdicts.get(i)}
    assert changed == dict(flaw.expected), run.explain(set(changed) | set(flaw.expected))


def test_the_intact_reference_sp_passes_everything_it_can(runs: dict[str, SuiteRun]) -> None:
    assert runs["intact"].ids(Verdict.FAIL, Verdict.ERROR, Verdict.WARN) == set()


def test_at_least_ten_flaws_are_proven(runs: dict[str, SuiteRun]) -> None:
    assert len(FLAWS) >= 10
    assert all(set(f.expected) <= set(runs["intact"].verdicts) for f in FLAWS)


def test_nothing_back_verdicts_do_not_depend_on_what_else_ran(tmp_path: Path, idp_state: Path) -> None:
    """Each nothing-back scenario drives its own visit: run alone (-k), it judges as in the whole run."""
    with flawed_reference_sp(tmp_path, idp_state, after_login=flaws.call_idp_after_login) as target:
        for scenario in ("SP-BACK-01", "SP-BACK-02", "SP-BACK-04"):
            alone = run_sp_suite(target, keyword=scenario)
            assert alone.verdicts == {scenario: FAIL}, alone.explain({scenario})
        assert run_sp_suite(target, keyword="SP-BACK-03").verdicts == {"SP-BACK-03": Verdict.PASS}
