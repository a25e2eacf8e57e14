"""The seeded contacts and programs, and the target file that must describe them exactly."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from harness.personnummer import TestNumbers, century_twin, parse_strict
from harness.reference_sp import DEFAULT_ACCEPTED_LOA, ContactRow, seed_contacts
from harness.reference_sp.data import (
    CENTURY_TWIN_CONTACT,
    NOT_CONTACTS,
    SAMORDNINGSNUMMER_CONTACT,
    programs_of,
)
from harness.runner import load_target

TARGET = Path(__file__).resolve().parents[2] / "targets" / "reference-sp.toml"


def test_seeding_is_deterministic(
    tmp_path: Path, numbers: TestNumbers, contacts: tuple[ContactRow, ...]
) -> None:
    again = seed_contacts(tmp_path / "again.sqlite3", numbers)
    assert again == contacts
    assert [programs_of(tmp_path / "again.sqlite3", c.id) for c in again]
    assert seed_contacts(tmp_path / "other.sqlite3", numbers, seed=7) != contacts  # names follow the seed


def test_contacts_are_skatteverket_test_numbers_stored_as_12_digit_text(
    sp_state: Path, numbers: TestNumbers, contacts: tuple[ContactRow, ...]
) -> None:
    assert all(numbers.contains(c.personnummer) for c in contacts)
    assert all(parse_strict(c.personnummer, allow_samordningsnummer=True) for c in contacts)
    with sqlite3.connect(sp_state / "contacts.sqlite3") as connection:
        kinds = {row[0] for row in connection.execute("SELECT typeof(personnummer) FROM contact")}
    assert kinds == {"text"}


def test_the_century_twin_is_a_future_date_and_no_contact(
    contacts: tuple[ContactRow, ...], numbers: TestNumbers
) -> None:
    twin = century_twin(CENTURY_TWIN_CONTACT)
    assert CENTURY_TWIN_CONTACT in {c.personnummer for c in contacts}
    assert int(CENTURY_TWIN_CONTACT[2:4]) >= 27 and twin.startswith("20") and int(twin[:4]) > 2026
    assert twin not in {c.personnummer for c in contacts} and not numbers.contains(twin)
    assert twin[2:] == CENTURY_TWIN_CONTACT[2:]


def test_every_contact_has_programs_whose_titles_carry_only_its_own_marker(
    sp_state: Path, contacts: tuple[ContactRow, ...]
) -> None:
    markers = [c.data_marker for c in contacts]
    assert len(set(markers)) == len(markers)
    assert not [a for a in markers for b in markers if a != b and a in b]
    for contact in contacts:
        programs = programs_of(sp_state / "contacts.sqlite3", contact.id)
        assert len(programs) >= 2
        assert all(contact.data_marker in p.title for p in programs)
        assert not [
            m
            for m in markers
            if m != contact.data_marker
            for p in programs
            if m in p.title + p.care_giver_comment
        ]


def test_the_target_file_describes_the_seeded_sp(sp_state: Path, contacts: tuple[ContactRow, ...]) -> None:
    target = load_target("sp", TARGET).with_base_url("https://127.0.0.1:4443")
    sp = target.sp
    assert sp is not None and target.launch == "reference-sp"
    seeded = {c.personnummer: (c.data_marker, c.given_name, c.surname) for c in contacts}
    assert {c.personnummer: (c.data_marker, c.given_name, c.surname) for c in sp.contacts} == seeded
    assert SAMORDNINGSNUMMER_CONTACT in seeded
    assert sp.not_contacts == NOT_CONTACTS
    assert not set(sp.not_contacts) & {c.personnummer for c in contacts}
    assert sp.century_twin == (CENTURY_TWIN_CONTACT, century_twin(CENTURY_TWIN_CONTACT))
    assert sp.entity_id == "https://127.0.0.1:4443/metadata"
    assert sp.acs_url == "https://127.0.0.1:4443/acs"
    assert sp.session_probe.url == "https://127.0.0.1:4443/whoami"
    assert sp.accepted_loa == DEFAULT_ACCEPTED_LOA
    assert (sp.signature_policy, sp.accepts_samordningsnummer, sp.allow_unsolicited) == (
        "either",
        False,
        True,
    )
    assert sp.data_urls == ("https://127.0.0.1:4443/programs", "https://127.0.0.1:4443/programs/1")
    assert programs_of(sp_state / "contacts.sqlite3", contacts[0].id)[0].id == 1  # /programs/1 is A's
