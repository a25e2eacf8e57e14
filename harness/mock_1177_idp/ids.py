"""SAML identifiers (xs:ID): random in normal runs, reproducible in tests.

SAML Core 1.3.4: IDs must be unique and unguessable; an NCName, so they start with ``_``.
"""

from __future__ import annotations

import random
import secrets
from typing import Protocol

__all__ = ["IdSource", "RandomIds", "SeededIds"]


class IdSource(Protocol):
    def new_id(self) -> str:
        """A fresh identifier: ``_`` followed by 32 hex digits."""
        ...


class RandomIds:
    """Cryptographically random IDs (the default)."""

    def new_id(self) -> str:
        return "_" + secrets.token_hex(16)


class SeededIds:
    """Deterministic IDs for tests: the same seed gives the same sequence."""

    def __init__(self, seed: int = 1177) -> None:
        self._random = random.Random(seed)

    def new_id(self) -> str:
        return "_" + f"{self._random.getrandbits(128):032x}"
