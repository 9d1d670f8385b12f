"""Kwaliteitsbudget arithmetic: the 85/15 split, deadlines and the regional ceiling.

Pure functions (no database); the regional ceiling is desktop/services/ceiling.py (re-exported here).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func
from sqlmodel import select

from db.engine import Database
from db.models import CareOffice
from db.models.enums import RequestState

HUNDRED = Decimal(100)
# Inkoopkader 2020 §4.2: "85% ... extra zorgpersoneel", "15% ... overige investeringen".
GUIDELINE_OTHER_PCT = Decimal(15)
AT_RISK_DAYS = 7


# -- the 85/15 split ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Split:
    staff_pct: Decimal  # rounded to `decimals`, staff_pct + other_pct == 100 exactly
    other_pct: Decimal
    kind: str  # "STANDARD" (exactly 15%), "DEVIATION" (> 15%), "MORE_STAFF" (< 15%)
    label: str  # "85%/15%"

    @property
    def is_deviation(self) -> bool:
        return self.kind == "DEVIATION"

    @property
    def staff_text(self) -> str:
        """The staff share as shown: "84,6%" (the left half of `label`)."""
        return self.label.split("/")[0] if "/" in self.label else "–"

    @property
    def other_text(self) -> str:
        return self.label.split("/")[1] if "/" in self.label else "–"


def split(staff: Decimal, other: Decimal, decimals: int | None = None) -> Split:
    """Percentages of staff/other: the one split function for every display (letters, lists,
    editor, CLI). By default whole percents only when the share is exact, otherwise one
    decimal ("84,6%/15,4%"), so a deviation of 15,4% never prints as "85%/15%". The other
    share is rounded half-up and the staff share is 100 minus that: the two displayed figures
    always add up to 100%.

    The deviation test is exact (other × 100 compared with 15 × total), never on rounded
    percentages: 15,004% is a deviation even though it prints as 15,0%.
    """
    total = staff + other
    if total <= 0:
        zero = Decimal(0)
        return Split(zero, zero, "STANDARD", "–")
    if decimals is None:
        decimals = 0 if (other * HUNDRED) % total == 0 else 1
    q = Decimal(1).scaleb(-decimals)
    other_pct = (other * HUNDRED / total).quantize(q, rounding=ROUND_HALF_UP)
    staff_pct = HUNDRED.quantize(q) - other_pct
    exact = other * HUNDRED - GUIDELINE_OTHER_PCT * total
    kind = "DEVIATION" if exact > 0 else "MORE_STAFF" if exact < 0 else "STANDARD"
    return Split(staff_pct, other_pct, kind, f"{_pct(staff_pct)}/{_pct(other_pct)}")


def split_cents(staff_cents: int, other_cents: int) -> tuple[str, str]:
    """(label, kind) of `split(...)` in integer arithmetic on cents: the fast path for long
    lists. Same rule (whole percents only when exact, else one decimal, half up) and the same
    exact deviation test."""
    total = staff_cents + other_cents
    if total <= 0:
        return "–", "STANDARD"
    exact = other_cents * 100 - 15 * total
    kind = "DEVIATION" if exact > 0 else "MORE_STAFF" if exact < 0 else "STANDARD"
    if (other_cents * 100) % total == 0:
        other_pct = other_cents * 100 // total
        return f"{100 - other_pct}%/{other_pct}%", kind
    tenths = (other_cents * 2000 + total) // (2 * total)
    staff_tenths = 1000 - tenths
    return f"{staff_tenths // 10},{staff_tenths % 10}%/{tenths // 10},{tenths % 10}%", kind


def _pct(value: Decimal) -> str:
    """`85%`, `77,2%`, `85,0%`: the figure as quantized (a kept ",0" says "rounded"), without
    Babel's cost (the list of 5,000 requests formats 10,000 of these)."""
    text = format(value, "f")
    return text.replace(".", ",") + "%"


# -- deadlines (S1 §4.2.7) ---------------------------------------------------------------------


def add_months(d: date, months: int) -> date:
    """Calendar months, day clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    m = d.month - 1 + months
    year, month = d.year + m // 12, m % 12 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def deadline(received: date, special_circumstances: bool) -> date:
    """Inkoopkader 2020 §4.2.7: "binnen zes weken nadat de aanvraag is ontvangen ... maar in
    ieder geval uiterlijk binnen drie maanden als er bijzonderheden spelen"."""
    if special_circumstances:
        return add_months(received, 3)
    return received + timedelta(days=42)


DEADLINE_LABELS = {
    "ON_TRACK": "Op schema",
    "AT_RISK": "Dreigt te verlopen",
    "OVERDUE": "Termijn verstreken",
    "DONE": "Afgehandeld",
}
_DONE_STATES = {
    RequestState.DECIDED,
    RequestState.LETTER_SENT,
    RequestState.ADDENDUM_SIGNED,
    RequestState.WITHDRAWN,
}


def deadline_status(due: date, today: date, state: str) -> str:
    """ON_TRACK / AT_RISK (≤ 7 days left) / OVERDUE / DONE (decided or withdrawn)."""
    if state in _DONE_STATES:
        return "DONE"
    left = (due - today).days
    if left < 0:
        return "OVERDUE"
    if left <= AT_RISK_DAYS:
        return "AT_RISK"
    return "ON_TRACK"


# -- regional ceiling (S1 §4.2.10; S4 §2.4) ----------------------------------------------------


def care_office_by_code(db: Database, code: str) -> tuple[str, str]:
    """(id, name) of a care office by its code ("ZK") or short name, for the CLI."""
    from sqlmodel import or_

    from db.errors import NotFound

    with db.read_session() as s:
        office = s.exec(
            select(CareOffice).where(
                or_(
                    func.lower(CareOffice.code) == code.strip().lower(),
                    func.lower(CareOffice.short_name) == code.strip().lower(),
                )
            )
        ).first()
    if office is None:
        raise NotFound(f"Zorgkantoor '{code}' bestaat niet in deze database.")
    return office.id, office.short_name


def care_offices(db: Database) -> list[tuple[str, str]]:
    """(id, short name) of every care office, by name."""
    with db.read_session() as s:
        return [
            (o.id, o.short_name)
            for o in s.exec(
                select(CareOffice)
                .where(CareOffice.deleted_at == None)  # noqa: E711
                .order_by(CareOffice.short_name)
            )
        ]
