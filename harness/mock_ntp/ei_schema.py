"""The engagement index's XSD check of an Update, with the official schema loaded from a schema directory.

The SKLTP EI does not validate against the XSD (a post missing a mandatory element fails later, as
EI004 "mandatory field ... is missing"); this mock rejects any XSD violation with EI004 so a
producer hears of it at once. The Update schematron's own rules (forbidden owner/creationTime/updateTime,
no empty elements, no mostRecentContent on delete, at most 1000 posts) are checked by
:mod:`harness.mock_ntp.ei_validation`; the domains' schematron rules are the producer suite's to judge.
Fault texts never carry element values: quoted values that do not look like XML names are withheld.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from lxml import etree

from harness.contracts.platform import UPDATE_1_0
from harness.mock_ntp.ei import UpdateSchemaCheck
from harness.validation import SchemaBundle
from harness.validation.issues import compact_location

__all__ = ["redact", "update_xsd_check"]

_QUOTED = re.compile(r"'([^']*)'")
_NAME = re.compile(r"(\{[^}]*\})?[A-Za-z_][\w.:-]*")


def redact(message: str) -> str:
    """The message with quoted values withheld; quoted XML names (``'{ns}local'``, ``'xs:boolean'``) stay."""
    return _QUOTED.sub(lambda m: m.group(0) if _NAME.fullmatch(m.group(1)) else "'(value withheld)'", message)


def update_xsd_check(schema_dir: Path) -> UpdateSchemaCheck:
    """An Update check against ``UpdateResponder_1.0.xsd`` in the official bundle under ``schema_dir``."""
    bundle = SchemaBundle(schema_dir)

    def check(element: etree._Element) -> Sequence[str]:
        return [
            f"{redact(issue.message)} (at {compact_location(issue.location)})"
            for issue in bundle.validate_xsd(UPDATE_1_0, element)
        ]

    return check
