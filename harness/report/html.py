"""``report.html``: one self-contained page (inline CSS and JS, no network), rendered with Jinja2.

Evidence is hostile input, so the template autoescapes everything; XML is highlighted here in
Python (escape first, then spans) and the page's script only toggles ``hidden``/``open``. A
Content-Security-Policy pins the one inline script and style by hash, so even markup that
slipped through escaping could not run a script.
"""

from __future__ import annotations

import base64
import hashlib
from importlib import resources

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from harness.core.findings import Verdict
from harness.report.model import ReportModel
from harness.report.xml_highlight import highlight_xml

__all__ = ["render_html"]

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
    )


def _environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("harness.report", "templates"),
        autoescape=True,  # every value in the template is escaped unless it is Markup made here
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["xml"] = highlight_xml
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
