"""Posting Update to the engagement index: at start-up for every record, then after each change.

TKB clinicalprocess:healthcond:description §4: "Engagemangsindex ska uppdateras så snart en händelse
inträffar"; the post must point at data readable at once, so it is sent after the change is
committed. The Update goes through the VP, addressed to the EI's logical address. The seams
(:class:`EiRules`) decide which changes are posted and may rewrite posts.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from enum import Enum
from pathlib import Path
from typing import Protocol

import requests

from harness.core.soap import SoapError, parse_envelope
from harness.reference_producer.engagements import (
    MAX_POSTS_PER_UPDATE,
    UPDATE_SOAP_ACTION,
    Engagement,
    Transaction,
    deletion,
    engagement_key,
    engagements_of,
    update_messages,
)
from harness.reference_producer.model import Record
from harness.reference_producer.responder import XML_CONTENT_TYPE
from harness.reference_producer.store import JournalStore

__all__ = [
    "DEFAULT_EI_HSA_ID",
    "Change",
    "EiOutcome",
    "EiPublisher",
    "EiRules",
    "EiSender",
    "EiSettings",
    "HttpEiSender",
]

DEFAULT_EI_HSA_ID = "TSTNMT2321000156-EI01"


class Change(Enum):
    CREATED = "created"
    UPDATED = "updated"
    APPROVAL_CHANGED = (
        "approval_changed"  # approvedForPatient (TKB description §7: "skall källsystemet uppdatera")
    )
    DELETED = "deleted"


EngagementTransform = Callable[[Engagement], Engagement]


@dataclass(frozen=True)
class EiRules:
    """Seams: which changes trigger a post, and rewrites applied to every post before it is sent."""

    notify_on: frozenset[Change] = frozenset(Change)
    transforms: tuple[EngagementTransform, ...] = ()


@dataclass(frozen=True, slots=True)
class EiSettings:
    url: str  # the VP's Update endpoint (or the EI's own)
    logical_address: str = DEFAULT_EI_HSA_ID
    client_cert: Path | None = None
    client_key: Path | None = None
    ca_cert: Path | None = None
    timeout_s: float = 10.0


@dataclass(frozen=True, slots=True)
class EiOutcome:
    posts: int
    status: int | None  # HTTP status, None if no answer
    result: str  # the UpdateResponse ResultCode, "FAULT" or "UNREACHABLE"


class EiSender(Protocol):
    def post(self, body: bytes, headers: Mapping[str, str]) -> tuple[int, bytes]: ...


class HttpEiSender:
    """HTTP(S) POST with the producer's client certificate (mutual TLS towards the VP)."""

    def __init__(self, settings: EiSettings) -> None:
        self.settings = settings

    def post(self, body: bytes, headers: Mapping[str, str]) -> tuple[int, bytes]:
        s = self.settings
        cert = (str(s.client_cert), str(s.client_key)) if s.client_cert and s.client_key else None
        verify: bool | str = str(s.ca_cert) if s.ca_cert else True
        answer = requests.post(
            s.url, data=body, headers=dict(headers), cert=cert, verify=verify, timeout=s.timeout_s
        )
        return answer.status_code, answer.content


def _result_code(body: bytes) -> str:
    try:
        envelope = parse_envelope(body)
    except SoapError:
        return "NOT SOAP"
    if envelope.fault is not None or envelope.body is None:
        return "FAULT"
    code = envelope.body.find("{urn:riv:itintegration:engagementindex:UpdateResponder:1}ResultCode")
    return code.text or "" if code is not None else "NO RESULT"


@dataclass
class EiPublisher:
    settings: EiSettings
    sender: EiSender
    rules: EiRules = field(default_factory=EiRules)
    outcomes: deque[EiOutcome] = field(default_factory=lambda: deque(maxlen=200))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def publish_all(self, store: JournalStore) -> list[EiOutcome]:
        """Every post of the journal (at start-up)."""
        posts = engagements_of(store.all_records()).values()
        return self._send([Transaction(False, e) for e in posts])

    def record_changed(self, store: JournalStore, record: Record, change: Change) -> list[EiOutcome]:
        """After ``record`` was created, changed or deleted (and committed): its post, updated or deleted."""
        key = engagement_key(record)
        if key is None or change not in self.rules.notify_on:
            return []
        remaining = [r for r in store.all_records() if engagement_key(r) == key]
        current = engagements_of(remaining).get(key)
        transaction = deletion(key) if current is None else Transaction(False, current)
        return self._send([transaction])

    def _send(self, transactions: list[Transaction]) -> list[EiOutcome]:
        rewritten = [replace(t, engagement=self._rewrite(t.engagement)) for t in transactions]
        headers = {"Content-Type": XML_CONTENT_TYPE, "SOAPAction": f'"{UPDATE_SOAP_ACTION}"'}
        outcomes = []
        with self._lock:  # one Update at a time, in the order of the changes
            for body, count in zip(
                update_messages(rewritten, self.settings.logical_address),
                _counts(len(rewritten)),
                strict=True,
            ):
                outcomes.append(self._post(body, headers, count))
        self.outcomes.extend(outcomes)
        return outcomes

    def _rewrite(self, engagement: Engagement) -> Engagement:
        for transform in self.rules.transforms:
            engagement = transform(engagement)
        return engagement

    def _post(self, body: bytes, headers: Mapping[str, str], count: int) -> EiOutcome:
        try:
            status, answer = self.sender.post(body, headers)
        except (requests.RequestException, OSError):
            return EiOutcome(count, None, "UNREACHABLE")
        return EiOutcome(count, status, _result_code(answer))


def _counts(total: int) -> list[int]:
    return [min(MAX_POSTS_PER_UPDATE, total - i) for i in range(0, total, MAX_POSTS_PER_UPDATE)]
