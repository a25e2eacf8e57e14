"""The test PKI keeps its CA in the state directory and issues SITHS-like function certificates."""

from __future__ import annotations

import ipaddress
import ssl
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from harness.pki import FunctionCertificate, TestCa, init_pki, load_or_create_keypair, load_or_create_tls

VP_HSA_ID = "TSTNMT2321000156-VP01"  # test HSA-ids of the form Inera's test environment uses
RP_HSA_ID = "TSTNMT2321000156-RP00"


def certificate(path: Path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(path.read_bytes())


def usages(cert: x509.Certificate) -> set[x509.ObjectIdentifier]:
    return set(cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value)


def test_keypair_is_created_once_and_reused(tmp_path: Path) -> None:
    first = load_or_create_keypair(tmp_path, "idp-signing", "idp")
    again = load_or_create_keypair(tmp_path, "idp-signing", "idp")
    assert first.cert_pem == again.cert_pem and first.key_pem == again.key_pem
    cert = x509.load_pem_x509_certificate(first.cert_pem)
    key = cert.public_key()
    assert isinstance(key, rsa.RSAPublicKey) and key.key_size >= 2048
    assert cert.signature_hash_algorithm is not None and cert.signature_hash_algorithm.name == "sha256"
    assert (tmp_path / "idp-signing.key").stat().st_mode & 0o077 == 0


def test_the_ca_keeps_its_key_in_the_state_dir_and_is_the_same_ca_next_time(tmp_path: Path) -> None:
    ca = TestCa.load_or_create(tmp_path)
    assert (ca.cert_path, ca.key_path) == (tmp_path / "ca.crt", tmp_path / "ca.key")
    assert ca.key_path.stat().st_mode & 0o777 == 0o600
    issued = ca.issue("vp", common_name="vp", hsa_id=VP_HSA_ID, client=True)
    again = TestCa.load_or_create(tmp_path)  # e.g. the next run
    assert again.cert_path.read_bytes() == ca.cert_path.read_bytes()
    assert again.issue("vp", common_name="vp", hsa_id=VP_HSA_ID, client=True) == issued
    certificate(issued.cert).verify_directly_issued_by(certificate(again.cert_path))
    constraints = certificate(ca.cert_path).extensions.get_extension_for_class(x509.BasicConstraints)
    assert constraints.value.ca and constraints.critical


def test_a_function_certificate_is_siths_like(tmp_path: Path) -> None:
    ca = TestCa.load_or_create(tmp_path)
    issued = ca.issue("producer", common_name="producer.test", hsa_id=RP_HSA_ID, client=True, server=True)
    cert = certificate(issued.cert)
    subject = {a.oid: a.value for a in cert.subject}
    assert subject[NameOID.SERIAL_NUMBER] == RP_HSA_ID and NameOID.SERIAL_NUMBER.dotted_string == "2.5.4.5"
    assert subject[NameOID.COUNTRY_NAME] == "SE" and subject[NameOID.COMMON_NAME] == "producer.test"
    assert NameOID.ORGANIZATION_NAME in subject
    assert usages(cert) == {ExtendedKeyUsageOID.CLIENT_AUTH, ExtendedKeyUsageOID.SERVER_AUTH}
    names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert names.get_values_for_type(x509.DNSName) == ["localhost"]
    assert names.get_values_for_type(x509.IPAddress) == [ipaddress.ip_address("127.0.0.1")]
    key = cert.public_key()
    assert isinstance(key, rsa.RSAPublicKey) and key.key_size == 2048
    assert cert.signature_hash_algorithm is not None and cert.signature_hash_algorithm.name == "sha256"
    assert not cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert issued.key.stat().st_mode & 0o777 == 0o600 and issued.ca_cert == ca.cert_path


def test_a_client_only_certificate_has_no_server_usage_and_no_alternative_names(tmp_path: Path) -> None:
    cert = certificate(
        TestCa.load_or_create(tmp_path).issue("c", common_name="c", hsa_id="X-1", client=True).cert
    )
    assert usages(cert) == {ExtendedKeyUsageOID.CLIENT_AUTH}
    with pytest.raises(x509.ExtensionNotFound):
        cert.extensions.get_extension_for_class(x509.SubjectAlternativeName)


def test_a_certificate_without_hsa_id_has_no_serial_number_attribute(tmp_path: Path) -> None:
    cert = certificate(TestCa.load_or_create(tmp_path).issue("anon", common_name="anon", client=True).cert)
    assert cert.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER) == []


@pytest.mark.parametrize(
    "change",
    [
        {"hsa_id": "TSTNMT2321000156-VP02"},
        {"common_name": "other"},
        {"server": True},
        {"client": False, "server": True},
    ],
    ids=["hsa-id", "common-name", "usage added", "usage swapped"],
)
def test_a_stored_certificate_that_says_something_else_is_issued_anew(
    tmp_path: Path, change: dict[str, object]
) -> None:
    ca = TestCa.load_or_create(tmp_path)
    asked: dict[str, object] = {"common_name": "vp", "hsa_id": VP_HSA_ID, "client": True}
    first = certificate(ca.issue("vp", **asked).cert)  # type: ignore[arg-type]
    asked.update(change)
    second = certificate(ca.issue("vp", **asked).cert)  # type: ignore[arg-type]
    assert second.serial_number != first.serial_number
    assert second.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)[0].value == asked["hsa_id"]


def test_extra_server_names_are_added_to_the_loopback_names(tmp_path: Path) -> None:
    ca = TestCa.load_or_create(tmp_path)
    first = certificate(ca.issue("s", common_name="s", server=True).cert)
    more = certificate(ca.issue("s", common_name="s", server=True, server_names=["vp.test", "::1"]).cert)
    names = more.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert set(names.get_values_for_type(x509.DNSName)) == {"localhost", "vp.test"}
    assert set(names.get_values_for_type(x509.IPAddress)) == {
        ipaddress.ip_address(a) for a in ("127.0.0.1", "::1")
    }
    assert more.serial_number != first.serial_number


def test_certificates_of_a_replaced_ca_are_issued_anew(tmp_path: Path) -> None:
    old = certificate(TestCa.load_or_create(tmp_path).issue("vp", common_name="vp", client=True).cert)
    (tmp_path / "ca.key").unlink()  # the CA is gone: a new one is made, its certificates must follow
    ca = TestCa.load_or_create(tmp_path)
    renewed = certificate(ca.issue("vp", common_name="vp", client=True).cert)
    assert renewed.serial_number != old.serial_number
    renewed.verify_directly_issued_by(certificate(ca.cert_path))


def test_a_second_ca_is_independent(tmp_path: Path) -> None:
    ca = TestCa.load_or_create(tmp_path)
    other = TestCa.load_or_create(tmp_path, name="other-ca", common_name="Other CA")
    assert (
        other.cert_path == tmp_path / "other-ca.crt"
        and ca.cert_path.read_bytes() != other.cert_path.read_bytes()
    )
    foreign = certificate(other.issue("foreign", common_name="vp", hsa_id=VP_HSA_ID, client=True).cert)
    with pytest.raises(ValueError):
        foreign.verify_directly_issued_by(certificate(ca.cert_path))
    assert TestCa.load_or_create(tmp_path).cert_path.read_bytes() == ca.cert_path.read_bytes()


@pytest.mark.parametrize(
    "asked",
    [
        {"common_name": "x"},
        {"common_name": "x", "client": True, "server_names": ["a.test"]},
        {"common_name": "x", "client": True, "hsa_id": "bad\u00e5"},
        {"common_name": "x", "client": True, "name": "../escape"},
        {"common_name": "x", "client": True, "name": "ca"},
    ],
    ids=["no usage", "names without server", "not printable", "path", "the CA's own file"],
)
def test_impossible_requests_are_refused(tmp_path: Path, asked: dict[str, object]) -> None:
    ca = TestCa.load_or_create(tmp_path)
    name = str(asked.pop("name", "x"))
    with pytest.raises(ValueError):
        ca.issue(name, **asked)  # type: ignore[arg-type]


def test_tls_material_gives_a_server_context_clients_can_trust(tmp_path: Path) -> None:
    tls = load_or_create_tls(tmp_path)
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(tls.server_cert, tls.server_key)
    client = ssl.create_default_context(cafile=str(tls.ca_cert))
    assert client.verify_mode is ssl.CERT_REQUIRED
    names = certificate(tls.server_cert).extensions.get_extension_for_class(x509.SubjectAlternativeName)
    assert "localhost" in names.value.get_values_for_type(x509.DNSName)
    assert load_or_create_tls(tmp_path) == tls and (tmp_path / "ca.key").exists()


def test_tls_material_from_before_the_ca_kept_its_key_is_replaced(tmp_path: Path) -> None:
    tls = load_or_create_tls(tmp_path)
    (tmp_path / "ca.key").unlink()  # as the state directories of earlier versions were
    renewed = load_or_create_tls(tmp_path)
    certificate(renewed.server_cert).verify_directly_issued_by(certificate(renewed.ca_cert))
    assert renewed.ca_cert.read_bytes() != b"" and renewed == tls


def test_init_pki_writes_idp_keys_ca_loopback_and_function_certificates(tmp_path: Path) -> None:
    wanted = [
        FunctionCertificate("vp", "vp", VP_HSA_ID, client=True, server=True, purpose="the VP"),
        FunctionCertificate("consumer", "consumer", "TSTNMT2321000156-1177", client=True),
    ]
    files = init_pki(tmp_path, wanted)
    names = {f.path.name for f in files}
    expected = {"idp-signing", "idp-signing-next", "idp-encryption", "ca", "server", "vp", "consumer"}
    assert names == {f"{n}.{ext}" for n in expected for ext in ("crt", "key")}
    assert all(f.path.is_file() and f.purpose for f in files)
    purposes = {f.path.name: f.purpose for f in files}
    assert VP_HSA_ID in purposes["vp.crt"] and "clientAuth+serverAuth" in purposes["vp.crt"]
    assert usages(certificate(tmp_path / "consumer.crt")) == {ExtendedKeyUsageOID.CLIENT_AUTH}
    before = {f.path: f.path.read_bytes() for f in files}
    init_pki(tmp_path, wanted)  # run again: everything kept
    assert {path: path.read_bytes() for path in before} == before
