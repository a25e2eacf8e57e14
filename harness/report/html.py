"""``report.html``: one self-contained page (inline CSS and JS, no network), rendered with Jinja2.

The page is plain HTML down to each scenario's findings: the summary, the areas and every
scenario row show without any script. The evidence (every exchange, each distinct body once, see
bodies.py) travels gzip-compressed and base64-encoded in a data block, which the page's script
decompresses (``DecompressionStream``) the first time a scenario's evidence is opened, and
renders that scenario only.

Evidence is hostile input: the template autoescapes everything, and the script builds the
evidence with ``textContent`` and ``createElement`` only (XML is highlighted by wrapping tokens
of the text in spans, never by parsing it as markup). A Content-Security-Policy pins the one
inline script and style by hash, so even markup that slipped through could not run a script.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
from importlib import resources
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from harness.core.findings import Verdict
from harness.core.measurements import LoadSummary
from harness.report.bodies import BodyTable
from harness.report.document import exchange_document
from harness.report.model import ReportModel
from harness.report.plot import latency_plot

__all__ = ["evidence_payload", "render_html"]

TEMPLATE = "report.html.j2"


def render_html(model: ReportModel) -> str:
    script = _asset("report.js")
    style = _asset("report.css")
    template = _environment().get_template(TEMPLATE)
    return template.render(
        model=model,
        verdicts=list(Verdict),
        area_names=sorted({s.area for s in model.scenarios}),
        outcome=_outcome(model),
        csp=_content_security_policy(script, style),
        script=Markup(script),
        style=Markup(style),
        evidence=_compressed(evidence_payload(model)),
        plot=_plot,
    )


def _plot(summary: LoadSummary) -> Markup:
    """The latency-over-time SVG; plot.py escapes every text it writes into it."""
    return Markup(latency_plot(summary))


def evidence_payload(model: ReportModel) -> dict[str, Any]:
    """What the page decompresses: ``{"bodies": {id: text}, "evidence": {scenario id: [exchange]}}``."""
    bodies = BodyTable()
    evidence = {
        s.id: [exchange_document(x, bodies) for x in s.evidence] for s in model.scenarios if s.evidence
    }
    return {"bodies": bodies.texts(), "evidence": evidence}


def _compressed(payload: dict[str, Any]) -> str:
    """gzip (RFC 1952, no timestamp: the same run gives the same page) in base64 (RFC 4648 §4)."""
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return base64.b64encode(gzip.compress(data, compresslevel=9, mtime=0)).decode("ascii")


def _environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("harness.report", "templates"),
        autoescape=True,  # every value in the template is escaped unless it is Markup made here
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return environment


def _asset(name: str) -> str:
    text = resources.files("harness.report").joinpath("templates", name).read_text(encoding="utf-8")
    if "</script" in text.lower() or "</style" in text.lower():
        raise ValueError(f"{name} must not close its own element")
    return text


def _content_security_policy(script: str, style: str) -> str:
    """No network at all; only the page's own inline script and style, identified by hash (CSP3)."""
    return (
        "default-src 'none'; "
        f"script-src '{_sha256(script)}'; "
        f"style-src '{_sha256(style)}'; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )


def _sha256(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def _outcome(model: ReportModel) -> str:
    counts = dict(model.summary)
    broken = counts[Verdict.FAIL] + counts[Verdict.ERROR]
    if broken == 0:
        return f"no scenario failed or errored (exit status {model.exit_status})"
    return (
        f"{counts[Verdict.FAIL]} failed, {counts[Verdict.ERROR]} could not be judged "
        f"(exit status {model.exit_status})"
    )
