"""The named test persons and the hand-written records of the journal (the rest is generated).

Named numbers are Skatteverket test numbers (``../shared/data/testpersonnummer``): 195709263080 and
196001209136 are also the patients of Inera's producer test suites (``test-suite/*/data.xml``),
191401682396 is in the test samordningsnummer list. The reserve number carries a letter, so it can
never be a personnummer.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from harness.reference_producer.contracts import RecordKind
from harness.reference_producer.model import (
    CareContactDetails,
    Details,
    DiagnosisDetails,
    LabAnalysis,
    LabDetails,
    NoteDetails,
)

__all__ = [
    "PATIENT",
    "PATIENT_WITHOUT_RECORDS",
    "RESERVE_NUMBER",
    "SAMORDNINGSNUMMER_PATIENT",
    "SECOND_SOURCE_PATIENT",
    "SPECIAL_CHARACTERS",
    "UNKNOWN_PATIENT",
    "RecordSpec",
    "hand_written_records",
    "lab_details",
    "record_id",
    "ts",
]

PATIENT = "195709263080"  # records in both source systems, under a linked reserve number too
SAMORDNINGSNUMMER_PATIENT = "191401682396"
SECOND_SOURCE_PATIENT = "196001209136"  # records only in the second source system
PATIENT_WITHOUT_RECORDS = "198001022386"  # known to the journal, no records
UNKNOWN_PATIENT = "196506232880"  # a test number the journal has never seen
RESERVE_NUMBER = "19570926R001"  # linked to PATIENT
SPECIAL_CHARACTERS = "åäö<>><&"  # Inera's testString (case 2.2 Encoding_SpecialCharacters)

_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:harness:reference-producer:journal")


def record_id(label: str) -> str:
    """A stable UUID per record label: the same id in every call, contract and version."""
    return str(uuid.uuid5(_NAMESPACE, label))


def ts(text: str) -> str:
    """ "2023-03-14 09:30" -> "20230314093000" (TimeStampType, Swedish local time)."""
    return text.replace("-", "").replace(" ", "").replace(":", "") + "00"


@dataclass(frozen=True, slots=True)
class RecordSpec:
    label: str
    kind: RecordKind
    source: int  # index into the producer's source systems
    patient: str  # "pnr", "snr", "reserve", "second"
    unit: str  # care unit local id, e.g. "VE11"
    author: int  # index into the staff
    time: str  # the visit / what it is about ("YYYY-MM-DD hh:mm")
    signed: str | None
    approved: bool
    contact: str | None  # label of the care contact it was documented at
    details: Details


def _note(code: str, title: str, text: str, **kw: object) -> NoteDetails:
    return NoteDetails(code, title, text, **kw)  # type: ignore[arg-type]


def _contact(code: str, reason: str, start: str, end: str | None, status: str) -> CareContactDetails:
    return CareContactDetails(code, reason, ts(start), ts(end) if end else None, status)


LabRow = tuple[str, str, str, str, str, str, int]  # NPU code, name, value, unit, low, high, pathological


def lab_details(label: str, status: str, text: str, when: str, analyses: tuple[LabRow, ...]) -> LabDetails:
    rows = tuple(
        LabAnalysis(f"{label}-a{i}", code, name, f"{label}-s1", ts(when), value, unit, low or None,
                    high or None, bool(flag))
        for i, (code, name, value, unit, low, high, flag) in enumerate(analyses, start=1)
    )  # fmt: skip
    return LabDetails(
        f"{label}-svar", status, "Klinisk kemi", text, f"{label}-rid", ts(when), "Infektion?", rows
    )


_DOCBOOK = (
    '<article xmlns="http://docbook.org/ns/docbook" version="5.0"><title>Epikris</title>'
    "<para>Inlagd för observation efter fall. Inga frakturer. Åter till vårdcentralen om besvär "
    "&amp; smärta kvarstår.</para></article>"
)


def hand_written_records() -> tuple[RecordSpec, ...]:
    """Every note code, signed and unsigned, approvedForPatient true and false, special characters
    (a note and a diagnosis), a DocBook note, a dissenting opinion, an ongoing stay, reserve-number
    records of every kind, records of every kind at VE31 (the unit consumer filtering excludes), two
    source systems."""
    n, d, c, lab = RecordKind.NOTE, RecordKind.DIAGNOSIS, RecordKind.CARE_CONTACT, RecordKind.LAB
    return (
        RecordSpec("a-cc1", c, 0, "pnr", "VE11", 0, "2023-03-14 09:30", None, True, None,
                   _contact("1", "Hosta sedan två veckor", "2023-03-14 09:30", "2023-03-14 10:00",
                            "finished")),
        RecordSpec("a-note1", n, 0, "pnr", "VE11", 0, "2023-03-14 09:30", "2023-03-14 14:00", True,
                   "a-cc1",
                   _note("bes", "Besök på vårdcentralen",
                         f"Söker för hosta. Lungor: normala. Specialtecken: {SPECIAL_CHARACTERS}")),
        RecordSpec("a-dia1", d, 0, "pnr", "VE11", 0, "2023-03-14 09:45", "2023-03-14 14:00", True,
                   "a-cc1",
                   DiagnosisDetails(True, "J06.9", "Akut övre luftvägsinfektion, ospecificerad",
                                    ts("2023-03-14 09:45"), False)),
        RecordSpec("a-lab1", lab, 0, "pnr", "VE11", 2, "2023-03-14 09:50", "2023-03-14 16:00", True,
                   "a-cc1",
                   lab_details("a-lab1", "final", "Normalt blodstatus.", "2023-03-14 09:50", (
                       ("NPU28309", "B—Hemoglobin; masskonc.", "141", "g/L", "117", "153", 0),
                       ("NPU19748", "P—C-reaktivt protein; masskonc.", "12", "mg/L", "", "", 1),
                       ("NPU01685", "P—PK(INR); rel. tid", "1.0", "", "0.9", "1.2", 0)))),
        RecordSpec("a-note2", n, 0, "pnr", "VE11", 1, "2023-03-28 08:15", None, True, None,
                   _note("utr", "Utredning av hosta", "Spirometri bokad. Osignerad anteckning.")),
        RecordSpec("a-cc2", c, 0, "pnr", "VE12", 3, "2024-01-05 22:10", None, False, None,
                   _contact("3", "Fall i hemmet", "2024-01-05 22:10", "2024-01-07 11:00", "finished")),
        RecordSpec("a-note3", n, 0, "pnr", "VE12", 3, "2024-01-06 10:00", "2024-01-06 16:00", False,
                   "a-cc2",
                   _note("sva", "Slutenvård dag 2", "Observation efter fall. Rådrum.")),
        RecordSpec("a-note4", n, 0, "pnr", "VE12", 3, "2024-01-07 11:00", "2024-01-08 09:00", True,
                   "a-cc2",
                   _note("slu", "Epikris", _DOCBOOK, docbook=True)),
        RecordSpec("a-dia2", d, 0, "pnr", "VE12", 3, "2024-01-05 23:00", "2024-01-08 09:00", False,
                   "a-cc2",
                   DiagnosisDetails(False, "W19", "Ospecificerat fall", ts("2024-01-05 23:00"))),
        RecordSpec("a-lab2", lab, 0, "pnr", "VE12", 2, "2024-01-05 22:40", None, False, "a-cc2",
                   lab_details("a-lab2", "preliminary", "Preliminärt svar.", "2024-01-05 22:40", (
                       ("NPU02192", "P—Glukos; substanskonc.", "6.1", "mmol/L", "4.2", "6.0", 1),
                       ("NPU03230", "P—Kalium; substanskonc.", "4.1", "mmol/L", "3.5", "4.4", 0)))),
        RecordSpec("a-cc3", c, 0, "pnr", "VE31", 4, "2024-06-11 13:20", None, True, None,
                   _contact("2", "Rådgivning per telefon", "2024-06-11 13:20", "2024-06-11 13:35",
                            "finished")),
        RecordSpec("a-note5", n, 0, "pnr", "VE31", 4, "2024-06-11 13:20", "2024-06-11 15:00", True,
                   "a-cc3",
                   _note("auf", "Telefonrådgivning <Syd> & Co", "Råd om egenvård. Åter vid försämring.")),
        RecordSpec("a-lab4", lab, 0, "pnr", "VE31", 4, "2024-06-12 08:30", "2024-06-12 13:00", True, None,
                   lab_details("a-lab4", "final", "Normalt.", "2024-06-12 08:30", (
                       ("NPU28309", "B—Hemoglobin; masskonc.", "128", "g/L", "117", "153", 0),))),
        RecordSpec("a-dia4", d, 0, "pnr", "VE31", 4, "2024-06-11 13:30", "2024-06-11 15:00", True,
                   "a-cc3",
                   DiagnosisDetails(True, "Z71.9", "Rådgivning, ospecificerad", ts("2024-06-11 13:30"))),
        RecordSpec("a-dia5", d, 0, "pnr", "VE11", 1, "2023-03-28 08:20", "2023-03-28 12:00", True, None,
                   DiagnosisDetails(False, "R05", f"Hosta. Specialtecken: {SPECIAL_CHARACTERS}",
                                    ts("2023-03-28 08:20"))),
        RecordSpec("a-cc4", c, 0, "pnr", "VE12", 3, "2025-02-01 07:45", None, True, None,
                   _contact("3", "Inläggning för utredning", "2025-02-01 07:45", None, "ongoing")),
        RecordSpec("r-cc1", c, 0, "reserve", "VE12", 3, "2024-01-05 22:00", None, True, None,
                   _contact("1", "Akut triage, oidentifierad", "2024-01-05 22:00", "2024-01-05 22:10",
                            "finished")),
        RecordSpec("r-note1", n, 0, "reserve", "VE12", 3, "2024-01-05 22:05", "2024-01-05 23:30", True,
                   "r-cc1",
                   _note("ins", "Inskrivning", "Inkommer med ambulans, identitet okänd vid ankomst.")),
        RecordSpec("r-dia1", d, 0, "reserve", "VE12", 3, "2024-01-05 22:08", "2024-01-05 23:30", True,
                   "r-cc1",
                   DiagnosisDetails(True, "S06.0", "Hjärnskakning", ts("2024-01-05 22:08"))),
        RecordSpec("r-lab1", lab, 0, "reserve", "VE12", 2, "2024-01-05 22:05", "2024-01-05 23:00", True,
                   "r-cc1",
                   lab_details("r-lab1", "final", "Akut blodstatus.", "2024-01-05 22:05", (
                       ("NPU28309", "B—Hemoglobin; masskonc.", "135", "g/L", "117", "153", 0),))),
        RecordSpec("a-cc5", c, 1, "pnr", "VE21", 5, "2022-09-20 10:00", None, True, None,
                   _contact("1", "Öronvärk", "2022-09-20 10:00", "2022-09-20 10:30", "finished")),
        RecordSpec("a-note6", n, 1, "pnr", "VE21", 5, "2022-09-20 10:00", "2022-09-20 12:00", True,
                   "a-cc5",
                   _note("atb", "Behandling", "Antibiotika ordinerat.")),
        RecordSpec("a-note7", n, 1, "pnr", "VE21", 5, "2022-10-01 09:00", "2022-10-01 11:00", True, None,
                   _note("sam", "Sammanfattning", "Besvären har gått över.")),
        RecordSpec("a-note8", n, 1, "pnr", "VE21", 1, "2022-10-03 09:00", "2022-10-03 10:00", True, None,
                   _note("sao", "Samordning", "Kontakt med skolhälsovården.")),
        RecordSpec("a-dia3", d, 1, "pnr", "VE21", 5, "2022-09-20 10:15", "2022-09-20 12:00", True,
                   "a-cc5",
                   DiagnosisDetails(True, "H66.9", "Mellanöreinflammation", ts("2022-09-20 10:15"),
                                    False)),
        RecordSpec("a-lab3", lab, 1, "pnr", "VE22", 2, "2025-03-03 08:10", "2025-03-03 15:00", True, None,
                   lab_details("a-lab3", "partial", "Delsvar, odling pågår.", "2025-03-03 08:10", (
                       ("NPU19748", "P—C-reaktivt protein; masskonc.", "4", "mg/L", "", "", 0),
                       ("NPU17135", "Ö—Odling; (arbetsbeskrivning)", "Pågår", "", "", "", 0)))),
    )  # fmt: skip
