"""The producer suite's session: the mock platform, the producer behind it, and what every scenario shares.

Set up once per run (:func:`open_environment`): start the mock NTjP (VP with TAK and mutual TLS,
engagement index, aggregating services) on the ``[platform]`` ports, start the reference producer
when the target launches it, route every declared contract version and logical address to the
producer's endpoint in TAK and authorise the 1177-journal-like consumer for them, then note the
engagement-index Updates the producer has sent so far (the baseline the EI scenarios judge besides
the ones they cause themselves). Everything started here is stopped when the context ends.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from harness.core.exchange import Direction, Exchange, Recorder
from harness.core.settings import RunSettings
from harness.core.soap import RIVTABP21, SOAP_CONTENT_TYPE
from harness.core.targets import TargetError
from harness.mock_ntp.config import PlatformSettings
from harness.mock_ntp.identities import PlatformIdentities
from harness.mock_ntp.platform import RunningPlatform, start_platform
from harness.mock_ntp.tak import Authorisation, Route, Tak
from harness.mock_ntp.tak_files import TakFileError
from harness.producer_suite.launcher import LaunchContext
from harness.producer_suite.target import ProducerSuiteTarget, ProducerTarget
from harness.transport import ClientIdentity, HttpTransport
from harness.validation import Validator

__all__ = ["ProducerEnvironment", "open_environment", "producer_tak"]

_BASELINE_LOG = 200  # Updates read back from the EI's log of earlier runs


@dataclass(frozen=True)
class ProducerEnvironment:
    """Everything a scenario needs to drive and judge the producer (shared, read-only)."""

    target: ProducerSuiteTarget
    producer: ProducerTarget  # with {base_url} filled in
    platform: RunningPlatform
    settings: RunSettings
    validator: Validator | None  # None without a schema bundle
    baseline_updates: tuple[Exchange, ...]  # the producer's Updates the EI had when the run began
    tak: Tak  # the TAK the run set up (scenarios that change it restore this)
    # Updates caused once per run through the record hooks, by whichever scenario needs them first: the
    # same create-and-delete whatever the order, so no verdict depends on which scenario caused them.
    caused_updates: dict[str, tuple[Exchange, ...]] = field(default_factory=dict)

    @property
    def identities(self) -> PlatformIdentities:
        return self.platform.settings.identities

    def consumer_transport(self, recorder: Recorder) -> HttpTransport:
        """The 1177-journal-like consumer towards the VP: its own client certificate (mutual TLS)."""
        consumer = self.platform.certificates.consumer
        return HttpTransport(
            recorder,
            verify=self.platform.certificates.ca,
            identity=ClientIdentity(consumer.cert, consumer.key),
            timeout=60.0,
            verify_hostname=False,
        )

    def direct_transport(self, recorder: Recorder, *, identity: bool = True) -> HttpTransport:
        """Straight to the producer, presenting the VP's client certificate as the platform would."""
        vp = self.platform.certificates.vp
        ca = self.producer.ca_bundle
        return HttpTransport(
            recorder,
            verify=Path(ca) if ca else True,
            identity=ClientIdentity(vp.cert, vp.key) if identity else None,
            timeout=60.0,
            verify_hostname=False,  # SKLTP producer.https.hostnameVerification=false
        )

    def producer_updates(self, exchanges: tuple[Exchange, ...]) -> tuple[Exchange, ...]:
        """The Update exchanges among ``exchanges`` that carry posts of the producer's source systems."""
        return tuple(x for x in exchanges if "ei-update" in x.tags and self.from_producer(x))

    def from_producer(self, exchange: Exchange) -> bool:
        body = exchange.request_body
        return any(f">{address}<".encode() in body for address in self.producer.logical_addresses)


def producer_tak(producer: ProducerTarget, identities: PlatformIdentities) -> Tak:
    """Routing to the producer's endpoint and the consumer's authorisation, per logical address and
    contract version the target declares (SKLTP TAK vägval and anropsbehörighet)."""
    routes: dict[tuple[str, str], Route] = {}
    authorisations: dict[tuple[str, str], Authorisation] = {}
    for contract in producer.contracts:
        for address in producer.logical_addresses:
            key = (address, contract.tak_contract)
            routes[key] = Route(address, contract.tak_contract, RIVTABP21, producer.endpoint(contract))
            authorisations[key] = Authorisation(identities.consumer, address, contract.tak_contract)
    return Tak(routes=tuple(routes.values()), authorisations=tuple(authorisations.values()))


@contextmanager
def open_environment(target: ProducerSuiteTarget, settings: RunSettings) -> Iterator[ProducerEnvironment]:
    """Start the platform (and the reference producer when the target launches it); stop both at the end."""
    with ExitStack() as stack:
        platform_settings = target.platform
        if target.launches_producer:  # a fresh engagement index each run; the PKI is kept
            scratch = Path(tempfile.mkdtemp(prefix="producer-suite-"))
            stack.callback(shutil.rmtree, scratch, True)
            platform_settings = replace(
                platform_settings, state_dir=scratch / "ntp", pki_dir=platform_settings.pki_directory
            )
        platform = _start_platform(platform_settings, settings)
        stack.callback(platform.stop)
        producer = target.producer
        if target.launcher is not None:
            context = LaunchContext(
                platform,
                platform_settings.state_directory.parent / "producer",
                settings.persons_dir,
                producer.ei_updates,
            )
            launched = target.launcher(context)
            stack.callback(launched.stop)
            producer = replace(producer.with_base_url(launched.base_url), ca_bundle=str(launched.ca_bundle))
        tak = platform.tak if platform_settings.tak else producer_tak(producer, platform_settings.identities)
        platform.set_tak(tak)
        validator = Validator(settings.schemas_dir) if settings.schemas_dir is not None else None
        environment = ProducerEnvironment(target, producer, platform, settings, validator, (), tak)
        yield replace(environment, baseline_updates=_baseline(environment))


def _start_platform(platform_settings: PlatformSettings, settings: RunSettings) -> RunningPlatform:
    try:
        tak = None if platform_settings.tak else Tak()  # TAK files are used as they are
        return start_platform(platform_settings, tak=tak, schema_dir=settings.schemas_dir)
    except TakFileError as exc:
        raise TargetError(f"[platform] tak: {exc}") from None
    except OSError as exc:
        raise TargetError(
            f"the mock platform cannot listen on its [platform] ports: {exc.strerror}"
        ) from None


def _baseline(environment: ProducerEnvironment) -> tuple[Exchange, ...]:
    """The producer's Updates so far: this run's (e.g. posted at launch) and, from the EI's log, earlier
    runs' (a vendor's producer posts when its data changes, not when a run starts)."""
    ei = environment.platform.ei
    current = environment.producer_updates(ei.recorder.exchanges)
    seen = {x.request_body for x in current}
    earlier = []
    for stored in ei.store.logged_updates(_BASELINE_LOG):
        if stored.request in seen:
            continue
        exchange = Exchange(
            id=f"ei-log{stored.seq}",
            direction=Direction.INCOMING,
            method="POST",
            url=f"{environment.platform.ei_url}/ (logged by the mock EI at {stored.at})",
            request_headers=(("Content-Type", SOAP_CONTENT_TYPE),),
            request_body=stored.request,
            status=200 if stored.accepted else 500,
            response_headers=(),
            response_body=b"",
            started=datetime.fromisoformat(stored.at) if stored.at else datetime.now(UTC),
            elapsed_ms=0.0,
            peer=stored.sender,
            tags=("ei", "ei-update", f"via-{stored.way}", "earlier-run"),
            note=stored.fault,
        )
        if environment.from_producer(exchange):
            earlier.append(exchange)
    return (*earlier, *current)
