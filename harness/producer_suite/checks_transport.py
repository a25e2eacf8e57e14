"""Checks on how an answer travelled: SOAP 1.1 over HTTP, TLS, response time, character encoding.

Each reads the producer's own recorded answer (:class:`~harness.producer_suite.answer.Answer`) and
returns findings naming the element or header, what was expected and what was observed.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Sequence

from harness.core.findings import Finding, mismatch
from harness.producer_suite.answer import Answer
from harness.producer_suite.checking import check

__all__ = [
    "charset_consistent",
    "concurrent_calls_answered",
    "soap_answer",
    "special_characters_round_trip",
    "text_values",
    "within_agp_limit",
    "within_limit",
]

_UTF = ("utf-8", "utf-16")
_PROLOG = re.compile(rb"^<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _finding(element: str, expected: object, actual: object, answer: Answer) -> Finding:
    return mismatch("", element, expected, actual, exchange_ids=answer.evidence)


@check("PR-R-TRN-01")
def soap_answer(answer: Answer) -> list[Finding]:
    """HTTP 200, Content-Type text/xml, a SOAP 1.1 envelope, and the contract's response element."""
    x, contract = answer.exchange, answer.contract
    found = []
    if x.status != 200:
        found.append(_finding("HTTP status", 200, x.status, answer))
    content_type = (x.response_header("Content-Type") or "").split(";")[0].strip().lower()
    if content_type != "text/xml":
        found.append(_finding("Content-Type", "text/xml (SOAP 1.1)", content_type or "none", answer))
    if answer.envelope is None or answer.response is None:
        found.append(
            _finding("SOAP Body", f"{contract.name}Response ({contract.namespace})", answer.problem, answer)
        )
    return found


@check("PR-R-SLA-16")
def within_limit(answers: Iterable[Answer], limit_s: float) -> list[Finding]:
    """Every answer within ``limit_s`` (measured at the VP's forward, or the harness's own call)."""
    return [
        _finding("response time", f"at most {limit_s:g} s", f"{a.elapsed_s:.2f} s", a)
        for a in answers
        if a.elapsed_s > limit_s
    ]


@check("PR-R-SLA-16A")
def within_agp_limit(answers: Iterable[Answer], limit_s: float) -> list[Finding]:
    """Every answer within the aggregating services' producer timeout."""
    return [
        _finding("response time", f"at most {limit_s:g} s (the AGP's wait)", f"{a.elapsed_s:.2f} s", a)
        for a in answers
        if a.elapsed_s > limit_s
    ]


@check("PR-R-SLA-16C")
def concurrent_calls_answered(answers: Sequence[Answer], wanted: int) -> list[Finding]:
    """``wanted`` concurrent calls, each answered with the contract's response."""
    found = [
        _finding(
            f"concurrent call {i}",
            f"a {a.contract.name}Response",
            a.problem or f"HTTP {a.exchange.status}",
            a,
        )
        for i, a in enumerate(answers, 1)
        if a.response is None or a.exchange.status != 200
    ]
    if len(answers) < wanted:
        found.append(mismatch("", "concurrent calls", f"{wanted} answered", f"{len(answers)} answered"))
    return found


def _declared_charsets(body: bytes, content_type: str) -> tuple[str | None, str | None, str | None]:
    """(Content-Type charset, XML prolog encoding, the BOM's encoding), lower-case, None if absent."""
    match = re.search(r"charset\s*=\s*\"?([A-Za-z0-9._-]+)", content_type)
    header = match.group(1).lower() if match else None
    bom = next((name for mark, name in _BOMS if body.startswith(mark)), None)
    text = body
    if bom == "utf-16":
        text = body.decode("utf-16", errors="replace").encode("ascii", errors="replace")
    elif bom == "utf-8":
        text = body[len(codecs.BOM_UTF8) :]
    prolog = _PROLOG.match(text.lstrip())
    return header, prolog.group(1).decode().lower() if prolog else None, bom


def _family(charset: str) -> str:
    return "utf-16" if charset.replace("_", "-").startswith("utf-16") else charset.replace("_", "-")


@check("PR-R-ENC-17")
def charset_consistent(answer: Answer) -> list[Finding]:
    """Inera 2.1: HTTP charset and XML prolog, where given, are UTF-8 or UTF-16 and equal; the bytes fit."""
    body = answer.exchange.response_body
    header, prolog, bom = _declared_charsets(body, answer.exchange.response_header("Content-Type") or "")
    found = [
        _finding(where, "UTF-8 or UTF-16", value, answer)
        for where, value in (("Content-Type charset", header), ("XML prolog encoding", prolog))
        if value is not None and _family(value) not in _UTF
    ]
    if header and prolog and _family(header) != _family(prolog):
        found.append(
            _finding(
                "Content-Type charset and XML prolog", "the same encoding", f"{header} and {prolog}", answer
            )
        )
    used = _family(header or prolog or bom or "utf-8")
    if used in _UTF:
        try:
            body.decode(used)
        except UnicodeDecodeError:
            found.append(_finding("response bytes", f"valid {used.upper()}", "bytes that are not", answer))
    return found


def text_values(answer: Answer) -> list[str]:
    """Every text and attribute value of the answer's Body, as parsed (entities resolved)."""
    body = answer.envelope.body if answer.envelope is not None else None
    if body is None:
        return []
    texts = [t for t in body.itertext() if t.strip()]
    texts += [v for e in body.iter() if isinstance(e.tag, str) for v in e.attrib.values()]
    return [str(t) for t in texts]


@check("PR-R-ENC-17S")
def special_characters_round_trip(answer: Answer, text: str) -> list[Finding]:
    """Inera 2.2: the seeded string comes back unchanged in some element's text (escaped on the wire)."""
    if answer.envelope is None:
        return [_finding("answer", "well-formed XML holding the seeded text", answer.problem, answer)]
    if any(text in value for value in text_values(answer)):
        return []
    near = [v for v in text_values(answer) if any(ch in v for ch in "åäö&<>")][:3]
    shown = "; ".join(repr(v[:80]) for v in near) or "no text with special characters"
    return [_finding("element text", f"{text!r} unchanged", shown, answer)]
