"""XML Signature and Encryption: the only module that touches python-xmlsec.

Signing and verification run in-process (python-xmlsec), about 70 times faster than pysaml2's
default of running the ``xmlsec1`` program once per signature. Verification is XSW-safe by
construction: it verifies one named element, whose single Reference must point at that element's
own, document-unique ID (SAML Core 5.4.2), with a key the caller trusts (never the message's
KeyInfo: Swedish eID Deployment Profile §6.3.1).
"""

from __future__ import annotations

import base64
import binascii
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field

import xmlsec
from lxml import etree

from harness.core.xml import NS

__all__ = [
    "ALLOWED_DIGESTS",
    "ALLOWED_SIGNATURE_METHODS",
    "DIGEST_SHA1",
    "DIGEST_SHA256",
    "RSA_SHA1",
    "RSA_SHA256",
    "BlockCipher",
    "KeyPair",
    "KeyTransport",
    "SignatureError",
    "certificate_base64",
    "certificate_pem",
    "decrypt_element",
    "encrypt_element",
    "sign_enveloped",
    "verify_enveloped",
]

RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
RSA_SHA1 = "http://www.w3.org/2000/09/xmldsig#rsa-sha1"
DIGEST_SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
DIGEST_SHA1 = "http://www.w3.org/2000/09/xmldsig#sha1"
EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"

# Swedish eID Deployment Profile §8: SHA-1 "SHOULD not be used or accepted".
ALLOWED_SIGNATURE_METHODS = frozenset(
    {
        RSA_SHA256,
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384",
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512",
    }
)
ALLOWED_DIGESTS = frozenset(
    {
        DIGEST_SHA256,
        "http://www.w3.org/2001/04/xmldsig-more#sha384",
        "http://www.w3.org/2001/04/xmlenc#sha512",
    }
)
_ALLOWED_TRANSFORMS = frozenset({ENVELOPED, EXC_C14N})

_SIGN_TRANSFORMS = {
    RSA_SHA256: xmlsec.constants.TransformRsaSha256,
    RSA_SHA1: xmlsec.constants.TransformRsaSha1,
}
_DIGEST_TRANSFORMS = {
    DIGEST_SHA256: xmlsec.constants.TransformSha256,
    DIGEST_SHA1: xmlsec.constants.TransformSha1,
}


def certificate_base64(cert_pem: bytes) -> str:
    """The base64 body of a PEM certificate, as ``ds:X509Certificate`` carries it."""
    lines = cert_pem.decode("ascii").strip().splitlines()
    return "".join(line for line in lines if not line.startswith("-----"))


def certificate_pem(x509_certificate_text: str) -> bytes:
    """PEM for the base64 text of a ``ds:X509Certificate`` (white space allowed); ValueError if not base64."""
    compact = "".join(x509_certificate_text.split())
    try:
        base64.b64decode(compact, validate=True)
    except binascii.Error:
        raise ValueError("X509Certificate is not base64") from None
    body = "\n".join(textwrap.wrap(compact, 64))
    return f"-----BEGIN CERTIFICATE-----\n{body}\n-----END CERTIFICATE-----\n".encode("ascii")


class SignatureError(ValueError):
    """The element's signature is missing, malformed, uses a refused algorithm, or does not verify."""


@dataclass(frozen=True)
class KeyPair:
    """A private key and its certificate, PEM. Loaded xmlsec keys are cached for speed."""

    key_pem: bytes
    cert_pem: bytes
    _cache: dict[str, xmlsec.Key] = field(default_factory=dict, compare=False, repr=False)

    def signing_key(self) -> xmlsec.Key:
        if "sign" not in self._cache:
            key = xmlsec.Key.from_memory(self.key_pem, xmlsec.constants.KeyDataFormatPem)
            key.load_cert_from_memory(self.cert_pem, xmlsec.constants.KeyDataFormatPem)
            self._cache["sign"] = key
        return self._cache["sign"]


def sign_enveloped(
    element: etree._Element,
    keys: KeyPair,
    *,
    signature_method: str = RSA_SHA256,
    digest_method: str = DIGEST_SHA256,
    include_certificate: bool = True,
) -> etree._Element:
    """Sign ``element`` (which must carry an ``ID``) with an enveloped signature placed after its Issuer.

    SAML's schema puts ``ds:Signature`` right after ``saml:Issuer`` (Core 2.3.3, 3.2.1).
    """
    element_id = element.get("ID")
    if not element_id:
        raise ValueError("the element to sign has no ID attribute")
    signature = xmlsec.template.create(
        element, xmlsec.constants.TransformExclC14N, _SIGN_TRANSFORMS[signature_method], ns="ds"
    )
    issuer = element.find("saml:Issuer", NS)
    if issuer is not None:
        issuer.addnext(signature)
    else:
        element.insert(0, signature)
    reference = xmlsec.template.add_reference(
        signature, _DIGEST_TRANSFORMS[digest_method], uri=f"#{element_id}"
    )
    xmlsec.template.add_transform(reference, xmlsec.constants.TransformEnveloped)
    xmlsec.template.add_transform(reference, xmlsec.constants.TransformExclC14N)
    if include_certificate:
        key_info = xmlsec.template.ensure_key_info(signature)
        xmlsec.template.add_x509_data(key_info)
    xmlsec.tree.add_ids(element, ["ID"])
    context = xmlsec.SignatureContext()
    context.key = keys.signing_key()
    context.sign(signature)
    return signature


def verify_enveloped(element: etree._Element, trusted_certificates: Sequence[bytes]) -> str:
    """Verify the enveloped signature of ``element`` against the trusted certificates only.

    Returns the ``SignatureMethod`` algorithm used. Raises :class:`SignatureError` when the
    signature is absent, does not cover exactly this element, uses a refused algorithm or
    transform, or verifies with none of the trusted certificates.
    """
    signature = _single_signature(element)
    method = _check_signed_info(element, signature)
    xmlsec.tree.add_ids(element.getroottree().getroot(), ["ID"])
    for certificate in trusted_certificates:
        context = xmlsec.SignatureContext()
        context.key = xmlsec.Key.from_memory(certificate, xmlsec.constants.KeyDataFormatCertPem)
        try:
            context.verify(signature)
        except xmlsec.Error:
            continue
        return method
    raise SignatureError("signature does not verify with any signing key in the IdP's metadata")


def _single_signature(element: etree._Element) -> etree._Element:
    signatures = element.findall("ds:Signature", NS)
    if not signatures:
        raise SignatureError(f"{etree.QName(element).localname} is not signed")
    if len(signatures) > 1:
        raise SignatureError(f"{etree.QName(element).localname} carries {len(signatures)} signatures")
    return signatures[0]


def _check_signed_info(element: etree._Element, signature: etree._Element) -> str:
    element_id = element.get("ID") or ""
    references = signature.findall("ds:SignedInfo/ds:Reference", NS)
    if len(references) != 1:
        raise SignatureError(f"SignedInfo has {len(references)} References; SAML Core 5.4.2 requires one")
    if references[0].get("URI") != f"#{element_id}":
        raise SignatureError("the signature's Reference does not point at the signed element's own ID")
    root = element.getroottree().getroot()
    if sum(1 for node in root.iter() if node.get("ID") == element_id) != 1:
        raise SignatureError(f"ID {element_id!r} occurs more than once in the document")
    method = signature.find("ds:SignedInfo/ds:SignatureMethod", NS)
    algorithm = method.get("Algorithm", "") if method is not None else ""
    if algorithm not in ALLOWED_SIGNATURE_METHODS:
        raise SignatureError(f"SignatureMethod {algorithm} is not accepted (Swedish eID profile §8)")
    digest = references[0].find("ds:DigestMethod", NS)
    digest_algorithm = digest.get("Algorithm", "") if digest is not None else ""
    if digest_algorithm not in ALLOWED_DIGESTS:
        raise SignatureError(f"DigestMethod {digest_algorithm} is not accepted (Swedish eID profile §8)")
    transforms = {t.get("Algorithm") for t in references[0].findall("ds:Transforms/ds:Transform", NS)}
    if not transforms <= _ALLOWED_TRANSFORMS:
        raise SignatureError(f"Reference uses transforms outside {sorted(_ALLOWED_TRANSFORMS)}")
    return algorithm


class BlockCipher:
    """Block encryption algorithms for EncryptedAssertion (Swedish eID profile §8)."""

    AES128_CBC = "aes128-cbc"
    AES256_CBC = "aes256-cbc"
    AES128_GCM = "aes128-gcm"
    AES256_GCM = "aes256-gcm"


class KeyTransport:
    """Key transport algorithms for the EncryptedKey (Swedish eID profile §8: RSA-OAEP is mandatory;
    RSA PKCS#1 v1.5 is "considered broken and SHOULD not be used or accepted", offered for negative tests)."""

    RSA_OAEP_MGF1P = "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p"
    RSA_1_5 = "http://www.w3.org/2001/04/xmlenc#rsa-1_5"


_KEY_TRANSPORT = {
    KeyTransport.RSA_OAEP_MGF1P: xmlsec.constants.TransformRsaOaep,
    KeyTransport.RSA_1_5: xmlsec.constants.TransformRsaPkcs1,
}

_BLOCK = {
    BlockCipher.AES128_CBC: (xmlsec.constants.TransformAes128Cbc, 128),
    BlockCipher.AES256_CBC: (xmlsec.constants.TransformAes256Cbc, 256),
    BlockCipher.AES128_GCM: (xmlsec.constants.TransformAes128Gcm, 128),
    BlockCipher.AES256_GCM: (xmlsec.constants.TransformAes256Gcm, 256),
}


def encrypt_element(
    element: etree._Element,
    recipient_cert_pem: bytes,
    cipher: str,
    *,
    key_transport: str = KeyTransport.RSA_OAEP_MGF1P,
) -> etree._Element:
    """Replace ``element`` by an ``xenc:EncryptedData`` for the recipient (RSA-OAEP key transport
    unless ``key_transport`` names another :class:`KeyTransport`).

    The plaintext is encrypted as a document of its own whose root declares every namespace in
    scope: xmlsec serialises the node alone, so prefixes declared on ancestors (``saml``, and ``xs``
    used only inside ``xsi:type`` values) would otherwise be lost and the recipient could not parse
    it. Exclusive c14n ignores unused declarations, so signatures inside stay valid.
    """
    transform, bits = _BLOCK[cipher]
    parent, tail = element.getparent(), element.tail
    in_scope: dict[str, str] = element.nsmap  # type: ignore[assignment]  # the default namespace's key is None
    attributes = {str(name): str(value) for name, value in element.attrib.items()}
    standalone = etree.Element(element.tag, attrib=attributes, nsmap=in_scope)
    standalone.text = element.text
    standalone.extend(list(element))
    manager = xmlsec.KeysManager()
    manager.add_key(xmlsec.Key.from_memory(recipient_cert_pem, xmlsec.constants.KeyDataFormatCertPem))
    template = xmlsec.template.encrypted_data_create(
        standalone, transform, type=xmlsec.constants.TypeEncElement, ns="xenc"
    )
    xmlsec.template.encrypted_data_ensure_cipher_value(template)
    key_info = xmlsec.template.encrypted_data_ensure_key_info(template, ns="ds")
    encrypted_key = xmlsec.template.add_encrypted_key(key_info, _KEY_TRANSPORT[key_transport])
    xmlsec.template.encrypted_data_ensure_cipher_value(encrypted_key)
    context = xmlsec.EncryptionContext(manager)
    context.key = xmlsec.Key.generate(xmlsec.constants.KeyDataAes, bits, xmlsec.constants.KeyDataTypeSession)
    result: etree._Element = context.encrypt_xml(template, standalone)
    if parent is not None:
        parent.replace(element, result)
        result.tail = tail
    return result


def decrypt_element(encrypted_data: etree._Element, keys: KeyPair) -> etree._Element:
    """Decrypt an ``xenc:EncryptedData`` in place with our private key; return the plaintext element."""
    manager = xmlsec.KeysManager()
    manager.add_key(xmlsec.Key.from_memory(keys.key_pem, xmlsec.constants.KeyDataFormatPem))
    context = xmlsec.EncryptionContext(manager)
    try:
        result: etree._Element = context.decrypt(encrypted_data)
    except xmlsec.Error as exc:
        raise SignatureError(f"EncryptedData could not be decrypted: {exc}") from None
    return result
