"""Which budget year the Aanvragen and Kwaliteitsplannen lists open on (issue 18)."""

from __future__ import annotations

from datetime import date

from db.engine import Database


def budget_years(db: Database) -> list[int]:
    """The budget years that have requests, newest first (the Aanvragen year filter)."""
    with db.read_session() as s:
        cur = s.connection().connection.cursor()
        cur.execute(
            "SELECT DISTINCT budget_year FROM budget_request WHERE deleted_at IS NULL "
            "ORDER BY budget_year DESC"
        )
        return [int(y) for (y,) in cur.fetchall()]


def working_year(years: list[int], today: date | None = None) -> int | None:
    """The budget year a list opens on: the one being prepared (next year, as the
    Budgetkalender), else this year, else the newest with data; None when there is none.
    At national scale ten years of requests are 12,813 rows: one year is what a zorginkoper
    works on, and it keeps the section small (issue 18: memory at 3x)."""
    today = today or date.today()
    for year in (today.year + 1, today.year):
        if year in years:
            return year
    return years[0] if years else None
