"""Beoordelingsbrieven (issue 6): see service.py for the rules, render.py for the layout and
templates.py for the versioned text blocks in resources/letters/."""

from desktop.services.letters.addendum import addendum_pdf, record_signed
from desktop.services.letters.batch import BatchResult, addendum_file_name, batch_letters, file_name
from desktop.services.letters.dates import date_warning, today_nl
from desktop.services.letters.model import (
    Addressee,
    EnvelopeWindow,
    Judged,
    Letterhead,
    LetterInfo,
    LetterSource,
    PendingDecision,
    Signatory,
)
from desktop.services.letters.service import (
    care_offices,
    concept_pdf,
    create_letter,
    definitive_refusal,
    get_letter,
    get_letterhead,
    letter_for_request,
    letter_pdf,
    letterhead_of,
    list_letters,
    make_definitive,
    mark_sent,
    pending_decisions,
    region_names,
    set_letterhead,
)

__all__ = [
    "Addressee",
    "BatchResult",
    "EnvelopeWindow",
    "Judged",
    "LetterInfo",
    "Letterhead",
    "LetterSource",
    "PendingDecision",
    "Signatory",
    "batch_letters",
    "concept_pdf",
    "create_letter",
    "file_name",
    "get_letter",
    "letter_for_request",
    "letter_pdf",
    "definitive_refusal",
    "letterhead_of",
    "list_letters",
    "make_definitive",
    "mark_sent",
    "pending_decisions",
    "region_names",
    "get_letterhead",
    "set_letterhead",
    "care_offices",
    "date_warning",
    "today_nl",
    "addendum_pdf",
    "record_signed",
    "addendum_file_name",
]
