"""Test persons for the user picker: Skatteverket test personnummer with Faker ``sv_SE`` names.

Only Skatteverket's published test numbers are used (never Faker's ``ssn()``, whose numbers may
belong to real people). Names come from Faker, seeded, and the set deliberately includes multi-word
given names ("Fredrik Freddy", as CGI's ``Subject_GivenName`` carries all given names) and å/ä/ö,
so an SP's display and encoding are exercised (SC Attribute Specification §3.1.1: UTF-8).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from faker import Faker

from harness.personnummer import is_samordningsnummer

__all__ = ["Person", "make_persons"]

_SWEDISH_LETTERS = frozenset("åäöÅÄÖ")
_MAX_DRAWS = 200


@dataclass(frozen=True)
class Person:
    """A test citizen (invånare): 12-digit personnummer and names as the IdP releases them."""

    personnummer: str
    given_name: str  # förnamn: all given names, space-separated
    surname: str  # efternamn

    @property
    def display_name(self) -> str:
        return f"{self.given_name} {self.surname}"

    @property
    def date_of_birth(self) -> str:
        """YYYY-MM-DD (SC Attribute Specification §3.2.3); day − 60 for a samordningsnummer."""
        day = int(self.personnummer[6:8])
        if is_samordningsnummer(self.personnummer):
            day -= 60
        return f"{self.personnummer[0:4]}-{self.personnummer[4:6]}-{day:02d}"


def _has_swedish_letter(text: str) -> bool:
    return any(char in _SWEDISH_LETTERS for char in text)


def _surname_with_swedish_letter(fake: Faker) -> str:
    for _ in range(_MAX_DRAWS):
        surname = str(fake.last_name())
        if _has_swedish_letter(surname):
            return surname
    return "Åström"  # Faker's sv_SE list always has such names; this only bounds the loop


def make_persons(numbers: Sequence[str], seed: int = 1177) -> tuple[Person, ...]:
    """One person per number, deterministic for a seed.

    Every third person has two given names; every fourth (from the third) has a surname with
    å, ä or ö, so any list of three or more numbers covers both cases.
    """
    fake = Faker("sv_SE")
    fake.seed_instance(seed)
    persons = []
    for index, number in enumerate(numbers):
        given = str(fake.first_name())
        if index % 3 == 1:
            given = f"{given} {fake.first_name()}"
        surname = _surname_with_swedish_letter(fake) if index % 4 == 2 else str(fake.last_name())
        persons.append(Person(personnummer=number, given_name=given, surname=surname))
    return tuple(persons)
