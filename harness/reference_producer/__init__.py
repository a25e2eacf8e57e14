"""The reference journal producer: a conformant RIVTA producer over a SQLite journal.

It serves GetCareDocumentation 2.1/3.0, GetDiagnosis 2.0, GetCareContacts 2.0/3.0 and
GetLaboratoryOrderOutcome 3.1/4.2 on two source systems of its own, posts Update to the engagement
index, and (in a test environment) exposes test hooks. It is the demo target and the positive
control of the producer suite; like a vendor's system it imports the core, never a mock.

Seams (dependency injection, never test-mode flags): :class:`ProducerRules` (request checks, record
filters, patient lookup, renderers, response transforms, fault writer, serializer) and
:class:`EiRules` (which changes are posted, rewrites of each post).
"""

from harness.reference_producer.app import ReferenceProducer
from harness.reference_producer.certificate import PRODUCER_CERTIFICATE
from harness.reference_producer.config import ConsumerPolicy, ProducerConfig
from harness.reference_producer.contracts import SERVED_CONTRACTS, RecordKind, ServedContract
from harness.reference_producer.declaration import DeclaredTestData, declared_test_data
from harness.reference_producer.launch import (
    RunningProducer,
    build_producer,
    describe,
    start_reference_producer,
)
from harness.reference_producer.publisher import Change, EiPublisher, EiRules, EiSettings
from harness.reference_producer.responder import ProducerRules
from harness.reference_producer.seed import seed_journal
from harness.reference_producer.store import JournalStore

__all__ = [
    "PRODUCER_CERTIFICATE",
    "SERVED_CONTRACTS",
    "Change",
    "ConsumerPolicy",
    "DeclaredTestData",
    "EiPublisher",
    "EiRules",
    "EiSettings",
    "JournalStore",
    "ProducerConfig",
    "ProducerRules",
    "RecordKind",
    "ReferenceProducer",
    "RunningProducer",
    "ServedContract",
    "build_producer",
    "declared_test_data",
    "describe",
    "seed_journal",
    "start_reference_producer",
]
