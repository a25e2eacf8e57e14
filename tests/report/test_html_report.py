"""report.html without a browser: self-contained, escaped, pinned by CSP, evidence compressed once."""

from __future__ import annotations

import base64
import hashlib
import re

from lxml import html as lxml_html
from report_samples import PERSONNUMMER, PLANTED_SCRIPT, ReportWriter, html_evidence

import harness.report


def test_report_needs_no_network(reports: ReportWriter) -> None:
    tree = lxml_html.fromstring(reports()["report.html"].read_bytes())
    assert not tree.xpath("//link | //*[@src] | //iframe | //object | //embed")
    assert all(href.startswith("#") for href in tree.xpath("//a/@href"))
    csp = tree.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]
    assert csp.startswith("default-src 'none';")


def test_content_security_policy_pins_the_one_inline_script(reports: ReportWriter) -> None:
    tree = lxml_html.fromstring(reports()["report.html"].read_bytes())
    (script,) = tree.xpath("//script[not(@type)]")
    (data,) = tree.xpath("//script[@type]")  # a data block: a type no browser executes (HTML §4.12.1.2)
    assert (data.get("type"), data.get("id")) == ("application/octet-stream", "evidence-data")
    assert re.fullmatch(r"[A-Za-z0-9+/]+=*", data.text)  # base64 only: it cannot close its element
    digest = base64.b64encode(hashlib.sha256(script.text.encode()).digest()).decode()
    csp = tree.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]
    assert f"script-src 'sha256-{digest}'" in csp
    assert "innerHTML" not in script.text and "insertAdjacentHTML" not in script.text


def test_hostile_evidence_is_escaped_or_compressed_everywhere(reports: ReportWriter) -> None:
    report = reports()["report.html"]
    page = report.read_text(encoding="utf-8")
    assert PLANTED_SCRIPT not in page and "<img src=x" not in page
    assert "<b>demo</b>" not in page and "Reference SP &lt;b&gt;demo&lt;/b&gt;" in page
    # The evidence carries the planted markup as text, for the page to show with textContent.
    assert PLANTED_SCRIPT in "".join(html_evidence(report)["bodies"].values())


def test_the_scenario_list_and_findings_are_plain_html(reports: ReportWriter) -> None:
    """Everything but the evidence shows without any script: ids, verdicts, messages, findings."""
    tree = lxml_html.fromstring(reports()["report.html"].read_bytes())
    rows = tree.xpath("//tbody[@class='scenario']")
    assert [(r.get("id"), r.get("data-verdict")) for r in rows][:2] == [
        ("SP-X-01", "fail"),
        ("SP-X-02", "pass"),
    ]
    assert len(rows) == 8
    failed = tree.get_element_by_id("SP-X-01").text_content()
    assert f"200 and a session for {PERSONNUMMER}" in failed and "What this means:" in failed
    assert "<saml:Assertion" not in tree.text_content()  # evidence is not in the markup


def test_findings_and_explanation_come_before_the_raw_evidence(reports: ReportWriter) -> None:
    page = reports()["report.html"].read_text(encoding="utf-8")
    section = page[page.index('id="SP-X-01"') : page.index('id="SP-X-02"')]
    order = [section.index(marker) for marker in ("What this means:", 'class="findings"', 'class="evidence"')]
    assert order == sorted(order)
    assert 'href="#SP-X-01.x3"' in section  # finding -> exchange, rendered from the evidence on demand
    assert [x["id"] for x in html_evidence(reports()["report.html"])["evidence"]["SP-X-01"]] == [
        "x1",
        "x2",
        "x3",
        "x4",
    ]
    passing = page[page.index('id="SP-X-02"') : page.index('id="SP-X-03"')]
    assert "What this means:" not in passing


def test_package_exports_only_write_reports() -> None:
    assert harness.report.__all__ == ["write_reports"]


def test_write_reports_returns_the_three_files_in_order(reports: ReportWriter) -> None:
    written = reports()
    assert list(written) == ["report.html", "results.json", "junit.xml"]
    assert all(path.stat().st_size > 0 for path in written.values())
