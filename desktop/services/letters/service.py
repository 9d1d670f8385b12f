"""Beoordelingsbrieven: make, preview, make definitive, mark as sent (issue 6).

The use cases live along the glossary (issue 19); this module keeps every old import path:
  * context.py    what a letter shows, read once in the caller's session (gather)
  * checks.py     what a definitive letter must have (check_complete)
  * concept.py    create a concept, preview it (create_letter, letter_pdf, concept_pdf)
  * definitive.py the kenmerk and the stored PDF in one transaction (make_definitive, mark_sent)
  * queries.py    reading letters (get_letter, list_letters, pending_decisions)
  * letterhead.py the briefhoofd of a care office (letterhead_of, set_letterhead)
The region batch is in batch.py, the layout in render.py.

Rules (DOMAIN.md §8, Inkoopkader 2020 §4.2.7):
  * A letter belongs to one budget request with a recorded decision. A draft (concept) can be
    previewed at any time and always carries the CONCEPT watermark.
  * Only a decision with a valid vier-ogen approval (review.approval) becomes a definitive
    letter. Making it definitive assigns the kenmerk `{CODE}/{KB}/{year}/{000123}` (unique per
    care office, budget year and sequence), renders the PDF without watermark, and stores the
    bytes with their SHA-256: kenmerk and PDF never change afterwards; printing again gives the
    same bytes.
  * Missing addressee or letterhead fields and template placeholders without a value are
    refused with a Dutch message naming what is missing; nothing is written then.
"""

from __future__ import annotations

from typing import Any

from db.engine import Database
from desktop.services.letters.checks import check_complete
from desktop.services.letters.concept import concept_pdf, create_letter, letter_pdf
from desktop.services.letters.context import gather, gather_in, gather_source
from desktop.services.letters.dates import day_label, today_nl
from desktop.services.letters.definitive import (
    APPROVER_SIGNS,
    NOT_APPROVED,
    Prepared,
    definitive_refusal,
    make_definitive,
    mark_sent,
    next_sequence,
    prepare_in,
    store_definitive,
)
from desktop.services.letters.letterhead import (
    care_offices,
    get_letterhead,
    letterhead_of,
    set_letterhead,
)
from desktop.services.letters.model import SUBJECT
from desktop.services.letters.queries import (
    current_letter,
    get_letter,
    letter_for_request,
    letter_info,
    list_letters,
    pending_decisions,
    region_id_of,
    region_names,
)


def prepare(db: Database, *args: Any) -> Prepared:
    """`prepare_in` (same arguments after the session) in a read session of its own."""
    with db.read_session() as s:
        return prepare_in(s, *args)


# The names these had before the split (issue 19), for callers outside the package.
_current = current_letter
_gather = gather_source
_info = letter_info
_next_sequence = next_sequence
_prepare_in = prepare_in
_Prepared = Prepared
_prepare = prepare
_region_id = region_id_of
_store_definitive = store_definitive

__all__ = [
    "APPROVER_SIGNS",
    "NOT_APPROVED",
    "SUBJECT",
    "Prepared",
    "care_offices",
    "check_complete",
    "concept_pdf",
    "create_letter",
    "current_letter",
    "day_label",
    "definitive_refusal",
    "gather",
    "gather_in",
    "gather_source",
    "get_letter",
    "get_letterhead",
    "letter_for_request",
    "letter_info",
    "letter_pdf",
    "letterhead_of",
    "list_letters",
    "make_definitive",
    "mark_sent",
    "next_sequence",
    "pending_decisions",
    "prepare",
    "prepare_in",
    "region_id_of",
    "region_names",
    "set_letterhead",
    "store_definitive",
    "today_nl",
]
