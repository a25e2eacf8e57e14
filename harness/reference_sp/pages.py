"""The SP's HTML pages (Swedish, as ExorLive Go's citizens see them). Every value is escaped.

Error pages are generic: they say that login failed and give a reference to the log line, never
which check failed or anything about the person.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from harness.reference_sp.data import ContactRow, ExerciseRow, ProgramRow
from harness.reference_sp.sessions import SessionRecord

__all__ = [
    "cancelled_page",
    "error_page",
    "landing_page",
    "no_programs_page",
    "not_found_page",
    "program_page",
    "programs_page",
]

_STYLE = "body{font-family:sans-serif;max-width:40em;margin:2em auto}li{margin:.3em 0}"


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="sv"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body><h1>{escape(title)}</h1>{body}</body></html>\n"
    )


def landing_page() -> str:
    return _page(
        "Mina träningsprogram",
        "<p>Här ser du träningsprogrammen som din vårdgivare har sparat åt dig.</p>"
        '<p><a href="/login">Logga in via 1177</a></p>',
    )


def programs_page(session: SessionRecord, contact: ContactRow, programs: Sequence[ProgramRow]) -> str:
    # The names shown are the IdP's (all given names, UTF-8: SC Attr. Spec §3.1.1); only shown.
    shown = f"{session.given_name} {session.surname}".strip() or f"{contact.given_name} {contact.surname}"
    items = "".join(
        f'<li><a href="/programs/{p.id}">{escape(p.title)}</a>'
        f"<br><em>{escape(p.care_giver_comment)}</em></li>"
        for p in programs
    )
    return _page(
        "Mina träningsprogram",
        f'<p>Inloggad som {escape(shown)}.</p><ul>{items}</ul><p><a href="/logout">Logga ut</a></p>',
    )


def program_page(program: ProgramRow, exercises: Sequence[ExerciseRow]) -> str:
    rows = "".join(
        f"<tr><td>{e.position}</td><td>{escape(e.name)}</td><td>{e.sets}</td><td>{e.repetitions}</td></tr>"
        for e in exercises
    )
    return _page(
        program.title,
        f"<p>Kommentar från din vårdgivare: <em>{escape(program.care_giver_comment)}</em></p>"
        "<table><tr><th>#</th><th>Övning</th><th>Set</th><th>Repetitioner</th></tr>"
        f"{rows}</table>"
        '<p><a href="/programs">Alla program</a></p>',
    )


def no_programs_page() -> str:
    return _page(
        "Inga träningsprogram här",
        "<p>Det finns inga träningsprogram för dig här. Din vårdgivare har inte sparat något "
        "program åt dig i den här tjänsten.</p><p>No training programs for you here.</p>",
    )


def error_page(reference: str) -> str:
    return _page(
        "Inloggningen kunde inte genomföras",
        "<p>Inloggningen kunde inte genomföras. Försök igen från 1177 Vårdguiden.</p>"
        f"<p>Login failed. Reference: <code>{escape(reference)}</code></p>",
    )


def cancelled_page() -> str:
    return _page(
        "Inloggningen avbröts",
        '<p>Du avbröt inloggningen. <a href="/">Till startsidan</a></p><p>Login cancelled.</p>',
    )


def not_found_page() -> str:
    return _page("Sidan finns inte", "<p>Sidan finns inte.</p><p>Not found.</p>")
