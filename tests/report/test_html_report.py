"""report.html without a browser: self-contained, escaped, highlighted server-side, pinned by CSP."""

from __future__ import annotations

import base64
import hashlib
import re

from lxml import html as lxml_html
from report_samples import PLANTED_SCRIPT, ReportWriter

import harness.report
from harness.report.xml_highlight import highlight_xml


def test_report_needs_no_network(reports: ReportWriter) -> None:
    tree = lxml_html.fromstring(reports()["report.html"].read_bytes())
    assert not tree.xpath("//link | //*[@src] | //iframe | //object | //embed")
    assert all(href.startswith("#") for href in tree.xpath("//a/@href"))
    csp = tree.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]
    assert csp.startswith("default-src 'none';")


def test_content_security_policy_pins_the_one_inline_script(reports: ReportWriter) -> None:
    tree = lxml_html.fromstring(reports()["report.html"].read_bytes())
    (script,) = tree.xpath("//script")
    digest = base64.b64encode(hashlib.sha256(script.text.encode()).digest()).decode()
    csp = tree.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]
    assert f"script-src 'sha256-{digest}'" in csp
    assert "innerHTML" not in script.text and "insertAdjacentHTML" not in script.text


def test_hostile_evidence_is_escaped_everywhere(reports: ReportWriter) -> None:
    page = reports()["report.html"].read_text(encoding="utf-8")
    assert PLANTED_SCRIPT not in page
    assert "&lt;script&gt;document.title=&#39;pwned&#39;" in page
    assert "<img src=x" not in page
    assert "<b>demo</b>" not in page and "Reference SP &lt;b&gt;demo&lt;/b&gt;" in page


def test_findings_and_explanation_come_before_the_raw_evidence(reports: ReportWriter) -> None:
    page = reports()["report.html"].read_text(encoding="utf-8")
    section = page[page.index('id="SP-X-01"') : page.index('id="SP-X-02"')]
    order = [section.index(marker) for marker in ("What this means:", 'class="findings"', 'class="evidence"')]
    assert order == sorted(order)
    assert 'href="#SP-X-01.x3"' in section and 'id="SP-X-01.x3"' in section  # finding -> exchange link
    passing = page[page.index('id="SP-X-02"') : page.index('id="SP-X-03"')]
    assert "What this means:" not in passing


def test_xml_is_escaped_before_it_is_highlighted() -> None:
    pretty = (
        '<a:b xmlns:a="urn:x" k="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">\n'
        "  <!-- c > d -->\n  <c>x &lt;i&gt;</c>\n</a:b>\n"
    )
    out = str(highlight_xml(pretty))
    assert re.findall(r"<(?!/?span\b)", out) == []  # the only markup is our spans
    assert '<span class="x-name">a:b</span>' in out
    assert '<span class="x-attr">k</span>=<span class="x-value">&#34;&amp;quot;&amp;gt;&amp;lt;script' in out
    assert '<span class="x-comment">&lt;!-- c &gt; d --&gt;</span>' in out
    assert "x &amp;lt;i&amp;gt;" in out


def test_package_exports_only_write_reports() -> None:
    assert harness.report.__all__ == ["write_reports"]


def test_write_reports_returns_the_three_files_in_order(reports: ReportWriter) -> None:
    written = reports()
    assert list(written) == ["report.html", "results.json", "junit.xml"]
    assert all(path.stat().st_size > 0 for path in written.values())
