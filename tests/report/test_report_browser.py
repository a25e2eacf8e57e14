"""report.html in headless Chromium: counts, evidence decompressed and expanded from the hash,
planted scripts stay text, SOAP shown with its fault apart."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import html as lxml_html
from report_samples import PERSONNUMMER, PLANTED_COMMENT, PLANTED_SCRIPT, ReportWriter

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
RENDERED = "doc.querySelector('details.evidence[data-rendered]')"  # some scenario's evidence is shown
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--virtual-time-budget=5000",
)


def dump_dom(url: str, profile: Path, *extra: str) -> str:
    """The DOM after the page's scripts ran, as Chromium serialises it."""
    executable = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    assert executable, "Chromium is required for the browser tests (Debian package `chromium`)"
    completed = subprocess.run(
        [executable, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *extra, "--dump-dom", url],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    return completed.stdout


def visible_text(report: Path, fragment: str, profile: Path, action: str = "", ready: str = "true") -> str:
    """``innerText`` of the report (text actually rendered, closed <details> excluded), read from a
    same-directory wrapper page; ``action`` is JavaScript run against the report's document first,
    and the text is read once the expression ``ready`` (over ``doc``) holds (evidence renders after
    the page has loaded: it is decompressed first)."""
    wrapper = report.parent / f"wrapper-{abs(hash((fragment, action, ready)))}.html"
    wrapper.write_text(
        '<!DOCTYPE html><html><body><pre id="out">NOT LOADED</pre>'
        f'<iframe id="frame" src="{report.name}#{fragment}" width="1280" height="900"></iframe><script>'
        'document.getElementById("frame").addEventListener("load", function () {'
        "  var doc = this.contentDocument, tries = 0;"
        "  if (!doc) { document.getElementById('out').textContent = 'NO ACCESS'; return; }"
        f"  {action}"
        "  (function read() {"
        f"    if (!({ready}) && tries++ < 200) {{ setTimeout(read, 20); return; }}"
        '    document.getElementById("out").textContent = doc.title + "\\n" + doc.body.innerText;'
        "  })();"
        "});</script></body></html>",
        encoding="utf-8",
    )
    dom = dump_dom(wrapper.as_uri(), profile, "--allow-file-access-from-files")
    match = re.search(r'<pre id="out">(.*?)</pre>', dom, re.DOTALL)
    assert match is not None, dom[:2000]
    text = html.unescape(match.group(1))
    assert text not in ("NOT LOADED", "NO ACCESS"), text
    return text


def test_report_shows_summary_counts_and_keeps_planted_scripts_inert(
    reports: ReportWriter, tmp_path: Path
) -> None:
    report = reports()["report.html"]
    dom = dump_dom(f"{report.as_uri()}#SP-X-01", tmp_path / "profile")
    tree = lxml_html.fromstring(dom)
    counts = {
        v: tree.get_element_by_id(f"count-{v}").text_content() for v in ("pass", "fail", "warn", "skip")
    }
    assert counts == {"pass": "3", "fail": "1", "warn": "1", "skip": "1"}
    assert tree.get_element_by_id("count-total").text_content() == "8"
    # The planted script would retitle the page and add #pwned; the <img onerror> would add #pwned2.
    assert tree.findtext(".//title") == "Conformance report: Reference SP <b>demo</b>"
    assert not tree.xpath('//*[@id="pwned" or @id="pwned2"]')
    # The report's own script and its evidence data block, nothing from the evidence.
    assert [s.get("type") for s in tree.xpath("//script")] == ["application/octet-stream", None]
    # The report's own script ran: filters shown, the hash's scenario evidence decompressed and
    # rendered (the planted script in it shown as text), the others closed and not rendered.
    assert tree.get_element_by_id("filters").get("hidden") is None
    opened = tree.get_element_by_id("SP-X-01").xpath(".//details[@class='evidence']")[0]
    assert opened.get("open") is not None and opened.get("data-rendered") == "true"
    assert "<script>document.title='pwned'" in opened.text_content()
    closed = tree.get_element_by_id("PR-X-01").xpath(".//details[@class='evidence']")[0]
    assert closed.get("open") is None and closed.get("data-rendered") is None


def test_planted_script_really_runs_when_not_escaped(tmp_path: Path) -> None:
    """Control for the test above: the planted payload is live markup that Chromium would execute."""
    page = tmp_path / "unescaped.html"
    page.write_text(f"<!DOCTYPE html><html><head><title>t</title></head><body>{PLANTED_SCRIPT}</body></html>")
    tree = lxml_html.fromstring(dump_dom(page.as_uri(), tmp_path / "profile"))
    assert tree.findtext(".//title") == "pwned"
    assert tree.xpath('//*[@id="pwned"]')


def test_hash_expands_the_failed_scenarios_pretty_printed_saml(reports: ReportWriter, tmp_path: Path) -> None:
    report = reports()["report.html"]
    text = visible_text(report, "SP-X-01", tmp_path / "profile", ready=RENDERED)
    assert text.startswith("Conformance report: Reference SP <b>demo</b>\n")
    # Pretty-printed: each element on its own indented line, the personnummer attribute readable.
    assert (
        '      <saml:Attribute Name="urn:oid:1.2.752.29.4.13" FriendlyName="personalIdentityNumber">\n'
        in text
    )
    assert f"        <saml:AttributeValue>{PERSONNUMMER}</saml:AttributeValue>\n" in text
    assert "What this means: The service accepted a login nobody signed" in text
    assert "<script>document.title='pwned'" in text  # shown as text
    assert "faultstring" not in text  # PR-X-01's evidence stays collapsed


def test_unhashed_report_keeps_evidence_collapsed(reports: ReportWriter, tmp_path: Path) -> None:
    text = visible_text(reports()["report.html"], "", tmp_path / "profile")
    assert "What this means:" in text  # findings and explanations show without expanding
    assert "<saml:AttributeValue>" not in text


def test_filters_hide_scenarios_by_verdict_and_area(reports: ReportWriter, tmp_path: Path) -> None:
    uncheck_pass_and_pick_area = (
        "doc.querySelector('input.verdict-filter[value=pass]').click();"
        "var area = doc.getElementById('area-filter'); area.value = 'signatures';"
        "area.dispatchEvent(new Event('change'));"
    )
    text = visible_text(reports()["report.html"], "", tmp_path / "profile", uncheck_pass_and_pick_area)
    rows = re.findall(r"^((?:SP|PR)-X-\d\d)\t", text, re.MULTILINE)
    assert rows == ["SP-X-01"]
    assert "Showing 1 of 8" in text


def test_soap_evidence_is_highlighted_with_the_fault_apart(reports: ReportWriter, tmp_path: Path) -> None:
    report = reports()["report.html"]
    dom = dump_dom(f"{report.as_uri()}#PR-X-01.x1", tmp_path / "profile")  # an exchange
    tree = lxml_html.fromstring(dom)
    section = tree.get_element_by_id("PR-X-01.x1")
    (fault,) = section.xpath(".//div[@class='decoded fault']")
    assert fault.xpath("./strong")[0].text_content() == "SOAP Fault soap:Server"
    assert (
        fault.xpath("./pre")[0].text_content()
        == "faultcode: soap:Server\nfaultstring: <script>alert(1)</script>"
    )
    names = [n.text_content() for n in section.xpath(".//pre[@class='body body-xml']//span[@class='x-name']")]
    assert names[:4] == ["soapenv:Envelope", "soapenv:Header", "LogicalAddress", "LogicalAddress"]
    assert "GetCareDocumentation" in names
    # The raw response pretty-prints to the decoded envelope: shown once, pointed at from the body.
    assert [p.text_content() for p in section.xpath(".//p[@class='same']")] == [
        "Body: shown decoded above."
    ] * 2
    assert not tree.xpath('//*[@id="pwned" or @id="pwned2"]')


def test_xml_highlighting_keeps_hostile_attributes_and_comments_as_text(
    reports: ReportWriter, tmp_path: Path
) -> None:
    report = reports()["report.html"]
    tree = lxml_html.fromstring(dump_dom(f"{report.as_uri()}#PR-X-02", tmp_path / "profile"))
    assert tree.findtext(".//title") == "Conformance report: Reference SP <b>demo</b>"
    assert not tree.xpath('//*[@id="pwned" or @id="pwned2" or @id="pwned3"]')
    section = tree.get_element_by_id("PR-X-02.x1")
    values = [v.text_content() for v in section.xpath(".//span[@class='x-value']")]
    (planted,) = [v for v in values if "onerror" in v]
    assert planted.startswith('"&quot;&gt;&lt;img src=x onerror=&quot;document.body')  # as lxml wrote it
    comments = [c.text_content() for c in section.xpath(".//span[@class='x-comment']")]
    assert comments == [PLANTED_COMMENT]
    text = visible_text(report, "PR-X-02", tmp_path / "profile", ready=RENDERED)
    assert "            <healthcareProfessionalName>" in text  # tags show as text, in the pretty layout
    assert "SOAP Fault soapenv:Server" in text and "faultstring: no journal for 191401682396" in text
    assert "not a SOAP 1.1 envelope: document is not well-formed XML" in text
