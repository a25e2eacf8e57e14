"""Server-side XML highlighting for the HTML report: escape first, then wrap tags in spans.

The text is HTML-escaped as a whole before any markup is added, so the only tags in the result are
the ``<span>`` elements inserted here; the report's JavaScript never parses evidence text. The
patterns rely on the input being serialised by lxml (harness.core.xml.pretty_xml): there a literal
``"`` inside an attribute value is written ``&quot;``, so after escaping (markupsafe writes ``"`` as
``&#34;``), ``&#34;`` only ever delimits attribute values, and ``&gt;`` only ever closes a tag (lxml
writes ``>`` in text as ``&gt;``).
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

__all__ = ["highlight_xml"]

_NAME = r"[A-Za-z_][\w.:-]*"
_TOKEN = re.compile(
    r"(?P<comment>&lt;!--.*?--&gt;)"
    r"|(?P<cdata>&lt;!\[CDATA\[.*?\]\]&gt;)"
    r"|(?P<pi>&lt;\?.*?\?&gt;)"
    rf"|(?P<tag>&lt;/?{_NAME}(?:\s+{_NAME}=&#34;.*?&#34;)*\s*/?&gt;)",
    re.DOTALL,
)
_TAG_PARTS = re.compile(rf"^(&lt;/?)({_NAME})(.*?)(/?&gt;)$", re.DOTALL)
_ATTRIBUTE = re.compile(rf"({_NAME})=(&#34;.*?&#34;)", re.DOTALL)


def highlight_xml(pretty: str) -> Markup:
    """HTML for one pretty-printed XML document, with tags, attributes and comments in spans."""
    escaped = str(escape(pretty))
    return Markup(_TOKEN.sub(_wrap, escaped))


def _wrap(match: re.Match[str]) -> str:
    kind = match.lastgroup or ""
    text = match.group()
    if kind != "tag":
        return f'<span class="x-{kind}">{text}</span>'
    parts = _TAG_PARTS.match(text)
    if parts is None:  # cannot happen for a token matched above; show it plain rather than guess
        return text
    opening, name, attributes, closing = parts.groups()
    attributes = _ATTRIBUTE.sub(r'<span class="x-attr">\1</span>=<span class="x-value">\2</span>', attributes)
    return f'<span class="x-tag">{opening}<span class="x-name">{name}</span>{attributes}{closing}</span>'
