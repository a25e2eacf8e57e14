"""Seed the journal deterministically: organisation, staff, the named patients and their
hand-written records, and generated patients (picked from Skatteverket's test lists) with a few
records each. Names come from Faker ``sv_SE`` with a fixed seed.
"""

from __future__ import annotations

import random
from dataclasses import replace

from faker import Faker

from harness.personnummer import TestNumbers
from harness.reference_producer.contracts import RecordKind
from harness.reference_producer.model import (
    PERSONNUMMER_OID,
    SAMORDNINGSNUMMER_OID,
    CareContactDetails,
    Details,
    DiagnosisDetails,
    DissentingOpinion,
    Identity,
    NoteDetails,
    Professional,
    Record,
    Signature,
)
from harness.reference_producer.organisation import CARE_UNITS, HSA_PREFIX, UNITS_BY_SOURCE, care_unit
from harness.reference_producer.store import JournalStore
from harness.reference_producer.testdata import (
    PATIENT,
    PATIENT_WITHOUT_RECORDS,
    RESERVE_NUMBER,
    SAMORDNINGSNUMMER_PATIENT,
    SECOND_SOURCE_PATIENT,
    UNKNOWN_PATIENT,
    RecordSpec,
    hand_written_records,
    lab_details,
    record_id,
    ts,
)

__all__ = ["STAFF_ROLES", "seed_journal"]

STAFF_ROLES = ("Läkare", "Sjuksköterska", "Biomedicinsk analytiker", "Specialistläkare", "Distriktssköterska",
               "Läkare")  # fmt: skip


class _Seeder:
    def __init__(
        self, store: JournalStore, source_systems: tuple[str, str], reserve_oid: str, seed: int
    ) -> None:
        self.store, self.sources, self.reserve_oid = store, source_systems, reserve_oid
        self.faker, self.rng = Faker("sv_SE"), random.Random(seed)
        self.faker.seed_instance(seed)
        self.staff = tuple(
            Professional(f"{HSA_PREFIX}-P{i:03d}", self.faker.name(), role)
            for i, role in enumerate(STAFF_ROLES)
        )
        self.identities: dict[str, Identity] = {}
        self.names: dict[str, str] = {}

    def organisation(self) -> None:
        for unit in CARE_UNITS:
            self.store.add_care_unit(unit)
        for person in self.staff:
            self.store.add_professional(person)

    def patient(self, key: str, identities: tuple[Identity, ...]) -> None:
        given, surname = self.faker.first_name(), self.faker.last_name()
        self.store.add_patient(given, surname, identities)
        self.identities[key] = identities[0]
        self.names[key] = f"{given} {surname}"

    def record(self, spec: RecordSpec, patient: str) -> Record:
        author = self.staff[spec.author]
        details = spec.details
        if spec.label == "a-note5" and isinstance(details, NoteDetails):
            opinion = DissentingOpinion(record_id("a-note5-opinion"), ts("2024-06-20 18:00"),
                                        "Jag håller inte med: det var inte egenvård jag bad om.",
                                        self.identities[patient], self.names[patient])  # fmt: skip
            details = replace(details, dissenting=(opinion,))
        written = ts(spec.time)
        return Record(
            id=record_id(spec.label),
            kind=spec.kind,
            source_system=self.sources[spec.source],
            patient=self.identities[patient],
            national_id=None,
            care_unit=care_unit(spec.unit),
            author=author,
            author_time=written,
            record_time=ts(spec.time),
            signature=Signature(author, ts(spec.signed)) if spec.signed else None,
            approved_for_patient=spec.approved,
            care_contact_id=record_id(spec.contact) if spec.contact else None,
            changed_at=ts(spec.signed) if spec.signed else written,
            details=details,
        )


def seed_journal(
    store: JournalStore,
    numbers: TestNumbers,
    source_systems: tuple[str, str],
    *,
    reserve_oid: str,
    seed: int = 1177,
    generated_patients: int = 6,
) -> None:
    """(Re)create the database with the reference journal; the same arguments give the same journal."""
    named = (
        PATIENT,
        SECOND_SOURCE_PATIENT,
        PATIENT_WITHOUT_RECORDS,
        UNKNOWN_PATIENT,
        SAMORDNINGSNUMMER_PATIENT,
    )
    missing = [n for n in named if not numbers.contains(n)]
    if missing:
        raise ValueError(f"{len(missing)} named test numbers are not in Skatteverket's test lists")
    store.create()
    seeder = _Seeder(store, source_systems, reserve_oid, seed)
    seeder.organisation()
    seeder.patient("pnr", (Identity(PATIENT, PERSONNUMMER_OID), Identity(RESERVE_NUMBER, reserve_oid)))
    seeder.identities["reserve"] = Identity(RESERVE_NUMBER, reserve_oid)
    seeder.names["reserve"] = seeder.names["pnr"]
    seeder.patient("snr", (Identity(SAMORDNINGSNUMMER_PATIENT, SAMORDNINGSNUMMER_OID),))
    seeder.patient("second", (Identity(SECOND_SOURCE_PATIENT, PERSONNUMMER_OID),))
    seeder.patient("empty", (Identity(PATIENT_WITHOUT_RECORDS, PERSONNUMMER_OID),))
    for spec in (*hand_written_records(), *_other_patients_records()):
        store.add_record(seeder.record(spec, spec.patient))
    _generated(seeder, numbers, named, generated_patients)


def _spec(label: str, kind: RecordKind, where: tuple[int, str, str], time: str, signed: str | None,
          contact: str | None, details: Details) -> RecordSpec:  # fmt: skip
    """A record approved for the patient; ``where`` is (source index, patient key, care unit)."""
    source, patient, unit = where
    author = 1 if kind is RecordKind.NOTE and patient.startswith("gen") else 0
    return RecordSpec(label, kind, source, patient, unit, author, time, signed, True, contact, details)


def _visit(key: str, where: tuple[int, str, str], day: str, reason: str, note: str) -> tuple[RecordSpec, ...]:
    """A finished visit: the care contact and its signed note."""
    contact = f"{key}-cc1"
    period = CareContactDetails("1", reason, ts(f"{day} 08:00"), ts(f"{day} 08:30"), "finished")
    return (
        _spec(contact, RecordKind.CARE_CONTACT, where, f"{day} 08:00", None, None, period),
        _spec(f"{key}-note1", RecordKind.NOTE, where, f"{day} 08:00", f"{day} 12:00", contact,
              NoteDetails("bes", "Besök", note)),
    )  # fmt: skip


def _other_patients_records() -> tuple[RecordSpec, ...]:
    """The samordningsnummer patient (first source system) and the second-source-system patient."""
    specs: list[RecordSpec] = []
    for key, source, unit, day in (("snr", 0, "VE11", "2024-09-02"), ("second", 1, "VE21", "2021-05-12")):
        where = (source, key, unit)
        specs.extend(_visit(key, where, day, "Ryggbesvär", "Ont i ländryggen sedan en vecka."))
        lumbago = DiagnosisDetails(True, "M54.5", "Lumbago", ts(f"{day} 08:20"))
        specs.append(_spec(f"{key}-dia1", RecordKind.DIAGNOSIS, where, f"{day} 08:20", f"{day} 12:00",
                           f"{key}-cc1", lumbago))  # fmt: skip
        crp = (("NPU19748", "P—C-reaktivt protein; masskonc.", "2", "mg/L", "", "", 0),)
        specs.append(_spec(f"{key}-lab1", RecordKind.LAB, where, f"{day} 08:25", f"{day} 13:00", f"{key}-cc1",
                           lab_details(f"{key}-lab1", "final", "Normalt.", f"{day} 08:25", crp)))  # fmt: skip
    return tuple(specs)


def _generated(seeder: _Seeder, numbers: TestNumbers, named: tuple[str, ...], count: int) -> None:
    """A few more patients from the test list, each with a visit (care contact and note), for load."""
    pool = [n for n in numbers.personnummer if n not in named and n[:2] == "19"]
    for index, number in enumerate(sorted(seeder.rng.sample(pool, k=min(count, len(pool))))):
        key = f"gen{index}"
        seeder.patient(key, (Identity(number, PERSONNUMMER_OID),))
        source = seeder.rng.randrange(2)
        where = (source, key, seeder.rng.choice(UNITS_BY_SOURCE[source]))
        day = (
            f"20{seeder.rng.randint(19, 25)}-{seeder.rng.randint(1, 12):02d}-{seeder.rng.randint(1, 28):02d}"
        )
        for spec in _visit(key, where, day, "Kontroll", "Mår bra. Ingen åtgärd."):
            seeder.store.add_record(seeder.record(spec, key))
