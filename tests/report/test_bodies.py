"""Each distinct body once: the same text in many exchanges is stored once in results.json and report.html."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from report_samples import (
    care_documentation_response,
    exchange,
    html_evidence,
    sample_person,
    soap_envelope,
    spec,
)

from harness.core.findings import Verdict
from harness.core.results import RunResult, ScenarioResult
from harness.report import write_reports
from harness.report.bodies import BodyTable, body_id
from harness.report.decoders import SamlDecoder, SoapDecoder

XML = (("Content-Type", "text/xml; charset=UTF-8"),)


def run_with_repeats(sample: RunResult, copies: int, body: bytes) -> RunResult:
    """One scenario whose evidence is ``copies`` exchanges answered with the same SOAP body."""
    evidence = tuple(
        exchange(f"x{i}", "POST", "https://producer.example.test/p", request=(XML, b""), response=(XML, body))
        for i in range(1, copies + 1)
    )
    result = ScenarioResult(spec("PR-X-09", "repeats"), Verdict.PASS, "same answer", evidence=evidence)
    return replace(sample, scenarios=(result,))


def write(run: RunResult, out: Path) -> dict[str, Path]:
    written = write_reports(run, out, decoders=(SamlDecoder(), SoapDecoder()))
    return {p.name: p for p in written}


def test_the_same_body_in_50_exchanges_is_stored_once(run: RunResult, tmp_path: Path) -> None:
    body = care_documentation_response(sample_person())
    written = write(run_with_repeats(run, 50, body), tmp_path / "fifty")
    document = json.loads(written["results.json"].read_text(encoding="utf-8"))
    refs = {x["response"]["body_ref"] for x in document["scenarios"][0]["evidence"]}
    assert len(document["scenarios"][0]["evidence"]) == 50 and len(refs) == 1
    (ref,) = refs
    assert list(document["bodies"]) == [ref]  # the body and its decoded envelope are one text
    assert [p["body_ref"] for p in document["scenarios"][0]["evidence"][7]["decoded"]] == [ref]
    payload = html_evidence(written["report.html"])
    assert list(payload["bodies"]) == [ref]
    assert payload["bodies"][ref].count("<healthcareProfessionalName>") == 1


def test_fifty_repeats_cost_little_more_than_one(run: RunResult, tmp_path: Path) -> None:
    body = soap_envelope(
        f"<note>{' '.join(str(n) for n in range(9000))}</note>"
    )  # 43 kB: beyond gzip's 32 kB window
    one = write(run_with_repeats(run, 1, body), tmp_path / "one")
    fifty = write(run_with_repeats(run, 50, body), tmp_path / "fifty")
    for name in ("report.html", "results.json"):
        growth = fifty[name].stat().st_size - one[name].stat().st_size
        # Stored 50 times, the file would grow by 49 bodies; stored once, by 49 exchanges' headers.
        assert growth < 49 * len(body) / 10, (name, growth)


def test_a_body_id_is_the_base32_sha256_and_never_reads_as_a_personnummer() -> None:
    table = BodyTable()
    assert table.ref("") is None
    first = table.ref("abc")
    assert first == table.ref("abc") == body_id("abc") and len(table) == 1
    assert first == "xj4bnp4pahh6uqkbidpf3lrceoyagyndsylxvhfucd7wd4qacwwq"
    assert not any(c in first for c in "0189")
