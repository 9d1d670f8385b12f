"""Beoordelingsbrieven in the demo data (after generate_demo's own transaction).

The decisions of the newest budget year that the demo marks as sent get their letter, made
through the letters service exactly as a zorginkoper would: concept, definitive (kenmerk, PDF,
SHA-256, dated the day it was sent) and sent. Older years keep their request states without
letter records: their letters would date from before the app existed. Each letter is its own
transaction; a letter that cannot be made is left out and logged, the rest of the demo stays.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import func
from sqlmodel import col, select

from db.engine import Database
from db.errors import NotFound, RuleViolation, ValidationError
from db.models import BudgetRequest, Letter
from desktop.services.demo.base import report_progress

log = logging.getLogger(__name__)


def make_demo_letters(
    db: Database, *, progress: Any = None, cancelled: Callable[[], bool] | None = None
) -> int:
    """Make the sent letters of the newest budget year; returns how many were made. Stops
    quietly (keeping what was made) when cancelled."""
    from desktop.services import letters

    with db.read_session() as s:
        year = s.exec(
            select(func.max(BudgetRequest.budget_year)).where(BudgetRequest.letter_sent_on != None)  # noqa: E711
        ).one()
        if year is None:
            return 0
        have = set(s.exec(select(Letter.budget_request_id).where(Letter.deleted_at == None)).all())  # noqa: E711
        todo = [
            (r.id, r.author_id, r.letter_sent_on)
            for r in s.exec(
                select(BudgetRequest)
                .where(
                    BudgetRequest.budget_year == year,
                    BudgetRequest.letter_sent_on != None,  # noqa: E711
                    BudgetRequest.decision != None,  # noqa: E711
                    BudgetRequest.deleted_at == None,  # noqa: E711
                )
                .order_by(col(BudgetRequest.letter_sent_on), col(BudgetRequest.id))
            )
            if r.id not in have
        ]
    made = 0
    for i, (request_id, author_id, sent_on) in enumerate(todo):
        if report_progress(progress, i, len(todo), f"Beoordelingsbrieven {year}", cancelled):
            break
        try:
            info = letters.create_letter(db, request_id, author_id)
            info = letters.make_definitive(db, info.id, author_id, letter_date=sent_on)
            letters.mark_sent(db, info.id, author_id, sent_on=sent_on)
            made += 1
        except (RuleViolation, ValidationError, NotFound) as exc:
            log.info("demo letter for request %s left out: %s", request_id, exc.message)
    else:
        report_progress(progress, len(todo), len(todo), f"Beoordelingsbrieven {year}")
    return made
