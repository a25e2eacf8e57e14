"""The official XSLT 2 schematron (Inera's test-suite ``constraints.xml``) run with Saxon (saxonche).

Compilation: lxml ships the ISO schematron skeleton for XSLT 1 (``iso_dsdl_include.xsl``,
``iso_abstract_expand.xsl``, ``iso_svrl_for_xslt1.xsl``); it refuses ``queryBinding='xslt2'``, so the
binding is set to ``xslt`` before the pipeline and the generated stylesheet is marked XSLT 2.0 after it.
Saxon then evaluates the rules' XPath 2 expressions (``matches``, ``distinct-values``, sequences).
Each constraints file is compiled once and reused; the SVRL output's failed asserts and successful
reports become issues located by their SVRL ``location`` XPath and, through it, a line number.
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass
from pathlib import Path

import lxml
from lxml import etree
from saxonche import PySaxonApiError, PySaxonProcessor, PyXsltExecutable

from harness.contracts.model import ContractVersion
from harness.validation.issues import IssueKind, ValidationIssue, line_of
from harness.validation.message import load_message
from harness.validation.xsd import SchemaBundleError

__all__ = ["SchematronSet", "schematron_to_xslt"]

_SKELETON = Path(lxml.__file__).parent / "isoschematron" / "resources" / "xsl" / "iso-schematron-xslt1"
_SVRL = "http://purl.oclc.org/dsdl/svrl"
_XSL = "http://www.w3.org/1999/XSL/Transform"
_SAXON_LOCK = threading.Lock()  # one Saxon processor per process, used one call at a time


@functools.cache
def _skeleton() -> tuple[etree.XSLT, etree.XSLT, etree.XSLT]:
    steps = ("iso_dsdl_include.xsl", "iso_abstract_expand.xsl", "iso_svrl_for_xslt1.xsl")
    include, expand, svrl = (etree.XSLT(etree.parse(str(_SKELETON / name))) for name in steps)
    return include, expand, svrl


@functools.cache
def _saxon() -> PySaxonProcessor:
    return PySaxonProcessor(license=False)


def schematron_to_xslt(path: Path) -> str:
    """The validating stylesheet (SVRL output) for an ISO schematron file with XSLT 2 query binding."""
    try:
        schema = etree.parse(str(path), etree.XMLParser(no_network=True, resolve_entities=False))
    except (OSError, etree.XMLSyntaxError) as exc:
        raise SchemaBundleError(f"cannot read schematron {path}: {exc}") from None
    schema.getroot().set("queryBinding", "xslt")
    include, expand, svrl = _skeleton()
    stylesheet = svrl(expand(include(schema))).getroot()
    if stylesheet is None or stylesheet.tag != f"{{{_XSL}}}stylesheet":
        raise SchemaBundleError(f"{path} did not compile to a stylesheet")
    stylesheet.set("version", "2.0")
    _trim_output(stylesheet)
    return etree.tostring(stylesheet, encoding="unicode")


def _trim_output(stylesheet: etree._Element) -> None:
    """Keep the SVRL small: no ``fired-rule`` record for rules without an id (one per matched node
    otherwise; those with an id name the rule of the asserts that follow), and no indentation."""
    for fired in list(stylesheet.iter(f"{{{_SVRL}}}fired-rule")):
        parent = fired.getparent()
        if not fired.get("id") and parent is not None:
            parent.remove(fired)
    for output in stylesheet.iter(f"{{{_XSL}}}output"):
        output.set("indent", "no")


@dataclass(frozen=True, slots=True)
class _Compiled:
    path: str  # relative to the schema directory
    executable: PyXsltExecutable


class SchematronSet:
    """The official schematron files under ``schema_dir``, compiled with Saxon once per file."""

    def __init__(self, schema_dir: Path) -> None:
        self.schema_dir = schema_dir
        self._compiled: dict[str, _Compiled] = {}
        self._lock = threading.Lock()

    def applies(self, contract: ContractVersion) -> bool:
        return bool(contract.schemas.schematron)

    def compile(self, contract: ContractVersion) -> tuple[str, ...]:
        """Compile (once) every schematron file of ``contract``; returns their relative paths."""
        return tuple(c.path for c in self._stylesheets(contract))

    def check(
        self, contract: ContractVersion, message: etree._Element | bytes
    ) -> tuple[ValidationIssue, ...]:
        """Failed asserts and successful reports of ``contract``'s schematron on a message (SOAP envelope
        or bare element; a bare element is checked inside an envelope, as the rules expect)."""
        stylesheets = self._stylesheets(contract)
        envelope = load_message(message).envelope
        text = etree.tostring(envelope, encoding="unicode")
        issues: list[ValidationIssue] = []
        for compiled in stylesheets:
            issues.extend(_issues(envelope, _run(compiled, text)))
        return tuple(issues)

    def _stylesheets(self, contract: ContractVersion) -> tuple[_Compiled, ...]:
        with self._lock:
            for relative in contract.schemas.schematron:
                if relative not in self._compiled:
                    self._compiled[relative] = _compile(self.schema_dir, relative)
            return tuple(self._compiled[r] for r in contract.schemas.schematron)


def _compile(schema_dir: Path, relative: str) -> _Compiled:
    path = schema_dir / relative
    if not path.is_file():
        raise SchemaBundleError(f"the schema directory has no {path}")
    stylesheet = schematron_to_xslt(path)
    with _SAXON_LOCK:
        try:
            executable = _saxon().new_xslt30_processor().compile_stylesheet(stylesheet_text=stylesheet)
        except PySaxonApiError as exc:
            raise SchemaBundleError(f"Saxon cannot compile {path}: {exc}") from None
    return _Compiled(relative, executable)


def _run(compiled: _Compiled, document: str) -> etree._Element:
    with _SAXON_LOCK:
        node = _saxon().parse_xml(xml_text=document)
        output = compiled.executable.transform_to_string(xdm_node=node)
    if not output:
        raise SchemaBundleError(f"Saxon produced no SVRL for {compiled.path}")
    return etree.fromstring(output.encode("utf-8"))


def _issues(document: etree._Element, svrl: etree._Element) -> list[ValidationIssue]:
    """One issue per failed assert or successful report, named "pattern / rule id: assert id or test"."""
    issues: list[ValidationIssue] = []
    pattern = rule = ""
    for entry in svrl:
        name = etree.QName(entry).localname if isinstance(entry.tag, str) else ""
        if name == "active-pattern":
            pattern, rule = entry.get("id") or entry.get("name") or "", ""
        elif name == "fired-rule":
            rule = entry.get("id") or ""
        elif name in ("failed-assert", "successful-report"):
            where = " / ".join(part for part in (pattern, rule) if part)
            issues.append(_issue(document, entry, where))
    return issues


def _issue(document: etree._Element, entry: etree._Element, where: str) -> ValidationIssue:
    what = entry.get("id") or entry.get("test") or ""
    location = entry.get("location", "")
    text = " ".join("".join(str(t) for t in entry.itertext()).split())
    return ValidationIssue(
        kind=IssueKind.SCHEMATRON,
        rule=f"{where}: {what}" if where else what,
        message=text,
        location=location,
        line=_line(document, location),
    )


def _line(document: etree._Element, location: str) -> int | None:
    if not location.startswith("/"):
        return None
    try:
        found = document.xpath(location)
    except etree.XPathError:
        return None
    if isinstance(found, list) and found and isinstance(found[0], etree._Element):
        return line_of(found[0])
    return None
