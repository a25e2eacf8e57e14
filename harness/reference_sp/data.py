"""Contacts (kontakter) and their training programs (träningsprogram) in SQLite.

The personnummer is stored as 12-digit TEXT: an integer drops leading zeros, and the 10-digit
form hides the century (Skatteverket, Rättslig vägledning: Personnummer). Every contact's program
titles carry a unique data marker, so a scenario can prove that contact A's pages never show contact B's data.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from faker import Faker

from harness.personnummer import TestNumbers, century_twin

__all__ = [
    "CENTURY_TWIN_CONTACT",
    "NOT_CONTACTS",
    "REFERENCE_CONTACTS",
    "SAMORDNINGSNUMMER_CONTACT",
    "ContactRow",
    "ExerciseRow",
    "ProgramRow",
    "all_contacts",
    "connect",
    "data_marker",
    "exercises_of",
    "program_of",
    "programs_of",
    "seed_contacts",
]

# Named test numbers, all from Skatteverket's test list (../shared/data/testpersonnummer):
# 195006262546 is also the Swedish eID Attribute Specification's example; 196507132758 and
# 200808162390 are also test accounts in Inera's QA environment.
REFERENCE_CONTACTS: tuple[str, ...] = ("195006262546", "196507132758", "200808162390")
# The contact born 1965 whose 2065 twin (same last 10 digits, a future date) is no contact.
CENTURY_TWIN_CONTACT = "196507132758"
# A test samordningsnummer (testsamordningsnummer.csv): a contact only reachable when the SP
# accepts samordningsnummer.
SAMORDNINGSNUMMER_CONTACT = "191401682396"
# Test personnummer from the same list that the SP does not hold.
NOT_CONTACTS: tuple[str, ...] = ("196506232880", "198001022386")

_EXERCISES = (
    "Knäböj",
    "Utfallssteg",
    "Armhävningar",
    "Plankan",
    "Sidoplanka",
    "Bäckenlyft",
    "Tåhävningar",
    "Rygglyft",
    "Step-up på låda",
    "Roddövning med gummiband",
    "Axelpress med hantlar",
    "Balansövning på ett ben",
)
_PROGRAMS = ("Rehabilitering knä", "Stärkande bål", "Balans och fallprevention", "Axelrehab")
_COMMENTS = (
    "Gör övningarna lugnt och kontrollerat.",
    "Öka antalet repetitioner när det känns lätt.",
    "Hör av dig om det gör ont i knät.",
    "Vila en dag mellan passen.",
)

_SCHEMA = """
CREATE TABLE contact (
    id INTEGER PRIMARY KEY,
    personnummer TEXT NOT NULL UNIQUE CHECK (length(personnummer) = 12),
    given_name TEXT NOT NULL,
    surname TEXT NOT NULL,
    data_marker TEXT NOT NULL UNIQUE
);
CREATE TABLE program (
    id INTEGER PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES contact(id),
    title TEXT NOT NULL,
    care_giver_comment TEXT NOT NULL
);
CREATE TABLE exercise (
    id INTEGER PRIMARY KEY,
    program_id INTEGER NOT NULL REFERENCES program(id),
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    sets INTEGER NOT NULL,
    repetitions INTEGER NOT NULL
);
"""


@dataclass(frozen=True, slots=True)
class ContactRow:
    id: int
    personnummer: str  # 12 digits
    given_name: str
    surname: str
    data_marker: str


@dataclass(frozen=True, slots=True)
class ProgramRow:
    id: int
    contact_id: int
    title: str
    care_giver_comment: str  # vårdgivarens kommentar


@dataclass(frozen=True, slots=True)
class ExerciseRow:
    position: int
    name: str
    sets: int
    repetitions: int


def data_marker(index: int) -> str:
    """Fixed width, so no marker is a substring of another."""
    return f"RSP-MARK-{index:02d}"


@contextmanager
def connect(db_path: Path) -> Iterator[sqlite3.Connection]:
    """One connection per use: the server is threaded, sqlite3 connections are not shared."""
    with closing(sqlite3.connect(db_path)) as connection:
        connection.execute("PRAGMA foreign_keys = ON")
        with connection:
            yield connection


def seed_contacts(db_path: Path, numbers: TestNumbers, seed: int = 1177) -> tuple[ContactRow, ...]:
    """(Re)create the database with the reference contacts, deterministically from ``seed``.

    The named numbers must be in the loaded test lists: a changed list fails here, loudly.
    """
    wanted = (*REFERENCE_CONTACTS, SAMORDNINGSNUMMER_CONTACT)
    missing = [n for n in (*wanted, *NOT_CONTACTS) if not numbers.contains(n)]
    if missing:
        raise ValueError(f"{len(missing)} named reference numbers are not in Skatteverket's test lists")
    if numbers.contains(century_twin(CENTURY_TWIN_CONTACT)):
        raise ValueError("the century twin must not be a test number")
    faker, rng = Faker("sv_SE"), random.Random(seed)
    faker.seed_instance(seed)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    db_path.unlink(missing_ok=True)
    contacts = []
    with connect(db_path) as connection:
        connection.executescript(_SCHEMA)
        for index, personnummer in enumerate(wanted, start=1):
            # Two given names for the first contact: the CGI IdP sends all given names (its 2017 test ticket).
            given = f"{faker.first_name()} {faker.first_name()}" if index == 1 else faker.first_name()
            contact = ContactRow(index, personnummer, given, faker.last_name(), data_marker(index))
            _insert_contact(connection, contact, rng)
            contacts.append(contact)
    return tuple(contacts)


def _insert_contact(connection: sqlite3.Connection, contact: ContactRow, rng: random.Random) -> None:
    connection.execute(
        "INSERT INTO contact (id, personnummer, given_name, surname, data_marker) VALUES (?, ?, ?, ?, ?)",
        (contact.id, contact.personnummer, contact.given_name, contact.surname, contact.data_marker),
    )
    for title in rng.sample(_PROGRAMS, k=2):
        cursor = connection.execute(
            "INSERT INTO program (contact_id, title, care_giver_comment) VALUES (?, ?, ?)",
            (contact.id, f"{title} ({contact.data_marker})", rng.choice(_COMMENTS)),
        )
        for position, name in enumerate(rng.sample(_EXERCISES, k=4), start=1):
            connection.execute(
                "INSERT INTO exercise (program_id, position, name, sets, repetitions) VALUES (?, ?, ?, ?, ?)",
                (cursor.lastrowid, position, name, rng.randint(2, 4), rng.choice((8, 10, 12, 15))),
            )


def all_contacts(db_path: Path) -> tuple[ContactRow, ...]:
    with connect(db_path) as connection:
        rows = connection.execute(
            "SELECT id, personnummer, given_name, surname, data_marker FROM contact ORDER BY id"
        ).fetchall()
    return tuple(ContactRow(*row) for row in rows)


def programs_of(db_path: Path, contact_id: int) -> tuple[ProgramRow, ...]:
    with connect(db_path) as connection:
        rows = connection.execute(
            "SELECT id, contact_id, title, care_giver_comment FROM program WHERE contact_id = ? ORDER BY id",
            (contact_id,),
        ).fetchall()
    return tuple(ProgramRow(*row) for row in rows)


def program_of(db_path: Path, contact_id: int, program_id: int) -> ProgramRow | None:
    """The program only if it belongs to this contact: another contact's id is simply not found."""
    with connect(db_path) as connection:
        row = connection.execute(
            "SELECT id, contact_id, title, care_giver_comment FROM program WHERE id = ? AND contact_id = ?",
            (program_id, contact_id),
        ).fetchone()
    return ProgramRow(*row) if row else None


def exercises_of(db_path: Path, program_id: int) -> tuple[ExerciseRow, ...]:
    with connect(db_path) as connection:
        rows = connection.execute(
            "SELECT position, name, sets, repetitions FROM exercise WHERE program_id = ? ORDER BY position",
            (program_id,),
        ).fetchall()
    return tuple(ExerciseRow(*row) for row in rows)
