"""Milliseconds per response for Inera's schematron (Saxon), beside XSD validation of the same response.

For each contract version with an official schematron (GetDiagnosis 2.0, GetCareDocumentation 3.0,
GetLaboratoryOrderOutcome 4.2), a schema-valid answer with 1 and with 50 records is checked ``--runs``
times by one compiled ``SchematronSet`` and one compiled ``SchemaBundle`` (compilation is timed apart).
Baseline: lxml XSD validation of the same bytes. Goal: schematron under 200 ms per response.

Run: ``python benchmarks/schematron.py [--runs 100] [--schemas DIR]``.
"""

from __future__ import annotations

import argparse
import copy
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from lxml import etree

from harness.contracts import ContractVersion, find_contract
from harness.validation import SchemaBundle, SchematronSet

_REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(_REPO / "tests"))  # the tests' schema-valid sample responses
from rivta_samples import SampleValues, sample_response  # noqa: E402

PERSONNUMMER = "195006262546"  # a Skatteverket test personnummer
KEYS = ("GetDiagnosis:2.0", "GetCareDocumentation:3.0", "GetLaboratoryOrderOutcome:4.2")


def response_with(contract: ContractVersion, records: int) -> bytes:
    """The sample answer with its record repeated ``records`` times (ids made unique)."""
    root = etree.fromstring(sample_response(contract.key, SampleValues(PERSONNUMMER)))
    assert contract.record is not None
    record = root.find(f"{{{contract.namespace}}}{contract.record.element}")
    assert record is not None
    for n in range(1, records):
        clone = copy.deepcopy(record)
        for element in clone.iter():
            if element.text and element.text.startswith("d2c0a7e2-"):
                element.text = f"{element.text[:-4]}{n:04d}"
        record.addnext(clone)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def per_call_ms(work: Callable[[], object], runs: int) -> float:
    work()  # warm-up
    start = time.perf_counter()
    for _ in range(runs):
        work()
    return (time.perf_counter() - start) / runs * 1000


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=100)
    default = os.environ.get("RIVTA_SCHEMAS") or str(_REPO.parent / "shared" / "rivta")
    parser.add_argument("--schemas", type=Path, default=Path(default))
    args = parser.parse_args()
    schematron, xsd = SchematronSet(args.schemas), SchemaBundle(args.schemas)
    header = ("contract", "records", "bytes", "compile ms", "schematron ms", "xsd ms (baseline)")
    print(f"{header[0]:<30} {header[1]:>7} {header[2]:>7} {header[3]:>10} {header[4]:>13} {header[5]:>17}")
    for key in KEYS:
        contract = find_contract(*key.split(":"))
        start = time.perf_counter()
        schematron.compile(contract)
        xsd.schema(contract)
        compile_ms = (time.perf_counter() - start) * 1000
        for records in (1, 50):
            data = response_with(contract, records)
            assert schematron.check(contract, data) == () and xsd.validate_xsd(contract, data) == ()
            sch_ms = per_call_ms(lambda c=contract, d=data: schematron.check(c, d), args.runs)
            xsd_ms = per_call_ms(lambda c=contract, d=data: xsd.validate_xsd(c, d), args.runs)
            print(
                f"{key:<30} {records:>7} {len(data):>7} {compile_ms:>10.0f} {sch_ms:>13.2f} {xsd_ms:>17.2f}"
            )
            compile_ms = 0.0


if __name__ == "__main__":
    main()
