"""What the runner, the report and ``conformance check-target`` need of a producer target besides its
sections: a description for the report, the checks before a run, and the check-target lines (what
was checked, what answers, which scenarios will skip and the setting that would enable them)."""

from __future__ import annotations

from pathlib import Path

from harness.core.exchange import Recorder
from harness.core.settings import RunSettings
from harness.core.targets import TargetError
from harness.personnummer import load_test_numbers
from harness.producer_suite.target import ProducerSuiteTarget, ProducerTarget
from harness.transport import ClientIdentity, HttpTransport, TargetUnreachable

__all__ = [
    "TEMPLATE",
    "check_producer_target",
    "describe_producer",
    "producer_preflight",
    "skipped_by_target",
]

TEMPLATE = Path(__file__).with_name("template.toml")

# Which scenarios need which optional setting (shown by check-target and the README).
_NEEDS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("test_hooks", "technical_error", ("PR-ERR-15A", "PR-ERR-15B")),
    ("test_hooks", "approved_for_patient", ("PR-APF-11E",)),
    ("test_hooks", "create_record", ("PR-EIT-21",)),
    ("test_hooks", "delete_record", ("PR-EIT-21",)),
    ("test_data", "unknown_patient", ("PR-UNK-08",)),
    ("test_data", "samordningsnummer", ("PR-PAT-07B",)),
    ("test_data", "reserve_id", ("PR-PAT-07R", "PR-PAT-07L")),
    ("test_data", "care_unit", ("PR-FLT-09U",)),
    ("test_data", "care_giver", ("PR-FLT-09G",)),
    ("test_data", "care_contact_id", ("PR-FLT-09C",)),
    ("test_data", "special_characters", ("PR-ENC-17S",)),
    ("test_data", "consumer_filtering", ("PR-CONS-19F", "PR-CONS-19B")),
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


def skipped_by_target(target: ProducerSuiteTarget, settings: RunSettings) -> list[str]:
    """One line per scenario group that will skip for this target, with the setting that enables it."""
    producer, lines = target.producer, []
    for table, name, scenarios in _NEEDS:
        holder = producer.hooks if table == "test_hooks" else producer.test_data
        if not getattr(holder, name):
            lines.append(f"will skip {', '.join(scenarios)}: set [producer.{table}] {name}")
    if settings.schemas_dir is None:
        lines.append("will skip PR-XSD-05, PR-SCH-06: no schema bundle (--schemas DIR or RIVTA_SCHEMAS)")
    for contract in producer.contracts:
        data = producer.data(contract)
        missing = [n for n in ("period", "approved_false") if not getattr(data, n)]
        if missing:
            lines.append(
                f"{contract.key}: no {' or '.join(missing)} in [producer.test_data.per_contract."
                f'"{contract.key}"]: PR-FLT-09P / PR-APF-11F skip for it'
            )
    return lines


def check_producer_target(target: ProducerSuiteTarget, settings: RunSettings) -> list[str]:
    """``conformance check-target``'s producer part: the file reads, the numbers are test numbers, the
    endpoints answer (unless the harness launches the producer), and what will skip."""
    producer_preflight(target)
    producer = target.producer
    check_test_numbers(producer, settings.persons_dir)
    lines = [
        f"[producer] {len(producer.contracts)} contract versions, logical addresses "
        f"{', '.join(producer.logical_addresses)}: read and checked"
    ]
    if target.launches_producer:
        lines.append(
            "[launch] the harness starts the reference producer: endpoints are filled in at run time"
        )
    else:
        lines += [_probe(target, key, url) for key, url in producer.endpoints.items()]
    platform = target.platform
    lines.append(
        f"[platform] VP https://127.0.0.1:{platform.vp_port} (CA {platform.pki_dir / 'ca.crt'}), "
        f"EI http://127.0.0.1:{platform.ei_port}: give these to the producer"
    )
    return lines + skipped_by_target(target, settings)


def _probe(target: ProducerSuiteTarget, key: str, url: str) -> str:
    """Whether the endpoint answers at all (any HTTP status; a GET on a SOAP endpoint is often 405)."""
    pki = target.platform.pki_dir
    identity = ClientIdentity(pki / "vp.crt", pki / "vp.key") if (pki / "vp.key").is_file() else None
    bundle = target.producer.ca_bundle
    with HttpTransport(
        Recorder(),
        verify=Path(bundle) if bundle else True,
        identity=identity,
        timeout=5.0,
        verify_hostname=False,
    ) as transport:
        try:
            exchange = transport.send("GET", url)
        except TargetUnreachable as exc:
            return f"{key}: {url} does not answer ({exc})"
    return f"{key}: {url} answers (HTTP {exchange.status})"
