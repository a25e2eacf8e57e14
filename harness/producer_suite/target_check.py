"""What the runner, the report and ``conformance check-target`` need of a producer target besides its
sections: a description for the report, the checks before a run, and the check-target report (what
was checked, whether the endpoints answer, which scenarios will skip and the setting that would run them)."""

from __future__ import annotations

from pathlib import Path

from harness.core.exchange import Recorder
from harness.core.target_check import CheckLine, CheckTargetOptions, PlannedSkip, Status, TargetReport
from harness.core.targets import TargetError, TargetFile
from harness.personnummer import load_test_numbers
from harness.producer_suite.target import ProducerSuiteTarget, ProducerTarget, load_producer_target
from harness.transport import ClientIdentity, HttpTransport, TargetUnreachable

__all__ = [
    "PRODUCER_TARGET_TEMPLATE",
    "check_producer_target",
    "check_test_numbers",
    "describe_producer",
    "planned_skips",
    "producer_preflight",
]

# `conformance init producer`: the commented template (a file beside this module, packaged with it).
PRODUCER_TARGET_TEMPLATE = Path(__file__).with_name("template.toml").read_text(encoding="utf-8")
OK, WARNING, ERROR = Status.OK, Status.WARNING, Status.ERROR

# Which scenarios need which optional setting: the skip reasons the scenarios give, listed before a run.
_NEEDS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("test_hooks", "technical_error", ("PR-ERR-15A", "PR-ERR-15L")),
    ("test_hooks", "approved_for_patient", ("PR-APF-11E",)),
    ("test_hooks", "create_record", ("PR-EIT-21",)),
    ("test_hooks", "delete_record", ("PR-EIT-21",)),
    ("test_data", "unknown_patient", ("PR-UNK-08A",)),
    ("test_data", "samordningsnummer", ("PR-PAT-07B",)),
    ("test_data", "reserve_id", ("PR-PAT-07R", "PR-PAT-07L")),
    ("test_data", "care_unit", ("PR-FLT-09U",)),
    ("test_data", "care_giver", ("PR-FLT-09G",)),
    ("test_data", "care_contact_id", ("PR-FLT-09K",)),
    ("test_data", "special_characters", ("PR-ENC-17S",)),
    ("test_data", "consumer_filtering", ("PR-CONS-19F", "PR-CONS-19B")),
)
_PER_CONTRACT = (
    ("period", ("PR-FLT-09A",)),
    ("approved_false", ("PR-APF-11F", "PR-APF-11E")),
    ("linked_record", ("PR-PAT-07L",)),
    ("content_records", ("PR-CNT-05",)),
)


def describe_producer(target: ProducerSuiteTarget) -> tuple[tuple[str, str], ...]:
    """What the report says of the target: where it is and how it was reached, no key material."""
    producer = target.producer
    details = [
        ("contracts", ", ".join(c.key for c in producer.contracts)),
        ("logical addresses", ", ".join(producer.logical_addresses)),
        (
            "calls",
            "through the mock VP (TAK routing)" if producer.route == "vp" else "directly to the producer",
        ),
        ("EI updates", "through the VP" if producer.ei_updates == "vp" else "straight to the mock EI"),
    ]
    hooks = [
        name
        for name in ("technical_error", "approved_for_patient", "create_record", "delete_record")
        if getattr(producer.hooks, name)
    ]
    details.append(("test hooks", ", ".join(hooks) or "none"))
    if target.launches_producer:
        details.insert(0, ("launch", f"{target.launch}, started by the harness behind the mock platform"))
    else:
        details.insert(0, ("endpoint", producer.base_url or next(iter(producer.endpoints.values()))))
    return tuple(details)


def producer_preflight(target: ProducerSuiteTarget) -> None:
    """Configuration problems found before any scenario runs (exit status 2)."""
    producer = target.producer
    bundle = producer.ca_bundle
    if bundle and not bundle.startswith(("http://", "https://")) and not Path(bundle).is_file():
        raise TargetError(f"[producer] ca_bundle {bundle} does not exist")
    delete = producer.hooks.delete_record
    if delete and "{record_id}" not in delete:
        raise TargetError("[producer.test_hooks] delete_record must contain {record_id}")
    if not target.launches_producer and "{base_url}" in "".join(producer.endpoints.values()):
        raise TargetError("[producer] endpoints contain {base_url}, but no [launch] app fills it in")


def check_test_numbers(producer: ProducerTarget, persons_dir: Path) -> None:
    """The declared patients are Skatteverket test numbers (never a real person's)."""
    numbers = load_test_numbers(persons_dir)
    data = producer.test_data
    declared = (data.patient_id, data.samordningsnummer, data.unknown_patient, data.patient_without_records)
    unknown = [n for n in declared if n and not numbers.contains(n)]
    if unknown:
        raise TargetError(
            f"[producer.test_data]: {len(unknown)} patient number(s) are not Skatteverket test "
            "personnummer or samordningsnummer; never use real ones"
        )


def planned_skips(target: ProducerSuiteTarget, schemas: bool) -> tuple[PlannedSkip, ...]:
    """The scenarios that will skip for this target, each with the setting that would run it."""
    producer, found = target.producer, []
    for table, name, scenarios in _NEEDS:
        holder = producer.hooks if table == "test_hooks" else producer.test_data
        if not getattr(holder, name):
            found += [
                PlannedSkip(s, f"[producer.{table}] {name}", "the scenario needs it") for s in scenarios
            ]
    if not schemas:
        why = "no schema bundle"
        found += [PlannedSkip(s, "--schemas DIR (or RIVTA_SCHEMAS)", why) for s in ("PR-XSD-05", "PR-SCH-06")]
    for contract in producer.contracts:
        data = producer.data(contract)
        for name, scenarios in _PER_CONTRACT:
            if not getattr(data, name):
                setting = f'{name} in [producer.test_data.per_contract."{contract.key}"]'
                found += [
                    PlannedSkip(f"{s}[{contract.key}]", setting, "the scenario needs it") for s in scenarios
                ]
    return tuple(found)


def check_producer_target(file: TargetFile, options: CheckTargetOptions) -> TargetReport:
    """``conformance check-target``'s producer part: the sections read, the numbers are test numbers,
    the endpoints answer (unless the harness launches the producer), and what will skip."""
    try:
        target = load_producer_target(file)
        producer_preflight(target)
        check_test_numbers(target.producer, options.settings.persons_dir)
    except TargetError as exc:
        return TargetReport("producer", (CheckLine(ERROR, "[producer] settings", str(exc)),))
    producer = target.producer
    lines = [
        CheckLine(
            OK,
            "[producer] settings",
            f"{len(producer.contracts)} contract versions, logical "
            f"addresses {', '.join(producer.logical_addresses)}, test patients are test numbers",
        )
    ]
    if target.launches_producer:
        lines.append(
            CheckLine(OK, "endpoints", "the harness starts the reference producer: filled in at run time")
        )
    elif options.live:
        lines += [_probe(target, key, url) for key, url in producer.endpoints.items()]
    if producer.plain_http:
        lines.append(CheckLine(WARNING, "TLS", "plain HTTP: PR-TLS-02 will warn"))
    platform = target.platform
    vp, ei = (str(p) if p else "a free port each run" for p in (platform.vp_port, platform.ei_port))
    where = (
        f"VP https://127.0.0.1:{vp} (its CA: {platform.pki_directory / 'ca.crt'}), EI http://127.0.0.1:{ei}"
    )
    lines.append(CheckLine(OK, "[platform]", f"{where}: give these to the producer"))
    schemas = options.settings.schemas_dir is not None
    return TargetReport("producer", tuple(lines), planned_skips(target, schemas))


def _probe(target: ProducerSuiteTarget, key: str, url: str) -> CheckLine:
    """Whether the endpoint answers at all (any HTTP status; a GET on a SOAP endpoint is often 405)."""
    pki = target.platform.pki_directory
    identity = ClientIdentity(pki / "vp.crt", pki / "vp.key") if (pki / "vp.key").is_file() else None
    bundle = target.producer.ca_bundle
    verify: bool | Path = Path(bundle) if bundle else True
    with HttpTransport(
        Recorder(), verify=verify, identity=identity, timeout=5.0, verify_hostname=False
    ) as http:
        try:
            exchange = http.send("GET", url)
        except TargetUnreachable as exc:
            return CheckLine(ERROR, f"endpoint {key}", f"{url} does not answer ({exc})")
    return CheckLine(OK, f"endpoint {key}", f"{url} answers (HTTP {exchange.status})")
