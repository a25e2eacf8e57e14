"""1177's side as the nothing-back checks see it: the IdP's host and its published metadata URL, and a
request read as a person would read it (percent-decoding undone, SAML messages decoded)."""

from __future__ import annotations

from urllib.parse import unquote_plus, urlsplit

from harness.core.exchange import Exchange
from harness.saml_bindings import find_saml
from harness.sp_suite.personal_data import PersonalData

__all__ = ["IdpSide", "host_and_port", "origin", "readable_request"]


class IdpSide:
    """1177's side as the nothing-back checks see it: its host and its published metadata URL."""

    def __init__(self, base_url: str, metadata_url: str, personal: PersonalData) -> None:
        self.address = host_and_port(base_url)
        self.origin = origin(base_url)
        self.metadata_url = metadata_url
        self.personal = personal

    def is_idp(self, url: str) -> bool:
        return host_and_port(url) == self.address

    def metadata_fetch(self, x: Exchange) -> bool:
        """A GET of the published metadata URL (any query) that carries no personal data."""
        published = urlsplit(self.metadata_url)
        asked = urlsplit(x.url)
        same_place = self.is_idp(x.url) and asked.path == published.path
        return x.method == "GET" and same_place and self.personal.found_in(readable_request(x)) is None


def readable_request(x: Exchange) -> str:
    """URL, query and body as a person would read them: percent-decoding and SAML messages decoded."""
    body = x.request_body.decode("utf-8", "replace")
    decoded = find_saml(x.url, body, x.request_header("Content-Type") or "", "", "")
    return "\n".join([unquote_plus(x.url), unquote_plus(body), *(d.xml for d in decoded)])


def host_and_port(url: str) -> tuple[str, int]:
    """(host, port) of a URL, ``localhost`` as 127.0.0.1 (both reach the same loopback service)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    default = 443 if parts.scheme == "https" else 80
    try:
        port = parts.port or default
    except ValueError:
        port = default
    return ("127.0.0.1" if host == "localhost" else host), port


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
