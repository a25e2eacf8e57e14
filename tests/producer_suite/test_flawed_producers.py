"""Detection is proven: the reference producer with one rule switched off fails the scenarios for that
rule, and every other verdict stays as it is for the intact reference producer, unless the flaw
breaks what that scenario depends on (each such change is listed here with its reason)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import pytest

from harness.core.findings import Verdict
from harness.producer_suite.environment import open_environment
from harness.runner import load_target
from tests.support.data import settings

from .flaws import FLAWS
from .helpers import SuiteRun, run_suites_in_parallel, test_target

FAIL, WARN, SKIP, ERROR = Verdict.FAIL, Verdict.WARN, Verdict.SKIP, Verdict.ERROR
pytestmark = pytest.mark.slow  # the whole suite once per producer

GCD2, GCD3, GD = "GetCareDocumentation:2.1", "GetCareDocumentation:3.0", "GetDiagnosis:2.0"
GCC2, GCC3 = "GetCareContacts:2.0", "GetCareContacts:3.0"
LOO3, LOO4 = "GetLaboratoryOrderOutcome:3.1", "GetLaboratoryOrderOutcome:4.2"
ALL = (GCD2, GCD3, GD, GCC2, GCC3, LOO3, LOO4)
STRICT = (GCD3, LOO4)  # approvedForPatient changes MUST reach the index (their TKB §7)
LENIENT = tuple(v for v in ALL if v not in STRICT)


def each(scenario: str, verdict: Verdict, versions: Iterable[str] = ALL) -> dict[str, Verdict]:
    return {f"{scenario}[{v}]": verdict for v in versions}


def merged(*parts: Mapping[str, Verdict]) -> dict[str, Verdict]:
    return {k: v for part in parts for k, v in part.items()}


@dataclass(frozen=True)
class Flaw:
    name: str  # a key of tests/producer_suite/flaws.py FLAWS
    expected: Mapping[str, Verdict]  # scenario id -> the verdict the flaw must cause
    why: str = ""  # the reason for every change beyond the flaw's own scenario
    # Further changes the reason covers, as a rule (scenario id, verdict) -> allowed, where listing
    # them one by one would hide the reason (a flaw that breaks every answer of a contract version).
    also: Callable[[str, Verdict], bool] = field(default=lambda scenario, verdict: False)


DETECTED = (
    Flaw("ignores the LogicalAddress", each("PR-LA-03", FAIL)),
    Flaw(
        "a fault for an unknown patient",
        merged(each("PR-UNK-08A", FAIL), each("PR-XSD-05", FAIL)),
        "the schema scenario validates the unknown-patient answer too: a Fault is no <Contract>Response",
    ),
    Flaw(
        "personal data in a fault",
        merged(each("PR-ERR-15A", FAIL), each("PR-ERR-15L", WARN)),
        "the faultstring that names the patient carries no log id either",
    ),
    Flaw("an exclusive end date", merged(each("PR-FLT-09A", FAIL), each("PR-FLT-09B", FAIL))),
    Flaw(
        "unstable record ids",
        merged(
            each("PR-ID-13A", FAIL),
            {
                f"PR-ID-13X[{GCD2}/{GCD3}]": FAIL,
                f"PR-ID-13X[{GCC2}/{GCC3}]": FAIL,
                f"PR-ID-13X[{LOO3}/{LOO4}]": WARN,
            },
            each("PR-FLT-09A", FAIL),
            each("PR-FLT-09B", FAIL),
            each("PR-FLT-09U", FAIL),
            each("PR-FLT-09S", FAIL),
            each("PR-FLT-09K", FAIL, (GCD2, GD, GCC2, GCC3, LOO3)),
            each("PR-FLT-09G", FAIL, (GCD3, GCC3, LOO4)),
            each("PR-APF-11F", FAIL),
            each("PR-APF-11E", FAIL, STRICT),
            each("PR-APF-11E", WARN, LENIENT),
            # every version declares a linked record (GetDiagnosis and the lab versions too, r-dia1, r-lab1)
            each("PR-PAT-07L", FAIL, (GCD3, LOO3, LOO4)),
            each("PR-PAT-07L", WARN, (GCD2, GD, GCC2, GCC3)),
            each("PR-EIT-21", FAIL),
            each("PR-CNT-05", WARN),
            each("PR-CONS-19A", WARN),
            each("PR-CONS-19F", WARN),  # every version has a record at VE31 (GetDiagnosis: a-dia4)
            each("PR-E2E-22A", ERROR),
        ),
        "every comparison of two answers matches records by id: filters, declared records, the created "
        "record, consumer filtering and the aggregated answer cannot find a record whose id changes",
    ),
    Flaw(
        "lockTime sent",
        {f"PR-FRB-12[{LOO4}]": FAIL, f"PR-XSD-05[{GCD3}]": FAIL},
        "the flaw writes lockTime into GetCareDocumentation 3.0's header too, where its XSD has no such "
        "element",
    ),
    Flaw(
        "no INVALID_REQUEST",
        merged(
            each("PR-INV-04A", FAIL, (GD,)),
            each("PR-INV-04A", WARN, (GCC3,)),
            each("PR-INV-04B", FAIL, (GD,)),
            each("PR-INV-04B", WARN, (GCC3,)),
        ),
    ),
    Flaw(
        "missing PDL fields",
        merged(
            each("PR-PDL-10", FAIL),
            each("PR-FLT-09U", FAIL),
            each("PR-CONS-19F", SKIP),  # every version has a record at VE31 (GetDiagnosis: a-dia4)
        ),
        "without a care unit on the records, the care-unit filter cannot be compared and no record is "
        "seen at the consumer's excluded care unit",
    ),
    Flaw("a wrong charset", each("PR-ENC-17A", FAIL)),
    Flaw(
        "improper escaping",
        # every version's answers hold '<' or '&' (GetDiagnosis 2.0 too: a-dia5's special characters)
        merged(*(each(s, FAIL) for s in ("PR-ENC-17S", "PR-TRN-01", "PR-XSD-05", "PR-SLA-16C"))),
        "an answer holding '<' or '&' (a care unit's name, a note, a diagnosis) is no XML at all: every "
        "other scenario of the contract versions fails or cannot judge (error)",
        also=lambda scenario, verdict: verdict in (FAIL, ERROR),
    ),
    Flaw("schema-invalid element order", each("PR-XSD-05", FAIL)),
    Flaw("an answer slower than the SLA", {f"PR-SLA-16A[{GCC3}]": FAIL}),
    Flaw(
        "EI posts with owner",
        merged(
            {"PR-EI-20F": FAIL, "PR-EI-20S": FAIL},
            each("PR-EI-20P", FAIL),
            each("PR-E2E-22A", SKIP),
            each("PR-E2E-22B", SKIP),
        ),
        "the mock EI refuses an Update with owner (EI004), so no post is held and the platform's "
        "end-to-end self-tests have none to start from",
    ),
    Flaw(
        "a wrong EI categorization",
        merged(
            {"PR-EI-20K": FAIL, "PR-EI-20S": FAIL},
            each("PR-EI-20P", FAIL),
            each("PR-EIT-21", FAIL),
            each("PR-APF-11E", FAIL, STRICT),
            each("PR-APF-11E", WARN, LENIENT),
            each("PR-E2E-22A", SKIP),
            each("PR-E2E-22B", SKIP),
        ),
        "an Update under another categorization is not the contract's post: after a change no Update for "
        "that post comes, and the aggregating services never find one",
    ),
    Flaw(
        "no EI update on an approvedForPatient change",
        merged(each("PR-APF-11E", FAIL, STRICT), each("PR-APF-11E", WARN, LENIENT)),
    ),
    Flaw("no EI update on create or delete", each("PR-EIT-21", FAIL)),
    Flaw("a fault without a log id", each("PR-ERR-15L", WARN)),
    Flaw("ignores the care-unit filter", each("PR-FLT-09U", FAIL)),
    Flaw(
        "no per-consumer filtering",
        # every version has a record at VE31 (GetDiagnosis: a-dia4)
        merged(each("PR-CONS-19F", WARN), each("PR-CONS-19B", WARN)),
    ),
)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, SuiteRun]:
    """The intact reference producer and every flawed one, each through the whole suite, in parallel."""
    folder = tmp_path_factory.mktemp("producers")
    target = test_target(folder, folder / "pki", random_intervals=3)
    with open_environment(load_target("producer", target), settings()):
        pass  # the platform's and the producer's certificates, made once before the parallel runs
    names = ["intact", *(f.name for f in DETECTED)]
    return dict(zip(names, run_suites_in_parallel([(target, name) for name in names]), strict=True))


@pytest.mark.parametrize("flaw", DETECTED, ids=lambda f: f.name.replace(" ", "-"))
def test_each_flawed_producer_fails_the_scenarios_for_its_flaw(flaw: Flaw, runs: dict[str, SuiteRun]) -> None:
    intact, run = runs["intact"], runs[flaw.name]
    changed = {i: v for i, v in run.verdicts.items() if v != intact.verdicts.get(i)}
    explained = {i: v for i, v in changed.items() if i not in flaw.expected and flaw.also(i, v)}
    unexplained = {i: v for i, v in changed.items() if i not in explained}
    assert unexplained == dict(flaw.expected), run.explain(set(unexplained) | set(flaw.expected))


def test_the_intact_reference_producer_passes_everything_it_can(runs: dict[str, SuiteRun]) -> None:
    assert runs["intact"].ids(Verdict.FAIL, Verdict.ERROR, Verdict.WARN) == set()
    assert len(runs["intact"].ids(Verdict.PASS)) > 250


def test_at_least_fifteen_flaws_are_proven(runs: dict[str, SuiteRun]) -> None:
    assert len(DETECTED) >= 15
    assert set(FLAWS) == {"intact", *(f.name for f in DETECTED)}
    assert all(set(f.expected) <= set(runs["intact"].verdicts) for f in DETECTED)
    assert all(FAIL in f.expected.values() or WARN in f.expected.values() for f in DETECTED)
