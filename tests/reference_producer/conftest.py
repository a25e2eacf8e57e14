"""Fixtures: the seeded journal (seeded once, copied per test), the producer app in-process, the
official schemas (``../shared/rivta``, or ``$RIVTA_SCHEMAS``) and the validator."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from harness.personnummer import load_test_numbers
from harness.reference_producer.app import ReferenceProducer
from harness.reference_producer.config import ProducerConfig
from harness.reference_producer.organisation import DEFAULT_SOURCE_SYSTEMS, RESERVE_NUMBER_OID
from harness.reference_producer.seed import seed_journal
from harness.reference_producer.store import JournalStore
from harness.validation import Validator
from tests.reference_producer.helpers import RecordingSender

_SHARED = Path(__file__).resolve().parents[3] / "shared"


@pytest.fixture(scope="session")
def schema_dir() -> Path:
    return Path(os.environ.get("RIVTA_SCHEMAS") or _SHARED / "rivta")


@pytest.fixture(scope="session")
def persons_dir() -> Path:
    return Path(os.environ.get("TESTPERSONNUMMER_DIR") or _SHARED / "data" / "testpersonnummer")


@pytest.fixture(scope="session")
def validator(schema_dir: Path) -> Validator:
    return Validator(schema_dir)


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory: pytest.TempPathFactory, persons_dir: Path) -> Path:
    path = tmp_path_factory.mktemp("journal") / "journal.sqlite3"
    seed_journal(JournalStore(path), load_test_numbers(persons_dir), DEFAULT_SOURCE_SYSTEMS,
                 reserve_oid=RESERVE_NUMBER_OID)  # fmt: skip
    return path


@pytest.fixture
def db_path(seeded_db: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "journal.sqlite3"
    shutil.copyfile(seeded_db, copy)
    return copy


@pytest.fixture
def producer(db_path: Path) -> ReferenceProducer:
    """The reference producer as it runs, with test hooks on and no EI."""
    return ReferenceProducer(ProducerConfig(db_path=db_path, test_hooks=True), JournalStore(db_path))


@pytest.fixture(scope="session")
def shared_producer(seeded_db: Path) -> ReferenceProducer:
    """A producer for read-only tests (never changed by a hook)."""
    return ReferenceProducer(ProducerConfig(db_path=seeded_db), JournalStore(seeded_db))


@pytest.fixture
def sender() -> RecordingSender:
    return RecordingSender()
