"""Reading a SOAP call off an aiohttp request, for the platform's own services (engagement index, AGP).

The server layer has read and cached the body within its own limits already; a service's own, lower
limit is checked here. What is wrong is :class:`RequestRefused`, which each service answers in its own
fault format (``EI000: ...``, the AGP's ``soap:Server``).
"""

from __future__ import annotations

from aiohttp import web

__all__ = ["XML_CONTENT_TYPES", "RequestRefused", "read_soap_post"]

XML_CONTENT_TYPES = ("text/xml", "application/xml", "application/soap+xml")


class RequestRefused(ValueError):
    """The request is not a SOAP call the service takes: the wrong method or content type, or too large."""


async def read_soap_post(request: web.Request, max_bytes: int, *, check_content_type: bool = True) -> bytes:
    """The body of a POST of at most ``max_bytes``; with ``check_content_type``, one sent as XML (or
    without a Content-Type)."""
    if request.method != "POST":
        raise RequestRefused(f"HTTP method {request.method} is not allowed; a SOAP call is a POST")
    if (
        check_content_type
        and request.headers.get("Content-Type")
        and request.content_type not in XML_CONTENT_TYPES
    ):
        raise RequestRefused(f"Content-Type {request.content_type[:80]!r} is not text/xml")
    too_large = RequestRefused(f"the request is larger than {max_bytes} bytes")
    if (request.content_length or 0) > max_bytes:
        raise too_large
    try:
        body = await request.read()
    except web.HTTPRequestEntityTooLarge:
        raise too_large from None
    if len(body) > max_bytes:
        raise too_large
    return body
