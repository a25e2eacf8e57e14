"""Signed Responses per second from the mock IdP's builder, against two references, in one run.

(a) bare python-xmlsec: the same (pre-built, unsigned) Response parsed, its Assertion (and
    Response) signed with xmlsec calls written out here, and serialised. The builder also builds
    the XML, so this is the ceiling it is measured against. Goal: builder >= 50% of (a).
(b) pysaml2's default backend: the same Response signed by pysaml2's SecurityContext, which runs
    the ``xmlsec1`` program once per signature. Goal: builder >= 30 x (b).

Run: ``python benchmarks/idp_sign.py [--seconds 3] [--pysaml2-seconds 3]``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import xmlsec
from lxml import etree

# The pysaml2 adapter is test code (tests/support/): import it from the checkout this script sits in.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from harness.core.clock import SystemClock  # noqa: E402
from harness.core.xml import NS  # noqa: E402
from harness.mock_1177_idp.builder import IdpIdentity, ResponseSpec, build_response  # noqa: E402
from harness.mock_1177_idp.keys import load_idp_keys  # noqa: E402
from harness.mock_1177_idp.metadata import DEFAULT_IDP_ENTITY_ID  # noqa: E402
from harness.mock_1177_idp.persons import make_persons  # noqa: E402
from tests.support.pysaml2_adapter import PysamlSigner  # noqa: E402

PERSON_NUMBER = "196506232880"  # a Skatteverket test personnummer


@dataclass(frozen=True)
class Measurement:
    label: str
    per_second: float
    count: int


def measure(label: str, work: Callable[[], object], seconds: float) -> Measurement:
    work()  # warm-up: key loading, imports, the xmlsec1 program's first start
    count, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        work()
        count += 1
    return Measurement(label, count / elapsed, count)


class BareXmlsec:
    """python-xmlsec called directly: template, Reference, transforms, sign. Key loaded once."""

    def __init__(self, key_pem: bytes, cert_pem: bytes) -> None:
        self.key = xmlsec.Key.from_memory(key_pem, xmlsec.constants.KeyDataFormatPem)
        self.key.load_cert_from_memory(cert_pem, xmlsec.constants.KeyDataFormatPem)

    def sign(self, element: etree._Element) -> None:
        signature = xmlsec.template.create(
            element, xmlsec.constants.TransformExclC14N, xmlsec.constants.TransformRsaSha256, ns="ds"
        )
        element.find("saml:Issuer", NS).addnext(signature)  # type: ignore[union-attr]
        reference = xmlsec.template.add_reference(
            signature, xmlsec.constants.TransformSha256, uri=f"#{element.get('ID')}"
        )
        xmlsec.template.add_transform(reference, xmlsec.constants.TransformEnveloped)
        xmlsec.template.add_transform(reference, xmlsec.constants.TransformExclC14N)
        xmlsec.template.add_x509_data(xmlsec.template.ensure_key_info(signature))
        xmlsec.tree.add_ids(element, ["ID"])
        context = xmlsec.SignatureContext()
        context.key = self.key
        context.sign(signature)

    def signed(self, unsigned: bytes, *, sign_response: bool) -> bytes:
        root = etree.fromstring(unsigned)
        self.sign(root.find("saml:Assertion", NS))  # type: ignore[arg-type]
        if sign_response:
            self.sign(root)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def run(seconds: float, pysaml2_seconds: float, workdir: Path) -> list[tuple[Measurement, Measurement, str]]:
    keys = load_idp_keys(workdir / "state")
    idp, clock = IdpIdentity(DEFAULT_IDP_ENTITY_ID, keys), SystemClock()
    person = make_persons([PERSON_NUMBER])[0]
    both = ResponseSpec(
        "https://sp.example.test/md", "https://sp.example.test/acs", person, in_response_to="_r1"
    )
    assertion_only = both.with_options(sign_response=False)
    unsigned = build_response(both.with_options(sign_response=False, sign_assertion=False), idp, clock)
    bare = BareXmlsec(keys.signing.key_pem, keys.signing.cert_pem)
    signer = PysamlSigner(keys.signing, workdir / "pysaml2")

    rows = []
    for spec, sign_response, shape in (
        (assertion_only, False, "Assertion signed"),
        (both, True, "Response+Assertion"),
    ):
        ours = measure(f"builder ({shape})", lambda s=spec: build_response(s, idp, clock), seconds)
        ceiling = measure(
            f"(a) bare python-xmlsec ({shape})",
            lambda r=sign_response: bare.signed(unsigned, sign_response=r),
            seconds,
        )
        pysaml2 = measure(
            f"(b) pysaml2 + xmlsec1 ({shape})",
            lambda r=sign_response: signer.sign(unsigned, sign_response=r),
            pysaml2_seconds,
        )
        rows += [(ours, ceiling, "builder / (a), goal >= 0.50"), (ours, pysaml2, "builder / (b), goal >= 30")]
    return rows


def print_table(rows: list[tuple[Measurement, Measurement, str]]) -> None:
    seen: dict[str, Measurement] = {}
    for ours, other, _ in rows:
        seen.setdefault(ours.label, ours)
        seen.setdefault(other.label, other)
    print(f"{'what':<48} {'signed Responses/s':>18} {'n':>7}")
    for m in seen.values():
        print(f"{m.label:<48} {m.per_second:>18.1f} {m.count:>7}")
    print()
    print(f"{'ratio':<48} {'value':>18} {'goal':>7}")
    for ours, other, goal in rows:
        ratio = ours.per_second / other.per_second
        target = float(goal.rsplit(">= ", 1)[1])
        verdict = "met" if ratio >= target else "MISSED"
        print(f"{ours.label + ' / ' + other.label.split(' ')[0]:<48} {ratio:>18.2f} {target:>7} {verdict}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="per in-process measurement")
    parser.add_argument("--pysaml2-seconds", type=float, default=3.0, help="per xmlsec1-program measurement")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as workdir:
        print_table(run(args.seconds, args.pysaml2_seconds, Path(workdir)))


if __name__ == "__main__":
    main()
