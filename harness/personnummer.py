"""Personnummer: strict 12-digit normalisation and the test-number policy.

Rules (Skatteverket, Rättslig vägledning "Personnummer"; SC Attribute Specification §3.1):
12 digits ``YYYYMMDDNNNC`` without hyphen, a real date (day + 60 for a samordningsnummer),
födelsenummer 001-999, Luhn check digit over YYMMDDNNN. Never match on the 10-digit form: it
hides the century (121212-1212 is 2012, 121212+1212 is 1912).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

__all__ = [
    "PersonnummerError",
    "TestNumbers",
    "century_twin",
    "is_samordningsnummer",
    "load_test_numbers",
    "luhn_digit",
    "parse_strict",
]


_TWELVE = re.compile(r"\d{12}")


class PersonnummerError(ValueError):
    """The value is not a valid 12-digit personnummer (or samordningsnummer)."""


def luhn_digit(nine: str) -> int:
    """Check digit over YYMMDDNNN: weights 2,1,2,... from the left, digits of products summed."""
    total = 0
    for index, char in enumerate(nine):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return (10 - total % 10) % 10


def is_samordningsnummer(number: str) -> bool:
    """Samordningsnummer carry day + 60 (SKVM 2010:3)."""
    return int(number[6:8]) > 60


def parse_strict(value: str, *, allow_samordningsnummer: bool = False) -> str:
    """Return ``value`` if it is a valid 12-digit number, else raise :class:`PersonnummerError`.

    No normalisation of other forms: a 10-digit or hyphenated value is refused, because the
    Swedish eID profile mandates 12 digits and the short form hides the century.
    """
    if not _TWELVE.fullmatch(value):
        raise PersonnummerError("not 12 digits (YYYYMMDDNNNC)")
    day = int(value[6:8])
    if is_samordningsnummer(value):
        if not allow_samordningsnummer:
            raise PersonnummerError("a samordningsnummer, not a personnummer")
        day -= 60
    try:
        date(int(value[0:4]), int(value[4:6]), day)
    except ValueError:
        raise PersonnummerError("birth date does not exist") from None
    if value[8:11] == "000":
        raise PersonnummerError("födelsenummer 000 is never assigned")
    if luhn_digit(value[2:11]) != int(value[11]):
        raise PersonnummerError("check digit is wrong")
    return value


def century_twin(number: str) -> str:
    """The number with the same last 10 digits born 100 years later (1927 -> 2027).

    Used for the century-collision case: when the twin's birth date is still in the future
    no real person has it (Skatteverket's test list holds no two numbers with the same last 10 digits).
    """
    return f"{int(number[:2]) + 1}{number[2:]}"


@dataclass(frozen=True, slots=True)
class TestNumbers:
    """Skatteverket's test personnummer and test samordningsnummer, loaded, never copied in."""

    __test__ = False  # not a pytest test class

    personnummer: tuple[str, ...]
    samordningsnummer: tuple[str, ...]
    members: frozenset[str]

    def contains(self, number: str) -> bool:
        return number in self.members


def _read_column(path: Path) -> tuple[str, ...]:
    with path.open(newline="", encoding="utf-8") as handle:
        return tuple(row["personnummer"].strip() for row in csv.DictReader(handle))


def load_test_numbers(directory: Path) -> TestNumbers:
    """Load ``testpersonnummer.csv`` and ``testsamordningsnummer.csv`` from ``directory``."""
    pnr = directory / "testpersonnummer.csv"
    if not pnr.exists():
        raise FileNotFoundError(
            f"Skatteverket's test personnummer were not found in {directory}; pass --persons DIR"
        )
    samordning = directory / "testsamordningsnummer.csv"
    numbers = _read_column(pnr)
    samordningsnummer = _read_column(samordning) if samordning.exists() else ()
    return TestNumbers(numbers, samordningsnummer, frozenset(numbers) | frozenset(samordningsnummer))
