"""Content-addressed body store: each distinct text is kept once and referred to by its digest.

A run repeats itself: the same page, the same SOAP answer, the same decoded message appear in
many exchanges. Both ``results.json`` and ``report.html`` keep every distinct text once, in a
``bodies`` table, and evidence refers to it by id.

The id is the SHA-256 of the text's UTF-8 bytes in lower-case base32 without padding (RFC 4648
§6): 52 characters from ``a-z2-7``. Base32 rather than hex, so an id can never read as a
personnummer (one needs a 0 or 1 in its month, and base32 has neither digit) and a masked report
stays free of anything that looks like one.
"""

from __future__ import annotations

import base64
import hashlib

__all__ = ["BODY_ID_PATTERN", "BodyTable", "body_id"]

BODY_ID_PATTERN = "^[a-z2-7]{52}$"


def body_id(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()
    return base64.b32encode(digest).decode("ascii").rstrip("=").lower()


class BodyTable:
    """Texts by id, in the order they were first referred to."""

    def __init__(self) -> None:
        self._texts: dict[str, str] = {}

    def ref(self, text: str) -> str | None:
        """The id under which ``text`` is kept; None for an empty text (nothing to keep)."""
        if not text:
            return None
        key = body_id(text)
        self._texts.setdefault(key, text)
        return key

    def texts(self) -> dict[str, str]:
        return dict(self._texts)

    def __len__(self) -> int:
        return len(self._texts)
