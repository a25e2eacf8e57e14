"""Reading TAK from files: the mock platform's TOML format and SKLTP's TAK XML (persistent cache).

TOML format (every key shown; ``valid_from``/``valid_to`` optional, default: always valid)::

    [defaults]                          # optional: timeouts for every contract
    connect_timeout_s = 2.0             # SKLTP producer.https.connect.timeout (2000 ms)
    producer_timeout_s = 29.0           # SKLTP timeoutconfig.json producertimeout (29000 ms)

    [[routing]]                         # vägval (SKLTP virtualiseringsInfo)
    logical_address = "TSTNMT2321000156-RP01"
    contract = "urn:riv:clinicalprocess:healthcond:description:GetCareDocumentationResponder:3"
    rivta_profile = "rivtabp21"         # the producer's: rivtabp21 (LogicalAddress) or rivtabp20 (wsa:To)
    address = "https://127.0.0.1:9443/GetCareDocumentation/3/rivtabp21"   # http:// for a test producer
    valid_from = 2025-01-01             # a TOML date (00:00 UTC) or date-time
    valid_to = 2030-12-31               # a date is inclusive: valid through that day (UTC)

    [[authorisation]]                   # anropsbehörighet (SKLTP anropsBehorighetsInfo)
    consumer = "TSTNMT2321000156-1177"  # the consumer's certificate serialNumber (HSA-id)
    logical_address = "TSTNMT2321000156-RP01"   # "*" authorises every logical address
    contract = ["urn:riv:clinicalprocess:healthcond:description:GetCareDocumentationResponder:3",
                "urn:riv:clinicalprocess:healthcond:description:GetDiagnosisResponder:2"]

    [[timeouts]]                        # per contract, like SKLTP's timeoutconfig.json
    contract = "urn:riv:clinicalprocess:healthcond:description:GetCareDocumentationResponder:3"
    connect_s = 2.0
    producer_s = 29.0

``contract`` takes one name or a list (one entry per name). An unknown key is an error naming
the valid keys. SKLTP's XML shape (``takdata/tak-vagval-test.xml``, ``tak-behorigheter-test.xml``
in skltp/vp ``vp-services-camel/src/test/resources``) is read by :func:`load_skltp_tak_xml`.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from lxml import etree

from harness.core.xml import UnsafeXmlError, parse_xml
from harness.mock_ntp.tak import ALWAYS_FROM, ALWAYS_TO, Authorisation, Route, Tak, Timeouts

__all__ = ["TakFileError", "load_skltp_tak_xml", "load_tak", "load_tak_toml", "parse_tak_toml"]

_SKLTP_NS = "urn:skl:tp:vagvalsinfo:v2"
_KEYS = {
    "defaults": {"connect_timeout_s", "producer_timeout_s"},
    "routing": {"logical_address", "contract", "rivta_profile", "address", "valid_from", "valid_to"},
    "authorisation": {"consumer", "logical_address", "contract", "valid_from", "valid_to"},
    "timeouts": {"contract", "connect_s", "producer_s"},
}
_REQUIRED = {
    "routing": {"logical_address", "contract", "address"},
    "authorisation": {"consumer", "logical_address", "contract"},
    "timeouts": {"contract"},
}


class TakFileError(ValueError):
    """A TAK file that cannot be read, or an entry that is incomplete or misspelt."""


def load_tak(*paths: Path) -> Tak:
    """TAK from one or more files (``.toml``, or SKLTP ``.xml``), merged in order."""
    tak = Tak()
    for path in paths:
        part = load_skltp_tak_xml(path) if path.suffix.lower() == ".xml" else load_tak_toml(path)
        tak = tak.merged(part)
    return tak


def load_tak_toml(path: Path) -> Tak:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise TakFileError(f"{path.name}: cannot read TAK file: {exc}") from None
    try:
        return parse_tak_toml(data)
    except TakFileError as exc:
        raise TakFileError(f"{path.name}: {exc}") from None


def parse_tak_toml(data: Mapping[str, Any]) -> Tak:
    """TAK from an already parsed TOML document (the format in this module's docstring)."""
    unknown = set(data) - set(_KEYS)
    if unknown:
        raise TakFileError(f"unknown table(s) {sorted(unknown)}; valid: {sorted(_KEYS)}")
    defaults = _table(data.get("defaults", {}), "defaults")
    default_timeouts = Timeouts(
        connect_s=_seconds(defaults.get("connect_timeout_s", 2.0), "defaults.connect_timeout_s"),
        producer_s=_seconds(defaults.get("producer_timeout_s", 29.0), "defaults.producer_timeout_s"),
    )
    routes = tuple(
        Route(e["logical_address"], c, _profile(e), e["address"], *_validity(e, where))
        for where, e in _entries(data, "routing")
        for c in _contracts(e, where)
    )
    authorisations = tuple(
        Authorisation(e["consumer"], e["logical_address"], c, *_validity(e, where))
        for where, e in _entries(data, "authorisation")
        for c in _contracts(e, where)
    )
    timeouts = tuple(
        (c, Timeouts(_seconds(e.get("connect_s", 2.0), where), _seconds(e.get("producer_s", 29.0), where)))
        for where, e in _entries(data, "timeouts")
        for c in _contracts(e, where)
    )
    return Tak(routes, authorisations, timeouts, default_timeouts)


def _entries(data: Mapping[str, Any], name: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
    items = data.get(name, [])
    if not isinstance(items, list):
        raise TakFileError(f"[[{name}]] must be an array of tables")
    for index, item in enumerate(items, start=1):
        where = f"{name} #{index}"
        entry = _table(item, where)
        missing = _REQUIRED[name] - set(entry)
        if missing:
            raise TakFileError(f"{where}: missing {sorted(missing)}")
        for key in _REQUIRED[name] - {"contract"}:
            if not isinstance(entry[key], str):
                raise TakFileError(f"{where}: {key} must be a string")
        yield where, entry


def _table(item: object, where: str) -> Mapping[str, Any]:
    if not isinstance(item, Mapping):
        raise TakFileError(f"{where}: must be a table")
    name = where.split(" #")[0]
    unknown = set(item) - _KEYS[name]
    if unknown:
        raise TakFileError(f"{where}: unknown key(s) {sorted(unknown)}; valid: {sorted(_KEYS[name])}")
    return item


def _contracts(entry: Mapping[str, Any], where: str) -> list[str]:
    value = entry["contract"]
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not names or not all(isinstance(n, str) and n for n in names):
        raise TakFileError(f"{where}: contract must be a name or a non-empty list of names")
    return [n.strip() for n in names]


def _profile(entry: Mapping[str, Any]) -> str:
    return str(entry.get("rivta_profile", "rivtabp21")).strip().lower()


def _seconds(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise TakFileError(f"{where}: a timeout must be a positive number of seconds")
    return float(value)


def _validity(entry: Mapping[str, Any], where: str) -> tuple[datetime, datetime]:
    start = _instant(entry.get("valid_from"), where, end=False) or ALWAYS_FROM
    end = _instant(entry.get("valid_to"), where, end=True) or ALWAYS_TO
    return start, end


def _instant(value: object, where: str, *, end: bool) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        start = datetime.combine(value, time(0), tzinfo=UTC)
        return start + timedelta(days=1) - timedelta(microseconds=1) if end else start
    raise TakFileError(f"{where}: valid_from/valid_to must be a TOML date or date-time")


def load_skltp_tak_xml(path: Path) -> Tak:
    """TAK from SKLTP's persistent-cache XML (``virtualiseringsInfo``/``anropsBehorighetsInfo``)."""
    try:
        root = parse_xml(path.read_bytes(), max_bytes=50_000_000)
    except (OSError, UnsafeXmlError) as exc:
        raise TakFileError(f"{path.name}: cannot read SKLTP TAK XML: {exc}") from None
    try:
        routes = tuple(_skltp_route(e) for e in root.iter("virtualiseringsInfo"))
        authorisations = tuple(_skltp_authorisation(e) for e in root.iter("anropsBehorighetsInfo"))
    except (KeyError, ValueError) as exc:
        raise TakFileError(f"{path.name}: incomplete SKLTP TAK entry: {exc}") from None
    return Tak(routes=routes, authorisations=authorisations)


def _skltp_fields(element: etree._Element) -> dict[str, str]:
    return {
        etree.QName(child).localname: (child.text or "").strip()
        for child in element
        if isinstance(child.tag, str) and etree.QName(child).namespace == _SKLTP_NS
    }


def _skltp_route(element: etree._Element) -> Route:
    f = _skltp_fields(element)
    return Route(
        logical_address=f["receiverId"],
        contract=f["tjansteKontrakt"],
        rivta_profile=f["rivProfil"].lower(),
        address=f.get("adress", ""),
        valid_from=_skltp_time(f["fromTidpunkt"]),
        valid_to=_skltp_time(f["tomTidpunkt"]),
    )


def _skltp_authorisation(element: etree._Element) -> Authorisation:
    f = _skltp_fields(element)
    return Authorisation(
        consumer=f["senderId"],
        logical_address=f["receiverId"],
        contract=f["tjansteKontrakt"],
        valid_from=_skltp_time(f["fromTidpunkt"]),
        valid_to=_skltp_time(f["tomTidpunkt"]),
    )


def _skltp_time(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
