"""The producer suite's sections of a target file: ``[producer]`` (the journal producer under test, its
declared test data and test hooks), ``[platform]`` (the mock NTjP, read by
:class:`~harness.mock_ntp.config.PlatformSettings`) and ``[load]`` (the load cases, read by
:class:`~harness.producer_suite.load.settings.LoadSettings`).

Read once by :func:`load_producer_target`; relative paths are resolved against the target file.
URLs may contain ``{base_url}``: with ``[launch] app = "reference-producer"`` the harness starts the
reference producer behind the mock platform on a free port and fills it in. The test data is declared
the way Inera's producer test suites declare theirs (``test-suite/<Contract>/data.xml``: a patient with
records, a samordningsnummer, a reserve number, a care unit, a care contact, a period with data ...).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from harness.contracts import (
    CATALOGUE,
    PERSONNUMMER_OID,
    ContractNotFound,
    ContractVersion,
    parse_contract_key,
    response_time_limit_s,
)
from harness.core.targets import PATH_OR_URL, TargetError, TargetFile, load_section
from harness.mock_ntp.config import PlatformConfigError, PlatformSettings
from harness.producer_suite.load.settings import SECTION as LOAD_SECTION
from harness.producer_suite.load.settings import LoadSettings

if TYPE_CHECKING:
    from harness.producer_suite.launcher import LaunchContext, LaunchedProducer

__all__ = [
    "DEFAULT_ENDPOINT",
    "LAUNCHABLE",
    "ROUTES",
    "SECTIONS",
    "ConsumerFiltering",
    "ContractData",
    "Period",
    "ProducerLauncher",
    "ProducerSuiteTarget",
    "ProducerTarget",
    "TestData",
    "TestHooks",
    "load_producer_target",
]

SECTIONS = ("producer", "platform", LOAD_SECTION)
LAUNCHABLE = "reference-producer"
# The VP's path pattern (SKLTP test-suite data.xml: .../vp/<domain path>/<Contract>/<major>/rivtabp21).
DEFAULT_ENDPOINT = "{base_url}/{domain_path}/{contract}/{major}/rivtabp21"
ROUTES = ("vp", "direct")
ProducerLauncher = Callable[["LaunchContext"], "LaunchedProducer"]


@dataclass(frozen=True, slots=True)
class Period:
    """A date period, both ends inclusive (``YYYYMMDD``)."""

    start: str
    end: str

    def __post_init__(self) -> None:
        for value in (self.start, self.end):
            if len(value) != 8 or not value.isdigit():
                raise ValueError(f"dates are YYYYMMDD, not {value!r}")
        if self.start > self.end:
            raise ValueError(f"period start {self.start} is after its end {self.end}")


@dataclass(frozen=True, slots=True)
class ConsumerFiltering:
    """Inera's 7.x cases: an original consumer with one care unit excluded, and one with none approved."""

    consumer: str = ""  # 7.1 CareUnit_Blacklisted: httpHeaderHsaId2
    excluded_care_unit: str = ""  # the care unit excluded for that consumer
    filter_string: str = ""  # text only the excluded care unit's records carry (filterString)
    blocked_consumer: str = ""  # 7.2 Consumer_Blacklisted

    def __post_init__(self) -> None:
        if bool(self.consumer) != bool(self.excluded_care_unit):
            raise ValueError("consumer_filtering: consumer and excluded_care_unit go together")


@dataclass(frozen=True, slots=True)
class ContractData:
    """Test data of one contract version (``[producer.test_data.per_contract."NAME:VERSION"]``); an
    empty value takes the global one."""

    period: Period | None = None  # a period with records (1.2.1); a single day tests the end date
    approved_false: str = ""  # a record returned with approvedForPatient false (4.2)
    care_unit: str = ""
    care_giver: str = ""
    care_contact_id: str = ""
    special_characters: str | None = None  # "" where none is seeded in this contract's records
    linked_record: str = ""  # a record held under the reserve number linked to patient_id
    content_records: tuple[str, ...] = ()  # records of the content cases (5.x) that must come back


@dataclass(frozen=True, slots=True)
class TestData:
    """``[producer.test_data]``, in the manner of Inera's ``data.xml`` globaldata."""

    __test__ = False  # not a pytest test class

    patient_id: str
    patient_id_type: str = PERSONNUMMER_OID
    unknown_patient: str = ""  # a Skatteverket test number the producer has never seen (1.8)
    samordningsnummer: str = ""  # 1.1.2
    reserve_id: str = ""  # 1.1.4, linked to patient_id
    reserve_id_type: str = ""  # the producer's local reserve-number OID
    patient_without_records: str = ""
    source_system: str = ""  # the logical address holding the records (default: the first)
    care_unit: str = ""
    care_giver: str = ""
    care_contact_id: str = ""
    empty_period: Period = field(default_factory=lambda: Period("20100101", "20100201"))
    special_characters: str = ""  # testString (2.2), seeded in the patient's records
    random_intervals: int = 30  # numberOfIntervals (1.2.2)
    consumer_filtering: ConsumerFiltering | None = None

    def __post_init__(self) -> None:
        if bool(self.reserve_id) != bool(self.reserve_id_type):
            raise ValueError("test_data: reserve_id and reserve_id_type go together")
        if not 0 <= self.random_intervals <= 200:
            raise ValueError("test_data: random_intervals must be 0-200")


@dataclass(frozen=True, slots=True)
class TestHooks:
    """``[producer.test_hooks]``: URLs a test environment exposes so the harness can make things happen
    (JSON bodies; see the README). Without one, the scenarios that need it are skipped."""

    __test__ = False

    technical_error: str = ""  # POST {"calls": n}: the next n calls fail technically (1.7 SoapFault)
    approved_for_patient: str = ""  # POST {"record_id": ..., "value": true|false}
    create_record: str = ""  # POST {"contract", "kind", "patient_id", "source_system"} -> {"record_id"}
    delete_record: str = ""  # DELETE; the URL contains {record_id}


@dataclass(frozen=True, slots=True)
class _ProducerSection:
    logical_addresses: tuple[str, ...]
    contracts: tuple[str, ...]
    base_url: str = ""
    endpoint: str = DEFAULT_ENDPOINT
    ca_bundle: str = field(default="", metadata=PATH_OR_URL)
    route: str = "vp"  # "vp": through the mock VP with TAK routing; "direct": the harness calls it
    ei_updates: str = "vp"  # how the producer posts Update: "vp" or "direct" (to the mock EI)
    max_response_time_s: float = 0.0  # 0: the TKB limits (30 s / 27 s); lower only, e.g. in tests
    ei_wait_s: float = 30.0  # how long to wait for an Update after a change made through a hook
    docbook_allowed: tuple[str, ...] = ()  # DocBook elements beyond the TKB's list (a consumer agreement)

    def __post_init__(self) -> None:
        if not self.logical_addresses or not self.contracts:
            raise ValueError("logical_addresses and contracts must each name at least one")
        for name, value in (("route", self.route), ("ei_updates", self.ei_updates)):
            if value not in ROUTES:
                raise ValueError(f"{name} must be one of {', '.join(ROUTES)}, not {value!r}")
        if not 0 <= self.max_response_time_s <= 30 or not 0 < self.ei_wait_s <= 3600:
            raise ValueError("max_response_time_s must be 0-30 and ei_wait_s 1-3600 seconds")


@dataclass(frozen=True, slots=True)
class ProducerTarget:
    """The ``[producer]`` section, resolved: contract versions, one endpoint each, test data, hooks."""

    logical_addresses: tuple[str, ...]
    contracts: tuple[ContractVersion, ...]
    endpoints: Mapping[str, str]  # contract key -> URL
    base_url: str
    ca_bundle: str
    route: str
    ei_updates: str
    max_response_time_s: float
    ei_wait_s: float
    docbook_allowed: tuple[str, ...]
    test_data: TestData
    per_contract: Mapping[str, ContractData]
    hooks: TestHooks

    @property
    def source_system(self) -> str:
        """The logical address that holds the declared test data."""
        return self.test_data.source_system or self.logical_addresses[0]

    @property
    def plain_http(self) -> bool:
        return any(url.startswith("http://") for url in self.endpoints.values())

    def endpoint(self, contract: ContractVersion) -> str:
        return self.endpoints[contract.key]

    def response_limit_s(self, contract: ContractVersion) -> float:
        """The domain's response-time limit, or the target's lower one."""
        return response_time_limit_s(contract, self.max_response_time_s)

    def data(self, contract: ContractVersion) -> ContractData:
        """The contract's test data with the global values filled in."""
        own = self.per_contract.get(contract.key, ContractData())
        data = self.test_data
        return replace(
            own,
            care_unit=own.care_unit or data.care_unit,
            care_giver=own.care_giver or data.care_giver,
            care_contact_id=own.care_contact_id or data.care_contact_id,
            special_characters=data.special_characters
            if own.special_characters is None
            else own.special_characters,
        )

    def with_base_url(self, base_url: str) -> ProducerTarget:
        def fill(value: str) -> str:
            return value.replace("{base_url}", base_url.rstrip("/"))

        hooks = TestHooks(**{name: fill(getattr(self.hooks, name)) for name in _HOOK_NAMES})
        endpoints = MappingProxyType({k: fill(v) for k, v in self.endpoints.items()})
        return replace(self, base_url=fill(self.base_url), endpoints=endpoints, hooks=hooks)


_HOOK_NAMES = ("technical_error", "approved_for_patient", "create_record", "delete_record")


@dataclass(frozen=True, slots=True)
class ProducerSuiteTarget:
    """What the producer suite runs against: the target file's name and source, [producer], [platform]."""

    name: str
    source: Path
    launch: str  # "" (a vendor's producer, already running) or "reference-producer"
    producer: ProducerTarget
    platform: PlatformSettings
    # Starts the producer behind the platform (``[launch]``); tests inject a flawed reference producer.
    launcher: ProducerLauncher | None = None
    load: LoadSettings = field(default_factory=LoadSettings)  # [load]: the load cases (Inera 6.x)

    @property
    def launches_producer(self) -> bool:
        return self.launcher is not None


def load_producer_target(file: TargetFile) -> ProducerSuiteTarget:
    """``[producer]`` and ``[platform]`` of ``file``, validated; a bad one is a :class:`TargetError`."""
    if file.launch not in ("", LAUNCHABLE):
        raise TargetError(
            f"{file.source.name}: [launch] app {file.launch!r} is not known; valid apps: {LAUNCHABLE}"
        )
    raw = file.section("producer")
    if raw is None:
        raise TargetError(f"{file.source.name} has no [producer] section: the producer suite needs one")
    producer = _producer(dict(raw), file.folder)
    try:
        platform = PlatformSettings.from_table(
            file.section("platform") or {}, file.folder, default_state_dir=file.folder / ".state" / "ntp"
        )
    except PlatformConfigError as exc:
        raise TargetError(str(exc)) from None
    if producer.ca_bundle and not producer.ca_bundle.startswith(("http://", "https://")):
        platform = replace(platform, producer_ca=(*platform.producer_ca, Path(producer.ca_bundle)))
    launcher = None
    if file.launch == LAUNCHABLE:
        from harness.producer_suite.launcher import launch_reference_producer

        launcher = launch_reference_producer
    load = load_section(
        LoadSettings, file.section(LOAD_SECTION), where=f"[{LOAD_SECTION}]", folder=file.folder
    )
    return ProducerSuiteTarget(file.name, file.source, file.launch, producer, platform, launcher, load)


def _pop_table(raw: dict[str, Any], key: str, where: str) -> dict[str, Any]:
    value = raw.pop(key, {})
    if not isinstance(value, dict):
        raise TargetError(f"{where} must be a table, not {value!r}")
    return value


def _producer(raw: dict[str, Any], folder: Path) -> ProducerTarget:
    test_data_raw = _pop_table(raw, "test_data", "[producer] test_data")
    endpoints_raw = _pop_table(raw, "endpoints", "[producer] endpoints")
    per_contract_raw = _pop_table(test_data_raw, "per_contract", "[producer.test_data] per_contract")
    hooks_raw = _raw_hooks(raw)
    section = load_section(_ProducerSection, raw, where="[producer]", folder=folder)
    contracts = tuple(_contract(key, "[producer] contracts") for key in section.contracts)
    if not test_data_raw:
        raise TargetError("[producer] needs [producer.test_data] with at least patient_id")
    test_data = load_section(TestData, test_data_raw, where="[producer.test_data]", folder=folder)
    if test_data.source_system and test_data.source_system not in section.logical_addresses:
        raise TargetError("[producer.test_data] source_system must be one of [producer] logical_addresses")
    return ProducerTarget(
        logical_addresses=section.logical_addresses,
        contracts=contracts,
        endpoints=MappingProxyType(_endpoints(section, contracts, endpoints_raw)),
        base_url=section.base_url,
        ca_bundle=section.ca_bundle,
        route=section.route,
        ei_updates=section.ei_updates,
        max_response_time_s=section.max_response_time_s,
        ei_wait_s=section.ei_wait_s,
        docbook_allowed=section.docbook_allowed,
        test_data=test_data,
        per_contract=MappingProxyType(_per_contract(per_contract_raw, contracts, folder)),
        hooks=load_section(TestHooks, hooks_raw, where="[producer.test_hooks]", folder=folder),
    )


def _per_contract(
    raw: dict[str, Any], contracts: tuple[ContractVersion, ...], folder: Path
) -> dict[str, ContractData]:
    keys, found = {c.key for c in contracts}, {}
    for key, table in raw.items():
        where = f'[producer.test_data.per_contract."{key}"]'
        contract = _contract(key, where)
        if contract.key not in keys:
            raise TargetError(f"{where}: {contract.key} is not in [producer] contracts")
        found[contract.key] = load_section(ContractData, table, where=where, folder=folder)
    return found


def _endpoints(
    section: _ProducerSection, contracts: tuple[ContractVersion, ...], raw: dict[str, Any]
) -> dict[str, str]:
    """The endpoint template filled in per contract, then the explicit ``[producer.endpoints]``."""
    endpoints = {c.key: _endpoint(section, c) for c in contracts}
    for key, url in raw.items():
        contract = _contract(key, "[producer] endpoints")
        if contract.key not in endpoints or not isinstance(url, str):
            raise TargetError(f"[producer] endpoints: {key!r} must be a declared contract with a URL")
        endpoints[contract.key] = url
    return endpoints


def _raw_hooks(raw: dict[str, Any]) -> dict[str, Any]:
    """The ``test_hooks`` table, taken out of the ``[producer]`` table."""
    return _pop_table(raw, "test_hooks", "[producer] test_hooks")


def _contract(key: str, where: str) -> ContractVersion:
    try:
        contract = parse_contract_key(key)
    except ContractNotFound as exc:
        raise TargetError(f"{where}: {exc}") from None
    if contract not in CATALOGUE:
        raise TargetError(f"{where}: {contract.key} is a platform contract, not a journal contract")
    return contract


def _endpoint(section: _ProducerSection, contract: ContractVersion) -> str:
    if "{base_url}" in section.endpoint and not section.base_url:
        raise TargetError(
            "[producer] needs base_url (or endpoints per contract) to fill the endpoint template"
        )
    return section.endpoint.format(
        base_url=section.base_url.rstrip("/"),
        domain_path=contract.domain.replace(":", "/"),
        contract=contract.name,
        major=contract.major,
    )
