"""``conformance pki init`` and the mock platform share one PKI directory: the same certificate names and
profiles, so neither reissues (and so invalidates) a certificate the other wrote and a vendor trusts."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography import x509
from cryptography.x509.oid import NameOID

from harness.cli import main
from harness.mock_ntp.certificates import platform_certificates
from harness.mock_ntp.config import PlatformSettings
from harness.mock_ntp.identities import DEFAULT_IDENTITIES
from harness.reference_producer.certificate import PRODUCER_CERTIFICATE
from harness.reference_producer.serve import producer_certificate


def files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in folder.iterdir() if path.is_file()}


def serial_number(cert: Path) -> str:
    subject = x509.load_pem_x509_certificate(cert.read_bytes()).subject
    return str(subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)[0].value)


def test_the_platform_keeps_every_certificate_pki_init_wrote(tmp_path: Path) -> None:
    pki = tmp_path / "pki"
    assert main(["pki", "init", "--out", str(pki)]) == 0
    written = files(pki)
    assert {"vp.crt", "consumer-1177.crt", "agp.crt", "reference-producer.crt"} <= written.keys()
    certificates = platform_certificates(PlatformSettings(state_dir=tmp_path / "ntp", pki_dir=pki))
    assert files(pki) == written  # nothing reissued, nothing added
    assert certificates.vp.cert == pki / "vp.crt" and certificates.agp.cert == pki / "agp.crt"
    assert serial_number(certificates.consumer.cert) == DEFAULT_IDENTITIES.consumer


def test_pki_init_keeps_every_certificate_the_platform_wrote(tmp_path: Path) -> None:
    pki = tmp_path / "pki"
    platform_certificates(PlatformSettings(state_dir=tmp_path / "ntp", pki_dir=pki))
    issued_by_platform = files(pki)
    assert main(["pki", "init", "--out", str(pki)]) == 0
    after = files(pki)
    assert {name: after[name] for name in issued_by_platform} == issued_by_platform


def test_serve_reference_producer_reuses_the_certificate_pki_init_wrote(tmp_path: Path) -> None:
    assert PRODUCER_CERTIFICATE.hsa_id == DEFAULT_IDENTITIES.reference_producer
    assert main(["pki", "init", "--out", str(tmp_path)]) == 0
    written = files(tmp_path)
    own = producer_certificate(tmp_path)
    assert own.cert == tmp_path / "reference-producer.crt" and files(tmp_path) == written
    assert serial_number(own.cert) == "TSTNMT2321000156-RP00"


def test_a_platform_with_other_identities_gets_certificates_that_say_so(tmp_path: Path) -> None:
    pki = tmp_path / "pki"
    assert main(["pki", "init", "--out", str(pki)]) == 0
    before = files(pki)
    settings = PlatformSettings(state_dir=tmp_path / "ntp", pki_dir=pki, vp_hsa_id="TSTNMT2321000156-VP09")
    certificates = platform_certificates(settings)
    assert serial_number(certificates.vp.cert) == "TSTNMT2321000156-VP09"
    after = files(pki)
    assert after["vp.crt"] != before["vp.crt"]
    assert {n: after[n] for n in before if n not in ("vp.crt", "vp.key")} == {
        n: b for n, b in before.items() if n not in ("vp.crt", "vp.key")
    }


@pytest.mark.parametrize("name", ["vp", "consumer-1177", "agp", "reference-producer"])
def test_pki_init_lists_each_function_certificate_with_its_hsa_id(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["pki", "init", "--out", str(tmp_path)]) == 0
    line = next(line for line in capsys.readouterr().out.splitlines() if f"/{name}.crt " in line)
    assert f"serialNumber {serial_number(tmp_path / f'{name}.crt')}" in line
