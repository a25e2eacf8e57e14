"""EI Update messages: schema-valid (XSD and Inera's Update schematron), and the TKB §3 rules."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from harness.contracts import find_contract
from harness.contracts.model import MessageRole
from harness.core.soap import parse_envelope
from harness.reference_producer.contracts import EI_CATEGORIZATION
from harness.reference_producer.engagements import Engagement, Transaction, update_messages
from harness.reference_producer.publisher import EiPublisher, EiSettings
from harness.reference_producer.store import JournalStore
from harness.reference_producer.testdata import RESERVE_NUMBER
from harness.validation import Validator
from tests.reference_producer.helpers import RP01, RP02, RecordingSender

EI = "TSTNMT2321000156-EI01"
U, C = "urn:riv:itintegration:engagementindex:UpdateResponder:1", "urn:riv:itintegration:engagementindex:1"


def _published(seeded_db: Path) -> list[bytes]:
    sender = RecordingSender()
    outcomes = EiPublisher(EiSettings("http://127.0.0.1:9/vp"), sender).publish_all(JournalStore(seeded_db))
    assert outcomes and all(o.result == "OK" for o in outcomes)
    return sender.bodies


def _engagements(body: bytes) -> list[dict[str, str]]:
    root = parse_envelope(body).body
    assert root is not None
    return [{etree.QName(c).localname: c.text or "" for c in e} for e in root.iter(f"{{{C}}}engagement")]


def test_start_up_update_is_schema_and_schematron_valid(seeded_db: Path, validator: Validator) -> None:
    for body in _published(seeded_db):
        result = validator.validate(find_contract("Update", "1.0"), body, role=MessageRole.REQUEST)
        assert not result.issues, [f"{i.rule}: {i.message}" for i in result.issues]
        assert any("schematron" in c for c in result.checked), result.checked
        assert parse_envelope(body).logical_address == EI


def test_start_up_posts_follow_the_tkb(seeded_db: Path) -> None:
    posts = [e for body in _published(seeded_db) for e in _engagements(body)]
    domains = {"riv:clinicalprocess:healthcond:description", "riv:clinicalprocess:logistics:logistics",
               "riv:clinicalprocess:healthcond:actoutcome"}  # fmt: skip
    for post in posts:
        assert post["serviceDomain"] in domains and not post["serviceDomain"].startswith("urn:")
        assert post["categorization"] in EI_CATEGORIZATION.values()
        assert post["logicalAddress"] == post["sourceSystem"] and post["sourceSystem"] in (RP01, RP02)
        assert post["businessObjectInstanceIdentifier"] == post["clinicalProcessInterestId"] == "NA"
        assert post["dataController"].startswith("SE") and len(post["dataController"]) == 12
        assert not {"owner", "creationTime", "updateTime"} & post.keys()
        assert len(post["registeredResidentIdentification"]) == 12 and post["mostRecentContent"]
    keys = [tuple(sorted(p.items())) for p in posts]
    assert len(set(keys)) == len(keys)
    residents = {p["registeredResidentIdentification"] for p in posts}
    assert (
        RESERVE_NUMBER not in residents and "195709263080" in residents
    )  # the reserve's linked personnummer


def test_categorization_per_contract_family(seeded_db: Path) -> None:
    posts = [e for body in _published(seeded_db) for e in _engagements(body)]
    pairs = {(p["serviceDomain"].rsplit(":", 1)[-1], p["categorization"]) for p in posts}
    assert pairs == {("description", "voo"), ("description", "dia"), ("logistics", "vko"),
                     ("actoutcome", "und-kkm-ure")}  # fmt: skip


def test_at_most_1000_posts_per_update() -> None:
    transactions = [
        Transaction(False, Engagement(f"1957092630{i % 100:02d}", "riv:x", "voo", RP01, RP01, "SE1", str(i)))
        for i in range(2500)
    ]
    messages = update_messages(transactions, EI)
    counts = [len(_engagements(m)) for m in messages]
    assert counts == [1000, 1000, 500]


def test_a_deletion_has_no_most_recent_content() -> None:
    [message] = update_messages(
        [Transaction(True, Engagement("195709263080", "riv:x", "voo", RP01, RP01, "SE1"))], EI
    )
    assert "mostRecentContent" not in _engagements(message)[0]
    assert b"<ei:deleteFlag>true</ei:deleteFlag>" in message
