"""Evidence decoders the suites hand to the report: SAML for the SP suite, SOAP for the producer suite."""

from harness.report.decoders.saml import SamlDecoder
from harness.report.decoders.soap import SoapDecoder

__all__ = ["SamlDecoder", "SoapDecoder"]
