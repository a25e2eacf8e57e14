"""Strict 12-digit personnummer handling (Skatteverket's rules) and the test-number lists."""

from __future__ import annotations

import pytest

from harness.personnummer import (
    PersonnummerError,
    century_twin,
    is_samordningsnummer,
    luhn_digit,
    parse_strict,
)
from tests.support.data import test_numbers

# Skatteverket test personnummer (testpersonnummer.csv); also Sweden Connect's example.
SWEDEN_CONNECT_EXAMPLE = "195006262546"


def test_luhn_digit_matches_skatteverkets_worked_example() -> None:
    assert luhn_digit("811218987") == 6


def test_valid_twelve_digit_number_is_returned_unchanged() -> None:
    assert parse_strict(SWEDEN_CONNECT_EXAMPLE) == SWEDEN_CONNECT_EXAMPLE


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("5006262546", "12 digits"),
        ("19500626-2546", "12 digits"),
        ("500626-2546", "12 digits"),
        (" 195006262546", "12 digits"),
        ("195006262547", "check digit"),
        ("195006260005", "000"),
        ("195002302546", "date"),
    ],
)
def test_malformed_numbers_are_refused(value: str, reason: str) -> None:
    with pytest.raises(PersonnummerError, match=reason):
        parse_strict(value)


def test_samordningsnummer_is_refused_unless_allowed() -> None:
    numbers = test_numbers()
    samordning = numbers.samordningsnummer[0]
    assert is_samordningsnummer(samordning)
    with pytest.raises(PersonnummerError, match="samordningsnummer"):
        parse_strict(samordning)
    assert parse_strict(samordning, allow_samordningsnummer=True) == samordning


def test_every_loaded_test_number_is_valid_and_no_samordningsnummer() -> None:
    numbers = test_numbers()
    assert len(numbers.personnummer) > 40_000
    assert all(parse_strict(n) == n for n in numbers.personnummer[::97])
    assert numbers.contains(SWEDEN_CONNECT_EXAMPLE)
    assert not numbers.contains("191212121212")  # the documentation example is no test number


def test_century_twin_keeps_the_last_ten_digits_and_is_no_test_number() -> None:
    numbers = test_numbers()
    contact = next(n for n in numbers.personnummer if n.startswith("19") and int(n[2:4]) >= 27)
    twin = century_twin(contact)
    assert twin[2:] == contact[2:] and twin[:2] == "20"
    assert parse_strict(twin) == twin and not numbers.contains(twin)
