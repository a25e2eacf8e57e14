"""The strings that would reveal a test person to 1177: personnummer in every written form, and names."""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["PersonalData"]


class PersonalData:
    """Finds a personnummer (12 or 10 digits, with or without a separator) or a name in a text."""

    def __init__(self, personnummer: Iterable[str], names: Iterable[str]) -> None:
        forms: set[str] = set()
        for number in personnummer:
            forms |= {number, number[2:], f"{number[:8]}-{number[8:]}", f"{number[2:8]}-{number[8:]}"}
        self._forms = frozenset(form.replace("-", "") for form in forms)
        # Whole words only: a surname like "Sten" must not be found inside "persistent".
        self._names = tuple(re.compile(rf"\b{re.escape(n)}\b", re.IGNORECASE) for n in names if len(n) >= 3)

    def found_in(self, text: str) -> str | None:
        """The kind of personal data in ``text`` (never the value itself, which is evidence only)."""
        digits = re.sub(r"(?<=\d)[-+ ](?=\d)", "", text)
        if any(form in digits for form in self._forms):
            return "a personnummer"
        if any(name.search(text) for name in self._names):
            return "a name"
        return None
