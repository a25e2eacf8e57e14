"""GetCareDocumentation 2.1 and 3.0 responses.

3.0: ``record/id`` carries only ``root``, the same value as 2.1's ``documentId`` (TKB
clinicalprocess:healthcond:description §7 GetCareDocumentation, record.id: "ska ... endast ange root på
samma sätt som documentId i tidigare majorversioner. Extension utelämnas"); note codes from KV
Anteckningstyp; text or DocBook in ``clinicalDocumentNoteText`` (lxml entity-encodes it, §7 "DocBook-format").
"""

from __future__ import annotations

from lxml import etree

from harness.reference_producer.answer import Answer
from harness.reference_producer.model import NoteDetails, Record, details_of
from harness.reference_producer.render_header import (
    access_control_header,
    jol_author,
    jol_signature,
    summary_header_end,
    summary_header_start,
)
from harness.reference_producer.xmlout import Ns

__all__ = [
    "NOTE_CODE_NAMES",
    "NOTE_CODE_SYSTEM",
    "render_care_documentation_2_1",
    "render_care_documentation_3_0",
]

NOTE_CODE_SYSTEM = "1.2.752.129.2.2.2.11"  # KV Anteckningstyp
NOTE_CODE_NAMES = {
    "utr": "Utredning",
    "atb": "Åtgärd/Behandling",
    "sam": "Sammanfattning",
    "sao": "Samordning",
    "ins": "Inskrivning",
    "slu": "Slutanteckning",
    "auf": "Anteckning utan fysiskt möte",
    "sva": "Slutenvårdsanteckning",
    "bes": "Besöksanteckning",
}
_DESC = "urn:riv:clinicalprocess:healthcond:description"
R2, CORE2, EXT21 = Ns(f"{_DESC}:GetCareDocumentationResponder:2"), Ns(f"{_DESC}:2"), Ns(f"{_DESC}:2.1")
R3, CORE3 = Ns(f"{_DESC}:GetCareDocumentationResponder:3"), Ns(f"{_DESC}:3")


def _note(record: Record) -> NoteDetails:
    return details_of(record, NoteDetails)


# -- 2.1 --------------------------------------------------------------------------------------------


def _header_2_1(parent: etree._Element, record: Record) -> None:
    header = CORE2.el(parent, "careDocumentationHeader")
    summary_header_start(CORE2, header, record, source_name="sourceSystemHSAid")
    CORE2.el(header, "documentTitle", _note(record).title)
    CORE2.el(header, "documentTime", record.record_time)
    summary_header_end(CORE2, header, record)


def _body_2_1(parent: etree._Element, note: NoteDetails) -> None:
    element = CORE2.el(CORE2.el(parent, "careDocumentationBody"), "clinicalDocumentNote")
    CORE2.el(element, "clinicalDocumentNoteCode", note.note_code)
    CORE2.el(element, "clinicalDocumentNoteTitle", note.title)
    CORE2.el(element, "clinicalDocumentNoteText", note.text)
    for opinion in note.dissenting:
        dissent = CORE2.el(element, "dissentintOpinion")  # sic: the 2.1 schema's element name
        CORE2.ii(dissent, "opinionId", opinion.opinion_id, None)
        CORE2.el(dissent, "authorTime", opinion.author_time)
        CORE2.el(dissent, "opinion", opinion.opinion)
        CORE2.person_id(dissent, "personId", opinion.person)
        CORE2.el(dissent, "personName", opinion.person_name)


def render_care_documentation_2_1(answer: Answer) -> etree._Element:
    response = R2.root("GetCareDocumentationResponse", {"r": R2.uri, "core": CORE2.uri, "m1": EXT21.uri})
    for record in answer.records:
        documentation = R2.el(response, "careDocumentation")
        _header_2_1(documentation, record)
        _body_2_1(documentation, _note(record))
    result = EXT21.el(response, "result")
    EXT21.el(result, "resultCode", "OK")
    EXT21.el(result, "logId", answer.log_id)
    return response


# -- 3.0 --------------------------------------------------------------------------------------------


def _header_3_0(parent: etree._Element, record: Record) -> None:
    header = CORE3.el(parent, "header")
    access_control_header(CORE3, header, record, record.record_time)
    CORE3.hsa(header, "sourceSystemId", record.source_system)
    entry = CORE3.el(header, "record")
    CORE3.ii(entry, "id", record.id, None)
    CORE3.el(entry, "timestamp", record.author_time)
    jol_author(CORE3, header, record)
    jol_signature(CORE3, header, record)


def _body_3_0(parent: etree._Element, note: NoteDetails) -> None:
    body = CORE3.el(parent, "body")
    CORE3.cv(
        body, "clinicalDocumentNoteCode", note.note_code, NOTE_CODE_SYSTEM, NOTE_CODE_NAMES[note.note_code]
    )
    CORE3.el(body, "clinicalDocumentNoteTitle", note.title)
    CORE3.el(body, "clinicalDocumentNoteText", note.text)
    for opinion in note.dissenting:
        dissent = CORE3.el(body, "dissentingOpinion")
        CORE3.ii(dissent, "opinionId", opinion.opinion_id, None)
        CORE3.el(dissent, "authorTime", opinion.author_time)
        CORE3.el(dissent, "opinion", opinion.opinion)
        CORE3.ii(dissent, "personId", opinion.person.type_oid, opinion.person.value)
        CORE3.el(dissent, "personName", opinion.person_name)


def render_care_documentation_3_0(answer: Answer) -> etree._Element:
    response = R3.root("GetCareDocumentationResponse", {"r": R3.uri, "core": CORE3.uri})
    for record in answer.records:
        documentation = R3.el(response, "careDocumentation")
        _header_3_0(documentation, record)
        _body_3_0(documentation, _note(record))
    result = R3.el(response, "result")
    CORE3.el(result, "resultCode", "ERROR" if answer.error else "OK")
    if answer.error:
        CORE3.el(result, "resultText", answer.error.message)
    return response
