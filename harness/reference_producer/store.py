"""The journal in SQLite: organisations, patients and their identities, records.

A patient has one or more identities (personnummer, samordningsnummer, local reserve number); a
record is stored under one of them. Reading by any identity returns the records of every identity
linked to the same patient (TKB clinicalprocess:healthcond:actoutcome §4, producer rule R2; TKB
clinicalprocess:healthcond:description §7 GetCareDocumentation, patientId). Kind-specific details are
kept as JSON beside the common columns. One connection per use: the server is threaded.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

from harness.reference_producer.contracts import RecordKind
from harness.reference_producer.model import (
    CareContactDetails,
    CareGiver,
    CareUnit,
    Details,
    DiagnosisDetails,
    DissentingOpinion,
    Identity,
    LabAnalysis,
    LabDetails,
    NoteDetails,
    Professional,
    Record,
    Signature,
)

__all__ = ["SCHEMA", "JournalStore", "StoreUnavailable"]

SCHEMA = """
CREATE TABLE care_giver (hsa_id TEXT PRIMARY KEY, name TEXT NOT NULL, orgnr TEXT NOT NULL);
CREATE TABLE care_unit (
    hsa_id TEXT PRIMARY KEY, name TEXT NOT NULL, care_giver TEXT NOT NULL REFERENCES care_giver(hsa_id));
CREATE TABLE professional (
    hsa_id TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL);
CREATE TABLE patient (id INTEGER PRIMARY KEY, given_name TEXT NOT NULL, surname TEXT NOT NULL);
CREATE TABLE identity (
    value TEXT NOT NULL, type_oid TEXT NOT NULL, patient INTEGER NOT NULL REFERENCES patient(id),
    PRIMARY KEY (value, type_oid));
CREATE TABLE record (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL, source_system TEXT NOT NULL,
    identity_value TEXT NOT NULL, identity_type TEXT NOT NULL,
    care_unit TEXT NOT NULL REFERENCES care_unit(hsa_id),
    author TEXT NOT NULL REFERENCES professional(hsa_id),
    author_time TEXT NOT NULL, record_time TEXT NOT NULL,
    signer TEXT REFERENCES professional(hsa_id), signature_time TEXT,
    approved INTEGER NOT NULL CHECK (approved IN (0, 1)), care_contact_id TEXT, changed_at TEXT NOT NULL,
    details TEXT NOT NULL,
    FOREIGN KEY (identity_value, identity_type) REFERENCES identity(value, type_oid));
CREATE INDEX record_identity ON record (identity_value, identity_type);
"""

_RECORD_COLUMNS = (
    "id, kind, source_system, identity_value, identity_type, care_unit, author, author_time, record_time, "
    "signer, signature_time, approved, care_contact_id, changed_at, details"
)


class StoreUnavailable(RuntimeError):
    """The database cannot be used (a technical error: the caller answers with a SOAP Fault)."""


def _details_json(details: Details) -> str:
    return json.dumps(asdict(details), ensure_ascii=False, sort_keys=True)


def _details(kind: RecordKind, text: str) -> Details:
    data: dict[str, Any] = json.loads(text)
    if kind is RecordKind.NOTE:
        opinions = tuple(
            DissentingOpinion(**{**d, "person": Identity(**d["person"])}) for d in data.pop("dissenting")
        )
        return NoteDetails(**data, dissenting=opinions)
    if kind is RecordKind.DIAGNOSIS:
        return DiagnosisDetails(**{**data, "related_ids": tuple(data["related_ids"])})
    if kind is RecordKind.CARE_CONTACT:
        return CareContactDetails(**data)
    analyses = tuple(LabAnalysis(**a) for a in data.pop("analyses"))
    return LabDetails(**data, analyses=analyses)


class JournalStore:
    """Reads and writes the journal database at ``path`` (created by :meth:`create`)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        try:
            connection = sqlite3.connect(self.path, timeout=5)
        except sqlite3.Error as exc:
            raise StoreUnavailable(str(exc)) from None
        with closing(connection):
            connection.execute("PRAGMA foreign_keys = ON")
            with connection:
                yield connection

    def create(self) -> None:
        """(Re)create an empty database."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.unlink(missing_ok=True)
        with self.connect() as connection:
            connection.executescript(SCHEMA)

    # -- organisations and people ------------------------------------------------------------------

    def add_care_unit(self, unit: CareUnit) -> None:
        giver = unit.care_giver
        with self.connect() as connection:
            connection.execute(
                "INSERT OR IGNORE INTO care_giver VALUES (?, ?, ?)", (giver.hsa_id, giver.name, giver.orgnr)
            )
            connection.execute(
                "INSERT INTO care_unit VALUES (?, ?, ?)", (unit.hsa_id, unit.name, giver.hsa_id)
            )

    def add_professional(self, person: Professional) -> None:
        with self.connect() as connection:
            connection.execute(
                "INSERT INTO professional VALUES (?, ?, ?)", (person.hsa_id, person.name, person.role)
            )

    def add_patient(self, given_name: str, surname: str, identities: Iterable[Identity]) -> int:
        with self.connect() as connection:
            cursor = connection.execute(
                "INSERT INTO patient (given_name, surname) VALUES (?, ?)", (given_name, surname)
            )
            patient = int(cursor.lastrowid or 0)
            connection.executemany(
                "INSERT INTO identity VALUES (?, ?, ?)", [(i.value, i.type_oid, patient) for i in identities]
            )
        return patient

    def identities_of(self, identity: Identity) -> tuple[Identity, ...]:
        """Every identity linked to the same patient as ``identity`` (none if it is unknown)."""
        with self.connect() as connection:
            rows = connection.execute(
                "SELECT value, type_oid FROM identity WHERE patient = "
                "(SELECT patient FROM identity WHERE value = ? AND type_oid = ?) ORDER BY type_oid, value",
                (identity.value, identity.type_oid),
            ).fetchall()
        return tuple(Identity(value, type_oid) for value, type_oid in rows)

    def care_unit(self, hsa_id: str) -> CareUnit | None:
        with self.connect() as connection:
            known = connection.execute("SELECT 1 FROM care_unit WHERE hsa_id = ?", (hsa_id,)).fetchone()
            return self._care_unit(connection, hsa_id) if known else None

    def first_professional(self) -> Professional:
        with self.connect() as connection:
            (hsa_id,) = connection.execute("SELECT min(hsa_id) FROM professional").fetchone()
            return self._professional(connection, hsa_id)

    def national_id(self, identity: Identity) -> Identity | None:
        with self.connect() as connection:
            return self._national_id(connection, identity)

    # -- records -----------------------------------------------------------------------------------

    def add_record(self, record: Record) -> None:
        signer = record.signature.signer.hsa_id if record.signature else None
        signed = record.signature.time if record.signature else None
        with self.connect() as connection:
            connection.execute(
                f"INSERT INTO record ({_RECORD_COLUMNS}) VALUES ({', '.join('?' * 15)})",
                (
                    record.id, record.kind.value, record.source_system, record.patient.value,
                    record.patient.type_oid, record.care_unit.hsa_id, record.author.hsa_id,
                    record.author_time,
                    record.record_time, signer, signed, int(record.approved_for_patient),
                    record.care_contact_id, record.changed_at, _details_json(record.details),
                ),
            )  # fmt: skip

    def set_approved(self, record_id: str, approved: bool, changed_at: str) -> bool:
        with self.connect() as connection:
            cursor = connection.execute(
                "UPDATE record SET approved = ?, changed_at = ? WHERE id = ?",
                (int(approved), changed_at, record_id),
            )
        return cursor.rowcount == 1

    def delete_record(self, record_id: str) -> bool:
        with self.connect() as connection:
            cursor = connection.execute("DELETE FROM record WHERE id = ?", (record_id,))
        return cursor.rowcount == 1

    def records_for(self, identities: Iterable[Identity], kind: RecordKind) -> tuple[Record, ...]:
        """The records of ``kind`` stored under any of ``identities``, newest first."""
        wanted = tuple(identities)
        if not wanted:
            return ()
        clause = " OR ".join("(identity_value = ? AND identity_type = ?)" for _ in wanted)
        params = [p for i in wanted for p in (i.value, i.type_oid)]
        return self._select(f"kind = ? AND ({clause})", [kind.value, *params])

    def record(self, record_id: str) -> Record | None:
        found = self._select("id = ?", [record_id])
        return found[0] if found else None

    def all_records(self) -> tuple[Record, ...]:
        return self._select("1 = 1", [])

    def _select(self, where: str, params: list[Any]) -> tuple[Record, ...]:
        with self.connect() as connection:
            rows = connection.execute(
                f"SELECT {_RECORD_COLUMNS} FROM record WHERE {where} ORDER BY record_time DESC, id", params
            ).fetchall()
            return tuple(self._record(connection, row) for row in rows)

    def _record(self, connection: sqlite3.Connection, row: tuple[Any, ...]) -> Record:
        (record_id, kind, source, value, type_oid, unit, author, author_time, record_time, signer, signed,
         approved, contact, changed, details) = row  # fmt: skip
        stored = Identity(value, type_oid)
        signature = Signature(self._professional(connection, signer), signed) if signer else None
        return Record(
            id=record_id,
            kind=RecordKind(kind),
            source_system=source,
            patient=stored,
            national_id=self._national_id(connection, stored),
            care_unit=self._care_unit(connection, unit),
            author=self._professional(connection, author),
            author_time=author_time,
            record_time=record_time,
            signature=signature,
            approved_for_patient=bool(approved),
            care_contact_id=contact,
            changed_at=changed,
            details=_details(RecordKind(kind), details),
        )

    @staticmethod
    def _care_unit(connection: sqlite3.Connection, hsa_id: str) -> CareUnit:
        name, giver_id, giver_name, orgnr = connection.execute(
            "SELECT u.name, g.hsa_id, g.name, g.orgnr FROM care_unit u JOIN care_giver g "
            "ON g.hsa_id = u.care_giver WHERE u.hsa_id = ?",
            (hsa_id,),
        ).fetchone()
        return CareUnit(hsa_id, name, CareGiver(giver_id, giver_name, orgnr))

    @staticmethod
    def _professional(connection: sqlite3.Connection, hsa_id: str) -> Professional:
        row = connection.execute(
            "SELECT hsa_id, name, role FROM professional WHERE hsa_id = ?", (hsa_id,)
        ).fetchone()
        return Professional(*row)

    @staticmethod
    def _national_id(connection: sqlite3.Connection, stored: Identity) -> Identity | None:
        """The patient's personnummer, else samordningsnummer (oids sort 3.1 before 3.3)."""
        if stored.is_national:
            return stored
        row = connection.execute(
            "SELECT value, type_oid FROM identity WHERE type_oid IN (?, ?) AND patient = "
            "(SELECT patient FROM identity WHERE value = ? AND type_oid = ?) ORDER BY type_oid LIMIT 1",
            ("1.2.752.129.2.1.3.1", "1.2.752.129.2.1.3.3", stored.value, stored.type_oid),
        ).fetchone()
        return Identity(*row) if row else None
