"""Test hooks: HTTP calls a test environment exposes so that a harness can make things happen.

Off unless the producer runs with ``test_hooks=True``. The same hooks are what the producer
conformance suite asks a vendor's test environment to expose. JSON in, JSON out:

- ``POST /test-hooks/approved-for-patient`` ``{"record_id": "...", "value": false}`` -> 200
  ``{"record_id", "approved_for_patient", "ei_posts"}``; 404 for an unknown record.
- ``POST /test-hooks/records`` ``{"kind": "note"|"diagnosis"|"care_contact"|"lab", "patient_id":
  "<personnummer>", "source_system"?, "care_unit"?}`` -> 201 ``{"record_id", "ei_posts"}``.
- ``DELETE /test-hooks/records/<record_id>`` -> 200 ``{"record_id", "ei_posts"}``; 404 if unknown.
- ``POST /test-hooks/technical-error`` ``{"calls": 1}`` -> 200 ``{"failing_calls": n}``: the next n
  contract calls fail as if the database were down (a SOAP Fault; Inera's test case 1.7 SoapFault).
- ``GET /test-hooks`` -> the list of hooks.

Each change is committed before the EI post, and the post is sent before the hook answers.
"""

from __future__ import annotations

import json
import re
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from werkzeug.wrappers import Request, Response

from harness.personnummer import is_samordningsnummer
from harness.reference_producer.contracts import RecordKind
from harness.reference_producer.model import (
    PERSONNUMMER_OID,
    SAMORDNINGSNUMMER_OID,
    CareContactDetails,
    Details,
    DiagnosisDetails,
    Identity,
    LabAnalysis,
    LabDetails,
    NoteDetails,
    Record,
)
from harness.reference_producer.publisher import Change, EiPublisher
from harness.reference_producer.store import JournalStore

__all__ = ["HOOKS_PREFIX", "Outage", "TestHooks"]

HOOKS_PREFIX = "/test-hooks"
_MAX_HOOK_BYTES = 10_000


@dataclass
class Outage:
    """The next ``remaining`` contract calls fail with a technical error."""

    remaining: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def arm(self, calls: int) -> None:
        with self._lock:
            self.remaining = calls

    def take(self) -> bool:
        with self._lock:
            if self.remaining <= 0:
                return False
            self.remaining -= 1
            return True


class HookError(ValueError):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _json(status: int, payload: dict[str, Any]) -> Response:
    return Response(json.dumps(payload, ensure_ascii=False), status=status, mimetype="application/json")


def _details(kind: RecordKind, now: str) -> Details:
    if kind is RecordKind.NOTE:
        return NoteDetails("bes", "Ny anteckning", "Skapad genom testkrok.")
    if kind is RecordKind.DIAGNOSIS:
        return DiagnosisDetails(True, "J06.9", "Akut övre luftvägsinfektion, ospecificerad", now)
    if kind is RecordKind.CARE_CONTACT:
        return CareContactDetails("1", "Skapad genom testkrok", now, now, "finished")
    analysis = LabAnalysis(
        "hook-a1", "NPU19748", "P—C-reaktivt protein; masskonc.", "hook-s1", now, "3", "mg/L"
    )
    return LabDetails(
        "hook-svar", "final", "Klinisk kemi", "Normalt.", "hook-rid", now, "Infektion?", (analysis,)
    )


@dataclass
class TestHooks:
    __test__ = False  # not a pytest test class

    store: JournalStore
    source_systems: tuple[str, ...]
    now: Callable[[], str]
    publisher: EiPublisher | None
    outage: Outage = field(default_factory=Outage)

    def __call__(self, request: Request) -> Response:
        try:
            return self._route(request)
        except HookError as exc:
            return _json(exc.status, {"error": str(exc)})

    def _route(self, request: Request) -> Response:
        path = request.path[len(HOOKS_PREFIX) :].rstrip("/")
        if request.method == "GET" and path == "":
            return _json(
                200, {"hooks": ["approved-for-patient", "records", "records/<record_id>", "technical-error"]}
            )
        if request.method == "DELETE" and path.startswith("/records/"):
            return self._delete(path.removeprefix("/records/"))
        if request.method != "POST":
            raise HookError(405, "use POST (or DELETE /test-hooks/records/<record_id>)")
        body = self._body(request)
        handlers = {
            "/approved-for-patient": self._approve,
            "/records": self._create,
            "/technical-error": self._fail,
        }
        if path not in handlers:
            raise HookError(404, f"no hook {path!r}")
        return handlers[path](body)

    @staticmethod
    def _body(request: Request) -> dict[str, Any]:
        raw = request.get_data(cache=False)[: _MAX_HOOK_BYTES + 1]
        if len(raw) > _MAX_HOOK_BYTES:
            raise HookError(413, "hook bodies are small JSON objects")
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            raise HookError(400, "the body is not JSON") from None
        if not isinstance(body, dict):
            raise HookError(400, "the body must be a JSON object")
        return body

    def _posted(self, record: Record, change: Change) -> int:
        if self.publisher is None:
            return 0
        return sum(o.posts for o in self.publisher.record_changed(self.store, record, change))

    def _approve(self, body: dict[str, Any]) -> Response:
        record_id, value = body.get("record_id"), body.get("value")
        if not isinstance(record_id, str) or not isinstance(value, bool):
            raise HookError(400, 'give {"record_id": "<id>", "value": true|false}')
        if not self.store.set_approved(record_id, value, self.now()):
            raise HookError(404, "no such record")
        record = self.store.record(record_id)
        posts = self._posted(record, Change.APPROVAL_CHANGED) if record else 0
        return _json(200, {"record_id": record_id, "approved_for_patient": value, "ei_posts": posts})

    def _create(self, body: dict[str, Any]) -> Response:
        record = self._new_record(body)
        self.store.add_record(record)
        return _json(201, {"record_id": record.id, "ei_posts": self._posted(record, Change.CREATED)})

    def _new_record(self, body: dict[str, Any]) -> Record:
        try:
            kind = RecordKind(body.get("kind"))
        except ValueError:
            raise HookError(400, f"kind must be one of {[k.value for k in RecordKind]}") from None
        patient = body.get("patient_id")
        if not isinstance(patient, str) or not re.fullmatch(r"\d{12}", patient):
            raise HookError(400, "patient_id must be 12 digits")
        source = body.get("source_system", self.source_systems[0])
        unit = self.store.care_unit(str(body.get("care_unit", "")) or self._default_unit(source))
        if source not in self.source_systems or unit is None:
            raise HookError(400, "source_system and care_unit must be this journal's")
        identity = Identity(
            patient, SAMORDNINGSNUMMER_OID if is_samordningsnummer(patient) else PERSONNUMMER_OID
        )
        if not self.store.identities_of(identity):
            raise HookError(404, "the journal does not know this patient")
        now, author = self.now(), self.store.first_professional()
        return Record(str(uuid.uuid4()), kind, source, identity, identity, unit, author, now, now, None, True,
                      None, now, _details(kind, now))  # fmt: skip

    def _default_unit(self, source: str) -> str:
        used = [r.care_unit.hsa_id for r in self.store.all_records() if r.source_system == source]
        return used[0] if used else ""

    def _delete(self, record_id: str) -> Response:
        record = self.store.record(record_id)
        if record is None or not self.store.delete_record(record_id):
            raise HookError(404, "no such record")
        return _json(200, {"record_id": record_id, "ei_posts": self._posted(record, Change.DELETED)})

    def _fail(self, body: dict[str, Any]) -> Response:
        calls = body.get("calls", 1)
        if not isinstance(calls, int) or isinstance(calls, bool) or not 0 <= calls <= 1000:
            raise HookError(400, 'give {"calls": n} with 0 <= n <= 1000')
        self.outage.arm(calls)
        return _json(200, {"failing_calls": calls})
