"""``--mask-personal-data``: take personnummer and names out of a report that leaves the test environment.

Personnummer and samordningsnummer are found by shape in every text (12 or 10 digits, with or
without ``-``/``+``, with a plausible birth date, the day plus 60 for a samordningsnummer;
Skatteverket's format, see harness/personnummer.py), including values split by an injected XML
comment. Names are not recognisable by shape: the suite's evidence decoders say which names and
other identifiers the messages carry (SAML name attributes, the person-name elements of a RIVTA
body), and each is masked wherever it occurs, also URL-, HTML- and JSON-escaped. What masking
cannot reach in place (base64 SAML in a form field, a base64 attachment in a SOAP body) each
decoder conceals behind a pointer to its decoded, masked view.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields, is_dataclass, replace
from typing import Any, TypeVar, cast
from urllib.parse import quote, quote_plus

from harness.report.decoding import EvidenceDecoder, PersonalData
from harness.report.evidence import BodyKind, MessageView
from harness.report.model import ReportModel

__all__ = ["ID_MASK", "NAME_MASK", "PERSONNUMMER_MASK", "Masker", "mask_model"]

PERSONNUMMER_MASK = "[personnummer]"
NAME_MASK = "[name]"
ID_MASK = "[personal id]"
BINARY_MASKED = "bytes, binary (hex head withheld in a masked report)"

_MIN_NAME_PART = 3  # "de", "af" and initials would mask ordinary words
_MIN_IDENTIFIER = 4  # a one-digit "id" would mask every digit

# YYYYMMDD or YYMMDD, then an optional -/+, then the four last digits; the day may carry +60
# (samordningsnummer). Digit-bounded, not word-bounded: "pnr195006262546" is masked too.
_DATE = r"(?:0[1-9]|1[0-2])(?:[0-3]\d|[6-9]\d)"
_PERSONNUMMER = re.compile(rf"(?<!\d)(?:(?:18|19|20)\d\d|\d\d){_DATE}[-+]?\d{{4}}(?!\d)")
# A number split by comments, the CVE-2017-11427 shape: 19500626<!---->2546.
_COMMENT_SPLIT = re.compile(r"(?<!\d)[\d+-]*\d(?:<!--.{0,200}?-->[\d+-]*)+\d[\d+-]*", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Masker:
    """Masks one report's personal data; names and identifiers come from the decoders."""

    names: re.Pattern[str] | None = None  # every known name and its escaped forms, or None
    identifiers: re.Pattern[str] | None = None
    concealers: tuple[Callable[[str], str], ...] = ()

    @classmethod
    def for_names(cls, names: Iterable[str]) -> Masker:
        return cls.for_data(PersonalData(names=frozenset(names)))

    @classmethod
    def for_data(cls, personal: PersonalData, concealers: Iterable[Callable[[str], str]] = ()) -> Masker:
        names = _name_variants(personal.names, split_words=True)
        identifiers = {i for i in _name_variants(personal.identifiers) if len(i) >= _MIN_IDENTIFIER}
        return cls(_pattern(names), _pattern(identifiers), tuple(concealers))

    def text(self, value: str) -> str:
        for conceal in self.concealers:
            value = conceal(value)
        value = _COMMENT_SPLIT.sub(_mask_if_split_personnummer, value)
        value = _PERSONNUMMER.sub(PERSONNUMMER_MASK, value)
        if self.identifiers is not None:
            value = self.identifiers.sub(ID_MASK, value)
        return self.names.sub(NAME_MASK, value) if self.names is not None else value


def mask_model(
    model: ReportModel, personal: PersonalData, decoders: Sequence[EvidenceDecoder] = ()
) -> ReportModel:
    """The same report with every personnummer and known name or identifier masked, in every text."""
    masker = Masker.for_data(personal, (d.conceal for d in decoders))
    return replace(_walk(model, _memoized(masker.text)), masked=True)


def _name_variants(names: Iterable[str], *, split_words: bool = False) -> set[str]:
    """Each name (and its words), and the escaped forms they take in URLs, HTML and JSON bodies."""
    plain: set[str] = set()
    for name in (n.strip() for n in names):
        plain.add(name)
        if split_words:
            plain.update(part for part in name.split() if len(part) >= _MIN_NAME_PART)
    variants: set[str] = set()
    for name in plain:
        variants |= {
            name,
            html.escape(name),
            name.encode("ascii", "xmlcharrefreplace").decode("ascii"),
            quote(name),
            quote_plus(name),
            json.dumps(name)[1:-1],
        }
    return {v for v in variants if v}


def _pattern(variants: set[str]) -> re.Pattern[str] | None:
    if not variants:
        return None
    alternatives = sorted(variants, key=len, reverse=True)
    body = "|".join(re.escape(v) for v in alternatives)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)


def _mask_if_split_personnummer(match: re.Match[str]) -> str:
    joined = _COMMENT.sub("", match.group())
    return PERSONNUMMER_MASK if _PERSONNUMMER.search(joined) else match.group()


def _memoized(mask: Callable[[str], str]) -> Callable[[str], str]:
    """A run repeats its bodies many times over: mask each distinct text once."""
    done: dict[str, str] = {}

    def masked(text: str) -> str:
        if text not in done:
            done[text] = mask(text)
        return done[text]

    return masked


def _walk(value: T, mask: Callable[[str], str]) -> T:
    """Apply ``mask`` to every string inside a tree of frozen dataclasses and tuples."""
    if isinstance(value, MessageView) and value.kind is BodyKind.BINARY:
        # A hex head can spell a personnummer in ASCII; the length stays as evidence.
        return cast(
            T, replace(value, headers=_walk(value.headers, mask), text=f"{value.length} {BINARY_MASKED}")
        )
    if isinstance(value, str):
        masked = mask(value)
        return value if masked == value else cast(T, masked)
    if isinstance(value, tuple):
        return cast(T, tuple(_walk(item, mask) for item in value))
    if is_dataclass(value) and not isinstance(value, type):
        changes: dict[str, Any] = {f.name: _walk(getattr(value, f.name), mask) for f in fields(value)}
        return cast(T, replace(value, **changes))
    return value
