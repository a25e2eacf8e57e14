"""The VP's error codes VP001-VP015 and its SOAP fault format, worded as the SKLTP VP words them.

Sources (skltp/vp, ``vp-services-camel``): ``exceptions/VpSemanticErrorCodeEnum.java`` (the fault
code of each error), ``resources/vp-messages.properties`` (message and detail texts),
``errorhandling/ExceptionUtil.java`` (faultstring ``"VP00n [<vp.instance.name>] <message>"``) and
``errorhandling/SoapFaultHelper.java`` (HTTP 500, SOAP 1.1 Fault, ``detail/detailString``).
"""

from __future__ import annotations

from enum import Enum

from harness.core.soap import build_fault

__all__ = ["FAULT_CONTENT_TYPE", "VpCode", "VpFault", "fault_body"]

# ExceptionMessageProcessorImpl.java sets "text/xml" on the VP's own faults.
FAULT_CONTENT_TYPE = "text/xml;charset=UTF-8"


class VpCode(Enum):
    """One VP error: its SOAP fault code, its Swedish message and its English detail template."""

    VP001 = (
        "Client",
        "Rivta-version saknas i anrop eller stöds ej av tjänsteplattformen.",
        "No RIV version configured",
    )
    VP002 = (
        "Client",
        "Fel i klientcertifikat. Saknas, är av felaktig typ, eller är felaktigt utformad.",
        "No sender ID (SERIALNUMBER) found in certificate. %s",
    )
    VP003 = (
        "Client",
        "Logisk adressat (ReceiverId) saknas i RivHeadern i inkommande meddelande.",
        "No receiverId (logical address) found in message header. %s",
    )
    VP004 = (
        "Client",
        "Det finns inget vägval i tjänsteadresseringskatalogen som matchar anropets logiska adressat "
        "(ReceiverId) och tjänstekontrakt. Kontrollera uppgifterna i anropet och vid behov, beställ "
        "konfigurering i aktuell tjänsteplattform.",
        "No receiverId (logical address) found for %s",
    )
    VP005 = (
        "Client",
        "Tjänsteproducenten stödjer inte anropets angivna rivta-version. Kontrollera uppgifterna.",
        "No receiverId (logical address) with matching Riv-version found for %s",
    )
    VP006 = (
        "Server",
        "Internt fel i tjänsteplattformen. Det finns fler än en tjänsteproducent definierad i "
        "tjänsteadresseringskatalogen som matchar logisk adressat (ReceiverId), tjänstekontrakt och "
        "dagens datum. Tyder på felkonfiguration. Rapportera felet till tjänsteplattformsförvaltningen.",
        "More than one receiverId (logical address) with matching Riv-version found for %s",
    )
    VP007 = (
        "Server",
        "Tjänstekonsumenten saknar behörighet att anropa den logiska adressaten via detta "
        "tjänstekontrakt. Kontrollera uppgifterna och vid behov, tillse att det beställs konfiguration "
        "i aktuell tjänsteplattform.",
        "Authorization missing for %s",
    )
    VP008 = (
        "Server",
        "Internt fel i tjänsteplattformen. Ingen kontakt med tjänsteadresseringskatalogen. Informera "
        "tjänsteplattformsförvaltningen.",
        "No contact with TAK at startup, and no local cache to fallback on, not possible to route call",
    )
    VP009 = (
        "Server",
        "Fel vid kontakt med tjänsteproducenten.",
        "Error connecting to service producer at address %s",
    )
    VP010 = (
        "Server",
        "Internt fel i tjänsteplattformen. URL saknas för tjänsteproducenten i tjänsteplattformens "
        "tjänsteadresseringskatalog.",
        "Physical Address field is empty in Service Producer for %s",
    )
    VP011 = (
        "Client",
        "Anrop har gjorts utanför TLS vilket ej är tillåtet. Tjänstekonsumenten ska alltid använda TLS "
        "för säker kommunikation.",
        "Caller was not on the white list of accepted IP-addresses. %s",
    )
    VP012 = (
        "Server",
        "Internt fel i tjänsteplattformen. Nödvändiga resurser saknas för att VP skall fungera.",
        "Server problem, VP does not have all necessary resources to operate. %s",
    )
    VP013 = (
        "Client",
        "Enligt tjänsteplattformens konfiguration saknar tjänstekonsumenten rätt att använda headern "
        "x-rivta-original-serviceconsumer-hsaid. Kontakta tjänsteplattformsförvaltningen.",
        "Sender is not approved to set header x-rivta-original-serviceconsumer-hsaid.",
    )
    VP014 = (
        "Server",
        "Anropsförmedlingen för den logiska adressaten har givit upphov till rundgång mellan "
        "tjänsteplattformar. Rapportera felet till tjänsteplattformsförvaltningen.",
        "",
    )
    VP015 = (
        "Client",
        "Anrop ej korrekt utformat och kan därför inte behandlas.",
        "The request could not be read properly. %s",
    )

    @property
    def fault_code(self) -> str:
        return str(self.value[0])

    @property
    def message(self) -> str:
        return str(self.value[1])

    def detail(self, suffix: str = "") -> str:
        """The detail text; ``%s`` in the template takes ``suffix`` (``String.format`` in ExceptionUtil)."""
        template = str(self.value[2])
        return template.replace("%s", suffix) if "%s" in template else template


class VpFault(Exception):
    """A VP error to answer with; raised by the pipeline, returned by TAK lookups."""

    def __init__(self, code: VpCode, suffix: str = "") -> None:
        super().__init__(code.name)
        self.code = code
        self.suffix = suffix  # fills the detail's %s (no personal data: addresses and contracts only)

    def fault_string(self, instance: str) -> str:
        return f"{self.code.name} [{instance}] {self.code.message}"

    @property
    def detail(self) -> str:
        return self.code.detail(self.suffix)

    def __str__(self) -> str:
        return f"{self.code.name}: {self.detail}"


def fault_body(fault: VpFault, instance: str) -> bytes:
    """The SOAP 1.1 Fault envelope the VP answers with (HTTP 500)."""
    return build_fault(fault.code.fault_code, fault.fault_string(instance), fault.detail)
