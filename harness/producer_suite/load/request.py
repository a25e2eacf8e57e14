"""The one request a load run repeats: a contract call, built once, sent by every simulated caller.

Built with the contract catalogue (:func:`harness.contracts.build_request`) from the target's
declared test data, wrapped in a RIVTA BP 2.1 envelope with the LogicalAddress header, and sent as
SOAP 1.1 with the contract's soapAction (its WSDL) and ``Content-Type: text/xml;charset=UTF-8``,
through the mock VP with the consumer's client certificate (mutual TLS) or straight to the
producer, as the target says.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.contracts import ContractVersion, RequestParams, build_request
from harness.core.soap import build_envelope, soap_request_headers

__all__ = ["LoadRequest", "contract_load_request", "vp_contract_url"]


@dataclass(frozen=True, slots=True)
class LoadRequest:
    """What every caller sends, where, with which TLS identity, and what a good answer contains."""

    label: str  # e.g. "GetCareDocumentation 3.0 through the VP"
    url: str
    body: bytes
    headers: tuple[tuple[str, str], ...]
    expect: str  # the local name of the answer's body element, e.g. "GetCareDocumentationResponse"
    client_cert: Path | None = None  # mutual TLS: the consumer's certificate and key (PEM)
    client_key: Path | None = None
    ca_file: Path | None = None  # the CA that signed the server's certificate; None: the system's
    verify: bool = True  # False: accept any server certificate (a vendor's test endpoint)
    check_hostname: bool = (
        True  # False: the chain is verified, the name not (SKLTP hostnameVerification=false)
    )
    timeout_s: float = 60.0  # per connect and per read; keep it above the latency limits judged

    def __post_init__(self) -> None:
        if not self.url.startswith(("http://", "https://")):
            raise ValueError(f"load request URL must be http(s): {self.url!r}")
        if (self.client_cert is None) != (self.client_key is None):
            raise ValueError("a client certificate needs its key, and a key its certificate")

    def to_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "url": self.url,
            "body": self.body.decode("utf-8"),
            "headers": [list(h) for h in self.headers],
            "expect": self.expect,
            "client_cert": _text(self.client_cert),
            "client_key": _text(self.client_key),
            "ca_file": _text(self.ca_file),
            "verify": self.verify,
            "check_hostname": self.check_hostname,
            "timeout_s": self.timeout_s,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> LoadRequest:
        return cls(
            label=str(data["label"]),
            url=str(data["url"]),
            body=str(data["body"]).encode("utf-8"),
            headers=tuple((str(k), str(v)) for k, v in data["headers"]),
            expect=str(data["expect"]),
            client_cert=_path(data.get("client_cert")),
            client_key=_path(data.get("client_key")),
            ca_file=_path(data.get("ca_file")),
            verify=bool(data.get("verify", True)),
            check_hostname=bool(data.get("check_hostname", True)),
            timeout_s=float(data.get("timeout_s", 60.0)),
        )


def vp_contract_url(vp_url: str, contract: ContractVersion) -> str:
    """The contract's address on the VP, in the national pattern (as the mock consumer calls it)."""
    return f"{vp_url.rstrip('/')}/vp/{contract.vp_path}"


def contract_load_request(
    contract: ContractVersion,
    params: RequestParams,
    *,
    url: str,
    logical_address: str,
    label: str,
    client_cert: Path | None = None,
    client_key: Path | None = None,
    ca_file: Path | None = None,
    verify: bool = True,
    check_hostname: bool = True,
    extra_headers: tuple[tuple[str, str], ...] = (),
    timeout_s: float = 60.0,
) -> LoadRequest:
    """The load request for one contract version: the catalogue's request in a RIVTA envelope."""
    body = build_envelope(build_request(contract, params), logical_address=logical_address)
    headers = (*soap_request_headers(contract.soap_action).items(), *extra_headers)
    return LoadRequest(
        label=label,
        url=url,
        body=body,
        headers=headers,
        expect=f"{contract.name}Response",
        client_cert=client_cert,
        client_key=client_key,
        ca_file=ca_file,
        verify=verify,
        check_hostname=check_hostname,
        timeout_s=timeout_s,
    )


def _text(path: Path | None) -> str | None:
    return None if path is None else str(path)


def _path(value: Any) -> Path | None:
    return None if value in (None, "") else Path(str(value))
