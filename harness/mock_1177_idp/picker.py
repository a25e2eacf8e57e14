"""The user-picker page, like 1177's login: choose a test person, the LoA and the attribute
profile, or cancel, or simulate an error. Also the plain 400 page for bad input.

Everything interpolated is HTML-escaped. The picker shows test persons from Skatteverket's test
list only; error pages never show personal data.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from harness.mock_1177_idp.persons import Person
from harness.mock_1177_idp.spec import LOA2, LOA3, UNCERTIFIED_LOA3, AttributeProfile

__all__ = ["ACTION_CANCEL", "ACTION_ERROR", "ACTION_LOGIN", "LOA_CHOICES", "error_page", "picker_page"]

ACTION_LOGIN, ACTION_CANCEL, ACTION_ERROR = "login", "cancel", "error"
LOA_CHOICES = (LOA3, UNCERTIFIED_LOA3, LOA2)
_PROFILE_LABELS = {
    AttributeProfile.EID: "Svensk e-legitimation (urn:oid:…)",
    AttributeProfile.LEGACY: "1177/CGI (Subject_SerialNumber …)",
    AttributeProfile.BOTH: "Båda",
}

_PAGE = """<!DOCTYPE html>
<html lang="sv">
<head><meta charset="utf-8"><title>{title}</title>
<style>body{{font-family:sans-serif;max-width:40em;margin:2em auto}}
label{{display:block;margin:.3em 0}}</style>
</head>
<body>
{body}
</body>
</html>
"""


def _page(title: str, body: str) -> str:
    return _PAGE.format(title=escape(title), body=body)


def _person_choice(index: int, person: Person) -> str:
    checked = " checked" if index == 0 else ""
    value = escape(person.personnummer, quote=True)
    return (
        f'<label><input type="radio" name="person" value="{value}"{checked}> '
        f'<span class="name">{escape(person.display_name)}</span> '
        f'<span class="pnr">{escape(person.personnummer)}</span></label>'
    )


def _select(name: str, options: Sequence[tuple[str, str]]) -> str:
    items = "".join(
        f'<option value="{escape(v, quote=True)}">{escape(label)}</option>' for v, label in options
    )
    return f'<select name="{name}" id="{name}">{items}</select>'


def picker_page(
    persons: Sequence[Person], pending: str, sp_entity_id: str, default_profile: AttributeProfile
) -> str:
    """The login page for one pending login (``pending`` names it on the server)."""
    profiles = [default_profile, *(p for p in AttributeProfile if p is not default_profile)]
    body = (
        "<h1>Logga in på 1177 (TESTMILJÖ)</h1>"
        f"<p>Inloggning till <code>{escape(sp_entity_id)}</code>. Välj en testperson.</p>"
        '<form method="post" action="/login" id="picker">'
        f'<input type="hidden" name="pending" value="{escape(pending, quote=True)}">'
        f"<fieldset><legend>Testperson</legend>{''.join(_person_choice(i, p) for i, p in enumerate(persons))}"
        "</fieldset>"
        f'<label for="loa">Tillitsnivå (LoA) {_select("loa", [(loa, loa) for loa in LOA_CHOICES])}</label>'
        f'<label for="profile">Attributprofil '
        f"{_select('profile', [(p.value, _PROFILE_LABELS[p]) for p in profiles])}</label>"
        f'<button type="submit" name="action" value="{ACTION_LOGIN}" id="login">Logga in</button> '
        f'<button type="submit" name="action" value="{ACTION_CANCEL}" id="cancel">Avbryt</button> '
        f'<button type="submit" name="action" value="{ACTION_ERROR}" id="error">Simulera fel</button>'
        "</form>"
    )
    return _page("1177 – logga in (test)", body)


def error_page(message: str) -> str:
    """A plain error page; ``message`` must not contain personal data."""
    return _page("Felaktig begäran", f"<h1>Felaktig begäran</h1><p>{escape(message)}</p>")
